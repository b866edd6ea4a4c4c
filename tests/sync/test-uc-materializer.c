/* test-uc-materializer.c — Unity Catalog sheets materialised from the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "dbw-databricks.h"
#include "dbw-importer.h"
#include "dbw-sheet-ops.h"
#include "dbw-store.h"
#include "dbw-uc-materializer.h"
#include "fake-databricks.h"
#include "../core/test-query.h"
#include "test-log-capture.h"

#define TOKEN     "dapi-test-secret-0123456789abcdef"
#define WAREHOUSE "0123456789abcdef"

typedef struct
{
  FakeDatabricks *fake;
  DbwHttp        *http;
  DbwDatabricks  *client;
  char           *dir;
  DbwStore       *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  fixture->fake = fake_databricks_new ();
  fake_databricks_set_token (fixture->fake, TOKEN);
  fixture->http = dbw_http_new ();
  dbw_http_set_retry_base_delay (fixture->http, 20);
  dbw_http_set_retry_max_delay (fixture->http, 200);
  dbw_http_set_max_attempts (fixture->http, 3);
  dbw_http_set_connect_timeout (fixture->http, 2000);
  dbw_http_set_timeout (fixture->http, 10000);

  g_setenv ("DATABRICKS_CONFIG_FILE", "/nonexistent/databrickscfg", TRUE);
  g_unsetenv ("DATABRICKS_HOST");
  g_unsetenv ("DATABRICKS_TOKEN");
  config = dbw_databricks_config_resolve (NULL, fake_databricks_get_url (fixture->fake), TOKEN, &error);
  g_assert_no_error (error);
  fixture->client = dbw_databricks_new (config, fixture->http);
  dbw_databricks_set_poll_interval (fixture->client, 20);

  fixture->dir = g_dir_make_tmp ("dbw-uc-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "uc.dbw", NULL);
  file = g_file_new_for_path (path);
  fixture->store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  test_log_capture_reset ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  /* Worker threads drop their last references just after returning. */
  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;

  dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->http);
  fake_databricks_free (fixture->fake);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);

  /* Nothing secret was logged, whatever the test did. */
  g_assert_false (test_log_capture_contains (TOKEN));
}

static DbwSheet *
make_sheet (Fixture    *fixture,
            const char *primary,
            const char *secondary,
            const char *join_key,
            const char *filter,
            gint64      sample_size)
{
  g_autoptr(GError) error = NULL;
  DbwSheet *sheet = dbw_sheet_new ();
  const char *keys[] = { join_key, NULL };

  dbw_sheet_set_name (sheet, "From Unity Catalog");
  dbw_sheet_set_primary_table (sheet, primary);
  if (secondary != NULL)
    dbw_sheet_set_secondary_sources (sheet, secondary);
  dbw_sheet_set_join_keys (sheet, join_key != NULL ? keys : NULL);
  dbw_sheet_set_filter_condition (sheet, filter);
  dbw_sheet_set_sample_size (sheet, sample_size);
  g_assert_true (dbw_sheet_ops_save_pointer (fixture->store, sheet, &error));
  g_assert_no_error (error);

  return sheet;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
materialize (Fixture           *fixture,
             DbwSheet          *sheet,
             GCancellable      *cancellable,
             DbwImportReport  **report,
             char             **query,
             GError           **error)
{
  g_autoptr(DbwUcMaterializer) materializer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  materializer = dbw_uc_materializer_new (fixture->client, WAREHOUSE, dbw_store_get_file (fixture->store), sheet);
  dbw_uc_materializer_run_async (materializer, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  ok = dbw_uc_materializer_run_finish (materializer, result, error);
  if (report != NULL)
    *report = dbw_uc_materializer_get_report (materializer) != NULL ?
              g_object_ref (dbw_uc_materializer_get_report (materializer)) : NULL;
  if (query != NULL)
    *query = g_strdup (dbw_uc_materializer_get_query (materializer));
  if (ok)
    g_assert_cmpfloat (dbw_uc_materializer_get_fraction (materializer), ==, 1.0);

  return ok;
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return test_query_int (dbw_store_get_path (fixture->store), sql);
}

static JsonObject *
last_statement (Fixture    *fixture,
                JsonParser *parser)
{
  g_autoptr(GPtrArray) requests = fake_databricks_get_requests (fixture->fake);

  for (guint i = requests->len; i > 0; i--)
    {
      FakeRequest *request = g_ptr_array_index (requests, i - 1);
      gsize size;
      gconstpointer bytes;

      if (!g_str_equal (request->method, "POST") || !g_str_equal (request->path, "/api/2.0/sql/statements"))
        continue;

      bytes = g_bytes_get_data (request->body, &size);
      g_assert_true (json_parser_load_from_data (parser, bytes, size, NULL));
      return json_node_get_object (json_parser_get_root (parser));
    }

  g_assert_not_reached ();
}

static void
run_sql (Fixture    *fixture,
         const char *sql)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DbwSqlResult) rows = NULL;
  g_autoptr(GError) error = NULL;

  dbw_databricks_execute_async (fixture->client, WAREHOUSE, sql, NULL, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = dbw_databricks_execute_finish (fixture->client, result, &error);
  g_assert_no_error (error);
}

/* --- tests ------------------------------------------------------------------------------ */

static void
test_join (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImportReport) first = NULL;
  g_autoptr(DbwImportReport) second = NULL;
  g_autoptr(DbwImportReport) third = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *query = NULL;

  sheet = make_sheet (fixture, "main.sales.orders",
                      "[{\"type\": \"table\", \"name\": \"main.sales.returns\", \"join_key\": \"order_id\"}]",
                      "id", NULL, -1);

  g_assert_true (materialize (fixture, sheet, NULL, &first, &query, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (first), ==, 12);

  /* Names validated and quoted; the returns' key is not repeated. */
  g_assert_cmpstr (query, ==,
                   "SELECT `p`.`id`, `p`.`amount`, `p`.`note`, `s1`.`reason` "
                   "FROM `main`.`sales`.`orders` AS `p` "
                   "LEFT JOIN `main`.`sales`.`returns` AS `s1` ON `p`.`id` = `s1`.`order_id` "
                   "ORDER BY `p`.`id`, `p`.`amount`, `p`.`note`, `s1`.`reason`");

  /* Known by their key; numbers stay numbers with their digits; a row without a return
   * has a null reason. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref = 'orders#3' AND modality = 'row' "
                                       "AND json_extract (fields, '$.reason') = 'damaged' "
                                       "AND json_type (fields, '$.id') = 'integer' AND json_type (fields, '$.amount') = 'real'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref = 'orders#2' "
                                       "AND json_type (fields, '$.reason') = 'null' AND json_type (fields, '$.note') = 'null'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM sheets WHERE updated_at > created_at OR updated_at = created_at"), ==, 1);

  /* Again: nothing new, no duplicate. */
  g_assert_true (materialize (fixture, sheet, NULL, &second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (second), ==, 0);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (second), ==, 12);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 12);

  /* A row changed in the workspace becomes a new version of its item. */
  run_sql (fixture, "UPDATE `main`.`sales`.`orders` SET note = 'changed' WHERE id = 4");
  g_assert_true (materialize (fixture, sheet, NULL, &third, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_versions (third), ==, 1);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (third), ==, 11);
  g_assert_cmpint (query_int (fixture, "SELECT version FROM items WHERE item_ref = 'orders#4' "
                                       "AND json_extract (fields, '$.note') = 'changed'"), ==, 2);

  /* No parameters were needed. */
  g_assert_false (json_object_has_member (last_statement (fixture, parser), "parameters"));
}

static void
test_sample_filter (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImportReport) first = NULL;
  g_autoptr(DbwImportReport) second = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *query = NULL;
  JsonObject *parameter;

  sheet = make_sheet (fixture, "main.sales.orders", NULL, "id", "amount > 10 AND note <> 'x;y'", 4);
  g_assert_true (materialize (fixture, sheet, NULL, &first, &query, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (first), ==, 4);
  g_assert_nonnull (strstr (query, "WHERE (amount > 10 AND note <> 'x;y')"));
  g_assert_nonnull (strstr (query, "LIMIT CAST(:sample_size AS INT)"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE json_extract (fields, '$.amount') <= 10"), ==, 0);

  /* The sample size is a bound parameter. */
  parameter = json_array_get_object_element (json_object_get_array_member (last_statement (fixture, parser), "parameters"), 0);
  g_assert_cmpstr (json_object_get_string_member (parameter, "name"), ==, "sample_size");
  g_assert_cmpstr (json_object_get_string_member (parameter, "value"), ==, "4");

  /* Sampled over the key, the same rows come again. */
  g_assert_true (materialize (fixture, sheet, NULL, &second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (second), ==, 4);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 4);
}

/* A result far past what the workspace sends inline comes through external links,
 * chunk by chunk, with every row, and without the token going to storage. */
static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImportReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  run_sql (fixture, "INSERT INTO `main`.`sales`.`orders` "
                    "WITH RECURSIVE n(i) AS (SELECT 1001 UNION ALL SELECT i + 1 FROM n WHERE i < 3488) "
                    "SELECT i, 10.5, printf('order %05d with a note long enough to count', i) FROM n");
  fake_databricks_set_inline_limit (fixture->fake, 16 * 1024);
  fake_databricks_set_chunk_size (fixture->fake, 700);

  sheet = make_sheet (fixture, "main.sales.orders", NULL, "id", NULL, -1);
  g_assert_true (materialize (fixture, sheet, NULL, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 2500);
  g_assert_cmpuint (fake_databricks_get_n_external_fetches (fixture->fake), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (last_statement (fixture, parser), "disposition"), ==, "EXTERNAL_LINKS");
  g_assert_cmpint (query_int (fixture, "SELECT count(DISTINCT item_ref) FROM items"), ==, 2500);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref = 'orders#3488' "
                                       "AND json_extract (fields, '$.note') LIKE 'order 03488 %'"), ==, 1);

  /* Asked inline, the same rows would have failed the statement. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(DbwSqlResult) rows = NULL;
    g_autoptr(GError) inline_error = NULL;

    dbw_databricks_execute_async (fixture->client, WAREHOUSE, "SELECT * FROM `main`.`sales`.`orders`", NULL, NULL,
                                  store_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    rows = dbw_databricks_execute_finish (fixture->client, result, &inline_error);
    g_assert_null (rows);
    g_assert_nonnull (inline_error);
    g_assert_nonnull (strstr (inline_error->message, "inline byte limit"));
  }
}

static void
test_no_key (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImportReport) second = NULL;

  sheet = make_sheet (fixture, "main.sales.customers", NULL, NULL, NULL, -1);
  g_assert_true (materialize (fixture, sheet, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref GLOB 'customers#[0-9a-f]*' "
                                       "AND length (item_ref) = length ('customers#') + 16"), ==, 3);

  g_assert_true (materialize (fixture, sheet, NULL, &second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (second), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 3);
}

static void
test_server_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImportReport) report = NULL;

  sheet = make_sheet (fixture, "main.sales.orders", NULL, "id", NULL, -1);
  g_assert_true (materialize (fixture, sheet, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The statement fails in the workspace: it says what could not be read, and the
   * project is as it was. */
  run_sql (fixture, "UPDATE `main`.`sales`.`orders` SET note = 'lost' WHERE id = 1");
  fake_databricks_add_fault (fixture->fake, "/api/2.0/sql/statements", FAKE_FAULT_SERVER_ERROR, 1, 0);
  g_assert_false (materialize (fixture, sheet, NULL, &report, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Could not read main.sales.orders"));
  g_assert_null (report);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 12);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE json_extract (fields, '$.note') = 'lost'"), ==, 0);

  /* The listing fails, however often it is asked again. */
  g_clear_error (&error);
  fake_databricks_add_fault (fixture->fake, "/api/2.1/unity-catalog/tables", FAKE_FAULT_SERVER_ERROR, FAKE_FAULT_FOREVER, 0);
  g_assert_false (materialize (fixture, sheet, NULL, NULL, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "main.sales"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 12);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  sheet = make_sheet (fixture, "main.sales.orders", NULL, "id", NULL, -1);
  fake_databricks_set_slow_polls (fixture->fake, 100000);

  g_timeout_add_full (G_PRIORITY_DEFAULT, 200, cancel_cb, g_object_ref (cancellable), g_object_unref);
  g_assert_false (materialize (fixture, sheet, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 0);

  /* Cancelled before it starts. */
  g_clear_error (&error);
  fake_databricks_set_slow_polls (fixture->fake, 0);
  g_assert_false (materialize (fixture, sheet, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 0);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) missing = NULL;
  g_autoptr(DbwSheet) bad_key = NULL;
  g_autoptr(DbwSheet) local = dbw_sheet_new ();
  g_autoptr(DbwUcMaterializer) materializer = NULL;

  missing = make_sheet (fixture, "main.sales.invoices", NULL, NULL, NULL, -1);
  g_assert_false (materialize (fixture, missing, NULL, NULL, NULL, &error));
  g_assert_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "main.sales.invoices"));
  g_clear_error (&error);

  bad_key = make_sheet (fixture, "main.sales.orders",
                        "[{\"type\": \"table\", \"name\": \"main.sales.returns\"}]", "id", NULL, -1);
  g_assert_false (materialize (fixture, bad_key, NULL, NULL, NULL, &error));
  g_assert_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "main.sales.returns has no column “id”"));
  g_clear_error (&error);

  /* A local sheet is not materialised. */
  dbw_sheet_set_name (local, "Local");
  g_assert_true (dbw_store_insert (fixture->store, local, &error));
  g_assert_false (materialize (fixture, local, NULL, NULL, NULL, &error));
  g_assert_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER);
  g_clear_error (&error);

  /* Without a warehouse, nothing is sent. */
  fake_databricks_clear_requests (fixture->fake);
  materializer = dbw_uc_materializer_new (fixture->client, "", dbw_store_get_file (fixture->store), missing);
  {
    g_autoptr(GAsyncResult) result = NULL;

    dbw_uc_materializer_run_async (materializer, NULL, store_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (dbw_uc_materializer_run_finish (materializer, result, &error));
    g_assert_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NO_WAREHOUSE);
  }
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 0);
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(DbwSqlResult) rows = NULL;
  g_autoptr(DbwSqlResult) none = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  dbw_uc_materializer_preview_async (fixture->client, WAREHOUSE, "main.sales.orders", NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = dbw_uc_materializer_preview_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_sql_result_get_n_columns (rows), ==, 3);
  g_assert_cmpuint (dbw_sql_result_get_n_rows (rows), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (last_statement (fixture, parser), "statement"), ==,
                   "SELECT * FROM `main`.`sales`.`orders` LIMIT 100");

  /* A name that would leave its quotes is never sent. */
  fake_databricks_clear_requests (fixture->fake);
  dbw_uc_materializer_preview_async (fixture->client, WAREHOUSE, "main.sales.or`ders", NULL, store_result_cb, &bad_result);
  while (bad_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = dbw_uc_materializer_preview_finish (fixture->client, bad_result, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

static void
test_pii (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) patients = NULL;
  g_autoptr(DbwSheet) orders = NULL;
  g_autoptr(DbwImportReport) report = NULL;

  fake_databricks_set_tag (fixture->fake, "columns", "samples.clinic.patients.ssn", "pii", "");
  fake_databricks_set_tag (fixture->fake, "tables", "samples.clinic.patients", "owner", "clinic-data");

  patients = make_sheet (fixture, "samples.clinic.patients",
                         "[{\"type\": \"table\", \"name\": \"samples.clinic.visits\", \"join_key\": \"patient_id\"}]",
                         "id", NULL, -1);
  orders = make_sheet (fixture, "main.sales.orders", NULL, "id", NULL, -1);

  /* The tagged column restricts every row of its table: no training, no validation,
   * restricted, with the reason in the item and in the audit. */
  g_assert_true (materialize (fixture, patients, NULL, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE data_classification = 'restricted' "
                                       "AND EXISTS (SELECT 1 FROM json_each (prohibited_uses) WHERE value = 'training') "
                                       "AND EXISTS (SELECT 1 FROM json_each (prohibited_uses) WHERE value = 'validation') "
                                       "AND usage_reason LIKE '%pii (samples.clinic.patients.ssn)%'"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM usage_constraint_audit WHERE target_table = 'items' "
                                       "AND new_data_classification = 'restricted' "
                                       "AND target_id IN (SELECT id FROM items) AND reason LIKE '%pii%'"), ==, 3);

  /* Untagged data is not. */
  g_assert_true (materialize (fixture, orders, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE data_classification = 'internal' "
                                       "AND prohibited_uses = '[]'"), ==, 12);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM usage_constraint_audit"), ==, 3);

  /* Tagged since: the rows already in the project are restricted too. */
  fake_databricks_set_tag (fixture->fake, "tables", "main.sales.orders", "PHI", "");
  g_assert_true (materialize (fixture, orders, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE data_classification = 'restricted'"), ==, 15);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM usage_constraint_audit"), ==, 15);

  /* Tags that cannot be read stop the run: nothing comes in with unknown restrictions. */
  fake_databricks_add_fault (fixture->fake, "/api/2.1/unity-catalog/entity-tag-assignments/columns",
                             FAKE_FAULT_SERVER_ERROR, FAKE_FAULT_FOREVER, 0);
  run_sql (fixture, "INSERT INTO `main`.`sales`.`orders` VALUES (13, 1.00, 'new')");
  g_assert_false (materialize (fixture, orders, NULL, NULL, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Could not read the tags of main.sales.orders."));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 15);
}

static void
put_file (Fixture    *fixture,
          const char *volume_path,
          const char *contents)
{
  g_autofree char *local = fake_databricks_get_local_path (fixture->fake, volume_path);
  g_autofree char *parent = g_path_get_dirname (local);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (local, contents, -1, &error));
  g_assert_no_error (error);
}

static guint
count_download_dirs (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, "databits-volume-");

  return n;
}

static void
test_volume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwSheet) files_only = NULL;
  g_autoptr(DbwImportReport) first = NULL;
  g_autoptr(DbwImportReport) second = NULL;
  guint n_dirs = count_download_dirs ();

  put_file (fixture, "/Volumes/samples/clinic/scans/1.txt", "Intake form of patient 1.\n");
  put_file (fixture, "/Volumes/samples/clinic/scans/2.txt", "Intake form of patient 2.\n");
  put_file (fixture, "/Volumes/samples/clinic/scans/forms/3.txt", "Intake form of patient 3.\n");
  put_file (fixture, "/Volumes/samples/clinic/scans/99.txt", "Nobody's form.\n");

  /* Files named after a row's key come with the rows. */
  sheet = make_sheet (fixture, "samples.clinic.patients",
                      "[{\"type\": \"volume\", \"path\": \"/Volumes/samples/clinic/scans\", \"join_key\": \"id\"}]",
                      "id", NULL, -1);
  g_assert_true (materialize (fixture, sheet, NULL, &first, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (first), ==, 6);
  g_assert_cmpuint (dbw_import_report_get_n_blobs_added (first), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref = '/Volumes/samples/clinic/scans/forms/3.txt' "
                                       "AND modality = 'text' AND blob_hash IS NOT NULL AND json_extract (fields, '$.name') = '3.txt'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref LIKE '%99.txt'"), ==, 0);
  g_assert_cmpuint (count_download_dirs (), ==, n_dirs);

  /* Again: nothing new, each blob once. */
  g_assert_true (materialize (fixture, sheet, NULL, &second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (second), ==, 6);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM blobs"), ==, 3);

  /* A sheet of a tagged volume alone: its files, up to the sample size, restricted. */
  fake_databricks_set_tag (fixture->fake, "volumes", "samples.clinic.scans", "phi", "true");
  files_only = make_sheet (fixture, NULL,
                           "[{\"type\": \"volume\", \"path\": \"/Volumes/samples/clinic/scans\"}]",
                           NULL, NULL, 2);
  g_assert_true (materialize (fixture, files_only, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE sheet_id = (SELECT id FROM sheets WHERE primary_table IS NULL) "
                                       "AND data_classification = 'restricted'"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items WHERE item_ref = '/Volumes/samples/clinic/scans/2.txt'"), ==, 2);

  /* A download that fails leaves the project as it was. */
  put_file (fixture, "/Volumes/samples/clinic/scans/1.txt", "Intake form of patient 1, corrected.\n");
  fake_databricks_add_fault (fixture->fake, "/api/2.0/fs/files", FAKE_FAULT_SERVER_ERROR, FAKE_FAULT_FOREVER, 0);
  g_assert_false (materialize (fixture, sheet, NULL, NULL, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Could not download /Volumes/samples/clinic/scans/1.txt"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM items"), ==, 8);
  g_assert_cmpuint (count_download_dirs (), ==, n_dirs);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);

  test_log_capture_install ();

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/uc-materializer/join", test_join);
  ADD ("/uc-materializer/sample-filter", test_sample_filter);
  ADD ("/uc-materializer/large", test_large);
  ADD ("/uc-materializer/no-key", test_no_key);
  ADD ("/uc-materializer/server-error", test_server_error);
  ADD ("/uc-materializer/cancel", test_cancel);
  ADD ("/uc-materializer/not-found", test_not_found);
  ADD ("/uc-materializer/preview", test_preview);
  ADD ("/uc-materializer/pii", test_pii);
  ADD ("/uc-materializer/volume", test_volume);

#undef ADD

  return g_test_run ();
}
