/* dbw-page.h
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

#pragma once

#include <adwaita.h>

#include "dbw-enums.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_PAGE (dbw_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (DbwPage, dbw_page, DBW, PAGE, GtkWidget)

struct _DbwPageClass
{
  GtkWidgetClass parent_class;

  /* Called after the page's store changed (it may be %NULL). */
  void (*store_changed) (DbwPage *self);

  /* An edit the user has not saved yet, described ("the label of “row_3”"), or %NULL. */
  char *   (*dup_unsaved)  (DbwPage *self);
  /* Saves it as the page's own Save would; %FALSE if it could not (the page says why). */
  gboolean (*save_unsaved) (DbwPage *self);

  /* The unsaved edit (transfer full), kept in the project as it is typed, or %NULL. */
  JsonObject *(*dup_draft)  (DbwPage    *self);
  /* Takes back the edit kept when the project was last open (after a crash, say); called
   * once the page shows the project. */
  void     (*restore_draft) (DbwPage    *self,
                             JsonObject *draft);

  gpointer _reserved[6];
};

DbwStore *dbw_page_get_store (DbwPage  *self);
gboolean  dbw_page_is_read_only (DbwPage *self);
char     *dbw_page_dup_unsaved  (DbwPage *self);
GtkWidget *dbw_unsaved_dialog_new (GtkWindow  *parent,
                                   const char *heading,
                                   const char *body,
                                   const char *keep_label);
gboolean  dbw_page_save_unsaved (DbwPage *self);
void      dbw_page_draft_changed (DbwPage *self);
void      dbw_page_discard_draft (DbwPage *self);
void      dbw_page_discard_draft_in (DbwPage  *self,
                                     DbwStore *store);
void      dbw_page_set_store (DbwPage  *self,
                              DbwStore *store);

char     *dbw_format_count   (gint64    count);

const char *dbw_label_type_describe      (DbwLabelType      label_type);
const char *dbw_template_status_describe (DbwTemplateStatus status);
char       *dbw_format_timestamp         (const char       *iso8601);

/* A list refreshes its records in place (see DbwQueryModel): a row follows its record. */
typedef void (*DbwListItemBindFunc) (GtkListItem *list_item,
                                     gpointer     user_data);

void dbw_list_item_follow   (GtkListItem         *list_item,
                             const char * const  *shown,
                             DbwListItemBindFunc  bind,
                             gpointer             user_data);
void dbw_list_item_unfollow (GtkListItem         *list_item);

G_END_DECLS
