/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `limner` binary as a newcomer runs it: straight from the build tree, or
 * copied elsewhere, with no GSettings schema installed and no
 * GSETTINGS_SCHEMA_DIR. It must start (not abort in GSettings) under Xvfb. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-test-util.h"

#define MISSING_SCHEMA_WARNING "settings schema " APPLICATION_ID " is not installed"

typedef struct {
  GString  *err;
  gboolean  eof;
  gboolean  exited;
} Watch;

static const char *
app_path (void)
{
  const char *path = g_getenv ("LIMNER_APP");

  if (path == NULL)
    g_error ("LIMNER_APP is not set; run this test through meson");
  return path;
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Watch *watch = data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (line == NULL)
    {
      watch->eof = TRUE;
      return;
    }
  g_string_append (watch->err, line);
  g_string_append_c (watch->err, '\n');
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, watch);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Watch *watch = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  watch->exited = TRUE;
}

static gboolean
started_or_exited (gpointer data)
{
  Watch *watch = data;

  /* limner-settings.c logs where the schema came from (or warns) just
   * before the first GSettings is made: the point where it used to abort. */
  return watch->exited || strstr (watch->err->str, "Settings schema from") != NULL
         || strstr (watch->err->str, MISSING_SCHEMA_WARNING) != NULL;
}

static gboolean
has_exited (gpointer data)
{
  return ((Watch *) data)->exited && ((Watch *) data)->eof;
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Starts `exe` with no project, lets the window come up, then ends it with
 * SIGTERM; returns its output. Fails if it died on its own. */
static char *
run_bare (const char *exe,
          const char *home)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  const char *display = g_getenv ("DISPLAY");
  Watch watch = { g_string_new (NULL), FALSE, FALSE };
  int status;

  g_assert_nonnull (display);

  /* GLib prints debug messages on stdout, warnings on stderr: read both. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Nothing installed, nothing pointing at the build tree: an empty XDG
   * data path, a fresh home, no session bus to hand over to. */
  g_subprocess_launcher_set_environ (launcher, (char *[]) { NULL });
  g_subprocess_launcher_setenv (launcher, "PATH", "/usr/bin:/bin", TRUE);
  g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  if (g_getenv ("XAUTHORITY") != NULL)
    g_subprocess_launcher_setenv (launcher, "XAUTHORITY", g_getenv ("XAUTHORITY"), TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "limner", TRUE);

  proc = g_subprocess_launcher_spawn (launcher, &error, exe, NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_data_input_stream_read_line_async (err, G_PRIORITY_DEFAULT, NULL, read_line_cb, &watch);
  g_subprocess_wait_async (proc, NULL, wait_cb, &watch);

  if (!limner_test_wait_for (started_or_exited, &watch, 30000))
    g_error ("%s did not reach its settings within 30 s; stderr:\n%s", exe, watch.err->str);
  /* Long enough for the window and its pages to be built and shown. */
  limner_test_iterate (1500);
  if (watch.exited)
    g_error ("%s ended on its own; stderr:\n%s", exe, watch.err->str);

  g_subprocess_send_signal (proc, SIGTERM);
  if (!limner_test_wait_for (has_exited, &watch, 10000))
    g_error ("%s did not end on SIGTERM", exe);
  status = g_subprocess_get_status (proc);
  if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGTERM)
    g_error ("%s ended with status %d, not by SIGTERM; stderr:\n%s", exe, status, watch.err->str);
  g_assert_null (strstr (watch.err->str, "GLib-GIO-ERROR"));
  return g_string_free (watch.err, FALSE);
}

static void
test_from_build_tree (void)
{
  g_autofree char *home = g_dir_make_tmp ("limner-bare-XXXXXX", NULL);
  g_autofree char *err = NULL;

  err = run_bare (app_path (), home);
  g_assert_nonnull (strstr (err, "Settings schema from the build tree"));
  g_assert_null (strstr (err, MISSING_SCHEMA_WARNING));
  limner_test_rm_rf (home);
}

static void
test_copied_elsewhere (void)
{
  g_autofree char *home = g_dir_make_tmp ("limner-bare-XXXXXX", NULL);
  g_autofree char *exe = g_build_filename (home, "limner", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (app_path ());
  g_autoptr(GFile) to = g_file_new_for_path (exe);
  g_autoptr(GError) error = NULL;

  /* Outside the build tree and with nothing installed, only the schema built
   * into the program is left: it must say so once and keep going. */
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (exe, 0755), ==, 0);

  err = run_bare (exe, home);
  g_assert_cmpuint (count (err, MISSING_SCHEMA_WARNING), ==, 1);
  g_assert_null (strstr (err, "Settings schema from the build tree"));
  limner_test_rm_rf (home);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/bare/from-build-tree", test_from_build_tree);
  g_test_add_func ("/app/bare/copied-elsewhere", test_copied_elsewhere);
  return g_test_run ();
}
