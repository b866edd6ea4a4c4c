/* test-chat-format.c
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dbw-chat-format-private.h"

static void
assert_invalid (const char *messages_json,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_chat_messages_validate (messages_json, &error));
  g_assert_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s”: expected “%s” in “%s”", messages_json, fragment, error->message);
}

static void
test_messages_valid (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_chat_messages_validate ("[{\"role\":\"user\",\"content\":\"Q\"},"
                                             "{\"role\":\"assistant\",\"content\":\"A\"}]", &error));
  g_assert_no_error (error);
  g_assert_true (dbw_chat_messages_validate ("[{\"role\":\"system\",\"content\":\"S\"},"
                                             "{\"role\":\"user\",\"content\":\"Q\"},"
                                             "{\"role\":\"assistant\",\"content\":\"A\"},"
                                             "{\"role\":\"user\",\"content\":\"Q2\"},"
                                             "{\"role\":\"assistant\",\"content\":\"A2\"}]", &error));
  g_assert_no_error (error);
}

static void
test_messages_invalid (void)
{
  assert_invalid ("not json", "Not valid JSON");
  assert_invalid ("{}", "not an array");
  assert_invalid ("[]", "no messages");
  assert_invalid ("[1]", "Message 0 is not an object");
  assert_invalid ("[{\"content\":\"Q\"}]", "Message 0 has no role");
  assert_invalid ("[{\"role\":\"user\",\"content\":3}]", "Message 0 (user) has no text content");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"  \"}]",
                  "Message 1 (assistant) has empty content");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"\"}]",
                  "Message 1 (assistant) has empty content");
  assert_invalid ("[{\"role\":\"assistant\",\"content\":\"A\"}]", "Message 0 is from the assistant");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"user\",\"content\":\"Q\"}]",
                  "Message 1 is from the user, expected the assistant");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"}]", "last message");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"},"
                  "{\"role\":\"user\",\"content\":\"Q\"}]", "last message");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"system\",\"content\":\"S\"},"
                  "{\"role\":\"assistant\",\"content\":\"A\"}]", "Message 1: a system message");
  assert_invalid ("[{\"role\":\"tool\",\"content\":\"Q\"}]", "unknown role “tool”");
  assert_invalid ("[{\"role\":\"system\",\"content\":\"S\"}]", "last message");
  assert_invalid ("[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"\\n\\t \\u0020\"}]",
                  "Message 1 (assistant) has empty content");
}

static void
test_messages_members (void)
{
  g_autoptr(GError) error = NULL;

  /* escapes, other members and values of other types are fine */
  g_assert_true (dbw_chat_messages_validate ("[ {\"role\": \"user\", \"content\": \"\\u0041\\n\", \"name\": \"ada\"},\n"
                                             "{\"content\":\"\\\"A\\\"\",\"role\":\"assistant\",\"weight\":1} ]",
                                             &error));
  g_assert_no_error (error);
}

/* Random messages, some broken: the quick scan and the parser always agree. */
static void
test_messages_agree (void)
{
  static const char *roles[] = { "system", "user", "assistant", "tool", "" };
  static const char *contents[] = { "Q", "", " ", "\\n", "\\u0041", "\\u0020\\t", "a\\\"b", "é",
                                    "\\ud800", "\\x", "\t" };
  static const char *extras[] = { "", ",\"name\":\"n\"", ",\"weight\":2", ",\"role\":\"user\"",
                                  ",\"content\":\"again\"", ",\"ro\\u006ce\":\"user\"" };
  GRand *rand = g_rand_new_with_seed (20260124);
  guint n_valid = 0;

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GString) json = g_string_new (g_rand_int_range (rand, 0, 10) == 0 ? " [" : "[");
      guint n = g_rand_int_range (rand, 0, 5);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gboolean expected = FALSE;
      gboolean got;

      for (guint m = 0; m < n; m++)
        {
          /* mostly a proper conversation */
          const char *role = g_rand_int_range (rand, 0, 6) != 0 ? (m == 0 && g_rand_boolean (rand) ? "system"
                                                                   : (m % 2 == 0) ? "user" : "assistant")
                                                                : roles[g_rand_int_range (rand, 0, G_N_ELEMENTS (roles))];
          const char *content = g_rand_int_range (rand, 0, 4) != 0 ? "Q"
                                : contents[g_rand_int_range (rand, 0, G_N_ELEMENTS (contents))];
          const char *extra = g_rand_int_range (rand, 0, 4) != 0 ? ""
                              : extras[g_rand_int_range (rand, 0, G_N_ELEMENTS (extras))];

          if (m > 0)
            g_string_append_c (json, ',');
          if (g_rand_int_range (rand, 0, 30) == 0)
            g_string_append (json, "\"broken\"");
          else
            g_string_append_printf (json, "{\"role\":\"%s\",\"content\":\"%s\"%s}", role, content, extra);
        }
      g_string_append (json, g_rand_int_range (rand, 0, 30) == 0 ? "" : "]");

      if (json_parser_load_from_data (parser, json->str, -1, NULL))
        expected = _dbw_chat_messages_validate_node (json_parser_get_root (parser), NULL);
      got = dbw_chat_messages_validate (json->str, &error);
      if (got != expected)
        g_error ("%s: parser says %s, the check %s", json->str, expected ? "valid" : "invalid",
                 got ? "valid" : "invalid");
      g_assert_true (got == (error == NULL));
      n_valid += got;
    }
  /* both kinds were tried */
  g_assert_cmpuint (n_valid, >, 1000);
  g_assert_cmpuint (n_valid, <, 19000);
  g_rand_free (rand);
}

static void
test_line (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_chat_line_validate ("{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},"
                                         "{\"role\":\"assistant\",\"content\":\"A\"}]}", &error));
  g_assert_no_error (error);

  g_assert_false (dbw_chat_line_validate ("[]", &error));
  g_assert_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (dbw_chat_line_validate ("{\"prompt\":\"Q\"}", &error));
  g_assert_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "messages"));
}

#define GOOD "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"}]}\n"

static gboolean
validate_contents (const char  *contents,
                   gint64      *n_lines,
                   GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("dbw-chat-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "train.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean ok;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  ok = dbw_chat_jsonl_validate_file (file, n_lines, NULL, error);
  g_unlink (path);
  g_rmdir (dir);
  return ok;
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  g_assert_true (validate_contents (GOOD GOOD GOOD, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);

  /* A trailing blank line is fine; no final newline is fine. */
  g_assert_true (validate_contents (GOOD GOOD "\n", &n, &error));
  g_assert_cmpint (n, ==, 2);
  g_assert_true (validate_contents ("{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},"
                                    "{\"role\":\"assistant\",\"content\":\"A\"}]}", &n, &error));
  g_assert_cmpint (n, ==, 1);

  g_assert_false (validate_contents (GOOD GOOD "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"}]}\n" GOOD,
                                     &n, &error));
  g_assert_error (error, DBW_CHAT_FORMAT_ERROR, DBW_CHAT_FORMAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "train.jsonl, line 3:"));
  g_assert_nonnull (strstr (error->message, "last message"));
  g_assert_cmpint (n, ==, 0);
  g_clear_error (&error);

  g_assert_false (validate_contents (GOOD "\n" GOOD, NULL, &error));
  g_assert_nonnull (strstr (error->message, "train.jsonl, line 2: empty line"));
  g_clear_error (&error);

  g_assert_false (validate_contents ("", NULL, &error));
  g_assert_nonnull (strstr (error->message, "no examples"));
  g_clear_error (&error);
}

static void
test_file_missing (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/dbw/train.jsonl");
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_chat_jsonl_validate_file (file, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat-format/messages/valid", test_messages_valid);
  g_test_add_func ("/chat-format/messages/invalid", test_messages_invalid);
  g_test_add_func ("/chat-format/messages/members", test_messages_members);
  g_test_add_func ("/chat-format/messages/agree", test_messages_agree);
  g_test_add_func ("/chat-format/line", test_line);
  g_test_add_func ("/chat-format/file", test_file);
  g_test_add_func ("/chat-format/file/missing", test_file_missing);

  return g_test_run ();
}
