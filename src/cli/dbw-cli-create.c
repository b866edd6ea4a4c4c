/* dbw-cli-create.c
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

#include <glib/gi18n.h>

#include "dbw-cli.h"

/* databits create PROJECT [--title TITLE] */

int
dbw_cli_create (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_arg = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) args = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "title", 't', 0, G_OPTION_ARG_FILENAME, &title_arg,
      N_("The project’s title (the file name without .dbw if not given)"), N_("TITLE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("create",
                                 /* Translators: the arguments of `databits create` */
                                 N_("PROJECT.dbw"),
                                 N_("Create a new, empty project."),
                                 N_("The file must not exist yet. The project is ready for "
                                    "“databits import” and for Databits Workbench."),
                                 entries);
  if (!dbw_cli_parse (context, "create", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("create", _("Which project file should be created?"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("create", _("Unexpected argument “%s”"), args[1]);

  if (title_arg != NULL)
    {
      title = dbw_cli_arg_to_utf8 (title_arg);
      if (title == NULL || g_strstrip (title)[0] == '\0')
        return dbw_cli_usage_error ("create", _("The title must be text and not empty"));
    }

  file = g_file_new_for_commandline_arg (args[0]);
  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  if (title != NULL && !dbw_store_set_meta (store, "title", title, &error))
    return dbw_cli_fail (error);

  dbw_store_close (store);

  return DBW_CLI_EXIT_OK;
}
