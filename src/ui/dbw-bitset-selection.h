/* dbw-bitset-selection.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DBW_TYPE_BITSET_SELECTION (dbw_bitset_selection_get_type ())

G_DECLARE_FINAL_TYPE (DbwBitsetSelection, dbw_bitset_selection, DBW, BITSET_SELECTION, GObject)

/* A multiple selection that knows positions only. GtkMultiSelection also fetches and keeps
 * every item it selects, so that a selection can follow its items; over a list read from
 * the project in pages, "select all" would read and keep every row. Here selecting touches
 * no item, and a change of the list shifts the selection with it. Property "model". */
DbwBitsetSelection *dbw_bitset_selection_new       (GListModel         *model);
GListModel         *dbw_bitset_selection_get_model (DbwBitsetSelection *self);
void                dbw_bitset_selection_set_model (DbwBitsetSelection *self,
                                                    GListModel         *model);

G_END_DECLS
