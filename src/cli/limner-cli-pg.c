/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-pg.c: init and users on a team project in PostgreSQL, and
 * migrate from a local project to one. The connected role is the user, so
 * --user has no meaning here. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "limner-cli.h"
#include "limner-pg-migrate.h"
#include "limner-pg.h"

/* Below this many rows a migration takes a few seconds: no progress shown. */
#define MIGRATE_PROGRESS_ROWS 100000

static gboolean
refuse_user_option (LimnerCliContext *ctx, int *status)
{
  if (ctx->user == NULL)
    return FALSE;
  *status = limner_cli_usage (ctx, _("--user does not apply to a PostgreSQL project: "
                                     "the role named in the URI is the user"));
  return TRUE;
}

int
limner_cli_pg_init (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerPg) pg = NULL;
  g_autofree char *name = NULL;
  int status;

  if (refuse_user_option (ctx, &status))
    return status;

  pg = limner_pg_create (limner_cli_arg (ctx, 0), limner_cli_opt (ctx, "--name"), &error);
  if (pg == NULL)
    return limner_cli_fail (error);

  name = limner_pg_dup_name (pg);
  if (ctx->json)
    limner_cli_print_json (json_pack ("{s:s, s:s, s:s, s:i}",
                                      "project", limner_pg_get_description (pg),
                                      "name", name,
                                      "lead", limner_pg_get_login (pg),
                                      "schema", limner_pg_get_schema_version (pg)));
  else
    printf (_("Created the project %s in %s; %s is its lead.\n"),
            name, limner_pg_get_description (pg), limner_pg_get_login (pg));
  return LIMNER_CLI_OK;
}

int
limner_cli_pg_users (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerPg) pg = NULL;
  g_autoptr(GPtrArray) users = NULL;
  const char *login = limner_cli_arg (ctx, 2);
  LimnerRole roles = LIMNER_ROLE_NONE;
  int status;

  if (refuse_user_option (ctx, &status))
    return status;
  if (login != NULL && !limner_role_from_string (limner_cli_opt (ctx, "--role"), &roles, &error))
    return limner_cli_usage (ctx, "%s", error->message);

  pg = limner_pg_open (limner_cli_arg (ctx, 0), &error);
  if (pg == NULL)
    return limner_cli_fail (error);

  if (login != NULL)
    {
      if (!limner_pg_set_user_roles (pg, login, roles, &error))
        return limner_cli_fail (error);
      if (!ctx->json)
        {
          g_autofree char *r = limner_role_to_string (roles);
          printf (_("%s now has the roles: %s.\n"), login, *r ? r : _("none"));
          return LIMNER_CLI_OK;
        }
    }

  users = limner_pg_list_users (pg, &error);
  if (users == NULL)
    return limner_cli_fail (error);
  if (ctx->json)
    {
      limner_cli_print_json (limner_cli_users_to_json (users));
      return LIMNER_CLI_OK;
    }
  for (guint i = 0; i < users->len; i++)
    {
      LimnerUser *u = users->pdata[i];
      g_autofree char *r = limner_role_to_string (u->roles);
      printf ("%-20s %s\n", u->login, r);
    }
  return LIMNER_CLI_OK;
}

typedef struct {
  gint64      last_us;
  gint64      last_done;
  const char *last_step;
} MigrateProgress;

/* A line a second at most, and one at the end of the copy and of the
 * check, on a project big enough to take a while. */
static void
migrate_progress (const char *step,
                  const char *table,
                  gint64      done,
                  gint64      total,
                  gpointer    user_data)
{
  MigrateProgress *p = user_data;
  gint64 now = g_get_monotonic_time ();
  gboolean seen = p->last_step != NULL && g_str_equal (p->last_step, step) && p->last_done == done;

  if (total < MIGRATE_PROGRESS_ROWS || seen || (now - p->last_us < G_USEC_PER_SEC && done < total))
    return;
  p->last_us = now;
  p->last_done = done;
  p->last_step = g_str_equal (step, "copy") ? "copy" : "verify";
  if (g_str_equal (step, "copy"))
    g_printerr (_("Copying: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows (%s)\n"),
                done, total, table);
  else
    g_printerr (_("Checking: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows read back (%s)\n"),
                done, total, table);
}

static json_t *
roles_json (LimnerRole roles)
{
  g_autofree char *text = limner_role_to_string (roles);
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  json_t *array = json_array ();

  for (guint j = 0; parts[j] != NULL; j++)
    if (*parts[j] != '\0')
      json_array_append_new (array, json_string (parts[j]));
  return array;
}

static void
print_migrate_json (LimnerPgMigrateResult *r, gboolean same)
{
  json_t *tables = json_array ();
  json_t *pending = json_array ();

  for (guint i = 0; i < r->tables->len; i++)
    {
      LimnerPgMigrateTable *t = r->tables->pdata[i];

      json_array_append_new (tables, json_pack ("{s:s, s:I, s:I, s:s?, s:s?, s:b}",
                                                "table", t->name,
                                                "sqlite_rows", (json_int_t) t->sqlite_rows,
                                                "server_rows", (json_int_t) t->pg_rows,
                                                "sqlite_sha256", t->sqlite_sha256,
                                                "server_sha256", t->pg_sha256,
                                                "same", t->sqlite_rows == t->pg_rows
                                                        && g_strcmp0 (t->sqlite_sha256, t->pg_sha256) == 0));
    }
  for (guint i = 0; i < r->users_pending->len; i++)
    {
      LimnerPgPendingUser *u = r->users_pending->pdata[i];

      json_array_append_new (pending, json_pack ("{s:s, s:o, s:s}", "login", u->login,
                                                 "roles", roles_json (u->roles), "reason", u->reason));
    }
  limner_cli_print_json (json_pack ("{s:s, s:s, s:s, s:b, s:I, s:f, s:o, s:o, s:o}",
                                    "project", r->project,
                                    "database", r->database,
                                    "lead", r->lead,
                                    "migrated", same,
                                    "rows", (json_int_t) r->n_rows,
                                    "seconds", r->seconds,
                                    "tables", tables,
                                    "users", limner_cli_users_to_json (r->users_ready),
                                    "pending_users", pending));
}

static void
print_migrate_text (LimnerPgMigrateResult *r, gboolean same)
{
  printf ("%-22s %12s %12s  %-64s\n", _("Table"), _("SQLite rows"), _("Server rows"), _("SHA-256"));
  for (guint i = 0; i < r->tables->len; i++)
    {
      LimnerPgMigrateTable *t = r->tables->pdata[i];
      gboolean t_same = t->sqlite_rows == t->pg_rows && g_strcmp0 (t->sqlite_sha256, t->pg_sha256) == 0;

      printf ("%-22s %12" G_GINT64_FORMAT " %12" G_GINT64_FORMAT "  %-64s  %s\n", t->name,
              t->sqlite_rows, t->pg_rows, t->sqlite_sha256 ? t->sqlite_sha256 : "-",
              t_same ? _("same") : _("DIFFERS"));
      if (!t_same)
        printf ("%-22s %12s %12s  %-64s  %s\n", "", "", "", t->pg_sha256 ? t->pg_sha256 : "-",
                _("(on the server)"));
    }
  if (!same)
    return;
  printf (_("Migrated %" G_GINT64_FORMAT " rows in %u tables from %s into %s in %.2f s; %s is its lead.\n"),
          r->n_rows, r->tables->len, r->project, r->database, r->seconds, r->lead);
  if (r->users_ready->len > 0)
    {
      printf ("%s\n", _("These users log in as PostgreSQL roles of the same name, with their Limner roles:"));
      for (guint i = 0; i < r->users_ready->len; i++)
        {
          LimnerUser *u = r->users_ready->pdata[i];
          g_autofree char *roles = limner_role_to_string (u->roles);

          printf ("  %-20s %s\n", u->login, roles);
        }
    }
  if (r->users_pending->len > 0)
    {
      /* Not the URI itself: it may hold a password. */
      printf ("%s\n", _("These users still need “limner-cli users URI add LOGIN --role ROLE” by a "
                         "lead who may create roles:"));
      for (guint i = 0; i < r->users_pending->len; i++)
        {
          LimnerPgPendingUser *u = r->users_pending->pdata[i];
          g_autofree char *roles = limner_role_to_string (u->roles);

          printf ("  %-20s %-28s %s\n", u->login, roles, u->reason);
        }
    }
}

int
limner_cli_pg_migrate (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerPgMigrateResult) result = NULL;
  const char *project = limner_cli_arg (ctx, 0);
  const char *uri = limner_cli_arg (ctx, 1);
  MigrateProgress progress = { 0 };
  gboolean ok;
  int status;

  if (refuse_user_option (ctx, &status))
    return status;
  if (limner_pg_is_uri (project))
    return limner_cli_usage (ctx, _("migrate copies a local project: give its folder first, then "
                                    "the postgresql:// URI of the empty database"));
  if (!limner_pg_is_uri (uri))
    return limner_cli_usage (ctx, _("“%s” is not a postgresql:// or postgres:// URI"), uri);

  ok = limner_pg_migrate (project, uri, migrate_progress, &progress, &result, &error);
  /* The images stay where they are: a project without an image root gets
   * its folder as the root, under which its relative paths still name the
   * same files; each workstation maps it to where it mounts that folder. */
  if (ok)
    {
      g_autoptr(LimnerStore) store = limner_store_open (uri, NULL, &error);
      g_autofree char *root = store != NULL ? limner_store_dup_image_root (store) : NULL;

      ok = store != NULL;
      if (ok && root == NULL)
        {
          g_autofree char *folder = g_canonicalize_filename (project, NULL);

          ok = limner_store_set_image_root (store, folder, &error);
          if (ok && !ctx->json)
            printf (_("The image root is %s, the project's folder: on another computer, map it "
                      "to where that folder is mounted (limner-cli settings URI local-image-root DIR).\n"),
                    folder);
        }
    }
  if (result != NULL)
    {
      if (ctx->json)
        print_migrate_json (result, ok);
      else
        print_migrate_text (result, ok);
    }
  if (!ok)
    return limner_cli_fail (error);
  return LIMNER_CLI_OK;
}
