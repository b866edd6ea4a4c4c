/* bench-items-floor.h — what SQLite alone spends storing a CSV's records as a project's items
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dbw-sheet.h"
#include "dbw-store.h"
#include "bench-util.h"

/* A new project with one sheet, for bench_measure_items_floor(); returns the sheet's id. */
static inline char *
bench_create_template_project (const char  *path,
                               GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();

  bench_remove_db_files (path);
  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return NULL;
  dbw_sheet_set_name (sheet, "Benchmark");
  if (!dbw_store_insert (store, sheet, error))
    return NULL;
  dbw_store_close (store);

  return g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
}

/* The floor under a store benchmark: what SQLite alone spends putting a CSV's records into
 * a project's items table, with all that the schema makes it do for each row (its
 * constraints, unique indexes, foreign key and sync triggers), and indexing their string
 * values for full-text search, in one transaction that it commits. Timed from the start of
 * the shell to its exit.
 *
 * @template_path is a new project holding the sheet @sheet_id. It is copied to @db_path and,
 * untimed, the copy gets each record's id, item_ref, JSON fields (numbers as numbers) and
 * full-text body ready in a table, computed from the CSV (@columns, after its header line);
 * @item_ref_sql is the SQL expression of the item_ref. The copy's full-text triggers call
 * the project's own C functions, so they are dropped and the index is built in one
 * statement, as a bulk import builds it. Reading the file and making the values are left
 * out, so the store, which must do them too, cannot go below this figure. The count of
 * indexed items is checked afterwards, untimed. */
static inline gboolean
bench_measure_items_floor (const char         *sqlite3_path,
                           const char         *template_path,
                           const char         *sheet_id,
                           const char         *csv_path,
                           const char * const *columns,
                           const char         *item_ref_sql,
                           guint64             expected_rows,
                           const char         *db_path,
                           double             *seconds,
                           GError            **error)
{
  g_autoptr(GFile) template = g_file_new_for_path (template_path);
  g_autoptr(GFile) copy = g_file_new_for_path (db_path);
  g_autoptr(GString) script = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) object = g_string_new (NULL);
  g_autofree char *script_path = g_strconcat (db_path, ".sql", NULL);
  g_autofree char *read = g_strdup_printf (".read %s", script_path);
  g_autofree char *out = NULL;
  gint64 start;

  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_string_append_printf (names, "%s\"%s\"", i > 0 ? ", " : "", columns[i]);
      g_string_append_printf (object,
                              "%s'%s', CASE WHEN \"%s\" <> '' AND \"%s\" NOT GLOB '*[^0-9.-]*' AND \"%s\" NOT GLOB '?*-*' "
                              "THEN CAST (\"%s\" AS NUMERIC) ELSE \"%s\" END",
                              i > 0 ? ", " : "", columns[i], columns[i], columns[i], columns[i], columns[i], columns[i]);
    }

  /* The ids are version 7 UUIDs, in order, as the store's are. */
  g_string_append_printf (script,
                          "DROP TRIGGER items_fts_insert;\n"
                          "DROP TRIGGER items_fts_delete;\n"
                          "CREATE TEMP TABLE csv (%s);\n"
                          ".import --csv --skip 1 %s csv\n"
                          "CREATE TABLE staged AS\n"
                          "  SELECT rowid AS seq, printf ('019%%05x-%%04x-7%%03x-8%%03x-%%012x', rowid >> 16, rowid & 65535,\n"
                          "           abs (random ()) %% 4096, abs (random ()) %% 4096, abs (random ()) %% 281474976710656) AS id,\n"
                          "         %s AS item_ref, json_object (%s) AS fields\n"
                          "  FROM temp.csv ORDER BY rowid;\n"
                          "ALTER TABLE staged ADD COLUMN body;\n"
                          "UPDATE staged SET body = (SELECT group_concat (value, ' ') FROM json_each (fields) WHERE type = 'text');\n",
                          names->str, csv_path, item_ref_sql, object->str);

  bench_remove_db_files (db_path);
  if (!g_file_copy (template, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, error) ||
      !g_file_set_contents (script_path, script->str, script->len, error))
    return FALSE;
  out = bench_run_sqlite3 (sqlite3_path, db_path, read, error);
  if (out == NULL)
    return FALSE;
  g_clear_pointer (&out, g_free);

  g_string_printf (script,
                   "PRAGMA journal_mode = WAL;\n"
                   "PRAGMA synchronous = NORMAL;\n"
                   "PRAGMA foreign_keys = ON;\n"
                   "PRAGMA cache_size = -32768;\n"
                   "BEGIN;\n"
                   "INSERT INTO items (seq, id, sheet_id, item_ref, modality, fields, created_at)\n"
                   "  SELECT seq, id, '%s', item_ref, 'row', fields, strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now') FROM staged;\n"
                   "INSERT INTO items_fts (rowid, body) SELECT seq, body FROM staged;\n"
                   "COMMIT;\n",
                   sheet_id);
  if (!g_file_set_contents (script_path, script->str, script->len, error))
    return FALSE;

  start = g_get_monotonic_time ();
  out = bench_run_sqlite3 (sqlite3_path, db_path, read, error);
  if (out == NULL)
    return FALSE;
  *seconds = bench_seconds_since (start);

  g_unlink (script_path);
  if (!bench_sqlite3_check_count (sqlite3_path, db_path,
                                  "SELECT count(*) FROM items WHERE rowid IN (SELECT rowid FROM items_fts);",
                                  expected_rows, "stored and indexed", "items", error))
    return FALSE;
  bench_remove_db_files (db_path);

  return TRUE;
}
