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
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "fake-databricks.h"
#include "fake-sql.h"

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
  char *body_needle;    /* NULL: any request body */
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

  char *client_id;      /* OAuth M2M: Basic auth at /oidc/v1/token */
  char *client_secret;
  guint expires_in;
  GHashTable *issued;   /* access token → gint64 monotonic expiry (boxed) */
  guint n_issued;
  char *user_name;
  GHashTable *warehouses; /* id → FakeWarehouse */
  guint page_size;
  guint chunk_size;
  gint64 inline_limit;  /* bytes an INLINE result may have; beyond, the statement fails */
  guint n_external_fetches;
  guint slow_polls;
  guint n_merges;
  double fault_rate;
  GRand *fault_rand;
  GHashTable *created_volumes;  /* "catalog.schema.volume" */
  GHashTable *statements; /* id → FakeStatement */
  GHashTable *tags;     /* "type/name" → GPtrArray of key, value, key, value… */
  GPtrArray *endpoints; /* FakeEndpoint */
  GHashTable *experiments; /* name → id */
  GHashTable *mlflow_runs; /* run id → JsonObject */
  GHashTable *job_runs; /* run id (gsize) → FakeJobRun */
  GHashTable *job_tokens; /* idempotency token → run id (gsize) */
  struct _FakeJobScript *job_script; /* how runs submitted from now on play out, or NULL */
  char *files_root;     /* a temporary directory; set up before the thread starts */
  sqlite3 *db;          /* used by the server thread only, after setup */
};

typedef struct
{
  char *name;
  char *state;
} FakeWarehouse;

typedef struct
{
  char *id;
  char *state;          /* final: SUCCEEDED or FAILED; CANCELED once cancelled */
  char *error;
  guint polls_left;     /* answers RUNNING until this reaches 0 */
  GPtrArray *columns;   /* char * */
  GPtrArray *types;     /* char * */
  GPtrArray *rows;      /* GPtrArray of char * (nullable) */
  gboolean truncated;   /* rows were left out at the request's byte_limit */
  gboolean external;    /* disposition EXTERNAL_LINKS: chunks are links to /external/ */
} FakeStatement;

typedef struct
{
  char *name;
  char *ready;
  char *config_update;
  char *task;
} FakeEndpoint;

/* A submitted run that plays out by itself, as a training script would: PENDING on the
 * first runs/get, RUNNING for running_polls more, then TERMINATED with result_state;
 * on SUCCESS it leaves result_json at its task's "--output" path. */
typedef struct _FakeJobScript
{
  guint running_polls;
  char *result_state;
  char *state_message;
  char *result_json;
} FakeJobScript;

typedef struct
{
  gint64 run_id;
  char *run_name;
  char *life_cycle_state;
  char *result_state;
  char *state_message;
  JsonNode *spec;        /* the runs/submit request */
  FakeJobScript *script; /* NULL: moved on by fake_databricks_set_job_run_state() only */
  char *output;          /* the spark_python_task's --output parameter */
  guint polls;
} FakeJobRun;

static void
fake_job_script_free (FakeJobScript *script)
{
  if (script == NULL)
    return;
  g_free (script->result_state);
  g_free (script->state_message);
  g_free (script->result_json);
  g_free (script);
}

static FakeJobScript *
fake_job_script_copy (const FakeJobScript *script)
{
  FakeJobScript *copy = g_new0 (FakeJobScript, 1);

  copy->running_polls = script->running_polls;
  copy->result_state = g_strdup (script->result_state);
  copy->state_message = g_strdup (script->state_message);
  copy->result_json = g_strdup (script->result_json);

  return copy;
}

static void
fake_endpoint_free (FakeEndpoint *endpoint)
{
  g_free (endpoint->name);
  g_free (endpoint->ready);
  g_free (endpoint->config_update);
  g_free (endpoint->task);
  g_free (endpoint);
}

static void
fake_job_run_set_state (FakeJobRun *run,
                        const char *life_cycle_state,
                        const char *result_state,
                        const char *state_message)
{
  g_free (run->life_cycle_state);
  g_free (run->result_state);
  g_free (run->state_message);
  run->life_cycle_state = g_strdup (life_cycle_state);
  run->result_state = g_strdup (result_state);
  run->state_message = g_strdup (state_message);
}

static void
fake_warehouse_free (FakeWarehouse *warehouse)
{
  g_free (warehouse->name);
  g_free (warehouse->state);
  g_free (warehouse);
}

static void
fake_statement_free (FakeStatement *statement)
{
  g_free (statement->id);
  g_free (statement->state);
  g_free (statement->error);
  g_ptr_array_unref (statement->columns);
  g_ptr_array_unref (statement->types);
  g_ptr_array_unref (statement->rows);
  g_free (statement);
}

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
  g_free (entry->body_needle);
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

static void reply_schemas (FakeDatabricks    *self,
                           SoupServerMessage *msg,
                           GHashTable        *query,
                           const char        *catalog);

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

  reply_schemas (self, msg, query, catalog);
}

/* A small Unity Catalog: main has three schemas; main.sales three tables and three volumes,
 * so that with the default page size of 2 every listing takes two pages. */
typedef struct
{
  const char *catalog;
  const char *schema;
  const char *name;
  const char *comment;
  const char *columns;  /* "name:type:comment;…" */
  const char *type;     /* table_type or volume_type */
} FakeUcObject;

static const FakeUcObject uc_schemas[] = {
  { "main", NULL, "default", NULL, NULL, NULL },
  { "main", NULL, "sales", "Orders and customers", NULL, NULL },
  { "main", NULL, "staging", NULL, NULL, NULL },
  { "samples", NULL, "clinic", "Patients and their visits", NULL, NULL },
};

/* Every table here is also in the SQLite database, named "catalog.schema.table", with
 * the same columns (see fake_databricks_new()). */
static const FakeUcObject uc_tables[] = {
  { "main", "sales", "orders", "One row per order", "id:bigint:Order id;amount:decimal(10,2):;note:string:Free text", "MANAGED" },
  { "main", "sales", "customers", NULL, "id:bigint:;name:string:Full name", "MANAGED" },
  { "main", "sales", "returns", "Returned items", "order_id:bigint:;reason:string:", "VIEW" },
  { "samples", "clinic", "patients", "One row per patient", "id:bigint:;name:string:;ssn:string:Social security number;age:int:", "MANAGED" },
  { "samples", "clinic", "visits", NULL, "patient_id:bigint:;visited:date:;diagnosis:string:", "MANAGED" },
};

static const FakeUcObject uc_volumes[] = {
  { "main", "sales", "raw_files", "Uploads", NULL, "MANAGED" },
  { "main", "sales", "exports", NULL, NULL, "EXTERNAL" },
  { "main", "sales", "images", NULL, NULL, "MANAGED" },
  { "samples", "clinic", "scans", "Scanned forms", NULL, "MANAGED" },
};

static guint
page_size_for (FakeDatabricks *self,
               GHashTable     *query)
{
  const char *max_results = query != NULL ? g_hash_table_lookup (query, "max_results") : NULL;
  guint64 size = 0;

  if (max_results != NULL && g_ascii_string_to_unsigned (max_results, 10, 1, 1000, &size, NULL))
    return (guint) size;

  g_mutex_lock (&self->mutex);
  size = self->page_size;
  g_mutex_unlock (&self->mutex);

  return (guint) size;
}

/* Answers one page of @items (JsonNode objects) as {member: [...], next_page_token}. */
static void
reply_page (FakeDatabricks    *self,
            SoupServerMessage *msg,
            GHashTable        *query,
            const char        *member,
            GPtrArray         *items)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  const char *page_token = query != NULL ? g_hash_table_lookup (query, "page_token") : NULL;
  guint page_size = page_size_for (self, query);
  JsonArray *array = json_array_new ();
  guint64 start = 0;
  guint i;

  if (page_token != NULL && !g_ascii_string_to_unsigned (page_token, 10, 0, items->len, &start, NULL))
    {
      json_array_unref (array);
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Invalid page_token");
      return;
    }

  for (i = (guint) start; i < items->len && i < start + page_size; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (items, i)));
  json_object_set_array_member (object, member, array);
  if (i < items->len)
    {
      g_autofree char *next = g_strdup_printf ("%u", i);
      json_object_set_string_member (object, "next_page_token", next);
    }

  json_node_set_object (node, object);
  reply_json (msg, 200, node);
}

static gboolean
check_catalog_schema (SoupServerMessage  *msg,
                      GHashTable         *query,
                      const char        **catalog_out,
                      const char        **schema_out)
{
  const char *catalog = query != NULL ? g_hash_table_lookup (query, "catalog_name") : NULL;
  const char *schema = query != NULL ? g_hash_table_lookup (query, "schema_name") : NULL;
  gboolean known = FALSE;

  if (catalog == NULL || schema == NULL)
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "catalog_name and schema_name are required");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (uc_schemas); i++)
    known |= g_str_equal (catalog, uc_schemas[i].catalog) && g_str_equal (schema, uc_schemas[i].name);
  if (!known)
    {
      g_autofree char *message = g_strdup_printf ("Schema '%s.%s' does not exist.", catalog, schema);
      reply_error (msg, 404, "SCHEMA_DOES_NOT_EXIST", message);
      return FALSE;
    }

  *catalog_out = catalog;
  *schema_out = schema;
  return TRUE;
}

static JsonNode *
uc_object_node (const FakeUcObject *object,
                const char         *type_member,
                const char         *type_value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *full_name = NULL;

  full_name = object->schema != NULL ?
    g_strdup_printf ("%s.%s.%s", object->catalog, object->schema, object->name) :
    g_strdup_printf ("%s.%s", object->catalog, object->name);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, object->name);
  json_builder_set_member_name (builder, "catalog_name");
  json_builder_add_string_value (builder, object->catalog);
  if (object->schema != NULL)
    {
      json_builder_set_member_name (builder, "schema_name");
      json_builder_add_string_value (builder, object->schema);
    }
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, full_name);
  if (object->comment != NULL)
    {
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, object->comment);
    }
  if (type_member != NULL)
    {
      json_builder_set_member_name (builder, type_member);
      json_builder_add_string_value (builder, type_value);
    }
  if (object->columns != NULL)
    {
      g_auto(GStrv) columns = g_strsplit (object->columns, ";", -1);

      json_builder_set_member_name (builder, "columns");
      json_builder_begin_array (builder);
      for (guint i = 0; columns[i] != NULL; i++)
        {
          g_auto(GStrv) parts = g_strsplit (columns[i], ":", 3);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, parts[0]);
          json_builder_set_member_name (builder, "type_text");
          json_builder_add_string_value (builder, parts[1]);
          json_builder_set_member_name (builder, "position");
          json_builder_add_int_value (builder, i);
          if (parts[2] != NULL && *parts[2] != '\0')
            {
              json_builder_set_member_name (builder, "comment");
              json_builder_add_string_value (builder, parts[2]);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* A catalog has its schemas of uc_schemas; one with none, just "default". */
static void
reply_schemas (FakeDatabricks    *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               const char        *catalog)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < G_N_ELEMENTS (uc_schemas); i++)
    if (g_str_equal (catalog, uc_schemas[i].catalog))
      g_ptr_array_add (items, uc_object_node (&uc_schemas[i], NULL, NULL));

  if (items->len == 0)
    {
      FakeUcObject schema = { catalog, NULL, "default", NULL, NULL, NULL };

      g_ptr_array_add (items, uc_object_node (&schema, NULL, NULL));
    }

  reply_page (self, msg, query, "schemas", items);
}

/* GET /api/2.1/unity-catalog/tables?catalog_name=C&schema_name=S */
static void
handle_list_tables (FakeDatabricks    *self,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    GBytes            *body)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  const char *catalog, *schema;

  if (!check_catalog_schema (msg, query, &catalog, &schema))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (uc_tables); i++)
    if (g_str_equal (uc_tables[i].catalog, catalog) && g_str_equal (uc_tables[i].schema, schema))
      g_ptr_array_add (items, uc_object_node (&uc_tables[i], "table_type", uc_tables[i].type));

  reply_page (self, msg, query, "tables", items);
}

/* GET /api/2.1/unity-catalog/volumes?catalog_name=C&schema_name=S */
static void
handle_list_volumes (FakeDatabricks    *self,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     GBytes            *body)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  const char *catalog, *schema;

  if (!check_catalog_schema (msg, query, &catalog, &schema))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (uc_volumes); i++)
    if (g_str_equal (uc_volumes[i].catalog, catalog) && g_str_equal (uc_volumes[i].schema, schema))
      g_ptr_array_add (items, uc_object_node (&uc_volumes[i], "volume_type", uc_volumes[i].type));

  reply_page (self, msg, query, "volumes", items);
}

/* POST /oidc/v1/token: client credentials with HTTP Basic auth. */
static void
handle_token (FakeDatabricks    *self,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *form_text = NULL;
  g_autofree char *token = NULL;
  gint64 *expiry;
  guint expires_in;
  gsize size;
  gconstpointer data = g_bytes_get_data (body, &size);

  g_mutex_lock (&self->mutex);
  if (self->client_id != NULL)
    {
      g_autofree char *pair = g_strconcat (self->client_id, ":", self->client_secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      expected = g_strconcat ("Basic ", encoded, NULL);
    }
  expires_in = self->expires_in;
  g_mutex_unlock (&self->mutex);

  if (expected == NULL || g_strcmp0 (authorization, expected) != 0)
    {
      g_autoptr(JsonNode) error = json_from_string ("{\"error\": \"invalid_client\", \"error_description\": \"Client authentication failed\"}", NULL);
      reply_json (msg, 401, error);
      return;
    }

  form_text = g_strndup (data, size);
  form = soup_form_decode (form_text);
  if (g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "client_credentials") != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "scope"), "all-apis") != 0)
    {
      g_autoptr(JsonNode) error = json_from_string ("{\"error\": \"invalid_request\", \"error_description\": \"grant_type and scope\"}", NULL);
      reply_json (msg, 400, error);
      return;
    }

  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) expires_in * G_USEC_PER_SEC;

  g_mutex_lock (&self->mutex);
  self->n_issued++;
  token = g_strdup_printf ("fake-oauth-%u-%08x", self->n_issued, g_random_int ());
  g_hash_table_insert (self->issued, g_strdup (token), expiry);
  g_mutex_unlock (&self->mutex);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, "all-apis");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

/* GET /api/2.0/preview/scim/v2/Me */
static void
handle_me (FakeDatabricks    *self,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           GBytes            *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  g_mutex_lock (&self->mutex);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, self->user_name);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, "Test User");
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  g_mutex_unlock (&self->mutex);

  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

/* GET /api/2.0/sql/warehouses/{id} */
static void
handle_warehouse (FakeDatabricks    *self,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  GBytes            *body)
{
  const char *id = path + strlen ("/api/2.0/sql/warehouses/");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  FakeWarehouse *warehouse;

  g_mutex_lock (&self->mutex);
  warehouse = g_hash_table_lookup (self->warehouses, id);
  if (warehouse != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, warehouse->name);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, warehouse->state);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
    }
  g_mutex_unlock (&self->mutex);

  if (node == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Warehouse %s does not exist.", id);
      reply_error (msg, 404, "RESOURCE_DOES_NOT_EXIST", message);
      return;
    }

  reply_json (msg, 200, node);
}

/* A file of a volume, for read_files(). */
static GBytes *
read_volume_file (const char *path,
                  gpointer    user_data)
{
  FakeDatabricks *self = user_data;
  g_autofree char *local = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_str_has_prefix (path, "/Volumes/") || strstr (path, "/..") != NULL)
    return NULL;
  local = g_build_filename (self->files_root, path + strlen ("/Volumes/"), NULL);
  if (!g_file_get_contents (local, &contents, &length, NULL))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* CREATE VOLUME IF NOT EXISTS `c`.`s`.`v`: the volume exists from now on. */
static void
create_volume (FakeDatabricks *self,
               const char     *sql)
{
  g_autoptr(GString) name = g_string_new (NULL);

  for (const char *p = sql; (p = strchr (p, '`')) != NULL;)
    {
      const char *end = strchr (p + 1, '`');

      if (end == NULL)
        break;
      if (name->len > 0)
        g_string_append_c (name, '.');
      g_string_append_len (name, p + 1, end - p - 1);
      p = end + 1;
    }

  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->created_volumes, g_strdup (name->str));
  g_mutex_unlock (&self->mutex);
}

static void
add_count_column (FakeStatement *statement,
                  GPtrArray     *row,
                  const char    *name,
                  gint64         count)
{
  g_ptr_array_add (statement->columns, g_strdup (name));
  g_ptr_array_add (statement->types, g_strdup ("LONG"));
  g_ptr_array_add (row, g_strdup_printf ("%" G_GINT64_FORMAT, count));
}

/* Delta tables have no index, but a fake with none would spend its time in nested loops:
 * a table created here is indexed on its first column, the key of every synced table. */
static void
index_new_table (FakeDatabricks *self,
                 const char     *translated)
{
  const char *name;
  const char *open;
  const char *column_end;
  g_autofree char *table = NULL;
  g_autofree char *column = NULL;
  g_autofree char *sql = NULL;

  if (g_ascii_strncasecmp (translated, "CREATE TABLE IF NOT EXISTS ", 27) != 0)
    return;
  name = translated + 27;
  open = strchr (name, '(');
  if (open == NULL || open[1] != '"' || (column_end = strchr (open + 2, '"')) == NULL)
    return;
  table = g_strndup (name, open - name);
  g_strstrip (table);
  column = g_strndup (open + 1, column_end - open);
  sql = g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"%.*s_key\" ON %s (%s)",
                         (int) strlen (table) - 2, table + 1, table, column);
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

/* Runs @sql with @parameters on the fake's SQLite database (see fake-sql.c for the dialect). */
static FakeStatement *
run_statement (FakeDatabricks *self,
               const char     *sql,
               JsonArray      *parameters)
{
  FakeStatement *statement = g_new0 (FakeStatement, 1);
  g_autofree char *translated = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  statement->id = g_uuid_string_random ();
  statement->columns = g_ptr_array_new_with_free_func (g_free);
  statement->types = g_ptr_array_new_with_free_func (g_free);
  statement->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  if (fake_sql_is_noop (sql))
    {
      if (g_ascii_strncasecmp (sql, "CREATE VOLUME", 13) == 0)
        create_volume (self, sql);
      statement->state = g_strdup ("SUCCEEDED");
      return statement;
    }

  if (fake_sql_is_add_columns (sql))
    {
      g_autofree char *error = NULL;
      gboolean ok = fake_sql_add_columns (self->db, sql, &error);

      statement->state = g_strdup (ok ? "SUCCEEDED" : "FAILED");
      statement->error = g_steal_pointer (&error);
      return statement;
    }

  if (fake_sql_is_merge (sql))
    {
      g_autofree char *error = NULL;
      gint64 inserted = 0, updated = 0;
      GPtrArray *row;

      if (!fake_sql_merge (self->db, sql, parameters, read_volume_file, self, &inserted, &updated, &error))
        {
          statement->state = g_strdup ("FAILED");
          statement->error = g_strdup_printf ("[MERGE_FAILED] %s", error);
          return statement;
        }
      row = g_ptr_array_new_with_free_func (g_free);
      add_count_column (statement, row, "num_affected_rows", inserted + updated);
      add_count_column (statement, row, "num_updated_rows", updated);
      add_count_column (statement, row, "num_deleted_rows", 0);
      add_count_column (statement, row, "num_inserted_rows", inserted);
      g_ptr_array_add (statement->rows, row);
      g_mutex_lock (&self->mutex);
      self->n_merges++;
      g_mutex_unlock (&self->mutex);
      statement->state = g_strdup ("SUCCEEDED");
      return statement;
    }

  translated = fake_sql_translate (sql);
  if (sqlite3_prepare_v2 (self->db, translated, -1, &stmt, NULL) != SQLITE_OK)
    goto failed;

  fake_sql_bind (stmt, parameters);

  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const char *declared = sqlite3_column_decltype (stmt, i);

      g_ptr_array_add (statement->columns, g_strdup (sqlite3_column_name (stmt, i)));
      g_ptr_array_add (statement->types, g_ascii_strup (declared != NULL ? declared : "STRING", -1));
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_ptr_array_add (row, g_strdup ((const char *) sqlite3_column_text (stmt, i)));
      g_ptr_array_add (statement->rows, row);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  sqlite3_finalize (stmt);
  index_new_table (self, translated);
  statement->state = g_strdup ("SUCCEEDED");
  return statement;

failed:
  statement->state = g_strdup ("FAILED");
  statement->error = g_strdup_printf ("[PARSE_SYNTAX_ERROR] %s", sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
  return statement;
}

static void
add_rows_array (FakeStatement *statement,
                JsonBuilder   *builder,
                guint          first,
                guint          chunk_size)
{
  json_builder_begin_array (builder);
  for (guint r = first; r < statement->rows->len && r < first + chunk_size; r++)
    {
      GPtrArray *row = g_ptr_array_index (statement->rows, r);

      json_builder_begin_array (builder);
      for (guint c = 0; c < row->len; c++)
        {
          const char *value = g_ptr_array_index (row, c);

          if (value != NULL)
            json_builder_add_string_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

/* One chunk: its rows inline, or (EXTERNAL_LINKS) a link to them on this server, which
 * answers it without a token, as cloud storage does for a presigned URL. */
static void
add_chunk (FakeStatement *statement,
           JsonBuilder   *builder,
           const char    *base_url,
           guint          chunk_size,
           guint          index)
{
  guint first = index * chunk_size;
  guint n_chunks = MAX (1, (statement->rows->len + chunk_size - 1) / chunk_size);

  json_builder_begin_object (builder);
  if (statement->external)
    {
      json_builder_set_member_name (builder, "external_links");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
    }
  json_builder_set_member_name (builder, "chunk_index");
  json_builder_add_int_value (builder, index);
  json_builder_set_member_name (builder, "row_offset");
  json_builder_add_int_value (builder, first);
  json_builder_set_member_name (builder, "row_count");
  json_builder_add_int_value (builder, MIN (chunk_size, statement->rows->len - MIN (first, statement->rows->len)));
  if (statement->external)
    {
      g_autofree char *link = g_strdup_printf ("%s/external/%s/%u?signature=fake", base_url, statement->id, index);
      g_autofree char *signature = g_strdup_printf ("sig-%s", statement->id);

      json_builder_set_member_name (builder, "external_link");
      json_builder_add_string_value (builder, link);
      json_builder_set_member_name (builder, "expiration");
      json_builder_add_string_value (builder, "2099-01-01T00:00:00.000Z");
      json_builder_set_member_name (builder, "http_headers");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "x-fake-signature");
      json_builder_add_string_value (builder, signature);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "data_array");
      add_rows_array (statement, builder, first, chunk_size);
    }
  if (index + 1 < n_chunks)
    {
      g_autofree char *link = g_strdup_printf ("/api/2.0/sql/statements/%s/result/chunks/%u", statement->id, index + 1);

      json_builder_set_member_name (builder, "next_chunk_index");
      json_builder_add_int_value (builder, index + 1);
      json_builder_set_member_name (builder, "next_chunk_internal_link");
      json_builder_add_string_value (builder, link);
    }
  if (statement->external)
    {
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

/* The statement as GET /api/2.0/sql/statements/{id} shows it. Call with the mutex held. */
static JsonNode *
statement_node (FakeStatement *statement,
                const char    *state,
                const char    *base_url,
                guint          chunk_size)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "statement_id");
  json_builder_add_string_value (builder, statement->id);
  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  if (g_str_equal (state, "FAILED"))
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, "BAD_REQUEST");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, statement->error);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  if (g_str_equal (state, "SUCCEEDED"))
    {
      json_builder_set_member_name (builder, "manifest");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, "JSON_ARRAY");
      json_builder_set_member_name (builder, "schema");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "column_count");
      json_builder_add_int_value (builder, statement->columns->len);
      json_builder_set_member_name (builder, "columns");
      json_builder_begin_array (builder);
      for (guint i = 0; i < statement->columns->len; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, g_ptr_array_index (statement->columns, i));
          json_builder_set_member_name (builder, "type_name");
          json_builder_add_string_value (builder, g_ptr_array_index (statement->types, i));
          json_builder_set_member_name (builder, "position");
          json_builder_add_int_value (builder, i);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "total_row_count");
      json_builder_add_int_value (builder, statement->rows->len);
      json_builder_set_member_name (builder, "total_chunk_count");
      json_builder_add_int_value (builder, MAX (1, (statement->rows->len + chunk_size - 1) / chunk_size));
      json_builder_set_member_name (builder, "truncated");
      json_builder_add_boolean_value (builder, statement->truncated);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "result");
      add_chunk (statement, builder, base_url, chunk_size, 0);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Bytes of a row's values, as the workspace's limits count them. */
static gint64
row_size (GPtrArray *row)
{
  gint64 used = 0;

  for (guint c = 0; c < row->len; c++)
    used += g_ptr_array_index (row, c) ? strlen (g_ptr_array_index (row, c)) : 0;

  return used;
}

static gint64
result_size (FakeStatement *statement)
{
  gint64 used = 0;

  for (guint r = 0; r < statement->rows->len; r++)
    used += row_size (g_ptr_array_index (statement->rows, r));

  return used;
}

/* Keeps the rows that fit in @limit bytes of values, at least one, as the workspace's
 * byte_limit does. */
static void
apply_byte_limit (FakeStatement *statement,
                  gint64         limit)
{
  gint64 used = 0;

  for (guint r = 0; r < statement->rows->len; r++)
    {
      used += row_size (g_ptr_array_index (statement->rows, r));
      if (used > limit && r > 0)
        {
          g_ptr_array_set_size (statement->rows, r);
          statement->truncated = TRUE;
          return;
        }
    }
}

/* POST /api/2.0/sql/statements — runs the statement on the fake's SQLite database;
 * statements made while slow polls are set answer PENDING first. */
static void
handle_execute_statement (FakeDatabricks    *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) node = NULL;
  FakeStatement *statement;
  JsonObject *request;
  JsonArray *parameters = NULL;
  const char *sql;
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
  sql = json_object_get_string_member_with_default (request, "statement", NULL);
  if (sql == NULL || json_object_get_string_member_with_default (request, "warehouse_id", NULL) == NULL)
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "statement and warehouse_id are required");
      return;
    }
  if (json_object_has_member (request, "parameters"))
    parameters = json_object_get_array_member (request, "parameters");

  statement = run_statement (self, sql, parameters);
  if (json_object_has_member (request, "byte_limit"))
    apply_byte_limit (statement, json_object_get_int_member (request, "byte_limit"));
  statement->external = g_strcmp0 (json_object_get_string_member_with_default (request, "disposition", "INLINE"),
                                   "EXTERNAL_LINKS") == 0;
  if (!statement->external && g_str_equal (statement->state, "SUCCEEDED"))
    {
      gint64 limit;

      g_mutex_lock (&self->mutex);
      limit = self->inline_limit;
      g_mutex_unlock (&self->mutex);
      /* As the workspace does: an INLINE result past the limit aborts the statement. */
      if (limit > 0 && result_size (statement) > limit)
        {
          g_free (statement->state);
          statement->state = g_strdup ("FAILED");
          g_free (statement->error);
          statement->error = g_strdup ("The result exceeds the inline byte limit; use the EXTERNAL_LINKS disposition");
          g_ptr_array_set_size (statement->rows, 0);
        }
    }

  g_mutex_lock (&self->mutex);
  /* This answer is the first of the slow polls. */
  statement->polls_left = self->slow_polls > 0 ? self->slow_polls - 1 : 0;
  g_hash_table_insert (self->statements, g_strdup (statement->id), statement);
  node = statement_node (statement, self->slow_polls > 0 ? "PENDING" : statement->state, self->url, self->chunk_size);
  g_mutex_unlock (&self->mutex);

  reply_json (msg, 200, node);
}

/* GET /api/2.0/sql/statements/{id} and …/{id}/result/chunks/{n} */
static void
handle_get_statement (FakeDatabricks    *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      GBytes            *body)
{
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/api/2.0/sql/statements/"), "/", -1);
  g_autoptr(JsonNode) node = NULL;
  FakeStatement *statement;
  guint64 index = 0;

  g_mutex_lock (&self->mutex);
  statement = g_hash_table_lookup (self->statements, parts[0]);
  if (statement == NULL)
    {
      g_mutex_unlock (&self->mutex);
      reply_error (msg, 404, "NOT_FOUND", "The statement does not exist");
      return;
    }

  if (parts[1] == NULL)
    {
      const char *state = statement->state;

      if (!g_str_equal (state, "CANCELED") && statement->polls_left > 0)
        {
          statement->polls_left--;
          state = "RUNNING";
        }
      node = statement_node (statement, state, self->url, self->chunk_size);
    }
  else if (g_strv_length (parts) == 4 && g_str_equal (parts[1], "result") && g_str_equal (parts[2], "chunks") &&
           g_str_equal (statement->state, "SUCCEEDED") &&
           g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXUINT, &index, NULL))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_chunk (statement, builder, self->url, self->chunk_size, (guint) index);
      node = json_builder_get_root (builder);
    }
  g_mutex_unlock (&self->mutex);

  if (node == NULL)
    reply_error (msg, 404, "NOT_FOUND", "No such result chunk");
  else
    reply_json (msg, 200, node);
}

/* GET /external/{statement}/{chunk}: a chunk's rows as a bare JSON array, the way cloud
 * storage serves a presigned link. A request carrying a workspace token is refused: the
 * token must never go to storage. */
static void
handle_external_chunk (FakeDatabricks    *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/external/"), "/", -1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *signature = NULL;
  FakeStatement *statement;
  guint64 index = 0;
  char *text;
  gsize length;

  if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    {
      reply_error (msg, 400, "TOKEN_SENT_TO_STORAGE", "Storage does not take workspace tokens");
      return;
    }

  g_mutex_lock (&self->mutex);
  statement = parts[0] != NULL ? g_hash_table_lookup (self->statements, parts[0]) : NULL;
  if (statement == NULL || !statement->external || g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, &index, NULL))
    {
      g_mutex_unlock (&self->mutex);
      reply_error (msg, 404, "NOT_FOUND", "No such object");
      return;
    }
  signature = g_strdup_printf ("sig-%s", statement->id);
  if (g_strcmp0 (soup_message_headers_get_one (headers, "x-fake-signature"), signature) != 0)
    {
      g_mutex_unlock (&self->mutex);
      reply_error (msg, 403, "SIGNATURE_MISMATCH", "The link's headers were not sent");
      return;
    }
  add_rows_array (statement, builder, (guint) index * self->chunk_size, self->chunk_size);
  self->n_external_fetches++;
  g_mutex_unlock (&self->mutex);

  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE, text, length);
}

/* POST /api/2.0/sql/statements/{id}/cancel */
static void
handle_cancel_statement (FakeDatabricks    *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         GBytes            *body)
{
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/api/2.0/sql/statements/"), "/", -1);
  g_autoptr(JsonNode) node = json_from_string ("{}", NULL);
  FakeStatement *statement;

  if (g_strv_length (parts) != 2 || !g_str_equal (parts[1], "cancel"))
    {
      reply_error (msg, 404, "ENDPOINT_NOT_FOUND", "No API found for this path");
      return;
    }

  g_mutex_lock (&self->mutex);
  statement = g_hash_table_lookup (self->statements, parts[0]);
  if (statement != NULL && statement->polls_left > 0)
    {
      g_free (statement->state);
      statement->state = g_strdup ("CANCELED");
    }
  g_mutex_unlock (&self->mutex);

  reply_json (msg, 200, node);
}

/* --- Files API: a Volume's files live under files_root/catalog/schema/volume ------------ */

/* Maps "/Volumes/c/s/v/…" (libsoup has decoded it) to a path under files_root.
 * @min_depth: segments needed after "Volumes" (3 for a volume's root, 4 for a file in it).
 * Replies with an error and returns NULL when the path is not one. */
static char *
local_path_for (FakeDatabricks    *self,
                SoupServerMessage *msg,
                const char        *encoded,
                guint              min_depth)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  gboolean volume_known = FALSE;
  guint n;

  if (!g_str_has_prefix (encoded, "/Volumes/"))
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Paths must start with /Volumes/");
      return NULL;
    }

  segments = g_strsplit (encoded + strlen ("/Volumes/"), "/", -1);
  n = g_strv_length (segments);
  /* A directory may be named with a trailing "/". */
  if (n > 0 && *segments[n - 1] == '\0')
    n--;

  g_ptr_array_add (parts, g_strdup (self->files_root));
  for (guint i = 0; i < n; i++)
    {
      const char *segment = segments[i];

      if (*segment == '\0' || g_str_equal (segment, ".") || g_str_equal (segment, ".."))
        {
          reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "The path is not a valid absolute path");
          return NULL;
        }
      g_ptr_array_add (parts, g_strdup (segment));
    }
  g_ptr_array_add (parts, NULL);

  if (n < min_depth)
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "The path does not name a file in a volume");
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (uc_volumes); i++)
    volume_known |= g_str_equal (uc_volumes[i].catalog, g_ptr_array_index (parts, 1)) &&
                    g_str_equal (uc_volumes[i].schema, g_ptr_array_index (parts, 2)) &&
                    g_str_equal (uc_volumes[i].name, g_ptr_array_index (parts, 3));
  if (!volume_known)
    {
      g_autofree char *created = g_strdup_printf ("%s.%s.%s", (char *) g_ptr_array_index (parts, 1),
                                                  (char *) g_ptr_array_index (parts, 2),
                                                  (char *) g_ptr_array_index (parts, 3));

      g_mutex_lock (&self->mutex);
      volume_known = g_hash_table_contains (self->created_volumes, created);
      g_mutex_unlock (&self->mutex);
    }
  if (!volume_known)
    {
      reply_error (msg, 404, "NOT_FOUND", "The volume does not exist");
      return NULL;
    }

  return g_build_filenamev ((char **) parts->pdata);
}

static const char *
files_path (const char *path)
{
  return path + strlen ("/api/2.0/fs/files");
}

static const char *
directories_path (const char *path)
{
  return path + strlen ("/api/2.0/fs/directories");
}

static char *
http_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (time, "%a, %d %b %Y %H:%M:%S GMT");
}

/* PUT /api/2.0/fs/files{path}?overwrite=true|false */
static void
handle_put_file (FakeDatabricks    *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 GBytes            *body)
{
  g_autofree char *local = local_path_for (self, msg, files_path (path), 4);
  g_autofree char *parent = NULL;
  g_autoptr(GError) error = NULL;
  const char *overwrite = query != NULL ? g_hash_table_lookup (query, "overwrite") : NULL;
  gsize size;
  gconstpointer data;

  if (local == NULL)
    return;

  if (g_file_test (local, G_FILE_TEST_IS_DIR) ||
      (g_file_test (local, G_FILE_TEST_EXISTS) && g_strcmp0 (overwrite, "true") != 0))
    {
      reply_error (msg, 409, "ALREADY_EXISTS", "The file being created already exists.");
      return;
    }

  parent = g_path_get_dirname (local);
  data = g_bytes_get_data (body, &size);
  if (g_mkdir_with_parents (parent, 0700) != 0 ||
      !g_file_set_contents (local, data != NULL ? data : "", size, &error))
    {
      reply_error (msg, 409, "ALREADY_EXISTS", "A file is in the way of the directory.");
      return;
    }

  soup_server_message_set_status (msg, 204, NULL);
}

/* GET and HEAD /api/2.0/fs/files{path} */
static void
handle_get_file (FakeDatabricks    *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 GBytes            *body)
{
  g_autofree char *local = local_path_for (self, msg, files_path (path), 4);
  g_autofree char *contents = NULL;
  g_autofree char *modified = NULL;
  GStatBuf stat_buf;
  gsize size;

  if (local == NULL)
    return;

  if (!g_file_test (local, G_FILE_TEST_IS_REGULAR) ||
      !g_file_get_contents (local, &contents, &size, NULL) ||
      g_stat (local, &stat_buf) != 0)
    {
      reply_error (msg, 404, "NOT_FOUND", "The file does not exist.");
      return;
    }

  modified = http_date (stat_buf.st_mtime);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Last-Modified", modified);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&contents), size);
}

/* DELETE /api/2.0/fs/files{path} */
static void
handle_delete_file (FakeDatabricks    *self,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    GBytes            *body)
{
  g_autofree char *local = local_path_for (self, msg, files_path (path), 4);

  if (local == NULL)
    return;

  if (!g_file_test (local, G_FILE_TEST_IS_REGULAR) || g_unlink (local) != 0)
    {
      reply_error (msg, 404, "NOT_FOUND", "The file does not exist.");
      return;
    }

  soup_server_message_set_status (msg, 204, NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* GET /api/2.0/fs/directories{path}?page_token=T — entries sorted by name. */
static void
handle_list_directory (FakeDatabricks    *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       GBytes            *body)
{
  const char *directory = directories_path (path);
  g_autofree char *local = local_path_for (self, msg, directory, 3);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *parent = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (local == NULL)
    return;

  dir = g_dir_open (local, 0, NULL);
  if (dir == NULL)
    {
      reply_error (msg, 404, "NOT_FOUND", "The directory does not exist.");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  parent = g_strdup (directory);
  if (g_str_has_suffix (parent, "/"))
    parent[strlen (parent) - 1] = '\0';

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *child = g_build_filename (local, g_ptr_array_index (names, i), NULL);
      gboolean is_directory = g_file_test (child, G_FILE_TEST_IS_DIR);
      g_autofree char *entry_path = g_strconcat (parent, "/", g_ptr_array_index (names, i),
                                                 is_directory ? "/" : "", NULL);
      GStatBuf stat_buf;

      if (g_stat (child, &stat_buf) != 0)
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, entry_path);
      json_builder_set_member_name (builder, "is_directory");
      json_builder_add_boolean_value (builder, is_directory);
      if (!is_directory)
        {
          json_builder_set_member_name (builder, "file_size");
          json_builder_add_int_value (builder, stat_buf.st_size);
          json_builder_set_member_name (builder, "last_modified");
          json_builder_add_int_value (builder, (gint64) stat_buf.st_mtime * 1000);
        }
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, g_ptr_array_index (names, i));
      json_builder_end_object (builder);
      g_ptr_array_add (items, json_builder_get_root (builder));
    }

  reply_page (self, msg, query, "contents", items);
}

/* PUT /api/2.0/fs/directories{path}: creates it and its parents; no error if it exists. */
static void
handle_create_directory (FakeDatabricks    *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         GBytes            *body)
{
  g_autofree char *local = local_path_for (self, msg, directories_path (path), 4);

  if (local == NULL)
    return;

  if (g_mkdir_with_parents (local, 0700) != 0)
    {
      reply_error (msg, 409, "ALREADY_EXISTS", "A file exists at this path.");
      return;
    }

  soup_server_message_set_status (msg, 204, NULL);
}

/* DELETE /api/2.0/fs/directories{path}: only an empty one. */
static void
handle_delete_directory (FakeDatabricks    *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         GBytes            *body)
{
  g_autofree char *local = local_path_for (self, msg, directories_path (path), 4);

  if (local == NULL)
    return;

  if (!g_file_test (local, G_FILE_TEST_IS_DIR))
    {
      reply_error (msg, 404, "NOT_FOUND", "The directory does not exist.");
      return;
    }
  if (g_rmdir (local) != 0)
    {
      reply_error (msg, 409, "DIRECTORY_NOT_EMPTY", "The directory is not empty.");
      return;
    }

  soup_server_message_set_status (msg, 204, NULL);
}

/* --- entity tags ------------------------------------------------------------------------ */

/* GET /api/2.1/unity-catalog/entity-tag-assignments/{type}/{name}/tags — objects in the
 * catalog "restricted" answer 403. */
static void
handle_list_tags (FakeDatabricks    *self,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  GBytes            *body)
{
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/api/2.1/unity-catalog/entity-tag-assignments/"), "/", -1);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *key = NULL;
  const char *type, *name;
  GPtrArray *tags;

  if (g_strv_length (parts) != 3 || !g_str_equal (parts[2], "tags"))
    {
      reply_error (msg, 404, "ENDPOINT_NOT_FOUND", "No API found for this path");
      return;
    }
  type = parts[0];
  name = parts[1];

  if (!g_strv_contains ((const char * const[]) { "catalogs", "schemas", "tables", "columns", "volumes", NULL }, type))
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Unknown entity type");
      return;
    }

  if (g_str_has_prefix (name, "restricted."))
    {
      reply_error (msg, 403, "PERMISSION_DENIED", "User does not have USE CATALOG on catalog restricted");
      return;
    }

  key = g_strconcat (type, "/", name, NULL);
  g_mutex_lock (&self->mutex);
  tags = g_hash_table_lookup (self->tags, key);
  for (guint i = 0; tags != NULL && i + 1 < tags->len; i += 2)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      const char *value = g_ptr_array_index (tags, i + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entity_type");
      json_builder_add_string_value (builder, type);
      json_builder_set_member_name (builder, "entity_name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "tag_key");
      json_builder_add_string_value (builder, g_ptr_array_index (tags, i));
      /* A tag without a value has no tag_value at all. */
      if (*value != '\0')
        {
          json_builder_set_member_name (builder, "tag_value");
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
      g_ptr_array_add (items, json_builder_get_root (builder));
    }
  g_mutex_unlock (&self->mutex);

  reply_page (self, msg, query, "tag_assignments", items);
}

/* --- serving, MLflow and Jobs ------------------------------------------------------------- */

/* The request's JSON object, or NULL after answering 400. */
static JsonObject *
parse_request_object (SoupServerMessage *msg,
                      GBytes            *body,
                      JsonParser        *parser)
{
  gconstpointer data;
  gsize size;

  data = g_bytes_get_data (body, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (msg, 400, "MALFORMED_REQUEST", "Request body is not a JSON object");
      return NULL;
    }

  return json_node_get_object (json_parser_get_root (parser));
}

static void
reply_empty_object (SoupServerMessage *msg)
{
  g_autoptr(JsonNode) node = json_from_string ("{}", NULL);

  reply_json (msg, 200, node);
}

/* Call with the mutex held. */
static JsonNode *
endpoint_node (FakeEndpoint *endpoint)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, endpoint->name);
  json_builder_set_member_name (builder, "creator");
  json_builder_add_string_value (builder, "ada@example.com");
  json_builder_set_member_name (builder, "state");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ready");
  json_builder_add_string_value (builder, endpoint->ready);
  json_builder_set_member_name (builder, "config_update");
  json_builder_add_string_value (builder, endpoint->config_update);
  json_builder_end_object (builder);
  if (endpoint->task != NULL)
    {
      json_builder_set_member_name (builder, "task");
      json_builder_add_string_value (builder, endpoint->task);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Call with the mutex held. */
static FakeEndpoint *
find_endpoint (FakeDatabricks *self,
               const char     *name)
{
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      FakeEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);

      if (g_str_equal (endpoint->name, name))
        return endpoint;
    }

  return NULL;
}

static void
reply_no_endpoint (SoupServerMessage *msg,
                   const char        *name)
{
  g_autofree char *message = g_strdup_printf ("Endpoint with name '%s' does not exist.", name);

  reply_error (msg, 404, "RESOURCE_DOES_NOT_EXIST", message);
}

/* GET /api/2.0/serving-endpoints — all at once, as the real one answers. */
static void
handle_list_endpoints (FakeDatabricks    *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       GBytes            *body)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *array = json_array_new ();

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->endpoints->len; i++)
    json_array_add_element (array, endpoint_node (g_ptr_array_index (self->endpoints, i)));
  g_mutex_unlock (&self->mutex);

  json_object_set_array_member (object, "endpoints", array);
  json_node_set_object (node, object);
  reply_json (msg, 200, node);
}

/* GET /api/2.0/serving-endpoints/{name} */
static void
handle_get_endpoint (FakeDatabricks    *self,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     GBytes            *body)
{
  const char *name = path + strlen ("/api/2.0/serving-endpoints/");
  g_autoptr(JsonNode) node = NULL;
  FakeEndpoint *endpoint;

  g_mutex_lock (&self->mutex);
  endpoint = find_endpoint (self, name);
  if (endpoint != NULL)
    node = endpoint_node (endpoint);
  g_mutex_unlock (&self->mutex);

  if (node == NULL)
    reply_no_endpoint (msg, name);
  else
    reply_json (msg, 200, node);
}

/* POST /serving-endpoints/{name}/invocations — a chat request gets "echo: " and the last
 * message back, anything else its inputs as predictions. */
static void
handle_invoke_endpoint (FakeDatabricks    *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        GBytes            *body)
{
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/serving-endpoints/"), "/", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  gboolean known;
  JsonObject *request;
  JsonArray *messages;

  if (g_strv_length (parts) != 2 || !g_str_equal (parts[1], "invocations"))
    {
      reply_error (msg, 404, "ENDPOINT_NOT_FOUND", "No API found for this path");
      return;
    }

  g_mutex_lock (&self->mutex);
  known = find_endpoint (self, parts[0]) != NULL;
  g_mutex_unlock (&self->mutex);
  if (!known)
    {
      reply_no_endpoint (msg, parts[0]);
      return;
    }

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;

  json_builder_begin_object (builder);
  messages = json_object_has_member (request, "messages") ? json_object_get_array_member (request, "messages") : NULL;
  if (messages != NULL && json_array_get_length (messages) > 0)
    {
      JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
      g_autofree char *content = g_strconcat ("echo: ", json_object_get_string_member_with_default (last, "content", ""), NULL);

      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "chat.completion");
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, parts[0]);
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "message");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "assistant");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, content);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "finish_reason");
      json_builder_add_string_value (builder, "stop");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "predictions");
      if (json_object_has_member (request, "inputs"))
        json_builder_add_value (builder, json_node_copy (json_object_get_member (request, "inputs")));
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

/* GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=N */
static void
handle_get_experiment (FakeDatabricks    *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       GBytes            *body)
{
  const char *name = query != NULL ? g_hash_table_lookup (query, "experiment_name") : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;

  g_mutex_lock (&self->mutex);
  id = g_strdup (name != NULL ? g_hash_table_lookup (self->experiments, name) : NULL);
  g_mutex_unlock (&self->mutex);

  if (id == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Could not find experiment with name '%s'", name != NULL ? name : "");

      reply_error (msg, 404, "RESOURCE_DOES_NOT_EXIST", message);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "experiment");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "experiment_id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "lifecycle_stage");
  json_builder_add_string_value (builder, "active");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  reply_json (msg, 200, node);
}

/* POST /api/2.0/mlflow/experiments/create {name} */
static void
handle_create_experiment (FakeDatabricks    *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) node = json_from_string ("{}", NULL);
  g_autofree char *id = NULL;
  JsonObject *request;
  const char *name;

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;
  name = json_object_get_string_member_with_default (request, "name", NULL);
  if (name == NULL || *name == '\0')
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'name'.");
      return;
    }

  g_mutex_lock (&self->mutex);
  if (!g_hash_table_contains (self->experiments, name))
    {
      id = g_strdup_printf ("%u", 1000 + g_hash_table_size (self->experiments));
      g_hash_table_insert (self->experiments, g_strdup (name), g_strdup (id));
    }
  g_mutex_unlock (&self->mutex);

  if (id == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Experiment '%s' already exists.", name);

      reply_error (msg, 400, "RESOURCE_ALREADY_EXISTS", message);
      return;
    }

  json_object_set_string_member (json_node_get_object (node), "experiment_id", id);
  reply_json (msg, 200, node);
}

/* The stored run, or NULL after answering 404. Call with the mutex held. */
static JsonObject *
find_mlflow_run (FakeDatabricks    *self,
                 SoupServerMessage *msg,
                 JsonObject        *request)
{
  const char *run_id = json_object_get_string_member_with_default (request, "run_id", "");
  JsonObject *run = g_hash_table_lookup (self->mlflow_runs, run_id);

  if (run == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Run '%s' not found", run_id);

      reply_error (msg, 404, "RESOURCE_DOES_NOT_EXIST", message);
    }

  return run;
}

/* POST /api/2.0/mlflow/runs/create */
static void
handle_create_run (FakeDatabricks    *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *run_id = NULL;
  JsonObject *request, *run, *run_answer, *info, *tags;
  const char *experiment_id;
  gboolean known = FALSE;
  GHashTableIter iter;
  gpointer value;

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;

  experiment_id = json_object_get_string_member_with_default (request, "experiment_id", "");
  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->experiments);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    known |= g_str_equal (value, experiment_id);
  g_mutex_unlock (&self->mutex);
  if (!known)
    {
      reply_error (msg, 404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id exists");
      return;
    }

  run_id = g_uuid_string_random ();
  /* MLflow run ids are 32 hex digits. */
  for (char *p = run_id, *q = run_id; ; p++)
    {
      if (*p != '-')
        *q++ = *p;
      if (*p == '\0')
        break;
    }

  run = json_object_new ();
  json_object_set_string_member (run, "run_id", run_id);
  json_object_set_string_member (run, "experiment_id", experiment_id);
  json_object_set_string_member (run, "run_name", json_object_get_string_member_with_default (request, "run_name", ""));
  json_object_set_string_member (run, "status", "RUNNING");
  json_object_set_int_member (run, "start_time", json_object_get_int_member_with_default (request, "start_time", 0));
  tags = json_object_new ();
  if (json_object_has_member (request, "tags"))
    {
      JsonArray *array = json_object_get_array_member (request, "tags");

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *tag = json_array_get_object_element (array, i);

          json_object_set_string_member (tags, json_object_get_string_member (tag, "key"),
                                         json_object_get_string_member (tag, "value"));
        }
    }
  json_object_set_object_member (run, "tags", tags);
  json_object_set_object_member (run, "params", json_object_new ());
  json_object_set_array_member (run, "metrics", json_array_new ());

  g_mutex_lock (&self->mutex);
  g_hash_table_insert (self->mlflow_runs, g_strdup (run_id), run);
  g_mutex_unlock (&self->mutex);

  info = json_object_new ();
  json_object_set_string_member (info, "run_id", run_id);
  json_object_set_string_member (info, "run_uuid", run_id);
  json_object_set_string_member (info, "experiment_id", experiment_id);
  json_object_set_string_member (info, "status", "RUNNING");
  run_answer = json_object_new ();
  json_object_set_object_member (run_answer, "info", info);
  json_object_set_object_member (run_answer, "data", json_object_new ());
  json_object_set_object_member (answer, "run", run_answer);
  json_node_set_object (node, answer);
  reply_json (msg, 200, node);
}

/* POST /api/2.0/mlflow/runs/log-batch — with the API's limits, and params that may be
 * logged again only with the same value. */
static void
handle_log_batch (FakeDatabricks    *self,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request, *run, *params;
  JsonArray *new_params, *new_metrics, *metrics;
  guint n_params, n_metrics;

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;

  new_params = json_object_has_member (request, "params") ? json_object_get_array_member (request, "params") : NULL;
  new_metrics = json_object_has_member (request, "metrics") ? json_object_get_array_member (request, "metrics") : NULL;
  n_params = new_params != NULL ? json_array_get_length (new_params) : 0;
  n_metrics = new_metrics != NULL ? json_array_get_length (new_metrics) : 0;
  if (n_params > 100 || n_metrics > 1000 || n_params + n_metrics > 1000)
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE",
                   "A batch logging request can contain at most 1000 metrics, 100 params and 1000 items in all");
      return;
    }

  g_mutex_lock (&self->mutex);
  if ((run = find_mlflow_run (self, msg, request)) == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }

  params = json_object_get_object_member (run, "params");
  for (guint i = 0; i < n_params; i++)
    {
      JsonObject *param = json_array_get_object_element (new_params, i);
      const char *key = json_object_get_string_member (param, "key");
      const char *value = json_object_get_string_member (param, "value");

      if (json_object_has_member (params, key) && !g_str_equal (json_object_get_string_member (params, key), value))
        {
          g_mutex_unlock (&self->mutex);
          reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed.");
          return;
        }
    }
  for (guint i = 0; i < n_params; i++)
    {
      JsonObject *param = json_array_get_object_element (new_params, i);

      json_object_set_string_member (params, json_object_get_string_member (param, "key"),
                                     json_object_get_string_member (param, "value"));
    }
  metrics = json_object_get_array_member (run, "metrics");
  for (guint i = 0; i < n_metrics; i++)
    json_array_add_element (metrics, json_node_copy (json_array_get_element (new_metrics, i)));
  g_mutex_unlock (&self->mutex);

  reply_empty_object (msg);
}

/* POST /api/2.0/mlflow/runs/update {run_id, status, end_time} */
static void
handle_update_run (FakeDatabricks    *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request, *run;

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;

  g_mutex_lock (&self->mutex);
  if ((run = find_mlflow_run (self, msg, request)) == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  json_object_set_string_member (run, "status", json_object_get_string_member_with_default (request, "status", "RUNNING"));
  json_object_set_int_member (run, "end_time", json_object_get_int_member_with_default (request, "end_time", 0));
  g_mutex_unlock (&self->mutex);

  reply_empty_object (msg);
}

static void
fake_job_run_free (FakeJobRun *run)
{
  g_free (run->run_name);
  g_free (run->life_cycle_state);
  g_free (run->result_state);
  g_free (run->state_message);
  g_clear_pointer (&run->spec, json_node_unref);
  fake_job_script_free (run->script);
  g_free (run->output);
  g_free (run);
}

/* The value after "--output" in the first task's spark_python_task parameters. */
static char *
find_output_parameter (JsonObject *request)
{
  JsonArray *tasks;
  JsonObject *task;
  JsonObject *python;
  JsonArray *parameters;

  if (!json_object_has_member (request, "tasks") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (request, "tasks")))
    return NULL;
  tasks = json_object_get_array_member (request, "tasks");
  if (json_array_get_length (tasks) == 0 || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (tasks, 0)))
    return NULL;
  task = json_array_get_object_element (tasks, 0);
  if (!json_object_has_member (task, "spark_python_task"))
    return NULL;
  python = json_object_get_object_member (task, "spark_python_task");
  if (python == NULL || !json_object_has_member (python, "parameters"))
    return NULL;
  parameters = json_object_get_array_member (python, "parameters");
  for (guint i = 0; parameters != NULL && i + 1 < json_array_get_length (parameters); i++)
    if (g_strcmp0 (json_array_get_string_element (parameters, i), "--output") == 0)
      return g_strdup (json_array_get_string_element (parameters, i + 1));

  return NULL;
}

/* Called under the mutex on each runs/get: a scripted run moves one step on. */
static void
advance_scripted_run (FakeDatabricks *self,
                      FakeJobRun     *run)
{
  FakeJobScript *script = run->script;

  if (script == NULL || g_str_equal (run->life_cycle_state, "TERMINATED"))
    return;

  run->polls++;
  if (run->polls == 1)
    return;
  if (run->polls <= 1 + script->running_polls)
    {
      fake_job_run_set_state (run, "RUNNING", NULL, "In run");
      return;
    }

  fake_job_run_set_state (run, "TERMINATED", script->result_state, script->state_message);
  if (g_strcmp0 (script->result_state, "SUCCESS") == 0 && script->result_json != NULL &&
      run->output != NULL && g_str_has_prefix (run->output, "/Volumes/"))
    {
      g_autofree char *local = g_build_filename (self->files_root, run->output + strlen ("/Volumes/"), NULL);
      g_autofree char *directory = g_path_get_dirname (local);

      g_mkdir_with_parents (directory, 0700);
      if (!g_file_set_contents (local, script->result_json, -1, NULL))
        g_warning ("fake-databricks could not write %s", local);
    }
}

/* POST /api/2.2/jobs/runs/submit — one run per idempotency token. */
static void
handle_submit_run (FakeDatabricks    *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) node = json_from_string ("{}", NULL);
  JsonObject *request;
  const char *token;
  gint64 run_id;

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;
  if (!json_object_has_member (request, "tasks"))
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "At least one task is required.");
      return;
    }
  token = json_object_get_string_member_with_default (request, "idempotency_token", NULL);

  g_mutex_lock (&self->mutex);
  if (token != NULL && g_hash_table_contains (self->job_tokens, token))
    {
      run_id = GPOINTER_TO_SIZE (g_hash_table_lookup (self->job_tokens, token));
    }
  else
    {
      FakeJobRun *run = g_new0 (FakeJobRun, 1);

      run_id = run->run_id = 700 + g_hash_table_size (self->job_runs) + 1;
      run->run_name = g_strdup (json_object_get_string_member_with_default (request, "run_name", "Untitled"));
      run->life_cycle_state = g_strdup ("PENDING");
      run->state_message = g_strdup ("Waiting for cluster");
      run->spec = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (run->spec, request);
      run->output = find_output_parameter (request);
      if (self->job_script != NULL)
        run->script = fake_job_script_copy (self->job_script);
      g_hash_table_insert (self->job_runs, GSIZE_TO_POINTER ((gsize) run_id), run);
      if (token != NULL)
        g_hash_table_insert (self->job_tokens, g_strdup (token), GSIZE_TO_POINTER ((gsize) run_id));
    }
  g_mutex_unlock (&self->mutex);

  json_object_set_int_member (json_node_get_object (node), "run_id", run_id);
  reply_json (msg, 200, node);
}

static void
reply_no_job_run (SoupServerMessage *msg,
                  gint64             run_id)
{
  g_autofree char *message = g_strdup_printf ("Run %" G_GINT64_FORMAT " does not exist.", run_id);

  reply_error (msg, 400, "INVALID_PARAMETER_VALUE", message);
}

/* GET /api/2.2/jobs/runs/get?run_id=N */
static void
handle_get_run (FakeDatabricks    *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                GBytes            *body)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "run_id") : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  FakeJobRun *run = NULL;
  guint64 run_id = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &run_id, NULL))
    {
      reply_error (msg, 400, "INVALID_PARAMETER_VALUE", "Invalid run_id");
      return;
    }

  g_mutex_lock (&self->mutex);
  run = g_hash_table_lookup (self->job_runs, GSIZE_TO_POINTER ((gsize) run_id));
  if (run != NULL)
    advance_scripted_run (self, run);
  if (run != NULL)
    {
      g_autofree char *url = g_strdup_printf ("%s/#job/runs/%" G_GUINT64_FORMAT, self->url, run_id);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "run_id");
      json_builder_add_int_value (builder, run->run_id);
      json_builder_set_member_name (builder, "run_name");
      json_builder_add_string_value (builder, run->run_name);
      json_builder_set_member_name (builder, "state");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "life_cycle_state");
      json_builder_add_string_value (builder, run->life_cycle_state);
      if (run->result_state != NULL)
        {
          json_builder_set_member_name (builder, "result_state");
          json_builder_add_string_value (builder, run->result_state);
        }
      json_builder_set_member_name (builder, "state_message");
      json_builder_add_string_value (builder, run->state_message != NULL ? run->state_message : "");
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "run_page_url");
      json_builder_add_string_value (builder, url);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
    }
  g_mutex_unlock (&self->mutex);

  if (node == NULL)
    reply_no_job_run (msg, (gint64) run_id);
  else
    reply_json (msg, 200, node);
}

/* POST /api/2.2/jobs/runs/cancel {run_id}: ends it as CANCELED at once. */
static void
handle_cancel_run (FakeDatabricks    *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request;
  FakeJobRun *run;
  gint64 run_id;

  if ((request = parse_request_object (msg, body, parser)) == NULL)
    return;
  run_id = json_object_get_int_member_with_default (request, "run_id", 0);

  g_mutex_lock (&self->mutex);
  run = g_hash_table_lookup (self->job_runs, GSIZE_TO_POINTER ((gsize) run_id));
  if (run != NULL && !g_str_equal (run->life_cycle_state, "TERMINATED"))
    fake_job_run_set_state (run, "TERMINATED", "CANCELED", "Run cancelled.");
  g_mutex_unlock (&self->mutex);

  if (run == NULL)
    reply_no_job_run (msg, run_id);
  else
    reply_empty_object (msg);
}

static const FakeRoute routes[] = {
  { "GET", "/api/2.1/unity-catalog/catalogs", TRUE, handle_list_catalogs },
  { "GET", "/api/2.1/unity-catalog/schemas", TRUE, handle_list_schemas },
  { "GET", "/api/2.1/unity-catalog/tables", TRUE, handle_list_tables },
  { "GET", "/api/2.1/unity-catalog/volumes", TRUE, handle_list_volumes },
  { "POST", "/oidc/v1/token", TRUE, handle_token },
  { "GET", "/api/2.0/preview/scim/v2/Me", TRUE, handle_me },
  { "GET", "/api/2.0/sql/warehouses/", FALSE, handle_warehouse },
  { "POST", "/api/2.0/sql/statements", TRUE, handle_execute_statement },
  { "GET", "/api/2.0/sql/statements/", FALSE, handle_get_statement },
  { "POST", "/api/2.0/sql/statements/", FALSE, handle_cancel_statement },
  { "GET", "/external/", FALSE, handle_external_chunk },
  { "PUT", "/api/2.0/fs/files/", FALSE, handle_put_file },
  { "GET", "/api/2.0/fs/files/", FALSE, handle_get_file },
  { "HEAD", "/api/2.0/fs/files/", FALSE, handle_get_file },
  { "DELETE", "/api/2.0/fs/files/", FALSE, handle_delete_file },
  { "GET", "/api/2.0/fs/directories/", FALSE, handle_list_directory },
  { "PUT", "/api/2.0/fs/directories/", FALSE, handle_create_directory },
  { "DELETE", "/api/2.0/fs/directories/", FALSE, handle_delete_directory },
  { "GET", "/api/2.1/unity-catalog/entity-tag-assignments/", FALSE, handle_list_tags },
  { "GET", "/api/2.0/serving-endpoints", TRUE, handle_list_endpoints },
  { "GET", "/api/2.0/serving-endpoints/", FALSE, handle_get_endpoint },
  { "POST", "/serving-endpoints/", FALSE, handle_invoke_endpoint },
  { "GET", "/api/2.0/mlflow/experiments/get-by-name", TRUE, handle_get_experiment },
  { "POST", "/api/2.0/mlflow/experiments/create", TRUE, handle_create_experiment },
  { "POST", "/api/2.0/mlflow/runs/create", TRUE, handle_create_run },
  { "POST", "/api/2.0/mlflow/runs/log-batch", TRUE, handle_log_batch },
  { "POST", "/api/2.0/mlflow/runs/update", TRUE, handle_update_run },
  { "POST", "/api/2.2/jobs/runs/submit", TRUE, handle_submit_run },
  { "GET", "/api/2.2/jobs/runs/get", TRUE, handle_get_run },
  { "POST", "/api/2.2/jobs/runs/cancel", TRUE, handle_cancel_run },
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

  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  gboolean required = FALSE, accepted = FALSE;

  g_mutex_lock (&self->mutex);
  /* The token endpoint checks its own (Basic) authentication; storage links need none. */
  if (!g_str_equal (path, "/oidc/v1/token") && !g_str_has_prefix (path, "/external/"))
    {
      required = self->token != NULL || self->client_id != NULL;
      if (self->token != NULL)
        {
          expected = g_strconcat ("Bearer ", self->token, NULL);
          accepted = g_strcmp0 (authorization, expected) == 0;
        }
      if (!accepted && authorization != NULL && g_str_has_prefix (authorization, "Bearer "))
        {
          gint64 *expiry = g_hash_table_lookup (self->issued, authorization + strlen ("Bearer "));

          accepted = expiry != NULL && g_get_monotonic_time () < *expiry;
        }
    }
  g_mutex_unlock (&self->mutex);

  if (required && !accepted)
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
take_fault (FakeDatabricks    *self,
            SoupServerMessage *msg,
            const char        *path,
            FakeFault         *fault,
            int               *value)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize body_size = 0;
  const char *body_data = g_bytes_get_data (body, &body_size);
  gboolean found = FALSE;

  g_mutex_lock (&self->mutex);
  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      FakeFaultEntry *entry = l->data;

      if (entry->remaining == 0)
        continue;
      if (entry->path_prefix != NULL && !g_str_has_prefix (path, entry->path_prefix))
        continue;
      if (entry->body_needle != NULL &&
          (body_data == NULL || g_strstr_len (body_data, body_size, entry->body_needle) == NULL))
        continue;

      if (entry->remaining != FAKE_FAULT_FOREVER)
        entry->remaining--;
      *fault = entry->fault;
      *value = entry->value;
      found = TRUE;
      break;
    }

  /* Random faults: answered with an error, or run and then the answer lost. */
  if (!found && self->fault_rate > 0 && g_rand_double (self->fault_rand) < self->fault_rate)
    {
      static const FakeFault kinds[] = {
        FAKE_FAULT_UNAVAILABLE, FAKE_FAULT_RATE_LIMIT, FAKE_FAULT_TRUNCATE, FAKE_FAULT_DROP,
      };

      *fault = kinds[g_rand_int_range (self->fault_rand, 0, G_N_ELEMENTS (kinds))];
      *value = 0;
      found = TRUE;
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

static gboolean
on_stall_elapsed_cb (gpointer user_data)
{
  g_io_stream_close (G_IO_STREAM (user_data), NULL, NULL);

  return G_SOURCE_REMOVE;
}

/* Like send_truncated(), but the connection stays open, silent, for @msec first. */
static void
send_stalled (FakeDatabricks    *self,
              SoupServerMessage *msg,
              guint              msec)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GSource) source = NULL;
  g_autofree char *head = NULL;
  GOutputStream *output;
  gsize size;
  gconstpointer data;

  dispatch (self, msg);
  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  data = g_bytes_get_data (body, &size);

  head = g_strdup_printf ("HTTP/1.1 %u OK\r\n"
                          "Content-Type: application/octet-stream\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          soup_server_message_get_status (msg), size);

  stream = soup_server_message_steal_connection (msg);
  output = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (output, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (output, data, size / 2, NULL, NULL, NULL);
  g_output_stream_flush (output, NULL, NULL);

  source = g_timeout_source_new (msec);
  g_source_set_callback (source, on_stall_elapsed_cb, g_object_ref (stream), g_object_unref);
  g_source_attach (source, self->context);
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

  if (!take_fault (self, msg, path, &fault, &value))
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

    case FAKE_FAULT_SERVER_ERROR:
      reply_error (msg, 500, "INTERNAL_ERROR", "Something went wrong in the workspace.");
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

    case FAKE_FAULT_STALL:
      send_stalled (self, msg, (guint) MAX (0, value));
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

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
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
  self->expires_in = 3600;
  self->issued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->user_name = g_strdup ("ada@example.com");
  self->warehouses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fake_warehouse_free);
  self->page_size = 2;
  self->chunk_size = 1000;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fake_statement_free);
  self->created_volumes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_endpoint_free);
  self->experiments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->mlflow_runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->job_runs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) fake_job_run_free);
  self->job_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake_databricks_set_serving_endpoint (self, "databricks-meta-llama-3-3-70b-instruct", "READY", "NOT_UPDATING", "llm/v1/chat");
  fake_databricks_set_serving_endpoint (self, "labeler-v2", "NOT_READY", "IN_PROGRESS", NULL);
  fake_databricks_set_serving_endpoint (self, "gte-embeddings", "READY", "UPDATE_FAILED", "llm/v1/embeddings");
  self->files_root = g_dir_make_tmp ("fake-databricks-files-XXXXXX", NULL);
  if (self->files_root == NULL)
    g_error ("fake-databricks could not make a directory for its files");
  fake_databricks_set_warehouse (self, "0123456789abcdef", "Starter Warehouse", "RUNNING");

  /* readings: ten rows, one with a NULL note. The Unity Catalog tables of uc_tables, with
   * their columns: orders (twelve, three of them returned), customers, returns, and the
   * clinic's patients and visits, for tags on personal data. */
  if (sqlite3_open (":memory:", &self->db) != SQLITE_OK ||
      (fake_sql_register_functions (self->db), FALSE) ||
      sqlite3_exec (self->db,
                    "CREATE TABLE readings (id INTEGER PRIMARY KEY, city TEXT, celsius REAL, note TEXT);"
                    "INSERT INTO readings VALUES"
                    " (1, 'Oslo', -3.5, 'snow'), (2, 'Lima', 19.0, 'fog'), (3, 'Oslo', -1.0, NULL),"
                    " (4, 'Cairo', 31.5, 'dry'), (5, 'Oslo', 0.5, 'sleet'), (6, 'Lima', 21.0, 'sun'),"
                    " (7, 'Oslo', 2.0, 'rain'), (8, 'Cairo', 29.0, 'wind'), (9, 'Oslo', 4.5, 'rain'),"
                    " (10, 'Lima', 18.5, 'fog');"
                    "CREATE TABLE `main.sales.orders` (id BIGINT, amount DECIMAL(10,2), note STRING);"
                    "INSERT INTO `main.sales.orders` VALUES"
                    " (1, 12.50, 'first order'), (2, 8.00, NULL), (3, 120.10, 'bulk'), (4, 3.25, 'sample'),"
                    " (5, 40.00, 'gift'), (6, 15.75, NULL), (7, 99.99, 'rush'), (8, 0.10, 'test'),"
                    " (9, 57.30, 'repeat'), (10, 22.00, NULL), (11, 61.45, 'late'), (12, 5.05, 'tiny');"
                    "CREATE TABLE `main.sales.customers` (id BIGINT, name STRING);"
                    "INSERT INTO `main.sales.customers` VALUES (1, 'Ada Obi'), (2, 'Lin Park'), (3, 'Sam Roe');"
                    "CREATE TABLE `main.sales.returns` (order_id BIGINT, reason STRING);"
                    "INSERT INTO `main.sales.returns` VALUES (3, 'damaged'), (7, 'late delivery'), (11, 'wrong size');"
                    "CREATE TABLE `samples.clinic.patients` (id BIGINT, name STRING, ssn STRING, age INT);"
                    "INSERT INTO `samples.clinic.patients` VALUES"
                    " (1, 'Mira Holt', '078-05-1120', 54), (2, 'Tom Ekdahl', '219-09-9999', 37), (3, 'Ana Ruiz', '457-55-5462', 61);"
                    "CREATE TABLE `samples.clinic.visits` (patient_id BIGINT, visited DATE, diagnosis STRING);"
                    "INSERT INTO `samples.clinic.visits` VALUES"
                    " (1, '2026-01-04', 'sprain'), (2, '2026-01-09', 'checkup'), (3, '2026-02-01', 'flu');",
                    NULL, NULL, NULL) != SQLITE_OK)
    g_error ("fake-databricks could not set up its database: %s", sqlite3_errmsg (self->db));

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
  g_free (self->client_id);
  g_free (self->client_secret);
  g_hash_table_unref (self->issued);
  g_free (self->user_name);
  g_hash_table_unref (self->warehouses);
  g_hash_table_unref (self->statements);
  g_hash_table_unref (self->created_volumes);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_hash_table_unref (self->tags);
  g_ptr_array_unref (self->endpoints);
  g_hash_table_unref (self->experiments);
  g_hash_table_unref (self->mlflow_runs);
  fake_job_script_free (self->job_script);
  g_hash_table_unref (self->job_runs);
  g_hash_table_unref (self->job_tokens);
  remove_tree (self->files_root);
  g_free (self->files_root);
  sqlite3_close (self->db);
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
static void
push_fault (FakeDatabricks *self,
            const char     *path_prefix,
            const char     *body_needle,
            FakeFault       fault,
            guint           count,
            int             value)
{
  FakeFaultEntry *entry = g_new0 (FakeFaultEntry, 1);

  entry->path_prefix = g_strdup (path_prefix);
  entry->body_needle = g_strdup (body_needle);
  entry->fault = fault;
  entry->remaining = count;
  entry->value = value;

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->faults, entry);
  g_mutex_unlock (&self->mutex);
}

void
fake_databricks_add_fault (FakeDatabricks *self,
                           const char     *path_prefix,
                           FakeFault       fault,
                           guint           count,
                           int             value)
{
  push_fault (self, path_prefix, NULL, fault, count, value);
}

/**
 * fake_databricks_add_body_fault:
 * @needle: only requests whose body contains this
 *
 * Like fake_databricks_add_fault(), for requests chosen by their body: one statement
 * among many sent to the same path.
 */
void
fake_databricks_add_body_fault (FakeDatabricks *self,
                                const char     *needle,
                                FakeFault       fault,
                                guint           count,
                                int             value)
{
  push_fault (self, NULL, needle, fault, count, value);
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

/* With a client set, /oidc/v1/token hands out tokens valid @expires_in seconds to Basic
 * auth with @client_id:@client_secret, and the other endpoints accept them. */
void
fake_databricks_set_oauth_client (FakeDatabricks *self,
                                  const char     *client_id,
                                  const char     *client_secret,
                                  guint           expires_in)
{
  g_mutex_lock (&self->mutex);
  g_free (self->client_id);
  g_free (self->client_secret);
  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  self->expires_in = expires_in;
  g_mutex_unlock (&self->mutex);
}

guint
fake_databricks_get_n_tokens_issued (FakeDatabricks *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_issued;
  g_mutex_unlock (&self->mutex);

  return n;
}

/* What scim/v2/Me answers as userName; "ada@example.com" by default. */
void
fake_databricks_set_user_name (FakeDatabricks *self,
                               const char     *user_name)
{
  g_mutex_lock (&self->mutex);
  g_free (self->user_name);
  self->user_name = g_strdup (user_name);
  g_mutex_unlock (&self->mutex);
}

/* Adds or changes a warehouse; "0123456789abcdef" ("Starter Warehouse", RUNNING) exists
 * from the start. */
void
fake_databricks_set_warehouse (FakeDatabricks *self,
                               const char     *id,
                               const char     *name,
                               const char     *state)
{
  FakeWarehouse *warehouse = g_new0 (FakeWarehouse, 1);

  warehouse->name = g_strdup (name);
  warehouse->state = g_strdup (state);

  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->warehouses, g_strdup (id), warehouse);
  g_mutex_unlock (&self->mutex);
}

/* Unity Catalog pages when the client does not ask for max_results; 2 by default. */
void
fake_databricks_set_page_size (FakeDatabricks *self,
                               guint           page_size)
{
  g_mutex_lock (&self->mutex);
  self->page_size = MAX (1, page_size);
  g_mutex_unlock (&self->mutex);
}

/* Rows per result chunk of a statement; 1000 by default. */
void
fake_databricks_set_chunk_size (FakeDatabricks *self,
                                guint           rows)
{
  g_mutex_lock (&self->mutex);
  self->chunk_size = MAX (1, rows);
  g_mutex_unlock (&self->mutex);
}

/* An INLINE result larger than @bytes (of values) fails its statement, as the workspace
 * does past 25 MiB; 0 (the default) for no limit. */
void
fake_databricks_set_inline_limit (FakeDatabricks *self,
                                  gint64          bytes)
{
  g_mutex_lock (&self->mutex);
  self->inline_limit = bytes;
  g_mutex_unlock (&self->mutex);
}

/* Returns: result chunks fetched through their external links */
guint
fake_databricks_get_n_external_fetches (FakeDatabricks *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_external_fetches;
  g_mutex_unlock (&self->mutex);

  return n;
}

/* Statements submitted from now on answer PENDING, then RUNNING to the next @polls - 1
 * status requests, then their result. 0 (the default): they finish at once. */
void
fake_databricks_set_slow_polls (FakeDatabricks *self,
                                guint           polls)
{
  g_mutex_lock (&self->mutex);
  self->slow_polls = polls;
  g_mutex_unlock (&self->mutex);
}

/* Returns: MERGE statements run so far */
guint
fake_databricks_get_n_merges (FakeDatabricks *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_merges;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * fake_databricks_query_int:
 * @sql: SQL in the workspace's dialect, answering one integer
 *
 * Reads the fake's tables directly, as a test's check of what the workspace holds.
 * Returns: the integer, or -1 when the query fails
 */
gint64
fake_databricks_query_int (FakeDatabricks *self,
                           const char     *sql)
{
  g_autofree char *translated = fake_sql_translate (sql);
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_mutex_lock (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, translated, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->mutex);

  return value;
}

/* Where the fake keeps the file at @volume_path ("/Volumes/main/sales/raw_files/a.csv"),
 * whether or not it exists. Volumes of main.sales exist. */
char *
fake_databricks_get_local_path (FakeDatabricks *self,
                                const char     *volume_path)
{
  g_return_val_if_fail (g_str_has_prefix (volume_path, "/Volumes/"), NULL);

  return g_build_filename (self->files_root, volume_path + strlen ("/Volumes/"), NULL);
}

/* Assigns the tag @key (with @value, "" for none) to an entity such as ("tables",
 * "main.plant.readings"); assigning a key again changes its value. */
void
fake_databricks_set_tag (FakeDatabricks *self,
                         const char     *entity_type,
                         const char     *entity_name,
                         const char     *key,
                         const char     *value)
{
  g_autofree char *entity = g_strconcat (entity_type, "/", entity_name, NULL);
  GPtrArray *tags;

  g_mutex_lock (&self->mutex);
  tags = g_hash_table_lookup (self->tags, entity);
  if (tags == NULL)
    {
      tags = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->tags, g_steal_pointer (&entity), tags);
    }
  for (guint i = 0; i + 1 < tags->len; i += 2)
    {
      if (g_str_equal (g_ptr_array_index (tags, i), key))
        {
          g_free (g_ptr_array_index (tags, i + 1));
          g_ptr_array_index (tags, i + 1) = g_strdup (value != NULL ? value : "");
          g_mutex_unlock (&self->mutex);
          return;
        }
    }
  g_ptr_array_add (tags, g_strdup (key));
  g_ptr_array_add (tags, g_strdup (value != NULL ? value : ""));
  g_mutex_unlock (&self->mutex);
}

/* Adds or changes a serving endpoint. Three exist from the start:
 * databricks-meta-llama-3-3-70b-instruct (READY, a chat model), labeler-v2 (NOT_READY,
 * IN_PROGRESS) and gte-embeddings (READY, UPDATE_FAILED). */
void
fake_databricks_set_serving_endpoint (FakeDatabricks *self,
                                      const char     *name,
                                      const char     *ready,
                                      const char     *config_update,
                                      const char     *task)
{
  FakeEndpoint *endpoint;

  g_mutex_lock (&self->mutex);
  endpoint = find_endpoint (self, name);
  if (endpoint == NULL)
    {
      endpoint = g_new0 (FakeEndpoint, 1);
      endpoint->name = g_strdup (name);
      g_ptr_array_add (self->endpoints, endpoint);
    }
  g_free (endpoint->ready);
  g_free (endpoint->config_update);
  g_free (endpoint->task);
  endpoint->ready = g_strdup (ready);
  endpoint->config_update = g_strdup (config_update);
  endpoint->task = g_strdup (task);
  g_mutex_unlock (&self->mutex);
}

/* Returns: (transfer full) (nullable): the MLflow run as the fake keeps it: run_id,
 * experiment_id, run_name, status, start_time, end_time, tags and params (objects of
 * strings) and metrics (the logged objects, in order). */
JsonNode *
fake_databricks_get_mlflow_run (FakeDatabricks *self,
                                const char     *run_id)
{
  JsonNode *node = NULL;
  JsonObject *run;

  g_mutex_lock (&self->mutex);
  run = g_hash_table_lookup (self->mlflow_runs, run_id);
  if (run != NULL)
    {
      g_autoptr(JsonNode) stored = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (stored, run);
      node = json_node_copy (stored);
    }
  g_mutex_unlock (&self->mutex);

  return node;
}

/* How many job runs were started (by runs/submit), whatever their state. */
guint
fake_databricks_get_n_job_runs (FakeDatabricks *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = g_hash_table_size (self->job_runs);
  g_mutex_unlock (&self->mutex);

  return n;
}

/* Moves a submitted run on: ("RUNNING", NULL, "In run"), ("TERMINATED", "SUCCESS", "")… */
void
fake_databricks_set_job_run_state (FakeDatabricks *self,
                                   gint64          run_id,
                                   const char     *life_cycle_state,
                                   const char     *result_state,
                                   const char     *state_message)
{
  FakeJobRun *run;

  g_mutex_lock (&self->mutex);
  run = g_hash_table_lookup (self->job_runs, GSIZE_TO_POINTER ((gsize) run_id));
  g_assert (run != NULL);
  fake_job_run_set_state (run, life_cycle_state, result_state, state_message);
  g_mutex_unlock (&self->mutex);
}

/* Every OAuth token handed out so far stops working, as if revoked. */
void
fake_databricks_revoke_tokens (FakeDatabricks *self)
{
  g_mutex_lock (&self->mutex);
  g_hash_table_remove_all (self->issued);
  g_mutex_unlock (&self->mutex);
}

/**
 * fake_databricks_set_fault_rate:
 * @rate: the share of requests, 0 to 1, that meet a fault
 * @seed: for the random choice, so a failing run can be repeated
 *
 * From now on a random share of requests gets a 503 or a 429 (Retry-After: 0), or is
 * carried out with its answer cut short or its connection dropped.
 */
void
fake_databricks_set_fault_rate (FakeDatabricks *self,
                                double          rate,
                                guint32         seed)
{
  g_mutex_lock (&self->mutex);
  self->fault_rate = rate;
  g_clear_pointer (&self->fault_rand, g_rand_free);
  self->fault_rand = g_rand_new_with_seed (seed);
  g_mutex_unlock (&self->mutex);
}

/* Returns: requests so far whose body contains @needle */
guint
fake_databricks_count_bodies_containing (FakeDatabricks *self,
                                         const char     *needle)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      FakeRequest *request = g_ptr_array_index (self->requests, i);
      gsize length = 0;
      const char *body = request->body != NULL ? g_bytes_get_data (request->body, &length) : NULL;

      if (body != NULL && g_strstr_len (body, length, needle) != NULL)
        n++;
    }
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * fake_databricks_set_job_script:
 * @result_state: (nullable): how runs end ("SUCCESS", "FAILED"…); %NULL: runs submitted
 *   from now on wait for fake_databricks_set_job_run_state(), as by default
 * @result_json: (nullable): what a successful run writes at its "--output" path
 *
 * Runs submitted from now on play out by themselves as their runs/get is polled: PENDING,
 * then RUNNING for @running_polls polls, then TERMINATED with @result_state and
 * @state_message.
 */
void
fake_databricks_set_job_script (FakeDatabricks *self,
                                guint           running_polls,
                                const char     *result_state,
                                const char     *state_message,
                                const char     *result_json)
{
  FakeJobScript *script = NULL;

  if (result_state != NULL)
    {
      script = g_new0 (FakeJobScript, 1);
      script->running_polls = running_polls;
      script->result_state = g_strdup (result_state);
      script->state_message = g_strdup (state_message != NULL ? state_message : "");
      script->result_json = g_strdup (result_json);
    }

  g_mutex_lock (&self->mutex);
  fake_job_script_free (self->job_script);
  self->job_script = script;
  g_mutex_unlock (&self->mutex);
}

/* Returns: (transfer full) (nullable): the runs/submit request that started @run_id */
JsonNode *
fake_databricks_get_job_run_spec (FakeDatabricks *self,
                                  gint64          run_id)
{
  FakeJobRun *run;
  JsonNode *spec = NULL;

  g_mutex_lock (&self->mutex);
  run = g_hash_table_lookup (self->job_runs, GSIZE_TO_POINTER ((gsize) run_id));
  if (run != NULL && run->spec != NULL)
    spec = json_node_copy (run->spec);
  g_mutex_unlock (&self->mutex);

  return spec;
}
