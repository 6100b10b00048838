/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-annotations-private.h: what the format readers
 * (limner-import-labelme.c, -coco.c, -voc.c, -yolo.c, sharing
 * limner-import-parse.c) hand to the importer
 * (limner-import-annotations.c). Never include it elsewhere.
 *
 * A reader turns one annotation file into parsed images holding parsed
 * shapes, still in the file's terms (label names, the file's group keys,
 * coordinates not yet clamped). It fails the whole file on anything
 * malformed, and lists what it skips on purpose.
 */
#pragma once

#include <jansson.h>

#include "limner-import-annotations.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

typedef struct {
  char            *item;      /* "shape 3", "annotation 17", "line 4", "object 2" */
  char            *label;
  LimnerShapeKind  kind;
  GArray          *points;    /* of double: pixels, or fractions when the image is normalised */
  gint64           group;     /* 0 = none; otherwise a key unique within the file */
  gboolean         has_score;
  double           score;
  char            *note;      /* how the file's shape was converted, reported once it is imported */
} LimnerParsedShape;

typedef struct {
  char       *item;        /* "image 3", "imagePath", "filename"... for messages */
  char       *name;        /* the image as the file names it (a path, or a YOLO stem) */
  char       *fallback;    /* a stem to match when `name` matches no image (the annotation
                            * file's own name, for one-image-per-file formats), or NULL */
  char       *resolved;    /* `name` resolved on disk (absolute, inside the root), or NULL */
  GPtrArray  *candidates;  /* of char *: image files on disk that may be this image */
  char       *sha256;      /* recorded by the file, or NULL */
  gboolean    by_stem;     /* match `name` against file stems (YOLO) */
  gboolean    normalised;  /* points are fractions of the width and height (YOLO) */
  int         width;       /* as the file declares them, 0 if it does not */
  int         height;
  char       *skip_reason; /* skip the whole image, e.g. an augmented copy */
  char       *note;        /* how the image was found, reported once it receives shapes */
  GPtrArray  *shapes;      /* of LimnerParsedShape */
} LimnerParsedImage;

typedef struct {
  const LimnerAnnotationImportOptions  *options;
  const char                           *path;     /* the file, absolute */
  const char                           *display;  /* the file for messages */
  const char                           *root;     /* the folder the user chose, canonical */
  char                                **names;    /* YOLO class names */
  guint                                 yolo_kpt_values; /* YOLO pose: values per row after the box, 0 if not pose */
  GPtrArray                            *images;   /* of LimnerParsedImage */
  GPtrArray                            *skipped;  /* of char * */
  GPtrArray                            *notes;    /* of char *: warnings about the file as a whole */
} LimnerParseContext;

LimnerParsedShape *limner_parsed_shape_new  (const char *item);
void               limner_parsed_shape_free (LimnerParsedShape *shape);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerParsedShape, limner_parsed_shape_free)
LimnerParsedImage *limner_parsed_image_new  (const char *item);
void               limner_parsed_image_free (LimnerParsedImage *image);

/* Adds "DISPLAY: MESSAGE" to ctx->skipped. */
void     limner_parse_skip (LimnerParseContext *ctx,
                            const char         *format,
                            ...) G_GNUC_PRINTF (2, 3);
/* Text from a file made fit to quote in a message: control characters
 * escaped (a CR would move the cursor), bytes that are not UTF-8 escaped,
 * and cut after LIMNER_PARSE_EXCERPT_CHARS characters with an ellipsis. */
#define LIMNER_PARSE_EXCERPT_CHARS 80
char    *limner_parse_excerpt (const char *text);

/* Adds "DISPLAY: MESSAGE" to ctx->notes: something imported, but worth a look. */
void     limner_parse_note (LimnerParseContext *ctx,
                            const char         *format,
                            ...) G_GNUC_PRINTF (2, 3);
/* Sets a LIMNER_ANNOTATION_IMPORT_ERROR prefixed with "DISPLAY: ". */
void     limner_parse_error (LimnerParseContext  *ctx,
                             GError             **error,
                             int                  code,
                             const char          *format,
                             ...) G_GNUC_PRINTF (4, 5);

/* Resolves a path the file gives (relative to `base_dir`, '\\' read as '/')
 * and fails with LIMNER_ANNOTATION_IMPORT_ERROR_BAD_PATH naming `item` when
 * it is absolute or leads outside ctx->root. */
char    *limner_parse_resolve_path (LimnerParseContext  *ctx,
                                    const char          *base_dir,
                                    const char          *ref,
                                    const char          *item,
                                    GError             **error);
/* Adds `path` to the image's candidates if it lies inside ctx->root. */
void     limner_parse_add_candidate (LimnerParseContext *ctx,
                                     LimnerParsedImage  *image,
                                     const char         *path);
/* Fails, naming `item`, unless `v` is finite and within
 * ±LIMNER_IMPORT_ANNOTATIONS_MAX_COORDINATE (in the file's units; the
 * importer checks the range again in pixels). */
gboolean limner_parse_check_coordinate (LimnerParseContext  *ctx,
                                        const char          *item,
                                        double               v,
                                        GError             **error);

/* JSON parsed with duplicate keys rejected; fails naming the line and column. */
json_t  *limner_parse_load_json (LimnerParseContext  *ctx,
                                 const char          *data,
                                 gsize                len,
                                 GError             **error);
/* A whole number that fits a gint64; jansson reads "1.0" as a real. */
gboolean limner_parse_json_int (json_t *value,
                                gint64 *out);
/* Appends the point (x, y), failing naming the shape unless both are
 * numbers that pass limner_parse_check_coordinate(). */
gboolean limner_parse_add_point (LimnerParseContext  *ctx,
                                 LimnerParsedShape   *shape,
                                 json_t              *x,
                                 json_t              *y,
                                 GError             **error);
/* Drops vertices that repeat the one before, and a last one that repeats the first. */
void     limner_parse_polygon_drop_repeats (GArray *points);
/* Replaces `points` with the four corners of a w×h box centred on (cx, cy)
 * turned by `radians`, clockwise on screen, from the corner that was top left. */
void     limner_parse_rotated_box (GArray *points,
                                   double  cx,
                                   double  cy,
                                   double  w,
                                   double  h,
                                   double  radians);
/* The image size a file declares: sets image->width and ->height when
 * both are whole numbers from 1 to G_MAXINT, and otherwise, when the file
 * gives a size at all, notes that it is not usable and was not checked.
 * `w_text` and `h_text` are the values as written, for the note. */
void     limner_parse_declared_size (LimnerParseContext *ctx,
                                     LimnerParsedImage  *image,
                                     gboolean            w_ok,
                                     double              w,
                                     gboolean            h_ok,
                                     double              h);
/* The file name without its folders and its last extension. */
char    *limner_parse_file_stem (const char *path);
/* TRUE for a name with no extension at all, matched against file stems. */
gboolean limner_parse_name_lacks_extension (const char *name);

gboolean limner_parse_labelme (LimnerParseContext *ctx, const char *data, gsize len, GError **error);
gboolean limner_parse_coco    (LimnerParseContext *ctx, const char *data, gsize len, GError **error);
gboolean limner_parse_voc     (LimnerParseContext *ctx, const char *data, gsize len, GError **error);
gboolean limner_parse_yolo    (LimnerParseContext *ctx, const char *data, gsize len, GError **error);

/* Class names from a data.yaml ("names:" as a list, a flow list or an
 * index map, a flow collection possibly spread over several lines) or from
 * a text file with one name per line. */
char   **limner_parse_yolo_names (const char  *display,
                                  const char  *data,
                                  gsize        len,
                                  gboolean     yaml,
                                  GError     **error);
/* The number of values a pose row has after its box, from a data.yaml's
 * "kpt_shape: [K, D]" (K * D), or 0 when there is none. */
guint    limner_parse_yolo_kpt_values (const char *data,
                                       gsize       len);

/* Text as the readers want it: a UTF-8 byte order mark dropped, UTF-16
 * with a byte order mark converted to UTF-8. Returns `data` itself, moved
 * past a BOM, or newly allocated converted text in `*converted`; fails with
 * LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED when UTF-16 text does not
 * convert. */
const char *limner_parse_text (const char  *display,
                               const char  *data,
                               gsize       *len,
                               char       **converted,
                               GError     **error);

G_END_DECLS
