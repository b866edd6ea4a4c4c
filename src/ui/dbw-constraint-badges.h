/* dbw-constraint-badges.h
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

#include <gtk/gtk.h>

#include "dbw-enums.h"

G_BEGIN_DECLS

#define DBW_TYPE_CONSTRAINT_BADGES (dbw_constraint_badges_get_type ())

G_DECLARE_FINAL_TYPE (DbwConstraintBadges, dbw_constraint_badges, DBW, CONSTRAINT_BADGES, GtkWidget)

GtkWidget             *dbw_constraint_badges_new                (void);
DbwDataClassification  dbw_constraint_badges_get_classification (DbwConstraintBadges   *self);
void                   dbw_constraint_badges_set_classification (DbwConstraintBadges   *self,
                                                                 DbwDataClassification  classification);
const char * const    *dbw_constraint_badges_get_prohibited_uses (DbwConstraintBadges  *self);
void                   dbw_constraint_badges_set_prohibited_uses (DbwConstraintBadges  *self,
                                                                  const char * const   *uses);
/* Takes both from any record with "data-classification" and "prohibited-uses" (a Q&A
 * pair, a canonical label, an item); NULL shows nothing. */
void                   dbw_constraint_badges_set_record          (DbwConstraintBadges  *self,
                                                                  gpointer              record);
/* Quiet: an internal classification with nothing prohibited shows no pill (table cells). */
gboolean               dbw_constraint_badges_get_quiet           (DbwConstraintBadges  *self);
void                   dbw_constraint_badges_set_quiet           (DbwConstraintBadges  *self,
                                                                  gboolean              quiet);
/* What the badges say, for tests and the accessible description: "Confidential; prohibited
 * for training". */
char                  *dbw_constraint_badges_dup_text            (DbwConstraintBadges  *self);
GtkColumnViewColumn   *dbw_constraint_badges_new_column          (void);

G_END_DECLS
