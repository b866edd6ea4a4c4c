/* dbw-import-report-window.c
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

#define G_LOG_DOMAIN "dbw-import-report-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-import-report-window.h"
#include "dbw-page.h"

/* Shown when an import rejected records or files: what was rejected, where and why, with
 * a way to save the list, and — when the import was rolled back — to import the good
 * ones anyway ("keep-good" is emitted; the Data page runs the import again). */

struct _DbwImportReportWindow
{
  AdwWindow        parent_instance;

  DbwImportReport *report;
  GtkFileChooserNative *chooser;

  GtkLabel        *summary;
  GtkColumnView   *problems_view;
  GtkButton       *keep_button;
  GtkButton       *close_button;
};

G_DEFINE_FINAL_TYPE (DbwImportReportWindow, dbw_import_report_window, ADW_TYPE_WINDOW)

enum {
  KEEP_GOOD,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_location_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  DbwImportProblem *problem = gtk_list_item_get_item (list_item);
  g_autofree char *location = dbw_import_problem_dup_location (problem);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), location);
}

/* The location column says the file and line; the reason without them beside it. */
static void
bind_reason_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  DbwImportProblem *problem = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       dbw_import_problem_get_what (problem));
}

static void
add_column (DbwImportReportWindow *self,
            const char            *title,
            GCallback              bind,
            gboolean               expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (!expand)
    gtk_column_view_column_set_fixed_width (column, 220);
  gtk_column_view_append_column (self->problems_view, column);
}

static void
save_response_cb (DbwImportReportWindow *self,
                  int                    response,
                  GtkFileChooserNative  *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  /* A report is a few megabytes at most. */
  if (!dbw_import_report_save (self->report, file, NULL, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Save the Report"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwImportReportWindow *self = DBW_IMPORT_REPORT_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Import Report"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("import-report.json"));
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
keep_good_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DbwImportReportWindow *self = DBW_IMPORT_REPORT_WINDOW (widget);

  g_signal_emit (self, signals [KEEP_GOOD], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
dbw_import_report_window_dispose (GObject *object)
{
  DbwImportReportWindow *self = (DbwImportReportWindow *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_IMPORT_REPORT_WINDOW);

  G_OBJECT_CLASS (dbw_import_report_window_parent_class)->dispose (object);
}

static void
dbw_import_report_window_finalize (GObject *object)
{
  DbwImportReportWindow *self = (DbwImportReportWindow *)object;

  g_clear_object (&self->report);

  G_OBJECT_CLASS (dbw_import_report_window_parent_class)->finalize (object);
}

static void
dbw_import_report_window_class_init (DbwImportReportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_import_report_window_dispose;
  object_class->finalize = dbw_import_report_window_finalize;

  /**
   * DbwImportReportWindow::keep-good:
   *
   * The user asked to import the good records of an import that was rolled back.
   */
  signals [KEEP_GOOD] =
    g_signal_new ("keep-good", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-import-report-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwImportReportWindow, summary);
  gtk_widget_class_bind_template_child (widget_class, DbwImportReportWindow, problems_view);
  gtk_widget_class_bind_template_child (widget_class, DbwImportReportWindow, keep_button);
  gtk_widget_class_bind_template_child (widget_class, DbwImportReportWindow, close_button);

  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "report.keep-good", NULL, keep_good_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "report.save", NULL);
}

static void
dbw_import_report_window_init (DbwImportReportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_column (self, _("Where"), G_CALLBACK (bind_location_cb), FALSE);
  add_column (self, _("Why"), G_CALLBACK (bind_reason_cb), TRUE);
}

static void
update (DbwImportReportWindow *self)
{
  DbwImportReport *report = self->report;
  guint64 n_rejected = dbw_import_report_get_n_rejected (report);
  guint64 n_good = dbw_import_report_get_n_added (report) + dbw_import_report_get_n_versions (report);
  g_autofree char *rejected = dbw_format_count (n_rejected);
  g_autofree char *good = dbw_format_count (n_good);
  g_autofree char *text = NULL;
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (dbw_import_report_get_problems (report)));
  gboolean committed = dbw_import_report_get_committed (report);
  gboolean can_keep = !committed && n_good > 0;

  if (committed)
    /* Translators: both are numbers: "12 records or files were rejected; 1,488 items were imported." */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s record or file was rejected; the %s good items were imported.",
                                         "%s records or files were rejected; the %s good items were imported.",
                                         n_rejected),
                            rejected, good);
  else if (n_good > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s record or file was rejected, so nothing was imported. You can import the %s good items without it, or fix the file and import it again.",
                                         "%s records or files were rejected, so nothing was imported. You can import the %s good items without them, or fix the files and import them again.",
                                         n_rejected),
                            rejected, good);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s record or file was rejected, and nothing was imported.",
                                         "%s records or files were rejected, and nothing was imported.",
                                         n_rejected),
                            rejected);

  if (dbw_import_report_get_n_problems (report) > g_list_model_get_n_items (dbw_import_report_get_problems (report)))
    {
      g_autofree char *listed = dbw_format_count (g_list_model_get_n_items (dbw_import_report_get_problems (report)));
      g_autofree char *more = g_strdup_printf (_("The first %s are listed."), listed);
      g_autofree char *joined = g_strconcat (text, " ", more, NULL);

      g_free (text);
      text = g_steal_pointer (&joined);
    }

  gtk_label_set_label (self->summary, text);
  gtk_column_view_set_model (self->problems_view, GTK_SELECTION_MODEL (selection));

  gtk_widget_set_visible (GTK_WIDGET (self->keep_button), can_keep);
  if (can_keep)
    {
      /* Translators: a button; %s is a number */
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Import %s Good Item", "_Import %s Good Items", n_good), good);

      gtk_button_set_label (self->keep_button, label);
      gtk_button_set_label (self->close_button, _("_Discard"));
    }
  else
    {
      gtk_button_set_label (self->close_button, _("_Close"));
    }
}

DbwImportReportWindow *
dbw_import_report_window_new (GtkWindow       *parent,
                              DbwImportReport *report)
{
  DbwImportReportWindow *self;

  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (report), NULL);

  self = g_object_new (DBW_TYPE_IMPORT_REPORT_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->report = g_object_ref (report);
  update (self);

  return self;
}

DbwImportReport *
dbw_import_report_window_get_report (DbwImportReportWindow *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT_WINDOW (self), NULL);

  return self->report;
}
