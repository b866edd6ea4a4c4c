/* dbw-sync-service.c
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
#include <glib/gstdio.h>

#include "dbw-sync-service.h"
#include "dbw-sync-statements.h"

/* Mirrors a project to Delta tables in a workspace schema and back.
 *
 * A sync runs in a worker thread on its own connection to the project: it makes sure the
 * schema, the volume and the tables exist, pushes the outbox (dbw-sync-journal.c) table
 * by table, parents first, and pulls what other clients changed since the watermark. Every
 * statement it sends is idempotent, so a failed request is simply sent again, and a sync
 * killed half-way resumes from the outbox: an entry leaves it only once the workspace has
 * taken its row.
 *
 * The worker talks to the workspace through the asynchronous DbwDatabricks calls, waiting
 * on a main context of its own; the service's DbwDatabricks is used by one sync at a time
 * and by nothing else. */

#define DEFAULT_BATCH_SIZE      200
#define DEFAULT_STAGE_THRESHOLD 1000
#define STAGE_MAX_ROWS          20000
#define PULL_PAGE_SIZE          5000
/* Well below the 25 MiB a workspace sends inline: a page of long PDF texts stops here
 * and the next page goes on from its last row. */
#define DEFAULT_PULL_BYTE_LIMIT (16 * 1024 * 1024)
#define DEFAULT_OVERLAP_SECONDS 120
#define DEFAULT_INTERVAL        60
#define CHANGE_DELAY_MS         2000
#define STATEMENT_ATTEMPTS      4

struct _DbwSyncService
{
  GObject        parent_instance;

  DbwStore      *store;
  DbwSyncJournal *journal;       /* on @store, for the main thread */
  GError        *journal_error;  /* why there is no @journal */
  DbwDatabricks *databricks;
  char          *warehouse_id;

  DbwSyncState   state;
  gint64         n_pending;
  char          *message;

  guint          batch_size;
  guint          stage_threshold;
  guint          overlap;
  guint          interval;
  gint64         pull_byte_limit;

  /* Background syncing */
  gboolean       started;
  gboolean       running;
  gboolean       again;
  guint          timeout_id;
  gulong         changed_id;
  GCancellable  *cancellable;
  guint          failures;
};

G_DEFINE_FINAL_TYPE (DbwSyncService, dbw_sync_service, G_TYPE_OBJECT)

static const char sync_tag[] = "dbw_sync_service_sync_async";
static const char link_tag[] = "dbw_sync_service_link_async";

/* Spelled out instead of G_DEFINE_BOXED_TYPE, whose type-checking union trips -Wpedantic. */
GType
dbw_sync_report_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_boxed_type_register_static (g_intern_static_string ("DbwSyncReport"),
                                                            (GBoxedCopyFunc) dbw_sync_report_copy,
                                                            (GBoxedFreeFunc) dbw_sync_report_free));

  return type;
}

enum {
  PROP_0,
  PROP_STORE,
  PROP_DATABRICKS,
  PROP_WAREHOUSE_ID,
  PROP_STATE,
  PROP_N_PENDING,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

GType
dbw_sync_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { DBW_SYNC_STATE_UNLINKED, "DBW_SYNC_STATE_UNLINKED", "unlinked" },
        { DBW_SYNC_STATE_SYNCED, "DBW_SYNC_STATE_SYNCED", "synced" },
        { DBW_SYNC_STATE_PENDING, "DBW_SYNC_STATE_PENDING", "pending" },
        { DBW_SYNC_STATE_SYNCING, "DBW_SYNC_STATE_SYNCING", "syncing" },
        { DBW_SYNC_STATE_OFFLINE, "DBW_SYNC_STATE_OFFLINE", "offline" },
        { DBW_SYNC_STATE_ERROR, "DBW_SYNC_STATE_ERROR", "error" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("DbwSyncState"), values));
    }

  return type;
}

DbwSyncReport *
dbw_sync_report_copy (const DbwSyncReport *report)
{
  return g_memdup2 (report, sizeof *report);
}

void
dbw_sync_report_free (DbwSyncReport *report)
{
  g_free (report);
}

/* The worker */

typedef struct
{
  DbwStore       *main_store;
  DbwDatabricks  *databricks;
  char           *warehouse_id;
  guint           batch_size;
  guint           stage_threshold;
  guint           overlap;
  gint64          pull_byte_limit;

  GCancellable   *cancellable;
  GMainContext   *context;
  DbwStore       *store;
  DbwSyncJournal *journal;
  char           *catalog;
  char           *schema;
  char           *client_id;
  guint           requests_before;
  DbwSyncReport   report;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->main_store);
  g_clear_object (&run->databricks);
  g_free (run->warehouse_id);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->journal);
  if (run->store != NULL)
    dbw_store_close (run->store);
  g_clear_object (&run->store);
  g_free (run->catalog);
  g_free (run->schema);
  g_free (run->client_id);
  g_free (run);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Waits, in the worker, for an asynchronous call made with on_done and &result. */
static GAsyncResult *
wait_for (Run           *run,
          GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (run->context, TRUE);
  return *result;
}

static gboolean
on_sleep_done (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_sleep_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_main_context_wakeup (user_data);
}

static void
sleep_cancellable (Run   *run,
                   guint  msec)
{
  g_autoptr(GSource) source = g_timeout_source_new (msec);
  gboolean done = FALSE;
  gulong id = 0;

  g_source_set_callback (source, on_sleep_done, &done, NULL);
  g_source_attach (source, run->context);
  if (run->cancellable != NULL)
    id = g_cancellable_connect (run->cancellable, G_CALLBACK (on_sleep_cancelled), run->context, NULL);
  while (!done && !g_cancellable_is_cancelled (run->cancellable))
    g_main_context_iteration (run->context, TRUE);
  g_source_destroy (source);
  if (id != 0)
    g_cancellable_disconnect (run->cancellable, id);
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_TIMEOUT) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_RATE_LIMITED) ||
         g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_RESPONSE) ||
         g_error_matches (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_RESPONSE);
}

/* Every statement and upload of a sync may run twice without harm, so a transient failure
 * is retried here, on top of the retries DbwHttp makes for requests it knows are safe.
 * Returns TRUE after waiting to try again; FALSE with @local_error moved to @error. */
static gboolean
retry_after (Run         *run,
             guint        attempt,
             GError     **local_error,
             GError     **error)
{
  if (attempt >= STATEMENT_ATTEMPTS || !is_transient (*local_error) ||
      g_cancellable_is_cancelled (run->cancellable))
    {
      g_propagate_error (error, g_steal_pointer (local_error));
      return FALSE;
    }

  g_debug ("Request failed (%s), trying again", (*local_error)->message);
  g_clear_error (local_error);
  sleep_cancellable (run, 100 << attempt);
  return TRUE;
}

static DbwSqlResult *
run_sql_limited (Run         *run,
                 const char  *sql,
                 GHashTable  *params,
                 gint64       byte_limit,
                 GError     **error)
{
  for (guint attempt = 1;; attempt++)
    {
      GAsyncResult *result = NULL;
      g_autoptr(GError) local_error = NULL;
      DbwSqlResult *answer;

      dbw_databricks_execute_limited_async (run->databricks, run->warehouse_id, sql, params, byte_limit,
                                            run->cancellable, on_done, &result);
      answer = dbw_databricks_execute_finish (run->databricks, wait_for (run, &result), &local_error);
      g_object_unref (result);
      if (answer != NULL)
        return answer;
      if (!retry_after (run, attempt, &local_error, error))
        return NULL;
    }
}

static DbwSqlResult *
run_sql (Run         *run,
         const char  *sql,
         GHashTable  *params,
         GError     **error)
{
  return run_sql_limited (run, sql, params, 0, error);
}

static gboolean
run_sql_simple (Run         *run,
                const char  *sql,
                GError     **error)
{
  g_autoptr(DbwSqlResult) result = run_sql (run, sql, NULL, error);

  return result != NULL;
}

static gboolean
upload (Run         *run,
        const char  *path,
        GBytes      *contents,
        GError     **error)
{
  for (guint attempt = 1;; attempt++)
    {
      GAsyncResult *result = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      dbw_databricks_upload_bytes_async (run->databricks, path, contents, TRUE, run->cancellable, on_done, &result);
      ok = dbw_databricks_upload_bytes_finish (run->databricks, wait_for (run, &result), &local_error);
      g_object_unref (result);
      if (ok)
        return TRUE;
      if (!retry_after (run, attempt, &local_error, error))
        return FALSE;
    }
}

static char *
volume_path (Run        *run,
             const char *folder,
             const char *name)
{
  return g_strdup_printf ("/Volumes/%s/%s/%s/%s/%s", run->catalog, run->schema, DBW_SYNC_VOLUME, folder, name);
}

static GHashTable *
new_params (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* A remote table made by an earlier version of the project's schema gets the columns added
 * since. */
static gboolean
add_missing_columns (Run                 *run,
                     const DbwSyncTable  *table,
                     GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  for (guint attempt = 0;; attempt++)
    {
      g_autofree char *list = dbw_sync_sql_list_columns (run->catalog, run->schema, table);
      g_autoptr(DbwSqlResult) result = run_sql (run, list, NULL, error);
      g_autoptr(GStrvBuilder) builder = NULL;
      g_auto(GStrv) present = NULL;
      g_autofree char *alter = NULL;

      if (result == NULL)
        return FALSE;

      builder = g_strv_builder_new ();
      for (guint i = 0; i < dbw_sql_result_get_n_columns (result); i++)
        g_strv_builder_add (builder, dbw_sql_result_get_column_name (result, i));
      present = g_strv_builder_end (builder);

      alter = dbw_sync_sql_add_columns (run->catalog, run->schema, table, (const char * const *) present);
      if (alter == NULL)
        return TRUE;

      /* Adding a column that exists fails; it may have been added by the try whose answer
       * was lost, or by another client meanwhile: look again, and add what is still
       * missing, once. */
      if (attempt > 1)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_debug ("Adding columns to %s.%s.%s", run->catalog, run->schema, table->name);
      g_clear_error (&local_error);
      if (run_sql_simple (run, alter, &local_error))
        return TRUE;
    }
}

/* The schema, the volume and the tables, once per target and layout of the tables: a
 * project whose schema has grown since checks the tables again. */
static gboolean
ensure_remote (Run     *run,
               GError **error)
{
  g_autofree char *ready = dbw_sync_journal_dup_state (run->journal, "remote_ready");
  g_autofree char *create_schema = NULL;
  g_autofree char *create_volume = NULL;
  g_autofree char *layout = NULL;
  g_autofree char *target = NULL;
  const DbwSyncTable * const *tables;
  guint n_tables;

  tables = dbw_sync_journal_get_tables (run->journal, &n_tables);
  layout = dbw_sync_sql_layout_digest (tables, n_tables);
  target = g_strdup_printf ("%s.%s %s", run->catalog, run->schema, layout);
  if (g_strcmp0 (ready, target) == 0)
    return TRUE;

  create_schema = dbw_sync_sql_create_schema (run->catalog, run->schema);
  create_volume = dbw_sync_sql_create_volume (run->catalog, run->schema);
  if (!run_sql_simple (run, create_schema, error) || !run_sql_simple (run, create_volume, error))
    return FALSE;

  for (guint i = 0; i < n_tables; i++)
    {
      g_autofree char *sql = dbw_sync_sql_create_table (run->catalog, run->schema, tables[i]);

      if (!run_sql_simple (run, sql, error) || !add_missing_columns (run, tables[i], error))
        return FALSE;
    }

  return dbw_sync_journal_set_state (run->journal, "remote_ready", target, error);
}

/* Blob contents go to the volume, named by their hash, before their rows. */
static gboolean
upload_blobs (Run           *run,
              DbwSyncBatch  *batch,
              GError       **error)
{
  for (guint i = 0; i < batch->rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (batch->rows, i);
      const char *hash = g_ptr_array_index (row, 0);
      g_autofree char *path = volume_path (run, "blobs", hash);
      g_autoptr(GBytes) contents = dbw_store_get_blob (run->store, hash, error);

      if (contents == NULL || !upload (run, path, contents, error))
        return FALSE;
      run->report.blobs_uploaded++;
    }

  return TRUE;
}

static DbwSyncBatch *
slice_batch (DbwSyncBatch *batch,
             guint         first,
             guint         n)
{
  DbwSyncBatch *slice = g_new0 (DbwSyncBatch, 1);
  guint n_total = batch->rows->len + batch->deleted->len;

  slice->table = batch->table;
  slice->seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  slice->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  slice->deleted = g_ptr_array_new_with_free_func (g_free);
  for (guint i = first; i < MIN (first + n, n_total); i++)
    {
      if (i < batch->rows->len)
        g_ptr_array_add (slice->rows, g_ptr_array_ref (g_ptr_array_index (batch->rows, i)));
      else
        g_ptr_array_add (slice->deleted, g_strdup (g_ptr_array_index (batch->deleted, i - batch->rows->len)));
    }

  return slice;
}

/* One staged file per client and table, overwritten by the next staged batch: no request
 * spent deleting it, and a replay after a failure reads the same rows again. */
static gboolean
push_staged (Run           *run,
             DbwSyncBatch  *batch,
             GError       **error)
{
  g_autoptr(GBytes) lines = dbw_sync_batch_to_json_lines (batch);
  g_autoptr(GHashTable) params = new_params ();
  g_autofree char *name = g_strdup_printf ("%s-%s.jsonl", run->client_id, batch->table->name);
  g_autofree char *path = volume_path (run, "staging", name);
  g_autofree char *sql = NULL;
  g_autoptr(DbwSqlResult) result = NULL;

  if (!upload (run, path, lines, error))
    return FALSE;

  sql = dbw_sync_sql_merge_staged (run->catalog, run->schema, batch->table, path, run->client_id, params);
  result = run_sql (run, sql, params, error);
  if (result == NULL)
    return FALSE;
  run->report.statements++;
  run->report.staged++;

  return TRUE;
}

static gboolean
push_values (Run           *run,
             DbwSyncBatch  *batch,
             GError       **error)
{
  guint n_total = batch->rows->len + batch->deleted->len;

  for (guint first = 0; first < n_total; first += run->batch_size)
    {
      g_autoptr(DbwSyncBatch) slice = slice_batch (batch, first, run->batch_size);
      g_autoptr(GHashTable) params = new_params ();
      g_autofree char *sql = dbw_sync_sql_merge_values (run->catalog, run->schema, slice, run->client_id, params);
      g_autoptr(DbwSqlResult) result = run_sql (run, sql, params, error);

      if (result == NULL)
        return FALSE;
      run->report.statements++;
    }

  return TRUE;
}

static gboolean
push (Run     *run,
      GError **error)
{
  for (;;)
    {
      g_autoptr(DbwSyncBatch) batch = NULL;
      GError *local_error = NULL;
      guint n_total;
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      batch = dbw_sync_journal_next_batch (run->journal, MAX (run->stage_threshold, STAGE_MAX_ROWS), &local_error);
      if (batch == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, local_error);
          return local_error == NULL;
        }
      n_total = batch->rows->len + batch->deleted->len;

      if (g_str_equal (batch->table->name, "blobs") && !upload_blobs (run, batch, error))
        return FALSE;

      if (n_total == 0)
        ok = TRUE;
      else if (n_total >= run->stage_threshold)
        ok = push_staged (run, batch, error);
      else
        ok = push_values (run, batch, error);
      if (!ok)
        return FALSE;

      if (!dbw_sync_journal_ack (run->journal, batch, error))
        return FALSE;
      run->report.pushed += batch->rows->len;
      run->report.pushed_deleted += batch->deleted->len;
    }
}

/* Blob rows need their contents first: fetched from the volume, stored as if local. */
static gboolean
download_blobs (Run        *run,
                GPtrArray  *rows,
                int         deleted_column,
                GError    **error)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (rows, i);
      const char *hash = g_ptr_array_index (row, 0);
      g_autofree char *path = NULL;
      g_autofree char *local = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *stored = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) existing = NULL;
      GAsyncResult *result = NULL;
      gsize length = 0;
      gboolean ok;
      int fd;

      if (hash == NULL || (deleted_column >= 0 && dbw_sync_wire_is_true (g_ptr_array_index (row, deleted_column))))
        continue;
      existing = dbw_store_get_blob (run->store, hash, NULL);
      if (existing != NULL)
        continue;

      fd = g_file_open_tmp ("databits-blob-XXXXXX", &local, error);
      if (fd < 0)
        return FALSE;
      g_close (fd, NULL);
      file = g_file_new_for_path (local);
      path = volume_path (run, "blobs", hash);
      dbw_databricks_download_file_async (run->databricks, path, file, run->cancellable, on_done, &result);
      ok = dbw_databricks_download_file_finish (run->databricks, wait_for (run, &result), error);
      g_object_unref (result);
      if (ok)
        ok = g_file_get_contents (local, &contents, &length, error);
      g_unlink (local);
      if (!ok)
        return FALSE;

      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      stored = dbw_sync_journal_put_blob (run->journal, bytes, NULL, error);
      if (stored == NULL)
        return FALSE;
      if (!g_str_equal (stored, hash))
        {
          g_set_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_ROW,
                       _("The file “%s” in the workspace does not hold what its name says"), path);
          return FALSE;
        }
      run->report.blobs_downloaded++;
    }

  return TRUE;
}

static char *
watermark_minus (const char *watermark,
                 guint       seconds)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) earlier = NULL;
  g_autofree char *base = NULL;

  if (watermark == NULL)
    return NULL;
  time = g_date_time_new_from_iso8601 (watermark, NULL);
  if (time == NULL)
    return g_strdup (watermark);
  earlier = g_date_time_add_seconds (time, -(gdouble) seconds);
  base = g_date_time_format (earlier, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (earlier) / 1000);
}

static gboolean
pull_table (Run                *run,
            const DbwSyncTable *table,
            const char         *since,
            const char         *until,
            GError            **error)
{
  g_autofree char *after_at = NULL;
  g_autofree char *after_key = NULL;

  for (;;)
    {
      g_autoptr(GHashTable) params = new_params ();
      g_autofree char *sql = dbw_sync_sql_pull (run->catalog, run->schema, table, since, after_at, after_key,
                                                until, run->client_id, PULL_PAGE_SIZE, params);
      g_autoptr(DbwSqlResult) result = run_sql_limited (run, sql, params, run->pull_byte_limit, error);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GPtrArray) names = NULL;
      DbwSyncApplyStats stats = { 0, };
      guint n_rows, n_columns;
      int deleted_column = -1;

      if (result == NULL)
        return FALSE;
      n_rows = dbw_sql_result_get_n_rows (result);
      n_columns = dbw_sql_result_get_n_columns (result);
      if (n_rows == 0)
        return TRUE;
      if (n_columns < 2)
        {
          g_set_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_ROW,
                       _("The workspace’s table “%s” answered without its columns"), table->name);
          return FALSE;
        }

      /* The last column is _sync_at, which only pages. */
      names = g_ptr_array_new ();
      for (guint c = 0; c + 1 < n_columns; c++)
        {
          const char *name = dbw_sql_result_get_column_name (result, c);

          if (g_str_equal (name, "_sync_deleted"))
            deleted_column = c;
          g_ptr_array_add (names, (gpointer) name);
        }
      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      for (guint r = 0; r < n_rows; r++)
        {
          GPtrArray *row = g_ptr_array_new_full (n_columns - 1, g_free);

          for (guint c = 0; c + 1 < n_columns; c++)
            g_ptr_array_add (row, g_strdup (dbw_sql_result_get_value (result, r, c)));
          g_ptr_array_add (rows, row);
        }

      if (g_str_equal (table->name, "blobs") && !download_blobs (run, rows, deleted_column, error))
        return FALSE;

      if (!dbw_sync_journal_apply (run->journal, table, names->len, (const char * const *) names->pdata,
                                   rows, &stats, error))
        return FALSE;
      run->report.pulled += n_rows;
      run->report.applied.inserted += stats.inserted;
      run->report.applied.updated += stats.updated;
      run->report.applied.deleted += stats.deleted;
      run->report.applied.unchanged += stats.unchanged;
      run->report.applied.conflicts += stats.conflicts;
      run->report.applied.rejected += stats.rejected;

      if (n_rows < PULL_PAGE_SIZE && !dbw_sql_result_get_truncated (result))
        return TRUE;
      g_free (after_at);
      g_free (after_key);
      after_at = g_strdup (dbw_sql_result_get_value (result, n_rows - 1, n_columns - 1));
      after_key = g_strdup (dbw_sql_result_get_value (result, n_rows - 1, 0));
    }
}

static gboolean
pull (Run     *run,
      GError **error)
{
  g_autoptr(DbwSqlResult) now = NULL;
  g_autofree char *watermark = dbw_sync_journal_dup_watermark (run->journal);
  g_autofree char *since = watermark_minus (watermark, run->overlap);
  g_autofree char *until = NULL;
  const DbwSyncTable * const *tables;
  guint n_tables;

  /* One moment for every table, so a child row is never read without its parent. */
  now = run_sql (run, "SELECT current_timestamp() AS now", NULL, error);
  if (now == NULL)
    return FALSE;
  if (dbw_sql_result_get_n_rows (now) != 1 || dbw_sql_result_get_value (now, 0, 0) == NULL)
    {
      g_set_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_INVALID_ROW,
                   _("The workspace did not tell its time"));
      return FALSE;
    }
  until = g_strdup (dbw_sql_result_get_value (now, 0, 0));

  tables = dbw_sync_journal_get_tables (run->journal, &n_tables);
  for (guint i = 0; i < n_tables; i++)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error) ||
          !pull_table (run, tables[i], since, until, error))
        return FALSE;
    }

  return dbw_sync_journal_set_watermark (run->journal, until, error);
}

static gboolean
run_sync (Run     *run,
          GError **error)
{
  g_autofree char *target = NULL;
  DbwHttp *http = dbw_databricks_get_http (run->databricks);

  run->requests_before = dbw_http_get_n_requests (http);

  run->store = dbw_store_open_connection (run->main_store, error);
  if (run->store == NULL)
    return FALSE;
  run->journal = dbw_sync_journal_new (run->store, error);
  if (run->journal == NULL)
    return FALSE;

  target = dbw_sync_journal_dup_target (run->journal);
  if (target == NULL)
    {
      g_set_error (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_NOT_LINKED,
                   _("The project is not linked to a workspace schema"));
      return FALSE;
    }
  if (!dbw_sync_parse_target (target, &run->catalog, &run->schema, error) ||
      !dbw_databricks_validate_identifier (run->catalog, _("catalog"), error) ||
      !dbw_databricks_validate_identifier (run->schema, _("schema"), error))
    return FALSE;
  run->client_id = dbw_sync_journal_dup_client_id (run->journal);

  /* Pushed again after pulling: settling a conflict may queue the losing version. */
  if (!ensure_remote (run, error))
    return FALSE;
  if (!push (run, error) || !pull (run, error) || !push (run, error))
    {
      /* A statement the workspace refused may have met a table dropped or changed there
       * since: the next sync makes sure of the tables again (they are made only if missing). */
      if (error != NULL && g_error_matches (*error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_STATEMENT_FAILED))
        dbw_sync_journal_set_state (run->journal, "remote_ready", NULL, NULL);
      return FALSE;
    }

  run->report.requests = dbw_http_get_n_requests (http) - run->requests_before;
  return TRUE;
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Run *run = task_data;
  GError *error = NULL;
  gboolean ok;

  run->context = g_main_context_new ();
  g_main_context_push_thread_default (run->context);
  ok = run_sync (run, &error);
  /* Let anything the calls left queued finish in this context. */
  while (g_main_context_iteration (run->context, FALSE))
    ;
  g_main_context_pop_thread_default (run->context);
  g_clear_pointer (&run->context, g_main_context_unref);

  if (ok)
    g_task_return_pointer (task, dbw_sync_report_copy (&run->report), (GDestroyNotify) dbw_sync_report_free);
  else
    g_task_return_error (task, error);
}

/* State */

static void
set_state (DbwSyncService *self,
           DbwSyncState    state,
           const char     *message)
{
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MESSAGE]);
    }
}

/* The main thread's journal, built once: describing the tables takes a query each. */
static DbwSyncJournal *
get_journal (DbwSyncService  *self,
             GError         **error)
{
  if (self->journal == NULL && error != NULL)
    *error = g_error_copy (self->journal_error);
  return self->journal;
}

static void
update_pending (DbwSyncService *self)
{
  DbwSyncJournal *journal = get_journal (self, NULL);
  g_autofree char *target = NULL;
  gint64 n_pending = 0;

  if (journal != NULL)
    {
      target = dbw_sync_journal_dup_target (journal);
      n_pending = MAX (0, dbw_sync_journal_count_pending (journal, NULL));
    }

  if (self->n_pending != n_pending)
    {
      self->n_pending = n_pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PENDING]);
    }

  if (self->state == DBW_SYNC_STATE_SYNCING)
    return;
  if (target == NULL)
    set_state (self, DBW_SYNC_STATE_UNLINKED, NULL);
  else if (self->state == DBW_SYNC_STATE_OFFLINE || self->state == DBW_SYNC_STATE_ERROR)
    return;
  else
    set_state (self, n_pending > 0 ? DBW_SYNC_STATE_PENDING : DBW_SYNC_STATE_SYNCED, NULL);
}

/* GObject */

static void
dbw_sync_service_dispose (GObject *object)
{
  DbwSyncService *self = (DbwSyncService *) object;

  dbw_sync_service_stop (self);

  G_OBJECT_CLASS (dbw_sync_service_parent_class)->dispose (object);
}

static void
dbw_sync_service_finalize (GObject *object)
{
  DbwSyncService *self = (DbwSyncService *) object;

  g_clear_object (&self->journal);
  g_clear_error (&self->journal_error);
  g_clear_object (&self->store);
  g_clear_object (&self->databricks);
  g_free (self->warehouse_id);
  g_free (self->message);

  G_OBJECT_CLASS (dbw_sync_service_parent_class)->finalize (object);
}

static void
dbw_sync_service_constructed (GObject *object)
{
  DbwSyncService *self = (DbwSyncService *) object;

  G_OBJECT_CLASS (dbw_sync_service_parent_class)->constructed (object);

  self->journal = dbw_sync_journal_new (self->store, &self->journal_error);
  update_pending (self);
}

static void
dbw_sync_service_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DbwSyncService *self = DBW_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DATABRICKS:
      g_value_set_object (value, self->databricks);
      break;
    case PROP_WAREHOUSE_ID:
      g_value_set_string (value, self->warehouse_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_PENDING:
      g_value_set_int64 (value, self->n_pending);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_sync_service_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DbwSyncService *self = DBW_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DATABRICKS:
      self->databricks = g_value_dup_object (value);
      break;
    case PROP_WAREHOUSE_ID:
      self->warehouse_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_sync_service_class_init (DbwSyncServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbw_sync_service_dispose;
  object_class->finalize = dbw_sync_service_finalize;
  object_class->constructed = dbw_sync_service_constructed;
  object_class->get_property = dbw_sync_service_get_property;
  object_class->set_property = dbw_sync_service_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DBW_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_DATABRICKS] =
    g_param_spec_object ("databricks", NULL, NULL,
                         DBW_TYPE_DATABRICKS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_WAREHOUSE_ID] =
    g_param_spec_string ("warehouse-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       DBW_TYPE_SYNC_STATE, DBW_SYNC_STATE_UNLINKED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_PENDING] =
    g_param_spec_int64 ("n-pending", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_sync_service_init (DbwSyncService *self)
{
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->stage_threshold = DEFAULT_STAGE_THRESHOLD;
  self->overlap = DEFAULT_OVERLAP_SECONDS;
  self->interval = DEFAULT_INTERVAL;
  self->pull_byte_limit = DEFAULT_PULL_BYTE_LIMIT;
}

/**
 * dbw_sync_service_new:
 * @store: the project, as the main thread uses it
 * @databricks: the workspace; the service is its only user
 * @warehouse_id: the SQL warehouse that runs the statements
 *
 * Returns: (transfer full): a service that syncs when asked, or in the background once
 *   started
 */
DbwSyncService *
dbw_sync_service_new (DbwStore      *store,
                      DbwDatabricks *databricks,
                      const char    *warehouse_id)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_DATABRICKS (databricks), NULL);

  return g_object_new (DBW_TYPE_SYNC_SERVICE,
                       "store", store,
                       "databricks", databricks,
                       "warehouse-id", warehouse_id,
                       NULL);
}

DbwStore *
dbw_sync_service_get_store (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), NULL);

  return self->store;
}

DbwSyncState
dbw_sync_service_get_state (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), DBW_SYNC_STATE_UNLINKED);

  return self->state;
}

gint64
dbw_sync_service_get_n_pending (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), 0);

  return self->n_pending;
}

/* Returns: (nullable): why the last sync failed, for the user */
const char *
dbw_sync_service_get_message (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), NULL);

  return self->message;
}

/* Returns: (transfer full) (nullable): the linked "catalog.schema" */
char *
dbw_sync_service_dup_target (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), NULL);

  return self->journal != NULL ? dbw_sync_journal_dup_target (self->journal) : NULL;
}

/**
 * dbw_sync_service_get_journal:
 *
 * Returns: (transfer none) (nullable): the journal of the service's store, for reading
 *   what waits, the watermark or flagged conflicts on the main thread
 */
DbwSyncJournal *
dbw_sync_service_get_journal (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), NULL);

  return self->journal;
}

guint
dbw_sync_service_get_batch_size (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), 0);

  return self->batch_size;
}

/* Rows per MERGE … USING (VALUES …) */
void
dbw_sync_service_set_batch_size (DbwSyncService *self,
                                 guint           rows)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));
  g_return_if_fail (rows > 0);

  self->batch_size = rows;
}

guint
dbw_sync_service_get_stage_threshold (DbwSyncService *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), 0);

  return self->stage_threshold;
}

/* From this many waiting rows of one table on, they go as one staged file and one MERGE. */
void
dbw_sync_service_set_stage_threshold (DbwSyncService *self,
                                      guint           rows)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));
  g_return_if_fail (rows > 0);

  self->stage_threshold = rows;
}

/* How far back each pull looks again, for changes committed after a later one was read. */
void
dbw_sync_service_set_pull_overlap (DbwSyncService *self,
                                   guint           seconds)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));

  self->overlap = seconds;
}

/* At most this many bytes of rows per pull statement; a page cut short goes on from its
 * last row. */
void
dbw_sync_service_set_pull_byte_limit (DbwSyncService *self,
                                      gint64          bytes)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));
  g_return_if_fail (bytes > 0);

  self->pull_byte_limit = bytes;
}

/* How often a started service syncs when nothing changes locally. */
void
dbw_sync_service_set_interval (DbwSyncService *self,
                               guint           seconds)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));
  g_return_if_fail (seconds > 0);

  self->interval = seconds;
}

/**
 * dbw_sync_service_link:
 * @target: "catalog.schema"
 *
 * Links the project to @target and queues every row; the next sync pushes them.
 */
static gboolean
validate_target (const char  *target,
                 GError     **error)
{
  g_autofree char *catalog = NULL;
  g_autofree char *schema = NULL;

  return dbw_sync_parse_target (target, &catalog, &schema, error) &&
         dbw_databricks_validate_identifier (catalog, _("catalog"), error) &&
         dbw_databricks_validate_identifier (schema, _("schema"), error);
}

/**
 * dbw_sync_service_validate_target:
 * @target: what a user typed as a workspace schema
 *
 * Checks that @target is a catalog.schema whose names can be sent to the workspace.
 *
 * Returns: %TRUE if it is, or %FALSE with @error set
 */
gboolean
dbw_sync_service_validate_target (const char  *target,
                                  GError     **error)
{
  g_return_val_if_fail (target != NULL, FALSE);

  return validate_target (target, error);
}

static void
linked (DbwSyncService *self)
{
  set_state (self, DBW_SYNC_STATE_PENDING, NULL);
  update_pending (self);
  dbw_sync_service_request_sync (self);
}

gboolean
dbw_sync_service_link (DbwSyncService  *self,
                       const char      *target,
                       GError         **error)
{
  DbwSyncJournal *journal;

  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), FALSE);

  if (!validate_target (target, error))
    return FALSE;

  journal = get_journal (self, error);
  if (journal == NULL || !dbw_sync_journal_link (journal, target, error))
    return FALSE;

  linked (self);
  return TRUE;
}

static void
link_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DbwSyncService *self = source_object;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSyncJournal) journal = NULL;
  GError *error = NULL;

  store = dbw_store_open_connection (self->store, &error);
  if (store != NULL)
    journal = dbw_sync_journal_new (store, &error);
  if (journal != NULL && dbw_sync_journal_link (journal, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  if (store != NULL)
    dbw_store_close (store);
}

/**
 * dbw_sync_service_link_async:
 * @target: "catalog.schema"
 *
 * Like dbw_sync_service_link(), in a worker thread: queueing every row of a large project
 * takes a moment.
 */
void
dbw_sync_service_link_async (DbwSyncService      *self,
                             const char          *target,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) link_tag);
  if (!validate_target (target, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, g_strdup (target), g_free);
  g_task_run_in_thread (task, link_thread);
}

gboolean
dbw_sync_service_link_finish (DbwSyncService  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  linked (self);
  return TRUE;
}

gboolean
dbw_sync_service_unlink (DbwSyncService  *self,
                         GError         **error)
{
  DbwSyncJournal *journal;

  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), FALSE);

  journal = get_journal (self, error);
  if (journal == NULL || !dbw_sync_journal_unlink (journal, error))
    return FALSE;

  set_state (self, DBW_SYNC_STATE_UNLINKED, NULL);
  update_pending (self);
  return TRUE;
}

/* Others' changes arrived through the worker's connection: lists on this one reload. */
static void
emit_reset (DbwSyncService *self)
{
  const DbwSyncTable * const *tables;
  guint n_tables = 0;

  if (self->journal == NULL)
    return;
  tables = dbw_sync_journal_get_tables (self->journal, &n_tables);
  for (guint i = 0; i < n_tables; i++)
    dbw_store_emit_changed (self->store, tables[i]->name, DBW_CHANGE_RESET, NULL);
}

static void
on_sync_task_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DbwSyncService *self = DBW_SYNC_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  DbwSyncReport *report;

  self->running = FALSE;
  report = g_task_propagate_pointer (G_TASK (result), &error);

  if (report != NULL)
    {
      if (report->applied.inserted + report->applied.updated + report->applied.deleted > 0)
        emit_reset (self);
      self->failures = 0;
      set_state (self, DBW_SYNC_STATE_SYNCED, NULL);
      update_pending (self);
      g_task_return_pointer (task, report, (GDestroyNotify) dbw_sync_report_free);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, DBW_SYNC_STATE_SYNCED, NULL);
      update_pending (self);
    }
  else if (g_error_matches (error, DBW_SYNC_ERROR, DBW_SYNC_ERROR_NOT_LINKED))
    set_state (self, DBW_SYNC_STATE_UNLINKED, NULL);
  else if (is_transient (error))
    set_state (self, DBW_SYNC_STATE_OFFLINE, error->message);
  else if (g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HOST_NOT_FOUND))
    set_state (self, DBW_SYNC_STATE_OFFLINE, error->message);
  else
    set_state (self, DBW_SYNC_STATE_ERROR, error->message);
  self->failures++;
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * dbw_sync_service_sync_async:
 *
 * Pushes what waits in the outbox and pulls what others changed, once, in a worker thread.
 * Only one sync runs at a time: a second call while one runs fails with G_IO_ERROR_BUSY.
 */
void
dbw_sync_service_sync_async (DbwSyncService      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  Run *run;

  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) sync_tag);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("The project is already being synced"));
      return;
    }

  run = g_new0 (Run, 1);
  run->main_store = g_object_ref (self->store);
  run->databricks = g_object_ref (self->databricks);
  run->warehouse_id = g_strdup (self->warehouse_id);
  run->batch_size = self->batch_size;
  run->stage_threshold = self->stage_threshold;
  run->overlap = self->overlap;
  run->pull_byte_limit = self->pull_byte_limit;
  run->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  self->running = TRUE;
  set_state (self, DBW_SYNC_STATE_SYNCING, NULL);

  worker = g_task_new (self, cancellable, on_sync_task_done, g_steal_pointer (&task));
  g_task_set_source_tag (worker, (gpointer) sync_tag);
  g_task_set_task_data (worker, run, (GDestroyNotify) run_free);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, sync_thread);
}

/* Returns: (transfer full): what the sync did */
DbwSyncReport *
dbw_sync_service_sync_finish (DbwSyncService  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (DBW_IS_SYNC_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Background syncing */

static void schedule (DbwSyncService *self,
                      guint           msec);

static void
on_background_sync_done (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  DbwSyncService *self = DBW_SYNC_SERVICE (object);
  g_autoptr(DbwSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint delay;

  report = dbw_sync_service_sync_finish (self, result, &error);
  if (!self->started)
    return;

  if (self->again)
    delay = 0;
  else if (report != NULL)
    delay = self->interval * 1000;
  else
    /* Offline or failing: back off, up to ten minutes. */
    delay = MIN (600000u, 5000u << MIN (self->failures, 7u));
  self->again = FALSE;
  schedule (self, delay);
}

static gboolean
on_timeout (gpointer user_data)
{
  DbwSyncService *self = user_data;

  self->timeout_id = 0;
  if (self->running)
    {
      self->again = TRUE;
      return G_SOURCE_REMOVE;
    }
  if (self->state == DBW_SYNC_STATE_UNLINKED)
    return G_SOURCE_REMOVE;

  dbw_sync_service_sync_async (self, self->cancellable, on_background_sync_done, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule (DbwSyncService *self,
          guint           msec)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (msec, on_timeout, self);
}

/* Unless a sync is due sooner anyway. */
static void
schedule_within (DbwSyncService *self,
                 guint           msec)
{
  GSource *source = NULL;

  if (self->timeout_id != 0)
    source = g_main_context_find_source_by_id (NULL, self->timeout_id);
  if (source != NULL && g_source_get_ready_time (source) <= g_get_monotonic_time () + (gint64) msec * 1000)
    return;

  schedule (self, msec);
}

static void
on_store_changed (DbwStore      *store,
                  const char    *table,
                  DbwChangeKind  kind,
                  const char    *id,
                  gpointer       user_data)
{
  DbwSyncService *self = user_data;

  update_pending (self);
  if (!self->started || self->n_pending == 0)
    return;

  if (self->running)
    self->again = TRUE;
  else if (self->failures == 0)
    /* The interval timer may be far off; when failing, the backoff decides. */
    schedule_within (self, CHANGE_DELAY_MS);
}

/**
 * dbw_sync_service_start:
 *
 * Syncs now, then whenever local changes wait (after a short pause, so a burst of edits
 * goes together) and every interval; when the workspace cannot be reached, tries again
 * later, less and less often.
 */
void
dbw_sync_service_start (DbwSyncService *self)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->cancellable = g_cancellable_new ();
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (on_store_changed), self);
  schedule (self, 0);
}

void
dbw_sync_service_stop (DbwSyncService *self)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));

  if (!self->started)
    return;

  self->started = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_signal_handler (&self->changed_id, self->store);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* Syncs soon: after a local change, or when the user asks to retry. */
void
dbw_sync_service_request_sync (DbwSyncService *self)
{
  g_return_if_fail (DBW_IS_SYNC_SERVICE (self));

  if (!self->started)
    return;
  if (self->running)
    self->again = TRUE;
  else
    schedule (self, 0);
}
