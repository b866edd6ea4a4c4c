/* test-databricks-fixture.h — a DbwDatabricks signed in to a fresh fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dbw-databricks.h"
#include "fake-databricks.h"
#include "test-log-capture.h"

#define TOKEN         "dapi-test-secret-0123456789abcdef"
#define CLIENT_ID     "7d1c0f6e-robot"
#define CLIENT_SECRET "dose-client-secret-fedcba9876543210"
#define WAREHOUSE     "0123456789abcdef"

typedef struct
{
  FakeDatabricks *fake;
  DbwHttp *http;
  DbwDatabricks *client;
} Fixture;

static inline void
clear_env (void)
{
  static const char *names[] = {
    "DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET",
    "DATABRICKS_CONFIG_PROFILE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
  g_setenv ("DATABRICKS_CONFIG_FILE", "/nonexistent/databrickscfg", TRUE);
}

static inline DbwDatabricks *
make_client (Fixture    *fixture,
             const char *host,
             gboolean    oauth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwDatabricksConfig) config = NULL;
  DbwDatabricks *client;

  clear_env ();
  if (oauth)
    {
      g_setenv ("DATABRICKS_CLIENT_ID", CLIENT_ID, TRUE);
      g_setenv ("DATABRICKS_CLIENT_SECRET", CLIENT_SECRET, TRUE);
    }
  config = dbw_databricks_config_resolve (NULL, host, oauth ? NULL : TOKEN, &error);
  g_assert_no_error (error);
  clear_env ();

  client = dbw_databricks_new (config, fixture->http);
  dbw_databricks_set_poll_interval (client, 20);

  return client;
}

static inline void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  gboolean oauth = GPOINTER_TO_INT (data);

  fixture->fake = fake_databricks_new ();
  fixture->http = dbw_http_new ();
  dbw_http_set_retry_base_delay (fixture->http, 20);
  dbw_http_set_retry_max_delay (fixture->http, 200);
  dbw_http_set_max_attempts (fixture->http, 3);
  dbw_http_set_max_retry_wait (fixture->http, 2000);
  dbw_http_set_connect_timeout (fixture->http, 2000);
  dbw_http_set_timeout (fixture->http, 10000);

  if (oauth)
    fake_databricks_set_oauth_client (fixture->fake, CLIENT_ID, CLIENT_SECRET, 3600);
  else
    fake_databricks_set_token (fixture->fake, TOKEN);

  fixture->client = make_client (fixture, fake_databricks_get_url (fixture->fake), oauth);

  test_log_capture_reset ();
}

static inline void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  DbwDatabricks *client = fixture->client;

  /* Worker threads drop their task references just after returning; wait for that, then
   * check nothing else keeps the client alive. */
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (fixture->client);
  while (client != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (client);

  g_object_unref (fixture->http);
  fake_databricks_free (fixture->fake);
}

static inline void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static inline GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static inline FakeRequest *
last_request (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = fake_databricks_get_requests (fixture->fake);

  g_assert_cmpuint (requests->len, >, 0);
  return g_ptr_array_index (requests, requests->len - 1);
}

static inline void
assert_not_logged (const char *secret)
{
  /* The capture works: the exchanges were logged... */
  g_assert_true (test_log_capture_contains ("http://127.0.0.1"));
  /* ...but not the secret. */
  g_assert_false (test_log_capture_contains (secret));
}

static inline gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}
