/* dbw-label-suggestions.h
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

#include <gio/gio.h>

#include "dbw-enums.h"
#include "dbw-shapes.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* Pre-annotations (table label_suggestions): shapes or answers imported from other tools or
 * models, shown as suggestions in the Canonical Labeling Tool until the labeler accepts or fixes
 * them. They never count as labels and never reach an export. */

gboolean     dbw_label_suggestions_add         (DbwStore      *store,
                                                const char    *sheet_id,
                                                const char    *item_ref,
                                                DbwLabelType   label_type,
                                                const char    *label_data,
                                                const char    *source,
                                                GError       **error);
/* (transfer full) (nullable): every source's object_detection suggestions for the item merged
 * into one set, each shape marked suggested; %NULL without error when there are none. */
DbwShapeSet *dbw_label_suggestions_load_shapes (DbwStore      *store,
                                                const char    *sheet_id,
                                                const char    *item_ref,
                                                int            image_width,
                                                int            image_height,
                                                GError       **error);
/* (transfer full) (nullable): the newest suggestion's label_data for a non-image label type. */
char        *dbw_label_suggestions_lookup      (DbwStore      *store,
                                                const char    *sheet_id,
                                                const char    *item_ref,
                                                DbwLabelType   label_type,
                                                GError       **error);
/* After the labeler saved the label: the item's suggestions of that type are done. */
gboolean     dbw_label_suggestions_dismiss     (DbwStore      *store,
                                                const char    *sheet_id,
                                                const char    *item_ref,
                                                DbwLabelType   label_type,
                                                GError       **error);
gint64       dbw_label_suggestions_count_items (DbwStore      *store,
                                                const char    *sheet_id,
                                                DbwLabelType   label_type,
                                                GError       **error);

G_END_DECLS
