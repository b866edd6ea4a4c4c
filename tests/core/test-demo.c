/* test-demo.c — the demo project built from the generated sources
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "dbw-canonical-label.h"
#include "dbw-prompt.h"
#include "dbw-template-ops.h"
#include "dbw-template.h"
#include "dbw-demo.h"
#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-training-sheet.h"
#include "test-util.h"

static DbwSheet *
find_sheet (GPtrArray  *sheets,
            const char *name)
{
  for (guint i = 0; i < sheets->len; i++)
    if (g_str_equal (dbw_sheet_get_name (g_ptr_array_index (sheets, i)), name))
      return g_ptr_array_index (sheets, i);

  return NULL;
}

static void
test_demo_fill (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "demo.dbw");
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *sources = g_getenv ("DBW_DEMO_SOURCES");
  DbwSheet *readings, *docs, *images;
  gboolean found_incident = FALSE;

  g_assert_nonnull (sources);
  g_assert_true (dbw_demo_fill (store, sources, NULL, &error));
  g_assert_no_error (error);

  title = dbw_store_dup_title (store);
  g_assert_cmpstr (title, ==, "Demo Project");

  sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, &error);
  g_assert_cmpuint (sheets->len, ==, 3);
  readings = find_sheet (sheets, "Survey instrument readings");
  docs = find_sheet (sheets, "Radiation-safety documents");
  images = find_sheet (sheets, "PCB inspection images");
  g_assert_nonnull (readings);
  g_assert_nonnull (docs);
  g_assert_nonnull (images);

  /* At least 1,000 readings, 5 multi-page PDFs and 20 images, as the demo promises. */
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (readings)), NULL), >=, 1000);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (docs)), NULL), >=, 5);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (images)), NULL), >=, 20);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM items WHERE modality = 'pdf' AND json_extract (fields, '$.pages') >= 2"), >=, 5);

  /* Files are stored once each, as blobs that are really PNG and PDF files. */
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM items WHERE blob_hash IS NOT NULL"), ==,
                   test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM blobs"));
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM blobs WHERE content_type = 'image/png' AND hex (substr (data, 1, 4)) = '89504E47'"), >=, 20);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM blobs WHERE content_type = 'application/pdf' AND hex (substr (data, 1, 5)) = '255044462D'"), >=, 5);

  /* Readings keep numbers as numbers, identifiers as text. */
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM items WHERE modality = 'row' AND json_type (fields, '$.value') IN ('real', 'integer')"), >, 900);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM items WHERE modality = 'row' AND json_type (fields, '$.reading_id') = 'text'"), >=, 1000);
  /* …written as in the file: 0.009 and 0.010, not 0.0089999999999999993 and 0.01. */
  g_assert_cmpint (test_query_int (dbw_store_get_path (store),
                                   "SELECT count (*) FROM items WHERE item_ref = 'row_1' "
                                   "AND instr (fields, '\"value\":0.009,') > 0 AND instr (fields, '\"background\":0.010,') > 0"), ==, 1);

  /* Half the boards carry the inspector's boxes as canonical labels. */
  labels = dbw_store_list (store, DBW_TYPE_CANONICAL_LABEL, "sheet_id", dbw_record_get_id (DBW_RECORD (images)), &error);
  g_assert_cmpuint (labels->len, >=, 10);
  for (guint i = 0; i < labels->len; i++)
    {
      DbwCanonicalLabel *label = g_ptr_array_index (labels, i);

      g_assert_cmpint (dbw_canonical_label_get_label_type (label), ==, DBW_LABEL_TYPE_OBJECT_DETECTION);
      g_assert_nonnull (strstr (dbw_canonical_label_get_label_data (label), "\"objects\""));
    }
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM canonical_labels, json_each (label_data, '$.objects') AS o "
                                     "WHERE json_array_length (o.value, '$.bbox') = 4"), >=, 10);

  /* Each reviewed reading was approved as the Label page approves: it has its canonical
   * label, with the pair's usage constraints. */
  g_assert_cmpint (test_query_int (dbw_store_get_path (store),
                                   "SELECT count (*) FROM qa_pairs AS p JOIN canonical_labels AS l ON l.id = p.canonical_label_id "
                                   "WHERE p.status = 'labeled' AND l.label_type = 'classification' "
                                   "AND l.prohibited_uses = p.prohibited_uses AND l.labeled_by = p.reviewed_by"), ==,
                   test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"));
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), >=, 10);

  /* A published template for each sheet, so Generate can start at once. */
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_TEMPLATE, "status", "published", NULL), ==, 3);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (DISTINCT label_type) FROM templates"), ==, 3);
  {
    const struct { const char *name; DbwSheet *sheet; } uses[] = {
      { "Reading triage", readings },
      { "Procedure questions", docs },
      { "PCB defect detection", images },
    };

    /* Each passes every check a publish makes, and renders for every item of its sheet. */
    for (guint i = 0; i < G_N_ELEMENTS (uses); i++)
      {
        g_autoptr(DbwTemplate) tmpl = dbw_template_ops_lookup (store, uses[i].name, &error);
        g_autoptr(GPtrArray) items = NULL;

        g_assert_no_error (error);
        g_assert_true (dbw_template_ops_validate (tmpl, &error));
        g_assert_no_error (error);

        items = dbw_store_list (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (uses[i].sheet)), &error);
        g_assert_no_error (error);
        for (guint j = 0; j < items->len; j++)
          {
            g_autoptr(JsonObject) context = dbw_prompt_context_for_item (g_ptr_array_index (items, j));
            g_autofree char *system = dbw_prompt_render (dbw_template_get_system_prompt (tmpl), context, &error);
            g_autofree char *user = NULL;

            g_assert_no_error (error);
            user = dbw_prompt_render (dbw_template_get_user_prompt_template (tmpl), context, &error);
            g_assert_no_error (error);
            g_assert_null (strstr (user, "{{"));
          }
      }
  }

  /* The incident report names workers: PII, restricted, never for training. */
  documents = dbw_store_list (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (docs)), &error);
  for (guint i = 0; i < documents->len; i++)
    {
      DbwItem *item = g_ptr_array_index (documents, i);

      if (strstr (dbw_item_get_fields (item), "incident_report") == NULL)
        {
          g_assert_cmpuint (g_strv_length ((char **) dbw_item_get_prohibited_uses (item)), ==, 0);
          continue;
        }

      found_incident = TRUE;
      g_assert_true (g_strv_contains (dbw_item_get_prohibited_uses (item), "training"));
      g_assert_true (g_strv_contains (dbw_item_get_tags (item), "PII"));
      g_assert_cmpint (dbw_item_get_data_classification (item), ==, DBW_CLASSIFICATION_RESTRICTED);
    }
  g_assert_true (found_incident);

  /* A small Training Sheet of triaged readings, mostly reviewed; a faulty instrument's
   * readings are labeled but kept out of training, with the reason. */
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, NULL), ==, 1);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs"), ==, 20);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), >=, 14);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs WHERE status = 'unlabeled'"), >=, 1);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs WHERE status = 'labeled' "
                                   "AND EXISTS (SELECT 1 FROM json_each (prohibited_uses) WHERE value = 'training') "
                                   "AND usage_reason <> ''"), ==, 2);
  g_assert_cmpint (test_query_int (dbw_store_get_path (store), "SELECT count (*) FROM qa_pairs WHERE json_array_length (messages) >= 3 "
                                   "AND json_extract (messages, '$[#-1].role') = 'assistant'"), ==, 20);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
test_demo_missing_sources (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "empty.dbw");
  g_autoptr(GError) error = NULL;

  /* Nothing half-made is left behind when the sources are missing. */
  g_assert_false (dbw_demo_fill (store, dir, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_SHEET, NULL, NULL, NULL), ==, 0);

  dbw_store_close (store);
  test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/fill", test_demo_fill);
  g_test_add_func ("/demo/missing-sources", test_demo_missing_sources);

  return g_test_run ();
}
