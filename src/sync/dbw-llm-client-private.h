/* dbw-llm-client-private.h
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

#include "dbw-llm-client.h"

G_BEGIN_DECLS

/* The length of the requests-per-minute window, one minute unless a test shortens it. */
void _dbw_llm_client_set_rate_window (DbwLlmClient *self,
                                      guint         msec);

G_END_DECLS
