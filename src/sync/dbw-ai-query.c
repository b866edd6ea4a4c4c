/* dbw-ai-query.c
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

#define G_LOG_DOMAIN "dbw-ai-query"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dbw-ai-query.h"
#include "dbw-databricks.h"
#include "dbw-pair-builder.h"
#include "dbw-prompt.h"
#include "dbw-sheet-source.h"
#include "dbw-uc-materializer.h"

/* How a prompt becomes SQL: it is rendered with every variable set to a marker
 * ("\x01" index "\x02"), so the renderer — the one local generation uses — settles the
 * syntax, literals and escapes, and what comes out is split at the markers into text,
 * which goes in as bound parameters, and columns. No text of the prompt is ever written
 * into the statement itself. */

#define MARK_START '\x01'
#define MARK_END   '\x02'

G_DEFINE_QUARK (dbw-ai-query-error-quark, dbw_ai_query_error)

/* One piece of the prompt: text, or the column of variable @column. */
typedef struct
{
  char *text;
  int   column;
} Segment;

static void
segment_free (gpointer data)
{
  Segment *segment = data;

  g_free (segment->text);
  g_free (segment);
}

static void
append_name (GString    *sql,
             const char *name)
{
  g_string_append_c (sql, '`');
  g_string_append (sql, name);
  g_string_append_c (sql, '`');
}

static gboolean
unsupported (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
unsupported (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (DBW_AI_QUERY_ERROR, DBW_AI_QUERY_ERROR_UNSUPPORTED, format, args);
  va_end (args);

  return FALSE;
}

/* A name the prompt writes that is a column as it is: letters, digits and "_". */
static gboolean
is_plain_column (const char *name)
{
  if (name[0] == '\0' || g_str_equal (name, "item"))
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && c != '_')
        return FALSE;
    }

  return TRUE;
}

static char *
marker (guint index)
{
  return g_strdup_printf ("%c%u%c", MARK_START, index, MARK_END);
}

/* The variables of @source, each checked to be a column the workspace can read. */
static GStrv
list_columns (DbwTemplate  *tmpl,
              GError      **error)
{
  const char *source = dbw_template_get_user_prompt_template (tmpl);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) variables = NULL;

  if (strchr (source, MARK_START) != NULL || strchr (source, MARK_END) != NULL)
    {
      unsupported (error, _("The prompt of “%s” holds control characters"), dbw_template_get_name (tmpl));
      return NULL;
    }

  variables = dbw_prompt_list_variables (source, &local_error);
  if (variables == NULL)
    {
      unsupported (error, _("The prompt of “%s” cannot be read: %s"), dbw_template_get_name (tmpl), local_error->message);
      return NULL;
    }

  for (guint i = 0; variables[i] != NULL; i++)
    {
      g_autoptr(JsonObject) context = json_object_new ();
      g_autofree char *rendered = NULL;

      if (g_str_equal (variables[i], "item") || g_str_has_prefix (variables[i], "item.") ||
          g_str_has_prefix (variables[i], "item["))
        {
          unsupported (error, _("The prompt uses “%s”, which only this computer knows; on the workspace a prompt can read only columns of the table"),
                       variables[i]);
          return NULL;
        }
      if (!is_plain_column (variables[i]))
        {
          unsupported (error, _("The prompt uses “%s”, which is not a plain column of the table; on the workspace a prompt can read only plain columns"),
                       variables[i]);
          return NULL;
        }

      /* Rendered with this one empty: a default(…) would fill it in. */
      for (guint j = 0; variables[j] != NULL; j++)
        {
          if (j == i)
            json_object_set_null_member (context, variables[j]);
          else
            json_object_set_string_member (context, variables[j], "");
        }
      rendered = dbw_prompt_render (source, context, NULL);
      if (rendered != NULL)
        {
          unsupported (error, _("The prompt gives “%s” a default, which the workspace cannot apply"), variables[i]);
          return NULL;
        }
    }

  return g_steal_pointer (&variables);
}

/* The user prompt, split at its variables. */
static GPtrArray *
split_prompt (DbwTemplate  *tmpl,
              GStrv         columns,
              GError      **error)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (segment_free);
  g_autoptr(JsonObject) context = json_object_new ();
  g_autofree char *rendered = NULL;
  const char *p;
  const char *text_start;

  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_autofree char *mark = marker (i);

      json_object_set_string_member (context, columns[i], mark);
    }

  rendered = dbw_prompt_render (dbw_template_get_user_prompt_template (tmpl), context, error);
  if (rendered == NULL)
    return NULL;

  text_start = p = rendered;
  while (*p != '\0')
    {
      const char *end;
      Segment *segment;
      guint64 index;

      if (*p != MARK_START)
        {
          p++;
          continue;
        }

      end = strchr (p, MARK_END);
      g_assert (end != NULL);
      if (p > text_start)
        {
          segment = g_new0 (Segment, 1);
          segment->text = g_strndup (text_start, p - text_start);
          segment->column = -1;
          g_ptr_array_add (segments, segment);
        }
      index = g_ascii_strtoull (p + 1, NULL, 10);
      segment = g_new0 (Segment, 1);
      segment->column = (int) index;
      g_ptr_array_add (segments, segment);
      p = text_start = end + 1;
    }
  if (p > text_start)
    {
      Segment *segment = g_new0 (Segment, 1);

      segment->text = g_strndup (text_start, p - text_start);
      segment->column = -1;
      g_ptr_array_add (segments, segment);
    }

  return g_steal_pointer (&segments);
}

/* System prompt and examples, written ahead of the prompt: ai_query sends one message. */
static char *
build_preamble (DbwTemplate  *tmpl,
                GError      **error)
{
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, error);
  if (builder == NULL)
    return NULL;

  messages = dbw_pair_builder_build_request (builder, "");
  n = json_array_get_length (messages);
  for (guint i = 0; i + 1 < n; i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *role = json_object_get_string_member (message, "role");
      const char *content = json_object_get_string_member (message, "content");

      /* Words for the model, not for people: they do not depend on the language. */
      if (g_str_equal (role, "system"))
        g_string_append_printf (text, "%s\n\n", content);
      else if (g_str_equal (role, "user"))
        g_string_append_printf (text, "Example input:\n%s\n", content);
      else
        g_string_append_printf (text, "Example output:\n%s\n\n", content);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "catalog.schema.table", each part valid, backticked. */
static gboolean
append_table_name (GString     *sql,
                   const char  *name,
                   GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (name == NULL || (parts = g_strsplit (name, ".", -1)) == NULL || g_strv_length (parts) != 3)
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("“%s” is not a table name of the form catalog.schema.table"), name != NULL ? name : "");
      return FALSE;
    }
  if (!dbw_databricks_validate_identifier (parts[0], _("catalog"), error) ||
      !dbw_databricks_validate_identifier (parts[1], _("schema"), error) ||
      !dbw_databricks_validate_identifier (parts[2], _("table"), error))
    return FALSE;

  append_name (sql, parts[0]);
  g_string_append_c (sql, '.');
  append_name (sql, parts[1]);
  g_string_append_c (sql, '.');
  append_name (sql, parts[2]);

  return TRUE;
}

static void
add_parameter (GHashTable *parameters,
               const char *name,
               char       *value)
{
  g_hash_table_insert (parameters, g_strdup (name), value);
}

/**
 * dbw_ai_query_check:
 *
 * Returns: %TRUE when @tmpl can be applied to @sheet on the workspace; else %FALSE with
 *   %DBW_AI_QUERY_ERROR_UNSUPPORTED saying why
 */
gboolean
dbw_ai_query_check (DbwSheet     *sheet,
                    DbwTemplate  *tmpl,
                    GError      **error)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) columns = NULL;
  const char * const *keys;
  const char *primary;

  g_return_val_if_fail (DBW_IS_SHEET (sheet), FALSE);
  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), FALSE);

  primary = dbw_sheet_get_primary_table (sheet);
  if (dbw_sheet_get_source_kind (sheet) != DBW_SOURCE_KIND_UNITY_CATALOG || primary == NULL || primary[0] == '\0')
    return unsupported (error, _("The sheet “%s” does not come from a Unity Catalog table"), dbw_sheet_get_name (sheet));

  keys = dbw_sheet_get_join_keys (sheet);
  if (keys == NULL || keys[0] == NULL)
    return unsupported (error, _("The sheet “%s” has no join key, so the workspace’s answers could not be matched to its items"),
                        dbw_sheet_get_name (sheet));

  sources = dbw_sheet_sources_parse (dbw_sheet_get_secondary_sources (sheet), &local_error);
  if (sources == NULL)
    return unsupported (error, "%s", local_error->message);
  if (sources->len > 0)
    return unsupported (error, _("The sheet “%s” joins other tables or volumes; only a single table can be generated on the workspace"),
                        dbw_sheet_get_name (sheet));

  columns = list_columns (tmpl, error);

  return columns != NULL;
}

/**
 * dbw_ai_query_build_statement:
 * @endpoint: the serving endpoint's name
 * @results_table: where the answers go, "catalog.schema.table"
 * @parameters: (element-type utf8 utf8): the statement's parameters are added here; keys
 *   and values are freed with g_free()
 *
 * Returns: (transfer full): the statement, or %NULL with @error set
 */
char *
dbw_ai_query_build_statement (DbwSheet     *sheet,
                              DbwTemplate  *tmpl,
                              const char   *endpoint,
                              const char   *results_table,
                              GHashTable   *parameters,
                              GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("CREATE TABLE ");
  g_autoptr(GHashTable) sample_parameters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) segments = NULL;
  g_auto(GStrv) columns = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *preamble = NULL;
  const char * const *keys;
  GHashTableIter iter;
  gpointer name, value;
  guint n_texts = 0;

  g_return_val_if_fail (DBW_IS_SHEET (sheet), NULL);
  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), NULL);
  g_return_val_if_fail (parameters != NULL, NULL);

  if (!dbw_ai_query_check (sheet, tmpl, error))
    return NULL;

  /* Inlined as a literal, where ai_query wants one: so nothing but name characters. */
  for (const char *p = endpoint; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      endpoint = NULL;
  if (endpoint == NULL || endpoint[0] == '\0')
    {
      g_set_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME,
                   _("A serving endpoint’s name has only letters, digits, “-”, “_” and “.”"));
      return NULL;
    }

  columns = list_columns (tmpl, error);
  if (columns == NULL || (segments = split_prompt (tmpl, columns, error)) == NULL)
    return NULL;
  if ((preamble = build_preamble (tmpl, error)) == NULL)
    return NULL;
  if ((sample = dbw_uc_materializer_build_sample (sheet, sample_parameters, error)) == NULL)
    return NULL;
  keys = dbw_sheet_get_join_keys (sheet);

  if (!append_table_name (sql, results_table, error))
    return NULL;

  g_string_append (sql, " AS SELECT ");
  for (guint k = 0; keys[k] != NULL; k++)
    g_string_append_printf (sql, "`_dbw_key_%u`, ", k);
  /* The prompt: the preamble, then the row's input (text and columns in turn). */
  g_string_append (sql, "ai_query(");
  g_string_append_printf (sql, "'%s', ", endpoint);
  if (preamble[0] != '\0')
    {
      g_string_append_printf (sql, "concat(:prompt_%u, `_dbw_input`)", n_texts++);
      add_parameter (parameters, "prompt_0", g_steal_pointer (&preamble));
    }
  else
    {
      g_string_append (sql, "`_dbw_input`");
    }
  g_string_append (sql, ", modelParameters => named_struct("
                        "'temperature', CAST(:temperature AS DOUBLE), 'max_tokens', CAST(:max_tokens AS INT))) "
                        "AS `_dbw_response`, row_number() OVER (ORDER BY ");
  for (guint k = 0; keys[k] != NULL; k++)
    g_string_append_printf (sql, "`_dbw_key_%u`, ", k);
  /* Rows sharing their keys are told apart by their input, which comes back with them:
   * their order says nothing. */
  g_string_append (sql, "`_dbw_input`) AS `_dbw_row`, "
                        "CASE WHEN `_dbw_n_shared` > 1 THEN `_dbw_input` END AS `_dbw_shared_input` FROM (SELECT ");
  for (guint k = 0; keys[k] != NULL; k++)
    {
      append_name (sql, keys[k]);
      g_string_append_printf (sql, " AS `_dbw_key_%u`, ", k);
    }
  /* Counted over every row, as the materializer numbered them, empty inputs included. */
  g_string_append (sql, "count(*) OVER (PARTITION BY ");
  for (guint k = 0; keys[k] != NULL; k++)
    {
      if (k > 0)
        g_string_append (sql, ", ");
      append_name (sql, keys[k]);
    }
  g_string_append (sql, ") AS `_dbw_n_shared`, concat(");
  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = g_ptr_array_index (segments, i);

      if (i > 0)
        g_string_append (sql, ", ");
      if (segment->column < 0)
        {
          g_autofree char *parameter = g_strdup_printf ("prompt_%u", n_texts++);

          g_string_append_printf (sql, ":%s", parameter);
          add_parameter (parameters, parameter, g_strdup (segment->text));
        }
      else
        {
          g_string_append (sql, "CAST(");
          append_name (sql, columns[segment->column]);
          g_string_append (sql, " AS STRING)");
        }
    }
  if (segments->len == 0)
    g_string_append (sql, "''");
  g_string_append (sql, ") AS `_dbw_input` FROM ");
  g_string_append (sql, sample);
  g_string_append (sql, " AS `p`) AS `q` WHERE `_dbw_input` IS NOT NULL");

  {
    char number[G_ASCII_DTOSTR_BUF_SIZE];

    add_parameter (parameters, "temperature",
                   g_strdup (g_ascii_dtostr (number, sizeof number, dbw_template_get_temperature (tmpl))));
  }
  add_parameter (parameters, "max_tokens", g_strdup_printf ("%" G_GINT64_FORMAT, dbw_template_get_max_tokens (tmpl)));
  g_hash_table_iter_init (&iter, sample_parameters);
  while (g_hash_table_iter_next (&iter, &name, &value))
    add_parameter (parameters, name, g_strdup (value));

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/**
 * dbw_ai_query_build_page:
 * @n_keys: how many key columns the results table has
 * @after: the last _dbw_row read, 0 at first
 * @parameters: (element-type utf8 utf8): as for dbw_ai_query_build_statement()
 *
 * Returns: (transfer full): the query, or %NULL with @error set
 */
char *
dbw_ai_query_build_page (const char  *results_table,
                         guint        n_keys,
                         gint64       after,
                         guint        limit,
                         GHashTable  *parameters,
                         GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");

  g_return_val_if_fail (parameters != NULL, NULL);

  for (guint k = 0; k < n_keys; k++)
    g_string_append_printf (sql, "`_dbw_key_%u`, ", k);
  g_string_append (sql, "`_dbw_response`, `_dbw_row`, `_dbw_shared_input` FROM ");
  if (!append_table_name (sql, results_table, error))
    return NULL;
  g_string_append (sql, " WHERE `_dbw_row` > CAST(:after AS BIGINT) ORDER BY `_dbw_row` LIMIT CAST(:limit AS INT)");
  add_parameter (parameters, "after", g_strdup_printf ("%" G_GINT64_FORMAT, after));
  add_parameter (parameters, "limit", g_strdup_printf ("%u", limit));

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/**
 * dbw_ai_query_build_drop:
 *
 * Returns: (transfer full): DROP TABLE IF EXISTS @results_table, or %NULL with @error set
 */
char *
dbw_ai_query_build_drop (const char  *results_table,
                         GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("DROP TABLE IF EXISTS ");

  if (!append_table_name (sql, results_table, error))
    return NULL;

  return g_string_free (g_steal_pointer (&sql), FALSE);
}
