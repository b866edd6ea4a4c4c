/* dbw-sheet-source.c
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

#define G_LOG_DOMAIN "dbw-sheet-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dbw-sheet-source.h"
#include "dbw-store.h"

/* What a Unity Catalog sheet points at, checked where it is written: the primary table's
 * name, the secondary sources (JSON as the spec writes it: {"type": "table", "name": …}
 * or {"type": "volume", "path": …, "join_key": …}) and the filter condition. These checks
 * are about shape; the names are checked again, and quoted, where a query is built. */

#define MAX_FILTER_LENGTH 10000
#define MAX_NAME_LENGTH   255

/* Spelled out instead of G_DEFINE_BOXED_TYPE, whose type-checking union trips -Wpedantic. */
GType
dbw_sheet_source_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("DbwSheetSource"),
                                                 (GBoxedCopyFunc) dbw_sheet_source_copy,
                                                 (GBoxedFreeFunc) dbw_sheet_source_free);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/**
 * dbw_sheet_source_new:
 * @join_keys: (nullable) (array zero-terminated=1): see #DbwSheetSource; an empty array
 *   is the same as %NULL
 */
DbwSheetSource *
dbw_sheet_source_new (DbwSheetSourceKind  kind,
                      const char         *name,
                      const char * const *join_keys)
{
  DbwSheetSource *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (DbwSheetSource, 1);
  self->kind = kind;
  self->name = g_strdup (name);
  if (join_keys != NULL && join_keys[0] != NULL)
    self->join_keys = g_strdupv ((char **) join_keys);

  return self;
}

DbwSheetSource *
dbw_sheet_source_copy (const DbwSheetSource *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dbw_sheet_source_new (self->kind, self->name, (const char * const *) self->join_keys);
}

void
dbw_sheet_source_free (DbwSheetSource *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_strfreev (self->join_keys);
  g_free (self);
}

static gboolean
check_name_part (const char  *part,
                 gsize        len,
                 const char  *whole,
                 GError     **error)
{
  if (len == 0 || len > MAX_NAME_LENGTH)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("“%s” is not a Unity Catalog name: every part must have 1 to %u bytes"),
                   whole, (guint) MAX_NAME_LENGTH);
      return FALSE;
    }

  for (const char *p = part; p < part + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == '`' || c == '/')
        {
          g_autofree char *shown = g_strescape (whole, NULL);

          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("“%s” is not a Unity Catalog name: it contains “`”, “/” or a control character"),
                       shown);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * dbw_sheet_check_table_name:
 * @name: "catalog.schema.table"
 *
 * Returns: %TRUE when @name has three non-empty parts that can be sent as quoted
 *   identifiers
 */
gboolean
dbw_sheet_check_table_name (const char  *name,
                            GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The table name is empty; write it as catalog.schema.table"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The table name is not valid text"));
      return FALSE;
    }

  parts = g_strsplit (name, ".", -1);
  if (g_strv_length (parts) != 3)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("“%s” is not a table name: write it as catalog.schema.table"), name);
      return FALSE;
    }

  for (guint i = 0; parts[i] != NULL; i++)
    if (!check_name_part (parts[i], strlen (parts[i]), name, error))
      return FALSE;

  return TRUE;
}

/**
 * dbw_sheet_check_volume_path:
 * @path: "/Volumes/catalog/schema/volume", optionally followed by folders
 */
gboolean
dbw_sheet_check_volume_path (const char  *path,
                             GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (path == NULL || !g_str_has_prefix (path, "/Volumes/") || !g_utf8_validate (path, -1, NULL))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("“%s” is not a volume path: write it as /Volumes/catalog/schema/volume"),
                   path != NULL && g_utf8_validate (path, -1, NULL) ? path : "");
      return FALSE;
    }

  parts = g_strsplit (path + strlen ("/Volumes/"), "/", -1);
  n = g_strv_length (parts);
  /* A trailing "/" leaves an empty last part. */
  if (n > 3 && *parts[n - 1] == '\0')
    n--;

  if (n < 3)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("“%s” is not a volume path: write it as /Volumes/catalog/schema/volume"), path);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("“%s” is not a volume path: it has an empty part, “.” or “..”"), path);
          return FALSE;
        }
      if (i < 3 && !check_name_part (parts[i], strlen (parts[i]), path, error))
        return FALSE;
      for (const char *p = parts[i]; *p != '\0'; p++)
        if (g_ascii_iscntrl (*p))
          {
            g_autofree char *shown = g_strescape (path, NULL);

            g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                         _("“%s” is not a volume path: it contains a control character"), shown);
            return FALSE;
          }
    }

  return TRUE;
}

/**
 * dbw_sheet_check_filter:
 * @filter: (nullable): a condition on the primary table's columns, in Databricks SQL
 *
 * The filter is the user's own SQL over their own data, but it is placed in a query as
 * one parenthesised boolean expression and must stay one: it may not end the statement
 * (“;”), hold comments, close more parentheses than it opens, or leave a string or a
 * quoted name open. Quoted text may contain any of those.
 *
 * Returns: %TRUE when @filter is %NULL, blank, or one expression as far as that goes
 */
gboolean
dbw_sheet_check_filter (const char  *filter,
                        GError     **error)
{
  const char *reason = NULL;
  char quote = 0;
  gboolean raw = FALSE;
  int depth = 0;

  if (filter == NULL)
    return TRUE;

  if (!g_utf8_validate (filter, -1, NULL))
    reason = _("it is not valid text");
  else if (strlen (filter) > MAX_FILTER_LENGTH)
    reason = _("it is longer than 10,000 characters");

  for (const char *p = filter; reason == NULL && *p != '\0'; p++)
    {
      char c = *p;

      if (quote != 0)
        {
          /* Databricks reads backslash escapes in strings, but not in raw ones (r'…'); a
           * quoted name doubles its quote. */
          if (c == '\\' && quote != '`' && !raw && p[1] != '\0')
            p++;
          else if (c == quote && p[1] == quote)
            p++;
          else if (c == quote)
            quote = 0;
          continue;
        }

      if (c == '\'' || c == '"' || c == '`')
        {
          quote = c;
          raw = c != '`' && p > filter && (p[-1] == 'r' || p[-1] == 'R') &&
                (p - 1 == filter || !(g_ascii_isalnum (p[-2]) || p[-2] == '_'));
        }
      else if (c == ';')
        reason = _("it contains “;”");
      else if ((c == '-' && p[1] == '-') || (c == '/' && p[1] == '*') || (c == '*' && p[1] == '/'))
        reason = _("it contains a comment (“--” or “/*”)");
      else if (c == '(')
        depth++;
      else if (c == ')' && --depth < 0)
        reason = _("it closes a parenthesis it did not open");
      else if (g_ascii_iscntrl (c) && c != '\t' && c != '\n' && c != '\r')
        reason = _("it contains a control character");
    }

  if (reason == NULL && quote != 0)
    reason = quote == '`' ? _("a quoted name (`…`) is not closed") : _("a string is not closed");
  else if (reason == NULL && depth > 0)
    reason = _("a parenthesis is not closed");

  if (reason != NULL)
    {
      /* Translators: %s says what is wrong, e.g. "it contains “;”" */
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("The filter must be one condition, such as status = 'done' AND score > 3: %s"), reason);
      return FALSE;
    }

  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static char **
read_join_keys (JsonObject  *object,
                guint        index,
                GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = NULL;

  if (json_object_has_member (object, "join_keys"))
    node = json_object_get_member (object, "join_keys");
  else if (json_object_has_member (object, "join_key"))
    node = json_object_get_member (object, "join_key");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strv_builder_end (builder);

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (*json_node_get_string (node) != '\0')
        g_strv_builder_add (builder, json_node_get_string (node));
      return g_strv_builder_end (builder);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
              *json_node_get_string (element) == '\0')
            goto bad;
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      return g_strv_builder_end (builder);
    }

bad:
  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
               _("Secondary source %u: the join keys must be column names"), index + 1);
  return NULL;
}

/**
 * dbw_sheet_sources_parse:
 * @json: (nullable): a sheet's secondary_sources
 *
 * Returns: (transfer full) (element-type DbwSheetSource): the sources, in their order, or
 *   %NULL with @error naming the source that is not right
 */
GPtrArray *
dbw_sheet_sources_parse (const char  *json,
                         GError     **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_sheet_source_free);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonArray *array;
  JsonNode *root;

  if (json == NULL || *json == '\0')
    return g_steal_pointer (&sources);

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("The secondary sources are not valid JSON: %s"), parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The secondary sources must be a JSON array"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_auto(GStrv) join_keys = NULL;
      JsonObject *object;
      const char *type;
      const char *name;
      DbwSheetSourceKind kind;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("Secondary source %u is not a JSON object"), i + 1);
          return NULL;
        }

      object = json_node_get_object (element);
      type = json_object_has_member (object, "type") ? member_string (object, "type") : "table";
      if (g_strcmp0 (type, "table") == 0)
        {
          kind = DBW_SHEET_SOURCE_TABLE;
          name = member_string (object, "name");
          if (!dbw_sheet_check_table_name (name, error))
            {
              g_prefix_error (error, _("Secondary source %u: "), i + 1);
              return NULL;
            }
        }
      else if (g_strcmp0 (type, "volume") == 0)
        {
          kind = DBW_SHEET_SOURCE_VOLUME;
          name = member_string (object, "path");
          if (!dbw_sheet_check_volume_path (name, error))
            {
              g_prefix_error (error, _("Secondary source %u: "), i + 1);
              return NULL;
            }
        }
      else
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("Secondary source %u: the type must be “table” or “volume”"), i + 1);
          return NULL;
        }

      join_keys = read_join_keys (object, i, error);
      if (join_keys == NULL)
        return NULL;
      if (kind == DBW_SHEET_SOURCE_VOLUME && g_strv_length (join_keys) > 1)
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("Secondary source %u: a volume joins on one column, the one naming its files"), i + 1);
          return NULL;
        }

      g_ptr_array_add (sources, dbw_sheet_source_new (kind, name, (const char * const *) join_keys));
    }

  return g_steal_pointer (&sources);
}

/**
 * dbw_sheet_sources_to_json:
 * @sources: (nullable) (element-type DbwSheetSource)
 *
 * Returns: (transfer full): the JSON array dbw_sheet_sources_parse() reads back
 */
char *
dbw_sheet_sources_to_json (GPtrArray *sources)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      DbwSheetSource *source = g_ptr_array_index (sources, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      if (source->kind == DBW_SHEET_SOURCE_VOLUME)
        {
          json_builder_add_string_value (builder, "volume");
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, source->name);
          if (source->join_keys != NULL && source->join_keys[0] != NULL)
            {
              json_builder_set_member_name (builder, "join_key");
              json_builder_add_string_value (builder, source->join_keys[0]);
            }
        }
      else
        {
          json_builder_add_string_value (builder, "table");
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, source->name);
          if (source->join_keys != NULL && source->join_keys[0] != NULL)
            {
              json_builder_set_member_name (builder, "join_keys");
              json_builder_begin_array (builder);
              for (guint k = 0; source->join_keys[k] != NULL; k++)
                json_builder_add_string_value (builder, source->join_keys[k]);
              json_builder_end_array (builder);
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
