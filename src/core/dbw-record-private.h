/* dbw-record-private.h
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

#include "dbw-record.h"

G_BEGIN_DECLS

/* Column 0 of a record's SQL statements is always "id"; the class columns follow. */
void _dbw_record_set_rowid       (DbwRecord    *self,
                                  gint64        rowid);
void _dbw_record_load_from_stmt  (DbwRecord    *self,
                                  sqlite3_stmt *stmt,
                                  int           first_column);
int  _dbw_record_bind_column     (DbwRecord    *self,
                                  guint         position,
                                  sqlite3_stmt *stmt,
                                  int           param);
void _dbw_record_bind_value      (const GValue *value,
                                  GParamSpec   *pspec,
                                  sqlite3_stmt *stmt,
                                  int           param);

G_END_DECLS
