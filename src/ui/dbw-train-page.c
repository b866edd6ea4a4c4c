/* dbw-train-page.c
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

#define G_LOG_DOMAIN "dbw-train-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-export-record.h"
#include "dbw-fine-tune-dialog.h"
#include "dbw-fine-tune-run.h"
#include "dbw-lineage-window.h"
#include "dbw-model-lineage.h"
#include "dbw-pair-counter.h"
#include "dbw-query-model.h"
#include "dbw-train-page.h"
#include "dbw-training-sheet.h"
#include "dbw-window.h"
#include "dbw-workspace.h"

/* The Train stage: the project's Training Sheets with how many of their pairs may be
 * exported for training, the fine-tuning runs the page follows, the models they made and
 * the exports written, each of the last two leading to its lineage. How many pairs pass
 * the gates is counted by the export's own summary, in a worker, so the page and the
 * export can never disagree. Runs still going when the project was last open are found
 * again and followed. */

struct _DbwTrainPage
{
  DbwPage        parent_instance;

  GtkStack      *stack;
  GtkListBox    *sheets_list;
  GtkStack      *runs_stack;
  GtkListBox    *runs_list;
  GtkStack      *models_stack;
  GtkListBox    *models_list;
  GtkStack      *exports_stack;
  GtkListBox    *exports_list;

  DbwQueryModel *training_sheets;
  DbwQueryModel *models;
  DbwQueryModel *exports;
  GListStore    *runs;           /* DbwFineTuneRun */
  DbwPairCounter *counter;
  GHashTable    *exportable;     /* training sheet id → gint64 * */
  GCancellable  *cancellable;    /* counting and following, for the current project */
  DbwStore      *watched_store;
  gulong         store_changed_handler;
  gboolean       counts_stale;
};

G_DEFINE_FINAL_TYPE (DbwTrainPage, dbw_train_page, DBW_TYPE_PAGE)

static DbwWindow *
get_window (DbwTrainPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return DBW_IS_WINDOW (root) ? DBW_WINDOW (root) : NULL;
}

static void
show_toast (DbwTrainPage *self,
            const char   *title)
{
  DbwWindow *window = get_window (self);

  if (window != NULL)
    dbw_window_show_toast (window, title);
}

static GtkWidget *
row_button (const char *icon_name,
            const char *tooltip,
            const char *action_name,
            GVariant   *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);

  return button;
}

static GVariant *
lineage_target (DbwLineageNodeKind  kind,
                const char         *id)
{
  return g_variant_new ("(is)", (gint32) kind, id != NULL ? id : "");
}

/* --- training sheets ------------------------------------------------------------------- */

static char *
describe_sheet (DbwTrainPage     *self,
                DbwTrainingSheet *ts)
{
  const char *id = dbw_record_get_id (DBW_RECORD (ts));
  const DbwPairCounts *counts = self->counter != NULL ? dbw_pair_counter_lookup (self->counter, id) : NULL;
  const gint64 *exportable = g_hash_table_lookup (self->exportable, id);
  gint64 total = counts != NULL ? counts->total : 0;
  gint64 labeled = counts != NULL ? counts->labeled : 0;
  g_autofree char *n_total = dbw_format_count (total);
  g_autofree char *n_labeled = dbw_format_count (labeled);
  g_autofree char *pairs = g_strdup_printf (g_dngettext (NULL, "%s pair", "%s pairs", (gulong) total), n_total);

  /* Before the first count every Training Sheet would look empty. */
  if (self->counter == NULL || !dbw_pair_counter_get_counted (self->counter))
    return g_strdup (_("Counting pairs…"));
  if (exportable == NULL)
    /* Translators: "120 pairs · 80 labeled · counting…" */
    return g_strdup_printf (_("%s · %s labeled · counting…"), pairs, n_labeled);
  else
    {
      g_autofree char *n_exportable = dbw_format_count (*exportable);

      /* Translators: "120 pairs · 80 labeled · 75 exportable for training" */
      return g_strdup_printf (_("%s · %s labeled · %s exportable for training"), pairs, n_labeled, n_exportable);
    }
}

static GtkWidget *
create_sheet_row_cb (gpointer item,
                     gpointer user_data)
{
  DbwTrainPage *self = user_data;
  DbwTrainingSheet *ts = item;
  const char *id = dbw_record_get_id (DBW_RECORD (ts));
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = describe_sheet (self, ts);

  /* User text: a row reads its title and subtitle as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dbw_training_sheet_get_name (ts));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("document-save-symbolic", _("Export This Training Sheet"),
                                         "train.export-sheet", g_variant_new_string (id)));

  return row;
}

static void
rebind_sheets (DbwTrainPage *self)
{
  guint n = self->training_sheets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)) : 0;

  /* Rows are made again from the model: there are as many as the project has sheets. */
  gtk_list_box_bind_model (self->sheets_list, self->training_sheets != NULL ? G_LIST_MODEL (self->training_sheets) : NULL,
                           create_sheet_row_cb, self, NULL);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "main" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export", n > 0 && !dbw_page_is_read_only (DBW_PAGE (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export-sheet", !dbw_page_is_read_only (DBW_PAGE (self)));
}

static void
on_exportable_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DbwTrainPage) self = user_data;
  g_autoptr(DbwExportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const DbwExportOptions *options = dbw_export_get_options (DBW_EXPORT (object));
  gint64 *n;

  summary = dbw_export_summarize_finish (DBW_EXPORT (object), result, &error);
  if (summary == NULL)
    {
      /* A sheet deleted while it was counted is no longer listed either. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID))
        g_warning ("Could not count the exportable pairs: %s", error->message);
      return;
    }
  if (self->exportable == NULL)
    return;

  n = g_new (gint64, 1);
  *n = summary->n_exported;
  g_hash_table_insert (self->exportable, g_strdup (options->training_sheet_ids[0]), n);
  rebind_sheets (self);
}

/* The pairs that would be exported go through the usage gate, sheet by sheet, in the
 * background; the rows say "counting…" meanwhile. */
static void
reload_counts (DbwTrainPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  guint n;

  g_hash_table_remove_all (self->exportable);

  n = self->training_sheets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)) : 0;
  for (guint i = 0; store != NULL && i < n; i++)
    {
      g_autoptr(DbwTrainingSheet) ts = g_list_model_get_item (G_LIST_MODEL (self->training_sheets), i);
      g_autoptr(DbwExportOptions) options = dbw_export_options_new ();
      g_autoptr(DbwExport) export = NULL;
      const char *ids[] = { dbw_record_get_id (DBW_RECORD (ts)), NULL };

      g_strfreev (options->training_sheet_ids);
      options->training_sheet_ids = g_strdupv ((char **) ids);
      g_free (options->use);
      options->use = g_strdup (DBW_USE_TRAINING);
      export = dbw_export_new (store, options);
      dbw_export_summarize_async (export, self->cancellable, on_exportable_cb, g_object_ref (self));
    }

  rebind_sheets (self);
}

/* --- models and exports ---------------------------------------------------------------- */

static GtkWidget *
create_model_row_cb (gpointer item,
                     gpointer user_data)
{
  DbwModelLineage *model = item;
  GtkWidget *row = adw_action_row_new ();
  const char *version = dbw_model_lineage_get_model_version (model);
  g_autofree char *title = NULL;
  g_autofree char *when = dbw_format_timestamp (dbw_model_lineage_get_trained_at (model));
  g_autofree char *n_train = dbw_format_count (dbw_model_lineage_get_train_pair_count (model));
  g_autofree char *n_val = dbw_format_count (dbw_model_lineage_get_val_pair_count (model));
  g_autofree char *subtitle = NULL;

  /* Translators: a registered model and its version, "main.ml.pcb_defects · version 3" */
  title = version != NULL ? g_strdup_printf (_("%s · version %s"), dbw_model_lineage_get_model_name (model), version)
                          : g_strdup (dbw_model_lineage_get_model_name (model));
  /* Translators: "Today 14:02 · 800 training pairs, 200 validation pairs" */
  subtitle = g_strdup_printf (_("%s · %s training pairs, %s validation pairs"), when, n_train, n_val);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("find-location-symbolic", _("Show Lineage"), "train.show-lineage",
                                         lineage_target (DBW_LINEAGE_NODE_MODEL, dbw_record_get_id (DBW_RECORD (model)))));

  return row;
}

static const char *
use_describe (const char *use)
{
  if (g_strcmp0 (use, DBW_USE_TRAINING) == 0)
    return _("training");
  if (g_strcmp0 (use, DBW_USE_VALIDATION) == 0)
    return _("validation");
  if (g_strcmp0 (use, DBW_USE_EVALUATION) == 0)
    return _("evaluation");
  if (g_strcmp0 (use, DBW_USE_TESTING) == 0)
    return _("testing");
  return use;
}

static GtkWidget *
create_export_row_cb (gpointer item,
                      gpointer user_data)
{
  DbwExportRecord *record = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = dbw_format_timestamp (dbw_export_record_get_created_at (record));
  g_autofree char *title = NULL;
  g_autofree char *format = g_ascii_strup (dbw_export_record_get_format (record), -1);

  /* Translators: an export in the list, "JSONL for training" */
  title = g_strdup_printf (_("%s for %s"), format, use_describe (dbw_export_record_get_use (record)));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("find-location-symbolic", _("Show Lineage"), "train.show-lineage",
                                         lineage_target (DBW_LINEAGE_NODE_EXPORT, dbw_record_get_id (DBW_RECORD (record)))));

  return row;
}

static void
update_lists (DbwTrainPage *self)
{
  gboolean any_models = self->models != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->models)) > 0;
  gboolean any_exports = self->exports != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->exports)) > 0;
  gboolean any_runs = g_list_model_get_n_items (G_LIST_MODEL (self->runs)) > 0;

  gtk_stack_set_visible_child_name (self->models_stack, any_models ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->exports_stack, any_exports ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->runs_stack, any_runs ? "list" : "empty");
}

static void
reload_records (DbwTrainPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->models != NULL && !dbw_query_model_reload (self->models, &error))
    {
      g_warning ("Could not list the trained models: %s", error->message);
      g_clear_error (&error);
    }
  if (self->exports != NULL && !dbw_query_model_reload (self->exports, &error))
    g_warning ("Could not list the exports: %s", error->message);
  update_lists (self);
}

/* --- fine-tuning runs ------------------------------------------------------------------ */

static const char *
state_describe (DbwFineTuneState state)
{
  switch (state)
    {
    case DBW_FINE_TUNE_STATE_READY:
      return _("Ready");
    case DBW_FINE_TUNE_STATE_UPLOADING:
      return _("Uploading");
    case DBW_FINE_TUNE_STATE_PENDING:
      return _("Waiting for compute");
    case DBW_FINE_TUNE_STATE_RUNNING:
      return _("Training");
    case DBW_FINE_TUNE_STATE_SUCCEEDED:
      return _("Succeeded");
    case DBW_FINE_TUNE_STATE_FAILED:
      return _("Failed");
    case DBW_FINE_TUNE_STATE_CANCELLED:
      return _("Cancelled");
    default:
      return "";
    }
}

static gboolean
run_is_active (DbwFineTuneRun *run)
{
  DbwFineTuneState state = dbw_fine_tune_run_get_state (run);

  return state != DBW_FINE_TUNE_STATE_SUCCEEDED && state != DBW_FINE_TUNE_STATE_FAILED &&
         state != DBW_FINE_TUNE_STATE_CANCELLED;
}

static void
update_run_row (GtkWidget      *row,
                DbwFineTuneRun *run)
{
  GtkProgressBar *bar = g_object_get_data (G_OBJECT (row), "progress");
  GtkWidget *cancel = g_object_get_data (G_OBJECT (row), "cancel");
  GtkWidget *link = g_object_get_data (G_OBJECT (row), "link");
  const char *message = dbw_fine_tune_run_get_message (run);
  const char *version = dbw_fine_tune_run_get_model_version (run);
  g_autofree char *subtitle = NULL;

  /* The job is done and its model registered; the run records it, and can no longer be
   * cancelled. */
  if (run_is_active (run) && !dbw_fine_tune_run_get_can_cancel (run))
    subtitle = g_strdup (_("Trained · recording the model and its lineage"));
  else if (version != NULL && dbw_fine_tune_run_get_state (run) == DBW_FINE_TUNE_STATE_SUCCEEDED)
    /* Translators: a finished run, "Succeeded · model version 3" */
    subtitle = g_strdup_printf (_("%s · model version %s"), state_describe (dbw_fine_tune_run_get_state (run)), version);
  else if (message != NULL && message[0] != '\0')
    subtitle = g_strdup_printf ("%s · %s", state_describe (dbw_fine_tune_run_get_state (run)), message);
  else
    subtitle = g_strdup (state_describe (dbw_fine_tune_run_get_state (run)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_progress_bar_set_fraction (bar, dbw_fine_tune_run_get_progress (run));
  gtk_widget_set_visible (GTK_WIDGET (bar), run_is_active (run));
  gtk_widget_set_visible (cancel, dbw_fine_tune_run_get_can_cancel (run));
  gtk_widget_set_visible (link, dbw_fine_tune_run_get_run_page_url (run) != NULL);
}

static void
on_run_notify_cb (GtkWidget *row)
{
  DbwFineTuneRun *run = g_object_get_data (G_OBJECT (row), "run");

  update_run_row (row, run);
}

static GtkWidget *
create_run_row_cb (gpointer item,
                   gpointer user_data)
{
  DbwFineTuneRun *run = item;
  const char *id = dbw_fine_tune_run_get_id (run);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *cancel = row_button ("process-stop-symbolic", _("Cancel Run"), "train.cancel-run", g_variant_new_string (id));
  GtkWidget *link = row_button ("web-browser-symbolic", _("Open Run Page"), "train.open-run-page", g_variant_new_string (id));
  g_autofree char *title = NULL;

  /* Translators: a fine-tuning run in the list, with its Databricks Jobs run id */
  title = dbw_fine_tune_run_get_remote_run_id (run) > 0
          ? g_strdup_printf (_("Fine-tuning run %" G_GINT64_FORMAT), dbw_fine_tune_run_get_remote_run_id (run))
          : g_strdup (_("Fine-tuning run"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), link);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);
  g_object_set_data (G_OBJECT (row), "progress", bar);
  g_object_set_data (G_OBJECT (row), "cancel", cancel);
  g_object_set_data (G_OBJECT (row), "link", link);
  g_object_set_data_full (G_OBJECT (row), "run", g_object_ref (run), g_object_unref);
  gtk_widget_set_name (row, id);
  g_signal_connect_object (run, "notify", G_CALLBACK (on_run_notify_cb), row, G_CONNECT_SWAPPED);
  update_run_row (row, run);

  return row;
}

static DbwFineTuneRun *
find_run (DbwTrainPage *self,
          const char   *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->runs)); i++)
    {
      g_autoptr(DbwFineTuneRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);

      if (g_strcmp0 (dbw_fine_tune_run_get_id (run), id) == 0)
        return run;
    }

  return NULL;
}

static void
on_run_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DbwTrainPage) self = user_data;
  DbwFineTuneRun *run = DBW_FINE_TUNE_RUN (object);
  g_autoptr(GError) error = NULL;

  if (dbw_fine_tune_run_run_finish (run, result, &error))
    {
      const char *version = dbw_fine_tune_run_get_model_version (run);
      g_autofree char *message = g_strdup_printf (_("Fine-tuning finished: model version %s"), version != NULL ? version : "?");

      show_toast (self, message);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Fine-tuning ended: %s"), error->message);

      show_toast (self, message);
    }

  if (self->runs != NULL)
    {
      reload_records (self);
      update_lists (self);
    }
}

static void
follow_run (DbwTrainPage   *self,
            DbwFineTuneRun *run)
{
  if (find_run (self, dbw_fine_tune_run_get_id (run)) == NULL)
    g_list_store_insert (self->runs, 0, run);
  update_lists (self);
  dbw_fine_tune_run_run_async (run, self->cancellable, on_run_done_cb, g_object_ref (self));
}

typedef struct
{
  DbwTrainPage *self;
  DbwStore     *store;
  GStrv         ids;
} Reopen;

static void
reopen_free (Reopen *reopen)
{
  g_object_unref (reopen->self);
  g_object_unref (reopen->store);
  g_strfreev (reopen->ids);
  g_free (reopen);
}

static void
on_reopen_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Reopen *reopen = user_data;
  DbwTrainPage *self = reopen->self;
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autoptr(GError) error = NULL;

  databricks = dbw_workspace_connect_finish (result, NULL, &error);
  if (databricks == NULL || dbw_page_get_store (DBW_PAGE (self)) != reopen->store)
    {
      if (databricks == NULL)
        g_warning ("Could not follow the fine-tuning runs: %s", error->message);
      reopen_free (reopen);
      return;
    }

  for (guint i = 0; reopen->ids[i] != NULL; i++)
    {
      g_autoptr(DbwFineTuneRun) run = dbw_fine_tune_run_open (reopen->store, databricks, reopen->ids[i], &error);

      if (run == NULL)
        {
          g_warning ("Could not reopen fine-tuning run %s: %s", reopen->ids[i], error->message);
          g_clear_error (&error);
          continue;
        }
      follow_run (self, run);
    }
  reopen_free (reopen);
}

/* Runs submitted before the app last quit are followed again; that needs the workspace. */
static void
reopen_active_runs (DbwTrainPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  Reopen *reopen;

  ids = dbw_fine_tune_run_list_active (store, &error);
  if (ids == NULL)
    {
      g_warning ("Could not list the fine-tuning runs: %s", error->message);
      return;
    }
  if (ids[0] == NULL)
    return;

  reopen = g_new0 (Reopen, 1);
  reopen->self = g_object_ref (self);
  reopen->store = g_object_ref (store);
  reopen->ids = g_steal_pointer (&ids);
  dbw_workspace_connect_async (NULL, self->cancellable, on_reopen_connected_cb, reopen);
}

static void
on_run_created_cb (DbwTrainPage   *self,
                   DbwFineTuneRun *run)
{
  follow_run (self, run);
}

/* --- actions --------------------------------------------------------------------------- */

static void
on_exported_cb (DbwTrainPage *self)
{
  reload_records (self);
}

DbwExportDialog *
dbw_train_page_export (DbwTrainPage *self,
                       const char   *training_sheet_id)
{
  DbwStore *store;
  DbwExportDialog *dialog;

  g_return_val_if_fail (DBW_IS_TRAIN_PAGE (self), NULL);

  store = dbw_page_get_store (DBW_PAGE (self));
  if (store == NULL)
    return NULL;

  dialog = dbw_export_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), store, training_sheet_id, NULL);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  dbw_train_page_export (DBW_TRAIN_PAGE (widget), NULL);
}

static void
export_sheet_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  dbw_train_page_export (DBW_TRAIN_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
fine_tune_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwFineTuneDialog *dialog;

  if (store == NULL)
    return;

  dialog = dbw_fine_tune_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), store);
  g_signal_connect_object (dialog, "run-created", G_CALLBACK (on_run_created_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_lineage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwLineageWindow *window;
  const char *id = NULL;
  gint32 kind = 0;

  if (store == NULL)
    return;

  g_variant_get (parameter, "(i&s)", &kind, &id);
  window = dbw_lineage_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), store, (DbwLineageNodeKind) kind, id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_run_cancelled_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DbwTrainPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dbw_fine_tune_run_cancel_finish (DBW_FINE_TUNE_RUN (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, error->message);
}

static void
cancel_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (widget);
  DbwFineTuneRun *run = find_run (self, g_variant_get_string (parameter, NULL));

  if (run != NULL && dbw_fine_tune_run_get_can_cancel (run))
    dbw_fine_tune_run_cancel_async (run, NULL, on_run_cancelled_cb, g_object_ref (self));
}

static void
open_run_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (widget);
  DbwFineTuneRun *run = find_run (self, g_variant_get_string (parameter, NULL));
  const char *url = run != NULL ? dbw_fine_tune_run_get_run_page_url (run) : NULL;

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), url, GDK_CURRENT_TIME);
}

/* --- the store ------------------------------------------------------------------------- */

static void
on_store_changed_cb (DbwTrainPage  *self,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     DbwStore      *store)
{
  if (g_str_equal (table, "exports") || g_str_equal (table, "model_training_lineage"))
    reload_records (self);
}

/* Reviews and constraint changes move the counts; what is exportable is worked out again
 * only while the page shows. */
static void
on_counts_updated_cb (DbwTrainPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->counts_stale = TRUE;
      return;
    }
  reload_counts (self);
}

static DbwQueryModel *
sorted_model (DbwStore   *store,
              GType       type,
              const char *column)
{
  DbwQueryModel *model = dbw_query_model_new (store, type);
  g_autoptr(GError) error = NULL;

  if (!dbw_query_model_set_sort (model, column, TRUE, &error))
    g_warning ("Could not sort by %s: %s", column, error->message);

  return model;
}

static void
dbw_train_page_store_changed (DbwPage *page)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);

  /* Following stops for the previous project; the runs go on on the workspace. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->runs);

  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_clear_object (&self->counter);

  gtk_list_box_bind_model (self->sheets_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->models_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->exports_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->training_sheets);
  g_clear_object (&self->models);
  g_clear_object (&self->exports);

  if (store != NULL)
    {
      self->watched_store = g_object_ref (store);
      self->store_changed_handler =
        g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
      self->counter = g_object_ref (dbw_pair_counter_get_for_store (store));
      g_signal_connect_object (self->counter, "updated", G_CALLBACK (on_counts_updated_cb), self, G_CONNECT_SWAPPED);

      self->training_sheets = sorted_model (store, DBW_TYPE_TRAINING_SHEET, "created_at");
      /* A Training Sheet made or deleted is counted again by the counter, which works out
       * what is exportable then; until then the rows say "counting…". */
      g_signal_connect_object (self->training_sheets, "items-changed", G_CALLBACK (rebind_sheets), self, G_CONNECT_SWAPPED);
      self->models = sorted_model (store, DBW_TYPE_MODEL_LINEAGE, "trained_at");
      self->exports = sorted_model (store, DBW_TYPE_EXPORT_RECORD, "created_at");
      g_signal_connect_object (self->models, "items-changed", G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->exports, "items-changed", G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
      gtk_list_box_bind_model (self->models_list, G_LIST_MODEL (self->models), create_model_row_cb, self, NULL);
      gtk_list_box_bind_model (self->exports_list, G_LIST_MODEL (self->exports), create_export_row_cb, self, NULL);
      reopen_active_runs (self);
    }

  /* An export and a run are recorded in the project, for lineage. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.fine-tune", store != NULL && !dbw_page_is_read_only (DBW_PAGE (self)));
  /* Until the pairs are counted, its first count does it. */
  if (self->counter == NULL || dbw_pair_counter_get_counted (self->counter))
    reload_counts (self);
  else
    rebind_sheets (self);
  update_lists (self);
}

static void
dbw_train_page_map (GtkWidget *widget)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (widget);

  GTK_WIDGET_CLASS (dbw_train_page_parent_class)->map (widget);

  if (self->counts_stale)
    {
      self->counts_stale = FALSE;
      reload_counts (self);
    }
}

static void
dbw_train_page_dispose (GObject *object)
{
  DbwTrainPage *self = DBW_TRAIN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_clear_object (&self->counter);
  if (self->sheets_list != NULL)
    {
      gtk_list_box_bind_model (self->sheets_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->models_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->exports_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->runs_list, NULL, NULL, NULL, NULL);
    }

  g_clear_object (&self->training_sheets);
  g_clear_object (&self->models);
  g_clear_object (&self->exports);
  g_clear_object (&self->runs);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->exportable, g_hash_table_unref);

  G_OBJECT_CLASS (dbw_train_page_parent_class)->dispose (object);
}

static void
dbw_train_page_class_init (DbwTrainPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_train_page_dispose;
  page_class->store_changed = dbw_train_page_store_changed;
  widget_class->map = dbw_train_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-train-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, sheets_list);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, runs_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, runs_list);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, models_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, models_list);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, exports_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTrainPage, exports_list);

  gtk_widget_class_install_action (widget_class, "train.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "train.export-sheet", "s", export_sheet_action);
  gtk_widget_class_install_action (widget_class, "train.fine-tune", NULL, fine_tune_action);
  gtk_widget_class_install_action (widget_class, "train.show-lineage", "(is)", show_lineage_action);
  gtk_widget_class_install_action (widget_class, "train.cancel-run", "s", cancel_run_action);
  gtk_widget_class_install_action (widget_class, "train.open-run-page", "s", open_run_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "train.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "train.fine-tune", NULL);
}

static void
dbw_train_page_init (DbwTrainPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runs = g_list_store_new (DBW_TYPE_FINE_TUNE_RUN);
  self->exportable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  gtk_list_box_bind_model (self->runs_list, G_LIST_MODEL (self->runs), create_run_row_cb, self, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.fine-tune", FALSE);
  update_lists (self);
}

gint64
dbw_train_page_get_n_exportable (DbwTrainPage *self,
                                 const char   *training_sheet_id)
{
  const gint64 *n;

  g_return_val_if_fail (DBW_IS_TRAIN_PAGE (self), -1);

  n = g_hash_table_lookup (self->exportable, training_sheet_id);

  return n != NULL ? *n : -1;
}

GListModel *
dbw_train_page_get_runs (DbwTrainPage *self)
{
  g_return_val_if_fail (DBW_IS_TRAIN_PAGE (self), NULL);

  return G_LIST_MODEL (self->runs);
}
