/* dbw-template-diff-view.h
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

#define DBW_TYPE_TEMPLATE_DIFF_VIEW (dbw_template_diff_view_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplateDiffView, dbw_template_diff_view, DBW, TEMPLATE_DIFF_VIEW, GtkWidget)

GtkWidget *dbw_template_diff_view_new            (void);
void       dbw_template_diff_view_set_templates  (DbwTemplateDiffView *self,
                                                  DbwTemplate         *left,
                                                  DbwTemplate         *right);
GStrv      dbw_template_diff_view_list_changes   (DbwTemplateDiffView *self);

G_END_DECLS
