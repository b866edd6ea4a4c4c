/* dbw-sheet.c
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

#define G_LOG_DOMAIN "dbw-sheet"

#include "config.h"

#include "dbw-sheet.h"

/* A Sheet: a named dataset pointer over local files or Unity Catalog tables and volumes.
 * Storage, notification, JSON and SQL mapping come from DbwRecord; this class declares the
 * columns of the `sheets` table, in table order. */

struct _DbwSheet
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwSheet, dbw_sheet, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_SOURCE_KIND,
  PROP_PRIMARY_TABLE,
  PROP_SECONDARY_SOURCES,
  PROP_JOIN_KEYS,
  PROP_FILTER_CONDITION,
  PROP_SAMPLE_SIZE,
  PROP_SOURCE_PATH,
  PROP_PARENTS,
  PROP_DERIVATION,
  PROP_TAGS,
  PROP_CREATED_BY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_DELETED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_sheet_class_init (DbwSheetClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "sheets";

  /**
   * DbwSheet:name:
   *
   * The name shown in lists.
   */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_NAME], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:description:
   *
   * What the dataset is for.
   */
  properties [PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DESCRIPTION], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:source-kind:
   *
   * Where the items come from.
   */
  properties [PROP_SOURCE_KIND] =
    g_param_spec_enum ("source-kind", NULL, NULL,
                       DBW_TYPE_SOURCE_KIND,
                       DBW_SOURCE_KIND_LOCAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SOURCE_KIND], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:primary-table:
   *
   * The main Unity Catalog table (catalog.schema.table), if any.
   */
  properties [PROP_PRIMARY_TABLE] =
    g_param_spec_string ("primary-table", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_PRIMARY_TABLE], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:secondary-sources:
   *
   * Additional tables and volumes to join, as a JSON array of objects.
   */
  properties [PROP_SECONDARY_SOURCES] =
    g_param_spec_string ("secondary-sources", NULL, NULL,
                         "[]",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SECONDARY_SOURCES], DBW_COLUMN_JSON);

  /**
   * DbwSheet:join-keys:
   *
   * Columns joining the sources.
   */
  properties [PROP_JOIN_KEYS] =
    g_param_spec_boxed ("join-keys", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_JOIN_KEYS], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:filter-condition:
   *
   * An optional WHERE condition applied to the source.
   */
  properties [PROP_FILTER_CONDITION] =
    g_param_spec_string ("filter-condition", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_FILTER_CONDITION], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:sample-size:
   *
   * Optional row limit; -1 when unset.
   */
  properties [PROP_SAMPLE_SIZE] =
    g_param_spec_int64 ("sample-size", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SAMPLE_SIZE], DBW_COLUMN_NULLABLE);

  /**
   * DbwSheet:source-path:
   *
   * For local sheets, the file or folder the items were imported from.
   */
  properties [PROP_SOURCE_PATH] =
    g_param_spec_string ("source-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SOURCE_PATH], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:parents:
   *
   * Ids of the sheets a derived sheet was made from (attribution).
   */
  properties [PROP_PARENTS] =
    g_param_spec_boxed ("parents", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_PARENTS], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:derivation:
   *
   * How a derived sheet was made, as a JSON object (operation and parameters).
   */
  properties [PROP_DERIVATION] =
    g_param_spec_string ("derivation", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DERIVATION], DBW_COLUMN_JSON);

  /**
   * DbwSheet:tags:
   *
   * Tags of the source, such as PII or PHI.
   */
  properties [PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TAGS], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:created-by:
   *
   * Who created the sheet.
   */
  properties [PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:created-at:
   *
   * When the sheet was created (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:updated-at:
   *
   * When the sheet last changed (ISO 8601 UTC).
   */
  properties [PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_UPDATED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwSheet:deleted-at:
   *
   * When the user deleted the sheet (ISO 8601 UTC), or %NULL. A deleted sheet stays in the
   * project, hidden, while its deletion can still be undone.
   */
  properties [PROP_DELETED_AT] =
    g_param_spec_string ("deleted-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DELETED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_sheet_init (DbwSheet *self)
{
}

DbwSheet *
dbw_sheet_new (void)
{
  return g_object_new (DBW_TYPE_SHEET, NULL);
}

const char *
dbw_sheet_get_name (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_NAME);
}

void
dbw_sheet_set_name (DbwSheet *self,
                    const char *name)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_NAME, name);
}

const char *
dbw_sheet_get_description (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_DESCRIPTION);
}

void
dbw_sheet_set_description (DbwSheet *self,
                           const char *description)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_DESCRIPTION, description);
}

DbwSourceKind
dbw_sheet_get_source_kind (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), 0);

  return (DbwSourceKind) dbw_record_get_enum (DBW_RECORD (self), PROP_SOURCE_KIND);
}

void
dbw_sheet_set_source_kind (DbwSheet *self,
                           DbwSourceKind source_kind)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_SOURCE_KIND, source_kind);
}

const char *
dbw_sheet_get_primary_table (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_PRIMARY_TABLE);
}

void
dbw_sheet_set_primary_table (DbwSheet *self,
                             const char *primary_table)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_PRIMARY_TABLE, primary_table);
}

const char *
dbw_sheet_get_secondary_sources (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SECONDARY_SOURCES);
}

void
dbw_sheet_set_secondary_sources (DbwSheet *self,
                                 const char *secondary_sources)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SECONDARY_SOURCES, secondary_sources);
}

const char * const *
dbw_sheet_get_join_keys (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_JOIN_KEYS);
}

void
dbw_sheet_set_join_keys (DbwSheet *self,
                         const char * const *join_keys)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_JOIN_KEYS, join_keys);
}

const char *
dbw_sheet_get_filter_condition (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_FILTER_CONDITION);
}

void
dbw_sheet_set_filter_condition (DbwSheet *self,
                                const char *filter_condition)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_FILTER_CONDITION, filter_condition);
}

gint64
dbw_sheet_get_sample_size (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_SAMPLE_SIZE);
}

void
dbw_sheet_set_sample_size (DbwSheet *self,
                           gint64   sample_size)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_SAMPLE_SIZE, sample_size);
}

const char *
dbw_sheet_get_source_path (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SOURCE_PATH);
}

void
dbw_sheet_set_source_path (DbwSheet *self,
                           const char *source_path)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SOURCE_PATH, source_path);
}

const char * const *
dbw_sheet_get_parents (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_PARENTS);
}

void
dbw_sheet_set_parents (DbwSheet *self,
                       const char * const *parents)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_PARENTS, parents);
}

const char *
dbw_sheet_get_derivation (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_DERIVATION);
}

void
dbw_sheet_set_derivation (DbwSheet *self,
                          const char *derivation)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_DERIVATION, derivation);
}

const char * const *
dbw_sheet_get_tags (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_TAGS);
}

void
dbw_sheet_set_tags (DbwSheet *self,
                    const char * const *tags)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_TAGS, tags);
}

const char *
dbw_sheet_get_created_by (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_BY);
}

void
dbw_sheet_set_created_by (DbwSheet *self,
                          const char *created_by)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_BY, created_by);
}

const char *
dbw_sheet_get_created_at (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_sheet_set_created_at (DbwSheet *self,
                          const char *created_at)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}

const char *
dbw_sheet_get_updated_at (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_UPDATED_AT);
}

void
dbw_sheet_set_updated_at (DbwSheet *self,
                          const char *updated_at)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_UPDATED_AT, updated_at);
}

const char *
dbw_sheet_get_deleted_at (DbwSheet *self)
{
  g_return_val_if_fail (DBW_IS_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_DELETED_AT);
}

void
dbw_sheet_set_deleted_at (DbwSheet   *self,
                          const char *deleted_at)
{
  g_return_if_fail (DBW_IS_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_DELETED_AT, deleted_at);
}
