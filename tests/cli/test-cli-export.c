/* test-cli-export.c — `databits export` on a project made with the core
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dbw-qa-pair.h"
#include "dbw-training-sheet.h"
#include "../core/generation-fixture.h"
#include "cli-run.h"

typedef struct
{
  char *dir;
  char *project;
  char *training_sheet_id;
} Fixture;

static void
add_pair (DbwStore   *store,
          const char *training_sheet_id,
          guint       item,
          DbwQaStatus status,
          const char *allowed,
          const char *prohibited,
          const char *reason)
{
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = g_strdup_printf ("row_%u", item);
  g_autofree char *messages = g_strdup_printf ("[{\"role\":\"system\",\"content\":\"Classify.\"},"
                                               "{\"role\":\"user\",\"content\":\"City %u\"},"
                                               "{\"role\":\"assistant\",\"content\":\"%s\"}]",
                                               item, item % 2 == 0 ? "warm" : "cold");
  g_auto(GStrv) allowed_uses = allowed != NULL ? g_strsplit (allowed, ",", -1) : NULL;
  const char *prohibited_uses[] = { prohibited, NULL };

  dbw_qa_pair_set_training_sheet_id (pair, training_sheet_id);
  dbw_qa_pair_set_item_ref (pair, ref);
  dbw_qa_pair_set_messages (pair, messages);
  dbw_qa_pair_set_status (pair, status);
  dbw_qa_pair_set_allowed_uses (pair, (const char * const *) allowed_uses);
  dbw_qa_pair_set_prohibited_uses (pair, prohibited != NULL ? prohibited_uses : NULL);
  dbw_qa_pair_set_usage_reason (pair, reason);
  g_assert_true (dbw_store_insert (store, pair, &error));
  g_assert_no_error (error);
}

/* "Climate": 10 pairs, 7 exportable for training, 1 unlabeled, 1 prohibited (PII),
 * 1 not allowed. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();

  f->dir = g_dir_make_tmp ("dbw-cli-export-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = g_build_filename (f->dir, "climate.dbw", NULL);
  file = g_file_new_for_path (f->project);
  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  sheet = gen_add_sheet (store, "Cities", 10);
  tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  dbw_training_sheet_set_name (training_sheet, "Climate");
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_training_sheet_set_template_id (training_sheet, dbw_record_get_id (DBW_RECORD (tmpl)));
  g_assert_true (dbw_store_insert (store, training_sheet, &error));
  g_assert_no_error (error);
  f->training_sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (training_sheet)));

  for (guint i = 0; i < 7; i++)
    add_pair (store, f->training_sheet_id, i, DBW_QA_STATUS_LABELED, "training,validation", NULL, NULL);
  add_pair (store, f->training_sheet_id, 7, DBW_QA_STATUS_UNLABELED, "training", NULL, NULL);
  add_pair (store, f->training_sheet_id, 8, DBW_QA_STATUS_LABELED, "evaluation", "training", "PII");
  add_pair (store, f->training_sheet_id, 9, DBW_QA_STATUS_LABELED, "evaluation", NULL, NULL);
  dbw_store_close (store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->project);
  g_free (f->training_sheet_id);
}

static gint64
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  gint64 n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
test_export_split (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "--training-sheet", "Climate", "--val-fraction", "0.3",
                          "--seed", "4", "-o", "out");
  g_autofree char *train = g_build_filename (f->dir, "out", "train.jsonl", NULL);
  g_autofree char *val = g_build_filename (f->dir, "out", "val.jsonl", NULL);
  g_autofree char *manifest = g_build_filename (f->dir, "out", "manifest.json", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Use: training\nTotal: 10\nExported: 7\n"
                                   "Excluded, not labeled: 1 (unlabeled 1, rejected 0, flagged 0)\n"
                                   "Excluded, Prohibited for training: 1\n"
                                   "Excluded, Not allowed for training: 1\n"
                                   "  Reason “PII”: 1\n"
                                   "  No reason given: 1\n"
                                   "Train: 5\nValidation: 2\n"));
  g_assert_nonnull (strstr (r.out, "Wrote 3 files to"));
  g_assert_nonnull (strstr (r.out, "  train.jsonl\n  val.jsonl\n  manifest.json\n"));
  g_assert_cmpint (count_lines (train), ==, 5);
  g_assert_cmpint (count_lines (val), ==, 2);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_EXISTS));
  g_assert_cmpint (test_query_int (f->project, "SELECT count (*) FROM exports"), ==, 1);
  g_assert_cmpint (test_query_int (f->project, "SELECT json_array_length (qa_pair_ids) FROM exports"), ==, 7);

  /* Exported again without a split into the same folder: the split's files are named as
   * left over, and left alone. */
  {
    g_auto(CliResult) again = cli_run (f->dir, "export", "climate.dbw", "--training-sheet", "Climate", "-o", "out");

    g_assert_cmpint (again.status, ==, 0);
    g_assert_nonnull (strstr (again.err, "also holds “train.jsonl” from an earlier export"));
    g_assert_nonnull (strstr (again.err, "also holds “val.jsonl” from an earlier export"));
    g_assert_null (strstr (again.err, "data.jsonl"));
    g_assert_cmpint (count_lines (train), ==, 5);
  }
}

static void
test_export_csv_by_id (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", f->training_sheet_id, "--use", "evaluation",
                          "--format", "csv", "-o", "csv");
  g_autofree char *path = g_build_filename (f->dir, "csv", "data.csv", NULL);
  g_autofree char *contents = NULL;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Use: evaluation\nTotal: 10\nExported: 2\n"));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "id,item_ref,system,user,assistant\r\n"));
  g_assert_nonnull (strstr (contents, ",row_8,Classify.,City 8,warm\r\n"));
  g_assert_nonnull (strstr (contents, ",row_9,Classify.,City 9,cold\r\n"));
}

/* A training sheet named twice, by name and by id, is exported once. */
static void
test_export_named_twice (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Climate", "-t", f->training_sheet_id,
                                 "-t", "Climate", "-o", "twice");
  g_autofree char *path = g_build_filename (f->dir, "twice", "data.jsonl", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Use: training\nTotal: 10\nExported: 7\n"));
  g_assert_cmpint (count_lines (path), ==, 7);
  g_assert_cmpint (test_query_int (f->project, "SELECT json_array_length (qa_pair_ids) FROM exports"), ==, 7);
}

static void
test_export_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "none", NULL);

  {
    g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Weather", "-o", "none");

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "There is no training sheet “Weather” in climate.dbw"));
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Climate", "-f", "parquet", "-o", "none");

    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "parquet"));
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Climate", "--val-fraction", "1.5", "-o", "none");

    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Climate", "--use", "marketing", "-o", "none");

    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "marketing"));
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Climate");

    g_assert_cmpint (r.status, ==, 2);
  }
  {
    /* nothing may be used for testing: the numbers say why, nothing is written */
    g_auto(CliResult) r = cli_run (f->dir, "export", "climate.dbw", "-t", "Climate", "--use", "testing", "-o", "none");

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "Total: 10\nExported: 0\n"));
    g_assert_nonnull (strstr (r.out, "Excluded, Not allowed for testing: 9\n"));
    g_assert_nonnull (strstr (r.err, "No pair"));
  }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (test_query_int (f->project, "SELECT count (*) FROM exports"), ==, 0);
}

static void
test_export_help (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(CliResult) r = cli_run (f->dir, "export", "--help");
  g_auto(CliResult) list = cli_run (f->dir, "--help");

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--training-sheet"));
  g_assert_nonnull (strstr (r.out, "--stratify"));
  g_assert_nonnull (strstr (list.out, "export"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/export/split", test_export_split);
  ADD ("/cli/export/csv-by-id", test_export_csv_by_id);
  ADD ("/cli/export/named-twice", test_export_named_twice);
  ADD ("/cli/export/errors", test_export_errors);
  ADD ("/cli/export/help", test_export_help);
#undef ADD

  return g_test_run ();
}
