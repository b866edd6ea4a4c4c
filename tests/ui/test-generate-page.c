/* test-generate-page.c — the Generate stage against a fake language model, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dbw-generate-dialog.h"
#include "dbw-generate-page.h"
#include "dbw-pair-counter.h"
#include "dbw-qa-pair.h"
#include "dbw-training-sheet.h"
#include "dbw-window.h"
#include "fake-llm.h"
#include "ui-test-util.h"
#include "../core/test-query.h"

static char *tmp_dir;

/* Without the demo's own Training Sheet, whose pairs would count with the test's. */
static DbwWindow *
open_demo_without_pairs (const char *name)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, name);
  DbwStore *store = dbw_window_get_store (window);
  g_autoptr(GPtrArray) training_sheets = dbw_store_list (store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, NULL);

  g_assert_nonnull (training_sheets);
  for (guint i = 0; i < training_sheets->len; i++)
    g_assert_true (dbw_store_delete (store, DBW_TYPE_TRAINING_SHEET,
                                     dbw_record_get_id (g_ptr_array_index (training_sheets, i)), NULL));
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, NULL, NULL, NULL), ==, 0);
  ui_test_spin_idle ();

  return window;
}

static gint64
count (DbwWindow  *window,
       const char *sql)
{
  return test_query_int (dbw_store_get_path (dbw_window_get_store (window)), sql);
}

static GtkWidget *
child (GtkWidget  *widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static DbwGeneratePage *
show_generate_page (DbwWindow *window)
{
  GtkWidget *page;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "generate");
  ui_test_spin_idle ();
  page = ui_test_find_widget (GTK_WIDGET (window), DBW_TYPE_GENERATE_PAGE);
  g_assert_nonnull (page);

  return DBW_GENERATE_PAGE (page);
}

static void
select_by_text (AdwComboRow *row,
                const char  *text)
{
  GListModel *model = adw_combo_row_get_model (row);
  GtkExpression *expression = adw_combo_row_get_expression (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_true (gtk_expression_evaluate (expression, item, &value));
      if (g_str_has_prefix (g_value_get_string (&value), text))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_error ("No “%s” to choose", text);
}

/* Opens the New Training Sheet dialog and starts generating from @sheet with @template. */
static void
generate (DbwGeneratePage *page,
          const char      *sheet,
          const char      *template_name,
          guint            concurrency)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (page), "generate.new", NULL);
  ui_test_spin_idle ();
  dialog = GTK_WIDGET (ui_test_find_toplevel (DBW_TYPE_GENERATE_DIALOG));
  g_assert_nonnull (dialog);

  select_by_text (ADW_COMBO_ROW (child (dialog, DBW_TYPE_GENERATE_DIALOG, "sheet_row")), sheet);
  select_by_text (ADW_COMBO_ROW (child (dialog, DBW_TYPE_GENERATE_DIALOG, "template_row")), template_name);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, DBW_TYPE_GENERATE_DIALOG, "concurrency_spin")), concurrency);
  /* The model group shows only for answers the model writes, the default. */
  g_assert_true (gtk_widget_get_visible (child (dialog, DBW_TYPE_GENERATE_DIALOG, "model_group")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, DBW_TYPE_GENERATE_DIALOG, "model_row"))), ==, "test-model");

  gtk_widget_activate_action (dialog, "generate.start", NULL);
  ui_test_spin_idle ();
  g_assert_null (ui_test_find_toplevel (DBW_TYPE_GENERATE_DIALOG));
}

static const char *
count_text (DbwGeneratePage *page,
            const char      *row)
{
  GtkWidget *label = g_object_get_data (G_OBJECT (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, row)), "count-label");

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct
{
  DbwWindow       *window;
  DbwGeneratePage *page;
  gint64           pairs;
} Wait;

/* The run is over when no Pause button is left to press. */
static gboolean
finished (gpointer data)
{
  Wait *wait = data;

  return count (wait->window, "SELECT count (*) FROM qa_pairs") == wait->pairs &&
         !gtk_widget_get_visible (child (GTK_WIDGET (wait->page), DBW_TYPE_GENERATE_PAGE, "pause_button"));
}

/* The counts shown come from a count in the background, after the run: it is over, and
 * the page shows its number of approved pairs. */
static gboolean
counted (gpointer data)
{
  Wait *wait = data;
  DbwStore *store = dbw_window_get_store (wait->window);
  g_autoptr(GPtrArray) training_sheets = dbw_store_list (store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, NULL);
  const DbwPairCounts *counts;
  g_autofree char *shown = NULL;

  g_assert_cmpuint (training_sheets->len, ==, 1);
  counts = dbw_pair_counter_lookup (dbw_pair_counter_get_for_store (store),
                                    dbw_record_get_id (g_ptr_array_index (training_sheets, 0)));
  if (counts == NULL || counts->total != wait->pairs)
    return FALSE;

  /* The page shows them within its refresh interval. */
  shown = g_strdup_printf ("%" G_GINT64_FORMAT, counts->labeled);
  return g_strcmp0 (count_text (wait->page, "approved_row"), shown) == 0;
}

static gboolean
has_pairs (gpointer data)
{
  Wait *wait = data;

  return count (wait->window, "SELECT count (*) FROM qa_pairs") >= wait->pairs;
}

static gboolean
can_resume (gpointer data)
{
  Wait *wait = data;

  return gtk_widget_get_visible (child (GTK_WIDGET (wait->page), DBW_TYPE_GENERATE_PAGE, "resume_button"));
}

static FakeLlm *
set_up_model (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  FakeLlm *fake = fake_llm_new ();

  g_settings_set_string (settings, "llm-endpoint-url", fake_llm_get_v1_url (fake));
  g_settings_set_string (settings, "llm-model", "test-model");

  return fake;
}

/* Half the boards have the inspector's canonical labels: those come back approved
 * without a model call; the others are the model's, waiting for review. */
static void
test_generate_with_reuse (void)
{
  FakeLlm *fake = set_up_model ();
  DbwWindow *window = open_demo_without_pairs ("reuse.dbw");
  DbwGeneratePage *page = show_generate_page (window);
  Wait wait = { window, page, 24 };
  GtkStack *stack = GTK_STACK (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "stack"));

  fake_llm_add_rule (fake, "List every defect", "{\"objects\": []}");

  /* Nothing generated yet, but everything needed is there. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_is_sensitive (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "empty_new_button")));
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "empty_templates_button")));
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "empty_data_button")));

  generate (page, "PCB inspection images", "PCB defect detection", 4);
  ui_test_spin_until (finished, &wait);
  ui_test_spin_until (counted, &wait);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "main");
  g_assert_cmpint (count (window, "SELECT count (*) FROM qa_pairs WHERE labeling_mode = 'canonical' AND status = 'labeled' "
                                  "AND canonical_label_id IS NOT NULL"), ==, 12);
  g_assert_cmpint (count (window, "SELECT count (*) FROM qa_pairs WHERE labeling_mode = 'ai_generated' AND status = 'unlabeled'"), ==, 12);
  g_assert_cmpuint (fake_llm_get_n_requests (fake), ==, 12);
  g_assert_cmpstr (count_text (page, "reused_row"), ==, "12");
  g_assert_cmpstr (count_text (page, "waiting_row"), ==, "12");
  g_assert_cmpstr (count_text (page, "flagged_row"), ==, "0");
  g_assert_cmpint (count (window, "SELECT count (*) FROM training_sheets WHERE status = 'review'"), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
  fake_llm_free (fake);
}

/* Stopping keeps what was made; resuming makes the rest, each item once. */
static void
test_stop_and_resume (void)
{
  FakeLlm *fake = set_up_model ();
  DbwWindow *window = open_demo_without_pairs ("resume.dbw");
  DbwGeneratePage *page = show_generate_page (window);
  Wait first = { window, page, 1 };
  Wait all = { window, page, 0 };
  gint64 n_items, made;

  fake_llm_add_rule (fake, "Write one question", "{\"question\": \"Who may enter?\", \"answer\": \"Trained staff.\"}");
  fake_llm_set_delay (fake, 300);
  n_items = count (window, "SELECT count (*) FROM items WHERE modality = 'pdf'");
  g_assert_cmpint (n_items, >=, 5);

  generate (page, "Radiation-safety documents", "Procedure questions", 1);
  ui_test_spin_until (has_pairs, &first);
  gtk_widget_activate_action (GTK_WIDGET (page), "generate.stop", NULL);
  ui_test_spin_until (can_resume, &first);

  made = count (window, "SELECT count (*) FROM qa_pairs");
  g_assert_cmpint (made, >=, 1);
  g_assert_cmpint (made, <, n_items);

  fake_llm_set_delay (fake, 0);
  gtk_widget_activate_action (GTK_WIDGET (page), "generate.resume", NULL);
  all.pairs = n_items;
  ui_test_spin_until (finished, &all);

  g_assert_cmpint (count (window, "SELECT count (DISTINCT item_ref) FROM qa_pairs"), ==, n_items);
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "resume_button")));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
  fake_llm_free (fake);
}

static gboolean
shows_counts (gpointer data)
{
  return g_strcmp0 (count_text (data, "waiting_row"), "…") != 0;
}

/* Until its pairs are counted, the page says so instead of showing zeros. */
static void
test_counting (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "counting.dbw");
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  DbwGeneratePage *page;

  /* A connection of its own has a counter of its own, which has not counted yet. */
  store = dbw_store_open (dbw_store_get_file (dbw_window_get_store (window)), DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  page = g_object_ref_sink (g_object_new (DBW_TYPE_GENERATE_PAGE, NULL));
  dbw_page_set_store (DBW_PAGE (page), store);

  g_assert_cmpstr (count_text (page, "waiting_row"), ==, "…");
  g_assert_cmpstr (count_text (page, "approved_row"), ==, "…");

  ui_test_spin_until (shows_counts, page);
  g_assert_cmpstr (count_text (page, "waiting_row"), ==, "2");
  g_assert_cmpstr (count_text (page, "approved_row"), ==, "17");
  g_assert_cmpstr (count_text (page, "rejected_row"), ==, "1");

  dbw_store_close (store);
  g_object_unref (page);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

static gboolean
checked (gpointer data)
{
  return !dbw_generate_dialog_get_checking (data);
}

static const char *
selected_text (AdwComboRow *row)
{
  g_autoptr(GObject) item = g_object_ref (adw_combo_row_get_selected_item (row));
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (gtk_expression_evaluate (adw_combo_row_get_expression (row), item, &value));

  return g_intern_string (g_value_get_string (&value));
}

/* The dialog tries the templates on the chosen sheet's items: it picks one they fit until
 * the user picks, and says what a chosen one asks for that they lack. */
static void
test_template_fit (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "fit.dbw");
  DbwGeneratePage *page = show_generate_page (window);
  AdwComboRow *sheet_row;
  AdwComboRow *template_row;
  GtkLabel *fit_label;
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (page), "generate.new", NULL);
  ui_test_spin_idle ();
  dialog = GTK_WIDGET (ui_test_find_toplevel (DBW_TYPE_GENERATE_DIALOG));
  g_assert_nonnull (dialog);
  sheet_row = ADW_COMBO_ROW (child (dialog, DBW_TYPE_GENERATE_DIALOG, "sheet_row"));
  template_row = ADW_COMBO_ROW (child (dialog, DBW_TYPE_GENERATE_DIALOG, "template_row"));
  fit_label = GTK_LABEL (child (dialog, DBW_TYPE_GENERATE_DIALOG, "fit_label"));

  /* The readings: the first template in the list asks for a board; the triage fits. */
  ui_test_spin_until (checked, dialog);
  g_assert_cmpstr (selected_text (sheet_row), ==, "Survey instrument readings");
  g_assert_true (g_str_has_prefix (selected_text (template_row), "Reading triage"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fit_label)));

  /* Another sheet: still the dialog's choice, so another template. */
  select_by_text (sheet_row, "PCB inspection images");
  g_assert_true (dbw_generate_dialog_get_checking (DBW_GENERATE_DIALOG (dialog)));
  ui_test_spin_until (checked, dialog);
  g_assert_true (g_str_has_prefix (selected_text (template_row), "PCB defect detection"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fit_label)));

  /* The user's choice stays, and the dialog says what the boards lack; a variable with a
   * default is not missed. */
  select_by_text (template_row, "Reading triage");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fit_label)));
  g_assert_cmpstr (gtk_label_get_label (fit_label), ==,
                   "Items of “PCB inspection images” lack a value for instrument_id, instrument_type, "
                   "value, unit, measurement_type, location, background: generating would skip them");

  select_by_text (sheet_row, "Radiation-safety documents");
  ui_test_spin_until (checked, dialog);
  g_assert_true (g_str_has_prefix (selected_text (template_row), "Reading triage"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fit_label)));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (fit_label), "Items of “Radiation-safety documents” lack a value for "));

  /* The documents' own template fits them. */
  select_by_text (template_row, "Procedure questions");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fit_label)));

  /* Closed while it checks, the dialog stops checking. */
  select_by_text (sheet_row, "Survey instrument readings");
  g_assert_true (dbw_generate_dialog_get_checking (DBW_GENERATE_DIALOG (dialog)));
  g_object_ref (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_false (dbw_generate_dialog_get_checking (DBW_GENERATE_DIALOG (dialog)));
  ui_test_spin_idle ();
  g_object_unref (dialog);

  ui_test_destroy_window (GTK_WINDOW (window));
}

static gboolean
shows_data_page (gpointer data)
{
  DbwPage *page = dbw_window_get_page (data, "data");

  return page != NULL && gtk_widget_get_mapped (GTK_WIDGET (page));
}

static gboolean
shows_empty (gpointer data)
{
  GtkStack *stack = GTK_STACK (child (GTK_WIDGET (data), DBW_TYPE_GENERATE_PAGE, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") == 0;
}

/* Deleting the demo's training sheet asks first, then deletes it and its pairs in the
 * background; the page is left with nothing generated. */
static void
test_delete (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "delete.dbw");
  DbwGeneratePage *page = show_generate_page (window);
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  g_assert_cmpint (count (window, "SELECT count (*) FROM training_sheets"), ==, 1);
  g_assert_cmpint (count (window, "SELECT count (*) FROM qa_pairs"), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (page), "generate.delete", NULL);
  ui_test_spin_idle ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        dialog = ADW_MESSAGE_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  ui_test_spin_until (shows_empty, page);
  g_assert_cmpint (count (window, "SELECT count (*) FROM training_sheets"), ==, 0);
  g_assert_cmpint (count (window, "SELECT count (*) FROM qa_pairs"), ==, 0);

  ui_test_destroy_window (GTK_WINDOW (window));
}

/* A new project has nothing to generate from: the page offers the way to the Data page,
 * not a button that cannot be used. */
static void
test_empty_project (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DbwWindow *window;
  DbwGeneratePage *page;
  GtkWidget *data_button;

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  dbw_store_close (store);
  window = ui_test_open_file (file);
  page = show_generate_page (window);

  data_button = child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "empty_data_button");
  g_assert_true (gtk_widget_get_visible (data_button));
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "empty_new_button")));
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (page), DBW_TYPE_GENERATE_PAGE, "empty_templates_button")));
  g_assert_true (gtk_widget_activate (data_button));
  ui_test_spin_until (shows_data_page, window);

  ui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmp_dir = g_dir_make_tmp ("dbw-generate-page-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/generate-page/reuse", test_generate_with_reuse);
  g_test_add_func ("/generate-page/stop-and-resume", test_stop_and_resume);
  g_test_add_func ("/generate-page/counting", test_counting);
  g_test_add_func ("/generate-page/template-fit", test_template_fit);
  g_test_add_func ("/generate-page/empty-project", test_empty_project);
  g_test_add_func ("/generate-page/delete", test_delete);

  status = g_test_run ();

  /* The projects are rebuilt by each run. */
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

  return status;
}
