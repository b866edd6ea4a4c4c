/* dbw-secrets.c
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

#define G_LOG_DOMAIN "dbw-secrets"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "dbw-secrets.h"

/* Tokens live in the keyring (inside the Flatpak, through the Secret portal) and nowhere
 * else: not in the project file, not in GSettings, not in logs. Secrets are keyed by their
 * kind and the account they belong to (a workspace host or an endpoint URL). */

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Secret", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
kind_to_string (DbwSecretKind kind)
{
  switch (kind)
    {
    case DBW_SECRET_DATABRICKS_TOKEN:
      return "databricks-token";
    case DBW_SECRET_DATABRICKS_CLIENT_SECRET:
      return "databricks-client-secret";
    case DBW_SECRET_LLM_TOKEN:
      return "llm-token";
    default:
      g_return_val_if_reached ("unknown");
    }
}

static char *
make_label (DbwSecretKind  kind,
            const char    *account)
{
  switch (kind)
    {
    case DBW_SECRET_DATABRICKS_TOKEN:
      return g_strdup_printf (_("Databricks access token for %s"), account);
    case DBW_SECRET_DATABRICKS_CLIENT_SECRET:
      return g_strdup_printf (_("Databricks OAuth client secret for %s"), account);
    case DBW_SECRET_LLM_TOKEN:
      return g_strdup_printf (_("Language model token for %s"), account);
    default:
      g_return_val_if_reached (g_strdup (account));
    }
}

void
dbw_secret_store_async (DbwSecretKind        kind,
                        const char          *account,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (account != NULL);
  g_return_if_fail (secret != NULL);

  label = make_label (kind, account);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, callback, user_data,
                         "kind", kind_to_string (kind),
                         "account", account,
                         NULL);
}

gboolean
dbw_secret_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return secret_password_store_finish (result, error);
}

void
dbw_secret_lookup_async (DbwSecretKind        kind,
                         const char          *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (account != NULL);

  secret_password_lookup (get_schema (), cancellable, callback, user_data,
                          "kind", kind_to_string (kind),
                          "account", account,
                          NULL);
}

/**
 * dbw_secret_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL if none is stored (with @error
 *   unset) or the keyring failed (with @error set). Free it with secret_password_free().
 */
char *
dbw_secret_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return secret_password_lookup_finish (result, error);
}

void
dbw_secret_clear_async (DbwSecretKind        kind,
                        const char          *account,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (account != NULL);

  secret_password_clear (get_schema (), cancellable, callback, user_data,
                         "kind", kind_to_string (kind),
                         "account", account,
                         NULL);
}

gboolean
dbw_secret_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  /* Clearing a secret that was never stored is not an error. */
  if (!secret_password_clear_finish (result, &local_error) && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}
