/* dbw-image-pyramid.c
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

#define G_LOG_DOMAIN "dbw-image-pyramid"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-image-pyramid.h"
#include "dbw-image-view.h"

/* Every level is one buffer of premultiplied BGRA, the layout both GTK renderers take without
 * converting (the cairo renderer copies it row by row into its surface every frame, the GL
 * renderer uploads it once). Tiles are textures over sub-ranges of that buffer — no copies —
 * with the level's full row as their stride. Each level is the one above averaged over 2 × 2
 * pixels, a box filter, which is what halving wants.
 *
 * GTK 4.8's cairo renderer converts a texture into a new cairo surface on every frame it is
 * drawn, pixel by pixel, and scales it with cairo's slowest filter. For that renderer (what
 * draws without a GPU) a level is drawn instead as a cairo image surface over the very same
 * buffer, made once, with a bilinear filter — nearest when zoomed in far enough to see
 * pixels, which is what a labeller wants to see. */

#define TILE DBW_IMAGE_PYRAMID_TILE_SIZE
#define BPP  4

typedef struct
{
  int              width;
  int              height;
  guint            columns;
  guint            rows;
  GBytes          *pixels;
  GdkTexture     **tiles;   /* columns × rows, row-major */
  cairo_surface_t *surface; /* the same pixels for cairo, made on first use */
} Level;

struct _DbwImagePyramid
{
  GObject  parent_instance;

  int      width;
  int      height;
  GArray  *levels;      /* (element-type Level) */
};

G_DEFINE_FINAL_TYPE (DbwImagePyramid, dbw_image_pyramid, G_TYPE_OBJECT)

static const char new_tag[] = "dbw_image_pyramid_new_async";

static void
level_clear (gpointer data)
{
  Level *level = data;

  if (level->tiles != NULL)
    for (guint i = 0; i < level->columns * level->rows; i++)
      g_clear_object (&level->tiles[i]);
  g_clear_pointer (&level->tiles, g_free);
  g_clear_pointer (&level->surface, cairo_surface_destroy);
  g_clear_pointer (&level->pixels, g_bytes_unref);
}

static guint8 *
pixbuf_to_bgra (GdkPixbuf    *pixbuf,
                GCancellable *cancellable)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  g_autofree guint8 *out = g_try_malloc ((gsize) width * height * BPP);

  if (out == NULL)
    return NULL;

  for (int y = 0; y < height; y++)
    {
      const guint8 *src = pixels + (gsize) y * rowstride;
      guint8 *dst = out + (gsize) y * width * BPP;

      if (y % 256 == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;

      for (int x = 0; x < width; x++, src += n_channels, dst += BPP)
        {
          guint a = has_alpha ? src[3] : 255;

          dst[0] = (guint8) ((src[2] * a + 127) / 255);
          dst[1] = (guint8) ((src[1] * a + 127) / 255);
          dst[2] = (guint8) ((src[0] * a + 127) / 255);
          dst[3] = (guint8) a;
        }
    }

  return g_steal_pointer (&out);
}

static guint8 *
halve (const guint8 *src,
       int           width,
       int           height,
       int          *out_width,
       int          *out_height,
       GCancellable *cancellable)
{
  int w = MAX (1, (width + 1) / 2);
  int h = MAX (1, (height + 1) / 2);
  g_autofree guint8 *out = g_try_malloc ((gsize) w * h * BPP);

  if (out == NULL)
    return NULL;

  for (int y = 0; y < h; y++)
    {
      /* An odd last row or column is averaged with itself. */
      const guint8 *row0 = src + (gsize) (2 * y) * width * BPP;
      const guint8 *row1 = src + (gsize) MIN (2 * y + 1, height - 1) * width * BPP;
      guint8 *dst = out + (gsize) y * w * BPP;

      if (y % 256 == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;

      for (int x = 0; x < w; x++)
        {
          gsize x0 = (gsize) (2 * x) * BPP;
          gsize x1 = (gsize) MIN (2 * x + 1, width - 1) * BPP;

          for (int c = 0; c < BPP; c++)
            dst[x * BPP + c] = (guint8) ((row0[x0 + c] + row0[x1 + c] + row1[x0 + c] + row1[x1 + c] + 2) / 4);
        }
    }

  *out_width = w;
  *out_height = h;

  return g_steal_pointer (&out);
}

static void
level_cut_tiles (Level *level)
{
  gsize stride = (gsize) level->width * BPP;

  level->columns = (guint) (level->width + TILE - 1) / TILE;
  level->rows = (guint) (level->height + TILE - 1) / TILE;
  level->tiles = g_new0 (GdkTexture *, level->columns * level->rows);

  for (guint r = 0; r < level->rows; r++)
    for (guint c = 0; c < level->columns; c++)
      {
        int x = (int) c * TILE;
        int y = (int) r * TILE;
        int w = MIN (TILE, level->width - x);
        int h = MIN (TILE, level->height - y);
        gsize offset = (gsize) y * stride + (gsize) x * BPP;
        gsize length = (gsize) (h - 1) * stride + (gsize) w * BPP;
        g_autoptr(GBytes) bytes = g_bytes_new_from_bytes (level->pixels, offset, length);

        level->tiles[r * level->columns + c] =
          gdk_memory_texture_new (w, h, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
      }
}

static void
dbw_image_pyramid_finalize (GObject *object)
{
  DbwImagePyramid *self = (DbwImagePyramid *)object;

  g_clear_pointer (&self->levels, g_array_unref);

  G_OBJECT_CLASS (dbw_image_pyramid_parent_class)->finalize (object);
}

static void
dbw_image_pyramid_class_init (DbwImagePyramidClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_image_pyramid_finalize;
}

static void
dbw_image_pyramid_init (DbwImagePyramid *self)
{
  self->levels = g_array_new (FALSE, TRUE, sizeof (Level));
  g_array_set_clear_func (self->levels, level_clear);
}

/* What to decode: the bytes of a file, or the file. */
typedef struct
{
  GBytes *bytes;
  GFile  *file;
} Source;

static void
source_free (gpointer data)
{
  Source *source = data;

  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_clear_object (&source->file);
  g_free (source);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Source *source = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  DbwImagePyramid *pyramid;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (source->file != NULL)
    bytes = g_file_load_bytes (source->file, cancellable, NULL, &error);
  else
    bytes = g_bytes_ref (source->bytes);

  if (bytes != NULL)
    pixbuf = dbw_image_decode_pixbuf (bytes, &error);
  if (pixbuf != NULL)
    {
      /* The encoded file is not needed while the pixels are made. */
      g_clear_pointer (&bytes, g_bytes_unref);
      pyramid = dbw_image_pyramid_new_for_pixbuf (pixbuf, cancellable, &error);
      if (pyramid != NULL)
        {
          g_task_return_pointer (task, pyramid, g_object_unref);
          return;
        }
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
start_build (Source              *source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, (gpointer) new_tag);
  g_task_set_name (task, "dbw_image_pyramid_new_async");
  g_task_set_task_data (task, source, source_free);
  g_task_run_in_thread (task, build_thread);
}

/**
 * dbw_image_pyramid_new_async:
 * @bytes: the content of an image file
 *
 * Decodes @bytes (as #DbwImageView does) and builds the pyramid in a worker thread. Errors
 * are in %DBW_IMAGE_ERROR, or %G_IO_ERROR_CANCELLED.
 */
void
dbw_image_pyramid_new_async (GBytes              *bytes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Source *source;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  source = g_new0 (Source, 1);
  source->bytes = g_bytes_ref (bytes);
  start_build (source, cancellable, callback, user_data);
}

/**
 * dbw_image_pyramid_new_for_file_async:
 * @file: an image file
 *
 * Reads @file and goes on as dbw_image_pyramid_new_async(); a read error is a %G_IO_ERROR.
 */
void
dbw_image_pyramid_new_for_file_async (GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Source *source;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  source = g_new0 (Source, 1);
  source->file = g_object_ref (file);
  start_build (source, cancellable, callback, user_data);
}

/**
 * dbw_image_pyramid_new_finish:
 *
 * Returns: (transfer full): the pyramid, or %NULL with @error set
 */
DbwImagePyramid *
dbw_image_pyramid_new_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == new_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_image_pyramid_new_for_pixbuf:
 *
 * Returns: (transfer full): the pyramid of @pixbuf, or %NULL if cancelled or out of memory
 */
DbwImagePyramid *
dbw_image_pyramid_new_for_pixbuf (GdkPixbuf     *pixbuf,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(DbwImagePyramid) self = NULL;
  guint8 *pixels;
  Level level = { 0 };

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (DBW_TYPE_IMAGE_PYRAMID, NULL);
  self->width = gdk_pixbuf_get_width (pixbuf);
  self->height = gdk_pixbuf_get_height (pixbuf);

  level.width = self->width;
  level.height = self->height;
  pixels = pixbuf_to_bgra (pixbuf, cancellable);

  for (;;)
    {
      if (pixels == NULL)
        {
          if (!g_cancellable_set_error_if_cancelled (cancellable, error))
            g_set_error (error, DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_DAMAGED,
                         /* Translators: %d × %d is the size of an image in pixels */
                         _("The image of %d × %d pixels is too large for the memory available"),
                         self->width, self->height);
          return NULL;
        }

      level.pixels = g_bytes_new_take (pixels, (gsize) level.width * level.height * BPP);
      level_cut_tiles (&level);
      g_array_append_val (self->levels, level);

      if (level.width <= TILE && level.height <= TILE)
        break;

      {
        const guint8 *above = g_bytes_get_data (level.pixels, NULL);
        int width = level.width, height = level.height;

        level = (Level) { 0 };
        pixels = halve (above, width, height, &level.width, &level.height, cancellable);
      }
    }

  return g_steal_pointer (&self);
}

int
dbw_image_pyramid_get_width (DbwImagePyramid *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_PYRAMID (self), 0);

  return self->width;
}

int
dbw_image_pyramid_get_height (DbwImagePyramid *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_PYRAMID (self), 0);

  return self->height;
}

guint
dbw_image_pyramid_get_n_levels (DbwImagePyramid *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_PYRAMID (self), 0);

  return self->levels->len;
}

void
dbw_image_pyramid_get_level_size (DbwImagePyramid *self,
                                  guint            level,
                                  int             *width,
                                  int             *height)
{
  const Level *l;

  g_return_if_fail (DBW_IS_IMAGE_PYRAMID (self));
  g_return_if_fail (level < self->levels->len);

  l = &g_array_index (self->levels, Level, level);
  if (width != NULL)
    *width = l->width;
  if (height != NULL)
    *height = l->height;
}

guint
dbw_image_pyramid_choose_level (DbwImagePyramid *self,
                                double           device_scale)
{
  g_return_val_if_fail (DBW_IS_IMAGE_PYRAMID (self), 0);

  for (guint i = self->levels->len; i > 1; i--)
    {
      const Level *l = &g_array_index (self->levels, Level, i - 1);

      /* A hair of tolerance: 4000 of 8001 pixels is as good as half. */
      if ((double) l->width / self->width >= device_scale * 0.999)
        return i - 1;
    }

  return 0;
}

/**
 * dbw_image_pyramid_get_tile:
 *
 * Returns: (transfer none): the tile
 */
GdkTexture *
dbw_image_pyramid_get_tile (DbwImagePyramid *self,
                            guint            level,
                            guint            column,
                            guint            row)
{
  const Level *l;

  g_return_val_if_fail (DBW_IS_IMAGE_PYRAMID (self), NULL);
  g_return_val_if_fail (level < self->levels->len, NULL);

  l = &g_array_index (self->levels, Level, level);
  g_return_val_if_fail (column < l->columns && row < l->rows, NULL);

  return l->tiles[row * l->columns + column];
}

static void
unref_bytes (void *data)
{
  g_bytes_unref (data);
}

static cairo_surface_t *
level_get_surface (Level *level)
{
  static const cairo_user_data_key_t pixels_key;

  if (level->surface == NULL)
    {
      /* Premultiplied BGRA in memory is CAIRO_FORMAT_ARGB32 on a little-endian machine. */
      level->surface = cairo_image_surface_create_for_data ((unsigned char *) g_bytes_get_data (level->pixels, NULL),
                                                            CAIRO_FORMAT_ARGB32, level->width, level->height,
                                                            level->width * BPP);
      cairo_surface_set_user_data (level->surface, &pixels_key, g_bytes_ref (level->pixels), unref_bytes);
    }

  return level->surface;
}

static void
snapshot_cairo (Level                  *level,
                GtkSnapshot            *snapshot,
                const DbwViewTransform *transform,
                double                  fx,
                double                  fy)
{
  double x0, y0, x1, y1, sx, sy;
  cairo_pattern_t *pattern;
  cairo_t *cr;

  dbw_view_transform_image_to_view (transform, 0, 0, &x0, &y0);
  dbw_view_transform_image_to_view (transform, transform->image_width, transform->image_height, &x1, &y1);
  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, transform->view_width);
  y1 = MIN (y1, transform->view_height);
  if (x1 <= x0 || y1 <= y0)
    return;

  /* View pixels per level pixel. */
  sx = transform->scale / fx;
  sy = transform->scale / fy;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_clip (cr);
  cairo_translate (cr, transform->offset_x, transform->offset_y);
  cairo_scale (cr, sx, sy);
  cairo_set_source_surface (cr, level_get_surface (level), 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_pattern_set_filter (pattern, sx >= 2.0 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_BILINEAR);
  cairo_rectangle (cr, 0, 0, level->width, level->height);
  cairo_fill (cr);
  cairo_destroy (cr);
}

/* To whole device pixels, so neighbouring tiles share their edge exactly. */
static double
snap (double v,
      double device_scale)
{
  return round (v * device_scale) / device_scale;
}

guint
dbw_image_pyramid_snapshot (DbwImagePyramid        *self,
                            GtkSnapshot            *snapshot,
                            const DbwViewTransform *transform,
                            double                  device_scale,
                            gboolean                for_cairo)
{
  Level *l;
  double vx, vy, vw, vh, fx, fy;
  guint c0, c1, r0, r1, level, n = 0;

  g_return_val_if_fail (DBW_IS_IMAGE_PYRAMID (self), 0);
  g_return_val_if_fail (transform != NULL, 0);

  if (!dbw_view_transform_get_visible_rect (transform, &vx, &vy, &vw, &vh))
    return 0;

  level = dbw_image_pyramid_choose_level (self, transform->scale * device_scale);
  l = &g_array_index (self->levels, Level, level);
  fx = (double) l->width / self->width;
  fy = (double) l->height / self->height;

  c0 = (guint) CLAMP (floor (vx * fx / TILE), 0, l->columns - 1);
  c1 = (guint) CLAMP (floor ((vx + vw) * fx / TILE), 0, l->columns - 1);
  r0 = (guint) CLAMP (floor (vy * fy / TILE), 0, l->rows - 1);
  r1 = (guint) CLAMP (floor ((vy + vh) * fy / TILE), 0, l->rows - 1);

  if (for_cairo && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    {
      snapshot_cairo (l, snapshot, transform, fx, fy);
      return (c1 - c0 + 1) * (r1 - r0 + 1);
    }

  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        double x0, y0, x1, y1;

        dbw_view_transform_image_to_view (transform, c * TILE / fx, r * TILE / fy, &x0, &y0);
        dbw_view_transform_image_to_view (transform,
                                          MIN ((c + 1) * TILE, (guint) l->width) / fx,
                                          MIN ((r + 1) * TILE, (guint) l->height) / fy,
                                          &x1, &y1);
        x0 = snap (x0, device_scale);
        y0 = snap (y0, device_scale);
        x1 = snap (x1, device_scale);
        y1 = snap (y1, device_scale);
        if (x1 <= x0 || y1 <= y0)
          continue;

        gtk_snapshot_append_texture (snapshot, l->tiles[r * l->columns + c],
                                     &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
        n++;
      }

  return n;
}
