/* dbw-template-diff-view.c
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

#define G_LOG_DOMAIN "dbw-template-diff-view"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-json-text.h"
#include "dbw-page.h"
#include "dbw-template-diff-view.h"
#include "dbw-text-diff.h"

/* Two versions of a template side by side, field by field: the older on the left. Only
 * the fields that differ are shown, each as a line diff with removed lines tinted on the
 * left, added ones on the right, and long runs of unchanged lines folded away; the
 * fields that are the same are named at the end. */

/* Unchanged lines shown around a change. */
#define CONTEXT_LINES 2

struct _DbwTemplateDiffView
{
  GtkWidget  parent_instance;

  GtkBox    *box;
  GPtrArray *changes;   /* "User Prompt: -old line", for tests and screen readers */
};

G_DEFINE_FINAL_TYPE (DbwTemplateDiffView, dbw_template_diff_view, GTK_TYPE_WIDGET)

static GtkWidget *
cell (const char *text,
      const char *css_class,
      gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (text != NULL && text[0] != '\0' ? text : " ");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  if (wrap)
    {
      /* Both text columns ask for the same little width, so they share the rest equally. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
    }
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
line_number (guint line)
{
  g_autofree char *text = line > 0 ? g_strdup_printf ("%u", line) : NULL;
  GtkWidget *label = cell (text, "line-number", FALSE);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_size_request (label, 36, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);

  return label;
}

static void
add_row (GtkGrid    *grid,
         int         row,
         DbwDiffRow *diff)
{
  const char *left_class = NULL;
  const char *right_class = NULL;

  switch (diff->kind)
    {
    case DBW_DIFF_REMOVED:
      left_class = "removed";
      break;
    case DBW_DIFF_ADDED:
      right_class = "added";
      break;
    case DBW_DIFF_CHANGED:
      left_class = "changed-left";
      right_class = "changed-right";
      break;
    case DBW_DIFF_SAME:
    default:
      break;
    }

  gtk_grid_attach (grid, line_number (diff->left_line), 0, row, 1, 1);
  gtk_grid_attach (grid, cell (diff->left, left_class, TRUE), 1, row, 1, 1);
  gtk_grid_attach (grid, line_number (diff->right_line), 2, row, 1, 1);
  gtk_grid_attach (grid, cell (diff->right, right_class, TRUE), 3, row, 1, 1);
}

static void
add_elided (GtkGrid *grid,
            int      row,
            guint    n_lines)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "⋯ %u unchanged line", "⋯ %u unchanged lines", n_lines), n_lines);

  gtk_grid_attach (grid, cell (text, "elided", FALSE), 0, row, 4, 1);
}

static void
record_changes (DbwTemplateDiffView *self,
                const char          *title,
                GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      DbwDiffRow *diff = g_ptr_array_index (rows, i);

      if (diff->left != NULL && diff->kind != DBW_DIFF_SAME && diff->kind != DBW_DIFF_ADDED)
        g_ptr_array_add (self->changes, g_strdup_printf ("%s: -%s", title, diff->left));
      if (diff->right != NULL && diff->kind != DBW_DIFF_SAME && diff->kind != DBW_DIFF_REMOVED)
        g_ptr_array_add (self->changes, g_strdup_printf ("%s: +%s", title, diff->right));
    }
}

static gboolean
has_changed_row (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    if (((DbwDiffRow *) g_ptr_array_index (rows, i))->kind != DBW_DIFF_SAME)
      return TRUE;

  return FALSE;
}

/* Adds the section of one field; returns FALSE when the two texts are the same. */
static gboolean
add_field (DbwTemplateDiffView *self,
           const char          *title,
           const char          *left,
           const char          *right)
{
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *heading;
  GtkWidget *frame;
  GtkWidget *grid;
  guint i = 0;
  int row = 0;

  if (g_strcmp0 (left != NULL ? left : "", right != NULL ? right : "") == 0)
    return FALSE;

  rows = dbw_text_diff (left != NULL ? left : "", right != NULL ? right : "");
  record_changes (self, title, rows);

  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_top (heading, 12);
  gtk_box_append (self->box, heading);

  /* The line diff passes over line endings and a last newline, which the model sees. */
  if (!has_changed_row (rows))
    {
      const char *note = _("Only the line endings or the final newline changed");
      GtkWidget *label = gtk_label_new (note);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->box, label);
      g_ptr_array_add (self->changes, g_strdup_printf ("%s: %s", title, note));
      return TRUE;
    }

  grid = gtk_grid_new ();
  gtk_widget_add_css_class (grid, "diff-grid");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  while (i < rows->len)
    {
      DbwDiffRow *diff = g_ptr_array_index (rows, i);
      guint run = 0;

      if (diff->kind != DBW_DIFF_SAME)
        {
          add_row (GTK_GRID (grid), row++, diff);
          i++;
          continue;
        }

      while (i + run < rows->len && ((DbwDiffRow *) g_ptr_array_index (rows, i + run))->kind == DBW_DIFF_SAME)
        run++;

      {
        /* Keep a little context after the previous change and before the next one. */
        guint head = i == 0 ? 0 : CONTEXT_LINES;
        guint tail = i + run == rows->len ? 0 : CONTEXT_LINES;

        if (run <= head + tail + 1)
          {
            for (guint k = 0; k < run; k++)
              add_row (GTK_GRID (grid), row++, g_ptr_array_index (rows, i + k));
          }
        else
          {
            for (guint k = 0; k < head; k++)
              add_row (GTK_GRID (grid), row++, g_ptr_array_index (rows, i + k));
            add_elided (GTK_GRID (grid), row++, run - head - tail);
            for (guint k = run - tail; k < run; k++)
              add_row (GTK_GRID (grid), row++, g_ptr_array_index (rows, i + k));
          }
      }
      i += run;
    }

  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), grid);
  gtk_box_append (self->box, frame);

  return TRUE;
}

/* Two JSON texts laid out alike, so that only what they say shows as a change. */
static void
pretty_pair (const char  *left,
             const char  *right,
             char       **left_out,
             char       **right_out)
{
  g_autoptr(JsonNode) x = left != NULL ? json_from_string (left, NULL) : NULL;
  g_autoptr(JsonNode) y = right != NULL ? json_from_string (right, NULL) : NULL;

  if (x != NULL && y != NULL)
    {
      *left_out = dbw_json_to_pretty (x);
      *right_out = dbw_json_to_pretty (y);
    }
  else
    {
      *left_out = g_strdup (left);
      *right_out = g_strdup (right);
    }
}

static char *
describe_settings (DbwTemplate *tmpl)
{
  const char *base_model = dbw_template_get_base_model (tmpl);
  g_autoptr(GString) text = g_string_new (NULL);
  char temperature[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (temperature, sizeof temperature, "%.2f", dbw_template_get_temperature (tmpl));

  g_string_append_printf (text, "%s: %s\n", _("Name"), dbw_template_get_name (tmpl) ? dbw_template_get_name (tmpl) : "");
  g_string_append_printf (text, "%s: %s\n", _("Description"), dbw_template_get_description (tmpl) ? dbw_template_get_description (tmpl) : "");
  g_string_append_printf (text, "%s: %s\n", _("Label type"), dbw_label_type_describe (dbw_template_get_label_type (tmpl)));
  g_string_append_printf (text, "%s: %s\n", _("Base model"), base_model != NULL && base_model[0] != '\0' ? base_model : _("(from Preferences)"));
  g_string_append_printf (text, "%s: %s\n", _("Temperature"), temperature);
  g_string_append_printf (text, "%s: %" G_GINT64_FORMAT, _("Maximum tokens"), dbw_template_get_max_tokens (tmpl));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
clear (DbwTemplateDiffView *self)
{
  GtkWidget *child;

  if (self->box == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_ptr_array_set_size (self->changes, 0);
}

static void
dbw_template_diff_view_dispose (GObject *object)
{
  DbwTemplateDiffView *self = (DbwTemplateDiffView *)object;

  g_clear_pointer ((GtkWidget **) &self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (dbw_template_diff_view_parent_class)->dispose (object);
}

static void
dbw_template_diff_view_finalize (GObject *object)
{
  DbwTemplateDiffView *self = (DbwTemplateDiffView *)object;

  g_clear_pointer (&self->changes, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_template_diff_view_parent_class)->finalize (object);
}

static void
dbw_template_diff_view_class_init (DbwTemplateDiffViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_template_diff_view_dispose;
  object_class->finalize = dbw_template_diff_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "templatediff");
}

static void
dbw_template_diff_view_init (DbwTemplateDiffView *self)
{
  self->changes = g_ptr_array_new_with_free_func (g_free);
  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_widget_set_parent (GTK_WIDGET (self->box), GTK_WIDGET (self));
}

GtkWidget *
dbw_template_diff_view_new (void)
{
  return g_object_new (DBW_TYPE_TEMPLATE_DIFF_VIEW, NULL);
}

/**
 * dbw_template_diff_view_set_templates:
 * @left: (nullable): the older version
 * @right: (nullable): the newer version
 */
void
dbw_template_diff_view_set_templates (DbwTemplateDiffView *self,
                                      DbwTemplate         *left,
                                      DbwTemplate         *right)
{
  g_autofree char *left_settings = NULL;
  g_autofree char *right_settings = NULL;
  g_autofree char *left_title = NULL;
  g_autofree char *right_title = NULL;
  g_autoptr(GPtrArray) same = g_ptr_array_new ();
  GtkWidget *header;
  GtkWidget *label;
  struct { const char *title; const char *left; const char *right; } fields[6];
  char *json[6] = { NULL, };

  g_return_if_fail (DBW_IS_TEMPLATE_DIFF_VIEW (self));

  clear (self);
  if (left == NULL || right == NULL)
    return;

  /* Column headings, as over the columns of the diffs below. */
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_set_homogeneous (GTK_BOX (header), TRUE);
  left_title = g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s"), dbw_template_get_version (left),
                                dbw_template_status_describe (dbw_template_get_status (left)));
  right_title = g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s"), dbw_template_get_version (right),
                                 dbw_template_status_describe (dbw_template_get_status (right)));
  label = gtk_label_new (left_title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "title-4");
  gtk_box_append (GTK_BOX (header), label);
  label = gtk_label_new (right_title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "title-4");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (self->box, header);

  left_settings = describe_settings (left);
  right_settings = describe_settings (right);

  fields[0].title = _("Settings");
  fields[0].left = left_settings;
  fields[0].right = right_settings;
  fields[1].title = _("System Prompt");
  fields[1].left = dbw_template_get_system_prompt (left);
  fields[1].right = dbw_template_get_system_prompt (right);
  fields[2].title = _("User Prompt");
  fields[2].left = dbw_template_get_user_prompt_template (left);
  fields[2].right = dbw_template_get_user_prompt_template (right);
  pretty_pair (dbw_template_get_output_schema (left), dbw_template_get_output_schema (right), &json[0], &json[1]);
  pretty_pair (dbw_template_get_input_schema (left), dbw_template_get_input_schema (right), &json[2], &json[3]);
  pretty_pair (dbw_template_get_examples (left), dbw_template_get_examples (right), &json[4], &json[5]);
  fields[3].title = _("Output Schema");
  fields[3].left = json[0];
  fields[3].right = json[1];
  fields[4].title = _("Input Schema");
  fields[4].left = json[2];
  fields[4].right = json[3];
  fields[5].title = _("Few-Shot Examples");
  fields[5].left = json[4];
  fields[5].right = json[5];

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!add_field (self, fields[i].title, fields[i].left, fields[i].right))
      g_ptr_array_add (same, (gpointer) fields[i].title);

  if (same->len > 0)
    {
      g_autofree char *names = NULL;
      g_autofree char *text = NULL;

      g_ptr_array_add (same, NULL);
      names = g_strjoinv (", ", (char **) same->pdata);
      text = same->len - 1 == G_N_ELEMENTS (fields)
             ? g_strdup (_("The two versions are the same."))
             /* Translators: "Unchanged: System Prompt, Input Schema" */
             : g_strdup_printf (_("Unchanged: %s"), names);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->box, label);
    }

  for (guint i = 0; i < G_N_ELEMENTS (json); i++)
    g_free (json[i]);
}

/**
 * dbw_template_diff_view_list_changes:
 *
 * Returns: (transfer full): the changed lines shown, as "User Prompt: -old" and
 *   "User Prompt: +new"
 */
GStrv
dbw_template_diff_view_list_changes (DbwTemplateDiffView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DBW_IS_TEMPLATE_DIFF_VIEW (self), NULL);

  for (guint i = 0; i < self->changes->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->changes, i));

  return g_strv_builder_end (builder);
}
