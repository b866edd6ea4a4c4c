/* dbw-lineage-window.h
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

#include <adwaita.h>

#include "dbw-lineage.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* The lineage viewer: the graph around a node drawn as a DAG to pan, zoom and click
 * through, with the same nodes as a text list beside it for keyboard and screen-reader
 * users. Opened from a model or export on the Train page, and from an item or label. */

#define DBW_TYPE_LINEAGE_WINDOW (dbw_lineage_window_get_type ())

G_DECLARE_FINAL_TYPE (DbwLineageWindow, dbw_lineage_window, DBW, LINEAGE_WINDOW, AdwWindow)

DbwLineageWindow *dbw_lineage_window_new  (GtkWindow          *parent,
                                           DbwStore           *store,
                                           DbwLineageNodeKind  kind,
                                           const char         *id);
/* Shows the graph around another node, keeping the way back. */
void              dbw_lineage_window_show (DbwLineageWindow   *self,
                                           DbwLineageNodeKind  kind,
                                           const char         *id);

G_END_DECLS
