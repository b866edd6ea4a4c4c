/* dbw-constraints-dialog.c
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

#define G_LOG_DOMAIN "dbw-constraints-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-canonical-label.h"
#include "dbw-constraints-dialog.h"
#include "dbw-page.h"
#include "dbw-qa-pair.h"

struct _DbwConstraintsDialog
{
  AdwWindow            parent_instance;

  AdwPreferencesGroup *uses_group;
  AdwComboRow         *classification_row;
  AdwEntryRow         *reason_row;
  GtkLabel            *error_label;
  GtkWidget           *apply_button;
  GtkSpinner          *spinner;
  AdwComboRow         *use_rows[DBW_N_USES];

  DbwStore            *store;
  DbwGovernanceTarget  target;
  GStrv                ids;
  GCancellable        *cancellable;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (DbwConstraintsDialog, dbw_constraints_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_bulk (DbwConstraintsDialog *self)
{
  return self->ids == NULL || g_strv_length (self->ids) != 1;
}

static const char *
use_title (guint index)
{
  const char *titles[DBW_N_USES] = {
    N_("_Training"), N_("_Validation"), N_("_Evaluation"), N_("_Few-shot examples"), N_("Tes_ting"),
  };

  return _(titles[index]);
}

static gboolean
reason_given (DbwConstraintsDialog *self)
{
  g_autofree char *reason = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row)));

  return g_strstrip (reason)[0] != '\0';
}

static void
update_actions (DbwConstraintsDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "constraints.apply",
                                 !self->busy && self->ids != NULL && self->ids[0] != NULL && reason_given (self));
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
}

static void
on_reason_changed_cb (DbwConstraintsDialog *self)
{
  update_actions (self);
}

static void
on_reason_activated_cb (DbwConstraintsDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "constraints.apply", NULL);
}

static void
show_error (DbwConstraintsDialog *self,
            const char           *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_applied_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwConstraintsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 n_changed;

  n_changed = dbw_governance_apply_finish (DBW_STORE (object), result, &error);
  self->busy = FALSE;
  if (n_changed < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_error (self, error->message);
          update_actions (self);
        }
      return;
    }

  g_signal_emit (self, signals[APPLIED], 0, n_changed);
  gtk_window_close (GTK_WINDOW (self));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DbwConstraintsDialog *self = DBW_CONSTRAINTS_DIALOG (widget);
  g_autofree char *reason = NULL;
  DbwConstraintChange change;

  if (self->busy || !reason_given (self))
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
  dbw_constraint_change_init (&change);
  for (guint i = 0; i < DBW_N_USES; i++)
    change.uses[i] = dbw_constraints_dialog_get_use_state (self, i);
  change.classification = dbw_constraints_dialog_get_classification (self);
  change.reason = reason;

  self->busy = TRUE;
  show_error (self, NULL);
  update_actions (self);
  /* The change is copied before this returns. */
  dbw_governance_apply_async (self->store, self->target, (const char * const *) self->ids, &change,
                              self->cancellable, on_applied_cb, g_object_ref (self));
}

static GListModel *
states_model (gboolean bulk)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (bulk)
    gtk_string_list_append (list, _("Keep as it is"));
  gtk_string_list_append (list, _("Allowed"));
  gtk_string_list_append (list, _("Prohibited"));
  gtk_string_list_append (list, _("Neither"));
  return G_LIST_MODEL (list);
}

static GListModel *
classifications_model (gboolean bulk)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (bulk)
    gtk_string_list_append (list, _("Keep as it is"));
  gtk_string_list_append (list, _("Public"));
  gtk_string_list_append (list, _("Internal"));
  gtk_string_list_append (list, _("Confidential"));
  gtk_string_list_append (list, _("Restricted"));
  return G_LIST_MODEL (list);
}

static char *
describe_targets (DbwConstraintsDialog *self)
{
  guint n = self->ids != NULL ? g_strv_length (self->ids) : 0;
  g_autofree char *count = dbw_format_count (n);

  /* Translators: %s is a count, such as "100,000" */
  if (self->target == DBW_GOVERNANCE_TARGET_CANONICAL_LABEL)
    return g_strdup_printf (ngettext ("Applies to %s canonical label.", "Applies to %s canonical labels.", n), count);
  return g_strdup_printf (ngettext ("Applies to %s Q&A pair.", "Applies to %s Q&A pairs.", n), count);
}

/* One target: start from what it has, so Apply without a change changes nothing. */
static void
load_current (DbwConstraintsDialog *self)
{
  g_autoptr(GObject) record = NULL;
  g_auto(GStrv) allowed = NULL;
  g_auto(GStrv) prohibited = NULL;
  DbwDataClassification classification = DBW_CLASSIFICATION_INTERNAL;
  const char * const *uses = dbw_use_all ();
  GType type = self->target == DBW_GOVERNANCE_TARGET_CANONICAL_LABEL ? DBW_TYPE_CANONICAL_LABEL : DBW_TYPE_QA_PAIR;

  record = dbw_store_get (self->store, type, self->ids[0], NULL);
  if (record == NULL)
    return;

  g_object_get (record, "allowed-uses", &allowed, "prohibited-uses", &prohibited,
                "data-classification", &classification, NULL);
  for (guint i = 0; i < DBW_N_USES; i++)
    {
      DbwUseState state = DBW_USE_STATE_NEITHER;

      if (prohibited != NULL && g_strv_contains ((const char * const *) prohibited, uses[i]))
        state = DBW_USE_STATE_PROHIBITED;
      else if (allowed != NULL && g_strv_contains ((const char * const *) allowed, uses[i]))
        state = DBW_USE_STATE_ALLOWED;
      dbw_constraints_dialog_set_use_state (self, i, state);
    }
  dbw_constraints_dialog_set_classification (self, classification);
}

static void
dbw_constraints_dialog_dispose (GObject *object)
{
  DbwConstraintsDialog *self = (DbwConstraintsDialog *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dbw_constraints_dialog_parent_class)->dispose (object);
}

static void
dbw_constraints_dialog_finalize (GObject *object)
{
  DbwConstraintsDialog *self = (DbwConstraintsDialog *) object;

  g_clear_object (&self->store);
  g_strfreev (self->ids);

  G_OBJECT_CLASS (dbw_constraints_dialog_parent_class)->finalize (object);
}

static void
dbw_constraints_dialog_class_init (DbwConstraintsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_constraints_dialog_dispose;
  object_class->finalize = dbw_constraints_dialog_finalize;

  /**
   * DbwConstraintsDialog::applied:
   * @n_changed: how many targets changed
   *
   * Emitted when the change is committed, before the dialog closes.
   */
  signals[APPLIED] =
    g_signal_new ("applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-constraints-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwConstraintsDialog, uses_group);
  gtk_widget_class_bind_template_child (widget_class, DbwConstraintsDialog, classification_row);
  gtk_widget_class_bind_template_child (widget_class, DbwConstraintsDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, DbwConstraintsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DbwConstraintsDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, DbwConstraintsDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_activated_cb);

  gtk_widget_class_install_action (widget_class, "constraints.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dbw_constraints_dialog_init (DbwConstraintsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * dbw_constraints_dialog_new:
 * @ids: (array zero-terminated=1): the targets' ids
 */
DbwConstraintsDialog *
dbw_constraints_dialog_new (GtkWindow           *parent,
                            DbwStore            *store,
                            DbwGovernanceTarget  target,
                            const char * const  *ids)
{
  DbwConstraintsDialog *self;
  g_autoptr(GListModel) classifications = NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  gboolean bulk;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_CONSTRAINTS_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->target = target;
  self->ids = g_strdupv ((char **) ids);
  bulk = is_bulk (self);

  /* The description is markup, and "Q&A" has an ampersand. */
  description = describe_targets (self);
  escaped = g_markup_escape_text (description, -1);
  adw_preferences_group_set_description (self->uses_group, escaped);
  for (guint i = 0; i < DBW_N_USES; i++)
    {
      g_autoptr(GListModel) states = states_model (bulk);

      self->use_rows[i] = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->use_rows[i]), use_title (i));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->use_rows[i]), TRUE);
      adw_combo_row_set_model (self->use_rows[i], states);
      adw_preferences_group_add (self->uses_group, GTK_WIDGET (self->use_rows[i]));
    }
  classifications = classifications_model (bulk);
  adw_combo_row_set_model (self->classification_row, classifications);

  if (!bulk)
    load_current (self);

  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
  return self;
}

guint
dbw_constraints_dialog_get_n_targets (DbwConstraintsDialog *self)
{
  g_return_val_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self), 0);

  return self->ids != NULL ? g_strv_length (self->ids) : 0;
}

gboolean
dbw_constraints_dialog_get_busy (DbwConstraintsDialog *self)
{
  g_return_val_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self), FALSE);

  return self->busy;
}

DbwUseState
dbw_constraints_dialog_get_use_state (DbwConstraintsDialog *self,
                                      guint                 use_index)
{
  guint selected;

  g_return_val_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self), DBW_USE_STATE_KEEP);
  g_return_val_if_fail (use_index < DBW_N_USES, DBW_USE_STATE_KEEP);

  selected = adw_combo_row_get_selected (self->use_rows[use_index]);
  if (selected == GTK_INVALID_LIST_POSITION)
    return DBW_USE_STATE_KEEP;
  /* Rows list Keep only when there are many targets. */
  return is_bulk (self) ? (DbwUseState) selected : (DbwUseState) (selected + 1);
}

void
dbw_constraints_dialog_set_use_state (DbwConstraintsDialog *self,
                                      guint                 use_index,
                                      DbwUseState           state)
{
  g_return_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self));
  g_return_if_fail (use_index < DBW_N_USES);

  if (!is_bulk (self))
    {
      g_return_if_fail (state != DBW_USE_STATE_KEEP);
      adw_combo_row_set_selected (self->use_rows[use_index], state - 1);
    }
  else
    adw_combo_row_set_selected (self->use_rows[use_index], state);
}

int
dbw_constraints_dialog_get_classification (DbwConstraintsDialog *self)
{
  guint selected;

  g_return_val_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self), -1);

  selected = adw_combo_row_get_selected (self->classification_row);
  if (selected == GTK_INVALID_LIST_POSITION)
    return -1;
  return is_bulk (self) ? (int) selected - 1 : (int) selected;
}

void
dbw_constraints_dialog_set_classification (DbwConstraintsDialog *self,
                                           int                   classification)
{
  g_return_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self));
  g_return_if_fail (classification >= -1 && classification <= DBW_CLASSIFICATION_RESTRICTED);

  if (is_bulk (self))
    adw_combo_row_set_selected (self->classification_row, classification + 1);
  else if (classification >= 0)
    adw_combo_row_set_selected (self->classification_row, classification);
}

void
dbw_constraints_dialog_set_reason (DbwConstraintsDialog *self,
                                   const char           *reason)
{
  g_return_if_fail (DBW_IS_CONSTRAINTS_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason != NULL ? reason : "");
}
