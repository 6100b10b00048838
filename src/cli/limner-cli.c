/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli.c: argument parsing and dispatch for limner-cli. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-cli.h"
#include "limner-fs.h"
#include "limner-core.h"
#include "limner-image-root.h"
#include "limner-pg.h"

/* Keep sorted by name. */
static const LimnerCliCommand commands[] = {
  { "assist", limner_cli_cmd_assist, "--tolerance --simplify --save", "--allow-changed",
    "assist PROJECT IMAGE wand X Y [--tolerance T] [--simplify PX] | tighten X0 Y0 X1 Y1"
    "  [--save LABEL] [--allow-changed] [--json]", 5, 7 },
  { "check", limner_cli_cmd_check, "--export", "--quick",
    "check PROJECT [--quick] [--export DIR]", 1, 1 },
  { "demo", limner_cli_cmd_demo, "--images --seed --name", "",
    "demo PROJECT [--images N] [--seed S]", 1, 1 },
  { "diff", limner_cli_cmd_diff, "", "",
    "diff PROJECT A B [--json]   (A, B: version numbers or draft)", 3, 3 },
  { "export", limner_cli_cmd_export, "--format --out --version --policy --split --seed --augment --images --task", "--draft",
    "export PROJECT --format FORMAT [--version N | --draft [--policy P]] [--out DIR]"
    " [--split TRAIN,VAL[,TEST] [--seed S]] [--augment flip-h,flip-v,rot90,rot180,rot270]"
    " [--images copy|none] [--task mixed|detect|segment]", 1, 1 },
  { "import", limner_cli_cmd_import, "", "",
    "import PROJECT PATH...", 2, -1 },
  { "import-annotations", limner_cli_cmd_import_annotations, "--format --names --max-size",
    "--as-predictions --create-labels",
    "import-annotations PROJECT --format labelme|coco|yolo|voc [--as-predictions] [--create-labels]"
    " [--names FILE] [--max-size BYTES] PATH...", 2, -1 },
  { "info", limner_cli_cmd_info, "--from --to --annotator --reviewer --label --status", "",
    "info PROJECT [--json] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--annotator LOGIN] [--reviewer LOGIN]"
    " [--label NAME] [--status STATUS]", 1, 1 },
  { "init", limner_cli_cmd_init, "--name", "",
    "init PROJECT [--name NAME]", 1, 1 },
  { "labels", limner_cli_cmd_labels, "--color --hotkey --guide", "",
    "labels PROJECT [add NAME [--color #RRGGBB] [--hotkey K] [--guide TEXT]]", 1, 3 },
  { "migrate", limner_cli_pg_migrate, "", "",
    "migrate PROJECT postgresql://[USER@]HOST[:PORT]/DATABASE [--json]", 2, 2 },
  { "publish", limner_cli_cmd_publish, "--message --policy", "",
    "publish PROJECT -m MESSAGE [--policy done|with-shapes|all]", 1, 1 },
  { "relink", limner_cli_cmd_relink, "", "",
    "relink PROJECT IMAGE FILE   (FILE must have the SHA-256 the project recorded)", 3, 3 },
  { "review", limner_cli_cmd_review,
    "--comment --mark --mark-point --count --seed --rate --gold-rate --gold-threshold --override --first-n",
    "--unset",
    "review PROJECT queue | audit | sample --count N --seed S"
    " | decide IMAGE accept|reject|fix [--comment TEXT] [--mark SHAPE_ID:KIND,...] [--mark-point X,Y;...]"
    " | diff IMAGE | history IMAGE | predictions | gold IMAGE... [--unset]"
    " | settings [--rate R] [--gold-rate R] [--gold-threshold T] [--override LOGIN --rate R [--first-n N] | --unset]",
    2, -1 },
  { "settings", limner_cli_cmd_settings, "", "--unset",
    "settings PROJECT [image-root PATH | local-image-root DIR | image-root --unset"
    " | local-image-root --unset] [--json]", 1, 3 },
  { "submit", limner_cli_cmd_submit, "", "",
    "submit PROJECT IMAGE... [--user LOGIN]", 2, -1 },
  { "stats", limner_cli_cmd_stats,
    "--from --to --by --explain --day --images-per-hour --shapes-per-hour --acceptance-rate --gold-iou"
    " --idle-threshold",
    "--csv",
    "stats PROJECT [--from DAY] [--to DAY] [--user LOGIN] [--by day|week] --json|--csv"
    " | --explain LOGIN --day DAY | targets [--user LOGIN] [--images-per-hour N]"
    " [--shapes-per-hour N] [--acceptance-rate R] [--gold-iou R] [--idle-threshold SECONDS]", 1, 2 },
  { "users", limner_cli_cmd_users, "--role", "",
    "users PROJECT [add LOGIN --role ROLE[,ROLE]]", 1, 3 },
  { "versions", limner_cli_cmd_versions, "", "",
    "versions PROJECT [--json]", 1, 1 },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: limner-cli COMMAND PROJECT [ARGS...] [--json] [--user LOGIN] [--image-root DIR]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  limner-cli %s\n", commands[i].usage);
}

const char *
limner_cli_opt (LimnerCliContext *ctx, const char *name)
{
  return g_hash_table_lookup (ctx->options, name);
}

gboolean
limner_cli_flag (LimnerCliContext *ctx, const char *name)
{
  return g_hash_table_contains (ctx->options, name);
}

const char *
limner_cli_arg (LimnerCliContext *ctx, guint i)
{
  return i < ctx->args->len ? g_ptr_array_index (ctx->args, i) : NULL;
}

void
limner_cli_error (const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  fprintf (stderr, "limner-cli: %s\n", msg);
}

int
limner_cli_fail (GError *error)
{
  limner_cli_error ("%s", error ? error->message : _("unknown error"));
  return LIMNER_CLI_ERROR;
}

static const LimnerCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

int
limner_cli_usage (LimnerCliContext *ctx, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;
  const LimnerCliCommand *cmd = find_command (ctx->command);

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  fprintf (stderr, "limner-cli %s: %s\n", ctx->command, msg);
  if (cmd != NULL)
    fprintf (stderr, _("Usage: limner-cli %s\n"), cmd->usage);
  return LIMNER_CLI_USAGE;
}

gboolean
limner_cli_opt_int (LimnerCliContext *ctx, const char *name, gint64 def, gint64 *out)
{
  const char *value = limner_cli_opt (ctx, name);
  gint64 v;
  g_autoptr(GError) error = NULL;

  if (value == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &v, &error))
    {
      limner_cli_usage (ctx, _("%s expects a whole number, not “%s”"), name, value);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

LimnerStore *
limner_cli_open_project (LimnerCliContext *ctx, GError **error)
{
  LimnerStore *store = limner_store_open (limner_cli_arg (ctx, 0), ctx->user, error);
  g_autofree char *warning = store ? limner_fs_dup_network_warning (limner_store_get_dir (store)) : NULL;

  if (warning != NULL)
    g_printerr (_("Warning: %s\n"), warning);
  return store;
}

void
limner_cli_print_json (json_t *value)
{
  char *text = json_dumps (value, JSON_INDENT (2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);

  if (text != NULL)
    {
      fputs (text, stdout);
      fputc ('\n', stdout);
      free (text);
    }
  json_decref (value);
}

static gboolean
word_in (const char *word, const char *list)
{
  g_auto(GStrv) words = g_strsplit (list, " ", -1);
  return g_strv_contains ((const char * const *) words, word);
}

int
main (int argc, char **argv)
{
  const LimnerCliCommand *cmd;
  LimnerCliContext ctx = { 0 };
  int status;

  limner_core_init_i18n ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? LIMNER_CLI_USAGE : LIMNER_CLI_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("limner-cli %s\n", PACKAGE_VERSION);
      return LIMNER_CLI_OK;
    }

  cmd = find_command (argv[1]);
  if (cmd == NULL)
    {
      limner_cli_error (_("unknown command “%s”; run “limner-cli --help” for the list"), argv[1]);
      return LIMNER_CLI_USAGE;
    }

  ctx.command = cmd->name;
  ctx.args = g_ptr_array_new ();
  ctx.options = g_hash_table_new (g_str_hash, g_str_equal);

  /* Options may come before or after positional arguments; "--" ends them. */
  for (int i = 2; i < argc; i++)
    {
      const char *a = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;
      const char *eq;

      if (g_str_equal (a, "--"))
        {
          for (i++; i < argc; i++)
            g_ptr_array_add (ctx.args, argv[i]);
          break;
        }
      /* The one short option: -m MESSAGE (publish). */
      if (g_str_equal (a, "-m"))
        a = "--message";
      if (!g_str_has_prefix (a, "--"))
        {
          g_ptr_array_add (ctx.args, (char *) a);
          continue;
        }
      eq = strchr (a, '=');
      name = eq ? g_strndup (a, eq - a) : g_strdup (a);
      if (eq)
        value = eq + 1;

      if (g_str_equal (name, "--json") || word_in (name, cmd->flag_options))
        {
          if (value != NULL)
            return limner_cli_usage (&ctx, _("%s takes no value"), name);
          g_hash_table_insert (ctx.options, (char *) g_intern_string (name), (char *) "");
          continue;
        }
      if (g_str_equal (name, "--user") || g_str_equal (name, "--image-root")
          || word_in (name, cmd->value_options))
        {
          if (value == NULL)
            {
              if (i + 1 >= argc)
                return limner_cli_usage (&ctx, _("%s needs a value"), name);
              value = argv[++i];
            }
          g_hash_table_insert (ctx.options, (char *) g_intern_string (name), (char *) value);
          continue;
        }
      return limner_cli_usage (&ctx, _("unknown option “%s”"), name);
    }

  ctx.json = limner_cli_flag (&ctx, "--json");
  ctx.user = limner_cli_opt (&ctx, "--user");
  ctx.image_root = limner_cli_opt (&ctx, "--image-root");

  if ((int) ctx.args->len < cmd->min_args
      || (cmd->max_args >= 0 && (int) ctx.args->len > cmd->max_args))
    return limner_cli_usage (&ctx, ctx.args->len < (guint) cmd->min_args
                                     ? _("missing arguments")
                                     : _("too many arguments"));

  {
    g_autoptr(GError) error = NULL;
    if (!limner_core_init (argv[0], &error))
      return limner_cli_fail (error);
  }
  /* Where this computer has the project's image root, for this run only;
   * the lasting way is `settings PROJECT local-image-root DIR`. */
  if (ctx.image_root != NULL)
    {
      if (!g_file_test (ctx.image_root, G_FILE_TEST_IS_DIR))
        {
          limner_cli_error (_("--image-root: %s is not a folder"), ctx.image_root);
          return LIMNER_CLI_ERROR;
        }
      limner_image_root_set_override (ctx.image_root);
    }

  status = cmd->func (&ctx);

  g_ptr_array_unref (ctx.args);
  g_hash_table_unref (ctx.options);
  vips_shutdown ();
  return status;
}
