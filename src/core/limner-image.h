/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image.h: safe access to image files through libvips.
 *
 * Every file is probed (header only, dimensions capped, truncation checked)
 * before any pixel is decoded. Only the loaders Limner trusts are accepted:
 * JPEG, PNG, TIFF (including tiled pyramidal BigTIFF), WebP and HEIF/AVIF
 * (when the installed libvips has heifload).
 *
 * All functions here are thread-safe and may be called from worker threads;
 * limner_core_init() must have run first.
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

G_BEGIN_DECLS

#define LIMNER_IMAGE_ERROR (limner_image_error_quark ())
GQuark limner_image_error_quark (void);

typedef enum {
  LIMNER_IMAGE_ERROR_UNSUPPORTED, /* not an image, or a format Limner does not open */
  LIMNER_IMAGE_ERROR_TRUNCATED,   /* header readable, data cut short */
  LIMNER_IMAGE_ERROR_TOO_LARGE,   /* width × height over the pixel cap */
  LIMNER_IMAGE_ERROR_EMPTY,       /* zero-byte file */
  LIMNER_IMAGE_ERROR_CORRUPT,     /* the loader failed on the header or the pixels */
  LIMNER_IMAGE_ERROR_IO,          /* cannot read the file, or write the cache */
} LimnerImageError;

/* How the reduced-resolution levels of a TIFF pyramid are stored. */
typedef enum {
  LIMNER_PYRAMID_NONE,    /* a single level */
  LIMNER_PYRAMID_PAGES,   /* level i is page i (each half the size of the one before) */
  LIMNER_PYRAMID_SUBIFDS, /* level 0 is the main image, level i is subifd i - 1 */
} LimnerPyramidKind;

typedef struct {
  int                width;     /* of the first page / full resolution */
  int                height;
  const char        *format;    /* interned: "jpeg", "png", "tiff", "webp", "heif", "avif" */
  int                n_pages;   /* 1 for single-page files */
  int                bands;
  gint64             file_size; /* bytes */
  /* TIFF only; FALSE / LIMNER_PYRAMID_NONE / 1 otherwise. */
  gboolean           tiled;
  LimnerPyramidKind  pyramid;
  int                n_levels;  /* resolution levels including the full one, >= 1 */
} LimnerImageInfo;

/* The cap on width × height, checked before any pixel is decoded.
 * Default 2^31. A value of 0 restores the default. */
void         limner_image_set_max_pixels (guint64 max_pixels);
guint64      limner_image_get_max_pixels (void);

/* Extensions (lowercase, without the dot) that folder scans consider. */
const char * const *limner_image_get_extensions (void);
/* TRUE if the file name ends in one of those extensions (any case). */
gboolean     limner_image_has_image_extension (const char *path);

/* Reads the header only (never decodes pixels) and fills `info`.
 * Rejects empty, non-image, unsupported, truncated and too large files with a
 * LIMNER_IMAGE_ERROR whose message names the file, for example
 * "photo.jpg: the file is truncated." */
gboolean     limner_image_probe (const char       *path,
                                 LimnerImageInfo  *info,
                                 GError          **error);

/* Probes, then opens the image for random access (tiles decode on demand).
 * `level` picks a resolution level: for a TIFF pyramid its level (see
 * LimnerPyramidKind); for JPEG a shrink-on-load of 2^level (level <= 3); for
 * WebP a load scaled by 1/2^level. Other formats only have level 0.
 * `info` may be NULL. The returned image is in the file's own colour space. */
VipsImage   *limner_image_open_level (const char       *path,
                                      int               level,
                                      LimnerImageInfo  *info,
                                      GError          **error);

/* A thumbnail no larger than size × size (never enlarged), made with
 * vips_thumbnail (shrink-on-load); sRGB, uchar, 3 or 4 bands. */
VipsImage   *limner_image_thumbnail (const char  *path,
                                     int          size,
                                     GError     **error);

/* The same thumbnail as packed RGBA8 pixels (stride = width * 4, alpha 255
 * where the file has none), ready for gdk_memory_texture_new() with
 * GDK_MEMORY_R8G8B8A8. */
GBytes      *limner_image_thumbnail_rgba (const char  *path,
                                          int          size,
                                          int         *width,
                                          int         *height,
                                          int         *stride,
                                          GError     **error);

/* Like limner_image_thumbnail_rgba(), through the disk cache at
 * $XDG_CACHE_HOME/limner/thumbnails/<sha256>-<size>.png: read from there when
 * present, otherwise rendered and written there atomically. A cache that
 * cannot be written is not an error. */
GBytes      *limner_image_thumbnail_cached (const char  *path,
                                            const char  *sha256,
                                            int          size,
                                            int         *width,
                                            int         *height,
                                            int         *stride,
                                            GError     **error);
/* Where the cached thumbnail for (sha256, size) lives. */
char        *limner_image_thumbnail_cache_path (const char *sha256, int size);

G_END_DECLS
