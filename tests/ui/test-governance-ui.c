/* test-governance-ui.c — the usage constraints dialog, badges and the audit log, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dbw-audit-model.h"
#include "dbw-audit-window.h"
#include "dbw-canonical-page.h"
#include "dbw-constraint-badges.h"
#include "dbw-constraints-dialog.h"
#include "dbw-label-page.h"
#include "dbw-od-formats.h"
#include "ui-test-pairs.h"
#include "ui-test-util.h"

static char *tmp_dir;

typedef struct
{
  DbwWindow *window;
  DbwStore  *store;
  char      *training_sheet_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint n = 0;
  g_autofree char *name = g_strdup_printf ("governance-%u.dbw", ++n);

  /* A file of its own: the last test's project may still be closing (once, under load,
   * making the demo anew at the same name found the old one's tables). */
  f->window = ui_test_open_demo (tmp_dir, name);
  f->store = g_object_ref (dbw_window_get_store (f->window));
  dbw_store_set_user (f->store, "gus@example.org");
  f->training_sheet_id = ui_test_add_pairs (f->store, 5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (dbw_store_get_path (f->store));

  ui_test_destroy_window (GTK_WINDOW (f->window));
  ui_test_spin_idle ();
  g_clear_object (&f->store);
  g_free (f->training_sheet_id);
  g_unlink (path);
}

static void
on_applied_cb (DbwConstraintsDialog *dialog,
               gint64                n_changed,
               gpointer              user_data)
{
  *(gint64 *) user_data = n_changed;
}

static gboolean
applied (gpointer data)
{
  return *(gint64 *) data >= 0;
}

static DbwQaPair *
load_pair (Fixture    *f,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  DbwQaPair *pair = dbw_store_get (f->store, DBW_TYPE_QA_PAIR, id, &error);

  g_assert_no_error (error);
  return pair;
}

static gint64
apply_bulk (Fixture            *f,
            const char * const *ids,
            const char         *reason)
{
  DbwConstraintsDialog *dialog;
  gint64 n_changed = -1;

  dialog = dbw_constraints_dialog_new (GTK_WINDOW (f->window), f->store, DBW_GOVERNANCE_TARGET_QA_PAIR, ids);
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect (dialog, "applied", G_CALLBACK (on_applied_cb), &n_changed);
  g_assert_cmpuint (dbw_constraints_dialog_get_n_targets (dialog), ==, g_strv_length ((char **) ids));

  /* Many targets: every use and the classification start at "Keep"; one target shows
   * what it has (the fixture's pairs have no uses and are internal). */
  for (guint i = 0; i < DBW_N_USES; i++)
    g_assert_cmpint (dbw_constraints_dialog_get_use_state (dialog, i), ==,
                     ids[1] != NULL ? DBW_USE_STATE_KEEP : DBW_USE_STATE_NEITHER);
  g_assert_cmpint (dbw_constraints_dialog_get_classification (dialog), ==,
                   ids[1] != NULL ? -1 : DBW_CLASSIFICATION_INTERNAL);

  dbw_constraints_dialog_set_use_state (dialog, 0, DBW_USE_STATE_PROHIBITED);
  dbw_constraints_dialog_set_classification (dialog, DBW_CLASSIFICATION_RESTRICTED);

  /* Without a reason Apply does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "constraints.apply", NULL);
  ui_test_spin_idle ();
  g_assert_false (dbw_constraints_dialog_get_busy (dialog));
  g_assert_cmpint (n_changed, ==, -1);

  dbw_constraints_dialog_set_reason (dialog, reason);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "constraints.apply", NULL);
  ui_test_spin_until (applied, &n_changed);
  return n_changed;
}

static void
test_bulk_dialog (Fixture       *f,
                  gconstpointer  data)
{
  const char *ids[] = { "pair-000000", "pair-000001", "pair-000002", NULL };
  g_autoptr(DbwQaPair) changed = NULL;
  g_autoptr(DbwQaPair) untouched = NULL;

  g_assert_cmpint (apply_bulk (f, ids, "Vendor data: no training"), ==, 3);

  changed = load_pair (f, "pair-000001");
  untouched = load_pair (f, "pair-000003");
  g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (changed), "training"));
  g_assert_cmpint (dbw_qa_pair_get_data_classification (changed), ==, DBW_CLASSIFICATION_RESTRICTED);
  g_assert_cmpstr (dbw_qa_pair_get_usage_reason (changed), ==, "Vendor data: no training");
  g_assert_false (g_strv_contains (dbw_qa_pair_get_prohibited_uses (untouched), "training"));
}

static void
test_single_dialog_shows_current (Fixture       *f,
                                  gconstpointer  data)
{
  const char *bulk[] = { "pair-000004", NULL };
  DbwConstraintsDialog *dialog;

  /* One pair: the dialog shows what it has, without "Keep". */
  g_assert_cmpint (apply_bulk (f, bulk, "Restricted source"), ==, 1);
  dialog = dbw_constraints_dialog_new (GTK_WINDOW (f->window), f->store, DBW_GOVERNANCE_TARGET_QA_PAIR, bulk);
  g_assert_cmpint (dbw_constraints_dialog_get_use_state (dialog, 0), ==, DBW_USE_STATE_PROHIBITED);
  g_assert_cmpint (dbw_constraints_dialog_get_classification (dialog), ==, DBW_CLASSIFICATION_RESTRICTED);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_badges (Fixture       *f,
             gconstpointer  data)
{
  const char *ids[] = { "pair-000002", NULL };
  g_autoptr(DbwQaPair) pair = NULL;
  GtkWidget *badges = g_object_ref_sink (dbw_constraint_badges_new ());
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;

  g_assert_cmpint (apply_bulk (f, ids, "Customer request"), ==, 1);
  pair = load_pair (f, "pair-000002");
  dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (badges), pair);
  text = dbw_constraint_badges_dup_text (DBW_CONSTRAINT_BADGES (badges));
  g_assert_cmpstr (text, ==, "Restricted; Prohibited for training");
  g_assert_nonnull (gtk_widget_get_first_child (badges));

  /* The badges follow the record they show: a list refreshes its records in place. */
  {
    const char *uses[] = { "training", "evaluation", NULL };
    g_autofree char *followed = NULL;

    dbw_qa_pair_set_prohibited_uses (pair, uses);
    followed = dbw_constraint_badges_dup_text (DBW_CONSTRAINT_BADGES (badges));
    g_assert_cmpstr (followed, ==, "Restricted; Prohibited for training; Prohibited for evaluation");
  }

  /* Binding the same constraints again keeps the pills as they are. */
  {
    GtkWidget *first = gtk_widget_get_first_child (badges);

    dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (badges), pair);
    g_assert_true (gtk_widget_get_first_child (badges) == first);
  }

  dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (badges), NULL);
  empty = dbw_constraint_badges_dup_text (DBW_CONSTRAINT_BADGES (badges));
  g_assert_cmpstr (empty, ==, "");
  g_assert_null (gtk_widget_get_first_child (badges));
  g_object_unref (badges);
}

/* In a table cell, the usual case (internal, nothing prohibited) shows no pill but still
 * says what it is; anything else shows. */
static void
test_badges_quiet (Fixture       *f,
                   gconstpointer  data)
{
  const char *ids[] = { "pair-000003", NULL };
  g_autoptr(DbwQaPair) plain = load_pair (f, "pair-000004");
  g_autoptr(DbwQaPair) restricted = NULL;
  GtkWidget *badges = g_object_ref_sink (dbw_constraint_badges_new ());
  g_autofree char *plain_text = NULL;

  g_assert_cmpint (dbw_qa_pair_get_data_classification (plain), ==, DBW_CLASSIFICATION_INTERNAL);
  g_assert_true (dbw_qa_pair_get_prohibited_uses (plain) == NULL || dbw_qa_pair_get_prohibited_uses (plain)[0] == NULL);

  dbw_constraint_badges_set_quiet (DBW_CONSTRAINT_BADGES (badges), TRUE);
  dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (badges), plain);
  g_assert_null (gtk_widget_get_first_child (badges));
  plain_text = dbw_constraint_badges_dup_text (DBW_CONSTRAINT_BADGES (badges));
  g_assert_cmpstr (plain_text, ==, "Internal");

  /* Not quiet, the same record shows its classification. */
  dbw_constraint_badges_set_quiet (DBW_CONSTRAINT_BADGES (badges), FALSE);
  g_assert_nonnull (gtk_widget_get_first_child (badges));
  dbw_constraint_badges_set_quiet (DBW_CONSTRAINT_BADGES (badges), TRUE);
  g_assert_null (gtk_widget_get_first_child (badges));

  g_assert_cmpint (apply_bulk (f, ids, "Customer request"), ==, 1);
  restricted = load_pair (f, "pair-000003");
  dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (badges), restricted);
  g_assert_nonnull (gtk_widget_get_first_child (badges));
  g_assert_nonnull (gtk_widget_get_next_sibling (gtk_widget_get_first_child (badges)));

  dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (badges), plain);
  g_assert_null (gtk_widget_get_first_child (badges));
  g_object_unref (badges);
}

static gboolean
audit_loaded (gpointer data)
{
  return !dbw_audit_window_get_loading (DBW_AUDIT_WINDOW (data));
}

static guint
audit_count (DbwAuditWindow *audit)
{
  ui_test_spin_until (audit_loaded, audit);
  return g_list_model_get_n_items (dbw_audit_window_get_model (audit));
}

static void
test_audit_window (Fixture       *f,
                   gconstpointer  data)
{
  const char *first[] = { "pair-000000", "pair-000001", NULL };
  const char *second[] = { "pair-000003", NULL };
  DbwAuditWindow *audit;
  g_autoptr(DbwAuditEntry) newest = NULL;
  g_autofree char *summary = NULL;

  g_assert_cmpint (apply_bulk (f, first, "Vendor data"), ==, 2);
  dbw_store_set_user (f->store, "ida@example.org");
  g_assert_cmpint (apply_bulk (f, second, "Holdout"), ==, 1);

  /* From the primary menu's action. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.audit-log", NULL);
  audit = DBW_AUDIT_WINDOW (ui_test_find_toplevel (DBW_TYPE_AUDIT_WINDOW));
  g_assert_nonnull (audit);
  g_assert_true (dbw_audit_window_get_store (audit) == f->store);
  g_assert_cmpuint (audit_count (audit), ==, 3);

  newest = g_list_model_get_item (dbw_audit_window_get_model (audit), 0);
  g_assert_cmpstr (dbw_audit_entry_get (newest, DBW_AUDIT_FIELD_TARGET_ID), ==, "pair-000003");
  g_assert_cmpstr (dbw_audit_entry_get (newest, DBW_AUDIT_FIELD_MODIFIED_BY), ==, "ida@example.org");
  summary = dbw_audit_entry_dup_summary (newest);
  g_assert_nonnull (strstr (summary, "Training: neither → prohibited"));
  g_assert_nonnull (strstr (summary, "Internal → Restricted"));

  dbw_audit_window_set_user (audit, "gus@example.org");
  g_assert_cmpuint (audit_count (audit), ==, 2);
  dbw_audit_window_set_user (audit, NULL);
  dbw_audit_window_set_search_text (audit, "holdout");
  g_assert_cmpuint (audit_count (audit), ==, 1);
  dbw_audit_window_set_search_text (audit, "pair-000001");
  g_assert_cmpuint (audit_count (audit), ==, 1);
  dbw_audit_window_set_search_text (audit, NULL);
  dbw_audit_window_set_target_kind (audit, "canonical_labels");
  g_assert_cmpuint (audit_count (audit), ==, 0);
  dbw_audit_window_set_target_kind (audit, "qa_pairs");
  dbw_audit_window_set_range (audit, DBW_AUDIT_RANGE_DAY);
  g_assert_cmpuint (audit_count (audit), ==, 3);

  /* A new change shows without reopening. */
  g_assert_cmpint (apply_bulk (f, (const char *[]) { "pair-000004", NULL }, "Late change"), ==, 1);
  g_assert_cmpuint (audit_count (audit), ==, 4);

  /* Asking again presents the same window. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.audit-log", NULL);
  g_assert_true (ui_test_find_toplevel (DBW_TYPE_AUDIT_WINDOW) == GTK_WINDOW (audit));
}

/* 100,000 audit rows: the log opens and scrolls without reading them all. */
static void
test_audit_many (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_strdup (dbw_store_get_path (f->store));
  sqlite3 *db = NULL;
  DbwAuditWindow *audit;
  gint64 start;
  guint n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db,
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
                                 "INSERT INTO usage_constraint_audit (id, target_table, target_id, old_allowed_uses, "
                                 "new_allowed_uses, old_prohibited_uses, new_prohibited_uses, reason, modified_by, modified_at) "
                                 "SELECT 'a' || i, 'qa_pairs', 'pair-' || i, '[]', '[\"training\"]', '[]', '[]', "
                                 "'bulk ' || i, 'bot', strftime ('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (i % 90) || ' days') FROM n",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  start = g_get_monotonic_time ();
  audit = dbw_audit_window_new (GTK_WINDOW (f->window), f->store);
  gtk_window_present (GTK_WINDOW (audit));
  n = audit_count (audit);
  g_assert_cmpuint (n, ==, 100000);
  for (guint i = 0; i < n; i += 997)
    {
      g_autoptr(DbwAuditEntry) entry = g_list_model_get_item (dbw_audit_window_get_model (audit), i);

      g_assert_nonnull (dbw_audit_entry_get (entry, DBW_AUDIT_FIELD_TARGET_ID));
    }
  /* How fast is for a benchmark to say; here only reported. */
  g_test_message ("100,000 audit rows listed and sampled in %.2f s", (g_get_monotonic_time () - start) / 1e6);

  dbw_audit_window_set_range (audit, DBW_AUDIT_RANGE_WEEK);
  n = audit_count (audit);
  g_assert_cmpuint (n, >, 5000);
  g_assert_cmpuint (n, <, 12000);
  gtk_window_destroy (GTK_WINDOW (audit));
}

static gboolean
pair_shown (gpointer data)
{
  return dbw_label_page_get_pair (DBW_LABEL_PAGE (data)) != NULL;
}

static gboolean
badges_say_prohibited (gpointer data)
{
  GtkWidget *badges = ui_test_find_widget (GTK_WIDGET (data), DBW_TYPE_CONSTRAINT_BADGES);
  g_autofree char *text = dbw_constraint_badges_dup_text (DBW_CONSTRAINT_BADGES (badges));

  return strstr (text, "Prohibited for training") != NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return ui_test_find_toplevel (DBW_TYPE_CONSTRAINTS_DIALOG) != NULL;
}

/* The dialog, once shown: some actions read what it applies to in a worker first. */
static DbwConstraintsDialog *
take_dialog (void)
{
  ui_test_spin_until (dialog_shown, NULL);
  ui_test_spin_idle ();
  return DBW_CONSTRAINTS_DIALOG (ui_test_find_toplevel (DBW_TYPE_CONSTRAINTS_DIALOG));
}

static gint64
prohibit_training (DbwConstraintsDialog *dialog,
                   const char           *reason)
{
  gint64 n_changed = -1;

  g_signal_connect (dialog, "applied", G_CALLBACK (on_applied_cb), &n_changed);
  dbw_constraints_dialog_set_use_state (dialog, 0, DBW_USE_STATE_PROHIBITED);
  dbw_constraints_dialog_set_reason (dialog, reason);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "constraints.apply", NULL);
  ui_test_spin_until (applied, &n_changed);
  ui_test_spin_idle ();
  return n_changed;
}

/* Label page: the pair on show, by its action (the U key and the header button). */
static void
test_label_page (Fixture       *f,
                 gconstpointer  data)
{
  DbwLabelPage *page;
  DbwConstraintsDialog *dialog;
  g_autofree char *id = NULL;
  g_autoptr(DbwQaPair) stored = NULL;

  g_assert_true (dbw_window_show_page (f->window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (f->window, "label"));
  g_assert_true (dbw_label_page_select_training_sheet (page, f->training_sheet_id));
  ui_test_spin_until (pair_shown, page);
  id = g_strdup (dbw_record_get_id (DBW_RECORD (dbw_label_page_get_pair (page))));

  gtk_widget_activate_action (GTK_WIDGET (page), "label.constraints", NULL);
  dialog = take_dialog ();
  g_assert_cmpuint (dbw_constraints_dialog_get_n_targets (dialog), ==, 1);
  g_assert_cmpint (prohibit_training (dialog, "Pilot customer"), ==, 1);
  g_assert_null (ui_test_find_toplevel (DBW_TYPE_CONSTRAINTS_DIALOG));

  stored = load_pair (f, id);
  g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (stored), "training"));
  /* The page shows the pair's new badges. */
  ui_test_spin_until (badges_say_prohibited, page);
}

/* Canonical Labeling Tool: every label of the sheet's type at once; the object-detection
 * export then leaves them out of a training set. */
static void
test_canonical_bulk (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DbwRecord) sheet = ui_test_find_named (f->store, DBW_TYPE_SHEET, "PCB inspection images");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree char *out_path = g_build_filename (tmp_dir, "boards.json", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  DbwCanonicalPage *page;
  DbwConstraintsDialog *dialog;

  labels = dbw_store_list (f->store, DBW_TYPE_CANONICAL_LABEL, "sheet_id", dbw_record_get_id (sheet), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, >, 1);
  g_assert_cmpint (dbw_od_export (f->store, dbw_record_get_id (sheet), DBW_OD_FORMAT_COCO, out, NULL, &error), ==, labels->len);

  g_assert_true (dbw_window_show_page (f->window, "canonical"));
  page = DBW_CANONICAL_PAGE (dbw_window_get_page (f->window, "canonical"));
  g_assert_true (dbw_canonical_page_set_sheet (page, dbw_record_get_id (sheet)));
  dbw_canonical_page_set_label_type (page, DBW_LABEL_TYPE_OBJECT_DETECTION);
  ui_test_spin_until (ui_test_canonical_start_found, page);

  gtk_widget_activate_action (GTK_WIDGET (page), "canonical.constraints-all", NULL);
  dialog = take_dialog ();
  g_assert_cmpuint (dbw_constraints_dialog_get_n_targets (dialog), ==, labels->len);
  g_assert_cmpint (prohibit_training (dialog, "Boards of a customer under NDA"), ==, labels->len);

  g_assert_cmpint (dbw_od_export (f->store, dbw_record_get_id (sheet), DBW_OD_FORMAT_COCO, out, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_od_export_for_use (f->store, dbw_record_get_id (sheet), DBW_USE_EVALUATION,
                                          DBW_OD_FORMAT_COCO, out, NULL, NULL, &error), ==, labels->len);
  g_unlink (out_path);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  tmp_dir = g_dir_make_tmp ("dbw-governance-ui-XXXXXX", NULL);

#define ADD(path, func) g_test_add ("/governance-ui/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("bulk-dialog", test_bulk_dialog);
  ADD ("single-dialog", test_single_dialog_shows_current);
  ADD ("badges", test_badges);
  ADD ("badges/quiet", test_badges_quiet);
  ADD ("audit-window", test_audit_window);
  ADD ("audit-many", test_audit_many);
  ADD ("label-page", test_label_page);
  ADD ("canonical-bulk", test_canonical_bulk);
#undef ADD

  status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
