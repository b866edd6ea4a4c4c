/* test-label-page.c — Mode A under Xvfb: a keyboard-only review, and nothing lost on a kill
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dbw-canonical-label.h"
#include "dbw-code-view.h"
#include "dbw-constraint-badges.h"
#include "dbw-constraints-dialog.h"
#include "dbw-item-preview.h"
#include "dbw-label-page.h"
#include "dbw-qa-pair.h"
#include "dbw-training-sheet.h"
#include "dbw-window.h"
#include "ui-test-keys.h"
#include "ui-test-pairs.h"
#include "ui-test-util.h"

#define N_PAIRS 20

static char *tmp_dir;
static const char *self_path;

/* Without the demo's own Training Sheet, whose pairs would count with the test's. */
static DbwWindow *
open_demo_without_pairs (const char *name)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, name);
  DbwStore *store = dbw_window_get_store (window);
  g_autoptr(GPtrArray) training_sheets = dbw_store_list (store, DBW_TYPE_TRAINING_SHEET, NULL, NULL, NULL);

  g_assert_nonnull (training_sheets);
  for (guint i = 0; i < training_sheets->len; i++)
    g_assert_true (dbw_store_delete (store, DBW_TYPE_TRAINING_SHEET,
                                     dbw_record_get_id (g_ptr_array_index (training_sheets, i)), NULL));
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, NULL, NULL, NULL), ==, 0);
  ui_test_spin_idle ();

  return window;
}

typedef struct
{
  DbwLabelPage *page;
  const char   *pair_id;
} PairWait;

static gboolean
shows_pair (gpointer data)
{
  PairWait *wait = data;
  DbwQaPair *pair = dbw_label_page_get_pair (wait->page);

  return pair != NULL && g_strcmp0 (dbw_record_get_id (DBW_RECORD (pair)), wait->pair_id) == 0;
}

static void
wait_for_pair (DbwLabelPage *page,
               const char   *pair_id)
{
  PairWait wait = { page, pair_id };

  ui_test_spin_until (shows_pair, &wait);
}

typedef struct
{
  DbwLabelPage *page;
  guint         n_items;
} QueueWait;

static gboolean
queue_has (gpointer data)
{
  QueueWait *wait = data;

  return g_list_model_get_n_items (dbw_label_page_get_queue (wait->page)) == wait->n_items;
}

/* The queue is counted again in a worker after a change. */
static void
wait_for_queue (DbwLabelPage *page,
                guint         n_items)
{
  QueueWait wait = { page, n_items };

  ui_test_spin_until (queue_has, &wait);
}

static gboolean
queue_settled (gpointer data)
{
  DbwLabelPage *page = data;
  GListModel *queue = dbw_label_page_get_queue (page);
  gboolean loading = FALSE;

  if (queue == NULL)
    return FALSE;
  g_object_get (queue, "loading", &loading, NULL);

  return !loading && dbw_label_page_get_position (page) != GTK_INVALID_LIST_POSITION;
}

/* The queue is empty and the page says everything is reviewed. */
static gboolean
queue_done (gpointer data)
{
  DbwLabelPage *page = data;
  GtkStack *review_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), DBW_TYPE_LABEL_PAGE, "review_stack"));

  return g_list_model_get_n_items (dbw_label_page_get_queue (page)) == 0 &&
         g_str_equal (gtk_stack_get_visible_child_name (review_stack), "done");
}

static DbwQaPair *
get_pair (DbwStore   *store,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  DbwQaPair *pair = dbw_store_get (store, DBW_TYPE_QA_PAIR, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pair);
  return pair;
}

static char *
pair_id (guint i)
{
  return g_strdup_printf ("pair-%06u", i);
}

static void
assert_status (DbwStore    *store,
               guint        i,
               DbwQaStatus  status,
               const char  *notes)
{
  g_autofree char *id = pair_id (i);
  g_autoptr(DbwQaPair) pair = get_pair (store, id);

  g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, status);
  if (notes != NULL)
    g_assert_cmpstr (dbw_qa_pair_get_review_notes (pair), ==, notes);
}

static GtkWidget *
template_child (GtkWidget  *page,
                const char *name)
{
  GObject *object = gtk_widget_get_template_child (page, DBW_TYPE_LABEL_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
on_pointer_pressed_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       guint           *count)
{
  (*count)++;
}

/* Opens @path's project in a window on the Label page, showing @training_sheet_id. */
static DbwLabelPage *
show_label_page (DbwWindow  *window,
                 const char *training_sheet_id)
{
  DbwLabelPage *page;

  g_assert_true (dbw_window_show_page (window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (window, "label"));
  g_assert_true (dbw_label_page_select_training_sheet (page, training_sheet_id));
  ui_test_spin_until (queue_settled, page);
  ui_test_keys_focus (GTK_WINDOW (window));

  return page;
}

/* A full review of 20 pairs with the keyboard alone: approve, edit and save, reject with a
 * reason, flag with a note, J and K, undo and redo; the queue of unlabeled pairs empties and
 * every decision is in the project. */
static void
test_keyboard_review (void)
{
  DbwWindow *window;
  DbwLabelPage *page;
  DbwStore *store;
  GtkWindow *win;
  g_autofree char *training_sheet_id = NULL;
  g_autofree char *id = NULL;
  GtkGesture *clicks;
  guint n_clicks = 0;

  /* build-aux/test runs the suite on Xvfb with libxtst6 installed. */
  g_assert_true (ui_test_keys_available ());

  window = open_demo_without_pairs ("review.dbw");
  win = GTK_WINDOW (window);
  store = dbw_window_get_store (window);
  training_sheet_id = ui_test_add_pairs (store, N_PAIRS);

  /* Proof that no pointer button is pressed anywhere in the window. */
  clicks = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (clicks), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (clicks), GTK_PHASE_CAPTURE);
  g_signal_connect (clicks, "pressed", G_CALLBACK (on_pointer_pressed_cb), &n_clicks);
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (clicks));

  page = show_label_page (window, training_sheet_id);
  wait_for_pair (page, "pair-000000");
  g_assert_cmpuint (g_list_model_get_n_items (dbw_label_page_get_queue (page)), ==, N_PAIRS);

  /* The conversation and the source item's preview (a reading: its fields). */
  {
    DbwItemPreview *preview = DBW_ITEM_PREVIEW (template_child (GTK_WIDGET (page), "preview"));

    g_assert_nonnull (dbw_item_preview_get_item (preview));
    g_assert_cmpstr (dbw_item_preview_get_mode (preview), ==, "fields");
  }

  /* A: approved, on to the next; the queue of unlabeled pairs loses it. */
  ui_test_keys_press (win, GDK_KEY_a, 0);
  assert_status (store, 0, DBW_QA_STATUS_LABELED, NULL);
  wait_for_pair (page, "pair-000001");
  ui_test_spin_until (queue_settled, page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_label_page_get_queue (page)), ==, N_PAIRS - 1);
  g_assert_cmpuint (dbw_label_page_get_position (page), ==, 0);
  {
    g_autoptr(DbwQaPair) approved = get_pair (store, "pair-000000");

    /* The template classifies: approving made the canonical label. */
    g_assert_nonnull (dbw_qa_pair_get_canonical_label_id (approved));
  }

  /* J and K walk the queue without deciding. */
  ui_test_keys_press (win, GDK_KEY_j, 0);
  wait_for_pair (page, "pair-000002");
  ui_test_keys_press (win, GDK_KEY_j, 0);
  wait_for_pair (page, "pair-000003");
  ui_test_keys_press (win, GDK_KEY_k, 0);
  wait_for_pair (page, "pair-000002");
  ui_test_keys_press (win, GDK_KEY_k, 0);
  wait_for_pair (page, "pair-000001");
  assert_status (store, 1, DBW_QA_STATUS_UNLABELED, NULL);
  assert_status (store, 2, DBW_QA_STATUS_UNLABELED, NULL);

  /* E: the editor takes the keys — letters that are shortcuts elsewhere are text here —
   * and Ctrl+Return saves the answer and approves the pair. */
  ui_test_keys_press (win, GDK_KEY_e, 0);
  g_assert_true (gtk_widget_get_visible (template_child (GTK_WIDGET (page), "editor_box")));
  ui_test_keys_press (win, GDK_KEY_a, GDK_CONTROL_MASK);
  ui_test_keys_type (win, "{\"class\": \"investigate\", \"reason\": \"rejected after a fresh check\"}");
  assert_status (store, 1, DBW_QA_STATUS_UNLABELED, NULL);
  assert_status (store, 2, DBW_QA_STATUS_UNLABELED, NULL);
  ui_test_keys_press (win, GDK_KEY_Return, GDK_CONTROL_MASK);
  wait_for_pair (page, "pair-000002");
  {
    g_autoptr(DbwQaPair) edited = get_pair (store, "pair-000001");

    g_assert_cmpint (dbw_qa_pair_get_status (edited), ==, DBW_QA_STATUS_LABELED);
    g_assert_nonnull (strstr (dbw_qa_pair_get_messages (edited), "rejected after a fresh check"));
    g_assert_null (strstr (dbw_qa_pair_get_messages (edited), "At background, pair 1."));
  }
  g_assert_false (gtk_widget_get_visible (template_child (GTK_WIDGET (page), "editor_box")));

  /* E then Escape: nothing changes. */
  ui_test_keys_press (win, GDK_KEY_e, 0);
  ui_test_keys_type (win, "x");
  ui_test_keys_press (win, GDK_KEY_Escape, 0);
  g_assert_false (gtk_widget_get_visible (template_child (GTK_WIDGET (page), "editor_box")));
  assert_status (store, 2, DBW_QA_STATUS_UNLABELED, NULL);
  g_assert_true (shows_pair (&(PairWait) { page, "pair-000002" }));

  /* R asks the reason; Enter confirms. An empty reason is refused. */
  ui_test_keys_press (win, GDK_KEY_r, 0);
  g_assert_true (gtk_widget_get_visible (template_child (GTK_WIDGET (page), "note_popover")));
  ui_test_keys_press (win, GDK_KEY_Return, 0);
  assert_status (store, 2, DBW_QA_STATUS_UNLABELED, NULL);
  ui_test_keys_type (win, "wrong unit");
  ui_test_keys_press (win, GDK_KEY_Return, 0);
  assert_status (store, 2, DBW_QA_STATUS_REJECTED, "wrong unit");
  wait_for_pair (page, "pair-000003");
  g_assert_false (gtk_widget_get_visible (template_child (GTK_WIDGET (page), "note_popover")));

  /* F with a note. */
  ui_test_keys_press (win, GDK_KEY_f, 0);
  ui_test_keys_type (win, "check the source");
  ui_test_keys_press (win, GDK_KEY_Return, 0);
  assert_status (store, 3, DBW_QA_STATUS_FLAGGED, "check the source");
  wait_for_pair (page, "pair-000004");

  /* Ctrl+Z undoes the flag and shows that pair again; Ctrl+Shift+Z does it again. */
  ui_test_keys_press (win, GDK_KEY_z, GDK_CONTROL_MASK);
  assert_status (store, 3, DBW_QA_STATUS_UNLABELED, NULL);
  wait_for_pair (page, "pair-000003");
  ui_test_keys_press (win, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  assert_status (store, 3, DBW_QA_STATUS_FLAGGED, "check the source");
  wait_for_pair (page, "pair-000003");

  /* Undo twice more (the flag and the reject), redo both: nothing lost on the way. */
  ui_test_keys_press (win, GDK_KEY_z, GDK_CONTROL_MASK);
  ui_test_keys_press (win, GDK_KEY_z, GDK_CONTROL_MASK);
  assert_status (store, 2, DBW_QA_STATUS_UNLABELED, NULL);
  assert_status (store, 3, DBW_QA_STATUS_UNLABELED, NULL);
  wait_for_pair (page, "pair-000002");
  ui_test_keys_press (win, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  ui_test_keys_press (win, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  assert_status (store, 2, DBW_QA_STATUS_REJECTED, "wrong unit");
  assert_status (store, 3, DBW_QA_STATUS_FLAGGED, "check the source");
  wait_for_pair (page, "pair-000003");

  /* The redone pair stays on show though it left the queue of unlabeled pairs; J goes on
   * from where it stood. */
  wait_for_queue (page, N_PAIRS - 4);
  g_assert_true (shows_pair (&(PairWait) { page, "pair-000003" }));
  ui_test_keys_press (win, GDK_KEY_j, 0);

  /* The rest, approved one after the other as they come. */
  for (guint i = 4; i < N_PAIRS; i++)
    {
      id = pair_id (i);
      wait_for_pair (page, id);
      ui_test_spin_until (queue_settled, page);
      ui_test_keys_press (win, GDK_KEY_a, 0);
      assert_status (store, i, DBW_QA_STATUS_LABELED, NULL);
      g_clear_pointer (&id, g_free);
    }

  /* The queue of unlabeled pairs is empty: the page says so. */
  ui_test_spin_until (queue_done, page);

  /* Everything is in the project. */
  for (guint i = 0; i < N_PAIRS; i++)
    {
      DbwQaStatus expected = i == 2 ? DBW_QA_STATUS_REJECTED : i == 3 ? DBW_QA_STATUS_FLAGGED : DBW_QA_STATUS_LABELED;

      assert_status (store, i, expected, NULL);
    }
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "labeled", NULL), ==, N_PAIRS - 2);
  g_assert_cmpuint (n_clicks, ==, 0);

  gtk_window_destroy (win);
  ui_test_spin_idle ();
}

/* Pairs decided elsewhere in one transaction, the one on show among them: the queue changes
 * in one step, and the page shows what stood after it. */
static void
test_decided_elsewhere (void)
{
  DbwWindow *window = open_demo_without_pairs ("elsewhere.dbw");
  DbwStore *store = dbw_window_get_store (window);
  g_autofree char *training_sheet_id = ui_test_add_pairs (store, N_PAIRS);
  g_autoptr(GError) error = NULL;
  DbwLabelPage *page = show_label_page (window, training_sheet_id);

  wait_for_pair (page, "pair-000000");
  ui_test_keys_press (GTK_WINDOW (window), GDK_KEY_j, 0);
  wait_for_pair (page, "pair-000001");
  g_assert_cmpuint (dbw_label_page_get_position (page), ==, 1);

  g_assert_true (dbw_store_begin (store, &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *id = pair_id (i);
      g_autoptr(DbwQaPair) pair = get_pair (store, id);

      dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);
      g_assert_true (dbw_store_update (store, pair, &error));
    }
  g_assert_true (dbw_store_commit (store, &error));
  g_assert_no_error (error);

  wait_for_queue (page, N_PAIRS - 2);
  g_assert_true (shows_pair (&(PairWait) { page, "pair-000002" }));
  g_assert_cmpuint (dbw_label_page_get_position (page), ==, 0);

  /* An answer edited and not saved: closing the window asks; Discard closes it, and the
   * pair is as it was. */
  {
    g_autoptr(DbwStore) held = g_object_ref (store);
    GtkWindow *dialog;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "label.edit", NULL));
    dbw_code_view_set_text (DBW_CODE_VIEW (template_child (GTK_WIDGET (page), "editor")), "{\"class\": \"edited\"}");
    gtk_window_close (GTK_WINDOW (window));
    ui_test_spin_idle ();
    g_assert_true (ui_test_is_toplevel ((GtkWindow *) window));
    dialog = ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_assert_nonnull (dialog);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "edited answer"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
    ui_test_spin_idle ();
    g_assert_false (ui_test_is_toplevel ((GtkWindow *) window));
    assert_status (held, 2, DBW_QA_STATUS_UNLABELED, NULL);
  }
}

/* List mode: several pairs selected, rejected with one reason in one step, and one undo
 * takes all of it back. */
static void
test_bulk (void)
{
  DbwWindow *window = open_demo_without_pairs ("bulk.dbw");
  DbwStore *store = dbw_window_get_store (window);
  g_autofree char *training_sheet_id = ui_test_add_pairs (store, N_PAIRS);
  DbwLabelPage *page;
  GtkColumnView *column_view;
  GtkSelectionModel *selection;
  GtkWidget *popover;

  g_assert_true (dbw_window_show_page (window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (window, "label"));
  g_assert_true (dbw_label_page_select_training_sheet (page, training_sheet_id));
  dbw_label_page_set_status_filter (page, NULL);
  ui_test_spin_until (queue_settled, page);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (template_child (GTK_WIDGET (page), "list_toggle")), TRUE);
  ui_test_spin_idle ();
  column_view = GTK_COLUMN_VIEW (template_child (GTK_WIDGET (page), "column_view"));
  selection = gtk_column_view_get_model (column_view);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, N_PAIRS);

  /* Nothing selected: nothing to decide. */
  gtk_widget_activate_action (GTK_WIDGET (page), "label.approve", NULL);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "labeled", NULL), ==, 0);

  gtk_selection_model_select_range (selection, 5, 10, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "label.reject", NULL);
  popover = template_child (GTK_WIDGET (page), "note_popover");
  g_assert_true (gtk_widget_get_visible (popover));
  gtk_editable_set_text (GTK_EDITABLE (template_child (GTK_WIDGET (page), "note_entry")), "duplicate readings");
  gtk_widget_activate_action (GTK_WIDGET (page), "label.confirm-note", NULL);
  ui_test_spin_idle ();

  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "rejected", NULL), ==, 10);
  for (guint i = 5; i < 15; i++)
    assert_status (store, i, DBW_QA_STATUS_REJECTED, "duplicate readings");
  assert_status (store, 4, DBW_QA_STATUS_UNLABELED, NULL);
  assert_status (store, 15, DBW_QA_STATUS_UNLABELED, NULL);

  /* Approve two others, then one undo takes back only that step, the next the rejection. */
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "label.approve", NULL);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "labeled", NULL), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (page), "label.undo", NULL);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "labeled", NULL), ==, 0);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "rejected", NULL), ==, 10);
  gtk_widget_activate_action (GTK_WIDGET (page), "label.undo", NULL);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "rejected", NULL), ==, 0);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "unlabeled", NULL), ==, N_PAIRS);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* More pairs than the page decides at once: the decision, and its undo, run in the
 * background with a progress bar and a Cancel button, and decisions wait meanwhile. */
#define N_MANY_PAIRS 300

/* The Cancel button is enabled exactly while something runs in the background. */
static gboolean
background_done (gpointer data)
{
  return !gtk_widget_get_sensitive (template_child (data, "busy_cancel_button"));
}

static void
assert_busy (GtkWidget *page)
{
  g_assert_true (gtk_widget_get_sensitive (template_child (page, "busy_cancel_button")));
  g_assert_false (gtk_widget_get_sensitive (template_child (page, "bulk_reject_button")));
  g_assert_false (gtk_widget_get_sensitive (template_child (page, "bulk_flag_button")));
}

static void
select_all (GtkWidget *page)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (template_child (page, "column_view")));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, N_MANY_PAIRS);
  g_assert_true (gtk_selection_model_select_all (selection));
}

static gboolean
constraints_dialog_shown (gpointer data)
{
  return ui_test_find_toplevel (DBW_TYPE_CONSTRAINTS_DIALOG) != NULL;
}

static gboolean
constraints_dialog_gone (gpointer data)
{
  return !constraints_dialog_shown (data);
}

static gboolean
is_label_starting_with (GtkWidget     *widget,
                        gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix);
}

/* Whether a label on show under @data starts with "Readings, second pass". */
static gboolean
shows_renamed_sheet (gpointer data)
{
  return ui_test_shows (data, is_label_starting_with, "Readings, second pass");
}

static gboolean
is_badges_saying (GtkWidget     *widget,
                  gconstpointer  text)
{
  g_autofree char *said = NULL;

  if (!DBW_IS_CONSTRAINT_BADGES (widget))
    return FALSE;
  said = dbw_constraint_badges_dup_text (DBW_CONSTRAINT_BADGES (widget));
  return strstr (said, text) != NULL;
}

/* Whether a row on show in the list says that training is prohibited. */
static gboolean
list_shows_no_training (gpointer data)
{
  return ui_test_shows (data, is_badges_saying, "Prohibited for training");
}

static void
test_background (void)
{
  DbwWindow *window = open_demo_without_pairs ("background.dbw");
  DbwStore *store = dbw_window_get_store (window);
  g_autofree char *training_sheet_id = ui_test_add_pairs (store, N_MANY_PAIRS);
  gint64 n_labels = dbw_store_count (store, DBW_TYPE_CANONICAL_LABEL, NULL, NULL, NULL);
  DbwConstraintsDialog *dialog;
  GtkWidget *revealer;
  DbwLabelPage *page;
  GtkWidget *widget;

  g_assert_true (dbw_window_show_page (window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (window, "label"));
  widget = GTK_WIDGET (page);
  g_assert_true (dbw_label_page_select_training_sheet (page, training_sheet_id));
  dbw_label_page_set_status_filter (page, NULL);
  ui_test_spin_until (queue_settled, page);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (template_child (widget, "list_toggle")), TRUE);
  ui_test_spin_idle ();
  revealer = template_child (widget, "busy_revealer");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_false (gtk_widget_get_sensitive (template_child (widget, "busy_cancel_button")));

  select_all (widget);
  gtk_widget_activate_action (widget, "label.approve", NULL);
  assert_busy (widget);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (widget, "busy_label"))), ==, "Approving 300 pairs…");
  ui_test_spin_until (background_done, page);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "labeled", NULL), ==, N_MANY_PAIRS);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_CANONICAL_LABEL, NULL, NULL, NULL), >, n_labels);

  /* Its undo is as large, so it runs in the background too. */
  gtk_widget_activate_action (widget, "label.undo", NULL);
  assert_busy (widget);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (widget, "busy_label"))), ==,
                   "Undoing the decision on 300 pairs…");
  ui_test_spin_until (background_done, page);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "unlabeled", NULL), ==, N_MANY_PAIRS);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_CANONICAL_LABEL, NULL, NULL, NULL), ==, n_labels);

  /* Cancelled at once: the whole decision is rolled back, and there is nothing to undo. */
  ui_test_spin_until (queue_settled, page);
  select_all (widget);
  gtk_widget_activate_action (widget, "label.reject", NULL);
  gtk_editable_set_text (GTK_EDITABLE (template_child (widget, "note_entry")), "duplicate readings");
  gtk_widget_activate_action (widget, "label.confirm-note", NULL);
  assert_busy (widget);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (widget, "busy_label"))), ==, "Rejecting 300 pairs…");
  gtk_widget_activate_action (widget, "label.cancel-background", NULL);
  ui_test_spin_until (background_done, page);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "unlabeled", NULL), ==, N_MANY_PAIRS);
  g_assert_true (gtk_widget_get_sensitive (template_child (widget, "bulk_reject_button")));

  /* The undo above is still the one to redo. */
  gtk_widget_activate_action (widget, "label.redo", NULL);
  ui_test_spin_until (background_done, page);
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_QA_PAIR, "status", "labeled", NULL), ==, N_MANY_PAIRS);

  /* Usage constraints for many pairs: their ids are gathered in the background before the
   * dialog opens, and that can be cancelled too. */
  select_all (widget);
  gtk_widget_activate_action (widget, "label.constraints", NULL);
  assert_busy (widget);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (widget, "busy_label"))), ==,
                   "Gathering 300 selected pairs…");
  gtk_widget_activate_action (widget, "label.cancel-background", NULL);
  ui_test_spin_until (background_done, page);
  ui_test_spin_idle ();
  g_assert_null (ui_test_find_toplevel (DBW_TYPE_CONSTRAINTS_DIALOG));

  g_assert_false (list_shows_no_training (template_child (widget, "column_view")));
  gtk_widget_activate_action (widget, "label.constraints", NULL);
  assert_busy (widget);
  ui_test_spin_until (constraints_dialog_shown, NULL);
  g_assert_true (background_done (page));
  dialog = DBW_CONSTRAINTS_DIALOG (ui_test_find_toplevel (DBW_TYPE_CONSTRAINTS_DIALOG));
  g_assert_cmpuint (dbw_constraints_dialog_get_n_targets (dialog), ==, N_MANY_PAIRS);
  dbw_constraints_dialog_set_use_state (dialog, 0, DBW_USE_STATE_PROHIBITED);
  dbw_constraints_dialog_set_reason (dialog, "Pilot customer");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "constraints.apply", NULL);
  ui_test_spin_until (constraints_dialog_gone, NULL);
  for (guint i = 0; i < N_MANY_PAIRS; i += N_MANY_PAIRS / 3)
    {
      g_autofree char *id = pair_id (i);
      g_autoptr(DbwQaPair) pair = get_pair (store, id);

      g_assert_true (g_strv_contains (dbw_qa_pair_get_prohibited_uses (pair), "training"));
    }
  /* The rows on show say so, without being scrolled away and back. */
  ui_test_spin_until (list_shows_no_training, template_child (widget, "column_view"));

  /* A pair changed elsewhere, in place: its row on show follows. */
  {
    g_autoptr(DbwQaPair) pair = get_pair (store, "pair-000000");
    g_autoptr(GError) error = NULL;
    UiTestShownText wait = { template_child (widget, "column_view"), "Above background: check the probe" };

    g_assert_false (ui_test_text_shown (&wait));
    dbw_qa_pair_set_messages (pair, "[{\"role\":\"user\",\"content\":\"Reading row_1. Classify this reading.\"},"
                                    "{\"role\":\"assistant\",\"content\":\"Above background: check the probe\"}]");
    g_assert_true (dbw_store_update (store, pair, &error));
    g_assert_no_error (error);
    ui_test_spin_until (ui_test_text_shown, &wait);
  }

  /* The training sheet renamed elsewhere: the sheet chooser follows. */
  {
    g_autoptr(DbwTrainingSheet) training_sheet = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET, training_sheet_id, NULL);
    g_autoptr(GError) error = NULL;
    GtkWidget *chooser = template_child (widget, "sheet_dropdown");

    g_assert_false (shows_renamed_sheet (chooser));
    dbw_training_sheet_set_name (training_sheet, "Readings, second pass");
    g_assert_true (dbw_store_update (store, training_sheet, &error));
    g_assert_no_error (error);
    ui_test_spin_until (shows_renamed_sheet, chooser);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* --- nothing lost ------------------------------------------------------------------------ */

/* The decisions the child makes, in turn: pair i gets decision i % 4. */
static const DbwQaStatus child_status[] = {
  DBW_QA_STATUS_LABELED, DBW_QA_STATUS_REJECTED, DBW_QA_STATUS_FLAGGED, DBW_QA_STATUS_LABELED,
};

typedef struct
{
  DbwStore   *store;
  const char *id;
  DbwQaStatus status;
} StatusWait;

static gboolean
has_status (gpointer data)
{
  StatusWait *wait = data;
  g_autoptr(DbwQaPair) pair = dbw_store_get (wait->store, DBW_TYPE_QA_PAIR, wait->id, NULL);

  return pair != NULL && dbw_qa_pair_get_status (pair) == wait->status;
}

/* A child process's window on the project at @path, on the Label page showing
 * @training_sheet_id; %NULL when keys cannot be pressed on this display. */
static DbwLabelPage *
open_in_child (const char  *path,
               const char  *training_sheet_id,
               DbwWindow  **window)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_init ();
  adw_init ();

  if (!ui_test_keys_available ())
    return NULL;

  *window = ui_test_open_file (file);

  return show_label_page (*window, training_sheet_id);
}

/* The child: opens the project in the real window and page, reviews with the keyboard and
 * says on stdout after each decision that the project holds it. It never stops by itself:
 * the parent kills it. */
static int
run_child (const char *path,
           const char *training_sheet_id,
           guint       first)
{
  DbwWindow *window = NULL;
  DbwLabelPage *page = open_in_child (path, training_sheet_id, &window);
  GtkWindow *win;

  if (page == NULL)
    return 77;
  win = GTK_WINDOW (window);

  /* One decision a run: the parent kills it once the decision is in. */
  for (guint i = first; i < first + 1; i++)
    {
      g_autofree char *id = pair_id (i);
      StatusWait wait = { dbw_window_get_store (window), id, child_status[i % 4] };

      wait_for_pair (page, id);
      ui_test_spin_until (queue_settled, page);
      switch (i % 4)
        {
        case 0:
          ui_test_keys_press (win, GDK_KEY_a, 0);
          break;
        case 1:
          ui_test_keys_press (win, GDK_KEY_r, 0);
          ui_test_keys_type (win, "bad");
          ui_test_keys_press (win, GDK_KEY_Return, 0);
          break;
        case 2:
          ui_test_keys_press (win, GDK_KEY_f, 0);
          ui_test_keys_type (win, "look");
          ui_test_keys_press (win, GDK_KEY_Return, 0);
          break;
        default:
          ui_test_keys_press (win, GDK_KEY_e, 0);
          ui_test_keys_press (win, GDK_KEY_a, GDK_CONTROL_MASK);
          ui_test_keys_type (win, "fixed");
          ui_test_keys_press (win, GDK_KEY_Return, GDK_CONTROL_MASK);
          break;
        }
      ui_test_spin_until (has_status, &wait);
      printf ("decided %s\n", id);
      fflush (stdout);
    }

  /* Wait to be killed. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

/* A small project of its own: a sheet of readings as rows, the training sheet over them.
 * Returns: the training sheet's id */
static char *
create_readings_project (GFile *file)
{
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  char *training_sheet_id;

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  dbw_sheet_set_name (sheet, "Readings");
  g_assert_true (dbw_store_insert (store, sheet, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("row_%u", i + 1);
      g_autofree char *fields = g_strdup_printf ("{\"reading\": %u, \"unit\": \"uSv/h\"}", i);

      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, fields);
      g_assert_true (dbw_store_insert (store, item, &error));
      g_assert_no_error (error);
    }
  training_sheet_id = ui_test_add_pairs_to (store, "Readings", NULL, N_PAIRS);
  dbw_store_close (store);

  return training_sheet_id;
}

/* The child of /label-page/draft: edits the third pair's answer with the keyboard, says so
 * once the project keeps the edit, and waits to be killed. */
static int
run_edit_child (const char *path,
                const char *training_sheet_id)
{
  DbwWindow *window = NULL;
  DbwLabelPage *page = open_in_child (path, training_sheet_id, &window);
  GtkWindow *win;

  if (page == NULL)
    return 77;
  win = GTK_WINDOW (window);

  wait_for_pair (page, "pair-000000");
  ui_test_keys_press (win, GDK_KEY_j, 0);
  ui_test_keys_press (win, GDK_KEY_j, 0);
  wait_for_pair (page, "pair-000002");
  ui_test_keys_press (win, GDK_KEY_e, 0);
  ui_test_keys_press (win, GDK_KEY_a, GDK_CONTROL_MASK);
  ui_test_keys_type (win, "half typed");
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { dbw_window_get_store (window), "DbwLabelPage", "half typed" });
  printf ("typed\n");
  fflush (stdout);

  for (;;)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

static gboolean
page_editing (gpointer data)
{
  DbwLabelPage *page = data;
  GtkWidget *editor_box = template_child (GTK_WIDGET (page), "editor_box");

  return gtk_widget_get_visible (editor_box);
}

/* An answer being edited when the app is killed is back, in the editor, on its pair, when
 * the project opens again; saving it approves the pair and drops the draft. A kept edit
 * whose pair changed meanwhile is not forced on the new answer. */
static void
test_draft (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "draft.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *training_sheet_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DbwWindow *window;
  DbwLabelPage *page;
  DbwStore *store;

  g_assert_true (ui_test_keys_available ());
  training_sheet_id = create_readings_project (file);

  ui_test_kill_child_after ((const char *[]) { self_path, "--edit", path, training_sheet_id, NULL }, "typed");

  /* The Label page opens on the pair, in the editor, with what was typed. */
  window = ui_test_open_file (file);
  store = dbw_window_get_store (window);
  g_assert_true (dbw_window_show_page (window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (window, "label"));
  wait_for_pair (page, "pair-000002");
  ui_test_spin_until (page_editing, page);
  g_assert_cmpuint (dbw_label_page_get_position (page), ==, 2);
  text = dbw_code_view_dup_text (DBW_CODE_VIEW (template_child (GTK_WIDGET (page), "editor")));
  g_assert_cmpstr (text, ==, "half typed");
  assert_status (store, 2, DBW_QA_STATUS_UNLABELED, NULL);

  /* Saved as any edit is: the pair is approved with it, and the draft goes. */
  ui_test_keys_focus (GTK_WINDOW (window));
  ui_test_keys_press (GTK_WINDOW (window), GDK_KEY_Return, GDK_CONTROL_MASK);
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwLabelPage", NULL });
  {
    g_autoptr(DbwQaPair) pair = get_pair (store, "pair-000002");

    g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, DBW_QA_STATUS_LABELED);
    g_assert_nonnull (strstr (dbw_qa_pair_get_messages (pair), "half typed"));
  }

  /* A kept edit of an answer that changed since: the page opens as usual, the draft goes. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{}", NULL);
    JsonObject *draft = json_node_get_object (node);
    g_autofree char *draft_text = NULL;

    json_object_set_string_member (draft, "training_sheet", training_sheet_id);
    json_object_set_string_member (draft, "pair", "pair-000005");
    json_object_set_string_member (draft, "original", "not the answer any more");
    json_object_set_string_member (draft, "answer", "mine");
    draft_text = json_to_string (node, FALSE);
    g_assert_true (dbw_store_set_draft (store, "DbwLabelPage", draft_text, &error));
    g_assert_no_error (error);
  }
  ui_test_destroy_window (GTK_WINDOW (window));

  window = ui_test_open_file (file);
  store = dbw_window_get_store (window);
  g_assert_true (dbw_window_show_page (window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (window, "label"));
  g_assert_true (dbw_label_page_select_training_sheet (page, training_sheet_id));
  ui_test_spin_until (queue_settled, page);
  g_assert_false (page_editing (page));
  g_assert_false (shows_pair (&(PairWait) { page, "pair-000005" }));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwLabelPage", NULL });

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* The app is killed (SIGKILL, no chance to clean up) after each of 20 decisions in turn,
 * and opened again on the same project to go on: every decision committed before a kill is
 * still there, and the next run starts from the pair after it. */
static void
test_nothing_lost (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "killed.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *training_sheet_id = NULL;
  g_autoptr(GError) error = NULL;

  /* build-aux/test runs the suite on Xvfb with libxtst6 installed. */
  g_assert_true (ui_test_keys_available ());

  training_sheet_id = create_readings_project (file);

  for (guint k = 0; k < N_PAIRS; k++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(DbwStore) store = NULL;
      g_autofree char *first = g_strdup_printf ("%u", k);
      g_autofree char *line = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *id = pair_id (k);

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_path, "--decide", path, training_sheet_id, first, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      /* The child says so once the decision is committed; it is killed right then. */
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_assert_no_error (error);
      expected = g_strdup_printf ("decided %s", id);
      g_assert_cmpstr (line, ==, expected);

      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      for (guint i = 0; i <= k; i++)
        {
          g_autofree char *decided = pair_id (i);
          g_autoptr(DbwQaPair) pair = get_pair (store, decided);

          g_assert_cmpint (dbw_qa_pair_get_status (pair), ==, child_status[i % 4]);
          if (i % 4 == 1)
            g_assert_cmpstr (dbw_qa_pair_get_review_notes (pair), ==, "bad");
          if (i % 4 == 2)
            g_assert_cmpstr (dbw_qa_pair_get_review_notes (pair), ==, "look");
          if (i % 4 == 3)
            g_assert_nonnull (strstr (dbw_qa_pair_get_messages (pair), "fixed"));
        }
      for (guint i = k + 1; i < N_PAIRS; i++)
        assert_status (store, i, DBW_QA_STATUS_UNLABELED, NULL);
      dbw_store_close (store);
    }
}

/* A training sheet with no pairs says so, whatever the filter, and reads "Q&A" as written. */
static void
test_no_pairs (void)
{
  DbwWindow *window = open_demo_without_pairs ("no-pairs.dbw");
  g_autofree char *training_sheet_id = ui_test_add_pairs (dbw_window_get_store (window), 0);
  DbwLabelPage *page;
  UiTestShownText title = { NULL, "No Pairs Yet" };
  UiTestShownText description = { NULL, "This Training Sheet has no Q&A pairs. Generate makes them." };

  /* Not show_label_page(): an empty queue never has a position. */
  g_assert_true (dbw_window_show_page (window, "label"));
  page = DBW_LABEL_PAGE (dbw_window_get_page (window, "label"));
  g_assert_true (dbw_label_page_select_training_sheet (page, training_sheet_id));
  title.root = description.root = GTK_WIDGET (page);

  ui_test_spin_until (ui_test_text_showing, &title);
  ui_test_spin_until (ui_test_text_showing, &description);
  g_assert_false (gtk_widget_get_visible (template_child (GTK_WIDGET (page), "show_all_button")));

  ui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  self_path = argv[0];
  if (argc == 5 && g_str_equal (argv[1], "--decide"))
    return run_child (argv[2], argv[3], (guint) g_ascii_strtoull (argv[4], NULL, 10));
  if (argc == 4 && g_str_equal (argv[1], "--edit"))
    return run_edit_child (argv[2], argv[3]);

  tmp_dir = g_dir_make_tmp ("dbw-ui-label-XXXXXX", &error);
  g_assert_no_error (error);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/label-page/keyboard-review", test_keyboard_review);
  g_test_add_func ("/label-page/decided-elsewhere", test_decided_elsewhere);
  g_test_add_func ("/label-page/bulk", test_bulk);
  g_test_add_func ("/label-page/background", test_background);
  g_test_add_func ("/label-page/nothing-lost", test_nothing_lost);
  g_test_add_func ("/label-page/draft", test_draft);
  g_test_add_func ("/label-page/no-pairs", test_no_pairs);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }

  return ret;
}
