/* test-sheet-ops.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dbw-query-model.h"
#include "dbw-search.h"
#include "dbw-sheet-ops.h"
#include "dbw-training-sheet.h"
#include "test-util.h"

/* A sheet of rows with @fields, called row_@first, row_@first+1 and on. */
static DbwSheet *
add_rows_from (DbwStore   *store,
               const char *name,
               GPtrArray  *fields,
               guint       first)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (sheet, name);
  g_assert_true (dbw_store_insert (store, sheet, &error));
  for (guint i = 0; i < fields->len; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("row_%u", first + i);

      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, g_ptr_array_index (fields, i));
      g_assert_true (dbw_store_insert (store, item, &error));
    }
  g_assert_no_error (error);

  return g_steal_pointer (&sheet);
}

static DbwSheet *
add_rows (DbwStore   *store,
          const char *name,
          GPtrArray  *fields)
{
  return add_rows_from (store, name, fields, 0);
}

/* Readings numbered @first on; every fourth is from the hot lab. */
static DbwSheet *
add_sheet (DbwStore   *store,
           const char *name,
           guint       n,
           guint       first)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

  for (guint i = first; i < first + n; i++)
    g_ptr_array_add (fields, g_strdup_printf ("{\"n\":\"%u\",\"site\":\"%s\"}", i, i % 4 == 0 ? "hot lab" : "hall"));

  return add_rows_from (store, name, fields, first);
}

static GPtrArray *
items_of (DbwStore *store,
          DbwSheet *sheet)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = dbw_store_list (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (sheet)), &error);

  g_assert_no_error (error);
  return items;
}

static void
test_trash (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "trash.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings", 5, 0);
  g_autoptr(DbwSheet) kept = add_sheet (store, "Kept", 2, 100);
  g_autoptr(DbwQueryModel) sheets = dbw_query_model_new (store, DBW_TYPE_SHEET);
  g_autoptr(DbwQueryModel) items = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_query_model_set_current_only (sheets, TRUE, &error));
  g_assert_true (dbw_query_model_set_current_only (items, TRUE, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sheets)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (items)), ==, 7);

  g_assert_true (dbw_sheet_ops_trash (store, sheet, &error));
  g_assert_nonnull (dbw_sheet_get_deleted_at (sheet));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sheets)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (items)), ==, 2);

  /* Undo brings everything back. */
  g_assert_true (dbw_sheet_ops_restore (store, sheet, &error));
  g_assert_null (dbw_sheet_get_deleted_at (sheet));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sheets)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (items)), ==, 7);

  /* Purged, it is gone for good with its items; the other sheet stays. */
  g_assert_true (dbw_sheet_ops_trash (store, sheet, &error));
  g_assert_true (dbw_sheet_ops_trash (store, kept, &error));
  /* Purging one trashed sheet leaves another one's undo possible. */
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (store, dbw_record_get_id (DBW_RECORD (sheet)), &error), ==, 1);
  g_assert_no_error (error);
  g_assert_null (dbw_store_get (store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), NULL));
  g_assert_true (dbw_sheet_ops_restore (store, kept, &error));
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_ITEM, NULL, NULL, &error), ==, 2);
  /* Not trashed: not purged, by id or all at once. */
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (store, dbw_record_get_id (DBW_RECORD (kept)), &error), ==, 0);
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (store, NULL, &error), ==, 0);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static DbwTrainingSheet *
add_training_sheet (DbwStore   *store,
                    DbwSheet   *sheet,
                    const char *name)
{
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_training_sheet_set_name (training_sheet, name);
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  g_assert_true (dbw_store_insert (store, training_sheet, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&training_sheet);
}

/* A sheet that training sheets were generated from is not deleted, and a trashed one
 * that a training sheet uses does not stop the others from being purged. */
static void
test_trash_in_use (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "in-use.dbw");
  g_autoptr(DbwSheet) used = add_sheet (store, "Readings", 3, 0);
  g_autoptr(DbwSheet) other = add_sheet (store, "Other", 2, 100);
  g_autoptr(DbwSheet) late = add_sheet (store, "Late", 2, 200);
  g_autoptr(DbwTrainingSheet) triage = add_training_sheet (store, used, "Triage");
  g_autoptr(DbwTrainingSheet) late_use = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_sheet_ops_check_trash (store, used, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "“Triage”"));
  g_clear_error (&error);
  g_assert_false (dbw_sheet_ops_trash (store, used, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_null (dbw_sheet_get_deleted_at (used));

  /* Two of them: the message says how many. */
  {
    g_autoptr(DbwTrainingSheet) second = add_training_sheet (store, used, "Another");

    g_assert_false (dbw_sheet_ops_check_trash (store, used, &error));
    g_assert_nonnull (strstr (error->message, "2 training sheets"));
    g_clear_error (&error);
  }

  /* A training sheet generated from a sheet while it was in the trash. */
  g_assert_true (dbw_sheet_ops_check_trash (store, late, &error));
  g_assert_true (dbw_sheet_ops_trash (store, late, &error));
  late_use = add_training_sheet (store, late, "Late use");
  g_assert_true (dbw_sheet_ops_trash (store, other, &error));
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (store, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_null (dbw_store_get (store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (other)), NULL));
  g_assert_cmpint (dbw_sheet_ops_purge_trashed (store, dbw_record_get_id (DBW_RECORD (late)), &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (late)), &error), ==, 2);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_edit_item (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "edit.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings", 1, 0);
  g_autoptr(GPtrArray) items = items_of (store, sheet);
  DbwItem *first = g_ptr_array_index (items, 0);
  g_autoptr(DbwItem) second = NULL;
  g_autoptr(DbwItem) stale = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (dbw_sheet_ops_edit_item (store, first, "[1]", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dbw_sheet_ops_edit_item (store, first, "{oops", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  second = dbw_sheet_ops_edit_item (store, first, "{\"n\":\"0\",\"site\":\"hot lab 2\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_item_get_version (second), ==, 2);
  g_assert_cmpstr (dbw_item_get_derived_from (second), ==, dbw_record_get_id (DBW_RECORD (first)));
  g_assert_cmpstr (dbw_item_get_item_ref (second), ==, "row_0");
  /* The old version is untouched. */
  g_assert_cmpstr (dbw_item_get_fields (first), ==, "{\"n\":\"0\",\"site\":\"hot lab\"}");

  /* Counted once, whatever its versions. */
  {
    g_autoptr(GHashTable) counts = dbw_sheet_ops_count_items (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, dbw_record_get_id (DBW_RECORD (sheet)))), ==, 1);
  }

  /* Editing a version that is no longer the newest is refused. */
  stale = dbw_sheet_ops_edit_item (store, first, "{\"n\":\"0\"}", &error);
  g_assert_null (stale);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Constraints tightened in the project after the item was read are kept: the new
   * version is made from the stored one. */
  {
    g_autoptr(DbwItem) tightened = dbw_store_get (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (second)), &error);
    g_autoptr(DbwItem) third = NULL;
    const char *training[] = { "training", NULL };

    dbw_item_set_prohibited_uses (tightened, training);
    dbw_item_set_data_classification (tightened, DBW_CLASSIFICATION_RESTRICTED);
    dbw_item_set_usage_reason (tightened, "names a patient");
    g_assert_true (dbw_store_update (store, tightened, &error));
    g_assert_no_error (error);

    third = dbw_sheet_ops_edit_item (store, second, "{\"n\":\"0\",\"site\":\"hot lab 3\"}", &error);
    g_assert_no_error (error);
    g_assert_cmpint (dbw_item_get_version (third), ==, 3);
    g_assert_cmpstr (dbw_item_get_fields (third), ==, "{\"n\":\"0\",\"site\":\"hot lab 3\"}");
    g_assert_true (g_strv_contains (dbw_item_get_prohibited_uses (third), "training"));
    g_assert_cmpint (dbw_item_get_data_classification (third), ==, DBW_CLASSIFICATION_RESTRICTED);
    g_assert_cmpstr (dbw_item_get_usage_reason (third), ==, "names a patient");

    /* Not in a sheet in the trash. */
    g_assert_true (dbw_sheet_ops_trash (store, sheet, &error));
    g_assert_null (dbw_sheet_ops_edit_item (store, third, "{\"n\":\"1\"}", &error));
    g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  dbw_store_close (store);
  test_remove_dir (dir);
}

static guint
count_refs (GPtrArray  *items,
            const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    if (g_str_has_prefix (dbw_item_get_item_ref (g_ptr_array_index (items, i)), prefix))
      n++;
  return n;
}

static void
test_combine (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "combine.dbw");
  /* A: rows 0–9, B: rows 5–14; the same numbers have the same content. */
  g_autoptr(DbwSheet) a = add_sheet (store, "A", 10, 0);
  g_autoptr(DbwSheet) b = add_sheet (store, "B", 10, 5);
  g_autoptr(DbwSheet) u = NULL;
  g_autoptr(DbwSheet) i = NULL;
  g_autoptr(DbwSheet) d = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *id_a = dbw_record_get_id (DBW_RECORD (a));
  const char *id_b = dbw_record_get_id (DBW_RECORD (b));

  u = dbw_sheet_ops_combine (store, DBW_DERIVE_UNION, id_a, id_b, "A ∪ B", &error);
  g_assert_no_error (error);
  items = items_of (store, u);
  g_assert_cmpuint (items->len, ==, 15);
  g_assert_cmpint (dbw_sheet_get_source_kind (u), ==, DBW_SOURCE_KIND_DERIVED);
  g_assert_cmpstr (dbw_sheet_get_parents (u)[0], ==, id_a);
  g_assert_cmpstr (dbw_sheet_get_parents (u)[1], ==, id_b);
  g_assert_nonnull (strstr (dbw_sheet_get_derivation (u), "\"union\""));
  /* Each copy records the item it came from. */
  g_assert_nonnull (dbw_item_get_derived_from (g_ptr_array_index (items, 0)));
  g_clear_pointer (&items, g_ptr_array_unref);

  i = dbw_sheet_ops_combine (store, DBW_DERIVE_INTERSECTION, id_a, id_b, "A ∩ B", &error);
  items = items_of (store, i);
  g_assert_cmpuint (items->len, ==, 5);
  g_clear_pointer (&items, g_ptr_array_unref);

  d = dbw_sheet_ops_combine (store, DBW_DERIVE_DIFFERENCE, id_a, id_b, "A − B", &error);
  items = items_of (store, d);
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpuint (count_refs (items, "row_"), ==, 5);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Refs that are taken get the other sheet's name, then a number. */
  {
    g_autoptr(DbwSheet) c = dbw_sheet_new ();
    g_autoptr(DbwSheet) once = NULL;
    g_autoptr(DbwSheet) twice = NULL;
    const char *contents[] = { "{\"n\":\"c1\"}", "{\"n\":\"c2\"}" };

    dbw_sheet_set_name (c, "C");
    g_assert_true (dbw_store_insert (store, c, &error));
    for (guint k = 0; k < G_N_ELEMENTS (contents); k++)
      {
        g_autoptr(DbwItem) item = dbw_item_new ();

        dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (c)));
        dbw_item_set_item_ref (item, "row_0");
        dbw_item_set_version (item, k + 1);
        dbw_item_set_modality (item, DBW_MODALITY_ROW);
        dbw_item_set_fields (item, contents[k]);
        g_assert_true (dbw_store_insert (store, item, &error));
      }

    /* C's current row_0 ("c2") is new content with a taken ref. */
    once = dbw_sheet_ops_combine (store, DBW_DERIVE_UNION, id_a, dbw_record_get_id (DBW_RECORD (c)), "once", &error);
    g_assert_no_error (error);
    items = items_of (store, once);
    g_assert_cmpuint (items->len, ==, 11);
    g_assert_cmpuint (count_refs (items, "row_0 (C)"), ==, 1);
    g_clear_pointer (&items, g_ptr_array_unref);

    /* Again, over a sheet that has both "row_0" and "row_0 (C)" already. */
    {
      g_autoptr(DbwItem) other = dbw_item_new ();

      dbw_item_set_sheet_id (other, dbw_record_get_id (DBW_RECORD (c)));
      dbw_item_set_item_ref (other, "row_0");
      dbw_item_set_version (other, 3);
      dbw_item_set_modality (other, DBW_MODALITY_ROW);
      dbw_item_set_fields (other, "{\"n\":\"c3\"}");
      g_assert_true (dbw_store_insert (store, other, &error));
    }
    twice = dbw_sheet_ops_combine (store, DBW_DERIVE_UNION, dbw_record_get_id (DBW_RECORD (once)),
                                   dbw_record_get_id (DBW_RECORD (c)), "twice", &error);
    g_assert_no_error (error);
    items = items_of (store, twice);
    g_assert_cmpuint (items->len, ==, 12);
    g_assert_cmpuint (count_refs (items, "row_0 (C 2)"), ==, 1);
    g_clear_pointer (&items, g_ptr_array_unref);
  }

  /* The same fields in another order, spacing or escaping are the same content; a number
   * written differently is not. */
  {
    g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(DbwSheet) e = NULL;
    g_autoptr(DbwSheet) same = NULL;

    for (guint k = 0; k < 4; k++)
      g_ptr_array_add (fields, g_strdup_printf ("{ \"site\" : \"%s\", \"n\": \"\\u003%u\" }",
                                                k == 0 ? "hot lab" : "hall", k));
    g_ptr_array_add (fields, g_strdup ("{\"site\":\"hall\",\"n\":4}"));
    e = add_rows_from (store, "E", fields, 100);
    same = dbw_sheet_ops_combine (store, DBW_DERIVE_INTERSECTION, dbw_record_get_id (DBW_RECORD (e)), id_a, "E ∩ A", &error);
    g_assert_no_error (error);
    items = items_of (store, same);
    g_assert_cmpuint (items->len, ==, 4);
    g_clear_pointer (&items, g_ptr_array_unref);
  }

  /* Derived items are searchable. */
  found = dbw_search_items (store, "hot lab", dbw_record_get_id (DBW_RECORD (u)), 0, &error);
  g_assert_cmpuint (found->len, ==, 4);  /* 0, 4, 8, 12 */

  dbw_store_close (store);
  test_remove_dir (dir);
}

static DbwItem *
item_with_fields (GPtrArray  *items,
                  const char *fields)
{
  DbwItem *found = NULL;

  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (dbw_item_get_fields (g_ptr_array_index (items, i)), fields) == 0)
      {
        g_assert_null (found);
        found = g_ptr_array_index (items, i);
      }
  g_assert_nonnull (found);

  return found;
}

/* The same content in both sheets, or twice in one, is one item of the result, with the
 * strictest constraints it has anywhere: which sheet comes first changes nothing. */
static void
test_combine_constraints (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "constraints.dbw");
  g_autoptr(GPtrArray) fields_a = g_ptr_array_new ();
  g_autoptr(GPtrArray) fields_b = g_ptr_array_new ();
  g_autoptr(DbwSheet) a = NULL;
  g_autoptr(DbwSheet) b = NULL;
  g_autoptr(GPtrArray) items_a = NULL;
  g_autoptr(GPtrArray) items_b = NULL;
  g_autoptr(GError) error = NULL;
  const char *patient = "{\"note\":\"patient x\"}";
  const char *twice = "{\"note\":\"twice\"}";
  const char *training_evaluation[] = { "training", "evaluation", NULL };
  const char *evaluation[] = { "evaluation", NULL };
  const char *training[] = { "training", NULL };
  const char *testing[] = { "testing", NULL };

  /* A: patient x (allowed for training and evaluation), "twice" twice, one more.
   * B: patient x (allowed for evaluation, prohibited for training, restricted), another. */
  g_ptr_array_add (fields_a, (gpointer) patient);
  g_ptr_array_add (fields_a, (gpointer) twice);
  g_ptr_array_add (fields_a, (gpointer) twice);
  g_ptr_array_add (fields_a, (gpointer) "{\"note\":\"only a\"}");
  g_ptr_array_add (fields_b, (gpointer) patient);
  g_ptr_array_add (fields_b, (gpointer) "{\"note\":\"only b\"}");
  a = add_rows (store, "A", fields_a);
  b = add_rows (store, "B", fields_b);
  items_a = items_of (store, a);
  items_b = items_of (store, b);

  dbw_item_set_allowed_uses (g_ptr_array_index (items_a, 0), training_evaluation);
  dbw_item_set_usage_reason (g_ptr_array_index (items_a, 0), "reviewed");
  g_assert_true (dbw_store_update (store, g_ptr_array_index (items_a, 0), &error));
  dbw_item_set_prohibited_uses (g_ptr_array_index (items_a, 2), testing);
  g_assert_true (dbw_store_update (store, g_ptr_array_index (items_a, 2), &error));
  dbw_item_set_allowed_uses (g_ptr_array_index (items_b, 0), evaluation);
  dbw_item_set_prohibited_uses (g_ptr_array_index (items_b, 0), training);
  dbw_item_set_data_classification (g_ptr_array_index (items_b, 0), DBW_CLASSIFICATION_RESTRICTED);
  dbw_item_set_usage_reason (g_ptr_array_index (items_b, 0), "PII");
  g_assert_true (dbw_store_update (store, g_ptr_array_index (items_b, 0), &error));
  g_assert_no_error (error);

  for (guint order = 0; order < 2; order++)
    for (DbwSetOperation operation = DBW_DERIVE_UNION; operation <= DBW_DERIVE_INTERSECTION; operation++)
      {
        const char *first = dbw_record_get_id (DBW_RECORD (order == 0 ? a : b));
        const char *second = dbw_record_get_id (DBW_RECORD (order == 0 ? b : a));
        g_autoptr(DbwSheet) result = dbw_sheet_ops_combine (store, operation, first, second, "Combined", &error);
        g_autoptr(GPtrArray) items = NULL;
        DbwItem *item;

        g_assert_no_error (error);
        items = items_of (store, result);
        g_assert_cmpuint (items->len, ==, operation == DBW_DERIVE_UNION ? 4 : 1);

        item = item_with_fields (items, patient);
        g_assert_cmpstrv (dbw_item_get_allowed_uses (item), evaluation);
        g_assert_cmpstrv (dbw_item_get_prohibited_uses (item), training);
        g_assert_cmpint (dbw_item_get_data_classification (item), ==, DBW_CLASSIFICATION_RESTRICTED);
        g_assert_nonnull (strstr (dbw_item_get_usage_reason (item), "PII"));
        g_assert_nonnull (strstr (dbw_item_get_usage_reason (item), "reviewed"));

        if (operation == DBW_DERIVE_UNION)
          g_assert_cmpstrv (dbw_item_get_prohibited_uses (item_with_fields (items, twice)), testing);
      }

  /* Spacing in the fields does not make content different. */
  {
    g_autoptr(GPtrArray) spaced = g_ptr_array_new ();
    g_autoptr(DbwSheet) c = NULL;
    g_autoptr(DbwSheet) both = NULL;
    g_autoptr(GPtrArray) items = NULL;

    g_ptr_array_add (spaced, (gpointer) "{ \"note\" : \"patient x\" }");
    c = add_rows (store, "C", spaced);
    both = dbw_sheet_ops_combine (store, DBW_DERIVE_INTERSECTION, dbw_record_get_id (DBW_RECORD (c)),
                                  dbw_record_get_id (DBW_RECORD (b)), "C ∩ B", &error);
    g_assert_no_error (error);
    items = items_of (store, both);
    g_assert_cmpuint (items->len, ==, 1);
  }

  /* A − B: "twice" once, with the prohibition one of its copies had. */
  {
    g_autoptr(DbwSheet) result = dbw_sheet_ops_combine (store, DBW_DERIVE_DIFFERENCE, dbw_record_get_id (DBW_RECORD (a)),
                                                        dbw_record_get_id (DBW_RECORD (b)), "A − B", &error);
    g_autoptr(GPtrArray) items = items_of (store, result);

    g_assert_cmpuint (items->len, ==, 2);
    g_assert_cmpstrv (dbw_item_get_prohibited_uses (item_with_fields (items, twice)), testing);
    g_assert_cmpint (dbw_item_get_data_classification (item_with_fields (items, twice)), ==, DBW_CLASSIFICATION_INTERNAL);
  }

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_sample_and_split (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "sample.dbw");
  g_autoptr(DbwSheet) source = add_sheet (store, "All", 400, 0);
  g_autoptr(DbwSheet) s1 = NULL;
  g_autoptr(DbwSheet) s2 = NULL;
  g_autoptr(GPtrArray) items1 = NULL;
  g_autoptr(GPtrArray) items2 = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = dbw_record_get_id (DBW_RECORD (source));
  const double shares[] = { 0.8, 0.2 };
  const char *names[] = { "Train", "Test" };
  guint hot[2] = { 0, 0 };
  guint total = 0;

  s1 = dbw_sheet_ops_sample (store, id, 50, 7, "Sample 1", &error);
  s2 = dbw_sheet_ops_sample (store, id, 50, 7, "Sample 2", &error);
  g_assert_no_error (error);
  items1 = items_of (store, s1);
  items2 = items_of (store, s2);
  g_assert_cmpuint (items1->len, ==, 50);
  g_assert_cmpint (dbw_sheet_get_sample_size (s1), ==, 50);

  /* More than the sheet has: all of it, and the sheet says how many it holds. */
  {
    g_autoptr(DbwSheet) all = dbw_sheet_ops_sample (store, id, 1000, 7, "All again", &error);
    g_autoptr(GPtrArray) items = items_of (store, all);

    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, 400);
    g_assert_cmpint (dbw_sheet_get_sample_size (all), ==, 400);
    g_assert_nonnull (strstr (dbw_sheet_get_derivation (all), "\"size\":1000"));
    g_assert_nonnull (strstr (dbw_sheet_get_derivation (all), "\"taken\":400"));
  }
  g_assert_null (dbw_sheet_ops_sample (store, id, 0, 7, "Nothing", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* The same seed, the same sample. */
  for (guint i = 0; i < items1->len; i++)
    g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (items1, i)), ==,
                     dbw_item_get_item_ref (g_ptr_array_index (items2, i)));

  parts = dbw_sheet_ops_stratified_split (store, id, "site", shares, names, 2, 11, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 2);
  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(GPtrArray) items = items_of (store, g_ptr_array_index (parts, p));

      total += items->len;
      for (guint i = 0; i < items->len; i++)
        if (strstr (dbw_item_get_fields (g_ptr_array_index (items, i)), "hot lab") != NULL)
          hot[p]++;
      g_assert_cmpuint (items->len, ==, p == 0 ? 320 : 80);
    }
  g_assert_cmpuint (total, ==, 400);
  /* 100 of the 400 are "hot lab": 80 and 20, as the whole. */
  g_assert_cmpuint (hot[0], ==, 80);
  g_assert_cmpuint (hot[1], ==, 20);
  g_assert_cmpstr (dbw_sheet_get_name (g_ptr_array_index (parts, 1)), ==, "Test");

  dbw_store_close (store);
  test_remove_dir (dir);
}

/* Parts get their share of the whole exactly, and every stratum, however small, its
 * share within one item. */
static void
test_split_shares (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "shares.dbw");
  g_autoptr(GPtrArray) unique = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) triples = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) typed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DbwSheet) unique_sheet = NULL;
  g_autoptr(DbwSheet) triples_sheet = NULL;
  g_autoptr(DbwSheet) typed_sheet = NULL;
  g_autoptr(GError) error = NULL;
  const char *kinds[] = { "\"k\":1", "\"k\":\"1\"", "\"k\":true", "\"k\":null", "\"k\":\"\"", "\"other\":1" };
  const double eighty[] = { 0.8, 0.2 };
  const double half[] = { 1, 1 };
  const char *names[] = { "Train", "Test" };

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (unique, g_strdup_printf ("{\"k\":%u}", i));
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (triples, g_strdup_printf ("{\"k\":%u,\"i\":%u}", i / 3, i));
  for (guint i = 0; i < 24; i++)
    g_ptr_array_add (typed, g_strdup_printf ("{%s,\"i\":%u}", kinds[i % G_N_ELEMENTS (kinds)], i));
  unique_sheet = add_rows (store, "Unique", unique);
  triples_sheet = add_rows (store, "Triples", triples);
  typed_sheet = add_rows (store, "Typed", typed);

  /* A value on every item: the strata are all of one item, and the parts still 80 and 20. */
  for (guint32 seed = 1; seed <= 5; seed++)
    {
      g_autoptr(GPtrArray) parts = dbw_sheet_ops_stratified_split (store, dbw_record_get_id (DBW_RECORD (unique_sheet)),
                                                                   "k", eighty, names, 2, seed, &error);
      g_autoptr(GPtrArray) train = NULL;
      g_autoptr(GPtrArray) test = NULL;

      g_assert_no_error (error);
      train = items_of (store, g_ptr_array_index (parts, 0));
      test = items_of (store, g_ptr_array_index (parts, 1));
      g_assert_cmpuint (train->len, ==, 80);
      g_assert_cmpuint (test->len, ==, 20);
    }

  /* Ten strata of three, halved: 15 and 15, each stratum 2 and 1 or 1 and 2. */
  {
    g_autoptr(GPtrArray) parts = dbw_sheet_ops_stratified_split (store, dbw_record_get_id (DBW_RECORD (triples_sheet)),
                                                                 "k", half, names, 2, 3, &error);
    g_autoptr(GPtrArray) train = NULL;
    guint per_stratum[10] = { 0 };

    g_assert_no_error (error);
    train = items_of (store, g_ptr_array_index (parts, 0));
    g_assert_cmpuint (train->len, ==, 15);
    for (guint i = 0; i < train->len; i++)
      {
        g_autoptr(JsonNode) node = json_from_string (dbw_item_get_fields (g_ptr_array_index (train, i)), NULL);

        per_stratum[json_object_get_int_member (json_node_get_object (node), "k")]++;
      }
    for (guint k = 0; k < 10; k++)
      g_assert_true (per_stratum[k] == 1 || per_stratum[k] == 2);
  }

  /* An object is one value whatever the order of its members: the two boards below are
   * one stratum, shared between the halves, and the reading between them is on its own. */
  {
    g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(DbwSheet) objects_sheet = NULL;

    g_ptr_array_add (objects, g_strdup ("{\"k\":{\"a\":1,\"b\":2},\"i\":\"first\"}"));
    g_ptr_array_add (objects, g_strdup ("{\"k\":\"x\",\"i\":\"reading\"}"));
    g_ptr_array_add (objects, g_strdup ("{\"k\":{ \"b\": 2, \"a\": 1 },\"i\":\"second\"}"));
    objects_sheet = add_rows (store, "Objects", objects);

    for (guint32 seed = 1; seed <= 8; seed++)
      {
        g_autoptr(GPtrArray) parts = dbw_sheet_ops_stratified_split (store, dbw_record_get_id (DBW_RECORD (objects_sheet)),
                                                                     "k", half, names, 2, seed, &error);
        g_autoptr(GPtrArray) first_half = NULL;
        guint boards = 0;

        g_assert_no_error (error);
        first_half = items_of (store, g_ptr_array_index (parts, 0));
        for (guint i = 0; i < first_half->len; i++)
          boards += strstr (dbw_item_get_fields (g_ptr_array_index (first_half, i)), "\"a\"") != NULL;
        g_assert_cmpuint (first_half->len, ==, 2);
        g_assert_cmpuint (boards, ==, 1);
      }
  }

  /* 1, "1", true, null, "" and a missing field are six strata: four items each, so two
   * in each half. */
  {
    g_autoptr(GPtrArray) parts = dbw_sheet_ops_stratified_split (store, dbw_record_get_id (DBW_RECORD (typed_sheet)),
                                                                 "k", half, names, 2, 9, &error);
    g_autoptr(GPtrArray) train = NULL;

    g_assert_no_error (error);
    train = items_of (store, g_ptr_array_index (parts, 0));
    g_assert_cmpuint (train->len, ==, 12);
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        guint n = 0;

        for (guint i = 0; i < train->len; i++)
          {
            const char *fields = dbw_item_get_fields (g_ptr_array_index (train, i));
            g_autofree char *prefix = g_strdup_printf ("{%s,", kinds[k]);

            n += g_str_has_prefix (fields, prefix);
          }
        g_assert_cmpuint (n, ==, 2);
      }
  }

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_fields_and_sample_items (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "fields.dbw");
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings", 300, 0);
  g_autoptr(DbwSheet) empty = add_sheet (store, "Empty", 0, 0);
  g_autoptr(DbwItem) late = dbw_item_new ();
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = dbw_record_get_id (DBW_RECORD (sheet));

  /* A field that only a late row has: seen when the look reaches that far. */
  dbw_item_set_sheet_id (late, id);
  dbw_item_set_item_ref (late, "late");
  dbw_item_set_modality (late, DBW_MODALITY_ROW);
  dbw_item_set_fields (late, "{\"n\":\"x\",\"operator\":\"kim\"}");
  g_assert_true (dbw_store_insert (store, late, &error));

  fields = dbw_sheet_ops_list_fields (store, id, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (fields), ==, 2);
  g_assert_cmpstr (fields[0], ==, "n");
  g_assert_cmpstr (fields[1], ==, "site");
  g_clear_pointer (&fields, g_strfreev);
  fields = dbw_sheet_ops_list_fields (store, id, 0, &error);
  g_assert_cmpuint (g_strv_length (fields), ==, 3);
  g_assert_cmpstr (fields[2], ==, "operator");
  g_clear_pointer (&fields, g_strfreev);
  fields = dbw_sheet_ops_list_fields (store, dbw_record_get_id (DBW_RECORD (empty)), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (fields), ==, 0);

  a = dbw_sheet_ops_sample_items (store, id, 5, 3, &error);
  b = dbw_sheet_ops_sample_items (store, id, 5, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 5);
  for (guint i = 0; i < a->len; i++)
    {
      DbwItem *item = g_ptr_array_index (a, i);

      g_assert_cmpstr (dbw_item_get_sheet_id (item), ==, id);
      g_assert_cmpstr (dbw_item_get_item_ref (item), ==, dbw_item_get_item_ref (g_ptr_array_index (b, i)));
      if (i > 0)
        g_assert_cmpint (dbw_record_get_rowid (g_ptr_array_index (a, i - 1)), <, dbw_record_get_rowid (DBW_RECORD (item)));
    }

  /* Fewer items than asked: all of them, once. */
  all = dbw_sheet_ops_sample_items (store, dbw_record_get_id (DBW_RECORD (empty)), 5, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = dbw_sheet_ops_sample_items (store, id, 1000, 3, &error);
  g_assert_cmpuint (all->len, ==, 301);

  dbw_store_close (store);
  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sheet-ops/trash", test_trash);
  g_test_add_func ("/sheet-ops/trash-in-use", test_trash_in_use);
  g_test_add_func ("/sheet-ops/edit-item", test_edit_item);
  g_test_add_func ("/sheet-ops/combine", test_combine);
  g_test_add_func ("/sheet-ops/combine-constraints", test_combine_constraints);
  g_test_add_func ("/sheet-ops/sample-and-split", test_sample_and_split);
  g_test_add_func ("/sheet-ops/split-shares", test_split_shares);
  g_test_add_func ("/sheet-ops/fields-and-sample-items", test_fields_and_sample_items);

  return g_test_run ();
}
