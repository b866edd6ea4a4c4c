/* dbw-code-view.c
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

#define G_LOG_DOMAIN "dbw-code-view"

#include "config.h"

#include <adwaita.h>

#include "dbw-code-view.h"

/* A source view for the text fields of a template: prompts highlighted with the
 * "databits-prompt" language shipped in the resources ({{ placeholders }}), schemas and
 * examples as JSON. The colours follow the light or dark style of the application. It
 * grows with its text; the page around it scrolls. */

struct _DbwCodeView
{
  GtkSourceView  parent_instance;

  char          *language_id;
};

G_DEFINE_FINAL_TYPE (DbwCodeView, dbw_code_view, GTK_SOURCE_TYPE_VIEW)

enum {
  PROP_0,
  PROP_LANGUAGE_ID,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
update_style_scheme (DbwCodeView *self)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "classic-dark" : "classic");

  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer), scheme);
}

static void
on_dark_changed_cb (DbwCodeView     *self,
                    GParamSpec      *pspec,
                    AdwStyleManager *style_manager)
{
  update_style_scheme (self);
}

static void
dbw_code_view_finalize (GObject *object)
{
  DbwCodeView *self = (DbwCodeView *)object;

  g_clear_pointer (&self->language_id, g_free);

  G_OBJECT_CLASS (dbw_code_view_parent_class)->finalize (object);
}

static void
dbw_code_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DbwCodeView *self = DBW_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE_ID:
      g_value_set_string (value, self->language_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_code_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DbwCodeView *self = DBW_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE_ID:
      dbw_code_view_set_language_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The project's own language files join GtkSourceView's. */
static void
ensure_languages (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      gtk_source_init ();
      gtk_source_language_manager_append_search_path (gtk_source_language_manager_get_default (),
                                                      "resource:///io/github/databits/Workbench/language-specs/");
      g_once_init_leave (&done, 1);
    }
}

static void
dbw_code_view_class_init (DbwCodeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dbw_code_view_finalize;
  object_class->get_property = dbw_code_view_get_property;
  object_class->set_property = dbw_code_view_set_property;

  properties [PROP_LANGUAGE_ID] =
    g_param_spec_string ("language-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "textview");

  ensure_languages ();
}

static void
dbw_code_view_init (DbwCodeView *self)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (self);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  gtk_widget_add_css_class (GTK_WIDGET (self), "code-view");
  gtk_text_view_set_monospace (text_view, TRUE);
  gtk_text_view_set_wrap_mode (text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (text_view, 12);
  gtk_text_view_set_right_margin (text_view, 12);
  gtk_text_view_set_top_margin (text_view, 10);
  gtk_text_view_set_bottom_margin (text_view, 10);
  gtk_text_view_set_accepts_tab (text_view, FALSE);
  gtk_source_view_set_auto_indent (GTK_SOURCE_VIEW (self), TRUE);
  gtk_source_view_set_indent_width (GTK_SOURCE_VIEW (self), 2);
  gtk_source_view_set_tab_width (GTK_SOURCE_VIEW (self), 2);
  gtk_source_view_set_insert_spaces_instead_of_tabs (GTK_SOURCE_VIEW (self), TRUE);
  gtk_source_buffer_set_highlight_matching_brackets (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (text_view)), TRUE);

  g_signal_connect_object (style_manager, "notify::dark", G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
}

GtkWidget *
dbw_code_view_new (const char *language_id)
{
  return g_object_new (DBW_TYPE_CODE_VIEW,
                       "language-id", language_id,
                       NULL);
}

/* Kept for the life of the process: a language's parsed definitions live only as long as a
 * buffer highlights with them. */
static GtkSourceBuffer *preloaded[2];

/**
 * dbw_code_view_preload:
 *
 * Parses the languages and style schemes of the code views, and keeps them parsed.
 * GtkSourceView reads and validates a language file the first time a buffer uses it: done
 * here, at an idle moment after start-up, rather than when the first editor opens.
 */
void
dbw_code_view_preload (void)
{
  static const char * const language_ids[G_N_ELEMENTS (preloaded)] = { "databits-prompt", "json" };
  GtkSourceLanguageManager *languages;

  if (preloaded[0] != NULL)
    return;

  ensure_languages ();
  languages = gtk_source_language_manager_get_default ();
  for (guint i = 0; i < G_N_ELEMENTS (preloaded); i++)
    {
      GtkSourceLanguage *language = gtk_source_language_manager_get_language (languages, language_ids[i]);

      preloaded[i] = gtk_source_buffer_new_with_language (language);
    }
  gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (), "Adwaita");
}

const char *
dbw_code_view_get_language_id (DbwCodeView *self)
{
  g_return_val_if_fail (DBW_IS_CODE_VIEW (self), NULL);

  return self->language_id;
}

void
dbw_code_view_set_language_id (DbwCodeView *self,
                               const char  *language_id)
{
  GtkSourceLanguage *language = NULL;
  GtkTextBuffer *buffer;

  g_return_if_fail (DBW_IS_CODE_VIEW (self));

  if (g_strcmp0 (self->language_id, language_id) == 0)
    return;

  g_free (self->language_id);
  self->language_id = g_strdup (language_id);

  if (language_id != NULL)
    {
      language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), language_id);
      if (language == NULL)
        g_warning ("No source language “%s”", language_id);
    }

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer), language);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LANGUAGE_ID]);
}

char *
dbw_code_view_dup_text (DbwCodeView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (DBW_IS_CODE_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Replaces the text without leaving an undo step: undo must not bring back the text
 * of another template. */
void
dbw_code_view_set_text (DbwCodeView *self,
                        const char  *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start;

  g_return_if_fail (DBW_IS_CODE_VIEW (self));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_set_modified (buffer, FALSE);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
}
