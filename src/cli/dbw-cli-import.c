/* dbw-cli-import.c
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
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "dbw-cli.h"
#include "dbw-importer.h"
#include "dbw-item.h"

/* databits import PROJECT --sheet NAME FILE|FOLDER… — the importer runs in a worker
 * thread while the main loop shows its progress and turns Ctrl+C into a cancellation,
 * which rolls the import back. */

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
  gboolean      ok;
  gboolean      progress_shown;
  guint         columns;
} ImportRun;

static const struct
{
  const char      *name;
  DbwImportFormat  format;
} formats[] = {
  { "auto", DBW_IMPORT_FORMAT_AUTO },
  { "csv", DBW_IMPORT_FORMAT_CSV },
  { "jsonl", DBW_IMPORT_FORMAT_JSONL },
  { "json", DBW_IMPORT_FORMAT_JSON },
  { "file", DBW_IMPORT_FORMAT_FILE },
};

static guint
terminal_columns (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 10)
    return size.ws_col;

  return 80;
}

static void
clear_progress (ImportRun *run)
{
  if (!run->progress_shown)
    return;

  g_printerr ("\r\033[K");
  run->progress_shown = FALSE;
}

static void
show_progress (ImportRun   *run,
               DbwImporter *importer)
{
  const char *status = dbw_importer_get_status (importer);
  g_autofree char *line = NULL;

  line = g_strdup_printf ("[%3d%%] %s", (int) (dbw_importer_get_fraction (importer) * 100.0 + 0.5),
                          status != NULL ? status : "");

  /* One line that updates in place: never wider than the terminal. */
  if ((guint) g_utf8_strlen (line, -1) >= run->columns)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, run->columns - 2);

      g_free (line);
      line = g_strconcat (cut, "…", NULL);
    }

  g_printerr ("\r%s\033[K", line);
  run->progress_shown = TRUE;
}

static void
print_problems (DbwImportReport *report)
{
  GListModel *problems = dbw_import_report_get_problems (report);
  guint n_listed = g_list_model_get_n_items (problems);
  guint64 n_problems = dbw_import_report_get_n_problems (report);

  for (guint i = 0; i < n_listed; i++)
    {
      g_autoptr(DbwImportProblem) problem = g_list_model_get_item (problems, i);

      dbw_cli_printerr ("%s", dbw_import_problem_get_reason (problem));
    }

  if (n_problems > n_listed)
    {
      g_autofree char *more = g_strdup_printf ("%" G_GUINT64_FORMAT, n_problems - n_listed);

      /* Translators: %s is a number: the problems found after the first 10000 */
      dbw_cli_printerr (_("… and %s more problems"), more);
    }
}

static void
print_summary (DbwImportReport *report,
               const char      *sheet_name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  struct
  {
    const char *label;
    guint64     value;
  } rows[] = {
    { _("Items added:"), dbw_import_report_get_n_added (report) },
    { _("New versions:"), dbw_import_report_get_n_versions (report) },
    { _("Unchanged:"), dbw_import_report_get_n_unchanged (report) },
    { _("Rejected:"), dbw_import_report_get_n_rejected (report) },
    { _("Files stored:"), dbw_import_report_get_n_blobs_added (report) },
    { _("Files already stored:"), dbw_import_report_get_n_blobs_shared (report) },
  };
  const char *sheet_label = _("Sheet:");
  guint width = (guint) g_utf8_strlen (sheet_label, -1);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    width = MAX (width, (guint) g_utf8_strlen (rows[i].label, -1));

  dbw_cli_append_padded (out, sheet_label, width + 1, FALSE);
  g_string_append_printf (out, "%s\n", sheet_name);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      dbw_cli_append_padded (out, rows[i].label, width + 1, FALSE);
      g_string_append_printf (out, "%" G_GUINT64_FORMAT "\n", rows[i].value);
    }

  g_print ("%s", out->str);
}

/* The sheet called @name, made when there is none yet (then @created is set); its id is
 * returned. */
static char *
ensure_sheet (DbwStore    *store,
              const char  *name,
              GFile       *first_source,
              gboolean    *created,
              GError     **error)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *source_path = NULL;

  sheet = dbw_cli_find_sheet (store, name, &local_error);
  if (sheet != NULL)
    return g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));

  if (!g_error_matches (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  source_path = g_file_get_path (first_source);
  sheet = dbw_sheet_new ();
  dbw_sheet_set_name (sheet, name);
  dbw_sheet_set_source_kind (sheet, DBW_SOURCE_KIND_LOCAL);
  dbw_sheet_set_source_path (sheet, source_path);
  if (!dbw_store_insert (store, sheet, error))
    return NULL;

  *created = TRUE;
  return g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
}

/* The report is written after the import has committed; a path it cannot be written to
 * would then fail a run whose items are already in the project. */
static gboolean
check_report_path (GFile   *file,
                   GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_file_get_parse_name (file);
  g_autofree char *parent_display = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       _("The report cannot be written to “%s”: it is a folder"), display);
          return FALSE;
        }
      if (!g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       _("The report cannot be written to “%s”: the file is read-only"), display);
          return FALSE;
        }
      return TRUE;
    }

  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("The report cannot be written to “%s”: %s"), display, local_error->message);
      return FALSE;
    }

  parent = g_file_get_parent (file);
  if (parent == NULL)
    return TRUE;

  parent_display = g_file_get_parse_name (parent);
  g_clear_object (&info);
  g_clear_error (&local_error);
  info = g_file_query_info (parent, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The report cannot be written to “%s”: there is no folder “%s”"), display, parent_display);
      return FALSE;
    }
  if (!g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("The report cannot be written to “%s”: the folder “%s” is read-only"), display, parent_display);
      return FALSE;
    }

  return TRUE;
}

/* An import that brought nothing does not leave the sheet it made behind. The importer
 * committed or rolled back on its own connection; this is another. */
static void
remove_new_sheet (GFile      *project,
                  const char *sheet_id)
{
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = dbw_store_open (project, DBW_STORE_OPEN_DEFAULT, &error);
  if (store != NULL && dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", sheet_id, &error) == 0)
    dbw_store_delete (store, DBW_TYPE_SHEET, sheet_id, &error);

  if (error != NULL)
    dbw_cli_printerr (_("Could not remove the empty sheet made for the import: %s"), error->message);
}

static void
on_progress_cb (DbwImporter *importer,
                GParamSpec  *pspec,
                ImportRun   *run)
{
  show_progress (run, importer);
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  ImportRun *run = user_data;

  g_cancellable_cancel (run->cancellable);

  /* The default action again: a second Ctrl+C stops at once (SQLite still rolls the
   * unfinished transaction back when the project is next opened). */
  return G_SOURCE_REMOVE;
}

static void
on_import_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ImportRun *run = user_data;

  run->ok = dbw_importer_run_finish (DBW_IMPORTER (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

int
dbw_cli_import (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwImporter) importer = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) first_source = NULL;
  g_autoptr(GFile) project = NULL;
  g_autofree char *sheet_arg = NULL;
  g_autofree char *sheet_name = NULL;
  g_autofree char *sheet_id = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *delimiter_arg = NULL;
  gunichar delimiter = 0;
  g_auto(GStrv) args = NULL;
  DbwImportFormat format = DBW_IMPORT_FORMAT_AUTO;
  DbwImportReport *report;
  gboolean keep_good = FALSE;
  gboolean found_format = FALSE;
  gboolean report_saved = TRUE;
  gboolean created_sheet = FALSE;
  ImportRun run = { 0 };
  guint interrupt_id;
  int status;
  const GOptionEntry entries[] = {
    { "sheet", 's', 0, G_OPTION_ARG_FILENAME, &sheet_arg,
      N_("The sheet that receives the items; it is created if the project has none of this name"),
      N_("NAME") },
    { "keep-good", 'k', 0, G_OPTION_ARG_NONE, &keep_good,
      N_("Import the good records even when some are rejected"), NULL },
    { "report", 'r', 0, G_OPTION_ARG_FILENAME, &report_path,
      N_("Write what was imported and every problem found to FILE, as JSON"), N_("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Read the files given as csv, jsonl, json or file (one item each) instead of guessing from their content"),
      N_("FORMAT") },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &delimiter_arg,
      N_("The character between the fields of CSV files: “,”, “;”, “|” or “tab” (guessed if not given)"),
      N_("CHAR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("import",
                                 /* Translators: the arguments of `databits import` */
                                 N_("PROJECT.dbw FILE|FOLDER…"),
                                 N_("Import files and folders into a sheet of a project."),
                                 N_("CSV, JSON Lines and JSON array files become one item per record; "
                                    "PDFs, images and text files, given one by one or in folders, "
                                    "one item each, stored in the project.\n\n"
                                    "If any record or file is rejected, nothing is imported unless "
                                    "--keep-good is given. Every problem is printed with its file and "
                                    "line. Press Ctrl+C to cancel: nothing is imported then.\n\n"
                                    "Exit status: 0 when the items were imported, 1 when nothing was "
                                    "imported, 2 on a usage error, 130 when cancelled."),
                                 entries);
  if (!dbw_cli_parse (context, "import", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("import", _("Which project should the items go into?"));
  if (args[1] == NULL)
    return dbw_cli_usage_error ("import", _("Which files or folders should be imported?"));
  if (sheet_arg == NULL)
    return dbw_cli_usage_error ("import", _("Which sheet should the items go into? Name it with --sheet"));

  sheet_name = dbw_cli_arg_to_utf8 (sheet_arg);
  if (sheet_name == NULL || g_strstrip (sheet_name)[0] == '\0')
    return dbw_cli_usage_error ("import", _("The sheet name must be text and not empty"));

  for (guint i = 0; format_name != NULL && i < G_N_ELEMENTS (formats); i++)
    {
      if (g_ascii_strcasecmp (format_name, formats[i].name) == 0)
        {
          format = formats[i].format;
          found_format = TRUE;
        }
    }
  if (format_name != NULL && !found_format)
    return dbw_cli_usage_error ("import", _("Unknown format “%s”: use csv, jsonl, json or file"), format_name);
  if (delimiter_arg != NULL)
    {
      if (g_ascii_strcasecmp (delimiter_arg, "tab") == 0 || g_str_equal (delimiter_arg, "\\t") || g_str_equal (delimiter_arg, "\t"))
        delimiter = '\t';
      else if (strlen (delimiter_arg) == 1 && g_ascii_isprint (delimiter_arg[0]) && !g_ascii_isalnum (delimiter_arg[0]) &&
               delimiter_arg[0] != '"' && delimiter_arg[0] != ' ')
        delimiter = (gunichar) delimiter_arg[0];
      else
        return dbw_cli_usage_error ("import", _("“%s” cannot separate fields: give one sign such as “,” or “;”, or “tab”"),
                                    delimiter_arg);
    }

  /* A mistyped name should not leave a new, empty sheet behind. */
  for (guint i = 1; args[i] != NULL; i++)
    {
      g_autoptr(GFile) source = g_file_new_for_commandline_arg (args[i]);

      if (g_file_query_file_type (source, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_UNKNOWN)
        {
          g_autofree char *display = g_filename_display_name (args[i]);

          dbw_cli_printerr (_("There is no file or folder “%s”"), display);
          return DBW_CLI_EXIT_FAILED;
        }
    }

  if (report_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (report_path);

      if (!check_report_path (file, &error))
        return dbw_cli_fail (error);
    }

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  first_source = g_file_new_for_commandline_arg (args[1]);
  sheet_id = ensure_sheet (store, sheet_name, first_source, &created_sheet, &error);
  if (sheet_id == NULL)
    return dbw_cli_fail (error);

  /* The importer works on a connection of its own. */
  project = g_object_ref (dbw_store_get_file (store));
  importer = dbw_importer_new (project, sheet_id);
  dbw_store_close (store);

  for (guint i = 1; args[i] != NULL; i++)
    {
      g_autoptr(GFile) source = g_file_new_for_commandline_arg (args[i]);

      dbw_importer_add_source (importer, source);
    }
  dbw_importer_set_keep_good (importer, keep_good);
  dbw_importer_set_format (importer, format);
  dbw_importer_set_csv_delimiter (importer, delimiter);
  dbw_importer_set_user (importer, g_get_user_name ());

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;

  if (isatty (STDERR_FILENO))
    {
      run.columns = terminal_columns ();
      g_signal_connect (importer, "notify::fraction", G_CALLBACK (on_progress_cb), &run);
      g_signal_connect (importer, "notify::status", G_CALLBACK (on_progress_cb), &run);
    }

  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt_cb, &run);
  dbw_importer_run_async (importer, cancellable, on_import_done_cb, &run);
  g_main_loop_run (loop);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (interrupt_id);

  g_signal_handlers_disconnect_by_data (importer, &run);
  clear_progress (&run);

  report = dbw_importer_get_report (importer);
  print_problems (report);

  if (report_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (report_path);
      g_autoptr(GError) save_error = NULL;

      if (!dbw_import_report_save (report, file, NULL, &save_error))
        {
          dbw_cli_fail (save_error);
          report_saved = FALSE;
        }
    }

  if (run.ok)
    {
      gboolean brought = dbw_import_report_get_n_added (report) > 0 ||
                         dbw_import_report_get_n_versions (report) > 0 ||
                         dbw_import_report_get_n_unchanged (report) > 0;

      print_summary (report, sheet_name);

      /* An empty folder, or --keep-good with every record rejected. */
      if (!brought)
        {
          if (dbw_import_report_get_n_problems (report) > 0)
            dbw_cli_printerr (_("Nothing was imported: every record and file was rejected"));
          else
            dbw_cli_printerr (_("Nothing was imported: no records or files were found"));
          if (created_sheet)
            remove_new_sheet (project, sheet_id);
          return DBW_CLI_EXIT_FAILED;
        }

      return report_saved ? DBW_CLI_EXIT_OK : DBW_CLI_EXIT_FAILED;
    }

  error = g_steal_pointer (&run.error);
  if (created_sheet)
    remove_new_sheet (project, sheet_id);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      dbw_cli_printerr (_("The import was cancelled; nothing was imported"));
      return DBW_CLI_EXIT_CANCELLED;
    }

  dbw_cli_fail (error);
  if (g_error_matches (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED))
    dbw_cli_printerr (_("Use --keep-good to import the good records and leave the rejected ones out"));

  return DBW_CLI_EXIT_FAILED;
}
