/* fuzz-import-common.c
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

#define G_LOG_DOMAIN "fuzz-import"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-store.h"

#include "fuzz-import.h"

/* The import path from a file on disk to items in a project, shared by the fuzz-import-*
 * harnesses. Each input is written to one file in a temporary directory
 * (dbw-fuzz-import-XXXXXX under $TMPDIR, removed at exit) and imported with the
 * harness's format forced into one sheet of a project that lives for
 * PROJECT_RUNS inputs, so later inputs meet the items of earlier ones (unchanged items,
 * new versions) while the project stays small. The lowest bit of the input's last byte
 * says whether good records are kept when others are rejected (1) or any rejection
 * rolls the import back (0), so both commit and rollback run.
 *
 * Whatever the input, the import must:
 *   - return TRUE, or FALSE with DBW_IMPORT_ERROR_REJECTED and only when some record
 *     was rejected and keep-good is off; never any other error (a file this small
 *     cannot run out of anything);
 *   - if it returned TRUE, have added exactly n_added + n_versions items to the sheet,
 *     each a row item whose fields json-glib reads as a JSON object, with UTF-8 names
 *     and strings; if it was rejected, have added none (the rollback);
 *   - list every problem (up to the report's limit) with the file's name as source and
 *     a reason in UTF-8 that starts with that name, and a line of 1 or more for every
 *     problem with a record, and for every JSON and JSON Lines problem;
 *   - give a report that serialises to JSON that reads back. */

#define PROJECT_RUNS 64

static char *fuzz_dir;
static char *fuzz_project_path;
static GFile *fuzz_project;
static DbwStore *fuzz_store;
static char *fuzz_sheet_id;
static sqlite3 *fuzz_db;
static sqlite3 *fuzz_memory_db;
static guint fuzz_runs;

static void
remove_project_files (void)
{
  g_autofree char *wal = g_strconcat (fuzz_project_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fuzz_project_path, "-shm", NULL);

  g_unlink (fuzz_project_path);
  g_unlink (wal);
  g_unlink (shm);
}

static void
close_project (void)
{
  g_clear_pointer (&fuzz_db, sqlite3_close);
  if (fuzz_store != NULL)
    dbw_store_close (fuzz_store);
  g_clear_object (&fuzz_store);
  g_clear_pointer (&fuzz_sheet_id, g_free);
  remove_project_files ();
}

static void
cleanup_at_exit (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  close_project ();
  g_clear_pointer (&fuzz_memory_db, sqlite3_close);

  dir = g_dir_open (fuzz_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fuzz_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fuzz_dir);
}

static void
is_utf8_func (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  sqlite3_result_int (context, text == NULL || g_utf8_validate (text, sqlite3_value_bytes (argv[0]), NULL));
}

static void
ensure_dir (void)
{
  g_autoptr(GError) error = NULL;

  if (fuzz_dir != NULL)
    return;

  fuzz_dir = g_dir_make_tmp ("dbw-fuzz-import-XXXXXX", &error);
  if (fuzz_dir == NULL)
    g_error ("Could not make a temporary directory: %s", error->message);

  fuzz_project_path = g_build_filename (fuzz_dir, "fuzz.dbw", NULL);
  fuzz_project = g_file_new_for_path (fuzz_project_path);

  if (sqlite3_open (":memory:", &fuzz_memory_db) != SQLITE_OK)
    g_error ("Could not open an in-memory database");
  sqlite3_create_function (fuzz_memory_db, "fuzz_is_utf8", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, is_utf8_func, NULL, NULL);

  atexit (cleanup_at_exit);
}

/* A new project with one empty sheet, every PROJECT_RUNS inputs. */
static void
ensure_project (void)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;

  if (fuzz_store != NULL && fuzz_runs % PROJECT_RUNS != 0)
    return;

  close_project ();

  fuzz_store = dbw_store_open (fuzz_project, DBW_STORE_OPEN_CREATE, &error);
  if (fuzz_store == NULL)
    g_error ("Could not create %s: %s", fuzz_project_path, error->message);

  sheet = dbw_sheet_new ();
  dbw_sheet_set_name (sheet, "Fuzz");
  if (!dbw_store_insert (fuzz_store, sheet, &error))
    g_error ("Could not add a sheet: %s", error->message);
  fuzz_sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));

  /* Read past the store, as the tests do: the rows themselves, not records. */
  if (sqlite3_open_v2 (fuzz_project_path, &fuzz_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("Could not open %s: %s", fuzz_project_path, sqlite3_errmsg (fuzz_db));
}

static gint64
count_items (void)
{
  g_autoptr(GError) error = NULL;
  gint64 n;

  n = dbw_store_count (fuzz_store, DBW_TYPE_ITEM, "sheet_id", fuzz_sheet_id, &error);
  if (n < 0)
    g_error ("Could not count the items: %s", error->message);

  return n;
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Could not prepare “%s”: %s", sql, sqlite3_errmsg (db));

  return stmt;
}

static gint64
last_item_rowid (void)
{
  sqlite3_stmt *stmt = prepare (fuzz_db, "SELECT coalesce (max (rowid), 0) FROM items");
  gint64 rowid;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("Could not read the items: %s", sqlite3_errmsg (fuzz_db));
  rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return rowid;
}

/* Whether every member name and string in @node is UTF-8. json-glib 1.6 decodes an
 * escaped half of a surrogate pair ("\\ud83d") into bytes that are not. */
gboolean
fuzz_import_node_is_text (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !fuzz_import_node_is_text (member))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!fuzz_import_node_is_text (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_utf8_validate (json_node_get_string (node), -1, NULL);
      return TRUE;

    case JSON_NODE_NULL:
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/* Every item stored after @after_rowid is a row item of the sheet whose fields json-glib
 * reads as a JSON object, all of it text. Returns how many there are. */
static guint64
check_new_items (gint64 after_rowid)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  sqlite3_stmt *stmt;
  guint64 n = 0;
  int rc;

  stmt = prepare (fuzz_db, "SELECT sheet_id, modality, fields FROM items WHERE rowid > ?1");
  sqlite3_bind_int64 (stmt, 1, after_rowid);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *sheet_id = (const char *) sqlite3_column_text (stmt, 0);
      const char *modality = (const char *) sqlite3_column_text (stmt, 1);
      const char *fields = (const char *) sqlite3_column_text (stmt, 2);
      int len = sqlite3_column_bytes (stmt, 2);
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (sheet_id, ==, fuzz_sheet_id);
      g_assert_cmpstr (modality, ==, "row");
      g_assert_nonnull (fields);

      if (!json_parser_load_from_data (parser, fields, len, &error))
        g_error ("An item's fields are not JSON (%s): %s", error->message, fields);
      if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        g_error ("An item's fields are not a JSON object: %s", fields);
      if (!fuzz_import_node_is_text (json_parser_get_root (parser)))
        g_error ("An item's fields read back as something that is not UTF-8: %s", fields);

      n++;
    }
  if (rc != SQLITE_DONE)
    g_error ("Could not read the items: %s", sqlite3_errmsg (fuzz_db));
  sqlite3_finalize (stmt);

  return n;
}

static void
check_problems (DbwImportReport *report,
                DbwImportFormat  format,
                const char      *display)
{
  GListModel *problems = dbw_import_report_get_problems (report);
  guint64 n_problems = dbw_import_report_get_n_problems (report);
  guint n_listed = g_list_model_get_n_items (problems);

  g_assert_cmpuint (n_listed, ==, MIN (n_problems, DBW_IMPORT_REPORT_MAX_PROBLEMS));
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, n_problems);

  for (guint i = 0; i < n_listed; i++)
    {
      g_autoptr(DbwImportProblem) problem = g_list_model_get_item (problems, i);
      const char *reason = dbw_import_problem_get_reason (problem);
      guint64 line = dbw_import_problem_get_line (problem);
      guint64 record = dbw_import_problem_get_record (problem);
      g_autofree char *location = NULL;

      /* G_MESSAGES_DEBUG=fuzz-import shows them, when replaying an input. */
      g_debug ("Problem (line %" G_GUINT64_FORMAT ", record %" G_GUINT64_FORMAT "): %s",
               line, record, reason);

      g_assert_cmpstr (dbw_import_problem_get_source (problem), ==, display);
      g_assert_nonnull (reason);
      if (!g_utf8_validate (reason, -1, NULL))
        g_error ("A problem's reason is not UTF-8");
      if (!g_str_has_prefix (reason, display) || reason[strlen (display)] == '\0')
        g_error ("A problem's reason does not start with the file's name: %s", reason);

      if ((record > 0 || format != DBW_IMPORT_FORMAT_CSV) && line == 0)
        g_error ("A problem has no line: %s", reason);

      location = dbw_import_problem_dup_location (problem);
      g_assert_true (g_str_has_prefix (location, display));
    }
}

/* The report as the user saves it is JSON, and says what the report says. */
static void
check_report_json (DbwImportReport *report)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = dbw_import_report_to_json (report);
  JsonObject *object;

  if (!json_parser_load_from_data (parser, json, -1, &error))
    g_error ("The report is not JSON (%s): %s", error->message, json);

  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_nonnull (object);
  g_assert_cmpint (json_object_get_int_member (object, "rejected"), ==,
                   (gint64) dbw_import_report_get_n_problems (report));
  g_assert_cmpint (json_object_get_int_member (object, "items_added"), ==,
                   (gint64) dbw_import_report_get_n_added (report));
  g_assert_true (json_object_get_boolean_member (object, "committed") ==
                 dbw_import_report_get_committed (report));
}

void
fuzz_import_run (DbwImportFormat   format,
                 const guint8     *data,
                 gsize             size,
                 FuzzImportResult *result)
{
  static const char * const names[] = {
    [DBW_IMPORT_FORMAT_CSV] = "fuzz.csv",
    [DBW_IMPORT_FORMAT_JSONL] = "fuzz.jsonl",
    [DBW_IMPORT_FORMAT_JSON] = "fuzz.json",
  };
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  DbwImportReport *report;
  gboolean keep_good;
  gboolean ok;
  gint64 n_before;
  gint64 n_after;
  gint64 last_rowid;
  guint64 n_new;

  g_assert_true (format == DBW_IMPORT_FORMAT_CSV ||
                 format == DBW_IMPORT_FORMAT_JSONL ||
                 format == DBW_IMPORT_FORMAT_JSON);

  ensure_dir ();
  ensure_project ();
  fuzz_runs++;

  path = g_build_filename (fuzz_dir, names[format], NULL);
  /* Before GLib 2.76, G_FILE_SET_CONTENTS_NONE writes over the old file without
   * truncating it: a shorter input would end in the tail of the one before. */
  g_unlink (path);
  if (!g_file_set_contents_full (path, (const char *) data, (gssize) size,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("Could not write %s: %s", path, error->message);
  file = g_file_new_for_path (path);
  display = g_file_get_parse_name (file);

  keep_good = size > 0 && (data[size - 1] & 1) != 0;

  n_before = count_items ();
  last_rowid = last_item_rowid ();

  importer = dbw_importer_new (fuzz_project, fuzz_sheet_id);
  dbw_importer_add_source (importer, file);
  dbw_importer_set_format (importer, format);
  dbw_importer_set_keep_good (importer, keep_good);
  ok = dbw_importer_run (importer, NULL, &error);

  report = dbw_importer_get_report (importer);
  g_assert_true (dbw_import_report_get_committed (report) == ok);
  g_assert_true (dbw_import_report_get_keep_good (report) == keep_good);

  if (ok)
    {
      g_assert_no_error (error);
      if (!keep_good)
        g_assert_cmpuint (dbw_import_report_get_n_problems (report), ==, 0);
    }
  else
    {
      if (!g_error_matches (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED))
        g_error ("The import failed with %s %d instead of a rejection: %s",
                 error != NULL ? g_quark_to_string (error->domain) : "no error",
                 error != NULL ? error->code : 0,
                 error != NULL ? error->message : "");
      g_assert_false (keep_good);
      g_assert_cmpuint (dbw_import_report_get_n_problems (report), >, 0);
    }

  check_problems (report, format, display);
  check_report_json (report);

  n_after = count_items ();
  n_new = check_new_items (last_rowid);
  if (ok)
    {
      guint64 expected = dbw_import_report_get_n_added (report) + dbw_import_report_get_n_versions (report);

      g_assert_cmpint (n_after - n_before, ==, (gint64) expected);
      g_assert_cmpuint (n_new, ==, expected);
    }
  else
    {
      /* Rolled back: not one item stays. */
      g_assert_cmpint (n_after, ==, n_before);
      g_assert_cmpuint (n_new, ==, 0);
    }

  if (result != NULL)
    {
      result->committed = ok;
      result->n_problems = dbw_import_report_get_n_problems (report);
      result->n_added = dbw_import_report_get_n_added (report);
      result->n_versions = dbw_import_report_get_n_versions (report);
      result->n_unchanged = dbw_import_report_get_n_unchanged (report);
    }
}

/* The fields of the newest version of the sheet's item @item_ref, or %NULL. */
char *
fuzz_import_dup_fields (const char *item_ref)
{
  sqlite3_stmt *stmt;
  char *fields = NULL;

  g_assert_nonnull (fuzz_db);

  stmt = prepare (fuzz_db,
                  "SELECT fields FROM items WHERE sheet_id = ?1 AND item_ref = ?2 "
                  "ORDER BY version DESC LIMIT 1");
  sqlite3_bind_text (stmt, 1, fuzz_sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    fields = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return fields;
}

/* The deepest nesting of arrays and objects in JSON text; brackets inside strings do not
 * count. */
guint
fuzz_import_json_depth (const char *text,
                        gsize       len)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;
  guint deepest = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        deepest = MAX (deepest, ++depth);
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return deepest;
}

/* Whether @text is JSON as RFC 8259 has it, which is what the items table stores (its
 * CHECK is SQLite's json_valid()); json-glib also reads comments, single quotes,
 * hexadecimal numbers and more. */
gboolean
fuzz_import_is_strict_json (const char *text,
                            gsize       len)
{
  sqlite3_stmt *stmt;
  gboolean valid;

  ensure_dir ();

  stmt = prepare (fuzz_memory_db, "SELECT json_valid (?1)");
  sqlite3_bind_text (stmt, 1, text, (int) len, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("json_valid() failed: %s", sqlite3_errmsg (fuzz_memory_db));
  valid = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  return valid;
}

/* Whether every string and member name in @text, strict JSON, decodes to UTF-8 text, as
 * SQLite decodes it. An escaped half of a surrogate pair ("\\ud800") is valid JSON, but
 * not a character: SQLite decodes it into bytes that are not UTF-8, and json-glib 1.6
 * does so too, or leaks; the importer turns such records away. */
gboolean
fuzz_import_json_is_text (const char *text,
                          gsize       len)
{
  sqlite3_stmt *stmt;
  gboolean is_text;

  ensure_dir ();

  stmt = prepare (fuzz_memory_db,
                  "SELECT NOT EXISTS (SELECT 1 FROM json_tree (?1) "
                  "                   WHERE (type = 'text' AND NOT fuzz_is_utf8 (value)) "
                  "                      OR (typeof (key) = 'text' AND NOT fuzz_is_utf8 (key)))");
  sqlite3_bind_text (stmt, 1, text, (int) len, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("json_tree() failed: %s", sqlite3_errmsg (fuzz_memory_db));
  is_text = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  return is_text;
}

/* Whether the importer must take @text as one record: UTF-8 without NUL bytes, no deeper
 * than the importer allows, strict JSON whose strings are text, and an object to
 * json-glib, which the application reads items with, that reads back as text. */
gboolean
fuzz_import_is_json_object (const char *text,
                            gsize       len)
{
  g_autoptr(JsonParser) parser = NULL;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    return FALSE;
  if (fuzz_import_json_depth (text, len) > DBW_IMPORT_MAX_DEPTH)
    return FALSE;
  if (!fuzz_import_is_strict_json (text, len))
    return FALSE;
  /* Before json-glib, which would leak on some of those. */
  if (!fuzz_import_json_is_text (text, len))
    return FALSE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL))
    return FALSE;

  return JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) &&
         fuzz_import_node_is_text (json_parser_get_root (parser));
}
