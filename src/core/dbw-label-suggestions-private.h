/* dbw-label-suggestions-private.h
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

#include "dbw-label-suggestions.h"

G_BEGIN_DECLS

/* For bulk imports inside one transaction: no "changed" per row; the caller emits once.
 * A %NULL @label_data removes the source's suggestion for the item. */
gboolean _dbw_label_suggestions_put (DbwStore      *store,
                                     const char    *sheet_id,
                                     const char    *item_ref,
                                     DbwLabelType   label_type,
                                     const char    *label_data,
                                     const char    *source,
                                     GError       **error);

G_END_DECLS
