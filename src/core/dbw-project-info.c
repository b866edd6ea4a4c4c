/* dbw-project-info.c
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

#define G_LOG_DOMAIN "dbw-project-info"

#include "config.h"

#include <json-glib/json-glib.h>

#include "dbw-project-info.h"
#include "dbw-store-private.h"

/* What a project holds, at a glance: the number of rows of each table, and for each sheet
 * that is not deleted the number of its items — the newest version of each — by modality.
 * Read in one transaction, so the figures agree with each other; for `databits info`. */

#define N_MODALITIES (DBW_MODALITY_IMAGE + 1)

/* Tables are counted from this fixed list only; each statement is a literal, so the store
 * keeps it prepared. */
#define COUNTED(table) { table, "SELECT count (*) FROM " table }

static const struct
{
  const char *table;
  const char *sql;
} counted_tables[] = {
  COUNTED ("sheets"),
  COUNTED ("items"),
  COUNTED ("blobs"),
  COUNTED ("templates"),
  COUNTED ("canonical_labels"),
  COUNTED ("canonical_label_history"),
  COUNTED ("training_sheets"),
  COUNTED ("qa_pairs"),
  COUNTED ("usage_constraint_audit"),
  COUNTED ("example_store"),
  COUNTED ("example_usage"),
  COUNTED ("exports"),
  COUNTED ("model_training_lineage"),
  COUNTED ("dspy_runs"),
  COUNTED ("job_runs"),
  COUNTED ("endpoints"),
  COUNTED ("agents"),
  COUNTED ("tools"),
  COUNTED ("feedback"),
  COUNTED ("sync_outbox"),
};

#undef COUNTED

struct _DbwSheetInfo
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  gint64   n_items;
  gint64   n_by_modality[N_MODALITIES];
};

G_DEFINE_FINAL_TYPE (DbwSheetInfo, dbw_sheet_info, G_TYPE_OBJECT)

struct _DbwProjectInfo
{
  GObject     parent_instance;

  char       *path;
  char       *title;
  int         schema_version;
  gboolean    read_only;
  GPtrArray  *tables;   /* static table names, NULL-terminated */
  gint64      n_rows[G_N_ELEMENTS (counted_tables)];
  GListStore *sheets;
};

G_DEFINE_FINAL_TYPE (DbwProjectInfo, dbw_project_info, G_TYPE_OBJECT)

static gboolean
count_rows (DbwProjectInfo  *self,
            DbwStore        *store,
            GError         **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    {
      sqlite3_stmt *stmt;
      int rc;

      stmt = _dbw_store_prepare (store, counted_tables[i].sql, error);
      if (stmt == NULL)
        return FALSE;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        self->n_rows[i] = sqlite3_column_int64 (stmt, 0);
      _dbw_store_release (store, stmt);

      if (rc != SQLITE_ROW)
        {
          _dbw_store_set_error (store, rc, counted_tables[i].table, error);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
count_sheet_items (DbwProjectInfo  *self,
                   DbwStore        *store,
                   GError         **error)
{
  DbwSheetInfo *sheet = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* One row per sheet and modality; a sheet without items has one row with a NULL
   * modality and a count of 0. */
  stmt = _dbw_store_prepare (store,
                             "SELECT sheets.id, sheets.name, items.modality, count (items.rowid) "
                             "FROM sheets LEFT JOIN items ON items.sheet_id = sheets.id "
                             "AND " DBW_SQL_NEWEST_ITEM_VERSION " "
                             "WHERE sheets.deleted_at IS NULL "
                             "GROUP BY sheets.rowid, items.modality "
                             "ORDER BY sheets.rowid",
                             error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *modality = (const char *) sqlite3_column_text (stmt, 2);
      gint64 n = sqlite3_column_int64 (stmt, 3);
      int value;

      if (sheet == NULL || g_strcmp0 (sheet->id, id) != 0)
        {
          g_autoptr(DbwSheetInfo) next = g_object_new (DBW_TYPE_SHEET_INFO, NULL);

          next->id = g_strdup (id);
          next->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          g_list_store_append (self->sheets, next);
          sheet = next;
        }

      sheet->n_items += n;
      if (modality != NULL && dbw_enum_from_nick (DBW_TYPE_MODALITY, modality, &value) &&
          value >= 0 && value < N_MODALITIES)
        sheet->n_by_modality[value] += n;
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }

  return TRUE;
}

static void
dbw_sheet_info_finalize (GObject *object)
{
  DbwSheetInfo *self = (DbwSheetInfo *) object;

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (dbw_sheet_info_parent_class)->finalize (object);
}

static void
dbw_sheet_info_class_init (DbwSheetInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_sheet_info_finalize;
}

static void
dbw_sheet_info_init (DbwSheetInfo *self)
{
}

static void
dbw_project_info_finalize (GObject *object)
{
  DbwProjectInfo *self = (DbwProjectInfo *) object;

  g_free (self->path);
  g_free (self->title);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_object (&self->sheets);

  G_OBJECT_CLASS (dbw_project_info_parent_class)->finalize (object);
}

static void
dbw_project_info_class_init (DbwProjectInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_project_info_finalize;
}

static void
dbw_project_info_init (DbwProjectInfo *self)
{
  self->sheets = g_list_store_new (DBW_TYPE_SHEET_INFO);
  self->tables = g_ptr_array_sized_new (G_N_ELEMENTS (counted_tables) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    g_ptr_array_add (self->tables, (gpointer) counted_tables[i].table);
  g_ptr_array_add (self->tables, NULL);
}

const char *
dbw_sheet_info_get_id (DbwSheetInfo *self)
{
  g_return_val_if_fail (DBW_IS_SHEET_INFO (self), NULL);

  return self->id;
}

const char *
dbw_sheet_info_get_name (DbwSheetInfo *self)
{
  g_return_val_if_fail (DBW_IS_SHEET_INFO (self), NULL);

  return self->name;
}

/**
 * dbw_sheet_info_get_n_items:
 *
 * Returns: the number of items in the sheet, counting only the newest version of each
 */
gint64
dbw_sheet_info_get_n_items (DbwSheetInfo *self)
{
  g_return_val_if_fail (DBW_IS_SHEET_INFO (self), 0);

  return self->n_items;
}

gint64
dbw_sheet_info_get_n_items_of_modality (DbwSheetInfo *self,
                                        DbwModality   modality)
{
  g_return_val_if_fail (DBW_IS_SHEET_INFO (self), 0);
  g_return_val_if_fail ((guint) modality < N_MODALITIES, 0);

  return self->n_by_modality[modality];
}

/**
 * dbw_project_info_collect:
 * @store: an open project
 *
 * Counts what @store holds. A quick read, but it reads every table: call it from a
 * worker thread with a connection of its own where the caller must stay responsive.
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
DbwProjectInfo *
dbw_project_info_collect (DbwStore  *store,
                          GError   **error)
{
  g_autoptr(DbwProjectInfo) self = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_PROJECT_INFO, NULL);
  self->path = g_strdup (dbw_store_get_path (store));
  self->schema_version = dbw_store_get_schema_version (store);
  self->read_only = dbw_store_is_read_only (store);

  /* One snapshot of every count, without waiting for a writer. */
  if (!dbw_store_begin_read (store, error))
    return NULL;

  self->title = dbw_store_dup_title (store);

  if (!count_rows (self, store, error) || !count_sheet_items (self, store, error))
    {
      dbw_store_rollback (store);
      return NULL;
    }

  if (!dbw_store_commit (store, error))
    {
      dbw_store_rollback (store);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
dbw_project_info_get_path (DbwProjectInfo *self)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), NULL);

  return self->path;
}

/**
 * dbw_project_info_get_title:
 *
 * Returns: the project's title, or its file name when it has none
 */
const char *
dbw_project_info_get_title (DbwProjectInfo *self)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), NULL);

  return self->title;
}

int
dbw_project_info_get_schema_version (DbwProjectInfo *self)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), 0);

  return self->schema_version;
}

/**
 * dbw_project_info_get_read_only:
 *
 * Returns: whether the project was open for reading only (see #DbwStore:read-only)
 */
gboolean
dbw_project_info_get_read_only (DbwProjectInfo *self)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), FALSE);

  return self->read_only;
}

/**
 * dbw_project_info_get_tables:
 *
 * Returns: (transfer none): the names of the counted tables, %NULL-terminated, in the
 *   order they are shown
 */
const char * const *
dbw_project_info_get_tables (DbwProjectInfo *self)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), NULL);

  return (const char * const *) self->tables->pdata;
}

/**
 * dbw_project_info_get_n_rows:
 * @table: one of dbw_project_info_get_tables()
 *
 * Returns: the number of rows in @table — every version of an item, deleted sheets too —
 *   or -1 if @table is not counted
 */
gint64
dbw_project_info_get_n_rows (DbwProjectInfo *self,
                             const char     *table)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), -1);
  g_return_val_if_fail (table != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    if (g_str_equal (counted_tables[i].table, table))
      return self->n_rows[i];

  return -1;
}

/**
 * dbw_project_info_get_sheets:
 *
 * Returns: (transfer none): a list of #DbwSheetInfo, one per sheet that is not deleted,
 *   oldest first
 */
GListModel *
dbw_project_info_get_sheets (DbwProjectInfo *self)
{
  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), NULL);

  return G_LIST_MODEL (self->sheets);
}

/**
 * dbw_project_info_to_json:
 *
 * Returns: (transfer full): the figures as a JSON object: path, title, schema_version,
 *   read_only, tables (name → rows) and sheets (id, name, items, modalities)
 */
char *
dbw_project_info_to_json (DbwProjectInfo *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_sheets;

  g_return_val_if_fail (DBW_IS_PROJECT_INFO (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, self->path);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, self->schema_version);
  json_builder_set_member_name (builder, "read_only");
  json_builder_add_boolean_value (builder, self->read_only);

  json_builder_set_member_name (builder, "tables");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    {
      json_builder_set_member_name (builder, counted_tables[i].table);
      json_builder_add_int_value (builder, self->n_rows[i]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sheets");
  json_builder_begin_array (builder);
  n_sheets = g_list_model_get_n_items (G_LIST_MODEL (self->sheets));
  for (guint i = 0; i < n_sheets; i++)
    {
      g_autoptr(DbwSheetInfo) sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, sheet->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, sheet->name);
      json_builder_set_member_name (builder, "items");
      json_builder_add_int_value (builder, sheet->n_items);
      json_builder_set_member_name (builder, "modalities");
      json_builder_begin_object (builder);
      for (guint m = 0; m < N_MODALITIES; m++)
        {
          json_builder_set_member_name (builder, dbw_enum_to_nick (DBW_TYPE_MODALITY, (int) m));
          json_builder_add_int_value (builder, sheet->n_by_modality[m]);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, TRUE);
}
