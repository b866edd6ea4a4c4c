/* dbw-sync-statements.c
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

#define G_LOG_DOMAIN "dbw-sync"

#include "config.h"

#include <json-glib/json-glib.h>

#include "dbw-sync-statements.h"

/* A synced table in the workspace is the project's table plus three columns: when the row
 * last changed there (_sync_at, the workspace's clock, which orders pulls), which client
 * changed it (_sync_client, so a client skips its own changes) and whether it is deleted
 * (_sync_deleted: a tombstone, so that others learn of the deletion).
 *
 * The MERGE applies the same rules as dbw_sync_journal_apply(): a deletion wins and is
 * final; a MUTABLE row takes the change with the later timestamp, the pushed one on a tie;
 * a VERSIONED row the higher version, then the later modification; an APPEND_ONLY row is
 * only ever inserted. Replaying a batch changes nothing but _sync_at. */

static const char *
remote_type (DbwSyncColumnType type)
{
  switch (type)
    {
    case DBW_SYNC_COLUMN_INTEGER: return "BIGINT";
    case DBW_SYNC_COLUMN_REAL: return "DOUBLE";
    case DBW_SYNC_COLUMN_BLOB: return "BINARY";
    case DBW_SYNC_COLUMN_TEXT:
    default:
      return "STRING";
    }
}

static char *
table_name (const char         *catalog,
            const char         *schema,
            const DbwSyncTable *table)
{
  return g_strdup_printf ("`%s`.`%s`.`%s`", catalog, schema, table->name);
}

/* A wire value (text) as the column's remote type. */
static void
append_typed (GString           *sql,
              DbwSyncColumnType  type,
              const char        *value)
{
  switch (type)
    {
    case DBW_SYNC_COLUMN_INTEGER:
    case DBW_SYNC_COLUMN_REAL:
      g_string_append_printf (sql, "CAST(%s AS %s)", value, remote_type (type));
      break;
    case DBW_SYNC_COLUMN_BLOB:
      g_string_append_printf (sql, "unbase64(%s)", value);
      break;
    case DBW_SYNC_COLUMN_TEXT:
    default:
      g_string_append (sql, value);
      break;
    }
}

char *
dbw_sync_sql_create_schema (const char *catalog,
                            const char *schema)
{
  return g_strdup_printf ("CREATE SCHEMA IF NOT EXISTS `%s`.`%s`", catalog, schema);
}

char *
dbw_sync_sql_create_volume (const char *catalog,
                            const char *schema)
{
  return g_strdup_printf ("CREATE VOLUME IF NOT EXISTS `%s`.`%s`.`%s`", catalog, schema, DBW_SYNC_VOLUME);
}

char *
dbw_sync_sql_create_table (const char         *catalog,
                           const char         *schema,
                           const DbwSyncTable *table)
{
  g_autofree char *name = table_name (catalog, schema, table);
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "CREATE TABLE IF NOT EXISTS %s (", name);
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, "`%s` %s, ", table->columns[i], remote_type (table->types[i]));
  g_string_append (sql, "`_sync_at` TIMESTAMP, `_sync_client` STRING, `_sync_deleted` BOOLEAN) USING DELTA");

  return g_string_free (sql, FALSE);
}

/**
 * dbw_sync_sql_list_columns:
 *
 * A statement that returns no row, only the remote table's columns in its manifest.
 */
char *
dbw_sync_sql_list_columns (const char         *catalog,
                           const char         *schema,
                           const DbwSyncTable *table)
{
  g_autofree char *name = table_name (catalog, schema, table);

  return g_strdup_printf ("SELECT * FROM %s LIMIT 0", name);
}

static gboolean
has_column (const char * const *present,
            const char         *column)
{
  /* Identifiers in a workspace are case-insensitive. */
  for (guint i = 0; present != NULL && present[i] != NULL; i++)
    if (g_ascii_strcasecmp (present[i], column) == 0)
      return TRUE;
  return FALSE;
}

/**
 * dbw_sync_sql_add_columns:
 * @present: (array zero-terminated=1): the columns the remote table has
 *
 * A table made by an earlier version of the project's schema lacks the columns added since;
 * CREATE TABLE IF NOT EXISTS leaves it as it is.
 *
 * Returns: (nullable): ALTER TABLE … ADD COLUMNS for those of @table's columns that are not
 *   in @present, or %NULL when none is missing
 */
char *
dbw_sync_sql_add_columns (const char         *catalog,
                          const char         *schema,
                          const DbwSyncTable *table,
                          const char * const *present)
{
  g_autofree char *name = table_name (catalog, schema, table);
  g_autoptr(GString) sql = g_string_new (NULL);
  guint n_missing = 0;

  g_string_append_printf (sql, "ALTER TABLE %s ADD COLUMNS (", name);
  for (guint i = 0; i < table->n_columns; i++)
    {
      if (has_column (present, table->columns[i]))
        continue;
      g_string_append_printf (sql, "%s`%s` %s", n_missing > 0 ? ", " : "",
                              table->columns[i], remote_type (table->types[i]));
      n_missing++;
    }
  g_string_append_c (sql, ')');

  return n_missing > 0 ? g_string_free (g_steal_pointer (&sql), FALSE) : NULL;
}

/**
 * dbw_sync_sql_layout_digest:
 *
 * Returns: a digest of the tables' names, columns and types: it changes when the project's
 *   schema adds a column, so that the remote tables are checked again
 */
char *
dbw_sync_sql_layout_digest (const DbwSyncTable * const *tables,
                            guint                       n_tables)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < n_tables; i++)
    {
      g_checksum_update (checksum, (const guchar *) tables[i]->name, -1);
      g_checksum_update (checksum, (const guchar *) "(", 1);
      for (guint c = 0; c < tables[i]->n_columns; c++)
        {
          g_checksum_update (checksum, (const guchar *) tables[i]->columns[c], -1);
          g_checksum_update (checksum, (const guchar *) " ", 1);
          g_checksum_update (checksum, (const guchar *) remote_type (tables[i]->types[c]), -1);
          g_checksum_update (checksum, (const guchar *) ",", 1);
        }
      g_checksum_update (checksum, (const guchar *) ")", 1);
    }

  return g_strndup (g_checksum_get_string (checksum), 16);
}

static void
append_update_condition (GString            *sql,
                         const DbwSyncTable *table)
{
  g_string_append (sql, "NOT coalesce(t.`_sync_deleted`, false)");

  if (table->kind == DBW_SYNC_TABLE_VERSIONED)
    {
      g_string_append (sql, " AND (s.`version` > t.`version` OR (s.`version` = t.`version`");
      if (table->timestamp != NULL)
        g_string_append_printf (sql, " AND coalesce(s.`%s`, '') >= coalesce(t.`%s`, '')",
                                table->timestamp, table->timestamp);
      g_string_append (sql, "))");
    }
  else if (table->timestamp != NULL)
    {
      g_string_append_printf (sql, " AND coalesce(s.`%s`, '') >= coalesce(t.`%s`, '')",
                              table->timestamp, table->timestamp);
    }
}

/* MERGE INTO @target USING (@source) with columns named as the table's plus _sync_deleted. */
static char *
build_merge (const char         *catalog,
             const char         *schema,
             const DbwSyncTable *table,
             const char         *source)
{
  g_autofree char *name = table_name (catalog, schema, table);
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "MERGE INTO %s AS t USING (%s) AS s ON t.`%s` = s.`%s` ",
                          name, source, table->key, table->key);

  g_string_append (sql,
                   "WHEN MATCHED AND s.`_sync_deleted` THEN UPDATE SET t.`_sync_deleted` = true, "
                   "t.`_sync_at` = current_timestamp(), t.`_sync_client` = :client ");

  if (table->kind != DBW_SYNC_TABLE_APPEND_ONLY)
    {
      g_string_append (sql, "WHEN MATCHED AND ");
      append_update_condition (sql, table);
      g_string_append (sql, " THEN UPDATE SET ");
      for (guint i = 1; i < table->n_columns; i++)
        g_string_append_printf (sql, "t.`%s` = s.`%s`, ", table->columns[i], table->columns[i]);
      g_string_append (sql, "t.`_sync_at` = current_timestamp(), t.`_sync_client` = :client ");
    }

  g_string_append (sql, "WHEN NOT MATCHED THEN INSERT (");
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, "`%s`, ", table->columns[i]);
  g_string_append (sql, "`_sync_at`, `_sync_client`, `_sync_deleted`) VALUES (");
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, "s.`%s`, ", table->columns[i]);
  g_string_append (sql, "current_timestamp(), :client, s.`_sync_deleted`)");

  return g_string_free (sql, FALSE);
}

/* The wire value of column @i of the @r-th row of @batch, its deletions after its upserts:
 * a deletion carries only its key. */
static const char *
batch_value (const DbwSyncBatch *batch,
             guint               r,
             guint               i)
{
  if (r < batch->rows->len)
    return g_ptr_array_index ((GPtrArray *) g_ptr_array_index (batch->rows, r), i);
  return i == 0 ? g_ptr_array_index (batch->deleted, r - batch->rows->len) : NULL;
}

static void
add_param (GHashTable *params,
           char       *name,
           const char *value)
{
  g_hash_table_insert (params, name, g_strdup (value));
}

/**
 * dbw_sync_sql_merge_values:
 *
 * One MERGE for a small batch, its rows inline as `VALUES` of bound parameters
 * (`:r<row>_<column>`).
 */
char *
dbw_sync_sql_merge_values (const char         *catalog,
                           const char         *schema,
                           const DbwSyncBatch *batch,
                           const char         *client_id,
                           GHashTable         *params)
{
  const DbwSyncTable *table = batch->table;
  g_autoptr(GString) source = g_string_new ("SELECT * FROM VALUES ");

  g_return_val_if_fail (batch->rows->len + batch->deleted->len > 0, NULL);

  for (guint r = 0; r < batch->rows->len + batch->deleted->len; r++)
    {
      gboolean deleted = r >= batch->rows->len;

      g_string_append (source, r > 0 ? ", (" : "(");
      for (guint i = 0; i < table->n_columns; i++)
        {
          g_autofree char *param = g_strdup_printf ("r%u_%u", r, i);
          g_autofree char *marker = g_strconcat (":", param, NULL);
          const char *value = batch_value (batch, r, i);

          if (value == NULL && i > 0)
            {
              /* NULL needs no parameter; typed so every row of VALUES agrees. */
              g_string_append_printf (source, "CAST(NULL AS %s), ", remote_type (table->types[i]));
              continue;
            }
          append_typed (source, table->types[i], marker);
          g_string_append (source, ", ");
          add_param (params, g_steal_pointer (&param), value);
        }
      g_string_append_printf (source, "%s)", deleted ? "true" : "false");
    }

  g_string_append (source, " AS v(");
  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (source, "`%s`, ", table->columns[i]);
  g_string_append (source, "`_sync_deleted`)");

  add_param (params, g_strdup ("client"), client_id);

  return build_merge (catalog, schema, table, source->str);
}

/**
 * dbw_sync_sql_merge_staged:
 * @staged_path: a JSON-lines file in the project's volume, from dbw_sync_batch_to_json_lines()
 *
 * One MERGE for a large batch, read from a staged file with read_files().
 */
char *
dbw_sync_sql_merge_staged (const char         *catalog,
                           const char         *schema,
                           const DbwSyncTable *table,
                           const char         *staged_path,
                           const char         *client_id,
                           GHashTable         *params)
{
  g_autoptr(GString) source = g_string_new ("SELECT ");
  g_autoptr(GString) file_schema = g_string_new (NULL);

  for (guint i = 0; i < table->n_columns; i++)
    {
      g_autofree char *column = g_strdup_printf ("`%s`", table->columns[i]);

      append_typed (source, table->types[i], column);
      g_string_append_printf (source, " AS `%s`, ", table->columns[i]);
      g_string_append_printf (file_schema, "`%s` STRING, ", table->columns[i]);
    }
  g_string_append (source, "(`_sync_deleted` = '1') AS `_sync_deleted` "
                           "FROM read_files(:path, format => 'json', schema => :schema)");
  g_string_append (file_schema, "`_sync_deleted` STRING");

  add_param (params, g_strdup ("path"), staged_path);
  add_param (params, g_strdup ("schema"), file_schema->str);
  add_param (params, g_strdup ("client"), client_id);

  return build_merge (catalog, schema, table, source->str);
}

/**
 * dbw_sync_sql_pull:
 * @since: (nullable): changes after this workspace time; %NULL for all
 * @after_at: (nullable): with @after_key, the last row of the previous page
 * @until: changes up to this workspace time, so one pull reads one moment of every table
 *
 * Rows other clients changed, oldest first, a page at a time. Columns: the table's, then
 * _sync_deleted, then _sync_at.
 */
char *
dbw_sync_sql_pull (const char         *catalog,
                   const char         *schema,
                   const DbwSyncTable *table,
                   const char         *since,
                   const char         *after_at,
                   const char         *after_key,
                   const char         *until,
                   const char         *client_id,
                   guint               limit,
                   GHashTable         *params)
{
  g_autofree char *name = table_name (catalog, schema, table);
  GString *sql = g_string_new ("SELECT ");

  for (guint i = 0; i < table->n_columns; i++)
    {
      if (table->types[i] == DBW_SYNC_COLUMN_BLOB)
        g_string_append_printf (sql, "base64(`%s`) AS `%s`, ", table->columns[i], table->columns[i]);
      else
        g_string_append_printf (sql, "`%s`, ", table->columns[i]);
    }
  g_string_append_printf (sql, "`_sync_deleted`, `_sync_at` FROM %s WHERE `_sync_client` <> :client AND `_sync_at` <= :until",
                          name);
  add_param (params, g_strdup ("client"), client_id);
  add_param (params, g_strdup ("until"), until);

  if (after_at != NULL && after_key != NULL)
    {
      g_string_append_printf (sql, " AND (`_sync_at` > :after_at OR (`_sync_at` = :after_at AND `%s` > :after_key))",
                              table->key);
      add_param (params, g_strdup ("after_at"), after_at);
      add_param (params, g_strdup ("after_key"), after_key);
    }
  else if (since != NULL)
    {
      g_string_append (sql, " AND `_sync_at` > :since");
      add_param (params, g_strdup ("since"), since);
    }

  g_string_append_printf (sql, " ORDER BY `_sync_at`, `%s` LIMIT %u", table->key, limit);

  return g_string_free (sql, FALSE);
}

/**
 * dbw_sync_batch_to_json_lines:
 *
 * The rows of @batch as JSON lines for dbw_sync_sql_merge_staged(): every value a string
 * (the wire form) or null, and `_sync_deleted` "1" for a deletion.
 *
 * Returns: (transfer full): the file's contents
 */
GBytes *
dbw_sync_batch_to_json_lines (const DbwSyncBatch *batch)
{
  const DbwSyncTable *table = batch->table;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < batch->rows->len + batch->deleted->len; r++)
    {
      gboolean deleted = r >= batch->rows->len;
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      json_builder_begin_object (builder);
      for (guint i = 0; i < table->n_columns; i++)
        {
          const char *value = batch_value (batch, r, i);

          json_builder_set_member_name (builder, table->columns[i]);
          if (value != NULL)
            json_builder_add_string_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_set_member_name (builder, "_sync_deleted");
      json_builder_add_string_value (builder, deleted ? "1" : "0");
      json_builder_end_object (builder);

      node = json_builder_get_root (builder);
      json_generator_set_root (generator, node);
      line = json_generator_to_data (generator, NULL);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }

  return g_string_free_to_bytes (out);
}
