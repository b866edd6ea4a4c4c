/* dbw-file-entry.h
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

/* A file or folder in a volume, as dbw_databricks_list_directory_async() lists it: the
 * path without a trailing "/", the size in bytes (0 for a folder) and the time it was
 * last modified in milliseconds since 1970-01-01 UTC (0 when the workspace gives none). */

#define DBW_TYPE_FILE_ENTRY (dbw_file_entry_get_type ())

G_DECLARE_FINAL_TYPE (DbwFileEntry, dbw_file_entry, DBW, FILE_ENTRY, GObject)

DbwFileEntry *dbw_file_entry_new              (const char   *path,
                                               const char   *name,
                                               gboolean      is_directory,
                                               gint64        size,
                                               gint64        modified);
const char   *dbw_file_entry_get_path         (DbwFileEntry *self);
const char   *dbw_file_entry_get_name         (DbwFileEntry *self);
gboolean      dbw_file_entry_get_is_directory (DbwFileEntry *self);
gint64        dbw_file_entry_get_size         (DbwFileEntry *self);
gint64        dbw_file_entry_get_modified     (DbwFileEntry *self);

G_END_DECLS
