/* test-store.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <unistd.h>

#include "dbw-schema.h"
#include "dbw-search.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-store.h"
#include "dbw-store-private.h"
#include "generation-fixture.h"
#include "test-util.h"

static char *
raw_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
test_store_create (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "create.dbw");
  const char *path = dbw_store_get_path (store);
  static const char *tables[] = {
    "schema_version", "sheets", "items", "blobs", "templates", "canonical_labels",
    "canonical_label_history", "training_sheets", "qa_pairs", "usage_constraint_audit",
    "example_store", "example_usage", "model_training_lineage", "dspy_runs", "job_runs",
    "feedback", "endpoints", "agents", "tools", "sync_outbox", "sync_state", "exports",
  };
  g_autofree char *title = NULL;
  g_autofree char *journal = NULL;

  g_assert_cmpint (dbw_store_get_schema_version (store), ==, _dbw_schema_get_latest ());

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'", tables[i]);

      g_assert_cmpint (test_query_int (path, sql), ==, 1);
    }

  g_assert_cmpint (test_query_int (path, "PRAGMA application_id"), ==, DBW_APPLICATION_ID);
  journal = raw_text (path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");

  title = dbw_store_dup_title (store);
  g_assert_cmpstr (title, ==, "create");

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_store_open_twice (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "twice.dbw");
  g_autofree char *path = g_strdup (dbw_store_get_path (store));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (sheet, "Survey readings");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DbwStore) again = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
      g_autoptr(DbwSheet) loaded = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (dbw_store_get_schema_version (again), ==, _dbw_schema_get_latest ());
      loaded = dbw_store_get (again, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (dbw_sheet_get_name (loaded), ==, "Survey readings");
      /* Each migration is applied once, however often the project is opened. */
      g_assert_cmpint (test_query_int (path, "SELECT count (*) FROM schema_version"), ==, _dbw_schema_get_latest ());
      g_assert_cmpint (test_query_int (path, "PRAGMA foreign_keys"), ==, 0); /* per connection, not stored */
    }

  test_remove_dir (dir);
}

static void
test_store_create_exists (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "exists.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (path, "keep me", -1, NULL));
  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (store);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");

  test_remove_dir (dir);
}

static void
assert_open_fails_untouched (const char *path,
                             int         code,
                             const char *message_part)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autofree char *before = test_file_checksum (path);
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, DBW_STORE_ERROR, code);
  g_assert_null (store);
  if (message_part != NULL)
    g_assert_nonnull (strstr (error->message, message_part));

  after = test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_store_foreign_files (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *text = g_build_filename (dir, "notes.dbw", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.dbw", NULL);
  g_autofree char *other = g_build_filename (dir, "other.dbw", NULL);
  g_autofree char *short_file = g_build_filename (dir, "short.dbw", NULL);

  g_assert_true (g_file_set_contents (text, "name,value\nA,1\n", -1, NULL));
  assert_open_fails_untouched (text, DBW_STORE_ERROR_NOT_A_PROJECT, "notes.dbw");

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_open_fails_untouched (empty, DBW_STORE_ERROR_NOT_A_PROJECT, "empty");

  g_assert_true (g_file_set_contents (short_file, "SQLite format 3", 16, NULL));
  assert_open_fails_untouched (short_file, DBW_STORE_ERROR_NOT_A_PROJECT, NULL);

  test_exec (other, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');");
  assert_open_fails_untouched (other, DBW_STORE_ERROR_NOT_A_PROJECT, "another application");

  test_remove_dir (dir);
}

static void
test_store_truncated (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "cut.dbw");
  g_autofree char *path = g_strdup (dbw_store_get_path (store));
  g_autofree char *contents = NULL;
  gsize len;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
      g_autofree char *name = g_strdup_printf ("Sheet %u with a long description to fill pages", i);
      g_autoptr(GError) error = NULL;

      dbw_sheet_set_name (sheet, name);
      dbw_sheet_set_description (sheet, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.");
      g_assert_true (dbw_store_insert (store, sheet, &error));
    }
  /* Checkpoint the WAL into the main file, then close. */
  g_clear_object (&store);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  g_assert_true (g_file_set_contents (path, contents, len / 2, NULL));

  assert_open_fails_untouched (path, DBW_STORE_ERROR_CORRUPT, "truncated");

  test_remove_dir (dir);
}

/* A project as the first version of the application wrote it, holding @rows (SQL, or
 * %NULL for none). */
static void
write_schema_1_project (const char *path,
                        const char *rows)
{
  const DbwMigration *migrations;
  guint n_migrations;
  sqlite3 *db = NULL;

  migrations = _dbw_schema_get_migrations (&n_migrations);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA journal_mode = WAL;"
                                 "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);"
                                 "PRAGMA application_id = 1145198385;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, migrations[0].sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO schema_version VALUES (1, 'Initial project schema', '2026-11-01T00:00:00Z');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  if (rows != NULL)
    g_assert_cmpint (sqlite3_exec (db, rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gpointer
open_store_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = dbw_store_open (data, DBW_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_cmpint (dbw_store_get_schema_version (store), ==, _dbw_schema_get_latest ());
  dbw_store_close (store);

  return NULL;
}

/* Two openers of an older project (the app and `databits`, or two windows): the one that
 * waited for the write lock finds the project migrated and does not migrate it again. */
static void
test_store_migrate_concurrently (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "shared.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const DbwMigration *migrations;
  guint n_migrations;
  sqlite3 *db = NULL;
  GThread *thread;
  static const gboolean deferred = FALSE;
  static const gint64 watermark = 0;

  write_schema_1_project (path, NULL);
  migrations = _dbw_schema_get_migrations (&n_migrations);

  /* The other opener holds the write lock while it migrates ... */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (_dbw_search_register (db, &deferred, &watermark), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 1; i < n_migrations; i++)
    {
      g_autofree char *row = g_strdup_printf ("INSERT INTO schema_version VALUES (%d, 'x', 'x')", migrations[i].version);

      g_assert_cmpint (sqlite3_exec (db, migrations[i].sql, NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, row, NULL, NULL, NULL), ==, SQLITE_OK);
    }

  /* ... while this one reads schema 1 and waits for the lock (the pause only lets it get
   * there: the test passes however long it takes, and fails without the second look). */
  thread = g_thread_new ("open", open_store_thread, file);
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_thread_join (thread);

  g_assert_cmpint (test_query_int (path, "SELECT count (*) FROM schema_version"), ==, _dbw_schema_get_latest ());
  test_remove_dir (dir);
}

/* A project made by the first release (schema 1), with data, reaches the current schema
 * with every row and reference kept. */
static void
test_store_migrate_from_1 (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "old.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const DbwMigration *migrations;
  guint n_migrations;

  migrations = _dbw_schema_get_migrations (&n_migrations);
  g_assert_cmpint (migrations[0].version, ==, 1);

  write_schema_1_project (path,
                          "INSERT INTO sheets (id, name, created_at, updated_at) VALUES ('s1', 'Readings', 'x', 'x');"
                          "INSERT INTO items (rowid, id, sheet_id, item_ref, modality, fields, created_at)"
                          "  VALUES (5, 'i1', 's1', 'row_1', 'row', '{\"site\":\"hot lab\"}', 'x');"
                          "INSERT INTO items (rowid, id, sheet_id, item_ref, version, derived_from, modality, fields, created_at)"
                          "  VALUES (9, 'i2', 's1', 'row_1', 2, 'i1', 'row', '{\"site\":\"reactor hall\"}', 'x');");

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_store_get_schema_version (store), ==, _dbw_schema_get_latest ());
  dbw_store_close (store);
  g_clear_object (&store);

  g_assert_cmpint (test_query_int (path, "SELECT rowid FROM items WHERE id = 'i2'"), ==, 9);
  g_assert_cmpint (test_query_int (path, "SELECT count (*) FROM items WHERE id = 'i2' AND derived_from = 'i1'"), ==, 1);
  g_assert_cmpint (test_query_int (path, "SELECT count (*) FROM items_fts WHERE items_fts MATCH 'reactor'"), ==, 1);
  /* A bulk import's terms leave memory in 16 MiB pieces, not FTS5's default 1 MiB. */
  g_assert_cmpint (test_query_int (path, "SELECT v FROM items_fts_config WHERE k = 'hashsize'"), ==, 16777216);

  /* VACUUM keeps the rowids, so the index still points at the right items. */
  test_exec (path, "VACUUM;");
  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  found = dbw_search_items (store, "reactor", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dbw_record_get_id (g_ptr_array_index (found, 0)), ==, "i2");

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_store_newer_schema (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "future.dbw");
  g_autofree char *path = g_strdup (dbw_store_get_path (store));

  g_clear_object (&store);
  test_exec (path, "INSERT INTO schema_version VALUES (999, 'from the future', '2030-01-01T00:00:00Z');"
                  "PRAGMA wal_checkpoint (TRUNCATE);");

  assert_open_fails_untouched (path, DBW_STORE_ERROR_NEWER_SCHEMA, "newer version");

  test_remove_dir (dir);
}

static void
test_store_no_schema (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "bare.dbw", NULL);

  test_exec (path, "PRAGMA application_id = 1145198385; CREATE TABLE t (x);");
  assert_open_fails_untouched (path, DBW_STORE_ERROR_CORRUPT, "schema");

  test_remove_dir (dir);
}

static void
test_store_missing_tables (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "gutted.dbw");
  g_autofree char *path = g_strdup (dbw_store_get_path (store));

  g_clear_object (&store);
  test_exec (path, "PRAGMA foreign_keys = OFF; DROP TABLE qa_pairs; PRAGMA wal_checkpoint (TRUNCATE);");

  assert_open_fails_untouched (path, DBW_STORE_ERROR_CORRUPT, "tables are missing");

  test_remove_dir (dir);
}

static void
test_store_meta_and_blobs (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "blobs.dbw");
  g_autoptr(GBytes) a = g_bytes_new_static ("PCB scan", 8);
  g_autoptr(GBytes) b = g_bytes_new_static ("PCB scan", 8);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash_a = NULL;
  g_autofree char *hash_b = NULL;
  g_autofree char *title = NULL;

  hash_a = dbw_store_put_blob (store, a, "image/png", &error);
  g_assert_no_error (error);
  hash_b = dbw_store_put_blob (store, b, "image/png", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash_a, ==, hash_b);
  g_assert_cmpuint (strlen (hash_a), ==, 64);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM blobs"), ==, 1);

  back = dbw_store_get_blob (store, hash_a, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (a, back));

  g_assert_null (dbw_store_get_blob (store, "0000000000000000000000000000000000000000000000000000000000000000", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (dbw_store_set_meta (store, "title", "Reactor hall survey", &error));
  title = dbw_store_dup_title (store);
  g_assert_cmpstr (title, ==, "Reactor hall survey");

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
on_any_change_cb (DbwStore      *store,
                  const char    *table,
                  DbwChangeKind  kind,
                  const char    *id,
                  guint         *n_changes)
{
  (*n_changes)++;
}

/* An unsaved edit is kept as a draft at once, survives closing the project, is replaced by
 * the next and dropped on request; it is not a change anybody follows, and not synced. */
static void
test_store_drafts (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "drafts.dbw");
  g_autofree char *path = g_strdup (dbw_store_get_path (store));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) keys = NULL;
  guint n_changes = 0;

  g_signal_connect (store, "changed", G_CALLBACK (on_any_change_cb), &n_changes);
  g_assert_null (dbw_store_dup_draft (store, "DbwLabelPage"));
  keys = dbw_store_list_drafts (store);
  g_assert_cmpuint (g_strv_length (keys), ==, 0);
  g_clear_pointer (&keys, g_strfreev);
  g_assert_true (dbw_store_set_draft (store, "DbwLabelPage", "{\"answer\":\"one\"}", &error));
  g_assert_no_error (error);
  g_assert_true (dbw_store_set_draft (store, "DbwLabelPage", "{\"answer\":\"two\"}", &error));
  g_assert_true (dbw_store_set_draft (store, "DbwTemplatesPage", "{}", &error));
  g_assert_cmpuint (n_changes, ==, 0);

  /* Not JSON: refused, and the draft before it stays. */
  g_assert_false (dbw_store_set_draft (store, "DbwLabelPage", "{\"answer\":", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  dbw_store_close (store);
  g_clear_object (&store);

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  value = dbw_store_dup_draft (store, "DbwLabelPage");
  g_assert_cmpstr (value, ==, "{\"answer\":\"two\"}");
  keys = dbw_store_list_drafts (store);
  g_assert_cmpstrv (keys, ((const char *[]) { "DbwLabelPage", "DbwTemplatesPage", NULL }));
  g_clear_pointer (&keys, g_strfreev);
  g_assert_true (dbw_store_set_draft (store, "DbwLabelPage", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (dbw_store_dup_draft (store, "DbwLabelPage"));
  keys = dbw_store_list_drafts (store);
  g_assert_cmpstrv (keys, ((const char *[]) { "DbwTemplatesPage", NULL }));
  g_assert_true (dbw_store_set_draft (store, "DbwLabelPage", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&value, g_free);
  value = dbw_store_dup_draft (store, "DbwTemplatesPage");
  g_assert_cmpstr (value, ==, "{}");

  g_assert_cmpint (test_query_int (path, "SELECT count (*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'drafts'"), ==, 0);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
stage_counts_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DbwStageCounts *counts = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_store_get_stage_counts_finish (DBW_STORE (object), result, counts, &error));
  g_assert_no_error (error);
}

static gboolean
sheets_counted (gpointer data)
{
  return ((DbwStageCounts *) data)->sheets >= 0;
}

/* The sidebar's counts, on the store's connection and in a worker: a sheet in the trash
 * and its items do not count. */
static void
test_store_stage_counts (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "counts.dbw");
  g_autoptr(DbwSheet) readings = gen_add_sheet (store, "Readings", 3);
  g_autoptr(DbwSheet) wipes = gen_add_sheet (store, "Wipe tests", 2);
  g_autoptr(GError) error = NULL;
  DbwStageCounts counts = { 0 };
  DbwStageCounts async_counts = { .sheets = -1 };

  g_assert_true (dbw_store_get_stage_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.sheets, ==, 2);
  g_assert_cmpint (counts.items, ==, 5);
  g_assert_cmpint (counts.qa_pairs, ==, 0);

  g_assert_true (dbw_sheet_ops_trash (store, wipes, &error));
  g_assert_no_error (error);

  dbw_store_get_stage_counts_async (store, NULL, stage_counts_cb, &async_counts);
  while (!sheets_counted (&async_counts))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (async_counts.sheets, ==, 1);
  g_assert_cmpint (async_counts.items, ==, 3);
  g_assert_cmpint (async_counts.canonical_labels, ==, 0);

  dbw_store_close (store);
  test_remove_dir (dir);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     n_deleted;  /* "training_sheets" deletions signalled on the main store */
} DeleteWait;

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  DeleteWait *wait = user_data;

  wait->ok = dbw_store_delete_finish (DBW_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static void
on_deleted_signal_cb (DbwStore      *store,
                      const char    *table,
                      DbwChangeKind  kind,
                      const char    *id,
                      DeleteWait    *wait)
{
  if (g_str_equal (table, "training_sheets") && kind == DBW_CHANGE_DELETED)
    wait->n_deleted++;
}

/* A training sheet and its pairs deleted in a worker; the main store hears of it once it
 * is done. */
static void
test_store_delete_async (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "delete.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Readings", 3);
  g_autoptr(DbwTrainingSheet) training_sheet = gen_add_training_sheet (store, sheet, NULL, "Dose review");
  const char *id = dbw_record_get_id (DBW_RECORD (training_sheet));
  DeleteWait wait = { 0 };

  for (guint i = 0; i < 3; i++)
    g_object_unref (gen_add_pair (store, training_sheet, NULL));

  g_signal_connect (store, "changed", G_CALLBACK (on_deleted_signal_cb), &wait);
  dbw_store_delete_async (store, DBW_TYPE_TRAINING_SHEET, id, NULL, deleted_cb, &wait);
  g_assert_cmpuint (wait.n_deleted, ==, 0);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_cmpuint (wait.n_deleted, ==, 1);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, NULL, NULL, NULL), ==, 0);

  /* Gone already: not found, and nothing signalled. */
  wait.done = FALSE;
  dbw_store_delete_async (store, DBW_TYPE_TRAINING_SHEET, id, NULL, deleted_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (wait.ok);
  g_assert_error (wait.error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&wait.error);
  g_assert_cmpuint (wait.n_deleted, ==, 1);

  g_signal_handlers_disconnect_by_data (store, &wait);
  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
on_changed_count_cb (DbwStore      *store,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     guint         *count)
{
  if (g_str_equal (table, "sheets"))
    (*count)++;
}

static void
test_store_transaction (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "tx.dbw");
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_signal_connect (store, "changed", G_CALLBACK (on_changed_count_cb), &changes);

  g_assert_true (dbw_store_begin (store, &error));
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(DbwSheet) sheet = dbw_sheet_new ();

      dbw_sheet_set_name (sheet, "batch");
      g_assert_true (dbw_store_insert (store, sheet, &error));
    }
  /* Nothing is announced while the batch is open… */
  g_assert_cmpuint (changes, ==, 0);
  dbw_store_rollback (store);
  /* …and a rolled-back batch leaves nothing behind. */
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_SHEET, NULL, NULL, &error), ==, 0);
  g_assert_cmpuint (changes, ==, 1);

  g_assert_true (dbw_store_begin (store, &error));
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(DbwSheet) sheet = dbw_sheet_new ();

      dbw_sheet_set_name (sheet, "batch");
      g_assert_true (dbw_store_insert (store, sheet, &error));
    }
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_SHEET, "name", "batch", &error), ==, 10);
  g_assert_cmpuint (changes, ==, 2);

  dbw_store_close (store);
  test_remove_dir (dir);
}

typedef struct
{
  guint          count;
  DbwChangeKind  kind;
  char          *id;
} SheetChange;

static void
on_sheet_changed_cb (DbwStore      *store,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     SheetChange   *change)
{
  change->count++;
  change->kind = kind;
  g_free (change->id);
  change->id = g_strdup (id);
}

/* After a transaction, one change of one row is told as it was; more, as a reset. */
static void
test_store_transaction_changes (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "tx-changes.dbw");
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwSheet) other = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  SheetChange change = { 0 };

  dbw_sheet_set_name (sheet, "Readings");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_signal_connect (store, "changed::sheets", G_CALLBACK (on_sheet_changed_cb), &change);

  g_assert_true (dbw_store_begin (store, &error));
  dbw_sheet_set_description (sheet, "Hall B");
  g_assert_true (dbw_store_update (store, sheet, &error));
  g_assert_cmpuint (change.count, ==, 0);
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpint (change.kind, ==, DBW_CHANGE_UPDATED);
  g_assert_cmpstr (change.id, ==, dbw_record_get_id (DBW_RECORD (sheet)));

  /* Two changes, even of one row: a reset. */
  g_assert_true (dbw_store_begin (store, &error));
  dbw_sheet_set_name (other, "Boards");
  g_assert_true (dbw_store_insert (store, other, &error));
  g_assert_true (dbw_store_delete (store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (other)), &error));
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpint (change.kind, ==, DBW_CHANGE_RESET);
  g_assert_null (change.id);

  /* Nested: told once the outer transaction ends. */
  g_assert_true (dbw_store_begin (store, &error));
  g_assert_true (dbw_store_begin (store, &error));
  g_assert_true (dbw_store_delete (store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error));
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_cmpuint (change.count, ==, 3);
  g_assert_cmpint (change.kind, ==, DBW_CHANGE_DELETED);

  /* Rolled back, a change did not happen: a reset. */
  g_assert_true (dbw_store_begin (store, &error));
  g_assert_true (dbw_store_begin (store, &error));
  dbw_record_set_id (DBW_RECORD (other), NULL);
  g_assert_true (dbw_store_insert (store, other, &error));
  dbw_store_rollback (store);
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_cmpuint (change.count, ==, 4);
  g_assert_cmpint (change.kind, ==, DBW_CHANGE_RESET);
  g_assert_null (change.id);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_SHEET, NULL, NULL, &error), ==, 0);

  g_free (change.id);
  dbw_store_close (store);
  test_remove_dir (dir);
}

/* Fails unless the file at @path still has @checksum (from test_file_checksum()). */
static void
assert_file_unchanged (const char *path,
                       const char *checksum)
{
  g_autofree char *now = test_file_checksum (path);

  g_assert_cmpstr (now, ==, checksum);
}

static DbwStore *
open_read_only (const char        *path,
                DbwStoreOpenFlags  flags)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  DbwStore *store = dbw_store_open (file, flags, &error);

  g_assert_no_error (error);
  g_assert_true (dbw_store_is_read_only (store));
  return store;
}

/* Every way of changing a read-only project fails with READ_ONLY and the file stays as it
 * was; reading works, and its other connections are read-only too. */
static void
assert_read_only (DbwStore   *store,
                  const char *path)
{
  g_autofree char *checksum = test_file_checksum (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(DbwStore) connection = NULL;
  g_autoptr(GError) error = NULL;
  gboolean read_only = FALSE;
  gboolean had_wal = g_file_test (wal, G_FILE_TEST_EXISTS);

  g_object_get (store, "read-only", &read_only, NULL);
  g_assert_true (read_only);

  sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sheets->len, ==, 1);
  g_assert_cmpstr (dbw_sheet_get_name (g_ptr_array_index (sheets, 0)), ==, "Readings");

  dbw_sheet_set_name (sheet, "New");
  g_assert_false (dbw_store_insert (store, sheet, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  g_assert_false (dbw_store_delete (store, DBW_TYPE_SHEET, dbw_record_get_id (g_ptr_array_index (sheets, 0)), &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_false (dbw_store_set_draft (store, "DbwLabelPage", "{}", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  connection = dbw_store_open_connection (store, &error);
  g_assert_no_error (error);
  g_assert_true (dbw_store_is_read_only (connection));
  g_assert_false (dbw_store_insert (connection, sheet, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY);
  dbw_store_close (connection);

  assert_file_unchanged (path, checksum);
  /* A clean project is read without a WAL, so none is left in a folder it may not own. */
  g_assert_cmpint (g_file_test (wal, G_FILE_TEST_EXISTS), ==, had_wal);
}

static char *
create_readings_project (const char *dir)
{
  g_autoptr(DbwStore) store = test_create_store (dir, "shared.dbw");
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_strdup (dbw_store_get_path (store));

  dbw_sheet_set_name (sheet, "Readings");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);
  dbw_store_close (store);

  return path;
}

static void
test_store_read_only (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = create_readings_project (dir);
  g_autoptr(DbwStore) store = open_read_only (path, DBW_STORE_OPEN_READ_ONLY);

  assert_read_only (store, path);
  dbw_store_close (store);
  g_clear_object (&store);

  /* Opened again without the flag, the same file can be changed. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
    g_autoptr(GError) error = NULL;

    store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
    g_assert_no_error (error);
    g_assert_false (dbw_store_is_read_only (store));
    dbw_sheet_set_name (sheet, "Second");
    g_assert_true (dbw_store_insert (store, sheet, &error));
    g_assert_no_error (error);
    dbw_store_close (store);
  }

  test_remove_dir (dir);
}

/* A project that cannot be written (its file and folder are not ours to write) opens for
 * reading only, by itself. As root every file can be written, so the subprocess becomes
 * an ordinary user first. */
static void
test_store_read_only_detected (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = create_readings_project (dir);

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  if (g_test_subprocess ())
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwStore) store = NULL;

      if (geteuid () == 0)
        g_assert_true (setgid (65534) == 0 && setuid (65534) == 0);

      store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      assert_read_only (store, path);
      dbw_store_close (store);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  test_remove_dir (dir);
  g_test_trap_assert_passed ();
}

/* A project from an earlier version must be updated to open; read-only, it cannot be. */
static void
test_store_read_only_older_schema (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "old.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autofree char *checksum = NULL;

  write_schema_1_project (path, NULL);
  checksum = test_file_checksum (path);

  store = dbw_store_open (file, DBW_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "old.dbw"));
  assert_file_unchanged (path, checksum);

  test_remove_dir (dir);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* A copy of a read-only project is whole (items, files) and can be changed; a file at
 * the destination is replaced only by a complete copy. */
static void
test_store_save_copy (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *path = NULL;
  g_autofree char *copy_path = g_build_filename (dir, "mine.dbw", NULL);
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy_path);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("calibration certificate", 23);
  g_autoptr(GBytes) found = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(DbwStore) store = test_create_store (dir, "shared.dbw");
  g_autoptr(DbwStore) copy = NULL;
  g_autoptr(DbwSheet) readings = gen_add_sheet (store, "Readings", 3);
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = dbw_store_put_blob (store, bytes, "text/plain", &error);
  g_autofree char *checksum = NULL;
  guint n_files;

  g_assert_no_error (error);
  path = g_strdup (dbw_store_get_path (store));
  file = g_file_new_for_path (path);
  dbw_store_close (store);
  g_clear_object (&store);
  checksum = test_file_checksum (path);
  g_assert_true (g_file_set_contents (copy_path, "an older file", -1, NULL));

  store = dbw_store_open (file, DBW_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  n_files = count_files (dir);

  /* Cancelled: the file there stays, and nothing is left beside it. */
  g_cancellable_cancel (cancelled);
  test_save_copy (store, copy_file, cancelled, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, n_files);

  /* Not over itself. */
  test_save_copy (store, file, NULL, &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  test_save_copy (store, copy_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, n_files);
  dbw_store_close (store);
  assert_file_unchanged (path, checksum);

  copy = dbw_store_open (copy_file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (dbw_store_is_read_only (copy));
  g_assert_cmpint (dbw_store_count (copy, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (readings)), &error), ==, 3);
  found = dbw_store_get_blob (copy, hash, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (found, bytes));
  dbw_sheet_set_name (sheet, "Mine");
  g_assert_true (dbw_store_insert (copy, sheet, &error));
  g_assert_no_error (error);
  dbw_store_close (copy);

  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/create", test_store_create);
  g_test_add_func ("/store/transaction-changes", test_store_transaction_changes);
  g_test_add_func ("/store/open-twice", test_store_open_twice);
  g_test_add_func ("/store/create-over-existing", test_store_create_exists);
  g_test_add_func ("/store/error/foreign-files", test_store_foreign_files);
  g_test_add_func ("/store/error/truncated", test_store_truncated);
  g_test_add_func ("/store/migrate-from-1", test_store_migrate_from_1);
  g_test_add_func ("/store/migrate-concurrently", test_store_migrate_concurrently);
  g_test_add_func ("/store/error/newer-schema", test_store_newer_schema);
  g_test_add_func ("/store/error/no-schema", test_store_no_schema);
  g_test_add_func ("/store/error/missing-tables", test_store_missing_tables);
  g_test_add_func ("/store/meta-and-blobs", test_store_meta_and_blobs);
  g_test_add_func ("/store/drafts", test_store_drafts);
  g_test_add_func ("/store/stage-counts", test_store_stage_counts);
  g_test_add_func ("/store/delete-async", test_store_delete_async);
  g_test_add_func ("/store/transaction", test_store_transaction);
  g_test_add_func ("/store/read-only", test_store_read_only);
  g_test_add_func ("/store/read-only/detected", test_store_read_only_detected);
  g_test_add_func ("/store/read-only/older-schema", test_store_read_only_older_schema);
  g_test_add_func ("/store/save-copy", test_store_save_copy);

  return g_test_run ();
}
