/* dbw-template-row.h
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

#include "dbw-template.h"

G_BEGIN_DECLS

#define DBW_TYPE_TEMPLATE_ROW (dbw_template_row_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplateRow, dbw_template_row, DBW, TEMPLATE_ROW, GtkWidget)

DbwTemplate *dbw_template_row_get_template (DbwTemplateRow *self);
void         dbw_template_row_set_template (DbwTemplateRow *self,
                                            DbwTemplate    *tmpl);

G_END_DECLS
