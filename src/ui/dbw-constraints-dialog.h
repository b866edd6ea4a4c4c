/* dbw-constraints-dialog.h
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

#include "dbw-governance.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_CONSTRAINTS_DIALOG (dbw_constraints_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DbwConstraintsDialog, dbw_constraints_dialog, DBW, CONSTRAINTS_DIALOG, AdwWindow)

/* Edits the usage constraints of one Q&A pair or canonical label (showing what it has), or
 * of many (every use starts at "Keep"). Apply writes through dbw_governance_apply_async(),
 * emits ::applied with the number of targets changed, and closes. */
DbwConstraintsDialog *dbw_constraints_dialog_new             (GtkWindow            *parent,
                                                              DbwStore             *store,
                                                              DbwGovernanceTarget   target,
                                                              const char * const   *ids);
guint                 dbw_constraints_dialog_get_n_targets   (DbwConstraintsDialog *self);
gboolean              dbw_constraints_dialog_get_busy        (DbwConstraintsDialog *self);
DbwUseState           dbw_constraints_dialog_get_use_state   (DbwConstraintsDialog *self,
                                                              guint                 use_index);
void                  dbw_constraints_dialog_set_use_state   (DbwConstraintsDialog *self,
                                                              guint                 use_index,
                                                              DbwUseState           state);
/* A DbwDataClassification, or -1 for "Keep" (many targets only). */
int                   dbw_constraints_dialog_get_classification (DbwConstraintsDialog *self);
void                  dbw_constraints_dialog_set_classification (DbwConstraintsDialog *self,
                                                                 int                   classification);
void                  dbw_constraints_dialog_set_reason      (DbwConstraintsDialog *self,
                                                              const char           *reason);

G_END_DECLS
