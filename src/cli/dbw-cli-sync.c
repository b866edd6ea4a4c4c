/* dbw-cli-sync.c
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
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "dbw-cli.h"
#include "dbw-sync-service.h"

/* databits sync PROJECT [--profile NAME] [--warehouse ID] [--link CATALOG.SCHEMA] [--json] */

typedef struct
{
  GMainLoop     *loop;
  DbwSyncReport *report;
  GError        *error;
} SyncRun;

static void
on_sync_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SyncRun *run = user_data;

  run->report = dbw_sync_service_sync_finish (DBW_SYNC_SERVICE (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
print_report (const DbwSyncReport *report,
              const char          *target)
{
  const DbwSyncApplyStats *applied = &report->applied;

  g_print (_("Synced with %s\n"), target);
  g_print (ngettext ("Pushed %u row", "Pushed %u rows", report->pushed), report->pushed);
  g_print (ngettext (" and %u deletion", " and %u deletions", report->pushed_deleted), report->pushed_deleted);
  g_print (ngettext (" in %u statement", " in %u statements", report->statements), report->statements);
  if (report->staged > 0)
    g_print (ngettext (" (%u batch staged in the volume)", " (%u batches staged in the volume)", report->staged),
             report->staged);
  g_print ("\n");
  if (report->blobs_uploaded > 0 || report->blobs_downloaded > 0)
    g_print (_("Files: %u uploaded, %u downloaded\n"), report->blobs_uploaded, report->blobs_downloaded);
  g_print (ngettext ("Pulled %u row changed by others", "Pulled %u rows changed by others", report->pulled),
           report->pulled);
  g_print (_(": %u new, %u updated, %u deleted, %u unchanged\n"),
           applied->inserted, applied->updated, applied->deleted, applied->unchanged);
  if (applied->conflicts > 0)
    g_print (ngettext ("%u concurrent edit of a canonical label was settled; the losing version is flagged for review\n",
                       "%u concurrent edits of canonical labels were settled; the losing versions are flagged for review\n",
                       applied->conflicts),
             applied->conflicts);
  if (applied->rejected > 0)
    g_print (ngettext ("%u row from the workspace did not fit this project and was skipped\n",
                       "%u rows from the workspace did not fit this project and were skipped\n",
                       applied->rejected),
             applied->rejected);
  g_print (ngettext ("%u request\n", "%u requests\n", report->requests), report->requests);
}

static void
print_report_json (const DbwSyncReport *report,
                   const char          *target)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

#define MEMBER(name, value) \
  G_STMT_START { json_builder_set_member_name (builder, name); json_builder_add_int_value (builder, value); } G_STMT_END

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, target);
  MEMBER ("pushed", report->pushed);
  MEMBER ("pushed_deleted", report->pushed_deleted);
  MEMBER ("statements", report->statements);
  MEMBER ("staged", report->staged);
  MEMBER ("blobs_uploaded", report->blobs_uploaded);
  MEMBER ("blobs_downloaded", report->blobs_downloaded);
  MEMBER ("pulled", report->pulled);
  MEMBER ("inserted", report->applied.inserted);
  MEMBER ("updated", report->applied.updated);
  MEMBER ("deleted", report->applied.deleted);
  MEMBER ("unchanged", report->applied.unchanged);
  MEMBER ("conflicts", report->applied.conflicts);
  MEMBER ("rejected", report->applied.rejected);
  MEMBER ("requests", report->requests);
  json_builder_end_object (builder);
#undef MEMBER

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

int
dbw_cli_sync (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autoptr(DbwSyncService) service = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSyncReport) report = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *warehouse = NULL;
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;
  g_auto(GStrv) args = NULL;
  gboolean as_json = FALSE;
  SyncRun run = { 0 };
  guint interrupt_id;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
      N_("The profile of ~/.databrickscfg to sign in with"), N_("NAME") },
    { "warehouse", 'w', 0, G_OPTION_ARG_STRING, &warehouse,
      N_("The SQL warehouse that runs the statements (or DATABRICKS_WAREHOUSE_ID)"), N_("ID") },
    { "link", 'l', 0, G_OPTION_ARG_STRING, &link,
      N_("Link the project to this schema first, and push all of it there"), N_("CATALOG.SCHEMA") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print what was done as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("sync",
                                 /* Translators: the arguments of `databits sync` */
                                 N_("PROJECT.dbw"),
                                 N_("Push a project's changes to its workspace schema and pull the changes of others, once."),
                                 N_("The workspace is the one of the profile, or of the DATABRICKS_HOST and "
                                    "DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET) "
                                    "environment variables, as for the Databricks CLI. A project is linked to "
                                    "one catalog.schema, with --link the first time.\n\n"
                                    "Press Ctrl+C to stop: what was not pushed yet waits for the next sync.\n\n"
                                    "Exit status: 0 when synced, 1 on an error, 2 on a usage error, "
                                    "130 when cancelled."),
                                 entries);
  if (!dbw_cli_parse (context, "sync", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("sync", _("Which project should be synced?"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("sync", _("Unexpected argument “%s”"), args[1]);
  if (warehouse == NULL)
    warehouse = g_strdup (g_getenv ("DATABRICKS_WAREHOUSE_ID"));
  if (warehouse == NULL || warehouse[0] == '\0')
    return dbw_cli_usage_error ("sync", _("Which SQL warehouse should run the statements? Name it with --warehouse"));
  if (link != NULL && !dbw_sync_service_validate_target (link, &error))
    return dbw_cli_usage_error ("sync", "%s", error->message);

  /* The project first: a missing file is said before anything about the workspace. */
  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  databricks = dbw_cli_connect (profile, &error);
  if (databricks == NULL)
    return dbw_cli_fail (error);

  service = dbw_sync_service_new (store, databricks, warehouse);
  target = dbw_sync_service_dup_target (service);

  /* Moving a linked project to another schema is not done on the way: the app's Unlink
   * says what it means first. */
  if (link != NULL && target != NULL && g_strcmp0 (target, link) != 0)
    {
      dbw_cli_printerr (_("The project is synced with %s; to sync it with %s, unlink it in the app first"),
                        target, link);
      return DBW_CLI_EXIT_FAILED;
    }
  if (link != NULL && target == NULL)
    {
      if (!dbw_sync_service_link (service, link, &error))
        return dbw_cli_fail (error);
      target = dbw_sync_service_dup_target (service);
    }
  if (target == NULL)
    return dbw_cli_usage_error ("sync", _("The project is not linked to a workspace schema yet: give one with --link CATALOG.SCHEMA"));

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;

  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt_cb, cancellable);
  dbw_sync_service_sync_async (service, cancellable, on_sync_done_cb, &run);
  g_main_loop_run (loop);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (interrupt_id);

  report = run.report;
  if (report == NULL)
    {
      g_autoptr(GError) sync_error = run.error;

      if (g_error_matches (sync_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          dbw_cli_printerr (_("Sync stopped; what was not pushed waits for the next sync"));
          return DBW_CLI_EXIT_CANCELLED;
        }
      return dbw_cli_fail (sync_error);
    }

  if (as_json)
    print_report_json (report, target);
  else
    print_report (report, target);

  return DBW_CLI_EXIT_OK;
}
