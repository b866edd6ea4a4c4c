/* dbw-llm-client.h
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

#include "dbw-http.h"
#include "dbw-llm-reply.h"

G_BEGIN_DECLS

/* An OpenAI-compatible chat completions and embeddings client. The URL is either a
 * Databricks serving endpoint ("https://host/serving-endpoints/NAME/invocations", posted
 * to as is) or a server base URL ("http://localhost:8000/v1", to which /chat/completions
 * or /embeddings is appended). Requests go through DbwHttp (its retries, Retry-After and
 * cancellation); on top of that the client holds at most max-concurrency requests in
 * flight and starts at most requests-per-minute in any sliding minute, queueing the rest
 * in call order. Requests run on worker threads of the client's own, never in the shared
 * GTask pool; results arrive on the thread-default main context of the caller, and a
 * queued call that is cancelled completes there at once without being sent.
 *
 * Errors: G_IO_ERROR_CANCELLED; DBW_HTTP_ERROR for transport and HTTP failures, with the
 * server's own message (never the token); DBW_LLM_ERROR as below. */

#define DBW_LLM_ERROR (dbw_llm_error_quark ())

typedef enum
{
  DBW_LLM_ERROR_BAD_REPLY,      /* the server answered 2xx but not with a usable completion */
  DBW_LLM_ERROR_REFUSED,        /* finish_reason "content_filter" */
  DBW_LLM_ERROR_TRUNCATED,      /* finish_reason "length": the reply hit max_tokens */
} DbwLlmError;

GQuark dbw_llm_error_quark (void);

#define DBW_TYPE_LLM_CLIENT (dbw_llm_client_get_type ())

G_DECLARE_FINAL_TYPE (DbwLlmClient, dbw_llm_client, DBW, LLM_CLIENT, GObject)

DbwLlmClient *dbw_llm_client_new                    (const char          *url,
                                                     const char          *token);
DbwLlmClient *dbw_llm_client_new_for_serving_endpoint (const char        *databricks_host,
                                                     const char          *endpoint_name,
                                                     const char          *token);

/* The token is DBW_LLM_TOKEN when set, else the keyring's DBW_SECRET_LLM_TOKEN stored for
 * @url (the account the preferences use), else none (a local server may need none). */
void          dbw_llm_client_new_for_url_async      (const char          *url,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DbwLlmClient *dbw_llm_client_new_for_url_finish     (GAsyncResult        *result,
                                                     GError             **error);

const char   *dbw_llm_client_get_url                (DbwLlmClient        *self);
DbwHttp      *dbw_llm_client_get_http               (DbwLlmClient        *self);
guint         dbw_llm_client_get_max_concurrency    (DbwLlmClient        *self);
void          dbw_llm_client_set_max_concurrency    (DbwLlmClient        *self,
                                                     guint                max_concurrency);
guint         dbw_llm_client_get_requests_per_minute (DbwLlmClient       *self);
void          dbw_llm_client_set_requests_per_minute (DbwLlmClient       *self,
                                                     guint                requests_per_minute);

/* Totals since the client was made; a run counts its own from the replies. */
gint64        dbw_llm_client_get_prompt_tokens      (DbwLlmClient        *self);
gint64        dbw_llm_client_get_completion_tokens  (DbwLlmClient        *self);
guint         dbw_llm_client_get_n_requests         (DbwLlmClient        *self);

/* @messages: a JSON array of {role, content}. @model may be NULL (serving endpoints
 * know their model). @max_tokens 0 leaves it to the server. */
void          dbw_llm_client_chat_async             (DbwLlmClient        *self,
                                                     const char          *model,
                                                     JsonArray           *messages,
                                                     double               temperature,
                                                     gint64               max_tokens,
                                                     gboolean             logprobs,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DbwLlmReply  *dbw_llm_client_chat_finish            (DbwLlmClient        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* After chat_finish failed with TRUNCATED or REFUSED: what the server did send (its
 * content cut short, its usage), or NULL for any other result. */
DbwLlmReply  *dbw_llm_client_chat_get_partial_reply (DbwLlmClient        *self,
                                                     GAsyncResult        *result);

/* Returns a GPtrArray of GArray (float), one per input, in input order. */
void          dbw_llm_client_embed_async            (DbwLlmClient        *self,
                                                     const char          *model,
                                                     const char * const  *inputs,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray    *dbw_llm_client_embed_finish           (DbwLlmClient        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
