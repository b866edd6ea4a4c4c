/* dbw-welcome-view.c
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

#define G_LOG_DOMAIN "dbw-welcome-view"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-welcome-view.h"

/* What a window shows before a project is open: the three ways in, and the projects opened
 * recently (from GSettings, newest first, missing files left out). */

struct _DbwWelcomeView
{
  GtkWidget   parent_instance;

  GSettings  *settings;
  guint       n_recent;

  GtkWidget  *recent_group;
  GtkListBox *recent_list;
};

G_DEFINE_FINAL_TYPE (DbwWelcomeView, dbw_welcome_view, GTK_TYPE_WIDGET)

static void
rebuild_recent (DbwWelcomeView *self)
{
  g_auto(GStrv) uris = g_settings_get_strv (self->settings, "recent-projects");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  self->n_recent = 0;

  for (guint i = 0; uris[i] != NULL && self->n_recent < 8; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uris[i]);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *where = parent != NULL ? g_file_get_parse_name (parent) : NULL;
      g_autofree char *escaped_name = NULL;
      g_autofree char *escaped_where = NULL;
      GtkWidget *row;

      if (!g_file_query_exists (file, NULL))
        continue;

      escaped_name = g_markup_escape_text (name, -1);
      escaped_where = g_markup_escape_text (where != NULL ? where : "", -1);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_where);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.open-recent");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", uris[i]);
      gtk_list_box_append (self->recent_list, row);
      self->n_recent++;
    }

  gtk_widget_set_visible (self->recent_group, self->n_recent > 0);
}

static void
on_recent_changed_cb (DbwWelcomeView *self,
                      const char     *key,
                      GSettings      *settings)
{
  rebuild_recent (self);
}

static void
dbw_welcome_view_dispose (GObject *object)
{
  DbwWelcomeView *self = (DbwWelcomeView *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_WELCOME_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dbw_welcome_view_parent_class)->dispose (object);
}

static void
dbw_welcome_view_class_init (DbwWelcomeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_welcome_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-welcome-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwWelcomeView, recent_group);
  gtk_widget_class_bind_template_child (widget_class, DbwWelcomeView, recent_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dbw_welcome_view_init (DbwWelcomeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (on_recent_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild_recent (self);
}

guint
dbw_welcome_view_get_n_recent (DbwWelcomeView *self)
{
  g_return_val_if_fail (DBW_IS_WELCOME_VIEW (self), 0);

  return self->n_recent;
}
