/* test-importer.c
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

#include "config.h"

#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "dbw-importer.h"
#include "dbw-item.h"
#include "test-image.h"
#include "dbw-qa-pair.h"
#include "dbw-search.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-training-sheet.h"
#include "dbw-usage-constraints.h"
#include "test-util.h"

typedef struct
{
  char     *dir;
  DbwStore *store;
  DbwSheet *sheet;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = test_make_dir ();
  f->store = test_create_store (f->dir, "import.dbw");
  f->sheet = dbw_sheet_new ();
  dbw_sheet_set_name (f->sheet, "Imported");
  g_assert_true (dbw_store_insert (f->store, f->sheet, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sheet);
  dbw_store_close (f->store);
  g_clear_object (&f->store);
  test_remove_dir (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_no_error (error);

  return path;
}

static DbwImporter *
make_importer (Fixture  *f,
               gboolean  keep_good,
               ...)
{
  DbwImporter *importer = dbw_importer_new (dbw_store_get_file (f->store),
                                            dbw_record_get_id (DBW_RECORD (f->sheet)));
  const char *path;
  va_list args;

  dbw_importer_set_keep_good (importer, keep_good);

  va_start (args, keep_good);
  while ((path = va_arg (args, const char *)) != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      dbw_importer_add_source (importer, file);
    }
  va_end (args);

  return importer;
}

static gint64
count_items (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = dbw_store_count (f->store, DBW_TYPE_ITEM, "sheet_id",
                              dbw_record_get_id (DBW_RECORD (f->sheet)), &error);

  g_assert_no_error (error);
  return n;
}

static DbwItem *
get_item (Fixture    *f,
          const char *ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = dbw_store_list (f->store, DBW_TYPE_ITEM, "item_ref", ref, &error);
  DbwItem *newest = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      DbwItem *item = g_ptr_array_index (items, i);

      if (newest == NULL || dbw_item_get_version (item) > dbw_item_get_version (newest))
        newest = item;
    }

  return newest != NULL ? g_object_ref (newest) : NULL;
}

static const char *
field (DbwItem    *item,
       const char *name)
{
  static char value[256];
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, dbw_item_get_fields (item), -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_strlcpy (value, json_object_get_string_member_with_default (object, name, ""), sizeof value);

  return value;
}

static gboolean
report_mentions (DbwImportReport *report,
                 const char      *needle,
                 guint64          line)
{
  GListModel *problems = dbw_import_report_get_problems (report);

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(DbwImportProblem) problem = g_list_model_get_item (problems, i);

      if (strstr (dbw_import_problem_get_reason (problem), needle) != NULL &&
          (line == 0 || dbw_import_problem_get_line (problem) == line))
        return TRUE;
    }

  return FALSE;
}

static void
test_import_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwItem) second = NULL;
  g_autoptr(DbwItem) third = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  /* A byte order mark, semicolons, a quoted field with a newline and a doubled quote. */
  path = write_file (f, "readings.csv",
                     "\xef\xbb\xbfinstrument;site;note\r\n"
                     "RDS-31;Hot lab;\"Wipe test,\nsecond line\"\r\n"
                     "RDS-32;Reactor hall;\"He said \"\"fine\"\"\"\r\n"
                     "007;Waste store;\r\n", -1);

  importer = make_importer (f, FALSE, path, NULL);
  dbw_importer_run (importer, NULL, &error);
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_true (dbw_import_report_get_committed (report));
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 3);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 0);
  g_assert_cmpfloat (dbw_importer_get_fraction (importer), ==, 1.0);
  g_assert_cmpint (count_items (f), ==, 3);

  /* The sheet remembers its source. */
  {
    g_autoptr(DbwSheet) sheet = dbw_store_get (f->store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (f->sheet)), &error);

    g_assert_cmpstr (dbw_sheet_get_source_path (sheet), ==, path);
  }

  second = get_item (f, "readings.csv#2");
  g_assert_nonnull (second);
  g_assert_cmpint (dbw_item_get_modality (second), ==, DBW_MODALITY_ROW);
  g_assert_cmpstr (field (second, "note"), ==, "He said \"fine\"");

  /* Values stay text: an identifier keeps its leading zeros. */
  third = get_item (f, "readings.csv#3");
  g_assert_cmpstr (field (third, "instrument"), ==, "007");

  /* Imported rows are searchable, even inside a multi-line field. */
  {
    g_autoptr(GPtrArray) found = dbw_search_items (f->store, "second line", NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (dbw_item_get_item_ref (g_ptr_array_index (found, 0)), ==, "readings.csv#1");
  }
}

static void
test_import_csv_bad (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwImporter) again = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  path = write_file (f, "bad.csv",
                     "a,b,c\n"
                     "1,2,3\n"
                     "4,5\n"                 /* ragged: line 3 */
                     "\"x\"y,2,3\n"          /* text after a closing quote: line 4 */
                     "caf\xe9,2,3\n"         /* Latin-1, not UTF-8: line 5 */
                     "7,8,9\n", -1);

  /* By default one bad row rolls everything back. */
  importer = make_importer (f, FALSE, path, NULL);
  g_assert_false (dbw_importer_run (importer, NULL, &error));
  g_assert_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED);
  g_clear_error (&error);

  report = dbw_importer_get_report (importer);
  g_assert_false (dbw_import_report_get_committed (report));
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 3);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 2);
  g_assert_true (report_mentions (report, "bad.csv, line 3", 3));
  {
    g_autoptr(DbwImportProblem) first = g_list_model_get_item (dbw_import_report_get_problems (report), 0);

    /* "…/bad.csv, line 3: 2 fields, expected 3" beside "…/bad.csv, line 3 (record 2)" */
    g_assert_true (g_str_has_prefix (dbw_import_problem_get_reason (first), dbw_import_problem_get_source (first)));
    g_assert_null (strstr (dbw_import_problem_get_what (first), "bad.csv"));
    g_assert_false (g_str_has_prefix (dbw_import_problem_get_what (first), ","));
  }
  g_assert_true (report_mentions (report, "closing quote", 4));
  g_assert_true (report_mentions (report, "UTF-8", 5));
  g_assert_cmpint (count_items (f), ==, 0);

  json = dbw_import_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"committed\" : false"));
  g_assert_nonnull (strstr (json, "\"line\" : 4"));

  /* Asked to, it keeps the good ones. */
  again = make_importer (f, TRUE, path, NULL);
  g_assert_true (dbw_importer_run (again, NULL, &error));
  g_assert_no_error (error);
  report = dbw_importer_get_report (again);
  g_assert_true (dbw_import_report_get_committed (report));
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 3);
  g_assert_cmpint (count_items (f), ==, 2);
}

/* Every record gets its own item, however long the file's name. */
static void
test_import_long_name (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *name = g_strdup_printf ("%s.csv", "calibration-readings-of-every-survey-meter-in-the-east-wing-2026-spring");
  g_autofree char *csv = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *jsonl_name = g_strdup_printf ("%s.jsonl", name);
  g_autofree char *ref = g_strdup_printf ("%s#12", name);
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rows = g_string_new ("n\n");
  g_autoptr(GString) lines = g_string_new (NULL);
  DbwImportReport *report;

  for (guint i = 1; i <= 12; i++)
    {
      g_string_append_printf (rows, "%u\n", i);
      g_string_append_printf (lines, "{\"n\": %u}\n", i);
    }
  csv = write_file (f, name, rows->str, rows->len);
  jsonl = write_file (f, jsonl_name, lines->str, lines->len);

  importer = make_importer (f, FALSE, csv, jsonl, NULL);
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 24);
  g_assert_cmpuint (dbw_import_report_get_n_versions (report), ==, 0);
  g_assert_cmpint (count_items (f), ==, 24);

  item = get_item (f, ref);
  g_assert_nonnull (item);
  g_assert_cmpstr (field (item, "n"), ==, "12");
}

static void
test_import_same_names (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *first = write_file (f, "a/data.csv", "k\nx\ny\n", -1);
  g_autofree char *second = write_file (f, "b/data.csv", "k\nz\n", -1);
  g_autoptr(DbwImporter) importer = make_importer (f, FALSE, first, second, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) item = NULL;

  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (dbw_importer_get_report (importer)), ==, 3);
  item = get_item (f, "data.csv#1");
  g_assert_cmpstr (field (item, "k"), ==, "x");
  g_clear_object (&item);
  {
    g_autofree char *ref = g_strconcat (second, "#1", NULL);

    item = get_item (f, ref);
    g_assert_nonnull (item);
    g_assert_cmpstr (field (item, "k"), ==, "z");
  }
}

/* File names that are not UTF-8 become text: item references, fields and reports stay
 * valid, and the bytes are shown as %XX. */
static void
test_import_file_names (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *inside = write_file (f, "latin/caf\xe9.txt", "alpha in a folder", -1);
  g_autofree char *alone = write_file (f, "na\xefve.txt", "alpha alone", -1);
  g_autofree char *folder = g_path_get_dirname (inside);
  g_autoptr(DbwImporter) importer = make_importer (f, FALSE, folder, alone, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) in_folder = NULL;
  g_autoptr(DbwItem) single = NULL;

  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_items (f), ==, 2);
  in_folder = get_item (f, "latin/caf%E9.txt");
  single = get_item (f, "na%EFve.txt");
  g_assert_nonnull (in_folder);
  g_assert_nonnull (single);
  g_assert_nonnull (strstr (dbw_item_get_fields (in_folder), "\"name\":\"caf%E9.txt\""));
  g_assert_true (g_utf8_validate (dbw_item_get_fields (single), -1, NULL));
  g_assert_cmpstr (dbw_item_get_text_content (single), ==, "alpha alone");
}

/* A linked folder is followed, a loop of links ends, and a link to nothing is named. */
static void
test_import_links (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = write_file (f, "tree/sub/a.txt", "in the folder", -1);
  g_autofree char *b = write_file (f, "elsewhere/b.txt", "behind a link", -1);
  g_autofree char *tree = g_build_filename (f->dir, "tree", NULL);
  g_autofree char *loop = g_build_filename (tree, "sub", "again", NULL);
  g_autofree char *linked = g_build_filename (tree, "linked", NULL);
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere", NULL);
  g_autofree char *broken = g_build_filename (tree, "broken.txt", NULL);
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwImporter) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) behind = NULL;

  g_assert_cmpint (symlink ("..", loop), ==, 0);
  g_assert_cmpint (symlink (elsewhere, linked), ==, 0);
  g_assert_cmpint (symlink ("nothing.txt", broken), ==, 0);

  importer = make_importer (f, FALSE, tree, NULL);
  g_assert_false (dbw_importer_run (importer, NULL, &error));
  g_assert_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_true (report_mentions (dbw_importer_get_report (importer), "broken.txt: a link to a file or folder that does not exist", 0));

  kept = make_importer (f, TRUE, tree, NULL);
  g_assert_true (dbw_importer_run (kept, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_items (f), ==, 2);
  behind = get_item (f, "tree/linked/b.txt");
  g_assert_nonnull (behind);
  g_assert_cmpstr (dbw_item_get_text_content (behind), ==, "behind a link");
}

/* A folder that holds the project itself: the project's files are not imported into it. */
static void
test_import_own_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *note = write_file (f, "note.txt", "beside the project", -1);
  g_autoptr(DbwImporter) importer = make_importer (f, FALSE, f->dir, NULL);
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  g_assert_true (g_file_test (dbw_store_get_path (f->store), G_FILE_TEST_EXISTS));
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);
  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_problems (report), ==, 0);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 1);
  g_assert_cmpint (count_items (f), ==, 1);
}

/* Two folders of the same name: the second is known by its whole path, so its files are
 * items of their own, not versions of the first one's. The same folder twice is read once. */
static void
test_import_same_folder_names (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *first = write_file (f, "x/data/a.txt", "hello from x", -1);
  g_autofree char *second = write_file (f, "y/data/a.txt", "hello from y", -1);
  g_autofree char *x = g_path_get_dirname (first);
  g_autofree char *y = g_path_get_dirname (second);
  g_autofree char *y_ref = g_build_filename (y, "a.txt", NULL);
  g_autoptr(DbwImporter) importer = make_importer (f, FALSE, x, y, x, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) from_x = NULL;
  g_autoptr(DbwItem) from_y = NULL;

  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (dbw_importer_get_report (importer)), ==, 2);
  g_assert_cmpuint (dbw_import_report_get_n_versions (dbw_importer_get_report (importer)), ==, 0);
  g_assert_cmpint (count_items (f), ==, 2);
  from_x = get_item (f, "data/a.txt");
  from_y = get_item (f, y_ref);
  g_assert_nonnull (from_x);
  g_assert_nonnull (from_y);
  g_assert_cmpint (dbw_item_get_version (from_y), ==, 1);
  g_assert_cmpstr (dbw_item_get_text_content (from_x), ==, "hello from x");
  g_assert_cmpstr (dbw_item_get_text_content (from_y), ==, "hello from y");
}

static void
test_import_versions (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(DbwImporter) first = NULL;
  g_autoptr(DbwImporter) same = NULL;
  g_autoptr(DbwImporter) changed = NULL;
  g_autoptr(DbwItem) old_version = NULL;
  g_autoptr(DbwItem) new_version = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  path = write_file (f, "r.csv", "k,v\na,1\nb,2\n", -1);
  first = make_importer (f, FALSE, path, NULL);
  g_assert_true (dbw_importer_run (first, NULL, &error));
  old_version = get_item (f, "r.csv#2");

  /* The same file again changes nothing. */
  same = make_importer (f, FALSE, path, NULL);
  g_assert_true (dbw_importer_run (same, NULL, &error));
  report = dbw_importer_get_report (same);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (report), ==, 2);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 0);
  g_assert_cmpint (count_items (f), ==, 2);

  /* Nor does it with its columns in another order. */
  {
    g_autofree char *swapped = write_file (f, "swapped/r.csv", "v,k\n1,a\n2,b\n", -1);
    g_autoptr(DbwImporter) again = NULL;

    g_assert_nonnull (swapped);
    again = make_importer (f, FALSE, swapped, NULL);
    g_assert_true (dbw_importer_run (again, NULL, &error));
    g_assert_no_error (error);
    report = dbw_importer_get_report (again);
    g_assert_cmpuint (dbw_import_report_get_n_unchanged (report), ==, 2);
    g_assert_cmpuint (dbw_import_report_get_n_versions (report), ==, 0);
    g_assert_cmpint (count_items (f), ==, 2);
  }

  /* The row was found to name a person: its constraints were tightened. */
  {
    const char *training[] = { "training", NULL };
    const char *tags[] = { "PII", NULL };

    dbw_item_set_prohibited_uses (old_version, training);
    dbw_item_set_data_classification (old_version, DBW_CLASSIFICATION_RESTRICTED);
    dbw_item_set_usage_reason (old_version, "names a person");
    dbw_item_set_tags (old_version, tags);
    g_assert_true (dbw_store_update (f->store, old_version, &error));
    g_assert_no_error (error);
  }

  /* Edited rows become new versions derived from the old ones; new rows are added. */
  g_free (path);
  path = write_file (f, "r.csv", "k,v\na,1\nb,20\nc,3\n", -1);
  changed = make_importer (f, FALSE, path, NULL);
  g_assert_true (dbw_importer_run (changed, NULL, &error));
  report = dbw_importer_get_report (changed);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (report), ==, 1);
  g_assert_cmpuint (dbw_import_report_get_n_versions (report), ==, 1);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 1);
  g_assert_cmpint (count_items (f), ==, 4);

  new_version = get_item (f, "r.csv#2");
  g_assert_cmpint (dbw_item_get_version (new_version), ==, 2);
  g_assert_cmpstr (dbw_item_get_derived_from (new_version), ==, dbw_record_get_id (DBW_RECORD (old_version)));
  g_assert_cmpstr (field (new_version, "v"), ==, "20");
  /* It keeps what was known about the row: the new version is not a way round the gate. */
  g_assert_true (g_strv_contains (dbw_item_get_prohibited_uses (new_version), "training"));
  g_assert_cmpint (dbw_item_get_data_classification (new_version), ==, DBW_CLASSIFICATION_RESTRICTED);
  g_assert_cmpstr (dbw_item_get_usage_reason (new_version), ==, "names a person");
  g_assert_true (g_strv_contains (dbw_item_get_tags (new_version), "PII"));

  /* Search sees the current version only ("2" quoted: the exact word, not a prefix). */
  {
    g_autoptr(GPtrArray) found = dbw_search_items (f->store, "\"2\"", NULL, 0, &error);

    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
    found = dbw_search_items (f->store, "20", NULL, 0, &error);
    g_assert_cmpuint (found->len, ==, 1);
  }
}

/* A source found to hold personal data after pairs were made from it: importing it again
 * with its constraints restricts the pairs too, so the export gate sees them. */
static void
test_import_constraints_reach_pairs (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *path = write_file (f, "r.csv", "name,dose\nAna,1.5\nBo,2.0\n", -1);
  g_autoptr(DbwImporter) first = make_importer (f, FALSE, path, NULL);
  g_autoptr(DbwImporter) again = make_importer (f, FALSE, path, NULL);
  g_autoptr(DbwTrainingSheet) training = dbw_training_sheet_new ();
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(DbwQaPair) stored = NULL;
  g_autoptr(DbwUsageConstraints) pii = NULL;
  g_autoptr(GError) error = NULL;
  const char *all[] = { "training", "validation", "evaluation", "few_shot", "testing", NULL };
  const char *prohibited[] = { "training", "validation", NULL };

  g_assert_true (dbw_importer_run (first, NULL, &error));
  g_assert_no_error (error);

  dbw_training_sheet_set_name (training, "Doses");
  dbw_training_sheet_set_sheet_id (training, dbw_record_get_id (DBW_RECORD (f->sheet)));
  g_assert_true (dbw_store_insert (f->store, training, &error));
  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training)));
  dbw_qa_pair_set_item_ref (pair, "r.csv#2");
  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);
  dbw_qa_pair_set_allowed_uses (pair, all);
  g_assert_true (dbw_store_insert (f->store, pair, &error));
  g_assert_no_error (error);

  pii = dbw_usage_constraints_new (prohibited, DBW_CLASSIFICATION_RESTRICTED, "Source tagged PII");
  dbw_importer_set_usage_constraints (again, pii);
  g_assert_true (dbw_importer_run (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (dbw_importer_get_report (again)), ==, 2);

  stored = dbw_store_get (f->store, DBW_TYPE_QA_PAIR, dbw_record_get_id (DBW_RECORD (pair)), &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (stored), "training"));
  g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (stored), "validation"));
  g_assert_false (g_strv_contains (dbw_qa_pair_get_allowed_uses (stored), "training"));
  g_assert_true (g_strv_contains (dbw_qa_pair_get_allowed_uses (stored), "few_shot"));
  g_assert_cmpint (dbw_qa_pair_get_data_classification (stored), ==, DBW_CLASSIFICATION_RESTRICTED);
  g_assert_cmpstr (dbw_qa_pair_get_usage_reason (stored), ==, "Source tagged PII");
}

/* A record nested hundreds of levels deep, imported again with its members in another
 * order, is the same item. */
static void
test_import_deep_unchanged (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) again = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwImporter) reimporter = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < DBW_IMPORT_MAX_DEPTH - 2; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < DBW_IMPORT_MAX_DEPTH - 2; i++)
    g_string_append_c (deep, ']');
  g_string_printf (first, "{\"a\": %s, \"b\": 1}\n", deep->str);
  g_string_printf (again, "{\"b\": 1, \"a\": %s}\n", deep->str);

  path = write_file (f, "deep.jsonl", first->str, -1);
  importer = make_importer (f, FALSE, path, NULL);
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_added (dbw_importer_get_report (importer)), ==, 1);

  g_free (path);
  path = write_file (f, "deep.jsonl", again->str, -1);
  reimporter = make_importer (f, FALSE, path, NULL);
  g_assert_true (dbw_importer_run (reimporter, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_import_report_get_n_unchanged (dbw_importer_get_report (reimporter)), ==, 1);
  g_assert_cmpuint (dbw_import_report_get_n_versions (dbw_importer_get_report (reimporter)), ==, 0);
}

/* Text some editors save as "Unicode" is UTF-16: each kind of file says so. */
static void
test_import_utf16 (Fixture       *f,
                   gconstpointer  data)
{
  static const char *names[] = { "readings.json", "readings.jsonl", "notes.txt" };
  /* [{"a":1}] / {"a":1} / hi, in UTF-16 LE after its byte-order mark */
  static const char json[] = "\xff\xfe[\0{\0\"\0a\0\"\0:\0" "1\0}\0]\0";
  static const char jsonl[] = "\xff\xfe{\0\"\0a\0\"\0:\0" "1\0}\0\n\0";
  static const char text[] = "\xff\xfeh\0i\0\n\0";
  const char *contents[] = { json, jsonl, text };
  const gssize lengths[] = { sizeof json - 1, sizeof jsonl - 1, sizeof text - 1 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = write_file (f, names[i], contents[i], lengths[i]);
      g_autoptr(DbwImporter) importer = make_importer (f, TRUE, path, NULL);
      g_autofree char *expected = g_strdup_printf ("%s: the file is UTF-16 text; save it as UTF-8", names[i]);
      DbwImportReport *report;

      g_assert_true (dbw_importer_run (importer, NULL, &error));
      g_assert_no_error (error);
      report = dbw_importer_get_report (importer);
      g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 1);
      g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 0);
      g_assert_true (report_mentions (report, expected, 0));
    }
}

static void
test_import_jsonl (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  good = write_file (f, "pairs.jsonl",
                     "{\"question\": \"What is the dose limit?\", \"dose\": 1.50}\n"
                     "\n"
                     "{\"question\": \"Who signs off a survey?\", \"tags\": [\"sop\"]}\r\n", -1);
  bad = write_file (f, "bad.jsonl",
                    "{\"ok\": \"yes\"}\n"
                    "{\"truncated\": \n"
                    "[1, 2, 3]\n"
                    "{\"latin1\": \"caf\xe9\"}\n"
                    "{\"last\": \"no newline\"}", -1);

  importer = make_importer (f, TRUE, good, bad, NULL);
  dbw_importer_run (importer, NULL, &error);
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 4);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 3);
  g_assert_true (report_mentions (report, "not valid JSON", 2));
  g_assert_true (report_mentions (report, "not a JSON object", 3));
  g_assert_true (report_mentions (report, "UTF-8", 4));

  /* The record text is kept as written: 1.50 keeps its digits. */
  item = get_item (f, "pairs.jsonl#1");
  g_assert_nonnull (strstr (dbw_item_get_fields (item), "1.50"));
  g_clear_object (&item);
  item = get_item (f, "pairs.jsonl#2");
  g_assert_cmpstr (field (item, "question"), ==, "Who signs off a survey?");
  g_clear_object (&item);
  item = get_item (f, "bad.jsonl#5");
  g_assert_cmpstr (field (item, "last"), ==, "no newline");
}

static void
test_import_json_array (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *good = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *scalars = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwImporter) broken = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  good = write_file (f, "labels.json",
                     "[\n"
                     "  {\"text\": \"brackets ] and } in a string\", \"n\": {\"deep\": [1, {\"x\": 2}]}},\n"
                     "  {\"text\": \"escaped \\\" quote\"}\n"
                     "]\n", -1);

  importer = make_importer (f, FALSE, good, NULL);
  dbw_importer_run (importer, NULL, &error);
  g_assert_no_error (error);
  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 2);
  item = get_item (f, "labels.json#1");
  g_assert_cmpstr (field (item, "text"), ==, "brackets ] and } in a string");
  g_clear_object (&item);
  item = get_item (f, "labels.json#2");
  g_assert_cmpstr (field (item, "text"), ==, "escaped \" quote");

  truncated = write_file (f, "truncated.json", "[{\"a\": \"1\"},\n {\"b\": \"2\"},\n {\"c\": \"3", -1);
  scalars = write_file (f, "scalars.json", "[{\"a\": \"1\"}, 42, \"x\", {\"b\": }]", -1);
  broken = make_importer (f, FALSE, truncated, scalars, NULL);
  g_assert_false (dbw_importer_run (broken, NULL, &error));
  g_assert_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED);
  report = dbw_importer_get_report (broken);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 4);
  g_assert_true (report_mentions (report, "truncated", 3));
  g_assert_true (report_mentions (report, "not a JSON object", 1));
  g_assert_true (report_mentions (report, "not valid JSON", 1));
  g_assert_cmpint (count_items (f), ==, 2);
}

/* Records are stored as written, so they must be JSON as the standard has it, not just
 * something json-glib reads: it also takes comments, single quotes and more. */
static void
test_import_json_strict (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *lines = NULL;
  g_autofree char *array = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  lines = write_file (f, "extended.jsonl",
                      "{\"a\": 1 /* a comment */}\n"
                      "{'a': 'single quotes'}\n"
                      "{\"a\": 0x1f}\n"
                      "{\"a\": \"a raw\ttab\"}\n"
                      "{\"a\": 1}{\"b\": 2}\n"
                      "{\"a\": \"strict\"}\n"
                      "{\"a\": \"\\ud83d#\\ude00, a lone surrogate\"}\n"
                      "{\"a\": \"\\ud83d\\ude00, a pair\"}\n"
                      "{\"a\": \"\\ud80{\"b\": 1}\n"
                      "{\"a\": \"\\ud80\"\\u}\n", -1);
  array = write_file (f, "gaps.json", "[{\"a\": 1}, , {\"b\": 2},]", -1);
  missing = write_file (f, "missing.json", "[{\"c\": 3} {\"d\": 4},\n{\"e\": 5}]", -1);

  importer = make_importer (f, TRUE, lines, array, missing, NULL);
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 5);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 11);
  for (guint64 line = 1; line <= 5; line++)
    g_assert_true (report_mentions (report, "not valid JSON", line));
  /* Not handed to json-glib 1.6, which would leak the first object. */
  g_assert_true (report_mentions (report, "more than one value", 5));
  /* json-glib would read it as bytes that are not UTF-8, and quote them so in its
   * error messages. */
  g_assert_true (report_mentions (report, "half of a UTF-16 surrogate pair", 7));
  /* json-glib reads a short escape as a surrogate too, and quotes it in its message. */
  g_assert_true (report_mentions (report, "four hexadecimal digits", 9));
  for (guint i = 0; i < g_list_model_get_n_items (dbw_import_report_get_problems (report)); i++)
    {
      g_autoptr(DbwImportProblem) problem = g_list_model_get_item (dbw_import_report_get_problems (report), i);

      g_assert_true (g_utf8_validate (dbw_import_problem_get_reason (problem), -1, NULL));
    }
  /* An element missing between two commas is named, not parsed as nothing. */
  g_assert_true (report_mentions (report, "gaps.json, line 1: the record is empty", 1));
  /* A comma before the closing bracket is not JSON either. */
  g_assert_true (report_mentions (report, "gaps.json, line 1: “]” follows a “,” after element 3: an element is missing", 1));
  /* Without its comma, where the next element starts is unknown: the report says that the
   * rest was not read. */
  g_assert_true (report_mentions (report, "missing.json, line 1: expected “,” or “]” after element 1; the rest of the file was not read", 1));
  g_assert_cmpint (count_items (f), ==, 5);
}

/* json-glib parses recursively: deep nesting is turned away before it could overflow
 * the stack. */
static void
test_import_json_deep (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *lines = NULL;
  g_autofree char *array = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;
  const guint deep = 300000;

  /* As deep as allowed, the record's own object included. */
  g_string_append (jsonl, "{\"a\": ");
  for (guint i = 1; i < DBW_IMPORT_MAX_DEPTH; i++)
    g_string_append_c (jsonl, '[');
  for (guint i = 1; i < DBW_IMPORT_MAX_DEPTH; i++)
    g_string_append_c (jsonl, ']');
  g_string_append (jsonl, "}\n{\"a\": ");
  for (guint i = 0; i < deep; i++)
    g_string_append_c (jsonl, '[');
  for (guint i = 0; i < deep; i++)
    g_string_append_c (jsonl, ']');
  g_string_append (jsonl, "}\n");
  lines = write_file (f, "deep.jsonl", jsonl->str, jsonl->len);

  for (guint i = 0; i < deep; i++)
    g_string_append (json, "{\"a\":");
  for (guint i = 0; i < deep; i++)
    g_string_append_c (json, '}');
  g_string_append (json, "]");
  array = write_file (f, "deep.json", json->str, json->len);

  importer = make_importer (f, TRUE, lines, array, NULL);
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 1);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 2);
  g_assert_true (report_mentions (report, "deep.jsonl, line 2: the record nests arrays and objects more than", 2));
  g_assert_true (report_mentions (report, "deep.json, line 1: the record nests", 1));
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static char *
write_pdf (Fixture    *f,
           const char *name,
           const char *text)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (guint page = 0; page < 2; page++)
    {
      cairo_move_to (cr, 72, 100);
      cairo_set_font_size (cr, 14);
      cairo_show_text (cr, page == 0 ? text : "Second page");
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  return write_file (f, name, (const char *) bytes->data, bytes->len);
}

static GByteArray *
make_png (double red)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 40, 30);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, red, 0.5, 0.2);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, bytes), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return bytes;
}

static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & (0u - (crc & 1)));
    }

  return crc ^ 0xffffffff;
}

static void
put_be32 (guint8  *p,
          guint32  value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* Rewrites the IHDR's width and height, and its CRC to match. */
static void
set_png_size (GByteArray *png,
              guint32     width,
              guint32     height)
{
  put_be32 (png->data + 16, width);
  put_be32 (png->data + 20, height);
  put_be32 (png->data + 29, crc32_of (png->data + 12, 17));
}

/* A PDF whose standard security handler wants a password that is not the empty one. */
static const char *
encrypted_pdf (gsize *len)
{
  static GString *pdf = NULL;
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    "<< /Filter /Standard /V 1 /R 2 /P -4"
    " /O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef>"
    " /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>",
  };
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  if (pdf != NULL)
    {
      *len = pdf->len;
      return pdf->str;
    }

  pdf = g_string_new ("%PDF-1.4\n");
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", (guint) G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf,
                          "trailer\n<< /Size %u /Root 1 0 R /Encrypt 4 0 R"
                          " /ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>] >>\n"
                          "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          (guint) G_N_ELEMENTS (objects) + 1, xref);

  *len = pdf->len;
  return pdf->str;
}

/* A JPEG of @width × @height pixels of noise, so that its coded data is long. */
static GByteArray *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gsize n = (gsize) gdk_pixbuf_get_rowstride (pixbuf) * height;
  char *buffer = NULL;
  gsize len = 0;

  for (gsize i = 0; i < n; i++)
    pixels[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "jpeg", &error, "quality", "90", NULL));
  g_assert_no_error (error);

  return g_byte_array_new_take ((guint8 *) buffer, len);
}

/* @main with an Exif segment holding @thumbnail, as cameras write them: the thumbnail's
 * end marker comes before the image's own data. */
static GByteArray *
with_thumbnail (GByteArray *main,
                GByteArray *thumbnail)
{
  GByteArray *jpeg = g_byte_array_new ();
  guint length = 2 + 6 + thumbnail->len;
  guint8 head[] = { 0xff, 0xd8, 0xff, 0xe1, length >> 8, length & 0xff, 'E', 'x', 'i', 'f', 0, 0 };

  g_assert_cmpuint (length, <, 65536);
  g_byte_array_append (jpeg, head, sizeof head);
  g_byte_array_append (jpeg, thumbnail->data, thumbnail->len);
  g_byte_array_append (jpeg, main->data + 2, main->len - 2);
  return jpeg;
}

/* GdkPixbuf takes a JPEG cut short; the importer follows its markers to its end. */
static void
test_import_jpeg_ends (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GByteArray) photo = make_jpeg (320, 240);
  g_autoptr(GByteArray) thumbnail = make_jpeg (32, 24);
  g_autoptr(GByteArray) camera = with_thumbnail (photo, thumbnail);
  g_autoptr(GByteArray) motion = g_byte_array_new ();
  g_autofree char *folder = g_build_filename (f->dir, "photos", NULL);
  g_autofree char *tmp = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;

  /* A "motion photo": the video follows the image's end. */
  g_byte_array_append (motion, photo->data, photo->len);
  g_byte_array_append (motion, (const guint8 *) "\0\0\0\x18" "ftypmp42 and a video", 24);

  g_free (tmp); tmp = write_file (f, "photos/whole.jpg", (const char *) photo->data, photo->len);
  g_free (tmp); tmp = write_file (f, "photos/camera.jpg", (const char *) camera->data, camera->len);
  g_free (tmp); tmp = write_file (f, "photos/motion.jpg", (const char *) motion->data, motion->len);
  g_free (tmp); tmp = write_file (f, "photos/cut.jpg", (const char *) photo->data, photo->len / 2);
  g_free (tmp); tmp = write_file (f, "photos/camera-cut.jpg", (const char *) camera->data, camera->len - photo->len / 2);

  importer = make_importer (f, TRUE, folder, NULL);
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 3);
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 2);
  g_assert_true (report_mentions (report, "cut.jpg: the image is cut short: the JPEG file has no end", 0));
  g_assert_true (report_mentions (report, "camera-cut.jpg: the image is cut short: the JPEG file has no end", 0));
  g_assert_nonnull (get_item (f, "photos/camera.jpg"));
  g_assert_nonnull (get_item (f, "photos/motion.jpg"));
}

/* A phone's portrait photo is stored on its side with an Exif orientation: its fields give
 * the size it is shown and labeled at. */
static void
test_import_turned_photo (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = test_make_turned_jpeg (400, 300, 6);
  g_autoptr(GBytes) upright = test_make_turned_jpeg (400, 300, 1);
  g_autofree char *folder = g_build_filename (f->dir, "photos", NULL);
  g_autofree char *tmp = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwItem) turned = NULL;
  g_autoptr(DbwItem) level = NULL;
  g_autoptr(JsonNode) turned_fields = NULL;
  g_autoptr(JsonNode) level_fields = NULL;
  g_autoptr(GError) error = NULL;

  g_free (tmp); tmp = write_file (f, "photos/portrait.jpg", g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  g_free (tmp); tmp = write_file (f, "photos/landscape.jpg", g_bytes_get_data (upright, NULL), g_bytes_get_size (upright));
  importer = make_importer (f, FALSE, folder, NULL);
  g_assert_true (dbw_importer_run (importer, NULL, &error));
  g_assert_no_error (error);

  turned = get_item (f, "photos/portrait.jpg");
  turned_fields = json_from_string (dbw_item_get_fields (turned), NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (turned_fields), "width"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (turned_fields), "height"), ==, 400);
  level = get_item (f, "photos/landscape.jpg");
  level_fields = json_from_string (dbw_item_get_fields (level), NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (level_fields), "width"), ==, 400);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (level_fields), "height"), ==, 300);
}

static void
test_import_folder (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GByteArray) png = make_png (0.9);
  g_autoptr(GByteArray) broken_png = make_png (0.1);
  g_autofree char *folder = g_build_filename (f->dir, "survey", NULL);
  g_autofree char *pdf = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) error = NULL;
  DbwImportReport *report;
  const char *encrypted;
  gsize encrypted_len;

  pdf = write_pdf (f, "survey/procedures/sop-12.pdf", "Contamination survey procedure");
  /* The same photo twice, under another name and with a misleading extension. */
  g_free (tmp); tmp = write_file (f, "survey/photos/board-1.png", (const char *) png->data, png->len);
  g_free (tmp); tmp = write_file (f, "survey/photos/copy-of-board-1.jpg", (const char *) png->data, png->len);
  /* A CRC that does not match its chunk (the IHDR's, right after it). */
  broken_png->data[29] ^= 0xff;
  g_free (tmp); tmp = write_file (f, "survey/photos/broken.png", (const char *) broken_png->data, broken_png->len);
  g_free (tmp); tmp = write_file (f, "survey/notes.txt", "Survey meter RDS-31 read 0.4 µSv/h at the door.\n", -1);
  g_free (tmp); tmp = write_file (f, "survey/empty.pdf", "", 0);
  encrypted = encrypted_pdf (&encrypted_len);
  g_free (tmp); tmp = write_file (f, "survey/locked.pdf", encrypted, encrypted_len);
  g_free (tmp); tmp = write_file (f, "survey/garbage.pdf", "%PDF-1.7\nthis is not really a PDF\n", -1);
  g_free (tmp); tmp = write_file (f, "survey/archive.bin", "\x00\x01\x02\x03\xff\xfe", 6);
  g_free (tmp); tmp = write_file (f, "survey/.hidden.txt", "not imported", -1);
  g_free (tmp); tmp = write_file (f, "survey/dump.txt", "abc\0def", 7);
  /* Cut short after its pixel data began: the PNG loader, fed piece by piece, takes it. */
  g_free (tmp); tmp = write_file (f, "survey/photos/cut.png", (const char *) png->data, png->len - 20);
  {
    /* A PNG header claiming 30,000 × 30,000 pixels, with a correct CRC. */
    g_autoptr(GByteArray) giant = make_png (0.5);

    set_png_size (giant, 30000, 30000);
    g_free (tmp); tmp = write_file (f, "survey/photos/giant.png", (const char *) giant->data, giant->len);
  }

  importer = make_importer (f, TRUE, folder, NULL);
  dbw_importer_run (importer, NULL, &error);
  g_assert_no_error (error);

  report = dbw_importer_get_report (importer);
  g_assert_cmpuint (dbw_import_report_get_n_added (report), ==, 4);
  g_assert_cmpuint (dbw_import_report_get_n_blobs_added (report), ==, 3);
  g_assert_cmpuint (dbw_import_report_get_n_blobs_shared (report), ==, 1);
  g_assert_true (report_mentions (report, "broken.png: the image could not be decoded", 0));
  g_assert_true (report_mentions (report, "empty.pdf: the file is empty", 0));
  g_assert_true (report_mentions (report, "locked.pdf: the PDF is password-protected", 0));
  g_assert_true (report_mentions (report, "garbage.pdf: the PDF could not be read", 0));
  g_assert_true (report_mentions (report, "archive.bin: files of this type", 0));
  g_assert_true (report_mentions (report, "dump.txt: the file contains NUL bytes", 0));
  g_assert_true (report_mentions (report, "giant.png: the image is too large to check", 0));
  g_assert_true (report_mentions (report, "cut.png: the image is cut short", 0));
  g_assert_cmpuint (dbw_import_report_get_n_rejected (report), ==, 8);

  /* Beside its location, a reason is told without the file it starts with. */
  for (guint i = 0; i < g_list_model_get_n_items (dbw_import_report_get_problems (report)); i++)
    {
      g_autoptr(DbwImportProblem) problem = g_list_model_get_item (dbw_import_report_get_problems (report), i);
      g_autofree char *location = dbw_import_problem_dup_location (problem);
      const char *what = dbw_import_problem_get_what (problem);

      g_assert_true (g_str_has_suffix (dbw_import_problem_get_reason (problem), what));
      g_assert_null (strstr (what, dbw_import_problem_get_source (problem)));
      if (strstr (location, "cut.png") != NULL)
        g_assert_cmpstr (what, ==, "the image is cut short: the PNG file has no end");
    }

  /* Typed by content: the PNG named .jpg is an image/png item. */
  item = get_item (f, "survey/photos/copy-of-board-1.jpg");
  g_assert_nonnull (item);
  g_assert_cmpint (dbw_item_get_modality (item), ==, DBW_MODALITY_IMAGE);
  g_assert_cmpstr (dbw_item_get_content_type (item), ==, "image/png");
  g_assert_cmpstr (field (item, "name"), ==, "copy-of-board-1.jpg");
  blob = dbw_store_get_blob (f->store, dbw_item_get_blob_hash (item), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), png->data, png->len);
  g_clear_object (&item);

  item = get_item (f, "survey/procedures/sop-12.pdf");
  g_assert_cmpint (dbw_item_get_modality (item), ==, DBW_MODALITY_PDF);
  g_assert_nonnull (strstr (dbw_item_get_text_content (item), "Contamination survey procedure"));
  g_assert_nonnull (strstr (dbw_item_get_fields (item), "\"pages\":2"));
  g_clear_object (&item);

  item = get_item (f, "survey/notes.txt");
  g_assert_cmpint (dbw_item_get_modality (item), ==, DBW_MODALITY_TEXT);
  g_assert_nonnull (strstr (dbw_item_get_text_content (item), "µSv/h"));
  g_clear_object (&item);
  g_assert_null (get_item (f, "survey/.hidden.txt"));

  /* PDF text is searchable. */
  {
    g_autoptr(GPtrArray) found = dbw_search_items (f->store, "contamination", NULL, 0, &error);

    g_assert_cmpuint (found->len, ==, 1);
  }

  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store), "SELECT count (*) FROM blobs"), ==, 3);
}

static void
test_import_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("n,text\n");
  g_autofree char *path = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (csv, "%u,row %u\n", i, i);
  path = write_file (f, "many.csv", csv->str, csv->len);

  g_cancellable_cancel (cancellable);
  importer = make_importer (f, TRUE, path, NULL);
  g_assert_false (dbw_importer_run (importer, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count_items (f), ==, 0);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  dbw_importer_run_finish (DBW_IMPORTER (object), result, error);
  *(gboolean *) g_object_get_data (object, "done") = TRUE;
}

static void
on_fraction (DbwImporter *importer,
             GParamSpec  *pspec,
             GArray      *fractions)
{
  double fraction = dbw_importer_get_fraction (importer);

  /* Notified in the caller's thread, never going back. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  if (fractions->len > 0)
    g_assert_cmpfloat (fraction, >=, g_array_index (fractions, double, fractions->len - 1));
  g_array_append_val (fractions, fraction);
}

static void
test_import_async (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("n,text\n");
  g_autofree char *path = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "%u,reading number %u of the long survey\n", i, i);
  path = write_file (f, "long.csv", csv->str, csv->len);

  importer = make_importer (f, FALSE, path, NULL);
  g_object_set_data (G_OBJECT (importer), "done", &done);
  g_signal_connect (importer, "notify::fraction", G_CALLBACK (on_fraction), fractions);
  dbw_importer_run_async (importer, NULL, on_run_done, &error);

  while (!done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* The last progress update may still be queued. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_no_error (error);
  g_assert_cmpuint (fractions->len, >=, 1);
  g_assert_cmpfloat (dbw_importer_get_fraction (importer), ==, 1.0);
  g_assert_cmpint (count_items (f), ==, 20000);
}

static void
test_import_guess_format (Fixture       *f,
                          gconstpointer  data)
{
  struct { const char *name; const char *contents; DbwImportFormat format; } cases[] = {
    { "a.csv", "x,y\n1,2\n", DBW_IMPORT_FORMAT_CSV },
    { "a.tsv", "x\ty\n1\t2\n", DBW_IMPORT_FORMAT_CSV },
    { "a.jsonl", "{\"a\":1}\n", DBW_IMPORT_FORMAT_JSONL },
    { "a.json", "  [{\"a\":1}]", DBW_IMPORT_FORMAT_JSON },
    { "lines.json", "{\"a\":1}\n{\"a\":2}\n", DBW_IMPORT_FORMAT_JSONL },
    { "pretty.json", "{\n  \"a\": \"{\\\"\",\n  \"b\": 2\n}\n", DBW_IMPORT_FORMAT_JSON },
    { "scan.dat", "%PDF-1.4\n", DBW_IMPORT_FORMAT_FILE },
    { "notes.txt", "plain words", DBW_IMPORT_FORMAT_FILE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (f, cases[i].name, cases[i].contents, -1);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *content_type = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (dbw_import_guess_format (file, &content_type, NULL, &error), ==, cases[i].format);
      g_assert_no_error (error);
      if (g_str_equal (cases[i].name, "scan.dat"))
        g_assert_cmpstr (content_type, ==, "application/pdf");
    }

  /* One object over several lines is one record; text after it is named. */
  {
    g_autofree char *pretty = g_build_filename (f->dir, "pretty.json", NULL);
    g_autofree char *after = write_file (f, "after.json", "{\n  \"c\": 3\n}\n{\"d\": 4}\n", -1);
    g_autoptr(DbwImporter) importer = make_importer (f, TRUE, pretty, after, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(DbwItem) item = NULL;

    g_assert_true (dbw_importer_run (importer, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (dbw_import_report_get_n_added (dbw_importer_get_report (importer)), ==, 2);
    item = get_item (f, "pretty.json#1");
    g_assert_cmpstr (field (item, "a"), ==, "{\"");
    g_assert_true (report_mentions (dbw_importer_get_report (importer), "after.json, line 4: text follows the end of the JSON object", 4));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/importer/csv", test_import_csv);
  ADD ("/importer/csv-bad", test_import_csv_bad);
  ADD ("/importer/long-name", test_import_long_name);
  ADD ("/importer/versions", test_import_versions);
  ADD ("/importer/constraints-reach-pairs", test_import_constraints_reach_pairs);
  ADD ("/importer/same-names", test_import_same_names);
  ADD ("/importer/same-folder-names", test_import_same_folder_names);
  ADD ("/importer/file-names", test_import_file_names);
  ADD ("/importer/links", test_import_links);
  ADD ("/importer/own-folder", test_import_own_folder);
  ADD ("/importer/jsonl", test_import_jsonl);
  ADD ("/importer/utf16", test_import_utf16);
  ADD ("/importer/deep-unchanged", test_import_deep_unchanged);
  ADD ("/importer/json-array", test_import_json_array);
  ADD ("/importer/json-strict", test_import_json_strict);
  ADD ("/importer/json-deep", test_import_json_deep);
  ADD ("/importer/folder", test_import_folder);
  ADD ("/importer/jpeg-ends", test_import_jpeg_ends);
  ADD ("/importer/turned-photo", test_import_turned_photo);
  ADD ("/importer/cancel", test_import_cancel);
  ADD ("/importer/async", test_import_async);
  ADD ("/importer/guess-format", test_import_guess_format);
#undef ADD

  return g_test_run ();
}
