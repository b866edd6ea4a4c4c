/* dbw-fine-tune-run.h
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

#pragma once

#include <gio/gio.h>

#include "dbw-databricks.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* Fine-tuning a model on an export, as a Databricks Job (the Foundation Model fine-tuning
 * API is being retired): the export's train/val JSONL files are validated
 * (dbw_chat_jsonl_validate_file) and uploaded to a Volume with the training script the
 * app ships, a one-time run is submitted (/api/2.2/jobs/runs/submit, the job_runs id as
 * idempotency token) and followed until it ends. The run is a job_runs row (job_type
 * "fine_tune"): status, progress, remote_run_id (the Jobs run id), config (the options),
 * result (MLflow run id, model version, metrics). When the job succeeds, an MLflow run is
 * logged in the named experiment (params, counts, metrics, artifact paths via
 * runs/log-batch) and a model_training_lineage row records model name and version,
 * training sheet, pair ids, train/val counts, config, MLflow run id and job run id.
 *
 * Network work runs on the Databricks client's worker; properties notify on the main
 * context that started the run. */

#define DBW_FINE_TUNE_ERROR (dbw_fine_tune_error_quark ())

typedef enum
{
  DBW_FINE_TUNE_ERROR_INVALID,   /* options, or the export's files fail validation (names file and line) */
  DBW_FINE_TUNE_ERROR_FAILED,    /* the job ended without success; the message is the workspace's */
} DbwFineTuneError;

GQuark dbw_fine_tune_error_quark (void);

typedef enum
{
  DBW_FINE_TUNE_STATE_READY,
  DBW_FINE_TUNE_STATE_UPLOADING,
  DBW_FINE_TUNE_STATE_PENDING,     /* submitted, waiting for compute */
  DBW_FINE_TUNE_STATE_RUNNING,
  DBW_FINE_TUNE_STATE_SUCCEEDED,
  DBW_FINE_TUNE_STATE_FAILED,
  DBW_FINE_TUNE_STATE_CANCELLED,
} DbwFineTuneState;

GType dbw_fine_tune_state_get_type (void) G_GNUC_CONST;
#define DBW_TYPE_FINE_TUNE_STATE (dbw_fine_tune_state_get_type ())

typedef struct
{
  char    *base_model;             /* e.g. meta-llama/Llama-3.2-1B-Instruct */
  guint    epochs;
  double   learning_rate;
  char    *registered_model_name;  /* catalog.schema.model in Unity Catalog */
  char    *experiment_name;        /* MLflow experiment path, e.g. /Shared/databits */
  char    *volume_path;            /* /Volumes/catalog/schema/volume[/dir]; the run gets a folder below */
  char    *cluster_id;             /* an existing cluster, or NULL for serverless compute */
} DbwFineTuneOptions;

DbwFineTuneOptions *dbw_fine_tune_options_new  (void);
DbwFineTuneOptions *dbw_fine_tune_options_copy (const DbwFineTuneOptions *options);
void                dbw_fine_tune_options_free (DbwFineTuneOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwFineTuneOptions, dbw_fine_tune_options_free)

#define DBW_TYPE_FINE_TUNE_RUN (dbw_fine_tune_run_get_type ())

G_DECLARE_FINAL_TYPE (DbwFineTuneRun, dbw_fine_tune_run, DBW, FINE_TUNE_RUN, GObject)

/* @export_id names an exports row of use "training" whose files are in @directory
 * (train.jsonl and, when split, val.jsonl). Creates the job_runs row; nothing runs until
 * dbw_fine_tune_run_run_async(). */
DbwFineTuneRun     *dbw_fine_tune_run_new           (DbwStore                 *store,
                                                     DbwDatabricks            *databricks,
                                                     const char               *export_id,
                                                     GFile                    *directory,
                                                     const DbwFineTuneOptions *options,
                                                     GError                  **error);
/* Reopens a run, to follow one that was submitted before the app last quit. */
DbwFineTuneRun     *dbw_fine_tune_run_open          (DbwStore                 *store,
                                                     DbwDatabricks            *databricks,
                                                     const char               *job_run_id,
                                                     GError                  **error);
/* job_runs ids of fine-tune runs still pending or running, newest first. */
GStrv               dbw_fine_tune_run_list_active   (DbwStore                 *store,
                                                     GError                  **error);

const char         *dbw_fine_tune_run_get_id        (DbwFineTuneRun           *self);  /* job_runs id */
DbwFineTuneState    dbw_fine_tune_run_get_state     (DbwFineTuneRun           *self);
double              dbw_fine_tune_run_get_progress  (DbwFineTuneRun           *self);
const char         *dbw_fine_tune_run_get_message   (DbwFineTuneRun           *self);  /* the workspace's state message */
gint64              dbw_fine_tune_run_get_remote_run_id (DbwFineTuneRun       *self);  /* 0 until submitted */
const char         *dbw_fine_tune_run_get_run_page_url  (DbwFineTuneRun       *self);
const char         *dbw_fine_tune_run_get_mlflow_run_id (DbwFineTuneRun       *self);
const char         *dbw_fine_tune_run_get_model_version (DbwFineTuneRun       *self);
const char         *dbw_fine_tune_run_get_lineage_id    (DbwFineTuneRun       *self);  /* model_training_lineage id once succeeded */
gboolean            dbw_fine_tune_run_get_can_cancel    (DbwFineTuneRun       *self);

/* Uploads (unless already done), submits (idempotently), and follows the run until it
 * ends; completes when it has, with an error unless it succeeded. Cancelling
 * @cancellable stops following; dbw_fine_tune_run_cancel_async() stops the job. */
void                dbw_fine_tune_run_run_async     (DbwFineTuneRun           *self,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
gboolean            dbw_fine_tune_run_run_finish    (DbwFineTuneRun           *self,
                                                     GAsyncResult             *result,
                                                     GError                  **error);
void                dbw_fine_tune_run_cancel_async  (DbwFineTuneRun           *self,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
gboolean            dbw_fine_tune_run_cancel_finish (DbwFineTuneRun           *self,
                                                     GAsyncResult             *result,
                                                     GError                  **error);

/* The training script the app uploads (from the resources), for tests and for users who
 * want to read what runs on their data. */
GBytes             *dbw_fine_tune_get_script        (void);

G_END_DECLS
