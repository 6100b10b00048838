/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-stats.h: a project with a synthetic event log whose figures
 * were worked out by hand (test-store-stats.c lists them), for the store,
 * CLI and GUI stats tests. Times are UTC: set TZ=UTC before using it. The
 * project is where limner-test-backend.h puts it: link the program with the
 * backend's library as well. */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

/* 2026-03-02 00:00:00 UTC, a Monday. */
#define LIMNER_TEST_DAY0_US (G_GINT64_CONSTANT (1772409600) * G_USEC_PER_SEC)
#define LIMNER_TEST_AT(d, h, m, s) \
  (LIMNER_TEST_DAY0_US + (((gint64) (d) * 24 + (h)) * 3600 + (m) * 60 + (s)) * G_USEC_PER_SEC)

/* Creates the project `dir` (from limner_test_backend_new_project ("lead"),
 * or any new folder on SQLite) led by "lead", with annotator "alice",
 * annotator and reviewer "bob", labels "car" and "tree", images 1 to 4 and
 * the events and reviews of the scenario. */
LimnerStore *limner_test_stats_project (const char *dir);

/* Runs SQL on the project's database through a connection of its own
 * (limner_test_backend_raw_sql); fails the test if it is refused. */
void         limner_test_stats_sql (const char *dir,
                                    const char *sql);

/* Inserts one event row as it was logged: at `ts_us`, by `login` (on a
 * server too, whose trigger would stamp a new event with now and the
 * connected role). */
void         limner_test_stats_event (const char *dir,
                                      gint64      ts_us,
                                      const char *login,
                                      const char *kind,
                                      gint64      image_id,
                                      gint64      shape_id,
                                      const char *detail);

G_END_DECLS
