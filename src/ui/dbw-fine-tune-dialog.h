/* dbw-fine-tune-dialog.h
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

#include "dbw-fine-tune-run.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_FINE_TUNE_DIALOG (dbw_fine_tune_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DbwFineTuneDialog, dbw_fine_tune_dialog, DBW, FINE_TUNE_DIALOG, AdwWindow)

DbwFineTuneDialog  *dbw_fine_tune_dialog_new         (GtkWindow         *parent,
                                                      DbwStore          *store);
/* The export to train on and the folder with its files. */
gboolean            dbw_fine_tune_dialog_set_export  (DbwFineTuneDialog *self,
                                                      const char        *export_id,
                                                      GFile             *folder);
DbwFineTuneOptions *dbw_fine_tune_dialog_get_options (DbwFineTuneDialog *self);
/* TRUE when Preferences name a workspace; the dialog explains what to do otherwise. */
gboolean            dbw_fine_tune_dialog_get_connected (DbwFineTuneDialog *self);
void                dbw_fine_tune_dialog_start       (DbwFineTuneDialog *self);

G_END_DECLS
