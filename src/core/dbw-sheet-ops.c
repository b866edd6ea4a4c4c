/* dbw-sheet-ops.c
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

#define G_LOG_DOMAIN "dbw-sheet-ops"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dbw-json-text.h"
#include "dbw-prompt.h"
#include "dbw-sheet-ops.h"
#include "dbw-sheet-source.h"
#include "dbw-record-private.h"
#include "dbw-store-private.h"

/* What users do to sheets beyond editing their description: move them to the trash and
 * back, edit an item (a new version), and make derived sheets — set operations, random
 * samples and stratified splits — whose items are copies that record the item they came
 * from (derived_from) and whose sheet records its parents and how it was made; and save
 * pointers to Unity Catalog data, checked first. */

static DbwSheet *get_live_sheet (DbwStore    *store,
                                 const char  *sheet_id,
                                 GError     **error);

/* Items with the same content are the same item across sheets: the same file and the same
 * fields, in their canonical form (members in any order, spacing and escapes aside;
 * numbers as written). */
static char *
content_key (const char *blob_hash,
             const char *fields)
{
  g_autofree char *canonical = dbw_json_to_canonical (fields, -1);

  return g_strconcat (blob_hash != NULL ? blob_hash : "", "\x1f", canonical != NULL ? canonical : fields, NULL);
}

/**
 * dbw_sheet_ops_check_trash:
 *
 * Checks that @sheet can be deleted: no training sheet was generated from it. A training
 * sheet's pairs keep their source items (lineage), so such a sheet stays.
 *
 * Returns: %TRUE if it can, or %FALSE with @error set to a message naming a training sheet
 */
gboolean
dbw_sheet_ops_check_trash (DbwStore  *store,
                           DbwSheet  *sheet,
                           GError   **error)
{
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;
  gint64 n = 0;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (DBW_IS_SHEET (sheet), FALSE);

  stmt = _dbw_store_prepare (store,
                             "SELECT count (*), min (name) FROM training_sheets WHERE sheet_id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dbw_record_get_id (DBW_RECORD (sheet)), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      n = sqlite3_column_int64 (stmt, 0);
      name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "training_sheets", error);
      return FALSE;
    }

  if (n > 0)
    {
      if (n == 1)
        g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT,
                     /* Translators: %s is a training sheet */
                     _("The training sheet “%s” was generated from it, and its pairs keep their source items, so that every pair can be traced to what it came from."),
                     name);
      else
        g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT,
                     /* Translators: %u is a number of training sheets (more than one), %s one of them */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u training sheets, such as “%s”, were generated from it, and their pairs keep their source items, so that every pair can be traced to what it came from.",
                                  "%u training sheets, such as “%s”, were generated from it, and their pairs keep their source items, so that every pair can be traced to what it came from.",
                                  n),
                     (guint) n, name);
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_sheet_ops_trash:
 *
 * Marks @sheet deleted. It disappears from lists and searches but keeps its items until
 * dbw_sheet_ops_purge_trashed(), so the deletion can be undone. A sheet that training
 * sheets were generated from is not deleted (see dbw_sheet_ops_check_trash()).
 */
gboolean
dbw_sheet_ops_trash (DbwStore  *store,
                     DbwSheet  *sheet,
                     GError   **error)
{
  g_autofree char *now = dbw_now_iso8601 ();

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (DBW_IS_SHEET (sheet), FALSE);

  if (!dbw_sheet_ops_check_trash (store, sheet, error))
    return FALSE;

  dbw_sheet_set_deleted_at (sheet, now);
  if (!dbw_store_update (store, sheet, error))
    {
      dbw_sheet_set_deleted_at (sheet, NULL);
      return FALSE;
    }

  /* Lists of items hide a trashed sheet's items too. */
  dbw_store_emit_changed (store, "items", DBW_CHANGE_RESET, NULL);

  return TRUE;
}

gboolean
dbw_sheet_ops_restore (DbwStore  *store,
                       DbwSheet  *sheet,
                       GError   **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (DBW_IS_SHEET (sheet), FALSE);

  dbw_sheet_set_deleted_at (sheet, NULL);
  if (!dbw_store_update (store, sheet, error))
    return FALSE;

  dbw_store_emit_changed (store, "items", DBW_CHANGE_RESET, NULL);

  return TRUE;
}

/**
 * dbw_sheet_ops_purge_trashed:
 * @sheet_id: (nullable): the trashed sheet to delete, or %NULL for every trashed sheet
 *
 * Deletes sheets marked deleted, with their items and labels, for good. A sheet that
 * is not (or no longer) marked deleted is left alone, and so is one that a training
 * sheet was generated from.
 *
 * Returns: how many sheets were deleted, or -1 with @error set
 */
gint64
dbw_sheet_ops_purge_trashed (DbwStore    *store,
                             const char  *sheet_id,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 n;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), -1);

  if (!dbw_store_begin (store, error))
    return -1;

  /* A training sheet generated since (or before this rule) keeps its sheet in the trash. */
  stmt = _dbw_store_prepare (store,
                             "DELETE FROM sheets WHERE deleted_at IS NOT NULL AND (?1 IS NULL OR id = ?1) "
                             "AND id NOT IN (SELECT sheet_id FROM training_sheets)",
                             error);
  if (stmt == NULL)
    {
      dbw_store_rollback (store);
      return -1;
    }
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  n = sqlite3_changes64 (_dbw_store_get_db (store));
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "sheets", error);
      dbw_store_rollback (store);
      return -1;
    }

  if (n > 0)
    {
      dbw_store_emit_changed (store, "sheets", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "items", DBW_CHANGE_RESET, NULL);
    }

  if (!dbw_store_commit (store, error))
    {
      dbw_store_rollback (store);
      return -1;
    }

  return n;
}

/**
 * dbw_sheet_ops_count_items:
 *
 * Counts the current items of every sheet: each item once, whatever its number of
 * versions.
 *
 * Returns: (transfer full) (element-type utf8 guint): sheet id → number of items (as
 *   GUINT_TO_POINTER), or %NULL with @error set
 */
GHashTable *
dbw_sheet_ops_count_items (DbwStore  *store,
                           GError   **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  /* The UNIQUE (sheet_id, item_ref, version) index answers this without the rows. */
  stmt = _dbw_store_prepare (store, "SELECT sheet_id, count (DISTINCT item_ref) FROM items GROUP BY sheet_id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  return g_steal_pointer (&counts);
}

/**
 * dbw_sheet_ops_edit_item:
 * @item: the current version of an item
 * @fields_json: its new fields, a JSON object
 *
 * Items never change: this adds the next version of @item with @fields_json, derived
 * from @item, with the same content and usage constraints otherwise, as the project
 * holds them now. The sheet must not be in the trash.
 *
 * Returns: (transfer full): the new version, or %NULL with @error set
 */
DbwItem *
dbw_sheet_ops_edit_item (DbwStore    *store,
                         DbwItem     *item,
                         const char  *fields_json,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(DbwItem) version = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  char id[37];
  int rc;
  int n;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);
  g_return_val_if_fail (fields_json != NULL, NULL);

  if (!json_parser_load_from_data (parser, fields_json, -1, &parse_error))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("The fields are not valid JSON: %s"), parse_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The fields must be a JSON object"));
      return NULL;
    }

  /* The rest of the item is taken from the project, not from @item: its usage
   * constraints may have been tightened since it was read. */
  if ((sheet = get_live_sheet (store, dbw_item_get_sheet_id (item), error)) == NULL)
    return NULL;
  now = _dbw_store_now (store);

  stmt = _dbw_store_prepare (store,
                             "INSERT INTO items (id, sheet_id, item_ref, version, derived_from, modality, fields, "
                             "  blob_hash, content_type, text_content, allowed_uses, prohibited_uses, usage_reason, "
                             "  data_classification, tags, created_at) "
                             "SELECT ?1, sheet_id, item_ref, version + 1, id, modality, ?2, blob_hash, content_type, "
                             "  text_content, allowed_uses, prohibited_uses, usage_reason, data_classification, tags, ?3 "
                             "FROM items WHERE id = ?4",
                             error);
  if (stmt == NULL)
    return NULL;

  _dbw_store_new_id (id);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fields_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, dbw_record_get_id (DBW_RECORD (item)), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  n = sqlite3_changes (_dbw_store_get_db (store));
  _dbw_store_release (store, stmt);

  /* A newer version than this one exists: the UNIQUE key refuses it. */
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }
  if (n == 0)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                           _("The item is no longer in the project"));
      return NULL;
    }

  dbw_store_emit_changed (store, "items", DBW_CHANGE_INSERTED, id);
  version = dbw_store_get (store, DBW_TYPE_ITEM, id, error);

  return g_steal_pointer (&version);
}

/* Derived sheets */

static DbwSheet *
new_derived_sheet (DbwStore            *store,
                   const char          *name,
                   const char * const  *parents,
                   JsonBuilder         *derivation,
                   GError             **error)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (derivation);
  g_autofree char *json = json_to_string (root, FALSE);

  dbw_sheet_set_name (sheet, name);
  dbw_sheet_set_source_kind (sheet, DBW_SOURCE_KIND_DERIVED);
  dbw_sheet_set_parents (sheet, parents);
  dbw_sheet_set_derivation (sheet, json);

  if (!dbw_store_insert (store, sheet, error))
    return NULL;

  return g_steal_pointer (&sheet);
}


/* Copies the item with @rowid into @sheet_id, as version 1 derived from the original.
 * @others, a JSON array of rowids or NULL, are the same content elsewhere: the copy gets
 * the strictest constraints of them all — the uses every one allows, those any one
 * prohibits, the highest classification — so combining sheets never loosens a gate. */
static gboolean
copy_item (DbwStore    *store,
           const char  *sheet_id,
           gint64       rowid,
           const char  *item_ref,
           const char  *others,
           GError     **error)
{
  g_autofree char *now = _dbw_store_now (store);
  sqlite3_stmt *stmt;
  char id[37];
  int rc;

  stmt = _dbw_store_prepare (store,
                             "INSERT INTO items (id, sheet_id, item_ref, version, derived_from, modality, fields, "
                             "  blob_hash, content_type, text_content, allowed_uses, prohibited_uses, usage_reason, "
                             "  data_classification, tags, created_at) "
                             "SELECT ?1, ?2, coalesce (?3, i.item_ref), 1, i.id, i.modality, i.fields, i.blob_hash, "
                             "  i.content_type, i.text_content, "
                             "  (SELECT json_group_array (a.value) FROM json_each (i.allowed_uses) a "
                             "   WHERE NOT EXISTS (SELECT 1 FROM json_each (?6) r JOIN items o ON o.rowid = r.value "
                             "                     WHERE NOT EXISTS (SELECT 1 FROM json_each (o.allowed_uses) oa WHERE oa.value = a.value))), "
                             "  (SELECT json_group_array (value) FROM "
                             "    (SELECT value FROM json_each (i.prohibited_uses) "
                             "     UNION SELECT p.value FROM json_each (?6) r JOIN items o ON o.rowid = r.value, json_each (o.prohibited_uses) p)), "
                             "  (SELECT group_concat (reason, '; ') FROM "
                             "    (SELECT DISTINCT reason FROM "
                             "      (SELECT i.usage_reason AS reason "
                             "       UNION ALL SELECT o.usage_reason FROM json_each (?6) r JOIN items o ON o.rowid = r.value) "
                             "     WHERE reason IS NOT NULL AND reason <> '')), "
                             "  (SELECT c FROM "
                             "    (SELECT i.data_classification AS c "
                             "     UNION ALL SELECT o.data_classification FROM json_each (?6) r JOIN items o ON o.rowid = r.value) "
                             "   ORDER BY " DBW_SQL_CLASSIFICATION_RANK ("c") " DESC LIMIT 1), "
                             "  i.tags, ?4 "
                             "FROM items i WHERE i.rowid = ?5",
                             error);
  if (stmt == NULL)
    return FALSE;

  _dbw_store_new_id (id);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, item_ref, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, rowid);
  sqlite3_bind_text (stmt, 6, others, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }

  dbw_store_emit_changed (store, "items", DBW_CHANGE_INSERTED, id);

  return TRUE;
}

typedef struct
{
  gint64  rowid;
  char   *item_ref;
  char   *key;     /* content key, or the stratum */
} Row;

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->item_ref);
  g_free (row->key);
}

/* A value of a field, the stratum it puts its item in: its JSON type and value (1 and
 * "1" apart). An object or a list is the same value whatever the order of its members. */
static char *
stratum_key (const char *type,
             const char *value)
{
  g_autofree char *canonical = NULL;

  if (value != NULL && (g_str_equal (type, "object") || g_str_equal (type, "array")))
    canonical = dbw_json_to_canonical (value, -1);

  return g_strconcat (type, "\x1f", canonical != NULL ? canonical : value != NULL ? value : "", NULL);
}

/* The current items of a sheet, in their order, with their content key or, when @field
 * is not NULL, its stratum: the JSON type and value of @field. */
static GArray *
current_rows (DbwStore    *store,
              const char  *sheet_id,
              const char  *field,
              GError     **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (rows, row_clear);

  stmt = _dbw_store_prepare (store,
                             "SELECT rowid, item_ref, blob_hash, fields, "
                             "  CASE WHEN ?2 IS NOT NULL THEN coalesce (json_type (fields, ?2), 'missing') END, "
                             "  CASE WHEN ?2 IS NOT NULL THEN json_extract (fields, ?2) END "
                             "FROM items WHERE sheet_id = ?1 AND " DBW_SQL_NEWEST_ITEM_VERSION " ORDER BY rowid",
                             error);
  if (stmt == NULL)
    return NULL;

  if (field != NULL)
    path = _dbw_json_path_for_member (field);

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row row;

      row.rowid = sqlite3_column_int64 (stmt, 0);
      row.item_ref = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (field != NULL)
        row.key = stratum_key ((const char *) sqlite3_column_text (stmt, 4), (const char *) sqlite3_column_text (stmt, 5));
      else
        row.key = content_key ((const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3));
      g_array_append_val (rows, row);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* Key → the positions in @rows (GArray of guint) of the rows with it; keys are borrowed.
 * @order, if not NULL, gets each key once, in the order it first appears. */
static GHashTable *
group_rows (GArray    *rows,
            GPtrArray *order)
{
  GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      GArray *members = g_hash_table_lookup (groups, row->key);

      if (members == NULL)
        {
          members = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (groups, row->key, members);
          if (order != NULL)
            g_ptr_array_add (order, row->key);
        }
      g_array_append_val (members, i);
    }

  return groups;
}

/* The rowids of the rows of @rows_same at @same and of @rows_more at @more, but @rowid,
 * as a JSON array; NULL when there are none. */
static char *
others_json (gint64  rowid,
             GArray *rows_same,
             GArray *same,
             GArray *rows_more,
             GArray *more)
{
  g_autoptr(GString) json = g_string_new ("[");
  GArray *rows[] = { rows_same, rows_more };
  GArray *lists[] = { same, more };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      {
        gint64 other = g_array_index (rows[l], Row, g_array_index (lists[l], guint, i)).rowid;

        if (other == rowid)
          continue;
        if (json->len > 1)
          g_string_append_c (json, ',');
        g_string_append_printf (json, "%" G_GINT64_FORMAT, other);
      }

  if (json->len == 1)
    return NULL;
  g_string_append_c (json, ']');

  return g_string_free (g_steal_pointer (&json), FALSE);
}

static DbwSheet *
get_live_sheet (DbwStore    *store,
                const char  *sheet_id,
                GError     **error)
{
  DbwSheet *sheet = dbw_store_get (store, DBW_TYPE_SHEET, sheet_id, error);

  if (sheet != NULL && dbw_sheet_get_deleted_at (sheet) != NULL)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("The sheet “%s” was deleted"), dbw_sheet_get_name (sheet));
      g_clear_object (&sheet);
    }

  return sheet;
}

static const char *
operation_nick (DbwSetOperation operation)
{
  switch (operation)
    {
    case DBW_DERIVE_UNION:        return "union";
    case DBW_DERIVE_INTERSECTION: return "intersection";
    case DBW_DERIVE_DIFFERENCE:   return "difference";
    default:                      g_return_val_if_reached ("union");
    }
}

/**
 * dbw_sheet_ops_combine:
 * @sheet_a: the first sheet
 * @sheet_b: the second sheet
 * @name: the new sheet's name
 *
 * Makes a sheet of the items of @sheet_a and @sheet_b (union), of those of @sheet_a that
 * are also in @sheet_b (intersection), or of those of @sheet_a that are not in @sheet_b
 * (difference). Items are the same when their content is: fields and file. Each content
 * is in the new sheet once, with the strictest usage constraints it has in either sheet.
 * In a union an item of @sheet_b whose item_ref is taken gets the sheet's name appended
 * to it.
 *
 * Returns: (transfer full): the new sheet, or %NULL with @error set
 */
DbwSheet *
dbw_sheet_ops_combine (DbwStore         *store,
                       DbwSetOperation   operation,
                       const char       *sheet_a,
                       const char       *sheet_b,
                       const char       *name,
                       GError          **error)
{
  g_autoptr(DbwSheet) a = NULL;
  g_autoptr(DbwSheet) b = NULL;
  g_autoptr(DbwSheet) result = NULL;
  g_autoptr(GArray) rows_a = NULL;
  g_autoptr(GArray) rows_b = NULL;
  g_autoptr(GHashTable) keys_b = NULL;
  g_autoptr(GHashTable) keys_a = NULL;
  g_autoptr(GHashTable) done = NULL;
  g_autoptr(GHashTable) refs = NULL;
  g_autoptr(JsonBuilder) derivation = json_builder_new ();
  const char *parents[3] = { sheet_a, sheet_b, NULL };

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_a != NULL && sheet_b != NULL && name != NULL, NULL);

  if (!dbw_store_begin_bulk (store, error))
    return NULL;

  if ((a = get_live_sheet (store, sheet_a, error)) == NULL ||
      (b = get_live_sheet (store, sheet_b, error)) == NULL ||
      (rows_a = current_rows (store, sheet_a, NULL, error)) == NULL ||
      (rows_b = current_rows (store, sheet_b, NULL, error)) == NULL)
    goto failed;

  json_builder_begin_object (derivation);
  json_builder_set_member_name (derivation, "operation");
  json_builder_add_string_value (derivation, operation_nick (operation));
  json_builder_set_member_name (derivation, "sheets");
  json_builder_begin_array (derivation);
  json_builder_add_string_value (derivation, dbw_sheet_get_name (a));
  json_builder_add_string_value (derivation, dbw_sheet_get_name (b));
  json_builder_end_array (derivation);
  json_builder_end_object (derivation);

  result = new_derived_sheet (store, name, parents, derivation, error);
  if (result == NULL)
    goto failed;

  keys_a = group_rows (rows_a, NULL);
  keys_b = group_rows (rows_b, NULL);
  done = g_hash_table_new (g_str_hash, g_str_equal);
  refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Each content once, from where it first appears, with the constraints of everywhere
   * it appears. */
  for (guint i = 0; i < rows_a->len; i++)
    {
      Row *row = &g_array_index (rows_a, Row, i);
      GArray *in_b = g_hash_table_lookup (keys_b, row->key);
      g_autofree char *others = NULL;

      if (!g_hash_table_add (done, row->key) ||
          (operation == DBW_DERIVE_INTERSECTION && in_b == NULL) ||
          (operation == DBW_DERIVE_DIFFERENCE && in_b != NULL))
        continue;

      others = others_json (row->rowid, rows_a, g_hash_table_lookup (keys_a, row->key),
                            rows_b, operation == DBW_DERIVE_DIFFERENCE ? NULL : in_b);
      if (!copy_item (store, dbw_record_get_id (DBW_RECORD (result)), row->rowid, NULL, others, error))
        goto failed;
      g_hash_table_add (refs, g_strdup (row->item_ref));
    }

  if (operation == DBW_DERIVE_UNION)
    for (guint i = 0; i < rows_b->len; i++)
      {
        Row *row = &g_array_index (rows_b, Row, i);
        g_autofree char *ref = NULL;
        g_autofree char *others = NULL;

        if (!g_hash_table_add (done, row->key))
          continue;

        /* A ref already taken gets the other sheet's name, then a number. */
        for (guint n = 1; g_hash_table_contains (refs, ref != NULL ? ref : row->item_ref); n++)
          {
            g_free (ref);
            ref = n == 1 ? g_strdup_printf ("%s (%s)", row->item_ref, dbw_sheet_get_name (b))
                         : g_strdup_printf ("%s (%s %u)", row->item_ref, dbw_sheet_get_name (b), n);
          }

        others = others_json (row->rowid, rows_b, g_hash_table_lookup (keys_b, row->key), NULL, NULL);
        if (!copy_item (store, dbw_record_get_id (DBW_RECORD (result)), row->rowid, ref, others, error))
          goto failed;
        g_hash_table_add (refs, g_strdup (ref != NULL ? ref : row->item_ref));
      }

  if (!dbw_store_commit (store, error))
    goto failed;

  return g_steal_pointer (&result);

failed:
  dbw_store_rollback (store);
  return NULL;
}

static void
shuffle_rows (GArray *indexes,
              GRand  *rand)
{
  for (guint i = indexes->len; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint tmp = g_array_index (indexes, guint, i - 1);

      g_array_index (indexes, guint, i - 1) = g_array_index (indexes, guint, j);
      g_array_index (indexes, guint, j) = tmp;
    }
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/**
 * dbw_sheet_ops_sample:
 * @size: how many items to take; all when the sheet has fewer
 * @seed: the same seed takes the same sample
 *
 * Makes a sheet of a random sample of @sheet_id's items, in their original order.
 *
 * Returns: (transfer full): the new sheet, or %NULL with @error set
 */
DbwSheet *
dbw_sheet_ops_sample (DbwStore    *store,
                      const char  *sheet_id,
                      guint        size,
                      guint32      seed,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(DbwSheet) source = NULL;
  g_autoptr(DbwSheet) result = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(JsonBuilder) derivation = json_builder_new ();
  const char *parents[2] = { sheet_id, NULL };

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL && name != NULL, NULL);

  if (size == 0)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("A sample needs at least one item"));
      return NULL;
    }

  if (!dbw_store_begin_bulk (store, error))
    return NULL;

  if ((source = get_live_sheet (store, sheet_id, error)) == NULL ||
      (rows = current_rows (store, sheet_id, NULL, error)) == NULL)
    goto failed;

  json_builder_begin_object (derivation);
  json_builder_set_member_name (derivation, "operation");
  json_builder_add_string_value (derivation, "sample");
  json_builder_set_member_name (derivation, "sheet");
  json_builder_add_string_value (derivation, dbw_sheet_get_name (source));
  json_builder_set_member_name (derivation, "size");
  json_builder_add_int_value (derivation, size);
  json_builder_set_member_name (derivation, "taken");
  json_builder_add_int_value (derivation, MIN (size, rows->len));
  json_builder_set_member_name (derivation, "seed");
  json_builder_add_int_value (derivation, seed);
  json_builder_end_object (derivation);

  result = new_derived_sheet (store, name, parents, derivation, error);
  if (result == NULL)
    goto failed;
  /* What the sheet holds, not what was asked (the derivation keeps that). */
  dbw_sheet_set_sample_size (result, MIN (size, rows->len));
  if (!dbw_store_update (store, result, error))
    goto failed;

  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (indexes, i);
  shuffle_rows (indexes, rand);
  g_array_set_size (indexes, MIN (size, indexes->len));
  g_array_sort (indexes, compare_uint);

  for (guint i = 0; i < indexes->len; i++)
    {
      Row *row = &g_array_index (rows, Row, g_array_index (indexes, guint, i));

      if (!copy_item (store, dbw_record_get_id (DBW_RECORD (result)), row->rowid, NULL, NULL, error))
        goto failed;
    }

  if (!dbw_store_commit (store, error))
    goto failed;

  return g_steal_pointer (&result);

failed:
  dbw_store_rollback (store);
  return NULL;
}

/* The part of each of @n positions in a row. Part p gets its share of all @n exactly
 * (largest remainders decide the odd ones), and every run of positions is shared within
 * one item as the whole is: each position goes to the part furthest behind its share. */
static guint *
deal_parts (guint         n,
            const double *shares,
            guint         n_parts)
{
  g_autofree guint *totals = g_new0 (guint, n_parts);
  g_autofree double *remainders = g_new0 (double, n_parts);
  g_autofree guint *given = g_new0 (guint, n_parts);
  guint *part_at = g_new0 (guint, MAX (n, 1));
  guint assigned = 0;

  for (guint p = 0; p < n_parts; p++)
    {
      double exact = shares[p] * n;

      totals[p] = MIN ((guint) exact, n);
      remainders[p] = exact - totals[p];
      assigned += totals[p];
    }
  /* Rounding in the shares can only ever leave one too many. */
  for (guint p = n_parts; assigned > n && p > 0; p--)
    if (totals[p - 1] > 0)
      {
        totals[p - 1]--;
        assigned--;
      }
  while (assigned < n)
    {
      guint best = 0;

      for (guint p = 1; p < n_parts; p++)
        if (remainders[p] > remainders[best])
          best = p;
      totals[best]++;
      remainders[best] = -1;
      assigned++;
    }

  for (guint k = 0; k < n; k++)
    {
      guint best = G_MAXUINT;
      double best_lag = 0;

      for (guint p = 0; p < n_parts; p++)
        {
          double lag = (double) totals[p] * (k + 1) / n - given[p];

          if (given[p] < totals[p] && (best == G_MAXUINT || lag > best_lag))
            {
              best = p;
              best_lag = lag;
            }
        }
      g_assert (best != G_MAXUINT);
      part_at[k] = best;
      given[best]++;
    }

  return part_at;
}

/**
 * dbw_sheet_ops_stratified_split:
 * @field: the field whose values are the strata
 * @fractions: (array length=n_parts): the share of each part; they are normalised
 * @names: (array length=n_parts): the name of each part's sheet
 * @seed: the same seed makes the same split
 *
 * Splits the items of @sheet_id into @n_parts new sheets. Each part gets its share of
 * the items (largest remainders decide the odd ones), and each value of @field is shared
 * between the parts as the whole is, within one item. Values of different JSON types are
 * different strata, and items without the field are one stratum of their own.
 *
 * Returns: (transfer full) (element-type DbwSheet): the new sheets, or %NULL with @error set
 */
GPtrArray *
dbw_sheet_ops_stratified_split (DbwStore      *store,
                                const char    *sheet_id,
                                const char    *field,
                                const double  *fractions,
                                const char   **names,
                                guint          n_parts,
                                guint32        seed,
                                GError       **error)
{
  g_autoptr(DbwSheet) source = NULL;
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GHashTable) strata = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) values = NULL;
  g_autofree double *shares = NULL;
  g_autoptr(GArray) order = NULL;
  g_autofree guint *part_at = NULL;
  g_autofree guint *part_of = NULL;
  const char *parents[2] = { sheet_id, NULL };
  double total = 0;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL && field != NULL, NULL);
  g_return_val_if_fail (n_parts >= 2 && fractions != NULL && names != NULL, NULL);

  for (guint p = 0; p < n_parts; p++)
    {
      if (!(fractions[p] > 0))
        {
          g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                               _("Every part of a split needs a share above zero"));
          return NULL;
        }
      total += fractions[p];
    }
  shares = g_new (double, n_parts);
  for (guint p = 0; p < n_parts; p++)
    shares[p] = fractions[p] / total;

  if (!dbw_store_begin_bulk (store, error))
    return NULL;

  if ((source = get_live_sheet (store, sheet_id, error)) == NULL ||
      (rows = current_rows (store, sheet_id, field, error)) == NULL)
    goto failed;

  for (guint p = 0; p < n_parts; p++)
    {
      g_autoptr(JsonBuilder) derivation = json_builder_new ();
      DbwSheet *part;

      json_builder_begin_object (derivation);
      json_builder_set_member_name (derivation, "operation");
      json_builder_add_string_value (derivation, "stratified_split");
      json_builder_set_member_name (derivation, "sheet");
      json_builder_add_string_value (derivation, dbw_sheet_get_name (source));
      json_builder_set_member_name (derivation, "field");
      json_builder_add_string_value (derivation, field);
      json_builder_set_member_name (derivation, "shares");
      json_builder_begin_array (derivation);
      for (guint q = 0; q < n_parts; q++)
        json_builder_add_double_value (derivation, shares[q]);
      json_builder_end_array (derivation);
      json_builder_set_member_name (derivation, "part");
      json_builder_add_int_value (derivation, p + 1);
      json_builder_set_member_name (derivation, "seed");
      json_builder_add_int_value (derivation, seed);
      json_builder_end_object (derivation);

      part = new_derived_sheet (store, names[p], parents, derivation, error);
      if (part == NULL)
        goto failed;
      g_ptr_array_add (sheets, part);
    }

  /* Strata in the order their values first appear, so the result does not depend on
   * hash table order; then in an order the seed decides, so that no part is favoured
   * by where its strata fall. */
  values = g_ptr_array_new ();
  strata = group_rows (rows, values);
  for (guint v = values->len; v > 1; v--)
    {
      guint j = g_rand_int_range (rand, 0, v);
      gpointer tmp = values->pdata[v - 1];

      values->pdata[v - 1] = values->pdata[j];
      values->pdata[j] = tmp;
    }

  /* Each stratum shuffled, the strata end to end, and the parts dealt out along them. */
  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), rows->len);
  for (guint v = 0; v < values->len; v++)
    {
      GArray *members = g_hash_table_lookup (strata, values->pdata[v]);

      shuffle_rows (members, rand);
      g_array_append_vals (order, members->data, members->len);
    }
  part_at = deal_parts (rows->len, shares, n_parts);
  part_of = g_new0 (guint, rows->len);
  for (guint k = 0; k < order->len; k++)
    part_of[g_array_index (order, guint, k)] = part_at[k];

  /* Each part keeps the items in their original order. */
  for (guint p = 0; p < n_parts; p++)
    for (guint i = 0; i < rows->len; i++)
      {
        if (part_of[i] != p)
          continue;
        if (!copy_item (store, dbw_record_get_id (g_ptr_array_index (sheets, p)),
                        g_array_index (rows, Row, i).rowid, NULL, NULL, error))
          goto failed;
      }

  if (!dbw_store_commit (store, error))
    goto failed;

  return g_steal_pointer (&sheets);

failed:
  dbw_store_rollback (store);
  return NULL;
}

static gboolean
check_column_name (const char  *name,
                   GError     **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) || strlen (name) > 255)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("A join key is empty or not a column name"));
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (*p == '`' || g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_autofree char *shown = g_strescape (name, NULL);

        g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                     _("“%s” is not a column name: it contains “`” or a control character"), shown);
        return FALSE;
      }

  return TRUE;
}

/**
 * dbw_sheet_ops_save_pointer:
 * @sheet: a sheet with its name, primary table, secondary sources, join keys, filter
 *   condition and sample size set; without an id it is new
 *
 * Saves @sheet as a pointer to Unity Catalog data, after checking that it is one: a
 * catalog.schema.table primary table (or, with none, only volumes), secondary tables
 * that can be joined on the join keys, volumes under /Volumes, a filter that is one
 * condition, and a positive sample size if any.
 *
 * Returns: %TRUE when saved; %DBW_STORE_ERROR_INVALID names what is wrong
 */
gboolean
dbw_sheet_ops_save_pointer (DbwStore  *store,
                            DbwSheet  *sheet,
                            GError   **error)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sources_json = NULL;
  g_autofree char *stripped_filter = NULL;
  const char * const *join_keys;
  const char *primary;
  const char *filter;
  guint n_keys;
  gboolean has_volume = FALSE;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (DBW_IS_SHEET (sheet), FALSE);

  name = g_strstrip (g_strdup (dbw_sheet_get_name (sheet)));
  if (*name == '\0')
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID, _("The sheet needs a name"));
      return FALSE;
    }

  primary = dbw_sheet_get_primary_table (sheet);
  if (primary != NULL && *primary == '\0')
    primary = NULL;
  if (primary != NULL && !dbw_sheet_check_table_name (primary, error))
    return FALSE;

  join_keys = dbw_sheet_get_join_keys (sheet);
  n_keys = join_keys != NULL ? g_strv_length ((char **) join_keys) : 0;
  for (guint i = 0; i < n_keys; i++)
    {
      if (!check_column_name (join_keys[i], error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (g_ascii_strcasecmp (join_keys[i], join_keys[j]) == 0)
          {
            g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                         _("The join key “%s” is given twice"), join_keys[i]);
            return FALSE;
          }
    }

  sources = dbw_sheet_sources_parse (dbw_sheet_get_secondary_sources (sheet), error);
  if (sources == NULL)
    return FALSE;

  for (guint i = 0; i < sources->len; i++)
    {
      DbwSheetSource *source = g_ptr_array_index (sources, i);
      guint n_own = source->join_keys != NULL ? g_strv_length (source->join_keys) : 0;

      for (guint k = 0; k < n_own; k++)
        if (!check_column_name (source->join_keys[k], error))
          return FALSE;

      if (source->kind == DBW_SHEET_SOURCE_VOLUME)
        {
          has_volume = TRUE;
          if (n_own > 0 && primary == NULL)
            {
              g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The volume %s is matched to rows by “%s”, but the sheet has no primary table"),
                           source->name, source->join_keys[0]);
              return FALSE;
            }
          continue;
        }

      if (primary == NULL)
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("The table %s can only be joined to a primary table; choose one"), source->name);
          return FALSE;
        }
      if (g_strcmp0 (source->name, primary) == 0)
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("The primary table %s cannot also be a secondary source"), source->name);
          return FALSE;
        }
      if (n_keys == 0)
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("The table %s is joined to the primary table on the join keys, but there are none; choose the key columns"),
                       source->name);
          return FALSE;
        }
      if (n_own > 0 && n_own != n_keys)
        {
          g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                       _("The table %s is joined on %u columns, but the sheet has %u join keys"),
                       source->name, n_own, n_keys);
          return FALSE;
        }
    }

  if (primary == NULL && !has_volume)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The sheet points at nothing: choose a table or a volume"));
      return FALSE;
    }

  if (dbw_sheet_get_filter_condition (sheet) != NULL)
    stripped_filter = g_strstrip (g_strdup (dbw_sheet_get_filter_condition (sheet)));
  filter = stripped_filter != NULL && *stripped_filter != '\0' ? stripped_filter : NULL;
  if (!dbw_sheet_check_filter (filter, error))
    return FALSE;
  if (filter != NULL && primary == NULL)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("A filter is a condition on the primary table’s rows, and the sheet has no primary table"));
      return FALSE;
    }

  if (dbw_sheet_get_sample_size (sheet) == 0)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           _("The sample size must be at least 1 row"));
      return FALSE;
    }

  /* Stored as read back: the same text for the same sources. */
  sources_json = dbw_sheet_sources_to_json (sources);
  dbw_sheet_set_name (sheet, name);
  dbw_sheet_set_source_kind (sheet, DBW_SOURCE_KIND_UNITY_CATALOG);
  dbw_sheet_set_primary_table (sheet, primary);
  dbw_sheet_set_secondary_sources (sheet, sources_json);
  dbw_sheet_set_filter_condition (sheet, filter);

  if (dbw_record_get_id (DBW_RECORD (sheet)) == NULL)
    return dbw_store_insert (store, sheet, error);

  return dbw_store_update (store, sheet, error);
}

/**
 * dbw_sheet_ops_list_fields:
 * @max_items: how many items to look at, from the first; 0 for 500
 *
 * The names of the fields of a sheet's items, in the order they are first seen, as the
 * columns a prompt template may use. Only the first items are read, so that a sheet of
 * 100,000 rows answers at once; the fields of a sheet rarely change from row to row.
 *
 * Returns: (transfer full): the names, or %NULL with @error set
 */
GStrv
dbw_sheet_ops_list_fields (DbwStore    *store,
                           const char  *sheet_id,
                           guint        max_items,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  /* The sheet's first row found through the index, then the rows from there in the
   * table's order: reading the sheet through its index sorted all of its rows (0.1 s at
   * 100,000) to take a few. */
  stmt = _dbw_store_prepare (store,
                             "SELECT field.key FROM "
                             "  (SELECT rowid, fields FROM items "
                             "   WHERE +sheet_id = ?1 AND rowid >= (SELECT min (rowid) FROM items WHERE sheet_id = ?1) "
                             "   AND json_type (fields) = 'object' ORDER BY rowid LIMIT ?2) AS item, "
                             "  json_each (item.fields) AS field "
                             "ORDER BY item.rowid, field.id",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, max_items > 0 ? max_items : 500);

  return _dbw_store_collect_strings (store, stmt, TRUE, "items", error);
}

static int
compare_rowid (gconstpointer a,
               gconstpointer b)
{
  gint64 x = dbw_record_get_rowid (*(DbwRecord * const *) a);
  gint64 y = dbw_record_get_rowid (*(DbwRecord * const *) b);

  return x < y ? -1 : x > y;
}

/**
 * dbw_sheet_ops_sample_items:
 * @n: how many items; all when the sheet has fewer
 * @seed: the same seed takes the same items
 *
 * Takes @n of a sheet's current items at random, to try something on, without
 * loading the others.
 *
 * Returns: (transfer full) (element-type DbwItem): the items in sheet order, or %NULL
 *   with @error set
 */
GPtrArray *
dbw_sheet_ops_sample_items (DbwStore    *store,
                            const char  *sheet_id,
                            guint        n,
                            guint32      seed,
                            GError     **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) json = g_string_new ("[");
  DbwRecordClass *klass;
  sqlite3_stmt *stmt;
  guint taken;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT rowid FROM items WHERE sheet_id = ?1 AND " DBW_SQL_NEWEST_ITEM_VERSION " ORDER BY rowid",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  /* The first @n places of a Fisher–Yates shuffle are a uniform sample. */
  taken = MIN (n, rowids->len);
  for (guint i = 0; i < taken; i++)
    {
      guint j = g_rand_int_range (rand, i, rowids->len);
      gint64 tmp = g_array_index (rowids, gint64, i);

      g_array_index (rowids, gint64, i) = g_array_index (rowids, gint64, j);
      g_array_index (rowids, gint64, j) = tmp;
    }
  g_array_set_size (rowids, taken);
  if (taken == 0)
    return g_steal_pointer (&items);

  for (guint i = 0; i < taken; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (rowids, gint64, i));
  g_string_append_c (json, ']');

  klass = g_type_class_ref (DBW_TYPE_ITEM);
  stmt = _dbw_store_prepare (store, _dbw_record_class_get_sql (klass, DBW_SQL_SELECT_BY_ROWIDS), error);
  g_type_class_unref (klass);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DbwItem *item = dbw_item_new ();

      _dbw_record_load_from_stmt (DBW_RECORD (item), stmt, 0);
      g_ptr_array_add (items, item);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  g_ptr_array_sort (items, compare_rowid);

  return g_steal_pointer (&items);
}

/**
 * dbw_sheet_ops_sample_contexts:
 * @n: how many items; all when the sheet has fewer
 *
 * What a prompt would see for @n of a sheet's items taken at random (always the same
 * ones), to judge a template against the sheet.
 *
 * Returns: (transfer full) (element-type JsonObject): the variables of each item, as
 *   dbw_prompt_context_for_item() makes them, or %NULL with @error set
 */
GPtrArray *
dbw_sheet_ops_sample_contexts (DbwStore    *store,
                               const char  *sheet_id,
                               guint        n,
                               GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *contexts;

  items = dbw_sheet_ops_sample_items (store, sheet_id, n, 0, error);
  if (items == NULL)
    return NULL;

  contexts = g_ptr_array_new_full (items->len, (GDestroyNotify) json_object_unref);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (contexts, dbw_prompt_context_for_item (g_ptr_array_index (items, i)));

  return contexts;
}
