/* fake-sql.h — the Databricks SQL the fake workspace understands, run on SQLite
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Reads a staged file for read_files(): returns its contents or NULL. */
typedef GBytes *(*FakeSqlReadFile) (const char *path,
                                    gpointer    user_data);

void      fake_sql_register_functions (sqlite3          *db);
char     *fake_sql_translate          (const char       *sql);
gboolean  fake_sql_is_noop            (const char       *sql);
gboolean  fake_sql_is_merge           (const char       *sql);
gboolean  fake_sql_is_add_columns     (const char       *sql);
gboolean  fake_sql_add_columns        (sqlite3          *db,
                                       const char       *sql,
                                       char            **error);
void      fake_sql_bind               (sqlite3_stmt     *stmt,
                                       JsonArray        *parameters);
gboolean  fake_sql_merge              (sqlite3          *db,
                                       const char       *sql,
                                       JsonArray        *parameters,
                                       FakeSqlReadFile   read_file,
                                       gpointer          user_data,
                                       gint64           *n_inserted,
                                       gint64           *n_updated,
                                       char            **error);

G_END_DECLS
