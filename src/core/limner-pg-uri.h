/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg-uri.h: the address of a team project (a libpq postgresql:// URI)
 * taken apart and put together, for the GUI's connect dialog, its recent
 * projects and its titles. Passwords are never part of what is shown or
 * remembered: limner_pg_uri_strip_password() takes them out. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *host;     /* NULL: libpq's default (the local socket); "/dir": a socket folder */
  char  *port;     /* NULL: libpq's default (5432) */
  char  *dbname;   /* NULL: libpq's default (the user's name) */
  char  *user;     /* NULL: the operating system login */
  char  *password; /* NULL: ~/.pgpass or PGPASSWORD */
  GStrv  options;  /* every other parameter, "key=value", as given (sslmode...) */
} LimnerPgUriParts;

void      limner_pg_uri_parts_clear (LimnerPgUriParts *parts);

/* Takes a postgresql:// (or postgres://) URI apart. Fails with
 * LIMNER_PG_ERROR_INVALID naming what is wrong (the URI itself is not
 * repeated: it may hold a password). */
gboolean  limner_pg_uri_parse       (const char        *uri,
                                     LimnerPgUriParts  *parts,
                                     GError           **error);
/* Puts a URI together from `parts` (empty strings count as unset), the
 * password included when there is one. Fails with LIMNER_PG_ERROR_INVALID
 * naming the field: no database, a port that is not 1 to 65535, a host
 * name with spaces or several hosts. */
char     *limner_pg_uri_build       (const LimnerPgUriParts  *parts,
                                     GError                 **error);
/* The same URI without its password (as user:password@ or ?password=), in
 * the form limner_pg_uri_build() gives, so that two spellings of one
 * address compare equal. NULL if `uri` is not a valid URI. */
char     *limner_pg_uri_strip_password (const char *uri);
/* `uri` with `password` as its password (replacing any); NULL if `uri` is
 * not a valid URI. */
char     *limner_pg_uri_with_password  (const char *uri,
                                        const char *password);
/* "database “db” on host:port" or "database “db” on this computer", for
 * titles; never holds the password. */
char     *limner_pg_uri_describe    (const char *uri);
/* The server as a person would name it: "db.example.com:5433", or NULL for
 * this computer (a socket, or libpq's default). */
char     *limner_pg_uri_dup_server  (const char *uri);
/* The database's name (libpq's default when the URI names none), for a
 * title when the project itself has none. */
char     *limner_pg_uri_dup_dbname  (const char *uri);

typedef enum {
  LIMNER_PG_PING_OK,          /* the server answers (a login may still fail) */
  LIMNER_PG_PING_REJECT,      /* it answers but takes no connections (starting, stopping) */
  LIMNER_PG_PING_NO_RESPONSE, /* nothing answers at that address */
  LIMNER_PG_PING_INVALID,     /* the address itself is wrong */
} LimnerPgPing;

/* Whether a server answers at `uri`, without logging in (PQping). Blocks
 * up to the connect timeout: call it on a worker. */
LimnerPgPing limner_pg_uri_ping     (const char *uri);

G_END_DECLS
