/* dbw-governance-private.h
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

#include "dbw-governance.h"

G_BEGIN_DECLS

int      _dbw_governance_restrict_item         (DbwStore              *store,
                                                const char            *item_id,
                                                const char * const    *prohibited_uses,
                                                DbwDataClassification  classification,
                                                const char            *reason,
                                                gboolean               carry,
                                                GError               **error);
gboolean _dbw_governance_sheet_has_dependents  (DbwStore              *store,
                                                const char            *sheet_id,
                                                gboolean              *has_dependents,
                                                GError               **error);

G_END_DECLS
