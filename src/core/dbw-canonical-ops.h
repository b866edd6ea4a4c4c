/* dbw-canonical-ops.h
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

#include <gio/gio.h>

#include "dbw-canonical-label.h"
#include "dbw-enums.h"
#include "dbw-item.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_CANONICAL_OPS_ERROR (dbw_canonical_ops_error_quark ())

typedef enum
{
  DBW_CANONICAL_OPS_ERROR_INVALID,   /* label_data fails the template's output schema, empty text… */
  DBW_CANONICAL_OPS_ERROR_CONFLICT,  /* someone saved a newer version since this one was read */
} DbwCanonicalOpsError;

/* One version of a canonical label as the history view lists it (the current one included). */
typedef struct
{
  gint64                 version;
  char                  *label_data;
  DbwConfidence          confidence;
  char                  *notes;
  char                 **allowed_uses;
  char                 **prohibited_uses;
  char                  *usage_reason;
  DbwDataClassification  data_classification;
  char                  *modified_by;
  char                  *modified_at;
} DbwCanonicalVersion;

void        dbw_canonical_version_free        (DbwCanonicalVersion *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwCanonicalVersion, dbw_canonical_version_free)

GQuark      dbw_canonical_ops_error_quark     (void);

/* Mode B. Creates the label, or, when @label has an id that exists, saves it as the next version
 * (expects dbw_canonical_label_get_version() to be the version it was read at; a newer one in the
 * store is DBW_CANONICAL_OPS_ERROR_CONFLICT). One transaction; stamps labeled_by/at or
 * last_modified_by/at with dbw_store_get_user(); constraint changes are audited by the store
 * with @label's usage_reason. On success @label holds the stored row (id, version, stamps). */
gboolean    dbw_canonical_ops_save            (DbwStore            *store,
                                               DbwCanonicalLabel   *label,
                                               GError             **error);
/* (transfer full) (nullable): the label for (sheet, item, type), %NULL without error when none. */
DbwCanonicalLabel *dbw_canonical_ops_lookup   (DbwStore            *store,
                                               const char          *sheet_id,
                                               const char          *item_ref,
                                               DbwLabelType         label_type,
                                               GError             **error);
/* A new, unsaved label for @item with usage constraints defaulted from the item's own constraints
 * (which carry the source's PII/PHI tags), confidence high. */
DbwCanonicalLabel *dbw_canonical_ops_new_for_item (DbwStore        *store,
                                               DbwItem             *item,
                                               DbwLabelType         label_type);
/* (element-type DbwCanonicalVersion): newest first, the current version included. */
GPtrArray  *dbw_canonical_ops_list_history    (DbwStore            *store,
                                               const char          *label_id,
                                               GError             **error);

/* Walking a sheet: the current items (newest version of each item_ref), in item order. */
gint64      dbw_canonical_ops_count_items     (DbwStore            *store,
                                               const char          *sheet_id,
                                               GError             **error);
gint64      dbw_canonical_ops_count_labeled   (DbwStore            *store,
                                               const char          *sheet_id,
                                               DbwLabelType         label_type,
                                               GError             **error);
/* (transfer full) (nullable): the first item after @after_item_ref (or from the start when
 * %NULL) with no label of @label_type, wrapping around once; %NULL when every item is labeled. */
DbwItem    *dbw_canonical_ops_next_unlabeled  (DbwStore            *store,
                                               const char          *sheet_id,
                                               DbwLabelType         label_type,
                                               const char          *after_item_ref,
                                               GError             **error);
/* (transfer full) (nullable): the newest version of the item @item_ref of the sheet. */
DbwItem    *dbw_canonical_ops_current_item    (DbwStore            *store,
                                               const char          *sheet_id,
                                               const char          *item_ref,
                                               GError             **error);
/* (transfer full) (nullable): the sheet's first item in item order, %NULL when it has none. */
DbwItem    *dbw_canonical_ops_first_item      (DbwStore            *store,
                                               const char          *sheet_id,
                                               GError             **error);
/* (transfer full) (nullable): the item before/after @item_ref in item order, %NULL at the ends. */
DbwItem    *dbw_canonical_ops_adjacent_item   (DbwStore            *store,
                                               const char          *sheet_id,
                                               const char          *item_ref,
                                               gboolean             forward,
                                               GError             **error);

/* (transfer full): the ids of the sheet's labels of @label_type, in the order they were made;
 * the async form reads them in a worker thread, on a connection of its own. */
GStrv       dbw_canonical_ops_list_ids        (DbwStore            *store,
                                               const char          *sheet_id,
                                               DbwLabelType         label_type,
                                               GError             **error);
void        dbw_canonical_ops_list_ids_async  (DbwStore            *store,
                                               const char          *sheet_id,
                                               DbwLabelType         label_type,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GStrv       dbw_canonical_ops_list_ids_finish (DbwStore            *store,
                                               GAsyncResult        *result,
                                               GError             **error);

/* (transfer full): the classes the sheet's object-detection labels use, each once, in the
 * order they first appear. */
GStrv       dbw_canonical_ops_list_classes    (DbwStore            *store,
                                               const char          *sheet_id,
                                               GError             **error);

/* One JSON object per line: id, sheet_id, item_ref, label_type, label_data (as JSON), confidence,
 * notes, allowed_uses, prohibited_uses, usage_reason, data_classification, labeled_by,
 * labeled_at, version. Only the labels whose usage constraints allow @use leave; the others
 * are counted in @n_withheld. Returns the number of labels written, -1 on error. */
gint64      dbw_canonical_ops_export_jsonl    (DbwStore            *store,
                                               const char          *sheet_id,
                                               DbwLabelType         label_type,
                                               const char          *use,
                                               GOutputStream       *stream,
                                               gint64              *n_withheld,
                                               GCancellable        *cancellable,
                                               GError             **error);

G_END_DECLS
