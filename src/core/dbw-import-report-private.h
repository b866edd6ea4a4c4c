/* dbw-import-report-private.h
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

#include "dbw-import-report.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_IMPORT_COUNT_ADDED,
  DBW_IMPORT_COUNT_VERSIONS,
  DBW_IMPORT_COUNT_UNCHANGED,
  DBW_IMPORT_COUNT_BLOBS_ADDED,
  DBW_IMPORT_COUNT_BLOBS_SHARED,
} DbwImportCount;

void _dbw_import_report_add_problem (DbwImportReport *self,
                                     const char      *source,
                                     guint64          line,
                                     guint64          record,
                                     const char      *reason);
void _dbw_import_report_count       (DbwImportReport *self,
                                     DbwImportCount   what);
void _dbw_import_report_finish      (DbwImportReport *self,
                                     gboolean         keep_good,
                                     gboolean         committed);

G_END_DECLS
