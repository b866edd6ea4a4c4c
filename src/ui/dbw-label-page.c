/* dbw-label-page.c
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

#define G_LOG_DOMAIN "dbw-label-page"

#include "config.h"

#include "dbw-label-page.h"

/* Until this stage's own issue lands, the page explains what the stage is for and what
 * comes before it, with a button to get there. */

struct _DbwLabelPage
{
  DbwPage parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwLabelPage, dbw_label_page, DBW_TYPE_PAGE)

static void
dbw_label_page_class_init (DbwLabelPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-label-page.ui");
}

static void
dbw_label_page_init (DbwLabelPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
