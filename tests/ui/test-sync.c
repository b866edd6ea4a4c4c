/* test-sync.c — the header bar's sync indicator against the fake workspace, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dbw-demo.h"
#include "dbw-link-dialog.h"
#include "dbw-sheet.h"
#include "dbw-sync-indicator.h"
#include "dbw-window.h"
#include "fake-databricks.h"
#include "../core/test-query.h"
#include "ui-test-util.h"

#define TOKEN     "dapi-test-secret-0123456789abcdef"
#define WAREHOUSE "abc123"

static char *tmp_dir;

static void
spin_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

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

static gboolean
window_has_store (gpointer data)
{
  return dbw_window_get_store (DBW_WINDOW (data)) != NULL;
}

static gboolean
window_has_service (gpointer data)
{
  return dbw_window_get_sync_service (DBW_WINDOW (data)) != NULL;
}

static DbwWindow *
open_window_on_new_demo (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) created = NULL;
  DbwWindow *window;

  dbw_demo_create_async (file, g_getenv ("DBW_DEMO_SOURCES"), NULL, demo_created_cb, &created);
  ui_test_spin_until (file_ready, &created);

  window = dbw_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, created, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (window_has_store, window);

  return window;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static DbwSyncIndicator *
find_indicator (DbwWindow *window)
{
  GtkWidget *indicator = find_widget (GTK_WIDGET (window), DBW_TYPE_SYNC_INDICATOR, NULL);

  g_assert_nonnull (indicator);
  return DBW_SYNC_INDICATOR (indicator);
}

/* The visible button of the popover with this label. */
static GtkWidget *
find_button (DbwSyncIndicator *indicator,
             const char       *label)
{
  GtkWidget *button = find_widget (GTK_WIDGET (indicator), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  return button;
}

/* As a click does, without waiting for the popover to show. */
static void
click (GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
}

static GtkWindow *
find_dialog (GType       type,
             const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          (heading == NULL || g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)), heading) == 0))
        return toplevel;
    }

  g_assert_not_reached ();
}

/* What a screen reader reads for the header bar button. */
static void
assert_accessible_state (DbwSyncIndicator *indicator,
                         const char       *summary)
{
  g_autofree char *label = g_strdup_printf ("Sync status: %s", summary);
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (indicator));

  g_assert_cmpstr (dbw_sync_indicator_get_summary (indicator), ==, summary);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       dbw_sync_indicator_get_details (indicator));
}

typedef struct
{
  DbwWindow    *window;
  DbwSyncState  state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;
  DbwSyncService *service = dbw_window_get_sync_service (wait->window);

  return service != NULL && dbw_sync_service_get_state (service) == wait->state;
}

static void
wait_for_state (DbwWindow    *window,
                DbwSyncState  state)
{
  StateWait wait = { window, state };

  ui_test_spin_until (has_state, &wait);
}

static gint64
local_count (DbwWindow  *window,
             const char *sql)
{
  return test_query_int (dbw_store_get_path (dbw_window_get_store (window)), sql);
}

static void
set_workspace (FakeDatabricks *fake)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "databricks-host", fake != NULL ? fake_databricks_get_url (fake) : "");
  g_settings_set_string (settings, "sql-warehouse-id", fake != NULL ? WAREHOUSE : "");
  g_settings_set_string (settings, "catalog-schema", "main.plant");
}

static void
test_sync_indicator (void)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  DbwSyncIndicator *indicator;
  DbwSyncService *service;
  DbwLinkDialog *dialog;
  DbwWindow *window;
  GtkWidget *retry;
  gint64 n_items;
  guint n_statements;

  fake_databricks_set_token (fake, TOKEN);
  fake_databricks_set_warehouse (fake, WAREHOUSE, "Lab warehouse", "RUNNING");
  set_workspace (fake);

  window = open_window_on_new_demo ("linked.dbw");
  ui_test_spin_until (window_has_service, window);
  indicator = find_indicator (window);
  service = dbw_window_get_sync_service (window);
  g_object_add_weak_pointer (G_OBJECT (service), (gpointer *) &service);

  /* Not linked yet: a quiet entry that offers to link. */
  g_assert_cmpint (dbw_sync_service_get_state (service), ==, DBW_SYNC_STATE_UNLINKED);
  assert_accessible_state (indicator, "Not Synced");
  find_button (indicator, "_Link to Workspace…");

  /* Linking asks for plain identifiers, starting from the preferred schema. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.link-workspace", NULL);
  dialog = DBW_LINK_DIALOG (find_dialog (DBW_TYPE_LINK_DIALOG, NULL));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "link"));
  dbw_link_dialog_set_target (dialog, "main.bad-name");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "link"));
  g_assert_null (dbw_link_dialog_dup_target (dialog));
  dbw_link_dialog_set_target (dialog, "main.");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "link"));
  dbw_link_dialog_set_target (dialog, "main.plant");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "link"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "link");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Linking, in a worker, starts the first sync by itself. */
  wait_for_state (window, DBW_SYNC_STATE_SYNCED);
  assert_accessible_state (indicator, "Synced");
  g_assert_nonnull (strstr (dbw_sync_indicator_get_details (indicator), "Last synced today at"));
  n_items = local_count (window, "SELECT count (*) FROM items");
  g_assert_cmpint (n_items, >, 0);
  g_assert_cmpint (fake_databricks_query_int (fake, "SELECT count (*) FROM `main`.`plant`.`items`"), ==, n_items);

  /* Sync Now syncs again. */
  n_statements = fake_databricks_count_requests (fake, "POST", "/api/2.0/sql/statements");
  click (find_button (indicator, "_Sync Now"));
  wait_for_state (window, DBW_SYNC_STATE_SYNCING);
  assert_accessible_state (indicator, "Syncing…");
  wait_for_state (window, DBW_SYNC_STATE_SYNCED);
  g_assert_cmpuint (fake_databricks_count_requests (fake, "POST", "/api/2.0/sql/statements"), >, n_statements);

  /* The workspace out of reach: offline, with a retry that works once it is back. */
  fake_databricks_add_fault (fake, NULL, FAKE_FAULT_DROP, FAKE_FAULT_FOREVER, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for_state (window, DBW_SYNC_STATE_OFFLINE);
  assert_accessible_state (indicator, "Offline");
  g_assert_nonnull (strstr (dbw_sync_indicator_get_details (indicator), dbw_sync_service_get_message (service)));
  retry = find_button (indicator, "_Retry");
  fake_databricks_clear_faults (fake);
  click (retry);
  wait_for_state (window, DBW_SYNC_STATE_SYNCED);
  assert_accessible_state (indicator, "Synced");

  /* A refused token: an error, with the workspace's reason in full. */
  fake_databricks_set_token (fake, "another-token");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_for_state (window, DBW_SYNC_STATE_ERROR);
  assert_accessible_state (indicator, "Sync Error");
  g_assert_nonnull (strstr (dbw_sync_indicator_get_details (indicator), "did not accept the credentials"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gtk_widget_get_first_child (GTK_WIDGET (indicator))),
                            "did not accept the credentials"));
  fake_databricks_set_token (fake, TOKEN);
  click (find_button (indicator, "_Retry"));
  wait_for_state (window, DBW_SYNC_STATE_SYNCED);

  /* A local change waits, counted, and goes with the next sync by itself. */
  {
    g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *pending = NULL;

    dbw_sheet_set_name (sheet, "Hot lab survey");
    g_assert_true (dbw_store_insert (dbw_window_get_store (window), DBW_RECORD (sheet), &error));
    g_assert_no_error (error);
    g_assert_cmpint (dbw_sync_service_get_state (service), ==, DBW_SYNC_STATE_PENDING);
    g_assert_cmpint (dbw_sync_service_get_n_pending (service), <, 1000);
    pending = g_strdup_printf ("%" G_GINT64_FORMAT " Pending", dbw_sync_service_get_n_pending (service));
    assert_accessible_state (indicator, pending);
    wait_for_state (window, DBW_SYNC_STATE_SYNCED);
    g_assert_cmpint (fake_databricks_query_int (fake, "SELECT count (*) FROM `main`.`plant`.`sheets` WHERE name = 'Hot lab survey'"),
                     ==, 1);
  }

  /* Unlinking asks first, then leaves the project unlinked. */
  click (find_button (indicator, "_Unlink…"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog (ADW_TYPE_MESSAGE_DIALOG, "Unlink the Project?")), "unlink");
  gtk_window_destroy (find_dialog (ADW_TYPE_MESSAGE_DIALOG, "Unlink the Project?"));
  wait_for_state (window, DBW_SYNC_STATE_UNLINKED);
  assert_accessible_state (indicator, "Not Synced");

  /* Closing the project lets the service go. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL);
  g_assert_null (dbw_window_get_sync_service (window));
  ui_test_spin_until (ui_test_pointer_cleared, &service);

  gtk_window_destroy (GTK_WINDOW (window));
  spin_idle ();
}

static gboolean
indicator_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

static void
test_not_set_up (void)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DbwSyncIndicator *indicator;
  DbwWindow *window;
  GtkWindow *dialog;

  set_workspace (NULL);
  window = open_window_on_new_demo ("offline.dbw");
  indicator = find_indicator (window);
  spin_idle ();

  /* Databricks not used at all: no indicator, and linking says what to set up. */
  g_assert_null (dbw_window_get_sync_service (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (indicator)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.link-workspace", NULL);
  dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG, "Databricks Is Not Set Up");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Preferences"));
  gtk_window_destroy (dialog);

  /* Half set up: the indicator says what is missing. */
  g_settings_set_string (settings, "databricks-host", fake_databricks_get_url (fake));
  ui_test_spin_until (indicator_visible, indicator);
  g_assert_null (dbw_window_get_sync_service (window));
  assert_accessible_state (indicator, "Not Synced");
  g_assert_nonnull (strstr (dbw_sync_indicator_get_details (indicator), "No SQL warehouse"));
  find_button (indicator, "Open _Preferences");

  /* Once the workspace is set in Preferences, the service comes by itself. */
  fake_databricks_set_token (fake, TOKEN);
  set_workspace (fake);
  ui_test_spin_until (window_has_service, window);
  g_assert_cmpint (dbw_sync_service_get_state (dbw_window_get_sync_service (window)), ==, DBW_SYNC_STATE_UNLINKED);
  find_button (indicator, "_Link to Workspace…");

  gtk_window_destroy (GTK_WINDOW (window));
  spin_idle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("dbw-ui-sync-XXXXXX", &error);
  g_assert_no_error (error);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Signed in from the environment (no keyring here), never with the machine user's files. */
  config = g_build_filename (tmp_dir, "no-databrickscfg", NULL);
  g_setenv ("DATABRICKS_CONFIG_FILE", config, TRUE);
  g_unsetenv ("DATABRICKS_CONFIG_PROFILE");
  g_unsetenv ("DATABRICKS_HOST");
  g_setenv ("DATABRICKS_TOKEN", TOKEN, TRUE);

  g_test_add_func ("/sync-indicator/link-sync-offline-error", test_sync_indicator);
  g_test_add_func ("/sync-indicator/not-set-up", test_not_set_up);

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
