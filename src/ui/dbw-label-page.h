/* dbw-label-page.h
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
#include "dbw-qa-pair.h"
#include "dbw-review.h"

G_BEGIN_DECLS

#define DBW_TYPE_LABEL_PAGE (dbw_label_page_get_type ())

G_DECLARE_FINAL_TYPE (DbwLabelPage, dbw_label_page, DBW, LABEL_PAGE, DbwPage)

DbwQaPair  *dbw_label_page_get_pair              (DbwLabelPage *self);
guint       dbw_label_page_get_position          (DbwLabelPage *self);
GListModel *dbw_label_page_get_queue             (DbwLabelPage *self);
DbwReview  *dbw_label_page_get_review            (DbwLabelPage *self);
gboolean    dbw_label_page_select_training_sheet (DbwLabelPage *self,
                                                  const char   *training_sheet_id);
void        dbw_label_page_set_status_filter     (DbwLabelPage *self,
                                                  const char   *status);

G_END_DECLS
