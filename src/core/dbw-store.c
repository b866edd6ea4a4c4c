/* dbw-store.c
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

#define G_LOG_DOMAIN "dbw-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dbw-record-private.h"
#include "dbw-schema.h"
#include "dbw-store-private.h"

/* DbwStore is one SQLite connection to one project file. It belongs to the thread that opened
 * it; a worker thread opens its own with dbw_store_open_connection(). Every write is its own
 * committed transaction unless the caller groups writes with dbw_store_begin()/commit(). */

typedef struct
{
  guint          n_changes;
  DbwChangeKind  kind;   /* of the first change */
  char          *id;     /* of the first change */
} PendingChange;

static void
pending_change_free (PendingChange *pending)
{
  g_free (pending->id);
  g_free (pending);
}

static GHashTable *
new_pending_changes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pending_change_free);
}

struct _DbwStore
{
  GObject     parent_instance;

  GFile      *file;
  char       *path;
  char       *user;
  sqlite3    *db;
  GHashTable *statements;  /* SQL text address → idle prepared statement */
  GHashTable *in_use;      /* prepared statement → SQL text address */
  char       *tx_now;      /* one timestamp for every row of a transaction */

  /* Tables changed inside the current explicit transaction (table → PendingChange);
   * "changed" is emitted for them once the transaction ends, so nobody reads half of a
   * batch. */
  GHashTable *pending_changes;
  guint       transaction_depth;

  /* A bulk transaction leaves items out of the full-text index until it commits, then
   * indexes them in one statement: interleaved, the index and the rows fight over the
   * page cache and the import takes twice as long. */
  gboolean    search_deferred;
  gint64      search_watermark;

  int         schema_version;
  gboolean    read_only;
};

G_DEFINE_FINAL_TYPE (DbwStore, dbw_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-store-error-quark, dbw_store_error)

enum {
  PROP_0,
  PROP_FILE,
  PROP_USER,
  PROP_READ_ONLY,
  N_PROPS
};

enum {
  CHANGED,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];
static gsize sqlite_configured;

#define SQLITE_HEADER "SQLite format 3"

/* The page cache, in KiB (negative: SQLite's unit for KiB). */
#define CACHE_SIZE -32768

char *
dbw_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static const char *
table_display_name (const char *table)
{
  static const struct { const char *table; const char *name; } names[] = {
    { "sheets", N_("sheet") },
    { "items", N_("item") },
    { "templates", N_("prompt template") },
    { "canonical_labels", N_("canonical label") },
    { "training_sheets", N_("training sheet") },
    { "qa_pairs", N_("Q&A pair") },
    { "exports", N_("export") },
    { "model_training_lineage", N_("trained model") },
  };

  for (guint i = 0; table != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].table, table))
      return _(names[i].name);

  return table != NULL ? table : _("project");
}

/* SQLite names the failing constraint in terms of columns and expressions; turn that into
 * a sentence naming the field the user can fix. */
static char *
describe_constraint (int         extended_rc,
                     const char *sqlite_message,
                     const char *table)
{
  const char *detail = strchr (sqlite_message, ':');

  detail = detail != NULL ? detail + 1 : sqlite_message;
  while (*detail == ' ')
    detail++;

  switch (extended_rc)
    {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      {
        g_auto(GStrv) parts = g_strsplit (detail, ", ", -1);
        g_autoptr(GString) cols = g_string_new (NULL);

        for (guint i = 0; parts[i] != NULL; i++)
          {
            const char *dot = strchr (parts[i], '.');

            if (cols->len > 0)
              g_string_append (cols, ", ");
            g_string_append (cols, dot != NULL ? dot + 1 : parts[i]);
          }

        return g_strdup_printf (_("another %s already has the same %s"),
                                table_display_name (table), cols->str);
      }

    case SQLITE_CONSTRAINT_NOTNULL:
      {
        const char *dot = strchr (detail, '.');

        return g_strdup_printf (_("“%s” must be set"), dot != NULL ? dot + 1 : detail);
      }

    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return g_strdup (_("it refers to something that does not exist, or something else still refers to it"));

    case SQLITE_CONSTRAINT_TRIGGER:
      {
        const char *colon = strstr (sqlite_message, ": ");

        return g_strdup (colon != NULL ? colon + 2 : sqlite_message);
      }

    case SQLITE_CONSTRAINT_CHECK:
      {
        /* The expression's first plain identifier is the column ("status IN (…)"),
         * except for function calls ("json_valid (messages)"). */
        const char *p = detail;

        while (*p != '\0')
          {
            const char *start;
            g_autofree char *word = NULL;

            while (*p != '\0' && !g_ascii_isalpha (*p) && *p != '_')
              p++;
            start = p;
            while (g_ascii_isalnum (*p) || *p == '_')
              p++;
            if (p == start)
              break;

            word = g_strndup (start, p - start);
            while (*p == ' ')
              p++;
            if (*p == '(' || g_ascii_strcasecmp (word, "length") == 0 ||
                g_ascii_strcasecmp (word, "trim") == 0)
              continue;
            if (g_ascii_strcasecmp (word, "NOT") == 0 || g_ascii_strcasecmp (word, "AND") == 0)
              continue;

            if (g_str_has_suffix (word, "_uses"))
              return g_strdup_printf (_("“%s” may only list the use types training, validation, evaluation, few_shot and testing"), word);

            return g_strdup_printf (_("“%s” has a value that is not allowed"), word);
          }

        return g_strdup_printf (_("a value is not allowed (%s)"), detail);
      }

    default:
      return g_strdup (sqlite_message);
    }
}

void
_dbw_store_set_error (DbwStore    *self,
                      int          rc,
                      const char  *table,
                      GError     **error)
{
  int extended = sqlite3_extended_errcode (self->db);
  const char *message = sqlite3_errmsg (self->db);

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      {
        g_autofree char *why = describe_constraint (extended, message, table);

        g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT,
                     /* Translators: "Could not save the Q&A pair: “status” has a value that is not allowed" */
                     _("Could not save the %s: %s"), table_display_name (table), why);
        break;
      }

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CORRUPT,
                   _("The project file “%s” is damaged: %s"), self->path, message);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_IO,
                   _("The project file “%s” is in use by another program"), self->path);
      break;

    case SQLITE_FULL:
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_IO,
                   _("The disk holding “%s” is full"), self->path);
      break;

    case SQLITE_READONLY:
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY,
                   _("The project file “%s” is read-only: changes cannot be saved to it"), self->path);
      break;

    default:
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_IO,
                   _("Could not access the project file “%s”: %s"), self->path, message);
      break;
    }
}

/**
 * _dbw_store_prepare:
 * @sql: SQL text that lives as long as the process (a literal, or a class's SQL from
 *   _dbw_record_class_get_sql()): its address keys the cache of prepared statements
 *
 * Returns: a prepared statement; give it back with _dbw_store_release()
 */
sqlite3_stmt *
_dbw_store_prepare (DbwStore    *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      /* Taken out while in use, so a nested caller with the same SQL prepares its own. */
      g_hash_table_steal (self->statements, sql);
    }
  else
    {
      rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          _dbw_store_set_error (self, rc, NULL, error);
          return NULL;
        }
    }

  g_hash_table_insert (self->in_use, stmt, (gpointer) sql);

  return stmt;
}

/**
 * _dbw_store_prepare_transient:
 *
 * Like _dbw_store_prepare() for SQL built at run time; the statement is finalized when it
 * is released.
 */
sqlite3_stmt *
_dbw_store_prepare_transient (DbwStore    *self,
                              const char  *sql,
                              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _dbw_store_set_error (self, rc, NULL, error);
      return NULL;
    }

  return stmt;
}

/* Steps @stmt, bound and ready, to its end and releases it. Returns the strings of its first
 * column in the order they came, each once when @unique; %NULL with @error set on failure. */
GStrv
_dbw_store_collect_strings (DbwStore      *self,
                            sqlite3_stmt  *stmt,
                            gboolean       unique,
                            const char    *table,
                            GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = unique ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (text == NULL || (seen != NULL && g_hash_table_contains (seen, text)))
        continue;
      if (seen != NULL)
        g_hash_table_add (seen, g_strdup (text));
      g_strv_builder_add (builder, text);
    }
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, table, error);
      return NULL;
    }

  return g_strv_builder_end (builder);
}

void
_dbw_store_release (DbwStore     *self,
                    sqlite3_stmt *stmt)
{
  gpointer sql = NULL;

  if (stmt == NULL)
    return;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (self->db != NULL &&
      g_hash_table_steal_extended (self->in_use, stmt, NULL, &sql) &&
      !g_hash_table_contains (self->statements, sql))
    g_hash_table_insert (self->statements, sql, stmt);
  else
    sqlite3_finalize (stmt);
}

static gboolean
exec_sql (DbwStore    *self,
          const char  *sql,
          GError     **error)
{
  char *errmsg = NULL;
  int rc;

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);
  sqlite3_free (errmsg);

  if (rc != SQLITE_OK)
    {
      _dbw_store_set_error (self, rc, NULL, error);
      return FALSE;
    }

  return TRUE;
}

static void
dbw_store_finalize (GObject *object)
{
  DbwStore *self = (DbwStore *)object;

  dbw_store_close (self);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->in_use, g_hash_table_unref);
  g_clear_pointer (&self->tx_now, g_free);
  g_clear_pointer (&self->pending_changes, g_hash_table_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (dbw_store_parent_class)->finalize (object);
}

static void
dbw_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DbwStore *self = DBW_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DbwStore *self = DBW_STORE (object);

  switch (prop_id)
    {
    case PROP_USER:
      dbw_store_set_user (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_store_class_init (DbwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_store_finalize;
  object_class->get_property = dbw_store_get_property;
  object_class->set_property = dbw_store_set_property;

  /**
   * DbwStore:file:
   *
   * The project file.
   */
  properties [PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * DbwStore:user:
   *
   * Who is making changes (the labeler name from Preferences); recorded as created_by.
   */
  properties [PROP_USER] =
    g_param_spec_string ("user", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwStore:read-only:
   *
   * Whether the project is open for reading only: its file or its folder cannot be
   * written, or it was opened with %DBW_STORE_OPEN_READ_ONLY. Every change then fails
   * with %DBW_STORE_ERROR_READ_ONLY.
   */
  properties [PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbwStore::changed:
   * @self: a #DbwStore
   * @table: the table that changed
   * @kind: a #DbwChangeKind
   * @id: (nullable): the id of the changed row, %NULL for %DBW_CHANGE_RESET
   *
   * Emitted after a change is committed through this store.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);

  /**
   * DbwStore::closed:
   * @self: a #DbwStore
   *
   * Emitted when dbw_store_close() closes the store: what works on the project in the
   * background for its users stops.
   */
  signals [CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
dbw_store_init (DbwStore *self)
{
  self->statements = g_hash_table_new (NULL, NULL);
  self->in_use = g_hash_table_new (NULL, NULL);
  self->pending_changes = new_pending_changes ();
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Checks the file's SQLite header before SQLite touches it, so that a foreign or damaged
 * file gets a precise message and is never modified (opening it read-write would already
 * rewrite its header when switching to WAL). */
static gboolean
wal_exists (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return g_file_test (wal, G_FILE_TEST_EXISTS);
}

static gboolean
check_header (const char  *path,
              GError     **error)
{
  g_autofree char *name = g_path_get_basename (path);
  guint8 header[100];
  GStatBuf st;
  FILE *fp;
  size_t n;
  guint32 page_size;
  guint32 page_count;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open “%s”: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }

  if (st.st_size == 0)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_A_PROJECT,
                   _("“%s” is an empty file, not a Databits project"), name);
      return FALSE;
    }

  fp = g_fopen (path, "rb");
  if (fp == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open “%s”: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }
  n = fread (header, 1, sizeof header, fp);
  fclose (fp);

  if (n < sizeof header || memcmp (header, SQLITE_HEADER, sizeof SQLITE_HEADER) != 0)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_A_PROJECT,
                   _("“%s” is not a Databits project"), name);
      return FALSE;
    }

  /* A project that was just created may still have its first page, and with it the
   * application id, in the WAL only; the probe through SQLite checks that case. */
  if (read_be32 (header + 68) != DBW_APPLICATION_ID &&
      !(read_be32 (header + 68) == 0 && wal_exists (path)))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_A_PROJECT,
                   _("“%s” is a database of another application, not a Databits project"), name);
      return FALSE;
    }

  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  page_count = read_be32 (header + 28);

  /* The page count is only meaningful when the "version valid for" number matches the
   * change counter, and only without a WAL: a checkpoint writes the first page, with the
   * new count, before the pages after it. */
  if (page_count > 0 && read_be32 (header + 92) == read_be32 (header + 24) && !wal_exists (path) &&
      (guint64) st.st_size < (guint64) page_count * page_size)
    {
      g_autofree char *have = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) st.st_size);
      g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) page_count * page_size);

      /* Translators: “survey.dbw” is damaged: the file is truncated (4096 bytes of 8192) */
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged: the file is truncated (%s bytes of %s)"),
                   name, have, want);
      return FALSE;
    }

  return TRUE;
}

static int
read_schema_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "SELECT max (version) FROM schema_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 v = sqlite3_column_int64 (stmt, 0);

      /* Anything beyond int is from the future, not version (int) v. */
      version = (int) CLAMP (v, -1, G_MAXINT);
    }

  sqlite3_finalize (stmt);

  return version;
}

/* Tables every project has had since schema 1. */
static const char * const core_tables[] = {
  "project_meta", "blobs", "sheets", "items", "templates", "canonical_labels",
  "training_sheets", "qa_pairs", "usage_constraint_audit",
};

static int
count_core_tables (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int n = 0;

  if (sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_schema WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (core_tables); i++)
    {
      sqlite3_bind_text (stmt, 1, core_tables[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n += sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  return n;
}

static gint64
read_application_id (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return id;
}

/* How to open @path for reading only. A cleanly closed project has no WAL: reading it as
 * immutable takes no locks and needs no -wal/-shm files, which a folder that cannot be
 * written could not hold. After a crash, or while someone else has it open, the WAL holds
 * committed data, so it is read through the WAL. */
static char *
read_only_uri (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

  return g_strconcat ("file:", escaped,
                      g_file_test (wal, G_FILE_TEST_EXISTS) ? "?mode=ro" : "?mode=ro&immutable=1",
                      NULL);
}

/* Whether changes to @path can be saved: a project in WAL mode writes the file and creates
 * its -wal and -shm files beside it. */
static gboolean
is_writable (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);

  return g_access (path, W_OK) == 0 && g_access (folder, W_OK) == 0;
}

/* Reads the schema version without writing anything. */
static gboolean
probe_existing (const char  *path,
                int         *version,
                GError     **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *uri = read_only_uri (path);
  sqlite3 *db = NULL;
  gint64 application_id;
  int n_tables;
  int rc;

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  /* Another connection (a worker's) may hold a lock for a moment: wait as the store does. */
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout (db, 5000);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT count (*) FROM sqlite_schema", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, DBW_STORE_ERROR,
                   (rc & 0xff) == SQLITE_NOTADB ? DBW_STORE_ERROR_NOT_A_PROJECT : DBW_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged: %s"), name, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }

  *version = read_schema_version (db);
  n_tables = count_core_tables (db);
  application_id = read_application_id (db);
  sqlite3_close (db);

  if (application_id != DBW_APPLICATION_ID)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_A_PROJECT,
                   _("“%s” is a database of another application, not a Databits project"), name);
      return FALSE;
    }

  if (*version < 1)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged: it has no schema version"), name);
      return FALSE;
    }

  if (*version <= _dbw_schema_get_latest () && n_tables != G_N_ELEMENTS (core_tables))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged: some of its tables are missing"), name);
      return FALSE;
    }

  if (*version > _dbw_schema_get_latest ())
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NEWER_SCHEMA,
                   _("“%s” was saved by a newer version of Databits Workbench (project format %d; this version reads up to %d). Update the application to open it."),
                   name, *version, _dbw_schema_get_latest ());
      return FALSE;
    }

  return TRUE;
}

static gboolean
configure_connection (DbwStore  *self,
                      GError   **error)
{
  /* query_only too: a write refused by SQLite must not depend on how the file was opened. */
  if (self->read_only)
    return exec_sql (self,
                     "PRAGMA busy_timeout = 5000;"
                     "PRAGMA query_only = ON;"
                     "PRAGMA temp_store = MEMORY;"
                     "PRAGMA cache_size = " G_STRINGIFY (CACHE_SIZE) ";",
                     error);

  /* busy_timeout first: WAL switching may need the lock of a second connection. */
  return exec_sql (self,
                   "PRAGMA busy_timeout = 5000;"
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA temp_store = MEMORY;"
                   "PRAGMA cache_size = " G_STRINGIFY (CACHE_SIZE) ";",
                   error);
}

static gboolean
migrate (DbwStore  *self,
         GError   **error)
{
  const DbwMigration *migrations;
  guint n_migrations;
  g_autofree char *now = dbw_now_iso8601 ();
  int current;

  current = read_schema_version (self->db);
  if (current < 0)
    current = 0;

  if (current >= _dbw_schema_get_latest ())
    {
      self->schema_version = current;
      return TRUE;
    }

  if (self->read_only)
    {
      g_autofree char *name = g_path_get_basename (self->path);

      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_READ_ONLY,
                   _("“%s” was saved by an earlier version of Databits Workbench and must be updated to open, but it is read-only. Copy it to a folder you can write to, then open the copy."),
                   name);
      return FALSE;
    }

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Again under the write lock: another connection opening the same new or older
   * project may have migrated it while this one waited for the lock. */
  current = MAX (read_schema_version (self->db), 0);
  if (current >= _dbw_schema_get_latest ())
    {
      if (!exec_sql (self, "COMMIT", error))
        goto failed;
      self->schema_version = current;
      return TRUE;
    }

  if (current == 0 &&
      !exec_sql (self,
                 "CREATE TABLE IF NOT EXISTS schema_version (\n"
                 "  version     INTEGER PRIMARY KEY,\n"
                 "  description TEXT NOT NULL,\n"
                 "  applied_at  TEXT NOT NULL\n"
                 ");\n"
                 "PRAGMA application_id = " G_STRINGIFY (DBW_APPLICATION_ID) ";",
                 error))
    goto failed;

  migrations = _dbw_schema_get_migrations (&n_migrations);

  for (guint i = 0; i < n_migrations; i++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (migrations[i].version <= current)
        continue;

      g_debug ("Migrating %s to schema %d: %s", self->path, migrations[i].version, migrations[i].description);

      if (!exec_sql (self, migrations[i].sql, error))
        goto failed;

      rc = sqlite3_prepare_v2 (self->db,
                               "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int (stmt, 1, migrations[i].version);
          sqlite3_bind_text (stmt, 2, migrations[i].description, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);

      if (rc != SQLITE_DONE)
        {
          _dbw_store_set_error (self, rc, NULL, error);
          goto failed;
        }

      current = migrations[i].version;
    }

  if (!exec_sql (self, "COMMIT", error))
    goto failed;

  self->schema_version = current;

  return TRUE;

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* The local path of @file, or %NULL with @error set: SQLite reads and writes local files
 * only (portals expose documents as such). */
static char *
get_local_path (GFile   *file,
                GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), uri);
    }

  return path;
}

/**
 * dbw_store_open:
 * @file: the project file; it must be a local file (portals expose documents as such)
 * @flags: %DBW_STORE_OPEN_CREATE to create a new project; the file must not exist then.
 *   %DBW_STORE_OPEN_READ_ONLY to only read it.
 *
 * Opens a project, applying pending migrations. A file that is not a project, is damaged
 * or comes from a newer version of the application is reported and left untouched.
 *
 * A project whose file or folder cannot be written opens for reading only (see
 * #DbwStore:read-only). Without a WAL left beside it, it is then read as it was when
 * opened: changes someone else saves meanwhile show the next time it is opened.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
DbwStore *
dbw_store_open (GFile              *file,
                DbwStoreOpenFlags   flags,
                GError            **error)
{
  g_autoptr(DbwStore) self = NULL;
  g_autofree char *path = NULL;
  gboolean create = (flags & DBW_STORE_OPEN_CREATE) != 0;
  gboolean read_only = FALSE;
  g_autofree char *read_uri = NULL;
  int version = 0;
  int rc;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* Memory statistics take a global mutex on every allocation; nothing reads them. */
  if (g_once_init_enter (&sqlite_configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&sqlite_configured, 1);
    }

  path = get_local_path (file, error);
  if (path == NULL)
    return NULL;

  if (create)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *name = g_path_get_basename (path);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("“%s” already exists"), name);
          return NULL;
        }
    }
  else
    {
      if (!check_header (path, error) || !probe_existing (path, &version, error))
        return NULL;

      read_only = (flags & DBW_STORE_OPEN_READ_ONLY) != 0 || !is_writable (path);
      if (read_only)
        read_uri = read_only_uri (path);
    }

  self = g_object_new (DBW_TYPE_STORE, NULL);
  self->file = g_object_ref (file);
  self->path = g_steal_pointer (&path);
  self->read_only = read_only;

  if (read_only)
    rc = sqlite3_open_v2 (read_uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  else
    rc = sqlite3_open_v2 (self->path, &self->db,
                          SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX,
                          NULL);
  if (rc != SQLITE_OK)
    {
      _dbw_store_set_error (self, rc, NULL, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);

  rc = _dbw_search_register (self->db, &self->search_deferred, &self->search_watermark);
  if (rc != SQLITE_OK)
    {
      _dbw_store_set_error (self, rc, NULL, error);
      return NULL;
    }

  if (!configure_connection (self, error) || !migrate (self, error))
    {
      if (create)
        {
          g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
          g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);

          dbw_store_close (self);
          g_unlink (self->path);
          g_unlink (wal);
          g_unlink (shm);
        }
      return NULL;
    }

  if (create)
    {
      g_autofree char *now = dbw_now_iso8601 ();
      g_autofree char *basename = g_file_get_basename (file);
      char *dot = strrchr (basename, '.');

      if (dot != NULL && dot != basename)
        *dot = '\0';

      if (!dbw_store_set_meta (self, "created_at", now, error) ||
          !dbw_store_set_meta (self, "title", basename, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  DbwStoreOpenFlags flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "flags"));
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;

  /* The migration runs here; the connection is then handed to the main thread and only
   * used there (SQLite connections may move between threads, never be shared). */
  store = dbw_store_open (file, flags, &error);
  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

void
dbw_store_open_async (GFile               *file,
                      DbwStoreOpenFlags    flags,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_name (task, "dbw_store_open_async");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data (G_OBJECT (task), "flags", GUINT_TO_POINTER (flags));
  g_task_run_in_thread (task, open_thread);
}

DbwStore *
dbw_store_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_store_open_connection:
 *
 * Opens a second connection to the same project, for use by one worker thread.
 * Changes made through it are not signalled on @self; call dbw_store_emit_changed() on
 * @self when the work is done.
 *
 * Returns: (transfer full): a new store on the same file
 */
DbwStore *
dbw_store_open_connection (DbwStore  *self,
                           GError   **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);

  return dbw_store_open (self->file, self->read_only ? DBW_STORE_OPEN_READ_ONLY : DBW_STORE_OPEN_DEFAULT, error);
}

/**
 * dbw_store_is_read_only:
 *
 * Returns: whether changes to the project fail (see #DbwStore:read-only)
 */
gboolean
dbw_store_is_read_only (DbwStore *self)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);

  return self->read_only;
}

/**
 * dbw_store_close:
 *
 * Closes the connection; the store can no longer be used. Finalising closes it too.
 */
void
dbw_store_close (DbwStore *self)
{
  g_return_if_fail (DBW_IS_STORE (self));

  if (self->db == NULL)
    return;

  /* Only ours, not every sqlite3_next_stmt(): the full-text index owns statements of
   * its own and finalises them itself. */
  {
    GHashTableIter iter;
    gpointer stmt;

    g_hash_table_iter_init (&iter, self->statements);
    while (g_hash_table_iter_next (&iter, NULL, &stmt))
      sqlite3_finalize (stmt);
    g_hash_table_iter_init (&iter, self->in_use);
    while (g_hash_table_iter_next (&iter, &stmt, NULL))
      sqlite3_finalize (stmt);
  }
  g_hash_table_remove_all (self->statements);
  g_hash_table_remove_all (self->in_use);

  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      g_critical ("A statement outlived the project %s: %s", self->path, sqlite3_errmsg (self->db));
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;

  g_signal_emit (self, signals [CLOSED], 0);
}

GFile *
dbw_store_get_file (DbwStore *self)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);

  return self->file;
}

const char *
dbw_store_get_path (DbwStore *self)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);

  return self->path;
}

int
dbw_store_get_schema_version (DbwStore *self)
{
  g_return_val_if_fail (DBW_IS_STORE (self), 0);

  return self->schema_version;
}

const char *
dbw_store_get_user (DbwStore *self)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);

  return self->user;
}

void
dbw_store_set_user (DbwStore   *self,
                    const char *user)
{
  g_return_if_fail (DBW_IS_STORE (self));

  if (user != NULL && user[0] == '\0')
    user = NULL;

  if (g_strcmp0 (self->user, user) == 0)
    return;

  g_free (self->user);
  self->user = g_strdup (user);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_USER]);
}

/* The text @sql (with the key as ?1) selects for @key, or %NULL: one value of a key/value
 * table such as project_meta, drafts or sync_state. */
char *
_dbw_store_select_value (DbwStore   *self,
                         const char *sql,
                         const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  stmt = _dbw_store_prepare (self, sql, NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  _dbw_store_release (self, stmt);

  return value;
}

/* Runs @sql, a write to the key/value table @table with @key as ?1 and, when it has a
 * second parameter, @value as ?2. */
gboolean
_dbw_store_write_value (DbwStore    *self,
                        const char  *sql,
                        const char  *table,
                        const char  *key,
                        const char  *value,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, table, error);
      return FALSE;
    }

  return TRUE;
}

char *
dbw_store_get_meta (DbwStore   *self,
                    const char *key)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return _dbw_store_select_value (self, "SELECT value FROM project_meta WHERE key = ?1", key);
}

gboolean
dbw_store_set_meta (DbwStore    *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!_dbw_store_write_value (self,
                               "INSERT INTO project_meta (key, value) VALUES (?1, ?2) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               "project_meta", key, value, error))
    return FALSE;

  dbw_store_emit_changed (self, "project_meta", DBW_CHANGE_UPDATED, key);

  return TRUE;
}

/**
 * dbw_store_set_draft:
 * @key: what the draft is of, such as the page holding it
 * @value: (nullable): the unsaved edit as JSON text, or %NULL to drop the draft
 *
 * Keeps an edit the user has not saved yet, so that it survives a crash. One small
 * committed write; drafts are not signalled as changes and are not synced.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
dbw_store_set_draft (DbwStore    *self,
                     const char  *key,
                     const char  *value,
                     GError     **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL && key[0] != '\0', FALSE);

  return _dbw_store_write_value (self,
                                 value != NULL
                                 ? "INSERT INTO drafts (key, value, saved_at) "
                                   "VALUES (?1, ?2, strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at"
                                 : "DELETE FROM drafts WHERE key = ?1",
                                 "drafts", key, value, error);
}

/**
 * dbw_store_dup_draft:
 * @key: what the draft is of
 *
 * Returns: (transfer full) (nullable): the draft kept under @key, or %NULL
 */
char *
dbw_store_dup_draft (DbwStore   *self,
                     const char *key)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return _dbw_store_select_value (self, "SELECT value FROM drafts WHERE key = ?1", key);
}

/**
 * dbw_store_list_drafts:
 *
 * Returns: (transfer full): the keys of the drafts kept in the project, oldest first
 */
GStrv
dbw_store_list_drafts (DbwStore *self)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);

  stmt = _dbw_store_prepare (self, "SELECT key FROM drafts ORDER BY saved_at, key", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (keys, (const char *) sqlite3_column_text (stmt, 0));
      _dbw_store_release (self, stmt);
    }

  return g_strv_builder_end (keys);
}

/**
 * dbw_store_dup_title:
 *
 * Returns: (transfer full): the project's title, or its file name when it has none
 */
char *
dbw_store_dup_title (DbwStore *self)
{
  char *title;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);

  title = dbw_store_get_meta (self, "title");
  if (title == NULL || title[0] == '\0')
    {
      g_free (title);
      title = g_file_get_basename (self->file);
    }

  return title;
}

/* Transactions */

gboolean
dbw_store_begin (DbwStore  *self,
                 GError   **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);

  /* The outermost level takes the write lock at once: a deferred transaction that read
   * first could not upgrade to writing once another connection had written. Inner
   * levels are savepoints. */
  if (self->transaction_depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT dbw_%u", self->transaction_depth);
  if (!exec_sql (self, sql, error))
    return FALSE;

  if (self->transaction_depth == 0)
    {
      g_free (self->tx_now);
      self->tx_now = dbw_now_iso8601 ();
    }
  self->transaction_depth++;

  return TRUE;
}

/**
 * dbw_store_begin_read:
 *
 * Begins a transaction that only reads: everything it reads is from one snapshot of the
 * project, and a writer elsewhere neither waits for it nor makes it wait. End it with
 * dbw_store_commit() or dbw_store_rollback(). Writing inside it may fail with the project
 * busy; use dbw_store_begin() for that. Nested in another transaction it is a savepoint.
 *
 * Returns: %TRUE on success
 */
gboolean
dbw_store_begin_read (DbwStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);

  if (self->transaction_depth > 0)
    return dbw_store_begin (self, error);

  if (!exec_sql (self, "BEGIN DEFERRED", error))
    return FALSE;

  g_free (self->tx_now);
  self->tx_now = dbw_now_iso8601 ();
  self->transaction_depth++;

  return TRUE;
}

/**
 * dbw_store_begin_bulk:
 *
 * Begins a transaction, like dbw_store_begin(), for adding many items at once: they
 * are left out of the full-text index until the transaction commits, and then indexed
 * in one pass, which is much faster than one row at a time. Inside the transaction,
 * dbw_search_items() does not find them yet. Nested in another transaction it is a
 * plain dbw_store_begin().
 *
 * Returns: %TRUE on success
 */
gboolean
dbw_store_begin_bulk (DbwStore  *self,
                      GError   **error)
{
  sqlite3_stmt *stmt;
  gint64 watermark = 0;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);

  if (!dbw_store_begin (self, error))
    return FALSE;

  if (self->transaction_depth > 1)
    return TRUE;

  stmt = _dbw_store_prepare (self, "SELECT coalesce (max (rowid), 0) FROM items", error);
  if (stmt == NULL)
    {
      dbw_store_rollback (self);
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    watermark = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (self, stmt);

  self->search_watermark = watermark;
  self->search_deferred = TRUE;

  return TRUE;
}

static void
end_bulk (DbwStore *self)
{
  self->search_deferred = FALSE;
}

static void
flush_pending_changes (DbwStore *self)
{
  g_autoptr(GHashTable) tables = NULL;
  GHashTableIter iter;
  const char *table;
  PendingChange *pending;

  if (self->transaction_depth > 0)
    return;

  g_clear_pointer (&self->tx_now, g_free);
  tables = g_steal_pointer (&self->pending_changes);
  self->pending_changes = new_pending_changes ();

  g_hash_table_iter_init (&iter, tables);
  while (g_hash_table_iter_next (&iter, (gpointer *) &table, (gpointer *) &pending))
    {
      /* One change of one row is told as it was: a decision in Label then refreshes that
       * row, not every row a list holds. More are told as a reset of the table. */
      if (pending->n_changes == 1 && pending->id != NULL && pending->kind != DBW_CHANGE_RESET)
        dbw_store_emit_changed (self, table, pending->kind, pending->id);
      else
        dbw_store_emit_changed (self, table, DBW_CHANGE_RESET, NULL);
    }
}

gboolean
dbw_store_commit (DbwStore  *self,
                  GError   **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->transaction_depth > 0, FALSE);

  if (self->transaction_depth == 1 && self->search_deferred)
    {
      sqlite3_stmt *stmt;
      int rc;

      stmt = _dbw_store_prepare (self,
                                 "INSERT INTO items_fts (rowid, body) "
                                 "SELECT rowid, dbw_search_text (fields, text_content) FROM items WHERE rowid > ?1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, self->search_watermark);
      end_bulk (self);
      rc = sqlite3_step (stmt);
      _dbw_store_release (self, stmt);
      if (rc != SQLITE_DONE)
        {
          self->search_deferred = TRUE;
          _dbw_store_set_error (self, rc, "items", error);
          return FALSE;
        }
    }

  if (self->transaction_depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE dbw_%u", self->transaction_depth - 1);
  if (!exec_sql (self, sql, error))
    return FALSE;

  self->transaction_depth--;
  flush_pending_changes (self);

  return TRUE;
}

void
dbw_store_rollback (DbwStore *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (DBW_IS_STORE (self));
  g_return_if_fail (self->transaction_depth > 0);

  if (self->transaction_depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO dbw_%u; RELEASE dbw_%u",
                           self->transaction_depth - 1, self->transaction_depth - 1);
  if (!exec_sql (self, sql, NULL))
    g_warning ("Could not roll back: %s", sqlite3_errmsg (self->db));

  self->transaction_depth--;
  if (self->transaction_depth == 0 && self->search_deferred)
    end_bulk (self);

  /* Some of the changes were undone, but which is not kept: say the tables were reset. */
  {
    GHashTableIter iter;
    PendingChange *pending;

    g_hash_table_iter_init (&iter, self->pending_changes);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pending))
      pending->kind = DBW_CHANGE_RESET;
  }
  flush_pending_changes (self);
}

void
dbw_store_emit_changed (DbwStore      *self,
                        const char    *table,
                        DbwChangeKind  kind,
                        const char    *id)
{
  g_return_if_fail (DBW_IS_STORE (self));
  g_return_if_fail (table != NULL);

  if (self->transaction_depth > 0)
    {
      PendingChange *pending = g_hash_table_lookup (self->pending_changes, table);

      if (pending == NULL)
        {
          pending = g_new0 (PendingChange, 1);
          pending->kind = kind;
          pending->id = g_strdup (id);
          g_hash_table_insert (self->pending_changes, g_strdup (table), pending);
        }
      pending->n_changes++;
      return;
    }

  g_signal_emit (self, signals [CHANGED], g_quark_from_string (table), table, kind, id);
}

/* Generic CRUD over DbwRecord subclasses */

static gboolean
ensure_open (DbwStore  *self,
             GError   **error)
{
  if (self->db != NULL)
    return TRUE;

  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_IO, _("The project is closed"));
  return FALSE;
}

/**
 * dbw_store_emit_reset:
 *
 * Tells the store's users that any row of any table may have changed, as when another
 * program (the `databits` command) wrote to the project: emits ::changed with
 * %DBW_CHANGE_RESET for every table, so lists read their rows again.
 */
void
dbw_store_emit_reset (DbwStore *self)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_return_if_fail (DBW_IS_STORE (self));

  if (!ensure_open (self, &error))
    return;

  stmt = _dbw_store_prepare (self, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
                             &error);
  if (stmt == NULL)
    {
      g_warning ("Could not list the tables of the project: %s", error->message);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  _dbw_store_release (self, stmt);

  for (guint i = 0; i < tables->len; i++)
    dbw_store_emit_changed (self, g_ptr_array_index (tables, i), DBW_CHANGE_RESET, NULL);
}

/* Record classes are static types, never unloaded: keeping one reference is fine. */
static DbwRecordClass *
get_record_class (GType record_type)
{
  gpointer klass = g_type_class_peek (record_type);

  return klass != NULL ? klass : g_type_class_ref (record_type);
}

static void
fill_string (DbwRecord  *record,
             guint       prop_id,
             const char *value,
             gboolean    force)
{
  const char *current;

  if (prop_id == 0)
    return;

  current = dbw_record_get_string (record, prop_id);
  if (force || current == NULL || current[0] == '\0')
    dbw_record_set_string (record, prop_id, value);
}

static char *
store_now (DbwStore *self)
{
  return self->tx_now != NULL ? g_strdup (self->tx_now) : dbw_now_iso8601 ();
}

/* The timestamp of the current transaction, or now. */
char *
_dbw_store_now (DbwStore *self)
{
  return store_now (self);
}

/* The JSON path of a top-level member, quoted so any name works: $."a name". */
char *
_dbw_json_path_for_member (const char *name)
{
  GString *path = g_string_new ("$.\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (path, '\\');
      g_string_append_c (path, *p);
    }
  g_string_append_c (path, '"');

  return g_string_free (path, FALSE);
}

/* For incremental blob I/O, which has no statement to cache. */
sqlite3 *
_dbw_store_get_db (DbwStore *self)
{
  return self->db;
}

/* A version 7 UUID: the creation time in milliseconds first, so new ids arrive in order and
 * the primary-key index grows at its end instead of being rewritten at random places. */
static void new_uuid (char out[37]);

/* A new record id, for code that inserts rows without a record object. */
void
_dbw_store_new_id (char out[37])
{
  new_uuid (out);
}

static void
new_uuid (char out[37])
{
  static const char hex[] = "0123456789abcdef";
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint32 r0 = g_random_int ();
  guint32 r1 = g_random_int ();
  guint32 r2 = g_random_int ();
  guint8 b[16];
  guint j = 0;

  for (guint i = 0; i < 6; i++)
    b[i] = (ms >> (40 - 8 * i)) & 0xff;
  b[6] = 0x70 | ((r0 >> 24) & 0x0f);
  b[7] = (r0 >> 16) & 0xff;
  b[8] = 0x80 | ((r0 >> 8) & 0x3f);
  b[9] = r0 & 0xff;
  for (guint i = 0; i < 4; i++)
    {
      b[10 + i] = (r1 >> (24 - 8 * i)) & 0xff;
      if (i < 2)
        b[14 + i] = (r2 >> (24 - 8 * i)) & 0xff;
    }

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[j++] = '-';
      out[j++] = hex[b[i] >> 4];
      out[j++] = hex[b[i] & 0x0f];
    }
  out[j] = '\0';
}

/**
 * dbw_store_insert:
 * @record: a #DbwRecord; when its id is unset a new UUID is given to it
 *
 * Inserts @record, filling created_at / updated_at (and created_by from #DbwStore:user) when
 * unset, and commits unless a transaction is open.
 *
 * Returns: %TRUE on success
 */
gboolean
dbw_store_insert (DbwStore  *self,
                  gpointer   record,
                  GError   **error)
{
  DbwRecord *rec = record;
  DbwRecordClass *klass;
  const DbwRecordSpecialColumns *special;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  guint n_columns;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (DBW_IS_RECORD (record), FALSE);
  g_return_val_if_fail (!dbw_record_is_partial (record), FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  klass = DBW_RECORD_GET_CLASS (rec);
  special = _dbw_record_class_get_special (klass);

  if (dbw_record_get_id (rec) == NULL || dbw_record_get_id (rec)[0] == '\0')
    {
      char uuid[37];

      new_uuid (uuid);
      dbw_record_set_id (rec, uuid);
    }

  now = store_now (self);
  fill_string (rec, special->created_at, now, FALSE);
  fill_string (rec, special->updated_at, now, FALSE);
  if (self->user != NULL)
    fill_string (rec, special->created_by, self->user, FALSE);

  stmt = _dbw_store_prepare (self, _dbw_record_class_get_sql (klass, DBW_SQL_INSERT), error);
  if (stmt == NULL)
    return FALSE;

  n_columns = dbw_record_class_get_n_columns (klass);
  sqlite3_bind_text (stmt, 1, dbw_record_get_id (rec), -1, SQLITE_STATIC);
  for (guint i = 0; i < n_columns; i++)
    _dbw_record_bind_column (rec, i, stmt, i + 2);

  rc = sqlite3_step (stmt);
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, klass->table, error);
      return FALSE;
    }

  _dbw_record_set_rowid (rec, sqlite3_last_insert_rowid (self->db));
  dbw_store_emit_changed (self, klass->table, DBW_CHANGE_INSERTED, dbw_record_get_id (rec));

  return TRUE;
}

static void
add_column (GArray *columns,
            guint   prop_id)
{
  guint column = prop_id - 1;

  if (prop_id == 0)
    return;
  for (guint i = 0; i < columns->len; i++)
    if (g_array_index (columns, guint, i) == column)
      return;
  g_array_append_val (columns, column);
}

static gint
compare_columns (gconstpointer a,
                 gconstpointer b)
{
  guint ca = *(const guint *) a;
  guint cb = *(const guint *) b;

  return ca < cb ? -1 : ca > cb;
}

/* Writes @columns of @rec (indexes, ascending, the stamped ones among them), or every column
 * when @columns is %NULL. */
static gboolean
update_record (DbwStore    *self,
               DbwRecord   *rec,
               GArray      *columns,
               GError     **error)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (rec);
  const DbwRecordSpecialColumns *special = _dbw_record_class_get_special (klass);
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 new_version = 0;
  int rc;

  if (!ensure_open (self, error))
    return FALSE;

  if (dbw_record_get_id (rec) == NULL)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("The %s was never saved"), table_display_name (klass->table));
      return FALSE;
    }

  now = store_now (self);
  fill_string (rec, special->updated_at, now, TRUE);
  if (klass->versioned)
    {
      fill_string (rec, special->last_modified_at, now, TRUE);
      if (self->user != NULL)
        fill_string (rec, special->last_modified_by, self->user, TRUE);
    }

  if (columns == NULL)
    {
      stmt = _dbw_store_prepare (self, _dbw_record_class_get_sql (klass, DBW_SQL_UPDATE), error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
        if (!(klass->versioned && i + 1 == special->version))
          _dbw_record_bind_column (rec, i, stmt, i + 2);
    }
  else
    {
      int param = 2;

      stmt = _dbw_store_prepare (self, _dbw_record_class_get_update_sql (klass, (const guint *) (gpointer) columns->data,
                                                                         columns->len),
                                 error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < columns->len; i++)
        {
          guint column = g_array_index (columns, guint, i);

          if (!(klass->versioned && column + 1 == special->version))
            _dbw_record_bind_column (rec, column, stmt, param++);
        }
    }
  sqlite3_bind_text (stmt, 1, dbw_record_get_id (rec), -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      new_version = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, klass->table, error);
      return FALSE;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("The %s “%s” no longer exists"),
                   table_display_name (klass->table), dbw_record_get_id (rec));
      return FALSE;
    }

  if (klass->versioned)
    dbw_record_set_int64 (rec, special->version, new_version);

  dbw_store_emit_changed (self, klass->table, DBW_CHANGE_UPDATED, dbw_record_get_id (rec));

  return TRUE;
}

/**
 * dbw_store_update:
 * @record: a stored #DbwRecord
 *
 * Writes every column of @record and commits. updated_at is set to now; a versioned record
 * (a canonical label) gets the next version and its previous version goes to the history.
 *
 * Returns: %TRUE on success; %DBW_STORE_ERROR_NOT_FOUND if the record is not stored
 */
gboolean
dbw_store_update (DbwStore  *self,
                  gpointer   record,
                  GError   **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (DBW_IS_RECORD (record), FALSE);
  /* Writing it would clear what the list left out. */
  g_return_val_if_fail (!dbw_record_is_partial (record), FALSE);

  return update_record (self, record, NULL, error);
}

/**
 * dbw_store_update_changed:
 * @record: a stored #DbwRecord
 * @original: @record as it was read, before it was changed
 *
 * Like dbw_store_update(), but writes only the columns in which @record differs from
 * @original, and those the store stamps: SQLite then checks only their constraints and
 * rewrites only their indexes. A decision on a Q&A pair changes a few of its columns, not
 * its messages.
 *
 * Returns: %TRUE on success; %DBW_STORE_ERROR_NOT_FOUND if the record is not stored
 */
gboolean
dbw_store_update_changed (DbwStore  *self,
                          gpointer   record,
                          gpointer   original,
                          GError   **error)
{
  g_autoptr(GArray) columns = NULL;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (DBW_IS_RECORD (record), FALSE);
  g_return_val_if_fail (DBW_IS_RECORD (original), FALSE);
  g_return_val_if_fail (G_TYPE_FROM_INSTANCE (record) == G_TYPE_FROM_INSTANCE (original), FALSE);

  columns = _dbw_record_get_changed_columns (record, original);

  return _dbw_store_update_columns (self, record, (const guint *) (gpointer) columns->data, columns->len, error);
}

/**
 * _dbw_store_update_columns:
 * @columns: (array length=n_columns): indexes of the columns to write
 *
 * Like dbw_store_update_changed(), for a caller that knows which columns it changed.
 */
gboolean
_dbw_store_update_columns (DbwStore     *self,
                           gpointer      record,
                           const guint  *columns,
                           guint         n_columns,
                           GError      **error)
{
  g_autoptr(GArray) written = NULL;
  const DbwRecordSpecialColumns *special;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (DBW_IS_RECORD (record), FALSE);
  g_return_val_if_fail (!dbw_record_is_partial (record), FALSE);

  special = _dbw_record_class_get_special (DBW_RECORD_GET_CLASS (record));
  written = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_columns + 4);
  for (guint i = 0; i < n_columns; i++)
    add_column (written, columns[i] + 1);
  add_column (written, special->updated_at);
  if (DBW_RECORD_GET_CLASS (record)->versioned)
    {
      add_column (written, special->last_modified_at);
      add_column (written, special->last_modified_by);
      add_column (written, special->version);
    }
  g_array_sort (written, compare_columns);

  /* No stamped column and nothing changed: write the row as it is. */
  if (written->len == 0)
    return update_record (self, record, NULL, error);

  return update_record (self, record, written, error);
}

gboolean
dbw_store_delete (DbwStore    *self,
                  GType        record_type,
                  const char  *id,
                  GError     **error)
{
  DbwRecordClass *klass;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  klass = get_record_class (record_type);
  stmt = _dbw_store_prepare (self, _dbw_record_class_get_sql (klass, DBW_SQL_DELETE), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, klass->table, error);
      return FALSE;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("The %s “%s” does not exist"), table_display_name (klass->table), id);
      return FALSE;
    }

  dbw_store_emit_changed (self, klass->table, DBW_CHANGE_DELETED, id);

  return TRUE;
}

/* In the worker of @task, whose source is a store: a connection of its own (a store
 * belongs to one thread); or %NULL, the task then returned, when it was cancelled before
 * its turn came (the user moved on) or the connection failed. */
static DbwStore *
task_open_connection (GTask *task)
{
  DbwStore *connection;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return NULL;

  connection = dbw_store_open_connection (g_task_get_source_object (task), &error);
  if (connection == NULL)
    g_task_return_error (task, error);

  return connection;
}

/* The record a worker deletes or reads. */
typedef struct
{
  GType  record_type;
  char  *id;
} RecordJob;

static void
record_job_free (gpointer data)
{
  RecordJob *job = data;

  g_free (job->id);
  g_free (job);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RecordJob *job = task_data;
  g_autoptr(DbwStore) connection = NULL;
  GError *error = NULL;

  if ((connection = task_open_connection (task)) == NULL)
    return;

  if (!dbw_store_delete (connection, job->record_type, job->id, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DbwStore *self = g_task_get_source_object (task);
  RecordJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  dbw_store_emit_changed (self, get_record_class (job->record_type)->table, DBW_CHANGE_DELETED, job->id);
  g_task_return_boolean (task, TRUE);
}

/**
 * dbw_store_delete_async:
 *
 * Deletes a record as dbw_store_delete() does, on a connection of its own in a worker
 * thread: a record whose rows go with it (a training sheet's 100,000 pairs) takes a while.
 * The deletion is signalled on @self once it is done. Once started it is not stopped:
 * cancelling @cancellable only drops the result.
 */
void
dbw_store_delete_async (DbwStore            *self,
                        GType                record_type,
                        const char          *id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  RecordJob *job;

  g_return_if_fail (DBW_IS_STORE (self));
  g_return_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);

  job = g_new0 (RecordJob, 1);
  job->record_type = record_type;
  job->id = g_strdup (id);

  worker = g_task_new (self, NULL, on_deleted_cb, g_steal_pointer (&task));
  g_task_set_name (worker, "[dbw-store] delete");
  g_task_set_task_data (worker, job, record_job_free);
  g_task_run_in_thread (worker, delete_thread);
}

gboolean
dbw_store_delete_finish (DbwStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * dbw_store_get:
 *
 * Returns: (transfer full) (type DbwRecord): the record, or %NULL with
 *   %DBW_STORE_ERROR_NOT_FOUND
 */
gpointer
dbw_store_get (DbwStore    *self,
               GType        record_type,
               const char  *id,
               GError     **error)
{
  DbwRecordClass *klass;
  g_autoptr(DbwRecord) record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!ensure_open (self, error))
    return NULL;

  klass = get_record_class (record_type);
  stmt = _dbw_store_prepare (self, _dbw_record_class_get_sql (klass, DBW_SQL_SELECT_BY_ID), error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      record = g_object_new (record_type, NULL);
      _dbw_record_load_from_stmt (record, stmt, 0);
    }
  _dbw_store_release (self, stmt);

  if (rc == SQLITE_ROW)
    return g_steal_pointer (&record);

  if (rc == SQLITE_DONE)
    g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                 _("The %s “%s” does not exist"), table_display_name (klass->table), id);
  else
    _dbw_store_set_error (self, rc, klass->table, error);

  return NULL;
}

static void
get_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RecordJob *job = task_data;
  g_autoptr(DbwStore) connection = NULL;
  GError *error = NULL;
  DbwRecord *record;

  if ((connection = task_open_connection (task)) == NULL)
    return;

  record = dbw_store_get (connection, job->record_type, job->id, &error);
  dbw_store_close (connection);

  if (record == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, record, g_object_unref);
}

/**
 * dbw_store_get_async:
 *
 * Reads a record whole in a worker thread: the rest of one a #DbwQueryModel read in part
 * (dbw_record_is_partial()), such as the text of a long document, without holding up the
 * main thread.
 */
void
dbw_store_get_async (DbwStore            *self,
                     GType                record_type,
                     const char          *id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecordJob *job;

  g_return_if_fail (DBW_IS_STORE (self));
  g_return_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD));
  g_return_if_fail (id != NULL);

  job = g_new0 (RecordJob, 1);
  job->record_type = record_type;
  job->id = g_strdup (id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-store] get");
  g_task_set_task_data (task, job, record_job_free);
  g_task_run_in_thread (task, get_thread);
}

/**
 * dbw_store_get_finish:
 *
 * Returns: (transfer full) (type DbwRecord): the record, or %NULL with @error set
 */
gpointer
dbw_store_get_finish (DbwStore      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
check_filter_column (DbwRecordClass  *klass,
                     const char      *column,
                     GError         **error)
{
  if (column == NULL || g_str_equal (column, "id") || dbw_record_class_find_column (klass, column) != NULL)
    return TRUE;

  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
               _("“%s” is not a column of %s"), column, klass->table);
  return FALSE;
}

/**
 * dbw_store_list:
 * @column: (nullable): a column to filter on, or %NULL for every row
 * @value: (nullable): the value @column must have (%NULL matches SQL NULL)
 *
 * The records leave out their deferred columns (see dbw_record_is_partial()).
 *
 * Returns: (transfer full) (element-type DbwRecord): the matching records in insertion order
 */
GPtrArray *
dbw_store_list (DbwStore    *self,
                GType        record_type,
                const char  *column,
                const char  *value,
                GError     **error)
{
  DbwRecordClass *klass;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD), NULL);

  if (!ensure_open (self, error))
    return NULL;

  klass = get_record_class (record_type);
  if (!check_filter_column (klass, column, error))
    return NULL;

  if (column != NULL)
    sql = g_strdup_printf ("%s WHERE %s IS ?1 ORDER BY rowid",
                           _dbw_record_class_get_sql (klass, DBW_SQL_SELECT), column);
  else
    sql = g_strdup_printf ("%s ORDER BY rowid", _dbw_record_class_get_sql (klass, DBW_SQL_SELECT));

  stmt = _dbw_store_prepare_transient (self, sql, error);
  if (stmt == NULL)
    return NULL;

  if (column != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);

  records = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DbwRecord *record = g_object_new (record_type, NULL);

      _dbw_record_load_from_stmt (record, stmt, 0);
      g_ptr_array_add (records, record);
    }
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, klass->table, error);
      return NULL;
    }

  return g_steal_pointer (&records);
}

/**
 * dbw_store_count:
 *
 * Returns: the number of matching rows, or -1 with @error set
 */
gint64
dbw_store_count (DbwStore    *self,
                 GType        record_type,
                 const char  *column,
                 const char  *value,
                 GError     **error)
{
  DbwRecordClass *klass;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), -1);
  g_return_val_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD), -1);

  if (!ensure_open (self, error))
    return -1;

  klass = get_record_class (record_type);
  if (!check_filter_column (klass, column, error))
    return -1;

  if (column != NULL)
    sql = g_strdup_printf ("SELECT count (*) FROM %s WHERE %s IS ?1", klass->table, column);
  else
    sql = g_strdup_printf ("SELECT count (*) FROM %s", klass->table);

  stmt = _dbw_store_prepare_transient (self, sql, error);
  if (stmt == NULL)
    return -1;

  if (column != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_ROW)
    _dbw_store_set_error (self, rc, klass->table, error);

  return count;
}

gboolean
dbw_store_get_stage_counts (DbwStore        *self,
                            DbwStageCounts  *counts,
                            GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  stmt = _dbw_store_prepare (self,
                             "SELECT "
                             "(SELECT count (*) FROM sheets WHERE deleted_at IS NULL), "
                             "(SELECT count (*) FROM items WHERE sheet_id IN (SELECT id FROM sheets WHERE deleted_at IS NULL)), "
                             "(SELECT count (*) FROM training_sheets), "
                             "(SELECT count (*) FROM qa_pairs), "
                             "(SELECT count (*) FROM qa_pairs WHERE status = 'unlabeled'), "
                             "(SELECT count (*) FROM qa_pairs WHERE status = 'labeled'), "
                             "(SELECT count (*) FROM exports), "
                             "(SELECT count (*) FROM model_training_lineage), "
                             "(SELECT count (*) FROM endpoints), "
                             "(SELECT count (*) FROM feedback), "
                             "(SELECT count (DISTINCT template_id) FROM templates), "
                             "(SELECT count (*) FROM example_store), "
                             "(SELECT count (*) FROM dspy_runs), "
                             "(SELECT count (*) FROM canonical_labels)",
                             error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      counts->sheets = sqlite3_column_int64 (stmt, 0);
      counts->items = sqlite3_column_int64 (stmt, 1);
      counts->training_sheets = sqlite3_column_int64 (stmt, 2);
      counts->qa_pairs = sqlite3_column_int64 (stmt, 3);
      counts->unlabeled_pairs = sqlite3_column_int64 (stmt, 4);
      counts->labeled_pairs = sqlite3_column_int64 (stmt, 5);
      counts->exports = sqlite3_column_int64 (stmt, 6);
      counts->models = sqlite3_column_int64 (stmt, 7);
      counts->endpoints = sqlite3_column_int64 (stmt, 8);
      counts->feedback = sqlite3_column_int64 (stmt, 9);
      counts->templates = sqlite3_column_int64 (stmt, 10);
      counts->examples = sqlite3_column_int64 (stmt, 11);
      counts->dspy_runs = sqlite3_column_int64 (stmt, 12);
      counts->canonical_labels = sqlite3_column_int64 (stmt, 13);
    }
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (self, rc, NULL, error);
      return FALSE;
    }

  return TRUE;
}

/* Blobs */

/**
 * dbw_store_put_blob:
 *
 * Stores @bytes once, addressed by their SHA-256; storing the same content again is a no-op.
 *
 * Returns: (transfer full): the hex SHA-256 of @bytes, or %NULL with @error set
 */
char *
dbw_store_put_blob (DbwStore    *self,
                    GBytes      *bytes,
                    const char  *content_type,
                    GError     **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gsize size;
  const guint8 *data;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (!ensure_open (self, error))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  now = store_now (self);

  stmt = _dbw_store_prepare (self,
                             "INSERT INTO blobs (hash, size, content_type, data, created_at) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_text (stmt, 3, content_type, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 4, data != NULL ? data : (const guint8 *) "", size, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  _dbw_store_release (self, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (self, rc, "blobs", error);
      return NULL;
    }

  return g_steal_pointer (&hash);
}

static void
get_stage_counts_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  DbwStore *self = source_object;
  g_autoptr(DbwStore) connection = NULL;
  g_autofree DbwStageCounts *counts = g_new0 (DbwStageCounts, 1);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A connection of its own: a store belongs to one thread. */
  connection = dbw_store_open_connection (self, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!dbw_store_get_stage_counts (connection, counts, &error))
    {
      dbw_store_close (connection);
      g_task_return_error (task, error);
      return;
    }
  dbw_store_close (connection);

  g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

/**
 * dbw_store_get_stage_counts_async:
 *
 * Counts in a worker thread: over a large project, counting takes longer than a frame.
 */
void
dbw_store_get_stage_counts_async (DbwStore            *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-store] stage counts");
  g_task_run_in_thread (task, get_stage_counts_thread);
}

gboolean
dbw_store_get_stage_counts_finish (DbwStore        *self,
                                   GAsyncResult    *result,
                                   DbwStageCounts  *counts,
                                   GError         **error)
{
  g_autofree DbwStageCounts *found = NULL;

  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;

  *counts = *found;
  return TRUE;
}

static void
interrupt_cb (GCancellable *cancellable,
              sqlite3      *db)
{
  sqlite3_interrupt (db);
}

/* A copy that pushed to the workspace as the project's sync client would never see the
 * original's changes, nor the original its own: the two would drift apart in one shared
 * dataset without a word. The copy of a linked project syncs as a client of its own. */
static gboolean
renew_sync_client (const char  *partial,
                   const char  *path,
                   GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char id[37];
  int rc;

  _dbw_store_new_id (id);
  rc = sqlite3_open_v2 (partial, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "UPDATE sync_state SET value = ?1 WHERE key = 'client_id'", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  if (rc != SQLITE_OK)
    g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_IO, _("Could not write “%s”: %s"),
                 path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  sqlite3_finalize (stmt);
  /* Its one statement is finalized: closing cannot be refused. */
  sqlite3_close (db);

  return rc == SQLITE_OK;
}

static void
save_copy_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DbwStore *self = source_object;
  GFile *destination = task_data;
  g_autoptr(DbwStore) connection = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *partial = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt = NULL;
  gulong interrupt_id = 0;
  GStatBuf a, b;
  int fd;
  int rc;

  path = get_local_path (destination, &error);
  if (path == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_stat (path, &a) == 0 && g_stat (self->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
    {
      g_task_return_new_error (task, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                               _("A copy cannot replace the project it is made from"));
      return;
    }

  /* Written beside the destination and renamed over it only when complete: a cancelled or
   * failed copy leaves whatever was there before. */
  folder = g_path_get_dirname (path);
  name = g_path_get_basename (path);
  partial = g_strdup_printf ("%s/.%s-XXXXXX", folder, name);
  fd = g_mkstemp (partial);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not write in “%s”: %s"), folder, g_strerror (saved_errno));
      return;
    }
  g_close (fd, NULL);

  connection = dbw_store_open_connection (self, &error);
  if (connection == NULL)
    {
      g_unlink (partial);
      g_task_return_error (task, error);
      return;
    }

  /* VACUUM INTO writes another file, which query_only forbids too; a read-only
   * connection still cannot write the project's own file. */
  if (cancellable != NULL)
    interrupt_id = g_cancellable_connect (cancellable, G_CALLBACK (interrupt_cb), connection->db, NULL);
  rc = sqlite3_exec (connection->db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (connection->db, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, partial, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_OK && !g_cancellable_is_cancelled (cancellable))
    _dbw_store_set_error (connection, rc, NULL, &error);
  sqlite3_finalize (stmt);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, interrupt_id);
  dbw_store_close (connection);

  if (error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &error);
  if (error == NULL)
    renew_sync_client (partial, path, &error);
  if (error == NULL && g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
    }

  if (error != NULL)
    {
      g_unlink (partial);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * dbw_store_save_copy_async:
 * @destination: where the copy goes; a file there is replaced once the copy is complete
 *
 * Writes a complete copy of the project — every sheet, label and file it holds — in a
 * worker thread, as it is now (changes in flight elsewhere wait or are left out whole).
 * A read-only project can be copied too: that is how to change one. The copy of a project
 * linked to a workspace stays linked, as a sync client of its own. Cancelling stops the
 * copy and leaves @destination as it was.
 */
void
dbw_store_save_copy_async (DbwStore            *self,
                           GFile               *destination,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-store] save a copy");
  g_task_set_task_data (task, g_object_ref (destination), g_object_unref);

  if (!ensure_open (self, NULL))
    {
      g_task_return_new_error (task, DBW_STORE_ERROR, DBW_STORE_ERROR_IO, _("The project is closed"));
      return;
    }

  g_task_run_in_thread (task, save_copy_thread);
}

gboolean
dbw_store_save_copy_finish (DbwStore      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
get_blob_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *hash = task_data;
  g_autoptr(DbwStore) connection = NULL;
  GError *error = NULL;
  GBytes *bytes;

  if ((connection = task_open_connection (task)) == NULL)
    return;

  bytes = dbw_store_get_blob (connection, hash, &error);
  dbw_store_close (connection);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * dbw_store_get_blob_async:
 *
 * Reads a blob in a worker thread, for content too large to read on the main thread.
 */
void
dbw_store_get_blob_async (DbwStore            *self,
                          const char          *hash,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_STORE (self));
  g_return_if_fail (hash != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-store] get blob");
  g_task_set_task_data (task, g_strdup (hash), g_free);
  g_task_run_in_thread (task, get_blob_thread);
}

/**
 * dbw_store_get_blob_finish:
 *
 * Returns: (transfer full): the content, or %NULL with @error set
 */
GBytes *
dbw_store_get_blob_finish (DbwStore      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_store_get_blob:
 *
 * Returns: (transfer full): the content stored under @hash
 */
GBytes *
dbw_store_get_blob (DbwStore    *self,
                    const char  *hash,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  if (!ensure_open (self, error))
    return NULL;

  stmt = _dbw_store_prepare (self, "SELECT data FROM blobs WHERE hash = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  _dbw_store_release (self, stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                 _("The content “%s” is missing from the project"), hash);
  else if (rc != SQLITE_ROW)
    _dbw_store_set_error (self, rc, "blobs", error);

  return bytes;
}
