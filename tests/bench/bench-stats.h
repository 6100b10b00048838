/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-stats.h: the `stats` benchmark (see bench-stats.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_stats (int argc, char **argv);
