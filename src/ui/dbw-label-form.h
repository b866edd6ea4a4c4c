/* dbw-label-form.h
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

#include "dbw-canonical-label.h"
#include "dbw-enums.h"
#include "dbw-image-annotator.h"

G_BEGIN_DECLS

#define DBW_LABEL_FORM_ERROR (dbw_label_form_error_quark ())

typedef enum
{
  DBW_LABEL_FORM_ERROR_INVALID,   /* a field is missing or fails the output schema; shown in place */
} DbwLabelFormError;

#define DBW_TYPE_LABEL_FORM (dbw_label_form_get_type ())

G_DECLARE_FINAL_TYPE (DbwLabelForm, dbw_label_form, DBW, LABEL_FORM, GtkWidget)

GQuark             dbw_label_form_error_quark     (void);

GtkWidget         *dbw_label_form_new             (void);
void               dbw_label_form_set_kind        (DbwLabelForm       *self,
                                                   DbwLabelType        label_type,
                                                   const char         *output_schema);
DbwLabelType       dbw_label_form_get_label_type  (DbwLabelForm       *self);
void               dbw_label_form_set_classes     (DbwLabelForm       *self,
                                                   const char * const *classes);
const char * const *dbw_label_form_get_classes    (DbwLabelForm       *self);
void               dbw_label_form_set_label       (DbwLabelForm       *self,
                                                   DbwCanonicalLabel  *label,
                                                   const char         *suggestion);
gboolean           dbw_label_form_get_modified    (DbwLabelForm       *self);
JsonNode          *dbw_label_form_dup_draft       (DbwLabelForm       *self);
void               dbw_label_form_restore_draft   (DbwLabelForm       *self,
                                                   JsonObject         *draft);
gboolean           dbw_label_form_get_has_suggestion (DbwLabelForm    *self);
gboolean           dbw_label_form_get_editable    (DbwLabelForm       *self);
void               dbw_label_form_set_editable    (DbwLabelForm       *self,
                                                   gboolean            editable);
gboolean           dbw_label_form_choose_class    (DbwLabelForm       *self,
                                                   guint               position);
void               dbw_label_form_set_annotator   (DbwLabelForm       *self,
                                                   DbwImageAnnotator  *annotator);
DbwCanonicalLabel *dbw_label_form_build_label     (DbwLabelForm       *self,
                                                   GError            **error);

G_END_DECLS
