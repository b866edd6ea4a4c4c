/* dbw-fine-tune-job.c
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

#define G_LOG_DOMAIN "dbw-fine-tune-job"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-fine-tune-job.h"
#include "dbw-store-private.h"

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
step_done (DbwStore      *store,
           sqlite3_stmt  *stmt,
           const char    *table,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, table, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_terminal (const char *status)
{
  return g_strcmp0 (status, "succeeded") == 0 ||
         g_strcmp0 (status, "failed") == 0 ||
         g_strcmp0 (status, "cancelled") == 0;
}

void
dbw_fine_tune_job_row_free (DbwFineTuneJobRow *row)
{
  if (row == NULL)
    return;

  g_free (row->id);
  g_free (row->training_sheet_id);
  g_free (row->status);
  g_free (row->config);
  g_free (row->result);
  g_free (row->error);
  g_free (row->remote_run_id);
  g_free (row);
}

/**
 * dbw_fine_tune_job_create:
 * @training_sheet_id: (nullable): the training sheet trained on
 * @config: the run's options, a JSON object
 *
 * Returns: (transfer full): the id of the new job_runs row (status pending), or %NULL with
 *   @error set
 */
char *
dbw_fine_tune_job_create (DbwStore    *store,
                          const char  *training_sheet_id,
                          const char  *config,
                          GError     **error)
{
  g_autofree char *now = NULL;
  char id[37];
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  _dbw_store_new_id (id);
  now = _dbw_store_now (store);
  stmt = _dbw_store_prepare (store,
                             "INSERT INTO job_runs (id, job_type, training_sheet_id, status, progress, config, started_at) "
                             "VALUES (?1, 'fine_tune', ?2, 'pending', 0.0, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, training_sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, config, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, "job_runs", error))
    return NULL;
  dbw_store_emit_changed (store, "job_runs", DBW_CHANGE_INSERTED, id);

  return g_strdup (id);
}

/**
 * dbw_fine_tune_job_load:
 *
 * Returns: (transfer full): the fine-tune job_runs row, or %NULL with @error set
 *   (%DBW_STORE_ERROR_NOT_FOUND when there is no such fine-tune run)
 */
DbwFineTuneJobRow *
dbw_fine_tune_job_load (DbwStore    *store,
                        const char  *job_run_id,
                        GError     **error)
{
  g_autoptr(DbwFineTuneJobRow) row = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (job_run_id != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT training_sheet_id, status, progress, config, result, error, remote_run_id "
                             "FROM job_runs WHERE id = ?1 AND job_type = 'fine_tune'",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, job_run_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row = g_new0 (DbwFineTuneJobRow, 1);
      row->id = g_strdup (job_run_id);
      row->training_sheet_id = dup_column (stmt, 0);
      row->status = dup_column (stmt, 1);
      row->progress = sqlite3_column_double (stmt, 2);
      row->config = dup_column (stmt, 3);
      row->result = dup_column (stmt, 4);
      row->error = dup_column (stmt, 5);
      row->remote_run_id = dup_column (stmt, 6);
    }
  _dbw_store_release (store, stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("There is no fine-tune run “%s” in this project"), job_run_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "job_runs", error);
      return NULL;
    }

  return g_steal_pointer (&row);
}

/**
 * dbw_fine_tune_job_save:
 * @result: (nullable): JSON object text
 * @error_message: (nullable): why it failed
 *
 * Records where the run is; a final @status also records when it ended.
 */
gboolean
dbw_fine_tune_job_save (DbwStore    *store,
                        const char  *job_run_id,
                        const char  *status,
                        double       progress,
                        const char  *remote_run_id,
                        const char  *result,
                        const char  *error_message,
                        GError     **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (job_run_id != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (is_terminal (status))
    now = _dbw_store_now (store);
  stmt = _dbw_store_prepare (store,
                             "UPDATE job_runs SET status = ?2, progress = ?3, remote_run_id = ?4, "
                             "result = ?5, error = ?6, completed_at = ?7 "
                             "WHERE id = ?1 AND job_type = 'fine_tune'",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job_run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 3, CLAMP (progress, 0.0, 1.0));
  sqlite3_bind_text (stmt, 4, remote_run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, result, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, error_message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, "job_runs", error))
    return FALSE;
  dbw_store_emit_changed (store, "job_runs", DBW_CHANGE_UPDATED, job_run_id);

  return TRUE;
}

/**
 * dbw_fine_tune_job_complete:
 * @lineage: the model's lineage, inserted (it gets its id)
 *
 * The run succeeded: in one transaction the model's lineage row is written and the
 * job_runs row is marked succeeded with @result.
 */
gboolean
dbw_fine_tune_job_complete (DbwStore         *store,
                            const char       *job_run_id,
                            const char       *result,
                            DbwModelLineage  *lineage,
                            GError          **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (lineage), FALSE);

  if (!dbw_store_begin (store, error))
    return FALSE;
  if (!dbw_store_insert (store, lineage, error))
    goto failed;

  now = _dbw_store_now (store);
  stmt = _dbw_store_prepare (store,
                             "UPDATE job_runs SET status = 'succeeded', progress = 1.0, result = ?2, "
                             "error = NULL, completed_at = ?3 WHERE id = ?1 AND job_type = 'fine_tune'",
                             error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, job_run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, result, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, "job_runs", error))
    goto failed;
  if (!dbw_store_commit (store, error))
    goto failed;
  dbw_store_emit_changed (store, "job_runs", DBW_CHANGE_UPDATED, job_run_id);

  return TRUE;

failed:
  dbw_store_rollback (store);
  return FALSE;
}

/**
 * dbw_fine_tune_job_list_active:
 *
 * Returns: (transfer full): ids of fine-tune runs still pending or running, newest first;
 *   or %NULL with @error set
 */
GStrv
dbw_fine_tune_job_list_active (DbwStore  *store,
                               GError   **error)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT id FROM job_runs WHERE job_type = 'fine_tune' "
                             "AND (status = 'pending' OR status = 'running') ORDER BY rowid DESC",
                             error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (ids, (const char *) sqlite3_column_text (stmt, 0));
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "job_runs", error);
      return NULL;
    }

  return g_strv_builder_end (ids);
}
