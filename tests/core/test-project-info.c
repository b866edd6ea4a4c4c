/* test-project-info.c
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

#include <json-glib/json-glib.h>

#include "dbw-item.h"
#include "dbw-project-info.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "test-util.h"

static DbwSheet *
add_sheet (DbwStore   *store,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  DbwSheet *sheet = dbw_sheet_new ();

  dbw_sheet_set_name (sheet, name);
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);

  return sheet;
}

static void
add_item (DbwStore    *store,
          DbwSheet    *sheet,
          const char  *ref,
          gint64       version,
          DbwModality  modality)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) item = dbw_item_new ();

  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_item_set_item_ref (item, ref);
  dbw_item_set_version (item, version);
  dbw_item_set_modality (item, modality);
  g_assert_true (dbw_store_insert (store, item, &error));
  g_assert_no_error (error);
}

static void
test_project_info_empty (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "empty.dbw");
  g_autoptr(DbwProjectInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *tables;

  info = dbw_project_info_collect (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  g_assert_cmpstr (dbw_project_info_get_path (info), ==, dbw_store_get_path (store));
  g_assert_cmpstr (dbw_project_info_get_title (info), ==, "empty");
  g_assert_cmpint (dbw_project_info_get_schema_version (info), ==, dbw_store_get_schema_version (store));
  g_assert_cmpuint (g_list_model_get_n_items (dbw_project_info_get_sheets (info)), ==, 0);

  tables = dbw_project_info_get_tables (info);
  g_assert_true (g_strv_contains (tables, "items"));
  g_assert_true (g_strv_contains (tables, "qa_pairs"));
  for (guint i = 0; tables[i] != NULL; i++)
    g_assert_cmpint (dbw_project_info_get_n_rows (info, tables[i]), ==, 0);
  g_assert_cmpint (dbw_project_info_get_n_rows (info, "no_such_table"), ==, -1);

  dbw_store_close (store);
  test_remove_dir (dir);
}

/* Counting only reads: it neither waits for another program that is writing, nor sees
 * what that program has not committed. */
static void
test_project_info_while_writing (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "busy.dbw");
  g_autoptr(DbwStore) writer = NULL;
  g_autoptr(DbwSheet) sheet = add_sheet (store, "Readings");
  g_autoptr(DbwSheet) pending = dbw_sheet_new ();
  g_autoptr(DbwProjectInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  writer = dbw_store_open (dbw_store_get_file (store), DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (dbw_store_begin (writer, &error));
  dbw_sheet_set_name (pending, "Not yet committed");
  g_assert_true (dbw_store_insert (writer, pending, &error));
  g_assert_no_error (error);

  /* A write lock would wait out the busy timeout, then fail as busy. */
  info = dbw_project_info_collect (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (dbw_project_info_get_n_rows (info, "sheets"), ==, 1);

  dbw_store_rollback (writer);
  dbw_store_close (writer);
  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_project_info_counts (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "counts.dbw");
  g_autoptr(DbwSheet) readings = add_sheet (store, "Readings");
  g_autoptr(DbwSheet) documents = add_sheet (store, "Documents");
  g_autoptr(DbwSheet) empty = add_sheet (store, "Empty");
  g_autoptr(DbwSheet) deleted = add_sheet (store, "Deleted");
  g_autoptr(DbwProjectInfo) info = NULL;
  g_autoptr(DbwSheetInfo) first = NULL;
  g_autoptr(DbwSheetInfo) second = NULL;
  g_autoptr(DbwSheetInfo) third = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  GListModel *sheets;
  JsonObject *root;
  JsonObject *sheet;
  JsonArray *array;

  /* Two versions of one row count once, as its newest version. */
  add_item (store, readings, "r#1", 1, DBW_MODALITY_ROW);
  add_item (store, readings, "r#1", 2, DBW_MODALITY_ROW);
  add_item (store, readings, "r#2", 1, DBW_MODALITY_ROW);
  add_item (store, documents, "sop.pdf", 1, DBW_MODALITY_PDF);
  add_item (store, documents, "notes.txt", 1, DBW_MODALITY_TEXT);
  add_item (store, documents, "board.png", 1, DBW_MODALITY_IMAGE);
  add_item (store, deleted, "gone#1", 1, DBW_MODALITY_ROW);

  dbw_sheet_set_deleted_at (deleted, "2026-01-01T00:00:00.000Z");
  g_assert_true (dbw_store_update (store, deleted, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_store_set_meta (store, "title", "Survey 2026", &error));

  info = dbw_project_info_collect (store, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (dbw_project_info_get_title (info), ==, "Survey 2026");
  g_assert_cmpint (dbw_project_info_get_n_rows (info, "sheets"), ==, 4);
  g_assert_cmpint (dbw_project_info_get_n_rows (info, "items"), ==, 7);
  g_assert_cmpint (dbw_project_info_get_n_rows (info, "blobs"), ==, 0);

  sheets = dbw_project_info_get_sheets (info);
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 3);

  first = g_list_model_get_item (sheets, 0);
  g_assert_cmpstr (dbw_sheet_info_get_name (first), ==, "Readings");
  g_assert_cmpstr (dbw_sheet_info_get_id (first), ==, dbw_record_get_id (DBW_RECORD (readings)));
  g_assert_cmpint (dbw_sheet_info_get_n_items (first), ==, 2);
  g_assert_cmpint (dbw_sheet_info_get_n_items_of_modality (first, DBW_MODALITY_ROW), ==, 2);
  g_assert_cmpint (dbw_sheet_info_get_n_items_of_modality (first, DBW_MODALITY_PDF), ==, 0);

  second = g_list_model_get_item (sheets, 1);
  g_assert_cmpstr (dbw_sheet_info_get_name (second), ==, "Documents");
  g_assert_cmpint (dbw_sheet_info_get_n_items (second), ==, 3);
  g_assert_cmpint (dbw_sheet_info_get_n_items_of_modality (second, DBW_MODALITY_PDF), ==, 1);
  g_assert_cmpint (dbw_sheet_info_get_n_items_of_modality (second, DBW_MODALITY_TEXT), ==, 1);
  g_assert_cmpint (dbw_sheet_info_get_n_items_of_modality (second, DBW_MODALITY_IMAGE), ==, 1);

  third = g_list_model_get_item (sheets, 2);
  g_assert_cmpstr (dbw_sheet_info_get_name (third), ==, "Empty");
  g_assert_cmpint (dbw_sheet_info_get_n_items (third), ==, 0);

  json = dbw_project_info_to_json (info);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "Survey 2026");
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==,
                   dbw_store_get_schema_version (store));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "tables"), "items"), ==, 7);
  array = json_object_get_array_member (root, "sheets");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  sheet = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (sheet, "name"), ==, "Documents");
  g_assert_cmpint (json_object_get_int_member (sheet, "items"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sheet, "modalities"), "pdf"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sheet, "modalities"), "row"), ==, 0);
  g_assert_false (json_object_get_boolean_member (root, "read_only"));
  g_assert_false (dbw_project_info_get_read_only (info));

  /* Read-only, the same figures, and it says so. */
  {
    g_autoptr(GFile) file = g_object_ref (dbw_store_get_file (store));
    g_autoptr(DbwStore) reader = NULL;
    g_autoptr(DbwProjectInfo) read_info = NULL;
    g_autoptr(JsonParser) read_parser = json_parser_new ();
    g_autofree char *read_json = NULL;
    JsonObject *read_root;

    dbw_store_close (store);
    reader = dbw_store_open (file, DBW_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    read_info = dbw_project_info_collect (reader, &error);
    g_assert_no_error (error);
    g_assert_true (dbw_project_info_get_read_only (read_info));
    g_assert_cmpint (dbw_project_info_get_n_rows (read_info, "items"), ==, 7);
    read_json = dbw_project_info_to_json (read_info);
    g_assert_true (json_parser_load_from_data (read_parser, read_json, -1, &error));
    read_root = json_node_get_object (json_parser_get_root (read_parser));
    g_assert_true (json_object_get_boolean_member (read_root, "read_only"));
    dbw_store_close (reader);
  }

  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project-info/empty", test_project_info_empty);
  g_test_add_func ("/project-info/counts", test_project_info_counts);
  g_test_add_func ("/project-info/while-writing", test_project_info_while_writing);

  return g_test_run ();
}
