/* test-template-messages.c
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

#include "config.h"

#include <string.h>

#include "dbw-prompt.h"
#include "dbw-template-messages.h"

static JsonObject *
make_context (void)
{
  g_autoptr(DbwItem) item = dbw_item_new ();

  dbw_item_set_item_ref (item, "row_7");
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, "{\"instrument\":\"RAD-3\",\"dose\":12.5}");

  return dbw_prompt_context_for_item (item);
}

static const char *
role_of (JsonArray *messages,
         guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (messages, i), "role");
}

static const char *
content_of (JsonArray *messages,
            guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (messages, i), "content");
}

static void
test_build (void)
{
  g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
  g_autoptr(JsonObject) context = make_context ();
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  dbw_template_set_system_prompt (tmpl, "You check readings of {{ instrument }}.");
  dbw_template_set_user_prompt_template (tmpl, "Dose {{ dose }} for {{ item.ref }}?");
  dbw_template_set_examples (tmpl,
                             "[{\"input\":\"Dose 1\",\"output\":{\"ok\":true}},"
                             " {\"user\":\"Dose 90\",\"assistant\":\"{\\\"ok\\\":false}\"}]");

  messages = dbw_template_messages_build (tmpl, context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (messages), ==, 6);
  g_assert_cmpstr (role_of (messages, 0), ==, "system");
  g_assert_cmpstr (content_of (messages, 0), ==, "You check readings of RAD-3.");
  g_assert_cmpstr (role_of (messages, 1), ==, "user");
  g_assert_cmpstr (content_of (messages, 1), ==, "Dose 1");
  g_assert_cmpstr (role_of (messages, 2), ==, "assistant");
  g_assert_cmpstr (content_of (messages, 2), ==, "{\"ok\":true}");
  g_assert_cmpstr (content_of (messages, 4), ==, "{\"ok\":false}");
  g_assert_cmpstr (role_of (messages, 5), ==, "user");
  g_assert_cmpstr (content_of (messages, 5), ==, "Dose 12.5 for row_7?");

  /* No system prompt, no examples: the user prompt alone. */
  g_clear_pointer (&messages, json_array_unref);
  dbw_template_set_system_prompt (tmpl, "");
  dbw_template_set_examples (tmpl, "[]");
  messages = dbw_template_messages_build (tmpl, context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
}

static void
test_errors (void)
{
  g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
  g_autoptr(JsonObject) context = make_context ();
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  /* A missing variable names itself, and which prompt it is in. */
  dbw_template_set_user_prompt_template (tmpl, "Site {{ site }}");
  messages = dbw_template_messages_build (tmpl, context, &error);
  g_assert_null (messages);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "site"));
  g_assert_true (g_str_has_prefix (error->message, "User prompt: "));
  g_clear_error (&error);

  dbw_template_set_user_prompt_template (tmpl, "Dose {{ dose }}");
  dbw_template_set_examples (tmpl, "[{\"input\":\"a\",\"output\":\"b\"},{\"input\":\"c\"}]");
  messages = dbw_template_messages_build (tmpl, context, &error);
  g_assert_null (messages);
  g_assert_error (error, DBW_TEMPLATE_MESSAGES_ERROR, DBW_TEMPLATE_MESSAGES_ERROR_EXAMPLE);
  g_assert_nonnull (strstr (error->message, "2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/template-messages/build", test_build);
  g_test_add_func ("/template-messages/errors", test_errors);

  return g_test_run ();
}
