/* dbw-audit-window.c
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

#define G_LOG_DOMAIN "dbw-audit-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-audit-model.h"
#include "dbw-audit-window.h"

struct _DbwAuditWindow
{
  AdwWindow       parent_instance;

  GtkDropDown    *kind_dropdown;
  GtkDropDown    *user_dropdown;
  GtkSearchEntry *search_entry;
  GtkDropDown    *time_dropdown;
  GtkStack       *stack;
  GtkColumnView  *column_view;
  GtkLabel       *count_label;

  DbwStore       *store;
  DbwAuditModel  *model;
  GStrv           users;        /* as listed in user_dropdown after "Everyone" */
  gboolean        updating_users;
};

G_DEFINE_FINAL_TYPE (DbwAuditWindow, dbw_audit_window, ADW_TYPE_WINDOW)

typedef enum
{
  COLUMN_TIME,
  COLUMN_KIND,
  COLUMN_TARGET,
  COLUMN_CHANGE,
  COLUMN_REASON,
  COLUMN_USER,
} Column;

static const char *kind_tables[] = { NULL, "qa_pairs", "canonical_labels", "items" };

static char *
since_for_range (DbwAuditRange range)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = NULL;

  switch (range)
    {
    case DBW_AUDIT_RANGE_DAY:
      since = g_date_time_add_days (now, -1);
      break;
    case DBW_AUDIT_RANGE_WEEK:
      since = g_date_time_add_weeks (now, -1);
      break;
    case DBW_AUDIT_RANGE_30_DAYS:
      since = g_date_time_add_days (now, -30);
      break;
    case DBW_AUDIT_RANGE_ALL:
    default:
      return NULL;
    }
  /* As the store writes times, so that text order is time order. */
  return g_date_time_format (since, "%Y-%m-%dT%H:%M:%S.000Z");
}

static void
apply_filters (DbwAuditWindow *self)
{
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint user = gtk_drop_down_get_selected (self->user_dropdown);
  g_autofree char *since = since_for_range (gtk_drop_down_get_selected (self->time_dropdown));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->model == NULL || self->updating_users)
    return;

  dbw_audit_model_set_filter (self->model,
                              kind < G_N_ELEMENTS (kind_tables) ? kind_tables[kind] : NULL,
                              user > 0 && self->users != NULL && user - 1 < g_strv_length (self->users)
                                ? self->users[user - 1] : NULL,
                              text[0] != '\0' ? text : NULL,
                              since);
}

static void
on_filter_changed_cb (DbwAuditWindow *self)
{
  apply_filters (self);
}

/* The user list grows as people change constraints; keep who is chosen. */
static void
update_users (DbwAuditWindow *self)
{
  const char * const *users = dbw_audit_model_get_users (self->model);
  guint selected = gtk_drop_down_get_selected (self->user_dropdown);
  g_autofree char *chosen = NULL;
  g_autoptr(GtkStringList) list = NULL;
  guint new_selected = 0;

  if (self->users != NULL && g_strv_equal ((const char * const *) self->users, users))
    return;

  if (selected > 0 && self->users != NULL && selected - 1 < g_strv_length (self->users))
    chosen = g_strdup (self->users[selected - 1]);

  g_strfreev (self->users);
  self->users = g_strdupv ((char **) users);
  list = gtk_string_list_new (NULL);
  gtk_string_list_append (list, _("Everyone"));
  for (guint i = 0; self->users[i] != NULL; i++)
    {
      gtk_string_list_append (list, self->users[i]);
      if (g_strcmp0 (self->users[i], chosen) == 0)
        new_selected = i + 1;
    }

  self->updating_users = TRUE;
  gtk_drop_down_set_model (self->user_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->user_dropdown, new_selected);
  self->updating_users = FALSE;
}

static void
update_view (DbwAuditWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *count = NULL;

  if (dbw_audit_model_get_loading (self->model))
    {
      gtk_label_set_label (self->count_label, _("Reading the audit log…"));
      return;
    }

  update_users (self);
  count = g_strdup_printf (ngettext ("%u change", "%u changes", n), n);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
on_loading_cb (DbwAuditWindow *self)
{
  update_view (self);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_list_item_set_child (list_item, label);
}

/* "2026-11-23T18:04:11.123Z" → local "2026-11-23 19:04". */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso != NULL ? iso : "");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  DbwAuditEntry *entry = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_TIME:
      text = format_time (dbw_audit_entry_get (entry, DBW_AUDIT_FIELD_MODIFIED_AT));
      break;
    case COLUMN_KIND:
      text = g_strdup (dbw_audit_target_kind_title (dbw_audit_entry_get (entry, DBW_AUDIT_FIELD_TARGET_TABLE)));
      break;
    case COLUMN_TARGET:
      text = g_strdup (dbw_audit_entry_get (entry, DBW_AUDIT_FIELD_TARGET_ID));
      break;
    case COLUMN_CHANGE:
      text = dbw_audit_entry_dup_summary (entry);
      break;
    case COLUMN_REASON:
      text = g_strdup (dbw_audit_entry_get (entry, DBW_AUDIT_FIELD_REASON));
      break;
    case COLUMN_USER:
      text = g_strdup (dbw_audit_entry_get (entry, DBW_AUDIT_FIELD_MODIFIED_BY));
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text != NULL && text[0] != '\0' ? text : NULL);
}

static void
add_column (DbwAuditWindow *self,
            const char     *title,
            Column          column,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
dbw_audit_window_dispose (GObject *object)
{
  DbwAuditWindow *self = (DbwAuditWindow *) object;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbw_audit_window_parent_class)->dispose (object);
}

static void
dbw_audit_window_finalize (GObject *object)
{
  DbwAuditWindow *self = (DbwAuditWindow *) object;

  g_strfreev (self->users);

  G_OBJECT_CLASS (dbw_audit_window_parent_class)->finalize (object);
}

static void
dbw_audit_window_class_init (DbwAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_audit_window_dispose;
  object_class->finalize = dbw_audit_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, user_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, time_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, DbwAuditWindow, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
dbw_audit_window_init (DbwAuditWindow *self)
{
  g_autoptr(GtkStringList) everyone = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (everyone, _("Everyone"));
  self->updating_users = TRUE;
  gtk_drop_down_set_model (self->user_dropdown, G_LIST_MODEL (everyone));
  self->updating_users = FALSE;

  add_column (self, _("Time"), COLUMN_TIME, FALSE);
  add_column (self, _("Kind"), COLUMN_KIND, FALSE);
  add_column (self, _("Target"), COLUMN_TARGET, FALSE);
  add_column (self, _("Change"), COLUMN_CHANGE, TRUE);
  add_column (self, _("Reason"), COLUMN_REASON, TRUE);
  add_column (self, _("By"), COLUMN_USER, FALSE);
}

DbwAuditWindow *
dbw_audit_window_new (GtkWindow *parent,
                      DbwStore  *store)
{
  DbwAuditWindow *self;
  g_autoptr(GtkSingleSelection) selection = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_AUDIT_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->model = dbw_audit_model_new (store);
  g_signal_connect_swapped (self->model, "notify::loading", G_CALLBACK (on_loading_cb), self);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  apply_filters (self);
  update_view (self);
  return self;
}

DbwStore *
dbw_audit_window_get_store (DbwAuditWindow *self)
{
  g_return_val_if_fail (DBW_IS_AUDIT_WINDOW (self), NULL);

  return self->store;
}

GListModel *
dbw_audit_window_get_model (DbwAuditWindow *self)
{
  g_return_val_if_fail (DBW_IS_AUDIT_WINDOW (self), NULL);

  return G_LIST_MODEL (self->model);
}

gboolean
dbw_audit_window_get_loading (DbwAuditWindow *self)
{
  g_return_val_if_fail (DBW_IS_AUDIT_WINDOW (self), FALSE);

  return self->model != NULL && dbw_audit_model_get_loading (self->model);
}

void
dbw_audit_window_set_target_kind (DbwAuditWindow *self,
                                  const char     *target_table)
{
  g_return_if_fail (DBW_IS_AUDIT_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (kind_tables); i++)
    if (g_strcmp0 (kind_tables[i], target_table) == 0)
      gtk_drop_down_set_selected (self->kind_dropdown, i);
}

void
dbw_audit_window_set_user (DbwAuditWindow *self,
                           const char     *user)
{
  g_return_if_fail (DBW_IS_AUDIT_WINDOW (self));

  if (user == NULL)
    {
      gtk_drop_down_set_selected (self->user_dropdown, 0);
      return;
    }
  for (guint i = 0; self->users != NULL && self->users[i] != NULL; i++)
    if (g_strcmp0 (self->users[i], user) == 0)
      gtk_drop_down_set_selected (self->user_dropdown, i + 1);
}

void
dbw_audit_window_set_search_text (DbwAuditWindow *self,
                                  const char     *text)
{
  g_return_if_fail (DBW_IS_AUDIT_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Now rather than after the entry's typing delay. */
  apply_filters (self);
}

void
dbw_audit_window_set_range (DbwAuditWindow *self,
                            DbwAuditRange   range)
{
  g_return_if_fail (DBW_IS_AUDIT_WINDOW (self));

  gtk_drop_down_set_selected (self->time_dropdown, range);
}
