/* fake-llm.c — an OpenAI-compatible language model server on 127.0.0.1 for tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-llm"

#include "config.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "fake-llm.h"

/* The server runs in its own thread with its own GMainContext, like fake-databricks. A
 * delayed answer is prepared at once and the message paused until a timeout in that
 * context, so one thread holds any number of slow requests at the same time; "in flight"
 * counts the messages that arrived and are not yet answered (finished or disconnected). */

#define DEFAULT_DIMENSION 8
#define DEFAULT_LOGPROB   -0.1

typedef struct
{
  char *needle;
  char *reply;
} FakeRule;

typedef struct
{
  FakeLlmFault fault;
  guint remaining;
  int value;
  int retry_after;
} FakeFaultEntry;

struct _FakeLlm
{
  GMutex mutex;
  GCond cond;
  GThread *thread;
  GMainContext *context;
  gint stopping;          /* atomic */
  SoupServer *server;     /* owned by the server thread */
  char *url;
  char *v1_url;
  GError *start_error;

  /* under mutex */
  char *token;
  guint delay;
  GPtrArray *rules;       /* FakeRule */
  FakeLlmReplyFunc reply_func;
  gpointer reply_data;
  GDestroyNotify reply_destroy;
  GArray *logprobs;       /* double */
  gboolean content_parts;
  guint dimension;
  gboolean reverse_embeddings;
  GQueue faults;          /* FakeFaultEntry */
  double fault_rate;
  guint fault_status;
  GRand *fault_rand;
  GPtrArray *requests;    /* FakeLlmRequest */
  guint in_flight;
  guint peak;
  guint n_disconnected;
  guint64 n_replies;      /* for reply ids */
};

typedef enum
{
  KIND_CHAT,
  KIND_EMBEDDINGS,
} Kind;

/* One request between its arrival and its answer; belongs to the message. */
typedef struct
{
  FakeLlm *self;
  SoupServerMessage *msg;   /* not a reference: the message owns this */
  GSource *delay_source;
  GSource *socket_source;   /* watches for the client closing while the answer waits */
  gboolean drop;
  gboolean done;            /* no longer counted in flight */
} Exchange;

static void
fake_rule_free (FakeRule *rule)
{
  g_free (rule->needle);
  g_free (rule->reply);
  g_free (rule);
}

static void
fake_llm_request_free (FakeLlmRequest *request)
{
  g_free (request->path);
  g_free (request->body);
  g_free (request->token);
  g_free (request);
}

static FakeLlmRequest *
fake_llm_request_copy (const FakeLlmRequest *request)
{
  FakeLlmRequest *copy = g_new0 (FakeLlmRequest, 1);

  copy->path = g_strdup (request->path);
  copy->body = g_strdup (request->body);
  copy->token = g_strdup (request->token);
  copy->received = request->received;

  return copy;
}

/* --- what the fake computes ----------------------------------------------------------- */

/* One token per four characters, rounded up. */
gint64
fake_llm_count_tokens (const char *text)
{
  if (text == NULL)
    return 0;

  return (g_utf8_strlen (text, -1) + 3) / 4;
}

char *
fake_llm_default_reply (const char *last_user_message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *hash = NULL;

  if (last_user_message == NULL)
    last_user_message = "";

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, last_user_message, -1);
  hash[8] = '\0';

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reply");
  json_builder_add_string_value (builder, last_user_message);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, hash);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return json_to_string (node, FALSE);
}

/* A unit vector drawn from the SHA-256 of @input. */
void
fake_llm_embedding (const char *input,
                    guint       dimension,
                    float      *out)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  double norm = 0;

  g_checksum_update (checksum, (const guchar *) input, -1);
  g_checksum_get_digest (checksum, digest, &length);

  for (guint i = 0; i < dimension; i++)
    {
      guint8 byte = digest[i % 32] ^ (guint8) (i / 32 * 37);

      out[i] = (float) (byte / 127.5 - 1.0);
      norm += (double) out[i] * out[i];
    }

  norm = sqrt (norm);
  for (guint i = 0; norm > 0 && i < dimension; i++)
    out[i] = (float) (out[i] / norm);
}

/* The text of a message's content: a string, or the "text" of a list of parts. */
static char *
content_text (JsonNode *content)
{
  GString *text;
  JsonArray *parts;

  if (content == NULL || JSON_NODE_HOLDS_NULL (content))
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (content));

  if (!JSON_NODE_HOLDS_ARRAY (content))
    return NULL;

  text = g_string_new (NULL);
  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *part = json_array_get_element (parts, i);

      if (JSON_NODE_HOLDS_OBJECT (part))
        g_string_append (text, json_object_get_string_member_with_default (json_node_get_object (part), "text", ""));
    }

  return g_string_free (text, FALSE);
}

/* --- answers -------------------------------------------------------------------------- */

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

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

/* OpenAI: {"error": {"message", "type", "code"}}; Databricks: {"error_code", "message"}. */
static void
reply_error (SoupServerMessage *msg,
             gboolean           databricks,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *code;

  switch (status)
    {
    case 400: code = databricks ? "BAD_REQUEST" : "invalid_request_error"; break;
    case 401: code = databricks ? "UNAUTHENTICATED" : "invalid_api_key"; break;
    case 403: code = databricks ? "PERMISSION_DENIED" : "permission_denied"; break;
    case 404: code = databricks ? "RESOURCE_DOES_NOT_EXIST" : "not_found"; break;
    case 429: code = databricks ? "REQUEST_LIMIT_EXCEEDED" : "rate_limit_exceeded"; break;
    default: code = databricks ? "INTERNAL_ERROR" : "server_error"; break;
    }

  json_builder_begin_object (builder);
  if (databricks)
    {
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, code);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, code);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  reply_json (msg, status, node);
}

static const char *
status_message (guint status)
{
  switch (status)
    {
    case 400: return "The request is not valid.";
    case 401: return "Invalid access token.";
    case 403: return "You do not have access to this model.";
    case 404: return "No such model.";
    case 429: return "Rate limit reached; slow down.";
    case 503: return "The model is overloaded; try again later.";
    default: return "The model server ran into a problem.";
    }
}

/* Takes the first queued fault, or a random one at the fault rate. */
static gboolean
take_fault (FakeLlm        *self,
            FakeFaultEntry *out)
{
  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      FakeFaultEntry *entry = l->data;

      if (entry->remaining == 0)
        continue;
      if (entry->remaining != FAKE_LLM_FOREVER)
        entry->remaining--;
      *out = *entry;
      return TRUE;
    }

  if (self->fault_rate > 0 && g_rand_double (self->fault_rand) < self->fault_rate)
    {
      out->fault = FAKE_LLM_FAULT_STATUS;
      out->value = (int) self->fault_status;
      out->retry_after = -1;
      return TRUE;
    }

  return FALSE;
}

/* The content of a chat reply, chosen under the mutex (the reply function is called
 * before, without it). */
static char *
choose_content (FakeLlm    *self,
                const char *last_user)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      FakeRule *rule = g_ptr_array_index (self->rules, i);

      if (last_user != NULL && strstr (last_user, rule->needle) != NULL)
        return g_strdup (rule->reply);
    }

  return fake_llm_default_reply (last_user);
}

static void
add_logprobs (JsonBuilder *builder,
              const char  *content,
              GArray      *values)
{
  const char *p = content;
  guint i = 0;

  json_builder_set_member_name (builder, "logprobs");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *token = NULL;

      for (guint n = 0; n < 4 && *end != '\0'; n++)
        end = g_utf8_next_char (end);
      token = g_strndup (p, end - p);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "logprob");
      json_builder_add_double_value (builder, g_array_index (values, double, i % values->len));
      json_builder_end_object (builder);

      p = end;
      i++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_usage (JsonBuilder *builder,
           gint64       prompt_tokens,
           gint64       completion_tokens)
{
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, completion_tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, prompt_tokens + completion_tokens);
  json_builder_end_object (builder);
}

static void
answer_chat (FakeLlm           *self,
             SoupServerMessage *msg,
             gboolean           databricks,
             const char        *endpoint,
             JsonObject        *request,
             gboolean           has_fault,
             FakeFaultEntry    *fault)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *last_user = NULL;
  g_autofree char *content = NULL;
  g_autoptr(GArray) logprob_values = NULL;
  JsonArray *messages;
  const char *model;
  const char *finish_reason = "stop";
  gboolean want_logprobs;
  gboolean content_parts;
  FakeLlmReplyFunc func;
  gpointer func_data;
  gint64 prompt_tokens = 0;
  guint64 reply_id;
  FakeLlmFault kind = has_fault ? fault->fault : FAKE_LLM_FAULT_STATUS;

  if (!json_object_has_member (request, "messages") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (request, "messages")))
    {
      reply_error (msg, databricks, 400, "The request has no \"messages\" array.");
      return;
    }

  messages = json_object_get_array_member (request, "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *element = json_array_get_element (messages, i);
      JsonObject *message;
      g_autofree char *text = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      message = json_node_get_object (element);
      text = content_text (json_object_get_member (message, "content"));
      prompt_tokens += fake_llm_count_tokens (text);
      if (g_strcmp0 (json_object_get_string_member_with_default (message, "role", NULL), "user") == 0)
        {
          g_free (last_user);
          last_user = g_steal_pointer (&text);
        }
    }

  model = json_object_get_string_member_with_default (request, "model", NULL);
  if (model == NULL)
    model = endpoint != NULL ? endpoint : "fake-model";
  want_logprobs = json_object_get_boolean_member_with_default (request, "logprobs", FALSE);

  g_mutex_lock (&self->mutex);
  func = self->reply_func;
  func_data = self->reply_data;
  g_mutex_unlock (&self->mutex);

  if (func != NULL)
    content = func (messages, func_data);

  g_mutex_lock (&self->mutex);
  if (content == NULL)
    content = choose_content (self, last_user);
  logprob_values = g_array_ref (self->logprobs);
  content_parts = self->content_parts;
  reply_id = ++self->n_replies;
  g_mutex_unlock (&self->mutex);

  if (kind == FAKE_LLM_FAULT_LENGTH)
    {
      char *half = g_utf8_substring (content, 0, g_utf8_strlen (content, -1) / 2);

      g_free (content);
      content = half;
      finish_reason = "length";
    }
  else if (kind == FAKE_LLM_FAULT_CONTENT_FILTER)
    {
      g_free (content);
      content = g_strdup ("");
      finish_reason = "content_filter";
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  {
    g_autofree char *id = g_strdup_printf ("chatcmpl-fake-%" G_GUINT64_FORMAT, reply_id);
    json_builder_add_string_value (builder, id);
  }
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1767225600);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);

  if (kind != FAKE_LLM_FAULT_NO_CHOICES)
    {
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      if (kind != FAKE_LLM_FAULT_EMPTY_CHOICES)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "index");
          json_builder_add_int_value (builder, 0);
          json_builder_set_member_name (builder, "message");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, "assistant");
          json_builder_set_member_name (builder, "content");
          if (kind == FAKE_LLM_FAULT_NO_CONTENT)
            {
              json_builder_add_null_value (builder);
            }
          else if (content_parts)
            {
              json_builder_begin_array (builder);
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "type");
              json_builder_add_string_value (builder, "reasoning");
              json_builder_set_member_name (builder, "summary");
              json_builder_begin_array (builder);
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "type");
              json_builder_add_string_value (builder, "summary_text");
              json_builder_set_member_name (builder, "text");
              json_builder_add_string_value (builder, "Thinking it over.");
              json_builder_end_object (builder);
              json_builder_end_array (builder);
              json_builder_end_object (builder);
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "type");
              json_builder_add_string_value (builder, "text");
              json_builder_set_member_name (builder, "text");
              json_builder_add_string_value (builder, content);
              json_builder_end_object (builder);
              json_builder_end_array (builder);
            }
          else
            {
              json_builder_add_string_value (builder, content);
            }
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "finish_reason");
          json_builder_add_string_value (builder, finish_reason);
          if (want_logprobs)
            add_logprobs (builder, content, logprob_values);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  add_usage (builder, prompt_tokens, fake_llm_count_tokens (content));
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  reply_json (msg, 200, node);
}

static void
answer_embeddings (FakeLlm           *self,
                   SoupServerMessage *msg,
                   gboolean           databricks,
                   const char        *endpoint,
                   JsonObject        *request,
                   gboolean           has_fault,
                   FakeFaultEntry    *fault)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  JsonNode *input = json_object_get_member (request, "input");
  const char *model;
  g_autofree float *vector = NULL;
  guint dimension;
  gboolean reverse;
  gint64 prompt_tokens = 0;
  FakeLlmFault kind = has_fault ? fault->fault : FAKE_LLM_FAULT_STATUS;

  if (input != NULL && JSON_NODE_HOLDS_VALUE (input) && json_node_get_value_type (input) == G_TYPE_STRING)
    {
      g_ptr_array_add (inputs, (gpointer) json_node_get_string (input));
    }
  else if (input != NULL && JSON_NODE_HOLDS_ARRAY (input))
    {
      JsonArray *array = json_node_get_array (input);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            {
              reply_error (msg, databricks, 400, "Every \"input\" must be a string.");
              return;
            }
          g_ptr_array_add (inputs, (gpointer) json_node_get_string (element));
        }
    }
  else
    {
      reply_error (msg, databricks, 400, "The request has no \"input\".");
      return;
    }

  model = json_object_get_string_member_with_default (request, "model", NULL);
  if (model == NULL)
    model = endpoint != NULL ? endpoint : "fake-embedding-model";

  g_mutex_lock (&self->mutex);
  dimension = self->dimension;
  reverse = self->reverse_embeddings;
  g_mutex_unlock (&self->mutex);

  vector = g_new0 (float, dimension);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  if (kind != FAKE_LLM_FAULT_NO_CHOICES)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint n = 0; kind != FAKE_LLM_FAULT_EMPTY_CHOICES && n < inputs->len; n++)
        {
          guint i = reverse ? inputs->len - 1 - n : n;
          const char *text = g_ptr_array_index (inputs, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "object");
          json_builder_add_string_value (builder, "embedding");
          json_builder_set_member_name (builder, "index");
          json_builder_add_int_value (builder, i);
          json_builder_set_member_name (builder, "embedding");
          if (kind == FAKE_LLM_FAULT_NO_CONTENT && i == 0)
            {
              json_builder_add_null_value (builder);
            }
          else
            {
              fake_llm_embedding (text, dimension, vector);
              json_builder_begin_array (builder);
              for (guint j = 0; j < dimension; j++)
                json_builder_add_double_value (builder, vector[j]);
              json_builder_end_array (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  for (guint i = 0; i < inputs->len; i++)
    prompt_tokens += fake_llm_count_tokens (g_ptr_array_index (inputs, i));
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  reply_json (msg, 200, node);
}

/* Fills in @msg's answer; TRUE when the connection is to be dropped instead. */
static gboolean
prepare_answer (FakeLlm           *self,
                SoupServerMessage *msg,
                const char        *path,
                GBytes            *body,
                const char        *token)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *endpoint = NULL;
  g_autofree char *expected = NULL;
  FakeFaultEntry fault = { 0, };
  gboolean has_fault;
  gboolean databricks = FALSE;
  JsonObject *request;
  gconstpointer data;
  gsize size;
  Kind kind;

  g_mutex_lock (&self->mutex);
  has_fault = take_fault (self, &fault);
  expected = g_strdup (self->token);
  g_mutex_unlock (&self->mutex);

  if (g_str_has_prefix (path, "/serving-endpoints/") && g_str_has_suffix (path, "/invocations"))
    {
      const char *start = path + strlen ("/serving-endpoints/");
      gsize length = strlen (start) - strlen ("/invocations");

      databricks = TRUE;
      endpoint = g_uri_unescape_segment (start, start + length, "/");
    }

  if (has_fault)
    {
      switch (fault.fault)
        {
        case FAKE_LLM_FAULT_STATUS:
          if (fault.retry_after >= 0)
            {
              g_autofree char *seconds = g_strdup_printf ("%d", fault.retry_after);

              soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                            "Retry-After", seconds);
            }
          reply_error (msg, databricks, (guint) fault.value, status_message ((guint) fault.value));
          return FALSE;

        case FAKE_LLM_FAULT_INVALID_JSON:
          reply_text (msg, 200, "application/json", "{\"choices\": [{\"message\": ");
          return FALSE;

        case FAKE_LLM_FAULT_HTML:
          reply_text (msg, 200, "text/html", "<html><body><h1>Welcome to nginx!</h1></body></html>");
          return FALSE;

        case FAKE_LLM_FAULT_DROP:
          return TRUE;

        case FAKE_LLM_FAULT_NO_CHOICES:
        case FAKE_LLM_FAULT_EMPTY_CHOICES:
        case FAKE_LLM_FAULT_NO_CONTENT:
        case FAKE_LLM_FAULT_LENGTH:
        case FAKE_LLM_FAULT_CONTENT_FILTER:
        default:
          break;
        }
    }

  if (expected != NULL && g_strcmp0 (expected, token) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Invalid access token '%s'.", token != NULL ? token : "");

      reply_error (msg, databricks, 401, message);
      return FALSE;
    }

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      reply_error (msg, databricks, 405, "Only POST is allowed here.");
      return FALSE;
    }

  if (g_str_equal (path, "/v1/chat/completions"))
    kind = KIND_CHAT;
  else if (g_str_equal (path, "/v1/embeddings"))
    kind = KIND_EMBEDDINGS;
  else if (databricks)
    kind = KIND_CHAT;   /* decided by the body below */
  else
    {
      reply_error (msg, databricks, 404, "No such path.");
      return FALSE;
    }

  data = g_bytes_get_data (body, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      reply_error (msg, databricks, 400, "The body is not a JSON object.");
      return FALSE;
    }
  request = json_node_get_object (json_parser_get_root (parser));

  if (databricks && !json_object_has_member (request, "messages") && json_object_has_member (request, "input"))
    kind = KIND_EMBEDDINGS;

  if (kind == KIND_CHAT)
    answer_chat (self, msg, databricks, endpoint, request, has_fault, &fault);
  else
    answer_embeddings (self, msg, databricks, endpoint, request, has_fault, &fault);

  return FALSE;
}

/* --- the exchange --------------------------------------------------------------------- */

static void
exchange_done (Exchange *exchange,
               gboolean  disconnected)
{
  FakeLlm *self = exchange->self;

  if (exchange->done)
    return;
  exchange->done = TRUE;

  g_mutex_lock (&self->mutex);
  self->in_flight--;
  if (disconnected)
    self->n_disconnected++;
  g_mutex_unlock (&self->mutex);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
exchange_free (gpointer user_data)
{
  Exchange *exchange = user_data;

  clear_source (&exchange->delay_source);
  clear_source (&exchange->socket_source);
  exchange_done (exchange, FALSE);
  g_free (exchange);
}

static void
drop_connection (Exchange *exchange)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (exchange->msg);

  exchange_done (exchange, FALSE);
  g_io_stream_close (stream, NULL, NULL);
}

static void
on_finished_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  exchange_done (user_data, FALSE);
}

static void
on_disconnected_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  Exchange *exchange = user_data;

  /* The client went away (cancelled) while the answer waited: nobody to answer. */
  clear_source (&exchange->delay_source);
  clear_source (&exchange->socket_source);
  exchange_done (exchange, !exchange->done);
}

/* A paused message does not read its connection, so libsoup would only notice a client
 * that gave up when the answer is written; the peek sees the end of the stream at once.
 * The answer then goes out straight away into the closed connection, ending the message. */
static gboolean
on_socket_readable_cb (GSocket      *socket,
                       GIOCondition  condition,
                       gpointer      user_data)
{
  Exchange *exchange = user_data;
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n_read;

  n_read = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, NULL);

  /* More data (a pipelined request) is not ours to judge: stop watching. */
  g_clear_pointer (&exchange->socket_source, g_source_unref);
  if (n_read > 0)
    return G_SOURCE_REMOVE;

  exchange_done (exchange, TRUE);
  if (exchange->delay_source != NULL)
    {
      clear_source (&exchange->delay_source);
      soup_server_message_unpause (exchange->msg);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
on_delay_elapsed_cb (gpointer user_data)
{
  Exchange *exchange = user_data;
  SoupServerMessage *msg = g_object_ref (exchange->msg);

  g_clear_pointer (&exchange->delay_source, g_source_unref);
  clear_source (&exchange->socket_source);

  if (exchange->drop)
    drop_connection (exchange);
  else
    soup_server_message_unpause (msg);

  g_object_unref (msg);

  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeLlm *self = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  FakeLlmRequest *request = g_new0 (FakeLlmRequest, 1);
  Exchange *exchange = g_new0 (Exchange, 1);
  guint delay;
  gsize size;
  gconstpointer data = g_bytes_get_data (body, &size);

  request->path = g_strdup (path);
  request->body = g_strndup (data, size);
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    request->token = g_strdup (authorization + 7);
  request->received = g_get_monotonic_time ();

  exchange->self = self;
  exchange->msg = msg;
  g_object_set_data_full (G_OBJECT (msg), "fake-llm-exchange", exchange, exchange_free);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished_cb), exchange);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected_cb), exchange);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, request);
  self->in_flight++;
  self->peak = MAX (self->peak, self->in_flight);
  delay = self->delay;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  exchange->drop = prepare_answer (self, msg, path, body, request->token);

  if (delay == 0)
    {
      if (exchange->drop)
        drop_connection (exchange);
      return;
    }

  soup_server_message_pause (msg);
  exchange->delay_source = g_timeout_source_new (delay);
  g_source_set_callback (exchange->delay_source, on_delay_elapsed_cb, exchange, NULL);
  g_source_attach (exchange->delay_source, self->context);

  if (soup_server_message_get_socket (msg) != NULL)
    {
      exchange->socket_source = g_socket_create_source (soup_server_message_get_socket (msg),
                                                        G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (exchange->socket_source, G_SOURCE_FUNC (on_socket_readable_cb), exchange, NULL);
      g_source_attach (exchange->socket_source, self->context);
    }
}

/* --- the server thread ---------------------------------------------------------------- */

static gpointer
server_thread (gpointer user_data)
{
  FakeLlm *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "fake-llm", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      uris = soup_server_get_uris (self->server);
      g_assert (uris != NULL);
      g_mutex_lock (&self->mutex);
      self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      self->v1_url = g_strconcat (self->url, "/v1", NULL);
      g_mutex_unlock (&self->mutex);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->mutex);
  self->start_error = g_steal_pointer (&error);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* A flag rather than g_main_loop_quit(): quitting a loop that has not started running
   * yet is lost, and the thread would never stop. */
  while (self->start_error == NULL && !g_atomic_int_get (&self->stopping))
    g_main_context_iteration (self->context, TRUE);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/* --- public API ----------------------------------------------------------------------- */

FakeLlm *
fake_llm_new (void)
{
  FakeLlm *self = g_new0 (FakeLlm, 1);
  double logprob = DEFAULT_LOGPROB;

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->faults);
  self->context = g_main_context_new ();
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_rule_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_llm_request_free);
  self->logprobs = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_val (self->logprobs, logprob);
  self->dimension = DEFAULT_DIMENSION;
  self->fault_rand = g_rand_new_with_seed (1);

  self->thread = g_thread_new ("fake-llm", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (self->url == NULL && self->start_error == NULL)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    g_error ("fake-llm could not listen: %s", self->start_error->message);

  return self;
}

void
fake_llm_free (FakeLlm *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->stopping, TRUE);
  g_main_context_wakeup (self->context);
  g_thread_join (self->thread);

  g_main_context_unref (self->context);
  if (self->reply_destroy != NULL)
    self->reply_destroy (self->reply_data);
  g_ptr_array_unref (self->rules);
  g_ptr_array_unref (self->requests);
  g_array_unref (self->logprobs);
  g_queue_clear_full (&self->faults, g_free);
  g_rand_free (self->fault_rand);
  g_clear_error (&self->start_error);
  g_free (self->token);
  g_free (self->url);
  g_free (self->v1_url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
fake_llm_get_url (FakeLlm *self)
{
  return self->url;
}

const char *
fake_llm_get_v1_url (FakeLlm *self)
{
  return self->v1_url;
}

char *
fake_llm_get_serving_url (FakeLlm    *self,
                          const char *name)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);

  return g_strdup_printf ("%s/serving-endpoints/%s/invocations", self->url, escaped);
}

void
fake_llm_set_token (FakeLlm    *self,
                    const char *token)
{
  g_mutex_lock (&self->mutex);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_set_delay (FakeLlm *self,
                    guint    msec)
{
  g_mutex_lock (&self->mutex);
  self->delay = msec;
  g_mutex_unlock (&self->mutex);
}

/* Replies @reply when the last user message contains @needle; the first rule added wins. */
void
fake_llm_add_rule (FakeLlm    *self,
                   const char *needle,
                   const char *reply)
{
  FakeRule *rule = g_new0 (FakeRule, 1);

  rule->needle = g_strdup (needle);
  rule->reply = g_strdup (reply);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->rules, rule);
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_clear_rules (FakeLlm *self)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->rules, 0);
  g_mutex_unlock (&self->mutex);
}

/* @func runs in the server thread and must not call fake_llm functions. */
void
fake_llm_set_reply_func (FakeLlm          *self,
                         FakeLlmReplyFunc  func,
                         gpointer          user_data,
                         GDestroyNotify    destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_mutex_lock (&self->mutex);
  old_destroy = self->reply_destroy;
  old_data = self->reply_data;
  self->reply_func = func;
  self->reply_data = user_data;
  self->reply_destroy = destroy;
  g_mutex_unlock (&self->mutex);

  if (old_destroy != NULL)
    old_destroy (old_data);
}

void
fake_llm_set_logprobs (FakeLlm      *self,
                       const double *values,
                       guint         n_values)
{
  g_return_if_fail (n_values > 0);

  g_mutex_lock (&self->mutex);
  g_array_unref (self->logprobs);
  self->logprobs = g_array_sized_new (FALSE, FALSE, sizeof (double), n_values);
  g_array_append_vals (self->logprobs, values, n_values);
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_set_content_parts (FakeLlm  *self,
                            gboolean  parts)
{
  g_mutex_lock (&self->mutex);
  self->content_parts = parts;
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_set_embedding_dimension (FakeLlm *self,
                                  guint    dimension)
{
  g_mutex_lock (&self->mutex);
  self->dimension = dimension;
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_set_reverse_embeddings (FakeLlm  *self,
                                 gboolean  reverse)
{
  g_mutex_lock (&self->mutex);
  self->reverse_embeddings = reverse;
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_add_fault (FakeLlm      *self,
                    FakeLlmFault  fault,
                    guint         count,
                    int           value,
                    int           retry_after)
{
  FakeFaultEntry *entry = g_new0 (FakeFaultEntry, 1);

  entry->fault = fault;
  entry->remaining = count;
  entry->value = value;
  entry->retry_after = retry_after;

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->faults, entry);
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_set_fault_rate (FakeLlm *self,
                         double   rate,
                         guint    status,
                         guint32  seed)
{
  g_mutex_lock (&self->mutex);
  self->fault_rate = rate;
  self->fault_status = status;
  g_rand_set_seed (self->fault_rand, seed);
  g_mutex_unlock (&self->mutex);
}

void
fake_llm_clear_faults (FakeLlm *self)
{
  g_mutex_lock (&self->mutex);
  g_queue_clear_full (&self->faults, g_free);
  g_queue_init (&self->faults);
  self->fault_rate = 0;
  g_mutex_unlock (&self->mutex);
}

guint
fake_llm_get_n_requests (FakeLlm *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->requests->len;
  g_mutex_unlock (&self->mutex);

  return n;
}

/* Returns: (transfer full): copies of the requests, oldest first. */
GPtrArray *
fake_llm_get_requests (FakeLlm *self)
{
  GPtrArray *copy;

  g_mutex_lock (&self->mutex);
  copy = g_ptr_array_copy (self->requests, (GCopyFunc) fake_llm_request_copy, NULL);
  g_mutex_unlock (&self->mutex);

  return copy;
}

char *
fake_llm_get_last_body (FakeLlm *self)
{
  char *body = NULL;

  g_mutex_lock (&self->mutex);
  if (self->requests->len > 0)
    body = g_strdup (((FakeLlmRequest *) g_ptr_array_index (self->requests, self->requests->len - 1))->body);
  g_mutex_unlock (&self->mutex);

  return body;
}

char *
fake_llm_get_last_token (FakeLlm *self)
{
  char *token = NULL;

  g_mutex_lock (&self->mutex);
  if (self->requests->len > 0)
    token = g_strdup (((FakeLlmRequest *) g_ptr_array_index (self->requests, self->requests->len - 1))->token);
  g_mutex_unlock (&self->mutex);

  return token;
}

guint
fake_llm_get_peak_concurrency (FakeLlm *self)
{
  guint peak;

  g_mutex_lock (&self->mutex);
  peak = self->peak;
  g_mutex_unlock (&self->mutex);

  return peak;
}

guint
fake_llm_get_n_disconnected (FakeLlm *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_disconnected;
  g_mutex_unlock (&self->mutex);

  return n;
}

/* Forgets the requests, the peak (back to what is in flight now) and the disconnections. */
void
fake_llm_clear_requests (FakeLlm *self)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->requests, 0);
  self->peak = self->in_flight;
  self->n_disconnected = 0;
  g_mutex_unlock (&self->mutex);
}

gboolean
fake_llm_wait_for_requests (FakeLlm *self,
                            guint    n,
                            guint    timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean reached;

  g_mutex_lock (&self->mutex);
  while (self->requests->len < n)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
        break;
    }
  reached = self->requests->len >= n;
  g_mutex_unlock (&self->mutex);

  return reached;
}
