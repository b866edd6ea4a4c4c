/* dbw-pdf-canvas.c
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

#define G_LOG_DOMAIN "dbw-pdf-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-pdf-canvas.h"

/* Pages are laid out from their sizes alone, so the column has its full height at once and
 * only pages near the viewport are rendered. Each page keeps the texture it shows; after a
 * zoom that texture is drawn scaled until the page is rendered again at the new scale, which
 * waits until the zoom has settled so a pinch or a window resize does not queue a render
 * per frame. */

#define PAGE_SPACING       12
#define MARGIN             12
#define POINTS_TO_PIXELS   (96.0 / 72.0)
#define SETTLE_MS          150
/* At most 32 MB of pixels for one page; beyond that the page is shown scaled up. */
#define MAX_RENDER_PIXELS  (8.0 * 1024 * 1024)
#define PRIORITY_VISIBLE   G_PRIORITY_DEFAULT
#define PRIORITY_NEARBY    (G_PRIORITY_DEFAULT + 10)

typedef struct
{
  double        width;
  double        height;
  GdkTexture   *texture;
  double        texture_scale;
  GCancellable *cancellable;
  double        pending_scale;
  double        failed_scale;
} PageState;

typedef struct
{
  DbwPdfCanvas *self;
  GCancellable *cancellable;
  guint         page;
  double        scale;
} Request;

struct _DbwPdfCanvas
{
  GtkWidget       parent_instance;

  DbwPdfRenderer *renderer;
  gulong          loaded_handler;

  PageState      *pages;
  guint           n_pages;
  double         *offsets;
  double          max_width;
  double          doc_width;
  double          doc_height;

  GtkAdjustment  *hadjustment;
  GtkAdjustment  *vadjustment;
  gulong          hadjustment_handler;
  gulong          vadjustment_handler;
  int             view_width;
  int             view_height;

  double          zoom;
  double          gesture_zoom;
  guint           page;
  int             pending_page;
  guint           settle_source;
  guint           notify_source;
  guint           pending_notify;
  double          pointer_x;
  double          pointer_y;

  guint           hscroll_policy : 1;
  guint           vscroll_policy : 1;
  guint           fit_width : 1;
  guint           scrolling_to_page : 1;
  guint           allocating : 1;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (DbwPdfCanvas, dbw_pdf_canvas, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_RENDERER,
  PROP_ZOOM,
  PROP_FIT_WIDTH,
  PROP_PAGE,
  PROP_N_PAGES,
  N_PROPS,

  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties [N_PROPS];

static void update_visible_pages (DbwPdfCanvas *self);

static gboolean
notify_pending_cb (gpointer user_data)
{
  DbwPdfCanvas *self = user_data;
  guint pending = self->pending_notify;

  self->notify_source = 0;
  self->pending_notify = 0;

  for (guint prop = 1; prop < N_PROPS; prop++)
    if (pending & (1u << prop))
      g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);

  return G_SOURCE_REMOVE;
}

/* Fitting the width changes the zoom and the current page during allocation. Whoever
 * listens (the toolbar's labels) must not resize widgets in the middle of it, so those
 * notifications wait until the frame is done. */
static void
notify_property (DbwPdfCanvas *self,
                 guint         prop)
{
  if (!self->allocating)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
      return;
    }

  self->pending_notify |= 1u << prop;
  if (self->notify_source == 0)
    self->notify_source = g_idle_add (notify_pending_cb, self);
}

static gboolean
same_scale (double a,
            double b)
{
  return lround (a * 1000.0) == lround (b * 1000.0);
}

static double
zoom_pixels (DbwPdfCanvas *self)
{
  return self->zoom * POINTS_TO_PIXELS;
}

static double
page_pixel_width (DbwPdfCanvas *self,
                  guint         page)
{
  return round (self->pages[page].width * zoom_pixels (self));
}

static double
page_pixel_height (DbwPdfCanvas *self,
                   guint         page)
{
  return round (self->pages[page].height * zoom_pixels (self));
}

static void
update_layout (DbwPdfCanvas *self)
{
  double y = MARGIN;

  for (guint i = 0; i < self->n_pages; i++)
    {
      self->offsets[i] = y;
      y += page_pixel_height (self, i) + PAGE_SPACING;
    }

  self->doc_height = self->n_pages > 0 ? y - PAGE_SPACING + MARGIN : 0;
  self->doc_width = self->n_pages > 0 ? round (self->max_width * zoom_pixels (self)) + 2 * MARGIN : 0;
}

static double
content_width (DbwPdfCanvas *self)
{
  return MAX (self->doc_width, (double) self->view_width);
}

static void
get_page_rect (DbwPdfCanvas    *self,
               guint            page,
               graphene_rect_t *rect)
{
  double width = page_pixel_width (self, page);
  double hvalue = self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0;
  double vvalue = self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;

  graphene_rect_init (rect,
                      round ((content_width (self) - width) / 2.0 - hvalue),
                      self->offsets[page] - vvalue,
                      width,
                      page_pixel_height (self, page));
}

/* The page at layout height @y; a gap belongs to the page above it. */
static guint
page_at_y (DbwPdfCanvas *self,
           double        y)
{
  guint low = 0;
  guint high = self->n_pages;

  while (high - low > 1)
    {
      guint mid = (low + high) / 2;

      if (self->offsets[mid] <= y)
        low = mid;
      else
        high = mid;
    }

  return low;
}

static double
fit_width_zoom (DbwPdfCanvas *self,
                int           width)
{
  double zoom;

  if (self->max_width <= 0 || width <= 2 * MARGIN)
    return self->zoom;

  zoom = (width - 2 * MARGIN) / (self->max_width * POINTS_TO_PIXELS);

  return CLAMP (zoom, DBW_PDF_MIN_ZOOM, DBW_PDF_MAX_ZOOM);
}

static void
configure_adjustment (GtkAdjustment *adjustment,
                      double         upper,
                      double         page_size)
{
  double value;

  if (adjustment == NULL)
    return;

  upper = MAX (upper, page_size);
  value = CLAMP (gtk_adjustment_get_value (adjustment), 0, upper - page_size);
  gtk_adjustment_configure (adjustment, value, 0, upper,
                            page_size * 0.1, page_size * 0.9, page_size);
}

static void
configure_adjustments (DbwPdfCanvas *self)
{
  configure_adjustment (self->hadjustment, self->doc_width, self->view_width);
  configure_adjustment (self->vadjustment, self->doc_height, self->view_height);
}

static void
update_accessible_label (DbwPdfCanvas *self)
{
  g_autofree char *label = NULL;

  if (self->n_pages == 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  /* Translators: read by screen readers for the document being shown, e.g. "Page 3 of 7" */
  label = g_strdup_printf (_("Page %u of %u"), self->page + 1, self->n_pages);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
set_current_page (DbwPdfCanvas *self,
                  guint         page)
{
  if (self->page == page)
    return;

  self->page = page;
  update_accessible_label (self);
  notify_property (self, PROP_PAGE);
}

static gboolean
scroll_to_page (DbwPdfCanvas *self,
                guint         page)
{
  if (self->vadjustment == NULL || self->view_height <= 0 || page >= self->n_pages)
    return FALSE;

  self->scrolling_to_page = TRUE;
  gtk_adjustment_set_value (self->vadjustment, self->offsets[page] - MARGIN);
  self->scrolling_to_page = FALSE;

  return TRUE;
}

/* The current page is the one across the middle of the viewport, or the first or last page
 * when the column is scrolled to its top or bottom. */
static void
update_current_page (DbwPdfCanvas *self)
{
  double value;
  double upper;
  double page_size;

  if (self->n_pages == 0 || self->vadjustment == NULL)
    return;

  value = gtk_adjustment_get_value (self->vadjustment);
  upper = gtk_adjustment_get_upper (self->vadjustment);
  page_size = gtk_adjustment_get_page_size (self->vadjustment);

  if (upper <= page_size)
    return;

  if (value <= 0)
    set_current_page (self, 0);
  else if (value >= upper - page_size - 1)
    set_current_page (self, self->n_pages - 1);
  else
    set_current_page (self, page_at_y (self, value + page_size / 2.0 + PAGE_SPACING / 2.0));
}

static gboolean
zoom_settled_cb (gpointer user_data)
{
  DbwPdfCanvas *self = user_data;

  self->settle_source = 0;
  update_visible_pages (self);

  return G_SOURCE_REMOVE;
}

static void
apply_zoom (DbwPdfCanvas *self,
            double        zoom,
            double        anchor_x,
            double        anchor_y)
{
  double old_pixels = zoom_pixels (self);
  double hvalue;
  double vvalue;
  double fraction_y = 0;
  double from_center_x = 0;
  guint anchor_page = 0;

  zoom = CLAMP (zoom, DBW_PDF_MIN_ZOOM, DBW_PDF_MAX_ZOOM);
  if (self->zoom == zoom)
    return;

  hvalue = self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0;
  vvalue = self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;

  /* The anchor is remembered as a place on a page, in points, so it is the same place on
   * the paper after the pages changed size. */
  if (self->n_pages > 0)
    {
      anchor_page = page_at_y (self, vvalue + anchor_y);
      fraction_y = (vvalue + anchor_y - self->offsets[anchor_page]) / old_pixels;
      from_center_x = (hvalue + anchor_x - content_width (self) / 2.0) / old_pixels;
    }

  self->zoom = zoom;
  update_layout (self);

  if (self->n_pages > 0 && self->view_height > 0)
    {
      configure_adjustments (self);
      if (self->hadjustment != NULL)
        gtk_adjustment_set_value (self->hadjustment,
                                  content_width (self) / 2.0 + from_center_x * zoom_pixels (self) - anchor_x);
      if (self->vadjustment != NULL)
        gtk_adjustment_set_value (self->vadjustment,
                                  self->offsets[anchor_page] + fraction_y * zoom_pixels (self) - anchor_y);
    }

  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add (SETTLE_MS, zoom_settled_cb, self);
  update_visible_pages (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  notify_property (self, PROP_ZOOM);
}

static double
render_scale (DbwPdfCanvas *self,
              guint         page)
{
  double scale = zoom_pixels (self) * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double pixels = self->pages[page].width * self->pages[page].height * scale * scale;

  if (pixels > MAX_RENDER_PIXELS)
    scale *= sqrt (MAX_RENDER_PIXELS / pixels);

  return scale;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
page_rendered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Request *request = user_data;
  DbwPdfCanvas *self = request->self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  PageState *state;

  texture = dbw_pdf_renderer_render_page_finish (DBW_PDF_RENDERER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      request->page >= self->n_pages ||
      self->pages[request->page].cancellable != request->cancellable)
    {
      request_free (request);
      return;
    }

  state = &self->pages[request->page];
  g_clear_object (&state->cancellable);

  if (texture == NULL)
    {
      /* The page stays blank; do not ask again at this scale. */
      g_debug ("Page %u not rendered: %s", request->page + 1, error->message);
      state->failed_scale = request->scale;
    }
  else
    {
      g_set_object (&state->texture, texture);
      state->texture_scale = request->scale;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  request_free (request);
}

static void
request_page (DbwPdfCanvas *self,
              guint         page,
              double        scale,
              int           priority)
{
  PageState *state = &self->pages[page];
  Request *request;

  if (state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);

  state->cancellable = g_cancellable_new ();
  state->pending_scale = scale;

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (state->cancellable);
  request->page = page;
  request->scale = scale;

  dbw_pdf_renderer_render_page_full_async (self->renderer, page, scale, priority,
                                           state->cancellable, page_rendered_cb, request);
}

static void
forget_page (PageState *state)
{
  if (state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->texture);
  state->texture_scale = 0;
  state->failed_scale = 0;
}

static void
update_page (DbwPdfCanvas *self,
             guint         page,
             int           priority,
             gboolean      settled)
{
  PageState *state = &self->pages[page];
  double scale = render_scale (self, page);
  g_autoptr(GdkTexture) cached = NULL;

  if (state->texture != NULL && same_scale (state->texture_scale, scale))
    return;

  if (state->cancellable != NULL && same_scale (state->pending_scale, scale))
    return;

  cached = dbw_pdf_renderer_lookup (self->renderer, page, scale);
  if (cached != NULL)
    {
      if (state->cancellable != NULL)
        g_cancellable_cancel (state->cancellable);
      g_clear_object (&state->cancellable);
      g_set_object (&state->texture, cached);
      state->texture_scale = scale;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  if (state->texture == NULL)
    {
      /* Something to show meanwhile, however blurred. */
      state->texture = dbw_pdf_renderer_lookup_nearest (self->renderer, page, scale,
                                                        &state->texture_scale);
      if (state->texture != NULL)
        gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (!settled)
    {
      return;
    }

  if (same_scale (state->failed_scale, scale))
    return;

  request_page (self, page, scale, priority);
}

static void
update_visible_pages (DbwPdfCanvas *self)
{
  gboolean settled = self->settle_source == 0;
  double top;
  double bottom;

  if (self->renderer == NULL || self->n_pages == 0 || self->vadjustment == NULL ||
      self->view_height <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  top = gtk_adjustment_get_value (self->vadjustment);
  bottom = top + self->view_height;

  for (guint i = 0; i < self->n_pages; i++)
    {
      double page_top = self->offsets[i];
      double page_bottom = page_top + page_pixel_height (self, i);

      if (page_bottom >= top && page_top <= bottom)
        update_page (self, i, PRIORITY_VISIBLE, settled);
      else if (page_bottom >= top - self->view_height / 2.0 &&
               page_top <= bottom + self->view_height / 2.0)
        update_page (self, i, PRIORITY_NEARBY, settled);
      else if (page_bottom < top - 3.0 * self->view_height ||
               page_top > bottom + 3.0 * self->view_height)
        /* Far away: the renderer's cache may keep it, this page need not. */
        forget_page (&self->pages[i]);
    }
}

static void
clear_pages (DbwPdfCanvas *self)
{
  for (guint i = 0; i < self->n_pages; i++)
    forget_page (&self->pages[i]);

  g_clear_pointer (&self->pages, g_free);
  g_clear_pointer (&self->offsets, g_free);
  self->n_pages = 0;
  self->max_width = 0;
}

static void
reload_pages (DbwPdfCanvas *self)
{
  guint old_n_pages = self->n_pages;

  clear_pages (self);

  if (self->renderer != NULL && dbw_pdf_renderer_is_loaded (self->renderer))
    {
      self->n_pages = dbw_pdf_renderer_get_n_pages (self->renderer);
      self->pages = g_new0 (PageState, self->n_pages);
      self->offsets = g_new0 (double, self->n_pages);
      for (guint i = 0; i < self->n_pages; i++)
        dbw_pdf_renderer_get_page_size (self->renderer, i,
                                        &self->pages[i].width, &self->pages[i].height);
      dbw_pdf_renderer_get_max_page_size (self->renderer, &self->max_width, NULL);
    }

  self->page = 0;
  self->pending_page = self->n_pages > 0 ? 0 : -1;
  update_layout (self);
  update_accessible_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (old_n_pages != self->n_pages)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PAGES]);
  notify_property (self, PROP_PAGE);
}

static void
on_renderer_loaded_cb (DbwPdfCanvas   *self,
                       GParamSpec     *pspec,
                       DbwPdfRenderer *renderer)
{
  reload_pages (self);
}

static void
on_adjustment_value_changed_cb (DbwPdfCanvas  *self,
                                GtkAdjustment *adjustment)
{
  if (adjustment == self->vadjustment && !self->scrolling_to_page)
    update_current_page (self);

  update_visible_pages (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (DbwPdfCanvas   *self,
                GtkAdjustment **slot,
                gulong         *handler,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment && adjustment != NULL)
    return;

  if (*slot != NULL)
    {
      g_clear_signal_handler (handler, *slot);
      g_clear_object (slot);
    }

  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  *slot = g_object_ref_sink (adjustment);
  *handler = g_signal_connect_object (adjustment, "value-changed",
                                      G_CALLBACK (on_adjustment_value_changed_cb),
                                      self, G_CONNECT_SWAPPED);
  configure_adjustments (self);
}

static void
on_scale_factor_changed_cb (DbwPdfCanvas *self)
{
  update_visible_pages (self);
}

static void
on_motion_cb (DbwPdfCanvas             *self,
              double                    x,
              double                    y,
              GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
on_scroll_cb (DbwPdfCanvas             *self,
              double                    dx,
              double                    dy,
              GtkEventControllerScroll *controller)
{
  GdkModifierType state;
  double steps = dy;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if ((state & GDK_CONTROL_MASK) == 0 || self->n_pages == 0)
    return FALSE;

  /* Touchpads report pixels rather than wheel clicks. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE)
    steps = dy / 30.0;

  dbw_pdf_canvas_zoom_at (self, self->zoom * pow (1.2, -steps), self->pointer_x, self->pointer_y);

  return TRUE;
}

static void
on_zoom_begin_cb (DbwPdfCanvas     *self,
                  GdkEventSequence *sequence,
                  GtkGesture       *gesture)
{
  self->gesture_zoom = self->zoom;
}

static void
on_zoom_scale_changed_cb (DbwPdfCanvas   *self,
                          double          scale,
                          GtkGestureZoom *gesture)
{
  double x;
  double y;

  if (self->n_pages == 0 || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  dbw_pdf_canvas_zoom_at (self, self->gesture_zoom * scale, x, y);
}

static void
on_click_pressed_cb (DbwPdfCanvas    *self,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkGestureClick *gesture)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
dbw_pdf_canvas_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  DbwPdfCanvas *self = DBW_PDF_CANVAS (widget);

  *minimum = 0;
  *natural = (int) (orientation == GTK_ORIENTATION_HORIZONTAL ? self->doc_width : self->doc_height);
}

static void
dbw_pdf_canvas_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  DbwPdfCanvas *self = DBW_PDF_CANVAS (widget);

  self->allocating = TRUE;

  self->view_width = width;
  self->view_height = height;

  /* Keeps the top of the viewport on the same place of the paper. */
  if (self->fit_width && self->n_pages > 0)
    apply_zoom (self, fit_width_zoom (self, width), 0, 0);

  configure_adjustments (self);

  if (self->pending_page >= 0 && scroll_to_page (self, self->pending_page))
    self->pending_page = -1;

  update_visible_pages (self);

  self->allocating = FALSE;
}

static void
dbw_pdf_canvas_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  DbwPdfCanvas *self = DBW_PDF_CANVAS (widget);
  static const GdkRGBA paper = { 1.0f, 1.0f, 1.0f, 1.0f };
  static const GdkRGBA shadow = { 0.0f, 0.0f, 0.0f, 0.25f };
  double vvalue;
  int height = gtk_widget_get_height (widget);

  if (self->n_pages == 0 || self->vadjustment == NULL)
    return;

  vvalue = gtk_adjustment_get_value (self->vadjustment);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), height));

  for (guint i = page_at_y (self, vvalue); i < self->n_pages; i++)
    {
      PageState *state = &self->pages[i];
      graphene_rect_t rect;
      GskRoundedRect outline;

      get_page_rect (self, i, &rect);
      if (rect.origin.y > height)
        break;

      gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
      gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 0, 3);
      gtk_snapshot_append_color (snapshot, &paper, &rect);

      if (state->texture != NULL)
        gtk_snapshot_append_texture (snapshot, state->texture, &rect);
    }

  gtk_snapshot_pop (snapshot);
}

static void
dbw_pdf_canvas_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dbw_pdf_canvas_parent_class)->map (widget);

  update_visible_pages (DBW_PDF_CANVAS (widget));
}

static void
dbw_pdf_canvas_dispose (GObject *object)
{
  DbwPdfCanvas *self = (DbwPdfCanvas *)object;

  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_handle_id (&self->notify_source, g_source_remove);
  clear_pages (self);

  if (self->renderer != NULL)
    {
      g_clear_signal_handler (&self->loaded_handler, self->renderer);
      g_clear_object (&self->renderer);
    }
  if (self->hadjustment != NULL)
    {
      g_clear_signal_handler (&self->hadjustment_handler, self->hadjustment);
      g_clear_object (&self->hadjustment);
    }
  if (self->vadjustment != NULL)
    {
      g_clear_signal_handler (&self->vadjustment_handler, self->vadjustment);
      g_clear_object (&self->vadjustment);
    }

  G_OBJECT_CLASS (dbw_pdf_canvas_parent_class)->dispose (object);
}

static void
dbw_pdf_canvas_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwPdfCanvas *self = DBW_PDF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_RENDERER:
      g_value_set_object (value, self->renderer);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_FIT_WIDTH:
      g_value_set_boolean (value, self->fit_width);
      break;

    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;

    case PROP_N_PAGES:
      g_value_set_uint (value, self->n_pages);
      break;

    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_canvas_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwPdfCanvas *self = DBW_PDF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_RENDERER:
      dbw_pdf_canvas_set_renderer (self, g_value_get_object (value));
      break;

    case PROP_ZOOM:
      dbw_pdf_canvas_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_FIT_WIDTH:
      dbw_pdf_canvas_set_fit_width (self, g_value_get_boolean (value));
      break;

    case PROP_PAGE:
      dbw_pdf_canvas_set_page (self, g_value_get_uint (value));
      break;

    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, &self->hadjustment_handler, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, &self->vadjustment_handler, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_canvas_class_init (DbwPdfCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_pdf_canvas_dispose;
  object_class->get_property = dbw_pdf_canvas_get_property;
  object_class->set_property = dbw_pdf_canvas_set_property;

  widget_class->measure = dbw_pdf_canvas_measure;
  widget_class->size_allocate = dbw_pdf_canvas_size_allocate;
  widget_class->snapshot = dbw_pdf_canvas_snapshot;
  widget_class->map = dbw_pdf_canvas_map;

  properties [PROP_RENDERER] =
    g_param_spec_object ("renderer", NULL, NULL,
                         DBW_TYPE_PDF_RENDERER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         DBW_PDF_MIN_ZOOM, DBW_PDF_MAX_ZOOM, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FIT_WIDTH] =
    g_param_spec_boolean ("fit-width", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* The scrolled window around the canvas takes Page Up and Page Down for scrolling by a
   * screen before DbwPdfView's own bindings would see them, so they are bound here, to the
   * view's page actions. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "pdf.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Up, 0, "pdf.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "pdf.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Page_Down, 0, "pdf.next-page", NULL);

  gtk_widget_class_set_css_name (widget_class, "pdfcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
dbw_pdf_canvas_init (DbwPdfCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->fit_width = TRUE;
  self->pending_page = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  set_adjustment (self, &self->hadjustment, &self->hadjustment_handler, NULL);
  set_adjustment (self, &self->vadjustment, &self->vadjustment_handler, NULL);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed_cb), NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_object (gesture, "begin", G_CALLBACK (on_zoom_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (on_click_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
dbw_pdf_canvas_new (void)
{
  return g_object_new (DBW_TYPE_PDF_CANVAS, NULL);
}

DbwPdfRenderer *
dbw_pdf_canvas_get_renderer (DbwPdfCanvas *self)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), NULL);

  return self->renderer;
}

void
dbw_pdf_canvas_set_renderer (DbwPdfCanvas   *self,
                             DbwPdfRenderer *renderer)
{
  g_return_if_fail (DBW_IS_PDF_CANVAS (self));
  g_return_if_fail (!renderer || DBW_IS_PDF_RENDERER (renderer));

  if (self->renderer == renderer)
    return;

  clear_pages (self);

  if (self->renderer != NULL)
    g_clear_signal_handler (&self->loaded_handler, self->renderer);
  g_set_object (&self->renderer, renderer);
  if (renderer != NULL)
    self->loaded_handler = g_signal_connect_object (renderer, "notify::loaded",
                                                    G_CALLBACK (on_renderer_loaded_cb),
                                                    self, G_CONNECT_SWAPPED);

  reload_pages (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RENDERER]);
}

double
dbw_pdf_canvas_get_zoom (DbwPdfCanvas *self)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), 1.0);

  return self->zoom;
}

/**
 * dbw_pdf_canvas_set_zoom:
 *
 * Zooms around the middle of the viewport and leaves fit-width mode.
 */
void
dbw_pdf_canvas_set_zoom (DbwPdfCanvas *self,
                         double        zoom)
{
  g_return_if_fail (DBW_IS_PDF_CANVAS (self));

  dbw_pdf_canvas_zoom_at (self, zoom, self->view_width / 2.0, self->view_height / 2.0);
}

/**
 * dbw_pdf_canvas_zoom_at:
 * @x: horizontal widget coordinate that stays on the same place of the paper
 * @y: vertical widget coordinate that stays on the same place of the paper
 */
void
dbw_pdf_canvas_zoom_at (DbwPdfCanvas *self,
                        double        zoom,
                        double        x,
                        double        y)
{
  g_return_if_fail (DBW_IS_PDF_CANVAS (self));

  dbw_pdf_canvas_set_fit_width (self, FALSE);
  apply_zoom (self, zoom, x, y);
}

gboolean
dbw_pdf_canvas_get_fit_width (DbwPdfCanvas *self)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), FALSE);

  return self->fit_width;
}

void
dbw_pdf_canvas_set_fit_width (DbwPdfCanvas *self,
                              gboolean      fit_width)
{
  g_return_if_fail (DBW_IS_PDF_CANVAS (self));

  fit_width = !!fit_width;
  if (self->fit_width == fit_width)
    return;

  self->fit_width = fit_width;
  if (fit_width && self->n_pages > 0 && self->view_width > 0)
    apply_zoom (self, fit_width_zoom (self, self->view_width), self->view_width / 2.0, 0);

  notify_property (self, PROP_FIT_WIDTH);
}

guint
dbw_pdf_canvas_get_page (DbwPdfCanvas *self)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), 0);

  return self->page;
}

/**
 * dbw_pdf_canvas_set_page:
 *
 * Makes @page the current page and scrolls its top into view.
 */
void
dbw_pdf_canvas_set_page (DbwPdfCanvas *self,
                         guint         page)
{
  g_return_if_fail (DBW_IS_PDF_CANVAS (self));

  if (self->n_pages == 0)
    return;

  page = MIN (page, self->n_pages - 1);
  if (!scroll_to_page (self, page))
    self->pending_page = page;

  set_current_page (self, page);
}

guint
dbw_pdf_canvas_get_n_pages (DbwPdfCanvas *self)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), 0);

  return self->n_pages;
}

/**
 * dbw_pdf_canvas_get_page_scale:
 *
 * Returns: the scale, in pixels per point, the page is rendered at for the current zoom
 */
double
dbw_pdf_canvas_get_page_scale (DbwPdfCanvas *self,
                               guint         page)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), 0);
  g_return_val_if_fail (page < self->n_pages, 0);

  return render_scale (self, page);
}

/**
 * dbw_pdf_canvas_get_texture:
 * @texture_scale: (out) (optional): the scale the texture was rendered at
 *
 * Returns: (transfer none) (nullable): the texture shown for @page
 */
GdkTexture *
dbw_pdf_canvas_get_texture (DbwPdfCanvas *self,
                            guint         page,
                            double       *texture_scale)
{
  g_return_val_if_fail (DBW_IS_PDF_CANVAS (self), NULL);
  g_return_val_if_fail (page < self->n_pages, NULL);

  if (texture_scale != NULL)
    *texture_scale = self->pages[page].texture_scale;

  return self->pages[page].texture;
}
