/* bench-util.h — what the benchmarks share: timing, scratch files and the sqlite3 shell
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

static inline double
bench_seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static inline void
bench_remove_db_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* The sqlite3 shell to compare with: --sqlite3 if given (*path), else $SQLITE3, else the
 * one in PATH. FALSE, having said so, when there is none. */
static inline gboolean
bench_find_sqlite3 (char **path)
{
  if (*path == NULL)
    *path = g_strdup (g_getenv ("SQLITE3"));
  if (*path == NULL)
    *path = g_find_program_in_path ("sqlite3");
  if (*path == NULL)
    {
      g_printerr ("No sqlite3 shell: pass --sqlite3 PATH\n");
      return FALSE;
    }

  return TRUE;
}

/* Runs one command of the sqlite3 shell in CSV mode; returns what it printed. */
static inline char *
bench_run_sqlite3 (const char  *sqlite3_path,
                   const char  *db_path,
                   const char  *sql,
                   GError     **error)
{
  const char *argv[] = { sqlite3_path, "-bail", "-cmd", ".mode csv", db_path, sql, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, error))
    return NULL;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: %s: ", sqlite3_path, err != NULL ? g_strstrip (err) : "");
      return NULL;
    }

  return g_steal_pointer (&out);
}

/* Checks, untimed, that the shell's count (@sql) is @expected: "sqlite3 @did N @what". */
static inline gboolean
bench_sqlite3_check_count (const char  *sqlite3_path,
                           const char  *db_path,
                           const char  *sql,
                           guint64      expected,
                           const char  *did,
                           const char  *what,
                           GError     **error)
{
  g_autofree char *count = bench_run_sqlite3 (sqlite3_path, db_path, sql, error);

  if (count == NULL)
    return FALSE;
  if ((guint64) g_ascii_strtoull (count, NULL, 10) != expected)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "sqlite3 %s %s %s, expected %" G_GUINT64_FORMAT, did, g_strstrip (count), what, expected);
      return FALSE;
    }

  return TRUE;
}

/* The header line of a CSV file with @columns (NULL-terminated). */
static inline void
bench_append_csv_header (GString            *csv,
                         const char * const *columns)
{
  for (guint c = 0; columns[c] != NULL; c++)
    g_string_append_printf (csv, "%s%s", c > 0 ? "," : "", columns[c]);
  g_string_append_c (csv, '\n');
}

/* The baseline: the sqlite3 shell importing a CSV into a new database, timed from the
 * start of the shell to its exit; the row count is checked afterwards, untimed. */
static inline gboolean
bench_sqlite3_import (const char  *sqlite3_path,
                      const char  *csv_path,
                      const char  *db_path,
                      guint64      expected_rows,
                      double      *seconds,
                      GError     **error)
{
  g_autofree char *import = g_strdup_printf (".import %s data", csv_path);
  g_autofree char *out = NULL;
  gint64 start;

  bench_remove_db_files (db_path);

  start = g_get_monotonic_time ();
  out = bench_run_sqlite3 (sqlite3_path, db_path, import, error);
  if (out == NULL)
    return FALSE;
  *seconds = bench_seconds_since (start);

  if (!bench_sqlite3_check_count (sqlite3_path, db_path, "SELECT count(*) FROM data;",
                                  expected_rows, "imported", "rows", error))
    return FALSE;

  bench_remove_db_files (db_path);

  return TRUE;
}
