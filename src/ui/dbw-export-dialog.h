/* dbw-export-dialog.h
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

#include <adwaita.h>

#include "dbw-export.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_EXPORT_DIALOG (dbw_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DbwExportDialog, dbw_export_dialog, DBW, EXPORT_DIALOG, AdwWindow)

/* @training_sheet_id (nullable) is chosen at first; @use may be NULL for training. */
DbwExportDialog        *dbw_export_dialog_new         (GtkWindow       *parent,
                                                       DbwStore        *store,
                                                       const char      *training_sheet_id,
                                                       const char      *use);
void                    dbw_export_dialog_set_folder  (DbwExportDialog *self,
                                                       GFile           *folder);
GFile                  *dbw_export_dialog_get_folder  (DbwExportDialog *self);
void                    dbw_export_dialog_set_split   (DbwExportDialog *self,
                                                       double           val_fraction,
                                                       guint64          seed,
                                                       gboolean         stratify);
gboolean                dbw_export_dialog_select_training_sheet (DbwExportDialog *self,
                                                                 const char      *training_sheet_id,
                                                                 gboolean         selected);
/* The options as the dialog shows them now. */
DbwExportOptions       *dbw_export_dialog_get_options (DbwExportDialog *self);
/* The newest summary of those options, or NULL while it is being counted. */
const DbwExportSummary *dbw_export_dialog_get_summary (DbwExportDialog *self);
/* The written export, once done. */
const DbwExportResult  *dbw_export_dialog_get_result  (DbwExportDialog *self);
void                    dbw_export_dialog_export      (DbwExportDialog *self);

G_END_DECLS
