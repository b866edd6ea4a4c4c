/* dbw-cli-templates.c
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
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-cli.h"
#include "dbw-json-text.h"
#include "dbw-prompt.h"
#include "dbw-template-ops.h"

/* databits templates add|list|show|publish|archive PROJECT … — the Prompt Templates of a
 * project, as the Prompt Templates page shows them. */

/* Takes the project and, when @n_names is 1, one template id or name from @args. */
static gboolean
take_arguments (const char   *command,
                char        **args,
                guint         n_names,
                char        **name_out,
                int          *status)
{
  if (args == NULL || args[0] == NULL)
    {
      *status = dbw_cli_usage_error (command, _("Which project?"));
      return FALSE;
    }

  if (n_names == 1)
    {
      if (args[1] == NULL)
        {
          *status = dbw_cli_usage_error (command, _("Which template? Give its name or id"));
          return FALSE;
        }
      *name_out = dbw_cli_arg_to_utf8 (args[1]);
      if (*name_out == NULL)
        {
          *status = dbw_cli_usage_error (command, _("“%s” is not text"), args[1]);
          return FALSE;
        }
    }

  if (args[n_names] != NULL && args[n_names + 1] != NULL)
    {
      *status = dbw_cli_usage_error (command, _("Unexpected argument “%s”"), args[n_names + 1]);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_enum (const char  *command,
            GType        enum_type,
            const char  *option,
            const char  *arg,
            int         *value,
            int         *status)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autoptr(GString) allowed = NULL;

  *value = -1;
  if (arg == NULL)
    return TRUE;

  if (dbw_enum_from_nick (enum_type, arg, value))
    return TRUE;

  klass = g_type_class_ref (enum_type);
  allowed = g_string_new (NULL);
  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (allowed, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);

  /* Translators: --status: “done” is not one of draft, published, archived */
  *status = dbw_cli_usage_error (command, _("%s: “%s” is not one of %s"), option, arg, allowed->str);
  return FALSE;
}

static void
print_pretty_json (JsonNode *node)
{
  g_autofree char *text = dbw_json_to_pretty (node);

  dbw_cli_write_json (text);
}

/* add */

static JsonNode *
load_json_file (const char  *path,
                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gsize length = 0;
  JsonNode *node;

  if (g_str_equal (path, "-"))
    {
      GString *text = g_string_new (NULL);
      char buffer[4096];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (text, buffer, n);
      if (ferror (stdin))
        {
          g_string_free (text, TRUE);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read standard input"));
          return NULL;
        }
      length = text->len;
      contents = g_string_free (text, FALSE);
      display = g_strdup (_("standard input"));
    }
  else
    {
      if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
        return NULL;
      display = g_filename_display_name (path);
    }

  node = json_from_string (contents, &parse_error);
  if (node == NULL && parse_error != NULL && g_str_has_prefix (parse_error->message, "<data>:"))
    {
      /* json-glib says where as "<data>:LINE:COLUMN: …": name the file instead. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s:%s", display, parse_error->message + strlen ("<data>:"));
      return NULL;
    }
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: "t.json: not valid JSON: the file is empty" */
                   _("%s: not valid JSON: %s"), display,
                   parse_error != NULL ? parse_error->message : _("the file is empty"));
      return NULL;
    }

  return node;
}

static int
templates_add (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwTemplate) fields = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *display = NULL;
  g_auto(GStrv) args = NULL;
  gboolean publish = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "from", 'f', 0, G_OPTION_ARG_FILENAME, &from,
      N_("Read the template’s fields from FILE, a JSON object (“-” reads standard input)"), N_("FILE") },
    { "publish", 'p', 0, G_OPTION_ARG_NONE, &publish,
      N_("Publish it at once; nothing is added if it cannot be published"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("templates add",
                                 /* Translators: the arguments of `databits templates add` */
                                 N_("PROJECT.dbw --from FILE"),
                                 N_("Add a Prompt Template to a project."),
                                 N_("FILE is a JSON object with the fields name and label_type "
                                    "(classification, entity_extraction, qa, generation, "
                                    "summarization or object_detection), and any of description, "
                                    "system_prompt, user_prompt_template, input_schema, "
                                    "output_schema, base_model, temperature, max_tokens, examples, "
                                    "source_catalog, source_schema, source_table and source_volume — "
                                    "the output of “databits templates show --json” (without --versions) works too.\n\n"
                                    "The template is added as version 1, a draft, unless --publish "
                                    "is given. Its id is printed."),
                                 entries);
  if (!dbw_cli_parse (context, "templates add", argc, argv, &status))
    return status;

  if (!take_arguments ("templates add", args, 0, NULL, &status))
    return status;
  if (from == NULL)
    return dbw_cli_usage_error ("templates add", _("Give the template’s fields with --from FILE"));

  node = load_json_file (from, &error);
  if (node == NULL)
    return dbw_cli_fail (error);

  display = g_str_equal (from, "-") ? g_strdup (_("standard input")) : g_filename_display_name (from);

  fields = dbw_template_ops_from_json (node, &error);
  if (fields == NULL || (publish && !dbw_template_ops_validate (fields, &error)))
    {
      dbw_cli_printerr ("%s: %s", display, error->message);
      return DBW_CLI_EXIT_FAILED;
    }

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  /* Templates are found by name: a second one of the same name would make every later
   * lookup ambiguous. */
  {
    g_autoptr(GPtrArray) library = dbw_template_ops_list_library (store, NULL, -1, -1, &error);

    if (library == NULL)
      return dbw_cli_fail (error);
    for (guint i = 0; i < library->len; i++)
      if (g_strcmp0 (dbw_template_get_name (g_ptr_array_index (library, i)), dbw_template_get_name (fields)) == 0)
        {
          dbw_cli_printerr (_("%s: the project already has a template called “%s”; give this one another name"),
                            display, dbw_template_get_name (fields));
          return DBW_CLI_EXIT_FAILED;
        }
  }

  tmpl = dbw_template_ops_create (store, fields, &error);
  if (tmpl == NULL)
    {
      dbw_cli_printerr ("%s: %s", display, error->message);
      return DBW_CLI_EXIT_FAILED;
    }

  if (publish)
    {
      g_autoptr(DbwTemplate) published = dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (tmpl)), &error);

      if (published == NULL)
        return dbw_cli_fail (error);
    }

  g_print ("%s\n", dbw_record_get_id (DBW_RECORD (tmpl)));

  return DBW_CLI_EXIT_OK;
}

/* list */

static int
templates_list (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GPtrArray) library = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status_arg = NULL;
  g_autofree char *label_type_arg = NULL;
  g_autofree char *search_arg = NULL;
  g_autofree char *search = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE;
  int status_filter, label_type_filter;
  int status;
  const GOptionEntry entries[] = {
    { "status", 's', 0, G_OPTION_ARG_STRING, &status_arg,
      N_("Only templates in this status: draft, published or archived"), N_("STATUS") },
    { "label-type", 'l', 0, G_OPTION_ARG_STRING, &label_type_arg,
      N_("Only templates for this kind of task, such as classification"), N_("TYPE") },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search_arg,
      N_("Only templates with WORDS in their name or description"), N_("WORDS") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the templates as a JSON array"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("templates list",
                                 /* Translators: the arguments of `databits templates list` */
                                 N_("PROJECT.dbw"),
                                 N_("List the Prompt Templates of a project."),
                                 N_("Shows the newest version of each template, by name. With "
                                    "--status, the newest version in that status: a template whose "
                                    "newest version is a draft is listed under --status published "
                                    "with the version that is published."),
                                 entries);
  if (!dbw_cli_parse (context, "templates list", argc, argv, &status))
    return status;

  if (!take_arguments ("templates list", args, 0, NULL, &status) ||
      !parse_enum ("templates list", DBW_TYPE_TEMPLATE_STATUS, "--status", status_arg, &status_filter, &status) ||
      !parse_enum ("templates list", DBW_TYPE_LABEL_TYPE, "--label-type", label_type_arg, &label_type_filter, &status))
    return status;

  if (search_arg != NULL && (search = dbw_cli_arg_to_utf8 (search_arg)) == NULL)
    return dbw_cli_usage_error ("templates list", _("“%s” is not text"), search_arg);

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  library = dbw_template_ops_list_library (store, search, label_type_filter, status_filter, &error);
  if (library == NULL)
    return dbw_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      json_node_take_array (root, array);
      for (guint i = 0; i < library->len; i++)
        json_array_add_element (array, dbw_record_to_json (g_ptr_array_index (library, i)));
      print_pretty_json (root);
    }
  else if (library->len == 0)
    {
      dbw_cli_printerr ("%s", status_arg != NULL || label_type_arg != NULL || search != NULL
                                ? _("No templates match")
                                : _("No templates yet: add one with “databits templates add”"));
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      const gboolean right[] = { FALSE, TRUE, FALSE, FALSE, FALSE };

      g_ptr_array_add (cells, g_strdup (_("Name")));
      g_ptr_array_add (cells, g_strdup (_("Version")));
      g_ptr_array_add (cells, g_strdup (_("Status")));
      g_ptr_array_add (cells, g_strdup (_("Label type")));
      g_ptr_array_add (cells, g_strdup (_("ID")));
      for (guint i = 0; i < library->len; i++)
        {
          DbwTemplate *tmpl = g_ptr_array_index (library, i);

          g_ptr_array_add (cells, g_strdup (dbw_template_get_name (tmpl)));
          g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, dbw_template_get_version (tmpl)));
          g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_TEMPLATE_STATUS, dbw_template_get_status (tmpl))));
          g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, dbw_template_get_label_type (tmpl))));
          g_ptr_array_add (cells, g_strdup (dbw_record_get_id (DBW_RECORD (tmpl))));
        }
      dbw_cli_append_table (out, cells, 5, right);
      g_print ("%s", out->str);
    }

  return DBW_CLI_EXIT_OK;
}

/* show */

static void
append_block (GString    *out,
              const char *heading,
              const char *text)
{
  g_auto(GStrv) lines = NULL;

  g_string_append_printf (out, "\n%s\n", heading);
  if (text == NULL || text[0] == '\0')
    {
      g_string_append_printf (out, "  %s\n", _("(none)"));
      return;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        g_string_append_c (out, '\n');
      else
        g_string_append_printf (out, "  %s\n", lines[i]);
    }
}

static void
append_json_block (GString    *out,
                   const char *heading,
                   const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json != NULL ? json : "", NULL);
  g_autofree char *pretty = node != NULL ? dbw_json_to_pretty (node) : g_strdup (json);

  append_block (out, heading, pretty);
}

static void
print_template (DbwTemplate *tmpl,
                GPtrArray   *versions)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) number = g_string_new (NULL);
  g_auto(GStrv) system_variables = dbw_prompt_list_variables (dbw_template_get_system_prompt (tmpl), NULL);
  g_auto(GStrv) user_variables = dbw_prompt_list_variables (dbw_template_get_user_prompt_template (tmpl), NULL);
  g_autoptr(GPtrArray) variables = g_ptr_array_new ();
  const gboolean left[] = { FALSE, FALSE };
  const char *optional[][2] = {
    { N_("Base model:"), dbw_template_get_base_model (tmpl) },
    { N_("Source catalog:"), dbw_template_get_source_catalog (tmpl) },
    { N_("Source schema:"), dbw_template_get_source_schema (tmpl) },
    { N_("Source table:"), dbw_template_get_source_table (tmpl) },
    { N_("Source volume:"), dbw_template_get_source_volume (tmpl) },
    { N_("Created by:"), dbw_template_get_created_by (tmpl) },
  };

  g_ptr_array_add (cells, g_strdup (_("Name:")));
  g_ptr_array_add (cells, g_strdup (dbw_template_get_name (tmpl)));
  g_ptr_array_add (cells, g_strdup (_("ID:")));
  g_ptr_array_add (cells, g_strdup (dbw_record_get_id (DBW_RECORD (tmpl))));
  g_ptr_array_add (cells, g_strdup (_("Template ID:")));
  g_ptr_array_add (cells, g_strdup (dbw_template_get_template_id (tmpl)));
  g_ptr_array_add (cells, g_strdup (_("Version:")));
  g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, dbw_template_get_version (tmpl)));
  g_ptr_array_add (cells, g_strdup (_("Status:")));
  g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_TEMPLATE_STATUS, dbw_template_get_status (tmpl))));
  g_ptr_array_add (cells, g_strdup (_("Label type:")));
  g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, dbw_template_get_label_type (tmpl))));
  if (dbw_template_get_description (tmpl) != NULL && dbw_template_get_description (tmpl)[0] != '\0')
    {
      g_ptr_array_add (cells, g_strdup (_("Description:")));
      g_ptr_array_add (cells, g_strdup (dbw_template_get_description (tmpl)));
    }
  dbw_json_append_double (number, dbw_template_get_temperature (tmpl));
  g_ptr_array_add (cells, g_strdup (_("Temperature:")));
  g_ptr_array_add (cells, g_strdup (number->str));
  g_ptr_array_add (cells, g_strdup (_("Max tokens:")));
  g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, dbw_template_get_max_tokens (tmpl)));
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    if (optional[i][1] != NULL && optional[i][1][0] != '\0')
      {
        g_ptr_array_add (cells, g_strdup (_(optional[i][0])));
        g_ptr_array_add (cells, g_strdup (optional[i][1]));
      }
  g_ptr_array_add (cells, g_strdup (_("Created:")));
  g_ptr_array_add (cells, g_strdup (dbw_template_get_created_at (tmpl)));
  g_ptr_array_add (cells, g_strdup (_("Updated:")));
  g_ptr_array_add (cells, g_strdup (dbw_template_get_updated_at (tmpl)));

  /* The variables the prompts use, once each; none when a draft does not parse yet. */
  for (guint i = 0; system_variables != NULL && system_variables[i] != NULL; i++)
    g_ptr_array_add (variables, system_variables[i]);
  for (guint i = 0; user_variables != NULL && user_variables[i] != NULL; i++)
    if (system_variables == NULL || !g_strv_contains ((const char * const *) system_variables, user_variables[i]))
      g_ptr_array_add (variables, user_variables[i]);
  if (variables->len > 0)
    {
      g_ptr_array_add (variables, NULL);
      g_ptr_array_add (cells, g_strdup (_("Variables:")));
      g_ptr_array_add (cells, g_strjoinv (", ", (char **) variables->pdata));
    }

  dbw_cli_append_table (out, cells, 2, left);

  append_block (out, _("System prompt:"), dbw_template_get_system_prompt (tmpl));
  append_block (out, _("User prompt:"), dbw_template_get_user_prompt_template (tmpl));
  append_json_block (out, _("Input schema:"), dbw_template_get_input_schema (tmpl));
  append_json_block (out, _("Output schema:"), dbw_template_get_output_schema (tmpl));
  append_json_block (out, _("Examples:"), dbw_template_get_examples (tmpl));

  if (versions != NULL)
    {
      const gboolean right[] = { TRUE, FALSE, FALSE, FALSE };

      g_ptr_array_set_size (cells, 0);
      g_string_append_printf (out, "\n%s\n", _("Versions:"));
      g_ptr_array_add (cells, g_strdup (_("Version")));
      g_ptr_array_add (cells, g_strdup (_("Status")));
      g_ptr_array_add (cells, g_strdup (_("Updated")));
      g_ptr_array_add (cells, g_strdup (_("ID")));
      for (guint i = 0; i < versions->len; i++)
        {
          DbwTemplate *version = g_ptr_array_index (versions, i);

          g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, dbw_template_get_version (version)));
          g_ptr_array_add (cells, g_strdup (dbw_enum_to_nick (DBW_TYPE_TEMPLATE_STATUS, dbw_template_get_status (version))));
          g_ptr_array_add (cells, g_strdup (dbw_template_get_updated_at (version)));
          g_ptr_array_add (cells, g_strdup (dbw_record_get_id (DBW_RECORD (version))));
        }
      dbw_cli_append_table (out, cells, 4, right);
    }

  g_print ("%s", out->str);
}

static int
templates_show (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE;
  gboolean with_versions = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "versions", 'v', 0, G_OPTION_ARG_NONE, &with_versions, N_("List every version of the template too"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print the template as a JSON object (with --versions, its versions in “versions”)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("templates show",
                                 /* Translators: the arguments of `databits templates show` */
                                 N_("PROJECT.dbw ID|NAME"),
                                 N_("Show a Prompt Template."),
                                 N_("A version’s id shows that version; a template’s name or "
                                    "template id shows its newest version, draft or not."),
                                 entries);
  if (!dbw_cli_parse (context, "templates show", argc, argv, &status))
    return status;

  if (!take_arguments ("templates show", args, 1, &name, &status))
    return status;

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  tmpl = dbw_template_ops_find_newest (store, name, &error);
  if (tmpl == NULL)
    return dbw_cli_fail (error);

  if (with_versions)
    {
      versions = dbw_template_ops_list_versions (store, dbw_template_get_template_id (tmpl), &error);
      if (versions == NULL)
        return dbw_cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = dbw_record_to_json (DBW_RECORD (tmpl));

      if (versions != NULL)
        {
          JsonArray *array = json_array_new ();

          for (guint i = 0; i < versions->len; i++)
            json_array_add_element (array, dbw_record_to_json (g_ptr_array_index (versions, i)));
          json_object_set_array_member (json_node_get_object (root), "versions", array);
        }
      print_pretty_json (root);
    }
  else
    {
      print_template (tmpl, versions);
    }

  return DBW_CLI_EXIT_OK;
}

/* publish, archive */

static int
templates_change (int       argc,
                  char    **argv,
                  gboolean  publish)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwTemplate) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = NULL;
  const char *command = publish ? "templates publish" : "templates archive";
  int status;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  if (publish)
    context = dbw_cli_context_new (command,
                                   /* Translators: the arguments of `databits templates publish` */
                                   N_("PROJECT.dbw ID|NAME"),
                                   N_("Publish a Prompt Template."),
                                   N_("Publishes a version’s id, or the newest version of the "
                                      "template with that name or template id, after checking it: "
                                      "its prompts, schemas and settings. A published version never "
                                      "changes; editing it makes a new draft version. The id of the "
                                      "published version is printed."),
                                   entries);
  else
    context = dbw_cli_context_new (command,
                                   /* Translators: the arguments of `databits templates archive` */
                                   N_("PROJECT.dbw ID|NAME"),
                                   N_("Archive a published Prompt Template."),
                                   N_("Archives a version’s id, or the newest published version of "
                                      "the template with that name or template id. An archived "
                                      "version is kept, with the training sheets made with it, but "
                                      "is no longer offered for generating. The id of the archived "
                                      "version is printed."),
                                   entries);
  if (!dbw_cli_parse (context, command, argc, argv, &status))
    return status;

  if (!take_arguments (command, args, 1, &name, &status))
    return status;

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  tmpl = publish ? dbw_template_ops_find_newest (store, name, &error)
                 : dbw_template_ops_lookup (store, name, &error);
  if (tmpl == NULL)
    return dbw_cli_fail (error);

  changed = publish ? dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (tmpl)), &error)
                    : dbw_template_ops_archive (store, dbw_record_get_id (DBW_RECORD (tmpl)), &error);
  if (changed == NULL)
    return dbw_cli_fail (error);

  g_print ("%s\n", dbw_record_get_id (DBW_RECORD (changed)));

  return DBW_CLI_EXIT_OK;
}

int
dbw_cli_templates (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  int status;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  if (argc >= 2)
    {
      if (g_str_equal (argv[1], "add"))
        return templates_add (argc - 1, argv + 1);
      if (g_str_equal (argv[1], "list"))
        return templates_list (argc - 1, argv + 1);
      if (g_str_equal (argv[1], "show"))
        return templates_show (argc - 1, argv + 1);
      if (g_str_equal (argv[1], "publish"))
        return templates_change (argc - 1, argv + 1, TRUE);
      if (g_str_equal (argv[1], "archive"))
        return templates_change (argc - 1, argv + 1, FALSE);
    }

  context = dbw_cli_context_new ("templates",
                                 /* Translators: the arguments of `databits templates` */
                                 N_("COMMAND PROJECT.dbw …"),
                                 N_("Work with the Prompt Templates of a project."),
                                 N_("Commands:\n"
                                    "  add      Add a template from a JSON file\n"
                                    "  list     List the templates\n"
                                    "  show     Show a template and its versions\n"
                                    "  publish  Check and publish a template\n"
                                    "  archive  Archive a published template\n\n"
                                    "Run “databits templates COMMAND --help” to see its options."),
                                 entries);
  if (!dbw_cli_parse (context, "templates", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("templates", _("Which templates command? Use add, list, show, publish or archive"));

  return dbw_cli_usage_error ("templates", _("“%s” is not a databits templates command; use add, list, show, "
                                             "publish or archive"), args[0]);
}
