/* test-pair-counter.c — the shared, background count of every Training Sheet's pairs
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dbw-pair-counter.h"
#include "dbw-qa-pair.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-util.h"

typedef struct
{
  char             *dir;
  DbwStore         *store;
  DbwTrainingSheet *training_sheet;
  guint             n_updates;
} Fixture;

static void
add_pair (Fixture     *f,
          const char  *ref,
          DbwQaStatus  status)
{
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(GError) error = NULL;

  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (f->training_sheet)));
  dbw_qa_pair_set_item_ref (pair, ref);
  dbw_qa_pair_set_messages (pair, "[{\"role\":\"user\",\"content\":\"City 1: Oslo\"},"
                                  "{\"role\":\"assistant\",\"content\":\"{\\\"label\\\":\\\"cold\\\"}\"}]");
  dbw_qa_pair_set_status (pair, status);
  g_assert_true (dbw_store_insert (f->store, pair, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = test_make_dir ();
  f->store = test_create_store (f->dir, "counts.dbw");
  sheet = gen_add_sheet (f->store, "Cities", 4);
  tmpl = gen_add_template (f->store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);

  f->training_sheet = dbw_training_sheet_new ();
  dbw_training_sheet_set_name (f->training_sheet, "Climate v1");
  dbw_training_sheet_set_sheet_id (f->training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_training_sheet_set_template_id (f->training_sheet, dbw_record_get_id (DBW_RECORD (tmpl)));
  g_assert_true (dbw_store_insert (f->store, f->training_sheet, &error));
  g_assert_no_error (error);

  add_pair (f, "row_0", DBW_QA_STATUS_UNLABELED);
  add_pair (f, "row_1", DBW_QA_STATUS_UNLABELED);
  add_pair (f, "row_2", DBW_QA_STATUS_LABELED);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->training_sheet);
  if (f->store != NULL)
    {
      dbw_store_close (f->store);
      g_assert_finalize_object (f->store);
    }
  test_remove_dir (f->dir);
  g_free (f->dir);
}

static void
on_updated_cb (DbwPairCounter *counter,
               Fixture        *f)
{
  f->n_updates++;
}

static gboolean
quit_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until the counter has been updated @n times, or fails after 10 s. */
static void
wait_for_updates (Fixture *f,
                  guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (f->n_updates < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  DbwPairCounter *counter = dbw_pair_counter_get_for_store (f->store);
  const char *ts_id = dbw_record_get_id (DBW_RECORD (f->training_sheet));
  const DbwPairCounts *counts;

  g_assert_true (dbw_pair_counter_get_for_store (f->store) == counter);
  g_signal_connect (counter, "updated", G_CALLBACK (on_updated_cb), f);

  /* It counts in the background: nothing is known before the main loop runs. */
  g_assert_false (dbw_pair_counter_get_counted (counter));
  g_assert_null (dbw_pair_counter_lookup (counter, ts_id));

  wait_for_updates (f, 1);
  g_assert_true (dbw_pair_counter_get_counted (counter));
  counts = dbw_pair_counter_lookup (counter, ts_id);
  g_assert_nonnull (counts);
  g_assert_cmpint (counts->total, ==, 3);
  g_assert_cmpint (counts->unlabeled, ==, 2);
  g_assert_cmpint (counts->labeled, ==, 1);
  g_assert_cmpint (counts->ai_generated, ==, 3);
  g_assert_null (dbw_pair_counter_lookup (counter, "no-such-sheet"));
  g_assert_null (dbw_pair_counter_lookup (counter, NULL));

  /* A burst of changes makes one count, not one per change. */
  add_pair (f, "row_3", DBW_QA_STATUS_REJECTED);
  add_pair (f, "row_4", DBW_QA_STATUS_FLAGGED);
  add_pair (f, "row_5", DBW_QA_STATUS_LABELED);
  wait_for_updates (f, 2);
  spin (600);
  g_assert_cmpuint (f->n_updates, ==, 2);
  counts = dbw_pair_counter_lookup (counter, ts_id);
  g_assert_cmpint (counts->total, ==, 6);
  g_assert_cmpint (counts->labeled, ==, 2);
  g_assert_cmpint (counts->rejected, ==, 1);
  g_assert_cmpint (counts->flagged, ==, 1);

  /* Changes made elsewhere are counted when asked. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (dbw_store_get_path (f->store), &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE qa_pairs SET status = 'labeled' WHERE status = 'unlabeled'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  dbw_pair_counter_count (counter);
  wait_for_updates (f, 3);
  g_assert_cmpint (dbw_pair_counter_lookup (counter, ts_id)->unlabeled, ==, 0);
}

/* A closed project is not counted any more, even when its file is gone. */
static void
test_closed (Fixture       *f,
             gconstpointer  data)
{
  DbwPairCounter *counter = dbw_pair_counter_get_for_store (f->store);
  g_autofree char *path = g_strdup (dbw_store_get_path (f->store));

  g_signal_connect (counter, "updated", G_CALLBACK (on_updated_cb), f);
  g_object_add_weak_pointer (G_OBJECT (counter), (gpointer *) &counter);
  wait_for_updates (f, 1);

  add_pair (f, "row_3", DBW_QA_STATUS_UNLABELED);
  dbw_store_close (f->store);
  g_assert_cmpint (g_unlink (path), ==, 0);
  dbw_pair_counter_count (counter);
  spin (600);
  g_assert_cmpuint (f->n_updates, ==, 1);

  /* The store owns its counter. */
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_null (counter);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/pair-counter/counts", test_counts);
  ADD ("/pair-counter/closed", test_closed);
#undef ADD

  return g_test_run ();
}
