/* dbw-window.c
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

#define G_LOG_DOMAIN "dbw-window"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "dbw-application.h"
#include "dbw-audit-window.h"
#include "dbw-canonical-page.h"
#include "dbw-code-view.h"
#include "dbw-data-page.h"
#include "dbw-deploy-page.h"
#include "dbw-dspy-page.h"
#include "dbw-example-store-page.h"
#include "dbw-generate-page.h"
#include "dbw-improve-page.h"
#include "dbw-label-page.h"
#include "dbw-link-dialog.h"
#include "dbw-monitor-page.h"
#include "dbw-secrets.h"
#include "dbw-sidebar-row.h"
#include "dbw-sync-indicator.h"
#include "dbw-templates-page.h"
#include "dbw-train-page.h"
#include "dbw-welcome-view.h"
#include "dbw-window.h"
#include "dbw-widget-util.h"

/* One window shows one project: a sidebar with the seven pipeline stages and the four tools,
 * each with a badge counted from the project, and the page of the selected one. Without a
 * project the window shows the welcome view.
 *
 * When Databricks is set up, the window keeps a sync service for its project, with a
 * DbwDatabricks of its own (the service must be its only user), started while the project
 * is linked; the header bar's indicator shows its state. */

struct _DbwWindow
{
  AdwApplicationWindow  parent_instance;

  DbwStore             *store;
  GSettings            *settings;
  guint                 counts_source;
  gint64                counts_time;    /* monotonic time of the last count */
  GCancellable         *counts_cancellable;  /* a count in a worker */
  gboolean              counts_again;        /* the project changed while counting */
  guint                 present_source;
  gulong                store_changed_handler;
  guint                 busy : 1;

  DbwSyncService       *sync_service;
  char                 *sync_problem;
  GCancellable         *sync_cancellable;
  gulong                sync_state_handler;
  guint                 sync_reload_source;

  GtkStack             *main_stack;
  GtkOverlay           *welcome_overlay;
  DbwWelcomeView       *welcome;        /* made when first shown */
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_box;
  GtkListBox           *sidebar;
  AdwWindowTitle       *sidebar_title;
  AdwWindowTitle       *page_title;
  GtkStack             *pages;
  gboolean              closing;       /* the user answered about unsaved edits */
  gboolean              closing_project;  /* what the answer about them is for */
  GtkRevealer          *read_only_banner;
  AdwToastOverlay      *toast_overlay;
  AdwToast             *copy_toast;     /* weak; while a copy is being saved */
  GCancellable         *copy_cancellable;
  GtkWidget            *spinner;
  DbwSyncIndicator     *sync_indicator;
  DbwAuditWindow       *audit_window;   /* weak */
  GtkWindow            *shortcuts_window; /* weak */
};

G_DEFINE_FINAL_TYPE (DbwWindow, dbw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef enum
{
  SECTION_PIPELINE,
  SECTION_TOOLS,
} Section;

typedef struct
{
  const char *name;
  const char *title;
  const char *icon_name;
  Section     section;
  GType     (*get_type) (void);
  gsize       count_offset;
} PageInfo;

static const PageInfo page_infos[] = {
  { "data", N_("Data"), "x-office-spreadsheet-symbolic", SECTION_PIPELINE, dbw_data_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, sheets) },
  { "generate", N_("Generate"), "system-run-symbolic", SECTION_PIPELINE, dbw_generate_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, training_sheets) },
  { "label", N_("Label"), "object-select-symbolic", SECTION_PIPELINE, dbw_label_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, unlabeled_pairs) },
  { "train", N_("Train"), "applications-science-symbolic", SECTION_PIPELINE, dbw_train_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, models) },
  { "deploy", N_("Deploy"), "network-server-symbolic", SECTION_PIPELINE, dbw_deploy_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, endpoints) },
  { "monitor", N_("Monitor"), "view-reveal-symbolic", SECTION_PIPELINE, dbw_monitor_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, endpoints) },
  { "improve", N_("Improve"), "view-refresh-symbolic", SECTION_PIPELINE, dbw_improve_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, feedback) },
  { "templates", N_("Prompt Templates"), "text-x-generic-symbolic", SECTION_TOOLS, dbw_templates_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, templates) },
  { "example-store", N_("Example Store"), "user-bookmarks-symbolic", SECTION_TOOLS, dbw_example_store_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, examples) },
  { "dspy", N_("DSPy Optimizer"), "applications-engineering-symbolic", SECTION_TOOLS, dbw_dspy_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, dspy_runs) },
  { "canonical", N_("Canonical Labeling"), "starred-symbolic", SECTION_TOOLS, dbw_canonical_page_get_type, G_STRUCT_OFFSET (DbwStageCounts, canonical_labels) },
};

#define COUNTS_INTERVAL_MS 500
#define PRELOAD_DELAY_MS   1500

/* Counting now makes a count still queued pointless; left queued, it would outlive a
 * window that forgot its id. */
static void
set_counts (DbwWindow            *self,
            const DbwStageCounts *counts)
{
  guint i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!DBW_IS_SIDEBAR_ROW (child))
        continue;

      dbw_sidebar_row_set_count (DBW_SIDEBAR_ROW (child),
                                 G_STRUCT_MEMBER (gint64, counts, page_infos[i].count_offset));
      i++;
    }
}

static void queue_refresh_counts (DbwWindow *self);

static void
stage_counts_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  DbwStageCounts counts;

  if (!dbw_store_get_stage_counts_finish (DBW_STORE (object), result, &counts, &error))
    {
      /* Cancelled: the window closed or has another project, and counts anew. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not count the project's rows: %s", error->message);
    }
  else
    {
      set_counts (self, &counts);
    }

  g_clear_object (&self->counts_cancellable);
  if (self->counts_again)
    {
      self->counts_again = FALSE;
      queue_refresh_counts (self);
    }
}

static void
cancel_counts (DbwWindow *self)
{
  g_clear_handle_id (&self->counts_source, g_source_remove);
  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  self->counts_again = FALSE;
}

/* The badges count in a worker thread; changes while it counts make one more count. */
static void
refresh_counts (DbwWindow *self)
{
  g_clear_handle_id (&self->counts_source, g_source_remove);
  self->counts_time = g_get_monotonic_time ();

  if (self->store == NULL)
    {
      DbwStageCounts none = { 0 };

      set_counts (self, &none);
      return;
    }

  if (self->counts_cancellable != NULL)
    {
      self->counts_again = TRUE;
      return;
    }

  self->counts_cancellable = g_cancellable_new ();
  dbw_store_get_stage_counts_async (self->store, self->counts_cancellable, stage_counts_cb, g_object_ref (self));
}

static gboolean
refresh_counts_cb (gpointer user_data)
{
  DbwWindow *self = user_data;

  self->counts_source = 0;
  refresh_counts (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh_counts (DbwWindow *self)
{
  gint64 since = g_get_monotonic_time () - self->counts_time;

  if (self->counts_source != 0)
    return;

  /* A batch of changes costs one count, and a stream of them (a generation, a sync) one
   * count and one redraw of the badges every COUNTS_INTERVAL_MS. */
  if (since >= COUNTS_INTERVAL_MS * G_TIME_SPAN_MILLISECOND)
    self->counts_source = g_idle_add_full (G_PRIORITY_LOW, refresh_counts_cb, self, NULL);
  else
    self->counts_source = g_timeout_add_full (G_PRIORITY_LOW,
                                              (guint) (COUNTS_INTERVAL_MS - since / G_TIME_SPAN_MILLISECOND),
                                              refresh_counts_cb, self, NULL);
}

static void
on_store_changed_cb (DbwWindow     *self,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     DbwStore      *store)
{
  g_autofree char *title = NULL;

  if (g_str_equal (table, "project_meta"))
    {
      title = dbw_store_dup_title (store);
      adw_window_title_set_title (self->sidebar_title, title);
      gtk_window_set_title (GTK_WINDOW (self), title);
      return;
    }

  queue_refresh_counts (self);
}

static void
sidebar_header_func (GtkListBoxRow *row,
                     GtkListBoxRow *before,
                     gpointer       user_data)
{
  int index = gtk_list_box_row_get_index (row);
  const char *text = NULL;

  if (index == 0)
    text = _("Pipeline");
  else if (index >= 0 && (guint) index < G_N_ELEMENTS (page_infos) &&
           page_infos[index].section == SECTION_TOOLS &&
           page_infos[index - 1].section == SECTION_PIPELINE)
    text = _("Tools");

  if (text != NULL)
    {
      GtkWidget *header = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (header), 0.0f);
      gtk_widget_add_css_class (header, "sidebar-section");
      gtk_accessible_update_property (GTK_ACCESSIBLE (header),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      -1);
      gtk_list_box_row_set_header (row, header);
    }
  else
    {
      gtk_list_box_row_set_header (row, NULL);
    }
}

/* Pages are built the first time they are shown or asked for: building all eleven, with
 * their templates, editors and lists, would more than double the time to the first frame. */
static GtkWidget *
ensure_page (DbwWindow  *self,
             const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->pages, name);

  if (page != NULL)
    return page;

  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    {
      const PageInfo *info = &page_infos[i];

      if (g_strcmp0 (info->name, name) != 0)
        continue;

      page = g_object_new (info->get_type (), NULL);
      gtk_stack_add_titled (self->pages, page, info->name, _(info->title));
      if (self->store != NULL)
        dbw_page_set_store (DBW_PAGE (page), self->store);

      return page;
    }

  return NULL;
}

/* A page takes back its draft when it is built; one not built yet would keep its draft
 * out of sight until the user happened to open it. */
static void
offer_drafts (DbwWindow *self)
{
  g_auto(GStrv) keys = dbw_store_list_drafts (self->store);

  for (guint k = 0; keys[k] != NULL; k++)
    for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
      {
        const PageInfo *info = &page_infos[i];
        g_autofree char *title = NULL;
        AdwToast *toast;

        if (!g_str_equal (keys[k], g_type_name (info->get_type ())) ||
            gtk_stack_get_child_by_name (self->pages, info->name) != NULL)
          continue;

        /* Translators: %s is a page of the window, such as “Prompt Templates” */
        title = g_strdup_printf (_("Unsaved changes in %s were kept"), _(info->title));
        toast = dbw_toast_new_text (title);
        adw_toast_set_button_label (toast, _("_Show"));
        adw_toast_set_action_name (toast, "win.show-page");
        adw_toast_set_action_target (toast, "s", info->name);
        adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
        adw_toast_overlay_add_toast (self->toast_overlay, toast);
      }
}

static void
on_sidebar_row_selected_cb (DbwWindow     *self,
                            GtkListBoxRow *row,
                            GtkListBox    *list_box)
{
  const char *name;

  if (row == NULL || !DBW_IS_SIDEBAR_ROW (row))
    return;

  name = dbw_sidebar_row_get_page_name (DBW_SIDEBAR_ROW (row));
  ensure_page (self, name);
  gtk_stack_set_visible_child_name (self->pages, name);
  adw_window_title_set_title (self->page_title, dbw_sidebar_row_get_title (DBW_SIDEBAR_ROW (row)));
  g_settings_set_string (self->settings, "last-page", name);
}

/* GtkListBox takes Tab for the next row, and in browse mode a row that gets the focus
 * is selected: Tab would walk through the stages. It leaves the sidebar instead — on to
 * the stage on show, or back to the sidebar's header; the arrow keys go from stage to
 * stage. */
static gboolean
on_sidebar_key_pressed_cb (DbwWindow       *self,
                           guint            keyval,
                           guint            keycode,
                           GdkModifierType  state)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    {
      GtkWidget *page = gtk_stack_get_visible_child (self->pages);

      return page != NULL && gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
    }
  if (keyval == GDK_KEY_ISO_Left_Tab)
    return gtk_widget_child_focus (gtk_widget_get_first_child (self->sidebar_box), GTK_DIR_TAB_BACKWARD);

  return GDK_EVENT_PROPAGATE;
}

/* The shortcuts of the page on show work from anywhere in the window — from the sidebar
 * right after choosing the page, say — not only from inside the page: a key that nothing
 * on the way from the focus took is offered to the page. Only keys with Ctrl or Alt, and
 * function keys: a letter pressed in the sidebar must not approve a pair. */
static gboolean
on_window_key_pressed_cb (DbwWindow             *self,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkEventControllerKey *keys)
{
  GtkWidget *page = gtk_stack_get_visible_child (self->pages);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (keys));
  g_autoptr(GListModel) controllers = NULL;

  if (page == NULL || event == NULL || self->store == NULL || (focus != NULL && gtk_widget_is_ancestor (focus, page)))
    return GDK_EVENT_PROPAGATE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0 && (keyval < GDK_KEY_F1 || keyval > GDK_KEY_F35))
    return GDK_EVENT_PROPAGATE;

  controllers = gtk_widget_observe_controllers (page);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_trigger (gtk_shortcut_get_trigger (shortcut), event, FALSE) == GDK_KEY_MATCH_EXACT &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                            page, gtk_shortcut_get_arguments (shortcut)))
            return GDK_EVENT_STOP;
        }
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_sidebar_row_activated_cb (DbwWindow     *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list_box)
{
  /* On a narrow window, choosing a page shows it. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);

  if (!dbw_window_show_page (self, g_variant_get_string (param, NULL)))
    g_warning ("No page called “%s”", g_variant_get_string (param, NULL));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    {
      gboolean on_sidebar = adw_leaflet_get_visible_child (self->leaflet) == self->sidebar_box;

      adw_leaflet_navigate (self->leaflet,
                            on_sidebar ? ADW_NAVIGATION_DIRECTION_FORWARD : ADW_NAVIGATION_DIRECTION_BACK);
    }
  else
    {
      gtk_widget_set_visible (self->sidebar_box, !gtk_widget_get_visible (self->sidebar_box));
    }
}

static gboolean ask_about_unsaved (DbwWindow *self,
                                   gboolean   project);

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);

  if (!ask_about_unsaved (self, TRUE))
    dbw_window_set_store (self, NULL);
}

typedef struct
{
  DbwWindow *window;
  GFile     *file;
} CopyJob;

/* One copy at a time, of the project on show. */
static void
update_copy_action (DbwWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-copy",
                                 self->store != NULL && self->copy_cancellable == NULL);
}

static void
copy_job_free (CopyJob *job)
{
  g_object_unref (job->window);
  g_object_unref (job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CopyJob, copy_job_free)

static void
save_copy_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DbwStore *store = DBW_STORE (object);
  g_autoptr(CopyJob) job = user_data;
  DbwWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (job->file);

  if (self->copy_toast != NULL)
    adw_toast_dismiss (self->copy_toast);
  g_clear_object (&self->copy_cancellable);
  update_copy_action (self);

  if (!dbw_store_save_copy_finish (store, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        dbw_window_show_error (self, _("Could Not Save a Copy"), error);
      return;
    }

  /* A read-only project is copied to be changed: the copy takes its place. */
  if (dbw_store_is_read_only (store) && self->store == store)
    {
      g_autofree char *title = g_strdup_printf (_("Working on the copy “%s”"), name);

      dbw_window_open_file (self, job->file, DBW_STORE_OPEN_DEFAULT);
      dbw_window_show_toast (self, title);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("Saved a copy as “%s”"), name);
      g_autofree char *uri = g_file_get_uri (job->file);
      AdwToast *toast = dbw_toast_new_text (title);

      adw_toast_set_button_label (toast, _("_Open"));
      adw_toast_set_action_name (toast, "app.open-recent");
      adw_toast_set_action_target (toast, "s", uri);
      dbw_window_add_toast (self, toast);
    }
}

/**
 * dbw_window_save_copy:
 * @file: where the copy goes
 *
 * Saves a copy of the project shown, as Save a Copy… does once the file is chosen: a toast
 * tells of the copy in progress and can cancel it. A read-only project's copy is then
 * opened in its place; another project's stays open, the toast offers to open the copy.
 */
void
dbw_window_save_copy (DbwWindow *self,
                      GFile     *file)
{
  CopyJob *job;
  AdwToast *toast;

  g_return_if_fail (DBW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL || self->copy_cancellable != NULL)
    return;

  /* A copy of a large project takes a while: the toast stays until it is done. */
  toast = adw_toast_new (_("Saving a copy…"));
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Cancel"));
  adw_toast_set_action_name (toast, "win.cancel-copy");
  g_set_weak_pointer (&self->copy_toast, toast);
  dbw_window_add_toast (self, toast);

  self->copy_cancellable = g_cancellable_new ();
  update_copy_action (self);

  job = g_new0 (CopyJob, 1);
  job->window = g_object_ref (self);
  job->file = g_object_ref (file);
  dbw_store_save_copy_async (self->store, file, self->copy_cancellable, save_copy_cb, job);
}

static void
save_copy_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  g_autoptr(DbwWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      dbw_window_save_copy (self, file);
    }

  g_object_unref (dialog);
}

static void
save_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = dbw_project_file_filter_new ();
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (self->store == NULL)
    return;

  title = dbw_store_dup_title (self->store);
  /* Translators: the name offered for a copy of a project; %s is the project's title */
  name = g_strdup_printf (_("%s (copy).dbw"), title);

  dialog = gtk_file_chooser_native_new (_("Save a Copy"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_copy_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
cancel_copy_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  g_cancellable_cancel (DBW_WINDOW (widget)->copy_cancellable);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  adw_leaflet_navigate (DBW_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Destroys a window this one keeps a weak pointer to, if it is still there. */
static void
destroy_child_window (gpointer weak_pointer_location)
{
  GtkWindow **location = weak_pointer_location;

  if (*location != NULL)
    {
      GtkWindow *window = *location;

      g_clear_weak_pointer (location);
      gtk_window_destroy (window);
    }
}

/* One audit log per project window; it belongs to the project it was opened on. */
static void
close_audit_window (DbwWindow *self)
{
  destroy_child_window (&self->audit_window);
}

static void
audit_log_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);

  if (self->store == NULL)
    return;
  if (self->audit_window == NULL)
    g_set_weak_pointer (&self->audit_window, dbw_audit_window_new (GTK_WINDOW (self), self->store));
  gtk_window_present (GTK_WINDOW (self->audit_window));
}

/* Built when first asked for rather than as GtkApplication's automatic help overlay,
 * which builds the whole shortcuts window for every new window before its first frame. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/databits/Workbench/ui/dbw-shortcuts-window.ui");

      g_set_weak_pointer (&self->shortcuts_window, GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window")));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
    }
  gtk_window_present (self->shortcuts_window);
}

/* Sync */

static void
update_sync_actions (DbwWindow *self)
{
  DbwSyncState state = DBW_SYNC_STATE_UNLINKED;

  if (self->sync_service != NULL)
    state = dbw_sync_service_get_state (self->sync_service);

  /* Without a service the project may be linked or not; linking then explains what is missing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.link-workspace",
                                 self->store != NULL && state == DBW_SYNC_STATE_UNLINKED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now", state != DBW_SYNC_STATE_UNLINKED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unlink-workspace", state != DBW_SYNC_STATE_UNLINKED);
}

static void
on_sync_state_cb (DbwWindow      *self,
                  GParamSpec     *pspec,
                  DbwSyncService *service)
{
  update_sync_actions (self);
}

static void
set_sync_service (DbwWindow      *self,
                  DbwSyncService *service,
                  const char     *problem)
{
  if (self->sync_service != NULL)
    {
      g_clear_signal_handler (&self->sync_state_handler, self->sync_service);
      dbw_sync_service_stop (self->sync_service);
      g_clear_object (&self->sync_service);
    }

  g_free (self->sync_problem);
  self->sync_problem = g_strdup (problem);

  if (service != NULL)
    {
      self->sync_service = g_object_ref (service);
      self->sync_state_handler = g_signal_connect_object (service, "notify::state", G_CALLBACK (on_sync_state_cb),
                                                          self, G_CONNECT_SWAPPED);
      if (dbw_sync_service_get_state (service) != DBW_SYNC_STATE_UNLINKED)
        dbw_sync_service_start (service);
    }

  dbw_sync_indicator_set_service (self->sync_indicator, service);
  dbw_sync_indicator_set_problem (self->sync_indicator, problem);
  update_sync_actions (self);
}

static gboolean
same_connection (DbwSyncService      *service,
                 DbwDatabricksConfig *config,
                 const char          *warehouse)
{
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autofree char *old_warehouse = NULL;
  DbwDatabricksConfig *old;

  if (service == NULL)
    return FALSE;

  g_object_get (service, "databricks", &databricks, "warehouse-id", &old_warehouse, NULL);
  old = dbw_databricks_get_config (databricks);

  return g_strcmp0 (old_warehouse, warehouse) == 0 &&
         dbw_databricks_config_get_auth (old) == dbw_databricks_config_get_auth (config) &&
         g_strcmp0 (dbw_databricks_config_get_host (old), dbw_databricks_config_get_host (config)) == 0 &&
         g_strcmp0 (dbw_databricks_config_get_token (old), dbw_databricks_config_get_token (config)) == 0 &&
         g_strcmp0 (dbw_databricks_config_get_client_id (old), dbw_databricks_config_get_client_id (config)) == 0 &&
         g_strcmp0 (dbw_databricks_config_get_client_secret (old), dbw_databricks_config_get_client_secret (config)) == 0;
}

/* Found as Test Connection finds it: the host from the settings, the token from the
 * keyring, else the environment and ~/.databrickscfg. */
static void
sync_token_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwWindow) self = user_data;
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(DbwDatabricks) databricks = NULL;
  g_autoptr(DbwSyncService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *warehouse = NULL;
  char *token;

  token = dbw_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;
  g_clear_error (&error);

  host = g_settings_get_string (self->settings, "databricks-host");
  warehouse = g_settings_get_string (self->settings, "sql-warehouse-id");
  config = dbw_databricks_config_resolve (NULL, host, token, &error);
  if (token != NULL)
    secret_password_free (token);

  if (config == NULL)
    {
      set_sync_service (self, NULL, error->message);
      return;
    }
  if (same_connection (self->sync_service, config, warehouse))
    return;

  databricks = dbw_databricks_new (config, NULL);
  service = dbw_sync_service_new (self->store, databricks, warehouse);
  set_sync_service (self, service, NULL);
}

/**
 * dbw_window_reload_sync:
 *
 * Reads the Databricks settings and the token again and, if they changed, replaces the
 * project's sync service; called when Preferences close.
 */
void
dbw_window_reload_sync (DbwWindow *self)
{
  g_autofree char *host = NULL;
  g_autofree char *warehouse = NULL;

  g_return_if_fail (DBW_IS_WINDOW (self));

  g_clear_handle_id (&self->sync_reload_source, g_source_remove);
  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);

  /* Syncing records its progress in the project. */
  if (self->store == NULL || dbw_store_is_read_only (self->store))
    {
      set_sync_service (self, NULL, NULL);
      return;
    }

  warehouse = g_settings_get_string (self->settings, "sql-warehouse-id");
  host = g_settings_get_string (self->settings, "databricks-host");
  if (warehouse[0] == '\0')
    {
      /* Not using Databricks is no problem; half set up is. */
      set_sync_service (self, NULL, host[0] != '\0' ? _("No SQL warehouse is set in Preferences.") : NULL);
      return;
    }

  self->sync_cancellable = g_cancellable_new ();
  dbw_secret_lookup_async (DBW_SECRET_DATABRICKS_TOKEN, host, self->sync_cancellable,
                           sync_token_cb, g_object_ref (self));
}

static gboolean
reload_sync_cb (gpointer user_data)
{
  DbwWindow *self = user_data;

  self->sync_reload_source = 0;
  dbw_window_reload_sync (self);

  return G_SOURCE_REMOVE;
}

static void
on_databricks_setting_changed_cb (DbwWindow  *self,
                                  const char *key,
                                  GSettings  *settings)
{
  /* Preferences write the settings as they are typed: wait for the typing to stop. */
  g_clear_handle_id (&self->sync_reload_source, g_source_remove);
  self->sync_reload_source = g_timeout_add_seconds (2, reload_sync_cb, self);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);

  g_return_if_fail (self->sync_service != NULL);

  dbw_sync_service_start (self->sync_service);
  dbw_sync_service_request_sync (self->sync_service);
}

static void
not_set_up_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        DbwWindow        *self)
{
  if (g_str_equal (response, "preferences"))
    gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
}

static void
on_linked_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DbwSyncService *service = DBW_SYNC_SERVICE (object);
  g_autoptr(DbwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *title = NULL;

  if (!dbw_sync_service_link_finish (service, result, &error))
    {
      dbw_window_show_error (self, _("Could Not Link the Project"), error);
      return;
    }

  /* The project may have been closed, or Preferences changed, meanwhile. */
  if (self->sync_service != service)
    return;

  dbw_sync_service_start (service);
  target = dbw_sync_service_dup_target (service);
  /* Translators: %s is the workspace schema, e.g. "main.plant" */
  title = g_strdup_printf (_("Linked to %s"), target);
  dbw_window_show_toast (self, title);
}

static void
link_response_cb (DbwLinkDialog *dialog,
                  const char    *response,
                  DbwWindow     *self)
{
  g_autofree char *target = NULL;

  if (!g_str_equal (response, "link") || self->sync_service == NULL)
    return;

  /* Queueing every row of a large project takes a moment: off the main thread. */
  target = dbw_link_dialog_dup_target (dialog);
  dbw_sync_service_link_async (self->sync_service, target, NULL, on_linked_cb, g_object_ref (self));
}

static void
link_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);
  g_autofree char *target = NULL;
  DbwLinkDialog *dialog;

  if (self->sync_service == NULL)
    {
      g_autofree char *body = g_strdup_printf ("%s%s%s", self->sync_problem ? self->sync_problem : "",
                                               self->sync_problem ? "\n\n" : "",
                                               _("Enter the workspace host, the SQL warehouse and an access token in Preferences, then link the project."));
      GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (self), _("Databricks Is Not Set Up"), body);

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                        "cancel", _("_Cancel"),
                                        "preferences", _("Open _Preferences"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "preferences", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "preferences");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
      g_signal_connect_object (message, "response", G_CALLBACK (not_set_up_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (message));
      return;
    }

  dialog = dbw_link_dialog_new (GTK_WINDOW (self));
  target = g_settings_get_string (self->settings, "catalog-schema");
  dbw_link_dialog_set_target (dialog, target);
  g_signal_connect_object (dialog, "response", G_CALLBACK (link_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unlink_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DbwWindow        *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "unlink") || self->sync_service == NULL)
    return;

  dbw_sync_service_stop (self->sync_service);
  if (!dbw_sync_service_unlink (self->sync_service, &error))
    dbw_window_show_error (self, _("Could Not Unlink the Project"), error);
  else
    dbw_window_show_toast (self, _("The project is no longer synced"));
}

static void
unlink_workspace_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  DbwWindow *self = DBW_WINDOW (widget);
  g_autofree char *target = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (self->sync_service != NULL);

  target = dbw_sync_service_dup_target (self->sync_service);
  /* Translators: %s is the workspace schema, e.g. "main.plant" */
  body = g_strdup_printf (_("The project stops syncing with %s. Its data stays in the project, and the copy in the workspace stays there for others linked to it."),
                          target != NULL ? target : "");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Unlink the Project?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlink", _("_Unlink"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unlink", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unlink_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The welcome view is made when first shown: a window opened on a file never shows it. */
static void
ensure_welcome (DbwWindow *self)
{
  if (self->welcome != NULL)
    return;

  self->welcome = g_object_new (DBW_TYPE_WELCOME_VIEW, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->welcome), !self->busy);
  gtk_overlay_set_child (self->welcome_overlay, GTK_WIDGET (self->welcome));
}

static void
dbw_window_map (GtkWidget *widget)
{
  DbwWindow *self = DBW_WINDOW (widget);

  if (self->store == NULL)
    ensure_welcome (self);

  GTK_WIDGET_CLASS (dbw_window_parent_class)->map (widget);
}

/* gtk_window_destroy() unrealizes the window, but a count in flight holds a reference
 * to it, so dispose would come only after the count. */
static void
dbw_window_unrealize (GtkWidget *widget)
{
  cancel_counts (DBW_WINDOW (widget));

  GTK_WIDGET_CLASS (dbw_window_parent_class)->unrealize (widget);
}

/* The pages built so far with an edit not saved yet. */
static GPtrArray *
pages_with_unsaved (DbwWindow *self,
                    GString   *what)
{
  GPtrArray *pages = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->pages));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *unsaved = DBW_IS_PAGE (child) ? dbw_page_dup_unsaved (DBW_PAGE (child)) : NULL;

      if (unsaved == NULL)
        continue;
      g_ptr_array_add (pages, child);
      if (what->len > 0)
        g_string_append (what, "; ");
      g_string_append (what, unsaved);
    }

  return pages;
}

static gboolean
close_when_idle (gpointer data)
{
  DbwWindow *self = data;

  if (self->closing_project)
    {
      self->closing_project = FALSE;
      dbw_window_set_store (self, NULL);
    }
  else
    gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
unsaved_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     DbwWindow        *self)
{
  if (g_str_equal (response, "save"))
    {
      g_autoptr(GString) what = g_string_new (NULL);
      g_autoptr(GPtrArray) pages = pages_with_unsaved (self, what);

      /* A page that cannot save says why, and the window stays. */
      for (guint i = 0; i < pages->len; i++)
        if (!dbw_page_save_unsaved (g_ptr_array_index (pages, i)))
          return;
    }
  else if (g_str_equal (response, "discard"))
    {
      g_autoptr(GString) what = g_string_new (NULL);
      g_autoptr(GPtrArray) pages = pages_with_unsaved (self, what);

      for (guint i = 0; i < pages->len; i++)
        dbw_page_discard_draft (g_ptr_array_index (pages, i));
    }
  else
    return;

  /* Not from inside the dialog's response: the dialog goes with its window. */
  if (!self->closing_project)
    self->closing = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_when_idle, g_object_ref (self), g_object_unref);
}

/* Asks what to do with edits not saved yet, if there are any, before closing the window
 * or the project. Returns: whether it asked; the answer does the rest. */
static gboolean
ask_about_unsaved (DbwWindow *self,
                   gboolean   project)
{
  g_autoptr(GString) what = g_string_new (NULL);
  g_autoptr(GPtrArray) pages = pages_with_unsaved (self, what);
  GtkWidget *dialog;

  if (pages->len == 0)
    return FALSE;

  self->closing_project = project;
  dialog = dbw_unsaved_dialog_new (GTK_WINDOW (self),
                                   project ? _("Save Changes Before Closing the Project?")
                                           : _("Save Changes Before Closing?"),
                                   NULL, _("_Cancel"));
  /* Translators: %s says what, such as: the label of “board_0042.png” */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("Not saved yet: %s."), what->str);
  g_signal_connect_object (dialog, "response", G_CALLBACK (unsaved_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static gboolean
dbw_window_close_request (GtkWindow *window)
{
  DbwWindow *self = DBW_WINDOW (window);
  int width;
  int height;

  /* An edit the user has not saved is not dropped without asking. */
  if (!self->closing && ask_about_unsaved (self, FALSE))
    return TRUE;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (dbw_window_parent_class)->close_request (window);
}

static void
dbw_window_dispose (GObject *object)
{
  DbwWindow *self = (DbwWindow *)object;

  cancel_counts (self);
  g_cancellable_cancel (self->copy_cancellable);
  g_clear_object (&self->copy_cancellable);
  g_clear_weak_pointer (&self->copy_toast);
  g_clear_handle_id (&self->present_source, g_source_remove);
  g_clear_handle_id (&self->sync_reload_source, g_source_remove);
  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  if (self->sync_indicator != NULL)
    set_sync_service (self, NULL, NULL);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->store);
  g_clear_object (&self->store);
  close_audit_window (self);
  destroy_child_window (&self->shortcuts_window);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_WINDOW);

  G_OBJECT_CLASS (dbw_window_parent_class)->dispose (object);
}

static void
dbw_window_finalize (GObject *object)
{
  DbwWindow *self = (DbwWindow *)object;

  g_clear_object (&self->settings);
  g_free (self->sync_problem);

  G_OBJECT_CLASS (dbw_window_parent_class)->finalize (object);
}

static void
dbw_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DbwWindow *self = DBW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DbwWindow *self = DBW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dbw_window_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_window_class_init (DbwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dbw_window_dispose;
  object_class->finalize = dbw_window_finalize;
  object_class->get_property = dbw_window_get_property;
  object_class->set_property = dbw_window_set_property;

  widget_class->map = dbw_window_map;
  widget_class->unrealize = dbw_window_unrealize;
  window_class->close_request = dbw_window_close_request;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DBW_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DBW_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, welcome_overlay);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, read_only_banner);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwWindow, sync_indicator);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.save-copy", NULL, save_copy_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-copy", NULL, cancel_copy_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.link-workspace", NULL, link_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.unlink-workspace", NULL, unlink_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.audit-log", NULL, audit_log_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, show_shortcuts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-copy", NULL);
  for (guint i = 0; i < 7; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-page", "s", page_infos[i].name);
}

static void
dbw_window_init (DbwWindow *self)
{
  g_autofree char *last_page = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_list_box_set_header_func (self->sidebar, sidebar_header_func, NULL, NULL);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_sidebar_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->sidebar), keys);

    keys = gtk_event_controller_key_new ();
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_window_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }

  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    {
      const PageInfo *info = &page_infos[i];

      gtk_list_box_append (self->sidebar, dbw_sidebar_row_new (info->name, _(info->title), info->icon_name));
    }

  last_page = g_settings_get_string (self->settings, "last-page");
  if (!dbw_window_show_page (self, last_page))
    dbw_window_show_page (self, "data");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.audit-log", FALSE);
  update_sync_actions (self);

  g_signal_connect_object (self->settings, "changed::databricks-host",
                           G_CALLBACK (on_databricks_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::sql-warehouse-id",
                           G_CALLBACK (on_databricks_setting_changed_cb), self, G_CONNECT_SWAPPED);
}

DbwWindow *
dbw_window_new (AdwApplication *application)
{
  return g_object_new (DBW_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

DbwStore *
dbw_window_get_store (DbwWindow *self)
{
  g_return_val_if_fail (DBW_IS_WINDOW (self), NULL);

  return self->store;
}

static gboolean
preload_editors_cb (gpointer user_data)
{
  dbw_code_view_preload ();

  return G_SOURCE_REMOVE;
}

/**
 * dbw_window_set_store:
 * @store: (nullable): the project to show, or %NULL for the welcome view
 */
void
dbw_window_set_store (DbwWindow *self,
                      DbwStore  *store)
{
  g_return_if_fail (DBW_IS_WINDOW (self));
  g_return_if_fail (!store || DBW_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->store);
  close_audit_window (self);
  cancel_counts (self);

  g_set_object (&self->store, store);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->pages));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (DBW_IS_PAGE (child))
      dbw_page_set_store (DBW_PAGE (child), store);

  if (store != NULL)
    {
      g_autofree char *title = dbw_store_dup_title (store);
      g_autofree char *labeler = g_settings_get_string (self->settings, "labeler-name");

      if (dbw_store_get_user (store) == NULL)
        dbw_store_set_user (store, labeler);

      self->store_changed_handler =
        g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
      adw_window_title_set_title (self->sidebar_title, title);
      /* The path as a tooltip: as a subtitle it would set the sidebar's natural width. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sidebar_title), dbw_store_get_path (store));
      gtk_window_set_title (GTK_WINDOW (self), title);
      gtk_stack_set_visible_child_name (self->main_stack, "project");

      /* Well after the first frames, so that the first editor opens at once. */
      g_timeout_add_full (G_PRIORITY_LOW, PRELOAD_DELAY_MS, preload_editors_cb, NULL, NULL);
      /* Drafts in a read-only project are someone else's, and could not be saved. */
      if (!dbw_store_is_read_only (store))
        offer_drafts (self);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Databits Workbench"));
      ensure_welcome (self);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", store != NULL);
  update_copy_action (self);
  gtk_revealer_set_reveal_child (self->read_only_banner, store != NULL && dbw_store_is_read_only (store));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.audit-log", store != NULL);
  refresh_counts (self);

  /* A new project gets a new service. */
  set_sync_service (self, NULL, NULL);
  dbw_window_reload_sync (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
}

static gboolean
present_now (gpointer user_data)
{
  DbwWindow *self = user_data;

  self->present_source = 0;
  gtk_window_present (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DbwWindow) self = user_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  dbw_window_set_busy (self, FALSE);

  store = dbw_store_open_finish (result, &error);
  if (store != NULL)
    dbw_window_set_store (self, store);

  /* A window waiting for its project appears with the project (or the error) in place. */
  if (self->present_source != 0)
    {
      g_clear_handle_id (&self->present_source, g_source_remove);
      gtk_window_present (GTK_WINDOW (self));
    }

  if (store == NULL)
    {
      dbw_window_show_error (self, _("Could Not Open the Project"), error);
      return;
    }

  /* Remember it among the recent projects, newest first. */
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
    g_autofree char *uri = g_file_get_uri (dbw_store_get_file (store));
    g_auto(GStrv) updated = NULL;
    guint n = 1;

    g_strv_builder_add (builder, uri);
    for (guint i = 0; recent[i] != NULL && n < 10; i++)
      if (!g_str_equal (recent[i], uri))
        {
          g_strv_builder_add (builder, recent[i]);
          n++;
        }

    updated = g_strv_builder_end (builder);
    g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
  }
}

/**
 * dbw_window_present_when_open:
 * @timeout_ms: how long to wait for the project before presenting anyway
 *
 * Presents the window once the project given to dbw_window_open_file() is open, so opening
 * a file from the command line shows the project at once instead of the welcome view first.
 * A slow open (a large migration) still shows the window, with its spinner, after
 * @timeout_ms.
 */
void
dbw_window_present_when_open (DbwWindow *self,
                              guint      timeout_ms)
{
  g_return_if_fail (DBW_IS_WINDOW (self));

  if (!self->busy)
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  g_clear_handle_id (&self->present_source, g_source_remove);
  self->present_source = g_timeout_add (timeout_ms, present_now, self);
}

/**
 * dbw_window_open_file:
 *
 * Opens (or, with %DBW_STORE_OPEN_CREATE, creates) a project in a worker thread and shows
 * it, or explains in a dialog why it could not be opened.
 */
void
dbw_window_open_file (DbwWindow         *self,
                      GFile             *file,
                      DbwStoreOpenFlags  flags)
{
  g_return_if_fail (DBW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  dbw_window_set_busy (self, TRUE);
  dbw_store_open_async (file, flags, NULL, open_cb, g_object_ref (self));
}

void
dbw_window_show_error (DbwWindow    *self,
                       const char   *heading,
                       const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (DBW_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error != NULL ? error->message : NULL);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

void
dbw_window_show_toast (DbwWindow  *self,
                       const char *title)
{
  g_return_if_fail (DBW_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, dbw_toast_new_text (title));
}

/**
 * dbw_window_add_toast:
 * @toast: (transfer full): a toast, with a button for an undo for instance
 */
void
dbw_window_add_toast (DbwWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (DBW_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

gboolean
dbw_window_show_page (DbwWindow  *self,
                      const char *page_name)
{
  g_return_val_if_fail (DBW_IS_WINDOW (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (DBW_IS_SIDEBAR_ROW (child) &&
          g_strcmp0 (dbw_sidebar_row_get_page_name (DBW_SIDEBAR_ROW (child)), page_name) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (child));
          if (adw_leaflet_get_folded (self->leaflet))
            adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
          return TRUE;
        }
    }

  return FALSE;
}

const char *
dbw_window_get_visible_page_name (DbwWindow *self)
{
  g_return_val_if_fail (DBW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->pages);
}

/**
 * dbw_window_get_page:
 *
 * Builds the page if it was not shown yet.
 *
 * Returns: (transfer none) (nullable): the page called @page_name
 */
DbwPage *
dbw_window_get_page (DbwWindow  *self,
                     const char *page_name)
{
  GtkWidget *page;

  g_return_val_if_fail (DBW_IS_WINDOW (self), NULL);

  page = ensure_page (self, page_name);

  return page != NULL ? DBW_PAGE (page) : NULL;
}

GtkListBox *
dbw_window_get_sidebar (DbwWindow *self)
{
  g_return_val_if_fail (DBW_IS_WINDOW (self), NULL);

  return self->sidebar;
}

gboolean
dbw_window_is_busy (DbwWindow *self)
{
  g_return_val_if_fail (DBW_IS_WINDOW (self), FALSE);

  return self->busy;
}

void
dbw_window_set_busy (DbwWindow *self,
                     gboolean   busy)
{
  g_return_if_fail (DBW_IS_WINDOW (self));

  self->busy = !!busy;
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
  if (self->welcome != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->welcome), !self->busy);
}

/* Returns: (transfer none) (nullable): the project's sync service, %NULL while Databricks
 * is not set up */
DbwSyncService *
dbw_window_get_sync_service (DbwWindow *self)
{
  g_return_val_if_fail (DBW_IS_WINDOW (self), NULL);

  return self->sync_service;
}
