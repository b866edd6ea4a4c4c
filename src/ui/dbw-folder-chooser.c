/* dbw-folder-chooser.c
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

#include <glib/gi18n.h>

#include "dbw-folder-chooser.h"

/* A modal folder chooser for the dialogs that write into a folder (export, fine-tune).
 * GtkFileChooserNative goes through the portal in the Flatpak, which sees no home folder. */

/* A function pointer cannot travel as object data in ISO C: it goes in a box. */
typedef struct
{
  DbwFolderChosenFunc chosen;
} Chosen;

static void
on_response_cb (GtkNativeDialog *chooser,
                int              response,
                gpointer         owner)
{
  DbwFolderChosenFunc chosen = ((Chosen *) g_object_get_data (G_OBJECT (chooser), "chosen"))->chosen;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (folder != NULL)
        chosen (owner, folder);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/**
 * dbw_choose_folder:
 * @current: (nullable): the folder to open the chooser at
 * @owner: a #GObject; @chosen is not called once it is finalized
 */
void
dbw_choose_folder (GtkWindow           *parent,
                   const char          *title,
                   GFile               *current,
                   DbwFolderChosenFunc  chosen,
                   gpointer             owner)
{
  GtkFileChooserNative *chooser;
  Chosen *box;

  g_return_if_fail (chosen != NULL);
  g_return_if_fail (G_IS_OBJECT (owner));

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (current != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), current, NULL);
  box = g_new (Chosen, 1);
  box->chosen = chosen;
  g_object_set_data_full (G_OBJECT (chooser), "chosen", box, g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_response_cb), owner, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
