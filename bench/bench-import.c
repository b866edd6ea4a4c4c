/* bench-import.c
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

#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-importer.h"
#include "dbw-search.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "bench-items-floor.h"

/* Imports a CSV of 100,000 radiation-survey records (about 50 MB, mostly free-text notes)
 * into a new project with DbwImporter — parsing, JSON, items, full-text index, commit —
 * and compares the time with the sqlite3 shell importing the same file into a plain table.
 * Both sides start from the file on disk and end with a committed database file; each runs
 * three times, interleaved, and the best times are compared. */

#define N_ROWS   100000
#define N_RUNS   3
#define TARGET   2.0

static const char *columns[] = {
  "record_id", "inspection_date", "site", "building", "room", "instrument", "inspector",
  "dose_rate_usv_h", "contamination_bq_cm2", "status", "finding", "notes", NULL
};

static char *sqlite3_path = NULL;

static const GOptionEntry entries[] = {
  { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &sqlite3_path, "The sqlite3 shell", "PATH" },
  { NULL }
};

static const char *words[] = {
  "survey", "meter", "reading", "contamination", "wipe", "sample", "dose", "rate", "background",
  "alpha", "beta", "gamma", "detector", "calibration", "shielding", "lead", "container", "source",
  "activity", "becquerel", "microsievert", "hour", "controlled", "supervised", "area", "technician",
  "verified", "logbook", "entry", "instrument", "battery", "check", "response", "within", "tolerance",
  "exceeded", "action", "level", "decontamination", "performed", "glovebox", "fume", "hood",
  "laboratory", "corridor", "storage", "waste", "drum", "label", "posted", "signage", "personal",
  "dosimeter", "badge", "extremity", "monitoring", "hand", "foot", "frisker", "smear", "counted",
  "liquid", "scintillation", "the", "of", "at", "and", "no", "was", "after", "before", "near",
};

static void
append_words (GString *csv,
              GRand   *rand,
              guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (csv, ' ');
      g_string_append (csv, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
}

static gboolean
write_csv (const char  *path,
           GError     **error)
{
  static const char *statuses[] = { "pass", "pass", "pass", "fail", "follow-up" };
  g_autoptr(GString) csv = g_string_sized_new (N_ROWS * 560);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  bench_append_csv_header (csv, columns);

  for (guint i = 0; i < N_ROWS; i++)
    {
      g_string_append_printf (csv, "%u,2026-%02d-%02d,Site %c,B-%d,R%d,RDS-%04d,Inspector %d,%.3f,%.4f,%s,\"",
                              i + 1, g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29),
                              'A' + g_rand_int_range (rand, 0, 7), g_rand_int_range (rand, 1, 41),
                              g_rand_int_range (rand, 100, 500), g_rand_int_range (rand, 1, 301),
                              g_rand_int_range (rand, 1, 61), g_rand_double_range (rand, 0, 50),
                              g_rand_double_range (rand, 0, 5),
                              statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))]);
      append_words (csv, rand, g_rand_int_range (rand, 6, 13));
      g_string_append (csv, "\",\"");
      append_words (csv, rand, g_rand_int_range (rand, 45, 70));
      g_string_append (csv, "\"\n");
    }

  return g_file_set_contents (path, csv->str, csv->len, error);
}

/* The store side: a new project, one sheet, the import. */
static gboolean
run_importer (const char  *csv_path,
              const char  *db_path,
              double      *seconds,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (db_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GPtrArray) found = NULL;
  DbwImportReport *report;
  gint64 start;

  bench_remove_db_files (db_path);

  start = g_get_monotonic_time ();

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;
  sheet = dbw_sheet_new ();
  dbw_sheet_set_name (sheet, "Survey records");
  if (!dbw_store_insert (store, sheet, error))
    return FALSE;
  dbw_store_close (store);
  g_clear_object (&store);

  importer = dbw_importer_new (file, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_importer_add_source (importer, csv);
  if (!dbw_importer_run (importer, NULL, error))
    return FALSE;

  *seconds = bench_seconds_since (start);

  /* Outside the timed region: everything arrived, and is searchable. */
  report = dbw_importer_get_report (importer);
  if (dbw_import_report_get_n_added (report) != N_ROWS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Imported %" G_GUINT64_FORMAT " items, expected %d",
                   dbw_import_report_get_n_added (report), N_ROWS);
      return FALSE;
    }

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  found = dbw_search_items (store, "scintillation glovebox", NULL, 10, error);
  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The imported records are not searchable");
      return FALSE;
    }
  dbw_store_close (store);

  bench_remove_db_files (db_path);

  return TRUE;
}

/* What the full-text index alone costs SQLite: the shell builds an FTS5 index, with the
 * project's tokenizer and settings (migration 5 in dbw-schema.c), over the same records'
 * text already in a table (prepared untimed).
 * The import cannot go below .import plus this, whatever the importer does, so the
 * figure shows how far the target is from what SQLite allows. */
static gboolean
measure_fts_floor (const char  *shell,
                   const char  *csv_path,
                   const char  *db_path,
                   double      *seconds,
                   GError     **error)
{
  g_autofree char *import = g_strdup_printf (".import %s data", csv_path);
  g_autofree char *out = NULL;
  gint64 start;

  bench_remove_db_files (db_path);
  out = bench_run_sqlite3 (shell, db_path, import, error);
  if (out == NULL)
    return FALSE;
  g_clear_pointer (&out, g_free);
  out = bench_run_sqlite3 (shell, db_path,
                           "CREATE TABLE body AS SELECT rowid AS rid, record_id || ' ' || inspection_date || ' ' || "
                           "site || ' ' || building || ' ' || room || ' ' || instrument || ' ' || inspector || ' ' || "
                           "dose_rate_usv_h || ' ' || contamination_bq_cm2 || ' ' || status || ' ' || finding || ' ' || "
                           "notes AS b FROM data; DROP TABLE data; VACUUM;",
                           error);
  if (out == NULL)
    return FALSE;
  g_clear_pointer (&out, g_free);

  start = g_get_monotonic_time ();
  out = bench_run_sqlite3 (shell, db_path,
                           "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; BEGIN; "
                           "CREATE VIRTUAL TABLE fts USING fts5 (body, content = '', tokenize = 'unicode61 remove_diacritics 2'); "
                           "INSERT INTO fts (fts, rank) VALUES ('hashsize', 16777216); "
                           "INSERT INTO fts (rowid, body) SELECT rid, b FROM body; COMMIT;",
                           error);
  if (out == NULL)
    return FALSE;
  *seconds = bench_seconds_since (start);

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
  GStatBuf st;
  double best_store = G_MAXDOUBLE;
  double best_import = G_MAXDOUBLE;
  double best_fts = G_MAXDOUBLE;
  double best_floor = G_MAXDOUBLE;
  g_autofree char *template_path = NULL;
  g_autofree char *sheet_id = NULL;
  double ratio;

  context = g_option_context_new ("— import a 100,000-row CSV, compared with sqlite3 .import");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!bench_find_sqlite3 (&sqlite3_path))
    return 2;

  tmpdir = g_dir_make_tmp ("dbw-bench-import-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  csv_path = g_build_filename (tmpdir, "survey.csv", NULL);
  project_path = g_build_filename (tmpdir, "survey.dbw", NULL);
  import_path = g_build_filename (tmpdir, "survey.db", NULL);
  template_path = g_build_filename (tmpdir, "template.dbw", NULL);

  if (!write_csv (csv_path, &error))
    goto failed;
  g_stat (csv_path, &st);
  sheet_id = bench_create_template_project (template_path, &error);
  if (sheet_id == NULL)
    goto failed;

  for (guint run = 0; run < N_RUNS; run++)
    {
      double store_s = 0;
      double import_s = 0;

      if (!run_importer (csv_path, project_path, &store_s, &error))
        goto failed;
      if (!bench_sqlite3_import (sqlite3_path, csv_path, import_path, N_ROWS, &import_s, &error))
        goto failed;

      g_printerr ("run %u: DbwImporter %.3f s, sqlite3 .import %.3f s\n", run + 1, store_s, import_s);
      best_store = MIN (best_store, store_s);
      best_import = MIN (best_import, import_s);
    }

  for (guint run = 0; run < N_RUNS; run++)
    {
      double fts_s = 0;
      double floor_s = 0;

      if (!measure_fts_floor (sqlite3_path, csv_path, import_path, &fts_s, &error))
        goto failed;
      if (!bench_measure_items_floor (sqlite3_path, template_path, sheet_id, csv_path, columns,
                                      "'survey.csv#' || rowid", N_ROWS, import_path, &floor_s, &error))
        goto failed;
      g_printerr ("run %u: sqlite3 FTS5 index alone %.3f s, sqlite3 into the project's items %.3f s\n",
                  run + 1, fts_s, floor_s);
      best_fts = MIN (best_fts, fts_s);
      best_floor = MIN (best_floor, floor_s);
    }

  bench_remove_db_files (template_path);
  g_unlink (csv_path);
  g_rmdir (tmpdir);

  ratio = best_store / best_import;
  g_print ("{\"benchmark\":\"import-csv-100k\",\"rows\":%d,\"csv_bytes\":%" G_GINT64_FORMAT ","
           "\"dbwimporter_s\":%.4f,\"sqlite3_import_s\":%.4f,\"sqlite3_fts5_index_s\":%.4f,"
           "\"sqlite3_items_floor_s\":%.4f,\"fts_floor_ratio\":%.3f,\"floor_ratio\":%.3f,"
           "\"ratio\":%.3f,\"target\":%.1f,\"pass\":%s}\n",
           N_ROWS, (gint64) st.st_size, best_store, best_import, best_fts, best_floor,
           (best_import + best_fts) / best_import, best_floor / best_import,
           ratio, TARGET, ratio <= TARGET ? "true" : "false");

  return 0;

failed:
  g_printerr ("%s\n", error->message);
  bench_remove_db_files (project_path);
  bench_remove_db_files (import_path);
  bench_remove_db_files (template_path);
  g_unlink (csv_path);
  g_rmdir (tmpdir);
  return 1;
}
