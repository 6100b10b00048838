/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-verify.c: an export checked against its manifest, the
 * project and the image files. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "limner-export.h"
#include "limner-export-verify.h"
#include "limner-import.h"
#include "limner-manifest.h"

/* A manifest lists one line per file and image; this is ample for millions. */
#define MANIFEST_MAX_SIZE (512 * 1024 * 1024)

static int
compare_files (gconstpointer a, gconstpointer b)
{
  const LimnerManifestFile *fa = *(LimnerManifestFile * const *) a;
  const LimnerManifestFile *fb = *(LimnerManifestFile * const *) b;

  return strcmp (fa->path, fb->path);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}


static gboolean
is_sha256 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
manifest_error (GError **error, const char *path, const char *what)
{
  g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_MANIFEST,
               _("%s: %s"), path, what);
  return FALSE;
}

/* Reads the files array into LimnerManifestFile items, validating each. */
static GPtrArray *
parse_files (json_t *array, const char *path, GError **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_manifest_file_free);
  size_t i;
  json_t *item;

  if (!json_is_array (array))
    {
      manifest_error (error, path, _("“files” is missing or not a list."));
      return NULL;
    }
  json_array_foreach (array, i, item)
    {
      const char *fpath = json_string_value (json_object_get (item, "path"));
      const char *sha = json_string_value (json_object_get (item, "sha256"));
      json_t *size = json_object_get (item, "size");

      if (!limner_export_path_is_safe (fpath) || !is_sha256 (sha) || !json_is_integer (size))
        {
          g_autofree char *what = g_strdup_printf (_("entry %zu of “files” is not a safe "
                                                     "relative path with a SHA-256 and a size."),
                                                   i + 1);
          manifest_error (error, path, what);
          return NULL;
        }
      g_ptr_array_add (files, limner_manifest_file_new (fpath, sha, json_integer_value (size)));
    }
  return g_steal_pointer (&files);
}

static gboolean
file_size (const char *path, gint64 *size)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  *size = st.st_size;
  return TRUE;
}

/* Parsing what the export holds. A file can match a manifest that was
 * rewritten along with it, so a file whose hash matches is parsed too (one
 * that does not match is already named). */

static gboolean
xml_char_allowed (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD
         || (c >= 0x20 && c <= 0xD7FF)
         || (c >= 0xE000 && c <= 0xFFFD)
         || (c >= 0x10000 && c <= 0x10FFFF);
}

static int
line_at (const char *data, const char *p)
{
  int line = 1;

  for (const char *q = data; q < p; q++)
    if (*q == '\n')
      line++;
  return line;
}

/* GMarkup checks nesting, quoting and entity names, but lets through
 * characters that XML 1.0 forbids, raw or as character references, so those
 * are checked first. */
static gboolean
check_xml (const char *data, gsize len, GError **error)
{
  static const GMarkupParser parser = { NULL, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  const char *end = data + len;
  const char *p = data;

  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_BAD_UTF8, _("not valid UTF-8."));
      return FALSE;
    }
  while (p < end)
    {
      gunichar c;

      /* Comments and CDATA sections hold text, not references. */
      if (g_str_has_prefix (p, "<!--") || g_str_has_prefix (p, "<![CDATA["))
        {
          const char *close = strstr (p, *(p + 2) == '-' ? "-->" : "]]>");

          if (close == NULL)
            break;
          p = close + 3;
          continue;
        }
      c = g_utf8_get_char (p);
      if (!xml_char_allowed (c))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                       _("line %d: the character U+%04X is not allowed in XML."),
                       line_at (data, p), c);
          return FALSE;
        }
      if (c == '&' && p + 1 < end && p[1] == '#')
        {
          gboolean hex = p + 2 < end && p[2] == 'x';
          const char *digits = p + (hex ? 3 : 2);
          char *after = (char *) digits;
          guint64 value = 0;

          if (digits < end && (hex ? g_ascii_isxdigit (*digits) : g_ascii_isdigit (*digits)))
            value = g_ascii_strtoull (digits, &after, hex ? 16 : 10);
          if (after == digits || after >= end || *after != ';'
              || value > 0x10FFFF || !xml_char_allowed ((gunichar) value))
            {
              int shown = after < end && *after == ';' ? (int) (after + 1 - p) : (int) (after - p);

              g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                           _("line %d: the character reference “%.*s” is not allowed in XML 1.0."),
                           line_at (data, p), shown, p);
              return FALSE;
            }
        }
      p = g_utf8_next_char (p);
    }

  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  return g_markup_parse_context_parse (context, data, len, error)
         && g_markup_parse_context_end_parse (context, error);
}

/* A YOLO label line: a class index, then coordinates. */
static gboolean
check_yolo (const char *data, GError **error)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      guint n = 0;

      if (*lines[i] == '\0')
        continue;
      for (guint t = 0; tokens[t] != NULL; t++)
        {
          char *after = NULL;
          double value;

          if (*tokens[t] == '\0')
            continue;
          value = g_ascii_strtod (tokens[t], &after);
          if (*after != '\0' || !isfinite (value) || (n == 0 && (value < 0 || value != floor (value))))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("line %u: “%s” is not a number."), i + 1, tokens[t]);
              return FALSE;
            }
          n++;
        }
      if (n < 5 || (n - 1) % 2 != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("line %u: a class and pairs of coordinates are expected."), i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static void
check_parses (const char         *full,
              const char         *relpath,
              const char         *export_format,
              LimnerCheckReport  *report)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_str_has_suffix (relpath, ".json"))
    {
      json_error_t jerr;
      json_t *root = json_load_file (full, JSON_REJECT_DUPLICATES, &jerr);

      if (root == NULL)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_PARSE, relpath,
                                         _("%s: not valid JSON: line %d: %s"),
                                         relpath, jerr.line, jerr.text);
      json_decref (root);
      return;
    }

  if (!g_str_has_suffix (relpath, ".xml")
      && !(g_str_equal (export_format, "yolo") && g_str_has_prefix (relpath, "labels/")
           && g_str_has_suffix (relpath, ".txt")))
    return;

  if (!g_file_get_contents (full, &data, &len, &local))
    {
      limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_PARSE, relpath,
                                       _("%s: could not be read: %s"), relpath, local->message);
      return;
    }
  if (g_str_has_suffix (relpath, ".xml"))
    {
      if (!check_xml (data, len, &local))
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_PARSE, relpath,
                                         _("%s: not well-formed XML: %s"), relpath, local->message);
    }
  else if (strlen (data) != len || !check_yolo (data, &local))
    limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_PARSE, relpath,
                                     _("%s: not YOLO labels: %s"), relpath,
                                     local ? local->message : _("it holds a NUL byte."));
}

static void
list_files (const char *root, const char *sub, GPtrArray *out)
{
  g_autofree char *dir_path = sub ? g_build_filename (root, sub, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = sub ? g_strconcat (sub, "/", name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, rel, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR) && !g_file_test (full, G_FILE_TEST_IS_SYMLINK))
        list_files (root, rel, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&rel));
    }
}

/* Files that the manifest does not vouch for would slip into training. */
static void
check_stray_files (const char *dir, GPtrArray *files, LimnerCheckReport *report)
{
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  g_hash_table_add (listed, (gpointer) LIMNER_MANIFEST_NAME);
  for (guint i = 0; i < files->len; i++)
    g_hash_table_add (listed, ((LimnerManifestFile *) g_ptr_array_index (files, i))->path);

  list_files (dir, NULL, found);
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    {
      const char *rel = g_ptr_array_index (found, i);

      if (!g_hash_table_contains (listed, rel))
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_STRAY_FILE, rel,
                                         _("%s: in the export folder but not in the manifest."),
                                         rel);
    }
}

static void
check_files (const char         *dir,
             const char         *export_format,
             GPtrArray          *files,
             LimnerCheckReport  *report,
             GCancellable       *cancellable)
{
  for (guint i = 0; i < files->len; i++)
    {
      const LimnerManifestFile *f = g_ptr_array_index (files, i);
      g_autofree char *full = g_build_filename (dir, f->path, NULL);
      g_autofree char *sha = NULL;
      g_autoptr(GError) local = NULL;
      gint64 size = 0;

      report->n_files++;
      if (!file_size (full, &size))
        {
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_EXPORT_FILE, f->path,
                                           _("%s: listed in the manifest but missing."), f->path);
          continue;
        }
      sha = limner_import_hash_file (full, &size, cancellable, &local);
      if (sha == NULL)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_EXPORT_FILE, f->path,
                                         _("%s: could not be read: %s"), f->path, local->message);
      else if (!g_str_equal (sha, f->sha256) || size != f->size)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_EXPORT_FILE, f->path,
                                         _("%s: the content differs from the manifest (SHA-256 %s, "
                                           "%" PRId64 " bytes; expected %s, %" PRId64
                                           " bytes)."),
                                         f->path, sha, size, f->sha256, f->size);
      else
        check_parses (full, f->path, export_format, report);
    }
}

static gboolean
remove_tree (GFile *file, GError **error)
{
  g_autoptr(GFileEnumerator) en = NULL;

  en = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (en != NULL)
    {
      for (;;)
        {
          GFileInfo *info = NULL;
          GFile *child = NULL;

          if (!g_file_enumerator_iterate (en, &info, &child, NULL, error))
            return FALSE;
          if (info == NULL)
            break;
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            {
              if (!remove_tree (child, error))
                return FALSE;
            }
          else if (!g_file_delete (child, NULL, error))
            return FALSE;
        }
    }
  return g_file_delete (file, NULL, error);
}

/* Exports the version again into a temporary folder and compares the files. */
static void
check_reexport (LimnerDataset      *ds,
                const char         *export_format,
                GHashTable         *options,
                GPtrArray          *files,
                LimnerCheckReport  *report,
                GCancellable       *cancellable)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-verify-XXXXXX", &local);
  g_autofree char *manifest_path = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GHashTable) by_path = NULL;
  g_autoptr(GFile) tmp_file = NULL;
  json_t *manifest = NULL;
  gint64 number = limner_dataset_get_version_number (ds);

  if (tmp == NULL)
    {
      limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_REEXPORT, NULL,
                                       _("Could not export version %" PRId64
                                         " again to compare: %s"), number, local->message);
      return;
    }
  tmp_file = g_file_new_for_path (tmp);

  if (!limner_export_run (export_format, ds, tmp, options, NULL, NULL, cancellable, &local))
    {
      limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_REEXPORT, NULL,
                                       _("Could not export version %" PRId64
                                         " again to compare: %s"), number, local->message);
      remove_tree (tmp_file, NULL);
      return;
    }

  manifest_path = g_build_filename (tmp, LIMNER_MANIFEST_NAME, NULL);
  manifest = json_load_file (manifest_path, JSON_REJECT_DUPLICATES, NULL);
  again = manifest ? parse_files (json_object_get (manifest, "files"), manifest_path, NULL) : NULL;
  json_decref (manifest);
  remove_tree (tmp_file, NULL);
  if (again == NULL)
    {
      limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_REEXPORT, NULL,
                                       _("Could not export version %" PRId64
                                         " again to compare."), number);
      return;
    }

  by_path = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < again->len; i++)
    {
      LimnerManifestFile *f = g_ptr_array_index (again, i);
      g_hash_table_insert (by_path, f->path, f);
    }
  for (guint i = 0; i < files->len; i++)
    {
      const LimnerManifestFile *f = g_ptr_array_index (files, i);
      LimnerManifestFile *g = g_hash_table_lookup (by_path, f->path);

      if (g == NULL)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_REEXPORT, f->path,
                                         _("%s: exporting version %" PRId64
                                           " again does not write this file."), f->path, number);
      else if (!g_str_equal (f->sha256, g->sha256))
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_REEXPORT, f->path,
                                         _("%s: exporting version %" PRId64
                                           " again gives different content (SHA-256 %s, "
                                           "manifest %s)."), f->path, number, g->sha256, f->sha256);
      g_hash_table_remove (by_path, f->path);
    }
  if (g_hash_table_size (by_path) > 0)
    {
      g_autofree gpointer *extra = g_hash_table_get_keys_as_array (by_path, NULL);
      guint n = g_hash_table_size (by_path);

      qsort (extra, n, sizeof (gpointer), compare_strings);
      for (guint i = 0; i < n; i++)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_REEXPORT, (const char *) extra[i],
                                         _("%s: exporting version %" PRId64
                                           " again writes this file, which the manifest "
                                           "does not list."), (const char *) extra[i], number);
    }
}

typedef struct {
  gint64  id;
  char   *file;
  char   *sha256;
  gint64  size;
} VerifyImage;

static void
verify_image_clear (VerifyImage *vi)
{
  g_free (vi->file);
  g_free (vi->sha256);
}

static GArray *
parse_images (json_t *array, const char *path, GError **error)
{
  g_autoptr(GArray) images = g_array_new (FALSE, TRUE, sizeof (VerifyImage));
  size_t i;
  json_t *item;

  g_array_set_clear_func (images, (GDestroyNotify) verify_image_clear);
  if (!json_is_array (array))
    {
      manifest_error (error, path, _("“images” is missing or not a list."));
      return NULL;
    }
  json_array_foreach (array, i, item)
    {
      json_t *id = json_object_get (item, "id");
      const char *file = json_string_value (json_object_get (item, "file"));
      const char *sha = json_string_value (json_object_get (item, "sha256"));
      json_t *size = json_object_get (item, "size");
      VerifyImage vi;

      if (!json_is_integer (id) || file == NULL || !is_sha256 (sha) || !json_is_integer (size))
        {
          g_autofree char *what = g_strdup_printf (_("entry %zu of “images” needs an id, a "
                                                     "file, a SHA-256 and a size."), i + 1);
          manifest_error (error, path, what);
          return NULL;
        }
      vi.id = json_integer_value (id);
      vi.file = g_strdup (file);
      vi.sha256 = g_strdup (sha);
      vi.size = json_integer_value (size);
      g_array_append_val (images, vi);
    }
  return g_steal_pointer (&images);
}

static void
check_version_images (LimnerDataset *ds, GArray *images, LimnerCheckReport *report)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *records = limner_dataset_get_images (ds);
  gint64 number = limner_dataset_get_version_number (ds);

  for (guint i = 0; i < images->len; i++)
    {
      VerifyImage *vi = &g_array_index (images, VerifyImage, i);
      const LimnerImageRecord *rec = limner_dataset_find_image (ds, vi->id);

      if (rec == NULL)
        {
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_VERSION, vi->file,
                                           _("%s (image %" PRId64 "): in the manifest "
                                             "but not in version %" PRId64 "."),
                                           vi->file, vi->id, number);
          continue;
        }
      g_hash_table_add (seen, (gpointer) &rec->id);
      if (!g_str_equal (rec->sha256, vi->sha256) || rec->size != vi->size)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_VERSION, vi->file,
                                         _("%s (image %" PRId64 "): version %"
                                           PRId64 " has SHA-256 %s, the manifest %s."),
                                         vi->file, vi->id, number, rec->sha256, vi->sha256);
    }
  for (guint i = 0; i < records->len; i++)
    {
      const LimnerImageRecord *rec = g_ptr_array_index (records, i);

      if (!g_hash_table_contains (seen, &rec->id))
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_VERSION, rec->path,
                                         _("%s (image %" PRId64 "): in version %"
                                           PRId64 " but not in the manifest."),
                                         rec->path, rec->id, number);
    }
}

static void
check_image_files (LimnerStore        *store,
                   GArray             *images,
                   LimnerVerifyFlags   flags,
                   LimnerCheckReport  *report,
                   GCancellable       *cancellable)
{
  for (guint i = 0; i < images->len; i++)
    {
      VerifyImage *vi = &g_array_index (images, VerifyImage, i);
      g_autoptr(LimnerImageRecord) rec = limner_store_get_image (store, vi->id, NULL);
      g_autofree char *path = NULL;
      g_autofree char *sha = NULL;
      g_autoptr(GError) local = NULL;
      gint64 size = 0;

      if (g_cancellable_is_cancelled (cancellable))
        return;
      /* The id is the project's; a relinked or re-imported file is found by hash. */
      if (rec == NULL)
        rec = limner_store_find_image_by_sha256 (store, vi->sha256, NULL);
      if (rec == NULL)
        {
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, vi->file,
                                           _("%s (image %" PRId64 "): the project "
                                             "has no such image any more."), vi->file, vi->id);
          continue;
        }
      path = limner_store_resolve_path (store, rec->path);
      report->n_images++;
      if (!file_size (path, &size))
        {
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                           _("%s: the image file is missing."), path);
          continue;
        }
      if (flags & LIMNER_VERIFY_QUICK)
        {
          if (size != vi->size)
            limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                             _("%s: the image file has %" PRId64
                                               " bytes, the manifest %" PRId64 "."),
                                             path, size, vi->size);
          continue;
        }
      sha = limner_import_hash_file (path, &size, cancellable, &local);
      report->n_hashed++;
      if (sha == NULL)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                         _("%s: could not be read: %s"), path, local->message);
      else if (!g_str_equal (sha, vi->sha256))
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                         _("%s: the image file changed since the export "
                                           "(SHA-256 %s, the manifest %s)."),
                                         path, sha, vi->sha256);
    }
}

gboolean
limner_export_verify (LimnerStore        *store,
                      const char         *export_dir,
                      LimnerCheckReport  *report,
                      GError            **error)
{
  return limner_export_verify_full (store, export_dir, LIMNER_VERIFY_DEFAULT, report, NULL, error);
}

gboolean
limner_export_verify_full (LimnerStore        *store,
                           const char         *export_dir,
                           LimnerVerifyFlags   flags,
                           LimnerCheckReport  *report,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GArray) images = NULL;
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *content = NULL;
  json_t *manifest = NULL;
  json_error_t jerr;
  const char *format;
  const char *export_format;
  const char *content_sha;
  const char *schema_sha;
  json_t *version;
  json_t *opts;
  gint64 size = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (export_dir != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  path = g_build_filename (export_dir, LIMNER_MANIFEST_NAME, NULL);
  if (!file_size (path, &size))
    return manifest_error (error, path, _("there is no manifest: this is not a Limner export, "
                                          "or the export did not finish."));
  if (size > MANIFEST_MAX_SIZE)
    return manifest_error (error, path, _("the manifest is too large."));

  manifest = json_load_file (path, JSON_REJECT_DUPLICATES, &jerr);
  if (manifest == NULL)
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_MANIFEST,
                   _("%s, line %d: %s"), path, jerr.line, jerr.text);
      return FALSE;
    }

  format = json_string_value (json_object_get (manifest, "format"));
  export_format = json_string_value (json_object_get (manifest, "export_format"));
  content_sha = json_string_value (json_object_get (manifest, "content_sha256"));
  schema_sha = json_string_value (json_object_get (manifest, "schema_sha256"));
  version = json_object_get (manifest, "version");
  opts = json_object_get (manifest, "options");
  if (!json_is_object (manifest) || g_strcmp0 (format, LIMNER_MANIFEST_FORMAT) != 0)
    {
      manifest_error (error, path, _("not a Limner manifest."));
      goto out;
    }
  if (json_integer_value (json_object_get (manifest, "format_version")) != LIMNER_MANIFEST_FORMAT_VERSION)
    {
      manifest_error (error, path, _("written by a newer Limner (unknown manifest version)."));
      goto out;
    }
  if (export_format == NULL || !is_sha256 (content_sha) || !is_sha256 (schema_sha)
      || !(json_is_null (version) || json_is_integer (version))
      || (opts != NULL && !json_is_object (opts)))
    {
      manifest_error (error, path, _("the manifest is incomplete or malformed."));
      goto out;
    }

  files = parse_files (json_object_get (manifest, "files"), path, error);
  if (files == NULL)
    goto out;
  images = parse_images (json_object_get (manifest, "images"), path, error);
  if (images == NULL)
    goto out;

  options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (opts != NULL)
    {
      const char *key;
      json_t *value;

      json_object_foreach (opts, key, value)
        if (json_is_string (value))
          g_hash_table_insert (options, g_strdup (key), g_strdup (json_string_value (value)));
    }

  check_files (export_dir, export_format, files, report, cancellable);
  check_stray_files (export_dir, files, report);

  g_ptr_array_sort (files, compare_files);
  content = limner_manifest_content_sha256 (files);
  if (!g_str_equal (content, content_sha))
    limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_EXPORT_FILE, LIMNER_MANIFEST_NAME,
                                     _("%s: content_sha256 does not match the list of files."),
                                     LIMNER_MANIFEST_NAME);

  if (json_is_integer (version))
    {
      gint64 number = json_integer_value (version);
      g_autoptr(GError) local = NULL;
      g_autoptr(LimnerDataset) ds = limner_dataset_open (store, number, &local);

      if (ds == NULL)
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_VERSION, LIMNER_MANIFEST_NAME,
                                         _("%s: version %" PRId64 " cannot be read "
                                           "from the project: %s"),
                                         LIMNER_MANIFEST_NAME, number, local->message);
      else
        {
          g_autofree char *schema = limner_manifest_schema_sha256 (limner_dataset_get_labels (ds));

          report->n_versions++;
          if (g_strcmp0 (schema, schema_sha) != 0)
            limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_VERSION, LIMNER_MANIFEST_NAME,
                                             _("%s: the label schema differs from that of "
                                               "version %" PRId64 " (SHA-256 %s, "
                                               "the manifest %s)."),
                                             LIMNER_MANIFEST_NAME, number, schema, schema_sha);
          check_version_images (ds, images, report);
          if (!(flags & (LIMNER_VERIFY_QUICK | LIMNER_VERIFY_NO_REEXPORT)))
            check_reexport (ds, export_format, options, files, report, cancellable);
        }
    }

  check_image_files (store, images, flags, report, cancellable);
  ok = !g_cancellable_set_error_if_cancelled (cancellable, error);

out:
  json_decref (manifest);
  return ok;
}

char *
limner_export_verify_report_format (const LimnerCheckReport *report,
                                    const char              *export_dir)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (export_dir != NULL, NULL);

  if (!limner_check_report_ok (report))
    return limner_check_report_format_problems (report, export_dir);
  return g_strdup_printf (_("The export %s matches its manifest and the project: "
                            "%u files, %u images (%u hashed).\n"),
                          export_dir, report->n_files, report->n_images, report->n_hashed);
}
