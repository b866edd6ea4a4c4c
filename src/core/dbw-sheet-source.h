/* dbw-sheet-source.h
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

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  DBW_SHEET_SOURCE_TABLE,
  DBW_SHEET_SOURCE_VOLUME,
} DbwSheetSourceKind;

/* One secondary source of a Unity Catalog sheet, as its secondary_sources JSON holds it.
 * Plain data with public fields; copy and free as a whole.
 *
 * A table is joined to the primary table: @join_keys are its columns matched, in order,
 * to the sheet's join keys (%NULL: columns of the same names). A volume's files come with
 * the rows: @join_keys, when set, holds one column of the primary table whose value is a
 * file's name without its extension; %NULL takes every file. */
typedef struct
{
  DbwSheetSourceKind   kind;
  char                *name;       /* "catalog.schema.table", or "/Volumes/catalog/schema/volume[/folder]" */
  char               **join_keys;  /* nullable */
} DbwSheetSource;

#define DBW_TYPE_SHEET_SOURCE (dbw_sheet_source_get_type ())

GType           dbw_sheet_source_get_type    (void) G_GNUC_CONST;
DbwSheetSource *dbw_sheet_source_new         (DbwSheetSourceKind    kind,
                                              const char           *name,
                                              const char * const   *join_keys);
DbwSheetSource *dbw_sheet_source_copy        (const DbwSheetSource *self);
void            dbw_sheet_source_free        (DbwSheetSource       *self);

GPtrArray      *dbw_sheet_sources_parse      (const char           *json,
                                              GError              **error);
char           *dbw_sheet_sources_to_json    (GPtrArray            *sources);

gboolean        dbw_sheet_check_table_name   (const char           *name,
                                              GError              **error);
gboolean        dbw_sheet_check_volume_path  (const char           *path,
                                              GError              **error);
gboolean        dbw_sheet_check_filter       (const char           *filter,
                                              GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwSheetSource, dbw_sheet_source_free)

G_END_DECLS
