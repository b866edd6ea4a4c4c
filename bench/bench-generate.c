/* bench-generate.c — a Generate run over 2,000 items, the model answering in 100 ms, 8 at a time
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "bench-util.h"
#include "dbw-generation-run.h"
#include "fake-llm.h"

/* Sustained throughput of the whole Generate stage — items loaded, prompts rendered, the
 * model asked, answers checked against the schema, pairs committed — against the ideal of
 * CONCURRENCY / DELAY (80 requests per second). The caller's main context is watched while
 * the run works in its thread: a timer every millisecond records the longest wait between
 * two of its dispatches, which is what a window would feel (the frame-clock check of the
 * Generate page itself belongs to the page's own benchmark). */

#define N_ITEMS     2000
#define CONCURRENCY 8
#define DELAY_MS    100
#define TOKEN       "sk-bench-0123456789"
#define TARGET      0.9

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Watch;

static gboolean
on_tick_cb (gpointer user_data)
{
  Watch *watch = user_data;
  gint64 now = g_get_monotonic_time ();

  if (watch->last != 0)
    watch->max_gap = MAX (watch->max_gap, now - watch->last);
  watch->last = now;

  return G_SOURCE_CONTINUE;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
climate_reply (JsonArray *messages,
               gpointer   user_data)
{
  return g_strdup ("{\"label\":\"warm\",\"reason\":\"a dry climate\"}");
}

static void
fill_project (DbwStore     *store,
              DbwSheet    **sheet_out,
              DbwTemplate **tmpl_out)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *template_id = g_uuid_string_random ();

  dbw_sheet_set_name (sheet, "Readings");
  if (!dbw_store_insert (store, sheet, &error) || !dbw_store_begin (store, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("row_%u", i);
      g_autofree char *fields = g_strdup_printf ("{\"site\":\"hall %c\",\"dose_usv\":%u.%u,\"note\":\"routine check %u\"}",
                                                 'A' + i % 5, i % 40, i % 10, i);

      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, fields);
      if (!dbw_store_insert (store, item, &error))
        g_error ("%s", error->message);
    }
  if (!dbw_store_commit (store, &error))
    g_error ("%s", error->message);

  dbw_template_set_template_id (tmpl, template_id);
  dbw_template_set_name (tmpl, "Dose check");
  dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_PUBLISHED);
  dbw_template_set_label_type (tmpl, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_system_prompt (tmpl, "You are a radiation safety officer. Answer in JSON.");
  dbw_template_set_user_prompt_template (tmpl, "Reading at {{ site }}: {{ dose_usv }} uSv ({{ note }}). Classify it.");
  dbw_template_set_output_schema (tmpl, "{\"type\":\"object\",\"required\":[\"label\"],"
                                        "\"properties\":{\"label\":{\"enum\":[\"warm\",\"cold\"]},\"reason\":{\"type\":\"string\"}}}");
  dbw_template_set_examples (tmpl, "[{\"input\":{\"site\":\"hall Z\",\"dose_usv\":1.5,\"note\":\"calibration\"},"
                                   "\"output\":{\"label\":\"cold\",\"reason\":\"low\"}}]");
  if (!dbw_store_insert (store, tmpl, &error))
    g_error ("%s", error->message);

  *sheet_out = g_steal_pointer (&sheet);
  *tmpl_out = g_steal_pointer (&tmpl);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FakeLlm) fake = fake_llm_new ();
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwGenerationRun) gen = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  Watch watch = { 0, 0 };
  double seconds, rate, ideal, ratio;
  guint tick_id;
  gint64 start;

  fake_llm_set_token (fake, TOKEN);
  fake_llm_set_delay (fake, DELAY_MS);
  fake_llm_set_reply_func (fake, climate_reply, NULL, NULL);
  client = dbw_llm_client_new (fake_llm_get_v1_url (fake), TOKEN);

  dir = g_dir_make_tmp ("dbw-bench-generate-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "bench.dbw", NULL);
  file = g_file_new_for_path (path);
  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  fill_project (store, &sheet, &tmpl);

  gen = dbw_generation_run_new (store, dbw_record_get_id (DBW_RECORD (sheet)), dbw_record_get_id (DBW_RECORD (tmpl)),
                                DBW_LABELING_MODE_AI_GENERATED, NULL, NULL, &error);
  if (gen == NULL)
    g_error ("%s", error->message);
  dbw_generation_run_set_llm_client (gen, client, "fake-model");
  dbw_generation_run_set_concurrency (gen, CONCURRENCY);

  tick_id = g_timeout_add (1, on_tick_cb, &watch);
  start = g_get_monotonic_time ();
  dbw_generation_run_run_async (gen, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  seconds = bench_seconds_since (start);
  g_source_remove (tick_id);

  if (!dbw_generation_run_run_finish (gen, result, &error))
    g_error ("the run failed: %s", error->message);
  if (dbw_generation_run_get_n_made (gen) != N_ITEMS)
    g_error ("%u pairs made, not %u", dbw_generation_run_get_n_made (gen), N_ITEMS);
  if (fake_llm_get_n_requests (fake) != N_ITEMS)
    g_error ("the server saw %u requests, not %u", fake_llm_get_n_requests (fake), N_ITEMS);

  rate = N_ITEMS / seconds;
  ideal = CONCURRENCY * 1000.0 / DELAY_MS;
  ratio = rate / ideal;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, "generate-2k");
  json_builder_set_member_name (builder, "items");
  json_builder_add_int_value (builder, N_ITEMS);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, CONCURRENCY);
  json_builder_set_member_name (builder, "delay_ms");
  json_builder_add_int_value (builder, DELAY_MS);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, seconds);
  json_builder_set_member_name (builder, "requests_per_s");
  json_builder_add_double_value (builder, rate);
  json_builder_set_member_name (builder, "ideal");
  json_builder_add_double_value (builder, ideal);
  json_builder_set_member_name (builder, "ratio");
  json_builder_add_double_value (builder, ratio);
  json_builder_set_member_name (builder, "target");
  json_builder_add_double_value (builder, TARGET);
  json_builder_set_member_name (builder, "peak_concurrency");
  json_builder_add_int_value (builder, fake_llm_get_peak_concurrency (fake));
  json_builder_set_member_name (builder, "main_context_max_gap_ms");
  json_builder_add_double_value (builder, watch.max_gap / 1000.0);
  json_builder_set_member_name (builder, "pass");
  json_builder_add_boolean_value (builder, ratio >= TARGET);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  g_print ("%s\n", json);

  dbw_store_close (store);
  bench_remove_db_files (path);
  g_rmdir (dir);

  return ratio >= TARGET ? 0 : 1;
}
