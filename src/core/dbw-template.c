/* dbw-template.c
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

#define G_LOG_DOMAIN "dbw-template"

#include "config.h"

#include "dbw-template.h"

/* A Prompt Template version; published versions never change.
 * Storage, notification, JSON and SQL mapping come from DbwRecord; this class declares the
 * columns of the `templates` table, in table order. */

struct _DbwTemplate
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwTemplate, dbw_template, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_TEMPLATE_ID,
  PROP_VERSION,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_STATUS,
  PROP_LABEL_TYPE,
  PROP_SYSTEM_PROMPT,
  PROP_USER_PROMPT_TEMPLATE,
  PROP_INPUT_SCHEMA,
  PROP_OUTPUT_SCHEMA,
  PROP_BASE_MODEL,
  PROP_TEMPERATURE,
  PROP_MAX_TOKENS,
  PROP_EXAMPLES,
  PROP_SOURCE_CATALOG,
  PROP_SOURCE_SCHEMA,
  PROP_SOURCE_TABLE,
  PROP_SOURCE_VOLUME,
  PROP_CREATED_BY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_template_class_init (DbwTemplateClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "templates";

  /**
   * DbwTemplate:template-id:
   *
   * The id shared by every version of the template.
   */
  properties [PROP_TEMPLATE_ID] =
    g_param_spec_string ("template-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TEMPLATE_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:version:
   *
   * The version number.
   */
  properties [PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL,
                        0, G_MAXINT64, 1,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_VERSION], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:name:
   *
   * The template's name.
   */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_NAME], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:description:
   *
   * What the template is for.
   */
  properties [PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DESCRIPTION], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:status:
   *
   * Lifecycle state.
   */
  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       DBW_TYPE_TEMPLATE_STATUS,
                       DBW_TEMPLATE_STATUS_DRAFT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_STATUS], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:label-type:
   *
   * The kind of task the template serves.
   */
  properties [PROP_LABEL_TYPE] =
    g_param_spec_enum ("label-type", NULL, NULL,
                       DBW_TYPE_LABEL_TYPE,
                       DBW_LABEL_TYPE_QA,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABEL_TYPE], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:system-prompt:
   *
   * Sets the model's behaviour.
   */
  properties [PROP_SYSTEM_PROMPT] =
    g_param_spec_string ("system-prompt", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SYSTEM_PROMPT], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:user-prompt-template:
   *
   * The user prompt with {{variable}} placeholders.
   */
  properties [PROP_USER_PROMPT_TEMPLATE] =
    g_param_spec_string ("user-prompt-template", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_USER_PROMPT_TEMPLATE], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:input-schema:
   *
   * JSON Schema of the expected input.
   */
  properties [PROP_INPUT_SCHEMA] =
    g_param_spec_string ("input-schema", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_INPUT_SCHEMA], DBW_COLUMN_JSON);

  /**
   * DbwTemplate:output-schema:
   *
   * JSON Schema of the expected output.
   */
  properties [PROP_OUTPUT_SCHEMA] =
    g_param_spec_string ("output-schema", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_OUTPUT_SCHEMA], DBW_COLUMN_JSON);

  /**
   * DbwTemplate:base-model:
   *
   * The model to use.
   */
  properties [PROP_BASE_MODEL] =
    g_param_spec_string ("base-model", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_BASE_MODEL], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:temperature:
   *
   * Sampling temperature.
   */
  properties [PROP_TEMPERATURE] =
    g_param_spec_double ("temperature", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TEMPERATURE], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:max-tokens:
   *
   * Maximum response length.
   */
  properties [PROP_MAX_TOKENS] =
    g_param_spec_int64 ("max-tokens", NULL, NULL,
                        0, G_MAXINT64, 1024,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MAX_TOKENS], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:examples:
   *
   * Few-shot examples, as a JSON array.
   */
  properties [PROP_EXAMPLES] =
    g_param_spec_string ("examples", NULL, NULL,
                         "[]",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_EXAMPLES], DBW_COLUMN_JSON);

  /**
   * DbwTemplate:source-catalog:
   *
   * Unity Catalog catalog of the source.
   */
  properties [PROP_SOURCE_CATALOG] =
    g_param_spec_string ("source-catalog", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SOURCE_CATALOG], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:source-schema:
   *
   * Unity Catalog schema of the source.
   */
  properties [PROP_SOURCE_SCHEMA] =
    g_param_spec_string ("source-schema", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SOURCE_SCHEMA], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:source-table:
   *
   * Unity Catalog table of the source.
   */
  properties [PROP_SOURCE_TABLE] =
    g_param_spec_string ("source-table", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SOURCE_TABLE], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:source-volume:
   *
   * Unity Catalog volume of the source.
   */
  properties [PROP_SOURCE_VOLUME] =
    g_param_spec_string ("source-volume", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SOURCE_VOLUME], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:created-by:
   *
   * Who created the version.
   */
  properties [PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:created-at:
   *
   * When the version was created (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwTemplate:updated-at:
   *
   * When the draft last changed (ISO 8601 UTC).
   */
  properties [PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_UPDATED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_template_init (DbwTemplate *self)
{
}

DbwTemplate *
dbw_template_new (void)
{
  return g_object_new (DBW_TYPE_TEMPLATE, NULL);
}

const char *
dbw_template_get_template_id (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TEMPLATE_ID);
}

void
dbw_template_set_template_id (DbwTemplate *self,
                              const char *template_id)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TEMPLATE_ID, template_id);
}

gint64
dbw_template_get_version (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_VERSION);
}

void
dbw_template_set_version (DbwTemplate *self,
                          gint64      version)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_VERSION, version);
}

const char *
dbw_template_get_name (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_NAME);
}

void
dbw_template_set_name (DbwTemplate *self,
                       const char *name)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_NAME, name);
}

const char *
dbw_template_get_description (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_DESCRIPTION);
}

void
dbw_template_set_description (DbwTemplate *self,
                              const char *description)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_DESCRIPTION, description);
}

DbwTemplateStatus
dbw_template_get_status (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), 0);

  return (DbwTemplateStatus) dbw_record_get_enum (DBW_RECORD (self), PROP_STATUS);
}

void
dbw_template_set_status (DbwTemplate *self,
                         DbwTemplateStatus status)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_STATUS, status);
}

DbwLabelType
dbw_template_get_label_type (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), 0);

  return (DbwLabelType) dbw_record_get_enum (DBW_RECORD (self), PROP_LABEL_TYPE);
}

void
dbw_template_set_label_type (DbwTemplate *self,
                             DbwLabelType label_type)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_LABEL_TYPE, label_type);
}

const char *
dbw_template_get_system_prompt (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SYSTEM_PROMPT);
}

void
dbw_template_set_system_prompt (DbwTemplate *self,
                                const char *system_prompt)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SYSTEM_PROMPT, system_prompt);
}

const char *
dbw_template_get_user_prompt_template (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_USER_PROMPT_TEMPLATE);
}

void
dbw_template_set_user_prompt_template (DbwTemplate *self,
                                       const char *user_prompt_template)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_USER_PROMPT_TEMPLATE, user_prompt_template);
}

const char *
dbw_template_get_input_schema (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_INPUT_SCHEMA);
}

void
dbw_template_set_input_schema (DbwTemplate *self,
                               const char *input_schema)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_INPUT_SCHEMA, input_schema);
}

const char *
dbw_template_get_output_schema (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_OUTPUT_SCHEMA);
}

void
dbw_template_set_output_schema (DbwTemplate *self,
                                const char *output_schema)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_OUTPUT_SCHEMA, output_schema);
}

const char *
dbw_template_get_base_model (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_BASE_MODEL);
}

void
dbw_template_set_base_model (DbwTemplate *self,
                             const char *base_model)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_BASE_MODEL, base_model);
}

double
dbw_template_get_temperature (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), 0);

  return dbw_record_get_double (DBW_RECORD (self), PROP_TEMPERATURE);
}

void
dbw_template_set_temperature (DbwTemplate *self,
                              double      temperature)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_double (DBW_RECORD (self), PROP_TEMPERATURE, temperature);
}

gint64
dbw_template_get_max_tokens (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_MAX_TOKENS);
}

void
dbw_template_set_max_tokens (DbwTemplate *self,
                             gint64      max_tokens)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_MAX_TOKENS, max_tokens);
}

const char *
dbw_template_get_examples (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_EXAMPLES);
}

void
dbw_template_set_examples (DbwTemplate *self,
                           const char *examples)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_EXAMPLES, examples);
}

const char *
dbw_template_get_source_catalog (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SOURCE_CATALOG);
}

void
dbw_template_set_source_catalog (DbwTemplate *self,
                                 const char *source_catalog)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SOURCE_CATALOG, source_catalog);
}

const char *
dbw_template_get_source_schema (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SOURCE_SCHEMA);
}

void
dbw_template_set_source_schema (DbwTemplate *self,
                                const char *source_schema)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SOURCE_SCHEMA, source_schema);
}

const char *
dbw_template_get_source_table (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SOURCE_TABLE);
}

void
dbw_template_set_source_table (DbwTemplate *self,
                               const char *source_table)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SOURCE_TABLE, source_table);
}

const char *
dbw_template_get_source_volume (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SOURCE_VOLUME);
}

void
dbw_template_set_source_volume (DbwTemplate *self,
                                const char *source_volume)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SOURCE_VOLUME, source_volume);
}

const char *
dbw_template_get_created_by (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_BY);
}

void
dbw_template_set_created_by (DbwTemplate *self,
                             const char *created_by)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_BY, created_by);
}

const char *
dbw_template_get_created_at (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_template_set_created_at (DbwTemplate *self,
                             const char *created_at)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}

const char *
dbw_template_get_updated_at (DbwTemplate *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_UPDATED_AT);
}

void
dbw_template_set_updated_at (DbwTemplate *self,
                             const char *updated_at)
{
  g_return_if_fail (DBW_IS_TEMPLATE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_UPDATED_AT, updated_at);
}
