/* dbw-audit-window.h
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

#include <adwaita.h>

#include "dbw-store.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_AUDIT_RANGE_DAY,
  DBW_AUDIT_RANGE_WEEK,
  DBW_AUDIT_RANGE_30_DAYS,
  DBW_AUDIT_RANGE_ALL,
} DbwAuditRange;

#define DBW_TYPE_AUDIT_WINDOW (dbw_audit_window_get_type ())

G_DECLARE_FINAL_TYPE (DbwAuditWindow, dbw_audit_window, DBW, AUDIT_WINDOW, AdwWindow)

/* The usage audit log of a project: every change of allowed or prohibited uses and of data
 * classification, newest first, filtered by target kind, user, text and time. */
DbwAuditWindow *dbw_audit_window_new             (GtkWindow      *parent,
                                                  DbwStore       *store);
DbwStore       *dbw_audit_window_get_store       (DbwAuditWindow *self);
/* A DbwAuditModel of DbwAuditEntry. */
GListModel     *dbw_audit_window_get_model       (DbwAuditWindow *self);
gboolean        dbw_audit_window_get_loading     (DbwAuditWindow *self);
/* The filters, as the widgets set them: @target_table "qa_pairs", "canonical_labels",
 * "items" or NULL; @user NULL for everyone. */
void            dbw_audit_window_set_target_kind (DbwAuditWindow *self,
                                                  const char     *target_table);
void            dbw_audit_window_set_user        (DbwAuditWindow *self,
                                                  const char     *user);
void            dbw_audit_window_set_search_text (DbwAuditWindow *self,
                                                  const char     *text);
void            dbw_audit_window_set_range       (DbwAuditWindow *self,
                                                  DbwAuditRange   range);

G_END_DECLS
