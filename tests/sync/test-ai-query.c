/* test-ai-query.c — the SQL of a Generate run on the workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dbw-ai-query.h"
#include "dbw-databricks.h"

static DbwSheet *
make_sheet (const char *primary,
            const char *key,
            const char *secondary)
{
  DbwSheet *sheet = dbw_sheet_new ();
  const char *keys[] = { key, NULL };

  dbw_sheet_set_name (sheet, "Orders");
  dbw_sheet_set_source_kind (sheet, DBW_SOURCE_KIND_UNITY_CATALOG);
  dbw_sheet_set_primary_table (sheet, primary);
  dbw_sheet_set_join_keys (sheet, key != NULL ? keys : NULL);
  if (secondary != NULL)
    dbw_sheet_set_secondary_sources (sheet, secondary);

  return sheet;
}

static DbwTemplate *
make_template (const char *prompt)
{
  DbwTemplate *tmpl = dbw_template_new ();

  dbw_template_set_name (tmpl, "Notes");
  dbw_template_set_label_type (tmpl, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_user_prompt_template (tmpl, prompt);
  dbw_template_set_temperature (tmpl, 0.25);
  dbw_template_set_max_tokens (tmpl, 200);

  return tmpl;
}

static GHashTable *
new_parameters (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
test_statement (void)
{
  g_autoptr(DbwSheet) sheet = make_sheet ("main.sales.orders", "id", NULL);
  g_autoptr(DbwTemplate) tmpl = make_template ("Order {{ id }} ({{ amount }}): it's {{ \"}}\" }} {{note}}");
  g_autoptr(GHashTable) parameters = new_parameters ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (dbw_ai_query_check (sheet, tmpl, &error));
  g_assert_no_error (error);

  dbw_sheet_set_filter_condition (sheet, "amount > 5");
  dbw_sheet_set_sample_size (sheet, 8);
  sql = dbw_ai_query_build_statement (sheet, tmpl, "databricks-meta-llama-3-3-70b-instruct",
                                      "main.scratch.dbw_generation_1", parameters, &error);
  g_assert_no_error (error);

  /* The prompt's text goes in as parameters, its variables as backticked columns; the
   * sample is the materialiser's. */
  g_assert_cmpstr (sql, ==,
                   "CREATE TABLE `main`.`scratch`.`dbw_generation_1` AS SELECT `_dbw_key_0`, "
                   "ai_query('databricks-meta-llama-3-3-70b-instruct', `_dbw_input`, modelParameters => named_struct("
                   "'temperature', CAST(:temperature AS DOUBLE), 'max_tokens', CAST(:max_tokens AS INT))) AS `_dbw_response`, "
                   "row_number() OVER (ORDER BY `_dbw_key_0`, `_dbw_input`) AS `_dbw_row`, "
                   "CASE WHEN `_dbw_n_shared` > 1 THEN `_dbw_input` END AS `_dbw_shared_input` "
                   "FROM (SELECT `id` AS `_dbw_key_0`, count(*) OVER (PARTITION BY `id`) AS `_dbw_n_shared`, "
                   "concat(:prompt_0, CAST(`id` AS STRING), :prompt_1, "
                   "CAST(`amount` AS STRING), :prompt_2, CAST(`note` AS STRING)) AS `_dbw_input` "
                   "FROM (SELECT * FROM `main`.`sales`.`orders` WHERE (amount > 5) ORDER BY xxhash64(`id`), `id` "
                   "LIMIT CAST(:sample_size AS INT)) AS `p`) AS `q` WHERE `_dbw_input` IS NOT NULL");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "prompt_0"), ==, "Order ");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "prompt_1"), ==, " (");
  /* A literal placeholder is text like any other. */
  g_assert_cmpstr (g_hash_table_lookup (parameters, "prompt_2"), ==, "): it's }} ");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "temperature"), ==, "0.25");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "max_tokens"), ==, "200");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "sample_size"), ==, "8");
  g_assert_cmpuint (g_hash_table_size (parameters), ==, 6);
}

static void
test_preamble (void)
{
  g_autoptr(DbwSheet) sheet = make_sheet ("main.sales.orders", "id", "[]");
  g_autoptr(DbwTemplate) tmpl = make_template ("{{ note }}");
  g_autoptr(GHashTable) parameters = new_parameters ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  dbw_template_set_system_prompt (tmpl, "Sort notes.");
  dbw_template_set_examples (tmpl, "[{\"input\":{\"note\":\"rush\"},\"output\":{\"label\":\"urgent\"}}]");
  sql = dbw_ai_query_build_statement (sheet, tmpl, "labeler", "main.scratch.results", parameters, &error);
  g_assert_no_error (error);

  /* ai_query sends one message: the system prompt and examples go ahead of the prompt. */
  g_assert_nonnull (strstr (sql, "ai_query('labeler', concat(:prompt_0, `_dbw_input`)"));
  g_assert_nonnull (strstr (sql, "concat(CAST(`note` AS STRING)) AS `_dbw_input`"));
  g_assert_cmpstr (g_hash_table_lookup (parameters, "prompt_0"), ==,
                   "Sort notes.\n\nExample input:\nrush\nExample output:\n{\"label\":\"urgent\"}\n\n");
  /* Without a filter or a sample, the whole table. */
  g_assert_nonnull (strstr (sql, "FROM `main`.`sales`.`orders` AS `p`"));
}

static void
assert_unsupported (DbwSheet    *sheet,
                    const char  *prompt,
                    const char  *expected)
{
  g_autoptr(DbwTemplate) tmpl = make_template (prompt);
  g_autoptr(GHashTable) parameters = new_parameters ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_false (dbw_ai_query_check (sheet, tmpl, &error));
  g_assert_error (error, DBW_AI_QUERY_ERROR, DBW_AI_QUERY_ERROR_UNSUPPORTED);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
  g_clear_error (&error);

  sql = dbw_ai_query_build_statement (sheet, tmpl, "labeler", "main.scratch.results", parameters, &error);
  g_assert_null (sql);
  g_assert_error (error, DBW_AI_QUERY_ERROR, DBW_AI_QUERY_ERROR_UNSUPPORTED);
  g_assert_cmpuint (g_hash_table_size (parameters), ==, 0);
}

static void
test_unsupported (void)
{
  g_autoptr(DbwSheet) sheet = make_sheet ("main.sales.orders", "id", NULL);
  g_autoptr(DbwSheet) keyless = make_sheet ("main.sales.orders", NULL, NULL);
  g_autoptr(DbwSheet) joined = make_sheet ("main.sales.orders", "id",
                                           "[{\"type\": \"table\", \"name\": \"main.sales.returns\", \"join_key\": \"order_id\"}]");
  g_autoptr(DbwSheet) local = dbw_sheet_new ();

  dbw_sheet_set_name (local, "Files");

  assert_unsupported (sheet, "Summarise {{ item.text }}", "item.text");
  assert_unsupported (sheet, "By {{ meta.author }}", "meta.author");
  assert_unsupported (sheet, "Note: {{ [\"the note\"] }}", "not a plain column");
  assert_unsupported (sheet, "Note: {{ note | default(\"none\") }}", "default");
  assert_unsupported (sheet, "Note: {{ note", "cannot be read");
  assert_unsupported (keyless, "{{ note }}", "no join key");
  assert_unsupported (joined, "{{ note }}", "joins other tables");
  assert_unsupported (local, "{{ note }}", "Unity Catalog");
}

static void
test_names (void)
{
  g_autoptr(DbwSheet) sheet = make_sheet ("main.sales.orders", "id", NULL);
  g_autoptr(DbwTemplate) tmpl = make_template ("{{ note }}");
  g_autoptr(GHashTable) parameters = new_parameters ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *page = NULL;
  g_autofree char *drop = NULL;

  /* Neither the endpoint nor the results table can carry SQL of their own. */
  sql = dbw_ai_query_build_statement (sheet, tmpl, "x') OR ('1", "main.scratch.results", parameters, &error);
  g_assert_null (sql);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  g_clear_error (&error);

  sql = dbw_ai_query_build_statement (sheet, tmpl, "labeler", "main.scratch.res`ults", parameters, &error);
  g_assert_null (sql);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  g_clear_error (&error);

  drop = dbw_ai_query_build_drop ("scratch.results", &error);
  g_assert_null (drop);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  g_clear_error (&error);

  drop = dbw_ai_query_build_drop ("main.scratch.results", &error);
  g_assert_cmpstr (drop, ==, "DROP TABLE IF EXISTS `main`.`scratch`.`results`");

  g_hash_table_remove_all (parameters);
  page = dbw_ai_query_build_page ("main.scratch.results", 2, 500, 250, parameters, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (page, ==,
                   "SELECT `_dbw_key_0`, `_dbw_key_1`, `_dbw_response`, `_dbw_row`, `_dbw_shared_input` "
                   "FROM `main`.`scratch`.`results` "
                   "WHERE `_dbw_row` > CAST(:after AS BIGINT) ORDER BY `_dbw_row` LIMIT CAST(:limit AS INT)");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "after"), ==, "500");
  g_assert_cmpstr (g_hash_table_lookup (parameters, "limit"), ==, "250");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ai-query/statement", test_statement);
  g_test_add_func ("/ai-query/preamble", test_preamble);
  g_test_add_func ("/ai-query/unsupported", test_unsupported);
  g_test_add_func ("/ai-query/names", test_names);

  return g_test_run ();
}
