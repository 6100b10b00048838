/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-export.h: the `export` benchmark (see bench-export.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_export (int argc, char **argv);
