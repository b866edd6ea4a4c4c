/* dbw-template-editor.h
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

#include "dbw-prompt-completion.h"
#include "dbw-template.h"

G_BEGIN_DECLS

#define DBW_TYPE_TEMPLATE_EDITOR (dbw_template_editor_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplateEditor, dbw_template_editor, DBW, TEMPLATE_EDITOR, GtkWidget)

GtkWidget   *dbw_template_editor_new              (void);
DbwTemplate *dbw_template_editor_get_template     (DbwTemplateEditor  *self);
void         dbw_template_editor_set_template     (DbwTemplateEditor  *self,
                                                   DbwTemplate        *tmpl);
DbwTemplate *dbw_template_editor_dup_edited       (DbwTemplateEditor  *self);
void         dbw_template_editor_revert           (DbwTemplateEditor  *self);
JsonNode    *dbw_template_editor_dup_draft        (DbwTemplateEditor  *self);
void         dbw_template_editor_restore_draft    (DbwTemplateEditor  *self,
                                                   JsonObject         *draft);
gboolean     dbw_template_editor_get_modified     (DbwTemplateEditor  *self);
gboolean     dbw_template_editor_get_valid        (DbwTemplateEditor  *self);
char        *dbw_template_editor_dup_first_error  (DbwTemplateEditor  *self,
                                                   GtkWidget         **widget);
void         dbw_template_editor_set_columns      (DbwTemplateEditor  *self,
                                                   const char * const *names,
                                                   GPtrArray          *contexts,
                                                   const char         *sheet_name);
const char * const *dbw_template_editor_get_columns (DbwTemplateEditor *self);
DbwPromptCompletion *dbw_template_editor_get_completion (DbwTemplateEditor *self);
GtkWidget   *dbw_template_editor_get_field_widget (DbwTemplateEditor  *self,
                                                   const char         *field);
gboolean     dbw_template_editor_get_editable     (DbwTemplateEditor  *self);
void         dbw_template_editor_set_editable     (DbwTemplateEditor  *self,
                                                   gboolean            editable);

G_END_DECLS
