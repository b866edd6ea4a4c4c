/* dbw-uc-materializer.c
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

#define G_LOG_DOMAIN "dbw-uc-materializer"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dbw-importer.h"
#include "dbw-sheet-source.h"
#include "dbw-json-text.h"
#include "dbw-uc-materializer.h"

/* DbwUcMaterializer pulls the data a Unity Catalog sheet points at into the project: it
 * reads the columns of the tables involved, runs one SELECT on the SQL warehouse — the
 * primary table, filtered and sampled, left-joined to the secondary tables on the join
 * keys — and hands the rows to a DbwImporter, which stores them as any import does. The
 * result comes through external links (cloud storage, chunk by chunk), so a sample is not
 * bounded by the 25 MiB a workspace sends inline; its rows are held in memory until the
 * import has them.
 *
 * Each row is known by its key: "orders#42" for the row whose join key is 42, so that
 * materialising again finds it unchanged or makes a new version of it. Without join keys
 * a row is known by its content ("orders#c3ab8ff13720e8ad"): a changed row is then a new
 * item. A sample over a key is the same sample every time (the rows with the smallest
 * hash of their key); without one it is a random sample.
 *
 * Names go into the statement only after dbw_databricks_validate_identifier() and quoted
 * with backticks; the sample size is a bound parameter; the filter condition is the user's
 * own SQL over their own data, placed as one parenthesised condition after
 * dbw_sheet_check_filter() has made sure it cannot be more.
 *
 * The workspace is asked from the thread that runs the materializer (DbwDatabricks is
 * used from one thread); the import runs in the importer's worker thread, and the rows are
 * turned into JSON there too. Nothing is written to the project before every answer is in:
 * a failure or a cancellation before the import leaves it as it was, and the import itself
 * is one transaction. */

/* Where each step ends, in the progress. */
#define PROGRESS_COLUMNS 0.05
#define PROGRESS_TAGS    0.15
#define PROGRESS_QUERY   0.35
#define PROGRESS_FILES   0.65

#define MAX_TAG_REQUESTS 4

G_DEFINE_QUARK (dbw-uc-materializer-error-quark, dbw_uc_materializer_error)

struct _DbwUcMaterializer
{
  GObject           parent_instance;

  DbwDatabricks    *client;
  char             *warehouse_id;
  GFile            *project;
  DbwSheet         *sheet;
  char             *user;
  gboolean          running;

  double            fraction;
  char             *status;
  char             *query;
  DbwImporter      *importer;
  double            import_start;
  DbwUsageConstraints *constraints;
};

G_DEFINE_FINAL_TYPE (DbwUcMaterializer, dbw_uc_materializer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Source tags (function pointers cannot be compared with gpointer under -Wpedantic). */
static const char run_tag[] = "dbw_uc_materializer_run_async";
static const char preview_tag[] = "dbw_uc_materializer_preview_async";

/* One table of the statement, with the columns the workspace lists. */
typedef struct
{
  char           *full_name;   /* "main.sales.orders" */
  char          **parts;       /* catalog, schema, table */
  char          **join_keys;   /* its columns joined to the sheet's join keys; primary: the keys */
  DbwUcEntry     *entry;       /* once listed */
} Table;

/* How a result column becomes JSON. */
typedef enum
{
  VALUE_STRING,
  VALUE_INTEGER,
  VALUE_NUMBER,
  VALUE_BOOLEAN,
} ValueKind;

/* A volume file to bring in. */
typedef struct
{
  char  *path;    /* "/Volumes/…", its item_ref */
  char  *name;
  GFile *local;   /* where it is downloaded */
} Download;

/* The state of one run, the task's data. */
typedef struct
{
  GPtrArray            *tables;         /* Table; the primary first; none for a sheet of volumes */
  GPtrArray            *volumes;        /* DbwSheetSource */
  GPtrArray            *schemas;        /* "catalog\nschema", each listed once */
  guint                 next_schema;
  GPtrArray            *entities;       /* "type\nfull name" whose tags to read */
  guint                 next_entity;
  guint                 tags_in_flight;
  GHashTable           *tags;           /* full name → (key → value) */
  DbwUsageConstraints  *constraints;
  GArray               *kinds;          /* ValueKind per selected column */
  GArray               *key_columns;    /* guint: positions of the key columns in the result */
  GHashTable           *parameters;
  DbwSqlResult         *result;
  guint                 next_volume;
  GPtrArray            *folders;        /* still to list, of the volume in hand */
  GPtrArray            *listed;         /* Download: files of the volume in hand */
  GPtrArray            *files;          /* Download: chosen */
  guint                 next_file;
  char                 *download_dir;
  GError               *error;
} Run;

static void
table_free (Table *table)
{
  g_free (table->full_name);
  g_strfreev (table->parts);
  g_strfreev (table->join_keys);
  g_clear_pointer (&table->entry, dbw_uc_entry_free);
  g_free (table);
}

static void
download_free (Download *download)
{
  g_free (download->path);
  g_free (download->name);
  g_clear_object (&download->local);
  g_free (download);
}

static void
run_free (Run *run)
{
  g_clear_pointer (&run->tables, g_ptr_array_unref);
  g_clear_pointer (&run->volumes, g_ptr_array_unref);
  g_clear_pointer (&run->schemas, g_ptr_array_unref);
  g_clear_pointer (&run->entities, g_ptr_array_unref);
  g_clear_pointer (&run->tags, g_hash_table_unref);
  g_clear_pointer (&run->constraints, dbw_usage_constraints_free);
  g_clear_pointer (&run->folders, g_ptr_array_unref);
  g_clear_pointer (&run->listed, g_ptr_array_unref);
  g_clear_pointer (&run->files, g_ptr_array_unref);
  g_clear_pointer (&run->download_dir, g_free);
  g_clear_error (&run->error);
  g_clear_pointer (&run->kinds, g_array_unref);
  g_clear_pointer (&run->key_columns, g_array_unref);
  g_clear_pointer (&run->parameters, g_hash_table_unref);
  g_clear_object (&run->result);
  g_free (run);
}

/* --- progress ---------------------------------------------------------------------------- */

static void
set_progress (DbwUcMaterializer *self,
              double             fraction,
              const char        *status)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
    }

  if (status != NULL && g_strcmp0 (status, self->status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
    }
}

/* --- checking the pointer ---------------------------------------------------------------- */

static Table *
table_new (const char          *full_name,
           const char * const  *join_keys,
           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  Table *table;

  if (!dbw_sheet_check_table_name (full_name, &local_error))
    {
      g_set_error_literal (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                           local_error->message);
      return NULL;
    }

  table = g_new0 (Table, 1);
  table->full_name = g_strdup (full_name);
  table->parts = g_strsplit (full_name, ".", 3);
  if (join_keys != NULL && join_keys[0] != NULL)
    table->join_keys = g_strdupv ((char **) join_keys);

  if (!dbw_databricks_validate_identifier (table->parts[0], _("catalog"), error) ||
      !dbw_databricks_validate_identifier (table->parts[1], _("schema"), error) ||
      !dbw_databricks_validate_identifier (table->parts[2], _("table"), error))
    {
      table_free (table);
      return NULL;
    }

  for (guint i = 0; table->join_keys != NULL && table->join_keys[i] != NULL; i++)
    if (!dbw_databricks_validate_identifier (table->join_keys[i], _("column"), error))
      {
        table_free (table);
        return NULL;
      }

  return table;
}

/* The tables of the pointer, the primary first, each joined on its keys; and its
 * volumes. */
static GPtrArray *
read_pointer (DbwSheet   *sheet,
              GPtrArray **volumes_out,
              GError    **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_sheet_source_free);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *join_keys = dbw_sheet_get_join_keys (sheet);
  const char *primary = dbw_sheet_get_primary_table (sheet);
  Table *table;

  if (dbw_sheet_get_source_kind (sheet) != DBW_SOURCE_KIND_UNITY_CATALOG)
    {
      g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                   _("The sheet “%s” does not point at Unity Catalog data"), dbw_sheet_get_name (sheet));
      return NULL;
    }

  sources = dbw_sheet_sources_parse (dbw_sheet_get_secondary_sources (sheet), &local_error);
  if (sources == NULL || !dbw_sheet_check_filter (dbw_sheet_get_filter_condition (sheet), &local_error))
    {
      g_set_error_literal (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                           local_error->message);
      return NULL;
    }

  if (primary != NULL && *primary != '\0')
    {
      if ((table = table_new (primary, join_keys, error)) == NULL)
        return NULL;
      g_ptr_array_add (tables, table);
    }

  for (guint i = 0; i < sources->len; i++)
    {
      DbwSheetSource *source = g_ptr_array_index (sources, i);
      guint n_keys = join_keys != NULL ? g_strv_length ((char **) join_keys) : 0;

      if (source->kind == DBW_SHEET_SOURCE_VOLUME)
        {
          g_auto(GStrv) parts = g_strsplit (source->name + strlen ("/Volumes/"), "/", 4);

          if (!dbw_databricks_validate_identifier (parts[0], _("catalog"), error) ||
              !dbw_databricks_validate_identifier (parts[1], _("schema"), error) ||
              !dbw_databricks_validate_identifier (parts[2], _("volume"), error) ||
              (source->join_keys != NULL && !dbw_databricks_validate_identifier (source->join_keys[0], _("column"), error)))
            return NULL;
          g_ptr_array_add (volumes, dbw_sheet_source_copy (source));
          continue;
        }

      if (tables->len == 0)
        {
          g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                       _("The table %s can only be joined to a primary table, and the sheet has none"), source->name);
          return NULL;
        }

      if (n_keys == 0 || (source->join_keys != NULL && g_strv_length (source->join_keys) != n_keys))
        {
          g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                       _("The table %s cannot be joined: its join keys do not match the sheet’s"), source->name);
          return NULL;
        }

      table = table_new (source->name, source->join_keys != NULL ? (const char * const *) source->join_keys : join_keys, error);
      if (table == NULL)
        return NULL;
      g_ptr_array_add (tables, table);
    }

  if (tables->len == 0 && volumes->len == 0)
    {
      g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                   _("The sheet “%s” points at no table and no volume"), dbw_sheet_get_name (sheet));
      return NULL;
    }

  *volumes_out = g_steal_pointer (&volumes);
  return g_steal_pointer (&tables);
}

static const DbwUcColumn *
find_column (DbwUcEntry *entry,
             const char *name)
{
  for (guint i = 0; entry->columns != NULL && i < entry->columns->len; i++)
    {
      const DbwUcColumn *column = g_ptr_array_index (entry->columns, i);

      /* Databricks column names do not depend on case. */
      if (g_ascii_strcasecmp (column->name, name) == 0)
        return column;
    }

  return NULL;
}

/* --- the statement ----------------------------------------------------------------------- */

static void
append_name (GString    *sql,
             const char *name)
{
  g_string_append_c (sql, '`');
  g_string_append (sql, name);
  g_string_append_c (sql, '`');
}

static void
append_table (GString *sql,
              Table   *table)
{
  append_name (sql, table->parts[0]);
  g_string_append_c (sql, '.');
  append_name (sql, table->parts[1]);
  g_string_append_c (sql, '.');
  append_name (sql, table->parts[2]);
}

static ValueKind
kind_for_type (const char *type_text)
{
  g_autofree char *type = g_ascii_strdown (type_text != NULL ? type_text : "", -1);

  if (g_str_has_prefix (type, "bigint") || g_str_has_prefix (type, "int") || g_str_has_prefix (type, "smallint") ||
      g_str_has_prefix (type, "tinyint") || g_str_has_prefix (type, "long") || g_str_has_prefix (type, "short") ||
      g_str_has_prefix (type, "byte"))
    return VALUE_INTEGER;
  if (g_str_has_prefix (type, "double") || g_str_has_prefix (type, "float") || g_str_has_prefix (type, "real") ||
      g_str_has_prefix (type, "decimal") || g_str_has_prefix (type, "numeric"))
    return VALUE_NUMBER;
  if (g_str_has_prefix (type, "boolean"))
    return VALUE_BOOLEAN;

  return VALUE_STRING;
}

/* Types an ORDER BY can take. */
static gboolean
is_orderable (const char *type_text)
{
  static const char * const unorderable[] = { "array", "map", "struct", "variant", "binary", "object", "geo", "interval" };
  g_autofree char *type = g_ascii_strdown (type_text != NULL ? type_text : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (unorderable); i++)
    if (g_str_has_prefix (type, unorderable[i]))
      return FALSE;

  return TRUE;
}

static gboolean
take_name (GHashTable *taken,
           const char *name)
{
  g_autofree char *key = g_utf8_casefold (name, -1);

  if (g_hash_table_contains (taken, key))
    return FALSE;

  g_hash_table_add (taken, g_steal_pointer (&key));
  return TRUE;
}

/* The primary table's rows, filtered and sampled: over a key, the same rows every time. */
static void
append_sample (GString    *sql,
               Table      *primary,
               const char *filter,
               gint64      sample_size,
               GHashTable *parameters)
{
  guint n_keys = primary->join_keys != NULL ? g_strv_length (primary->join_keys) : 0;

  if (filter == NULL && sample_size <= 0)
    {
      append_table (sql, primary);
      return;
    }

  g_string_append (sql, "(SELECT * FROM ");
  append_table (sql, primary);
  if (filter != NULL)
    {
      g_string_append (sql, " WHERE (");
      g_string_append (sql, filter);
      g_string_append_c (sql, ')');
    }
  if (sample_size > 0)
    {
      if (n_keys > 0)
        {
          g_string_append (sql, " ORDER BY xxhash64(");
          for (guint k = 0; k < n_keys; k++)
            {
              if (k > 0)
                g_string_append (sql, ", ");
              append_name (sql, primary->join_keys[k]);
            }
          g_string_append_c (sql, ')');
          for (guint k = 0; k < n_keys; k++)
            {
              g_string_append (sql, ", ");
              append_name (sql, primary->join_keys[k]);
            }
        }
      else
        g_string_append (sql, " ORDER BY rand()");
      g_string_append (sql, " LIMIT CAST(:sample_size AS INT)");
      g_hash_table_insert (parameters, (gpointer) "sample_size",
                           g_strdup_printf ("%" G_GINT64_FORMAT, sample_size));
    }
  g_string_append_c (sql, ')');
}

/* A filter of only spaces is no filter. */
static const char *
effective_filter (DbwSheet *sheet)
{
  const char *filter = dbw_sheet_get_filter_condition (sheet);

  for (const char *p = filter; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return filter;

  return NULL;
}

/* SELECT p.*, the secondary tables' other columns (renamed "<table>_<column>" when the
 * name is taken) FROM (the primary table, filtered and sampled) AS p LEFT JOIN each
 * secondary table ON its keys, in a stable order. */
static char *
build_query (DbwUcMaterializer  *self,
             Run                *run,
             GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GString) order = g_string_new (NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Table *primary = g_ptr_array_index (run->tables, 0);
  const char *filter = effective_filter (self->sheet);
  gint64 sample_size = dbw_sheet_get_sample_size (self->sheet);
  guint n_keys = primary->join_keys != NULL ? g_strv_length (primary->join_keys) : 0;
  guint n_selected = 0;

  run->kinds = g_array_new (FALSE, FALSE, sizeof (ValueKind));
  run->key_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  run->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint t = 0; t < run->tables->len; t++)
    {
      Table *table = g_ptr_array_index (run->tables, t);
      g_autofree char *alias = t == 0 ? g_strdup ("p") : g_strdup_printf ("s%u", t);

      for (guint c = 0; c < table->entry->columns->len; c++)
        {
          const DbwUcColumn *column = g_ptr_array_index (table->entry->columns, c);
          g_autofree char *as = NULL;
          ValueKind kind = kind_for_type (column->type_text);
          gboolean is_key = FALSE;

          if (!dbw_databricks_validate_identifier (column->name, _("column"), error))
            return NULL;

          for (guint k = 0; k < n_keys; k++)
            if (g_ascii_strcasecmp (column->name, table->join_keys[k]) == 0)
              is_key = TRUE;

          /* A secondary table's keys equal the primary's: they are not repeated. */
          if (t > 0 && is_key)
            continue;

          if (!take_name (taken, column->name))
            {
              for (guint n = 1; as == NULL || !take_name (taken, as); n++)
                {
                  g_free (as);
                  as = n == 1 ? g_strdup_printf ("%s_%s", table->parts[2], column->name)
                              : g_strdup_printf ("%s_%s_%u", table->parts[2], column->name, n);
                }
              if (!dbw_databricks_validate_identifier (as, _("column"), error))
                return NULL;
            }

          if (n_selected > 0)
            g_string_append (sql, ", ");
          append_name (sql, alias);
          g_string_append_c (sql, '.');
          append_name (sql, column->name);
          if (as != NULL)
            {
              g_string_append (sql, " AS ");
              append_name (sql, as);
            }

          g_array_append_val (run->kinds, kind);
          if (t == 0 && is_key)
            {
              /* In the order of the join keys. */
              guint position = n_selected;

              for (guint k = 0; k < n_keys; k++)
                if (g_ascii_strcasecmp (column->name, table->join_keys[k]) == 0)
                  {
                    if (run->key_columns->len <= k)
                      g_array_set_size (run->key_columns, k + 1);
                    g_array_index (run->key_columns, guint, k) = position;
                  }
            }
          else if (n_keys > 0 && is_orderable (column->type_text))
            {
              g_string_append (order, ", ");
              append_name (order, alias);
              g_string_append_c (order, '.');
              append_name (order, column->name);
            }

          n_selected++;
        }
    }

  g_string_append (sql, " FROM ");
  append_sample (sql, primary, filter, sample_size, run->parameters);
  g_string_append (sql, " AS `p`");

  for (guint t = 1; t < run->tables->len; t++)
    {
      Table *table = g_ptr_array_index (run->tables, t);
      g_autofree char *alias = g_strdup_printf ("s%u", t);

      g_string_append (sql, " LEFT JOIN ");
      append_table (sql, table);
      g_string_append (sql, " AS ");
      append_name (sql, alias);
      for (guint k = 0; k < n_keys; k++)
        {
          g_string_append (sql, k == 0 ? " ON " : " AND ");
          g_string_append (sql, "`p`.");
          append_name (sql, primary->join_keys[k]);
          g_string_append (sql, " = ");
          append_name (sql, alias);
          g_string_append_c (sql, '.');
          append_name (sql, table->join_keys[k]);
        }
    }

  if (n_keys > 0)
    {
      g_string_append (sql, " ORDER BY ");
      for (guint k = 0; k < n_keys; k++)
        {
          if (k > 0)
            g_string_append (sql, ", ");
          g_string_append (sql, "`p`.");
          append_name (sql, primary->join_keys[k]);
        }
      g_string_append (sql, order->str);
    }

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* --- rows as records (in the import thread) ---------------------------------------------- */

typedef struct
{
  DbwSqlResult *result;
  char         *table;
  GArray       *kinds;
  GArray       *key_columns;
  GHashTable   *given;
  GString      *json;
  GString      *ref;
} RowFeed;

static void
row_feed_free (RowFeed *feed)
{
  g_clear_object (&feed->result);
  g_free (feed->table);
  g_array_unref (feed->kinds);
  g_array_unref (feed->key_columns);
  g_hash_table_unref (feed->given);
  g_string_free (feed->json, TRUE);
  g_string_free (feed->ref, TRUE);
  g_free (feed);
}

static void
append_json_value (GString    *json,
                   const char *value,
                   ValueKind   kind)
{
  if (value == NULL)
    {
      g_string_append (json, "null");
      return;
    }

  switch (kind)
    {
    case VALUE_INTEGER:
    case VALUE_NUMBER:
      /* As sent, so a decimal keeps its digits. */
      if (dbw_json_is_number (value))
        {
          g_string_append (json, value);
          return;
        }
      break;

    case VALUE_BOOLEAN:
      if (g_ascii_strcasecmp (value, "true") == 0 || g_ascii_strcasecmp (value, "false") == 0)
        {
          g_string_append (json, g_ascii_strcasecmp (value, "true") == 0 ? "true" : "false");
          return;
        }
      break;

    case VALUE_STRING:
    default:
      break;
    }

  dbw_json_append_string (json, value);
}

/* A key value in a ref: "/" separates values, "%" escapes. */
static void
append_ref_part (GString    *ref,
                 const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '/' || g_ascii_iscntrl (*p))
        g_string_append_printf (ref, "%%%02X", (guchar) *p);
      else
        g_string_append_c (ref, *p);
    }
}

static gboolean
give_row_cb (guint64    index,
             char     **ref,
             char     **fields,
             gpointer   user_data,
             GError   **error)
{
  RowFeed *feed = user_data;
  guint n_columns = dbw_sql_result_get_n_columns (feed->result);
  gboolean keyed = feed->key_columns->len > 0;
  guint row = (guint) index;

  g_string_truncate (feed->json, 0);
  g_string_append_c (feed->json, '{');
  for (guint c = 0; c < n_columns; c++)
    {
      ValueKind kind = c < feed->kinds->len ? g_array_index (feed->kinds, ValueKind, c) : VALUE_STRING;

      if (c > 0)
        g_string_append_c (feed->json, ',');
      dbw_json_append_string (feed->json, dbw_sql_result_get_column_name (feed->result, c));
      g_string_append_c (feed->json, ':');
      append_json_value (feed->json, dbw_sql_result_get_value (feed->result, row, c), kind);
    }
  g_string_append_c (feed->json, '}');

  g_string_assign (feed->ref, feed->table);
  g_string_append_c (feed->ref, '#');
  for (guint k = 0; keyed && k < feed->key_columns->len; k++)
    {
      guint column = g_array_index (feed->key_columns, guint, k);
      const char *value = column < n_columns ? dbw_sql_result_get_value (feed->result, row, column) : NULL;

      /* A row without its key is known by its content. */
      if (value == NULL)
        {
          keyed = FALSE;
          g_string_assign (feed->ref, feed->table);
          g_string_append_c (feed->ref, '#');
          break;
        }
      if (k > 0)
        g_string_append_c (feed->ref, '/');
      append_ref_part (feed->ref, value);
    }
  if (!keyed)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, feed->json->str, feed->json->len);

      g_string_append_len (feed->ref, hash, 16);
    }

  /* Two rows with the same key (a key that is not unique, or a join with several matches)
   * are told apart by their order, which the statement keeps stable. */
  if (g_hash_table_contains (feed->given, feed->ref->str))
    {
      gsize len = feed->ref->len;

      for (guint n = 2; ; n++)
        {
          g_string_truncate (feed->ref, len);
          g_string_append_printf (feed->ref, "~%u", n);
          if (!g_hash_table_contains (feed->given, feed->ref->str))
            break;
        }
    }
  g_hash_table_add (feed->given, g_strdup (feed->ref->str));

  *ref = g_strdup (feed->ref->str);
  *fields = g_strdup (feed->json->str);

  return TRUE;
}

/* --- the run ----------------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static void
cleanup_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  remove_tree (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
on_cleaned_up_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);

  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Ends the run with @error (taken), or with success when %NULL, once the downloaded files
 * are gone. */
static void
finish_run (GTask  *task,
            GError *error)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) cleanup = NULL;

  if (error == NULL)
    set_progress (self, 1.0, NULL);

  if (run->download_dir == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  run->error = error;
  cleanup = g_task_new (NULL, NULL, on_cleaned_up_cb, task);
  g_task_set_name (cleanup, "[dbw-uc-materializer] clean up");
  g_task_set_task_data (cleanup, g_steal_pointer (&run->download_dir), g_free);
  g_task_run_in_thread (cleanup, cleanup_thread);
}

/* Importing */

static void
on_import_progress_cb (DbwUcMaterializer *self,
                       GParamSpec        *pspec,
                       DbwImporter       *importer)
{
  double start = self->import_start;

  set_progress (self, start + (1.0 - start) * dbw_importer_get_fraction (importer),
                dbw_importer_get_status (importer));
}

static void
on_import_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  DbwUcMaterializer *self = g_task_get_source_object (task);
  GError *error = NULL;

  g_signal_handlers_disconnect_matched (object, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  if (!dbw_importer_run_finish (DBW_IMPORTER (object), result, &error))
    {
      finish_run (task, error);
      return;
    }

  finish_run (task, NULL);
}

static void
start_import (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  self->importer = dbw_importer_new (self->project, dbw_record_get_id (DBW_RECORD (self->sheet)));
  dbw_importer_set_user (self->importer, self->user);
  dbw_importer_set_usage_constraints (self->importer, run->constraints);

  if (run->result != NULL)
    {
      Table *primary = g_ptr_array_index (run->tables, 0);
      RowFeed *feed = g_new0 (RowFeed, 1);

      feed->result = g_object_ref (run->result);
      feed->table = g_strdup (primary->parts[2]);
      feed->kinds = g_array_ref (run->kinds);
      feed->key_columns = g_array_ref (run->key_columns);
      feed->given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      feed->json = g_string_new (NULL);
      feed->ref = g_string_new (NULL);
      dbw_importer_add_records (self->importer, primary->full_name, dbw_sql_result_get_n_rows (run->result),
                                give_row_cb, feed, (GDestroyNotify) row_feed_free);
    }

  for (guint i = 0; i < run->files->len; i++)
    {
      Download *download = g_ptr_array_index (run->files, i);

      dbw_importer_add_file (self->importer, download->local, download->path, download->path);
    }

  g_signal_connect_object (self->importer, "notify::fraction", G_CALLBACK (on_import_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->importer, "notify::status", G_CALLBACK (on_import_progress_cb), self, G_CONNECT_SWAPPED);

  self->import_start = self->fraction;
  dbw_importer_run_async (self->importer, g_task_get_cancellable (task), on_import_done_cb, task);
}

/* Volume files: listed folder by folder, chosen, then downloaded one by one into a
 * temporary folder, from which the importer reads them */

static void download_next (GTask *task);

static void
on_downloaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  Download *download = g_ptr_array_index (run->files, run->next_file - 1);
  GError *error = NULL;

  if (!dbw_databricks_download_file_finish (DBW_DATABRICKS (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not download %s: "), download->path);
      finish_run (task, error);
      return;
    }

  download_next (task);
}

static void
download_next (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *status = NULL;
  Download *download;

  if (run->next_file >= run->files->len)
    {
      start_import (task);
      return;
    }

  download = g_ptr_array_index (run->files, run->next_file++);
  /* Translators: "Downloading file 3 of 12…" */
  status = g_strdup_printf (_("Downloading file %u of %u…"), run->next_file, run->files->len);
  set_progress (self, PROGRESS_QUERY + (PROGRESS_FILES - PROGRESS_QUERY) * (run->next_file - 1) / run->files->len, status);

  dbw_databricks_download_file_async (self->client, download->path, download->local,
                                      g_task_get_cancellable (task), on_downloaded_cb, task);
}

/* In a worker: a folder per file keeps each file's own name. */
static void
make_download_dir_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  guint n_files = GPOINTER_TO_UINT (task_data);
  g_autofree char *dir = NULL;
  GError *error = NULL;

  dir = g_dir_make_tmp ("databits-volume-XXXXXX", &error);
  if (dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", i);
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_mkdir (child, 0700) != 0)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   _("Could not make a folder for the downloads: %s"), g_strerror (saved_errno));
          remove_tree (dir);
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&dir), g_free);
}

static void
on_download_dir_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->download_dir = g_task_propagate_pointer (G_TASK (result), &error);
  if (run->download_dir == NULL)
    {
      finish_run (task, error);
      return;
    }

  for (guint i = 0; i < run->files->len; i++)
    {
      Download *download = g_ptr_array_index (run->files, i);
      g_autofree char *folder = g_strdup_printf ("%u", i);
      g_autofree char *path = g_build_filename (run->download_dir, folder, download->name, NULL);

      download->local = g_file_new_for_path (path);
    }

  download_next (task);
}

static void
start_downloads (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) mkdir_task = NULL;

  if (run->files->len == 0)
    {
      if (run->tables->len == 0)
        {
          finish_run (task, g_error_new (DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND,
                                         _("The sheet’s volumes have no files")));
          return;
        }
      start_import (task);
      return;
    }

  mkdir_task = g_task_new (NULL, g_task_get_cancellable (task), on_download_dir_cb, task);
  g_task_set_name (mkdir_task, "[dbw-uc-materializer] download folder");
  g_task_set_task_data (mkdir_task, GUINT_TO_POINTER (run->files->len), NULL);
  g_task_run_in_thread (mkdir_task, make_download_dir_thread);
}

static int
compare_downloads (gconstpointer a,
                   gconstpointer b)
{
  const Download *download_a = *(const Download * const *) a;
  const Download *download_b = *(const Download * const *) b;

  return strcmp (download_a->path, download_b->path);
}

/* A file's name without its last extension. */
static char *
file_stem (const char *name)
{
  const char *dot = strrchr (name, '.');

  return dot != NULL && dot != name ? g_strndup (name, dot - name) : g_strdup (name);
}

/* The files of the volume just listed that the sheet takes: those named after a row's
 * value of the join column, or all of them (up to the sample size, in path order). */
static void
choose_files (DbwUcMaterializer *self,
              Run               *run,
              DbwSheetSource    *volume)
{
  g_autoptr(GHashTable) values = NULL;
  gint64 sample_size = dbw_sheet_get_sample_size (self->sheet);
  guint n_taken = 0;

  if (volume->join_keys != NULL && run->result != NULL)
    {
      guint n_columns = dbw_sql_result_get_n_columns (run->result);

      values = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint c = 0; c < n_columns; c++)
        {
          if (g_ascii_strcasecmp (dbw_sql_result_get_column_name (run->result, c), volume->join_keys[0]) != 0)
            continue;
          for (guint r = 0; r < dbw_sql_result_get_n_rows (run->result); r++)
            {
              const char *value = dbw_sql_result_get_value (run->result, r, c);

              if (value != NULL)
                g_hash_table_add (values, (gpointer) value);
            }
          break;
        }
    }

  g_ptr_array_sort (run->listed, compare_downloads);
  for (guint i = 0; i < run->listed->len; i++)
    {
      Download *download = g_ptr_array_index (run->listed, i);
      gboolean taken = FALSE;

      if (values != NULL)
        {
          g_autofree char *stem = file_stem (download->name);

          if (!g_hash_table_contains (values, stem))
            continue;
        }
      else if (sample_size > 0 && n_taken >= sample_size)
        break;

      for (guint j = 0; j < run->files->len && !taken; j++)
        taken = g_str_equal (((Download *) g_ptr_array_index (run->files, j))->path, download->path);
      if (taken)
        continue;

      g_ptr_array_add (run->files, g_ptr_array_steal_index (run->listed, i--));
      n_taken++;
    }

  g_ptr_array_set_size (run->listed, 0);
}

static void list_next_folder (GTask *task);

static void
on_folder_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *folder = g_ptr_array_steal_index (run->folders, 0);
  GError *error = NULL;

  entries = dbw_databricks_list_directory_finish (DBW_DATABRICKS (object), result, &error);
  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not list the files of %s: "), folder);
      finish_run (task, error);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      DbwFileEntry *entry = g_ptr_array_index (entries, i);
      const char *name = dbw_file_entry_get_name (entry);
      const char *path = dbw_file_entry_get_path (entry);

      /* Only what is under the folder asked for, with a name that can be a file here. */
      if (!g_str_has_prefix (path, folder) || path[strlen (folder)] != '/' ||
          *name == '\0' || strchr (name, '/') != NULL || g_str_equal (name, ".") || g_str_equal (name, ".."))
        continue;

      if (dbw_file_entry_get_is_directory (entry))
        g_ptr_array_add (run->folders, g_strdup (path));
      else
        {
          Download *download = g_new0 (Download, 1);

          download->path = g_strdup (path);
          download->name = g_strdup (name);
          g_ptr_array_add (run->listed, download);
        }
    }

  if (run->folders->len == 0)
    choose_files (self, run, g_ptr_array_index (run->volumes, run->next_volume - 1));

  list_next_folder (task);
}

static void
list_next_folder (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->folders->len == 0)
    {
      DbwSheetSource *volume;
      g_autofree char *status = NULL;
      g_autofree char *path = NULL;

      if (run->next_volume >= run->volumes->len)
        {
          start_downloads (task);
          return;
        }

      volume = g_ptr_array_index (run->volumes, run->next_volume++);
      path = g_strdup (volume->name);
      if (g_str_has_suffix (path, "/"))
        path[strlen (path) - 1] = '\0';

      /* Translators: %s is a volume path such as /Volumes/main/sales/images */
      status = g_strdup_printf (_("Listing the files of %s…"), path);
      set_progress (self, PROGRESS_QUERY, status);
      g_ptr_array_add (run->folders, g_steal_pointer (&path));
    }

  dbw_databricks_list_directory_async (self->client, g_ptr_array_index (run->folders, 0),
                                       g_task_get_cancellable (task), on_folder_listed_cb, task);
}

/* The statement */

static void
on_query_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  Table *primary = g_ptr_array_index (run->tables, 0);
  GError *error = NULL;

  run->result = dbw_databricks_execute_finish (DBW_DATABRICKS (object), result, &error);
  if (run->result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not read %s from the SQL warehouse: "), primary->full_name);
      finish_run (task, error);
      return;
    }

  list_next_folder (task);
}

static void
run_query (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *status = NULL;
  GError *error = NULL;
  Table *primary;

  if (run->tables->len == 0)
    {
      list_next_folder (task);
      return;
    }

  primary = g_ptr_array_index (run->tables, 0);
  g_clear_pointer (&self->query, g_free);
  self->query = build_query (self, run, &error);
  if (self->query == NULL)
    {
      finish_run (task, error);
      return;
    }

  /* Translators: %s is a table name such as main.sales.orders */
  status = g_strdup_printf (_("Reading %s on the SQL warehouse…"), primary->full_name);
  set_progress (self, PROGRESS_TAGS, status);
  g_debug ("Materializing sheet %s: %s", dbw_record_get_id (DBW_RECORD (self->sheet)), self->query);

  /* A sample can be far larger than the 25 MiB a workspace sends inline. */
  dbw_databricks_execute_external_async (self->client, self->warehouse_id, self->query, run->parameters,
                                         g_task_get_cancellable (task), on_query_done_cb, task);
}

/* Tags: of every table, column and volume involved, a few requests at a time. Tags that
 * cannot be read fail the run: data whose restrictions are unknown is not brought in. */

static void read_more_tags (GTask *task);

typedef struct
{
  GTask *task;     /* not owned: the run holds it until every request is back */
  char  *entity;   /* "type\nfull name" */
} TagRequest;

static void
on_tags_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TagRequest *request = user_data;
  GTask *task = request->task;
  Run *run = g_task_get_task_data (task);
  g_auto(GStrv) parts = g_strsplit (request->entity, "\n", 2);
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(GError) error = NULL;

  g_free (request->entity);
  g_free (request);

  run->tags_in_flight--;
  tags = dbw_databricks_list_entity_tags_finish (DBW_DATABRICKS (object), result, &error);
  if (tags == NULL && run->error == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not read the tags of %s, which say whether it holds personal data: "), parts[1]);
      run->error = g_steal_pointer (&error);
    }
  else if (tags != NULL && g_hash_table_size (tags) > 0)
    g_hash_table_insert (run->tags, g_strdup (parts[1]), g_steal_pointer (&tags));

  read_more_tags (task);
}

static void
read_more_tags (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  while (run->error == NULL && run->tags_in_flight < MAX_TAG_REQUESTS &&
         run->next_entity < run->entities->len)
    {
      const char *entity = g_ptr_array_index (run->entities, run->next_entity++);
      g_auto(GStrv) parts = g_strsplit (entity, "\n", 2);
      TagRequest *request = g_new0 (TagRequest, 1);

      request->task = task;
      request->entity = g_strdup (entity);
      run->tags_in_flight++;
      dbw_databricks_list_entity_tags_async (self->client, parts[0], parts[1], g_task_get_cancellable (task),
                                             on_tags_read_cb, request);
    }

  if (run->tags_in_flight > 0)
    return;

  if (run->error != NULL)
    {
      finish_run (task, g_steal_pointer (&run->error));
      return;
    }

  if (run->next_entity >= run->entities->len)
    {
      run->constraints = dbw_usage_constraints_new_from_tags (run->tags);
      if (run->constraints != NULL)
        {
          g_debug ("Sheet %s: %s", dbw_record_get_id (DBW_RECORD (self->sheet)), run->constraints->reason);
          self->constraints = dbw_usage_constraints_copy (run->constraints);
        }
      run_query (task);
    }
}

static void
read_tags (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  for (guint t = 0; t < run->tables->len; t++)
    {
      Table *table = g_ptr_array_index (run->tables, t);

      g_ptr_array_add (run->entities, g_strconcat ("tables\n", table->full_name, NULL));
      for (guint c = 0; c < table->entry->columns->len; c++)
        {
          const DbwUcColumn *column = g_ptr_array_index (table->entry->columns, c);

          g_ptr_array_add (run->entities, g_strconcat ("columns\n", table->full_name, ".", column->name, NULL));
        }
    }

  for (guint v = 0; v < run->volumes->len; v++)
    {
      DbwSheetSource *volume = g_ptr_array_index (run->volumes, v);
      g_auto(GStrv) parts = g_strsplit (volume->name + strlen ("/Volumes/"), "/", 4);

      g_ptr_array_add (run->entities, g_strdup_printf ("volumes\n%s.%s.%s", parts[0], parts[1], parts[2]));
    }

  set_progress (self, PROGRESS_COLUMNS, _("Reading the tags of the tables and volumes…"));
  read_more_tags (task);
}

/* Columns */

static gboolean
check_columns (DbwUcMaterializer  *self,
               Run                *run,
               GError            **error)
{
  for (guint t = 0; t < run->tables->len; t++)
    {
      Table *table = g_ptr_array_index (run->tables, t);

      if (table->entry == NULL)
        {
          g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND,
                       _("The table %s is not in the workspace, or this account may not see it"), table->full_name);
          return FALSE;
        }

      if (table->entry->columns == NULL || table->entry->columns->len == 0)
        {
          g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND,
                       _("The workspace lists no columns for the table %s"), table->full_name);
          return FALSE;
        }

      for (guint k = 0; table->join_keys != NULL && table->join_keys[k] != NULL; k++)
        if (find_column (table->entry, table->join_keys[k]) == NULL)
          {
            g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND,
                         _("The table %s has no column “%s” to join on"), table->full_name, table->join_keys[k]);
            return FALSE;
          }
    }

  for (guint v = 0; v < run->volumes->len; v++)
    {
      DbwSheetSource *volume = g_ptr_array_index (run->volumes, v);
      Table *primary;

      if (volume->join_keys == NULL)
        continue;

      primary = run->tables->len > 0 ? g_ptr_array_index (run->tables, 0) : NULL;
      if (primary == NULL || find_column (primary->entry, volume->join_keys[0]) == NULL)
        {
          g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_FOUND,
                       _("The files of %s are matched to rows by the column “%s”, which %s does not have"),
                       volume->name, volume->join_keys[0], primary != NULL ? primary->full_name : "");
          return FALSE;
        }
    }

  return TRUE;
}

static void list_next_schema (GTask *task);

static void
on_tables_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  entries = dbw_databricks_list_tables_finish (DBW_DATABRICKS (object), result, &error);
  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_auto(GStrv) schema = g_strsplit (g_ptr_array_index (run->schemas, run->next_schema - 1), "\n", 2);

          /* Translators: %s.%s is a catalog and a schema */
          g_prefix_error (&error, _("Could not list the tables of %s.%s: "), schema[0], schema[1]);
        }
      finish_run (task, error);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      DbwUcEntry *entry = g_ptr_array_index (entries, i);

      for (guint t = 0; t < run->tables->len; t++)
        {
          Table *table = g_ptr_array_index (run->tables, t);

          if (table->entry == NULL && g_strcmp0 (entry->full_name, table->full_name) == 0)
            table->entry = dbw_uc_entry_copy (entry);
        }
    }

  list_next_schema (task);
}

/* The columns come from the Unity Catalog listing of each schema involved. */
static void
list_next_schema (GTask *task)
{
  DbwUcMaterializer *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_auto(GStrv) schema = NULL;
  GError *error = NULL;

  if (run->next_schema >= run->schemas->len)
    {
      if (!check_columns (self, run, &error))
        {
          finish_run (task, error);
          return;
        }
      read_tags (task);
      return;
    }

  schema = g_strsplit (g_ptr_array_index (run->schemas, run->next_schema++), "\n", 2);
  dbw_databricks_list_tables_async (self->client, schema[0], schema[1], g_task_get_cancellable (task),
                                    on_tables_listed_cb, task);
}

/* --- GObject ----------------------------------------------------------------------------- */

static void
dbw_uc_materializer_finalize (GObject *object)
{
  DbwUcMaterializer *self = (DbwUcMaterializer *)object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->warehouse_id, g_free);
  g_clear_object (&self->project);
  g_clear_object (&self->sheet);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_object (&self->importer);
  g_clear_pointer (&self->constraints, dbw_usage_constraints_free);

  G_OBJECT_CLASS (dbw_uc_materializer_parent_class)->finalize (object);
}

static void
dbw_uc_materializer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DbwUcMaterializer *self = DBW_UC_MATERIALIZER (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_uc_materializer_class_init (DbwUcMaterializerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_uc_materializer_finalize;
  object_class->get_property = dbw_uc_materializer_get_property;

  /**
   * DbwUcMaterializer:fraction:
   *
   * How far the run is, from 0 to 1.
   */
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwUcMaterializer:status:
   *
   * What the run is doing, for a progress label.
   */
  properties [PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_uc_materializer_init (DbwUcMaterializer *self)
{
}

/* --- public API -------------------------------------------------------------------------- */

/**
 * dbw_uc_materializer_new:
 * @client: the workspace, used from the thread that runs the materializer
 * @warehouse_id: the SQL warehouse that runs the statement
 * @project: the project file
 * @sheet: the Unity Catalog sheet to fill; a copy is kept
 */
DbwUcMaterializer *
dbw_uc_materializer_new (DbwDatabricks *client,
                         const char    *warehouse_id,
                         GFile         *project,
                         DbwSheet      *sheet)
{
  DbwUcMaterializer *self;

  g_return_val_if_fail (DBW_IS_DATABRICKS (client), NULL);
  g_return_val_if_fail (G_IS_FILE (project), NULL);
  g_return_val_if_fail (DBW_IS_SHEET (sheet), NULL);
  g_return_val_if_fail (dbw_record_get_id (DBW_RECORD (sheet)) != NULL, NULL);

  self = g_object_new (DBW_TYPE_UC_MATERIALIZER, NULL);
  self->client = g_object_ref (client);
  self->warehouse_id = g_strdup (warehouse_id);
  self->project = g_object_ref (project);
  self->sheet = dbw_record_copy (DBW_RECORD (sheet));

  return self;
}

/* Who materializes, recorded as the items' creator where the project keeps one. */
void
dbw_uc_materializer_set_user (DbwUcMaterializer *self,
                              const char        *user)
{
  g_return_if_fail (DBW_IS_UC_MATERIALIZER (self));

  g_free (self->user);
  self->user = g_strdup (user);
}

double
dbw_uc_materializer_get_fraction (DbwUcMaterializer *self)
{
  g_return_val_if_fail (DBW_IS_UC_MATERIALIZER (self), 0.0);

  return self->fraction;
}

const char *
dbw_uc_materializer_get_status (DbwUcMaterializer *self)
{
  g_return_val_if_fail (DBW_IS_UC_MATERIALIZER (self), NULL);

  return self->status;
}

/**
 * dbw_uc_materializer_get_report:
 *
 * Returns: (transfer none) (nullable): what the import did, once it has begun; %NULL
 *   when the run ended before it
 */
DbwImportReport *
dbw_uc_materializer_get_report (DbwUcMaterializer *self)
{
  g_return_val_if_fail (DBW_IS_UC_MATERIALIZER (self), NULL);

  return self->importer != NULL ? dbw_importer_get_report (self->importer) : NULL;
}

/**
 * dbw_uc_materializer_get_query:
 *
 * Returns: (nullable): the statement sent to the SQL warehouse, once built
 */
const char *
dbw_uc_materializer_get_query (DbwUcMaterializer *self)
{
  g_return_val_if_fail (DBW_IS_UC_MATERIALIZER (self), NULL);

  return self->query;
}

/**
 * dbw_uc_materializer_get_usage_constraints:
 *
 * Returns: (nullable): what the tags of the sheet's sources demand of its items, once
 *   they were read; %NULL when they demand nothing
 */
const DbwUsageConstraints *
dbw_uc_materializer_get_usage_constraints (DbwUcMaterializer *self)
{
  g_return_val_if_fail (DBW_IS_UC_MATERIALIZER (self), NULL);

  return self->constraints;
}

/**
 * dbw_uc_materializer_run_async:
 *
 * Reads the sheet's rows from the workspace and imports them. Progress is notified in
 * the calling thread's main context. Run it once.
 */
void
dbw_uc_materializer_run_async (DbwUcMaterializer   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *status = NULL;
  GError *error = NULL;
  Run *run;

  g_return_if_fail (DBW_IS_UC_MATERIALIZER (self));
  g_return_if_fail (!self->running);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  self->running = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) run_tag);
  g_task_set_name (task, "[dbw-uc-materializer] run");
  /* Cancelled after the import committed, the rows are in: the import reports that. */
  g_task_set_check_cancellable (task, FALSE);

  run = g_new0 (Run, 1);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (self->warehouse_id == NULL || *self->warehouse_id == '\0')
    {
      g_task_return_new_error (task, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NO_WAREHOUSE,
                               _("No SQL warehouse is chosen to read the tables: enter its id in Preferences"));
      return;
    }

  run->tables = read_pointer (self->sheet, &run->volumes, &error);
  if (run->tables == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  run->entities = g_ptr_array_new_with_free_func (g_free);
  run->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  run->folders = g_ptr_array_new_with_free_func (g_free);
  run->listed = g_ptr_array_new_with_free_func ((GDestroyNotify) download_free);
  run->files = g_ptr_array_new_with_free_func ((GDestroyNotify) download_free);
  run->schemas = g_ptr_array_new_with_free_func (g_free);
  for (guint t = 0; t < run->tables->len; t++)
    {
      Table *table = g_ptr_array_index (run->tables, t);
      g_autofree char *schema = g_strconcat (table->parts[0], "\n", table->parts[1], NULL);
      gboolean listed = FALSE;

      for (guint s = 0; s < run->schemas->len && !listed; s++)
        listed = g_str_equal (g_ptr_array_index (run->schemas, s), schema);
      if (!listed)
        g_ptr_array_add (run->schemas, g_steal_pointer (&schema));
    }

  if (run->tables->len > 0)
    /* Translators: %s is a table name such as main.sales.orders */
    status = g_strdup_printf (_("Reading the columns of %s…"), ((Table *) g_ptr_array_index (run->tables, 0))->full_name);
  set_progress (self, 0.0, status != NULL ? status : _("Reading the volumes…"));
  list_next_schema (g_steal_pointer (&task));
}

/**
 * dbw_uc_materializer_run_finish:
 *
 * Returns: %TRUE when the rows were imported (dbw_uc_materializer_get_report() says how
 *   many were new); otherwise nothing was written
 */
gboolean
dbw_uc_materializer_run_finish (DbwUcMaterializer  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (DBW_IS_UC_MATERIALIZER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == run_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_preview_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwSqlResult *rows;
  GError *error = NULL;

  rows = dbw_databricks_execute_finish (DBW_DATABRICKS (object), result, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, g_object_unref);
}

/**
 * dbw_uc_materializer_preview_async:
 * @table: "catalog.schema.table"
 *
 * Reads the first %DBW_UC_PREVIEW_ROWS rows of @table, to show before a sheet is made.
 */
void
dbw_uc_materializer_preview_async (DbwDatabricks       *client,
                                   const char          *warehouse_id,
                                   const char          *table,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT * FROM ");
  Table *parsed;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_DATABRICKS (client));
  g_return_if_fail (table != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) preview_tag);
  g_task_set_name (task, "[dbw-uc-materializer] preview");

  if (warehouse_id == NULL || *warehouse_id == '\0')
    {
      g_task_return_new_error (task, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NO_WAREHOUSE,
                               _("No SQL warehouse is chosen to read the tables: enter its id in Preferences"));
      return;
    }

  parsed = table_new (table, NULL, &error);
  if (parsed == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  append_table (sql, parsed);
  g_string_append_printf (sql, " LIMIT %d", DBW_UC_PREVIEW_ROWS);
  table_free (parsed);

  dbw_databricks_execute_async (client, warehouse_id, sql->str, NULL, cancellable, on_preview_cb, g_steal_pointer (&task));
}

/**
 * dbw_uc_materializer_preview_finish:
 *
 * Returns: (transfer full): the columns and up to %DBW_UC_PREVIEW_ROWS rows
 */
DbwSqlResult *
dbw_uc_materializer_preview_finish (DbwDatabricks  *client,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == preview_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_uc_materializer_build_sample:
 * @sheet: a Unity Catalog sheet
 * @parameters: (element-type utf8 utf8): where the sample's parameters go (static names,
 *   values owned by the table)
 *
 * The rows of the primary table a materialisation of @sheet reads — filtered and sampled
 * the same way, so over a join key the same rows — as SQL to write after FROM. Secondary
 * tables and volumes are not part of it.
 *
 * Returns: (transfer full): the SQL, or %NULL with @error set when the sheet's pointer is not
 *   valid or it has no primary table
 */
char *
dbw_uc_materializer_build_sample (DbwSheet    *sheet,
                                  GHashTable  *parameters,
                                  GError     **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  const char *primary = NULL;
  Table *table;

  g_return_val_if_fail (DBW_IS_SHEET (sheet), NULL);
  g_return_val_if_fail (parameters != NULL, NULL);

  if (dbw_sheet_get_source_kind (sheet) == DBW_SOURCE_KIND_UNITY_CATALOG)
    primary = dbw_sheet_get_primary_table (sheet);
  if (primary == NULL || primary[0] == '\0')
    {
      g_set_error (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                   _("The sheet “%s” does not point at a Unity Catalog table"), dbw_sheet_get_name (sheet));
      return NULL;
    }
  if (!dbw_sheet_check_filter (dbw_sheet_get_filter_condition (sheet), &local_error))
    {
      g_set_error_literal (error, DBW_UC_MATERIALIZER_ERROR, DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,
                           local_error->message);
      return NULL;
    }

  table = table_new (primary, dbw_sheet_get_join_keys (sheet), error);
  if (table == NULL)
    return NULL;
  append_sample (sql, table, effective_filter (sheet), dbw_sheet_get_sample_size (sheet), parameters);
  table_free (table);

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/**
 * dbw_uc_materializer_make_ref:
 * @table: the primary table's name, without catalog and schema
 * @key_values: the row's join key values, as the workspace writes them
 *
 * Returns: (transfer full): the item_ref a materialisation gives the row with these keys
 *   (a second row with the same keys gets "~2" after it, and so on)
 */
char *
dbw_uc_materializer_make_ref (const char         *table,
                              const char * const *key_values)
{
  GString *ref;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (key_values != NULL && key_values[0] != NULL, NULL);

  ref = g_string_new (table);
  g_string_append_c (ref, '#');
  for (guint k = 0; key_values[k] != NULL; k++)
    {
      if (k > 0)
        g_string_append_c (ref, '/');
      append_ref_part (ref, key_values[k]);
    }

  return g_string_free (ref, FALSE);
}

/**
 * dbw_uc_materializer_base_ref:
 * @ref: an item_ref a materialisation gave
 *
 * Returns: (transfer full): the ref of the first row with the same keys: @ref without the
 *   "~2", "~3"… that dbw_uc_materializer_make_ref()'s rows with shared keys get
 */
char *
dbw_uc_materializer_base_ref (const char *ref)
{
  const char *tilde;
  const char *p;

  g_return_val_if_fail (ref != NULL, NULL);

  tilde = strrchr (ref, '~');
  if (tilde == NULL || tilde[1] == '\0')
    return g_strdup (ref);
  for (p = tilde + 1; g_ascii_isdigit (*p); p++)
    ;

  return *p == '\0' ? g_strndup (ref, tilde - ref) : g_strdup (ref);
}
