/* dbw-search.h
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

#include <glib.h>

#include "dbw-store.h"

G_BEGIN_DECLS

void  dbw_search_append_text  (GString    *out,
                               const char *fields_json,
                               gssize      fields_len,
                               const char *text_content);
char *dbw_search_text         (const char *fields_json,
                               const char *text_content);
char *dbw_search_make_query   (const char *user_text);

GPtrArray *dbw_search_items   (DbwStore    *store,
                               const char  *user_text,
                               const char  *sheet_id,
                               guint        limit,
                               GError     **error);

G_END_DECLS
