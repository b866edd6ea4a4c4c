/* dbw-generate-page.c
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

#define G_LOG_DOMAIN "dbw-generate-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-generate-dialog.h"
#include "dbw-generate-page.h"
#include "dbw-generation-run.h"
#include "dbw-llm-connect.h"
#include "dbw-pair-counter.h"
#include "dbw-query-model.h"
#include "dbw-training-sheet.h"
#include "dbw-window.h"
#include "dbw-workspace.h"

/* The Generate stage: the project's Training Sheets on the left, the selected one on the
 * right with its run. Runs belong to the page, not to the selection: several can go on
 * at once, and one keeps going while the user looks at another sheet or another stage.
 * A run that was stopped, paused or cut short by a crash is found again when the project
 * opens and offered to resume.
 *
 * While a run goes on, what the page shows comes from the run's counters, refreshed at
 * most a few times a second; the project is counted again only when a run ends, so a
 * large training sheet never costs the main thread a scan per pair. */

#define REFRESH_INTERVAL_MS 500

struct _DbwGeneratePage
{
  DbwPage              parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *empty_status;
  GtkLabel            *empty_hint;
  GtkWidget           *empty_new_button;
  GtkWidget           *empty_data_button;
  GtkWidget           *empty_templates_button;
  GtkListView         *list_view;
  GtkStack            *detail_stack;
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  GtkWidget           *run_box;
  GtkProgressBar      *progress_bar;
  GtkLabel            *progress_label;
  GtkLabel            *error_label;
  GtkWidget           *pause_button;
  GtkWidget           *resume_button;
  GtkWidget           *cancel_button;
  AdwActionRow        *waiting_row;
  AdwActionRow        *approved_row;
  AdwActionRow        *reused_row;
  AdwActionRow        *flagged_row;
  AdwActionRow        *rejected_row;

  DbwQueryModel       *training_sheets;
  GtkSingleSelection  *selection;
  GHashTable          *runs;          /* training sheet id → DbwGenerationRun */
  GHashTable          *cancellables;  /* training sheet id → GCancellable, while running */
  GHashTable          *errors;        /* training sheet id → message of the last failure */
  DbwPairCounter      *counter;
  DbwStore            *watched_store;
  gulong               store_changed_handler;
  guint                refresh_source;
};

G_DEFINE_FINAL_TYPE (DbwGeneratePage, dbw_generate_page, DBW_TYPE_PAGE)

static void start_run (DbwGeneratePage  *self,
                       DbwGenerationRun *run,
                       const char       *model,
                       gboolean          remote);

static DbwWindow *
get_window (DbwGeneratePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return DBW_IS_WINDOW (root) ? DBW_WINDOW (root) : NULL;
}

static void
show_toast (DbwGeneratePage *self,
            const char      *title)
{
  DbwWindow *window = get_window (self);

  if (window != NULL)
    dbw_window_show_toast (window, title);
}

static DbwTrainingSheet *
selected_training_sheet (DbwGeneratePage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static DbwGenerationRun *
selected_run (DbwGeneratePage *self)
{
  DbwTrainingSheet *ts = selected_training_sheet (self);

  return ts != NULL ? g_hash_table_lookup (self->runs, dbw_record_get_id (DBW_RECORD (ts))) : NULL;
}

static gboolean
is_running (DbwGeneratePage *self,
            const char      *training_sheet_id)
{
  return training_sheet_id != NULL && g_hash_table_contains (self->cancellables, training_sheet_id);
}

static char *
format_duration (double seconds)
{
  if (seconds < 60)
    return g_strdup (_("less than a minute left"));
  if (seconds < 3600)
    {
      guint minutes = (guint) (seconds / 60 + 0.5);

      return g_strdup_printf (g_dngettext (NULL, "about %u minute left", "about %u minutes left", minutes), minutes);
    }
  else
    {
      guint hours = (guint) (seconds / 3600 + 0.5);

      return g_strdup_printf (g_dngettext (NULL, "about %u hour left", "about %u hours left", hours), hours);
    }
}

/* "1,234 of 2,000 pairs · about 3 minutes left" and what went wrong on the way. */
static char *
describe_progress (DbwGenerationRun *run)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *done = dbw_format_count (dbw_generation_run_get_n_done (run));
  g_autofree char *total = dbw_format_count (dbw_generation_run_get_n_total (run));
  DbwGenerationState state = dbw_generation_run_get_state (run);
  guint failed = dbw_generation_run_get_n_failed (run);
  gint64 tokens = dbw_generation_run_get_prompt_tokens (run) + dbw_generation_run_get_completion_tokens (run);

  /* Translators: progress of a generation: "120 of 1,500 pairs" */
  g_string_append_printf (text, _("%s of %s pairs"), done, total);

  switch (state)
    {
    case DBW_GENERATION_STATE_RUNNING:
      if (dbw_generation_run_get_eta (run) >= 0)
        {
          g_autofree char *eta = format_duration (dbw_generation_run_get_eta (run));

          g_string_append_printf (text, " · %s", eta);
        }
      break;
    case DBW_GENERATION_STATE_PAUSED:
      g_string_append_printf (text, " · %s", _("paused"));
      break;
    case DBW_GENERATION_STATE_CANCELLED:
      g_string_append_printf (text, " · %s", _("stopped; resume to make the rest"));
      break;
    case DBW_GENERATION_STATE_FAILED:
      g_string_append_printf (text, " · %s", _("failed; resume to try the rest again"));
      break;
    case DBW_GENERATION_STATE_SUCCEEDED:
      g_string_append_printf (text, " · %s", _("done"));
      break;
    case DBW_GENERATION_STATE_READY:
    default:
      break;
    }

  if (failed > 0)
    {
      g_autofree char *n = dbw_format_count (failed);

      /* Translators: items for which no pair could be made yet, e.g. "3 items failed" */
      g_string_append_printf (text, " · ");
      g_string_append_printf (text, g_dngettext (NULL, "%s item failed", "%s items failed", failed), n);
    }

  if (tokens > 0)
    {
      g_autofree char *n = dbw_format_count (tokens);

      g_string_append_printf (text, " · ");
      /* Translators: language model tokens used by a run, e.g. "12,400 tokens" */
      g_string_append_printf (text, g_dngettext (NULL, "%s token", "%s tokens", (gulong) MIN (tokens, (gint64) G_MAXLONG)), n);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A negative count is not known yet. */
static void
set_count (AdwActionRow *row,
           gint64        count)
{
  g_autofree char *text = count >= 0 ? dbw_format_count (count) : g_strdup ("…");
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "count-label");

  if (label == NULL)
    {
      label = gtk_label_new (NULL);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (row, label);
      g_object_set_data (G_OBJECT (row), "count-label", label);
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

static const DbwPairCounts *
lookup_counts (DbwGeneratePage *self,
               const char      *training_sheet_id)
{
  return self->counter != NULL ? dbw_pair_counter_lookup (self->counter, training_sheet_id) : NULL;
}

/* Before the first count every Training Sheet would look empty. */
static gboolean
counts_known (DbwGeneratePage *self)
{
  return self->counter != NULL && dbw_pair_counter_get_counted (self->counter);
}

static void
update_detail (DbwGeneratePage *self)
{
  DbwTrainingSheet *ts = selected_training_sheet (self);
  DbwGenerationRun *run = selected_run (self);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *id;
  const char *error_message;
  DbwPairCounts counts = { 0 };
  const DbwPairCounts *known;
  gboolean running, resumable;
  g_autofree char *subtitle = NULL;
  const char *mode_text;

  if (ts == NULL || store == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.delete", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.pause", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.resume", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.stop", FALSE);
      return;
    }

  id = dbw_record_get_id (DBW_RECORD (ts));
  running = is_running (self, id);
  resumable = run != NULL && !running && dbw_generation_run_get_state (run) != DBW_GENERATION_STATE_SUCCEEDED;

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  gtk_label_set_text (self->title_label, dbw_training_sheet_get_name (ts));

  switch (dbw_training_sheet_get_labeling_mode (ts))
    {
    case DBW_LABELING_MODE_MANUAL:
      mode_text = _("Answers written by experts in Label");
      break;
    case DBW_LABELING_MODE_EXISTING_COLUMN:
      mode_text = _("Answers taken from a column of the sheet");
      break;
    case DBW_LABELING_MODE_AI_GENERATED:
    case DBW_LABELING_MODE_CANONICAL:
    default:
      mode_text = _("Answers written by the language model");
      break;
    }
  subtitle = g_strdup_printf ("%s · %s", mode_text,
                              dbw_training_sheet_get_status (ts) == DBW_TRAINING_SHEET_STATUS_GENERATING
                              ? _("generating") : _("ready for review"));
  gtk_label_set_text (self->subtitle_label, subtitle);

  gtk_widget_set_visible (self->run_box, run != NULL);
  if (run != NULL)
    {
      g_autofree char *progress = describe_progress (run);
      gboolean paused = dbw_generation_run_get_state (run) == DBW_GENERATION_STATE_PAUSED;

      gtk_progress_bar_set_fraction (self->progress_bar, dbw_generation_run_get_progress (run));
      gtk_label_set_text (self->progress_label, progress);
      gtk_button_set_label (GTK_BUTTON (self->pause_button), paused ? _("_Continue") : _("_Pause"));
      gtk_widget_set_visible (self->pause_button, running);
      gtk_widget_set_visible (self->cancel_button, running);
      gtk_widget_set_visible (self->resume_button, resumable);
    }

  error_message = g_hash_table_lookup (self->errors, id);
  if (error_message == NULL && run != NULL && dbw_generation_run_get_state (run) == DBW_GENERATION_STATE_FAILED)
    error_message = dbw_generation_run_get_error_message (run);
  gtk_label_set_text (self->error_label, error_message != NULL ? error_message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error_message != NULL && error_message[0] != '\0');

  /* While running, the run knows; afterwards, the project does, once counted. */
  known = lookup_counts (self, id);
  if (known != NULL)
    counts = *known;
  else if (!running && !counts_known (self))
    counts = (DbwPairCounts) { .unlabeled = -1, .labeled = -1, .canonical = -1, .flagged = -1, .rejected = -1 };
  if (running && run != NULL)
    {
      counts.labeled = MAX (counts.labeled, (gint64) dbw_generation_run_get_n_reused (run));
      counts.canonical = MAX (counts.canonical, (gint64) dbw_generation_run_get_n_reused (run));
      counts.flagged = MAX (counts.flagged, (gint64) dbw_generation_run_get_n_flagged (run));
      counts.unlabeled = MAX (counts.unlabeled, (gint64) dbw_generation_run_get_n_made (run));
    }
  set_count (self->waiting_row, counts.unlabeled);
  set_count (self->approved_row, counts.labeled);
  set_count (self->reused_row, counts.canonical);
  set_count (self->flagged_row, counts.flagged);
  set_count (self->rejected_row, counts.rejected);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.delete", !running && !dbw_page_is_read_only (DBW_PAGE (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.resume", resumable && !dbw_page_is_read_only (DBW_PAGE (self)));
}

/* Rows show their name and a line about their pairs or their run. */
static void
bind_row (DbwGeneratePage *self,
          GtkListItem     *list_item)
{
  DbwTrainingSheet *ts = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  const char *id = dbw_record_get_id (DBW_RECORD (ts));
  DbwGenerationRun *run = g_hash_table_lookup (self->runs, id);
  const DbwPairCounts *counts = lookup_counts (self, id);
  g_autofree char *text = NULL;

  gtk_label_set_text (GTK_LABEL (title), dbw_training_sheet_get_name (ts));
  if (run != NULL && is_running (self, id))
    {
      /* Translators: a running generation in the list, e.g. "Generating · 45 %" */
      text = g_strdup_printf (_("Generating · %d %%"), (int) (dbw_generation_run_get_progress (run) * 100));
    }
  else if (run != NULL && dbw_generation_run_get_state (run) != DBW_GENERATION_STATE_SUCCEEDED)
    {
      g_autofree char *done = dbw_format_count (dbw_generation_run_get_n_done (run));
      g_autofree char *total = dbw_format_count (dbw_generation_run_get_n_total (run));

      /* Translators: a generation that can be resumed: "Stopped · 120 of 1,500" */
      text = g_strdup_printf (_("Stopped · %s of %s"), done, total);
    }
  else if (!counts_known (self))
    {
      text = g_strdup (_("Counting pairs…"));
    }
  else
    {
      gint64 n = counts != NULL ? counts->total : 0;
      g_autofree char *count = dbw_format_count (n);

      text = g_strdup_printf (g_dngettext (NULL, "%s pair", "%s pairs", (gulong) n), count);
    }
  gtk_label_set_text (GTK_LABEL (subtitle), text);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             DbwGeneratePage          *self)
{
  bind_row (self, list_item);
}

/* Rebinds the rows (there are only as many as a project has training sheets) and the detail. */
static void
refresh (DbwGeneratePage *self)
{
  guint n = self->training_sheets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)) : 0;

  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self->selection), 0, n, n);
  update_detail (self);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  DbwGeneratePage *self = user_data;

  self->refresh_source = 0;
  refresh (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (DbwGeneratePage *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_INTERVAL_MS, refresh_timeout_cb, self);
}

static void
update_empty_state (DbwGeneratePage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  gboolean any = self->training_sheets != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)) > 0;
  gint64 sheets = 0, published = 0;

  gtk_stack_set_visible_child_name (self->stack, any ? "main" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.new", !dbw_page_is_read_only (DBW_PAGE (self)));
  if (any || store == NULL)
    return;

  sheets = dbw_store_count (store, DBW_TYPE_SHEET, "deleted_at", NULL, NULL);
  published = dbw_store_count (store, DBW_TYPE_TEMPLATE, "status", "published", NULL);
  if (sheets <= 0)
    gtk_label_set_text (self->empty_hint, _("Start in Data: import the files or tables to generate from."));
  else if (published <= 0)
    gtk_label_set_text (self->empty_hint, _("Publish a Prompt Template first: only published versions generate, so every pair can be traced to a version that never changes."));
  else
    gtk_label_set_text (self->empty_hint, _("Choose a sheet and a published template to make your first Training Sheet."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.new",
                                 sheets > 0 && published > 0 && !dbw_page_is_read_only (DBW_PAGE (self)));
  /* One way on, the step that is missing. */
  gtk_widget_set_visible (self->empty_data_button, sheets <= 0);
  gtk_widget_set_visible (self->empty_templates_button, sheets > 0 && published <= 0);
  gtk_widget_set_visible (self->empty_new_button, sheets > 0 && published > 0);
}

/* --- runs ------------------------------------------------------------------------------ */

typedef struct
{
  DbwGeneratePage *self;
  char            *training_sheet_id;
  char            *model;
  gboolean         remote;
} RunStart;

static void
run_start_free (RunStart *start)
{
  g_object_unref (start->self);
  g_free (start->training_sheet_id);
  g_free (start->model);
  g_free (start);
}

static void
on_run_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DbwGenerationRun *run = DBW_GENERATION_RUN (object);
  RunStart *start = user_data;
  DbwGeneratePage *self = start->self;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->cancellables, start->training_sheet_id);

  if (dbw_generation_run_run_finish (run, result, &error))
    {
      g_autofree char *made = dbw_format_count (dbw_generation_run_get_n_made (run));
      g_autofree char *reused = dbw_format_count (dbw_generation_run_get_n_reused (run));
      g_autofree char *flagged = dbw_format_count (dbw_generation_run_get_n_flagged (run));
      g_autofree char *message = NULL;

      g_hash_table_remove (self->errors, start->training_sheet_id);
      /* Translators: the summary of a finished generation */
      message = g_strdup_printf (_("Generated: %s made, %s reused from canonical labels, %s flagged"), made, reused, flagged);
      show_toast (self, message);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_hash_table_insert (self->errors, g_strdup (start->training_sheet_id), g_strdup (error->message));
      show_toast (self, _("Generation stopped with an error"));
    }

  /* The run wrote through a connection of its own, which the store does not hear. */
  if (self->counter != NULL)
    dbw_pair_counter_count (self->counter);
  refresh (self);
  run_start_free (start);
}

static void
run_now (RunStart         *start,
         DbwGenerationRun *run)
{
  DbwGeneratePage *self = start->self;
  GCancellable *cancellable = g_cancellable_new ();

  g_hash_table_remove (self->errors, start->training_sheet_id);
  g_hash_table_insert (self->cancellables, g_strdup (start->training_sheet_id), cancellable);
  dbw_generation_run_run_async (run, cancellable, on_run_done_cb, start);
  refresh (self);
}

/* Stops a start with @message, shown with the training sheet. Takes @start. */
static void
fail_start (RunStart   *start,
            const char *message)
{
  g_hash_table_insert (start->self->errors, g_strdup (start->training_sheet_id), g_strdup (message));
  refresh (start->self);
  run_start_free (start);
}

static void
on_llm_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RunStart *start = user_data;
  DbwGeneratePage *self = start->self;
  DbwGenerationRun *run = g_hash_table_lookup (self->runs, start->training_sheet_id);
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;

  client = dbw_llm_connect_finish (result, &model, &error);
  if (run == NULL)
    {
      run_start_free (start);
      return;
    }
  if (client == NULL)
    {
      fail_start (start, error->message);
      return;
    }

  /* A resumed run keeps the model it started with. */
  if (start->model != NULL && start->model[0] != '\0')
    dbw_generation_run_set_llm_client (run, client, start->model);
  else if (dbw_generation_job_get_option_string (dbw_generation_run_get_job (run), "model") == NULL)
    dbw_generation_run_set_llm_client (run, client, model);
  else
    dbw_generation_run_set_llm_client (run, client, NULL);
  run_now (start, run);
}

static void
on_workspace_connected_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RunStart *start = user_data;
  DbwGeneratePage *self = start->self;
  DbwGenerationRun *run = g_hash_table_lookup (self->runs, start->training_sheet_id);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warehouse_id = NULL;
  g_autofree char *schema = NULL;
  const char *endpoint;

  databricks = dbw_workspace_connect_finish (result, &warehouse_id, &error);
  if (run == NULL)
    {
      run_start_free (start);
      return;
    }
  if (databricks == NULL)
    {
      fail_start (start, error->message);
      return;
    }

  endpoint = start->model != NULL && start->model[0] != '\0' ? start->model : dbw_generation_run_get_remote_endpoint (run);
  if (endpoint == NULL)
    {
      fail_start (start, _("Name the serving endpoint that should answer on the workspace."));
      return;
    }
  if (warehouse_id == NULL || warehouse_id[0] == '\0')
    {
      fail_start (start, _("Set the SQL warehouse in Preferences: it runs the statement that asks the model."));
      return;
    }

  /* Where the answers wait: where the last run of this job had them, or the project's schema. */
  schema = g_strdup (dbw_generation_run_get_remote_results_schema (run));
  if (schema == NULL)
    schema = g_strstrip (g_settings_get_string (settings, "catalog-schema"));
  if (schema[0] == '\0')
    {
      fail_start (start, _("Set the catalog and schema in Preferences: the answers wait there until they are read back."));
      return;
    }

  if (!dbw_generation_run_set_remote (run, databricks, warehouse_id, endpoint, schema, &error))
    {
      fail_start (start, error->message);
      return;
    }

  run_now (start, run);
}

static void
on_run_notify_cb (DbwGeneratePage *self)
{
  queue_refresh (self);
}

static void
track_run (DbwGeneratePage  *self,
           DbwGenerationRun *run)
{
  const char *id = dbw_generation_run_get_training_sheet_id (run);

  if (g_hash_table_lookup (self->runs, id) == run)
    return;

  g_hash_table_insert (self->runs, g_strdup (id), g_object_ref (run));
  g_signal_connect_object (run, "notify", G_CALLBACK (on_run_notify_cb), self, G_CONNECT_SWAPPED);
}

/* Starts (or resumes) @run; a run whose answers come from the model asks for the
 * endpoint first, or for the workspace when @remote (or when it ran there before).
 * @model overrides the template's, when not empty: on the workspace, the serving endpoint. */
static void
start_run (DbwGeneratePage  *self,
           DbwGenerationRun *run,
           const char       *model,
           gboolean          remote)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *id = dbw_generation_run_get_training_sheet_id (run);
  g_autoptr(DbwTrainingSheet) ts = NULL;
  RunStart *start;

  if (is_running (self, id))
    return;

  track_run (self, run);

  start = g_new0 (RunStart, 1);
  start->self = g_object_ref (self);
  start->training_sheet_id = g_strdup (id);
  start->model = g_strdup (model);

  start->remote = remote || dbw_generation_run_get_remote_endpoint (run) != NULL;

  if (start->remote)
    {
      g_autoptr(GError) error = NULL;

      if (!dbw_generation_run_check_remote (run, &error))
        {
          g_autofree char *message = NULL;

          /* Translators: %s says why, as in "The prompt uses “item.text”, which …" */
          message = g_strdup_printf (_("This cannot be generated on the workspace: %s"), error->message);
          fail_start (start, message);
          return;
        }
      dbw_workspace_connect_async (NULL, NULL, on_workspace_connected_cb, start);
      return;
    }

  ts = dbw_store_get (store, DBW_TYPE_TRAINING_SHEET, id, NULL);
  if (ts != NULL && dbw_training_sheet_get_labeling_mode (ts) == DBW_LABELING_MODE_AI_GENERATED)
    dbw_llm_connect_async (NULL, on_llm_connected_cb, start);
  else
    run_now (start, run);
}

/* Selects the first (newest) training sheet with the id @id, or generated from the sheet
 * @sheet_id. */
static gboolean
select_training_sheet (DbwGeneratePage *self,
                       const char      *id,
                       const char      *sheet_id)
{
  if (self->training_sheets == NULL)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)); i++)
    {
      g_autoptr(DbwTrainingSheet) ts = g_list_model_get_item (G_LIST_MODEL (self->training_sheets), i);

      if (g_strcmp0 (dbw_record_get_id (DBW_RECORD (ts)), id) == 0 ||
          g_strcmp0 (dbw_training_sheet_get_sheet_id (ts), sheet_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }

  return FALSE;
}

static void
on_run_created_cb (DbwGeneratePage   *self,
                   DbwGenerationRun  *run,
                   DbwGenerateDialog *dialog)
{
  const char *id = dbw_generation_run_get_training_sheet_id (run);

  track_run (self, run);
  update_empty_state (self);
  select_training_sheet (self, id, NULL);

  start_run (self, run, dbw_generate_dialog_get_model (dialog), dbw_generate_dialog_get_remote (dialog));
}

/* Runs that did not finish in an earlier session, ready to resume. */
static void
open_unfinished (DbwGeneratePage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  ids = dbw_generation_run_list_unfinished (store, &error);
  if (ids == NULL)
    {
      g_warning ("Could not list the unfinished generations: %s", error->message);
      return;
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(DbwGenerationRun) run = dbw_generation_run_open (store, ids[i], &error);

      if (run == NULL)
        {
          g_warning ("Could not open generation %s: %s", ids[i], error->message);
          g_clear_error (&error);
          continue;
        }
      /* The newest run of a training sheet is the one to resume. */
      if (!g_hash_table_contains (self->runs, dbw_generation_run_get_training_sheet_id (run)))
        track_run (self, run);
    }
}

/* --- actions --------------------------------------------------------------------------- */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwTrainingSheet *ts = selected_training_sheet (self);
  DbwGenerateDialog *dialog;

  if (store == NULL)
    return;

  dialog = dbw_generate_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), store,
                                    ts != NULL ? dbw_training_sheet_get_sheet_id (ts) : NULL);
  g_signal_connect_object (dialog, "run-created", G_CALLBACK (on_run_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (widget);
  DbwGenerationRun *run = selected_run (self);

  if (run == NULL)
    return;

  if (dbw_generation_run_get_state (run) == DBW_GENERATION_STATE_PAUSED)
    dbw_generation_run_unpause (run);
  else
    dbw_generation_run_pause (run);
  update_detail (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (widget);
  DbwTrainingSheet *ts = selected_training_sheet (self);
  GCancellable *cancellable = ts != NULL ? g_hash_table_lookup (self->cancellables, dbw_record_get_id (DBW_RECORD (ts))) : NULL;

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (widget);
  DbwGenerationRun *run = selected_run (self);

  if (run != NULL)
    start_run (self, run, NULL, FALSE);
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwGeneratePage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Deleted twice (Delete pressed again while the first ran) is deleted. */
  if (!dbw_store_delete_finish (DBW_STORE (object), result, &error) &&
      !g_error_matches (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
    show_toast (self, error->message);
}

/* Its pairs go with it, 100,000 of them perhaps: a worker deletes it, and the list drops
 * it when that is done. */
static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DbwGeneratePage  *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *id = g_object_get_data (G_OBJECT (dialog), "training-sheet-id");

  if (!g_str_equal (response, "delete") || store == NULL || is_running (self, id))
    return;

  g_hash_table_remove (self->runs, id);
  g_hash_table_remove (self->errors, id);
  dbw_store_delete_async (store, DBW_TYPE_TRAINING_SHEET, id, NULL, on_deleted_cb, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (widget);
  DbwTrainingSheet *ts = selected_training_sheet (self);
  const DbwPairCounts *counts;
  g_autofree char *count = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (ts == NULL)
    return;

  counts = lookup_counts (self, dbw_record_get_id (DBW_RECORD (ts)));
  count = dbw_format_count (counts != NULL ? counts->total : 0);
  body = g_strdup_printf (g_dngettext (NULL,
                                       "Its %s pair goes with it, with any review it had. Canonical labels stay.",
                                       "Its %s pairs go with it, with any review they had. Canonical labels stay.",
                                       counts != NULL ? (gulong) counts->total : 0), count);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Delete Training Sheet?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "training-sheet-id",
                          g_strdup (dbw_record_get_id (DBW_RECORD (ts))), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the store ------------------------------------------------------------------------- */

static void
on_training_sheets_changed_cb (DbwGeneratePage *self)
{
  update_empty_state (self);
  update_detail (self);
}

static void
on_store_changed_cb (DbwGeneratePage *self,
                     const char      *table,
                     DbwChangeKind    kind,
                     const char      *id,
                     DbwStore        *store)
{
  /* The pair counter follows pairs and Training Sheets. */
  if (g_str_equal (table, "sheets") || g_str_equal (table, "templates"))
    update_empty_state (self);
}

static void
cancel_all (DbwGeneratePage *self)
{
  GHashTableIter iter;
  gpointer cancellable;

  g_hash_table_iter_init (&iter, self->cancellables);
  while (g_hash_table_iter_next (&iter, NULL, &cancellable))
    g_cancellable_cancel (cancellable);
}

static void
dbw_generate_page_store_changed (DbwPage *page)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);
  g_autoptr(GError) error = NULL;

  /* Runs of the previous project stop; their pairs are kept and they resume next time. */
  cancel_all (self);
  g_hash_table_remove_all (self->runs);
  g_hash_table_remove_all (self->errors);

  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_clear_object (&self->counter);

  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->training_sheets);

  if (store != NULL)
    {
      self->watched_store = g_object_ref (store);
      self->store_changed_handler =
        g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
      self->counter = g_object_ref (dbw_pair_counter_get_for_store (store));
      g_signal_connect_object (self->counter, "updated", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);

      self->training_sheets = dbw_query_model_new (store, DBW_TYPE_TRAINING_SHEET);
      if (!dbw_query_model_set_sort (self->training_sheets, "created_at", TRUE, &error))
        g_warning ("Could not list the training sheets: %s", error->message);
      g_signal_connect_object (self->training_sheets, "items-changed",
                               G_CALLBACK (on_training_sheets_changed_cb), self, G_CONNECT_SWAPPED);
      open_unfinished (self);
    }

  gtk_single_selection_set_model (self->selection, self->training_sheets != NULL ? G_LIST_MODEL (self->training_sheets) : NULL);
  update_empty_state (self);
  update_detail (self);
}

static void
dbw_generate_page_dispose (GObject *object)
{
  DbwGeneratePage *self = DBW_GENERATE_PAGE (object);

  cancel_all (self);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  /* The list view keeps the selection alive past this page. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_clear_object (&self->counter);
  g_clear_object (&self->training_sheets);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->cancellables, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);

  G_OBJECT_CLASS (dbw_generate_page_parent_class)->dispose (object);
}

static void
dbw_generate_page_class_init (DbwGeneratePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_generate_page_dispose;
  page_class->store_changed = dbw_generate_page_store_changed;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-generate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, empty_hint);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, empty_new_button);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, empty_data_button);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, empty_templates_button);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, run_box);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, waiting_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, approved_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, reused_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, flagged_row);
  gtk_widget_class_bind_template_child (widget_class, DbwGeneratePage, rejected_row);

  gtk_widget_class_install_action (widget_class, "generate.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "generate.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "generate.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "generate.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "generate.delete", NULL, delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "generate.new", NULL);
}

static void
dbw_generate_page_init (DbwGeneratePage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->selection = gtk_single_selection_new (NULL);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (update_detail), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_detail (self);
}

/**
 * dbw_generate_page_select_from_sheet:
 * @sheet_id: the id of a sheet
 *
 * Selects the newest training sheet generated from the sheet @sheet_id.
 *
 * Returns: %TRUE if there is one
 */
gboolean
dbw_generate_page_select_from_sheet (DbwGeneratePage *self,
                                     const char      *sheet_id)
{
  g_return_val_if_fail (DBW_IS_GENERATE_PAGE (self), FALSE);
  g_return_val_if_fail (sheet_id != NULL, FALSE);

  return select_training_sheet (self, NULL, sheet_id);
}
