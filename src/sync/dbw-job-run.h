/* dbw-job-run.h
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

#include <glib-object.h>

G_BEGIN_DECLS

/* A one-time job run as runs/get reports it: its life cycle state ("PENDING", "RUNNING",
 * "TERMINATED", …), its result state once it has ended ("SUCCESS", "FAILED", "CANCELED",
 * …), the workspace's message and the run's page. */

#define DBW_TYPE_JOB_RUN (dbw_job_run_get_type ())

G_DECLARE_FINAL_TYPE (DbwJobRun, dbw_job_run, DBW, JOB_RUN, GObject)

DbwJobRun  *dbw_job_run_new                  (gint64      run_id,
                                              const char *life_cycle_state,
                                              const char *result_state,
                                              const char *state_message,
                                              const char *run_page_url);
gint64      dbw_job_run_get_run_id           (DbwJobRun  *self);
const char *dbw_job_run_get_life_cycle_state (DbwJobRun  *self);
const char *dbw_job_run_get_result_state     (DbwJobRun  *self);
const char *dbw_job_run_get_state_message    (DbwJobRun  *self);
const char *dbw_job_run_get_run_page_url     (DbwJobRun  *self);
gboolean    dbw_job_run_is_finished          (DbwJobRun  *self);

G_END_DECLS
