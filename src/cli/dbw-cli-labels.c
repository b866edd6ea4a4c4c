/* dbw-cli-labels.c
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
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "dbw-canonical-ops.h"
#include "dbw-cli.h"
#include "dbw-od-formats.h"

/* databits labels export PROJECT --sheet S --format coco|yolo|voc|jsonl [--use U] -o OUT
 * databits labels import PROJECT --sheet S --format coco|yolo|voc|labelstudio FILE
 *
 * The work runs in a thread on a connection of its own while the main loop turns Ctrl+C
 * into a cancellation: an export leaves the files it had not replaced yet as they were, an
 * import stores nothing. */

typedef enum
{
  LABELS_EXPORT,
  LABELS_IMPORT,
} LabelsAction;

typedef struct
{
  LabelsAction  action;
  GFile        *project;
  char         *sheet_id;
  gboolean      jsonl;
  DbwOdFormat   format;
  GFile        *target;    /* the export's output or the import's input */
  gboolean      to_stdout;
  char         *use;       /* what an export is for: the usage constraints decide what leaves */
  gint64        n_withheld;
  guint         n_removed; /* label files an earlier export left in the folder */
} LabelsJob;

typedef struct
{
  GMainLoop         *loop;
  GCancellable      *cancellable;
  gint64             n_written;
  gint64             n_withheld;
  guint              n_removed;
  DbwOdImportResult *imported;
  GError            *error;
} LabelsRun;

static void
labels_job_free (LabelsJob *job)
{
  g_clear_object (&job->project);
  g_clear_object (&job->target);
  g_free (job->sheet_id);
  g_free (job->use);
  g_free (job);
}

static gint64
export_jsonl (DbwStore      *store,
              LabelsJob     *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  gint64 n;

  if (job->to_stdout)
    {
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }
  else
    {
      /* written beside the old file and renamed over it at the end */
      stream = G_OUTPUT_STREAM (g_file_replace (job->target, NULL, FALSE, G_FILE_CREATE_NONE,
                                                cancellable, error));
      if (stream == NULL)
        return -1;
    }

  n = dbw_canonical_ops_export_jsonl (store, job->sheet_id, DBW_LABEL_TYPE_OBJECT_DETECTION, job->use,
                                      stream, &job->n_withheld, cancellable, error);
  if (n < 0)
    {
      /* cancelled, so the file being replaced stays as it was */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (stream, abandon, NULL);
      return -1;
    }
  if (!g_output_stream_close (stream, cancellable, error))
    return -1;
  return n;
}

static void
labels_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LabelsJob *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = dbw_store_open (job->project, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dbw_store_set_user (store, g_get_user_name ());
  dbw_cli_note_project (job->project);

  if (job->action == LABELS_IMPORT)
    {
      DbwOdImportResult *result = dbw_od_import (store, job->sheet_id, job->format, job->target,
                                                 cancellable, &error);

      dbw_store_close (store);
      if (result == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, result, (GDestroyNotify) dbw_od_import_result_free);
    }
  else
    {
      DbwOdExportCounts counts = { 0, };
      gint64 n;

      if (job->jsonl)
        {
          n = export_jsonl (store, job, cancellable, &error);
        }
      else
        {
          n = dbw_od_export_for_use (store, job->sheet_id, job->use, job->format, job->target,
                                     &counts, cancellable, &error);
          job->n_withheld = counts.n_withheld;
          job->n_removed = counts.n_removed;
        }

      dbw_store_close (store);
      if (n < 0)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_int (task, n);
    }
}

static void
on_labels_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LabelsRun *run = user_data;
  LabelsJob *job = g_task_get_task_data (G_TASK (result));

  if (job->action == LABELS_IMPORT)
    run->imported = g_task_propagate_pointer (G_TASK (result), &run->error);
  else
    {
      run->n_written = g_task_propagate_int (G_TASK (result), &run->error);
      run->n_withheld = job->n_withheld;
      run->n_removed = job->n_removed;
    }

  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  LabelsRun *run = user_data;

  g_cancellable_cancel (run->cancellable);

  /* The default action again: a second Ctrl+C stops at once. */
  return G_SOURCE_REMOVE;
}

static int
run_job (LabelsJob *job,
         LabelsRun *run)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTask) task = NULL;
  guint interrupt_id;

  run->loop = loop;
  run->cancellable = cancellable;

  task = g_task_new (NULL, cancellable, on_labels_done_cb, run);
  g_task_set_task_data (task, job, (GDestroyNotify) labels_job_free);
  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt_cb, run);
  g_task_run_in_thread (task, labels_thread);
  g_clear_object (&task);
  g_main_loop_run (loop);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (interrupt_id);

  run->loop = NULL;
  run->cancellable = NULL;

  if (g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&run->error);
      dbw_cli_printerr ("%s", _("Cancelled"));
      return DBW_CLI_EXIT_CANCELLED;
    }
  if (run->error != NULL)
    {
      int status = dbw_cli_fail (run->error);

      g_clear_error (&run->error);
      return status;
    }
  return DBW_CLI_EXIT_OK;
}

/* The sheet’s id, or %NULL after saying why not. */
static char *
find_sheet_id (const char  *project,
               const char  *sheet_name,
               GError     **error)
{
  g_autoptr(DbwStore) store = dbw_cli_open_project (project, error);
  g_autoptr(DbwSheet) sheet = NULL;
  char *id;

  if (store == NULL)
    return NULL;
  sheet = dbw_cli_find_sheet (store, sheet_name, error);
  id = sheet != NULL ? g_strdup (dbw_record_get_id (DBW_RECORD (sheet))) : NULL;
  dbw_store_close (store);
  return id;
}

static int
labels_export (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sheet_arg = NULL;
  g_autofree char *sheet_name = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *use = NULL;
  g_auto(GStrv) args = NULL;
  LabelsRun run = { 0 };
  LabelsJob *job;
  int status;
  const GOptionEntry entries[] = {
    { "sheet", 's', 0, G_OPTION_ARG_FILENAME, &sheet_arg, N_("The sheet whose labels are exported"), N_("NAME") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("coco, yolo, voc or jsonl"), N_("FORMAT") },
    { "use", 'u', 0, G_OPTION_ARG_STRING, &use,
      N_("What the labels are for: training (the default), validation, testing, evaluation or few_shot"),
      N_("USE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The file (coco, jsonl; “-” for standard output with jsonl) or folder (yolo, voc) to write"),
      N_("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("labels export",
                                 /* Translators: the arguments of `databits labels export` */
                                 N_("PROJECT.dbw --sheet NAME --format FORMAT -o OUT"),
                                 N_("Export a sheet’s object-detection labels."),
                                 N_("Writes the canonical object_detection labels of the sheet:\n"
                                    "  coco   one JSON file: images, annotations with absolute "
                                    "[x, y, width, height] boxes and polygons as segmentation, "
                                    "categories\n"
                                    "  yolo   a folder with one .txt per image (class, centre, width "
                                    "and height as fractions of the image) and classes.txt\n"
                                    "  voc    a folder with one Pascal VOC .xml per image\n"
                                    "  jsonl  one JSON object per label, with its version and its "
                                    "usage constraints\n\n"
                                    "Only the labels whose usage constraints allow the use "
                                    "(--use, training by default) are written; how many were "
                                    "withheld is said on standard error.\n\n"
                                    "YOLO and VOC keep the box of a polygon. Images without a size in "
                                    "their label are measured from the item’s image. Files are "
                                    "replaced whole, never left half written.\n\n"
                                    "Exit status: 0 on success, 1 on failure, 2 on a usage error, "
                                    "130 when cancelled."),
                                 entries);
  if (!dbw_cli_parse (context, "labels export", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("labels export", _("Which project’s labels should be exported?"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("labels export", _("Unexpected argument “%s”"), args[1]);
  if (sheet_arg == NULL || (sheet_name = dbw_cli_arg_to_utf8 (sheet_arg)) == NULL)
    return dbw_cli_usage_error ("labels export", _("Which sheet? Give its name with --sheet"));
  if (format_name == NULL)
    return dbw_cli_usage_error ("labels export", _("Which format? Give --format coco, yolo, voc or jsonl"));
  if (output == NULL)
    return dbw_cli_usage_error ("labels export", _("Where to? Give the file or folder with -o"));
  if (use != NULL && !dbw_use_is_valid (use))
    return dbw_cli_usage_error ("labels export",
                                _("Unknown use “%s”: use training, validation, testing, evaluation or few_shot"), use);

  job = g_new0 (LabelsJob, 1);
  job->action = LABELS_EXPORT;
  job->use = g_strdup (use != NULL ? use : DBW_USE_TRAINING);
  if (g_ascii_strcasecmp (format_name, "jsonl") == 0)
    job->jsonl = TRUE;
  else if (!dbw_od_format_from_string (format_name, &job->format) || job->format == DBW_OD_FORMAT_LABEL_STUDIO)
    {
      labels_job_free (job);
      return dbw_cli_usage_error ("labels export", _("Unknown format “%s”: use coco, yolo, voc or jsonl"),
                                  format_name);
    }
  if (g_str_equal (output, "-"))
    {
      if (!job->jsonl)
        {
          labels_job_free (job);
          return dbw_cli_usage_error ("labels export", _("Only jsonl can be written to standard output"));
        }
      job->to_stdout = TRUE;
    }
  else
    job->target = g_file_new_for_commandline_arg (output);

  job->sheet_id = find_sheet_id (args[0], sheet_name, &error);
  if (job->sheet_id == NULL)
    {
      labels_job_free (job);
      return dbw_cli_fail (error);
    }
  job->project = g_file_new_for_commandline_arg (args[0]);

  status = run_job (job, &run);
  if (status != DBW_CLI_EXIT_OK)
    return status;

  if (run.n_withheld > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%" G_GINT64_FORMAT " label withheld: its usage constraints do not allow %s\n",
                             "%" G_GINT64_FORMAT " labels withheld: their usage constraints do not allow %s\n",
                             run.n_withheld),
                run.n_withheld, use != NULL ? use : DBW_USE_TRAINING);
  if (run.n_removed > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "Removed %u label file an earlier export left in the folder\n",
                             "Removed %u label files an earlier export left in the folder\n",
                             run.n_removed),
                run.n_removed);

  /* standard output holds the labels themselves */
  if (!g_str_equal (output, "-"))
    {
      g_autofree char *display = g_filename_display_name (output);

      if (g_ascii_strcasecmp (format_name, "jsonl") == 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "Wrote %" G_GINT64_FORMAT " label to %s\n",
                              "Wrote %" G_GINT64_FORMAT " labels to %s\n", run.n_written),
                 run.n_written, display);
      else
        g_print (g_dngettext (GETTEXT_PACKAGE, "Wrote the labels of %" G_GINT64_FORMAT " image to %s\n",
                              "Wrote the labels of %" G_GINT64_FORMAT " images to %s\n", run.n_written),
                 run.n_written, display);
    }
  return DBW_CLI_EXIT_OK;
}

static int
labels_import (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) input = NULL;
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autofree char *sheet_arg = NULL;
  g_autofree char *sheet_name = NULL;
  g_autofree char *format_name = NULL;
  g_auto(GStrv) args = NULL;
  LabelsRun run = { 0 };
  LabelsJob *job;
  DbwOdFormat format;
  guint n_unmatched;
  int status;
  const GOptionEntry entries[] = {
    { "sheet", 's', 0, G_OPTION_ARG_FILENAME, &sheet_arg, N_("The sheet whose items the labels are for"), N_("NAME") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("coco, yolo, voc or labelstudio"), N_("FORMAT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("labels import",
                                 /* Translators: the arguments of `databits labels import` */
                                 N_("PROJECT.dbw --sheet NAME --format FORMAT FILE|FOLDER"),
                                 N_("Import boxes and polygons from other tools as label suggestions."),
                                 N_("Reads object-detection labels made elsewhere:\n"
                                    "  coco         a COCO JSON file\n"
                                    "  yolo         a folder of YOLO .txt files with its classes.txt\n"
                                    "  voc          a folder of Pascal VOC .xml files\n"
                                    "  labelstudio  a Label Studio JSON export (rectangles and polygons)\n\n"
                                    "Images are matched to the sheet’s items by file name, with or "
                                    "without the extension; the ones no item matches are listed. The "
                                    "shapes become suggestions in the Canonical Labeling Tool, to "
                                    "accept or correct there: they are not labels and no export "
                                    "includes them. Importing the same format again replaces its "
                                    "earlier suggestions.\n\n"
                                    "Exit status: 0 on success, 1 on failure (nothing is stored), "
                                    "2 on a usage error, 130 when cancelled."),
                                 entries);
  if (!dbw_cli_parse (context, "labels import", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("labels import", _("Which project should receive the labels?"));
  if (args[1] == NULL)
    return dbw_cli_usage_error ("labels import", _("Which file or folder should be imported?"));
  if (args[2] != NULL)
    return dbw_cli_usage_error ("labels import", _("Unexpected argument “%s”"), args[2]);
  if (sheet_arg == NULL || (sheet_name = dbw_cli_arg_to_utf8 (sheet_arg)) == NULL)
    return dbw_cli_usage_error ("labels import", _("Which sheet? Give its name with --sheet"));
  if (format_name == NULL)
    return dbw_cli_usage_error ("labels import", _("Which format? Give --format coco, yolo, voc or labelstudio"));
  if (!dbw_od_format_from_string (format_name, &format))
    return dbw_cli_usage_error ("labels import", _("Unknown format “%s”: use coco, yolo, voc or labelstudio"),
                                format_name);

  input = g_file_new_for_commandline_arg (args[1]);
  if (g_file_query_file_type (input, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_UNKNOWN)
    {
      g_autofree char *display = g_filename_display_name (args[1]);

      dbw_cli_printerr (_("There is no file or folder “%s”"), display);
      return DBW_CLI_EXIT_FAILED;
    }

  job = g_new0 (LabelsJob, 1);
  job->action = LABELS_IMPORT;
  job->format = format;
  job->target = g_object_ref (input);
  job->sheet_id = find_sheet_id (args[0], sheet_name, &error);
  if (job->sheet_id == NULL)
    {
      labels_job_free (job);
      return dbw_cli_fail (error);
    }
  job->project = g_file_new_for_commandline_arg (args[0]);

  status = run_job (job, &run);
  if (status != DBW_CLI_EXIT_OK)
    return status;
  result = g_steal_pointer (&run.imported);

  n_unmatched = result->unmatched != NULL ? g_strv_length (result->unmatched) : 0;
  for (guint i = 0; i < n_unmatched; i++)
    /* Translators: %s is an image name from the imported file */
    dbw_cli_printerr (_("No item of the sheet matches “%s”"), result->unmatched[i]);

  g_print (g_dngettext (GETTEXT_PACKAGE, "Suggested %" G_GINT64_FORMAT " shape ",
                        "Suggested %" G_GINT64_FORMAT " shapes ", result->n_shapes),
           result->n_shapes);
  g_print (g_dngettext (GETTEXT_PACKAGE, "for %" G_GINT64_FORMAT " item of %s\n",
                        "for %" G_GINT64_FORMAT " items of %s\n", result->n_images),
           result->n_images, sheet_name);
  if (n_unmatched > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u image matched no item\n",
                          "%u images matched no item\n", n_unmatched),
             n_unmatched);

  return DBW_CLI_EXIT_OK;
}

int
dbw_cli_labels (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  int status;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return labels_export (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return labels_import (argc - 1, argv + 1);

  context = dbw_cli_context_new ("labels",
                                 /* Translators: the arguments of `databits labels` */
                                 N_("export|import PROJECT.dbw …"),
                                 N_("Exchange object-detection labels with other tools."),
                                 N_("Commands:\n"
                                    "  export  Write a sheet’s labels as COCO, YOLO, Pascal VOC or JSON Lines\n"
                                    "  import  Read COCO, YOLO, Pascal VOC or Label Studio labels as suggestions\n\n"
                                    "Run “databits labels export --help” or “databits labels import "
                                    "--help” to see their options."),
                                 entries);
  if (!dbw_cli_parse (context, "labels", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("labels", _("Which labels command? Use “export” or “import”"));

  return dbw_cli_usage_error ("labels", _("“%s” is not a databits labels command; use “export” or “import”"),
                              args[0]);
}
