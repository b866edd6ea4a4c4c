/* test-secrets.c — tokens go to the keyring and come back, nowhere else
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "dbw-secrets.h"

/* The suite runs in a private D-Bus session (build-aux/test); this test starts its own
 * gnome-keyring daemon there, with its keyrings in a temporary home. */

static char *home;
static GSubprocess *daemon_process;

static gboolean
start_keyring (GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("\n", 1);
  g_autoptr(GBytes) output = NULL;
  g_autofree char *data_dir = g_build_filename (home, ".local", "share", NULL);
  g_autofree char *runtime_dir = g_build_filename (home, "run", NULL);
  g_autoptr(GSubprocess) process = NULL;

  g_mkdir_with_parents (data_dir, 0700);
  g_mkdir_with_parents (runtime_dir, 0700);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  /* No display: the daemon must never pop up a password prompt in a test run. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");

  /* --unlock reads the (empty) password of a new login keyring from stdin; --daemonize
   * returns once the daemon owns its bus name. */
  process = g_subprocess_launcher_spawn (launcher, error,
                                         "gnome-keyring-daemon", "--daemonize", "--unlock",
                                         "--components=secrets", NULL);
  if (process == NULL)
    return FALSE;

  if (!g_subprocess_communicate (process, input, NULL, &output, NULL, error))
    return FALSE;

  daemon_process = g_steal_pointer (&process);
  if (!g_subprocess_get_successful (daemon_process))
    return FALSE;

  /* The daemonized child claims its bus name a moment after the parent exits; until then a
   * request would D-Bus-activate the system's keyring with the real home instead. */
  {
    g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    if (bus == NULL)
      return FALSE;

    while (g_get_monotonic_time () < deadline)
      {
        g_autoptr(GVariant) reply = NULL;
        gboolean has_owner = FALSE;

        reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "NameHasOwner",
                                             g_variant_new ("(s)", "org.freedesktop.secrets"),
                                             G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                             -1, NULL, error);
        if (reply == NULL)
          return FALSE;

        g_variant_get (reply, "(b)", &has_owner);
        if (has_owner)
          return TRUE;

        g_usleep (20 * 1000);
      }
  }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the keyring daemon did not appear on the bus");
  return FALSE;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static void
test_secret_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  Wait store = { NULL }, lookup = { NULL }, other = { NULL }, clear = { NULL }, again = { NULL };
  char *secret;

  dbw_secret_store_async (DBW_SECRET_DATABRICKS_TOKEN, "adb-1234.azuredatabricks.net",
                          "dapi0123456789abcdef", NULL, done_cb, &store);
  g_assert_true (dbw_secret_store_finish (wait_for (&store), &error));
  g_assert_no_error (error);

  dbw_secret_lookup_async (DBW_SECRET_DATABRICKS_TOKEN, "adb-1234.azuredatabricks.net", NULL, done_cb, &lookup);
  secret = dbw_secret_lookup_finish (wait_for (&lookup), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "dapi0123456789abcdef");
  secret_password_free (secret);

  /* Secrets are keyed by kind and account. */
  dbw_secret_lookup_async (DBW_SECRET_LLM_TOKEN, "adb-1234.azuredatabricks.net", NULL, done_cb, &other);
  secret = dbw_secret_lookup_finish (wait_for (&other), &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  dbw_secret_clear_async (DBW_SECRET_DATABRICKS_TOKEN, "adb-1234.azuredatabricks.net", NULL, done_cb, &clear);
  g_assert_true (dbw_secret_clear_finish (wait_for (&clear), &error));

  dbw_secret_lookup_async (DBW_SECRET_DATABRICKS_TOKEN, "adb-1234.azuredatabricks.net", NULL, done_cb, &again);
  secret = dbw_secret_lookup_finish (wait_for (&again), &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_clear_object (&store.result);
  g_clear_object (&lookup.result);
  g_clear_object (&other.result);
  g_clear_object (&clear.result);
  g_clear_object (&again.result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  home = g_dir_make_tmp ("dbw-keyring-XXXXXX", &error);
  g_assert_no_error (error);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_error ("test-secrets needs a D-Bus session; run it through build-aux/test");

  if (!start_keyring (&error))
    g_error ("Could not start gnome-keyring-daemon: %s", error ? error->message : "it failed");

  g_test_add_func ("/secrets/roundtrip", test_secret_roundtrip);

  ret = g_test_run ();

  {
    const char *argv_rm[] = { "rm", "-rf", home, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_clear_object (&daemon_process);
  g_free (home);

  return ret;
}
