/* dbw-job-run.c
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

#define G_LOG_DOMAIN "dbw-job-run"

#include "config.h"

#include "dbw-job-run.h"

/* One run of a Databricks job as runs/get reports it at one moment. Immutable: ask again
 * for a newer state. */

struct _DbwJobRun
{
  GObject parent_instance;

  gint64 run_id;
  char *life_cycle_state;
  char *result_state;
  char *state_message;
  char *run_page_url;
};

G_DEFINE_FINAL_TYPE (DbwJobRun, dbw_job_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUN_ID,
  PROP_LIFE_CYCLE_STATE,
  PROP_RESULT_STATE,
  PROP_STATE_MESSAGE,
  PROP_RUN_PAGE_URL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_job_run_finalize (GObject *object)
{
  DbwJobRun *self = (DbwJobRun *)object;

  g_free (self->life_cycle_state);
  g_free (self->result_state);
  g_free (self->state_message);
  g_free (self->run_page_url);

  G_OBJECT_CLASS (dbw_job_run_parent_class)->finalize (object);
}

static void
dbw_job_run_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DbwJobRun *self = DBW_JOB_RUN (object);

  switch (prop_id)
    {
    case PROP_RUN_ID:
      g_value_set_int64 (value, self->run_id);
      break;
    case PROP_LIFE_CYCLE_STATE:
      g_value_set_string (value, self->life_cycle_state);
      break;
    case PROP_RESULT_STATE:
      g_value_set_string (value, self->result_state);
      break;
    case PROP_STATE_MESSAGE:
      g_value_set_string (value, self->state_message);
      break;
    case PROP_RUN_PAGE_URL:
      g_value_set_string (value, self->run_page_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_job_run_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DbwJobRun *self = DBW_JOB_RUN (object);

  switch (prop_id)
    {
    case PROP_RUN_ID:
      self->run_id = g_value_get_int64 (value);
      break;
    case PROP_LIFE_CYCLE_STATE:
      self->life_cycle_state = g_value_dup_string (value);
      break;
    case PROP_RESULT_STATE:
      self->result_state = g_value_dup_string (value);
      break;
    case PROP_STATE_MESSAGE:
      self->state_message = g_value_dup_string (value);
      break;
    case PROP_RUN_PAGE_URL:
      self->run_page_url = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_job_run_class_init (DbwJobRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_job_run_finalize;
  object_class->get_property = dbw_job_run_get_property;
  object_class->set_property = dbw_job_run_set_property;

  properties [PROP_RUN_ID] =
    g_param_spec_int64 ("run-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* state.life_cycle_state: "PENDING", "RUNNING", "TERMINATING", "TERMINATED", "SKIPPED", "INTERNAL_ERROR", … */
  properties [PROP_LIFE_CYCLE_STATE] =
    g_param_spec_string ("life-cycle-state", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Nullable until the run ends: "SUCCESS", "FAILED", "TIMEDOUT", "CANCELED", … */
  properties [PROP_RESULT_STATE] =
    g_param_spec_string ("result-state", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Nullable: what the workspace says about the state, for the user */
  properties [PROP_STATE_MESSAGE] =
    g_param_spec_string ("state-message", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Nullable: the run's page in the workspace */
  properties [PROP_RUN_PAGE_URL] =
    g_param_spec_string ("run-page-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_job_run_init (DbwJobRun *self)
{
}

DbwJobRun *
dbw_job_run_new (gint64      run_id,
                 const char *life_cycle_state,
                 const char *result_state,
                 const char *state_message,
                 const char *run_page_url)
{
  g_return_val_if_fail (life_cycle_state != NULL, NULL);

  return g_object_new (DBW_TYPE_JOB_RUN,
                       "run-id", run_id,
                       "life-cycle-state", life_cycle_state,
                       "result-state", result_state,
                       "state-message", state_message,
                       "run-page-url", run_page_url,
                       NULL);
}

gint64
dbw_job_run_get_run_id (DbwJobRun *self)
{
  g_return_val_if_fail (DBW_IS_JOB_RUN (self), 0);

  return self->run_id;
}

const char *
dbw_job_run_get_life_cycle_state (DbwJobRun *self)
{
  g_return_val_if_fail (DBW_IS_JOB_RUN (self), NULL);

  return self->life_cycle_state;
}

const char *
dbw_job_run_get_result_state (DbwJobRun *self)
{
  g_return_val_if_fail (DBW_IS_JOB_RUN (self), NULL);

  return self->result_state;
}

const char *
dbw_job_run_get_state_message (DbwJobRun *self)
{
  g_return_val_if_fail (DBW_IS_JOB_RUN (self), NULL);

  return self->state_message;
}

const char *
dbw_job_run_get_run_page_url (DbwJobRun *self)
{
  g_return_val_if_fail (DBW_IS_JOB_RUN (self), NULL);

  return self->run_page_url;
}

/* Whether the run has ended (its life cycle state will not change any more). */
gboolean
dbw_job_run_is_finished (DbwJobRun *self)
{
  g_return_val_if_fail (DBW_IS_JOB_RUN (self), FALSE);

  return g_strcmp0 (self->life_cycle_state, "TERMINATED") == 0 ||
         g_strcmp0 (self->life_cycle_state, "SKIPPED") == 0 ||
         g_strcmp0 (self->life_cycle_state, "INTERNAL_ERROR") == 0;
}
