/* bench-export.c
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

#define G_LOG_DOMAIN "bench-export"

#include "config.h"

#include "bench-util.h"
#include "dbw-export.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet.h"
#include "dbw-training-sheet.h"

/* A governed export of a Training Sheet of 100,000 pairs to JSONL (every pair through the
 * dual gate, its messages checked as trainers check them, the file written and renamed,
 * the exports row recorded) against the sqlite3 shell dumping the same rows with -json to
 * a file, in the same run. Target: the export within 1.5 times the dump. */

#define N_PAIRS 100000
#define N_RUNS  3
#define TARGET  1.5

static char *sqlite3_path = NULL;

static const GOptionEntry entries[] = {
  { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &sqlite3_path, "The sqlite3 shell", "PATH" },
  { NULL }
};

static char *
make_project (const char  *path,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, error);
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  const char *training[] = { "training", "evaluation", NULL };
  const char *evaluation[] = { "evaluation", NULL };
  const char *prohibited[] = { "training", NULL };

  if (store == NULL)
    return NULL;
  dbw_sheet_set_name (sheet, "Readings");
  if (!dbw_store_insert (store, sheet, error))
    return NULL;
  dbw_training_sheet_set_name (training_sheet, "Readings QA");
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  if (!dbw_store_insert (store, training_sheet, error))
    return NULL;

  if (!dbw_store_begin_bulk (store, error))
    return NULL;
  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
      g_autofree char *ref = g_strdup_printf ("TH-%04u/reading-%u", i % 2000, i);
      g_autofree char *messages =
        g_strdup_printf ("[{\"role\":\"system\",\"content\":\"You are a process engineer. Classify the "
                         "sensor reading as normal, drift or fault and say why in one sentence.\"},"
                         "{\"role\":\"user\",\"content\":\"Sensor TH-%04u at line %u: temperature %.1f °C, "
                         "humidity %.1f %%, vibration %.3f g.\\nPrevious: %.1f °C.\"},"
                         "{\"role\":\"assistant\",\"content\":\"{\\\"label\\\":\\\"%s\\\",\\\"why\\\":"
                         "\\\"The reading is %s the band seen on this line.\\\"}\"}]",
                         i % 2000, i % 7, 20 + (i % 300) / 10.0, 30 + (i % 500) / 10.0, (i % 1000) / 1000.0,
                         20 + ((i + 7) % 300) / 10.0, i % 10 == 0 ? "drift" : "normal",
                         i % 10 == 0 ? "outside" : "within");

      dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training_sheet)));
      dbw_qa_pair_set_item_ref (pair, ref);
      dbw_qa_pair_set_messages (pair, messages);
      /* 90 % exportable for training, the rest unlabeled, prohibited or only for evaluation */
      dbw_qa_pair_set_status (pair, i % 20 == 1 ? DBW_QA_STATUS_UNLABELED : DBW_QA_STATUS_LABELED);
      dbw_qa_pair_set_allowed_uses (pair, i % 20 == 2 ? evaluation : training);
      if (i % 20 == 3)
        {
          dbw_qa_pair_set_prohibited_uses (pair, prohibited);
          dbw_qa_pair_set_usage_reason (pair, "Customer data");
        }
      if (!dbw_store_insert (store, pair, error))
        {
          dbw_store_rollback (store);
          return NULL;
        }
    }
  if (!dbw_store_commit (store, error))
    return NULL;

  dbw_store_close (store);
  return g_strdup (dbw_record_get_id (DBW_RECORD (training_sheet)));
}

static gboolean
run_export (const char  *project_path,
            const char  *training_sheet_id,
            const char  *out_dir,
            double      *seconds,
            gint64      *n_exported,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (project_path);
  g_autoptr(GFile) directory = g_file_new_for_path (out_dir);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwExportOptions) options = dbw_export_options_new ();
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  const char *ids[] = { training_sheet_id, NULL };
  gint64 start;

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  options->training_sheet_ids = g_strdupv ((char **) ids);

  start = g_get_monotonic_time ();
  export = dbw_export_new (store, options);
  result = dbw_export_write (export, directory, NULL, error);
  if (result == NULL)
    return FALSE;
  *seconds = bench_seconds_since (start);
  *n_exported = result->summary->n_exported;

  dbw_store_close (store);
  return TRUE;
}

/* The baseline: the same rows, all of them, as JSON into a file. */
static gboolean
run_sqlite3_json (const char  *project_path,
                  const char  *training_sheet_id,
                  const char  *out_path,
                  double      *seconds,
                  GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT id, item_ref, status, allowed_uses, prohibited_uses, "
                                          "usage_reason, messages FROM qa_pairs "
                                          "WHERE training_sheet_id = '%s'", training_sheet_id);
  gint64 start;

  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, error, sqlite3_path, "-bail", "-json", "-readonly",
                                         project_path, sql, NULL);
  if (process == NULL || !g_subprocess_wait_check (process, NULL, error))
    return FALSE;
  *seconds = bench_seconds_since (start);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *dump_path = NULL;
  g_autofree char *training_sheet_id = NULL;
  double best_export = G_MAXDOUBLE;
  double best_dump = G_MAXDOUBLE;
  gint64 n_exported = 0;
  gint64 setup_start;
  double ratio;

  context = g_option_context_new ("— export 100,000 pairs to JSONL, compared with sqlite3 -json");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!bench_find_sqlite3 (&sqlite3_path))
    return 2;

  tmpdir = g_dir_make_tmp ("dbw-bench-export-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  project_path = g_build_filename (tmpdir, "readings.dbw", NULL);
  out_dir = g_build_filename (tmpdir, "export", NULL);
  dump_path = g_build_filename (tmpdir, "dump.json", NULL);

  setup_start = g_get_monotonic_time ();
  training_sheet_id = make_project (project_path, &error);
  if (training_sheet_id == NULL)
    goto failed;
  g_printerr ("made %d pairs in %.1f s\n", N_PAIRS, bench_seconds_since (setup_start));

  for (guint run = 0; run < N_RUNS; run++)
    {
      double export_s = 0;
      double dump_s = 0;

      if (!run_export (project_path, training_sheet_id, out_dir, &export_s, &n_exported, &error))
        goto failed;
      if (!run_sqlite3_json (project_path, training_sheet_id, dump_path, &dump_s, &error))
        goto failed;

      g_printerr ("run %u: export %.3f s (%" G_GINT64_FORMAT " pairs), sqlite3 -json %.3f s\n",
                  run + 1, export_s, n_exported, dump_s);
      best_export = MIN (best_export, export_s);
      best_dump = MIN (best_dump, dump_s);
    }

  ratio = best_export / best_dump;
  g_print ("{\"benchmark\":\"export-jsonl-100k\",\"pairs\":%d,\"exported\":%" G_GINT64_FORMAT ","
           "\"export_s\":%.4f,\"sqlite3_json_s\":%.4f,\"ratio\":%.3f,\"target\":%.1f,\"pass\":%s}\n",
           N_PAIRS, n_exported, best_export, best_dump, ratio, TARGET, ratio <= TARGET ? "true" : "false");

  goto cleanup;

failed:
  g_printerr ("bench-export: %s\n", error->message);
cleanup:
  {
    const char *names[] = { "data.jsonl", "manifest.json", NULL };

    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *path = g_build_filename (out_dir, names[i], NULL);

        g_unlink (path);
      }
    g_rmdir (out_dir);
    g_unlink (dump_path);
    bench_remove_db_files (project_path);
    g_rmdir (tmpdir);
  }
  return error != NULL ? 1 : 0;
}
