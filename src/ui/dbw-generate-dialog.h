/* dbw-generate-dialog.h
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

#include "dbw-generation-run.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_GENERATE_DIALOG (dbw_generate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DbwGenerateDialog, dbw_generate_dialog, DBW, GENERATE_DIALOG, AdwWindow)

DbwGenerateDialog *dbw_generate_dialog_new            (GtkWindow         *parent,
                                                       DbwStore          *store,
                                                       const char        *sheet_id);
const char        *dbw_generate_dialog_get_model      (DbwGenerateDialog *self);
guint              dbw_generate_dialog_get_concurrency (DbwGenerateDialog *self);
gboolean           dbw_generate_dialog_get_remote     (DbwGenerateDialog *self);
gboolean           dbw_generate_dialog_get_checking   (DbwGenerateDialog *self);

G_END_DECLS
