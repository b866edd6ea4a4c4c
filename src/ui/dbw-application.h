/* dbw-application.h
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

#define DBW_TYPE_APPLICATION (dbw_application_get_type ())

G_DECLARE_FINAL_TYPE (DbwApplication, dbw_application, DBW, APPLICATION, AdwApplication)

DbwApplication *dbw_application_new              (void);
char           *dbw_application_dup_demo_sources (void);
GFile          *dbw_application_next_demo_file   (GError **error);
GtkFileFilter  *dbw_project_file_filter_new      (void);

G_END_DECLS
