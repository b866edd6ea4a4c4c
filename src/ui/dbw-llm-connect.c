/* dbw-llm-connect.c
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

#define G_LOG_DOMAIN "dbw-llm-connect"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-llm-connect.h"

/* The language model service as Preferences set it up: the endpoint and model from
 * GSettings; the token (if the service wants one) comes from DBW_LLM_TOKEN or the keyring,
 * filed under the endpoint's address. One place, so that template testing and generation
 * sign in alike. */

static const char connect_tag[] = "dbw_llm_connect_async";

G_DEFINE_QUARK (dbw-llm-connect-error-quark, dbw_llm_connect_error)

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  DbwLlmClient *client = dbw_llm_client_new_for_url_finish (result, &error);

  if (client == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * dbw_llm_connect_async:
 *
 * Finds the language model endpoint in Preferences and its token in the keyring.
 * Nothing is sent to the service yet.
 */
void
dbw_llm_connect_async (GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *url = g_strstrip (g_settings_get_string (settings, "llm-endpoint-url"));

  g_task_set_source_tag (task, (gpointer) connect_tag);
  g_task_set_task_data (task, g_strstrip (g_settings_get_string (settings, "llm-model")), g_free);

  if (url[0] == '\0')
    {
      g_task_return_new_error (task, DBW_LLM_CONNECT_ERROR, DBW_LLM_CONNECT_ERROR_NO_ENDPOINT,
                               _("No language model endpoint is set. Add one in Preferences, under Language Model."));
      return;
    }

  dbw_llm_client_new_for_url_async (url, cancellable, on_client_cb, g_steal_pointer (&task));
}

/**
 * dbw_llm_connect_finish:
 * @model: (out) (optional) (transfer full): the model name from Preferences, "" when none
 *
 * Returns: (transfer full): a client for the endpoint, or %NULL with @error set
 */
DbwLlmClient *
dbw_llm_connect_finish (GAsyncResult  *result,
                        char         **model,
                        GError       **error)
{
  DbwLlmClient *client;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == connect_tag, NULL);

  client = g_task_propagate_pointer (G_TASK (result), error);
  if (model != NULL)
    *model = client != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;

  return client;
}
