/* fake-databricks.c — a Databricks workspace on 127.0.0.1 for the sync tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-databricks"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fake-databricks.h"

/* The server runs in its own thread with its own GMainContext, so a test can block on its
 * own main context (or not run one at all) without starving the server. Everything the test
 * thread touches (faults, the request log, the token) sits behind one mutex.
 *
 * Endpoints live in a table keyed by method and path prefix; the full fake workspace (SQL on
 * its own SQLite database, Files in a temporary directory) adds rows to it. */

typedef void (*FakeHandler) (FakeDatabricks    *self,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             GBytes            *body);

typedef struct
{
  const char *method;
  const char *path_prefix;
  gboolean exact;
  FakeHandler handler;
} FakeRoute;

typedef struct
{
  char *path_prefix;    /* NULL: any path */
  FakeFault fault;
  guint remaining;
  int value;
} FakeFaultEntry;

struct _FakeDatabricks
{
  GMutex mutex;
  GCond cond;
  GThread *thread;
  GMainContext *context;
  gint stopping;        /* atomic */
  SoupServer *server;   /* owned by the server thread */
  char *url;
  GError *start_error;

  /* under mutex */
  char *token;
  GQueue faults;        /* FakeFaultEntry */
  GPtrArray *requests;  /* FakeRequest */
};

/* --- helpers -------------------------------------------------------------------------- */

static void
fake_request_free (FakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_hash_table_unref (request->headers);
  g_bytes_unref (request->body);
  g_free (request);
}

static void
fault_entry_free (FakeFaultEntry *entry)
{
  g_free (entry->path_prefix);
  g_free (entry);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

/* Databricks error bodies: {"error_code": "...", "message": "..."} */
static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *error_code,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error_code");
  json_builder_add_string_value (builder, error_code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  reply_json (msg, status, node);
}

/* --- endpoints ------------------------------------------------------------------------ */

static const char * const catalogs[] = { "main", "samples", "system", "dev", "restricted" };

/* GET /api/2.1/unity-catalog/catalogs?max_results=N&page_token=T */
static void
handle_list_catalogs (FakeDatabricks    *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      GBytes            *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *max_results = query != NULL ? g_hash_table_lookup (query, "max_results") : NULL;
  const char *page_token = query != NULL ? g_hash_table_lookup (query, "page_token") : NULL;
  guint64 start = 0, page_size = 2;
  guint64 i;

  if ((max_results != NULL && !g_ascii_string_to_unsigned (max_results, 10, 1, 1000, &page_size, NULL)) ||
      (page_token != NULL && !g_ascii_string_to_unsigned (page_token, 10, 0, G_N_ELEMENTS (catalogs), &start, NULL)))
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Invalid max_results or page_token");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "catalogs");
  json_builder_begin_array (builder);
  for (i = start; i < G_N_ELEMENTS (catalogs) && i < start + page_size; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, catalogs[i]);
      json_builder_set_member_name (builder, "owner");
      json_builder_add_string_value (builder, "admins");
      json_builder_set_member_name (builder, "catalog_type");
      json_builder_add_string_value (builder, "MANAGED_CATALOG");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (i < G_N_ELEMENTS (catalogs))
    {
      g_autofree char *next = g_strdup_printf ("%" G_GUINT64_FORMAT, i);

      json_builder_set_member_name (builder, "next_page_token");
      json_builder_add_string_value (builder, next);
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

/* GET /api/2.1/unity-catalog/schemas?catalog_name=C — "restricted" answers 403. */
static void
handle_list_schemas (FakeDatabricks    *self,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     GBytes            *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *catalog = query != NULL ? g_hash_table_lookup (query, "catalog_name") : NULL;
  gboolean known = FALSE;

  for (guint i = 0; catalog != NULL && i < G_N_ELEMENTS (catalogs); i++)
    known |= g_str_equal (catalog, catalogs[i]);

  if (catalog == NULL)
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "catalog_name is required");
      return;
    }
  if (!known)
    {
      g_autofree char *message = g_strdup_printf ("Catalog '%s' does not exist.", catalog);
      reply_error (msg, 404, "CATALOG_DOES_NOT_EXIST", message);
      return;
    }
  if (g_str_equal (catalog, "restricted"))
    {
      g_autofree char *message = g_strdup_printf ("User does not have USE CATALOG on catalog %s", catalog);
      reply_error (msg, 403, "PERMISSION_DENIED", message);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schemas");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "default");
  json_builder_set_member_name (builder, "catalog_name");
  json_builder_add_string_value (builder, catalog);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

/* POST /api/2.0/sql/statements — for now answers one row, one column: the statement text. */
static void
handle_execute_statement (FakeDatabricks    *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *statement_id = NULL;
  JsonObject *request;
  const char *statement;
  gconstpointer data;
  gsize size;

  data = g_bytes_get_data (body, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (msg, 400, "MALFORMED_REQUEST", "Request body is not a JSON object");
      return;
    }

  request = json_node_get_object (json_parser_get_root (parser));
  statement = json_object_get_string_member_with_default (request, "statement", NULL);
  if (statement == NULL || json_object_get_string_member_with_default (request, "warehouse_id", NULL) == NULL)
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "statement and warehouse_id are required");
      return;
    }

  statement_id = g_uuid_string_random ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "statement_id");
  json_builder_add_string_value (builder, statement_id);
  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, "SUCCEEDED");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "manifest");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "JSON_ARRAY");
  json_builder_set_member_name (builder, "schema");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "column_count");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "statement");
  json_builder_set_member_name (builder, "type_name");
  json_builder_add_string_value (builder, "STRING");
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, 0);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "total_row_count");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "result");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "row_count");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "data_array");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, statement);
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

static const FakeRoute routes[] = {
  { "GET", "/api/2.1/unity-catalog/catalogs", TRUE, handle_list_catalogs },
  { "GET", "/api/2.1/unity-catalog/schemas", TRUE, handle_list_schemas },
  { "POST", "/api/2.0/sql/statements", TRUE, handle_execute_statement },
};

/* --- dispatch -------------------------------------------------------------------------- */

static void
dispatch (FakeDatabricks    *self,
          SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *query_string = g_uri_get_query (uri);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *expected = NULL;

  g_mutex_lock (&self->mutex);
  if (self->token != NULL)
    expected = g_strconcat ("Bearer ", self->token, NULL);
  g_mutex_unlock (&self->mutex);

  if (expected != NULL &&
      g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), expected) != 0)
    {
      reply_error (msg, 401, "UNAUTHENTICATED", "Invalid access token.");
      return;
    }

  if (query_string != NULL)
    query = soup_form_decode (query_string);
  body = soup_message_body_flatten (request_body);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const FakeRoute *route = &routes[i];

      if (!g_str_equal (route->method, method))
        continue;
      if (route->exact ? !g_str_equal (route->path_prefix, path) : !g_str_has_prefix (path, route->path_prefix))
        continue;

      route->handler (self, msg, path, query, body);
      return;
    }

  reply_error (msg, 404, "ENDPOINT_NOT_FOUND", "No API found for this path");
}

static void
log_request (FakeDatabricks    *self,
             SoupServerMessage *msg)
{
  FakeRequest *request = g_new0 (FakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_insert (request->headers, g_ascii_strdown (name, -1), g_strdup (value));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, request);
  g_mutex_unlock (&self->mutex);
}

static gboolean
take_fault (FakeDatabricks *self,
            const char     *path,
            FakeFault      *fault,
            int            *value)
{
  gboolean found = FALSE;

  g_mutex_lock (&self->mutex);
  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      FakeFaultEntry *entry = l->data;

      if (entry->remaining == 0)
        continue;
      if (entry->path_prefix != NULL && !g_str_has_prefix (path, entry->path_prefix))
        continue;

      if (entry->remaining != FAKE_FAULT_FOREVER)
        entry->remaining--;
      *fault = entry->fault;
      *value = entry->value;
      found = TRUE;
      break;
    }
  g_mutex_unlock (&self->mutex);

  return found;
}

/* Answers by hand on the stolen connection: the headers promise the whole body, half of it
 * arrives, then the connection closes. */
static void
send_truncated (FakeDatabricks    *self,
                SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *head = NULL;
  const char *content_type;
  GOutputStream *output;
  gsize size;
  gconstpointer data;

  dispatch (self, msg);
  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  data = g_bytes_get_data (body, &size);
  content_type = soup_message_headers_get_content_type (soup_server_message_get_response_headers (msg), NULL);

  head = g_strdup_printf ("HTTP/1.1 %u OK\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          soup_server_message_get_status (msg),
                          content_type != NULL ? content_type : "application/octet-stream",
                          size);

  stream = soup_server_message_steal_connection (msg);
  output = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (output, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (output, data, size / 2, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  FakeDatabricks *self;
  SoupServerMessage *msg;
  GSource *source;
  gulong disconnected_id;
} DelayedReply;

static void
delayed_reply_free (gpointer user_data)
{
  DelayedReply *delayed = user_data;

  g_clear_signal_handler (&delayed->disconnected_id, delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static gboolean
on_delay_elapsed_cb (gpointer user_data)
{
  DelayedReply *delayed = user_data;

  dispatch (delayed->self, delayed->msg);
  soup_server_message_unpause (delayed->msg);

  return G_SOURCE_REMOVE;
}

static void
on_delayed_disconnected_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  DelayedReply *delayed = user_data;

  /* The client went away (cancelled): nobody to answer. Frees @delayed. */
  g_source_destroy (delayed->source);
}

static void
delay_reply (FakeDatabricks    *self,
             SoupServerMessage *msg,
             guint              msec)
{
  DelayedReply *delayed = g_new0 (DelayedReply, 1);
  g_autoptr(GSource) source = g_timeout_source_new (msec);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->source = source;
  delayed->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (on_delayed_disconnected_cb), delayed);

  soup_server_message_pause (msg);
  g_source_set_callback (source, on_delay_elapsed_cb, delayed, delayed_reply_free);
  g_source_attach (source, self->context);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeDatabricks *self = user_data;
  FakeFault fault;
  int value;

  log_request (self, msg);

  if (!take_fault (self, path, &fault, &value))
    {
      dispatch (self, msg);
      return;
    }

  switch (fault)
    {
    case FAKE_FAULT_RATE_LIMIT:
    case FAKE_FAULT_UNAVAILABLE:
      if (value >= 0)
        {
          g_autofree char *seconds = g_strdup_printf ("%d", value);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", seconds);
        }
      if (fault == FAKE_FAULT_RATE_LIMIT)
        reply_error (msg, 429, "REQUEST_LIMIT_EXCEEDED", "Too many requests; slow down.");
      else
        reply_error (msg, 503, "TEMPORARILY_UNAVAILABLE", "The service is temporarily unavailable.");
      break;

    case FAKE_FAULT_DELAY:
      delay_reply (self, msg, (guint) MAX (0, value));
      break;

    case FAKE_FAULT_TRUNCATE:
      send_truncated (self, msg);
      break;

    case FAKE_FAULT_DROP:
      drop_connection (msg);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* --- the server thread ----------------------------------------------------------------- */

static gpointer
server_thread (gpointer user_data)
{
  FakeDatabricks *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "fake-databricks", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      uris = soup_server_get_uris (self->server);
      g_assert (uris != NULL);
      g_mutex_lock (&self->mutex);
      self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      g_mutex_unlock (&self->mutex);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->mutex);
  self->start_error = g_steal_pointer (&error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* A flag rather than g_main_loop_quit(): quitting a loop that has not started running
   * yet is lost, and the thread would never stop. */
  while (self->start_error == NULL && !g_atomic_int_get (&self->stopping))
    g_main_context_iteration (self->context, TRUE);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  /* Let the closed connections finish tearing down. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/* --- public API ------------------------------------------------------------------------ */

FakeDatabricks *
fake_databricks_new (void)
{
  FakeDatabricks *self = g_new0 (FakeDatabricks, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->faults);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_request_free);
  self->context = g_main_context_new ();

  self->thread = g_thread_new ("fake-databricks", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (self->url == NULL && self->start_error == NULL)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    g_error ("fake-databricks could not listen: %s", self->start_error->message);

  return self;
}

void
fake_databricks_free (FakeDatabricks *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->stopping, TRUE);
  g_main_context_wakeup (self->context);
  g_thread_join (self->thread);

  g_main_context_unref (self->context);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_entry_free);
  g_ptr_array_unref (self->requests);
  g_clear_error (&self->start_error);
  g_free (self->token);
  g_free (self->url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

/* "http://127.0.0.1:PORT", no trailing slash. */
const char *
fake_databricks_get_url (FakeDatabricks *self)
{
  return self->url;
}

/* With a token set, every request must carry "Authorization: Bearer TOKEN" or gets 401. */
void
fake_databricks_set_token (FakeDatabricks *self,
                           const char     *token)
{
  g_mutex_lock (&self->mutex);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->mutex);
}

/**
 * fake_databricks_add_fault:
 * @path_prefix: (nullable): only requests whose path starts with this; %NULL for all
 * @count: how many requests it applies to, or %FAKE_FAULT_FOREVER
 * @value: Retry-After seconds (-1: none) for the status faults, milliseconds for a delay
 *
 * Faults are matched in the order they were added; a request takes at most one.
 */
void
fake_databricks_add_fault (FakeDatabricks *self,
                           const char     *path_prefix,
                           FakeFault       fault,
                           guint           count,
                           int             value)
{
  FakeFaultEntry *entry = g_new0 (FakeFaultEntry, 1);

  entry->path_prefix = g_strdup (path_prefix);
  entry->fault = fault;
  entry->remaining = count;
  entry->value = value;

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->faults, entry);
  g_mutex_unlock (&self->mutex);
}

void
fake_databricks_clear_faults (FakeDatabricks *self)
{
  g_mutex_lock (&self->mutex);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_entry_free);
  g_queue_init (&self->faults);
  g_mutex_unlock (&self->mutex);
}

/* Returns: (transfer container): the requests seen so far, oldest first; the entries stay
 * valid until fake_databricks_clear_requests() or fake_databricks_free(). */
GPtrArray *
fake_databricks_get_requests (FakeDatabricks *self)
{
  GPtrArray *copy;

  g_mutex_lock (&self->mutex);
  copy = g_ptr_array_copy (self->requests, NULL, NULL);
  g_mutex_unlock (&self->mutex);

  /* The copy inherits the free function; the entries still belong to the log. */
  g_ptr_array_set_free_func (copy, NULL);

  return copy;
}

/* @method and @path may be %NULL to count any. */
guint
fake_databricks_count_requests (FakeDatabricks *self,
                                const char     *method,
                                const char     *path)
{
  guint count = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      FakeRequest *request = g_ptr_array_index (self->requests, i);

      if ((method == NULL || g_str_equal (method, request->method)) &&
          (path == NULL || g_str_equal (path, request->path)))
        count++;
    }
  g_mutex_unlock (&self->mutex);

  return count;
}

void
fake_databricks_clear_requests (FakeDatabricks *self)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->requests, 0);
  g_mutex_unlock (&self->mutex);
}
