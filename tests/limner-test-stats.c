/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "limner-test-backend.h"
#include "limner-test-stats.h"

#define SUBMITTED "{\"from\": \"in_progress\", \"to\": \"submitted\"}"
#define REVIEW "{\"mode\": \"review\"}"
/* A box from (1, 1) to (2, 2): four native little-endian doubles, as a
 * BLOB literal in each dialect. */
#define BOX_HEX "000000000000F03F000000000000F03F00000000000000400000000000000040"
#define BOX_SQLITE "x'" BOX_HEX "'"
#define BOX_PG "'\\x" BOX_HEX "'::bytea"

void
limner_test_stats_sql (const char *dir,
                       const char *sql)
{
  if (limner_test_backend_raw_sql (dir, sql) != 0)
    g_error ("the project's database refused: %s", sql);
}

/* The scenario's events happened at set times, by set people. A server
 * stamps every new event with its clock and the connected role, and
 * refuses to delete one, by triggers: its superuser plants the history
 * with the triggers off for that one session. */
static void
plant_history (const char *dir,
               const char *sql)
{
  g_autofree char *planted = NULL;

  if (!limner_test_backend_is_pg ())
    {
      limner_test_stats_sql (dir, sql);
      return;
    }
  planted = g_strconcat ("SET session_replication_role = replica; ", sql, NULL);
  limner_test_stats_sql (dir, planted);
}

/* `text` as an SQL string literal (the same in both dialects). */
static char *
quote (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *doubled = NULL;

  if (text == NULL)
    return g_strdup ("NULL");
  parts = g_strsplit (text, "'", -1);
  doubled = g_strjoinv ("''", parts);
  return g_strconcat ("'", doubled, "'", NULL);
}

void
limner_test_stats_event (const char *dir,
                         gint64      ts_us,
                         const char *login,
                         const char *kind,
                         gint64      image_id,
                         gint64      shape_id,
                         const char *detail)
{
  g_autofree char *sql = NULL;
  g_autofree char *image = image_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, image_id) : g_strdup ("NULL");
  g_autofree char *shape = shape_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, shape_id) : g_strdup ("NULL");
  g_autofree char *quoted = quote (detail);

  sql = g_strdup_printf ("INSERT INTO events (ts, login, kind, image_id, shape_id, detail) "
                         "VALUES (%" G_GINT64_FORMAT ", '%s', '%s', %s, %s, %s)",
                         ts_us, login, kind, image, shape, quoted);
  plant_history (dir, sql);
}

static void
review (const char *dir,
        gint64      image_id,
        const char *decision,
        gint64      ts_us)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO reviews (image_id, reviewer, annotator, decision, created_at) "
                                          "VALUES (%" G_GINT64_FORMAT ", 'bob', 'alice', '%s', %" G_GINT64_FORMAT ")",
                                          image_id, decision, ts_us / G_USEC_PER_SEC);

  limner_test_stats_sql (dir, sql);
}

LimnerStore *
limner_test_stats_project (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_create (dir, "stats", "lead", &error);
  const struct {
    gint64      ts;
    const char *login;
    const char *kind;
    gint64      image;
    gint64      shape;
    const char *detail;
  } events[] = {
    /* alice, day 0: the worked example on image 1, then images 2 and 3 in turn */
    { LIMNER_TEST_AT (0, 9, 0, 0), "alice", "image.open", 1, 0, NULL },
    { LIMNER_TEST_AT (0, 9, 0, 30), "alice", "shape.add", 1, 101, NULL },
    { LIMNER_TEST_AT (0, 9, 1, 0), "alice", "app.focus_out", 1, 0, NULL },
    { LIMNER_TEST_AT (0, 9, 20, 0), "alice", "app.focus_in", 0, 0, NULL },
    { LIMNER_TEST_AT (0, 9, 20, 10), "alice", "shape.update", 1, 101, NULL },
    { LIMNER_TEST_AT (0, 9, 30, 10), "alice", "image.status", 1, 0, SUBMITTED },
    { LIMNER_TEST_AT (0, 10, 0, 0), "alice", "image.open", 2, 0, NULL },
    { LIMNER_TEST_AT (0, 10, 0, 20), "alice", "shape.add", 2, 102, NULL },
    { LIMNER_TEST_AT (0, 10, 0, 50), "alice", "image.open", 3, 0, NULL },
    { LIMNER_TEST_AT (0, 10, 1, 30), "alice", "shape.add", 3, 103, NULL },
    { LIMNER_TEST_AT (0, 10, 1, 40), "alice", "shape.delete", 3, 103, NULL },
    { LIMNER_TEST_AT (0, 10, 2, 40), "alice", "app.idle_start", 0, 0, NULL },
    { LIMNER_TEST_AT (0, 10, 5, 0), "alice", "app.idle_end", 0, 0, NULL },
    { LIMNER_TEST_AT (0, 10, 5, 5), "alice", "image.open", 2, 0, NULL },
    { LIMNER_TEST_AT (0, 10, 5, 35), "alice", "image.status", 2, 0, SUBMITTED },
    /* the same submission logged twice counts once */
    { LIMNER_TEST_AT (0, 10, 5, 35), "alice", "image.submit", 2, 0, NULL },
    /* bob across midnight */
    { LIMNER_TEST_AT (0, 23, 59, 0), "bob", "image.open", 4, 0, NULL },
    { LIMNER_TEST_AT (0, 23, 59, 40), "bob", "shape.add", 4, 104, NULL },
    { LIMNER_TEST_AT (1, 0, 0, 30), "bob", "shape.update", 4, 104, NULL },
    { LIMNER_TEST_AT (1, 0, 1, 0), "bob", "image.status", 4, 0, SUBMITTED },
    /* bob reviews alice's images 1 (reject) and 2 (accept) */
    { LIMNER_TEST_AT (1, 9, 0, 0), "bob", "image.open", 1, 0, REVIEW },
    { LIMNER_TEST_AT (1, 9, 0, 40), "bob", "review.reject", 1, 0, NULL },
    { LIMNER_TEST_AT (1, 9, 1, 0), "bob", "image.open", 2, 0, REVIEW },
    { LIMNER_TEST_AT (1, 9, 1, 30), "bob", "review.accept", 2, 0, NULL },
    /* alice reworks image 1 */
    { LIMNER_TEST_AT (1, 10, 0, 0), "alice", "image.open", 1, 0, NULL },
    { LIMNER_TEST_AT (1, 10, 0, 45), "alice", "shape.update", 1, 101, NULL },
    { LIMNER_TEST_AT (1, 10, 1, 0), "alice", "image.status", 1, 0, SUBMITTED },
  };

  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (store, "alice", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (store, "bob", LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER,
                                              &error));
  g_assert_cmpint (limner_store_add_label (store, "car", NULL, NULL, NULL, &error), ==, 1);
  g_assert_cmpint (limner_store_add_label (store, "tree", NULL, NULL, NULL, &error), ==, 2);
  g_assert_no_error (error);

  /* The lead's own setup events would make the lead a user of the figures. */
  plant_history (dir, "DELETE FROM events");
  {
    const char *box = limner_test_backend_is_pg () ? BOX_PG : BOX_SQLITE;
    g_autofree char *sql =
      g_strdup_printf ("INSERT INTO images (id, path, sha256, size, width, height, format, added_at) VALUES "
                       " (1, 'a.png', 'a', 1, 10, 10, 'png', 0), (2, 'b.png', 'b', 1, 10, 10, 'png', 0),"
                       " (3, 'c.png', 'c', 1, 10, 10, 'png', 0), (4, 'd.png', 'd', 1, 10, 10, 'png', 0);"
                       "INSERT INTO shapes (id, image_id, label_id, kind, points, author, created_at, modified_at)"
                       " VALUES (101, 1, 1, 'box', %s, 'alice', 0, 0), (102, 2, 2, 'box', %s, 'alice', 0, 0),"
                       " (103, 3, 1, 'box', %s, 'alice', 0, 0), (104, 4, 2, 'box', %s, 'bob', 0, 0);",
                       box, box, box, box);

    limner_test_stats_sql (dir, sql);
  }
  /* Explicit ids leave an identity behind: the store's next image and
   * shape take the ids after these, as SQLite's AUTOINCREMENT gives. */
  if (limner_test_backend_is_pg ())
    limner_test_stats_sql (dir, "SELECT setval(pg_get_serial_sequence('images', 'id'), 4);"
                                "SELECT setval(pg_get_serial_sequence('shapes', 'id'), 104)");
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    limner_test_stats_event (dir, events[i].ts, events[i].login, events[i].kind,
                             events[i].image, events[i].shape, events[i].detail);
  review (dir, 1, "reject", LIMNER_TEST_AT (1, 9, 0, 40));
  review (dir, 2, "accept", LIMNER_TEST_AT (1, 9, 1, 30));
  return g_steal_pointer (&store);
}
