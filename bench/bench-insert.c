/* bench-insert.c
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

#define G_LOG_DOMAIN "bench-insert"

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "bench-items-floor.h"

/* Inserts 100,000 instrument readings as items into a fresh project, in one transaction,
 * and compares the time with the sqlite3 shell importing the same CSV file into a plain
 * table. Both sides go from the CSV file on disk to a committed database file: the store
 * side reads and splits the file and builds each row's JSON object inside the timed region,
 * as the shell parses the CSV inside its own. Each side runs three times, interleaved, and
 * the best time of each is compared. */

#define N_ROWS   100000
#define N_RUNS   3
#define TARGET   2.0

static const char *columns[] = {
  "reading_id", "instrument", "site", "recorded_at",
  "temperature_c", "pressure_kpa", "humidity_pct", "status", NULL
};

static char *sqlite3_path = NULL;

static const GOptionEntry entries[] = {
  { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &sqlite3_path, "The sqlite3 shell", "PATH" },
  { NULL }
};

static gboolean
write_csv (const char  *path,
           GError     **error)
{
  static const char *statuses[] = { "ok", "ok", "ok", "ok", "warn", "fault" };
  static const char *sites[] = { "north", "south", "east", "west", "harbour", "ridge" };
  g_autoptr(GString) csv = g_string_sized_new (N_ROWS * 96);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);

  bench_append_csv_header (csv, columns);

  for (guint i = 0; i < N_ROWS; i++)
    {
      g_autoptr(GDateTime) at = g_date_time_add_seconds (start, i * 15.0);
      g_autofree char *stamp = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");

      g_string_append_printf (csv, "%u,TH-%04u,%s-%u,%s,%.2f,%.3f,%.1f,%s\n",
                              i + 1,
                              (guint) g_rand_int_range (rand, 1, 500),
                              sites[g_rand_int_range (rand, 0, G_N_ELEMENTS (sites))],
                              (guint) g_rand_int_range (rand, 1, 10),
                              stamp,
                              g_rand_double_range (rand, -30.0, 45.0),
                              g_rand_double_range (rand, 95.0, 105.0),
                              g_rand_double_range (rand, 0.0, 100.0),
                              statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))]);
    }

  return g_file_set_contents (path, csv->str, csv->len, error);
}

/* A CSV value is written as a JSON number when it reads fully as one, else as a string. */
static gboolean
is_json_number (const char *value)
{
  const char *p = value;
  gboolean digits = FALSE;

  if (*p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;

  return digits && *p == '\0';
}

static void
append_json_string (GString    *json,
                    const char *value)
{
  g_string_append_c (json, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (json, "\\\"");
          break;

        case '\\':
          g_string_append (json, "\\\\");
          break;

        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
          else
            g_string_append_c (json, *p);
          break;
        }
    }
  g_string_append_c (json, '"');
}

/* The store side: CSV file → items in a new project, one transaction. */
static gboolean
run_dbwstore (const char  *csv_path,
              const char  *db_path,
              double      *seconds,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (db_path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GString) json = g_string_sized_new (256);
  g_autofree char *contents = NULL;
  g_auto(GStrv) header = NULL;
  char *line;
  char *next;
  guint n_columns;
  guint rows = 0;
  gint64 n_stored;
  gint64 start;

  bench_remove_db_files (db_path);

  start = g_get_monotonic_time ();

  if (!g_file_get_contents (csv_path, &contents, NULL, error))
    return FALSE;

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;

  if (!dbw_store_begin_bulk (store, error))
    return FALSE;

  sheet = dbw_sheet_new ();
  dbw_sheet_set_name (sheet, "Instrument readings");
  if (!dbw_store_insert (store, sheet, error))
    return FALSE;

  item = dbw_item_new ();
  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_item_set_modality (item, DBW_MODALITY_ROW);

  next = strchr (contents, '\n');
  g_assert (next != NULL);
  *next = '\0';
  header = g_strsplit (contents, ",", -1);
  n_columns = g_strv_length (header);

  for (line = next + 1; *line != '\0'; line = next)
    {
      char *fields[G_N_ELEMENTS (columns) - 1];
      guint n = 0;
      char *p = line;

      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      else
        next = line + strlen (line);

      fields[n++] = p;
      for (; *p != '\0'; p++)
        if (*p == ',')
          {
            *p = '\0';
            if (n == G_N_ELEMENTS (fields))
              break;
            fields[n++] = p + 1;
          }

      if (n != n_columns)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Row %u of %s: %u fields, expected %u", rows + 2, csv_path, n, n_columns);
          return FALSE;
        }

      g_string_truncate (json, 0);
      g_string_append_c (json, '{');
      for (guint c = 0; c < n; c++)
        {
          if (c > 0)
            g_string_append_c (json, ',');
          append_json_string (json, header[c]);
          g_string_append_c (json, ':');
          if (is_json_number (fields[c]))
            g_string_append (json, fields[c]);
          else
            append_json_string (json, fields[c]);
        }
      g_string_append_c (json, '}');

      dbw_record_set_id (DBW_RECORD (item), NULL);
      dbw_item_set_item_ref (item, fields[0]);
      dbw_item_set_fields (item, json->str);
      if (!dbw_store_insert (store, item, error))
        return FALSE;

      rows++;
    }

  if (!dbw_store_commit (store, error))
    return FALSE;

  dbw_store_close (store);
  *seconds = bench_seconds_since (start);

  /* Check, outside the timed region, that everything arrived. */
  g_clear_object (&store);
  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  n_stored = dbw_store_count (store, DBW_TYPE_ITEM, NULL, NULL, error);
  dbw_store_close (store);
  if (n_stored != N_ROWS || rows != N_ROWS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The project holds %" G_GINT64_FORMAT " items after reading %u rows, expected %d",
                   n_stored, rows, N_ROWS);
      return FALSE;
    }

  bench_remove_db_files (db_path);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *import_path = NULL;
  g_autofree char *template_path = NULL;
  g_autofree char *sheet_id = NULL;
  double best_store = G_MAXDOUBLE;
  double best_import = G_MAXDOUBLE;
  double best_floor = G_MAXDOUBLE;
  double ratio;

  context = g_option_context_new ("— insert 100,000 items, compared with sqlite3 .import");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!bench_find_sqlite3 (&sqlite3_path))
    return 2;

  tmpdir = g_dir_make_tmp ("dbw-bench-insert-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  csv_path = g_build_filename (tmpdir, "readings.csv", NULL);
  project_path = g_build_filename (tmpdir, "readings.dbw", NULL);
  import_path = g_build_filename (tmpdir, "readings.db", NULL);
  template_path = g_build_filename (tmpdir, "template.dbw", NULL);

  if (!write_csv (csv_path, &error))
    goto failed;
  sheet_id = bench_create_template_project (template_path, &error);
  if (sheet_id == NULL)
    goto failed;

  for (guint run = 0; run < N_RUNS; run++)
    {
      double store_s = 0;
      double import_s = 0;
      double floor_s = 0;

      if (!run_dbwstore (csv_path, project_path, &store_s, &error))
        goto failed;
      if (!bench_sqlite3_import (sqlite3_path, csv_path, import_path, N_ROWS, &import_s, &error))
        goto failed;
      if (!bench_measure_items_floor (sqlite3_path, template_path, sheet_id, csv_path, columns,
                                      "\"reading_id\"", N_ROWS, import_path, &floor_s, &error))
        goto failed;

      g_printerr ("run %u: DbwStore %.3f s, sqlite3 .import %.3f s, sqlite3 into the project's items %.3f s\n",
                  run + 1, store_s, import_s, floor_s);
      best_store = MIN (best_store, store_s);
      best_import = MIN (best_import, import_s);
      best_floor = MIN (best_floor, floor_s);
    }

  bench_remove_db_files (template_path);
  g_unlink (csv_path);
  g_rmdir (tmpdir);

  /* floor_ratio: the SQL of the project's items, with no code of the store's, against
   * .import; the target cannot be met below it. */
  ratio = best_store / best_import;
  g_print ("{\"benchmark\":\"insert-100k\",\"rows\":%d,\"dbwstore_s\":%.4f,\"sqlite3_import_s\":%.4f,"
           "\"sqlite3_items_floor_s\":%.4f,\"floor_ratio\":%.3f,\"ratio\":%.3f,\"target\":%.1f,\"pass\":%s}\n",
           N_ROWS, best_store, best_import, best_floor, best_floor / best_import, ratio, TARGET,
           ratio <= TARGET ? "true" : "false");

  return 0;

failed:
  g_printerr ("bench-insert: %s\n", error->message);
  bench_remove_db_files (project_path);
  bench_remove_db_files (import_path);
  bench_remove_db_files (template_path);
  g_unlink (csv_path);
  g_rmdir (tmpdir);

  return 1;
}
