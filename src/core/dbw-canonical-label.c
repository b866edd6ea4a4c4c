/* dbw-canonical-label.c
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

#define G_LOG_DOMAIN "dbw-canonical-label"

#include "config.h"

#include "dbw-canonical-label.h"

/* An expert's ground truth for one (sheet, item, label type); label once, reuse everywhere.
 * Storage, notification, JSON and SQL mapping come from DbwRecord; this class declares the
 * columns of the `canonical_labels` table, in table order. */

struct _DbwCanonicalLabel
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwCanonicalLabel, dbw_canonical_label, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_SHEET_ID,
  PROP_ITEM_REF,
  PROP_LABEL_TYPE,
  PROP_LABEL_DATA,
  PROP_CONFIDENCE,
  PROP_NOTES,
  PROP_ALLOWED_USES,
  PROP_PROHIBITED_USES,
  PROP_USAGE_REASON,
  PROP_DATA_CLASSIFICATION,
  PROP_LABELED_BY,
  PROP_LABELED_AT,
  PROP_LAST_MODIFIED_BY,
  PROP_LAST_MODIFIED_AT,
  PROP_VERSION,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_canonical_label_class_init (DbwCanonicalLabelClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "canonical_labels";
  record_class->versioned = TRUE;

  /**
   * DbwCanonicalLabel:sheet-id:
   *
   * The source sheet.
   */
  properties [PROP_SHEET_ID] =
    g_param_spec_string ("sheet-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SHEET_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:item-ref:
   *
   * The labeled item's reference.
   */
  properties [PROP_ITEM_REF] =
    g_param_spec_string ("item-ref", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_ITEM_REF], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:label-type:
   *
   * The kind of label.
   */
  properties [PROP_LABEL_TYPE] =
    g_param_spec_enum ("label-type", NULL, NULL,
                       DBW_TYPE_LABEL_TYPE,
                       DBW_LABEL_TYPE_CLASSIFICATION,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABEL_TYPE], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:label-data:
   *
   * The label itself, as JSON.
   */
  properties [PROP_LABEL_DATA] =
    g_param_spec_string ("label-data", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABEL_DATA], DBW_COLUMN_JSON);

  /**
   * DbwCanonicalLabel:confidence:
   *
   * The expert's confidence.
   */
  properties [PROP_CONFIDENCE] =
    g_param_spec_enum ("confidence", NULL, NULL,
                       DBW_TYPE_CONFIDENCE,
                       DBW_CONFIDENCE_HIGH,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CONFIDENCE], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:notes:
   *
   * The expert's notes or reasoning.
   */
  properties [PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_NOTES], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:allowed-uses:
   *
   * Uses the label may be put to.
   */
  properties [PROP_ALLOWED_USES] =
    g_param_spec_boxed ("allowed-uses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_ALLOWED_USES], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:prohibited-uses:
   *
   * Uses the label must never be put to.
   */
  properties [PROP_PROHIBITED_USES] =
    g_param_spec_boxed ("prohibited-uses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_PROHIBITED_USES], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:usage-reason:
   *
   * Why the usage constraints are what they are.
   */
  properties [PROP_USAGE_REASON] =
    g_param_spec_string ("usage-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_USAGE_REASON], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:data-classification:
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
   * DbwCanonicalLabel:labeled-by:
   *
   * The expert who created the label.
   */
  properties [PROP_LABELED_BY] =
    g_param_spec_string ("labeled-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABELED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:labeled-at:
   *
   * When the label was created (ISO 8601 UTC).
   */
  properties [PROP_LABELED_AT] =
    g_param_spec_string ("labeled-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABELED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:last-modified-by:
   *
   * The last editor.
   */
  properties [PROP_LAST_MODIFIED_BY] =
    g_param_spec_string ("last-modified-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LAST_MODIFIED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:last-modified-at:
   *
   * When the label last changed (ISO 8601 UTC).
   */
  properties [PROP_LAST_MODIFIED_AT] =
    g_param_spec_string ("last-modified-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LAST_MODIFIED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:version:
   *
   * Label version; every update through the store bumps it.
   */
  properties [PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL,
                        0, G_MAXINT64, 1,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_VERSION], DBW_COLUMN_DEFAULT);

  /**
   * DbwCanonicalLabel:created-at:
   *
   * When the row was created (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_canonical_label_init (DbwCanonicalLabel *self)
{
}

DbwCanonicalLabel *
dbw_canonical_label_new (void)
{
  return g_object_new (DBW_TYPE_CANONICAL_LABEL, NULL);
}

const char *
dbw_canonical_label_get_sheet_id (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SHEET_ID);
}

void
dbw_canonical_label_set_sheet_id (DbwCanonicalLabel *self,
                                  const char *sheet_id)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SHEET_ID, sheet_id);
}

const char *
dbw_canonical_label_get_item_ref (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_ITEM_REF);
}

void
dbw_canonical_label_set_item_ref (DbwCanonicalLabel *self,
                                  const char *item_ref)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_ITEM_REF, item_ref);
}

DbwLabelType
dbw_canonical_label_get_label_type (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), 0);

  return (DbwLabelType) dbw_record_get_enum (DBW_RECORD (self), PROP_LABEL_TYPE);
}

void
dbw_canonical_label_set_label_type (DbwCanonicalLabel *self,
                                    DbwLabelType      label_type)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_LABEL_TYPE, label_type);
}

const char *
dbw_canonical_label_get_label_data (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_LABEL_DATA);
}

void
dbw_canonical_label_set_label_data (DbwCanonicalLabel *self,
                                    const char *label_data)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_LABEL_DATA, label_data);
}

DbwConfidence
dbw_canonical_label_get_confidence (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), 0);

  return (DbwConfidence) dbw_record_get_enum (DBW_RECORD (self), PROP_CONFIDENCE);
}

void
dbw_canonical_label_set_confidence (DbwCanonicalLabel *self,
                                    DbwConfidence     confidence)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_CONFIDENCE, confidence);
}

const char *
dbw_canonical_label_get_notes (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_NOTES);
}

void
dbw_canonical_label_set_notes (DbwCanonicalLabel *self,
                               const char *notes)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_NOTES, notes);
}

const char * const *
dbw_canonical_label_get_allowed_uses (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_ALLOWED_USES);
}

void
dbw_canonical_label_set_allowed_uses (DbwCanonicalLabel *self,
                                      const char * const *allowed_uses)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_ALLOWED_USES, allowed_uses);
}

const char * const *
dbw_canonical_label_get_prohibited_uses (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_PROHIBITED_USES);
}

void
dbw_canonical_label_set_prohibited_uses (DbwCanonicalLabel *self,
                                         const char * const *prohibited_uses)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_PROHIBITED_USES, prohibited_uses);
}

const char *
dbw_canonical_label_get_usage_reason (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_USAGE_REASON);
}

void
dbw_canonical_label_set_usage_reason (DbwCanonicalLabel *self,
                                      const char *usage_reason)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_USAGE_REASON, usage_reason);
}

DbwDataClassification
dbw_canonical_label_get_data_classification (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), 0);

  return (DbwDataClassification) dbw_record_get_enum (DBW_RECORD (self), PROP_DATA_CLASSIFICATION);
}

void
dbw_canonical_label_set_data_classification (DbwCanonicalLabel *self,
                                             DbwDataClassification data_classification)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_DATA_CLASSIFICATION, data_classification);
}

const char *
dbw_canonical_label_get_labeled_by (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_LABELED_BY);
}

void
dbw_canonical_label_set_labeled_by (DbwCanonicalLabel *self,
                                    const char *labeled_by)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_LABELED_BY, labeled_by);
}

const char *
dbw_canonical_label_get_labeled_at (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_LABELED_AT);
}

void
dbw_canonical_label_set_labeled_at (DbwCanonicalLabel *self,
                                    const char *labeled_at)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_LABELED_AT, labeled_at);
}

const char *
dbw_canonical_label_get_last_modified_by (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_LAST_MODIFIED_BY);
}

void
dbw_canonical_label_set_last_modified_by (DbwCanonicalLabel *self,
                                          const char *last_modified_by)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_LAST_MODIFIED_BY, last_modified_by);
}

const char *
dbw_canonical_label_get_last_modified_at (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_LAST_MODIFIED_AT);
}

void
dbw_canonical_label_set_last_modified_at (DbwCanonicalLabel *self,
                                          const char *last_modified_at)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_LAST_MODIFIED_AT, last_modified_at);
}

gint64
dbw_canonical_label_get_version (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_VERSION);
}

void
dbw_canonical_label_set_version (DbwCanonicalLabel *self,
                                 gint64            version)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_VERSION, version);
}

const char *
dbw_canonical_label_get_created_at (DbwCanonicalLabel *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_canonical_label_set_created_at (DbwCanonicalLabel *self,
                                    const char *created_at)
{
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}
