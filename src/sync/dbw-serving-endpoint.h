/* dbw-serving-endpoint.h
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

/* A model serving endpoint: ready is "READY" or "NOT_READY", config-update says whether
 * a new configuration is being rolled out ("NOT_UPDATING", "IN_PROGRESS",
 * "UPDATE_FAILED", …), task what it serves ("llm/v1/chat"; may be %NULL). */

#define DBW_TYPE_SERVING_ENDPOINT (dbw_serving_endpoint_get_type ())

G_DECLARE_FINAL_TYPE (DbwServingEndpoint, dbw_serving_endpoint, DBW, SERVING_ENDPOINT, GObject)

DbwServingEndpoint *dbw_serving_endpoint_new               (const char         *name,
                                                            const char         *ready,
                                                            const char         *config_update,
                                                            const char         *task);
const char         *dbw_serving_endpoint_get_name          (DbwServingEndpoint *self);
const char         *dbw_serving_endpoint_get_ready         (DbwServingEndpoint *self);
const char         *dbw_serving_endpoint_get_config_update (DbwServingEndpoint *self);
const char         *dbw_serving_endpoint_get_task          (DbwServingEndpoint *self);
gboolean            dbw_serving_endpoint_is_ready          (DbwServingEndpoint *self);

G_END_DECLS
