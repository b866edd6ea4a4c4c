/* dbw-lineage-canvas.h
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

#include "dbw-lineage.h"

G_BEGIN_DECLS

/* A lineage graph drawn as layered columns, sources on the left: drag to pan, Ctrl+scroll
 * or pinch to zoom, click to select, double-click or Enter to activate. A kind with many
 * nodes (pairs, items, labels) is one "N pairs" node until it is activated. */

#define DBW_TYPE_LINEAGE_CANVAS (dbw_lineage_canvas_get_type ())

G_DECLARE_FINAL_TYPE (DbwLineageCanvas, dbw_lineage_canvas, DBW, LINEAGE_CANVAS, GtkWidget)

GtkWidget       *dbw_lineage_canvas_new          (void);
DbwLineageGraph *dbw_lineage_canvas_get_graph    (DbwLineageCanvas *self);
void             dbw_lineage_canvas_set_graph    (DbwLineageCanvas *self,
                                                  DbwLineageGraph  *graph);
void             dbw_lineage_canvas_update_graph (DbwLineageCanvas *self,
                                                  DbwLineageGraph  *graph);
/* A node position in the graph, or G_MAXUINT for none. */
guint            dbw_lineage_canvas_get_selected (DbwLineageCanvas *self);
void             dbw_lineage_canvas_set_selected (DbwLineageCanvas *self,
                                                  guint             position);
double           dbw_lineage_canvas_get_zoom     (DbwLineageCanvas *self);
void             dbw_lineage_canvas_zoom_in      (DbwLineageCanvas *self);
void             dbw_lineage_canvas_zoom_out     (DbwLineageCanvas *self);
/* Zoom 1, the root in the middle. */
void             dbw_lineage_canvas_zoom_reset   (DbwLineageCanvas *self);
/* Whether @position is drawn inside an aggregate node that has not been expanded. */
gboolean         dbw_lineage_canvas_is_aggregated (DbwLineageCanvas *self,
                                                   guint             position);
/* The node drawn at widget coordinates, as a position (the first node of an aggregate),
 * or G_MAXUINT. */
guint            dbw_lineage_canvas_node_at      (DbwLineageCanvas *self,
                                                  double            x,
                                                  double            y);
/* Where the node is drawn, in widget coordinates; FALSE when it is not in the graph. */
gboolean         dbw_lineage_canvas_get_node_center (DbwLineageCanvas *self,
                                                     guint             position,
                                                     double           *x,
                                                     double           *y);
/* As double-click: expands an aggregate, else emits ::node-activated. */
void             dbw_lineage_canvas_activate     (DbwLineageCanvas *self,
                                                  guint             position);

G_END_DECLS
