/* dbw-folder-chooser.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called with the folder the user chose; not called when the chooser is cancelled. */
typedef void (*DbwFolderChosenFunc) (gpointer  owner,
                                     GFile    *folder);

void dbw_choose_folder (GtkWindow           *parent,
                        const char          *title,
                        GFile               *current,
                        DbwFolderChosenFunc  chosen,
                        gpointer             owner);

G_END_DECLS
