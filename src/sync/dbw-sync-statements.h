/* dbw-sync-statements.h
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

#include <glib.h>

#include "dbw-sync-journal.h"

G_BEGIN_DECLS

/* The SQL the sync service sends to a workspace. Names come from the project's schema and
 * a validated "catalog.schema"; every value is a bound parameter, collected in @params
 * (name → value, a %NULL value is SQL NULL). */

/* The volume, in the linked schema, that holds blobs and staged batches. */
#define DBW_SYNC_VOLUME "databits"

char *dbw_sync_sql_create_schema (const char          *catalog,
                                  const char          *schema);
char *dbw_sync_sql_create_volume (const char          *catalog,
                                  const char          *schema);
char *dbw_sync_sql_create_table  (const char          *catalog,
                                  const char          *schema,
                                  const DbwSyncTable  *table);
char *dbw_sync_sql_list_columns  (const char          *catalog,
                                  const char          *schema,
                                  const DbwSyncTable  *table);
char *dbw_sync_sql_add_columns   (const char          *catalog,
                                  const char          *schema,
                                  const DbwSyncTable  *table,
                                  const char * const  *present);
char *dbw_sync_sql_layout_digest (const DbwSyncTable * const *tables,
                                  guint                n_tables);
char *dbw_sync_sql_merge_values  (const char          *catalog,
                                  const char          *schema,
                                  const DbwSyncBatch  *batch,
                                  const char          *client_id,
                                  GHashTable          *params);
char *dbw_sync_sql_merge_staged  (const char          *catalog,
                                  const char          *schema,
                                  const DbwSyncTable  *table,
                                  const char          *staged_path,
                                  const char          *client_id,
                                  GHashTable          *params);
char *dbw_sync_sql_pull          (const char          *catalog,
                                  const char          *schema,
                                  const DbwSyncTable  *table,
                                  const char          *since,
                                  const char          *after_at,
                                  const char          *after_key,
                                  const char          *until,
                                  const char          *client_id,
                                  guint                limit,
                                  GHashTable          *params);
GBytes *dbw_sync_batch_to_json_lines (const DbwSyncBatch *batch);

G_END_DECLS
