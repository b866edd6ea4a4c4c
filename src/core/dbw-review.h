/* dbw-review.h
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

#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_REVIEW_ERROR (dbw_review_error_quark ())

typedef enum
{
  DBW_REVIEW_ERROR_NOT_FOUND,      /* the pair (or its training sheet) no longer exists */
  DBW_REVIEW_ERROR_INVALID,        /* e.g. an empty edit, a reject without reason */
  DBW_REVIEW_ERROR_NOTHING_TO_UNDO,
  DBW_REVIEW_ERROR_CONFLICT,       /* the pair changed since the decision being undone */
  DBW_REVIEW_ERROR_BUSY,           /* a decision, undo or redo runs in the background */
} DbwReviewError;

typedef enum
{
  DBW_REVIEW_DECISION_APPROVE,
  DBW_REVIEW_DECISION_EDIT,
  DBW_REVIEW_DECISION_REJECT,
  DBW_REVIEW_DECISION_FLAG,
} DbwReviewDecision;

#define DBW_TYPE_REVIEW (dbw_review_get_type ())

G_DECLARE_FINAL_TYPE (DbwReview, dbw_review, DBW, REVIEW, GObject)

/* Mode A: one reviewer's decisions on Q&A pairs. Every decision (and every undo and redo) is its
 * own committed transaction on the store's connection, stamped with dbw_store_get_user() and the
 * time. Approving or editing a pair whose template has a label_type creates the canonical label
 * for (sheet, item_ref, label_type), or bumps its version when one exists, and links the pair to
 * it. Undo restores the pair exactly as it was and puts the canonical label back (deleted when the
 * decision created it, a new version with the old content when it updated it).
 *
 * Properties: "store" (construct-only), "can-undo", "can-redo" (notify), "undo-description",
 * "redo-description" (translated, e.g. "Undo Approve"), "busy" and "progress" (0–1) while an
 * _async decision, undo or redo runs. Signal "decided" (const char *pair_id) after every
 * decision, undo and redo, once per pair touched.
 *
 * The _async variants run in a worker on a connection of their own, for steps of many pairs;
 * while one runs, every other decision, undo or redo fails with DBW_REVIEW_ERROR_BUSY. */

GQuark      dbw_review_error_quark     (void);

DbwReview  *dbw_review_new             (DbwStore            *store);
DbwStore   *dbw_review_get_store       (DbwReview           *self);

gboolean    dbw_review_approve         (DbwReview           *self,
                                        const char          *pair_id,
                                        GError             **error);
/* Replaces the last assistant message's content (appends one when the pair has none, as manual
 * pairs do) and marks the pair labeled, as approve does. */
gboolean    dbw_review_edit            (DbwReview           *self,
                                        const char          *pair_id,
                                        const char          *assistant_content,
                                        GError             **error);
gboolean    dbw_review_reject          (DbwReview           *self,
                                        const char          *pair_id,
                                        const char          *reason,
                                        GError             **error);
gboolean    dbw_review_flag            (DbwReview           *self,
                                        const char          *pair_id,
                                        const char          *note,
                                        GError             **error);
/* One transaction and one undo step for all @pair_ids. @note is the reason or note for reject
 * and flag; EDIT is not a bulk decision. */
gboolean    dbw_review_apply_bulk      (DbwReview           *self,
                                        const char * const  *pair_ids,
                                        DbwReviewDecision    decision,
                                        const char          *note,
                                        GError             **error);

void        dbw_review_apply_bulk_async  (DbwReview           *self,
                                          const char * const  *pair_ids,
                                          DbwReviewDecision    decision,
                                          const char          *note,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    dbw_review_apply_bulk_finish (DbwReview           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
gboolean    dbw_review_get_busy        (DbwReview           *self);
double      dbw_review_get_progress    (DbwReview           *self);

gboolean    dbw_review_get_can_undo    (DbwReview           *self);
gboolean    dbw_review_get_can_redo    (DbwReview           *self);
const char *dbw_review_get_undo_description (DbwReview      *self);
const char *dbw_review_get_redo_description (DbwReview      *self);
/* @pair_id: (out) (optional) (transfer full): the (first) pair the step touched, so the view
 * can show it. */
gboolean    dbw_review_undo            (DbwReview           *self,
                                        char               **pair_id,
                                        GError             **error);
gboolean    dbw_review_redo            (DbwReview           *self,
                                        char               **pair_id,
                                        GError             **error);
void        dbw_review_undo_async      (DbwReview           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    dbw_review_undo_finish     (DbwReview           *self,
                                        GAsyncResult        *result,
                                        char               **pair_id,
                                        GError             **error);
void        dbw_review_redo_async      (DbwReview           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    dbw_review_redo_finish     (DbwReview           *self,
                                        GAsyncResult        *result,
                                        char               **pair_id,
                                        GError             **error);
/* How many pairs the step undo (redo) would take back (make again) touches; 0 for none. */
guint       dbw_review_get_undo_n_pairs (DbwReview          *self);
guint       dbw_review_get_redo_n_pairs (DbwReview          *self);

/* The canonical label_data for an assistant answer: the JSON itself when the text is a JSON
 * object or array, otherwise the text as a JSON string. The inverse of
 * dbw_pair_builder_label_content(). */
char       *dbw_review_label_data_for_content (const char   *assistant_content);

G_END_DECLS
