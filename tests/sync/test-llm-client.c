/* test-llm-client.c — DbwLlmClient against the fake model server: replies, limits, errors
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dbw-llm-client.h"
#include "dbw-llm-client-private.h"
#include "fake-llm.h"
#include "test-log-capture.h"

#define TOKEN "sk-test-secret-0123456789abcdef"

typedef struct
{
  FakeLlm *fake;
  DbwLlmClient *client;
} Fixture;

static void
tune_http (DbwLlmClient *client)
{
  DbwHttp *http = dbw_llm_client_get_http (client);

  /* Small delays keep the suite fast; the logic is the same. */
  dbw_http_set_retry_base_delay (http, 20);
  dbw_http_set_retry_max_delay (http, 200);
  dbw_http_set_max_attempts (http, 4);
  dbw_http_set_max_retry_wait (http, 5000);
  dbw_http_set_connect_timeout (http, 2000);
  dbw_http_set_timeout (http, 20000);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->fake = fake_llm_new ();
  fake_llm_set_token (fixture->fake, TOKEN);
  fixture->client = dbw_llm_client_new (fake_llm_get_v1_url (fixture->fake), TOKEN);
  tune_http (fixture->client);
}

/* Waits for @object to be finalized: a worker drops its references just after returning. */
static void
assert_finalized (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gpointer weak = object;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  assert_finalized (g_steal_pointer (&fixture->client));
  fake_llm_free (fixture->fake);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static JsonArray *
make_messages (const char *user)
{
  JsonArray *messages = json_array_new ();
  JsonObject *system = json_object_new ();
  JsonObject *message = json_object_new ();

  json_object_set_string_member (system, "role", "system");
  json_object_set_string_member (system, "content", "You answer in JSON.");
  json_array_add_object_element (messages, system);
  json_object_set_string_member (message, "role", "user");
  json_object_set_string_member (message, "content", user);
  json_array_add_object_element (messages, message);

  return messages;
}

static void
start_chat (DbwLlmClient  *client,
            const char    *user,
            gboolean       logprobs,
            GCancellable  *cancellable,
            GAsyncResult **result)
{
  g_autoptr(JsonArray) messages = make_messages (user);

  dbw_llm_client_chat_async (client, "fake-model", messages, 0.2, 256, logprobs,
                             cancellable, store_result_cb, result);
}

static DbwLlmReply *
chat (DbwLlmClient  *client,
      const char    *user,
      gboolean       logprobs,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  start_chat (client, user, logprobs, NULL, &result);
  return dbw_llm_client_chat_finish (client, wait_for (&result), error);
}

static gint64
prompt_tokens_for (const char *user)
{
  return fake_llm_count_tokens ("You answer in JSON.") + fake_llm_count_tokens (user);
}

static JsonNode *
last_body (Fixture *fixture)
{
  g_autofree char *body = fake_llm_get_last_body (fixture->fake);

  g_assert_nonnull (body);
  return json_from_string (body, NULL);
}

static FakeLlmRequest *
request_at (GPtrArray *requests,
            guint      i)
{
  g_assert_cmpuint (i, <, requests->len);
  return g_ptr_array_index (requests, i);
}

/* --- chat ----------------------------------------------------------------------------- */

static void
test_chat_v1 (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *expected = fake_llm_default_reply ("Summarise: the pump failed twice.");
  g_autofree char *token = NULL;
  JsonObject *object;

  reply = chat (fixture->client, "Summarise: the pump failed twice.", FALSE, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (dbw_llm_reply_get_content (reply), ==, expected);
  g_assert_cmpstr (dbw_llm_reply_get_model (reply), ==, "fake-model");
  g_assert_cmpstr (dbw_llm_reply_get_finish_reason (reply), ==, "stop");
  g_assert_cmpint (dbw_llm_reply_get_prompt_tokens (reply), ==, prompt_tokens_for ("Summarise: the pump failed twice."));
  g_assert_cmpint (dbw_llm_reply_get_completion_tokens (reply), ==, fake_llm_count_tokens (expected));
  g_assert_cmpfloat (dbw_llm_reply_get_confidence (reply), ==, -1);

  /* What went over the wire: the path under the base URL, the token, the settings. */
  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (request_at (requests, 0)->path, ==, "/v1/chat/completions");
  token = fake_llm_get_last_token (fixture->fake);
  g_assert_cmpstr (token, ==, TOKEN);

  body = last_body (fixture);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "fake-model");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "temperature"), 0.2, 1e-9);
  g_assert_cmpint (json_object_get_int_member (object, "max_tokens"), ==, 256);
  g_assert_false (json_object_has_member (object, "logprobs"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "messages")), ==, 2);

  g_assert_cmpuint (dbw_llm_client_get_n_requests (fixture->client), ==, 1);
  g_assert_cmpint (dbw_llm_client_get_prompt_tokens (fixture->client), ==, dbw_llm_reply_get_prompt_tokens (reply));
  g_assert_cmpint (dbw_llm_client_get_completion_tokens (fixture->client), ==, dbw_llm_reply_get_completion_tokens (reply));
}

/* A serving endpoint: posted to as is, no model needed, content as a list of parts. */
static void
test_chat_serving_endpoint (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) parts_reply = NULL;
  g_autoptr(JsonArray) messages = make_messages ("Label this reading.");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;

  client = dbw_llm_client_new_for_serving_endpoint (fake_llm_get_url (fixture->fake), "llama-3 labeler", TOKEN);
  tune_http (client);
  url = fake_llm_get_serving_url (fixture->fake, "llama-3 labeler");
  g_assert_cmpstr (dbw_llm_client_get_url (client), ==, url);

  dbw_llm_client_chat_async (client, NULL, messages, -1, 0, FALSE, NULL, store_result_cb, &result);
  reply = dbw_llm_client_chat_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_llm_reply_get_model (reply), ==, "llama-3 labeler");

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpstr (request_at (requests, 0)->path, ==, "/serving-endpoints/llama-3 labeler/invocations");
  token = fake_llm_get_last_token (fixture->fake);
  g_assert_cmpstr (token, ==, TOKEN);

  /* No model, no temperature, no max_tokens: left to the endpoint. */
  body = last_body (fixture);
  g_assert_false (json_object_has_member (json_node_get_object (body), "model"));
  g_assert_false (json_object_has_member (json_node_get_object (body), "temperature"));
  g_assert_false (json_object_has_member (json_node_get_object (body), "max_tokens"));

  /* Some endpoints answer with a list of parts; the text parts make the content. */
  fake_llm_set_content_parts (fixture->fake, TRUE);
  parts_reply = chat (client, "Label this reading.", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_llm_reply_get_content (parts_reply), ==, dbw_llm_reply_get_content (reply));

  /* The result holds the client as its source object. */
  g_clear_object (&result);
  assert_finalized (g_steal_pointer (&client));
}

/* A URL naming the endpoint itself works like the base URL. */
static void
test_chat_full_url (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fake_llm_get_v1_url (fixture->fake), "/chat/completions/", NULL);
  g_autoptr(DbwLlmClient) client = dbw_llm_client_new (url, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(GPtrArray) vectors = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  const char *inputs[] = { "x", NULL };

  reply = chat (client, "hello", FALSE, &error);
  g_assert_no_error (error);
  dbw_llm_client_embed_async (client, NULL, inputs, NULL, store_result_cb, &result);
  vectors = dbw_llm_client_embed_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (request_at (requests, 0)->path, ==, "/v1/chat/completions");
  g_assert_cmpstr (request_at (requests, 1)->path, ==, "/v1/embeddings");

  g_clear_object (&result);
  assert_finalized (g_steal_pointer (&client));
}

/* A local server without a token gets no Authorization header at all. */
static void
test_chat_no_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DbwLlmClient) client = dbw_llm_client_new (fake_llm_get_v1_url (fixture->fake), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autofree char *token = NULL;

  fake_llm_set_token (fixture->fake, NULL);
  reply = chat (client, "hello", FALSE, &error);
  g_assert_no_error (error);
  token = fake_llm_get_last_token (fixture->fake);
  g_assert_null (token);

  assert_finalized (g_steal_pointer (&client));
}

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) ruled = NULL;
  g_autoptr(DbwLlmReply) other = NULL;

  fake_llm_add_rule (fixture->fake, "pump", "{\"label\": \"mechanical\"}");
  ruled = chat (fixture->client, "The pump failed.", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_llm_reply_get_content (ruled), ==, "{\"label\": \"mechanical\"}");

  other = chat (fixture->client, "The valve leaked.", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (dbw_llm_reply_get_content (other), "{\"reply\":\"The valve leaked.\""));
}

/* --- concurrency, order and rate ------------------------------------------------------ */

static void
run_many (DbwLlmClient *client,
          guint         n,
          GPtrArray    *results)
{
  g_ptr_array_set_size (results, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *user = g_strdup_printf ("call %u", i);

      start_chat (client, user, FALSE, NULL, (GAsyncResult **) &g_ptr_array_index (results, i));
    }
  for (guint i = 0; i < n; i++)
    wait_for ((GAsyncResult **) &g_ptr_array_index (results, i));
}

static void
check_concurrency (Fixture *fixture,
                   guint    limit,
                   guint    n_calls)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) requests = NULL;

  dbw_llm_client_set_max_concurrency (fixture->client, limit);
  g_assert_cmpuint (dbw_llm_client_get_max_concurrency (fixture->client), ==, limit);
  fake_llm_set_delay (fixture->fake, 150);
  fake_llm_clear_requests (fixture->fake);

  run_many (fixture->client, n_calls, results);

  for (guint i = 0; i < n_calls; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwLlmReply) reply = NULL;
      g_autofree char *user = g_strdup_printf ("call %u", i);
      g_autofree char *expected = fake_llm_default_reply (user);

      reply = dbw_llm_client_chat_finish (fixture->client, g_ptr_array_index (results, i), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (dbw_llm_reply_get_content (reply), ==, expected);
    }

  /* Exactly the limit in flight at the server: never more, and the limit reached. */
  g_assert_cmpuint (fake_llm_get_peak_concurrency (fixture->fake), ==, limit);
  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, n_calls);
}

static void
test_concurrency_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  check_concurrency (fixture, 3, 12);
}

static void
test_concurrency_eight (Fixture       *fixture,
                        gconstpointer  data)
{
  check_concurrency (fixture, 8, 32);
}

/* Queued calls start in call order. */
static void
test_call_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) requests = NULL;

  dbw_llm_client_set_max_concurrency (fixture->client, 1);
  fake_llm_set_delay (fixture->fake, 20);
  run_many (fixture->client, 8, results);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *needle = g_strdup_printf ("\"call %u\"", i);

      g_assert_nonnull (strstr (request_at (requests, i)->body, needle));
    }
  g_assert_cmpuint (fake_llm_get_peak_concurrency (fixture->fake), ==, 1);
}

/* At most requests-per-minute starts in any window (shortened here to 500 ms). */
static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  const gint64 window = 500 * 1000;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) requests = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  _dbw_llm_client_set_rate_window (fixture->client, 500);
  dbw_llm_client_set_requests_per_minute (fixture->client, 3);
  dbw_llm_client_set_max_concurrency (fixture->client, 8);
  run_many (fixture->client, 7, results);
  elapsed = g_get_monotonic_time () - start;

  /* Seven calls at three per window: the 4th waits one window, the 7th two. */
  g_assert_cmpint (elapsed, >=, 2 * window);
  g_assert_cmpint (elapsed, <, 2 * window + 2 * G_USEC_PER_SEC);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 7);
  for (guint i = 0; i + 3 < requests->len; i++)
    {
      /* Measured at the server; allow for the time a request takes to get there. */
      gint64 gap = request_at (requests, i + 3)->received - request_at (requests, i)->received;

      g_assert_cmpint (gap, >=, window - 100 * 1000);
    }
  /* In call order: each window's calls were started together (and may reach the server
   * in any order among themselves), after those of the window before. */
  for (guint i = 0; i < 7; i++)
    {
      gboolean found = FALSE;

      for (guint j = i / 3 * 3; j < MIN (i / 3 * 3 + 3, 7); j++)
        {
          g_autofree char *needle = g_strdup_printf ("\"call %u\"", j);

          found |= strstr (request_at (requests, i)->body, needle) != NULL;
        }
      g_assert_true (found);
    }
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwLlmReply) reply = dbw_llm_client_chat_finish (fixture->client, g_ptr_array_index (results, i), &error);

      g_assert_no_error (error);
    }
}

/* --- retries and HTTP errors ---------------------------------------------------------- */

static void
check_retried (Fixture *fixture,
               guint    status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;

  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_STATUS, 2, (int) status, 0);
  reply = chat (fixture->client, "hello", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 3);
  g_assert_cmpuint (dbw_http_get_n_retries (dbw_llm_client_get_http (fixture->client)), ==, 2);
  /* One call, whatever it took. */
  g_assert_cmpuint (dbw_llm_client_get_n_requests (fixture->client), ==, 1);
}

static void
test_retry_rate_limited (Fixture       *fixture,
                         gconstpointer  data)
{
  check_retried (fixture, 429);
}

static void
test_retry_unavailable (Fixture       *fixture,
                        gconstpointer  data)
{
  check_retried (fixture, 503);
}

static void
test_retry_dropped (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;

  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_DROP, 1, 0, -1);
  reply = chat (fixture->client, "hello", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 2);
}

/* A rejected token fails at once, and the server's message is kept without the token. */
static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *wrong = "sk-wrong-secret-9876543210";
  g_autoptr(DbwLlmClient) client = dbw_llm_client_new (fake_llm_get_v1_url (fixture->fake), wrong);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autofree char *seen = NULL;

  tune_http (client);
  test_log_capture_reset ();

  reply = chat (client, "hello", FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 1);

  /* The server quoted the token back; the message keeps the rest of what it said. */
  seen = fake_llm_get_last_token (fixture->fake);
  g_assert_cmpstr (seen, ==, wrong);
  g_assert_nonnull (strstr (error->message, "Invalid access token"));
  g_assert_null (strstr (error->message, wrong));
  g_assert_false (test_log_capture_contains (wrong));
  g_assert_false (test_log_capture_contains ("Bearer"));

  assert_finalized (g_steal_pointer (&client));
}

static void
test_error_messages (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DbwLlmClient) serving = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) serving_error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) serving_reply = NULL;

  /* OpenAI style: {"error": {"message"}}. */
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_STATUS, 1, 400, -1);
  reply = chat (fixture->client, "hello", FALSE, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "The request is not valid."));

  /* Databricks style: {"error_code", "message"}. */
  serving = dbw_llm_client_new_for_serving_endpoint (fake_llm_get_url (fixture->fake), "labeler", TOKEN);
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_STATUS, 1, 403, -1);
  serving_reply = chat (serving, "hello", FALSE, &serving_error);
  g_assert_error (serving_error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (serving_error->message, "You do not have access to this model."));
  g_assert_nonnull (strstr (serving_error->message, "PERMISSION_DENIED"));

  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 2);
  assert_finalized (g_steal_pointer (&serving));
}

static void
test_insecure_url (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DbwLlmClient) client = dbw_llm_client_new ("http://models.example.com/v1", TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;

  reply = chat (client, "hello", FALSE, &error);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INSECURE_URL);
  g_assert_null (strstr (error->message, TOKEN));

  assert_finalized (g_steal_pointer (&client));
}

/* --- cancellation --------------------------------------------------------------------- */

static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  gint64 start;

  fake_llm_set_delay (fixture->fake, 10000);
  start_chat (fixture->client, "slow", FALSE, cancellable, &result);
  g_assert_true (fake_llm_wait_for_requests (fixture->fake, 1, 5000));

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* The connection was closed under the waiting answer. */
  while (fake_llm_get_n_disconnected (fixture->fake) == 0 && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_usleep (10000);
  g_assert_cmpuint (fake_llm_get_n_disconnected (fixture->fake), ==, 1);
}

/* A queued call cancelled completes at once, is never sent, and the next call takes its
 * place in the queue. */
static void
test_cancel_queued (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) first_reply = NULL;
  g_autoptr(DbwLlmReply) third_reply = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  dbw_llm_client_set_max_concurrency (fixture->client, 1);
  fake_llm_set_delay (fixture->fake, 400);

  start_chat (fixture->client, "first", FALSE, NULL, &first);
  start_chat (fixture->client, "second", FALSE, cancellable, &second);
  start_chat (fixture->client, "third", FALSE, NULL, &third);
  g_assert_true (fake_llm_wait_for_requests (fixture->fake, 1, 5000));

  g_cancellable_cancel (cancellable);
  reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&second), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Before the call ahead of it was answered. */
  g_assert_null (first);

  first_reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&first), NULL);
  third_reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&third), NULL);
  g_assert_nonnull (first_reply);
  g_assert_nonnull (third_reply);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_nonnull (strstr (request_at (requests, 0)->body, "\"first\""));
  g_assert_nonnull (strstr (request_at (requests, 1)->body, "\"third\""));
  g_assert_cmpuint (dbw_llm_client_get_n_requests (fixture->client), ==, 2);
}

/* A call waiting for the rate window: cancelled at once, and the call behind it takes its
 * start when the window allows. */
static void
test_cancel_rate_waiting (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) waiting = NULL;
  g_autoptr(GAsyncResult) last = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) last_reply = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  gint64 start, cancelled;

  _dbw_llm_client_set_rate_window (fixture->client, 1000);
  dbw_llm_client_set_requests_per_minute (fixture->client, 2);

  start = g_get_monotonic_time ();
  run_many (fixture->client, 2, results);
  start_chat (fixture->client, "waiting", FALSE, cancellable, &waiting);
  start_chat (fixture->client, "last", FALSE, NULL, &last);

  cancelled = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&waiting), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled, <, 300 * 1000);
  g_assert_null (last);

  last_reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&last), NULL);
  g_assert_nonnull (last_reply);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1000 * 1000);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_nonnull (strstr (request_at (requests, 2)->body, "\"last\""));
}

/* Cancelled before it was made: no request at all. */
static void
test_cancel_before (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;

  g_cancellable_cancel (cancellable);
  start_chat (fixture->client, "never", FALSE, cancellable, &result);
  reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 0);
}

/* Many queued calls, half of them cancelled while waiting: every call completes once, the
 * cancelled ones are never sent, the limit holds. */
static void
test_cancel_many_queued (Fixture       *fixture,
                         gconstpointer  data)
{
  const guint n = 40;
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_cancelled = 0;

  dbw_llm_client_set_max_concurrency (fixture->client, 4);
  fake_llm_set_delay (fixture->fake, 50);
  g_ptr_array_set_size (results, n);
  for (guint i = 0; i < n; i++)
    {
      GCancellable *cancellable = g_cancellable_new ();
      g_autofree char *user = g_strdup_printf ("call %u", i);

      g_ptr_array_add (cancellables, cancellable);
      start_chat (fixture->client, user, FALSE, cancellable, (GAsyncResult **) &g_ptr_array_index (results, i));
    }
  for (guint i = 8; i < n; i += 2)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwLlmReply) reply = NULL;

      reply = dbw_llm_client_chat_finish (fixture->client, wait_for ((GAsyncResult **) &g_ptr_array_index (results, i)), &error);
      if (i >= 8 && i % 2 == 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          n_cancelled++;
        }
      else
        {
          g_assert_no_error (error);
        }
    }

  g_assert_cmpuint (n_cancelled, ==, 16);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, n - n_cancelled);
  g_assert_cmpuint (fake_llm_get_peak_concurrency (fixture->fake), <=, 4);
}

/* --- replies -------------------------------------------------------------------------- */

static void
check_bad_reply (Fixture      *fixture,
                 FakeLlmFault  fault,
                 const char   *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  guint before = fake_llm_get_n_requests (fixture->fake);

  fake_llm_add_fault (fixture->fake, fault, 1, 0, -1);
  reply = chat (fixture->client, "hello", FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, needle);
  /* A 2xx that cannot be used is not sent again. */
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, before + 1);
}

static void
test_bad_replies (Fixture       *fixture,
                  gconstpointer  data)
{
  check_bad_reply (fixture, FAKE_LLM_FAULT_INVALID_JSON, "not valid JSON");
  check_bad_reply (fixture, FAKE_LLM_FAULT_HTML, "text/html");
  check_bad_reply (fixture, FAKE_LLM_FAULT_NO_CHOICES, "“choices”");
  check_bad_reply (fixture, FAKE_LLM_FAULT_EMPTY_CHOICES, "empty list of “choices”");
  check_bad_reply (fixture, FAKE_LLM_FAULT_NO_CONTENT, "“content”");

  /* Nothing was counted for replies without usage that could be read. */
  g_assert_cmpint (dbw_llm_client_get_completion_tokens (fixture->client), ==, 0);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) partial = NULL;
  g_autofree char *full = fake_llm_default_reply ("Write a long answer.");
  g_autofree char *half = g_utf8_substring (full, 0, g_utf8_strlen (full, -1) / 2);

  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_LENGTH, 1, 0, -1);
  start_chat (fixture->client, "Write a long answer.", FALSE, NULL, &result);
  reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&result), &error);
  g_assert_null (reply);
  g_assert_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_TRUNCATED);

  /* What came is still there, and was counted. */
  partial = dbw_llm_client_chat_get_partial_reply (fixture->client, result);
  g_assert_nonnull (partial);
  g_assert_cmpstr (dbw_llm_reply_get_content (partial), ==, half);
  g_assert_cmpstr (dbw_llm_reply_get_finish_reason (partial), ==, "length");
  g_assert_cmpint (dbw_llm_reply_get_completion_tokens (partial), ==, fake_llm_count_tokens (half));
  g_assert_cmpint (dbw_llm_client_get_completion_tokens (fixture->client), ==, fake_llm_count_tokens (half));
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 1);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) ok_result = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) ok_reply = NULL;
  g_autoptr(DbwLlmReply) partial = NULL;
  g_autoptr(DbwLlmReply) no_partial = NULL;

  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_CONTENT_FILTER, 1, 0, -1);
  start_chat (fixture->client, "Something unsafe.", FALSE, NULL, &result);
  reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&result), &error);
  g_assert_null (reply);
  g_assert_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_REFUSED);

  partial = dbw_llm_client_chat_get_partial_reply (fixture->client, result);
  g_assert_nonnull (partial);
  g_assert_cmpstr (dbw_llm_reply_get_content (partial), ==, "");
  g_assert_cmpstr (dbw_llm_reply_get_finish_reason (partial), ==, "content_filter");

  /* A reply that succeeded has no partial one. */
  start_chat (fixture->client, "Something fine.", FALSE, NULL, &ok_result);
  ok_reply = dbw_llm_client_chat_finish (fixture->client, wait_for (&ok_result), NULL);
  g_assert_nonnull (ok_reply);
  no_partial = dbw_llm_client_chat_get_partial_reply (fixture->client, ok_result);
  g_assert_null (no_partial);
}

static void
test_logprobs (Fixture       *fixture,
               gconstpointer  data)
{
  const double values[] = { -0.05, -0.4, -1.2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(DbwLlmReply) plain = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *content = fake_llm_default_reply ("How sure are you?");
  gint64 n_tokens = fake_llm_count_tokens (content);
  double sum = 0;

  fake_llm_set_logprobs (fixture->fake, values, G_N_ELEMENTS (values));
  reply = chat (fixture->client, "How sure are you?", TRUE, &error);
  g_assert_no_error (error);

  body = last_body (fixture);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (body), "logprobs"));

  for (gint64 i = 0; i < n_tokens; i++)
    sum += values[i % G_N_ELEMENTS (values)];
  g_assert_cmpfloat_with_epsilon (dbw_llm_reply_get_confidence (reply), exp (sum / n_tokens), 1e-9);
  g_assert_cmpfloat (dbw_llm_reply_get_confidence (reply), >, 0);
  g_assert_cmpfloat (dbw_llm_reply_get_confidence (reply), <, 1);

  /* Not asked for, not there. */
  plain = chat (fixture->client, "How sure are you?", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (dbw_llm_reply_get_confidence (plain), ==, -1);
}

static void
test_usage_totals (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *users[] = { "one", "a second, longer message", "three ünïcødé" };
  gint64 prompt = 0, completion = 0;

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwLlmReply) reply = chat (fixture->client, users[i], FALSE, &error);
      g_autofree char *expected = fake_llm_default_reply (users[i]);

      g_assert_no_error (error);
      g_assert_cmpint (dbw_llm_reply_get_prompt_tokens (reply), ==, prompt_tokens_for (users[i]));
      prompt += dbw_llm_reply_get_prompt_tokens (reply);
      completion += fake_llm_count_tokens (expected);
    }

  g_assert_cmpint (dbw_llm_client_get_prompt_tokens (fixture->client), ==, prompt);
  g_assert_cmpint (dbw_llm_client_get_completion_tokens (fixture->client), ==, completion);
  g_assert_cmpuint (dbw_llm_client_get_n_requests (fixture->client), ==, G_N_ELEMENTS (users));
}

/* --- embeddings ----------------------------------------------------------------------- */

static GPtrArray *
embed (DbwLlmClient        *client,
       const char * const  *inputs,
       GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_llm_client_embed_async (client, "fake-embedder", inputs, NULL, store_result_cb, &result);
  return dbw_llm_client_embed_finish (client, wait_for (&result), error);
}

static void
check_vectors (GPtrArray          *vectors,
               const char * const *inputs,
               guint               dimension)
{
  g_autofree float *expected = g_new0 (float, dimension);

  g_assert_cmpuint (vectors->len, ==, g_strv_length ((char **) inputs));
  for (guint i = 0; i < vectors->len; i++)
    {
      GArray *vector = g_ptr_array_index (vectors, i);

      g_assert_cmpuint (vector->len, ==, dimension);
      fake_llm_embedding (inputs[i], dimension, expected);
      for (guint j = 0; j < dimension; j++)
        g_assert_cmpfloat_with_epsilon (g_array_index (vector, float, j), expected[j], 1e-6);
    }
}

static void
test_embeddings (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *inputs[] = { "alpha", "beta", "gamma", "δέλτα", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vectors = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  gint64 tokens = 0;

  /* The server lists them backwards; the index puts them back in order. */
  fake_llm_set_reverse_embeddings (fixture->fake, TRUE);
  fake_llm_set_embedding_dimension (fixture->fake, 16);

  vectors = embed (fixture->client, inputs, &error);
  g_assert_no_error (error);
  check_vectors (vectors, inputs, 16);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (request_at (requests, 0)->path, ==, "/v1/embeddings");
  body = last_body (fixture);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "model"), ==, "fake-embedder");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (body), "input")), ==, 4);

  for (guint i = 0; inputs[i] != NULL; i++)
    tokens += fake_llm_count_tokens (inputs[i]);
  g_assert_cmpint (dbw_llm_client_get_prompt_tokens (fixture->client), ==, tokens);
}

static void
test_embeddings_serving_endpoint (Fixture       *fixture,
                                  gconstpointer  data)
{
  const char *inputs[] = { "one", "two", NULL };
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vectors = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  client = dbw_llm_client_new_for_serving_endpoint (fake_llm_get_url (fixture->fake), "gte-embeddings", TOKEN);
  vectors = embed (client, inputs, &error);
  g_assert_no_error (error);
  check_vectors (vectors, inputs, 8);

  requests = fake_llm_get_requests (fixture->fake);
  g_assert_cmpstr (request_at (requests, 0)->path, ==, "/serving-endpoints/gte-embeddings/invocations");

  assert_finalized (g_steal_pointer (&client));
}

static void
test_embeddings_empty (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *inputs[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vectors = NULL;

  vectors = embed (fixture->client, inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vectors->len, ==, 0);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 0);
}

static void
test_embeddings_bad_replies (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *inputs[] = { "one", "two", NULL };
  const struct { FakeLlmFault fault; const char *needle; } cases[] = {
    { FAKE_LLM_FAULT_NO_CHOICES, "“data”" },
    { FAKE_LLM_FAULT_EMPTY_CHOICES, "0 embeddings for 2 inputs" },
    { FAKE_LLM_FAULT_NO_CONTENT, "Embedding 0" },
    { FAKE_LLM_FAULT_INVALID_JSON, "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) vectors = NULL;

      fake_llm_add_fault (fixture->fake, cases[i].fault, 1, 0, -1);
      vectors = embed (fixture->client, inputs, &error);
      g_assert_null (vectors);
      g_assert_error (error, DBW_LLM_ERROR, DBW_LLM_ERROR_BAD_REPLY);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("“%s” does not mention “%s”", error->message, cases[i].needle);
    }
}

/* --- the token from the environment --------------------------------------------------- */

static void
test_new_for_url (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) empty_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(DbwLlmClient) none = NULL;
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autofree char *token = NULL;

  g_setenv ("DBW_LLM_TOKEN", TOKEN, TRUE);
  dbw_llm_client_new_for_url_async (fake_llm_get_v1_url (fixture->fake), NULL, store_result_cb, &result);
  client = dbw_llm_client_new_for_url_finish (wait_for (&result), &error);
  g_unsetenv ("DBW_LLM_TOKEN");
  g_assert_no_error (error);

  reply = chat (client, "hello", FALSE, &error);
  g_assert_no_error (error);
  token = fake_llm_get_last_token (fixture->fake);
  g_assert_cmpstr (token, ==, TOKEN);

  dbw_llm_client_new_for_url_async ("  ", NULL, store_result_cb, &empty_result);
  none = dbw_llm_client_new_for_url_finish (wait_for (&empty_result), &error);
  g_assert_null (none);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL);

  assert_finalized (g_steal_pointer (&client));
}

int
main (int   argc,
      char *argv[])
{
  /* Everything at debug level reaches the capture writer. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  /* Never through a proxy to the fake, whatever the environment says. */
  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);
  g_unsetenv ("DBW_LLM_TOKEN");

  test_log_capture_install ();

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/llm-client/chat/v1", test_chat_v1);
  ADD ("/llm-client/chat/serving-endpoint", test_chat_serving_endpoint);
  ADD ("/llm-client/chat/full-url", test_chat_full_url);
  ADD ("/llm-client/chat/no-token", test_chat_no_token);
  ADD ("/llm-client/chat/fake-rules", test_rules);
  ADD ("/llm-client/limits/concurrency", test_concurrency_limit);
  ADD ("/llm-client/limits/concurrency-eight", test_concurrency_eight);
  ADD ("/llm-client/limits/call-order", test_call_order);
  ADD ("/llm-client/limits/requests-per-minute", test_rate_limit);
  ADD ("/llm-client/retry/rate-limited", test_retry_rate_limited);
  ADD ("/llm-client/retry/unavailable", test_retry_unavailable);
  ADD ("/llm-client/retry/dropped-connection", test_retry_dropped);
  ADD ("/llm-client/error/unauthorized-no-retry", test_unauthorized);
  ADD ("/llm-client/error/server-messages", test_error_messages);
  ADD ("/llm-client/error/insecure-url", test_insecure_url);
  ADD ("/llm-client/cancel/in-flight", test_cancel_in_flight);
  ADD ("/llm-client/cancel/queued", test_cancel_queued);
  ADD ("/llm-client/cancel/waiting-for-rate", test_cancel_rate_waiting);
  ADD ("/llm-client/cancel/before-start", test_cancel_before);
  ADD ("/llm-client/cancel/many-queued", test_cancel_many_queued);
  ADD ("/llm-client/reply/bad", test_bad_replies);
  ADD ("/llm-client/reply/truncated", test_truncated);
  ADD ("/llm-client/reply/refused", test_refused);
  ADD ("/llm-client/reply/logprobs-confidence", test_logprobs);
  ADD ("/llm-client/reply/usage-totals", test_usage_totals);
  ADD ("/llm-client/embed/order-and-dimension", test_embeddings);
  ADD ("/llm-client/embed/serving-endpoint", test_embeddings_serving_endpoint);
  ADD ("/llm-client/embed/empty", test_embeddings_empty);
  ADD ("/llm-client/embed/bad-replies", test_embeddings_bad_replies);
  ADD ("/llm-client/new-for-url/env-token", test_new_for_url);

#undef ADD

  return g_test_run ();
}
