/* dbw-pair-builder.h
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
#include <json-glib/json-glib.h>

#include "dbw-canonical-label.h"
#include "dbw-enums.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-template.h"

G_BEGIN_DECLS

/* Turns items into Q&A pairs for one template and labeling mode; pure, no store, no model.
 *
 * A pair's messages are [system] + the template's examples as user/assistant turns + the
 * item's rendered user prompt + the assistant's answer. Examples are a JSON array of
 * {"input": …, "output": …} ("expected_output" is read as "output", as the Example Store
 * writes it): an input that is text is the user turn as it is, an input that is an object
 * is rendered through the user prompt as if it were an item's fields; an output that is
 * text is the assistant turn as it is, anything else its compact JSON.
 *
 * The assistant's answer is the canonical label's label_data when the item has one for the
 * template's label_type (status labeled, mode canonical, the label's reviewer and usage
 * constraints); otherwise, by mode, the model's reply, the value of a column, or "" for an
 * expert to write — with the item's usage constraints. A reply or column value that fails
 * the template's output schema makes a flagged pair with the reason in review_notes; an
 * empty output schema ({}) accepts any text. */

#define DBW_TYPE_PAIR_BUILDER (dbw_pair_builder_get_type ())

G_DECLARE_FINAL_TYPE (DbwPairBuilder, dbw_pair_builder, DBW, PAIR_BUILDER, GObject)

DbwPairBuilder  *dbw_pair_builder_new                (DbwTemplate        *tmpl,
                                                      DbwLabelingMode     mode,
                                                      const char         *column,
                                                      GError            **error);
DbwTemplate     *dbw_pair_builder_get_template       (DbwPairBuilder     *self);
DbwLabelingMode  dbw_pair_builder_get_mode           (DbwPairBuilder     *self);
/* Whether an existing column holds expert-verified answers: its pairs are then labeled. */
gboolean         dbw_pair_builder_get_column_trusted (DbwPairBuilder     *self);
void             dbw_pair_builder_set_column_trusted (DbwPairBuilder     *self,
                                                      gboolean            trusted);

char            *dbw_pair_builder_render_prompt      (DbwPairBuilder     *self,
                                                      DbwItem            *item,
                                                      GError            **error);
/* The messages a model is asked: system, examples and @user_prompt. */
JsonArray       *dbw_pair_builder_build_request      (DbwPairBuilder     *self,
                                                      const char         *user_prompt);
/* NULL with no error when the answer is the model's to give: *@user_prompt then holds
 * the prompt to send it with. */
DbwQaPair       *dbw_pair_builder_build              (DbwPairBuilder     *self,
                                                      const char         *training_sheet_id,
                                                      DbwItem            *item,
                                                      DbwCanonicalLabel  *label,
                                                      char              **user_prompt,
                                                      GError            **error);
DbwQaPair       *dbw_pair_builder_build_from_reply   (DbwPairBuilder     *self,
                                                      const char         *training_sheet_id,
                                                      DbwItem            *item,
                                                      const char         *user_prompt,
                                                      const char         *reply,
                                                      double              confidence);
/* A pair the model could not answer (refused, cut short): empty, flagged with @reason. */
DbwQaPair       *dbw_pair_builder_build_flagged      (DbwPairBuilder     *self,
                                                      const char         *training_sheet_id,
                                                      DbwItem            *item,
                                                      const char         *user_prompt,
                                                      const char         *reason);
gboolean         dbw_pair_builder_check_output       (DbwPairBuilder     *self,
                                                      const char         *text,
                                                      GError            **error);

char            *dbw_pair_builder_label_content      (DbwCanonicalLabel  *label);

G_END_DECLS
