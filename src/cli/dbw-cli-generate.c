/* dbw-cli-generate.c
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
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "dbw-cli.h"
#include "dbw-generation-run.h"
#include "dbw-http.h"
#include "dbw-prompt.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-sync-service.h"
#include "dbw-template-ops.h"
#include "dbw-training-sheet.h"

/* databits generate PROJECT --sheet S --template T [--mode M] [--column C] [--endpoint URL]
 *   [--model NAME] [--concurrency N] [--remote …] [--json]
 * databits generate PROJECT --resume JOB […]
 * databits generate PROJECT --list */

typedef struct
{
  GMainLoop        *loop;
  GCancellable     *cancellable;
  gboolean          ok;
  GError           *error;

  /* The progress line, on a terminal only. */
  gboolean          progress;
  gboolean          progress_shown;
  guint             columns;
  gint64            started;
  guint             done_at_start;
} GenerateRun;

typedef struct
{
  DbwLlmClient *client;
  GError       *error;
  gboolean      done;
} ClientLookup;

static guint
terminal_columns (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 10)
    return size.ws_col;

  return 80;
}

static void
clear_progress (GenerateRun *run)
{
  if (!run->progress_shown)
    return;

  g_printerr ("\r\033[K");
  run->progress_shown = FALSE;
}

static char *
format_duration (double seconds)
{
  guint64 s = (guint64) (seconds + 0.5);

  if (s >= 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600, (guint) (s / 60 % 60), (guint) (s % 60));

  return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

static void
on_progress_cb (DbwGenerationRun *gen,
                GParamSpec       *pspec,
                GenerateRun      *run)
{
  guint done = dbw_generation_run_get_n_done (gen);
  guint total = dbw_generation_run_get_n_total (gen);
  double elapsed = (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC;
  double eta = dbw_generation_run_get_eta (gen);
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "[%3d%%] %u/%u", (int) (dbw_generation_run_get_progress (gen) * 100.0), done, total);
  if (elapsed >= 1.0 && done > run->done_at_start)
    /* Translators: a rate, as in "12.5 items/s" */
    g_string_append_printf (line, _("  %.1f items/s"), (done - run->done_at_start) / elapsed);
  if (eta >= 0)
    {
      g_autofree char *left = format_duration (eta);

      /* Translators: the time left, as in "ETA 1:05" */
      g_string_append_printf (line, _("  ETA %s"), left);
    }
  if (dbw_generation_run_get_state (gen) == DBW_GENERATION_STATE_PAUSED)
    g_string_append_printf (line, "  %s", _("paused"));

  if ((guint) g_utf8_strlen (line->str, -1) >= run->columns)
    {
      g_autofree char *cut = g_utf8_substring (line->str, 0, run->columns - 2);

      g_string_assign (line, cut);
      g_string_append (line, "…");
    }

  g_printerr ("\r%s\033[K", line->str);
  run->progress_shown = TRUE;
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  GenerateRun *run = user_data;

  g_cancellable_cancel (run->cancellable);

  /* A second Ctrl+C stops at once; the pairs already committed stay. */
  return G_SOURCE_REMOVE;
}

static void
on_run_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GenerateRun *run = user_data;

  run->ok = dbw_generation_run_run_finish (DBW_GENERATION_RUN (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClientLookup *lookup = user_data;

  lookup->client = dbw_llm_client_new_for_url_finish (result, &lookup->error);
  lookup->done = TRUE;
}

/* A client for @url with its token: DBW_LLM_TOKEN, else the keyring's. */
static DbwLlmClient *
make_client (const char  *url,
             GError     **error)
{
  ClientLookup lookup = { NULL, NULL, FALSE };

  dbw_llm_client_new_for_url_async (url, NULL, on_client_cb, &lookup);
  while (!lookup.done)
    g_main_context_iteration (NULL, TRUE);

  if (lookup.client == NULL && lookup.error != NULL &&
      !g_error_matches (lookup.error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL))
    {
      /* No keyring (a server, a container): a local model server needs no token. */
      dbw_cli_printerr (_("%s; going on without a token (set DBW_LLM_TOKEN to give one)"), lookup.error->message);
      g_clear_error (&lookup.error);
      return dbw_llm_client_new (url, NULL);
    }
  if (lookup.client == NULL)
    g_propagate_error (error, lookup.error);

  return lookup.client;
}

/* A key of the application's settings, when they are installed. */
static char *
preference (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *value = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)) == NULL ||
      !g_settings_schema_has_key (schema, key))
    return NULL;

  settings = g_settings_new (APP_ID);
  value = g_settings_get_string (settings, key);
  g_strstrip (value);

  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}

static char *
find_sheet_id (DbwStore    *store,
               const char  *id_or_name,
               GError     **error)
{
  g_autoptr(DbwSheet) sheet = dbw_store_get (store, DBW_TYPE_SHEET, id_or_name, NULL);

  if (sheet == NULL || dbw_sheet_get_deleted_at (sheet) != NULL)
    {
      g_clear_object (&sheet);
      sheet = dbw_cli_find_sheet (store, id_or_name, error);
    }
  if (sheet == NULL)
    return NULL;

  return g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
}

static gboolean
parse_mode (const char      *text,
            DbwLabelingMode *mode,
            int             *status)
{
  int value;

  if (text == NULL)
    {
      *mode = DBW_LABELING_MODE_AI_GENERATED;
      return TRUE;
    }

  if (!dbw_enum_from_nick (DBW_TYPE_LABELING_MODE, text, &value) || value == DBW_LABELING_MODE_CANONICAL)
    {
      *status = dbw_cli_usage_error ("generate", _("“%s” is not a mode: use ai_generated, manual or existing_column"), text);
      return FALSE;
    }

  *mode = value;
  return TRUE;
}

static int
list_unfinished (DbwStore *store,
                 gboolean  as_json)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = dbw_generation_run_list_unfinished (store, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  static const gboolean right[] = { FALSE, FALSE, TRUE, FALSE };

  if (ids == NULL)
    return dbw_cli_fail (error);

  json_builder_begin_array (builder);
  g_ptr_array_add (cells, g_strdup (_("Job")));
  g_ptr_array_add (cells, g_strdup (_("State")));
  g_ptr_array_add (cells, g_strdup (_("Done")));
  g_ptr_array_add (cells, g_strdup (_("Training sheet")));

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(DbwGenerationRun) gen = dbw_generation_run_open (store, ids[i], &error);
      g_autoptr(DbwTrainingSheet) training_sheet = NULL;
      const char *state;

      if (gen == NULL)
        {
          /* A job whose template is gone, say: listed, not resumable. */
          g_clear_error (&error);
          continue;
        }
      training_sheet = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET, dbw_generation_run_get_training_sheet_id (gen), NULL);
      state = dbw_enum_to_nick (DBW_TYPE_GENERATION_STATE, dbw_generation_run_get_state (gen));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "job");
      json_builder_add_string_value (builder, ids[i]);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state);
      json_builder_set_member_name (builder, "done");
      json_builder_add_int_value (builder, dbw_generation_run_get_n_done (gen));
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, dbw_generation_run_get_n_total (gen));
      json_builder_set_member_name (builder, "training_sheet");
      json_builder_add_string_value (builder, training_sheet != NULL ? dbw_training_sheet_get_name (training_sheet) : "");
      json_builder_end_object (builder);

      g_ptr_array_add (cells, g_strdup (ids[i]));
      g_ptr_array_add (cells, g_strdup (state));
      g_ptr_array_add (cells, g_strdup_printf ("%u/%u", dbw_generation_run_get_n_done (gen), dbw_generation_run_get_n_total (gen)));
      g_ptr_array_add (cells, g_strdup (training_sheet != NULL ? dbw_training_sheet_get_name (training_sheet) : ""));
    }
  json_builder_end_array (builder);

  if (as_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      dbw_cli_write_json (text);
    }
  else if (cells->len > 4)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      dbw_cli_append_table (out, cells, 4, right);
      g_print ("%s", out->str);
    }
  else
    {
      /* Said on stderr, so that a script reading the table reads nothing. */
      dbw_cli_printerr (_("No generation run is waiting to be resumed"));
    }

  return DBW_CLI_EXIT_OK;
}

static void
print_summary (DbwGenerationRun *gen,
               DbwStore         *store)
{
  g_autoptr(DbwTrainingSheet) training_sheet = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char * const *failures = dbw_generation_run_get_failures (gen);
  struct
  {
    const char *label;
    char       *value;
  } rows[] = {
    { _("Training sheet:"), NULL },
    { _("Made:"), g_strdup_printf ("%u", dbw_generation_run_get_n_made (gen)) },
    { _("Reused:"), g_strdup_printf (_("%u (from canonical labels)"), dbw_generation_run_get_n_reused (gen)) },
    { _("Flagged:"), g_strdup_printf ("%u", dbw_generation_run_get_n_flagged (gen)) },
    { _("Failed:"), g_strdup_printf ("%u", dbw_generation_run_get_n_failed (gen)) },
    { _("Tokens:"), g_strdup_printf (_("%" G_GINT64_FORMAT " prompt, %" G_GINT64_FORMAT " completion"),
                                     dbw_generation_run_get_prompt_tokens (gen),
                                     dbw_generation_run_get_completion_tokens (gen)) },
    { _("Job:"), g_strdup (dbw_generation_run_get_job_run_id (gen)) },
  };
  guint width = 0;

  training_sheet = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET, dbw_generation_run_get_training_sheet_id (gen), NULL);
  rows[0].value = g_strdup (training_sheet != NULL ? dbw_training_sheet_get_name (training_sheet) : "");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    width = MAX (width, (guint) g_utf8_strlen (rows[i].label, -1));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      dbw_cli_append_padded (out, rows[i].label, width + 1, FALSE);
      g_string_append_printf (out, "%s\n", rows[i].value);
      g_free (rows[i].value);
      /* The first reasons, under the count. */
      if (i == 4)
        for (guint f = 0; failures[f] != NULL && f < 5; f++)
          g_string_append_printf (out, "  %s\n", failures[f]);
    }

  g_print ("%s", out->str);
}

static void
print_summary_json (DbwGenerationRun *gen,
                    const char       *state)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char * const *failures = dbw_generation_run_get_failures (gen);

#define MEMBER(name, value) \
  G_STMT_START { json_builder_set_member_name (builder, name); json_builder_add_int_value (builder, value); } G_STMT_END

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "job");
  json_builder_add_string_value (builder, dbw_generation_run_get_job_run_id (gen));
  json_builder_set_member_name (builder, "training_sheet_id");
  json_builder_add_string_value (builder, dbw_generation_run_get_training_sheet_id (gen));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  MEMBER ("total", dbw_generation_run_get_n_total (gen));
  MEMBER ("done", dbw_generation_run_get_n_done (gen));
  MEMBER ("made", dbw_generation_run_get_n_made (gen));
  MEMBER ("reused", dbw_generation_run_get_n_reused (gen));
  MEMBER ("flagged", dbw_generation_run_get_n_flagged (gen));
  MEMBER ("failed", dbw_generation_run_get_n_failed (gen));
  MEMBER ("prompt_tokens", dbw_generation_run_get_prompt_tokens (gen));
  MEMBER ("completion_tokens", dbw_generation_run_get_completion_tokens (gen));
  json_builder_set_member_name (builder, "failures");
  json_builder_begin_array (builder);
  for (guint i = 0; failures[i] != NULL; i++)
    json_builder_add_string_value (builder, failures[i]);
  json_builder_end_array (builder);
  if (dbw_generation_run_get_error_message (gen) != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, dbw_generation_run_get_error_message (gen));
    }
  json_builder_end_object (builder);
#undef MEMBER

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  dbw_cli_write_json (text);
}

/* The workspace side of --remote: the workspace, its warehouse and where answers wait. */
static gboolean
set_up_remote (DbwGenerationRun  *gen,
               DbwStore          *store,
               const char        *profile,
               const char        *warehouse,
               const char        *endpoint,
               const char        *results_schema,
               int               *status)
{
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;

  if (!dbw_generation_run_check_remote (gen, &error))
    {
      /* Translators: %s says why, as in "The prompt uses “item.text”, which …" */
      dbw_cli_printerr (_("This cannot be generated on the workspace: %s"), error->message);
      *status = DBW_CLI_EXIT_FAILED;
      return FALSE;
    }
  if (endpoint == NULL)
    endpoint = dbw_generation_run_get_remote_endpoint (gen);
  if (endpoint == NULL)
    {
      *status = dbw_cli_usage_error ("generate", _("Which serving endpoint should answer on the workspace? Name it with --model"));
      return FALSE;
    }
  if (warehouse == NULL || warehouse[0] == '\0')
    {
      *status = dbw_cli_usage_error ("generate", _("Which SQL warehouse should run the statement? Name it with --warehouse"));
      return FALSE;
    }

  databricks = dbw_cli_connect (profile, &error);
  if (databricks == NULL)
    {
      *status = dbw_cli_fail (error);
      return FALSE;
    }

  /* Where the answers wait: as asked, as the last run of this job had it, or the schema
   * the project is synced with. */
  if (results_schema == NULL)
    results_schema = dbw_generation_run_get_remote_results_schema (gen);
  if (results_schema == NULL)
    {
      g_autoptr(DbwSyncService) service = dbw_sync_service_new (store, databricks, warehouse);

      target = dbw_sync_service_dup_target (service);
      results_schema = target;
    }
  if (results_schema == NULL)
    {
      *status = dbw_cli_usage_error ("generate", _("Where should the answers wait on the workspace? Give a schema with --results-schema CATALOG.SCHEMA"));
      return FALSE;
    }

  if (!dbw_generation_run_set_remote (gen, databricks, warehouse, endpoint, results_schema, &error))
    {
      *status = dbw_cli_fail (error);
      return FALSE;
    }

  return TRUE;
}

/* Items whose prompt cannot be filled in are skipped: said before the run, not only in its
 * summary. The GUI's New Training Sheet dialog says the same. */
static void
warn_unmatched (DbwStore    *store,
                const char  *sheet_id,
                DbwTemplate *tmpl)
{
  g_autoptr(GPtrArray) contexts = dbw_sheet_ops_sample_contexts (store, sheet_id, DBW_SHEET_OPS_FIT_SAMPLE, NULL);
  g_autoptr(DbwSheet) sheet = NULL;
  g_auto(GStrv) unmatched = NULL;
  g_autofree char *names = NULL;

  if (contexts != NULL)
    unmatched = dbw_prompt_unmatched_variables (dbw_template_get_user_prompt_template (tmpl), contexts, NULL);
  if (unmatched == NULL || unmatched[0] == NULL)
    return;

  sheet = dbw_store_get (store, DBW_TYPE_SHEET, sheet_id, NULL);
  names = g_strjoinv (", ", unmatched);
  dbw_cli_printerr (_("Warning: items of “%s” lack a value for %s: generating skips them"),
                    sheet != NULL ? dbw_sheet_get_name (sheet) : sheet_id, names);
}

int
dbw_cli_generate (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwGenerationRun) gen = NULL;
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sheet_arg = NULL;
  g_autofree char *template_arg = NULL;
  g_autofree char *mode_arg = NULL;
  g_autofree char *column = NULL;
  g_autofree char *name = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *model = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *warehouse = NULL;
  g_autofree char *results_schema = NULL;
  g_auto(GStrv) args = NULL;
  gboolean trusted = FALSE;
  gboolean no_logprobs = FALSE;
  gboolean list = FALSE;
  gboolean remote = FALSE;
  gboolean as_json = FALSE;
  int concurrency = G_MININT;   /* not given */
  GenerateRun run = { 0 };
  DbwLabelingMode mode;
  guint interrupt_id;
  int status;
  const GOptionEntry entries[] = {
    { "sheet", 's', 0, G_OPTION_ARG_STRING, &sheet_arg, N_("The sheet whose items the pairs are made from, by name or id"), N_("SHEET") },
    { "template", 't', 0, G_OPTION_ARG_STRING, &template_arg,
      N_("The published template: a name, a template id or a version's id"), N_("TEMPLATE") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode_arg,
      N_("Who writes the answers: ai_generated (the default), manual or existing_column"), N_("MODE") },
    { "column", 'c', 0, G_OPTION_ARG_STRING, &column, N_("The column holding the answers (the existing_column mode)"), N_("COLUMN") },
    { "trusted-column", 0, 0, G_OPTION_ARG_NONE, &trusted,
      N_("The column's answers are expert-verified: their pairs are labeled, not left for review"), NULL },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The training sheet's name"), N_("NAME") },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING, &endpoint,
      N_("The model's OpenAI-compatible URL (default: the one in Preferences)"), N_("URL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model,
      N_("The model to ask (default: Preferences, then the template's); with --remote, the serving endpoint"), N_("NAME") },
    { "concurrency", 'j', 0, G_OPTION_ARG_INT, &concurrency, N_("Model calls in flight at once (default 4)"), N_("N") },
    { "no-logprobs", 0, 0, G_OPTION_ARG_NONE, &no_logprobs,
      N_("Do not ask for log-probabilities (for servers that refuse them); no confidence is recorded"), NULL },
    { "resume", 'r', 0, G_OPTION_ARG_STRING, &resume, N_("Continue a run that was stopped, with the items it has not done"), N_("JOB") },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, N_("List the runs that can be resumed"), NULL },
    { "remote", 0, 0, G_OPTION_ARG_NONE, &remote,
      N_("Generate on the workspace with one ai_query() statement, for a sheet from a Unity Catalog table"), NULL },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, N_("With --remote: the profile of ~/.databrickscfg to sign in with"), N_("NAME") },
    { "warehouse", 'w', 0, G_OPTION_ARG_STRING, &warehouse,
      N_("With --remote: the SQL warehouse that runs the statement (or DATABRICKS_WAREHOUSE_ID)"), N_("ID") },
    { "results-schema", 0, 0, G_OPTION_ARG_STRING, &results_schema,
      N_("With --remote: where the answers wait until they are read (default: the schema the project is synced with)"),
      N_("CATALOG.SCHEMA") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the summary as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = dbw_cli_context_new ("generate",
                                 /* Translators: the arguments of `databits generate` */
                                 N_("PROJECT.dbw"),
                                 N_("Make a training sheet of Q&A pairs by applying a published template to every item of a sheet."),
                                 N_("Items with a canonical label for the template's label type become labeled pairs "
                                    "without asking the model. Answers that fail the template's output schema are "
                                    "kept, flagged for review. Every pair is saved as it is made.\n\n"
                                    "The model's token is DBW_LLM_TOKEN, else the one kept in the keyring for its URL.\n\n"
                                    "Press Ctrl+C to stop: the pairs made are kept, and --resume JOB goes on with the rest.\n\n"
                                    "Exit status: 0 when every item has its pair (or could not have one), 1 on an error "
                                    "or when items are left to resume, 2 on a usage error, 130 when stopped."),
                                 entries);
  if (!dbw_cli_parse (context, "generate", argc, argv, &status))
    return status;

  if (args == NULL || args[0] == NULL)
    return dbw_cli_usage_error ("generate", _("Which project?"));
  if (args[1] != NULL)
    return dbw_cli_usage_error ("generate", _("Unexpected argument “%s”"), args[1]);
  if (concurrency != G_MININT && (concurrency < 1 || concurrency > 256))
    return dbw_cli_usage_error ("generate", _("--concurrency takes a number from 1 to 256"));
  if (!parse_mode (mode_arg, &mode, &status))
    return status;
  if (!list && resume == NULL && (sheet_arg == NULL || template_arg == NULL))
    return dbw_cli_usage_error ("generate", _("Which sheet and which template? Give --sheet and --template, or --resume JOB"));
  if (resume != NULL && (sheet_arg != NULL || template_arg != NULL || mode_arg != NULL || column != NULL))
    return dbw_cli_usage_error ("generate", _("A resumed run keeps its sheet, template and mode"));
  /* A column names answers already there: the model is not asked. */
  if (column != NULL && mode_arg == NULL)
    mode = DBW_LABELING_MODE_EXISTING_COLUMN;
  if ((column != NULL || trusted) && mode != DBW_LABELING_MODE_EXISTING_COLUMN)
    return dbw_cli_usage_error ("generate", _("--column and --trusted-column name the answers of --mode existing_column"));
  if (mode == DBW_LABELING_MODE_EXISTING_COLUMN && resume == NULL && column == NULL)
    return dbw_cli_usage_error ("generate", _("Which column holds the answers? Name it with --column"));
  if (remote && mode != DBW_LABELING_MODE_AI_GENERATED)
    return dbw_cli_usage_error ("generate", _("Only a model's answers can be generated on the workspace"));

  /* Asked before anything is made. */
  if (!list && resume == NULL && !remote && mode == DBW_LABELING_MODE_AI_GENERATED)
    {
      if (endpoint == NULL)
        endpoint = preference ("llm-endpoint-url");
      if (endpoint == NULL)
        return dbw_cli_usage_error ("generate", _("Which model should answer? Give --endpoint URL, or set a language model in Preferences"));
      if (!dbw_http_check_url (endpoint, &error))
        return dbw_cli_usage_error ("generate", "%s", error->message);
    }

  store = dbw_cli_open_project (args[0], &error);
  if (store == NULL)
    return dbw_cli_fail (error);

  if (list)
    return list_unfinished (store, as_json);

  if (resume != NULL)
    {
      gen = dbw_generation_run_open (store, resume, &error);
    }
  else
    {
      g_autofree char *sheet_id = find_sheet_id (store, sheet_arg, &error);
      g_autoptr(DbwTemplate) tmpl = NULL;
      g_autoptr(JsonObject) options = json_object_new ();

      if (sheet_id == NULL)
        return dbw_cli_fail (error);
      tmpl = dbw_template_ops_lookup (store, template_arg, &error);
      if (tmpl == NULL)
        return dbw_cli_fail (error);
      warn_unmatched (store, sheet_id, tmpl);
      if (remote)
        {
          g_autoptr(DbwSheet) sheet = dbw_store_get (store, DBW_TYPE_SHEET, sheet_id, &error);

          /* Before anything is made that could not be run. */
          if (sheet == NULL)
            return dbw_cli_fail (error);
          if (!dbw_ai_query_check (sheet, tmpl, &error))
            {
              dbw_cli_printerr (_("This cannot be generated on the workspace: %s"), error->message);
              return DBW_CLI_EXIT_FAILED;
            }
        }
      if (trusted)
        json_object_set_boolean_member (options, "column_trusted", TRUE);
      if (no_logprobs)
        json_object_set_boolean_member (options, "logprobs", FALSE);
      gen = dbw_generation_run_new_with_options (store, sheet_id, dbw_record_get_id (DBW_RECORD (tmpl)), mode, column,
                                                 name, options, &error);
    }
  if (gen == NULL)
    return dbw_cli_fail (error);
  if (concurrency > 0)
    dbw_generation_run_set_concurrency (gen, (guint) concurrency);

  mode = dbw_generation_job_get_mode (dbw_generation_run_get_job (gen));
  if (resume != NULL && dbw_generation_run_get_remote_endpoint (gen) != NULL)
    remote = TRUE;

  if (remote)
    {
      if (warehouse == NULL)
        warehouse = g_strdup (g_getenv ("DATABRICKS_WAREHOUSE_ID"));
      if (!set_up_remote (gen, store, profile, warehouse, model, results_schema, &status))
        return status;
    }
  else if (mode == DBW_LABELING_MODE_AI_GENERATED)
    {
      DbwGenerationJob *job = dbw_generation_run_get_job (gen);

      if (endpoint == NULL && dbw_generation_job_get_option_string (job, "endpoint_url") != NULL)
        endpoint = g_strdup (dbw_generation_job_get_option_string (job, "endpoint_url"));
      if (endpoint == NULL)
        endpoint = preference ("llm-endpoint-url");
      if (endpoint == NULL)
        return dbw_cli_usage_error ("generate", _("Which model should answer? Give --endpoint URL, or set a language model in Preferences"));
      if (model == NULL && dbw_generation_job_get_option_string (job, "model") == NULL)
        model = preference ("llm-model");

      client = make_client (endpoint, &error);
      if (client == NULL)
        return dbw_cli_fail (error);
      dbw_generation_run_set_llm_client (gen, client, model);
    }

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  run.started = g_get_monotonic_time ();
  run.done_at_start = dbw_generation_run_get_n_done (gen);

  if (isatty (STDERR_FILENO))
    {
      run.columns = terminal_columns ();
      g_signal_connect (gen, "notify::n-done", G_CALLBACK (on_progress_cb), &run);
      g_signal_connect (gen, "notify::state", G_CALLBACK (on_progress_cb), &run);
    }

  interrupt_id = g_unix_signal_add (SIGINT, on_interrupt_cb, &run);
  dbw_generation_run_run_async (gen, cancellable, on_run_done_cb, &run);
  g_main_loop_run (loop);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (interrupt_id);

  g_signal_handlers_disconnect_by_data (gen, &run);
  clear_progress (&run);

  if (as_json)
    print_summary_json (gen, dbw_enum_to_nick (DBW_TYPE_GENERATION_STATE, dbw_generation_run_get_state (gen)));
  else
    print_summary (gen, store);

  if (run.ok)
    return DBW_CLI_EXIT_OK;

  error = g_steal_pointer (&run.error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: the last %s is the command that goes on, as in
       * "databits generate survey.dbw --resume 4c1…" */
      dbw_cli_printerr (_("Stopped; the %u pairs made are kept. To go on: databits generate %s --resume %s"),
                        dbw_generation_run_get_n_done (gen), args[0], dbw_generation_run_get_job_run_id (gen));
      return DBW_CLI_EXIT_CANCELLED;
    }

  dbw_cli_fail (error);
  if (g_error_matches (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INCOMPLETE))
    dbw_cli_printerr (_("To try them again: databits generate %s --resume %s"), args[0],
                      dbw_generation_run_get_job_run_id (gen));

  return DBW_CLI_EXIT_FAILED;
}
