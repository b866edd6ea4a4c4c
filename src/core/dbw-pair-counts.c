/* dbw-pair-counts.c
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

#define G_LOG_DOMAIN "dbw-pair-counts"

#include "config.h"

#include "dbw-pair-counts.h"
#include "dbw-store-private.h"

/* One pass over the (training_sheet_id, status) index; the mode needs the rows, which a
 * training sheet of 100,000 pairs reads in a few tens of milliseconds. */
#define COUNT_SQL \
  "SELECT training_sheet_id, count (*), " \
  "  sum (status = 'unlabeled'), sum (status = 'labeled'), sum (status = 'rejected'), sum (status = 'flagged'), " \
  "  sum (labeling_mode = 'ai_generated'), sum (labeling_mode = 'manual'), " \
  "  sum (labeling_mode = 'existing_column'), sum (labeling_mode = 'canonical') " \
  "FROM qa_pairs "

static void
read_counts (sqlite3_stmt  *stmt,
             DbwPairCounts *counts)
{
  counts->total = sqlite3_column_int64 (stmt, 1);
  counts->unlabeled = sqlite3_column_int64 (stmt, 2);
  counts->labeled = sqlite3_column_int64 (stmt, 3);
  counts->rejected = sqlite3_column_int64 (stmt, 4);
  counts->flagged = sqlite3_column_int64 (stmt, 5);
  counts->ai_generated = sqlite3_column_int64 (stmt, 6);
  counts->manual = sqlite3_column_int64 (stmt, 7);
  counts->existing_column = sqlite3_column_int64 (stmt, 8);
  counts->canonical = sqlite3_column_int64 (stmt, 9);
}

/**
 * dbw_pair_counts_by_training_sheet:
 *
 * Returns: (transfer full) (element-type utf8 DbwPairCounts): training sheet id → its
 *   counts (g_free()d with the table); a training sheet without pairs is absent
 */
GHashTable *
dbw_pair_counts_by_training_sheet (DbwStore  *store,
                                   GError   **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  stmt = _dbw_store_prepare (store, COUNT_SQL "GROUP BY training_sheet_id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DbwPairCounts *counts = g_new0 (DbwPairCounts, 1);

      read_counts (stmt, counts);
      g_hash_table_insert (table, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), counts);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "qa_pairs", error);
      return NULL;
    }

  return g_steal_pointer (&table);
}

gboolean
dbw_pair_counts_for_training_sheet (DbwStore       *store,
                                    const char     *training_sheet_id,
                                    DbwPairCounts  *counts,
                                    GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (training_sheet_id != NULL, FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  *counts = (DbwPairCounts) { 0 };

  stmt = _dbw_store_prepare (store, COUNT_SQL "WHERE training_sheet_id = ?1 GROUP BY training_sheet_id", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, training_sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    read_counts (stmt, counts);
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "qa_pairs", error);
      return FALSE;
    }

  return TRUE;
}
