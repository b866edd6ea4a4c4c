/* test-prompt.c
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

#define HASH "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static JsonObject *
context_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static char *
render_ok (const char *source,
           const char *context_json)
{
  g_autoptr(JsonObject) context = context_from (context_json);
  g_autoptr(GError) error = NULL;
  char *out = dbw_prompt_render (source, context, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

#define assert_renders(source, context, expected) \
  G_STMT_START { \
    g_autofree char *_out = render_ok ((source), (context)); \
    g_assert_cmpstr (_out, ==, (expected)); \
  } G_STMT_END

static GError *
render_fails (const char *source,
              const char *context_json)
{
  g_autoptr(JsonObject) context = context_from (context_json);
  GError *error = NULL;
  g_autofree char *out = dbw_prompt_render (source, context, &error);

  g_assert_null (out);
  g_assert_nonnull (error);
  g_test_message ("%s → %s", source, error->message);
  return error;
}

static void
assert_syntax_error (const char *source,
                     const char *position,
                     const char *words)
{
  g_autoptr(GError) error = render_fails (source, "{\"a\":\"x\"}");
  g_autoptr(GError) list_error = NULL;
  g_auto(GStrv) names = dbw_prompt_list_variables (source, &list_error);

  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, position));
  g_assert_nonnull (strstr (error->message, words));

  /* Checking alone finds the same mistake. */
  g_assert_null (names);
  g_assert_error (list_error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_SYNTAX);
  g_assert_cmpstr (list_error->message, ==, error->message);
}

static void
test_variables (void)
{
  const char *row = "{\"site\":\"Hot lab\",\"reading\":\"12\",\"Patient name\":\"Ada\",\"dose-rate\":\"3\"}";

  assert_renders ("", row, "");
  assert_renders ("no placeholders at all", row, "no placeholders at all");
  assert_renders ("Site: {{ site }}.", row, "Site: Hot lab.");
  /* Spaces inside the braces are optional, and newlines are spaces. */
  assert_renders ("{{site}}|{{  site  }}|{{\n site\n}}", row, "Hot lab|Hot lab|Hot lab");
  assert_renders ("{{ site }}{{ reading }}", row, "Hot lab12");
  assert_renders ("{{ [\"Patient name\"] }} {{ ['Patient name'] }}", row, "Ada Ada");
  assert_renders ("{{ dose-rate }}", row, "3");
  /* A lone closing pair, single braces and Jinja statements are plain text. */
  assert_renders ("}} {a} { {%if%}", row, "}} {a} { {%if%}");
}

static void
test_dotted_paths (void)
{
  const char *context =
    "{\"meta\":{\"author\":{\"name\":\"Ada\",\"tags\":[\"x\",{\"k\":\"v\"}]}},"
    "\"embedded\":\"{\\\"unit\\\":{\\\"name\\\":\\\"mSv\\\"},\\\"n\\\":2}\","
    "\"not_json\":\"{ nope\","
    "\"parts\":[{\"x\":1},{\"x\":2}]}";
  g_autoptr(GError) error = NULL;

  assert_renders ("{{ meta.author.name }}", context, "Ada");
  assert_renders ("{{ meta.author.tags.0 }}-{{ meta.author.tags[1].k }}", context, "x-v");
  assert_renders ("{{ parts.1.x }}", context, "2");
  /* A text field holding a JSON object can be walked into; whole, it is the text. */
  assert_renders ("{{ embedded.unit.name }} {{ embedded.n }}", context, "mSv 2");
  assert_renders ("{{ embedded }}", context, "{\"unit\":{\"name\":\"mSv\"},\"n\":2}");

  error = render_fails ("{{ not_json.a }}", context);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "“not_json.a”"));
  g_clear_error (&error);

  error = render_fails ("{{ parts.5.x }}", context);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "“parts.5.x”"));
  g_clear_error (&error);

  /* Into a text that is not an object, or into a number: missing. */
  error = render_fails ("{{ meta.author.name.first }}", context);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_clear_error (&error);
  error = render_fails ("{{ embedded.n.x }}", context);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
}

static void
test_defaults (void)
{
  const char *context = "{\"a\":\"x\",\"empty\":\"\",\"nothing\":null,\"obj\":{\"n\":null}}";

  assert_renders ("{{ missing | default(\"none\") }}", context, "none");
  assert_renders ("{{ missing|default('none') }}", context, "none");
  assert_renders ("{{ nothing | default(\"n/a\") }}", context, "n/a");
  assert_renders ("{{ obj.n | default(\"-\") }} {{ obj.deeper.still | default(\"-\") }}", context, "- -");
  /* A value that is there wins; an empty text is a value. */
  assert_renders ("{{ a | default(\"none\") }}", context, "x");
  assert_renders ("[{{ empty | default(\"none\") }}]", context, "[]");
  /* Escapes inside the quotes, and braces that are only text there. */
  assert_renders ("{{ missing | default(\"say \\\"hi\\\" }}\\n\") }}", context, "say \"hi\" }}\n");
  assert_renders ("{{ missing | default('it\\'s') }}", context, "it's");
  assert_renders ("{{ missing | default(\"\") }}.", context, ".");
  /* The first default is the one used. */
  assert_renders ("{{ missing | default(\"a\") | default(\"b\") }}", context, "a");
}

static void
test_values (void)
{
  const char *context =
    "{\"int\":120,\"neg\":-3,\"real\":120.1,\"third\":0.1,\"whole\":2.0,\"big\":1e300,"
    "\"yes\":true,\"no\":false,\"nothing\":null,"
    "\"nested\":{\"a\":[1,2.5,{\"b\":null}],\"t\":\"q\\\"uote\\n\",\"r\":0.3},\"list\":[\"x\",true],"
    "\"empty_obj\":{},\"empty_list\":[]}";
  g_autoptr(GError) error = NULL;

  assert_renders ("{{ int }} {{ neg }}", context, "120 -3");
  /* Numbers as written, not as the nearest binary fraction prints. */
  assert_renders ("{{ real }} {{ third }} {{ whole }}", context, "120.1 0.1 2.0");
  assert_renders ("{{ big }}", context, "1e+300");
  assert_renders ("{{ yes }}/{{ no }}", context, "true/false");
  assert_renders ("{{ nested }}", context, "{\"a\":[1,2.5,{\"b\":null}],\"t\":\"q\\\"uote\\n\",\"r\":0.3}");
  assert_renders ("{{ list }} {{ empty_obj }} {{ empty_list }}", context, "[\"x\",true] {} []");
  assert_renders ("{{ nested.t }}", context, "q\"uote\n");

  /* null is a hole: an error unless there is a default. */
  error = render_fails ("Value: {{ nothing }}", context);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "Line 1, column 8"));
  g_assert_nonnull (strstr (error->message, "“nothing” is empty (null)"));
  g_assert_nonnull (strstr (error->message, "default("));
}

static void
test_missing_variable (void)
{
  const char *context = "{\"site\":\"a\",\"meta\":{\"author\":\"b\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new ("{");

  error = render_fails ("Site: {{ site }}\n  and {{ sight }}", context);
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_cmpstr (error->message, ==,
                   "Line 2, column 7: there is no variable “sight”. Available: meta, meta.author, site");
  g_clear_error (&error);

  error = render_fails ("{{ meta.writer }}", context);
  g_assert_cmpstr (error->message, ==,
                   "Line 1, column 1: there is no variable “meta.writer”. Available: meta, meta.author, site");
  g_clear_error (&error);

  error = render_fails ("{{ [\"a b\"] }}", "{}");
  g_assert_cmpstr (error->message, ==, "Line 1, column 1: there is no variable “[\"a b\"]”. There are no variables");
  g_clear_error (&error);

  /* A long list is cut. */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (big, "%s\"f%03u\":1", i > 0 ? "," : "", i);
  g_string_append_c (big, '}');
  error = render_fails ("{{ nope }}", big->str);
  g_assert_nonnull (strstr (error->message, "f000, f001"));
  g_assert_null (strstr (error->message, "f099"));
  g_assert_nonnull (strstr (error->message, " and 60 more"));
}

static void
test_syntax_errors (void)
{
  assert_syntax_error ("Hello {{ name", "Line 1, column 7:", "“{{” is never closed");
  assert_syntax_error ("a\nb\n  {{ name | default(\"x\")", "Line 3, column 3:", "“{{” is never closed");
  assert_syntax_error ("{{ }}", "Line 1, column 4:", "needs a name");
  assert_syntax_error ("{{}}", "Line 1, column 3:", "needs a name");
  assert_syntax_error ("x {{ a b }}", "Line 1, column 8:", "unexpected “b”");
  assert_syntax_error ("{{ a.}}", "Line 1, column 6:", "expected a name after “.”");
  assert_syntax_error ("{{ a | upper }}", "Line 1, column 8:", "unknown filter “upper”");
  assert_syntax_error ("{{ a | }}", "Line 1, column 8:", "expected a filter name");
  assert_syntax_error ("{{ a | default }}", "Line 1, column 16:", "expected “(”");
  assert_syntax_error ("{{ a | default(none) }}", "Line 1, column 16:", "default needs a text in quotes");
  assert_syntax_error ("{{ a | default(\"x\" }}", "Line 1, column 20:", "expected “)”");
  assert_syntax_error ("{{ a | default(\"x) }}", "Line 1, column 16:", "quoted text is never closed");
  assert_syntax_error ("{{ a | default(\"\\q\") }}", "Line 1, column 17:", "unknown escape");
  assert_syntax_error ("{{ a[ }}", "Line 1, column 7:", "expected a quoted name or a number");
  assert_syntax_error ("{{ a[0 }}", "Line 1, column 8:", "expected “]”");
  assert_syntax_error ("{{ {{ a }} }}", "Line 1, column 4:", "unexpected “{”");
  assert_syntax_error ("{{ a }", "Line 1, column 6:", "unexpected “}”");
  /* Columns count characters, not bytes. */
  assert_syntax_error ("é😀 {{ ? }}", "Line 1, column 7:", "unexpected “?”");
}

static void
test_escaping (void)
{
  const char *context = "{\"a\":\"x\"}";

  assert_renders ("{{ \"{{\" }} a {{ \"}}\" }}", context, "{{ a }}");
  assert_renders ("{{ '{{' }}a{{ '}}' }} = {{ a }}", context, "{{a}} = x");
  assert_renders ("JSON: {\"k\": {\"v\": 1}}", context, "JSON: {\"k\": {\"v\": 1}}");
}

static void
test_unicode (void)
{
  const char *context = "{\"größe\":\"groß\",\"名前\":\"花子\",\"emoji\":\"😀\",\"nested\":{\"ключ\":\"значение\"}}";
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonObject) object = context_from (context);
  g_autoptr(GError) error = NULL;

  assert_renders ("{{ größe }} {{ 名前 }} {{ emoji }} {{ nested.ключ }}", context, "groß 花子 😀 значение");
  assert_renders ("«{{ emoji }}»", context, "«😀»");

  g_assert_null (dbw_prompt_render ("\xff{{ a }}", object, &error));
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_SYNTAX);

  names = dbw_prompt_list_variables ("{{ größe }} {{ nested.ключ }}", NULL);
  g_assert_cmpstrv (names, ((const char *[]) { "größe", "nested.ключ", NULL }));
}

static void
test_list_variables (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  names = dbw_prompt_list_variables ("{{ b }} {{ a.x }} {{ b }} {{ \"{{\" }} {{ c | default('') }} "
                                     "{{ [\"Patient name\"].age }} {{ parts[0] }} {{ a.x }}",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "b", "a.x", "c", "[\"Patient name\"].age", "parts.0", NULL }));
  g_clear_pointer (&names, g_strfreev);

  names = dbw_prompt_list_variables ("plain", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

static void
test_list_names (void)
{
  g_autoptr(JsonObject) context = context_from (
    "{\"z\":1,\"meta\":{\"author\":{\"name\":\"Ada\"},\"list\":[{\"hidden\":1}]},"
    "\"json_text\":\"{\\\"inner\\\":{\\\"deep\\\":true}}\",\"Patient name\":\"x\"}");
  g_auto(GStrv) names = dbw_prompt_context_list_names (context);

  g_assert_cmpstrv (names, ((const char *[]) {
    "[\"Patient name\"]", "json_text", "json_text.inner", "json_text.inner.deep",
    "meta", "meta.author", "meta.author.name", "meta.list", "z", NULL }));
}

static void
test_unmatched_variables (void)
{
  g_autoptr(GPtrArray) contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const char *prompt = "{{ dose }} at {{ site }} by {{ meta.author }}, {{ probe.kind }} "
                       "{{ notes | default('none') }} {{ board }} {{ item.ref }} {{ item.text }} {{ board }}";

  /* Nothing to go by: nothing unmatched. */
  names = dbw_prompt_unmatched_variables (prompt, contexts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  /* Each item needs a value: null is none, a default stands in for one, a path into JSON
   * text is followed as rendering follows it. */
  g_ptr_array_add (contexts, context_from ("{\"dose\":0.4,\"site\":null,\"meta\":{\"author\":null},"
                                           "\"probe\":\"{\\\"kind\\\":\\\"GM\\\"}\","
                                           "\"item\":{\"ref\":\"row_1\",\"text\":null}}"));
  g_ptr_array_add (contexts, context_from ("{\"dose\":0.2,\"site\":\"Hall B\",\"meta\":{},"
                                           "\"item\":{\"ref\":\"row_2\",\"text\":null}}"));
  names = dbw_prompt_unmatched_variables (prompt, contexts, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "site", "meta.author", "probe.kind", "board", "item.text", NULL }));
  g_clear_pointer (&names, g_strfreev);

  /* What every item has renders for each. */
  names = dbw_prompt_unmatched_variables ("{{ dose }} {{ item.ref }} {{ site | default('?') }}", contexts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  for (guint i = 0; i < contexts->len; i++)
    {
      g_autofree char *rendered = dbw_prompt_render ("{{ dose }} {{ item.ref }} {{ site | default('?') }}",
                                                     g_ptr_array_index (contexts, i), &error);

      g_assert_no_error (error);
      g_assert_nonnull (rendered);
    }
  g_clear_pointer (&names, g_strfreev);

  /* What fails to render is what it names. */
  g_assert_null (dbw_prompt_render ("{{ board }}", g_ptr_array_index (contexts, 0), &error));
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_clear_error (&error);

  g_assert_null (dbw_prompt_unmatched_variables ("{{ dose ", contexts, &error));
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_SYNTAX);
}

static DbwItem *
make_item (DbwModality  modality,
           const char  *ref,
           const char  *fields,
           const char  *text,
           const char  *hash,
           const char  *content_type)
{
  DbwItem *item = dbw_item_new ();

  dbw_item_set_modality (item, modality);
  dbw_item_set_item_ref (item, ref);
  dbw_item_set_fields (item, fields);
  dbw_item_set_text_content (item, text);
  dbw_item_set_blob_hash (item, hash);
  dbw_item_set_content_type (item, content_type);

  return item;
}

static char *
render_item (DbwItem     *item,
             const char  *source,
             GError     **error)
{
  g_autoptr(JsonObject) context = dbw_prompt_context_for_item (item);

  return dbw_prompt_render (source, context, error);
}

static void
test_item_content (void)
{
  g_autoptr(DbwItem) text = make_item (DBW_MODALITY_TEXT, "notes/a.txt", "{\"file\":\"a.txt\"}",
                                       "First line\nSecond line", HASH, "text/plain");
  g_autoptr(DbwItem) pdf = make_item (DBW_MODALITY_PDF, "invoice_042.pdf", "{\"pages\":2}",
                                      "Invoice 42\fPage two", HASH, "application/pdf");
  g_autoptr(DbwItem) image = make_item (DBW_MODALITY_IMAGE, "photo.png", "{}", NULL, HASH, "image/png");
  g_autoptr(DbwItem) row = make_item (DBW_MODALITY_ROW, "row_7",
                                      "{\"site\":\"Hot lab\",\"dose\":0.7,\"item\":\"shadowed\","
                                      "\"meta\":\"{\\\"by\\\":\\\"Ada\\\"}\"}",
                                      NULL, NULL, NULL);
  g_autoptr(JsonObject) row_context = dbw_prompt_context_for_item (row);
  g_auto(GStrv) names = dbw_prompt_context_list_names (row_context);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  out = render_item (text, "{{ item.ref }} ({{ item.modality }}, {{ item.content_type }}, {{ file }}): {{ item.text }}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "notes/a.txt (text, text/plain, a.txt): First line\nSecond line");
  g_clear_pointer (&out, g_free);

  out = render_item (pdf, "{{ item.text }} / {{ pages }} pages / {{ item.image | default(\"no image\") }}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "Invoice 42\fPage two / 2 pages / no image");
  g_clear_pointer (&out, g_free);

  out = render_item (image, "{{ item.image }} {{ item.modality }}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "blob:" HASH " image");
  g_clear_pointer (&out, g_free);

  /* An image has no text. */
  g_assert_null (render_item (image, "{{ item.text }}", &error));
  g_assert_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE);
  g_assert_nonnull (strstr (error->message, "“item.text” is empty"));
  g_clear_error (&error);

  out = render_item (row, "{{ site }}: {{ dose }} by {{ meta.by }} ({{ item.ref }}, {{ item.modality }})", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "Hot lab: 0.7 by Ada (row_7, row)");
  g_clear_pointer (&out, g_free);

  /* "item" is the item's own; a column of that name is hidden. */
  out = render_item (row, "{{ item.ref }}", &error);
  g_assert_cmpstr (out, ==, "row_7");

  g_assert_cmpstrv (names, ((const char *[]) {
    "dose", "item", "item.content_type", "item.image", "item.modality", "item.ref", "item.text",
    "meta", "meta.by", "site", NULL }));
}

/* A field's number reaches the prompt as written, every digit of it. */
static void
test_item_numbers_as_written (void)
{
  g_autoptr(DbwItem) row = make_item (DBW_MODALITY_ROW, "row_1",
                                      "{\"dose\": 0.100, \"serial\": 123456789012345678901234, \"count\": 42,"
                                      " \"rate\": 0.009, \"big\": 1e3, \"neg\": -7, \"again\": 1, \"again\": 2.50,"
                                      " \"nested\": {\"x\": 1}}",
                                      NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  out = render_item (row, "{{ dose }} {{ serial }} {{ count }} {{ rate }} {{ big }} {{ neg }} {{ again }} {{ nested.x }}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "0.100 123456789012345678901234 42 0.009 1e3 -7 2.50 1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prompt/variables", test_variables);
  g_test_add_func ("/prompt/dotted-paths", test_dotted_paths);
  g_test_add_func ("/prompt/defaults", test_defaults);
  g_test_add_func ("/prompt/values", test_values);
  g_test_add_func ("/prompt/missing-variable", test_missing_variable);
  g_test_add_func ("/prompt/syntax-errors", test_syntax_errors);
  g_test_add_func ("/prompt/escaping", test_escaping);
  g_test_add_func ("/prompt/unicode", test_unicode);
  g_test_add_func ("/prompt/list-variables", test_list_variables);
  g_test_add_func ("/prompt/list-names", test_list_names);
  g_test_add_func ("/prompt/unmatched-variables", test_unmatched_variables);
  g_test_add_func ("/prompt/item-content", test_item_content);
  g_test_add_func ("/prompt/item-numbers-as-written", test_item_numbers_as_written);

  return g_test_run ();
}
