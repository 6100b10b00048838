/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg.h: a team project in a PostgreSQL database, through libpq. */
#pragma once

#include <glib-object.h>
#include <libpq-fe.h>

#include "limner-records.h"

G_BEGIN_DECLS

#define LIMNER_PG_ERROR (limner_pg_error_quark ())

typedef enum {
  LIMNER_PG_ERROR_CONNECT,       /* the server could not be reached or refused the login */
  LIMNER_PG_ERROR_NOT_EMPTY,     /* init on a database that already holds tables */
  LIMNER_PG_ERROR_NOT_A_PROJECT, /* the database holds no Limner project */
  LIMNER_PG_ERROR_NEWER_SCHEMA,  /* written by a newer Limner */
  LIMNER_PG_ERROR_DENIED,        /* the server refused: the role lacks a privilege */
  LIMNER_PG_ERROR_INVALID,       /* a bad login or role name */
  LIMNER_PG_ERROR_FAILED,        /* anything else the server reported */
  LIMNER_PG_ERROR_MISMATCH,      /* a migrated table reads back differently */
} LimnerPgError;

GQuark limner_pg_error_quark (void);

#define LIMNER_TYPE_PG (limner_pg_get_type ())
G_DECLARE_FINAL_TYPE (LimnerPg, limner_pg, LIMNER, PG, GObject)

/* Whether `project` names a PostgreSQL database (a postgresql:// or
 * postgres:// URI) rather than a project folder. */
gboolean    limner_pg_is_uri           (const char *project);

/* Creates a project in the empty database at `uri`; the connected role
 * becomes its lead. The role needs CREATEROLE and the right to create tables
 * in the public schema (as the database's owner has). */
LimnerPg   *limner_pg_create           (const char  *uri,
                                        const char  *name,
                                        GError     **error);
/* Connects to the project at `uri` as the role the URI names. */
LimnerPg   *limner_pg_open             (const char  *uri,
                                        GError     **error);

/* The connection, for the store's driver layer (limner-db-pg.h). */
PGconn     *limner_pg_get_connection   (LimnerPg *self);

/* The connected role, which is the user. */
const char *limner_pg_get_login        (LimnerPg *self);
/* "database “db” on host", for messages; never holds a password. */
const char *limner_pg_get_description  (LimnerPg *self);
int         limner_pg_get_schema_version (LimnerPg *self);
char       *limner_pg_dup_name         (LimnerPg *self);
/* The group role that stands for `role` (exactly one role bit). */
const char *limner_pg_get_group_role   (LimnerPg   *self,
                                        LimnerRole  role);

/* Gives `login` exactly `roles`, creating the login role if it does not
 * exist (which needs CREATEROLE). */
gboolean    limner_pg_set_user_roles   (LimnerPg    *self,
                                        const char  *login,
                                        LimnerRole   roles,
                                        GError     **error);
/* The roles that hold a Limner role, as LimnerUser records sorted by login. */
GPtrArray  *limner_pg_list_users       (LimnerPg    *self,
                                        GError     **error);

G_END_DECLS
