/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image.c: safe access to image files through libvips. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "limner-image.h"

G_DEFINE_QUARK (limner-image-error-quark, limner_image_error)

#define DEFAULT_MAX_PIXELS (G_GUINT64_CONSTANT (1) << 31)
/* How far from the end of a JPEG or PNG the end marker may sit (trailing
 * bytes some cameras append) before we check by decoding. */
#define TAIL_SCAN_BYTES 4096
/* Page pyramids deeper than this are not looked for. */
#define MAX_PYRAMID_PAGES 40

G_LOCK_DEFINE_STATIC (max_pixels);
static guint64 max_pixels = DEFAULT_MAX_PIXELS;

typedef struct {
  const char *loader;    /* libvips nickname of the file loader */
  const char *format;    /* what we report */
  const char *name;      /* for messages */
} TrustedLoader;

/* The only loaders Limner hands files to. Everything else (including trusted
 * but irrelevant ones like matrixload, which accepts some text files) is
 * refused before libvips reads more than the first bytes. */
static const TrustedLoader trusted_loaders[] = {
  { "jpegload", "jpeg", "JPEG" },
  { "pngload",  "png",  "PNG" },
  { "tiffload", "tiff", "TIFF" },
  { "webpload", "webp", "WebP" },
  { "heifload", "heif", "HEIF" },
};

void
limner_image_set_max_pixels (guint64 value)
{
  G_LOCK (max_pixels);
  max_pixels = value ? value : DEFAULT_MAX_PIXELS;
  G_UNLOCK (max_pixels);
}

guint64
limner_image_get_max_pixels (void)
{
  guint64 value;

  G_LOCK (max_pixels);
  value = max_pixels;
  G_UNLOCK (max_pixels);
  return value;
}

static gboolean
have_loader (const char *nickname)
{
  return vips_type_find ("VipsOperation", nickname) != 0;
}

/* Every load goes through a fresh VipsSource. libvips 8.14 caches file
 * loads by file name, so a file replaced on disk would otherwise keep
 * answering with its old header; a new source is a new cache key. */
static VipsSource *
source_for (const char *path)
{
  VipsSource *source = vips_source_new_from_file (path);

  if (source == NULL)
    vips_error_clear ();
  return source;
}

const char * const *
limner_image_get_extensions (void)
{
  static gsize once = 0;
  static const char **extensions;

  if (g_once_init_enter (&once))
    {
      GPtrArray *list = g_ptr_array_new ();
      const char *always[] = { "jpg", "jpeg", "jpe", "png", "tif", "tiff", "webp" };

      for (guint i = 0; i < G_N_ELEMENTS (always); i++)
        g_ptr_array_add (list, (char *) always[i]);
      if (have_loader ("heifload"))
        {
          g_ptr_array_add (list, (char *) "heic");
          g_ptr_array_add (list, (char *) "heif");
          g_ptr_array_add (list, (char *) "avif");
        }
      g_ptr_array_add (list, NULL);
      extensions = (const char **) g_ptr_array_free (list, FALSE);
      g_once_init_leave (&once, 1);
    }
  return (const char * const *) extensions;
}

gboolean
limner_image_has_image_extension (const char *path)
{
  const char *dot;
  const char *slash;
  const char * const *ext;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  slash = strrchr (path, G_DIR_SEPARATOR);
  if (dot == NULL || (slash != NULL && dot < slash))
    return FALSE;
  for (ext = limner_image_get_extensions (); *ext; ext++)
    if (g_ascii_strcasecmp (dot + 1, *ext) == 0)
      return TRUE;
  return FALSE;
}

/* The last line libvips logged, for the tail of a CORRUPT message. The
 * libvips error buffer is process-wide, so with several threads the text can
 * come from a neighbour; it is only ever a detail after our own sentence. */
static char *
vips_error_detail (void)
{
  g_autofree char *all = vips_error_buffer_copy ();
  g_auto(GStrv) lines = NULL;
  guint n;

  if (all == NULL || *all == '\0')
    return g_strdup (_("libvips gave no reason"));
  g_strchomp (all);
  lines = g_strsplit (all, "\n", -1);
  n = g_strv_length (lines);
  return g_strdup (n ? lines[n - 1] : all);
}

/* The CRC-32 of PNG chunks (ISO 3309), bit by bit: 17 bytes per probe. */
static guint32
crc32_of (const guint8 *p, gsize n)
{
  guint32 c = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      c ^= p[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
  return c ^ 0xffffffffu;
}

/* What is wrong with a PNG's signature and IHDR chunk, read by us: libpng
 * reports header errors through a callback that often leaves the libvips
 * error buffer empty. NULL when they look right. */
static char *
png_header_problem (const char *path)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 head[33];
  FILE *fp = g_fopen (path, "rb");
  gsize n = 0;
  guint32 len, width, height, crc;
  guint8 depth, colour;

  if (fp != NULL)
    {
      n = fread (head, 1, sizeof head, fp);
      fclose (fp);
    }
  if (n < sizeof signature || memcmp (head, signature, sizeof signature) != 0)
    return g_strdup (_("the PNG signature is damaged"));
  if (n < sizeof head)
    return g_strdup (_("the file ends inside the PNG header"));
  len = (guint32) head[8] << 24 | head[9] << 16 | head[10] << 8 | head[11];
  if (len != 13 || memcmp (head + 12, "IHDR", 4) != 0)
    return g_strdup (_("the first chunk is not a 13-byte IHDR"));
  width = (guint32) head[16] << 24 | head[17] << 16 | head[18] << 8 | head[19];
  height = (guint32) head[20] << 24 | head[21] << 16 | head[22] << 8 | head[23];
  depth = head[24];
  colour = head[25];
  crc = (guint32) head[29] << 24 | head[30] << 16 | head[31] << 8 | head[32];
  if (width == 0 || height == 0 || width > G_MAXINT32 || height > G_MAXINT32)
    return g_strdup_printf (_("the header gives the size %u×%u, which no PNG can have"), width, height);
  /* libpng's default user limit, which libvips keeps. */
  if (width > 1000000 || height > 1000000)
    return g_strdup_printf (_("the header gives the size %u×%u, over the 1,000,000 pixels a side that libpng reads"),
                            width, height);
  if (!(colour == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16))
      && !(colour == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8))
      && !((colour == 2 || colour == 4 || colour == 6) && (depth == 8 || depth == 16)))
    return g_strdup_printf (_("colour type %u with bit depth %u is not a valid PNG combination"),
                            colour, depth);
  if (head[26] != 0 || head[27] != 0 || head[28] > 1)
    return g_strdup (_("the header names an unknown compression, filter or interlace method"));
  if (crc != crc32_of (head + 12, 17))
    return g_strdup (_("the header's checksum (CRC) does not match"));
  return NULL;
}

static void
set_error (GError **error, LimnerImageError code, const char *path, const char *what)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, LIMNER_IMAGE_ERROR, code, "%s: %s", display, what);
}

static gboolean
read_at (FILE *fp, gint64 offset, void *buf, gsize len)
{
  if (fseeko (fp, offset, offset >= 0 ? SEEK_SET : SEEK_END) != 0)
    return FALSE;
  return fread (buf, 1, len, fp) == len;
}

static gboolean
memfind (const guint8 *hay, gsize hay_len, const void *needle, gsize needle_len)
{
  if (needle_len > hay_len)
    return FALSE;
  for (gsize i = 0; i + needle_len <= hay_len; i++)
    if (memcmp (hay + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* Cheap truncation checks that read only the end of the file.
 * Returns TRUE when the file looks complete, FALSE when it needs a closer
 * look (JPEG/PNG) or is certainly cut short (WebP: *certain = TRUE). */
static gboolean
tail_looks_complete (const char *path, const char *loader, gint64 file_size, gboolean *certain)
{
  FILE *fp;
  guint8 tail[TAIL_SCAN_BYTES];
  gsize n;
  gboolean ok = TRUE;

  *certain = FALSE;
  fp = g_fopen (path, "rb");
  if (fp == NULL)
    return FALSE;

  n = MIN ((gint64) sizeof tail, file_size);
  if (g_str_equal (loader, "jpegload"))
    {
      static const guint8 eoi[] = { 0xff, 0xd9 };

      /* Entropy-coded data cannot contain FF D9, so an EOI near the end means
       * the scan data reached its end. */
      ok = read_at (fp, -(gint64) n, tail, n) && memfind (tail, n, eoi, sizeof eoi);
    }
  else if (g_str_equal (loader, "pngload"))
    {
      static const guint8 iend[] = { 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

      ok = read_at (fp, -(gint64) n, tail, n) && memfind (tail, n, iend, sizeof iend);
    }
  else if (g_str_equal (loader, "webpload"))
    {
      guint8 riff[8];

      /* RIFF records its own length. */
      if (read_at (fp, 0, riff, sizeof riff))
        {
          guint32 len = riff[4] | riff[5] << 8 | riff[6] << 16 | (guint32) riff[7] << 24;

          ok = (gint64) len + 8 <= file_size;
          *certain = !ok;
        }
    }
  fclose (fp);
  return ok;
}

/* Asks for every pixel of `image`, top to bottom, on this thread. Not
 * vips_avg() or any other sink: on a worker pool, an error in one tile of a
 * truncated JPEG was sometimes lost (about one run in ten accepted the
 * file), while one thread sees every error of the loader. */
static int
decode_in_order (VipsImage *image)
{
  VipsRegion *region = vips_region_new (image);
  int rc = 0;

  for (int top = 0; top < image->Ysize && rc == 0; top += 16)
    {
      VipsRect rect = { 0, top, image->Xsize, MIN (16, image->Ysize - top) };

      rc = vips_region_prepare (region, &rect);
    }
  g_object_unref (region);
  return rc;
}

/* Decodes the image at the smallest cost libvips offers, failing on
 * truncation. Only for files whose end marker is missing. */
static gboolean
decodes_fully (const char *path, const char *loader, int width, int height)
{
  VipsSource *source = source_for (path);
  VipsImage *image = NULL;
  int shrink = 8;
  int rc;

  if (source == NULL)
    return FALSE;
  /* Shrinking past a side's length leaves an image with no rows, which
   * libvips 8.14 aborts on (found by the image-header fuzzer). */
  while (shrink > 1 && (width < shrink || height < shrink))
    shrink /= 2;
  if (g_str_equal (loader, "jpegload"))
    rc = vips_jpegload_source (source, &image, "shrink", shrink, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                               "access", VIPS_ACCESS_SEQUENTIAL, NULL);
  else
    rc = vips_pngload_source (source, &image, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                              "access", VIPS_ACCESS_SEQUENTIAL, NULL);
  if (rc == 0)
    rc = decode_in_order (image);
  g_clear_object (&image);
  g_object_unref (source);
  vips_error_clear ();
  return rc == 0;
}

static guint64
tiff_get (const guint8 *p, int len, gboolean le)
{
  guint64 v = 0;

  for (int i = 0; i < len; i++)
    v |= (guint64) p[le ? i : len - 1 - i] << (8 * (le ? i : len - 1 - i));
  return v;
}

/* TRUE if the first IFD of a TIFF (classic or BigTIFF) has a TileWidth tag.
 * libvips does not expose this, and the canvas wants to know. */
static gboolean
tiff_is_tiled (const char *path)
{
  FILE *fp = g_fopen (path, "rb");
  guint8 head[16];
  guint8 entry[20];
  gboolean le, big, tiled = FALSE;
  guint64 ifd, count;
  int entry_size;

  if (fp == NULL)
    return FALSE;
  if (!read_at (fp, 0, head, sizeof head))
    goto out;
  if (head[0] == 'I' && head[1] == 'I')
    le = TRUE;
  else if (head[0] == 'M' && head[1] == 'M')
    le = FALSE;
  else
    goto out;
  big = tiff_get (head + 2, 2, le) == 43;
  ifd = big ? tiff_get (head + 8, 8, le) : tiff_get (head + 4, 4, le);
  entry_size = big ? 20 : 12;
  if (!read_at (fp, ifd, entry, big ? 8 : 2))
    goto out;
  count = big ? tiff_get (entry, 8, le) : tiff_get (entry, 2, le);
  count = MIN (count, 4096);
  for (guint64 i = 0; i < count; i++)
    {
      if (!read_at (fp, ifd + (big ? 8 : 2) + i * entry_size, entry, entry_size))
        break;
      if (tiff_get (entry, 2, le) == 322) /* TileWidth */
        {
          tiled = TRUE;
          break;
        }
    }
out:
  fclose (fp);
  return tiled;
}

/* Fills the pyramid fields of a TIFF's info. Headers only. */
static void
tiff_probe_levels (const char *path, VipsImage *first, LimnerImageInfo *info)
{
  int n_subifds = 0;

  info->tiled = tiff_is_tiled (path);
  if (vips_image_get_typeof (first, VIPS_META_N_SUBIFDS)
      && vips_image_get_int (first, VIPS_META_N_SUBIFDS, &n_subifds) == 0
      && n_subifds > 0)
    {
      info->pyramid = LIMNER_PYRAMID_SUBIFDS;
      info->n_levels = 1 + n_subifds;
      return;
    }

  if (info->n_pages > 1 && info->n_pages <= MAX_PYRAMID_PAGES)
    {
      int w = info->width, h = info->height;

      for (int page = 1; page < info->n_pages; page++)
        {
          VipsSource *source = source_for (path);
          VipsImage *level = NULL;
          int lw, lh, rc;

          if (source == NULL)
            return;
          rc = vips_tiffload_source (source, &level, "page", page,
                                     "access", VIPS_ACCESS_SEQUENTIAL, NULL);
          g_object_unref (source);
          if (rc != 0)
            {
              vips_error_clear ();
              return;
            }
          lw = level->Xsize;
          lh = level->Ysize;
          g_object_unref (level);
          /* Each level halves the one before, rounded either way. */
          if (ABS (lw - w / 2) > 1 || ABS (lh - h / 2) > 1)
            return;
          w = lw;
          h = lh;
        }
      info->pyramid = LIMNER_PYRAMID_PAGES;
      info->n_levels = info->n_pages;
    }
}

static const TrustedLoader *
find_trusted_loader (const char *path, VipsSource *source, GError **error)
{
  const char *class_name;
  g_autofree char *loader = NULL;
  g_autofree char *display = NULL;

  /* find_load_source() answers with a class name like
   * VipsForeignLoadJpegSource; compare nicknames ("jpegload_source"). */
  class_name = vips_foreign_find_load_source (source);
  vips_error_clear ();
  if (class_name != NULL)
    {
      const char *nick = vips_nickname_find (g_type_from_name (class_name));

      if (nick != NULL)
        loader = g_str_has_suffix (nick, "_source")
                   ? g_strndup (nick, strlen (nick) - strlen ("_source"))
                   : g_strdup (nick);
    }
  if (loader != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (trusted_loaders); i++)
      if (g_str_equal (loader, trusted_loaders[i].loader))
        return &trusted_loaders[i];

  display = g_filename_display_name (path);
  if (loader == NULL)
    g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_UNSUPPORTED,
                 _("%s: this is not an image file Limner can open."), display);
  else
    {
      g_autofree char *kind = g_str_has_suffix (loader, "load")
                                ? g_strndup (loader, strlen (loader) - 4)
                                : g_strdup (loader);

      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_UNSUPPORTED,
                   _("%s: this file type (%s) is not supported; use JPEG, PNG, TIFF, WebP or HEIF."),
                   display, kind);
    }
  return NULL;
}

gboolean
limner_image_probe (const char       *path,
                    LimnerImageInfo  *info,
                    GError          **error)
{
  GStatBuf st;
  const TrustedLoader *loader;
  VipsSource *source;
  VipsImage *image = NULL;
  LimnerImageInfo local = { 0 };
  guint64 cap, pixels;
  gboolean tail_ok, certain;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_IO,
                   "%s: %s.", display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      set_error (error, LIMNER_IMAGE_ERROR_UNSUPPORTED, path, _("this is not a regular file."));
      return FALSE;
    }
  if (st.st_size == 0)
    {
      set_error (error, LIMNER_IMAGE_ERROR_EMPTY, path, _("the file is empty."));
      return FALSE;
    }
  if (g_access (path, R_OK) != 0)
    {
      set_error (error, LIMNER_IMAGE_ERROR_IO, path, _("the file cannot be read (permission denied)."));
      return FALSE;
    }

  source = source_for (path);
  if (source == NULL)
    {
      set_error (error, LIMNER_IMAGE_ERROR_IO, path, _("the file cannot be opened."));
      return FALSE;
    }
  loader = find_trusted_loader (path, source, error);
  if (loader == NULL)
    {
      g_object_unref (source);
      return FALSE;
    }

  tail_ok = tail_looks_complete (path, loader->loader, st.st_size, &certain);
  if (!tail_ok && certain)
    {
      g_object_unref (source);
      set_error (error, LIMNER_IMAGE_ERROR_TRUNCATED, path, _("the file is truncated."));
      return FALSE;
    }

  /* Sequential access: libvips reads the header now and pixels only when
   * asked, which we never do here. */
  image = vips_image_new_from_source (source, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
  g_object_unref (source);
  if (image == NULL && !tail_ok)
    {
      vips_error_clear ();
      set_error (error, LIMNER_IMAGE_ERROR_TRUNCATED, path, _("the file is truncated."));
      return FALSE;
    }
  if (image == NULL)
    {
      g_autofree char *ours = g_str_equal (loader->loader, "pngload") ? png_header_problem (path) : NULL;
      g_autofree char *detail = ours != NULL ? g_steal_pointer (&ours) : vips_error_detail ();
      g_autofree char *display = g_filename_display_name (path);

      vips_error_clear ();
      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                   _("%s: the %s header cannot be read (%s)."), display, loader->name, detail);
      return FALSE;
    }

  local.width = image->Xsize;
  local.height = image->Ysize;
  local.bands = image->Bands;
  local.n_pages = MAX (1, vips_image_get_n_pages (image));
  local.file_size = st.st_size;
  local.format = g_intern_static_string (loader->format);
  local.pyramid = LIMNER_PYRAMID_NONE;
  local.n_levels = 1;
  if (g_str_equal (loader->loader, "heifload"))
    {
      const char *compression = NULL;

      if (vips_image_get_typeof (image, "heif-compression")
          && vips_image_get_string (image, "heif-compression", &compression) == 0
          && g_strcmp0 (compression, "av1") == 0)
        local.format = g_intern_static_string ("avif");
    }

  cap = limner_image_get_max_pixels ();
  pixels = (guint64) local.width * (guint64) local.height;
  if (local.width <= 0 || local.height <= 0 || pixels > cap)
    {
      g_autofree char *display = g_filename_display_name (path);
      /* Not in the format string: xgettext cannot see through the macro. */
      g_autofree char *cap_text = g_strdup_printf ("%" PRIu64, cap);

      g_object_unref (image);
      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_TOO_LARGE,
                   _("%s: %d×%d pixels is over the limit of %s."),
                   display, local.width, local.height, cap_text);
      return FALSE;
    }

  if (g_str_equal (loader->loader, "tiffload"))
    tiff_probe_levels (path, image, &local);
  g_object_unref (image);

  /* An end marker missing is not proof: some cameras append data. */
  if (!tail_ok && !decodes_fully (path, loader->loader, local.width, local.height))
    {
      set_error (error, LIMNER_IMAGE_ERROR_TRUNCATED, path, _("the file is truncated."));
      return FALSE;
    }

  if (info != NULL)
    *info = local;
  return TRUE;
}

VipsImage *
limner_image_open_level (const char       *path,
                         int               level,
                         LimnerImageInfo  *info,
                         GError          **error)
{
  LimnerImageInfo local;
  VipsSource *source;
  VipsImage *image = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (level >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!limner_image_probe (path, &local, error))
    return NULL;
  if (info != NULL)
    *info = local;
  if (!(source = source_for (path)))
    {
      set_error (error, LIMNER_IMAGE_ERROR_IO, path, _("the file cannot be opened."));
      return NULL;
    }

  if (level == 0)
    {
      /* The specific loader, so nothing but the probed format is trusted. */
      if (g_str_equal (local.format, "jpeg"))
        rc = vips_jpegload_source (source, &image, NULL);
      else if (g_str_equal (local.format, "png"))
        rc = vips_pngload_source (source, &image, NULL);
      else if (g_str_equal (local.format, "tiff"))
        rc = vips_tiffload_source (source, &image, NULL);
      else if (g_str_equal (local.format, "webp"))
        rc = vips_webpload_source (source, &image, NULL);
      else
        rc = vips_heifload_source (source, &image, NULL);
    }
  else if (g_str_equal (local.format, "tiff") && level < local.n_levels)
    {
      if (local.pyramid == LIMNER_PYRAMID_SUBIFDS)
        rc = vips_tiffload_source (source, &image, "subifd", level - 1, NULL);
      else
        rc = vips_tiffload_source (source, &image, "page", level, NULL);
    }
  else if (g_str_equal (local.format, "jpeg") && level <= 3)
    rc = vips_jpegload_source (source, &image, "shrink", 1 << level, NULL);
  else if (g_str_equal (local.format, "webp") && level <= 8)
    rc = vips_webpload_source (source, &image, "scale", 1.0 / (1 << level), NULL);
  else
    {
      g_autofree char *display = g_filename_display_name (path);

      g_object_unref (source);
      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_UNSUPPORTED,
                   _("%s: the image has no resolution level %d."), display, level);
      return NULL;
    }
  /* The image keeps its own reference to the source. */
  g_object_unref (source);

  if (rc != 0)
    {
      g_autofree char *detail = vips_error_detail ();
      g_autofree char *display = g_filename_display_name (path);

      vips_error_clear ();
      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                   _("%s: the image cannot be opened (%s)."), display, detail);
      return NULL;
    }
  return image;
}

/* sRGB, uchar, 3 or 4 bands. Takes ownership of `in`. */
static VipsImage *
to_srgb8 (VipsImage *in, GError **error, const char *path)
{
  VipsImage *t = NULL;

  if (in->Type != VIPS_INTERPRETATION_sRGB)
    {
      if (vips_colourspace (in, &t, VIPS_INTERPRETATION_sRGB, NULL) != 0)
        goto fail;
      g_object_unref (in);
      in = t;
    }
  if (in->BandFmt != VIPS_FORMAT_UCHAR)
    {
      if (vips_cast_uchar (in, &t, NULL) != 0)
        goto fail;
      g_object_unref (in);
      in = t;
    }
  if (in->Bands > 4)
    {
      if (vips_extract_band (in, &t, 0, "n", 4, NULL) != 0)
        goto fail;
      g_object_unref (in);
      in = t;
    }
  else if (in->Bands < 3)
    {
      /* Grey that colourspace left alone (e.g. uncalibrated): widen it. */
      VipsImage *bands[3] = { in, in, in };

      if (vips_bandjoin (bands, &t, 3, NULL) != 0)
        goto fail;
      g_object_unref (in);
      in = t;
    }
  return in;

fail:
  {
    g_autofree char *detail = vips_error_detail ();
    g_autofree char *display = g_filename_display_name (path);

    vips_error_clear ();
    g_object_unref (in);
    g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                 _("%s: the thumbnail cannot be made (%s)."), display, detail);
    return NULL;
  }
}

VipsImage *
limner_image_thumbnail (const char  *path,
                        int          size,
                        GError     **error)
{
  VipsSource *source;
  VipsImage *thumb = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!limner_image_probe (path, NULL, error))
    return NULL;
  if (!(source = source_for (path)))
    {
      set_error (error, LIMNER_IMAGE_ERROR_IO, path, _("the file cannot be opened."));
      return NULL;
    }

  rc = vips_thumbnail_source (source, &thumb, size, "height", size, "size", VIPS_SIZE_DOWN, NULL);
  g_object_unref (source);
  if (rc != 0)
    {
      g_autofree char *detail = vips_error_detail ();
      g_autofree char *display = g_filename_display_name (path);

      vips_error_clear ();
      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                   _("%s: the thumbnail cannot be made (%s)."), display, detail);
      return NULL;
    }
  return to_srgb8 (thumb, error, path);
}

/* Packs a 3- or 4-band uchar image into RGBA8. Takes ownership of `image`. */
static GBytes *
pack_rgba (VipsImage *image, const char *path, int *width, int *height, int *stride, GError **error)
{
  VipsImage *t = NULL;
  void *pixels;
  size_t len = 0;

  if (image->Bands == 3)
    {
      if (vips_bandjoin_const1 (image, &t, 255, NULL) != 0)
        {
          g_object_unref (image);
          goto fail;
        }
      g_object_unref (image);
      image = t;
    }
  pixels = vips_image_write_to_memory (image, &len);
  if (pixels == NULL)
    {
      g_object_unref (image);
      goto fail;
    }
  if (width)
    *width = image->Xsize;
  if (height)
    *height = image->Ysize;
  if (stride)
    *stride = image->Xsize * 4;
  g_assert (len == (size_t) image->Xsize * image->Ysize * 4);
  g_object_unref (image);
  return g_bytes_new_take (pixels, len);

fail:
  {
    g_autofree char *detail = vips_error_detail ();
    g_autofree char *display = g_filename_display_name (path);

    vips_error_clear ();
    g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                 _("%s: the thumbnail cannot be made (%s)."), display, detail);
    return NULL;
  }
}

GBytes *
limner_image_thumbnail_rgba (const char  *path,
                             int          size,
                             int         *width,
                             int         *height,
                             int         *stride,
                             GError     **error)
{
  VipsImage *thumb;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  thumb = limner_image_thumbnail (path, size, error);
  if (thumb == NULL)
    return NULL;
  return pack_rgba (thumb, path, width, height, stride, error);
}

char *
limner_image_thumbnail_cache_path (const char *sha256, int size)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (sha256 != NULL, NULL);

  name = g_strdup_printf ("%s-%d.png", sha256, size);
  return g_build_filename (g_get_user_cache_dir (), "limner", "thumbnails", name, NULL);
}

static gboolean
is_sha256_hex (const char *s)
{
  int n = 0;

  for (; *s; s++, n++)
    if (!g_ascii_isxdigit (*s))
      return FALSE;
  return n == 64;
}

/* Writes the thumbnail next to its final name and renames it into place, so
 * a reader never sees half a PNG. Failures only cost a re-render later. */
static void
cache_store (VipsImage *thumb, const char *cache_path)
{
  g_autofree char *dir = g_path_get_dirname (cache_path);
  g_autofree char *tmp = g_strconcat (cache_path, ".XXXXXX", NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return;
  fd = g_mkstemp (tmp);
  if (fd < 0)
    return;
  close (fd);
  if (vips_pngsave (thumb, tmp, "compression", 1, NULL) != 0
      || g_rename (tmp, cache_path) != 0)
    {
      vips_error_clear ();
      g_unlink (tmp);
    }
}

GBytes *
limner_image_thumbnail_cached (const char  *path,
                               const char  *sha256,
                               int          size,
                               int         *width,
                               int         *height,
                               int         *stride,
                               GError     **error)
{
  g_autofree char *cache_path = NULL;
  VipsImage *thumb = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (sha256 != NULL && is_sha256_hex (sha256), NULL);
  g_return_val_if_fail (size > 0, NULL);

  cache_path = limner_image_thumbnail_cache_path (sha256, size);
  if (g_file_test (cache_path, G_FILE_TEST_IS_REGULAR))
    {
      /* Our own PNG, but the cache dir is writable by anyone with the
       * user's rights: check it like any other file. */
      VipsSource *source = source_for (cache_path);

      if (source != NULL
          && vips_pngload_source (source, &thumb, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL) != 0)
        thumb = NULL;
      g_clear_object (&source);
      if (thumb != NULL
          && thumb->Xsize <= size && thumb->Ysize <= size
          && thumb->BandFmt == VIPS_FORMAT_UCHAR
          && (thumb->Bands == 3 || thumb->Bands == 4))
        {
          g_autoptr(GError) local_error = NULL;
          GBytes *bytes;
          VipsImage *copy;

          /* Decode now, so a damaged cache file falls back to a re-render. */
          if ((copy = vips_image_copy_memory (thumb)) != NULL)
            {
              g_object_unref (thumb);
              bytes = pack_rgba (copy, cache_path, width, height, stride, &local_error);
              if (bytes != NULL)
                return bytes;
              thumb = NULL;
            }
        }
      g_clear_object (&thumb);
      vips_error_clear ();
      g_unlink (cache_path);
    }

  thumb = limner_image_thumbnail (path, size, error);
  if (thumb == NULL)
    return NULL;
  {
    /* Render once into memory for both the cache file and the caller. */
    VipsImage *copy = vips_image_copy_memory (thumb);

    if (copy == NULL)
      {
        g_autofree char *detail = vips_error_detail ();
        g_autofree char *display = g_filename_display_name (path);

        vips_error_clear ();
        g_object_unref (thumb);
        g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                     _("%s: the thumbnail cannot be made (%s)."), display, detail);
        return NULL;
      }
    g_object_unref (thumb);
    cache_store (copy, cache_path);
    return pack_rgba (copy, path, width, height, stride, error);
  }
}
