/* dbw-template-history.c
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

#define G_LOG_DOMAIN "dbw-template-history"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-page.h"
#include "dbw-template-history.h"
#include "dbw-template-ops.h"

/* Every version of one template, newest first, with its status and dates; ticking two
 * shows what changed between them side by side. At first the newest version is compared
 * with the one before it. */

struct _DbwTemplateHistory
{
  GtkWidget            parent_instance;

  DbwStore            *store;
  char                *template_id;
  GPtrArray           *versions;   /* DbwTemplate, newest first */
  GPtrArray           *checks;     /* GtkCheckButton per version, same order */
  GQueue               ticked;     /* the ticked versions' positions, oldest tick first */
  gboolean             updating;

  AdwPreferencesGroup *versions_group;
  GtkListBox          *versions_list;
  GtkLabel            *hint_label;
  DbwTemplateDiffView *diff_view;
};

G_DEFINE_FINAL_TYPE (DbwTemplateHistory, dbw_template_history, GTK_TYPE_WIDGET)

static void
update_diff (DbwTemplateHistory *self)
{
  DbwTemplate *a = NULL;
  DbwTemplate *b = NULL;

  if (self->ticked.length == 2)
    {
      guint x = GPOINTER_TO_UINT (g_queue_peek_head (&self->ticked));
      guint y = GPOINTER_TO_UINT (g_queue_peek_tail (&self->ticked));

      /* The list is newest first: the larger position is the older version. */
      a = g_ptr_array_index (self->versions, MAX (x, y));
      b = g_ptr_array_index (self->versions, MIN (x, y));
    }

  dbw_template_diff_view_set_templates (self->diff_view, a, b);
  gtk_widget_set_visible (GTK_WIDGET (self->diff_view), a != NULL);

  if (self->versions == NULL || self->versions->len == 0)
    gtk_label_set_label (self->hint_label, "");
  else if (self->versions->len == 1)
    gtk_label_set_label (self->hint_label, _("There is only one version so far. Editing a published version makes the next one."));
  else if (a == NULL)
    gtk_label_set_label (self->hint_label, _("Tick two versions to see what changed between them."));
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), a == NULL && self->versions != NULL && self->versions->len > 0);
}

static void
on_check_toggled_cb (DbwTemplateHistory *self,
                     GtkCheckButton     *check)
{
  guint position;

  if (self->updating || !g_ptr_array_find (self->checks, check, &position))
    return;

  if (gtk_check_button_get_active (check))
    {
      g_queue_push_tail (&self->ticked, GUINT_TO_POINTER (position));
      /* Two at most: the earliest tick makes way. */
      if (self->ticked.length > 2)
        {
          guint oldest = GPOINTER_TO_UINT (g_queue_pop_head (&self->ticked));

          self->updating = TRUE;
          gtk_check_button_set_active (g_ptr_array_index (self->checks, oldest), FALSE);
          self->updating = FALSE;
        }
    }
  else
    {
      g_queue_remove (&self->ticked, GUINT_TO_POINTER (position));
    }

  update_diff (self);
}

static GtkWidget *
make_row (DbwTemplateHistory *self,
          DbwTemplate        *tmpl,
          GtkWidget         **check_out)
{
  g_autofree char *title = g_strdup_printf (_("Version %" G_GINT64_FORMAT), dbw_template_get_version (tmpl));
  g_autofree char *created = dbw_format_timestamp (dbw_template_get_created_at (tmpl));
  g_autofree char *updated = dbw_format_timestamp (dbw_template_get_updated_at (tmpl));
  g_autofree char *subtitle = NULL;
  const char *author = dbw_template_get_created_by (tmpl);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *badge;

  if (author != NULL && author[0] != '\0')
    /* Translators: "Created 2026-11-20 09:14 by Kim · changed Today 14:02" */
    subtitle = g_strdup_printf (_("Created %s by %s · changed %s"), created, author, updated);
  else
    subtitle = g_strdup_printf (_("Created %s · changed %s"), created, updated);

  /* User text: a row reads its title and subtitle as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled_cb), self, G_CONNECT_SWAPPED);

  badge = gtk_label_new (dbw_template_status_describe (dbw_template_get_status (tmpl)));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "status-badge");
  gtk_widget_add_css_class (badge, dbw_enum_to_nick (DBW_TYPE_TEMPLATE_STATUS, dbw_template_get_status (tmpl)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);

  *check_out = check;
  return row;
}

static void
dbw_template_history_dispose (GObject *object)
{
  DbwTemplateHistory *self = (DbwTemplateHistory *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_TEMPLATE_HISTORY);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->store);
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_queue_clear (&self->ticked);

  G_OBJECT_CLASS (dbw_template_history_parent_class)->dispose (object);
}

static void
dbw_template_history_finalize (GObject *object)
{
  DbwTemplateHistory *self = (DbwTemplateHistory *)object;

  g_clear_pointer (&self->template_id, g_free);

  G_OBJECT_CLASS (dbw_template_history_parent_class)->finalize (object);
}

static void
dbw_template_history_class_init (DbwTemplateHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_template_history_dispose;
  object_class->finalize = dbw_template_history_finalize;

  g_type_ensure (DBW_TYPE_TEMPLATE_DIFF_VIEW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-template-history.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateHistory, versions_group);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateHistory, versions_list);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateHistory, hint_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateHistory, diff_view);
}

static void
dbw_template_history_init (DbwTemplateHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_queue_init (&self->ticked);
  self->checks = g_ptr_array_new ();
  update_diff (self);
}

/**
 * dbw_template_history_set_template:
 * @store: (nullable): the project
 * @template_id: (nullable): the template whose versions to show
 */
void
dbw_template_history_set_template (DbwTemplateHistory *self,
                                   DbwStore           *store,
                                   const char         *template_id)
{
  g_return_if_fail (DBW_IS_TEMPLATE_HISTORY (self));

  g_set_object (&self->store, store);
  g_free (self->template_id);
  self->template_id = g_strdup (template_id);

  dbw_template_history_reload (self);
}

/* Lists the versions again, keeping the ticks on the same versions where it can. */
void
dbw_template_history_reload (DbwTemplateHistory *self)
{
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GArray) ticked_versions = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (DBW_IS_TEMPLATE_HISTORY (self));

  /* Disposed: its template children are gone. */
  if (self->versions_list == NULL)
    return;

  for (GList *l = self->ticked.head; l != NULL; l = l->next)
    {
      gint64 version = dbw_template_get_version (g_ptr_array_index (self->versions, GPOINTER_TO_UINT (l->data)));

      g_array_append_val (ticked_versions, version);
    }

  if (self->store != NULL && self->template_id != NULL)
    {
      versions = dbw_template_ops_list_versions (self->store, self->template_id, &error);
      if (versions == NULL)
        g_warning ("Could not list the versions of a template: %s", error->message);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versions_list))) != NULL)
    gtk_list_box_remove (self->versions_list, child);
  g_ptr_array_set_size (self->checks, 0);
  g_queue_clear (&self->ticked);
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  self->versions = versions != NULL ? g_steal_pointer (&versions) : g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->versions->len; i++)
    {
      GtkWidget *check = NULL;

      gtk_list_box_append (self->versions_list, make_row (self, g_ptr_array_index (self->versions, i), &check));
      g_ptr_array_add (self->checks, check);
    }

  /* The same ticks as before, or the two newest versions. */
  if (ticked_versions->len < 2)
    {
      g_array_set_size (ticked_versions, 0);
      for (guint i = MIN (2, self->versions->len); i > 0; i--)
        {
          gint64 version = dbw_template_get_version (g_ptr_array_index (self->versions, i - 1));

          g_array_append_val (ticked_versions, version);
        }
    }

  for (guint t = 0; t < ticked_versions->len; t++)
    for (guint i = 0; i < self->versions->len; i++)
      if (dbw_template_get_version (g_ptr_array_index (self->versions, i)) == g_array_index (ticked_versions, gint64, t))
        gtk_check_button_set_active (g_ptr_array_index (self->checks, i), TRUE);

  update_diff (self);
}

guint
dbw_template_history_get_n_versions (DbwTemplateHistory *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_HISTORY (self), 0);

  return self->versions != NULL ? self->versions->len : 0;
}

/* Ticks @left_version and @right_version, as a user would. */
gboolean
dbw_template_history_compare (DbwTemplateHistory *self,
                              gint64              left_version,
                              gint64              right_version)
{
  gboolean found_left = FALSE;
  gboolean found_right = FALSE;

  g_return_val_if_fail (DBW_IS_TEMPLATE_HISTORY (self), FALSE);

  for (guint i = 0; i < self->checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, i), FALSE);

  for (guint i = 0; i < self->versions->len; i++)
    {
      gint64 version = dbw_template_get_version (g_ptr_array_index (self->versions, i));

      if (version == left_version || version == right_version)
        {
          gtk_check_button_set_active (g_ptr_array_index (self->checks, i), TRUE);
          found_left |= version == left_version;
          found_right |= version == right_version;
        }
    }

  return found_left && found_right;
}

DbwTemplateDiffView *
dbw_template_history_get_diff_view (DbwTemplateHistory *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_HISTORY (self), NULL);

  return self->diff_view;
}
