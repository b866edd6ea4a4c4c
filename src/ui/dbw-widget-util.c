/* dbw-widget-util.c
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

#include "config.h"

#include "dbw-widget-util.h"

/**
 * dbw_widget_set_editable:
 * @widget: a field of a form: an entry, an entry row, a text view, a switch, …
 *
 * Makes @widget take no changes, or take them again. Text stays readable, selectable and
 * copyable; what has no read-only mode of its own (a switch, a drop-down, a spin button,
 * whose arrows would still change it) is made insensitive instead.
 */
void
dbw_widget_set_editable (GtkWidget *widget,
                         gboolean   editable)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_TEXT_VIEW (widget))
    {
      gtk_text_view_set_editable (GTK_TEXT_VIEW (widget), editable);
      /* A blinking caret says "type here". */
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (widget), editable);
    }
  else if (GTK_IS_EDITABLE (widget) && !GTK_IS_SPIN_BUTTON (widget))
    gtk_editable_set_editable (GTK_EDITABLE (widget), editable);
  else
    gtk_widget_set_sensitive (widget, editable);
}

/**
 * dbw_toast_new_text:
 * @text: what the toast says, as it is
 *
 * An AdwToast reads its title as markup: a sheet called “R&D” or a message quoting
 * “<tag>” would leave it blank. This one shows @text as it is.
 *
 * Returns: (transfer full): a new toast
 */
AdwToast *
dbw_toast_new_text (const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);
  return adw_toast_new (escaped);
}

/**
 * dbw_status_page_set_description_text:
 * @text: (nullable): the description, as it is
 *
 * Sets the description of @page, which AdwStatusPage reads as markup, to show @text as
 * it is: an error message quoting a file called “R&D.pdf”, or “Q&A pairs”.
 */
void
dbw_status_page_set_description_text (AdwStatusPage *page,
                                      const char    *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  if (text != NULL)
    escaped = g_markup_escape_text (text, -1);
  adw_status_page_set_description (page, escaped);
}
