/* test-export.c
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

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dbw-chat-format.h"
#include "dbw-export.h"
#include "dbw-export-record.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet-ops.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-util.h"

typedef struct
{
  char             *dir;
  char             *out;
  DbwStore         *store;
  DbwSheet         *sheet;
  DbwTemplate      *tmpl;
  DbwTrainingSheet *training_sheet;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static GStrv
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static char *
list_dir_text (const char *path)
{
  g_auto(GStrv) names = list_dir (path);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      guint j = 0;

      while (j < sorted->len && strcmp (g_ptr_array_index (sorted, j), names[i]) < 0)
        j++;
      g_ptr_array_insert (sorted, j, names[i]);
    }
  g_ptr_array_add (sorted, NULL);
  return g_strjoinv (" ", (char **) sorted->pdata);
}

static char *
messages_for (const char *user,
              const char *assistant)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "system");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, "You classify cities by climate.");
  json_builder_end_object (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, user);
  json_builder_end_object (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, assistant);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
add_pair_full (Fixture          *fixture,
               DbwTrainingSheet *training_sheet,
               const char       *item_ref,
               DbwQaStatus       status,
               const char       *allowed_csv,
               const char       *prohibited_csv,
               const char       *reason,
               const char       *messages)
{
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) allowed = g_strsplit (allowed_csv, ",", -1);
  g_auto(GStrv) prohibited = g_strsplit (prohibited_csv, ",", -1);

  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training_sheet)));
  dbw_qa_pair_set_item_ref (pair, item_ref);
  dbw_qa_pair_set_messages (pair, messages);
  dbw_qa_pair_set_status (pair, status);
  dbw_qa_pair_set_allowed_uses (pair, (const char * const *) allowed);
  dbw_qa_pair_set_prohibited_uses (pair, (const char * const *) prohibited);
  dbw_qa_pair_set_usage_reason (pair, reason);
  g_assert_true (dbw_store_insert (fixture->store, pair, &error));
  g_assert_no_error (error);

  return g_strdup (dbw_record_get_id (DBW_RECORD (pair)));
}

static char *
add_pair (Fixture          *fixture,
          DbwTrainingSheet *training_sheet,
          guint             item,
          DbwQaStatus       status,
          const char       *allowed_csv,
          const char       *prohibited_csv,
          const char       *reason)
{
  g_autofree char *ref = g_strdup_printf ("row_%u", item);
  g_autofree char *user = g_strdup_printf ("City %u: \"Oslo\", north\nof here", item);
  g_autofree char *messages = messages_for (user, item % 2 == 0 ? "{\"label\":\"warm\"}" : "{\"label\":\"cold\"}");

  return add_pair_full (fixture, training_sheet, ref, status, allowed_csv, prohibited_csv, reason, messages);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = test_make_dir ();
  fixture->out = g_build_filename (fixture->dir, "out", NULL);
  fixture->store = test_create_store (fixture->dir, "export.dbw");
  dbw_store_set_user (fixture->store, "ada@example.org");
  fixture->sheet = gen_add_sheet (fixture->store, "Cities", 40);
  fixture->tmpl = gen_add_template (fixture->store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  fixture->training_sheet = gen_add_training_sheet (fixture->store, fixture->sheet, fixture->tmpl, "Climate");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->training_sheet);
  g_clear_object (&fixture->tmpl);
  g_clear_object (&fixture->sheet);
  if (fixture->store != NULL)
    dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* 20 pairs: 12 exportable for training, 2 unlabeled, 1 rejected, 1 flagged, 2 prohibited
 * ("PII"), 1 not allowed ("PII"), 1 not allowed (no reason). */
static void
add_mixed_pairs (Fixture *fixture)
{
  guint item = 0;

  for (guint i = 0; i < 12; i++)
    g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_LABELED, "training,validation,evaluation", "", NULL));
  for (guint i = 0; i < 2; i++)
    g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_UNLABELED, "training", "", NULL));
  g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_REJECTED, "training", "", NULL));
  g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_FLAGGED, "training", "", NULL));
  for (guint i = 0; i < 2; i++)
    g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_LABELED, "evaluation", "training", "PII"));
  g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_LABELED, "evaluation", "", "PII"));
  g_free (add_pair (fixture, fixture->training_sheet, item++, DBW_QA_STATUS_LABELED, "evaluation", "", NULL));
}

static DbwExportOptions *
options_for (Fixture    *fixture,
             const char *use)
{
  DbwExportOptions *options = dbw_export_options_new ();
  const char *ids[] = { dbw_record_get_id (DBW_RECORD (fixture->training_sheet)), NULL };

  options->training_sheet_ids = g_strdupv ((char **) ids);
  g_free (options->use);
  options->use = g_strdup (use);
  return options;
}

static gint64
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  gint64 n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Split */

static void
test_split_grouped (void)
{
  const guint n = 300;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *a = g_new0 (gboolean, n);
  g_autofree gboolean *b = g_new0 (gboolean, n);
  g_autofree gboolean *c = g_new0 (gboolean, n);
  guint n_val = 0;
  gboolean differs = FALSE;

  /* 100 items, three pairs each */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (keys, g_strdup_printf ("item-%u", i % 100));
  g_ptr_array_add (keys, NULL);

  dbw_export_split ((const char * const *) keys->pdata, NULL, n, 0.2, 42, a);
  dbw_export_split ((const char * const *) keys->pdata, NULL, n, 0.2, 42, b);
  dbw_export_split ((const char * const *) keys->pdata, NULL, n, 0.2, 43, c);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (a[i], ==, b[i]);
      g_assert_cmpint (a[i], ==, a[i % 100]);
      n_val += a[i] ? 1 : 0;
      differs |= a[i] != c[i];
    }
  g_assert_cmpuint (n_val, ==, 60);
  g_assert_true (differs);
}

static void
derived_pair (DbwStore         *store,
              DbwTrainingSheet *training_sheet,
              const char       *item_ref)
{
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(GError) error = NULL;
  const char *allowed[] = { DBW_USE_TRAINING, DBW_USE_VALIDATION, NULL };
  g_autofree char *messages = g_strdup_printf ("[{\"role\":\"user\",\"content\":\"item=%s \"},"
                                               "{\"role\":\"assistant\",\"content\":\"ok\"}]", item_ref);

  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training_sheet)));
  dbw_qa_pair_set_item_ref (pair, item_ref);
  dbw_qa_pair_set_messages (pair, messages);
  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);
  dbw_qa_pair_set_allowed_uses (pair, allowed);
  g_assert_true (dbw_store_insert (store, pair, &error));
  g_assert_no_error (error);
}

/* The items named in one of the split's files. */
static GHashTable *
items_in_file (const char *path)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; (p = strstr (p, "item=")) != NULL; p += 5)
    g_hash_table_add (set, g_strndup (p + 5, strcspn (p + 5, " ")));

  return set;
}

/* Training sheets made from a sheet and from a sample of it, exported together: the pairs
 * of one source item land on one side, whichever sheet they were made from. */
static void
test_split_derived (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *train = g_build_filename (out, "train.jsonl", NULL);
  g_autofree char *val = g_build_filename (out, "val.jsonl", NULL);
  g_autoptr(DbwStore) store = test_create_store (dir, "derived.dbw");
  g_autoptr(DbwSheet) full = gen_add_sheet (store, "Full", 30);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwSheet) sample = NULL;
  g_autoptr(DbwTrainingSheet) from_full = NULL;
  g_autoptr(DbwTrainingSheet) from_sample = NULL;
  g_autoptr(DbwExportOptions) options = dbw_export_options_new ();
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out_file = g_file_new_for_path (out);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) in_train = NULL;
  g_autoptr(GHashTable) in_val = NULL;
  GHashTableIter iter;
  gpointer key;

  sample = dbw_sheet_ops_sample (store, dbw_record_get_id (DBW_RECORD (full)), 30, 1, "Pilot sample", &error);
  g_assert_no_error (error);
  from_full = gen_add_training_sheet (store, full, tmpl, "Full run");
  from_sample = gen_add_training_sheet (store, sample, tmpl, "Pilot run");
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *ref = g_strdup_printf ("row_%u", i);

      derived_pair (store, from_full, ref);
      derived_pair (store, from_sample, ref);
    }

  options->training_sheet_ids = g_new0 (char *, 3);
  options->training_sheet_ids[0] = g_strdup (dbw_record_get_id (DBW_RECORD (from_full)));
  options->training_sheet_ids[1] = g_strdup (dbw_record_get_id (DBW_RECORD (from_sample)));
  options->val_fraction = 0.3;
  options->seed = 42;
  export = dbw_export_new (store, options);
  result = dbw_export_write (export, out_file, NULL, &error);
  g_assert_no_error (error);

  in_train = items_in_file (train);
  in_val = items_in_file (val);
  g_assert_cmpuint (g_hash_table_size (in_val), >, 0);
  g_hash_table_iter_init (&iter, in_val);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_false (g_hash_table_contains (in_train, key));

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_split_order_independent (void)
{
  const char *keys[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", NULL };
  const char *reversed[] = { "j", "i", "h", "g", "f", "e", "d", "c", "b", "a", NULL };
  gboolean x[10], y[10];

  dbw_export_split (keys, NULL, 10, 0.3, 5, x);
  dbw_export_split (reversed, NULL, 10, 0.3, 5, y);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (x[i], ==, y[9 - i]);
}

static void
test_split_stratified (void)
{
  const guint n = 200;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) strata = g_ptr_array_new ();
  g_autofree gboolean *is_val = g_new0 (gboolean, n);
  guint val_rare = 0, val_common = 0;

  /* 180 "common", 20 "rare"; each pair its own item */
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (keys, g_strdup_printf ("item-%u", i));
      g_ptr_array_add (strata, (gpointer) (i % 10 == 0 ? "rare" : "common"));
    }

  for (guint64 seed = 1; seed <= 20; seed++)
    {
      dbw_export_split ((const char * const *) keys->pdata, (const char * const *) strata->pdata,
                        n, 0.25, seed, is_val);
      val_rare = val_common = 0;
      for (guint i = 0; i < n; i++)
        {
          if (is_val[i] && i % 10 == 0)
            val_rare++;
          else if (is_val[i])
            val_common++;
        }
      g_assert_cmpuint (val_rare, ==, 5);
      g_assert_cmpuint (val_common, ==, 45);
    }
}

static void
test_split_sides (void)
{
  const char *two[] = { "a", "a", "b", NULL };
  const char *one[] = { "a", "a", NULL };
  gboolean is_val[3];

  /* a tiny fraction still puts one group on the validation side… */
  dbw_export_split (two, NULL, 3, 0.01, 1, is_val);
  g_assert_cmpint (is_val[0], ==, is_val[1]);
  g_assert_cmpint (is_val[0], !=, is_val[2]);

  /* …and a large one leaves one for training */
  dbw_export_split (two, NULL, 3, 0.99, 1, is_val);
  g_assert_cmpint (is_val[0], ==, is_val[1]);
  g_assert_cmpint (is_val[0], !=, is_val[2]);

  /* one group cannot be split */
  dbw_export_split (one, NULL, 2, 0.5, 1, is_val);
  g_assert_cmpint (is_val[0], ==, is_val[1]);

  /* no fraction, no split */
  dbw_export_split (two, NULL, 3, 0, 1, is_val);
  g_assert_false (is_val[0] || is_val[1] || is_val[2]);
}

/* Summary */

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DbwExportReason *reason;

  add_mixed_pairs (fixture);
  export = dbw_export_new (fixture->store, options);
  summary = dbw_export_summarize (export, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (summary->n_total, ==, 20);
  g_assert_cmpint (summary->n_exported, ==, 12);
  g_assert_cmpint (summary->n_unlabeled, ==, 2);
  g_assert_cmpint (summary->n_rejected, ==, 1);
  g_assert_cmpint (summary->n_flagged, ==, 1);
  g_assert_cmpint (summary->n_prohibited, ==, 2);
  g_assert_cmpint (summary->n_not_allowed, ==, 2);
  g_assert_cmpint (summary->n_train, ==, 12);
  g_assert_cmpint (summary->n_val, ==, 0);
  g_assert_cmpuint (summary->reasons->len, ==, 2);
  reason = g_ptr_array_index (summary->reasons, 0);
  g_assert_cmpstr (reason->reason, ==, "PII");
  g_assert_cmpint (reason->count, ==, 3);
  reason = g_ptr_array_index (summary->reasons, 1);
  g_assert_cmpstr (reason->reason, ==, "");
  g_assert_cmpint (reason->count, ==, 1);

  text = dbw_export_summary_to_text (summary);
  g_assert_cmpstr (text, ==,
                   "Use: training\n"
                   "Total: 20\n"
                   "Exported: 12\n"
                   "Excluded, not labeled: 4 (unlabeled 2, rejected 1, flagged 1)\n"
                   "Excluded, Prohibited for training: 2\n"
                   "Excluded, Not allowed for training: 2\n"
                   "  Reason “PII”: 3\n"
                   "  No reason given: 1\n"
                   "Train: 12\n"
                   "Validation: 0\n");
  g_assert_cmpfloat (dbw_export_get_progress (export), ==, 1.0);

  /* the same pairs for evaluation */
  g_clear_pointer (&options, dbw_export_options_free);
  g_clear_object (&export);
  g_clear_pointer (&summary, dbw_export_summary_free);
  options = options_for (fixture, DBW_USE_EVALUATION);
  export = dbw_export_new (fixture->store, options);
  summary = dbw_export_summarize (export, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->n_exported, ==, 16);
  g_assert_cmpint (summary->n_prohibited, ==, 0);
  g_assert_cmpint (summary->n_not_allowed, ==, 0);

  /* A split's sides are for training and validation: evaluation data is not split. */
  g_clear_object (&export);
  g_clear_pointer (&summary, dbw_export_summary_free);
  options->val_fraction = 0.25;
  export = dbw_export_new (fixture->store, options);
  summary = dbw_export_summarize (export, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID);
}

/* The val side is an exit for validation: a pair not allowed (or prohibited) for it
 * stays on the training side, with every other pair of its item. */
static void
test_split_validation_gate (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) training_only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *val = g_build_filename (fixture->out, "val.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_val = 0;

  /* Items 0–19: allowed for both. Items 20–29: one pair allowed for training only, or
   * prohibited for validation, and one allowed for both. */
  for (guint i = 0; i < 20; i++)
    g_free (add_pair (fixture, fixture->training_sheet, i, DBW_QA_STATUS_LABELED, "training,validation", "", NULL));
  for (guint i = 20; i < 30; i++)
    {
      g_free (add_pair (fixture, fixture->training_sheet, i, DBW_QA_STATUS_LABELED,
                        i % 2 == 0 ? "training" : "training,validation", i % 2 == 0 ? "" : "validation", NULL));
      g_free (add_pair (fixture, fixture->training_sheet, i, DBW_QA_STATUS_LABELED, "training,validation", "", NULL));
      g_hash_table_add (training_only, g_strdup_printf ("\"City %u: ", i));
    }
  options->val_fraction = 0.5;
  options->seed = 3;

  export = dbw_export_new (fixture->store, options);
  result = dbw_export_write (export, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->summary->n_exported, ==, 40);
  g_assert_cmpint (result->summary->n_train + result->summary->n_val, ==, 40);
  g_assert_cmpint (result->summary->n_val, >, 0);

  g_assert_true (g_file_get_contents (val, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      GHashTableIter iter;
      gpointer needle;

      g_assert_nonnull (strstr (lines[i], "\"City "));
      n_val++;
      g_hash_table_iter_init (&iter, training_only);
      while (g_hash_table_iter_next (&iter, &needle, NULL))
        g_assert_null (strstr (lines[i], needle));
    }
  g_assert_cmpint (n_val, ==, result->summary->n_val);
}

static void
on_summary_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DbwExportSummary **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_export_summarize_finish (DBW_EXPORT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_summary_async (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportSummary) summary = NULL;

  add_mixed_pairs (fixture);
  export = dbw_export_new (fixture->store, options);
  dbw_export_summarize_async (export, NULL, on_summary_cb, &summary);
  while (summary == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (summary->n_exported, ==, 12);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpfloat (dbw_export_get_progress (export), ==, 1.0);
}

static void
test_invalid_options (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, "marketing");
  g_autoptr(DbwExport) export = dbw_export_new (fixture->store, options);
  g_autoptr(GError) error = NULL;
  DbwExportFormat format;

  g_assert_null (dbw_export_summarize (export, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "marketing"));
  g_clear_error (&error);
  g_clear_object (&export);

  g_free (options->use);
  options->use = g_strdup (DBW_USE_TRAINING);
  options->val_fraction = 1.0;
  export = dbw_export_new (fixture->store, options);
  g_assert_null (dbw_export_summarize (export, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&export);

  options->val_fraction = 0;
  g_free (options->training_sheet_ids[0]);
  options->training_sheet_ids[0] = g_strdup ("no-such-sheet");
  export = dbw_export_new (fixture->store, options);
  g_assert_null (dbw_export_summarize (export, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no-such-sheet"));

  g_assert_true (dbw_export_format_from_string ("YOLO", &format));
  g_assert_cmpint (format, ==, DBW_EXPORT_FORMAT_YOLO);
  g_assert_false (dbw_export_format_from_string ("parquet", &format));
  g_assert_cmpstr (dbw_export_format_to_string (DBW_EXPORT_FORMAT_CSV), ==, "csv");
}

/* Writing */

static JsonObject *
read_json_object (const char *path,
                  JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_write_jsonl_split (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwExportRecord) record = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) manifest_parser = json_parser_new ();
  g_autofree char *train = g_build_filename (fixture->out, "train.jsonl", NULL);
  g_autofree char *val = g_build_filename (fixture->out, "val.jsonl", NULL);
  g_autofree char *manifest = g_build_filename (fixture->out, "manifest.json", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *train_hash = NULL;
  g_autoptr(GFile) train_file = g_file_new_for_path (train);
  g_autoptr(GFile) val_file = g_file_new_for_path (val);
  g_autoptr(GHashTable) val_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pair_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(DbwTrainingSheet) second = gen_add_training_sheet (fixture->store, fixture->sheet, fixture->tmpl, "Climate, again");
  JsonObject *object;
  JsonArray *ids;
  JsonObject *split;
  JsonArray *val_array;
  gint64 n_train = 0, n_val = 0;

  add_mixed_pairs (fixture);
  /* the same items again in another training sheet: they must stay on their item's side */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *ref = g_strdup_printf ("row_%u", i);

      g_hash_table_insert (pair_items,
                           add_pair (fixture, second, i, DBW_QA_STATUS_LABELED, "training,validation", "", NULL),
                           g_steal_pointer (&ref));
    }
  g_strfreev (options->training_sheet_ids);
  options->training_sheet_ids = g_new0 (char *, 3);
  options->training_sheet_ids[0] = g_strdup (dbw_record_get_id (DBW_RECORD (fixture->training_sheet)));
  options->training_sheet_ids[1] = g_strdup (dbw_record_get_id (DBW_RECORD (second)));
  options->val_fraction = 0.25;
  options->seed = 7;

  export = dbw_export_new (fixture->store, options);
  result = dbw_export_write (export, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  listing = list_dir_text (fixture->out);
  g_assert_cmpstr (listing, ==, "manifest.json train.jsonl val.jsonl");
  g_assert_cmpuint (result->files->len, ==, 3);
  {
    g_autoptr(GFile) manifest_file = g_file_new_for_path (manifest);

    g_assert_true (g_file_equal (g_ptr_array_index (result->files, 2), manifest_file));
  }

  g_assert_cmpint (result->summary->n_total, ==, 32);
  g_assert_cmpint (result->summary->n_exported, ==, 24);
  g_assert_cmpint (result->summary->n_train + result->summary->n_val, ==, 24);
  g_assert_cmpint (result->summary->n_val, >=, 4);
  g_assert_cmpint (result->summary->n_val, <=, 8);

  g_assert_true (dbw_chat_jsonl_validate_file (train_file, &n_train, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_chat_jsonl_validate_file (val_file, &n_val, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_train, ==, result->summary->n_train);
  g_assert_cmpint (n_val, ==, result->summary->n_val);
  g_assert_cmpint (count_lines (train), ==, n_train);

  /* the lineage row */
  record = dbw_store_get (fixture->store, DBW_TYPE_EXPORT_RECORD, result->export_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_export_record_get_use (record), ==, "training");
  g_assert_cmpstr (dbw_export_record_get_format (record), ==, "jsonl");
  g_assert_cmpstr (dbw_export_record_get_created_by (record), ==, "ada@example.org");
  g_assert_cmpuint (g_strv_length ((char **) dbw_export_record_get_training_sheet_ids (record)), ==, 2);
  g_assert_true (json_parser_load_from_data (parser, dbw_export_record_get_qa_pair_ids (record), -1, NULL));
  ids = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (ids), ==, 24);

  g_assert_true (json_parser_load_from_data (parser, dbw_export_record_get_file_hashes (record), -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  train_hash = test_file_checksum (train);
  g_assert_cmpstr (json_object_get_string_member (object, "train.jsonl"), ==, train_hash);

  g_assert_true (json_parser_load_from_data (parser, dbw_export_record_get_template_versions (record), -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, dbw_template_get_template_id (fixture->tmpl)), ==, 1);

  g_assert_true (json_parser_load_from_data (parser, dbw_export_record_get_counts (record), -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "prohibited"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "reasons"), "PII"), ==, 3);

  /* grouping: a pair's item on one side only */
  g_assert_true (json_parser_load_from_data (parser, dbw_export_record_get_split_config (record), -1, NULL));
  split = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (split, "seed"), ==, 7);
  val_array = json_object_get_array_member (split, "val_qa_pair_ids");
  g_assert_cmpint (json_array_get_length (val_array), ==, result->summary->n_val);
  for (guint i = 0; i < json_array_get_length (val_array); i++)
    {
      g_hash_table_add (val_ids, (gpointer) json_array_get_string_element (val_array, i));
    }
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, pair_items);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autofree char *sql = g_strdup_printf ("SELECT id FROM qa_pairs WHERE item_ref = '%s' "
                                                "AND training_sheet_id = '%s'", (char *) value,
                                                dbw_record_get_id (DBW_RECORD (fixture->training_sheet)));
        g_autofree char *twin = gen_query_text (fixture->store, sql);

        g_assert_cmpint (g_hash_table_contains (val_ids, key), ==, g_hash_table_contains (val_ids, twin));
      }
  }

  /* where the files are, and what they hash to, for fine-tuning later */
  {
    g_autoptr(GFile) folder = dbw_export_lookup_folder (fixture->store, result->export_id, &error);
    g_autoptr(GHashTable) hashes = dbw_export_lookup_file_hashes (fixture->store, result->export_id, &error);
    g_autoptr(GFile) missing = dbw_export_lookup_folder (fixture->store, "no-such-export", &error);

    g_assert_no_error (error);
    g_assert_nonnull (folder);
    g_assert_true (g_file_equal (folder, out));
    g_assert_null (missing);
    g_assert_cmpuint (g_hash_table_size (hashes), ==, 2);
    g_assert_cmpstr (g_hash_table_lookup (hashes, "train.jsonl"), ==, train_hash);
    g_assert_true (dbw_export_verify_file (train_file, train_hash, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (dbw_export_verify_file (val_file, train_hash, NULL, &error));
    g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_CHANGED);
    g_assert_nonnull (strstr (error->message, "val.jsonl"));
    g_clear_error (&error);
    g_assert_null (dbw_export_lookup_file_hashes (fixture->store, "no-such-export", &error));
    g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* the manifest is the row */
  object = read_json_object (manifest, manifest_parser);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, result->export_id);
  g_assert_cmpstr (json_object_get_string_member (object, "use"), ==, "training");
  g_assert_true (json_object_has_member (object, "file_hashes"));
}

static void
test_write_jsonl_deterministic (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autofree char *val = g_build_filename (fixture->out, "val.jsonl", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  add_mixed_pairs (fixture);
  options->val_fraction = 0.3;
  options->seed = 99;
  options->stratify = TRUE;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(DbwExport) export = dbw_export_new (fixture->store, options);
      g_autoptr(DbwExportResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      result = dbw_export_write (export, out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (val, &contents, NULL, NULL));
      if (round == 0)
        first = g_steal_pointer (&contents);
      else
        second = g_steal_pointer (&contents);
    }
  g_assert_cmpstr (first, ==, second);
  /* stratified by the answer: 6 warm and 6 cold, 0.3 of each → 2 of each */
  g_assert_cmpint (count_lines (val), ==, 4);
  g_assert_nonnull (strstr (first, "warm"));
  g_assert_nonnull (strstr (first, "cold"));
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM exports"), ==, 2);
}

/* The pairs an export wrote, checked again against the gate as they are now. */
static void
test_check_gate (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwExportRecord) record = NULL;
  g_autoptr(JsonNode) ids = NULL;
  g_autofree char *sql = NULL;
  const char *first;

  add_mixed_pairs (fixture);
  options->val_fraction = 0.25;
  options->seed = 7;
  export = dbw_export_new (fixture->store, options);
  result = dbw_export_write (export, out, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (dbw_export_check_gate (fixture->store, result->export_id, NULL, &error));
  g_assert_no_error (error);

  /* One exported pair prohibited from training since: the export may no longer be used. */
  record = dbw_store_get (fixture->store, DBW_TYPE_EXPORT_RECORD, result->export_id, &error);
  g_assert_no_error (error);
  ids = json_from_string (dbw_export_record_get_qa_pair_ids (record), &error);
  g_assert_no_error (error);
  first = json_array_get_string_element (json_node_get_array (ids), 0);
  sql = g_strdup_printf ("UPDATE qa_pairs SET prohibited_uses = '[\"training\", \"validation\"]', "
                         "allowed_uses = '[\"evaluation\"]' WHERE id = '%s'", first);
  test_exec (dbw_store_get_path (fixture->store), sql);

  g_assert_false (dbw_export_check_gate (fixture->store, result->export_id, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_GATE);
  g_assert_true (g_str_has_prefix (error->message, "1 pair of this export"));
}

static void
test_write_csv (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->out, "data.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *listing = NULL;

  id = add_pair (fixture, fixture->training_sheet, 3, DBW_QA_STATUS_LABELED, "training", "", NULL);
  g_free (add_pair (fixture, fixture->training_sheet, 4, DBW_QA_STATUS_UNLABELED, "training", "", NULL));
  options->format = DBW_EXPORT_FORMAT_CSV;
  export = dbw_export_new (fixture->store, options);
  result = dbw_export_write (export, out, NULL, &error);
  g_assert_no_error (error);

  listing = list_dir_text (fixture->out);
  g_assert_cmpstr (listing, ==, "data.csv manifest.json");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  expected = g_strdup_printf ("id,item_ref,system,user,assistant\r\n"
                              "%s,row_3,You classify cities by climate.,"
                              "\"City 3: \"\"Oslo\"\", north\nof here\",\"{\"\"label\"\":\"\"cold\"\"}\"\r\n", id);
  g_assert_cmpstr (contents, ==, expected);
}

static void
assert_nothing_written (Fixture *fixture)
{
  g_auto(GStrv) names = list_dir (fixture->out);

  /* only what was there before */
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_cmpstr (names[i], ==, "data.jsonl");
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM exports"), ==, 0);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM export_folders"), ==, 0);
}

static void
test_write_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;

  g_free (add_pair (fixture, fixture->training_sheet, 0, DBW_QA_STATUS_LABELED, "evaluation", "training", "PII"));
  g_free (add_pair (fixture, fixture->training_sheet, 1, DBW_QA_STATUS_UNLABELED, "training", "", NULL));
  export = dbw_export_new (fixture->store, options);
  g_assert_null (dbw_export_write (export, out, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_EMPTY);
  assert_nothing_written (fixture);
}

/* A failure or cancellation leaves the folder as it was: no partial file, no row. */
static void
test_write_atomic (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *old = g_build_filename (fixture->out, "data.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->out, 0755), ==, 0);
  g_assert_true (g_file_set_contents (old, "previous export\n", -1, NULL));

  for (guint i = 0; i < 5000; i++)
    g_free (add_pair (fixture, fixture->training_sheet, i % 40, DBW_QA_STATUS_LABELED, "training", "", NULL));

  /* cancelled */
  g_cancellable_cancel (cancellable);
  export = dbw_export_new (fixture->store, options);
  g_assert_null (dbw_export_write (export, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_nothing_written (fixture);

  /* a pair the trainers would refuse: the export names it and writes nothing */
  bad = add_pair_full (fixture, fixture->training_sheet, "row_1", DBW_QA_STATUS_LABELED, "training", "", NULL,
                       "[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"\"}]");
  g_assert_null (dbw_export_write (export, out, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, bad));
  g_assert_nonnull (strstr (error->message, "empty content"));
  assert_nothing_written (fixture);

  g_assert_true (g_file_get_contents (old, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous export\n");
}

static void
on_cancel_progress_cb (DbwExport    *export,
                       GParamSpec   *pspec,
                       GCancellable *cancellable)
{
  if (dbw_export_get_progress (export) > 0.5)
    g_cancellable_cancel (cancellable);
}

static void
on_write_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  DbwExportResult *export_result = dbw_export_write_finish (DBW_EXPORT (source), result, error);

  if (export_result == NULL)
    g_assert_nonnull (*error);
  else
    dbw_export_result_free (export_result);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "done");
}

static void
test_write_async_cancel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *old = g_build_filename (fixture->out, "data.jsonl", NULL);
  GError *error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->out, 0755), ==, 0);
  g_assert_true (g_file_set_contents (old, "previous export\n", -1, NULL));
  g_assert_true (dbw_store_begin (fixture->store, NULL));
  for (guint i = 0; i < 20000; i++)
    g_free (add_pair (fixture, fixture->training_sheet, i % 40, DBW_QA_STATUS_LABELED, "training", "", NULL));
  g_assert_true (dbw_store_commit (fixture->store, NULL));

  export = dbw_export_new (fixture->store, options);
  g_signal_connect (export, "notify::progress", G_CALLBACK (on_cancel_progress_cb), cancellable);
  dbw_export_write_async (export, out, cancellable, on_write_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_nothing_written (fixture);
}

static void
on_done_progress_cb (DbwExport    *export,
                     GParamSpec   *pspec,
                     GCancellable *cancellable)
{
  if (dbw_export_get_progress (export) >= 1.0)
    g_cancellable_cancel (cancellable);
}

/* Cancel pressed once the export has committed: it is done, and said so. */
static void
test_write_async_cancel_late (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *written = g_build_filename (fixture->out, "data.jsonl", NULL);
  GError *error = NULL;

  add_mixed_pairs (fixture);
  export = dbw_export_new (fixture->store, options);
  g_signal_connect (export, "notify::progress", G_CALLBACK (on_done_progress_cb), cancellable);
  dbw_export_write_async (export, out, cancellable, on_write_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_cancellable_is_cancelled (cancellable));
  /* on_write_cb's mark that the write succeeded */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM exports"), ==, 1);
  g_assert_true (g_file_test (written, G_FILE_TEST_EXISTS));
}

static void
on_changed_cb (DbwStore   *store,
               const char *table,
               int         kind,
               const char *id,
               char      **out)
{
  if (g_strcmp0 (table, "exports") == 0)
    *out = g_strdup (id);
}

static void
on_write_result_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DbwExportResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_export_write_finish (DBW_EXPORT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_write_async (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DbwExportOptions) options = options_for (fixture, DBW_USE_TRAINING);
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autofree char *changed = NULL;
  gulong handler;

  add_mixed_pairs (fixture);
  handler = g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed_cb), &changed);
  export = dbw_export_new (fixture->store, options);
  dbw_export_write_async (export, out, NULL, on_write_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result->summary->n_exported, ==, 12);
  g_assert_cmpstr (changed, ==, result->export_id);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM exports"), ==, 1);
  g_signal_handler_disconnect (fixture->store, handler);
}

/* Image sheets */

static char *
put_png (DbwStore *store,
         int       width,
         int       height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *buffer = NULL;
  gsize len = 0;
  char *hash;

  gdk_pixbuf_fill (pixbuf, 0x336633ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  bytes = g_bytes_new (buffer, len);
  hash = dbw_store_put_blob (store, bytes, "image/png", &error);
  g_assert_no_error (error);
  return hash;
}

static void
test_write_coco (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DbwSheet) boards = dbw_sheet_new ();
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autoptr(DbwExportOptions) options = dbw_export_options_new ();
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(DbwExportResult) result = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *listing = NULL;
  g_autofree char *train = g_build_filename (fixture->out, "train", NULL);
  g_autofree char *annotations = g_build_filename (fixture->out, "val", "annotations.json", NULL);
  JsonObject *coco;
  const char *ids[2] = { NULL, NULL };

  dbw_sheet_set_name (boards, "Boards");
  g_assert_true (dbw_store_insert (fixture->store, boards, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
      g_autofree char *hash = put_png (fixture->store, 64 + i, 48);
      g_autofree char *ref = g_strdup_printf ("board-%u.png", i);

      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (boards)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_IMAGE);
      dbw_item_set_content_type (item, "image/png");
      dbw_item_set_blob_hash (item, hash);
      g_assert_true (dbw_store_insert (fixture->store, item, &error));
      g_assert_no_error (error);

      dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (boards)));
      dbw_canonical_label_set_item_ref (label, ref);
      dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_OBJECT_DETECTION);
      dbw_canonical_label_set_label_data (label, "{\"objects\":[{\"class\":\"scratch\",\"bbox\":[1,2,10,5]}]}");
      g_assert_true (dbw_store_insert (fixture->store, label, &error));
      g_assert_no_error (error);
    }

  dbw_training_sheet_set_name (training_sheet, "Boards");
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (boards)));
  g_assert_true (dbw_store_insert (fixture->store, training_sheet, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *ref = g_strdup_printf ("board-%u.png", i);
      g_autofree char *sql = NULL;
      g_autofree char *id = NULL;

      /* three pairs answer with the label's boxes, one is tied to the canonical label */
      id = add_pair_full (fixture, training_sheet, ref, DBW_QA_STATUS_LABELED, "training,validation", "", NULL,
                          "[{\"role\":\"user\",\"content\":\"Find the defects\"},{\"role\":\"assistant\","
                          "\"content\":\"{\\\"objects\\\":[{\\\"class\\\":\\\"scratch\\\",\\\"bbox\\\":[1,2,10,5]}]}\"}]");
      if (i == 0)
        {
          g_autoptr(DbwQaPair) pair = dbw_store_get (fixture->store, DBW_TYPE_QA_PAIR, id, &error);
          g_autofree char *label_id = gen_query_text (fixture->store,
                                                      "SELECT id FROM canonical_labels WHERE item_ref = 'board-0.png'");

          dbw_qa_pair_set_canonical_label_id (pair, label_id);
          g_assert_true (dbw_store_update (fixture->store, pair, &error));
          g_assert_no_error (error);
        }
    }

  ids[0] = dbw_record_get_id (DBW_RECORD (training_sheet));
  options->training_sheet_ids = g_strdupv ((char **) ids);
  options->format = DBW_EXPORT_FORMAT_COCO;
  options->val_fraction = 0.25;
  export = dbw_export_new (fixture->store, options);
  result = dbw_export_write (export, out, NULL, &error);
  g_assert_no_error (error);

  listing = list_dir_text (fixture->out);
  g_assert_cmpstr (listing, ==, "manifest.json train val");
  g_assert_true (g_file_test (train, G_FILE_TEST_IS_DIR));
  coco = read_json_object (annotations, parser);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (coco, "images")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (coco, "annotations")), ==, 1);
  g_assert_cmpint (result->summary->n_val, ==, 1);

  /* a text sheet is not for object-detection formats */
  g_clear_object (&export);
  g_clear_pointer (&result, dbw_export_result_free);
  g_clear_pointer (&options, dbw_export_options_free);
  add_mixed_pairs (fixture);
  options = options_for (fixture, DBW_USE_TRAINING);
  options->format = DBW_EXPORT_FORMAT_YOLO;
  export = dbw_export_new (fixture->store, options);
  g_assert_null (dbw_export_write (export, out, NULL, &error));
  g_assert_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "row_0"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/split/grouped", test_split_grouped);
  g_test_add_func ("/export/split/order-independent", test_split_order_independent);
  g_test_add_func ("/export/split/derived", test_split_derived);
  g_test_add_func ("/export/split/stratified", test_split_stratified);
  g_test_add_func ("/export/split/sides", test_split_sides);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export/split/validation-gate", test_split_validation_gate);
  ADD ("/export/summary", test_summary);
  ADD ("/export/summary/async", test_summary_async);
  ADD ("/export/invalid-options", test_invalid_options);
  ADD ("/export/write/jsonl-split", test_write_jsonl_split);
  ADD ("/export/check-gate", test_check_gate);
  ADD ("/export/write/deterministic", test_write_jsonl_deterministic);
  ADD ("/export/write/csv", test_write_csv);
  ADD ("/export/write/empty", test_write_empty);
  ADD ("/export/write/atomic", test_write_atomic);
  ADD ("/export/write/async", test_write_async);
  ADD ("/export/write/async-cancel", test_write_async_cancel);
  ADD ("/export/write/async-cancel-late", test_write_async_cancel_late);
  ADD ("/export/write/coco", test_write_coco);
#undef ADD

  return g_test_run ();
}
