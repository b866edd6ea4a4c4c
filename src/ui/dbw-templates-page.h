/* dbw-templates-page.h
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

#include "dbw-page.h"
#include "dbw-template-editor.h"
#include "dbw-template-history.h"
#include "dbw-template-tester.h"

G_BEGIN_DECLS

#define DBW_TYPE_TEMPLATES_PAGE (dbw_templates_page_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplatesPage, dbw_templates_page, DBW, TEMPLATES_PAGE, DbwPage)

GListModel         *dbw_templates_page_get_library      (DbwTemplatesPage *self);
gboolean            dbw_templates_page_select_template  (DbwTemplatesPage *self,
                                                         guint             position);
void                dbw_templates_page_set_search       (DbwTemplatesPage *self,
                                                         const char       *text);
void                dbw_templates_page_set_filters      (DbwTemplatesPage *self,
                                                         int               label_type,
                                                         int               status);
gboolean            dbw_templates_page_select_sheet     (DbwTemplatesPage *self,
                                                         const char       *name);
gboolean            dbw_templates_page_get_loading_columns (DbwTemplatesPage *self);
void                dbw_templates_page_show_view        (DbwTemplatesPage *self,
                                                         const char       *name);
const char         *dbw_templates_page_get_visible_view (DbwTemplatesPage *self);
DbwTemplateEditor  *dbw_templates_page_get_editor       (DbwTemplatesPage *self);
DbwTemplateTester  *dbw_templates_page_get_tester       (DbwTemplatesPage *self);
DbwTemplateHistory *dbw_templates_page_get_history      (DbwTemplatesPage *self);

G_END_DECLS
