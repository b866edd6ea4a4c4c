/* dbw-link-dialog.h
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

G_BEGIN_DECLS

#define DBW_TYPE_LINK_DIALOG (dbw_link_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DbwLinkDialog, dbw_link_dialog, DBW, LINK_DIALOG, AdwMessageDialog)

DbwLinkDialog *dbw_link_dialog_new        (GtkWindow     *parent);
void           dbw_link_dialog_set_target (DbwLinkDialog *self,
                                           const char    *target);
char          *dbw_link_dialog_dup_target (DbwLinkDialog *self);

G_END_DECLS
