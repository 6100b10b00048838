/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-pg.c: init and users on a team project in PostgreSQL. The
 * connected role is the user, so --user has no meaning here. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "limner-cli.h"
#include "limner-pg.h"

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
limner_cli_pg_unsupported (LimnerCliContext *ctx)
{
  limner_cli_error (_("“%s” does not work on a PostgreSQL project yet: team mode supports only "
                      "“init” and “users” so far."), ctx->command);
  return LIMNER_CLI_ERROR;
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
