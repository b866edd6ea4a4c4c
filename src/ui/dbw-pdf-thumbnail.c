/* dbw-pdf-thumbnail.c
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

#define G_LOG_DOMAIN "dbw-pdf-thumbnail"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-pdf-thumbnail.h"

/* Thumbnails render at low priority, after the pages of the main view, and only while their
 * list item is bound, so a long document renders the few thumbnails that are on screen. */

struct _DbwPdfThumbnail
{
  GtkWidget       parent_instance;

  DbwPdfRenderer *renderer;
  int             page;
  double          aspect;
  GdkTexture     *texture;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (DbwPdfThumbnail, dbw_pdf_thumbnail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RENDERER,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
cancel_render (DbwPdfThumbnail *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
thumbnail_rendered_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(DbwPdfThumbnail) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = dbw_pdf_renderer_render_page_finish (DBW_PDF_RENDERER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  if (texture == NULL)
    {
      g_debug ("Thumbnail of page %d not rendered: %s", self->page + 1, error->message);
      return;
    }

  g_set_object (&self->texture, texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
thumbnail_scale (DbwPdfThumbnail *self,
                 double           page_width)
{
  return DBW_PDF_THUMBNAIL_WIDTH * gtk_widget_get_scale_factor (GTK_WIDGET (self)) / page_width;
}

static void
update_thumbnail (DbwPdfThumbnail *self)
{
  double width = 0;
  double height = 0;
  double scale;
  g_autoptr(GdkTexture) cached = NULL;
  g_autofree char *label = NULL;

  cancel_render (self);
  g_clear_object (&self->texture);
  self->aspect = 297.0 / 210.0;

  if (self->renderer == NULL || self->page < 0 ||
      !dbw_pdf_renderer_get_page_size (self->renderer, self->page, &width, &height))
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      return;
    }

  /* Translators: read by screen readers for a page thumbnail, e.g. "Page 3" */
  label = g_strdup_printf (_("Page %d"), self->page + 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  self->aspect = height / width;
  gtk_widget_queue_resize (GTK_WIDGET (self));

  scale = thumbnail_scale (self, width);
  cached = dbw_pdf_renderer_lookup (self->renderer, self->page, scale);
  if (cached != NULL)
    {
      self->texture = g_steal_pointer (&cached);
      return;
    }

  self->cancellable = g_cancellable_new ();
  dbw_pdf_renderer_render_page_full_async (self->renderer, self->page, scale, G_PRIORITY_LOW,
                                           self->cancellable, thumbnail_rendered_cb,
                                           g_object_ref (self));
}

static void
on_scale_factor_changed_cb (DbwPdfThumbnail *self)
{
  update_thumbnail (self);
}

static void
dbw_pdf_thumbnail_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  DbwPdfThumbnail *self = DBW_PDF_THUMBNAIL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = DBW_PDF_THUMBNAIL_WIDTH;
  else
    *minimum = *natural = (int) round (DBW_PDF_THUMBNAIL_WIDTH * self->aspect);
}

static void
dbw_pdf_thumbnail_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  DbwPdfThumbnail *self = DBW_PDF_THUMBNAIL (widget);
  static const GdkRGBA paper = { 1.0f, 1.0f, 1.0f, 1.0f };
  static const GdkRGBA shadow = { 0.0f, 0.0f, 0.0f, 0.25f };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double page_width = MIN (width, DBW_PDF_THUMBNAIL_WIDTH);
  double page_height = MIN (height, round (page_width * self->aspect));
  graphene_rect_t rect;
  GskRoundedRect outline;

  if (self->page < 0)
    return;

  graphene_rect_init (&rect, round ((width - page_width) / 2.0), 0, page_width, page_height);
  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 0, 2);
  gtk_snapshot_append_color (snapshot, &paper, &rect);

  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &rect);
}

static void
dbw_pdf_thumbnail_dispose (GObject *object)
{
  DbwPdfThumbnail *self = (DbwPdfThumbnail *)object;

  cancel_render (self);
  g_clear_object (&self->texture);
  g_clear_object (&self->renderer);

  G_OBJECT_CLASS (dbw_pdf_thumbnail_parent_class)->dispose (object);
}

static void
dbw_pdf_thumbnail_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DbwPdfThumbnail *self = DBW_PDF_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_RENDERER:
      g_value_set_object (value, self->renderer);
      break;

    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_thumbnail_class_init (DbwPdfThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_pdf_thumbnail_dispose;
  object_class->get_property = dbw_pdf_thumbnail_get_property;

  widget_class->measure = dbw_pdf_thumbnail_measure;
  widget_class->snapshot = dbw_pdf_thumbnail_snapshot;

  properties [PROP_RENDERER] =
    g_param_spec_object ("renderer", NULL, NULL,
                         DBW_TYPE_PDF_RENDERER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pdfthumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dbw_pdf_thumbnail_init (DbwPdfThumbnail *self)
{
  self->page = -1;
  self->aspect = 297.0 / 210.0;

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed_cb), NULL);
}

GtkWidget *
dbw_pdf_thumbnail_new (void)
{
  return g_object_new (DBW_TYPE_PDF_THUMBNAIL, NULL);
}

DbwPdfRenderer *
dbw_pdf_thumbnail_get_renderer (DbwPdfThumbnail *self)
{
  g_return_val_if_fail (DBW_IS_PDF_THUMBNAIL (self), NULL);

  return self->renderer;
}

int
dbw_pdf_thumbnail_get_page (DbwPdfThumbnail *self)
{
  g_return_val_if_fail (DBW_IS_PDF_THUMBNAIL (self), -1);

  return self->page;
}

/**
 * dbw_pdf_thumbnail_set_page:
 * @renderer: (nullable): the document
 * @page: the page to show, or -1 for none
 *
 * Shows @page of @renderer's document, rendering it if it is not in the cache.
 */
void
dbw_pdf_thumbnail_set_page (DbwPdfThumbnail *self,
                            DbwPdfRenderer  *renderer,
                            int              page)
{
  gboolean renderer_changed;

  g_return_if_fail (DBW_IS_PDF_THUMBNAIL (self));
  g_return_if_fail (!renderer || DBW_IS_PDF_RENDERER (renderer));

  page = MAX (page, -1);
  if (self->renderer == renderer && self->page == page)
    return;

  renderer_changed = g_set_object (&self->renderer, renderer);
  self->page = page;
  update_thumbnail (self);

  if (renderer_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RENDERER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
}

/**
 * dbw_pdf_thumbnail_get_texture:
 *
 * Returns: (transfer none) (nullable): the rendered page, once it is there
 */
GdkTexture *
dbw_pdf_thumbnail_get_texture (DbwPdfThumbnail *self)
{
  g_return_val_if_fail (DBW_IS_PDF_THUMBNAIL (self), NULL);

  return self->texture;
}
