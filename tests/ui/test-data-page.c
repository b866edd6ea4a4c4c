/* test-data-page.c — the Data stage under Xvfb: imports, search, preview, sheets
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-constraint-badges.h"
#include "dbw-data-page.h"
#include "dbw-demo.h"
#include "dbw-import-report-window.h"
#include "dbw-item.h"
#include "dbw-item-preview.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-training-sheet.h"
#include "dbw-window.h"
#include "ui-test-util.h"

static char *tmp_dir;

static void
spin_a_while (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

static void
demo_created_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_demo_create_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
file_ready (gpointer data)
{
  return *(GFile **) data != NULL;
}

static gboolean
window_has_store (gpointer data)
{
  return dbw_window_get_store (DBW_WINDOW (data)) != NULL;
}

/* A fresh demo project per test: tests change it. */
static DbwWindow *
open_demo (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) created = NULL;
  DbwWindow *window;

  dbw_demo_create_async (file, g_getenv ("DBW_DEMO_SOURCES"), NULL, demo_created_cb, &created);
  ui_test_spin_until (file_ready, &created);

  window = dbw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, created, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (window_has_store, window);
  g_assert_true (dbw_window_show_page (window, "data"));

  return window;
}

static DbwDataPage *
get_data_page (DbwWindow *window)
{
  return DBW_DATA_PAGE (dbw_window_get_page (window, "data"));
}

static guint
find_sheet (DbwDataPage *page,
            const char  *name)
{
  GListModel *sheets = dbw_data_page_get_sheets (page);

  for (guint i = 0; i < g_list_model_get_n_items (sheets); i++)
    {
      g_autoptr(DbwSheet) sheet = g_list_model_get_item (sheets, i);

      if (g_str_equal (dbw_sheet_get_name (sheet), name))
        return i;
    }

  g_assert_not_reached ();
}

static gboolean
not_importing (gpointer data)
{
  return !dbw_data_page_get_importing (DBW_DATA_PAGE (data));
}

static gboolean
preview_settled (gpointer data)
{
  const char *mode = dbw_item_preview_get_mode (DBW_ITEM_PREVIEW (data));

  return !g_str_equal (mode, "loading");
}

static gboolean
items_loaded (gpointer data)
{
  GListModel *items = dbw_data_page_get_items (DBW_DATA_PAGE (data));

  return items == NULL || !dbw_query_model_get_loading (DBW_QUERY_MODEL (items));
}

/* The item list queries in a worker thread. */
static void
wait_items (DbwDataPage *page)
{
  ui_test_spin_until (items_loaded, page);
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static GtkWindow *
find_report_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DBW_IS_IMPORT_REPORT_WINDOW (window))
        return window;
    }

  return NULL;
}

static void
test_import_and_search (void)
{
  DbwWindow *window = open_demo ("import.dbw");
  DbwDataPage *page = get_data_page (window);
  g_autofree char *good = write_file ("extra.csv", "reading_id,note\nX-1,coolant loop purged\nX-2,filter changed\n");
  g_autofree char *bad = write_file ("bad.csv", "reading_id,note\nY-1,fine\nY-2\n");
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *items;
  guint before;
  GtkWindow *report;

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  items = dbw_data_page_get_items (page);
  before = g_list_model_get_n_items (items);
  g_assert_cmpuint (before, ==, 1500);

  /* Wide sheets show their first fields; the Columns menu has the rest. */
  {
    GtkWidget *found = NULL;
    GListModel *columns;
    guint visible = 0;

    for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (page)); w != NULL && found == NULL; )
      {
        if (GTK_IS_COLUMN_VIEW (w))
          found = w;
        else if (gtk_widget_get_first_child (w) != NULL)
          {
            w = gtk_widget_get_first_child (w);
            continue;
          }
        while (w != NULL && gtk_widget_get_next_sibling (w) == NULL && w != GTK_WIDGET (page))
          w = gtk_widget_get_parent (w);
        if (w == NULL || w == GTK_WIDGET (page))
          break;
        w = gtk_widget_get_next_sibling (w);
      }
    g_assert_nonnull (found);
    columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (found));
    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

        visible += gtk_column_view_column_get_visible (column);
      }
    g_assert_cmpuint (g_list_model_get_n_items (columns), >, 9);
    g_assert_cmpuint (visible, ==, 9);

    /* Each row shows the usage constraints its source gave it. */
    {
      g_autoptr(GtkColumnViewColumn) usage = g_list_model_get_item (columns, 2);
      g_autoptr(DbwItem) first = g_list_model_get_item (items, 0);
      GtkWidget *badges = NULL;

      g_assert_cmpstr (gtk_column_view_column_get_title (usage), ==, "Usage");
      for (GtkWidget *w = found; w != NULL && badges == NULL; )
        {
          if (DBW_IS_CONSTRAINT_BADGES (w))
            badges = w;
          else if (gtk_widget_get_first_child (w) != NULL)
            {
              w = gtk_widget_get_first_child (w);
              continue;
            }
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL && w != found)
            w = gtk_widget_get_parent (w);
          if (w == NULL || w == found)
            break;
          w = gtk_widget_get_next_sibling (w);
        }
      g_assert_nonnull (badges);
      g_assert_cmpint (dbw_constraint_badges_get_classification (DBW_CONSTRAINT_BADGES (badges)), ==,
                       dbw_item_get_data_classification (first));
    }
  }

  /* A good import: the list grows, the progress bar goes away. */
  g_ptr_array_add (sources, g_file_new_for_path (good));
  dbw_data_page_import (page, sources, 0, FALSE);
  g_assert_true (dbw_data_page_get_importing (page));
  ui_test_spin_until (not_importing, page);
  spin_a_while ();
  wait_items (page);
  items = dbw_data_page_get_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, before + 2);

  /* Full-text search narrows the list, to the words of the new rows. */
  dbw_data_page_set_search (page, "coolant");
  wait_items (page);
  items = dbw_data_page_get_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  dbw_data_page_set_search (page, "");
  wait_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, before + 2);

  /* A bad import rolls back and shows the report, which can import the good rows. */
  g_ptr_array_set_size (sources, 0);
  g_ptr_array_add (sources, g_file_new_for_path (bad));
  dbw_data_page_import (page, sources, 0, FALSE);
  ui_test_spin_until (not_importing, page);
  spin_a_while ();
  wait_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, before + 2);
  report = find_report_window ();
  g_assert_nonnull (report);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (dbw_import_report_window_get_report (DBW_IMPORT_REPORT_WINDOW (report))), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (report), "report.keep-good", NULL));
  g_assert_true (dbw_data_page_get_importing (page));
  ui_test_spin_until (not_importing, page);
  spin_a_while ();
  wait_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, before + 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether a label, or a table cell's inscription, in @widget says @text. */
static gboolean
has_label_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  if (GTK_IS_INSCRIPTION (widget) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;

  return FALSE;
}

typedef struct {
  GtkWidget  *widget;
  const char *text;
} LabelText;

static gboolean
label_text_shown (gpointer data)
{
  LabelText *label = data;

  return has_label_text (label->widget, label->text);
}

static gboolean
preview_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) >= 280;
}

static void
test_preview (void)
{
  DbwWindow *window = open_demo ("preview.dbw");
  DbwDataPage *page = get_data_page (window);
  DbwItemPreview *preview = dbw_data_page_get_preview (page);

  /* The preview takes room only once there is an item to show. */
  g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "none");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));
  dbw_data_page_select_item (page, 0);
  g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "fields");
  ui_test_spin_until (preview_shown, preview);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (page)));
  /* The first reading's value, 0.009, reads as written, not as its nearest double. */
  g_assert_true (has_label_text (GTK_WIDGET (preview), "0.009"));
  g_assert_false (has_label_text (GTK_WIDGET (preview), "0.0089999999999999993"));

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Radiation-safety documents")));
  wait_items (page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));
  dbw_data_page_select_item (page, 0);
  ui_test_spin_until (preview_settled, preview);
  g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "pdf");

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "PCB inspection images")));
  wait_items (page);
  dbw_data_page_select_item (page, 0);
  ui_test_spin_until (preview_settled, preview);
  g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "image");

  /* An image's fields, in its place, and back. */
  {
    GtkToggleButton *fields = GTK_TOGGLE_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (preview), DBW_TYPE_ITEM_PREVIEW,
                                                                                 "fields_toggle"));

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fields)));
    gtk_toggle_button_set_active (fields, TRUE);
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "fields");
    g_assert_true (has_label_text (GTK_WIDGET (preview), "width"));
    gtk_toggle_button_set_active (fields, FALSE);
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "image");

    /* Asked for while the next image loads: the fields stay on show; the next item opens
     * on its content. */
    dbw_data_page_select_item (page, 1);
    gtk_toggle_button_set_active (fields, TRUE);
    spin_a_while ();
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "fields");
    gtk_toggle_button_set_active (fields, FALSE);
    ui_test_spin_until (preview_settled, preview);
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "image");
    gtk_toggle_button_set_active (fields, TRUE);
    dbw_data_page_select_item (page, 2);
    ui_test_spin_until (preview_settled, preview);
    g_assert_false (gtk_toggle_button_get_active (fields));
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "image");
  }

  /* A text document: the list has its name, not its text, which is read when it is shown. */
  {
    DbwStore *store = dbw_window_get_store (window);
    g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
    g_autoptr(DbwItem) doc = dbw_item_new ();
    g_autoptr(GError) error = NULL;
    GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (preview), DBW_TYPE_ITEM_PREVIEW,
                                                                      "text_view"));
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    dbw_sheet_set_name (sheet, "Procedures");
    g_assert_true (dbw_store_insert (store, sheet, &error));
    dbw_item_set_sheet_id (doc, dbw_record_get_id (DBW_RECORD (sheet)));
    dbw_item_set_item_ref (doc, "contamination-survey.txt");
    dbw_item_set_modality (doc, DBW_MODALITY_TEXT);
    dbw_item_set_text_content (doc, "Survey every bench of the hot lab before the shift ends.");
    g_assert_true (dbw_store_insert (store, doc, &error));
    g_assert_no_error (error);

    g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Procedures")));
    wait_items (page);
    dbw_data_page_select_item (page, 0);
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "loading");
    ui_test_spin_until (preview_settled, preview);
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "text");
    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
    shown = gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, "Survey every bench of the hot lab before the shift ends.");
  }

  /* The sheet changed: nothing selected any more. */
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "none");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
table_complete (gpointer data)
{
  GtkColumnView *view = data;

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))) == 1500;
}

static GtkColumnView *
find_column_view (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    return GTK_COLUMN_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkColumnView *found = find_column_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A new list shows the rows that fill the view first, the rest a frame at a time; asking
 * for a row further down shows them all at once. */
static void
test_progressive_rows (void)
{
  DbwWindow *window = open_demo ("rows.dbw");
  DbwDataPage *page = get_data_page (window);
  GtkColumnView *view = find_column_view (GTK_WIDGET (page));
  GListModel *shown;
  guint first;

  g_assert_nonnull (view);
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, 1500);

  shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  first = g_list_model_get_n_items (shown);
  /* An 800-pixel window needs a few dozen rows, far fewer than the sheet has. */
  g_assert_cmpuint (first, >=, 16);
  g_assert_cmpuint (first, <, 200);

  ui_test_spin_until (table_complete, view);

  /* Again, and straight to a row far down. */
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "PCB inspection images")));
  wait_items (page);
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (shown = G_LIST_MODEL (gtk_column_view_get_model (view))), <, 1500);
  dbw_data_page_select_item (page, 1400);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1500);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (shown)), ==, 1400);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The lowest bottom edge of a cell's text in the view, in the view's coordinates. */
static double
lowest_cell_bottom (GtkWidget *view,
                    GtkWidget *widget)
{
  double lowest = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (GTK_IS_INSCRIPTION (child) && gtk_widget_compute_bounds (child, view, &bounds))
        lowest = MAX (lowest, bounds.origin.y + bounds.size.height);
      lowest = MAX (lowest, lowest_cell_bottom (view, child));
    }

  return lowest;
}

typedef struct
{
  GtkColumnView *view;
  gboolean       painted;
  guint          shown;
  double         lowest;
  int            height;
} FirstFrame;

static void
after_paint_cb (GdkFrameClock *frame_clock,
                FirstFrame    *first)
{
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (first->view));

  if (first->painted || !gtk_widget_get_mapped (GTK_WIDGET (first->view)) || g_list_model_get_n_items (shown) == 0)
    return;

  first->painted = TRUE;
  first->shown = g_list_model_get_n_items (shown);
  first->lowest = lowest_cell_bottom (GTK_WIDGET (first->view), GTK_WIDGET (first->view));
  first->height = gtk_widget_get_height (GTK_WIDGET (first->view));
}

static gboolean
first_frame_painted (gpointer data)
{
  return ((FirstFrame *) data)->painted;
}

/* A window opening on a project shows a full table in its first frame with the table,
 * though not every row yet. */
static void
test_first_frame_fills_view (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "first-frame.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) created = NULL;
  FirstFrame first = { NULL, };
  GdkFrameClock *frame_clock;
  DbwWindow *window;
  gulong handler;

  dbw_demo_create_async (file, g_getenv ("DBW_DEMO_SOURCES"), NULL, demo_created_cb, &created);
  ui_test_spin_until (file_ready, &created);

  window = dbw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_present (GTK_WINDOW (window));
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert_nonnull (frame_clock);
  first.view = find_column_view (GTK_WIDGET (get_data_page (window)));
  g_assert_nonnull (first.view);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &first);

  dbw_window_open_file (window, created, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (first_frame_painted, &first);
  g_clear_signal_handler (&handler, frame_clock);

  g_assert_cmpuint (first.shown, <, 1500);
  g_assert_cmpint (first.height, >, 200);
  /* Down to the bottom edge, give or take a cell's padding. */
  g_assert_cmpfloat (first.lowest + 8, >=, first.height);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_delete_and_undo (void)
{
  DbwWindow *window = open_demo ("delete.dbw");
  DbwDataPage *page = get_data_page (window);
  GListModel *sheets = dbw_data_page_get_sheets (page);
  DbwStore *store = dbw_window_get_store (window);
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 3);

  /* A newer training sheet, from the documents, lists first in Generate. */
  {
    g_autoptr(GPtrArray) all = dbw_store_list (store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, &error);
    g_autoptr(DbwSheet) documents = g_list_model_get_item (sheets, find_sheet (page, "Radiation-safety documents"));
    g_autoptr(DbwTrainingSheet) newer = dbw_training_sheet_new ();

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 1);
    dbw_training_sheet_set_name (newer, "Procedure questions");
    dbw_training_sheet_set_sheet_id (newer, dbw_record_get_id (DBW_RECORD (documents)));
    dbw_training_sheet_set_template_id (newer, dbw_training_sheet_get_template_id (g_ptr_array_index (all, 0)));
    g_assert_true (dbw_store_insert (store, newer, &error));
    g_assert_no_error (error);
  }
  spin_a_while ();

  /* The demo's training sheet was generated from the readings: they are not deleted, and
   * the page says why before asking anything. */
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data.delete-sheet", NULL));
  spin_a_while ();
  {
    AdwMessageDialog *message = (AdwMessageDialog *) ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (message);

    g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, "“Survey instrument readings” Cannot Be Deleted");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "“Reading triage — reviewed sample”"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "in Generate"));
    g_assert_false (adw_message_dialog_has_response (message, "delete"));
    /* It leads to the training sheet that holds the sheet. */
    adw_message_dialog_response (message, "generate");
    gtk_window_destroy (GTK_WINDOW (message));
  }
  spin_a_while ();
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 3);
  g_assert_cmpstr (dbw_window_get_visible_page_name (window), ==, "generate");
  {
    DbwPage *generate = dbw_window_get_page (window, "generate");
    GtkListView *list_view = GTK_LIST_VIEW (ui_test_find_widget (GTK_WIDGET (generate), GTK_TYPE_LIST_VIEW));
    DbwTrainingSheet *ts = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list_view)));

    g_assert_nonnull (ts);
    g_assert_cmpstr (dbw_training_sheet_get_name (ts), ==, "Reading triage — reviewed sample");
  }
  g_assert_true (dbw_window_show_page (window, "data"));

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "PCB inspection images")));
  wait_items (page);
  sheet = g_list_model_get_item (sheets, find_sheet (page, "PCB inspection images"));

  /* The page's delete action asks first; what it does after is dbw_sheet_ops_trash(),
   * tested in the core suite. Here: the list and the badges follow the store. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data.delete-sheet", NULL));
  spin_a_while ();
  {
    AdwMessageDialog *message = (AdwMessageDialog *) ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (message);
    adw_message_dialog_response (message, "delete");
  }
  spin_a_while ();
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 2);

  /* Undo, as the toast's button does. */
  dbw_sheet_set_deleted_at (sheet, NULL);
  g_assert_true (dbw_store_update (store, sheet, &error));
  g_assert_no_error (error);
  spin_a_while ();
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A sheet renamed elsewhere (another window, the command line, a teammate's sync) is
 * refreshed in place in the list: its row and the header follow it. */
static void
test_rename_follows (void)
{
  DbwWindow *window = open_demo ("rename.dbw");
  DbwDataPage *page = get_data_page (window);
  GListModel *sheets = dbw_data_page_get_sheets (page);
  DbwStore *store = dbw_window_get_store (window);
  GtkWidget *sheets_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DBW_TYPE_DATA_PAGE, "sheets_view"));
  GtkWidget *title = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DBW_TYPE_DATA_PAGE, "sheet_title"));
  UiTestShownText in_list = { sheets_view, "Boards from line 3" };
  g_autoptr(DbwSheet) listed = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "PCB inspection images")));
  wait_items (page);
  listed = g_list_model_get_item (sheets, find_sheet (page, "PCB inspection images"));
  g_assert_false (ui_test_text_shown (&in_list));

  sheet = dbw_store_get (store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (listed)), &error);
  g_assert_no_error (error);
  dbw_sheet_set_name (sheet, "Boards from line 3");
  g_assert_true (dbw_store_update (store, sheet, &error));
  g_assert_no_error (error);

  ui_test_spin_until (ui_test_text_shown, &in_list);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Boards from line 3");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_new_sheet_dialog (void)
{
  DbwWindow *window = open_demo ("new.dbw");
  DbwDataPage *page = get_data_page (window);
  GListModel *sheets = dbw_data_page_get_sheets (page);
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  /* The icon button that makes one, and its arrow, are named for assistive technologies. */
  {
    GtkWidget *split = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DBW_TYPE_DATA_PAGE, "new_sheet_button"));
    guint named = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (split); child != NULL; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_MENU_BUTTON (child))
        {
          gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, "More Ways to Add a Sheet");
          named++;
        }
      else if (GTK_IS_BUTTON (child))
        {
          gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, "New Sheet");
          named++;
        }
    g_assert_cmpuint (named, ==, 2);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data.new-sheet", NULL));
  spin_a_while ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        dialog = ADW_MESSAGE_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);

  /* No name, no sheet. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  {
    GtkWidget *list = adw_message_dialog_get_extra_child (dialog);
    GtkWidget *name = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));

    gtk_editable_set_text (GTK_EDITABLE (name), "Calibration log");
  }
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  spin_a_while ();

  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 4);
  find_sheet (page, "Calibration log");

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
file_chosen (gpointer data)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (data));

  return g_list_model_get_n_items (files) == 1;
}

/* The file chooser of Import Files asks for the CSV delimiter, found from the file unless
 * told; a file the guess gets wrong imports as the user says. */
static void
test_import_delimiter (void)
{
  DbwWindow *window = open_demo ("delimiter.dbw");
  DbwDataPage *page = get_data_page (window);
  g_autofree char *path = write_file ("semicolons.csv", "probe,dose;note\nGM-01,12;ok\nGM-02,15;fine\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWindow *chooser;
  GListModel *items;
  g_autoptr(DbwItem) item = NULL;

  /* A report left by an earlier test. */
  while (find_report_window () != NULL)
    gtk_window_destroy (find_report_window ());

  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);

  /* Guessed, the commas win: "probe" and "dose;note". */
  g_ptr_array_add (sources, g_object_ref (file));
  dbw_data_page_import (page, sources, 0, FALSE);
  ui_test_spin_until (not_importing, page);
  g_assert_null (find_report_window ());

  /* Told, through the file chooser: "probe,dose" and "note", new versions of the rows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data.import-files", NULL));
  ui_test_spin_until (file_chooser_shown, NULL);
  chooser = find_file_chooser ();
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "delimiter"), ==, "detect");
  /* Picked as a user picks it (GTK 4.8's gtk_file_chooser_set_choice() leaves the menu). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ui_test_find_widget (GTK_WIDGET (chooser), GTK_TYPE_DROP_DOWN)), 2);
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "delimiter"), ==, "semicolon");
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL));
  ui_test_spin_until (file_chosen, chooser);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (dbw_data_page_get_importing (page));
  spin_a_while ();
  ui_test_spin_until (not_importing, page);
  spin_a_while ();
  g_assert_null (find_report_window ());
  wait_items (page);

  items = dbw_data_page_get_items (page);
  item = g_list_model_get_item (items, g_list_model_get_n_items (items) - 1);
  g_assert_cmpstr (dbw_item_get_item_ref (item), ==, "semicolons.csv#2");
  g_assert_cmpint (dbw_item_get_version (item), ==, 2);
  g_assert_cmpstr (dbw_item_get_fields (item), ==, "{\"probe,dose\":\"GM-02,15\",\"note\":\"fine\"}");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
sheet_listed (gpointer data)
{
  GListModel *sheets = dbw_data_page_get_sheets (data);

  return g_list_model_get_n_items (sheets) == 4;
}

typedef struct {
  GtkWidget *preview;
  int        min;
  int        max;
} PreviewWidth;

/* A new position is allocated at the next frame, not within a few idle iterations. */
static gboolean
preview_width_settled (gpointer data)
{
  PreviewWidth *expected = data;
  int width = gtk_widget_get_width (expected->preview);

  return gtk_widget_get_mapped (expected->preview) && width >= expected->min && width <= expected->max;
}

static void
wait_preview_width (DbwItemPreview *preview,
                    int             min,
                    int             max)
{
  PreviewWidth expected = { GTK_WIDGET (preview), min, max };

  ui_test_spin_until (preview_width_settled, &expected);
}

/* The preview comes back as wide as the user left it, in this window and the next. */
static void
test_preview_width_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DbwWindow *window = open_demo ("preview-width.dbw");
  DbwDataPage *page = get_data_page (window);
  DbwItemPreview *preview = dbw_data_page_get_preview (page);
  GtkPaned *paned = GTK_PANED (gtk_widget_get_parent (GTK_WIDGET (preview)));
  int width;

  g_settings_set_int (settings, "preview-width", 400);
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  dbw_data_page_select_item (page, 0);
  wait_preview_width (preview, 396, 404);

  /* Dragged narrower, then closed with the window: kept. */
  gtk_paned_set_position (paned, gtk_widget_get_width (GTK_WIDGET (paned)) - 340);
  wait_preview_width (preview, 336, 340);
  width = gtk_widget_get_width (GTK_WIDGET (preview));
  gtk_window_destroy (GTK_WINDOW (window));
  spin_a_while ();
  g_assert_cmpint (g_settings_get_int (settings, "preview-width"), ==, 340);

  /* The next window opens it at that width, again and again; choosing another sheet
   * hides it and keeps its width. */
  window = open_demo ("preview-width-2.dbw");
  page = get_data_page (window);
  preview = dbw_data_page_get_preview (page);
  paned = GTK_PANED (gtk_widget_get_parent (GTK_WIDGET (preview)));
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Survey instrument readings")));
  wait_items (page);
  dbw_data_page_select_item (page, 0);
  wait_preview_width (preview, width, width);
  gtk_paned_set_position (paned, gtk_widget_get_width (GTK_WIDGET (paned)) - 400);
  wait_preview_width (preview, 396, 404);
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "PCB inspection images")));
  wait_items (page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));
  g_assert_cmpint (g_settings_get_int (settings, "preview-width"), ==, 400);
  dbw_data_page_select_item (page, 0);
  wait_preview_width (preview, 396, 404);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "preview-width");
}

/* The table and the preview show a field's number as written: its trailing zeros, every
 * digit of a long serial number, a total in full rather than in six digits. */
static void
test_numbers_as_written (void)
{
  DbwWindow *window = open_demo ("numbers.dbw");
  DbwDataPage *page = get_data_page (window);
  DbwStore *store = dbw_window_get_store (window);
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(GError) error = NULL;
  static const char *shown[] = { "0.100", "123456789012345678901234", "1234567.89", "Hall B" };

  dbw_sheet_set_name (sheet, "Numbers");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_item_set_item_ref (item, "n1");
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, "{\"dose\": 0.100, \"serial\": 123456789012345678901234, \"total\": 1234567.89,"
                             " \"site\": \"Hall A\", \"site\": \"Hall B\"}");
  g_assert_true (dbw_store_insert (store, item, &error));
  g_assert_no_error (error);

  ui_test_spin_until (sheet_listed, page);
  g_assert_true (dbw_data_page_select_sheet (page, find_sheet (page, "Numbers")));
  wait_items (page);
  /* The table makes its rows when it is next laid out. */
  ui_test_spin_until (label_text_shown, &(LabelText) { GTK_WIDGET (page), shown[0] });
  /* Nothing is selected yet: the preview is empty, the table says it all. */
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (!has_label_text (GTK_WIDGET (page), shown[i]))
      g_error ("The table does not show “%s”", shown[i]);
  g_assert_false (has_label_text (GTK_WIDGET (page), "Hall A"));

  dbw_data_page_select_item (page, 0);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (!has_label_text (GTK_WIDGET (dbw_data_page_get_preview (page)), shown[i]))
      g_error ("The preview does not show “%s”", shown[i]);
  g_assert_false (has_label_text (GTK_WIDGET (dbw_data_page_get_preview (page)), "Hall A"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("dbw-ui-data-XXXXXX", &error);
  g_assert_no_error (error);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/data-page/import-and-search", test_import_and_search);
  g_test_add_func ("/data-page/preview", test_preview);
  g_test_add_func ("/data-page/progressive-rows", test_progressive_rows);
  g_test_add_func ("/data-page/first-frame-fills-view", test_first_frame_fills_view);
  g_test_add_func ("/data-page/delete-and-undo", test_delete_and_undo);
  g_test_add_func ("/data-page/rename-follows", test_rename_follows);
  g_test_add_func ("/data-page/new-sheet", test_new_sheet_dialog);
  g_test_add_func ("/data-page/import-delimiter", test_import_delimiter);
  g_test_add_func ("/data-page/numbers-as-written", test_numbers_as_written);
  g_test_add_func ("/data-page/preview-width-remembered", test_preview_width_remembered);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return ret;
}
