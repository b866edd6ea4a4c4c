/* test-databricks.c — DbwDatabricks against the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "test-databricks-fixture.h"

static char *
test_connection (DbwDatabricks  *client,
                 const char     *warehouse_id,
                 char          **state,
                 GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_test_connection_async (client, warehouse_id, NULL, store_result_cb, &result);
  return dbw_databricks_test_connection_finish (client, wait_for (&result), state, error);
}

static GPtrArray *
list_tables (DbwDatabricks  *client,
             const char     *catalog,
             const char     *schema,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_list_tables_async (client, catalog, schema, NULL, store_result_cb, &result);
  return dbw_databricks_list_tables_finish (client, wait_for (&result), error);
}

static DbwSqlResult *
execute (DbwDatabricks  *client,
         const char     *sql,
         GHashTable     *parameters,
         GCancellable   *cancellable,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_execute_async (client, WAREHOUSE, sql, parameters, cancellable, store_result_cb, &result);
  return dbw_databricks_execute_finish (client, wait_for (&result), error);
}

/* --- sign-in ---------------------------------------------------------------------------- */

static void
test_pat_header (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = NULL;

  tables = list_tables (fixture->client, "main", "sales", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (last_request (fixture)->headers, "authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpuint (dbw_databricks_get_n_tokens_fetched (fixture->client), ==, 0);
  assert_not_logged (TOKEN);
}

static void
test_oauth_token_cached (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *pair_encoded = g_base64_encode ((const guchar *) CLIENT_ID ":" CLIENT_SECRET,
                                                   strlen (CLIENT_ID ":" CLIENT_SECRET));
  FakeRequest *token_request = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) tables = list_tables (fixture->client, "main", "sales", &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tables->len, ==, 3);
    }

  g_assert_cmpuint (fake_databricks_get_n_tokens_issued (fixture->fake), ==, 1);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", "/oidc/v1/token"), ==, 1);
  g_assert_cmpuint (dbw_databricks_get_n_tokens_fetched (fixture->client), ==, 1);

  /* Form-encoded, with Basic auth of the client id and secret. */
  requests = fake_databricks_get_requests (fixture->fake);
  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((FakeRequest *) g_ptr_array_index (requests, i))->path, "/oidc/v1/token"))
      token_request = g_ptr_array_index (requests, i);
  g_assert_nonnull (token_request);
  basic = g_strconcat ("Basic ", pair_encoded, NULL);
  g_assert_cmpstr (g_hash_table_lookup (token_request->headers, "authorization"), ==, basic);
  g_assert_cmpstr (g_hash_table_lookup (token_request->headers, "content-type"), ==, "application/x-www-form-urlencoded");
  g_assert_cmpmem (g_bytes_get_data (token_request->body, NULL), g_bytes_get_size (token_request->body),
                   "grant_type=client_credentials&scope=all-apis", strlen ("grant_type=client_credentials&scope=all-apis"));
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (last_request (fixture)->headers, "authorization"), "Bearer fake-oauth-1-"));

  assert_not_logged (CLIENT_SECRET);
  assert_not_logged (pair_encoded);
  assert_not_logged ("fake-oauth-");
}

/* Calls started together wait for one token request. */
static void
test_oauth_single_flight (Fixture       *fixture,
                          gconstpointer  data)
{
  GAsyncResult *results[4] = { NULL, };

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    dbw_databricks_list_catalogs_async (fixture->client, NULL, store_result_cb, &results[i]);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) catalogs = dbw_databricks_list_catalogs_finish (fixture->client, wait_for (&results[i]), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (catalogs->len, ==, 5);
      g_clear_object (&results[i]);
    }

  g_assert_cmpuint (fake_databricks_get_n_tokens_issued (fixture->fake), ==, 1);
}

static void
test_oauth_refresh (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;

  /* Valid for one second: used for half of it, then fetched again. */
  fake_databricks_set_oauth_client (fixture->fake, CLIENT_ID, CLIENT_SECRET, 1);

  first = list_tables (fixture->client, "main", "sales", &error);
  g_assert_no_error (error);
  second = list_tables (fixture->client, "main", "sales", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_databricks_get_n_tokens_issued (fixture->fake), ==, 1);

  g_usleep (700 * 1000);
  third = list_tables (fixture->client, "main", "sales", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_databricks_get_n_tokens_issued (fixture->fake), ==, 2);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (last_request (fixture)->headers, "authorization"), "Bearer fake-oauth-2-"));
  assert_not_logged (CLIENT_SECRET);
}

static void
test_oauth_wrong_secret (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  fake_databricks_set_oauth_client (fixture->fake, CLIENT_ID, "another-secret", 3600);
  message = test_connection (fixture->client, NULL, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, CLIENT_ID));
  g_assert_null (strstr (error->message, CLIENT_SECRET));
  assert_not_logged (CLIENT_SECRET);
}

/* --- Test Connection -------------------------------------------------------------------- */

static void
test_connection_ok (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;

  fake_databricks_set_user_name (fixture->fake, "grace@example.com");
  message = test_connection (fixture->client, WAREHOUSE, &state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (message, "grace@example.com"));
  g_assert_nonnull (strstr (message, "“Starter Warehouse” is running"));
  g_assert_cmpstr (state, ==, "RUNNING");
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.0/sql/warehouses/" WAREHOUSE), ==, 1);

  /* Without a warehouse, only who we are. */
  g_clear_pointer (&message, g_free);
  g_clear_pointer (&state, g_free);
  message = test_connection (fixture->client, NULL, &state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (message, "grace@example.com"));
  g_assert_null (state);
}

static void
test_connection_unauthorized (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  fake_databricks_set_token (fixture->fake, "some-other-token");
  message = test_connection (fixture->client, WAREHOUSE, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (error->message, "The token was refused"));
  g_assert_null (strstr (error->message, TOKEN));
  /* Stopped at the first refusal. */
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 1);
}

static void
test_connection_warehouse_stopped (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;

  fake_databricks_set_warehouse (fixture->fake, "feedface0001", "Reports", "STOPPED");
  message = test_connection (fixture->client, "feedface0001", &state, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state, ==, "STOPPED");
  g_assert_nonnull (strstr (message, "The SQL warehouse “Reports” is stopped; start it in the workspace or let a query start it."));
}

static void
test_connection_warehouse_missing (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = test_connection (fixture->client, "deadbeef", NULL, &error);
  g_assert_null (message);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_WAREHOUSE_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“deadbeef”"));

  /* Not an id at all: refused before any request. */
  g_clear_error (&error);
  fake_databricks_clear_requests (fixture->fake);
  message = test_connection (fixture->client, "../../scim", NULL, &error);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

static void
test_connection_bad_host (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(DbwDatabricks) client = NULL;
  g_autofree char *host = NULL;
  g_autofree char *message = NULL;

  /* A port that was free a moment ago and has nobody listening now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  host = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = make_client (fixture, host, FALSE);
  message = test_connection (client, WAREHOUSE, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "The workspace “127.0.0.1:"));
  g_assert_nonnull (strstr (error->message, "could not be reached"));
}

/* --- Unity Catalog ---------------------------------------------------------------------- */

static void
test_uc_paging (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  g_autoptr(GPtrArray) schemas = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GPtrArray) volumes = NULL;
  DbwUcEntry *orders;
  DbwUcColumn *column;

  dbw_databricks_list_catalogs_async (fixture->client, NULL, store_result_cb, &result);
  catalogs = dbw_databricks_list_catalogs_finish (fixture->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (catalogs->len, ==, 5);
  g_assert_cmpstr (((DbwUcEntry *) g_ptr_array_index (catalogs, 4))->name, ==, "restricted");
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.1/unity-catalog/catalogs"), ==, 3);

  g_clear_object (&result);
  dbw_databricks_list_schemas_async (fixture->client, "main", NULL, store_result_cb, &result);
  schemas = dbw_databricks_list_schemas_finish (fixture->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schemas->len, ==, 3);
  g_assert_cmpstr (((DbwUcEntry *) g_ptr_array_index (schemas, 1))->full_name, ==, "main.sales");
  g_assert_cmpstr (((DbwUcEntry *) g_ptr_array_index (schemas, 1))->comment, ==, "Orders and customers");
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.1/unity-catalog/schemas"), ==, 2);

  tables = list_tables (fixture->client, "main", "sales", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tables->len, ==, 3);
  orders = g_ptr_array_index (tables, 0);
  g_assert_cmpint (orders->kind, ==, DBW_UC_KIND_TABLE);
  g_assert_cmpstr (orders->full_name, ==, "main.sales.orders");
  g_assert_cmpstr (orders->comment, ==, "One row per order");
  g_assert_cmpstr (orders->subtype, ==, "MANAGED");
  g_assert_cmpuint (orders->columns->len, ==, 3);
  column = g_ptr_array_index (orders->columns, 1);
  g_assert_cmpstr (column->name, ==, "amount");
  g_assert_cmpstr (column->type_text, ==, "decimal(10,2)");
  g_assert_null (column->comment);
  column = g_ptr_array_index (orders->columns, 2);
  g_assert_cmpstr (column->comment, ==, "Free text");
  g_assert_cmpstr (((DbwUcEntry *) g_ptr_array_index (tables, 2))->name, ==, "returns");
  g_assert_cmpstr (last_request (fixture)->query, ==, "catalog_name=main&schema_name=sales&page_token=2");

  g_clear_object (&result);
  dbw_databricks_list_volumes_async (fixture->client, "main", "sales", NULL, store_result_cb, &result);
  volumes = dbw_databricks_list_volumes_finish (fixture->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (volumes->len, ==, 3);
  g_assert_cmpstr (((DbwUcEntry *) g_ptr_array_index (volumes, 2))->full_name, ==, "main.sales.images");
  g_assert_null (((DbwUcEntry *) g_ptr_array_index (volumes, 2))->columns);
}

static void
test_uc_invalid_names (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *bad[] = { "", "main.sales", "ma`in", "tab\tle", "new\nline", "a/b" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) tables = list_tables (fixture->client, "main", bad[i], &error);

      g_assert_null (tables);
      g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
    }

  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);

  /* A name with spaces and non-ASCII is allowed and escaped in the query. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) tables = list_tables (fixture->client, "main", "año & más", &error);

    g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
    g_assert_null (tables);
    g_assert_cmpstr (last_request (fixture)->query, ==, "catalog_name=main&schema_name=a%C3%B1o%20%26%20m%C3%A1s");
  }
}

/* --- SQL statements --------------------------------------------------------------------- */

static void
test_sql_parameters_chunks (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) parameters = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(DbwSqlResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;
  JsonObject *parameter;

  fake_databricks_set_chunk_size (fixture->fake, 2);
  g_hash_table_insert (parameters, (gpointer) "city", (gpointer) "Oslo");

  result = execute (fixture->client, "SELECT id, city, note FROM readings WHERE city = :city ORDER BY id",
                    parameters, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_sql_result_get_n_columns (result), ==, 3);
  g_assert_cmpstr (dbw_sql_result_get_column_name (result, 0), ==, "id");
  g_assert_cmpstr (dbw_sql_result_get_column_name (result, 2), ==, "note");
  g_assert_cmpuint (dbw_sql_result_get_n_rows (result), ==, 5);
  g_assert_cmpstr (dbw_sql_result_get_value (result, 0, 0), ==, "1");
  g_assert_cmpstr (dbw_sql_result_get_value (result, 1, 0), ==, "3");
  g_assert_null (dbw_sql_result_get_value (result, 1, 2));
  g_assert_cmpstr (dbw_sql_result_get_value (result, 4, 0), ==, "9");
  g_assert_cmpstr (dbw_sql_result_get_value (result, 4, 1), ==, "Oslo");
  g_assert_nonnull (dbw_sql_result_get_statement_id (result));

  /* Three chunks: the first with the statement, two fetched. */
  g_assert_true (g_str_has_suffix (last_request (fixture)->path, "/result/chunks/2"));
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", "/api/2.0/sql/statements"), ==, 1);

  /* What was sent. */
  {
    g_autoptr(GPtrArray) requests = fake_databricks_get_requests (fixture->fake);
    FakeRequest *post = g_ptr_array_index (requests, 0);
    gsize size;
    gconstpointer bytes = g_bytes_get_data (post->body, &size);

    g_assert_cmpstr (post->path, ==, "/api/2.0/sql/statements");
    g_assert_true (json_parser_load_from_data (parser, bytes, size, NULL));
    body = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (body, "warehouse_id"), ==, WAREHOUSE);
    g_assert_cmpstr (json_object_get_string_member (body, "wait_timeout"), ==, "10s");
    g_assert_cmpstr (json_object_get_string_member (body, "on_wait_timeout"), ==, "CONTINUE");
    g_assert_cmpstr (json_object_get_string_member (body, "disposition"), ==, "INLINE");
    g_assert_cmpstr (json_object_get_string_member (body, "format"), ==, "JSON_ARRAY");
    parameter = json_array_get_object_element (json_object_get_array_member (body, "parameters"), 0);
    g_assert_cmpstr (json_object_get_string_member (parameter, "name"), ==, "city");
    g_assert_cmpstr (json_object_get_string_member (parameter, "value"), ==, "Oslo");
    g_assert_cmpstr (json_object_get_string_member (parameter, "type"), ==, "STRING");
  }
}

static void
test_sql_slow_polled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSqlResult) result = NULL;

  fake_databricks_set_slow_polls (fixture->fake, 3);
  result = execute (fixture->client, "SELECT count(*) AS n FROM readings", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_sql_result_get_n_rows (result), ==, 1);
  g_assert_cmpstr (dbw_sql_result_get_value (result, 0, 0), ==, "10");

  {
    g_autofree char *path = g_strconcat ("/api/2.0/sql/statements/", dbw_sql_result_get_statement_id (result), NULL);

    /* PENDING (the POST), RUNNING, RUNNING, then the result. */
    g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", path), ==, 3);
  }
}

static void
test_sql_failed (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSqlResult) result = NULL;

  result = execute (fixture->client, "SELECT nope FROM nowhere", NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED);
  g_assert_cmpstr (error->message, ==, "[PARSE_SYNTAX_ERROR] no such table: nowhere");
}

static void
test_sql_cancel (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSqlResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) requests = NULL;
  FakeRequest *cancel = NULL;
  gint64 start;

  fake_databricks_set_slow_polls (fixture->fake, 100000);
  dbw_databricks_set_poll_interval (fixture->client, 50);

  start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_cb, g_object_ref (cancellable), g_object_unref);
  result = execute (fixture->client, "SELECT * FROM readings", NULL, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* It was polled, then cancelled in the workspace too. */
  requests = fake_databricks_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, >=, 3);
  cancel = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpstr (cancel->method, ==, "POST");
  g_assert_true (g_str_has_prefix (cancel->path, "/api/2.0/sql/statements/"));
  g_assert_true (g_str_has_suffix (cancel->path, "/cancel"));
  g_assert_cmpstr (g_hash_table_lookup (cancel->headers, "authorization"), ==, "Bearer " TOKEN);
}

int
main (int   argc,
      char *argv[])
{
  /* Everything at debug level reaches the capture writer. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  /* Never through a proxy to the fake, whatever the environment says. */
  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);

  test_log_capture_install ();

  g_test_init (&argc, &argv, NULL);

#define ADD(path, oauth, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (oauth), fixture_setup, func, fixture_teardown)

  ADD ("/databricks/auth/pat-header", FALSE, test_pat_header);
  ADD ("/databricks/auth/oauth-token-cached", TRUE, test_oauth_token_cached);
  ADD ("/databricks/auth/oauth-single-flight", TRUE, test_oauth_single_flight);
  ADD ("/databricks/auth/oauth-refresh", TRUE, test_oauth_refresh);
  ADD ("/databricks/auth/oauth-wrong-secret", TRUE, test_oauth_wrong_secret);
  ADD ("/databricks/connection/ok", FALSE, test_connection_ok);
  ADD ("/databricks/connection/unauthorized", FALSE, test_connection_unauthorized);
  ADD ("/databricks/connection/warehouse-stopped", FALSE, test_connection_warehouse_stopped);
  ADD ("/databricks/connection/warehouse-missing", FALSE, test_connection_warehouse_missing);
  ADD ("/databricks/connection/bad-host", FALSE, test_connection_bad_host);
  ADD ("/databricks/uc/paging", FALSE, test_uc_paging);
  ADD ("/databricks/uc/invalid-names", FALSE, test_uc_invalid_names);
  ADD ("/databricks/sql/parameters-chunks", FALSE, test_sql_parameters_chunks);
  ADD ("/databricks/sql/slow-polled", FALSE, test_sql_slow_polled);
  ADD ("/databricks/sql/failed", FALSE, test_sql_failed);
  ADD ("/databricks/sql/cancel", FALSE, test_sql_cancel);

#undef ADD

  return g_test_run ();
}
