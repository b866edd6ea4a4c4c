/* dbw-cli-info.c
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
#include "dbw-project-info.h"

/* databits info PROJECT [--json] */

static const DbwModality modalities[] = {
  DBW_MODALITY_ROW, DBW_MODALITY_TEXT, DBW_MODALITY_PDF, DBW_MODALITY_IMAGE,
};

#define N_SHEET_COLUMNS (G_N_ELEMENTS (modalities) + 3)

static void
print_info (DbwProjectInfo *info)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  const char * const *tables = dbw_project_info_get_tables (info);
  GListModel *sheets = dbw_project_info_get_sheets (info);
  guint n_sheets = g_list_model_get_n_items (sheets);
  const gboolean left[] = { FALSE, FALSE };
  const gboolean numbers[] = { FALSE, TRUE };
  const gboolean sheet_columns[N_SHEET_COLUMNS] = { FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, FALSE };

  g_ptr_array_add (cells, g_strdup (_("Project:")));
  g_ptr_array_add (cells, g_strdup (dbw_project_info_get_title (info)));
  g_ptr_array_add (cells, g_strdup (_("File:")));
  g_ptr_array_add (cells, g_strdup (dbw_project_info_get_path (info)));
  g_ptr_array_add (cells, g_strdup (_("Project format:")));
  g_ptr_array_add (cells, g_strdup_printf ("%d", dbw_project_info_get_schema_version (info)));
  if (dbw_project_info_get_read_only (info))
    {
      g_ptr_array_add (cells, g_strdup (_("Access:")));
      g_ptr_array_add (cells, g_strdup (_("read-only (changes cannot be saved to it)")));
    }
  dbw_cli_append_table (out, cells, 2, left);
  g_ptr_array_set_size (cells, 0);

  g_string_append_c (out, '\n');
  g_ptr_array_add (cells, g_strdup (_("Table")));
  g_ptr_array_add (cells, g_strdup (_("Rows")));
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_ptr_array_add (cells, g_strdup (tables[i]));
      g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, dbw_project_info_get_n_rows (info, tables[i])));
    }
  dbw_cli_append_table (out, cells, 2, numbers);
  g_ptr_array_set_size (cells, 0);

  g_string_append_c (out, '\n');
  if (n_sheets == 0)
    {
      g_string_append (out, _("No sheets yet: add one with “databits import”."));
      g_string_append_c (out, '\n');
      g_print ("%s", out->str);
      return;
    }

  /* Items count once, in their newest version, then by kind (modality) under the names
   * the project file and `databits search` use. */
  g_ptr_array_add (cells, g_strdup (_("Sheet")));
  g_ptr_array_add (cells, g_strdup (_("Items")));
  for (guint m = 0; m < G_N_ELEMENTS (modalities); m++)
    g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_MODALITY, modalities[m])));
  g_ptr_array_add (cells, g_strdup (_("ID")));
  for (guint i = 0; i < n_sheets; i++)
    {
      g_autoptr(DbwSheetInfo) sheet = g_list_model_get_item (sheets, i);

      g_ptr_array_add (cells, g_strdup (dbw_sheet_info_get_name (sheet)));
      g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, dbw_sheet_info_get_n_items (sheet)));
      for (guint m = 0; m < G_N_ELEMENTS (modalities); m++)
        g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 dbw_sheet_info_get_n_items_of_modality (sheet, modalities[m])));
      g_ptr_array_add (cells, g_strdup (dbw_sheet_info_get_id (sheet)));
    }
  dbw_cli_append_table (out, cells, N_SHEET_COLUMNS, sheet_columns);

  g_print ("%s", out->str);
}

int
dbw_cli_info (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwProjectInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the figures as a JSON object"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("info",
                                 /* Translators: the arguments of `databits info` */
                                 N_("PROJECT.dbw"),
                                 N_("Show what a project holds."),
                                 N_("Prints the project’s title, the number of rows of each of its "
                                    "tables — every version of an item, deleted sheets too — and "
                                    "for each sheet the number of its items, counting the newest "
                                    "version of each, by kind: rows, text, PDF and images."),
                                 entries);
  if (!dbw_cli_parse (context, "info", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("info", _("Which project should be shown?"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("info", _("Unexpected argument “%s”"), args[1]);

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  info = dbw_project_info_collect (store, &error);
  dbw_store_close (store);
  if (info == NULL)
    return dbw_cli_fail (error);

  if (json)
    {
      g_autofree char *text = dbw_project_info_to_json (info);

      dbw_cli_write_json (text);
    }
  else
    {
      print_info (info);
    }

  return DBW_CLI_EXIT_OK;
}
