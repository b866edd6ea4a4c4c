/* dbw-template-messages.h
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

#include "dbw-template.h"

G_BEGIN_DECLS

/* The chat messages a template sends for one item: the system prompt, each few-shot
 * example as a user turn and an assistant turn, then the user prompt; both prompts
 * rendered with @context (dbw_prompt_context_for_item()). An example is an object with
 * "input" and "output", or "user" and "assistant"; a value that is not text is sent as
 * compact JSON. Errors are DBW_PROMPT_ERROR (prefixed with the prompt's name) or
 * DBW_TEMPLATE_MESSAGES_ERROR_EXAMPLE for an example that cannot be used. */

#define DBW_TEMPLATE_MESSAGES_ERROR (dbw_template_messages_error_quark ())

typedef enum
{
  DBW_TEMPLATE_MESSAGES_ERROR_EXAMPLE,
} DbwTemplateMessagesError;

GQuark     dbw_template_messages_error_quark (void);

JsonArray *dbw_template_messages_build       (DbwTemplate  *tmpl,
                                              JsonObject   *context,
                                              GError      **error);

G_END_DECLS
