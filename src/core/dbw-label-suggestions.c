/* dbw-label-suggestions.c
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

#define G_LOG_DOMAIN "dbw-label-suggestions"

#include "config.h"

#include "dbw-label-suggestions-private.h"
#include "dbw-store-private.h"

#define TABLE "label_suggestions"

static const char *
type_nick (DbwLabelType label_type)
{
  return dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, label_type);
}

static gboolean
step_done (DbwStore      *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, TABLE, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_dbw_label_suggestions_put (DbwStore      *store,
                            const char    *sheet_id,
                            const char    *item_ref,
                            DbwLabelType   label_type,
                            const char    *label_data,
                            const char    *source,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (sheet_id != NULL, FALSE);
  g_return_val_if_fail (item_ref != NULL, FALSE);
  g_return_val_if_fail (type_nick (label_type) != NULL, FALSE);
  g_return_val_if_fail (source != NULL && *source != '\0', FALSE);

  if (label_data == NULL)
    {
      stmt = _dbw_store_prepare (store,
                                 "DELETE FROM label_suggestions WHERE sheet_id = ?1 AND item_ref = ?2 "
                                 "AND label_type = ?3 AND source = ?4", error);
      if (stmt == NULL)
        return FALSE;
    }
  else
    {
      char id[37];
      g_autofree char *now = _dbw_store_now (store);

      /* a source imported again replaces what it suggested before */
      stmt = _dbw_store_prepare (store,
                                 "INSERT INTO label_suggestions (sheet_id, item_ref, label_type, source, "
                                 "id, label_data, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                 "ON CONFLICT (sheet_id, item_ref, label_type, source) DO UPDATE SET "
                                 "label_data = excluded.label_data, created_at = excluded.created_at",
                                 error);
      if (stmt == NULL)
        return FALSE;
      _dbw_store_new_id (id);
      sqlite3_bind_text (stmt, 5, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, label_data, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, type_nick (label_type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_TRANSIENT);

  return step_done (store, stmt, error);
}

gboolean
dbw_label_suggestions_add (DbwStore      *store,
                           const char    *sheet_id,
                           const char    *item_ref,
                           DbwLabelType   label_type,
                           const char    *label_data,
                           const char    *source,
                           GError       **error)
{
  g_return_val_if_fail (label_data != NULL, FALSE);

  if (!_dbw_label_suggestions_put (store, sheet_id, item_ref, label_type, label_data, source, error))
    return FALSE;
  dbw_store_emit_changed (store, TABLE, DBW_CHANGE_INSERTED, NULL);
  return TRUE;
}

DbwShapeSet *
dbw_label_suggestions_load_shapes (DbwStore    *store,
                                   const char  *sheet_id,
                                   const char  *item_ref,
                                   int          image_width,
                                   int          image_height,
                                   GError     **error)
{
  g_autoptr(DbwShapeSet) merged = NULL;
  g_autoptr(JsonArray) objects = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  int width = image_width, height = image_height;
  guint n_rows = 0;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT label_data, source FROM label_suggestions WHERE sheet_id = ?1 "
                             "AND label_type = 'object_detection' AND item_ref = ?2 "
                             "ORDER BY created_at, source", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);

  /* every source's objects into one label, read back as one set */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *data = (const char *) sqlite3_column_text (stmt, 0);
      const char *source = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json (data, image_width, image_height, &local_error);
      g_autofree char *normalised = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonArray *array;

      if (set == NULL)
        {
          _dbw_store_release (store, stmt);
          g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                       "%s (%s): %s", item_ref, source, local_error->message);
          return NULL;
        }
      if (width <= 0 || height <= 0)
        {
          width = dbw_shape_set_get_image_width (set);
          height = dbw_shape_set_get_image_height (set);
        }
      normalised = dbw_shape_set_to_json (set);
      node = json_from_string (normalised, NULL);
      array = json_object_get_array_member (json_node_get_object (node), "objects");
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (objects, json_node_copy (json_array_get_element (array, i)));
      n_rows++;
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, TABLE, error);
      return NULL;
    }
  if (n_rows == 0)
    return NULL;

  json_object_set_array_member (root, "objects", json_array_ref (objects));
  root_node = json_node_init_object (json_node_alloc (), root);
  json = json_to_string (root_node, FALSE);
  merged = dbw_shape_set_new_from_json (json, MAX (width, 0), MAX (height, 0), error);
  if (merged == NULL)
    return NULL;
  for (guint i = 0; i < dbw_shape_set_get_n_shapes (merged); i++)
    dbw_shape_set_set_suggested (merged, i, TRUE);

  return g_steal_pointer (&merged);
}

char *
dbw_label_suggestions_lookup (DbwStore      *store,
                              const char    *sheet_id,
                              const char    *item_ref,
                              DbwLabelType   label_type,
                              GError       **error)
{
  sqlite3_stmt *stmt;
  char *data = NULL;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);
  g_return_val_if_fail (type_nick (label_type) != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT label_data FROM label_suggestions WHERE sheet_id = ?1 "
                             "AND label_type = ?3 AND item_ref = ?2 "
                             "ORDER BY created_at DESC, source LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, type_nick (label_type), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    data = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _dbw_store_set_error (store, rc, TABLE, error);

  return data;
}

gboolean
dbw_label_suggestions_dismiss (DbwStore      *store,
                               const char    *sheet_id,
                               const char    *item_ref,
                               DbwLabelType   label_type,
                               GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (sheet_id != NULL, FALSE);
  g_return_val_if_fail (item_ref != NULL, FALSE);
  g_return_val_if_fail (type_nick (label_type) != NULL, FALSE);

  stmt = _dbw_store_prepare (store,
                             "DELETE FROM label_suggestions WHERE sheet_id = ?1 AND label_type = ?3 "
                             "AND item_ref = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, type_nick (label_type), -1, SQLITE_STATIC);
  if (!step_done (store, stmt, error))
    return FALSE;

  if (sqlite3_changes (_dbw_store_get_db (store)) > 0)
    dbw_store_emit_changed (store, TABLE, DBW_CHANGE_DELETED, NULL);
  return TRUE;
}

gint64
dbw_label_suggestions_count_items (DbwStore      *store,
                                   const char    *sheet_id,
                                   DbwLabelType   label_type,
                                   GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (sheet_id != NULL, -1);
  g_return_val_if_fail (type_nick (label_type) != NULL, -1);

  stmt = _dbw_store_prepare (store,
                             "SELECT count (DISTINCT item_ref) FROM label_suggestions "
                             "WHERE sheet_id = ?1 AND label_type = ?2", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, type_nick (label_type), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW)
    _dbw_store_set_error (store, rc, TABLE, error);

  return count;
}
