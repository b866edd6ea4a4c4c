/* test-governance.c
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

#include "dbw-audit-model.h"
#include "dbw-canonical-label.h"
#include "dbw-governance-private.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-training-sheet.h"
#include "generation-fixture.h"
#include "test-util.h"

#define N_RANDOM_PAIRS 100000

/* Lists as a generator may write them: known uses, strangers, or text that is no list. */
typedef struct
{
  GStrv     strv;       /* NULL when malformed */
  char     *json;
  gboolean  malformed;
} RandomList;

static void
random_list_clear (RandomList *list)
{
  g_clear_pointer (&list->strv, g_strfreev);
  g_clear_pointer (&list->json, g_free);
}

static void
random_list (RandomList *list)
{
  static const char *strangers[] = { "Training", "train", "", "few-shot", "évaluation" };
  static const char *malformed[] = {
    "", "[", "]", "[\"training\"", "[\"training\",]", "[training]", "{\"training\":1}",
    "[1]", "[\"training\", 2]", "[null]", "\"training\"", "[\"training\"] x", "[[\"training\"]]",
    "[\"train\\ning\"", "[,\"training\"]",
  };
  const char * const *uses = dbw_use_all ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) json = g_string_new ("[");

  list->malformed = g_test_rand_int_range (0, 20) == 0;
  if (list->malformed)
    {
      list->strv = NULL;
      list->json = g_strdup (malformed[g_test_rand_int_range (0, G_N_ELEMENTS (malformed))]);
      return;
    }

  for (int i = 0, n = g_test_rand_int_range (0, 7); i < n; i++)
    {
      const char *use = g_test_rand_int_range (0, 8) == 0
                          ? strangers[g_test_rand_int_range (0, G_N_ELEMENTS (strangers))]
                          : uses[g_test_rand_int_range (0, DBW_N_USES)];
      g_autofree char *escaped = g_strescape (use, NULL);

      g_strv_builder_add (builder, use);
      /* Spaces and escapes as other writers put them: "\u0074raining" is "training". */
      if (g_test_rand_bit () && g_str_equal (use, DBW_USE_TRAINING))
        g_string_append_printf (json, "%s%s\"\\u0074raining\"", json->len > 1 ? "," : "",
                                g_test_rand_bit () ? " " : "");
      else
        {
          g_autofree char *utf8 = NULL;

          /* g_strescape() escapes non-ASCII as octal; JSON wants it as is. */
          utf8 = g_utf8_validate (use, -1, NULL) && !g_str_is_ascii (use) ? g_strdup (use) : g_steal_pointer (&escaped);
          g_string_append_printf (json, "%s%s\"%s\"", json->len > 1 ? "," : "",
                                  g_test_rand_bit () ? " " : "", utf8);
        }
    }
  g_string_append_c (json, ']');
  list->strv = g_strv_builder_end (builder);
  list->json = g_string_free (g_steal_pointer (&json), FALSE);
}

static void
test_gate_property (void)
{
  const char * const *uses = dbw_use_all ();
  guint n_passed = 0;

  for (guint i = 0; i < N_RANDOM_PAIRS; i++)
    {
      DbwQaStatus status = g_test_rand_int_range (DBW_QA_STATUS_UNLABELED, DBW_QA_STATUS_FLAGGED + 1);
      RandomList allowed = { 0 }, prohibited = { 0 };

      random_list (&allowed);
      random_list (&prohibited);

      for (guint u = 0; uses[u] != NULL; u++)
        {
          const char *use = uses[u];
          DbwGateVerdict from_json = dbw_governance_check_json (status, allowed.json, prohibited.json, use);
          DbwGateVerdict expected;

          /* The rule, written out again: first not labeled, then prohibited (a list that
           * cannot be read prohibits everything), then not allowed. */
          if (status != DBW_QA_STATUS_LABELED)
            expected = DBW_GATE_NOT_LABELED;
          else if (prohibited.malformed || g_strv_contains ((const char * const *) prohibited.strv, use))
            expected = DBW_GATE_PROHIBITED;
          else if (allowed.malformed || !g_strv_contains ((const char * const *) allowed.strv, use))
            expected = DBW_GATE_NOT_ALLOWED;
          else
            expected = DBW_GATE_PASS;

          if (from_json != expected)
            g_error ("pair %u, use %s, status %d, allowed %s, prohibited %s: verdict %d, expected %d",
                     i, use, status, allowed.json, prohibited.json, from_json, expected);

          if (!allowed.malformed && !prohibited.malformed)
            {
              DbwGateVerdict from_strv = dbw_governance_check (status,
                                                               (const char * const *) allowed.strv,
                                                               (const char * const *) prohibited.strv,
                                                               use);
              if (from_strv != from_json)
                g_error ("pair %u, use %s: check() says %d, check_json() says %d (%s / %s)",
                         i, use, from_strv, from_json, allowed.json, prohibited.json);
            }

          if (from_json == DBW_GATE_PASS)
            {
              n_passed++;
              g_assert_cmpint (status, ==, DBW_QA_STATUS_LABELED);
              g_assert_false (allowed.malformed || prohibited.malformed);
              g_assert_true (g_strv_contains ((const char * const *) allowed.strv, use));
              g_assert_false (g_strv_contains ((const char * const *) prohibited.strv, use));
            }
        }

      random_list_clear (&allowed);
      random_list_clear (&prohibited);
    }

  /* The generator reaches every verdict, passing included. */
  g_assert_cmpuint (n_passed, >, 1000);
}

static void
test_gate_order (void)
{
  const char *training[] = { DBW_USE_TRAINING, NULL };

  g_assert_cmpint (dbw_governance_check (DBW_QA_STATUS_FLAGGED, training, training, "training"), ==, DBW_GATE_NOT_LABELED);
  g_assert_cmpint (dbw_governance_check (DBW_QA_STATUS_LABELED, training, training, "training"), ==, DBW_GATE_PROHIBITED);
  g_assert_cmpint (dbw_governance_check (DBW_QA_STATUS_LABELED, NULL, NULL, "training"), ==, DBW_GATE_NOT_ALLOWED);
  g_assert_cmpint (dbw_governance_check (DBW_QA_STATUS_LABELED, training, NULL, "training"), ==, DBW_GATE_PASS);
  g_assert_cmpint (dbw_governance_check_json (DBW_QA_STATUS_LABELED, "[\"training\"]", "not json", "training"), ==, DBW_GATE_PROHIBITED);
  g_assert_cmpint (dbw_governance_check_json (DBW_QA_STATUS_LABELED, "[\"training\"", "[]", "training"), ==, DBW_GATE_NOT_ALLOWED);
  g_assert_cmpstr (dbw_gate_verdict_describe (DBW_GATE_PROHIBITED, "training"), ==, "Prohibited for training");
}

/* Applying changes */

typedef struct
{
  char             *dir;
  DbwStore         *store;
  DbwSheet         *sheet;
  DbwTrainingSheet *training_sheet;
  GPtrArray        *pair_ids;
  DbwCanonicalLabel *label;
} Fixture;

#define N_PAIRS 6

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *allowed[] = { DBW_USE_TRAINING, DBW_USE_EVALUATION, NULL };

  fixture->dir = test_make_dir ();
  fixture->store = test_create_store (fixture->dir, "governance.dbw");
  fixture->sheet = gen_add_sheet (fixture->store, "Cities", N_PAIRS);
  fixture->training_sheet = dbw_training_sheet_new ();
  dbw_training_sheet_set_name (fixture->training_sheet, "Climate");
  dbw_training_sheet_set_sheet_id (fixture->training_sheet, dbw_record_get_id (DBW_RECORD (fixture->sheet)));
  g_assert_true (dbw_store_insert (fixture->store, fixture->training_sheet, &error));
  g_assert_no_error (error);

  fixture->pair_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
      g_autofree char *ref = g_strdup_printf ("row_%u", i);

      dbw_qa_pair_set_training_sheet_id (pair, dbw_record_get_id (DBW_RECORD (fixture->training_sheet)));
      dbw_qa_pair_set_item_ref (pair, ref);
      dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);
      dbw_qa_pair_set_allowed_uses (pair, allowed);
      dbw_qa_pair_set_reviewed_by (pair, "rita@example.org");
      dbw_qa_pair_set_reviewed_at (pair, "2026-02-01T09:00:00.000Z");
      g_assert_true (dbw_store_insert (fixture->store, pair, &error));
      g_assert_no_error (error);
      g_ptr_array_add (fixture->pair_ids, g_strdup (dbw_record_get_id (DBW_RECORD (pair))));
    }
  g_ptr_array_add (fixture->pair_ids, NULL);

  fixture->label = gen_add_canonical (fixture->store, fixture->sheet, "row_0", DBW_LABEL_TYPE_CLASSIFICATION,
                                      "{\"label\":\"warm\"}");
  /* Setting up wrote no audit rows; from here on every change is the governor's. */
  dbw_store_set_user (fixture->store, "gus@example.org");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->label);
  g_clear_pointer (&fixture->pair_ids, g_ptr_array_unref);
  g_clear_object (&fixture->training_sheet);
  g_clear_object (&fixture->sheet);
  dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  test_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static const char * const *
all_pairs (Fixture *fixture)
{
  return (const char * const *) fixture->pair_ids->pdata;
}

static gint64
count_audit (Fixture *fixture)
{
  return gen_query_int (fixture->store, "SELECT count(*) FROM usage_constraint_audit");
}

static DbwQaPair *
load_pair (Fixture *fixture,
           guint    i)
{
  g_autoptr(GError) error = NULL;
  DbwQaPair *pair = dbw_store_get (fixture->store, DBW_TYPE_QA_PAIR, all_pairs (fixture)[i], &error);

  g_assert_no_error (error);
  return pair;
}

static void
test_apply_needs_reason (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbwConstraintChange change;
  gint64 before = count_audit (fixture);

  dbw_constraint_change_init (&change);
  change.uses[0] = DBW_USE_STATE_PROHIBITED;
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, all_pairs (fixture),
                                         &change, &error), ==, -1);
  g_assert_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NO_REASON);
  g_clear_error (&error);

  change.reason = "  \n ";
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, all_pairs (fixture),
                                         &change, &error), ==, -1);
  g_assert_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NO_REASON);
  g_assert_cmpint (count_audit (fixture), ==, before);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(*) FROM qa_pairs WHERE prohibited_uses <> '[]'"), ==, 0);
}

static void
test_apply_single_pair (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autofree char *who = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *new_prohibited = NULL;
  DbwConstraintChange change;
  guint n_changed = 0;

  dbw_constraint_change_init (&change);
  change.uses[0] = DBW_USE_STATE_PROHIBITED;   /* training */
  change.uses[3] = DBW_USE_STATE_ALLOWED;      /* few_shot */
  change.classification = DBW_CLASSIFICATION_CONFIDENTIAL;
  change.reason = "Customer data: contract forbids training";

  {
    const char *ids[] = { all_pairs (fixture)[1], NULL };

    n_changed = dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, ids, &change, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 1);

  pair = load_pair (fixture, 1);
  g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (pair), "training"));
  g_assert_false (g_strv_contains (dbw_qa_pair_get_allowed_uses (pair), "training"));
  g_assert_true (g_strv_contains (dbw_qa_pair_get_allowed_uses (pair), "few_shot"));
  g_assert_true (g_strv_contains (dbw_qa_pair_get_allowed_uses (pair), "evaluation"));
  g_assert_cmpint (dbw_qa_pair_get_data_classification (pair), ==, DBW_CLASSIFICATION_CONFIDENTIAL);
  g_assert_cmpstr (dbw_qa_pair_get_usage_reason (pair), ==, change.reason);
  /* The review stays as it was: the governor did not review the pair. */
  g_assert_cmpstr (dbw_qa_pair_get_reviewed_by (pair), ==, "rita@example.org");
  g_assert_cmpstr (dbw_qa_pair_get_reviewed_at (pair), ==, "2026-02-01T09:00:00.000Z");

  g_assert_cmpint (count_audit (fixture), ==, 1);
  who = gen_query_text (fixture->store, "SELECT modified_by FROM usage_constraint_audit");
  reason = gen_query_text (fixture->store, "SELECT reason FROM usage_constraint_audit");
  new_prohibited = gen_query_text (fixture->store, "SELECT new_prohibited_uses FROM usage_constraint_audit");
  g_assert_cmpstr (who, ==, "gus@example.org");
  g_assert_cmpstr (reason, ==, change.reason);
  g_assert_cmpstr (new_prohibited, ==, "[\"training\"]");
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM usage_constraint_audit WHERE target_table = 'qa_pairs' "
                                  "AND old_data_classification = 'internal' AND new_data_classification = 'confidential'"), ==, 1);

  /* The same change again changes nothing and is not audited again. */
  {
    const char *ids[] = { all_pairs (fixture)[1], NULL };

    g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, ids, &change, &error), ==, 0);
  }
  g_assert_no_error (error);
  g_assert_cmpint (count_audit (fixture), ==, 1);
}

static void
test_apply_bulk_keeps (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbwConstraintChange change;

  /* First one pair gets few_shot; the bulk change must not take it away. */
  dbw_constraint_change_init (&change);
  change.uses[3] = DBW_USE_STATE_ALLOWED;
  change.reason = "Good example";
  {
    const char *ids[] = { all_pairs (fixture)[2], NULL };

    g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, ids, &change, &error), ==, 1);
  }

  dbw_constraint_change_init (&change);
  change.uses[1] = DBW_USE_STATE_PROHIBITED;   /* validation */
  change.uses[2] = DBW_USE_STATE_NEITHER;      /* evaluation */
  change.reason = "Holdout policy";
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, all_pairs (fixture),
                                         &change, &error), ==, N_PAIRS);
  g_assert_no_error (error);

  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autoptr(DbwQaPair) pair = load_pair (fixture, i);
      const char * const *allowed = dbw_qa_pair_get_allowed_uses (pair);

      g_assert_true (g_strv_contains (allowed, "training"));
      g_assert_false (g_strv_contains (allowed, "evaluation"));
      g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (pair), "validation"));
      g_assert_cmpint (g_strv_contains (allowed, "few_shot"), ==, i == 2);
      g_assert_cmpint (dbw_qa_pair_get_data_classification (pair), ==, DBW_CLASSIFICATION_INTERNAL);
    }
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM usage_constraint_audit WHERE reason = 'Holdout policy' "
                                  "AND modified_by = 'gus@example.org'"), ==, N_PAIRS);
}

static void
test_apply_all_or_nothing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbwConstraintChange change;
  const char *ids[] = { all_pairs (fixture)[0], "no-such-pair", NULL };

  dbw_constraint_change_init (&change);
  change.uses[0] = DBW_USE_STATE_PROHIBITED;
  change.reason = "Mistake";
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, ids, &change, &error), ==, -1);
  g_assert_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-pair"));
  g_assert_cmpint (count_audit (fixture), ==, 0);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(*) FROM qa_pairs WHERE prohibited_uses <> '[]'"), ==, 0);
}

static void
test_apply_label (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  DbwConstraintChange change;
  const char *ids[] = { dbw_record_get_id (DBW_RECORD (fixture->label)), NULL };

  dbw_constraint_change_init (&change);
  change.uses[0] = DBW_USE_STATE_ALLOWED;
  change.classification = DBW_CLASSIFICATION_PUBLIC;
  change.reason = "Released by the customer";
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_CANONICAL_LABEL, ids, &change, &error), ==, 1);
  g_assert_no_error (error);

  label = dbw_store_get (fixture->store, DBW_TYPE_CANONICAL_LABEL, ids[0], &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains (dbw_canonical_label_get_allowed_uses (label), "training"));
  g_assert_false (g_strv_contains (dbw_canonical_label_get_prohibited_uses (label), "training"));
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 2);
  g_assert_cmpstr (dbw_canonical_label_get_last_modified_by (label), ==, "gus@example.org");
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count(*) FROM canonical_label_history"), ==, 1);
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM usage_constraint_audit WHERE target_table = 'canonical_labels' "
                                  "AND modified_by = 'gus@example.org' AND reason = 'Released by the customer' "
                                  "AND new_data_classification = 'public'"), ==, 1);
}

static void
on_changed (DbwStore      *store,
            const char    *table,
            DbwChangeKind  kind,
            const char    *id,
            gpointer       user_data)
{
  guint *n_pair_changes = user_data;

  if (g_str_equal (table, "qa_pairs"))
    (*n_pair_changes)++;
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gint64 *n_changed = user_data;
  g_autoptr(GError) error = NULL;

  *n_changed = dbw_governance_apply_finish (DBW_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_apply_async (Fixture       *fixture,
                  gconstpointer  data)
{
  DbwConstraintChange change;
  gint64 n_changed = -2;
  guint n_pair_changes = 0;
  g_autofree char *reason = g_strdup ("Bulk: prohibit testing");
  gulong handler;

  handler = g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), &n_pair_changes);
  dbw_constraint_change_init (&change);
  change.uses[4] = DBW_USE_STATE_PROHIBITED;
  change.reason = reason;
  dbw_governance_apply_async (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, all_pairs (fixture), &change,
                              NULL, on_applied, &n_changed);
  /* The change was copied: the caller's reason may go at once. */
  g_clear_pointer (&reason, g_free);
  while (n_changed == -2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (n_changed, ==, N_PAIRS);
  g_assert_cmpuint (n_pair_changes, >=, 1);
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM usage_constraint_audit WHERE reason = 'Bulk: prohibit testing' "
                                  "AND modified_by = 'gus@example.org'"), ==, N_PAIRS);
  g_signal_handler_disconnect (fixture->store, handler);
}

/* Cancel pressed once the change has committed: the change is made and said so, and the
 * lists showing the pairs hear of it. */
static void
test_apply_async_cancel_late (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  DbwConstraintChange change;
  gint64 n_changed = -2;
  guint n_pair_changes = 0;
  gulong handler;

  handler = g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), &n_pair_changes);
  dbw_constraint_change_init (&change);
  change.uses[4] = DBW_USE_STATE_PROHIBITED;
  change.reason = "Bulk: prohibit testing";
  dbw_governance_apply_async (fixture->store, DBW_GOVERNANCE_TARGET_QA_PAIR, all_pairs (fixture), &change,
                              cancellable, on_applied, &n_changed);
  /* The main context does not run meanwhile: the result waits for it. */
  while (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit") < N_PAIRS)
    g_usleep (1000);
  g_cancellable_cancel (cancellable);
  while (n_changed == -2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (n_changed, ==, N_PAIRS);
  g_assert_cmpuint (n_pair_changes, >=, 1);
  g_signal_handler_disconnect (fixture->store, handler);
}

static void
wait_audit_loaded (DbwAuditModel *model)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (dbw_audit_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

/* The audit log shows an entry as soon as a row's constraints change, whichever way they
 * were changed; a change that leaves the constraints alone does not read the log again. */
static void
test_audit_model_follows (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(DbwAuditModel) model = dbw_audit_model_new (fixture->store);
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(GError) error = NULL;
  const char *prohibited[] = { DBW_USE_TESTING, NULL };

  wait_audit_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  pair = dbw_store_get (fixture->store, DBW_TYPE_QA_PAIR, all_pairs (fixture)[0], &error);
  g_assert_no_error (error);
  dbw_qa_pair_set_review_notes (pair, "Checked twice");
  g_assert_true (dbw_store_update (fixture->store, pair, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_audit_model_get_loading (model));

  dbw_qa_pair_set_prohibited_uses (pair, prohibited);
  g_assert_true (dbw_store_update (fixture->store, pair, &error));
  g_assert_no_error (error);
  wait_audit_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
}

/* The uses of a row's list, as a sorted text, for comparing with one expected. */
static char *
uses_of (Fixture    *fixture,
         const char *table,
         const char *column,
         const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT group_concat (value, ',') FROM "
                                          "(SELECT value FROM %s, json_each (%s.%s) WHERE %s.id = '%s' ORDER BY value)",
                                          table, table, column, table, id);
  char *uses = gen_query_text (fixture->store, sql);

  return uses != NULL ? uses : g_strdup ("");
}

static char *
classification_of (Fixture    *fixture,
                   const char *table,
                   const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT data_classification FROM %s WHERE id = '%s'", table, id);

  return gen_query_text (fixture->store, sql);
}

#define assert_uses(fixture, table, column, id, expected) \
  G_STMT_START { \
    g_autofree char *uses__ = uses_of (fixture, table, column, id); \
    g_assert_cmpstr (uses__, ==, expected); \
  } G_STMT_END

#define assert_classification(fixture, table, id, expected) \
  G_STMT_START { \
    g_autofree char *class__ = classification_of (fixture, table, id); \
    g_assert_cmpstr (class__, ==, expected); \
  } G_STMT_END

static void
link_pair_to_label (Fixture *fixture,
                    guint    i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) pair = load_pair (fixture, i);

  dbw_qa_pair_set_canonical_label_id (pair, dbw_record_get_id (DBW_RECORD (fixture->label)));
  dbw_qa_pair_set_labeling_mode (pair, DBW_LABELING_MODE_CANONICAL);
  g_assert_true (dbw_store_update (fixture->store, pair, &error));
  g_assert_no_error (error);
}

/* What a label newly prohibits reaches the pairs that reuse it; lifting it does not. */
static void
test_carry_label_to_pairs (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DbwConstraintChange change;
  const char *ids[] = { dbw_record_get_id (DBW_RECORD (fixture->label)), NULL };
  const char *reused = all_pairs (fixture)[0];
  const char *other = all_pairs (fixture)[1];
  gint64 before;

  link_pair_to_label (fixture, 0);

  dbw_constraint_change_init (&change);
  change.uses[2] = DBW_USE_STATE_PROHIBITED;  /* evaluation */
  change.classification = DBW_CLASSIFICATION_RESTRICTED;
  change.reason = "The customer withdrew consent";
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_CANONICAL_LABEL, ids, &change, &error), ==, 1);
  g_assert_no_error (error);

  assert_uses (fixture, "qa_pairs", "prohibited_uses", reused, "evaluation");
  assert_uses (fixture, "qa_pairs", "allowed_uses", reused, "training");
  assert_classification (fixture, "qa_pairs", reused, "restricted");
  assert_uses (fixture, "qa_pairs", "prohibited_uses", other, "");
  assert_uses (fixture, "qa_pairs", "allowed_uses", other, "evaluation,training");
  assert_classification (fixture, "qa_pairs", other, "internal");
  /* Audited as the governor's change, not as the reviewer's. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM usage_constraint_audit WHERE target_table = 'qa_pairs' "
                                            "AND target_id = '%s' AND modified_by = 'gus@example.org' "
                                            "AND reason = 'The customer withdrew consent'", reused);

    g_assert_cmpint (gen_query_int (fixture->store, sql), ==, 1);
  }
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM usage_constraint_audit WHERE target_table = 'qa_pairs'"), ==, 1);

  /* Allowing it again is the label's own business. */
  before = count_audit (fixture);
  change.uses[2] = DBW_USE_STATE_ALLOWED;
  change.classification = DBW_CLASSIFICATION_INTERNAL;
  change.reason = "Consent renewed";
  g_assert_cmpint (dbw_governance_apply (fixture->store, DBW_GOVERNANCE_TARGET_CANONICAL_LABEL, ids, &change, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (count_audit (fixture), ==, before + 1);
  assert_uses (fixture, "qa_pairs", "prohibited_uses", reused, "evaluation");
  assert_classification (fixture, "qa_pairs", reused, "restricted");
}

/* A source newly found to hold personal data restricts its item, and with it the item's
 * labels, the pairs made from it and the items derived from it. */
static void
test_carry_item (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) derived_sheet = dbw_sheet_new ();
  g_autoptr(DbwItem) derived = dbw_item_new ();
  g_autofree char *item_id = gen_query_text (fixture->store, "SELECT id FROM items WHERE item_ref = 'row_0'");
  const char *label_id = dbw_record_get_id (DBW_RECORD (fixture->label));
  const char *prohibited[] = { DBW_USE_VALIDATION, DBW_USE_FEW_SHOT, NULL };
  const char *from_item = all_pairs (fixture)[0];
  const char *other = all_pairs (fixture)[1];
  gint64 before;

  dbw_sheet_set_name (derived_sheet, "Warm cities");
  g_assert_true (dbw_store_insert (fixture->store, derived_sheet, &error));
  dbw_item_set_sheet_id (derived, dbw_record_get_id (DBW_RECORD (derived_sheet)));
  dbw_item_set_item_ref (derived, "row_0");
  dbw_item_set_modality (derived, DBW_MODALITY_ROW);
  dbw_item_set_derived_from (derived, item_id);
  g_assert_true (dbw_store_insert (fixture->store, derived, &error));
  g_assert_no_error (error);

  g_assert_true (dbw_store_begin (fixture->store, &error));
  g_assert_cmpint (_dbw_governance_restrict_item (fixture->store, item_id, prohibited, DBW_CLASSIFICATION_RESTRICTED,
                                                  "Source tagged PII", TRUE, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (dbw_store_commit (fixture->store, &error));

  assert_uses (fixture, "items", "prohibited_uses", item_id, "few_shot,validation");
  assert_classification (fixture, "items", item_id, "restricted");
  /* The label keeps what it prohibited already and gets a new version. */
  assert_uses (fixture, "canonical_labels", "prohibited_uses", label_id, "few_shot,training,validation");
  assert_uses (fixture, "canonical_labels", "allowed_uses", label_id, "evaluation");
  assert_classification (fixture, "canonical_labels", label_id, "restricted");
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT version FROM canonical_labels"), ==, 2);
  /* The pair made from the item keeps the uses nobody newly prohibited. */
  assert_uses (fixture, "qa_pairs", "prohibited_uses", from_item, "few_shot,validation");
  assert_uses (fixture, "qa_pairs", "allowed_uses", from_item, "evaluation,training");
  assert_classification (fixture, "qa_pairs", from_item, "restricted");
  assert_uses (fixture, "qa_pairs", "prohibited_uses", other, "");
  assert_classification (fixture, "qa_pairs", other, "internal");
  assert_uses (fixture, "items", "prohibited_uses", dbw_record_get_id (DBW_RECORD (derived)), "few_shot,validation");
  assert_classification (fixture, "items", dbw_record_get_id (DBW_RECORD (derived)), "restricted");
  g_assert_cmpint (gen_query_int (fixture->store,
                                  "SELECT count(*) FROM usage_constraint_audit WHERE target_table <> 'items' "
                                  "AND reason = 'Source tagged PII' AND modified_by = 'gus@example.org'"), ==, 2);

  /* Met already: nothing is written. */
  before = count_audit (fixture);
  g_assert_true (dbw_store_begin (fixture->store, &error));
  g_assert_cmpint (_dbw_governance_restrict_item (fixture->store, item_id, prohibited, DBW_CLASSIFICATION_INTERNAL,
                                                  "Source tagged PII", TRUE, &error), ==, 0);
  g_assert_true (dbw_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_audit (fixture), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/governance/gate/property", test_gate_property);
  g_test_add_func ("/governance/gate/order", test_gate_order);
#define ADD(path, func) g_test_add ("/governance/apply/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("needs-reason", test_apply_needs_reason);
  ADD ("single-pair", test_apply_single_pair);
  ADD ("bulk-keeps", test_apply_bulk_keeps);
  ADD ("all-or-nothing", test_apply_all_or_nothing);
  ADD ("label", test_apply_label);
  ADD ("async", test_apply_async);
  ADD ("async-cancel-late", test_apply_async_cancel_late);
  ADD ("audit-model-follows", test_audit_model_follows);
#undef ADD
#define ADD(path, func) g_test_add ("/governance/carry/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("label-to-pairs", test_carry_label_to_pairs);
  ADD ("item", test_carry_item);
#undef ADD

  return g_test_run ();
}
