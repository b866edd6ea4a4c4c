/* dbw-mlflow-metric.h
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

/* One value of a metric of an MLflow run, at one step. Plain data with public fields. */
typedef struct
{
  char   *key;        /* "loss", "eval/accuracy" */
  double  value;      /* finite */
  gint64  timestamp;  /* milliseconds since 1970-01-01 UTC */
  gint64  step;
} DbwMlflowMetric;

#define DBW_TYPE_MLFLOW_METRIC (dbw_mlflow_metric_get_type ())

GType            dbw_mlflow_metric_get_type (void) G_GNUC_CONST;
DbwMlflowMetric *dbw_mlflow_metric_new      (const char            *key,
                                             double                 value,
                                             gint64                 timestamp,
                                             gint64                 step);
DbwMlflowMetric *dbw_mlflow_metric_copy     (const DbwMlflowMetric *self);
void             dbw_mlflow_metric_free     (DbwMlflowMetric       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwMlflowMetric, dbw_mlflow_metric_free)

G_END_DECLS
