/* dbw-lineage.h
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
#include <json-glib/json-glib.h>

#include "dbw-store.h"

G_BEGIN_DECLS

/* Lineage as a directed acyclic graph, read from the project (spec 001, "Lineage Query
 * Examples"). Edges point from what was used to what was made of it:
 *   sheet → item → canonical label → pair;  template → training sheet → pair;
 *   pair → export → model.
 * From a model: its training sheets, their pairs, the pairs' source items, canonical
 * labels and templates. From an item or a label: every training sheet, pair, export and
 * model that used it. Nodes are unique by (kind, id). Graphs of thousands of pairs keep
 * every node; views decide what to draw. */

#define DBW_LINEAGE_ERROR (dbw_lineage_error_quark ())

typedef enum
{
  DBW_LINEAGE_ERROR_NOT_FOUND,  /* no model, item or label of that name */
} DbwLineageError;

GQuark dbw_lineage_error_quark (void);

typedef enum
{
  DBW_LINEAGE_NODE_SHEET,
  DBW_LINEAGE_NODE_ITEM,
  DBW_LINEAGE_NODE_CANONICAL_LABEL,
  DBW_LINEAGE_NODE_TEMPLATE,
  DBW_LINEAGE_NODE_TRAINING_SHEET,
  DBW_LINEAGE_NODE_QA_PAIR,
  DBW_LINEAGE_NODE_EXPORT,
  DBW_LINEAGE_NODE_MODEL,
} DbwLineageNodeKind;

GType dbw_lineage_node_kind_get_type (void) G_GNUC_CONST;
#define DBW_TYPE_LINEAGE_NODE_KIND (dbw_lineage_node_kind_get_type ())

#define DBW_TYPE_LINEAGE_NODE (dbw_lineage_node_get_type ())

G_DECLARE_FINAL_TYPE (DbwLineageNode, dbw_lineage_node, DBW, LINEAGE_NODE, GObject)

DbwLineageNodeKind dbw_lineage_node_get_kind     (DbwLineageNode *self);
/* The row id (model: the model_training_lineage id; item: "sheet_id/item_ref"). */
const char        *dbw_lineage_node_get_id       (DbwLineageNode *self);
const char        *dbw_lineage_node_get_title    (DbwLineageNode *self);  /* "PCB defects v2", "board-017.png" */
const char        *dbw_lineage_node_get_subtitle (DbwLineageNode *self);  /* "Model · version 3", "labeled · training" */

#define DBW_TYPE_LINEAGE_GRAPH (dbw_lineage_graph_get_type ())

G_DECLARE_FINAL_TYPE (DbwLineageGraph, dbw_lineage_graph, DBW, LINEAGE_GRAPH, GObject)

/* The node the query started from. */
DbwLineageNode    *dbw_lineage_graph_get_root    (DbwLineageGraph *self);
/* A GListModel of DbwLineageNode, in topological order (sources first). */
GListModel        *dbw_lineage_graph_get_nodes   (DbwLineageGraph *self);
guint              dbw_lineage_graph_get_n_edges (DbwLineageGraph *self);
void               dbw_lineage_graph_get_edge    (DbwLineageGraph *self,
                                                  guint            edge,
                                                  guint           *from,  /* node positions */
                                                  guint           *to);
/* {"root": {...}, "nodes": [{"kind", "id", "title", "subtitle"}], "edges": [[from, to]]} */
JsonNode          *dbw_lineage_graph_to_json     (DbwLineageGraph *self);

/* @version may be NULL for the newest model of that name. */
DbwLineageGraph   *dbw_lineage_for_model         (DbwStore        *store,
                                                  const char      *model_name,
                                                  const char      *version,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
/* @sheet_id may be NULL to follow the item_ref in every sheet that has it. */
DbwLineageGraph   *dbw_lineage_for_item          (DbwStore        *store,
                                                  const char      *sheet_id,
                                                  const char      *item_ref,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
DbwLineageGraph   *dbw_lineage_for_label         (DbwStore        *store,
                                                  const char      *label_id,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
/* The graph around any node, as the viewer asks when a node is clicked through. */
DbwLineageGraph   *dbw_lineage_for_node          (DbwStore           *store,
                                                  DbwLineageNodeKind  kind,
                                                  const char         *id,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               dbw_lineage_for_node_async    (DbwStore           *store,
                                                  DbwLineageNodeKind  kind,
                                                  const char         *id,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
DbwLineageGraph   *dbw_lineage_for_node_finish   (DbwStore           *store,
                                                  GAsyncResult       *result,
                                                  GError            **error);

G_END_DECLS
