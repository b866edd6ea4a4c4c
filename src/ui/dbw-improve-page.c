/* dbw-improve-page.c
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

#define G_LOG_DOMAIN "dbw-improve-page"

#include "config.h"

#include "dbw-improve-page.h"

/* Until this stage's own issue lands, the page explains what the stage is for and what
 * comes before it, with a button to get there. */

struct _DbwImprovePage
{
  DbwPage parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwImprovePage, dbw_improve_page, DBW_TYPE_PAGE)

static void
dbw_improve_page_class_init (DbwImprovePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-improve-page.ui");
}

static void
dbw_improve_page_init (DbwImprovePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
