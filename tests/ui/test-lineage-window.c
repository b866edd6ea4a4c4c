/* test-lineage-window.c — the lineage viewer: canvas and list in step, click-through, Back, zoom
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dbw-canonical-page.h"
#include "dbw-data-page.h"
#include "dbw-item.h"
#include "dbw-lineage-canvas.h"
#include "dbw-model-lineage.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-lineage-window.h"
#include "ui-test-util.h"
#include "../core/lineage-fixture.h"
#include "../core/test-util.h"

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
  ui_test_spin_idle ();
  dbw_store_close (f->store);
  g_clear_object (&f->store);
  lineage_fixture_clear (&f->lf);
  test_remove_dir (f->dir);
  g_free (f->dir);
}

typedef struct
{
  DbwLineageCanvas *canvas;
  const char       *root_id;
} RootWait;

static gboolean
root_is (gpointer data)
{
  RootWait *wait = data;
  DbwLineageGraph *graph = dbw_lineage_canvas_get_graph (wait->canvas);

  return graph != NULL && g_strcmp0 (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (graph)), wait->root_id) == 0;
}

static void
wait_for_root (DbwLineageCanvas *canvas,
               const char       *id)
{
  RootWait wait = { canvas, id };

  ui_test_spin_until (root_is, &wait);
  ui_test_spin_idle ();
}

static guint
position_of (DbwLineageCanvas   *canvas,
             DbwLineageNodeKind  kind,
             const char         *id)
{
  GListModel *nodes = dbw_lineage_graph_get_nodes (dbw_lineage_canvas_get_graph (canvas));

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      if (dbw_lineage_node_get_kind (node) == kind && g_str_equal (dbw_lineage_node_get_id (node), id))
        return i;
    }

  g_assert_not_reached ();
}

static guint
list_selected (GtkListView *list_view)
{
  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list_view)));
}

static gboolean
canvas_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

static void
test_browse (Fixture       *f,
             gconstpointer  data)
{
  DbwLineageWindow *window = dbw_lineage_window_new (NULL, f->store, DBW_LINEAGE_NODE_MODEL, "model-1");
  DbwLineageCanvas *canvas;
  GtkListView *list_view;
  AdwWindowTitle *title;
  guint root, pair0;
  double x, y, zoom;
  g_autofree char *expected = NULL;
  GtkWidget *first_row;
  guint n_nodes;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  gtk_window_present (GTK_WINDOW (window));
  canvas = DBW_LINEAGE_CANVAS (ui_test_find_widget (GTK_WIDGET (window), DBW_TYPE_LINEAGE_CANVAS));
  list_view = GTK_LIST_VIEW (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW));
  title = ADW_WINDOW_TITLE (ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE));
  wait_for_root (canvas, "model-1");

  /* The list holds the same nodes, and both start on the root. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list_view))), ==,
                    g_list_model_get_n_items (dbw_lineage_graph_get_nodes (dbw_lineage_canvas_get_graph (canvas))));
  root = position_of (canvas, DBW_LINEAGE_NODE_MODEL, "model-1");
  g_assert_cmpuint (dbw_lineage_canvas_get_selected (canvas), ==, root);
  g_assert_cmpuint (list_selected (list_view), ==, root);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Climate");

  /* Both name themselves to assistive technologies; each row says kind, title, details. */
  n_nodes = g_list_model_get_n_items (dbw_lineage_graph_get_nodes (dbw_lineage_canvas_get_graph (canvas)));
  expected = g_strdup_printf ("Lineage graph of %u nodes; the list beside it has each one", n_nodes);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (canvas), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  first_row = ui_test_find_widget (GTK_WIDGET (list_view), GTK_TYPE_BOX);
  g_assert_nonnull (first_row);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (first_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Sheet: Cities, Sheet");

  /* The root is drawn where a click finds it, once the canvas is laid out. */
  ui_test_spin_until (canvas_allocated, canvas);
  g_assert_true (dbw_lineage_canvas_get_node_center (canvas, root, &x, &y));
  g_assert_cmpuint (dbw_lineage_canvas_node_at (canvas, x, y), ==, root);
  g_assert_cmpuint (dbw_lineage_canvas_node_at (canvas, x, y + 1000), ==, G_MAXUINT);

  /* Selecting in either selects in both. */
  pair0 = position_of (canvas, DBW_LINEAGE_NODE_QA_PAIR, "pair-0");
  gtk_selection_model_select_item (gtk_list_view_get_model (list_view), pair0, TRUE);
  g_assert_cmpuint (dbw_lineage_canvas_get_selected (canvas), ==, pair0);
  dbw_lineage_canvas_set_selected (canvas, root);
  g_assert_cmpuint (list_selected (list_view), ==, root);

  /* Enter in the list re-roots on the node; Back returns. */
  g_signal_emit_by_name (list_view, "activate", pair0);
  wait_for_root (canvas, "pair-0");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "row_0");
  g_assert_cmpuint (list_selected (list_view), ==, position_of (canvas, DBW_LINEAGE_NODE_QA_PAIR, "pair-0"));
  /* From the pair: both models that used it. */
  position_of (canvas, DBW_LINEAGE_NODE_MODEL, "model-2");

  /* Double-click (activation) on the canvas re-roots too. */
  dbw_lineage_canvas_activate (canvas, position_of (canvas, DBW_LINEAGE_NODE_CANONICAL_LABEL, f->lf.label_id));
  wait_for_root (canvas, f->lf.label_id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "lineage.back", NULL));
  wait_for_root (canvas, "pair-0");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "lineage.back", NULL));
  wait_for_root (canvas, "model-1");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Climate");

  /* Zoom by the actions the keys and buttons use. */
  zoom = dbw_lineage_canvas_get_zoom (canvas);
  gtk_widget_activate_action (GTK_WIDGET (window), "lineage.zoom-in", NULL);
  g_assert_cmpfloat (dbw_lineage_canvas_get_zoom (canvas), >, zoom);
  gtk_widget_activate_action (GTK_WIDGET (window), "lineage.zoom-out", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "lineage.zoom-out", NULL);
  g_assert_cmpfloat (dbw_lineage_canvas_get_zoom (canvas), <, zoom);
  gtk_widget_activate_action (GTK_WIDGET (window), "lineage.zoom-reset", NULL);
  g_assert_cmpfloat (dbw_lineage_canvas_get_zoom (canvas), ==, 1.0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_model_3 (gpointer data)
{
  GListModel *nodes = dbw_lineage_graph_get_nodes (dbw_lineage_canvas_get_graph (data));

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      if (g_str_equal (dbw_lineage_node_get_id (node), "model-3"))
        return TRUE;
    }

  return FALSE;
}

/* An open window follows the project: a model trained meanwhile appears, and the user's
 * zoom and selection stay. */
static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  DbwLineageWindow *window = dbw_lineage_window_new (NULL, f->store, DBW_LINEAGE_NODE_QA_PAIR, "pair-0");
  g_autoptr(DbwModelLineage) model = dbw_model_lineage_new ();
  g_autoptr(GError) error = NULL;
  DbwLineageCanvas *canvas;
  GtkListView *list_view;
  DbwLineageGraph *before;
  guint n_before;
  double zoom;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  gtk_window_present (GTK_WINDOW (window));
  canvas = DBW_LINEAGE_CANVAS (ui_test_find_widget (GTK_WIDGET (window), DBW_TYPE_LINEAGE_CANVAS));
  list_view = GTK_LIST_VIEW (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW));
  wait_for_root (canvas, "pair-0");
  before = dbw_lineage_canvas_get_graph (canvas);
  n_before = g_list_model_get_n_items (dbw_lineage_graph_get_nodes (before));
  g_assert_false (has_model_3 (canvas));

  gtk_widget_activate_action (GTK_WIDGET (window), "lineage.zoom-in", NULL);
  zoom = dbw_lineage_canvas_get_zoom (canvas);
  dbw_lineage_canvas_set_selected (canvas, position_of (canvas, DBW_LINEAGE_NODE_MODEL, "model-2"));

  dbw_model_lineage_set_model_id (model, "model-3");
  dbw_model_lineage_set_model_name (model, "Climate");
  dbw_model_lineage_set_model_version (model, "3");
  dbw_model_lineage_set_training_sheet_id (model, "ts-1");
  dbw_model_lineage_set_qa_pair_ids (model, "[\"pair-0\"]");
  dbw_model_lineage_set_train_pair_count (model, 1);
  dbw_model_lineage_set_trained_at (model, "2026-01-05T00:00:00Z");
  dbw_record_set_id (DBW_RECORD (model), "model-3");
  g_assert_true (dbw_store_insert (f->store, model, &error));
  g_assert_no_error (error);

  ui_test_spin_until (has_model_3, canvas);
  ui_test_spin_idle ();
  g_assert_true (dbw_lineage_canvas_get_graph (canvas) != before);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_lineage_graph_get_nodes (dbw_lineage_canvas_get_graph (canvas))),
                    ==, n_before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list_view))), ==, n_before + 1);
  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (dbw_lineage_canvas_get_graph (canvas))),
                   ==, "pair-0");
  g_assert_cmpfloat (dbw_lineage_canvas_get_zoom (canvas), ==, zoom);
  g_assert_cmpuint (dbw_lineage_canvas_get_selected (canvas), ==,
                    position_of (canvas, DBW_LINEAGE_NODE_MODEL, "model-2"));
  g_assert_cmpuint (list_selected (list_view), ==, position_of (canvas, DBW_LINEAGE_NODE_MODEL, "model-2"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_aggregate (Fixture       *f,
                gconstpointer  data)
{
  DbwLineageWindow *window;
  DbwLineageCanvas *canvas;
  GtkListView *list_view;
  guint pair;

  lineage_exec (f->store,
                "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 39)"
                "INSERT INTO qa_pairs (id, training_sheet_id, item_ref, status, labeling_mode, created_at, updated_at)"
                "  SELECT 'more-' || i, 'ts-1', 'row_3', 'unlabeled', 'ai_generated',"
                "    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;");

  window = dbw_lineage_window_new (NULL, f->store, DBW_LINEAGE_NODE_TRAINING_SHEET, "ts-1");
  gtk_window_present (GTK_WINDOW (window));
  canvas = DBW_LINEAGE_CANVAS (ui_test_find_widget (GTK_WIDGET (window), DBW_TYPE_LINEAGE_CANVAS));
  list_view = GTK_LIST_VIEW (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW));
  wait_for_root (canvas, "ts-1");

  /* 44 pairs are one node on the canvas, every one of them in the list. */
  pair = position_of (canvas, DBW_LINEAGE_NODE_QA_PAIR, "more-7");
  g_assert_true (dbw_lineage_canvas_is_aggregated (canvas, pair));
  g_assert_true (dbw_lineage_canvas_is_aggregated (canvas, position_of (canvas, DBW_LINEAGE_NODE_QA_PAIR, "pair-0")));

  /* Activating the aggregate expands it rather than re-rooting. */
  gtk_selection_model_select_item (gtk_list_view_get_model (list_view), pair, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "lineage.show-selected", NULL));
  g_assert_false (dbw_lineage_canvas_is_aggregated (canvas, pair));
  g_assert_cmpstr (dbw_lineage_node_get_id (dbw_lineage_graph_get_root (dbw_lineage_canvas_get_graph (canvas))), ==, "ts-1");

  /* Now drawn one by one, so it re-roots. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "lineage.show-selected", NULL));
  wait_for_root (canvas, "more-7");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
error_shown (gpointer data)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (ui_test_find_widget (data, ADW_TYPE_STATUS_PAGE));

  return gtk_widget_get_mapped (GTK_WIDGET (page)) && adw_status_page_get_description (page) != NULL;
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  DbwLineageWindow *window = dbw_lineage_window_new (NULL, f->store, DBW_LINEAGE_NODE_MODEL, "no-such-model");
  AdwStatusPage *page;

  gtk_window_present (GTK_WINDOW (window));
  ui_test_spin_until (error_shown, window);
  page = ADW_STATUS_PAGE (ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "no-such-model"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
items_loaded (gpointer data)
{
  GListModel *items = dbw_data_page_get_items (DBW_DATA_PAGE (data));

  return items != NULL && !dbw_query_model_get_loading (DBW_QUERY_MODEL (items));
}

static gboolean
lineage_window_open (gpointer data)
{
  DbwLineageWindow **out = data;

  *out = (DbwLineageWindow *) ui_test_find_toplevel (DBW_TYPE_LINEAGE_WINDOW);

  return *out != NULL;
}

static gboolean
has_graph (gpointer data)
{
  return dbw_lineage_canvas_get_graph (data) != NULL;
}

static DbwLineageCanvas *
wait_for_lineage_window (DbwLineageWindow **window)
{
  *window = NULL;
  ui_test_spin_until (lineage_window_open, window);

  return DBW_LINEAGE_CANVAS (ui_test_find_widget (GTK_WIDGET (*window), DBW_TYPE_LINEAGE_CANVAS));
}

/* "Show Lineage" on the Data page's item and on the Canonical Labeling Tool's label. */
static void
test_entry_points (Fixture       *f,
                   gconstpointer  data)
{
  DbwWindow *window = ui_test_open_demo (f->dir, "demo.dbw");
  DbwDataPage *data_page;
  DbwCanonicalPage *canonical;
  DbwLineageWindow *lineage;
  DbwLineageCanvas *canvas;
  GListModel *sheets;
  g_autofree char *item_id = NULL;
  g_autofree char *sheet_id = NULL;
  DbwItem *item;

  g_assert_true (dbw_window_show_page (window, "data"));
  data_page = DBW_DATA_PAGE (dbw_window_get_page (window, "data"));
  sheets = dbw_data_page_get_sheets (data_page);
  for (guint i = 0; i < g_list_model_get_n_items (sheets); i++)
    {
      g_autoptr(DbwSheet) sheet = g_list_model_get_item (sheets, i);

      if (g_str_equal (dbw_sheet_get_name (sheet), "PCB inspection images"))
        {
          sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
          g_assert_true (dbw_data_page_select_sheet (data_page, i));
        }
    }
  g_assert_nonnull (sheet_id);
  ui_test_spin_until (items_loaded, data_page);
  dbw_data_page_select_item (data_page, 0);
  item = g_list_model_get_item (dbw_data_page_get_items (data_page), 0);
  item_id = g_strconcat (dbw_item_get_sheet_id (item), "/", dbw_item_get_item_ref (item), NULL);
  g_object_unref (item);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (data_page), "data.show-lineage", NULL));
  canvas = wait_for_lineage_window (&lineage);
  wait_for_root (canvas, item_id);
  gtk_window_destroy (GTK_WINDOW (lineage));
  ui_test_spin_idle ();

  /* The tool opens on the first board without a label; the inspector labelled the ones
   * before it. */
  g_assert_true (dbw_window_show_page (window, "canonical"));
  canonical = DBW_CANONICAL_PAGE (dbw_window_get_page (window, "canonical"));
  ui_test_spin_idle ();
  g_assert_true (dbw_canonical_page_set_sheet (canonical, sheet_id));
  dbw_canonical_page_set_label_type (canonical, DBW_LABEL_TYPE_OBJECT_DETECTION);
  ui_test_spin_until (ui_test_canonical_start_found, canonical);
  g_assert_nonnull (dbw_canonical_page_get_item (canonical));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canonical), "canonical.previous", NULL));
  ui_test_spin_idle ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canonical), "canonical.show-lineage", NULL));
  canvas = wait_for_lineage_window (&lineage);
  ui_test_spin_until (has_graph, canvas);
  g_assert_cmpint (dbw_lineage_node_get_kind (dbw_lineage_graph_get_root (dbw_lineage_canvas_get_graph (canvas))), ==,
                   DBW_LINEAGE_NODE_CANONICAL_LABEL);
  gtk_window_destroy (GTK_WINDOW (lineage));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/lineage-window/browse", test_browse);
  ADD ("/lineage-window/refresh", test_refresh);
  ADD ("/lineage-window/aggregate", test_aggregate);
  ADD ("/lineage-window/not-found", test_not_found);
  ADD ("/lineage-window/entry-points", test_entry_points);
#undef ADD

  return g_test_run ();
}
