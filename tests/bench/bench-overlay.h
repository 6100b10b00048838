/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-overlay.h: the `overlay` benchmark (see bench-overlay.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_overlay (int argc, char **argv);
