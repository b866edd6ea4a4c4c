/* dbw-mlflow-metric.c
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

#define G_LOG_DOMAIN "dbw-mlflow-metric"

#include "config.h"

#include "dbw-mlflow-metric.h"

/* Spelled out instead of G_DEFINE_BOXED_TYPE, whose type-checking union trips -Wpedantic. */
GType
dbw_mlflow_metric_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("DbwMlflowMetric"),
                                                 (GBoxedCopyFunc) dbw_mlflow_metric_copy,
                                                 (GBoxedFreeFunc) dbw_mlflow_metric_free);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/* @timestamp: milliseconds since 1970-01-01 UTC; 0 for now */
DbwMlflowMetric *
dbw_mlflow_metric_new (const char *key,
                       double      value,
                       gint64      timestamp,
                       gint64      step)
{
  DbwMlflowMetric *self;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_new0 (DbwMlflowMetric, 1);
  self->key = g_strdup (key);
  self->value = value;
  self->timestamp = timestamp > 0 ? timestamp : g_get_real_time () / 1000;
  self->step = step;

  return self;
}

DbwMlflowMetric *
dbw_mlflow_metric_copy (const DbwMlflowMetric *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dbw_mlflow_metric_new (self->key, self->value, self->timestamp, self->step);
}

void
dbw_mlflow_metric_free (DbwMlflowMetric *self)
{
  if (self == NULL)
    return;

  g_free (self->key);
  g_free (self);
}
