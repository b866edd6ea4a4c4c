/* ui-test-keys.h — real key presses for UI tests and benchmarks, through the X server
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* GTK 4 has no public way to make a GdkKeyEvent (gtk_test_widget_send_key is gone and
 * gdk_key_event_new is private), and activating actions directly would skip exactly what
 * a keyboard test must check: which widget has the focus, which shortcut controller sees
 * the key, whether a text field swallows it. So the keys are pressed on the X server
 * itself, with the XTEST extension (built into Xvfb): the server delivers them to the
 * window with the input focus like a keyboard would, GDK reads them through XInput 2 and
 * GTK propagates them from the focus widget up. libXtst has no development package on
 * the build machines, so its one function is looked up at run time. No pointer event is
 * ever made. */

#include <dlfcn.h>
#include <string.h>

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/XKBlib.h>

typedef int (*UiTestFakeKeyEvent) (Display *display, unsigned int keycode, Bool is_press, unsigned long delay);

typedef struct
{
  guint keyval;
  guint n_released;
} UiTestKeyWatch;

static UiTestFakeKeyEvent
ui_test_keys_fake_key_event (void)
{
  static UiTestFakeKeyEvent func;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      void *lib = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_LOCAL);

      /* dlsym returns a data pointer; POSIX guarantees it holds a function's address. */
      if (lib != NULL)
        {
          void *symbol = dlsym (lib, "XTestFakeKeyEvent");

          memcpy (&func, &symbol, sizeof func);
        }
      g_once_init_leave (&once, 1);
    }

  return func;
}

/* Whether keys can be pressed here: an X display with XTEST. */
static inline gboolean
ui_test_keys_available (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  return display != NULL && GDK_IS_X11_DISPLAY (display) && ui_test_keys_fake_key_event () != NULL;
}

static gboolean
ui_test_keys_released_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          gpointer               user_data)
{
  UiTestKeyWatch *watch = user_data;

  if (gdk_keyval_to_lower (keyval) == gdk_keyval_to_lower (watch->keyval))
    watch->n_released++;

  return FALSE;
}

static void
ui_test_keys_add_watch (GtkWidget      *native,
                        UiTestKeyWatch *watch)
{
  GtkEventController *controller;

  if (g_object_get_data (G_OBJECT (native), "ui-test-key-watched") != NULL)
    return;

  /* First to see every key that reaches this native, and lets it go on. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-released", G_CALLBACK (ui_test_keys_released_cb), watch);
  gtk_widget_add_controller (native, controller);
  g_object_set_data (G_OBJECT (native), "ui-test-key-watched", GINT_TO_POINTER (TRUE));
}

/* A popover is a native of its own: keys typed in it never reach the window's controllers. */
static void
ui_test_keys_watch_popovers (GtkWidget      *widget,
                             UiTestKeyWatch *watch)
{
  if (GTK_IS_POPOVER (widget))
    ui_test_keys_add_watch (widget, watch);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    ui_test_keys_watch_popovers (child, watch);
}

static inline UiTestKeyWatch *
ui_test_keys_watch (GtkWindow *window)
{
  UiTestKeyWatch *watch = g_object_get_data (G_OBJECT (window), "ui-test-key-watch");

  if (watch == NULL)
    {
      watch = g_new0 (UiTestKeyWatch, 1);
      g_object_set_data_full (G_OBJECT (window), "ui-test-key-watch", watch, g_free);
    }

  ui_test_keys_add_watch (GTK_WIDGET (window), watch);
  ui_test_keys_watch_popovers (GTK_WIDGET (window), watch);

  return watch;
}

/* Gives @window the X input focus (there is no window manager under Xvfb to do it). */
static inline void
ui_test_keys_focus (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkDisplay *display = gdk_surface_get_display (surface);
  Display *xdisplay = gdk_x11_display_get_xdisplay (display);

  ui_test_keys_watch (window);

  gdk_x11_display_error_trap_push (display);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XSync (xdisplay, False);
  gdk_x11_display_error_trap_pop_ignored (display);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
ui_test_keys_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Presses and releases @keyval (a GDK keyval, which is the X keysym) with @modifiers held,
 * and returns once GTK has handled the release: everything the press did has happened. */
static inline void
ui_test_keys_press (GtkWindow       *window,
                    guint            keyval,
                    GdkModifierType  modifiers)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  Display *xdisplay = gdk_x11_display_get_xdisplay (display);
  UiTestFakeKeyEvent fake = ui_test_keys_fake_key_event ();
  UiTestKeyWatch *watch = ui_test_keys_watch (window);
  guint mods[2] = { 0, 0 };
  guint n_mods = 0;
  KeyCode code = XKeysymToKeycode (xdisplay, keyval);
  guint before = watch->n_released;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint wake;

  g_assert_nonnull (fake);
  g_assert_cmpuint (code, !=, 0);

  if (modifiers & GDK_CONTROL_MASK)
    mods[n_mods++] = XKeysymToKeycode (xdisplay, GDK_KEY_Control_L);
  if (modifiers & GDK_SHIFT_MASK)
    mods[n_mods++] = XKeysymToKeycode (xdisplay, GDK_KEY_Shift_L);

  watch->keyval = keyval;
  for (guint i = 0; i < n_mods; i++)
    fake (xdisplay, mods[i], True, CurrentTime);
  fake (xdisplay, code, True, CurrentTime);
  fake (xdisplay, code, False, CurrentTime);
  for (guint i = n_mods; i > 0; i--)
    fake (xdisplay, mods[i - 1], False, CurrentTime);
  XSync (xdisplay, False);

  wake = g_timeout_add (20, ui_test_keys_wake_cb, NULL);
  while (watch->n_released == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Types @text (ASCII), with Shift for the characters that need it on the server's keymap. */
static inline void
ui_test_keys_type (GtkWindow  *window,
                   const char *text)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (window)));

  for (const char *p = text; *p != '\0'; p++)
    {
      guint keyval = *p == ' ' ? GDK_KEY_space : gdk_unicode_to_keyval ((guchar) *p);
      KeyCode code = XKeysymToKeycode (xdisplay, keyval);
      gboolean shifted = XkbKeycodeToKeysym (xdisplay, code, 0, 0) != keyval;

      ui_test_keys_press (window, keyval, shifted ? GDK_SHIFT_MASK : 0);
    }
}
