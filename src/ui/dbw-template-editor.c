/* dbw-template-editor.c
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

#define G_LOG_DOMAIN "dbw-template-editor"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "dbw-code-view.h"
#include "dbw-enums.h"
#include "dbw-json-schema.h"
#include "dbw-json-text.h"
#include "dbw-page.h"
#include "dbw-prompt.h"
#include "dbw-prompt-completion.h"
#include "dbw-template-editor.h"
#include "dbw-template-ops.h"
#include "dbw-widget-util.h"

/* The fields of one template version as libadwaita rows and source views. Every edit is
 * checked as it is typed — a name, prompts that parse, schemas that are JSON Schema,
 * examples that can be sent — and the message is shown under the field. The editor only
 * edits: the page saves what dbw_template_editor_dup_edited() returns. A version that is
 * not a draft shows a banner saying that saving makes a new draft version of it. */

struct _DbwTemplateEditor
{
  GtkWidget            parent_instance;

  DbwTemplate         *template;
  DbwPromptCompletion *completion;
  GStrv                columns;
  char                *sheet_name;
  GPtrArray           *contexts;     /* (element-type JsonObject) sample items of the sheet */
  gboolean             loading;
  gboolean             modified;
  gboolean             valid;
  gboolean             editable;

  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  GtkScrolledWindow   *scroller;
  AdwEntryRow         *name_row;
  AdwEntryRow         *description_row;
  AdwComboRow         *label_type_row;
  GtkLabel            *name_message;
  DbwCodeView         *system_view;
  GtkLabel            *system_message;
  DbwCodeView         *user_view;
  GtkLabel            *user_message;
  GtkLabel            *variables_label;
  DbwCodeView         *output_schema_view;
  GtkLabel            *output_schema_message;
  DbwCodeView         *input_schema_view;
  GtkLabel            *input_schema_message;
  DbwCodeView         *examples_view;
  GtkLabel            *examples_message;
  AdwEntryRow         *base_model_row;
  GtkSpinButton       *temperature_spin;
  GtkSpinButton       *max_tokens_spin;
  double               loaded_temperature;  /* as the spins showed the template's values */
  double               loaded_max_tokens;
};

G_DEFINE_FINAL_TYPE (DbwTemplateEditor, dbw_template_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEMPLATE,
  PROP_MODIFIED,
  PROP_VALID,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static const char *
empty_if_null (const char *text)
{
  return text != NULL ? text : "";
}

static void
set_message (GtkLabel   *label,
             const char *message)
{
  gtk_label_set_label (label, empty_if_null (message));
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && message[0] != '\0');
}

static char *
check_json (DbwCodeView *view,
            gboolean     is_schema)
{
  g_autofree char *text = dbw_code_view_dup_text (view);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strstrip (text)[0] == '\0')
    return NULL;

  node = json_from_string (text, &error);
  if (node == NULL)
    return dbw_json_describe_error (error);

  if (is_schema)
    {
      if (!dbw_json_schema_check (node, &error))
        return g_strdup (error->message);
      return NULL;
    }

  /* Few-shot examples, as Generate reads them (DbwPairBuilder): an array of objects with
   * an "input" and an "output" (or "expected_output", as the Example Store writes it). */
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("The examples must be a JSON array, [ … ]"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    if (!dbw_template_ops_example_parts (json_array_get_element (json_node_get_array (node), i), NULL, NULL))
      /* Translators: "input" and "output" are JSON member names, keep them */
      return g_strdup_printf (_("Example %u needs an “input” and an “output”"), i + 1);

  return NULL;
}

static char *
check_prompt (DbwTemplateEditor *self,
              DbwCodeView       *view,
              GStrv             *variables)
{
  g_autofree char *text = dbw_code_view_dup_text (view);
  g_autoptr(GError) error = NULL;
  GStrv names;

  names = dbw_prompt_list_variables (text, &error);
  if (names == NULL)
    return g_strdup (error->message);

  if (variables != NULL)
    *variables = names;
  else
    g_strfreev (names);

  return NULL;
}

static void
update_variables (DbwTemplateEditor *self,
                  GStrv              variables)
{
  g_auto(GStrv) unmatched = NULL;
  g_autofree char *used = NULL;
  g_autofree char *message = NULL;

  if (variables == NULL || variables[0] == NULL)
    {
      set_message (self->variables_label, NULL);
      return;
    }

  if (self->contexts != NULL)
    {
      g_autofree char *text = dbw_code_view_dup_text (self->user_view);

      unmatched = dbw_prompt_unmatched_variables (text, self->contexts, NULL);
    }

  used = g_strjoinv (", ", variables);
  if (unmatched != NULL && unmatched[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", unmatched);

      /* Translators: "Uses: dose, site. Items of “Readings” lack a value for: sitte" */
      message = g_strdup_printf (_("Uses: %s. Items of “%s” lack a value for: %s"), used, empty_if_null (self->sheet_name), list);
      gtk_widget_add_css_class (GTK_WIDGET (self->variables_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->variables_label), "dim-label");
    }
  else
    {
      /* Translators: the variables a prompt uses, "Uses: dose, site" */
      message = g_strdup_printf (_("Uses: %s"), used);
      gtk_widget_remove_css_class (GTK_WIDGET (self->variables_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->variables_label), "dim-label");
    }

  set_message (self->variables_label, message);
}

static void
set_valid (DbwTemplateEditor *self,
           gboolean           valid)
{
  if (self->valid == valid)
    return;

  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VALID]);
}

static void
set_modified (DbwTemplateEditor *self,
              gboolean           modified)
{
  if (self->modified == modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODIFIED]);
}

static void
validate (DbwTemplateEditor *self)
{
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autofree char *system_error = NULL;
  g_autofree char *user_error = NULL;
  g_autofree char *output_error = NULL;
  g_autofree char *input_error = NULL;
  g_autofree char *examples_error = NULL;
  g_auto(GStrv) variables = NULL;
  gboolean name_ok = g_strstrip (name)[0] != '\0';

  set_message (self->name_message, name_ok ? NULL : _("The template needs a name."));
  if (name_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");

  system_error = check_prompt (self, self->system_view, NULL);
  user_error = check_prompt (self, self->user_view, &variables);
  output_error = check_json (self->output_schema_view, TRUE);
  input_error = check_json (self->input_schema_view, TRUE);
  examples_error = check_json (self->examples_view, FALSE);

  set_message (self->system_message, system_error);
  set_message (self->user_message, user_error);
  set_message (self->output_schema_message, output_error);
  set_message (self->input_schema_message, input_error);
  set_message (self->examples_message, examples_error);
  update_variables (self, variables);

  set_valid (self, name_ok && system_error == NULL && user_error == NULL &&
                   output_error == NULL && input_error == NULL && examples_error == NULL);
}

static char *
json_field_text (DbwCodeView *view,
                 const char  *empty)
{
  g_autofree char *text = dbw_code_view_dup_text (view);

  if (g_strstrip (g_strdup (text))[0] == '\0')
    return g_strdup (empty);

  return g_steal_pointer (&text);
}

static void
fill_template (DbwTemplateEditor *self,
               DbwTemplate       *tmpl)
{
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autofree char *description = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
  g_autofree char *base_model = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->base_model_row)));
  g_autofree char *system = dbw_code_view_dup_text (self->system_view);
  g_autofree char *user = dbw_code_view_dup_text (self->user_view);
  g_autofree char *input = json_field_text (self->input_schema_view, "{}");
  g_autofree char *output = json_field_text (self->output_schema_view, "{}");
  g_autofree char *examples = json_field_text (self->examples_view, "[]");
  guint label_type = adw_combo_row_get_selected (self->label_type_row);

  dbw_template_set_name (tmpl, g_strstrip (name));
  dbw_template_set_description (tmpl, g_strstrip (description));
  dbw_template_set_label_type (tmpl, label_type != GTK_INVALID_LIST_POSITION ? (DbwLabelType) label_type : DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_system_prompt (tmpl, system);
  dbw_template_set_user_prompt_template (tmpl, user);
  dbw_template_set_input_schema (tmpl, input);
  dbw_template_set_output_schema (tmpl, output);
  dbw_template_set_examples (tmpl, examples);
  dbw_template_set_base_model (tmpl, g_strstrip (base_model)[0] != '\0' ? base_model : NULL);
  /* A spin shows two decimals and has bounds the project does not: a value it could not
   * show is kept as stored unless the spin was changed. */
  if (self->template != NULL && gtk_spin_button_get_value (self->temperature_spin) == self->loaded_temperature)
    dbw_template_set_temperature (tmpl, dbw_template_get_temperature (self->template));
  else
    dbw_template_set_temperature (tmpl, round (gtk_spin_button_get_value (self->temperature_spin) * 100) / 100);
  if (self->template != NULL && gtk_spin_button_get_value (self->max_tokens_spin) == self->loaded_max_tokens)
    dbw_template_set_max_tokens (tmpl, dbw_template_get_max_tokens (self->template));
  else
    dbw_template_set_max_tokens (tmpl, gtk_spin_button_get_value_as_int (self->max_tokens_spin));
}

/* JSON stored on one line (as the demo and the command line write it) shows indented;
 * what a user laid out shows as it was written. */
static char *
display_json (const char *stored)
{
  g_autoptr(JsonNode) node = NULL;

  if (stored == NULL || strchr (stored, '\n') != NULL || (node = json_from_string (stored, NULL)) == NULL)
    return g_strdup (stored);

  return dbw_json_to_pretty (node);
}

/* The same JSON, however it is laid out. */
static gboolean
same_json (const char *a,
           const char *b)
{
  g_autoptr(JsonNode) x = NULL;
  g_autoptr(JsonNode) y = NULL;
  g_autofree char *compact_x = NULL;
  g_autofree char *compact_y = NULL;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  if (a == NULL || b == NULL || (x = json_from_string (a, NULL)) == NULL || (y = json_from_string (b, NULL)) == NULL)
    return FALSE;

  compact_x = dbw_json_to_compact (x);
  compact_y = dbw_json_to_compact (y);

  return g_str_equal (compact_x, compact_y);
}

static gboolean
same_fields (DbwTemplate *a,
             DbwTemplate *b)
{
  return g_strcmp0 (dbw_template_get_name (a), dbw_template_get_name (b)) == 0 &&
         g_strcmp0 (empty_if_null (dbw_template_get_description (a)), empty_if_null (dbw_template_get_description (b))) == 0 &&
         dbw_template_get_label_type (a) == dbw_template_get_label_type (b) &&
         g_strcmp0 (empty_if_null (dbw_template_get_system_prompt (a)), empty_if_null (dbw_template_get_system_prompt (b))) == 0 &&
         g_strcmp0 (empty_if_null (dbw_template_get_user_prompt_template (a)), empty_if_null (dbw_template_get_user_prompt_template (b))) == 0 &&
         same_json (dbw_template_get_input_schema (a), dbw_template_get_input_schema (b)) &&
         same_json (dbw_template_get_output_schema (a), dbw_template_get_output_schema (b)) &&
         same_json (dbw_template_get_examples (a), dbw_template_get_examples (b)) &&
         g_strcmp0 (empty_if_null (dbw_template_get_base_model (a)), empty_if_null (dbw_template_get_base_model (b))) == 0 &&
         dbw_template_get_temperature (a) == dbw_template_get_temperature (b) &&
         dbw_template_get_max_tokens (a) == dbw_template_get_max_tokens (b);
}

static void
on_field_changed_cb (DbwTemplateEditor *self)
{
  g_autoptr(DbwTemplate) edited = NULL;

  if (self->loading || self->template == NULL)
    return;

  validate (self);

  edited = dbw_template_editor_dup_edited (self);
  set_modified (self, !same_fields (edited, self->template));
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
update_banner (DbwTemplateEditor *self)
{
  g_autofree char *text = NULL;
  DbwTemplateStatus status;
  gint64 version;

  /* Saving makes nothing of a template that cannot be edited. */
  if (self->template == NULL || dbw_template_get_status (self->template) == DBW_TEMPLATE_STATUS_DRAFT ||
      !self->editable)
    {
      gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
      return;
    }

  status = dbw_template_get_status (self->template);
  version = dbw_template_get_version (self->template);
  if (status == DBW_TEMPLATE_STATUS_PUBLISHED)
    /* Translators: "Published versions are read-only — saving creates version 4 as a draft" */
    text = g_strdup_printf (_("Published versions are read-only — saving creates version %" G_GINT64_FORMAT " as a draft"),
                            version + 1);
  else
    text = g_strdup_printf (_("Archived versions are read-only — saving creates version %" G_GINT64_FORMAT " as a draft"),
                            version + 1);

  gtk_label_set_label (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
load_template (DbwTemplateEditor *self)
{
  DbwTemplate *tmpl = self->template;
  g_autofree char *output_schema = NULL;
  g_autofree char *input_schema = NULL;
  g_autofree char *examples = NULL;

  self->loading = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tmpl ? empty_if_null (dbw_template_get_name (tmpl)) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), tmpl ? empty_if_null (dbw_template_get_description (tmpl)) : "");
  adw_combo_row_set_selected (self->label_type_row, tmpl ? (guint) dbw_template_get_label_type (tmpl) : 0);
  dbw_code_view_set_text (self->system_view, tmpl ? dbw_template_get_system_prompt (tmpl) : NULL);
  dbw_code_view_set_text (self->user_view, tmpl ? dbw_template_get_user_prompt_template (tmpl) : NULL);
  output_schema = display_json (tmpl ? dbw_template_get_output_schema (tmpl) : NULL);
  input_schema = display_json (tmpl ? dbw_template_get_input_schema (tmpl) : NULL);
  examples = display_json (tmpl ? dbw_template_get_examples (tmpl) : NULL);
  dbw_code_view_set_text (self->output_schema_view, output_schema);
  dbw_code_view_set_text (self->input_schema_view, input_schema);
  dbw_code_view_set_text (self->examples_view, examples);
  gtk_editable_set_text (GTK_EDITABLE (self->base_model_row), tmpl ? empty_if_null (dbw_template_get_base_model (tmpl)) : "");
  gtk_spin_button_set_value (self->temperature_spin, tmpl ? dbw_template_get_temperature (tmpl) : 0.0);
  gtk_spin_button_set_value (self->max_tokens_spin, tmpl ? (double) dbw_template_get_max_tokens (tmpl) : 1024);
  self->loaded_temperature = gtk_spin_button_get_value (self->temperature_spin);
  self->loaded_max_tokens = gtk_spin_button_get_value (self->max_tokens_spin);

  self->loading = FALSE;

  update_banner (self);
  validate (self);
  set_modified (self, FALSE);

  /* A new template starts at the top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
connect_changed (DbwTemplateEditor *self,
                 gpointer           instance,
                 const char        *signal)
{
  g_signal_connect_object (instance, signal, G_CALLBACK (on_field_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
dbw_template_editor_dispose (GObject *object)
{
  DbwTemplateEditor *self = (DbwTemplateEditor *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_TEMPLATE_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->template);
  g_clear_object (&self->completion);

  G_OBJECT_CLASS (dbw_template_editor_parent_class)->dispose (object);
}

static void
dbw_template_editor_finalize (GObject *object)
{
  DbwTemplateEditor *self = (DbwTemplateEditor *)object;

  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_pointer (&self->sheet_name, g_free);
  g_clear_pointer (&self->contexts, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_template_editor_parent_class)->finalize (object);
}

static void
dbw_template_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DbwTemplateEditor *self = DBW_TEMPLATE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_template_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DbwTemplateEditor *self = DBW_TEMPLATE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      dbw_template_editor_set_template (self, g_value_get_object (value));
      break;

    case PROP_EDITABLE:
      dbw_template_editor_set_editable (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_template_editor_class_init (DbwTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_template_editor_dispose;
  object_class->finalize = dbw_template_editor_finalize;
  object_class->get_property = dbw_template_editor_get_property;
  object_class->set_property = dbw_template_editor_set_property;

  properties [PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL,
                         DBW_TYPE_TEMPLATE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Off for a project that cannot be written: the template is shown, nothing typed. */
  properties [PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user changed a field. */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (DBW_TYPE_CODE_VIEW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-template-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, banner_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, label_type_row);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, name_message);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, system_view);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, system_message);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, user_view);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, user_message);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, variables_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, output_schema_view);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, output_schema_message);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, input_schema_view);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, input_schema_message);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, examples_view);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, examples_message);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, base_model_row);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateEditor, max_tokens_spin);
}

static void
dbw_template_editor_init (DbwTemplateEditor *self)
{
  g_autoptr(GtkStringList) label_types = gtk_string_list_new (NULL);
  DbwCodeView *views[] = { self->system_view, self->user_view };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->editable = TRUE;

  for (int i = DBW_LABEL_TYPE_CLASSIFICATION; i <= DBW_LABEL_TYPE_OBJECT_DETECTION; i++)
    gtk_string_list_append (label_types, dbw_label_type_describe (i));
  adw_combo_row_set_model (self->label_type_row, G_LIST_MODEL (label_types));

  /* The same list of columns for both prompts. */
  self->completion = dbw_prompt_completion_new ();
  views[0] = self->system_view;
  views[1] = self->user_view;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_source_completion_add_provider (gtk_source_view_get_completion (GTK_SOURCE_VIEW (views[i])),
                                        GTK_SOURCE_COMPLETION_PROVIDER (self->completion));

  connect_changed (self, self->name_row, "changed");
  connect_changed (self, self->description_row, "changed");
  connect_changed (self, self->label_type_row, "notify::selected");
  connect_changed (self, self->base_model_row, "changed");
  connect_changed (self, self->temperature_spin, "value-changed");
  connect_changed (self, self->max_tokens_spin, "value-changed");
  connect_changed (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->system_view)), "changed");
  connect_changed (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->user_view)), "changed");
  connect_changed (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->output_schema_view)), "changed");
  connect_changed (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->input_schema_view)), "changed");
  connect_changed (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->examples_view)), "changed");

  load_template (self);
}

GtkWidget *
dbw_template_editor_new (void)
{
  return g_object_new (DBW_TYPE_TEMPLATE_EDITOR, NULL);
}

DbwTemplate *
dbw_template_editor_get_template (DbwTemplateEditor *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);

  return self->template;
}

/**
 * dbw_template_editor_set_template:
 * @tmpl: (nullable): the stored version to edit
 *
 * Shows @tmpl, dropping any edit not saved: the caller asks first.
 */
void
dbw_template_editor_set_template (DbwTemplateEditor *self,
                                  DbwTemplate       *tmpl)
{
  g_return_if_fail (DBW_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (!tmpl || DBW_IS_TEMPLATE (tmpl));

  /* What was just saved (the same version, or the draft a save made of it) holds what the
   * fields show already: keep the cursor and the undo history. */
  if (tmpl != NULL && self->template != NULL && tmpl != self->template &&
      g_strcmp0 (dbw_template_get_template_id (tmpl), dbw_template_get_template_id (self->template)) == 0)
    {
      g_autoptr(DbwTemplate) edited = dbw_template_editor_dup_edited (self);

      if (same_fields (edited, tmpl))
        {
          g_set_object (&self->template, tmpl);
          update_banner (self);
          set_modified (self, FALSE);
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEMPLATE]);
          return;
        }
    }

  if (!g_set_object (&self->template, tmpl))
    return;

  load_template (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEMPLATE]);
}

/**
 * dbw_template_editor_dup_edited:
 *
 * Returns: (transfer full): a copy of the template being edited with the fields as they
 *   are now, carrying the id of the version they were edited from
 */
DbwTemplate *
dbw_template_editor_dup_edited (DbwTemplateEditor *self)
{
  DbwTemplate *edited;

  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);

  edited = self->template != NULL ? dbw_record_copy (DBW_RECORD (self->template)) : dbw_template_new ();
  fill_template (self, edited);

  return edited;
}

/* Drops the edits: the fields show the stored version again. */
void
dbw_template_editor_revert (DbwTemplateEditor *self)
{
  g_return_if_fail (DBW_IS_TEMPLATE_EDITOR (self));

  load_template (self);
}

/* The fields whose text is kept as typed, for drafts. */
static const char * const draft_text_fields[] = {
  "name", "description", "system_prompt", "user_prompt_template",
  "output_schema", "input_schema", "examples", "base_model",
};

static gpointer
draft_text_widget (DbwTemplateEditor *self,
                   guint              i)
{
  gpointer widgets[] = {
    self->name_row, self->description_row, self->system_view, self->user_view,
    self->output_schema_view, self->input_schema_view, self->examples_view, self->base_model_row,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (widgets) == G_N_ELEMENTS (draft_text_fields));

  return widgets[i];
}

/**
 * dbw_template_editor_dup_draft:
 *
 * Every field as the user left it, valid or not (half-typed JSON included), for
 * dbw_template_editor_restore_draft().
 *
 * Returns: (transfer full) (nullable): a JSON object, or %NULL without a template
 */
JsonNode *
dbw_template_editor_dup_draft (DbwTemplateEditor *self)
{
  g_autoptr(JsonObject) draft = NULL;
  guint label_type;

  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);

  if (self->template == NULL)
    return NULL;

  draft = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (draft_text_fields); i++)
    {
      gpointer widget = draft_text_widget (self, i);

      g_autofree char *text = NULL;

      if (DBW_IS_CODE_VIEW (widget))
        text = dbw_code_view_dup_text (widget);
      else
        text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
      json_object_set_string_member (draft, draft_text_fields[i], text);
    }
  label_type = adw_combo_row_get_selected (self->label_type_row);
  if (label_type != GTK_INVALID_LIST_POSITION)
    json_object_set_string_member (draft, "label_type", dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, label_type));
  json_object_set_double_member (draft, "temperature", gtk_spin_button_get_value (self->temperature_spin));
  json_object_set_int_member (draft, "max_tokens", gtk_spin_button_get_value_as_int (self->max_tokens_spin));

  return json_node_init_object (json_node_alloc (), draft);
}

/**
 * dbw_template_editor_restore_draft:
 * @draft: what dbw_template_editor_dup_draft() returned, for the template shown now
 *
 * Puts the fields back as they were typed; the editor is then modified unless they hold
 * the stored version. Members that are missing or of the wrong kind leave their field as it
 * is.
 */
void
dbw_template_editor_restore_draft (DbwTemplateEditor *self,
                                   JsonObject        *draft)
{
  int label_type;

  g_return_if_fail (DBW_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (draft != NULL);

  if (self->template == NULL)
    return;

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (draft_text_fields); i++)
    {
      JsonNode *member = json_object_get_member (draft, draft_text_fields[i]);
      gpointer widget = draft_text_widget (self, i);

      if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
        continue;
      if (DBW_IS_CODE_VIEW (widget))
        dbw_code_view_set_text (widget, json_node_get_string (member));
      else
        gtk_editable_set_text (GTK_EDITABLE (widget), json_node_get_string (member));
    }
  if (dbw_enum_from_nick (DBW_TYPE_LABEL_TYPE, json_object_get_string_member_with_default (draft, "label_type", ""), &label_type))
    adw_combo_row_set_selected (self->label_type_row, label_type);
  if (json_object_has_member (draft, "temperature"))
    gtk_spin_button_set_value (self->temperature_spin, json_object_get_double_member_with_default (draft, "temperature", 0));
  if (json_object_has_member (draft, "max_tokens"))
    gtk_spin_button_set_value (self->max_tokens_spin, json_object_get_int_member_with_default (draft, "max_tokens", 0));
  self->loading = FALSE;

  on_field_changed_cb (self);
}

gboolean
dbw_template_editor_get_modified (DbwTemplateEditor *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), FALSE);

  return self->modified;
}

gboolean
dbw_template_editor_get_valid (DbwTemplateEditor *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), FALSE);

  return self->valid;
}

/**
 * dbw_template_editor_dup_first_error:
 * @widget: (out) (optional) (transfer none): the field the message is about
 *
 * Returns: (transfer full) (nullable): the first message shown under a field, or %NULL
 *   when every field is fine
 */
char *
dbw_template_editor_dup_first_error (DbwTemplateEditor  *self,
                                     GtkWidget         **widget)
{
  struct { GtkLabel *label; GtkWidget *field; const char *title; } messages[] = {
    { self->name_message, GTK_WIDGET (self->name_row), N_("Name") },
    { self->system_message, GTK_WIDGET (self->system_view), N_("System prompt") },
    { self->user_message, GTK_WIDGET (self->user_view), N_("User prompt") },
    { self->output_schema_message, GTK_WIDGET (self->output_schema_view), N_("Output schema") },
    { self->input_schema_message, GTK_WIDGET (self->input_schema_view), N_("Input schema") },
    { self->examples_message, GTK_WIDGET (self->examples_view), N_("Examples") },
  };

  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (messages[i].label)))
      {
        if (widget != NULL)
          *widget = messages[i].field;
        /* Translators: "User prompt: Line 2, column 4: …" */
        return g_strdup_printf (_("%s: %s"), _(messages[i].title), gtk_label_get_label (messages[i].label));
      }

  if (widget != NULL)
    *widget = NULL;

  return NULL;
}

/**
 * dbw_template_editor_set_columns:
 * @names: (nullable): the names the prompts may use, as dbw_prompt_context_list_names()
 *   writes them; %NULL when no sheet is chosen
 * @contexts: (nullable) (element-type JsonObject): the variables of sample items of the
 *   sheet, as dbw_prompt_context_for_item() makes them
 * @sheet_name: (nullable): the sheet they come from
 *
 * Sets what "{{" completes to, and what the user prompt is checked against: generating
 * skips an item that lacks a value for one of its variables.
 */
void
dbw_template_editor_set_columns (DbwTemplateEditor  *self,
                                 const char * const *names,
                                 GPtrArray          *contexts,
                                 const char         *sheet_name)
{
  g_return_if_fail (DBW_IS_TEMPLATE_EDITOR (self));

  g_strfreev (self->columns);
  self->columns = g_strdupv ((char **) names);
  g_clear_pointer (&self->contexts, g_ptr_array_unref);
  if (contexts != NULL)
    self->contexts = g_ptr_array_ref (contexts);
  g_free (self->sheet_name);
  self->sheet_name = g_strdup (sheet_name);

  dbw_prompt_completion_set_names (self->completion, names);

  if (!self->loading)
    {
      gboolean modified = self->modified;

      validate (self);
      set_modified (self, modified);
    }
}

const char * const *
dbw_template_editor_get_columns (DbwTemplateEditor *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);

  return (const char * const *) self->columns;
}

/**
 * dbw_template_editor_get_field_widget:
 * @field: a column of the templates table: "name", "user_prompt_template", …
 *
 * Returns: (transfer none) (nullable): the widget that edits @field
 */
GtkWidget *
dbw_template_editor_get_field_widget (DbwTemplateEditor *self,
                                      const char        *field)
{
  struct { const char *field; GtkWidget *widget; } fields[] = {
    { "name", GTK_WIDGET (self->name_row) },
    { "description", GTK_WIDGET (self->description_row) },
    { "label_type", GTK_WIDGET (self->label_type_row) },
    { "system_prompt", GTK_WIDGET (self->system_view) },
    { "user_prompt_template", GTK_WIDGET (self->user_view) },
    { "output_schema", GTK_WIDGET (self->output_schema_view) },
    { "input_schema", GTK_WIDGET (self->input_schema_view) },
    { "examples", GTK_WIDGET (self->examples_view) },
    { "base_model", GTK_WIDGET (self->base_model_row) },
    { "temperature", GTK_WIDGET (self->temperature_spin) },
    { "max_tokens", GTK_WIDGET (self->max_tokens_spin) },
  };

  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].field, field))
      return fields[i].widget;

  return NULL;
}

gboolean
dbw_template_editor_get_editable (DbwTemplateEditor *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), FALSE);

  return self->editable;
}

/**
 * dbw_template_editor_set_editable:
 *
 * An editor that is not editable shows the template and takes no changes: its text can
 * still be selected and copied, and a template can still be tested.
 */
void
dbw_template_editor_set_editable (DbwTemplateEditor *self,
                                  gboolean           editable)
{
  static const char * const fields[] = {
    "name", "description", "label_type", "system_prompt", "user_prompt_template",
    "output_schema", "input_schema", "examples", "base_model", "temperature", "max_tokens",
  };

  g_return_if_fail (DBW_IS_TEMPLATE_EDITOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    dbw_widget_set_editable (dbw_template_editor_get_field_widget (self, fields[i]), editable);
  update_banner (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDITABLE]);
}

/* The provider both prompts complete column names with. */
DbwPromptCompletion *
dbw_template_editor_get_completion (DbwTemplateEditor *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_EDITOR (self), NULL);

  return self->completion;
}
