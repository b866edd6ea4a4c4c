/* dbw-uc-browse-list.h
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

#include "dbw-uc-entry.h"

G_BEGIN_DECLS

#define DBW_TYPE_UC_BROWSE_LIST (dbw_uc_browse_list_get_type ())

G_DECLARE_FINAL_TYPE (DbwUcBrowseList, dbw_uc_browse_list, DBW, UC_BROWSE_LIST, GtkWidget)

void              dbw_uc_browse_list_set_loading    (DbwUcBrowseList *self);
void              dbw_uc_browse_list_set_entries    (DbwUcBrowseList *self,
                                                     GPtrArray       *entries);
void              dbw_uc_browse_list_set_error      (DbwUcBrowseList *self,
                                                     const GError    *error);
void              dbw_uc_browse_list_set_empty_text (DbwUcBrowseList *self,
                                                     const char      *title,
                                                     const char      *description);
gboolean          dbw_uc_browse_list_get_loading    (DbwUcBrowseList *self);
const char       *dbw_uc_browse_list_get_state      (DbwUcBrowseList *self);
guint             dbw_uc_browse_list_get_n_shown    (DbwUcBrowseList *self);
GPtrArray        *dbw_uc_browse_list_get_entries    (DbwUcBrowseList *self);
void              dbw_uc_browse_list_set_search     (DbwUcBrowseList *self,
                                                     const char      *text);
gboolean          dbw_uc_browse_list_activate       (DbwUcBrowseList *self,
                                                     const char      *name);

G_END_DECLS
