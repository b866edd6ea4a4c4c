/* test-screenshots.c — the screenshots of the app's listing, taken from the demo project
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-application.h"
#include "dbw-canonical-page.h"
#include "dbw-data-page.h"
#include "dbw-image-annotator.h"
#include "dbw-item-preview.h"
#include "dbw-label-page.h"
#include "dbw-pdf-view.h"
#include "dbw-query-model.h"
#include "dbw-shapes.h"
#include "dbw-sheet.h"
#include "dbw-templates-page.h"
#include "dbw-training-sheet.h"
#include "ui-test-util.h"
#include "../core/test-util.h"

/* Each scene of data/screenshots/ is set up on a fresh demo project in a window that has the
 * app's style sheet and icons, waited for until what it shows is on screen, and rendered by
 * the window's own renderer to a PNG of the window's size. As a test, the scenes are written
 * to a temporary folder and read back; with DBW_SCREENSHOTS_DIR set (build-aux/screenshots),
 * they are written there, under the names the metainfo uses. */

#define WIDTH   1280
#define HEIGHT  800
/* Time for what a scene started (page tiles, thumbnails, transitions) to settle. */
#define SETTLE_MS 1500
/* The room around a board's defects, as a factor of their bounds. */
#define FRAME_MARGIN 1.4

typedef struct
{
  const char *name;
  void      (*stage) (DbwWindow *window);
} Scene;

static char *tmp_dir;
static DbwApplication *app;

static gboolean
elapsed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + SETTLE_MS * 1000;

  ui_test_spin_until (elapsed, &until);
  ui_test_spin_idle ();
}

static DbwPage *
show_page (DbwWindow  *window,
           const char *name)
{
  g_assert_true (dbw_window_show_page (window, name));
  g_assert_cmpstr (dbw_window_get_visible_page_name (window), ==, name);

  return dbw_window_get_page (window, name);
}

static guint
sheet_position (DbwStore   *store,
                const char *name)
{
  g_autoptr(GPtrArray) sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, NULL);

  g_assert_nonnull (sheets);
  for (guint i = 0; i < sheets->len; i++)
    if (g_strcmp0 (dbw_sheet_get_name (g_ptr_array_index (sheets, i)), name) == 0)
      return i;

  g_assert_not_reached ();
}

static const char *
record_id_named (DbwStore   *store,
                 GType       type,
                 const char *name)
{
  g_autoptr(GPtrArray) records = dbw_store_list (store, type, "name", name, NULL);

  g_assert_nonnull (records);
  g_assert_cmpuint (records->len, ==, 1);

  /* Interned: the scene outlives the list. */
  return g_intern_string (dbw_record_get_id (g_ptr_array_index (records, 0)));
}

static gboolean
pdf_shown (gpointer data)
{
  GtkWidget *view = ui_test_find_widget (data, DBW_TYPE_PDF_VIEW);

  return view != NULL && gtk_widget_get_mapped (view) &&
         !dbw_pdf_view_get_loading (DBW_PDF_VIEW (view)) &&
         dbw_pdf_view_get_n_pages (DBW_PDF_VIEW (view)) > 1;
}

static gboolean
items_loaded (gpointer data)
{
  GListModel *items = dbw_data_page_get_items (data);

  return items != NULL && !dbw_query_model_get_loading (DBW_QUERY_MODEL (items)) && g_list_model_get_n_items (items) > 0;
}

/* The Data stage: a procedure from the documents sheet, its pages beside the table. */
static void
stage_data (DbwWindow *window)
{
  DbwDataPage *page = DBW_DATA_PAGE (show_page (window, "data"));
  UiTestShownText header = { GTK_WIDGET (page), "Radiation-safety documents" };

  g_assert_true (dbw_data_page_select_sheet (page, sheet_position (dbw_window_get_store (window),
                                                                  "Radiation-safety documents")));
  ui_test_spin_until (ui_test_text_shown, &header);
  /* The list of items is read in a worker: the first one is a document once it is in. */
  ui_test_spin_until (items_loaded, page);
  dbw_data_page_select_item (page, 0);
  ui_test_spin_until (pdf_shown, page);
}

static gboolean
pair_shown (gpointer data)
{
  DbwLabelPage *page = data;

  return g_list_model_get_n_items (dbw_label_page_get_queue (page)) > 0 &&
         ui_test_find_widget (GTK_WIDGET (page), DBW_TYPE_ITEM_PREVIEW) != NULL;
}

/* The Label stage: a model's answer reviewed against the reading it came from. */
static void
stage_label (DbwWindow *window)
{
  DbwLabelPage *page = DBW_LABEL_PAGE (show_page (window, "label"));

  g_assert_true (dbw_label_page_select_training_sheet (page,
                                                       record_id_named (dbw_window_get_store (window),
                                                                        DBW_TYPE_TRAINING_SHEET,
                                                                        "Reading triage — reviewed sample")));
  ui_test_spin_until (pair_shown, page);
}

typedef struct
{
  DbwCanonicalPage *page;
  DbwItem          *before;
} StepWait;

static DbwImageAnnotator *
annotator_of (DbwCanonicalPage *page)
{
  return DBW_IMAGE_ANNOTATOR (ui_test_find_widget (GTK_WIDGET (page), DBW_TYPE_IMAGE_ANNOTATOR));
}

static gboolean
stepped (gpointer data)
{
  StepWait *wait = data;
  DbwImageAnnotator *annotator = annotator_of (wait->page);

  return dbw_canonical_page_get_item (wait->page) != wait->before &&
         annotator != NULL && gtk_widget_get_mapped (GTK_WIDGET (annotator)) &&
         !dbw_image_annotator_get_loading (annotator);
}

/* Zooms in on the defects, which are small beside a whole board: their bounds, with a margin,
 * fill the view. */
static void
frame_shapes (DbwImageAnnotator *annotator,
              DbwShapeSet       *shapes)
{
  double left = G_MAXDOUBLE, top = G_MAXDOUBLE, right = -G_MAXDOUBLE, bottom = -G_MAXDOUBLE;
  double x0, y0, x1, y1, zoom;
  int width = gtk_widget_get_width (GTK_WIDGET (annotator));
  int height = gtk_widget_get_height (GTK_WIDGET (annotator));

  for (guint i = 0; i < dbw_shape_set_get_n_shapes (shapes); i++)
    {
      const DbwShape *shape = dbw_shape_set_get_shape (shapes, i);

      left = MIN (left, shape->x);
      top = MIN (top, shape->y);
      right = MAX (right, shape->x + shape->width);
      bottom = MAX (bottom, shape->y + shape->height);
    }

  dbw_image_annotator_image_to_view (annotator, left, top, &x0, &y0);
  dbw_image_annotator_image_to_view (annotator, right, bottom, &x1, &y1);
  zoom = MIN (width / ((x1 - x0) * FRAME_MARGIN), height / ((y1 - y0) * FRAME_MARGIN));
  if (zoom <= 1.0)
    return;

  dbw_image_annotator_zoom_at (annotator, dbw_image_annotator_get_zoom (annotator) * zoom,
                               (x0 + x1) / 2, (y0 + y1) / 2);
  dbw_image_annotator_pan_by (annotator, width / 2.0 - (x0 + x1) / 2, height / 2.0 - (y0 + y1) / 2);
}

/* Canonical Labeling: a board the inspector labeled, several defects boxed. */
static void
stage_canonical (DbwWindow *window)
{
  DbwCanonicalPage *page = DBW_CANONICAL_PAGE (show_page (window, "canonical"));
  DbwStore *store = dbw_window_get_store (window);
  DbwShapeSet *shapes;

  g_assert_true (dbw_canonical_page_set_sheet (page, record_id_named (store, DBW_TYPE_SHEET, "PCB inspection images")));
  dbw_canonical_page_set_label_type (page, DBW_LABEL_TYPE_OBJECT_DETECTION);
  ui_test_spin_until (ui_test_canonical_start_found, page);

  /* The page opens on the first board without a label; the boards before it have one. */
  for (guint step = 0;; step++)
    {
      g_autoptr(DbwItem) before = g_object_ref (dbw_canonical_page_get_item (page));
      StepWait wait = { page, before };

      g_assert_cmpuint (step, <, 12);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "canonical.previous", NULL));
      ui_test_spin_until (stepped, &wait);
      ui_test_spin_idle ();

      shapes = dbw_image_annotator_get_shapes (annotator_of (page));
      if (shapes != NULL && dbw_shape_set_get_n_shapes (shapes) >= 4)
        break;
    }

  /* Framed once the board and its label have settled: a new image is shown whole. */
  settle ();
  frame_shapes (annotator_of (page), shapes);
}

static gboolean
columns_read (gpointer data)
{
  return !dbw_templates_page_get_loading_columns (data);
}

/* Prompt Templates: the board template's editor, its prompt using the columns of the images. */
static void
stage_templates (DbwWindow *window)
{
  DbwTemplatesPage *page = DBW_TEMPLATES_PAGE (show_page (window, "templates"));
  UiTestShownText editor = { GTK_WIDGET (page), "PCB defect detection" };

  ui_test_spin_until (ui_test_text_shown, &editor);
  g_assert_true (dbw_templates_page_select_sheet (page, "PCB inspection images"));
  ui_test_spin_until (columns_read, page);
}

/* In the order of the metainfo; the first is the listing's default. */
static const Scene scenes[] = {
  { "label", stage_label },
  { "canonical", stage_canonical },
  { "data", stage_data },
  { "templates", stage_templates },
};

static GdkTexture *
render_window (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  /* The window's content, without the frame a window manager would draw. */
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
take (const Scene *scene,
      const char  *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = g_strdup_printf ("%s.dbw", scene->name);
  g_autofree char *file_name = g_strdup_printf ("%s.png", scene->name);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) written = NULL;
  DbwWindow *window;
  int width, height;

  window = ui_test_open_demo_with (tmp_dir, project, ADW_APPLICATION (app), WIDTH, HEIGHT);
  scene->stage (window);
  settle ();

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  /* The default size less what a window manager's frame or its shadow may take. */
  g_assert_cmpint (width, >, WIDTH - 40);
  g_assert_cmpint (height, >, HEIGHT - 40);
  texture = render_window (GTK_WIDGET (window));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  ui_test_destroy_window (GTK_WINDOW (window));

  written = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (written), ==, width);
  g_assert_cmpint (gdk_texture_get_height (written), ==, height);
}

static void
test_scene (gconstpointer data)
{
  const char *out_dir = g_getenv ("DBW_SCREENSHOTS_DIR");

  take (data, out_dir != NULL ? out_dir : tmp_dir);
}

/* The metainfo lists each scene, and only scenes, with its PNG committed. */
static void
test_listed (void)
{
  g_autofree char *metainfo_path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                          "io.github.databits.Workbench.metainfo.xml.in", NULL);
  g_autofree char *metainfo = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("<image>[^<]*/data/screenshots/([a-z-]+)\\.png</image>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  guint n_listed = 0;

  g_assert_true (g_file_get_contents (metainfo_path, &metainfo, NULL, &error));
  g_assert_no_error (error);

  for (g_regex_match (regex, metainfo, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *file_name = g_strdup_printf ("%s.png", name);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "screenshots", file_name, NULL);
      g_autoptr(GdkTexture) texture = NULL;

      g_assert_cmpuint (n_listed, <, G_N_ELEMENTS (scenes));
      g_assert_cmpstr (name, ==, scenes[n_listed].name);
      texture = gdk_texture_new_from_filename (path, &error);
      g_assert_no_error (error);
      n_listed++;
    }

  g_assert_cmpuint (n_listed, ==, G_N_ELEMENTS (scenes));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmp_dir = g_dir_make_tmp ("dbw-screenshots-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  /* Registered, the application loads its style sheet and icons as the app does. */
  app = dbw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/screenshots/listed", test_listed);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/screenshots/%s", scenes[i].name);

      g_test_add_data_func (path, &scenes[i], test_scene);
    }

  status = g_test_run ();
  g_clear_object (&app);
  test_remove_dir (tmp_dir);
  g_free (tmp_dir);

  return status;
}
