/* dbw-sync-journal.c
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

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dbw-store-private.h"
#include "dbw-sync-journal.h"

/* The local half of syncing a project with a workspace: what is waiting to be pushed (the
 * outbox, filled by triggers, see migration 3 in dbw-schema.c), the rows as they travel,
 * and how rows changed by others are applied, concurrent edits included. No network here:
 * DbwSyncService moves the rows.
 *
 * Rules, the same on every client and in the workspace's MERGE (dbw-sync-statements.c):
 * - a MUTABLE row: the change with the later timestamp wins; on a tie the one pushed last.
 *   Without a timestamp column, the last push wins.
 * - a VERSIONED row (canonical labels): the higher version wins, then the later
 *   modification. When two edits were concurrent (same version, or a local edit not yet
 *   pushed) and differ, the losing one goes into canonical_label_history, flagged for
 *   review, under an id made of its content, so every client that sees the conflict files
 *   it under the same id.
 * - a deletion wins over any edit.
 * - a row whose parent is not here (deleted here, or never accepted) is not applied, unless
 *   it can do without it (ON DELETE SET NULL): then it is stored without the reference,
 *   which it gets if the parent arrives later in the same pull.
 * - a deletion of a row that rows here still need (ON DELETE RESTRICT: the sheet or
 *   template of a training sheet) is not applied: the row stays here.
 * - two canonical labels of one item and label type made under different ids are one
 *   label: the one that wins as above (then by id) keeps its id, and the other goes into
 *   its history, flagged, with its pairs and history moved over. */

struct _DbwSyncJournal
{
  GObject    parent_instance;

  DbwStore  *store;
  GPtrArray *tables;  /* of DbwSyncTable, parents before children */
  GPtrArray *links;   /* of PendingLink */
};

/* A pulled row stored without a reference to a row of its own table the workspace holds
 * on it (a column whose parent may go, ON DELETE SET NULL), since the parent was not here
 * when the row came: an item whose source version is on a later page of the pull. It gets
 * the reference when the parent arrives on a later page. */
typedef struct
{
  char *table;
  char *key_column;
  char *key;
  char *column;
  char *value;
  char *parent;
  char *parent_key;
} PendingLink;

static void
pending_link_free (PendingLink *link)
{
  g_free (link->table);
  g_free (link->key_column);
  g_free (link->key);
  g_free (link->column);
  g_free (link->value);
  g_free (link->parent);
  g_free (link->parent_key);
  g_free (link);
}

G_DEFINE_FINAL_TYPE (DbwSyncJournal, dbw_sync_journal, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-sync-error-quark, dbw_sync_error)

typedef struct
{
  const char       *name;
  const char       *key;
  DbwSyncTableKind  kind;
  const char       *timestamp;
} TableSpec;

/* Parents before children, so rows pulled in this order meet their foreign keys. */
static const TableSpec table_specs[] = {
  { "sheets", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "blobs", "hash", DBW_SYNC_TABLE_APPEND_ONLY, NULL },
  { "items", "id", DBW_SYNC_TABLE_MUTABLE, NULL },
  { "templates", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "canonical_labels", "id", DBW_SYNC_TABLE_VERSIONED, "last_modified_at" },
  { "canonical_label_history", "id", DBW_SYNC_TABLE_MUTABLE, NULL },
  { "training_sheets", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "qa_pairs", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "usage_constraint_audit", "id", DBW_SYNC_TABLE_APPEND_ONLY, NULL },
  { "example_store", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "example_usage", "id", DBW_SYNC_TABLE_APPEND_ONLY, NULL },
  { "job_runs", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "exports", "id", DBW_SYNC_TABLE_MUTABLE, NULL },
  { "model_training_lineage", "id", DBW_SYNC_TABLE_MUTABLE, NULL },
  { "dspy_runs", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "endpoints", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "tools", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "agents", "id", DBW_SYNC_TABLE_MUTABLE, "updated_at" },
  { "feedback", "id", DBW_SYNC_TABLE_MUTABLE, NULL },
};

/* Local-only columns: the row number of items (see migration 2) and blob contents, which
 * travel as files in the project's volume. */
static gboolean
is_local_column (const char *table,
                 const char *column)
{
  return (g_str_equal (table, "items") && g_str_equal (column, "seq")) ||
         (g_str_equal (table, "blobs") && g_str_equal (column, "data"));
}

static void
sync_table_free (DbwSyncTable *table)
{
  g_free (table->name);
  g_free (table->key);
  g_free (table->timestamp);
  g_strfreev (table->columns);
  g_free (table->types);
  g_free (table);
}

void
dbw_sync_batch_free (DbwSyncBatch *batch)
{
  if (batch == NULL)
    return;

  g_array_unref (batch->seqs);
  g_ptr_array_unref (batch->rows);
  g_ptr_array_unref (batch->deleted);
  g_free (batch);
}

static DbwSyncColumnType
column_type_for_declared (const char *declared)
{
  g_autofree char *upper = g_ascii_strup (declared != NULL ? declared : "", -1);

  /* SQLite's affinity rules, in its order. */
  if (strstr (upper, "INT") != NULL)
    return DBW_SYNC_COLUMN_INTEGER;
  if (strstr (upper, "CHAR") != NULL || strstr (upper, "CLOB") != NULL || strstr (upper, "TEXT") != NULL)
    return DBW_SYNC_COLUMN_TEXT;
  if (upper[0] == '\0' || strstr (upper, "BLOB") != NULL)
    return DBW_SYNC_COLUMN_BLOB;
  return DBW_SYNC_COLUMN_REAL;
}

static DbwSyncTable *
describe_table (DbwStore         *store,
                const TableSpec  *spec,
                GError          **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name, type FROM pragma_table_info ('%s') ORDER BY cid", spec->name);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (DbwSyncColumnType));
  DbwSyncTable *table;
  sqlite3_stmt *stmt;
  gboolean has_timestamp = FALSE;
  int rc;

  stmt = _dbw_store_prepare_transient (store, sql, error);
  if (stmt == NULL)
    return NULL;

  /* The key first, so a row's key is always its first value. */
  g_ptr_array_add (columns, g_strdup (spec->key));
  g_array_set_size (types, 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      DbwSyncColumnType type = column_type_for_declared ((const char *) sqlite3_column_text (stmt, 1));

      if (g_str_equal (name, spec->key))
        {
          g_array_index (types, DbwSyncColumnType, 0) = type;
          continue;
        }
      if (is_local_column (spec->name, name))
        continue;
      if (spec->timestamp != NULL && g_str_equal (name, spec->timestamp))
        has_timestamp = TRUE;
      g_ptr_array_add (columns, g_strdup (name));
      g_array_append_val (types, type);
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE || columns->len < 2)
    {
      g_ptr_array_foreach (columns, (GFunc) g_free, NULL);
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CORRUPT,
                   _("The project file “%s” has no table “%s” to sync"),
                   dbw_store_get_path (store), spec->name);
      return NULL;
    }
  g_ptr_array_add (columns, NULL);

  table = g_new0 (DbwSyncTable, 1);
  table->name = g_strdup (spec->name);
  table->key = g_strdup (spec->key);
  table->kind = spec->kind;
  table->timestamp = has_timestamp ? g_strdup (spec->timestamp) : NULL;
  table->n_columns = types->len;
  table->columns = (char **) g_ptr_array_steal (columns, NULL);
  table->types = (DbwSyncColumnType *) (void *) g_array_free (g_steal_pointer (&types), FALSE);

  return table;
}

static void
dbw_sync_journal_finalize (GObject *object)
{
  DbwSyncJournal *self = (DbwSyncJournal *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_sync_journal_parent_class)->finalize (object);
}

static void
dbw_sync_journal_class_init (DbwSyncJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_sync_journal_finalize;
}

static void
dbw_sync_journal_init (DbwSyncJournal *self)
{
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) sync_table_free);
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_link_free);
}

/**
 * dbw_sync_journal_new:
 * @store: a connection to the project, used from one thread only
 *
 * Returns: (transfer full): the journal, or %NULL if the project's tables cannot be read
 */
DbwSyncJournal *
dbw_sync_journal_new (DbwStore  *store,
                      GError   **error)
{
  g_autoptr(DbwSyncJournal) self = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_SYNC_JOURNAL, NULL);
  self->store = g_object_ref (store);

  for (guint i = 0; i < G_N_ELEMENTS (table_specs); i++)
    {
      DbwSyncTable *table = describe_table (store, &table_specs[i], error);

      if (table == NULL)
        return NULL;
      g_ptr_array_add (self->tables, table);
    }

  return g_steal_pointer (&self);
}

DbwStore *
dbw_sync_journal_get_store (DbwSyncJournal *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  return self->store;
}

/**
 * dbw_sync_journal_get_tables:
 *
 * Returns: (transfer none): the synced tables, parents before children
 */
const DbwSyncTable * const *
dbw_sync_journal_get_tables (DbwSyncJournal *self,
                             guint          *n_tables)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  if (n_tables != NULL)
    *n_tables = self->tables->len;
  return (const DbwSyncTable * const *) self->tables->pdata;
}

const DbwSyncTable *
dbw_sync_journal_find_table (DbwSyncJournal *self,
                             const char     *name)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  for (guint i = 0; i < self->tables->len; i++)
    {
      const DbwSyncTable *table = g_ptr_array_index (self->tables, i);

      if (g_str_equal (table->name, name))
        return table;
    }

  return NULL;
}

static guint
table_order (DbwSyncJournal *self,
             const char     *name)
{
  for (guint i = 0; i < self->tables->len; i++)
    if (g_str_equal (((DbwSyncTable *) g_ptr_array_index (self->tables, i))->name, name))
      return i;
  return G_MAXUINT;
}

/* sync_state */

static char *
get_state (DbwSyncJournal *self,
           const char     *key)
{
  return _dbw_store_select_value (self->store, "SELECT value FROM sync_state WHERE key = ?1", key);
}

static gboolean
set_state (DbwSyncJournal  *self,
           const char      *key,
           const char      *value,
           GError         **error)
{
  return _dbw_store_write_value (self->store,
                                 value != NULL ? "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)"
                                               : "DELETE FROM sync_state WHERE key = ?1",
                                 NULL, key, value, error);
}

static gboolean
exec (DbwSyncJournal  *self,
      const char      *sql,
      GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare_transient (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  _dbw_store_release (self->store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self->store, rc, NULL, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 255)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * dbw_sync_parse_target:
 * @target: "catalog.schema"
 *
 * Splits a sync target into its parts. Both must be plain identifiers (letters, digits,
 * underscores), which is what Unity Catalog names without quoting.
 */
gboolean
dbw_sync_parse_target (const char  *target,
                       char       **catalog,
                       char       **schema,
                       GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (target != NULL)
    parts = g_strsplit (target, ".", -1);
  if (parts == NULL || g_strv_length (parts) != 2 || !is_identifier (parts[0]) || !is_identifier (parts[1]))
    {
      g_set_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_TARGET,
                   _("“%s” is not a schema to sync with: give it as catalog.schema, in letters, digits and underscores"),
                   target != NULL ? target : "");
      return FALSE;
    }

  if (catalog != NULL)
    *catalog = g_strdup (parts[0]);
  if (schema != NULL)
    *schema = g_strdup (parts[1]);
  return TRUE;
}

/**
 * dbw_sync_journal_link:
 * @target: "catalog.schema" in the workspace
 *
 * Links the project to @target and queues every row for pushing, in one transaction. From
 * now on every change is queued by the project's triggers. Linking again to another
 * target starts over: everything is pushed there and its changes are read from the start.
 */
gboolean
dbw_sync_journal_link (DbwSyncJournal  *self,
                       const char      *target,
                       GError         **error)
{
  g_autofree char *client_id = NULL;
  g_autofree char *old_target = NULL;

  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), FALSE);

  if (!dbw_sync_parse_target (target, NULL, NULL, error))
    return FALSE;

  if (!dbw_store_begin (self->store, error))
    return FALSE;

  old_target = get_state (self, "target");
  client_id = get_state (self, "client_id");
  /* Starting over, the project reads every row again, its own earlier pushes included: a
   * pull skips the rows of its client id, so under the old one the rows it deleted while
   * unlinked would stay gone here and live everywhere else. */
  if (client_id == NULL || g_strcmp0 (old_target, target) != 0)
    {
      char id[37];

      _dbw_store_new_id (id);
      g_free (client_id);
      client_id = g_strdup (id);
    }

  if (!set_state (self, "client_id", client_id, error) ||
      !set_state (self, "target", target, error))
    goto failed;

  if (g_strcmp0 (old_target, target) != 0)
    {
      if (!set_state (self, "watermark", NULL, error) ||
          !exec (self, "DELETE FROM sync_outbox", error))
        goto failed;

      for (guint i = 0; i < self->tables->len; i++)
        {
          const DbwSyncTable *table = g_ptr_array_index (self->tables, i);
          g_autofree char *sql = NULL;

          sql = g_strdup_printf ("INSERT OR REPLACE INTO sync_outbox (table_name, row_id, op, queued_at) "
                                 "SELECT '%s', \"%s\", 'upsert', strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now') FROM \"%s\"",
                                 table->name, table->key, table->name);
          if (!exec (self, sql, error))
            goto failed;
        }
    }

  return dbw_store_commit (self->store, error);

failed:
  dbw_store_rollback (self->store);
  return FALSE;
}

/**
 * dbw_sync_journal_unlink:
 *
 * Stops syncing: forgets the target, the outbox, the watermark and what the sync service
 * remembered of the workspace (so linking again checks its tables again). Local data are
 * kept; linking again gives the project a new client id.
 */
gboolean
dbw_sync_journal_unlink (DbwSyncJournal  *self,
                         GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), FALSE);

  if (!dbw_store_begin (self->store, error))
    return FALSE;
  if (!exec (self, "DELETE FROM sync_state", error) ||
      !exec (self, "DELETE FROM sync_outbox", error))
    {
      dbw_store_rollback (self->store);
      return FALSE;
    }

  return dbw_store_commit (self->store, error);
}

/* Returns: (transfer full) (nullable): "catalog.schema", or %NULL when not linked */
char *
dbw_sync_journal_dup_target (DbwSyncJournal *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  return get_state (self, "target");
}

/* Returns: (transfer full) (nullable): this project copy's id among the clients of the target */
char *
dbw_sync_journal_dup_client_id (DbwSyncJournal *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  return get_state (self, "client_id");
}

/* Returns: (transfer full) (nullable): the workspace time up to which others' changes are
 * applied, or %NULL before the first pull */
char *
dbw_sync_journal_dup_watermark (DbwSyncJournal *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  return get_state (self, "watermark");
}

gboolean
dbw_sync_journal_set_watermark (DbwSyncJournal  *self,
                                const char      *watermark,
                                GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), FALSE);

  return set_state (self, "watermark", watermark, error);
}

/**
 * dbw_sync_journal_dup_state:
 * @key: a name of the sync service's own (not "target", "client_id", "watermark" or "applying")
 *
 * Returns: (transfer full) (nullable): the value kept under @key in the project
 */
char *
dbw_sync_journal_dup_state (DbwSyncJournal *self,
                            const char     *key)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  return get_state (self, key);
}

gboolean
dbw_sync_journal_set_state (DbwSyncJournal  *self,
                            const char      *key,
                            const char      *value,
                            GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), FALSE);

  return set_state (self, key, value, error);
}

/**
 * dbw_sync_journal_put_blob:
 *
 * Stores a blob that came from the workspace, without queueing it to be pushed back.
 *
 * Returns: (transfer full): its hash, or %NULL on error
 */
char *
dbw_sync_journal_put_blob (DbwSyncJournal  *self,
                           GBytes          *contents,
                           const char      *content_type,
                           GError         **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);

  if (!dbw_store_begin (self->store, error))
    return NULL;
  if (!set_state (self, "applying", "1", error) ||
      (hash = dbw_store_put_blob (self->store, contents, content_type, error)) == NULL ||
      !set_state (self, "applying", NULL, error) ||
      !dbw_store_commit (self->store, error))
    {
      dbw_store_rollback (self->store);
      return NULL;
    }

  return g_steal_pointer (&hash);
}

static gint64
count_query (DbwSyncJournal  *self,
             const char      *sql,
             GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  stmt = _dbw_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _dbw_store_set_error (self->store, rc, NULL, error);
  _dbw_store_release (self->store, stmt);

  return count;
}

/* Returns: the number of rows waiting to be pushed, or -1 on error */
gint64
dbw_sync_journal_count_pending (DbwSyncJournal  *self,
                                GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), -1);

  return count_query (self, "SELECT count (*) FROM sync_outbox", error);
}

/* Returns: the number of canonical label versions that lost a concurrent edit and await review */
gint64
dbw_sync_journal_count_flagged (DbwSyncJournal  *self,
                                GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), -1);

  return count_query (self, "SELECT count (*) FROM canonical_label_history WHERE flagged = 1", error);
}

/* Wire form */

static char *
column_to_wire (sqlite3_stmt *stmt,
                int           column)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      return NULL;
    case SQLITE_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
    case SQLITE_FLOAT:
      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, sqlite3_column_double (stmt, column)));
    case SQLITE_BLOB:
      return g_base64_encode (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
    default:
      return g_strdup ((const char *) sqlite3_column_text (stmt, column));
    }
}

static gboolean
bind_wire (sqlite3_stmt      *stmt,
           int                index,
           DbwSyncColumnType  type,
           const char        *value)
{
  char *end = NULL;

  if (value == NULL)
    return sqlite3_bind_null (stmt, index) == SQLITE_OK;

  switch (type)
    {
    case DBW_SYNC_COLUMN_INTEGER:
      {
        gint64 number = g_ascii_strtoll (value, &end, 10);

        if (end != value && *end == '\0')
          return sqlite3_bind_int64 (stmt, index, number) == SQLITE_OK;
        break;
      }
    case DBW_SYNC_COLUMN_REAL:
      {
        double number = g_ascii_strtod (value, &end);

        if (end != value && *end == '\0')
          return sqlite3_bind_double (stmt, index, number) == SQLITE_OK;
        break;
      }
    case DBW_SYNC_COLUMN_BLOB:
      {
        gsize length = 0;
        guchar *data = g_base64_decode (value, &length);

        return sqlite3_bind_blob64 (stmt, index, data, length, g_free) == SQLITE_OK;
      }
    case DBW_SYNC_COLUMN_TEXT:
    default:
      break;
    }

  /* Text where a number was expected: the column's CHECK or affinity decides. */
  return sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

/* Two wire values of one column say the same (numbers as numbers: the workspace may spell
 * 0.5 as 5.0E-1). */
static gboolean
wire_equal (DbwSyncColumnType  type,
            const char        *a,
            const char        *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  if (type == DBW_SYNC_COLUMN_REAL || type == DBW_SYNC_COLUMN_INTEGER)
    {
      char *end_a = NULL, *end_b = NULL;
      double x = g_ascii_strtod (a, &end_a);
      double y = g_ascii_strtod (b, &end_b);

      if (*end_a == '\0' && *end_b == '\0')
        return x == y;
    }

  return g_str_equal (a, b);
}

/* The table's columns of the rows that meet @condition; by the row's key (?1) when %NULL. */
static char *
select_columns_sql (const DbwSyncTable *table,
                    const char         *condition)
{
  GString *sql = g_string_new ("SELECT ");

  for (guint i = 0; i < table->n_columns; i++)
    g_string_append_printf (sql, "%s\"%s\"", i > 0 ? ", " : "", table->columns[i]);
  g_string_append_printf (sql, " FROM \"%s\" WHERE ", table->name);
  if (condition != NULL)
    g_string_append (sql, condition);
  else
    g_string_append_printf (sql, "\"%s\" = ?1", table->key);

  return g_string_free (sql, FALSE);
}

/* A row: a GPtrArray of wire values (char *, %NULL for SQL NULL). */
static GPtrArray *
read_row (sqlite3_stmt *stmt,
          guint         n_columns)
{
  GPtrArray *row = g_ptr_array_new_full (n_columns, g_free);

  for (guint i = 0; i < n_columns; i++)
    g_ptr_array_add (row, column_to_wire (stmt, i));

  return row;
}

/**
 * dbw_sync_journal_next_batch:
 * @max_rows: at most this many outbox entries
 *
 * Reads the oldest outbox entries of the first table, in parent-before-child order, that
 * has any, with the current values of the rows to upsert. Each row in @batch->rows is a
 * GPtrArray of the table's n_columns wire values.
 *
 * Returns: (transfer full) (nullable): the batch, or %NULL with no error when nothing waits
 */
DbwSyncBatch *
dbw_sync_journal_next_batch (DbwSyncJournal  *self,
                             guint            max_rows,
                             GError         **error)
{
  g_autoptr(DbwSyncBatch) batch = NULL;
  g_autofree char *row_sql = NULL;
  const DbwSyncTable *table = NULL;
  sqlite3_stmt *stmt;
  sqlite3_stmt *row_stmt;
  guint best = G_MAXUINT;
  int rc;

  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), NULL);
  g_return_val_if_fail (max_rows > 0, NULL);

  stmt = _dbw_store_prepare (self->store, "SELECT DISTINCT table_name FROM sync_outbox", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint order = table_order (self, (const char *) sqlite3_column_text (stmt, 0));

      if (order < best)
        best = order;
    }
  _dbw_store_release (self->store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self->store, rc, "sync_outbox", error);
      return NULL;
    }
  if (best == G_MAXUINT)
    return NULL;
  table = g_ptr_array_index (self->tables, best);

  batch = g_new0 (DbwSyncBatch, 1);
  batch->table = table;
  batch->seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  batch->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  batch->deleted = g_ptr_array_new_with_free_func (g_free);

  row_sql = select_columns_sql (table, NULL);
  row_stmt = _dbw_store_prepare_transient (self->store, row_sql, error);
  if (row_stmt == NULL)
    return NULL;

  stmt = _dbw_store_prepare (self->store,
                             "SELECT seq, row_id, op FROM sync_outbox WHERE table_name = ?1 ORDER BY seq LIMIT ?2",
                             error);
  if (stmt == NULL)
    {
      _dbw_store_release (self->store, row_stmt);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, max_rows);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *row_id = (const char *) sqlite3_column_text (stmt, 1);
      const char *op = (const char *) sqlite3_column_text (stmt, 2);

      g_array_append_val (batch->seqs, seq);
      if (g_str_equal (op, "delete"))
        {
          g_ptr_array_add (batch->deleted, g_strdup (row_id));
          continue;
        }

      sqlite3_reset (row_stmt);
      sqlite3_bind_text (row_stmt, 1, row_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (row_stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (batch->rows, read_row (row_stmt, table->n_columns));
      else if (rc != SQLITE_DONE)
        break;
      /* A row gone since it was queued has queued its deletion too, which replaced this. */
    }
  _dbw_store_release (self->store, stmt);
  _dbw_store_release (self->store, row_stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self->store, rc, table->name, error);
      return NULL;
    }

  return g_steal_pointer (&batch);
}

/**
 * dbw_sync_journal_ack:
 * @batch: a batch the workspace has taken
 *
 * Removes @batch's outbox entries. A row changed again since the batch was read has a
 * newer entry, which stays.
 */
gboolean
dbw_sync_journal_ack (DbwSyncJournal  *self,
                      DbwSyncBatch    *batch,
                      GError         **error)
{
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (!dbw_store_begin (self->store, error))
    return FALSE;

  stmt = _dbw_store_prepare (self->store, "DELETE FROM sync_outbox WHERE seq = ?1", error);
  if (stmt == NULL)
    {
      dbw_store_rollback (self->store);
      return FALSE;
    }
  for (guint i = 0; i < batch->seqs->len && rc == SQLITE_DONE; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (batch->seqs, gint64, i));
      rc = sqlite3_step (stmt);
    }
  _dbw_store_release (self->store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self->store, rc, "sync_outbox", error);
      dbw_store_rollback (self->store);
      return FALSE;
    }

  return dbw_store_commit (self->store, error);
}

/* Applying rows */

/* The columns that make a canonical label one label, whatever its id. */
static const char * const label_natural_key[] = { "sheet_id", "item_ref", "label_type" };

/* A reference of the table being applied to its parent. */
typedef struct
{
  int           column;    /* in the table's columns */
  gboolean      set_null;  /* ON DELETE SET NULL: the row can do without its parent */
  char         *parent;
  char         *parent_key;
  sqlite3_stmt *exists;
} ForeignKey;

/* Rows of another table that keep a row of the table being applied from being deleted
 * (ON DELETE RESTRICT or NO ACTION). */
typedef struct
{
  char         *child;
  sqlite3_stmt *exists;
} Blocker;

typedef struct
{
  DbwSyncJournal     *self;
  const DbwSyncTable *table;
  int                *source;  /* table column → index in the incoming row, or -1 */
  sqlite3_stmt       *select;
  sqlite3_stmt       *insert;
  sqlite3_stmt       *update;
  sqlite3_stmt       *delete;
  sqlite3_stmt       *pending;
  sqlite3_stmt       *unqueue;
  sqlite3_stmt       *file_loser;
  sqlite3_stmt       *queue;
  sqlite3_stmt       *queue_delete;
  sqlite3_stmt       *twin;    /* VERSIONED: the label of the same item and label type */
  GArray             *foreign_keys;
  GArray             *blockers;
} Applier;

static void
applier_clear (Applier *applier)
{
  DbwStore *store = applier->self->store;

  g_clear_pointer (&applier->source, g_free);
  _dbw_store_release (store, applier->select);
  _dbw_store_release (store, applier->insert);
  _dbw_store_release (store, applier->update);
  _dbw_store_release (store, applier->delete);
  _dbw_store_release (store, applier->pending);
  _dbw_store_release (store, applier->unqueue);
  _dbw_store_release (store, applier->file_loser);
  _dbw_store_release (store, applier->queue);
  _dbw_store_release (store, applier->queue_delete);
  _dbw_store_release (store, applier->twin);
  applier->select = applier->insert = applier->update = applier->delete = NULL;
  applier->pending = applier->unqueue = applier->file_loser = applier->queue = NULL;
  applier->queue_delete = applier->twin = NULL;

  for (guint i = 0; applier->foreign_keys != NULL && i < applier->foreign_keys->len; i++)
    {
      ForeignKey *fk = &g_array_index (applier->foreign_keys, ForeignKey, i);

      g_free (fk->parent);
      g_free (fk->parent_key);
      _dbw_store_release (store, fk->exists);
    }
  g_clear_pointer (&applier->foreign_keys, g_array_unref);

  for (guint i = 0; applier->blockers != NULL && i < applier->blockers->len; i++)
    {
      Blocker *blocker = &g_array_index (applier->blockers, Blocker, i);

      g_free (blocker->child);
      _dbw_store_release (store, blocker->exists);
    }
  g_clear_pointer (&applier->blockers, g_array_unref);
}

static int find_column (const DbwSyncTable *table,
                        const char         *name);

/* The table's references to parents, and the references to it that keep its rows. The
 * names come from the project's own schema. */
static gboolean
applier_prepare_references (Applier  *applier,
                            GError  **error)
{
  const DbwSyncTable *table = applier->table;
  DbwStore *store = applier->self->store;
  sqlite3_stmt *stmt;
  int rc;

  applier->foreign_keys = g_array_new (FALSE, TRUE, sizeof (ForeignKey));
  applier->blockers = g_array_new (FALSE, TRUE, sizeof (Blocker));

  stmt = _dbw_store_prepare_transient (store,
                                       "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list (?1)",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *from = (const char *) sqlite3_column_text (stmt, 0);
      const char *parent = (const char *) sqlite3_column_text (stmt, 1);
      const char *to = (const char *) sqlite3_column_text (stmt, 2);
      const char *on_delete = (const char *) sqlite3_column_text (stmt, 3);
      ForeignKey fk = { find_column (table, from), g_strcmp0 (on_delete, "SET NULL") == 0, };
      g_autofree char *sql = NULL;

      /* Every reference of the schema names the column it refers to. */
      if (fk.column < 0 || to == NULL)
        continue;
      fk.parent = g_strdup (parent);
      fk.parent_key = g_strdup (to);
      sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1", parent, to);
      fk.exists = _dbw_store_prepare_transient (store, sql, error);
      g_array_append_val (applier->foreign_keys, fk);
      if (fk.exists == NULL)
        {
          _dbw_store_release (store, stmt);
          return FALSE;
        }
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, table->name, error);
      return FALSE;
    }

  stmt = _dbw_store_prepare_transient (store,
                                       "SELECT m.name, f.\"from\" FROM sqlite_master AS m, pragma_foreign_key_list (m.name) AS f "
                                       "WHERE m.type = 'table' AND f.\"table\" = ?1 AND f.\"to\" = ?2 "
                                       "AND f.on_delete IN ('RESTRICT', 'NO ACTION')",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, table->key, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *child = (const char *) sqlite3_column_text (stmt, 0);
      const char *from = (const char *) sqlite3_column_text (stmt, 1);
      Blocker blocker = { g_strdup (child), };
      g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1 LIMIT 1", child, from);

      blocker.exists = _dbw_store_prepare_transient (store, sql, error);
      g_array_append_val (applier->blockers, blocker);
      if (blocker.exists == NULL)
        {
          _dbw_store_release (store, stmt);
          return FALSE;
        }
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, table->name, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
applier_prepare (Applier  *applier,
                 GError  **error)
{
  const DbwSyncTable *table = applier->table;
  DbwStore *store = applier->self->store;
  g_autoptr(GString) insert = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) update = g_string_new (NULL);
  g_autofree char *select = select_columns_sql (table, NULL);
  g_autofree char *delete = g_strdup_printf ("DELETE FROM \"%s\" WHERE \"%s\" = ?1", table->name, table->key);

  /* Only the columns the workspace sent: a column it lacks keeps its local value or default. */
  g_string_append_printf (insert, "INSERT INTO \"%s\" (", table->name);
  g_string_append_printf (update, "UPDATE \"%s\" SET ", table->name);
  for (guint i = 0, n = 0; i < table->n_columns; i++)
    {
      if (applier->source[i] < 0)
        continue;
      g_string_append_printf (insert, "%s\"%s\"", n > 0 ? ", " : "", table->columns[i]);
      g_string_append_printf (values, "%s?%u", n > 0 ? ", " : "", i + 1);
      if (i > 0)
        g_string_append_printf (update, "%s\"%s\" = ?%u", update->str[update->len - 1] == ' ' ? "" : ", ",
                                table->columns[i], i + 1);
      n++;
    }
  g_string_append_printf (insert, ") VALUES (%s) ON CONFLICT DO NOTHING", values->str);
  g_string_append_printf (update, " WHERE \"%s\" = ?1", table->key);

  applier->select = _dbw_store_prepare_transient (store, select, error);
  applier->insert = applier->select ? _dbw_store_prepare_transient (store, insert->str, error) : NULL;
  applier->update = applier->insert ? _dbw_store_prepare_transient (store, update->str, error) : NULL;
  applier->delete = applier->update ? _dbw_store_prepare_transient (store, delete, error) : NULL;
  applier->pending = applier->delete ? _dbw_store_prepare (store, "SELECT 1 FROM sync_outbox WHERE table_name = ?1 AND row_id = ?2", error) : NULL;
  applier->unqueue = applier->pending ? _dbw_store_prepare (store, "DELETE FROM sync_outbox WHERE table_name = ?1 AND row_id = ?2", error) : NULL;
  applier->queue = applier->unqueue ? _dbw_store_prepare (store,
                                                          "INSERT OR REPLACE INTO sync_outbox (table_name, row_id, op, queued_at) "
                                                          "VALUES (?1, ?2, 'upsert', strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                                                          error) : NULL;
  applier->queue_delete = applier->queue ? _dbw_store_prepare (store,
                                                                "INSERT OR REPLACE INTO sync_outbox (table_name, row_id, op, queued_at) "
                                                                "VALUES (?1, ?2, 'delete', strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                                                                error) : NULL;
  if (applier->queue_delete == NULL || !applier_prepare_references (applier, error))
    return FALSE;

  if (table->kind == DBW_SYNC_TABLE_VERSIONED)
    {
      /* The label of the same item and label type, whatever its id. */
      g_autofree char *condition = g_strdup_printf ("\"%s\" = ?1 AND \"%s\" = ?2 AND \"%s\" = ?3",
                                                    label_natural_key[0], label_natural_key[1],
                                                    label_natural_key[2]);
      g_autofree char *twin = select_columns_sql (table, condition);

      applier->twin = _dbw_store_prepare_transient (store, twin, error);
      applier->file_loser = applier->twin ? _dbw_store_prepare (store,
                                                                "INSERT INTO canonical_label_history (id, canonical_label_id, version, label_data,"
                                                                " confidence, notes, allowed_uses, prohibited_uses, usage_reason, data_classification,"
                                                                " modified_by, modified_at, flagged)"
                                                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)"
                                                                " ON CONFLICT (id) DO NOTHING",
                                                                error) : NULL;
      if (applier->file_loser == NULL)
        return FALSE;
    }

  return TRUE;
}

static int
find_column (const DbwSyncTable *table,
             const char         *name)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (g_str_equal (table->columns[i], name))
      return i;
  return -1;
}

static const char *
row_value (GPtrArray          *row,
           const DbwSyncTable *table,
           const char         *name)
{
  int column = find_column (table, name);

  return column >= 0 && (guint) column < row->len ? g_ptr_array_index (row, column) : NULL;
}

static gboolean
is_pending (Applier    *applier,
            const char *key)
{
  gboolean pending;

  sqlite3_reset (applier->pending);
  sqlite3_bind_text (applier->pending, 1, applier->table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (applier->pending, 2, key, -1, SQLITE_TRANSIENT);
  pending = sqlite3_step (applier->pending) == SQLITE_ROW;
  sqlite3_reset (applier->pending);

  return pending;
}

static int
step_keyed (sqlite3_stmt *stmt,
            const char   *table,
            const char   *key)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  return rc;
}

static int
compare_nullable (const char *a,
                  const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}

/* Files a canonical label version that lost a concurrent edit in the history of the label
 * @label_id, flagged, under an id every client derives from the same content. */
static int
file_loser (Applier    *applier,
            GPtrArray  *row,
            const char *label_id)
{
  const DbwSyncTable *table = applier->table;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *id = NULL;
  const char *by;
  const char *at;
  sqlite3_stmt *stmt = applier->file_loser;
  int rc;

  for (guint i = 1; i < table->n_columns; i++)
    {
      const char *value = g_ptr_array_index (row, i);

      /* NULL and "" must differ: a tag byte before each value. */
      g_checksum_update (checksum, (const guchar *) (value != NULL ? "v" : "n"), 1);
      if (value != NULL)
        g_checksum_update (checksum, (const guchar *) value, strlen (value) + 1);
    }
  id = g_strdup_printf ("%s:%s:%.16s", (const char *) g_ptr_array_index (row, 0),
                        row_value (row, table, "version"), g_checksum_get_string (checksum));

  by = row_value (row, table, "last_modified_by");
  if (by == NULL)
    by = row_value (row, table, "labeled_by");
  at = row_value (row, table, "last_modified_at");
  if (at == NULL)
    at = row_value (row, table, "labeled_at");
  if (at == NULL)
    at = row_value (row, table, "created_at");

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, label_id, -1, SQLITE_TRANSIENT);
  bind_wire (stmt, 3, DBW_SYNC_COLUMN_INTEGER, row_value (row, table, "version"));
  bind_wire (stmt, 4, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "label_data"));
  bind_wire (stmt, 5, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "confidence"));
  bind_wire (stmt, 6, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "notes"));
  bind_wire (stmt, 7, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "allowed_uses"));
  bind_wire (stmt, 8, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "prohibited_uses"));
  bind_wire (stmt, 9, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "usage_reason"));
  bind_wire (stmt, 10, DBW_SYNC_COLUMN_TEXT, row_value (row, table, "data_classification"));
  bind_wire (stmt, 11, DBW_SYNC_COLUMN_TEXT, by);
  bind_wire (stmt, 12, DBW_SYNC_COLUMN_TEXT, at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return rc;

  /* Other clients learn of the conflict through the history table. */
  return step_keyed (applier->queue, "canonical_label_history", id);
}

static int
bind_row (sqlite3_stmt       *stmt,
          const DbwSyncTable *table,
          const int          *source,
          GPtrArray          *row)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  for (guint i = 0; i < table->n_columns; i++)
    if (source[i] >= 0 && !bind_wire (stmt, i + 1, table->types[i], g_ptr_array_index (row, source[i])))
      return SQLITE_NOMEM;
  return SQLITE_OK;
}

/**
 * dbw_sync_wire_is_true:
 *
 * Returns: whether a wire value is a true boolean, as a workspace ("true") or SQLite ("1")
 *   spells it
 */
gboolean
dbw_sync_wire_is_true (const char *value)
{
  return value != NULL && (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"));
}

/* Steps @stmt once with @value as ?1. */
static int
step_with_key (sqlite3_stmt *stmt,
               const char   *value)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  return rc;
}

/* The table whose rows still need the row @key, or %NULL. */
static const char *
find_blocker (Applier    *applier,
              const char *key)
{
  for (guint i = 0; i < applier->blockers->len; i++)
    {
      Blocker *blocker = &g_array_index (applier->blockers, Blocker, i);

      if (step_with_key (blocker->exists, key) == SQLITE_ROW)
        return blocker->child;
    }

  return NULL;
}

/* Whether @incoming's parents are here. A reference the row can do without is dropped
 * from a copy of it (then returned in @adjusted) and remembered, to be made when the parent
 * comes. */
static gboolean
check_parents (Applier    *applier,
               const char *key,
               GPtrArray  *incoming,
               GPtrArray **adjusted)
{
  const DbwSyncTable *table = applier->table;

  *adjusted = NULL;
  for (guint i = 0; i < applier->foreign_keys->len; i++)
    {
      ForeignKey *fk = &g_array_index (applier->foreign_keys, ForeignKey, i);
      int source = applier->source[fk->column];
      const char *value = source >= 0 ? g_ptr_array_index (incoming, source) : NULL;
      PendingLink *link;

      if (value == NULL || step_with_key (fk->exists, value) == SQLITE_ROW ||
          (g_str_equal (fk->parent, table->name) && g_str_equal (value, key)))
        continue;

      if (!fk->set_null)
        {
          g_info ("Not applying %s %s from the workspace: its %s %s is not in this project",
                  table->name, key, fk->parent, value);
          g_clear_pointer (adjusted, g_ptr_array_unref);
          return FALSE;
        }

      if (*adjusted == NULL)
        {
          /* The copy would take the free function too: its values stay @incoming's. */
          *adjusted = g_ptr_array_copy (incoming, NULL, NULL);
          g_ptr_array_set_free_func (*adjusted, NULL);
        }
      g_ptr_array_index (*adjusted, source) = NULL;

      /* Parents in other tables were pulled before: one missing now is gone for good. */
      if (!g_str_equal (fk->parent, table->name))
        continue;

      link = g_new0 (PendingLink, 1);
      link->table = g_strdup (table->name);
      link->key_column = g_strdup (table->key);
      link->key = g_strdup (key);
      link->column = g_strdup (table->columns[fk->column]);
      link->value = g_strdup (value);
      link->parent = g_strdup (fk->parent);
      link->parent_key = g_strdup (fk->parent_key);
      g_ptr_array_add (applier->self->links, link);
    }

  return TRUE;
}

/* Makes the references of @table's rows whose parents have come since; the others wait
 * for the table's next page. Those of tables pulled before are given up. */
static gboolean
resolve_links (DbwSyncJournal      *self,
               const DbwSyncTable  *table,
               GError             **error)
{
  for (guint i = self->links->len; i > 0; i--)
    {
      PendingLink *link = g_ptr_array_index (self->links, i - 1);
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      int rc;

      if (!g_str_equal (link->table, table->name))
        {
          g_ptr_array_remove_index_fast (self->links, i - 1);
          continue;
        }

      sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?1 WHERE \"%s\" = ?2 AND \"%s\" IS NULL "
                             "AND EXISTS (SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1)",
                             link->table, link->column, link->key_column, link->column,
                             link->parent, link->parent_key);
      stmt = _dbw_store_prepare_transient (self->store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, link->value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, link->key, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      _dbw_store_release (self->store, stmt);
      if (rc != SQLITE_DONE)
        {
          _dbw_store_set_error (self->store, rc, link->table, error);
          return FALSE;
        }
      if (sqlite3_changes (_dbw_store_get_db (self->store)) > 0)
        g_ptr_array_remove_index_fast (self->links, i - 1);
    }

  return TRUE;
}

/* Runs @sql, which changes rows of @table and returns their keys, and queues each for
 * pushing: rows the sync service changes are not queued by the triggers. */
static int
update_and_queue (Applier    *applier,
                  const char *table,
                  const char *sql,
                  const char *winner,
                  const char *loser)
{
  DbwStore *store = applier->self->store;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _dbw_store_prepare_transient (store, sql, NULL);
  int rc;

  if (stmt == NULL)
    return SQLITE_ERROR;
  sqlite3_bind_text (stmt, 1, winner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, loser, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  _dbw_store_release (store, stmt);

  for (guint i = 0; rc == SQLITE_DONE && i < keys->len; i++)
    rc = step_keyed (applier->queue, table, g_ptr_array_index (keys, i));

  return rc;
}

static gint64
row_version (GPtrArray          *row,
             const DbwSyncTable *table)
{
  const char *version = row_value (row, table, "version");

  return version != NULL ? g_ascii_strtoll (version, NULL, 10) : 0;
}

/* -1, 0 or 1 as canonical label @a is older than, as new as, or newer than @b: its version,
 * then its last modification. */
static int
compare_versions (const DbwSyncTable *table,
                  GPtrArray          *a,
                  GPtrArray          *b)
{
  gint64 va = row_version (a, table);
  gint64 vb = row_version (b, table);
  int order = (va > vb) - (va < vb);

  if (order == 0 && table->timestamp != NULL)
    order = compare_nullable (row_value (a, table, table->timestamp), row_value (b, table, table->timestamp));

  return (order > 0) - (order < 0);
}

typedef enum
{
  APPLIED_UNCHANGED,
  APPLIED_INSERTED,
  APPLIED_UPDATED,
  APPLIED_DELETED,
  APPLIED_REJECTED,
} Applied;

/* The label @remote came under another id than @twin, ours of the same item and label
 * type: made on two computers before either knew of the other's. The one every client
 * finds newer, or else the one with the greater id, stays; the other goes into its
 * history, flagged, and what referred to it refers to the one that stays. */
static Applied
apply_twin (Applier    *applier,
            GPtrArray  *incoming,
            GPtrArray  *remote,
            GPtrArray  *twin,
            GError    **error)
{
  const DbwSyncTable *table = applier->table;
  const char *remote_key = g_ptr_array_index (remote, 0);
  const char *local_key = g_ptr_array_index (twin, 0);
  int order = compare_versions (table, remote, twin);
  int rc;

  if (order == 0)
    order = strcmp (remote_key, local_key);

  if (order < 0)
    {
      rc = file_loser (applier, remote, local_key);
      if (rc != SQLITE_DONE)
        goto failed;
      return APPLIED_UNCHANGED;
    }

  rc = file_loser (applier, twin, remote_key);
  if (rc == SQLITE_DONE)
    rc = update_and_queue (applier, "canonical_label_history",
                           "UPDATE canonical_label_history SET canonical_label_id = ?1 "
                           "WHERE canonical_label_id = ?2 RETURNING id",
                           remote_key, local_key);
  if (rc == SQLITE_DONE)
    rc = update_and_queue (applier, "qa_pairs",
                           "UPDATE qa_pairs SET canonical_label_id = ?1 WHERE canonical_label_id = ?2 RETURNING id",
                           remote_key, local_key);
  if (rc == SQLITE_DONE)
    rc = step_with_key (applier->delete, local_key);
  if (rc == SQLITE_DONE)
    rc = step_keyed (applier->queue_delete, table->name, local_key);
  if (rc == SQLITE_DONE && bind_row (applier->insert, table, applier->source, incoming) != SQLITE_OK)
    rc = SQLITE_NOMEM;
  if (rc == SQLITE_DONE)
    {
      rc = sqlite3_step (applier->insert);
      sqlite3_reset (applier->insert);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  return APPLIED_INSERTED;

failed:
  _dbw_store_set_error (applier->self->store, rc, table->name, error);
  return APPLIED_REJECTED;
}

static GPtrArray *
find_twin (Applier   *applier,
           GPtrArray *remote)
{
  const DbwSyncTable *table = applier->table;
  GPtrArray *twin = NULL;

  sqlite3_reset (applier->twin);
  for (guint i = 0; i < G_N_ELEMENTS (label_natural_key); i++)
    bind_wire (applier->twin, i + 1, DBW_SYNC_COLUMN_TEXT, row_value (remote, table, label_natural_key[i]));
  if (sqlite3_step (applier->twin) == SQLITE_ROW)
    twin = read_row (applier->twin, table->n_columns);
  sqlite3_reset (applier->twin);

  return twin;
}

static Applied
apply_row (Applier    *applier,
           GPtrArray  *incoming,
           int         deleted_column,
           gboolean   *conflict,
           GError    **error)
{
  g_autoptr(GPtrArray) adjusted = NULL;
  const DbwSyncTable *table = applier->table;
  g_autoptr(GPtrArray) remote = g_ptr_array_new ();
  g_autoptr(GPtrArray) local = NULL;
  const char *key = g_ptr_array_index (incoming, applier->source[0]);
  gboolean pending;
  gboolean remote_wins;
  gboolean same = TRUE;
  int rc;

  *conflict = FALSE;
  if (key == NULL)
    return APPLIED_REJECTED;

  if (deleted_column >= 0 && dbw_sync_wire_is_true (g_ptr_array_index (incoming, deleted_column)))
    {
      const char *blocker = find_blocker (applier, key);

      if (blocker != NULL)
        {
          g_info ("Not deleting %s %s as the workspace asks: rows of %s here still need it",
                  table->name, key, blocker);
          return APPLIED_REJECTED;
        }

      rc = step_with_key (applier->delete, key);
      if (rc != SQLITE_DONE)
        goto failed;
      if (sqlite3_changes (_dbw_store_get_db (applier->self->store)) == 0)
        return APPLIED_UNCHANGED;
      step_keyed (applier->unqueue, table->name, key);
      return APPLIED_DELETED;
    }

  if (!check_parents (applier, key, incoming, &adjusted))
    return APPLIED_REJECTED;
  if (adjusted != NULL)
    incoming = adjusted;

  /* The incoming row in the table's column order; a column it lacks reads as NULL. */
  for (guint i = 0; i < table->n_columns; i++)
    g_ptr_array_add (remote, applier->source[i] >= 0 ? g_ptr_array_index (incoming, applier->source[i]) : NULL);

  sqlite3_reset (applier->select);
  sqlite3_bind_text (applier->select, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (applier->select);
  if (rc == SQLITE_ROW)
    local = read_row (applier->select, table->n_columns);
  sqlite3_reset (applier->select);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto failed;

  if (local == NULL)
    {
      g_autoptr(GPtrArray) twin = NULL;

      /* Gone here with its deletion still queued: the deletion wins over any edit. */
      if (is_pending (applier, key))
        return APPLIED_UNCHANGED;

      if (applier->twin != NULL && (twin = find_twin (applier, remote)) != NULL)
        {
          *conflict = TRUE;
          return apply_twin (applier, incoming, remote, twin, error);
        }

      if (bind_row (applier->insert, table, applier->source, incoming) != SQLITE_OK)
        goto failed;
      rc = sqlite3_step (applier->insert);
      sqlite3_reset (applier->insert);
      if (rc == SQLITE_DONE && sqlite3_changes (_dbw_store_get_db (applier->self->store)) > 0)
        return APPLIED_INSERTED;
      if (rc == SQLITE_DONE || (rc & 0xff) == SQLITE_CONSTRAINT)
        {
          /* Another row holds its unique values, or it breaks a rule of this project. */
          g_info ("Not applying %s %s from the workspace: %s", table->name, key,
                  rc == SQLITE_DONE ? "a row with the same unique values exists"
                                    : sqlite3_errmsg (_dbw_store_get_db (applier->self->store)));
          return APPLIED_REJECTED;
        }
      goto failed;
    }

  for (guint i = 0; i < table->n_columns && same; i++)
    if (applier->source[i] >= 0)
      same = wire_equal (table->types[i], g_ptr_array_index (local, i), g_ptr_array_index (remote, i));
  if (same)
    return APPLIED_UNCHANGED;

  pending = is_pending (applier, key);
  switch (table->kind)
    {
    case DBW_SYNC_TABLE_APPEND_ONLY:
      return APPLIED_UNCHANGED;

    case DBW_SYNC_TABLE_VERSIONED:
      {
        int order = compare_versions (table, remote, local);

        remote_wins = order > 0 || (order == 0 && !pending);
        /* A fast-forward over an old local version, or a stale copy of one already
         * pushed, is no conflict; an unpushed local edit or two edits of one version are. */
        *conflict = pending || row_version (remote, table) == row_version (local, table);
        break;
      }

    case DBW_SYNC_TABLE_MUTABLE:
    default:
      if (table->timestamp != NULL)
        {
          int order = compare_nullable (row_value (remote, table, table->timestamp),
                                        row_value (local, table, table->timestamp));

          remote_wins = order > 0 || (order == 0 && !pending);
        }
      else
        remote_wins = !pending;
      break;
    }

  if (*conflict)
    {
      rc = file_loser (applier, remote_wins ? local : remote, key);
      if (rc != SQLITE_DONE)
        goto failed;
    }

  if (!remote_wins)
    return APPLIED_UNCHANGED;

  if (bind_row (applier->update, table, applier->source, incoming) != SQLITE_OK)
    goto failed;
  rc = sqlite3_step (applier->update);
  sqlite3_reset (applier->update);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_info ("Not applying %s %s from the workspace: %s", table->name, key,
              sqlite3_errmsg (_dbw_store_get_db (applier->self->store)));
      return APPLIED_REJECTED;
    }
  if (rc != SQLITE_DONE)
    goto failed;
  step_keyed (applier->unqueue, table->name, key);

  return APPLIED_UPDATED;

failed:
  _dbw_store_set_error (applier->self->store, rc, table->name, error);
  return APPLIED_REJECTED;
}

/**
 * dbw_sync_journal_apply:
 * @table: the table the rows belong to
 * @n_columns: the number of columns in each row
 * @column_names: (array length=n_columns): the name of each column; a `_sync_deleted`
 *   column marks deletions
 * @rows: (element-type GPtrArray): rows of wire values, changed by other clients
 * @stats: (out caller-allocates) (optional): what became of them
 *
 * Applies changes made by others in one transaction, with the rules at the top of this
 * file. A row that breaks a rule of this project (a CHECK, a unique value held by another
 * row) is counted as rejected and skipped; an error leaves the project as it was.
 */
gboolean
dbw_sync_journal_apply (DbwSyncJournal      *self,
                        const DbwSyncTable  *table,
                        guint                n_columns,
                        const char * const  *column_names,
                        GPtrArray           *rows,
                        DbwSyncApplyStats   *stats,
                        GError             **error)
{
  Applier applier = { self, table, NULL, };
  DbwSyncApplyStats counts = { 0, };
  int deleted_column = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (DBW_IS_SYNC_JOURNAL (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  applier.source = g_new (int, table->n_columns);
  for (guint i = 0; i < table->n_columns; i++)
    applier.source[i] = -1;
  for (guint j = 0; j < n_columns; j++)
    {
      int column = find_column (table, column_names[j]);

      if (column >= 0)
        applier.source[column] = j;
      else if (g_str_equal (column_names[j], "_sync_deleted"))
        deleted_column = j;
    }
  if (applier.source[0] < 0)
    {
      g_set_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_ROW,
                   _("The workspace’s table “%s” has no column “%s”"), table->name, table->key);
      g_free (applier.source);
      return FALSE;
    }

  if (!dbw_store_begin (self->store, error))
    {
      g_free (applier.source);
      return FALSE;
    }

  /* Parents of a row may come later in this pull; foreign keys are checked at commit. */
  if (!exec (self, "PRAGMA defer_foreign_keys = ON", error) ||
      !set_state (self, "applying", "1", error) ||
      !applier_prepare (&applier, error))
    goto out;

  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (rows, i);
      GError *row_error = NULL;
      gboolean conflict = FALSE;

      if (row->len < n_columns)
        {
          counts.rejected++;
          continue;
        }

      switch (apply_row (&applier, row, deleted_column, &conflict, &row_error))
        {
        case APPLIED_INSERTED: counts.inserted++; break;
        case APPLIED_UPDATED: counts.updated++; break;
        case APPLIED_DELETED: counts.deleted++; break;
        case APPLIED_UNCHANGED: counts.unchanged++; break;
        case APPLIED_REJECTED:
        default:
          if (row_error != NULL)
            {
              g_propagate_error (error, row_error);
              goto out;
            }
          counts.rejected++;
          break;
        }
      if (conflict)
        counts.conflicts++;
    }

  if (!resolve_links (self, table, error) ||
      !set_state (self, "applying", NULL, error))
    goto out;
  applier_clear (&applier);
  if (!dbw_store_commit (self->store, error))
    {
      dbw_store_rollback (self->store);
      return FALSE;
    }
  ok = TRUE;

out:
  if (!ok)
    {
      applier_clear (&applier);
      dbw_store_rollback (self->store);
    }
  else if (stats != NULL)
    *stats = counts;

  return ok;
}
