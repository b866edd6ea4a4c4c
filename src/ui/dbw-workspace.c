/* dbw-workspace.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dbw-workspace"

#include "config.h"

#include <libsecret/secret.h>

#include "dbw-databricks-config.h"
#include "dbw-secrets.h"
#include "dbw-workspace.h"

/* The Databricks workspace as Preferences set it up: the host and the SQL warehouse from
 * GSettings, the token from the keyring, and what the Databricks tools would find in the
 * environment and in ~/.databrickscfg when those are not set. One place, so that Test
 * Connection, browsing Unity Catalog and materialising a sheet sign in the same way. */

static const char connect_tag[] = "dbw_workspace_connect_async";

typedef struct
{
  char *host;
  char *warehouse_id;
} Connect;

static void
connect_free (Connect *connect)
{
  g_free (connect->host);
  g_free (connect->warehouse_id);
  g_free (connect);
}

static void
on_token_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(DbwDatabricksConfig) config = NULL;
  GError *error = NULL;
  char *token;

  /* Without a keyring, the environment and the config file may still sign in. */
  token = dbw_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  config = dbw_databricks_config_resolve (NULL, connect->host, token, &error);
  if (token != NULL)
    secret_password_free (token);

  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, dbw_databricks_new (config, NULL), g_object_unref);
}

/**
 * dbw_workspace_connect_async:
 * @host: (nullable): the workspace address to use; %NULL for the one in Preferences
 *
 * Finds the workspace and how to sign in to it. Nothing is sent to the workspace yet.
 */
void
dbw_workspace_connect_async (const char          *host,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Connect *connect = g_new0 (Connect, 1);

  g_task_set_source_tag (task, (gpointer) connect_tag);
  connect->host = host != NULL ? g_strdup (host) : g_settings_get_string (settings, "databricks-host");
  connect->warehouse_id = g_settings_get_string (settings, "sql-warehouse-id");
  g_strstrip (connect->warehouse_id);
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);

  dbw_secret_lookup_async (DBW_SECRET_DATABRICKS_TOKEN, connect->host, cancellable,
                           on_token_cb, g_steal_pointer (&task));
}

/**
 * dbw_workspace_connect_finish:
 * @warehouse_id: (out) (optional) (transfer full): the SQL warehouse from Preferences,
 *   "" when none is set
 *
 * Returns: (transfer full): a client for the workspace, or %NULL with @error saying what
 *   is missing (a %DBW_DATABRICKS_CONFIG_ERROR)
 */
DbwDatabricks *
dbw_workspace_connect_finish (GAsyncResult  *result,
                              char         **warehouse_id,
                              GError       **error)
{
  DbwDatabricks *client;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == connect_tag, NULL);

  client = g_task_propagate_pointer (G_TASK (result), error);
  if (warehouse_id != NULL)
    *warehouse_id = client != NULL ? g_strdup (((Connect *) g_task_get_task_data (G_TASK (result)))->warehouse_id) : NULL;

  return client;
}
