/* dbw-fine-tune-run.c
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

#define G_LOG_DOMAIN "dbw-fine-tune-run"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-chat-format.h"
#include "dbw-export.h"
#include "dbw-export-record.h"
#include "dbw-fine-tune-job.h"
#include "dbw-fine-tune-run.h"
#include "dbw-model-lineage.h"
#include "dbw-training-resources.h"

/* The run's files on the Volume live in one folder per job_runs row, so a retried upload
 * overwrites its own files and nothing else. */
#define SCRIPT_NAME       "databits_finetune.py"
#define SCRIPT_RESOURCE   "/io/github/databits/Workbench/training/" SCRIPT_NAME
#define RESULT_NAME       "result.json"
#define ENVIRONMENT_KEY   "databits"

/* Where progress stands at each step; the job reports no finer progress while it runs. */
#define PROGRESS_UPLOADED 0.1
#define PROGRESS_RUNNING  0.3
#define PROGRESS_TRAINED  0.9

static const char run_tag[] = "dbw_fine_tune_run_run_async";
static const char cancel_tag[] = "dbw_fine_tune_run_cancel_async";
static const char validate_tag[] = "dbw_fine_tune_run_validate";

struct _DbwFineTuneRun
{
  GObject             parent_instance;

  DbwStore           *store;
  DbwDatabricks      *databricks;
  char               *id;
  char               *export_id;
  char               *training_sheet_id;
  GFile              *directory;
  DbwFineTuneOptions *options;
  char               *remote_dir;

  DbwFineTuneState    state;
  double              progress;
  char               *message;
  gint64              remote_run_id;
  gboolean            job_succeeded;   /* the model is registered: only its record remains */
  char               *run_page_url;
  char               *mlflow_run_id;
  char               *model_version;
  char               *lineage_id;
  char               *result;      /* JSON object text, as job_runs.result */

  gint64              n_train;
  gint64              n_val;
  gboolean            has_val;

  GTask              *task;        /* the run_async in progress */
  guint               poll_source;
  GFile              *result_file; /* the downloaded result JSON */
};

G_DEFINE_FINAL_TYPE (DbwFineTuneRun, dbw_fine_tune_run, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-fine-tune-error-quark, dbw_fine_tune_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_MESSAGE,
  PROP_REMOTE_RUN_ID,
  PROP_RUN_PAGE_URL,
  PROP_MLFLOW_RUN_ID,
  PROP_MODEL_VERSION,
  PROP_LINEAGE_ID,
  PROP_CAN_CANCEL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void poll_run (DbwFineTuneRun *self);
static gboolean poll_timeout_cb (gpointer user_data);

GType
dbw_fine_tune_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DBW_FINE_TUNE_STATE_READY, "DBW_FINE_TUNE_STATE_READY", "ready" },
        { DBW_FINE_TUNE_STATE_UPLOADING, "DBW_FINE_TUNE_STATE_UPLOADING", "uploading" },
        { DBW_FINE_TUNE_STATE_PENDING, "DBW_FINE_TUNE_STATE_PENDING", "pending" },
        { DBW_FINE_TUNE_STATE_RUNNING, "DBW_FINE_TUNE_STATE_RUNNING", "running" },
        { DBW_FINE_TUNE_STATE_SUCCEEDED, "DBW_FINE_TUNE_STATE_SUCCEEDED", "succeeded" },
        { DBW_FINE_TUNE_STATE_FAILED, "DBW_FINE_TUNE_STATE_FAILED", "failed" },
        { DBW_FINE_TUNE_STATE_CANCELLED, "DBW_FINE_TUNE_STATE_CANCELLED", "cancelled" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("DbwFineTuneState"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

DbwFineTuneOptions *
dbw_fine_tune_options_new (void)
{
  DbwFineTuneOptions *options = g_new0 (DbwFineTuneOptions, 1);

  options->epochs = 3;
  options->learning_rate = 2e-4;

  return options;
}

DbwFineTuneOptions *
dbw_fine_tune_options_copy (const DbwFineTuneOptions *options)
{
  DbwFineTuneOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_new0 (DbwFineTuneOptions, 1);
  copy->base_model = g_strdup (options->base_model);
  copy->epochs = options->epochs;
  copy->learning_rate = options->learning_rate;
  copy->registered_model_name = g_strdup (options->registered_model_name);
  copy->experiment_name = g_strdup (options->experiment_name);
  copy->volume_path = g_strdup (options->volume_path);
  copy->cluster_id = g_strdup (options->cluster_id);

  return copy;
}

void
dbw_fine_tune_options_free (DbwFineTuneOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->base_model);
  g_free (options->registered_model_name);
  g_free (options->experiment_name);
  g_free (options->volume_path);
  g_free (options->cluster_id);
  g_free (options);
}

/* --- helpers ------------------------------------------------------------------------- */

static const char *
status_for_state (DbwFineTuneState state)
{
  switch (state)
    {
    case DBW_FINE_TUNE_STATE_READY:
    case DBW_FINE_TUNE_STATE_UPLOADING:
    case DBW_FINE_TUNE_STATE_PENDING:
      return "pending";
    case DBW_FINE_TUNE_STATE_RUNNING:
      return "running";
    case DBW_FINE_TUNE_STATE_SUCCEEDED:
      return "succeeded";
    case DBW_FINE_TUNE_STATE_FAILED:
      return "failed";
    case DBW_FINE_TUNE_STATE_CANCELLED:
      return "cancelled";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_finished (DbwFineTuneState state)
{
  return state == DBW_FINE_TUNE_STATE_SUCCEEDED ||
         state == DBW_FINE_TUNE_STATE_FAILED ||
         state == DBW_FINE_TUNE_STATE_CANCELLED;
}

static gboolean
validate_volume_path (const char  *path,
                      GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (path == NULL || !g_str_has_prefix (path, "/Volumes/"))
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The volume path “%s” does not start with /Volumes/"), path != NULL ? path : "");
      return FALSE;
    }

  parts = g_strsplit (path + strlen ("/Volumes/"), "/", -1);
  n = g_strv_length (parts);
  /* A trailing slash leaves an empty last part. */
  if (n > 0 && parts[n - 1][0] == '\0')
    n--;
  if (n < 3)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The volume path “%s” does not name a catalog, a schema and a volume"), path);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (parts[i], "") || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
        {
          g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                       _("The volume path “%s” has an empty, “.” or “..” part"), path);
          return FALSE;
        }
      if (!dbw_databricks_validate_identifier (parts[i], _("volume path"), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_options (const DbwFineTuneOptions  *options,
                  GError                   **error)
{
  g_auto(GStrv) parts = NULL;

  if (options->base_model == NULL || options->base_model[0] == '\0' ||
      strpbrk (options->base_model, " \t\r\n") != NULL)
    {
      g_set_error_literal (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                           _("The base model needs a name without spaces, such as meta-llama/Llama-3.2-1B-Instruct"));
      return FALSE;
    }
  if (options->epochs < 1 || options->epochs > 100)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The number of epochs must be between 1 and 100, not %u"), options->epochs);
      return FALSE;
    }
  if (!isfinite (options->learning_rate) || options->learning_rate <= 0.0 || options->learning_rate >= 1.0)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The learning rate must be above 0 and below 1, not %g"), options->learning_rate);
      return FALSE;
    }

  parts = g_strsplit (options->registered_model_name != NULL ? options->registered_model_name : "", ".", -1);
  if (g_strv_length (parts) != 3)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The registered model name “%s” is not of the form catalog.schema.model"),
                   options->registered_model_name != NULL ? options->registered_model_name : "");
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    if (!dbw_databricks_validate_identifier (parts[i], _("registered model"), error))
      return FALSE;

  if (options->experiment_name == NULL || options->experiment_name[0] != '/')
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The MLflow experiment “%s” is not a workspace path such as /Shared/databits"),
                   options->experiment_name != NULL ? options->experiment_name : "");
      return FALSE;
    }
  if (!validate_volume_path (options->volume_path, error))
    return FALSE;
  if (options->cluster_id != NULL && options->cluster_id[0] != '\0' &&
      !dbw_databricks_validate_identifier (options->cluster_id, _("cluster"), error))
    return FALSE;

  return TRUE;
}

static char *
options_to_config (const DbwFineTuneOptions *options,
                   const char               *export_id,
                   GFile                    *directory)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_file_get_path (directory);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "export_id");
  json_builder_add_string_value (builder, export_id);
  json_builder_set_member_name (builder, "directory");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "base_model");
  json_builder_add_string_value (builder, options->base_model);
  json_builder_set_member_name (builder, "epochs");
  json_builder_add_int_value (builder, options->epochs);
  json_builder_set_member_name (builder, "learning_rate");
  json_builder_add_double_value (builder, options->learning_rate);
  json_builder_set_member_name (builder, "registered_model_name");
  json_builder_add_string_value (builder, options->registered_model_name);
  json_builder_set_member_name (builder, "experiment_name");
  json_builder_add_string_value (builder, options->experiment_name);
  json_builder_set_member_name (builder, "volume_path");
  json_builder_add_string_value (builder, options->volume_path);
  if (options->cluster_id != NULL && options->cluster_id[0] != '\0')
    {
      json_builder_set_member_name (builder, "cluster_id");
      json_builder_add_string_value (builder, options->cluster_id);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
set_string (DbwFineTuneRun  *self,
            char           **field,
            const char      *value,
            guint            prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
can_cancel (DbwFineTuneRun *self)
{
  return !is_finished (self->state) && !self->job_succeeded;
}

static void
set_state (DbwFineTuneRun   *self,
           DbwFineTuneState  state,
           double            progress)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      gboolean could_cancel = can_cancel (self);

      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      if (could_cancel != can_cancel (self))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CANCEL]);
    }
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static char *
remote_run_id_text (DbwFineTuneRun *self)
{
  return self->remote_run_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, self->remote_run_id) : NULL;
}

/* Writes where the run stands to job_runs. A failure to write is logged: the remote job
 * goes on whatever the project file says, and the next save tries again. */
static void
save (DbwFineTuneRun *self,
      const char     *error_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = remote_run_id_text (self);

  if (!dbw_fine_tune_job_save (self->store, self->id, status_for_state (self->state), self->progress,
                               remote, self->result, error_message, &error))
    g_warning ("Could not save the fine-tune run %s: %s", self->id, error->message);
}

static void
set_result_member (DbwFineTuneRun *self,
                   const char     *name,
                   const char     *value)
{
  g_autoptr(JsonObject) result = parse_object (self->result);

  if (result == NULL)
    result = json_object_new ();
  json_object_set_string_member (result, name, value);
  g_free (self->result);
  self->result = object_to_string (result);
}

static void
set_result_int (DbwFineTuneRun *self,
                const char     *name,
                gint64          value)
{
  g_autoptr(JsonObject) result = parse_object (self->result);

  if (result == NULL)
    result = json_object_new ();
  json_object_set_int_member (result, name, value);
  g_free (self->result);
  self->result = object_to_string (result);
}

static char *
remote_path (DbwFineTuneRun *self,
             const char     *name)
{
  return g_strdup_printf ("%s/%s", self->remote_dir, name);
}

/* Ends the run in progress: the state is saved and the task returns @error. */
static void
finish_with_error (DbwFineTuneRun   *self,
                   DbwFineTuneState  state,
                   GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (state != self->state)
    {
      set_state (self, state, self->progress);
      save (self, error->message);
    }
  g_task_return_error (task, error);
}

/* Following stops on a transport error or when the caller cancels; the job goes on in the
 * workspace and dbw_fine_tune_run_open() can follow it again. */
static void
stop_following (DbwFineTuneRun *self,
                GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_task_return_error (task, error);
}

/* --- validating and uploading ------------------------------------------------------------ */

typedef struct
{
  DbwStore *store;
  char     *export_id;
  GFile   *train;
  GFile   *val;
  /* What the export wrote; NULL when it does not say (then any val.jsonl is taken). */
  char    *train_sha256;
  char    *val_sha256;
  gboolean hashes_known;
  gint64   n_train;
  gint64   n_val;
  gboolean has_val;
} Validation;

static void
validation_free (Validation *v)
{
  g_clear_object (&v->store);
  g_free (v->export_id);
  g_clear_object (&v->train);
  g_clear_object (&v->val);
  g_free (v->train_sha256);
  g_free (v->val_sha256);
  g_free (v);
}

static void
validate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Validation *v = task_data;
  GError *error = NULL;
  g_autoptr(DbwStore) connection = NULL;

  /* The gate holds at every exit: a pair prohibited since the export must not reach a
   * model through the files written before. */
  connection = dbw_store_open_connection (v->store, &error);
  if (connection == NULL || !dbw_export_check_gate (connection, v->export_id, cancellable, &error))
    {
      if (connection != NULL)
        dbw_store_close (connection);
      g_task_return_error (task, error);
      return;
    }
  dbw_store_close (connection);

  /* The lineage will name the export's pairs: the files must be the ones it wrote. */
  if (v->hashes_known && v->train_sha256 == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (v->train);

      g_task_return_new_error (task, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                               _("This export wrote no train.jsonl, so the one in %s is another export’s. Export with a validation split to fine-tune."),
                               g_file_peek_path (folder));
      return;
    }
  if (v->train_sha256 != NULL && !dbw_export_verify_file (v->train, v->train_sha256, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (v->hashes_known)
    v->has_val = v->val_sha256 != NULL;
  else
    v->has_val = g_file_query_exists (v->val, cancellable);
  if (v->has_val && v->val_sha256 != NULL && !dbw_export_verify_file (v->val, v->val_sha256, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* A split whose pairs are allowed for training only leaves the validation side empty:
   * the model trains without one. */
  if (v->has_val)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (v->val, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                                     cancellable, NULL);

      if (info != NULL && g_file_info_get_size (info) == 0)
        v->has_val = FALSE;
    }

  if (!dbw_chat_jsonl_validate_file (v->train, &v->n_train, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (v->has_val && !dbw_chat_jsonl_validate_file (v->val, &v->n_val, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_late_cancel_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dbw_databricks_jobs_cancel_run_finish (DBW_DATABRICKS (object), result, &error))
    g_warning ("Could not cancel the job run %" G_GINT64_FORMAT " of the fine-tune run %s: %s",
               self->remote_run_id, self->id, error->message);
}

static void
on_submitted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  GError *error = NULL;
  gint64 run_id;

  run_id = dbw_databricks_jobs_submit_run_finish (DBW_DATABRICKS (object), result, &error);
  if (run_id > 0 && self->state == DBW_FINE_TUNE_STATE_CANCELLED)
    {
      /* Cancelled while the submission was on its way: the job must not go on alone. */
      self->remote_run_id = run_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_RUN_ID]);
      save (self, _("Cancelled"));
      dbw_databricks_jobs_cancel_run_async (self->databricks, run_id, NULL,
                                            on_late_cancel_cb, g_object_ref (self));
    }
  if (self->task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (run_id <= 0)
    {
      finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
      return;
    }

  self->remote_run_id = run_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_RUN_ID]);
  set_state (self, DBW_FINE_TUNE_STATE_PENDING, PROGRESS_UPLOADED);
  save (self, NULL);
  poll_run (self);
}

static void
add_parameter (JsonBuilder *builder,
               const char  *name,
               const char  *value)
{
  json_builder_add_string_value (builder, name);
  json_builder_add_string_value (builder, value);
}

static JsonNode *
build_spec (DbwFineTuneRun *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *script = remote_path (self, SCRIPT_NAME);
  g_autofree char *train = remote_path (self, "train.jsonl");
  g_autofree char *val = remote_path (self, "val.jsonl");
  g_autofree char *output = remote_path (self, RESULT_NAME);
  g_autofree char *epochs = g_strdup_printf ("%u", self->options->epochs);
  g_autofree char *run_name = g_strdup_printf ("databits-fine-tune-%s", self->id);
  char learning_rate[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean serverless = self->options->cluster_id == NULL || self->options->cluster_id[0] == '\0';

  g_ascii_dtostr (learning_rate, sizeof learning_rate, self->options->learning_rate);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "run_name");
  json_builder_add_string_value (builder, run_name);
  json_builder_set_member_name (builder, "tasks");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "task_key");
  json_builder_add_string_value (builder, "fine_tune");
  json_builder_set_member_name (builder, "spark_python_task");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "python_file");
  json_builder_add_string_value (builder, script);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_array (builder);
  add_parameter (builder, "--train", train);
  if (self->has_val)
    add_parameter (builder, "--val", val);
  add_parameter (builder, "--base-model", self->options->base_model);
  add_parameter (builder, "--epochs", epochs);
  add_parameter (builder, "--learning-rate", learning_rate);
  add_parameter (builder, "--registered-model-name", self->options->registered_model_name);
  add_parameter (builder, "--experiment", self->options->experiment_name);
  add_parameter (builder, "--output", output);
  add_parameter (builder, "--run-name", run_name);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (serverless)
    {
      json_builder_set_member_name (builder, "environment_key");
      json_builder_add_string_value (builder, ENVIRONMENT_KEY);
    }
  else
    {
      json_builder_set_member_name (builder, "existing_cluster_id");
      json_builder_add_string_value (builder, self->options->cluster_id);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  if (serverless)
    {
      static const char *dependencies[] = {
        "transformers>=4.46", "trl>=0.12", "peft>=0.13", "datasets", "accelerate", "mlflow>=2.17",
      };

      json_builder_set_member_name (builder, "environments");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "environment_key");
      json_builder_add_string_value (builder, ENVIRONMENT_KEY);
      json_builder_set_member_name (builder, "spec");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "client");
      json_builder_add_string_value (builder, "2");
      json_builder_set_member_name (builder, "dependencies");
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (dependencies); i++)
        json_builder_add_string_value (builder, dependencies[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
submit (DbwFineTuneRun *self)
{
  g_autoptr(JsonNode) spec = NULL;

  /* A handler of the last notification may have cancelled the run. */
  if (self->task == NULL)
    return;

  spec = build_spec (self);

  /* The job_runs id is the token: submitting again after a lost answer starts no second run. */
  dbw_databricks_jobs_submit_run_async (self->databricks, spec, self->id,
                                        g_task_get_cancellable (self->task),
                                        on_submitted_cb, g_object_ref (self));
}

/* The files go up one after the other: the script, train.jsonl, then val.jsonl. */
typedef enum
{
  UPLOAD_SCRIPT,
  UPLOAD_TRAIN,
  UPLOAD_VAL,
  UPLOAD_DONE,
} UploadStep;

static void upload_next (DbwFineTuneRun *self, UploadStep step);

typedef struct
{
  DbwFineTuneRun *self;
  UploadStep      next;
} UploadData;

static void
on_uploaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  UploadData *data = user_data;
  g_autoptr(DbwFineTuneRun) self = data->self;
  UploadStep next = data->next;
  GError *error = NULL;

  g_free (data);
  if (self->task == NULL)
    return;

  /* The script goes up from memory, the data from its files. */
  if (!(next == UPLOAD_TRAIN ?
        dbw_databricks_upload_bytes_finish (DBW_DATABRICKS (object), result, &error) :
        dbw_databricks_upload_file_finish (DBW_DATABRICKS (object), result, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        stop_following (self, error);
      else
        finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
      return;
    }

  set_state (self, DBW_FINE_TUNE_STATE_UPLOADING, PROGRESS_UPLOADED * (double) next / UPLOAD_DONE);
  if (self->task != NULL)
    upload_next (self, next);
}

static void
upload_next (DbwFineTuneRun *self,
             UploadStep      step)
{
  g_autoptr(GFile) source = NULL;
  g_autofree char *path = NULL;
  UploadData *data;

  if (step == UPLOAD_VAL && !self->has_val)
    step = UPLOAD_DONE;
  if (step == UPLOAD_DONE)
    {
      submit (self);
      return;
    }

  data = g_new0 (UploadData, 1);
  data->self = g_object_ref (self);
  data->next = step + 1;

  switch (step)
    {
    case UPLOAD_SCRIPT:
      {
        g_autoptr(GBytes) script = dbw_fine_tune_get_script ();

        path = remote_path (self, SCRIPT_NAME);
        dbw_databricks_upload_bytes_async (self->databricks, path, script, TRUE,
                                           g_task_get_cancellable (self->task), on_uploaded_cb, data);
        return;
      }
    case UPLOAD_TRAIN:
      source = g_file_get_child (self->directory, "train.jsonl");
      path = remote_path (self, "train.jsonl");
      break;
    case UPLOAD_VAL:
      source = g_file_get_child (self->directory, "val.jsonl");
      path = remote_path (self, "val.jsonl");
      break;
    case UPLOAD_DONE:
    default:
      g_assert_not_reached ();
    }

  dbw_databricks_upload_file_async (self->databricks, path, source, TRUE,
                                    g_task_get_cancellable (self->task), on_uploaded_cb, data);
}

static void
on_directory_created_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  if (!dbw_databricks_create_directory_finish (DBW_DATABRICKS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        stop_following (self, error);
      else
        finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
      return;
    }

  upload_next (self, UPLOAD_SCRIPT);
}

static void
on_validated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DbwFineTuneRun *self = DBW_FINE_TUNE_RUN (object);
  Validation *v = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (self->task == NULL)
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          stop_following (self, error);
          return;
        }
      if (error->domain != DBW_FINE_TUNE_ERROR)
        {
          GError *invalid = g_error_new_literal (DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                                                 error->message);

          g_error_free (error);
          error = invalid;
        }
      finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
      return;
    }

  self->n_train = v->n_train;
  self->n_val = v->has_val ? v->n_val : 0;
  self->has_val = v->has_val;
  /* Kept with the run, so a run reopened later still knows what it trained on. */
  set_result_int (self, "train_count", self->n_train);
  set_result_int (self, "val_count", self->n_val);

  set_state (self, DBW_FINE_TUNE_STATE_UPLOADING, 0.0);
  save (self, NULL);
  if (self->task == NULL)
    return;
  dbw_databricks_create_directory_async (self->databricks, self->remote_dir,
                                         g_task_get_cancellable (self->task),
                                         on_directory_created_cb, g_object_ref (self));
}

static void
start_upload (DbwFineTuneRun *self)
{
  g_autoptr(GHashTable) hashes = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Validation *v;

  hashes = dbw_export_lookup_file_hashes (self->store, self->export_id, &error);
  if (hashes == NULL)
    {
      finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
      return;
    }

  task = g_task_new (self, g_task_get_cancellable (self->task), on_validated_cb, NULL);
  v = g_new0 (Validation, 1);
  v->store = g_object_ref (self->store);
  v->export_id = g_strdup (self->export_id);
  v->train = g_file_get_child (self->directory, "train.jsonl");
  v->val = g_file_get_child (self->directory, "val.jsonl");
  v->train_sha256 = g_strdup (g_hash_table_lookup (hashes, "train.jsonl"));
  v->val_sha256 = g_strdup (g_hash_table_lookup (hashes, "val.jsonl"));
  v->hashes_known = g_hash_table_size (hashes) > 0;
  g_task_set_source_tag (task, (gpointer) validate_tag);
  g_task_set_task_data (task, v, (GDestroyNotify) validation_free);
  g_task_run_in_thread (task, validate_thread);
}

/* --- after the job: MLflow and lineage ------------------------------------------------- */

static void
complete (DbwFineTuneRun *self)
{
  g_autoptr(DbwModelLineage) lineage = dbw_model_lineage_new ();
  g_autoptr(DbwExportRecord) export = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  g_autofree char *job_config = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_now_utc ();
  g_autoptr(GTask) task = NULL;

  export = dbw_store_get (self->store, DBW_TYPE_EXPORT_RECORD, self->export_id, &error);
  if (export == NULL)
    {
      finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, g_steal_pointer (&error));
      return;
    }

  now = g_date_time_format_iso8601 (time);
  job_config = options_to_config (self->options, self->export_id, self->directory);
  dbw_model_lineage_set_model_name (lineage, self->options->registered_model_name);
  dbw_model_lineage_set_model_version (lineage, self->model_version);
  dbw_model_lineage_set_training_sheet_id (lineage, dbw_export_record_get_training_sheet_ids (export)[0]);
  dbw_model_lineage_set_qa_pair_ids (lineage, dbw_export_record_get_qa_pair_ids (export));
  dbw_model_lineage_set_train_pair_count (lineage, self->n_train);
  dbw_model_lineage_set_val_pair_count (lineage, self->n_val);
  dbw_model_lineage_set_training_config (lineage, job_config);
  dbw_model_lineage_set_mlflow_run_id (lineage, self->mlflow_run_id);
  dbw_model_lineage_set_job_run_id (lineage, self->id);
  dbw_model_lineage_set_export_id (lineage, self->export_id);
  dbw_model_lineage_set_trained_at (lineage, now);
  dbw_model_lineage_set_created_by (lineage, dbw_store_get_user (self->store));

  if (!dbw_fine_tune_job_complete (self->store, self->id, self->result, lineage, &error))
    {
      finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, g_steal_pointer (&error));
      return;
    }

  set_string (self, &self->lineage_id, dbw_record_get_id (DBW_RECORD (lineage)), PROP_LINEAGE_ID);
  set_state (self, DBW_FINE_TUNE_STATE_SUCCEEDED, 1.0);

  task = g_steal_pointer (&self->task);
  g_task_return_boolean (task, TRUE);
}

static GHashTable *
build_params (DbwFineTuneRun *self)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  char learning_rate[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (learning_rate, sizeof learning_rate, self->options->learning_rate);
  g_hash_table_insert (params, (char *) "base_model", g_strdup (self->options->base_model));
  g_hash_table_insert (params, (char *) "epochs", g_strdup_printf ("%u", self->options->epochs));
  g_hash_table_insert (params, (char *) "learning_rate", g_strdup (learning_rate));
  g_hash_table_insert (params, (char *) "registered_model_name", g_strdup (self->options->registered_model_name));
  g_hash_table_insert (params, (char *) "export_id", g_strdup (self->export_id));
  g_hash_table_insert (params, (char *) "job_run_id", g_strdup (self->id));
  g_hash_table_insert (params, (char *) "databricks_run_id", remote_run_id_text (self));
  g_hash_table_insert (params, (char *) "train_pair_count", g_strdup_printf ("%" G_GINT64_FORMAT, self->n_train));
  g_hash_table_insert (params, (char *) "val_pair_count", g_strdup_printf ("%" G_GINT64_FORMAT, self->n_val));
  /* Artifacts stay on the Volume; the run names where. */
  g_hash_table_insert (params, (char *) "artifact_train", remote_path (self, "train.jsonl"));
  if (self->has_val)
    g_hash_table_insert (params, (char *) "artifact_val", remote_path (self, "val.jsonl"));
  g_hash_table_insert (params, (char *) "artifact_script", remote_path (self, SCRIPT_NAME));
  g_hash_table_insert (params, (char *) "artifact_result", remote_path (self, RESULT_NAME));
  if (self->model_version != NULL)
    g_hash_table_insert (params, (char *) "model_version", g_strdup (self->model_version));

  return params;
}

static GPtrArray *
build_metrics (JsonObject *outcome)
{
  GPtrArray *metrics = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_mlflow_metric_free);
  JsonObject *values = NULL;
  gint64 now = g_get_real_time () / 1000;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (outcome != NULL && json_object_has_member (outcome, "metrics") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (outcome, "metrics")))
    values = json_object_get_object_member (outcome, "metrics");
  if (values == NULL)
    return metrics;

  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &key, &node))
    {
      double value;

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      value = json_node_get_double (node);
      /* MLflow refuses NaN and infinities; a metric the trainer could not compute is left out. */
      if (!isfinite (value))
        continue;
      g_ptr_array_add (metrics, dbw_mlflow_metric_new (key, value, now, 0));
    }

  return metrics;
}

static void
on_mlflow_terminated_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  if (!dbw_databricks_mlflow_set_terminated_finish (DBW_DATABRICKS (object), result, &error))
    {
      stop_following (self, error);
      return;
    }

  complete (self);
}

static void
on_mlflow_logged_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  if (!dbw_databricks_mlflow_log_batch_finish (DBW_DATABRICKS (object), result, &error))
    {
      stop_following (self, error);
      return;
    }

  dbw_databricks_mlflow_set_terminated_async (self->databricks, self->mlflow_run_id, DBW_MLFLOW_RUN_FINISHED,
                                              g_task_get_cancellable (self->task),
                                              on_mlflow_terminated_cb, g_object_ref (self));
}

static void
log_to_mlflow (DbwFineTuneRun *self)
{
  g_autoptr(GHashTable) params = build_params (self);
  g_autoptr(JsonObject) outcome = parse_object (self->result);
  g_autoptr(GPtrArray) metrics = build_metrics (outcome);

  dbw_databricks_mlflow_log_batch_async (self->databricks, self->mlflow_run_id, params, metrics,
                                         g_task_get_cancellable (self->task),
                                         on_mlflow_logged_cb, g_object_ref (self));
}

static void
on_mlflow_run_created_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  g_autofree char *run_id = NULL;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  run_id = dbw_databricks_mlflow_create_run_finish (DBW_DATABRICKS (object), result, &error);
  if (run_id == NULL)
    {
      stop_following (self, error);
      return;
    }

  set_string (self, &self->mlflow_run_id, run_id, PROP_MLFLOW_RUN_ID);
  /* Saved before logging, so a run followed again after a crash logs into this MLflow
   * run rather than making a second one. */
  set_result_member (self, "mlflow_run_id", run_id);
  save (self, NULL);
  log_to_mlflow (self);
}

static void
on_experiment_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  g_autofree char *experiment_id = NULL;
  g_autoptr(GHashTable) tags = NULL;
  g_autofree char *run_name = NULL;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  experiment_id = dbw_databricks_mlflow_get_experiment_finish (DBW_DATABRICKS (object), result, &error);
  if (experiment_id == NULL)
    {
      stop_following (self, error);
      return;
    }

  tags = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (tags, (char *) "databits.job_run_id", g_strdup (self->id));
  g_hash_table_insert (tags, (char *) "databits.export_id", g_strdup (self->export_id));
  g_hash_table_insert (tags, (char *) "databits.databricks_run_id", remote_run_id_text (self));
  g_hash_table_insert (tags, (char *) "databits.registered_model_name", g_strdup (self->options->registered_model_name));
  if (self->training_sheet_id != NULL)
    g_hash_table_insert (tags, (char *) "databits.training_sheet_id", g_strdup (self->training_sheet_id));
  {
    g_autoptr(JsonObject) outcome = parse_object (self->result);
    const char *training_run = outcome != NULL ?
      json_object_get_string_member_with_default (outcome, "training_run_id", NULL) : NULL;

    if (training_run != NULL)
      g_hash_table_insert (tags, (char *) "databits.training_run_id", g_strdup (training_run));
  }
  run_name = g_strdup_printf ("databits-fine-tune-%s", self->id);

  dbw_databricks_mlflow_create_run_async (self->databricks, experiment_id, run_name, tags,
                                          g_task_get_cancellable (self->task),
                                          on_mlflow_run_created_cb, g_object_ref (self));
}

static void
track (DbwFineTuneRun *self)
{
  if (self->mlflow_run_id != NULL)
    {
      log_to_mlflow (self);
      return;
    }

  dbw_databricks_mlflow_get_experiment_async (self->databricks, self->options->experiment_name, TRUE,
                                              g_task_get_cancellable (self->task),
                                              on_experiment_cb, g_object_ref (self));
}

/* Python's json writes a diverged loss as a bare NaN or Infinity, which is not JSON: read as
 * null, so the model the run registered is not lost over one metric. Strings are kept.
 * The script this build uploads leaves such metrics out (allow_nan=False); this serves the
 * results of jobs an earlier build submitted, still running across an upgrade. */
static char *
null_non_finite (const char *text)
{
  static const char * const words[] = { "-Infinity", "Infinity", "NaN" };
  GString *out = g_string_sized_new (strlen (text));
  gboolean in_string = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_string)
        {
          g_string_append_c (out, *p);
          if (*p == '\\' && p[1] != '\0')
            g_string_append_c (out, *++p);
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        if (g_str_has_prefix (p, words[w]))
          {
            g_string_append (out, "null");
            p += strlen (words[w]) - 1;
            goto next;
          }
      g_string_append_c (out, *p);
    next:
      ;
    }

  return g_string_free (out, FALSE);
}

static gboolean
read_outcome (DbwFineTuneRun  *self,
              GError         **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonObject) outcome = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *path = g_file_get_path (self->result_file);
  gsize length;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  outcome = parse_object (contents);
  if (outcome == NULL)
    {
      g_autofree char *nulled = null_non_finite (contents);

      outcome = parse_object (nulled);
    }
  if (outcome == NULL)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_FAILED,
                   _("The training script’s result %s/%s is not a JSON object"),
                   self->remote_dir, RESULT_NAME);
      return FALSE;
    }

  /* The job_runs result: what the script reported, plus what the app already knew. */
  result = parse_object (self->result);
  if (result == NULL)
    result = json_object_new ();
  json_object_iter_init (&iter, outcome);
  while (json_object_iter_next (&iter, &key, &node))
    json_object_set_member (result, key, json_node_copy (node));
  g_free (self->result);
  self->result = object_to_string (result);

  if (json_object_has_member (outcome, "model_version"))
    {
      JsonNode *version = json_object_get_member (outcome, "model_version");
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (version) && json_node_get_value_type (version) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (version));
      else if (JSON_NODE_HOLDS_VALUE (version) && json_node_get_value_type (version) == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (version));
      set_string (self, &self->model_version, text, PROP_MODEL_VERSION);
    }

  return TRUE;
}

static void
on_result_downloaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  if (!dbw_databricks_download_file_finish (DBW_DATABRICKS (object), result, &error))
    {
      if (g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND))
        {
          g_autofree char *message =
            g_strdup_printf (_("The job succeeded but left no result at %s/%s"), self->remote_dir, RESULT_NAME);

          g_error_free (error);
          error = g_error_new_literal (DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_FAILED, message);
          finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
        }
      else
        stop_following (self, error);
      return;
    }

  if (!read_outcome (self, &error))
    {
      finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
      return;
    }

  set_state (self, DBW_FINE_TUNE_STATE_RUNNING, PROGRESS_TRAINED);
  track (self);
}

static void
fetch_outcome (DbwFineTuneRun *self)
{
  g_autofree char *path = remote_path (self, RESULT_NAME);
  g_autofree char *name = g_strdup_printf ("databits-fine-tune-%s-XXXXXX.json", self->id);
  g_autoptr(GFileIOStream) stream = NULL;
  GError *error = NULL;

  if (self->result_file == NULL)
    {
      self->result_file = g_file_new_tmp (name, &stream, &error);
      if (self->result_file == NULL)
        {
          finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED, error);
          return;
        }
    }

  dbw_databricks_download_file_async (self->databricks, path, self->result_file,
                                      g_task_get_cancellable (self->task),
                                      on_result_downloaded_cb, g_object_ref (self));
}

/* --- following ---------------------------------------------------------------------------- */

static void
on_polled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DbwFineTuneRun) self = user_data;
  g_autoptr(DbwJobRun) run = NULL;
  const char *life_cycle;
  const char *result_state;
  GError *error = NULL;

  if (self->task == NULL)
    return;

  run = dbw_databricks_jobs_get_run_finish (DBW_DATABRICKS (object), result, &error);
  if (run == NULL)
    {
      stop_following (self, error);
      return;
    }

  set_string (self, &self->run_page_url, dbw_job_run_get_run_page_url (run), PROP_RUN_PAGE_URL);
  set_string (self, &self->message, dbw_job_run_get_state_message (run), PROP_MESSAGE);
  life_cycle = dbw_job_run_get_life_cycle_state (run);
  result_state = dbw_job_run_get_result_state (run);

  if (!dbw_job_run_is_finished (run))
    {
      DbwFineTuneState state = DBW_FINE_TUNE_STATE_PENDING;
      double progress = PROGRESS_UPLOADED;

      if (g_strcmp0 (life_cycle, "RUNNING") == 0 || g_strcmp0 (life_cycle, "TERMINATING") == 0)
        {
          state = DBW_FINE_TUNE_STATE_RUNNING;
          progress = PROGRESS_RUNNING;
        }
      if (state != self->state)
        {
          set_state (self, state, progress);
          save (self, NULL);
        }
      self->poll_source = g_timeout_add (MAX (1u, dbw_databricks_get_poll_interval (self->databricks)),
                                         poll_timeout_cb, self);
      return;
    }

  if (g_strcmp0 (result_state, "SUCCESS") == 0 || g_strcmp0 (result_state, "SUCCESS_WITH_FAILURES") == 0)
    {
      self->job_succeeded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CANCEL]);
      fetch_outcome (self);
      return;
    }

  if (g_strcmp0 (result_state, "CANCELED") == 0 || g_strcmp0 (result_state, "CANCELLED") == 0)
    {
      finish_with_error (self, DBW_FINE_TUNE_STATE_CANCELLED,
                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              _("The fine-tune run was cancelled")));
      return;
    }

  {
    const char *message = dbw_job_run_get_state_message (run);

    finish_with_error (self, DBW_FINE_TUNE_STATE_FAILED,
                       g_error_new (DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_FAILED,
                                    _("The fine-tune job ended %s: %s"),
                                    result_state != NULL ? result_state : life_cycle,
                                    message != NULL && *message != '\0' ? message : _("no reason given")));
  }
}

static void
poll_run (DbwFineTuneRun *self)
{
  GError *error = NULL;

  self->poll_source = 0;
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (self->task), &error))
    {
      stop_following (self, error);
      return;
    }

  dbw_databricks_jobs_get_run_async (self->databricks, self->remote_run_id,
                                     g_task_get_cancellable (self->task),
                                     on_polled_cb, g_object_ref (self));
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  poll_run (user_data);

  return G_SOURCE_REMOVE;
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
dbw_fine_tune_run_dispose (GObject *object)
{
  DbwFineTuneRun *self = (DbwFineTuneRun *) object;

  g_clear_handle_id (&self->poll_source, g_source_remove);

  G_OBJECT_CLASS (dbw_fine_tune_run_parent_class)->dispose (object);
}

static void
dbw_fine_tune_run_finalize (GObject *object)
{
  DbwFineTuneRun *self = (DbwFineTuneRun *) object;

  if (self->result_file != NULL)
    g_file_delete (self->result_file, NULL, NULL);
  g_clear_object (&self->result_file);
  g_clear_object (&self->store);
  g_clear_object (&self->databricks);
  g_clear_object (&self->directory);
  g_clear_pointer (&self->options, dbw_fine_tune_options_free);
  g_free (self->id);
  g_free (self->export_id);
  g_free (self->training_sheet_id);
  g_free (self->remote_dir);
  g_free (self->message);
  g_free (self->run_page_url);
  g_free (self->mlflow_run_id);
  g_free (self->model_version);
  g_free (self->lineage_id);
  g_free (self->result);

  G_OBJECT_CLASS (dbw_fine_tune_run_parent_class)->finalize (object);
}

static void
dbw_fine_tune_run_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DbwFineTuneRun *self = DBW_FINE_TUNE_RUN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_REMOTE_RUN_ID:
      g_value_set_int64 (value, self->remote_run_id);
      break;
    case PROP_RUN_PAGE_URL:
      g_value_set_string (value, self->run_page_url);
      break;
    case PROP_MLFLOW_RUN_ID:
      g_value_set_string (value, self->mlflow_run_id);
      break;
    case PROP_MODEL_VERSION:
      g_value_set_string (value, self->model_version);
      break;
    case PROP_LINEAGE_ID:
      g_value_set_string (value, self->lineage_id);
      break;
    case PROP_CAN_CANCEL:
      g_value_set_boolean (value, can_cancel (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_fine_tune_run_class_init (DbwFineTuneRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbw_fine_tune_run_dispose;
  object_class->finalize = dbw_fine_tune_run_finalize;
  object_class->get_property = dbw_fine_tune_run_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       DBW_TYPE_FINE_TUNE_STATE, DBW_FINE_TUNE_STATE_READY,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REMOTE_RUN_ID] =
    g_param_spec_int64 ("remote-run-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUN_PAGE_URL] =
    g_param_spec_string ("run-page-url", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MLFLOW_RUN_ID] =
    g_param_spec_string ("mlflow-run-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODEL_VERSION] =
    g_param_spec_string ("model-version", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LINEAGE_ID] =
    g_param_spec_string ("lineage-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwFineTuneRun:can-cancel:
   *
   * Whether dbw_fine_tune_run_cancel_async() can still stop the run: not once it has
   * ended, nor once its job has succeeded and registered the model, whose record and
   * lineage the run then goes on to write.
   */
  properties[PROP_CAN_CANCEL] =
    g_param_spec_boolean ("can-cancel", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_fine_tune_run_init (DbwFineTuneRun *self)
{
}

static DbwFineTuneRun *
run_new (DbwStore      *store,
         DbwDatabricks *databricks,
         const char    *id,
         const char    *export_id,
         const char    *training_sheet_id,
         GFile         *directory,
         DbwFineTuneOptions *options)
{
  DbwFineTuneRun *self = g_object_new (DBW_TYPE_FINE_TUNE_RUN, NULL);
  g_autofree char *base = g_strdup (options->volume_path);
  gsize n = strlen (base);

  while (n > 1 && base[n - 1] == '/')
    base[--n] = '\0';

  self->store = g_object_ref (store);
  self->databricks = g_object_ref (databricks);
  self->id = g_strdup (id);
  self->export_id = g_strdup (export_id);
  self->training_sheet_id = g_strdup (training_sheet_id);
  self->directory = g_object_ref (directory);
  self->options = options;
  self->remote_dir = g_strdup_printf ("%s/databits-fine-tune-%s", base, id);

  return self;
}

/* --- public API --------------------------------------------------------------------------- */

/**
 * dbw_fine_tune_run_new:
 *
 * Returns: (transfer full): a run ready to start, its job_runs row written; or %NULL with
 *   @error set (%DBW_FINE_TUNE_ERROR_INVALID for bad options or an export that is not
 *   for training or has no train.jsonl in @directory)
 */
DbwFineTuneRun *
dbw_fine_tune_run_new (DbwStore                 *store,
                       DbwDatabricks            *databricks,
                       const char               *export_id,
                       GFile                    *directory,
                       const DbwFineTuneOptions *options,
                       GError                  **error)
{
  g_autoptr(DbwExportRecord) export = NULL;
  g_autoptr(GFile) train = NULL;
  g_autofree char *config = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  const char *training_sheet_id;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_DATABRICKS (databricks), NULL);
  g_return_val_if_fail (export_id != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (!validate_options (options, error))
    return NULL;

  export = dbw_store_get (store, DBW_TYPE_EXPORT_RECORD, export_id, error);
  if (export == NULL)
    return NULL;
  if (g_strcmp0 (dbw_export_record_get_use (export), "training") != 0)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The export “%s” is for %s, not for training"), export_id, dbw_export_record_get_use (export));
      return NULL;
    }

  path = g_file_get_path (directory);
  train = g_file_get_child (directory, "train.jsonl");
  if (path == NULL || !g_file_query_exists (train, NULL))
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("There is no train.jsonl in %s"), path != NULL ? path : g_file_peek_path (directory));
      return NULL;
    }

  config = options_to_config (options, export_id, directory);
  training_sheet_id = dbw_export_record_get_training_sheet_ids (export)[0];
  id = dbw_fine_tune_job_create (store, training_sheet_id, config, error);
  if (id == NULL)
    return NULL;

  return run_new (store, databricks, id, export_id, training_sheet_id, directory,
                  dbw_fine_tune_options_copy (options));
}

static DbwFineTuneState
state_from_row (DbwFineTuneJobRow *row)
{
  if (g_strcmp0 (row->status, "running") == 0)
    return DBW_FINE_TUNE_STATE_RUNNING;
  if (g_strcmp0 (row->status, "succeeded") == 0)
    return DBW_FINE_TUNE_STATE_SUCCEEDED;
  if (g_strcmp0 (row->status, "failed") == 0)
    return DBW_FINE_TUNE_STATE_FAILED;
  if (g_strcmp0 (row->status, "cancelled") == 0)
    return DBW_FINE_TUNE_STATE_CANCELLED;
  if (row->remote_run_id != NULL)
    return DBW_FINE_TUNE_STATE_PENDING;

  return DBW_FINE_TUNE_STATE_READY;
}

/**
 * dbw_fine_tune_run_open:
 *
 * Returns: (transfer full): the run as the project last saw it, or %NULL with @error set
 */
DbwFineTuneRun *
dbw_fine_tune_run_open (DbwStore       *store,
                        DbwDatabricks  *databricks,
                        const char     *job_run_id,
                        GError        **error)
{
  g_autoptr(DbwFineTuneJobRow) row = NULL;
  g_autoptr(JsonObject) config = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GFile) directory = NULL;
  DbwFineTuneOptions *options;
  DbwFineTuneRun *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_DATABRICKS (databricks), NULL);
  g_return_val_if_fail (job_run_id != NULL, NULL);

  row = dbw_fine_tune_job_load (store, job_run_id, error);
  if (row == NULL)
    return NULL;
  config = parse_object (row->config);
  if (config == NULL ||
      json_object_get_string_member_with_default (config, "export_id", NULL) == NULL ||
      json_object_get_string_member_with_default (config, "volume_path", NULL) == NULL)
    {
      g_set_error (error, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_INVALID,
                   _("The fine-tune run “%s” has no usable configuration"), job_run_id);
      return NULL;
    }

  options = dbw_fine_tune_options_new ();
  options->base_model = g_strdup (json_object_get_string_member_with_default (config, "base_model", NULL));
  options->epochs = (guint) json_object_get_int_member_with_default (config, "epochs", 3);
  options->learning_rate = json_object_get_double_member_with_default (config, "learning_rate", 2e-4);
  options->registered_model_name = g_strdup (json_object_get_string_member_with_default (config, "registered_model_name", NULL));
  options->experiment_name = g_strdup (json_object_get_string_member_with_default (config, "experiment_name", NULL));
  options->volume_path = g_strdup (json_object_get_string_member_with_default (config, "volume_path", NULL));
  options->cluster_id = g_strdup (json_object_get_string_member_with_default (config, "cluster_id", NULL));
  directory = g_file_new_for_path (json_object_get_string_member_with_default (config, "directory", "."));

  self = run_new (store, databricks, job_run_id,
                  json_object_get_string_member (config, "export_id"),
                  row->training_sheet_id, directory, options);
  self->state = state_from_row (row);
  self->progress = row->progress;
  self->message = g_strdup (row->error);
  self->result = g_strdup (row->result);
  if (row->remote_run_id != NULL)
    self->remote_run_id = g_ascii_strtoll (row->remote_run_id, NULL, 10);

  result = parse_object (row->result);
  if (result != NULL)
    {
      self->mlflow_run_id = g_strdup (json_object_get_string_member_with_default (result, "mlflow_run_id", NULL));
      if (json_object_has_member (result, "model_version") &&
          json_node_get_value_type (json_object_get_member (result, "model_version")) == G_TYPE_STRING)
        self->model_version = g_strdup (json_object_get_string_member (result, "model_version"));
      self->n_train = json_object_get_int_member_with_default (result, "train_count", 0);
      self->n_val = json_object_get_int_member_with_default (result, "val_count", 0);
    }
  {
    g_autoptr(GFile) val = g_file_get_child (directory, "val.jsonl");

    self->has_val = g_file_query_exists (val, NULL);
  }

  return self;
}

/**
 * dbw_fine_tune_run_list_active:
 *
 * Returns: (transfer full): job_runs ids of fine-tune runs still pending or running,
 *   newest first; or %NULL with @error set
 */
GStrv
dbw_fine_tune_run_list_active (DbwStore  *store,
                               GError   **error)
{
  return dbw_fine_tune_job_list_active (store, error);
}

const char *
dbw_fine_tune_run_get_id (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), NULL);

  return self->id;
}

DbwFineTuneState
dbw_fine_tune_run_get_state (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), DBW_FINE_TUNE_STATE_READY);

  return self->state;
}

double
dbw_fine_tune_run_get_progress (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), 0.0);

  return self->progress;
}

const char *
dbw_fine_tune_run_get_message (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), NULL);

  return self->message;
}

gint64
dbw_fine_tune_run_get_remote_run_id (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), 0);

  return self->remote_run_id;
}

const char *
dbw_fine_tune_run_get_run_page_url (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), NULL);

  return self->run_page_url;
}

const char *
dbw_fine_tune_run_get_mlflow_run_id (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), NULL);

  return self->mlflow_run_id;
}

const char *
dbw_fine_tune_run_get_model_version (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), NULL);

  return self->model_version;
}

const char *
dbw_fine_tune_run_get_lineage_id (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), NULL);

  return self->lineage_id;
}

gboolean
dbw_fine_tune_run_get_can_cancel (DbwFineTuneRun *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), FALSE);

  return can_cancel (self);
}

void
dbw_fine_tune_run_run_async (DbwFineTuneRun      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_FINE_TUNE_RUN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) run_tag);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The fine-tune run is already being followed"));
      return;
    }
  switch (self->state)
    {
    case DBW_FINE_TUNE_STATE_SUCCEEDED:
      g_task_return_boolean (task, TRUE);
      return;
    case DBW_FINE_TUNE_STATE_CANCELLED:
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The fine-tune run was cancelled"));
      return;
    case DBW_FINE_TUNE_STATE_FAILED:
      g_task_return_new_error (task, DBW_FINE_TUNE_ERROR, DBW_FINE_TUNE_ERROR_FAILED, "%s",
                               self->message != NULL ? self->message : _("The fine-tune run failed"));
      return;
    case DBW_FINE_TUNE_STATE_READY:
    case DBW_FINE_TUNE_STATE_UPLOADING:
    case DBW_FINE_TUNE_STATE_PENDING:
    case DBW_FINE_TUNE_STATE_RUNNING:
    default:
      break;
    }

  self->task = g_steal_pointer (&task);
  if (self->remote_run_id > 0)
    poll_run (self);
  else
    start_upload (self);
}

gboolean
dbw_fine_tune_run_run_finish (DbwFineTuneRun  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mark_cancelled (DbwFineTuneRun *self)
{
  if (is_finished (self->state))
    return;

  set_state (self, DBW_FINE_TUNE_STATE_CANCELLED, self->progress);
  save (self, _("Cancelled"));
  if (self->task != NULL)
    finish_with_error (self, DBW_FINE_TUNE_STATE_CANCELLED,
                       g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("The fine-tune run was cancelled")));
}

static void
on_cancelled_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwFineTuneRun *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!dbw_databricks_jobs_cancel_run_finish (DBW_DATABRICKS (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  mark_cancelled (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * dbw_fine_tune_run_cancel_async:
 *
 * Stops the job in the workspace (when it was submitted) and records the run as
 * cancelled; a run_async in progress completes with %G_IO_ERROR_CANCELLED. A run whose job
 * has already succeeded is not cancelled: its model is registered, and the run goes on to
 * record it.
 */
void
dbw_fine_tune_run_cancel_async (DbwFineTuneRun      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_FINE_TUNE_RUN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) cancel_tag);

  /* A job that has succeeded registered its model: the run goes on to record its lineage,
   * which a cancellation would leave without one. */
  if (!can_cancel (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->remote_run_id <= 0)
    {
      /* Nothing runs in the workspace yet; uploads still under way finish into a folder
       * no job will read. */
      mark_cancelled (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  dbw_databricks_jobs_cancel_run_async (self->databricks, self->remote_run_id, cancellable,
                                        on_cancelled_cb, g_steal_pointer (&task));
}

gboolean
dbw_fine_tune_run_cancel_finish (DbwFineTuneRun  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * dbw_fine_tune_get_script:
 *
 * Returns: (transfer full): the training script the app uploads
 */
GBytes *
dbw_fine_tune_get_script (void)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = g_resource_lookup_data (dbw_training_get_resource (), SCRIPT_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The training script is missing from the resources: %s", error->message);

  return bytes;
}
