/* dbw-sync-indicator.h
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

#include <gtk/gtk.h>

#include "dbw-sync-service.h"

G_BEGIN_DECLS

#define DBW_TYPE_SYNC_INDICATOR (dbw_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (DbwSyncIndicator, dbw_sync_indicator, DBW, SYNC_INDICATOR, GtkWidget)

GtkWidget      *dbw_sync_indicator_new         (void);
DbwSyncService *dbw_sync_indicator_get_service (DbwSyncIndicator *self);
void            dbw_sync_indicator_set_service (DbwSyncIndicator *self,
                                                DbwSyncService   *service);
const char     *dbw_sync_indicator_get_problem (DbwSyncIndicator *self);
void            dbw_sync_indicator_set_problem (DbwSyncIndicator *self,
                                                const char       *problem);
const char     *dbw_sync_indicator_get_summary (DbwSyncIndicator *self);
const char     *dbw_sync_indicator_get_details (DbwSyncIndicator *self);

G_END_DECLS
