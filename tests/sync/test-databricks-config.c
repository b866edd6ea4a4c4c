/* test-databricks-config.c — where the workspace and the sign-in come from
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dbw-databricks-config.h"

static char *tmp_dir;

static const char *env_names[] = {
  "DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET",
  "DATABRICKS_CONFIG_PROFILE", "DATABRICKS_CONFIG_FILE",
};

/* A config file as `databricks configure` writes it, with its ";" comment. */
static const char config_text[] =
  "; The profile defined in the DEFAULT section is to be used as a fallback when no profile is explicitly specified.\n"
  "[DEFAULT]\n"
  "host  = https://adb-1111.11.azuredatabricks.net/\n"
  "token = dapi-default-secret\n"
  "\n"
  "# a service principal\n"
  "[robot]\n"
  "host          = adb-2222.22.azuredatabricks.net\n"
  "client_id     = 7d1c-robot\n"
  "client_secret = robot-secret\n"
  "auth_type     = oauth-m2m\n"
  "\n"
  "[lab]\n"
  "host = https://lab.cloud.databricks.com\n"
  "token = dapi-lab-secret\n";

static void
reset_env (const char *config)
{
  g_autofree char *path = g_build_filename (tmp_dir, "databrickscfg", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (env_names); i++)
    g_unsetenv (env_names[i]);

  if (config != NULL)
    g_assert_true (g_file_set_contents (path, config, -1, NULL));
  else
    g_unlink (path);

  g_setenv ("DATABRICKS_CONFIG_FILE", path, TRUE);
}

static void
test_normalize (void)
{
  struct { const char *in; const char *out; int error; } cases[] = {
    { "adb-1.azuredatabricks.net", "https://adb-1.azuredatabricks.net", -1 },
    { " https://ADB-1.azuredatabricks.net/ ", "https://ADB-1.azuredatabricks.net", -1 },
    { "https://dbc-1.cloud.databricks.com/?o=123#x", "https://dbc-1.cloud.databricks.com", -1 },
    { "http://127.0.0.1:8123", "http://127.0.0.1:8123", -1 },
    { "http://localhost:80/", "http://localhost:80", -1 },
    { "http://adb-1.azuredatabricks.net", NULL, DBW_DATABRICKS_CONFIG_ERROR_INSECURE },
    { "ftp://adb-1.azuredatabricks.net", NULL, DBW_DATABRICKS_CONFIG_ERROR_INSECURE },
    { "https://", NULL, DBW_DATABRICKS_CONFIG_ERROR_BAD_HOST },
    { "", NULL, DBW_DATABRICKS_CONFIG_ERROR_NO_HOST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = dbw_databricks_normalize_host (cases[i].in, &error);

      g_assert_cmpstr (host, ==, cases[i].out);
      if (cases[i].error >= 0)
        g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, cases[i].error);
      else
        g_assert_no_error (error);
    }
}

static void
test_default_profile (void)
{
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  reset_env (config_text);
  config = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_databricks_config_get_host (config), ==, "https://adb-1111.11.azuredatabricks.net");
  g_assert_cmpint (dbw_databricks_config_get_auth (config), ==, DBW_DATABRICKS_AUTH_PAT);
  g_assert_cmpstr (dbw_databricks_config_get_token (config), ==, "dapi-default-secret");
  g_assert_cmpstr (dbw_databricks_config_get_profile (config), ==, "DEFAULT");

  /* Says where things came from, never a secret. */
  description = dbw_databricks_config_describe (config);
  g_assert_nonnull (strstr (description, "DEFAULT"));
  g_assert_null (strstr (description, "secret"));
}

static void
test_named_profiles (void)
{
  g_autoptr(DbwDatabricksConfig) robot = NULL;
  g_autoptr(DbwDatabricksConfig) lab = NULL;
  g_autoptr(DbwDatabricksConfig) missing = NULL;
  g_autoptr(GError) error = NULL;

  reset_env (config_text);

  /* A service principal profile signs in with OAuth. */
  robot = dbw_databricks_config_resolve ("robot", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_databricks_config_get_auth (robot), ==, DBW_DATABRICKS_AUTH_OAUTH_M2M);
  g_assert_cmpstr (dbw_databricks_config_get_host (robot), ==, "https://adb-2222.22.azuredatabricks.net");
  g_assert_cmpstr (dbw_databricks_config_get_client_id (robot), ==, "7d1c-robot");
  g_assert_cmpstr (dbw_databricks_config_get_client_secret (robot), ==, "robot-secret");

  /* DATABRICKS_CONFIG_PROFILE picks a profile as --profile does. */
  g_setenv ("DATABRICKS_CONFIG_PROFILE", "lab", TRUE);
  lab = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_databricks_config_get_host (lab), ==, "https://lab.cloud.databricks.com");
  g_assert_cmpstr (dbw_databricks_config_get_token (lab), ==, "dapi-lab-secret");

  /* A profile asked for must exist; the message names the file. */
  missing = dbw_databricks_config_resolve ("nope", NULL, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_PROFILE);
  g_assert_nonnull (strstr (error->message, "databrickscfg"));
}

static void
test_precedence (void)
{
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(DbwDatabricksConfig) settings = NULL;
  g_autoptr(DbwDatabricksConfig) explicit_profile = NULL;
  g_autoptr(GError) error = NULL;

  reset_env (config_text);

  /* The environment comes before the DEFAULT profile… */
  g_setenv ("DATABRICKS_HOST", "env.cloud.databricks.com", TRUE);
  g_setenv ("DATABRICKS_TOKEN", "dapi-env-secret", TRUE);
  config = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_databricks_config_get_host (config), ==, "https://env.cloud.databricks.com");
  g_assert_cmpstr (dbw_databricks_config_get_token (config), ==, "dapi-env-secret");

  /* …what the user set in the application comes before the environment… */
  settings = dbw_databricks_config_resolve (NULL, "prefs.cloud.databricks.com", "dapi-keyring-secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_databricks_config_get_host (settings), ==, "https://prefs.cloud.databricks.com");
  g_assert_cmpstr (dbw_databricks_config_get_token (settings), ==, "dapi-keyring-secret");

  /* …and a profile asked for by name comes first. */
  explicit_profile = dbw_databricks_config_resolve ("lab", "prefs.cloud.databricks.com", "dapi-keyring-secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_databricks_config_get_host (explicit_profile), ==, "https://lab.cloud.databricks.com");
  g_assert_cmpstr (dbw_databricks_config_get_token (explicit_profile), ==, "dapi-lab-secret");
}

/* A token kept for one workspace is never sent to another: the host set in Preferences
 * does not take the DEFAULT profile's token, nor DATABRICKS_HOST the profile's. */
static void
test_token_stays_with_host (void)
{
  g_autoptr(DbwDatabricksConfig) typed = NULL;
  g_autoptr(DbwDatabricksConfig) env = NULL;
  g_autoptr(DbwDatabricksConfig) same = NULL;
  g_autoptr(GError) error = NULL;

  reset_env (config_text);

  typed = dbw_databricks_config_resolve (NULL, "other.cloud.databricks.com", NULL, &error);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS);
  g_assert_null (typed);
  g_clear_error (&error);

  g_setenv ("DATABRICKS_HOST", "env.cloud.databricks.com", TRUE);
  env = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS);
  g_assert_null (env);
  g_clear_error (&error);

  /* The profile's own workspace, written another way, does take it. */
  g_unsetenv ("DATABRICKS_HOST");
  same = dbw_databricks_config_resolve (NULL, "adb-1111.11.azuredatabricks.net/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_databricks_config_get_token (same), ==, "dapi-default-secret");
}

static void
test_missing (void)
{
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* No file, nothing set. */
  reset_env (NULL);
  config = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_HOST);
  g_clear_error (&error);

  /* A host without a way to sign in. */
  config = dbw_databricks_config_resolve (NULL, "adb-1.azuredatabricks.net", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "https://adb-1.azuredatabricks.net"));
  g_clear_error (&error);

  /* An insecure host from the environment is refused. */
  g_setenv ("DATABRICKS_HOST", "http://adb-1.azuredatabricks.net", TRUE);
  g_setenv ("DATABRICKS_TOKEN", "dapi-x", TRUE);
  config = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_INSECURE);
  g_clear_error (&error);

  /* A broken file says where. */
  reset_env ("host = https://x\n");
  config = dbw_databricks_config_resolve (NULL, NULL, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, "line 1"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("dbw-databricks-config-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/databricks-config/normalize-host", test_normalize);
  g_test_add_func ("/databricks-config/default-profile", test_default_profile);
  g_test_add_func ("/databricks-config/named-profiles", test_named_profiles);
  g_test_add_func ("/databricks-config/precedence", test_precedence);
  g_test_add_func ("/databricks-config/missing", test_missing);
  g_test_add_func ("/databricks-config/token-stays-with-host", test_token_stays_with_host);

  ret = g_test_run ();

  path = g_build_filename (tmp_dir, "databrickscfg", NULL);
  g_unlink (path);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);

  return ret;
}
