/* dbw-item-preview.h
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

#include "dbw-item.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_ITEM_PREVIEW (dbw_item_preview_get_type ())

G_DECLARE_FINAL_TYPE (DbwItemPreview, dbw_item_preview, DBW, ITEM_PREVIEW, GtkWidget)

GtkWidget  *dbw_item_preview_new       (void);
void        dbw_item_preview_set_item  (DbwItemPreview *self,
                                        DbwStore       *store,
                                        DbwItem        *item);
void        dbw_item_preview_set_item_with_content (DbwItemPreview *self,
                                                    DbwStore       *store,
                                                    DbwItem        *item,
                                                    GBytes         *content);
DbwItem    *dbw_item_preview_get_item  (DbwItemPreview *self);
const char *dbw_item_preview_get_mode  (DbwItemPreview *self);

G_END_DECLS
