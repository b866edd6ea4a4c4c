/* test-uc-sheet-dialog.c — adding a sheet from Unity Catalog and materialising it, against the
 * fake workspace, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-data-page.h"
#include "dbw-item.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-uc-browse-list.h"
#include "dbw-uc-sheet-dialog.h"
#include "dbw-window.h"
#include "fake-databricks.h"
#include "ui-test-util.h"

#define TOKEN     "dapi-ui-test-token"
#define WAREHOUSE "0123456789abcdef"

static char *tmp_dir;

static gboolean
window_has_store (gpointer data)
{
  return dbw_window_get_store (DBW_WINDOW (data)) != NULL;
}

static gboolean
dialog_ready (gpointer data)
{
  return !dbw_uc_sheet_dialog_get_loading (DBW_UC_SHEET_DIALOG (data));
}

static gboolean
not_importing (gpointer data)
{
  return !dbw_data_page_get_importing (DBW_DATA_PAGE (data));
}

static gboolean
items_loaded (gpointer data)
{
  GListModel *items = dbw_data_page_get_items (DBW_DATA_PAGE (data));

  return items == NULL || !dbw_query_model_get_loading (DBW_QUERY_MODEL (items));
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_destroyed_cb (GtkWidget *widget,
                 gpointer   user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* An empty project in a window, on the Data page. */
static DbwWindow *
open_project (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  DbwWindow *window;

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  dbw_store_close (store);

  window = dbw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, file, DBW_STORE_OPEN_DEFAULT);
  ui_test_spin_until (window_has_store, window);
  g_assert_true (dbw_window_show_page (window, "data"));

  return window;
}

static void
use_workspace (FakeDatabricks *fake)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "databricks-host", fake != NULL ? fake_databricks_get_url (fake) : "");
  g_settings_set_string (settings, "sql-warehouse-id", fake != NULL ? WAREHOUSE : "");
  g_unsetenv ("DATABRICKS_HOST");
  if (fake != NULL)
    g_setenv ("DATABRICKS_TOKEN", TOKEN, TRUE);
  else
    g_unsetenv ("DATABRICKS_TOKEN");
}

static void
open_entry (DbwUcSheetDialog *dialog,
            const char       *name,
            const char       *page)
{
  g_assert_true (dbw_uc_sheet_dialog_open (dialog, name));
  g_assert_cmpstr (dbw_uc_sheet_dialog_get_page (dialog), ==, page);
  ui_test_spin_until (dialog_ready, dialog);
}

static void
on_created_cb (DbwUcSheetDialog *dialog,
               const char       *sheet_id,
               char            **out)
{
  *out = g_strdup (sheet_id);
}

static void
close_window (DbwWindow *window)
{
  gboolean destroyed = FALSE;

  g_signal_connect (window, "destroy", G_CALLBACK (on_destroyed_cb), &destroyed);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_until (flag_set, &destroyed);
}

static void
test_not_configured (void)
{
  DbwWindow *window;
  DbwUcSheetDialog *dialog;

  use_workspace (NULL);
  window = open_project ("not-configured.dbw");

  dialog = dbw_data_page_add_uc_sheet (DBW_DATA_PAGE (dbw_window_get_page (window, "data")));
  g_assert_nonnull (dialog);
  ui_test_spin_until (dialog_ready, dialog);
  g_assert_cmpstr (dbw_uc_sheet_dialog_get_page (dialog), ==, "not-configured");

  gtk_window_destroy (GTK_WINDOW (dialog));
  close_window (window);
}

static void
test_browse_create_materialize (void)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sheet_id = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwItem) item = NULL;
  DbwWindow *window;
  DbwDataPage *page;
  DbwUcSheetDialog *dialog;
  DbwUcBrowseList *list;
  GListModel *items;
  gboolean closed = FALSE;

  fake_databricks_set_token (fake, TOKEN);
  /* Retry-After: 0 keeps the retries quick. */
  fake_databricks_add_fault (fake, "/api/2.1/unity-catalog/catalogs", FAKE_FAULT_UNAVAILABLE, FAKE_FAULT_FOREVER, 0);
  use_workspace (fake);
  window = open_project ("browse.dbw");
  page = DBW_DATA_PAGE (dbw_window_get_page (window, "data"));

  dialog = dbw_data_page_add_uc_sheet (page);
  g_signal_connect (dialog, "sheet-created", G_CALLBACK (on_created_cb), &sheet_id);
  g_signal_connect (dialog, "destroy", G_CALLBACK (on_destroyed_cb), &closed);
  ui_test_spin_until (dialog_ready, dialog);

  /* The workspace fails: the list says so, and Retry asks again. */
  g_assert_cmpstr (dbw_uc_sheet_dialog_get_page (dialog), ==, "catalogs");
  list = dbw_uc_sheet_dialog_get_list (dialog);
  g_assert_cmpstr (dbw_uc_browse_list_get_state (list), ==, "error");
  fake_databricks_clear_faults (fake);
  gtk_widget_activate_action (GTK_WIDGET (list), "browse.retry", NULL);
  ui_test_spin_until (dialog_ready, dialog);
  g_assert_cmpstr (dbw_uc_browse_list_get_state (list), ==, "list");
  g_assert_cmpuint (dbw_uc_browse_list_get_n_shown (list), ==, 5);

  /* Search as you type. */
  dbw_uc_browse_list_set_search (list, "SAM");
  g_assert_cmpuint (dbw_uc_browse_list_get_n_shown (list), ==, 1);
  dbw_uc_browse_list_set_search (list, "nothing like it");
  g_assert_cmpstr (dbw_uc_browse_list_get_state (list), ==, "no-match");
  dbw_uc_browse_list_set_search (list, "");

  /* A catalog this account may not use says why. */
  open_entry (dialog, "restricted", "schemas");
  g_assert_cmpstr (dbw_uc_browse_list_get_state (dbw_uc_sheet_dialog_get_list (dialog)), ==, "error");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "uc.back", NULL);
  g_assert_cmpstr (dbw_uc_sheet_dialog_get_page (dialog), ==, "catalogs");

  /* Down to a table: its first rows. */
  open_entry (dialog, "main", "schemas");
  open_entry (dialog, "sales", "objects");
  g_assert_cmpuint (dbw_uc_browse_list_get_n_shown (dbw_uc_sheet_dialog_get_list (dialog)), ==, 6);
  open_entry (dialog, "orders", "table");
  g_assert_cmpuint (dbw_uc_sheet_dialog_get_n_preview_rows (dialog), ==, 12);

  /* The form: id is the key; returns joined on order_id; all rows. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "uc.next", NULL);
  g_assert_cmpstr (dbw_uc_sheet_dialog_get_page (dialog), ==, "form");
  g_assert_true (dbw_uc_sheet_dialog_add_source (dialog, "returns", "order_id"));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), DBW_TYPE_UC_SHEET_DIALOG, "name_row")),
                         "Orders and returns");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (dialog), DBW_TYPE_UC_SHEET_DIALOG, "sample_spin")), 0);

  /* A filter that is more than one condition is refused in place. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), DBW_TYPE_UC_SHEET_DIALOG, "filter_row")),
                         "1 = 1; DROP TABLE x");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "uc.create", NULL);
  g_assert_null (sheet_id);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), DBW_TYPE_UC_SHEET_DIALOG, "form_error"))));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), DBW_TYPE_UC_SHEET_DIALOG, "filter_row")), "");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "uc.create", NULL);
  g_assert_nonnull (sheet_id);
  ui_test_spin_until (flag_set, &closed);

  /* The new sheet is selected; it points at the table. */
  sheet = dbw_store_get (dbw_window_get_store (window), DBW_TYPE_SHEET, sheet_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_sheet_get_source_kind (sheet), ==, DBW_SOURCE_KIND_UNITY_CATALOG);
  g_assert_cmpstr (dbw_sheet_get_name (sheet), ==, "Orders and returns");
  g_assert_cmpstr (dbw_sheet_get_primary_table (sheet), ==, "main.sales.orders");
  g_assert_cmpstr (dbw_sheet_get_join_keys (sheet)[0], ==, "id");
  g_assert_cmpstr (dbw_sheet_get_secondary_sources (sheet), ==,
                   "[{\"type\":\"table\",\"name\":\"main.sales.returns\",\"join_keys\":[\"order_id\"]}]");
  g_assert_cmpint (dbw_sheet_get_sample_size (sheet), ==, -1);
  ui_test_spin_until (items_loaded, page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, 0);

  /* Materialised, its rows are items like any other. */
  gtk_widget_activate_action (GTK_WIDGET (page), "data.materialize", NULL);
  g_assert_true (dbw_data_page_get_importing (page));
  ui_test_spin_until (not_importing, page);
  ui_test_spin_until (items_loaded, page);
  items = dbw_data_page_get_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 12);
  item = g_list_model_get_item (items, 0);
  g_assert_nonnull (strstr (dbw_item_get_fields (item), "\"reason\""));

  /* Again: the same items, no duplicate. */
  gtk_widget_activate_action (GTK_WIDGET (page), "data.materialize", NULL);
  ui_test_spin_until (not_importing, page);
  ui_test_spin_until (items_loaded, page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, 12);

  /* Cancelled while the warehouse works: nothing changes. */
  fake_databricks_set_slow_polls (fake, 100000);
  gtk_widget_activate_action (GTK_WIDGET (page), "data.materialize", NULL);
  gtk_widget_activate_action (GTK_WIDGET (page), "data.cancel-import", NULL);
  ui_test_spin_until (not_importing, page);
  ui_test_spin_until (items_loaded, page);
  g_assert_cmpuint (g_list_model_get_n_items (dbw_data_page_get_items (page)), ==, 12);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* No ~/.databrickscfg of the machine's user, and never a proxy to the fake. */
  config = g_build_filename (g_get_tmp_dir (), "dbw-test-no-databrickscfg", NULL);
  g_setenv ("DATABRICKS_CONFIG_FILE", config, TRUE);
  g_unsetenv ("DATABRICKS_CONFIG_PROFILE");
  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);

  tmp_dir = g_dir_make_tmp ("dbw-ui-uc-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/uc-sheet/not-configured", test_not_configured);
  g_test_add_func ("/uc-sheet/browse-create-materialize", test_browse_create_materialize);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }

  return status;
}
