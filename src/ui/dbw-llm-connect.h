/* dbw-llm-connect.h
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

#include "dbw-llm-client.h"

G_BEGIN_DECLS

#define DBW_LLM_CONNECT_ERROR (dbw_llm_connect_error_quark ())

typedef enum
{
  DBW_LLM_CONNECT_ERROR_NO_ENDPOINT,
} DbwLlmConnectError;

GQuark        dbw_llm_connect_error_quark (void);

void          dbw_llm_connect_async       (GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
DbwLlmClient *dbw_llm_connect_finish      (GAsyncResult         *result,
                                           char                **model,
                                           GError              **error);

G_END_DECLS
