/* dbw-export-dialog.c
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

#define G_LOG_DOMAIN "dbw-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-export-dialog.h"
#include "dbw-folder-chooser.h"
#include "dbw-governance.h"
#include "dbw-lineage-window.h"
#include "dbw-page.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"

/* Asks what to export and where, and says before anything is written how many pairs pass
 * the gates and why the others do not: the summary is counted again in a worker whenever
 * an option changes. Writing shows its progress and can be cancelled; no partial file is
 * left behind. The result names the files and leads to the export's lineage. */

#define SUMMARY_DELAY_MS 150

struct _DbwExportDialog
{
  AdwWindow          parent_instance;

  GtkStack          *stack;
  GtkWidget         *export_button;
  GtkWidget         *cancel_button;
  GtkListBox        *sheets_list;
  AdwComboRow       *use_row;
  AdwComboRow       *format_row;
  AdwExpanderRow    *split_row;
  GtkSpinButton     *val_spin;
  GtkSpinButton     *seed_spin;
  GtkSwitch         *stratify_switch;
  GtkSpinner        *summary_spinner;
  GtkListBox        *summary_list;
  GtkLabel          *error_label;
  AdwActionRow      *folder_row;
  GtkProgressBar    *progress_bar;
  AdwStatusPage     *result_status;
  GtkListBox        *files_list;

  DbwStore          *store;
  GPtrArray         *training_sheets;  /* DbwTrainingSheet, in the order of sheets_list */
  GPtrArray         *checks;           /* GtkCheckButton, one per training sheet */
  GArray            *formats;          /* DbwExportFormat, in the order of format_row */
  GFile             *folder;
  DbwExportSummary  *summary;
  DbwExportResult   *result;
  DbwExport         *writing;
  GCancellable      *summary_cancellable;
  GCancellable      *write_cancellable;
  guint              summary_source;
};

G_DEFINE_FINAL_TYPE (DbwExportDialog, dbw_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The uses an export can be for; few-shot examples go to the Example Store instead. */
static const char * const export_uses[] = {
  DBW_USE_TRAINING, DBW_USE_VALIDATION, DBW_USE_EVALUATION, DBW_USE_TESTING,
};

static void queue_summary (DbwExportDialog *self);

static const char *
use_describe (const char *use)
{
  if (g_strcmp0 (use, DBW_USE_TRAINING) == 0)
    return _("Training");
  if (g_strcmp0 (use, DBW_USE_VALIDATION) == 0)
    return _("Validation");
  if (g_strcmp0 (use, DBW_USE_EVALUATION) == 0)
    return _("Evaluation");
  if (g_strcmp0 (use, DBW_USE_TESTING) == 0)
    return _("Testing");
  return use;
}

static const char *
format_describe (DbwExportFormat format)
{
  switch (format)
    {
    case DBW_EXPORT_FORMAT_JSONL:
      return _("JSONL chat messages");
    case DBW_EXPORT_FORMAT_CSV:
      return _("CSV");
    case DBW_EXPORT_FORMAT_COCO:
      return _("COCO (object detection)");
    case DBW_EXPORT_FORMAT_YOLO:
      return _("YOLO (object detection)");
    case DBW_EXPORT_FORMAT_VOC:
      return _("Pascal VOC (object detection)");
    default:
      return "";
    }
}

static const char *
selected_use (DbwExportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->use_row);

  return i < G_N_ELEMENTS (export_uses) ? export_uses[i] : DBW_USE_TRAINING;
}

/* A split's two sides are for training and validation: other uses are not split. */
static gboolean
split_applies (DbwExportDialog *self)
{
  return g_str_equal (selected_use (self), DBW_USE_TRAINING);
}

static void
update_split_row (DbwExportDialog *self)
{
  gboolean applies = split_applies (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->split_row), applies);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->split_row),
                               applies ? NULL : _("Only training data is split; the other side is for validation"));
}

static DbwExportFormat
selected_format (DbwExportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->format_row);

  return i < self->formats->len ? g_array_index (self->formats, DbwExportFormat, i) : DBW_EXPORT_FORMAT_JSONL;
}

static gboolean
is_object_detection (DbwExportDialog  *self,
                     DbwTrainingSheet *ts)
{
  const char *template_id = dbw_training_sheet_get_template_id (ts);
  g_autoptr(DbwTemplate) tmpl = NULL;

  if (template_id == NULL)
    return FALSE;
  tmpl = dbw_store_get (self->store, DBW_TYPE_TEMPLATE, template_id, NULL);

  return tmpl != NULL && dbw_template_get_label_type (tmpl) == DBW_LABEL_TYPE_OBJECT_DETECTION;
}

/* Object-detection formats only when every chosen sheet is of boxes on images. */
static void
update_formats (DbwExportDialog *self)
{
  DbwExportFormat current = selected_format (self);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gboolean any = FALSE, all_od = TRUE;
  guint selected = 0;

  for (guint i = 0; i < self->checks->len; i++)
    {
      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        continue;
      any = TRUE;
      if (!is_object_detection (self, g_ptr_array_index (self->training_sheets, i)))
        all_od = FALSE;
    }

  g_array_set_size (self->formats, 0);
  for (DbwExportFormat f = DBW_EXPORT_FORMAT_JSONL; f <= DBW_EXPORT_FORMAT_VOC; f++)
    {
      if (f >= DBW_EXPORT_FORMAT_COCO && !(any && all_od))
        continue;
      if (f == current)
        selected = self->formats->len;
      g_array_append_val (self->formats, f);
      gtk_string_list_append (names, format_describe (f));
    }

  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->format_row, selected);
}

static void
update_sensitivity (DbwExportDialog *self)
{
  gboolean can = self->summary != NULL && self->summary->n_exported > 0 && self->folder != NULL &&
                 self->writing == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export-dialog.export", can);
}

static void
add_summary_row (DbwExportDialog *self,
                 const char      *title,
                 const char      *subtitle,
                 gint64           count,
                 const char      *name)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = dbw_format_count (count);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  /* User text: a row reads its title and subtitle as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_widget_set_name (row, name);
  gtk_list_box_append (self->summary_list, row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_summary (DbwExportDialog *self)
{
  const DbwExportSummary *s = self->summary;
  const char *use;

  clear_list (self->summary_list);
  if (s == NULL)
    return;

  use = s->use != NULL ? s->use : selected_use (self);
  add_summary_row (self, _("Pairs in the chosen sheets"), NULL, s->n_total, "total");
  add_summary_row (self, _("Exported"), _("Labeled and allowed for this use"), s->n_exported, "exported");
  if (s->n_val > 0 || (adw_expander_row_get_enable_expansion (self->split_row) && split_applies (self)))
    {
      add_summary_row (self, _("Training side"), NULL, s->n_train, "train");
      add_summary_row (self, _("Validation side"), _("Pairs not allowed for validation stay on the training side"),
                       s->n_val, "val");
    }
  if (s->n_unlabeled > 0)
    add_summary_row (self, _("Not reviewed yet"), _("Excluded: not labeled"), s->n_unlabeled, "unlabeled");
  if (s->n_rejected > 0)
    add_summary_row (self, _("Rejected"), _("Excluded: not labeled"), s->n_rejected, "rejected");
  if (s->n_flagged > 0)
    add_summary_row (self, _("Flagged"), _("Excluded: not labeled"), s->n_flagged, "flagged");
  if (s->n_prohibited > 0)
    add_summary_row (self, dbw_gate_verdict_describe (DBW_GATE_PROHIBITED, use), NULL, s->n_prohibited, "prohibited");
  if (s->n_not_allowed > 0)
    add_summary_row (self, dbw_gate_verdict_describe (DBW_GATE_NOT_ALLOWED, use), NULL, s->n_not_allowed, "not-allowed");
  for (guint i = 0; s->reasons != NULL && i < s->reasons->len; i++)
    {
      const DbwExportReason *reason = g_ptr_array_index (s->reasons, i);

      /* Translators: a reason some pairs may not be used, as given with their constraints */
      add_summary_row (self, reason->reason != NULL && reason->reason[0] != '\0' ? reason->reason : _("No reason given"),
                       _("Excluded by usage constraints"), reason->count, "reason");
    }
}

static void
show_error (DbwExportDialog *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_summary_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwExportDialog) self = user_data;
  g_autoptr(DbwExportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = dbw_export_summarize_finish (DBW_EXPORT (object), result, &error);
  /* Closed meanwhile, or counting again for newer options. */
  if (self->store == NULL || (summary == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;

  gtk_spinner_stop (self->summary_spinner);
  g_clear_object (&self->summary_cancellable);
  g_clear_pointer (&self->summary, dbw_export_summary_free);
  self->summary = g_steal_pointer (&summary);
  show_error (self, error != NULL ? error->message : NULL);
  show_summary (self);
  update_sensitivity (self);
}

static gboolean
summary_timeout_cb (gpointer user_data)
{
  DbwExportDialog *self = user_data;
  g_autoptr(DbwExportOptions) options = NULL;
  g_autoptr(DbwExport) export = NULL;

  self->summary_source = 0;
  options = dbw_export_dialog_get_options (self);
  if (options->training_sheet_ids == NULL || options->training_sheet_ids[0] == NULL)
    {
      show_error (self, _("Choose at least one training sheet."));
      return G_SOURCE_REMOVE;
    }

  export = dbw_export_new (self->store, options);
  self->summary_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->summary_spinner);
  dbw_export_summarize_async (export, self->summary_cancellable, on_summary_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
queue_summary (DbwExportDialog *self)
{
  if (self->summary_cancellable != NULL)
    g_cancellable_cancel (self->summary_cancellable);
  g_clear_object (&self->summary_cancellable);
  g_clear_pointer (&self->summary, dbw_export_summary_free);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  show_summary (self);
  show_error (self, NULL);
  update_sensitivity (self);
  if (self->store != NULL)
    self->summary_source = g_timeout_add (SUMMARY_DELAY_MS, summary_timeout_cb, self);
}

static void
on_sheet_toggled_cb (DbwExportDialog *self)
{
  update_formats (self);
  queue_summary (self);
}

static void
fill_training_sheets (DbwExportDialog *self,
                      const char      *chosen_id)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = dbw_store_list (self->store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, &error);
  if (list == NULL)
    {
      show_error (self, error->message);
      return;
    }

  for (guint i = 0; i < list->len; i++)
    {
      DbwTrainingSheet *ts = g_ptr_array_index (list, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dbw_training_sheet_get_name (ts));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strcmp0 (chosen_id, dbw_record_get_id (DBW_RECORD (ts))) == 0 ||
                                   (chosen_id == NULL && list->len == 1));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_sheet_toggled_cb), self);
      gtk_list_box_append (self->sheets_list, row);
      g_ptr_array_add (self->training_sheets, g_object_ref (ts));
      g_ptr_array_add (self->checks, check);
    }
}

/* --- writing --------------------------------------------------------------------------- */

static void
on_progress_cb (DbwExportDialog *self,
                GParamSpec      *pspec,
                DbwExport       *export)
{
  gtk_progress_bar_set_fraction (self->progress_bar, dbw_export_get_progress (export));
}

static void
show_result (DbwExportDialog *self)
{
  g_autofree char *count = dbw_format_count (self->result->summary != NULL ? self->result->summary->n_exported : 0);
  g_autofree char *description = NULL;

  description = g_strdup_printf (g_dngettext (NULL, "%s pair written. The export and what it used are recorded in the project.",
                                              "%s pairs written. The export and what it used are recorded in the project.",
                                              self->result->summary != NULL ? (gulong) self->result->summary->n_exported : 0),
                                 count);
  adw_status_page_set_description (self->result_status, description);

  clear_list (self->files_list);
  for (guint i = 0; self->result->files != NULL && i < self->result->files->len; i++)
    {
      GFile *file = g_ptr_array_index (self->result->files, i);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *path = g_file_get_path (file);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path != NULL ? path : "");
      gtk_list_box_append (self->files_list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, "result");
  gtk_widget_set_visible (self->export_button, FALSE);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), _("_Close"));
}

static void
on_written_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  DbwExportResult *written;

  written = dbw_export_write_finish (DBW_EXPORT (object), result, &error);
  if (self->store == NULL)
    {
      g_clear_pointer (&written, dbw_export_result_free);
      return;
    }
  g_signal_handlers_disconnect_by_data (object, self);
  g_clear_object (&self->writing);
  g_clear_object (&self->write_cancellable);

  if (written == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "options");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Export cancelled; nothing was written."));
      else
        show_error (self, error->message);
      update_sensitivity (self);
      return;
    }

  g_clear_pointer (&self->result, dbw_export_result_free);
  self->result = written;
  if (self->store != NULL)
    dbw_store_emit_changed (self->store, "exports", DBW_CHANGE_INSERTED, self->result->export_id);
  show_result (self);
  g_signal_emit (self, signals[EXPORTED], 0, self->result->export_id);
}

void
dbw_export_dialog_export (DbwExportDialog *self)
{
  g_autoptr(DbwExportOptions) options = NULL;

  g_return_if_fail (DBW_IS_EXPORT_DIALOG (self));

  if (self->writing != NULL || self->folder == NULL || self->store == NULL)
    return;

  options = dbw_export_dialog_get_options (self);
  self->writing = dbw_export_new (self->store, options);
  self->write_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->writing, "notify::progress", G_CALLBACK (on_progress_cb), self, G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  show_error (self, NULL);
  update_sensitivity (self);
  dbw_export_write_async (self->writing, self->folder, self->write_cancellable, on_written_cb, g_object_ref (self));
}

/* --- actions --------------------------------------------------------------------------- */

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  dbw_export_dialog_export (DBW_EXPORT_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwExportDialog *self = DBW_EXPORT_DIALOG (widget);

  /* While writing, Cancel stops the export; the dialog stays to say so. */
  if (self->write_cancellable != NULL)
    {
      g_cancellable_cancel (self->write_cancellable);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_folder_chosen (gpointer  owner,
                  GFile    *folder)
{
  dbw_export_dialog_set_folder (DBW_EXPORT_DIALOG (owner), folder);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwExportDialog *self = DBW_EXPORT_DIALOG (widget);

  dbw_choose_folder (GTK_WINDOW (self), _("Export To"), self->folder, on_folder_chosen, self);
}

static void
show_lineage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwExportDialog *self = DBW_EXPORT_DIALOG (widget);
  DbwLineageWindow *window;

  if (self->result == NULL || self->store == NULL)
    return;

  window = dbw_lineage_window_new (GTK_WINDOW (self), self->store, DBW_LINEAGE_NODE_EXPORT, self->result->export_id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DbwExportDialog *self = DBW_EXPORT_DIALOG (widget);
  g_autofree char *uri = NULL;

  if (self->folder == NULL)
    return;

  uri = g_file_get_uri (self->folder);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
}

/* --- GObject --------------------------------------------------------------------------- */

static void
dbw_export_dialog_dispose (GObject *object)
{
  DbwExportDialog *self = DBW_EXPORT_DIALOG (object);

  if (self->summary_cancellable != NULL)
    g_cancellable_cancel (self->summary_cancellable);
  if (self->write_cancellable != NULL)
    g_cancellable_cancel (self->write_cancellable);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  if (self->writing != NULL)
    g_signal_handlers_disconnect_by_data (self->writing, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_EXPORT_DIALOG);

  g_clear_object (&self->summary_cancellable);
  g_clear_object (&self->write_cancellable);
  g_clear_object (&self->writing);
  g_clear_object (&self->store);
  g_clear_object (&self->folder);
  g_clear_pointer (&self->training_sheets, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->formats, g_array_unref);
  g_clear_pointer (&self->summary, dbw_export_summary_free);
  g_clear_pointer (&self->result, dbw_export_result_free);

  G_OBJECT_CLASS (dbw_export_dialog_parent_class)->dispose (object);
}

static void
dbw_export_dialog_class_init (DbwExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_export_dialog_dispose;

  /**
   * DbwExportDialog::exported:
   * @export_id: the exports row just written
   */
  signals[EXPORTED] =
    g_signal_new ("exported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, sheets_list);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, use_row);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, split_row);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, val_spin);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, stratify_switch);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, summary_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, summary_list);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, result_status);
  gtk_widget_class_bind_template_child (widget_class, DbwExportDialog, files_list);

  gtk_widget_class_install_action (widget_class, "export-dialog.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "export-dialog.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "export-dialog.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "export-dialog.show-lineage", NULL, show_lineage_action);
  gtk_widget_class_install_action (widget_class, "export-dialog.open-folder", NULL, open_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export-dialog.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "export-dialog.export", NULL);
}

static void
dbw_export_dialog_init (DbwExportDialog *self)
{
  g_autoptr(GtkStringList) uses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->training_sheets = g_ptr_array_new_with_free_func (g_object_unref);
  self->checks = g_ptr_array_new ();
  self->formats = g_array_new (FALSE, FALSE, sizeof (DbwExportFormat));

  for (guint i = 0; i < G_N_ELEMENTS (export_uses); i++)
    gtk_string_list_append (uses, use_describe (export_uses[i]));
  adw_combo_row_set_model (self->use_row, G_LIST_MODEL (uses));

  g_signal_connect_swapped (self->use_row, "notify::selected", G_CALLBACK (update_split_row), self);
  g_signal_connect_swapped (self->use_row, "notify::selected", G_CALLBACK (queue_summary), self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (queue_summary), self);
  g_signal_connect_swapped (self->split_row, "notify::enable-expansion", G_CALLBACK (queue_summary), self);
  g_signal_connect_swapped (self->val_spin, "value-changed", G_CALLBACK (queue_summary), self);
  g_signal_connect_swapped (self->seed_spin, "value-changed", G_CALLBACK (queue_summary), self);
  g_signal_connect_swapped (self->stratify_switch, "notify::active", G_CALLBACK (queue_summary), self);

  update_sensitivity (self);
}

DbwExportDialog *
dbw_export_dialog_new (GtkWindow  *parent,
                       DbwStore   *store,
                       const char *training_sheet_id,
                       const char *use)
{
  DbwExportDialog *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  fill_training_sheets (self, training_sheet_id);
  for (guint i = 0; use != NULL && i < G_N_ELEMENTS (export_uses); i++)
    if (g_str_equal (use, export_uses[i]))
      adw_combo_row_set_selected (self->use_row, i);
  update_formats (self);
  queue_summary (self);

  return self;
}

void
dbw_export_dialog_set_folder (DbwExportDialog *self,
                              GFile           *folder)
{
  g_autofree char *path = NULL;

  g_return_if_fail (DBW_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (folder));

  g_set_object (&self->folder, folder);
  path = g_file_get_path (folder);
  adw_action_row_set_subtitle (self->folder_row, path != NULL ? path : "");
  update_sensitivity (self);
}

GFile *
dbw_export_dialog_get_folder (DbwExportDialog *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_DIALOG (self), NULL);

  return self->folder;
}

void
dbw_export_dialog_set_split (DbwExportDialog *self,
                             double           val_fraction,
                             guint64          seed,
                             gboolean         stratify)
{
  g_return_if_fail (DBW_IS_EXPORT_DIALOG (self));

  if (val_fraction > 0)
    gtk_spin_button_set_value (self->val_spin, val_fraction * 100);
  gtk_spin_button_set_value (self->seed_spin, (double) seed);
  gtk_switch_set_active (self->stratify_switch, stratify);
  adw_expander_row_set_enable_expansion (self->split_row, val_fraction > 0);
}

gboolean
dbw_export_dialog_select_training_sheet (DbwExportDialog *self,
                                         const char      *training_sheet_id,
                                         gboolean         selected)
{
  g_return_val_if_fail (DBW_IS_EXPORT_DIALOG (self), FALSE);

  for (guint i = 0; i < self->training_sheets->len; i++)
    if (g_strcmp0 (dbw_record_get_id (g_ptr_array_index (self->training_sheets, i)), training_sheet_id) == 0)
      {
        gtk_check_button_set_active (g_ptr_array_index (self->checks, i), selected);
        return TRUE;
      }

  return FALSE;
}

DbwExportOptions *
dbw_export_dialog_get_options (DbwExportDialog *self)
{
  DbwExportOptions *options = dbw_export_options_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_return_val_if_fail (DBW_IS_EXPORT_DIALOG (self), options);

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_strv_builder_add (ids, dbw_record_get_id (g_ptr_array_index (self->training_sheets, i)));

  g_strfreev (options->training_sheet_ids);
  options->training_sheet_ids = g_strv_builder_end (ids);
  g_free (options->use);
  options->use = g_strdup (selected_use (self));
  options->format = selected_format (self);
  if (adw_expander_row_get_enable_expansion (self->split_row) && split_applies (self))
    {
      options->val_fraction = gtk_spin_button_get_value (self->val_spin) / 100.0;
      options->seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
      options->stratify = gtk_switch_get_active (self->stratify_switch);
    }
  else
    options->val_fraction = 0;

  return options;
}

const DbwExportSummary *
dbw_export_dialog_get_summary (DbwExportDialog *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_DIALOG (self), NULL);

  return self->summary;
}

const DbwExportResult *
dbw_export_dialog_get_result (DbwExportDialog *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_DIALOG (self), NULL);

  return self->result;
}
