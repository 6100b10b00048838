/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-stats.h: a project with a synthetic event log whose figures
 * were worked out by hand (test-store-stats.c lists them), for the store,
 * CLI and GUI stats tests. Times are UTC: set TZ=UTC before using it. */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

/* 2026-03-02 00:00:00 UTC, a Monday. */
#define LIMNER_TEST_DAY0_US (G_GINT64_CONSTANT (1772409600) * G_USEC_PER_SEC)
#define LIMNER_TEST_AT(d, h, m, s) \
  (LIMNER_TEST_DAY0_US + (((gint64) (d) * 24 + (h)) * 3600 + (m) * 60 + (s)) * G_USEC_PER_SEC)

/* Creates `dir` as a project led by "lead", with annotator "alice",
 * annotator and reviewer "bob", labels "car" and "tree", images 1 to 4 and
 * the events and reviews of the scenario. */
LimnerStore *limner_test_stats_project (const char *dir);

/* Runs SQL on the project's database through a connection of its own. */
void         limner_test_stats_sql (const char *dir,
                                    const char *sql);

/* Inserts one event row. */
void         limner_test_stats_event (const char *dir,
                                      gint64      ts_us,
                                      const char *login,
                                      const char *kind,
                                      gint64      image_id,
                                      gint64      shape_id,
                                      const char *detail);

G_END_DECLS
