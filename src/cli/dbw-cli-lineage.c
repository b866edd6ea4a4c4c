/* dbw-cli-lineage.c
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
#include "dbw-lineage.h"

/* databits lineage PROJECT (--item REF [--sheet NAME] | --model NAME [--version V] | --label ID) */

int
dbw_cli_lineage (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *item_arg = NULL;
  g_autofree char *sheet_arg = NULL;
  g_autofree char *model_arg = NULL;
  g_autofree char *version = NULL;
  g_autofree char *label_id = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) args = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "item", 'i', 0, G_OPTION_ARG_FILENAME, &item_arg,
      N_("Every training sheet, pair, export and model that used this item"), N_("REF") },
    { "sheet", 's', 0, G_OPTION_ARG_FILENAME, &sheet_arg, N_("Only the item in this sheet"), N_("NAME") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
      N_("What this trained model was made of"), N_("NAME") },
    { "version", 'v', 0, G_OPTION_ARG_STRING, &version, N_("The model’s version (default: the newest)"), N_("V") },
    { "label", 'l', 0, G_OPTION_ARG_STRING, &label_id,
      N_("Every pair, export and model that used this canonical label"), N_("ID") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  guint n_roots;

  context = dbw_cli_context_new ("lineage",
                                 /* Translators: the arguments of `databits lineage` */
                                 N_("PROJECT.dbw"),
                                 N_("Show where a model, item or label came from and where it went."),
                                 N_("Prints the lineage graph as JSON: {\"root\": node, \"nodes\": "
                                    "[node, …], \"edges\": [[from, to], …]}, each node with its kind, "
                                    "id, title and subtitle, nodes in order from sources to results "
                                    "and edges by node position, pointing from what was used to what "
                                    "was made of it.\n\n"
                                    "From a model: its export, training sheets, pairs, their items, "
                                    "canonical labels and templates. From an item or a label: every "
                                    "training sheet, pair, export and model that used it.\n\n"
                                    "Exit status: 0 on success, 1 on failure (nothing of that name), "
                                    "2 on a usage error."),
                                 entries);
  if (!dbw_cli_parse (context, "lineage", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("lineage", _("Which project? Give its file"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("lineage", _("Unexpected argument “%s”"), args[1]);

  n_roots = (item_arg != NULL) + (model_arg != NULL) + (label_id != NULL);
  if (n_roots != 1)
    return dbw_cli_usage_error ("lineage", _("Give one of --item, --model or --label"));
  if (version != NULL && model_arg == NULL)
    return dbw_cli_usage_error ("lineage", _("--version goes with --model"));
  if (sheet_arg != NULL && item_arg == NULL)
    return dbw_cli_usage_error ("lineage", _("--sheet goes with --item"));

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  if (item_arg != NULL)
    {
      g_autofree char *item_ref = dbw_cli_arg_to_utf8 (item_arg);
      g_autoptr(DbwSheet) sheet = NULL;

      if (sheet_arg != NULL)
        {
          g_autofree char *sheet_name = dbw_cli_arg_to_utf8 (sheet_arg);

          sheet = sheet_name != NULL ? dbw_cli_find_sheet (store, sheet_name, &error) : NULL;
          if (sheet == NULL && error != NULL)
            return dbw_cli_fail (error);
        }
      if (item_ref == NULL)
        return dbw_cli_usage_error ("lineage", _("The item’s name is not valid text"));

      graph = dbw_lineage_for_item (store, sheet != NULL ? dbw_record_get_id (DBW_RECORD (sheet)) : NULL,
                                    item_ref, NULL, &error);
    }
  else if (model_arg != NULL)
    {
      g_autofree char *model_name = dbw_cli_arg_to_utf8 (model_arg);

      if (model_name == NULL)
        return dbw_cli_usage_error ("lineage", _("The model’s name is not valid text"));
      graph = dbw_lineage_for_model (store, model_name, version, NULL, &error);
    }
  else
    {
      graph = dbw_lineage_for_label (store, label_id, NULL, &error);
    }

  dbw_store_close (store);
  if (graph == NULL)
    return dbw_cli_fail (error);

  json = dbw_lineage_graph_to_json (graph);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, json);
  text = json_generator_to_data (generator, NULL);
  dbw_cli_write_json (text);

  return DBW_CLI_EXIT_OK;
}
