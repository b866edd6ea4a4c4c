/* test-uc-sheet.c — Unity Catalog sheet pointers, fed imports and inherited constraints
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

#include "dbw-importer.h"
#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-sheet-source.h"
#include "dbw-store.h"
#include "dbw-usage-constraints.h"
#include "test-util.h"

typedef struct
{
  char     *dir;
  DbwStore *store;
  DbwSheet *sheet;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = test_make_dir ();
  f->store = test_create_store (f->dir, "uc.dbw");
  f->sheet = dbw_sheet_new ();
  dbw_sheet_set_name (f->sheet, "Orders");
  dbw_sheet_set_primary_table (f->sheet, "main.sales.orders");
  g_assert_true (dbw_sheet_ops_save_pointer (f->store, f->sheet, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sheet);
  dbw_store_close (f->store);
  g_clear_object (&f->store);
  test_remove_dir (f->dir);
  g_free (f->dir);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  return test_query_int (dbw_store_get_path (f->store), sql);
}

/* --- filters, sources, pointers -------------------------------------------------------- */

static void
test_filter (void)
{
  const char *good[] = {
    NULL, "", "status = 'done'", "score > 3 AND (city = 'Oslo' OR city = 'Lima')",
    "note = 'a;b -- c /* d */'", "`odd;name` = 1", "note = 'it''s'", "note = 'a\\'; b'",
    "id IN (SELECT id FROM x)", "path = r'C:\\data\\'", "colr = 'a\\'b'",
  };
  const char *bad[] = {
    "1 = 1; DROP TABLE t", "x = 1 -- rest", "x = 1 /* c */", "x = 1) OR (1 = 1", "(x = 1",
    "note = 'open", "`open = 1", "x = 1 */",
    /* A raw string reads no escapes: its backslash does not keep it open. */
    "id = r'\\') UNION ALL (SELECT * FROM `hr`.`private`.`salaries` --'",
    "id = R\"\\\") OR (1 = 1 --\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (dbw_sheet_check_filter (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (dbw_sheet_check_filter (bad[i], &error));
      g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "one condition"));
    }
}

static void
test_sources (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  DbwSheetSource *source;
  const char *bad[] = {
    "{}", "[1]", "[{\"type\": \"view\", \"name\": \"a.b.c\"}]", "[{\"type\": \"table\", \"name\": \"a.b\"}]",
    "[{\"type\": \"table\", \"name\": \"a.b`.c\"}]", "[{\"type\": \"volume\", \"path\": \"/tmp/x\"}]",
    "[{\"type\": \"volume\", \"path\": \"/Volumes/a/b/../c\"}]", "[{\"type\": \"table\", \"name\": \"a.b.c\", \"join_keys\": [1]}]",
    "[{\"type\": \"volume\", \"path\": \"/Volumes/a/b/c\", \"join_keys\": [\"x\", \"y\"]}]",
  };

  /* As the spec writes them. */
  sources = dbw_sheet_sources_parse ("[{\"type\": \"table\", \"name\": \"main.sales.returns\", \"join_key\": \"order_id\"},"
                                     " {\"type\": \"volume\", \"path\": \"/Volumes/main/sales/images/2024\", \"join_key\": \"id\"},"
                                     " {\"name\": \"main.sales.customers\"}]",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 3);
  source = g_ptr_array_index (sources, 0);
  g_assert_cmpint (source->kind, ==, DBW_SHEET_SOURCE_TABLE);
  g_assert_cmpstr (source->name, ==, "main.sales.returns");
  g_assert_cmpstr (source->join_keys[0], ==, "order_id");
  source = g_ptr_array_index (sources, 1);
  g_assert_cmpint (source->kind, ==, DBW_SHEET_SOURCE_VOLUME);
  g_assert_cmpstr (source->name, ==, "/Volumes/main/sales/images/2024");
  g_assert_cmpstr (source->join_keys[0], ==, "id");
  source = g_ptr_array_index (sources, 2);
  g_assert_null (source->join_keys);

  json = dbw_sheet_sources_to_json (sources);
  again = dbw_sheet_sources_parse (json, &error);
  g_assert_no_error (error);
  json_again = dbw_sheet_sources_to_json (again);
  g_assert_cmpstr (json, ==, json_again);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) none = dbw_sheet_sources_parse (bad[i], &local_error);

      g_assert_null (none);
      g_assert_error (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
    }
}

static void
expect_invalid (Fixture    *f,
                DbwSheet   *sheet,
                const char *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_sheet_ops_save_pointer (f->store, sheet, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

static void
test_save_pointer (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwSheet) stored = NULL;
  const char *keys[] = { "id", NULL };
  const char *two_keys[] = { "id", "ID", NULL };

  dbw_sheet_set_name (sheet, "  Returned orders ");
  dbw_sheet_set_primary_table (sheet, "main.sales.orders");
  dbw_sheet_set_secondary_sources (sheet, "[{\"type\": \"table\", \"name\": \"main.sales.returns\", \"join_key\": \"order_id\"}]");
  dbw_sheet_set_join_keys (sheet, keys);
  dbw_sheet_set_filter_condition (sheet, "amount > 10");
  dbw_sheet_set_sample_size (sheet, 5);
  g_assert_true (dbw_sheet_ops_save_pointer (f->store, sheet, &error));
  g_assert_no_error (error);

  stored = dbw_store_get (f->store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (sheet)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_sheet_get_name (stored), ==, "Returned orders");
  g_assert_cmpint (dbw_sheet_get_source_kind (stored), ==, DBW_SOURCE_KIND_UNITY_CATALOG);
  g_assert_cmpstr (dbw_sheet_get_primary_table (stored), ==, "main.sales.orders");
  g_assert_cmpstr (dbw_sheet_get_join_keys (stored)[0], ==, "id");
  g_assert_cmpstr (dbw_sheet_get_filter_condition (stored), ==, "amount > 10");
  g_assert_cmpint (dbw_sheet_get_sample_size (stored), ==, 5);
  g_assert_cmpstr (dbw_sheet_get_secondary_sources (stored), ==,
                   "[{\"type\":\"table\",\"name\":\"main.sales.returns\",\"join_keys\":[\"order_id\"]}]");

  /* Saved again, it is updated, not added. */
  dbw_sheet_set_sample_size (stored, -1);
  g_assert_true (dbw_sheet_ops_save_pointer (f->store, stored, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM sheets"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM sheets WHERE sample_size IS NULL"), ==, 2);

  /* What is not a pointer says why. */
  dbw_sheet_set_filter_condition (stored, "amount > 10; DELETE FROM x");
  expect_invalid (f, stored, "“;”");
  dbw_sheet_set_filter_condition (stored, NULL);

  dbw_sheet_set_sample_size (stored, 0);
  expect_invalid (f, stored, "sample size");
  dbw_sheet_set_sample_size (stored, -1);

  dbw_sheet_set_join_keys (stored, NULL);
  expect_invalid (f, stored, "join keys");
  dbw_sheet_set_join_keys (stored, two_keys);
  expect_invalid (f, stored, "given twice");
  dbw_sheet_set_join_keys (stored, keys);

  dbw_sheet_set_primary_table (stored, "orders");
  expect_invalid (f, stored, "catalog.schema.table");
  dbw_sheet_set_primary_table (stored, "main.sales.returns");
  expect_invalid (f, stored, "cannot also be");
  dbw_sheet_set_primary_table (stored, NULL);
  expect_invalid (f, stored, "primary table");

  dbw_sheet_set_secondary_sources (stored, "[]");
  expect_invalid (f, stored, "points at nothing");

  /* Volumes alone make a sheet of files. */
  dbw_sheet_set_secondary_sources (stored, "[{\"type\": \"volume\", \"path\": \"/Volumes/main/sales/images\"}]");
  dbw_sheet_set_join_keys (stored, NULL);
  g_assert_true (dbw_sheet_ops_save_pointer (f->store, stored, &error));
  g_assert_no_error (error);

  dbw_sheet_set_name (stored, " ");
  expect_invalid (f, stored, "name");
}

/* --- tags ------------------------------------------------------------------------------- */

static GHashTable *
new_tags (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
}

static void
add_tag (GHashTable *tags,
         const char *source,
         const char *key,
         const char *value)
{
  GHashTable *source_tags = g_hash_table_lookup (tags, source);

  if (source_tags == NULL)
    {
      source_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (tags, g_strdup (source), source_tags);
    }
  g_hash_table_insert (source_tags, g_strdup (key), g_strdup (value));
}

static void
test_tags (void)
{
  g_autoptr(GHashTable) tags = new_tags ();
  g_autoptr(DbwUsageConstraints) constraints = NULL;
  g_autoptr(DbwUsageConstraints) confidential = NULL;

  g_assert_true (dbw_tag_is_sensitive ("PII", ""));
  g_assert_true (dbw_tag_is_sensitive ("pii", "true"));
  g_assert_true (dbw_tag_is_sensitive ("contains_phi", NULL));
  g_assert_true (dbw_tag_is_sensitive ("class.pii", "email"));
  g_assert_true (dbw_tag_is_sensitive ("classification", "PHI"));
  g_assert_false (dbw_tag_is_sensitive ("pii", "false"));
  g_assert_false (dbw_tag_is_sensitive ("pipeline", "bronze"));
  g_assert_false (dbw_tag_is_sensitive ("owner", "philippa"));
  g_assert_true (dbw_tag_is_confidential ("CONFIDENTIAL", ""));
  g_assert_false (dbw_tag_is_confidential ("pii", ""));

  /* Tags that ask nothing. */
  add_tag (tags, "main.sales.orders", "owner", "sales-team");
  g_assert_null (dbw_usage_constraints_new_from_tags (tags));

  add_tag (tags, "main.sales.orders", "confidential", "");
  confidential = dbw_usage_constraints_new_from_tags (tags);
  g_assert_nonnull (confidential);
  g_assert_cmpint (confidential->classification, ==, DBW_CLASSIFICATION_CONFIDENTIAL);
  g_assert_true (g_strv_contains ((const char * const *) confidential->prohibited_uses, "few_shot"));
  g_assert_false (g_strv_contains ((const char * const *) confidential->prohibited_uses, "training"));

  add_tag (tags, "main.sales.customers.email", "pii", "true");
  constraints = dbw_usage_constraints_new_from_tags (tags);
  g_assert_nonnull (constraints);
  g_assert_cmpint (constraints->classification, ==, DBW_CLASSIFICATION_RESTRICTED);
  g_assert_true (g_strv_contains ((const char * const *) constraints->prohibited_uses, "training"));
  g_assert_true (g_strv_contains ((const char * const *) constraints->prohibited_uses, "validation"));
  g_assert_true (g_strv_contains ((const char * const *) constraints->prohibited_uses, "evaluation"));
  g_assert_nonnull (strstr (constraints->reason, "pii (main.sales.customers.email)"));
  g_assert_nonnull (strstr (constraints->reason, "confidential (main.sales.orders)"));

  /* One tag that says both asks for both. */
  {
    g_autoptr(GHashTable) both_tags = new_tags ();
    g_autoptr(DbwUsageConstraints) both = NULL;

    add_tag (both_tags, "main.clinic.visits", "classification", "PII, CONFIDENTIAL");
    both = dbw_usage_constraints_new_from_tags (both_tags);
    g_assert_nonnull (both);
    g_assert_cmpint (both->classification, ==, DBW_CLASSIFICATION_RESTRICTED);
    for (guint i = 0; i < 4; i++)
      g_assert_true (g_strv_contains ((const char * const *) both->prohibited_uses,
                                      (const char *[]) { "training", "validation", "few_shot", "evaluation" }[i]));
  }
}

/* --- fed imports ------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *refs;
  GPtrArray *fields;
  guint      fail_at;   /* 0: never */
  GCancellable *cancel_at_half;
} Rows;

static void
rows_free (Rows *rows)
{
  g_ptr_array_unref (rows->refs);
  g_ptr_array_unref (rows->fields);
  g_clear_object (&rows->cancel_at_half);
  g_free (rows);
}

static Rows *
rows_new (guint n,
          const char *note)
{
  Rows *rows = g_new0 (Rows, 1);

  rows->refs = g_ptr_array_new_with_free_func (g_free);
  rows->fields = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (rows->refs, g_strdup_printf ("orders#%u", i + 1));
      g_ptr_array_add (rows->fields, g_strdup_printf ("{\"id\":%u,\"note\":\"%s\"}", i + 1, note));
    }

  return rows;
}

static gboolean
give_row (guint64    index,
          char     **ref,
          char     **fields,
          gpointer   user_data,
          GError   **error)
{
  Rows *rows = user_data;

  if (rows->fail_at != 0 && index + 1 == rows->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "row %u is gone", rows->fail_at);
      return FALSE;
    }
  if (rows->cancel_at_half != NULL && index == rows->refs->len / 2)
    g_cancellable_cancel (rows->cancel_at_half);

  *ref = g_strdup (g_ptr_array_index (rows->refs, index));
  *fields = g_strdup (g_ptr_array_index (rows->fields, index));
  return TRUE;
}

static gboolean
feed (Fixture                   *f,
      Rows                      *rows,
      const DbwUsageConstraints *constraints,
      GFile                     *file,
      GCancellable              *cancellable,
      DbwImportReport          **report,
      GError                   **error)
{
  g_autoptr(DbwImporter) importer = dbw_importer_new (dbw_store_get_file (f->store),
                                                       dbw_record_get_id (DBW_RECORD (f->sheet)));
  gboolean ok;

  if (rows != NULL)
    dbw_importer_add_records (importer, "main.sales.orders", rows->refs->len, give_row, rows, (GDestroyNotify) rows_free);
  if (file != NULL)
    dbw_importer_add_file (importer, file, "/Volumes/main/sales/images/a.txt", NULL);
  dbw_importer_set_usage_constraints (importer, constraints);

  ok = dbw_importer_run (importer, cancellable, error);
  if (report != NULL)
    *report = g_object_ref (dbw_importer_get_report (importer));

  return ok;
}

static void
test_records (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwImportReport) first = NULL;
  g_autoptr(DbwImportReport) second = NULL;
  g_autoptr(DbwImportReport) third = NULL;
  Rows *rows;

  g_assert_true (feed (f, rows_new (5, "a"), NULL, NULL, NULL, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (first), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items WHERE item_ref = 'orders#3' AND modality = 'row' "
                                 "AND json_extract (fields, '$.id') = 3"), ==, 1);

  /* The same rows again: nothing new. */
  g_assert_true (feed (f, rows_new (5, "a"), NULL, NULL, NULL, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (second), ==, 5);
  g_assert_cmpuint (dbw_import_report_get_n_added (second), ==, 0);

  /* One row changed: a new version of it, the others unchanged, and one more row. */
  rows = rows_new (6, "a");
  g_free (g_ptr_array_index (rows->fields, 1));
  g_ptr_array_index (rows->fields, 1) = g_strdup ("{\"id\":2,\"note\":\"b\"}");
  g_assert_true (feed (f, rows, NULL, NULL, NULL, &third, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_versions (third), ==, 1);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (third), ==, 4);
  g_assert_cmpuint (dbw_import_report_get_n_added (third), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items"), ==, 7);
  g_assert_cmpint (query_int (f, "SELECT version FROM items WHERE item_ref = 'orders#2' AND json_extract (fields, '$.note') = 'b'"), ==, 2);
}

static void
test_records_rejected (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwImportReport) report = NULL;
  Rows *rows = rows_new (3, "a");
  DbwImportProblem *problem;

  g_free (g_ptr_array_index (rows->fields, 2));
  g_ptr_array_index (rows->fields, 2) = g_strdup ("[1, 2]");

  g_assert_false (feed (f, rows, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 1);
  problem = g_list_model_get_item (dbw_import_report_get_problems (report), 0);
  g_assert_nonnull (strstr (dbw_import_problem_get_reason (problem), "main.sales.orders, line 3"));
  g_object_unref (problem);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items"), ==, 0);

  /* A failing source fails the import and keeps nothing. */
  g_clear_error (&error);
  rows = rows_new (4, "a");
  rows->fail_at = 3;
  g_assert_false (feed (f, rows, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items"), ==, 0);
}

static void
test_records_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Rows *rows = rows_new (10, "a");

  rows->cancel_at_half = g_object_ref (cancellable);
  g_assert_false (feed (f, rows, NULL, NULL, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items"), ==, 0);
}

static void
test_constraints (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = new_tags ();
  g_autoptr(DbwUsageConstraints) constraints = NULL;
  g_autoptr(DbwImportReport) report = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GPtrArray) items = NULL;
  const char * const few_shot[] = { "few_shot", NULL };

  g_assert_true (feed (f, rows_new (3, "a"), NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM usage_constraint_audit"), ==, 0);

  /* A user had kept one item out of few-shot examples. */
  items = dbw_store_list (f->store, DBW_TYPE_ITEM, "item_ref", "orders#1", &error);
  g_assert_no_error (error);
  item = g_object_ref (g_ptr_array_index (items, 0));
  dbw_item_set_prohibited_uses (item, few_shot);
  g_assert_true (dbw_store_update (f->store, item, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM usage_constraint_audit"), ==, 1);

  /* Since then the table was tagged: every item, new or unchanged, is restricted, and
   * each change is audited with the reason. */
  add_tag (tags, "main.sales.orders.email", "PII", "");
  constraints = dbw_usage_constraints_new_from_tags (tags);
  g_assert_true (feed (f, rows_new (4, "a"), constraints, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (report), ==, 3);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 1);

  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items WHERE data_classification = 'restricted' "
                                 "AND EXISTS (SELECT 1 FROM json_each (prohibited_uses) WHERE value = 'training') "
                                 "AND EXISTS (SELECT 1 FROM json_each (prohibited_uses) WHERE value = 'validation') "
                                 "AND usage_reason LIKE '%PII (main.sales.orders.email)%'"), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items WHERE item_ref = 'orders#1' "
                                 "AND EXISTS (SELECT 1 FROM json_each (prohibited_uses) WHERE value = 'few_shot')"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM usage_constraint_audit WHERE target_table = 'items' "
                                 "AND new_data_classification = 'restricted' AND old_data_classification = 'internal' "
                                 "AND reason LIKE '%PII%'"), ==, 4);

  /* Already restricted: materialised again, nothing changes and nothing is audited. */
  g_assert_true (feed (f, rows_new (4, "a"), constraints, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM usage_constraint_audit"), ==, 5);
}

static void
test_fed_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwImportReport) first = NULL;
  g_autoptr(DbwImportReport) second = NULL;
  g_autofree char *path = g_build_filename (f->dir, "download-1.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_true (g_file_set_contents (path, "Reading taken at dawn.\n", -1, &error));
  g_assert_true (feed (f, rows_new (2, "a"), NULL, file, NULL, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (first), ==, 3);
  g_assert_cmpuint (dbw_import_report_get_n_blobs_added (first), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM items WHERE item_ref = '/Volumes/main/sales/images/a.txt' "
                                 "AND modality = 'text' AND blob_hash IS NOT NULL "
                                 "AND json_extract (fields, '$.path') = '/Volumes/main/sales/images/a.txt'"), ==, 1);

  /* Downloaded again into another file: the same item, the same blob. */
  g_assert_true (feed (f, NULL, NULL, file, NULL, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (second), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM blobs"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uc-sheet/filter", test_filter);
  g_test_add_func ("/uc-sheet/sources", test_sources);
  g_test_add_func ("/uc-sheet/tags", test_tags);
  g_test_add ("/uc-sheet/save-pointer", Fixture, NULL, fixture_setup, test_save_pointer, fixture_teardown);
  g_test_add ("/uc-sheet/import/records", Fixture, NULL, fixture_setup, test_records, fixture_teardown);
  g_test_add ("/uc-sheet/import/rejected", Fixture, NULL, fixture_setup, test_records_rejected, fixture_teardown);
  g_test_add ("/uc-sheet/import/cancelled", Fixture, NULL, fixture_setup, test_records_cancelled, fixture_teardown);
  g_test_add ("/uc-sheet/import/constraints", Fixture, NULL, fixture_setup, test_constraints, fixture_teardown);
  g_test_add ("/uc-sheet/import/file", Fixture, NULL, fixture_setup, test_fed_file, fixture_teardown);

  return g_test_run ();
}
