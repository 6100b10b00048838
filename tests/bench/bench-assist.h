/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-assist.h: the `assist` benchmark (see bench-assist.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_assist (int argc, char **argv);
