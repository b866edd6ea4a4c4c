/* dbw-generate-page.c
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

#define G_LOG_DOMAIN "dbw-generate-page"

#include "config.h"

#include "dbw-generate-page.h"

/* Until this stage's own issue lands, the page explains what the stage is for and what
 * comes before it, with a button to get there. */

struct _DbwGeneratePage
{
  DbwPage parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwGeneratePage, dbw_generate_page, DBW_TYPE_PAGE)

static void
dbw_generate_page_class_init (DbwGeneratePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-generate-page.ui");
}

static void
dbw_generate_page_init (DbwGeneratePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
