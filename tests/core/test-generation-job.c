/* test-generation-job.c — a Generate job's record: training sheet, job_runs row, pending items
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

#include "config.h"

#include "dbw-generation-job.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet-ops.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-util.h"

static DbwQaPair *
make_pair (DbwGenerationJob *job,
           const char       *item_ref,
           DbwLabelingMode   mode,
           DbwQaStatus       status)
{
  DbwQaPair *pair = dbw_qa_pair_new ();

  dbw_qa_pair_set_training_sheet_id (pair, dbw_generation_job_get_training_sheet_id (job));
  dbw_qa_pair_set_item_ref (pair, item_ref);
  dbw_qa_pair_set_messages (pair, "[{\"role\":\"user\",\"content\":\"x\"}]");
  dbw_qa_pair_set_labeling_mode (pair, mode);
  dbw_qa_pair_set_status (pair, status);

  return pair;
}

static void
test_create (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "create.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Cities", 5);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwGenerationJob) job = NULL;
  g_autoptr(DbwTrainingSheet) training_sheet = NULL;
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  json_object_set_string_member (options, "model", "llama-small");
  json_object_set_boolean_member (options, "column_trusted", TRUE);
  job = dbw_generation_job_create (store, dbw_record_get_id (DBW_RECORD (sheet)),
                                   dbw_record_get_id (DBW_RECORD (tmpl)),
                                   DBW_LABELING_MODE_EXISTING_COLUMN, "answer", NULL, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (job);

  /* The caller's options are copied, not changed. */
  g_assert_false (json_object_has_member (options, "sheet_id"));

  g_assert_cmpint (dbw_generation_job_get_state (job), ==, DBW_GENERATION_STATE_READY);
  g_assert_cmpint (dbw_generation_job_get_mode (job), ==, DBW_LABELING_MODE_EXISTING_COLUMN);
  g_assert_cmpstr (dbw_generation_job_get_column (job), ==, "answer");
  g_assert_cmpstr (dbw_generation_job_get_option_string (job, "model"), ==, "llama-small");
  g_assert_true (dbw_generation_job_get_option_bool (job, "column_trusted"));
  g_assert_cmpint (dbw_generation_job_get_option_int (job, "concurrency", 4), ==, 4);

  training_sheet = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET, dbw_generation_job_get_training_sheet_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_training_sheet_get_name (training_sheet), ==, "Cities · Climate v1");
  g_assert_cmpint (dbw_training_sheet_get_status (training_sheet), ==, DBW_TRAINING_SHEET_STATUS_GENERATING);
  g_assert_cmpint (dbw_training_sheet_get_labeling_mode (training_sheet), ==, DBW_LABELING_MODE_EXISTING_COLUMN);
  g_assert_cmpstr (dbw_training_sheet_get_template_id (training_sheet), ==, dbw_record_get_id (DBW_RECORD (tmpl)));

  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM job_runs WHERE job_type = 'generate' "
                                         "AND status = 'pending' AND progress = 0"), ==, 1);
  config = gen_query_text (store, "SELECT json_extract (config, '$.column') || '/' || json_extract (config, '$.labeling_mode') "
                                  "FROM job_runs");
  g_assert_cmpstr (config, ==, "answer/existing_column");

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_create_invalid (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "invalid.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Cities", 3);
  g_autoptr(DbwSheet) empty = gen_add_sheet (store, "Empty", 0);
  g_autoptr(DbwTemplate) draft = gen_add_template (store, "Draft", DBW_TEMPLATE_STATUS_DRAFT);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));
  const char *tmpl_id = dbw_record_get_id (DBW_RECORD (tmpl));
  g_autoptr(DbwGenerationJob) job = NULL;
  g_autoptr(GError) error = NULL;

  job = dbw_generation_job_create (store, sheet_id, dbw_record_get_id (DBW_RECORD (draft)),
                                   DBW_LABELING_MODE_AI_GENERATED, NULL, NULL, NULL, &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not published"));
  g_clear_error (&error);

  job = dbw_generation_job_create (store, sheet_id, tmpl_id, DBW_LABELING_MODE_EXISTING_COLUMN, "verdict",
                                   NULL, NULL, &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  /* Names the column and lists those there are. */
  g_assert_nonnull (strstr (error->message, "“verdict”"));
  g_assert_nonnull (strstr (error->message, "answer, city, n"));
  g_clear_error (&error);

  job = dbw_generation_job_create (store, sheet_id, tmpl_id, DBW_LABELING_MODE_CANONICAL, NULL, NULL, NULL, &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_clear_error (&error);

  job = dbw_generation_job_create (store, dbw_record_get_id (DBW_RECORD (empty)), tmpl_id,
                                   DBW_LABELING_MODE_MANUAL, NULL, NULL, NULL, &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (dbw_sheet_ops_trash (store, sheet, &error));
  job = dbw_generation_job_create (store, sheet_id, tmpl_id, DBW_LABELING_MODE_MANUAL, NULL, NULL, NULL, &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "trash"));
  g_clear_error (&error);

  job = dbw_generation_job_create (store, "no-such-sheet", tmpl_id, DBW_LABELING_MODE_MANUAL, NULL, NULL, NULL, &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing half made. */
  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM training_sheets"), ==, 0);
  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM job_runs"), ==, 0);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_pending (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "pending.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Cities", 6);
  g_autoptr(DbwSheet) other = gen_add_sheet (store, "Other", 4);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwGenerationJob) job = NULL;
  g_autoptr(GArray) pending = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(DbwItem) edited = NULL;
  g_autoptr(GError) error = NULL;
  DbwGenerationCounts counts;
  gint64 missing[] = { 9999 };

  job = dbw_generation_job_create (store, dbw_record_get_id (DBW_RECORD (sheet)), dbw_record_get_id (DBW_RECORD (tmpl)),
                                   DBW_LABELING_MODE_MANUAL, NULL, "Mine", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_generation_job_count_items (job, store, &error), ==, 6);

  pending = dbw_generation_job_list_pending (job, store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 6);

  /* An edited item counts once, by its newest version. */
  all = dbw_store_list (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (sheet)), &error);
  edited = dbw_sheet_ops_edit_item (store, g_ptr_array_index (all, 1), "{\"n\":1,\"city\":\"Bergen\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_generation_job_count_items (job, store, &error), ==, 6);
  g_clear_pointer (&pending, g_array_unref);
  pending = dbw_generation_job_list_pending (job, store, &error);
  g_assert_cmpuint (pending->len, ==, 6);

  items = dbw_generation_job_load_items (store, (gint64 *) pending->data, pending->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 6);
  g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (items, 0)), ==, "row_0");
  g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (items, 4)), ==, "row_5");
  g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (items, 5)), ==, "row_1");
  g_assert_cmpint (dbw_item_get_version (g_ptr_array_index (items, 5)), ==, 2);

  g_clear_pointer (&items, g_ptr_array_unref);
  items = dbw_generation_job_load_items (store, missing, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);

  g_ptr_array_add (pairs, make_pair (job, "row_0", DBW_LABELING_MODE_MANUAL, DBW_QA_STATUS_UNLABELED));
  g_ptr_array_add (pairs, make_pair (job, "row_1", DBW_LABELING_MODE_CANONICAL, DBW_QA_STATUS_LABELED));
  g_ptr_array_add (pairs, make_pair (job, "row_2", DBW_LABELING_MODE_MANUAL, DBW_QA_STATUS_FLAGGED));
  g_assert_true (dbw_generation_job_add_pairs (job, store, pairs, 0.5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gen_query_int (store, "SELECT progress * 100 FROM job_runs"), ==, 50);

  g_clear_pointer (&pending, g_array_unref);
  pending = dbw_generation_job_list_pending (job, store, &error);
  g_assert_cmpuint (pending->len, ==, 3);

  g_assert_true (dbw_generation_job_count_pairs (job, store, &counts, &error));
  g_assert_cmpuint (counts.n_pairs, ==, 3);
  g_assert_cmpuint (counts.n_made, ==, 1);
  g_assert_cmpuint (counts.n_reused, ==, 1);
  g_assert_cmpuint (counts.n_flagged, ==, 1);

  /* A pair the store refuses takes the whole batch and its progress with it. */
  g_ptr_array_set_size (pairs, 0);
  g_ptr_array_add (pairs, make_pair (job, "row_3", DBW_LABELING_MODE_MANUAL, DBW_QA_STATUS_UNLABELED));
  g_ptr_array_add (pairs, make_pair (job, "row_4", DBW_LABELING_MODE_MANUAL, DBW_QA_STATUS_UNLABELED));
  dbw_qa_pair_set_status (g_ptr_array_index (pairs, 1), DBW_QA_STATUS_UNLABELED);
  dbw_qa_pair_set_messages (g_ptr_array_index (pairs, 1), "not json");
  g_assert_false (dbw_generation_job_add_pairs (job, store, pairs, 0.9, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM qa_pairs"), ==, 3);
  g_assert_cmpint (gen_query_int (store, "SELECT progress * 100 FROM job_runs"), ==, 50);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_states (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "states.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Cities", 2);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwGenerationJob) first = NULL;
  g_autoptr(DbwGenerationJob) second = NULL;
  g_autoptr(DbwGenerationJob) opened = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unfinished = NULL;
  const char *sheet_id = dbw_record_get_id (DBW_RECORD (sheet));
  const char *tmpl_id = dbw_record_get_id (DBW_RECORD (tmpl));

  first = dbw_generation_job_create (store, sheet_id, tmpl_id, DBW_LABELING_MODE_MANUAL, NULL, NULL, NULL, &error);
  second = dbw_generation_job_create (store, sheet_id, tmpl_id, DBW_LABELING_MODE_AI_GENERATED, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The second default name is set apart from the first, so either can be named. */
  {
    g_autoptr(DbwTrainingSheet) first_sheet = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET,
                                                             dbw_generation_job_get_training_sheet_id (first), &error);
    g_autoptr(DbwTrainingSheet) second_sheet = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET,
                                                              dbw_generation_job_get_training_sheet_id (second), &error);
    g_autofree char *third = dbw_generation_job_default_name (store, sheet, tmpl);

    g_assert_no_error (error);
    g_assert_cmpstr (dbw_training_sheet_get_name (first_sheet), ==, "Cities · Climate v1");
    g_assert_cmpstr (dbw_training_sheet_get_name (second_sheet), ==, "Cities · Climate v1 (2)");
    g_assert_cmpstr (third, ==, "Cities · Climate v1 (3)");
  }

  unfinished = dbw_generation_job_list_unfinished (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (unfinished), ==, 2);
  g_assert_cmpstr (unfinished[0], ==, dbw_generation_job_get_id (second));
  g_assert_cmpstr (unfinished[1], ==, dbw_generation_job_get_id (first));

  json_object_set_int_member (result, "n_made", 1);
  g_assert_true (dbw_generation_job_save_state (second, store, DBW_GENERATION_STATE_RUNNING, 0.5, result, NULL, &error));
  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM training_sheets WHERE generation_started_at IS NOT NULL"), ==, 1);
  g_assert_true (dbw_generation_job_save_state (second, store, DBW_GENERATION_STATE_FAILED, 0.5, NULL,
                                                "The endpoint refused the token", &error));
  g_assert_no_error (error);
  json_node_set_string (value, "https://example.org/v1");
  g_assert_true (dbw_generation_job_set_option (second, store, "endpoint_url", value, &error));

  opened = dbw_generation_job_open (store, dbw_generation_job_get_id (second), &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_generation_job_get_state (opened), ==, DBW_GENERATION_STATE_FAILED);
  g_assert_cmpint (dbw_generation_job_get_mode (opened), ==, DBW_LABELING_MODE_AI_GENERATED);
  g_assert_cmpstr (dbw_generation_job_get_error_message (opened), ==, "The endpoint refused the token");
  g_assert_cmpstr (dbw_generation_job_get_option_string (opened, "endpoint_url"), ==, "https://example.org/v1");
  /* The result of the last run that had one. */
  g_assert_nonnull (dbw_generation_job_get_result (opened));
  g_assert_cmpint (json_object_get_int_member (dbw_generation_job_get_result (opened), "n_made"), ==, 1);
  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM job_runs WHERE completed_at IS NOT NULL"), ==, 1);

  g_assert_true (dbw_generation_job_save_state (first, store, DBW_GENERATION_STATE_SUCCEEDED, 1.0, result, NULL, &error));
  g_assert_cmpint (gen_query_int (store, "SELECT count(*) FROM training_sheets WHERE status = 'review' "
                                         "AND generation_completed_at IS NOT NULL AND generation_started_at IS NOT NULL"), ==, 1);

  g_clear_object (&opened);
  opened = dbw_generation_job_open (store, dbw_generation_job_get_id (first), &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_FINISHED);
  g_assert_null (opened);
  g_clear_error (&error);

  opened = dbw_generation_job_open (store, "0000", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_strfreev (unfinished);
  unfinished = dbw_generation_job_list_unfinished (store, &error);
  g_assert_cmpuint (g_strv_length (unfinished), ==, 1);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_find_canonical (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "canonical.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Cities", 3);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwCanonicalLabel) label = gen_add_canonical (store, sheet, "row_1", DBW_LABEL_TYPE_CLASSIFICATION,
                                                          "{\"label\":\"cold\"}");
  g_autoptr(DbwCanonicalLabel) other = gen_add_canonical (store, sheet, "row_2", DBW_LABEL_TYPE_SUMMARIZATION,
                                                          "{\"summary\":\"x\"}");
  g_autoptr(DbwGenerationJob) job = NULL;
  g_autoptr(DbwCanonicalLabel) found = NULL;
  g_autoptr(DbwCanonicalLabel) none = NULL;
  g_autoptr(GError) error = NULL;

  job = dbw_generation_job_create (store, dbw_record_get_id (DBW_RECORD (sheet)), dbw_record_get_id (DBW_RECORD (tmpl)),
                                   DBW_LABELING_MODE_MANUAL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  found = dbw_generation_job_find_canonical (job, store, "row_1", DBW_LABEL_TYPE_CLASSIFICATION, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (found)), ==, dbw_record_get_id (DBW_RECORD (label)));

  /* Another label type of the same sheet is not this template's. */
  none = dbw_generation_job_find_canonical (job, store, "row_2", DBW_LABEL_TYPE_CLASSIFICATION, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  dbw_store_close (store);
  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/generation-job/create", test_create);
  g_test_add_func ("/generation-job/create-invalid", test_create_invalid);
  g_test_add_func ("/generation-job/pending", test_pending);
  g_test_add_func ("/generation-job/states", test_states);
  g_test_add_func ("/generation-job/find-canonical", test_find_canonical);

  return g_test_run ();
}
