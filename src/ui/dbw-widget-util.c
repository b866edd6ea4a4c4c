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
