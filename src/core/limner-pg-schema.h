/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg-schema.h: the team-mode schema for PostgreSQL. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The schema version a PostgreSQL project is at after
 * limner_pg_schema_migration() has been run for every version below it. */
#define LIMNER_PG_SCHEMA_VERSION 2

/* Returns the SQL that brings a project from schema `from` to `from` + 1,
 * with the group roles named by the quoted identifiers `annotator`,
 * `reviewer` and `lead`. Run it in one transaction. */
char *limner_pg_schema_migration (int         from,
                                  const char *annotator,
                                  const char *reviewer,
                                  const char *lead);

G_END_DECLS
