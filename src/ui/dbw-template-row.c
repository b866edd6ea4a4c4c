/* dbw-template-row.c
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

#define G_LOG_DOMAIN "dbw-template-row"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-page.h"
#include "dbw-template-row.h"

/* A template in the library: its name and status, and under them its label type,
 * version and when it last changed. */

struct _DbwTemplateRow
{
  GtkWidget    parent_instance;

  DbwTemplate *template;

  GtkLabel    *name_label;
  GtkLabel    *status_label;
  GtkLabel    *details_label;
};

G_DEFINE_FINAL_TYPE (DbwTemplateRow, dbw_template_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
update (DbwTemplateRow *self)
{
  static const char * const statuses[] = { "draft", "published", "archived" };
  g_autofree char *details = NULL;
  g_autofree char *updated = NULL;
  DbwTemplateStatus status;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), statuses[i]);

  if (self->template == NULL)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->status_label, "");
      gtk_label_set_label (self->details_label, "");
      return;
    }

  status = dbw_template_get_status (self->template);
  updated = dbw_format_timestamp (dbw_template_get_updated_at (self->template));
  /* Translators: "Classification · v3 · Today 14:02" */
  details = g_strdup_printf (_("%s · v%" G_GINT64_FORMAT " · %s"),
                             dbw_label_type_describe (dbw_template_get_label_type (self->template)),
                             dbw_template_get_version (self->template), updated);

  gtk_label_set_label (self->name_label, dbw_template_get_name (self->template));
  gtk_label_set_label (self->status_label, dbw_template_status_describe (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), statuses[status]);
  gtk_label_set_label (self->details_label, details);
}

static void
dbw_template_row_dispose (GObject *object)
{
  DbwTemplateRow *self = (DbwTemplateRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_TEMPLATE_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->template);

  G_OBJECT_CLASS (dbw_template_row_parent_class)->dispose (object);
}

static void
dbw_template_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DbwTemplateRow *self = DBW_TEMPLATE_ROW (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_template_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DbwTemplateRow *self = DBW_TEMPLATE_ROW (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      dbw_template_row_set_template (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_template_row_class_init (DbwTemplateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_template_row_dispose;
  object_class->get_property = dbw_template_row_get_property;
  object_class->set_property = dbw_template_row_set_property;

  properties [PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL,
                         DBW_TYPE_TEMPLATE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-template-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateRow, details_label);
}

static void
dbw_template_row_init (DbwTemplateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DbwTemplate *
dbw_template_row_get_template (DbwTemplateRow *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_ROW (self), NULL);

  return self->template;
}

void
dbw_template_row_set_template (DbwTemplateRow *self,
                               DbwTemplate    *tmpl)
{
  g_return_if_fail (DBW_IS_TEMPLATE_ROW (self));
  g_return_if_fail (!tmpl || DBW_IS_TEMPLATE (tmpl));

  if (!g_set_object (&self->template, tmpl))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEMPLATE]);
}
