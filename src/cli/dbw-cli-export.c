/* dbw-cli-export.c
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
#include "dbw-export.h"
#include "dbw-training-sheet.h"

/* databits export PROJECT --training-sheet T [--training-sheet T2] [--use U] [--format F]
 *                 [--val-fraction F --seed N] [--stratify] -o DIR
 *
 * The export runs in a worker while the main loop turns Ctrl+C into a cancellation, which
 * leaves the folder and the project as they were. */

typedef struct
{
  GMainLoop        *loop;
  GCancellable     *cancellable;
  DbwExportResult  *result;
  DbwExportSummary *summary;
  GError           *error;
} ExportRun;

static void
on_write_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ExportRun *run = user_data;

  run->result = dbw_export_write_finish (DBW_EXPORT (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
on_summary_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ExportRun *run = user_data;

  run->summary = dbw_export_summarize_finish (DBW_EXPORT (object), result, NULL);
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  ExportRun *run = user_data;

  g_cancellable_cancel (run->cancellable);

  /* The default action again: a second Ctrl+C stops at once. */
  return G_SOURCE_REMOVE;
}

/* A training sheet named by id, or else by name (one only). */
static char *
find_training_sheet (DbwStore    *store,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(DbwTrainingSheet) by_id = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET, name, NULL);
  g_autoptr(GPtrArray) named = NULL;
  g_autofree char *basename = NULL;

  if (by_id != NULL)
    return g_strdup (dbw_record_get_id (DBW_RECORD (by_id)));

  named = dbw_store_list (store, DBW_TYPE_TRAINING_SHEET, "name", name, error);
  if (named == NULL)
    return NULL;
  if (named->len == 1)
    return g_strdup (dbw_record_get_id (g_ptr_array_index (named, 0)));

  basename = g_file_get_basename (dbw_store_get_file (store));
  if (named->len == 0)
    g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                 /* Translators: There is no training sheet “Climate” in survey.dbw */
                 _("There is no training sheet “%s” in %s"), name, basename);
  else
    g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                 _("%u training sheets are called “%s” in %s: give the id of one"),
                 named->len, name, basename);
  return NULL;
}

static void
print_files (DbwExportResult *result,
             GFile           *directory)
{
  g_autofree char *display = g_file_get_parse_name (directory);

  g_print (g_dngettext (GETTEXT_PACKAGE, "Wrote %u file to %s:\n", "Wrote %u files to %s:\n",
                        result->files->len),
           result->files->len, display);
  for (guint i = 0; i < result->files->len; i++)
    {
      g_autofree char *relative = g_file_get_relative_path (directory, g_ptr_array_index (result->files, i));

      g_print ("  %s\n", relative != NULL ? relative : "");
    }
  g_print (_("Export %s is recorded in the project\n"), result->export_id);
}

/* Files an earlier export left in @directory that this one did not write: a trainer
 * that reads every .jsonl there would take them too. They are the user's; named, not
 * removed. */
static void
warn_stale_files (DbwExportResult *result,
                  GFile           *directory)
{
  static const char * const names[] = {
    "data.jsonl", "train.jsonl", "val.jsonl", "data.csv", "train.csv", "val.csv", "data", "train", "val",
  };
  g_autofree char *display = g_file_get_parse_name (directory);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (directory, names[i]);
      gboolean written = FALSE;

      if (!g_file_query_exists (file, NULL))
        continue;
      for (guint j = 0; j < result->files->len && !written; j++)
        {
          GFile *made = g_ptr_array_index (result->files, j);

          written = g_file_equal (made, file) || g_file_has_prefix (made, file);
        }
      if (!written)
        dbw_cli_printerr (_("%s also holds “%s” from an earlier export; it is not part of this one"),
                          display, names[i]);
    }
}

int
dbw_cli_export (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwExportOptions) options = dbw_export_options_new ();
  g_autoptr(DbwExport) export = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_auto(GStrv) sheet_args = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *use = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  double val_fraction = 0;
  gint64 seed = 0;
  gboolean stratify = FALSE;
  ExportRun run = { 0 };
  guint interrupt_id;
  int status;
  const GOptionEntry entries[] = {
    { "training-sheet", 't', 0, G_OPTION_ARG_FILENAME_ARRAY, &sheet_args,
      N_("A training sheet to export, by name or id; give it again for more"), N_("NAME") },
    { "use", 'u', 0, G_OPTION_ARG_STRING, &use,
      N_("training (default), validation, evaluation, few_shot or testing"), N_("USE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("jsonl (default), csv, coco, yolo or voc"),
      N_("FORMAT") },
    { "val-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &val_fraction,
      N_("The share of pairs for validation, between 0 and 1 (default 0: no split)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The seed of the split (default 0)"), N_("N") },
    { "stratify", 0, 0, G_OPTION_ARG_NONE, &stratify, N_("Keep each label’s share on both sides of the split"),
      NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The folder to write"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("export",
                                 /* Translators: the arguments of `databits export` */
                                 N_("PROJECT.dbw --training-sheet NAME … -o DIR"),
                                 N_("Export training sheets as governed training data."),
                                 N_("Writes the Q&A pairs that may be used for the chosen use: labeled, "
                                    "the use among their allowed uses and not among their prohibited "
                                    "ones. First prints how many pairs there are, how many are "
                                    "exported and how many each rule excludes, with the reasons given "
                                    "for the constraints.\n\n"
                                    "Formats:\n"
                                    "  jsonl  one {\"messages\": […]} per line, for Databricks and "
                                    "OpenAI-compatible fine-tuning\n"
                                    "  csv    id, item_ref, system, user, assistant\n"
                                    "  coco, yolo, voc  object-detection sets, for image sheets\n\n"
                                    "Files: data.jsonl (or data.csv, data/) without a split; "
                                    "train.jsonl and val.jsonl (train/ and val/) with "
                                    "--val-fraction; and manifest.json, the export as recorded in "
                                    "the project: pair ids, counts, split, template versions and "
                                    "file hashes. Pairs of one item are never on both sides of a "
                                    "split, and the same seed gives the same split. Files are "
                                    "written whole or not at all.\n\n"
                                    "Exit status: 0 on success, 1 on failure (nothing is written), "
                                    "2 on a usage error, 130 when cancelled."),
                                 entries);
  if (!dbw_cli_parse (context, "export", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("export", _("Which project should be exported?"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("export", _("Unexpected argument “%s”"), args[1]);
  if (sheet_args == NULL || sheet_args[0] == NULL)
    return dbw_cli_usage_error ("export", _("Which training sheet? Give its name with --training-sheet"));
  if (output == NULL)
    return dbw_cli_usage_error ("export", _("Where to? Give the folder with -o"));
  if (use != NULL && !dbw_use_is_valid (use))
    return dbw_cli_usage_error ("export", _("Unknown use “%s”: use training, validation, evaluation, "
                                            "few_shot or testing"), use);
  if (format_name != NULL && !dbw_export_format_from_string (format_name, &options->format))
    return dbw_cli_usage_error ("export", _("Unknown format “%s”: use jsonl, csv, coco, yolo or voc"),
                                format_name);
  if (!(val_fraction == 0 || (val_fraction > 0 && val_fraction < 1)))
    return dbw_cli_usage_error ("export", _("--val-fraction must be between 0 and 1, not %g"), val_fraction);
  if (seed < 0)
    return dbw_cli_usage_error ("export", _("--seed must not be negative"));
  if (val_fraction > 0 && use != NULL && !g_str_equal (use, DBW_USE_TRAINING))
    return dbw_cli_usage_error ("export", _("--val-fraction splits training data; pairs exported for %s are not split"), use);

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);
  dbw_store_set_user (store, g_get_user_name ());

  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; sheet_args[i] != NULL; i++)
    {
      g_autofree char *name = dbw_cli_arg_to_utf8 (sheet_args[i]);
      char *id;

      if (name == NULL)
        return dbw_cli_usage_error ("export", _("A training sheet name is not valid text"));
      if (!(id = find_training_sheet (store, name, &error)))
        return dbw_cli_fail (error);
      /* Named twice, by name or by id, it is still exported once. */
      if (g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_free (id);
      else
        g_ptr_array_add (ids, id);
    }
  g_ptr_array_add (ids, NULL);

  options->training_sheet_ids = (char **) g_ptr_array_steal (ids, NULL);
  if (use != NULL)
    {
      g_free (options->use);
      options->use = g_steal_pointer (&use);
    }
  options->val_fraction = val_fraction;
  options->seed = (guint64) seed;
  options->stratify = stratify;

  directory = g_file_new_for_commandline_arg (output);
  export = dbw_export_new (store, options);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;

  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt_cb, &run);
  dbw_export_write_async (export, directory, cancellable, on_write_done_cb, &run);
  g_main_loop_run (loop);

  /* nothing to write still deserves the numbers that say why */
  if (g_error_matches (run.error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_EMPTY))
    {
      dbw_export_summarize_async (export, cancellable, on_summary_done_cb, &run);
      g_main_loop_run (loop);
    }
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (interrupt_id);

  if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&run.error);
      g_clear_pointer (&run.summary, dbw_export_summary_free);
      dbw_cli_printerr ("%s", _("Cancelled"));
      return DBW_CLI_EXIT_CANCELLED;
    }
  if (run.error != NULL)
    {
      if (run.summary != NULL)
        {
          text = dbw_export_summary_to_text (run.summary);
          g_print ("%s", text);
          g_clear_pointer (&run.summary, dbw_export_summary_free);
        }
      status = dbw_cli_fail (run.error);
      g_clear_error (&run.error);
      return status;
    }

  text = dbw_export_summary_to_text (run.result->summary);
  g_print ("%s", text);
  print_files (run.result, directory);
  warn_stale_files (run.result, directory);
  dbw_export_result_free (run.result);

  return DBW_CLI_EXIT_OK;
}
