/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of safe image access: probing, refusals, thumbnails, pyramids. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-image.h"

#include "limner-test-images.h"

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
write_jpeg (const char *name, int width, int height)
{
  char *path = tmp_path (name);

  test_write_jpeg (path, width, height);
  return path;
}

static char *
write_png (const char *name, int width, int height)
{
  char *path = tmp_path (name);

  test_write_png (path, width, height);
  return path;
}

static char *
write_truncated_copy (const char *src, const char *name, double fraction)
{
  char *path = tmp_path (name);

  test_write_truncated_copy (src, path, fraction);
  return path;
}

static void
assert_probe_error (const char *path, LimnerImageError code, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  LimnerImageInfo info;

  g_assert_false (limner_image_probe (path, &info, &error));
  g_assert_error (error, LIMNER_IMAGE_ERROR, (int) code);
  /* Every reason names the file. */
  g_assert_nonnull (strstr (error->message, base));
  if (fragment)
    g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_probe_formats (void)
{
  g_autofree char *jpg = write_jpeg ("a.jpg", 320, 200);
  g_autofree char *png = write_png ("b.png", 33, 17);
  g_autofree char *webp = tmp_path ("c.webp");
  g_autofree char *avif = tmp_path ("d.avif");
  g_autofree char *heic = tmp_path ("e.heic");
  g_autoptr(VipsImage) image = test_make_image (64, 48, 3);
  LimnerImageInfo info;
  g_autoptr(GError) error = NULL;

  limner_image_probe (jpg, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info.width, ==, 320);
  g_assert_cmpint (info.height, ==, 200);
  g_assert_cmpstr (info.format, ==, "jpeg");
  g_assert_cmpint (info.bands, ==, 3);
  g_assert_cmpint (info.n_pages, ==, 1);
  g_assert_cmpint (info.n_levels, ==, 1);
  g_assert_false (info.tiled);

  limner_image_probe (png, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info.width, ==, 33);
  g_assert_cmpint (info.height, ==, 17);
  g_assert_cmpint (info.bands, ==, 4);
  g_assert_cmpstr (info.format, ==, "png");

  g_assert_cmpint (vips_webpsave (image, webp, NULL), ==, 0);
  limner_image_probe (webp, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "webp");
  g_assert_cmpint (info.width, ==, 64);
  {
    /* A WebP whose RIFF length promises more than the file holds. */
    g_autofree char *cut = write_truncated_copy (webp, "c-cut.webp", 0.6);
    assert_probe_error (cut, LIMNER_IMAGE_ERROR_TRUNCATED, "truncated");
  }

  /* The brief says the installed libvips has heifload; if that changes, this
   * test fails loudly rather than skipping. */
  g_assert_cmpint (vips_heifsave (image, avif, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, NULL), ==, 0);
  limner_image_probe (avif, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "avif");
  g_assert_cmpint (info.height, ==, 48);

  g_assert_cmpint (vips_heifsave (image, heic, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, NULL), ==, 0);
  limner_image_probe (heic, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "heif");
}

static void
test_probe_rejects (void)
{
  g_autofree char *empty = tmp_path ("empty.jpg");
  g_autofree char *text = tmp_path ("notes.jpg");
  g_autofree char *matrix = tmp_path ("matrix.jpg");
  g_autofree char *missing = tmp_path ("missing.jpg");
  g_autofree char *jpg = write_jpeg ("whole.jpg", 400, 300);
  g_autofree char *png = write_png ("whole.png", 300, 200);
  g_autofree char *cut_jpg = write_truncated_copy (jpg, "cut.jpg", 0.5);
  g_autofree char *cut_png = write_truncated_copy (png, "cut.png", 0.5);
  g_autofree char *huge = NULL;
  g_autofree char *gif = tmp_path ("anim.gif");
  g_autoptr(VipsImage) image = test_make_image (16, 16, 3);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_probe_error (empty, LIMNER_IMAGE_ERROR_EMPTY, "empty");

  g_assert_true (g_file_set_contents (text, "Shopping list:\n- milk\n- bread\n", -1, NULL));
  assert_probe_error (text, LIMNER_IMAGE_ERROR_UNSUPPORTED, NULL);

  /* libvips' matrixload (not marked untrusted) accepts text like this. */
  g_assert_true (g_file_set_contents (matrix, "2 2\n1 2\n3 4\n", -1, NULL));
  assert_probe_error (matrix, LIMNER_IMAGE_ERROR_UNSUPPORTED, NULL);

  assert_probe_error (missing, LIMNER_IMAGE_ERROR_IO, NULL);

  assert_probe_error (cut_jpg, LIMNER_IMAGE_ERROR_TRUNCATED, "the file is truncated");
  assert_probe_error (cut_png, LIMNER_IMAGE_ERROR_TRUNCATED, "the file is truncated");

  huge = tmp_path ("big.png");
  test_write_huge_png_header (huge, 100000, 100000);
  assert_probe_error (huge, LIMNER_IMAGE_ERROR_TOO_LARGE,
                      "100000×100000 pixels is over the limit of 2147483648");

  g_assert_cmpint (vips_gifsave (image, gif, NULL), ==, 0);
  assert_probe_error (gif, LIMNER_IMAGE_ERROR_UNSUPPORTED, "not supported");
}

static void
test_probe_cap (void)
{
  g_autofree char *jpg = write_jpeg ("cap.jpg", 100, 50);
  LimnerImageInfo info;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (limner_image_get_max_pixels (), ==, G_GUINT64_CONSTANT (1) << 31);
  limner_image_set_max_pixels (4999);
  g_assert_cmpuint (limner_image_get_max_pixels (), ==, 4999);
  assert_probe_error (jpg, LIMNER_IMAGE_ERROR_TOO_LARGE, "over the limit of 4999");
  limner_image_set_max_pixels (5000);
  limner_image_probe (jpg, &info, &error);
  g_assert_no_error (error);
  limner_image_set_max_pixels (0);
  g_assert_cmpuint (limner_image_get_max_pixels (), ==, G_GUINT64_CONSTANT (1) << 31);
}

/* Bytes after the end marker (motion photos append a video) are not
 * truncation: the probe must look closer and accept the file. */
static void
test_probe_trailing_data (void)
{
  g_autofree char *jpg = write_jpeg ("trail-src.jpg", 200, 100);
  g_autofree char *png = write_png ("trail-src.png", 50, 40);
  const char *srcs[] = { jpg, png };
  const char *names[] = { "trail.jpg", "trail.png" };

  for (guint i = 0; i < G_N_ELEMENTS (srcs); i++)
    {
      g_autofree char *data = NULL;
      g_autofree char *path = tmp_path (names[i]);
      gsize len;
      GString *s;
      LimnerImageInfo info;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_get_contents (srcs[i], &data, &len, NULL));
      s = g_string_new_len (data, len);
      for (int k = 0; k < 20000; k++)
        g_string_append_c (s, (char) (k * 7));
      g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
      g_string_free (s, TRUE);
      limner_image_probe (path, &info, &error);
      g_assert_no_error (error);
    }
}

static void
test_tiff_pyramid (void)
{
  g_autoptr(VipsImage) image = test_make_image (1500, 1000, 3);
  g_autofree char *pages = tmp_path ("pyr-pages.tif");
  g_autofree char *subifd = tmp_path ("pyr-subifd.tif");
  g_autofree char *strip = tmp_path ("strip.tif");
  LimnerImageInfo info;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (vips_tiffsave (image, pages, "tile", TRUE, "pyramid", TRUE, "bigtiff", TRUE,
                                  "tile_width", 256, "tile_height", 256,
                                  "compression", VIPS_FOREIGN_TIFF_COMPRESSION_JPEG, NULL), ==, 0);
  limner_image_probe (pages, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "tiff");
  g_assert_cmpint (info.width, ==, 1500);
  g_assert_cmpint (info.height, ==, 1000);
  g_assert_true (info.tiled);
  g_assert_cmpint (info.pyramid, ==, LIMNER_PYRAMID_PAGES);
  /* 1500 -> 750 -> 375 -> 187 (vips stops below one tile). */
  g_assert_cmpint (info.n_levels, ==, info.n_pages);
  g_assert_cmpint (info.n_levels, >=, 3);
  {
    g_autoptr(VipsImage) level = limner_image_open_level (pages, 2, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (abs (level->Xsize - 375), <=, 1);
  }

  g_assert_cmpint (vips_tiffsave (image, subifd, "tile", TRUE, "pyramid", TRUE, "bigtiff", TRUE,
                                  "subifd", TRUE, NULL), ==, 0);
  limner_image_probe (subifd, &info, &error);
  g_assert_no_error (error);
  g_assert_true (info.tiled);
  g_assert_cmpint (info.pyramid, ==, LIMNER_PYRAMID_SUBIFDS);
  g_assert_cmpint (info.n_levels, >=, 3);
  {
    g_autoptr(VipsImage) level = limner_image_open_level (subifd, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (abs (level->Xsize - 750), <=, 1);
  }
  {
    g_autoptr(VipsImage) level = limner_image_open_level (subifd, info.n_levels, NULL, &error);
    g_assert_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_UNSUPPORTED);
    g_assert_null (level);
    g_clear_error (&error);
  }

  g_assert_cmpint (vips_tiffsave (image, strip, NULL), ==, 0);
  limner_image_probe (strip, &info, &error);
  g_assert_no_error (error);
  g_assert_false (info.tiled);
  g_assert_cmpint (info.pyramid, ==, LIMNER_PYRAMID_NONE);
  g_assert_cmpint (info.n_levels, ==, 1);

  {
    g_autoptr(VipsImage) thumb = limner_image_thumbnail (pages, 128, &error);
    g_assert_no_error (error);
    g_assert_cmpint (thumb->Xsize, ==, 128);
  }
}

static void
test_open_level_jpeg (void)
{
  g_autofree char *jpg = write_jpeg ("levels.jpg", 800, 600);
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) l0 = limner_image_open_level (jpg, 0, NULL, &error);
  g_autoptr(VipsImage) l2 = limner_image_open_level (jpg, 2, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (l0->Xsize, ==, 800);
  g_assert_cmpint (l2->Xsize, ==, 200);
  g_assert_cmpint (l2->Ysize, ==, 150);
}

static void
test_thumbnail (void)
{
  g_autofree char *jpg = write_jpeg ("thumb.jpg", 1000, 500);
  g_autofree char *small = write_png ("small.png", 40, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int w = 0, h = 0, stride = 0;
  const guint8 *px;
  gsize len;

  {
    g_autoptr(VipsImage) thumb = limner_image_thumbnail (jpg, 256, &error);
    g_assert_no_error (error);
    g_assert_cmpint (thumb->Xsize, ==, 256);
    g_assert_cmpint (thumb->Ysize, ==, 128);
    g_assert_cmpint (thumb->BandFmt, ==, VIPS_FORMAT_UCHAR);
    g_assert_cmpint (thumb->Bands, ==, 3);
  }

  bytes = limner_image_thumbnail_rgba (jpg, 100, &w, &h, &stride, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, 100);
  g_assert_cmpint (h, ==, 50);
  g_assert_cmpint (stride, ==, 400);
  px = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, 100 * 50 * 4);
  for (int i = 0; i < w * h; i++)
    g_assert_cmpuint (px[i * 4 + 3], ==, 255);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Never enlarged. */
  bytes = limner_image_thumbnail_rgba (small, 256, &w, &h, &stride, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, 40);
  g_assert_cmpint (h, ==, 30);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Refused files give no thumbnail. */
  {
    g_autofree char *cut = write_truncated_copy (jpg, "thumb-cut.jpg", 0.4);
    g_autoptr(VipsImage) thumb = limner_image_thumbnail (cut, 64, &error);
    g_assert_null (thumb);
    g_assert_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_TRUNCATED);
  }
}

static void
test_thumbnail_cache (void)
{
  const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  g_autofree char *jpg = write_jpeg ("cached.jpg", 600, 400);
  g_autofree char *cache = limner_image_thumbnail_cache_path (sha, 64);
  g_autofree char *expected_dir = g_build_filename (tmpdir, "cache", "limner", "thumbnails", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) third = NULL;
  g_autofree char *dir = g_path_get_dirname (cache);
  int w, h, stride;

  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

  first = limner_image_thumbnail_cached (jpg, sha, 64, &w, &h, &stride, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, 64);
  g_assert_cmpint (h, ==, 43);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));

  /* With the source gone, the cache alone answers. */
  g_assert_cmpint (g_unlink (jpg), ==, 0);
  second = limner_image_thumbnail_cached (jpg, sha, 64, &w, &h, &stride, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, second));

  /* A damaged cache entry is dropped, and with no source that is an error. */
  g_assert_true (g_file_set_contents (cache, "garbage", -1, NULL));
  third = limner_image_thumbnail_cached (jpg, sha, 64, &w, &h, &stride, &error);
  g_assert_null (third);
  g_assert_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_IO);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
}

static void
test_extensions (void)
{
  g_assert_true (limner_image_has_image_extension ("/a/b/photo.JPG"));
  g_assert_true (limner_image_has_image_extension ("x.tiff"));
  g_assert_true (limner_image_has_image_extension ("x.webp"));
  g_assert_true (limner_image_has_image_extension ("x.avif"));
  g_assert_false (limner_image_has_image_extension ("x.txt"));
  g_assert_false (limner_image_has_image_extension ("/a/b.jpg/README"));
  g_assert_false (limner_image_has_image_extension ("jpg"));
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  test_tolerate_vips_warnings ();
  tmpdir = g_dir_make_tmp ("limner-test-image-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  cache = g_build_filename (tmpdir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_assert_true (limner_core_init (argv[0], NULL));

  g_test_add_func ("/core/image/probe-formats", test_probe_formats);
  g_test_add_func ("/core/image/probe-rejects", test_probe_rejects);
  g_test_add_func ("/core/image/probe-cap", test_probe_cap);
  g_test_add_func ("/core/image/probe-trailing-data", test_probe_trailing_data);
  g_test_add_func ("/core/image/tiff-pyramid", test_tiff_pyramid);
  g_test_add_func ("/core/image/open-level-jpeg", test_open_level_jpeg);
  g_test_add_func ("/core/image/thumbnail", test_thumbnail);
  g_test_add_func ("/core/image/thumbnail-cache", test_thumbnail_cache);
  g_test_add_func ("/core/image/extensions", test_extensions);

  rc = g_test_run ();
  /* Keep the files of a failed run for a look. */
  if (rc == 0)
    test_rm_rf (tmpdir);
  vips_shutdown ();
  g_free (tmpdir);
  return rc;
}
