/* dbw-store-private.h
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

#include <sqlite3.h>

#include "dbw-store.h"

G_BEGIN_DECLS

/* SQL conditions on a row of items: it is the newest version of its item; and, for
 * "current", its sheet is not deleted either. */
/* The rank of a data classification in SQL, for "the highest of": public 0 … restricted 3. */
#define DBW_SQL_CLASSIFICATION_RANK(x) \
  "(CASE " x " WHEN 'public' THEN 0 WHEN 'internal' THEN 1 WHEN 'confidential' THEN 2 ELSE 3 END)"

#define DBW_SQL_NEWEST_ITEM_VERSION \
  "NOT EXISTS (SELECT 1 FROM items AS newer WHERE newer.sheet_id = items.sheet_id " \
  "AND newer.item_ref = items.item_ref AND newer.version > items.version)"
#define DBW_SQL_CURRENT_ITEM \
  DBW_SQL_NEWEST_ITEM_VERSION " AND sheet_id IN (SELECT id FROM sheets WHERE deleted_at IS NULL)"

char         *_dbw_json_path_for_member (const char *name);


sqlite3_stmt *_dbw_store_prepare       (DbwStore      *self,
                                        const char    *sql,
                                        GError       **error);
sqlite3_stmt *_dbw_store_prepare_transient (DbwStore   *self,
                                            const char *sql,
                                            GError    **error);
void          _dbw_store_release       (DbwStore      *self,
                                        sqlite3_stmt  *stmt);
void          _dbw_store_set_error     (DbwStore      *self,
                                        int            rc,
                                        const char    *table,
                                        GError       **error);
char         *_dbw_store_select_value  (DbwStore      *self,
                                        const char    *sql,
                                        const char    *key);
gboolean      _dbw_store_write_value   (DbwStore      *self,
                                        const char    *sql,
                                        const char    *table,
                                        const char    *key,
                                        const char    *value,
                                        GError       **error);
GStrv         _dbw_store_collect_strings (DbwStore    *self,
                                          sqlite3_stmt *stmt,
                                          gboolean     unique,
                                          const char  *table,
                                          GError     **error);

sqlite3      *_dbw_store_get_db        (DbwStore      *self);
char         *_dbw_store_now           (DbwStore      *self);
void          _dbw_store_new_id        (char           out[37]);
int           _dbw_search_register     (sqlite3       *db,
                                        const gboolean *deferred,
                                        const gint64  *watermark);

gboolean      _dbw_store_update_columns (DbwStore     *self,
                                         gpointer      record,
                                         const guint  *columns,
                                         guint         n_columns,
                                         GError      **error);

G_END_DECLS
