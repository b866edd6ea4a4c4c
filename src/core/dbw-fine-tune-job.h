/* dbw-fine-tune-job.h
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

#include "dbw-model-lineage.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* What a fine-tune run keeps in the project: a job_runs row (job_type "fine_tune") and, once
 * it succeeded, a model_training_lineage row. The run itself (network, following the
 * remote job) is DbwFineTuneRun in sync; this is its storage. */

typedef struct
{
  char   *id;
  char   *training_sheet_id;
  char   *status;          /* job_runs.status */
  double  progress;
  char   *config;          /* JSON object text */
  char   *result;          /* JSON object text, or NULL */
  char   *error;
  char   *remote_run_id;
} DbwFineTuneJobRow;

void                  dbw_fine_tune_job_row_free        (DbwFineTuneJobRow    *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwFineTuneJobRow, dbw_fine_tune_job_row_free)

char                 *dbw_fine_tune_job_create          (DbwStore             *store,
                                                         const char           *training_sheet_id,
                                                         const char           *config,
                                                         GError              **error);
DbwFineTuneJobRow    *dbw_fine_tune_job_load            (DbwStore             *store,
                                                         const char           *job_run_id,
                                                         GError              **error);
gboolean              dbw_fine_tune_job_save            (DbwStore             *store,
                                                         const char           *job_run_id,
                                                         const char           *status,
                                                         double                progress,
                                                         const char           *remote_run_id,
                                                         const char           *result,
                                                         const char           *error_message,
                                                         GError              **error);
gboolean              dbw_fine_tune_job_complete        (DbwStore             *store,
                                                         const char           *job_run_id,
                                                         const char           *result,
                                                         DbwModelLineage      *lineage,
                                                         GError              **error);
GStrv                 dbw_fine_tune_job_list_active     (DbwStore             *store,
                                                         GError              **error);

G_END_DECLS
