/* ui-test-pairs.h — a Training Sheet of Q&A pairs over the demo's readings, for the Label tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"

static inline DbwRecord *
ui_test_find_named (DbwStore   *store,
                    GType       type,
                    const char *name)
{
  g_autoptr(GPtrArray) all = dbw_store_list (store, type, NULL, NULL, NULL);

  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      DbwRecord *record = g_ptr_array_index (all, i);
      g_autofree char *record_name = NULL;

      g_object_get (record, "name", &record_name, NULL);
      if (g_strcmp0 (record_name, name) == 0)
        return g_object_ref (record);
    }

  g_error ("no %s called %s", g_type_name (type), name);
  return NULL;
}

/* Adds a Training Sheet of @n_pairs unlabeled pairs over the demo's survey readings (made
 * with its classification template, so approving creates canonical labels), the items
 * taken in turn and again from the start when there are fewer than pairs. Pair i is
 * "pair-%06u". Returns the training sheet's id. */
static inline char *
ui_test_add_pairs_to (DbwStore   *store,
                      const char *sheet_name,
                      const char *template_name,
                      guint       n_pairs)
{
  g_autoptr(DbwRecord) sheet = ui_test_find_named (store, DBW_TYPE_SHEET, sheet_name);
  g_autoptr(DbwRecord) tmpl = template_name != NULL ? ui_test_find_named (store, DBW_TYPE_TEMPLATE, template_name) : NULL;
  g_autoptr(DbwTrainingSheet) training_sheet = dbw_training_sheet_new ();
  g_autoptr(DbwQueryModel) items = dbw_query_model_new (store, DBW_TYPE_ITEM);
  g_autoptr(GError) error = NULL;
  guint n_items;

  g_assert_true (dbw_query_model_set_filter (items, "sheet_id", dbw_record_get_id (sheet), &error));
  g_assert_true (dbw_query_model_set_current_only (items, TRUE, &error));
  n_items = g_list_model_get_n_items (G_LIST_MODEL (items));
  g_assert_cmpuint (n_items, >, 0);

  g_assert_true (dbw_store_begin_bulk (store, &error));
  dbw_training_sheet_set_name (training_sheet, "Readings for review");
  dbw_training_sheet_set_sheet_id (training_sheet, dbw_record_get_id (sheet));
  dbw_training_sheet_set_template_id (training_sheet, tmpl != NULL ? dbw_record_get_id (tmpl) : NULL);
  dbw_training_sheet_set_status (training_sheet, DBW_TRAINING_SHEET_STATUS_REVIEW);
  g_assert_true (dbw_store_insert (store, training_sheet, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < n_pairs; i++)
    {
      g_autoptr(DbwItem) item = g_list_model_get_item (G_LIST_MODEL (items), i % n_items);
      g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
      g_autofree char *id = g_strdup_printf ("pair-%06u", i);
      g_autofree char *messages = NULL;

      messages = g_strdup_printf ("[{\"role\":\"system\",\"content\":\"You are a radiation-safety engineer reviewing "
                                  "survey instrument readings. Answer with a JSON object only.\"},"
                                  "{\"role\":\"user\",\"content\":\"Reading %s (pair %u). Classify this reading.\"},"
                                  "{\"role\":\"assistant\",\"content\":\"{\\\"class\\\": \\\"normal\\\", "
                                  "\\\"reason\\\": \\\"At background, pair %u.\\\"}\"}]",
                                  dbw_item_get_item_ref (item), i, i);
      dbw_record_set_id (DBW_RECORD (pair), id);
      dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (training_sheet)));
      dbw_qa_pair_set_item_ref (pair, dbw_item_get_item_ref (item));
      dbw_qa_pair_set_messages (pair, messages);
      dbw_qa_pair_set_ai_confidence (pair, ((i * 37) % 100) / 100.0);
      g_assert_true (dbw_store_insert (store, pair, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);

  return g_strdup (dbw_record_get_id (DBW_RECORD (training_sheet)));
}

static inline char *
ui_test_add_pairs (DbwStore *store,
                   guint     n_pairs)
{
  return ui_test_add_pairs_to (store, "Survey instrument readings", "Reading triage", n_pairs);
}
