/* test-fine-tune.c — fine-tune runs against the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dbw-fine-tune-run.h"
#include "dbw-model-lineage.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-databricks-fixture.h"
#include "test-query.h"

#define VOLUME     "/Volumes/main/sales/raw_files"
#define MODEL_NAME "main.sales.support_bot"
#define RESULT_OK  "{\"model_version\": \"3\", \"training_run_id\": \"trainer-run-1\", " \
                   "\"metrics\": {\"train_loss\": 0.42, \"eval_loss\": 0.5}}"

static const char *train_lines[] = {
  "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]}",
  "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}, {\"role\": \"assistant\", \"content\": \"4\"}]}",
  "{\"messages\": [{\"role\": \"user\", \"content\": \"Capital of France?\"}, {\"role\": \"assistant\", \"content\": \"Paris\"}]}",
};

typedef struct
{
  Fixture  db;
  char    *dir;
  char    *path;
  DbwStore *store;
  GFile   *export_dir;
  char    *export_id;
  char    *training_sheet_id;
} FtFixture;

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
write_lines (GFile       *dir,
             const char  *name,
             const char **lines,
             guint        n)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = g_file_get_child (dir, name);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s\n", lines[i]);
  g_file_replace_contents (file, text->str, text->len, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
file_sha256 (GFile      *dir,
             const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (dir, name);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (g_file_peek_path (file), &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The export's file_hashes, as the export code records them, for the files in its folder now. */
static void
record_hashes (FtFixture  *fixture,
               const char *export_id)
{
  g_autofree char *train = file_sha256 (fixture->export_dir, "train.jsonl");
  g_autofree char *val = file_sha256 (fixture->export_dir, "val.jsonl");
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("UPDATE exports SET file_hashes = json_object ('train.jsonl', '%s', 'val.jsonl', '%s', "
                         "'manifest.json', 'ab') WHERE id = '%s'", train, val, export_id);
  test_exec (fixture->path, sql);
}

/* An export as the export code leaves it: the row, and train.jsonl + val.jsonl. */
static char *
add_export (FtFixture  *fixture,
            const char *use)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO exports (id, training_sheet_ids, use, format, qa_pair_ids, counts, "
                         "split_config, created_at) VALUES ('%s', json_array ('%s'), '%s', 'jsonl', "
                         "'[\"p1\",\"p2\",\"p3\",\"p4\"]', '{\"train\":3,\"val\":1}', "
                         "'{\"val_fraction\":0.25,\"seed\":7,\"val_qa_pair_ids\":[\"p4\"]}', '2026-01-01T00:00:00Z')",
                         id, fixture->training_sheet_id, use);
  test_exec (fixture->path, sql);
  record_hashes (fixture, id);

  return g_steal_pointer (&id);
}

static void
ft_setup (FtFixture     *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autofree char *export_path = NULL;

  fixture_setup (&fixture->db, NULL);

  fixture->dir = g_dir_make_tmp ("dbw-fine-tune-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "ft.dbw", NULL);
  file = g_file_new_for_path (fixture->path);
  fixture->store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  dbw_store_set_user (fixture->store, "tester");

  sheet = gen_add_sheet (fixture->store, "Questions", 4);
  dbw_training_sheet_set_name (training_sheet, "Support answers");
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  g_assert_true (dbw_store_insert (fixture->store, training_sheet, &error));
  g_assert_no_error (error);
  fixture->training_sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (training_sheet)));

  /* The pairs the export wrote: approved, for training and validation. */
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO qa_pairs (id, training_sheet_id, item_ref, status, allowed_uses, "
                                              "created_at, updated_at) VALUES ('p%u', '%s', 'row_%u', 'labeled', "
                                              "'[\"training\", \"validation\"]', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                                              i, fixture->training_sheet_id, i - 1);

      test_exec (fixture->path, sql);
    }

  export_path = g_build_filename (fixture->dir, "export", NULL);
  g_assert_cmpint (g_mkdir (export_path, 0700), ==, 0);
  fixture->export_dir = g_file_new_for_path (export_path);
  write_lines (fixture->export_dir, "train.jsonl", train_lines, 3);
  write_lines (fixture->export_dir, "val.jsonl", train_lines + 1, 1);
  fixture->export_id = add_export (fixture, "training");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
ft_teardown (FtFixture     *fixture,
             gconstpointer  data)
{
  for (guint i = 0; i < 50; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;

  dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->export_dir);
  fixture_teardown (&fixture->db, NULL);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->export_id);
  g_free (fixture->training_sheet_id);
}

static DbwFineTuneOptions *
make_options (void)
{
  DbwFineTuneOptions *options = dbw_fine_tune_options_new ();

  options->base_model = g_strdup ("meta-llama/Llama-3.2-1B-Instruct");
  options->epochs = 2;
  options->learning_rate = 0.0001;
  options->registered_model_name = g_strdup (MODEL_NAME);
  options->experiment_name = g_strdup ("/Shared/databits");
  options->volume_path = g_strdup (VOLUME "/fine-tunes");

  return options;
}

static DbwFineTuneRun *
new_run (FtFixture *fixture)
{
  g_autoptr(DbwFineTuneOptions) options = make_options ();
  g_autoptr(GError) error = NULL;
  DbwFineTuneRun *run;

  run = dbw_fine_tune_run_new (fixture->store, fixture->db.client, fixture->export_id,
                               fixture->export_dir, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_READY);

  return run;
}

static gboolean
run_to_end (DbwFineTuneRun  *run,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_fine_tune_run_run_async (run, cancellable, store_result_cb, &result);
  wait_for (&result);

  return dbw_fine_tune_run_run_finish (run, result, error);
}

static guint
count_requests_under (FakeDatabricks *fake,
                      const char     *prefix)
{
  g_autoptr(GPtrArray) requests = fake_databricks_get_requests (fake);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      FakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_has_prefix (request->path, prefix))
        n++;
    }

  return n;
}

static char *
remote_file (FtFixture      *fixture,
             DbwFineTuneRun *run,
             const char     *name)
{
  g_autofree char *volume_path = g_strdup_printf (VOLUME "/fine-tunes/databits-fine-tune-%s/%s",
                                                  dbw_fine_tune_run_get_id (run), name);

  return fake_databricks_get_local_path (fixture->db.fake, volume_path);
}

static void
assert_remote_equals_local (FtFixture      *fixture,
                            DbwFineTuneRun *run,
                            const char     *name)
{
  g_autofree char *remote = remote_file (fixture, run, name);
  g_autofree char *local = g_build_filename (g_file_peek_path (fixture->export_dir), name, NULL);
  g_autofree char *remote_text = NULL;
  g_autofree char *local_text = NULL;

  g_assert_true (g_file_get_contents (remote, &remote_text, NULL, NULL));
  g_assert_true (g_file_get_contents (local, &local_text, NULL, NULL));
  g_assert_cmpstr (remote_text, ==, local_text);
}

static const char *
object_string (JsonObject *object,
               const char *member,
               const char *key)
{
  JsonObject *inner = json_object_get_object_member (object, member);

  g_assert_nonnull (inner);
  return json_object_get_string_member_with_default (inner, key, NULL);
}

static void
test_script_compiles (void)
{
  g_autoptr(GBytes) script = dbw_fine_tune_get_script ();
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  gsize size;
  const char *text = g_bytes_get_data (script, &size);
  int status = -1;

  g_assert_cmpuint (size, >, 0);
  /* It is the trainer the run's parameters are for. */
  g_assert_nonnull (g_strstr_len (text, size, "--registered-model-name"));
  g_assert_nonnull (g_strstr_len (text, size, "SFTTrainer"));
  g_assert_nonnull (g_strstr_len (text, size, "registered_model_name"));

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }

  dir = g_dir_make_tmp ("dbw-script-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "databits_finetune.py", NULL);
  g_assert_true (g_file_set_contents (path, text, size, &error));

  {
    g_autofree char *cfile = g_build_filename (dir, "databits_finetune.pyc", NULL);
    const char *argv[] = { python, "-c",
                           "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                           path, cfile, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, &err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      {
        g_test_message ("The training script does not compile: %s", err);
        g_test_fail ();
      }
    g_unlink (cfile);
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_happy_path (FtFixture     *fixture,
                 gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) spec = NULL;
  g_autoptr(JsonNode) mlflow = NULL;
  g_autoptr(DbwModelLineage) lineage = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) active = NULL;
  JsonObject *task;
  JsonArray *parameters;
  JsonArray *metrics;
  gboolean found_loss = FALSE;

  fake_databricks_set_job_script (fixture->db.fake, 2, "SUCCESS", "", RESULT_OK);
  /* The first answer to runs/submit is lost after the workspace started the run: the
   * retry, with the same token, must not start a second one. */
  fake_databricks_add_fault (fixture->db.fake, "/api/2.2/jobs/runs/submit", FAKE_FAULT_TRUNCATE, 1, 0);

  g_assert_true (run_to_end (run, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_SUCCEEDED);
  g_assert_cmpfloat (dbw_fine_tune_run_get_progress (run), ==, 1.0);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.2/jobs/runs/submit"), ==, 2);
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fixture->db.fake), ==, 1);
  g_assert_cmpint (dbw_fine_tune_run_get_remote_run_id (run), >, 0);
  g_assert_cmpstr (dbw_fine_tune_run_get_model_version (run), ==, "3");
  g_assert_nonnull (dbw_fine_tune_run_get_run_page_url (run));
  g_assert_nonnull (dbw_fine_tune_run_get_mlflow_run_id (run));
  g_assert_nonnull (dbw_fine_tune_run_get_lineage_id (run));

  /* The files on the Volume are the export's, and the script is the shipped one. */
  assert_remote_equals_local (fixture, run, "train.jsonl");
  assert_remote_equals_local (fixture, run, "val.jsonl");
  {
    g_autofree char *remote = remote_file (fixture, run, "databits_finetune.py");
    g_autoptr(GBytes) script = dbw_fine_tune_get_script ();
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (remote, &contents, &length, NULL));
    g_assert_cmpmem (contents, length, g_bytes_get_data (script, NULL), g_bytes_get_size (script));
  }

  /* The job: the script with the options as parameters, on serverless compute. */
  spec = fake_databricks_get_job_run_spec (fixture->db.fake, dbw_fine_tune_run_get_remote_run_id (run));
  g_assert_nonnull (spec);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (spec), "idempotency_token"), ==,
                   dbw_fine_tune_run_get_id (run));
  task = json_array_get_object_element (json_object_get_array_member (json_node_get_object (spec), "tasks"), 0);
  g_assert_true (g_str_has_suffix (object_string (task, "spark_python_task", "python_file"), "/databits_finetune.py"));
  g_assert_cmpstr (json_object_get_string_member (task, "environment_key"), ==, "databits");
  parameters = json_object_get_array_member (json_object_get_object_member (task, "spark_python_task"), "parameters");
  {
    g_autoptr(GString) joined = g_string_new (NULL);

    for (guint i = 0; i < json_array_get_length (parameters); i++)
      g_string_append_printf (joined, "%s ", json_array_get_string_element (parameters, i));
    g_assert_nonnull (strstr (joined->str, "--base-model meta-llama/Llama-3.2-1B-Instruct "));
    g_assert_nonnull (strstr (joined->str, "--epochs 2 "));
    g_assert_nonnull (strstr (joined->str, "--learning-rate 0.0001 "));
    g_assert_nonnull (strstr (joined->str, "--registered-model-name " MODEL_NAME " "));
    g_assert_nonnull (strstr (joined->str, "--experiment /Shared/databits "));
    g_assert_nonnull (strstr (joined->str, "/val.jsonl "));
  }

  /* MLflow: params, counts and metrics in one log-batch, tags naming the project's rows. */
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.0/mlflow/runs/log-batch"), ==, 1);
  mlflow = fake_databricks_get_mlflow_run (fixture->db.fake, dbw_fine_tune_run_get_mlflow_run_id (run));
  g_assert_nonnull (mlflow);
  g_assert_cmpstr (object_string (json_node_get_object (mlflow), "params", "base_model"), ==,
                   "meta-llama/Llama-3.2-1B-Instruct");
  g_assert_cmpstr (object_string (json_node_get_object (mlflow), "params", "train_pair_count"), ==, "3");
  g_assert_cmpstr (object_string (json_node_get_object (mlflow), "params", "val_pair_count"), ==, "1");
  g_assert_cmpstr (object_string (json_node_get_object (mlflow), "params", "export_id"), ==, fixture->export_id);
  g_assert_cmpstr (object_string (json_node_get_object (mlflow), "tags", "databits.job_run_id"), ==,
                   dbw_fine_tune_run_get_id (run));
  g_assert_cmpstr (object_string (json_node_get_object (mlflow), "tags", "databits.training_run_id"), ==,
                   "trainer-run-1");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (mlflow), "status"), ==, "FINISHED");
  metrics = json_object_get_array_member (json_node_get_object (mlflow), "metrics");
  for (guint i = 0; i < json_array_get_length (metrics); i++)
    {
      JsonObject *metric = json_array_get_object_element (metrics, i);

      if (g_strcmp0 (json_object_get_string_member (metric, "key"), "train_loss") == 0)
        found_loss = json_object_get_double_member (metric, "value") == 0.42;
    }
  g_assert_true (found_loss);

  /* job_runs */
  sql = g_strdup_printf ("SELECT status || '|' || progress || '|' || remote_run_id || '|' || "
                         "json_extract (result, '$.mlflow_run_id') || '|' || json_extract (result, '$.model_version') "
                         "FROM job_runs WHERE id = '%s' AND job_type = 'fine_tune'", dbw_fine_tune_run_get_id (run));
  text = query_text (fixture->path, sql);
  {
    g_autofree char *expected = g_strdup_printf ("succeeded|1.0|%" G_GINT64_FORMAT "|%s|3",
                                                 dbw_fine_tune_run_get_remote_run_id (run),
                                                 dbw_fine_tune_run_get_mlflow_run_id (run));

    g_assert_cmpstr (text, ==, expected);
  }

  /* model_training_lineage, read through the record class */
  lineage = dbw_store_get (fixture->store, DBW_TYPE_MODEL_LINEAGE, dbw_fine_tune_run_get_lineage_id (run), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_model_lineage_get_model_name (lineage), ==, MODEL_NAME);
  g_assert_cmpstr (dbw_model_lineage_get_model_version (lineage), ==, "3");
  g_assert_cmpstr (dbw_model_lineage_get_training_sheet_id (lineage), ==, fixture->training_sheet_id);
  g_assert_cmpstr (dbw_model_lineage_get_export_id (lineage), ==, fixture->export_id);
  g_assert_cmpstr (dbw_model_lineage_get_job_run_id (lineage), ==, dbw_fine_tune_run_get_id (run));
  g_assert_cmpstr (dbw_model_lineage_get_mlflow_run_id (lineage), ==, dbw_fine_tune_run_get_mlflow_run_id (run));
  g_assert_cmpint (dbw_model_lineage_get_train_pair_count (lineage), ==, 3);
  g_assert_cmpint (dbw_model_lineage_get_val_pair_count (lineage), ==, 1);
  g_assert_cmpstr (dbw_model_lineage_get_created_by (lineage), ==, "tester");
  g_assert_nonnull (dbw_model_lineage_get_trained_at (lineage));
  g_assert_cmpint (test_query_int (fixture->path,
                                   "SELECT json_array_length (qa_pair_ids) FROM model_training_lineage"), ==, 4);
  g_assert_cmpint (test_query_int (fixture->path,
                                   "SELECT json_extract (training_config, '$.epochs') FROM model_training_lineage"), ==, 2);

  active = dbw_fine_tune_run_list_active (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (active), ==, 0);

  /* Nothing secret on the way. */
  assert_not_logged (TOKEN);
}

static void
test_failed_job (FtFixture     *fixture,
                 gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;

  fake_databricks_set_job_script (fixture->db.fake, 1, "FAILED", "CUDA out of memory", RESULT_OK);

  g_assert_false (run_to_end (run, NULL, &error));
  g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "CUDA out of memory"));
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_FAILED);
  g_assert_null (dbw_fine_tune_run_get_lineage_id (run));

  sql = g_strdup_printf ("SELECT status || '|' || error FROM job_runs WHERE id = '%s'", dbw_fine_tune_run_get_id (run));
  text = query_text (fixture->path, sql);
  g_assert_true (g_str_has_prefix (text, "failed|"));
  g_assert_nonnull (strstr (text, "CUDA out of memory"));
  g_assert_cmpint (test_query_int (fixture->path, "SELECT count(*) FROM model_training_lineage"), ==, 0);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.0/mlflow/runs/create"), ==, 0);

  /* Following it again reports the same failure without asking the workspace. */
  fake_databricks_clear_requests (fixture->db.fake);
  g_clear_error (&error);
  g_assert_false (run_to_end (run, NULL, &error));
  g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_FAILED);
  g_assert_cmpuint (count_requests_under (fixture->db.fake, "/api/"), ==, 0);
}

typedef struct
{
  DbwFineTuneRun *run;
  GAsyncResult *result;
  gboolean scheduled;
} CancelData;

static void
on_state_cb (DbwFineTuneRun *run,
             GParamSpec     *pspec,
             gpointer        user_data)
{
  CancelData *data = user_data;

  /* Cancel as soon as the job is in the workspace. */
  if (dbw_fine_tune_run_get_state (run) == DBW_FINE_TUNE_STATE_PENDING && data->result == NULL)
    dbw_fine_tune_run_cancel_async (run, NULL, store_result_cb, &data->result);
}

static void
test_cancel (FtFixture     *fixture,
             gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  CancelData cancel = { run, NULL };

  /* A job that would run for a long while. */
  fake_databricks_set_job_script (fixture->db.fake, 100000, "SUCCESS", "", RESULT_OK);
  g_signal_connect (run, "notify::state", G_CALLBACK (on_state_cb), &cancel);

  g_assert_false (run_to_end (run, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_for (&cancel.result);
  g_assert_true (dbw_fine_tune_run_cancel_finish (run, cancel.result, NULL));
  g_clear_object (&cancel.result);

  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_CANCELLED);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.2/jobs/runs/cancel"), ==, 1);
  sql = g_strdup_printf ("SELECT status = 'cancelled' AND completed_at IS NOT NULL FROM job_runs WHERE id = '%s'",
                         dbw_fine_tune_run_get_id (run));
  g_assert_cmpint (test_query_int (fixture->path, sql), ==, 1);
  g_assert_cmpint (test_query_int (fixture->path, "SELECT count(*) FROM model_training_lineage"), ==, 0);
}

static gboolean
cancel_later_cb (gpointer user_data)
{
  CancelData *data = user_data;

  dbw_fine_tune_run_cancel_async (data->run, NULL, store_result_cb, &data->result);
  return G_SOURCE_REMOVE;
}

static void
on_uploaded_cb (DbwFineTuneRun *run,
                GParamSpec     *pspec,
                gpointer        user_data)
{
  CancelData *data = user_data;

  /* Every file is up and the submission is on its way. */
  if (!data->scheduled && dbw_fine_tune_run_get_state (run) == DBW_FINE_TUNE_STATE_UPLOADING &&
      dbw_fine_tune_run_get_progress (run) >= 0.1)
    {
      data->scheduled = TRUE;
      g_timeout_add (100, cancel_later_cb, data);
    }
}

static void
test_cancel_while_submitting (FtFixture     *fixture,
                              gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(GError) error = NULL;
  CancelData cancel = { run, NULL };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  fake_databricks_set_job_script (fixture->db.fake, 100000, "SUCCESS", "", RESULT_OK);
  fake_databricks_add_fault (fixture->db.fake, "/api/2.2/jobs/runs/submit", FAKE_FAULT_DELAY, 1, 400);
  g_signal_connect (run, "notify::progress", G_CALLBACK (on_uploaded_cb), &cancel);

  g_assert_false (run_to_end (run, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_for (&cancel.result);
  g_assert_true (dbw_fine_tune_run_cancel_finish (run, cancel.result, NULL));
  g_clear_object (&cancel.result);
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_CANCELLED);

  /* The job the workspace started meanwhile is stopped when its id comes back. */
  while (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.2/jobs/runs/cancel") == 0 &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fixture->db.fake), ==, 1);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.2/jobs/runs/cancel"), ==, 1);
  g_assert_cmpint (dbw_fine_tune_run_get_remote_run_id (run), >, 0);
}

static void
test_invalid_jsonl (FtFixture     *fixture,
                    gconstpointer  data)
{
  const char *lines[] = {
    train_lines[0],
    /* the user has the last word: a trainer would refuse it */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}, {\"role\": \"user\", \"content\": \"And?\"}]}",
  };
  g_autoptr(DbwFineTuneRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  /* An export written so (by hand, or before the checker): its recorded hash is this file's. */
  write_lines (fixture->export_dir, "train.jsonl", lines, G_N_ELEMENTS (lines));
  record_hashes (fixture, fixture->export_id);
  run = new_run (fixture);

  g_assert_false (run_to_end (run, NULL, &error));
  g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "train.jsonl"));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_FAILED);

  /* Refused before anything went to the workspace. */
  g_assert_cmpuint (count_requests_under (fixture->db.fake, "/api/"), ==, 0);
  sql = g_strdup_printf ("SELECT status = 'failed' AND error LIKE '%%line 2%%' FROM job_runs WHERE id = '%s'",
                         dbw_fine_tune_run_get_id (run));
  g_assert_cmpint (test_query_int (fixture->path, sql), ==, 1);
}

/* Files that are not the export's — edited since, or another export's in the same folder —
 * would be trained on under this export's lineage: refused before anything is uploaded. */
static void
test_changed_file (FtFixture     *fixture,
                   gconstpointer  data)
{
  static const char *names[] = { "train.jsonl", "val.jsonl" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(DbwFineTuneRun) run = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = NULL;

      /* Still valid chat data, but not what the export wrote. */
      write_lines (fixture->export_dir, names[i], train_lines + 2, 1);
      run = new_run (fixture);

      g_assert_false (run_to_end (run, NULL, &error));
      g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, names[i]));
      g_assert_nonnull (strstr (error->message, "changed"));
      g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_FAILED);
      g_assert_cmpuint (count_requests_under (fixture->db.fake, "/api/"), ==, 0);
      sql = g_strdup_printf ("SELECT status = 'failed' AND error LIKE '%%changed%%' FROM job_runs WHERE id = '%s'",
                             dbw_fine_tune_run_get_id (run));
      g_assert_cmpint (test_query_int (fixture->path, sql), ==, 1);

      /* Put back, the same export runs. */
      if (i == 0)
        write_lines (fixture->export_dir, names[i], train_lines, 3);
    }
}

/* A pair prohibited from training since the export, or no longer there, keeps the export's
 * files from a model: refused before anything is uploaded. */
static void
test_gate_since_export (FtFixture     *fixture,
                        gconstpointer  data)
{
  static const char *changes[] = {
    "UPDATE qa_pairs SET prohibited_uses = '[\"training\"]' WHERE id = 'p2'",
    "UPDATE qa_pairs SET allowed_uses = '[\"training\"]' WHERE id = 'p4'",  /* the validation side */
    "DELETE FROM qa_pairs WHERE id = 'p1'",
  };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(DbwFineTuneRun) run = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("%u pair", i + 1);

      test_exec (fixture->path, changes[i]);
      run = new_run (fixture);

      g_assert_false (run_to_end (run, NULL, &error));
      g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_FAILED);
      g_assert_cmpuint (count_requests_under (fixture->db.fake, "/api/"), ==, 0);
    }
}

/* An export without a split wrote data.jsonl: a train.jsonl beside it is another export's. */
static void
test_unsplit_export (FtFixture     *fixture,
                     gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE exports SET file_hashes = json_object ('data.jsonl', 'ab') "
                                          "WHERE id = '%s'", fixture->export_id);

  test_exec (fixture->path, sql);
  run = new_run (fixture);

  g_assert_false (run_to_end (run, NULL, &error));
  g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no train.jsonl"));
  g_assert_cmpuint (count_requests_under (fixture->db.fake, "/api/"), ==, 0);
}

/* An export without a validation file ignores a val.jsonl that another export left in the
 * folder: only train.jsonl is checked and uploaded. */
static void
test_stray_val (FtFixture     *fixture,
                gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *train = file_sha256 (fixture->export_dir, "train.jsonl");
  g_autofree char *sql = g_strdup_printf ("UPDATE exports SET file_hashes = json_object ('train.jsonl', '%s') "
                                          "WHERE id = '%s'", train, fixture->export_id);
  g_autofree char *val = NULL;

  test_exec (fixture->path, sql);
  fake_databricks_set_job_script (fixture->db.fake, 1, "SUCCESS", "", RESULT_OK);
  run = new_run (fixture);

  g_assert_true (run_to_end (run, NULL, &error));
  g_assert_no_error (error);
  val = remote_file (fixture, run, "val.jsonl");
  g_assert_false (g_file_test (val, G_FILE_TEST_EXISTS));
  assert_remote_equals_local (fixture, run, "train.jsonl");
}

/* A loss that diverged, written by Python's json as a bare NaN: the run still succeeds
 * with the model it registered and its lineage; the text of a string is kept. */
static void
test_non_finite_metric (FtFixture     *fixture,
                        gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(GError) error = NULL;

  fake_databricks_set_job_script (fixture->db.fake, 1, "SUCCESS", "",
                                  "{\"model_version\": \"3\", \"training_run_id\": \"trainer-run-1\", "
                                  "\"note\": \"loss was NaN\", "
                                  "\"metrics\": {\"train_loss\": NaN, \"grad_norm\": -Infinity, \"eval_loss\": 0.5}}");
  g_assert_true (run_to_end (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_SUCCEEDED);
  g_assert_cmpstr (dbw_fine_tune_run_get_model_version (run), ==, "3");
  g_assert_nonnull (dbw_fine_tune_run_get_lineage_id (run));
  g_assert_cmpint (test_query_int (fixture->path, "SELECT count (*) FROM job_runs WHERE json_extract (result, '$.note') = 'loss was NaN'"), ==, 1);
}

/* A split whose pairs are allowed for training only writes an empty val.jsonl: the model
 * trains without a validation set. */
static void
test_empty_val (FtFixture     *fixture,
                gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *train = NULL;
  g_autofree char *val = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *remote_val = NULL;

  write_lines (fixture->export_dir, "val.jsonl", train_lines, 0);
  train = file_sha256 (fixture->export_dir, "train.jsonl");
  val = file_sha256 (fixture->export_dir, "val.jsonl");
  sql = g_strdup_printf ("UPDATE exports SET file_hashes = json_object ('train.jsonl', '%s', 'val.jsonl', '%s') "
                         "WHERE id = '%s'", train, val, fixture->export_id);
  test_exec (fixture->path, sql);
  fake_databricks_set_job_script (fixture->db.fake, 1, "SUCCESS", "", RESULT_OK);
  run = new_run (fixture);

  g_assert_true (run_to_end (run, NULL, &error));
  g_assert_no_error (error);
  remote_val = remote_file (fixture, run, "val.jsonl");
  g_assert_false (g_file_test (remote_val, G_FILE_TEST_EXISTS));
  assert_remote_equals_local (fixture, run, "train.jsonl");
}

static void
on_trained_cb (DbwFineTuneRun *run,
               GParamSpec     *pspec,
               gpointer        user_data)
{
  GAsyncResult **cancelled = user_data;

  /* The job has succeeded in the workspace; the app is logging to MLflow. */
  if (*cancelled == NULL && dbw_fine_tune_run_get_state (run) == DBW_FINE_TUNE_STATE_RUNNING &&
      dbw_fine_tune_run_get_progress (run) >= 0.9)
    {
      /* Which the Train page shows by hiding Cancel. */
      g_assert_false (dbw_fine_tune_run_get_can_cancel (run));
      dbw_fine_tune_run_cancel_async (run, NULL, store_result_cb, cancelled);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* Cancel pressed once the job has succeeded: its model is registered, so the run records
 * it and its lineage rather than end as cancelled. */
static void
test_cancel_after_success (FtFixture     *fixture,
                           gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  guint n_can_cancel = 0;

  fake_databricks_set_job_script (fixture->db.fake, 1, "SUCCESS", "", RESULT_OK);
  fake_databricks_add_fault (fixture->db.fake, "/api/2.0/mlflow/runs/create", FAKE_FAULT_DELAY, 1, 300);
  g_signal_connect (run, "notify::progress", G_CALLBACK (on_trained_cb), &cancelled);
  g_signal_connect (run, "notify::can-cancel", G_CALLBACK (count_notify_cb), &n_can_cancel);
  g_assert_true (dbw_fine_tune_run_get_can_cancel (run));

  g_assert_true (run_to_end (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (cancelled);
  g_assert_true (dbw_fine_tune_run_cancel_finish (run, cancelled, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_SUCCEEDED);
  g_assert_nonnull (dbw_fine_tune_run_get_lineage_id (run));
  g_assert_cmpint (test_query_int (fixture->path, "SELECT count (*) FROM model_training_lineage"), ==, 1);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.2/jobs/runs/cancel"), ==, 0);
  g_assert_false (dbw_fine_tune_run_get_can_cancel (run));
  /* Once, when the job succeeded; not again when the run ended. */
  g_assert_cmpuint (n_can_cancel, ==, 1);
}

static void
on_remote_id_cb (DbwFineTuneRun *run,
                 GParamSpec     *pspec,
                 gpointer        user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_reopen (FtFixture     *fixture,
             gconstpointer  data)
{
  g_autoptr(DbwFineTuneRun) run = new_run (fixture);
  g_autoptr(DbwFineTuneRun) reopened = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) active = NULL;
  g_autofree char *id = g_strdup (dbw_fine_tune_run_get_id (run));
  g_autofree char *result_path = NULL;
  gint64 remote_run_id;

  /* The app quits while the job waits for compute. */
  g_signal_connect (run, "notify::remote-run-id", G_CALLBACK (on_remote_id_cb), cancellable);
  g_assert_false (run_to_end (run, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  remote_run_id = dbw_fine_tune_run_get_remote_run_id (run);
  g_assert_cmpint (remote_run_id, >, 0);
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), ==, DBW_FINE_TUNE_STATE_PENDING);
  result_path = remote_file (fixture, run, "result.json");
  g_clear_object (&run);

  active = dbw_fine_tune_run_list_active (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (active), ==, 1);
  g_assert_cmpstr (active[0], ==, id);

  /* Meanwhile the job ran to its end in the workspace. */
  g_assert_true (g_file_set_contents (result_path, RESULT_OK, -1, NULL));
  fake_databricks_set_job_run_state (fixture->db.fake, remote_run_id, "TERMINATED", "SUCCESS", "");

  reopened = dbw_fine_tune_run_open (fixture->store, fixture->db.client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_fine_tune_run_get_state (reopened), ==, DBW_FINE_TUNE_STATE_PENDING);
  g_assert_cmpint (dbw_fine_tune_run_get_remote_run_id (reopened), ==, remote_run_id);

  fake_databricks_clear_requests (fixture->db.fake);
  g_assert_true (run_to_end (reopened, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_fine_tune_run_get_state (reopened), ==, DBW_FINE_TUNE_STATE_SUCCEEDED);
  /* Followed, not submitted again, and nothing uploaded again. */
  g_assert_cmpuint (fake_databricks_count_requests (fixture->db.fake, "POST", "/api/2.2/jobs/runs/submit"), ==, 0);
  g_assert_cmpuint (count_requests_under (fixture->db.fake, "/api/2.0/fs/files"), ==, 1);  /* the result */
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fixture->db.fake), ==, 1);
  g_assert_cmpint (test_query_int (fixture->path,
                                   "SELECT val_pair_count FROM model_training_lineage"), ==, 1);

  g_strfreev (active);
  active = dbw_fine_tune_run_list_active (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (active), ==, 0);
}

static void
test_refused_options (FtFixture     *fixture,
                      gconstpointer  data)
{
  g_autoptr(DbwFineTuneOptions) options = make_options ();
  g_autoptr(DbwFineTuneRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *evaluation = NULL;

  g_free (options->registered_model_name);
  options->registered_model_name = g_strdup ("main.sales.bot`; DROP");
  run = dbw_fine_tune_run_new (fixture->store, fixture->db.client, fixture->export_id,
                               fixture->export_dir, options, &error);
  g_assert_null (run);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_free (options->registered_model_name);
  options->registered_model_name = g_strdup (MODEL_NAME);
  g_free (options->volume_path);
  options->volume_path = g_strdup ("/Volumes/main/../etc");
  run = dbw_fine_tune_run_new (fixture->store, fixture->db.client, fixture->export_id,
                               fixture->export_dir, options, &error);
  g_assert_null (run);
  g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID);
  g_clear_error (&error);

  g_free (options->volume_path);
  options->volume_path = g_strdup (VOLUME);
  evaluation = add_export (fixture, "evaluation");
  run = dbw_fine_tune_run_new (fixture->store, fixture->db.client, evaluation,
                               fixture->export_dir, options, &error);
  g_assert_null (run);
  g_assert_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "evaluation"));
  g_clear_error (&error);

  run = dbw_fine_tune_run_new (fixture->store, fixture->db.client, "0190aaaa-0000-7000-8000-000000000000",
                               fixture->export_dir, options, &error);
  g_assert_null (run);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The export “0190aaaa-0000-7000-8000-000000000000” does not exist");

  g_assert_cmpint (test_query_int (fixture->path, "SELECT count(*) FROM job_runs"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  test_log_capture_install ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fine-tune/script-compiles", test_script_compiles);
#define ADD(path, func) g_test_add (path, FtFixture, NULL, ft_setup, func, ft_teardown)
  ADD ("/fine-tune/happy-path", test_happy_path);
  ADD ("/fine-tune/failed", test_failed_job);
  ADD ("/fine-tune/cancel", test_cancel);
  ADD ("/fine-tune/cancel-while-submitting", test_cancel_while_submitting);
  ADD ("/fine-tune/invalid-jsonl", test_invalid_jsonl);
  ADD ("/fine-tune/changed-file", test_changed_file);
  ADD ("/fine-tune/gate-since-export", test_gate_since_export);
  ADD ("/fine-tune/stray-val", test_stray_val);
  ADD ("/fine-tune/unsplit-export", test_unsplit_export);
  ADD ("/fine-tune/reopen", test_reopen);
  ADD ("/fine-tune/non-finite-metric", test_non_finite_metric);
  ADD ("/fine-tune/empty-val", test_empty_val);
  ADD ("/fine-tune/cancel-after-success", test_cancel_after_success);
  ADD ("/fine-tune/refused-options", test_refused_options);
#undef ADD

  return g_test_run ();
}
