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

static void
setup_string_label_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_string_label_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  user_data)
{
  GObject *item = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : "");
}

static GtkListItemFactory *
string_label_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_string_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_string_label_cb), NULL);
  return factory;
}

/**
 * dbw_drop_down_set_ellipsized:
 * @drop_down: a drop-down over a #GtkStringList
 *
 * Lets @drop_down's button shorten its choice with an ellipsis when space runs out, so a
 * bar of drop-downs with long names fits a narrow window; the list keeps them whole.
 */
void
dbw_drop_down_set_ellipsized (GtkDropDown *drop_down)
{
  g_autoptr(GtkListItemFactory) button = string_label_factory_new (TRUE);
  g_autoptr(GtkListItemFactory) list = string_label_factory_new (FALSE);

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  gtk_drop_down_set_factory (drop_down, button);
  gtk_drop_down_set_list_factory (drop_down, list);
}
