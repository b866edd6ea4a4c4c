/* dbw-llm-reply.c
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

#define G_LOG_DOMAIN "dbw-llm-reply"

#include "config.h"

#include "dbw-llm-reply.h"

/* One chat completion as the server sent it: the text of the first choice, why it ended,
 * the tokens it cost and, when asked for, how sure the model was. Immutable. */

struct _DbwLlmReply
{
  GObject parent_instance;

  char *content;
  char *model;
  char *finish_reason;
  gint64 prompt_tokens;
  gint64 completion_tokens;
  double confidence;
};

G_DEFINE_FINAL_TYPE (DbwLlmReply, dbw_llm_reply, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTENT,
  PROP_MODEL,
  PROP_FINISH_REASON,
  PROP_PROMPT_TOKENS,
  PROP_COMPLETION_TOKENS,
  PROP_CONFIDENCE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_llm_reply_finalize (GObject *object)
{
  DbwLlmReply *self = (DbwLlmReply *)object;

  g_free (self->content);
  g_free (self->model);
  g_free (self->finish_reason);

  G_OBJECT_CLASS (dbw_llm_reply_parent_class)->finalize (object);
}

static void
dbw_llm_reply_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DbwLlmReply *self = DBW_LLM_REPLY (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_FINISH_REASON:
      g_value_set_string (value, self->finish_reason);
      break;
    case PROP_PROMPT_TOKENS:
      g_value_set_int64 (value, self->prompt_tokens);
      break;
    case PROP_COMPLETION_TOKENS:
      g_value_set_int64 (value, self->completion_tokens);
      break;
    case PROP_CONFIDENCE:
      g_value_set_double (value, self->confidence);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_llm_reply_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DbwLlmReply *self = DBW_LLM_REPLY (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      self->content = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      self->model = g_value_dup_string (value);
      break;
    case PROP_FINISH_REASON:
      self->finish_reason = g_value_dup_string (value);
      break;
    case PROP_PROMPT_TOKENS:
      self->prompt_tokens = g_value_get_int64 (value);
      break;
    case PROP_COMPLETION_TOKENS:
      self->completion_tokens = g_value_get_int64 (value);
      break;
    case PROP_CONFIDENCE:
      self->confidence = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_llm_reply_class_init (DbwLlmReplyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_llm_reply_finalize;
  object_class->get_property = dbw_llm_reply_get_property;
  object_class->set_property = dbw_llm_reply_set_property;

  /* The text of the first choice; text parts joined when the server sent a list */
  properties [PROP_CONTENT] =
    g_param_spec_string ("content", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Nullable: the model the server says answered */
  properties [PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Nullable: "stop", "length", "content_filter", … */
  properties [PROP_FINISH_REASON] =
    g_param_spec_string ("finish-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* 0 when the server did not say */
  properties [PROP_PROMPT_TOKENS] =
    g_param_spec_int64 ("prompt-tokens", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_COMPLETION_TOKENS] =
    g_param_spec_int64 ("completion-tokens", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* exp (mean token log-probability) in 0–1, or -1 without logprobs */
  properties [PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", NULL, NULL,
                         -1, 1, -1,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_llm_reply_init (DbwLlmReply *self)
{
  self->confidence = -1;
}

DbwLlmReply *
dbw_llm_reply_new (const char *content,
                   const char *model,
                   const char *finish_reason,
                   gint64      prompt_tokens,
                   gint64      completion_tokens,
                   double      confidence)
{
  g_return_val_if_fail (content != NULL, NULL);

  return g_object_new (DBW_TYPE_LLM_REPLY,
                       "content", content,
                       "model", model,
                       "finish-reason", finish_reason,
                       "prompt-tokens", MAX (prompt_tokens, 0),
                       "completion-tokens", MAX (completion_tokens, 0),
                       "confidence", CLAMP (confidence, -1.0, 1.0),
                       NULL);
}

const char *
dbw_llm_reply_get_content (DbwLlmReply *self)
{
  g_return_val_if_fail (DBW_IS_LLM_REPLY (self), NULL);
  return self->content;
}

const char *
dbw_llm_reply_get_model (DbwLlmReply *self)
{
  g_return_val_if_fail (DBW_IS_LLM_REPLY (self), NULL);
  return self->model;
}

const char *
dbw_llm_reply_get_finish_reason (DbwLlmReply *self)
{
  g_return_val_if_fail (DBW_IS_LLM_REPLY (self), NULL);
  return self->finish_reason;
}

gint64
dbw_llm_reply_get_prompt_tokens (DbwLlmReply *self)
{
  g_return_val_if_fail (DBW_IS_LLM_REPLY (self), 0);
  return self->prompt_tokens;
}

gint64
dbw_llm_reply_get_completion_tokens (DbwLlmReply *self)
{
  g_return_val_if_fail (DBW_IS_LLM_REPLY (self), 0);
  return self->completion_tokens;
}

double
dbw_llm_reply_get_confidence (DbwLlmReply *self)
{
  g_return_val_if_fail (DBW_IS_LLM_REPLY (self), -1);
  return self->confidence;
}
