/* main.c
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

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dbw-cli.h"

/* `databits`: Databits Workbench projects from a terminal or a script. This file picks the
 * subcommand; each one parses its own options and calls the core. */

static const DbwCliCommand commands[] = {
  { "create", N_("Create a new, empty project"), dbw_cli_create },
  { "export", N_("Write training sheets as governed training data, with a split and its lineage"), dbw_cli_export, TRUE },
  { "generate", N_("Make a training sheet of Q&A pairs from a sheet and a template"), dbw_cli_generate, TRUE },
  { "import", N_("Import files and folders into a sheet"), dbw_cli_import, TRUE },
  { "info", N_("Show what a project holds"), dbw_cli_info },
  { "labels", N_("Export object-detection labels, or import other tools’ as suggestions"), dbw_cli_labels, TRUE },
  { "lineage", N_("Show where a model, item or label came from and where it went"), dbw_cli_lineage },
  { "search", N_("Find items by the words in them"), dbw_cli_search },
  { "sync", N_("Push a project's changes to its workspace and pull others'"), dbw_cli_sync, TRUE },
  { "templates", N_("Add, list, show, publish and archive Prompt Templates"), dbw_cli_templates, TRUE },
  { "uc", N_("Browse Unity Catalog in a Databricks workspace"), dbw_cli_uc },
};

static const DbwCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];

  return NULL;
}

static char *
describe_commands (void)
{
  GString *text = g_string_new (_("Commands:"));
  guint width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (guint) strlen (commands[i].name));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_string_append (text, "\n  ");
      dbw_cli_append_padded (text, commands[i].name, width + 2, FALSE);
      g_string_append (text, _(commands[i].summary));
    }

  g_string_append (text, "\n\n");
  g_string_append (text, _("Run “databits COMMAND --help” to see the options of a command."));

  return g_string_free (text, FALSE);
}

static GOptionContext *
make_context (gboolean *version)
{
  g_autofree char *description = describe_commands ();
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  /* Translators: the arguments of `databits`, shown after "Usage: databits [OPTION…]" */
  return dbw_cli_context_new (NULL, N_("COMMAND [ARGUMENT…]"),
                              N_("Work with Databits Workbench projects from a terminal or a script."),
                              description, entries);
}

static int
print_usage (void)
{
  g_autoptr(GOptionContext) context = make_context (NULL);
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("%s", help);

  return DBW_CLI_EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  const DbwCliCommand *command;
  int status = DBW_CLI_EXIT_OK;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("databits");

  if (argc < 2)
    return print_usage ();

  /* Options before any command: --help and --version. */
  if (argv[1][0] == '-')
    {
      g_autoptr(GOptionContext) context = NULL;
      gboolean version = FALSE;

      context = make_context (&version);
      if (!dbw_cli_parse (context, NULL, argc, argv, &status))
        return status;

      if (version)
        {
          g_print ("databits (%s) %s\n", _("Databits Workbench"), PACKAGE_VERSION);
          return DBW_CLI_EXIT_OK;
        }

      return print_usage ();
    }

  /* `databits help import` is `databits import --help`, and `databits help labels export`
   * is `databits labels export --help`. */
  if (g_str_equal (argv[1], "help"))
    {
      g_autofree char **help_argv = NULL;

      if (argc < 3)
        {
          g_autoptr(GOptionContext) context = make_context (NULL);
          g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

          g_print ("%s", help);
          return DBW_CLI_EXIT_OK;
        }

      command = find_command (argv[2]);
      if (command == NULL)
        {
          dbw_cli_printerr (_("“%s” is not a databits command"), argv[2]);
          return print_usage ();
        }

      help_argv = g_new0 (char *, argc);
      for (int i = 2; i < argc; i++)
        help_argv[i - 2] = argv[i];
      help_argv[argc - 2] = (char *) "--help";
      return command->run (argc - 1, help_argv);
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      dbw_cli_printerr (_("“%s” is not a databits command"), argv[1]);
      return print_usage ();
    }

  status = command->run (argc - 1, argv + 1);

  /* The project may be open in the app, which shows the change at once. */
  if (command->writes)
    dbw_cli_tell_app ();

  /* A full disk, or a pipe closed early: the output is incomplete. Only the flush's own
   * errno says why; an earlier failed write's was overwritten since. */
  errno = 0;
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      if (errno != 0)
        dbw_cli_printerr (_("Could not write the output: %s"), g_strerror (errno));
      else
        dbw_cli_printerr (_("Could not write the whole output"));
      return DBW_CLI_EXIT_FAILED;
    }

  return status;
}
