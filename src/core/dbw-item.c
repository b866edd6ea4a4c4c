/* dbw-item.c
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

#define G_LOG_DOMAIN "dbw-item"

#include "config.h"

#include "dbw-item.h"

/* An Item: one immutable version of a source unit of a sheet (a row, a text, a PDF or an image).
 * Storage, notification, JSON and SQL mapping come from DbwRecord; this class declares the
 * columns of the `items` table, in table order. */

struct _DbwItem
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwItem, dbw_item, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_SHEET_ID,
  PROP_ITEM_REF,
  PROP_VERSION,
  PROP_DERIVED_FROM,
  PROP_MODALITY,
  PROP_FIELDS,
  PROP_BLOB_HASH,
  PROP_CONTENT_TYPE,
  PROP_TEXT_CONTENT,
  PROP_ALLOWED_USES,
  PROP_PROHIBITED_USES,
  PROP_USAGE_REASON,
  PROP_DATA_CLASSIFICATION,
  PROP_TAGS,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_item_class_init (DbwItemClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "items";

  /**
   * DbwItem:sheet-id:
   *
   * The sheet the item belongs to.
   */
  properties [PROP_SHEET_ID] =
    g_param_spec_string ("sheet-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SHEET_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:item-ref:
   *
   * The item's reference within its sheet, such as a file name or row key.
   */
  properties [PROP_ITEM_REF] =
    g_param_spec_string ("item-ref", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_ITEM_REF], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:version:
   *
   * Version of the item; editing makes a new version.
   */
  properties [PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL,
                        0, G_MAXINT64, 1,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_VERSION], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:derived-from:
   *
   * Id of the item version this one was derived from.
   */
  properties [PROP_DERIVED_FROM] =
    g_param_spec_string ("derived-from", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DERIVED_FROM], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:modality:
   *
   * The kind of content.
   */
  properties [PROP_MODALITY] =
    g_param_spec_enum ("modality", NULL, NULL,
                       DBW_TYPE_MODALITY,
                       DBW_MODALITY_ROW,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MODALITY], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:fields:
   *
   * The item's fields as a JSON object.
   */
  properties [PROP_FIELDS] =
    g_param_spec_string ("fields", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_FIELDS], DBW_COLUMN_JSON);

  /**
   * DbwItem:blob-hash:
   *
   * SHA-256 of the item's file content in the blobs table.
   */
  properties [PROP_BLOB_HASH] =
    g_param_spec_string ("blob-hash", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_BLOB_HASH], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:content-type:
   *
   * Content type of the file, if any.
   */
  properties [PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CONTENT_TYPE], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:text-content:
   *
   * Text of the item, or the text extracted from its PDF.
   */
  properties [PROP_TEXT_CONTENT] =
    g_param_spec_string ("text-content", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TEXT_CONTENT], DBW_COLUMN_LARGE);

  /**
   * DbwItem:allowed-uses:
   *
   * Uses the item may be put to.
   */
  properties [PROP_ALLOWED_USES] =
    g_param_spec_boxed ("allowed-uses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_ALLOWED_USES], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:prohibited-uses:
   *
   * Uses the item must never be put to.
   */
  properties [PROP_PROHIBITED_USES] =
    g_param_spec_boxed ("prohibited-uses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_PROHIBITED_USES], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:usage-reason:
   *
   * Why the usage constraints are what they are.
   */
  properties [PROP_USAGE_REASON] =
    g_param_spec_string ("usage-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_USAGE_REASON], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:data-classification:
   *
   * Data classification.
   */
  properties [PROP_DATA_CLASSIFICATION] =
    g_param_spec_enum ("data-classification", NULL, NULL,
                       DBW_TYPE_DATA_CLASSIFICATION,
                       DBW_CLASSIFICATION_INTERNAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DATA_CLASSIFICATION], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:tags:
   *
   * Tags of the source, such as PII or PHI.
   */
  properties [PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TAGS], DBW_COLUMN_DEFAULT);

  /**
   * DbwItem:created-at:
   *
   * When the version was created (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_item_init (DbwItem *self)
{
}

DbwItem *
dbw_item_new (void)
{
  return g_object_new (DBW_TYPE_ITEM, NULL);
}

const char *
dbw_item_get_sheet_id (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SHEET_ID);
}

void
dbw_item_set_sheet_id (DbwItem *self,
                       const char *sheet_id)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SHEET_ID, sheet_id);
}

const char *
dbw_item_get_item_ref (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_ITEM_REF);
}

void
dbw_item_set_item_ref (DbwItem *self,
                       const char *item_ref)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_ITEM_REF, item_ref);
}

gint64
dbw_item_get_version (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_VERSION);
}

void
dbw_item_set_version (DbwItem *self,
                      gint64  version)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_VERSION, version);
}

const char *
dbw_item_get_derived_from (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_DERIVED_FROM);
}

void
dbw_item_set_derived_from (DbwItem *self,
                           const char *derived_from)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_DERIVED_FROM, derived_from);
}

DbwModality
dbw_item_get_modality (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), 0);

  return (DbwModality) dbw_record_get_enum (DBW_RECORD (self), PROP_MODALITY);
}

void
dbw_item_set_modality (DbwItem *self,
                       DbwModality modality)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_MODALITY, modality);
}

const char *
dbw_item_get_fields (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_FIELDS);
}

void
dbw_item_set_fields (DbwItem *self,
                     const char *fields)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_FIELDS, fields);
}

const char *
dbw_item_get_blob_hash (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_BLOB_HASH);
}

void
dbw_item_set_blob_hash (DbwItem *self,
                        const char *blob_hash)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_BLOB_HASH, blob_hash);
}

const char *
dbw_item_get_content_type (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CONTENT_TYPE);
}

void
dbw_item_set_content_type (DbwItem *self,
                           const char *content_type)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CONTENT_TYPE, content_type);
}

const char *
dbw_item_get_text_content (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TEXT_CONTENT);
}

void
dbw_item_set_text_content (DbwItem *self,
                           const char *text_content)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TEXT_CONTENT, text_content);
}

const char * const *
dbw_item_get_allowed_uses (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_ALLOWED_USES);
}

void
dbw_item_set_allowed_uses (DbwItem *self,
                           const char * const *allowed_uses)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_ALLOWED_USES, allowed_uses);
}

const char * const *
dbw_item_get_prohibited_uses (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_PROHIBITED_USES);
}

void
dbw_item_set_prohibited_uses (DbwItem *self,
                              const char * const *prohibited_uses)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_PROHIBITED_USES, prohibited_uses);
}

const char *
dbw_item_get_usage_reason (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_USAGE_REASON);
}

void
dbw_item_set_usage_reason (DbwItem *self,
                           const char *usage_reason)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_USAGE_REASON, usage_reason);
}

DbwDataClassification
dbw_item_get_data_classification (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), 0);

  return (DbwDataClassification) dbw_record_get_enum (DBW_RECORD (self), PROP_DATA_CLASSIFICATION);
}

void
dbw_item_set_data_classification (DbwItem *self,
                                  DbwDataClassification data_classification)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_DATA_CLASSIFICATION, data_classification);
}

const char * const *
dbw_item_get_tags (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_TAGS);
}

void
dbw_item_set_tags (DbwItem *self,
                   const char * const *tags)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_TAGS, tags);
}

const char *
dbw_item_get_created_at (DbwItem *self)
{
  g_return_val_if_fail (DBW_IS_ITEM (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_item_set_created_at (DbwItem *self,
                         const char *created_at)
{
  g_return_if_fail (DBW_IS_ITEM (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}
