/* dbw-generate-dialog.c
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

#define G_LOG_DOMAIN "dbw-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-generate-dialog.h"
#include "dbw-generation-job.h"
#include "dbw-prompt.h"
#include "dbw-sheet-ops.h"
#include "dbw-sheet.h"
#include "dbw-template.h"
#include "dbw-widget-util.h"

/* Asks what to generate: which sheet, which published template, who writes the answers.
 * Generate creates the Training Sheet and its job in the project and hands the run over
 * through ::run-created; the page runs it. Nothing is created before that, so Cancel
 * leaves the project as it was.
 *
 * An item whose prompt cannot be rendered is skipped, so a template asking for columns
 * the sheet lacks would skip them all. For each sheet chosen, a worker tries every
 * template's prompt on a sample of its items; a warning names the variables some of them
 * lack, and until the user picks a template the first one they all fit is chosen. */

static const char fit_tag[] = "dbw-generate-dialog-fit";

/* Positions in mode_row's list. */
enum {
  MODE_AI,
  MODE_MANUAL,
  MODE_COLUMN,
};

struct _DbwGenerateDialog
{
  AdwWindow          parent_instance;

  AdwToastOverlay   *toasts;
  AdwComboRow       *sheet_row;
  AdwComboRow       *template_row;
  GtkLabel          *fit_label;
  AdwEntryRow       *name_row;
  AdwComboRow       *mode_row;
  AdwComboRow       *column_row;
  AdwActionRow      *trusted_row;
  GtkSwitch         *trusted_switch;
  AdwPreferencesGroup *model_group;
  AdwActionRow      *endpoint_row;
  AdwActionRow      *remote_row;
  GtkSwitch         *remote_switch;
  AdwEntryRow       *model_row;
  GtkSpinButton     *concurrency_spin;

  DbwStore          *store;
  GListStore        *sheets;      /* DbwSheet */
  GListStore        *templates;   /* DbwTemplate: the newest published version of each */
  GtkStringList     *columns;
  GSettings         *settings;
  gboolean           name_edited;
  gboolean           setting_name;

  GHashTable        *unmatched;          /* template row id → GStrv; NULL while checking */
  GCancellable      *fit_cancellable;
  guint              fit_run;
  gboolean           template_chosen;    /* by the user: no longer chosen for them */
  gboolean           choosing_template;
};

G_DEFINE_FINAL_TYPE (DbwGenerateDialog, dbw_generate_dialog, ADW_TYPE_WINDOW)

enum {
  RUN_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static DbwSheet *
selected_sheet (DbwGenerateDialog *self)
{
  return adw_combo_row_get_selected_item (self->sheet_row);
}

static DbwTemplate *
selected_template (DbwGenerateDialog *self)
{
  return adw_combo_row_get_selected_item (self->template_row);
}

static char *
default_name (DbwGenerateDialog *self)
{
  DbwSheet *sheet = selected_sheet (self);
  DbwTemplate *tmpl = selected_template (self);

  if (sheet == NULL || tmpl == NULL || self->store == NULL)
    return g_strdup ("");

  return dbw_generation_job_default_name (self->store, sheet, tmpl);
}

static void
update_name (DbwGenerateDialog *self)
{
  g_autofree char *name = NULL;

  if (self->name_edited)
    return;

  name = default_name (self);
  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->setting_name = FALSE;
}

static void
update_model (DbwGenerateDialog *self)
{
  DbwTemplate *tmpl = selected_template (self);
  const char *base_model = tmpl != NULL ? dbw_template_get_base_model (tmpl) : NULL;
  g_autofree char *model = g_settings_get_string (self->settings, "llm-model");

  gtk_editable_set_text (GTK_EDITABLE (self->model_row),
                         base_model != NULL && base_model[0] != '\0' ? base_model : model);
}

static void
update_sensitivity (DbwGenerateDialog *self)
{
  guint mode = adw_combo_row_get_selected (self->mode_row);
  g_autofree char *url = g_strstrip (g_settings_get_string (self->settings, "llm-endpoint-url"));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gboolean ready;

  gtk_widget_set_visible (GTK_WIDGET (self->column_row), mode == MODE_COLUMN);
  gtk_widget_set_visible (GTK_WIDGET (self->trusted_row), mode == MODE_COLUMN);
  gtk_widget_set_visible (GTK_WIDGET (self->model_group), mode == MODE_AI);
  /* Only a sheet over a Unity Catalog table has rows the workspace can read. */
  gtk_widget_set_visible (GTK_WIDGET (self->remote_row),
                          selected_sheet (self) != NULL && dbw_sheet_get_primary_table (selected_sheet (self)) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_row), !dbw_generate_dialog_get_remote (self));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->model_row),
                                 dbw_generate_dialog_get_remote (self) ? _("Serving _Endpoint") : _("_Model"));

  adw_action_row_set_subtitle (self->endpoint_row,
                               url[0] != '\0' ? url : _("None set yet — add one in Preferences"));

  ready = selected_sheet (self) != NULL && selected_template (self) != NULL &&
          (mode != MODE_COLUMN || adw_combo_row_get_selected_item (self->column_row) != NULL) &&
          name[0] != '\0';
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.start", ready);
}

static void
load_columns (DbwGenerateDialog *self)
{
  DbwSheet *sheet = selected_sheet (self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->columns));

  if (sheet != NULL)
    {
      fields = dbw_sheet_ops_list_fields (self->store, dbw_record_get_id (DBW_RECORD (sheet)), 200, &error);
      if (fields == NULL)
        g_warning ("Could not read the columns of a sheet: %s", error->message);
    }

  gtk_string_list_splice (self->columns, 0, n, (const char * const *) fields);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->column_row),
                               fields == NULL || fields[0] == NULL ? _("This sheet has no columns") : NULL);
}

static void check_templates (DbwGenerateDialog *self);

static void
on_sheet_selected_cb (DbwGenerateDialog *self)
{
  load_columns (self);
  update_name (self);
  update_sensitivity (self);
  check_templates (self);
}

static GStrv
selected_unmatched (DbwGenerateDialog *self)
{
  DbwTemplate *tmpl = selected_template (self);

  if (self->unmatched == NULL || tmpl == NULL)
    return NULL;

  return g_hash_table_lookup (self->unmatched, dbw_record_get_id (DBW_RECORD (tmpl)));
}

static void
update_template_fit (DbwGenerateDialog *self)
{
  GStrv unmatched = selected_unmatched (self);
  DbwSheet *sheet = selected_sheet (self);
  gboolean fits = unmatched == NULL || unmatched[0] == NULL || sheet == NULL;

  if (!fits)
    {
      g_autofree char *names = g_strjoinv (", ", unmatched);
      g_autofree char *message = NULL;

      /* Translators: "Items of “Readings” lack a value for board, side: generating would skip them" */
      message = g_strdup_printf (_("Items of “%s” lack a value for %s: generating would skip them"),
                                 dbw_sheet_get_name (sheet), names);
      gtk_label_set_label (self->fit_label, message);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fit_label), !fits);
}

static void
template_changed (DbwGenerateDialog *self)
{
  update_name (self);
  update_model (self);
  update_template_fit (self);
  update_sensitivity (self);
}

static void
on_template_selected_cb (DbwGenerateDialog *self)
{
  if (!self->choosing_template)
    self->template_chosen = TRUE;
  template_changed (self);
}

static void
choose_template (DbwGenerateDialog *self,
                 guint              position)
{
  self->choosing_template = TRUE;
  adw_combo_row_set_selected (self->template_row, position);
  self->choosing_template = FALSE;
}

/* The first template whose every variable has a value in the sample, unless the chosen one
 * has. */
static void
choose_fitting_template (DbwGenerateDialog *self)
{
  GStrv unmatched = selected_unmatched (self);

  if (unmatched == NULL || unmatched[0] == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->templates)); i++)
    {
      g_autoptr(DbwTemplate) tmpl = g_list_model_get_item (G_LIST_MODEL (self->templates), i);
      GStrv names = g_hash_table_lookup (self->unmatched, dbw_record_get_id (DBW_RECORD (tmpl)));

      if (names != NULL && names[0] == NULL)
        {
          choose_template (self, i);
          return;
        }
    }
}

typedef struct
{
  GFile     *file;
  char      *sheet_id;
  GPtrArray *template_ids;
  GPtrArray *prompts;
} FitJob;

static void
fit_job_free (FitJob *job)
{
  g_object_unref (job->file);
  g_free (job->sheet_id);
  g_ptr_array_unref (job->template_ids);
  g_ptr_array_unref (job->prompts);
  g_free (job);
}

static void
fit_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FitJob *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GPtrArray) contexts = NULL;
  g_autoptr(GHashTable) unmatched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  GError *error = NULL;

  store = dbw_store_open (job->file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    {
      contexts = dbw_sheet_ops_sample_contexts (store, job->sheet_id, DBW_SHEET_OPS_FIT_SAMPLE, &error);
      dbw_store_close (store);
    }
  if (contexts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < job->prompts->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      /* A prompt that does not parse is not judged here; publishing checked it. */
      GStrv names = dbw_prompt_unmatched_variables (g_ptr_array_index (job->prompts, i), contexts, NULL);

      if (names != NULL)
        g_hash_table_insert (unmatched, g_strdup (g_ptr_array_index (job->template_ids, i)), names);
    }

  g_task_return_pointer (task, g_steal_pointer (&unmatched), (GDestroyNotify) g_hash_table_unref);
}

static void
fit_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(DbwGenerateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GHashTable *unmatched;

  unmatched = g_task_propagate_pointer (G_TASK (result), &error);
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "dbw-run")) != self->fit_run ||
      !gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      g_clear_pointer (&unmatched, g_hash_table_unref);
      return;
    }

  g_clear_object (&self->fit_cancellable);
  if (unmatched == NULL)
    {
      /* Without a sample nothing is said about the templates; generating still works. */
      g_message ("Could not try the templates on the sheet: %s", error->message);
      unmatched = g_hash_table_new (g_str_hash, g_str_equal);
    }
  self->unmatched = unmatched;

  if (!self->template_chosen)
    choose_fitting_template (self);
  update_template_fit (self);
}

static void
stop_checking (DbwGenerateDialog *self)
{
  g_cancellable_cancel (self->fit_cancellable);
  g_clear_object (&self->fit_cancellable);
  self->fit_run++;
}

static void
check_templates (DbwGenerateDialog *self)
{
  DbwSheet *sheet = selected_sheet (self);
  g_autoptr(GTask) task = NULL;
  FitJob *job;

  stop_checking (self);
  g_clear_pointer (&self->unmatched, g_hash_table_unref);
  update_template_fit (self);
  if (sheet == NULL || self->store == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->templates)) == 0)
    return;

  job = g_new0 (FitJob, 1);
  job->file = g_object_ref (dbw_store_get_file (self->store));
  job->sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
  job->template_ids = g_ptr_array_new_with_free_func (g_free);
  job->prompts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->templates)); i++)
    {
      g_autoptr(DbwTemplate) tmpl = g_list_model_get_item (G_LIST_MODEL (self->templates), i);

      g_ptr_array_add (job->template_ids, g_strdup (dbw_record_get_id (DBW_RECORD (tmpl))));
      g_ptr_array_add (job->prompts, g_strdup (dbw_template_get_user_prompt_template (tmpl)));
    }

  self->fit_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->fit_cancellable, fit_cb, g_object_ref (self));
  g_task_set_source_tag (task, (gpointer) fit_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) fit_job_free);
  g_object_set_data (G_OBJECT (task), "dbw-run", GUINT_TO_POINTER (self->fit_run));
  g_task_run_in_thread (task, fit_thread);
}

static void
on_name_changed_cb (DbwGenerateDialog *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  update_sensitivity (self);
}

static char *
sheet_name_cb (DbwSheet *sheet)
{
  return g_strdup (sheet != NULL ? dbw_sheet_get_name (sheet) : "");
}

static char *
template_name_cb (DbwTemplate *tmpl)
{
  if (tmpl == NULL)
    return g_strdup ("");
  /* Translators: a template in a list: its name and version, e.g. "Dose triage v3" */
  return g_strdup_printf (_("%s v%" G_GINT64_FORMAT), dbw_template_get_name (tmpl), dbw_template_get_version (tmpl));
}

static int
compare_templates (gconstpointer a,
                   gconstpointer b)
{
  DbwTemplate *ta = *(DbwTemplate **) a;
  DbwTemplate *tb = *(DbwTemplate **) b;

  return g_utf8_collate (dbw_template_get_name (ta), dbw_template_get_name (tb));
}

static void
load_choices (DbwGenerateDialog *self,
              const char        *sheet_id)
{
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GPtrArray) published = NULL;
  g_autoptr(GHashTable) newest = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) templates = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  sheets = dbw_store_list (self->store, DBW_TYPE_SHEET, NULL, NULL, &error);
  if (sheets == NULL)
    g_warning ("Could not list the sheets: %s", error->message);
  g_clear_error (&error);
  for (guint i = 0; sheets != NULL && i < sheets->len; i++)
    {
      DbwSheet *sheet = g_ptr_array_index (sheets, i);

      if (dbw_sheet_get_deleted_at (sheet) != NULL)
        continue;
      g_list_store_append (self->sheets, sheet);
      if (g_strcmp0 (dbw_record_get_id (DBW_RECORD (sheet)), sheet_id) == 0)
        adw_combo_row_set_selected (self->sheet_row, g_list_model_get_n_items (G_LIST_MODEL (self->sheets)) - 1);
    }

  /* The newest published version of each template: an older one is still there for
   * training sheets made from it, but new work starts from the newest. */
  published = dbw_store_list (self->store, DBW_TYPE_TEMPLATE, "status", "published", &error);
  if (published == NULL)
    g_warning ("Could not list the templates: %s", error->message);
  for (guint i = 0; published != NULL && i < published->len; i++)
    {
      DbwTemplate *tmpl = g_ptr_array_index (published, i);
      DbwTemplate *known = g_hash_table_lookup (newest, dbw_template_get_template_id (tmpl));

      if (known == NULL || dbw_template_get_version (known) < dbw_template_get_version (tmpl))
        g_hash_table_insert (newest, (gpointer) dbw_template_get_template_id (tmpl), tmpl);
    }
  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (templates, value);
  g_ptr_array_sort (templates, compare_templates);
  for (guint i = 0; i < templates->len; i++)
    g_list_store_append (self->templates, g_ptr_array_index (templates, i));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DbwGenerateDialog *self = DBW_GENERATE_DIALOG (widget);
  DbwSheet *sheet = selected_sheet (self);
  DbwTemplate *tmpl = selected_template (self);
  guint mode = adw_combo_row_get_selected (self->mode_row);
  GtkStringObject *column = adw_combo_row_get_selected_item (self->column_row);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autoptr(DbwGenerationRun) run = NULL;
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(GError) error = NULL;
  DbwLabelingMode labeling_mode;

  if (sheet == NULL || tmpl == NULL)
    return;

  labeling_mode = mode == MODE_MANUAL ? DBW_LABELING_MODE_MANUAL
                : mode == MODE_COLUMN ? DBW_LABELING_MODE_EXISTING_COLUMN
                : DBW_LABELING_MODE_AI_GENERATED;

  options = json_object_new ();
  json_object_set_int_member (options, "concurrency", dbw_generate_dialog_get_concurrency (self));
  if (mode == MODE_COLUMN)
    json_object_set_boolean_member (options, "column_trusted", gtk_switch_get_active (self->trusted_switch));

  run = dbw_generation_run_new_with_options (self->store, dbw_record_get_id (DBW_RECORD (sheet)),
                                             dbw_record_get_id (DBW_RECORD (tmpl)), labeling_mode,
                                             mode == MODE_COLUMN && column != NULL ? gtk_string_object_get_string (column) : NULL,
                                             name, options, &error);
  if (run == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, dbw_toast_new_text (error->message));
      return;
    }

  g_signal_emit (self, signals[RUN_CREATED], 0, run);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The check holds the dialog, so closing it, not disposing, stops the check. */
static void
dbw_generate_dialog_unrealize (GtkWidget *widget)
{
  stop_checking (DBW_GENERATE_DIALOG (widget));

  GTK_WIDGET_CLASS (dbw_generate_dialog_parent_class)->unrealize (widget);
}

static void
dbw_generate_dialog_dispose (GObject *object)
{
  DbwGenerateDialog *self = DBW_GENERATE_DIALOG (object);

  stop_checking (self);
  g_clear_pointer (&self->unmatched, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->sheets);
  g_clear_object (&self->templates);
  g_clear_object (&self->columns);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dbw_generate_dialog_parent_class)->dispose (object);
}

static void
dbw_generate_dialog_class_init (DbwGenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_generate_dialog_dispose;
  widget_class->unrealize = dbw_generate_dialog_unrealize;

  /**
   * DbwGenerateDialog::run-created:
   * @run: the new run, not started
   */
  signals[RUN_CREATED] =
    g_signal_new ("run-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DBW_TYPE_GENERATION_RUN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-generate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, sheet_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, template_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, fit_label);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, column_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, trusted_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, trusted_switch);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, model_group);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, remote_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, remote_switch);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGenerateDialog, concurrency_spin);

  gtk_widget_class_install_action (widget_class, "generate.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "generate.start", NULL);
}

static void
dbw_generate_dialog_init (DbwGenerateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->template_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->fit_label, NULL,
                                  -1);

  self->settings = g_settings_new (APP_ID);
  self->sheets = g_list_store_new (DBW_TYPE_SHEET);
  self->templates = g_list_store_new (DBW_TYPE_TEMPLATE);
  self->columns = gtk_string_list_new (NULL);

  adw_combo_row_set_expression (self->sheet_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (sheet_name_cb), NULL, NULL));
  adw_combo_row_set_expression (self->template_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (template_name_cb), NULL, NULL));
  adw_combo_row_set_expression (self->column_row,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  adw_combo_row_set_model (self->sheet_row, G_LIST_MODEL (self->sheets));
  adw_combo_row_set_model (self->template_row, G_LIST_MODEL (self->templates));
  adw_combo_row_set_model (self->column_row, G_LIST_MODEL (self->columns));

  g_signal_connect_swapped (self->sheet_row, "notify::selected", G_CALLBACK (on_sheet_selected_cb), self);
  g_signal_connect_swapped (self->template_row, "notify::selected", G_CALLBACK (on_template_selected_cb), self);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->column_row, "notify::selected", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->remote_switch, "notify::active", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_name_changed_cb), self);
  g_signal_connect_object (self->settings, "changed::llm-endpoint-url", G_CALLBACK (update_sensitivity), self, G_CONNECT_SWAPPED);
}

/**
 * dbw_generate_dialog_new:
 * @sheet_id: (nullable): the sheet to choose first
 */
DbwGenerateDialog *
dbw_generate_dialog_new (GtkWindow  *parent,
                         DbwStore   *store,
                         const char *sheet_id)
{
  DbwGenerateDialog *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_GENERATE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  /* The first choices are the dialog's, not the user's. */
  self->choosing_template = TRUE;
  load_choices (self, sheet_id);
  self->choosing_template = FALSE;
  on_sheet_selected_cb (self);
  template_changed (self);

  return self;
}

/* The model to ask for; empty for the endpoint's own. */
const char *
dbw_generate_dialog_get_model (DbwGenerateDialog *self)
{
  g_return_val_if_fail (DBW_IS_GENERATE_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->model_row));
}

guint
dbw_generate_dialog_get_concurrency (DbwGenerateDialog *self)
{
  g_return_val_if_fail (DBW_IS_GENERATE_DIALOG (self), 1);
  return (guint) gtk_spin_button_get_value_as_int (self->concurrency_spin);
}

/* Whether the model is asked on the workspace, with one ai_query() statement. */
gboolean
dbw_generate_dialog_get_remote (DbwGenerateDialog *self)
{
  g_return_val_if_fail (DBW_IS_GENERATE_DIALOG (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->remote_row)) &&
         adw_combo_row_get_selected (self->mode_row) == MODE_AI &&
         gtk_switch_get_active (self->remote_switch);
}

/* Whether the templates are being tried on the chosen sheet's items. */
gboolean
dbw_generate_dialog_get_checking (DbwGenerateDialog *self)
{
  g_return_val_if_fail (DBW_IS_GENERATE_DIALOG (self), FALSE);

  return self->fit_cancellable != NULL;
}
