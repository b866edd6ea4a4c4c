/* dbw-usage-constraints.h
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

#include <glib-object.h>

#include "dbw-enums.h"

G_BEGIN_DECLS

/* Usage constraints a source imposes on the items that come from it: uses to prohibit,
 * the least classification they get, and why. Plain data with public fields. */
typedef struct
{
  char                  **prohibited_uses;
  DbwDataClassification   classification;
  char                   *reason;
} DbwUsageConstraints;

#define DBW_TYPE_USAGE_CONSTRAINTS (dbw_usage_constraints_get_type ())

GType                dbw_usage_constraints_get_type      (void) G_GNUC_CONST;
DbwUsageConstraints *dbw_usage_constraints_new           (const char * const        *prohibited_uses,
                                                          DbwDataClassification      classification,
                                                          const char                *reason);
DbwUsageConstraints *dbw_usage_constraints_new_from_tags (GHashTable                *tags);
DbwUsageConstraints *dbw_usage_constraints_copy          (const DbwUsageConstraints *self);
void                 dbw_usage_constraints_free          (DbwUsageConstraints       *self);

gboolean             dbw_tag_is_sensitive                (const char                *key,
                                                          const char                *value);
gboolean             dbw_tag_is_confidential             (const char                *key,
                                                          const char                *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwUsageConstraints, dbw_usage_constraints_free)

G_END_DECLS
