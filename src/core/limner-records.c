/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-records.c: the store's plain records, their copies and string forms. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <math.h>

#include "limner-records.h"

G_DEFINE_QUARK (limner-store-error-quark, limner_store_error)

static const char *const status_names[LIMNER_IMAGE_N_STATUS] = {
  "new", "in_progress", "submitted", "in_review", "accepted", "rejected",
};

void
limner_user_free (LimnerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->login);
  g_free (user);
}

void
limner_label_free (LimnerLabel *label)
{
  if (label == NULL)
    return;
  g_free (label->name);
  g_free (label->color);
  g_free (label->hotkey);
  g_free (label->guide);
  g_free (label);
}

void
limner_image_record_free (LimnerImageRecord *image)
{
  if (image == NULL)
    return;
  g_free (image->path);
  g_free (image->sha256);
  g_free (image->format);
  g_free (image->assignee);
  g_free (image);
}

void
limner_reference_shape_free (LimnerReferenceShape *ref)
{
  if (ref == NULL)
    return;
  g_clear_pointer (&ref->polygon, g_array_unref);
  g_free (ref);
}

void
limner_event_free (LimnerEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->login);
  g_free (event->kind);
  g_free (event->detail);
  g_free (event);
}

void
limner_version_free (LimnerVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->author);
  g_free (version->message);
  g_free (version->policy);
  g_free (version);
}

LimnerShape *
limner_shape_new (LimnerShapeKind kind)
{
  LimnerShape *shape = g_new0 (LimnerShape, 1);

  shape->kind = kind;
  shape->points = g_array_new (FALSE, FALSE, sizeof (double));
  shape->source = LIMNER_SOURCE_MANUAL;
  shape->score = 1.0;
  return shape;
}

LimnerShape *
limner_shape_copy (const LimnerShape *shape)
{
  LimnerShape *copy;

  g_return_val_if_fail (shape != NULL, NULL);

  copy = g_new0 (LimnerShape, 1);
  *copy = *shape;
  copy->points = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                    shape->points ? shape->points->len : 0);
  if (shape->points != NULL)
    g_array_append_vals (copy->points, shape->points->data, shape->points->len);
  copy->author = g_strdup (shape->author);
  return copy;
}

gboolean
limner_shape_same_content (const LimnerShape *a,
                           const LimnerShape *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->id != b->id || a->image_id != b->image_id || a->label_id != b->label_id
      || a->kind != b->kind || a->group_id != b->group_id || a->source != b->source
      || a->score != b->score || (a->points == NULL) != (b->points == NULL))
    return FALSE;
  return a->points == NULL
         || (a->points->len == b->points->len
             && memcmp (a->points->data, b->points->data, a->points->len * sizeof (double)) == 0);
}

void
limner_shape_free (LimnerShape *shape)
{
  if (shape == NULL)
    return;
  g_clear_pointer (&shape->points, g_array_unref);
  g_free (shape->author);
  g_free (shape);
}

const char *
limner_image_status_to_string (LimnerImageStatus status)
{
  g_return_val_if_fail (status < LIMNER_IMAGE_N_STATUS, NULL);
  return status_names[status];
}

gboolean
limner_image_status_from_string (const char *str, LimnerImageStatus *out)
{
  for (guint i = 0; str != NULL && i < LIMNER_IMAGE_N_STATUS; i++)
    if (g_str_equal (str, status_names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
limner_shape_kind_to_string (LimnerShapeKind kind)
{
  return kind == LIMNER_SHAPE_BOX ? "box" : "polygon";
}

gboolean
limner_shape_kind_from_string (const char *str, LimnerShapeKind *out)
{
  if (g_strcmp0 (str, "box") == 0)
    *out = LIMNER_SHAPE_BOX;
  else if (g_strcmp0 (str, "polygon") == 0)
    *out = LIMNER_SHAPE_POLYGON;
  else
    return FALSE;
  return TRUE;
}

const char *
limner_shape_source_to_string (LimnerShapeSource source)
{
  switch (source)
    {
    case LIMNER_SOURCE_IMPORTED:
      return "imported";
    case LIMNER_SOURCE_PREDICTION:
      return "prediction";
    case LIMNER_SOURCE_MANUAL:
    default:
      return "manual";
    }
}

gboolean
limner_shape_source_from_string (const char *str, LimnerShapeSource *out)
{
  if (g_strcmp0 (str, "manual") == 0)
    *out = LIMNER_SOURCE_MANUAL;
  else if (g_strcmp0 (str, "imported") == 0)
    *out = LIMNER_SOURCE_IMPORTED;
  else if (g_strcmp0 (str, "prediction") == 0)
    *out = LIMNER_SOURCE_PREDICTION;
  else
    return FALSE;
  return TRUE;
}

char *
limner_role_to_string (LimnerRole roles)
{
  GString *s = g_string_new (NULL);

  if (roles & LIMNER_ROLE_ANNOTATOR)
    g_string_append (s, "annotator,");
  if (roles & LIMNER_ROLE_REVIEWER)
    g_string_append (s, "reviewer,");
  if (roles & LIMNER_ROLE_LEAD)
    g_string_append (s, "lead,");
  if (s->len > 0)
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

gboolean
limner_role_from_string (const char *str, LimnerRole *out, GError **error)
{
  g_auto(GStrv) parts = NULL;
  LimnerRole roles = LIMNER_ROLE_NONE;

  g_return_val_if_fail (str != NULL, FALSE);

  parts = g_strsplit (str, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (*p == '\0')
        continue;
      if (g_str_equal (p, "annotator"))
        roles |= LIMNER_ROLE_ANNOTATOR;
      else if (g_str_equal (p, "reviewer"))
        roles |= LIMNER_ROLE_REVIEWER;
      else if (g_str_equal (p, "lead"))
        roles |= LIMNER_ROLE_LEAD;
      else
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("“%s” is not a role; the roles are annotator, reviewer and lead"), p);
          return FALSE;
        }
    }
  *out = roles;
  return TRUE;
}

/* Colours for the first labels (GNOME palette). */
static const char *const palette[] = {
  "#e01b24", "#2ec27e", "#3584e4", "#f6d32d", "#9141ac",
  "#ff7800", "#33d17a", "#1c71d8", "#c64600", "#865e3c",
};

char *
limner_label_default_color (guint position)
{
  /* 360° divided by the golden ratio squared: consecutive hues land far
   * apart and no hue ever repeats. */
  const double golden_angle = 137.50776405003785;
  double h, s, v, f, p, q, t, r, g, b;
  int sector;

  if (position < G_N_ELEMENTS (palette))
    return g_strdup (palette[position]);

  h = fmod (position * golden_angle, 360.0) / 60.0;
  s = 0.55 + 0.15 * (position % 3);
  v = 0.95 - 0.15 * ((position / 3) % 3);
  sector = (int) floor (h);
  f = h - sector;
  p = v * (1 - s);
  q = v * (1 - s * f);
  t = v * (1 - s * (1 - f));
  switch (sector % 6)
    {
    case 0: r = v; g = t; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = t; break;
    case 3: r = p; g = q; b = v; break;
    case 4: r = t; g = p; b = v; break;
    default: r = v; g = p; b = q; break;
    }
  return g_strdup_printf ("#%02x%02x%02x",
                          (int) lround (r * 255), (int) lround (g * 255), (int) lround (b * 255));
}
