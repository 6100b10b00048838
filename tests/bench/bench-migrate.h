/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-migrate.h: the `migrate` benchmark (see bench-migrate.c). */
#pragma once

/* Returns an exit status. */
int limner_bench_migrate (int argc, char **argv);
