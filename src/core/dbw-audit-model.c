/* dbw-audit-model.c
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

#define G_LOG_DOMAIN "dbw-audit-model"

#include "config.h"

#include <string.h>

#include "dbw-audit-model.h"
#include "dbw-store-private.h"

#define PAGE_SIZE 100

struct _DbwAuditModel
{
  GObject       parent_instance;

  DbwStore     *store;
  gulong        changed_id;
  GCancellable *cancellable;

  char         *target_table;
  char         *user;
  char         *text;
  char         *since;

  GArray       *rowids;   /* gint64, in list order */
  GHashTable   *pages;    /* page number → GPtrArray of DbwAuditEntry */
  GStrv         users;
  gint64        newest;   /* the newest entry's rowid when the list was last asked for */
  gboolean      loading;
};

static void dbw_audit_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbwAuditModel, dbw_audit_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dbw_audit_model_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char   *target_table;
  char   *user;
  char   *pattern;
  char   *since;
  GArray *rowids;
  GStrv   users;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->target_table);
  g_free (load->user);
  g_free (load->pattern);
  g_free (load->since);
  g_clear_pointer (&load->rowids, g_array_unref);
  g_strfreev (load->users);
  g_free (load);
}

/* LIKE with the user's text taken literally. */
static char *
like_pattern (const char *text)
{
  GString *pattern;

  if (text == NULL || text[0] == '\0')
    return NULL;

  pattern = g_string_new ("%");
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static gboolean
run_load (DbwStore      *store,
          LoadData      *load,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GStrvBuilder) users = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "SELECT rowid FROM usage_constraint_audit "
                             "WHERE (?1 IS NULL OR target_table = ?1) AND (?2 IS NULL OR modified_by = ?2) "
                             "AND (?3 IS NULL OR target_id LIKE ?3 ESCAPE '\\' OR reason LIKE ?3 ESCAPE '\\') "
                             "AND (?4 IS NULL OR modified_at >= ?4) "
                             "ORDER BY modified_at DESC, rowid DESC", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, load->target_table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, load->user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, load->pattern, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, load->since, -1, SQLITE_STATIC);
  load->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (load->rowids, rowid);
      if (load->rowids->len % 4096 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "usage_constraint_audit", error);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  stmt = _dbw_store_prepare (store,
                             "SELECT DISTINCT modified_by FROM usage_constraint_audit "
                             "WHERE modified_by IS NOT NULL ORDER BY 1", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (users, (const char *) sqlite3_column_text (stmt, 0));
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "usage_constraint_audit", error);
      return FALSE;
    }
  load->users = g_strv_builder_end (users);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  DbwStore *main_store = g_object_get_data (G_OBJECT (task), "store");
  g_autoptr(DbwStore) connection = NULL;
  GError *error = NULL;

  connection = dbw_store_open_connection (main_store, &error);
  if (connection == NULL || !run_load (connection, load, cancellable, &error))
    {
      if (connection != NULL)
        dbw_store_close (connection);
      g_task_return_error (task, error);
      return;
    }
  dbw_store_close (connection);
  g_task_return_boolean (task, TRUE);
}

static void
set_loading (DbwAuditModel *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DbwAuditModel) self = user_data;
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  guint removed, added;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not read the usage audit log: %s", error->message);
          set_loading (self, FALSE);
        }
      return;
    }

  removed = self->rowids != NULL ? self->rowids->len : 0;
  g_clear_pointer (&self->rowids, g_array_unref);
  self->rowids = g_steal_pointer (&load->rowids);
  g_strfreev (self->users);
  self->users = g_steal_pointer (&load->users);
  g_hash_table_remove_all (self->pages);
  added = self->rowids->len;

  set_loading (self, FALSE);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
}

/* The newest entry's rowid; 0 when there is none, or it cannot be read (then the list
 * simply reloads once more). */
static gint64
read_newest (DbwAuditModel *self)
{
  sqlite3_stmt *stmt;
  gint64 newest = 0;

  stmt = _dbw_store_prepare (self->store, "SELECT max (rowid) FROM usage_constraint_audit", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    newest = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (self->store, stmt);

  return newest;
}

static void
reload (DbwAuditModel *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->newest = read_newest (self);

  load = g_new0 (LoadData, 1);
  load->target_table = g_strdup (self->target_table);
  load->user = g_strdup (self->user);
  load->pattern = like_pattern (self->text);
  load->since = g_strdup (self->since);

  task = g_task_new (NULL, self->cancellable, on_loaded_cb, g_object_ref (self));
  g_object_set_data_full (G_OBJECT (task), "store", g_object_ref (self->store), g_object_unref);
  g_task_set_task_data (task, load, load_data_free);
  set_loading (self, TRUE);
  g_task_run_in_thread (task, load_thread);
}

static void
on_store_changed_cb (DbwStore      *store,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     gpointer       user_data)
{
  DbwAuditModel *self = user_data;

  if (g_strcmp0 (table, "usage_constraint_audit") == 0)
    {
      reload (self);
      return;
    }

  /* The project's triggers write an entry when a row's constraints change, whoever
   * changed them; a look at the newest entry (a key lookup) says whether one did. */
  if ((g_strcmp0 (table, "items") == 0 || g_strcmp0 (table, "canonical_labels") == 0 ||
       g_strcmp0 (table, "qa_pairs") == 0) &&
      read_newest (self) != self->newest)
    reload (self);
}

/* A page of entries by rowid: a primary-key lookup of PAGE_SIZE rows, quick enough for the
 * main thread while a list scrolls. */
static GPtrArray *
load_page (DbwAuditModel *self,
           guint          page)
{
  g_autoptr(GString) sql = g_string_new ("SELECT rowid, id, target_table, target_id, old_allowed_uses, new_allowed_uses, "
                                         "old_prohibited_uses, new_prohibited_uses, old_data_classification, "
                                         "new_data_classification, reason, modified_by, modified_at "
                                         "FROM usage_constraint_audit WHERE rowid IN (");
  g_autoptr(GHashTable) by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);
  guint start = page * PAGE_SIZE;
  guint end = MIN (start + PAGE_SIZE, self->rowids->len);
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = start; i < end; i++)
    g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > start ? "," : "", g_array_index (self->rowids, gint64, i));
  g_string_append_c (sql, ')');

  stmt = _dbw_store_prepare_transient (self->store, sql->str, &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read the usage audit log: %s", error->message);
      return entries;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *values[DBW_AUDIT_N_FIELDS];
      gint64 *rowid = g_new (gint64, 1);

      *rowid = sqlite3_column_int64 (stmt, 0);
      for (guint f = 0; f < DBW_AUDIT_N_FIELDS; f++)
        values[f] = (const char *) sqlite3_column_text (stmt, f + 1);
      g_hash_table_insert (by_rowid, rowid, dbw_audit_entry_new (values));
    }
  _dbw_store_release (self->store, stmt);

  for (guint i = start; i < end; i++)
    {
      DbwAuditEntry *entry = g_hash_table_lookup (by_rowid, &g_array_index (self->rowids, gint64, i));

      /* A row gone since the load (a sync reset): keep positions stable with an empty entry. */
      if (entry == NULL)
        {
          const char *none[DBW_AUDIT_N_FIELDS] = { NULL };

          g_ptr_array_add (entries, dbw_audit_entry_new (none));
        }
      else
        g_ptr_array_add (entries, g_object_ref (entry));
    }
  return entries;
}

static GType
dbw_audit_model_get_item_type (GListModel *model)
{
  return DBW_TYPE_AUDIT_ENTRY;
}

static guint
dbw_audit_model_get_n_items (GListModel *model)
{
  DbwAuditModel *self = DBW_AUDIT_MODEL (model);

  return self->rowids != NULL ? self->rowids->len : 0;
}

static gpointer
dbw_audit_model_get_item (GListModel *model,
                          guint       position)
{
  DbwAuditModel *self = DBW_AUDIT_MODEL (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *entries;

  if (self->rowids == NULL || position >= self->rowids->len)
    return NULL;

  entries = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (entries == NULL)
    {
      entries = load_page (self, page);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), entries);
    }
  if (position - page * PAGE_SIZE >= entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (entries, position - page * PAGE_SIZE));
}

static void
dbw_audit_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dbw_audit_model_get_item_type;
  iface->get_n_items = dbw_audit_model_get_n_items;
  iface->get_item = dbw_audit_model_get_item;
}

static void
dbw_audit_model_dispose (GObject *object)
{
  DbwAuditModel *self = (DbwAuditModel *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbw_audit_model_parent_class)->dispose (object);
}

static void
dbw_audit_model_finalize (GObject *object)
{
  DbwAuditModel *self = (DbwAuditModel *) object;

  g_free (self->target_table);
  g_free (self->user);
  g_free (self->text);
  g_free (self->since);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_strfreev (self->users);

  G_OBJECT_CLASS (dbw_audit_model_parent_class)->finalize (object);
}

static void
dbw_audit_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DbwAuditModel *self = DBW_AUDIT_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_audit_model_class_init (DbwAuditModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbw_audit_model_dispose;
  object_class->finalize = dbw_audit_model_finalize;
  object_class->get_property = dbw_audit_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_audit_model_init (DbwAuditModel *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
}

DbwAuditModel *
dbw_audit_model_new (DbwStore *store)
{
  DbwAuditModel *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_AUDIT_MODEL, NULL);
  self->store = g_object_ref (store);
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  reload (self);
  return self;
}

void
dbw_audit_model_set_filter (DbwAuditModel *self,
                            const char    *target_table,
                            const char    *user,
                            const char    *text,
                            const char    *since)
{
  g_return_if_fail (DBW_IS_AUDIT_MODEL (self));

  g_free (self->target_table);
  self->target_table = g_strdup (target_table);
  g_free (self->user);
  self->user = g_strdup (user);
  g_free (self->text);
  self->text = g_strdup (text);
  g_free (self->since);
  self->since = g_strdup (since);
  reload (self);
}

gboolean
dbw_audit_model_get_loading (DbwAuditModel *self)
{
  g_return_val_if_fail (DBW_IS_AUDIT_MODEL (self), FALSE);

  return self->loading;
}

const char * const *
dbw_audit_model_get_users (DbwAuditModel *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (DBW_IS_AUDIT_MODEL (self), NULL);

  return self->users != NULL ? (const char * const *) self->users : none;
}
