/* dbw-template.h
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

#include "dbw-enums.h"
#include "dbw-record.h"

G_BEGIN_DECLS

#define DBW_TYPE_TEMPLATE (dbw_template_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplate, dbw_template, DBW, TEMPLATE, DbwRecord)

DbwTemplate *dbw_template_new (void);

const char *      dbw_template_get_template_id          (DbwTemplate *self);
void              dbw_template_set_template_id          (DbwTemplate *self,
                                                         const char *template_id);
gint64            dbw_template_get_version              (DbwTemplate *self);
void              dbw_template_set_version              (DbwTemplate *self,
                                                         gint64 version);
const char *      dbw_template_get_name                 (DbwTemplate *self);
void              dbw_template_set_name                 (DbwTemplate *self,
                                                         const char *name);
const char *      dbw_template_get_description          (DbwTemplate *self);
void              dbw_template_set_description          (DbwTemplate *self,
                                                         const char *description);
DbwTemplateStatus dbw_template_get_status               (DbwTemplate *self);
void              dbw_template_set_status               (DbwTemplate *self,
                                                         DbwTemplateStatus status);
DbwLabelType      dbw_template_get_label_type           (DbwTemplate *self);
void              dbw_template_set_label_type           (DbwTemplate *self,
                                                         DbwLabelType label_type);
const char *      dbw_template_get_system_prompt        (DbwTemplate *self);
void              dbw_template_set_system_prompt        (DbwTemplate *self,
                                                         const char *system_prompt);
const char *      dbw_template_get_user_prompt_template (DbwTemplate *self);
void              dbw_template_set_user_prompt_template (DbwTemplate *self,
                                                         const char *user_prompt_template);
const char *      dbw_template_get_input_schema         (DbwTemplate *self);
void              dbw_template_set_input_schema         (DbwTemplate *self,
                                                         const char *input_schema);
const char *      dbw_template_get_output_schema        (DbwTemplate *self);
void              dbw_template_set_output_schema        (DbwTemplate *self,
                                                         const char *output_schema);
const char *      dbw_template_get_base_model           (DbwTemplate *self);
void              dbw_template_set_base_model           (DbwTemplate *self,
                                                         const char *base_model);
double            dbw_template_get_temperature          (DbwTemplate *self);
void              dbw_template_set_temperature          (DbwTemplate *self,
                                                         double temperature);
gint64            dbw_template_get_max_tokens           (DbwTemplate *self);
void              dbw_template_set_max_tokens           (DbwTemplate *self,
                                                         gint64 max_tokens);
const char *      dbw_template_get_examples             (DbwTemplate *self);
void              dbw_template_set_examples             (DbwTemplate *self,
                                                         const char *examples);
const char *      dbw_template_get_source_catalog       (DbwTemplate *self);
void              dbw_template_set_source_catalog       (DbwTemplate *self,
                                                         const char *source_catalog);
const char *      dbw_template_get_source_schema        (DbwTemplate *self);
void              dbw_template_set_source_schema        (DbwTemplate *self,
                                                         const char *source_schema);
const char *      dbw_template_get_source_table         (DbwTemplate *self);
void              dbw_template_set_source_table         (DbwTemplate *self,
                                                         const char *source_table);
const char *      dbw_template_get_source_volume        (DbwTemplate *self);
void              dbw_template_set_source_volume        (DbwTemplate *self,
                                                         const char *source_volume);
const char *      dbw_template_get_created_by           (DbwTemplate *self);
void              dbw_template_set_created_by           (DbwTemplate *self,
                                                         const char *created_by);
const char *      dbw_template_get_created_at           (DbwTemplate *self);
void              dbw_template_set_created_at           (DbwTemplate *self,
                                                         const char *created_at);
const char *      dbw_template_get_updated_at           (DbwTemplate *self);
void              dbw_template_set_updated_at           (DbwTemplate *self,
                                                         const char *updated_at);

G_END_DECLS
