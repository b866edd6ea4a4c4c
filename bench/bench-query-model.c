/* bench-query-model.c
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

#define G_LOG_DOMAIN "bench-query-model"

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-item.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-store.h"

/* A DbwQueryModel over the 100,000 items of one sheet: how long the model takes to open
 * (created and filtered to the sheet, on a freshly opened project), then the latency of
 * 10,000 g_list_model_get_item() calls at random positions from a seeded generator, as a
 * list view scrolled by dragging the scrollbar would ask for them. */

#define N_ROWS     100000
#define N_ACCESSES 10000
#define SEED       42

static double
percentile (const double *sorted,
            guint         n,
            double        p)
{
  guint rank = (guint) (p / 100.0 * n + 0.5);

  return sorted[CLAMP (rank, 1, n) - 1];
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
remove_db_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static char *
fill_project (GFile   *file,
              GError **error)
{
  static const char *statuses[] = { "ok", "ok", "ok", "warn", "fault" };
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(GString) json = g_string_sized_new (256);

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return NULL;

  if (!dbw_store_begin (store, error))
    return NULL;

  sheet = dbw_sheet_new ();
  dbw_sheet_set_name (sheet, "Instrument readings");
  if (!dbw_store_insert (store, sheet, error))
    return NULL;

  item = dbw_item_new ();
  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_item_set_modality (item, DBW_MODALITY_ROW);

  for (guint i = 0; i < N_ROWS; i++)
    {
      char ref[16];

      g_snprintf (ref, sizeof ref, "%u", i + 1);
      g_string_printf (json,
                       "{\"reading_id\":%u,\"instrument\":\"TH-%04u\",\"site\":\"north-%u\","
                       "\"recorded_at\":\"2026-01-01T00:00:00Z\",\"temperature_c\":%.2f,"
                       "\"pressure_kpa\":%.3f,\"humidity_pct\":%.1f,\"status\":\"%s\"}",
                       i + 1,
                       (guint) g_rand_int_range (rand, 1, 500),
                       (guint) g_rand_int_range (rand, 1, 10),
                       g_rand_double_range (rand, -30.0, 45.0),
                       g_rand_double_range (rand, 95.0, 105.0),
                       g_rand_double_range (rand, 0.0, 100.0),
                       statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))]);

      dbw_record_set_id (DBW_RECORD (item), NULL);
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_fields (item, json->str);
      if (!dbw_store_insert (store, item, error))
        return NULL;
    }

  if (!dbw_store_commit (store, error))
    return NULL;

  dbw_store_close (store);

  return g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
}

static gboolean
run (const char  *path,
     GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autofree double *latencies = g_new (double, N_ACCESSES);
  g_autofree char *sheet_id = NULL;
  double open_ms;
  double total_us = 0;
  guint n_items;
  gint64 start;

  sheet_id = fill_project (file, error);
  if (sheet_id == NULL)
    return FALSE;

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;

  start = g_get_monotonic_time ();
  model = dbw_query_model_new (store, DBW_TYPE_ITEM);
  if (!dbw_query_model_set_filter (model, "sheet_id", sheet_id, error))
    return FALSE;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  open_ms = (g_get_monotonic_time () - start) / 1000.0;

  if (n_items != N_ROWS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The model lists %u items, expected %d", n_items, N_ROWS);
      return FALSE;
    }

  for (guint i = 0; i < N_ACCESSES; i++)
    {
      guint position = (guint) g_rand_int_range (rand, 0, N_ROWS);
      g_autoptr(DbwItem) item = NULL;

      start = g_get_monotonic_time ();
      item = g_list_model_get_item (G_LIST_MODEL (model), position);
      latencies[i] = (double) (g_get_monotonic_time () - start);

      if (item == NULL || dbw_item_get_fields (item) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No item at position %u", position);
          return FALSE;
        }
      total_us += latencies[i];
    }

  g_printerr ("%u records materialised for %d accesses; mean %.1f us\n",
              dbw_query_model_get_n_loaded (model), N_ACCESSES, total_us / N_ACCESSES);

  qsort (latencies, N_ACCESSES, sizeof (double), compare_doubles);

  g_print ("{\"benchmark\":\"query-model-random-access\",\"rows\":%d,\"accesses\":%d,"
           "\"open_ms\":%.2f,\"p50_us\":%.1f,\"p95_us\":%.1f,\"p99_us\":%.1f,"
           "\"max_us\":%.1f,\"mean_us\":%.1f}\n",
           N_ROWS, N_ACCESSES, open_ms,
           percentile (latencies, N_ACCESSES, 50),
           percentile (latencies, N_ACCESSES, 95),
           percentile (latencies, N_ACCESSES, 99),
           latencies[N_ACCESSES - 1],
           total_us / N_ACCESSES);

  g_clear_object (&model);
  dbw_store_close (store);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  tmpdir = g_dir_make_tmp ("dbw-bench-query-model-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      g_printerr ("bench-query-model: %s\n", error->message);
      return 1;
    }

  path = g_build_filename (tmpdir, "readings.dbw", NULL);
  ok = run (path, &error);

  remove_db_files (path);
  g_rmdir (tmpdir);

  if (!ok)
    {
      g_printerr ("bench-query-model: %s\n", error->message);
      return 1;
    }

  return 0;
}
