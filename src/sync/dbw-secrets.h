/* dbw-secrets.h
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

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Kinds of secret the application keeps in the keyring, one per service. */
typedef enum
{
  DBW_SECRET_DATABRICKS_TOKEN,
  DBW_SECRET_DATABRICKS_CLIENT_SECRET,
  DBW_SECRET_LLM_TOKEN,
} DbwSecretKind;

void     dbw_secret_store_async  (DbwSecretKind         kind,
                                  const char           *account,
                                  const char           *secret,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean dbw_secret_store_finish (GAsyncResult         *result,
                                  GError              **error);
void     dbw_secret_lookup_async (DbwSecretKind         kind,
                                  const char           *account,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
char    *dbw_secret_lookup_finish (GAsyncResult        *result,
                                   GError             **error);
void     dbw_secret_clear_async  (DbwSecretKind         kind,
                                  const char           *account,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean dbw_secret_clear_finish (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
