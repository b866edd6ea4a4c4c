/* dbw-governance.h
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
#include "dbw-store.h"

G_BEGIN_DECLS

/* The dual gate: a Q&A pair (or canonical label) may be used for purpose U only if its
 * status is labeled, U is in its allowed_uses and U is not in its prohibited_uses. Every
 * way out of the project (train and evaluation export, Example Store sync, DSPy export,
 * object-detection sets, label exports) asks dbw_governance_check*(); nothing else decides it.
 *
 * When several reasons hold, the verdict names the first of: not labeled, prohibited,
 * not allowed. Lists that cannot be read fail closed: a malformed prohibited_uses
 * prohibits every use, a malformed allowed_uses allows none. */
typedef enum
{
  DBW_GATE_PASS,
  DBW_GATE_NOT_LABELED,   /* status unlabeled, rejected or flagged */
  DBW_GATE_PROHIBITED,    /* U ∈ prohibited_uses */
  DBW_GATE_NOT_ALLOWED,   /* U ∉ allowed_uses */
} DbwGateVerdict;

DbwGateVerdict dbw_governance_check      (DbwQaStatus          status,
                                          const char * const  *allowed_uses,
                                          const char * const  *prohibited_uses,
                                          const char          *use);
/* The same decision on the lists as stored: JSON arrays of strings ('["training"]'). */
DbwGateVerdict dbw_governance_check_json (DbwQaStatus          status,
                                          const char          *allowed_uses_json,
                                          const char          *prohibited_uses_json,
                                          const char          *use);
/* A canonical label is labeled by being there. */
#define dbw_governance_check_label(allowed, prohibited, use) \
  dbw_governance_check ((DBW_QA_STATUS_LABELED), (allowed), (prohibited), (use))

/* "Prohibited for training", … — translated, for summaries and tooltips. */
const char    *dbw_gate_verdict_describe (DbwGateVerdict       verdict,
                                          const char          *use);

/* Changing usage constraints, one target or many in one transaction. Every change writes
 * a usage_constraint_audit row (the schema's triggers) naming the reason, the user of the
 * store and the time; a change without a reason is refused. */

#define DBW_GOVERNANCE_ERROR (dbw_governance_error_quark ())

typedef enum
{
  DBW_GOVERNANCE_ERROR_NO_REASON,  /* a constraint change needs a reason */
  DBW_GOVERNANCE_ERROR_INVALID,    /* unknown use, a use both allowed and prohibited… */
  DBW_GOVERNANCE_ERROR_NOT_FOUND,  /* an id that names no row */
} DbwGovernanceError;

GQuark dbw_governance_error_quark (void);

typedef enum
{
  DBW_GOVERNANCE_TARGET_QA_PAIR,
  DBW_GOVERNANCE_TARGET_CANONICAL_LABEL,
} DbwGovernanceTarget;

/* What a change does to one use; KEEP leaves each target as it is, so a bulk change can
 * prohibit training on 500 pairs without touching their other uses. */
typedef enum
{
  DBW_USE_STATE_KEEP,
  DBW_USE_STATE_ALLOWED,
  DBW_USE_STATE_PROHIBITED,
  DBW_USE_STATE_NEITHER,
} DbwUseState;

#define DBW_N_USES 5

typedef struct
{
  DbwUseState  uses[DBW_N_USES];  /* in the order of dbw_use_all () */
  int          classification;    /* a DbwDataClassification, or -1 to keep */
  const char  *reason;            /* required */
} DbwConstraintChange;

void    dbw_constraint_change_init  (DbwConstraintChange        *change);

/* Returns how many targets changed (a target the change leaves as it was is not written
 * and gets no audit row), -1 on error with nothing changed. */
gint64  dbw_governance_apply        (DbwStore                   *store,
                                     DbwGovernanceTarget         target,
                                     const char * const         *ids,
                                     const DbwConstraintChange  *change,
                                     GError                    **error);
/* The same in a worker on its own connection, for bulk changes from the UI. */
void    dbw_governance_apply_async  (DbwStore                   *store,
                                     DbwGovernanceTarget         target,
                                     const char * const         *ids,
                                     const DbwConstraintChange  *change,
                                     GCancellable               *cancellable,
                                     GAsyncReadyCallback         callback,
                                     gpointer                    user_data);
gint64  dbw_governance_apply_finish (DbwStore                   *store,
                                     GAsyncResult               *result,
                                     GError                    **error);

G_END_DECLS
