/* dbw-csv-reader.h
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

G_BEGIN_DECLS

#define DBW_CSV_ERROR (dbw_csv_error_quark ())

typedef enum
{
  DBW_CSV_ERROR_INVALID_UTF8,
  DBW_CSV_ERROR_UNTERMINATED_QUOTE,
  DBW_CSV_ERROR_BAD_QUOTE,
  DBW_CSV_ERROR_FIELD_COUNT,
  DBW_CSV_ERROR_TOO_LARGE,
  DBW_CSV_ERROR_EMPTY,
} DbwCsvError;

/* The largest single field the reader accepts; a record as a whole may hold up to
 * DBW_CSV_MAX_RECORD_SIZE bytes. */
#define DBW_CSV_MAX_FIELD_SIZE  ((gsize) 64 * 1024 * 1024)
#define DBW_CSV_MAX_RECORD_SIZE ((gsize) 256 * 1024 * 1024)

#define DBW_TYPE_CSV_READER (dbw_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (DbwCsvReader, dbw_csv_reader, DBW, CSV_READER, GObject)

GQuark                dbw_csv_error_quark              (void);

DbwCsvReader         *dbw_csv_reader_new               (GInputStream  *stream,
                                                        const char    *display_name);
GInputStream         *dbw_csv_reader_get_stream        (DbwCsvReader  *self);
const char           *dbw_csv_reader_get_display_name  (DbwCsvReader  *self);
void                  dbw_csv_reader_set_delimiter     (DbwCsvReader  *self,
                                                        gunichar       delimiter);
gunichar              dbw_csv_reader_get_delimiter     (DbwCsvReader  *self);
gboolean              dbw_csv_reader_read_header       (DbwCsvReader  *self,
                                                        GCancellable  *cancellable,
                                                        GError       **error);
const char * const   *dbw_csv_reader_get_header        (DbwCsvReader  *self);
guint                 dbw_csv_reader_get_n_columns     (DbwCsvReader  *self);
gboolean              dbw_csv_reader_next_record       (DbwCsvReader  *self,
                                                        GPtrArray    **fields_out,
                                                        GCancellable  *cancellable,
                                                        GError       **error);
guint64               dbw_csv_reader_get_line          (DbwCsvReader  *self);
guint64               dbw_csv_reader_get_record_number (DbwCsvReader  *self);
guint64               dbw_csv_reader_get_bytes_read    (DbwCsvReader  *self);

G_END_DECLS
