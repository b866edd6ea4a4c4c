/* test-pair-builder.c — items into Q&A pairs: messages, canonical reuse, constraints, schema
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

#include <string.h>

#include "dbw-generation-job.h"
#include "dbw-json-schema.h"
#include "dbw-pair-builder.h"
#include "dbw-prompt.h"

#define SHEET_ID "training-sheet-1"

static DbwTemplate *
make_template (const char *output_schema,
               const char *examples)
{
  DbwTemplate *tmpl = dbw_template_new ();

  dbw_template_set_name (tmpl, "Climate");
  dbw_template_set_label_type (tmpl, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_system_prompt (tmpl, "You classify cities by climate.");
  dbw_template_set_user_prompt_template (tmpl, "City {{ n }}: {{ city }}");
  dbw_template_set_output_schema (tmpl, output_schema);
  dbw_template_set_examples (tmpl, examples);

  return tmpl;
}

#define LABEL_SCHEMA "{\"type\":\"object\",\"required\":[\"label\"],\"properties\":{\"label\":{\"enum\":[\"warm\",\"cold\"]}}}"

static DbwItem *
make_item (const char *ref,
           const char *fields)
{
  DbwItem *item = dbw_item_new ();
  const char *allowed[] = { "training", "evaluation", NULL };
  const char *prohibited[] = { "few_shot", NULL };

  dbw_item_set_item_ref (item, ref);
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, fields);
  dbw_item_set_allowed_uses (item, allowed);
  dbw_item_set_prohibited_uses (item, prohibited);
  dbw_item_set_usage_reason (item, "From the public registry");
  dbw_item_set_data_classification (item, DBW_CLASSIFICATION_PUBLIC);

  return item;
}

static JsonArray *
messages_of (DbwQaPair *pair)
{
  g_autoptr(JsonNode) node = json_from_string (dbw_qa_pair_get_messages (pair), NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static const char *
role_of (JsonArray *messages,
         guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (messages, i), "role");
}

static const char *
content_of (JsonArray *messages,
            guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (messages, i), "content");
}

static void
assert_item_constraints (DbwQaPair *pair)
{
  const char * const *allowed = dbw_qa_pair_get_allowed_uses (pair);
  const char * const *prohibited = dbw_qa_pair_get_prohibited_uses (pair);

  g_assert_cmpuint (g_strv_length ((char **) allowed), ==, 2);
  g_assert_cmpstr (allowed[0], ==, "training");
  g_assert_cmpstr (allowed[1], ==, "evaluation");
  g_assert_cmpuint (g_strv_length ((char **) prohibited), ==, 1);
  g_assert_cmpstr (prohibited[0], ==, "few_shot");
  g_assert_cmpstr (dbw_qa_pair_get_usage_reason (pair), ==, "From the public registry");
  g_assert_cmpint (dbw_qa_pair_get_data_classification (pair), ==, DBW_CLASSIFICATION_PUBLIC);
}

static void
test_messages (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template (LABEL_SCHEMA,
                                               "[{\"input\":{\"n\":100,\"city\":\"Rome\"},\"output\":{\"label\":\"warm\"}},"
                                               " {\"input\":\"Is Tromsø warm?\",\"expected_output\":\"{\\\"label\\\":\\\"cold\\\"}\"}]");
  g_autoptr(DbwItem) item = make_item ("row_7", "{\"n\":7,\"city\":\"Oslo\"}");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(JsonArray) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  g_assert_no_error (error);

  /* The model's to answer: no pair yet, and the prompt to ask with. */
  pair = dbw_pair_builder_build (builder, SHEET_ID, item, NULL, &prompt, &error);
  g_assert_no_error (error);
  g_assert_null (pair);
  g_assert_cmpstr (prompt, ==, "City 7: Oslo");

  request = dbw_pair_builder_build_request (builder, prompt);
  g_assert_cmpuint (json_array_get_length (request), ==, 6);
  g_assert_cmpstr (role_of (request, 0), ==, "system");
  g_assert_cmpstr (content_of (request, 0), ==, "You classify cities by climate.");
  /* An example's input object goes through the user prompt; its output is compact JSON. */
  g_assert_cmpstr (role_of (request, 1), ==, "user");
  g_assert_cmpstr (content_of (request, 1), ==, "City 100: Rome");
  g_assert_cmpstr (role_of (request, 2), ==, "assistant");
  g_assert_cmpstr (content_of (request, 2), ==, "{\"label\":\"warm\"}");
  /* Text as it is, and expected_output read as output. */
  g_assert_cmpstr (content_of (request, 3), ==, "Is Tromsø warm?");
  g_assert_cmpstr (content_of (request, 4), ==, "{\"label\":\"cold\"}");
  g_assert_cmpstr (role_of (request, 5), ==, "user");
  g_assert_cmpstr (content_of (request, 5), ==, "City 7: Oslo");

  pair = dbw_pair_builder_build_from_reply (builder, SHEET_ID, item, prompt, "{\"label\":\"cold\"}", 0.93);
  messages = messages_of (pair);
  g_assert_cmpuint (json_array_get_length (messages), ==, 7);
  g_assert_cmpstr (role_of (messages, 6), ==, "assistant");
  g_assert_cmpstr (content_of (messages, 6), ==, "{\"label\":\"cold\"}");
  g_assert_cmpstr (dbw_qa_pair_get_training_sheet_id (pair), ==, SHEET_ID);
  g_assert_cmpstr (dbw_qa_pair_get_item_ref (pair), ==, "row_7");
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_cmpint (dbw_qa_pair_get_labeling_mode (pair), ==, DBW_LABELING_MODE_AI_GENERATED);
  g_assert_cmpfloat_with_epsilon (dbw_qa_pair_get_ai_confidence (pair), 0.93, 1e-9);
  g_assert_null (dbw_qa_pair_get_canonical_label_id (pair));
  assert_item_constraints (pair);
}

static void
test_no_system_prompt (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template ("{}", "[]");
  g_autoptr(DbwItem) item = make_item ("row_1", "{\"n\":1,\"city\":\"Lima\"}");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  dbw_template_set_system_prompt (tmpl, "");
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  g_assert_no_error (error);

  /* An empty schema takes any text, JSON or not, with no confidence to record. */
  pair = dbw_pair_builder_build_from_reply (builder, SHEET_ID, item, "City 1: Lima", "Mild and dry.", -1);
  messages = messages_of (pair);
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (role_of (messages, 0), ==, "user");
  g_assert_cmpstr (content_of (messages, 1), ==, "Mild and dry.");
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_cmpfloat (dbw_qa_pair_get_ai_confidence (pair), <, 0);
}

/* The system prompt is the same for every item: literals print, variables are refused. */
static void
test_fixed_system_prompt (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template ("{}", "[]");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwPairBuilder) refused = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  dbw_template_set_system_prompt (tmpl, "Answer in JSON; write {{ \"{{\" }} as is.");
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  g_assert_no_error (error);
  messages = dbw_pair_builder_build_request (builder, "City 1: Lima");
  g_assert_cmpstr (role_of (messages, 0), ==, "system");
  g_assert_cmpstr (content_of (messages, 0), ==, "Answer in JSON; write {{ as is.");

  dbw_template_set_system_prompt (tmpl, "You classify {{ city }}.");
  refused = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“{{ city }}” cannot be used here"));
}

static void
test_reply_schema (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template (LABEL_SCHEMA, "[]");
  g_autoptr(DbwItem) item = make_item ("row_2", "{\"n\":2,\"city\":\"Cairo\"}");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) fenced = NULL;
  g_autoptr(DbwQaPair) wrong = NULL;
  g_autoptr(DbwQaPair) prose = NULL;
  g_autoptr(DbwQaPair) refused = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  g_assert_no_error (error);

  /* Valid JSON in a fence is kept without the fence. */
  fenced = dbw_pair_builder_build_from_reply (builder, SHEET_ID, item, "p", "```json\n{\"label\": \"warm\"}\n```", 0.5);
  messages = messages_of (fenced);
  g_assert_cmpstr (content_of (messages, 2), ==, "{\"label\": \"warm\"}");
  g_assert_cmpint (dbw_qa_pair_get_status (fenced), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_null (dbw_qa_pair_get_review_notes (fenced));

  /* Output that fails the schema is kept, flagged with the path and the rule. */
  wrong = dbw_pair_builder_build_from_reply (builder, SHEET_ID, item, "p", "{\"label\":\"hot\"}", 0.5);
  g_assert_cmpint (dbw_qa_pair_get_status (wrong), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_cmpstr (dbw_qa_pair_get_review_notes (wrong), ==, "$.label: \"hot\" is not one of [\"warm\",\"cold\"]");
  g_clear_pointer (&messages, json_array_unref);
  messages = messages_of (wrong);
  g_assert_cmpstr (content_of (messages, 2), ==, "{\"label\":\"hot\"}");

  prose = dbw_pair_builder_build_from_reply (builder, SHEET_ID, item, "p", "It is warm.", 0.5);
  g_assert_cmpint (dbw_qa_pair_get_status (prose), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_true (g_str_has_prefix (dbw_qa_pair_get_review_notes (prose), "The answer is not JSON"));

  refused = dbw_pair_builder_build_flagged (builder, SHEET_ID, item, "p", "The model refused to answer");
  g_assert_cmpint (dbw_qa_pair_get_status (refused), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_cmpstr (dbw_qa_pair_get_review_notes (refused), ==, "The model refused to answer");
  assert_item_constraints (refused);

  g_assert_true (dbw_pair_builder_check_output (builder, "{\"label\":\"cold\"}", &error));
  g_assert_false (dbw_pair_builder_check_output (builder, "{}", &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_MISMATCH);
}

static void
test_manual (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template (LABEL_SCHEMA, "[]");
  g_autoptr(DbwItem) item = make_item ("row_3", "{\"n\":3,\"city\":\"Perth\"}");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  g_assert_no_error (error);
  pair = dbw_pair_builder_build (builder, SHEET_ID, item, NULL, NULL, &error);
  g_assert_no_error (error);

  /* An empty answer for the expert to write: not checked, not flagged. */
  messages = messages_of (pair);
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  g_assert_cmpstr (content_of (messages, 1), ==, "City 3: Perth");
  g_assert_cmpstr (role_of (messages, 2), ==, "assistant");
  g_assert_cmpstr (content_of (messages, 2), ==, "");
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_cmpint (dbw_qa_pair_get_labeling_mode (pair), ==, DBW_LABELING_MODE_MANUAL);
  assert_item_constraints (pair);
}

static void
test_existing_column (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template (LABEL_SCHEMA, "[]");
  g_autoptr(DbwItem) good = make_item ("row_4", "{\"n\":4,\"city\":\"Lima\",\"verdict\":\"{\\\"label\\\":\\\"warm\\\"}\"}");
  g_autoptr(DbwItem) object = make_item ("row_5", "{\"n\":5,\"city\":\"Oslo\",\"verdict\":{\"label\":\"cold\"}}");
  g_autoptr(DbwItem) empty = make_item ("row_6", "{\"n\":6,\"city\":\"Rome\",\"verdict\":null}");
  g_autoptr(DbwItem) bad = make_item ("row_7", "{\"n\":7,\"city\":\"Nuuk\",\"verdict\":\"freezing\"}");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_EXISTING_COLUMN, NULL, &error);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_clear_error (&error);

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_EXISTING_COLUMN, "verdict", &error);
  g_assert_no_error (error);
  g_assert_false (dbw_pair_builder_get_column_trusted (builder));

  pair = dbw_pair_builder_build (builder, SHEET_ID, good, NULL, NULL, &error);
  g_assert_no_error (error);
  messages = messages_of (pair);
  g_assert_cmpstr (content_of (messages, 2), ==, "{\"label\":\"warm\"}");
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_cmpint (dbw_qa_pair_get_labeling_mode (pair), ==, DBW_LABELING_MODE_EXISTING_COLUMN);
  assert_item_constraints (pair);
  g_clear_object (&pair);
  g_clear_pointer (&messages, json_array_unref);

  /* A trusted column's answers are labeled; a JSON value is its compact text. */
  dbw_pair_builder_set_column_trusted (builder, TRUE);
  pair = dbw_pair_builder_build (builder, SHEET_ID, object, NULL, NULL, &error);
  messages = messages_of (pair);
  g_assert_cmpstr (content_of (messages, 2), ==, "{\"label\":\"cold\"}");
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
  g_clear_object (&pair);

  /* Even trusted, an empty value or one that fails the schema is flagged, never dropped. */
  pair = dbw_pair_builder_build (builder, SHEET_ID, empty, NULL, NULL, &error);
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_cmpstr (dbw_qa_pair_get_review_notes (pair), ==, "The column “verdict” is empty for this item");
  g_clear_object (&pair);

  pair = dbw_pair_builder_build (builder, SHEET_ID, bad, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_true (g_str_has_prefix (dbw_qa_pair_get_review_notes (pair), "The answer is not JSON"));
}

static void
test_canonical (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template (LABEL_SCHEMA, "[]");
  g_autoptr(DbwItem) item = make_item ("row_8", "{\"n\":8,\"city\":\"Hobart\"}");
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
  g_autoptr(DbwCanonicalLabel) text_label = dbw_canonical_label_new ();
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *text = NULL;
  const char *allowed[] = { "evaluation", NULL };
  const char *prohibited[] = { "training", "validation", NULL };

  dbw_record_set_id (DBW_RECORD (label), "cl-001");
  dbw_canonical_label_set_label_data (label, "{ \"label\" : \"cold\" }");
  dbw_canonical_label_set_allowed_uses (label, allowed);
  dbw_canonical_label_set_prohibited_uses (label, prohibited);
  dbw_canonical_label_set_usage_reason (label, "Contains PHI");
  dbw_canonical_label_set_data_classification (label, DBW_CLASSIFICATION_RESTRICTED);
  dbw_canonical_label_set_labeled_by (label, "ana@example.org");
  dbw_canonical_label_set_labeled_at (label, "2026-01-15T10:30:00.000Z");

  /* In every mode, the model is not asked: the expert's label is the answer. */
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  pair = dbw_pair_builder_build (builder, SHEET_ID, item, label, &prompt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pair);
  g_assert_cmpstr (prompt, ==, "City 8: Hobart");

  messages = messages_of (pair);
  g_assert_cmpstr (content_of (messages, 1), ==, "City 8: Hobart");
  g_assert_cmpstr (content_of (messages, 2), ==, "{\"label\":\"cold\"}");
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
  g_assert_cmpint (dbw_qa_pair_get_labeling_mode (pair), ==, DBW_LABELING_MODE_CANONICAL);
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, "cl-001");
  g_assert_cmpstr (dbw_qa_pair_get_reviewed_by (pair), ==, "ana@example.org");
  g_assert_cmpstr (dbw_qa_pair_get_reviewed_at (pair), ==, "2026-01-15T10:30:00.000Z");

  /* The label's constraints, not the item's. */
  g_assert_cmpuint (g_strv_length ((char **) dbw_qa_pair_get_allowed_uses (pair)), ==, 1);
  g_assert_cmpstr (dbw_qa_pair_get_allowed_uses (pair)[0], ==, "evaluation");
  g_assert_cmpuint (g_strv_length ((char **) dbw_qa_pair_get_prohibited_uses (pair)), ==, 2);
  g_assert_cmpstr (dbw_qa_pair_get_usage_reason (pair), ==, "Contains PHI");
  g_assert_cmpint (dbw_qa_pair_get_data_classification (pair), ==, DBW_CLASSIFICATION_RESTRICTED);
  g_clear_object (&builder);
  g_clear_object (&pair);

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  pair = dbw_pair_builder_build (builder, SHEET_ID, item, label, NULL, &error);
  g_assert_cmpint (dbw_qa_pair_get_labeling_mode (pair), ==, DBW_LABELING_MODE_CANONICAL);

  /* A label that is a JSON text is that text. */
  dbw_canonical_label_set_label_data (text_label, "\"A routine follow-up visit.\"");
  text = dbw_pair_builder_label_content (text_label);
  g_assert_cmpstr (text, ==, "A routine follow-up visit.");
}

static void
test_errors (void)
{
  g_autoptr(DbwTemplate) tmpl = make_template (LABEL_SCHEMA, "[]");
  g_autoptr(DbwItem) item = make_item ("row_9", "{\"n\":9}");
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(GError) error = NULL;
  char *prompt = NULL;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  g_assert_no_error (error);

  /* An item the prompt cannot be rendered for fails alone, naming what is missing. */
  pair = dbw_pair_builder_build (builder, SHEET_ID, item, NULL, &prompt, &error);
  g_assert_null (pair);
  g_assert_null (prompt);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "“city”"));
  g_clear_error (&error);
  g_clear_object (&builder);

  dbw_template_set_examples (tmpl, "[{\"input\":\"only a question\"}]");
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  g_assert_null (builder);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Example 1"));
  g_clear_error (&error);

  dbw_template_set_examples (tmpl, "[{\"input\":{\"n\":1},\"output\":\"x\"}]");
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  g_assert_null (builder);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_clear_error (&error);

  dbw_template_set_examples (tmpl, "[]");
  dbw_template_set_output_schema (tmpl, "{\"type\":\"colour\"}");
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  g_assert_null (builder);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
  g_clear_error (&error);

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_CANONICAL, NULL, &error);
  g_assert_null (builder);
  g_assert_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pair-builder/messages", test_messages);
  g_test_add_func ("/pair-builder/no-system-prompt", test_no_system_prompt);
  g_test_add_func ("/pair-builder/fixed-system-prompt", test_fixed_system_prompt);
  g_test_add_func ("/pair-builder/reply-schema", test_reply_schema);
  g_test_add_func ("/pair-builder/manual", test_manual);
  g_test_add_func ("/pair-builder/existing-column", test_existing_column);
  g_test_add_func ("/pair-builder/canonical", test_canonical);
  g_test_add_func ("/pair-builder/errors", test_errors);

  return g_test_run ();
}
