/* lineage-fixture.h — a project with everything lineage connects, for tests of any layer
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "generation-fixture.h"

/* Sheet "Cities" (row_0…row_5) and sheet "Other" (row_0), a published template, a
 * canonical label on Cities/row_0, training sheet "ts-1" from the template with pairs
 * pair-0 (row_0, through the label), pair-1 (row_1), pair-2 (row_2), pair-3 (row_1);
 * export "export-1" of pair-0 and pair-1; model "Climate" version 1 trained on that
 * export, and version 2 trained on pair-0 and pair-2 with no export. */
typedef struct
{
  char *sheet_id;
  char *other_sheet_id;
  char *template_id;  /* the templates row id */
  char *label_id;
} LineageFixture;

static inline void
lineage_exec (DbwStore   *store,
              const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (dbw_store_get_path (store), &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static inline void
lineage_fixture_fill (LineageFixture *f,
                      DbwStore       *store)
{
  g_autoptr(DbwSheet) sheet = gen_add_sheet (store, "Cities", 6);
  g_autoptr(DbwSheet) other = gen_add_sheet (store, "Other", 1);
  g_autoptr(DbwTemplate) tmpl = gen_add_template (store, "Climate classifier", DBW_TEMPLATE_STATUS_PUBLISHED);
  g_autoptr(DbwCanonicalLabel) label = gen_add_canonical (store, sheet, "row_0", DBW_LABEL_TYPE_CLASSIFICATION,
                                                          "{\"label\":\"warm\"}");
  g_autofree char *sql = NULL;

  f->sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
  f->other_sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (other)));
  f->template_id = g_strdup (dbw_record_get_id (DBW_RECORD (tmpl)));
  f->label_id = g_strdup (dbw_record_get_id (DBW_RECORD (label)));

  sql = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO training_sheets (id, name, sheet_id, template_id, status, created_at, updated_at)"
    "  VALUES ('ts-1', 'Climate pairs', '%s', '%s', 'approved', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
    "INSERT INTO qa_pairs (id, training_sheet_id, item_ref, messages, canonical_label_id, status, labeling_mode,"
    "  created_at, updated_at) VALUES"
    "  ('pair-0', 'ts-1', 'row_0', '[]', '%s', 'labeled', 'canonical', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
    "  ('pair-1', 'ts-1', 'row_1', '[]', NULL, 'labeled', 'manual', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
    "  ('pair-2', 'ts-1', 'row_2', '[]', NULL, 'labeled', 'ai_generated', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
    "  ('pair-3', 'ts-1', 'row_1', '[]', NULL, 'unlabeled', 'ai_generated', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
    "INSERT INTO exports (id, training_sheet_ids, use, format, qa_pair_ids, created_at)"
    "  VALUES ('export-1', '[\"ts-1\"]', 'training', 'jsonl', '[\"pair-0\",\"pair-1\"]', '2026-01-02T00:00:00Z');"
    "INSERT INTO model_training_lineage (id, model_name, model_version, training_sheet_id, qa_pair_ids,"
    "  train_pair_count, export_id, trained_at) VALUES"
    "  ('model-1', 'Climate', '1', 'ts-1', '[\"pair-0\",\"pair-1\"]', 2, 'export-1', '2026-01-03T00:00:00Z'),"
    "  ('model-2', 'Climate', '2', 'ts-1', '[\"pair-0\",\"pair-2\"]', 2, NULL, '2026-01-04T00:00:00Z');"
    "COMMIT;",
    f->sheet_id, f->template_id, f->label_id);
  lineage_exec (store, sql);
}

static inline void
lineage_fixture_clear (LineageFixture *f)
{
  g_clear_pointer (&f->sheet_id, g_free);
  g_clear_pointer (&f->other_sheet_id, g_free);
  g_clear_pointer (&f->template_id, g_free);
  g_clear_pointer (&f->label_id, g_free);
}
