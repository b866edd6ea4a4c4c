/* dbw-databricks-config.c
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

#define G_LOG_DOMAIN "dbw-databricks-config"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "dbw-databricks-config.h"

/* Which workspace to talk to and how to sign in, found the way the Databricks tools find
 * it, so a profile made with `databricks configure` works here too:
 *
 *   1. what the user set in the application (the host in Preferences, the token in the
 *      keyring), or the profile asked for on the command line;
 *   2. the environment: DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID,
 *      DATABRICKS_CLIENT_SECRET;
 *   3. a profile of the config file (DATABRICKS_CONFIG_FILE or ~/.databrickscfg): the
 *      one named by DATABRICKS_CONFIG_PROFILE, else DEFAULT.
 *
 * Each setting is taken from the first place that has it. Secrets stay in this object:
 * dbw_databricks_config_describe() says where they came from, never what they are. */

struct _DbwDatabricksConfig
{
  GObject            parent_instance;

  char              *host;
  DbwDatabricksAuth  auth;
  char              *token;
  char              *client_id;
  char              *client_secret;
  char              *profile;
  char              *file;
  char              *host_source;
  char              *auth_source;
};

G_DEFINE_FINAL_TYPE (DbwDatabricksConfig, dbw_databricks_config, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-databricks-config-error-quark, dbw_databricks_config_error)

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
dbw_databricks_config_finalize (GObject *object)
{
  DbwDatabricksConfig *self = (DbwDatabricksConfig *)object;

  g_free (self->host);
  clear_secret (&self->token);
  g_free (self->client_id);
  clear_secret (&self->client_secret);
  g_free (self->profile);
  g_free (self->file);
  g_free (self->host_source);
  g_free (self->auth_source);

  G_OBJECT_CLASS (dbw_databricks_config_parent_class)->finalize (object);
}

static void
dbw_databricks_config_class_init (DbwDatabricksConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_databricks_config_finalize;
}

static void
dbw_databricks_config_init (DbwDatabricksConfig *self)
{
}

static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 ||
         g_strcmp0 (host, "127.0.0.1") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0;
}

/**
 * dbw_databricks_normalize_host:
 * @host: a workspace address as users write it: with or without https://, with or
 *   without a trailing slash
 *
 * Returns: (transfer full): "https://host[:port]", or %NULL with @error set. Plain
 *   http is accepted for loopback hosts only (tests and local proxies).
 */
char *
dbw_databricks_normalize_host (const char  *host,
                               GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *name;

  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_HOST,
                           _("No Databricks workspace is set up"));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (host));
  with_scheme = strstr (trimmed, "://") != NULL ? g_strdup (trimmed) : g_strconcat ("https://", trimmed, NULL);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_BAD_HOST,
                   _("“%s” is not a workspace address; it looks like https://adb-1234567890.12.azuredatabricks.net"),
                   trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  name = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (name)))
    {
      g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_INSECURE,
                   _("“%s” is not a secure address: the workspace must be reached over https"), trimmed);
      return NULL;
    }

  {
    g_autofree char *lower = g_ascii_strdown (scheme, -1);

    if (g_uri_get_port (uri) > 0)
      return g_strdup_printf ("%s://%s:%d", lower, name, g_uri_get_port (uri));

    return g_strdup_printf ("%s://%s", lower, name);
  }
}

/* The config file is INI as the Databricks CLI writes it: sections, "key = value", and
 * comments starting with "#" or ";" (which GKeyFile does not accept). */
static GHashTable *
read_config_file (const char  *path,
                  GError     **error)
{
  g_autoptr(GHashTable) sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_hash_table_unref);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *section = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq;

      if (*line == '\0' || *line == '#' || *line == ';')
        continue;

      if (*line == '[')
        {
          char *end = strchr (line, ']');

          if (end == NULL)
            {
              g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_BAD_FILE,
                           _("%s, line %u: a section name must end with “]”"), path, i + 1);
              return NULL;
            }
          *end = '\0';
          section = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_replace (sections, g_strdup (g_strstrip (line + 1)), section);
          continue;
        }

      eq = strchr (line, '=');
      if (eq == NULL || section == NULL)
        {
          g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_BAD_FILE,
                       _("%s, line %u: expected “key = value” inside a [profile] section"), path, i + 1);
          return NULL;
        }

      *eq = '\0';
      g_hash_table_replace (section, g_strdup (g_strstrip (line)), g_strdup (g_strstrip (eq + 1)));
    }

  return g_steal_pointer (&sections);
}

static char *
config_file_path (void)
{
  const char *path = g_getenv ("DATABRICKS_CONFIG_FILE");

  if (path != NULL && *path != '\0')
    return g_strdup (path);

  return g_build_filename (g_get_home_dir (), ".databrickscfg", NULL);
}

/* Takes @value, with where it came from, unless the setting is taken already. */
static void
take (char       **slot,
      char       **source_slot,
      const char  *value,
      const char  *source)
{
  if (*slot != NULL || value == NULL || *value == '\0')
    return;

  *slot = g_strdup (value);
  if (source_slot != NULL && *source_slot == NULL)
    *source_slot = g_strdup (source);
}

/* Whether credentials that come with @source_host may be sent to @host. A source that
 * names no workspace goes with any (DATABRICKS_TOKEN alone, as the Databricks tools take it). */
static gboolean
goes_with (const char *host,
           const char *source_host)
{
  g_autofree char *normalized = NULL;

  if (source_host == NULL || *source_host == '\0')
    return TRUE;
  normalized = dbw_databricks_normalize_host (source_host, NULL);
  return normalized != NULL && g_str_equal (normalized, host);
}

/* Takes the token, or the client id and secret, a profile of the config file holds. */
static void
take_profile_credentials (DbwDatabricksConfig *self,
                          GHashTable          *section,
                          const char          *source)
{
  take (&self->token, &self->auth_source, g_hash_table_lookup (section, "token"), source);
  take (&self->client_id, &self->auth_source, g_hash_table_lookup (section, "client_id"), source);
  take (&self->client_secret, NULL, g_hash_table_lookup (section, "client_secret"), NULL);
}

/**
 * dbw_databricks_config_resolve:
 * @profile: (nullable): a profile of the config file the user asked for (`--profile`);
 *   it must exist
 * @settings_host: (nullable): the host set in Preferences
 * @keyring_token: (nullable): the personal access token kept in the keyring
 *
 * Returns: (transfer full): where and how to connect, or %NULL with @error saying what
 *   is missing
 */
DbwDatabricksConfig *
dbw_databricks_config_resolve (const char  *profile,
                               const char  *settings_host,
                               const char  *keyring_token,
                               GError     **error)
{
  g_autoptr(DbwDatabricksConfig) self = g_object_new (DBW_TYPE_DATABRICKS_CONFIG, NULL);
  g_autoptr(GHashTable) sections = NULL;
  g_autofree char *host = NULL;
  g_autofree char *file_source = NULL;
  GHashTable *section = NULL;
  const char *section_host = NULL;
  const char *wanted = profile;
  const char *auth_type = NULL;
  gboolean explicit;

  if (wanted == NULL || *wanted == '\0')
    wanted = g_getenv ("DATABRICKS_CONFIG_PROFILE");
  if (wanted != NULL && *wanted == '\0')
    wanted = NULL;

  self->file = config_file_path ();
  if (g_file_test (self->file, G_FILE_TEST_EXISTS))
    {
      sections = read_config_file (self->file, error);
      if (sections == NULL)
        return NULL;
    }

  if (wanted != NULL)
    {
      section = sections != NULL ? g_hash_table_lookup (sections, wanted) : NULL;
      if (section == NULL)
        {
          g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_PROFILE,
                       _("There is no profile “%s” in %s"), wanted, self->file);
          return NULL;
        }
      self->profile = g_strdup (wanted);
    }
  else if (sections != NULL && (section = g_hash_table_lookup (sections, "DEFAULT")) != NULL)
    {
      self->profile = g_strdup ("DEFAULT");
    }

  if (self->profile != NULL)
    file_source = g_strdup_printf (_("profile “%s” of %s"), self->profile, self->file);

  explicit = profile != NULL && *profile != '\0' && section != NULL;
  section_host = section != NULL ? g_hash_table_lookup (section, "host") : NULL;

  /* The workspace: an explicitly requested profile comes before the application's own
   * settings, then the environment, then the profile. */
  if (explicit)
    take (&host, &self->host_source, section_host, file_source);
  take (&host, &self->host_source, settings_host, _("Preferences"));
  take (&host, &self->host_source, g_getenv ("DATABRICKS_HOST"), "DATABRICKS_HOST");
  if (section != NULL)
    take (&host, &self->host_source, section_host, file_source);

  self->host = dbw_databricks_normalize_host (host, error);
  if (self->host == NULL)
    return NULL;

  /* How to sign in, in the same order, from a source whose own workspace (if it names
   * one) is that one: a token kept for one workspace is never sent to another. */
  if (explicit && goes_with (self->host, section_host))
    take_profile_credentials (self, section, file_source);

  if (goes_with (self->host, settings_host))
    take (&self->token, &self->auth_source, keyring_token, _("the keyring"));

  if (goes_with (self->host, g_getenv ("DATABRICKS_HOST")))
    {
      take (&self->token, &self->auth_source, g_getenv ("DATABRICKS_TOKEN"), "DATABRICKS_TOKEN");
      take (&self->client_id, &self->auth_source, g_getenv ("DATABRICKS_CLIENT_ID"), "DATABRICKS_CLIENT_ID");
      take (&self->client_secret, NULL, g_getenv ("DATABRICKS_CLIENT_SECRET"), NULL);
    }

  if (section != NULL && goes_with (self->host, section_host))
    {
      take_profile_credentials (self, section, file_source);
      auth_type = g_hash_table_lookup (section, "auth_type");
    }

  /* A profile may say it signs in as a service principal although it has a token. */
  if (g_strcmp0 (auth_type, "oauth-m2m") == 0 && self->client_id != NULL && self->client_secret != NULL)
    clear_secret (&self->token);

  if (self->token != NULL)
    {
      self->auth = DBW_DATABRICKS_AUTH_PAT;
    }
  else if (self->client_id != NULL && self->client_secret != NULL)
    {
      self->auth = DBW_DATABRICKS_AUTH_OAUTH_M2M;
    }
  else
    {
      g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS,
                   _("No way to sign in to %s: set a personal access token in Preferences, or a client id and secret of a service principal (DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET, or a profile in %s)"),
                   self->host, self->file);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
dbw_databricks_config_get_host (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), NULL);

  return self->host;
}

DbwDatabricksAuth
dbw_databricks_config_get_auth (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), DBW_DATABRICKS_AUTH_PAT);

  return self->auth;
}

/**
 * dbw_databricks_config_get_token:
 *
 * Returns: (nullable): the personal access token; never log it
 */
const char *
dbw_databricks_config_get_token (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), NULL);

  return self->token;
}

const char *
dbw_databricks_config_get_client_id (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), NULL);

  return self->client_id;
}

/**
 * dbw_databricks_config_get_client_secret:
 *
 * Returns: (nullable): the service principal's secret; never log it
 */
const char *
dbw_databricks_config_get_client_secret (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), NULL);

  return self->client_secret;
}

/**
 * dbw_databricks_config_get_profile:
 *
 * Returns: (nullable): the profile of the config file that was read
 */
const char *
dbw_databricks_config_get_profile (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), NULL);

  return self->profile;
}

/**
 * dbw_databricks_config_describe:
 *
 * Returns: (transfer full): where the workspace and the sign-in came from, for the
 *   Test Connection result and `databricks sync`; no secret is in it
 */
char *
dbw_databricks_config_describe (DbwDatabricksConfig *self)
{
  g_return_val_if_fail (DBW_IS_DATABRICKS_CONFIG (self), NULL);

  if (self->auth == DBW_DATABRICKS_AUTH_PAT)
    /* Translators: "https://adb-1.azuredatabricks.net (from Preferences), personal access token from the keyring" */
    return g_strdup_printf (_("%s (from %s), personal access token from %s"),
                            self->host, self->host_source, self->auth_source);

  return g_strdup_printf (_("%s (from %s), service principal %s (OAuth) from %s"),
                          self->host, self->host_source, self->client_id, self->auth_source);
}
