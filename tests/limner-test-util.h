/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-util.h: helpers shared by the test programs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*LimnerTestCondition) (gpointer data);

/* Removes a file or a folder with everything in it; never follows symlinks. */
void     limner_test_rm_rf    (const char *path);

/* Runs the default main context until `condition` holds or `timeout_ms`
 * passes; returns whether it held. */
gboolean limner_test_wait_for (LimnerTestCondition  condition,
                               gpointer             data,
                               guint                timeout_ms);

/* Runs the default main context for `ms` milliseconds. */
void     limner_test_iterate  (guint ms);

G_END_DECLS
