/* dbw-window.h
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

#include "dbw-page.h"
#include "dbw-store.h"
#include "dbw-sync-service.h"

G_BEGIN_DECLS

#define DBW_TYPE_WINDOW (dbw_window_get_type ())

G_DECLARE_FINAL_TYPE (DbwWindow, dbw_window, DBW, WINDOW, AdwApplicationWindow)

DbwWindow  *dbw_window_new             (AdwApplication *application);
DbwStore   *dbw_window_get_store       (DbwWindow      *self);
void        dbw_window_set_store       (DbwWindow      *self,
                                        DbwStore       *store);
void        dbw_window_open_file       (DbwWindow      *self,
                                        GFile          *file,
                                        DbwStoreOpenFlags flags);
void        dbw_window_save_copy       (DbwWindow      *self,
                                        GFile          *file);
void        dbw_window_present_when_open (DbwWindow    *self,
                                          guint         timeout_ms);
void        dbw_window_show_error      (DbwWindow      *self,
                                        const char     *heading,
                                        const GError   *error);
void        dbw_window_show_toast      (DbwWindow      *self,
                                        const char     *title);
void        dbw_window_add_toast       (DbwWindow      *self,
                                        AdwToast       *toast);
gboolean    dbw_window_show_page       (DbwWindow      *self,
                                        const char     *page_name);
const char *dbw_window_get_visible_page_name (DbwWindow *self);
DbwPage    *dbw_window_get_page        (DbwWindow      *self,
                                        const char     *page_name);
GtkListBox *dbw_window_get_sidebar     (DbwWindow      *self);
gboolean    dbw_window_is_busy         (DbwWindow      *self);
void        dbw_window_set_busy        (DbwWindow      *self,
                                        gboolean        busy);
DbwSyncService *dbw_window_get_sync_service (DbwWindow  *self);
void        dbw_window_reload_sync     (DbwWindow      *self);

G_END_DECLS
