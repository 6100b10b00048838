/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-images.h: test inputs made at run time with libvips, and the
 * bad files import must refuse. Header-only (static inline) so each test
 * program takes what it uses. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

/* libvips 8.14 has no g_autoptr support. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VipsImage, g_object_unref)

/* Removes a tree without following symlinks. */
static inline void
test_rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          test_rm_rf (child);
        }
      if (dir)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static inline void
test_log_vips_message (const char *log_domain, GLogLevelFlags level, const char *message, gpointer data)
{
  g_test_message ("%s: %s", log_domain, message);
}

/* libvips warns about what it tolerates in files ("ignoring nclx profile",
 * "not enough data" while we check a truncated file on purpose); those are
 * not failures. Criticals stay fatal. Call after g_test_init(). */
static inline void
test_tolerate_vips_warnings (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_handler ("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, test_log_vips_message, NULL);
}

/* A noisy image, so JPEG and PNG files are not trivially small. Different
 * calls give different pixels (gaussnoise has its own seed per call). */
static inline VipsImage *
test_make_image (int width, int height, int bands)
{
  VipsImage *noise = NULL, *u8 = NULL, *out = NULL;
  VipsImage **b = g_new0 (VipsImage *, bands);

  g_assert_cmpint (vips_gaussnoise (&noise, width, height, "mean", 128.0, "sigma", 40.0,
                                    "seed", g_test_rand_int (), NULL), ==, 0);
  g_assert_cmpint (vips_cast_uchar (noise, &u8, NULL), ==, 0);
  for (int i = 0; i < bands; i++)
    b[i] = u8;
  g_assert_cmpint (vips_bandjoin (b, &out, bands, NULL), ==, 0);
  if (bands >= 3)
    out->Type = VIPS_INTERPRETATION_sRGB;
  g_object_unref (noise);
  g_object_unref (u8);
  g_free (b);
  return out;
}

static inline void
test_write_jpeg (const char *path, int width, int height)
{
  g_autoptr(VipsImage) image = test_make_image (width, height, 3);

  g_assert_cmpint (vips_jpegsave (image, path, NULL), ==, 0);
}

/* A PNG whose pixels depend only on `seed`: its hash is the same on every
 * run, for tests whose outcome follows the hashes (a seeded split). */
static inline void
test_write_png_seeded (const char *path, int width, int height, guint32 seed)
{
  VipsImage *noise = NULL, *u8 = NULL;

  g_assert_cmpint (vips_gaussnoise (&noise, width, height, "mean", 128.0, "sigma", 40.0,
                                    "seed", (int) seed, NULL), ==, 0);
  g_assert_cmpint (vips_cast_uchar (noise, &u8, NULL), ==, 0);
  g_assert_cmpint (vips_pngsave (u8, path, NULL), ==, 0);
  g_object_unref (noise);
  g_object_unref (u8);
}

static inline void
test_write_png (const char *path, int width, int height)
{
  g_autoptr(VipsImage) image = test_make_image (width, height, 4);

  g_assert_cmpint (vips_pngsave (image, path, NULL), ==, 0);
}

/* Copies the first `fraction` of `src` to `dst`. */
static inline void
test_write_truncated_copy (const char *src, const char *dst, double fraction)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (dst, data, (gssize) (len * fraction), NULL));
}

static inline guint32
test_crc32 (const guint8 *p, gsize n)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      crc ^= p[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
  return crc ^ 0xffffffffu;
}

static inline void
test_put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* A PNG whose IHDR claims width × height, with valid CRCs and a token IDAT
 * (an empty zlib stream): a header any reader accepts, and no pixels. */
static inline void
test_write_huge_png_header (const char *path, guint32 width, guint32 height)
{
  static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 zlib_empty[8] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
  guint8 png[8 + 25 + 20 + 12];
  guint8 *ihdr = png + 8;
  guint8 *idat = ihdr + 25;
  guint8 *iend = idat + 20;

  memcpy (png, sig, 8);
  test_put_be32 (ihdr, 13);
  memcpy (ihdr + 4, "IHDR", 4);
  test_put_be32 (ihdr + 8, width);
  test_put_be32 (ihdr + 12, height);
  ihdr[16] = 8;  /* bit depth */
  ihdr[17] = 2;  /* colour type: RGB */
  ihdr[18] = 0;  /* compression */
  ihdr[19] = 0;  /* filter */
  ihdr[20] = 0;  /* interlace */
  test_put_be32 (ihdr + 21, test_crc32 (ihdr + 4, 17));
  test_put_be32 (idat, sizeof zlib_empty);
  memcpy (idat + 4, "IDAT", 4);
  memcpy (idat + 8, zlib_empty, sizeof zlib_empty);
  test_put_be32 (idat + 16, test_crc32 (idat + 4, 4 + sizeof zlib_empty));
  test_put_be32 (iend, 0);
  memcpy (iend + 4, "IEND", 4);
  test_put_be32 (iend + 8, test_crc32 (iend + 4, 4));
  g_assert_true (g_file_set_contents (path, (char *) png, sizeof png, NULL));
}
