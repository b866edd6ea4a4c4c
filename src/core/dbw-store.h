/* dbw-store.h
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

#include "dbw-record.h"

G_BEGIN_DECLS

#define DBW_STORE_ERROR (dbw_store_error_quark ())

typedef enum
{
  DBW_STORE_ERROR_NOT_FOUND,
  DBW_STORE_ERROR_CONSTRAINT,
  DBW_STORE_ERROR_CORRUPT,
  DBW_STORE_ERROR_NOT_A_PROJECT,
  DBW_STORE_ERROR_NEWER_SCHEMA,
  DBW_STORE_ERROR_INVALID,
  DBW_STORE_ERROR_IO,
  DBW_STORE_ERROR_READ_ONLY,
} DbwStoreError;

typedef enum
{
  DBW_STORE_OPEN_DEFAULT = 0,
  DBW_STORE_OPEN_CREATE    = 1 << 0,
  DBW_STORE_OPEN_READ_ONLY = 1 << 1,
} DbwStoreOpenFlags;

typedef enum
{
  DBW_CHANGE_INSERTED,
  DBW_CHANGE_UPDATED,
  DBW_CHANGE_DELETED,
  DBW_CHANGE_RESET,
} DbwChangeKind;

/* Counts behind the sidebar's badges. */
typedef struct
{
  gint64 sheets;
  gint64 items;
  gint64 training_sheets;
  gint64 qa_pairs;
  gint64 unlabeled_pairs;
  gint64 labeled_pairs;
  gint64 exports;
  gint64 models;
  gint64 endpoints;
  gint64 feedback;
  gint64 templates;
  gint64 examples;
  gint64 dspy_runs;
  gint64 canonical_labels;
} DbwStageCounts;

#define DBW_TYPE_STORE (dbw_store_get_type ())

G_DECLARE_FINAL_TYPE (DbwStore, dbw_store, DBW, STORE, GObject)

GQuark      dbw_store_error_quark        (void);

DbwStore   *dbw_store_open               (GFile               *file,
                                          DbwStoreOpenFlags    flags,
                                          GError             **error);
void        dbw_store_open_async         (GFile               *file,
                                          DbwStoreOpenFlags    flags,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
DbwStore   *dbw_store_open_finish        (GAsyncResult        *result,
                                          GError             **error);
DbwStore   *dbw_store_open_connection    (DbwStore            *self,
                                          GError             **error);
gboolean    dbw_store_is_read_only       (DbwStore            *self);
void        dbw_store_close              (DbwStore            *self);

GFile      *dbw_store_get_file           (DbwStore            *self);
const char *dbw_store_get_path           (DbwStore            *self);
int         dbw_store_get_schema_version (DbwStore            *self);
const char *dbw_store_get_user           (DbwStore            *self);
void        dbw_store_set_user           (DbwStore            *self,
                                          const char          *user);
char       *dbw_store_dup_title          (DbwStore            *self);
gboolean    dbw_store_set_draft          (DbwStore            *self,
                                          const char          *key,
                                          const char          *value,
                                          GError             **error);
char       *dbw_store_dup_draft          (DbwStore            *self,
                                          const char          *key);
GStrv       dbw_store_list_drafts        (DbwStore            *self);
char       *dbw_store_get_meta           (DbwStore            *self,
                                          const char          *key);
gboolean    dbw_store_set_meta           (DbwStore            *self,
                                          const char          *key,
                                          const char          *value,
                                          GError             **error);

gboolean    dbw_store_begin              (DbwStore            *self,
                                          GError             **error);
gboolean    dbw_store_begin_read         (DbwStore            *self,
                                          GError             **error);
gboolean    dbw_store_begin_bulk         (DbwStore            *self,
                                          GError             **error);
gboolean    dbw_store_commit             (DbwStore            *self,
                                          GError             **error);
void        dbw_store_rollback           (DbwStore            *self);

gboolean    dbw_store_insert             (DbwStore            *self,
                                          gpointer             record,
                                          GError             **error);
gboolean    dbw_store_update             (DbwStore            *self,
                                          gpointer             record,
                                          GError             **error);
gboolean    dbw_store_update_changed     (DbwStore            *self,
                                          gpointer             record,
                                          gpointer             original,
                                          GError             **error);
gboolean    dbw_store_delete             (DbwStore            *self,
                                          GType                record_type,
                                          const char          *id,
                                          GError             **error);
void        dbw_store_delete_async       (DbwStore            *self,
                                          GType                record_type,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    dbw_store_delete_finish      (DbwStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);
gpointer    dbw_store_get                (DbwStore            *self,
                                          GType                record_type,
                                          const char          *id,
                                          GError             **error);
void        dbw_store_get_async          (DbwStore            *self,
                                          GType                record_type,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gpointer    dbw_store_get_finish         (DbwStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);
GPtrArray  *dbw_store_list               (DbwStore            *self,
                                          GType                record_type,
                                          const char          *column,
                                          const char          *value,
                                          GError             **error);
gint64      dbw_store_count              (DbwStore            *self,
                                          GType                record_type,
                                          const char          *column,
                                          const char          *value,
                                          GError             **error);
gboolean    dbw_store_get_stage_counts   (DbwStore            *self,
                                          DbwStageCounts      *counts,
                                          GError             **error);
void        dbw_store_get_stage_counts_async  (DbwStore            *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    dbw_store_get_stage_counts_finish (DbwStore            *self,
                                               GAsyncResult        *result,
                                               DbwStageCounts      *counts,
                                               GError             **error);
void        dbw_store_save_copy_async    (DbwStore            *self,
                                          GFile               *destination,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    dbw_store_save_copy_finish   (DbwStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

char       *dbw_store_put_blob           (DbwStore            *self,
                                          GBytes              *bytes,
                                          const char          *content_type,
                                          GError             **error);
GBytes     *dbw_store_get_blob           (DbwStore            *self,
                                          const char          *hash,
                                          GError             **error);
void        dbw_store_get_blob_async     (DbwStore            *self,
                                          const char          *hash,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GBytes     *dbw_store_get_blob_finish    (DbwStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

void        dbw_store_emit_reset         (DbwStore            *self);
void        dbw_store_emit_changed       (DbwStore            *self,
                                          const char          *table,
                                          DbwChangeKind        kind,
                                          const char          *id);

char       *dbw_now_iso8601              (void);

G_END_DECLS
