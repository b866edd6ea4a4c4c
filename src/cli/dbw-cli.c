/* dbw-cli.c
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

#define G_LOG_DOMAIN "databits"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "dbw-cli.h"

/* What every subcommand of `databits` shares: messages on stderr, option parsing with the
 * usage errors it reports, and finding a project and its sheets. */

/**
 * dbw_cli_printerr:
 *
 * Prints "databits: <message>" on stderr.
 */
void
dbw_cli_printerr (const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("databits: %s\n", message);
}

/**
 * dbw_cli_fail:
 * @error: what went wrong; its message names the file and the reason
 *
 * Returns: %DBW_CLI_EXIT_FAILED, after printing @error
 */
int
dbw_cli_fail (const GError *error)
{
  dbw_cli_printerr ("%s", error->message);

  return DBW_CLI_EXIT_FAILED;
}

/**
 * dbw_cli_usage_error:
 * @command: (nullable): the subcommand, or %NULL for `databits` itself
 *
 * Returns: %DBW_CLI_EXIT_USAGE, after printing the message and where to find help
 */
int
dbw_cli_usage_error (const char *command,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  g_autofree char *help = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  help = g_strconcat ("databits", command != NULL ? " " : "", command != NULL ? command : "", " --help", NULL);
  dbw_cli_printerr ("%s", message);
  /* Translators: %s is a command such as “databits import --help” */
  g_printerr (_("Run “%s” to see how to use it."), help);
  g_printerr ("\n");

  return DBW_CLI_EXIT_USAGE;
}

/**
 * dbw_cli_context_new:
 * @command: (nullable): the subcommand, or %NULL for `databits` itself
 * @parameter_string: (nullable): the arguments after the options, N_() marked
 * @summary: what the command does, N_() marked
 * @description: (nullable): more about it, N_() marked, or already translated
 * @entries: the options, their descriptions N_() marked
 *
 * Names the program after @command too, so that --help reads
 * "Usage: databits import [OPTION…] PROJECT.dbw …".
 *
 * Returns: (transfer full): an option context with @entries
 */
GOptionContext *
dbw_cli_context_new (const char         *command,
                     const char         *parameter_string,
                     const char         *summary,
                     const char         *description,
                     const GOptionEntry *entries)
{
  GOptionContext *context;

  if (command != NULL)
    {
      g_autofree char *prgname = g_strconcat ("databits ", command, NULL);

      g_set_prgname (prgname);
    }

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

/**
 * dbw_cli_parse:
 * @argv: the arguments, @argv[0] being the command; left as they are
 * @status: (out): the exit status when parsing fails
 *
 * Parses the options into @context's entries; the other arguments go to its
 * %G_OPTION_REMAINING entry. `--help` prints the help and exits.
 *
 * Returns: %TRUE on success, %FALSE after reporting a usage error
 */
gboolean
dbw_cli_parse (GOptionContext  *context,
               const char      *command,
               int              argc,
               char           **argv,
               int             *status)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      *status = dbw_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  /* Arguments not taken by an option or by G_OPTION_REMAINING. */
  if (args[0] != NULL && args[1] != NULL)
    {
      *status = dbw_cli_usage_error (command, _("Unexpected argument “%s”"), args[1]);
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_cli_open_project:
 * @path: a project file as given on the command line
 *
 * Returns: (transfer full): the project, its changes made in the name of the user who
 *   runs the command; or %NULL with @error set
 */
DbwStore *
dbw_cli_open_project (const char  *path,
                      GError     **error)
{
  g_autoptr(GFile) file = NULL;
  DbwStore *store;

  /* An empty argument would name the current folder. */
  if (path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The project’s file name is empty"));
      return NULL;
    }

  file = g_file_new_for_commandline_arg (path);
  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, error);
  if (store != NULL)
    {
      dbw_store_set_user (store, g_get_user_name ());
      dbw_cli_note_project (file);
    }

  return store;
}

/* The projects this command opened, as URIs. */
G_LOCK_DEFINE_STATIC (noted);
static GPtrArray *noted;

/**
 * dbw_cli_note_project:
 *
 * Notes a project the command opened (from any thread): dbw_cli_tell_app() tells a
 * running app about it.
 */
void
dbw_cli_note_project (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  G_LOCK (noted);
  if (noted == NULL)
    noted = g_ptr_array_new_with_free_func (g_free);
  if (!g_ptr_array_find_with_equal_func (noted, uri, g_str_equal, NULL))
    g_ptr_array_add (noted, g_steal_pointer (&uri));
  G_UNLOCK (noted);
}

static char *
app_object_path (void)
{
  g_autofree char *path = g_strconcat ("/", APP_ID, NULL);

  return g_strdelimit (g_steal_pointer (&path), ".", '/');
}

/* Whether the session has a bus already: asking for it must not start one. */
static gboolean
have_session_bus (void)
{
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *socket = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return TRUE;
  if (runtime_dir == NULL)
    return FALSE;
  socket = g_build_filename (runtime_dir, "bus", NULL);

  return g_file_test (socket, G_FILE_TEST_EXISTS);
}

/**
 * dbw_cli_tell_app:
 *
 * Tells a running Databits Workbench that the projects the command opened may have
 * changed (its action app.project-changed), so the windows showing them show the change.
 * Nothing is started, waited for or reported: without the app there is no one to tell.
 */
void
dbw_cli_tell_app (void)
{
  g_autoptr(GPtrArray) uris = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *object_path = NULL;

  G_LOCK (noted);
  uris = g_steal_pointer (&noted);
  G_UNLOCK (noted);

  if (uris == NULL || !have_session_bus ())
    return;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return;

  object_path = app_object_path ();
  for (guint i = 0; i < uris->len; i++)
    {
      GVariant *parameter = g_variant_new_variant (g_variant_new_string (g_ptr_array_index (uris, i)));

      g_dbus_connection_call (bus, APP_ID, object_path, "org.freedesktop.Application", "ActivateAction",
                              g_variant_new ("(s@av@a{sv})", "project-changed",
                                             g_variant_new_array (G_VARIANT_TYPE_VARIANT, &parameter, 1),
                                             g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                              NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
    }
  g_dbus_connection_flush_sync (bus, NULL, NULL);
}

/**
 * dbw_cli_connect:
 * @profile: (nullable): a profile of ~/.databrickscfg
 *
 * The workspace as Databricks tools find it: the profile, or the DATABRICKS_* environment
 * variables, or the DEFAULT profile.
 *
 * Returns: (transfer full): a client for it, or %NULL with @error set
 */
DbwDatabricks *
dbw_cli_connect (const char  *profile,
                 GError     **error)
{
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(GError) local_error = NULL;

  config = dbw_databricks_config_resolve (profile, NULL, NULL, &local_error);
  if (g_error_matches (local_error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_HOST))
    {
      /* Say where a script gives the workspace, not where the app's Preferences do. */
      g_set_error (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_HOST,
                   _("%s: set DATABRICKS_HOST and DATABRICKS_TOKEN, or name a profile of ~/.databrickscfg with --profile"),
                   local_error->message);
      return NULL;
    }
  if (g_error_matches (local_error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS))
    {
      g_set_error_literal (error, DBW_DATABRICKS_CONFIG_ERROR, DBW_DATABRICKS_CONFIG_ERROR_NO_CREDENTIALS,
                           _("No way to sign in to the workspace: set DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and "
                             "DATABRICKS_CLIENT_SECRET for a service principal, or name a profile of ~/.databrickscfg "
                             "that has them with --profile"));
      return NULL;
    }
  if (config == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return dbw_databricks_new (config, NULL);
}

/**
 * dbw_cli_find_sheet:
 * @name: the name of a sheet
 *
 * Finds the oldest sheet called @name that is not deleted.
 *
 * Returns: (transfer full): the sheet, or %NULL with @error set —
 *   %DBW_STORE_ERROR_NOT_FOUND when there is no such sheet
 */
DbwSheet *
dbw_cli_find_sheet (DbwStore    *store,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(GPtrArray) sheets = NULL;

  sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, error);
  if (sheets == NULL)
    return NULL;

  for (guint i = 0; i < sheets->len; i++)
    {
      DbwSheet *sheet = g_ptr_array_index (sheets, i);

      if (dbw_sheet_get_deleted_at (sheet) == NULL &&
          g_strcmp0 (dbw_sheet_get_name (sheet), name) == 0)
        return g_object_ref (sheet);
    }

  {
    g_autofree char *basename = g_file_get_basename (dbw_store_get_file (store));

    g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                 /* Translators: There is no sheet “Readings” in survey.dbw */
                 _("There is no sheet “%s” in %s"), name, basename);
  }

  return NULL;
}

/**
 * dbw_cli_arg_to_utf8:
 *
 * Returns: (transfer full) (nullable): @arg, given in the locale's encoding, as UTF-8
 */
char *
dbw_cli_arg_to_utf8 (const char *arg)
{
  if (g_utf8_validate (arg, -1, NULL))
    return g_strdup (arg);

  return g_locale_to_utf8 (arg, -1, NULL, NULL, NULL);
}

/**
 * dbw_cli_append_padded:
 * @width: the width in characters to fill
 * @right: whether to align @text to the right
 *
 * Appends @text padded with spaces to @width characters, for columns of a table.
 */
void
dbw_cli_append_padded (GString    *out,
                      const char *text,
                      guint       width,
                      gboolean    right)
{
  glong len = g_utf8_strlen (text, -1);
  guint pad = len < (glong) width ? width - (guint) len : 0;

  if (right)
    {
      for (guint i = 0; i < pad; i++)
        g_string_append_c (out, ' ');
      g_string_append (out, text);
    }
  else
    {
      g_string_append (out, text);
      for (guint i = 0; i < pad; i++)
        g_string_append_c (out, ' ');
    }
}

/**
 * dbw_cli_append_table:
 * @cells: (element-type utf8): the cells, row after row, the first row being headings
 * @right: for each column, whether it is aligned to the right (numbers)
 *
 * Appends @cells as a table of aligned columns, two spaces apart.
 */
void
dbw_cli_append_table (GString        *out,
                      GPtrArray      *cells,
                      guint           n_columns,
                      const gboolean *right)
{
  g_autofree guint *widths = g_new0 (guint, n_columns);

  g_return_if_fail (n_columns > 0);

  for (guint i = 0; i < cells->len; i++)
    widths[i % n_columns] = MAX (widths[i % n_columns],
                                 (guint) g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  for (guint i = 0; i < cells->len; i++)
    {
      guint column = i % n_columns;
      gboolean last = column == n_columns - 1;

      /* No spaces at the end of a line. */
      dbw_cli_append_padded (out, g_ptr_array_index (cells, i),
                             last && !right[column] ? 0 : widths[column], right[column]);
      g_string_append (out, last ? "\n" : "  ");
    }
}

/**
 * dbw_cli_write_json:
 *
 * Writes @json and a newline on stdout as it is: JSON is UTF-8 whatever the locale.
 */
void
dbw_cli_write_json (const char *json)
{
  fputs (json, stdout);
  fputc ('\n', stdout);
}
