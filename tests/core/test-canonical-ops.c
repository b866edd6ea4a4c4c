/* test-canonical-ops.c — Mode B: saving, versions and history, walking a sheet, export
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

#include "dbw-canonical-ops.h"
#include "dbw-sheet-ops.h"
#include "dbw-store-private.h"
#include "generation-fixture.h"
#include "test-util.h"

#define BOXES "{\"image_width\":800,\"image_height\":600,\"objects\":[{\"class\":\"solder_bridge\",\"bbox\":[10,20,30,40]}]}"

typedef struct
{
  char     *dir;
  DbwStore *store;
  DbwSheet *sheet;
} Fixture;

static const char *
sheet_id (Fixture *fixture)
{
  return dbw_record_get_id (DBW_RECORD (fixture->sheet));
}

/* Ten PCB images "board_0"…; their source is tagged PII, as the importer would mark it. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *allowed[] = { "evaluation", "testing", NULL };
  const char *prohibited[] = { "training", "validation", NULL };

  fixture->dir = test_make_dir ();
  fixture->store = test_create_store (fixture->dir, "canonical.dbw");
  dbw_store_set_user (fixture->store, "ada@example.org");

  fixture->sheet = dbw_sheet_new ();
  dbw_sheet_set_name (fixture->sheet, "Boards");
  g_assert_true (dbw_store_insert (fixture->store, fixture->sheet, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("board_%u", i);

      dbw_item_set_sheet_id (item, sheet_id (fixture));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, "{\"line\":\"B\"}");
      dbw_item_set_allowed_uses (item, allowed);
      dbw_item_set_prohibited_uses (item, prohibited);
      dbw_item_set_usage_reason (item, "Source tagged pii (main.factory.boards)");
      dbw_item_set_data_classification (item, DBW_CLASSIFICATION_RESTRICTED);
      g_assert_true (dbw_store_insert (fixture->store, item, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->sheet);
  dbw_store_close (fixture->store);
  g_clear_object (&fixture->store);
  test_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static DbwItem *
get_item (Fixture    *fixture,
          const char *ref)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = dbw_store_list (fixture->store, DBW_TYPE_ITEM, "item_ref", ref, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >=, 1);

  return g_object_ref (g_ptr_array_index (items, items->len - 1));
}

static DbwCanonicalLabel *
label_item (Fixture    *fixture,
            const char *ref,
            const char *label_data)
{
  g_autoptr(DbwItem) item = get_item (fixture, ref);
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_ops_new_for_item (fixture->store, item, DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_autoptr(GError) error = NULL;

  dbw_canonical_label_set_label_data (label, label_data);
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&label);
}

static void
test_new_for_item (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DbwItem) item = get_item (fixture, "board_3");
  g_autoptr(DbwCanonicalLabel) label = dbw_canonical_ops_new_for_item (fixture->store, item, DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_autoptr(DbwCanonicalLabel) text = dbw_canonical_ops_new_for_item (fixture->store, item, DBW_LABEL_TYPE_SUMMARIZATION);
  const char *allowed[] = { "evaluation", "testing", NULL };
  const char *prohibited[] = { "training", "validation", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (dbw_record_get_id (DBW_RECORD (label)));
  g_assert_cmpstr (dbw_canonical_label_get_sheet_id (label), ==, sheet_id (fixture));
  g_assert_cmpstr (dbw_canonical_label_get_item_ref (label), ==, "board_3");
  g_assert_cmpint (dbw_canonical_label_get_label_type (label), ==, DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_assert_cmpint (dbw_canonical_label_get_confidence (label), ==, DBW_CONFIDENCE_HIGH);

  /* The source's constraints decide the defaults: the uses the item allows (not few_shot,
   * which it does not list), none it prohibits. */
  g_assert_true (g_strv_equal (dbw_canonical_label_get_allowed_uses (label), allowed));
  g_assert_true (g_strv_equal (dbw_canonical_label_get_prohibited_uses (label), prohibited));
  g_assert_cmpstr (dbw_canonical_label_get_usage_reason (label), ==, "Source tagged pii (main.factory.boards)");
  g_assert_cmpint (dbw_canonical_label_get_data_classification (label), ==, DBW_CLASSIFICATION_RESTRICTED);

  /* An item that lists no allowed use has had none set: every use it does not prohibit. */
  {
    const char *item_prohibited[] = { "training", NULL };
    const char *expected[] = { "validation", "evaluation", "few_shot", "testing", NULL };
    g_autoptr(DbwCanonicalLabel) open_label = NULL;

    dbw_item_set_allowed_uses (item, NULL);
    dbw_item_set_prohibited_uses (item, item_prohibited);
    open_label = dbw_canonical_ops_new_for_item (fixture->store, item, DBW_LABEL_TYPE_OBJECT_DETECTION);
    g_assert_true (g_strv_equal (dbw_canonical_label_get_allowed_uses (open_label), expected));
  }

  /* An untouched text label is empty, and empty is not saved. */
  g_assert_cmpstr (dbw_canonical_label_get_label_data (text), ==, "\"\"");
  g_assert_false (dbw_canonical_ops_save (fixture->store, text, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID);
  g_clear_error (&error);

  dbw_canonical_label_set_label_data (text, "{\"broken\": ");
  g_assert_false (dbw_canonical_ops_save (fixture->store, text, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM canonical_labels"), ==, 0);
}

static void
test_save_versions (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) label = label_item (fixture, "board_1", BOXES);
  g_autoptr(DbwCanonicalLabel) found = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_at = NULL;
  DbwCanonicalVersion *v;

  /* Stored, stamped, version 1. */
  g_assert_nonnull (dbw_record_get_id (DBW_RECORD (label)));
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);
  g_assert_cmpstr (dbw_canonical_label_get_labeled_by (label), ==, "ada@example.org");
  g_assert_nonnull (dbw_canonical_label_get_labeled_at (label));
  g_assert_nonnull (dbw_canonical_label_get_created_at (label));
  first_at = g_strdup (dbw_canonical_label_get_labeled_at (label));

  found = dbw_canonical_ops_lookup (fixture->store, sheet_id (fixture), "board_1", DBW_LABEL_TYPE_OBJECT_DETECTION, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (found)), ==, dbw_record_get_id (DBW_RECORD (label)));
  g_assert_null (dbw_canonical_ops_lookup (fixture->store, sheet_id (fixture), "board_1", DBW_LABEL_TYPE_CLASSIFICATION, &error));
  g_assert_no_error (error);

  /* Saving it unchanged makes no version. */
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);

  /* Another expert's edit is the next version, by them; who labeled it first stays. */
  dbw_store_set_user (fixture->store, "bea@example.org");
  dbw_canonical_label_set_label_data (label, "{\"image_width\":800,\"image_height\":600,\"objects\":[]}");
  dbw_canonical_label_set_confidence (label, DBW_CONFIDENCE_MEDIUM);
  dbw_canonical_label_set_notes (label, "The bridge was a reflection");
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 2);
  g_assert_cmpstr (dbw_canonical_label_get_labeled_by (label), ==, "ada@example.org");
  g_assert_cmpstr (dbw_canonical_label_get_labeled_at (label), ==, first_at);
  g_assert_cmpstr (dbw_canonical_label_get_last_modified_by (label), ==, "bea@example.org");
  g_assert_cmpstr (dbw_canonical_label_get_last_modified_at (label), >, first_at);

  dbw_store_set_user (fixture->store, "cy@example.org");
  dbw_canonical_label_set_confidence (label, DBW_CONFIDENCE_HIGH);
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 3);

  /* Every version, newest first, with who and when. */
  history = dbw_canonical_ops_list_history (fixture->store, dbw_record_get_id (DBW_RECORD (label)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);

  v = g_ptr_array_index (history, 0);
  g_assert_cmpint (v->version, ==, 3);
  g_assert_cmpint (v->confidence, ==, DBW_CONFIDENCE_HIGH);
  g_assert_cmpstr (v->modified_by, ==, "cy@example.org");
  g_assert_cmpstr (v->modified_at, ==, dbw_canonical_label_get_last_modified_at (label));

  v = g_ptr_array_index (history, 1);
  g_assert_cmpint (v->version, ==, 2);
  g_assert_cmpint (v->confidence, ==, DBW_CONFIDENCE_MEDIUM);
  g_assert_cmpstr (v->notes, ==, "The bridge was a reflection");
  g_assert_cmpstr (v->label_data, ==, "{\"image_width\":800,\"image_height\":600,\"objects\":[]}");
  g_assert_cmpstr (v->modified_by, ==, "bea@example.org");
  g_assert_cmpstr (v->modified_at, >, first_at);

  v = g_ptr_array_index (history, 2);
  g_assert_cmpint (v->version, ==, 1);
  g_assert_cmpstr (v->label_data, ==, BOXES);
  g_assert_cmpstr (v->modified_by, ==, "ada@example.org");
  g_assert_cmpstr (v->modified_at, ==, first_at);
  g_assert_cmpstr (v->prohibited_uses[0], ==, "training");
  g_assert_cmpint (v->data_classification, ==, DBW_CLASSIFICATION_RESTRICTED);

  g_assert_null (dbw_canonical_ops_list_history (fixture->store, "no-such-label", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
}

/* A label deleted while an expert edited it (an approval taken back) is saved as a new
 * label: its deleted id stays deleted, as the workspace keeps it. */
static void
test_save_deleted (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) label = label_item (fixture, "board_1", BOXES);
  g_autoptr(DbwCanonicalLabel) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_id = g_strdup (dbw_record_get_id (DBW_RECORD (label)));

  g_assert_true (dbw_store_delete (fixture->store, DBW_TYPE_CANONICAL_LABEL, old_id, &error));
  g_assert_no_error (error);

  dbw_canonical_label_set_notes (label, "Checked under the microscope");
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (label)), !=, old_id);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);
  found = dbw_canonical_ops_lookup (fixture->store, sheet_id (fixture), "board_1", DBW_LABEL_TYPE_OBJECT_DETECTION, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (found)), ==, dbw_record_get_id (DBW_RECORD (label)));
  g_assert_cmpstr (dbw_canonical_label_get_notes (found), ==, "Checked under the microscope");
  g_assert_null (dbw_store_get (fixture->store, DBW_TYPE_CANONICAL_LABEL, old_id, NULL));
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) mine = label_item (fixture, "board_2", BOXES);
  g_autoptr(DbwCanonicalLabel) theirs = dbw_record_copy (DBW_RECORD (mine));
  g_autoptr(DbwCanonicalLabel) stored = NULL;
  g_autoptr(DbwCanonicalLabel) twin = NULL;
  g_autoptr(DbwItem) item = get_item (fixture, "board_2");
  g_autoptr(GError) error = NULL;

  /* Both opened version 1; theirs is saved first. */
  dbw_canonical_label_set_notes (theirs, "theirs");
  g_assert_true (dbw_canonical_ops_save (fixture->store, theirs, &error));
  g_assert_no_error (error);

  dbw_canonical_label_set_notes (mine, "mine");
  g_assert_false (dbw_canonical_ops_save (fixture->store, mine, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "board_2"));
  g_clear_error (&error);

  stored = dbw_canonical_ops_lookup (fixture->store, sheet_id (fixture), "board_2", DBW_LABEL_TYPE_OBJECT_DETECTION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (stored), ==, 2);
  g_assert_cmpstr (dbw_canonical_label_get_notes (stored), ==, "theirs");

  /* A second first label for the same item and type is a conflict too. */
  twin = dbw_canonical_ops_new_for_item (fixture->store, item, DBW_LABEL_TYPE_OBJECT_DETECTION);
  dbw_canonical_label_set_label_data (twin, BOXES);
  g_assert_false (dbw_canonical_ops_save (fixture->store, twin, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A label stays with its item. */
  dbw_canonical_label_set_item_ref (stored, "board_3");
  dbw_canonical_label_set_notes (stored, "moved");
  g_assert_false (dbw_canonical_ops_save (fixture->store, stored, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT max (version) FROM canonical_labels"), ==, 2);
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) label = label_item (fixture, "board_4", BOXES);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *who = NULL;
  g_autofree char *old_prohibited = NULL;
  g_autofree char *new_prohibited = NULL;
  const char *allowed[] = { "evaluation", "few_shot", "testing", "validation", NULL };
  const char *prohibited[] = { "training", NULL };

  /* No constraint changed yet: no audit. */
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit"), ==, 0);

  /* A constraint change needs its reason. */
  dbw_store_set_user (fixture->store, "bea@example.org");
  dbw_canonical_label_set_allowed_uses (label, allowed);
  dbw_canonical_label_set_prohibited_uses (label, prohibited);
  dbw_canonical_label_set_usage_reason (label, " ");
  g_assert_false (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit"), ==, 0);

  dbw_canonical_label_set_usage_reason (label, "Faces blurred; validation is fine");
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);

  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit WHERE target_table = 'canonical_labels'"), ==, 1);
  reason = gen_query_text (fixture->store, "SELECT reason FROM usage_constraint_audit");
  who = gen_query_text (fixture->store, "SELECT modified_by FROM usage_constraint_audit");
  old_prohibited = gen_query_text (fixture->store, "SELECT old_prohibited_uses FROM usage_constraint_audit");
  new_prohibited = gen_query_text (fixture->store, "SELECT new_prohibited_uses FROM usage_constraint_audit");
  g_assert_cmpstr (reason, ==, "Faces blurred; validation is fine");
  g_assert_cmpstr (who, ==, "bea@example.org");
  g_assert_cmpstr (old_prohibited, ==, "[\"training\",\"validation\"]");
  g_assert_cmpstr (new_prohibited, ==, "[\"training\"]");

  /* A content edit alone is not a constraint change. */
  dbw_canonical_label_set_notes (label, "re-checked");
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit"), ==, 1);

  /* The previous change's reason does not explain the next one. */
  dbw_canonical_label_set_data_classification (label, DBW_CLASSIFICATION_CONFIDENTIAL);
  g_assert_false (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit"), ==, 1);

  dbw_canonical_label_set_usage_reason (label, "Board photos belong to the customer");
  g_assert_true (dbw_canonical_ops_save (fixture->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gen_query_int (fixture->store, "SELECT count (*) FROM usage_constraint_audit"), ==, 2);
}

static char *
ref_of (DbwItem *item)
{
  return item != NULL ? g_strdup (dbw_item_get_item_ref (item)) : NULL;
}

static char *
next_unlabeled (Fixture    *fixture,
                const char *after)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) item = dbw_canonical_ops_next_unlabeled (fixture->store, sheet_id (fixture),
                                                               DBW_LABEL_TYPE_OBJECT_DETECTION, after, &error);

  g_assert_no_error (error);
  return ref_of (item);
}

static char *
adjacent (Fixture    *fixture,
          const char *ref,
          gboolean    forward)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) item = dbw_canonical_ops_adjacent_item (fixture->store, sheet_id (fixture), ref, forward, &error);

  g_assert_no_error (error);
  return ref_of (item);
}

#define assert_next(fixture, after, expected) \
  G_STMT_START { \
    g_autofree char *_ref = next_unlabeled (fixture, after); \
    g_assert_cmpstr (_ref, ==, expected); \
  } G_STMT_END

#define assert_adjacent(fixture, ref, forward, expected) \
  G_STMT_START { \
    g_autofree char *_ref = adjacent (fixture, ref, forward); \
    g_assert_cmpstr (_ref, ==, expected); \
  } G_STMT_END

static void
test_walk (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) board_3 = get_item (fixture, "board_3");
  g_autoptr(DbwItem) board_3_v2 = NULL;
  g_autoptr(DbwCanonicalLabel) other_type = NULL;

  g_assert_cmpint (dbw_canonical_ops_count_items (fixture->store, sheet_id (fixture), &error), ==, 10);
  g_assert_cmpint (dbw_canonical_ops_count_labeled (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION, &error), ==, 0);
  assert_next (fixture, NULL, "board_0");
  {
    g_autoptr(DbwItem) first = dbw_canonical_ops_first_item (fixture->store, sheet_id (fixture), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dbw_item_get_item_ref (first), ==, "board_0");
  }

  /* Everything labeled but board_2, board_5 and board_8. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *ref = g_strdup_printf ("board_%u", i);

      if (i != 2 && i != 5 && i != 8)
        g_object_unref (label_item (fixture, ref, BOXES));
    }
  /* A label of another type does not count. */
  {
    g_autoptr(DbwItem) item = get_item (fixture, "board_5");

    other_type = dbw_canonical_ops_new_for_item (fixture->store, item, DBW_LABEL_TYPE_CLASSIFICATION);
    dbw_canonical_label_set_label_data (other_type, "\"ok\"");
    g_assert_true (dbw_canonical_ops_save (fixture->store, other_type, &error));
    g_assert_no_error (error);
  }

  g_assert_cmpint (dbw_canonical_ops_count_labeled (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION, &error), ==, 7);
  assert_next (fixture, NULL, "board_2");
  assert_next (fixture, "board_2", "board_5");
  assert_next (fixture, "board_5", "board_8");
  /* Past the end it wraps around once. */
  assert_next (fixture, "board_8", "board_2");
  assert_next (fixture, "board_9", "board_2");
  /* The only one left is found again from itself. */
  g_object_unref (label_item (fixture, "board_5", BOXES));
  g_object_unref (label_item (fixture, "board_8", BOXES));
  assert_next (fixture, "board_2", "board_2");
  assert_next (fixture, "no-such-item", "board_2");

  /* Items in their order, ends included. */
  assert_adjacent (fixture, "board_0", TRUE, "board_1");
  assert_adjacent (fixture, "board_4", FALSE, "board_3");
  assert_adjacent (fixture, "board_0", FALSE, NULL);
  assert_adjacent (fixture, "board_9", TRUE, NULL);

  /* A new version of an item is the current one, at the end of the order like the Data page
   * shows it; the count does not change. */
  board_3_v2 = dbw_sheet_ops_edit_item (fixture->store, board_3, "{\"line\":\"C\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_ops_count_items (fixture->store, sheet_id (fixture), &error), ==, 10);
  g_assert_cmpint (dbw_canonical_ops_count_labeled (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION, &error), ==, 9);
  assert_adjacent (fixture, "board_2", TRUE, "board_4");
  assert_adjacent (fixture, "board_9", TRUE, "board_3");
  {
    g_autoptr(DbwItem) current = dbw_canonical_ops_current_item (fixture->store, sheet_id (fixture), "board_3", &error);
    g_autoptr(DbwItem) none = dbw_canonical_ops_current_item (fixture->store, sheet_id (fixture), "board_99", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (current)), ==, dbw_record_get_id (DBW_RECORD (board_3_v2)));
    g_assert_null (none);
  }
  {
    g_autoptr(DbwItem) last = dbw_canonical_ops_adjacent_item (fixture->store, sheet_id (fixture), "board_9", TRUE, &error);

    g_assert_cmpint (dbw_item_get_version (last), ==, 2);
  }

  /* All labeled: nothing left. */
  g_object_unref (label_item (fixture, "board_2", BOXES));
  assert_next (fixture, NULL, NULL);
  assert_next (fixture, "board_4", NULL);
  g_assert_cmpint (dbw_canonical_ops_count_labeled (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION, &error), ==, 10);
  g_assert_no_error (error);
}

static GPtrArray *
export_lines (Fixture      *fixture,
              DbwLabelType  label_type,
              gint64       *n)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  *n = dbw_canonical_ops_export_jsonl (fixture->store, sheet_id (fixture), label_type, DBW_USE_EVALUATION, out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));

  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  if (text == NULL)
    text = g_strdup ("");
  g_assert_true (*n == 0 || g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      JsonNode *node = json_from_string (lines[i], &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (objects, node);
    }

  return objects;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) board_1 = get_item (fixture, "board_1");
  g_autoptr(DbwItem) board_1_v2 = NULL;
  g_autoptr(DbwCanonicalLabel) first = NULL;
  JsonObject *object;
  JsonNode *label_data;
  gint64 n = 0;

  /* Pretty JSON in the store is one line in the export. */
  g_object_unref (label_item (fixture, "board_6", "{\n  \"image_width\": 800,\n  \"image_height\": 600,\n  \"objects\": []\n}"));
  first = label_item (fixture, "board_1", BOXES);
  dbw_store_set_user (fixture->store, "bea@example.org");
  dbw_canonical_label_set_notes (first, "line \"B\"\nsecond shift");
  g_assert_true (dbw_canonical_ops_save (fixture->store, first, &error));
  g_assert_no_error (error);
  /* A new version of the item keeps one line for its label. */
  board_1_v2 = dbw_sheet_ops_edit_item (fixture->store, board_1, "{\"line\":\"C\"}", &error);
  g_assert_no_error (error);

  objects = export_lines (fixture, DBW_LABEL_TYPE_OBJECT_DETECTION, &n);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpuint (objects->len, ==, 2);

  /* In item order: board_6, then board_1 whose current version came last. */
  object = json_node_get_object (g_ptr_array_index (objects, 0));
  g_assert_cmpstr (json_object_get_string_member (object, "item_ref"), ==, "board_6");
  object = json_node_get_object (g_ptr_array_index (objects, 1));
  g_assert_cmpstr (json_object_get_string_member (object, "item_ref"), ==, "board_1");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, dbw_record_get_id (DBW_RECORD (first)));
  g_assert_cmpstr (json_object_get_string_member (object, "sheet_id"), ==, sheet_id (fixture));
  g_assert_cmpstr (json_object_get_string_member (object, "label_type"), ==, "object_detection");
  g_assert_cmpstr (json_object_get_string_member (object, "confidence"), ==, "high");
  g_assert_cmpstr (json_object_get_string_member (object, "notes"), ==, "line \"B\"\nsecond shift");
  g_assert_cmpstr (json_object_get_string_member (object, "usage_reason"), ==, "Source tagged pii (main.factory.boards)");
  g_assert_cmpstr (json_object_get_string_member (object, "data_classification"), ==, "restricted");
  g_assert_cmpstr (json_object_get_string_member (object, "labeled_by"), ==, "ada@example.org");
  g_assert_cmpstr (json_object_get_string_member (object, "labeled_at"), ==, dbw_canonical_label_get_labeled_at (first));
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 2);
  /* What the item allows: evaluation and testing. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "allowed_uses")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "prohibited_uses"), 0), ==, "training");

  /* label_data is JSON, not a string holding JSON. */
  label_data = json_object_get_member (object, "label_data");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (label_data));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (label_data), "image_width"), ==, 800);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (label_data), "objects")), ==, 1);

  /* Another type: nothing. */
  none = export_lines (fixture, DBW_LABEL_TYPE_CLASSIFICATION, &n);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);

  /* The usage gate: the boards' labels are prohibited for training, so none leaves for it. */
  {
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    gint64 n_withheld = -1;

    n = dbw_canonical_ops_export_jsonl (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION,
                                        DBW_USE_TRAINING, out, &n_withheld, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (n, ==, 0);
    g_assert_cmpint (n_withheld, ==, 2);
    g_assert_true (g_output_stream_close (out, NULL, NULL));
    g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);

    g_assert_cmpint (dbw_canonical_ops_export_jsonl (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION,
                                                     "marketing", out, NULL, NULL, &error), ==, -1);
    g_assert_error (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_INVALID);
  }
}

/* The classes of a sheet's object-detection labels, each once, in the order they appear;
 * data that is not JSON, or has no objects, names none. */
static void
test_list_classes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) classes = NULL;

  g_object_unref (label_item (fixture, "board_4",
                              "{\"objects\":[{\"class\":\"cold_joint\",\"bbox\":[1,2,3,4]},"
                              "{\"class\":\"solder_bridge\",\"bbox\":[5,6,7,8]}]}"));
  g_object_unref (label_item (fixture, "board_5", BOXES));
  g_object_unref (label_item (fixture, "board_6", "{\"objects\":[{\"bbox\":[1,2,3,4]},\"stray\",{\"class\":7}]}"));
  g_object_unref (label_item (fixture, "board_7", "{\"objects\":{\"class\":\"not_a_list\"}}"));
  g_object_unref (label_item (fixture, "board_8", "{\"objects\":[{\"class\":\"missing_part\"}]}"));

  classes = dbw_canonical_ops_list_classes (fixture->store, sheet_id (fixture), &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (classes, ((const char * const[]) { "cold_joint", "solder_bridge", "missing_part", NULL }));
}

static void
test_export_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_object_unref (label_item (fixture, "board_0", BOXES));
  g_cancellable_cancel (cancellable);
  g_assert_cmpint (dbw_canonical_ops_export_jsonl (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION,
                                                   DBW_USE_EVALUATION, out, NULL, cancellable, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* 100,000 items: walking, counting and exporting read indexes, not the whole sheet into
 * memory, and answer within a frame or so (generous bounds: shared machines, sanitizers). */
#define N_LARGE 100000

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
fill_large_sheet (DbwStore   *store,
                  const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
                         "INSERT INTO items (id, sheet_id, item_ref, modality, fields, created_at) "
                         "SELECT printf ('item-%%06d', i), '%s', printf ('row_%%06d', i), 'row', "
                         "  json_object ('n', i), '2026-01-01T00:00:00Z' FROM n;"
                         "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
                         "INSERT INTO canonical_labels (id, sheet_id, item_ref, label_type, label_data, allowed_uses, "
                         "  prohibited_uses, created_at) "
                         "SELECT printf ('label-%%06d', i), '%s', printf ('row_%%06d', i), 'classification', "
                         "  json_object ('label', 'ok'), '[\"training\"]', "
                         "  CASE WHEN i %% 10 = 3 THEN '[\"training\"]' ELSE '[]' END, '2026-01-01T00:00:00Z' FROM n "
                         "WHERE i NOT IN (%d, %d);",
                         N_LARGE - 1, id, N_LARGE - 1, id, N_LARGE / 2, N_LARGE - 10);

  g_assert_true (dbw_store_begin_bulk (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (_dbw_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
test_large (void)
{
  g_autofree char *dir = test_make_dir ();
  g_autoptr(DbwStore) store = test_create_store (dir, "large.dbw");
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Small", 3);
  g_autoptr(DbwSheet) large = dbw_sheet_new ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(DbwSheet) after = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  gint64 start;
  gint64 n, n_withheld;

  dbw_sheet_set_name (large, "Large");
  g_assert_true (dbw_store_insert (store, large, &error));
  g_assert_no_error (error);
  id = dbw_record_get_id (DBW_RECORD (large));
  fill_large_sheet (store, id);
  /* Items of another sheet after it. */
  after = gen_add_sheet (store, "After", 3);

  start = g_get_monotonic_time ();
  g_assert_cmpint (dbw_canonical_ops_count_items (store, id, &error), ==, N_LARGE);
  g_test_message ("count_items: %.1f ms", elapsed_ms (start));
  g_assert_cmpfloat (elapsed_ms (start), <, 1000);

  start = g_get_monotonic_time ();
  g_assert_cmpint (dbw_canonical_ops_count_labeled (store, id, DBW_LABEL_TYPE_CLASSIFICATION, &error), ==, N_LARGE - 2);
  g_test_message ("count_labeled: %.1f ms", elapsed_ms (start));
  g_assert_cmpfloat (elapsed_ms (start), <, 1000);

  start = g_get_monotonic_time ();
  item = dbw_canonical_ops_next_unlabeled (store, id, DBW_LABEL_TYPE_CLASSIFICATION, NULL, &error);
  g_test_message ("next_unlabeled over %d labeled items: %.1f ms", N_LARGE / 2, elapsed_ms (start));
  g_assert_cmpfloat (elapsed_ms (start), <, 1000);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_item_get_item_ref (item), ==, "row_050000");
  g_clear_object (&item);

  /* From the last unlabeled one: round the end, back to the first. */
  start = g_get_monotonic_time ();
  item = dbw_canonical_ops_next_unlabeled (store, id, DBW_LABEL_TYPE_CLASSIFICATION, "row_099990", &error);
  g_test_message ("next_unlabeled with wrap: %.1f ms", elapsed_ms (start));
  g_assert_cmpfloat (elapsed_ms (start), <, 1000);
  g_assert_cmpstr (dbw_item_get_item_ref (item), ==, "row_050000");
  g_clear_object (&item);

  start = g_get_monotonic_time ();
  item = dbw_canonical_ops_adjacent_item (store, id, "row_099999", TRUE, &error);
  g_assert_null (item);
  item = dbw_canonical_ops_adjacent_item (store, id, "row_050000", FALSE, &error);
  g_test_message ("adjacent_item: %.1f ms", elapsed_ms (start));
  g_assert_cmpfloat (elapsed_ms (start), <, 100);
  g_assert_cmpstr (dbw_item_get_item_ref (item), ==, "row_049999");

  start = g_get_monotonic_time ();
  n = dbw_canonical_ops_export_jsonl (store, id, DBW_LABEL_TYPE_CLASSIFICATION, DBW_USE_TRAINING, out,
                                      &n_withheld, NULL, &error);
  g_test_message ("export_jsonl: %.1f ms", elapsed_ms (start));
  g_assert_no_error (error);
  /* Every tenth label is prohibited for training; none of them is row_050000 or row_099990. */
  g_assert_cmpint (n_withheld, ==, N_LARGE / 10);
  g_assert_cmpint (n, ==, N_LARGE - 2 - N_LARGE / 10);

  dbw_store_close (store);
  test_remove_dir (dir);
}

static void
list_ids_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GStrv *ids = user_data;
  g_autoptr(GError) error = NULL;

  *ids = dbw_canonical_ops_list_ids_finish (DBW_STORE (object), result, &error);
  g_assert_no_error (error);
}

/* The ids of a sheet's labels of one type, in the order they were made; in a worker too. */
static void
test_list_ids (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) first = label_item (fixture, "board_7", BOXES);
  g_autoptr(DbwCanonicalLabel) second = label_item (fixture, "board_2", BOXES);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) other_type = NULL;
  g_auto(GStrv) async_ids = NULL;

  ids = dbw_canonical_ops_list_ids (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, dbw_record_get_id (DBW_RECORD (first)));
  g_assert_cmpstr (ids[1], ==, dbw_record_get_id (DBW_RECORD (second)));

  other_type = dbw_canonical_ops_list_ids (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_CLASSIFICATION, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (other_type), ==, 0);

  dbw_canonical_ops_list_ids_async (fixture->store, sheet_id (fixture), DBW_LABEL_TYPE_OBJECT_DETECTION,
                                    NULL, list_ids_cb, &async_ids);
  while (async_ids == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_strv_equal ((const char * const *) async_ids, (const char * const *) ids));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/canonical-ops/new-for-item", test_new_for_item);
  ADD ("/canonical-ops/save-versions", test_save_versions);
  ADD ("/canonical-ops/save-deleted", test_save_deleted);
  ADD ("/canonical-ops/conflict", test_conflict);
  ADD ("/canonical-ops/audit", test_audit);
  ADD ("/canonical-ops/walk", test_walk);
  ADD ("/canonical-ops/export", test_export);
  ADD ("/canonical-ops/export-cancelled", test_export_cancelled);
  ADD ("/canonical-ops/list-ids", test_list_ids);
  ADD ("/canonical-ops/list-classes", test_list_classes);
#undef ADD
  g_test_add_func ("/canonical-ops/large", test_large);

  return g_test_run ();
}
