/* dbw-cli-search.c
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

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-cli.h"
#include "dbw-item.h"
#include "dbw-json-text.h"
#include "dbw-search.h"

/* databits search PROJECT QUERY… [--sheet NAME] [--limit N] [--json] */

#define DEFAULT_LIMIT     20
#define EXCERPT_LENGTH    60

/* Text on one line: every run of white space becomes one space. */
static void
append_one_line (GString    *out,
                 const char *text)
{
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = TRUE;
          continue;
        }

      if (space && out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
}

/* "site: Hot lab, note: fine" from the fields of a row; the start of the text of a PDF
 * or a text file. */
static char *
make_excerpt (DbwItem *item)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *text = dbw_item_get_text_content (item);
  DbwModality modality = dbw_item_get_modality (item);

  if ((modality == DBW_MODALITY_PDF || modality == DBW_MODALITY_TEXT) && text != NULL && text[0] != '\0')
    {
      append_one_line (out, text);
    }
  else
    {
      /* Numbers as written: json-glib would show 0.100 as 0.1. */
      g_autoptr(GArray) fields = dbw_json_object_members (dbw_item_get_fields (item), -1);

      if (fields == NULL)
        return g_strdup ("");

      for (guint i = 0; i < fields->len; i++)
        {
          const DbwJsonMember *field = &g_array_index (fields, DbwJsonMember, i);

          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append_printf (out, "%s: ", field->name);
          append_one_line (out, field->text);
        }
    }

  if (g_utf8_strlen (out->str, -1) > EXCERPT_LENGTH)
    {
      g_autofree char *cut = g_utf8_substring (out->str, 0, EXCERPT_LENGTH - 1);

      return g_strconcat (g_strchomp (cut), "…", NULL);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_items (GPtrArray  *items,
             GHashTable *sheet_names)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  const gboolean right[] = { FALSE, FALSE, FALSE, FALSE };

  for (guint i = 0; i < items->len; i++)
    {
      DbwItem *item = g_ptr_array_index (items, i);
      const char *sheet = g_hash_table_lookup (sheet_names, dbw_item_get_sheet_id (item));

      g_ptr_array_add (cells, g_strdup (sheet != NULL ? sheet : dbw_item_get_sheet_id (item)));
      g_ptr_array_add (cells, g_strdup (dbw_item_get_item_ref (item)));
      g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_MODALITY, dbw_item_get_modality (item))));
      g_ptr_array_add (cells, make_excerpt (item));
    }

  dbw_cli_append_table (out, cells, 4, right);
  g_print ("%s", out->str);
}

/* Each item on a line of its own, its fields as the project holds them: read into
 * json-glib and written out again, a number such as 0.1 or 1e5 would change, and one
 * beyond 64 bits would be lost. */
static void
print_items_json (GPtrArray  *items,
                  GHashTable *sheet_names)
{
  g_autoptr(GString) out = g_string_new ("[");

  for (guint i = 0; i < items->len; i++)
    {
      DbwItem *item = g_ptr_array_index (items, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) object = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, dbw_record_get_id (DBW_RECORD (item)));
      json_builder_set_member_name (builder, "sheet_id");
      json_builder_add_string_value (builder, dbw_item_get_sheet_id (item));
      json_builder_set_member_name (builder, "sheet");
      json_builder_add_string_value (builder, g_hash_table_lookup (sheet_names, dbw_item_get_sheet_id (item)));
      json_builder_set_member_name (builder, "item_ref");
      json_builder_add_string_value (builder, dbw_item_get_item_ref (item));
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, dbw_item_get_version (item));
      json_builder_set_member_name (builder, "modality");
      json_builder_add_string_value (builder, dbw_enum_to_nick (DBW_TYPE_MODALITY, dbw_item_get_modality (item)));
      json_builder_set_member_name (builder, "content_type");
      if (dbw_item_get_content_type (item) != NULL)
        json_builder_add_string_value (builder, dbw_item_get_content_type (item));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      object = json_builder_get_root (builder);
      text = dbw_json_to_compact (object);

      /* The project only holds fields that are a JSON object (a CHECK constraint). */
      g_string_append (out, i > 0 ? ",\n  " : "\n  ");
      g_string_append_len (out, text, strlen (text) - 1);
      g_string_append (out, ",\"fields\":");
      g_string_append (out, dbw_item_get_fields (item));
      g_string_append_c (out, '}');
    }
  g_string_append (out, items->len > 0 ? "\n]" : "]");

  dbw_cli_write_json (out->str);
}

int
dbw_cli_search (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) sheet_names = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *sheet_arg = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE;
  int limit = DEFAULT_LIMIT;
  int status;
  const GOptionEntry entries[] = {
    { "sheet", 's', 0, G_OPTION_ARG_FILENAME, &sheet_arg, N_("Search only the sheet called NAME"), N_("NAME") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N items, best first (20 if not given; 0 for all)"),
      N_("N") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the items as a JSON array"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("search",
                                 /* Translators: the arguments of `databits search` */
                                 N_("PROJECT.dbw WORDS…"),
                                 N_("Find items by the words in them."),
                                 N_("Searches the fields of every item and the text of PDFs and "
                                    "text files, in the newest version of each item. An item "
                                    "matches when it has all the words, in any case and with or "
                                    "without accents; the last word may be the start of a word. "
                                    "Put words in double quotes to find them as a phrase.\n\n"
                                    "Each item is printed on one line: its sheet, its reference, "
                                    "its kind and the start of its content."),
                                 entries);
  if (!dbw_cli_parse (context, "search", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("search", _("Which project should be searched?"));
  if (limit < 0)
    return dbw_cli_usage_error ("search", _("The limit must be 0 or more"));

  for (guint i = 1; args[i] != NULL; i++)
    {
      g_autofree char *word = dbw_cli_arg_to_utf8 (args[i]);

      if (word == NULL)
        return dbw_cli_usage_error ("search", _("“%s” is not text"), args[i]);
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append (query, word);
    }
  if (g_strstrip (query->str)[0] == '\0')
    return dbw_cli_usage_error ("search", _("What should be searched for?"));

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  if (sheet_arg != NULL)
    {
      g_autofree char *sheet_name = dbw_cli_arg_to_utf8 (sheet_arg);

      if (sheet_name == NULL)
        return dbw_cli_usage_error ("search", _("The sheet name must be text"));

      sheet = dbw_cli_find_sheet (store, sheet_name, &error);
      if (sheet == NULL)
        return dbw_cli_fail (error);
    }

  sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, &error);
  if (sheets == NULL)
    return dbw_cli_fail (error);

  sheet_names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sheets->len; i++)
    {
      DbwSheet *s = g_ptr_array_index (sheets, i);

      g_hash_table_insert (sheet_names, (gpointer) dbw_record_get_id (DBW_RECORD (s)),
                           (gpointer) dbw_sheet_get_name (s));
    }

  items = dbw_search_items (store, query->str,
                            sheet != NULL ? dbw_record_get_id (DBW_RECORD (sheet)) : NULL,
                            (guint) limit, &error);
  if (items == NULL)
    return dbw_cli_fail (error);

  if (json)
    print_items_json (items, sheet_names);
  else if (items->len > 0)
    print_items (items, sheet_names);
  else
    dbw_cli_printerr (_("No items match “%s”"), query->str);

  return DBW_CLI_EXIT_OK;
}
