/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-bench: headless benchmarks, one subcommand each.
 *
 *   limner-bench assist  [--images N] [--dir DIR] [--labelme DIR] [--quick]
 *   limner-bench export  [--shapes N] [--runs R] [--format F] [--json]
 *   limner-bench hittest [--shapes N] [--queries Q] [--runs R] [--json]
 *   limner-bench migrate [--shapes N] [--project DIR] [--json]
 *   limner-bench overlay [--runs N]
 *   limner-bench stats   [--events N] [--users U] [--runs R] [--json]
 *   limner-bench team    [--sizes N,N,...] [--shapes-per-image S] [--ops R] [--no-fsync] [--json]
 *   limner-bench tiles   [--runs N] [--dir DIR] [--quick]
 *
 * To add one: write bench-<name>.c/.h with `int limner_bench_<name> (int
 * argc, char **argv)` (argv[0] is the subcommand; parse the rest with
 * GOptionContext; return an exit status), add a row to `commands` below and
 * the file to tests/bench/meson.build.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-core.h"
#include "bench-assist.h"
#include "bench-export.h"
#include "bench-hittest.h"
#include "bench-migrate.h"
#include "bench-overlay.h"
#include "bench-stats.h"
#include "bench-team.h"
#include "bench-tiles.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} BenchCommand;

static const BenchCommand commands[] = {
  { "assist",  limner_bench_assist,  "magic wand, box tightening and scissors: quality and latency" },
  { "export",  limner_bench_export,  "COCO, YOLO, VOC, labelme, CSV and limner export of 100,000 polygons" },
  { "hittest", limner_bench_hittest, "hit test and viewport culling over 5,000 and 50,000 polygons" },
  { "migrate", limner_bench_migrate, "a project of 100,000 shapes into PostgreSQL: copy and verify" },
  { "overlay", limner_bench_overlay, "overlay rendering of 5,000 and 50,000 polygons at 1920x1080" },
  { "stats",   limner_bench_stats,   "throughput analytics over 1,000,000 events of 100 annotators" },
  { "team",    limner_bench_team,    "claim, save and submit latency on PostgreSQL, 10,000 to 100,000 images" },
  { "tiles",   limner_bench_tiles,   "first frame of gigapixel TIFF and 100 MP JPEG, next-image latency" },
};

static void
usage (void)
{
  g_printerr ("Usage: limner-bench COMMAND [OPTIONS]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-10s %s\n", commands[i].name, commands[i].summary);
  g_printerr ("\nRun `limner-bench COMMAND --help` for its options.\n");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage ();
      return argc < 2 ? 2 : 0;
    }

  /* Once, with the real program name; the subcommands' own calls are no-ops. */
  if (!limner_core_init (argv[0], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("Unknown benchmark “%s”.\n", argv[1]);
  usage ();
  return 2;
}
