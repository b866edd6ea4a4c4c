/* dbw-image-preview.c
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

#define G_LOG_DOMAIN "dbw-image-preview"

#include "config.h"


#include "dbw-image-preview.h"
#include "dbw-widget-util.h"

struct _DbwImagePreview
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkSpinner    *spinner;
  DbwImageView  *view;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (DbwImagePreview, dbw_image_preview, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
on_view_state_changed_cb (DbwImagePreview *self,
                          GParamSpec      *pspec,
                          DbwImageView    *view)
{
  const GError *error = dbw_image_view_get_error (view);
  gboolean loading = dbw_image_view_get_loading (view);
  const char *state;

  if (loading)
    state = "loading";
  else if (error != NULL)
    state = "error";
  else if (dbw_image_view_get_texture (view) != NULL)
    state = "image";
  else
    state = "empty";

  gtk_spinner_set_spinning (self->spinner, loading);
  dbw_status_page_set_description_text (self->error_page, error != NULL ? error->message : NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), state) == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, state);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
dbw_image_preview_dispose (GObject *object)
{
  DbwImagePreview *self = (DbwImagePreview *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_IMAGE_PREVIEW);

  G_OBJECT_CLASS (dbw_image_preview_parent_class)->dispose (object);
}

static void
dbw_image_preview_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DbwImagePreview *self = DBW_IMAGE_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, dbw_image_preview_get_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_image_preview_class_init (DbwImagePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_image_preview_dispose;
  object_class->get_property = dbw_image_preview_get_property;

  properties [PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL,
                         "empty",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DBW_TYPE_IMAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-image-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwImagePreview, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwImagePreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwImagePreview, view);
  gtk_widget_class_bind_template_child (widget_class, DbwImagePreview, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_view_state_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "imagepreview");
}

static void
dbw_image_preview_init (DbwImagePreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dbw_image_preview_new (void)
{
  return g_object_new (DBW_TYPE_IMAGE_PREVIEW, NULL);
}

/**
 * dbw_image_preview_set_bytes:
 * @bytes: (nullable): the content of an image file, or %NULL to show nothing
 */
void
dbw_image_preview_set_bytes (DbwImagePreview *self,
                             GBytes          *bytes)
{
  g_return_if_fail (DBW_IS_IMAGE_PREVIEW (self));

  dbw_image_view_set_bytes (self->view, bytes);
}

/**
 * dbw_image_preview_get_view:
 *
 * Returns: (transfer none): the image view inside the preview
 */
DbwImageView *
dbw_image_preview_get_view (DbwImagePreview *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_PREVIEW (self), NULL);

  return self->view;
}

/**
 * dbw_image_preview_get_state:
 *
 * Returns: "empty", "loading", "image" or "error"
 */
const char *
dbw_image_preview_get_state (DbwImagePreview *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_PREVIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
