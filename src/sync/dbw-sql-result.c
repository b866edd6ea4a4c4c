/* dbw-sql-result.c
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

#define G_LOG_DOMAIN "dbw-sql-result"

#include "config.h"

#include "dbw-sql-result-private.h"

/* The whole answer of one SQL statement: column names and types from the manifest, and
 * every row of every chunk, each value as the text the JSON_ARRAY format gives (NULL for
 * SQL NULL). Immutable once DbwDatabricks hands it out, so it may be read from any thread. */

struct _DbwSqlResult
{
  GObject parent_instance;

  char *statement_id;
  GPtrArray *column_names;  /* char * */
  GPtrArray *column_types;  /* char * */
  GPtrArray *rows;          /* GPtrArray of char * (nullable) */
  gboolean truncated;
};

G_DEFINE_FINAL_TYPE (DbwSqlResult, dbw_sql_result, G_TYPE_OBJECT)

static void
dbw_sql_result_finalize (GObject *object)
{
  DbwSqlResult *self = (DbwSqlResult *)object;

  g_free (self->statement_id);
  g_ptr_array_unref (self->column_names);
  g_ptr_array_unref (self->column_types);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (dbw_sql_result_parent_class)->finalize (object);
}

static void
dbw_sql_result_class_init (DbwSqlResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_sql_result_finalize;
}

static void
dbw_sql_result_init (DbwSqlResult *self)
{
  self->column_names = g_ptr_array_new_with_free_func (g_free);
  self->column_types = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

DbwSqlResult *
_dbw_sql_result_new (const char *statement_id)
{
  DbwSqlResult *self = g_object_new (DBW_TYPE_SQL_RESULT, NULL);

  self->statement_id = g_strdup (statement_id);

  return self;
}

void
_dbw_sql_result_add_column (DbwSqlResult *self,
                            const char   *name,
                            const char   *type_name)
{
  g_return_if_fail (DBW_IS_SQL_RESULT (self));

  g_ptr_array_add (self->column_names, g_strdup (name != NULL ? name : ""));
  g_ptr_array_add (self->column_types, g_strdup (type_name != NULL ? type_name : ""));
}

/* Takes a reference to @values (char *, nullable, with g_free as free func). */
void
_dbw_sql_result_add_row (DbwSqlResult *self,
                         GPtrArray    *values)
{
  g_return_if_fail (DBW_IS_SQL_RESULT (self));
  g_return_if_fail (values != NULL);

  g_ptr_array_add (self->rows, g_ptr_array_ref (values));
}

/* Returns: (nullable): the id the workspace gave the statement */
const char *
dbw_sql_result_get_statement_id (DbwSqlResult *self)
{
  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), NULL);

  return self->statement_id;
}

guint
dbw_sql_result_get_n_columns (DbwSqlResult *self)
{
  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), 0);

  return self->column_names->len;
}

const char *
dbw_sql_result_get_column_name (DbwSqlResult *self,
                                guint         column)
{
  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), NULL);
  g_return_val_if_fail (column < self->column_names->len, NULL);

  return g_ptr_array_index (self->column_names, column);
}

/* Returns: the manifest's type_name ("STRING", "INT", "DECIMAL", …), or "" when not given */
const char *
dbw_sql_result_get_column_type (DbwSqlResult *self,
                                guint         column)
{
  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), NULL);
  g_return_val_if_fail (column < self->column_types->len, NULL);

  return g_ptr_array_index (self->column_types, column);
}

guint
dbw_sql_result_get_n_rows (DbwSqlResult *self)
{
  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), 0);

  return self->rows->len;
}

/**
 * dbw_sql_result_get_value:
 *
 * Returns: (nullable): the value as text, %NULL for SQL NULL (and for a cell a short row
 *   does not have)
 */
const char *
dbw_sql_result_get_value (DbwSqlResult *self,
                          guint         row,
                          guint         column)
{
  GPtrArray *values;

  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  g_return_val_if_fail (column < self->column_names->len, NULL);

  values = g_ptr_array_index (self->rows, row);
  if (column >= values->len)
    return NULL;

  return g_ptr_array_index (values, column);
}

void
_dbw_sql_result_set_truncated (DbwSqlResult *self,
                               gboolean      truncated)
{
  self->truncated = truncated;
}

/**
 * dbw_sql_result_get_truncated:
 *
 * Returns: whether the workspace left rows out, at the byte limit the statement was run with
 */
gboolean
dbw_sql_result_get_truncated (DbwSqlResult *self)
{
  g_return_val_if_fail (DBW_IS_SQL_RESULT (self), FALSE);

  return self->truncated;
}
