/* test-sync-journal.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "dbw-canonical-label.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-search.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-sync-journal.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-util.h"

typedef struct
{
  char           *dir;
  DbwStore       *a;
  DbwStore       *b;
  DbwSyncJournal *ja;
  DbwSyncJournal *jb;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = test_make_dir ();
  f->a = test_create_store (f->dir, "a.dbw");
  f->b = test_create_store (f->dir, "b.dbw");
  f->ja = dbw_sync_journal_new (f->a, &error);
  g_assert_no_error (error);
  f->jb = dbw_sync_journal_new (f->b, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->ja);
  g_clear_object (&f->jb);
  dbw_store_close (f->a);
  dbw_store_close (f->b);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  test_remove_dir (f->dir);
  g_free (f->dir);
}

static DbwSheet *
add_sheet (DbwStore   *store,
           const char *name,
           guint       n_items)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (sheet, name);
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("row_%u", i);
      g_autofree char *fields = g_strdup_printf ("{\"n\":%u,\"dose\":%u.5,\"site\":\"hall %c\"}", i, i, 'A' + i);

      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, fields);
      g_assert_true (dbw_store_insert (store, item, &error));
      g_assert_no_error (error);
    }

  return g_steal_pointer (&sheet);
}

static gint64
pending (DbwSyncJournal *journal)
{
  g_autoptr(GError) error = NULL;
  gint64 n = dbw_sync_journal_count_pending (journal, &error);

  g_assert_no_error (error);
  return n;
}

static gint64
query_int (DbwStore   *store,
           const char *sql)
{
  return test_query_int (dbw_store_get_path (store), sql);
}

/* Moves everything waiting in @from's outbox into @to, as a workspace would hand it on,
 * and acknowledges it. Returns the summed stats. */
static DbwSyncApplyStats
transfer (DbwSyncJournal *from,
          DbwSyncJournal *to)
{
  DbwSyncApplyStats total = { 0, };
  DbwSyncBatch *batch;
  g_autoptr(GError) error = NULL;

  while ((batch = dbw_sync_journal_next_batch (from, 7, &error)) != NULL)
    {
      const DbwSyncTable *table = batch->table;
      const DbwSyncTable *target = dbw_sync_journal_find_table (to, table->name);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      DbwSyncApplyStats stats = { 0, };

      for (guint i = 0; i < table->n_columns; i++)
        g_ptr_array_add (names, table->columns[i]);
      g_ptr_array_add (names, (gpointer) "_sync_deleted");

      for (guint i = 0; i < batch->rows->len; i++)
        {
          GPtrArray *source = g_ptr_array_index (batch->rows, i);
          GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

          for (guint j = 0; j < source->len; j++)
            g_ptr_array_add (row, g_strdup (g_ptr_array_index (source, j)));
          g_ptr_array_add (row, g_strdup ("false"));
          g_ptr_array_add (rows, row);
        }
      for (guint i = 0; i < batch->deleted->len; i++)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

          g_ptr_array_add (row, g_strdup (g_ptr_array_index (batch->deleted, i)));
          for (guint j = 1; j < table->n_columns; j++)
            g_ptr_array_add (row, NULL);
          g_ptr_array_add (row, g_strdup ("true"));
          g_ptr_array_add (rows, row);
        }

      g_assert_true (dbw_sync_journal_apply (to, target, names->len, (const char * const *) names->pdata,
                                             rows, &stats, &error));
      g_assert_no_error (error);
      total.inserted += stats.inserted;
      total.updated += stats.updated;
      total.deleted += stats.deleted;
      total.unchanged += stats.unchanged;
      total.conflicts += stats.conflicts;
      total.rejected += stats.rejected;

      g_assert_true (dbw_sync_journal_ack (from, batch, &error));
      g_assert_no_error (error);
      dbw_sync_batch_free (batch);
    }
  g_assert_no_error (error);

  return total;
}

static void
test_link_queues_everything (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DbwSheet) before = add_sheet (f->a, "Before linking", 3);
  g_autoptr(DbwSheet) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client = NULL;
  g_autofree char *target = NULL;

  /* Not linked: nothing is queued. */
  g_assert_cmpint (pending (f->ja), ==, 0);
  g_assert_null (dbw_sync_journal_dup_target (f->ja));

  g_assert_false (dbw_sync_journal_link (f->ja, "main.plant; DROP TABLE x", &error));
  g_assert_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_TARGET);
  g_clear_error (&error);
  g_assert_false (dbw_sync_journal_link (f->ja, "main", &error));
  g_assert_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_TARGET);
  g_clear_error (&error);

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_no_error (error);
  target = dbw_sync_journal_dup_target (f->ja);
  g_assert_cmpstr (target, ==, "main.plant");
  client = dbw_sync_journal_dup_client_id (f->ja);
  g_assert_cmpint (strlen (client), ==, 36);
  /* One sheet and its three items. */
  g_assert_cmpint (pending (f->ja), ==, 4);

  /* New rows are queued by the triggers; a row changed twice waits once. */
  after = add_sheet (f->a, "After linking", 2);
  g_assert_cmpint (pending (f->ja), ==, 7);
  dbw_sheet_set_description (after, "Gamma survey");
  g_assert_true (dbw_store_update (f->a, after, &error));
  dbw_sheet_set_description (after, "Gamma survey, hall B");
  g_assert_true (dbw_store_update (f->a, after, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending (f->ja), ==, 7);

  /* Relinking to the same target keeps the queue; unlinking empties it and stops queueing. */
  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_cmpint (pending (f->ja), ==, 7);
  {
    g_autofree char *same = dbw_sync_journal_dup_client_id (f->ja);

    g_assert_cmpstr (same, ==, client);
  }
  g_assert_true (dbw_sync_journal_set_state (f->ja, "remote_ready", "main.plant", &error));
  g_assert_true (dbw_sync_journal_unlink (f->ja, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending (f->ja), ==, 0);
  /* What the service knew of the workspace goes too, so linking again checks its tables. */
  g_assert_null (dbw_sync_journal_dup_state (f->ja, "remote_ready"));
  g_object_unref (add_sheet (f->a, "Unlinked", 1));
  g_assert_cmpint (pending (f->ja), ==, 0);

  /* Linked again, it reads everything again as a new client, its own earlier pushes too. */
  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_no_error (error);
  {
    g_autofree char *relinked = dbw_sync_journal_dup_client_id (f->ja);

    g_assert_cmpint (strlen (relinked), ==, 36);
    g_assert_cmpstr (relinked, !=, client);
  }
}

static void
test_batches_in_order (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwSyncBatch) first = NULL;
  g_autoptr(DbwSyncBatch) second = NULL;
  g_autoptr(DbwSyncBatch) third = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *row;
  int fields;

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_no_error (error);
  g_assert_null (dbw_sync_journal_next_batch (f->ja, 100, &error));
  g_assert_no_error (error);

  /* Items queued before their sheet still go after it. */
  sheet = add_sheet (f->a, "Dosimetry", 3);
  first = dbw_sync_journal_next_batch (f->ja, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->table->name, ==, "sheets");
  g_assert_cmpint (first->rows->len, ==, 1);
  row = g_ptr_array_index (first->rows, 0);
  g_assert_cmpstr (g_ptr_array_index (row, 0), ==, dbw_record_get_id (DBW_RECORD (sheet)));
  g_assert_true (dbw_sync_journal_ack (f->ja, first, &error));

  second = dbw_sync_journal_next_batch (f->ja, 2, &error);
  g_assert_cmpstr (second->table->name, ==, "items");
  g_assert_cmpint (second->rows->len, ==, 2);
  /* Wire form: the key first, no local row number, text as stored. */
  g_assert_cmpstr (second->table->columns[0], ==, "id");
  for (guint i = 0; i < second->table->n_columns; i++)
    g_assert_cmpstr (second->table->columns[i], !=, "seq");
  fields = -1;
  for (guint i = 0; i < second->table->n_columns; i++)
    if (g_str_equal (second->table->columns[i], "fields"))
      fields = i;
  g_assert_cmpint (fields, >, 0);
  row = g_ptr_array_index (second->rows, 0);
  g_assert_cmpstr (g_ptr_array_index (row, fields), ==, "{\"n\":0,\"dose\":0.5,\"site\":\"hall A\"}");

  /* Changed again after being read: acknowledging the old entry keeps the new one. */
  dbw_sheet_set_description (sheet, "Changed while pushing");
  g_assert_true (dbw_store_update (f->a, sheet, &error));
  g_assert_true (dbw_sync_journal_ack (f->ja, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending (f->ja), ==, 2);

  third = dbw_sync_journal_next_batch (f->ja, 100, &error);
  g_assert_cmpstr (third->table->name, ==, "sheets");

  /* Deleting queues the deletion in place of the upsert. */
  g_assert_true (dbw_sync_journal_ack (f->ja, third, &error));
  g_assert_true (dbw_store_delete (f->a, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error));
  g_assert_no_error (error);
  g_clear_pointer (&first, dbw_sync_batch_free);
  first = dbw_sync_journal_next_batch (f->ja, 100, &error);
  g_assert_cmpstr (first->table->name, ==, "sheets");
  g_assert_cmpint (first->rows->len, ==, 0);
  g_assert_cmpint (first->deleted->len, ==, 1);
}

static void
test_apply_copies_and_deletes (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  DbwSyncApplyStats stats;

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_true (dbw_sync_journal_link (f->jb, "main.plant", &error));
  g_assert_no_error (error);
  sheet = add_sheet (f->a, "Dosimetry", 5);

  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.inserted, ==, 6);
  g_assert_cmpint (stats.rejected, ==, 0);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM items"), ==, 5);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM items WHERE fields = '{\"n\":4,\"dose\":4.5,\"site\":\"hall E\"}'"), ==, 1);
  /* Applied rows are not queued again, and they are searchable. */
  g_assert_cmpint (pending (f->jb), ==, 0);
  found = dbw_search_items (f->b, "hall E", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->len, ==, 1);

  /* Applying the same rows again changes nothing. */
  g_assert_true (dbw_sync_journal_link (f->ja, "other.plant", &error));
  g_assert_no_error (error);
  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.inserted, ==, 0);
  g_assert_cmpint (stats.unchanged, ==, 6);

  /* An edit travels; a deletion cascades on the other side without being queued there. */
  dbw_sheet_set_name (sheet, "Dosimetry 2026");
  g_assert_true (dbw_store_update (f->a, sheet, &error));
  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.updated, ==, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM sheets WHERE name = 'Dosimetry 2026'"), ==, 1);

  g_assert_true (dbw_store_delete (f->a, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error));
  g_assert_no_error (error);
  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.deleted, >=, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM sheets"), ==, 0);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM items"), ==, 0);
  g_assert_cmpint (pending (f->jb), ==, 0);
}

/* Links both projects to one workspace and gives B the sheet A makes: A's, and B's copy. */
static DbwSheet *
share_sheet (Fixture   *f,
             DbwSheet **copy)
{
  g_autoptr(GError) error = NULL;
  DbwSheet *sheet;

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_true (dbw_sync_journal_link (f->jb, "main.plant", &error));
  g_assert_no_error (error);
  sheet = add_sheet (f->a, "Dosimetry", 0);
  transfer (f->ja, f->jb);
  *copy = dbw_store_get (f->b, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error);
  g_assert_no_error (error);

  return sheet;
}

static void
test_apply_newer_wins (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwSheet) copy = NULL;
  g_autoptr(GError) error = NULL;
  DbwSyncApplyStats stats;

  sheet = share_sheet (f, &copy);

  /* A renames first, B later: B's newer name wins on both sides. */
  dbw_sheet_set_name (sheet, "Renamed by A");
  g_assert_true (dbw_store_update (f->a, sheet, &error));
  g_usleep (2000);
  dbw_sheet_set_name (copy, "Renamed by B");
  g_assert_true (dbw_store_update (f->b, copy, &error));
  g_assert_no_error (error);

  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.updated, ==, 0);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM sheets WHERE name = 'Renamed by B'"), ==, 1);
  g_assert_cmpint (pending (f->jb), ==, 1);

  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.updated, ==, 1);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM sheets WHERE name = 'Renamed by B'"), ==, 1);
}

/* A deletes a sheet while B renames it: the deletion wins on both sides, also when B's
 * rename reaches A before A's deletion has left. */
static void
test_apply_keeps_pending_delete (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwSheet) copy = NULL;
  g_autoptr(GError) error = NULL;
  DbwSyncApplyStats stats;

  sheet = share_sheet (f, &copy);

  dbw_sheet_set_name (copy, "Renamed by B");
  g_assert_true (dbw_store_update (f->b, copy, &error));
  g_assert_true (dbw_store_delete (f->a, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error));
  g_assert_no_error (error);

  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.inserted, ==, 0);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM sheets"), ==, 0);
  g_assert_cmpint (pending (f->ja), ==, 1);

  transfer (f->ja, f->jb);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM sheets"), ==, 0);
}

static DbwCanonicalLabel *
get_label (DbwStore   *store,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  DbwCanonicalLabel *label = dbw_store_get (store, DBW_TYPE_CANONICAL_LABEL, id, &error);

  g_assert_no_error (error);
  return label;
}

static void
test_concurrent_label_edits (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
  g_autoptr(DbwCanonicalLabel) in_a = NULL;
  g_autoptr(DbwCanonicalLabel) in_b = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  DbwSyncApplyStats stats;

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_true (dbw_sync_journal_link (f->jb, "main.plant", &error));
  sheet = add_sheet (f->a, "Dosimetry", 1);
  dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_canonical_label_set_item_ref (label, "row_0");
  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_canonical_label_set_label_data (label, "{\"status\":\"normal\"}");
  dbw_canonical_label_set_labeled_by (label, "ada@example.com");
  g_assert_true (dbw_store_insert (f->a, label, &error));
  g_assert_no_error (error);
  id = dbw_record_get_id (DBW_RECORD (label));
  transfer (f->ja, f->jb);

  /* Both experts edit version 1; B edits later. */
  in_a = get_label (f->a, id);
  dbw_canonical_label_set_label_data (in_a, "{\"status\":\"above_action_level\"}");
  dbw_canonical_label_set_last_modified_by (in_a, "ada@example.com");
  g_assert_true (dbw_store_update (f->a, in_a, &error));
  g_usleep (2000);
  in_b = get_label (f->b, id);
  dbw_canonical_label_set_label_data (in_b, "{\"status\":\"below_action_level\"}");
  dbw_canonical_label_set_last_modified_by (in_b, "grace@example.com");
  g_assert_true (dbw_store_update (f->b, in_b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (in_a), ==, 2);
  g_assert_cmpint (dbw_canonical_label_get_version (in_b), ==, 2);

  /* A's edit reaches B while B's is unpushed: B's later edit wins, A's is kept, flagged. */
  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM canonical_labels WHERE label_data = '{\"status\":\"below_action_level\"}'"), ==, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM canonical_label_history WHERE flagged = 1 AND version = 2 "
                                    "AND label_data = '{\"status\":\"above_action_level\"}' AND modified_by = 'ada@example.com'"), ==, 1);

  /* B's winner reaches A: A keeps its own edit in history, flagged, under the same id. */
  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_clear_object (&in_a);
  in_a = get_label (f->a, id);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (in_a), ==, "{\"status\":\"below_action_level\"}");
  g_assert_cmpint (dbw_canonical_label_get_version (in_a), ==, 2);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM canonical_label_history WHERE flagged = 1"), ==, 1);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM canonical_label_history"), ==, 2);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM canonical_label_history"), ==, 2);
  g_assert_cmpint (dbw_sync_journal_count_flagged (f->ja, &error), ==, 1);
  g_assert_cmpint (dbw_sync_journal_count_flagged (f->jb, &error), ==, 1);

  /* Nothing more to exchange: the two copies agree. */
  transfer (f->ja, f->jb);
  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.conflicts, ==, 0);

  /* A later version simply wins, without a conflict, and keeps the old one in history. */
  g_clear_object (&in_b);
  in_b = get_label (f->b, id);
  dbw_canonical_label_set_label_data (in_b, "{\"status\":\"normal\"}");
  g_assert_true (dbw_store_update (f->b, in_b, &error));
  g_assert_cmpint (dbw_canonical_label_get_version (in_b), ==, 3);
  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.conflicts, ==, 0);
  g_assert_cmpint (stats.updated, ==, 1);
  g_assert_cmpint (query_int (f->a, "SELECT version FROM canonical_labels"), ==, 3);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM canonical_label_history WHERE version = 2 AND flagged = 0"), ==, 1);
}

static void
test_apply_rejects_bad_rows (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwSyncBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const DbwSyncTable *table;
  DbwSyncApplyStats stats;
  int name = -1;

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  sheet = add_sheet (f->a, "Dosimetry", 0);
  batch = dbw_sync_journal_next_batch (f->ja, 10, &error);
  g_assert_no_error (error);
  table = batch->table;
  for (guint i = 0; i < table->n_columns; i++)
    if (g_str_equal (table->columns[i], "name"))
      name = i;

  /* A good row and one whose name breaks the CHECK: one lands, one is counted. */
  for (guint copy = 0; copy < 2; copy++)
    {
      GPtrArray *source = g_ptr_array_index (batch->rows, 0);
      GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

      for (guint j = 0; j < source->len; j++)
        g_ptr_array_add (row, g_strdup (g_ptr_array_index (source, j)));
      if (copy == 1)
        {
          g_free (row->pdata[0]);
          row->pdata[0] = g_strdup ("bad-row");
          g_free (row->pdata[name]);
          row->pdata[name] = g_strdup ("   ");
        }
      g_ptr_array_add (rows, row);
    }

  g_assert_true (dbw_sync_journal_apply (f->jb, dbw_sync_journal_find_table (f->jb, "sheets"), table->n_columns,
                                         (const char * const *) table->columns, rows, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.inserted, ==, 1);
  g_assert_cmpint (stats.rejected, ==, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM sheets"), ==, 1);
}

/* Saves a copy of @store at @dir/@name and opens its journal. */
static DbwSyncJournal *
save_copy (DbwStore   *store,
           const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) copy = NULL;
  g_autoptr(GError) error = NULL;
  DbwSyncJournal *journal;

  test_save_copy (store, file, NULL, &error);
  g_assert_no_error (error);

  copy = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  journal = dbw_sync_journal_new (copy, &error);
  g_assert_no_error (error);

  return journal;
}

/* Two files that sync as one client would never see each other's changes: a copy of a
 * linked project stays linked, as a client of its own, with the same rows to send. */
static void
test_copy_is_another_client (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DbwSheet) sheet = add_sheet (f->a, "Readings", 3);
  g_autoptr(DbwSyncJournal) unlinked = NULL;
  g_autoptr(DbwSyncJournal) linked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client = NULL;
  g_autofree char *copy_client = NULL;
  g_autofree char *copy_target = NULL;
  g_autofree char *client_after = NULL;

  /* Not linked: the copy is not linked either. */
  unlinked = save_copy (f->a, f->dir, "unlinked.dbw");
  g_assert_null (dbw_sync_journal_dup_target (unlinked));
  g_assert_null (dbw_sync_journal_dup_client_id (unlinked));
  g_assert_cmpint (pending (unlinked), ==, 0);

  g_assert_true (dbw_sync_journal_link (f->ja, "main.plant", &error));
  g_assert_no_error (error);
  client = dbw_sync_journal_dup_client_id (f->ja);

  linked = save_copy (f->a, f->dir, "linked.dbw");
  copy_target = dbw_sync_journal_dup_target (linked);
  copy_client = dbw_sync_journal_dup_client_id (linked);
  g_assert_cmpstr (copy_target, ==, "main.plant");
  g_assert_cmpint (strlen (copy_client), ==, 36);
  g_assert_cmpstr (copy_client, !=, client);
  g_assert_cmpint (pending (linked), ==, pending (f->ja));
  g_assert_cmpint (pending (linked), ==, 4);

  /* The original stays the client it was. */
  client_after = dbw_sync_journal_dup_client_id (f->ja);
  g_assert_cmpstr (client_after, ==, client);

  dbw_store_close (dbw_sync_journal_get_store (unlinked));
  dbw_store_close (dbw_sync_journal_get_store (linked));
}

static DbwCanonicalLabel *
add_label (DbwStore   *store,
           DbwSheet   *sheet,
           const char *data,
           const char *by)
{
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
  g_autoptr(GError) error = NULL;

  dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_canonical_label_set_item_ref (label, "row_0");
  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_canonical_label_set_label_data (label, data);
  dbw_canonical_label_set_labeled_by (label, by);
  g_assert_true (dbw_store_insert (store, label, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&label);
}

#define ABOVE "{\"status\":\"above_action_level\"}"
#define BELOW "{\"status\":\"below_action_level\"}"

/* Both experts label one item offline: two canonical labels of one sheet, item and label
 * type under two ids. They become one, the same on both computers: the newer keeps its
 * id, the other goes into its history, flagged, and the pair made from it follows. */
static void
check_twin_labels (Fixture  *f,
                   gboolean  a_wins)
{
  g_autoptr(DbwSheet) copy = NULL;
  g_autoptr(DbwSheet) sheet = share_sheet (f, &copy);
  g_autoptr(DbwCanonicalLabel) in_a = add_label (f->a, sheet, ABOVE, "ada@example.com");
  g_autoptr(DbwCanonicalLabel) in_b = add_label (f->b, copy, BELOW, "grace@example.com");
  g_autoptr(DbwTrainingSheet) training_sheet = gen_add_training_sheet (f->b, copy, NULL, "Dose review");
  g_autoptr(DbwQaPair) pair = gen_add_pair (f->b, training_sheet, dbw_record_get_id (DBW_RECORD (in_b)));
  DbwCanonicalLabel *winner = a_wins ? in_a : in_b;
  const char *winner_id = dbw_record_get_id (DBW_RECORD (winner));
  g_autofree char *loser_sql = NULL;
  g_autofree char *pair_sql = NULL;
  g_autoptr(GError) error = NULL;
  DbwSyncApplyStats stats;

  dbw_canonical_label_set_notes (winner, "checked twice");
  g_assert_true (dbw_store_update (a_wins ? f->a : f->b, winner, &error));
  g_assert_no_error (error);

  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.conflicts, ==, 1);
  g_assert_cmpint (stats.rejected, ==, 0);
  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.conflicts, ==, a_wins ? 1 : 0);
  g_assert_cmpint (stats.rejected, ==, 0);
  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.rejected, ==, 0);

  loser_sql = g_strdup_printf ("SELECT count (*) FROM canonical_label_history WHERE flagged = 1 "
                               "AND canonical_label_id = '%s' AND label_data = '%s'", winner_id, a_wins ? BELOW : ABOVE);
  pair_sql = g_strdup_printf ("SELECT count (*) FROM qa_pairs WHERE canonical_label_id = '%s'", winner_id);
  for (guint i = 0; i < 2; i++)
    {
      DbwStore *store = i == 0 ? f->a : f->b;
      g_autoptr(DbwCanonicalLabel) label = get_label (store, winner_id);

      g_assert_cmpint (query_int (store, "SELECT count (*) FROM canonical_labels"), ==, 1);
      g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 2);
      g_assert_cmpint (query_int (store, loser_sql), ==, 1);
      g_assert_cmpint (query_int (store, "SELECT count (*) FROM canonical_label_history WHERE flagged = 1"), ==, 1);
      g_assert_cmpint (query_int (store, pair_sql), ==, 1);
      g_assert_cmpint (query_int (store, "SELECT count (*) FROM qa_pairs"), ==, 1);
    }

  /* Nothing more to exchange. */
  transfer (f->ja, f->jb);
  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.inserted + stats.updated + stats.deleted + stats.conflicts + stats.rejected, ==, 0);
}

static void
test_twin_labels_theirs_win (Fixture       *f,
                             gconstpointer  data)
{
  check_twin_labels (f, FALSE);
}

static void
test_twin_labels_ours_win (Fixture       *f,
                           gconstpointer  data)
{
  check_twin_labels (f, TRUE);
}

/* A deletes a sheet it shares, which B has made a training sheet of meanwhile: B keeps the
 * sheet its training sheet needs, A does not take the training sheet of a sheet it
 * deleted, and both go on syncing the rest. */
static void
test_apply_delete_of_needed_row (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(DbwSheet) copy = NULL;
  g_autoptr(DbwSheet) sheet = share_sheet (f, &copy);
  g_autoptr(DbwTrainingSheet) training_sheet = gen_add_training_sheet (f->b, copy, NULL, "Dose review");
  g_autoptr(DbwSheet) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  DbwSyncApplyStats stats;

  g_assert_true (dbw_sheet_ops_trash (f->a, sheet, &error));
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (f->a, dbw_record_get_id (DBW_RECORD (sheet)), &error), ==, 1);
  g_assert_no_error (error);
  later = add_sheet (f->a, "Later", 0);

  stats = transfer (f->ja, f->jb);
  g_assert_cmpint (stats.rejected, ==, 1);
  kept = g_strdup_printf ("SELECT count (*) FROM sheets WHERE id = '%s'", dbw_record_get_id (DBW_RECORD (sheet)));
  g_assert_cmpint (query_int (f->b, kept), ==, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM training_sheets"), ==, 1);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM sheets WHERE name = 'Later'"), ==, 1);

  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.rejected, ==, 1);
  g_assert_cmpint (query_int (f->a, kept), ==, 0);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM training_sheets"), ==, 0);
}

/* B adds a pair to a training sheet A has deleted: the deletion wins, and A's pull goes on. */
static void
test_apply_orphan (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DbwSheet) copy = NULL;
  g_autoptr(DbwSheet) sheet = share_sheet (f, &copy);
  g_autoptr(DbwTrainingSheet) training_sheet = gen_add_training_sheet (f->a, sheet, NULL, "Dose review");
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(DbwSheet) later = NULL;
  g_autoptr(GError) error = NULL;
  DbwSyncApplyStats stats;

  transfer (f->ja, f->jb);
  g_assert_true (dbw_store_delete (f->a, DBW_TYPE_TRAINING_SHEET, dbw_record_get_id (DBW_RECORD (training_sheet)), &error));
  g_assert_no_error (error);
  pair = gen_add_pair (f->b, training_sheet, NULL);
  later = add_sheet (f->b, "Later", 0);

  stats = transfer (f->jb, f->ja);
  g_assert_cmpint (stats.rejected, ==, 1);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM qa_pairs"), ==, 0);
  g_assert_cmpint (query_int (f->a, "SELECT count (*) FROM sheets WHERE name = 'Later'"), ==, 1);

  transfer (f->ja, f->jb);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM training_sheets"), ==, 0);
  g_assert_cmpint (query_int (f->b, "SELECT count (*) FROM qa_pairs"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-journal/link-queues-everything", test_link_queues_everything);
  ADD ("/sync-journal/batches-in-order", test_batches_in_order);
  ADD ("/sync-journal/apply-copies-and-deletes", test_apply_copies_and_deletes);
  ADD ("/sync-journal/apply-newer-wins", test_apply_newer_wins);
  ADD ("/sync-journal/apply-keeps-pending-delete", test_apply_keeps_pending_delete);
  ADD ("/sync-journal/concurrent-label-edits", test_concurrent_label_edits);
  ADD ("/sync-journal/apply-rejects-bad-rows", test_apply_rejects_bad_rows);
  ADD ("/sync-journal/copy-is-another-client", test_copy_is_another_client);
  ADD ("/sync-journal/twin-labels-theirs-win", test_twin_labels_theirs_win);
  ADD ("/sync-journal/twin-labels-ours-win", test_twin_labels_ours_win);
  ADD ("/sync-journal/apply-delete-of-needed-row", test_apply_delete_of_needed_row);
  ADD ("/sync-journal/apply-orphan", test_apply_orphan);
#undef ADD

  return g_test_run ();
}
