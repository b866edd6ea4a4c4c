/* dbw-llm-client.c
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

#define G_LOG_DOMAIN "dbw-llm-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <math.h>
#include <string.h>

#include "dbw-databricks-config.h"
#include "dbw-llm-client.h"
#include "dbw-llm-client-private.h"
#include "dbw-secrets.h"

/* Calls wait in one queue, in call order. Workers of a thread pool of our own (not the
 * GTask pool: a model call blocks its thread for seconds, and eight or more of them would
 * crowd out every other GTask in the application) take calls from its head: at most
 * max-concurrency workers exist at a time, and a worker starts a call only when fewer
 * than requests-per-minute calls started in the last window, sleeping on the condition
 * until then. A worker sends with the blocking dbw_http_send(), parses the answer and
 * returns the GTask from its thread, so GTask delivers the result on the caller's main
 * context; JSON parsing never runs on the main thread.
 *
 * Cancelling a queued call takes it out of the queue at once and completes it from an
 * idle on its task's context (the "cancelled" handler cannot disconnect itself). A call
 * already sent is cancelled by DbwHttp. Call the asynchronous functions from the thread
 * whose thread-default main context is to get the results, as usual with GTask.
 *
 * Everything shared between the caller's thread and the workers sits behind one mutex;
 * the token counters are totals since the client was made and are never notified. */

#define DEFAULT_MAX_CONCURRENCY 4
#define MAX_MAX_CONCURRENCY     256
#define DEFAULT_RATE_WINDOW_MS  60000
/* A generation may write for minutes before it answers. */
#define LLM_HTTP_TIMEOUT_MS     600000

typedef enum
{
  CALL_CHAT,
  CALL_EMBED,
} CallKind;

/* One chat or embeddings call: the task data of its GTask. */
typedef struct
{
  DbwLlmClient *self;       /* the task's source object keeps it alive */
  CallKind kind;
  DbwHttpRequest *request;
  guint n_inputs;
  gulong cancelled_id;      /* while queued; set under the mutex */
  gboolean queued;          /* under the mutex */
  DbwLlmReply *partial;     /* a truncated or refused reply */
} Call;

struct _DbwLlmClient
{
  GObject parent_instance;

  char *url;
  char *chat_url;
  char *embed_url;
  char *token;
  DbwHttp *http;

  GMutex mutex;
  GCond cond;

  /* under mutex */
  guint max_concurrency;
  guint requests_per_minute;
  gint64 rate_window;       /* µs */
  GQueue queue;             /* GTask, one reference each */
  GArray *starts;           /* gint64 monotonic start times inside the window, oldest first */
  guint n_workers;          /* pushed to the pool and not yet finished */
  guint n_waiting;          /* workers not running a call */
  gint64 prompt_tokens;
  gint64 completion_tokens;
  guint n_requests;
};

G_DEFINE_FINAL_TYPE (DbwLlmClient, dbw_llm_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-llm-error-quark, dbw_llm_error)

/* Source tags (function pointers cannot be compared with gpointer under -Wpedantic). */
static const char chat_tag[] = "dbw_llm_client_chat_async";
static const char embed_tag[] = "dbw_llm_client_embed_async";
static const char new_for_url_tag[] = "dbw_llm_client_new_for_url_async";

enum {
  PROP_0,
  PROP_URL,
  PROP_MAX_CONCURRENCY,
  PROP_REQUESTS_PER_MINUTE,
  PROP_PROMPT_TOKENS,
  PROP_COMPLETION_TOKENS,
  PROP_N_REQUESTS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void worker_cb (gpointer data,
                       gpointer user_data);

static void
call_free (Call *call)
{
  g_clear_pointer (&call->request, dbw_http_request_unref);
  g_clear_object (&call->partial);
  g_free (call);
}

/* --- helpers -------------------------------------------------------------------------- */

/* Shared by every client; each client limits its own workers. */
static GThreadPool *
get_pool (void)
{
  static gsize pool = 0;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *new_pool = g_thread_pool_new (worker_cb, NULL, -1, FALSE, NULL);

      g_once_init_leave (&pool, (gsize) new_pool);
    }

  return (GThreadPool *) pool;
}

/* The URL with @suffix in place of a known endpoint suffix (or appended), query kept. */
static char *
endpoint_url (const char *url,
              const char *suffix)
{
  static const char * const known[] = { "/chat/completions", "/embeddings" };
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *path = NULL;
  g_autofree char *new_path = NULL;
  gsize length;

  if (uri == NULL)
    return g_strconcat (url, suffix, NULL);

  path = g_strdup (g_uri_get_path (uri));
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    path[--length] = '\0';

  if (g_str_has_suffix (path, "/invocations"))
    return g_strdup (url);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (g_str_has_suffix (path, known[i]))
        {
          path[length - strlen (known[i])] = '\0';
          break;
        }
    }

  new_path = g_strconcat (path, suffix, NULL);

  return g_uri_join (G_URI_FLAGS_ENCODED,
                     g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                     g_uri_get_host (uri), g_uri_get_port (uri),
                     new_path, g_uri_get_query (uri), NULL);
}

/* A server may quote the credentials it rejected; ours never reach an error message. */
static void
hide_token (DbwLlmClient *self,
            GError       *error)
{
  g_autoptr(GString) message = NULL;

  if (self->token == NULL || *self->token == '\0' || strstr (error->message, self->token) == NULL)
    return;

  message = g_string_new (error->message);
  g_string_replace (message, self->token, "…", 0);
  g_free (error->message);
  error->message = g_string_free (g_steal_pointer (&message), FALSE);
}

static JsonNode *
parse_body (DbwHttpResponse  *response,
            GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *content_type = dbw_http_response_get_content_type (response);
  GBytes *body = dbw_http_response_get_body (response);
  gconstpointer data;
  gsize size = 0;

  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (size == 0)
    {
      g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("The model server sent an empty reply"));
      return NULL;
    }

  if (content_type != NULL && strstr (content_type, "json") == NULL)
    {
      g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                   _("The model server replied with “%s” instead of JSON; check the endpoint address"),
                   content_type);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                   _("The model server’s reply is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("The model server’s reply is not a JSON object"));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gint64
get_count_member (JsonObject *object,
                  const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (!is_number (node))
    return 0;

  return MAX (0, json_node_get_int (node));
}

/* A string, or a list of parts whose "text" parts are joined; other parts ("reasoning",
 * images) are left out. NULL when there is no text at all. */
static char *
content_text (JsonNode *content)
{
  g_autoptr(GString) text = NULL;
  JsonArray *parts;
  gboolean found = FALSE;

  if (content == NULL || JSON_NODE_HOLDS_NULL (content))
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (content))
    return json_node_get_value_type (content) == G_TYPE_STRING ? g_strdup (json_node_get_string (content)) : NULL;

  if (!JSON_NODE_HOLDS_ARRAY (content))
    return NULL;

  text = g_string_new (NULL);
  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      JsonObject *part = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = get_string_member (part, "type");
      const char *part_text = get_string_member (part, "text");

      if (part_text != NULL && (type == NULL || g_str_equal (type, "text")))
        {
          g_string_append (text, part_text);
          found = TRUE;
        }
    }

  return found ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* exp of the mean token log-probability, or -1 without any. */
static double
confidence_from_logprobs (JsonObject *choice)
{
  JsonObject *logprobs = get_object_member (choice, "logprobs");
  JsonArray *tokens = logprobs != NULL ? get_array_member (logprobs, "content") : NULL;
  double sum = 0;
  guint n = 0;

  for (guint i = 0; tokens != NULL && i < json_array_get_length (tokens); i++)
    {
      JsonNode *node = json_array_get_element (tokens, i);
      JsonNode *logprob = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), "logprob") : NULL;

      if (is_number (logprob))
        {
          sum += json_node_get_double (logprob);
          n++;
        }
    }

  if (n == 0)
    return -1;

  return CLAMP (exp (sum / n), 0.0, 1.0);
}

/* The first choice of a chat completion. A reply cut short or filtered may come without
 * content; it is kept (empty) for dbw_llm_client_chat_get_partial_reply(). */
static DbwLlmReply *
parse_chat (JsonNode  *root,
            GError   **error)
{
  JsonObject *object = json_node_get_object (root);
  JsonObject *usage = get_object_member (object, "usage");
  JsonArray *choices = get_array_member (object, "choices");
  JsonNode *first;
  JsonObject *choice;
  JsonObject *message;
  const char *finish_reason;
  g_autofree char *content = NULL;

  if (choices == NULL)
    {
      g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("The model server’s reply has no “choices”"));
      return NULL;
    }

  if (json_array_get_length (choices) == 0)
    {
      g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("The model server’s reply has an empty list of “choices”"));
      return NULL;
    }

  first = json_array_get_element (choices, 0);
  choice = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
  message = choice != NULL ? get_object_member (choice, "message") : NULL;
  if (message == NULL)
    {
      g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("The first choice in the model server’s reply has no “message”"));
      return NULL;
    }

  finish_reason = get_string_member (choice, "finish_reason");
  content = content_text (json_object_get_member (message, "content"));
  if (content == NULL)
    {
      if (g_strcmp0 (finish_reason, "length") != 0 && g_strcmp0 (finish_reason, "content_filter") != 0)
        {
          g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                               _("The message in the model server’s reply has no text “content”"));
          return NULL;
        }
      content = g_strdup ("");
    }

  return dbw_llm_reply_new (content,
                            get_string_member (object, "model"),
                            finish_reason,
                            get_count_member (usage, "prompt_tokens"),
                            get_count_member (usage, "completion_tokens"),
                            confidence_from_logprobs (choice));
}

static void
vector_free (gpointer vector)
{
  if (vector != NULL)
    g_array_unref (vector);
}

/* One GArray of floats per input, in input order (by "index" when the server sets it). */
static GPtrArray *
parse_embeddings (JsonNode  *root,
                  guint      n_inputs,
                  GError   **error)
{
  JsonObject *object = json_node_get_object (root);
  JsonArray *data = get_array_member (object, "data");
  g_autoptr(GPtrArray) vectors = NULL;
  guint dimension = 0;

  if (data == NULL)
    {
      g_set_error_literal (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("The model server’s reply has no “data” list of embeddings"));
      return NULL;
    }

  if (json_array_get_length (data) != n_inputs)
    {
      g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                   _("The model server’s reply has %u embeddings for %u inputs"),
                   json_array_get_length (data), n_inputs);
      return NULL;
    }

  vectors = g_ptr_array_new_full (n_inputs, vector_free);
  g_ptr_array_set_size (vectors, n_inputs);

  for (guint i = 0; i < n_inputs; i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *values = entry != NULL ? get_array_member (entry, "embedding") : NULL;
      JsonNode *index_node = entry != NULL ? json_object_get_member (entry, "index") : NULL;
      guint index = i;
      GArray *vector;

      if (index_node != NULL && JSON_NODE_HOLDS_VALUE (index_node) &&
          json_node_get_value_type (index_node) == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (index_node);

          if (value < 0 || value >= n_inputs || g_ptr_array_index (vectors, value) != NULL)
            {
              g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("Embedding %u in the model server’s reply has the index %" G_GINT64_FORMAT ", which is out of range or taken"),
                           i, value);
              return NULL;
            }
          index = (guint) value;
        }
      else if (g_ptr_array_index (vectors, index) != NULL)
        {
          g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                       _("Embedding %u in the model server’s reply has no index"), i);
          return NULL;
        }

      if (values == NULL || json_array_get_length (values) == 0)
        {
          g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                       _("Embedding %u in the model server’s reply has no “embedding” numbers"), index);
          return NULL;
        }

      if (dimension == 0)
        dimension = json_array_get_length (values);
      if (json_array_get_length (values) != dimension)
        {
          g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                       _("Embedding %u in the model server’s reply has %u dimensions, the others %u"),
                       index, json_array_get_length (values), dimension);
          return NULL;
        }

      vector = g_array_sized_new (FALSE, FALSE, sizeof (float), dimension);
      g_ptr_array_index (vectors, index) = vector;
      for (guint j = 0; j < dimension; j++)
        {
          JsonNode *value = json_array_get_element (values, j);
          float number;

          if (!is_number (value))
            {
              g_set_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY,
                           _("Embedding %u in the model server’s reply has something other than a number at %u"),
                           index, j);
              return NULL;
            }
          number = (float) json_node_get_double (value);
          g_array_append_val (vector, number);
        }
    }

  return g_steal_pointer (&vectors);
}

static void
count_usage (DbwLlmClient *self,
             gint64        prompt_tokens,
             gint64        completion_tokens)
{
  g_mutex_lock (&self->mutex);
  self->prompt_tokens += prompt_tokens;
  self->completion_tokens += completion_tokens;
  g_mutex_unlock (&self->mutex);
}

/* In a worker: sends the call, reads the answer and returns the task. */
static void
run_call (DbwLlmClient *self,
          GTask        *task)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(DbwHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;

  if (call->cancelled_id != 0)
    {
      /* Never while holding the mutex: this waits for a handler running elsewhere. */
      g_cancellable_disconnect (cancellable, call->cancelled_id);
      call->cancelled_id = 0;
    }

  response = dbw_http_send (self->http, call->request, cancellable, &error);
  if (response == NULL)
    {
      hide_token (self, error);
      g_task_return_error (task, error);
      return;
    }

  root = parse_body (response, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (call->kind == CALL_EMBED)
    {
      JsonObject *usage = get_object_member (json_node_get_object (root), "usage");
      GPtrArray *vectors;

      count_usage (self, get_count_member (usage, "prompt_tokens"), 0);
      vectors = parse_embeddings (root, call->n_inputs, &error);
      if (vectors != NULL)
        g_task_return_pointer (task, vectors, (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (task, error);
    }
  else
    {
      g_autoptr(DbwLlmReply) reply = parse_chat (root, &error);
      const char *finish_reason;

      if (reply == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      /* Tokens a cut-off or refused reply cost are counted too: they were billed. */
      count_usage (self, dbw_llm_reply_get_prompt_tokens (reply), dbw_llm_reply_get_completion_tokens (reply));

      finish_reason = dbw_llm_reply_get_finish_reason (reply);
      if (g_strcmp0 (finish_reason, "length") == 0)
        {
          call->partial = g_steal_pointer (&reply);
          g_task_return_new_error (task, DBW_LLM_ERROR, DBW_LLM_ERROR_TRUNCATED,
                                   _("The model’s reply was cut short at its token limit; allow more tokens or ask for a shorter answer"));
        }
      else if (g_strcmp0 (finish_reason, "content_filter") == 0)
        {
          call->partial = g_steal_pointer (&reply);
          g_task_return_new_error (task, DBW_LLM_ERROR, DBW_LLM_ERROR_REFUSED,
                                   _("The model’s content filter withheld the reply"));
        }
      else
        {
          g_task_return_pointer (task, g_steal_pointer (&reply), g_object_unref);
        }
    }
}

/* When the next call may start: now, or when the oldest start in the window leaves it. */
static gint64
next_start_time_locked (DbwLlmClient *self,
                        gint64        now)
{
  guint n = 0;

  if (self->requests_per_minute == 0)
    return now;

  while (n < self->starts->len && g_array_index (self->starts, gint64, n) <= now - self->rate_window)
    n++;
  g_array_remove_range (self->starts, 0, n);

  if (self->starts->len < self->requests_per_minute)
    return now;

  return g_array_index (self->starts, gint64, self->starts->len - self->requests_per_minute) + self->rate_window;
}

/* The head of the queue once the rate allows it, or NULL when this worker is not needed. */
static GTask *
take_next_call_locked (DbwLlmClient *self)
{
  GTask *task;
  Call *call;
  gint64 now;

  for (;;)
    {
      gint64 start_time;

      if (g_queue_is_empty (&self->queue) || self->n_workers > self->max_concurrency)
        return NULL;

      now = g_get_monotonic_time ();
      start_time = next_start_time_locked (self, now);
      if (start_time <= now)
        break;

      /* Woken early by a new limit or a cancelled call; the loop looks again. */
      g_cond_wait_until (&self->cond, &self->mutex, start_time);
    }

  task = g_queue_pop_head (&self->queue);
  call = g_task_get_task_data (task);
  call->queued = FALSE;
  if (self->requests_per_minute > 0)
    g_array_append_val (self->starts, now);
  self->n_requests++;
  self->n_waiting--;

  return task;
}

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  DbwLlmClient *self = data;    /* a reference from start_workers_locked() */
  GTask *task;

  g_mutex_lock (&self->mutex);
  while ((task = take_next_call_locked (self)) != NULL)
    {
      g_mutex_unlock (&self->mutex);
      run_call (self, task);
      g_object_unref (task);
      g_mutex_lock (&self->mutex);
      self->n_waiting++;
    }
  self->n_waiting--;
  self->n_workers--;
  g_mutex_unlock (&self->mutex);

  g_object_unref (self);
}

/* One waiting worker per queued call, up to max-concurrency workers. */
static void
start_workers_locked (DbwLlmClient *self)
{
  while (self->n_workers < self->max_concurrency && self->n_waiting < self->queue.length)
    {
      g_autoptr(GError) error = NULL;

      self->n_workers++;
      self->n_waiting++;
      if (!g_thread_pool_push (get_pool (), g_object_ref (self), &error))
        {
          /* Cannot drop the last reference: the caller holds one. */
          g_object_unref (self);
          self->n_workers--;
          self->n_waiting--;
          g_warning ("Could not start a thread for language model requests: %s", error->message);
          break;
        }
    }
}

static gboolean
complete_cancelled_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  g_cancellable_disconnect (g_task_get_cancellable (task), call->cancelled_id);
  call->cancelled_id = 0;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));

  return G_SOURCE_REMOVE;
}

/* Any thread. A call still queued leaves the queue now; one already taken by a worker is
 * cancelled in DbwHttp. */
static void
on_queued_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  DbwLlmClient *self = call->self;
  g_autoptr(GSource) source = NULL;
  gboolean removed;

  g_mutex_lock (&self->mutex);
  removed = call->queued;
  if (removed)
    {
      g_queue_remove (&self->queue, task);
      call->queued = FALSE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);

  if (!removed)
    return;

  /* The queue's reference goes to the idle. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, complete_cancelled_cb, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
enqueue (DbwLlmClient *self,
         GTask        *task)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gulong cancelled_id = 0;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Connected before the call is queued: a worker that takes it finds the id to
   * disconnect. Until it is queued the handler does nothing. */
  if (cancellable != NULL)
    cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_queued_cancelled_cb), task, NULL);

  g_mutex_lock (&self->mutex);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_mutex_unlock (&self->mutex);
      g_cancellable_disconnect (cancellable, cancelled_id);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));
      return;
    }
  call->cancelled_id = cancelled_id;
  call->queued = TRUE;
  g_queue_push_tail (&self->queue, g_object_ref (task));
  start_workers_locked (self);
  g_mutex_unlock (&self->mutex);
}

static DbwHttpRequest *
build_request (DbwLlmClient *self,
               const char   *url,
               JsonNode     *body)
{
  DbwHttpRequest *request = dbw_http_request_new_json ("POST", url, body);

  if (self->token != NULL && *self->token != '\0')
    dbw_http_request_set_bearer_token (request, self->token);
  /* A completion changes nothing on the server: sending it again is safe. */
  dbw_http_request_set_idempotent (request, TRUE);

  return request;
}

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  const char *url = g_task_get_task_data (task);
  char *token;

  token = dbw_secret_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("Could not read the language model token from the keyring: %s"),
                               error->message);
      return;
    }

  g_task_return_pointer (task, dbw_llm_client_new (url, token), g_object_unref);
  secret_password_free (token);
}

/* --- GObject -------------------------------------------------------------------------- */

static void
dbw_llm_client_constructed (GObject *object)
{
  DbwLlmClient *self = (DbwLlmClient *)object;

  G_OBJECT_CLASS (dbw_llm_client_parent_class)->constructed (object);

  if (self->url == NULL)
    self->url = g_strdup ("");
  self->chat_url = endpoint_url (self->url, "/chat/completions");
  self->embed_url = endpoint_url (self->url, "/embeddings");
}

static void
dbw_llm_client_finalize (GObject *object)
{
  DbwLlmClient *self = (DbwLlmClient *)object;

  g_assert (g_queue_is_empty (&self->queue));

  g_free (self->url);
  g_free (self->chat_url);
  g_free (self->embed_url);
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  g_clear_object (&self->http);
  g_array_unref (self->starts);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (dbw_llm_client_parent_class)->finalize (object);
}

static void
dbw_llm_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwLlmClient *self = DBW_LLM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_MAX_CONCURRENCY:
      g_value_set_uint (value, dbw_llm_client_get_max_concurrency (self));
      break;
    case PROP_REQUESTS_PER_MINUTE:
      g_value_set_uint (value, dbw_llm_client_get_requests_per_minute (self));
      break;
    case PROP_PROMPT_TOKENS:
      g_value_set_int64 (value, dbw_llm_client_get_prompt_tokens (self));
      break;
    case PROP_COMPLETION_TOKENS:
      g_value_set_int64 (value, dbw_llm_client_get_completion_tokens (self));
      break;
    case PROP_N_REQUESTS:
      g_value_set_uint (value, dbw_llm_client_get_n_requests (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_llm_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwLlmClient *self = DBW_LLM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    case PROP_MAX_CONCURRENCY:
      dbw_llm_client_set_max_concurrency (self, g_value_get_uint (value));
      break;
    case PROP_REQUESTS_PER_MINUTE:
      dbw_llm_client_set_requests_per_minute (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_llm_client_class_init (DbwLlmClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dbw_llm_client_constructed;
  object_class->finalize = dbw_llm_client_finalize;
  object_class->get_property = dbw_llm_client_get_property;
  object_class->set_property = dbw_llm_client_set_property;

  /* A serving endpoint's …/invocations, or a base URL such as http://localhost:8000/v1 */
  properties [PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Requests in flight at once; more wait in the queue */
  properties [PROP_MAX_CONCURRENCY] =
    g_param_spec_uint ("max-concurrency", NULL, NULL,
                       1, MAX_MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Requests started in any sliding minute; 0 for no limit. Retries inside one request
   * are not counted. */
  properties [PROP_REQUESTS_PER_MINUTE] =
    g_param_spec_uint ("requests-per-minute", NULL, NULL,
                       0, G_MAXINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Counters, updated from worker threads; never notified. */
  properties [PROP_PROMPT_TOKENS] =
    g_param_spec_int64 ("prompt-tokens", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_COMPLETION_TOKENS] =
    g_param_spec_int64 ("completion-tokens", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_REQUESTS] =
    g_param_spec_uint ("n-requests", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_llm_client_init (DbwLlmClient *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  self->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->max_concurrency = DEFAULT_MAX_CONCURRENCY;
  self->rate_window = (gint64) DEFAULT_RATE_WINDOW_MS * 1000;
  self->http = dbw_http_new ();
  dbw_http_set_timeout (self->http, LLM_HTTP_TIMEOUT_MS);
}

/* --- public API ----------------------------------------------------------------------- */

/**
 * dbw_llm_client_new:
 * @url: a serving endpoint's "…/invocations" URL, or a server's base URL such as
 *   "http://localhost:8000/v1" ("…/v1/chat/completions" works too)
 * @token: (nullable): the bearer token, or %NULL for a server that needs none
 */
DbwLlmClient *
dbw_llm_client_new (const char *url,
                    const char *token)
{
  DbwLlmClient *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (DBW_TYPE_LLM_CLIENT, "url", url, NULL);
  self->token = g_strdup (token);

  return self;
}

/* @databricks_host: "https://adb-….azuredatabricks.net" or the bare host name */
DbwLlmClient *
dbw_llm_client_new_for_serving_endpoint (const char *databricks_host,
                                         const char *endpoint_name,
                                         const char *token)
{
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (databricks_host != NULL, NULL);
  g_return_val_if_fail (endpoint_name != NULL && *endpoint_name != '\0', NULL);

  /* A host that does not normalise is kept: the first request then names what is wrong. */
  host = dbw_databricks_normalize_host (databricks_host, NULL);
  if (host == NULL)
    host = g_strdup (databricks_host);
  name = g_uri_escape_string (endpoint_name, NULL, FALSE);
  url = g_strdup_printf ("%s/serving-endpoints/%s/invocations", host, name);

  return dbw_llm_client_new (url, token);
}

void
dbw_llm_client_new_for_url_async (const char          *url,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *env_token;

  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) new_for_url_tag);
  g_task_set_task_data (task, g_strstrip (g_strdup (url)), g_free);
  url = g_task_get_task_data (task);

  if (*url == '\0')
    {
      g_task_return_new_error (task, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL,
                               _("No language model endpoint is set up"));
      return;
    }

  env_token = g_getenv ("DBW_LLM_TOKEN");
  if (env_token != NULL && *env_token != '\0')
    {
      g_task_return_pointer (task, dbw_llm_client_new (url, env_token), g_object_unref);
      return;
    }

  dbw_secret_lookup_async (DBW_SECRET_LLM_TOKEN, url, cancellable,
                           on_token_looked_up_cb, g_steal_pointer (&task));
}

DbwLlmClient *
dbw_llm_client_new_for_url_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == new_for_url_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
dbw_llm_client_get_url (DbwLlmClient *self)
{
  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), NULL);
  return self->url;
}

/* Its timeouts and retry settings apply to every request of this client. */
DbwHttp *
dbw_llm_client_get_http (DbwLlmClient *self)
{
  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), NULL);
  return self->http;
}

guint
dbw_llm_client_get_max_concurrency (DbwLlmClient *self)
{
  guint value;

  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), 0);

  g_mutex_lock (&self->mutex);
  value = self->max_concurrency;
  g_mutex_unlock (&self->mutex);

  return value;
}

/* Lowering it lets the requests in flight finish; raising it starts queued ones at once. */
void
dbw_llm_client_set_max_concurrency (DbwLlmClient *self,
                                    guint         max_concurrency)
{
  gboolean changed;

  g_return_if_fail (DBW_IS_LLM_CLIENT (self));

  max_concurrency = CLAMP (max_concurrency, 1, MAX_MAX_CONCURRENCY);

  g_mutex_lock (&self->mutex);
  changed = self->max_concurrency != max_concurrency;
  self->max_concurrency = max_concurrency;
  start_workers_locked (self);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_CONCURRENCY]);
}

guint
dbw_llm_client_get_requests_per_minute (DbwLlmClient *self)
{
  guint value;

  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), 0);

  g_mutex_lock (&self->mutex);
  value = self->requests_per_minute;
  g_mutex_unlock (&self->mutex);

  return value;
}

void
dbw_llm_client_set_requests_per_minute (DbwLlmClient *self,
                                        guint         requests_per_minute)
{
  gboolean changed;

  g_return_if_fail (DBW_IS_LLM_CLIENT (self));

  g_mutex_lock (&self->mutex);
  changed = self->requests_per_minute != requests_per_minute;
  self->requests_per_minute = requests_per_minute;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REQUESTS_PER_MINUTE]);
}

void
_dbw_llm_client_set_rate_window (DbwLlmClient *self,
                                 guint         msec)
{
  g_return_if_fail (DBW_IS_LLM_CLIENT (self));
  g_return_if_fail (msec > 0);

  g_mutex_lock (&self->mutex);
  self->rate_window = (gint64) msec * 1000;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Usage the server reported, every reply counted (cut-off and refused ones too). */
gint64
dbw_llm_client_get_prompt_tokens (DbwLlmClient *self)
{
  gint64 value;

  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), 0);

  g_mutex_lock (&self->mutex);
  value = self->prompt_tokens;
  g_mutex_unlock (&self->mutex);

  return value;
}

gint64
dbw_llm_client_get_completion_tokens (DbwLlmClient *self)
{
  gint64 value;

  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), 0);

  g_mutex_lock (&self->mutex);
  value = self->completion_tokens;
  g_mutex_unlock (&self->mutex);

  return value;
}

/* Calls sent (retries inside one call not counted; DbwHttp counts those). */
guint
dbw_llm_client_get_n_requests (DbwLlmClient *self)
{
  guint value;

  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), 0);

  g_mutex_lock (&self->mutex);
  value = self->n_requests;
  g_mutex_unlock (&self->mutex);

  return value;
}

/**
 * dbw_llm_client_chat_async:
 * @messages: a JSON array of {role, content}; read at once, not kept
 * @temperature: from 0; a negative value leaves it to the server
 * @logprobs: ask for token log-probabilities, for dbw_llm_reply_get_confidence()
 *
 * Sends the request when the concurrency and rate limits allow, retrying on 429 and 5xx as
 * DbwHttp does. Errors: G_IO_ERROR_CANCELLED; a #DBW_HTTP_ERROR with the server's own
 * message; #DBW_LLM_ERROR_BAD_REPLY naming what the reply lacks; TRUNCATED and REFUSED,
 * after which dbw_llm_client_chat_get_partial_reply() has what was sent.
 */
void
dbw_llm_client_chat_async (DbwLlmClient        *self,
                           const char          *model,
                           JsonArray           *messages,
                           double               temperature,
                           gint64               max_tokens,
                           gboolean             logprobs,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  Call *call;

  g_return_if_fail (DBW_IS_LLM_CLIENT (self));
  g_return_if_fail (messages != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (model != NULL && *model != '\0')
    json_object_set_string_member (object, "model", model);
  json_object_set_array_member (object, "messages", json_array_ref (messages));
  if (temperature >= 0)
    json_object_set_double_member (object, "temperature", temperature);
  if (max_tokens > 0)
    json_object_set_int_member (object, "max_tokens", max_tokens);
  if (logprobs)
    json_object_set_boolean_member (object, "logprobs", TRUE);
  json_node_take_object (body, object);

  call = g_new0 (Call, 1);
  call->self = self;
  call->kind = CALL_CHAT;
  call->request = build_request (self, self->chat_url, body);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) chat_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  enqueue (self, task);
}

/* Returns: (transfer full): the reply; its usage is already in the client's totals. */
DbwLlmReply *
dbw_llm_client_chat_finish (DbwLlmClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == chat_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns: (transfer full) (nullable) */
DbwLlmReply *
dbw_llm_client_chat_get_partial_reply (DbwLlmClient *self,
                                       GAsyncResult *result)
{
  Call *call;

  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == chat_tag, NULL);

  call = g_task_get_task_data (G_TASK (result));

  return call->partial != NULL ? g_object_ref (call->partial) : NULL;
}

/**
 * dbw_llm_client_embed_async:
 * @inputs: texts to embed, sent in one request
 *
 * The same queue, limits and errors as dbw_llm_client_chat_async().
 */
void
dbw_llm_client_embed_async (DbwLlmClient        *self,
                            const char          *model,
                            const char * const  *inputs,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();
  guint n_inputs;
  Call *call;

  g_return_if_fail (DBW_IS_LLM_CLIENT (self));
  g_return_if_fail (inputs != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  for (guint i = 0; inputs[i] != NULL; i++)
    json_array_add_string_element (array, inputs[i]);
  n_inputs = json_array_get_length (array);

  if (model != NULL && *model != '\0')
    json_object_set_string_member (object, "model", model);
  json_object_set_array_member (object, "input", array);
  json_node_take_object (body, object);

  call = g_new0 (Call, 1);
  call->self = self;
  call->kind = CALL_EMBED;
  call->n_inputs = n_inputs;
  call->request = build_request (self, self->embed_url, body);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) embed_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (call->n_inputs == 0)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  enqueue (self, task);
}

/* Returns: (transfer full) (element-type GArray): one vector of floats per input. */
GPtrArray *
dbw_llm_client_embed_finish (DbwLlmClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (DBW_IS_LLM_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == embed_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
