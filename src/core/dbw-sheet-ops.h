/* dbw-sheet-ops.h
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

#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-store.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_DERIVE_UNION,
  DBW_DERIVE_INTERSECTION,
  DBW_DERIVE_DIFFERENCE,
} DbwSetOperation;

gboolean   dbw_sheet_ops_check_trash      (DbwStore         *store,
                                           DbwSheet         *sheet,
                                           GError          **error);
gboolean   dbw_sheet_ops_trash            (DbwStore         *store,
                                           DbwSheet         *sheet,
                                           GError          **error);
gboolean   dbw_sheet_ops_restore          (DbwStore         *store,
                                           DbwSheet         *sheet,
                                           GError          **error);
gint64     dbw_sheet_ops_purge_trashed    (DbwStore         *store,
                                           const char       *sheet_id,
                                           GError          **error);

GHashTable *dbw_sheet_ops_count_items     (DbwStore         *store,
                                           GError          **error);

DbwItem   *dbw_sheet_ops_edit_item        (DbwStore         *store,
                                           DbwItem          *item,
                                           const char       *fields_json,
                                           GError          **error);

DbwSheet  *dbw_sheet_ops_combine          (DbwStore         *store,
                                           DbwSetOperation   operation,
                                           const char       *sheet_a,
                                           const char       *sheet_b,
                                           const char       *name,
                                           GError          **error);
DbwSheet  *dbw_sheet_ops_sample           (DbwStore         *store,
                                           const char       *sheet_id,
                                           guint             size,
                                           guint32           seed,
                                           const char       *name,
                                           GError          **error);
GPtrArray *dbw_sheet_ops_stratified_split (DbwStore         *store,
                                           const char       *sheet_id,
                                           const char       *field,
                                           const double     *fractions,
                                           const char      **names,
                                           guint             n_parts,
                                           guint32           seed,
                                           GError          **error);

gboolean   dbw_sheet_ops_save_pointer     (DbwStore         *store,
                                           DbwSheet         *sheet,
                                           GError          **error);

GStrv      dbw_sheet_ops_list_fields      (DbwStore         *store,
                                           const char       *sheet_id,
                                           guint             max_items,
                                           GError          **error);
GPtrArray *dbw_sheet_ops_sample_items     (DbwStore         *store,
                                           const char       *sheet_id,
                                           guint             n,
                                           guint32           seed,
                                           GError          **error);
/* How many items a template is tried on to judge whether it fits a sheet. */
#define DBW_SHEET_OPS_FIT_SAMPLE 20

GPtrArray *dbw_sheet_ops_sample_contexts  (DbwStore         *store,
                                           const char       *sheet_id,
                                           guint             n,
                                           GError          **error);

G_END_DECLS
