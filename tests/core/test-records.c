/* test-records.c — CRUD, constraints and JSON of every record type
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "dbw-pair-counts.h"
#include "dbw-canonical-label.h"
#include "dbw-export-record.h"
#include "dbw-model-lineage.h"
#include "dbw-query-model.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"
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
  f->store = test_create_store (f->dir, "records.dbw");
  dbw_store_set_user (f->store, "j.doe@northfield.example");

  f->sheet = dbw_sheet_new ();
  dbw_sheet_set_name (f->sheet, "Survey meter readings");
  g_assert_true (dbw_store_insert (f->store, f->sheet, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sheet);
  dbw_store_close (f->store);
  g_assert_finalize_object (f->store);
  test_remove_dir (f->dir);
  g_free (f->dir);
}

static DbwItem *
add_item (Fixture    *f,
          const char *ref)
{
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(GError) error = NULL;

  dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (f->sheet)));
  dbw_item_set_item_ref (item, ref);
  dbw_item_set_modality (item, DBW_MODALITY_ROW);
  dbw_item_set_fields (item, "{\"instrument_id\":\"IC-07\",\"value\":0.12,\"unit\":\"µSv/h\"}");
  g_assert_true (dbw_store_insert (f->store, item, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&item);
}

static DbwTemplate *
add_template (Fixture           *f,
              DbwTemplateStatus  status)
{
  g_autoptr(DbwTemplate) template = dbw_template_new ();
  g_autoptr(GError) error = NULL;

  dbw_template_set_template_id (template, "tpl-contamination");
  dbw_template_set_name (template, "Contamination survey triage");
  dbw_template_set_label_type (template, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_user_prompt_template (template, "Reading {{value}} {{unit}} at {{location}}: normal or above action level?");
  dbw_template_set_output_schema (template, "{\"type\":\"object\",\"properties\":{\"status\":{\"enum\":[\"normal\",\"above_action_level\"]}}}");
  dbw_template_set_status (template, status);
  g_assert_true (dbw_store_insert (f->store, template, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&template);
}

static void
test_sheet_crud (Fixture       *f,
                 gconstpointer  data)
{
  const char *id = dbw_record_get_id (DBW_RECORD (f->sheet));
  const char *keys[] = { "instrument_id", NULL };
  g_autoptr(DbwSheet) loaded = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (id);
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_cmpint (dbw_record_get_rowid (DBW_RECORD (f->sheet)), >, 0);
  g_assert_nonnull (dbw_sheet_get_created_at (f->sheet));
  g_assert_cmpstr (dbw_sheet_get_created_by (f->sheet), ==, "j.doe@northfield.example");

  dbw_sheet_set_description (f->sheet, "Weekly surveys of the reactor hall");
  dbw_sheet_set_join_keys (f->sheet, keys);
  dbw_sheet_set_sample_size (f->sheet, 500);
  g_assert_true (dbw_store_update (f->store, f->sheet, &error));
  g_assert_no_error (error);

  loaded = dbw_store_get (f->store, DBW_TYPE_SHEET, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_sheet_get_description (loaded), ==, "Weekly surveys of the reactor hall");
  g_assert_cmpstrv (dbw_sheet_get_join_keys (loaded), keys);
  g_assert_cmpint (dbw_sheet_get_sample_size (loaded), ==, 500);
  g_assert_cmpint (dbw_sheet_get_source_kind (loaded), ==, DBW_SOURCE_KIND_LOCAL);

  /* No sample size is NULL in the file and -1 here. */
  dbw_sheet_set_sample_size (loaded, -1);
  g_assert_true (dbw_store_update (f->store, loaded, &error));
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store), "SELECT count (*) FROM sheets WHERE sample_size IS NULL"), ==, 1);

  all = dbw_store_list (f->store, DBW_TYPE_SHEET, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);

  g_assert_true (dbw_store_delete (f->store, DBW_TYPE_SHEET, id, &error));
  g_assert_no_error (error);
  g_assert_null (dbw_store_get (f->store, DBW_TYPE_SHEET, id, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (dbw_store_delete (f->store, DBW_TYPE_SHEET, id, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (dbw_store_update (f->store, f->sheet, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND);
}

static void
test_sheet_constraints (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DbwSheet) unnamed = dbw_sheet_new ();
  g_autoptr(DbwSheet) zero_sample = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (unnamed, "   ");
  g_assert_false (dbw_store_insert (f->store, unnamed, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "name"));
  g_clear_error (&error);

  dbw_sheet_set_name (zero_sample, "Sampled");
  dbw_sheet_set_sample_size (zero_sample, 0);
  g_assert_false (dbw_store_insert (f->store, zero_sample, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "sample_size"));
  g_clear_error (&error);

  dbw_sheet_set_sample_size (zero_sample, 100);
  dbw_sheet_set_secondary_sources (zero_sample, "{not json");
  g_assert_false (dbw_store_insert (f->store, zero_sample, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "secondary_sources"));
  g_clear_error (&error);

  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_SHEET, NULL, NULL, &error), ==, 1);
}

static void
test_item_crud (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DbwItem) item = add_item (f, "row_1");
  g_autoptr(DbwItem) again = dbw_item_new ();
  g_autoptr(DbwItem) orphan = dbw_item_new ();
  g_autoptr(DbwItem) v2 = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *uses[] = { "training", "evaluation", NULL };
  const char *bad_uses[] = { "marketing", NULL };

  /* Same ref and version twice in one sheet is refused. */
  dbw_item_set_sheet_id (again, dbw_record_get_id (DBW_RECORD (f->sheet)));
  dbw_item_set_item_ref (again, "row_1");
  g_assert_false (dbw_store_insert (f->store, again, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "item_ref"));
  g_clear_error (&error);

  /* A new version derived from the first is fine. */
  v2 = dbw_record_copy (DBW_RECORD (item));
  dbw_record_set_id (DBW_RECORD (v2), NULL);
  dbw_item_set_version (v2, 2);
  dbw_item_set_derived_from (v2, dbw_record_get_id (DBW_RECORD (item)));
  g_assert_true (dbw_store_insert (f->store, v2, &error));
  g_assert_no_error (error);

  /* Foreign keys are enforced. */
  dbw_item_set_sheet_id (orphan, "no-such-sheet");
  dbw_item_set_item_ref (orphan, "x");
  g_assert_false (dbw_store_insert (f->store, orphan, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Use types are checked inside the JSON array. */
  dbw_item_set_allowed_uses (item, bad_uses);
  g_assert_false (dbw_store_update (f->store, item, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "allowed_uses"));
  g_assert_nonnull (strstr (error->message, "few_shot"));
  g_clear_error (&error);

  dbw_item_set_allowed_uses (item, uses);
  g_assert_true (dbw_store_update (f->store, item, &error));
  g_assert_no_error (error);

  items = dbw_store_list (f->store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (f->sheet)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstrv (dbw_item_get_allowed_uses (g_ptr_array_index (items, 0)), uses);
  g_assert_cmpint (dbw_item_get_modality (g_ptr_array_index (items, 0)), ==, DBW_MODALITY_ROW);

  /* Column names reaching SQL are validated. */
  g_assert_null (dbw_store_list (f->store, DBW_TYPE_ITEM, "sheet_id; DROP TABLE items", "x", &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Deleting the sheet deletes its items. */
  g_assert_true (dbw_store_delete (f->store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (f->sheet)), &error));
  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_ITEM, NULL, NULL, &error), ==, 0);
}

static void
test_template_immutable (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DbwTemplate) draft = add_template (f, DBW_TEMPLATE_STATUS_DRAFT);
  g_autoptr(DbwTemplate) dup = NULL;
  g_autoptr(DbwTemplate) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* A draft can change freely. */
  dbw_template_set_temperature (draft, 0.2);
  g_assert_true (dbw_store_update (f->store, draft, &error));
  g_assert_no_error (error);

  dbw_template_set_status (draft, DBW_TEMPLATE_STATUS_PUBLISHED);
  g_assert_true (dbw_store_update (f->store, draft, &error));
  g_assert_no_error (error);

  /* Once published, its content never changes… */
  dbw_template_set_system_prompt (draft, "You are a health physicist.");
  g_assert_false (dbw_store_update (f->store, draft, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "immutable"));
  g_clear_error (&error);

  loaded = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, dbw_record_get_id (DBW_RECORD (draft)), &error);
  g_assert_cmpstr (dbw_template_get_system_prompt (loaded), ==, "");

  /* …it cannot go back to draft, but it can be archived. */
  dbw_template_set_status (loaded, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_false (dbw_store_update (f->store, loaded, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  dbw_template_set_status (loaded, DBW_TEMPLATE_STATUS_ARCHIVED);
  g_assert_true (dbw_store_update (f->store, loaded, &error));
  g_assert_no_error (error);

  /* Same (template_id, version) twice is refused; the next version is fine. */
  dup = dbw_record_copy (DBW_RECORD (loaded));
  dbw_record_set_id (DBW_RECORD (dup), NULL);
  dbw_template_set_status (dup, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_false (dbw_store_insert (f->store, dup, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  dbw_template_set_version (dup, 2);
  g_assert_true (dbw_store_insert (f->store, dup, &error));
  g_assert_no_error (error);

  /* Temperature is bounded. */
  dbw_template_set_temperature (dup, 7.5);
  g_assert_false (dbw_store_update (f->store, dup, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "temperature"));
}

static DbwCanonicalLabel *
make_label (Fixture    *f,
            const char *ref)
{
  DbwCanonicalLabel *label = dbw_canonical_label_new ();

  dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (f->sheet)));
  dbw_canonical_label_set_item_ref (label, ref);
  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_canonical_label_set_label_data (label, "{\"status\":\"above_action_level\"}");
  dbw_canonical_label_set_labeled_by (label, "j.doe@northfield.example");
  return label;
}

static void
test_canonical_label_versions (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) label = make_label (f, "row_12");
  g_autoptr(DbwCanonicalLabel) twin = make_label (f, "row_12");
  g_autoptr(DbwCanonicalLabel) other_type = make_label (f, "row_12");
  g_autoptr(GError) error = NULL;
  const char *allowed[] = { "few_shot", "evaluation", NULL };
  const char *prohibited[] = { "training", NULL };

  g_assert_true (dbw_store_insert (f->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);

  /* One label per (sheet, item, label type). */
  g_assert_false (dbw_store_insert (f->store, twin, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "sheet_id, item_ref, label_type"));
  g_clear_error (&error);

  dbw_canonical_label_set_label_type (other_type, DBW_LABEL_TYPE_SUMMARIZATION);
  g_assert_true (dbw_store_insert (f->store, other_type, &error));
  g_assert_no_error (error);

  /* Every update bumps the version and keeps the previous one. */
  dbw_canonical_label_set_label_data (label, "{\"status\":\"normal\"}");
  dbw_canonical_label_set_version (label, 1);
  g_assert_true (dbw_store_update (f->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 2);
  g_assert_nonnull (dbw_canonical_label_get_last_modified_at (label));
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store), "SELECT count (*) FROM canonical_label_history WHERE version = 1 AND label_data = '{\"status\":\"above_action_level\"}'"), ==, 1);

  /* Constraint changes are audited in the same transaction. */
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store), "SELECT count (*) FROM usage_constraint_audit"), ==, 0);
  dbw_canonical_label_set_allowed_uses (label, allowed);
  dbw_canonical_label_set_prohibited_uses (label, prohibited);
  dbw_canonical_label_set_data_classification (label, DBW_CLASSIFICATION_RESTRICTED);
  dbw_canonical_label_set_usage_reason (label, "Contains worker dose records");
  g_assert_true (dbw_store_update (f->store, label, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 3);
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store),
                                   "SELECT count (*) FROM usage_constraint_audit WHERE target_table = 'canonical_labels' "
                                   "AND new_prohibited_uses = '[\"training\"]' AND old_data_classification = 'internal' "
                                   "AND new_data_classification = 'restricted' AND reason = 'Contains worker dose records' "
                                   "AND modified_by = 'j.doe@northfield.example'"), ==, 1);
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store), "SELECT count (*) FROM canonical_label_history"), ==, 2);

  /* Invalid JSON label data is refused and the label stays as it was. */
  dbw_canonical_label_set_label_data (label, "{\"status\":");
  g_assert_false (dbw_store_update (f->store, label, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "label_data"));
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store), "SELECT version FROM canonical_labels WHERE item_ref = 'row_12' AND label_type = 'classification'"), ==, 3);
}

/* Two copies of a row, each changed in a different column and written with only what
 * changed: neither undoes the other, as writing every column would. Stamps, versions, the
 * history and constraints still apply. */
static void
test_update_changed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) label = make_label (f, "row_7");
  g_autoptr(DbwCanonicalLabel) first = NULL;
  g_autoptr(DbwCanonicalLabel) second = NULL;
  g_autoptr(DbwCanonicalLabel) first_read = NULL;
  g_autoptr(DbwCanonicalLabel) second_read = NULL;
  g_autoptr(DbwCanonicalLabel) stored = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwSheet) sheet_read = NULL;
  g_autoptr(DbwSheet) sheet_stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  g_assert_true (dbw_store_insert (f->store, label, &error));
  g_assert_no_error (error);
  id = dbw_record_get_id (DBW_RECORD (label));

  first = dbw_store_get (f->store, DBW_TYPE_CANONICAL_LABEL, id, &error);
  second = dbw_store_get (f->store, DBW_TYPE_CANONICAL_LABEL, id, &error);
  g_assert_no_error (error);
  first_read = dbw_record_copy (DBW_RECORD (first));
  second_read = dbw_record_copy (DBW_RECORD (second));

  dbw_canonical_label_set_label_data (first, "{\"status\":\"normal\"}");
  g_assert_true (dbw_store_update_changed (f->store, first, first_read, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (first), ==, 2);

  dbw_canonical_label_set_notes (second, "Checked against the survey log");
  g_assert_true (dbw_store_update_changed (f->store, second, second_read, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbw_canonical_label_get_version (second), ==, 3);

  stored = dbw_store_get (f->store, DBW_TYPE_CANONICAL_LABEL, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_canonical_label_get_label_data (stored), ==, "{\"status\":\"normal\"}");
  g_assert_cmpstr (dbw_canonical_label_get_notes (stored), ==, "Checked against the survey log");
  g_assert_cmpint (dbw_canonical_label_get_version (stored), ==, 3);
  g_assert_nonnull (dbw_canonical_label_get_last_modified_at (stored));
  g_assert_cmpint (test_query_int (dbw_store_get_path (f->store),
                                   "SELECT count (*) FROM canonical_label_history WHERE canonical_label_id IN (SELECT id FROM canonical_labels WHERE item_ref = 'row_7')"), ==, 2);

  /* A changed column still meets its constraints. */
  dbw_canonical_label_set_label_data (second, "{\"status\":");
  g_clear_object (&second_read);
  second_read = dbw_store_get (f->store, DBW_TYPE_CANONICAL_LABEL, id, &error);
  g_assert_false (dbw_store_update_changed (f->store, second, second_read, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* An unversioned record gets its updated_at. */
  sheet = dbw_store_get (f->store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (f->sheet)), &error);
  g_assert_no_error (error);
  sheet_read = dbw_record_copy (DBW_RECORD (sheet));
  dbw_sheet_set_updated_at (sheet, "2000-01-01T00:00:00.000Z");
  dbw_sheet_set_description (sheet, "Readings from the reactor hall");
  g_assert_true (dbw_store_update_changed (f->store, sheet, sheet_read, &error));
  g_assert_no_error (error);
  sheet_stored = dbw_store_get (f->store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (f->sheet)), &error);
  g_assert_cmpstr (dbw_sheet_get_description (sheet_stored), ==, "Readings from the reactor hall");
  g_assert_cmpstr (dbw_sheet_get_name (sheet_stored), ==, dbw_sheet_get_name (f->sheet));
  g_assert_cmpstr (dbw_sheet_get_updated_at (sheet_stored), !=, "2000-01-01T00:00:00.000Z");
}

static void
test_training_sheet_and_pairs (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(DbwTemplate) template = add_template (f, DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwTrainingSheet) ts = dbw_training_sheet_new ();
  g_autoptr(DbwQaPair) pair = dbw_qa_pair_new ();
  g_autoptr(DbwQaPair) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *ts_id;

  dbw_training_sheet_set_name (ts, "Triage v1");
  dbw_training_sheet_set_sheet_id (ts, dbw_record_get_id (DBW_RECORD (f->sheet)));
  dbw_training_sheet_set_template_id (ts, dbw_record_get_id (DBW_RECORD (template)));
  g_assert_true (dbw_store_insert (f->store, ts, &error));
  g_assert_no_error (error);
  ts_id = dbw_record_get_id (DBW_RECORD (ts));

  dbw_qa_pair_set_training_sheet_id (pair, ts_id);
  dbw_qa_pair_set_item_ref (pair, "row_12");
  dbw_qa_pair_set_messages (pair, "[{\"role\":\"user\",\"content\":\"Reading 4.1 µSv/h at Hall B\"},"
                                  "{\"role\":\"assistant\",\"content\":\"above_action_level\"}]");
  dbw_qa_pair_set_ai_confidence (pair, 0.82);
  g_assert_true (dbw_store_insert (f->store, pair, &error));
  g_assert_no_error (error);

  loaded = dbw_store_get (f->store, DBW_TYPE_QA_PAIR, dbw_record_get_id (DBW_RECORD (pair)), &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (dbw_qa_pair_get_ai_confidence (loaded), 0.82, 1e-9);
  g_assert_cmpfloat (dbw_qa_pair_get_quality_score (loaded), <, 0.0);
  g_assert_cmpint (dbw_qa_pair_get_status (loaded), ==, DBW_QA_STATUS_UNLABELED);

  dbw_qa_pair_set_status (loaded, DBW_QA_STATUS_LABELED);
  dbw_qa_pair_set_reviewed_by (loaded, "j.doe@northfield.example");
  g_assert_true (dbw_store_update (f->store, loaded, &error));
  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_QA_PAIR, "status", "labeled", &error), ==, 1);

  /* Messages must be a JSON array; confidence is between 0 and 1. */
  dbw_qa_pair_set_messages (loaded, "{\"role\":\"user\"}");
  g_assert_false (dbw_store_update (f->store, loaded, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "messages"));
  g_clear_error (&error);
  dbw_qa_pair_set_messages (loaded, "[]");
  dbw_qa_pair_set_ai_confidence (loaded, 1.5);
  g_assert_false (dbw_store_update (f->store, loaded, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "ai_confidence"));
  g_clear_error (&error);

  /* A sheet with training sheets cannot be deleted from under them. */
  g_assert_false (dbw_store_delete (f->store, DBW_TYPE_SHEET, dbw_record_get_id (DBW_RECORD (f->sheet)), &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Counted by status and by how each pair was made. */
  {
    g_autoptr(DbwQaPair) manual = dbw_qa_pair_new ();
    g_autoptr(GHashTable) all = NULL;
    DbwPairCounts counts, *listed;

    dbw_qa_pair_set_training_sheet_id (manual, ts_id);
    dbw_qa_pair_set_item_ref (manual, "row_13");
    dbw_qa_pair_set_labeling_mode (manual, DBW_LABELING_MODE_MANUAL);
    dbw_qa_pair_set_status (manual, DBW_QA_STATUS_FLAGGED);
    g_assert_true (dbw_store_insert (f->store, manual, &error));
    g_assert_no_error (error);

    g_assert_true (dbw_pair_counts_for_training_sheet (f->store, ts_id, &counts, &error));
    g_assert_no_error (error);
    g_assert_cmpint (counts.total, ==, 2);
    g_assert_cmpint (counts.labeled, ==, 1);
    g_assert_cmpint (counts.flagged, ==, 1);
    g_assert_cmpint (counts.unlabeled, ==, 0);
    g_assert_cmpint (counts.ai_generated, ==, 1);
    g_assert_cmpint (counts.manual, ==, 1);
    g_assert_cmpint (counts.canonical, ==, 0);

    all = dbw_pair_counts_by_training_sheet (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (all), ==, 1);
    listed = g_hash_table_lookup (all, ts_id);
    g_assert_nonnull (listed);
    g_assert_cmpmem (listed, sizeof *listed, &counts, sizeof counts);

    g_assert_true (dbw_pair_counts_for_training_sheet (f->store, "no-such-sheet", &counts, &error));
    g_assert_cmpint (counts.total, ==, 0);
  }

  /* Deleting the training sheet deletes its pairs. */
  g_assert_true (dbw_store_delete (f->store, DBW_TYPE_TRAINING_SHEET, ts_id, &error));
  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_QA_PAIR, NULL, NULL, &error), ==, 0);
}

/* Lists of exports and models leave out the ids of every pair they hold: a list shows when
 * and how each was made. Such records are partial, cannot be written back, and
 * dbw_store_get() reads them whole. */
static void
test_deferred_columns (Fixture       *f,
                       gconstpointer  data)
{
  static const char *ids = "[\"p-1\",\"p-2\",\"p-3\"]";
  static const char *split = "{\"val_fraction\":0.2,\"val_qa_pair_ids\":[\"p-3\"]}";
  g_autoptr(DbwExportRecord) export = dbw_export_record_new ();
  g_autoptr(DbwModelLineage) lineage = dbw_model_lineage_new ();
  g_autoptr(DbwExportRecord) whole = NULL;
  g_autoptr(DbwExportRecord) copy = NULL;
  g_autoptr(DbwQueryModel) model = NULL;
  g_autoptr(GPtrArray) exports = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  DbwExportRecord *listed;
  DbwModelLineage *listed_model;
  g_autoptr(DbwExportRecord) from_model = NULL;

  dbw_export_record_set_use (export, "training");
  dbw_export_record_set_format (export, "jsonl");
  dbw_export_record_set_qa_pair_ids (export, ids);
  dbw_export_record_set_counts (export, "{\"exported\":3}");
  dbw_export_record_set_split_config (export, split);
  g_assert_true (dbw_store_insert (f->store, export, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_record_is_partial (DBW_RECORD (export)));

  dbw_model_lineage_set_model_name (lineage, "main.radiation.triage");
  dbw_model_lineage_set_qa_pair_ids (lineage, ids);
  dbw_model_lineage_set_train_pair_count (lineage, 2);
  g_assert_true (dbw_store_insert (f->store, lineage, &error));
  g_assert_no_error (error);

  exports = dbw_store_list (f->store, DBW_TYPE_EXPORT_RECORD, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exports->len, ==, 1);
  listed = g_ptr_array_index (exports, 0);
  g_assert_true (dbw_record_is_partial (DBW_RECORD (listed)));
  g_assert_null (dbw_export_record_get_qa_pair_ids (listed));
  g_assert_null (dbw_export_record_get_split_config (listed));
  g_assert_cmpstr (dbw_export_record_get_counts (listed), ==, "{\"exported\":3}");
  g_assert_cmpstr (dbw_export_record_get_format (listed), ==, "jsonl");
  g_assert_cmpstr (dbw_export_record_get_created_at (listed), ==, dbw_export_record_get_created_at (export));

  models = dbw_store_list (f->store, DBW_TYPE_MODEL_LINEAGE, NULL, NULL, &error);
  g_assert_no_error (error);
  listed_model = g_ptr_array_index (models, 0);
  g_assert_true (dbw_record_is_partial (DBW_RECORD (listed_model)));
  g_assert_null (dbw_model_lineage_get_qa_pair_ids (listed_model));
  g_assert_cmpint (dbw_model_lineage_get_train_pair_count (listed_model), ==, 2);

  model = dbw_query_model_new (f->store, DBW_TYPE_EXPORT_RECORD);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  from_model = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (dbw_record_is_partial (DBW_RECORD (from_model)));
  g_assert_null (dbw_export_record_get_qa_pair_ids (from_model));

  whole = dbw_store_get (f->store, DBW_TYPE_EXPORT_RECORD, dbw_record_get_id (DBW_RECORD (listed)), &error);
  g_assert_no_error (error);
  g_assert_false (dbw_record_is_partial (DBW_RECORD (whole)));
  g_assert_cmpstr (dbw_export_record_get_qa_pair_ids (whole), ==, ids);
  g_assert_cmpstr (dbw_export_record_get_split_config (whole), ==, split);

  /* A copy is as partial as its original; writing either back would clear the ids. */
  copy = dbw_record_copy (DBW_RECORD (listed));
  g_assert_true (dbw_record_is_partial (DBW_RECORD (copy)));
  g_test_expect_message ("dbw-store", G_LOG_LEVEL_CRITICAL, "*partial*");
  g_assert_false (dbw_store_update (f->store, listed, NULL));
  g_test_assert_expected_messages ();
  g_clear_object (&whole);
  whole = dbw_store_get (f->store, DBW_TYPE_EXPORT_RECORD, dbw_record_get_id (DBW_RECORD (listed)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_export_record_get_qa_pair_ids (whole), ==, ids);

  /* Read whole again, a record is no longer partial. */
  dbw_record_copy_from (DBW_RECORD (copy), DBW_RECORD (whole));
  g_assert_false (dbw_record_is_partial (DBW_RECORD (copy)));
}

static void
test_json_roundtrip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DbwCanonicalLabel) label = make_label (f, "pcb-004.png");
  g_autoptr(DbwCanonicalLabel) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_back = NULL;
  const char *allowed[] = { "training", "validation", NULL };
  JsonObject *object;

  dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_OBJECT_DETECTION);
  dbw_canonical_label_set_label_data (label, "{\"objects\":[{\"class\":\"solder_bridge\",\"bbox\":[412,230,36,18]}]}");
  dbw_canonical_label_set_allowed_uses (label, allowed);
  dbw_canonical_label_set_confidence (label, DBW_CONFIDENCE_MEDIUM);
  g_assert_true (dbw_store_insert (f->store, label, &error));

  node = dbw_record_to_json (DBW_RECORD (label));
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "label_type"), ==, "object_detection");
  g_assert_cmpstr (json_object_get_string_member (object, "confidence"), ==, "medium");
  /* JSON columns are embedded as JSON, lists as arrays. */
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "label_data")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "allowed_uses")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, dbw_record_get_id (DBW_RECORD (label)));

  json = dbw_record_to_json_string (DBW_RECORD (label), FALSE);
  back = dbw_record_new_from_json_string (DBW_TYPE_CANONICAL_LABEL, json, &error);
  g_assert_no_error (error);
  json_back = dbw_record_to_json_string (DBW_RECORD (back), FALSE);
  g_assert_cmpstr (json, ==, json_back);

  /* Every type round-trips through JSON. */
  {
    GType types[] = { DBW_TYPE_SHEET, DBW_TYPE_ITEM, DBW_TYPE_TEMPLATE, DBW_TYPE_TRAINING_SHEET, DBW_TYPE_QA_PAIR };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        g_autoptr(DbwRecord) record = g_object_new (types[i], NULL);
        g_autoptr(DbwRecord) copy = NULL;
        g_autofree char *a = dbw_record_to_json_string (record, TRUE);
        g_autofree char *b = NULL;

        copy = dbw_record_new_from_json_string (types[i], a, &error);
        g_assert_no_error (error);
        b = dbw_record_to_json_string (copy, TRUE);
        g_assert_cmpstr (a, ==, b);
      }
  }
}

static void
test_json_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwQaPair) pair = NULL;

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "{\"status\":\"approved\"}", &error);
  g_assert_null (pair);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "status"));
  g_assert_nonnull (strstr (error->message, "unlabeled, labeled, rejected, flagged"));
  g_clear_error (&error);

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "{\"ai_confidence\":\"high\"}", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ai_confidence"));
  g_clear_error (&error);

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "{\"allowed_uses\":[\"training\", 3]}", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "allowed_uses"));
  g_clear_error (&error);

  /* Numbers and text that could not be written back as JSON are refused. */
  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "{\"quality_score\":1e999}", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "quality_score"));
  g_clear_error (&error);

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "{\"review_notes\":\"\\ud800x\"}", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "review_notes"));
  g_clear_error (&error);

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "[1, 2", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR, "[]", &error);
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  pair = dbw_record_new_from_json_string (DBW_TYPE_QA_PAIR,
                                          "{\"status\":\"flagged\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"ai_confidence\":null}",
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_FLAGGED);
  g_assert_cmpstr (dbw_qa_pair_get_messages (pair), ==, "[{\"role\":\"user\",\"content\":\"hi\"}]");
  g_assert_cmpfloat (dbw_qa_pair_get_ai_confidence (pair), <, 0.0);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_notify_only_on_change (void)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  guint count = 0;

  g_signal_connect (sheet, "notify::name", G_CALLBACK (on_notify_cb), &count);
  dbw_sheet_set_name (sheet, "A");
  dbw_sheet_set_name (sheet, "A");
  g_object_set (sheet, "name", "A", NULL);
  g_assert_cmpuint (count, ==, 1);
  dbw_sheet_set_name (sheet, "B");
  g_assert_cmpuint (count, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/sheet/crud", test_sheet_crud);
  ADD ("/store/sheet/constraints", test_sheet_constraints);
  ADD ("/store/item/crud-and-constraints", test_item_crud);
  ADD ("/store/template/published-immutable", test_template_immutable);
  ADD ("/store/canonical-label/unique-and-versions", test_canonical_label_versions);
  ADD ("/store/update-changed", test_update_changed);
  ADD ("/store/training-sheet/pairs", test_training_sheet_and_pairs);
  ADD ("/store/json/roundtrip", test_json_roundtrip);
  ADD ("/store/deferred-columns", test_deferred_columns);
#undef ADD
  g_test_add_func ("/record/json/errors", test_json_errors);
  g_test_add_func ("/record/notify-only-on-change", test_notify_only_on_change);

  return g_test_run ();
}
