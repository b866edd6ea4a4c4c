/* ui-test-util.h — what UI tests share: waiting on the main loop, opening the demo, finding widgets
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <signal.h>

#include <adwaita.h>

#include "dbw-demo.h"
#include "dbw-canonical-page.h"
#include "dbw-window.h"

static gboolean
ui_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @done says so, failing the test after 60 s. */
static inline void
ui_test_spin_until (gboolean (*done) (gpointer),
                    gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  /* So the deadline is seen when nothing else happens. */
  guint wake = g_timeout_add (100, ui_test_wake_cb, NULL);

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

/* Whether @widget, or a widget under it, is on show and passes @match. */
static inline gboolean
ui_test_shows (GtkWidget  *widget,
               gboolean  (*match) (GtkWidget *widget, gconstpointer data),
               gconstpointer data)
{
  if (gtk_widget_get_mapped (widget) && match (widget, data))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (ui_test_shows (child, match, data))
      return TRUE;

  return FALSE;
}

static inline gboolean
ui_test_is_label_with_text (GtkWidget     *widget,
                            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* Whether a label on show under @widget says @text. */
static inline gboolean
ui_test_label_shown (GtkWidget  *widget,
                     const char *text)
{
  return ui_test_shows (widget, ui_test_is_label_with_text, text);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} UiTestShownText;

/* For ui_test_spin_until(): whether @data (a UiTestShownText) is on show. */
static inline gboolean
ui_test_text_shown (gpointer data)
{
  UiTestShownText *wait = data;

  return ui_test_label_shown (wait->root, wait->text);
}

/* Whether @widget is a label showing @text: one given markup it cannot read keeps it as its
 * label, but shows nothing. */
static inline gboolean
ui_test_is_label_showing (GtkWidget     *widget,
                          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* For ui_test_spin_until(): whether @data (a UiTestShownText) is on screen as written. */
static inline gboolean
ui_test_text_showing (gpointer data)
{
  UiTestShownText *wait = data;

  return ui_test_shows (wait->root, ui_test_is_label_showing, wait->text);
}

static inline void
ui_test_spin_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
ui_test_pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Destroys @window and waits until it is finalized: work of its own in worker threads holds
 * it until that work ended, with its connections to the project closed, so the project's
 * file can then be removed or made anew. */
static inline void
ui_test_destroy_window (GtkWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (window);
  ui_test_spin_until (ui_test_pointer_cleared, &weak);
}

static void
ui_test_demo_created_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dbw_demo_create_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
ui_test_file_ready (gpointer data)
{
  return *(GFile **) data != NULL;
}

static gboolean
ui_test_window_has_store (gpointer data)
{
  return dbw_window_get_store (DBW_WINDOW (data)) != NULL;
}

typedef struct
{
  DbwStore   *store;
  const char *page;   /* the page type keeping the draft, such as "DbwLabelPage" */
  const char *text;   /* what the draft holds, or NULL for no draft at all */
} UiTestDraftWait;

/* For ui_test_spin_until(): whether the Canonical Labeling page @data found the item it
 * starts from, after its sheet or label type changed. */
static inline gboolean
ui_test_canonical_start_found (gpointer data)
{
  return !dbw_canonical_page_get_searching (DBW_CANONICAL_PAGE (data));
}

/* For ui_test_spin_until(): whether the page's draft in the project is as @data (a
 * UiTestDraftWait) says. */
static inline gboolean
ui_test_draft_is (gpointer data)
{
  UiTestDraftWait *wait = data;
  g_autofree char *draft = dbw_store_dup_draft (wait->store, wait->page);

  return wait->text != NULL ? draft != NULL && strstr (draft, wait->text) != NULL : draft == NULL;
}

/* Runs @argv (the test program again, in a mode of its own) and kills it (SIGKILL, no
 * chance to clean up, as a crash) as soon as it says @line on stdout. */
static inline void
ui_test_kill_child_after (const char * const *argv,
                          const char         *line)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  said = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (said, ==, line);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
}

/* A window of @app (or none) of @width × @height on the project @file opened with @flags,
 * once it is open. */
static inline DbwWindow *
ui_test_open_file_with (GFile             *file,
                        DbwStoreOpenFlags  flags,
                        AdwApplication    *app,
                        int                width,
                        int                height)
{
  DbwWindow *window = dbw_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  dbw_window_open_file (window, file, flags);
  ui_test_spin_until (ui_test_window_has_store, window);

  return window;
}

/* A window of 1300 × 800 on the project @file. */
static inline DbwWindow *
ui_test_open_file (GFile *file)
{
  return ui_test_open_file_with (file, DBW_STORE_OPEN_DEFAULT, NULL, 1300, 800);
}

/* A window of @app (or none) of @width × @height on a fresh copy of the demo project at
 * @dir/@name. */
static inline DbwWindow *
ui_test_open_demo_with (const char     *dir,
                        const char     *name,
                        AdwApplication *app,
                        int             width,
                        int             height)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) created = NULL;

  dbw_demo_create_async (file, g_getenv ("DBW_DEMO_SOURCES"), NULL, ui_test_demo_created_cb, &created);
  ui_test_spin_until (ui_test_file_ready, &created);

  return ui_test_open_file_with (created, DBW_STORE_OPEN_DEFAULT, app, width, height);
}

/* A window of 1300 × 800 on a fresh copy of the demo project at @dir/@name. */
static inline DbwWindow *
ui_test_open_demo (const char *dir,
                   const char *name)
{
  return ui_test_open_demo_with (dir, name, NULL, 1300, 800);
}

/* The first widget of @type under @widget (itself included). */
static inline GtkWidget *
ui_test_find_widget (GtkWidget *widget,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Whether the buttons of @action_name under @widget can be used: GTK makes them
 * insensitive while their action is off. */
static inline gboolean
ui_test_action_usable (GtkWidget  *widget,
                       const char *action_name)
{
  guint n_found = 0;
  guint n_usable = 0;
  GPtrArray *stack = g_ptr_array_new ();

  g_ptr_array_add (stack, widget);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action_name) == 0)
        {
          n_found++;
          n_usable += gtk_widget_get_sensitive (w) ? 1 : 0;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (w); child != NULL; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);

  g_assert_cmpuint (n_found, >, 0);
  /* All or none. */
  g_assert_true (n_usable == 0 || n_usable == n_found);
  return n_usable > 0;
}

/* The toplevel window of @type, or NULL. */
static inline GtkWindow *
ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }

  return NULL;
}

/* Whether @window is still a toplevel: a closed window leaves the list at once, and is
 * finalized later. @window is only compared, never read. */
static inline gboolean
ui_test_is_toplevel (GtkWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel == window)
        return TRUE;
    }

  return FALSE;
}
