/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg-uri.c: libpq URIs taken apart (PQconninfoParse, so that they
 * mean exactly what they mean to libpq) and put together again. */

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "limner-pg.h"
#include "limner-pg-uri.h"

void
limner_pg_uri_parts_clear (LimnerPgUriParts *parts)
{
  g_return_if_fail (parts != NULL);

  g_clear_pointer (&parts->host, g_free);
  g_clear_pointer (&parts->port, g_free);
  g_clear_pointer (&parts->dbname, g_free);
  g_clear_pointer (&parts->user, g_free);
  if (parts->password != NULL)
    memset (parts->password, 0, strlen (parts->password));
  g_clear_pointer (&parts->password, g_free);
  g_clear_pointer (&parts->options, g_strfreev);
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/* A port as libpq takes it: digits only, 1 to 65535. */
static gboolean
check_port (const char  *port,
            GError     **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("The port must be a number from 1 to 65535, not “%s”."), port);
      return FALSE;
    }
  return TRUE;
}

/* A host name, an IPv4 or IPv6 address (brackets optional), or a socket
 * folder. Several hosts (libpq's "h1,h2") are more than the dialog shows. */
static gboolean
check_host (const char  *host,
            GError     **error)
{
  if (host[0] == '/')
    return TRUE;
  if (strchr (host, ',') != NULL)
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("“%s” names several servers; give one server."), host);
      return FALSE;
    }
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._:[]%", *p) == NULL)
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                       _("“%s” is not a server name: give a host name, an IP address, or a "
                         "socket folder starting with /."), host);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
limner_pg_uri_parse (const char        *uri,
                     LimnerPgUriParts  *parts,
                     GError           **error)
{
  PQconninfoOption *options;
  g_autoptr(GStrvBuilder) extra = NULL;
  char *message = NULL;
  LimnerPgUriParts result = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (parts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!limner_pg_is_uri (uri))
    {
      g_set_error_literal (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                           _("A team project's address starts with postgresql://."));
      return FALSE;
    }
  options = PQconninfoParse (uri, &message);
  if (options == NULL)
    {
      g_autofree char *reason = g_strdup (message ? message : _("unknown error"));

      PQfreemem (message);
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("The address is not a valid PostgreSQL URI: %s"), g_strstrip (reason));
      return FALSE;
    }

  extra = g_strv_builder_new ();
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "host"))
        result.host = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "port"))
        result.port = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "dbname"))
        result.dbname = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "user"))
        result.user = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "password"))
        result.password = g_strdup (o->val);
      else
        {
          g_autofree char *option = g_strdup_printf ("%s=%s", o->keyword, o->val);

          g_strv_builder_add (extra, option);
        }
    }
  PQconninfoFree (options);
  result.options = g_strv_builder_end (extra);

  if (is_set (result.host) && !check_host (result.host, error))
    ok = FALSE;
  else if (is_set (result.port) && !check_port (result.port, error))
    ok = FALSE;
  if (!ok)
    {
      limner_pg_uri_parts_clear (&result);
      return FALSE;
    }

  limner_pg_uri_parts_clear (parts);
  *parts = result;
  return TRUE;
}

static void
append_query (GString    *uri,
              gboolean   *first,
              const char *key,
              const char *value,
              const char *allowed)
{
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped = g_uri_escape_string (value, allowed, FALSE);

  g_string_append_c (uri, *first ? '?' : '&');
  *first = FALSE;
  g_string_append_printf (uri, "%s=%s", escaped_key, escaped);
}

char *
limner_pg_uri_build (const LimnerPgUriParts  *parts,
                     GError                 **error)
{
  g_autoptr(GString) uri = NULL;
  g_autofree char *host = NULL;
  gboolean socket, first = TRUE;

  g_return_val_if_fail (parts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_set (parts->dbname))
    {
      g_set_error_literal (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                           _("Enter the name of the project’s database."));
      return NULL;
    }
  if (is_set (parts->host))
    {
      host = g_strstrip (g_strdup (parts->host));
      if (*host == '\0' || !check_host (host, error))
        {
          if (*host == '\0')
            g_set_error_literal (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                                 _("The server name is only spaces."));
          return NULL;
        }
    }
  if (is_set (parts->port) && !check_port (parts->port, error))
    return NULL;

  socket = host != NULL && host[0] == '/';
  uri = g_string_new ("postgresql://");
  /* A socket folder goes in the query (host=/dir), where it needs no
   * escaping of its slashes; the user goes with it, as "user@" before an
   * empty host reads oddly. */
  if (is_set (parts->user) && !socket)
    {
      g_autofree char *user = g_uri_escape_string (parts->user, NULL, FALSE);

      g_string_append_printf (uri, "%s@", user);
    }
  if (host != NULL && !socket)
    {
      /* An IPv6 address needs brackets, given or not. */
      if (strchr (host, ':') != NULL && host[0] != '[')
        g_string_append_printf (uri, "[%s]", host);
      else
        g_string_append (uri, host);
    }
  if (is_set (parts->port))
    g_string_append_printf (uri, ":%s", parts->port);
  {
    g_autofree char *dbname = g_uri_escape_string (parts->dbname, NULL, FALSE);

    g_string_append_printf (uri, "/%s", dbname);
  }
  if (socket)
    append_query (uri, &first, "host", host, "/");
  if (is_set (parts->user) && socket)
    append_query (uri, &first, "user", parts->user, NULL);
  for (guint i = 0; parts->options != NULL && parts->options[i] != NULL; i++)
    {
      const char *eq = strchr (parts->options[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == parts->options[i])
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                       _("The connection option “%s” is not of the form key=value."), parts->options[i]);
          return NULL;
        }
      key = g_strndup (parts->options[i], eq - parts->options[i]);
      append_query (uri, &first, key, eq + 1, NULL);
    }
  if (is_set (parts->password))
    append_query (uri, &first, "password", parts->password, NULL);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

char *
limner_pg_uri_strip_password (const char *uri)
{
  LimnerPgUriParts parts = { 0 };
  char *stripped;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!limner_pg_uri_parse (uri, &parts, NULL))
    return NULL;
  g_clear_pointer (&parts.password, g_free);
  stripped = limner_pg_uri_build (&parts, NULL);
  limner_pg_uri_parts_clear (&parts);
  return stripped;
}

char *
limner_pg_uri_with_password (const char *uri,
                             const char *password)
{
  LimnerPgUriParts parts = { 0 };
  char *result;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!limner_pg_uri_parse (uri, &parts, NULL))
    return NULL;
  g_free (parts.password);
  parts.password = g_strdup (password);
  result = limner_pg_uri_build (&parts, NULL);
  limner_pg_uri_parts_clear (&parts);
  return result;
}

/* libpq's default database is the one named after the user. */
static const char *
default_dbname (const LimnerPgUriParts *parts)
{
  if (is_set (parts->dbname))
    return parts->dbname;
  if (is_set (parts->user))
    return parts->user;
  return g_get_user_name ();
}

char *
limner_pg_uri_dup_dbname (const char *uri)
{
  LimnerPgUriParts parts = { 0 };
  char *dbname;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!limner_pg_uri_parse (uri, &parts, NULL))
    return NULL;
  dbname = g_strdup (default_dbname (&parts));
  limner_pg_uri_parts_clear (&parts);
  return dbname;
}

static char *
server_of (const LimnerPgUriParts *parts)
{
  if (!is_set (parts->host) || parts->host[0] == '/')
    return NULL;
  if (is_set (parts->port))
    return g_strdup_printf (strchr (parts->host, ':') ? "[%s]:%s" : "%s:%s", parts->host, parts->port);
  return g_strdup (parts->host);
}

char *
limner_pg_uri_dup_server (const char *uri)
{
  LimnerPgUriParts parts = { 0 };
  char *server;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!limner_pg_uri_parse (uri, &parts, NULL))
    return NULL;
  server = server_of (&parts);
  limner_pg_uri_parts_clear (&parts);
  return server;
}

char *
limner_pg_uri_describe (const char *uri)
{
  LimnerPgUriParts parts = { 0 };
  g_autofree char *where = NULL;
  char *text;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!limner_pg_uri_parse (uri, &parts, NULL))
    return g_strdup (_("a PostgreSQL database"));
  where = server_of (&parts);
  if (where == NULL)
    where = g_strdup (_("this computer"));
  /* Translators: the first %s is a database's name, the second a server ("db.example.com:5433") */
  text = g_strdup_printf (_("database “%s” on %s"), default_dbname (&parts), where);
  limner_pg_uri_parts_clear (&parts);
  return text;
}

LimnerPgPing
limner_pg_uri_ping (const char *uri)
{
  g_return_val_if_fail (uri != NULL, LIMNER_PG_PING_INVALID);

  switch (PQping (uri))
    {
    case PQPING_OK:
      return LIMNER_PG_PING_OK;
    case PQPING_REJECT:
      return LIMNER_PG_PING_REJECT;
    case PQPING_NO_RESPONSE:
      return LIMNER_PG_PING_NO_RESPONSE;
    case PQPING_NO_ATTEMPT:
    default:
      return LIMNER_PG_PING_INVALID;
    }
}
