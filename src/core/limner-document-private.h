/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-document-private.h: shared by limner-document.c (the object, the
 * z-order, running commands, reading, undo) and limner-document-edit.c
 * (the edits and the clipboard). Never include it elsewhere. */
#pragma once

#include "limner-document.h"

G_BEGIN_DECLS

/* Clipboard text larger than this is not ours. */
#define CLIPBOARD_MAX_BYTES (64 * 1024 * 1024)
#define CLIPBOARD_FORMAT "limner-shapes"
/* Above this many changes in one command, re-sort the z-order once instead
 * of shifting the array for each change. */
#define BULK_THRESHOLD 32
/* A query rectangle covering at least this share of the image is answered
 * by one pass over the z-order (no sorting, no lookups) instead of through
 * the spatial index. */
#define LINEAR_QUERY_SHARE 0.25

typedef struct {
  gint64       id;        /* first: the id table hashes &item->id */
  LimnerShape *shape;     /* owned */
  LimnerRect   bbox;      /* of shape */
  guint        hidden : 1;
  guint        locked : 1;
} Item;

typedef enum {
  COMMAND_ADD,     /* after = the added shape */
  COMMAND_DELETE,  /* before = the deleted shape */
  COMMAND_MODIFY,  /* before, after */
  COMMAND_GROUP,   /* children, applied in order, undone in reverse */
} CommandKind;

typedef struct _Command Command;
struct _Command {
  CommandKind  kind;
  char        *description;
  LimnerShape *before;
  LimnerShape *after;
  GPtrArray   *children;
};

/* Notifications gathered while a command runs, sent when it is done so that
 * handlers never see a half-applied command. */
typedef enum {
  NOTE_ADDED,
  NOTE_REMOVED,
  NOTE_MODIFIED,
} NoteKind;

typedef struct {
  NoteKind kind;
  gint64   id;
} Note;

struct _LimnerDocument
{
  GObject parent_instance;

  /* Owned references */
  LimnerStoreWriter  *writer;        /* NULL: never saved */
  GHashTable         *items;         /* &Item.id -> Item* (owned) */
  GPtrArray          *order;         /* Item*, ascending id = bottom to top */
  LimnerSpatialIndex *index;
  GHashTable         *hidden_labels; /* set of gint64* */
  GHashTable         *locked_labels; /* set of gint64* */
  GPtrArray          *undo_stack;    /* Command*, last = next to undo */
  GPtrArray          *redo_stack;    /* Command*, last = next to redo */
  Command            *open_group;    /* between begin_group() and end_group() */
  GArray             *notes;         /* of Note */

  gint64              image_id;
  int                 width;
  int                 height;
  int                 group_depth;
  gint64              next_local_id; /* ids of a document without a writer */
  gboolean            order_valid;   /* FALSE: `order` must be rebuilt */
  LimnerRect          dirty;         /* area changed by the running command */
  LimnerDocumentGuard guard;
  gpointer            guard_data;
  guint64             edit_serial;   /* commands applied, see get_edit_serial() */
};

gboolean _limner_document_guard_allows (LimnerDocument *self, GError **error);
void _limner_document_command_free (gpointer data);
Command * _limner_document_command_new (CommandKind kind, LimnerShape *before, LimnerShape *after);
Item * _limner_document_lookup (LimnerDocument *self, gint64 id);
void _limner_document_execute (LimnerDocument *self, Command *cmd);
gboolean _limner_document_item_locked (LimnerDocument *self, const Item *item);
int _limner_document_compare_items (gconstpointer a, gconstpointer b);
void _limner_document_notify_undo_state (LimnerDocument *self, gboolean could_undo, gboolean could_redo);

G_END_DECLS
