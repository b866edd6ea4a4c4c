/* dbw-query-model.h
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

#include "dbw-store.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_LABEL_FILTER_ANY,
  DBW_LABEL_FILTER_LABELED,
  DBW_LABEL_FILTER_UNLABELED,
} DbwLabelFilter;

#define DBW_TYPE_QUERY_MODEL (dbw_query_model_get_type ())

G_DECLARE_FINAL_TYPE (DbwQueryModel, dbw_query_model, DBW, QUERY_MODEL, GObject)

DbwQueryModel *dbw_query_model_new        (DbwStore       *store,
                                           GType           record_type);
DbwStore      *dbw_query_model_get_store  (DbwQueryModel  *self);
gboolean       dbw_query_model_set_filter (DbwQueryModel  *self,
                                           const char     *column,
                                           const char     *value,
                                           GError        **error);
gboolean       dbw_query_model_unset_filter (DbwQueryModel  *self,
                                             const char     *column,
                                             GError        **error);
void           dbw_query_model_clear_filters (DbwQueryModel *self);
gboolean       dbw_query_model_set_sort   (DbwQueryModel  *self,
                                           const char     *column,
                                           gboolean        descending,
                                           GError        **error);
gboolean       dbw_query_model_set_sort_field (DbwQueryModel  *self,
                                               const char     *field,
                                               gboolean        descending,
                                               GError        **error);
gboolean       dbw_query_model_set_search (DbwQueryModel  *self,
                                           const char     *text,
                                           GError        **error);
gboolean       dbw_query_model_set_current_only (DbwQueryModel  *self,
                                                 gboolean        current_only,
                                                 GError        **error);
gboolean       dbw_query_model_set_label_filter (DbwQueryModel   *self,
                                                 DbwLabelFilter   filter,
                                                 GError         **error);
gboolean       dbw_query_model_reload     (DbwQueryModel  *self,
                                           GError        **error);
guint          dbw_query_model_get_n_loaded (DbwQueryModel *self);
guint          dbw_query_model_find_rowid   (DbwQueryModel *self,
                                             gint64         rowid);
void           dbw_query_model_set_asynchronous (DbwQueryModel *self,
                                                 gboolean       asynchronous);
gboolean       dbw_query_model_get_loading (DbwQueryModel *self);
void           dbw_query_model_dup_ids_async  (DbwQueryModel       *self,
                                               const guint         *positions,
                                               guint                n_positions,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GStrv          dbw_query_model_dup_ids_finish (DbwQueryModel       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
