/* dbw-code-view.h
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

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define DBW_TYPE_CODE_VIEW (dbw_code_view_get_type ())

G_DECLARE_FINAL_TYPE (DbwCodeView, dbw_code_view, DBW, CODE_VIEW, GtkSourceView)

GtkWidget  *dbw_code_view_new             (const char  *language_id);
void        dbw_code_view_preload         (void);
const char *dbw_code_view_get_language_id (DbwCodeView *self);
void        dbw_code_view_set_language_id (DbwCodeView *self,
                                           const char  *language_id);
char       *dbw_code_view_dup_text        (DbwCodeView *self);
void        dbw_code_view_set_text        (DbwCodeView *self,
                                           const char  *text);

G_END_DECLS
