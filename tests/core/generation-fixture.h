/* generation-fixture.h — sheets, items, templates and canonical labels for generation tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "dbw-canonical-label.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"
#include "test-query.h"

/* A sheet of @n row items "row_0"… with fields {"n": i, "city": …, "answer": …}; every
 * third item has no answer (null), and items are allowed for training and evaluation. */
static inline DbwSheet *
gen_add_sheet (DbwStore   *store,
               const char *name,
               guint       n)
{
  static const char *cities[] = { "Oslo", "Lima", "Cairo", "Perth" };
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  const char *allowed[] = { "training", "evaluation", NULL };

  dbw_sheet_set_name (sheet, name);
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);

  g_assert_true (dbw_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("row_%u", i);
      g_autofree char *fields = NULL;

      if (i % 3 == 2)
        fields = g_strdup_printf ("{\"n\":%u,\"city\":\"%s\",\"answer\":null}", i, cities[i % 4]);
      else
        fields = g_strdup_printf ("{\"n\":%u,\"city\":\"%s\",\"answer\":\"{\\\"label\\\":\\\"%s\\\"}\"}",
                                  i, cities[i % 4], i % 2 == 0 ? "warm" : "cold");
      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, fields);
      dbw_item_set_allowed_uses (item, allowed);
      dbw_item_set_data_classification (item, DBW_CLASSIFICATION_INTERNAL);
      g_assert_true (dbw_store_insert (store, item, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&sheet);
}

/* A classification template asking for {"label": "warm"|"cold"}. */
static inline DbwTemplate *
gen_add_template (DbwStore          *store,
                  const char        *name,
                  DbwTemplateStatus  status)
{
  g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *template_id = g_uuid_string_random ();

  dbw_template_set_template_id (tmpl, template_id);
  dbw_template_set_version (tmpl, 1);
  dbw_template_set_name (tmpl, name);
  dbw_template_set_status (tmpl, status);
  dbw_template_set_label_type (tmpl, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_system_prompt (tmpl, "You classify cities by climate.");
  dbw_template_set_user_prompt_template (tmpl, "City {{ n }}: {{ city }}");
  dbw_template_set_output_schema (tmpl,
                                  "{\"type\":\"object\",\"required\":[\"label\"],"
                                  "\"properties\":{\"label\":{\"enum\":[\"warm\",\"cold\"]}}}");
  dbw_template_set_examples (tmpl, "[{\"input\":{\"n\":100,\"city\":\"Rome\"},\"output\":{\"label\":\"warm\"}}]");
  g_assert_true (dbw_store_insert (store, tmpl, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&tmpl);
}

/* A training sheet of @sheet made with @tmpl (or none), in review. */
static inline DbwTrainingSheet *
gen_add_training_sheet (DbwStore    *store,
                        DbwSheet    *sheet,
                        DbwTemplate *tmpl,
                        const char  *name)
{
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_training_sheet_set_name (training_sheet, name);
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (DBW_RECORD (sheet)));
  if (tmpl != NULL)
    dbw_training_sheet_set_template_id (training_sheet, dbw_record_get_id (DBW_RECORD (tmpl)));
  dbw_training_sheet_set_status (training_sheet, DBW_TRAINING_SHEET_STATUS_REVIEW);
  g_assert_true (dbw_store_insert (store, training_sheet, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&training_sheet);
}

/* An unlabeled pair of @training_sheet about "row_0", made from @canonical_label_id (or none). */
static inline DbwQaPair *
gen_add_pair (DbwStore         *store,
              DbwTrainingSheet *training_sheet,
              const char       *canonical_label_id)
{
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(GError) error = NULL;

  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training_sheet)));
  dbw_qa_pair_set_item_ref (pair, "row_0");
  dbw_qa_pair_set_messages (pair, "[{\"role\":\"user\",\"content\":\"Dose?\"},{\"role\":\"assistant\",\"content\":\"normal\"}]");
  dbw_qa_pair_set_canonical_label_id (pair, canonical_label_id);
  g_assert_true (dbw_store_insert (store, pair, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&pair);
}

/* An expert's label of @item_ref, usable for evaluation and few-shot only. */
static inline DbwCanonicalLabel *
gen_add_canonical (DbwStore     *store,
                   DbwSheet     *sheet,
                   const char   *item_ref,
                   DbwLabelType  label_type,
                   const char   *label_data)
{
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
  g_autoptr(GError) error = NULL;
  const char *allowed[] = { "evaluation", "few_shot", NULL };
  const char *prohibited[] = { "training", NULL };

  dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (sheet)));
  dbw_canonical_label_set_item_ref (label, item_ref);
  dbw_canonical_label_set_label_type (label, label_type);
  dbw_canonical_label_set_label_data (label, label_data);
  dbw_canonical_label_set_allowed_uses (label, allowed);
  dbw_canonical_label_set_prohibited_uses (label, prohibited);
  dbw_canonical_label_set_usage_reason (label, "Expert label: not for training");
  dbw_canonical_label_set_data_classification (label, DBW_CLASSIFICATION_CONFIDENTIAL);
  dbw_canonical_label_set_labeled_by (label, "ana@example.org");
  dbw_canonical_label_set_labeled_at (label, "2026-01-15T10:30:00.000Z");
  g_assert_true (dbw_store_insert (store, label, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&label);
}

/* One integer read straight from the project file. */
static inline gint64
gen_query_int (DbwStore   *store,
               const char *sql)
{
  return test_query_int (dbw_store_get_path (store), sql);
}

static inline char *
gen_query_text (DbwStore   *store,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (dbw_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}
