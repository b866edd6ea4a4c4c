/* dbw-canonical-ops.c
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

#define G_LOG_DOMAIN "dbw-canonical-ops"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-canonical-ops.h"
#include "dbw-governance.h"
#include "dbw-json-text.h"
#include "dbw-record-private.h"
#include "dbw-store-private.h"

/* Mode B of labeling: an expert walks the items of a sheet and writes one canonical label per
 * item and label type. Labels are versioned by the store (every update is the next version and
 * the previous one goes to canonical_label_history, see dbw-schema.c); this file adds the rules
 * around it — who saved what when, no silent overwrite of someone else's newer version — and
 * the queries that walk a sheet of 100,000 items without loading them.
 *
 * Item order is the order of the current items' rows, as the Data page lists them. The walks
 * scan items by rowid ("+sheet_id" keeps SQLite from sorting the sheet's whole index) and stop
 * at the first match. */

G_DEFINE_QUARK (dbw-canonical-ops-error-quark, dbw_canonical_ops_error)

/* Statements built once from the record classes; their addresses key the store's cache. */
static const char *
class_sql (GType       type,
           const char *tail,
           gsize      *once)
{
  if (g_once_init_enter (once))
    {
      DbwRecordClass *klass = g_type_class_ref (type);
      char *text = g_strconcat (_dbw_record_class_get_sql (klass, DBW_SQL_SELECT), " ", tail, NULL);

      g_type_class_unref (klass);
      g_once_init_leave (once, (gsize) text);
    }

  return (const char *) *once;
}

static const char *
lookup_sql (void)
{
  static gsize sql;

  return class_sql (DBW_TYPE_CANONICAL_LABEL,
                    "WHERE sheet_id = ?1 AND item_ref = ?2 AND label_type = ?3", &sql);
}

#define CURRENT_IN_SHEET "+sheet_id = ?1 AND " DBW_SQL_NEWEST_ITEM_VERSION
#define UNLABELED \
  "NOT EXISTS (SELECT 1 FROM canonical_labels AS label WHERE label.sheet_id = items.sheet_id " \
  "AND label.item_ref = items.item_ref AND label.label_type = ?3)"

static const char *
next_unlabeled_sql (void)
{
  static gsize sql;

  return class_sql (DBW_TYPE_ITEM,
                    "WHERE " CURRENT_IN_SHEET " AND rowid > ?2 AND rowid <= ?4 AND " UNLABELED " "
                    "ORDER BY rowid LIMIT 1", &sql);
}

static const char *
next_item_sql (void)
{
  static gsize sql;

  return class_sql (DBW_TYPE_ITEM,
                    "WHERE " CURRENT_IN_SHEET " AND rowid > ?2 ORDER BY rowid LIMIT 1", &sql);
}

static const char *
previous_item_sql (void)
{
  static gsize sql;

  return class_sql (DBW_TYPE_ITEM,
                    "WHERE " CURRENT_IN_SHEET " AND rowid < ?2 ORDER BY rowid DESC LIMIT 1", &sql);
}

static const char *
label_type_nick (DbwLabelType label_type)
{
  return dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, label_type);
}

void
dbw_canonical_version_free (DbwCanonicalVersion *version)
{
  if (version == NULL)
    return;

  g_free (version->label_data);
  g_free (version->notes);
  g_strfreev (version->allowed_uses);
  g_strfreev (version->prohibited_uses);
  g_free (version->usage_reason);
  g_free (version->modified_by);
  g_free (version->modified_at);
  g_free (version);
}

/* Validation */

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

/* Label data is JSON; an empty answer (null, "" or blank text) labels nothing. */
static gboolean
check_label_data (DbwCanonicalLabel  *label,
                  GError            **error)
{
  const char *text = dbw_canonical_label_get_label_data (label);
  const char *item_ref = dbw_canonical_label_get_item_ref (label);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (!is_blank (text))
    node = json_from_string (text, &parse_error);

  if (node == NULL)
    {
      g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID,
                   _("The label of “%s” is not valid JSON: %s"), item_ref,
                   parse_error != NULL ? parse_error->message : _("it is empty"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_NULL (node) ||
      (json_node_get_value_type (node) == G_TYPE_STRING && is_blank (json_node_get_string (node))))
    {
      g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID,
                   _("The label of “%s” is empty"), item_ref);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_label (DbwCanonicalLabel  *label,
             GError            **error)
{
  if (is_blank (dbw_canonical_label_get_sheet_id (label)) || is_blank (dbw_canonical_label_get_item_ref (label)))
    {
      g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID,
                   _("A canonical label needs a sheet and an item"));
      return FALSE;
    }

  return check_label_data (label, error);
}

/* Saving */

/* Whether saving @label over @stored would change anything a version records. */
static gboolean
label_differs (DbwCanonicalLabel *stored,
               DbwCanonicalLabel *label)
{
  return g_strcmp0 (dbw_canonical_label_get_label_data (stored), dbw_canonical_label_get_label_data (label)) != 0 ||
         dbw_canonical_label_get_confidence (stored) != dbw_canonical_label_get_confidence (label) ||
         g_strcmp0 (dbw_canonical_label_get_notes (stored), dbw_canonical_label_get_notes (label)) != 0 ||
         !g_strv_equal (dbw_canonical_label_get_allowed_uses (stored), dbw_canonical_label_get_allowed_uses (label)) ||
         !g_strv_equal (dbw_canonical_label_get_prohibited_uses (stored), dbw_canonical_label_get_prohibited_uses (label)) ||
         g_strcmp0 (dbw_canonical_label_get_usage_reason (stored), dbw_canonical_label_get_usage_reason (label)) != 0 ||
         dbw_canonical_label_get_data_classification (stored) != dbw_canonical_label_get_data_classification (label);
}

static gboolean
constraints_differ (DbwCanonicalLabel *stored,
                    DbwCanonicalLabel *label)
{
  return !g_strv_equal (dbw_canonical_label_get_allowed_uses (stored), dbw_canonical_label_get_allowed_uses (label)) ||
         !g_strv_equal (dbw_canonical_label_get_prohibited_uses (stored), dbw_canonical_label_get_prohibited_uses (label)) ||
         dbw_canonical_label_get_data_classification (stored) != dbw_canonical_label_get_data_classification (label);
}

static void
set_conflict (GError            **error,
              DbwCanonicalLabel  *stored)
{
  const char *who = dbw_canonical_label_get_last_modified_by (stored);
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, dbw_canonical_label_get_version (stored));

  if (who == NULL)
    who = dbw_canonical_label_get_labeled_by (stored);

  if (who != NULL)
    /* Translators: The label of “board_17.png” was saved by ada@example.org as version 3 since you opened it… */
    g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_CONFLICT,
                 _("The label of “%s” was saved by %s as version %s since you opened it; reload it to see the changes"),
                 dbw_canonical_label_get_item_ref (stored), who, version);
  else
    g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_CONFLICT,
                 _("The label of “%s” was saved as version %s since you opened it; reload it to see the changes"),
                 dbw_canonical_label_get_item_ref (stored), version);
}

static gboolean
save_new_version (DbwStore           *store,
                  DbwCanonicalLabel  *stored,
                  DbwCanonicalLabel  *label,
                  GError            **error)
{
  if (dbw_canonical_label_get_version (stored) != dbw_canonical_label_get_version (label))
    {
      set_conflict (error, stored);
      return FALSE;
    }

  if (g_strcmp0 (dbw_canonical_label_get_sheet_id (stored), dbw_canonical_label_get_sheet_id (label)) != 0 ||
      g_strcmp0 (dbw_canonical_label_get_item_ref (stored), dbw_canonical_label_get_item_ref (label)) != 0 ||
      dbw_canonical_label_get_label_type (stored) != dbw_canonical_label_get_label_type (label))
    {
      g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID,
                   _("A canonical label stays with its item and label type; label “%s” anew instead"),
                   dbw_canonical_label_get_item_ref (label));
      return FALSE;
    }

  if (!label_differs (stored, label))
    return TRUE;

  /* The audit row takes its reason from the label: the previous reason does not explain a
   * new change. */
  if (constraints_differ (stored, label) &&
      (is_blank (dbw_canonical_label_get_usage_reason (label)) ||
       g_strcmp0 (dbw_canonical_label_get_usage_reason (stored), dbw_canonical_label_get_usage_reason (label)) == 0))
    {
      g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID,
                   _("Say why the usage constraints of the label of “%s” change"),
                   dbw_canonical_label_get_item_ref (label));
      return FALSE;
    }

  /* Who first labeled it stays; who changed it is whoever saves now (the store stamps the time). */
  dbw_canonical_label_set_labeled_by (label, dbw_canonical_label_get_labeled_by (stored));
  dbw_canonical_label_set_labeled_at (label, dbw_canonical_label_get_labeled_at (stored));
  dbw_canonical_label_set_created_at (label, dbw_canonical_label_get_created_at (stored));
  dbw_canonical_label_set_last_modified_by (label, dbw_store_get_user (store));

  return dbw_store_update (store, label, error);
}

static gboolean
save_first_version (DbwStore           *store,
                    DbwCanonicalLabel  *label,
                    GError            **error)
{
  g_autoptr(DbwCanonicalLabel) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = _dbw_store_now (store);

  /* Someone labeled the item since this label was made from it. */
  existing = dbw_canonical_ops_lookup (store,
                                       dbw_canonical_label_get_sheet_id (label),
                                       dbw_canonical_label_get_item_ref (label),
                                       dbw_canonical_label_get_label_type (label),
                                       &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    {
      set_conflict (error, existing);
      return FALSE;
    }

  dbw_canonical_label_set_version (label, 1);
  dbw_canonical_label_set_labeled_by (label, dbw_store_get_user (store));
  dbw_canonical_label_set_labeled_at (label, now);
  dbw_canonical_label_set_last_modified_by (label, NULL);
  dbw_canonical_label_set_last_modified_at (label, NULL);

  return dbw_store_insert (store, label, error);
}

static gboolean
save_in_transaction (DbwStore           *store,
                     DbwCanonicalLabel  *label,
                     GError            **error)
{
  const char *id = dbw_record_get_id (DBW_RECORD (label));
  g_autoptr(DbwCanonicalLabel) stored = NULL;
  g_autoptr(GError) local_error = NULL;

  if (id != NULL && id[0] != '\0')
    {
      stored = dbw_store_get (store, DBW_TYPE_CANONICAL_LABEL, id, &local_error);
      if (stored == NULL && !g_error_matches (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (stored != NULL)
    return save_new_version (store, stored, label, error);

  /* Deleted since it was read (an approval taken back): it is saved as a new label, under
   * an id of its own, since a deleted id stays deleted in the workspace. */
  if (id != NULL && id[0] != '\0')
    dbw_record_set_id (DBW_RECORD (label), NULL);

  return save_first_version (store, label, error);
}

/**
 * dbw_canonical_ops_save:
 *
 * Returns: %TRUE when @label is stored; saving a label identical to its stored version
 *   changes nothing and makes no new version
 */
gboolean
dbw_canonical_ops_save (DbwStore           *store,
                        DbwCanonicalLabel  *label,
                        GError            **error)
{
  g_autoptr(DbwCanonicalLabel) fresh = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (label), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_label (label, error))
    return FALSE;

  if (!dbw_store_begin (store, error))
    return FALSE;

  if (!save_in_transaction (store, label, error))
    {
      dbw_store_rollback (store);
      return FALSE;
    }

  if (!dbw_store_commit (store, error))
    {
      dbw_store_rollback (store);
      return FALSE;
    }

  fresh = dbw_store_get (store, DBW_TYPE_CANONICAL_LABEL, dbw_record_get_id (DBW_RECORD (label)), error);
  if (fresh == NULL)
    return FALSE;
  dbw_record_copy_from (DBW_RECORD (label), DBW_RECORD (fresh));

  return TRUE;
}

DbwCanonicalLabel *
dbw_canonical_ops_lookup (DbwStore      *store,
                          const char    *sheet_id,
                          const char    *item_ref,
                          DbwLabelType   label_type,
                          GError       **error)
{
  DbwCanonicalLabel *label = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);

  stmt = _dbw_store_prepare (store, lookup_sql (), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, label_type_nick (label_type), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      label = dbw_canonical_label_new ();
      _dbw_record_load_from_stmt (DBW_RECORD (label), stmt, 0);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _dbw_store_set_error (store, rc, "canonical_labels", error);

  return label;
}

/* The uses an item allows and does not prohibit. An item that lists no allowed use has
 * had none set: every use it does not prohibit. */
static GStrv
uses_allowed_by (const char * const *allowed,
                 const char * const *prohibited)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char * const *all = dbw_use_all ();
  gboolean listed = allowed != NULL && allowed[0] != NULL;

  for (guint i = 0; all[i] != NULL; i++)
    if ((!listed || g_strv_contains (allowed, all[i])) &&
        (prohibited == NULL || !g_strv_contains (prohibited, all[i])))
      g_strv_builder_add (builder, all[i]);

  return g_strv_builder_end (builder);
}

static gboolean
is_text_label_type (DbwLabelType label_type)
{
  return label_type == DBW_LABEL_TYPE_QA ||
         label_type == DBW_LABEL_TYPE_GENERATION ||
         label_type == DBW_LABEL_TYPE_SUMMARIZATION;
}

/**
 * dbw_canonical_ops_new_for_item:
 *
 * Its label_data is an empty object, or an empty JSON string for the text label types
 * (qa, generation, summarization); saving it unchanged is refused as empty for those.
 *
 * Returns: (transfer full): the unsaved label
 */
DbwCanonicalLabel *
dbw_canonical_ops_new_for_item (DbwStore     *store,
                                DbwItem      *item,
                                DbwLabelType  label_type)
{
  DbwCanonicalLabel *label;
  const char * const *prohibited;
  g_auto(GStrv) allowed = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);

  prohibited = dbw_item_get_prohibited_uses (item);
  allowed = uses_allowed_by (dbw_item_get_allowed_uses (item), prohibited);

  label = dbw_canonical_label_new ();
  dbw_canonical_label_set_sheet_id (label, dbw_item_get_sheet_id (item));
  dbw_canonical_label_set_item_ref (label, dbw_item_get_item_ref (item));
  dbw_canonical_label_set_label_type (label, label_type);
  dbw_canonical_label_set_label_data (label, is_text_label_type (label_type) ? "\"\"" : "{}");
  dbw_canonical_label_set_confidence (label, DBW_CONFIDENCE_HIGH);
  dbw_canonical_label_set_allowed_uses (label, (const char * const *) allowed);
  dbw_canonical_label_set_prohibited_uses (label, prohibited);
  dbw_canonical_label_set_usage_reason (label, dbw_item_get_usage_reason (item));
  dbw_canonical_label_set_data_classification (label, dbw_item_get_data_classification (item));

  return label;
}

/* History */

static GStrv
strv_from_json (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static int
column_enum (sqlite3_stmt *stmt,
             int           column,
             GType         enum_type)
{
  int value = 0;

  dbw_enum_from_nick (enum_type, (const char *) sqlite3_column_text (stmt, column), &value);

  return value;
}

static DbwCanonicalVersion *
version_from_stmt (sqlite3_stmt *stmt)
{
  DbwCanonicalVersion *version = g_new0 (DbwCanonicalVersion, 1);

  version->version = sqlite3_column_int64 (stmt, 0);
  version->label_data = column_dup (stmt, 1);
  version->confidence = column_enum (stmt, 2, DBW_TYPE_CONFIDENCE);
  version->notes = column_dup (stmt, 3);
  version->allowed_uses = strv_from_json ((const char *) sqlite3_column_text (stmt, 4));
  version->prohibited_uses = strv_from_json ((const char *) sqlite3_column_text (stmt, 5));
  version->usage_reason = column_dup (stmt, 6);
  version->data_classification = column_enum (stmt, 7, DBW_TYPE_DATA_CLASSIFICATION);
  version->modified_by = column_dup (stmt, 8);
  version->modified_at = column_dup (stmt, 9);

  return version;
}

/**
 * dbw_canonical_ops_list_history:
 *
 * Who saved each version and when: the current one by its last editor (its first labeler
 * for version 1). Versions saved concurrently elsewhere and kept by sync appear next to the
 * one that won.
 *
 * Returns: (transfer full) (element-type DbwCanonicalVersion): the versions, newest first;
 *   %NULL with %DBW_STORE_ERROR_NOT_FOUND when the label does not exist
 */
GPtrArray *
dbw_canonical_ops_list_history (DbwStore    *store,
                                const char  *label_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) versions = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (label_id != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT version, label_data, confidence, notes, allowed_uses, prohibited_uses, "
                             "  usage_reason, data_classification, coalesce (last_modified_by, labeled_by), "
                             "  coalesce (last_modified_at, labeled_at, created_at), 0 AS past "
                             "FROM canonical_labels WHERE id = ?1 "
                             "UNION ALL "
                             "SELECT version, label_data, confidence, notes, allowed_uses, prohibited_uses, "
                             "  usage_reason, data_classification, modified_by, modified_at, 1 AS past "
                             "FROM canonical_label_history WHERE canonical_label_id = ?1 "
                             "ORDER BY 1 DESC, past, 10 DESC",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, label_id, -1, SQLITE_TRANSIENT);
  versions = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_canonical_version_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* The current row comes first; without it the label is gone. */
      if (versions->len == 0 && sqlite3_column_int (stmt, 10) != 0)
        break;
      g_ptr_array_add (versions, version_from_stmt (stmt));
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "canonical_labels", error);
      return NULL;
    }

  if (versions->len == 0)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("The canonical label “%s” does not exist"), label_id);
      return NULL;
    }

  return g_steal_pointer (&versions);
}

/* Walking a sheet */

static gint64
count_query (DbwStore     *store,
             const char   *sql,
             const char   *sheet_id,
             const char   *label_type,
             GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  stmt = _dbw_store_prepare (store, sql, error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  if (label_type != NULL)
    sqlite3_bind_text (stmt, 2, label_type, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW)
    _dbw_store_set_error (store, rc, "items", error);

  return count;
}

/**
 * dbw_canonical_ops_count_items:
 *
 * Returns: the number of current items of the sheet, -1 on error
 */
gint64
dbw_canonical_ops_count_items (DbwStore    *store,
                               const char  *sheet_id,
                               GError     **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (sheet_id != NULL, -1);

  /* Each item_ref has one current version: counting refs reads the (sheet_id, item_ref,
   * version) index once instead of probing it for a newer version of every row. */
  return count_query (store,
                      "SELECT count (DISTINCT item_ref) FROM items WHERE sheet_id = ?1",
                      sheet_id, NULL, error);
}

/**
 * dbw_canonical_ops_count_labeled:
 *
 * Returns: the number of current items of the sheet with a label of @label_type, -1 on error
 */
gint64
dbw_canonical_ops_count_labeled (DbwStore      *store,
                                 const char    *sheet_id,
                                 DbwLabelType   label_type,
                                 GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (sheet_id != NULL, -1);

  /* Any version of an item_ref means the ref has a current version: items are never
   * deleted one by one. */
  return count_query (store,
                      "SELECT count (*) FROM canonical_labels AS label "
                      "WHERE label.sheet_id = ?1 AND label.label_type = ?2 AND EXISTS "
                      "(SELECT 1 FROM items WHERE items.sheet_id = label.sheet_id AND items.item_ref = label.item_ref)",
                      sheet_id, label_type_nick (label_type), error);
}

GStrv
dbw_canonical_ops_list_ids (DbwStore      *store,
                            const char    *sheet_id,
                            DbwLabelType   label_type,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT id FROM canonical_labels WHERE sheet_id = ?1 AND label_type = ?2 ORDER BY rowid",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, label_type_nick (label_type), -1, SQLITE_STATIC);

  return _dbw_store_collect_strings (store, stmt, FALSE, "canonical_labels", error);
}

GStrv
dbw_canonical_ops_list_classes (DbwStore    *store,
                                const char  *sheet_id,
                                GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  /* A label whose data is not JSON, or has no list of objects, names no class. */
  stmt = _dbw_store_prepare (store,
                             "SELECT json_extract (shape.value, '$.class') "
                             "FROM canonical_labels AS label, "
                             "  json_each (CASE WHEN json_valid (label.label_data) AND "
                             "    json_type (label.label_data, '$.objects') = 'array' "
                             "    THEN label.label_data ELSE '{\"objects\":[]}' END, '$.objects') AS shape "
                             "WHERE label.sheet_id = ?1 AND label.label_type = 'object_detection' "
                             "  AND shape.type = 'object' AND json_type (shape.value, '$.class') = 'text' "
                             "ORDER BY label.rowid, shape.key",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);

  return _dbw_store_collect_strings (store, stmt, TRUE, "canonical_labels", error);
}

typedef struct
{
  char         *sheet_id;
  DbwLabelType  label_type;
} ListIds;

static void
list_ids_free (gpointer data)
{
  ListIds *list = data;

  g_free (list->sheet_id);
  g_free (list);
}

static void
list_ids_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ListIds *list = task_data;
  g_autoptr(DbwStore) connection = NULL;
  GError *error = NULL;
  GStrv ids;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A connection of its own: a store belongs to one thread. */
  connection = dbw_store_open_connection (source_object, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ids = dbw_canonical_ops_list_ids (connection, list->sheet_id, list->label_type, &error);
  dbw_store_close (connection);

  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_strfreev);
}

void
dbw_canonical_ops_list_ids_async (DbwStore            *store,
                                  const char          *sheet_id,
                                  DbwLabelType         label_type,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListIds *list;

  g_return_if_fail (DBW_IS_STORE (store));
  g_return_if_fail (sheet_id != NULL);

  list = g_new0 (ListIds, 1);
  list->sheet_id = g_strdup (sheet_id);
  list->label_type = label_type;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-canonical-ops] list ids");
  g_task_set_task_data (task, list, list_ids_free);
  g_task_run_in_thread (task, list_ids_thread);
}

GStrv
dbw_canonical_ops_list_ids_finish (DbwStore      *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The rowid of the current version of @item_ref, 0 when the sheet has no such item. */
static gint64
item_position (DbwStore    *store,
               const char  *sheet_id,
               const char  *item_ref,
               GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 rowid = 0;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "SELECT rowid FROM items WHERE sheet_id = ?1 AND item_ref = ?2 ORDER BY version DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return -1;
    }

  return rowid;
}

/* The item @stmt, bound, selects (or %NULL); @stmt is released. */
static DbwItem *
step_item (DbwStore      *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  DbwItem *item = NULL;
  int rc;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item = dbw_item_new ();
      _dbw_record_load_from_stmt (DBW_RECORD (item), stmt, 0);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _dbw_store_set_error (store, rc, "items", error);

  return item;
}

/* Runs one of the walking statements: ?1 sheet, ?2 rowid, ?3 label type, ?4 upper rowid. */
static DbwItem *
find_item (DbwStore     *store,
           const char   *sql,
           const char   *sheet_id,
           gint64        rowid,
           const char   *label_type,
           gint64        upper,
           GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = _dbw_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, rowid);
  if (label_type != NULL)
    {
      sqlite3_bind_text (stmt, 3, label_type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, upper);
    }

  return step_item (store, stmt, error);
}

DbwItem *
dbw_canonical_ops_next_unlabeled (DbwStore      *store,
                                  const char    *sheet_id,
                                  DbwLabelType   label_type,
                                  const char    *after_item_ref,
                                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *type = label_type_nick (label_type);
  DbwItem *item;
  gint64 after = 0;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  if (after_item_ref != NULL)
    after = item_position (store, sheet_id, after_item_ref, error);
  if (after < 0)
    return NULL;

  item = find_item (store, next_unlabeled_sql (), sheet_id, after, type, G_MAXINT64, &local_error);
  if (item == NULL && local_error == NULL && after > 0)
    item = find_item (store, next_unlabeled_sql (), sheet_id, 0, type, after, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return item;
}

DbwItem *
dbw_canonical_ops_current_item (DbwStore    *store,
                                const char  *sheet_id,
                                const char  *item_ref,
                                GError     **error)
{
  static gsize sql;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             class_sql (DBW_TYPE_ITEM, "WHERE sheet_id = ?1 AND item_ref = ?2 ORDER BY version DESC LIMIT 1", &sql),
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);

  return step_item (store, stmt, error);
}

DbwItem *
dbw_canonical_ops_first_item (DbwStore    *store,
                              const char  *sheet_id,
                              GError     **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  return find_item (store, next_item_sql (), sheet_id, 0, NULL, 0, error);
}

DbwItem *
dbw_canonical_ops_adjacent_item (DbwStore    *store,
                                 const char  *sheet_id,
                                 const char  *item_ref,
                                 gboolean     forward,
                                 GError     **error)
{
  gint64 position;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);

  position = item_position (store, sheet_id, item_ref, error);
  if (position <= 0)
    return NULL;

  return find_item (store, forward ? next_item_sql () : previous_item_sql (),
                    sheet_id, position, NULL, 0, error);
}

/* Export */

static void
add_text_member (JsonObject   *object,
                 const char   *name,
                 sqlite3_stmt *stmt,
                 int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, (const char *) sqlite3_column_text (stmt, column));
}

static void
add_json_member (JsonObject   *object,
                 const char   *name,
                 sqlite3_stmt *stmt,
                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  JsonNode *node = text != NULL ? json_from_string (text, NULL) : NULL;

  json_object_set_member (object, name, node != NULL ? node : json_node_new (JSON_NODE_NULL));
}

static void
append_label_line (GString      *out,
                   sqlite3_stmt *stmt)
{
  static const char * const names[] = {
    "id", "sheet_id", "item_ref", "label_type", "label_data", "confidence", "notes",
    "allowed_uses", "prohibited_uses", "usage_reason", "data_classification",
    "labeled_by", "labeled_at",
  };
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (names[i], "label_data") || g_str_has_suffix (names[i], "_uses"))
        add_json_member (object, names[i], stmt, i);
      else
        add_text_member (object, names[i], stmt, i);
    }
  json_object_set_int_member (object, "version", sqlite3_column_int64 (stmt, G_N_ELEMENTS (names)));

  json_node_set_object (node, object);
  dbw_json_append_compact (out, node);
  g_string_append_c (out, '\n');
}

static gboolean
flush_lines (GOutputStream  *stream,
             GString        *out,
             GCancellable   *cancellable,
             GError        **error)
{
  if (out->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
    return FALSE;

  g_string_truncate (out, 0);
  return TRUE;
}

/* Write in chunks of about this many bytes. */
#define EXPORT_CHUNK (64 * 1024)

/**
 * dbw_canonical_ops_export_jsonl:
 * @use: what the labels are exported for ("training", …): a label leaves only when its
 *   usage constraints allow @use
 * @n_withheld: (out) (optional): the labels the constraints kept back
 *
 * Writes the labels in item order, reading one row at a time; run it in a worker thread with
 * a connection of its own for a large sheet.
 */
gint64
dbw_canonical_ops_export_jsonl (DbwStore       *store,
                                const char     *sheet_id,
                                DbwLabelType    label_type,
                                const char     *use,
                                GOutputStream  *stream,
                                gint64         *n_withheld,
                                GCancellable   *cancellable,
                                GError        **error)
{
  g_autoptr(GString) out = g_string_sized_new (EXPORT_CHUNK + 4096);
  sqlite3_stmt *stmt;
  gint64 n = 0;
  gint64 withheld = 0;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (sheet_id != NULL, -1);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), -1);

  if (n_withheld != NULL)
    *n_withheld = 0;
  if (!dbw_use_is_valid (use))
    {
      g_set_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID,
                   _("“%s” is not a use of data"), use != NULL ? use : "");
      return -1;
    }

  /* CROSS JOIN keeps items outside, so rows come in item order without a sort. */
  stmt = _dbw_store_prepare (store,
                             "SELECT label.id, label.sheet_id, label.item_ref, label.label_type, label.label_data, "
                             "  label.confidence, label.notes, label.allowed_uses, label.prohibited_uses, "
                             "  label.usage_reason, label.data_classification, label.labeled_by, label.labeled_at, "
                             "  label.version "
                             "FROM items CROSS JOIN canonical_labels AS label "
                             "  ON label.sheet_id = items.sheet_id AND label.item_ref = items.item_ref AND label.label_type = ?2 "
                             "WHERE +items.sheet_id = ?1 AND " DBW_SQL_NEWEST_ITEM_VERSION " "
                             "ORDER BY items.rowid",
                             error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, label_type_nick (label_type), -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* The dual gate: a label leaves the project only for a use it is allowed for. */
      if (dbw_governance_check_json (DBW_QA_STATUS_LABELED, (const char *) sqlite3_column_text (stmt, 7),
                                     (const char *) sqlite3_column_text (stmt, 8), use) != DBW_GATE_PASS)
        {
          withheld++;
          continue;
        }

      append_label_line (out, stmt);
      n++;

      if (out->len >= EXPORT_CHUNK &&
          (g_cancellable_set_error_if_cancelled (cancellable, error) ||
           !flush_lines (stream, out, cancellable, error)))
        {
          _dbw_store_release (store, stmt);
          return -1;
        }
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "canonical_labels", error);
      return -1;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !flush_lines (stream, out, cancellable, error))
    return -1;

  if (n_withheld != NULL)
    *n_withheld = withheld;
  return n;
}
