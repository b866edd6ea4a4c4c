/* dbw-audit-model.h
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

#include "dbw-audit-entry.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_AUDIT_MODEL (dbw_audit_model_get_type ())

G_DECLARE_FINAL_TYPE (DbwAuditModel, dbw_audit_model, DBW, AUDIT_MODEL, GObject)

/* The usage audit log as a GListModel of DbwAuditEntry, newest first. A worker finds the
 * matching rows; entries are read a page at a time as a list shows them, so a log of
 * 100,000 changes scrolls without loading them all. Reloads when the log changes. */
DbwAuditModel *dbw_audit_model_new          (DbwStore       *store);
/* Each filter may be NULL for "any". @text matches the target id or the reason (substring,
 * case-insensitive for ASCII); @since is an ISO 8601 UTC time like the stored ones. */
void           dbw_audit_model_set_filter   (DbwAuditModel  *self,
                                             const char     *target_table,
                                             const char     *user,
                                             const char     *text,
                                             const char     *since);
gboolean       dbw_audit_model_get_loading  (DbwAuditModel  *self);
/* Everyone who changed constraints, sorted, as of the last load. */
const char * const *dbw_audit_model_get_users (DbwAuditModel *self);

G_END_DECLS
