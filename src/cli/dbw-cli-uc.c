/* dbw-cli-uc.c
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

#include <signal.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "dbw-cli.h"
#include "dbw-databricks.h"

/* databits uc ls [CATALOG[.SCHEMA]] [--profile NAME] — what Unity Catalog holds, asked of
 * the workspace the Databricks tools would use (a profile, the DATABRICKS_* variables,
 * ~/.databrickscfg). The listings run on the main loop, which turns Ctrl+C into a
 * cancellation. */

typedef struct
{
  GMainLoop     *loop;
  GCancellable  *cancellable;
  DbwDatabricks *client;
  guint          pending;
  GPtrArray     *lists[2];   /* DbwUcEntry: catalogs or schemas; or tables, then volumes */
  GError        *error;
} UcRun;

typedef struct
{
  UcRun     *run;
  guint      slot;
  DbwUcKind  kind;
} UcCall;

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree UcCall *call = user_data;
  UcRun *run = call->run;
  g_autoptr(GError) error = NULL;

  switch (call->kind)
    {
    case DBW_UC_KIND_CATALOG:
      run->lists[call->slot] = dbw_databricks_list_catalogs_finish (run->client, result, &error);
      break;
    case DBW_UC_KIND_SCHEMA:
      run->lists[call->slot] = dbw_databricks_list_schemas_finish (run->client, result, &error);
      break;
    case DBW_UC_KIND_TABLE:
      run->lists[call->slot] = dbw_databricks_list_tables_finish (run->client, result, &error);
      break;
    case DBW_UC_KIND_VOLUME:
      run->lists[call->slot] = dbw_databricks_list_volumes_finish (run->client, result, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (error != NULL && run->error == NULL)
    run->error = g_steal_pointer (&error);

  if (--run->pending == 0)
    g_main_loop_quit (run->loop);
}

static void
start_list (UcRun      *run,
            guint       slot,
            DbwUcKind   kind,
            const char *catalog,
            const char *schema)
{
  UcCall *call = g_new0 (UcCall, 1);

  call->run = run;
  call->slot = slot;
  call->kind = kind;
  run->pending++;

  switch (kind)
    {
    case DBW_UC_KIND_CATALOG:
      dbw_databricks_list_catalogs_async (run->client, run->cancellable, on_listed_cb, call);
      break;
    case DBW_UC_KIND_SCHEMA:
      dbw_databricks_list_schemas_async (run->client, catalog, run->cancellable, on_listed_cb, call);
      break;
    case DBW_UC_KIND_TABLE:
      dbw_databricks_list_tables_async (run->client, catalog, schema, run->cancellable, on_listed_cb, call);
      break;
    case DBW_UC_KIND_VOLUME:
      dbw_databricks_list_volumes_async (run->client, catalog, schema, run->cancellable, on_listed_cb, call);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  UcRun *run = user_data;

  g_cancellable_cancel (run->cancellable);

  /* The default action again: a second Ctrl+C stops at once. */
  return G_SOURCE_REMOVE;
}

/* "table", "view", "external volume", … for the Type column. */
static char *
describe_type (const DbwUcEntry *entry)
{
  const char *subtype = entry->subtype != NULL ? entry->subtype : "";

  if (entry->kind == DBW_UC_KIND_VOLUME)
    return g_strdup (g_str_equal (subtype, "EXTERNAL") ? _("external volume") : _("volume"));

  if (g_str_equal (subtype, "") || g_str_equal (subtype, "MANAGED"))
    return g_strdup (_("table"));
  if (g_str_equal (subtype, "EXTERNAL"))
    return g_strdup (_("external table"));
  if (g_str_equal (subtype, "VIEW"))
    return g_strdup (_("view"));
  if (g_str_equal (subtype, "MATERIALIZED_VIEW"))
    return g_strdup (_("materialized view"));
  if (g_str_equal (subtype, "STREAMING_TABLE"))
    return g_strdup (_("streaming table"));
  if (g_str_equal (subtype, "FOREIGN"))
    return g_strdup (_("foreign table"));

  /* A kind newer than this program: as the workspace spells it. */
  return g_strdelimit (g_ascii_strdown (subtype, -1), "_", ' ');
}

static void
print_entries (UcRun      *run,
               const char *parent)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gboolean with_type = run->lists[1] != NULL;
  const gboolean left[] = { FALSE, FALSE, FALSE };
  guint n_entries = 0;

  if (with_type)
    {
      g_ptr_array_add (cells, g_strdup (_("Name")));
      g_ptr_array_add (cells, g_strdup (_("Type")));
    }
  else
    {
      g_ptr_array_add (cells, g_strdup (parent == NULL ? _("Catalog") : _("Schema")));
    }
  g_ptr_array_add (cells, g_strdup (_("Comment")));

  for (guint l = 0; l < G_N_ELEMENTS (run->lists); l++)
    {
      for (guint i = 0; run->lists[l] != NULL && i < run->lists[l]->len; i++)
        {
          const DbwUcEntry *entry = g_ptr_array_index (run->lists[l], i);

          g_ptr_array_add (cells, g_strdup (entry->name));
          if (with_type)
            g_ptr_array_add (cells, describe_type (entry));
          g_ptr_array_add (cells, g_strdup (entry->comment != NULL ? entry->comment : ""));
          n_entries++;
        }
    }

  if (n_entries == 0)
    {
      g_autofree char *message = NULL;

      if (parent == NULL)
        message = g_strdup (_("There are no catalogs that this account may see."));
      else if (with_type)
        /* Translators: %s is a catalog.schema such as “main.sales” */
        message = g_strdup_printf (_("There are no tables or volumes in %s."), parent);
      else
        /* Translators: %s is a catalog such as “main” */
        message = g_strdup_printf (_("There are no schemas in %s."), parent);
      g_print ("%s\n", message);
      return;
    }

  dbw_cli_append_table (out, cells, with_type ? 3 : 2, left);

  /* An empty comment would leave spaces at the end of its line. */
  lines = g_strsplit (out->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_strchomp (lines[i]);
  text = g_strjoinv ("\n", lines);
  g_print ("%s", text);
}

static int
uc_ls (int    argc,
       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwDatabricks) client = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *parent = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) parts = NULL;
  UcRun run = { 0 };
  guint interrupt_id;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_("Sign in with this profile of ~/.databrickscfg"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("uc ls",
                                 /* Translators: the arguments of `databits uc ls` */
                                 N_("[CATALOG[.SCHEMA]]"),
                                 N_("List what Unity Catalog holds."),
                                 N_("Without an argument, lists the catalogs; with a catalog, its "
                                    "schemas; with catalog.schema, its tables and volumes.\n\n"
                                    "The workspace and the sign-in are found as the Databricks tools "
                                    "find them: the profile given with --profile, else the "
                                    "DATABRICKS_HOST and DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID "
                                    "and DATABRICKS_CLIENT_SECRET) variables, else the profile named "
                                    "by DATABRICKS_CONFIG_PROFILE or the DEFAULT profile of "
                                    "~/.databrickscfg.\n\n"
                                    "Exit status: 0 on success, 1 when the workspace could not be "
                                    "asked or refused, 2 on a usage error, 130 when cancelled."),
                                 entries);
  if (!dbw_cli_parse (context, "uc ls", argc, argv, &status))
    return status;

  if (args != NULL && args[0] != NULL && args[1] != NULL)
    return dbw_cli_usage_error ("uc ls", _("Unexpected argument “%s”"), args[1]);

  if (args != NULL && args[0] != NULL)
    {
      parts = g_strsplit (args[0], ".", -1);
      if (g_strv_length (parts) > 2)
        return dbw_cli_usage_error ("uc ls", _("“%s” is not a catalog or catalog.schema"), args[0]);
      if (!dbw_databricks_validate_identifier (parts[0], _("catalog"), &error) ||
          (parts[1] != NULL && !dbw_databricks_validate_identifier (parts[1], _("schema"), &error)))
        return dbw_cli_usage_error ("uc ls", "%s", error->message);
      parent = g_strdup (args[0]);
    }

  client = dbw_cli_connect (profile, &error);
  if (client == NULL)
    return dbw_cli_fail (error);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  run.client = client;

  /* Before the first request goes out, so that Ctrl+C always cancels. */
  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt_cb, &run);

  if (parts == NULL)
    {
      start_list (&run, 0, DBW_UC_KIND_CATALOG, NULL, NULL);
    }
  else if (parts[1] == NULL)
    {
      start_list (&run, 0, DBW_UC_KIND_SCHEMA, parts[0], NULL);
    }
  else
    {
      start_list (&run, 0, DBW_UC_KIND_TABLE, parts[0], parts[1]);
      start_list (&run, 1, DBW_UC_KIND_VOLUME, parts[0], parts[1]);
    }

  g_main_loop_run (loop);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (interrupt_id);

  if (run.error == NULL)
    print_entries (&run, parent);

  for (guint i = 0; i < G_N_ELEMENTS (run.lists); i++)
    g_clear_pointer (&run.lists[i], g_ptr_array_unref);

  if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&run.error);
      dbw_cli_printerr ("%s", _("Cancelled"));
      return DBW_CLI_EXIT_CANCELLED;
    }
  if (run.error != NULL)
    {
      status = dbw_cli_fail (run.error);
      g_clear_error (&run.error);
      return status;
    }

  return DBW_CLI_EXIT_OK;
}

int
dbw_cli_uc (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  int status;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  if (argc >= 2 && g_str_equal (argv[1], "ls"))
    return uc_ls (argc - 1, argv + 1);

  context = dbw_cli_context_new ("uc",
                                 /* Translators: the arguments of `databits uc` */
                                 N_("ls [CATALOG[.SCHEMA]]"),
                                 N_("Browse Unity Catalog in a Databricks workspace."),
                                 N_("Commands:\n"
                                    "  ls  List catalogs, the schemas of a catalog, or the tables and "
                                    "volumes of a schema\n\n"
                                    "Run “databits uc ls --help” to see its options."),
                                 entries);
  if (!dbw_cli_parse (context, "uc", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("uc", _("Which Unity Catalog command? Use “databits uc ls”"));

  return dbw_cli_usage_error ("uc", _("“%s” is not a databits uc command; use “ls”"), args[0]);
}
