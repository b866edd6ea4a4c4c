/* dbw-json-schema.c
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

#define G_LOG_DOMAIN "dbw-json-schema"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "dbw-json-schema.h"
#include "dbw-json-text.h"

/* The part of JSON Schema that describes what a template takes and what a model must
 * answer. Messages give JSON paths ("$.parts[2].x") so a reviewer can find the value:
 * they end up in the review notes of a flagged Q&A pair. */

G_DEFINE_QUARK (dbw-json-schema-error-quark, dbw_json_schema_error)

/* Values quoted in messages are cut to this many characters. */
#define MAX_QUOTED 60

static const char * const type_names[] = {
  "string", "number", "integer", "boolean", "object", "array", "null",
};

/* Paths */

static gboolean
is_identifier (const char *name)
{
  if (!g_ascii_isalpha (name[0]) && name[0] != '_')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static void
path_push_member (GString    *path,
                  const char *name)
{
  if (is_identifier (name))
    {
      g_string_append_printf (path, ".%s", name);
      return;
    }

  g_string_append_c (path, '[');
  {
    g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), name);

    dbw_json_append_compact (path, node);
  }
  g_string_append_c (path, ']');
}

static void
path_push_index (GString *path,
                 guint    index)
{
  g_string_append_printf (path, "[%u]", index);
}

/* Values in messages */

static char *
quote_value (JsonNode *node)
{
  g_autofree char *text = dbw_json_to_compact (node);

  if (g_utf8_strlen (text, -1) > MAX_QUOTED)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, MAX_QUOTED - 1);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&text);
}

static const char *
type_of (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "object";
    case JSON_NODE_ARRAY:  return "array";
    case JSON_NODE_NULL:   return "null";
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          return "string";
        if (type == G_TYPE_BOOLEAN)
          return "boolean";
        if (type == G_TYPE_INT64)
          return "integer";
        return "number";
      }
    }
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static double
number_of (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                         : json_node_get_double (node);
}

/* 1.0 is an integer too, as the standard says. */
static gboolean
has_type (JsonNode   *node,
          const char *type)
{
  const char *actual = type_of (node);

  if (g_str_equal (type, actual))
    return TRUE;
  if (g_str_equal (type, "number"))
    return g_str_equal (actual, "integer");
  if (g_str_equal (type, "integer") && g_str_equal (actual, "number"))
    {
      double v = json_node_get_double (node);

      return isfinite (v) && floor (v) == v;
    }

  return FALSE;
}

/* Equality as JSON means it: members in any order, 1 equal to 1.0. */
static gboolean
json_equal (JsonNode *a,
            JsonNode *b)
{
  if (is_number (a) && is_number (b))
    return number_of (a) == number_of (b);

  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a);
        JsonArray *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!json_equal (json_array_get_element (x, i), json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a);
        JsonObject *y = json_node_get_object (b);
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        json_object_iter_init (&iter, x);
        while (json_object_iter_next (&iter, &member, &value))
          {
            JsonNode *other = json_object_get_member (y, member);

            if (other == NULL || !json_equal (value, other))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_STRING)
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      return FALSE;
    }
}

/* Checking a schema */

static gboolean G_GNUC_PRINTF (3, 4)
schema_error (GString     *path,
              GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA,
               /* Translators: "Schema $.properties.age: “minimum” must be a number" */
               _("Schema %s: %s"), path->str, message);
  return FALSE;
}

static gboolean check_schema (JsonNode *schema, GString *path, GError **error);

static gboolean
is_type_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (name, type_names[i]))
      return TRUE;

  return FALSE;
}

static gboolean
check_type (JsonNode  *node,
            GString   *path,
            GError   **error)
{
  if (is_string (node) && is_type_name (json_node_get_string (node)))
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!is_string (element) || !is_type_name (json_node_get_string (element)))
            break;
        }
      if (i == json_array_get_length (array))
        return TRUE;
    }

  return schema_error (path, error,
                       _("“type” must be one of string, number, integer, boolean, object, array, null, or a list of them"));
}

static gboolean
check_count (JsonObject  *object,
             const char  *keyword,
             GString     *path,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, keyword);

  if (node == NULL)
    return TRUE;

  if (is_number (node) && has_type (node, "integer") && number_of (node) >= 0)
    return TRUE;

  return schema_error (path, error, _("“%s” must be a whole number, 0 or more"), keyword);
}

static gboolean
check_schema_member (JsonObject  *object,
                     const char  *keyword,
                     GString     *path,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, keyword);
  gsize len = path->len;
  gboolean ok;

  if (node == NULL)
    return TRUE;

  path_push_member (path, keyword);
  ok = check_schema (node, path, error);
  g_string_truncate (path, len);

  return ok;
}

static gboolean
check_schema (JsonNode  *schema,
              GString   *path,
              GError   **error)
{
  JsonObject *object;
  JsonNode *node;
  gsize len = path->len;

  /* true accepts everything, false nothing. */
  if (JSON_NODE_HOLDS_VALUE (schema) && json_node_get_value_type (schema) == G_TYPE_BOOLEAN)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return schema_error (path, error, _("a schema must be a JSON object, found %s"), type_of (schema));

  object = json_node_get_object (schema);

  if ((node = json_object_get_member (object, "type")) != NULL &&
      !check_type (node, path, error))
    return FALSE;

  if ((node = json_object_get_member (object, "properties")) != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return schema_error (path, error, _("“properties” must be an object of schemas"));

      path_push_member (path, "properties");
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &member, &value))
        {
          gsize member_len = path->len;

          path_push_member (path, member);
          if (!check_schema (value, path, error))
            return FALSE;
          g_string_truncate (path, member_len);
        }
      g_string_truncate (path, len);
    }

  if ((node = json_object_get_member (object, "required")) != NULL)
    {
      gboolean ok = JSON_NODE_HOLDS_ARRAY (node);

      for (guint i = 0; ok && i < json_array_get_length (json_node_get_array (node)); i++)
        ok = is_string (json_array_get_element (json_node_get_array (node), i));
      if (!ok)
        return schema_error (path, error, _("“required” must be a list of member names"));
    }

  if ((node = json_object_get_member (object, "additionalProperties")) != NULL &&
      !check_schema_member (object, "additionalProperties", path, error))
    return FALSE;

  if ((node = json_object_get_member (object, "items")) != NULL &&
      !check_schema_member (object, "items", path, error))
    return FALSE;

  if ((node = json_object_get_member (object, "enum")) != NULL &&
      (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0))
    return schema_error (path, error, _("“enum” must be a list of at least one value"));

  if ((node = json_object_get_member (object, "minimum")) != NULL && !is_number (node))
    return schema_error (path, error, _("“%s” must be a number"), "minimum");
  if ((node = json_object_get_member (object, "maximum")) != NULL && !is_number (node))
    return schema_error (path, error, _("“%s” must be a number"), "maximum");

  if (!check_count (object, "minLength", path, error) ||
      !check_count (object, "maxLength", path, error) ||
      !check_count (object, "minItems", path, error) ||
      !check_count (object, "maxItems", path, error))
    return FALSE;

  if ((node = json_object_get_member (object, "pattern")) != NULL)
    {
      g_autoptr(GRegex) regex = NULL;
      g_autoptr(GError) regex_error = NULL;

      if (!is_string (node))
        return schema_error (path, error, _("“pattern” must be a regular expression in quotes"));

      regex = g_regex_new (json_node_get_string (node), 0, 0, &regex_error);
      if (regex == NULL)
        return schema_error (path, error, _("“pattern” is not a valid regular expression: %s"),
                             regex_error->message);
    }

  if ((node = json_object_get_member (object, "anyOf")) != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
        return schema_error (path, error, _("“anyOf” must be a list of at least one schema"));

      array = json_node_get_array (node);
      path_push_member (path, "anyOf");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize index_len = path->len;

          path_push_index (path, i);
          if (!check_schema (json_array_get_element (array, i), path, error))
            return FALSE;
          g_string_truncate (path, index_len);
        }
      g_string_truncate (path, len);
    }

  return TRUE;
}

/* Validating an instance */

static gboolean G_GNUC_PRINTF (3, 4)
mismatch (GString     *path,
          GError     **error,
          const char  *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return FALSE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_MISMATCH,
               /* Translators: "$.parts[2].x: expected integer, found string" */
               _("%s: %s"), path->str, message);
  return FALSE;
}

static char *
number_text (JsonNode *node)
{
  return dbw_json_to_compact (node);
}

static gboolean validate (JsonNode *schema, JsonNode *instance, GString *path, GError **error);

static gboolean
validate_type (JsonNode  *type,
               JsonNode  *instance,
               GString   *path,
               GError   **error)
{
  g_autoptr(GString) expected = g_string_new (NULL);

  if (is_string (type))
    {
      if (has_type (instance, json_node_get_string (type)))
        return TRUE;
      g_string_append (expected, json_node_get_string (type));
    }
  else
    {
      JsonArray *array = json_node_get_array (type);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *name = json_node_get_string (json_array_get_element (array, i));

          if (has_type (instance, name))
            return TRUE;
          if (i > 0)
            g_string_append (expected, i + 1 == json_array_get_length (array) ? _(" or ") : ", ");
          g_string_append (expected, name);
        }
    }

  return mismatch (path, error, _("expected %s, found %s"), expected->str, type_of (instance));
}

static gboolean
validate_object (JsonObject  *schema,
                 JsonObject  *instance,
                 GString     *path,
                 GError     **error)
{
  JsonNode *properties = json_object_get_member (schema, "properties");
  JsonNode *required = json_object_get_member (schema, "required");
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gsize len = path->len;

  if (required != NULL)
    {
      JsonArray *names = json_node_get_array (required);

      for (guint i = 0; i < json_array_get_length (names); i++)
        {
          const char *name = json_node_get_string (json_array_get_element (names, i));

          if (!json_object_has_member (instance, name))
            return mismatch (path, error, _("the member “%s” is required"), name);
        }
    }

  json_object_iter_init_ordered (&iter, instance);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      JsonNode *member_schema = NULL;

      if (properties != NULL)
        member_schema = json_object_get_member (json_node_get_object (properties), member);

      if (member_schema == NULL && additional != NULL)
        {
          if (JSON_NODE_HOLDS_VALUE (additional) && !json_node_get_boolean (additional))
            return mismatch (path, error, _("the member “%s” is not allowed"), member);
          member_schema = additional;
        }

      if (member_schema == NULL)
        continue;

      path_push_member (path, member);
      if (!validate (member_schema, value, path, error))
        return FALSE;
      g_string_truncate (path, len);
    }

  return TRUE;
}

static gboolean
validate (JsonNode  *schema,
          JsonNode  *instance,
          GString   *path,
          GError   **error)
{
  JsonObject *object;
  JsonNode *node;
  gsize len = path->len;

  if (JSON_NODE_HOLDS_VALUE (schema))
    return json_node_get_boolean (schema) ? TRUE : mismatch (path, error, _("no value is allowed here"));

  object = json_node_get_object (schema);

  if ((node = json_object_get_member (object, "type")) != NULL &&
      !validate_type (node, instance, path, error))
    return FALSE;

  if ((node = json_object_get_member (object, "enum")) != NULL)
    {
      JsonArray *values = json_node_get_array (node);
      guint i;

      for (i = 0; i < json_array_get_length (values); i++)
        if (json_equal (instance, json_array_get_element (values, i)))
          break;

      if (i == json_array_get_length (values))
        {
          g_autofree char *quoted = quote_value (instance);
          g_autofree char *allowed = quote_value (node);

          return mismatch (path, error, _("%s is not one of %s"), quoted, allowed);
        }
    }

  if ((node = json_object_get_member (object, "const")) != NULL && !json_equal (instance, node))
    {
      g_autofree char *expected = quote_value (node);

      return mismatch (path, error, _("must be %s"), expected);
    }

  if (is_number (instance))
    {
      double v = number_of (instance);

      if ((node = json_object_get_member (object, "minimum")) != NULL && v < number_of (node))
        {
          g_autofree char *value = number_text (instance);
          g_autofree char *limit = number_text (node);

          return mismatch (path, error, _("%s is less than the minimum, %s"), value, limit);
        }
      if ((node = json_object_get_member (object, "maximum")) != NULL && v > number_of (node))
        {
          g_autofree char *value = number_text (instance);
          g_autofree char *limit = number_text (node);

          return mismatch (path, error, _("%s is more than the maximum, %s"), value, limit);
        }
    }

  if (is_string (instance))
    {
      const char *text = json_node_get_string (instance);
      double length = (double) g_utf8_strlen (text, -1);

      if ((node = json_object_get_member (object, "minLength")) != NULL && length < number_of (node))
        return mismatch (path, error,
                         g_dngettext (GETTEXT_PACKAGE, "the text is shorter than %.0f character",
                                      "the text is shorter than %.0f characters",
                                      (gulong) number_of (node)),
                         number_of (node));
      if ((node = json_object_get_member (object, "maxLength")) != NULL && length > number_of (node))
        return mismatch (path, error,
                         g_dngettext (GETTEXT_PACKAGE, "the text is longer than %.0f character",
                                      "the text is longer than %.0f characters",
                                      (gulong) number_of (node)),
                         number_of (node));

      if ((node = json_object_get_member (object, "pattern")) != NULL)
        {
          g_autoptr(GRegex) regex = g_regex_new (json_node_get_string (node), 0, 0, NULL);

          if (regex != NULL && !g_regex_match (regex, text, 0, NULL))
            {
              g_autofree char *quoted = quote_value (instance);

              return mismatch (path, error, _("%s does not match the pattern “%s”"),
                               quoted, json_node_get_string (node));
            }
        }
    }

  if (JSON_NODE_HOLDS_ARRAY (instance))
    {
      JsonArray *array = json_node_get_array (instance);
      double n = json_array_get_length (array);

      if ((node = json_object_get_member (object, "minItems")) != NULL && n < number_of (node))
        return mismatch (path, error,
                         g_dngettext (GETTEXT_PACKAGE, "the list has fewer than %.0f element",
                                      "the list has fewer than %.0f elements",
                                      (gulong) number_of (node)),
                         number_of (node));
      if ((node = json_object_get_member (object, "maxItems")) != NULL && n > number_of (node))
        return mismatch (path, error,
                         g_dngettext (GETTEXT_PACKAGE, "the list has more than %.0f element",
                                      "the list has more than %.0f elements",
                                      (gulong) number_of (node)),
                         number_of (node));

      if ((node = json_object_get_member (object, "items")) != NULL)
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            path_push_index (path, i);
            if (!validate (node, json_array_get_element (array, i), path, error))
              return FALSE;
            g_string_truncate (path, len);
          }
    }

  if (JSON_NODE_HOLDS_OBJECT (instance) &&
      !validate_object (object, json_node_get_object (instance), path, error))
    return FALSE;

  if ((node = json_object_get_member (object, "anyOf")) != NULL)
    {
      JsonArray *alternatives = json_node_get_array (node);
      g_autoptr(GString) reasons = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (alternatives); i++)
        {
          g_autoptr(GError) reason = NULL;

          if (validate (json_array_get_element (alternatives, i), instance, path, &reason))
            return TRUE;

          g_string_truncate (path, len);
          if (reasons->len > 0)
            g_string_append (reasons, "; ");
          g_string_append (reasons, reason->message);
        }

      return mismatch (path, error, _("matches none of the choices in “anyOf” (%s)"), reasons->str);
    }

  return TRUE;
}

/* Public API */

/**
 * dbw_json_schema_check:
 * @schema: a JSON Schema
 *
 * Returns: %TRUE when @schema is well-formed; else %FALSE with a
 *   %DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA @error giving the path of the fault
 */
gboolean
dbw_json_schema_check (JsonNode  *schema,
                       GError   **error)
{
  g_autoptr(GString) path = g_string_new ("$");

  g_return_val_if_fail (schema != NULL, FALSE);

  return check_schema (schema, path, error);
}

/**
 * dbw_json_schema_validate:
 * @schema: a JSON Schema
 * @instance: a value
 *
 * Returns: %TRUE when @instance is valid under @schema; else %FALSE with
 *   %DBW_JSON_SCHEMA_ERROR_MISMATCH naming the first value that is not, by its path,
 *   or %DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA
 */
gboolean
dbw_json_schema_validate (JsonNode  *schema,
                          JsonNode  *instance,
                          GError   **error)
{
  g_autoptr(GString) path = g_string_new ("$");
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);

  if (!check_schema (schema, path, error))
    return FALSE;

  if (!validate (schema, instance, path, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* The text inside a ```json … ``` fence, or all of @text. */
static char *
strip_fence (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *start;
  char *end;

  if (!g_str_has_prefix (copy, "```"))
    return g_steal_pointer (&copy);

  /* Past the language tag: ```json */
  start = copy + 3;
  while (g_ascii_isalpha (*start))
    start++;

  end = g_strrstr (start, "```");
  if (end != NULL)
    *end = '\0';

  return g_strstrip (g_strdup (start));
}

/**
 * dbw_json_schema_validate_text:
 * @schema: a JSON Schema
 * @text: JSON text, perhaps in a ```json fence
 *
 * Returns: %TRUE when @text is JSON valid under @schema; else %FALSE with
 *   %DBW_JSON_SCHEMA_ERROR_NOT_JSON, %DBW_JSON_SCHEMA_ERROR_MISMATCH or
 *   %DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA
 */
gboolean
dbw_json_schema_validate_text (JsonNode    *schema,
                               const char  *text,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  json = strip_fence (text);
  if (json[0] == '\0')
    {
      g_set_error_literal (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_NOT_JSON,
                           _("The answer is empty, not JSON"));
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, DBW_JSON_SCHEMA_ERROR, DBW_JSON_SCHEMA_ERROR_NOT_JSON,
                   _("The answer is not JSON: %s"), parse_error->message);
      return FALSE;
    }

  return dbw_json_schema_validate (schema, json_parser_get_root (parser), error);
}
