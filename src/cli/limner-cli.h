/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli.h: shared parts of limner-cli's commands. */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "limner-store.h"

G_BEGIN_DECLS

/* Exit statuses, as in docs/architecture.md. */
enum {
  LIMNER_CLI_OK = 0,
  LIMNER_CLI_ERROR = 1, /* a user or data error */
  LIMNER_CLI_USAGE = 2, /* bad usage */
};

typedef struct {
  const char  *command;
  GPtrArray   *args;     /* positional arguments after the command (char *) */
  GHashTable  *options;  /* "--name" -> value ("" for flags) */
  gboolean     json;
  const char  *user;     /* --user, or NULL for the OS login */
  const char  *image_root; /* --image-root: the image root's folder on this computer, or NULL */
} LimnerCliContext;

typedef int (*LimnerCliFunc) (LimnerCliContext *ctx);

typedef struct {
  const char    *name;
  LimnerCliFunc  func;
  /* Space-separated options that take a value, and flags, besides --json and --user. */
  const char    *value_options;
  const char    *flag_options;
  const char    *usage;    /* one line, after "limner-cli " */
  int            min_args; /* positional arguments after the command */
  int            max_args; /* -1 = any */
} LimnerCliCommand;

/* Option access. */
const char *limner_cli_opt     (LimnerCliContext *ctx, const char *name);
gboolean    limner_cli_flag    (LimnerCliContext *ctx, const char *name);
/* Parses an integer option; on a bad value prints a usage error and returns FALSE. */
gboolean    limner_cli_opt_int (LimnerCliContext *ctx, const char *name, gint64 def, gint64 *out);
const char *limner_cli_arg     (LimnerCliContext *ctx, guint i);

/* Prints "limner-cli: MESSAGE" to stderr. */
void        limner_cli_error   (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Prints error->message to stderr and returns the exit status it calls for
 * (LIMNER_CLI_ERROR). */
int         limner_cli_fail    (GError *error);
/* Prints a usage error for ctx->command and returns LIMNER_CLI_USAGE. */
int         limner_cli_usage   (LimnerCliContext *ctx, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Opens the project named by the first positional argument as --user. */
LimnerStore *limner_cli_open_project (LimnerCliContext *ctx, GError **error);

/* Prints a JSON value to stdout (sorted keys, indent 2) and steals it. */
void        limner_cli_print_json (json_t *value);

/* The users as JSON: [{"login": ..., "roles": [...]}] */
json_t     *limner_cli_users_to_json (GPtrArray *users);

/* Command implementations, one file per group. */
int limner_cli_cmd_init    (LimnerCliContext *ctx);
int limner_cli_cmd_info    (LimnerCliContext *ctx);
int limner_cli_cmd_labels  (LimnerCliContext *ctx);
int limner_cli_cmd_users   (LimnerCliContext *ctx);
int limner_cli_cmd_import  (LimnerCliContext *ctx);
int limner_cli_cmd_demo    (LimnerCliContext *ctx);
int limner_cli_cmd_publish  (LimnerCliContext *ctx);
int limner_cli_cmd_versions (LimnerCliContext *ctx);
int limner_cli_cmd_diff     (LimnerCliContext *ctx);
int limner_cli_cmd_export   (LimnerCliContext *ctx);
int limner_cli_cmd_check    (LimnerCliContext *ctx);
int limner_cli_cmd_import_annotations (LimnerCliContext *ctx);
int limner_cli_cmd_assist   (LimnerCliContext *ctx);
int limner_cli_cmd_submit  (LimnerCliContext *ctx);
int limner_cli_cmd_review  (LimnerCliContext *ctx);
int limner_cli_cmd_settings (LimnerCliContext *ctx);
int limner_cli_cmd_relink   (LimnerCliContext *ctx);

/* Verifies the image's file (limner-image-verify.h) before a command reads
 * its pixels: FALSE, with the message printed, when it is missing,
 * unreadable, or changed and the command has no --allow-changed. */
gboolean limner_cli_verify_image (LimnerCliContext        *ctx,
                                  LimnerStore             *store,
                                  const LimnerImageRecord *image);

/* The "qc" object of `info --json` under the filter options; NULL with
 * `status` set to the exit status on an error (already reported). */
json_t *limner_cli_qc_json (LimnerCliContext *ctx, LimnerStore *store, int *status);

/* Team mode (limner-cli-pg.c): init and users on a postgresql:// URI,
 * migrate from a local project to one, and the refusal of every other
 * command there. */
int limner_cli_pg_init        (LimnerCliContext *ctx);
int limner_cli_pg_users       (LimnerCliContext *ctx);
int limner_cli_pg_migrate     (LimnerCliContext *ctx);
int limner_cli_cmd_stats    (LimnerCliContext *ctx);

G_END_DECLS
