/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-team.h: the `team` benchmark (see bench-team.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_team (int argc, char **argv);
