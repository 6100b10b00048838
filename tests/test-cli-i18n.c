/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli from the build tree speaks the user's language: its catalogues
 * are found there with nothing installed, and --json stays English. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs limner-cli in Chinese; `localedir` sets LIMNER_LOCALEDIR, or NULL
 * leaves the program to find its catalogues by itself. */
static Run
cli_zh (const char  *localedir,
        const char **args)
{
  const char *cli = g_getenv ("LIMNER_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  Run r = { 0 };
  int wait_status;

  if (cli == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* C.UTF-8 exists on every Debian system; gettext honours LANGUAGE with it. */
  env = g_environ_unsetenv (env, "LC_ALL");
  env = g_environ_unsetenv (env, "LC_MESSAGES");
  env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "zh_CN", TRUE);
  if (localedir != NULL)
    env = g_environ_setenv (env, "LIMNER_LOCALEDIR", localedir, TRUE);
  else
    env = g_environ_unsetenv (env, "LIMNER_LOCALEDIR");

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static char *
make_demo (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("limner-i18n-XXXXXX", NULL);
  char *project = g_build_filename (tmp, "p", NULL);
  const char *args[] = { "demo", project, "--images", "3", "--seed", "1", NULL };
  Run r = cli_zh (NULL, args);

  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  return project;
}

static void
remove_demo (const char *project)
{
  g_autofree char *tmp = g_path_get_dirname (project);

  limner_test_rm_rf (tmp);
}

static void
test_info_translated (void)
{
  g_autofree char *project = make_demo ();
  const char *human[] = { "info", project, NULL };
  const char *json[] = { "info", project, "--json", NULL };
  Run r = cli_zh (NULL, human);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "图像：3"));
  /* Status names too, padded by screen columns. */
  g_assert_nonnull (strstr (r.out, "  新建         3\n"));
  g_assert_null (strstr (r.out, "Images"));
  run_clear (&r);

  r = cli_zh (NULL, json);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"by_status\""));
  g_assert_nonnull (strstr (r.out, "\"new\": 3"));
  g_assert_null (strstr (r.out, "新建"));
  run_clear (&r);
  remove_demo (project);
}

static void
test_localedir_override (void)
{
  g_autofree char *project = make_demo ();
  g_autofree char *empty = g_dir_make_tmp ("limner-i18n-XXXXXX", NULL);
  const char *human[] = { "info", project, NULL };
  Run r = cli_zh (empty, human);

  /* LIMNER_LOCALEDIR wins over the build tree: no catalogue there, English. */
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Images: 3"));
  g_assert_nonnull (strstr (r.out, "  New          3\n"));
  run_clear (&r);
  g_rmdir (empty);
  remove_demo (project);
}

static void
test_role_error_order (void)
{
  g_autofree char *project = make_demo ();
  const char *args[] = { "users", project, "add", "bob", "--role", "reviewer", "--user", "nobody", NULL };
  g_autofree char *expected = NULL;
  Run r = cli_zh (NULL, args);

  /* User, then project, then role: the Chinese sentence reorders them. */
  expected = g_strdup_printf ("用户“nobody”需要项目 %s 中的 lead 角色", project);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, expected));
  run_clear (&r);
  remove_demo (project);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/i18n/info-translated", test_info_translated);
  g_test_add_func ("/cli/i18n/localedir-override", test_localedir_override);
  g_test_add_func ("/cli/i18n/role-error-order", test_role_error_order);
  return g_test_run ();
}
