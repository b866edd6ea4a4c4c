/* test-connection.c — Preferences' Test Connection against the fake workspace, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dbw-preferences-window.h"
#include "fake-databricks.h"
#include "ui-test-util.h"

static gboolean
tested (gpointer data)
{
  return dbw_preferences_window_get_connection_status (DBW_PREFERENCES_WINDOW (data)) != NULL;
}

static const char *
run_test (DbwPreferencesWindow *prefs)
{
  dbw_preferences_window_test_connection (prefs);
  g_assert_null (dbw_preferences_window_get_connection_status (prefs));
  ui_test_spin_until (tested, prefs);

  return dbw_preferences_window_get_connection_status (prefs);
}

static void
test_connection (void)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DbwPreferencesWindow *prefs = dbw_preferences_window_new (NULL);
  const char *status;

  fake_databricks_set_token (fake, "dapi-test-token");
  fake_databricks_set_user_name (fake, "m.okafor@example.org");
  fake_databricks_set_warehouse (fake, "abc123", "Lab warehouse", "STOPPED");
  gtk_window_present (GTK_WINDOW (prefs));

  /* The host from Preferences, the token from the environment (no keyring here). */
  g_settings_set_string (settings, "databricks-host", fake_databricks_get_url (fake));
  g_settings_set_string (settings, "sql-warehouse-id", "abc123");
  g_setenv ("DATABRICKS_TOKEN", "dapi-test-token", TRUE);

  status = run_test (prefs);
  g_assert_nonnull (strstr (status, "m.okafor@example.org"));
  g_assert_nonnull (strstr (status, "stopped"));
  g_assert_null (strstr (status, "dapi-test-token"));

  /* A refused token says so. */
  g_setenv ("DATABRICKS_TOKEN", "dapi-wrong", TRUE);
  status = run_test (prefs);
  g_assert_nonnull (strstr (status, "refused"));

  /* No workspace at all says what to set. */
  g_settings_set_string (settings, "databricks-host", "");
  g_unsetenv ("DATABRICKS_HOST");
  status = run_test (prefs);
  g_assert_nonnull (strstr (status, "No Databricks workspace"));

  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* No ~/.databrickscfg of the machine's user. */
  config = g_build_filename (g_get_tmp_dir (), "dbw-test-no-databrickscfg", NULL);
  g_setenv ("DATABRICKS_CONFIG_FILE", config, TRUE);
  g_unsetenv ("DATABRICKS_CONFIG_PROFILE");

  g_test_add_func ("/preferences/test-connection", test_connection);

  return g_test_run ();
}
