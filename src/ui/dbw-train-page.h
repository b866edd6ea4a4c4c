/* dbw-train-page.h
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

#include "dbw-export-dialog.h"
#include "dbw-page.h"

G_BEGIN_DECLS

#define DBW_TYPE_TRAIN_PAGE (dbw_train_page_get_type ())

G_DECLARE_FINAL_TYPE (DbwTrainPage, dbw_train_page, DBW, TRAIN_PAGE, DbwPage)

/* Opens the export dialog, with @training_sheet_id (nullable) chosen. */
DbwExportDialog *dbw_train_page_export            (DbwTrainPage *self,
                                                   const char   *training_sheet_id);
/* Pairs of the training sheet that would be exported for training, -1 while counting. */
gint64           dbw_train_page_get_n_exportable  (DbwTrainPage *self,
                                                   const char   *training_sheet_id);
/* Fine-tuning runs the page follows (DbwFineTuneRun), newest first. */
GListModel      *dbw_train_page_get_runs          (DbwTrainPage *self);

G_END_DECLS
