/* dbw-sidebar-row.h
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

#define DBW_TYPE_SIDEBAR_ROW (dbw_sidebar_row_get_type ())

G_DECLARE_FINAL_TYPE (DbwSidebarRow, dbw_sidebar_row, DBW, SIDEBAR_ROW, GtkListBoxRow)

GtkWidget  *dbw_sidebar_row_new           (const char    *page_name,
                                           const char    *title,
                                           const char    *icon_name);
const char *dbw_sidebar_row_get_page_name (DbwSidebarRow *self);
const char *dbw_sidebar_row_get_title     (DbwSidebarRow *self);
gint64      dbw_sidebar_row_get_count     (DbwSidebarRow *self);
void        dbw_sidebar_row_set_count     (DbwSidebarRow *self,
                                           gint64         count);

G_END_DECLS
