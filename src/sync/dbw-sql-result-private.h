/* dbw-sql-result-private.h
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

#include "dbw-sql-result.h"

G_BEGIN_DECLS

DbwSqlResult *_dbw_sql_result_new        (const char   *statement_id);
void          _dbw_sql_result_add_column (DbwSqlResult *self,
                                          const char   *name,
                                          const char   *type_name);
void          _dbw_sql_result_add_row    (DbwSqlResult *self,
                                          GPtrArray    *values);

void          _dbw_sql_result_set_truncated (DbwSqlResult *self,
                                             gboolean      truncated);

G_END_DECLS
