/* dbw-image-view.c
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

#define G_LOG_DOMAIN "dbw-image-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dbw-image-view.h"

/* The view is one transform: widget = offset + image × zoom. Fitting recomputes it from the
 * widget's size on every allocation; any zoom or pan leaves fit mode. The image is kept from
 * leaving more empty space than it must: along an axis where it is smaller than the widget
 * it stays inside, along one where it is larger it covers the widget. Within those bounds a
 * zoom keeps the point under the pointer exactly where it is. */

#define MIN_ZOOM     0.01
#define MAX_ZOOM     64.0
#define ZOOM_STEP    1.25
#define SCROLL_STEP  48.0
#define NATURAL_SIZE 400.0

struct _DbwImageView
{
  GtkWidget     parent_instance;

  GdkTexture   *texture;
  GError       *error;
  GCancellable *cancellable;

  double        zoom;
  double        offset_x;
  double        offset_y;
  double        pointer_x;
  double        pointer_y;
  double        gesture_zoom;
  double        drag_offset_x;
  double        drag_offset_y;
  int           width;
  int           height;

  guint         loading : 1;
  guint         fit : 1;
  guint         has_pointer : 1;
};

G_DEFINE_FINAL_TYPE (DbwImageView, dbw_image_view, GTK_TYPE_WIDGET)

G_DEFINE_QUARK (dbw-image-error-quark, dbw_image_error)

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_LOADING,
  PROP_ERROR,
  PROP_ZOOM,
  PROP_FIT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  TRANSFORM_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* GdkPixbuf shows what it could decode of a PNG or JPEG that ends early, without an error,
 * so a file cut short in a copy would pass for a grey-bottomed image. Walking the file's
 * structure to its end marker finds those. Anything else is left to the decoder. */
static gboolean
png_is_complete (const guint8 *data,
                 gsize         size)
{
  gsize i = 8;

  while (i + 8 <= size)
    {
      guint32 length = read_be32 (data + i);

      if (memcmp (data + i + 4, "IEND", 4) == 0)
        return TRUE;
      if (length > size)
        return FALSE;
      i += 12 + (gsize) length;
    }

  return FALSE;
}

static gboolean
jpeg_is_complete (const guint8 *data,
                  gsize         size)
{
  gsize i = 2;

  while (i + 1 < size)
    {
      guint8 marker;
      gsize length;

      if (data[i] != 0xff)
        return TRUE;

      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xd9)
        return TRUE;
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }
      if (i + 3 >= size)
        return FALSE;

      length = ((gsize) data[i + 2] << 8) | data[i + 3];
      if (length < 2)
        return TRUE;
      i += 2 + length;

      /* Entropy-coded data runs to the next marker that is neither a stuffed zero nor a
       * restart marker. */
      if (marker == 0xda)
        while (i + 1 < size &&
               !(data[i] == 0xff && data[i + 1] != 0x00 && data[i + 1] != 0xff &&
                 !(data[i + 1] >= 0xd0 && data[i + 1] <= 0xd7)))
          i++;
    }

  return FALSE;
}

static gboolean
check_complete (GBytes  *bytes,
                GError **error)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gboolean complete = TRUE;
  const char *format = NULL;

  if (size >= sizeof png_signature && memcmp (data, png_signature, sizeof png_signature) == 0)
    {
      format = "PNG";
      complete = png_is_complete (data, size);
    }
  else if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    {
      format = "JPEG";
      complete = jpeg_is_complete (data, size);
    }

  if (!complete)
    /* Translators: %s is an image format, PNG or JPEG */
    g_set_error (error, DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_TRUNCATED,
                 _("The image could not be read: the %s file is cut short, it ends before its image data does"),
                 format);

  return complete;
}

/**
 * dbw_image_decode_pixbuf:
 * @bytes: the content of an image file
 *
 * Decodes @bytes the way #DbwImageView does, for other views of images: safe to call from a
 * worker thread.
 *
 * Returns: (transfer full): the image turned upright by its EXIF orientation, or %NULL
 *   with @error set in %DBW_IMAGE_ERROR
 */
GdkPixbuf *
dbw_image_decode_pixbuf (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    {
      g_set_error_literal (error, DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_EMPTY,
                           _("The image file is empty"));
      return NULL;
    }

  if (!check_complete (bytes, error))
    return NULL;

  loader = gdk_pixbuf_loader_new ();

  /* The loader must be closed even after a failed write. */
  if (!gdk_pixbuf_loader_write (loader, data, size, &local_error))
    gdk_pixbuf_loader_close (loader, NULL);
  else
    gdk_pixbuf_loader_close (loader, &local_error);

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE) ||
          g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNSUPPORTED_OPERATION))
        g_set_error (error, DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_UNSUPPORTED,
                     _("The image format is not supported: %s"), local_error->message);
      else
        g_set_error (error, DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_DAMAGED,
                     _("The image could not be read: %s"), local_error->message);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_DAMAGED,
                           _("The image could not be read: it holds no picture"));
      return NULL;
    }

  upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (upright == NULL)
    upright = g_object_ref (pixbuf);

  return g_steal_pointer (&upright);
}

static GdkTexture *
decode_image (GBytes  *bytes,
              GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = dbw_image_decode_pixbuf (bytes, error);

  if (pixbuf == NULL)
    return NULL;

  return gdk_texture_new_for_pixbuf (pixbuf);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;

  texture = decode_image (task_data, &error);
  if (texture == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static double
texture_width (DbwImageView *self)
{
  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static double
texture_height (DbwImageView *self)
{
  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static double
compute_fit_zoom (DbwImageView *self)
{
  double zoom;

  if (self->texture == NULL || self->width <= 0 || self->height <= 0)
    return 1.0;

  zoom = MIN (self->width / texture_width (self), self->height / texture_height (self));

  return CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
}

static double
clamp_axis (double offset,
            double scaled,
            double available)
{
  if (scaled <= available)
    return CLAMP (offset, 0, available - scaled);

  return CLAMP (offset, available - scaled, 0);
}

static void
clamp_offset (DbwImageView *self)
{
  self->offset_x = clamp_axis (self->offset_x, texture_width (self) * self->zoom, self->width);
  self->offset_y = clamp_axis (self->offset_y, texture_height (self) * self->zoom, self->height);
}

static void
transform_changed (DbwImageView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals [TRANSFORM_CHANGED], 0);
}

static void
set_fit_internal (DbwImageView *self,
                  gboolean      fit)
{
  fit = !!fit;
  if (self->fit == fit)
    return;

  self->fit = fit;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FIT]);
}

static void
apply_fit (DbwImageView *self)
{
  double zoom = compute_fit_zoom (self);
  gboolean zoom_changed = zoom != self->zoom;

  self->zoom = zoom;
  self->offset_x = round ((self->width - texture_width (self) * zoom) / 2.0);
  self->offset_y = round ((self->height - texture_height (self) * zoom) / 2.0);

  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  transform_changed (self);
}

static void
update_accessible_label (DbwImageView *self)
{
  g_autofree char *label = NULL;

  if (self->texture == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  /* Translators: read by screen readers for the image preview, e.g. "Image, 640 × 480 pixels" */
  label = g_strdup_printf (_("Image, %d × %d pixels"),
                           gdk_texture_get_width (self->texture),
                           gdk_texture_get_height (self->texture));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
set_loading (DbwImageView *self,
             gboolean      loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

static void
set_error (DbwImageView *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

static void
show_texture (DbwImageView *self,
              GdkTexture   *texture)
{
  gboolean changed = g_set_object (&self->texture, texture);

  set_fit_internal (self, TRUE);
  apply_fit (self);
  update_accessible_label (self);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXTURE]);
}

static void
image_decoded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DbwImageView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, error);
  show_texture (self, texture);
  set_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
zoom_by (DbwImageView *self,
         double        factor)
{
  double x = self->width / 2.0;
  double y = self->height / 2.0;

  dbw_image_view_zoom_at (self, self->zoom * factor, x, y);
}

/* Moves the image by (dx, dy) along the axes where it is larger than the widget. */
static gboolean
pan_to (DbwImageView *self,
        double        offset_x,
        double        offset_y)
{
  double old_x = self->offset_x;
  double old_y = self->offset_y;

  if (texture_width (self) * self->zoom > self->width)
    self->offset_x = offset_x;
  if (texture_height (self) * self->zoom > self->height)
    self->offset_y = offset_y;
  clamp_offset (self);

  if (old_x == self->offset_x && old_y == self->offset_y)
    return FALSE;

  set_fit_internal (self, FALSE);
  transform_changed (self);

  return TRUE;
}

static void
on_motion_cb (DbwImageView             *self,
              double                    x,
              double                    y,
              GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
}

static void
on_leave_cb (DbwImageView             *self,
             GtkEventControllerMotion *controller)
{
  self->has_pointer = FALSE;
}

static gboolean
on_scroll_cb (DbwImageView             *self,
              double                    dx,
              double                    dy,
              GtkEventControllerScroll *controller)
{
  GdkModifierType state;
  gboolean wheel;

  if (self->texture == NULL)
    return FALSE;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (state & GDK_CONTROL_MASK)
    {
      /* Touchpads report pixels rather than wheel clicks. */
      double steps = wheel ? dy : dy / 30.0;
      double x = self->has_pointer ? self->pointer_x : self->width / 2.0;
      double y = self->has_pointer ? self->pointer_y : self->height / 2.0;

      dbw_image_view_zoom_at (self, self->zoom * pow (ZOOM_STEP, -steps), x, y);
      return TRUE;
    }

  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }

  if (wheel)
    {
      dx *= SCROLL_STEP;
      dy *= SCROLL_STEP;
    }

  return pan_to (self, self->offset_x - dx, self->offset_y - dy);
}

static void
on_zoom_begin_cb (DbwImageView     *self,
                  GdkEventSequence *sequence,
                  GtkGesture       *gesture)
{
  self->gesture_zoom = self->zoom;
}

static void
on_zoom_scale_changed_cb (DbwImageView   *self,
                          double          scale,
                          GtkGestureZoom *gesture)
{
  double x;
  double y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  dbw_image_view_zoom_at (self, self->gesture_zoom * scale, x, y);
}

static void
on_drag_begin_cb (DbwImageView   *self,
                  double          x,
                  double          y,
                  GtkGestureDrag *gesture)
{
  self->drag_offset_x = self->offset_x;
  self->drag_offset_y = self->offset_y;
  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (self->texture != NULL)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
on_drag_update_cb (DbwImageView   *self,
                   double          dx,
                   double          dy,
                   GtkGestureDrag *gesture)
{
  pan_to (self, self->drag_offset_x + dx, self->drag_offset_y + dy);
}

static void
on_drag_end_cb (DbwImageView   *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  zoom_by (DBW_IMAGE_VIEW (widget), ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  zoom_by (DBW_IMAGE_VIEW (widget), 1.0 / ZOOM_STEP);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  dbw_image_view_set_fit (DBW_IMAGE_VIEW (widget), TRUE);
}

static void
original_size_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwImageView *self = DBW_IMAGE_VIEW (widget);

  /* One image pixel on one device pixel, also on a HiDPI screen. */
  dbw_image_view_set_zoom (self, 1.0 / gtk_widget_get_scale_factor (widget));
}

static void
dbw_image_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  DbwImageView *self = DBW_IMAGE_VIEW (widget);

  /* The view fills what its container gives it; a large image must not ask for a large
   * window. */
  *minimum = 0;
  *natural = (int) MIN (NATURAL_SIZE, orientation == GTK_ORIENTATION_HORIZONTAL ?
                                      texture_width (self) : texture_height (self));
}

static void
dbw_image_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  DbwImageView *self = DBW_IMAGE_VIEW (widget);
  int old_width = self->width;
  int old_height = self->height;

  self->width = width;
  self->height = height;

  if (self->fit)
    {
      apply_fit (self);
      return;
    }

  /* Out of fit mode the image point at the centre stays at the centre. */
  self->offset_x += (width - old_width) / 2.0;
  self->offset_y += (height - old_height) / 2.0;
  clamp_offset (self);
  transform_changed (self);
}

static void
dbw_image_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  DbwImageView *self = DBW_IMAGE_VIEW (widget);
  graphene_rect_t rect;

  if (self->texture == NULL)
    return;

  graphene_rect_init (&rect,
                      self->offset_x, self->offset_y,
                      texture_width (self) * self->zoom, texture_height (self) * self->zoom);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, self->width, self->height));
#if GTK_CHECK_VERSION (4, 10, 0)
  /* Pixels stay sharp squares when zoomed in, which is what a labeller needs to see. */
  gtk_snapshot_append_scaled_texture (snapshot, self->texture,
                                      self->zoom >= 2.0 ? GSK_SCALING_FILTER_NEAREST :
                                      self->zoom < 1.0 ? GSK_SCALING_FILTER_TRILINEAR :
                                      GSK_SCALING_FILTER_LINEAR,
                                      &rect);
#else
  gtk_snapshot_append_texture (snapshot, self->texture, &rect);
#endif
  gtk_snapshot_pop (snapshot);
}

static void
dbw_image_view_dispose (GObject *object)
{
  DbwImageView *self = (DbwImageView *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (dbw_image_view_parent_class)->dispose (object);
}

static void
dbw_image_view_finalize (GObject *object)
{
  DbwImageView *self = (DbwImageView *)object;

  g_clear_error (&self->error);

  G_OBJECT_CLASS (dbw_image_view_parent_class)->finalize (object);
}

static void
dbw_image_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwImageView *self = DBW_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_image_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwImageView *self = DBW_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      dbw_image_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_FIT:
      dbw_image_view_set_fit (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_image_view_class_init (DbwImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_image_view_dispose;
  object_class->finalize = dbw_image_view_finalize;
  object_class->get_property = dbw_image_view_get_property;
  object_class->set_property = dbw_image_view_set_property;

  widget_class->measure = dbw_image_view_measure;
  widget_class->size_allocate = dbw_image_view_size_allocate;
  widget_class->snapshot = dbw_image_view_snapshot;

  properties [PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         MIN_ZOOM, MAX_ZOOM, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbwImageView::transform-changed:
   *
   * The zoom or the position of the image changed: overlays drawn in image coordinates
   * must be drawn again.
   */
  signals [TRANSFORM_CHANGED] =
    g_signal_new ("transform-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "image.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "image.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "image.original-size", NULL, original_size_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "image.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "image.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "image.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "image.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, 0, "image.original-size", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, 0, "image.original-size", NULL);

  gtk_widget_class_set_css_name (widget_class, "imageview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dbw_image_view_init (DbwImageView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->fit = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "enter", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "motion", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_object (gesture, "begin", G_CALLBACK (on_zoom_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (on_drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (on_drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (on_drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
dbw_image_view_new (void)
{
  return g_object_new (DBW_TYPE_IMAGE_VIEW, NULL);
}

/**
 * dbw_image_view_set_bytes:
 * @bytes: (nullable): the content of an image file, or %NULL to show nothing
 *
 * Decodes @bytes in a worker thread. Meanwhile #DbwImageView:loading is %TRUE; then the
 * image shows fitted, or #DbwImageView:error says why it cannot be shown.
 */
void
dbw_image_view_set_bytes (DbwImageView *self,
                          GBytes       *bytes)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));

  set_error (self, NULL);
  show_texture (self, NULL);
  set_loading (self, bytes != NULL);

  if (bytes != NULL)
    {
      self->cancellable = g_cancellable_new ();
      task = g_task_new (NULL, self->cancellable, image_decoded_cb, g_object_ref (self));
      g_task_set_name (task, "dbw_image_view_set_bytes");
      g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (task, decode_thread);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * dbw_image_view_set_texture:
 * @texture: (nullable): the image to show
 *
 * Shows an image decoded elsewhere, fitted, and cancels a decode in progress.
 */
void
dbw_image_view_set_texture (DbwImageView *self,
                            GdkTexture   *texture)
{
  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));
  g_return_if_fail (!texture || GDK_IS_TEXTURE (texture));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  show_texture (self, texture);
  set_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * dbw_image_view_get_texture:
 *
 * Returns: (transfer none) (nullable): the image shown
 */
GdkTexture *
dbw_image_view_get_texture (DbwImageView *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_VIEW (self), NULL);

  return self->texture;
}

gboolean
dbw_image_view_get_loading (DbwImageView *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_VIEW (self), FALSE);

  return self->loading;
}

/**
 * dbw_image_view_get_error:
 *
 * Returns: (nullable): why the last bytes could not be shown, in %DBW_IMAGE_ERROR
 */
const GError *
dbw_image_view_get_error (DbwImageView *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_VIEW (self), NULL);

  return self->error;
}

double
dbw_image_view_get_zoom (DbwImageView *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_VIEW (self), 1.0);

  return self->zoom;
}

/**
 * dbw_image_view_set_zoom:
 *
 * Zooms around the centre of the widget and leaves fit mode.
 */
void
dbw_image_view_set_zoom (DbwImageView *self,
                         double        zoom)
{
  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));

  dbw_image_view_zoom_at (self, zoom, self->width / 2.0, self->height / 2.0);
}

/**
 * dbw_image_view_zoom_at:
 * @x: widget coordinate whose image point stays under it
 * @y: widget coordinate whose image point stays under it
 *
 * Zooms keeping the image point at (@x, @y) where it is, and leaves fit mode.
 */
void
dbw_image_view_zoom_at (DbwImageView *self,
                        double        zoom,
                        double        x,
                        double        y)
{
  double image_x;
  double image_y;
  gboolean zoom_changed;

  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  dbw_image_view_widget_to_image (self, x, y, &image_x, &image_y);

  zoom_changed = zoom != self->zoom;
  self->zoom = zoom;
  self->offset_x = x - image_x * zoom;
  self->offset_y = y - image_y * zoom;
  clamp_offset (self);

  set_fit_internal (self, FALSE);
  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  transform_changed (self);
}

gboolean
dbw_image_view_get_fit (DbwImageView *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_VIEW (self), FALSE);

  return self->fit;
}

/**
 * dbw_image_view_set_fit:
 *
 * In fit mode the whole image shows, as large as the widget allows, centred, and follows
 * the widget's size.
 */
void
dbw_image_view_set_fit (DbwImageView *self,
                        gboolean      fit)
{
  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));

  set_fit_internal (self, fit);
  if (self->fit)
    apply_fit (self);
}

/**
 * dbw_image_view_get_fit_zoom:
 *
 * Returns: the zoom that fits the image to the widget's current size
 */
double
dbw_image_view_get_fit_zoom (DbwImageView *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_VIEW (self), 1.0);

  return compute_fit_zoom (self);
}

/**
 * dbw_image_view_widget_to_image:
 * @x: widget coordinate
 * @y: widget coordinate
 * @image_x: (out): image pixel coordinate, fractional, possibly outside the image
 * @image_y: (out): image pixel coordinate, fractional, possibly outside the image
 */
void
dbw_image_view_widget_to_image (DbwImageView *self,
                                double        x,
                                double        y,
                                double       *image_x,
                                double       *image_y)
{
  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));
  g_return_if_fail (image_x != NULL && image_y != NULL);

  *image_x = (x - self->offset_x) / self->zoom;
  *image_y = (y - self->offset_y) / self->zoom;
}

/**
 * dbw_image_view_image_to_widget:
 * @x: (out): widget coordinate
 * @y: (out): widget coordinate
 */
void
dbw_image_view_image_to_widget (DbwImageView *self,
                                double        image_x,
                                double        image_y,
                                double       *x,
                                double       *y)
{
  g_return_if_fail (DBW_IS_IMAGE_VIEW (self));
  g_return_if_fail (x != NULL && y != NULL);

  *x = self->offset_x + image_x * self->zoom;
  *y = self->offset_y + image_y * self->zoom;
}
