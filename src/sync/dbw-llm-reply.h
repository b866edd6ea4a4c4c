/* dbw-llm-reply.h
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

#define DBW_TYPE_LLM_REPLY (dbw_llm_reply_get_type ())

G_DECLARE_FINAL_TYPE (DbwLlmReply, dbw_llm_reply, DBW, LLM_REPLY, GObject)

DbwLlmReply *dbw_llm_reply_new                   (const char  *content,
                                                  const char  *model,
                                                  const char  *finish_reason,
                                                  gint64       prompt_tokens,
                                                  gint64       completion_tokens,
                                                  double       confidence);

const char *dbw_llm_reply_get_content           (DbwLlmReply *self);
const char *dbw_llm_reply_get_model             (DbwLlmReply *self);
const char *dbw_llm_reply_get_finish_reason     (DbwLlmReply *self);
gint64      dbw_llm_reply_get_prompt_tokens     (DbwLlmReply *self);
gint64      dbw_llm_reply_get_completion_tokens (DbwLlmReply *self);
/* exp (mean token log-probability) when the server returned logprobs, else -1. */
double      dbw_llm_reply_get_confidence        (DbwLlmReply *self);

G_END_DECLS
