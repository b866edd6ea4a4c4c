/* dbw-fine-tune-dialog.c
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

#define G_LOG_DOMAIN "dbw-fine-tune-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-export.h"
#include "dbw-export-dialog.h"
#include "dbw-export-record.h"
#include "dbw-fine-tune-dialog.h"
#include "dbw-folder-chooser.h"
#include "dbw-page.h"
#include "dbw-workspace.h"

/* Asks what to fine-tune on and how. Fine-tuning needs the Databricks workspace; without
 * one the dialog says so and leads to Preferences. Start connects, creates the run in the
 * project and hands it over through ::run-created; the page follows it. */

struct _DbwFineTuneDialog
{
  AdwWindow       parent_instance;

  GtkStack       *stack;
  GtkWidget      *start_button;
  AdwComboRow    *export_row;
  AdwActionRow   *folder_row;
  AdwEntryRow    *base_model_row;
  GtkSpinButton  *epochs_spin;
  AdwEntryRow    *learning_rate_row;
  AdwEntryRow    *model_name_row;
  AdwEntryRow    *experiment_row;
  AdwEntryRow    *volume_row;
  GtkLabel       *error_label;

  DbwStore       *store;
  GPtrArray      *exports;     /* DbwExportRecord of use training, newest first */
  GFile          *folder;
  GCancellable   *cancellable;
  gboolean        connected;
  gboolean        starting;
};

G_DEFINE_FINAL_TYPE (DbwFineTuneDialog, dbw_fine_tune_dialog, ADW_TYPE_WINDOW)

enum {
  RUN_CREATED,
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (DbwFineTuneDialog *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const char *
selected_export_id (DbwFineTuneDialog *self)
{
  guint i = adw_combo_row_get_selected (self->export_row);

  return i < self->exports->len ? dbw_record_get_id (g_ptr_array_index (self->exports, i)) : NULL;
}

static void
update_sensitivity (DbwFineTuneDialog *self)
{
  gboolean can = self->connected && !self->starting && selected_export_id (self) != NULL && self->folder != NULL &&
                 gtk_editable_get_text (GTK_EDITABLE (self->base_model_row))[0] != '\0' &&
                 gtk_editable_get_text (GTK_EDITABLE (self->model_name_row))[0] != '\0' &&
                 gtk_editable_get_text (GTK_EDITABLE (self->volume_row))[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "fine-tune.start", can);
}

static gint
compare_created_desc (gconstpointer a,
                      gconstpointer b)
{
  DbwExportRecord *ea = *(DbwExportRecord **) a;
  DbwExportRecord *eb = *(DbwExportRecord **) b;

  return -g_strcmp0 (dbw_export_record_get_created_at (ea), dbw_export_record_get_created_at (eb));
}

static void
fill_exports (DbwFineTuneDialog *self,
              const char        *select_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  list = dbw_store_list (self->store, DBW_TYPE_EXPORT_RECORD, "use", DBW_USE_TRAINING, &error);
  if (list == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_ptr_array_sort (list, compare_created_desc);

  g_clear_pointer (&self->exports, g_ptr_array_unref);
  self->exports = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < list->len; i++)
    {
      DbwExportRecord *record = g_ptr_array_index (list, i);
      g_autofree char *when = dbw_format_timestamp (dbw_export_record_get_created_at (record));
      g_autofree char *format = g_ascii_strup (dbw_export_record_get_format (record), -1);
      g_autofree char *name = g_strdup_printf ("%s · %s", when, format);

      if (g_strcmp0 (dbw_record_get_id (DBW_RECORD (record)), select_id) == 0)
        selected = self->exports->len;
      g_ptr_array_add (self->exports, g_object_ref (record));
      gtk_string_list_append (names, name);
    }

  adw_combo_row_set_model (self->export_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->export_row, selected);
  if (self->exports->len == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->export_row), _("No export for training yet: export one now"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->export_row), NULL);
  update_sensitivity (self);
}

static void
set_folder (DbwFineTuneDialog *self,
            GFile             *folder)
{
  g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

  g_set_object (&self->folder, folder);
  adw_action_row_set_subtitle (self->folder_row, folder == NULL ? _("None chosen") : path != NULL ? path : "");
  update_sensitivity (self);
}

/* The folder follows the export: where this computer wrote it, while its train.jsonl is
 * still there; otherwise the user chooses. */
static void
on_export_selected_cb (DbwFineTuneDialog *self)
{
  const char *export_id = selected_export_id (self);
  g_autoptr(GFile) folder = NULL;

  if (export_id != NULL && self->store != NULL)
    folder = dbw_export_lookup_folder (self->store, export_id, NULL);
  if (folder != NULL)
    {
      g_autoptr(GFile) train = g_file_get_child (folder, "train.jsonl");

      if (!g_file_query_exists (train, NULL))
        g_clear_object (&folder);
    }

  set_folder (self, folder);
}

/* --- starting -------------------------------------------------------------------------- */

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbwFineTuneDialog) self = user_data;
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autoptr(DbwFineTuneOptions) options = NULL;
  g_autoptr(DbwFineTuneRun) run = NULL;
  g_autoptr(GError) error = NULL;

  databricks = dbw_workspace_connect_finish (result, NULL, &error);
  if (self->store == NULL)
    return;
  self->starting = FALSE;
  if (databricks == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_error (self, error->message);
          update_sensitivity (self);
        }
      return;
    }

  options = dbw_fine_tune_dialog_get_options (self);
  run = dbw_fine_tune_run_new (self->store, databricks, selected_export_id (self), self->folder, options, &error);
  if (run == NULL)
    {
      show_error (self, error->message);
      update_sensitivity (self);
      return;
    }

  g_signal_emit (self, signals[RUN_CREATED], 0, run);
  gtk_window_close (GTK_WINDOW (self));
}

void
dbw_fine_tune_dialog_start (DbwFineTuneDialog *self)
{
  g_autoptr(DbwFineTuneOptions) options = NULL;

  g_return_if_fail (DBW_IS_FINE_TUNE_DIALOG (self));

  if (self->starting || !self->connected)
    return;

  if (selected_export_id (self) == NULL || self->folder == NULL)
    {
      show_error (self, _("Choose an export for training and the folder with its files."));
      return;
    }
  options = dbw_fine_tune_dialog_get_options (self);
  if (options->learning_rate <= 0 || options->learning_rate >= 1)
    {
      show_error (self, _("The learning rate is a number between 0 and 1, such as 0.0002."));
      return;
    }
  if (!g_str_has_prefix (options->volume_path, "/Volumes/"))
    {
      show_error (self, _("The volume path starts with /Volumes/, as in /Volumes/main/ml/training."));
      return;
    }

  show_error (self, NULL);
  self->starting = TRUE;
  update_sensitivity (self);
  dbw_workspace_connect_async (NULL, self->cancellable, on_connected_cb, g_object_ref (self));
}

/* --- actions --------------------------------------------------------------------------- */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  dbw_fine_tune_dialog_start (DBW_FINE_TUNE_DIALOG (widget));
}

static void
on_folder_chosen (gpointer  owner,
                  GFile    *folder)
{
  set_folder (DBW_FINE_TUNE_DIALOG (owner), folder);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  dbw_choose_folder (GTK_WINDOW (widget), _("Folder of the Export"), NULL, on_folder_chosen, widget);
}

static void
on_exported_cb (DbwFineTuneDialog *self,
                const char        *export_id,
                DbwExportDialog   *dialog)
{
  GFile *folder = dbw_export_dialog_get_folder (dialog);

  fill_exports (self, export_id);
  if (folder != NULL)
    set_folder (self, folder);
  g_signal_emit (self, signals[EXPORTED], 0, export_id);
}

static void
export_now_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DbwFineTuneDialog *self = DBW_FINE_TUNE_DIALOG (widget);
  DbwExportDialog *dialog;

  dialog = dbw_export_dialog_new (GTK_WINDOW (self), self->store, NULL, DBW_USE_TRAINING);
  dbw_export_dialog_set_split (dialog, 0.2, 42, FALSE);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- GObject --------------------------------------------------------------------------- */

static void
dbw_fine_tune_dialog_dispose (GObject *object)
{
  DbwFineTuneDialog *self = DBW_FINE_TUNE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_FINE_TUNE_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->folder);
  g_clear_pointer (&self->exports, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_fine_tune_dialog_parent_class)->dispose (object);
}

/* The dialog is no application window, so app.preferences is out of its reach. */
static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GApplication *application = g_application_get_default ();

  if (application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  gtk_window_close (GTK_WINDOW (widget));
}

static void
dbw_fine_tune_dialog_class_init (DbwFineTuneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_fine_tune_dialog_dispose;

  /**
   * DbwFineTuneDialog::run-created:
   * @run: the new run, not started
   */
  signals[RUN_CREATED] =
    g_signal_new ("run-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DBW_TYPE_FINE_TUNE_RUN);

  /**
   * DbwFineTuneDialog::exported:
   * @export_id: an export made from the dialog with Export Now
   */
  signals[EXPORTED] =
    g_signal_new ("exported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-fine-tune-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, export_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, base_model_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, learning_rate_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, model_name_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, experiment_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, volume_row);
  gtk_widget_class_bind_template_child (widget_class, DbwFineTuneDialog, error_label);

  gtk_widget_class_install_action (widget_class, "fine-tune.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "fine-tune.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "fine-tune.export-now", NULL, export_now_action);
  gtk_widget_class_install_action (widget_class, "fine-tune.preferences", NULL, preferences_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dbw_fine_tune_dialog_init (DbwFineTuneDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->exports = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();

  g_signal_connect_swapped (self->export_row, "notify::selected", G_CALLBACK (on_export_selected_cb), self);
  g_signal_connect_swapped (self->base_model_row, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->model_name_row, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->volume_row, "changed", G_CALLBACK (update_sensitivity), self);
}

DbwFineTuneDialog *
dbw_fine_tune_dialog_new (GtkWindow *parent,
                          DbwStore  *store)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *host = g_strstrip (g_settings_get_string (settings, "databricks-host"));
  g_autofree char *schema = g_strstrip (g_settings_get_string (settings, "catalog-schema"));
  DbwFineTuneDialog *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_FINE_TUNE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->connected = host[0] != '\0';
  gtk_stack_set_visible_child_name (self->stack, self->connected ? "options" : "offline");
  gtk_widget_set_visible (self->start_button, self->connected);

  /* Suggestions from the project's catalog and schema. */
  if (schema[0] != '\0' && strchr (schema, '.') != NULL)
    {
      g_autofree char *model = g_strdup_printf ("%s.databits_model", schema);
      g_auto(GStrv) parts = g_strsplit (schema, ".", 2);
      g_autofree char *volume = g_strdup_printf ("/Volumes/%s/%s/training", parts[0], parts[1]);

      gtk_editable_set_text (GTK_EDITABLE (self->model_name_row), model);
      gtk_editable_set_text (GTK_EDITABLE (self->volume_row), volume);
    }

  fill_exports (self, NULL);
  update_sensitivity (self);

  return self;
}

gboolean
dbw_fine_tune_dialog_set_export (DbwFineTuneDialog *self,
                                 const char        *export_id,
                                 GFile             *folder)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_DIALOG (self), FALSE);

  fill_exports (self, export_id);
  if (g_strcmp0 (selected_export_id (self), export_id) != 0)
    return FALSE;
  if (folder != NULL)
    set_folder (self, folder);

  return TRUE;
}

DbwFineTuneOptions *
dbw_fine_tune_dialog_get_options (DbwFineTuneDialog *self)
{
  DbwFineTuneOptions *options = dbw_fine_tune_options_new ();
  const char *rate;

  g_return_val_if_fail (DBW_IS_FINE_TUNE_DIALOG (self), options);

  rate = gtk_editable_get_text (GTK_EDITABLE (self->learning_rate_row));
  g_free (options->base_model);
  options->base_model = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->base_model_row))));
  options->epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
  options->learning_rate = g_ascii_strtod (rate, NULL);
  g_free (options->registered_model_name);
  options->registered_model_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->model_name_row))));
  g_free (options->experiment_name);
  options->experiment_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->experiment_row))));
  g_free (options->volume_path);
  options->volume_path = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->volume_row))));

  return options;
}

gboolean
dbw_fine_tune_dialog_get_connected (DbwFineTuneDialog *self)
{
  g_return_val_if_fail (DBW_IS_FINE_TUNE_DIALOG (self), FALSE);

  return self->connected;
}
