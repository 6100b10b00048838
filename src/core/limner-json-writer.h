/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-json-writer.h: a streaming JSON writer with one fixed output form.
 *
 * Exports must be byte-identical on every machine, so nothing here depends on
 * the locale, on hash-table order or on the C library's choice of digits:
 *
 * - keys appear in the order the caller writes them;
 * - numbers: integers in decimal; doubles that hold a whole number below 2^53
 *   are written as integers ("12", "-3", "0", also for -0.0); every other
 *   double in the shortest of "%.15g", "%.16g", "%.17g" that reads back as the
 *   same double (so 0.1 -> "0.1", 1e-7 -> "1e-07"); never NaN or infinity;
 * - strings: UTF-8 as is, with only '"', '\\' and control characters escaped
 *   (\b \f \n \r \t, others as \u00XX); invalid UTF-8 is an error;
 * - layout: two-space indentation, one member per line, ": " after keys;
 *   a container opened "inline" is written on one line with ", " between
 *   members, and so is everything inside it; empty containers are "[]"/"{}";
 *   the document ends with a newline.
 *
 * Output goes through a sink in chunks of about 64 KiB. Errors are sticky:
 * check limner_json_writer_finish().
 */
#pragma once

#include <gio/gio.h>

#include "limner-atomic-file.h"

G_BEGIN_DECLS

typedef struct _LimnerJsonWriter LimnerJsonWriter;

typedef gboolean (*LimnerJsonSinkFunc) (const char  *data,
                                        gsize        len,
                                        gpointer     user_data,
                                        GError     **error);

LimnerJsonWriter *limner_json_writer_new                  (LimnerJsonSinkFunc  sink,
                                                           gpointer            user_data);
LimnerJsonWriter *limner_json_writer_new_for_atomic_file  (LimnerAtomicFile   *file);
/* Feeds the bytes into a checksum (e.g. to hash a canonical form). */
LimnerJsonWriter *limner_json_writer_new_for_checksum     (GChecksum          *checksum);
/* Appends to a string. */
LimnerJsonWriter *limner_json_writer_new_for_string       (GString            *string);

void limner_json_writer_begin_object (LimnerJsonWriter *self, gboolean inline_);
void limner_json_writer_end_object   (LimnerJsonWriter *self);
void limner_json_writer_begin_array  (LimnerJsonWriter *self, gboolean inline_);
void limner_json_writer_end_array    (LimnerJsonWriter *self);

/* Inside an object, each value is preceded by its key. */
void limner_json_writer_key          (LimnerJsonWriter *self, const char *key);
void limner_json_writer_string       (LimnerJsonWriter *self, const char *value); /* NULL -> null */
void limner_json_writer_int          (LimnerJsonWriter *self, gint64 value);
void limner_json_writer_double       (LimnerJsonWriter *self, double value);
void limner_json_writer_bool         (LimnerJsonWriter *self, gboolean value);
void limner_json_writer_null         (LimnerJsonWriter *self);
/* Writes pre-formatted JSON text as a value, unchanged (caller's responsibility). */
void limner_json_writer_raw          (LimnerJsonWriter *self, const char *json);

/* Shorthands for key + value. */
void limner_json_writer_member_string (LimnerJsonWriter *self, const char *key, const char *value);
void limner_json_writer_member_int    (LimnerJsonWriter *self, const char *key, gint64 value);
void limner_json_writer_member_double (LimnerJsonWriter *self, const char *key, double value);
void limner_json_writer_member_bool   (LimnerJsonWriter *self, const char *key, gboolean value);
void limner_json_writer_member_null   (LimnerJsonWriter *self, const char *key);

/* Flushes; checks that every container was closed. Returns FALSE with the
 * first error (sink failure, non-finite number, invalid UTF-8, misuse). */
gboolean limner_json_writer_finish (LimnerJsonWriter  *self,
                                    GError           **error);
void     limner_json_writer_free   (LimnerJsonWriter *self);

/* The number format described above, into `buf`; returns buf. */
#define LIMNER_JSON_NUMBER_BUF_SIZE 40
char    *limner_json_format_double (double value,
                                    char   buf[LIMNER_JSON_NUMBER_BUF_SIZE]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerJsonWriter, limner_json_writer_free)

G_END_DECLS
