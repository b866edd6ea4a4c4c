/* dbw-audit-entry.h
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

G_BEGIN_DECLS

#define DBW_TYPE_AUDIT_ENTRY (dbw_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (DbwAuditEntry, dbw_audit_entry, DBW, AUDIT_ENTRY, GObject)

/* One row of usage_constraint_audit, read only: who changed which uses of what, when and why. */
typedef enum
{
  DBW_AUDIT_FIELD_ID,
  DBW_AUDIT_FIELD_TARGET_TABLE,
  DBW_AUDIT_FIELD_TARGET_ID,
  DBW_AUDIT_FIELD_OLD_ALLOWED_USES,
  DBW_AUDIT_FIELD_NEW_ALLOWED_USES,
  DBW_AUDIT_FIELD_OLD_PROHIBITED_USES,
  DBW_AUDIT_FIELD_NEW_PROHIBITED_USES,
  DBW_AUDIT_FIELD_OLD_CLASSIFICATION,
  DBW_AUDIT_FIELD_NEW_CLASSIFICATION,
  DBW_AUDIT_FIELD_REASON,
  DBW_AUDIT_FIELD_MODIFIED_BY,
  DBW_AUDIT_FIELD_MODIFIED_AT,
  DBW_AUDIT_N_FIELDS
} DbwAuditField;

/* @values: DBW_AUDIT_N_FIELDS strings (each may be NULL), in the order of DbwAuditField. */
DbwAuditEntry *dbw_audit_entry_new             (const char * const *values);
const char    *dbw_audit_entry_get             (DbwAuditEntry      *self,
                                                DbwAuditField       field);
/* "Training: allowed → prohibited; Confidential → Public", translated. */
char          *dbw_audit_entry_dup_summary     (DbwAuditEntry      *self);
/* "Q&A pair", "Canonical label", "Item". */
const char    *dbw_audit_target_kind_title     (const char         *target_table);

G_END_DECLS
