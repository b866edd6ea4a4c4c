/* dbw-databricks-config.h
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

#include <glib-object.h>

G_BEGIN_DECLS

#define DBW_DATABRICKS_CONFIG_ERROR (dbw_databricks_config_error_quark ())

typedef enum
{
  DBW_DATABRICKS_CONFIG_ERROR_NO_HOST,
  DBW_DATABRICKS_CONFIG_ERROR_BAD_HOST,
  DBW_DATABRICKS_CONFIG_ERROR_INSECURE,
  DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS,
  DBW_DATABRICKS_CONFIG_ERROR_NO_PROFILE,
  DBW_DATABRICKS_CONFIG_ERROR_BAD_FILE,
} DbwDatabricksConfigError;

typedef enum
{
  DBW_DATABRICKS_AUTH_PAT,
  DBW_DATABRICKS_AUTH_OAUTH_M2M,
} DbwDatabricksAuth;

#define DBW_TYPE_DATABRICKS_CONFIG (dbw_databricks_config_get_type ())

G_DECLARE_FINAL_TYPE (DbwDatabricksConfig, dbw_databricks_config, DBW, DATABRICKS_CONFIG, GObject)

GQuark               dbw_databricks_config_error_quark    (void);

DbwDatabricksConfig *dbw_databricks_config_resolve        (const char           *profile,
                                                           const char           *settings_host,
                                                           const char           *keyring_token,
                                                           GError              **error);
const char          *dbw_databricks_config_get_host       (DbwDatabricksConfig  *self);
DbwDatabricksAuth    dbw_databricks_config_get_auth       (DbwDatabricksConfig  *self);
const char          *dbw_databricks_config_get_token      (DbwDatabricksConfig  *self);
const char          *dbw_databricks_config_get_client_id  (DbwDatabricksConfig  *self);
const char          *dbw_databricks_config_get_client_secret (DbwDatabricksConfig *self);
const char          *dbw_databricks_config_get_profile    (DbwDatabricksConfig  *self);
char                *dbw_databricks_config_describe       (DbwDatabricksConfig  *self);

char                *dbw_databricks_normalize_host        (const char           *host,
                                                           GError              **error);

G_END_DECLS
