/* fake-llm.h — an OpenAI-compatible language model server on 127.0.0.1 for tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A libsoup server in its own thread (so a test may block its own main context) serving
 *
 *   POST /v1/chat/completions                    OpenAI-style chat completions
 *   POST /v1/embeddings                          OpenAI-style embeddings
 *   POST /serving-endpoints/NAME/invocations     a Databricks serving endpoint: chat when the
 *                                                body has "messages", embeddings when it has
 *                                                "input"
 *
 * Every answer is deterministic:
 *
 * - Chat: the content is what the reply function returns, else the reply of the first rule
 *   whose needle is in the last user message, else the JSON object
 *   {"reply": LAST USER MESSAGE, "hash": FIRST 8 HEX DIGITS OF ITS SHA-256}. "model" is the
 *   request's model (or the endpoint name, or "fake-model"); finish_reason "stop".
 *   usage.prompt_tokens is fake_llm_count_tokens() over every message's content added up,
 *   usage.completion_tokens the same for the reply. With "logprobs": true in the request,
 *   choices[0].logprobs.content holds one entry per token (every 4 bytes of the reply), the
 *   i-th with logprob values[i % n] of fake_llm_set_logprobs() (default: all -0.1).
 * - Embeddings: one vector per input, fake_llm_embedding() of the input, in input order with
 *   "index" set (reversed in the array with fake_llm_set_reverse_embeddings()).
 *   usage.prompt_tokens counts the inputs like chat prompts.
 *
 * Errors use the style of the path: {"error": {"message", "type"}} under /v1,
 * {"error_code", "message"} under /serving-endpoints. With a token set, a request without
 * "Authorization: Bearer TOKEN" gets 401, and the message quotes the token it got (so tests
 * can prove a client keeps tokens out of its errors).
 *
 * All functions may be called from the test's thread while the server runs. */

typedef struct _FakeLlm FakeLlm;

typedef enum
{
  FAKE_LLM_FAULT_STATUS,          /* answer with status `value` (429, 503, 401…), an error body */
  FAKE_LLM_FAULT_INVALID_JSON,    /* 200, Content-Type JSON, a body that is not JSON */
  FAKE_LLM_FAULT_HTML,            /* 200 with an HTML page */
  FAKE_LLM_FAULT_NO_CHOICES,      /* 200, a JSON object without "choices" (or "data") */
  FAKE_LLM_FAULT_EMPTY_CHOICES,   /* 200, "choices": [] (or "data": []) */
  FAKE_LLM_FAULT_NO_CONTENT,      /* 200, choices[0].message.content is null */
  FAKE_LLM_FAULT_LENGTH,          /* the first half of the content, finish_reason "length" */
  FAKE_LLM_FAULT_CONTENT_FILTER,  /* empty content, finish_reason "content_filter" */
  FAKE_LLM_FAULT_DROP,            /* close the connection without answering */
} FakeLlmFault;

#define FAKE_LLM_FOREVER G_MAXUINT

/* One request as the fake saw it. */
typedef struct
{
  char *path;
  char *body;
  char *token;          /* the bearer token sent, or NULL */
  gint64 received;      /* g_get_monotonic_time() when the whole request had arrived */
} FakeLlmRequest;

/* Called in the server thread with the request's messages; returns the reply's content
 * (newly allocated), or NULL for the rules and the default. */
typedef char *(*FakeLlmReplyFunc) (JsonArray *messages,
                                   gpointer   user_data);

FakeLlm    *fake_llm_new                    (void);
void        fake_llm_free                   (FakeLlm          *self);

/* "http://127.0.0.1:PORT", no trailing slash. */
const char *fake_llm_get_url                (FakeLlm          *self);
/* "http://127.0.0.1:PORT/v1": a base URL for OpenAI-style clients. */
const char *fake_llm_get_v1_url             (FakeLlm          *self);
/* "http://127.0.0.1:PORT/serving-endpoints/NAME/invocations" */
char       *fake_llm_get_serving_url        (FakeLlm          *self,
                                             const char       *name);

/* NULL (the default) accepts any request. */
void        fake_llm_set_token              (FakeLlm          *self,
                                             const char       *token);
/* Every request waits @msec before its answer, without holding up the others. */
void        fake_llm_set_delay              (FakeLlm          *self,
                                             guint             msec);
void        fake_llm_add_rule               (FakeLlm          *self,
                                             const char       *needle,
                                             const char       *reply);
void        fake_llm_clear_rules            (FakeLlm          *self);
void        fake_llm_set_reply_func         (FakeLlm          *self,
                                             FakeLlmReplyFunc  func,
                                             gpointer          user_data,
                                             GDestroyNotify    destroy);
void        fake_llm_set_logprobs           (FakeLlm          *self,
                                             const double     *values,
                                             guint             n_values);
/* Chat content as a list of parts (a "reasoning" part, then a "text" part), the way some
 * Databricks endpoints answer. */
void        fake_llm_set_content_parts      (FakeLlm          *self,
                                             gboolean          parts);
void        fake_llm_set_embedding_dimension (FakeLlm         *self,
                                             guint             dimension);
void        fake_llm_set_reverse_embeddings (FakeLlm          *self,
                                             gboolean          reverse);

/* The next @count requests get @fault (FAKE_LLM_FOREVER: all of them). @value is the status
 * for FAKE_LLM_FAULT_STATUS; @retry_after, if >= 0, is sent as Retry-After seconds. Faults
 * queue up: the first one added is used up first. */
void        fake_llm_add_fault              (FakeLlm          *self,
                                             FakeLlmFault      fault,
                                             guint             count,
                                             int               value,
                                             int               retry_after);
/* A fraction of the requests with no queued fault get status @status, drawn from a
 * generator seeded with @seed. 0 turns it off. */
void        fake_llm_set_fault_rate         (FakeLlm          *self,
                                             double            rate,
                                             guint             status,
                                             guint32           seed);
void        fake_llm_clear_faults           (FakeLlm          *self);

/* What was received, since the start or the last fake_llm_clear_requests(). */
guint       fake_llm_get_n_requests         (FakeLlm          *self);
GPtrArray  *fake_llm_get_requests           (FakeLlm          *self);
char       *fake_llm_get_last_body          (FakeLlm          *self);
char       *fake_llm_get_last_token         (FakeLlm          *self);
/* The most requests the server held unanswered at once. */
guint       fake_llm_get_peak_concurrency   (FakeLlm          *self);
/* Requests whose client went away before the answer (a cancelled request). */
guint       fake_llm_get_n_disconnected     (FakeLlm          *self);
void        fake_llm_clear_requests         (FakeLlm          *self);
/* Waits (without a main loop) until @n requests have arrived; FALSE after @timeout_ms. */
gboolean    fake_llm_wait_for_requests      (FakeLlm          *self,
                                             guint             n,
                                             guint             timeout_ms);

/* What the fake computes, for tests to compare with. */
gint64      fake_llm_count_tokens           (const char       *text);
char       *fake_llm_default_reply          (const char       *last_user_message);
void        fake_llm_embedding              (const char       *input,
                                             guint             dimension,
                                             float            *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeLlm, fake_llm_free)

G_END_DECLS
