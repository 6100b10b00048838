/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-tiles.h: the `tiles` benchmark (see bench-tiles.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_tiles (int argc, char **argv);
