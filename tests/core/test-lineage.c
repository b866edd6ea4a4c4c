/* test-lineage.c — lineage graphs from models, exports, items and labels
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dbw-lineage.h"
#include "lineage-fixture.h"
#include "test-util.h"

typedef struct
{
  char           *dir;
  DbwStore       *store;
  LineageFixture  lf;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = test_make_dir ();
  f->store = test_create_store (f->dir, "lineage.dbw");
  lineage_fixture_fill (&f->lf, f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dbw_store_close (f->store);
  g_assert_finalize_object (f->store);
  lineage_fixture_clear (&f->lf);
  test_remove_dir (f->dir);
  g_free (f->dir);
}

/* The node's position, or -1. */
static int
find_node (DbwLineageGraph    *graph,
           DbwLineageNodeKind  kind,
           const char         *id)
{
  GListModel *nodes = dbw_lineage_graph_get_nodes (graph);

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      if (dbw_lineage_node_get_kind (node) == kind && strcmp (dbw_lineage_node_get_id (node), id) == 0)
        return i;
    }

  return -1;
}

static guint
count_kind (DbwLineageGraph    *graph,
            DbwLineageNodeKind  kind)
{
  GListModel *nodes = dbw_lineage_graph_get_nodes (graph);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      n += dbw_lineage_node_get_kind (node) == kind;
    }

  return n;
}

static gboolean
has_edge (DbwLineageGraph *graph,
          int              from,
          int              to)
{
  g_assert_cmpint (from, >=, 0);
  g_assert_cmpint (to, >=, 0);

  for (guint i = 0; i < dbw_lineage_graph_get_n_edges (graph); i++)
    {
      guint a, b;

      dbw_lineage_graph_get_edge (graph, i, &a, &b);
      if ((int) a == from && (int) b == to)
        return TRUE;
    }

  return FALSE;
}

/* Nodes unique, in topological order; edges unique and in range. */
static void
assert_well_formed (DbwLineageGraph *graph)
{
  GListModel *nodes = dbw_lineage_graph_get_nodes (graph);
  guint n = g_list_model_get_n_items (nodes);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint prev_from = 0, prev_to = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);
      char *key = g_strdup_printf ("%d:%s", dbw_lineage_node_get_kind (node), dbw_lineage_node_get_id (node));

      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, key);
      g_assert_nonnull (dbw_lineage_node_get_title (node));
      g_assert_nonnull (dbw_lineage_node_get_subtitle (node));
    }

  for (guint i = 0; i < dbw_lineage_graph_get_n_edges (graph); i++)
    {
      guint from, to;

      dbw_lineage_graph_get_edge (graph, i, &from, &to);
      g_assert_cmpuint (from, <, to);
      g_assert_cmpuint (to, <, n);
      if (i > 0)
        g_assert_true (from > prev_from || (from == prev_from && to > prev_to));
      prev_from = from;
      prev_to = to;
    }

  g_assert_cmpint (find_node (graph, dbw_lineage_node_get_kind (dbw_lineage_graph_get_root (graph)),
                              dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph))), >=, 0);
}

static void
test_model_newest (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autofree char *row_0 = g_strconcat (f->lf.sheet_id, "/row_0", NULL);
  g_autofree char *row_2 = g_strconcat (f->lf.sheet_id, "/row_2", NULL);
  int model, label;

  graph = dbw_lineage_for_model (f->store, "Climate", NULL, NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph);

  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph)), ==, "model-2");
  g_assert_cmpstr (dbw_lineage_node_get_title (dbw_lineage_graph_get_root (graph)), ==, "Climate");
  model = find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-2");
  label = find_node (graph, DBW_LINEAGE_NODE_CANONICAL_LABEL, f->lf.label_id);

  /* Its pairs only, each with what it came from; no export, so pairs feed the model. */
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_QA_PAIR), ==, 2);
  g_assert_cmpint (find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-1"), ==, -1);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_EXPORT), ==, 0);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_MODEL), ==, 1);
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-0"), model));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-2"), model));
  g_assert_true (has_edge (graph, label, find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-0")));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_ITEM, row_0), label));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_ITEM, row_2),
                           find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-2")));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_SHEET, f->lf.sheet_id),
                           find_node (graph, DBW_LINEAGE_NODE_ITEM, row_0)));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_TEMPLATE, f->lf.template_id),
                           find_node (graph, DBW_LINEAGE_NODE_TRAINING_SHEET, "ts-1")));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_TRAINING_SHEET, "ts-1"),
                           find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-2")));
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_SHEET), ==, 1);
}

static void
test_model_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  int model, export, pair0;

  graph = dbw_lineage_for_model (f->store, "Climate", "1", NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph);

  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph)), ==, "model-1");
  model = find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-1");
  export = find_node (graph, DBW_LINEAGE_NODE_EXPORT, "export-1");
  pair0 = find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-0");
  g_assert_true (has_edge (graph, export, model));
  g_assert_true (has_edge (graph, pair0, export));
  g_assert_false (has_edge (graph, pair0, model));
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_QA_PAIR), ==, 2);
  g_assert_cmpint (find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-2"), ==, -1);
}

static void
test_item (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autoptr(DbwLineageGraph) graph1 = NULL;
  g_autofree char *row_1 = g_strconcat (f->lf.sheet_id, "/row_1", NULL);

  /* row_0: its label, the pair made through it, the export and both models. */
  graph = dbw_lineage_for_item (f->store, f->lf.sheet_id, "row_0", NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph);
  g_assert_cmpint (dbw_lineage_node_get_kind (dbw_lineage_graph_get_root (graph)), ==, DBW_LINEAGE_NODE_ITEM);
  g_assert_cmpint (find_node (graph, DBW_LINEAGE_NODE_CANONICAL_LABEL, f->lf.label_id), >=, 0);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_QA_PAIR), ==, 1);
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-0"),
                           find_node (graph, DBW_LINEAGE_NODE_EXPORT, "export-1")));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_EXPORT, "export-1"),
                           find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-1")));
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-0"),
                           find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-2")));
  g_assert_cmpint (find_node (graph, DBW_LINEAGE_NODE_TRAINING_SHEET, "ts-1"), >=, 0);

  /* row_1 through the node id: two pairs, the export and the model trained on it only. */
  graph1 = dbw_lineage_for_node (f->store, DBW_LINEAGE_NODE_ITEM, row_1, NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph1);
  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph1)), ==, row_1);
  g_assert_cmpuint (count_kind (graph1, DBW_LINEAGE_NODE_QA_PAIR), ==, 2);
  g_assert_cmpuint (count_kind (graph1, DBW_LINEAGE_NODE_CANONICAL_LABEL), ==, 0);
  g_assert_cmpint (find_node (graph1, DBW_LINEAGE_NODE_MODEL, "model-1"), >=, 0);
  g_assert_cmpint (find_node (graph1, DBW_LINEAGE_NODE_MODEL, "model-2"), ==, -1);
  g_assert_false (has_edge (graph1, find_node (graph1, DBW_LINEAGE_NODE_QA_PAIR, "pair-3"),
                            find_node (graph1, DBW_LINEAGE_NODE_EXPORT, "export-1")));
}

static void
test_item_every_sheet (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;

  graph = dbw_lineage_for_item (f->store, NULL, "row_0", NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_ITEM), ==, 2);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_SHEET), ==, 2);
}

static void
test_label (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autofree char *row_0 = g_strconcat (f->lf.sheet_id, "/row_0", NULL);
  int label;

  graph = dbw_lineage_for_label (f->store, f->lf.label_id, NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph);
  label = find_node (graph, DBW_LINEAGE_NODE_CANONICAL_LABEL, f->lf.label_id);
  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph)), ==, f->lf.label_id);
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_ITEM, row_0), label));
  g_assert_true (has_edge (graph, label, find_node (graph, DBW_LINEAGE_NODE_QA_PAIR, "pair-0")));
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_MODEL), ==, 2);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_EXPORT), ==, 1);
}

static void
test_export_and_json (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *object;
  JsonArray *edges;

  graph = dbw_lineage_for_node (f->store, DBW_LINEAGE_NODE_EXPORT, "export-1", NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (graph);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_QA_PAIR), ==, 2);
  g_assert_true (has_edge (graph, find_node (graph, DBW_LINEAGE_NODE_EXPORT, "export-1"),
                           find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-1")));
  /* Model 2 shares pair-0 but not the export. */
  g_assert_cmpint (find_node (graph, DBW_LINEAGE_NODE_MODEL, "model-2"), ==, -1);

  json = dbw_lineage_graph_to_json (graph);
  object = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "root"), "kind"), ==, "export");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "root"), "id"), ==, "export-1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "nodes")), ==,
                    g_list_model_get_n_items (dbw_lineage_graph_get_nodes (graph)));
  edges = json_object_get_array_member (object, "edges");
  g_assert_cmpuint (json_array_get_length (edges), ==, dbw_lineage_graph_get_n_edges (graph));
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (edges, 0)), ==, 2);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbwLineageGraph *graph;

  graph = dbw_lineage_for_model (f->store, "Weather", NULL, NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Weather"));
  g_clear_error (&error);

  graph = dbw_lineage_for_model (f->store, "Climate", "7", NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  graph = dbw_lineage_for_item (f->store, NULL, "row_99", NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "row_99"));
  g_clear_error (&error);

  graph = dbw_lineage_for_label (f->store, "no-such-label", NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  graph = dbw_lineage_for_node (f->store, DBW_LINEAGE_NODE_TRAINING_SHEET, "ts-9", NULL, &error);
  g_assert_null (graph);
  g_assert_error (error, DBW_LINEAGE_ERROR, DBW_LINEAGE_ERROR_NOT_FOUND);
}

static void
on_graph_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DbwLineageGraph **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_lineage_for_node_finish (DBW_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_training_sheet (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DbwLineageGraph) graph = NULL;

  dbw_lineage_for_node_async (f->store, DBW_LINEAGE_NODE_TRAINING_SHEET, "ts-1", NULL, on_graph_cb, &graph);
  while (graph == NULL)
    g_main_context_iteration (NULL, TRUE);

  assert_well_formed (graph);
  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph)), ==, "ts-1");
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_QA_PAIR), ==, 4);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_MODEL), ==, 2);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_TEMPLATE), ==, 1);
}

/* A model trained on 100,000 pairs, half of them through canonical labels: the graph keeps
 * every node and builds in well under the seconds a user would notice. */
static void
test_large_model (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autoptr(DbwLineageGraph) item_graph = NULL;
  g_autofree char *sql = NULL;
  gint64 start;
  double model_s, item_s;

  sql = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO training_sheets (id, name, sheet_id, template_id, status, created_at, updated_at)"
    "  VALUES ('ts-big', 'Big', '%s', '%s', 'approved', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
    "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999)"
    "INSERT INTO canonical_labels (id, sheet_id, item_ref, label_type, label_data, created_at)"
    "  SELECT 'big-label-' || i, '%s', 'big_' || i, 'classification', '{}', '2026-01-01T00:00:00Z' FROM n;"
    "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)"
    "INSERT INTO qa_pairs (id, training_sheet_id, item_ref, canonical_label_id, status, labeling_mode,"
    "  created_at, updated_at)"
    "  SELECT 'big-pair-' || i, 'ts-big', 'big_' || i, CASE WHEN i < 50000 THEN 'big-label-' || i END,"
    "    'labeled', 'manual', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;"
    "INSERT INTO exports (id, training_sheet_ids, use, format, qa_pair_ids, created_at)"
    "  SELECT 'export-big', '[\"ts-big\"]', 'training', 'jsonl', json_group_array (id), '2026-01-02T00:00:00Z'"
    "  FROM qa_pairs WHERE training_sheet_id = 'ts-big';"
    "INSERT INTO model_training_lineage (id, model_name, model_version, training_sheet_id, qa_pair_ids,"
    "  export_id, trained_at)"
    "  SELECT 'model-big', 'Big model', '1', 'ts-big', qa_pair_ids, 'export-big', '2026-01-03T00:00:00Z'"
    "  FROM exports WHERE id = 'export-big';"
    "COMMIT;", f->lf.sheet_id, f->lf.template_id, f->lf.sheet_id);
  lineage_exec (f->store, sql);

  start = g_get_monotonic_time ();
  graph = dbw_lineage_for_model (f->store, "Big model", NULL, NULL, &error);
  model_s = (g_get_monotonic_time () - start) / 1e6;
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_QA_PAIR), ==, 100000);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_ITEM), ==, 100000);
  g_assert_cmpuint (count_kind (graph, DBW_LINEAGE_NODE_CANONICAL_LABEL), ==, 50000);
  /* sheet→item, item→label|pair, label→pair, template→ts, ts→pair, pair→export, export→model */
  g_assert_cmpuint (dbw_lineage_graph_get_n_edges (graph), ==, 100000 + 100000 + 50000 + 1 + 100000 + 100000 + 1);

  /* One item out of the big export: matching it against 100,000 listed pairs. */
  start = g_get_monotonic_time ();
  item_graph = dbw_lineage_for_item (f->store, f->lf.sheet_id, "big_7", NULL, &error);
  item_s = (g_get_monotonic_time () - start) / 1e6;
  g_assert_no_error (error);
  g_assert_cmpint (find_node (item_graph, DBW_LINEAGE_NODE_MODEL, "model-big"), >=, 0);

  g_test_message ("lineage of a model of 100,000 pairs: %.3f s; of one of its items: %.3f s", model_s, item_s);
  /* Generous for sanitizer builds on a shared machine; typically a few hundred ms. */
  g_assert_cmpfloat (model_s, <, 5.0);
  g_assert_cmpfloat (item_s, <, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/lineage/model/newest", test_model_newest);
  ADD ("/lineage/model/version", test_model_version);
  ADD ("/lineage/item", test_item);
  ADD ("/lineage/item/every-sheet", test_item_every_sheet);
  ADD ("/lineage/label", test_label);
  ADD ("/lineage/export-json", test_export_and_json);
  ADD ("/lineage/not-found", test_not_found);
  ADD ("/lineage/async-training-sheet", test_async_training_sheet);
  ADD ("/lineage/large-model", test_large_model);
#undef ADD

  return g_test_run ();
}
