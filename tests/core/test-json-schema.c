/* test-json-schema.c
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

#include "dbw-json-schema.h"
#include "dbw-json-text.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_valid (const char *schema_json,
              const char *instance_json)
{
  g_autoptr(JsonNode) schema = parse (schema_json);
  g_autoptr(JsonNode) instance = parse (instance_json);
  g_autoptr(GError) error = NULL;

  if (!dbw_json_schema_validate (schema, instance, &error))
    g_error ("%s should accept %s: %s", schema_json, instance_json, error->message);
}

/* @message is the whole message expected. */
static void
assert_invalid (const char *schema_json,
                const char *instance_json,
                const char *message)
{
  g_autoptr(JsonNode) schema = parse (schema_json);
  g_autoptr(JsonNode) instance = parse (instance_json);
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_json_schema_validate (schema, instance, &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, message);

  /* Without an error to fill in, the answer is the same. */
  g_assert_false (dbw_json_schema_validate (schema, instance, NULL));
}

static void
assert_bad_schema (const char *schema_json,
                   const char *message)
{
  g_autoptr(JsonNode) schema = parse (schema_json);
  g_autoptr(JsonNode) instance = parse ("1");
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_json_schema_check (schema, &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  /* Validation never runs on a malformed schema. */
  g_assert_false (dbw_json_schema_validate (schema, instance, &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA);
}

static void
test_type (void)
{
  assert_valid ("{}", "{\"anything\":[1,null]}");
  assert_valid ("true", "3");
  assert_invalid ("false", "3", "$: no value is allowed here");

  assert_valid ("{\"type\":\"string\"}", "\"x\"");
  assert_valid ("{\"type\":\"number\"}", "1");
  assert_valid ("{\"type\":\"number\"}", "1.5");
  assert_valid ("{\"type\":\"integer\"}", "7");
  /* 2.0 is a whole number. */
  assert_valid ("{\"type\":\"integer\"}", "2.0");
  assert_valid ("{\"type\":\"boolean\"}", "false");
  assert_valid ("{\"type\":\"object\"}", "{}");
  assert_valid ("{\"type\":\"array\"}", "[]");
  assert_valid ("{\"type\":\"null\"}", "null");
  assert_valid ("{\"type\":[\"string\",\"null\"]}", "null");

  assert_invalid ("{\"type\":\"string\"}", "1", "$: expected string, found integer");
  assert_invalid ("{\"type\":\"integer\"}", "1.5", "$: expected integer, found number");
  assert_invalid ("{\"type\":\"number\"}", "\"1\"", "$: expected number, found string");
  assert_invalid ("{\"type\":\"boolean\"}", "null", "$: expected boolean, found null");
  assert_invalid ("{\"type\":\"object\"}", "[]", "$: expected object, found array");
  assert_invalid ("{\"type\":[\"string\",\"integer\",\"null\"]}", "true",
                  "$: expected string, integer or null, found boolean");
}

static void
test_values (void)
{
  assert_valid ("{\"enum\":[\"yes\",\"no\",1]}", "\"no\"");
  assert_valid ("{\"enum\":[\"yes\",\"no\",1]}", "1.0");
  assert_valid ("{\"enum\":[{\"a\":1,\"b\":[2]}]}", "{\"b\":[2],\"a\":1}");
  assert_invalid ("{\"enum\":[\"yes\",\"no\"]}", "\"maybe\"", "$: \"maybe\" is not one of [\"yes\",\"no\"]");
  assert_invalid ("{\"enum\":[{\"a\":1}]}", "{\"a\":1,\"b\":2}", "$: {\"a\":1,\"b\":2} is not one of [{\"a\":1}]");

  assert_valid ("{\"const\":\"fixed\"}", "\"fixed\"");
  assert_invalid ("{\"const\":\"fixed\"}", "\"other\"", "$: must be \"fixed\"");
  assert_invalid ("{\"const\":null}", "0", "$: must be null");

  assert_valid ("{\"minimum\":0,\"maximum\":1}", "0");
  assert_valid ("{\"minimum\":0,\"maximum\":1}", "1.0");
  /* Limits apply to numbers only. */
  assert_valid ("{\"minimum\":0}", "\"-5\"");
  assert_invalid ("{\"minimum\":0.5}", "0.1", "$: 0.1 is less than the minimum, 0.5");
  assert_invalid ("{\"maximum\":120.1}", "120.2", "$: 120.2 is more than the maximum, 120.1");

  assert_valid ("{\"minLength\":2,\"maxLength\":3}", "\"ab\"");
  /* Characters, not bytes. */
  assert_valid ("{\"maxLength\":3}", "\"äöü\"");
  assert_invalid ("{\"minLength\":2}", "\"a\"", "$: the text is shorter than 2 characters");
  assert_invalid ("{\"maxLength\":1}", "\"ab\"", "$: the text is longer than 1 character");

  assert_valid ("{\"pattern\":\"^[A-Z]{3}-\\\\d+$\"}", "\"ABC-12\"");
  /* Not anchored unless it says so. */
  assert_valid ("{\"pattern\":\"\\\\d\"}", "\"a1b\"");
  assert_invalid ("{\"pattern\":\"^\\\\d+$\"}", "\"12a\"", "$: \"12a\" does not match the pattern “^\\d+$”");

  /* Long values are cut in messages: 59 characters and an ellipsis. */
  {
    g_autoptr(GString) long_text = g_string_new ("\"");
    g_autoptr(GString) expected = g_string_new ("$: \"");

    for (guint i = 0; i < 100; i++)
      g_string_append_c (long_text, 'x');
    g_string_append_c (long_text, '"');
    for (guint i = 0; i < 58; i++)
      g_string_append_c (expected, 'x');
    g_string_append (expected, "… is not one of [\"a\"]");
    assert_invalid ("{\"enum\":[\"a\"]}", long_text->str, expected->str);
  }
}

static void
test_objects_and_arrays (void)
{
  const char *schema =
    "{\"type\":\"object\",\"required\":[\"label\",\"parts\"],\"additionalProperties\":false,"
    " \"properties\":{\"label\":{\"enum\":[\"a\",\"b\"]},"
    "  \"parts\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":3,"
    "   \"items\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"},\"a b\":{\"type\":\"string\"}}}}}}";

  assert_valid (schema, "{\"label\":\"a\",\"parts\":[{\"x\":1},{\"x\":2,\"other\":true}]}");
  assert_invalid (schema, "{\"label\":\"a\"}", "$: the member “parts” is required");
  assert_invalid (schema, "{\"label\":\"a\",\"parts\":[{}],\"extra\":1}", "$: the member “extra” is not allowed");
  assert_invalid (schema, "{\"label\":\"c\",\"parts\":[{}]}", "$.label: \"c\" is not one of [\"a\",\"b\"]");
  assert_invalid (schema, "{\"label\":\"a\",\"parts\":[]}", "$.parts: the list has fewer than 1 element");
  assert_invalid (schema, "{\"label\":\"a\",\"parts\":[{},{},{},{}]}", "$.parts: the list has more than 3 elements");
  assert_invalid (schema, "{\"label\":\"a\",\"parts\":[{},{},{\"x\":\"1\"}]}", "$.parts[2].x: expected integer, found string");
  assert_invalid (schema, "{\"label\":\"a\",\"parts\":[{\"a b\":1}]}", "$.parts[0][\"a b\"]: expected string, found integer");

  /* additionalProperties as a schema checks the members not listed. */
  assert_valid ("{\"additionalProperties\":{\"type\":\"number\"}}", "{\"a\":1,\"b\":2.5}");
  assert_invalid ("{\"properties\":{\"s\":{\"type\":\"string\"}},\"additionalProperties\":{\"type\":\"number\"}}",
                  "{\"s\":\"ok\",\"n\":\"no\"}", "$.n: expected number, found string");
  /* Object keywords leave other types alone. */
  assert_valid ("{\"required\":[\"a\"],\"items\":{\"type\":\"string\"}}", "5");
}

static void
test_any_of (void)
{
  const char *schema = "{\"anyOf\":[{\"type\":\"string\",\"maxLength\":2},{\"type\":\"integer\",\"minimum\":10}]}";

  assert_valid (schema, "\"ab\"");
  assert_valid (schema, "12");
  assert_invalid (schema, "5",
                  "$: matches none of the choices in “anyOf” ($: expected string, found integer; "
                  "$: 5 is less than the minimum, 10)");
  assert_invalid ("{\"properties\":{\"v\":" "{\"anyOf\":[{\"type\":\"null\"},{\"items\":{\"type\":\"string\"}}]}}}",
                  "{\"v\":[\"a\",3]}",
                  "$.v: matches none of the choices in “anyOf” ($.v: expected null, found array; "
                  "$.v[1]: expected string, found integer)");
}

static void
test_malformed_schemas (void)
{
  g_autoptr(JsonNode) ok = parse ("{\"type\":\"object\",\"unknownKeyword\":{\"whatever\":1},\"title\":\"T\"}");
  g_autoptr(GError) error = NULL;

  /* Unknown keywords are ignored. */
  g_assert_true (dbw_json_schema_check (ok, &error));
  g_assert_no_error (error);

  assert_bad_schema ("[]", "Schema $: a schema must be a JSON object, found array");
  assert_bad_schema ("\"string\"", "Schema $: a schema must be a JSON object, found string");
  assert_bad_schema ("{\"type\":\"text\"}",
                     "Schema $: “type” must be one of string, number, integer, boolean, object, array, null, or a list of them");
  assert_bad_schema ("{\"type\":[]}",
                     "Schema $: “type” must be one of string, number, integer, boolean, object, array, null, or a list of them");
  assert_bad_schema ("{\"properties\":[]}", "Schema $: “properties” must be an object of schemas");
  assert_bad_schema ("{\"properties\":{\"a\":{\"properties\":{\"b c\":{\"type\":1}}}}}",
                     "Schema $.properties.a.properties[\"b c\"]: “type” must be one of string, number, integer, "
                     "boolean, object, array, null, or a list of them");
  assert_bad_schema ("{\"required\":[\"a\",1]}", "Schema $: “required” must be a list of member names");
  assert_bad_schema ("{\"additionalProperties\":\"no\"}",
                     "Schema $.additionalProperties: a schema must be a JSON object, found string");
  assert_bad_schema ("{\"items\":{\"minimum\":\"3\"}}", "Schema $.items: “minimum” must be a number");
  assert_bad_schema ("{\"maximum\":null}", "Schema $: “maximum” must be a number");
  assert_bad_schema ("{\"enum\":[]}", "Schema $: “enum” must be a list of at least one value");
  assert_bad_schema ("{\"enum\":\"a\"}", "Schema $: “enum” must be a list of at least one value");
  assert_bad_schema ("{\"minLength\":-1}", "Schema $: “minLength” must be a whole number, 0 or more");
  assert_bad_schema ("{\"maxItems\":1.5}", "Schema $: “maxItems” must be a whole number, 0 or more");
  assert_bad_schema ("{\"pattern\":3}", "Schema $: “pattern” must be a regular expression in quotes");
  assert_bad_schema ("{\"anyOf\":[]}", "Schema $: “anyOf” must be a list of at least one schema");
  assert_bad_schema ("{\"anyOf\":[{},{\"type\":\"x\"}]}",
                     "Schema $.anyOf[1]: “type” must be one of string, number, integer, boolean, object, array, "
                     "null, or a list of them");

  {
    g_autoptr(JsonNode) bad_regex = parse ("{\"pattern\":\"(unclosed\"}");

    g_assert_false (dbw_json_schema_check (bad_regex, &error));
    g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA);
    g_assert_true (g_str_has_prefix (error->message, "Schema $: “pattern” is not a valid regular expression: "));
  }
}

static void
test_text (void)
{
  g_autoptr(JsonNode) schema = parse ("{\"type\":\"object\",\"required\":[\"label\"]}");
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_json_schema_validate_text (schema, "{\"label\":\"x\"}", &error));
  g_assert_true (dbw_json_schema_validate_text (schema, "  \n{\"label\":\"x\"}\n ", &error));
  /* The fences models like to add. */
  g_assert_true (dbw_json_schema_validate_text (schema, "```json\n{\"label\":\"x\"}\n```", &error));
  g_assert_true (dbw_json_schema_validate_text (schema, "```\n{\"label\":\"x\"}\n```\n", &error));
  g_assert_true (dbw_json_schema_validate_text (schema, "```JSON {\"label\":\"x\"} ```", &error));
  g_assert_no_error (error);

  g_assert_false (dbw_json_schema_validate_text (schema, "```json\n{\"other\":1}\n```", &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, "$: the member “label” is required");
  g_clear_error (&error);

  g_assert_false (dbw_json_schema_validate_text (schema, "The label is x.", &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_NOT_JSON);
  g_assert_true (g_str_has_prefix (error->message, "The answer is not JSON: "));
  g_clear_error (&error);

  g_assert_false (dbw_json_schema_validate_text (schema, "{\"label\":", &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_NOT_JSON);
  g_clear_error (&error);

  g_assert_false (dbw_json_schema_validate_text (schema, "  ``` ``` ", &error));
  g_assert_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_NOT_JSON);
  g_assert_cmpstr (error->message, ==, "The answer is empty, not JSON");
}

static void
test_compact_json (void)
{
  g_autoptr(JsonNode) node = parse ("{\"a\" : [1, 120.1, 2.0, -0.5, 1e-7, true, null],\n \"é\\n\" : {\"q\":\"\\\"\\u0001\"}}");
  g_autofree char *text = dbw_json_to_compact (node);
  g_autofree char *pretty = NULL;

  g_assert_cmpstr (text, ==, "{\"a\":[1,120.1,2.0,-0.5,1e-07,true,null],\"é\\n\":{\"q\":\"\\\"\\u0001\"}}");

  pretty = dbw_json_to_pretty (node);
  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"a\": [\n"
                   "    1,\n    120.1,\n    2.0,\n    -0.5,\n    1e-07,\n    true,\n    null\n"
                   "  ],\n"
                   "  \"é\\n\": {\n"
                   "    \"q\": \"\\\"\\u0001\"\n"
                   "  }\n"
                   "}");
  g_clear_pointer (&pretty, g_free);

  {
    g_autoptr(JsonNode) empty = parse ("{\"o\":{},\"a\":[]}");

    pretty = dbw_json_to_pretty (empty);
    g_assert_cmpstr (pretty, ==, "{\n  \"o\": {},\n  \"a\": []\n}");
  }
}

/* One text per value: member order, spacing and escapes do not count; numbers as written. */
static void
test_canonical_json (void)
{
  static const struct { const char *a; const char *b; } same[] = {
    { "{\"b\":1,\"a\":[true,null]}", " { \"a\" : [ true , null ] ,\n\"b\" : 1 } " },
    { "{\"x\":{\"z\":\"1\",\"y\":2}}", "{\"x\":{\"y\":2,\"z\":\"1\"}}" },
    { "\"caf\\u00e9 \\/ \\u0041\"", "\"café / A\"" },
    { "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"" },
    { "\"tab\\u0009\"", "\"tab\\t\"" },
    { "[]", " [ ] " },
    { "{}", "{ }" },
  };
  static const struct { const char *a; const char *b; } different[] = {
    { "{\"a\":1}", "{\"a\":1.0}" },
    { "{\"n\":123456789012345678901234}", "{\"n\":123456789012345678901235}" },
    { "[1,2]", "[2,1]" },
    { "{\"a\":\"1\"}", "{\"a\":1}" },
    { "\"\\ud800\"", "\"\\ud801\"" },
    { "{\"a\":1,\"a\":2}", "{\"a\":2,\"a\":1}" },
  };
  static const char *not_json[] = {
    "", "{", "{\"a\"}", "{\"a\":}", "[1,]", "\"open", "tru", "01", "1.", "{\"a\":1} x", "\"\\x\"",
    "\"raw\ttab\"", "\"\\u12\"",
  };
  g_autofree char *sorted = dbw_json_to_canonical ("{\"b\": [1, {\"d\": 2, \"c\": 3}], \"a\": \"\\u0000\"}", -1);

  g_assert_cmpstr (sorted, ==, "{\"a\":\"\\u0000\",\"b\":[1,{\"c\":3,\"d\":2}]}");

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *a = dbw_json_to_canonical (same[i].a, -1);
      g_autofree char *b = dbw_json_to_canonical (same[i].b, -1);

      g_assert_nonnull (a);
      g_assert_cmpstr (a, ==, b);
    }

  for (guint i = 0; i < G_N_ELEMENTS (different); i++)
    {
      g_autofree char *a = dbw_json_to_canonical (different[i].a, -1);
      g_autofree char *b = dbw_json_to_canonical (different[i].b, -1);

      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_assert_cmpstr (a, !=, b);
    }

  for (guint i = 0; i < G_N_ELEMENTS (not_json); i++)
    {
      g_autofree char *text = dbw_json_to_canonical (not_json[i], -1);

      if (text != NULL)
        g_error ("“%s” read as JSON: %s", not_json[i], text);
    }

  /* A length: what follows it does not count; a nul inside it is not JSON. */
  {
    g_autofree char *cut = dbw_json_to_canonical ("[1] trailing", 3);
    g_autofree char *nul = dbw_json_to_canonical ("[\"a\0\"]", 6);

    g_autofree char *number_nul = dbw_json_to_canonical ("0\0", 2);

    g_assert_cmpstr (cut, ==, "[1]");
    g_assert_null (nul);
    g_assert_null (number_nul);
  }

  /* Nesting past what a stack should take is refused, not followed. */
  {
    g_autoptr(GString) deep = g_string_new (NULL);
    g_autofree char *text = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, ']');
    text = dbw_json_to_canonical (deep->str, deep->len);
    g_assert_null (text);
  }
}

/* An object's members with their values as text, numbers keeping every digit. */
static void
test_object_members (void)
{
  g_autoptr(GArray) members = dbw_json_object_members (
    " {\"dose\": 0.100, \"serial\": 123456789012345678901234, \"note\": \"caf\\u00e9\\n\\u0000\","
    " \"ok\": true, \"gone\": null, \"meta\": { \"b\" : [1, 2.50], \"a\": \"x\" }, \"dose\": 1e3 } ", -1);
  static const struct { const char *name; const char *text; DbwJsonKind kind; } expected[] = {
    { "dose", "0.100", DBW_JSON_NUMBER },
    { "serial", "123456789012345678901234", DBW_JSON_NUMBER },
    { "note", "café\n\xef\xbf\xbd", DBW_JSON_STRING },
    { "ok", "true", DBW_JSON_BOOLEAN },
    { "gone", "null", DBW_JSON_NULL },
    { "meta", "{\"b\":[1,2.50],\"a\":\"x\"}", DBW_JSON_OBJECT },
    { "dose", "1e3", DBW_JSON_NUMBER },
  };
  static const char *not_objects[] = { "[1]", "\"text\"", "{\"a\":1", "{\"a\" 1}", "{\"a\":1}{}", "{\"a\":01}", "" };

  g_assert_nonnull (members);
  g_assert_cmpuint (members->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < members->len; i++)
    {
      const DbwJsonMember *member = &g_array_index (members, DbwJsonMember, i);

      g_assert_cmpstr (member->name, ==, expected[i].name);
      g_assert_cmpstr (member->text, ==, expected[i].text);
      g_assert_cmpint (member->kind, ==, expected[i].kind);
    }

  /* A name given twice is found as JSON reads it: the last. */
  g_assert_cmpstr (dbw_json_members_find (members, "dose")->text, ==, "1e3");
  g_assert_true (dbw_json_members_find (members, "dose") == &g_array_index (members, DbwJsonMember, 6));
  g_assert_null (dbw_json_members_find (members, "absent"));

  g_clear_pointer (&members, g_array_unref);
  members = dbw_json_object_members ("{ }", -1);
  g_assert_nonnull (members);
  g_assert_cmpuint (members->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(GArray) none = dbw_json_object_members (not_objects[i], -1);

      g_assert_null (none);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-schema/type", test_type);
  g_test_add_func ("/json-schema/values", test_values);
  g_test_add_func ("/json-schema/objects-and-arrays", test_objects_and_arrays);
  g_test_add_func ("/json-schema/any-of", test_any_of);
  g_test_add_func ("/json-schema/malformed-schemas", test_malformed_schemas);
  g_test_add_func ("/json-schema/text", test_text);
  g_test_add_func ("/json-schema/compact-json", test_compact_json);
  g_test_add_func ("/json-schema/canonical-json", test_canonical_json);
  g_test_add_func ("/json-schema/object-members", test_object_members);

  return g_test_run ();
}
