/* dbw-sidebar-row.c
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

#define G_LOG_DOMAIN "dbw-sidebar-row"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-page.h"
#include "dbw-sidebar-row.h"

struct _DbwSidebarRow
{
  GtkListBoxRow  parent_instance;

  char          *page_name;
  char          *title;
  gint64         count;

  GtkImage      *image;
  GtkLabel      *label;
  GtkLabel      *badge;
};

G_DEFINE_FINAL_TYPE (DbwSidebarRow, dbw_sidebar_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_PAGE_NAME,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
update_badge (DbwSidebarRow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->badge), self->count > 0);

  if (self->count <= 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  text = dbw_format_count (self->count);
  gtk_label_set_label (self->badge, text);

  /* Translators: read by screen readers after a sidebar entry, e.g. "Data, 3 items" */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s item", "%s items", self->count), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
dbw_sidebar_row_dispose (GObject *object)
{
  DbwSidebarRow *self = (DbwSidebarRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_SIDEBAR_ROW);

  G_OBJECT_CLASS (dbw_sidebar_row_parent_class)->dispose (object);
}

static void
dbw_sidebar_row_finalize (GObject *object)
{
  DbwSidebarRow *self = (DbwSidebarRow *)object;

  g_clear_pointer (&self->page_name, g_free);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (dbw_sidebar_row_parent_class)->finalize (object);
}

static void
dbw_sidebar_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DbwSidebarRow *self = DBW_SIDEBAR_ROW (object);

  switch (prop_id)
    {
    case PROP_PAGE_NAME:
      g_value_set_string (value, self->page_name);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, gtk_image_get_icon_name (self->image));
      break;

    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_sidebar_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DbwSidebarRow *self = DBW_SIDEBAR_ROW (object);

  switch (prop_id)
    {
    case PROP_PAGE_NAME:
      self->page_name = g_value_dup_string (value);
      break;

    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      gtk_label_set_label (self->label, self->title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                      -1);
      break;

    case PROP_ICON_NAME:
      gtk_image_set_from_icon_name (self->image, g_value_get_string (value));
      break;

    case PROP_COUNT:
      dbw_sidebar_row_set_count (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_sidebar_row_class_init (DbwSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_sidebar_row_dispose;
  object_class->finalize = dbw_sidebar_row_finalize;
  object_class->get_property = dbw_sidebar_row_get_property;
  object_class->set_property = dbw_sidebar_row_set_property;

  properties [PROP_PAGE_NAME] =
    g_param_spec_string ("page-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COUNT] =
    g_param_spec_int64 ("count", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwSidebarRow, image);
  gtk_widget_class_bind_template_child (widget_class, DbwSidebarRow, label);
  gtk_widget_class_bind_template_child (widget_class, DbwSidebarRow, badge);
}

static void
dbw_sidebar_row_init (DbwSidebarRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dbw_sidebar_row_new (const char *page_name,
                     const char *title,
                     const char *icon_name)
{
  return g_object_new (DBW_TYPE_SIDEBAR_ROW,
                       "page-name", page_name,
                       "title", title,
                       "icon-name", icon_name,
                       NULL);
}

const char *
dbw_sidebar_row_get_page_name (DbwSidebarRow *self)
{
  g_return_val_if_fail (DBW_IS_SIDEBAR_ROW (self), NULL);

  return self->page_name;
}

const char *
dbw_sidebar_row_get_title (DbwSidebarRow *self)
{
  g_return_val_if_fail (DBW_IS_SIDEBAR_ROW (self), NULL);

  return self->title;
}

gint64
dbw_sidebar_row_get_count (DbwSidebarRow *self)
{
  g_return_val_if_fail (DBW_IS_SIDEBAR_ROW (self), 0);

  return self->count;
}

void
dbw_sidebar_row_set_count (DbwSidebarRow *self,
                           gint64         count)
{
  g_return_if_fail (DBW_IS_SIDEBAR_ROW (self));

  count = MAX (count, 0);
  if (self->count == count)
    return;

  self->count = count;
  update_badge (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COUNT]);
}
