/* test-window.c — the main window on the demo project, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-application.h"
#include "dbw-data-page.h"
#include "dbw-demo.h"
#include "dbw-item.h"
#include "dbw-page.h"
#include "dbw-pdf-view.h"
#include "dbw-preferences-window.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-sidebar-row.h"
#include "dbw-template-editor.h"
#include "dbw-templates-page.h"
#include "dbw-welcome-view.h"
#include "dbw-window.h"
#include "ui-test-keys.h"
#include "ui-test-util.h"

static char *tmp_dir;
static GFile *demo_file;

static void
demo_created_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_demo_create_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
file_ready (gpointer data)
{
  return *(GFile **) data != NULL;
}

static GFile *
create_demo (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "demo.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *sources = g_getenv ("DBW_DEMO_SOURCES");
  GFile *result = NULL;

  g_assert_nonnull (sources);
  dbw_demo_create_async (file, sources, NULL, demo_created_cb, &result);
  ui_test_spin_until (file_ready, &result);

  return result;
}

/* The Data page lists items from a worker thread. */
static gboolean
items_loaded (gpointer data)
{
  return !dbw_query_model_get_loading (DBW_QUERY_MODEL (data));
}

static gboolean
window_has_store (gpointer data)
{
  return dbw_window_get_store (DBW_WINDOW (data)) != NULL;
}

static DbwWindow *
open_window_on_demo (void)
{
  DbwWindow *window = dbw_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, demo_file, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (window_has_store, window);

  return window;
}

static guint
count_sidebar_rows (DbwWindow *window,
                    GPtrArray *names)
{
  GtkListBox *sidebar = dbw_window_get_sidebar (window);
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (DBW_IS_SIDEBAR_ROW (child))
      {
        n++;
        if (names != NULL)
          g_ptr_array_add (names, g_strdup (dbw_sidebar_row_get_page_name (DBW_SIDEBAR_ROW (child))));
      }

  return n;
}

static DbwSidebarRow *
find_row (DbwWindow  *window,
          const char *name)
{
  GtkListBox *sidebar = dbw_window_get_sidebar (window);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (DBW_IS_SIDEBAR_ROW (child) && g_str_equal (dbw_sidebar_row_get_page_name (DBW_SIDEBAR_ROW (child)), name))
      return DBW_SIDEBAR_ROW (child);

  return NULL;
}

static gboolean
data_badge_counted (gpointer data)
{
  return dbw_sidebar_row_get_count (find_row (DBW_WINDOW (data), "data")) > 0;
}

static gboolean
data_badge_counts_four (gpointer data)
{
  return dbw_sidebar_row_get_count (find_row (DBW_WINDOW (data), "data")) == 4;
}

static void
test_window_demo (void)
{
  DbwWindow *window = open_window_on_demo ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *expected[] = { "data", "generate", "label", "train", "deploy", "monitor", "improve",
                             "templates", "example-store", "dspy", "canonical" };
  DbwDataPage *data_page;
  GListModel *sheets;

  g_assert_cmpuint (count_sidebar_rows (window, names), ==, 11);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected[i]);

  /* Badges count the demo's rows, in a worker: three sheets, canonical labels on half the
   * boards, one reviewed Training Sheet. */
  ui_test_spin_until (data_badge_counted, window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (dbw_sidebar_row_get_count (find_row (window, "data")), ==, 3);
  g_assert_cmpint (dbw_sidebar_row_get_count (find_row (window, "canonical")), >=, 10);
  g_assert_cmpint (dbw_sidebar_row_get_count (find_row (window, "generate")), ==, 1);

  /* Only the page on show is built at first; the others are built when first shown,
   * with the project. */
  {
    GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (dbw_window_get_page (window, dbw_window_get_visible_page_name (window))));
    guint n_built = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (stack); child != NULL; child = gtk_widget_get_next_sibling (child))
      n_built++;
    g_assert_cmpuint (n_built, ==, 1);
  }

  /* Every page can be shown. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (dbw_window_show_page (window, expected[i]));
      g_assert_true (dbw_page_get_store (dbw_window_get_page (window, expected[i])) == dbw_window_get_store (window));
      g_assert_cmpstr (dbw_window_get_visible_page_name (window), ==, expected[i]);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dbw_window_get_page (window, expected[i]))));
    }
  g_assert_false (dbw_window_show_page (window, "no-such-page"));

  /* The Data page lists the sheets and the items of the selected one. */
  g_assert_true (dbw_window_show_page (window, "data"));
  data_page = DBW_DATA_PAGE (dbw_window_get_page (window, "data"));
  sheets = dbw_data_page_get_sheets (data_page);
  g_assert_nonnull (sheets);
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      GListModel *items;

      g_assert_true (dbw_data_page_select_sheet (data_page, i));
      items = dbw_data_page_get_items (data_page);
      g_assert_nonnull (items);
      ui_test_spin_until (items_loaded, items);
      g_assert_cmpuint (g_list_model_get_n_items (items), >=, 5);
      /* Item and Kind, plus one column per field. */
      g_assert_cmpuint (dbw_data_page_get_n_columns (data_page), >, 2);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_assert_true (dbw_data_page_select_sheet (data_page, 0));
  ui_test_spin_until (items_loaded, dbw_data_page_get_items (data_page));
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (data_page)), >=, 1000);

  /* The badges follow the project. */
  {
    g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
    g_autoptr(GError) error = NULL;

    dbw_sheet_set_name (sheet, "Wipe tests");
    g_assert_true (dbw_store_insert (dbw_window_get_store (window), sheet, &error));
    g_assert_no_error (error);
    ui_test_spin_until (data_badge_counts_four, window);
  }

  /* Closing the project returns to the welcome view. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL);
  g_assert_null (dbw_window_get_store (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = G_TYPE_CHECK_INSTANCE_TYPE (child, type) ? child : find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
window_mapped_with_store (gpointer data)
{
  return dbw_window_get_store (DBW_WINDOW (data)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* A window opened on a file appears with the project and builds nothing it does not show:
 * no welcome view, no document viewer for a sheet of rows. */
/* Tab leaves the sidebar for the stage on show, and Shift+Tab for the sidebar's header:
 * GtkListBox would take it for the next row, and select it, going from stage to stage. */
static void
test_sidebar_tab (void)
{
  DbwWindow *window = open_window_on_demo ();
  GtkListBox *sidebar = dbw_window_get_sidebar (window);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (sidebar));
  GtkEventController *keys = NULL;
  GtkWidget *focus;
  gboolean handled = FALSE;

  g_assert_true (dbw_window_show_page (window, "data"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        keys = controller;
    }
  g_assert_nonnull (keys);

  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (sidebar)));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Tab, 0, 0, &handled);
  g_assert_true (handled);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (dbw_window_get_page (window, "data"))));
  g_assert_cmpstr (dbw_window_get_visible_page_name (window), ==, "data");

  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (sidebar)));
  handled = FALSE;
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_ISO_Left_Tab, 0, GDK_SHIFT_MASK, &handled);
  g_assert_true (handled);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_false (gtk_widget_is_ancestor (focus, GTK_WIDGET (sidebar)));
  g_assert_cmpstr (dbw_window_get_visible_page_name (window), ==, "data");

  /* Arrows still go from stage to stage. */
  handled = TRUE;
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
  g_assert_false (handled);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Right after choosing a page in the sidebar the focus is still there; the page's
 * shortcuts work all the same. */
static void
test_page_shortcuts_from_sidebar (void)
{
  DbwWindow *window = open_window_on_demo ();
  GtkListBox *sidebar = dbw_window_get_sidebar (window);
  GtkWidget *data_page;
  GtkWidget *focus;

  g_assert_true (ui_test_keys_available ());
  g_assert_true (dbw_window_show_page (window, "data"));
  data_page = GTK_WIDGET (dbw_window_get_page (window, "data"));
  ui_test_keys_focus (GTK_WINDOW (window));
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (sidebar)));

  ui_test_keys_press (GTK_WINDOW (window), GDK_KEY_f, GDK_CONTROL_MASK);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, data_page));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_opened_on_file (void)
{
  DbwWindow *window = dbw_window_new (NULL);
  GtkWidget *welcome;

  dbw_window_open_file (window, demo_file, DBW_STORE_OPEN_DEFAULT);
  dbw_window_present_when_open (window, 60 * 1000);
  ui_test_spin_until (window_mapped_with_store, window);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpstr (dbw_window_get_visible_page_name (window), ==, "data");
  g_assert_null (find_descendant (GTK_WIDGET (window), DBW_TYPE_WELCOME_VIEW));
  g_assert_null (find_descendant (GTK_WIDGET (window), DBW_TYPE_PDF_VIEW));

  /* Closing the project shows the welcome view, made now. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL);
  g_assert_null (dbw_window_get_store (window));
  welcome = find_descendant (GTK_WIDGET (window), DBW_TYPE_WELCOME_VIEW);
  g_assert_nonnull (welcome);
  g_assert_true (gtk_widget_get_mapped (welcome));
  g_assert_true (gtk_widget_is_sensitive (welcome));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_open_error (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "readings.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  DbwWindow *window = dbw_window_new (NULL);
  gint64 deadline;

  g_assert_true (g_file_set_contents (path, "id,value\n1,2\n", -1, NULL));
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, file, DBW_STORE_OPEN_DEFAULT);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (dbw_window_is_busy (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (dbw_window_is_busy (window));
  g_assert_null (dbw_window_get_store (window));

  /* An error dialog explains it. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (toplevel))
          {
            const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel));

            g_assert_nonnull (strstr (body, "readings.dbw"));
            g_assert_nonnull (strstr (body, "not a Databits project"));
            found = TRUE;
            gtk_window_destroy (toplevel);
          }
      }
    g_assert_true (found);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_entry_row (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_preferences (void)
{
  DbwPreferencesWindow *prefs = dbw_preferences_window_new (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *row;

  gtk_window_present (GTK_WINDOW (prefs));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (prefs)));

  /* Settings are bound both ways. */
  row = find_entry_row (GTK_WIDGET (prefs), "Labeler Name");
  g_assert_nonnull (row);
  g_settings_set_string (settings, "labeler-name", "J. Doe, RSO");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "J. Doe, RSO");
  gtk_editable_set_text (GTK_EDITABLE (row), "M. Okafor");
  {
    g_autofree char *name = g_settings_get_string (settings, "labeler-name");
    g_assert_cmpstr (name, ==, "M. Okafor");
  }

  row = find_entry_row (GTK_WIDGET (prefs), "Workspace Host");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "adb-1234.azuredatabricks.net");
  {
    g_autofree char *host = g_settings_get_string (settings, "databricks-host");
    g_assert_cmpstr (host, ==, "adb-1234.azuredatabricks.net");
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_window_size_remembered (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DbwWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);

  window = dbw_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  gtk_window_set_default_size (GTK_WINDOW (window), 1111, 777);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_window_close (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1111);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 777);
}

static GtkShortcutsWindow *
find_shortcuts_window (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window) && gtk_window_get_transient_for (window) == parent)
        return GTK_SHORTCUTS_WINDOW (window);
    }

  return NULL;
}

/* A shortcut of one of our widgets never takes an application's shortcut: which one won
 * would depend on where the focus is. */
static void
collect_widget_triggers (GtkWidget *widget,
                         GPtrArray *triggers,
                         GPtrArray *owners)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Dbw"))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;

          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              g_ptr_array_add (triggers, g_object_ref (gtk_shortcut_get_trigger (shortcut)));
              g_ptr_array_add (owners, (gpointer) G_OBJECT_TYPE_NAME (widget));
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_widget_triggers (child, triggers, owners);
}

static void
test_no_shortcut_clashes (void)
{
  const char *pages[] = { "data", "generate", "label", "train", "deploy", "monitor", "improve",
                          "templates", "example-store", "dspy", "canonical" };
  g_autoptr(DbwApplication) app = dbw_application_new ();
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) owners = g_ptr_array_new ();
  g_auto(GStrv) actions = NULL;
  DbwWindow *window;
  guint n_accels = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = dbw_window_new (ADW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, demo_file, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (window_has_store, window);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    collect_widget_triggers (GTK_WIDGET (dbw_window_get_page (window, pages[i])), triggers, owners);
  g_assert_cmpuint (triggers->len, >, 20);

  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          g_autoptr(GtkShortcutTrigger) accel = gtk_shortcut_trigger_parse_string (accels[j]);

          g_assert_nonnull (accel);
          n_accels++;
          for (guint k = 0; k < triggers->len; k++)
            if (gtk_shortcut_trigger_equal (accel, g_ptr_array_index (triggers, k)))
              g_error ("%s binds %s, the shortcut of %s", (const char *) g_ptr_array_index (owners, k), accels[j], actions[i]);
        }
    }
  g_assert_cmpuint (n_accels, >=, 8);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The shortcuts window is built the first time it is asked for, once per window. */
static void
test_shortcuts (void)
{
  DbwWindow *window = dbw_window_new (NULL);
  GtkWindow *parent = GTK_WINDOW (window);
  GtkShortcutsWindow *shortcuts;

  gtk_window_present (parent);
  g_assert_null (find_shortcuts_window (parent));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-shortcuts", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  shortcuts = find_shortcuts_window (parent);
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (shortcuts)));

  /* Asked again, the same one comes up. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-shortcuts", NULL));
  g_assert_true (find_shortcuts_window (parent) == shortcuts);

  /* It goes with its window. */
  gtk_window_destroy (parent);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_shortcuts_window (parent));
}

static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

typedef struct
{
  DbwWindow *window;
  DbwStore  *old;
} StoreWait;

static gboolean
store_replaced (gpointer data)
{
  StoreWait *wait = data;
  DbwStore *store = dbw_window_get_store (wait->window);

  return store != NULL && store != wait->old;
}

/* A project that cannot be written opens with a banner that says so and offers a copy;
 * what would change it is off; the copy then takes its place and can be changed. */
static void
test_window_read_only (void)
{
  g_autofree char *path = g_file_get_path (demo_file);
  g_autofree char *checksum = NULL;
  g_autofree char *copy_path = g_build_filename (tmp_dir, "my copy.dbw", NULL);
  g_autoptr(GFile) copy_file = g_file_new_for_path (copy_path);
  g_autoptr(GtkWidget) banner = NULL;
  DbwWindow *window = dbw_window_new (NULL);
  StoreWait wait = { window, NULL };
  DbwPage *data_page, *templates_page, *generate_page;
  DbwTemplateEditor *editor;

  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, demo_file, DBW_STORE_OPEN_READ_ONLY);
  ui_test_spin_until (window_has_store, window);
  wait.old = dbw_window_get_store (window);
  g_assert_true (dbw_store_is_read_only (wait.old));
  checksum = file_checksum (path);

  banner = g_object_ref (gtk_widget_get_parent (find_with_class (GTK_WIDGET (window), "read-only-banner")));
  g_assert_true (GTK_IS_REVEALER (banner));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (ui_test_action_usable (banner, "win.save-copy"));

  data_page = dbw_window_get_page (window, "data");
  g_assert_true (dbw_window_show_page (window, "data"));
  g_assert_false (ui_test_action_usable (GTK_WIDGET (data_page), "data.import-files"));
  g_assert_false (ui_test_action_usable (GTK_WIDGET (data_page), "data.new-sheet"));
  templates_page = dbw_window_get_page (window, "templates");
  g_assert_false (ui_test_action_usable (GTK_WIDGET (templates_page), "templates.new"));
  /* Its editor shows a template and takes no typing. */
  editor = dbw_templates_page_get_editor (DBW_TEMPLATES_PAGE (templates_page));
  g_assert_false (dbw_template_editor_get_editable (editor));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (dbw_template_editor_get_field_widget (editor, "name"))));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (dbw_template_editor_get_field_widget (editor, "user_prompt_template"))));
  g_assert_false (gtk_widget_get_sensitive (dbw_template_editor_get_field_widget (editor, "temperature")));
  generate_page = dbw_window_get_page (window, "generate");
  g_assert_false (ui_test_action_usable (GTK_WIDGET (generate_page), "generate.new"));

  dbw_window_save_copy (window, copy_file);
  ui_test_spin_until (store_replaced, &wait);

  g_assert_cmpstr (dbw_store_get_path (dbw_window_get_store (window)), ==, copy_path);
  g_assert_false (dbw_store_is_read_only (dbw_window_get_store (window)));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (ui_test_action_usable (GTK_WIDGET (data_page), "data.import-files"));
  g_assert_true (ui_test_action_usable (GTK_WIDGET (data_page), "data.new-sheet"));
  g_assert_true (ui_test_action_usable (GTK_WIDGET (templates_page), "templates.new"));
  g_assert_true (dbw_template_editor_get_editable (editor));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (dbw_template_editor_get_field_widget (editor, "name"))));
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (dbw_template_editor_get_field_widget (editor, "user_prompt_template"))));
  g_assert_true (gtk_widget_get_sensitive (dbw_template_editor_get_field_widget (editor, "temperature")));
  g_assert_true (ui_test_action_usable (GTK_WIDGET (generate_page), "generate.new"));

  {
    g_autofree char *after = file_checksum (path);

    g_assert_cmpstr (after, ==, checksum);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
has_one_sheet (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 1;
}

/* Another program changed the open project: the `databits` command tells the app so (see
 * /cli/tells-app), through its action project-changed, and the window shows the change. */
static void
test_project_changed_elsewhere (void)
{
  g_autoptr(DbwApplication) app = dbw_application_new ();
  g_autofree char *path = g_build_filename (tmp_dir, "changed-elsewhere.dbw", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(DbwStore) other = NULL;
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  DbwWindow *window;
  GListModel *sheets;

  other = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  /* Under an id of its own: an app of an earlier test may still hold the app's objects
   * on the bus. */
  g_application_set_application_id (G_APPLICATION (app), APP_ID ".ChangedElsewhere");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = dbw_window_new (ADW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, file, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (window_has_store, window);
  g_assert_true (dbw_window_show_page (window, "data"));
  sheets = dbw_data_page_get_sheets (DBW_DATA_PAGE (dbw_window_get_page (window, "data")));
  ui_test_spin_idle ();
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 0);

  dbw_sheet_set_name (sheet, "Imported from a terminal");
  g_assert_true (dbw_store_insert (other, sheet, &error));
  g_assert_no_error (error);
  ui_test_spin_idle ();
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 0);

  /* Told about another project: nothing to do. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "project-changed", g_variant_new_string ("file:///nowhere.dbw"));
  ui_test_spin_idle ();
  g_assert_cmpuint (g_list_model_get_n_items (sheets), ==, 0);

  g_action_group_activate_action (G_ACTION_GROUP (app), "project-changed", g_variant_new_string (uri));
  ui_test_spin_until (has_one_sheet, sheets);
  {
    g_autoptr(DbwSheet) shown = g_list_model_get_item (sheets, 0);

    g_assert_cmpstr (dbw_sheet_get_name (shown), ==, "Imported from a terminal");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  dbw_store_close (other);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("dbw-ui-XXXXXX", &error);
  g_assert_no_error (error);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  demo_file = create_demo ();

  g_test_add_func ("/window/demo-project", test_window_demo);
  g_test_add_func ("/window/opened-on-file", test_window_opened_on_file);
  g_test_add_func ("/window/sidebar-tab", test_sidebar_tab);
  g_test_add_func ("/window/page-shortcuts-from-sidebar", test_page_shortcuts_from_sidebar);
  g_test_add_func ("/window/open-error", test_window_open_error);
  g_test_add_func ("/window/preferences", test_preferences);
  g_test_add_func ("/window/shortcuts", test_shortcuts);
  g_test_add_func ("/window/no-shortcut-clashes", test_no_shortcut_clashes);
  g_test_add_func ("/window/project-changed-elsewhere", test_project_changed_elsewhere);
  g_test_add_func ("/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/window/read-only", test_window_read_only);

  ret = g_test_run ();

  {
    g_autofree char *path = g_file_get_path (demo_file);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autofree char *other = g_build_filename (tmp_dir, "readings.dbw", NULL);
    g_autofree char *copy = g_build_filename (tmp_dir, "my copy.dbw", NULL);
    g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
    g_autofree char *copy_shm = g_strconcat (copy, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (other);
    g_unlink (copy);
    g_unlink (copy_wal);
    g_unlink (copy_shm);
    g_rmdir (tmp_dir);
  }
  g_clear_object (&demo_file);
  g_free (tmp_dir);

  return ret;
}
