/* test-sync-service.c — project sync against the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dbw-canonical-label.h"
#include "dbw-demo.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-sync-service.h"
#include "dbw-training-sheet.h"
#include "test-databricks-fixture.h"
#include "test-query.h"

#define TARGET "main.plant"

typedef struct
{
  Fixture         base;
  char           *dir;
  DbwStore       *a;
  DbwStore       *b;
  DbwDatabricks  *client_b;
  DbwSyncService *sync_a;
  DbwSyncService *sync_b;
} SyncFixture;

static DbwStore *
create_store (const char *dir,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  DbwStore *store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static DbwSyncService *
make_service (DbwStore      *store,
              DbwDatabricks *client)
{
  DbwSyncService *service = dbw_sync_service_new (store, client, WAREHOUSE);

  /* Small numbers, so a test meets every path of the pusher and the puller. */
  dbw_sync_service_set_batch_size (service, 25);
  dbw_sync_service_set_stage_threshold (service, 60);
  dbw_sync_service_set_pull_overlap (service, 0);
  return service;
}

static void
sync_setup (SyncFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_setup (&f->base, NULL);
  dbw_databricks_set_poll_interval (f->base.client, 5);
  f->client_b = make_client (&f->base, fake_databricks_get_url (f->base.fake), FALSE);
  dbw_databricks_set_poll_interval (f->client_b, 5);

  f->dir = g_dir_make_tmp ("dbw-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->a = create_store (f->dir, "a.dbw");
  f->b = create_store (f->dir, "b.dbw");
  f->sync_a = make_service (f->a, f->base.client);
  f->sync_b = make_service (f->b, f->client_b);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
sync_teardown (SyncFixture   *f,
               gconstpointer  data)
{
  g_clear_object (&f->sync_a);
  g_clear_object (&f->sync_b);
  dbw_store_close (f->a);
  dbw_store_close (f->b);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->client_b);
  remove_tree (f->dir);
  g_free (f->dir);
  fixture_teardown (&f->base, NULL);
}

static DbwSyncReport *
sync_once (DbwSyncService  *service,
           GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_sync_service_sync_async (service, NULL, store_result_cb, &result);
  return dbw_sync_service_sync_finish (service, wait_for (&result), error);
}

static DbwSyncReport *
sync_ok (DbwSyncService *service)
{
  g_autoptr(GError) error = NULL;
  DbwSyncReport *report = sync_once (service, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpint (dbw_sync_service_get_state (service), ==, DBW_SYNC_STATE_SYNCED);
  return report;
}

static gint64
local_int (DbwStore   *store,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (dbw_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The sync worker may hold the write lock for a moment. */
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* A digest of what a project holds, to compare two copies: every synced row, by id. */
static char *
local_digest (DbwStore *store)
{
  static const char *queries[] = {
    "SELECT id || name || description || coalesce (deleted_at, '') FROM sheets ORDER BY id",
    "SELECT id || sheet_id || item_ref || version || fields || coalesce (blob_hash, '') FROM items ORDER BY id",
    "SELECT hash || size FROM blobs ORDER BY hash",
    "SELECT id || version || label_data FROM canonical_labels ORDER BY id",
    "SELECT id || version || label_data || flagged FROM canonical_label_history ORDER BY id",
    "SELECT id || target_id FROM usage_constraint_audit ORDER BY id",
  };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (dbw_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_checksum_update (checksum, sqlite3_column_text (stmt, 0), -1);
      /* A busy database must not pass for an empty table. */
      g_assert_cmpint (rc, ==, SQLITE_DONE);
      g_checksum_update (checksum, (const guchar *) "|", 1);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
fill_demo (DbwStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_demo_fill (store, g_getenv ("DBW_DEMO_SOURCES"), NULL, &error));
  g_assert_no_error (error);
}

static void
link_both (SyncFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_sync_service_link (f->sync_a, TARGET, &error));
  g_assert_true (dbw_sync_service_link (f->sync_b, TARGET, &error));
  g_assert_no_error (error);
}

static void
test_full_sync_and_back (SyncFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(DbwSyncReport) first = NULL;
  g_autoptr(DbwSyncReport) pulled = NULL;
  g_autoptr(DbwSyncReport) again = NULL;
  g_autoptr(DbwSyncReport) back = NULL;
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  g_autofree char *project = NULL;
  gint64 n_items, n_blobs;
  DbwSheet *sheet;
  gsize length;

  fill_demo (f->a);
  n_items = local_int (f->a, "SELECT count (*) FROM items");
  n_blobs = local_int (f->a, "SELECT count (*) FROM blobs");
  g_assert_cmpint (n_items, >, 60);
  g_assert_cmpint (n_blobs, >, 0);

  /* Not linked yet. */
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_UNLINKED);
  g_assert_null (sync_once (f->sync_a, &error));
  g_assert_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_NOT_LINKED);
  g_clear_error (&error);

  link_both (f);
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_PENDING);
  g_assert_cmpint (dbw_sync_service_get_n_pending (f->sync_a), >, n_items);

  first = sync_ok (f->sync_a);
  g_assert_cmpint (first->pushed, ==, local_int (f->a, "SELECT (SELECT count (*) FROM sheets) + (SELECT count (*) FROM items)"
                                                       " + (SELECT count (*) FROM blobs) + (SELECT count (*) FROM templates)"
                                                       " + (SELECT count (*) FROM canonical_labels) + (SELECT count (*) FROM canonical_label_history)"
                                                       " + (SELECT count (*) FROM training_sheets) + (SELECT count (*) FROM qa_pairs)"
                                                       " + (SELECT count (*) FROM usage_constraint_audit) + (SELECT count (*) FROM example_store)"
                                                       " + (SELECT count (*) FROM example_usage) + (SELECT count (*) FROM job_runs)"
                                                       " + (SELECT count (*) FROM exports) + (SELECT count (*) FROM model_training_lineage)"
                                                       " + (SELECT count (*) FROM dspy_runs) + (SELECT count (*) FROM endpoints)"
                                                       " + (SELECT count (*) FROM tools) + (SELECT count (*) FROM agents)"
                                                       " + (SELECT count (*) FROM feedback)"));
  g_assert_cmpint (first->blobs_uploaded, ==, n_blobs);
  /* Items went staged (more than the threshold), a few small tables inline. */
  g_assert_cmpint (first->staged, >=, 1);
  g_assert_cmpint (first->statements, >, first->staged);
  g_assert_cmpint (dbw_sync_service_get_n_pending (f->sync_a), ==, 0);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`items`"), ==, n_items);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (DISTINCT id) FROM `main`.`plant`.`items`"), ==, n_items);

  /* A second client, empty, gets everything, blob contents included, in pages cut short
   * at a byte limit as long PDF texts would be. */
  dbw_sync_service_set_pull_byte_limit (f->sync_b, 20000);
  fake_databricks_clear_requests (f->base.fake);
  pulled = sync_ok (f->sync_b);
  /* One pull statement per table would be 19; the byte limit made more pages. */
  g_assert_cmpuint (fake_databricks_count_bodies_containing (f->base.fake, "\"byte_limit\""), >, 25);
  g_assert_cmpint (pulled->pushed, ==, 0);
  /* Blob rows arrive with their contents, already stored when their rows are applied. */
  g_assert_cmpint (pulled->applied.inserted, ==, first->pushed - n_blobs);
  g_assert_cmpint (pulled->applied.unchanged, ==, n_blobs);
  g_assert_cmpint (pulled->blobs_downloaded, ==, n_blobs);
  g_assert_cmpint (pulled->applied.rejected, ==, 0);
  digest_a = local_digest (f->a);
  digest_b = local_digest (f->b);
  g_assert_cmpstr (digest_a, ==, digest_b);
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM blobs WHERE length (data) = size"), ==, n_blobs);
  /* Rows from the workspace are not pushed back. */
  g_assert_cmpint (dbw_sync_service_get_n_pending (f->sync_b), ==, 0);

  /* Nothing new: a sync reads nothing and writes nothing. */
  again = sync_ok (f->sync_b);
  g_assert_cmpint (again->pushed, ==, 0);
  g_assert_cmpint (again->pulled, ==, 0);

  /* B's edits come back to A. */
  sheets = dbw_store_list (f->b, DBW_TYPE_SHEET, NULL, NULL, &error);
  g_assert_no_error (error);
  sheet = g_ptr_array_index (sheets, 0);
  dbw_sheet_set_name (sheet, "Renamed on the second desk");
  g_assert_true (dbw_store_update (f->b, sheet, &error));
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_b));
  back = sync_ok (f->sync_a);
  g_assert_cmpint (back->applied.updated, ==, 1);
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM sheets WHERE name = 'Renamed on the second desk'"), ==, 1);

  /* The project file holds no token. */
  g_assert_true (g_file_get_contents (dbw_store_get_path (f->a), &project, &length, NULL));
  g_assert_null (g_strstr_len (project, length, TOKEN));
  assert_not_logged (TOKEN);
}

static void
test_concurrent_label_edits (SyncFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
  g_autoptr(DbwCanonicalLabel) in_a = NULL;
  g_autoptr(DbwCanonicalLabel) in_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  const char *id;

  link_both (f);
  dbw_sheet_set_name (sheet, "Dosimetry");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_canonical_label_set_item_ref (label, "row_0");
  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_canonical_label_set_label_data (label, "{\"status\":\"normal\"}");
  g_assert_true (dbw_store_insert (f->a, label, &error));
  g_assert_no_error (error);
  id = dbw_record_get_id (DBW_RECORD (label));
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));

  in_a = dbw_store_get (f->a, DBW_TYPE_CANONICAL_LABEL, id, &error);
  in_b = dbw_store_get (f->b, DBW_TYPE_CANONICAL_LABEL, id, &error);
  g_assert_no_error (error);
  dbw_canonical_label_set_label_data (in_a, "{\"status\":\"above_action_level\"}");
  g_assert_true (dbw_store_update (f->a, in_a, &error));
  g_usleep (2000);
  dbw_canonical_label_set_label_data (in_b, "{\"status\":\"below_action_level\"}");
  g_assert_true (dbw_store_update (f->b, in_b, &error));
  g_assert_no_error (error);

  /* A pushes first; B's later edit wins in the workspace and on both desks. */
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));

  g_assert_cmpint (fake_databricks_query_int (f->base.fake,
                                              "SELECT count (*) FROM `main`.`plant`.`canonical_labels` "
                                              "WHERE label_data = '{\"status\":\"below_action_level\"}' AND version = 2"), ==, 1);
  for (guint i = 0; i < 2; i++)
    {
      DbwStore *store = i == 0 ? f->a : f->b;

      g_assert_cmpint (local_int (store, "SELECT count (*) FROM canonical_labels WHERE label_data = '{\"status\":\"below_action_level\"}'"), ==, 1);
      g_assert_cmpint (local_int (store, "SELECT count (*) FROM canonical_label_history WHERE flagged = 1 "
                                         "AND label_data = '{\"status\":\"above_action_level\"}'"), ==, 1);
    }
  digest_a = local_digest (f->a);
  digest_b = local_digest (f->b);
  g_assert_cmpstr (digest_a, ==, digest_b);
}

static void
edit_some (DbwStore   *store,
           const char *who,
           guint       round)
{
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) added = dbw_sheet_new ();
  g_autofree char *name = g_strdup_printf ("%s round %u", who, round);

  sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, &error);
  g_assert_no_error (error);
  if (sheets->len > 0)
    {
      DbwSheet *sheet = g_ptr_array_index (sheets, (round * 7 + strlen (who)) % sheets->len);

      dbw_sheet_set_description (sheet, name);
      g_assert_true (dbw_store_update (store, sheet, &error));
    }
  dbw_sheet_set_name (added, name);
  g_assert_true (dbw_store_insert (store, added, &error));
  g_assert_no_error (error);
}

/* Syncs, through faults, until the sync succeeds. */
static void
sync_through_faults (DbwSyncService *service)
{
  for (guint attempt = 0; attempt < 30; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwSyncReport) report = sync_once (service, &error);

      if (report != NULL)
        return;
      g_test_message ("sync failed under faults: %s (%s %d)", error->message,
                      g_quark_to_string (error->domain), error->code);
      g_assert_nonnull (error);
      g_assert_cmpint (dbw_sync_service_get_state (service), !=, DBW_SYNC_STATE_SYNCED);
    }
  g_assert_not_reached ();
}

static void
test_converge_under_faults (SyncFixture   *f,
                            gconstpointer  data)
{
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  g_autofree char *remote_sheets = NULL;

  fill_demo (f->a);
  link_both (f);
  fake_databricks_set_fault_rate (f->base.fake, 0.2, 20261123);

  for (guint round = 0; round < 4; round++)
    {
      edit_some (f->a, "Ada", round);
      edit_some (f->b, "Grace", round);
      sync_through_faults (f->sync_a);
      sync_through_faults (f->sync_b);
    }
  sync_through_faults (f->sync_a);
  sync_through_faults (f->sync_b);
  sync_through_faults (f->sync_a);

  g_assert_cmpint (dbw_sync_service_get_n_pending (f->sync_a), ==, 0);
  g_assert_cmpint (dbw_sync_service_get_n_pending (f->sync_b), ==, 0);
  digest_a = local_digest (f->a);
  digest_b = local_digest (f->b);
  g_assert_cmpstr (digest_a, ==, digest_b);

  /* Nothing lost, nothing twice: every sheet of both desks once in the workspace. */
  fake_databricks_set_fault_rate (f->base.fake, 0, 1);
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM sheets WHERE name LIKE '% round %'"), ==, 8);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`sheets`"), ==,
                   local_int (f->a, "SELECT count (*) FROM sheets"));
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (DISTINCT id) FROM `main`.`plant`.`sheets`"), ==,
                   local_int (f->a, "SELECT count (*) FROM sheets"));
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`items`"), ==,
                   local_int (f->b, "SELECT count (*) FROM items"));
}

static gboolean
cancel_after_merges (gpointer user_data)
{
  SyncFixture *f = user_data;
  GCancellable *cancellable = g_object_get_data (G_OBJECT (f->sync_a), "cancellable");

  if (fake_databricks_get_n_merges (f->base.fake) < 2)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_resume_after_kill (SyncFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DbwSyncReport) partial = NULL;
  g_autoptr(DbwSyncReport) resumed = NULL;
  g_autoptr(DbwSyncService) restarted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pending_before, pending_after;
  gint64 n_items;

  fill_demo (f->a);
  n_items = local_int (f->a, "SELECT count (*) FROM items");
  link_both (f);
  pending_before = dbw_sync_service_get_n_pending (f->sync_a);

  /* Stopped once two batches are in: the rest stays in the outbox. */
  dbw_sync_service_set_stage_threshold (f->sync_a, 100000);
  fake_databricks_set_slow_polls (f->base.fake, 2);
  g_object_set_data (G_OBJECT (f->sync_a), "cancellable", cancellable);
  g_timeout_add (5, cancel_after_merges, f);
  dbw_sync_service_sync_async (f->sync_a, cancellable, store_result_cb, &result);
  partial = dbw_sync_service_sync_finish (f->sync_a, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (partial);
  fake_databricks_set_slow_polls (f->base.fake, 0);

  pending_after = dbw_sync_service_get_n_pending (f->sync_a);
  g_assert_cmpint (pending_after, <, pending_before);
  g_assert_cmpint (pending_after, >, 0);

  /* As after a restart: a new service on the same project finishes the job. */
  restarted = make_service (f->a, f->base.client);
  g_assert_cmpint (dbw_sync_service_get_state (restarted), ==, DBW_SYNC_STATE_PENDING);
  resumed = sync_ok (restarted);
  g_assert_cmpint (resumed->pushed, ==, pending_after);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`items`"), ==, n_items);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (DISTINCT id) FROM `main`.`plant`.`items`"), ==, n_items);
}

/* A workspace whose tables an earlier version made lacks the columns added since: the next
 * sync adds them, once, and both clients go on syncing every column. */
static void
test_remote_columns (SyncFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (sheet, "Survey meters");
  dbw_sheet_set_description (sheet, "Quarterly checks");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  g_assert_no_error (error);
  link_both (f);
  dbw_sync_report_free (sync_ok (f->sync_a));
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`sheets`"
                                                            " WHERE `description` = 'Quarterly checks'"), ==, 1);

  /* As an earlier version left them: no description column, and ready by the old mark. */
  fake_databricks_query_int (f->base.fake, "ALTER TABLE `main`.`plant`.`sheets` DROP COLUMN `description`");
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM pragma_table_info ('main.plant.sheets')"
                                                            " WHERE name = 'description'"), ==, 0);
  test_exec (dbw_store_get_path (f->a), "UPDATE sync_state SET value = 'main.plant' WHERE key = 'remote_ready'");

  dbw_sheet_set_description (sheet, "Quarterly checks, Geiger counters");
  g_assert_true (dbw_store_update (f->a, sheet, &error));
  g_assert_no_error (error);
  /* The answer to the ALTER is lost after it ran: its retry fails, as the column exists,
   * and the sync looks again rather than fail. */
  fake_databricks_add_body_fault (f->base.fake, "ADD COLUMNS", FAKE_FAULT_TRUNCATE, 1, 0);
  fake_databricks_clear_requests (f->base.fake);
  dbw_sync_report_free (sync_ok (f->sync_a));
  g_assert_cmpuint (fake_databricks_count_bodies_containing (f->base.fake, "ADD COLUMNS (`description` STRING)"), ==, 2);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`sheets`"
                                                            " WHERE `description` = 'Quarterly checks, Geiger counters'"), ==, 1);

  /* A client that never synced before finds the tables whole; neither checks again. */
  dbw_sync_report_free (sync_ok (f->sync_b));
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM sheets WHERE description = 'Quarterly checks, Geiger counters'"), ==, 1);
  fake_databricks_clear_requests (f->base.fake);
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));
  g_assert_cmpuint (fake_databricks_count_bodies_containing (f->base.fake, "LIMIT 0"), ==, 0);
  g_assert_cmpuint (fake_databricks_count_bodies_containing (f->base.fake, "ADD COLUMNS"), ==, 0);
}

/* A table dropped in the workspace after the tables were made: the sync that meets it fails,
 * and the next makes the table again and goes on pushing. */
static void
test_remote_dropped (SyncFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwSheet) second = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSyncReport) report = NULL;

  dbw_sheet_set_name (sheet, "Survey meters");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  g_assert_no_error (error);
  link_both (f);
  dbw_sync_report_free (sync_ok (f->sync_a));

  fake_databricks_query_int (f->base.fake, "DROP TABLE `main`.`plant`.`sheets`");
  dbw_sheet_set_name (second, "Dosimeters");
  g_assert_true (dbw_store_insert (f->a, second, &error));
  g_assert_no_error (error);

  report = sync_once (f->sync_a, &error);
  g_assert_null (report);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED);
  g_clear_error (&error);

  dbw_sync_report_free (sync_ok (f->sync_a));
  g_assert_cmpint (fake_databricks_query_int (f->base.fake, "SELECT count (*) FROM `main`.`plant`.`sheets`"
                                                            " WHERE `name` = 'Dosimeters'"), ==, 1);
}

static void
test_workspace_error (SyncFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSyncReport) report = NULL;

  link_both (f);
  fake_databricks_set_token (f->base.fake, "another-token");
  report = sync_once (f->sync_a, &error);
  g_assert_null (report);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED);
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_ERROR);
  g_assert_nonnull (dbw_sync_service_get_message (f->sync_a));

  /* Unreachable: offline, and the outbox waits. */
  fake_databricks_set_token (f->base.fake, TOKEN);
  fake_databricks_add_fault (f->base.fake, NULL, FAKE_FAULT_DROP, FAKE_FAULT_FOREVER, 0);
  g_clear_error (&error);
  report = sync_once (f->sync_a, &error);
  g_assert_null (report);
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_OFFLINE);

  fake_databricks_clear_faults (f->base.fake);
  g_clear_error (&error);
  report = sync_ok (f->sync_a);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
is_state (DbwSyncService *service,
          DbwSyncState    state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  /* So the deadline is seen when nothing else happens. */
  guint wake = g_timeout_add (100, wake_cb, NULL);

  while (dbw_sync_service_get_state (service) != state && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return dbw_sync_service_get_state (service) == state;
}

static void
test_background (SyncFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  gint64 changed_at;

  /* Started, it syncs at once, then waits for the (long) interval... */
  dbw_sync_service_set_interval (f->sync_a, 3600);
  g_assert_true (dbw_sync_service_link (f->sync_a, TARGET, &error));
  g_assert_no_error (error);
  dbw_sync_service_start (f->sync_a);
  g_assert_true (is_state (f->sync_a, DBW_SYNC_STATE_SYNCING));
  g_assert_true (is_state (f->sync_a, DBW_SYNC_STATE_SYNCED));

  /* ...unless something changes here: then it syncs after a short pause. */
  dbw_sheet_set_name (sheet, "Added while started");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  g_assert_no_error (error);
  changed_at = g_get_monotonic_time ();
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_PENDING);
  g_assert_true (is_state (f->sync_a, DBW_SYNC_STATE_SYNCED));
  g_assert_cmpint (g_get_monotonic_time () - changed_at, <, 15 * G_USEC_PER_SEC);
  g_assert_cmpint (fake_databricks_query_int (f->base.fake,
                                              "SELECT count (*) FROM `main`.`plant`.`sheets` WHERE name = 'Added while started'"),
                   ==, 1);

  dbw_sync_service_stop (f->sync_a);
}

static void
test_link_async (SyncFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GError) error = NULL;

  fill_demo (f->a);
  dbw_sync_service_link_async (f->sync_a, "main.plant; DROP", NULL, store_result_cb, &refused);
  g_assert_false (dbw_sync_service_link_finish (f->sync_a, wait_for (&refused), &error));
  g_assert_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_TARGET);
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_UNLINKED);
  g_clear_error (&error);

  dbw_sync_service_link_async (f->sync_a, TARGET, NULL, store_result_cb, &result);
  g_assert_true (dbw_sync_service_link_finish (f->sync_a, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_sync_service_get_state (f->sync_a), ==, DBW_SYNC_STATE_PENDING);
  g_assert_cmpint (dbw_sync_service_get_n_pending (f->sync_a), >, local_int (f->a, "SELECT count (*) FROM items"));
}

/* A deletes a sheet B has made a training sheet of meanwhile: B keeps the sheet, and every
 * later sync of either computer succeeds and brings the other's later changes. */
static void
test_delete_of_referenced_sheet (SyncFixture   *f,
                                 gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwSheet) copy = NULL;
  g_autoptr(DbwSheet) later = dbw_sheet_new ();
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autoptr(GError) error = NULL;
  const char *id;

  link_both (f);
  dbw_sheet_set_name (sheet, "Dosimetry");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  g_assert_no_error (error);
  id = dbw_record_get_id (DBW_RECORD (sheet));
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));

  /* B makes a training sheet of it; A, which has none, deletes the sheet for good. */
  dbw_training_sheet_set_name (training_sheet, "Dose review");
  dbw_training_sheet_set_sheet_id (training_sheet, id);
  g_assert_true (dbw_store_insert (f->b, training_sheet, &error));
  g_assert_no_error (error);
  copy = dbw_store_get (f->a, DBW_TYPE_SHEET, id, &error);
  g_assert_true (dbw_sheet_ops_trash (f->a, copy, &error));
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (f->a, id, &error), ==, 1);
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_a));

  /* Later work of A's that B should receive. */
  dbw_sheet_set_name (later, "Later");
  g_assert_true (dbw_store_insert (f->a, later, &error));
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_a));

  for (guint round = 0; round < 2; round++)
    {
      dbw_sync_report_free (sync_ok (f->sync_b));
      dbw_sync_report_free (sync_ok (f->sync_a));
    }
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM sheets WHERE name = 'Later'"), ==, 1);
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM sheets WHERE name = 'Dosimetry'"), ==, 1);
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM training_sheets"), ==, 1);
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM sheets WHERE name = 'Dosimetry'"), ==, 0);
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM training_sheets"), ==, 0);
}

/* An item's edited version comes on a page of the pull before the version it was made
 * from: it is stored, and gets its source when that comes. */
static void
test_pull_derived_item_before_source (SyncFixture   *f,
                                      gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(DbwItem) edited = NULL;
  g_autoptr(DbwSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_sync_service_link (f->sync_a, TARGET, &error));
  g_assert_no_error (error);
  dbw_sheet_set_name (sheet, "Dosimetry");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_item_set_item_ref (item, "row_0");
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, "{\"dose\":1.5}");
  g_assert_true (dbw_store_insert (f->a, item, &error));
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_a));

  /* An edit makes version 2, derived from version 1... */
  edited = dbw_sheet_ops_edit_item (f->a, item, "{\"dose\":1.75}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_item_get_derived_from (edited), ==, dbw_record_get_id (DBW_RECORD (item)));
  dbw_sync_report_free (sync_ok (f->sync_a));
  /* ...then version 1 is marked for evaluation only: pushed again, after version 2. */
  {
    static const char * const evaluation[] = { "evaluation", NULL };

    dbw_item_set_allowed_uses (item, evaluation);
  }
  g_assert_true (dbw_store_update (f->a, item, &error));
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_a));

  /* A new desk pulls in pages of one row, as a large project's pages would split. */
  g_assert_true (dbw_sync_service_link (f->sync_b, TARGET, &error));
  g_assert_no_error (error);
  dbw_sync_service_set_pull_byte_limit (f->sync_b, 1);
  report = sync_once (f->sync_b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM items"), ==, 2);
  {
    g_autoptr(DbwItem) pulled = dbw_store_get (f->b, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (edited)), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dbw_item_get_derived_from (pulled), ==, dbw_record_get_id (DBW_RECORD (item)));
  }
}

/* A deletes shared sheets while unlinked and links again: the deletions are not sent (the
 * workspace's copy is the others' too), and A gets the sheets back, as B has them. */
static void
test_delete_while_unlinked (SyncFixture   *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;

  link_both (f);
  for (guint desk = 0; desk < 2; desk++)
    {
      g_autoptr(DbwSheet) sheet = dbw_sheet_new ();

      dbw_sheet_set_name (sheet, desk == 0 ? "Made by A" : "Made by B");
      g_assert_true (dbw_store_insert (desk == 0 ? f->a : f->b, sheet, &error));
      g_assert_no_error (error);
    }
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));
  dbw_sync_report_free (sync_ok (f->sync_a));
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM sheets"), ==, 2);
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM sheets"), ==, 2);

  /* A unlinks, deletes both sheets, links again. */
  g_assert_true (dbw_sync_service_unlink (f->sync_a, &error));
  g_assert_no_error (error);
  sheets = dbw_store_list (f->a, DBW_TYPE_SHEET, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sheets->len; i++)
    g_assert_true (dbw_store_delete (f->a, DBW_TYPE_SHEET, dbw_record_get_id (g_ptr_array_index (sheets, i)), &error));
  g_assert_no_error (error);
  g_assert_true (dbw_sync_service_link (f->sync_a, TARGET, &error));
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));
  dbw_sync_report_free (sync_ok (f->sync_a));

  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM sheets"), ==, 2);
  g_assert_cmpint (local_int (f->b, "SELECT count (*) FROM sheets"), ==, 2);
  digest_a = local_digest (f->a);
  digest_b = local_digest (f->b);
  g_assert_cmpstr (digest_a, ==, digest_b);
}

/* Two experts edit one Q&A pair: the later edit wins on both; pulls that look back over
 * rows already applied change nothing. */
static void
test_pair_edits_and_repull (SyncFixture   *f,
                            gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(DbwQaPair) in_a = NULL;
  g_autoptr(DbwQaPair) in_b = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const training[] = { "training", NULL };

  link_both (f);
  dbw_sync_service_set_pull_overlap (f->sync_a, 120);
  dbw_sync_service_set_pull_overlap (f->sync_b, 120);
  dbw_sheet_set_name (sheet, "Dosimetry");
  g_assert_true (dbw_store_insert (f->a, sheet, &error));
  dbw_training_sheet_set_name (training_sheet, "Dose review");
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  g_assert_true (dbw_store_insert (f->a, training_sheet, &error));
  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training_sheet)));
  dbw_qa_pair_set_item_ref (pair, "row_0");
  dbw_qa_pair_set_messages (pair, "[{\"role\":\"user\",\"content\":\"Dose?\"},{\"role\":\"assistant\",\"content\":\"1.5\"}]");
  g_assert_true (dbw_store_insert (f->a, pair, &error));
  g_assert_no_error (error);
  dbw_sync_report_free (sync_ok (f->sync_a));
  dbw_sync_report_free (sync_ok (f->sync_b));

  in_a = dbw_store_get (f->a, DBW_TYPE_QA_PAIR, dbw_record_get_id (DBW_RECORD (pair)), &error);
  in_b = dbw_store_get (f->b, DBW_TYPE_QA_PAIR, dbw_record_get_id (DBW_RECORD (pair)), &error);
  g_assert_no_error (error);
  dbw_qa_pair_set_status (in_a, DBW_QA_STATUS_LABELED);
  dbw_qa_pair_set_allowed_uses (in_a, training);
  g_assert_true (dbw_store_update (f->a, in_a, &error));
  g_usleep (2000);
  dbw_qa_pair_set_review_notes (in_b, "dose in mSv");
  g_assert_true (dbw_store_update (f->b, in_b, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      dbw_sync_report_free (sync_ok (f->sync_a));
      dbw_sync_report_free (sync_ok (f->sync_b));
    }
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM qa_pairs WHERE review_notes = 'dose in mSv'"), ==,
                   local_int (f->b, "SELECT count (*) FROM qa_pairs WHERE review_notes = 'dose in mSv'"));
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==,
                   local_int (f->b, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"));
  g_assert_cmpint (local_int (f->a, "SELECT count (*) FROM usage_constraint_audit"), ==,
                   local_int (f->b, "SELECT count (*) FROM usage_constraint_audit"));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DbwSyncReport) report = sync_ok (i == 0 ? f->sync_a : f->sync_b);

      g_assert_cmpint (report->applied.inserted + report->applied.updated + report->applied.deleted +
                       report->applied.conflicts + report->applied.rejected, ==, 0);
      g_assert_cmpint (report->pushed, ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_log_capture_install ();

#define ADD(path, func) g_test_add (path, SyncFixture, NULL, sync_setup, func, sync_teardown)
  ADD ("/sync-service/full-sync-and-back", test_full_sync_and_back);
  ADD ("/sync-service/concurrent-label-edits", test_concurrent_label_edits);
  ADD ("/sync-service/converge-under-faults", test_converge_under_faults);
  ADD ("/sync-service/resume-after-kill", test_resume_after_kill);
  ADD ("/sync-service/workspace-error", test_workspace_error);
  ADD ("/sync-service/remote-columns", test_remote_columns);
  ADD ("/sync-service/remote-dropped", test_remote_dropped);
  ADD ("/sync-service/link-async", test_link_async);
  ADD ("/sync-service/background", test_background);
  ADD ("/sync-service/delete-of-needed-sheet", test_delete_of_referenced_sheet);
  ADD ("/sync-service/derived-item-before-source", test_pull_derived_item_before_source);
  ADD ("/sync-service/delete-while-unlinked", test_delete_while_unlinked);
  ADD ("/sync-service/pair-edits-and-repull", test_pair_edits_and_repull);
#undef ADD

  return g_test_run ();
}
