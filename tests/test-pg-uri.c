/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The addresses of team projects: URIs put together from the connect
 * dialog's fields, taken apart again by libpq itself, passwords kept out of
 * what is remembered and shown, and clear errors naming the bad field. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "limner-pg.h"
#include "limner-pg-uri.h"

static char *
build (const char *host,
       const char *port,
       const char *dbname,
       const char *user,
       const char *password)
{
  LimnerPgUriParts parts = { (char *) host, (char *) port, (char *) dbname, (char *) user,
                             (char *) password, NULL };
  g_autoptr(GError) error = NULL;
  char *uri = limner_pg_uri_build (&parts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (uri);
  return uri;
}

static void
test_build (void)
{
  g_autofree char *tcp = build ("db.example.com", "5433", "proj", "ann", NULL);
  g_autofree char *plain = build ("db.example.com", NULL, "proj", NULL, "");
  g_autofree char *socket = build ("/tmp/a b", "", "limner", "ann", NULL);
  g_autofree char *ipv6 = build ("::1", "5432", "d", NULL, NULL);
  g_autofree char *bracketed = build ("[::1]", NULL, "d", NULL, NULL);
  g_autofree char *local = build (NULL, NULL, "d", "", NULL);
  g_autofree char *spaces = build ("  db.example.com ", NULL, "d", NULL, NULL);

  g_assert_cmpstr (tcp, ==, "postgresql://ann@db.example.com:5433/proj");
  g_assert_cmpstr (plain, ==, "postgresql://db.example.com/proj");
  g_assert_cmpstr (socket, ==, "postgresql:///limner?host=/tmp/a%20b&user=ann");
  g_assert_cmpstr (ipv6, ==, "postgresql://[::1]:5432/d");
  g_assert_cmpstr (bracketed, ==, "postgresql://[::1]/d");
  g_assert_cmpstr (local, ==, "postgresql:///d");
  g_assert_cmpstr (spaces, ==, "postgresql://db.example.com/d");
}

/* Whatever the fields hold, libpq reads back exactly those fields. */
static void
test_round_trip (void)
{
  static const char *const nasty[] = {
    "plain", "with space", "a@b", "a:b", "a/b", "a?b&c=d", "a#b", "a%20b", "ünïcødé", "'quote\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      const char *hosts[] = { "db.example.com", "/run/post gresql", NULL };

      for (guint h = 0; h < G_N_ELEMENTS (hosts); h++)
        {
          LimnerPgUriParts in = { (char *) hosts[h], (char *) "6000", (char *) nasty[i],
                                  (char *) nasty[G_N_ELEMENTS (nasty) - 1 - i],
                                  (char *) nasty[(i + 3) % G_N_ELEMENTS (nasty)], NULL };
          LimnerPgUriParts out = { 0 };
          g_autoptr(GError) error = NULL;
          g_autofree char *uri = limner_pg_uri_build (&in, &error);

          g_assert_no_error (error);
          g_assert_true (limner_pg_is_uri (uri));
          g_assert_true (limner_pg_uri_parse (uri, &out, &error));
          g_assert_no_error (error);
          g_assert_cmpstr (out.host, ==, in.host);
          g_assert_cmpstr (out.port, ==, in.port);
          g_assert_cmpstr (out.dbname, ==, in.dbname);
          g_assert_cmpstr (out.user, ==, in.user);
          g_assert_cmpstr (out.password, ==, in.password);
          g_assert_cmpuint (g_strv_length (out.options), ==, 0);
          limner_pg_uri_parts_clear (&out);
        }
    }
}

static void
test_parse (void)
{
  LimnerPgUriParts parts = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;

  g_assert_true (limner_pg_uri_parse ("postgres://bob:s3cret@[::1]:5433/team%20db"
                                      "?sslmode=require&application_name=x", &parts, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parts.host, ==, "::1");
  g_assert_cmpstr (parts.port, ==, "5433");
  g_assert_cmpstr (parts.dbname, ==, "team db");
  g_assert_cmpstr (parts.user, ==, "bob");
  g_assert_cmpstr (parts.password, ==, "s3cret");
  /* Options the dialog does not show are kept as they were. */
  g_assert_cmpuint (g_strv_length (parts.options), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) parts.options, "sslmode=require"));
  g_assert_true (g_strv_contains ((const char * const *) parts.options, "application_name=x"));
  again = limner_pg_uri_build (&parts, &error);
  g_assert_no_error (error);
  limner_pg_uri_parts_clear (&parts);
  g_assert_true (limner_pg_uri_parse (again, &parts, &error));
  g_assert_cmpstr (parts.host, ==, "::1");
  g_assert_cmpstr (parts.password, ==, "s3cret");
  g_assert_cmpuint (g_strv_length (parts.options), ==, 2);
  limner_pg_uri_parts_clear (&parts);
  g_assert_null (parts.options);
}

static void
expect_build_error (const char *host,
                    const char *port,
                    const char *dbname,
                    const char *named)
{
  LimnerPgUriParts parts = { (char *) host, (char *) port, (char *) dbname, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = limner_pg_uri_build (&parts, &error);

  g_assert_null (uri);
  g_assert_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID);
  if (strstr (error->message, named) == NULL)
    g_error ("“%s” does not name “%s”", error->message, named);
}

static void
test_build_errors (void)
{
  expect_build_error ("h", NULL, NULL, "database");
  expect_build_error ("h", NULL, "", "database");
  expect_build_error ("h", "abc", "d", "“abc”");
  expect_build_error ("h", "0", "d", "“0”");
  expect_build_error ("h", "65536", "d", "“65536”");
  expect_build_error ("h", "-1", "d", "“-1”");
  expect_build_error ("my host", NULL, "d", "“my host”");
  expect_build_error ("h1,h2", NULL, "d", "“h1,h2”");
  expect_build_error ("user@host", NULL, "d", "“user@host”");
  expect_build_error ("   ", NULL, "d", "server name");
}

static void
expect_parse_error (const char *uri,
                    const char *named)
{
  LimnerPgUriParts parts = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (limner_pg_uri_parse (uri, &parts, &error));
  g_assert_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID);
  if (strstr (error->message, named) == NULL)
    g_error ("“%s” does not name “%s”", error->message, named);
  /* The address may hold a password: errors never repeat it. */
  g_assert_null (strstr (error->message, "s3cret"));
  g_assert_null (parts.dbname);
}

static void
test_parse_errors (void)
{
  expect_parse_error ("dbname=x host=y", "postgresql://");
  expect_parse_error ("/home/ann/project", "postgresql://");
  expect_parse_error ("postgresql://u:s3cret@h/d?bogus=1", "bogus");
  expect_parse_error ("postgresql://u:s3cret@h:99999/d", "“99999”");
  expect_parse_error ("postgresql://u:s3cret@h1,h2/d", "“h1,h2”");
}

static void
test_strip_password (void)
{
  struct {
    const char *uri;
    const char *stripped;
  } cases[] = {
    { "postgresql://u:s3cret@h/d", "postgresql://u@h/d" },
    { "postgresql://u@h/d?password=s3cret&sslmode=require", "postgresql://u@h/d?sslmode=require" },
    { "postgres://h:5433/d", "postgresql://h:5433/d" },
    { "postgresql:///d?host=/tmp/s&user=u&password=s3cret", "postgresql:///d?host=/tmp/s&user=u" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *stripped = limner_pg_uri_strip_password (cases[i].uri);

      g_assert_cmpstr (stripped, ==, cases[i].stripped);
    }
  g_assert_null (limner_pg_uri_strip_password ("postgresql://h/d?bogus=s3cret"));
  g_assert_null (limner_pg_uri_strip_password ("/home/ann/project"));

  {
    g_autofree char *with = limner_pg_uri_with_password ("postgresql://u:old@h/d", "n&w p");
    LimnerPgUriParts parts = { 0 };

    g_assert_true (limner_pg_uri_parse (with, &parts, NULL));
    g_assert_cmpstr (parts.password, ==, "n&w p");
    g_assert_cmpstr (parts.user, ==, "u");
    limner_pg_uri_parts_clear (&parts);
  }
}

static void
test_describe (void)
{
  struct {
    const char *uri;
    const char *text;
  } cases[] = {
    { "postgresql://u:s3cret@db.example.com:5433/proj", "database “proj” on db.example.com:5433" },
    { "postgresql://db.example.com/proj", "database “proj” on db.example.com" },
    { "postgresql:///limner?host=/tmp/sock&user=ann", "database “limner” on this computer" },
    { "postgresql://[::1]:6000/d", "database “d” on [::1]:6000" },
    /* libpq's default database: the user's name. */
    { "postgresql://ann@h", "database “ann” on h" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = limner_pg_uri_describe (cases[i].uri);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  {
    g_autofree char *tcp = limner_pg_uri_dup_server ("postgresql://u:s3cret@db.example.com:5433/proj");
    g_autofree char *ipv6 = limner_pg_uri_dup_server ("postgresql://[::1]/proj");
    g_autofree char *socket = limner_pg_uri_dup_server ("postgresql:///d?host=/tmp/sock");
    g_autofree char *local = limner_pg_uri_dup_server ("postgresql:///d");

    g_assert_cmpstr (tcp, ==, "db.example.com:5433");
    g_assert_cmpstr (ipv6, ==, "::1");
    g_assert_null (socket);
    g_assert_null (local);
  }
  {
    g_autofree char *name = limner_pg_uri_dup_dbname ("postgresql://h/team%20db?sslmode=disable");

    g_assert_cmpstr (name, ==, "team db");
  }
}

/* A server that is not there answers nothing, at once on a socket. (A
 * server that is there: tests/test-pg-gui.c.) */
static void
test_ping (void)
{
  g_autofree char *dir = g_dir_make_tmp ("limner-ping-XXXXXX", NULL);
  g_autofree char *uri = g_strdup_printf ("postgresql:///d?host=%s", dir);

  g_assert_cmpint (limner_pg_uri_ping (uri), ==, LIMNER_PG_PING_NO_RESPONSE);
  g_assert_cmpint (limner_pg_uri_ping ("postgresql://h/d?bogus=1"), ==, LIMNER_PG_PING_INVALID);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/pg-uri/build", test_build);
  g_test_add_func ("/core/pg-uri/round-trip", test_round_trip);
  g_test_add_func ("/core/pg-uri/parse", test_parse);
  g_test_add_func ("/core/pg-uri/build-errors", test_build_errors);
  g_test_add_func ("/core/pg-uri/parse-errors", test_parse_errors);
  g_test_add_func ("/core/pg-uri/strip-password", test_strip_password);
  g_test_add_func ("/core/pg-uri/describe", test_describe);
  g_test_add_func ("/core/pg-uri/ping", test_ping);

  return g_test_run ();
}
