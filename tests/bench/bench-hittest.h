/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-hittest.h: the `hittest` benchmark (see bench-hittest.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_hittest (int argc, char **argv);
