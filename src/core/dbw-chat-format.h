/* dbw-chat-format.h
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

G_BEGIN_DECLS

/* The chat-messages training format, checked the way trainers check it before they spend
 * GPU time: a JSON object {"messages": [...]} whose messages have a role (system, user,
 * assistant) and non-empty string content; an optional system message first, then user
 * and assistant alternating, starting with user and ending with the assistant. */

#define DBW_CHAT_FORMAT_ERROR (dbw_chat_format_error_quark ())

typedef enum
{
  DBW_CHAT_FORMAT_ERROR_INVALID,  /* names the line (when in a file), the message index and what is wrong */
} DbwChatFormatError;

GQuark   dbw_chat_format_error_quark   (void);

/* @messages_json: a JSON array of messages, as qa_pairs.messages stores them. */
gboolean dbw_chat_messages_validate    (const char    *messages_json,
                                        GError       **error);
/* @line: one JSONL line, {"messages": [...]}. */
gboolean dbw_chat_line_validate        (const char    *line,
                                        GError       **error);
/* Every line of a JSONL file; the error names the file and line. @n_lines may be NULL. */
gboolean dbw_chat_jsonl_validate_file  (GFile         *file,
                                        gint64        *n_lines,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
