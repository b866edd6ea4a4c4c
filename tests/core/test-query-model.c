/* test-query-model.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dbw-canonical-label.h"
#include "dbw-item.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "test-util.h"

#define N_ROWS 100000

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} Changed;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Changed    *changed)
{
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->calls++;
}

static DbwSheet *
add_sheet (DbwStore   *store,
           const char *name)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (sheet, name);
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&sheet);
}

static void
fill (DbwStore   *store,
      const char *sheet_id,
      guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) item = dbw_item_new ();

  g_assert_true (dbw_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      char ref[32];
      char fields[64];

      g_snprintf (ref, sizeof ref, "row_%06u", i);
      g_snprintf (fields, sizeof fields, "{\"n\":%u}", i);
      dbw_record_set_id (DBW_RECORD (item), NULL);
      dbw_item_set_sheet_id (item, sheet_id);
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_fields (item, fields);
      dbw_item_set_modality (item, i % 2 ? DBW_MODALITY_TEXT : DBW_MODALITY_ROW);
      g_assert_true (dbw_store_insert (store, item, &error));
    }
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
test_query_model_large (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "large.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwSheet) other = add_sheet (store, "Other");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));

  fill (store, sheet_id, N_ROWS);
  fill (store, dbw_record_get_id (DBW_RECORD (other)), 10);

  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_assert_true (dbw_query_model_set_filter (model, "sheet_id", sheet_id, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == DBW_TYPE_ITEM);
  /* Opening the list materialised nothing. */
  g_assert_cmpuint (dbw_query_model_get_n_loaded (model), ==, 0);

  for (guint i = 0; i < 1000; i++)
    {
      guint position = g_rand_int_range (rand, 0, N_ROWS);
      g_autoptr(DbwItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);
      char ref[32];

      g_snprintf (ref, sizeof ref, "row_%06u", position);
      g_assert_nonnull (item);
      g_assert_cmpstr (dbw_item_get_item_ref (item), ==, ref);
      g_assert_cmpstr (dbw_item_get_sheet_id (item), ==, sheet_id);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_ROWS));

  /* Pages load on demand: 1000 random reads touch at most 1000 pages of 128. */
  g_assert_cmpuint (dbw_query_model_get_n_loaded (model), <=, 1000 * 128);
  g_assert_cmpuint (dbw_query_model_get_n_loaded (model), <, N_ROWS * 2);

  /* Sorting descending reverses the order. */
  g_assert_true (dbw_query_model_set_sort (model, "item_ref", TRUE, &error));
  {
    g_autoptr(DbwItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (dbw_item_get_item_ref (first), ==, "row_099999");
  }

  /* A second filter narrows it. */
  g_assert_true (dbw_query_model_set_filter (model, "modality", "text", &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS / 2);

  g_assert_false (dbw_query_model_set_filter (model, "modality OR 1=1", "text", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_query_model_changes (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "changes.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(DbwItem) third = NULL;
  g_autoptr(DbwItem) extra = dbw_item_new ();
  g_autoptr(GError) error = NULL;
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));
  Changed changed = { 0 };

  fill (store, sheet_id, 5);

  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);

  /* Insert at the end: one item added at position 5. */
  dbw_item_set_sheet_id (extra, sheet_id);
  dbw_item_set_item_ref (extra, "row_extra");
  g_assert_true (dbw_store_insert (store, extra, &error));
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (changed.position, ==, 5);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);

  /* Update in place: no items-changed, the record the list holds is refreshed. */
  third = g_list_model_get_item (G_LIST_MODEL (model), 2);
  {
    /* A list's record leaves out the text, which may be long: it is read whole to be written. */
    g_autoptr(DbwItem) copy = dbw_store_get (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (third)), &error);

    dbw_item_set_usage_reason (copy, "edited");
    g_assert_true (dbw_store_update (store, copy, &error));
  }
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpstr (dbw_item_get_usage_reason (third), ==, "edited");

  /* Changes committed as one batch refresh the rows the list holds, too. */
  {
    g_autoptr(DbwItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(DbwItem) copy = dbw_store_get (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (first)), &error);

    g_assert_true (dbw_store_begin (store, &error));
    dbw_item_set_usage_reason (copy, "batch");
    g_assert_true (dbw_store_update (store, copy, &error));
    g_assert_cmpstr (dbw_item_get_usage_reason (first), !=, "batch");
    g_assert_true (dbw_store_commit (store, &error));
    g_assert_cmpstr (dbw_item_get_usage_reason (first), ==, "batch");
    g_assert_cmpuint (changed.calls, ==, 1);
  }

  /* Delete in the middle: one item removed at position 2. */
  g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (third)), &error));
  g_assert_cmpuint (changed.calls, ==, 2);
  g_assert_cmpuint (changed.position, ==, 2);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);

  /* A filtered model ignores rows outside its filter. */
  g_assert_true (dbw_query_model_set_filter (model, "item_ref", "row_extra", &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

/* A list gets the same record for a row after other rows come and go, so it keeps its rows
 * bound; rows it has not seen yet are loaded where they now are. */
static void
test_query_model_keeps_records (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "keeps.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DbwItem) extra = dbw_item_new ();
  g_autoptr(GError) error = NULL;
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));
  const guint n = 300;   /* three pages */
  Changed changed = { 0 };

  fill (store, sheet_id, n);
  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (model), i));

  /* Out goes row 10: the rows after it move up one, across the pages' bounds too. */
  g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM, dbw_record_get_id (g_ptr_array_index (before, 10)), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (changed.position, ==, 10);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n - 1);
  for (guint i = 0; i < n - 1; i++)
    {
      g_autoptr(DbwItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_true (item == g_ptr_array_index (before, i < 10 ? i : i + 1));
    }

  /* A new row at the end is loaded into the page already there. */
  dbw_item_set_sheet_id (extra, sheet_id);
  dbw_item_set_item_ref (extra, "row_extra");
  g_assert_true (dbw_store_insert (store, extra, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  {
    g_autoptr(DbwItem) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
    g_autoptr(DbwItem) before_last = g_list_model_get_item (G_LIST_MODEL (model), n - 2);

    g_assert_cmpstr (dbw_item_get_item_ref (last), ==, "row_extra");
    g_assert_true (before_last == g_ptr_array_index (before, n - 1));
  }

  /* A row refreshed in place is still the record the list holds. */
  {
    g_autoptr(DbwItem) copy = dbw_store_get (store, DBW_TYPE_ITEM, dbw_record_get_id (g_ptr_array_index (before, 200)), &error);

    dbw_item_set_usage_reason (copy, "kept");
    g_assert_true (dbw_store_update (store, copy, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (dbw_item_get_usage_reason (g_ptr_array_index (before, 200)), ==, "kept");
  }

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

/* With more pages than are kept, a shift keeps the page used last, most of whose rows stay
 * on one page. */
static void
test_query_model_keeps_recent (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "recent.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GPtrArray) recent = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  const guint n = 128 * 70;
  const guint first = 128 * 10;

  fill (store, dbw_record_get_id (DBW_RECORD (sheet)), n);
  model = dbw_query_model_new (store, DBW_TYPE_ITEM);

  /* 64 pages read: the 13th to the 70th, the first five, then the eleventh. */
  for (guint page = 12; page < 70; page++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), page * 128));
  for (guint page = 0; page < 5; page++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), page * 128));
  for (guint i = first; i < first + 128; i++)
    g_ptr_array_add (recent, g_list_model_get_item (G_LIST_MODEL (model), i));

  /* The first row goes: every page shifts by one, over two pages each. */
  {
    g_autoptr(DbwItem) head = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (head)), &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 128; i++)
    {
      g_autoptr(DbwItem) item = g_list_model_get_item (G_LIST_MODEL (model), first + i - 1);

      g_assert_true (item == g_ptr_array_index (recent, i));
    }

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

static const char *
ref_at (DbwQueryModel *model,
        guint          position)
{
  g_autoptr(DbwItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);
  static char ref[64];

  g_strlcpy (ref, dbw_item_get_item_ref (item), sizeof ref);
  return ref;
}

static void
add_row (DbwStore   *store,
         const char *sheet_id,
         const char *ref,
         gint64      version,
         const char *fields)
{
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(GError) error = NULL;

  dbw_item_set_sheet_id (item, sheet_id);
  dbw_item_set_item_ref (item, ref);
  dbw_item_set_version (item, version);
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, fields);
  g_assert_true (dbw_store_insert (store, item, &error));
  g_assert_no_error (error);
}

static void
test_query_model_item_views (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "views.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwSheet) gone = add_sheet (store, "Deleted");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
  g_autoptr(GError) error = NULL;
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));

  add_row (store, sheet_id, "a", 1, "{\"dose\":\"9.5\",\"site\":\"Hot lab\"}");
  add_row (store, sheet_id, "b", 1, "{\"dose\":\"10.25\",\"site\":\"Reactor hall\"}");
  add_row (store, sheet_id, "b", 2, "{\"dose\":\"100\",\"site\":\"Reactor hall\"}");
  add_row (store, sheet_id, "c", 1, "{\"dose\":\"n/a\",\"site\":\"Hot lab\"}");
  add_row (store, sheet_id, "d", 1, "{\"site\":\"Waste store\"}");
  add_row (store, dbw_record_get_id (DBW_RECORD (gone)), "e", 1, "{\"site\":\"Hot lab\"}");
  dbw_sheet_set_deleted_at (gone, "2026-11-23T12:00:00Z");
  g_assert_true (dbw_store_update (store, gone, &error));

  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);

  /* Current only: b's old version and the deleted sheet's item are hidden. */
  g_assert_true (dbw_query_model_set_current_only (model, TRUE, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);

  /* Numbers in numeric order, then text, then items without the field. */
  g_assert_true (dbw_query_model_set_sort_field (model, "dose", FALSE, &error));
  g_assert_cmpstr (ref_at (model, 0), ==, "a");
  g_assert_cmpstr (ref_at (model, 1), ==, "b");
  g_assert_cmpstr (ref_at (model, 2), ==, "c");
  g_assert_cmpstr (ref_at (model, 3), ==, "d");
  g_assert_true (dbw_query_model_set_sort_field (model, "dose", TRUE, &error));
  g_assert_cmpstr (ref_at (model, 0), ==, "d");
  g_assert_cmpstr (ref_at (model, 3), ==, "a");

  /* Search, combined with the rest. */
  g_assert_true (dbw_query_model_set_search (model, "hot", &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_true (dbw_query_model_set_search (model, "", &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);

  /* Label status: c has a canonical label. */
  dbw_canonical_label_set_sheet_id (label, sheet_id);
  dbw_canonical_label_set_item_ref (label, "c");
  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_canonical_label_set_label_data (label, "{\"label\":\"ok\"}");
  g_assert_true (dbw_store_insert (store, label, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_query_model_set_label_filter (model, DBW_LABEL_FILTER_LABELED, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpstr (ref_at (model, 0), ==, "c");
  g_assert_true (dbw_query_model_set_label_filter (model, DBW_LABEL_FILTER_UNLABELED, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);

  /* Labeling an item takes it out of the unlabeled ones at once. */
  g_clear_object (&label);
  label = dbw_canonical_label_new ();
  dbw_canonical_label_set_sheet_id (label, sheet_id);
  dbw_canonical_label_set_item_ref (label, "a");
  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_canonical_label_set_label_data (label, "{\"label\":\"ok\"}");
  g_assert_true (dbw_store_insert (store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  /* A new version replaces the old one in place of the list. */
  g_assert_true (dbw_query_model_set_label_filter (model, DBW_LABEL_FILTER_ANY, &error));
  add_row (store, sheet_id, "d", 2, "{\"site\":\"Waste store\",\"dose\":\"1\"}");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_cmpstr (ref_at (model, 3), ==, "d");

  /* A sheet brought back from the trash brings its items back. */
  dbw_sheet_set_deleted_at (gone, NULL);
  g_assert_true (dbw_store_update (store, gone, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
wait_loaded (DbwQueryModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (dbw_query_model_get_loading (model))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_query_model_asynchronous (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "async.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GError) error = NULL;
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));
  Changed changed = { 0 };

  fill (store, sheet_id, 2000);
  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  dbw_query_model_set_asynchronous (model, TRUE);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2000);

  /* The rows stay as they were until the worker thread's answer arrives. */
  g_assert_true (dbw_query_model_set_filter (model, "modality", "text", &error));
  g_assert_true (dbw_query_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2000);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  g_assert_cmpuint (changed.calls, ==, 1);

  /* Of two requests in a row, only the second is applied. */
  changed.calls = 0;
  g_assert_true (dbw_query_model_set_filter (model, "modality", "row", &error));
  g_assert_true (dbw_query_model_set_sort (model, "item_ref", TRUE, &error));
  wait_loaded (model);
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  {
    g_autoptr(DbwItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_cmpstr (dbw_item_get_item_ref (first), ==, "row_001998");
  }

  /* Changes to the store arrive the same way. */
  {
    g_autoptr(DbwItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (first)), &error));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 999);

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
on_ids_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GStrv *ids = user_data;
  g_autoptr(GError) error = NULL;

  *ids = dbw_query_model_dup_ids_finish (DBW_QUERY_MODEL (object), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*ids);
}

static char *
id_at (DbwQueryModel *model,
       guint          position)
{
  g_autoptr(DbwRecord) record = g_list_model_get_item (G_LIST_MODEL (model), position);

  return g_strdup (dbw_record_get_id (record));
}

/* The ids of a selection, read in a worker in the order asked for: past the end, or
 * deleted since the list was read, a position is left out. */
static void
test_query_model_ids (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "ids.dbw");
  g_autoptr(DbwStore) other = NULL;
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *at_0 = NULL;
  g_autofree char *at_5 = NULL;
  g_autofree char *at_7 = NULL;
  g_autofree char *at_299 = NULL;
  const guint positions[] = { 5, 0, 299, 300, 7 };

  fill (store, dbw_record_get_id (DBW_RECORD (sheet)), 300);
  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_assert_true (dbw_query_model_set_sort (model, "item_ref", TRUE, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);
  at_0 = id_at (model, 0);
  at_5 = id_at (model, 5);
  at_7 = id_at (model, 7);
  at_299 = id_at (model, 299);

  /* Deleted through another connection: the list does not know yet. */
  other = dbw_store_open_connection (store, &error);
  g_assert_no_error (error);
  g_assert_true (dbw_store_delete (other, DBW_TYPE_ITEM, at_7, &error));
  g_assert_no_error (error);
  dbw_store_close (other);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);

  dbw_query_model_dup_ids_async (model, positions, G_N_ELEMENTS (positions), NULL, on_ids_cb, &ids);
  while (ids == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  g_assert_cmpstr (ids[0], ==, at_5);
  g_assert_cmpstr (ids[1], ==, at_0);
  g_assert_cmpstr (ids[2], ==, at_299);

  /* Where a record stands, from its rowid, without loading any. */
  {
    g_autoptr(DbwItem) item = dbw_store_get (store, DBW_TYPE_ITEM, at_299, &error);
    guint n_loaded = dbw_query_model_get_n_loaded (model);

    g_assert_no_error (error);
    g_assert_cmpuint (dbw_query_model_find_rowid (model, dbw_record_get_rowid (DBW_RECORD (item))), ==, 299);
    g_assert_cmpuint (dbw_query_model_find_rowid (model, G_MAXINT64), ==, G_MAXUINT);
    g_assert_cmpuint (dbw_query_model_get_n_loaded (model), ==, n_loaded);
  }

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
on_got_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DbwItem **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_store_get_finish (DBW_STORE (object), result, &error);
  g_assert_no_error (error);
}

/* A list pages in its rows as it scrolls: it leaves out a document's text, which may be
 * long, and says so (dbw_record_is_partial()); a list for work on the items
 * (dbw_store_list()) and a record read alone, also in a worker, have it. */
static void
test_query_model_large_columns (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "large-columns.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Procedures");
  g_autoptr(DbwItem) doc = dbw_item_new ();
  g_autoptr(DbwItem) listed = NULL;
  g_autoptr(DbwItem) whole = NULL;
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (500 * 1024, 'x');

  dbw_item_set_sheet_id (doc, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_item_set_item_ref (doc, "procedure.txt");
  dbw_item_set_modality (doc, DBW_MODALITY_TEXT);
  dbw_item_set_text_content (doc, text);
  g_assert_true (dbw_store_insert (store, doc, &error));
  g_assert_no_error (error);

  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  listed = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (dbw_item_get_item_ref (listed), ==, "procedure.txt");
  g_assert_null (dbw_item_get_text_content (listed));
  g_assert_true (dbw_record_is_partial (DBW_RECORD (listed)));

  list = dbw_store_list (store, DBW_TYPE_ITEM, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (dbw_item_get_text_content (g_ptr_array_index (list, 0)), ==, text);
  g_assert_false (dbw_record_is_partial (g_ptr_array_index (list, 0)));

  dbw_store_get_async (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (listed)), NULL, on_got_cb, &whole);
  while (whole == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (dbw_item_get_text_content (whole), ==, text);
  g_assert_false (dbw_record_is_partial (DBW_RECORD (whole)));

  g_clear_object (&model);
  dbw_store_close (store);
  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/query-model/100000-rows", test_query_model_large);
  g_test_add_func ("/query-model/items-changed", test_query_model_changes);
  g_test_add_func ("/query-model/keeps-records", test_query_model_keeps_records);
  g_test_add_func ("/query-model/keeps-recent", test_query_model_keeps_recent);
  g_test_add_func ("/query-model/item-views", test_query_model_item_views);
  g_test_add_func ("/query-model/asynchronous", test_query_model_asynchronous);
  g_test_add_func ("/query-model/ids", test_query_model_ids);
  g_test_add_func ("/query-model/large-columns", test_query_model_large_columns);

  return g_test_run ();
}
