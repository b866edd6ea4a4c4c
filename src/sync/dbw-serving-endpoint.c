/* dbw-serving-endpoint.c
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

#define G_LOG_DOMAIN "dbw-serving-endpoint"

#include "config.h"

#include "dbw-serving-endpoint.h"

/* A model serving endpoint as the workspace lists it: its name, whether it answers, and
 * whether a change of its configuration is under way. Immutable. */

struct _DbwServingEndpoint
{
  GObject parent_instance;

  char *name;
  char *ready;
  char *config_update;
  char *task;
};

G_DEFINE_FINAL_TYPE (DbwServingEndpoint, dbw_serving_endpoint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_READY,
  PROP_CONFIG_UPDATE,
  PROP_TASK,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_serving_endpoint_finalize (GObject *object)
{
  DbwServingEndpoint *self = (DbwServingEndpoint *)object;

  g_free (self->name);
  g_free (self->ready);
  g_free (self->config_update);
  g_free (self->task);

  G_OBJECT_CLASS (dbw_serving_endpoint_parent_class)->finalize (object);
}

static void
dbw_serving_endpoint_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DbwServingEndpoint *self = DBW_SERVING_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_READY:
      g_value_set_string (value, self->ready);
      break;
    case PROP_CONFIG_UPDATE:
      g_value_set_string (value, self->config_update);
      break;
    case PROP_TASK:
      g_value_set_string (value, self->task);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_serving_endpoint_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DbwServingEndpoint *self = DBW_SERVING_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_READY:
      self->ready = g_value_dup_string (value);
      break;
    case PROP_CONFIG_UPDATE:
      self->config_update = g_value_dup_string (value);
      break;
    case PROP_TASK:
      self->task = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_serving_endpoint_class_init (DbwServingEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_serving_endpoint_finalize;
  object_class->get_property = dbw_serving_endpoint_get_property;
  object_class->set_property = dbw_serving_endpoint_set_property;

  /* "databricks-meta-llama-3-3-70b-instruct" */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* state.ready: "READY" or "NOT_READY" */
  properties [PROP_READY] =
    g_param_spec_string ("ready", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* state.config_update: "NOT_UPDATING", "IN_PROGRESS", "UPDATE_FAILED", … */
  properties [PROP_CONFIG_UPDATE] =
    g_param_spec_string ("config-update", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Nullable: what it serves, such as "llm/v1/chat" or "llm/v1/embeddings" */
  properties [PROP_TASK] =
    g_param_spec_string ("task", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_serving_endpoint_init (DbwServingEndpoint *self)
{
}

DbwServingEndpoint *
dbw_serving_endpoint_new (const char *name,
                          const char *ready,
                          const char *config_update,
                          const char *task)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (ready != NULL, NULL);
  g_return_val_if_fail (config_update != NULL, NULL);

  return g_object_new (DBW_TYPE_SERVING_ENDPOINT,
                       "name", name,
                       "ready", ready,
                       "config-update", config_update,
                       "task", task,
                       NULL);
}

const char *
dbw_serving_endpoint_get_name (DbwServingEndpoint *self)
{
  g_return_val_if_fail (DBW_IS_SERVING_ENDPOINT (self), NULL);

  return self->name;
}

const char *
dbw_serving_endpoint_get_ready (DbwServingEndpoint *self)
{
  g_return_val_if_fail (DBW_IS_SERVING_ENDPOINT (self), NULL);

  return self->ready;
}

const char *
dbw_serving_endpoint_get_config_update (DbwServingEndpoint *self)
{
  g_return_val_if_fail (DBW_IS_SERVING_ENDPOINT (self), NULL);

  return self->config_update;
}

const char *
dbw_serving_endpoint_get_task (DbwServingEndpoint *self)
{
  g_return_val_if_fail (DBW_IS_SERVING_ENDPOINT (self), NULL);

  return self->task;
}

/* Whether it answers invocations now (a configuration update may still be under way). */
gboolean
dbw_serving_endpoint_is_ready (DbwServingEndpoint *self)
{
  g_return_val_if_fail (DBW_IS_SERVING_ENDPOINT (self), FALSE);

  return g_strcmp0 (self->ready, "READY") == 0;
}
