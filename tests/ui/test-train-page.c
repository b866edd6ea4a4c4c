/* test-train-page.c — the Train page on the demo project, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-export-dialog.h"
#include "dbw-export-record.h"
#include "dbw-fine-tune-dialog.h"
#include "dbw-fine-tune-run.h"
#include "dbw-lineage-window.h"
#include "dbw-training-sheet.h"
#include "dbw-train-page.h"
#include "dbw-window.h"
#include "fake-databricks.h"
#include "ui-test-util.h"

#define TOKEN     "dapi-test-secret-0123456789abcdef"
#define VOLUME    "/Volumes/main/sales/raw_files"
#define RESULT_OK "{\"model_version\": \"4\", \"training_run_id\": \"trainer-run-1\", " \
                  "\"metrics\": {\"train_loss\": 0.42, \"eval_loss\": 0.5}}"

static char *tmp_dir;

static DbwTrainPage *
show_train_page (DbwWindow *window)
{
  g_assert_true (dbw_window_show_page (window, "train"));

  return DBW_TRAIN_PAGE (dbw_window_get_page (window, "train"));
}

static char *
demo_training_sheet_id (DbwWindow *window)
{
  g_autoptr(GPtrArray) list = dbw_store_list (dbw_window_get_store (window), DBW_TYPE_TRAINING_SHEET, NULL, NULL, NULL);

  g_assert_nonnull (list);
  g_assert_cmpuint (list->len, ==, 1);

  return g_strdup (dbw_record_get_id (g_ptr_array_index (list, 0)));
}

typedef struct
{
  DbwTrainPage *page;
  const char   *id;
} CountWait;

static gboolean
counted (gpointer data)
{
  CountWait *wait = data;

  return dbw_train_page_get_n_exportable (wait->page, wait->id) >= 0;
}

static gboolean
summarized (gpointer data)
{
  return dbw_export_dialog_get_summary (data) != NULL;
}

static gboolean
written (gpointer data)
{
  return dbw_export_dialog_get_result (data) != NULL;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
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

static gboolean
lists_export (gpointer data)
{
  GtkStack *stack = GTK_STACK (child (data, DBW_TYPE_TRAIN_PAGE, "exports_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "list") == 0;
}

static gboolean
lists_model (gpointer data)
{
  GtkStack *stack = GTK_STACK (child (data, DBW_TYPE_TRAIN_PAGE, "models_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "list") == 0;
}

static gboolean
has_succeeded_run (gpointer data)
{
  g_autoptr(DbwFineTuneRun) run = NULL;

  if (g_list_model_get_n_items (data) == 0)
    return FALSE;
  run = g_list_model_get_item (data, 0);

  return dbw_fine_tune_run_get_state (run) == DBW_FINE_TUNE_STATE_SUCCEEDED;
}

/* The lineage windows open now; closes them. */
static guint
close_lineage_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *toplevel = g_list_model_get_item (toplevels, i);

      if (DBW_IS_LINEAGE_WINDOW (toplevel))
        g_ptr_array_add (found, toplevel);
      else
        g_object_unref (toplevel);
    }
  for (guint i = 0; i < found->len; i++)
    gtk_window_destroy (g_ptr_array_index (found, i));

  return found->len;
}

static gint64
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  gint64 n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';

  return n;
}

/* The demo's Training Sheet: 20 pairs, 17 labeled, 2 of them prohibited for training. */
static void
test_counts_and_summary (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "summary.dbw");
  DbwTrainPage *page = show_train_page (window);
  g_autofree char *id = demo_training_sheet_id (window);
  CountWait wait = { page, id };
  DbwExportDialog *dialog;
  const DbwExportSummary *summary;
  GtkWidget *row;
  gboolean found_reason = FALSE;

  ui_test_spin_until (counted, &wait);
  g_assert_cmpint (dbw_train_page_get_n_exportable (page, id), ==, 15);
  row = find_named (GTK_WIDGET (page), id);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "17 labeled"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "15 exportable for training"));

  /* The dialog counts before writing: every pair under the first gate it fails. */
  dialog = dbw_train_page_export (page, id);
  g_assert_nonnull (dialog);
  ui_test_spin_until (summarized, dialog);
  summary = dbw_export_dialog_get_summary (dialog);
  g_assert_cmpint (summary->n_total, ==, 20);
  g_assert_cmpint (summary->n_exported, ==, 15);
  g_assert_cmpint (summary->n_unlabeled, ==, 2);
  g_assert_cmpint (summary->n_rejected, ==, 1);
  g_assert_cmpint (summary->n_prohibited, ==, 2);
  g_assert_cmpint (summary->n_not_allowed, ==, 0);
  for (guint i = 0; i < summary->reasons->len; i++)
    {
      const DbwExportReason *reason = g_ptr_array_index (summary->reasons, i);

      if (g_strcmp0 (reason->reason, "Reading of a faulty instrument: evaluation only") == 0)
        {
          g_assert_cmpint (reason->count, ==, 2);
          found_reason = TRUE;
        }
    }
  g_assert_true (found_reason);
  g_assert_nonnull (find_named (GTK_WIDGET (dialog), "prohibited"));
  g_assert_nonnull (find_named (GTK_WIDGET (dialog), "reason"));

  {
    g_autoptr(DbwExportOptions) options = dbw_export_dialog_get_options (dialog);

    g_assert_cmpstr (options->use, ==, "training");
    g_assert_cmpstr (options->training_sheet_ids[0], ==, id);
    g_assert_null (options->training_sheet_ids[1]);
  }

  /* Nothing is written before a folder is chosen. */
  g_assert_false (gtk_widget_is_sensitive (child (GTK_WIDGET (dialog), DBW_TYPE_EXPORT_DIALOG, "export_button")));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* Through the dialog: a split export writes its files, records the export, and the page
 * lists it; then a fine-tuning run on it against the fake workspace makes a model. */
static void
test_export_and_fine_tune (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "export.dbw");
  DbwTrainPage *page = show_train_page (window);
  g_autofree char *id = demo_training_sheet_id (window);
  g_autofree char *out_path = g_build_filename (tmp_dir, "export-out", NULL);
  g_autofree char *train_path = g_build_filename (out_path, "train.jsonl", NULL);
  g_autofree char *val_path = g_build_filename (out_path, "val.jsonl", NULL);
  g_autofree char *manifest_path = g_build_filename (out_path, "manifest.json", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(DbwFineTuneOptions) options = NULL;
  DbwExportDialog *dialog;
  DbwFineTuneDialog *fine_tune;
  const DbwExportResult *result;
  GListModel *runs;
  DbwFineTuneRun *run;
  char *export_id;

  g_assert_cmpint (g_mkdir_with_parents (out_path, 0700), ==, 0);

  dialog = dbw_train_page_export (page, id);
  dbw_export_dialog_set_split (dialog, 0.2, 7, FALSE);
  dbw_export_dialog_set_folder (dialog, out);
  ui_test_spin_until (summarized, dialog);
  g_assert_true (gtk_widget_is_sensitive (child (GTK_WIDGET (dialog), DBW_TYPE_EXPORT_DIALOG, "export_button")));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export-dialog.export", NULL);
  ui_test_spin_until (written, dialog);

  result = dbw_export_dialog_get_result (dialog);
  g_assert_cmpint (result->summary->n_exported, ==, 15);
  g_assert_cmpint (result->summary->n_train + result->summary->n_val, ==, 15);
  g_assert_cmpint (result->summary->n_val, >, 0);
  g_assert_true (g_file_test (manifest_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (count_lines (train_path), ==, result->summary->n_train);
  g_assert_cmpint (count_lines (val_path), ==, result->summary->n_val);
  g_assert_cmpint (dbw_store_count (dbw_window_get_store (window), DBW_TYPE_EXPORT_RECORD, NULL, NULL, NULL), ==, 1);
  export_id = g_strdup (result->export_id);
  ui_test_spin_until (lists_export, page);

  /* The result and the page's list both lead to the export's lineage. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export-dialog.show-lineage", NULL);
  g_assert_cmpuint (close_lineage_windows (), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (page), "train.show-lineage", "(is)", (gint32) DBW_LINEAGE_NODE_EXPORT, export_id);
  g_assert_cmpuint (close_lineage_windows (), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Without a workspace, the fine-tune dialog says what to do. */
  g_settings_set_string (settings, "databricks-host", "");
  fine_tune = dbw_fine_tune_dialog_new (GTK_WINDOW (window), dbw_window_get_store (window));
  g_assert_false (dbw_fine_tune_dialog_get_connected (fine_tune));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "stack"))), ==, "offline");
  g_assert_false (gtk_widget_get_visible (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "start_button")));
  gtk_window_destroy (GTK_WINDOW (fine_tune));

  /* With the fake workspace, the run is followed on the page until it has made a model. */
  fake_databricks_set_token (fake, TOKEN);
  fake_databricks_set_job_script (fake, 1, "SUCCESS", "", RESULT_OK);
  g_settings_set_string (settings, "databricks-host", fake_databricks_get_url (fake));
  gtk_widget_activate_action (GTK_WIDGET (page), "train.fine-tune", NULL);
  fine_tune = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (DBW_IS_FINE_TUNE_DIALOG (toplevel))
          fine_tune = DBW_FINE_TUNE_DIALOG (toplevel);
      }
  }
  g_assert_nonnull (fine_tune);
  g_assert_true (dbw_fine_tune_dialog_get_connected (fine_tune));
  /* The dialog finds the folder this computer wrote the export to. */
  g_assert_true (dbw_fine_tune_dialog_set_export (fine_tune, export_id, NULL));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "folder_row"))),
                   ==, out_path);
  options = dbw_fine_tune_dialog_get_options (fine_tune);
  g_assert_cmpstr (options->base_model, ==, "meta-llama/Llama-3.2-1B-Instruct");
  g_assert_cmpuint (options->epochs, ==, 3);
  g_assert_cmpfloat (options->learning_rate, ==, 0.0002);
  gtk_editable_set_text (GTK_EDITABLE (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "model_name_row")), "main.sales.triage");
  gtk_editable_set_text (GTK_EDITABLE (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "volume_row")), VOLUME "/fine-tunes");
  dbw_fine_tune_dialog_start (fine_tune);

  runs = dbw_train_page_get_runs (page);
  ui_test_spin_until (has_succeeded_run, runs);
  run = g_list_model_get_item (runs, 0);
  g_assert_cmpstr (dbw_fine_tune_run_get_model_version (run), ==, "4");
  g_assert_nonnull (dbw_fine_tune_run_get_lineage_id (run));
  g_object_unref (run);
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fake), ==, 1);
  ui_test_spin_until (lists_model, page);
  run = g_list_model_get_item (runs, 0);
  gtk_widget_activate_action (GTK_WIDGET (page), "train.show-lineage", "(is)", (gint32) DBW_LINEAGE_NODE_MODEL,
                              dbw_fine_tune_run_get_lineage_id (run));
  g_object_unref (run);
  g_assert_cmpuint (close_lineage_windows (), ==, 1);
  ui_test_spin_idle ();

  g_free (export_id);
  g_settings_set_string (settings, "databricks-host", "");
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

static gboolean
submitted (gpointer data)
{
  g_autoptr(DbwFineTuneRun) run = NULL;

  if (g_list_model_get_n_items (data) == 0)
    return FALSE;
  run = g_list_model_get_item (data, 0);

  return dbw_fine_tune_run_get_remote_run_id (run) > 0;
}

static DbwFineTuneDialog *
find_fine_tune_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (DBW_IS_FINE_TUNE_DIALOG (toplevel))
        return DBW_FINE_TUNE_DIALOG (toplevel);
    }

  return NULL;
}

/* A run still going when the project closes is followed again when it opens. */
static void
test_reopen_active_run (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "reopen.dbw");
  DbwTrainPage *page = show_train_page (window);
  g_autofree char *id = demo_training_sheet_id (window);
  g_autofree char *out_path = g_build_filename (tmp_dir, "reopen-out", NULL);
  g_autofree char *project_path = g_build_filename (tmp_dir, "reopen.dbw", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) project = g_file_new_for_path (project_path);
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *run_id = NULL;
  g_autofree char *export_id = NULL;
  DbwExportDialog *dialog;
  DbwFineTuneDialog *fine_tune;
  DbwFineTuneRun *run;

  g_assert_cmpint (g_mkdir_with_parents (out_path, 0700), ==, 0);
  fake_databricks_set_token (fake, TOKEN);
  fake_databricks_set_job_script (fake, 8, "SUCCESS", "", RESULT_OK);
  g_settings_set_string (settings, "databricks-host", fake_databricks_get_url (fake));

  dialog = dbw_train_page_export (page, id);
  dbw_export_dialog_set_split (dialog, 0.2, 7, FALSE);
  dbw_export_dialog_set_folder (dialog, out);
  ui_test_spin_until (summarized, dialog);
  dbw_export_dialog_export (dialog);
  ui_test_spin_until (written, dialog);
  export_id = g_strdup (dbw_export_dialog_get_result (dialog)->export_id);
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_widget_activate_action (GTK_WIDGET (page), "train.fine-tune", NULL);
  fine_tune = find_fine_tune_dialog ();
  g_assert_nonnull (fine_tune);
  g_assert_true (dbw_fine_tune_dialog_set_export (fine_tune, export_id, out));
  gtk_editable_set_text (GTK_EDITABLE (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "model_name_row")), "main.sales.triage");
  gtk_editable_set_text (GTK_EDITABLE (child (GTK_WIDGET (fine_tune), DBW_TYPE_FINE_TUNE_DIALOG, "volume_row")), VOLUME "/fine-tunes");
  dbw_fine_tune_dialog_start (fine_tune);
  ui_test_spin_until (submitted, dbw_train_page_get_runs (page));
  run = g_list_model_get_item (dbw_train_page_get_runs (page), 0);
  run_id = g_strdup (dbw_fine_tune_run_get_id (run));
  g_assert_cmpint (dbw_fine_tune_run_get_state (run), !=, DBW_FINE_TUNE_STATE_SUCCEEDED);
  g_object_unref (run);

  /* The app quits while the job runs on the workspace; what follows the job goes with it. */
  ui_test_destroy_window (GTK_WINDOW (window));

  window = dbw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, project, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (ui_test_window_has_store, window);
  page = show_train_page (window);
  ui_test_spin_until (has_succeeded_run, dbw_train_page_get_runs (page));
  run = g_list_model_get_item (dbw_train_page_get_runs (page), 0);
  g_assert_cmpstr (dbw_fine_tune_run_get_id (run), ==, run_id);
  g_assert_cmpstr (dbw_fine_tune_run_get_model_version (run), ==, "4");
  g_object_unref (run);
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fake), ==, 1);

  g_settings_set_string (settings, "databricks-host", "");
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* A name with "&" or "<" in it is shown as written, in the list and in a toast. */
static void
test_names_as_written (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "names.dbw");
  DbwTrainPage *page = show_train_page (window);
  g_autofree char *id = demo_training_sheet_id (window);
  g_autoptr(DbwTrainingSheet) ts = NULL;
  g_autoptr(GError) error = NULL;
  UiTestShownText wait = { GTK_WIDGET (page), "R&D <draft>" };
  UiTestShownText toast = { GTK_WIDGET (window), "Deleted “R&D <draft>”" };

  ts = dbw_store_get (dbw_window_get_store (window), DBW_TYPE_TRAINING_SHEET, id, &error);
  g_assert_no_error (error);
  dbw_training_sheet_set_name (ts, "R&D <draft>");
  g_assert_true (dbw_store_update (dbw_window_get_store (window), ts, &error));
  g_assert_no_error (error);
  ui_test_spin_until (ui_test_text_showing, &wait);

  dbw_window_show_toast (window, toast.text);
  ui_test_spin_until (ui_test_text_showing, &toast);

  ui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("dbw-ui-train-XXXXXX", &error);
  g_assert_no_error (error);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Signed in from the environment (no keyring here), never with the machine user's files. */
  config = g_build_filename (tmp_dir, "no-databrickscfg", NULL);
  g_setenv ("DATABRICKS_CONFIG_FILE", config, TRUE);
  g_unsetenv ("DATABRICKS_CONFIG_PROFILE");
  g_unsetenv ("DATABRICKS_HOST");
  g_setenv ("DATABRICKS_TOKEN", TOKEN, TRUE);

  g_test_add_func ("/train-page/counts-and-summary", test_counts_and_summary);
  g_test_add_func ("/train-page/export-and-fine-tune", test_export_and_fine_tune);
  g_test_add_func ("/train-page/reopen-active-run", test_reopen_active_run);
  g_test_add_func ("/train-page/names-as-written", test_names_as_written);

  ret = g_test_run ();

  /* The projects and exports are made again by each run. */
  {
    g_autofree char *out = g_build_filename (tmp_dir, "export-out", NULL);
    g_autofree char *reopen_out = g_build_filename (tmp_dir, "reopen-out", NULL);
    const char *dirs[] = { out, reopen_out, tmp_dir };

    for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
      {
        g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
        const char *name;

        while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
          {
            g_autofree char *path = g_build_filename (dirs[d], name, NULL);

            g_unlink (path);
          }
        g_rmdir (dirs[d]);
      }
  }

  return ret;
}
