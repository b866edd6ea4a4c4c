/* test-canonical-page.c — the Canonical Labeling Tool under Xvfb: labeling with the keyboard,
 * versions and history, audited constraint changes, schema-shaped forms, the walk, export
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dbw-canonical-ops.h"
#include "dbw-canonical-page.h"
#include "dbw-image-annotator.h"
#include "dbw-label-suggestions.h"
#include "dbw-label-form.h"
#include "dbw-project-info.h"
#include "dbw-sheet.h"
#include "dbw-template-ops.h"
#include "ui-test-util.h"

static char *tmp_dir;

static void
spin_a_while (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

/* Activates what the widget's own shortcuts bind to @keyval + @mods, as a key press would
 * once it bubbled up to @widget. */
static gboolean
progress_counted (gpointer data)
{
  return !dbw_canonical_page_get_counting (DBW_CANONICAL_PAGE (data));
}

static gboolean
press (GtkWidget       *widget,
       guint            keyval,
       GdkModifierType  mods)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, mods);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean done = FALSE;

  for (guint i = 0; !done && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; !done && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            done = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 widget, gtk_shortcut_get_arguments (shortcut));
        }
    }
  spin_a_while ();

  return done;
}

static const char *
sheet_id_by_name (DbwStore   *store,
                  const char *name)
{
  g_autoptr(GPtrArray) sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, NULL);
  static char id[64];

  for (guint i = 0; i < sheets->len; i++)
    if (g_str_equal (dbw_sheet_get_name (g_ptr_array_index (sheets, i)), name))
      {
        g_strlcpy (id, dbw_record_get_id (g_ptr_array_index (sheets, i)), sizeof id);
        return id;
      }

  g_assert_not_reached ();
}

static DbwCanonicalPage *
open_page (const char  *name,
           DbwWindow  **window)
{
  DbwCanonicalPage *page;

  *window = ui_test_open_demo (tmp_dir, name);
  dbw_store_set_user (dbw_window_get_store (*window), "r.ahmed");
  g_assert_true (dbw_window_show_page (*window, "canonical"));
  page = DBW_CANONICAL_PAGE (dbw_window_get_page (*window, "canonical"));
  spin_a_while ();
  ui_test_spin_until (ui_test_canonical_start_found, page);

  return page;
}

static void
choose (DbwCanonicalPage *page,
        const char       *sheet_name,
        DbwLabelType      label_type)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (page));

  g_assert_true (dbw_canonical_page_set_sheet (page, sheet_id_by_name (store, sheet_name)));
  dbw_canonical_page_set_label_type (page, label_type);
  spin_a_while ();
  ui_test_spin_until (ui_test_canonical_start_found, page);
}

static DbwCanonicalLabel *
stored_label (DbwCanonicalPage *page,
              DbwItem          *item)
{
  g_autoptr(GError) error = NULL;
  DbwCanonicalLabel *label;

  label = dbw_canonical_ops_lookup (dbw_page_get_store (DBW_PAGE (page)), dbw_item_get_sheet_id (item),
                                    dbw_item_get_item_ref (item), dbw_canonical_page_get_label_type (page), &error);
  g_assert_no_error (error);

  return label;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            GType       type,
            const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, type, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The n-th widget of @type under @widget, in widget order. */
static GtkWidget *
find_nth (GtkWidget *widget,
          GType      type,
          guint     *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      if (*n == 0)
        return widget;
      (*n)--;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_nth (child, type, n);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
nth_widget (gpointer widget,
            GType    type,
            guint    n)
{
  GtkWidget *found = find_nth (GTK_WIDGET (widget), type, &n);

  g_assert_nonnull (found);

  return found;
}

/* The text of every visible label under @widget, one per line. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
visible_text (gpointer widget)
{
  GString *text = g_string_new (NULL);

  collect_text (GTK_WIDGET (widget), text);

  return g_string_free (text, FALSE);
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);

  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
}

static gint64
count_audit_rows (DbwCanonicalPage *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwProjectInfo) info = dbw_project_info_collect (dbw_page_get_store (DBW_PAGE (page)), &error);

  g_assert_no_error (error);

  return dbw_project_info_get_n_rows (info, "usage_constraint_audit");
}

/* A classification item labeled with the hotkey and Ctrl+S; the page goes on to the next. */
static void
test_classify (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("classify.dbw", &window);
  DbwLabelForm *form = dbw_canonical_page_get_form (page);
  g_autoptr(DbwItem) first = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *object;

  choose (page, "Survey instrument readings", DBW_LABEL_TYPE_CLASSIFICATION);
  ui_test_spin_until (progress_counted, page);
  g_assert_cmpstr (dbw_canonical_page_get_progress_text (page), ==, "17 of 1,500 labeled");
  first = g_object_ref (dbw_canonical_page_get_item (page));

  /* The Reading triage template's schema: the class as buttons, the reason as an entry. */
  g_assert_nonnull (find_named (GTK_WIDGET (form), GTK_TYPE_TOGGLE_BUTTON, "investigate"));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_2, 0));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (form), GTK_TYPE_TOGGLE_BUTTON, "investigate"))));
  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "Three times background");

  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));

  label = stored_label (page, first);
  g_assert_nonnull (label);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 1);
  g_assert_cmpstr (dbw_canonical_label_get_labeled_by (label), ==, "r.ahmed");
  data = json_from_string (dbw_canonical_label_get_label_data (label), NULL);
  object = json_node_get_object (data);
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "investigate");
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "Three times background");

  /* Saving moved on to the next unlabeled item. */
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), !=, dbw_item_get_item_ref (first));
  ui_test_spin_until (progress_counted, page);
  g_assert_cmpstr (dbw_canonical_page_get_progress_text (page), ==, "18 of 1,500 labeled");

  /* A class the schema does not have is refused, and nothing is chosen. */
  g_assert_false (dbw_label_form_choose_class (form, 4));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Editing a saved label stores version 2; the history lists both, with who and when. */
static void
test_edit_and_history (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("history.dbw", &window);
  DbwLabelForm *form = dbw_canonical_page_get_form (page);
  g_autoptr(DbwItem) first = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autofree char *history = NULL;
  g_autofree char *content = NULL;
  GtkListBox *versions;
  GtkTextView *view;

  choose (page, "Survey instrument readings", DBW_LABEL_TYPE_CLASSIFICATION);
  first = g_object_ref (dbw_canonical_page_get_item (page));
  press (GTK_WIDGET (page), GDK_KEY_1, 0);
  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "Background level");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_Return, GDK_CONTROL_MASK));

  /* Back to it with K: the form shows the stored label. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (first));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (form), GTK_TYPE_TOGGLE_BUTTON, "normal"))));
  g_assert_false (dbw_label_form_get_modified (form));

  dbw_store_set_user (dbw_page_get_store (DBW_PAGE (page)), "j.lindqvist");
  press (GTK_WIDGET (page), GDK_KEY_3, 0);
  g_assert_true (dbw_label_form_get_modified (form));
  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "Above the action level");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));

  label = stored_label (page, first);
  g_assert_cmpint (dbw_canonical_label_get_version (label), ==, 2);
  g_assert_cmpstr (dbw_canonical_label_get_last_modified_by (label), ==, "j.lindqvist");

  /* The history: newest first, who and when on each. */
  press (GTK_WIDGET (page), GDK_KEY_k, 0);
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_h, 0));
  versions = GTK_LIST_BOX (find_named (GTK_WIDGET (page), GTK_TYPE_LIST_BOX, "history-list"));
  g_assert_nonnull (versions);
  g_assert_nonnull (gtk_list_box_get_row_at_index (versions, 1));
  g_assert_null (gtk_list_box_get_row_at_index (versions, 2));
  history = visible_text (versions);
  g_assert_nonnull (strstr (history, "Version 2\nj.lindqvist · "));
  g_assert_nonnull (strstr (history, "Version 1\nr.ahmed · "));

  view = GTK_TEXT_VIEW (find_named (GTK_WIDGET (page), GTK_TYPE_TEXT_VIEW, "history-view"));
  g_assert_nonnull (view);
  content = text_view_text (view);
  g_assert_nonnull (strstr (content, "action_required"));
  gtk_list_box_select_row (versions, gtk_list_box_get_row_at_index (versions, 1));
  g_free (content);
  content = text_view_text (view);
  g_assert_nonnull (strstr (content, "\"normal\""));
  g_assert_null (strstr (content, "action_required"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Prohibiting a use needs a reason; saving it writes one audit row with that reason. */
static void
test_constraint_audit (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("audit.dbw", &window);
  DbwLabelForm *form = dbw_canonical_page_get_form (page);
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(DbwCanonicalLabel) before = NULL;
  g_autoptr(DbwCanonicalLabel) after = NULL;
  GtkWidget *row;
  GtkCheckButton *allowed;
  GtkCheckButton *prohibited;
  GtkWidget *reason;
  gint64 audits;

  /* The PCB boards labeled by the inspector. */
  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  item = g_object_ref (dbw_canonical_page_get_item (page));
  before = stored_label (page, item);
  g_assert_nonnull (before);
  g_assert_true (g_strv_contains (dbw_canonical_label_get_allowed_uses (before), "training"));
  audits = count_audit_rows (page);

  row = find_named (GTK_WIDGET (form), ADW_TYPE_ACTION_ROW, "training");
  allowed = GTK_CHECK_BUTTON (nth_widget (row, GTK_TYPE_CHECK_BUTTON, 0));
  prohibited = GTK_CHECK_BUTTON (nth_widget (row, GTK_TYPE_CHECK_BUTTON, 1));
  g_assert_true (gtk_check_button_get_active (allowed));

  /* Allowed and prohibited exclude each other. */
  gtk_check_button_set_active (prohibited, TRUE);
  g_assert_false (gtk_check_button_get_active (allowed));

  /* No reason: refused, nothing stored. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (item));
  after = stored_label (page, item);
  g_assert_cmpint (dbw_canonical_label_get_version (after), ==, dbw_canonical_label_get_version (before));
  g_assert_cmpint (count_audit_rows (page), ==, audits);
  g_clear_object (&after);

  reason = nth_widget (form, ADW_TYPE_ENTRY_ROW, 0);
  gtk_editable_set_text (GTK_EDITABLE (reason), "Board from a customer under NDA");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));

  after = stored_label (page, item);
  g_assert_cmpint (dbw_canonical_label_get_version (after), ==, dbw_canonical_label_get_version (before) + 1);
  g_assert_true (g_strv_contains (dbw_canonical_label_get_prohibited_uses (after), "training"));
  g_assert_false (g_strv_contains (dbw_canonical_label_get_allowed_uses (after), "training"));
  g_assert_cmpstr (dbw_canonical_label_get_usage_reason (after), ==, "Board from a customer under NDA");
  g_assert_cmpint (count_audit_rows (page), ==, audits + 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An entity extraction template's schema makes the fields; a missing required one is refused
 * and said under the field. */
static void
test_entity_validation (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("entities.dbw", &window);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (page));
  DbwLabelForm *form = dbw_canonical_page_get_form (page);
  g_autoptr(DbwTemplate) fields = dbw_template_new ();
  g_autoptr(DbwTemplate) created = NULL;
  g_autoptr(DbwTemplate) published = NULL;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  dbw_template_set_name (fields, "Certificate fields");
  dbw_template_set_label_type (fields, DBW_LABEL_TYPE_ENTITY_EXTRACTION);
  dbw_template_set_system_prompt (fields, "Extract the fields.");
  dbw_template_set_user_prompt_template (fields, "{{ item.text }}");
  dbw_template_set_output_schema (fields,
                                  "{\"type\":\"object\",\"required\":[\"instrument\",\"factor\"],"
                                  "\"properties\":{\"instrument\":{\"type\":\"string\",\"minLength\":1},"
                                  "\"factor\":{\"type\":\"number\",\"minimum\":0},"
                                  "\"passed\":{\"type\":\"boolean\"},"
                                  "\"kind\":{\"enum\":[\"ion_chamber\",\"gm\"]}}}");
  created = dbw_template_ops_create (store, fields, &error);
  g_assert_no_error (error);
  published = dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (created)), &error);
  g_assert_no_error (error);
  spin_a_while ();

  choose (page, "Radiation-safety documents", DBW_LABEL_TYPE_ENTITY_EXTRACTION);
  item = g_object_ref (dbw_canonical_page_get_item (page));

  /* One field per property, each with its type. */
  g_assert_nonnull (nth_widget (form, GTK_TYPE_ENTRY, 0));
  g_assert_nonnull (nth_widget (form, GTK_TYPE_SPIN_BUTTON, 0));
  g_assert_nonnull (nth_widget (form, GTK_TYPE_SWITCH, 0));
  g_assert_nonnull (nth_widget (form, GTK_TYPE_DROP_DOWN, 0));

  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_SPIN_BUTTON, 0)), "1.04");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));

  /* Refused: still this item, no label, the field says why. */
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (item));
  g_assert_null (stored_label (page, item));
  text = visible_text (form);
  g_assert_nonnull (strstr (text, "Instrument\n*\nRequired\n"));

  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "EDC ion chamber 3117");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (nth_widget (form, GTK_TYPE_DROP_DOWN, 0)), 1);
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));

  label = stored_label (page, item);
  g_assert_nonnull (label);
  data = json_from_string (dbw_canonical_label_get_label_data (label), NULL);
  object = json_node_get_object (data);
  g_assert_cmpstr (json_object_get_string_member (object, "instrument"), ==, "EDC ion chamber 3117");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "factor"), 1.04, 1e-9);
  g_assert_false (json_object_get_boolean_member (object, "passed"));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "ion_chamber");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The walk starts at the first unlabeled item; N skips to the next unlabeled one, J and K
 * step through every item. */
static void
test_walk (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("walk.dbw", &window);

  /* The inspector labeled the first twelve boards. */
  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  ui_test_spin_until (progress_counted, page);
  g_assert_cmpstr (dbw_canonical_page_get_progress_text (page), ==, "12 of 24 labeled");
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-013.png");

  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_n, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-014.png");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_j, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-015.png");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-012.png");

  /* From a labeled item, the next unlabeled one is after it. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_n, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-013.png");

  /* Another label type: nothing is labeled, the walk starts at the first board. */
  dbw_canonical_page_set_label_type (page, DBW_LABEL_TYPE_CLASSIFICATION);
  ui_test_spin_until (ui_test_canonical_start_found, page);
  ui_test_spin_until (progress_counted, page);
  g_assert_cmpstr (dbw_canonical_page_get_progress_text (page), ==, "0 of 24 labeled");
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-001.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The item to start from is found in the background (on a sheet whose items are all
 * labeled the search reads every item): until then there is no item to save a label for;
 * then, with every item labeled, the walk starts at the first. */
static void
test_start_in_background (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("start.dbw", &window);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (page));
  const char *pcb_id = sheet_id_by_name (store, "PCB inspection images");
  g_autoptr(GError) error = NULL;

  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-013.png");

  for (guint i = 1; i <= 24; i++)
    {
      g_autofree char *ref = g_strdup_printf ("pcb-%03u.png", i);
      g_autoptr(DbwItem) item = dbw_canonical_ops_current_item (store, pcb_id, ref, &error);
      g_autoptr(DbwCanonicalLabel) label = NULL;

      g_assert_no_error (error);
      label = dbw_canonical_ops_new_for_item (store, item, DBW_LABEL_TYPE_CLASSIFICATION);
      dbw_canonical_label_set_label_data (label, "{\"class\":\"pass\"}");
      g_assert_true (dbw_canonical_ops_save (store, label, &error));
      g_assert_no_error (error);
    }

  dbw_canonical_page_set_label_type (page, DBW_LABEL_TYPE_CLASSIFICATION);
  g_assert_true (dbw_canonical_page_get_searching (page));
  g_assert_null (dbw_canonical_page_get_item (page));
  g_assert_false (ui_test_action_usable (GTK_WIDGET (page), "canonical.save"));

  ui_test_spin_until (ui_test_canonical_start_found, page);
  ui_test_spin_until (progress_counted, page);
  g_assert_cmpstr (dbw_canonical_page_get_progress_text (page), ==, "24 of 24 labeled");
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-001.png");

  /* Another sheet while a search runs: only the last one counts. */
  g_assert_true (dbw_canonical_page_set_sheet (page, sheet_id_by_name (store, "Survey instrument readings")));
  g_assert_true (dbw_canonical_page_set_sheet (page, pcb_id));
  ui_test_spin_until (ui_test_canonical_start_found, page);
  spin_a_while ();
  g_assert_cmpstr (dbw_item_get_sheet_id (dbw_canonical_page_get_item (page)), ==, pcb_id);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
annotator_loaded (gpointer data)
{
  return !dbw_image_annotator_get_loading (DBW_IMAGE_ANNOTATOR (data));
}

/* Pre-annotations fill the form as suggestions; saving accepts them and they are done. */
static void
test_suggestions (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("suggestions.dbw", &window);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (page));
  DbwLabelForm *form = dbw_canonical_page_get_form (page);
  const char *pcb = sheet_id_by_name (store, "PCB inspection images");
  g_autofree char *pcb_id = g_strdup (pcb);
  DbwImageAnnotator *annotator;
  DbwShapeSet *shapes;
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwShapeSet) saved = NULL;
  g_autoptr(DbwShapeSet) left = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (dbw_label_suggestions_add (store, pcb_id, "pcb-013.png", DBW_LABEL_TYPE_OBJECT_DETECTION,
                                            "{\"objects\":[{\"class\":\"scratch\",\"bbox\":[100,120,40,30]},"
                                            "{\"class\":\"solder_bridge\",\"bbox\":[400,300,20,10]}]}",
                                            "yolo", &error));
  g_assert_no_error (error);

  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  item = g_object_ref (dbw_canonical_page_get_item (page));
  g_assert_cmpstr (dbw_item_get_item_ref (item), ==, "pcb-013.png");

  /* The image in the annotator with the suggested boxes, marked as such. */
  annotator = DBW_IMAGE_ANNOTATOR (ui_test_find_widget (GTK_WIDGET (page), DBW_TYPE_IMAGE_ANNOTATOR));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (annotator)));
  ui_test_spin_until (annotator_loaded, annotator);
  g_assert_null (dbw_image_annotator_get_error (annotator));
  shapes = dbw_image_annotator_get_shapes (annotator);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (shapes), ==, 2);
  g_assert_true (dbw_shape_set_get_shape (shapes, 0)->suggested);
  g_assert_true (dbw_label_form_get_has_suggestion (form));
  text = visible_text (form);
  g_assert_nonnull (strstr (text, "2 objects, 2 of them suggested"));

  /* The palette: the classes used on the sheet, then those of this image. The page's 1 picks
   * the first for the next shape. */
  g_assert_nonnull (find_named (GTK_WIDGET (form), GTK_TYPE_TOGGLE_BUTTON, "scratch"));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_1, 0));
  g_assert_cmpstr (dbw_image_annotator_get_current_class (annotator), ==,
                   dbw_image_annotator_get_classes (annotator)[0]);

  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));

  label = stored_label (page, item);
  g_assert_nonnull (label);
  saved = dbw_shape_set_new_from_json (dbw_canonical_label_get_label_data (label), 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (saved), ==, 2);
  g_assert_cmpint (dbw_shape_set_get_image_width (saved), ==, 1600);
  g_assert_cmpstr (dbw_shape_set_get_shape (saved, 0)->label, ==, "scratch");
  g_assert_cmpfloat (dbw_shape_set_get_shape (saved, 0)->x, ==, 100);

  left = dbw_label_suggestions_load_shapes (store, pcb_id, "pcb-013.png", 1600, 1200, &error);
  g_assert_no_error (error);
  g_assert_null (left);
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-014.png");
  g_assert_false (dbw_label_form_get_has_suggestion (form));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gint64 *count = user_data;
  g_autoptr(GError) error = NULL;

  *count = dbw_canonical_page_export_finish (DBW_CANONICAL_PAGE (object), result, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
exported (gpointer data)
{
  return *(gint64 *) data != -2;
}

static void
test_export (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("export.dbw", &window);
  g_autofree char *path = g_build_filename (tmp_dir, "labels.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 count = -2;
  guint n_lines = 0;

  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  dbw_canonical_page_export_async (page, file, DBW_USE_TRAINING, NULL, on_exported_cb, &count);
  ui_test_spin_until (exported, &count);
  g_assert_cmpint (count, ==, 12);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      if (lines[i][0] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      g_assert_nonnull (node);
      object = json_node_get_object (node);
      g_assert_cmpstr (json_object_get_string_member (object, "label_type"), ==, "object_detection");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "item_ref"), "pcb-"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "label_data")));
      n_lines++;
    }
  g_assert_cmpuint (n_lines, ==, 12);
  g_unlink (path);

  gtk_window_destroy (GTK_WINDOW (window));
}

static AdwMessageDialog *
visible_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static void
answer (const char *response)
{
  AdwMessageDialog *dialog = visible_dialog ();

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_test_spin_idle ();
}

/* Going on with changes in the form asks first: keep editing, discard, or save and go on. */
static void
test_unsaved_changes (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("unsaved.dbw", &window);
  DbwLabelForm *form = dbw_canonical_page_get_form (page);
  g_autoptr(DbwItem) first = NULL;
  g_autoptr(DbwItem) second = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;

  choose (page, "Survey instrument readings", DBW_LABEL_TYPE_CLASSIFICATION);
  first = g_object_ref (dbw_canonical_page_get_item (page));

  /* Nothing changed: J goes on at once. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_j, 0));
  g_assert_null (visible_dialog ());
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), !=, dbw_item_get_item_ref (first));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (first));

  /* A class chosen, then J: the page asks and stays until answered. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_2, 0));
  g_assert_true (dbw_label_form_get_modified (form));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_j, 0));
  g_assert_nonnull (visible_dialog ());
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (first));
  answer ("cancel");
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (first));
  g_assert_true (dbw_label_form_get_modified (form));

  /* Discard: on to the next item, nothing stored. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_j, 0));
  answer ("discard");
  second = g_object_ref (dbw_canonical_page_get_item (page));
  g_assert_cmpstr (dbw_item_get_item_ref (second), !=, dbw_item_get_item_ref (first));
  g_assert_null (stored_label (page, first));

  /* Save: stored, then on to where J leads. */
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (first));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_2, 0));
  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "Above the action level");
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_j, 0));
  answer ("save");
  label = stored_label (page, first);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (dbw_canonical_label_get_label_data (label), "Above the action level"));
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, dbw_item_get_item_ref (second));

  /* Closing the window with changes in the form asks too: Cancel keeps the window and the
   * changes; Save stores the label, then the window closes. */
  {
    g_autoptr(DbwStore) store = g_object_ref (dbw_page_get_store (DBW_PAGE (page)));
    g_autoptr(DbwCanonicalLabel) closing_label = NULL;
    g_autoptr(GError) error = NULL;
    DbwLabelType label_type = dbw_canonical_page_get_label_type (page);

    g_assert_true (press (GTK_WIDGET (page), GDK_KEY_3, 0));

    /* So does closing the project; Cancel keeps it open. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL));
    ui_test_spin_idle ();
    g_assert_nonnull (visible_dialog ());
    g_assert_cmpstr (adw_message_dialog_get_heading (visible_dialog ()), ==, "Save Changes Before Closing the Project?");
    answer ("cancel");
    g_assert_nonnull (dbw_window_get_store (window));

    gtk_window_close (GTK_WINDOW (window));
    ui_test_spin_idle ();
    g_assert_true (ui_test_is_toplevel ((GtkWindow *) window));
    g_assert_nonnull (visible_dialog ());
    g_assert_cmpstr (adw_message_dialog_get_heading (visible_dialog ()), ==, "Save Changes Before Closing?");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (visible_dialog ()), dbw_item_get_item_ref (second)));
    answer ("cancel");
    g_assert_true (ui_test_is_toplevel ((GtkWindow *) window));
    g_assert_true (dbw_label_form_get_modified (form));
    g_assert_null (stored_label (page, second));

    gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "Closed with it");
    gtk_window_close (GTK_WINDOW (window));
    ui_test_spin_idle ();
    answer ("save");
    g_assert_false (ui_test_is_toplevel ((GtkWindow *) window));
    closing_label = dbw_canonical_ops_lookup (store, dbw_item_get_sheet_id (second), dbw_item_get_item_ref (second),
                                              label_type, &error);
    g_assert_no_error (error);
    g_assert_nonnull (closing_label);
  }
}

/* The window gone without a word, as after a crash, and the project opened again on the
 * Canonical Labeling page. */
static DbwCanonicalPage *
close_and_reopen (GFile      *file,
                  DbwWindow **window)
{
  DbwCanonicalPage *page;

  ui_test_destroy_window (GTK_WINDOW (*window));

  *window = ui_test_open_file (file);
  g_assert_true (dbw_window_show_page (*window, "canonical"));
  page = DBW_CANONICAL_PAGE (dbw_window_get_page (*window, "canonical"));
  spin_a_while ();
  /* A draft restored shows its item: the search for where to start must not replace it. */
  ui_test_spin_until (ui_test_canonical_start_found, page);
  spin_a_while ();

  return page;
}

/* Changes in the form are kept in the project as they are made: when the app stops before
 * they are saved, the next time the project opens the page shows the item with them. */
static void
test_draft (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("draft.dbw", &window);
  g_autoptr(GFile) file = g_object_ref (dbw_store_get_file (dbw_window_get_store (window)));
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  DbwLabelForm *form;

  choose (page, "Survey instrument readings", DBW_LABEL_TYPE_CLASSIFICATION);
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_j, 0));
  item = g_object_ref (dbw_canonical_page_get_item (page));
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_2, 0));
  form = dbw_canonical_page_get_form (page);
  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0)), "Half written");
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { dbw_window_get_store (window), "DbwCanonicalPage", "Half written" });

  page = close_and_reopen (file, &window);
  form = dbw_canonical_page_get_form (page);

  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (dbw_canonical_page_get_item (page))), ==,
                   dbw_record_get_id (DBW_RECORD (item)));
  g_assert_cmpint (dbw_canonical_page_get_label_type (page), ==, DBW_LABEL_TYPE_CLASSIFICATION);
  g_assert_true (dbw_label_form_get_modified (form));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0))), ==, "Half written");
  g_assert_null (stored_label (page, item));

  /* Saved as usual, and the draft goes. */
  g_assert_true (dbw_page_save_unsaved (DBW_PAGE (page)));
  label = stored_label (page, item);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (dbw_canonical_label_get_label_data (label), "Half written"));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { dbw_window_get_store (window), "DbwCanonicalPage", NULL });

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* A kept draft gives the shapes back as they were: those still suggested stay suggestions. */
static void
test_draft_suggestions (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("draft-suggestions.dbw", &window);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (page));
  g_autoptr(GFile) file = g_object_ref (dbw_store_get_file (store));
  g_autofree char *pcb_id = g_strdup (sheet_id_by_name (store, "PCB inspection images"));
  g_autoptr(GError) error = NULL;
  DbwImageAnnotator *annotator;
  DbwShapeSet *shapes;

  g_assert_true (dbw_label_suggestions_add (store, pcb_id, "pcb-013.png", DBW_LABEL_TYPE_OBJECT_DETECTION,
                                            "{\"objects\":[{\"class\":\"scratch\",\"bbox\":[100,120,40,30]},"
                                            "{\"class\":\"solder_bridge\",\"bbox\":[400,300,20,10]}]}",
                                            "yolo", &error));
  g_assert_no_error (error);
  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-013.png");
  annotator = DBW_IMAGE_ANNOTATOR (ui_test_find_widget (GTK_WIDGET (page), DBW_TYPE_IMAGE_ANNOTATOR));
  ui_test_spin_until (annotator_loaded, annotator);

  /* The second box is accepted (Enter on it); the first is still a suggestion. */
  dbw_image_annotator_set_selected (annotator, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (annotator), "annotator.confirm", NULL));
  shapes = dbw_image_annotator_get_shapes (annotator);
  g_assert_true (dbw_shape_set_get_shape (shapes, 0)->suggested);
  g_assert_false (dbw_shape_set_get_shape (shapes, 1)->suggested);
  g_assert_true (dbw_label_form_get_modified (dbw_canonical_page_get_form (page)));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwCanonicalPage", "solder_bridge" });

  page = close_and_reopen (file, &window);
  g_assert_cmpstr (dbw_item_get_item_ref (dbw_canonical_page_get_item (page)), ==, "pcb-013.png");
  g_assert_true (dbw_label_form_get_modified (dbw_canonical_page_get_form (page)));
  annotator = DBW_IMAGE_ANNOTATOR (ui_test_find_widget (GTK_WIDGET (page), DBW_TYPE_IMAGE_ANNOTATOR));
  ui_test_spin_until (annotator_loaded, annotator);
  shapes = dbw_image_annotator_get_shapes (annotator);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (shapes), ==, 2);
  g_assert_cmpstr (dbw_shape_set_get_shape (shapes, 0)->label, ==, "scratch");
  g_assert_true (dbw_shape_set_get_shape (shapes, 0)->suggested);
  g_assert_cmpstr (dbw_shape_set_get_shape (shapes, 1)->label, ==, "solder_bridge");
  g_assert_false (dbw_shape_set_get_shape (shapes, 1)->suggested);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_idle ();
}

/* A read-only project's labels are shown and take no change: no class by key or click, no
 * typing, no shapes, no save. */
static void
test_read_only (void)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, "read-only.dbw");
  g_autoptr(GFile) file = g_file_new_for_path (dbw_store_get_path (dbw_window_get_store (window)));
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(DbwCanonicalLabel) before = NULL;
  g_autoptr(DbwCanonicalLabel) after = NULL;
  DbwCanonicalPage *page;
  DbwLabelForm *form;
  DbwImageAnnotator *annotator;
  GtkWidget *investigate;

  ui_test_destroy_window (GTK_WINDOW (window));
  window = ui_test_open_file_with (file, DBW_STORE_OPEN_READ_ONLY, NULL, 1300, 800);
  g_assert_true (dbw_store_is_read_only (dbw_window_get_store (window)));
  g_assert_true (dbw_window_show_page (window, "canonical"));
  page = DBW_CANONICAL_PAGE (dbw_window_get_page (window, "canonical"));
  form = dbw_canonical_page_get_form (page);
  spin_a_while ();
  g_assert_false (dbw_label_form_get_editable (form));

  /* The class buttons and the reason of the Reading triage template. */
  choose (page, "Survey instrument readings", DBW_LABEL_TYPE_CLASSIFICATION);
  investigate = find_named (GTK_WIDGET (form), GTK_TYPE_TOGGLE_BUTTON, "investigate");
  g_assert_false (gtk_widget_get_sensitive (investigate));
  g_assert_false (press (GTK_WIDGET (page), GDK_KEY_2, 0));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (investigate)));
  g_assert_false (dbw_label_form_choose_class (form, 2));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (investigate)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, 0))));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (nth_widget (form, GTK_TYPE_TEXT_VIEW, 0))));

  /* A labeled board: its shapes are shown, not drawn on; its uses not changed. */
  choose (page, "PCB inspection images", DBW_LABEL_TYPE_OBJECT_DETECTION);
  g_assert_true (press (GTK_WIDGET (page), GDK_KEY_k, 0));
  item = g_object_ref (dbw_canonical_page_get_item (page));
  before = stored_label (page, item);
  g_assert_nonnull (before);
  annotator = DBW_IMAGE_ANNOTATOR (ui_test_find_widget (GTK_WIDGET (page), DBW_TYPE_IMAGE_ANNOTATOR));
  g_assert_false (dbw_image_annotator_get_editable (annotator));
  g_assert_cmpint (dbw_image_annotator_get_tool (annotator), ==, DBW_ANNOTATOR_TOOL_SELECT);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DBW_TYPE_CANONICAL_PAGE,
                                                                                       "box_tool"))));
  g_assert_false (gtk_widget_get_sensitive (nth_widget (find_named (GTK_WIDGET (form), ADW_TYPE_ACTION_ROW, "training"),
                                                        GTK_TYPE_CHECK_BUTTON, 0)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (nth_widget (form, ADW_TYPE_ENTRY_ROW, 0))));
  g_assert_false (press (GTK_WIDGET (page), GDK_KEY_s, GDK_CONTROL_MASK));
  after = stored_label (page, item);
  g_assert_cmpint (dbw_canonical_label_get_version (after), ==, dbw_canonical_label_get_version (before));

  ui_test_destroy_window (GTK_WINDOW (window));
}

/* A sheet with a long name does not keep the page from fitting a narrow window: the bar
 * shortens its choices. */
static void
test_narrow (void)
{
  DbwWindow *window;
  DbwCanonicalPage *page = open_page ("narrow.dbw", &window);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (page));
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  int minimum = 0;

  sheet = dbw_store_get (store, DBW_TYPE_SHEET, sheet_id_by_name (store, "Survey instrument readings"), &error);
  g_assert_no_error (error);
  dbw_sheet_set_name (sheet, "Survey instrument readings of the reactor hall, hot laboratory and waste store, 2024");
  g_assert_true (dbw_store_update (store, sheet, &error));
  g_assert_no_error (error);
  choose (page, dbw_sheet_get_name (sheet), DBW_LABEL_TYPE_CLASSIFICATION);

  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <, 700);

  ui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("dbw-ui-canonical-XXXXXX", &error);
  g_assert_no_error (error);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/canonical-page/classify", test_classify);
  g_test_add_func ("/canonical-page/edit-and-history", test_edit_and_history);
  g_test_add_func ("/canonical-page/constraint-audit", test_constraint_audit);
  g_test_add_func ("/canonical-page/entity-validation", test_entity_validation);
  g_test_add_func ("/canonical-page/walk", test_walk);
  g_test_add_func ("/canonical-page/start-in-background", test_start_in_background);
  g_test_add_func ("/canonical-page/suggestions", test_suggestions);
  g_test_add_func ("/canonical-page/export", test_export);
  g_test_add_func ("/canonical-page/unsaved-changes", test_unsaved_changes);
  g_test_add_func ("/canonical-page/draft", test_draft);
  g_test_add_func ("/canonical-page/draft-suggestions", test_draft_suggestions);
  g_test_add_func ("/canonical-page/read-only", test_read_only);
  g_test_add_func ("/canonical-page/narrow", test_narrow);

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
  g_free (tmp_dir);

  return ret;
}
