/* dbw-pair-counter.h
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

#include "dbw-pair-counts.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_PAIR_COUNTER (dbw_pair_counter_get_type ())

G_DECLARE_FINAL_TYPE (DbwPairCounter, dbw_pair_counter, DBW, PAIR_COUNTER, GObject)

DbwPairCounter      *dbw_pair_counter_get_for_store (DbwStore       *store);
const DbwPairCounts *dbw_pair_counter_lookup        (DbwPairCounter *self,
                                                     const char     *training_sheet_id);
gboolean             dbw_pair_counter_get_counted   (DbwPairCounter *self);
void                 dbw_pair_counter_count         (DbwPairCounter *self);

G_END_DECLS
