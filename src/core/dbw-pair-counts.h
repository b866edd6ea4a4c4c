/* dbw-pair-counts.h
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

#include "dbw-store.h"

G_BEGIN_DECLS

/* What a Training Sheet holds, by review status and by how each pair was made. */
typedef struct
{
  gint64 total;
  gint64 unlabeled;
  gint64 labeled;
  gint64 rejected;
  gint64 flagged;
  gint64 ai_generated;
  gint64 manual;
  gint64 existing_column;
  gint64 canonical;
} DbwPairCounts;

/* Fills @counts for every training sheet at once: training sheet id → DbwPairCounts. */
GHashTable *dbw_pair_counts_by_training_sheet (DbwStore       *store,
                                               GError        **error);
gboolean    dbw_pair_counts_for_training_sheet (DbwStore      *store,
                                                const char    *training_sheet_id,
                                                DbwPairCounts *counts,
                                                GError       **error);

G_END_DECLS
