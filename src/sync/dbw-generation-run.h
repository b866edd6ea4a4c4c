/* dbw-generation-run.h
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

#include "dbw-ai-query.h"
#include "dbw-databricks.h"
#include "dbw-enums.h"
#include "dbw-generation-job.h"
#include "dbw-llm-client.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* One Generate job: a published template applied to every item of a sheet, producing a
 * Training Sheet of Q&A pairs. It is a job_runs row (job_type "generate") whose config
 * holds everything needed to continue, so a run that was paused, cancelled, failed or
 * killed resumes with the items that have no pair yet; every pair is committed as it is
 * made. Items with a canonical label for the template's label_type become labeled pairs
 * (labeling_mode "canonical") without a model call. Output that fails the template's
 * output schema becomes a flagged pair with the reason in review_notes.
 *
 * Work runs in a worker thread with its own store connection; properties change and
 * notify on the main context that called dbw_generation_run_run_async(). */

/* DBW_GENERATION_ERROR and DbwGenerationState are in dbw-generation-job.h, the job's
 * record in the project, which the pure parts of a run share with the core. */

#define DBW_TYPE_GENERATION_RUN (dbw_generation_run_get_type ())

G_DECLARE_FINAL_TYPE (DbwGenerationRun, dbw_generation_run, DBW, GENERATION_RUN, GObject)

/* Creates the training sheet (status "generating") and the job_runs row; nothing runs
 * until dbw_generation_run_run_async(). @column is required for existing_column mode.
 * @name may be NULL ("<sheet> · <template> v<version>"). */
DbwGenerationRun  *dbw_generation_run_new              (DbwStore            *store,
                                                        const char          *sheet_id,
                                                        const char          *template_row_id,
                                                        DbwLabelingMode      mode,
                                                        const char          *column,
                                                        const char          *name,
                                                        GError             **error);
/* @options: see dbw_generation_run_new_with_options() in the .c file: column_trusted,
 * logprobs, model, endpoint_url, concurrency; kept with the job for a resume. */
DbwGenerationRun  *dbw_generation_run_new_with_options (DbwStore            *store,
                                                        const char          *sheet_id,
                                                        const char          *template_row_id,
                                                        DbwLabelingMode      mode,
                                                        const char          *column,
                                                        const char          *name,
                                                        JsonObject          *options,
                                                        GError             **error);
/* Reopens a job_runs row that did not succeed. */
DbwGenerationRun  *dbw_generation_run_open             (DbwStore            *store,
                                                        const char          *job_run_id,
                                                        GError             **error);
/* job_runs ids of generate runs that can be resumed, newest first. */
GStrv              dbw_generation_run_list_unfinished  (DbwStore            *store,
                                                        GError             **error);

/* Required for ai_generated mode. @model overrides the template's base_model when set. */
void               dbw_generation_run_set_llm_client   (DbwGenerationRun    *self,
                                                        DbwLlmClient        *client,
                                                        const char          *model);
void               dbw_generation_run_set_concurrency  (DbwGenerationRun    *self,
                                                        guint                concurrency);

/* Generating on the workspace: one ai_query() statement over the sheet's sampled rows.
 * check_remote says whether (and why not) the run can; set_remote makes it so. */
gboolean           dbw_generation_run_check_remote     (DbwGenerationRun    *self,
                                                        GError             **error);
gboolean           dbw_generation_run_set_remote       (DbwGenerationRun    *self,
                                                        DbwDatabricks       *databricks,
                                                        const char          *warehouse_id,
                                                        const char          *endpoint,
                                                        const char          *results_schema,
                                                        GError             **error);
const char        *dbw_generation_run_get_remote_endpoint       (DbwGenerationRun *self);
const char        *dbw_generation_run_get_remote_results_schema (DbwGenerationRun *self);

DbwGenerationJob  *dbw_generation_run_get_job              (DbwGenerationRun *self);
const char        *dbw_generation_run_get_job_run_id       (DbwGenerationRun *self);
const char        *dbw_generation_run_get_training_sheet_id (DbwGenerationRun *self);
DbwGenerationState dbw_generation_run_get_state            (DbwGenerationRun *self);
guint              dbw_generation_run_get_n_total          (DbwGenerationRun *self);
guint              dbw_generation_run_get_n_done           (DbwGenerationRun *self);  /* pairs existing, any kind */
guint              dbw_generation_run_get_n_made           (DbwGenerationRun *self);  /* unlabeled/labeled pairs made by the mode */
guint              dbw_generation_run_get_n_reused         (DbwGenerationRun *self);  /* from canonical labels */
guint              dbw_generation_run_get_n_flagged        (DbwGenerationRun *self);
guint              dbw_generation_run_get_n_failed         (DbwGenerationRun *self);  /* items left without a pair */
gint64             dbw_generation_run_get_prompt_tokens    (DbwGenerationRun *self);
gint64             dbw_generation_run_get_completion_tokens (DbwGenerationRun *self);
double             dbw_generation_run_get_progress         (DbwGenerationRun *self);  /* 0–1 */
/* Seconds left at the recent rate, -1 while unknown. */
double             dbw_generation_run_get_eta              (DbwGenerationRun *self);
const char        *dbw_generation_run_get_error_message    (DbwGenerationRun *self);
/* "item_ref: reason" for the first items the last run left without a pair. */
const char * const *dbw_generation_run_get_failures        (DbwGenerationRun *self);

/* Runs (or continues) until every item has a pair, the run is cancelled, or it fails.
 * Cancelling keeps every pair made; the run can be opened and run again later. */
void               dbw_generation_run_run_async        (DbwGenerationRun    *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           dbw_generation_run_run_finish       (DbwGenerationRun    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Stops starting new items (those in flight finish) until resumed; state PAUSED. */
void               dbw_generation_run_pause            (DbwGenerationRun    *self);
void               dbw_generation_run_unpause          (DbwGenerationRun    *self);

G_END_DECLS
