/* dbw-lineage.c
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

#define G_LOG_DOMAIN "dbw-lineage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dbw-lineage.h"
#include "dbw-store-private.h"

/* Every query walks indexes: pairs by id, by (training sheet, item) or by canonical label;
 * the pair lists of exports and models are matched against the graph's pairs in one
 * statement each ("IN (SELECT value FROM json_each (?))" is an ephemeral index), so a
 * model trained on 100,000 pairs builds in well under a second (tests/core/test-lineage.c
 * measures it). */

struct _DbwLineageNode
{
  GObject             parent_instance;

  DbwLineageNodeKind  kind;
  char               *id;
  char               *title;
  char               *subtitle;
};

G_DEFINE_FINAL_TYPE (DbwLineageNode, dbw_lineage_node, G_TYPE_OBJECT)

struct _DbwLineageGraph
{
  GObject         parent_instance;

  GListStore     *nodes;
  DbwLineageNode *root;
  GArray         *edges;  /* guint from, guint to, … */
};

G_DEFINE_FINAL_TYPE (DbwLineageGraph, dbw_lineage_graph, G_TYPE_OBJECT)

enum {
  NODE_PROP_0,
  NODE_PROP_KIND,
  NODE_PROP_ID,
  NODE_PROP_TITLE,
  NODE_PROP_SUBTITLE,
  N_NODE_PROPS
};

static GParamSpec *node_properties [N_NODE_PROPS];

G_DEFINE_QUARK (dbw-lineage-error-quark, dbw_lineage_error)

GType
dbw_lineage_node_kind_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DBW_LINEAGE_NODE_SHEET, "DBW_LINEAGE_NODE_SHEET", "sheet" },
        { DBW_LINEAGE_NODE_ITEM, "DBW_LINEAGE_NODE_ITEM", "item" },
        { DBW_LINEAGE_NODE_CANONICAL_LABEL, "DBW_LINEAGE_NODE_CANONICAL_LABEL", "canonical_label" },
        { DBW_LINEAGE_NODE_TEMPLATE, "DBW_LINEAGE_NODE_TEMPLATE", "template" },
        { DBW_LINEAGE_NODE_TRAINING_SHEET, "DBW_LINEAGE_NODE_TRAINING_SHEET", "training_sheet" },
        { DBW_LINEAGE_NODE_QA_PAIR, "DBW_LINEAGE_NODE_QA_PAIR", "qa_pair" },
        { DBW_LINEAGE_NODE_EXPORT, "DBW_LINEAGE_NODE_EXPORT", "export" },
        { DBW_LINEAGE_NODE_MODEL, "DBW_LINEAGE_NODE_MODEL", "model" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type_id, g_enum_register_static ("DbwLineageNodeKind", values));
    }

  return type_id;
}

/* The column a kind is drawn in; every edge goes to a higher rank, so sorting by rank is
 * a topological order. */
static guint
kind_rank (DbwLineageNodeKind kind)
{
  switch (kind)
    {
    case DBW_LINEAGE_NODE_SHEET:           return 0;
    case DBW_LINEAGE_NODE_ITEM:            return 1;
    case DBW_LINEAGE_NODE_TEMPLATE:        return 1;
    case DBW_LINEAGE_NODE_CANONICAL_LABEL: return 2;
    case DBW_LINEAGE_NODE_TRAINING_SHEET:  return 2;
    case DBW_LINEAGE_NODE_QA_PAIR:         return 3;
    case DBW_LINEAGE_NODE_EXPORT:          return 4;
    case DBW_LINEAGE_NODE_MODEL:           return 5;
    default:                               return 0;
    }
}

static const char *
kind_nick (DbwLineageNodeKind kind)
{
  GEnumClass *klass = g_type_class_ref (DBW_TYPE_LINEAGE_NODE_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  g_type_class_unref (klass);

  return value != NULL ? value->value_nick : "unknown";
}

/* ---- DbwLineageNode ---- */

static DbwLineageNode *
node_new (DbwLineageNodeKind  kind,
          const char         *id,
          char               *title,     /* owned */
          char               *subtitle)  /* owned */
{
  DbwLineageNode *self = g_object_new (DBW_TYPE_LINEAGE_NODE, NULL);

  self->kind = kind;
  self->id = g_strdup (id);
  self->title = title != NULL ? title : g_strdup (id);
  self->subtitle = subtitle != NULL ? subtitle : g_strdup ("");

  return self;
}

static void
dbw_lineage_node_finalize (GObject *object)
{
  DbwLineageNode *self = DBW_LINEAGE_NODE (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (dbw_lineage_node_parent_class)->finalize (object);
}

static void
dbw_lineage_node_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DbwLineageNode *self = DBW_LINEAGE_NODE (object);

  switch (prop_id)
    {
    case NODE_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case NODE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case NODE_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case NODE_PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_lineage_node_class_init (DbwLineageNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_lineage_node_finalize;
  object_class->get_property = dbw_lineage_node_get_property;

  node_properties [NODE_PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, DBW_TYPE_LINEAGE_NODE_KIND, DBW_LINEAGE_NODE_SHEET,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  node_properties [NODE_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  node_properties [NODE_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  node_properties [NODE_PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_NODE_PROPS, node_properties);
}

static void
dbw_lineage_node_init (DbwLineageNode *self)
{
}

DbwLineageNodeKind
dbw_lineage_node_get_kind (DbwLineageNode *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_NODE (self), DBW_LINEAGE_NODE_SHEET);

  return self->kind;
}

const char *
dbw_lineage_node_get_id (DbwLineageNode *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_NODE (self), NULL);

  return self->id;
}

const char *
dbw_lineage_node_get_title (DbwLineageNode *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_NODE (self), NULL);

  return self->title;
}

const char *
dbw_lineage_node_get_subtitle (DbwLineageNode *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_NODE (self), NULL);

  return self->subtitle;
}

/* ---- DbwLineageGraph ---- */

static void
dbw_lineage_graph_finalize (GObject *object)
{
  DbwLineageGraph *self = DBW_LINEAGE_GRAPH (object);

  g_clear_object (&self->nodes);
  g_clear_object (&self->root);
  g_clear_pointer (&self->edges, g_array_unref);

  G_OBJECT_CLASS (dbw_lineage_graph_parent_class)->finalize (object);
}

static void
dbw_lineage_graph_class_init (DbwLineageGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_lineage_graph_finalize;
}

static void
dbw_lineage_graph_init (DbwLineageGraph *self)
{
  self->nodes = g_list_store_new (DBW_TYPE_LINEAGE_NODE);
  self->edges = g_array_new (FALSE, FALSE, sizeof (guint));
}

DbwLineageNode *
dbw_lineage_graph_get_root (DbwLineageGraph *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_GRAPH (self), NULL);

  return self->root;
}

GListModel *
dbw_lineage_graph_get_nodes (DbwLineageGraph *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_GRAPH (self), NULL);

  return G_LIST_MODEL (self->nodes);
}

guint
dbw_lineage_graph_get_n_edges (DbwLineageGraph *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_GRAPH (self), 0);

  return self->edges->len / 2;
}

void
dbw_lineage_graph_get_edge (DbwLineageGraph *self,
                            guint            edge,
                            guint           *from,
                            guint           *to)
{
  g_return_if_fail (DBW_IS_LINEAGE_GRAPH (self));
  g_return_if_fail (edge < self->edges->len / 2);

  if (from != NULL)
    *from = g_array_index (self->edges, guint, edge * 2);
  if (to != NULL)
    *to = g_array_index (self->edges, guint, edge * 2 + 1);
}

static void
add_node_json (JsonBuilder    *builder,
               DbwLineageNode *node)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_nick (node->kind));
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, node->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, node->title);
  json_builder_set_member_name (builder, "subtitle");
  json_builder_add_string_value (builder, node->subtitle);
  json_builder_end_object (builder);
}

/**
 * dbw_lineage_graph_to_json:
 *
 * Returns: (transfer full): the graph as
 *   {"root": node, "nodes": [node, …], "edges": [[from, to], …]}, edges by node position
 */
JsonNode *
dbw_lineage_graph_to_json (DbwLineageGraph *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n;

  g_return_val_if_fail (DBW_IS_LINEAGE_GRAPH (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "root");
  add_node_json (builder, self->root);

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->nodes));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (G_LIST_MODEL (self->nodes), i);

      add_node_json (builder, node);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "edges");
  json_builder_begin_array (builder);
  for (guint i = 0; i + 1 < self->edges->len; i += 2)
    {
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, g_array_index (self->edges, guint, i));
      json_builder_add_int_value (builder, g_array_index (self->edges, guint, i + 1));
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ---- Building a graph ---- */

typedef struct
{
  DbwStore     *store;
  GCancellable *cancellable;
  GPtrArray    *nodes;       /* DbwLineageNode, in the order found */
  GHashTable   *index;       /* "kind:id" → position + 1 */
  GArray       *edges;       /* pairs of positions in nodes */
  GHashTable   *training_sheets;  /* id → position + 1 */
  GHashTable   *ts_sheets;        /* training sheet id → its sheet id */
  GHashTable   *sheet_names;      /* id → name */
  GPtrArray    *pair_ids;    /* the pairs in the graph, in the order found */
  guint         root;
} Builder;

static void
builder_init (Builder      *b,
              DbwStore     *store,
              GCancellable *cancellable)
{
  b->store = store;
  b->cancellable = cancellable;
  b->nodes = g_ptr_array_new_with_free_func (g_object_unref);
  b->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->edges = g_array_new (FALSE, FALSE, sizeof (guint));
  b->training_sheets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->sheet_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b->ts_sheets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b->pair_ids = g_ptr_array_new ();
  b->root = G_MAXUINT;
}

static void
builder_clear (Builder *b)
{
  g_clear_pointer (&b->nodes, g_ptr_array_unref);
  g_clear_pointer (&b->index, g_hash_table_unref);
  g_clear_pointer (&b->edges, g_array_unref);
  g_clear_pointer (&b->training_sheets, g_hash_table_unref);
  g_clear_pointer (&b->sheet_names, g_hash_table_unref);
  g_clear_pointer (&b->ts_sheets, g_hash_table_unref);
  g_clear_pointer (&b->pair_ids, g_ptr_array_unref);
}

static char *
node_key (DbwLineageNodeKind  kind,
          const char         *id)
{
  return g_strdup_printf ("%d:%s", (int) kind, id);
}

static guint
builder_find (Builder            *b,
              DbwLineageNodeKind  kind,
              const char         *id)
{
  g_autofree char *key = node_key (kind, id);

  return GPOINTER_TO_UINT (g_hash_table_lookup (b->index, key)) - 1;  /* G_MAXUINT if absent */
}

/* Takes @title and @subtitle; a node already there keeps its own. */
static guint
builder_add (Builder            *b,
             DbwLineageNodeKind  kind,
             const char         *id,
             char               *title,
             char               *subtitle)
{
  char *key = node_key (kind, id);
  gpointer found = g_hash_table_lookup (b->index, key);

  if (found != NULL)
    {
      g_free (key);
      g_free (title);
      g_free (subtitle);
      return GPOINTER_TO_UINT (found) - 1;
    }

  g_ptr_array_add (b->nodes, node_new (kind, id, title, subtitle));
  g_hash_table_insert (b->index, key, GUINT_TO_POINTER (b->nodes->len));

  if (kind == DBW_LINEAGE_NODE_QA_PAIR)
    g_ptr_array_add (b->pair_ids, ((DbwLineageNode *) b->nodes->pdata[b->nodes->len - 1])->id);

  return b->nodes->len - 1;
}

static void
builder_edge (Builder *b,
              guint    from,
              guint    to)
{
  if (from == G_MAXUINT || to == G_MAXUINT || from == to)
    return;

  g_array_append_val (b->edges, from);
  g_array_append_val (b->edges, to);
}

static gboolean
step_done (Builder       *b,
           sqlite3_stmt  *stmt,
           int            rc,
           const char    *table,
           GError       **error)
{
  _dbw_store_release (b->store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (b->store, rc, table, error);
      return FALSE;
    }

  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static const char *
sheet_name (Builder     *b,
            const char  *sheet_id,
            GError     **error)
{
  sqlite3_stmt *stmt;
  const char *name;
  int rc;

  name = g_hash_table_lookup (b->sheet_names, sheet_id);
  if (name != NULL)
    return name;

  stmt = _dbw_store_prepare (b->store, "SELECT name FROM sheets WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  name = rc == SQLITE_ROW ? column_text (stmt, 0) : sheet_id;
  g_hash_table_insert (b->sheet_names, g_strdup (sheet_id), g_strdup (name));
  if (rc == SQLITE_ROW)
    rc = SQLITE_DONE;
  if (!step_done (b, stmt, rc, "sheets", error))
    return NULL;

  return g_hash_table_lookup (b->sheet_names, sheet_id);
}

static guint
add_sheet (Builder     *b,
           const char  *sheet_id,
           GError     **error)
{
  const char *name = sheet_name (b, sheet_id, error);

  if (name == NULL)
    return G_MAXUINT;

  return builder_add (b, DBW_LINEAGE_NODE_SHEET, sheet_id, g_strdup (name), g_strdup (_("Sheet")));
}

/* The item node and its sheet above it. */
static guint
add_item (Builder     *b,
          const char  *sheet_id,
          const char  *item_ref,
          GError     **error)
{
  g_autofree char *id = g_strconcat (sheet_id, "/", item_ref, NULL);
  guint item, sheet;

  item = builder_find (b, DBW_LINEAGE_NODE_ITEM, id);
  if (item != G_MAXUINT)
    return item;

  sheet = add_sheet (b, sheet_id, error);
  if (sheet == G_MAXUINT)
    return G_MAXUINT;

  /* Translators: the subtitle of an item in the lineage viewer; %s is its sheet */
  item = builder_add (b, DBW_LINEAGE_NODE_ITEM, id, g_strdup (item_ref),
                      g_strdup_printf (_("Item · %s"), ((DbwLineageNode *) b->nodes->pdata[sheet])->title));
  builder_edge (b, sheet, item);

  return item;
}

static guint
add_template (Builder     *b,
              const char  *template_row_id,
              GError     **error)
{
  sqlite3_stmt *stmt;
  guint node = G_MAXUINT;
  int rc;

  node = builder_find (b, DBW_LINEAGE_NODE_TEMPLATE, template_row_id);
  if (node != G_MAXUINT)
    return node;

  stmt = _dbw_store_prepare (b->store, "SELECT name, version, status FROM templates WHERE id = ?1", error);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_text (stmt, 1, template_row_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      /* Translators: the subtitle of a prompt template; %d is its version, %s draft/published */
      node = builder_add (b, DBW_LINEAGE_NODE_TEMPLATE, template_row_id, g_strdup (column_text (stmt, 0)),
                          g_strdup_printf (_("Template · version %d · %s"), sqlite3_column_int (stmt, 1),
                                           column_text (stmt, 2)));
      rc = SQLITE_DONE;
    }
  if (!step_done (b, stmt, rc, "templates", error))
    return G_MAXUINT;

  return node;
}

/* The training sheet node, with its template above it. */
static guint
add_training_sheet (Builder     *b,
                    const char  *training_sheet_id,
                    GError     **error)
{
  g_autofree char *template_id = NULL;
  sqlite3_stmt *stmt;
  guint node = G_MAXUINT;
  int rc;

  node = GPOINTER_TO_UINT (g_hash_table_lookup (b->training_sheets, training_sheet_id)) - 1;
  if (node != G_MAXUINT)
    return node;

  stmt = _dbw_store_prepare (b->store,
                             "SELECT name, status, template_id, sheet_id, "
                             "  (SELECT count (*) FROM qa_pairs WHERE training_sheet_id = ts.id) "
                             "FROM training_sheets AS ts WHERE id = ?1", error);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_text (stmt, 1, training_sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 n_pairs = sqlite3_column_int64 (stmt, 4);

      /* Translators: the subtitle of a training sheet; %s is its status */
      node = builder_add (b, DBW_LINEAGE_NODE_TRAINING_SHEET, training_sheet_id,
                          g_strdup (column_text (stmt, 0)),
                          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Training sheet · %s · %" G_GINT64_FORMAT " pair",
                                                        "Training sheet · %s · %" G_GINT64_FORMAT " pairs", n_pairs),
                                           column_text (stmt, 1), n_pairs));
      template_id = g_strdup (column_text (stmt, 2));
      g_hash_table_insert (b->ts_sheets, g_strdup (training_sheet_id), g_strdup (column_text (stmt, 3)));
      rc = SQLITE_DONE;
    }
  if (!step_done (b, stmt, rc, "training_sheets", error))
    return G_MAXUINT;

  if (node == G_MAXUINT)
    return G_MAXUINT;

  g_hash_table_insert (b->training_sheets, g_strdup (training_sheet_id), GUINT_TO_POINTER (node + 1));

  if (template_id != NULL)
    {
      guint template = add_template (b, template_id, error);

      if (template == G_MAXUINT && error != NULL && *error != NULL)
        return G_MAXUINT;
      builder_edge (b, template, node);
    }

  return node;
}

static guint
add_label (Builder    *b,
           const char *label_id,
           const char *label_type,
           int         version,
           const char *item_ref,
           guint       item)
{
  guint label = builder_find (b, DBW_LINEAGE_NODE_CANONICAL_LABEL, label_id);

  if (label != G_MAXUINT)
    return label;

  /* Translators: a canonical label's subtitle; %s is the item, %d the label's version */
  label = builder_add (b, DBW_LINEAGE_NODE_CANONICAL_LABEL, label_id, g_strdup (label_type),
                       g_strdup_printf (_("Canonical label · %s · version %d"), item_ref, version));
  builder_edge (b, item, label);

  return label;
}

/* Columns of a pair and of its canonical label; @from says which pairs. */
#define PAIR_SELECT \
  "SELECT p.id, p.training_sheet_id, p.item_ref, p.canonical_label_id, p.status, p.labeling_mode, " \
  "  l.label_type, l.version, l.sheet_id, l.item_ref "
#define PAIR_JOIN " LEFT JOIN canonical_labels AS l ON l.id = p.canonical_label_id "

/* Adds the pairs a statement yields, each with its training sheet, template, item, sheet
 * and canonical label above it; @sink, when set, is the export or model each pair goes to. */
static gboolean
add_pairs (Builder       *b,
           sqlite3_stmt  *stmt,
           guint          sink,
           GError       **error)
{
  guint n = 0;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *pair_id = column_text (stmt, 0);
      const char *training_sheet_id = column_text (stmt, 1);
      const char *item_ref = column_text (stmt, 2);
      const char *label_id = column_text (stmt, 3);
      guint pair, training_sheet, item, label = G_MAXUINT;

      if ((++n & 1023) == 0 && g_cancellable_set_error_if_cancelled (b->cancellable, error))
        {
          _dbw_store_release (b->store, stmt);
          return FALSE;
        }

      pair = builder_find (b, DBW_LINEAGE_NODE_QA_PAIR, pair_id);
      if (pair == G_MAXUINT)
        {
          training_sheet = add_training_sheet (b, training_sheet_id, error);
          if (error != NULL && *error != NULL)
            {
              _dbw_store_release (b->store, stmt);
              return FALSE;
            }

          /* Translators: a Q&A pair's subtitle: its status and how it was labeled */
          pair = builder_add (b, DBW_LINEAGE_NODE_QA_PAIR, pair_id, g_strdup (item_ref),
                              g_strdup_printf (_("Pair · %s · %s"), column_text (stmt, 4), column_text (stmt, 5)));
          builder_edge (b, training_sheet, pair);

          if (label_id != NULL && sqlite3_column_type (stmt, 8) != SQLITE_NULL)
            {
              item = add_item (b, column_text (stmt, 8), column_text (stmt, 9), error);
              label = add_label (b, label_id, column_text (stmt, 6), sqlite3_column_int (stmt, 7),
                                 column_text (stmt, 9), item);
              builder_edge (b, label, pair);
            }
          else
            {
              const char *pair_sheet = g_hash_table_lookup (b->ts_sheets, training_sheet_id);

              item = pair_sheet != NULL ? add_item (b, pair_sheet, item_ref, error) : G_MAXUINT;
              builder_edge (b, item, pair);
            }
          if (error != NULL && *error != NULL)
            {
              _dbw_store_release (b->store, stmt);
              return FALSE;
            }
        }

      builder_edge (b, pair, sink);
    }

  return step_done (b, stmt, rc, "qa_pairs", error);
}

static gboolean
add_pairs_where (Builder       *b,
                 const char    *sql,
                 const char    *param1,
                 const char    *param2,
                 guint          sink,
                 GError       **error)
{
  sqlite3_stmt *stmt = _dbw_store_prepare (b->store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, param1, -1, SQLITE_TRANSIENT);
  if (param2 != NULL)
    sqlite3_bind_text (stmt, 2, param2, -1, SQLITE_TRANSIENT);

  return add_pairs (b, stmt, sink, error);
}

static guint
make_export (Builder    *b,
             const char *export_id,
             const char *use,
             const char *format,
             const char *created_at)
{
  /* Translators: an export in the lineage viewer: its format and use, e.g. “jsonl · training” */
  return builder_add (b, DBW_LINEAGE_NODE_EXPORT, export_id, g_strdup_printf (_("%s · %s"), format, use),
                      /* Translators: an export's subtitle; %s is when it was written */
                      g_strdup_printf (_("Export · %s"), created_at != NULL ? created_at : ""));
}

static guint
make_model (Builder    *b,
            const char *model_id,
            const char *name,
            const char *version)
{
  return builder_add (b, DBW_LINEAGE_NODE_MODEL, model_id, g_strdup (name),
                      version != NULL
                      /* Translators: a trained model's subtitle; %s is its registered version */
                      ? g_strdup_printf (_("Model · version %s"), version)
                      : g_strdup (_("Model · not registered yet")));
}

/* The export row, or G_MAXUINT with @error set when there is none. */
static guint
add_export_row (Builder     *b,
                const char  *export_id,
                char       **training_sheet_ids,
                GError     **error)
{
  sqlite3_stmt *stmt;
  guint node = G_MAXUINT;
  int rc;

  stmt = _dbw_store_prepare (b->store,
                             "SELECT use, format, created_at, training_sheet_ids FROM exports WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_text (stmt, 1, export_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      node = make_export (b, export_id, column_text (stmt, 0), column_text (stmt, 1), column_text (stmt, 2));
      if (training_sheet_ids != NULL)
        *training_sheet_ids = g_strdup (column_text (stmt, 3));
      rc = SQLITE_DONE;
    }
  if (!step_done (b, stmt, rc, "exports", error))
    return G_MAXUINT;

  if (node == G_MAXUINT)
    g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                 _("No export with id “%s” in this project"), export_id);

  return node;
}

/* Training sheets named in a JSON list; when @sink is set and they gave it no pairs, an
 * edge keeps them attached. */
static gboolean
add_training_sheet_list (Builder     *b,
                         const char  *json_ids,
                         guint        sink,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (json_ids == NULL)
    return TRUE;

  stmt = _dbw_store_prepare (b->store, "SELECT value FROM json_each (?1) WHERE type = 'text'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_ids, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
  if (!step_done (b, stmt, rc, "exports", error))
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      guint node = add_training_sheet (b, ids->pdata[i], error);

      if (error != NULL && *error != NULL)
        return FALSE;
      if (b->pair_ids->len == 0)
        builder_edge (b, node, sink);
    }

  return TRUE;
}

static char *
pair_ids_json (Builder *b)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < b->pair_ids->len; i++)
    json_builder_add_string_value (builder, b->pair_ids->pdata[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* Every export and model that used the graph's pairs, and the models trained on those
 * exports. With @exports FALSE only the models trained on exports already in the graph. */
static gboolean
add_downstream (Builder     *b,
                gboolean     exports,
                GError     **error)
{
  g_autofree char *ids = NULL;
  sqlite3_stmt *stmt;
  g_autoptr(GArray) export_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  int rc;

  if (exports && b->pair_ids->len > 0)
    {
      ids = pair_ids_json (b);

      stmt = _dbw_store_prepare (b->store,
                                 "SELECT e.id, e.use, e.format, e.created_at, j.value "
                                 "FROM exports AS e, json_each (e.qa_pair_ids) AS j "
                                 "WHERE j.value IN (SELECT value FROM json_each (?1))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          guint export = make_export (b, column_text (stmt, 0), column_text (stmt, 1),
                                      column_text (stmt, 2), column_text (stmt, 3));

          builder_edge (b, builder_find (b, DBW_LINEAGE_NODE_QA_PAIR, column_text (stmt, 4)), export);
        }
      if (!step_done (b, stmt, rc, "exports", error))
        return FALSE;

      stmt = _dbw_store_prepare (b->store,
                                 "SELECT m.id, m.model_name, m.model_version, m.export_id, j.value "
                                 "FROM model_training_lineage AS m, json_each (m.qa_pair_ids) AS j "
                                 "WHERE j.value IN (SELECT value FROM json_each (?1))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          guint model = make_model (b, column_text (stmt, 0), column_text (stmt, 1), column_text (stmt, 2));
          guint export = sqlite3_column_type (stmt, 3) != SQLITE_NULL
            ? builder_find (b, DBW_LINEAGE_NODE_EXPORT, column_text (stmt, 3))
            : G_MAXUINT;

          /* Through its export when the graph has it, so the edges stay few. */
          if (export != G_MAXUINT)
            builder_edge (b, export, model);
          else
            builder_edge (b, builder_find (b, DBW_LINEAGE_NODE_QA_PAIR, column_text (stmt, 4)), model);
        }
      if (!step_done (b, stmt, rc, "model_training_lineage", error))
        return FALSE;
    }

  for (guint i = 0; i < b->nodes->len; i++)
    if (((DbwLineageNode *) b->nodes->pdata[i])->kind == DBW_LINEAGE_NODE_EXPORT)
      g_array_append_val (export_nodes, i);

  for (guint i = 0; i < export_nodes->len; i++)
    {
      guint export = g_array_index (export_nodes, guint, i);

      stmt = _dbw_store_prepare (b->store,
                                 "SELECT id, model_name, model_version FROM model_training_lineage "
                                 "WHERE export_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ((DbwLineageNode *) b->nodes->pdata[export])->id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        builder_edge (b, export, make_model (b, column_text (stmt, 0), column_text (stmt, 1), column_text (stmt, 2)));
      if (!step_done (b, stmt, rc, "model_training_lineage", error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  guint rank;
  guint old;
  DbwLineageNode *node;
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *ea = a;
  const SortEntry *eb = b;
  int cmp;

  if (ea->rank != eb->rank)
    return ea->rank < eb->rank ? -1 : 1;
  if (ea->node->kind != eb->node->kind)
    return ea->node->kind < eb->node->kind ? -1 : 1;
  cmp = strcmp (ea->node->title, eb->node->title);
  if (cmp != 0)
    return cmp;

  return strcmp (ea->node->id, eb->node->id);
}

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const guint *ea = a;
  const guint *eb = b;

  if (ea[0] != eb[0])
    return ea[0] < eb[0] ? -1 : 1;
  if (ea[1] != eb[1])
    return ea[1] < eb[1] ? -1 : 1;

  return 0;
}

/* Nodes in topological order (by rank, then kind, title and id, so the same project gives
 * the same graph), edges renumbered, sorted and unique. */
static DbwLineageGraph *
builder_finish (Builder *b)
{
  DbwLineageGraph *graph = g_object_new (DBW_TYPE_LINEAGE_GRAPH, NULL);
  g_autofree SortEntry *entries = g_new (SortEntry, b->nodes->len);
  g_autofree guint *position = g_new (guint, b->nodes->len);
  g_autofree gpointer *sorted = g_new (gpointer, b->nodes->len);
  guint n_edges = b->edges->len / 2;
  guint *edges = (guint *) (gpointer) b->edges->data;
  guint kept = 0;

  g_assert (b->root != G_MAXUINT);

  for (guint i = 0; i < b->nodes->len; i++)
    {
      entries[i].node = b->nodes->pdata[i];
      entries[i].rank = kind_rank (entries[i].node->kind);
      entries[i].old = i;
    }
  qsort (entries, b->nodes->len, sizeof (SortEntry), compare_entries);
  for (guint i = 0; i < b->nodes->len; i++)
    {
      position[entries[i].old] = i;
      sorted[i] = entries[i].node;
    }

  for (guint i = 0; i < n_edges; i++)
    {
      edges[2 * i] = position[edges[2 * i]];
      edges[2 * i + 1] = position[edges[2 * i + 1]];
    }
  qsort (edges, n_edges, 2 * sizeof (guint), compare_edges);
  for (guint i = 0; i < n_edges; i++)
    {
      if (kept > 0 && compare_edges (&edges[2 * i], &edges[2 * (kept - 1)]) == 0)
        continue;
      edges[2 * kept] = edges[2 * i];
      edges[2 * kept + 1] = edges[2 * i + 1];
      kept++;
    }
  g_array_set_size (b->edges, 2 * kept);

  g_list_store_splice (graph->nodes, 0, 0, sorted, b->nodes->len);
  graph->root = g_object_ref (b->nodes->pdata[b->root]);
  g_array_unref (graph->edges);
  graph->edges = g_array_ref (b->edges);

  return graph;
}

/* ---- Queries from each kind of node ---- */

#define PAIRS_BY_JSON \
  PAIR_SELECT "FROM json_each (?1) AS j JOIN qa_pairs AS p ON p.id = j.value" PAIR_JOIN
#define PAIRS_OF_EXPORT \
  PAIR_SELECT "FROM exports AS e, json_each (e.qa_pair_ids) AS j JOIN qa_pairs AS p ON p.id = j.value" \
  PAIR_JOIN "WHERE e.id = ?1"

static gboolean
build_model (Builder     *b,
             const char  *model_id,
             GError     **error)
{
  g_autofree char *export_id = NULL;
  g_autofree char *training_sheet_id = NULL;
  g_autofree char *pair_ids = NULL;
  g_autofree char *export_sheets = NULL;
  sqlite3_stmt *stmt;
  guint model = G_MAXUINT, export = G_MAXUINT;
  int rc;

  stmt = _dbw_store_prepare (b->store,
                             "SELECT model_name, model_version, export_id, training_sheet_id, qa_pair_ids "
                             "FROM model_training_lineage WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      model = make_model (b, model_id, column_text (stmt, 0), column_text (stmt, 1));
      export_id = g_strdup (column_text (stmt, 2));
      training_sheet_id = g_strdup (column_text (stmt, 3));
      pair_ids = g_strdup (column_text (stmt, 4));
      rc = SQLITE_DONE;
    }
  if (!step_done (b, stmt, rc, "model_training_lineage", error))
    return FALSE;
  if (model == G_MAXUINT)
    {
      g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                   _("No trained model with id “%s” in this project"), model_id);
      return FALSE;
    }
  b->root = model;

  if (export_id != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* An export deleted since is no reason to hide the rest. */
      export = add_export_row (b, export_id, &export_sheets, &local_error);
      if (local_error != NULL && !g_error_matches (local_error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      builder_edge (b, export, model);
    }

  if (pair_ids != NULL && strcmp (pair_ids, "[]") != 0)
    {
      if (!add_pairs_where (b, PAIRS_BY_JSON, pair_ids, NULL, export != G_MAXUINT ? export : model, error))
        return FALSE;
    }
  else if (export != G_MAXUINT)
    {
      if (!add_pairs_where (b, PAIRS_OF_EXPORT, export_id, NULL, export, error))
        return FALSE;
    }

  if (training_sheet_id != NULL)
    {
      guint training_sheet = add_training_sheet (b, training_sheet_id, error);

      if (error != NULL && *error != NULL)
        return FALSE;
      if (b->pair_ids->len == 0)
        builder_edge (b, training_sheet, export != G_MAXUINT ? export : model);
    }

  return add_training_sheet_list (b, export_sheets, export != G_MAXUINT ? export : model, error);
}

static gboolean
build_export (Builder     *b,
              const char  *export_id,
              GError     **error)
{
  g_autofree char *sheets = NULL;
  guint export;

  export = add_export_row (b, export_id, &sheets, error);
  if (export == G_MAXUINT)
    return FALSE;
  b->root = export;

  return add_pairs_where (b, PAIRS_OF_EXPORT, export_id, NULL, export, error) &&
         add_training_sheet_list (b, sheets, export, error) &&
         add_downstream (b, FALSE, error);
}

static gboolean
item_sheets (Builder     *b,
             const char  *sheet_id,
             const char  *item_ref,
             GPtrArray   *sheets,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sheet_id != NULL)
    stmt = _dbw_store_prepare (b->store,
                               "SELECT sheet_id FROM items WHERE sheet_id = ?1 AND item_ref = ?2 "
                               "UNION SELECT sheet_id FROM canonical_labels WHERE sheet_id = ?1 AND item_ref = ?2",
                               error);
  else
    stmt = _dbw_store_prepare (b->store,
                               "SELECT id FROM sheets WHERE "
                               "EXISTS (SELECT 1 FROM items WHERE items.sheet_id = sheets.id AND items.item_ref = ?2) "
                               "OR EXISTS (SELECT 1 FROM canonical_labels AS l "
                               "  WHERE l.sheet_id = sheets.id AND l.item_ref = ?2) "
                               "ORDER BY created_at, id", error);
  if (stmt == NULL)
    return FALSE;
  if (sheet_id != NULL)
    sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (sheets, g_strdup (column_text (stmt, 0)));

  return step_done (b, stmt, rc, "items", error);
}

static gboolean
build_item (Builder     *b,
            const char  *sheet_id,
            const char  *item_ref,
            GError     **error)
{
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func (g_free);

  if (!item_sheets (b, sheet_id, item_ref, sheets, error))
    return FALSE;
  if (sheets->len == 0)
    {
      g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                   _("No item “%s” in this project"), item_ref);
      return FALSE;
    }

  for (guint i = 0; i < sheets->len; i++)
    {
      sqlite3_stmt *stmt;
      guint item;
      int rc;

      item = add_item (b, sheets->pdata[i], item_ref, error);
      if (item == G_MAXUINT)
        return FALSE;
      if (b->root == G_MAXUINT)
        b->root = item;

      stmt = _dbw_store_prepare (b->store,
                                 "SELECT id, label_type, version FROM canonical_labels "
                                 "WHERE sheet_id = ?1 AND item_ref = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, sheets->pdata[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_label (b, column_text (stmt, 0), column_text (stmt, 1), sqlite3_column_int (stmt, 2), item_ref, item);
      if (!step_done (b, stmt, rc, "canonical_labels", error))
        return FALSE;

      if (!add_pairs_where (b,
                            PAIR_SELECT "FROM qa_pairs AS p" PAIR_JOIN
                            "WHERE p.training_sheet_id IN (SELECT id FROM training_sheets WHERE sheet_id = ?1) "
                            "AND p.item_ref = ?2",
                            sheets->pdata[i], item_ref, G_MAXUINT, error))
        return FALSE;
    }

  return add_downstream (b, TRUE, error);
}

static gboolean
build_label (Builder     *b,
             const char  *label_id,
             GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *sheet_id = NULL;
  g_autofree char *item_ref = NULL;
  g_autofree char *label_type = NULL;
  int version = 0;
  guint item;
  int rc;

  stmt = _dbw_store_prepare (b->store,
                             "SELECT sheet_id, item_ref, label_type, version FROM canonical_labels WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, label_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      sheet_id = g_strdup (column_text (stmt, 0));
      item_ref = g_strdup (column_text (stmt, 1));
      label_type = g_strdup (column_text (stmt, 2));
      version = sqlite3_column_int (stmt, 3);
      rc = SQLITE_DONE;
    }
  if (!step_done (b, stmt, rc, "canonical_labels", error))
    return FALSE;
  if (sheet_id == NULL)
    {
      g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                   _("No canonical label with id “%s” in this project"), label_id);
      return FALSE;
    }

  item = add_item (b, sheet_id, item_ref, error);
  if (item == G_MAXUINT)
    return FALSE;
  b->root = add_label (b, label_id, label_type, version, item_ref, item);

  return add_pairs_where (b, PAIR_SELECT "FROM qa_pairs AS p" PAIR_JOIN "WHERE p.canonical_label_id = ?1",
                          label_id, NULL, G_MAXUINT, error) &&
         add_downstream (b, TRUE, error);
}

static gboolean
build_pairs_root (Builder            *b,
                  DbwLineageNodeKind  kind,
                  const char         *id,
                  GError            **error)
{
  const char *sql = NULL;

  switch (kind)
    {
    case DBW_LINEAGE_NODE_QA_PAIR:
      sql = PAIR_SELECT "FROM qa_pairs AS p" PAIR_JOIN "WHERE p.id = ?1";
      break;
    case DBW_LINEAGE_NODE_TRAINING_SHEET:
      b->root = add_training_sheet (b, id, error);
      sql = PAIR_SELECT "FROM qa_pairs AS p" PAIR_JOIN "WHERE p.training_sheet_id = ?1";
      break;
    case DBW_LINEAGE_NODE_TEMPLATE:
      b->root = add_template (b, id, error);
      sql = PAIR_SELECT "FROM qa_pairs AS p" PAIR_JOIN
            "WHERE p.training_sheet_id IN (SELECT id FROM training_sheets WHERE template_id = ?1)";
      break;
    case DBW_LINEAGE_NODE_SHEET:
      {
        sqlite3_stmt *stmt = _dbw_store_prepare (b->store, "SELECT 1 FROM sheets WHERE id = ?1", error);
        int rc;

        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          {
            b->root = add_sheet (b, id, error);
            rc = SQLITE_DONE;
          }
        if (!step_done (b, stmt, rc, "sheets", error))
          return FALSE;
        sql = PAIR_SELECT "FROM qa_pairs AS p" PAIR_JOIN
              "WHERE p.training_sheet_id IN (SELECT id FROM training_sheets WHERE sheet_id = ?1)";
      }
      break;
    case DBW_LINEAGE_NODE_ITEM:
    case DBW_LINEAGE_NODE_CANONICAL_LABEL:
    case DBW_LINEAGE_NODE_EXPORT:
    case DBW_LINEAGE_NODE_MODEL:
    default:
      g_assert_not_reached ();
    }

  if (error != NULL && *error != NULL)
    return FALSE;
  if (kind != DBW_LINEAGE_NODE_QA_PAIR && b->root == G_MAXUINT)
    {
      g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                   _("No %s with id “%s” in this project"), kind_nick (kind), id);
      return FALSE;
    }

  if (!add_pairs_where (b, sql, id, NULL, G_MAXUINT, error))
    return FALSE;

  if (kind == DBW_LINEAGE_NODE_QA_PAIR)
    {
      b->root = builder_find (b, DBW_LINEAGE_NODE_QA_PAIR, id);
      if (b->root == G_MAXUINT)
        {
          g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                       _("No Q&A pair with id “%s” in this project"), id);
          return FALSE;
        }
    }
  else if (kind == DBW_LINEAGE_NODE_TEMPLATE)
    {
      /* Training sheets made from the template that have no pairs yet. */
      sqlite3_stmt *stmt = _dbw_store_prepare (b->store, "SELECT id FROM training_sheets WHERE template_id = ?1", error);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
      if (!step_done (b, stmt, rc, "training_sheets", error))
        return FALSE;
      for (guint i = 0; i < ids->len; i++)
        if (add_training_sheet (b, ids->pdata[i], error) == G_MAXUINT && error != NULL && *error != NULL)
          return FALSE;
    }

  return add_downstream (b, TRUE, error);
}

static DbwLineageGraph *
build (DbwStore            *store,
       DbwLineageNodeKind   kind,
       const char          *id,
       const char          *item_sheet,
       GCancellable        *cancellable,
       GError             **error)
{
  Builder b;
  gboolean ok = FALSE;
  DbwLineageGraph *graph = NULL;
  GError *local_error = NULL;

  builder_init (&b, store, cancellable);

  switch (kind)
    {
    case DBW_LINEAGE_NODE_MODEL:
      ok = build_model (&b, id, &local_error);
      break;
    case DBW_LINEAGE_NODE_EXPORT:
      ok = build_export (&b, id, &local_error);
      break;
    case DBW_LINEAGE_NODE_ITEM:
      ok = build_item (&b, item_sheet, id, &local_error);
      break;
    case DBW_LINEAGE_NODE_CANONICAL_LABEL:
      ok = build_label (&b, id, &local_error);
      break;
    case DBW_LINEAGE_NODE_QA_PAIR:
    case DBW_LINEAGE_NODE_TRAINING_SHEET:
    case DBW_LINEAGE_NODE_TEMPLATE:
    case DBW_LINEAGE_NODE_SHEET:
      ok = build_pairs_root (&b, kind, id, &local_error);
      break;
    default:
      g_set_error (&local_error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                   _("Unknown kind of lineage node %d"), (int) kind);
    }

  if (ok && !g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    graph = builder_finish (&b);
  if (local_error != NULL)
    g_propagate_error (error, local_error);

  builder_clear (&b);

  return graph;
}

/* ---- Public API ---- */

/**
 * dbw_lineage_for_model:
 * @version: (nullable): the registered version, or %NULL for the newest
 *
 * Returns: (transfer full): the model, its export, training sheets, pairs and everything
 *   they came from; %NULL with %DBW_LINEAGE_ERROR_NOT_FOUND when no model has that name
 */
DbwLineageGraph *
dbw_lineage_for_model (DbwStore      *store,
                       const char    *model_name,
                       const char    *version,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *model_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (model_name != NULL, NULL);

  /* Versions are numbers in Unity Catalog, but text here: order numerically first. */
  stmt = _dbw_store_prepare (store,
                             "SELECT id FROM model_training_lineage "
                             "WHERE model_name = ?1 AND (?2 IS NULL OR model_version = ?2) "
                             "ORDER BY CAST (model_version AS INTEGER) DESC, model_version DESC, "
                             "  trained_at DESC, rowid DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, model_name, -1, SQLITE_TRANSIENT);
  if (version != NULL)
    sqlite3_bind_text (stmt, 2, version, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      model_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_DONE;
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "model_training_lineage", error);
      return NULL;
    }

  if (model_id == NULL)
    {
      if (version != NULL)
        g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                     _("No model “%s” with version %s in this project"), model_name, version);
      else
        g_set_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND,
                     _("No model “%s” in this project"), model_name);
      return NULL;
    }

  return build (store, DBW_LINEAGE_NODE_MODEL, model_id, NULL, cancellable, error);
}

/**
 * dbw_lineage_for_item:
 * @sheet_id: (nullable): the item's sheet, or %NULL for every sheet with @item_ref
 *
 * Returns: (transfer full): the item, its sheet and labels, and every training sheet,
 *   pair, export and model that used it
 */
DbwLineageGraph *
dbw_lineage_for_item (DbwStore      *store,
                      const char    *sheet_id,
                      const char    *item_ref,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);

  return build (store, DBW_LINEAGE_NODE_ITEM, item_ref, sheet_id, cancellable, error);
}

/**
 * dbw_lineage_for_label:
 *
 * Returns: (transfer full): the canonical label, its item, and every pair, export and
 *   model that used it
 */
DbwLineageGraph *
dbw_lineage_for_label (DbwStore      *store,
                       const char    *label_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (label_id != NULL, NULL);

  return build (store, DBW_LINEAGE_NODE_CANONICAL_LABEL, label_id, NULL, cancellable, error);
}

/**
 * dbw_lineage_for_node:
 * @id: the node's id as dbw_lineage_node_get_id() gives it (an item: "sheet_id/item_ref")
 *
 * Returns: (transfer full): the graph around the node
 */
DbwLineageGraph *
dbw_lineage_for_node (DbwStore            *store,
                      DbwLineageNodeKind   kind,
                      const char          *id,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (kind == DBW_LINEAGE_NODE_ITEM)
    {
      const char *slash = strchr (id, '/');
      g_autofree char *sheet_id = NULL;

      /* Sheet ids never hold a slash; item refs (paths) may. */
      if (slash == NULL)
        return build (store, kind, id, NULL, cancellable, error);
      sheet_id = g_strndup (id, slash - id);

      return build (store, kind, slash + 1, sheet_id, cancellable, error);
    }

  return build (store, kind, id, NULL, cancellable, error);
}

typedef struct
{
  DbwLineageNodeKind kind;
  char *id;
} NodeQuery;

static void
node_query_free (NodeQuery *query)
{
  g_free (query->id);
  g_free (query);
}

static void
for_node_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  NodeQuery *query = task_data;
  g_autoptr(DbwStore) connection = NULL;
  DbwLineageGraph *graph;
  GError *error = NULL;

  connection = dbw_store_open_connection (DBW_STORE (source_object), &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  graph = dbw_lineage_for_node (connection, query->kind, query->id, cancellable, &error);
  if (graph == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, graph, g_object_unref);
}

/**
 * dbw_lineage_for_node_async:
 *
 * Builds the graph around a node on a worker thread, with its own connection.
 */
void
dbw_lineage_for_node_async (DbwStore            *store,
                            DbwLineageNodeKind   kind,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NodeQuery *query;

  g_return_if_fail (DBW_IS_STORE (store));
  g_return_if_fail (id != NULL);

  query = g_new0 (NodeQuery, 1);
  query->kind = kind;
  query->id = g_strdup (id);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_task_data (task, query, (GDestroyNotify) node_query_free);
  g_task_run_in_thread (task, for_node_thread);
}

/**
 * dbw_lineage_for_node_finish:
 *
 * Returns: (transfer full): the graph, or %NULL with @error set
 */
DbwLineageGraph *
dbw_lineage_for_node_finish (DbwStore      *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
