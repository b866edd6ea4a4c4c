/* dbw-export.h
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

/* Governed export of Training Sheets: the pairs that pass the dual gate
 * (dbw_governance_check_json) for one use, optionally split into train and validation,
 * written as files in a directory and recorded as an `exports` row (pair ids, counts,
 * split config, template versions, file hashes).
 *
 * Files in the output directory, each written to a temporary file and renamed into place:
 *   no split:  data.jsonl | data.csv | data/ (COCO annotations.json, YOLO, VOC)
 *   split:     train.jsonl + val.jsonl | train.csv + val.csv | train/ + val/
 *   always:    manifest.json — the export's lineage as recorded in the project.
 *
 * JSONL lines are {"messages": [{"role", "content"}, …]} (Databricks fine-tuning and
 * OpenAI-compatible trainers). CSV has one row per pair: id, item_ref, system, user,
 * assistant. Object-detection formats take the pair's canonical label (or its assistant
 * content parsed as object_detection label data) for image items. */

#define DBW_EXPORT_ERROR (dbw_export_error_quark ())

typedef enum
{
  DBW_EXPORT_ERROR_INVALID,  /* unknown sheet or use, fraction out of range, format not for these pairs… */
  DBW_EXPORT_ERROR_EMPTY,    /* no pair passes the gate: nothing is written */
  DBW_EXPORT_ERROR_FORMAT,   /* a pair whose messages or label cannot be written (names the pair) */
  DBW_EXPORT_ERROR_CHANGED,  /* a file is not the one the export wrote (its SHA-256 differs) */
  DBW_EXPORT_ERROR_GATE,     /* pairs an export wrote may no longer be used as it used them */
} DbwExportError;

GQuark dbw_export_error_quark (void);

typedef enum
{
  DBW_EXPORT_FORMAT_JSONL,
  DBW_EXPORT_FORMAT_CSV,
  DBW_EXPORT_FORMAT_COCO,
  DBW_EXPORT_FORMAT_YOLO,
  DBW_EXPORT_FORMAT_VOC,
} DbwExportFormat;

gboolean    dbw_export_format_from_string (const char       *name,     /* jsonl|csv|coco|yolo|voc */
                                           DbwExportFormat  *format);
const char *dbw_export_format_to_string   (DbwExportFormat   format);

typedef struct
{
  char            **training_sheet_ids;
  char             *use;            /* DBW_USE_*; default training */
  DbwExportFormat   format;         /* default JSONL */
  double            val_fraction;   /* 0 for no split, else in (0, 1) */
  guint64           seed;           /* the same seed and pairs give the same split */
  gboolean          stratify;       /* keep each label's share on both sides */
} DbwExportOptions;

DbwExportOptions *dbw_export_options_new  (void);
DbwExportOptions *dbw_export_options_copy (const DbwExportOptions *options);
void              dbw_export_options_free (DbwExportOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwExportOptions, dbw_export_options_free)

typedef struct
{
  char   *reason;   /* the pairs' usage_reason, "" when they give none */
  gint64  count;
} DbwExportReason;

/* What an export would write, or wrote: every pair of the chosen sheets is counted once,
 * under the first gate it fails. */
typedef struct
{
  char       *use;
  gint64      n_total;
  gint64      n_exported;
  gint64      n_unlabeled;
  gint64      n_rejected;
  gint64      n_flagged;
  gint64      n_prohibited;   /* use ∈ prohibited_uses */
  gint64      n_not_allowed;  /* use ∉ allowed_uses */
  GPtrArray  *reasons;        /* DbwExportReason of the constraint exclusions, most first */
  gint64      n_train;        /* with a split; else n_train == n_exported, n_val == 0 */
  gint64      n_val;
} DbwExportSummary;

void              dbw_export_summary_free    (DbwExportSummary       *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwExportSummary, dbw_export_summary_free)
/* The lines the export dialog shows and `databits export` prints ("Total: 100", …). */
char             *dbw_export_summary_to_text (const DbwExportSummary *summary);

typedef struct
{
  DbwExportSummary *summary;
  char             *export_id;   /* the exports row */
  GPtrArray        *files;       /* GFile of every file written, manifest last */
} DbwExportResult;

void              dbw_export_result_free     (DbwExportResult        *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwExportResult, dbw_export_result_free)

/* Work runs in a worker on its own store connection; "progress" (0–1) notifies on the
 * main context that started it. The synchronous forms are for the command line. */
#define DBW_TYPE_EXPORT (dbw_export_get_type ())

G_DECLARE_FINAL_TYPE (DbwExport, dbw_export, DBW, EXPORT, GObject)

DbwExport        *dbw_export_new              (DbwStore               *store,
                                               const DbwExportOptions *options);
const DbwExportOptions *dbw_export_get_options (DbwExport             *self);
double            dbw_export_get_progress     (DbwExport              *self);

DbwExportSummary *dbw_export_summarize        (DbwExport              *self,
                                               GCancellable           *cancellable,
                                               GError                **error);
void              dbw_export_summarize_async  (DbwExport              *self,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
DbwExportSummary *dbw_export_summarize_finish (DbwExport              *self,
                                               GAsyncResult           *result,
                                               GError                **error);

DbwExportResult  *dbw_export_write            (DbwExport              *self,
                                               GFile                  *directory,
                                               GCancellable           *cancellable,
                                               GError                **error);
void              dbw_export_write_async      (DbwExport              *self,
                                               GFile                  *directory,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
DbwExportResult  *dbw_export_write_finish     (DbwExport              *self,
                                               GAsyncResult           *result,
                                               GError                **error);

GFile            *dbw_export_lookup_folder    (DbwStore               *store,
                                               const char             *export_id,
                                               GError                **error);
GHashTable       *dbw_export_lookup_file_hashes (DbwStore             *store,
                                               const char             *export_id,
                                               GError                **error);
gboolean          dbw_export_verify_file      (GFile                  *file,
                                               const char             *sha256,
                                               GCancellable           *cancellable,
                                               GError                **error);
gboolean          dbw_export_check_gate       (DbwStore               *store,
                                               const char             *export_id,
                                               GCancellable           *cancellable,
                                               GError                **error);

/* The split, pure: each of @n pairs goes to validation (TRUE in @is_val) or training.
 * Pairs with the same @group_keys entry (their source item) land on the same side; with
 * @strata, groups are split per stratum (a group takes its first pair's stratum). About
 * @val_fraction of the pairs go to validation, at least one group on each side when
 * there are two or more groups. Deterministic for a seed. */
void              dbw_export_split            (const char * const     *group_keys,
                                               const char * const     *strata,
                                               guint                   n,
                                               double                  val_fraction,
                                               guint64                 seed,
                                               gboolean               *is_val);

G_END_DECLS
