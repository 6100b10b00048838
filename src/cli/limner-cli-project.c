/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-project.c: init, info, labels and users. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "limner-cli.h"
#include "limner-pg.h"

int
limner_cli_cmd_init (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  const char *dir = limner_cli_arg (ctx, 0);

  if (limner_pg_is_uri (dir))
    return limner_cli_pg_init (ctx);
  store = limner_store_create (dir, limner_cli_opt (ctx, "--name"), ctx->user, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  if (ctx->json)
    {
      g_autofree char *name = limner_store_dup_name (store);
      limner_cli_print_json (json_pack ("{s:s, s:s, s:s, s:i}",
                                        "project", limner_store_get_dir (store),
                                        "name", name,
                                        "lead", limner_store_get_login (store),
                                        "schema", limner_store_get_schema_version (store)));
    }
  else
    printf (_("Created the project %s; %s is its lead.\n"),
            limner_store_get_dir (store), limner_store_get_login (store));
  return LIMNER_CLI_OK;
}

/* The status names people read; --json keeps limner_image_status_to_string(). */
static const char *
status_title (LimnerImageStatus status)
{
  switch (status)
    {
    case LIMNER_IMAGE_NEW:
      return _("New");
    case LIMNER_IMAGE_IN_PROGRESS:
      return _("In Progress");
    case LIMNER_IMAGE_SUBMITTED:
      return _("Submitted");
    case LIMNER_IMAGE_IN_REVIEW:
      return _("In Review");
    case LIMNER_IMAGE_ACCEPTED:
      return _("Accepted");
    case LIMNER_IMAGE_REJECTED:
      return _("Rejected");
    case LIMNER_IMAGE_N_STATUS:
    default:
      break;
    }
  return limner_image_status_to_string (status);
}

static json_t *
labels_to_json (GPtrArray *labels, LimnerStore *store)
{
  json_t *array = json_array ();

  for (guint i = 0; i < labels->len; i++)
    {
      LimnerLabel *l = labels->pdata[i];
      json_t *obj = json_pack ("{s:I, s:s, s:s, s:i, s:I}",
                               "id", (json_int_t) l->id,
                               "name", l->name,
                               "color", l->color,
                               "position", l->position,
                               "shapes", (json_int_t) limner_store_count_label_shapes (store, l->id));

      json_object_set_new (obj, "hotkey", l->hotkey ? json_string (l->hotkey) : json_null ());
      json_object_set_new (obj, "guide", l->guide ? json_string (l->guide) : json_null ());
      json_array_append_new (array, obj);
    }
  return array;
}

json_t *
limner_cli_users_to_json (GPtrArray *users)
{
  json_t *array = json_array ();

  for (guint i = 0; i < users->len; i++)
    {
      LimnerUser *u = users->pdata[i];
      g_autofree char *roles = limner_role_to_string (u->roles);
      g_auto(GStrv) parts = g_strsplit (roles, ",", -1);
      json_t *role_array = json_array ();

      for (guint j = 0; parts[j] != NULL; j++)
        if (*parts[j] != '\0')
          json_array_append_new (role_array, json_string (parts[j]));
      json_array_append_new (array, json_pack ("{s:s, s:o}", "login", u->login, "roles", role_array));
    }
  return array;
}

int
limner_cli_cmd_info (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *name = NULL;
  json_t *by_status;
  json_t *qc;
  int qc_status;
  gint64 total, shapes;

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  labels = limner_store_list_labels (store, &error);
  if (labels != NULL)
    users = limner_store_list_users (store, &error);
  if (users != NULL)
    versions = limner_store_list_versions (store, &error);
  if (versions == NULL)
    return limner_cli_fail (error);

  name = limner_store_dup_name (store);
  total = limner_store_count_images (store, -1);
  shapes = limner_store_count_shapes (store);
  by_status = json_object ();
  for (int s = 0; s < LIMNER_IMAGE_N_STATUS; s++)
    json_object_set_new (by_status, limner_image_status_to_string (s),
                         json_integer (limner_store_count_images (store, s)));

  qc = limner_cli_qc_json (ctx, store, &qc_status);
  if (qc == NULL)
    {
      json_decref (by_status);
      return qc_status;
    }
  if (ctx->json)
    {
      limner_cli_print_json (json_pack ("{s:s, s:s, s:i, s:{s:I, s:o}, s:I, s:o, s:o, s:I, s:o}",
                                        "project", limner_store_get_dir (store),
                                        "name", name,
                                        "schema", limner_store_get_schema_version (store),
                                        "images", "total", (json_int_t) total, "by_status", by_status,
                                        "shapes", (json_int_t) shapes,
                                        "labels", labels_to_json (labels, store),
                                        "users", limner_cli_users_to_json (users),
                                        "versions", (json_int_t) versions->len,
                                        "qc", qc));
      return LIMNER_CLI_OK;
    }

  printf ("%s (%s)\n", name, limner_store_get_dir (store));
  printf (_("Images: %" PRId64 "\n"), total);
  for (int s = 0; s < LIMNER_IMAGE_N_STATUS; s++)
    {
      json_int_t n = json_integer_value (json_object_get (by_status, limner_image_status_to_string (s)));
      if (n > 0)
        {
          const char *title = status_title (s);
          int width = 0;

          /* Pad by screen columns, not bytes, so that translated names line up. */
          for (const char *c = title; *c != '\0'; c = g_utf8_next_char (c))
            width += g_unichar_iswide (g_utf8_get_char (c)) ? 2 : 1;
          printf ("  %s%*s %" JSON_INTEGER_FORMAT "\n", title, MAX (0, 12 - width), "", n);
        }
    }
  printf (_("Shapes: %" PRId64 "\n"), shapes);
  printf (_("Labels: %u\n"), labels->len);
  for (guint i = 0; i < labels->len; i++)
    printf ("  %s\n", ((LimnerLabel *) labels->pdata[i])->name);
  printf (_("Users: %u\n"), users->len);
  printf (_("Versions: %u\n"), versions->len);
  printf (_("Review: %" JSON_INTEGER_FORMAT " waiting, %" JSON_INTEGER_FORMAT " accepted, %"
            JSON_INTEGER_FORMAT " rejected, %" JSON_INTEGER_FORMAT " fixed\n"),
          json_integer_value (json_object_get (qc, "waiting")),
          json_integer_value (json_object_get (qc, "accepted")),
          json_integer_value (json_object_get (qc, "rejected")),
          json_integer_value (json_object_get (qc, "fixed")));
  json_decref (qc);
  json_decref (by_status);
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_labels (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  const char *verb = limner_cli_arg (ctx, 1);

  if (verb != NULL && !g_str_equal (verb, "add"))
    return limner_cli_usage (ctx, _("unknown subcommand “%s”"), verb);
  if (verb != NULL && limner_cli_arg (ctx, 2) == NULL)
    return limner_cli_usage (ctx, _("“labels add” needs a NAME"));
  if (verb == NULL && (limner_cli_opt (ctx, "--color") || limner_cli_opt (ctx, "--hotkey")
                       || limner_cli_opt (ctx, "--guide")))
    return limner_cli_usage (ctx, _("--color, --hotkey and --guide go with “labels add”"));

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  if (verb != NULL)
    {
      const char *name = limner_cli_arg (ctx, 2);
      gint64 id = limner_store_add_label (store, name,
                                          limner_cli_opt (ctx, "--color"),
                                          limner_cli_opt (ctx, "--hotkey"),
                                          limner_cli_opt (ctx, "--guide"),
                                          &error);
      if (id == 0)
        return limner_cli_fail (error);
      if (!ctx->json)
        {
          printf (_("Added the label %s.\n"), name);
          return LIMNER_CLI_OK;
        }
    }

  labels = limner_store_list_labels (store, &error);
  if (labels == NULL)
    return limner_cli_fail (error);
  if (ctx->json)
    {
      limner_cli_print_json (labels_to_json (labels, store));
      return LIMNER_CLI_OK;
    }
  for (guint i = 0; i < labels->len; i++)
    {
      LimnerLabel *l = labels->pdata[i];
      printf ("%-3s %s  %s%s%s\n", l->hotkey ? l->hotkey : "-", l->color, l->name,
              l->guide ? " — " : "", l->guide ? l->guide : "");
    }
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_users (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  const char *verb = limner_cli_arg (ctx, 1);

  if (verb != NULL && !g_str_equal (verb, "add"))
    return limner_cli_usage (ctx, _("unknown subcommand “%s”"), verb);
  if (verb != NULL && (limner_cli_arg (ctx, 2) == NULL || limner_cli_opt (ctx, "--role") == NULL))
    return limner_cli_usage (ctx, _("“users add” needs a LOGIN and --role"));
  if (limner_pg_is_uri (limner_cli_arg (ctx, 0)))
    return limner_cli_pg_users (ctx);

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  if (verb != NULL)
    {
      const char *login = limner_cli_arg (ctx, 2);
      LimnerRole roles;

      if (!limner_role_from_string (limner_cli_opt (ctx, "--role"), &roles, &error))
        return limner_cli_usage (ctx, "%s", error->message);
      if (!limner_store_set_user_roles (store, login, roles, &error))
        return limner_cli_fail (error);
      if (!ctx->json)
        {
          g_autofree char *r = limner_role_to_string (roles);
          printf (_("%s now has the roles: %s.\n"), login, *r ? r : _("none"));
          return LIMNER_CLI_OK;
        }
    }

  users = limner_store_list_users (store, &error);
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
