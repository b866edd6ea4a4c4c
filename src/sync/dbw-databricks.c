/* dbw-databricks.c
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

#define G_LOG_DOMAIN "dbw-databricks"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dbw-databricks.h"
#include "dbw-sql-result-private.h"

/* DbwDatabricks speaks the workspace's REST APIs on top of DbwHttp: the sign-in (a personal
 * access token, or an OAuth token for a service principal fetched from /oidc/v1/token and
 * cached until shortly before it expires), Test Connection, Unity Catalog listings and tags
 * with paging done here, SQL statements through the Statement Execution API, the Files API
 * for volumes (files streamed from and to disk by DbwHttp), model serving endpoints, MLflow
 * tracking and one-time job runs.
 *
 * Whether a call may be retried is decided per call: reads always; writes when repeating
 * them changes nothing (an upload that overwrites, logging the same MLflow batch, a job run
 * submitted with its idempotency token); never for one that would act twice (a SQL
 * statement, a new MLflow run, an invocation unless the caller says it is safe).
 *
 * Every operation is a chain of DbwHttp requests whose callbacks run on the main context
 * of the thread that started the operation. The object keeps state (the OAuth token and
 * the callers waiting for one) and is therefore used from one thread: the one that made
 * it. Secrets (token, client secret) only go into request headers; nothing here logs
 * them, nor does DbwHttp. */

#define DEFAULT_POLL_INTERVAL_MS 500
#define MAX_POLL_INTERVAL_MS     5000
#define TOKEN_REFRESH_MARGIN_US  (60 * G_USEC_PER_SEC)
#define MAX_PAGES                10000
#define STATEMENTS_PATH          "/api/2.0/sql/statements/"

struct _DbwDatabricks
{
  GObject parent_instance;

  DbwDatabricksConfig *config;
  DbwHttp *http;
  guint poll_interval;

  /* OAuth M2M */
  char *access_token;
  gint64 token_refresh_at;   /* monotonic µs after which the token is fetched again */
  GPtrArray *token_waiters;  /* GTask; not empty while a token request is in flight */
  guint n_tokens_fetched;
};

G_DEFINE_FINAL_TYPE (DbwDatabricks, dbw_databricks, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-databricks-error-quark, dbw_databricks_error)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_HTTP,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Source tags (function pointers cannot be compared with gpointer under -Wpedantic). */
static const char token_tag[] = "dbw_databricks_get_token_async";
static const char call_tag[] = "dbw_databricks_call_async";
static const char connection_tag[] = "dbw_databricks_test_connection_async";
static const char list_tag[] = "dbw_databricks_list_async";
static const char execute_tag[] = "dbw_databricks_execute_async";
static const char upload_file_tag[] = "dbw_databricks_upload_file_async";
static const char upload_bytes_tag[] = "dbw_databricks_upload_bytes_async";
static const char download_file_tag[] = "dbw_databricks_download_file_async";
static const char file_size_tag[] = "dbw_databricks_get_file_size_async";
static const char delete_file_tag[] = "dbw_databricks_delete_file_async";
static const char create_directory_tag[] = "dbw_databricks_create_directory_async";
static const char delete_directory_tag[] = "dbw_databricks_delete_directory_async";
static const char tags_tag[] = "dbw_databricks_list_entity_tags_async";
static const char endpoint_tag[] = "dbw_databricks_get_serving_endpoint_async";
static const char invoke_tag[] = "dbw_databricks_invoke_serving_endpoint_async";
static const char experiment_tag[] = "dbw_databricks_mlflow_get_experiment_async";
static const char create_run_tag[] = "dbw_databricks_mlflow_create_run_async";
static const char log_batch_tag[] = "dbw_databricks_mlflow_log_batch_async";
static const char terminate_tag[] = "dbw_databricks_mlflow_set_terminated_async";
static const char submit_tag[] = "dbw_databricks_jobs_submit_run_async";
static const char get_run_tag[] = "dbw_databricks_jobs_get_run_async";
static const char cancel_run_tag[] = "dbw_databricks_jobs_cancel_run_async";

/* --- helpers -------------------------------------------------------------------------- */

static void
wipe_string (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static char *
escape_component (const char *value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

/* "{host}{path}", @path starting with "/". */
static char *
build_url (DbwDatabricks *self,
           const char    *path)
{
  return g_strconcat (dbw_databricks_config_get_host (self->config), path, NULL);
}

static void
append_query (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = escape_component (value);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* TRUE only for a JSON true. */
static gboolean
get_boolean (JsonObject *object,
             const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;

  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* A whole number, or -1 when absent or not a number. Numbers such as expires_in come as
 * strings from some servers. */
static gint64
get_int64 (JsonObject *object,
           const char *member)
{
  JsonNode *node;
  guint64 value;

  if (object == NULL || !json_object_has_member (object, member))
    return -1;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return -1;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_STRING:
      if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
        return (gint64) value;
      return -1;
    default:
      return -1;
    }
}

static JsonObject *
expect_object (JsonNode    *node,
               const char  *what,
               GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                   _("The workspace sent an unexpected answer to the %s request"), what);
      return NULL;
    }

  return json_node_get_object (node);
}

/* Warehouse ids are hex strings; accept the letters, digits, "-" and "_" only. */
static gboolean
validate_warehouse_id (const char  *warehouse_id,
                       GError     **error)
{
  if (warehouse_id == NULL || *warehouse_id == '\0' || strlen (warehouse_id) > 128)
    goto bad;

  for (const char *p = warehouse_id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      goto bad;

  return TRUE;

bad:
  g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
               _("“%s” is not a SQL warehouse id; copy the id from the warehouse’s Connection details"),
               warehouse_id != NULL ? warehouse_id : "");
  return FALSE;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
validate_parameter_name (const char  *name,
                         GError     **error)
{
  gboolean ok = name != NULL && (g_ascii_isalpha (*name) || *name == '_');

  for (const char *p = name; ok && *p != '\0'; p++)
    ok = g_ascii_isalnum (*p) || *p == '_';

  if (!ok)
    g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                 _("“%s” is not a valid query parameter name: use letters, digits and “_”"),
                 name != NULL ? name : "");

  return ok;
}

/* --- sign-in -------------------------------------------------------------------------- */

static gboolean
has_valid_token (DbwDatabricks *self)
{
  return self->access_token != NULL && g_get_monotonic_time () < self->token_refresh_at;
}

static void
clear_token (DbwDatabricks *self)
{
  g_clear_pointer (&self->access_token, wipe_string);
  self->token_refresh_at = 0;
}

static GError *
sign_in_error (DbwDatabricks *self,
               GError        *error)
{
  GError *rewritten;

  if (error->domain != DBW_HTTP_ERROR ||
      (error->code != DBW_HTTP_ERROR_UNAUTHORIZED && error->code != DBW_HTTP_ERROR_HTTP_STATUS &&
       error->code != DBW_HTTP_ERROR_FORBIDDEN))
    return error;

  /* 400 invalid_client and 401 both mean the id or the secret is wrong. */
  rewritten = g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED,
                           _("The workspace refused the sign-in of the service principal “%s”: check its client id and secret (%s)"),
                           dbw_databricks_config_get_client_id (self->config), error->message);
  g_error_free (error);

  return rewritten;
}

static void
on_token_fetched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DbwDatabricks) self = user_data;
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *answer;

  node = dbw_http_send_json_finish (DBW_HTTP (object), result, &error);

  if (node != NULL && (answer = expect_object (node, "sign-in", &error)) != NULL)
    {
      const char *token = get_string (answer, "access_token");
      gint64 expires_in = get_int64 (answer, "expires_in");

      if (token == NULL || *token == '\0')
        {
          error = g_error_new_literal (DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_SIGN_IN,
                                       _("The workspace’s sign-in service sent no access token"));
        }
      else
        {
          gint64 lifetime;

          if (expires_in <= 0)
            expires_in = 3600;
          lifetime = expires_in * G_USEC_PER_SEC;

          clear_token (self);
          self->access_token = g_strdup (token);
          /* A minute early, or halfway for tokens that live less than two minutes. */
          self->token_refresh_at = g_get_monotonic_time () + lifetime - MIN (TOKEN_REFRESH_MARGIN_US, lifetime / 2);
          self->n_tokens_fetched++;
          g_debug ("Signed in as service principal %s; the token is valid for %" G_GINT64_FORMAT " s",
                   dbw_databricks_config_get_client_id (self->config), expires_in);
        }
    }
  else if (error != NULL)
    {
      error = sign_in_error (self, error);
    }

  /* Callers arriving from now on start a new request. */
  waiters = g_steal_pointer (&self->token_waiters);
  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->access_token), (GDestroyNotify) wipe_string);
    }

  g_clear_error (&error);
}

static void
fetch_token (DbwDatabricks *self)
{
  static const char form[] = "grant_type=client_credentials&scope=all-apis";
  g_autoptr(DbwHttpRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = build_url (self, "/oidc/v1/token");

  request = dbw_http_request_new_json ("POST", url, NULL);
  body = g_bytes_new_static (form, strlen (form));
  dbw_http_request_set_body (request, body, "application/x-www-form-urlencoded");
  dbw_http_request_set_basic_auth (request,
                                   dbw_databricks_config_get_client_id (self->config),
                                   dbw_databricks_config_get_client_secret (self->config));
  /* Asking twice only gives a second token. */
  dbw_http_request_set_idempotent (request, TRUE);

  /* Not cancellable: other callers may be waiting for the same token. */
  dbw_http_send_json_async (self->http, request, NULL, on_token_fetched_cb, g_object_ref (self));
}

/* Completes with the bearer token to use (transfer full, a char *). One token request at
 * a time: callers who come while one is in flight wait for its answer. */
static void
get_token_async (DbwDatabricks       *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, (gpointer) token_tag);

  if (dbw_databricks_config_get_auth (self->config) == DBW_DATABRICKS_AUTH_PAT)
    {
      g_task_return_pointer (task, g_strdup (dbw_databricks_config_get_token (self->config)),
                             (GDestroyNotify) wipe_string);
      return;
    }

  if (has_valid_token (self))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), (GDestroyNotify) wipe_string);
      return;
    }

  g_ptr_array_add (self->token_waiters, g_object_ref (task));
  if (self->token_waiters->len == 1)
    fetch_token (self);
}

static char *
get_token_finish (DbwDatabricks  *self,
                  GAsyncResult   *result,
                  GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- one API call --------------------------------------------------------------------- */

/* One request with the sign-in: JSON both ways, or raw (bytes or a file out, the
 * DbwHttpResponse back, its body possibly written to a file). */
typedef struct
{
  char *method;
  char *url;
  JsonNode *body;
  gboolean raw;
  GBytes *raw_body;
  GFile *body_file;
  GFile *response_file;
  char *token;
  gboolean idempotent;
  gboolean retried;
} CallData;

static void
call_data_free (CallData *data)
{
  g_free (data->method);
  g_free (data->url);
  g_clear_pointer (&data->body, json_node_unref);
  g_clear_pointer (&data->raw_body, g_bytes_unref);
  g_clear_object (&data->body_file);
  g_clear_object (&data->response_file);
  wipe_string (data->token);
  g_free (data);
}

static CallData *
call_data_new (const char *method,
               const char *url,
               gboolean    idempotent)
{
  CallData *data = g_new0 (CallData, 1);

  data->method = g_strdup (method);
  data->url = g_strdup (url);
  data->idempotent = idempotent;

  return data;
}

static void call_start (GTask *task);

static void
on_call_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwDatabricks *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer answer;

  if (data->raw)
    answer = dbw_http_send_finish (DBW_HTTP (object), result, &error);
  else
    answer = dbw_http_send_json_finish (DBW_HTTP (object), result, &error);

  /* An OAuth token may be revoked or expire early: fetch a new one, once. */
  if (answer == NULL && g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED) &&
      dbw_databricks_config_get_auth (self->config) == DBW_DATABRICKS_AUTH_OAUTH_M2M &&
      !data->retried)
    {
      g_clear_error (&error);
      data->retried = TRUE;
      if (g_strcmp0 (self->access_token, data->token) == 0)
        clear_token (self);
      call_start (g_steal_pointer (&task));
      return;
    }

  if (answer == NULL)
    g_task_return_error (task, error);
  else if (data->raw)
    g_task_return_pointer (task, answer, (GDestroyNotify) dbw_http_response_unref);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

static void
on_call_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwDatabricks *self = DBW_DATABRICKS (object);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(DbwHttpRequest) request = NULL;
  GError *error = NULL;

  g_clear_pointer (&data->token, wipe_string);
  data->token = get_token_finish (self, result, &error);
  if (data->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->raw)
    {
      request = dbw_http_request_new (data->method, data->url);
      if (data->raw_body != NULL)
        dbw_http_request_set_body (request, data->raw_body, "application/octet-stream");
      else if (data->body_file != NULL)
        dbw_http_request_set_body_file (request, data->body_file, "application/octet-stream");
      if (data->response_file != NULL)
        dbw_http_request_set_response_file (request, data->response_file);
    }
  else
    {
      request = dbw_http_request_new_json (data->method, data->url, data->body);
    }
  dbw_http_request_set_bearer_token (request, data->token);
  dbw_http_request_set_idempotent (request, data->idempotent);

  if (data->raw)
    dbw_http_send_async (self->http, request, g_task_get_cancellable (task),
                         on_call_sent_cb, g_object_ref (task));
  else
    dbw_http_send_json_async (self->http, request, g_task_get_cancellable (task),
                              on_call_sent_cb, g_object_ref (task));
}

/* Takes @task. */
static void
call_start (GTask *task)
{
  DbwDatabricks *self = g_task_get_source_object (task);

  get_token_async (self, g_task_get_cancellable (task), on_call_token_cb, task);
}

/* Takes @data. */
static void
call_data_start (DbwDatabricks       *self,
                 CallData            *data,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, (gpointer) call_tag);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  call_start (task);
}

/* @url: absolute, built with build_url(). @body: (nullable). Every JSON call of the
 * workspace's APIs, GET or POST, goes through here. */
static void
call_async (DbwDatabricks       *self,
            const char          *method,
            const char          *url,
            JsonNode            *body,
            gboolean             idempotent,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  CallData *data = call_data_new (method, url, idempotent);

  data->body = body != NULL ? json_node_ref (body) : NULL;
  call_data_start (self, data, cancellable, callback, user_data);
}

static JsonNode *
call_finish (DbwDatabricks  *self,
             GAsyncResult   *result,
             GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A call whose body is @raw_body or @body_file (or none) and whose answer is not JSON;
 * a 2xx answer's body goes to @response_file when there is one. */
static void
call_raw_async (DbwDatabricks       *self,
                const char          *method,
                const char          *url,
                GBytes              *raw_body,
                GFile               *body_file,
                GFile               *response_file,
                gboolean             idempotent,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  CallData *data = call_data_new (method, url, idempotent);

  data->raw = TRUE;
  data->raw_body = raw_body != NULL ? g_bytes_ref (raw_body) : NULL;
  data->body_file = body_file != NULL ? g_object_ref (body_file) : NULL;
  data->response_file = response_file != NULL ? g_object_ref (response_file) : NULL;
  call_data_start (self, data, cancellable, callback, user_data);
}

static DbwHttpResponse *
call_raw_finish (DbwDatabricks  *self,
                 GAsyncResult   *result,
                 GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- test connection ------------------------------------------------------------------ */

typedef struct
{
  char *warehouse_id;
  char *user_name;
  char *warehouse_state;
} ConnectionData;

typedef struct
{
  char *message;
  char *warehouse_state;
} ConnectionResult;

static void
connection_data_free (ConnectionData *data)
{
  g_free (data->warehouse_id);
  g_free (data->user_name);
  g_free (data->warehouse_state);
  g_free (data);
}

static void
connection_result_free (ConnectionResult *result)
{
  g_free (result->message);
  g_free (result->warehouse_state);
  g_free (result);
}

static const char *
host_name (DbwDatabricks *self)
{
  const char *host = dbw_databricks_config_get_host (self->config);
  const char *scheme_end = strstr (host, "://");

  return scheme_end != NULL ? scheme_end + strlen ("://") : host;
}

/* Says what went wrong in words about the workspace; the domain and code stay. */
static GError *
connection_error (DbwDatabricks *self,
                  GError        *error)
{
  const char *host = host_name (self);
  GError *rewritten = NULL;

  if (error->domain != DBW_HTTP_ERROR)
    return error;

  switch (error->code)
    {
    case DBW_HTTP_ERROR_HOST_NOT_FOUND:
      rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                               _("The workspace address “%s” was not found. Check the address in Preferences and your network connection."),
                               host);
      break;

    case DBW_HTTP_ERROR_TLS:
      rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                               _("No secure connection could be made to the workspace “%s”. A proxy or firewall may be intercepting it. (%s)"),
                               host, error->message);
      break;

    case DBW_HTTP_ERROR_NETWORK:
      rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                               _("The workspace “%s” could not be reached. Check the address and your network connection. (%s)"),
                               host, error->message);
      break;

    case DBW_HTTP_ERROR_TIMEOUT:
      rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                               _("The workspace “%s” did not answer in time. (%s)"), host, error->message);
      break;

    case DBW_HTTP_ERROR_UNAUTHORIZED:
      if (dbw_databricks_config_get_auth (self->config) == DBW_DATABRICKS_AUTH_PAT)
        rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                                 _("The token was refused by “%s”. It may have expired or been revoked: create a new personal access token in the workspace (Settings → Developer) and enter it in Preferences."),
                                 host);
      else
        rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                                 _("The service principal “%s” could not sign in to “%s”: check its client id and secret."),
                                 dbw_databricks_config_get_client_id (self->config), host);
      break;

    case DBW_HTTP_ERROR_FORBIDDEN:
      rewritten = g_error_new (DBW_HTTP_ERROR, error->code,
                               _("Signed in, but “%s” does not let this account use its API. Ask a workspace administrator for access. (%s)"),
                               host, error->message);
      break;

    default:
      return error;
    }

  g_error_free (error);
  return rewritten;
}

static void
on_warehouse_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwDatabricks *self = g_task_get_source_object (task);
  ConnectionData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *warehouse_text = NULL;
  ConnectionResult *answer;
  GError *error = NULL;
  JsonObject *warehouse;
  const char *name;
  const char *state;

  node = call_finish (self, result, &error);
  if (node == NULL)
    {
      if (g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND))
        {
          g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_WAREHOUSE_NOT_FOUND,
                                   _("Signed in as %s, but there is no SQL warehouse with the id “%s” in this workspace, or this account may not use it."),
                                   data->user_name, data->warehouse_id);
          g_error_free (error);
        }
      else
        {
          g_task_return_error (task, connection_error (self, error));
        }
      return;
    }

  if ((warehouse = expect_object (node, "SQL warehouse", &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  name = get_string (warehouse, "name");
  if (name == NULL)
    name = data->warehouse_id;
  state = get_string (warehouse, "state");
  if (state == NULL)
    state = "UNKNOWN";

  if (g_str_equal (state, "DELETED") || g_str_equal (state, "DELETING"))
    {
      g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_WAREHOUSE_UNAVAILABLE,
                               _("The SQL warehouse “%s” has been deleted; choose another one in Preferences."),
                               name);
      return;
    }

  if (g_str_equal (state, "RUNNING"))
    warehouse_text = g_strdup_printf (_("The SQL warehouse “%s” is running."), name);
  else if (g_str_equal (state, "STARTING"))
    warehouse_text = g_strdup_printf (_("The SQL warehouse “%s” is starting."), name);
  else if (g_str_equal (state, "STOPPED"))
    warehouse_text = g_strdup_printf (_("The SQL warehouse “%s” is stopped; start it in the workspace or let a query start it."), name);
  else if (g_str_equal (state, "STOPPING"))
    warehouse_text = g_strdup_printf (_("The SQL warehouse “%s” is stopping; start it again in the workspace or let a query start it."), name);
  else
    warehouse_text = g_strdup_printf (_("The SQL warehouse “%s” is in the state %s."), name, state);

  answer = g_new0 (ConnectionResult, 1);
  answer->message = g_strdup_printf (_("Signed in to %s as %s. %s"), host_name (self), data->user_name, warehouse_text);
  answer->warehouse_state = g_strdup (state);
  g_task_return_pointer (task, answer, (GDestroyNotify) connection_result_free);
}

static void
on_me_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwDatabricks *self = g_task_get_source_object (task);
  ConnectionData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *me;
  const char *user_name;

  node = call_finish (self, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, connection_error (self, error));
      return;
    }

  if ((me = expect_object (node, "user", &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  user_name = get_string (me, "userName");
  if (user_name == NULL)
    user_name = get_string (me, "displayName");
  if (user_name == NULL && dbw_databricks_config_get_auth (self->config) == DBW_DATABRICKS_AUTH_OAUTH_M2M)
    user_name = dbw_databricks_config_get_client_id (self->config);
  data->user_name = g_strdup (user_name != NULL ? user_name : _("an unnamed user"));

  if (data->warehouse_id != NULL)
    {
      g_autofree char *escaped = escape_component (data->warehouse_id);
      g_autofree char *path = g_strconcat ("/api/2.0/sql/warehouses/", escaped, NULL);
      g_autofree char *url = build_url (self, path);

      call_async (self, "GET", url, NULL, TRUE, g_task_get_cancellable (task),
                  on_warehouse_cb, g_object_ref (task));
      return;
    }

  {
    ConnectionResult *answer = g_new0 (ConnectionResult, 1);

    answer->message = g_strdup_printf (_("Signed in to %s as %s."), host_name (self), data->user_name);
    g_task_return_pointer (task, answer, (GDestroyNotify) connection_result_free);
  }
}

/* --- paged listings -------------------------------------------------------------------- */

/* A listing that follows next_page_token (page_token in the next request) to the end and
 * collects the items of every page, each turned into an entry by @parse. */
typedef struct _ListData ListData;
typedef gpointer (*ListParseFunc) (ListData   *data,
                                   JsonObject *item);

struct _ListData
{
  char *base_url;
  const char *member;  /* the array of items in each page */
  ListParseFunc parse; /* an entry, or NULL to skip the item */
  DbwUcKind kind;      /* Unity Catalog listings */
  char *parent;        /* "main" or "main.sales": for a full_name the answer leaves out */
  char *subject;       /* nullable: what is listed, named in errors ("/Volumes/…") */
  char *page_token;
  guint n_pages;
  GPtrArray *entries;
};

static void
list_data_free (ListData *data)
{
  g_free (data->base_url);
  g_free (data->parent);
  g_free (data->subject);
  g_free (data->page_token);
  g_ptr_array_unref (data->entries);
  g_free (data);
}

static ListData *
list_data_new (char           *base_url,
               const char     *member,
               ListParseFunc   parse,
               GDestroyNotify  free_entry)
{
  ListData *data = g_new0 (ListData, 1);

  data->base_url = base_url;
  data->member = member;
  data->parse = parse;
  data->entries = g_ptr_array_new_with_free_func (free_entry);

  return data;
}

/* Puts "“/Volumes/main/sales/raw_files/a.csv”: " before a workspace's error, so the user
 * knows which of many files it is about. */
static GError *
error_about (GError     *error,
             const char *subject)
{
  if (subject != NULL && error->domain == DBW_HTTP_ERROR)
    g_prefix_error (&error, _("“%s”: "), subject);

  return error;
}

static gpointer
parse_uc_entry (ListData   *data,
                JsonObject *object)
{
  const char *name = get_string (object, "name");
  const char *full_name = get_string (object, "full_name");
  g_autofree char *made_full_name = NULL;
  DbwUcEntry *entry;
  JsonArray *columns;

  if (name == NULL)
    return NULL;

  if (full_name == NULL)
    full_name = made_full_name = data->parent != NULL ? g_strconcat (data->parent, ".", name, NULL) : g_strdup (name);

  entry = dbw_uc_entry_new (data->kind, name, full_name);
  entry->comment = g_strdup (get_string (object, "comment"));

  switch (data->kind)
    {
    case DBW_UC_KIND_TABLE:
      entry->subtype = g_strdup (get_string (object, "table_type"));
      columns = get_array (object, "columns");
      for (guint i = 0; columns != NULL && i < json_array_get_length (columns); i++)
        {
          JsonNode *column_node = json_array_get_element (columns, i);
          JsonObject *column;

          if (!JSON_NODE_HOLDS_OBJECT (column_node))
            continue;
          column = json_node_get_object (column_node);
          if (get_string (column, "name") == NULL)
            continue;
          dbw_uc_entry_add_column (entry, get_string (column, "name"),
                                   get_string (column, "type_text"), get_string (column, "comment"));
        }
      break;

    case DBW_UC_KIND_VOLUME:
      entry->subtype = g_strdup (get_string (object, "volume_type"));
      break;

    case DBW_UC_KIND_CATALOG:
    case DBW_UC_KIND_SCHEMA:
    default:
      break;
    }

  return entry;
}

static void list_fetch_page (GTask *task);

static void
on_list_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwDatabricks *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *page;
  JsonArray *items;
  const char *next;

  node = call_finish (self, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error_about (error, data->subject));
      return;
    }

  if ((page = expect_object (node, "list", &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* An empty page may leave the array out altogether. */
  items = get_array (page, data->member);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      gpointer entry;

      if (JSON_NODE_HOLDS_OBJECT (item) && (entry = data->parse (data, json_node_get_object (item))) != NULL)
        g_ptr_array_add (data->entries, entry);
    }

  data->n_pages++;
  next = get_string (page, "next_page_token");

  if (next != NULL && *next != '\0')
    {
      /* A server handing out the same token again would keep us here forever. */
      if (g_strcmp0 (next, data->page_token) == 0 || data->n_pages >= MAX_PAGES)
        {
          g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                                   _("The workspace kept sending more pages of the list; stopped after %u"),
                                   data->n_pages);
          return;
        }

      g_free (data->page_token);
      data->page_token = g_strdup (next);
      list_fetch_page (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_ptr_array_ref (data->entries), (GDestroyNotify) g_ptr_array_unref);
}

/* Takes @task. */
static void
list_fetch_page (GTask *task)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GString) url = g_string_new (data->base_url);

  if (data->page_token != NULL)
    append_query (url, "page_token", data->page_token);

  call_async (self, "GET", url->str, NULL, TRUE, g_task_get_cancellable (task), on_list_page_cb, task);
}

/* Takes @data. The result is a GPtrArray of what data->parse made. */
static void
list_start (DbwDatabricks       *self,
            ListData            *data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, (gpointer) list_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  list_fetch_page (task);
}

/* --- Unity Catalog listings ----------------------------------------------------------- */

static void
list_uc_async (DbwDatabricks       *self,
            DbwUcKind            kind,
            const char          *catalog,
            const char          *schema,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GString) url = NULL;
  GError *error = NULL;
  ListData *data;
  const char *path;
  const char *member;

  /* Checked before anything is sent. */
  if ((catalog != NULL && !dbw_databricks_validate_identifier (catalog, _("catalog"), &error)) ||
      (schema != NULL && !dbw_databricks_validate_identifier (schema, _("schema"), &error)))
    {
      g_task_report_error (self, callback, user_data, (gpointer) list_tag, error);
      return;
    }

  switch (kind)
    {
    case DBW_UC_KIND_CATALOG:
      path = "/api/2.1/unity-catalog/catalogs";
      member = "catalogs";
      break;
    case DBW_UC_KIND_SCHEMA:
      path = "/api/2.1/unity-catalog/schemas";
      member = "schemas";
      break;
    case DBW_UC_KIND_TABLE:
      path = "/api/2.1/unity-catalog/tables";
      member = "tables";
      break;
    case DBW_UC_KIND_VOLUME:
      path = "/api/2.1/unity-catalog/volumes";
      member = "volumes";
      break;
    default:
      g_assert_not_reached ();
    }

  url = g_string_new (dbw_databricks_config_get_host (self->config));
  g_string_append (url, path);
  if (catalog != NULL)
    append_query (url, "catalog_name", catalog);
  if (schema != NULL)
    append_query (url, "schema_name", schema);

  data = list_data_new (g_string_free (g_steal_pointer (&url), FALSE), member,
                        parse_uc_entry, (GDestroyNotify) dbw_uc_entry_free);
  data->kind = kind;
  if (catalog != NULL && schema != NULL)
    data->parent = g_strconcat (catalog, ".", schema, NULL);
  else
    data->parent = g_strdup (catalog);

  list_start (self, data, cancellable, callback, user_data);
}

static GPtrArray *
list_finish (DbwDatabricks  *self,
             GAsyncResult   *result,
             GError        **error)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == list_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- SQL statements ------------------------------------------------------------------- */

typedef struct
{
  char *warehouse_id;
  JsonNode *body;
  char *statement_id;
  DbwSqlResult *result;
  gboolean have_columns;
  guint poll_ms;
  guint n_chunks;
  GSource *poll_source;
  GSource *cancel_source;
  JsonObject *external_link;   /* the link being fetched */
} ExecuteData;

static void
clear_wait_sources (ExecuteData *data)
{
  if (data->poll_source != NULL)
    {
      g_source_destroy (data->poll_source);
      g_clear_pointer (&data->poll_source, g_source_unref);
    }
  if (data->cancel_source != NULL)
    {
      g_source_destroy (data->cancel_source);
      g_clear_pointer (&data->cancel_source, g_source_unref);
    }
}

static void
execute_data_free (ExecuteData *data)
{
  clear_wait_sources (data);
  g_free (data->warehouse_id);
  g_clear_pointer (&data->body, json_node_unref);
  g_free (data->statement_id);
  g_clear_object (&data->result);
  g_clear_pointer (&data->external_link, json_object_unref);
  g_free (data);
}

static char *
statement_url (DbwDatabricks *self,
               const char    *statement_id,
               const char    *suffix)
{
  g_autofree char *escaped = escape_component (statement_id);
  g_autofree char *path = g_strconcat (STATEMENTS_PATH, escaped, suffix, NULL);

  return build_url (self, path);
}

static void
on_statement_cancelled_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = call_finish (DBW_DATABRICKS (object), result, &error);
  if (node == NULL)
    g_debug ("Could not cancel the statement in the workspace: %s", error->message);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The query was cancelled"));
}

/* Our caller cancelled: ask the workspace to stop the statement (best effort), then
 * report the cancellation. Takes @task. */
static void
execute_cancel (GTask *task)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  ExecuteData *data = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  clear_wait_sources (data);

  if (data->statement_id == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The query was cancelled"));
      g_object_unref (task);
      return;
    }

  g_debug ("Cancelling statement %s", data->statement_id);
  url = statement_url (self, data->statement_id, "/cancel");
  call_async (self, "POST", url, NULL, TRUE, NULL, on_statement_cancelled_cb, task);
}

static void handle_statement (GTask      *task,
                              JsonObject *statement);

static void
on_chunk_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data);

static void
add_rows (ExecuteData *data,
          JsonArray   *rows)
{
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      JsonArray *row;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        continue;

      row = json_node_get_array (row_node);
      for (guint j = 0; j < json_array_get_length (row); j++)
        {
          JsonNode *value = json_array_get_element (row, j);
          char *text = NULL;

          if (JSON_NODE_HOLDS_VALUE (value))
            {
              switch (json_node_get_value_type (value))
                {
                case G_TYPE_STRING:
                  text = g_strdup (json_node_get_string (value));
                  break;
                case G_TYPE_INT64:
                  text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
                  break;
                case G_TYPE_DOUBLE:
                  text = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
                  g_ascii_dtostr (text, G_ASCII_DTOSTR_BUF_SIZE, json_node_get_double (value));
                  break;
                case G_TYPE_BOOLEAN:
                  text = g_strdup (json_node_get_boolean (value) ? "true" : "false");
                  break;
                default:
                  break;
                }
            }

          g_ptr_array_add (values, text);
        }

      _dbw_sql_result_add_row (data->result, values);
    }
}

/* Where the chunk after @chunk (a result chunk, or one of its external links) is asked
 * for: *url stays NULL after the last one. */
static gboolean
next_chunk_url (DbwDatabricks  *self,
                ExecuteData    *data,
                JsonObject     *chunk,
                char          **url,
                GError        **error)
{
  const char *link = get_string (chunk, "next_chunk_internal_link");

  *url = NULL;

  /* Only ever a path on the same workspace: the token goes with it. */
  if (link != NULL && g_str_has_prefix (link, STATEMENTS_PATH) && strstr (link, "..") == NULL &&
      strpbrk (link, "?#\\") == NULL)
    {
      *url = build_url (self, link);
    }
  else if (json_object_has_member (chunk, "next_chunk_index"))
    {
      gint64 index = get_int64 (chunk, "next_chunk_index");
      g_autofree char *suffix = NULL;

      if (index < 0)
        {
          g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                       _("The workspace sent an unreadable result chunk number"));
          return FALSE;
        }
      suffix = g_strdup_printf ("/result/chunks/%" G_GINT64_FORMAT, index);
      *url = statement_url (self, data->statement_id, suffix);
    }

  return TRUE;
}

/* Asks for the chunk at @url, or finishes when there is none. Takes @task. */
static void
fetch_chunk (GTask *task,
             char  *url)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  ExecuteData *data = g_task_get_task_data (task);
  g_autofree char *owned_url = url;

  if (url == NULL)
    {
      g_debug ("Statement %s: %u rows in %u chunks", data->statement_id,
               dbw_sql_result_get_n_rows (data->result), data->n_chunks);
      g_task_return_pointer (task, g_object_ref (data->result), g_object_unref);
      g_object_unref (task);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  call_async (self, "GET", url, NULL, TRUE, g_task_get_cancellable (task), on_chunk_cb, task);
}

static void
on_external_chunk_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  DbwDatabricks *self = g_task_get_source_object (task);
  ExecuteData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) link = g_steal_pointer (&data->external_link);
  char *url = NULL;
  GError *error = NULL;

  node = dbw_http_send_json_finish (DBW_HTTP (object), result, &error);
  if (node == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      execute_cancel (task);
      return;
    }
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    g_set_error (&error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                 _("A result chunk of the workspace is not a list of rows"));
  if (error != NULL || !next_chunk_url (self, data, link, &url, &error))
    {
      g_prefix_error (&error, _("Could not read a result chunk: "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  add_rows (data, json_node_get_array (node));
  data->n_chunks++;
  fetch_chunk (task, url);
}

/* An EXTERNAL_LINKS chunk lives in cloud storage behind a presigned URL: it is fetched
 * without our token (the link carries its own authorisation, and the token must not leave
 * the workspace), with the headers the workspace says go with it. Takes @task. */
static void
fetch_external_chunk (GTask      *task,
                      JsonObject *link)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  ExecuteData *data = g_task_get_task_data (task);
  const char *url = get_string (link, "external_link");
  JsonObject *headers = get_object (link, "http_headers");
  g_autoptr(DbwHttpRequest) request = NULL;

  if (url == NULL || !(g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")))
    {
      g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                               _("The workspace sent a result chunk without a usable link"));
      g_object_unref (task);
      return;
    }

  request = dbw_http_request_new ("GET", url);
  dbw_http_request_set_any_content_type (request, TRUE);
  if (headers != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (headers);

      for (const GList *l = names; l != NULL; l = l->next)
        {
          const char *value = get_string (headers, l->data);

          /* Nothing that could carry a credential of ours. */
          if (value != NULL && g_ascii_strcasecmp (l->data, "Authorization") != 0 &&
              strpbrk (l->data, ":\r\n") == NULL && strpbrk (value, "\r\n") == NULL)
            dbw_http_request_add_header (request, l->data, value);
        }
    }

  data->external_link = json_object_ref (link);
  dbw_http_send_json_async (self->http, request, g_task_get_cancellable (task), on_external_chunk_cb, task);
}

/* One chunk of rows (the statement's "result", or a chunk fetched by itself): its rows
 * inline, or a link to them; then the next chunk, or the end. Takes @task. */
static void
handle_chunk (GTask      *task,
              JsonObject *chunk)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  ExecuteData *data = g_task_get_task_data (task);
  char *url = NULL;
  GError *error = NULL;

  if (chunk != NULL)
    {
      JsonArray *links = get_array (chunk, "external_links");

      if (links != NULL && json_array_get_length (links) > 0)
        {
          JsonNode *link = json_array_get_element (links, 0);

          if (!JSON_NODE_HOLDS_OBJECT (link))
            {
              g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                                       _("The workspace sent an unreadable result link"));
              g_object_unref (task);
              return;
            }
          fetch_external_chunk (task, json_node_get_object (link));
          return;
        }

      add_rows (data, get_array (chunk, "data_array"));
      data->n_chunks++;

      if (!next_chunk_url (self, data, chunk, &url, &error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }

  fetch_chunk (task, url);
}

static void
on_chunk_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *chunk;

  node = call_finish (DBW_DATABRICKS (object), result, &error);
  if (node == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      execute_cancel (task);
      return;
    }
  if (node == NULL || (chunk = expect_object (node, "result chunk", &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  handle_chunk (task, chunk);
}

static void
on_statement_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *statement;

  node = call_finish (DBW_DATABRICKS (object), result, &error);
  if (node == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      execute_cancel (task);
      return;
    }
  if (node == NULL || (statement = expect_object (node, "SQL statement", &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  handle_statement (task, statement);
}

static gboolean
on_poll_due_cb (gpointer user_data)
{
  GTask *task = user_data;
  DbwDatabricks *self = g_task_get_source_object (task);
  ExecuteData *data = g_task_get_task_data (task);
  g_autofree char *url = statement_url (self, data->statement_id, NULL);

  clear_wait_sources (data);
  call_async (self, "GET", url, NULL, TRUE, g_task_get_cancellable (task), on_statement_cb, task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_poll_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  execute_cancel (user_data);

  return G_SOURCE_REMOVE;
}

/* Waits with a growing interval, or until the caller cancels. Takes @task. */
static void
schedule_poll (GTask *task)
{
  ExecuteData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      execute_cancel (task);
      return;
    }

  /* The task reference travels with whichever source fires first; the other one is
   * destroyed without touching it. */
  data->poll_source = g_timeout_source_new (data->poll_ms);
  g_source_set_callback (data->poll_source, on_poll_due_cb, task, NULL);
  g_source_attach (data->poll_source, context);

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, (GSourceFunc) on_poll_cancelled_cb, task, NULL);
      g_source_attach (data->cancel_source, context);
    }

  data->poll_ms = MIN (data->poll_ms * 2, MAX_POLL_INTERVAL_MS);
}

/* Takes @task. */
static void
handle_statement (GTask      *task,
                  JsonObject *statement)
{
  ExecuteData *data = g_task_get_task_data (task);
  JsonObject *status = get_object (statement, "status");
  const char *state = get_string (status, "state");

  if (data->statement_id == NULL)
    {
      const char *statement_id = get_string (statement, "statement_id");

      if (statement_id == NULL || *statement_id == '\0')
        {
          g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                                   _("The workspace accepted the query but gave it no statement id"));
          g_object_unref (task);
          return;
        }
      data->statement_id = g_strdup (statement_id);
    }

  if (state == NULL)
    state = "";

  if (g_str_equal (state, "PENDING") || g_str_equal (state, "RUNNING"))
    {
      g_debug ("Statement %s is %s; asking again in %u ms", data->statement_id, state, data->poll_ms);
      schedule_poll (task);
      return;
    }

  if (g_str_equal (state, "SUCCEEDED"))
    {
      JsonObject *manifest = get_object (statement, "manifest");
      JsonArray *columns = get_array (get_object (manifest, "schema"), "columns");

      g_clear_object (&data->result);
      data->result = _dbw_sql_result_new (data->statement_id);
      _dbw_sql_result_set_truncated (data->result, get_boolean (manifest, "truncated"));
      for (guint i = 0; columns != NULL && i < json_array_get_length (columns); i++)
        {
          JsonNode *column = json_array_get_element (columns, i);

          if (JSON_NODE_HOLDS_OBJECT (column))
            _dbw_sql_result_add_column (data->result,
                                        get_string (json_node_get_object (column), "name"),
                                        get_string (json_node_get_object (column), "type_name"));
        }

      handle_chunk (task, get_object (statement, "result"));
      return;
    }

  if (g_str_equal (state, "FAILED"))
    {
      const char *message = get_string (get_object (status, "error"), "message");

      if (message != NULL && *message != '\0')
        g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED,
                                 "%s", message);
      else
        g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED,
                                 _("The query failed in the workspace without saying why"));
      g_object_unref (task);
      return;
    }

  if (g_str_equal (state, "CANCELED") || g_str_equal (state, "CLOSED"))
    {
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          return;
        }

      g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_CANCELED,
                               g_str_equal (state, "CLOSED") ?
                               _("The workspace closed the query before its result was read") :
                               _("The query was cancelled in the workspace"));
      g_object_unref (task);
      return;
    }

  g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                           _("The workspace reported the query in an unknown state “%s”"), state);
  g_object_unref (task);
}

/* --- Files API for volumes ------------------------------------------------------------ */

#define FILES_PATH       "/api/2.0/fs/files"
#define DIRECTORIES_PATH "/api/2.0/fs/directories"

/* Checks that @path lies in a volume — "/Volumes/catalog/schema/volume/…", with at least
 * @min_depth parts after "/Volumes" (3 names the volume itself) — and returns it with each
 * part percent-encoded, ready for a URL. A trailing "/" is dropped. */
static char *
encode_volume_path (const char  *path,
                    guint        min_depth,
                    GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) encoded = NULL;
  guint n_parts;

  if (path == NULL || !g_utf8_validate (path, -1, NULL) || !g_str_has_prefix (path, "/Volumes/"))
    {
      g_autofree char *shown = path != NULL ? g_strescape (path, NULL) : g_strdup ("");

      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a path in a volume: it must start with /Volumes/"), shown);
      return NULL;
    }

  parts = g_strsplit (path + strlen ("/Volumes/"), "/", -1);
  n_parts = g_strv_length (parts);
  if (n_parts > 0 && *parts[n_parts - 1] == '\0')
    n_parts--;

  if (n_parts < min_depth)
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   min_depth > 3 ?
                   _("“%s” does not name a file or folder in a volume: give /Volumes/catalog/schema/volume/…") :
                   _("“%s” does not name a volume: give /Volumes/catalog/schema/volume"),
                   path);
      return NULL;
    }

  encoded = g_string_new ("/Volumes");
  for (guint i = 0; i < n_parts; i++)
    {
      const char *part = parts[i];
      g_autofree char *escaped = NULL;

      if (i < 3)
        {
          const char *what = i == 0 ? _("catalog") : i == 1 ? _("schema") : _("volume");

          if (!dbw_databricks_validate_identifier (part, what, error))
            return NULL;
        }
      else
        {
          gboolean ok = *part != '\0' && !g_str_equal (part, ".") && !g_str_equal (part, "..");

          for (const char *p = part; ok && *p != '\0'; p = g_utf8_next_char (p))
            ok = !g_unichar_iscntrl (g_utf8_get_char (p));

          if (!ok)
            {
              g_autofree char *shown = g_strescape (path, NULL);

              g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                           _("“%s” is not a valid path: it has an empty, “.” or “..” part, or a control character"),
                           shown);
              return NULL;
            }
        }

      escaped = escape_component (part);
      g_string_append_c (encoded, '/');
      g_string_append (encoded, escaped);
    }

  return g_string_free (g_steal_pointer (&encoded), FALSE);
}

static void
on_files_call_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DbwHttpResponse) response = NULL;
  const char *path = g_task_get_task_data (task);
  GError *error = NULL;

  response = call_raw_finish (DBW_DATABRICKS (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error_about (error, path));
      return;
    }

  if (g_task_get_source_tag (task) == file_size_tag)
    {
      const char *length = dbw_http_response_get_header (response, "Content-Length");
      guint64 size;

      if (length == NULL || !g_ascii_string_to_unsigned (length, 10, 0, G_MAXINT64, &size, NULL))
        {
          g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                                   _("The workspace did not say how large “%s” is"), path);
          return;
        }

      g_task_return_pointer (task, g_memdup2 (&size, sizeof size), g_free);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* The shared start of every Files API call but the listing: checks @path, then sends
 * @method to @api_path followed by the encoded path and @query. */
static void
files_call_async (DbwDatabricks       *self,
                  gconstpointer        tag,
                  const char          *method,
                  const char          *api_path,
                  const char          *path,
                  const char          *query,
                  GBytes              *raw_body,
                  GFile               *body_file,
                  GFile               *response_file,
                  gboolean             idempotent,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) tag);

  encoded = encode_volume_path (path, 4, &error);
  if (encoded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, g_strdup (path), g_free);
  url = g_strconcat (dbw_databricks_config_get_host (self->config), api_path, encoded, query, NULL);
  call_raw_async (self, method, url, raw_body, body_file, response_file, idempotent,
                  cancellable, on_files_call_cb, g_steal_pointer (&task));
}

static gboolean
files_call_finish (DbwDatabricks  *self,
                   GAsyncResult   *result,
                   gconstpointer   tag,
                   GError        **error)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
parse_file_entry (ListData   *data,
                  JsonObject *object)
{
  const char *path = get_string (object, "path");
  const char *name = get_string (object, "name");
  g_autofree char *clean_path = NULL;
  gboolean is_directory = FALSE;
  JsonNode *node;

  if (path == NULL || *path == '\0')
    return NULL;

  /* Directories come as "…/name/". */
  clean_path = g_strdup (path);
  if (strlen (clean_path) > 1 && g_str_has_suffix (clean_path, "/"))
    clean_path[strlen (clean_path) - 1] = '\0';
  if (name == NULL)
    name = strrchr (clean_path, '/') != NULL ? strrchr (clean_path, '/') + 1 : clean_path;

  node = json_object_get_member (object, "is_directory");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    is_directory = json_node_get_boolean (node);

  return dbw_file_entry_new (clean_path, name, is_directory,
                             get_int64 (object, "file_size"), get_int64 (object, "last_modified"));
}

/* --- Unity Catalog tags ---------------------------------------------------------------- */

/* Each kind of object that has tags, and its full name, for the message. */
static const struct
{
  const char *type;
  const char *form;
} entity_types[] = {
  { "catalogs", "catalog" },
  { "schemas", "catalog.schema" },
  { "tables", "catalog.schema.table" },
  { "volumes", "catalog.schema.volume" },
  { "columns", "catalog.schema.table.column" },
};

static gboolean
validate_entity (const char  *entity_type,
                 const char  *entity_name,
                 GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) form = NULL;
  guint type = G_N_ELEMENTS (entity_types);

  for (guint i = 0; entity_type != NULL && i < G_N_ELEMENTS (entity_types); i++)
    if (g_str_equal (entity_type, entity_types[i].type))
      type = i;

  if (type == G_N_ELEMENTS (entity_types))
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a kind of Unity Catalog object with tags: use catalogs, schemas, tables, volumes or columns"),
                   entity_type != NULL ? entity_type : "");
      return FALSE;
    }

  parts = g_strsplit (entity_name != NULL ? entity_name : "", ".", -1);
  form = g_strsplit (entity_types[type].form, ".", -1);
  if (g_strv_length (parts) != g_strv_length (form))
    {
      g_autofree char *shown = g_strescape (entity_name != NULL ? entity_name : "", NULL);

      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a full name of the form %s"), shown, entity_types[type].form);
      return FALSE;
    }

  for (guint i = 0; parts[i] != NULL; i++)
    {
      /* Translators: the parts of a full name, as in "catalog.schema.table.column". */
      const char *what = g_str_equal (form[i], "catalog") ? _("catalog") :
                         g_str_equal (form[i], "schema") ? _("schema") :
                         g_str_equal (form[i], "table") ? _("table") :
                         g_str_equal (form[i], "volume") ? _("volume") : _("column");

      if (!dbw_databricks_validate_identifier (parts[i], what, error))
        return FALSE;
    }

  return TRUE;
}

/* A tag as the pair { key, value, NULL }. */
static gpointer
parse_tag (ListData   *data,
           JsonObject *object)
{
  const char *key = get_string (object, "tag_key");
  const char *value = get_string (object, "tag_value");
  char **pair;

  if (key == NULL)
    return NULL;

  pair = g_new0 (char *, 3);
  pair[0] = g_strdup (key);
  pair[1] = g_strdup (value != NULL ? value : "");

  return pair;
}

static void
on_tags_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) pairs = NULL;
  GHashTable *tags;
  GError *error = NULL;

  pairs = list_finish (DBW_DATABRICKS (object), result, &error);
  if (pairs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < pairs->len; i++)
    {
      char **pair = g_ptr_array_index (pairs, i);

      g_hash_table_replace (tags, g_strdup (pair[0]), g_strdup (pair[1]));
    }

  g_task_return_pointer (task, tags, (GDestroyNotify) g_hash_table_unref);
}

/* --- one JSON call, one answer ---------------------------------------------------------- */

/* Turns the workspace's answer into the task's result (or error). */
typedef void (*AnswerFunc) (GTask    *task,
                            JsonNode *answer);

typedef struct
{
  char *subject;       /* nullable: named in errors */
  AnswerFunc answer;
} SimpleData;

static void
simple_data_free (SimpleData *data)
{
  g_free (data->subject);
  g_free (data);
}

static void
on_simple_call_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  SimpleData *data = g_task_get_task_data (task);
  GError *error = NULL;

  node = call_finish (DBW_DATABRICKS (object), result, &error);
  if (node == NULL)
    g_task_return_error (task, error_about (error, data->subject));
  else
    data->answer (task, node);
}

/* A task tagged @tag that sends one JSON request to @path (with the query, already
 * escaped) and hands the answer to @answer. */
static void
simple_call_async (DbwDatabricks       *self,
                   gconstpointer        tag,
                   const char          *method,
                   const char          *path,
                   JsonNode            *body,
                   gboolean             idempotent,
                   const char          *subject,
                   AnswerFunc           answer,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SimpleData *data = g_new0 (SimpleData, 1);
  g_autofree char *url = build_url (self, path);

  data->subject = g_strdup (subject);
  data->answer = answer;
  g_task_set_source_tag (task, (gpointer) tag);
  g_task_set_task_data (task, data, (GDestroyNotify) simple_data_free);

  call_async (self, method, url, body, idempotent, cancellable, on_simple_call_cb, task);
}

static gpointer
simple_finish_pointer (DbwDatabricks  *self,
                       GAsyncResult   *result,
                       gconstpointer   tag,
                       GError        **error)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
simple_finish_boolean (DbwDatabricks  *self,
                       GAsyncResult   *result,
                       gconstpointer   tag,
                       GError        **error)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
answer_done (GTask    *task,
             JsonNode *answer)
{
  g_task_return_boolean (task, TRUE);
}

static void
answer_node (GTask    *task,
             JsonNode *answer)
{
  g_task_return_pointer (task, json_node_ref (answer), (GDestroyNotify) json_node_unref);
}

static void
return_invalid_response (GTask      *task,
                         const char *what)
{
  g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE,
                           _("The workspace sent an unexpected answer to the %s request"), what);
}

/* Ids and names that go into a URL path or a body as they are: letters, digits, "-", "_". */
static gboolean
validate_simple_name (const char  *value,
                      const char  *what,
                      gsize        max_length,
                      GError     **error)
{
  gboolean ok = value != NULL && *value != '\0' && strlen (value) <= max_length;

  for (const char *p = value; ok && *p != '\0'; p++)
    ok = g_ascii_isalnum (*p) || *p == '-' || *p == '_';

  if (!ok)
    {
      g_autofree char *shown = value != NULL ? g_strescape (value, NULL) : g_strdup ("");

      /* Translators: "“a/b” is not a valid serving endpoint name: use …" */
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a valid %s: use at most %" G_GSIZE_FORMAT " letters, digits, “-” and “_”"),
                   shown, what, max_length);
    }

  return ok;
}

/* --- Serving endpoints ------------------------------------------------------------------- */

#define MAX_ENDPOINT_NAME 63

static DbwServingEndpoint *
serving_endpoint_from_json (JsonObject *object)
{
  JsonObject *state = get_object (object, "state");
  const char *name = get_string (object, "name");
  const char *ready = get_string (state, "ready");
  const char *config_update = get_string (state, "config_update");

  if (name == NULL)
    return NULL;

  return dbw_serving_endpoint_new (name,
                                   ready != NULL ? ready : "UNKNOWN",
                                   config_update != NULL ? config_update : "UNKNOWN",
                                   get_string (object, "task"));
}

static gpointer
parse_serving_endpoint (ListData   *data,
                        JsonObject *object)
{
  return serving_endpoint_from_json (object);
}

static void
answer_serving_endpoint (GTask    *task,
                         JsonNode *answer)
{
  DbwServingEndpoint *endpoint = NULL;

  if (JSON_NODE_HOLDS_OBJECT (answer))
    endpoint = serving_endpoint_from_json (json_node_get_object (answer));

  if (endpoint == NULL)
    return_invalid_response (task, "serving endpoint");
  else
    g_task_return_pointer (task, endpoint, g_object_unref);
}

/* --- MLflow ------------------------------------------------------------------------------ */

/* The limits of one runs/log-batch request. */
#define MLFLOW_MAX_PARAMS  100
#define MLFLOW_MAX_METRICS 1000
#define MLFLOW_MAX_ITEMS   1000

typedef struct
{
  char *name;
  gboolean create;
  GError *create_error;   /* set once a create was refused: the answer of the last look */
} ExperimentData;

static void
experiment_data_free (ExperimentData *data)
{
  g_free (data->name);
  g_clear_error (&data->create_error);
  g_free (data);
}

static void experiment_lookup (GTask *task);

static void
on_experiment_created_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExperimentData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *id;

  node = call_finish (DBW_DATABRICKS (object), result, &error);
  if (node == NULL)
    {
      /* Made by someone else meanwhile, or by our own attempt whose answer was lost and
       * whose retry was refused: look once more. */
      if (g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HTTP_STATUS))
        {
          data->create_error = error;
          experiment_lookup (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error_about (error, data->name));
      return;
    }

  id = JSON_NODE_HOLDS_OBJECT (node) ? get_string (json_node_get_object (node), "experiment_id") : NULL;
  if (id == NULL || *id == '\0')
    return_invalid_response (task, "MLflow experiment");
  else
    g_task_return_pointer (task, g_strdup (id), g_free);
}

static void
on_experiment_found_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwDatabricks *self = DBW_DATABRICKS (object);
  ExperimentData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *id;

  node = call_finish (self, result, &error);
  if (node == NULL)
    {
      if (g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND) &&
          data->create && data->create_error == NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) body = NULL;
          g_autofree char *url = build_url (self, "/api/2.0/mlflow/experiments/create");

          g_error_free (error);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, data->name);
          json_builder_end_object (builder);
          body = json_builder_get_root (builder);

          /* A repeated create is refused, and then we look again: safe to retry. */
          call_async (self, "POST", url, body, TRUE, g_task_get_cancellable (task),
                      on_experiment_created_cb, g_object_ref (task));
          return;
        }

      if (data->create_error != NULL)
        {
          g_error_free (error);
          error = g_steal_pointer (&data->create_error);
        }
      g_task_return_error (task, error_about (error, data->name));
      return;
    }

  id = JSON_NODE_HOLDS_OBJECT (node) ?
       get_string (get_object (json_node_get_object (node), "experiment"), "experiment_id") : NULL;
  if (id == NULL || *id == '\0')
    return_invalid_response (task, "MLflow experiment");
  else
    g_task_return_pointer (task, g_strdup (id), g_free);
}

/* Takes @task. */
static void
experiment_lookup (GTask *task)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  ExperimentData *data = g_task_get_task_data (task);
  g_autoptr(GString) url = g_string_new (NULL);

  g_string_append (url, dbw_databricks_config_get_host (self->config));
  g_string_append (url, "/api/2.0/mlflow/experiments/get-by-name");
  append_query (url, "experiment_name", data->name);
  call_async (self, "GET", url->str, NULL, TRUE, g_task_get_cancellable (task), on_experiment_found_cb, task);
}

static void
answer_mlflow_run (GTask    *task,
                   JsonNode *answer)
{
  const char *run_id = NULL;

  if (JSON_NODE_HOLDS_OBJECT (answer))
    run_id = get_string (get_object (get_object (json_node_get_object (answer), "run"), "info"), "run_id");

  if (run_id == NULL || *run_id == '\0')
    return_invalid_response (task, "MLflow run");
  else
    g_task_return_pointer (task, g_strdup (run_id), g_free);
}

static void
add_key_value (JsonBuilder *builder,
               const char  *key,
               const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

/* The keys of @table (nullable) in a fixed order, so the same call sends the same body. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  if (table == NULL)
    return keys;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_names);

  return keys;
}

static void
add_tags_member (JsonBuilder *builder,
                 GHashTable  *tags)
{
  g_autoptr(GPtrArray) keys = sorted_keys (tags);

  if (keys->len == 0)
    return;

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    add_key_value (builder, g_ptr_array_index (keys, i), g_hash_table_lookup (tags, g_ptr_array_index (keys, i)));
  json_builder_end_array (builder);
}

/* Splits the params and metrics into runs/log-batch bodies within the API's limits:
 * params first, the metrics filling each request up. */
static GPtrArray *
build_log_batches (const char *run_id,
                   GHashTable *params,
                   GPtrArray  *metrics)
{
  g_autoptr(GPtrArray) keys = sorted_keys (params);
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint n_metrics = metrics != NULL ? metrics->len : 0;
  guint next_param = 0, next_metric = 0;

  while (next_param < keys->len || next_metric < n_metrics)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      guint n_params = MIN (keys->len - next_param, MLFLOW_MAX_PARAMS);
      guint n_batch_metrics = MIN (n_metrics - next_metric, MIN (MLFLOW_MAX_METRICS, MLFLOW_MAX_ITEMS - n_params));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "run_id");
      json_builder_add_string_value (builder, run_id);

      json_builder_set_member_name (builder, "params");
      json_builder_begin_array (builder);
      for (guint i = next_param; i < next_param + n_params; i++)
        add_key_value (builder, g_ptr_array_index (keys, i), g_hash_table_lookup (params, g_ptr_array_index (keys, i)));
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "metrics");
      json_builder_begin_array (builder);
      for (guint i = next_metric; i < next_metric + n_batch_metrics; i++)
        {
          const DbwMlflowMetric *metric = g_ptr_array_index (metrics, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "key");
          json_builder_add_string_value (builder, metric->key);
          json_builder_set_member_name (builder, "value");
          json_builder_add_double_value (builder, metric->value);
          json_builder_set_member_name (builder, "timestamp");
          json_builder_add_int_value (builder, metric->timestamp);
          json_builder_set_member_name (builder, "step");
          json_builder_add_int_value (builder, metric->step);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      g_ptr_array_add (batches, json_builder_get_root (builder));
      next_param += n_params;
      next_metric += n_batch_metrics;
    }

  return batches;
}

typedef struct
{
  char *run_id;
  GPtrArray *batches;   /* JsonNode */
  guint next;
} LogBatchData;

static void
log_batch_data_free (LogBatchData *data)
{
  g_free (data->run_id);
  g_ptr_array_unref (data->batches);
  g_free (data);
}

static void log_batch_send_next (GTask *task);

static void
on_log_batch_sent_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LogBatchData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = call_finish (DBW_DATABRICKS (object), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error_about (error, data->run_id));
      return;
    }

  data->next++;
  log_batch_send_next (g_steal_pointer (&task));
}

/* Takes @task. One request after the other, so a failure stops the rest. */
static void
log_batch_send_next (GTask *task)
{
  DbwDatabricks *self = g_task_get_source_object (task);
  LogBatchData *data = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  if (data->next >= data->batches->len)
    {
      g_debug ("MLflow run %s: logged in %u requests", data->run_id, data->batches->len);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  url = build_url (self, "/api/2.0/mlflow/runs/log-batch");
  /* Logging the same param with the same value, or the same metric point, again changes
   * nothing: safe to retry. */
  call_async (self, "POST", url, g_ptr_array_index (data->batches, data->next), TRUE,
              g_task_get_cancellable (task), on_log_batch_sent_cb, task);
}

static const char *
mlflow_status_name (DbwMlflowRunStatus status)
{
  switch (status)
    {
    case DBW_MLFLOW_RUN_FINISHED:
      return "FINISHED";
    case DBW_MLFLOW_RUN_FAILED:
      return "FAILED";
    case DBW_MLFLOW_RUN_KILLED:
      return "KILLED";
    default:
      return NULL;
    }
}

/* --- Jobs ----------------------------------------------------------------------------------- */

#define MAX_IDEMPOTENCY_TOKEN 64

static void
answer_job_run_id (GTask    *task,
                   JsonNode *answer)
{
  gint64 run_id = JSON_NODE_HOLDS_OBJECT (answer) ? get_int64 (json_node_get_object (answer), "run_id") : -1;

  if (run_id <= 0)
    return_invalid_response (task, "job run");
  else
    g_task_return_pointer (task, g_memdup2 (&run_id, sizeof run_id), g_free);
}

static void
answer_job_run (GTask    *task,
                JsonNode *answer)
{
  JsonObject *run = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonObject *state = get_object (run, "state");
  gint64 run_id = get_int64 (run, "run_id");
  const char *life_cycle_state = get_string (state, "life_cycle_state");

  if (run_id <= 0 || life_cycle_state == NULL)
    {
      return_invalid_response (task, "job run");
      return;
    }

  g_task_return_pointer (task,
                         dbw_job_run_new (run_id, life_cycle_state,
                                          get_string (state, "result_state"),
                                          get_string (state, "state_message"),
                                          get_string (run, "run_page_url")),
                         g_object_unref);
}

static gboolean
validate_run_id (gint64   run_id,
                 GError **error)
{
  if (run_id > 0)
    return TRUE;

  g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
               _("%" G_GINT64_FORMAT " is not a job run id"), run_id);
  return FALSE;
}

static void
copy_member_cb (JsonObject  *object,
                const char  *member,
                JsonNode    *node,
                gpointer     user_data)
{
  json_object_set_member (user_data, member, json_node_copy (node));
}

static JsonNode *
run_id_body (const char *member,
             gint64      run_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, run_id);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* --- GObject -------------------------------------------------------------------------- */

static void
dbw_databricks_finalize (GObject *object)
{
  DbwDatabricks *self = (DbwDatabricks *)object;

  /* Waiters hold a reference to us; none can be left. */
  g_assert (self->token_waiters->len == 0);

  clear_token (self);
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);
  g_clear_object (&self->config);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (dbw_databricks_parent_class)->finalize (object);
}

static void
dbw_databricks_constructed (GObject *object)
{
  DbwDatabricks *self = (DbwDatabricks *)object;

  G_OBJECT_CLASS (dbw_databricks_parent_class)->constructed (object);

  g_assert (DBW_IS_DATABRICKS_CONFIG (self->config));

  if (self->http == NULL)
    self->http = dbw_http_new ();
}

static void
dbw_databricks_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwDatabricks *self = DBW_DATABRICKS (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_databricks_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwDatabricks *self = DBW_DATABRICKS (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_POLL_INTERVAL:
      dbw_databricks_set_poll_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_databricks_class_init (DbwDatabricksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_databricks_finalize;
  object_class->constructed = dbw_databricks_constructed;
  object_class->get_property = dbw_databricks_get_property;
  object_class->set_property = dbw_databricks_set_property;

  properties [PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL,
                         DBW_TYPE_DATABRICKS_CONFIG,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Made by the client when none is given. */
  properties [PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL,
                         DBW_TYPE_HTTP,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* The first wait, in milliseconds, before asking again about a statement still running;
   * it doubles each time, up to five seconds. */
  properties [PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL,
                       1, MAX_POLL_INTERVAL_MS, DEFAULT_POLL_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_databricks_init (DbwDatabricks *self)
{
  self->poll_interval = DEFAULT_POLL_INTERVAL_MS;
  self->token_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

/* --- public API ----------------------------------------------------------------------- */

/**
 * dbw_databricks_new:
 * @config: where and how to sign in
 * @http: (nullable): the HTTP client to use (its timeouts and retry settings apply); a
 *   new one when %NULL
 */
DbwDatabricks *
dbw_databricks_new (DbwDatabricksConfig *config,
                    DbwHttp             *http)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (config), NULL);
  g_return_val_if_fail (http == NULL || DBW_IS_HTTP (http), NULL);

  return g_object_new (DBW_TYPE_DATABRICKS,
                       "config", config,
                       "http", http,
                       NULL);
}

DbwDatabricksConfig *
dbw_databricks_get_config (DbwDatabricks *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);

  return self->config;
}

DbwHttp *
dbw_databricks_get_http (DbwDatabricks *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);

  return self->http;
}

guint
dbw_databricks_get_poll_interval (DbwDatabricks *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), 0);

  return self->poll_interval;
}

void
dbw_databricks_set_poll_interval (DbwDatabricks *self,
                                  guint          msec)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));

  msec = CLAMP (msec, 1, MAX_POLL_INTERVAL_MS);
  if (self->poll_interval != msec)
    {
      self->poll_interval = msec;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_POLL_INTERVAL]);
    }
}

/* How many OAuth tokens this client has fetched (0 with a personal access token). */
guint
dbw_databricks_get_n_tokens_fetched (DbwDatabricks *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), 0);

  return self->n_tokens_fetched;
}

/**
 * dbw_databricks_validate_identifier:
 * @name: a single catalog, schema, table or volume name, as a user typed it
 * @what: (nullable): what it names, for the message ("catalog")
 *
 * Refuses what cannot be one Unity Catalog name: empty, longer than 255 bytes, not UTF-8,
 * control characters, and ".", "/" and "`", which would make it a path or break out of a
 * quoted identifier.
 */
gboolean
dbw_databricks_validate_identifier (const char  *name,
                                    const char  *what,
                                    GError     **error)
{
  const char *reason = NULL;

  if (what == NULL)
    what = _("name");

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("The %s name is empty"), what);
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("The %s name is not valid text"), what);
      return FALSE;
    }

  if (strlen (name) > 255)
    reason = _("it is longer than 255 bytes");

  for (const char *p = name; reason == NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        reason = _("it contains a control character");
      else if (c == '.')
        reason = _("it contains “.”, which separates catalog, schema and table; give one name only");
      else if (c == '`')
        reason = _("it contains “`”");
      else if (c == '/')
        reason = _("it contains “/”");
    }

  if (reason != NULL)
    {
      g_autofree char *shown = g_strescape (name, NULL);

      /* Translators: "“ma`in” is not a valid catalog name: it contains “`”" */
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a valid %s name: %s"), shown, what, reason);
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_databricks_test_connection_async:
 * @warehouse_id: (nullable): a SQL warehouse to check as well
 *
 * Checks that the workspace answers and accepts the sign-in (asking who we are), and the
 * state of @warehouse_id. A stopped warehouse is not a failure (a query starts it), but
 * the message says so.
 */
void
dbw_databricks_test_connection_async (DbwDatabricks       *self,
                                      const char          *warehouse_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  ConnectionData *data;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) connection_tag);

  if (warehouse_id != NULL && *warehouse_id == '\0')
    warehouse_id = NULL;
  if (warehouse_id != NULL && !validate_warehouse_id (warehouse_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (ConnectionData, 1);
  data->warehouse_id = g_strdup (warehouse_id);
  g_task_set_task_data (task, data, (GDestroyNotify) connection_data_free);

  url = build_url (self, "/api/2.0/preview/scim/v2/Me");
  call_async (self, "GET", url, NULL, TRUE, cancellable, on_me_cb, g_steal_pointer (&task));
}

/**
 * dbw_databricks_test_connection_finish:
 * @warehouse_state: (out) (optional) (nullable): the warehouse's state as the workspace
 *   spells it ("RUNNING", "STOPPED", …), %NULL when no warehouse was asked about
 *
 * Returns: (transfer full): a sentence for the user saying who is signed in where, and
 *   how the warehouse is; or %NULL with @error saying what failed, in the same words
 */
char *
dbw_databricks_test_connection_finish (DbwDatabricks  *self,
                                       GAsyncResult   *result,
                                       char          **warehouse_state,
                                       GError        **error)
{
  ConnectionResult *answer;
  char *message;

  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == connection_tag, NULL);

  if (warehouse_state != NULL)
    *warehouse_state = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  message = g_steal_pointer (&answer->message);
  if (warehouse_state != NULL)
    *warehouse_state = g_steal_pointer (&answer->warehouse_state);
  connection_result_free (answer);

  return message;
}

/* The listings below follow next_page_token themselves: the result is the whole list, a
 * GPtrArray of DbwUcEntry (transfer full, with its free function), in the API's order. */

void
dbw_databricks_list_catalogs_async (DbwDatabricks       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));

  list_uc_async (self, DBW_UC_KIND_CATALOG, NULL, NULL, cancellable, callback, user_data);
}

GPtrArray *
dbw_databricks_list_catalogs_finish (DbwDatabricks  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return list_finish (self, result, error);
}

void
dbw_databricks_list_schemas_async (DbwDatabricks       *self,
                                   const char          *catalog,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));

  /* NULL is caught by the name check, as an empty name. */
  list_uc_async (self, DBW_UC_KIND_SCHEMA, catalog != NULL ? catalog : "", NULL,
              cancellable, callback, user_data);
}

GPtrArray *
dbw_databricks_list_schemas_finish (DbwDatabricks  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return list_finish (self, result, error);
}

void
dbw_databricks_list_tables_async (DbwDatabricks       *self,
                                  const char          *catalog,
                                  const char          *schema,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));

  list_uc_async (self, DBW_UC_KIND_TABLE, catalog != NULL ? catalog : "", schema != NULL ? schema : "",
              cancellable, callback, user_data);
}

GPtrArray *
dbw_databricks_list_tables_finish (DbwDatabricks  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return list_finish (self, result, error);
}

void
dbw_databricks_list_volumes_async (DbwDatabricks       *self,
                                   const char          *catalog,
                                   const char          *schema,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));

  list_uc_async (self, DBW_UC_KIND_VOLUME, catalog != NULL ? catalog : "", schema != NULL ? schema : "",
              cancellable, callback, user_data);
}

GPtrArray *
dbw_databricks_list_volumes_finish (DbwDatabricks  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return list_finish (self, result, error);
}

static void execute_async (DbwDatabricks       *self,
                           const char          *warehouse_id,
                           const char          *sql,
                           GHashTable          *parameters,
                           gint64               byte_limit,
                           gboolean             external,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data);

/**
 * dbw_databricks_execute_async:
 * @warehouse_id: the SQL warehouse to run on
 * @sql: one SQL statement; refer to parameters as `:name`
 * @parameters: (nullable) (element-type utf8 utf8): parameter name → value (a %NULL
 *   value is SQL NULL); all are sent typed STRING for now
 *
 * Runs @sql through the Statement Execution API: waits up to 10 s in the first request,
 * then asks again with a growing interval until the statement ends, and reads every chunk
 * of the result. Cancelling @cancellable once the workspace knows the statement also asks
 * the workspace to cancel it (best effort) before reporting G_IO_ERROR_CANCELLED.
 */
void
dbw_databricks_execute_async (DbwDatabricks       *self,
                              const char          *warehouse_id,
                              const char          *sql,
                              GHashTable          *parameters,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  dbw_databricks_execute_limited_async (self, warehouse_id, sql, parameters, 0, cancellable, callback, user_data);
}

/**
 * dbw_databricks_execute_limited_async:
 * @byte_limit: at most this many bytes of result, or 0 for the workspace's limit
 *
 * Like dbw_databricks_execute_async(), for a query that reads in pages: the workspace
 * stops at @byte_limit and marks the result truncated (dbw_sql_result_get_truncated()),
 * instead of failing when a result outgrows what it sends inline (25 MiB).
 */
void
dbw_databricks_execute_limited_async (DbwDatabricks       *self,
                                      const char          *warehouse_id,
                                      const char          *sql,
                                      GHashTable          *parameters,
                                      gint64               byte_limit,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  execute_async (self, warehouse_id, sql, parameters, byte_limit, FALSE, cancellable, callback, user_data);
}

/**
 * dbw_databricks_execute_external_async:
 *
 * Like dbw_databricks_execute_async(), for a result of any size: the workspace leaves
 * the result in cloud storage (the EXTERNAL_LINKS disposition) and each chunk is
 * fetched from its presigned link, without the workspace token, instead of failing when
 * the result outgrows what it sends inline (25 MiB). Every row is still gathered in memory.
 */
void
dbw_databricks_execute_external_async (DbwDatabricks       *self,
                                       const char          *warehouse_id,
                                       const char          *sql,
                                       GHashTable          *parameters,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  execute_async (self, warehouse_id, sql, parameters, 0, TRUE, cancellable, callback, user_data);
}

static void
execute_async (DbwDatabricks       *self,
               const char          *warehouse_id,
               const char          *sql,
               GHashTable          *parameters,
               gint64               byte_limit,
               gboolean             external,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  ExecuteData *data;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (sql != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) execute_tag);
  g_task_set_check_cancellable (task, FALSE);

  if (!validate_warehouse_id (warehouse_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "warehouse_id");
  json_builder_add_string_value (builder, warehouse_id);
  json_builder_set_member_name (builder, "statement");
  json_builder_add_string_value (builder, sql);
  json_builder_set_member_name (builder, "wait_timeout");
  json_builder_add_string_value (builder, "10s");
  json_builder_set_member_name (builder, "on_wait_timeout");
  json_builder_add_string_value (builder, "CONTINUE");
  json_builder_set_member_name (builder, "disposition");
  json_builder_add_string_value (builder, external ? "EXTERNAL_LINKS" : "INLINE");
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "JSON_ARRAY");
  if (byte_limit > 0)
    {
      json_builder_set_member_name (builder, "byte_limit");
      json_builder_add_int_value (builder, byte_limit);
    }

  if (parameters != NULL && g_hash_table_size (parameters) > 0)
    {
      g_autofree gpointer *names = g_hash_table_get_keys_as_array (parameters, NULL);
      guint n_names = g_hash_table_size (parameters);

      /* In a fixed order, so the same query sends the same body. */
      qsort (names, n_names, sizeof (gpointer), compare_names);
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_names; i++)
        {
          const char *name = names[i];
          const char *value = g_hash_table_lookup (parameters, name);

          if (!validate_parameter_name (name, &error))
            {
              g_task_return_error (task, error);
              return;
            }

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
          json_builder_set_member_name (builder, "value");
          if (value != NULL)
            json_builder_add_string_value (builder, value);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "STRING");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  data = g_new0 (ExecuteData, 1);
  data->warehouse_id = g_strdup (warehouse_id);
  data->body = json_builder_get_root (builder);
  data->poll_ms = self->poll_interval;
  g_task_set_task_data (task, data, (GDestroyNotify) execute_data_free);

  url = build_url (self, "/api/2.0/sql/statements");
  /* Not retried: a second POST would run the statement twice. */
  call_async (self, "POST", url, data->body, FALSE, cancellable, on_statement_cb, g_steal_pointer (&task));
}

/* Returns: (transfer full): columns and every row */
DbwSqlResult *
dbw_databricks_execute_finish (DbwDatabricks  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == execute_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_databricks_upload_file_async:
 * @path: where in a volume: "/Volumes/catalog/schema/volume/folder/name"
 * @source: the file to upload; read in chunks, never whole in memory
 * @overwrite: replace a file already at @path; without it, one there is an error
 *   (409 ALREADY_EXISTS)
 *
 * Uploads @source with the Files API; missing folders on the way are created. With
 * @overwrite the upload is safe to repeat, and is retried after a broken connection or
 * a 429/503; without it, it is sent once.
 */
void
dbw_databricks_upload_file_async (DbwDatabricks       *self,
                                  const char          *path,
                                  GFile               *source,
                                  gboolean             overwrite,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (G_IS_FILE (source));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, upload_file_tag, "PUT", FILES_PATH, path,
                    overwrite ? "?overwrite=true" : "?overwrite=false",
                    NULL, source, NULL, overwrite, cancellable, callback, user_data);
}

gboolean
dbw_databricks_upload_file_finish (DbwDatabricks  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return files_call_finish (self, result, upload_file_tag, error);
}

/**
 * dbw_databricks_upload_bytes_async:
 * @contents: what to write at @path
 *
 * Like dbw_databricks_upload_file_async(), for contents already in memory.
 */
void
dbw_databricks_upload_bytes_async (DbwDatabricks       *self,
                                   const char          *path,
                                   GBytes              *contents,
                                   gboolean             overwrite,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (contents != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, upload_bytes_tag, "PUT", FILES_PATH, path,
                    overwrite ? "?overwrite=true" : "?overwrite=false",
                    contents, NULL, NULL, overwrite, cancellable, callback, user_data);
}

gboolean
dbw_databricks_upload_bytes_finish (DbwDatabricks  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return files_call_finish (self, result, upload_bytes_tag, error);
}

/**
 * dbw_databricks_download_file_async:
 * @path: a file in a volume
 * @destination: where to save it; replaced only once the whole file has arrived
 *
 * Downloads @path in chunks to a temporary file beside @destination and renames it over
 * @destination at the end: a failed or cancelled download leaves @destination as it was.
 */
void
dbw_databricks_download_file_async (DbwDatabricks       *self,
                                    const char          *path,
                                    GFile               *destination,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, download_file_tag, "GET", FILES_PATH, path, NULL,
                    NULL, NULL, destination, TRUE, cancellable, callback, user_data);
}

gboolean
dbw_databricks_download_file_finish (DbwDatabricks  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return files_call_finish (self, result, download_file_tag, error);
}

/**
 * dbw_databricks_get_file_size_async:
 * @path: a file in a volume
 *
 * Asks for the size of @path without downloading it (a HEAD request); also a way to
 * learn whether it exists.
 */
void
dbw_databricks_get_file_size_async (DbwDatabricks       *self,
                                    const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, file_size_tag, "HEAD", FILES_PATH, path, NULL,
                    NULL, NULL, NULL, TRUE, cancellable, callback, user_data);
}

/* Returns: the size in bytes, or -1 with @error set: #DBW_HTTP_ERROR_NOT_FOUND when
 * there is no such file. */
gint64
dbw_databricks_get_file_size_finish (DbwDatabricks  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_autofree guint64 *size = NULL;

  g_return_val_if_fail (DBW_IS_DATABRICKS (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == file_size_tag, -1);

  size = g_task_propagate_pointer (G_TASK (result), error);

  return size != NULL ? (gint64) *size : -1;
}

/* Deletes a file in a volume; #DBW_HTTP_ERROR_NOT_FOUND when there is none. */
void
dbw_databricks_delete_file_async (DbwDatabricks       *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, delete_file_tag, "DELETE", FILES_PATH, path, NULL,
                    NULL, NULL, NULL, TRUE, cancellable, callback, user_data);
}

gboolean
dbw_databricks_delete_file_finish (DbwDatabricks  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return files_call_finish (self, result, delete_file_tag, error);
}

/* Creates a folder in a volume and any missing parents; one that exists is no error. */
void
dbw_databricks_create_directory_async (DbwDatabricks       *self,
                                       const char          *path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, create_directory_tag, "PUT", DIRECTORIES_PATH, path, NULL,
                    NULL, NULL, NULL, TRUE, cancellable, callback, user_data);
}

gboolean
dbw_databricks_create_directory_finish (DbwDatabricks  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return files_call_finish (self, result, create_directory_tag, error);
}

/* Deletes an empty folder in a volume. */
void
dbw_databricks_delete_directory_async (DbwDatabricks       *self,
                                       const char          *path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  files_call_async (self, delete_directory_tag, "DELETE", DIRECTORIES_PATH, path, NULL,
                    NULL, NULL, NULL, TRUE, cancellable, callback, user_data);
}

gboolean
dbw_databricks_delete_directory_finish (DbwDatabricks  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return files_call_finish (self, result, delete_directory_tag, error);
}

/**
 * dbw_databricks_list_directory_async:
 * @path: a volume ("/Volumes/catalog/schema/volume") or a folder in one
 *
 * Lists what is directly in @path, every page of it.
 */
void
dbw_databricks_list_directory_async (DbwDatabricks       *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *encoded = NULL;
  GError *error = NULL;
  ListData *data;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  encoded = encode_volume_path (path, 3, &error);
  if (encoded == NULL)
    {
      g_task_report_error (self, callback, user_data, (gpointer) list_tag, error);
      return;
    }

  data = list_data_new (g_strconcat (dbw_databricks_config_get_host (self->config), DIRECTORIES_PATH, encoded, NULL),
                        "contents", parse_file_entry, g_object_unref);
  data->subject = g_strdup (path);
  list_start (self, data, cancellable, callback, user_data);
}

/* Returns: (transfer full) (element-type DbwFileEntry): the folder's files and folders, in
 * the workspace's order */
GPtrArray *
dbw_databricks_list_directory_finish (DbwDatabricks  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return list_finish (self, result, error);
}

/**
 * dbw_databricks_list_entity_tags_async:
 * @entity_type: "catalogs", "schemas", "tables", "volumes" or "columns"
 * @entity_name: the full name: "main.plant.readings", or "main.plant.readings.city" for
 *   a column
 *
 * Reads the governed tags assigned to a Unity Catalog object, every page of them.
 */
void
dbw_databricks_list_entity_tags_async (DbwDatabricks       *self,
                                       const char          *entity_type,
                                       const char          *entity_name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  GError *error = NULL;
  ListData *data;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) tags_tag);

  if (!validate_entity (entity_type, entity_name, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  escaped = escape_component (entity_name);
  data = list_data_new (g_strconcat (dbw_databricks_config_get_host (self->config),
                                     "/api/2.1/unity-catalog/entity-tag-assignments/",
                                     entity_type, "/", escaped, "/tags", NULL),
                        "tag_assignments", parse_tag, (GDestroyNotify) g_strfreev);
  data->subject = g_strdup (entity_name);
  list_start (self, data, cancellable, on_tags_listed_cb, g_steal_pointer (&task));
}

/* Returns: (transfer full) (element-type utf8 utf8): tag key → value, "" for a tag that
 * has no value */
GHashTable *
dbw_databricks_list_entity_tags_finish (DbwDatabricks  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tags_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Every serving endpoint of the workspace: a GPtrArray of DbwServingEndpoint. */
void
dbw_databricks_list_serving_endpoints_async (DbwDatabricks       *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  list_start (self,
              list_data_new (build_url (self, "/api/2.0/serving-endpoints"), "endpoints",
                             parse_serving_endpoint, g_object_unref),
              cancellable, callback, user_data);
}

/* Returns: (transfer full) (element-type DbwServingEndpoint): in the workspace's order */
GPtrArray *
dbw_databricks_list_serving_endpoints_finish (DbwDatabricks  *self,
                                              GAsyncResult   *result,
                                              GError        **error)
{
  return list_finish (self, result, error);
}

/* One serving endpoint and its state now; #DBW_HTTP_ERROR_NOT_FOUND when there is none. */
void
dbw_databricks_get_serving_endpoint_async (DbwDatabricks       *self,
                                           const char          *name,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *path = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!validate_simple_name (name, _("serving endpoint name"), MAX_ENDPOINT_NAME, &error))
    {
      g_task_report_error (self, callback, user_data, (gpointer) endpoint_tag, error);
      return;
    }

  path = g_strconcat ("/api/2.0/serving-endpoints/", name, NULL);
  simple_call_async (self, endpoint_tag, "GET", path, NULL, TRUE, name, answer_serving_endpoint,
                     cancellable, callback, user_data);
}

/* Returns: (transfer full): the endpoint */
DbwServingEndpoint *
dbw_databricks_get_serving_endpoint_finish (DbwDatabricks  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return simple_finish_pointer (self, result, endpoint_tag, error);
}

/**
 * dbw_databricks_invoke_serving_endpoint_async:
 * @name: the serving endpoint
 * @body: the request, as the endpoint's task wants it (chat messages, inputs, …)
 * @idempotent: whether sending @body twice does no harm, so that it may be retried after
 *   a broken connection or a 429/503; a generation that costs or has effects should not be
 *
 * Sends @body to /serving-endpoints/@name/invocations and hands back the endpoint's answer.
 */
void
dbw_databricks_invoke_serving_endpoint_async (DbwDatabricks       *self,
                                              const char          *name,
                                              JsonNode            *body,
                                              gboolean             idempotent,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autofree char *path = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (body != NULL && JSON_NODE_HOLDS_OBJECT (body));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!validate_simple_name (name, _("serving endpoint name"), MAX_ENDPOINT_NAME, &error))
    {
      g_task_report_error (self, callback, user_data, (gpointer) invoke_tag, error);
      return;
    }

  path = g_strconcat ("/serving-endpoints/", name, "/invocations", NULL);
  simple_call_async (self, invoke_tag, "POST", path, body, idempotent, name, answer_node,
                     cancellable, callback, user_data);
}

/* Returns: (transfer full): the endpoint's answer */
JsonNode *
dbw_databricks_invoke_serving_endpoint_finish (DbwDatabricks  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  return simple_finish_pointer (self, result, invoke_tag, error);
}

/**
 * dbw_databricks_mlflow_get_experiment_async:
 * @name: the experiment's name, in a workspace a path such as "/Users/ada@example.com/labels"
 * @create: create it when there is none
 *
 * Finds the MLflow experiment called @name, or makes it. An experiment made by someone
 * else at the same moment is found rather than reported as an error.
 */
void
dbw_databricks_mlflow_get_experiment_async (DbwDatabricks       *self,
                                            const char          *name,
                                            gboolean             create,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExperimentData *data;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) experiment_tag);

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                               _("The MLflow experiment name is empty or not valid text"));
      return;
    }

  data = g_new0 (ExperimentData, 1);
  data->name = g_strdup (name);
  data->create = create;
  g_task_set_task_data (task, data, (GDestroyNotify) experiment_data_free);

  experiment_lookup (g_steal_pointer (&task));
}

/* Returns: (transfer full): the experiment id; #DBW_HTTP_ERROR_NOT_FOUND when there is
 * none and @create was %FALSE */
char *
dbw_databricks_mlflow_get_experiment_finish (DbwDatabricks  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  return simple_finish_pointer (self, result, experiment_tag, error);
}

/**
 * dbw_databricks_mlflow_create_run_async:
 * @experiment_id: from dbw_databricks_mlflow_get_experiment_async()
 * @run_name: (nullable): shown in the MLflow UI
 * @tags: (nullable) (element-type utf8 utf8): tags of the run
 *
 * Starts an MLflow run, its start time now. Sent once: a second request would start a
 * second run.
 */
void
dbw_databricks_mlflow_create_run_async (DbwDatabricks       *self,
                                        const char          *experiment_id,
                                        const char          *run_name,
                                        GHashTable          *tags,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!validate_simple_name (experiment_id, _("MLflow experiment id"), 64, &error))
    {
      g_task_report_error (self, callback, user_data, (gpointer) create_run_tag, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "experiment_id");
  json_builder_add_string_value (builder, experiment_id);
  if (run_name != NULL)
    {
      json_builder_set_member_name (builder, "run_name");
      json_builder_add_string_value (builder, run_name);
    }
  json_builder_set_member_name (builder, "start_time");
  json_builder_add_int_value (builder, g_get_real_time () / 1000);
  add_tags_member (builder, tags);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  simple_call_async (self, create_run_tag, "POST", "/api/2.0/mlflow/runs/create", body, FALSE,
                     run_name, answer_mlflow_run, cancellable, callback, user_data);
}

/* Returns: (transfer full): the new run's id */
char *
dbw_databricks_mlflow_create_run_finish (DbwDatabricks  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return simple_finish_pointer (self, result, create_run_tag, error);
}

/**
 * dbw_databricks_mlflow_log_batch_async:
 * @params: (nullable) (element-type utf8 utf8): param name → value
 * @metrics: (nullable) (element-type DbwMlflowMetric): metric values
 *
 * Logs params and metrics to a run, in as many runs/log-batch requests as the API's
 * limits need (100 params, 1000 metrics, 1000 in all per request), one after the other.
 */
void
dbw_databricks_mlflow_log_batch_async (DbwDatabricks       *self,
                                       const char          *run_id,
                                       GHashTable          *params,
                                       GPtrArray           *metrics,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  LogBatchData *data;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) log_batch_tag);

  if (!validate_simple_name (run_id, _("MLflow run id"), 64, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* JSON has no NaN or infinity. */
  for (guint i = 0; metrics != NULL && i < metrics->len; i++)
    {
      const DbwMlflowMetric *metric = g_ptr_array_index (metrics, i);

      if (!isfinite (metric->value))
        {
          g_task_return_new_error (task, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_VALUE,
                                   _("The metric “%s” at step %" G_GINT64_FORMAT " is not a finite number"),
                                   metric->key, metric->step);
          return;
        }
    }

  data = g_new0 (LogBatchData, 1);
  data->run_id = g_strdup (run_id);
  data->batches = build_log_batches (run_id, params, metrics);
  g_task_set_task_data (task, data, (GDestroyNotify) log_batch_data_free);

  log_batch_send_next (g_steal_pointer (&task));
}

gboolean
dbw_databricks_mlflow_log_batch_finish (DbwDatabricks  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return simple_finish_boolean (self, result, log_batch_tag, error);
}

/* Ends a run with @status, its end time now. Safe to repeat, so retried. */
void
dbw_databricks_mlflow_set_terminated_async (DbwDatabricks       *self,
                                            const char          *run_id,
                                            DbwMlflowRunStatus   status,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (mlflow_status_name (status) != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!validate_simple_name (run_id, _("MLflow run id"), 64, &error))
    {
      g_task_report_error (self, callback, user_data, (gpointer) terminate_tag, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "run_id");
  json_builder_add_string_value (builder, run_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, mlflow_status_name (status));
  json_builder_set_member_name (builder, "end_time");
  json_builder_add_int_value (builder, g_get_real_time () / 1000);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  simple_call_async (self, terminate_tag, "POST", "/api/2.0/mlflow/runs/update", body, TRUE,
                     run_id, answer_done, cancellable, callback, user_data);
}

gboolean
dbw_databricks_mlflow_set_terminated_finish (DbwDatabricks  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  return simple_finish_boolean (self, result, terminate_tag, error);
}

/**
 * dbw_databricks_jobs_submit_run_async:
 * @spec: the run, as runs/submit takes it (run_name, tasks, …): a JSON object
 * @idempotency_token: (nullable): at most 64 characters; the workspace starts one run
 *   per token, however often it is sent. %NULL uses the spec's own, or a new one. Keep
 *   the token with the work to submit it again safely after a restart.
 *
 * Submits a one-time run. With its token the request is safe to retry, and is retried.
 */
void
dbw_databricks_jobs_submit_run_async (DbwDatabricks       *self,
                                      JsonNode            *spec,
                                      const char          *idempotency_token,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *new_token = NULL;
  JsonObject *object;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (spec != NULL && JSON_NODE_HOLDS_OBJECT (spec));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* json_node_copy() would share the object: ours gets the caller's members. */
  object = json_object_new ();
  json_object_foreach_member (json_node_get_object (spec), copy_member_cb, object);
  body = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  if (idempotency_token == NULL)
    idempotency_token = get_string (object, "idempotency_token");
  if (idempotency_token == NULL)
    idempotency_token = new_token = g_uuid_string_random ();

  if (*idempotency_token == '\0' || strlen (idempotency_token) > MAX_IDEMPOTENCY_TOKEN)
    {
      g_task_report_new_error (self, callback, user_data, (gpointer) submit_tag,
                               DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_VALUE,
                               _("A job run’s idempotency token must have 1 to %d characters"),
                               MAX_IDEMPOTENCY_TOKEN);
      return;
    }

  json_object_set_string_member (object, "idempotency_token", idempotency_token);
  simple_call_async (self, submit_tag, "POST", "/api/2.2/jobs/runs/submit", body, TRUE,
                     get_string (object, "run_name"), answer_job_run_id, cancellable, callback, user_data);
}

/* Returns: the run id, or -1 with @error set */
gint64
dbw_databricks_jobs_submit_run_finish (DbwDatabricks  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_autofree gint64 *run_id = simple_finish_pointer (self, result, submit_tag, error);

  return run_id != NULL ? *run_id : -1;
}

/* The state of a job run now. */
void
dbw_databricks_jobs_get_run_async (DbwDatabricks       *self,
                                   gint64               run_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *subject = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!validate_run_id (run_id, &error))
    {
      g_task_report_error (self, callback, user_data, (gpointer) get_run_tag, error);
      return;
    }

  path = g_strdup_printf ("/api/2.2/jobs/runs/get?run_id=%" G_GINT64_FORMAT, run_id);
  subject = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  simple_call_async (self, get_run_tag, "GET", path, NULL, TRUE, subject, answer_job_run,
                     cancellable, callback, user_data);
}

/* Returns: (transfer full): the run */
DbwJobRun *
dbw_databricks_jobs_get_run_finish (DbwDatabricks  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return simple_finish_pointer (self, result, get_run_tag, error);
}

/* Asks the workspace to cancel a run; it ends a little later. Safe to repeat. */
void
dbw_databricks_jobs_cancel_run_async (DbwDatabricks       *self,
                                      gint64               run_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *subject = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!validate_run_id (run_id, &error))
    {
      g_task_report_error (self, callback, user_data, (gpointer) cancel_run_tag, error);
      return;
    }

  body = run_id_body ("run_id", run_id);
  subject = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  simple_call_async (self, cancel_run_tag, "POST", "/api/2.2/jobs/runs/cancel", body, TRUE,
                     subject, answer_done, cancellable, callback, user_data);
}

gboolean
dbw_databricks_jobs_cancel_run_finish (DbwDatabricks  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return simple_finish_boolean (self, result, cancel_run_tag, error);
}
