/* test-search.c
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

#include "dbw-item.h"
#include "dbw-search.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "test-util.h"

static void
test_search_text (void)
{
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *nothing = dbw_search_text (NULL, NULL);

  text = dbw_search_text ("{\"site\": \"Hot lab\", \"dose\": 1.5, \"ok\": true,"
                          " \"notes\": {\"by\": \"R. Patel\", \"list\": [\"wipe\", 3]}}",
                          "Page one text");
  g_assert_cmpstr (text, ==, "Hot lab\nR. Patel\nwipe\nPage one text");

  /* Escapes are decoded, surrogate pairs too; a key never shows. */
  escaped = dbw_search_text ("{\"k\\\"ey\":\"caf\\u00e9 \\\"x\\\"\\n\\ud83d\\ude00\"}", NULL);
  g_assert_cmpstr (escaped, ==, "café \"x\" \xf0\x9f\x98\x80");

  g_assert_cmpstr (nothing, ==, "");
}

static void
test_search_query (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "cooling loop", "\"cooling\" \"loop\"*" },
    { "  \"hot lab\" survey ", "\"hot lab\" \"survey\"" },
    { "a\"b", "\"a\" \"b\"" },
    { "NOT (x OR y:", "\"NOT\" \"(x\" \"OR\" \"y:\"*" },
    { "", NULL },
    { "   ", NULL },
    { "\"\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = dbw_search_make_query (cases[i].in);

      g_assert_cmpstr (query, ==, cases[i].out);
    }
}

static DbwItem *
add_item (DbwStore   *store,
          const char *sheet_id,
          const char *ref,
          const char *fields,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  DbwItem *item = dbw_item_new ();

  dbw_item_set_sheet_id (item, sheet_id);
  dbw_item_set_item_ref (item, ref);
  dbw_item_set_modality (item, text != NULL ? DBW_MODALITY_PDF : DBW_MODALITY_ROW);
  dbw_item_set_fields (item, fields);
  dbw_item_set_text_content (item, text);
  g_assert_true (dbw_store_insert (store, item, &error));
  g_assert_no_error (error);

  return item;
}

static void
test_search_items (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "search.dbw");
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwSheet) other = dbw_sheet_new ();
  g_autoptr(DbwItem) a = NULL;
  g_autoptr(DbwItem) b = NULL;
  g_autoptr(DbwItem) c = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  dbw_sheet_set_name (sheet, "Documents");
  dbw_sheet_set_name (other, "Readings");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_true (dbw_store_insert (store, other, &error));

  a = add_item (store, dbw_record_get_id (DBW_RECORD (sheet)), "sop.pdf",
                "{\"name\":\"sop.pdf\"}", "Contamination survey of the hot lab before release.");
  b = add_item (store, dbw_record_get_id (DBW_RECORD (sheet)), "cert.pdf",
                "{\"name\":\"cert.pdf\"}", "Calibration certificate for the survey meter.");
  c = add_item (store, dbw_record_get_id (DBW_RECORD (other)), "row_1",
                "{\"site\":\"Hot lab\",\"status\":\"ok\"}", NULL);

  /* Words anywhere, accents and case folded, the last word as a prefix. */
  found = dbw_search_items (store, "SURVEY", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = dbw_search_items (store, "hot la", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = dbw_search_items (store, "hot la", dbw_record_get_id (DBW_RECORD (other)), 0, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (found, 0)), ==, "row_1");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = dbw_search_items (store, "\"survey meter\"", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (found, 0)), ==, "cert.pdf");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Keys are not searchable; syntax characters are plain text. */
  found = dbw_search_items (store, "status", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dbw_search_items (store, "NOT (", NULL, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A deleted item leaves the index. */
  g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (b)), &error));
  found = dbw_search_items (store, "calibration", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A sheet marked deleted is hidden from search. */
  dbw_sheet_set_deleted_at (other, "2026-11-23T10:00:00Z");
  g_assert_true (dbw_store_update (store, other, &error));
  found = dbw_search_items (store, "hot", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (found, 0)), ==, "sop.pdf");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The index stays consistent with its content after all of that. */
  path = g_strdup (dbw_store_get_path (store));
  dbw_store_close (store);
  g_assert_cmpint (test_query_int (path, "SELECT count (*) FROM items_fts WHERE items_fts MATCH 'calibration'"), ==, 0);

  test_remove_dir (dir);
}

static void
test_items_immutable (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "immutable.dbw");
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "PII", NULL };

  dbw_sheet_set_name (sheet, "Readings");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  item = add_item (store, dbw_record_get_id (DBW_RECORD (sheet)), "row_1", "{\"a\":\"1\"}", NULL);

  dbw_item_set_fields (item, "{\"a\":\"2\"}");
  g_assert_false (dbw_store_update (store, item, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "never changes"));
  g_clear_error (&error);

  /* Governance is not content: tags and uses may change. */
  dbw_item_set_fields (item, "{\"a\":\"1\"}");
  dbw_item_set_tags (item, tags);
  g_assert_true (dbw_store_update (store, item, &error));
  g_assert_no_error (error);

  test_remove_dir (dir);
}

static void
test_search_bulk (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "bulk.dbw");
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwItem) before = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *sheet_id;

  dbw_sheet_set_name (sheet, "Bulk");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  sheet_id = dbw_record_get_id (DBW_RECORD (sheet));
  before = add_item (store, sheet_id, "before", "{\"w\":\"alpha\"}", NULL);

  /* Rolled back: nothing of it is indexed. */
  g_assert_true (dbw_store_begin_bulk (store, &error));
  g_clear_object (&before);
  before = add_item (store, sheet_id, "gone", "{\"w\":\"alpha beta\"}", NULL);
  dbw_store_rollback (store);
  found = dbw_search_items (store, "beta", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Indexed at commit, except what was deleted before it; earlier rows still leave the
   * index when deleted inside the bulk transaction. */
  g_assert_true (dbw_store_begin_bulk (store, &error));
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *ref = g_strdup_printf ("row_%u", i);
      g_autoptr(DbwItem) item = add_item (store, sheet_id, ref, "{\"w\":\"alpha gamma\"}", NULL);

      if (i == 7)
        g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (item)), &error));
    }
  found = dbw_search_items (store, "gamma", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  {
    g_autoptr(GPtrArray) first = dbw_store_list (store, DBW_TYPE_ITEM, "item_ref", "before", &error);

    g_assert_cmpuint (first->len, ==, 1);
    g_assert_true (dbw_store_delete (store, DBW_TYPE_ITEM,
                                     dbw_record_get_id (g_ptr_array_index (first, 0)), &error));
  }
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);

  found = dbw_search_items (store, "gamma", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 49);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = dbw_search_items (store, "alpha", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 49);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* After the bulk transaction, rows are indexed one by one again. */
  g_clear_object (&before);
  before = add_item (store, sheet_id, "after", "{\"w\":\"delta\"}", NULL);
  found = dbw_search_items (store, "delta", NULL, 0, &error);
  g_assert_cmpuint (found->len, ==, 1);

  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/text", test_search_text);
  g_test_add_func ("/search/query", test_search_query);
  g_test_add_func ("/search/items", test_search_items);
  g_test_add_func ("/search/items-immutable", test_items_immutable);
  g_test_add_func ("/search/bulk", test_search_bulk);

  return g_test_run ();
}
