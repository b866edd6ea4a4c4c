/* bench-import-memory.c
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

#define G_LOG_DOMAIN "bench-import-memory"

#include "config.h"

#include <sys/resource.h>

#include <glib/gstdio.h>

#include "dbw-importer.h"
#include "dbw-sheet.h"
#include "dbw-store.h"

/* Imports a 1 GB CSV into a new project and reports the peak resident memory of the
 * process: the importer streams, so it must stay far below the size of the file. The CSV
 * is written first, row by row, so writing it costs no memory either. */

#define TARGET_BYTES ((guint64) 1024 * 1024 * 1024)
#define TARGET_MB    200

static const char *words[] = {
  "survey", "meter", "reading", "contamination", "wipe", "sample", "dose", "rate", "background",
  "alpha", "beta", "gamma", "detector", "calibration", "shielding", "lead", "container", "source",
  "activity", "becquerel", "controlled", "area", "technician", "verified", "logbook", "glovebox",
};

static gboolean
write_csv (const char  *path,
           guint64     *rows_out,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GString) line = g_string_sized_new (1024);
  guint64 written = 0;
  guint64 rows = 0;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (out), 1024 * 1024);

  g_string_assign (line, "record_id,site,instrument,dose_rate_usv_h,status,notes\n");
  while (written < TARGET_BYTES)
    {
      if (!g_output_stream_write_all (buffered, line->str, line->len, NULL, NULL, error))
        return FALSE;
      written += line->len;

      g_string_printf (line, "%" G_GUINT64_FORMAT ",Site %c,RDS-%04d,%.3f,%s,\"",
                       ++rows, 'A' + g_rand_int_range (rand, 0, 7), g_rand_int_range (rand, 1, 301),
                       g_rand_double_range (rand, 0, 50), g_rand_boolean (rand) ? "pass" : "follow-up");
      for (int w = g_rand_int_range (rand, 30, 60); w > 0; w--)
        {
          g_string_append (line, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          g_string_append_c (line, w > 1 ? ' ' : '"');
        }
      g_string_append_c (line, '\n');
    }

  *rows_out = rows - 1;

  return g_output_stream_close (buffered, NULL, error);
}

static void
remove_project (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("dbw-bench-memory-XXXXXX", &error);
  g_autofree char *csv_path = NULL;
  g_autofree char *project_path = NULL;
  g_autoptr(GFile) project = NULL;
  g_autoptr(GFile) csv = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  struct rusage before;
  struct rusage after;
  guint64 rows = 0;
  gint64 start;
  double seconds;
  double peak_mb;
  double before_mb;

  if (tmpdir == NULL)
    goto failed;

  csv_path = g_build_filename (tmpdir, "big.csv", NULL);
  project_path = g_build_filename (tmpdir, "big.dbw", NULL);
  project = g_file_new_for_path (project_path);
  csv = g_file_new_for_path (csv_path);

  if (!write_csv (csv_path, &rows, &error))
    goto failed;

  store = dbw_store_open (project, DBW_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    goto failed;
  sheet = dbw_sheet_new ();
  dbw_sheet_set_name (sheet, "Big");
  if (!dbw_store_insert (store, sheet, &error))
    goto failed;
  dbw_store_close (store);

  getrusage (RUSAGE_SELF, &before);
  start = g_get_monotonic_time ();

  importer = dbw_importer_new (project, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_importer_add_source (importer, csv);
  if (!dbw_importer_run (importer, NULL, &error))
    goto failed;

  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  getrusage (RUSAGE_SELF, &after);
  peak_mb = after.ru_maxrss / 1024.0;
  before_mb = before.ru_maxrss / 1024.0;

  if (dbw_import_report_get_n_added (dbw_importer_get_report (importer)) != rows)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Imported %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " rows",
                   dbw_import_report_get_n_added (dbw_importer_get_report (importer)), rows);
      goto failed;
    }

  g_printerr ("imported %" G_GUINT64_FORMAT " rows in %.1f s; peak RSS %.1f MB (%.1f MB before the import)\n",
              rows, seconds, peak_mb, before_mb);
  g_print ("{\"benchmark\":\"import-1gb-peak-rss\",\"csv_bytes\":%" G_GUINT64_FORMAT ",\"rows\":%" G_GUINT64_FORMAT ","
           "\"seconds\":%.1f,\"peak_rss_mb\":%.1f,\"target_mb\":%d,\"pass\":%s}\n",
           TARGET_BYTES, rows, seconds, peak_mb, TARGET_MB, peak_mb < TARGET_MB ? "true" : "false");

  remove_project (project_path);
  g_unlink (csv_path);
  g_rmdir (tmpdir);
  return 0;

failed:
  g_printerr ("%s\n", error != NULL ? error->message : "failed");
  if (project_path != NULL)
    remove_project (project_path);
  if (csv_path != NULL)
    g_unlink (csv_path);
  if (tmpdir != NULL)
    g_rmdir (tmpdir);
  return 1;
}
