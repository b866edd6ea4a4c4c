/* dbw-link-dialog.c
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

#define G_LOG_DOMAIN "dbw-link-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dbw-link-dialog.h"
#include "dbw-sync-journal.h"

/* Asks for the catalog and schema to link a project to. Both must be plain identifiers,
 * which Unity Catalog takes without quoting; anything else is pointed out as it is typed. */

struct _DbwLinkDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *catalog_row;
  AdwEntryRow      *schema_row;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (DbwLinkDialog, dbw_link_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The rule of dbw_sync_parse_target(), per field, so the wrong one is the one marked. */
static gboolean
is_identifier (const char *name)
{
  if (strlen (name) > 255)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Returns: whether the row holds a name; an invalid one is marked */
static gboolean
check_row (AdwEntryRow *row,
           gboolean    *invalid)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  gboolean ok = is_identifier (text);

  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      *invalid = TRUE;
    }

  return ok && text[0] != '\0';
}

static void
on_changed_cb (DbwLinkDialog *self,
               GtkEditable   *editable)
{
  gboolean invalid = FALSE;
  gboolean catalog_ok = check_row (self->catalog_row, &invalid);
  gboolean schema_ok = check_row (self->schema_row, &invalid);

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), invalid);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "link", catalog_ok && schema_ok);
}

static void
dbw_link_dialog_class_init (DbwLinkDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-link-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwLinkDialog, catalog_row);
  gtk_widget_class_bind_template_child (widget_class, DbwLinkDialog, schema_row);
  gtk_widget_class_bind_template_child (widget_class, DbwLinkDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
dbw_link_dialog_init (DbwLinkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->catalog_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->schema_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
}

DbwLinkDialog *
dbw_link_dialog_new (GtkWindow *parent)
{
  return g_object_new (DBW_TYPE_LINK_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

/**
 * dbw_link_dialog_set_target:
 * @target: (nullable): "catalog.schema", or only a catalog, to start from
 */
void
dbw_link_dialog_set_target (DbwLinkDialog *self,
                            const char    *target)
{
  g_auto(GStrv) parts = NULL;

  g_return_if_fail (DBW_IS_LINK_DIALOG (self));

  parts = g_strsplit (target != NULL ? target : "", ".", 2);
  gtk_editable_set_text (GTK_EDITABLE (self->catalog_row), parts[0] != NULL ? parts[0] : "");
  gtk_editable_set_text (GTK_EDITABLE (self->schema_row), parts[0] != NULL && parts[1] != NULL ? parts[1] : "");
}

/* Returns: (transfer full) (nullable): "catalog.schema", or %NULL while either is not valid */
char *
dbw_link_dialog_dup_target (DbwLinkDialog *self)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (DBW_IS_LINK_DIALOG (self), NULL);

  target = g_strdup_printf ("%s.%s",
                            gtk_editable_get_text (GTK_EDITABLE (self->catalog_row)),
                            gtk_editable_get_text (GTK_EDITABLE (self->schema_row)));

  return dbw_sync_parse_target (target, NULL, NULL, NULL) ? g_steal_pointer (&target) : NULL;
}
