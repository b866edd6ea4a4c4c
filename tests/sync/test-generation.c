/* test-generation.c — Generate runs against the fake model server and the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dbw-generation-run.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet-ops.h"
#include "dbw-uc-materializer.h"
#include "fake-databricks.h"
#include "fake-llm.h"
#include "generation-fixture.h"
#include "test-log-capture.h"
#include "test-query.h"

#define TOKEN     "sk-test-secret-0123456789abcdef"
#define DB_TOKEN  "dapi-test-secret-0123456789abcdef"
#define WAREHOUSE "0123456789abcdef"

typedef struct
{
  FakeLlm          *fake;
  DbwLlmClient     *client;
  char             *dir;
  DbwStore         *store;
  DbwSheet         *sheet;
  DbwTemplate      *tmpl;
} Fixture;

static void
tune_http (DbwHttp *http)
{
  dbw_http_set_retry_base_delay (http, 20);
  dbw_http_set_retry_max_delay (http, 200);
  dbw_http_set_max_attempts (http, 3);
  dbw_http_set_max_retry_wait (http, 2000);
  dbw_http_set_connect_timeout (http, 2000);
  dbw_http_set_timeout (http, 20000);
}

/* The city's climate, as a model that knows it would answer. */
static char *
climate_reply (JsonArray *messages,
               gpointer   user_data)
{
  JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
  const char *content = json_object_get_string_member (last, "content");

  if (strstr (content, "Oslo") != NULL || strstr (content, "Perth") != NULL)
    return g_strdup ("{\"label\":\"cold\"}");
  return g_strdup ("{\"label\":\"warm\"}");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  guint n_items = GPOINTER_TO_UINT (data);

  fixture->fake = fake_llm_new ();
  fake_llm_set_token (fixture->fake, TOKEN);
  fake_llm_set_reply_func (fixture->fake, climate_reply, NULL, NULL);
  fixture->client = dbw_llm_client_new (fake_llm_get_v1_url (fixture->fake), TOKEN);
  tune_http (dbw_llm_client_get_http (fixture->client));

  fixture->dir = g_dir_make_tmp ("dbw-generation-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "gen.dbw", NULL);
  file = g_file_new_for_path (path);
  fixture->store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  dbw_store_set_user (fixture->store, "tester");

  fixture->sheet = gen_add_sheet (fixture->store, "Cities", n_items > 0 ? n_items : 12);
  fixture->tmpl = gen_add_template (fixture->store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  test_log_capture_reset ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  /* Worker threads drop their last references just after returning. */
  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;

  g_clear_object (&fixture->sheet);
  g_clear_object (&fixture->tmpl);
  dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  fake_llm_free (fixture->fake);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);

  /* Tokens never reach the logs. */
  g_assert_false (test_log_capture_contains (TOKEN));
  g_assert_false (test_log_capture_contains (DB_TOKEN));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run (DbwGenerationRun  *gen,
     GCancellable      *cancellable,
     GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_generation_run_run_async (gen, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return dbw_generation_run_run_finish (gen, result, error);
}

static DbwGenerationRun *
new_run (Fixture          *fixture,
         DbwLabelingMode   mode,
         const char       *column,
         JsonObject       *options)
{
  g_autoptr(GError) error = NULL;
  DbwGenerationRun *gen;

  gen = dbw_generation_run_new_with_options (fixture->store, dbw_record_get_id (DBW_RECORD (fixture->sheet)),
                                             dbw_record_get_id (DBW_RECORD (fixture->tmpl)), mode, column, NULL,
                                             options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gen);
  if (mode == DBW_LABELING_MODE_AI_GENERATED)
    dbw_generation_run_set_llm_client (gen, fixture->client, "fake-small");

  return gen;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return gen_query_int (fixture->store, sql);
}

/* Every item has exactly one pair. */
static void
assert_one_pair_each (Fixture *fixture,
                      guint    n_items)
{
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs"), ==, n_items);
  g_assert_cmpint (count (fixture, "SELECT count(DISTINCT item_ref) FROM qa_pairs"), ==, n_items);
}

static void
test_ai_generated (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  gint64 prompt_tokens = 0, completion_tokens = 0;

  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_READY);
  g_assert_cmpuint (dbw_generation_run_get_n_total (gen), ==, 12);

  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_SUCCEEDED);
  g_assert_cmpuint (dbw_generation_run_get_n_done (gen), ==, 12);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 12);
  g_assert_cmpuint (dbw_generation_run_get_n_reused (gen), ==, 0);
  g_assert_cmpuint (dbw_generation_run_get_n_failed (gen), ==, 0);
  g_assert_cmpfloat (dbw_generation_run_get_progress (gen), ==, 1.0);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 12);
  assert_one_pair_each (fixture, 12);

  /* The model was asked with the system prompt, the example and the item; the model name
   * given, the confidence asked for. */
  {
    g_autofree char *body = fake_llm_get_last_body (fixture->fake);
    g_autoptr(JsonNode) node = json_from_string (body, NULL);
    JsonObject *request = json_node_get_object (node);
    JsonArray *messages = json_object_get_array_member (request, "messages");

    g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "fake-small");
    g_assert_true (json_object_get_boolean_member (request, "logprobs"));
    g_assert_cmpuint (json_array_get_length (messages), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "content"), ==,
                     "City 100: Rome");
  }

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'unlabeled' AND labeling_mode = 'ai_generated' "
                                   "AND ai_confidence BETWEEN 0.9 AND 0.91 AND json_extract (messages, '$[4].content') = "
                                   "CASE WHEN json_extract (messages, '$[3].content') LIKE '%Oslo' OR "
                                   "json_extract (messages, '$[3].content') LIKE '%Perth' "
                                   "THEN '{\"label\":\"cold\"}' ELSE '{\"label\":\"warm\"}' END"), ==, 12);
  /* The item's constraints went with its pair. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE allowed_uses = '[\"training\",\"evaluation\"]' "
                                   "AND data_classification = 'internal'"), ==, 12);

  /* Token usage: the fake counts every message's content. */
  pairs = dbw_store_list (fixture->store, DBW_TYPE_QA_PAIR, NULL, NULL, &error);
  for (guint i = 0; i < pairs->len; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (dbw_qa_pair_get_messages (g_ptr_array_index (pairs, i)), NULL);
      JsonArray *messages = json_node_get_array (node);
      guint n = json_array_get_length (messages);

      for (guint m = 0; m < n; m++)
        {
          const char *content = json_object_get_string_member (json_array_get_object_element (messages, m), "content");

          if (m + 1 < n)
            prompt_tokens += fake_llm_count_tokens (content);
          else
            completion_tokens += fake_llm_count_tokens (content);
        }
    }
  g_assert_cmpint (dbw_generation_run_get_prompt_tokens (gen), ==, prompt_tokens);
  g_assert_cmpint (dbw_generation_run_get_completion_tokens (gen), ==, completion_tokens);
  g_assert_cmpint (count (fixture, "SELECT json_extract (result, '$.completion_tokens') FROM job_runs"), ==, completion_tokens);

  /* Done: the job succeeded, the training sheet waits for review. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'succeeded' AND progress = 1.0 "
                                   "AND completed_at IS NOT NULL AND json_extract (result, '$.n_made') = 12"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM training_sheets WHERE status = 'review' "
                                   "AND generation_started_at IS NOT NULL AND generation_completed_at IS NOT NULL"), ==, 1);
  /* The model chosen for the run (not the template's) is the pairs' lineage. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM training_sheets "
                                   "WHERE json_extract (generation_config, '$.model') = 'fake-small' "
                                   "AND json_extract (generation_config, '$.endpoint_url') LIKE 'http://127.0.0.1:%'"), ==, 1);

  /* A finished run does not run again. */
  g_assert_false (run (gen, NULL, &error));
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_FINISHED);
}

static void
test_manual (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_MANUAL, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 0);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 12);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'unlabeled' AND labeling_mode = 'manual' "
                                   "AND json_extract (messages, '$[4].role') = 'assistant' "
                                   "AND json_extract (messages, '$[4].content') = '' AND ai_confidence IS NULL"), ==, 12);
}

static void
test_existing_column (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_EXISTING_COLUMN, "answer", NULL);
  g_autoptr(DbwGenerationRun) trusted = NULL;
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  /* Every third item has no answer: flagged with the reason, never dropped. */
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 0);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 8);
  g_assert_cmpuint (dbw_generation_run_get_n_flagged (gen), ==, 4);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'unlabeled' "
                                   "AND labeling_mode = 'existing_column' "
                                   "AND json_extract (messages, '$[4].content') IN ('{\"label\":\"warm\"}', '{\"label\":\"cold\"}')"), ==, 8);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'flagged' "
                                   "AND review_notes = 'The column “answer” is empty for this item'"), ==, 4);

  /* A trusted column's answers are labeled. */
  json_object_set_boolean_member (options, "column_trusted", TRUE);
  trusted = new_run (fixture, DBW_LABELING_MODE_EXISTING_COLUMN, "answer", options);
  g_assert_true (run (trusted, NULL, &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE training_sheet_id = (SELECT training_sheet_id FROM job_runs "
                                   "WHERE json_extract (config, '$.column_trusted')) AND status = 'labeled'"), ==, 8);
}

static void
test_canonical_reuse (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = NULL;
  g_autoptr(DbwCanonicalLabel) first = NULL;
  g_autoptr(DbwCanonicalLabel) second = NULL;
  g_autoptr(DbwCanonicalLabel) other_type = NULL;
  g_autoptr(GError) error = NULL;

  first = gen_add_canonical (fixture->store, fixture->sheet, "row_0", DBW_LABEL_TYPE_CLASSIFICATION, "{\"label\":\"cold\"}");
  second = gen_add_canonical (fixture->store, fixture->sheet, "row_5", DBW_LABEL_TYPE_CLASSIFICATION, "{\"label\":\"warm\"}");
  /* Another task's label of the same item is not reused. */
  other_type = gen_add_canonical (fixture->store, fixture->sheet, "row_7", DBW_LABEL_TYPE_SUMMARIZATION, "{\"summary\":\"x\"}");

  gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  /* No model call for the items with a label. */
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 10);
  g_assert_cmpuint (dbw_generation_run_get_n_reused (gen), ==, 2);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 10);
  assert_one_pair_each (fixture, 12);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'labeled' AND labeling_mode = 'canonical' "
                                   "AND canonical_label_id IS NOT NULL AND reviewed_by = 'ana@example.org' "
                                   "AND reviewed_at = '2026-01-15T10:30:00.000Z' "
                                   "AND allowed_uses = '[\"evaluation\",\"few_shot\"]' AND prohibited_uses = '[\"training\"]' "
                                   "AND usage_reason = 'Expert label: not for training' AND data_classification = 'confidential' "
                                   "AND ai_confidence IS NULL"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE item_ref = 'row_0' "
                                   "AND json_extract (messages, '$[4].content') = '{\"label\":\"cold\"}' "
                                   "AND json_extract (messages, '$[3].content') = 'City 0: Oslo'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE item_ref = 'row_7' AND labeling_mode = 'ai_generated'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT json_extract (result, '$.n_reused') FROM job_runs"), ==, 2);
}

static char *
picky_reply (JsonArray *messages,
             gpointer   user_data)
{
  JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
  const char *content = json_object_get_string_member (last, "content");

  if (strstr (content, "Lima") != NULL)
    return g_strdup ("{\"label\":\"hot\"}");
  if (strstr (content, "Cairo") != NULL)
    return g_strdup ("It is very warm there.");
  return g_strdup ("```json\n{\"label\":\"warm\"}\n```");
}

static void
test_schema_flagged (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;

  fake_llm_set_reply_func (fixture->fake, picky_reply, NULL, NULL);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  /* Lima (rows 1, 5, 9) and Cairo (2, 6, 10) are flagged with the reason; the rest kept
   * without their fence. */
  g_assert_cmpuint (dbw_generation_run_get_n_flagged (gen), ==, 6);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 6);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'flagged' "
                                   "AND review_notes = '$.label: \"hot\" is not one of [\"warm\",\"cold\"]' "
                                   "AND json_extract (messages, '$[4].content') = '{\"label\":\"hot\"}'"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'flagged' "
                                   "AND review_notes LIKE 'The answer is not JSON%'"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'unlabeled' "
                                   "AND json_extract (messages, '$[4].content') = '{\"label\":\"warm\"}'"), ==, 6);
}

static void
test_retries (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;

  /* Injected 503s and 429s are retried by the client; the run does not notice. */
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_STATUS, 2, 503, -1);
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_STATUS, 1, 429, 0);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 15);
  g_assert_cmpuint (dbw_generation_run_get_n_failed (gen), ==, 0);
  assert_one_pair_each (fixture, 12);
}

static void
test_bad_reply_resume (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(DbwGenerationRun) again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unfinished = NULL;

  /* A reply that is not JSON at all (not a completion) leaves its item without a pair;
   * the run ends incomplete, and a resume makes the rest. */
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_INVALID_JSON, 2, 0, -1);
  dbw_generation_run_set_concurrency (gen, 1);
  g_assert_false (run (gen, NULL, &error));
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INCOMPLETE);
  g_clear_error (&error);

  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_FAILED);
  g_assert_cmpuint (dbw_generation_run_get_n_failed (gen), ==, 2);
  g_assert_cmpuint (dbw_generation_run_get_n_done (gen), ==, 10);
  g_assert_cmpuint (g_strv_length ((char **) dbw_generation_run_get_failures (gen)), ==, 2);
  g_assert_true (g_str_has_prefix (dbw_generation_run_get_failures (gen)[0], "row_0: "));
  g_assert_nonnull (strstr (dbw_generation_run_get_error_message (gen), "2 items have no pair yet"));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'failed' "
                                   "AND json_array_length (result, '$.failures') = 2"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM training_sheets WHERE status = 'generating'"), ==, 1);

  unfinished = dbw_generation_run_list_unfinished (fixture->store, &error);
  g_assert_cmpuint (g_strv_length (unfinished), ==, 1);
  g_assert_cmpstr (unfinished[0], ==, dbw_generation_run_get_job_run_id (gen));

  again = dbw_generation_run_open (fixture->store, unfinished[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_generation_run_get_n_done (again), ==, 10);
  g_assert_cmpint (dbw_generation_run_get_state (again), ==, DBW_GENERATION_STATE_FAILED);
  dbw_generation_run_set_llm_client (again, fixture->client, NULL);
  fake_llm_clear_requests (fixture->fake);
  g_assert_true (run (again, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 2);
  g_assert_cmpuint (dbw_generation_run_get_n_done (again), ==, 12);
  assert_one_pair_each (fixture, 12);
  /* The model name was kept with the job. */
  {
    g_autofree char *body = fake_llm_get_last_body (fixture->fake);

    g_assert_nonnull (strstr (body, "\"fake-small\""));
  }
}

typedef struct
{
  GCancellable *cancellable;
  guint         after;
} CancelAt;

static void
on_n_done_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  CancelAt *at = user_data;

  if (dbw_generation_run_get_n_done (DBW_GENERATION_RUN (object)) >= at->after)
    g_cancellable_cancel (at->cancellable);
}

static void
test_cancel_resume (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(DbwGenerationRun) again = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelAt at = { cancellable, 5 };
  guint n = dbw_generation_run_get_n_total (gen);
  gint64 kept;

  g_assert_cmpuint (n, ==, 40);

  fake_llm_set_delay (fixture->fake, 40);
  dbw_generation_run_set_concurrency (gen, 2);
  g_signal_connect (gen, "notify::n-done", G_CALLBACK (on_n_done_cb), &at);

  g_assert_false (run (gen, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_CANCELLED);

  /* Every pair made is kept, and what the run says is what the project holds. */
  kept = count (fixture, "SELECT count(*) FROM qa_pairs");
  g_assert_cmpint (kept, >=, 5);
  g_assert_cmpint (kept, <, n);
  g_assert_cmpint (dbw_generation_run_get_n_done (gen), ==, kept);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'cancelled'"), ==, 1);

  again = dbw_generation_run_open (fixture->store, dbw_generation_run_get_job_run_id (gen), &error);
  g_assert_no_error (error);
  dbw_generation_run_set_llm_client (again, fixture->client, NULL);
  fake_llm_set_delay (fixture->fake, 0);
  fake_llm_clear_requests (fixture->fake);
  g_assert_true (run (again, NULL, &error));
  g_assert_no_error (error);

  /* The rest, and only the rest. */
  g_assert_cmpint (fake_llm_get_n_requests (fixture->fake), ==, n - kept);
  assert_one_pair_each (fixture, n);
  g_assert_cmpint (dbw_generation_run_get_state (again), ==, DBW_GENERATION_STATE_SUCCEEDED);
}

static void
store_in_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A job running in one window, resumed from another (or the command line): the second run
 * is refused before it asks the model anything, and every item gets one pair. */
static void
test_resume_while_running (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(DbwGenerationRun) again = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unfinished = NULL;

  fake_llm_set_delay (fixture->fake, 100);
  dbw_generation_run_set_concurrency (gen, 2);
  dbw_generation_run_run_async (gen, NULL, store_in_cb, &first);
  while (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'running'") == 0)
    g_main_context_iteration (NULL, FALSE);

  unfinished = dbw_generation_run_list_unfinished (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (unfinished), ==, 1);
  again = dbw_generation_run_open (fixture->store, unfinished[0], &error);
  g_assert_no_error (error);
  dbw_generation_run_set_llm_client (again, fixture->client, NULL);
  g_assert_false (run (again, NULL, &error));
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_BUSY);
  g_clear_error (&error);

  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dbw_generation_run_run_finish (gen, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fake_llm_get_n_requests (fixture->fake), ==, 12);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'succeeded'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_leases"), ==, 0);
}

/* A lease another program holds stops a run; one it stopped renewing is taken over. */
static void
test_lease_expires (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;
  const char *path = dbw_store_get_path (fixture->store);
  g_autofree char *claim = g_strdup_printf ("INSERT INTO job_leases VALUES ('%s', 'another-program', %" G_GINT64_FORMAT ")",
                                            dbw_generation_run_get_job_run_id (gen),
                                            g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *stopped = g_strdup_printf ("UPDATE job_leases SET renewed_at = renewed_at - %d",
                                              DBW_GENERATION_LEASE_SECONDS + 1);

  test_exec (path, claim);
  g_assert_false (run (gen, NULL, &error));
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpint (fake_llm_get_n_requests (fixture->fake), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status IN ('failed', 'running')"), ==, 0);

  test_exec (path, stopped);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_leases"), ==, 0);
}

typedef struct
{
  Fixture *fixture;
  double   worst;
} ProgressWatch;

static void
on_progress_n_done_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  ProgressWatch *watch = user_data;
  g_autofree char *text = gen_query_text (watch->fixture->store, "SELECT progress FROM job_runs");
  gint64 saved = count (watch->fixture, "SELECT count(*) FROM qa_pairs");

  watch->worst = MAX (watch->worst, g_ascii_strtod (text, NULL) * 12 - saved);
}

/* The progress saved with the pairs (what a crash leaves, what the workspace sees) is the
 * share of the pairs saved, never ahead of them. */
static void
test_progress_saved (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;
  ProgressWatch watch = { fixture, 0.0 };

  fake_llm_set_delay (fixture->fake, 100);
  dbw_generation_run_set_concurrency (gen, 1);
  g_signal_connect (gen, "notify::n-done", G_CALLBACK (on_progress_n_done_cb), &watch);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (watch.worst, <, 0.5);
}

typedef struct
{
  DbwGenerationRun *gen;
  Fixture          *fixture;
  gboolean          paused;
  guint             requests_when_paused;
  gboolean          checked;
} PauseAt;

static void
on_pause_n_done_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  PauseAt *at = user_data;

  if (!at->paused && dbw_generation_run_get_n_done (at->gen) >= 2)
    {
      at->paused = TRUE;
      dbw_generation_run_pause (at->gen);
    }
}

static gboolean
on_check_paused_cb (gpointer user_data)
{
  PauseAt *at = user_data;

  /* A while later: nothing was started while paused, and the job says so. */
  g_assert_cmpuint (fake_llm_get_n_requests (at->fixture->fake), ==, at->requests_when_paused);
  g_assert_cmpint (dbw_generation_run_get_state (at->gen), ==, DBW_GENERATION_STATE_PAUSED);
  g_assert_cmpint (count (at->fixture, "SELECT count(*) FROM job_runs WHERE status = 'paused'"), ==, 1);
  at->checked = TRUE;
  dbw_generation_run_unpause (at->gen);

  return G_SOURCE_REMOVE;
}

static void
on_pause_state_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  PauseAt *at = user_data;

  if (dbw_generation_run_get_state (at->gen) != DBW_GENERATION_STATE_PAUSED || at->requests_when_paused > 0)
    return;

  /* Those in flight finish first. */
  at->requests_when_paused = fake_llm_get_n_requests (at->fixture->fake);
  g_assert_cmpuint (dbw_generation_run_get_n_done (at->gen), ==, at->requests_when_paused);
  g_timeout_add (300, on_check_paused_cb, at);
}

static void
test_pause (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;
  PauseAt at = { gen, fixture, FALSE, 0, FALSE };

  fake_llm_set_delay (fixture->fake, 80);
  dbw_generation_run_set_concurrency (gen, 2);
  g_signal_connect (gen, "notify::n-done", G_CALLBACK (on_pause_n_done_cb), &at);
  g_signal_connect (gen, "notify::state", G_CALLBACK (on_pause_state_cb), &at);

  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (at.checked);
  g_assert_cmpuint (at.requests_when_paused, >=, 2);
  g_assert_cmpuint (at.requests_when_paused, <, 12);
  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_SUCCEEDED);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 12);
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(DbwLlmClient) stranger = dbw_llm_client_new (fake_llm_get_v1_url (fixture->fake), "sk-wrong");
  g_autoptr(GError) error = NULL;

  /* Every call would fail the same way: the run stops at once, as failed, with the reason. */
  tune_http (dbw_llm_client_get_http (stranger));
  dbw_generation_run_set_llm_client (gen, stranger, NULL);
  dbw_generation_run_set_concurrency (gen, 2);
  g_assert_false (run (gen, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED);

  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), <=, 2);
  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_FAILED);
  g_assert_nonnull (dbw_generation_run_get_error_message (gen));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'failed' AND error IS NOT NULL"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs"), ==, 0);
}

static void
test_render_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = NULL;
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(GError) error = NULL;

  /* An item without a city: the prompt cannot be made for it, the run goes on. */
  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (fixture->sheet)));
  dbw_item_set_item_ref (item, "row_odd");
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, "{\"n\":99}");
  g_assert_true (dbw_store_insert (fixture->store, item, &error));

  gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (dbw_generation_run_get_n_failed (gen), ==, 1);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 12);
  g_assert_cmpuint (fake_llm_get_n_requests (fixture->fake), ==, 12);
  g_assert_true (g_str_has_prefix (dbw_generation_run_get_failures (gen)[0], "row_odd: Line 1, column "));
  g_assert_nonnull (strstr (dbw_generation_run_get_failures (gen)[0], "“city”"));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM job_runs WHERE status = 'succeeded' "
                                   "AND json_extract (result, '$.failures[0].retry') = 0"), ==, 1);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DbwGenerationRun) gen = new_run (fixture, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL);
  g_autoptr(GError) error = NULL;

  /* Cut short or refused: kept for an expert, flagged, the tokens counted. */
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_LENGTH, 1, 0, -1);
  fake_llm_add_fault (fixture->fake, FAKE_LLM_FAULT_CONTENT_FILTER, 1, 0, -1);
  dbw_generation_run_set_concurrency (gen, 1);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (dbw_generation_run_get_n_flagged (gen), ==, 2);
  assert_one_pair_each (fixture, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM qa_pairs WHERE status = 'flagged' AND item_ref IN ('row_0', 'row_1') "
                                   "AND review_notes IS NOT NULL"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT length (json_extract (messages, '$[4].content')) FROM qa_pairs WHERE item_ref = 'row_0'"), >, 0);
  g_assert_cmpint (dbw_generation_run_get_completion_tokens (gen), >, 0);
}

/* --- on the workspace ------------------------------------------------------------------ */

typedef struct
{
  FakeDatabricks *fake;
  DbwHttp        *http;
  DbwDatabricks  *client;
  char           *dir;
  DbwStore       *store;
  DbwSheet       *sheet;
  DbwTemplate    *tmpl;
} RemoteFixture;

static void
remote_setup (RemoteFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(DbwUcMaterializer) materializer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  const char *keys[] = { "id", NULL };

  fixture->fake = fake_databricks_new ();
  fake_databricks_set_token (fixture->fake, DB_TOKEN);
  fixture->http = dbw_http_new ();
  tune_http (fixture->http);
  g_setenv ("DATABRICKS_CONFIG_FILE", "/nonexistent/databrickscfg", TRUE);
  g_unsetenv ("DATABRICKS_HOST");
  g_unsetenv ("DATABRICKS_TOKEN");
  config = dbw_databricks_config_resolve (NULL, fake_databricks_get_url (fixture->fake), DB_TOKEN, &error);
  g_assert_no_error (error);
  fixture->client = dbw_databricks_new (config, fixture->http);
  dbw_databricks_set_poll_interval (fixture->client, 20);

  fixture->dir = g_dir_make_tmp ("dbw-generation-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "remote.dbw", NULL);
  file = g_file_new_for_path (path);
  fixture->store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  /* Two more rows share the key 13, in an order the materialiser does not keep. */
  if (data != NULL)
    {
      fake_databricks_query_int (fixture->fake, "INSERT INTO `main.sales.orders` VALUES (13, 2.00, 'alphabetical')");
      fake_databricks_query_int (fixture->fake, "INSERT INTO `main.sales.orders` VALUES (13, 1.00, 'zeta')");
    }
  /* The twelve orders, materialised as items "orders#1"…; three have no note. */
  fixture->sheet = dbw_sheet_new ();
  dbw_sheet_set_name (fixture->sheet, "Orders");
  dbw_sheet_set_primary_table (fixture->sheet, "main.sales.orders");
  dbw_sheet_set_join_keys (fixture->sheet, keys);
  g_assert_true (dbw_sheet_ops_save_pointer (fixture->store, fixture->sheet, &error));
  g_assert_no_error (error);
  materializer = dbw_uc_materializer_new (fixture->client, WAREHOUSE, file, fixture->sheet);
  dbw_uc_materializer_run_async (materializer, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dbw_uc_materializer_run_finish (materializer, result, &error));
  g_assert_no_error (error);

  fixture->tmpl = gen_add_template (fixture->store, "Orders", DBW_TEMPLATE_STATUS_PUBLISHED);
  test_log_capture_reset ();
}

static void
remote_teardown (RemoteFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;

  g_clear_object (&fixture->sheet);
  g_clear_object (&fixture->tmpl);
  dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->http);
  fake_databricks_free (fixture->fake);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);

  g_assert_false (test_log_capture_contains (DB_TOKEN));
}

static DbwTemplate *
add_remote_template (RemoteFixture *fixture,
                     const char    *prompt)
{
  g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *template_id = g_uuid_string_random ();

  dbw_template_set_template_id (tmpl, template_id);
  dbw_template_set_name (tmpl, "Order notes");
  dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_PUBLISHED);
  dbw_template_set_label_type (tmpl, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_system_prompt (tmpl, "Sort orders.");
  dbw_template_set_user_prompt_template (tmpl, prompt);
  dbw_template_set_output_schema (tmpl,
                                  "{\"type\":\"object\",\"required\":[\"label\"],"
                                  "\"properties\":{\"label\":{\"enum\":[\"warm\",\"cold\"]}}}");
  g_assert_true (dbw_store_insert (fixture->store, tmpl, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&tmpl);
}

static DbwGenerationRun *
new_remote_run (RemoteFixture *fixture,
                DbwTemplate   *tmpl)
{
  g_autoptr(GError) error = NULL;
  DbwGenerationRun *gen;

  gen = dbw_generation_run_new (fixture->store, dbw_record_get_id (DBW_RECORD (fixture->sheet)),
                                dbw_record_get_id (DBW_RECORD (tmpl)), DBW_LABELING_MODE_AI_GENERATED,
                                NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dbw_generation_run_check_remote (gen, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_generation_run_set_remote (gen, fixture->client, WAREHOUSE, "databricks-meta-llama-3-3-70b-instruct",
                                                "main.scratch", &error));
  g_assert_no_error (error);

  return gen;
}

static void
test_remote (RemoteFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(DbwTemplate) tmpl = add_remote_template (fixture, "Order {{ id }}: {{ note }}");
  g_autoptr(DbwGenerationRun) gen = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(GError) error = NULL;

  label = gen_add_canonical (fixture->store, fixture->sheet, "orders#1", DBW_LABEL_TYPE_CLASSIFICATION,
                             "{\"label\":\"cold\"}");
  gen = new_remote_run (fixture, tmpl);
  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);

  /* Twelve rows: one reused, three without a note (their prompt cannot be made, here or
   * there), eight answered on the workspace. */
  g_assert_cmpuint (dbw_generation_run_get_n_reused (gen), ==, 1);
  g_assert_cmpuint (dbw_generation_run_get_n_made (gen), ==, 8);
  g_assert_cmpuint (dbw_generation_run_get_n_failed (gen), ==, 3);
  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_SUCCEEDED);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(*) FROM qa_pairs"), ==, 9);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(DISTINCT item_ref) FROM qa_pairs"), ==, 9);

  /* The answer is the fake's for the prompt as the workspace built it, which is the
   * prompt made here: "Sort orders.\n\nOrder 3: bulk" is 27 characters, an odd length. */
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM qa_pairs WHERE item_ref = 'orders#3' AND status = 'unlabeled' "
                                  "AND labeling_mode = 'ai_generated' "
                                  "AND json_extract (messages, '$[1].content') = 'Order 3: bulk' "
                                  "AND json_extract (json_extract (messages, '$[2].content'), '$.label') = 'cold' "
                                  "AND json_extract (json_extract (messages, '$[2].content'), '$.length') = 27"), ==, 1);
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM qa_pairs WHERE item_ref = 'orders#1' AND labeling_mode = 'canonical' "
                                  "AND json_extract (messages, '$[2].content') = '{\"label\":\"cold\"}'"), ==, 1);

  /* The prompt's text went as parameters; the results table is gone. */
  g_assert_cmpuint (fake_databricks_count_bodies_containing (fixture->fake, "ai_query('databricks-meta-llama-3-3-70b-instruct'"), ==, 1);
  g_assert_cmpuint (fake_databricks_count_bodies_containing (fixture->fake, "Sort orders."), ==, 1);
  g_assert_cmpint (fake_databricks_query_int (fixture->fake,
                                              "SELECT count(*) FROM sqlite_master WHERE name LIKE '%dbw_generation%'"), ==, 0);
}

static void
test_remote_failed (RemoteFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(DbwTemplate) tmpl = add_remote_template (fixture, "[fail] {{ id }}");
  g_autoptr(DbwTemplate) local_only = add_remote_template (fixture, "{{ item.ref }}");
  g_autoptr(DbwGenerationRun) gen = NULL;
  g_autoptr(DbwGenerationRun) other = NULL;
  g_autoptr(GError) error = NULL;

  gen = new_remote_run (fixture, tmpl);
  g_assert_false (run (gen, NULL, &error));
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED);
  g_assert_nonnull (strstr (error->message, "AI_FUNCTION"));
  g_clear_error (&error);
  g_assert_cmpint (dbw_generation_run_get_state (gen), ==, DBW_GENERATION_STATE_FAILED);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(*) FROM qa_pairs"), ==, 0);

  /* What cannot run there is refused before anything is sent. */
  other = dbw_generation_run_new (fixture->store, dbw_record_get_id (DBW_RECORD (fixture->sheet)),
                                  dbw_record_get_id (DBW_RECORD (local_only)), DBW_LABELING_MODE_AI_GENERATED,
                                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (dbw_generation_run_set_remote (other, fixture->client, WAREHOUSE, "labeler", "main.scratch", &error));
  g_assert_error (error, DBW_AI_QUERY_ERROR, DBW_AI_QUERY_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "item.ref"));
}

/* Rows sharing their keys: each item gets the answer to its own prompt, whatever order the
 * workspace gives them back in. */
static void
test_remote_shared_keys (RemoteFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(DbwTemplate) tmpl = add_remote_template (fixture, "Order {{ id }}: {{ note }}");
  g_autoptr(DbwGenerationRun) gen = new_remote_run (fixture, tmpl);
  g_autoptr(GError) error = NULL;

  g_assert_true (run (gen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(*) FROM qa_pairs WHERE item_ref LIKE 'orders#13%'"), ==, 2);
  /* The fake model answers with the length of the prompt it was asked: the template's
   * 14-character system prompt and the user's message. */
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM qa_pairs WHERE item_ref LIKE 'orders#13%' AND "
                                  "json_extract (json_extract (messages, '$[2].content'), '$.length') = "
                                  "14 + length (json_extract (messages, '$[1].content'))"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  test_log_capture_install ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/generation/ai-generated", test_ai_generated);
  ADD ("/generation/manual", test_manual);
  ADD ("/generation/existing-column", test_existing_column);
  ADD ("/generation/canonical-reuse", test_canonical_reuse);
  ADD ("/generation/schema-flagged", test_schema_flagged);
  ADD ("/generation/retries", test_retries);
  ADD ("/generation/bad-reply-resume", test_bad_reply_resume);
  g_test_add ("/generation/cancel-resume", Fixture, GUINT_TO_POINTER (40), fixture_setup, test_cancel_resume, fixture_teardown);
  ADD ("/generation/progress-saved", test_progress_saved);
  ADD ("/generation/resume-while-running", test_resume_while_running);
  ADD ("/generation/lease-expires", test_lease_expires);
  ADD ("/generation/pause", test_pause);
  ADD ("/generation/unauthorized", test_unauthorized);
  ADD ("/generation/render-failure", test_render_failure);
  ADD ("/generation/truncated", test_truncated);
#undef ADD
  g_test_add ("/generation/remote", RemoteFixture, NULL, remote_setup, test_remote, remote_teardown);
  g_test_add ("/generation/remote-failed", RemoteFixture, NULL, remote_setup, test_remote_failed, remote_teardown);
  g_test_add ("/generation/remote-shared-keys", RemoteFixture, GINT_TO_POINTER (1), remote_setup,
              test_remote_shared_keys, remote_teardown);

  return g_test_run ();
}
