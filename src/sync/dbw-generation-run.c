/* dbw-generation-run.c
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

#define G_LOG_DOMAIN "dbw-generation-run"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-ai-query.h"
#include "dbw-generation-run.h"
#include "dbw-pair-builder.h"
#include "dbw-sheet.h"
#include "dbw-uc-materializer.h"

/* A run works in a worker thread, on a connection of its own to the project and a main
 * context of its own, where the model's answers arrive (DbwLlmClient returns each call on
 * the context it was made from). The loop keeps up to :concurrency calls in flight; items
 * that need no model (canonical labels, manual and existing_column modes) are made in
 * slices of a few milliseconds between them. Pairs are committed in small batches — at
 * most COMMIT_EVERY of them, none waiting longer than COMMIT_DELAY_MS — together with the
 * job's progress, so a crash loses almost nothing and a resume finds exactly the items
 * without a pair.
 *
 * What the worker counts goes to the caller's main context through a snapshot behind a
 * mutex and an idle (at most every PUBLISH_INTERVAL_MS, at once for a change of state),
 * where the properties change and the main store announces the new pairs.
 *
 * Failures. An item whose prompt cannot be rendered is skipped with the reason: trying
 * again would not help, and the run can still succeed. A model call that fails after
 * DbwHttp's retries leaves its item without a pair, to be tried again by a resume; the run
 * then ends failed ("incomplete"). Refused or truncated answers become flagged pairs. An
 * error that no other item would escape (the sign-in refused, the endpoint missing) or a
 * long series of failed calls stops the run at once as failed.
 *
 * On the workspace (dbw_generation_run_set_remote()), canonical labels are applied first,
 * locally; then one statement asks the serving endpoint for every row (dbw-ai-query.c),
 * the answers are paged back and made into pairs like local ones, and the results table is
 * dropped. A cancelled remote run keeps its table, so a resume pages it again instead of
 * asking the model again. */

#define DEFAULT_CONCURRENCY   4
#define MAX_CONCURRENCY       256
#define LOAD_CHUNK            64
#define COMMIT_EVERY          64
#define COMMIT_DELAY_MS       50
#define SLICE_USEC            (20 * G_TIME_SPAN_MILLISECOND)
#define PUBLISH_INTERVAL_MS   100
#define RATE_WINDOW_USEC      (10 * G_TIME_SPAN_SECOND)
#define MIN_FAILURES_TO_STOP  8
#define REMOTE_PAGE_ROWS      500
#define REMOTE_PAGE_BYTES     (16 * 1024 * 1024)
#define REMOTE_PAGE_ATTEMPTS  3

/* What the worker tells the main thread. */
typedef struct
{
  DbwGenerationState state;
  guint    n_total;
  guint    n_done;
  guint    n_made;
  guint    n_reused;
  guint    n_flagged;
  guint    n_failed;
  gint64   prompt_tokens;
  gint64   completion_tokens;
  double   eta;
  char    *error_message;
  GStrv    failures;
  gboolean pairs_changed;
} Snapshot;

struct _DbwGenerationRun
{
  GObject             parent_instance;

  DbwStore           *store;
  DbwGenerationJob   *job;
  DbwLlmClient       *client;
  char               *model;
  guint               concurrency;

  DbwDatabricks      *databricks;
  char               *warehouse_id;

  /* As published on the main context. */
  Snapshot            shown;
  gboolean            running;

  /* Shared with the worker. */
  GMutex              lock;
  Snapshot            next;
  gboolean            publish_pending;
  GMainContext       *context;          /* the caller's */
  GMainContext       *worker_context;
  gint                paused;           /* atomic */
};

G_DEFINE_FINAL_TYPE (DbwGenerationRun, dbw_generation_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_N_TOTAL,
  PROP_N_DONE,
  PROP_N_MADE,
  PROP_N_REUSED,
  PROP_N_FLAGGED,
  PROP_N_FAILED,
  PROP_PROMPT_TOKENS,
  PROP_COMPLETION_TOKENS,
  PROP_PROGRESS,
  PROP_ETA,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char run_tag[] = "dbw_generation_run_run_async";

/* One done item for the rate: when, and how many were done then. */
typedef struct
{
  gint64 time;
  guint  n_done;
} RateSample;

/* The state of one run, in the worker thread. */
typedef struct
{
  DbwGenerationRun  *self;
  DbwStore          *store;
  DbwGenerationJob  *job;
  DbwPairBuilder    *builder;
  DbwLabelType       label_type;
  DbwLlmClient      *client;
  char              *model;
  guint              concurrency;
  gboolean           logprobs;
  double             temperature;
  gint64             max_tokens;

  DbwDatabricks     *databricks;
  char              *warehouse_id;

  GMainContext      *context;
  GCancellable      *cancellable;       /* the caller's, or NULL */
  GCancellable      *stop;              /* cancelled by the caller's, or by a fatal error */
  gulong             cancelled_id;

  GArray            *pending;           /* item rowids still to do */
  guint              next;              /* the first of them not loaded yet */
  GPtrArray         *loaded;
  guint              loaded_pos;        /* the first loaded item not started */
  guint              in_flight;

  GPtrArray         *ready;             /* pairs waiting for their commit */
  gint64             ready_since;

  guint              n_total;
  DbwGenerationCounts counts;           /* pairs in the training sheet */
  guint              n_failed;
  guint              n_retryable;
  guint              n_skipped;
  guint              consecutive_failures;
  gint64             prompt_tokens;
  gint64             completion_tokens;
  JsonArray         *failures;
  GError            *fatal;
  gboolean           paused;
  char              *holder;            /* this run's id on the job's lease */
  gboolean           holds_lease;

  GArray            *rate;
  gint64             last_publish;
} Worker;

/* One model call. */
typedef struct
{
  Worker  *worker;
  DbwItem *item;
  char    *prompt;
} Call;

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->error_message, g_free);
  g_clear_pointer (&snapshot->failures, g_strfreev);
}

static void
call_free (Call *call)
{
  g_object_unref (call->item);
  g_free (call->prompt);
  g_free (call);
}

static void
worker_free (Worker *w)
{
  g_clear_object (&w->self);
  g_clear_object (&w->store);
  g_clear_object (&w->job);
  g_clear_object (&w->builder);
  g_clear_object (&w->client);
  g_clear_pointer (&w->model, g_free);
  g_clear_object (&w->databricks);
  g_clear_pointer (&w->warehouse_id, g_free);
  g_clear_object (&w->cancellable);
  g_clear_object (&w->stop);
  g_clear_pointer (&w->pending, g_array_unref);
  g_clear_pointer (&w->loaded, g_ptr_array_unref);
  g_clear_pointer (&w->ready, g_ptr_array_unref);
  g_clear_pointer (&w->failures, json_array_unref);
  g_clear_error (&w->fatal);
  g_clear_pointer (&w->holder, g_free);
  g_clear_pointer (&w->rate, g_array_unref);
  g_free (w);
}

/* --- publishing to the main context -------------------------------------------------- */

static double
progress_of (const Snapshot *snapshot)
{
  if (snapshot->n_total == 0)
    return snapshot->state == DBW_GENERATION_STATE_SUCCEEDED ? 1.0 : 0.0;

  return MIN (1.0, (double) snapshot->n_done / snapshot->n_total);
}

/* Main context: takes the worker's latest snapshot. */
static void
publish_now (DbwGenerationRun *self)
{
  Snapshot next = { 0, };
  Snapshot *shown = &self->shown;
  double old_progress = progress_of (shown);
  gboolean pairs_changed;
  gboolean state_changed;

  g_mutex_lock (&self->lock);
  next = self->next;
  next.error_message = g_strdup (self->next.error_message);
  next.failures = g_strdupv (self->next.failures);
  pairs_changed = self->next.pairs_changed;
  self->next.pairs_changed = FALSE;
  self->publish_pending = FALSE;
  g_mutex_unlock (&self->lock);

  g_object_freeze_notify (G_OBJECT (self));

#define UPDATE(field, prop) \
  G_STMT_START { \
    if (shown->field != next.field) \
      { \
        shown->field = next.field; \
        g_object_notify_by_pspec (G_OBJECT (self), properties [prop]); \
      } \
  } G_STMT_END

  state_changed = shown->state != next.state;
  UPDATE (state, PROP_STATE);
  UPDATE (n_total, PROP_N_TOTAL);
  UPDATE (n_done, PROP_N_DONE);
  UPDATE (n_made, PROP_N_MADE);
  UPDATE (n_reused, PROP_N_REUSED);
  UPDATE (n_flagged, PROP_N_FLAGGED);
  UPDATE (n_failed, PROP_N_FAILED);
  UPDATE (prompt_tokens, PROP_PROMPT_TOKENS);
  UPDATE (completion_tokens, PROP_COMPLETION_TOKENS);
  UPDATE (eta, PROP_ETA);
#undef UPDATE

  if (g_strcmp0 (shown->error_message, next.error_message) != 0)
    {
      g_free (shown->error_message);
      shown->error_message = g_steal_pointer (&next.error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_MESSAGE]);
    }
  g_strfreev (shown->failures);
  shown->failures = g_steal_pointer (&next.failures);

  if (progress_of (shown) != old_progress)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROGRESS]);

  g_object_thaw_notify (G_OBJECT (self));
  snapshot_clear (&next);

  /* The worker's connection is not the main store's: say what it changed. */
  if (pairs_changed)
    dbw_store_emit_changed (self->store, "qa_pairs", DBW_CHANGE_RESET, NULL);
  if (state_changed)
    {
      dbw_store_emit_changed (self->store, "job_runs", DBW_CHANGE_UPDATED, dbw_generation_job_get_id (self->job));
      dbw_store_emit_changed (self->store, "training_sheets", DBW_CHANGE_UPDATED,
                              dbw_generation_job_get_training_sheet_id (self->job));
    }
}

static gboolean
publish_cb (gpointer user_data)
{
  publish_now (user_data);

  return G_SOURCE_REMOVE;
}

static guint
n_done (Worker *w)
{
  return w->counts.n_pairs + w->ready->len;
}

/* Seconds left at the rate of the last RATE_WINDOW_USEC, -1 while it is not known. */
static double
estimate_eta (Worker *w,
              gint64  now)
{
  RateSample sample = { now, n_done (w) };
  RateSample *first;
  guint drop = 0;
  guint left;

  g_array_append_val (w->rate, sample);
  while (drop + 2 < w->rate->len && now - g_array_index (w->rate, RateSample, drop + 1).time > RATE_WINDOW_USEC)
    drop++;
  if (drop > 0)
    g_array_remove_range (w->rate, 0, drop);

  first = &g_array_index (w->rate, RateSample, 0);
  left = w->n_total > sample.n_done ? w->n_total - sample.n_done : 0;
  if (left == 0)
    return 0.0;
  if (now - first->time < G_TIME_SPAN_SECOND / 2 || sample.n_done <= first->n_done)
    return -1.0;

  return left * ((double) (now - first->time) / G_TIME_SPAN_SECOND) / (sample.n_done - first->n_done);
}

static char *
describe_failure (JsonObject *failure)
{
  return g_strdup_printf ("%s: %s", json_object_get_string_member (failure, "item_ref"),
                          json_object_get_string_member (failure, "reason"));
}

/* Worker: hands the counts to the main context (now when @force, else at most every
 * PUBLISH_INTERVAL_MS). */
static void
publish (Worker             *w,
         DbwGenerationState  state,
         gboolean            force)
{
  DbwGenerationRun *self = w->self;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GStrvBuilder) failures = g_strv_builder_new ();
  gboolean schedule;

  if (!force && now - w->last_publish < PUBLISH_INTERVAL_MS * G_TIME_SPAN_MILLISECOND)
    return;
  w->last_publish = now;

  for (guint i = 0; i < json_array_get_length (w->failures); i++)
    {
      g_autofree char *failure = describe_failure (json_array_get_object_element (w->failures, i));

      g_strv_builder_add (failures, failure);
    }

  g_mutex_lock (&self->lock);
  self->next.state = state;
  self->next.n_total = w->n_total;
  self->next.n_done = n_done (w);
  self->next.n_made = w->counts.n_made;
  self->next.n_reused = w->counts.n_reused;
  self->next.n_flagged = w->counts.n_flagged;
  self->next.n_failed = w->n_failed;
  self->next.prompt_tokens = w->prompt_tokens;
  self->next.completion_tokens = w->completion_tokens;
  self->next.eta = state == DBW_GENERATION_STATE_RUNNING ? estimate_eta (w, now) : -1.0;
  g_free (self->next.error_message);
  self->next.error_message = w->fatal != NULL ? g_strdup (w->fatal->message) : NULL;
  g_strfreev (self->next.failures);
  self->next.failures = g_strv_builder_end (failures);
  schedule = !self->publish_pending;
  self->publish_pending = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_callback (source, publish_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[dbw-generation-run] publish");
      g_source_attach (source, self->context);
    }
}

/* --- the record of the run ----------------------------------------------------------- */

static JsonObject *
make_result (Worker *w)
{
  JsonObject *result = json_object_new ();

  json_object_set_int_member (result, "n_total", w->n_total);
  json_object_set_int_member (result, "n_done", n_done (w));
  json_object_set_int_member (result, "n_made", w->counts.n_made);
  json_object_set_int_member (result, "n_reused", w->counts.n_reused);
  json_object_set_int_member (result, "n_flagged", w->counts.n_flagged);
  json_object_set_int_member (result, "n_failed", w->n_failed);
  json_object_set_int_member (result, "prompt_tokens", w->prompt_tokens);
  json_object_set_int_member (result, "completion_tokens", w->completion_tokens);
  json_object_set_array_member (result, "failures", json_array_ref (w->failures));

  return result;
}

static double
job_progress (Worker *w)
{
  return w->n_total > 0 ? MIN (1.0, (double) n_done (w) / w->n_total) : 1.0;
}

static void
set_fatal (Worker *w,
           GError *error)
{
  if (w->fatal == NULL)
    w->fatal = error;
  else
    g_error_free (error);
  g_cancellable_cancel (w->stop);
}

static void
commit (Worker   *w,
        gboolean  force)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  double progress;

  if (w->ready->len == 0)
    return;
  if (!force && w->ready->len < COMMIT_EVERY && now - w->ready_since < COMMIT_DELAY_MS * G_TIME_SPAN_MILLISECOND)
    return;

  /* The batch counts once: among the ready pairs now, among the saved ones after. */
  progress = job_progress (w);
  w->counts.n_pairs += w->ready->len;
  if (!dbw_generation_job_add_pairs (w->job, w->store, w->ready, progress, &error))
    {
      w->counts.n_pairs -= w->ready->len;
      g_prefix_error (&error, _("Could not save the pairs: "));
      set_fatal (w, g_steal_pointer (&error));
      g_ptr_array_set_size (w->ready, 0);
      return;
    }
  g_ptr_array_set_size (w->ready, 0);

  g_mutex_lock (&w->self->lock);
  w->self->next.pairs_changed = TRUE;
  g_mutex_unlock (&w->self->lock);
}

static void
add_pair (Worker    *w,
          DbwQaPair *pair)
{
  if (w->ready->len == 0)
    w->ready_since = g_get_monotonic_time ();

  if (dbw_qa_pair_get_labeling_mode (pair) == DBW_LABELING_MODE_CANONICAL)
    w->counts.n_reused++;
  else if (dbw_qa_pair_get_status (pair) == DBW_QA_STATUS_FLAGGED)
    w->counts.n_flagged++;
  else
    w->counts.n_made++;
  g_ptr_array_add (w->ready, pair);
}

/* An item left without a pair. @retry: whether a resume may do better. */
static void
add_failure (Worker     *w,
             const char *item_ref,
             const char *reason,
             gboolean    retry)
{
  w->n_failed++;
  if (retry)
    w->n_retryable++;
  else
    w->n_skipped++;

  if (json_array_get_length (w->failures) < DBW_GENERATION_MAX_FAILURES)
    {
      JsonObject *failure = json_object_new ();

      json_object_set_string_member (failure, "item_ref", item_ref);
      json_object_set_string_member (failure, "reason", reason);
      json_object_set_boolean_member (failure, "retry", retry);
      json_array_add_object_element (w->failures, failure);
    }
  g_debug ("No pair for %s: %s", item_ref, reason);
}

/* --- local generation ---------------------------------------------------------------- */

static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_FORBIDDEN) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_TLS) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INSECURE_URL);
}

static void
on_chat_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Call *call = user_data;
  Worker *w = call->worker;
  const char *training_sheet_id = dbw_generation_job_get_training_sheet_id (w->job);
  g_autoptr(DbwLlmReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  w->in_flight--;
  reply = dbw_llm_client_chat_finish (DBW_LLM_CLIENT (object), result, &error);

  if (reply != NULL)
    {
      w->prompt_tokens += MAX (0, dbw_llm_reply_get_prompt_tokens (reply));
      w->completion_tokens += MAX (0, dbw_llm_reply_get_completion_tokens (reply));
      w->consecutive_failures = 0;
      add_pair (w, dbw_pair_builder_build_from_reply (w->builder, training_sheet_id, call->item, call->prompt,
                                                      dbw_llm_reply_get_content (reply),
                                                      dbw_llm_reply_get_confidence (reply)));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Left for a resume. */
    }
  else if (g_error_matches (error, DBW_LLM_ERROR, DBW_LLM_ERROR_REFUSED) ||
           g_error_matches (error, DBW_LLM_ERROR, DBW_LLM_ERROR_TRUNCATED))
    {
      g_autoptr(DbwLlmReply) partial = dbw_llm_client_chat_get_partial_reply (DBW_LLM_CLIENT (object), result);
      DbwQaPair *pair;

      /* The same question would get the same answer: kept for an expert, flagged, with
       * what there is of it. */
      w->consecutive_failures = 0;
      if (partial != NULL)
        {
          w->prompt_tokens += MAX (0, dbw_llm_reply_get_prompt_tokens (partial));
          w->completion_tokens += MAX (0, dbw_llm_reply_get_completion_tokens (partial));
        }
      if (partial != NULL && dbw_llm_reply_get_content (partial) != NULL && dbw_llm_reply_get_content (partial)[0] != '\0')
        {
          pair = dbw_pair_builder_build_from_reply (w->builder, training_sheet_id, call->item, call->prompt,
                                                    dbw_llm_reply_get_content (partial),
                                                    dbw_llm_reply_get_confidence (partial));
          dbw_qa_pair_set_status (pair, DBW_QA_STATUS_FLAGGED);
          dbw_qa_pair_set_review_notes (pair, error->message);
        }
      else
        {
          pair = dbw_pair_builder_build_flagged (w->builder, training_sheet_id, call->item, call->prompt,
                                                 error->message);
        }
      add_pair (w, pair);
    }
  else
    {
      add_failure (w, dbw_item_get_item_ref (call->item), error->message, TRUE);
      w->consecutive_failures++;
      if (is_fatal (error) || w->consecutive_failures >= MAX (MIN_FAILURES_TO_STOP, 2 * w->concurrency))
        set_fatal (w, g_steal_pointer (&error));
    }

  call_free (call);
}

/* The next item to do, or NULL when there is none; loads them in chunks. Items gone since
 * the list was made are simply not there. */
static DbwItem *
next_item (Worker  *w,
           GError **error)
{
  for (;;)
    {
      guint n;

      if (w->loaded != NULL && w->loaded_pos < w->loaded->len)
        return g_object_ref (g_ptr_array_index (w->loaded, w->loaded_pos++));
      if (w->next >= w->pending->len)
        return NULL;

      n = MIN (LOAD_CHUNK, w->pending->len - w->next);
      g_clear_pointer (&w->loaded, g_ptr_array_unref);
      w->loaded = dbw_generation_job_load_items (w->store, &g_array_index (w->pending, gint64, w->next), n, error);
      if (w->loaded == NULL)
        return NULL;
      w->next += n;
      w->loaded_pos = 0;
    }
}

static gboolean
has_more (Worker *w)
{
  return w->next < w->pending->len || (w->loaded != NULL && w->loaded_pos < w->loaded->len);
}

/* Makes the pair of @item, or asks the model for it. FALSE on an error of the project. */
static gboolean
start_item (Worker   *w,
            DbwItem  *item,
            GError  **error)
{
  const char *training_sheet_id = dbw_generation_job_get_training_sheet_id (w->job);
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(JsonArray) messages = NULL;
  DbwQaPair *pair;
  Call *call;

  label = dbw_generation_job_find_canonical (w->job, w->store, dbw_item_get_item_ref (item), w->label_type, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  pair = dbw_pair_builder_build (w->builder, training_sheet_id, item, label, &prompt, &local_error);
  if (pair != NULL)
    {
      add_pair (w, pair);
      return TRUE;
    }
  if (local_error != NULL)
    {
      add_failure (w, dbw_item_get_item_ref (item), local_error->message, FALSE);
      return TRUE;
    }

  call = g_new0 (Call, 1);
  call->worker = w;
  call->item = g_object_ref (item);
  call->prompt = g_strdup (prompt);
  messages = dbw_pair_builder_build_request (w->builder, prompt);
  w->in_flight++;
  dbw_llm_client_chat_async (w->client, w->model, messages, w->temperature, w->max_tokens, w->logprobs,
                             w->stop, on_chat_done_cb, call);

  return TRUE;
}

static gboolean
is_stopping (Worker *w)
{
  return g_cancellable_is_cancelled (w->stop);
}

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static void
run_local (Worker *w)
{
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      gint64 slice_start = g_get_monotonic_time ();
      gboolean can_start;
      gboolean more;

      w->paused = g_atomic_int_get (&w->self->paused);

      /* Start what may start, a slice at a time between answers. */
      while (!is_stopping (w) && !w->paused && w->in_flight < w->concurrency &&
             g_get_monotonic_time () - slice_start < SLICE_USEC)
        {
          g_autoptr(DbwItem) item = next_item (w, &error);

          if (item == NULL)
            break;
          if (!start_item (w, item, &error))
            break;
        }
      if (error != NULL)
        set_fatal (w, g_steal_pointer (&error));

      commit (w, w->paused);
      /* Paused once the calls in flight are in. */
      publish (w, DBW_GENERATION_STATE_RUNNING, FALSE);

      more = has_more (w);
      if (w->in_flight == 0 && (!more || is_stopping (w)))
        break;

      can_start = more && !is_stopping (w) && !w->paused && w->in_flight < w->concurrency;
      if (can_start)
        {
          g_main_context_iteration (w->context, FALSE);
        }
      else
        {
          g_autoptr(GSource) timeout = NULL;

          /* Wake up for the commit of what is ready, if nothing else comes first. */
          if (w->ready->len > 0)
            {
              timeout = g_timeout_source_new (COMMIT_DELAY_MS);
              g_source_set_callback (timeout, on_wake_cb, NULL, NULL);
              g_source_attach (timeout, w->context);
            }
          if (w->paused && w->in_flight == 0)
            {
              GError *save_error = NULL;

              commit (w, TRUE);
              publish (w, DBW_GENERATION_STATE_PAUSED, TRUE);
              if (!dbw_generation_job_save_state (w->job, w->store, DBW_GENERATION_STATE_PAUSED, job_progress (w),
                                                  NULL, NULL, &save_error))
                set_fatal (w, save_error);
              while (g_atomic_int_get (&w->self->paused) && !is_stopping (w))
                g_main_context_iteration (w->context, TRUE);
              if (!is_stopping (w) &&
                  !dbw_generation_job_save_state (w->job, w->store, DBW_GENERATION_STATE_RUNNING, job_progress (w),
                                                  NULL, NULL, &save_error))
                set_fatal (w, save_error);
              publish (w, DBW_GENERATION_STATE_RUNNING, TRUE);
            }
          else
            {
              g_main_context_iteration (w->context, TRUE);
            }
          if (timeout != NULL)
            g_source_destroy (timeout);
        }
    }

  /* Let the cancelled calls report back. */
  while (w->in_flight > 0)
    g_main_context_iteration (w->context, TRUE);
}

/* --- on the workspace ---------------------------------------------------------------- */

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static DbwSqlResult *
execute (Worker      *w,
         const char  *sql,
         GHashTable  *parameters,
         gint64       byte_limit,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_execute_limited_async (w->databricks, w->warehouse_id, sql, parameters, byte_limit,
                                        w->stop, on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (w->context, TRUE);

  return dbw_databricks_execute_finish (w->databricks, result, error);
}

static GHashTable *
new_parameters (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static char *
results_table_name (Worker *w)
{
  const char *schema = dbw_generation_job_get_option_string (w->job, "remote_results_schema");
  g_autofree char *id = g_strdup (dbw_generation_job_get_id (w->job));
  g_autoptr(GString) name = g_string_new (NULL);

  for (char *p = id; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (name, g_ascii_tolower (*p));

  return g_strdup_printf ("%s.dbw_generation_%s", schema != NULL ? schema : "", name->str);
}

static gboolean
set_option_bool (Worker      *w,
                 const char  *name,
                 gboolean     value,
                 GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  return dbw_generation_job_set_option (w->job, w->store, name, node, error);
}

/* Asks the model on the workspace, once: the answers wait in the results table. */
static gboolean
remote_ask (Worker      *w,
            DbwSheet    *sheet,
            const char  *table,
            GError     **error)
{
  g_autoptr(GHashTable) parameters = new_parameters ();
  g_autoptr(DbwSqlResult) dropped = NULL;
  g_autoptr(DbwSqlResult) created = NULL;
  g_autofree char *drop = NULL;
  g_autofree char *sql = NULL;

  if (dbw_generation_job_get_option_bool (w->job, "remote_ready"))
    return TRUE;

  sql = dbw_ai_query_build_statement (sheet, dbw_pair_builder_get_template (w->builder), w->model, table,
                                      parameters, error);
  if (sql == NULL || (drop = dbw_ai_query_build_drop (table, error)) == NULL)
    return FALSE;

  /* A table left by an earlier attempt that did not finish. */
  dropped = execute (w, drop, NULL, 0, error);
  if (dropped == NULL)
    return FALSE;
  created = execute (w, sql, parameters, 0, error);
  if (created == NULL)
    return FALSE;

  return set_option_bool (w, "remote_ready", TRUE, error);
}

/* The wanted item of @rowid, with the prompt made of it here (%NULL with @render_error when
 * it cannot be made). Returns: %NULL when the item is gone, or with @error on failure. */
static DbwItem *
load_wanted (Worker   *w,
             gint64    rowid,
             char    **prompt,
             GError  **render_error,
             GError  **error)
{
  g_autoptr(GPtrArray) items = dbw_generation_job_load_items (w->store, &rowid, 1, error);
  DbwItem *item;

  if (items == NULL || items->len == 0)
    return NULL;
  item = g_object_ref (g_ptr_array_index (items, 0));
  *prompt = dbw_pair_builder_render_prompt (w->builder, item, render_error);

  return item;
}

/* Makes the pair of @item from the workspace's @response, or notes why not. */
static void
answer_item (Worker       *w,
             DbwItem      *item,
             const char   *prompt,
             const GError *render_error,
             const char   *response)
{
  const char *training_sheet_id = dbw_generation_job_get_training_sheet_id (w->job);

  if (prompt == NULL)
    add_failure (w, dbw_item_get_item_ref (item), render_error->message, FALSE);
  else if (response == NULL)
    add_failure (w, dbw_item_get_item_ref (item), _("The workspace gave no answer for this row"), TRUE);
  else
    add_pair (w, dbw_pair_builder_build_from_reply (w->builder, training_sheet_id, item, prompt, response, -1.0));
  commit (w, FALSE);
}

/* Rows whose keys other rows share: which item each answers is told by its input (the
 * prompt made of the row), as the materializer's numbering of them follows an order the
 * statement cannot repeat. An item whose input none of them has stays wanted. */
static gboolean
remote_answer_shared (Worker      *w,
                      GHashTable  *wanted,
                      GHashTable  *shared,
                      GError     **error)
{
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer ref, rowid;

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &ref, &rowid))
    g_ptr_array_add (refs, g_strdup (ref));

  for (guint i = 0; i < refs->len; i++)
    {
      const char *item_ref = g_ptr_array_index (refs, i);
      g_autofree char *base = dbw_uc_materializer_base_ref (item_ref);
      GPtrArray *answers = g_hash_table_lookup (shared, base);
      g_autoptr(DbwItem) item = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GError) render_error = NULL;
      g_autofree char *prompt = NULL;

      if (answers == NULL)
        continue;
      item = load_wanted (w, GPOINTER_TO_SIZE (g_hash_table_lookup (wanted, item_ref)), &prompt,
                          &render_error, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (item == NULL)
        {
          g_hash_table_remove (wanted, item_ref);
          continue;
        }

      /* Pairs of (input, response); a matched one is taken out. */
      for (guint a = 0; prompt != NULL && a + 1 < answers->len; a += 2)
        if (g_str_equal (prompt, g_ptr_array_index (answers, a)))
          {
            answer_item (w, item, prompt, NULL, g_ptr_array_index (answers, a + 1));
            g_ptr_array_remove_range (answers, a, 2);
            g_hash_table_remove (wanted, item_ref);
            break;
          }
    }

  return TRUE;
}

/* Pages the results table back into pairs for the items in @wanted (ref → rowid). */
static gboolean
remote_collect (Worker      *w,
                DbwSheet    *sheet,
                const char  *table,
                GHashTable  *wanted,
                GError     **error)
{
  g_auto(GStrv) primary = g_strsplit (dbw_sheet_get_primary_table (sheet), ".", 3);
  guint n_keys = g_strv_length ((char **) dbw_sheet_get_join_keys (sheet));
  g_autoptr(GHashTable) shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GHashTable) parameters = new_parameters ();
      g_autoptr(DbwSqlResult) page = NULL;
      g_autofree char *sql = NULL;
      guint n_rows;

      sql = dbw_ai_query_build_page (table, n_keys, after, REMOTE_PAGE_ROWS, parameters, error);
      if (sql == NULL)
        return FALSE;
      for (guint attempt = 1; page == NULL; attempt++)
        {
          g_autoptr(GError) page_error = NULL;

          page = execute (w, sql, parameters, REMOTE_PAGE_BYTES, &page_error);
          if (page == NULL && (attempt >= REMOTE_PAGE_ATTEMPTS || is_stopping (w) || is_fatal (page_error)))
            {
              g_propagate_error (error, g_steal_pointer (&page_error));
              return FALSE;
            }
        }

      n_rows = dbw_sql_result_get_n_rows (page);
      for (guint r = 0; r < n_rows; r++)
        {
          g_autofree const char **values = g_new0 (const char *, n_keys + 1);
          g_autofree char *ref = NULL;
          const char *response = dbw_sql_result_get_value (page, r, n_keys);
          const char *row = dbw_sql_result_get_value (page, r, n_keys + 1);
          const char *shared_input = dbw_sql_result_get_value (page, r, n_keys + 2);
          gboolean keyed = TRUE;
          gpointer rowid;

          after = row != NULL ? g_ascii_strtoll (row, NULL, 10) : after;
          for (guint k = 0; k < n_keys; k++)
            keyed = keyed && (values[k] = dbw_sql_result_get_value (page, r, k)) != NULL;
          if (!keyed)
            continue;

          ref = dbw_uc_materializer_make_ref (primary[2], values);
          if (shared_input != NULL)
            {
              GPtrArray *answers = g_hash_table_lookup (shared, ref);

              if (answers == NULL)
                {
                  answers = g_ptr_array_new_with_free_func (g_free);
                  g_hash_table_insert (shared, g_strdup (ref), answers);
                }
              g_ptr_array_add (answers, g_strdup (shared_input));
              g_ptr_array_add (answers, g_strdup (response));
              continue;
            }
          if (g_hash_table_lookup_extended (wanted, ref, NULL, &rowid))
            {
              g_autoptr(DbwItem) item = NULL;
              g_autoptr(GError) load_error = NULL;
              g_autoptr(GError) render_error = NULL;
              g_autofree char *prompt = NULL;

              item = load_wanted (w, GPOINTER_TO_SIZE (rowid), &prompt, &render_error, &load_error);
              if (load_error != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&load_error));
                  return FALSE;
                }
              g_hash_table_remove (wanted, ref);
              if (item != NULL)
                answer_item (w, item, prompt, render_error, response);
            }
        }
      publish (w, DBW_GENERATION_STATE_RUNNING, FALSE);

      if (n_rows < REMOTE_PAGE_ROWS && !dbw_sql_result_get_truncated (page))
        return remote_answer_shared (w, wanted, shared, error);
    }
}

static void
run_remote (Worker *w)
{
  const char *training_sheet_id = dbw_generation_job_get_training_sheet_id (w->job);
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  GHashTableIter iter;
  gpointer ref, rowid;

  sheet = dbw_store_get (w->store, DBW_TYPE_SHEET, dbw_generation_job_get_sheet_id (w->job), &error);
  if (sheet == NULL)
    {
      set_fatal (w, g_steal_pointer (&error));
      return;
    }

  /* Canonical labels first, here: the workspace's answers for them would be thrown away. */
  while (!is_stopping (w))
    {
      g_autoptr(DbwItem) item = next_item (w, &error);
      g_autoptr(DbwCanonicalLabel) label = NULL;

      if (item == NULL)
        break;
      label = dbw_generation_job_find_canonical (w->job, w->store, dbw_item_get_item_ref (item), w->label_type, &error);
      if (error != NULL)
        break;
      if (label != NULL)
        {
          g_autoptr(GError) render_error = NULL;
          DbwQaPair *pair = dbw_pair_builder_build (w->builder, training_sheet_id, item, label, NULL, &render_error);

          if (pair != NULL)
            add_pair (w, pair);
          else
            add_failure (w, dbw_item_get_item_ref (item), render_error->message, FALSE);
          commit (w, FALSE);
        }
      else
        {
          g_hash_table_insert (wanted, g_strdup (dbw_item_get_item_ref (item)),
                               GSIZE_TO_POINTER (dbw_record_get_rowid (DBW_RECORD (item))));
        }
      publish (w, DBW_GENERATION_STATE_RUNNING, FALSE);
    }
  commit (w, TRUE);
  if (error != NULL)
    {
      set_fatal (w, g_steal_pointer (&error));
      return;
    }
  if (g_hash_table_size (wanted) == 0 || is_stopping (w))
    return;

  table = results_table_name (w);
  if (!remote_ask (w, sheet, table, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_fatal (w, g_steal_pointer (&error));
      return;
    }
  if (!remote_collect (w, sheet, table, wanted, &error))
    {
      commit (w, TRUE);
      /* A results table that cannot be read (dropped meanwhile?) is asked for again next time. */
      if (g_error_matches (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED))
        {
          g_autoptr(GError) option_error = NULL;

          if (!set_option_bool (w, "remote_ready", FALSE, &option_error))
            g_warning ("Could not save the run: %s", option_error->message);
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_fatal (w, g_steal_pointer (&error));
      return;
    }
  commit (w, TRUE);

  /* Rows the statement left out: an empty column in the prompt (the item could not be
   * made here either, so it is skipped with the same reason), or gone from the table. */
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &ref, &rowid))
    {
      gint64 id = GPOINTER_TO_SIZE (rowid);
      g_autoptr(GPtrArray) items = dbw_generation_job_load_items (w->store, &id, 1, NULL);
      g_autoptr(GError) render_error = NULL;
      g_autofree char *prompt = NULL;

      if (items != NULL && items->len == 1 &&
          (prompt = dbw_pair_builder_render_prompt (w->builder, g_ptr_array_index (items, 0), &render_error)) == NULL)
        add_failure (w, ref, render_error->message, FALSE);
      else
        add_failure (w, ref, _("The workspace gave no answer for this row"), TRUE);
    }

  {
    g_autoptr(GError) drop_error = NULL;
    g_autoptr(DbwSqlResult) dropped = NULL;
    g_autofree char *drop = dbw_ai_query_build_drop (table, NULL);

    dropped = execute (w, drop, NULL, 0, &drop_error);
    if (dropped == NULL)
      g_warning ("Could not drop the results table %s: %s", table, drop_error->message);
    else if (!set_option_bool (w, "remote_ready", FALSE, &drop_error))
      g_warning ("Could not save the run: %s", drop_error->message);
  }
}

/* --- the worker thread --------------------------------------------------------------- */

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  Worker *w = user_data;

  g_cancellable_cancel (w->stop);
}

static void
on_stop_cb (GCancellable *cancellable,
            gpointer      user_data)
{
  g_main_context_wakeup (user_data);
}

static gboolean
prepare (Worker  *w,
         GError **error)
{
  DbwGenerationRun *self = w->self;
  g_autoptr(DbwTemplate) tmpl = NULL;
  JsonObject *previous;
  gint64 n_items;

  w->store = dbw_store_open_connection (self->store, error);
  if (w->store == NULL)
    return FALSE;
  dbw_store_set_user (w->store, dbw_store_get_user (self->store));

  w->job = dbw_generation_job_open (w->store, dbw_generation_job_get_id (self->job), error);
  if (w->job == NULL)
    return FALSE;
  w->holds_lease = dbw_generation_job_claim (w->job, w->store, w->holder, error);
  if (!w->holds_lease)
    return FALSE;
  tmpl = dbw_generation_job_load_template (w->job, w->store, error);
  if (tmpl == NULL)
    return FALSE;
  w->builder = dbw_pair_builder_new (tmpl, dbw_generation_job_get_mode (w->job), dbw_generation_job_get_column (w->job), error);
  if (w->builder == NULL)
    return FALSE;
  dbw_pair_builder_set_column_trusted (w->builder, dbw_generation_job_get_option_bool (w->job, "column_trusted"));
  w->label_type = dbw_template_get_label_type (tmpl);
  w->temperature = dbw_template_get_temperature (tmpl);
  w->max_tokens = dbw_template_get_max_tokens (tmpl);
  if (w->model == NULL && dbw_template_get_base_model (tmpl) != NULL && dbw_template_get_base_model (tmpl)[0] != '\0')
    w->model = g_strdup (dbw_template_get_base_model (tmpl));

  n_items = dbw_generation_job_count_items (w->job, w->store, error);
  if (n_items < 0 || !dbw_generation_job_count_pairs (w->job, w->store, &w->counts, error))
    return FALSE;
  w->n_total = (guint) n_items;
  w->pending = dbw_generation_job_list_pending (w->job, w->store, error);
  if (w->pending == NULL)
    return FALSE;

  /* Token usage adds up over the runs of a job. */
  previous = dbw_generation_job_get_result (w->job);
  if (previous != NULL)
    {
      w->prompt_tokens = json_object_get_int_member_with_default (previous, "prompt_tokens", 0);
      w->completion_tokens = json_object_get_int_member_with_default (previous, "completion_tokens", 0);
    }

  return TRUE;
}

static gboolean
on_renew_lease_cb (gpointer user_data)
{
  Worker *w = user_data;
  GError *error = NULL;

  if (!dbw_generation_job_renew (w->job, w->store, w->holder, &error))
    {
      /* Taken over: another run now writes the job's state. */
      if (g_error_matches (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_BUSY))
        w->holds_lease = FALSE;
      set_fatal (w, error);
    }

  return G_SOURCE_CONTINUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Worker *w = task_data;
  DbwGenerationRun *self = w->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *message = NULL;
  DbwGenerationState state;
  gulong stop_id;

  w->context = g_main_context_new ();
  g_main_context_push_thread_default (w->context);
  g_mutex_lock (&self->lock);
  self->worker_context = g_main_context_ref (w->context);
  g_mutex_unlock (&self->lock);

  stop_id = g_cancellable_connect (w->stop, G_CALLBACK (on_stop_cb), w->context, NULL);
  if (w->cancellable != NULL)
    w->cancelled_id = g_cancellable_connect (w->cancellable, G_CALLBACK (on_cancelled_cb), w, NULL);

  w->holder = g_uuid_string_random ();
  if (!prepare (w, &error) ||
      (dbw_generation_job_get_mode (w->job) == DBW_LABELING_MODE_AI_GENERATED &&
       !dbw_generation_job_record_model (w->job, w->store, w->model,
                                         w->client != NULL ? dbw_llm_client_get_url (w->client) : NULL, &error)) ||
      !dbw_generation_job_save_state (w->job, w->store, DBW_GENERATION_STATE_RUNNING, job_progress (w),
                                      NULL, NULL, &error))
    {
      set_fatal (w, g_steal_pointer (&error));
    }
  else
    {
      g_autoptr(GSource) renew = g_timeout_source_new_seconds (DBW_GENERATION_LEASE_RENEW_SECONDS);

      g_source_set_callback (renew, on_renew_lease_cb, w, NULL);
      g_source_attach (renew, w->context);
      publish (w, DBW_GENERATION_STATE_RUNNING, TRUE);
      if (w->databricks != NULL)
        run_remote (w);
      else
        run_local (w);
      commit (w, TRUE);
      g_source_destroy (renew);
    }

  if (w->cancellable != NULL)
    g_cancellable_disconnect (w->cancellable, w->cancelled_id);
  g_cancellable_disconnect (w->stop, stop_id);

  /* What the calls left queued. */
  while (g_main_context_iteration (w->context, FALSE))
    ;
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_mutex_unlock (&self->lock);
  g_main_context_pop_thread_default (w->context);
  g_clear_pointer (&w->context, g_main_context_unref);

  if (w->fatal != NULL)
    {
      state = DBW_GENERATION_STATE_FAILED;
      message = g_strdup (w->fatal->message);
    }
  else if (w->cancellable != NULL && g_cancellable_is_cancelled (w->cancellable))
    {
      state = DBW_GENERATION_STATE_CANCELLED;
    }
  else if (w->n_retryable > 0 || n_done (w) + w->n_skipped < w->n_total)
    {
      state = DBW_GENERATION_STATE_FAILED;
      guint n_left = w->n_total > n_done (w) + w->n_skipped ? w->n_total - n_done (w) - w->n_skipped : w->n_retryable;

      message = g_strdup_printf (ngettext ("%u item has no pair yet; resume the run to try it again",
                                           "%u items have no pair yet; resume the run to try them again",
                                           n_left),
                                 n_left);
    }
  else
    {
      state = DBW_GENERATION_STATE_SUCCEEDED;
    }

  /* A run without the lease leaves the job's state to the run holding it. */
  if (w->job != NULL && w->holds_lease)
    {
      result = make_result (w);
      if (!dbw_generation_job_save_state (w->job, w->store, state, job_progress (w), result, message, &error))
        {
          g_warning ("Could not save the state of generation run %s: %s",
                     dbw_generation_job_get_id (w->job), error->message);
          g_clear_error (&error);
        }
      dbw_generation_job_release (w->job, w->store, w->holder);
    }
  if (w->fatal == NULL && message != NULL)
    w->fatal = g_error_new_literal (DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INCOMPLETE, message);
  publish (w, state, TRUE);

  if (state == DBW_GENERATION_STATE_SUCCEEDED)
    g_task_return_boolean (task, TRUE);
  else if (state == DBW_GENERATION_STATE_CANCELLED)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The generation was cancelled"));
  else
    g_task_return_error (task, g_error_copy (w->fatal));
}

/* --- making a run ------------------------------------------------------------------- */

/* The counts of a job as its project holds them, before any run of this object. */
static gboolean
load_counts (DbwGenerationRun  *self,
             GError           **error)
{
  DbwGenerationCounts counts;
  JsonObject *result = dbw_generation_job_get_result (self->job);
  gint64 n_items;

  n_items = dbw_generation_job_count_items (self->job, self->store, error);
  if (n_items < 0 || !dbw_generation_job_count_pairs (self->job, self->store, &counts, error))
    return FALSE;

  self->shown.state = dbw_generation_job_get_state (self->job);
  self->shown.n_total = (guint) n_items;
  self->shown.n_done = counts.n_pairs;
  self->shown.n_made = counts.n_made;
  self->shown.n_reused = counts.n_reused;
  self->shown.n_flagged = counts.n_flagged;
  self->shown.error_message = g_strdup (dbw_generation_job_get_error_message (self->job));
  if (result != NULL)
    {
      self->shown.prompt_tokens = json_object_get_int_member_with_default (result, "prompt_tokens", 0);
      self->shown.completion_tokens = json_object_get_int_member_with_default (result, "completion_tokens", 0);
    }

  return TRUE;
}

static DbwGenerationRun *
run_for_job (DbwStore          *store,
             DbwGenerationJob  *job,
             GError           **error)
{
  g_autoptr(DbwGenerationRun) self = g_object_new (DBW_TYPE_GENERATION_RUN, NULL);
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwPairBuilder) builder = NULL;

  self->store = g_object_ref (store);
  self->job = g_object_ref (job);
  self->concurrency = (guint) CLAMP (dbw_generation_job_get_option_int (job, "concurrency", DEFAULT_CONCURRENCY),
                                     1, MAX_CONCURRENCY);
  self->model = g_strdup (dbw_generation_job_get_option_string (job, "model"));

  /* What would fail every item is said now, not item by item. */
  tmpl = dbw_generation_job_load_template (job, store, error);
  if (tmpl == NULL)
    return NULL;
  builder = dbw_pair_builder_new (tmpl, dbw_generation_job_get_mode (job), dbw_generation_job_get_column (job), error);
  if (builder == NULL || !load_counts (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* --- GObject ------------------------------------------------------------------------- */

static void
dbw_generation_run_finalize (GObject *object)
{
  DbwGenerationRun *self = (DbwGenerationRun *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->job);
  g_clear_object (&self->client);
  g_clear_pointer (&self->model, g_free);
  g_clear_object (&self->databricks);
  g_clear_pointer (&self->warehouse_id, g_free);
  snapshot_clear (&self->shown);
  snapshot_clear (&self->next);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dbw_generation_run_parent_class)->finalize (object);
}

static void
dbw_generation_run_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DbwGenerationRun *self = DBW_GENERATION_RUN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->shown.state);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->shown.n_total);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->shown.n_done);
      break;
    case PROP_N_MADE:
      g_value_set_uint (value, self->shown.n_made);
      break;
    case PROP_N_REUSED:
      g_value_set_uint (value, self->shown.n_reused);
      break;
    case PROP_N_FLAGGED:
      g_value_set_uint (value, self->shown.n_flagged);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->shown.n_failed);
      break;
    case PROP_PROMPT_TOKENS:
      g_value_set_int64 (value, self->shown.prompt_tokens);
      break;
    case PROP_COMPLETION_TOKENS:
      g_value_set_int64 (value, self->shown.completion_tokens);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, progress_of (&self->shown));
      break;
    case PROP_ETA:
      g_value_set_double (value, self->shown.eta);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->shown.error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_generation_run_class_init (DbwGenerationRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dbw_generation_run_finalize;
  object_class->get_property = dbw_generation_run_get_property;

  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DBW_TYPE_GENERATION_STATE, DBW_GENERATION_STATE_READY, flags);
  properties [PROP_N_TOTAL] = g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_N_MADE] = g_param_spec_uint ("n-made", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_N_REUSED] = g_param_spec_uint ("n-reused", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_N_FLAGGED] = g_param_spec_uint ("n-flagged", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_PROMPT_TOKENS] = g_param_spec_int64 ("prompt-tokens", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_COMPLETION_TOKENS] = g_param_spec_int64 ("completion-tokens", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties [PROP_ETA] = g_param_spec_double ("eta", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, flags);
  properties [PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_generation_run_init (DbwGenerationRun *self)
{
  g_mutex_init (&self->lock);
  self->concurrency = DEFAULT_CONCURRENCY;
  self->shown.eta = -1.0;
  self->next.eta = -1.0;
}

/* --- public API ---------------------------------------------------------------------- */

/**
 * dbw_generation_run_new:
 * @store: the project, as the main thread uses it
 * @template_row_id: a published template version
 * @mode: ai_generated, manual or existing_column
 * @column: (nullable): the column of the answers, for existing_column
 * @name: (nullable): the training sheet's name
 *
 * Returns: (transfer full): the run, not started; or %NULL with @error set
 */
DbwGenerationRun *
dbw_generation_run_new (DbwStore         *store,
                        const char       *sheet_id,
                        const char       *template_row_id,
                        DbwLabelingMode   mode,
                        const char       *column,
                        const char       *name,
                        GError          **error)
{
  return dbw_generation_run_new_with_options (store, sheet_id, template_row_id, mode, column, name, NULL, error);
}

/**
 * dbw_generation_run_new_with_options:
 * @options: (nullable): kept with the job: "column_trusted" (boolean: a column's answers
 *   are expert-verified, their pairs labeled), "logprobs" (boolean, default true: ask the
 *   model for the confidence of its answer), "model", "endpoint_url", "concurrency"
 *
 * Like dbw_generation_run_new(), with the options a resume keeps.
 */
DbwGenerationRun *
dbw_generation_run_new_with_options (DbwStore         *store,
                                     const char       *sheet_id,
                                     const char       *template_row_id,
                                     DbwLabelingMode   mode,
                                     const char       *column,
                                     const char       *name,
                                     JsonObject       *options,
                                     GError          **error)
{
  g_autoptr(DbwGenerationJob) job = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwPairBuilder) builder = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (template_row_id != NULL, NULL);

  /* The template's examples and schema are checked before anything is written. */
  tmpl = dbw_store_get (store, DBW_TYPE_TEMPLATE, template_row_id, error);
  if (tmpl == NULL)
    return NULL;
  builder = dbw_pair_builder_new (tmpl, mode, column != NULL ? column : "", error);
  if (builder == NULL)
    return NULL;

  job = dbw_generation_job_create (store, sheet_id, template_row_id, mode, column, name, options, error);
  if (job == NULL)
    return NULL;

  return run_for_job (store, job, error);
}

/**
 * dbw_generation_run_open:
 * @job_run_id: a generate job that did not succeed
 *
 * Returns: (transfer full): the run, to be run again; or %NULL with @error set
 */
DbwGenerationRun *
dbw_generation_run_open (DbwStore    *store,
                         const char  *job_run_id,
                         GError     **error)
{
  g_autoptr(DbwGenerationJob) job = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (job_run_id != NULL, NULL);

  job = dbw_generation_job_open (store, job_run_id, error);
  if (job == NULL)
    return NULL;

  return run_for_job (store, job, error);
}

/**
 * dbw_generation_run_list_unfinished:
 *
 * Returns: (transfer full): ids of generate runs that can be resumed, newest first
 */
GStrv
dbw_generation_run_list_unfinished (DbwStore  *store,
                                    GError   **error)
{
  return dbw_generation_job_list_unfinished (store, error);
}

/**
 * dbw_generation_run_set_llm_client:
 * @model: (nullable): overrides the template's base_model
 *
 * The model that answers, for ai_generated mode. @model is kept with the job.
 */
void
dbw_generation_run_set_llm_client (DbwGenerationRun *self,
                                   DbwLlmClient     *client,
                                   const char       *model)
{
  g_return_if_fail (DBW_IS_GENERATION_RUN (self));
  g_return_if_fail (!client || DBW_IS_LLM_CLIENT (client));
  g_return_if_fail (!self->running);

  g_set_object (&self->client, client);
  if (model != NULL && model[0] != '\0' && g_strcmp0 (model, self->model) != 0)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autoptr(GError) error = NULL;

      g_free (self->model);
      self->model = g_strdup (model);
      json_node_set_string (node, model);
      if (!dbw_generation_job_set_option (self->job, self->store, "model", node, &error))
        g_warning ("Could not keep the model of the run: %s", error->message);
    }
  if (client != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autoptr(GError) error = NULL;

      json_node_set_string (node, dbw_llm_client_get_url (client));
      if (g_strcmp0 (dbw_generation_job_get_option_string (self->job, "endpoint_url"), dbw_llm_client_get_url (client)) != 0 &&
          !dbw_generation_job_set_option (self->job, self->store, "endpoint_url", node, &error))
        g_warning ("Could not keep the endpoint of the run: %s", error->message);
    }
}

/**
 * dbw_generation_run_set_concurrency:
 * @concurrency: model calls in flight at most, 1–256
 */
void
dbw_generation_run_set_concurrency (DbwGenerationRun *self,
                                    guint             concurrency)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DBW_IS_GENERATION_RUN (self));
  g_return_if_fail (!self->running);

  concurrency = CLAMP (concurrency, 1, MAX_CONCURRENCY);
  if (concurrency == self->concurrency)
    return;
  self->concurrency = concurrency;
  json_node_set_int (node, concurrency);
  if (!dbw_generation_job_set_option (self->job, self->store, "concurrency", node, &error))
    g_warning ("Could not keep the concurrency of the run: %s", error->message);
}

/**
 * dbw_generation_run_check_remote:
 *
 * Returns: %TRUE when the run can be made on the workspace with ai_query(); else %FALSE
 *   with @error saying why (%DBW_AI_QUERY_ERROR_UNSUPPORTED)
 */
gboolean
dbw_generation_run_check_remote (DbwGenerationRun  *self,
                                 GError           **error)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;

  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), FALSE);

  if (dbw_generation_job_get_mode (self->job) != DBW_LABELING_MODE_AI_GENERATED)
    {
      g_set_error_literal (error, DBW_AI_QUERY_ERROR, DBW_AI_QUERY_ERROR_UNSUPPORTED,
                           _("Only a model’s answers can be generated on the workspace"));
      return FALSE;
    }

  sheet = dbw_store_get (self->store, DBW_TYPE_SHEET, dbw_generation_job_get_sheet_id (self->job), error);
  tmpl = sheet != NULL ? dbw_generation_job_load_template (self->job, self->store, error) : NULL;
  if (tmpl == NULL)
    return FALSE;

  return dbw_ai_query_check (sheet, tmpl, error);
}

/**
 * dbw_generation_run_set_remote:
 * @databricks: the workspace; used from the run's thread while it runs, by nothing else
 * @warehouse_id: the SQL warehouse that runs the statement
 * @endpoint: the serving endpoint ai_query() asks
 * @results_schema: "catalog.schema" where the answers wait until they are read back
 *
 * Makes the run ask the model on the workspace, in one statement, instead of from here.
 * The choice, the endpoint and the schema are kept with the job, for a resume.
 */
gboolean
dbw_generation_run_set_remote (DbwGenerationRun  *self,
                               DbwDatabricks     *databricks,
                               const char        *warehouse_id,
                               const char        *endpoint,
                               const char        *results_schema,
                               GError           **error)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), FALSE);
  g_return_val_if_fail (DBW_IS_DATABRICKS (databricks), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (!dbw_generation_run_check_remote (self, error))
    return FALSE;
  parts = g_strsplit (results_schema != NULL ? results_schema : "", ".", -1);
  if (g_strv_length (parts) != 2)
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a schema of the form catalog.schema"), results_schema != NULL ? results_schema : "");
      return FALSE;
    }
  if (!dbw_databricks_validate_identifier (parts[0], _("catalog"), error) ||
      !dbw_databricks_validate_identifier (parts[1], _("schema"), error))
    return FALSE;
  if (endpoint == NULL || endpoint[0] == '\0')
    {
      g_set_error_literal (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                           _("Which serving endpoint should answer on the workspace?"));
      return FALSE;
    }

  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

    json_node_set_string (node, results_schema);
    if (!dbw_generation_job_set_option (self->job, self->store, "remote_results_schema", node, error))
      return FALSE;
    json_node_set_string (node, endpoint);
    if (!dbw_generation_job_set_option (self->job, self->store, "remote_endpoint", node, error))
      return FALSE;
  }

  g_set_object (&self->databricks, databricks);
  g_free (self->warehouse_id);
  self->warehouse_id = g_strdup (warehouse_id);
  g_free (self->model);
  self->model = g_strdup (endpoint);

  return TRUE;
}

/**
 * dbw_generation_run_get_remote_endpoint:
 *
 * Returns: (nullable): the serving endpoint of a run made on the workspace
 */
const char *
dbw_generation_run_get_remote_endpoint (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), NULL);

  return dbw_generation_job_get_option_string (self->job, "remote_endpoint");
}

const char *
dbw_generation_run_get_remote_results_schema (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), NULL);

  return dbw_generation_job_get_option_string (self->job, "remote_results_schema");
}

DbwGenerationJob *
dbw_generation_run_get_job (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), NULL);

  return self->job;
}

const char *
dbw_generation_run_get_job_run_id (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), NULL);

  return dbw_generation_job_get_id (self->job);
}

const char *
dbw_generation_run_get_training_sheet_id (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), NULL);

  return dbw_generation_job_get_training_sheet_id (self->job);
}

DbwGenerationState
dbw_generation_run_get_state (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), DBW_GENERATION_STATE_READY);

  return self->shown.state;
}

guint
dbw_generation_run_get_n_total (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.n_total;
}

guint
dbw_generation_run_get_n_done (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.n_done;
}

guint
dbw_generation_run_get_n_made (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.n_made;
}

guint
dbw_generation_run_get_n_reused (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.n_reused;
}

guint
dbw_generation_run_get_n_flagged (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.n_flagged;
}

guint
dbw_generation_run_get_n_failed (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.n_failed;
}

gint64
dbw_generation_run_get_prompt_tokens (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.prompt_tokens;
}

gint64
dbw_generation_run_get_completion_tokens (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0);

  return self->shown.completion_tokens;
}

double
dbw_generation_run_get_progress (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), 0.0);

  return progress_of (&self->shown);
}

double
dbw_generation_run_get_eta (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), -1.0);

  return self->shown.eta;
}

const char *
dbw_generation_run_get_error_message (DbwGenerationRun *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), NULL);

  return self->shown.error_message;
}

/**
 * dbw_generation_run_get_failures:
 *
 * Returns: (transfer none): "item_ref: reason" for the first items of the last run that
 *   got no pair (at most %DBW_GENERATION_MAX_FAILURES)
 */
const char * const *
dbw_generation_run_get_failures (DbwGenerationRun *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), none);

  return self->shown.failures != NULL ? (const char * const *) self->shown.failures : none;
}

static void
on_worker_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DbwGenerationRun *self = DBW_GENERATION_RUN (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  self->running = FALSE;
  /* The last counts before the answer, whatever order the idles run in. */
  publish_now (self);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * dbw_generation_run_run_async:
 *
 * Runs, or continues, in a worker thread until every item has a pair, the run is cancelled
 * or it fails. Cancelling keeps every pair made. Fails at once with
 * %DBW_GENERATION_ERROR_FINISHED for a run that succeeded, %DBW_GENERATION_ERROR_INVALID
 * in ai_generated mode without a model, %G_IO_ERROR_BUSY while it runs.
 */
void
dbw_generation_run_run_async (DbwGenerationRun    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  Worker *w;

  g_return_if_fail (DBW_IS_GENERATION_RUN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) run_tag);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("The generation is already running"));
      return;
    }
  if (self->shown.state == DBW_GENERATION_STATE_SUCCEEDED)
    {
      g_task_return_new_error (task, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_FINISHED,
                               _("The generation run “%s” has already finished"), dbw_generation_job_get_id (self->job));
      return;
    }
  if (dbw_generation_job_get_mode (self->job) == DBW_LABELING_MODE_AI_GENERATED &&
      self->client == NULL && self->databricks == NULL)
    {
      g_task_return_new_error (task, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                               _("Generating with a model needs a model endpoint; set one in Preferences"));
      return;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->running = TRUE;

  w = g_new0 (Worker, 1);
  w->self = g_object_ref (self);
  w->client = self->client != NULL ? g_object_ref (self->client) : NULL;
  w->model = g_strdup (self->databricks != NULL ? dbw_generation_job_get_option_string (self->job, "remote_endpoint")
                                                : self->model);
  w->concurrency = self->concurrency;
  w->logprobs = !json_object_has_member (dbw_generation_job_get_options (self->job), "logprobs") ||
                dbw_generation_job_get_option_bool (self->job, "logprobs");
  w->databricks = self->databricks != NULL ? g_object_ref (self->databricks) : NULL;
  w->warehouse_id = g_strdup (self->warehouse_id);
  w->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  w->stop = g_cancellable_new ();
  w->ready = g_ptr_array_new_with_free_func (g_object_unref);
  w->failures = json_array_new ();
  w->rate = g_array_new (FALSE, FALSE, sizeof (RateSample));
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_cancellable_cancel (w->stop);

  /* The concurrency asked for is the client's too, or its own limit would be the run's. */
  if (w->client != NULL && dbw_llm_client_get_max_concurrency (w->client) < w->concurrency)
    dbw_llm_client_set_max_concurrency (w->client, w->concurrency);

  worker = g_task_new (self, NULL, on_worker_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, (gpointer) run_tag);
  g_task_set_task_data (worker, w, (GDestroyNotify) worker_free);
  g_task_run_in_thread (worker, run_thread);
}

gboolean
dbw_generation_run_run_finish (DbwGenerationRun  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (DBW_IS_GENERATION_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
wake_worker (DbwGenerationRun *self)
{
  g_mutex_lock (&self->lock);
  if (self->worker_context != NULL)
    g_main_context_wakeup (self->worker_context);
  g_mutex_unlock (&self->lock);
}

/**
 * dbw_generation_run_pause:
 *
 * Stops starting new items; those in flight finish and are kept. The state becomes PAUSED
 * once the worker has stopped. A run on the workspace cannot pause its one statement.
 */
void
dbw_generation_run_pause (DbwGenerationRun *self)
{
  g_return_if_fail (DBW_IS_GENERATION_RUN (self));

  g_atomic_int_set (&self->paused, TRUE);
  wake_worker (self);
}

void
dbw_generation_run_unpause (DbwGenerationRun *self)
{
  g_return_if_fail (DBW_IS_GENERATION_RUN (self));

  g_atomic_int_set (&self->paused, FALSE);
  wake_worker (self);
}
