/* dbw-application.c
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

#define G_LOG_DOMAIN "dbw-application"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "dbw-application.h"
#include "dbw-demo.h"
#include "dbw-preferences-window.h"
#include "dbw-window.h"

struct _DbwApplication
{
  AdwApplication parent_instance;

  gboolean       open_demo;
};

G_DEFINE_FINAL_TYPE (DbwApplication, dbw_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open a fresh copy of the demo project"), NULL },
  { NULL }
};

/* A window to put a project in: the active one if it has none yet, else a new one. */
static DbwWindow *
get_target_window (DbwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (DBW_IS_WINDOW (window) && dbw_window_get_store (DBW_WINDOW (window)) == NULL &&
      !dbw_window_is_busy (DBW_WINDOW (window)))
    return DBW_WINDOW (window);

  window = GTK_WINDOW (dbw_window_new (ADW_APPLICATION (self)));
  gtk_window_present (window);

  return DBW_WINDOW (window);
}

/**
 * dbw_application_dup_demo_sources:
 *
 * Returns: (transfer full): the folder with the demo project's sources: $DBW_DEMO_SOURCES
 *   when set (development and tests), else the installed copy
 */
char *
dbw_application_dup_demo_sources (void)
{
  const char *env = g_getenv ("DBW_DEMO_SOURCES");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (PKGDATADIR, "demo", NULL);
}

/**
 * dbw_application_next_demo_file:
 *
 * Returns: (transfer full): a new file name for a fresh demo project in the user's data
 *   folder, never one that exists
 */
GFile *
dbw_application_next_demo_file (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "databits-workbench", "demo", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 1; i < 10000; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup (_("Demo Project.dbw"))
                                     : g_strdup_printf (_("Demo Project %u.dbw"), i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_file_new_for_path (path);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("Too many demo projects in “%s”"), dir);
  return NULL;
}

static void
demo_created_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbwWindow) window = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  dbw_window_set_busy (window, FALSE);

  file = dbw_demo_create_finish (result, &error);
  if (file == NULL)
    {
      dbw_window_show_error (window, _("Could Not Create the Demo Project"), error);
      return;
    }

  dbw_window_open_file (window, file, DBW_STORE_OPEN_DEFAULT);
}

static void
open_demo (DbwApplication *self)
{
  DbwWindow *window = get_target_window (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *sources = NULL;

  file = dbw_application_next_demo_file (&error);
  if (file == NULL)
    {
      dbw_window_show_error (window, _("Could Not Create the Demo Project"), error);
      return;
    }

  sources = dbw_application_dup_demo_sources ();
  dbw_window_set_busy (window, TRUE);
  dbw_demo_create_async (file, sources, NULL, demo_created_cb, g_object_ref (window));
}

static void
new_response_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  g_autoptr(DbwApplication) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = NULL;

      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);

      /* The chooser already asked whether to replace an existing file. */
      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *wal = g_strconcat (path, "-wal", NULL);
          g_autofree char *shm = g_strconcat (path, "-shm", NULL);

          g_unlink (path);
          g_unlink (wal);
          g_unlink (shm);
        }

      dbw_window_open_file (get_target_window (self), file, DBW_STORE_OPEN_CREATE);
    }

  g_object_unref (dialog);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(DbwApplication) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      dbw_window_open_file (get_target_window (self), file, DBW_STORE_OPEN_DEFAULT);
    }

  g_object_unref (dialog);
}

/**
 * dbw_project_file_filter_new:
 *
 * Returns: (transfer full): the filter of file choosers for project files
 */
GtkFileFilter *
dbw_project_file_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Databits Projects"));
  gtk_file_filter_add_pattern (filter, "*.dbw");
  gtk_file_filter_add_mime_type (filter, "application/x-databits-project");

  return filter;
}

static void
new_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  DbwApplication *self = user_data;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = dbw_project_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("New Project"),
                                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Create"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("Untitled Project.dbw"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (new_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  DbwApplication *self = user_data;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = dbw_project_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Project"),
                                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_recent_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  DbwApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  dbw_window_open_file (get_target_window (self), file, DBW_STORE_OPEN_DEFAULT);
}

/* The `databits` command changed a project (see dbw_cli_tell_app()): the windows showing
 * it read it again. */
static void
project_changed_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  DbwApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      DbwStore *store = DBW_IS_WINDOW (l->data) ? dbw_window_get_store (l->data) : NULL;

      if (store != NULL && g_file_equal (dbw_store_get_file (store), file))
        dbw_store_emit_reset (store);
    }
}

static void
open_demo_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  open_demo (DBW_APPLICATION (user_data));
}

/* The token is in the keyring, where no signal tells of a change: look again once the
 * user is done with Preferences. */
static void
on_preferences_destroy_cb (DbwApplication *self,
                           GtkWidget      *preferences)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (DBW_IS_WINDOW (l->data))
      dbw_window_reload_sync (l->data);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  DbwApplication *self = user_data;
  DbwPreferencesWindow *window;

  window = dbw_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)));
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_preferences_destroy_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  DbwApplication *self = user_data;
  static const char *developers[] = { "The Databits Workbench authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Databits Workbench"),
                        "developer-name", _("The Databits Workbench authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Turn raw data into governed AI training data: sheets, Q&A pairs, expert labels, usage constraints and lineage, local first, with Databricks as the scale-out engine."),
                        "website", "https://github.com/databits/workbench",
                        "issue-url", "https://github.com/databits/workbench/issues",
                        "developers", developers,
                        "copyright", "© 2026 The Databits Workbench authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
help_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  DbwApplication *self = user_data;

  gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)),
                "help:databits-workbench", GDK_CURRENT_TIME);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  DbwApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window saves its size; every decision is already committed. A window
   * with an edit not saved yet asks first, and stays until the user answers. */
  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);

  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "new", new_action },
  { "open", open_action },
  { "open-recent", open_recent_action, "s" },
  { "open-demo", open_demo_action },
  { "project-changed", project_changed_action, "s" },
  { "preferences", preferences_action },
  { "about", about_action },
  { "help", help_action },
  { "quit", quit_action },
};

static int
dbw_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  DbwApplication *self = DBW_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", _("Databits Workbench"), PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    self->open_demo = TRUE;

  return G_APPLICATION_CLASS (dbw_application_parent_class)->handle_local_options (app, options);
}

static void
dbw_application_startup (GApplication *app)
{
  DbwApplication *self = DBW_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.new", { "<Control>n", NULL } },
    { "app.open", { "<Control>o", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-shortcuts", { "<Control>question", NULL } },
    { "win.toggle-sidebar", { "F9", NULL } },
  };

  G_APPLICATION_CLASS (dbw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
dbw_application_activate (GApplication *app)
{
  DbwApplication *self = DBW_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dbw_window_new (ADW_APPLICATION (app)));

  gtk_window_present (window);

  if (self->open_demo)
    {
      self->open_demo = FALSE;
      open_demo (self);
    }
}

static void
dbw_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  DbwApplication *self = DBW_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
      DbwWindow *window;

      /* A window created for the file appears with its project in place. */
      if (DBW_IS_WINDOW (active) && dbw_window_get_store (DBW_WINDOW (active)) == NULL &&
          !dbw_window_is_busy (DBW_WINDOW (active)))
        window = DBW_WINDOW (active);
      else
        window = dbw_window_new (ADW_APPLICATION (self));

      dbw_window_open_file (window, files[i], DBW_STORE_OPEN_DEFAULT);
      dbw_window_present_when_open (window, 250);
    }
}

static void
dbw_application_class_init (DbwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = dbw_application_handle_local_options;
  app_class->startup = dbw_application_startup;
  app_class->activate = dbw_application_activate;
  app_class->open = dbw_application_open;
}

static void
dbw_application_init (DbwApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.dbw]"));
}

DbwApplication *
dbw_application_new (void)
{
  return g_object_new (DBW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/databits/Workbench",
                       NULL);
}
