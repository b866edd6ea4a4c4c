/* dbw-schema.h
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

G_BEGIN_DECLS

/* "DBW1" read as a big-endian integer: PRAGMA application_id of every project file. */
#define DBW_APPLICATION_ID 0x44425731

typedef struct
{
  int         version;
  const char *description;
  const char *sql;
} DbwMigration;

const DbwMigration *_dbw_schema_get_migrations (guint *n_migrations);
int                 _dbw_schema_get_latest     (void);

G_END_DECLS
