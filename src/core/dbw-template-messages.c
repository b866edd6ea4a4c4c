/* dbw-template-messages.c
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

#define G_LOG_DOMAIN "dbw-template-messages"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dbw-json-text.h"
#include "dbw-prompt.h"
#include "dbw-template-messages.h"

/* One place that turns a template and an item into what is sent to the model, so that
 * testing a template shows exactly what generating with it sends. */

G_DEFINE_QUARK (dbw-template-messages-error-quark, dbw_template_messages_error)

static void
add_message (JsonArray  *messages,
             const char *role,
             const char *content)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", role);
  json_object_set_string_member (message, "content", content);
  json_array_add_object_element (messages, message);
}

static char *
node_to_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return dbw_json_to_compact (node);
}

static gboolean
add_examples (JsonArray   *messages,
              const char  *examples,
              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonArray *array;

  if (examples == NULL || examples[0] == '\0')
    return TRUE;

  root = json_from_string (examples, &parse_error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, DBW_TEMPLATE_MESSAGES_ERROR, DBW_TEMPLATE_MESSAGES_ERROR_EXAMPLE,
                   _("The examples are not a JSON array: %s"),
                   parse_error != NULL ? parse_error->message : _("another kind of value"));
      return FALSE;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *example;
      JsonNode *input;
      JsonNode *output;
      g_autofree char *input_text = NULL;
      g_autofree char *output_text = NULL;

      example = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      input = example != NULL ? json_object_get_member (example, "input") : NULL;
      output = example != NULL ? json_object_get_member (example, "output") : NULL;
      if (example != NULL && input == NULL && output == NULL)
        {
          input = json_object_get_member (example, "user");
          output = json_object_get_member (example, "assistant");
        }

      if (input == NULL || output == NULL || JSON_NODE_HOLDS_NULL (input) || JSON_NODE_HOLDS_NULL (output))
        {
          g_set_error (error, DBW_TEMPLATE_MESSAGES_ERROR, DBW_TEMPLATE_MESSAGES_ERROR_EXAMPLE,
                       /* Translators: "input" and "output" are JSON member names, keep them */
                       _("Example %u needs an “input” and an “output”"), i + 1);
          return FALSE;
        }

      input_text = node_to_text (input);
      output_text = node_to_text (output);
      add_message (messages, "user", input_text);
      add_message (messages, "assistant", output_text);
    }

  return TRUE;
}

/**
 * dbw_template_messages_build:
 * @tmpl: a template, stored or not
 * @context: the variables of one item
 *
 * Returns: (transfer full): a JSON array of {role, content}, or %NULL with @error set
 */
JsonArray *
dbw_template_messages_build (DbwTemplate  *tmpl,
                             JsonObject   *context,
                             GError      **error)
{
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autofree char *system = NULL;
  g_autofree char *user = NULL;
  const char *system_source;

  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), NULL);
  g_return_val_if_fail (context != NULL, NULL);

  system_source = dbw_template_get_system_prompt (tmpl);
  if (system_source != NULL && system_source[0] != '\0')
    {
      system = dbw_prompt_render (system_source, context, error);
      if (system == NULL)
        {
          g_prefix_error (error, _("System prompt: "));
          return NULL;
        }
      add_message (messages, "system", system);
    }

  if (!add_examples (messages, dbw_template_get_examples (tmpl), error))
    return NULL;

  user = dbw_prompt_render (dbw_template_get_user_prompt_template (tmpl) != NULL
                            ? dbw_template_get_user_prompt_template (tmpl) : "",
                            context, error);
  if (user == NULL)
    {
      g_prefix_error (error, _("User prompt: "));
      return NULL;
    }
  add_message (messages, "user", user);

  return g_steal_pointer (&messages);
}
