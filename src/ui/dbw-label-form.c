/* dbw-label-form.c
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

#define G_LOG_DOMAIN "dbw-label-form"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-image-annotator.h"
#include "dbw-json-schema.h"
#include "dbw-label-form.h"
#include "dbw-page.h"
#include "dbw-widget-util.h"

/* The form of one canonical label in the Canonical Labeling Tool. What it asks for follows
 * the label type and the output schema of the template chosen with it: one toggle button per
 * class (hotkeys 1–9), one field per schema property with its type, or a text for answers.
 * Below that, what every label carries: confidence, notes, usage constraints.
 *
 * The form never writes to the project: dbw_label_form_build_label() returns the label the
 * page then saves, or an error shown under the fields it concerns. Members of the label data
 * the schema does not describe are kept as they were. */

typedef enum
{
  FIELD_ENTRY,     /* a string on one line */
  FIELD_TEXT,      /* a string of several lines */
  FIELD_NUMBER,
  FIELD_INTEGER,
  FIELD_BOOLEAN,
  FIELD_CHOICE,    /* an enumeration of strings, as a drop-down */
  FIELD_CLASSES,   /* an enumeration of strings, one toggle button each */
  FIELD_JSON,      /* anything else, as JSON text */
  FIELD_SHAPES,    /* the annotator's shapes, with the class palette */
} FieldKind;

typedef struct
{
  char       *name;         /* NULL: the label data itself */
  FieldKind   kind;
  gboolean    required;
  GStrv       choices;
  GtkWidget  *container;
  GtkWidget  *widget;       /* the editor; the GtkTextView of FIELD_TEXT and FIELD_JSON */
  GtkWidget  *error_label;
  GPtrArray  *toggles;      /* FIELD_CLASSES */
} Field;

struct _DbwLabelForm
{
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkWidget         *suggestion_box;
  GtkLabel          *suggestion_label;
  GtkWidget         *fields_box;
  GtkLabel          *form_error;
  GtkToggleButton   *confidence_high;
  GtkToggleButton   *confidence_medium;
  GtkToggleButton   *confidence_low;
  GtkTextView       *notes_view;
  AdwPreferencesGroup *constraints_group;
  AdwComboRow       *classification_row;
  AdwEntryRow       *reason_row;
  GtkLabel          *reason_error;
  GtkCheckButton    *allowed_checks[5];
  GtkCheckButton    *prohibited_checks[5];

  DbwLabelType       label_type;
  JsonNode          *schema;
  GPtrArray         *fields;      /* (element-type Field) */
  GStrv              classes;
  DbwImageAnnotator *annotator;   /* object detection: where the shapes are drawn */
  gulong             annotator_changed_handler;
  DbwCanonicalLabel *label;       /* as given: what the edits start from */
  gboolean           has_suggestion;
  gboolean           modified;
  gboolean           editable;
  guint              loading;
};

G_DEFINE_FINAL_TYPE (DbwLabelForm, dbw_label_form, GTK_TYPE_WIDGET)

G_DEFINE_QUARK (dbw-label-form-error-quark, dbw_label_form_error)

enum {
  PROP_0,
  PROP_LABEL_TYPE,
  PROP_MODIFIED,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define N_USES 5

static const struct {
  const char *use;
  const char *title;
  const char *subtitle;
} uses[N_USES] = {
  { DBW_USE_TRAINING,   N_("Training"),          N_("Fine-tuning model weights; permanent") },
  { DBW_USE_VALIDATION, N_("Validation"),        N_("The validation split while training") },
  { DBW_USE_EVALUATION, N_("Evaluation"),        N_("Scoring a trained model") },
  { DBW_USE_FEW_SHOT,   N_("Few-shot examples"), N_("Shown to a model at run time") },
  { DBW_USE_TESTING,    N_("Testing"),           N_("Checked by people") },
};

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_strfreev (field->choices);
  g_clear_pointer (&field->toggles, g_ptr_array_unref);
  g_free (field);
}

static void
set_modified (DbwLabelForm *self,
              gboolean      modified)
{
  if (self->modified == modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODIFIED]);
}

static void
on_changed_cb (DbwLabelForm *self)
{
  if (self->loading > 0)
    return;

  set_modified (self, TRUE);
  g_signal_emit (self, signals [CHANGED], 0);
}

/* "patient_dob" → "Patient dob" */
static char *
humanize (const char *name)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (name), "_-", ' ');
  g_autofree char *first = NULL;

  if (spaced[0] == '\0')
    return g_steal_pointer (&spaced);

  first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);

  return g_strconcat (first, g_utf8_next_char (spaced), NULL);
}

static const char *
schema_type (JsonObject *property)
{
  JsonNode *type = json_object_get_member (property, "type");

  if (type == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (type) && json_node_get_value_type (type) == G_TYPE_STRING)
    return json_node_get_string (type);
  if (JSON_NODE_HOLDS_ARRAY (type))
    {
      JsonArray *types = json_node_get_array (type);

      /* ["string", "null"]: the type that is not null. */
      for (guint i = 0; i < json_array_get_length (types); i++)
        {
          const char *name = json_array_get_string_element (types, i);

          if (name != NULL && !g_str_equal (name, "null"))
            return name;
        }
    }

  return NULL;
}

/* The enumeration's values when they are all strings, else NULL. */
static GStrv
schema_choices (JsonObject *property)
{
  JsonNode *node = json_object_get_member (property, "enum");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *values;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  values = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *value = json_array_get_element (values, i);

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (value));
    }

  return g_strv_builder_end (builder);
}

static GtkWidget *
text_view_new (Field      *field,
               const char *title,
               int         min_height)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), min_height);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_add_css_class (view, "dbw-form-text");
  if (field->kind == FIELD_JSON)
    gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  field->widget = view;

  return scrolled;
}

static GtkWidget *
classes_new (DbwLabelForm *self,
             Field        *field,
             const char   *title)
{
  GtkWidget *flow = gtk_flow_box_new ();
  GtkToggleButton *first = NULL;

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  field->toggles = g_ptr_array_new ();

  for (guint i = 0; field->choices != NULL && field->choices[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *name = gtk_label_new (field->choices[i]);

      if (i < 9)
        {
          g_autofree char *key = g_strdup_printf ("%u", i + 1);
          GtkWidget *hotkey = gtk_label_new (key);

          gtk_widget_add_css_class (hotkey, "dim-label");
          gtk_widget_add_css_class (hotkey, "numeric");
          gtk_box_append (GTK_BOX (box), hotkey);
          /* Translators: the tooltip of a class button, "Press 2" */
          g_autofree char *tooltip = g_strdup_printf (_("Press %u"), i + 1);
          gtk_widget_set_tooltip_text (button, tooltip);
        }
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_box_append (GTK_BOX (box), name);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_set_name (button, field->choices[i]);
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_changed_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
      g_ptr_array_add (field->toggles, button);
    }

  field->widget = flow;

  return flow;
}

/* Saving accepts a suggestion, when the form can save. */
static void
update_suggestion_label (DbwLabelForm *self)
{
  gtk_label_set_label (self->suggestion_label,
                       self->editable
                       ? _("Prefilled from a suggestion. Check it, fix what is wrong, and save to accept it.")
                       : _("Prefilled from a suggestion, which nobody has accepted yet."));
}

/* Classes are edited with their buttons; the widget of shapes is only their summary. */
static void
apply_field_editable (DbwLabelForm *self,
                      Field        *field)
{
  if (field->kind == FIELD_CLASSES || field->kind == FIELD_SHAPES)
    {
      for (guint i = 0; field->toggles != NULL && i < field->toggles->len; i++)
        dbw_widget_set_editable (g_ptr_array_index (field->toggles, i), self->editable);
    }
  else
    dbw_widget_set_editable (field->widget, self->editable);
}

static Field *
add_field (DbwLabelForm *self,
           const char   *name,
           const char   *title,
           FieldKind     kind,
           gboolean      required,
           GStrv         choices)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *editor = NULL;
  GtkWidget *header;
  GtkWidget *title_label;

  field->name = g_strdup (name);
  field->kind = kind;
  field->required = required;
  field->choices = choices;

  field->container = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "caption-heading");
  gtk_box_append (GTK_BOX (header), title_label);
  if (required)
    {
      GtkWidget *mark = gtk_label_new ("*");

      gtk_widget_add_css_class (mark, "error");
      /* Translators: the tooltip of the mark of a required field */
      gtk_widget_set_tooltip_text (mark, _("Required"));
      gtk_box_append (GTK_BOX (header), mark);
    }

  switch (kind)
    {
    case FIELD_ENTRY:
      editor = field->widget = gtk_entry_new ();
      g_signal_connect_swapped (editor, "changed", G_CALLBACK (on_changed_cb), self);
      break;

    case FIELD_TEXT:
      editor = text_view_new (field, title, name == NULL ? 160 : 80);
      g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)), "changed",
                                G_CALLBACK (on_changed_cb), self);
      break;

    case FIELD_JSON:
      editor = text_view_new (field, title, name == NULL ? 200 : 60);
      g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)), "changed",
                                G_CALLBACK (on_changed_cb), self);
      break;

    case FIELD_NUMBER:
    case FIELD_INTEGER:
      editor = field->widget = gtk_spin_button_new_with_range (-1e15, 1e15, 1);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (editor), kind == FIELD_INTEGER ? 0 : 2);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (editor), FALSE);
      gtk_widget_set_halign (editor, GTK_ALIGN_START);
      gtk_editable_set_width_chars (GTK_EDITABLE (editor), 16);
      g_signal_connect_swapped (editor, "changed", G_CALLBACK (on_changed_cb), self);
      break;

    case FIELD_BOOLEAN:
      editor = field->widget = gtk_switch_new ();
      gtk_widget_set_halign (editor, GTK_ALIGN_START);
      g_signal_connect_swapped (editor, "notify::active", G_CALLBACK (on_changed_cb), self);
      break;

    case FIELD_CHOICE:
      {
        GtkStringList *list = gtk_string_list_new (NULL);

        /* Translators: the choice of a drop-down that leaves the field empty */
        gtk_string_list_append (list, _("None"));
        for (guint i = 0; choices[i] != NULL; i++)
          gtk_string_list_append (list, choices[i]);
        editor = field->widget = gtk_drop_down_new (G_LIST_MODEL (list), NULL);
        gtk_widget_set_halign (editor, GTK_ALIGN_START);
        g_signal_connect_swapped (editor, "notify::selected", G_CALLBACK (on_changed_cb), self);
      }
      break;

    case FIELD_CLASSES:
      editor = classes_new (self, field, title);
      break;

    case FIELD_SHAPES:
      editor = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      field->widget = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (field->widget), 0);
      gtk_label_set_wrap (GTK_LABEL (field->widget), TRUE);
      gtk_widget_add_css_class (field->widget, "dim-label");
      gtk_box_append (GTK_BOX (editor), field->widget);
      /* The palette: which class the next shape gets. */
      gtk_box_append (GTK_BOX (editor), gtk_flow_box_new ());
      break;

    default:
      g_assert_not_reached ();
    }

  if (GTK_IS_ACCESSIBLE (field->widget) && kind != FIELD_TEXT && kind != FIELD_JSON && kind != FIELD_CLASSES &&
      kind != FIELD_SHAPES)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (field->widget),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY, title_label, NULL, -1);

  field->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (field->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (field->error_label), TRUE);
  gtk_widget_add_css_class (field->error_label, "error");
  gtk_widget_add_css_class (field->error_label, "caption");
  gtk_widget_set_visible (field->error_label, FALSE);

  gtk_box_append (GTK_BOX (field->container), header);
  gtk_box_append (GTK_BOX (field->container), editor);
  gtk_box_append (GTK_BOX (field->container), field->error_label);
  gtk_box_append (GTK_BOX (self->fields_box), field->container);
  g_ptr_array_add (self->fields, field);
  apply_field_editable (self, field);

  return field;
}

static FieldKind
kind_for_property (DbwLabelForm *self,
                   JsonObject   *property,
                   GStrv        *choices)
{
  const char *type = schema_type (property);

  *choices = schema_choices (property);
  if (*choices != NULL)
    return FIELD_CHOICE;

  if (g_strcmp0 (type, "string") == 0)
    {
      switch (self->label_type)
        {
        case DBW_LABEL_TYPE_QA:
        case DBW_LABEL_TYPE_GENERATION:
        case DBW_LABEL_TYPE_SUMMARIZATION:
          return FIELD_TEXT;
        case DBW_LABEL_TYPE_CLASSIFICATION:
        case DBW_LABEL_TYPE_ENTITY_EXTRACTION:
        case DBW_LABEL_TYPE_OBJECT_DETECTION:
        default:
          return FIELD_ENTRY;
        }
    }
  if (g_strcmp0 (type, "number") == 0)
    return FIELD_NUMBER;
  if (g_strcmp0 (type, "integer") == 0)
    return FIELD_INTEGER;
  if (g_strcmp0 (type, "boolean") == 0)
    return FIELD_BOOLEAN;
  if (type == NULL && json_object_has_member (property, "const"))
    return FIELD_JSON;

  return type == NULL ? FIELD_ENTRY : FIELD_JSON;
}

/* For classification: the enumerated property that holds the class ("class", "label",
 * "category" first). */
static const char *
find_class_property (JsonObject *props)
{
  static const char * const preferred[] = { "class", "label", "category", "type" };
  g_autoptr(GList) names = json_object_get_members (props);

  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    {
      JsonNode *node = json_object_get_member (props, preferred[i]);
      g_auto(GStrv) choices = NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          (choices = schema_choices (json_node_get_object (node))) != NULL)
        return preferred[i];
    }

  for (const GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (props, l->data);
      g_auto(GStrv) choices = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node) && (choices = schema_choices (json_node_get_object (node))) != NULL)
        return l->data;
    }

  return NULL;
}

static JsonObject *
schema_object (DbwLabelForm *self)
{
  return self->schema != NULL && JSON_NODE_HOLDS_OBJECT (self->schema) ? json_node_get_object (self->schema) : NULL;
}

static JsonObject *
schema_properties (DbwLabelForm *self)
{
  JsonObject *root = schema_object (self);
  JsonNode *node = root != NULL ? json_object_get_member (root, "properties") : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
schema_requires (DbwLabelForm *self,
                 const char   *name)
{
  JsonObject *root = schema_object (self);
  JsonNode *node = root != NULL ? json_object_get_member (root, "required") : NULL;
  JsonArray *required;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  required = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (required); i++)
    if (g_strcmp0 (json_array_get_string_element (required, i), name) == 0)
      return TRUE;

  return FALSE;
}

/* Object detection: the classes the schema enumerates for an object's "class", if any. */
static GStrv
schema_object_classes (DbwLabelForm *self)
{
  JsonObject *props = schema_properties (self);
  /* properties.objects.items.properties.class */
  const char * const path[] = { "objects", "items", "properties", "class" };
  JsonObject *object = props;

  for (guint i = 0; object != NULL && i < G_N_ELEMENTS (path); i++)
    {
      JsonNode *node = json_object_get_member (object, path[i]);

      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return object != NULL ? schema_choices (object) : NULL;
}

static void
on_palette_toggled_cb (GtkToggleButton *button,
                       DbwLabelForm    *self)
{
  if (self->annotator != NULL && gtk_toggle_button_get_active (button))
    dbw_image_annotator_set_current_class (self->annotator, gtk_widget_get_name (GTK_WIDGET (button)));
}

/* The object detection field: how many objects, and the class palette, from the schema or
 * else from the classes used on the sheet and on this image. */
static void
refresh_shapes (DbwLabelForm *self)
{
  Field *field = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) palette = NULL;
  g_auto(GStrv) used = NULL;
  DbwShapeSet *shapes;
  GtkWidget *flow;
  guint n = 0, n_suggested = 0;
  g_autofree char *summary = NULL;
  const char *current;

  if (self->fields == NULL)
    return;

  for (guint i = 0; i < self->fields->len; i++)
    if (((Field *) g_ptr_array_index (self->fields, i))->kind == FIELD_SHAPES)
      field = g_ptr_array_index (self->fields, i);
  if (field == NULL)
    return;

  shapes = self->annotator != NULL ? dbw_image_annotator_get_shapes (self->annotator) : NULL;
  if (shapes != NULL)
    {
      n = dbw_shape_set_get_n_shapes (shapes);
      for (guint i = 0; i < n; i++)
        if (dbw_shape_set_get_shape (shapes, i)->suggested)
          n_suggested++;
      used = dbw_shape_set_list_labels (shapes);
    }

  if (n == 0)
    summary = g_strdup (_("No objects. Draw boxes (B) or polygons (P) on the image; a board without defects is saved as it is."));
  else if (n_suggested > 0)
    /* Translators: "3 objects, 2 of them suggested" */
    summary = g_strdup_printf (g_dngettext (NULL, "%u object, %u of them suggested", "%u objects, %u of them suggested", n),
                               n, n_suggested);
  else
    summary = g_strdup_printf (g_dngettext (NULL, "%u object", "%u objects", n), n);
  gtk_label_set_text (GTK_LABEL (field->widget), summary);

  palette = schema_object_classes (self);
  if (palette == NULL)
    {
      builder = g_strv_builder_new ();
      for (guint i = 0; self->classes != NULL && self->classes[i] != NULL; i++)
        g_strv_builder_add (builder, self->classes[i]);
      for (guint i = 0; used != NULL && used[i] != NULL; i++)
        if (self->classes == NULL || !g_strv_contains ((const char * const *) self->classes, used[i]))
          g_strv_builder_add (builder, used[i]);
      palette = g_strv_builder_end (builder);
    }

  if (self->annotator != NULL)
    dbw_image_annotator_set_classes (self->annotator, palette[0] != NULL ? (const char * const *) palette : NULL);

  if (field->choices == NULL || !g_strv_equal ((const char * const *) field->choices, (const char * const *) palette))
    {
      GtkToggleButton *first = NULL;
      GtkWidget *child;

      flow = gtk_widget_get_next_sibling (field->widget);
      while ((child = gtk_widget_get_first_child (flow)) != NULL)
        gtk_flow_box_remove (GTK_FLOW_BOX (flow), child);
      g_clear_pointer (&field->toggles, g_ptr_array_unref);
      field->toggles = g_ptr_array_new ();
      g_strfreev (field->choices);
      field->choices = g_strdupv (palette);

      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 2);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
      gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
      for (guint i = 0; palette[i] != NULL; i++)
        {
          GtkWidget *button = gtk_toggle_button_new ();
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
          GtkWidget *name = gtk_label_new (palette[i]);

          if (i < 9)
            {
              g_autofree char *key = g_strdup_printf ("%u", i + 1);
              GtkWidget *hotkey = gtk_label_new (key);

              gtk_widget_add_css_class (hotkey, "dim-label");
              gtk_widget_add_css_class (hotkey, "numeric");
              gtk_box_append (GTK_BOX (box), hotkey);
            }
          gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
          gtk_label_set_xalign (GTK_LABEL (name), 0);
          gtk_widget_set_hexpand (name, TRUE);
          gtk_box_append (GTK_BOX (box), name);
          gtk_button_set_child (GTK_BUTTON (button), box);
          gtk_widget_set_name (button, palette[i]);
          /* Translators: the tooltip of a class of the object palette */
          gtk_widget_set_tooltip_text (button, _("The class of the next shape, and of the selected one"));
          if (first == NULL)
            first = GTK_TOGGLE_BUTTON (button);
          else
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
          g_signal_connect (button, "toggled", G_CALLBACK (on_palette_toggled_cb), self);
          gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
          g_ptr_array_add (field->toggles, button);
        }
      apply_field_editable (self, field);
    }

  current = self->annotator != NULL ? dbw_image_annotator_get_current_class (self->annotator) : NULL;
  for (guint i = 0; i < field->toggles->len; i++)
    if (g_strcmp0 (field->choices[i], current) == 0)
      gtk_toggle_button_set_active (g_ptr_array_index (field->toggles, i), TRUE);
}

static void
rebuild_fields (DbwLabelForm *self)
{
  JsonObject *root = schema_object (self);
  JsonObject *props = schema_properties (self);
  GtkWidget *child;
  const char *kind_title;

  if (self->fields_box == NULL)
    return;

  while ((child = gtk_widget_get_first_child (self->fields_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->fields_box), child);
  g_ptr_array_set_size (self->fields, 0);

  switch (self->label_type)
    {
    case DBW_LABEL_TYPE_CLASSIFICATION:    kind_title = _("Class"); break;
    case DBW_LABEL_TYPE_ENTITY_EXTRACTION: kind_title = _("Entities"); break;
    case DBW_LABEL_TYPE_QA:                kind_title = _("Answer"); break;
    case DBW_LABEL_TYPE_GENERATION:        kind_title = _("Expected Output"); break;
    case DBW_LABEL_TYPE_SUMMARIZATION:     kind_title = _("Summary"); break;
    case DBW_LABEL_TYPE_OBJECT_DETECTION:  kind_title = _("Objects"); break;
    default:                               g_assert_not_reached ();
    }

  if (props != NULL && self->label_type != DBW_LABEL_TYPE_OBJECT_DETECTION)
    {
      g_autoptr(GList) names = json_object_get_members (props);
      const char *class_property = NULL;

      if (self->label_type == DBW_LABEL_TYPE_CLASSIFICATION)
        class_property = find_class_property (props);

      for (const GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (props, l->data);
          JsonObject *property = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *schema_title = property != NULL ? json_object_get_string_member_with_default (property, "title", NULL) : NULL;
          g_autofree char *title = schema_title != NULL ? g_strdup (schema_title) : humanize (l->data);
          GStrv choices = NULL;
          FieldKind kind;

          if (property == NULL)
            continue;

          kind = kind_for_property (self, property, &choices);
          if (g_strcmp0 (l->data, class_property) == 0)
            kind = FIELD_CLASSES;
          add_field (self, l->data, title, kind, schema_requires (self, l->data), choices);
        }
      return;
    }

  /* The label data is one value. */
  {
    GStrv choices = root != NULL ? schema_choices (root) : NULL;
    FieldKind kind;

    switch (self->label_type)
      {
      case DBW_LABEL_TYPE_CLASSIFICATION:
        kind = choices != NULL ? FIELD_CLASSES : FIELD_ENTRY;
        break;
      case DBW_LABEL_TYPE_QA:
      case DBW_LABEL_TYPE_GENERATION:
      case DBW_LABEL_TYPE_SUMMARIZATION:
        kind = choices != NULL ? FIELD_CHOICE : FIELD_TEXT;
        break;
      case DBW_LABEL_TYPE_OBJECT_DETECTION:
        kind = FIELD_SHAPES;
        g_clear_pointer (&choices, g_strfreev);
        break;
      case DBW_LABEL_TYPE_ENTITY_EXTRACTION:
      default:
        kind = FIELD_JSON;
        break;
      }
    add_field (self, NULL, kind_title, kind, TRUE, choices);
    refresh_shapes (self);
  }
}

static Field *
find_field (DbwLabelForm *self,
            const char   *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }

  return NULL;
}

static char *
node_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return json_to_string (node, TRUE);
}

static void
set_text_view (GtkWidget  *view,
               const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static char *
get_text_view (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
field_set_value (Field    *field,
                 JsonNode *node)
{
  g_autofree char *text = node_text (node);

  switch (field->kind)
    {
    case FIELD_ENTRY:
      gtk_editable_set_text (GTK_EDITABLE (field->widget), text);
      break;

    case FIELD_TEXT:
    case FIELD_JSON:
      if (field->kind == FIELD_JSON && node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_free (text);
          text = json_to_string (node, FALSE);
        }
      set_text_view (field->widget, text);
      break;

    case FIELD_NUMBER:
    case FIELD_INTEGER:
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->widget), json_node_get_double (node));
      else
        /* Empty, not 0: the field has no value until one is typed. */
        gtk_editable_set_text (GTK_EDITABLE (field->widget), "");
      break;

    case FIELD_BOOLEAN:
      gtk_switch_set_active (GTK_SWITCH (field->widget),
                             node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                             json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node));
      break;

    case FIELD_CHOICE:
      {
        guint selected = 0;

        for (guint i = 0; node != NULL && field->choices[i] != NULL; i++)
          if (g_str_equal (field->choices[i], text))
            selected = i + 1;
        gtk_drop_down_set_selected (GTK_DROP_DOWN (field->widget), selected);
      }
      break;

    case FIELD_CLASSES:
      for (guint i = 0; i < field->toggles->len; i++)
        gtk_toggle_button_set_active (g_ptr_array_index (field->toggles, i),
                                      node != NULL && g_str_equal (field->choices[i], text));
      break;

    case FIELD_SHAPES:
      /* The page gives the annotator its shapes; the form reads them when saving. */
      break;

    default:
      g_assert_not_reached ();
    }
}

/* (transfer full) (nullable): the field's value, NULL when it has none; a value that is
 * not what the field holds sets @message. */
static JsonNode *
field_get_value (DbwLabelForm  *self,
                 Field         *field,
                 char         **message)
{
  switch (field->kind)
    {
    case FIELD_ENTRY:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (field->widget));

        return text[0] != '\0' ? json_node_init_string (json_node_alloc (), text) : NULL;
      }

    case FIELD_TEXT:
      {
        g_autofree char *text = get_text_view (field->widget);
        g_autofree char *stripped = g_strstrip (g_strdup (text));

        return stripped[0] != '\0' ? json_node_init_string (json_node_alloc (), text) : NULL;
      }

    case FIELD_JSON:
      {
        g_autofree char *text = get_text_view (field->widget);
        g_autoptr(GError) error = NULL;
        JsonNode *node;

        g_strstrip (text);
        if (text[0] == '\0')
          return NULL;
        node = json_from_string (text, &error);
        if (node == NULL)
          /* Translators: %s says what is wrong with the JSON text */
          *message = g_strdup_printf (_("Not valid JSON: %s"), error->message);
        return node;
      }

    case FIELD_NUMBER:
    case FIELD_INTEGER:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (field->widget));
        double value;

        if (text[0] == '\0')
          return NULL;
        gtk_spin_button_update (GTK_SPIN_BUTTON (field->widget));
        value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->widget));
        if (field->kind == FIELD_INTEGER)
          return json_node_init_int (json_node_alloc (), (gint64) value);
        return json_node_init_double (json_node_alloc (), value);
      }

    case FIELD_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), gtk_switch_get_active (GTK_SWITCH (field->widget)));

    case FIELD_CHOICE:
      {
        guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (field->widget));

        if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
          return NULL;
        return json_node_init_string (json_node_alloc (), field->choices[selected - 1]);
      }

    case FIELD_CLASSES:
      for (guint i = 0; i < field->toggles->len; i++)
        if (gtk_toggle_button_get_active (g_ptr_array_index (field->toggles, i)))
          return json_node_init_string (json_node_alloc (), field->choices[i]);
      return NULL;

    case FIELD_SHAPES:
      {
        DbwShapeSet *shapes;
        g_autofree char *json = NULL;

        if (self->annotator == NULL || (shapes = dbw_image_annotator_get_shapes (self->annotator)) == NULL)
          return NULL;
        /* Saving accepts the suggested shapes: the label data has no such mark. */
        json = dbw_shape_set_to_json (shapes);
        return json_from_string (json, NULL);
      }

    default:
      g_assert_not_reached ();
    }
}

static void
field_set_error (Field      *field,
                 const char *message)
{
  gtk_label_set_text (GTK_LABEL (field->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (field->error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (field->widget, "error");
  else
    gtk_widget_remove_css_class (field->widget, "error");
}

static void
clear_errors (DbwLabelForm *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    field_set_error (g_ptr_array_index (self->fields, i), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->reason_row), "error");
}

static void
load_uses (DbwLabelForm       *self,
           const char * const *allowed,
           const char * const *prohibited)
{
  for (guint i = 0; i < N_USES; i++)
    {
      gtk_check_button_set_active (self->allowed_checks[i],
                                   allowed != NULL && g_strv_contains (allowed, uses[i].use));
      gtk_check_button_set_active (self->prohibited_checks[i],
                                   prohibited != NULL && g_strv_contains (prohibited, uses[i].use));
    }
}

static GStrv
collect_uses (GtkCheckButton **checks)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < N_USES; i++)
    if (gtk_check_button_get_active (checks[i]))
      g_strv_builder_add (builder, uses[i].use);

  return g_strv_builder_end (builder);
}

static gboolean
same_uses (const char * const *a,
           const char * const *b)
{
  for (guint i = 0; i < N_USES; i++)
    if ((a != NULL && g_strv_contains (a, uses[i].use)) != (b != NULL && g_strv_contains (b, uses[i].use)))
      return FALSE;

  return TRUE;
}

static void
on_use_toggled_cb (GtkCheckButton *check,
                   DbwLabelForm   *self)
{
  /* A use is allowed or prohibited, never both. */
  for (guint i = 0; i < N_USES; i++)
    {
      if (check == self->allowed_checks[i] && gtk_check_button_get_active (check))
        gtk_check_button_set_active (self->prohibited_checks[i], FALSE);
      else if (check == self->prohibited_checks[i] && gtk_check_button_get_active (check))
        gtk_check_button_set_active (self->allowed_checks[i], FALSE);
    }
  on_changed_cb (self);
}

static void
dbw_label_form_dispose (GObject *object)
{
  DbwLabelForm *self = (DbwLabelForm *)object;

  if (self->annotator != NULL)
    g_clear_signal_handler (&self->annotator_changed_handler, self->annotator);
  g_clear_object (&self->annotator);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_LABEL_FORM);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_label_form_parent_class)->dispose (object);
}

static void
dbw_label_form_finalize (GObject *object)
{
  DbwLabelForm *self = (DbwLabelForm *)object;

  g_clear_pointer (&self->schema, json_node_unref);
  g_clear_pointer (&self->classes, g_strfreev);
  g_clear_object (&self->label);

  G_OBJECT_CLASS (dbw_label_form_parent_class)->finalize (object);
}

static void
dbw_label_form_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwLabelForm *self = DBW_LABEL_FORM (object);

  switch (prop_id)
    {
    case PROP_LABEL_TYPE:
      g_value_set_enum (value, self->label_type);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_label_form_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwLabelForm *self = DBW_LABEL_FORM (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      dbw_label_form_set_editable (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_label_form_class_init (DbwLabelFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_label_form_dispose;
  object_class->finalize = dbw_label_form_finalize;
  object_class->get_property = dbw_label_form_get_property;
  object_class->set_property = dbw_label_form_set_property;

  properties [PROP_LABEL_TYPE] =
    g_param_spec_enum ("label-type", NULL, NULL,
                       DBW_TYPE_LABEL_TYPE, DBW_LABEL_TYPE_CLASSIFICATION,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Off for a project that cannot be written: the label is shown, nothing changed. */
  properties [PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user changed something in the form. */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-label-form.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, box);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, suggestion_box);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, suggestion_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, fields_box);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, form_error);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, confidence_high);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, confidence_medium);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, confidence_low);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, notes_view);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, constraints_group);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, classification_row);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, reason_row);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelForm, reason_error);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
dbw_label_form_init (DbwLabelForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->editable = TRUE;
  update_suggestion_label (self);
  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->label_type = DBW_LABEL_TYPE_CLASSIFICATION;

  for (guint i = 0; i < N_USES; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *allowed = gtk_check_button_new_with_label (C_("usage", "Allowed"));
      GtkWidget *prohibited = gtk_check_button_new_with_label (C_("usage", "Prohibited"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(uses[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(uses[i].subtitle));
      gtk_widget_set_name (row, uses[i].use);
      gtk_widget_set_valign (allowed, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (prohibited, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (prohibited, "dbw-prohibited");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), allowed);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), prohibited);
      self->allowed_checks[i] = GTK_CHECK_BUTTON (allowed);
      self->prohibited_checks[i] = GTK_CHECK_BUTTON (prohibited);
      g_signal_connect (allowed, "toggled", G_CALLBACK (on_use_toggled_cb), self);
      g_signal_connect (prohibited, "toggled", G_CALLBACK (on_use_toggled_cb), self);
      adw_preferences_group_add (self->constraints_group, row);
    }

  g_signal_connect_swapped (self->classification_row, "notify::selected", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->reason_row, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_view), "changed", G_CALLBACK (on_changed_cb), self);

  rebuild_fields (self);
}

GtkWidget *
dbw_label_form_new (void)
{
  return g_object_new (DBW_TYPE_LABEL_FORM, NULL);
}

/**
 * dbw_label_form_set_kind:
 * @output_schema: (nullable): the chosen template's output schema, JSON Schema text
 *
 * Lays the form out for @label_type and @output_schema. The values are cleared: set the
 * label again afterwards.
 */
void
dbw_label_form_set_kind (DbwLabelForm *self,
                         DbwLabelType  label_type,
                         const char   *output_schema)
{
  g_autoptr(JsonNode) schema = NULL;

  g_return_if_fail (DBW_IS_LABEL_FORM (self));

  if (output_schema != NULL && output_schema[0] != '\0')
    {
      g_autoptr(GError) error = NULL;

      schema = json_from_string (output_schema, &error);
      if (schema == NULL || !dbw_json_schema_check (schema, &error))
        {
          g_warning ("The output schema cannot shape the label form: %s", error->message);
          g_clear_pointer (&schema, json_node_unref);
        }
    }

  g_clear_pointer (&self->schema, json_node_unref);
  self->schema = g_steal_pointer (&schema);

  self->loading++;
  if (self->label_type != label_type)
    {
      self->label_type = label_type;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LABEL_TYPE]);
    }
  rebuild_fields (self);
  clear_errors (self);
  self->loading--;
  set_modified (self, FALSE);
}

DbwLabelType
dbw_label_form_get_label_type (DbwLabelForm *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), DBW_LABEL_TYPE_CLASSIFICATION);

  return self->label_type;
}

/**
 * dbw_label_form_set_classes:
 * @classes: (nullable) (array zero-terminated=1): classes already used on the sheet
 *
 * For object detection, the class palette when the schema names none.
 */
void
dbw_label_form_set_classes (DbwLabelForm       *self,
                            const char * const *classes)
{
  g_return_if_fail (DBW_IS_LABEL_FORM (self));

  g_clear_pointer (&self->classes, g_strfreev);
  self->classes = g_strdupv ((char **) classes);
  refresh_shapes (self);
}

/**
 * dbw_label_form_get_classes:
 *
 * Returns: (transfer none) (nullable): the class palette: the classes the schema enumerates,
 *   or else those set with dbw_label_form_set_classes()
 */
const char * const *
dbw_label_form_get_classes (DbwLabelForm *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->kind == FIELD_CLASSES)
        return (const char * const *) field->choices;
    }

  return (const char * const *) self->classes;
}

/**
 * dbw_label_form_set_label:
 * @label: the stored label, or a new one from dbw_canonical_ops_new_for_item()
 * @suggestion: (nullable): label data to prefill a new label with, marked as a suggestion
 *
 * Shows @label in the form; nothing is modified afterwards.
 */
void
dbw_label_form_set_label (DbwLabelForm      *self,
                          DbwCanonicalLabel *label,
                          const char        *suggestion)
{
  g_autoptr(JsonNode) data = NULL;
  const char *text;
  const char *reason;

  g_return_if_fail (DBW_IS_LABEL_FORM (self));
  g_return_if_fail (DBW_IS_CANONICAL_LABEL (label));

  g_set_object (&self->label, label);

  text = dbw_canonical_label_get_label_data (label);
  self->has_suggestion = FALSE;
  if (dbw_record_get_id (DBW_RECORD (label)) == NULL && suggestion != NULL)
    {
      text = suggestion;
      self->has_suggestion = TRUE;
    }
  if (text != NULL)
    data = json_from_string (text, NULL);

  self->loading++;

  gtk_widget_set_visible (self->suggestion_box, self->has_suggestion);
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      JsonNode *value = NULL;

      if (field->name == NULL)
        value = data;
      else if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        value = json_object_get_member (json_node_get_object (data), field->name);
      field_set_value (field, value);
    }

  switch (dbw_canonical_label_get_confidence (label))
    {
    case DBW_CONFIDENCE_MEDIUM:
      gtk_toggle_button_set_active (self->confidence_medium, TRUE);
      break;
    case DBW_CONFIDENCE_LOW:
      gtk_toggle_button_set_active (self->confidence_low, TRUE);
      break;
    case DBW_CONFIDENCE_HIGH:
    default:
      gtk_toggle_button_set_active (self->confidence_high, TRUE);
      break;
    }

  set_text_view (GTK_WIDGET (self->notes_view),
                 dbw_canonical_label_get_notes (label) != NULL ? dbw_canonical_label_get_notes (label) : "");
  load_uses (self, dbw_canonical_label_get_allowed_uses (label), dbw_canonical_label_get_prohibited_uses (label));
  adw_combo_row_set_selected (self->classification_row, dbw_canonical_label_get_data_classification (label));
  reason = dbw_canonical_label_get_usage_reason (label);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), reason != NULL ? reason : "");
  clear_errors (self);
  refresh_shapes (self);

  self->loading--;
  set_modified (self, FALSE);
}

/* A field's value as typed, even when it is not valid yet (half-typed JSON, an empty
 * required field): what a draft keeps. */
static JsonNode *
field_dup_raw (DbwLabelForm *self,
               Field        *field)
{
  switch (field->kind)
    {
    case FIELD_ENTRY:
    case FIELD_NUMBER:
    case FIELD_INTEGER:
      return json_node_init_string (json_node_alloc (), gtk_editable_get_text (GTK_EDITABLE (field->widget)));

    case FIELD_TEXT:
    case FIELD_JSON:
      {
        g_autofree char *text = get_text_view (field->widget);

        return json_node_init_string (json_node_alloc (), text);
      }

    case FIELD_SHAPES:
      {
        /* The label data, and which shapes are still suggestions: they are kept as such. */
        DbwShapeSet *shapes = self->annotator != NULL ? dbw_image_annotator_get_shapes (self->annotator) : NULL;
        g_autoptr(JsonObject) raw = json_object_new ();
        g_autoptr(JsonArray) suggested = json_array_new ();
        g_autofree char *json = NULL;

        if (shapes == NULL)
          return json_node_init_null (json_node_alloc ());
        json = dbw_shape_set_to_json (shapes);
        json_object_set_member (raw, "label_data", json_from_string (json, NULL));
        for (guint i = 0; i < dbw_shape_set_get_n_shapes (shapes); i++)
          if (dbw_shape_set_get_shape (shapes, i)->suggested)
            json_array_add_int_element (suggested, i);
        json_object_set_array_member (raw, "suggested", g_steal_pointer (&suggested));

        return json_node_init_object (json_node_alloc (), raw);
      }

    case FIELD_BOOLEAN:
    case FIELD_CHOICE:
    case FIELD_CLASSES:
      {
        g_autofree char *message = NULL;
        JsonNode *value = field_get_value (self, field, &message);

        return value != NULL ? value : json_node_init_null (json_node_alloc ());
      }

    default:
      g_assert_not_reached ();
    }
}

static void
field_restore_raw (DbwLabelForm *self,
                   Field        *field,
                   JsonNode     *raw)
{
  const char *text = JSON_NODE_HOLDS_VALUE (raw) && json_node_get_value_type (raw) == G_TYPE_STRING
                     ? json_node_get_string (raw) : NULL;

  switch (field->kind)
    {
    case FIELD_ENTRY:
    case FIELD_NUMBER:
    case FIELD_INTEGER:
      if (text != NULL)
        gtk_editable_set_text (GTK_EDITABLE (field->widget), text);
      break;

    case FIELD_TEXT:
    case FIELD_JSON:
      if (text != NULL)
        set_text_view (field->widget, text);
      break;

    case FIELD_SHAPES:
      if (self->annotator != NULL && JSON_NODE_HOLDS_OBJECT (raw))
        {
          JsonObject *object = json_node_get_object (raw);
          JsonNode *data = json_object_get_member (object, "label_data");
          JsonNode *suggested_node = json_object_get_member (object, "suggested");
          JsonArray *suggested = suggested_node != NULL && JSON_NODE_HOLDS_ARRAY (suggested_node)
                                 ? json_node_get_array (suggested_node) : NULL;
          g_autofree char *json = NULL;
          g_autoptr(DbwShapeSet) shapes = NULL;

          /* A draft from before suggestions were kept is the label data itself. */
          json = json_to_string (data != NULL ? data : raw, FALSE);
          shapes = dbw_shape_set_new_from_json (json, 0, 0, NULL);
          if (shapes == NULL)
            break;
          for (guint i = 0; suggested != NULL && i < json_array_get_length (suggested); i++)
            {
              JsonNode *element = json_array_get_element (suggested, i);
              gint64 index = JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_INT64
                             ? json_node_get_int (element) : -1;

              if (index >= 0 && index < dbw_shape_set_get_n_shapes (shapes))
                dbw_shape_set_set_suggested (shapes, index, TRUE);
            }
          dbw_image_annotator_set_shapes (self->annotator, shapes);
        }
      break;

    case FIELD_BOOLEAN:
    case FIELD_CHOICE:
    case FIELD_CLASSES:
      field_set_value (field, JSON_NODE_HOLDS_NULL (raw) ? NULL : raw);
      break;

    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
uses_to_node (GtkCheckButton **checks)
{
  g_auto(GStrv) list = collect_uses (checks);
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; list[i] != NULL; i++)
    json_array_add_string_element (array, list[i]);

  return json_node_init_array (json_node_alloc (), array);
}

static GStrv
node_to_uses (JsonObject *draft,
              const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (draft, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *use = json_array_get_string_element (array, i);

          if (use != NULL)
            g_strv_builder_add (builder, use);
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * dbw_label_form_dup_draft:
 *
 * Everything the form holds as the user left it, valid or not, for
 * dbw_label_form_restore_draft().
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
dbw_label_form_dup_draft (DbwLabelForm *self)
{
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *notes = NULL;
  const char *confidence;

  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      json_object_set_member (fields, field->name != NULL ? field->name : "", field_dup_raw (self, field));
    }
  json_object_set_object_member (draft, "fields", g_steal_pointer (&fields));

  if (gtk_toggle_button_get_active (self->confidence_low))
    confidence = "low";
  else if (gtk_toggle_button_get_active (self->confidence_medium))
    confidence = "medium";
  else
    confidence = "high";
  json_object_set_string_member (draft, "confidence", confidence);
  notes = get_text_view (GTK_WIDGET (self->notes_view));
  json_object_set_string_member (draft, "notes", notes);
  json_object_set_member (draft, "allowed_uses", uses_to_node (self->allowed_checks));
  json_object_set_member (draft, "prohibited_uses", uses_to_node (self->prohibited_checks));
  json_object_set_int_member (draft, "data_classification", adw_combo_row_get_selected (self->classification_row));
  json_object_set_string_member (draft, "usage_reason", gtk_editable_get_text (GTK_EDITABLE (self->reason_row)));

  return json_node_init_object (json_node_alloc (), draft);
}

/**
 * dbw_label_form_restore_draft:
 * @draft: what dbw_label_form_dup_draft() gave, for the same label and kind of form
 *
 * Puts back what the form held; the form is then modified.
 */
void
dbw_label_form_restore_draft (DbwLabelForm *self,
                              JsonObject   *draft)
{
  JsonNode *fields;
  g_auto(GStrv) allowed = NULL;
  g_auto(GStrv) prohibited = NULL;
  const char *confidence;
  gint64 classification;

  g_return_if_fail (DBW_IS_LABEL_FORM (self));
  g_return_if_fail (draft != NULL);

  self->loading++;

  fields = json_object_get_member (draft, "fields");
  for (guint i = 0; fields != NULL && JSON_NODE_HOLDS_OBJECT (fields) && i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      JsonNode *raw = json_object_get_member (json_node_get_object (fields), field->name != NULL ? field->name : "");

      if (raw != NULL)
        field_restore_raw (self, field, raw);
    }

  confidence = json_object_get_string_member_with_default (draft, "confidence", "high");
  if (g_strcmp0 (confidence, "low") == 0)
    gtk_toggle_button_set_active (self->confidence_low, TRUE);
  else if (g_strcmp0 (confidence, "medium") == 0)
    gtk_toggle_button_set_active (self->confidence_medium, TRUE);
  else
    gtk_toggle_button_set_active (self->confidence_high, TRUE);
  set_text_view (GTK_WIDGET (self->notes_view), json_object_get_string_member_with_default (draft, "notes", ""));
  allowed = node_to_uses (draft, "allowed_uses");
  prohibited = node_to_uses (draft, "prohibited_uses");
  load_uses (self, (const char * const *) allowed, (const char * const *) prohibited);
  classification = json_object_get_int_member_with_default (draft, "data_classification",
                                                            adw_combo_row_get_selected (self->classification_row));
  if (classification >= 0 && classification <= DBW_CLASSIFICATION_RESTRICTED)
    adw_combo_row_set_selected (self->classification_row, (guint) classification);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row),
                         json_object_get_string_member_with_default (draft, "usage_reason", ""));
  clear_errors (self);
  refresh_shapes (self);

  self->loading--;
  set_modified (self, TRUE);
}

gboolean
dbw_label_form_get_modified (DbwLabelForm *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), FALSE);

  return self->modified;
}

gboolean
dbw_label_form_get_has_suggestion (DbwLabelForm *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), FALSE);

  return self->has_suggestion;
}

gboolean
dbw_label_form_get_editable (DbwLabelForm *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), FALSE);

  return self->editable;
}

/**
 * dbw_label_form_set_editable:
 *
 * A form that is not editable shows the label and takes no changes; its text can still be
 * selected and copied. Its annotator, where object detection labels are drawn, follows.
 */
void
dbw_label_form_set_editable (DbwLabelForm *self,
                             gboolean      editable)
{
  GtkWidget *fixed[] = {
    GTK_WIDGET (self->confidence_high), GTK_WIDGET (self->confidence_medium), GTK_WIDGET (self->confidence_low),
    GTK_WIDGET (self->notes_view), GTK_WIDGET (self->classification_row), GTK_WIDGET (self->reason_row),
  };

  g_return_if_fail (DBW_IS_LABEL_FORM (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  update_suggestion_label (self);
  for (guint i = 0; i < self->fields->len; i++)
    apply_field_editable (self, g_ptr_array_index (self->fields, i));
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    dbw_widget_set_editable (fixed[i], editable);
  for (guint i = 0; i < N_USES; i++)
    {
      dbw_widget_set_editable (GTK_WIDGET (self->allowed_checks[i]), editable);
      dbw_widget_set_editable (GTK_WIDGET (self->prohibited_checks[i]), editable);
    }
  if (self->annotator != NULL)
    dbw_image_annotator_set_editable (self->annotator, editable);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDITABLE]);
}

/**
 * dbw_label_form_choose_class:
 * @position: 1 for the first class (the hotkeys 1–9)
 *
 * Returns: whether the form has a class at @position and takes changes
 */
gboolean
dbw_label_form_choose_class (DbwLabelForm *self,
                             guint         position)
{
  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), FALSE);

  if (!self->editable)
    return FALSE;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->kind != FIELD_CLASSES && field->kind != FIELD_SHAPES)
        continue;
      if (position < 1 || position > field->toggles->len)
        return FALSE;

      gtk_toggle_button_set_active (g_ptr_array_index (field->toggles, position - 1), TRUE);
      field_set_error (field, NULL);
      return TRUE;
    }

  return FALSE;
}

/* Shows a schema mismatch ("$.amount: expected number, found string") under its field. */
static void
show_schema_error (DbwLabelForm *self,
                   const char   *message)
{
  Field *field = NULL;
  const char *rest = message;

  if (g_str_has_prefix (message, "$.") )
    {
      const char *name = message + 2;
      gsize len = strcspn (name, ".[:");
      g_autofree char *member = g_strndup (name, len);

      field = find_field (self, member);
      if (field != NULL && (rest = strstr (message, ": ")) != NULL)
        rest += 2;
    }
  else if (g_str_has_prefix (message, "$: "))
    {
      field = find_field (self, NULL);
      if (field != NULL)
        rest = message + 3;
    }

  if (field != NULL)
    {
      field_set_error (field, rest != NULL ? rest : message);
      return;
    }

  gtk_label_set_text (self->form_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), TRUE);
}

/* (transfer full) (nullable): the label data the fields make, NULL with the errors shown. */
static JsonNode *
build_label_data (DbwLabelForm *self)
{
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) original = NULL;
  JsonObject *object = NULL;
  gboolean ok = TRUE;
  const char *text;

  if (self->label != NULL && (text = dbw_canonical_label_get_label_data (self->label)) != NULL)
    original = json_from_string (text, NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      g_autofree char *message = NULL;
      g_autoptr(JsonNode) value = field_get_value (self, field, &message);

      if (message != NULL)
        {
          field_set_error (field, message);
          ok = FALSE;
          continue;
        }
      if (value == NULL && field->required)
        {
          field_set_error (field, field->kind == FIELD_CLASSES ? _("Choose a class") : _("Required"));
          ok = FALSE;
          continue;
        }

      if (field->name == NULL)
        {
          data = g_steal_pointer (&value);
          continue;
        }

      if (object == NULL)
        {
          /* Members the form does not show are kept; @original was parsed here, so it can
           * be edited in place. */
          if (original != NULL && JSON_NODE_HOLDS_OBJECT (original))
            data = g_steal_pointer (&original);
          else
            {
              g_autoptr(JsonObject) fresh = json_object_new ();

              data = json_node_init_object (json_node_alloc (), fresh);
            }
          object = json_node_get_object (data);
        }

      if (value != NULL)
        json_object_set_member (object, field->name, g_steal_pointer (&value));
      else if (json_object_has_member (object, field->name))
        json_object_remove_member (object, field->name);
    }

  if (!ok)
    return NULL;

  if (data == NULL)
    {
      gtk_label_set_text (self->form_error, _("The label is empty"));
      gtk_widget_set_visible (GTK_WIDGET (self->form_error), TRUE);
      return NULL;
    }

  if (self->label_type == DBW_LABEL_TYPE_ENTITY_EXTRACTION && self->schema == NULL && !JSON_NODE_HOLDS_OBJECT (data))
    {
      show_schema_error (self, _("$: the entities must be a JSON object, as in {\"name\": \"…\"}"));
      return NULL;
    }

  if (self->schema != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!dbw_json_schema_validate (self->schema, data, &error))
        {
          show_schema_error (self, error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&data);
}

/**
 * dbw_label_form_build_label:
 *
 * Checks the form; problems are shown under the fields they concern.
 *
 * Returns: (transfer full): a copy of the label with the form's values, to save; %NULL
 *   with @error set when something is missing or wrong
 */
DbwCanonicalLabel *
dbw_label_form_build_label (DbwLabelForm  *self,
                            GError       **error)
{
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *data_text = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *reason = NULL;
  g_auto(GStrv) allowed = NULL;
  g_auto(GStrv) prohibited = NULL;
  DbwDataClassification classification;
  DbwConfidence confidence;
  gboolean constraints_changed;
  const char *old_reason;

  g_return_val_if_fail (DBW_IS_LABEL_FORM (self), NULL);
  g_return_val_if_fail (self->label != NULL, NULL);

  clear_errors (self);

  data = build_label_data (self);

  allowed = collect_uses (self->allowed_checks);
  prohibited = collect_uses (self->prohibited_checks);
  classification = adw_combo_row_get_selected (self->classification_row);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
  old_reason = dbw_canonical_label_get_usage_reason (self->label);
  constraints_changed = !same_uses ((const char * const *) allowed, dbw_canonical_label_get_allowed_uses (self->label)) ||
                        !same_uses ((const char * const *) prohibited, dbw_canonical_label_get_prohibited_uses (self->label)) ||
                        classification != dbw_canonical_label_get_data_classification (self->label);

  /* The audit keeps the reason with the change: an old reason does not explain a new one. */
  if (constraints_changed && (reason[0] == '\0' || g_strcmp0 (reason, old_reason) == 0))
    {
      gtk_label_set_text (self->reason_error, _("Say why the usage constraints change"));
      gtk_widget_set_visible (GTK_WIDGET (self->reason_error), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->reason_row), "error");
      g_set_error_literal (error, DBW_LABEL_FORM_ERROR, DBW_LABEL_FORM_ERROR_INVALID,
                           _("Say why the usage constraints change"));
      return NULL;
    }

  if (data == NULL)
    {
      g_set_error_literal (error, DBW_LABEL_FORM_ERROR, DBW_LABEL_FORM_ERROR_INVALID,
                           _("The label is not complete; see the marked fields"));
      return NULL;
    }

  if (gtk_toggle_button_get_active (self->confidence_low))
    confidence = DBW_CONFIDENCE_LOW;
  else if (gtk_toggle_button_get_active (self->confidence_medium))
    confidence = DBW_CONFIDENCE_MEDIUM;
  else
    confidence = DBW_CONFIDENCE_HIGH;

  notes = get_text_view (GTK_WIDGET (self->notes_view));
  g_strstrip (notes);
  data_text = json_to_string (data, FALSE);

  label = dbw_record_copy (DBW_RECORD (self->label));
  dbw_canonical_label_set_label_type (label, self->label_type);
  dbw_canonical_label_set_label_data (label, data_text);
  dbw_canonical_label_set_confidence (label, confidence);
  dbw_canonical_label_set_notes (label, notes[0] != '\0' ? notes : NULL);
  dbw_canonical_label_set_allowed_uses (label, (const char * const *) allowed);
  dbw_canonical_label_set_prohibited_uses (label, (const char * const *) prohibited);
  dbw_canonical_label_set_data_classification (label, classification);
  dbw_canonical_label_set_usage_reason (label, reason[0] != '\0' ? reason : NULL);

  return g_steal_pointer (&label);
}

static void
on_annotator_changed_cb (DbwLabelForm *self)
{
  refresh_shapes (self);
  on_changed_cb (self);
}

/**
 * dbw_label_form_set_annotator:
 * @annotator: (nullable): where the shapes of an object detection label are drawn
 *
 * For object detection the label data is the annotator's shapes; the form shows how many
 * there are and the class palette.
 */
void
dbw_label_form_set_annotator (DbwLabelForm      *self,
                              DbwImageAnnotator *annotator)
{
  g_return_if_fail (DBW_IS_LABEL_FORM (self));
  g_return_if_fail (!annotator || DBW_IS_IMAGE_ANNOTATOR (annotator));

  if (self->annotator == annotator)
    return;

  if (self->annotator != NULL)
    g_clear_signal_handler (&self->annotator_changed_handler, self->annotator);
  g_set_object (&self->annotator, annotator);
  if (annotator != NULL)
    {
      self->annotator_changed_handler =
        g_signal_connect_object (annotator, "changed", G_CALLBACK (on_annotator_changed_cb), self, G_CONNECT_SWAPPED);
      dbw_image_annotator_set_editable (annotator, self->editable);
    }
  refresh_shapes (self);
}
