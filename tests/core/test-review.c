/* test-review.c — Mode A decisions, their undo and redo, and the canonical labels they make
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

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbw-canonical-ops.h"
#include "dbw-governance.h"
#include "dbw-pair-builder.h"
#include "dbw-qa-pair.h"
#include "dbw-review.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-query.h"
#include "test-util.h"

#define N_PAIRS 20
#define WARM "{\"label\":\"warm\"}"
#define COLD "{\"label\":\"cold\"}"

static const char *test_program;

typedef struct
{
  char             *dir;
  DbwStore         *store;
  DbwSheet         *sheet;
  DbwTemplate      *tmpl;
  DbwTrainingSheet *training_sheet;
  DbwPairBuilder   *builder;
  GPtrArray        *items;     /* of DbwItem */
  GPtrArray        *pair_ids;  /* of char *, one pair per item */
  DbwReview        *review;
} Fixture;

/* The model's answer for @item, as a generation run stores it. */
static char *
add_pair (Fixture          *fixture,
          DbwTrainingSheet *training_sheet,
          DbwItem          *item,
          const char       *reply)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = dbw_pair_builder_render_prompt (fixture->builder, item, &error);
  g_autoptr(DbwQaPair) pair = NULL;

  g_assert_no_error (error);
  pair = dbw_pair_builder_build_from_reply (fixture->builder, dbw_record_get_id (DBW_RECORD (training_sheet)),
                                            item, prompt, reply, 0.5);
  g_assert_true (dbw_store_insert (fixture->store, pair, &error));
  g_assert_no_error (error);

  return g_strdup (dbw_record_get_id (DBW_RECORD (pair)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = test_make_dir ();
  fixture->store = test_create_store (fixture->dir, "review.dbw");
  dbw_store_set_user (fixture->store, "ada@example.org");
  fixture->sheet = gen_add_sheet (fixture->store, "Cities", N_PAIRS);
  fixture->tmpl = gen_add_template (fixture->store, "Climate", DBW_TEMPLATE_STATUS_PUBLISHED);
  fixture->training_sheet = gen_add_training_sheet (fixture->store, fixture->sheet, fixture->tmpl, "Climate review");
  fixture->builder = dbw_pair_builder_new (fixture->tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  g_assert_no_error (error);

  fixture->items = dbw_store_list (fixture->store, DBW_TYPE_ITEM, "sheet_id",
                                   dbw_record_get_id (DBW_RECORD (fixture->sheet)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->items->len, ==, N_PAIRS);

  fixture->pair_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < fixture->items->len; i++)
    g_ptr_array_add (fixture->pair_ids,
                     add_pair (fixture, fixture->training_sheet, g_ptr_array_index (fixture->items, i),
                               i % 2 == 0 ? WARM : COLD));

  fixture->review = dbw_review_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->review);
  g_clear_pointer (&fixture->pair_ids, g_ptr_array_unref);
  g_clear_pointer (&fixture->items, g_ptr_array_unref);
  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->training_sheet);
  g_clear_object (&fixture->tmpl);
  g_clear_object (&fixture->sheet);
  if (fixture->store != NULL)
    dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  test_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static const char *
pair_id (Fixture *fixture,
         guint    i)
{
  return g_ptr_array_index (fixture->pair_ids, i);
}

static const char *
item_ref (Fixture *fixture,
          guint    i)
{
  return dbw_item_get_item_ref (g_ptr_array_index (fixture->items, i));
}

static DbwQaPair *
load_pair (DbwStore   *store,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  DbwQaPair *pair = dbw_store_get (store, DBW_TYPE_QA_PAIR, id, &error);

  g_assert_no_error (error);
  return pair;
}

static DbwCanonicalLabel *
lookup_label (Fixture    *fixture,
              const char *ref)
{
  g_autoptr(GError) error = NULL;
  DbwCanonicalLabel *label = dbw_canonical_ops_lookup (fixture->store, dbw_record_get_id (DBW_RECORD (fixture->sheet)),
                                                       ref, DBW_LABEL_TYPE_CLASSIFICATION, &error);

  g_assert_no_error (error);
  return label;
}

static gboolean
has_label (Fixture    *fixture,
           const char *ref)
{
  g_autoptr(DbwCanonicalLabel) label = lookup_label (fixture, ref);

  return label != NULL;
}

/* Every column equal; updated_at too unless @except_updated_at. */
static void
assert_same_pair (DbwQaPair *a,
                  DbwQaPair *b,
                  gboolean   except_updated_at)
{
  g_autoptr(JsonNode) na = dbw_record_to_json (DBW_RECORD (a));
  g_autoptr(JsonNode) nb = dbw_record_to_json (DBW_RECORD (b));

  if (except_updated_at)
    {
      g_assert_cmpstr (dbw_qa_pair_get_updated_at (a), <=, dbw_qa_pair_get_updated_at (b));
      json_object_remove_member (json_node_get_object (na), "updated_at");
      json_object_remove_member (json_node_get_object (nb), "updated_at");
    }

  g_assert_true (json_node_equal (na, nb));
}

static char *
answer_of (DbwQaPair *pair)
{
  g_autoptr(JsonNode) node = json_from_string (dbw_qa_pair_get_messages (pair), NULL);
  JsonArray *messages = json_node_get_array (node);
  JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);

  g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "assistant");
  return g_strdup (json_object_get_string_member (last, "content"));
}

static gint64
count_rows (DbwStore   *store,
            const char *sql)
{
  return gen_query_int (store, sql);
}

typedef struct
{
  guint pairs;
  guint labels;
  guint decided;
  char *last_decided;
} Signals;

static void
on_changed_cb (DbwStore      *store,
               const char    *table,
               DbwChangeKind  kind,
               const char    *id,
               Signals       *signals)
{
  if (g_str_equal (table, "qa_pairs"))
    signals->pairs++;
  else if (g_str_equal (table, "canonical_labels"))
    signals->labels++;
}

static void
on_decided_cb (DbwReview  *review,
               const char *id,
               Signals    *signals)
{
  signals->decided++;
  g_free (signals->last_decided);
  signals->last_decided = g_strdup (id);
}

static void
test_approve (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) before = load_pair (fixture->store, pair_id (fixture, 0));
  g_autoptr(DbwQaPair) after = NULL;
  g_autoptr(DbwQaPair) undone = NULL;
  g_autoptr(DbwQaPair) redone = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwCanonicalLabel) again = NULL;
  g_autofree char *touched = NULL;
  Signals signals = { 0 };

  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed_cb), &signals);
  g_signal_connect (fixture->review, "decided", G_CALLBACK (on_decided_cb), &signals);

  g_assert_false (dbw_review_get_can_undo (fixture->review));
  g_assert_null (dbw_review_get_undo_description (fixture->review));

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_no_error (error);

  /* Committed, and said so. */
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==, 1);
  g_assert_cmpuint (signals.pairs, >=, 1);
  g_assert_cmpuint (signals.labels, >=, 1);
  g_assert_cmpuint (signals.decided, ==, 1);
  g_assert_cmpstr (signals.last_decided, ==, pair_id (fixture, 0));

  after = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpint (dbw_qa_pair_get_status (after), ==, DBW_QA_STATUS_LABELED);
  g_assert_cmpstr (dbw_qa_pair_get_reviewed_by (after), ==, "ada@example.org");
  g_assert_nonnull (dbw_qa_pair_get_reviewed_at (after));
  g_assert_cmpstr (dbw_qa_pair_get_messages (after), ==, dbw_qa_pair_get_messages (before));

  /* The canonical label for (sheet, item, classification), with the pair's constraints. */
  label = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_nonnull (label);
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (after), ==, dbw_record_get_id (DBW_RECORD (label)));
  g_assert_cmpstr (dbw_canonical_label_get_label_data (label), ==, WARM);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);
  g_assert_cmpstr (dbw_canonical_label_get_labeled_by (label), ==, "ada@example.org");
  g_assert_cmpstr (dbw_canonical_label_get_labeled_at (label), ==, dbw_qa_pair_get_reviewed_at (after));
  g_assert_true (g_strv_equal (dbw_canonical_label_get_allowed_uses (label), dbw_qa_pair_get_allowed_uses (after)));
  g_assert_true (g_strv_equal (dbw_canonical_label_get_prohibited_uses (label), dbw_qa_pair_get_prohibited_uses (after)));
  g_assert_cmpint (dbw_canonical_label_get_data_classification (label), ==, dbw_qa_pair_get_data_classification (after));

  g_assert_true (dbw_review_get_can_undo (fixture->review));
  g_assert_false (dbw_review_get_can_redo (fixture->review));
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Approve");

  /* Undo: the pair as it was, the label gone. */
  signals.decided = 0;
  g_assert_true (dbw_review_undo (fixture->review, &touched, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (touched, ==, pair_id (fixture, 0));
  g_assert_cmpuint (signals.decided, ==, 1);
  undone = load_pair (fixture->store, pair_id (fixture, 0));
  assert_same_pair (before, undone, TRUE);
  g_assert_null (lookup_label (fixture, item_ref (fixture, 0)));
  g_assert_false (dbw_review_get_can_undo (fixture->review));
  g_assert_true (dbw_review_get_can_redo (fixture->review));
  g_assert_cmpstr (dbw_review_get_redo_description (fixture->review), ==, "Redo Approve");

  /* Redo: the decision again, the label again — under a new id, as the deletion may have
   * been synced — and the pair linked to it. */
  g_clear_pointer (&touched, g_free);
  g_assert_true (dbw_review_redo (fixture->review, &touched, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (touched, ==, pair_id (fixture, 0));
  again = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_nonnull (again);
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (again)), !=, dbw_record_get_id (DBW_RECORD (label)));
  g_assert_cmpstr (dbw_canonical_label_get_label_data (again), ==, WARM);
  g_assert_cmpstr (dbw_canonical_label_get_labeled_by (again), ==, "ada@example.org");
  g_assert_cmpstr (dbw_canonical_label_get_labeled_at (again), ==, dbw_canonical_label_get_labeled_at (label));
  redone = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (redone), ==, dbw_record_get_id (DBW_RECORD (again)));
  dbw_qa_pair_set_canonical_label_id (after, dbw_record_get_id (DBW_RECORD (again)));
  assert_same_pair (after, redone, TRUE);

  /* And undone again. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (lookup_label (fixture, item_ref (fixture, 0)));
  g_clear_object (&undone);
  undone = load_pair (fixture->store, pair_id (fixture, 0));
  assert_same_pair (before, undone, TRUE);
  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_get_can_undo (fixture->review));
  g_assert_false (dbw_review_get_can_redo (fixture->review));

  g_signal_handlers_disconnect_by_data (fixture->store, &signals);
  g_free (signals.last_decided);
}

/* Approving a pair whose item already has a label (an expert's, prohibited from training)
 * holds the pair to what the label prohibits, as a pair generated from it would be; undo
 * gives the pair its own constraints back. */
static void
test_approve_restricted_label (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwCanonicalLabel) label = gen_add_canonical (fixture->store, fixture->sheet, item_ref (fixture, 0),
                                                          DBW_LABEL_TYPE_CLASSIFICATION, WARM);
  g_autoptr(DbwQaPair) before = load_pair (fixture->store, pair_id (fixture, 0));
  g_autoptr(DbwQaPair) after = NULL;
  g_autoptr(DbwQaPair) undone = NULL;

  g_assert_true (g_strv_contains (dbw_qa_pair_get_allowed_uses (before), "training"));
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_no_error (error);

  after = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (after), ==, dbw_record_get_id (DBW_RECORD (label)));
  g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (after), "training"));
  g_assert_false (g_strv_contains (dbw_qa_pair_get_allowed_uses (after), "training"));
  g_assert_true (g_strv_contains (dbw_qa_pair_get_allowed_uses (after), "evaluation"));
  g_assert_cmpint (dbw_qa_pair_get_data_classification (after), ==, DBW_CLASSIFICATION_CONFIDENTIAL);
  g_assert_cmpstr (dbw_qa_pair_get_usage_reason (after), ==, dbw_canonical_label_get_usage_reason (label));
  g_assert_cmpint (dbw_governance_check (dbw_qa_pair_get_status (after), dbw_qa_pair_get_allowed_uses (after),
                                         dbw_qa_pair_get_prohibited_uses (after), "training"), ==, DBW_GATE_PROHIBITED);

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  undone = load_pair (fixture->store, pair_id (fixture, 0));
  assert_same_pair (before, undone, TRUE);
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) before = load_pair (fixture->store, pair_id (fixture, 0));
  g_autoptr(DbwQaPair) after = NULL;
  g_autoptr(DbwQaPair) undone = NULL;
  g_autoptr(DbwQaPair) unchanged = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autofree char *answer = NULL;

  /* Nothing to save, or an answer the template cannot take: refused, nothing written. */
  g_assert_false (dbw_review_edit (fixture->review, pair_id (fixture, 0), "  ", &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dbw_review_edit (fixture->review, pair_id (fixture, 0), "{\"label\":\"tepid\"}", &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);
  unchanged = load_pair (fixture->store, pair_id (fixture, 0));
  assert_same_pair (before, unchanged, FALSE);
  g_assert_false (dbw_review_get_can_undo (fixture->review));

  /* Spacing is the expert's; the label is compact JSON. */
  g_assert_true (dbw_review_edit (fixture->review, pair_id (fixture, 0), "{ \"label\": \"cold\" }", &error));
  g_assert_no_error (error);
  after = load_pair (fixture->store, pair_id (fixture, 0));
  answer = answer_of (after);
  g_assert_cmpstr (answer, ==, "{ \"label\": \"cold\" }");
  g_assert_cmpint (dbw_qa_pair_get_status (after), ==, DBW_QA_STATUS_LABELED);
  label = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpstr (dbw_canonical_label_get_label_data (label), ==, COLD);
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Edit");

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  undone = load_pair (fixture->store, pair_id (fixture, 0));
  assert_same_pair (before, undone, TRUE);
  g_assert_null (lookup_label (fixture, item_ref (fixture, 0)));

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&undone);
  g_clear_object (&label);
  undone = load_pair (fixture->store, pair_id (fixture, 0));
  label = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpstr (dbw_canonical_label_get_label_data (label), ==, COLD);
  dbw_qa_pair_set_canonical_label_id (after, dbw_record_get_id (DBW_RECORD (label)));
  assert_same_pair (after, undone, TRUE);
}

/* A manual pair has no assistant message until the expert writes one. */
static void
test_edit_appends (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(DbwQaPair) after = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autofree char *answer = NULL;

  dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (fixture->training_sheet)));
  dbw_qa_pair_set_item_ref (pair, item_ref (fixture, 3));
  dbw_qa_pair_set_messages (pair, "[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"City 3\"}]");
  dbw_qa_pair_set_labeling_mode (pair, DBW_LABELING_MODE_MANUAL);
  g_assert_true (dbw_store_insert (fixture->store, pair, &error));
  g_assert_no_error (error);

  /* Nothing to approve yet. */
  g_assert_false (dbw_review_approve (fixture->review, dbw_record_get_id (DBW_RECORD (pair)), &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (dbw_review_edit (fixture->review, dbw_record_get_id (DBW_RECORD (pair)), WARM, &error));
  g_assert_no_error (error);
  after = load_pair (fixture->store, dbw_record_get_id (DBW_RECORD (pair)));
  messages = json_from_string (dbw_qa_pair_get_messages (after), NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (messages)), ==, 3);
  answer = answer_of (after);
  g_assert_cmpstr (answer, ==, WARM);
}

static void
test_reject (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) before = load_pair (fixture->store, pair_id (fixture, 1));
  g_autoptr(DbwQaPair) after = NULL;
  g_autoptr(DbwQaPair) undone = NULL;
  g_autoptr(DbwQaPair) redone = NULL;

  g_assert_false (dbw_review_reject (fixture->review, pair_id (fixture, 1), NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dbw_review_reject (fixture->review, pair_id (fixture, 1), " \n", &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (dbw_review_reject (fixture->review, pair_id (fixture, 1), "Lima is not cold", &error));
  g_assert_no_error (error);
  after = load_pair (fixture->store, pair_id (fixture, 1));
  g_assert_cmpint (dbw_qa_pair_get_status (after), ==, DBW_QA_STATUS_REJECTED);
  g_assert_cmpstr (dbw_qa_pair_get_review_notes (after), ==, "Lima is not cold");
  g_assert_cmpstr (dbw_qa_pair_get_reviewed_by (after), ==, "ada@example.org");
  g_assert_null (dbw_qa_pair_get_canonical_label_id (after));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Reject");

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  undone = load_pair (fixture->store, pair_id (fixture, 1));
  assert_same_pair (before, undone, TRUE);

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  redone = load_pair (fixture->store, pair_id (fixture, 1));
  assert_same_pair (after, redone, TRUE);
}

static void
test_flag (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) before = load_pair (fixture->store, pair_id (fixture, 2));
  g_autoptr(DbwQaPair) after = NULL;
  g_autoptr(DbwQaPair) undone = NULL;
  g_autoptr(DbwQaPair) redone = NULL;

  g_assert_true (dbw_review_flag (fixture->review, pair_id (fixture, 2), "Ask a meteorologist", &error));
  g_assert_no_error (error);
  after = load_pair (fixture->store, pair_id (fixture, 2));
  g_assert_cmpint (dbw_qa_pair_get_status (after), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_cmpstr (dbw_qa_pair_get_review_notes (after), ==, "Ask a meteorologist");
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Flag");

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  undone = load_pair (fixture->store, pair_id (fixture, 2));
  assert_same_pair (before, undone, TRUE);

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  redone = load_pair (fixture->store, pair_id (fixture, 2));
  assert_same_pair (after, redone, TRUE);

  /* Nothing left to redo. */
  g_assert_false (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_NOTHING_TO_UNDO);
}

static void
test_bulk (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  const char *ids[7];
  Signals signals = { 0 };

  for (guint i = 0; i < 5; i++)
    {
      ids[i] = pair_id (fixture, i);
      g_ptr_array_add (before, load_pair (fixture->store, ids[i]));
    }
  ids[5] = pair_id (fixture, 0);  /* twice: counts once */
  ids[6] = NULL;

  g_signal_connect (fixture->review, "decided", G_CALLBACK (on_decided_cb), &signals);

  g_assert_false (dbw_review_apply_bulk (fixture->review, ids, DBW_REVIEW_DECISION_EDIT, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (dbw_review_apply_bulk (fixture->review, ids, DBW_REVIEW_DECISION_APPROVE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signals.decided, ==, 5);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==, 5);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 5);
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Approve of 5 Pairs");

  /* One step undoes all of them. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_review_get_can_undo (fixture->review));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(DbwQaPair) undone = load_pair (fixture->store, ids[i]);

      assert_same_pair (g_ptr_array_index (before, i), undone, TRUE);
    }

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==, 5);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 5);

  /* Bulk reject needs its reason too; flag takes a note. */
  g_assert_false (dbw_review_apply_bulk (fixture->review, ids, DBW_REVIEW_DECISION_REJECT, "", &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (dbw_review_apply_bulk (fixture->review, ids, DBW_REVIEW_DECISION_FLAG, "Check the source", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'flagged' AND review_notes = 'Check the source'"), ==, 5);
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Flag of 5 Pairs");

  g_signal_handlers_disconnect_by_data (fixture->review, &signals);
  g_free (signals.last_decided);
}

/* --- in the background ------------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  char     *pair_id;
} Done;

static void
done_clear (Done *done)
{
  g_clear_error (&done->error);
  g_clear_pointer (&done->pair_id, g_free);
  done->done = done->ok = FALSE;
}

static void
on_bulk_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Done *done = user_data;

  done->ok = dbw_review_apply_bulk_finish (DBW_REVIEW (object), result, &done->error);
  done->done = TRUE;
}

static void
on_undo_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Done *done = user_data;

  done->ok = dbw_review_undo_finish (DBW_REVIEW (object), result, &done->pair_id, &done->error);
  done->done = TRUE;
}

static void
on_redo_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Done *done = user_data;

  done->ok = dbw_review_redo_finish (DBW_REVIEW (object), result, &done->pair_id, &done->error);
  done->done = TRUE;
}

static void
wait_done (Done *done)
{
  while (!done->done)
    g_main_context_iteration (NULL, TRUE);
}

/* While a run is under way, nothing else can be decided, undone or redone. */
static void
assert_busy (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_review_get_busy (fixture->review));
  g_assert_false (dbw_review_approve (fixture->review, pair_id (fixture, 19), &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_BUSY);
}

/* Two pairs of one item share the label the step created; redoing the step creates it
 * again, once, under a new id, and links both. */
static void
test_redo_shared_label (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *second = add_pair (fixture, fixture->training_sheet, g_ptr_array_index (fixture->items, 0), WARM);
  const char *ids[] = { pair_id (fixture, 0), second, pair_id (fixture, 1), NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwCanonicalLabel) first_label = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;

  g_assert_true (dbw_review_apply_bulk (fixture->review, ids, DBW_REVIEW_DECISION_APPROVE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 2);
  first_label = lookup_label (fixture, item_ref (fixture, 0));

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 2);
  label = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (label)), !=, dbw_record_get_id (DBW_RECORD (first_label)));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs q JOIN canonical_labels l"
                                               " ON l.id = q.canonical_label_id"), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DbwQaPair) pair = load_pair (fixture->store, ids[i]);

      g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, dbw_record_get_id (DBW_RECORD (label)));
    }

  /* And the step undoes again from there. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==, 0);
}

/* A later step links a pair to a label an earlier step created. Undoing both and redoing
 * both creates the label again under a new id, and the later step's pair links to it. */
static void
test_redo_across_steps (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *second = add_pair (fixture, fixture->training_sheet, g_ptr_array_index (fixture->items, 0), WARM);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwQaPair) pair = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_approve (fixture->review, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 1);

  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);

      g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
      g_assert_no_error (error);

      g_clear_object (&label);
      g_clear_object (&pair);
      label = lookup_label (fixture, item_ref (fixture, 0));
      g_assert_nonnull (label);
      pair = load_pair (fixture->store, second);
      g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
      g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, dbw_record_get_id (DBW_RECORD (label)));
      g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs q JOIN canonical_labels l"
                                                   " ON l.id = q.canonical_label_id"), ==, 2);
    }
}

/* Approve a pair, then edit its answer: the edit changes the label the approval created.
 * Undoing both and redoing both creates the label again under a new id, and the edit's
 * redo finds it there. */
static void
test_redo_after_edit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_true (dbw_review_edit (fixture->review, pair_id (fixture, 0), COLD, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(DbwCanonicalLabel) label = NULL;
      g_autoptr(DbwCanonicalLabel) approved = NULL;
      g_autoptr(DbwQaPair) pair = NULL;

      g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      g_assert_null (lookup_label (fixture, item_ref (fixture, 0)));

      g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      approved = lookup_label (fixture, item_ref (fixture, 0));
      g_assert_cmpstr (dbw_canonical_label_get_label_data (approved), ==, WARM);

      g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (dbw_review_get_can_redo (fixture->review));

      label = lookup_label (fixture, item_ref (fixture, 0));
      g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (label)), ==, dbw_record_get_id (DBW_RECORD (approved)));
      g_assert_cmpstr (dbw_canonical_label_get_label_data (label), ==, COLD);
      pair = load_pair (fixture->store, pair_id (fixture, 0));
      g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
      g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, dbw_record_get_id (DBW_RECORD (label)));
      g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 1);
    }
}

/* A redo the store refuses (here a trigger, as a full disk would) leaves nothing behind and
 * the step can be redone once the store takes writes again. */
static void
test_redo_failed (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "review.dbw", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwQaPair) pair = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);

  test_exec (path, "CREATE TRIGGER refuse BEFORE UPDATE ON qa_pairs BEGIN SELECT RAISE (ABORT, 'refused'); END");
  g_assert_false (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (error->domain == DBW_REVIEW_ERROR);
  g_clear_error (&error);
  g_assert_true (dbw_review_get_can_redo (fixture->review));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);

  test_exec (path, "DROP TRIGGER refuse");
  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);

  label = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_nonnull (label);
  pair = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, dbw_record_get_id (DBW_RECORD (label)));

  /* And it undoes from there. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);
}

/* A bulk decision, its undo and its redo in a worker do what they do at once, and tell the
 * store's listeners, whose connection did not see the writes. */
static void
test_background (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  const char *ids[11];
  Signals signals = { 0 };
  Done done = { 0 };

  for (guint i = 0; i < 10; i++)
    {
      ids[i] = pair_id (fixture, i);
      g_ptr_array_add (before, load_pair (fixture->store, ids[i]));
    }
  ids[10] = NULL;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed_cb), &signals);
  g_signal_connect (fixture->review, "decided", G_CALLBACK (on_decided_cb), &signals);

  dbw_review_apply_bulk_async (fixture->review, ids, DBW_REVIEW_DECISION_APPROVE, NULL, NULL, on_bulk_done_cb, &done);
  assert_busy (fixture);
  wait_done (&done);
  g_assert_no_error (done.error);
  g_assert_true (done.ok);
  g_assert_false (dbw_review_get_busy (fixture->review));
  g_assert_cmpfloat (dbw_review_get_progress (fixture->review), ==, 0.0);

  g_assert_cmpuint (signals.decided, ==, 10);
  g_assert_cmpuint (signals.pairs, >=, 1);
  g_assert_cmpuint (signals.labels, >=, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled' AND reviewed_by = 'ada@example.org'"), ==, 10);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels WHERE labeled_by = 'ada@example.org'"), ==, 10);
  g_assert_cmpstr (dbw_review_get_undo_description (fixture->review), ==, "Undo Approve of 10 Pairs");
  g_assert_cmpuint (dbw_review_get_undo_n_pairs (fixture->review), ==, 10);
  g_assert_cmpuint (dbw_review_get_redo_n_pairs (fixture->review), ==, 0);

  done_clear (&done);
  signals.pairs = signals.labels = 0;
  dbw_review_undo_async (fixture->review, NULL, on_undo_done_cb, &done);
  assert_busy (fixture);
  wait_done (&done);
  g_assert_no_error (done.error);
  g_assert_cmpstr (done.pair_id, ==, ids[0]);
  g_assert_cmpuint (signals.pairs, >=, 1);
  g_assert_cmpuint (signals.labels, >=, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(DbwQaPair) undone = load_pair (fixture->store, ids[i]);

      assert_same_pair (g_ptr_array_index (before, i), undone, TRUE);
    }
  g_assert_cmpuint (dbw_review_get_redo_n_pairs (fixture->review), ==, 10);

  done_clear (&done);
  dbw_review_redo_async (fixture->review, NULL, on_redo_done_cb, &done);
  wait_done (&done);
  g_assert_no_error (done.error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==, 10);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 10);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs q JOIN canonical_labels l ON l.id = q.canonical_label_id"), ==, 10);

  /* The same refusals as at once. */
  done_clear (&done);
  dbw_review_apply_bulk_async (fixture->review, ids, DBW_REVIEW_DECISION_REJECT, " ", NULL, on_bulk_done_cb, &done);
  g_assert_false (dbw_review_get_busy (fixture->review));
  wait_done (&done);
  g_assert_error (done.error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  done_clear (&done);
  dbw_review_apply_bulk_async (fixture->review, ids, DBW_REVIEW_DECISION_EDIT, "x", NULL, on_bulk_done_cb, &done);
  wait_done (&done);
  g_assert_error (done.error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID);
  done_clear (&done);
  dbw_review_redo_async (fixture->review, NULL, on_redo_done_cb, &done);
  wait_done (&done);
  g_assert_error (done.error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_NOTHING_TO_UNDO);
  done_clear (&done);

  g_signal_handlers_disconnect_by_data (fixture->store, &signals);
  g_signal_handlers_disconnect_by_data (fixture->review, &signals);
  g_free (signals.last_decided);
}

/* Cancelled, a run rolls its whole step back: nothing changed, nothing to undo. A cancelled
 * undo leaves its step to undo later. */
static void
test_background_cancel (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const char *ids[] = { pair_id (fixture, 0), pair_id (fixture, 1), pair_id (fixture, 2), NULL };
  Signals signals = { 0 };
  Done done = { 0 };

  g_signal_connect (fixture->review, "decided", G_CALLBACK (on_decided_cb), &signals);

  g_cancellable_cancel (cancellable);
  dbw_review_apply_bulk_async (fixture->review, ids, DBW_REVIEW_DECISION_FLAG, "later", cancellable, on_bulk_done_cb, &done);
  wait_done (&done);
  g_assert_error (done.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (done.ok);
  g_assert_false (dbw_review_get_busy (fixture->review));
  g_assert_false (dbw_review_get_can_undo (fixture->review));
  g_assert_cmpuint (signals.decided, ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status <> 'unlabeled'"), ==, 0);

  /* Decided for real, then an undo that is cancelled: the step stays to undo. */
  g_assert_true (dbw_review_apply_bulk (fixture->review, ids, DBW_REVIEW_DECISION_APPROVE, NULL, &error));
  g_assert_no_error (error);
  done_clear (&done);
  dbw_review_undo_async (fixture->review, cancellable, on_undo_done_cb, &done);
  wait_done (&done);
  g_assert_error (done.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (dbw_review_get_can_undo (fixture->review));
  g_assert_false (dbw_review_get_can_redo (fixture->review));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"), ==, 3);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 3);

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count (*) FROM qa_pairs WHERE status <> 'unlabeled'"), ==, 0);
  done_clear (&done);

  g_signal_handlers_disconnect_by_data (fixture->review, &signals);
  g_free (signals.last_decided);
}

/* A second training sheet over the same items: approving a different answer for an item
 * already labeled saves the label's next version. */
static void
test_version_bump (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwTrainingSheet) second = gen_add_training_sheet (fixture->store, fixture->sheet, fixture->tmpl, "Second pass");
  g_autofree char *other = add_pair (fixture, second, g_ptr_array_index (fixture->items, 0), COLD);
  g_autofree char *same = add_pair (fixture, second, g_ptr_array_index (fixture->items, 2), WARM);
  g_autoptr(DbwCanonicalLabel) v1 = NULL;
  g_autoptr(DbwCanonicalLabel) v2 = NULL;
  g_autoptr(DbwCanonicalLabel) v3 = NULL;
  g_autoptr(DbwCanonicalLabel) v4 = NULL;
  g_autoptr(DbwQaPair) other_before = load_pair (fixture->store, other);
  g_autoptr(DbwQaPair) other_after = NULL;
  g_autoptr(DbwQaPair) other_undone = NULL;
  g_autoptr(GPtrArray) history = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_no_error (error);
  v1 = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpint (dbw_canonical_label_get_version (v1), ==, 1);

  /* The same answer again: the label stays as it is, and the pair is linked to it. */
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 2), &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_approve (fixture->review, same, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DbwCanonicalLabel) label = lookup_label (fixture, item_ref (fixture, 2));
    g_autoptr(DbwQaPair) pair = load_pair (fixture->store, same);

    g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);
    g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, dbw_record_get_id (DBW_RECORD (label)));
  }
  /* Undoing that keeps the label: the step did not make it. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DbwCanonicalLabel) label = lookup_label (fixture, item_ref (fixture, 2));

    g_assert_nonnull (label);
    g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);
  }

  dbw_store_set_user (fixture->store, "bea@example.org");
  g_assert_true (dbw_review_approve (fixture->review, other, &error));
  g_assert_no_error (error);
  v2 = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (v2)), ==, dbw_record_get_id (DBW_RECORD (v1)));
  g_assert_cmpint (dbw_canonical_label_get_version (v2), ==, 2);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (v2), ==, COLD);
  g_assert_cmpstr (dbw_canonical_label_get_labeled_by (v2), ==, "ada@example.org");
  g_assert_cmpstr (dbw_canonical_label_get_last_modified_by (v2), ==, "bea@example.org");
  other_after = load_pair (fixture->store, other);
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (other_after), ==, dbw_record_get_id (DBW_RECORD (v1)));

  history = dbw_canonical_ops_list_history (fixture->store, dbw_record_get_id (DBW_RECORD (v2)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (((DbwCanonicalVersion *) g_ptr_array_index (history, 1))->label_data, ==, WARM);
  g_assert_cmpstr (((DbwCanonicalVersion *) g_ptr_array_index (history, 1))->modified_by, ==, "ada@example.org");

  /* Undo: versions only go up; the old answer comes back as version 3. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  v3 = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpint (dbw_canonical_label_get_version (v3), ==, 3);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (v3), ==, WARM);
  other_undone = load_pair (fixture->store, other);
  assert_same_pair (other_before, other_undone, TRUE);

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  v4 = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpint (dbw_canonical_label_get_version (v4), ==, 4);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (v4), ==, COLD);
}

/* A label that is neither text nor JSON object (a number) gives the answer "42"; approving
 * that answer leaves the label as it is. */
static void
test_number_label (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
  g_autoptr(DbwTrainingSheet) second = NULL;
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwCanonicalLabel) after = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autofree char *answer = NULL;

  dbw_template_set_template_id (tmpl, "free-text");
  dbw_template_set_name (tmpl, "Anything goes");
  dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_PUBLISHED);
  dbw_template_set_label_type (tmpl, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_user_prompt_template (tmpl, "{{ city }}");
  dbw_template_set_output_schema (tmpl, "{}");
  g_assert_true (dbw_store_insert (fixture->store, tmpl, &error));
  g_assert_no_error (error);
  second = gen_add_training_sheet (fixture->store, fixture->sheet, tmpl, "Free text");
  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_MANUAL, NULL, &error);
  g_assert_no_error (error);

  label = gen_add_canonical (fixture->store, fixture->sheet, item_ref (fixture, 9), DBW_LABEL_TYPE_CLASSIFICATION, "42");
  pair = dbw_pair_builder_build (builder, dbw_record_get_id (DBW_RECORD (second)),
                                 g_ptr_array_index (fixture->items, 9), label, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dbw_store_insert (fixture->store, pair, &error));
  g_assert_no_error (error);
  answer = answer_of (pair);
  g_assert_cmpstr (answer, ==, "42");

  g_assert_true (dbw_review_approve (fixture->review, dbw_record_get_id (DBW_RECORD (pair)), &error));
  g_assert_no_error (error);
  after = lookup_label (fixture, item_ref (fixture, 9));
  g_assert_cmpint (dbw_canonical_label_get_version (after), ==, 1);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (after), ==, "42");

  /* Text that is not JSON becomes a JSON string. */
  g_assert_true (dbw_review_edit (fixture->review, dbw_record_get_id (DBW_RECORD (pair)), "forty-three", &error));
  g_assert_no_error (error);
  g_clear_object (&after);
  after = lookup_label (fixture, item_ref (fixture, 9));
  g_assert_cmpint (dbw_canonical_label_get_version (after), ==, 2);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (after), ==, "\"forty-three\"");
}

/* Two decisions on one pair undo one after the other. */
static void
test_undo_chain (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) before = load_pair (fixture->store, pair_id (fixture, 4));
  g_autoptr(DbwQaPair) approved = NULL;
  g_autoptr(DbwQaPair) now = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 4), &error));
  g_assert_no_error (error);
  approved = load_pair (fixture->store, pair_id (fixture, 4));
  g_assert_true (dbw_review_flag (fixture->review, pair_id (fixture, 4), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_reject (fixture->review, pair_id (fixture, 5), "Wrong city", &error));
  g_assert_no_error (error);

  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  now = load_pair (fixture->store, pair_id (fixture, 4));
  assert_same_pair (approved, now, TRUE);
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&now);
  now = load_pair (fixture->store, pair_id (fixture, 4));
  assert_same_pair (before, now, TRUE);
  g_assert_null (lookup_label (fixture, item_ref (fixture, 4)));

  /* A new decision forgets what was undone. */
  g_assert_true (dbw_review_get_can_redo (fixture->review));
  g_assert_true (dbw_review_flag (fixture->review, pair_id (fixture, 6), "?", &error));
  g_assert_no_error (error);
  g_assert_false (dbw_review_get_can_redo (fixture->review));
  g_assert_null (dbw_review_get_redo_description (fixture->review));
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  guint undone = 0;

  g_signal_connect (fixture->review, "notify::can-undo", G_CALLBACK (on_notify_cb), &notified);

  for (guint i = 0; i < 205; i++)
    {
      g_assert_true (dbw_review_flag (fixture->review, pair_id (fixture, i % N_PAIRS), NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (notified, ==, 1);

  while (dbw_review_get_can_undo (fixture->review))
    {
      g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
      g_assert_no_error (error);
      undone++;
    }
  g_assert_cmpuint (undone, ==, 200);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;

  /* Someone changed the pair after the decision: undo keeps their change. */
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_no_error (error);
  pair = load_pair (fixture->store, pair_id (fixture, 0));
  dbw_qa_pair_set_quality_score (pair, 0.9);
  g_assert_true (dbw_store_update (fixture->store, pair, &error));
  g_assert_no_error (error);

  g_assert_false (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (dbw_review_get_can_undo (fixture->review));
  g_clear_object (&pair);
  pair = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
  g_assert_cmpfloat (dbw_qa_pair_get_quality_score (pair), ==, 0.9);
  g_assert_true (has_label (fixture, item_ref (fixture, 0)));

  /* The same when they changed a column the decision set. */
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 3), &error));
  g_assert_no_error (error);
  g_clear_object (&pair);
  pair = load_pair (fixture->store, pair_id (fixture, 3));
  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_FLAGGED);
  g_assert_true (dbw_store_update (fixture->store, pair, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&pair);
  pair = load_pair (fixture->store, pair_id (fixture, 3));
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_FLAGGED);

  /* And for redo, when the pair changed after the undo. */
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 4), &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&pair);
  pair = load_pair (fixture->store, pair_id (fixture, 4));
  dbw_qa_pair_set_quality_score (pair, 0.25);
  g_assert_true (dbw_store_update (fixture->store, pair, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (dbw_review_get_can_redo (fixture->review));
  g_clear_object (&pair);
  pair = load_pair (fixture->store, pair_id (fixture, 4));
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_cmpfloat (dbw_qa_pair_get_quality_score (pair), ==, 0.25);

  /* Someone saved a new version of the label (Mode B): undo keeps it. */
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 1), &error));
  g_assert_no_error (error);
  label = lookup_label (fixture, item_ref (fixture, 1));
  dbw_canonical_label_set_notes (label, "Checked against the 1990 normals");
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);

  g_assert_false (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&label);
  label = lookup_label (fixture, item_ref (fixture, 1));
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 2);

  /* A label now reused by another pair is not removed from under it. */
  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 2), &error));
  g_assert_no_error (error);
  {
    g_autoptr(DbwTrainingSheet) second = gen_add_training_sheet (fixture->store, fixture->sheet, fixture->tmpl, "Regenerated");
    g_autoptr(DbwCanonicalLabel) reused = lookup_label (fixture, item_ref (fixture, 2));
    g_autoptr(DbwQaPair) regenerated = NULL;

    regenerated = dbw_pair_builder_build (fixture->builder, dbw_record_get_id (DBW_RECORD (second)),
                                          g_ptr_array_index (fixture->items, 2), reused, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (dbw_store_insert (fixture->store, regenerated, &error));
    g_assert_no_error (error);
  }
  g_assert_false (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (has_label (fixture, item_ref (fixture, 2)));

  /* A deleted pair cannot be decided on. */
  g_assert_false (dbw_review_flag (fixture->review, "no-such-pair", NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_NOT_FOUND);
}

/* Label once, reuse everywhere: a pair built again for an approved item is labeled from the
 * canonical label with the same answer. */
/* An approval taken back, then the item labeled by an expert: redoing it would make a
 * second label of the same kind, so it is a conflict, the expert's label stays and the step
 * is dropped. */
static void
test_redo_after_labeled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwCanonicalLabel) expert = NULL;
  g_autoptr(DbwCanonicalLabel) kept = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  expert = gen_add_canonical (fixture->store, fixture->sheet, item_ref (fixture, 0),
                              DBW_LABEL_TYPE_CLASSIFICATION, COLD);

  g_assert_false (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT);
  g_assert_false (dbw_review_get_can_redo (fixture->review));
  kept = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (kept)), ==, dbw_record_get_id (DBW_RECORD (expert)));
  g_assert_cmpstr (dbw_canonical_label_get_label_data (kept), ==, COLD);
}

/* Approve then reject the same pair, undo both and redo both: the first redo makes the
 * label again under a new id, and the second still finds the pair as the first left it. */
static void
test_redo_after_relabel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;

  g_assert_true (dbw_review_approve (fixture->review, pair_id (fixture, 0), &error));
  g_assert_true (dbw_review_reject (fixture->review, pair_id (fixture, 0), "Not warm at all", &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dbw_review_redo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_review_get_can_redo (fixture->review));

  pair = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_REJECTED);
  label = lookup_label (fixture, item_ref (fixture, 0));
  g_assert_nonnull (label);
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (pair), ==, dbw_record_get_id (DBW_RECORD (label)));

  /* And back down again. */
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_true (dbw_review_undo (fixture->review, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&pair);
  pair = load_pair (fixture->store, pair_id (fixture, 0));
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_null (lookup_label (fixture, item_ref (fixture, 0)));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwTrainingSheet) second = gen_add_training_sheet (fixture->store, fixture->sheet, fixture->tmpl, "Next run");
  g_autoptr(DbwQaPair) approved = NULL;
  g_autoptr(DbwQaPair) rebuilt = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autofree char *approved_answer = NULL;
  g_autofree char *rebuilt_answer = NULL;

  g_assert_true (dbw_review_edit (fixture->review, pair_id (fixture, 7), COLD, &error));
  g_assert_no_error (error);
  approved = load_pair (fixture->store, pair_id (fixture, 7));
  label = lookup_label (fixture, item_ref (fixture, 7));

  rebuilt = dbw_pair_builder_build (fixture->builder, dbw_record_get_id (DBW_RECORD (second)),
                                    g_ptr_array_index (fixture->items, 7), label, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_qa_pair_get_status (rebuilt), ==, DBW_QA_STATUS_LABELED);
  g_assert_cmpint (dbw_qa_pair_get_labeling_mode (rebuilt), ==, DBW_LABELING_MODE_CANONICAL);
  g_assert_cmpstr (dbw_qa_pair_get_canonical_label_id (rebuilt), ==, dbw_record_get_id (DBW_RECORD (label)));
  approved_answer = answer_of (approved);
  rebuilt_answer = answer_of (rebuilt);
  g_assert_cmpstr (rebuilt_answer, ==, approved_answer);
}

static void
test_label_data (void)
{
  static const struct { const char *content; const char *label_data; } cases[] = {
    { "{ \"label\" : \"warm\" }", "{\"label\":\"warm\"}" },
    { "[1, 2.5, {\"a\": null}]", "[1,2.5,{\"a\":null}]" },
    { "Oslo is cold in winter.", "\"Oslo is cold in winter.\"" },
    { "42", "\"42\"" },
    { "\"quoted\"", "\"\\\"quoted\\\"\"" },
    { "line one\nline \"two\"", "\"line one\\nline \\\"two\\\"\"" },
    { "", "\"\"" },
    { "{not json", "\"{not json\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label_data = dbw_review_label_data_for_content (cases[i].content);
      g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
      g_autofree char *content = NULL;
      g_autofree char *again = NULL;

      g_assert_cmpstr (label_data, ==, cases[i].label_data);

      /* And back: the answer the label gives is the answer approved (compact for JSON). */
      dbw_canonical_label_set_label_data (label, label_data);
      content = dbw_pair_builder_label_content (label);
      again = dbw_review_label_data_for_content (content);
      g_assert_cmpstr (again, ==, label_data);
      if (label_data[0] == '"')
        g_assert_cmpstr (content, ==, cases[i].content);
    }
}

/* Crash safety: a child process decides, the parent kills it. */

#define CRASH_DECISIONS 20

static void
decide_nth (DbwReview  *review,
            GPtrArray  *pair_ids,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  const char *id = g_ptr_array_index (pair_ids, n);
  g_autofree char *text = g_strdup_printf ("decision %u", n + 1);

  switch (n % 4)
    {
    case 0:
      dbw_review_approve (review, id, &error);
      break;
    case 1:
      dbw_review_reject (review, id, text, &error);
      break;
    case 2:
      dbw_review_flag (review, id, text, &error);
      break;
    default:
      dbw_review_edit (review, id, n % 8 == 3 ? WARM : COLD, &error);
      break;
    }
  g_assert_no_error (error);
}

/* The child: one decision per line read from stdin, one line written after each commit. */
static int
run_child (const char *path,
           const char *ids_text)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_autoptr(DbwReview) review = NULL;
  g_auto(GStrv) ids = g_strsplit (ids_text, ",", -1);
  g_autoptr(GPtrArray) pair_ids = g_ptr_array_new ();
  char line[16];

  g_assert_no_error (error);
  dbw_store_set_user (store, "child@example.org");
  review = dbw_review_new (store);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (pair_ids, ids[i]);

  for (guint n = 0; n < pair_ids->len && fgets (line, sizeof line, stdin) != NULL; n++)
    {
      decide_nth (review, pair_ids, n);
      printf ("committed %u\n", n + 1);
      fflush (stdout);
    }

  /* Stay until killed. */
  while (fgets (line, sizeof line, stdin) != NULL)
    ;

  return 0;
}

static void
assert_decided (DbwStore   *store,
                const char *id,
                guint       n)
{
  g_autoptr(DbwQaPair) pair = load_pair (store, id);
  g_autofree char *text = g_strdup_printf ("decision %u", n + 1);

  g_assert_cmpstr (dbw_qa_pair_get_reviewed_by (pair), ==, "child@example.org");
  switch (n % 4)
    {
    case 0:
    case 3:
      g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
      g_assert_nonnull (dbw_qa_pair_get_canonical_label_id (pair));
      break;
    case 1:
      g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_REJECTED);
      g_assert_cmpstr (dbw_qa_pair_get_review_notes (pair), ==, text);
      break;
    default:
      g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_FLAGGED);
      g_assert_cmpstr (dbw_qa_pair_get_review_notes (pair), ==, text);
      break;
    }
}

static void
assert_undecided (DbwStore   *store,
                  const char *id)
{
  g_autoptr(DbwQaPair) pair = load_pair (store, id);

  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_UNLABELED);
  g_assert_null (dbw_qa_pair_get_reviewed_by (pair));
  g_assert_null (dbw_qa_pair_get_canonical_label_id (pair));
}

static void
tell_child (int fd)
{
  g_assert_cmpint (write (fd, "go\n", 3), ==, 3);
}

/* Kills the child right after it reported decision @k, with decision k + 1 on its way. */
static void
crash_after (guint k)
{
  g_autofree char *path = NULL;
  g_autofree char *ids = NULL;
  g_autoptr(GPtrArray) pair_ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  Fixture fixture = { 0 };
  GPid pid;
  int child_in;
  int child_out;
  FILE *from_child;
  int status;

  fixture_set_up (&fixture, NULL);
  path = g_strdup (dbw_store_get_path (fixture.store));
  pair_ids = g_ptr_array_ref (fixture.pair_ids);
  g_ptr_array_add (pair_ids, NULL);
  ids = g_strjoinv (",", (char **) pair_ids->pdata);
  g_ptr_array_remove_index (pair_ids, pair_ids->len - 1);
  dbw_store_close (fixture.store);

  {
    const char *argv[] = { test_program, "--review-child", path, ids, NULL };

    g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                             NULL, NULL, &pid, &child_in, &child_out, NULL, &error));
    g_assert_no_error (error);
  }
  from_child = fdopen (child_out, "r");
  g_assert_nonnull (from_child);

  for (guint n = 1; n <= k; n++)
    {
      g_autofree char *expected = g_strdup_printf ("committed %u\n", n);
      char line[32];

      tell_child (child_in);
      g_assert_nonnull (fgets (line, sizeof line, from_child));
      g_assert_cmpstr (line, ==, expected);
    }
  if (k < CRASH_DECISIONS)
    tell_child (child_in);

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_spawn_close_pid (pid);
  close (child_in);
  fclose (from_child);

  file = g_file_new_for_path (path);
  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  for (guint n = 0; n < k; n++)
    assert_decided (store, g_ptr_array_index (pair_ids, n), n);

  /* The decision under way is all there or not there at all. */
  if (k < CRASH_DECISIONS)
    {
      g_autoptr(DbwQaPair) next = load_pair (store, g_ptr_array_index (pair_ids, k));

      if (dbw_qa_pair_get_reviewed_by (next) != NULL)
        assert_decided (store, g_ptr_array_index (pair_ids, k), k);
      else
        assert_undecided (store, g_ptr_array_index (pair_ids, k));
    }
  for (guint n = k + 1; n < N_PAIRS; n++)
    assert_undecided (store, g_ptr_array_index (pair_ids, n));

  /* Labels exist exactly for the approved and edited pairs, and nothing dangles. */
  g_assert_cmpint (gen_query_int (store, "SELECT count (*) FROM canonical_labels"), ==,
                   gen_query_int (store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled'"));
  g_assert_cmpint (gen_query_int (store, "SELECT count (*) FROM qa_pairs WHERE status = 'labeled' AND canonical_label_id IS NULL"), ==, 0);

  dbw_store_close (store);
  g_clear_object (&fixture.store);
  fixture_tear_down (&fixture, NULL);
}

/* After each of the 20 decisions in turn. */
static void
test_crash (void)
{
  for (guint k = 1; k <= CRASH_DECISIONS; k++)
    {
      g_test_message ("killing after decision %u", k);
      crash_after (k);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--review-child"))
    return run_child (argv[2], argv[3]);

  test_program = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/review/approve", test_approve);
  ADD ("/review/approve-restricted-label", test_approve_restricted_label);
  ADD ("/review/edit", test_edit);
  ADD ("/review/edit-appends", test_edit_appends);
  ADD ("/review/reject", test_reject);
  ADD ("/review/flag", test_flag);
  ADD ("/review/bulk", test_bulk);
  ADD ("/review/redo-shared-label", test_redo_shared_label);
  ADD ("/review/redo-across-steps", test_redo_across_steps);
  ADD ("/review/redo-after-edit", test_redo_after_edit);
  ADD ("/review/redo-failed", test_redo_failed);
  ADD ("/review/background", test_background);
  ADD ("/review/background-cancel", test_background_cancel);
  ADD ("/review/version-bump", test_version_bump);
  ADD ("/review/number-label", test_number_label);
  ADD ("/review/undo-chain", test_undo_chain);
  ADD ("/review/bounded", test_bounded);
  ADD ("/review/conflict", test_conflict);
  ADD ("/review/redo-after-labeled", test_redo_after_labeled);
  ADD ("/review/redo-after-relabel", test_redo_after_relabel);
  ADD ("/review/round-trip", test_round_trip);
#undef ADD
  g_test_add_func ("/review/label-data", test_label_data);
  g_test_add_func ("/review/crash", test_crash);

  return g_test_run ();
}
