/* dbw-importer.h
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

#include "dbw-import-report.h"
#include "dbw-usage-constraints.h"

G_BEGIN_DECLS

#define DBW_IMPORT_ERROR (dbw_import_error_quark ())

typedef enum
{
  DBW_IMPORT_ERROR_REJECTED,
  DBW_IMPORT_ERROR_NO_SOURCES,
  DBW_IMPORT_ERROR_CHANGED,
} DbwImportError;

typedef enum
{
  DBW_IMPORT_FORMAT_AUTO,
  DBW_IMPORT_FORMAT_CSV,
  DBW_IMPORT_FORMAT_JSONL,
  DBW_IMPORT_FORMAT_JSON,
  DBW_IMPORT_FORMAT_FILE,
} DbwImportFormat;

/* Text files and PDF text beyond this are kept whole as blobs but searchable only up to
 * here. */
#define DBW_IMPORT_MAX_TEXT_SIZE ((gsize) 16 * 1024 * 1024)
/* The largest JSON Lines line or JSON array element read. */
#define DBW_IMPORT_MAX_RECORD_SIZE ((gsize) 64 * 1024 * 1024)
/* The deepest nesting of arrays and objects in a JSON record, its own object included. */
#define DBW_IMPORT_MAX_DEPTH 1000

/**
 * DbwImportRecordFunc:
 * @index: which record, from 0
 * @ref: (out) (transfer full): the record's item_ref, stable across imports of the same
 *   record, so that importing it again finds it
 * @fields: (out) (transfer full): the record as a JSON object
 *
 * Gives the importer one record of a source that is not a file. Called in the import
 * thread, once per record, in order.
 *
 * Returns: %FALSE with @error set to fail the import
 */
typedef gboolean (*DbwImportRecordFunc) (guint64    index,
                                         char     **ref,
                                         char     **fields,
                                         gpointer   user_data,
                                         GError   **error);

#define DBW_TYPE_IMPORTER (dbw_importer_get_type ())

G_DECLARE_FINAL_TYPE (DbwImporter, dbw_importer, DBW, IMPORTER, GObject)

GQuark           dbw_import_error_quark       (void);

DbwImporter     *dbw_importer_new             (GFile                *project,
                                               const char           *sheet_id);
void             dbw_importer_add_source      (DbwImporter          *self,
                                               GFile                *source);
void             dbw_importer_add_records     (DbwImporter          *self,
                                               const char           *display,
                                               guint64               n_records,
                                               DbwImportRecordFunc   func,
                                               gpointer              user_data,
                                               GDestroyNotify        destroy);
void             dbw_importer_add_file        (DbwImporter          *self,
                                               GFile                *file,
                                               const char           *ref,
                                               const char           *display);
void             dbw_importer_set_usage_constraints (DbwImporter    *self,
                                               const DbwUsageConstraints *constraints);
void             dbw_importer_set_format      (DbwImporter          *self,
                                               DbwImportFormat       format);
void             dbw_importer_set_csv_delimiter (DbwImporter        *self,
                                                 gunichar            delimiter);
void             dbw_importer_set_keep_good   (DbwImporter          *self,
                                               gboolean              keep_good);
gboolean         dbw_importer_get_keep_good   (DbwImporter          *self);
void             dbw_importer_set_user        (DbwImporter          *self,
                                               const char           *user);
double           dbw_importer_get_fraction    (DbwImporter          *self);
const char      *dbw_importer_get_status      (DbwImporter          *self);
DbwImportReport *dbw_importer_get_report      (DbwImporter          *self);

gboolean         dbw_importer_run             (DbwImporter          *self,
                                               GCancellable         *cancellable,
                                               GError              **error);
void             dbw_importer_run_async       (DbwImporter          *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean         dbw_importer_run_finish      (DbwImporter          *self,
                                               GAsyncResult         *result,
                                               GError              **error);

DbwImportFormat  dbw_import_guess_format      (GFile                *file,
                                               char                **content_type,
                                               GCancellable         *cancellable,
                                               GError              **error);

char        *dbw_importer_extract_pdf_text      (GFile                *file,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_END_DECLS
