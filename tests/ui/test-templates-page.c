/* test-templates-page.c — the Prompt Templates tool under Xvfb: library, editor,
 * versions, completion and testing against a fake model server
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dbw-code-view.h"
#include "dbw-demo.h"
#include "dbw-sheet.h"
#include "dbw-template-ops.h"
#include "dbw-templates-page.h"
#include "dbw-window.h"
#include "fake-llm.h"
#include "ui-test-util.h"

static char *tmp_dir;
static const char *self_path;

static void
spin_a_while (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

static gboolean
columns_loaded (gpointer data)
{
  return !dbw_templates_page_get_loading_columns (DBW_TEMPLATES_PAGE (data));
}

static gboolean
tester_done (gpointer data)
{
  return !dbw_template_tester_get_running (DBW_TEMPLATE_TESTER (data));
}

static gboolean
tester_has_results (gpointer data)
{
  return dbw_template_tester_get_n_results (DBW_TEMPLATE_TESTER (data)) > 0;
}

static DbwWindow *
open_demo (const char        *name,
           DbwTemplatesPage **page)
{
  DbwWindow *window = ui_test_open_demo (tmp_dir, name);

  g_assert_true (dbw_window_show_page (window, "templates"));
  *page = DBW_TEMPLATES_PAGE (dbw_window_get_page (window, "templates"));
  ui_test_spin_until (columns_loaded, *page);

  return window;
}

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  if (DBW_IS_CODE_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));

      gtk_text_buffer_set_text (buffer, text, -1);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static void
set_field (DbwTemplatesPage *page,
           const char       *field,
           const char       *text)
{
  set_text (dbw_template_editor_get_field_widget (dbw_templates_page_get_editor (page), field), text);
}

static gboolean
activate (DbwTemplatesPage *page,
          const char       *action)
{
  gboolean done = gtk_widget_activate_action (GTK_WIDGET (page), action, NULL);

  spin_a_while ();
  return done;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
respond (const char *response)
{
  AdwMessageDialog *dialog;

  spin_a_while ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_a_while ();
}

static DbwTemplate *
current (DbwTemplatesPage *page)
{
  return dbw_template_editor_get_template (dbw_templates_page_get_editor (page));
}

static DbwTemplate *
add_template (DbwStore    *store,
              const char  *name,
              DbwLabelType label_type,
              const char  *user_prompt,
              gboolean     publish)
{
  g_autoptr(DbwTemplate) fields = dbw_template_new ();
  g_autoptr(DbwTemplate) created = NULL;
  g_autoptr(GError) error = NULL;

  dbw_template_set_name (fields, name);
  dbw_template_set_label_type (fields, label_type);
  dbw_template_set_user_prompt_template (fields, user_prompt);
  created = dbw_template_ops_create (store, fields, &error);
  g_assert_no_error (error);

  if (publish)
    {
      DbwTemplate *published = dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (created)), &error);

      g_assert_no_error (error);
      return published;
    }

  return g_steal_pointer (&created);
}

static void
test_lifecycle (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("lifecycle.dbw", &page);
  DbwStore *store = dbw_window_get_store (window);
  DbwTemplateEditor *editor = dbw_templates_page_get_editor (page);
  DbwTemplateHistory *history = dbw_templates_page_get_history (page);
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changes = NULL;
  g_autofree char *first_id = NULL;
  GListModel *library = dbw_templates_page_get_library (page);
  guint n0 = g_list_model_get_n_items (library);
  gboolean found;

  /* The demo's templates are listed, and the first is open: its one-line schema shows
   * indented, which is no change. */
  g_assert_cmpuint (n0, ==, dbw_store_count (store, DBW_TYPE_TEMPLATE, NULL, NULL, NULL));
  g_assert_nonnull (current (page));
  g_assert_null (strchr (dbw_template_get_output_schema (current (page)), '\n'));
  {
    g_autofree char *shown = dbw_code_view_dup_text (DBW_CODE_VIEW (dbw_template_editor_get_field_widget (editor, "output_schema")));

    g_assert_nonnull (strstr (shown, "{\n  \"type\": \"object\","));
  }
  g_assert_false (dbw_template_editor_get_modified (editor));
  g_assert_true (activate (page, "templates.new"));
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 1);
  g_assert_nonnull (current (page));
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "Untitled Template");
  g_assert_cmpint (dbw_template_get_status (current (page)), ==, DBW_TEMPLATE_STATUS_DRAFT);
  first_id = g_strdup (dbw_record_get_id (DBW_RECORD (current (page))));

  /* Nothing to save until something changes. */
  g_assert_false (dbw_template_editor_get_modified (editor));

  set_field (page, "name", "Dose check");
  set_field (page, "system_prompt", "You review radiation survey readings.");
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id }}\nReading {{ value }} {{ unit }}");
  set_field (page, "output_schema", "{\"type\": \"object\", \"required\": [\"verdict\"]}");
  g_assert_true (dbw_template_editor_get_modified (editor));
  g_assert_true (dbw_template_editor_get_valid (editor));
  g_assert_true (activate (page, "templates.save"));
  g_assert_false (dbw_template_editor_get_modified (editor));

  /* A draft is saved in place. */
  {
    g_autoptr(DbwTemplate) stored = dbw_store_get (store, DBW_TYPE_TEMPLATE, first_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dbw_template_get_name (stored), ==, "Dose check");
    g_assert_cmpint (dbw_template_get_version (stored), ==, 1);
    g_assert_cmpstr (dbw_template_get_user_prompt_template (stored), ==, "Instrument {{ instrument_id }}\nReading {{ value }} {{ unit }}");
  }

  /* An error shown under the field, and publishing refused until it is fixed. */
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id ");
  g_assert_false (dbw_template_editor_get_valid (editor));
  {
    g_autofree char *problem = dbw_template_editor_dup_first_error (editor, NULL);

    g_assert_nonnull (problem);
    g_assert_nonnull (strstr (problem, "User prompt"));
    g_assert_nonnull (strstr (problem, "1"));
  }
  g_assert_true (activate (page, "templates.publish"));
  respond ("close");
  g_assert_cmpint (dbw_template_get_status (current (page)), ==, DBW_TEMPLATE_STATUS_DRAFT);
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id }}\nReading {{ value }} {{ unit }}");
  g_assert_false (dbw_template_editor_get_modified (editor));

  g_assert_true (activate (page, "templates.publish"));
  g_assert_cmpint (dbw_template_get_status (current (page)), ==, DBW_TEMPLATE_STATUS_PUBLISHED);
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (current (page))), ==, first_id);

  /* Editing the published version makes version 2, a draft; version 1 stays. */
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id }}\nReading {{ value }} {{ unit }} at {{ location }}");
  g_assert_true (dbw_template_editor_get_modified (editor));
  g_assert_true (activate (page, "templates.save"));
  g_assert_cmpint (dbw_template_get_version (current (page)), ==, 2);
  g_assert_cmpint (dbw_template_get_status (current (page)), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (current (page))), !=, first_id);
  {
    g_autoptr(DbwTemplate) row = g_list_model_get_item (library, 0);

    g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 1);
    g_assert_cmpstr (dbw_template_get_name (row), ==, "Dose check");
    g_assert_cmpint (dbw_template_get_version (row), ==, 2);
  }

  versions = dbw_template_ops_list_versions (store, dbw_template_get_template_id (current (page)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpint (dbw_template_get_status (g_ptr_array_index (versions, 1)), ==, DBW_TEMPLATE_STATUS_PUBLISHED);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (g_ptr_array_index (versions, 1)), ==,
                   "Instrument {{ instrument_id }}\nReading {{ value }} {{ unit }}");

  /* The history compares them, and shows the line that changed. */
  dbw_templates_page_show_view (page, "history");
  g_assert_cmpuint (dbw_template_history_get_n_versions (history), ==, 2);
  changes = dbw_template_diff_view_list_changes (dbw_template_history_get_diff_view (history));
  found = FALSE;
  for (guint i = 0; changes[i] != NULL; i++)
    found |= g_str_equal (changes[i], "User Prompt: +Reading {{ value }} {{ unit }} at {{ location }}");
  g_assert_true (found);
  g_assert_true (g_strv_contains ((const char * const *) changes, "User Prompt: -Reading {{ value }} {{ unit }}"));
  g_assert_cmpuint (g_strv_length (changes), ==, 2);

  /* Publishing the draft, then duplicating: a new template, version 1. */
  g_assert_true (activate (page, "templates.publish"));
  g_assert_cmpint (dbw_template_get_status (current (page)), ==, DBW_TEMPLATE_STATUS_PUBLISHED);
  dbw_template_history_reload (history);
  g_assert_true (dbw_template_history_compare (history, 1, 2));
  g_assert_true (activate (page, "templates.duplicate"));
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 2);
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "Dose check (Copy)");
  g_assert_cmpint (dbw_template_get_version (current (page)), ==, 1);

  /* A draft is deleted, not archived; a published version is archived. */
  g_assert_true (activate (page, "templates.archive"));
  g_assert_null (find_dialog ());
  g_assert_true (activate (page, "templates.discard"));
  respond ("delete");
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 1);
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "Dose check");
  g_assert_true (activate (page, "templates.archive"));
  respond ("archive");
  g_assert_cmpint (dbw_template_get_status (current (page)), ==, DBW_TEMPLATE_STATUS_ARCHIVED);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unsaved_edits (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("unsaved.dbw", &page);
  g_autoptr(DbwStore) store = g_object_ref (dbw_window_get_store (window));
  DbwTemplateEditor *editor = dbw_templates_page_get_editor (page);
  guint n0 = g_list_model_get_n_items (dbw_templates_page_get_library (page));
  g_autoptr(DbwTemplate) a = add_template (store, "A wipe test", DBW_LABEL_TYPE_CLASSIFICATION, "Wipe {{ value }}", TRUE);
  g_autoptr(DbwTemplate) b = add_template (store, "B survey", DBW_LABEL_TYPE_SUMMARIZATION, "Survey {{ location }}", FALSE);
  g_autoptr(GPtrArray) versions = NULL;

  /* Sorted by name, the two come first. */
  spin_a_while ();
  g_assert_cmpuint (g_list_model_get_n_items (dbw_templates_page_get_library (page)), ==, n0 + 2);
  g_assert_true (dbw_templates_page_select_template (page, 0));
  spin_a_while ();
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "A wipe test");

  set_field (page, "user_prompt_template", "Wipe {{ value }} {{ unit }}");
  g_assert_true (dbw_template_editor_get_modified (editor));

  /* Leaving asks; cancelling stays, with the edits. */
  g_assert_true (dbw_templates_page_select_template (page, 1));
  respond ("cancel");
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "A wipe test");
  g_assert_true (dbw_template_editor_get_modified (editor));

  /* Saving goes on to the other template; the edit of a published version is version 2. */
  g_assert_true (dbw_templates_page_select_template (page, 1));
  respond ("save");
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "B survey");
  versions = dbw_template_ops_list_versions (store, dbw_template_get_template_id (a), NULL);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (g_ptr_array_index (versions, 0)), ==, "Wipe {{ value }} {{ unit }}");
  g_assert_cmpstr (dbw_template_get_user_prompt_template (g_ptr_array_index (versions, 1)), ==, "Wipe {{ value }}");

  /* Discarding drops them. */
  set_field (page, "name", "B renamed");
  g_assert_true (dbw_templates_page_select_template (page, 0));
  respond ("discard");
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "A wipe test");
  {
    g_autoptr(DbwTemplate) stored = dbw_store_get (store, DBW_TYPE_TEMPLATE, dbw_record_get_id (DBW_RECORD (b)), NULL);

    g_assert_cmpstr (dbw_template_get_name (stored), ==, "B survey");
  }

  /* Closing the project keeps edits rather than dropping them. */
  set_field (page, "description", "Kept on close");
  dbw_window_set_store (window, NULL);
  spin_a_while ();
  {
    g_autoptr(GPtrArray) after = dbw_template_ops_list_versions (store, dbw_template_get_template_id (a), NULL);

    g_assert_cmpstr (dbw_template_get_description (g_ptr_array_index (after, 0)), ==, "Kept on close");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_search_and_filter (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("library.dbw", &page);
  DbwStore *store = dbw_window_get_store (window);
  GListModel *library = dbw_templates_page_get_library (page);
  guint n0 = g_list_model_get_n_items (library);
  guint n_classification = 0, n_classification_published = 0;
  g_autoptr(DbwTemplate) a = NULL;
  g_autoptr(DbwTemplate) b = NULL;
  g_autoptr(DbwTemplate) c = NULL;

  /* What the demo brings: published templates, none about doses. */
  for (guint i = 0; i < n0; i++)
    {
      g_autoptr(DbwTemplate) row = g_list_model_get_item (library, i);

      g_assert_null (strstr (dbw_template_get_name (row), "ose"));
      if (dbw_template_get_label_type (row) == DBW_LABEL_TYPE_CLASSIFICATION)
        {
          n_classification++;
          n_classification_published += dbw_template_get_status (row) == DBW_TEMPLATE_STATUS_PUBLISHED;
        }
    }

  a = add_template (store, "Dose rate check", DBW_LABEL_TYPE_CLASSIFICATION, "{{ value }}", TRUE);
  b = add_template (store, "Wipe summary", DBW_LABEL_TYPE_SUMMARIZATION, "{{ notes }}", FALSE);
  c = add_template (store, "Defect classes", DBW_LABEL_TYPE_CLASSIFICATION, "{{ item.ref }}", FALSE);

  spin_a_while ();
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 3);

  dbw_templates_page_set_search (page, "dose");
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, 1);
  dbw_templates_page_set_search (page, "nothing like it");
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, 0);
  dbw_templates_page_set_search (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 3);

  dbw_templates_page_set_filters (page, DBW_LABEL_TYPE_CLASSIFICATION, -1);
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n_classification + 2);
  dbw_templates_page_set_filters (page, DBW_LABEL_TYPE_CLASSIFICATION, DBW_TEMPLATE_STATUS_PUBLISHED);
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n_classification_published + 1);
  {
    g_autoptr(DbwTemplate) row = g_list_model_get_item (library, 0);

    g_assert_cmpstr (dbw_template_get_name (row), ==, "Dose rate check");
  }

  g_assert_true (activate (page, "templates.clear-filters"));
  g_assert_cmpuint (g_list_model_get_n_items (library), ==, n0 + 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_completion (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("completion.dbw", &page);
  DbwTemplateEditor *editor = dbw_templates_page_get_editor (page);
  DbwPromptCompletion *completion = dbw_template_editor_get_completion (editor);
  GtkWidget *view;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  g_autoptr(GListModel) proposals = NULL;
  g_autoptr(DbwPromptProposal) first = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  const char * const *columns;

  g_assert_true (activate (page, "templates.new"));
  g_assert_true (dbw_templates_page_select_sheet (page, "Survey instrument readings"));
  ui_test_spin_until (columns_loaded, page);

  columns = dbw_template_editor_get_columns (editor);
  g_assert_nonnull (columns);
  g_assert_true (g_strv_contains (columns, "instrument_id"));
  g_assert_true (g_strv_contains (columns, "item.ref"));

  view = dbw_template_editor_get_field_widget (editor, "user_prompt_template");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  /* Outside a placeholder, nothing is offered. */
  gtk_text_buffer_set_text (buffer, "Reading instr", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  proposals = dbw_prompt_completion_propose (completion, &end);
  g_assert_cmpuint (g_list_model_get_n_items (proposals), ==, 0);
  g_clear_object (&proposals);

  /* After "{{", the columns that match what was typed, best first. */
  gtk_text_buffer_set_text (buffer, "Reading from {{ instr", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  proposals = dbw_prompt_completion_propose (completion, &end);
  g_assert_cmpuint (g_list_model_get_n_items (proposals), >=, 2);
  first = g_list_model_get_item (proposals, 0);
  g_assert_true (g_str_has_prefix (dbw_prompt_proposal_get_name (first), "instrument_"));
  for (guint i = 0; i < g_list_model_get_n_items (proposals); i++)
    {
      g_autoptr(DbwPromptProposal) proposal = g_list_model_get_item (proposals, i);

      g_assert_false (g_str_equal (dbw_prompt_proposal_get_name (proposal), "reading_id"));
    }

  /* Choosing one completes the name and closes the placeholder. */
  dbw_prompt_completion_apply (completion, buffer, first);
  text = dbw_code_view_dup_text (DBW_CODE_VIEW (view));
  expected = g_strdup_printf ("Reading from {{ %s }}", dbw_prompt_proposal_get_name (first));
  g_assert_cmpstr (text, ==, expected);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Under the user prompt, the variables it uses, and those the sheet's items have no value
 * for: generating would skip those items. */
static void
test_variables (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("variables.dbw", &page);
  DbwTemplateEditor *editor = dbw_templates_page_get_editor (page);
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), DBW_TYPE_TEMPLATE_EDITOR,
                                                                "variables_label"));

  g_assert_true (activate (page, "templates.new"));
  g_assert_true (dbw_templates_page_select_sheet (page, "Survey instrument readings"));
  ui_test_spin_until (columns_loaded, page);

  /* A row has no text, a misspelt column no value; a default stands in for a value. */
  set_field (page, "user_prompt_template", "{{ instrument_id }} {{ item.text }} {{ notes | default('none') }} {{ instrument }}");
  spin_a_while ();
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==,
                   "Uses: instrument_id, item.text, notes, instrument. "
                   "Items of “Survey instrument readings” lack a value for: item.text, instrument");
  g_assert_true (gtk_widget_has_css_class (label, "warning"));

  /* The documents have text. */
  g_assert_true (dbw_templates_page_select_sheet (page, "Radiation-safety documents"));
  ui_test_spin_until (columns_loaded, page);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==,
                   "Uses: instrument_id, item.text, notes, instrument. "
                   "Items of “Radiation-safety documents” lack a value for: instrument_id, instrument");

  set_field (page, "user_prompt_template", "{{ item.text }} {{ item.ref }}");
  spin_a_while ();
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "Uses: item.text, item.ref");
  g_assert_false (gtk_widget_has_css_class (label, "warning"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *
chosen_sheet (DbwTemplatesPage *page)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page), DBW_TYPE_TEMPLATES_PAGE,
                                                                        "sheet_dropdown"));
  DbwSheet *sheet = gtk_drop_down_get_selected_item (dropdown);

  return sheet != NULL ? dbw_sheet_get_name (sheet) : NULL;
}

static void
open_nth (DbwTemplatesPage *page,
          guint             position,
          const char       *name)
{
  g_assert_true (dbw_templates_page_select_template (page, position));
  spin_a_while ();
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, name);
  ui_test_spin_until (columns_loaded, page);
}

/* A template opens with a sheet whose items have its variables, until the user picks one. */
static void
test_sheet_fit (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("sheet-fit.dbw", &page);
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dbw_templates_page_get_editor (page)),
                                                                DBW_TYPE_TEMPLATE_EDITOR, "variables_label"));
  g_autoptr(DbwSheet) scratch = dbw_sheet_new ();

  /* A sheet without items fits nothing: never chosen for a template. */
  dbw_sheet_set_name (scratch, "Scratch");
  g_assert_true (dbw_store_insert (dbw_window_get_store (window), scratch, NULL));
  spin_a_while ();

  /* The page opens on the first template, the first sheet being the readings. */
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "PCB defect detection");
  g_assert_cmpstr (chosen_sheet (page), ==, "PCB inspection images");
  open_nth (page, 2, "Reading triage");
  g_assert_cmpstr (chosen_sheet (page), ==, "Survey instrument readings");
  open_nth (page, 1, "Procedure questions");
  g_assert_cmpstr (chosen_sheet (page), ==, "Radiation-safety documents");
  g_assert_false (gtk_widget_has_css_class (label, "warning"));

  /* The chosen sheet deleted, the list chooses another: not the user's pick. */
  {
    DbwStore *store = dbw_window_get_store (window);
    g_autoptr(GPtrArray) sheets = dbw_store_list (store, DBW_TYPE_SHEET, "name", "Radiation-safety documents", NULL);
    DbwSheet *documents = g_ptr_array_index (sheets, 0);
    g_autoptr(GError) error = NULL;

    dbw_sheet_set_deleted_at (documents, "2026-11-24T10:00:00Z");
    g_assert_true (dbw_store_update (store, DBW_RECORD (documents), &error));
    g_assert_no_error (error);
    spin_a_while ();
    ui_test_spin_until (columns_loaded, page);
    g_assert_cmpstr (chosen_sheet (page), !=, "Radiation-safety documents");
  }
  open_nth (page, 2, "Reading triage");
  g_assert_cmpstr (chosen_sheet (page), ==, "Survey instrument readings");

  /* Picked by the user while the page tries a template: the pick stays. */
  g_assert_true (dbw_templates_page_select_template (page, 0));
  g_assert_true (dbw_templates_page_get_loading_columns (page));
  g_assert_true (dbw_templates_page_select_sheet (page, "Scratch"));
  ui_test_spin_until (columns_loaded, page);
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "PCB defect detection");
  g_assert_cmpstr (chosen_sheet (page), ==, "Scratch");

  /* Picked by the user, the sheet stays, and the editor says what its items lack. */
  g_assert_true (dbw_templates_page_select_sheet (page, "Survey instrument readings"));
  ui_test_spin_until (columns_loaded, page);
  open_nth (page, 0, "PCB defect detection");
  g_assert_cmpstr (chosen_sheet (page), ==, "Survey instrument readings");
  g_assert_true (gtk_widget_has_css_class (label, "warning"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
reply_for_reading (JsonArray *messages,
                   gpointer   user_data)
{
  JsonObject *last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
  const char *content = json_object_get_string_member (last, "content");

  /* Readings of GM probes get an answer without the verdict the schema requires. */
  if (strstr (content, "Instrument GM-") != NULL)
    return g_strdup ("{\"comment\": \"looks fine\"}");
  return g_strdup ("```json\n{\"verdict\": \"normal\"}\n```");
}

static void
test_testing (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("testing.dbw", &page);
  DbwTemplateTester *tester = dbw_templates_page_get_tester (page);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  FakeLlm *llm = fake_llm_new ();
  guint valid = 0, invalid = 0;
  gint64 started;

  fake_llm_set_reply_func (llm, reply_for_reading, NULL, NULL);

  g_assert_true (activate (page, "templates.new"));
  g_assert_true (dbw_templates_page_select_sheet (page, "Survey instrument readings"));
  ui_test_spin_until (columns_loaded, page);
  set_field (page, "system_prompt", "You review radiation survey readings.");
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id }} read {{ value }} {{ unit }}.");
  set_field (page, "output_schema", "{\"type\": \"object\", \"required\": [\"verdict\"], \"properties\": {\"verdict\": {\"enum\": [\"normal\", \"high\"]}}}");
  dbw_template_tester_set_n_samples (tester, 20);

  /* No endpoint: rendered, not sent, and the page says where to set one. */
  g_settings_set_string (settings, "llm-endpoint-url", "");
  g_assert_true (activate (page, "templates.test"));
  g_assert_cmpstr (dbw_templates_page_get_visible_view (page), ==, "test");
  ui_test_spin_until (tester_done, tester);
  g_assert_cmpuint (dbw_template_tester_get_n_results (tester), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_assert_cmpint (dbw_template_tester_get_verdict (tester, i), ==, DBW_TEST_VERDICT_RENDERED);
      g_assert_nonnull (strstr (dbw_template_tester_get_prompt (tester, i), "You review radiation survey readings."));
      g_assert_nonnull (strstr (dbw_template_tester_get_prompt (tester, i), "Instrument "));
      g_assert_null (strstr (dbw_template_tester_get_prompt (tester, i), "{{"));
    }

  /* With the fake server: the answers, each checked against the output schema. */
  g_settings_set_string (settings, "llm-endpoint-url", fake_llm_get_v1_url (llm));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "templates.test", NULL));
  g_assert_true (dbw_template_tester_get_running (tester));
  ui_test_spin_until (tester_done, tester);
  g_assert_cmpuint (dbw_template_tester_get_n_results (tester), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      const char *prompt = dbw_template_tester_get_prompt (tester, i);
      DbwTestVerdict verdict = dbw_template_tester_get_verdict (tester, i);

      g_assert_nonnull (dbw_template_tester_get_output (tester, i));
      if (strstr (prompt, "Instrument GM-") != NULL)
        {
          g_assert_cmpint (verdict, ==, DBW_TEST_VERDICT_INVALID);
          g_assert_nonnull (strstr (dbw_template_tester_get_message (tester, i), "verdict"));
          invalid++;
        }
      else
        {
          g_assert_cmpint (verdict, ==, DBW_TEST_VERDICT_VALID);
          valid++;
        }
    }
  g_assert_cmpuint (valid, >, 0);
  g_assert_cmpuint (invalid, >, 0);

  /* A variable the sheet does not have: that item says which, and nothing is sent. */
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id }} checked by {{ inspector }}.");
  dbw_template_tester_set_n_samples (tester, 2);
  g_assert_true (activate (page, "templates.test"));
  ui_test_spin_until (tester_done, tester);
  g_assert_cmpuint (dbw_template_tester_get_n_results (tester), ==, 2);
  g_assert_cmpint (dbw_template_tester_get_verdict (tester, 0), ==, DBW_TEST_VERDICT_RENDER_FAILED);
  g_assert_nonnull (strstr (dbw_template_tester_get_message (tester, 0), "inspector"));

  /* Cancelling a slow test leaves nothing waiting. */
  set_field (page, "user_prompt_template", "Instrument {{ instrument_id }}.");
  /* A reply far later than the limit below: the test cannot pass by waiting for it. */
  fake_llm_set_delay (llm, 60000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "templates.test", NULL));
  g_assert_true (dbw_template_tester_get_running (tester));
  ui_test_spin_until (tester_has_results, tester);
  g_assert_cmpint (dbw_template_tester_get_verdict (tester, 0), ==, DBW_TEST_VERDICT_PENDING);
  started = g_get_monotonic_time ();
  dbw_template_tester_cancel (tester);
  ui_test_spin_until (tester_done, tester);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpuint (dbw_template_tester_get_n_results (tester), ==, 2);
  for (guint i = 0; i < dbw_template_tester_get_n_results (tester); i++)
    {
      g_assert_cmpint (dbw_template_tester_get_verdict (tester, i), ==, DBW_TEST_VERDICT_MODEL_FAILED);
      g_assert_cmpstr (dbw_template_tester_get_message (tester, i), ==, "Cancelled");
    }

  g_settings_set_string (settings, "llm-endpoint-url", "");
  gtk_window_destroy (GTK_WINDOW (window));
  spin_a_while ();
  fake_llm_free (llm);
}

/* The window preloads the editors' languages at an idle moment: both are found (a missing
 * one is a critical warning, fatal here), twice is once, and editors use them after. */
static void
test_preload (void)
{
  GtkWidget *prompt;
  GtkWidget *json;

  dbw_code_view_preload ();
  dbw_code_view_preload ();

  prompt = g_object_ref_sink (dbw_code_view_new ("databits-prompt"));
  json = g_object_ref_sink (dbw_code_view_new ("json"));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (
                     GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prompt))))), ==, "databits-prompt");
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (
                     GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (json))))), ==, "json");
  g_object_unref (prompt);
  g_object_unref (json);
}

/* The edits the child makes before it is killed: a name, a prompt and a schema half typed. */
#define DRAFT_NAME    "Wipe summary (half"
#define DRAFT_PROMPT  "Summarise {{ notes"
#define DRAFT_SCHEMA  "{ \"type\": \"obj"

static char *
field_text (DbwTemplatesPage *page,
            const char       *field)
{
  GtkWidget *widget = dbw_template_editor_get_field_widget (dbw_templates_page_get_editor (page), field);

  if (DBW_IS_CODE_VIEW (widget))
    return dbw_code_view_dup_text (DBW_CODE_VIEW (widget));

  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
}

/* A button on show under @widget labelled @label. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The child: opens the project at @path on the first template, edits it and says so on
 * stdout once the project keeps the edit. It never stops by itself: the parent kills it. */
static int
run_edit_child (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  DbwTemplatesPage *page;
  DbwWindow *window;

  gtk_init ();
  adw_init ();

  window = ui_test_open_file (file);
  g_assert_true (dbw_window_show_page (window, "templates"));
  page = DBW_TEMPLATES_PAGE (dbw_window_get_page (window, "templates"));
  ui_test_spin_until (columns_loaded, page);
  g_assert_true (dbw_templates_page_select_template (page, 0));
  spin_a_while ();

  set_field (page, "name", DRAFT_NAME);
  set_field (page, "user_prompt_template", DRAFT_PROMPT);
  set_field (page, "output_schema", DRAFT_SCHEMA);
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { dbw_window_get_store (window), "DbwTemplatesPage", "obj" });

  g_print ("typed\n");
  for (;;)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

/* Edits of a template, half typed and invalid as they are, are kept in the project as they
 * are made: when the app is killed before they are saved, the next time the Prompt
 * Templates page opens it shows the template with them. A kept edit whose version changed
 * meanwhile is not forced on it. */
static void
test_draft (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "draft.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwTemplate) first = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *name = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *description = NULL;
  g_autofree char *title = NULL;
  GtkWidget *show;
  DbwTemplatesPage *page = NULL;
  DbwWindow *window;

  window = open_demo ("draft.dbw", &page);
  first = g_list_model_get_item (dbw_templates_page_get_library (page), 0);
  ui_test_destroy_window (GTK_WINDOW (window));

  ui_test_kill_child_after ((const char *[]) { self_path, "--edit", path, NULL }, "typed");

  /* The window says the edit is kept; its button opens the page on the template, with
   * the fields as they were typed, not saved. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_string (settings, "last-page", "data");
  }
  window = ui_test_open_file (file);
  store = g_object_ref (dbw_window_get_store (window));
  ui_test_spin_until (ui_test_text_shown, &(UiTestShownText) { GTK_WIDGET (window), "Unsaved changes in Prompt Templates were kept" });
  show = find_button (GTK_WIDGET (window), "_Show");
  g_assert_nonnull (show);
  g_signal_emit_by_name (show, "clicked");
  spin_a_while ();
  page = DBW_TEMPLATES_PAGE (dbw_window_get_page (window, "templates"));
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  title = g_strdup_printf ("Your changes to “%s”, not saved yet, are back", dbw_template_get_name (first));
  ui_test_spin_until (ui_test_text_shown, &(UiTestShownText) { GTK_WIDGET (window), title });
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (current (page))), ==, dbw_record_get_id (DBW_RECORD (first)));
  g_assert_true (dbw_template_editor_get_modified (dbw_templates_page_get_editor (page)));
  name = field_text (page, "name");
  prompt = field_text (page, "user_prompt_template");
  schema = field_text (page, "output_schema");
  g_assert_cmpstr (name, ==, DRAFT_NAME);
  g_assert_cmpstr (prompt, ==, DRAFT_PROMPT);
  g_assert_cmpstr (schema, ==, DRAFT_SCHEMA);
  versions = dbw_template_ops_list_versions (store, dbw_template_get_template_id (first), NULL);
  g_assert_cmpuint (versions->len, ==, 1);
  g_assert_cmpstr (dbw_template_get_name (g_ptr_array_index (versions, 0)), ==, dbw_template_get_name (first));
  g_clear_pointer (&versions, g_ptr_array_unref);

  /* Reverting drops the edit, and the draft with it. */
  g_assert_true (activate (page, "templates.revert"));
  g_assert_false (dbw_template_editor_get_modified (dbw_templates_page_get_editor (page)));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", NULL });

  /* A draft made on the version, then the version archived elsewhere: the edit still
   * comes back (saving it makes the next draft). */
  set_field (page, "description", "Overtaken");
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", "Overtaken" });
  kept = dbw_store_dup_draft (store, "DbwTemplatesPage");
  g_assert_true (activate (page, "templates.revert"));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", NULL });
  ui_test_destroy_window (GTK_WINDOW (window));
  g_assert_nonnull (dbw_template_ops_archive (store, dbw_record_get_id (DBW_RECORD (first)), &error));
  g_assert_no_error (error);
  g_assert_true (dbw_store_set_draft (store, "DbwTemplatesPage", kept, &error));
  g_assert_no_error (error);

  window = ui_test_open_file (file);
  g_assert_true (dbw_window_show_page (window, "templates"));
  page = DBW_TEMPLATES_PAGE (dbw_window_get_page (window, "templates"));
  spin_a_while ();
  g_assert_true (dbw_template_editor_get_modified (dbw_templates_page_get_editor (page)));
  g_clear_pointer (&description, g_free);
  description = field_text (page, "description");
  g_assert_cmpstr (description, ==, "Overtaken");
  g_assert_true (activate (page, "templates.revert"));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", NULL });

  /* An edit still open when the window closes is saved, and needs no draft. */
  set_field (page, "description", "Saved on close");
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", "Saved on close" });
  /* The page saves as it goes, which waits for work of its own still running. */
  ui_test_destroy_window (GTK_WINDOW (window));
  g_assert_true (ui_test_draft_is (&(UiTestDraftWait) { store, "DbwTemplatesPage", NULL }));
  versions = dbw_template_ops_list_versions (store, dbw_template_get_template_id (first), NULL);
  g_assert_cmpstr (dbw_template_get_description (g_ptr_array_index (versions, 0)), ==, "Saved on close");
}

/* A newer draft is never overwritten by an edit of the published version before it. The
 * library lists a template's published version under the "Published" filter, and the page
 * opens the first row when nothing is open (here: the project opened again). */
static void
test_published_edit_keeps_newer_draft (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("newer-draft.dbw", &page);
  g_autoptr(DbwStore) store = g_object_ref (dbw_window_get_store (window));
  g_autoptr(DbwTemplate) v1 = add_template (store, "A wipe test", DBW_LABEL_TYPE_CLASSIFICATION, "Wipe {{ value }}", TRUE);
  g_autoptr(DbwTemplate) edit = dbw_record_copy (DBW_RECORD (v1));
  g_autoptr(DbwTemplate) v2 = NULL;
  g_autoptr(DbwTemplate) v2_now = NULL;
  g_autoptr(GError) error = NULL;

  /* Yesterday's work: version 2, a draft, not published yet. */
  dbw_template_set_user_prompt_template (edit, "Wipe {{ value }} {{ unit }}: long careful draft work");
  v2 = dbw_template_ops_save (store, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_template_get_version (v2), ==, 2);

  dbw_templates_page_set_filters (page, -1, DBW_TEMPLATE_STATUS_PUBLISHED);
  dbw_window_set_store (window, NULL);
  spin_a_while ();
  dbw_window_set_store (window, store);
  g_assert_true (dbw_window_show_page (window, "templates"));
  ui_test_spin_until (columns_loaded, page);
  /* The editor edits the newest version, as when the row is clicked. */
  g_assert_cmpstr (dbw_record_get_id (DBW_RECORD (current (page))), ==, dbw_record_get_id (DBW_RECORD (v2)));

  /* The user fixes a typo in what is shown, and saves. */
  set_field (page, "description", "Typo fixed");
  g_assert_true (activate (page, "templates.save"));

  v2_now = dbw_store_get (store, DBW_TYPE_TEMPLATE, dbw_record_get_id (DBW_RECORD (v2)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (v2_now), ==, "Wipe {{ value }} {{ unit }}: long careful draft work");
  g_assert_cmpstr (dbw_template_get_description (v2_now), ==, "Typo fixed");
  g_assert_cmpint (dbw_store_count (store, DBW_TYPE_TEMPLATE, "template_id", dbw_template_get_template_id (v1), NULL), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Saving an edit of one field leaves the fields not touched as they were, even values the
 * editor's spins cannot show (the command line stores any temperature and token limit). */
static void
test_untouched_settings_kept (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("settings-kept.dbw", &page);
  g_autoptr(DbwStore) store = g_object_ref (dbw_window_get_store (window));
  g_autoptr(DbwTemplate) fields = dbw_template_new ();
  g_autoptr(DbwTemplate) created = NULL;
  g_autoptr(DbwTemplate) v1 = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  DbwTemplate *v2;

  /* As `databits templates add --from T.json --publish` stores it. */
  dbw_template_set_name (fields, "A tuned template");
  dbw_template_set_label_type (fields, DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_user_prompt_template (fields, "Wipe {{ value }}");
  dbw_template_set_temperature (fields, 0.125);
  dbw_template_set_max_tokens (fields, 2000000);
  created = dbw_template_ops_create (store, fields, &error);
  g_assert_no_error (error);
  v1 = dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (created)), &error);
  g_assert_no_error (error);
  spin_a_while ();

  g_assert_true (dbw_templates_page_select_template (page, 0));
  spin_a_while ();
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "A tuned template");
  g_assert_false (dbw_template_editor_get_modified (dbw_templates_page_get_editor (page)));

  set_field (page, "description", "Only the description changes");
  g_assert_true (activate (page, "templates.save"));

  versions = dbw_template_ops_list_versions (store, dbw_template_get_template_id (v1), NULL);
  g_assert_cmpuint (versions->len, ==, 2);
  v2 = g_ptr_array_index (versions, 0);
  g_assert_cmpstr (dbw_template_get_description (v2), ==, "Only the description changes");
  g_assert_cmpfloat (dbw_template_get_temperature (v2), ==, 0.125);
  g_assert_cmpint (dbw_template_get_max_tokens (v2), ==, 2000000);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A published version can be archived from the app while its next version is being
 * drafted, as `databits templates archive` does. */
static void
test_archive_with_newer_draft (void)
{
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("archive-draft.dbw", &page);
  g_autoptr(DbwStore) store = g_object_ref (dbw_window_get_store (window));
  g_autoptr(DbwTemplate) v1 = add_template (store, "A wipe test", DBW_LABEL_TYPE_CLASSIFICATION, "Wipe {{ value }}", TRUE);
  g_autoptr(DbwTemplate) v1_now = NULL;

  spin_a_while ();
  g_assert_true (dbw_templates_page_select_template (page, 0));
  spin_a_while ();
  set_field (page, "user_prompt_template", "Wipe {{ value }} {{ unit }}");
  g_assert_true (activate (page, "templates.save"));
  g_assert_cmpint (dbw_template_get_version (current (page)), ==, 2);

  /* Version 1 is still offered in Generate; the user retires it. */
  g_assert_true (activate (page, "templates.archive"));
  spin_a_while ();
  g_assert_nonnull (find_dialog ());
  g_assert_nonnull (strstr (adw_message_dialog_get_body (find_dialog ()), "Version 1 "));
  respond ("archive");
  v1_now = dbw_store_get (store, DBW_TYPE_TEMPLATE, dbw_record_get_id (DBW_RECORD (v1)), NULL);
  g_assert_cmpint (dbw_template_get_status (v1_now), ==, DBW_TEMPLATE_STATUS_ARCHIVED);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A change the model sees is a change the diff shows. */
static void
test_diff_shows_whitespace_change (void)
{
  DbwTemplateDiffView *view = DBW_TEMPLATE_DIFF_VIEW (g_object_ref_sink (dbw_template_diff_view_new ()));
  g_autoptr(DbwTemplate) v1 = dbw_template_new ();
  g_autoptr(DbwTemplate) v2 = NULL;
  g_auto(GStrv) changes = NULL;

  dbw_template_set_name (v1, "Spacing");
  dbw_template_set_version (v1, 1);
  dbw_template_set_user_prompt_template (v1, "Classify {{ value }}.\nAnswer in JSON.");
  v2 = dbw_record_copy (DBW_RECORD (v1));
  dbw_template_set_version (v2, 2);
  dbw_template_set_user_prompt_template (v2, "Classify {{ value }}.\r\nAnswer in JSON.\n");

  dbw_template_diff_view_set_templates (view, v1, v2);
  changes = dbw_template_diff_view_list_changes (view);
  g_assert_cmpuint (g_strv_length (changes), ==, 1);
  g_assert_nonnull (strstr (changes[0], "line endings"));

  g_object_unref (view);
}

/* Edits typed before a crash come back even when the version was published meanwhile
 * (by `databits templates publish`, or a colleague): saving them makes the next draft. */
static void
test_draft_survives_publish_elsewhere (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "crash-publish.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwTemplate) draft = NULL;
  g_autoptr(DbwTemplate) published = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *description = NULL;
  DbwTemplatesPage *page = NULL;
  DbwWindow *window = open_demo ("crash-publish.dbw", &page);

  store = g_object_ref (dbw_window_get_store (window));
  draft = add_template (store, "A wipe test", DBW_LABEL_TYPE_CLASSIFICATION, "Wipe {{ value }}", FALSE);
  spin_a_while ();
  g_assert_true (dbw_templates_page_select_template (page, 0));
  spin_a_while ();
  g_assert_cmpstr (dbw_template_get_name (current (page)), ==, "A wipe test");

  /* Typed, kept as a draft in the project; then the app dies (the kept draft is put back
   * after the window, which would save the edit, is gone). */
  set_field (page, "description", "Typed before the crash");
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", "Typed before the crash" });
  kept = dbw_store_dup_draft (store, "DbwTemplatesPage");
  g_assert_true (activate (page, "templates.revert"));
  ui_test_spin_until (ui_test_draft_is, &(UiTestDraftWait) { store, "DbwTemplatesPage", NULL });
  ui_test_destroy_window (GTK_WINDOW (window));

  /* Meanwhile the command line publishes the version. */
  published = dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (draft)), &error);
  g_assert_no_error (error);
  g_assert_true (dbw_store_set_draft (store, "DbwTemplatesPage", kept, &error));
  g_assert_no_error (error);

  window = ui_test_open_file (file);
  g_assert_true (dbw_window_show_page (window, "templates"));
  page = DBW_TEMPLATES_PAGE (dbw_window_get_page (window, "templates"));
  spin_a_while ();

  description = field_text (page, "description");
  g_assert_cmpstr (description, ==, "Typed before the crash");
  g_assert_true (dbw_template_editor_get_modified (dbw_templates_page_get_editor (page)));

  ui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  self_path = argv[0];
  if (argc == 3 && g_str_equal (argv[1], "--edit"))
    return run_edit_child (argv[2]);

  tmp_dir = g_dir_make_tmp ("dbw-ui-templates-XXXXXX", &error);
  g_assert_no_error (error);

  /* The keyring is not part of these tests. */
  g_setenv ("DBW_LLM_TOKEN", "test-token", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/templates-page/preload", test_preload);
  g_test_add_func ("/templates-page/lifecycle", test_lifecycle);
  g_test_add_func ("/templates-page/unsaved-edits", test_unsaved_edits);
  g_test_add_func ("/templates-page/search-and-filter", test_search_and_filter);
  g_test_add_func ("/templates-page/completion", test_completion);
  g_test_add_func ("/templates-page/variables", test_variables);
  g_test_add_func ("/templates-page/sheet-fit", test_sheet_fit);
  g_test_add_func ("/templates-page/testing", test_testing);
  g_test_add_func ("/templates-page/draft", test_draft);

  g_test_add_func ("/templates-page/published-edit-keeps-newer-draft", test_published_edit_keeps_newer_draft);
  g_test_add_func ("/templates-page/untouched-settings-kept", test_untouched_settings_kept);
  g_test_add_func ("/templates-page/archive-with-newer-draft", test_archive_with_newer_draft);
  g_test_add_func ("/templates-page/diff-shows-whitespace-change", test_diff_shows_whitespace_change);
  g_test_add_func ("/templates-page/draft-survives-publish-elsewhere", test_draft_survives_publish_elsewhere);

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
