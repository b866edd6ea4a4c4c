/* dbw-widget-util.h
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

G_BEGIN_DECLS

void      dbw_widget_set_editable (GtkWidget  *widget,
                                   gboolean    editable);
AdwToast *dbw_toast_new_text      (const char *text);
void      dbw_status_page_set_description_text (AdwStatusPage *page,
                                                const char    *text);
void      dbw_drop_down_set_ellipsized (GtkDropDown *drop_down);

G_END_DECLS
