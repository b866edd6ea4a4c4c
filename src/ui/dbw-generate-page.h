/* dbw-generate-page.h
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

#include "dbw-page.h"

G_BEGIN_DECLS

#define DBW_TYPE_GENERATE_PAGE (dbw_generate_page_get_type ())

G_DECLARE_FINAL_TYPE (DbwGeneratePage, dbw_generate_page, DBW, GENERATE_PAGE, DbwPage)

gboolean dbw_generate_page_select_from_sheet (DbwGeneratePage *self,
                                              const char      *sheet_id);

G_END_DECLS
