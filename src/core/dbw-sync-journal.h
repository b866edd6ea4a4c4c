/* dbw-sync-journal.h
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

#define DBW_SYNC_ERROR (dbw_sync_error_quark ())

typedef enum
{
  DBW_SYNC_ERROR_NOT_LINKED,
  DBW_SYNC_ERROR_INVALID_TARGET,  /* not "catalog.schema" */
  DBW_SYNC_ERROR_INVALID_ROW,     /* a row from the workspace that does not fit the project */
  DBW_SYNC_ERROR_FAILED,          /* the workspace refused or failed; the message says why */
} DbwSyncError;

GQuark dbw_sync_error_quark (void);

typedef enum
{
  DBW_SYNC_TABLE_MUTABLE,      /* the newer change wins: by the timestamp column if there is one */
  DBW_SYNC_TABLE_APPEND_ONLY,  /* rows never change once written */
  DBW_SYNC_TABLE_VERSIONED,    /* canonical labels: the higher version wins, the loser is kept */
} DbwSyncTableKind;

typedef enum
{
  DBW_SYNC_COLUMN_TEXT,
  DBW_SYNC_COLUMN_INTEGER,
  DBW_SYNC_COLUMN_REAL,
  DBW_SYNC_COLUMN_BLOB,        /* base64 on the wire */
} DbwSyncColumnType;

/* A table as it is synced: its columns in the order every row of it is exchanged. Values
 * travel as text ("wire" form): integers in decimal, reals in the shortest form that reads
 * back the same, blobs in base64, SQL NULL as %NULL. */
typedef struct
{
  char               *name;
  char               *key;        /* the primary key column; also columns[0] */
  DbwSyncTableKind    kind;
  char               *timestamp;  /* orders concurrent changes of a MUTABLE or VERSIONED row */
  guint               n_columns;
  char              **columns;
  DbwSyncColumnType  *types;
} DbwSyncTable;

/* Outbox entries of one table, oldest first. */
typedef struct
{
  const DbwSyncTable *table;
  GArray             *seqs;      /* gint64: the outbox entries this batch answers */
  GPtrArray          *rows;      /* GPtrArray of char *: wire values of each row to upsert */
  GPtrArray          *deleted;   /* char *: keys of deleted rows */
} DbwSyncBatch;

void     dbw_sync_batch_free   (DbwSyncBatch *batch);
gboolean dbw_sync_wire_is_true (const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwSyncBatch, dbw_sync_batch_free)

typedef struct
{
  guint inserted;
  guint updated;
  guint deleted;
  guint unchanged;
  guint conflicts;  /* concurrent edits: the loser is kept and flagged for review */
  guint rejected;   /* rows that do not fit this project (named in the warnings log) */
} DbwSyncApplyStats;

#define DBW_TYPE_SYNC_JOURNAL (dbw_sync_journal_get_type ())

G_DECLARE_FINAL_TYPE (DbwSyncJournal, dbw_sync_journal, DBW, SYNC_JOURNAL, GObject)

DbwSyncJournal      *dbw_sync_journal_new             (DbwStore            *store,
                                                       GError             **error);
DbwStore            *dbw_sync_journal_get_store       (DbwSyncJournal      *self);
const DbwSyncTable *const *dbw_sync_journal_get_tables (DbwSyncJournal     *self,
                                                       guint               *n_tables);
const DbwSyncTable  *dbw_sync_journal_find_table      (DbwSyncJournal      *self,
                                                       const char          *name);

gboolean             dbw_sync_parse_target            (const char          *target,
                                                       char               **catalog,
                                                       char               **schema,
                                                       GError             **error);
gboolean             dbw_sync_journal_link            (DbwSyncJournal      *self,
                                                       const char          *target,
                                                       GError             **error);
gboolean             dbw_sync_journal_unlink          (DbwSyncJournal      *self,
                                                       GError             **error);
char                *dbw_sync_journal_dup_target      (DbwSyncJournal      *self);
char                *dbw_sync_journal_dup_client_id   (DbwSyncJournal      *self);
char                *dbw_sync_journal_dup_watermark   (DbwSyncJournal      *self);
gboolean             dbw_sync_journal_set_watermark   (DbwSyncJournal      *self,
                                                       const char          *watermark,
                                                       GError             **error);
gint64               dbw_sync_journal_count_pending   (DbwSyncJournal      *self,
                                                       GError             **error);
char                *dbw_sync_journal_dup_state       (DbwSyncJournal      *self,
                                                       const char          *key);
gboolean             dbw_sync_journal_set_state       (DbwSyncJournal      *self,
                                                       const char          *key,
                                                       const char          *value,
                                                       GError             **error);
char                *dbw_sync_journal_put_blob        (DbwSyncJournal      *self,
                                                       GBytes              *contents,
                                                       const char          *content_type,
                                                       GError             **error);

DbwSyncBatch        *dbw_sync_journal_next_batch      (DbwSyncJournal      *self,
                                                       guint                max_rows,
                                                       GError             **error);
gboolean             dbw_sync_journal_ack             (DbwSyncJournal      *self,
                                                       DbwSyncBatch        *batch,
                                                       GError             **error);
gboolean             dbw_sync_journal_apply           (DbwSyncJournal      *self,
                                                       const DbwSyncTable  *table,
                                                       guint                n_columns,
                                                       const char * const  *column_names,
                                                       GPtrArray           *rows,
                                                       DbwSyncApplyStats   *stats,
                                                       GError             **error);
gint64               dbw_sync_journal_count_flagged   (DbwSyncJournal      *self,
                                                       GError             **error);

G_END_DECLS
