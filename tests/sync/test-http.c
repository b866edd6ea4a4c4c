/* test-http.c — DbwHttp against the fake workspace: JSON, retries, errors, cancellation
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dbw-http.h"
#include "fake-databricks.h"
#include "test-log-capture.h"

#define TOKEN "dapi-test-secret-0123456789abcdef"

/* Everything logged in this process, at every level, so a test can check what never
 * appears there. Written from worker threads too. */

typedef struct
{
  FakeDatabricks *fake;
  DbwHttp *http;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->fake = fake_databricks_new ();
  fixture->http = dbw_http_new ();
  /* Small delays keep the suite fast; the logic is the same. */
  dbw_http_set_retry_base_delay (fixture->http, 20);
  dbw_http_set_retry_max_delay (fixture->http, 200);
  dbw_http_set_max_attempts (fixture->http, 4);
  dbw_http_set_max_retry_wait (fixture->http, 5000);
  dbw_http_set_connect_timeout (fixture->http, 2000);
  dbw_http_set_timeout (fixture->http, 10000);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  DbwHttp *http = fixture->http;

  /* A worker thread drops its reference to the task just after returning the result;
   * wait for that, then check nothing else keeps the client alive. */
  g_object_add_weak_pointer (G_OBJECT (http), (gpointer *) &http);
  g_object_unref (fixture->http);
  while (http != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (http);
  fake_databricks_free (fixture->fake);
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fake_databricks_get_url (fixture->fake), path, NULL);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static JsonNode *
send_json (Fixture         *fixture,
           DbwHttpRequest  *request,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_http_send_json_async (fixture->http, request, cancellable, store_result_cb, &result);
  return dbw_http_send_json_finish (fixture->http, wait_for (&result), error);
}

static JsonNode *
get_json (Fixture     *fixture,
          const char  *path,
          GError     **error)
{
  g_autofree char *url = url_for (fixture, path);
  g_autoptr(DbwHttpRequest) request = dbw_http_request_new_json ("GET", url, NULL);

  return send_json (fixture, request, NULL, error);
}

static FakeRequest *
last_request (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = fake_databricks_get_requests (fixture->fake);

  g_assert_cmpuint (requests->len, >, 0);
  return g_ptr_array_index (requests, requests->len - 1);
}

static void
test_get_json (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *catalogs;

  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  object = json_node_get_object (node);
  catalogs = json_object_get_array_member (object, "catalogs");
  g_assert_cmpuint (json_array_get_length (catalogs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (catalogs, 0), "name"), ==, "main");
  g_assert_cmpstr (json_object_get_string_member (object, "next_page_token"), ==, "2");

  g_assert_cmpstr (last_request (fixture)->method, ==, "GET");
  g_assert_cmpuint (dbw_http_get_n_requests (fixture->http), ==, 1);
  g_assert_cmpuint (dbw_http_get_n_retries (fixture->http), ==, 0);
}

/* Follows next_page_token until the last page: every catalog once. */
static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *page_token = NULL;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *path = NULL;
      JsonObject *object;
      JsonArray *catalogs;

      if (page_token != NULL)
        path = g_strdup_printf ("/api/2.1/unity-catalog/catalogs?max_results=2&page_token=%s", page_token);
      else
        path = g_strdup ("/api/2.1/unity-catalog/catalogs?max_results=2");

      node = get_json (fixture, path, &error);
      g_assert_no_error (error);
      object = json_node_get_object (node);
      catalogs = json_object_get_array_member (object, "catalogs");
      for (guint i = 0; i < json_array_get_length (catalogs); i++)
        g_ptr_array_add (names, g_strdup (json_object_get_string_member (json_array_get_object_element (catalogs, i), "name")));

      g_free (page_token);
      page_token = g_strdup (json_object_get_string_member_with_default (object, "next_page_token", NULL));
    }
  while (page_token != NULL);

  g_assert_cmpuint (names->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (names, 4), ==, "restricted");
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.1/unity-catalog/catalogs"), ==, 3);
}

static void
test_post_json_body (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autofree char *url = url_for (fixture, "/api/2.0/sql/statements");
  /* The fake runs it on SQLite. */
  const char *text = "SELECT 'ünïcødé' || ' \"quoted\"' AS t";
  FakeRequest *seen;
  JsonObject *object;

  body = json_from_string ("{\"statement\": \"\", \"warehouse_id\": \"abc123\", \"wait_timeout\": \"10s\"}", NULL);
  json_object_set_string_member (json_node_get_object (body), "statement", text);
  request = dbw_http_request_new_json ("POST", url, body);

  node = send_json (fixture, request, NULL, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "status"), "state"), ==, "SUCCEEDED");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (json_object_get_array_member (json_object_get_object_member (object, "result"), "data_array"), 0), 0), ==, "ünïcødé \"quoted\"");

  seen = last_request (fixture);
  g_assert_cmpstr (seen->method, ==, "POST");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "content-type"), ==, "application/json");
  g_assert_true (g_bytes_equal (seen->body, dbw_http_request_get_body (request)));
}

static void
test_authorization (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autoptr(DbwHttpRequest) wrong = NULL;
  g_autofree char *url = url_for (fixture, "/api/2.1/unity-catalog/catalogs");

  fake_databricks_set_token (fixture->fake, TOKEN);

  test_log_capture_reset ();

  request = dbw_http_request_new_json ("GET", url, NULL);
  dbw_http_request_set_bearer_token (request, TOKEN);
  node = send_json (fixture, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (last_request (fixture)->headers, "authorization"), ==, "Bearer " TOKEN);

  /* A rejected token: the error names the problem, not the token. */
  wrong = dbw_http_request_new_json ("GET", url, NULL);
  dbw_http_request_set_bearer_token (wrong, TOKEN "-wrong");
  g_clear_pointer (&node, json_node_unref);
  node = send_json (fixture, wrong, NULL, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, TOKEN));

  /* The capture works: the exchange itself was logged... */
  g_assert_true (test_log_capture_contains ("GET http://127.0.0.1"));
  g_assert_true (test_log_capture_contains ("401"));
  /* ...and the token never was. */
  g_assert_false (test_log_capture_contains (TOKEN));
  g_assert_false (test_log_capture_contains ("Bearer"));
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start;

  fake_databricks_add_fault (fixture->fake, "/api/2.1/unity-catalog/catalogs", FAKE_FAULT_RATE_LIMIT, 1, 1);

  start = g_get_monotonic_time ();
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.1/unity-catalog/catalogs"), ==, 2);
  g_assert_cmpuint (dbw_http_get_n_requests (fixture->http), ==, 2);
  g_assert_cmpuint (dbw_http_get_n_retries (fixture->http), ==, 1);
}

static void
test_retry_unavailable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_UNAVAILABLE, 2, -1);

  start = g_get_monotonic_time ();
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  /* Backoff with equal jitter: at least 10 ms, then at least 20 ms. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 30 * 1000);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 3);
  g_assert_cmpuint (dbw_http_get_n_retries (fixture->http), ==, 2);
}

typedef struct
{
  DbwHttp *http;
  DbwHttpRequest *request;
  DbwHttpResponse *response;
  GError *error;
} BlockingSend;

static gpointer
blocking_send_thread (gpointer user_data)
{
  BlockingSend *send = user_data;

  send->response = dbw_http_send (send->http, send->request, NULL, &send->error);
  return NULL;
}

/* The blocking call, from a thread of the caller's own: same retries, same refusals. */
static void
test_blocking_send (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/api/2.1/unity-catalog/catalogs");
  g_autoptr(DbwHttpRequest) request = dbw_http_request_new_json ("GET", url, NULL);
  g_autoptr(DbwHttpRequest) insecure = dbw_http_request_new_json ("GET", "http://example.com/api", NULL);
  g_autoptr(DbwHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  BlockingSend send = { fixture->http, request, NULL, NULL };
  g_autofree char *text = NULL;
  GBytes *body;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_UNAVAILABLE, 1, -1);
  g_thread_join (g_thread_new ("blocking-send", blocking_send_thread, &send));
  response = g_steal_pointer (&send.response);
  g_assert_no_error (send.error);
  g_assert_cmpuint (dbw_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (dbw_http_response_get_attempts (response), ==, 2);
  body = dbw_http_response_get_body (response);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "\"catalogs\""));
  g_assert_cmpuint (dbw_http_get_n_retries (fixture->http), ==, 1);

  g_assert_null (dbw_http_send (fixture->http, insecure, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INSECURE_URL);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 2);
}

static void
test_retry_budget (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_RATE_LIMIT, FAKE_FAULT_FOREVER, 0);
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "REQUEST_LIMIT_EXCEEDED"));
  g_assert_nonnull (strstr (error->message, "4 attempts"));
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 4);

  /* A Retry-After longer than the remaining budget: give up at once rather than wait. */
  fake_databricks_clear_faults (fixture->fake);
  fake_databricks_clear_requests (fixture->fake);
  g_clear_error (&error);
  dbw_http_set_max_retry_wait (fixture->http, 500);
  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_UNAVAILABLE, FAKE_FAULT_FOREVER, 30);
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 1);
}

static void
test_post_not_retried (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{\"statement\": \"SELECT 1\", \"warehouse_id\": \"w\"}", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autofree char *url = url_for (fixture, "/api/2.0/sql/statements");

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_UNAVAILABLE, 1, -1);
  request = dbw_http_request_new_json ("POST", url, body);
  g_assert_false (dbw_http_request_get_idempotent (request));
  node = send_json (fixture, request, NULL, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", NULL), ==, 1);

  /* Marked idempotent, the same POST is retried. */
  g_clear_error (&error);
  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_UNAVAILABLE, 1, -1);
  g_clear_pointer (&request, dbw_http_request_unref);
  request = dbw_http_request_new_json ("POST", url, body);
  dbw_http_request_set_idempotent (request, TRUE);
  node = send_json (fixture, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", NULL), ==, 3);

  /* Turned away for its rate, a POST was not carried out: it is sent again after the
   * server's Retry-After, idempotent or not. */
  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_RATE_LIMIT, 1, -1);
  g_clear_pointer (&request, dbw_http_request_unref);
  g_clear_pointer (&node, json_node_unref);
  request = dbw_http_request_new_json ("POST", url, body);
  node = send_json (fixture, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", NULL), ==, 5);
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = get_json (fixture, "/api/2.1/unity-catalog/schemas?catalog_name=restricted", &error);
  g_assert_null (node);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==,
                   "The workspace refused the request (403 PERMISSION_DENIED): "
                   "User does not have USE CATALOG on catalog restricted");
  /* Not retried. */
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 1);

  g_clear_error (&error);
  node = get_json (fixture, "/api/2.1/unity-catalog/schemas?catalog_name=nope", &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Catalog 'nope' does not exist."));
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_TRUNCATE, FAKE_FAULT_FOREVER, 0);
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_null (node);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "broke off"));
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 4);

  /* Once, then a whole answer: the retry gets it. */
  fake_databricks_clear_faults (fixture->fake);
  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_TRUNCATE, 1, 0);
  g_clear_error (&error);
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
test_dropped (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_DROP, 2, 0);
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 3);
  g_assert_cmpuint (dbw_http_get_n_retries (fixture->http), ==, 2);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autofree char *url = NULL;
  gint64 start;

  /* A port that was free a moment ago and has nobody listening now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/api/2.1/unity-catalog/catalogs",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  start = g_get_monotonic_time ();
  request = dbw_http_request_new_json ("GET", url, NULL);
  node = send_json (fixture, request, NULL, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Could not connect"));
  /* Four attempts with short backoff, no connect timeout spent. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (dbw_http_get_n_requests (fixture->http), ==, 4);
}

static gboolean
on_plain_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, reply, sizeof reply - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* https:// to a server that answers in plain HTTP: the handshake fails, and says so. */
static void
test_tls_failure (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_plain_incoming), NULL);
  g_socket_service_start (service);

  url = g_strdup_printf ("https://127.0.0.1:%u/api/2.1/unity-catalog/catalogs",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  request = dbw_http_request_new_json ("GET", url, NULL);
  node = send_json (fixture, request, NULL, &error);
  g_socket_service_stop (service);
  g_assert_null (node);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_TLS);
  /* Not retried: a handshake does not get better by asking again. */
  g_assert_cmpuint (dbw_http_get_n_requests (fixture->http), ==, 1);
}

/* A name that cannot resolve (.invalid is reserved for that). */
static void
test_host_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;

  request = dbw_http_request_new_json ("GET", "https://workspace.databits-test.invalid/api/2.0/preview/scim/v2/Me", NULL);
  node = send_json (fixture, request, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HOST_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "workspace.databits-test.invalid"));
}

/* A workspace slower than the total timeout: a timeout error, each attempt cut short. */
static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start;

  dbw_http_set_timeout (fixture->http, 300);
  dbw_http_set_max_attempts (fixture->http, 2);
  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_DELAY, FAKE_FAULT_FOREVER, 3000);

  start = g_get_monotonic_time ();
  node = get_json (fixture, "/api/2.1/unity-catalog/catalogs", &error);
  g_assert_null (node);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_insecure_url (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;

  request = dbw_http_request_new_json ("GET", "http://example.com/api/2.1/unity-catalog/catalogs", NULL);
  node = send_json (fixture, request, NULL, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, "example.com"));
  /* Refused before any transfer started. */
  g_assert_cmpuint (dbw_http_get_n_requests (fixture->http), ==, 0);

  g_clear_error (&error);
  g_clear_pointer (&request, dbw_http_request_unref);
  request = dbw_http_request_new_json ("GET", "file:///etc/passwd", NULL);
  node = send_json (fixture, request, NULL, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL);
  g_assert_cmpuint (dbw_http_get_n_requests (fixture->http), ==, 0);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_transfer (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autofree char *url = url_for (fixture, "/api/2.1/unity-catalog/catalogs");
  gint64 start;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_DELAY, 1, 5000);
  request = dbw_http_request_new_json ("GET", url, NULL);

  start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, cancel_cb, g_object_ref (cancellable), g_object_unref);
  node = send_json (fixture, request, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);
  g_assert_cmpuint (dbw_http_get_n_retries (fixture->http), ==, 0);
}

static void
test_cancel_backoff (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autofree char *url = url_for (fixture, "/api/2.1/unity-catalog/catalogs");
  gint64 start;

  fake_databricks_add_fault (fixture->fake, NULL, FAKE_FAULT_RATE_LIMIT, 1, 4);
  request = dbw_http_request_new_json ("GET", url, NULL);

  start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 200, cancel_cb, g_object_ref (cancellable), g_object_unref);
  node = send_json (fixture, request, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 700 * 1000);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 1);
}

static void
test_response_headers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DbwHttpResponse) response = NULL;
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autofree char *url = url_for (fixture, "/api/2.1/unity-catalog/catalogs");

  request = dbw_http_request_new ("GET", url);
  dbw_http_send_async (fixture->http, request, NULL, store_result_cb, &result);
  response = dbw_http_send_finish (fixture->http, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_http_response_get_status (response), ==, 200);
  g_assert_cmpstr (dbw_http_response_get_content_type (response), ==, "application/json");
  g_assert_cmpstr (dbw_http_response_get_header (response, "SERVER"), ==, "fake-databricks");
  g_assert_cmpuint (dbw_http_response_get_attempts (response), ==, 1);
  g_assert_cmpuint (g_bytes_get_size (dbw_http_response_get_body (response)), >, 0);
}

/* --- streaming to and from files ------------------------------------------------------------ */

#define VOLUME_FILE "/api/2.0/fs/files/Volumes/main/sales/raw_files/big.bin"

/* A few MB that are not all alike, so a chunk out of place would show. */
static GBytes *
make_contents (gsize size)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);

  return g_bytes_new_take (data, size);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-http-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted and joined with spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

static GFile *
write_temp_file (const char *dir,
                 const char *name,
                 GBytes     *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
assert_file_contents (const char *path,
                      GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static DbwHttpResponse *
send_raw (Fixture         *fixture,
          DbwHttpRequest  *request,
          GCancellable    *cancellable,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_http_send_async (fixture->http, request, cancellable, store_result_cb, &result);
  return dbw_http_send_finish (fixture->http, wait_for (&result), error);
}

static DbwHttpResponse *
upload (Fixture     *fixture,
        GFile       *source,
        GError     **error)
{
  g_autofree char *url = url_for (fixture, VOLUME_FILE "?overwrite=true");
  g_autoptr(DbwHttpRequest) request = dbw_http_request_new ("PUT", url);

  dbw_http_request_set_body_file (request, source, "application/octet-stream");
  return send_raw (fixture, request, NULL, error);
}

static DbwHttpResponse *
download (Fixture       *fixture,
          const char    *path,
          GFile         *destination,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *url = url_for (fixture, path);
  g_autoptr(DbwHttpRequest) request = dbw_http_request_new ("GET", url);

  dbw_http_request_set_response_file (request, destination);
  return send_raw (fixture, request, cancellable, error);
}

static void
test_stream_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = make_contents (3 * 1024 * 1024 + 17);
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GFile) source = write_temp_file (dir, "source.bin", contents);
  g_autofree char *copy_path = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autofree char *stored = fake_databricks_get_local_path (fixture->fake, "/Volumes/main/sales/raw_files/big.bin");
  g_autoptr(DbwHttpResponse) sent = NULL;
  g_autoptr(DbwHttpResponse) received = NULL;
  g_autofree char *names = NULL;
  FakeRequest *seen;

  sent = upload (fixture, source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_http_response_get_status (sent), ==, 204);
  seen = last_request (fixture);
  g_assert_cmpstr (seen->method, ==, "PUT");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "content-type"), ==, "application/octet-stream");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "content-length"), ==, "3145745");
  assert_file_contents (stored, contents);

  received = download (fixture, VOLUME_FILE, copy, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_http_response_get_status (received), ==, 200);
  /* In the file, not in memory. */
  g_assert_cmpuint (g_bytes_get_size (dbw_http_response_get_body (received)), ==, 0);
  assert_file_contents (copy_path, contents);

  /* No temporary file left beside it. */
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "copy.bin source.bin");

  remove_temp_dir (dir);
}

/* A 503 after the whole body went out: the second attempt sends it all again. */
static void
test_stream_upload_retried (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = make_contents (2 * 1024 * 1024);
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GFile) source = write_temp_file (dir, "source.bin", contents);
  g_autofree char *stored = fake_databricks_get_local_path (fixture->fake, "/Volumes/main/sales/raw_files/big.bin");
  g_autoptr(DbwHttpResponse) response = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  fake_databricks_add_fault (fixture->fake, VOLUME_FILE, FAKE_FAULT_UNAVAILABLE, 1, -1);
  response = upload (fixture, source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_http_response_get_attempts (response), ==, 2);

  requests = fake_databricks_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 2);
  for (guint i = 0; i < requests->len; i++)
    g_assert_true (g_bytes_equal (((FakeRequest *) g_ptr_array_index (requests, i))->body, contents));
  assert_file_contents (stored, contents);

  remove_temp_dir (dir);
}

static void
test_stream_upload_missing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = g_file_new_for_path ("/nonexistent/source.bin");
  g_autoptr(DbwHttpResponse) response = NULL;

  response = upload (fixture, source, &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/source.bin"));
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

/* A body that breaks off half way is retried; one that always does leaves the old file. */
static void
test_stream_download_truncated (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = make_contents (1024 * 1024);
  g_autoptr(GBytes) old = g_bytes_new_static ("old", 3);
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GFile) destination = write_temp_file (dir, "copy.bin", old);
  g_autofree char *stored = fake_databricks_get_local_path (fixture->fake, "/Volumes/main/sales/raw_files/big.bin");
  g_autofree char *stored_dir = g_path_get_dirname (stored);
  g_autofree char *names = NULL;
  g_autoptr(DbwHttpResponse) response = NULL;

  g_assert_cmpint (g_mkdir_with_parents (stored_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stored, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), NULL));

  fake_databricks_add_fault (fixture->fake, VOLUME_FILE, FAKE_FAULT_TRUNCATE, FAKE_FAULT_FOREVER, 0);
  response = download (fixture, VOLUME_FILE, destination, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", NULL), ==, 4);
  assert_file_contents (g_file_peek_path (destination), old);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "copy.bin");

  g_clear_error (&error);
  g_clear_pointer (&names, g_free);
  fake_databricks_clear_faults (fixture->fake);
  fake_databricks_add_fault (fixture->fake, VOLUME_FILE, FAKE_FAULT_TRUNCATE, 1, 0);
  response = download (fixture, VOLUME_FILE, destination, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_http_response_get_attempts (response), ==, 2);
  assert_file_contents (g_file_peek_path (destination), contents);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "copy.bin");

  remove_temp_dir (dir);
}

/* An error answer is read from memory; nothing is written. */
static void
test_stream_download_error (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(DbwHttpResponse) response = NULL;
  g_autofree char *names = NULL;

  response = download (fixture, "/api/2.0/fs/files/Volumes/main/sales/raw_files/none.bin", destination, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Not found (404 NOT_FOUND): The file does not exist.");
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "");

  remove_temp_dir (dir);
}

static gboolean
has_part_file (const char *dir)
{
  g_autofree char *names = list_dir (dir);

  return strstr (names, ".part") != NULL;
}

/* Cancelled while half the body is on disk: the partial file goes. */
static void
test_stream_download_cancelled (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = make_contents (1024 * 1024);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autofree char *stored = fake_databricks_get_local_path (fixture->fake, "/Volumes/main/sales/raw_files/big.bin");
  g_autofree char *stored_dir = g_path_get_dirname (stored);
  g_autofree char *url = url_for (fixture, VOLUME_FILE);
  g_autoptr(DbwHttpRequest) request = dbw_http_request_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DbwHttpResponse) response = NULL;
  g_autofree char *names = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_cmpint (g_mkdir_with_parents (stored_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stored, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), NULL));

  fake_databricks_add_fault (fixture->fake, VOLUME_FILE, FAKE_FAULT_STALL, 1, 10000);
  dbw_http_request_set_response_file (request, destination);
  dbw_http_send_async (fixture->http, request, cancellable, store_result_cb, &result);

  /* Half the body has been written to the temporary file. */
  while (!has_part_file (dir) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_true (has_part_file (dir));

  g_cancellable_cancel (cancellable);
  response = dbw_http_send_finish (fixture->http, wait_for (&result), &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "");

  remove_temp_dir (dir);
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/http/get-json", test_get_json);
  ADD ("/http/paging", test_paging);
  ADD ("/http/post-json-body", test_post_json_body);
  ADD ("/http/response-headers", test_response_headers);
  ADD ("/http/authorization/sent-not-logged", test_authorization);
  ADD ("/http/retry/retry-after", test_retry_after);
  ADD ("/http/retry/unavailable-backoff", test_retry_unavailable);
  ADD ("/http/retry/budget-exhausted", test_retry_budget);
  ADD ("/http/blocking-send", test_blocking_send);
  ADD ("/http/retry/post-only-when-idempotent", test_post_not_retried);
  ADD ("/http/retry/dropped-connection", test_dropped);
  ADD ("/http/error/forbidden-message", test_forbidden);
  ADD ("/http/error/truncated-body", test_truncated);
  ADD ("/http/error/connection-refused", test_connection_refused);
  ADD ("/http/error/insecure-url", test_insecure_url);
  ADD ("/http/error/tls-handshake", test_tls_failure);
  ADD ("/http/error/host-not-found", test_host_not_found);
  ADD ("/http/error/timeout", test_timeout);
  ADD ("/http/cancel/during-transfer", test_cancel_transfer);
  ADD ("/http/cancel/during-backoff", test_cancel_backoff);
  ADD ("/http/stream/round-trip", test_stream_round_trip);
  ADD ("/http/stream/upload-retried", test_stream_upload_retried);
  ADD ("/http/stream/upload-missing-file", test_stream_upload_missing);
  ADD ("/http/stream/download-truncated", test_stream_download_truncated);
  ADD ("/http/stream/download-error-body", test_stream_download_error);
  ADD ("/http/stream/download-cancelled", test_stream_download_cancelled);

#undef ADD

  return g_test_run ();
}
