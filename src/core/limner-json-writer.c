/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-json-writer.c: deterministic streaming JSON output. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-json-writer.h"

#define FLUSH_SIZE (64 * 1024)

#ifndef __SIZEOF_INT128__
#error "limner-json-writer.c needs a compiler with unsigned __int128 (64-bit GCC or Clang)"
#endif

typedef unsigned __int128 u128;

/* Writes the decimal digits of v ending just before `end`; returns the first. */
static char *
put_digits (u128 v, char *end, int min_digits)
{
  char *p = end;

  while (v >= G_GUINT64_CONSTANT (10000000000000000000))
    {
      *--p = '0' + (int) (v % 10);
      v /= 10;
      min_digits--;
    }
  for (guint64 w = (guint64) v; w > 0 || min_digits > 0; w /= 10, min_digits--)
    *--p = '0' + (int) (w % 10);
  return p;
}

typedef struct {
  gboolean object;
  gboolean inline_;
  guint    count;
  gboolean have_key;
} Frame;

struct _LimnerJsonWriter
{
  LimnerJsonSinkFunc  sink;
  gpointer            sink_data;
  GString            *out;
  GArray             *stack;      /* of Frame */
  gboolean            root_done;
  GError             *error;      /* first error, sticky */
};

LimnerJsonWriter *
limner_json_writer_new (LimnerJsonSinkFunc sink, gpointer user_data)
{
  LimnerJsonWriter *self;

  g_return_val_if_fail (sink != NULL, NULL);

  self = g_new0 (LimnerJsonWriter, 1);
  self->sink = sink;
  self->sink_data = user_data;
  self->out = g_string_sized_new (FLUSH_SIZE + 1024);
  self->stack = g_array_new (FALSE, FALSE, sizeof (Frame));
  return self;
}

static gboolean
atomic_file_sink (const char *data, gsize len, gpointer user_data, GError **error)
{
  return limner_atomic_file_write (user_data, data, len, error);
}

static gboolean
checksum_sink (const char *data, gsize len, gpointer user_data, GError **error)
{
  g_checksum_update (user_data, (const guchar *) data, len);
  return TRUE;
}

static gboolean
string_sink (const char *data, gsize len, gpointer user_data, GError **error)
{
  g_string_append_len (user_data, data, len);
  return TRUE;
}

LimnerJsonWriter *
limner_json_writer_new_for_atomic_file (LimnerAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return limner_json_writer_new (atomic_file_sink, file);
}

LimnerJsonWriter *
limner_json_writer_new_for_checksum (GChecksum *checksum)
{
  g_return_val_if_fail (checksum != NULL, NULL);
  return limner_json_writer_new (checksum_sink, checksum);
}

LimnerJsonWriter *
limner_json_writer_new_for_string (GString *string)
{
  g_return_val_if_fail (string != NULL, NULL);
  return limner_json_writer_new (string_sink, string);
}

void
limner_json_writer_free (LimnerJsonWriter *self)
{
  if (self == NULL)
    return;
  g_string_free (self->out, TRUE);
  g_array_unref (self->stack);
  g_clear_error (&self->error);
  g_free (self);
}

static void
fail (LimnerJsonWriter *self, const char *message)
{
  if (self->error == NULL)
    self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
}

static void
flush (LimnerJsonWriter *self)
{
  if (self->out->len == 0)
    return;
  if (self->error == NULL)
    self->sink (self->out->str, self->out->len, self->sink_data, &self->error);
  g_string_truncate (self->out, 0);
}

static void
maybe_flush (LimnerJsonWriter *self)
{
  if (self->out->len >= FLUSH_SIZE)
    flush (self);
}

static Frame *
top (LimnerJsonWriter *self)
{
  return self->stack->len > 0 ? &g_array_index (self->stack, Frame, self->stack->len - 1) : NULL;
}

static void
newline_indent (LimnerJsonWriter *self, guint depth)
{
  g_string_append_c (self->out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (self->out, "  ");
}

/* Separators and checks before a value. Returns FALSE on misuse. */
static gboolean
before_value (LimnerJsonWriter *self)
{
  Frame *f = top (self);

  if (self->error != NULL)
    return FALSE;
  if (f == NULL)
    {
      if (self->root_done)
        {
          fail (self, _("JSON writer: a second value after the document."));
          return FALSE;
        }
      self->root_done = TRUE;
      return TRUE;
    }
  if (f->object)
    {
      if (!f->have_key)
        {
          fail (self, _("JSON writer: a value inside an object needs a key."));
          return FALSE;
        }
      f->have_key = FALSE;
      return TRUE;
    }
  if (f->count > 0)
    g_string_append_c (self->out, ',');
  if (f->inline_)
    {
      if (f->count > 0)
        g_string_append_c (self->out, ' ');
    }
  else
    newline_indent (self, self->stack->len);
  f->count++;
  return TRUE;
}

static void
append_string (LimnerJsonWriter *self, const char *s)
{
  const char *end = NULL;

  if (!g_utf8_validate (s, -1, &end))
    {
      /* The text itself, made valid, is what lets a user find the item. */
      g_autofree char *shown = g_utf8_make_valid (s, MIN (strlen (s), 200));
      g_autofree char *msg = g_strdup_printf (_("JSON writer: the text “%s” is not valid UTF-8."), shown);

      fail (self, msg);
      return;
    }
  g_string_append_c (self->out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (self->out, "\\\""); break;
        case '\\': g_string_append (self->out, "\\\\"); break;
        case '\b': g_string_append (self->out, "\\b"); break;
        case '\f': g_string_append (self->out, "\\f"); break;
        case '\n': g_string_append (self->out, "\\n"); break;
        case '\r': g_string_append (self->out, "\\r"); break;
        case '\t': g_string_append (self->out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (self->out, "\\u%04x", *p);
          else
            g_string_append_c (self->out, *p);
        }
    }
  g_string_append_c (self->out, '"');
}

static void
begin (LimnerJsonWriter *self, gboolean object, gboolean inline_)
{
  Frame *parent = top (self);
  Frame f = { object, inline_ || (parent != NULL && parent->inline_), 0, FALSE };

  if (!before_value (self))
    return;
  g_string_append_c (self->out, object ? '{' : '[');
  g_array_append_val (self->stack, f);
}

static void
end (LimnerJsonWriter *self, gboolean object)
{
  Frame *f = top (self);
  Frame copy;

  if (self->error != NULL)
    return;
  if (f == NULL || f->object != object || f->have_key)
    {
      fail (self, _("JSON writer: containers closed out of order."));
      return;
    }
  copy = *f;
  g_array_set_size (self->stack, self->stack->len - 1);
  if (copy.count > 0 && !copy.inline_)
    newline_indent (self, self->stack->len);
  g_string_append_c (self->out, object ? '}' : ']');
  maybe_flush (self);
}

void
limner_json_writer_begin_object (LimnerJsonWriter *self, gboolean inline_)
{
  g_return_if_fail (self != NULL);
  begin (self, TRUE, inline_);
}

void
limner_json_writer_end_object (LimnerJsonWriter *self)
{
  g_return_if_fail (self != NULL);
  end (self, TRUE);
}

void
limner_json_writer_begin_array (LimnerJsonWriter *self, gboolean inline_)
{
  g_return_if_fail (self != NULL);
  begin (self, FALSE, inline_);
}

void
limner_json_writer_end_array (LimnerJsonWriter *self)
{
  g_return_if_fail (self != NULL);
  end (self, FALSE);
}

void
limner_json_writer_key (LimnerJsonWriter *self, const char *key)
{
  Frame *f;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  f = top (self);
  if (self->error != NULL)
    return;
  if (f == NULL || !f->object || f->have_key)
    {
      fail (self, _("JSON writer: a key outside an object."));
      return;
    }
  if (f->count > 0)
    g_string_append_c (self->out, ',');
  if (f->inline_)
    {
      if (f->count > 0)
        g_string_append_c (self->out, ' ');
    }
  else
    newline_indent (self, self->stack->len);
  append_string (self, key);
  g_string_append (self->out, ": ");
  f->count++;
  f->have_key = TRUE;
}

void
limner_json_writer_string (LimnerJsonWriter *self, const char *value)
{
  g_return_if_fail (self != NULL);

  if (value == NULL)
    {
      limner_json_writer_null (self);
      return;
    }
  if (!before_value (self))
    return;
  append_string (self, value);
  maybe_flush (self);
}

void
limner_json_writer_int (LimnerJsonWriter *self, gint64 value)
{
  char buf[32];
  char *end = buf + sizeof buf;
  char *p;
  /* The magnitude in unsigned arithmetic, so G_MININT64 works too. */
  guint64 magnitude = value < 0 ? G_GUINT64_CONSTANT (0) - (guint64) value : (guint64) value;

  g_return_if_fail (self != NULL);
  if (!before_value (self))
    return;
  p = put_digits (magnitude, end, 1);
  if (value < 0)
    *--p = '-';
  g_string_append_len (self->out, p, end - p);
  maybe_flush (self);
}

/* A double a = M / 2^s (53-bit M, so one unit in the last place is 1 / 2^s)
 * and its closest decimal with k decimals, q / 10^k. */
typedef struct {
  guint64  M;
  int      s;
  u128     F;            /* numerator of the fraction part, over 2^s */
  gboolean power_of_two; /* the next double down is half as far */
} Fixed;

/* Whether the closest k-decimal reads back as the double; sets *q_out. It
 * does when it lies within half a unit of the double (a quarter below a power
 * of two), an exact tie going to the double with the even mantissa. */
static gboolean
fixed_round_trips (const Fixed *x, int k, u128 *q_out)
{
  static const u128 pow10[21] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    G_GUINT64_CONSTANT (10000000000), G_GUINT64_CONSTANT (100000000000),
    G_GUINT64_CONSTANT (1000000000000), G_GUINT64_CONSTANT (10000000000000),
    G_GUINT64_CONSTANT (100000000000000), G_GUINT64_CONSTANT (1000000000000000),
    G_GUINT64_CONSTANT (10000000000000000), G_GUINT64_CONSTANT (100000000000000000),
    G_GUINT64_CONSTANT (1000000000000000000), G_GUINT64_CONSTANT (10000000000000000000),
    (u128) G_GUINT64_CONSTANT (10000000000000000000) * 10,
  };
  u128 one = (u128) 1 << x->s;
  u128 P = x->F * pow10[k];
  u128 q = P >> x->s;
  u128 r = P - (q << x->s);
  u128 gap;

  /* Round half to even; gap is twice the distance, in units of 1 / (10^k 2^s). */
  if (2 * r > one || (2 * r == one && (q & 1)))
    {
      q++;
      gap = 2 * (one - r);
    }
  else
    gap = x->power_of_two ? 4 * r : 2 * r;

  *q_out = q;
  return gap < pow10[k] || (gap == pow10[k] && (x->M & 1) == 0);
}

/* The shortest fixed-point decimal that reads back as `a` (2^-10 <= a < 2^53,
 * not a whole number), in exact integer arithmetic. Reading back works for k
 * decimals, then for every larger k, so a binary search finds the fewest. The
 * closest decimal with that many is the one written. */
static gboolean
format_fixed (double a, char *out)
{
  char tmp[64];
  char *end = tmp + sizeof tmp;
  char *p;
  Fixed x;
  guint64 ip;
  u128 q = 0;
  int e, lo = 1, hi = 20;

  x.M = (guint64) ldexp (frexp (a, &e), 53);
  x.s = 53 - e;                                  /* 0..62 in this range */
  x.F = x.s >= 53 ? x.M : x.M & ((G_GUINT64_CONSTANT (1) << x.s) - 1);
  x.power_of_two = x.M == G_GUINT64_CONSTANT (1) << 52;
  ip = x.s >= 53 ? 0 : x.M >> x.s;

  if (!fixed_round_trips (&x, hi, &q))
    return FALSE;
  while (lo < hi)
    {
      int mid = (lo + hi) / 2;
      u128 qm;

      if (fixed_round_trips (&x, mid, &qm))
        hi = mid;
      else
        lo = mid + 1;
    }
  fixed_round_trips (&x, lo, &q);

  /* q = 10^k would carry into the whole part; it cannot happen (a whole
   * number never reads back as a non-integer) but stay exact if it did. */
  p = put_digits (q, end, lo);
  if (end - p > lo)
    {
      ip++;
      p++;
    }
  *--p = '.';
  p = put_digits (ip, p, 1);
  memcpy (out, p, end - p);
  out[end - p] = '\0';
  return TRUE;
}

char *
limner_json_format_double (double value, char buf[LIMNER_JSON_NUMBER_BUF_SIZE])
{
  double a = fabs (value);
  char *p = buf;

  /* 2^53: every whole number below it is exact in a double and in a gint64. */
  if (value == floor (value) && a < 9007199254740992.0)
    {
      char tmp[32];
      char *end = tmp + sizeof tmp;
      char *q = put_digits ((guint64) a, end, 1);

      if (value < 0)
        *p++ = '-';
      memcpy (p, q, end - q);
      p[end - q] = '\0';
      return buf;
    }
  if (a >= 0x1p-10 && a < 0x1p53)
    {
      if (value < 0)
        *p++ = '-';
      if (format_fixed (a, p))
        return buf;
      p = buf;
    }
  /* Tiny and huge values: %.15g is the shortest form whenever one of at
   * most 15 digits exists (DBL_DIG); otherwise the first longer one that
   * reads back exactly. */
  g_ascii_formatd (buf, LIMNER_JSON_NUMBER_BUF_SIZE, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) == value)
    return buf;
  g_ascii_formatd (buf, LIMNER_JSON_NUMBER_BUF_SIZE, "%.16g", value);
  if (g_ascii_strtod (buf, NULL) == value)
    return buf;
  g_ascii_formatd (buf, LIMNER_JSON_NUMBER_BUF_SIZE, "%.17g", value);
  return buf;
}

void
limner_json_writer_double (LimnerJsonWriter *self, double value)
{
  char buf[LIMNER_JSON_NUMBER_BUF_SIZE];

  g_return_if_fail (self != NULL);
  if (!isfinite (value))
    {
      fail (self, _("JSON writer: a number is not finite."));
      return;
    }
  if (!before_value (self))
    return;
  g_string_append (self->out, limner_json_format_double (value, buf));
  maybe_flush (self);
}

void
limner_json_writer_bool (LimnerJsonWriter *self, gboolean value)
{
  g_return_if_fail (self != NULL);
  if (!before_value (self))
    return;
  g_string_append (self->out, value ? "true" : "false");
}

void
limner_json_writer_null (LimnerJsonWriter *self)
{
  g_return_if_fail (self != NULL);
  if (!before_value (self))
    return;
  g_string_append (self->out, "null");
}

void
limner_json_writer_raw (LimnerJsonWriter *self, const char *json)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (json != NULL);
  if (!before_value (self))
    return;
  g_string_append (self->out, json);
  maybe_flush (self);
}

void
limner_json_writer_member_string (LimnerJsonWriter *self, const char *key, const char *value)
{
  limner_json_writer_key (self, key);
  limner_json_writer_string (self, value);
}

void
limner_json_writer_member_int (LimnerJsonWriter *self, const char *key, gint64 value)
{
  limner_json_writer_key (self, key);
  limner_json_writer_int (self, value);
}

void
limner_json_writer_member_double (LimnerJsonWriter *self, const char *key, double value)
{
  limner_json_writer_key (self, key);
  limner_json_writer_double (self, value);
}

void
limner_json_writer_member_bool (LimnerJsonWriter *self, const char *key, gboolean value)
{
  limner_json_writer_key (self, key);
  limner_json_writer_bool (self, value);
}

void
limner_json_writer_member_null (LimnerJsonWriter *self, const char *key)
{
  limner_json_writer_key (self, key);
  limner_json_writer_null (self);
}

gboolean
limner_json_writer_finish (LimnerJsonWriter *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->error == NULL && (self->stack->len > 0 || !self->root_done))
    fail (self, _("JSON writer: the document is incomplete."));
  if (self->error == NULL)
    {
      g_string_append_c (self->out, '\n');
      flush (self);
    }
  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  return TRUE;
}
