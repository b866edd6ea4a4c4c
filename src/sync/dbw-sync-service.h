/* dbw-sync-service.h
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

#include "dbw-databricks.h"
#include "dbw-store.h"
#include "dbw-sync-journal.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_SYNC_STATE_UNLINKED,  /* the project is not linked to a workspace schema */
  DBW_SYNC_STATE_SYNCED,
  DBW_SYNC_STATE_PENDING,   /* local changes wait for the next sync */
  DBW_SYNC_STATE_SYNCING,
  DBW_SYNC_STATE_OFFLINE,   /* the workspace cannot be reached; retried later */
  DBW_SYNC_STATE_ERROR,     /* the workspace refused; see :message */
} DbwSyncState;

GType dbw_sync_state_get_type (void) G_GNUC_CONST;
#define DBW_TYPE_SYNC_STATE (dbw_sync_state_get_type ())

/* What one sync did. */
typedef struct
{
  guint             pushed;          /* rows upserted in the workspace */
  guint             pushed_deleted;  /* deletions pushed */
  guint             statements;      /* MERGE statements run */
  guint             staged;          /* batches staged as files in the volume */
  guint             blobs_uploaded;
  guint             blobs_downloaded;
  guint             pulled;          /* rows changed by others and read */
  DbwSyncApplyStats applied;
  guint             requests;        /* HTTP requests, retries included */
} DbwSyncReport;

GType          dbw_sync_report_get_type (void) G_GNUC_CONST;
#define DBW_TYPE_SYNC_REPORT (dbw_sync_report_get_type ())
DbwSyncReport *dbw_sync_report_copy     (const DbwSyncReport *report);
void           dbw_sync_report_free     (DbwSyncReport       *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwSyncReport, dbw_sync_report_free)

#define DBW_TYPE_SYNC_SERVICE (dbw_sync_service_get_type ())

G_DECLARE_FINAL_TYPE (DbwSyncService, dbw_sync_service, DBW, SYNC_SERVICE, GObject)

DbwSyncService *dbw_sync_service_new                 (DbwStore            *store,
                                                      DbwDatabricks       *databricks,
                                                      const char          *warehouse_id);
DbwStore       *dbw_sync_service_get_store           (DbwSyncService      *self);
DbwSyncState    dbw_sync_service_get_state           (DbwSyncService      *self);
gint64          dbw_sync_service_get_n_pending       (DbwSyncService      *self);
const char     *dbw_sync_service_get_message         (DbwSyncService      *self);
DbwSyncJournal *dbw_sync_service_get_journal         (DbwSyncService      *self);
char           *dbw_sync_service_dup_target          (DbwSyncService      *self);

guint           dbw_sync_service_get_batch_size      (DbwSyncService      *self);
void            dbw_sync_service_set_batch_size      (DbwSyncService      *self,
                                                      guint                rows);
guint           dbw_sync_service_get_stage_threshold (DbwSyncService      *self);
void            dbw_sync_service_set_stage_threshold (DbwSyncService      *self,
                                                      guint                rows);
void            dbw_sync_service_set_pull_overlap    (DbwSyncService      *self,
                                                      guint                seconds);
void            dbw_sync_service_set_pull_byte_limit (DbwSyncService      *self,
                                                      gint64               bytes);
void            dbw_sync_service_set_interval        (DbwSyncService      *self,
                                                      guint                seconds);

gboolean        dbw_sync_service_validate_target     (const char          *target,
                                                      GError             **error);
gboolean        dbw_sync_service_link                (DbwSyncService      *self,
                                                      const char          *target,
                                                      GError             **error);
void            dbw_sync_service_link_async          (DbwSyncService      *self,
                                                      const char          *target,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        dbw_sync_service_link_finish         (DbwSyncService      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean        dbw_sync_service_unlink              (DbwSyncService      *self,
                                                      GError             **error);

void            dbw_sync_service_sync_async          (DbwSyncService      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
DbwSyncReport  *dbw_sync_service_sync_finish         (DbwSyncService      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void            dbw_sync_service_start               (DbwSyncService      *self);
void            dbw_sync_service_stop                (DbwSyncService      *self);
void            dbw_sync_service_request_sync        (DbwSyncService      *self);

G_END_DECLS
