/* bench-llm-client.c — 2,000 chat calls to a model answering in 100 ms, 8 at a time
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "bench-util.h"
#include "dbw-llm-client.h"
#include "fake-llm.h"

/* Every call is queued at once; the client keeps CONCURRENCY in flight against the fake
 * server, which holds each answer DELAY_MS. The ideal is CONCURRENCY / DELAY requests per
 * second (80/s); the ratio to it shows what the queue, the threads, HTTP and parsing cost.
 * The peak the server saw proves the limit was both reached and kept. For comparison, the
 * same load goes through DbwHttp's own asynchronous send (one GTask thread per request)
 * with the caller keeping CONCURRENCY outstanding. */

#define N_CALLS     2000
#define CONCURRENCY 8
#define DELAY_MS    100
#define TOKEN       "sk-bench-0123456789"
#define TARGET      0.9

typedef struct
{
  DbwLlmClient *client;
  guint n_done;
  guint n_failed;
} Run;

static void
on_chat_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLlmReply) reply = dbw_llm_client_chat_finish (run->client, result, &error);

  if (reply == NULL)
    {
      g_printerr ("call failed: %s\n", error->message);
      run->n_failed++;
    }
  run->n_done++;
}

static JsonArray *
make_messages (guint i)
{
  g_autofree char *text = g_strdup_printf ("Classify reading %u: pressure 4.%u bar, valve open.", i, i % 10);
  JsonArray *messages = json_array_new ();
  JsonObject *system = json_object_new ();
  JsonObject *user = json_object_new ();

  json_object_set_string_member (system, "role", "system");
  json_object_set_string_member (system, "content", "Answer with a JSON object {\"label\": …}.");
  json_array_add_object_element (messages, system);
  json_object_set_string_member (user, "role", "user");
  json_object_set_string_member (user, "content", text);
  json_array_add_object_element (messages, user);

  return messages;
}

static double
measure_client (FakeLlm *fake,
                guint   *peak)
{
  g_autoptr(DbwLlmClient) client = dbw_llm_client_new (fake_llm_get_v1_url (fake), TOKEN);
  Run run = { client, 0, 0 };
  gint64 start;
  double seconds;

  dbw_llm_client_set_max_concurrency (client, CONCURRENCY);
  fake_llm_clear_requests (fake);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_autoptr(JsonArray) messages = make_messages (i);

      dbw_llm_client_chat_async (client, "fake-model", messages, 0, 256, TRUE, NULL, on_chat_done, &run);
    }
  while (run.n_done < N_CALLS)
    g_main_context_iteration (NULL, TRUE);
  seconds = bench_seconds_since (start);

  if (run.n_failed > 0)
    g_error ("%u of %u calls failed", run.n_failed, N_CALLS);
  if (fake_llm_get_n_requests (fake) != N_CALLS)
    g_error ("the server saw %u requests, not %u", fake_llm_get_n_requests (fake), N_CALLS);

  *peak = fake_llm_get_peak_concurrency (fake);
  return seconds;
}

typedef struct
{
  DbwHttp *http;
  char *url;
  guint n_started;
  guint n_done;
} HttpRun;

static void start_http (HttpRun *run);

static void
on_http_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HttpRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = dbw_http_send_json_finish (run->http, result, &error);

  if (node == NULL)
    g_error ("request failed: %s", error->message);
  run->n_done++;
  if (run->n_started < N_CALLS)
    start_http (run);
}

static void
start_http (HttpRun *run)
{
  g_autoptr(JsonArray) messages = make_messages (run->n_started);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(DbwHttpRequest) request = NULL;
  JsonObject *object = json_object_new ();

  json_object_set_array_member (object, "messages", json_array_ref (messages));
  json_node_take_object (body, object);
  request = dbw_http_request_new_json ("POST", run->url, body);
  dbw_http_request_set_bearer_token (request, TOKEN);

  run->n_started++;
  dbw_http_send_json_async (run->http, request, NULL, on_http_done, run);
}

static double
measure_http_async (FakeLlm *fake,
                    guint   *peak)
{
  g_autoptr(DbwHttp) http = dbw_http_new ();
  g_autofree char *url = g_strconcat (fake_llm_get_v1_url (fake), "/chat/completions", NULL);
  HttpRun run = { http, url, 0, 0 };
  gint64 start;
  double seconds;

  fake_llm_clear_requests (fake);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < CONCURRENCY; i++)
    start_http (&run);
  while (run.n_done < N_CALLS)
    g_main_context_iteration (NULL, TRUE);
  seconds = bench_seconds_since (start);

  *peak = fake_llm_get_peak_concurrency (fake);
  return seconds;
}

static void
add_measure (JsonBuilder *builder,
             const char  *name,
             double       seconds,
             guint        peak)
{
  double rate = N_CALLS / seconds;
  double ideal = CONCURRENCY * 1000.0 / DELAY_MS;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, seconds);
  json_builder_set_member_name (builder, "requests_per_second");
  json_builder_add_double_value (builder, rate);
  json_builder_set_member_name (builder, "ratio");
  json_builder_add_double_value (builder, rate / ideal);
  json_builder_set_member_name (builder, "peak_in_flight");
  json_builder_add_int_value (builder, peak);
  json_builder_end_object (builder);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  FakeLlm *fake;
  double client_seconds, http_seconds;
  guint client_peak, http_peak;
  double ideal = CONCURRENCY * 1000.0 / DELAY_MS;
  double ratio;

  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);

  fake = fake_llm_new ();
  fake_llm_set_token (fake, TOKEN);
  fake_llm_set_delay (fake, DELAY_MS);

  client_seconds = measure_client (fake, &client_peak);
  http_seconds = measure_http_async (fake, &http_peak);
  ratio = N_CALLS / client_seconds / ideal;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, "llm-client-2k");
  json_builder_set_member_name (builder, "calls");
  json_builder_add_int_value (builder, N_CALLS);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, CONCURRENCY);
  json_builder_set_member_name (builder, "delay_ms");
  json_builder_add_int_value (builder, DELAY_MS);
  json_builder_set_member_name (builder, "ideal_requests_per_second");
  json_builder_add_double_value (builder, ideal);
  add_measure (builder, "client", client_seconds, client_peak);
  add_measure (builder, "http_async", http_seconds, http_peak);
  json_builder_set_member_name (builder, "requests_per_second");
  json_builder_add_double_value (builder, N_CALLS / client_seconds);
  json_builder_set_member_name (builder, "ratio");
  json_builder_add_double_value (builder, ratio);
  json_builder_set_member_name (builder, "target");
  json_builder_add_double_value (builder, TARGET);
  json_builder_set_member_name (builder, "pass");
  json_builder_add_boolean_value (builder, ratio >= TARGET && client_peak == CONCURRENCY);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  g_print ("%s\n", json);

  fake_llm_free (fake);
  return 0;
}
