/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-version-diff.c: images, shapes and label counts between two versions. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "limner-version-diff.h"

static void
image_diff_free (LimnerImageDiff *d)
{
  g_free (d->path);
  g_free (d->old_path);
  g_free (d);
}

static void
shape_diff_free (LimnerShapeDiff *d)
{
  g_free (d->path);
  g_free (d->label);
  g_free (d->old_label);
  g_free (d);
}

static void
label_diff_free (LimnerLabelDiff *d)
{
  g_free (d->name);
  g_free (d->old_name);
  g_free (d);
}

void
limner_version_diff_free (LimnerVersionDiff *diff)
{
  if (diff == NULL)
    return;
  g_clear_pointer (&diff->images, g_ptr_array_unref);
  g_clear_pointer (&diff->shapes, g_ptr_array_unref);
  g_clear_pointer (&diff->labels, g_ptr_array_unref);
  g_free (diff);
}

const char *
limner_diff_change_to_string (LimnerDiffChange change)
{
  switch (change)
    {
    case LIMNER_DIFF_ADDED:
      return "added";
    case LIMNER_DIFF_REMOVED:
      return "removed";
    case LIMNER_DIFF_CHANGED:
      return "changed";
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
fields_to_string (guint fields, const char * const *names, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (fields & (1u << i))
      {
        if (s->len > 0)
          g_string_append (s, ", ");
        g_string_append (s, names[i]);
      }
  return g_string_free (s, FALSE);
}

char *
limner_diff_image_fields_to_string (guint fields)
{
  static const char * const names[] = { "file", "path", "status", "shapes" };
  return fields_to_string (fields, names, G_N_ELEMENTS (names));
}

char *
limner_diff_shape_fields_to_string (guint fields)
{
  static const char * const names[] = { "label", "kind", "points", "group" };
  return fields_to_string (fields, names, G_N_ELEMENTS (names));
}

typedef struct {
  LimnerVersionDiff *diff;
  LimnerDataset     *a;
  LimnerDataset     *b;
  GHashTable        *labels; /* gint64* label_id -> LimnerLabelDiff* (in diff->labels) */
} DiffState;

static LimnerLabelDiff *
label_stats (DiffState *st, gint64 label_id)
{
  LimnerLabelDiff *d = g_hash_table_lookup (st->labels, &label_id);

  if (d == NULL)
    {
      /* Shapes without a label, or with a label neither schema has. */
      d = g_new0 (LimnerLabelDiff, 1);
      d->label_id = label_id;
      g_ptr_array_add (st->diff->labels, d);
      g_hash_table_insert (st->labels, &d->label_id, d);
    }
  return d;
}

static char *
label_name (LimnerDataset *ds, gint64 label_id)
{
  const LimnerLabel *label = limner_dataset_find_label (ds, label_id);
  return label ? g_strdup (label->name) : NULL;
}

static void
init_labels (DiffState *st)
{
  GPtrArray *la = limner_dataset_get_labels (st->a);
  GPtrArray *lb = limner_dataset_get_labels (st->b);

  for (guint i = 0; i < lb->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (lb, i);
      LimnerLabelDiff *d = label_stats (st, label->id);
      const LimnerLabel *old = limner_dataset_find_label (st->a, label->id);

      d->name = g_strdup (label->name);
      d->in_b = TRUE;
      d->in_a = old != NULL;
      if (old != NULL && g_strcmp0 (old->name, label->name) != 0)
        d->old_name = g_strdup (old->name);
    }
  for (guint i = 0; i < la->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (la, i);
      LimnerLabelDiff *d;

      if (limner_dataset_find_label (st->b, label->id) != NULL)
        continue;
      d = label_stats (st, label->id);
      d->name = g_strdup (label->name);
      d->in_a = TRUE;
    }
}

static gboolean
same_points (const GArray *p, const GArray *q)
{
  if (p->len != q->len)
    return FALSE;
  for (guint i = 0; i < p->len; i++)
    if (g_array_index (p, double, i) != g_array_index (q, double, i))
      return FALSE;
  return TRUE;
}

static guint
compare_shape (const LimnerShape *sa, const LimnerShape *sb)
{
  guint fields = 0;

  if (sa->label_id != sb->label_id)
    fields |= LIMNER_DIFF_SHAPE_LABEL;
  if (sa->kind != sb->kind)
    fields |= LIMNER_DIFF_SHAPE_KIND;
  if (!same_points (sa->points, sb->points))
    fields |= LIMNER_DIFF_SHAPE_POINTS;
  if (sa->group_id != sb->group_id)
    fields |= LIMNER_DIFF_SHAPE_GROUP;
  return fields;
}

static void
add_shape_diff (DiffState          *st,
                LimnerImageDiff    *img,
                LimnerDiffChange    change,
                const LimnerShape  *sa,
                const LimnerShape  *sb,
                guint               fields)
{
  LimnerShapeDiff *d = g_new0 (LimnerShapeDiff, 1);
  const LimnerShape *shape = sb ? sb : sa;

  d->change = change;
  d->shape_id = shape->id;
  d->image_id = shape->image_id;
  d->path = g_strdup (img->path);
  d->fields = fields;
  d->label = sb ? label_name (st->b, sb->label_id) : label_name (st->a, sa->label_id);
  if (fields & LIMNER_DIFF_SHAPE_LABEL)
    d->old_label = label_name (st->a, sa->label_id);
  g_ptr_array_add (st->diff->shapes, d);

  switch (change)
    {
    case LIMNER_DIFF_ADDED:
      st->diff->shapes_added++;
      img->shapes_added++;
      label_stats (st, sb->label_id)->added++;
      break;
    case LIMNER_DIFF_REMOVED:
      st->diff->shapes_removed++;
      img->shapes_removed++;
      label_stats (st, sa->label_id)->removed++;
      break;
    case LIMNER_DIFF_CHANGED:
      st->diff->shapes_changed++;
      img->shapes_changed++;
      label_stats (st, sb->label_id)->changed++;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Merges the two id-sorted shape lists of one image. Either may be NULL. */
static void
diff_shapes (DiffState *st, LimnerImageDiff *img, GPtrArray *sa, GPtrArray *sb)
{
  guint i = 0, j = 0;
  guint na = sa ? sa->len : 0;
  guint nb = sb ? sb->len : 0;

  for (guint k = 0; k < na; k++)
    label_stats (st, ((LimnerShape *) g_ptr_array_index (sa, k))->label_id)->count_a++;
  for (guint k = 0; k < nb; k++)
    label_stats (st, ((LimnerShape *) g_ptr_array_index (sb, k))->label_id)->count_b++;

  while (i < na || j < nb)
    {
      const LimnerShape *a = i < na ? g_ptr_array_index (sa, i) : NULL;
      const LimnerShape *b = j < nb ? g_ptr_array_index (sb, j) : NULL;

      if (b == NULL || (a != NULL && a->id < b->id))
        {
          add_shape_diff (st, img, LIMNER_DIFF_REMOVED, a, NULL, 0);
          i++;
        }
      else if (a == NULL || b->id < a->id)
        {
          add_shape_diff (st, img, LIMNER_DIFF_ADDED, NULL, b, 0);
          j++;
        }
      else
        {
          guint fields = compare_shape (a, b);

          if (fields != 0)
            add_shape_diff (st, img, LIMNER_DIFF_CHANGED, a, b, fields);
          else
            st->diff->shapes_unchanged++;
          i++;
          j++;
        }
    }
}

static guint
compare_image (const LimnerImageRecord *a, const LimnerImageRecord *b)
{
  guint fields = 0;

  if (g_strcmp0 (a->sha256, b->sha256) != 0 || a->size != b->size
      || a->width != b->width || a->height != b->height)
    fields |= LIMNER_DIFF_IMAGE_FILE;
  if (g_strcmp0 (a->path, b->path) != 0)
    fields |= LIMNER_DIFF_IMAGE_PATH;
  if (a->status != b->status)
    fields |= LIMNER_DIFF_IMAGE_STATUS;
  return fields;
}

static gboolean
diff_image (DiffState               *st,
            const LimnerImageRecord *ia,
            const LimnerImageRecord *ib,
            GError                 **error)
{
  g_autoptr(GPtrArray) sa = NULL;
  g_autoptr(GPtrArray) sb = NULL;
  LimnerImageDiff *img = g_new0 (LimnerImageDiff, 1);

  if (ia != NULL && (sa = limner_dataset_get_shapes (st->a, ia->id, error)) == NULL)
    goto fail;
  if (ib != NULL && (sb = limner_dataset_get_shapes (st->b, ib->id, error)) == NULL)
    goto fail;

  img->image_id = ib ? ib->id : ia->id;
  img->path = g_strdup (ib ? ib->path : ia->path);
  if (ia != NULL && ib != NULL)
    {
      img->change = LIMNER_DIFF_CHANGED;
      img->fields = compare_image (ia, ib);
      if (img->fields & LIMNER_DIFF_IMAGE_PATH)
        img->old_path = g_strdup (ia->path);
    }
  else
    img->change = ib ? LIMNER_DIFF_ADDED : LIMNER_DIFF_REMOVED;

  diff_shapes (st, img, sa, sb);
  if (img->change == LIMNER_DIFF_CHANGED
      && img->shapes_added + img->shapes_removed + img->shapes_changed > 0)
    img->fields |= LIMNER_DIFF_IMAGE_SHAPES;

  switch (img->change)
    {
    case LIMNER_DIFF_ADDED:
      st->diff->images_added++;
      break;
    case LIMNER_DIFF_REMOVED:
      st->diff->images_removed++;
      break;
    case LIMNER_DIFF_CHANGED:
      if (img->fields == 0)
        {
          st->diff->images_unchanged++;
          image_diff_free (img);
          return TRUE;
        }
      st->diff->images_changed++;
      break;
    default:
      g_assert_not_reached ();
    }
  g_ptr_array_add (st->diff->images, img);
  return TRUE;

fail:
  image_diff_free (img);
  return FALSE;
}

static int
compare_image_diffs (gconstpointer p, gconstpointer q)
{
  const LimnerImageDiff *a = *(LimnerImageDiff * const *) p;
  const LimnerImageDiff *b = *(LimnerImageDiff * const *) q;
  int c = strcmp (a->path, b->path);

  if (c != 0)
    return c;
  return a->image_id < b->image_id ? -1 : a->image_id > b->image_id;
}

static int
compare_shape_diffs (gconstpointer p, gconstpointer q)
{
  const LimnerShapeDiff *a = *(LimnerShapeDiff * const *) p;
  const LimnerShapeDiff *b = *(LimnerShapeDiff * const *) q;
  int c = strcmp (a->path, b->path);

  if (c != 0)
    return c;
  if (a->image_id != b->image_id)
    return a->image_id < b->image_id ? -1 : 1;
  return a->shape_id < b->shape_id ? -1 : a->shape_id > b->shape_id;
}

LimnerVersionDiff *
limner_version_diff_datasets (LimnerDataset  *a,
                              LimnerDataset  *b,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(LimnerVersionDiff) diff = g_new0 (LimnerVersionDiff, 1);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *images_a;
  GPtrArray *images_b;
  DiffState st;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  diff->a = limner_dataset_get_version_number (a);
  diff->b = limner_dataset_get_version_number (b);
  diff->images = g_ptr_array_new_with_free_func ((GDestroyNotify) image_diff_free);
  diff->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) shape_diff_free);
  diff->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) label_diff_free);

  st.diff = diff;
  st.a = a;
  st.b = b;
  st.labels = labels;
  init_labels (&st);

  images_a = limner_dataset_get_images (a);
  images_b = limner_dataset_get_images (b);

  for (guint i = 0; i < images_a->len; i++)
    {
      const LimnerImageRecord *ia = g_ptr_array_index (images_a, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !diff_image (&st, ia, limner_dataset_find_image (b, ia->id), error))
        return NULL;
    }
  for (guint i = 0; i < images_b->len; i++)
    {
      const LimnerImageRecord *ib = g_ptr_array_index (images_b, i);

      if (limner_dataset_find_image (a, ib->id) != NULL)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !diff_image (&st, NULL, ib, error))
        return NULL;
    }

  g_ptr_array_sort (diff->images, compare_image_diffs);
  g_ptr_array_sort (diff->shapes, compare_shape_diffs);
  return g_steal_pointer (&diff);
}

LimnerVersionDiff *
limner_version_diff (LimnerStore   *store,
                     gint64         a,
                     gint64         b,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(LimnerDataset) da = NULL;
  g_autoptr(LimnerDataset) db = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (a >= 0 && b >= 0, NULL);

  da = limner_dataset_open (store, a, error);
  if (da == NULL)
    return NULL;
  db = limner_dataset_open (store, b, error);
  if (db == NULL)
    return NULL;
  return limner_version_diff_datasets (da, db, cancellable, error);
}

static char *
version_name (gint64 number)
{
  return number > 0 ? g_strdup_printf (_("version %" PRId64), number)
                    : g_strdup (_("the current state"));
}

static char
change_sign (LimnerDiffChange change)
{
  return change == LIMNER_DIFF_ADDED ? '+' : change == LIMNER_DIFF_REMOVED ? '-' : '~';
}

char *
limner_version_diff_format (const LimnerVersionDiff *diff)
{
  GString *s = g_string_new (NULL);
  g_autofree char *na = version_name (diff->a);
  g_autofree char *nb = version_name (diff->b);
  g_autofree char *ca = diff->a > 0 ? g_strdup_printf ("v%" PRId64, diff->a) : g_strdup ("draft");
  g_autofree char *cb = diff->b > 0 ? g_strdup_printf ("v%" PRId64, diff->b) : g_strdup ("draft");

  g_return_val_if_fail (diff != NULL, NULL);

  g_string_append_printf (s, _("From %s to %s:\n"), na, nb);
  g_string_append_printf (s, _("  images: %u added, %u removed, %u changed, %u unchanged\n"),
                          diff->images_added, diff->images_removed, diff->images_changed,
                          diff->images_unchanged);
  g_string_append_printf (s, _("  shapes: %u added, %u removed, %u changed, %u unchanged\n"),
                          diff->shapes_added, diff->shapes_removed, diff->shapes_changed,
                          diff->shapes_unchanged);

  g_string_append_printf (s, "\n%-24s %8s %8s %8s %8s %8s\n",
                          _("label"), ca, cb, _("added"), _("removed"), _("changed"));
  for (guint i = 0; i < diff->labels->len; i++)
    {
      const LimnerLabelDiff *d = g_ptr_array_index (diff->labels, i);
      g_autofree char *name = NULL;

      if (d->name == NULL)
        name = g_strdup (_("(no label)"));
      else if (d->old_name != NULL)
        name = g_strdup_printf (_("%s (was %s)"), d->name, d->old_name);
      else if (!d->in_b)
        name = g_strdup_printf (_("%s (removed)"), d->name);
      else if (!d->in_a)
        name = g_strdup_printf (_("%s (new)"), d->name);
      else
        name = g_strdup (d->name);
      g_string_append_printf (s, "%-24s %8" PRId64 " %8" PRId64 " %8"
                              PRId64 " %8" PRId64 " %8" PRId64 "\n",
                              name, d->count_a, d->count_b, d->added, d->removed, d->changed);
    }

  if (diff->images->len > 0)
    g_string_append_printf (s, "\n%s\n", _("Images:"));
  for (guint i = 0; i < diff->images->len; i++)
    {
      const LimnerImageDiff *d = g_ptr_array_index (diff->images, i);

      g_string_append_printf (s, "  %c %s", change_sign (d->change), d->path);
      if (d->change == LIMNER_DIFF_CHANGED)
        {
          g_autofree char *fields = limner_diff_image_fields_to_string (d->fields);
          g_string_append_printf (s, " (%s)", fields);
        }
      if (d->shapes_added + d->shapes_removed + d->shapes_changed > 0)
        g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                ": %u shape added, %u removed, %u changed",
                                                ": %u shapes added, %u removed, %u changed",
                                                d->shapes_added),
                                d->shapes_added, d->shapes_removed, d->shapes_changed);
      g_string_append_c (s, '\n');
    }

  if (diff->shapes->len > 0)
    g_string_append_printf (s, "\n%s\n", _("Shapes:"));
  for (guint i = 0; i < diff->shapes->len; i++)
    {
      const LimnerShapeDiff *d = g_ptr_array_index (diff->shapes, i);

      g_string_append_printf (s, "  %c %s #%" PRId64 " %s", change_sign (d->change),
                              d->path, d->shape_id, d->label ? d->label : _("(no label)"));
      if (d->change == LIMNER_DIFF_CHANGED)
        {
          g_autofree char *fields = limner_diff_shape_fields_to_string (d->fields);

          g_string_append_printf (s, " (%s", fields);
          if (d->fields & LIMNER_DIFF_SHAPE_LABEL)
            g_string_append_printf (s, _("; was %s"), d->old_label ? d->old_label : _("(no label)"));
          g_string_append_c (s, ')');
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}
