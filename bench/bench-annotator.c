/* bench-annotator.c
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

#define G_LOG_DOMAIN "bench-annotator"

#include "config.h"

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "dbw-image-annotator-private.h"
#include "dbw-view-transform.h"

/* Pan and zoom over an 8000 × 6000 scan carrying 2,000 boxes, in DbwImageAnnotator, against
 * a bare GtkPicture showing the same image under the same moves (the picture allocated at
 * the image's size with a scale-and-translate transform, clipped by its parent: what a naive
 * viewer does). Each frame the window's frame clock ticks, the view takes the next step of
 * a fixed sequence — zoom in about a wandering point, pan, zoom out, both at once — and the
 * time from the tick to the end of painting is the frame's cost. Target: the annotator's
 * p95 within 1.5 times the picture's. The decode into the pyramid is timed too. */

#define IMAGE_WIDTH   8000
#define IMAGE_HEIGHT  6000
#define N_BOXES       2000
#define N_FRAMES      160
#define WARMUP_FRAMES 10
#define TARGET_RATIO  1.5

/* A GtkPicture moved and scaled by a DbwViewTransform. */

#define BENCH_TYPE_PICTURE_VIEW (bench_picture_view_get_type ())
G_DECLARE_FINAL_TYPE (BenchPictureView, bench_picture_view, BENCH, PICTURE_VIEW, GtkWidget)

struct _BenchPictureView
{
  GtkWidget         parent_instance;
  GtkWidget        *picture;
  DbwViewTransform  transform;
  gboolean          fitted;
};

G_DEFINE_FINAL_TYPE (BenchPictureView, bench_picture_view, GTK_TYPE_WIDGET)

static void
bench_picture_view_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  BenchPictureView *self = BENCH_PICTURE_VIEW (widget);
  GskTransform *transform;

  dbw_view_transform_set_view_size (&self->transform, width, height);
  if (!self->fitted)
    {
      dbw_view_transform_fit (&self->transform);
      self->fitted = TRUE;
    }

  transform = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (self->transform.offset_x, self->transform.offset_y));
  transform = gsk_transform_scale (transform, self->transform.scale, self->transform.scale);
  gtk_widget_allocate (self->picture, IMAGE_WIDTH, IMAGE_HEIGHT, -1, transform);
}

static void
bench_picture_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = 0;
  *natural = 400;
}

static void
bench_picture_view_dispose (GObject *object)
{
  BenchPictureView *self = BENCH_PICTURE_VIEW (object);

  g_clear_pointer (&self->picture, gtk_widget_unparent);

  G_OBJECT_CLASS (bench_picture_view_parent_class)->dispose (object);
}

static void
bench_picture_view_class_init (BenchPictureViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bench_picture_view_dispose;
  GTK_WIDGET_CLASS (klass)->size_allocate = bench_picture_view_size_allocate;
  GTK_WIDGET_CLASS (klass)->measure = bench_picture_view_measure;
}

static void
bench_picture_view_init (BenchPictureView *self)
{
  dbw_view_transform_init (&self->transform);
  dbw_view_transform_set_image_size (&self->transform, IMAGE_WIDTH, IMAGE_HEIGHT);
  self->picture = gtk_picture_new ();
  gtk_widget_set_parent (self->picture, GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

/* The moves */

typedef struct
{
  GtkWidget *view;
  guint      frame;
  gint64     ticked;
  GArray    *times;     /* double, ms */
} Run;

/* Frame @i of the sequence, as a zoom factor about a point and a pan. */
static void
step (guint   i,
      double  width,
      double  height,
      double *factor,
      double *x,
      double *y,
      double *dx,
      double *dy)
{
  guint phase = (i / 40) % 4;
  double t = (i % 40) / 40.0;

  *x = width * (0.3 + 0.4 * t);
  *y = height * (0.6 - 0.3 * t);
  *factor = 1.0;
  *dx = *dy = 0;

  switch (phase)
    {
    case 0:
      *factor = 1.08;
      break;
    case 1:
      *dx = -23;
      *dy = -11;
      break;
    case 2:
      *factor = 1 / 1.06;
      *dx = 17;
      break;
    case 3:
    default:
      *factor = i % 2 ? 1.1 : 1 / 1.1;
      *dy = 13;
      break;
    }
}

static void
apply_step (GtkWidget *view,
            guint      i)
{
  double width = gtk_widget_get_width (view);
  double height = gtk_widget_get_height (view);
  double factor, x, y, dx, dy;

  step (i, width, height, &factor, &x, &y, &dx, &dy);

  if (DBW_IS_IMAGE_ANNOTATOR (view))
    {
      DbwImageAnnotator *annotator = DBW_IMAGE_ANNOTATOR (view);

      dbw_image_annotator_zoom_at (annotator, dbw_image_annotator_get_zoom (annotator) * factor, x, y);
      dbw_image_annotator_pan_by (annotator, dx, dy);
    }
  else
    {
      BenchPictureView *picture_view = BENCH_PICTURE_VIEW (view);

      dbw_view_transform_zoom_at (&picture_view->transform, picture_view->transform.scale * factor, x, y);
      dbw_view_transform_pan_by (&picture_view->transform, dx, dy);
      gtk_widget_queue_allocate (view);
    }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Run *run = user_data;

  run->ticked = g_get_monotonic_time ();
  apply_step (run->view, run->frame);
  run->frame++;

  return run->frame < N_FRAMES + WARMUP_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  double ms;

  if (run->ticked == 0)
    return;

  ms = (g_get_monotonic_time () - run->ticked) / 1000.0;
  run->ticked = 0;
  if (run->frame > WARMUP_FRAMES)
    g_array_append_val (run->times, ms);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);

  return g_array_index (values, double, MIN ((guint) (values->len * p), values->len - 1));
}

static gboolean
always_continue (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Shows @view in @window and measures the whole sequence on it. */
static GArray *
measure (GtkWindow *window,
         GtkWidget *view)
{
  Run run = { .view = view, .times = g_array_new (FALSE, FALSE, sizeof (double)) };
  GdkFrameClock *clock;
  gulong handler;
  guint wake = g_timeout_add (100, always_continue, NULL);
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  gtk_window_set_child (window, view);
  while (gtk_widget_get_width (view) == 0)
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (view);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);
  gtk_widget_add_tick_callback (view, tick_cb, &run, NULL);

  while (run.frame < N_FRAMES + WARMUP_FRAMES || run.ticked != 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the frames did not end in 10 minutes");
      g_main_context_iteration (NULL, TRUE);
    }

  g_signal_handler_disconnect (clock, handler);
  g_source_remove (wake);

  if (run.times->len == 0)
    g_error ("no frames were drawn");

  return run.times;
}

static GdkPixbuf *
make_scan (void)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_WIDTH, IMAGE_HEIGHT);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  /* A green board with copper traces and pads, and some grain, so neither the decoder nor
   * the scaler sees flat colour. */
  for (int y = 0; y < IMAGE_HEIGHT; y++)
    for (int x = 0; x < IMAGE_WIDTH; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + x * 3;
        gboolean trace = (y % 160) < 12 || (x % 220) < 10;
        gboolean pad = (x % 80) < 30 && (y % 74) < 28;
        guint8 grain = (guint8) ((x * 7919 + y * 104729) % 23);

        p[0] = (guint8) ((pad ? 200 : trace ? 180 : 20) + grain);
        p[1] = (guint8) ((pad ? 190 : trace ? 120 : 90) + grain);
        p[2] = (guint8) ((pad ? 170 : trace ? 50 : 40) + grain);
      }

  return pixbuf;
}

static gboolean
annotator_loaded (DbwImageAnnotator *annotator)
{
  return !dbw_image_annotator_get_loading (annotator) && _dbw_image_annotator_get_pyramid (annotator) != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) scan = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(DbwShapeSet) shapes = NULL;
  g_autoptr(GArray) annotator_times = NULL;
  g_autoptr(GArray) picture_times = NULL;
  g_autofree char *renderer = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  char *buffer = NULL;
  gsize size = 0;
  GtkWindow *window;
  DbwImageAnnotator *annotator;
  BenchPictureView *picture_view;
  gint64 start;
  double decode_seconds, annotator_p95, picture_p95, annotator_p50, picture_p50, ratio;

  /* Xvfb has no GPU: the GL renderer would run on llvmpipe and measure the emulator. Cairo
   * is what draws without a GPU; GSK_RENDERER=gl measures the other. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  renderer = g_strdup (g_getenv ("GSK_RENDERER"));
  gtk_init ();

  scan = make_scan ();
  if (!gdk_pixbuf_save_to_buffer (scan, &buffer, &size, "jpeg", &error, "quality", "90", NULL))
    g_error ("could not encode the scan: %s", error->message);
  jpeg = g_bytes_new_take (buffer, size);
  texture = gdk_texture_new_for_pixbuf (scan);
  g_clear_object (&scan);

  shapes = dbw_shape_set_new (IMAGE_WIDTH, IMAGE_HEIGHT);
  for (guint i = 0; i < N_BOXES; i++)
    dbw_shape_set_add_box (shapes, i % 7 == 0 ? "solder_bridge" : "component",
                           (i % 50) * 160 + 20, (i / 50) * 150 + 15, 90 + (i % 5) * 10, 70 + (i % 3) * 15);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);

  annotator = DBW_IMAGE_ANNOTATOR (dbw_image_annotator_new ());
  g_object_ref_sink (annotator);
  dbw_image_annotator_set_shapes (annotator, shapes);

  start = g_get_monotonic_time ();
  dbw_image_annotator_set_image_bytes (annotator, jpeg);
  while (!annotator_loaded (annotator))
    {
      if (dbw_image_annotator_get_error (annotator) != NULL)
        g_error ("%s", dbw_image_annotator_get_error (annotator)->message);
      g_main_context_iteration (NULL, TRUE);
    }
  decode_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  annotator_times = measure (window, GTK_WIDGET (annotator));

  picture_view = g_object_new (BENCH_TYPE_PICTURE_VIEW, NULL);
  g_object_ref_sink (picture_view);
  gtk_picture_set_paintable (GTK_PICTURE (picture_view->picture), GDK_PAINTABLE (texture));
  picture_times = measure (window, GTK_WIDGET (picture_view));

  annotator_p50 = percentile (annotator_times, 0.5);
  annotator_p95 = percentile (annotator_times, 0.95);
  picture_p50 = percentile (picture_times, 0.5);
  picture_p95 = percentile (picture_times, 0.95);
  ratio = annotator_p95 / MAX (picture_p95, 1e-3);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, "annotator-pan-zoom");
  json_builder_set_member_name (builder, "renderer");
  json_builder_add_string_value (builder, renderer);
  json_builder_set_member_name (builder, "image_width");
  json_builder_add_int_value (builder, IMAGE_WIDTH);
  json_builder_set_member_name (builder, "image_height");
  json_builder_add_int_value (builder, IMAGE_HEIGHT);
  json_builder_set_member_name (builder, "boxes");
  json_builder_add_int_value (builder, N_BOXES);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, annotator_times->len);
  json_builder_set_member_name (builder, "decode_seconds");
  json_builder_add_double_value (builder, decode_seconds);
  json_builder_set_member_name (builder, "annotator_p50_ms");
  json_builder_add_double_value (builder, annotator_p50);
  json_builder_set_member_name (builder, "annotator_p95_ms");
  json_builder_add_double_value (builder, annotator_p95);
  json_builder_set_member_name (builder, "picture_p50_ms");
  json_builder_add_double_value (builder, picture_p50);
  json_builder_set_member_name (builder, "picture_p95_ms");
  json_builder_add_double_value (builder, picture_p95);
  json_builder_set_member_name (builder, "ratio_p95");
  json_builder_add_double_value (builder, ratio);
  json_builder_set_member_name (builder, "target_ratio");
  json_builder_add_double_value (builder, TARGET_RATIO);
  json_builder_set_member_name (builder, "pass");
  json_builder_add_boolean_value (builder, ratio <= TARGET_RATIO);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  g_print ("%s\n", json);

  gtk_window_destroy (window);
  g_object_unref (annotator);
  g_object_unref (picture_view);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return 0;
}
