/* bench-startup.c
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

#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "dbw-demo.h"
#include "dbw-application.h"
#include "dbw-window.h"

/* Start-up to first frame: a window showing the demo project against a bare
 * AdwApplicationWindow, measured in the same run. Each sample is a fresh process: this
 * program runs itself again with --mode=bare or --mode=demo, and the parent times from the
 * spawn until the child reports the first frame painted (after GdkFrameClock::after-paint).
 * Both children start the same AdwApplication; the bare one presents an empty
 * AdwApplicationWindow of the same size, the demo one a DbwWindow that opens the demo project
 * (created once, before timing, by the parent) and counts only a frame painted after the
 * project is open and its view shown. After the timed samples one more child of each kind
 * runs with --trace and prints to stderr when each step of its start-up ended. Needs a
 * display: build-aux/bench runs it under Xvfb. */

#define N_SAMPLES      5
#define TARGET         1.5
#define CHILD_TIMEOUT  60
#define FIRST_FRAME    "FIRST-FRAME"

static char *mode = NULL;
static char *project_path = NULL;
static int n_samples = N_SAMPLES;
static gboolean trace = FALSE;

static const GOptionEntry entries[] = {
  { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "Run as a timed child: bare or demo", "MODE" },
  { "project", 0, 0, G_OPTION_ARG_FILENAME, &project_path, "Open this project instead of a fresh demo", "PATH" },
  { "samples", 0, 0, G_OPTION_ARG_INT, &n_samples, "Samples of each kind (5)", "N" },
  { "trace", 0, 0, G_OPTION_ARG_NONE, &trace, "In a child, print when each step of start-up ends", NULL },
  { NULL }
};

/* The child */

typedef struct
{
  GtkWindow     *window;
  GdkFrameClock *frame_clock;
  gulong         after_paint_handler;
  gboolean       wait_for_store;
  gboolean       store_ready;
  gboolean       painted;
  gint64         start;
} Child;

static Child child;

static void
trace_step (const char *step)
{
  if (trace)
    g_printerr ("  %8.1f ms  %s\n", (g_get_monotonic_time () - child.start) / 1000.0, step);
}

static gboolean
child_timeout_cb (gpointer user_data)
{
  g_printerr ("bench-startup: no frame after %d s in --mode=%s\n", CHILD_TIMEOUT, mode);
  exit (3);

  return G_SOURCE_REMOVE;
}

/* The project counts as shown once the Data page's table has its rows, not merely once the
 * window has the project: a table filled a frame later must not look faster than it is. */
static gboolean
table_has_rows (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    {
      GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (widget));

      return GTK_IS_SINGLE_SELECTION (selection) &&
             gtk_widget_get_mapped (widget) &&
             g_list_model_get_n_items (G_LIST_MODEL (selection)) > 0;
    }

  for (GtkWidget *child_widget = gtk_widget_get_first_child (widget);
       child_widget != NULL;
       child_widget = gtk_widget_get_next_sibling (child_widget))
    if (table_has_rows (child_widget))
      return TRUE;

  return FALSE;
}

static void
on_after_paint_cb (GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  GApplication *app = user_data;

  if (!child.painted)
    {
      child.painted = TRUE;
      trace_step ("first frame painted");
    }

  if (child.wait_for_store && (!child.store_ready || !table_has_rows (GTK_WIDGET (child.window))))
    return;

  trace_step ("first frame painted with the project open");

  g_clear_signal_handler (&child.after_paint_handler, child.frame_clock);

  fputs (FIRST_FRAME "\n", stdout);
  fflush (stdout);

  g_application_quit (app);
}

/* With --trace, the phases of the frames until the first: where a slow frame spends it. */
static void
on_phase_cb (GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  if (!child.painted)
    trace_step (user_data);
}

static void
on_window_realize_cb (GtkWidget *widget,
                      gpointer   user_data)
{
  trace_step ("window realized");
  child.frame_clock = gtk_widget_get_frame_clock (widget);
  g_assert (child.frame_clock != NULL);

  if (trace)
    {
      /* GTK's own handlers of "layout" and "paint" were connected first, so they run before these. */
      g_signal_connect (child.frame_clock, "before-paint", G_CALLBACK (on_phase_cb), (gpointer) "frame: layout starts");
      g_signal_connect (child.frame_clock, "layout", G_CALLBACK (on_phase_cb), (gpointer) "frame: layout done");
      g_signal_connect (child.frame_clock, "paint", G_CALLBACK (on_phase_cb), (gpointer) "frame: painted (snapshot, render)");
    }

  child.after_paint_handler =
    g_signal_connect (child.frame_clock, "after-paint", G_CALLBACK (on_after_paint_cb), user_data);
}

static void
on_window_map_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  trace_step ("window mapped");
}

static void
on_store_notify_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  if (dbw_window_get_store (DBW_WINDOW (object)) == NULL)
    return;

  /* The project view is now the visible child; make sure a frame follows. */
  trace_step ("DbwWindow:store set (after every page took the store)");
  child.store_ready = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (object));
}

static void
on_page_store_notify_cb (GObject    *object,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  g_autofree char *step = g_strdup_printf ("%s took the store", G_OBJECT_TYPE_NAME (object));

  trace_step (step);
}

static void
trace_pages (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (DBW_IS_PAGE (c))
        g_signal_connect (c, "notify::store", G_CALLBACK (on_page_store_notify_cb), NULL);
      else
        trace_pages (c);
    }
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    gpointer        user_data)
{
  if (!DBW_IS_WINDOW (window) || child.window != NULL)
    return;

  trace_step ("DbwWindow constructed");
  child.window = window;
  child.wait_for_store = TRUE;
  g_signal_connect (window, "notify::store", G_CALLBACK (on_store_notify_cb), NULL);
  g_signal_connect_after (window, "realize", G_CALLBACK (on_window_realize_cb), app);
  g_signal_connect_after (window, "map", G_CALLBACK (on_window_map_cb), NULL);
  if (trace)
    trace_pages (GTK_WIDGET (window));
}

static void
on_activate_cb (GApplication *app,
                gpointer      user_data)
{
  trace_step ("GApplication::activate");

  if (g_strcmp0 (mode, "demo") == 0)
    {
      DbwWindow *window = dbw_window_new (ADW_APPLICATION (app));

      trace_step ("DbwWindow constructed");
      child.window = GTK_WINDOW (window);
      child.wait_for_store = TRUE;
      g_signal_connect (window, "notify::store", G_CALLBACK (on_store_notify_cb), NULL);
      if (trace)
        trace_pages (GTK_WIDGET (window));
    }
  else
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      /* The size a DbwWindow restores, so both paint the same area. */
      child.window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_default_size (child.window,
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
    }

  g_signal_connect_after (child.window, "realize", G_CALLBACK (on_window_realize_cb), app);
  g_signal_connect_after (child.window, "map", G_CALLBACK (on_window_map_cb), NULL);
  gtk_window_present (child.window);
  trace_step ("window presented");

  if (child.wait_for_store)
    {
      g_autoptr(GFile) file = g_file_new_for_path (project_path);

      dbw_window_open_file (DBW_WINDOW (child.window), file, DBW_STORE_OPEN_DEFAULT);
    }
}

static int
child_main (void)
{
  g_autoptr(AdwApplication) app = NULL;

  if (g_strcmp0 (mode, "bare") != 0 && g_strcmp0 (mode, "demo") != 0)
    {
      g_printerr ("bench-startup: unknown --mode=%s (bare or demo)\n", mode);
      return 2;
    }

  if (g_strcmp0 (mode, "demo") == 0 && project_path == NULL)
    {
      g_printerr ("bench-startup: --mode=demo needs --project=PATH\n");
      return 2;
    }

  if (trace)
    g_printerr ("bench-startup --mode=%s, from main ():\n", mode);

  g_timeout_add_seconds (CHILD_TIMEOUT, child_timeout_cb, NULL);

  if (g_strcmp0 (mode, "demo") == 0)
    {
      /* The real start-up path: `databits-workbench PROJECT.dbw`. */
      char *argv[] = { (char *) "databits-workbench", project_path, NULL };

      app = ADW_APPLICATION (dbw_application_new ());
      g_application_set_flags (G_APPLICATION (app),
                               g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
      g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);

      return g_application_run (G_APPLICATION (app), 2, argv);
    }

  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* The parent */

typedef struct
{
  GMainLoop *loop;
  GFile     *file;
  GError    *error;
} DemoCreation;

static void
demo_created_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DemoCreation *creation = user_data;

  creation->file = dbw_demo_create_finish (result, &creation->error);
  g_main_loop_quit (creation->loop);
}

static GFile *
create_demo (const char  *path,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const char *sources = g_getenv ("DBW_DEMO_SOURCES");
  DemoCreation creation = { loop, NULL, NULL };

  if (sources == NULL || sources[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "DBW_DEMO_SOURCES is not set: run through meson (build-aux/bench)");
      return NULL;
    }

  dbw_demo_create_async (file, sources, NULL, demo_created_cb, &creation);
  g_main_loop_run (loop);

  if (creation.file == NULL)
    g_propagate_error (error, creation.error);

  return creation.file;
}

/* Milliseconds from the spawn of a child until it reports its first frame. */
static gboolean
measure (const char  *self_path,
         const char  *child_mode,
         const char  *project,
         gboolean     traced,
         double      *ms,
         GError     **error)
{
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", child_mode);
  g_autofree char *project_arg = g_strdup_printf ("--project=%s", project);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  gboolean seen = FALSE;
  gint64 start;
  gint64 end = 0;

  start = g_get_monotonic_time ();

  subprocess = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                                 self_path, mode_arg, project_arg,
                                 traced ? "--trace" : NULL, NULL);
  if (subprocess == NULL)
    return FALSE;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (subprocess));

  while (!seen)
    {
      g_autofree char *line = NULL;
      g_autoptr(GError) read_error = NULL;

      line = g_data_input_stream_read_line (lines, NULL, NULL, &read_error);
      if (line == NULL)
        break;

      if (g_str_equal (line, FIRST_FRAME))
        {
          end = g_get_monotonic_time ();
          seen = TRUE;
        }
    }

  if (!g_subprocess_wait_check (subprocess, NULL, error))
    {
      g_prefix_error (error, "--mode=%s: ", child_mode);
      return FALSE;
    }

  if (!seen)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "--mode=%s exited without painting a frame", child_mode);
      return FALSE;
    }

  *ms = (end - start) / 1000.0;

  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);

  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

static void
append_samples (GString      *json,
                const char   *name,
                const double *values,
                guint         n)
{
  g_string_append_printf (json, ",\"%s\":[", name);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s%.1f", i > 0 ? "," : "", values[i]);
  g_string_append_c (json, ']');
}

static int
parent_main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) demo = NULL;
  g_autoptr(GString) json = NULL;
  g_autofree char *self_path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *demo_path = NULL;
  g_autofree char *project = NULL;
  g_autofree double *bare = NULL;
  g_autofree double *with_demo = NULL;
  g_autofree double *bare_sorted = NULL;
  g_autofree double *demo_sorted = NULL;
  double bare_ms;
  double demo_ms;
  double ratio;
  double ignored;
  int status = 1;

  if (n_samples < 1)
    n_samples = 1;

  bare = g_new0 (double, n_samples);
  with_demo = g_new0 (double, n_samples);

  self_path = g_file_read_link ("/proc/self/exe", &error);
  if (self_path == NULL)
    goto out;

  tmpdir = g_dir_make_tmp ("dbw-bench-startup-XXXXXX", &error);
  if (tmpdir == NULL)
    goto out;

  /* --project=PATH measures an existing project instead of a fresh demo. */
  if (project_path != NULL)
    {
      project = g_strdup (project_path);
    }
  else
    {
      demo_path = g_build_filename (tmpdir, "Demo Project.dbw", NULL);
      demo = create_demo (demo_path, &error);
      if (demo == NULL)
        goto out;
      project = g_strdup (demo_path);
    }

  /* One unmeasured start of each: caches, fontconfig, the accessibility bus. */
  if (!measure (self_path, "bare", project, FALSE, &ignored, &error) ||
      !measure (self_path, "demo", project, FALSE, &ignored, &error))
    goto out;

  for (int i = 0; i < n_samples; i++)
    {
      if (!measure (self_path, "bare", project, FALSE, &bare[i], &error) ||
          !measure (self_path, "demo", project, FALSE, &with_demo[i], &error))
        goto out;

      g_printerr ("sample %d: bare %.1f ms, demo %.1f ms\n", i + 1, bare[i], with_demo[i]);
    }

  /* One more of each, untimed, that says where its time went. */
  g_printerr ("Where the time goes (one more start of each, not counted):\n");
  if (!measure (self_path, "bare", project, TRUE, &ignored, &error) ||
      !measure (self_path, "demo", project, TRUE, &ignored, &error))
    goto out;

  bare_sorted = g_memdup2 (bare, sizeof (double) * n_samples);
  demo_sorted = g_memdup2 (with_demo, sizeof (double) * n_samples);
  bare_ms = median (bare_sorted, n_samples);
  demo_ms = median (demo_sorted, n_samples);
  ratio = demo_ms / bare_ms;

  json = g_string_new (NULL);
  g_string_append_printf (json,
                          "{\"benchmark\":\"startup-first-frame\",\"samples\":%d,"
                          "\"bare_ms\":%.1f,\"demo_ms\":%.1f,\"ratio\":%.3f,"
                          "\"target\":%.1f,\"pass\":%s",
                          n_samples, bare_ms, demo_ms, ratio, TARGET,
                          ratio <= TARGET ? "true" : "false");
  append_samples (json, "bare_samples_ms", bare, n_samples);
  append_samples (json, "demo_samples_ms", with_demo, n_samples);
  g_string_append_c (json, '}');
  g_print ("%s\n", json->str);

  status = 0;

out:
  if (error != NULL)
    g_printerr ("bench-startup: %s\n", error->message);

  if (demo_path != NULL)
    {
      static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (demo_path, suffixes[i], NULL);

          g_unlink (file);
        }
    }
  if (tmpdir != NULL)
    g_rmdir (tmpdir);

  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  child.start = g_get_monotonic_time ();

  context = g_option_context_new ("— start-up to first frame, demo project against a bare window");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (mode != NULL)
    return child_main ();

  return parent_main ();
}
