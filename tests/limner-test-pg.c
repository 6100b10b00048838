/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include "limner-test-pg.h"
#include "limner-test-util.h"

/* Debian's path; PATH may not have it. */
#define PG_BINDIR "/usr/lib/postgresql/15/bin"

struct _LimnerTestPg
{
  char     *dir;        /* the folder; also the socket's */
  char     *data;       /* the cluster */
  char     *bindir;
  gboolean  switch_user;
  uid_t     uid;
  gid_t     gid;
  int       watchdog;   /* write end of the watchdog's stdin */
};

/* Runs in the child between fork and exec: only system calls here. */
static void
become_server_user (gpointer data)
{
  LimnerTestPg *pg = data;

  if (!pg->switch_user)
    return;
  if (setgroups (0, NULL) != 0 || setgid (pg->gid) != 0 || setuid (pg->uid) != 0)
    _exit (127);
}

static void
become_watchdog (gpointer data)
{
  /* Its own session: whoever kills the test's process group (a timeout)
   * leaves the watchdog to clean up. */
  setsid ();
  become_server_user (data);
}

static char *
tool (LimnerTestPg *pg, const char *name)
{
  return g_build_filename (pg->bindir, name, NULL);
}

static void
run_as_server_user (LimnerTestPg *pg, const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status;

  if (!g_spawn_sync (pg->dir, (char **) argv, NULL, G_SPAWN_DEFAULT, become_server_user, pg,
                     &out, &err, &wait_status, &error))
    g_error ("could not run %s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      g_autofree char *log_path = g_build_filename (pg->dir, "server.log", NULL);
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("%s failed (%s): %s%s\nserver log:\n%s", argv[0], error->message, out, err,
               log ? log : "(none)");
    }
}

LimnerTestPg *
limner_test_pg_start (void)
{
  LimnerTestPg *pg = g_new0 (LimnerTestPg, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *initdb = NULL;
  g_autofree char *pg_ctl = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *text = NULL;
  const char *bindir = g_getenv ("LIMNER_TEST_PG_BINDIR");

  pg->bindir = g_strdup (bindir ? bindir : PG_BINDIR);
  pg->dir = g_dir_make_tmp ("limner-pg-XXXXXX", &error);
  g_assert_no_error (error);
  pg->data = g_build_filename (pg->dir, "data", NULL);
  initdb = tool (pg, "initdb");
  pg_ctl = tool (pg, "pg_ctl");

  if (geteuid () == 0)
    {
      const char *user = g_getenv ("LIMNER_TEST_PG_USER");
      struct passwd *pw = getpwnam (user ? user : "nobody");

      if (pw == NULL)
        g_error ("the tests run as root, and PostgreSQL needs an unprivileged user, but "
                 "there is no user “%s”", user ? user : "nobody");
      pg->switch_user = TRUE;
      pg->uid = pw->pw_uid;
      pg->gid = pw->pw_gid;
      if (chown (pg->dir, pg->uid, pg->gid) != 0)
        g_error ("could not hand %s to the server's user: %s", pg->dir, g_strerror (errno));
    }

  /* Started first, so that even a failed start is cleaned up. */
  {
    const char *argv[] = { "/bin/sh", "-c",
                           "cat >/dev/null; \"$0\" -D \"$1\" -m immediate -w stop; rm -rf \"$2\"",
                           pg_ctl, pg->data, pg->dir, NULL };

    if (!g_spawn_async_with_pipes (pg->dir, (char **) argv, NULL,
                                   G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                   become_watchdog, pg, NULL, &pg->watchdog, NULL, NULL, &error))
      g_error ("could not start the server's watchdog: %s", error->message);
  }

  {
    const char *argv[] = { initdb, "-D", pg->data, "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--no-locale", "-N", NULL };
    run_as_server_user (pg, argv);
  }

  /* No TCP: the socket lives in our folder, so parallel servers never meet. */
  conf = g_build_filename (pg->data, "postgresql.conf", NULL);
  g_file_get_contents (conf, &text, NULL, &error);
  g_assert_no_error (error);
  settings = g_strdup_printf ("%s\n"
                              "listen_addresses = ''\n"
                              "unix_socket_directories = '%s'\n"
                              "fsync = off\n"
                              "synchronous_commit = off\n"
                              "full_page_writes = off\n"
                              "shared_buffers = 16MB\n"
                              "max_connections = 40\n",
                              text, pg->dir);
  /* Written in place: the file must stay the server user's. */
  {
    FILE *f = fopen (conf, "w");

    if (f == NULL || fputs (settings, f) < 0 || fclose (f) != 0)
      g_error ("could not write %s: %s", conf, g_strerror (errno));
  }

  limner_test_pg_start_again (pg);
  return pg;
}

char *
limner_test_pg_uri (LimnerTestPg *pg,
                    const char   *database,
                    const char   *login)
{
  g_autofree char *host = g_uri_escape_string (pg->dir, "/", FALSE);
  g_autofree char *db = g_uri_escape_string (database, NULL, FALSE);
  g_autofree char *user = g_uri_escape_string (login, NULL, FALSE);

  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", db, host, user);
}

void
limner_test_pg_admin (LimnerTestPg *pg,
                      const char   *sql)
{
  g_autofree char *uri = limner_test_pg_uri (pg, "postgres", "postgres");
  PGconn *conn = PQconnectdb (uri);
  PGresult *res;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect to the test server as its superuser: %s", PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("the test server refused “%s”: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

void
limner_test_pg_shut_down (LimnerTestPg *pg)
{
  g_autofree char *pg_ctl = tool (pg, "pg_ctl");
  const char *argv[] = { pg_ctl, "-D", pg->data, "-m", "fast", "-w", "stop", NULL };

  run_as_server_user (pg, argv);
}

void
limner_test_pg_start_again (LimnerTestPg *pg)
{
  g_autofree char *pg_ctl = tool (pg, "pg_ctl");
  g_autofree char *log = g_build_filename (pg->dir, "server.log", NULL);
  const char *argv[] = { pg_ctl, "-D", pg->data, "-l", log, "-w", "-t", "120", "start", NULL };

  run_as_server_user (pg, argv);
}

void
limner_test_pg_stop (LimnerTestPg *pg)
{
  g_autofree char *pg_ctl = tool (pg, "pg_ctl");
  const char *argv[] = { pg_ctl, "-D", pg->data, "-m", "fast", "-w", "stop", NULL };

  run_as_server_user (pg, argv);
  limner_test_rm_rf (pg->dir);
  /* The watchdog finds nothing left to do and exits. */
  close (pg->watchdog);
  g_free (pg->dir);
  g_free (pg->data);
  g_free (pg->bindir);
  g_free (pg);
}
