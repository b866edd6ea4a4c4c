/* dbw-chat-format.c
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

#define G_LOG_DOMAIN "dbw-chat-format"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dbw-chat-format-private.h"

G_DEFINE_QUARK (dbw-chat-format-error-quark, dbw_chat_format_error)

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID, message);
  return FALSE;
}

gboolean
_dbw_chat_messages_validate_node (JsonNode  *node,
                                  GError   **error)
{
  JsonArray *messages;
  guint n;
  const char *expected = "user";
  const char *last = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, _("“messages” is not an array"));

  messages = json_node_get_array (node);
  n = json_array_get_length (messages);
  if (n == 0)
    return fail (error, _("There are no messages"));

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (messages, i);
      JsonObject *message;
      JsonNode *role_node;
      JsonNode *content_node;
      const char *role;
      const char *content;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, _("Message %u is not an object"), i);
      message = json_node_get_object (element);

      role_node = json_object_get_member (message, "role");
      if (role_node == NULL || json_node_get_value_type (role_node) != G_TYPE_STRING)
        return fail (error, _("Message %u has no role"), i);
      role = json_node_get_string (role_node);

      content_node = json_object_get_member (message, "content");
      if (content_node == NULL || json_node_get_value_type (content_node) != G_TYPE_STRING)
        return fail (error, _("Message %u (%s) has no text content"), i, role);
      content = json_node_get_string (content_node);
      if (is_blank (content))
        return fail (error, _("Message %u (%s) has empty content"), i, role);

      if (g_str_equal (role, "system"))
        {
          if (i != 0)
            return fail (error, _("Message %u: a system message may only come first"), i);
          continue;
        }

      if (!g_str_equal (role, "user") && !g_str_equal (role, "assistant"))
        return fail (error, _("Message %u has an unknown role “%s”"), i, role);

      if (!g_str_equal (role, expected))
        return fail (error, _("Message %u is from the %s, expected the %s (roles must alternate, starting with the user)"),
                     i, role, expected);

      expected = g_str_equal (role, "user") ? "assistant" : "user";
      last = role;
    }

  if (g_strcmp0 (last, "assistant") != 0)
    return fail (error, _("The last message must be the assistant’s"));

  return TRUE;
}

/* The fast path: stored messages and exported lines are compact arrays of {"role",
 * "content"} strings, and checking 100,000 of them through a parser costs more than
 * writing them. This scanner only ever says "valid" for text the parser would accept and
 * find valid; anything it is unsure of (other value types, escapes in keys, repeated
 * members, errors) goes to the parser, which also names what is wrong. */

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* @p at the opening quote; returns the end after the closing quote, or NULL. */
static const char *
scan_string (const char *p,
             gboolean   *escaped,
             gboolean   *blank)
{
  *escaped = FALSE;
  *blank = TRUE;

  for (p++;;)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        return p + 1;
      if (c < 0x20)
        return NULL;
      if (c != '\\')
        {
          if (!g_ascii_isspace (c))
            *blank = FALSE;
          p++;
          continue;
        }

      *escaped = TRUE;
      switch (p[1])
        {
        case 'n': case 'r': case 't': case 'f':
          p += 2;
          break;
        case '"': case '\\': case '/': case 'b':
          *blank = FALSE;
          p += 2;
          break;
        case 'u':
          {
            int code = 0;

            for (int i = 2; i < 6; i++)
              {
                int v = hex_value (p[i]);

                if (v < 0)
                  return NULL;
                code = code * 16 + v;
              }
            if (code == 0 || (code >= 0xd800 && code <= 0xdfff))
              return NULL;
            if (code > 0x20 || !g_ascii_isspace (code))
              *blank = FALSE;
            p += 6;
          }
          break;
        default:
          return NULL;
        }
    }
}

/* @p at '['; returns the end after ']' when the messages are valid, else NULL. */
static const char *
scan_messages (const char *p)
{
  const char *expected = "user";
  const char *last = NULL;
  guint index = 0;

  if (*p != '[')
    return NULL;
  p = skip_space (p + 1);

  for (;;)
    {
      const char *role = NULL;
      gsize role_len = 0;
      gboolean has_content = FALSE;
      gboolean content_blank = TRUE;

      if (*p != '{')
        return NULL;
      p = skip_space (p + 1);

      for (;;)
        {
          const char *key = p + 1;
          const char *value;
          gsize key_len;
          gboolean escaped, blank;

          if (*p != '"' || !(p = scan_string (p, &escaped, &blank)) || escaped)
            return NULL;
          key_len = p - key - 1;
          p = skip_space (p);
          if (*p != ':')
            return NULL;
          p = skip_space (p + 1);
          value = p + 1;
          if (*p != '"' || !(p = scan_string (p, &escaped, &blank)))
            return NULL;

          if (key_len == 4 && memcmp (key, "role", 4) == 0)
            {
              if (role != NULL || escaped)
                return NULL;
              role = value;
              role_len = p - value - 1;
            }
          else if (key_len == 7 && memcmp (key, "content", 7) == 0)
            {
              if (has_content)
                return NULL;
              has_content = TRUE;
              content_blank = blank;
            }

          p = skip_space (p);
          if (*p == ',')
            {
              p = skip_space (p + 1);
              continue;
            }
          if (*p != '}')
            return NULL;
          p = skip_space (p + 1);
          break;
        }

      if (role == NULL || !has_content || content_blank)
        return NULL;
      if (role_len == 6 && memcmp (role, "system", 6) == 0)
        {
          if (index != 0)
            return NULL;
        }
      else if (role_len == strlen (expected) && memcmp (role, expected, role_len) == 0)
        {
          last = expected;
          expected = last[0] == 'u' ? "assistant" : "user";
        }
      else
        return NULL;
      index++;

      if (*p == ',')
        {
          p = skip_space (p + 1);
          continue;
        }
      if (*p != ']')
        return NULL;
      p++;
      break;
    }

  if (last == NULL || last[0] != 'a')
    return NULL;
  return p;
}

static gboolean
messages_surely_valid (const char *text)
{
  const char *end = scan_messages (skip_space (text));

  return end != NULL && *skip_space (end) == '\0' && g_utf8_validate (text, -1, NULL);
}

static gboolean
line_surely_valid (const char *line)
{
  const char *p = skip_space (line);

  if (*p != '{')
    return FALSE;
  p = skip_space (p + 1);
  if (strncmp (p, "\"messages\"", 10) != 0)
    return FALSE;
  p = skip_space (p + 10);
  if (*p != ':')
    return FALSE;
  p = scan_messages (skip_space (p + 1));
  if (p == NULL)
    return FALSE;
  p = skip_space (p);
  if (*p != '}')
    return FALSE;
  return *skip_space (p + 1) == '\0' && g_utf8_validate (line, -1, NULL);
}

static JsonNode *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      fail (error, _("Not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      fail (error, _("Empty"));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

gboolean
dbw_chat_messages_validate (const char  *messages_json,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (messages_json != NULL, FALSE);

  if (messages_surely_valid (messages_json))
    return TRUE;
  if (!(root = parse (messages_json, error)))
    return FALSE;

  return _dbw_chat_messages_validate_node (root, error);
}

gboolean
dbw_chat_line_validate (const char  *line,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (line != NULL, FALSE);

  if (line_surely_valid (line))
    return TRUE;
  if (!(root = parse (line, error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, _("Not a JSON object"));

  object = json_node_get_object (root);
  if (!json_object_has_member (object, "messages"))
    return fail (error, _("No “messages” member"));

  return _dbw_chat_messages_validate_node (json_object_get_member (object, "messages"), error);
}

gboolean
dbw_chat_jsonl_validate_file (GFile         *file,
                              gint64        *n_lines,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autofree char *name = NULL;
  gint64 line_number = 0;
  gint64 n_valid = 0;
  gint64 first_blank = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);

  if (n_lines != NULL)
    *n_lines = 0;

  if (!(input = g_file_read (file, cancellable, error)))
    return FALSE;

  data = g_data_input_stream_new (G_INPUT_STREAM (input));
  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *line = NULL;
      gsize length = 0;

      line = g_data_input_stream_read_line_utf8 (data, &length, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("%s, line %" G_GINT64_FORMAT ": "), name, line_number + 1);
          return FALSE;
        }
      if (line == NULL)
        break;

      line_number++;

      /* Trainers accept blank lines at the end of a file, nowhere else. */
      if (length == 0 || is_blank (line))
        {
          if (first_blank == 0)
            first_blank = line_number;
          continue;
        }
      if (first_blank != 0)
        {
          g_set_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID,
                       _("%s, line %" G_GINT64_FORMAT ": empty line"), name, first_blank);
          return FALSE;
        }

      if (!dbw_chat_line_validate (line, &local_error))
        {
          g_set_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID,
                       _("%s, line %" G_GINT64_FORMAT ": %s"), name, line_number, local_error->message);
          return FALSE;
        }

      n_valid++;
    }

  if (n_valid == 0)
    {
      g_set_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID,
                   _("%s has no examples"), name);
      return FALSE;
    }

  if (n_lines != NULL)
    *n_lines = n_valid;

  return TRUE;
}
