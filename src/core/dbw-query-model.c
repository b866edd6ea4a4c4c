/* dbw-query-model.c
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

#define G_LOG_DOMAIN "dbw-query-model"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-query-model.h"
#include "dbw-search.h"
#include "dbw-record-private.h"
#include "dbw-store-private.h"

/* A GListModel over one table of a project. It keeps only the ordered rowids of the matching
 * rows (8 bytes a row: 100,000 rows open in milliseconds) and materialises records a page at a
 * time when a list asks for them, holding a bounded number of pages. When the store reports a
 * change, the rowids are queried again and only the range that differs is announced with
 * items-changed; the rows outside it keep their record objects at their new positions, and
 * a row updated in place is refreshed in the record object the list already shows, so bound
 * widgets update without being rebuilt. Records leave out their deferred and large
 * columns (dbw_record_is_partial()): a list of exports shows when and how each was made, not
 * the ids of every pair in it, and a list of documents their names, not their text (a page
 * of 500 KB texts took 40-85 ms to read). */

#define PAGE_SIZE 128
#define MAX_PAGES 64

typedef struct
{
  char *column;
  char *value;
} Filter;

struct _DbwQueryModel
{
  GObject         parent_instance;

  DbwStore       *store;
  GType           record_type;
  DbwRecordClass *record_class;
  gulong          changed_handler;

  GPtrArray      *filters;
  char           *sort_column;
  char           *sort_field;   /* a member of an item's fields, or NULL */
  gboolean        sort_descending;
  char           *search;       /* an FTS5 query, or NULL */
  gboolean        current_only;
  DbwLabelFilter  label_filter;

  /* Asynchronous reloads run the query on a connection of the model's own, in a
   * worker thread; only the newest request's answer is applied. */
  gboolean        asynchronous;
  guint           n_pending;
  struct _Worker *worker;

  GArray         *rowids;
  GHashTable     *pages;      /* page index → GPtrArray of DbwRecord */
  GQueue          page_lru;   /* page indexes, most recent first */
  GHashTable     *by_id;      /* id → DbwRecord, for the cached pages */
  guint           n_loaded;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbwQueryModel, dbw_query_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_RECORD_TYPE,
  PROP_N_ITEMS,
  PROP_ASYNCHRONOUS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
filter_free (gpointer data)
{
  Filter *filter = data;

  g_free (filter->column);
  g_free (filter->value);
  g_free (filter);
}

static void
drop_pages (DbwQueryModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->by_id);
  g_queue_clear (&self->page_lru);
}

#define LABELED_ITEM_CLAUSE \
  "EXISTS (SELECT 1 FROM canonical_labels AS label WHERE label.sheet_id = items.sheet_id " \
  "AND label.item_ref = items.item_ref)"

static gboolean
is_items (DbwQueryModel *self)
{
  return g_str_equal (self->record_class->table, "items");
}

/* The WHERE clause; its parameters are the filters' values, then the search query. */
static char *
build_where (DbwQueryModel *self)
{
  g_autoptr(GString) where = g_string_new (NULL);
  guint param = 0;

#define AND() g_string_append (where, where->len == 0 ? " WHERE " : " AND ")
  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = g_ptr_array_index (self->filters, i);

      AND ();
      g_string_append_printf (where, "%s IS ?%u", filter->column, ++param);
    }

  if (self->search != NULL)
    {
      AND ();
      g_string_append_printf (where, "rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?%u)", ++param);
    }

  if (self->current_only)
    {
      AND ();
      g_string_append (where, is_items (self) ? DBW_SQL_CURRENT_ITEM : "deleted_at IS NULL");
    }

  if (self->label_filter != DBW_LABEL_FILTER_ANY)
    {
      AND ();
      if (self->label_filter == DBW_LABEL_FILTER_UNLABELED)
        g_string_append (where, "NOT ");
      g_string_append (where, LABELED_ITEM_CLAUSE);
    }
#undef AND

  return g_string_free (g_steal_pointer (&where), FALSE);
}

/* A query, taken out of the model so a worker thread can run it. */
typedef struct
{
  char      *sql;
  GPtrArray *params;   /* text, NULL for SQL NULL */
  char      *table;
} Query;

static void
query_free (Query *query)
{
  g_free (query->sql);
  g_ptr_array_unref (query->params);
  g_free (query->table);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

static guint
n_params (DbwQueryModel *self)
{
  return self->filters->len + (self->search != NULL ? 1 : 0) + (self->sort_field != NULL ? 1 : 0);
}

static Query *
build_query (DbwQueryModel *self)
{
  Query *query = g_new0 (Query, 1);
  g_autofree char *where = build_where (self);

  query->table = g_strdup (self->record_class->table);
  query->params = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = g_ptr_array_index (self->filters, i);

      g_ptr_array_add (query->params, g_strdup (filter->value));
    }

  if (self->search != NULL)
    g_ptr_array_add (query->params, g_strdup (self->search));

  if (self->sort_field != NULL)
    {
      const char *dir = self->sort_descending ? "DESC" : "ASC";
      guint param = n_params (self);

      g_ptr_array_add (query->params, _dbw_json_path_for_member (self->sort_field));

      /* Values that read as numbers sort as numbers, before text. */
      query->sql = g_strdup_printf ("SELECT rowid FROM %s%s ORDER BY "
                                    "(SELECT CASE WHEN v IS NULL OR v = '' THEN 2 "
                                    "WHEN v GLOB '*[0-9]*' AND NOT v GLOB '*[^0-9.eE+ -]*' THEN 0 ELSE 1 END "
                                    "FROM (SELECT json_extract (fields, ?%u) AS v)) %s, "
                                    "CAST (json_extract (fields, ?%u) AS REAL) %s, "
                                    "json_extract (fields, ?%u) %s, rowid %s",
                                    query->table, where, param, dir, param, dir, param, dir, dir);
    }
  else if (self->sort_column != NULL)
    query->sql = g_strdup_printf ("SELECT rowid FROM %s%s ORDER BY %s %s, rowid",
                                  query->table, where, self->sort_column,
                                  self->sort_descending ? "DESC" : "ASC");
  else
    query->sql = g_strdup_printf ("SELECT rowid FROM %s%s ORDER BY rowid", query->table, where);

  return query;
}

static GArray *
run_query (DbwStore  *store,
           Query     *query,
           GError   **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare_transient (store, query->sql, error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < query->params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (query->params, i), -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, query->table, error);
      return NULL;
    }

  return g_steal_pointer (&rowids);
}

static GArray *
query_rowids (DbwQueryModel  *self,
              GError        **error)
{
  g_autoptr(Query) query = build_query (self);

  return run_query (self->store, query, error);
}

static void
evict_pages (DbwQueryModel *self)
{
  while (g_queue_get_length (&self->page_lru) > MAX_PAGES)
    {
      guint page = GPOINTER_TO_UINT (g_queue_pop_tail (&self->page_lru));
      GPtrArray *records = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

      for (guint i = 0; records != NULL && i < records->len; i++)
        {
          DbwRecord *record = g_ptr_array_index (records, i);
          /* A stand-in for a row deleted meanwhile has no id. */
          const char *id = record != NULL ? dbw_record_get_id (record) : NULL;

          if (id != NULL && g_hash_table_lookup (self->by_id, id) == record)
            g_hash_table_remove (self->by_id, id);
        }

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (page));
    }
}

/* @rowids as a JSON array, for json_each (); rowids of 0 are left out. */
static GString *
rowids_to_json (const gint64 *rowids,
                guint         n_rowids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < n_rowids; i++)
    if (rowids[i] != 0)
      g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "", rowids[i]);
  g_string_append_c (json, ']');

  return json;
}

/* Reads the rows @rowids[i] into slot i of @records: into the record already there, so bound
 * widgets see the change, or into a new record when the slot is empty. Slots whose rowid is 0
 * are skipped. Returns %FALSE only when the query could not be prepared. */
static gboolean
load_rows (DbwQueryModel *self,
           const gint64  *rowids,
           GPtrArray     *records)
{
  g_autoptr(GHashTable) slot_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GString) ids = rowids_to_json (rowids, records->len);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < records->len; i++)
    if (rowids[i] != 0)
      g_hash_table_insert (slot_of, (gpointer) &rowids[i], GUINT_TO_POINTER (i));

  stmt = _dbw_store_prepare (self->store,
                             _dbw_record_class_get_sql (self->record_class, DBW_SQL_BROWSE_BY_ROWIDS),
                             &error);
  if (stmt == NULL)
    {
      g_warning ("Could not load rows of %s: %s", self->record_class->table, error->message);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      gpointer slot;
      DbwRecord *record;

      if (!g_hash_table_lookup_extended (slot_of, &rowid, NULL, &slot))
        continue;

      record = g_ptr_array_index (records, GPOINTER_TO_UINT (slot));
      if (record != NULL)
        {
          _dbw_record_load_from_stmt (record, stmt, 0);
          continue;
        }

      record = g_object_new (self->record_type, NULL);
      _dbw_record_load_from_stmt (record, stmt, 0);
      g_ptr_array_index (records, GPOINTER_TO_UINT (slot)) = record;
      g_hash_table_insert (self->by_id, g_strdup (dbw_record_get_id (record)), record);
      self->n_loaded++;
    }
  _dbw_store_release (self->store, stmt);

  if (rc != SQLITE_DONE)
    g_warning ("Could not load rows of %s", self->record_class->table);

  return TRUE;
}

/* Loads the rows of @page that @records has no record for yet. */
static gboolean
fill_page (DbwQueryModel *self,
           guint          page,
           GPtrArray     *records)
{
  g_autoptr(GArray) missing = g_array_sized_new (FALSE, TRUE, sizeof (gint64), records->len);
  guint first = page * PAGE_SIZE;

  for (guint i = 0; i < records->len; i++)
    {
      gint64 rowid = g_ptr_array_index (records, i) == NULL ? g_array_index (self->rowids, gint64, first + i) : 0;

      g_array_append_val (missing, rowid);
    }

  if (!load_rows (self, &g_array_index (missing, gint64, 0), records))
    return FALSE;

  /* A row deleted by another connection since the rowids were read: stand in with an empty
   * record until the next change notification removes it. */
  for (guint i = 0; i < records->len; i++)
    if (g_ptr_array_index (records, i) == NULL)
      g_ptr_array_index (records, i) = g_object_new (self->record_type, NULL);

  return TRUE;
}

/* A page may have empty slots, for rows not loaded yet. */
static void
unref_record (gpointer record)
{
  if (record != NULL)
    g_object_unref (record);
}

static GPtrArray *
new_page (DbwQueryModel *self,
          guint          page)
{
  guint first = page * PAGE_SIZE;
  GPtrArray *records = g_ptr_array_new_full (PAGE_SIZE, unref_record);

  g_ptr_array_set_size (records, MIN (first + PAGE_SIZE, self->rowids->len) - first);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), records);

  return records;
}

static GPtrArray *
load_page (DbwQueryModel *self,
           guint          page)
{
  GPtrArray *records = new_page (self, page);

  if (!fill_page (self, page, records))
    {
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (page));
      return NULL;
    }

  g_queue_push_head (&self->page_lru, GUINT_TO_POINTER (page));
  evict_pages (self);

  return records;
}

static GType
dbw_query_model_get_item_type (GListModel *model)
{
  return DBW_QUERY_MODEL (model)->record_type;
}

static guint
dbw_query_model_get_n_items (GListModel *model)
{
  DbwQueryModel *self = DBW_QUERY_MODEL (model);

  return self->rowids->len;
}

static gpointer
dbw_query_model_get_item (GListModel *model,
                          guint       position)
{
  DbwQueryModel *self = DBW_QUERY_MODEL (model);
  GPtrArray *records;
  guint page;

  if (position >= self->rowids->len)
    return NULL;

  page = position / PAGE_SIZE;
  records = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (records == NULL)
    {
      records = load_page (self, page);
      if (records == NULL)
        return NULL;
    }
  else
    {
      /* A page kept across a reload may have rows to load where others were. */
      if (g_ptr_array_index (records, position % PAGE_SIZE) == NULL && !fill_page (self, page, records))
        return NULL;

      if (g_queue_peek_head (&self->page_lru) != GUINT_TO_POINTER (page))
        {
          g_queue_remove (&self->page_lru, GUINT_TO_POINTER (page));
          g_queue_push_head (&self->page_lru, GUINT_TO_POINTER (page));
        }
    }

  return g_object_ref (g_ptr_array_index (records, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = dbw_query_model_get_item_type;
  iface->get_n_items = dbw_query_model_get_n_items;
  iface->get_item = dbw_query_model_get_item;
}

/* Puts the cached rows outside the range that changed at their new positions: a list then
 * gets the same record for the same row and keeps it bound (a decision that takes a pair
 * out of a filtered queue of 100,000 rebound every row on show). Rows in the range, and
 * rows no longer where they should be, are loaded again when asked for. */
static void
shift_pages (DbwQueryModel *self,
             guint          changed_start,
             guint          changed_end,
             gint64         shift)
{
  g_autoptr(GHashTable) old_pages = g_steal_pointer (&self->pages);
  g_autoptr(GQueue) old_lru = g_queue_copy (&self->page_lru);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_hash_table_remove_all (self->by_id);
  g_queue_clear (&self->page_lru);

  g_hash_table_iter_init (&iter, old_pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *records = value;
      guint first = GPOINTER_TO_UINT (key) * PAGE_SIZE;

      for (guint i = 0; i < records->len; i++)
        {
          DbwRecord *record = g_ptr_array_index (records, i);
          guint old_position = first + i;
          gint64 position;
          GPtrArray *page_records;
          guint page;

          if (old_position >= changed_start && old_position < changed_end)
            continue;
          position = old_position < changed_start ? old_position : old_position + shift;
          if (record == NULL || position < 0 || position >= self->rowids->len ||
              dbw_record_get_rowid (record) != g_array_index (self->rowids, gint64, position))
            continue;

          page = position / PAGE_SIZE;
          page_records = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
          if (page_records == NULL)
            page_records = new_page (self, page);
          g_ptr_array_index (page_records, position % PAGE_SIZE) = g_object_ref (record);
          g_hash_table_insert (self->by_id, g_strdup (dbw_record_get_id (record)), record);
        }
    }

  /* The pages in the order they were used: a shifted page spans two, and the one that got
   * most of its rows (its middle row's) ranks first. */
  for (GList *l = old_lru->head; l != NULL; l = l->next)
    {
      guint old_first = GPOINTER_TO_UINT (l->data) * PAGE_SIZE;
      const guint offsets[] = { PAGE_SIZE / 2, 0, PAGE_SIZE - 1 };

      for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
        {
          guint old_position = old_first + offsets[i];
          gint64 position;
          gpointer page;

          if (old_position >= changed_start && old_position < changed_end)
            continue;
          position = old_position < changed_start ? old_position : old_position + shift;
          if (position < 0)
            continue;
          page = GUINT_TO_POINTER ((guint) (position / PAGE_SIZE));
          if (g_hash_table_contains (self->pages, page) && g_queue_find (&self->page_lru, page) == NULL)
            g_queue_push_tail (&self->page_lru, page);
        }
    }
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_queue_find (&self->page_lru, key) == NULL)
      g_queue_push_tail (&self->page_lru, key);

  evict_pages (self);
}

/* Announces the smallest range in which the old and new rowid lists differ. */
static void
replace_rowids (DbwQueryModel *self,
                GArray        *rowids)
{
  g_autoptr(GArray) old = g_steal_pointer (&self->rowids);
  guint old_n = old->len;
  guint new_n = rowids->len;
  guint prefix = 0;
  guint suffix = 0;

  self->rowids = g_array_ref (rowids);

  while (prefix < old_n && prefix < new_n &&
         g_array_index (old, gint64, prefix) == g_array_index (rowids, gint64, prefix))
    prefix++;

  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old, gint64, old_n - 1 - suffix) == g_array_index (rowids, gint64, new_n - 1 - suffix))
    suffix++;

  if (prefix == old_n && prefix == new_n)
    return;

  shift_pages (self, prefix, old_n - suffix, (gint64) new_n - old_n);

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_n - prefix - suffix, new_n - prefix - suffix);

  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);
}

static void
set_n_pending (DbwQueryModel *self,
               guint          n_pending)
{
  gboolean was_loading = self->n_pending > 0;

  self->n_pending = n_pending;
  if (was_loading != (n_pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

/* What the worker threads share with the model. It is not the model itself, which must
 * be finalised on the main thread: a task's last reference may be dropped in a worker. */
typedef struct _Worker
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  DbwStore        *store;        /* opened by the first query */
  GFile           *file;
  gint             generation;   /* atomic */
} Worker;

static Worker *
worker_new (GFile *file)
{
  Worker *worker = g_new0 (Worker, 1);

  g_atomic_ref_count_init (&worker->ref_count);
  g_mutex_init (&worker->lock);
  worker->file = g_object_ref (file);

  return worker;
}

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;

  if (worker->store != NULL)
    dbw_store_close (worker->store);
  g_clear_object (&worker->store);
  g_clear_object (&worker->file);
  g_mutex_clear (&worker->lock);
  g_free (worker);
}

typedef struct
{
  Query   *query;
  Worker  *worker;
  GWeakRef model;
  gint     generation;
} ReloadJob;

static void
reload_job_free (ReloadJob *job)
{
  query_free (job->query);
  worker_unref (job->worker);
  g_weak_ref_clear (&job->model);
  g_free (job);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReloadJob *job = task_data;
  Worker *worker = job->worker;
  GError *error = NULL;
  GArray *rowids = NULL;

  g_mutex_lock (&worker->lock);

  /* A newer request supersedes this one (checked once the lock is ours, since earlier
   * requests may have kept it for a while): do not run it. */
  if (job->generation == g_atomic_int_get (&worker->generation))
    {
      if (worker->store == NULL)
        worker->store = dbw_store_open (worker->file, DBW_STORE_OPEN_DEFAULT, &error);
      if (worker->store != NULL)
        rowids = run_query (worker->store, job->query, &error);
    }

  g_mutex_unlock (&worker->lock);

  if (rowids == NULL && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rowids, (GDestroyNotify) g_array_unref);
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReloadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(DbwQueryModel) self = g_weak_ref_get (&job->model);
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) error = NULL;

  rowids = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL)
    return;

  if (job->generation == g_atomic_int_get (&job->worker->generation))
    {
      if (rowids != NULL)
        replace_rowids (self, rowids);
      else if (error != NULL)
        g_warning ("Could not list %s: %s", self->record_class->table, error->message);
    }

  set_n_pending (self, self->n_pending - 1);
}

/* Queries the rows again: at once, or in a worker thread for an asynchronous model. */
static gboolean
request_reload (DbwQueryModel  *self,
                GError        **error)
{
  g_autoptr(GTask) task = NULL;
  ReloadJob *job;

  if (!self->asynchronous)
    return dbw_query_model_reload (self, error);

  if (self->worker == NULL)
    self->worker = worker_new (dbw_store_get_file (self->store));

  job = g_new0 (ReloadJob, 1);
  job->query = build_query (self);
  job->worker = worker_ref (self->worker);
  g_weak_ref_init (&job->model, self);
  job->generation = g_atomic_int_add (&self->worker->generation, 1) + 1;

  task = g_task_new (NULL, NULL, reload_done_cb, NULL);
  g_task_set_name (task, "[dbw-query-model] reload");
  g_task_set_task_data (task, job, (GDestroyNotify) reload_job_free);
  set_n_pending (self, self->n_pending + 1);
  g_task_run_in_thread (task, reload_thread);

  return TRUE;
}

/* Ids for positions */

typedef struct
{
  GFile      *file;
  const char *table;
  GArray     *rowids;   /* gint64, in the order asked for */
} IdsJob;

static void
ids_job_free (IdsJob *job)
{
  g_clear_object (&job->file);
  g_clear_pointer (&job->rowids, g_array_unref);
  g_free (job);
}

static void
ids_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  IdsJob *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GString) rowids = NULL;
  g_autofree char *sql = NULL;
  GError *error = NULL;
  sqlite3_stmt *stmt;
  GStrv ids = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  store = dbw_store_open (job->file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* In the order asked for; a row deleted since has nothing to join. */
  rowids = rowids_to_json ((const gint64 *) (gpointer) job->rowids->data, job->rowids->len);
  sql = g_strdup_printf ("SELECT record.id FROM json_each (?1) AS position "
                         "JOIN %s AS record ON record.rowid = position.value "
                         "ORDER BY position.key", job->table);
  stmt = _dbw_store_prepare (store, sql, &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, rowids->str, rowids->len, SQLITE_STATIC);
      ids = _dbw_store_collect_strings (store, stmt, FALSE, job->table, &error);
    }
  dbw_store_close (store);

  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_strfreev);
}

/**
 * dbw_query_model_dup_ids_async:
 * @positions: (array length=n_positions): positions in the list, as it is now
 *
 * Reads the ids of the records at @positions in a worker, without loading the records:
 * for a selection of many rows. Positions past the end, and rows deleted meanwhile, are
 * left out; the order is kept.
 */
void
dbw_query_model_dup_ids_async (DbwQueryModel       *self,
                               const guint         *positions,
                               guint                n_positions,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  IdsJob *job;

  g_return_if_fail (DBW_IS_QUERY_MODEL (self));
  g_return_if_fail (positions != NULL || n_positions == 0);

  job = g_new0 (IdsJob, 1);
  job->file = g_object_ref (dbw_store_get_file (self->store));
  job->table = self->record_class->table;
  job->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_positions);
  for (guint i = 0; i < n_positions; i++)
    if (positions[i] < self->rowids->len)
      g_array_append_val (job->rowids, g_array_index (self->rowids, gint64, positions[i]));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-query-model] ids");
  g_task_set_task_data (task, job, (GDestroyNotify) ids_job_free);
  g_task_run_in_thread (task, ids_thread);
}

/**
 * dbw_query_model_dup_ids_finish:
 *
 * Returns: (transfer full): the ids, in the order of the positions asked for
 */
GStrv
dbw_query_model_dup_ids_finish (DbwQueryModel  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refresh_record (DbwQueryModel *self,
                const char    *id)
{
  g_autoptr(DbwRecord) fresh = NULL;
  DbwRecord *record = g_hash_table_lookup (self->by_id, id);

  if (record == NULL)
    return;

  fresh = dbw_store_get (self->store, self->record_type, id, NULL);
  if (fresh != NULL)
    dbw_record_copy_from (record, fresh);
}

static void
refresh_page (DbwQueryModel *self,
              GPtrArray     *records)
{
  g_autoptr(GArray) rowids = g_array_sized_new (FALSE, TRUE, sizeof (gint64), records->len);

  for (guint i = 0; i < records->len; i++)
    {
      DbwRecord *record = g_ptr_array_index (records, i);
      gint64 rowid = record != NULL ? dbw_record_get_rowid (record) : 0;

      g_array_append_val (rowids, rowid);
    }

  load_rows (self, &g_array_index (rowids, gint64, 0), records);
}

static void
on_store_changed_cb (DbwQueryModel *self,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     DbwStore      *store)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (table, self->record_class->table))
    {
      /* Tables the filters read: which rows belong may change, the rows themselves do not. */
      if ((g_str_equal (table, "canonical_labels") && self->label_filter != DBW_LABEL_FILTER_ANY) ||
          (g_str_equal (table, "sheets") && self->current_only && is_items (self)))
        {
          if (!request_reload (self, &error))
            g_warning ("Could not refresh the list of %s: %s", self->record_class->table, error->message);
        }
      return;
    }

  if (kind == DBW_CHANGE_UPDATED && id != NULL)
    {
      refresh_record (self, id);

      /* Without filters or sort the set and order of rows cannot change on update. */
      if (self->filters->len == 0 && self->sort_column == NULL && self->sort_field == NULL &&
          self->search == NULL && !self->current_only && self->label_filter == DBW_LABEL_FILTER_ANY)
        return;
    }

  if (!request_reload (self, &error))
    g_warning ("Could not refresh the list of %s: %s", table, error->message);

  if (kind == DBW_CHANGE_RESET)
    {
      /* Rows may have changed in place without moving: refresh the cached pages, one
       * query a page rather than one a row. */
      GHashTableIter iter;
      GPtrArray *records;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &records))
        refresh_page (self, records);
    }
}

static void
dbw_query_model_dispose (GObject *object)
{
  DbwQueryModel *self = (DbwQueryModel *)object;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbw_query_model_parent_class)->dispose (object);
}

static void
dbw_query_model_finalize (GObject *object)
{
  DbwQueryModel *self = (DbwQueryModel *)object;

  drop_pages (self);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  g_clear_pointer (&self->sort_field, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->sort_column, g_free);
  g_clear_pointer (&self->worker, worker_unref);

  G_OBJECT_CLASS (dbw_query_model_parent_class)->finalize (object);
}

static void
dbw_query_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DbwQueryModel *self = DBW_QUERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_RECORD_TYPE:
      g_value_set_gtype (value, self->record_type);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids->len);
      break;

    case PROP_ASYNCHRONOUS:
      g_value_set_boolean (value, self->asynchronous);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->n_pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_query_model_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DbwQueryModel *self = DBW_QUERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_RECORD_TYPE:
      self->record_type = g_value_get_gtype (value);
      break;

    case PROP_ASYNCHRONOUS:
      dbw_query_model_set_asynchronous (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_query_model_constructed (GObject *object)
{
  DbwQueryModel *self = (DbwQueryModel *)object;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (dbw_query_model_parent_class)->constructed (object);

  g_assert (DBW_IS_STORE (self->store));
  g_assert (g_type_is_a (self->record_type, DBW_TYPE_RECORD));

  self->record_class = g_type_class_peek (self->record_type);
  if (self->record_class == NULL)
    self->record_class = g_type_class_ref (self->record_type);

  self->changed_handler =
    g_signal_connect_object (self->store, "changed",
                             G_CALLBACK (on_store_changed_cb),
                             self, G_CONNECT_SWAPPED);

  if (!request_reload (self, &error))
    g_warning ("Could not list %s: %s", self->record_class->table, error->message);
}

static void
dbw_query_model_class_init (DbwQueryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dbw_query_model_constructed;
  object_class->dispose = dbw_query_model_dispose;
  object_class->finalize = dbw_query_model_finalize;
  object_class->get_property = dbw_query_model_get_property;
  object_class->set_property = dbw_query_model_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DBW_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_RECORD_TYPE] =
    g_param_spec_gtype ("record-type", NULL, NULL,
                        DBW_TYPE_RECORD,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * DbwQueryModel:asynchronous:
   *
   * Whether changes of filter, search and order (and of the store) query the rows in a
   * worker thread, keeping the old rows until the new ones are known, so the main thread
   * never waits on a query over many rows. Off by default: then every change is applied
   * before the setter returns.
   */
  properties [PROP_ASYNCHRONOUS] =
    g_param_spec_boolean ("asynchronous", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwQueryModel:loading:
   *
   * Whether an asynchronous query is under way.
   */
  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_query_model_init (DbwQueryModel *self)
{
  self->filters = g_ptr_array_new_with_free_func (filter_free);
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  /* Keys are copies: reloading a record in place replaces its id string. */
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * dbw_query_model_new:
 * @store: the project
 * @record_type: a #DbwRecord subtype; its table is listed
 *
 * Returns: (transfer full): a model listing every row, in insertion order
 */
DbwQueryModel *
dbw_query_model_new (DbwStore *store,
                     GType     record_type)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD), NULL);

  return g_object_new (DBW_TYPE_QUERY_MODEL,
                       "store", store,
                       "record-type", record_type,
                       NULL);
}

DbwStore *
dbw_query_model_get_store (DbwQueryModel *self)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), NULL);

  return self->store;
}

static gboolean
check_column (DbwQueryModel  *self,
              const char     *column,
              GError        **error)
{
  if (g_strcmp0 (column, "id") == 0 || dbw_record_class_find_column (self->record_class, column) != NULL)
    return TRUE;

  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
               _("“%s” is not a column of %s"), column, self->record_class->table);
  return FALSE;
}

/**
 * dbw_query_model_set_filter:
 * @column: a column of the record type
 * @value: (nullable): the value the column must have, or %NULL to match SQL NULL
 *
 * Restricts the model to rows where @column equals @value, replacing an earlier filter on
 * the same column. Filters combine with AND. The model reloads.
 */
gboolean
dbw_query_model_set_filter (DbwQueryModel  *self,
                            const char     *column,
                            const char     *value,
                            GError        **error)
{
  Filter *filter;

  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  if (!check_column (self, column, error))
    return FALSE;

  for (guint i = 0; i < self->filters->len; i++)
    {
      filter = g_ptr_array_index (self->filters, i);

      if (g_str_equal (filter->column, column))
        {
          g_free (filter->value);
          filter->value = g_strdup (value);
          return request_reload (self, error);
        }
    }

  filter = g_new0 (Filter, 1);
  filter->column = g_strdup (column);
  filter->value = g_strdup (value);
  g_ptr_array_add (self->filters, filter);

  return request_reload (self, error);
}

/**
 * dbw_query_model_unset_filter:
 *
 * Removes the filter on @column, if there is one.
 */
gboolean
dbw_query_model_unset_filter (DbwQueryModel  *self,
                              const char     *column,
                              GError        **error)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  for (guint i = 0; i < self->filters->len; i++)
    {
      Filter *filter = g_ptr_array_index (self->filters, i);

      if (g_str_equal (filter->column, column))
        {
          g_ptr_array_remove_index (self->filters, i);
          return request_reload (self, error);
        }
    }

  return TRUE;
}

void
dbw_query_model_clear_filters (DbwQueryModel *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DBW_IS_QUERY_MODEL (self));

  if (self->filters->len == 0)
    return;

  g_ptr_array_set_size (self->filters, 0);
  if (!request_reload (self, &error))
    g_warning ("Could not list %s: %s", self->record_class->table, error->message);
}

/**
 * dbw_query_model_set_sort:
 * @column: (nullable): a column to order by, or %NULL for insertion order
 */
gboolean
dbw_query_model_set_sort (DbwQueryModel  *self,
                          const char     *column,
                          gboolean        descending,
                          GError        **error)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);

  if (column != NULL && !check_column (self, column, error))
    return FALSE;

  g_free (self->sort_column);
  self->sort_column = g_strdup (column);
  g_clear_pointer (&self->sort_field, g_free);
  self->sort_descending = !!descending;

  /* Every position may move. */
  return request_reload (self, error);
}

/**
 * dbw_query_model_set_sort_field:
 * @field: (nullable): a member of the items' fields to order by, or %NULL for insertion
 *   order
 *
 * Orders items by one of their fields: values that read as numbers first, in numeric
 * order, then text, then items without the field.
 */
gboolean
dbw_query_model_set_sort_field (DbwQueryModel  *self,
                                const char     *field,
                                gboolean        descending,
                                GError        **error)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (field == NULL || is_items (self), FALSE);

  g_clear_pointer (&self->sort_column, g_free);
  g_free (self->sort_field);
  self->sort_field = g_strdup (field);
  self->sort_descending = !!descending;

  return request_reload (self, error);
}

/**
 * dbw_query_model_set_search:
 * @text: (nullable): what the user typed in a search entry, or %NULL
 *
 * Restricts a model of items to those that match @text in the full-text index; see
 * dbw_search_make_query().
 */
gboolean
dbw_query_model_set_search (DbwQueryModel  *self,
                            const char     *text,
                            GError        **error)
{
  g_autofree char *query = NULL;

  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (is_items (self), FALSE);

  query = dbw_search_make_query (text);
  if (g_strcmp0 (query, self->search) == 0)
    return TRUE;

  g_free (self->search);
  self->search = g_steal_pointer (&query);

  return request_reload (self, error);
}

/**
 * dbw_query_model_set_current_only:
 *
 * Shows only what the user works with: for items, the newest version of each item in
 * sheets that are not deleted; for sheets, those not deleted.
 */
gboolean
dbw_query_model_set_current_only (DbwQueryModel  *self,
                                  gboolean        current_only,
                                  GError        **error)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);

  if (self->current_only == !!current_only)
    return TRUE;

  self->current_only = !!current_only;

  return request_reload (self, error);
}

/**
 * dbw_query_model_set_label_filter:
 *
 * Restricts a model of items to those with, or without, a canonical label.
 */
gboolean
dbw_query_model_set_label_filter (DbwQueryModel   *self,
                                  DbwLabelFilter   filter,
                                  GError         **error)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (filter == DBW_LABEL_FILTER_ANY || is_items (self), FALSE);

  if (self->label_filter == filter)
    return TRUE;

  self->label_filter = filter;

  return request_reload (self, error);
}

/**
 * dbw_query_model_reload:
 *
 * Queries the matching rows again and announces what changed.
 */
gboolean
dbw_query_model_reload (DbwQueryModel  *self,
                        GError        **error)
{
  g_autoptr(GArray) rowids = NULL;

  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);

  rowids = query_rowids (self, error);
  if (rowids == NULL)
    return FALSE;

  replace_rowids (self, rowids);

  return TRUE;
}

void
dbw_query_model_set_asynchronous (DbwQueryModel *self,
                                  gboolean       asynchronous)
{
  g_return_if_fail (DBW_IS_QUERY_MODEL (self));

  asynchronous = !!asynchronous;
  if (self->asynchronous == asynchronous)
    return;

  self->asynchronous = asynchronous;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ASYNCHRONOUS]);
}

gboolean
dbw_query_model_get_loading (DbwQueryModel *self)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), FALSE);

  return self->n_pending > 0;
}

/**
 * dbw_query_model_get_n_loaded:
 *
 * Returns: how many records were materialised since the model was created; tests and
 *   benchmarks use it to check that rows load on demand
 */
guint
dbw_query_model_get_n_loaded (DbwQueryModel *self)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), 0);

  return self->n_loaded;
}

/**
 * dbw_query_model_find_rowid:
 * @rowid: the rowid of a record, from dbw_record_get_rowid()
 *
 * Finds where a record stands in the list as it is now, without loading any record.
 *
 * Returns: its position, or %GTK_INVALID_LIST_POSITION (G_MAXUINT) when the list does not
 *   hold it
 */
guint
dbw_query_model_find_rowid (DbwQueryModel *self,
                            gint64         rowid)
{
  g_return_val_if_fail (DBW_IS_QUERY_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == rowid)
      return i;

  return G_MAXUINT;
}
