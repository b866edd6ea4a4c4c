/* dbw-preferences-window.h
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

#define DBW_TYPE_PREFERENCES_WINDOW (dbw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (DbwPreferencesWindow, dbw_preferences_window, DBW, PREFERENCES_WINDOW, AdwPreferencesWindow)

DbwPreferencesWindow *dbw_preferences_window_new (GtkWindow *parent);

void                  dbw_preferences_window_test_connection       (DbwPreferencesWindow *self);
const char           *dbw_preferences_window_get_connection_status (DbwPreferencesWindow *self);

G_END_DECLS
