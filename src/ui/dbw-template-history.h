/* dbw-template-history.h
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

#include "dbw-store.h"
#include "dbw-template-diff-view.h"

G_BEGIN_DECLS

#define DBW_TYPE_TEMPLATE_HISTORY (dbw_template_history_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplateHistory, dbw_template_history, DBW, TEMPLATE_HISTORY, GtkWidget)

void                 dbw_template_history_set_template  (DbwTemplateHistory *self,
                                                         DbwStore           *store,
                                                         const char         *template_id);
void                 dbw_template_history_reload        (DbwTemplateHistory *self);
guint                dbw_template_history_get_n_versions (DbwTemplateHistory *self);
gboolean             dbw_template_history_compare       (DbwTemplateHistory *self,
                                                         gint64              left_version,
                                                         gint64              right_version);
DbwTemplateDiffView *dbw_template_history_get_diff_view (DbwTemplateHistory *self);

G_END_DECLS
