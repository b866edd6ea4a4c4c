/* dbw-chat-format-private.h
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

#include <json-glib/json-glib.h>

#include "dbw-chat-format.h"

G_BEGIN_DECLS

/* dbw_chat_messages_validate() on messages already parsed, for exporters that read them. */
gboolean _dbw_chat_messages_validate_node (JsonNode  *messages,
                                           GError   **error);

G_END_DECLS
