/* dbw-pdf-renderer.c
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

#define G_LOG_DOMAIN "dbw-pdf-renderer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <poppler.h>

#include "dbw-pdf-renderer.h"

/* Poppler documents are not thread safe, so each renderer owns a thread pool of one thread
 * and every poppler call is a job on it. Jobs are sorted by priority, then by arrival, so
 * the pages on screen go before thumbnails. The worker only touches its job; results come
 * back to the main context through GTasks, where the cache and the page sizes live, so
 * nothing here needs a lock. */

/* Older poppler-glib (Debian 12 has 22.12) declares no autoptr cleanups and newer ones do,
 * so ours go on aliases that cannot clash. */
typedef PopplerDocument DbwPopplerDocument;
typedef PopplerPage DbwPopplerPage;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwPopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwPopplerPage, g_object_unref)

typedef struct
{
  double width;
  double height;
} PageSize;

typedef struct
{
  gint64      key;
  guint       page_index;
  double      scale;
  GdkTexture *texture;
  gsize       size;
  GList       link;
} CacheEntry;

typedef enum
{
  JOB_LOAD,
  JOB_RENDER,
  JOB_RELEASE,
} JobKind;

typedef struct
{
  JobKind          kind;
  int              priority;
  guint64          sequence;
  GTask           *task;
  GBytes          *bytes;
  PopplerDocument *document;
  guint            page_index;
  double           scale;
} Job;

typedef struct
{
  PopplerDocument *document;
  GArray          *sizes;
} LoadResult;

typedef struct
{
  guint  generation;
  guint  page_index;
  double scale;
} RenderData;

struct _DbwPdfRenderer
{
  GObject          parent_instance;

  GThreadPool     *pool;
  guint64          next_sequence;
  guint            generation;

  PopplerDocument *document;
  GArray          *sizes;
  double           max_width;
  double           max_height;

  GHashTable      *cache;
  GQueue           lru;
  gsize            cache_size;
  gsize            cache_budget;
};

G_DEFINE_FINAL_TYPE (DbwPdfRenderer, dbw_pdf_renderer, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-pdf-error-quark, dbw_pdf_error)

enum {
  PROP_0,
  PROP_N_PAGES,
  PROP_LOADED,
  PROP_CACHE_BUDGET,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Cairo image surfaces are limited to 32767 pixels a side. */
#define MAX_TEXTURE_SIDE 32767

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_object (&job->document);
  g_free (job);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_object (&result->document);
  g_clear_pointer (&result->sizes, g_array_unref);
  g_free (result);
}

static void
cache_entry_free (CacheEntry *entry)
{
  g_clear_object (&entry->texture);
  g_free (entry);
}

/* Scales are keyed to a thousandth: requests for "the same" zoom computed in slightly
 * different ways still meet in the cache. */
static gint64
cache_key (guint  page_index,
           double scale)
{
  return ((gint64) page_index << 32) | (gint64) (guint32) lround (scale * 1000.0);
}

static void
compute_texture_size (double  width,
                      double  height,
                      double  scale,
                      int    *out_width,
                      int    *out_height)
{
  *out_width = (int) MAX (1.0, round (width * scale));
  *out_height = (int) MAX (1.0, round (height * scale));
}

static int
job_compare (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const Job *job_a = a;
  const Job *job_b = b;

  if (job_a->priority != job_b->priority)
    return job_a->priority < job_b->priority ? -1 : 1;

  return job_a->sequence < job_b->sequence ? -1 : (job_a->sequence > job_b->sequence);
}

static void
set_load_error (GError **error,
                GError  *poppler_error)
{
  if (g_error_matches (poppler_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
    g_set_error_literal (error, DBW_PDF_ERROR, DBW_PDF_ERROR_ENCRYPTED,
                         _("The PDF is password-protected"));
  else
    g_set_error (error, DBW_PDF_ERROR, DBW_PDF_ERROR_DAMAGED,
                 _("The PDF could not be read: %s"), poppler_error->message);
}

static LoadResult *
load_document (GBytes  *bytes,
               GError **error)
{
  g_autoptr(DbwPopplerDocument) document = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) sizes = NULL;
  LoadResult *result;
  int n_pages;

  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error_literal (error, DBW_PDF_ERROR, DBW_PDF_ERROR_EMPTY,
                           _("The PDF file is empty"));
      return NULL;
    }

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document == NULL)
    {
      set_load_error (error, local_error);
      return NULL;
    }

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages <= 0)
    {
      g_set_error_literal (error, DBW_PDF_ERROR, DBW_PDF_ERROR_DAMAGED,
                           _("The PDF could not be read: it has no pages"));
      return NULL;
    }

  sizes = g_array_sized_new (FALSE, FALSE, sizeof (PageSize), n_pages);
  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(DbwPopplerPage) page = poppler_document_get_page (document, i);
      PageSize size = { 0, 0 };

      if (page != NULL)
        poppler_page_get_size (page, &size.width, &size.height);

      /* A page without a usable media box still gets a place in the column. */
      if (!(size.width >= 1.0) || !(size.height >= 1.0))
        {
          size.width = 612.0;
          size.height = 792.0;
        }

      g_array_append_val (sizes, size);
    }

  result = g_new0 (LoadResult, 1);
  result->document = g_steal_pointer (&document);
  result->sizes = g_steal_pointer (&sizes);

  return result;
}

static GdkTexture *
render_page (PopplerDocument  *document,
             guint             page_index,
             double            scale,
             GError          **error)
{
  g_autoptr(DbwPopplerPage) page = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width;
  double height;
  int pixel_width;
  int pixel_height;
  int stride;

  page = poppler_document_get_page (document, page_index);
  if (page == NULL)
    {
      g_set_error (error, DBW_PDF_ERROR, DBW_PDF_ERROR_DAMAGED,
                   _("The PDF could not be read: page %u is missing"), page_index + 1);
      return NULL;
    }

  poppler_page_get_size (page, &width, &height);
  if (!(width >= 1.0) || !(height >= 1.0))
    {
      width = 612.0;
      height = 792.0;
    }
  compute_texture_size (width, height, scale, &pixel_width, &pixel_height);
  if (pixel_width > MAX_TEXTURE_SIDE || pixel_height > MAX_TEXTURE_SIDE)
    {
      g_set_error (error, DBW_PDF_ERROR, DBW_PDF_ERROR_TOO_LARGE,
                   _("Page %u is too large to show at this zoom level"), page_index + 1);
      return NULL;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DBW_PDF_ERROR, DBW_PDF_ERROR_TOO_LARGE,
                   _("There is not enough memory to show page %u"), page_index + 1);
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);

  /* Paper behind the page's own drawing: pages may leave their background transparent. */
  cairo_set_operator (cr, CAIRO_OPERATOR_DEST_OVER);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_destroy (cr);

  cairo_surface_flush (surface);
  stride = cairo_image_surface_get_stride (surface);

  /* The texture takes the surface's pixels as they are: cairo's ARGB32 is premultiplied
   * native-endian, which is GDK_MEMORY_DEFAULT. The bytes own the surface. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) pixel_height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      surface);

  return gdk_memory_texture_new (pixel_width, pixel_height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;

  switch (job->kind)
    {
    case JOB_LOAD:
      {
        LoadResult *result;

        if (g_task_return_error_if_cancelled (job->task))
          break;

        result = load_document (job->bytes, &error);
        if (result == NULL)
          g_task_return_error (job->task, g_steal_pointer (&error));
        else
          g_task_return_pointer (job->task, result, (GDestroyNotify) load_result_free);
      }
      break;

    case JOB_RENDER:
      {
        GdkTexture *texture;

        if (g_task_return_error_if_cancelled (job->task))
          break;

        texture = render_page (job->document, job->page_index, job->scale, &error);
        if (texture == NULL)
          g_task_return_error (job->task, g_steal_pointer (&error));
        else
          g_task_return_pointer (job->task, texture, g_object_unref);
      }
      break;

    case JOB_RELEASE:
      /* job_free drops the document here, on the worker. */
      break;

    default:
      g_assert_not_reached ();
    }

  job_free (job);
}

static void
push_job (DbwPdfRenderer *self,
          Job            *job)
{
  g_autoptr(GError) error = NULL;

  job->sequence = self->next_sequence++;

  if (!g_thread_pool_push (self->pool, job, &error))
    {
      if (job->task != NULL)
        g_task_return_error (job->task, g_steal_pointer (&error));
      else
        g_warning ("Could not queue a PDF job: %s", error->message);
      job_free (job);
    }
}

/* Documents are destroyed on the worker too, after any render still using them. */
static void
release_document (DbwPdfRenderer  *self,
                  PopplerDocument *document)
{
  Job *job;

  if (document == NULL)
    return;

  job = g_new0 (Job, 1);
  job->kind = JOB_RELEASE;
  job->priority = G_MAXINT;
  job->document = document;
  push_job (self, job);
}

static void
cache_remove_entry (DbwPdfRenderer *self,
                    CacheEntry     *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  self->cache_size -= entry->size;
  g_hash_table_remove (self->cache, &entry->key);
}

static void
cache_trim (DbwPdfRenderer *self,
            gsize           budget)
{
  while (self->cache_size > budget && self->lru.tail != NULL)
    cache_remove_entry (self, self->lru.tail->data);
}

static CacheEntry *
cache_find (DbwPdfRenderer *self,
            guint           page_index,
            double          scale)
{
  gint64 key = cache_key (page_index, scale);
  CacheEntry *entry = g_hash_table_lookup (self->cache, &key);

  if (entry != NULL)
    {
      /* Most recently used goes first. */
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
    }

  return entry;
}

static void
cache_insert (DbwPdfRenderer *self,
              guint           page_index,
              double          scale,
              GdkTexture     *texture)
{
  CacheEntry *entry;
  gsize size;

  size = (gsize) gdk_texture_get_width (texture) * (gsize) gdk_texture_get_height (texture) * 4;

  /* A texture larger than the whole budget would empty the cache for nothing. */
  if (size > self->cache_budget)
    return;

  entry = cache_find (self, page_index, scale);
  if (entry != NULL)
    cache_remove_entry (self, entry);

  cache_trim (self, self->cache_budget - size);

  entry = g_new0 (CacheEntry, 1);
  entry->key = cache_key (page_index, scale);
  entry->page_index = page_index;
  entry->scale = scale;
  entry->texture = g_object_ref (texture);
  entry->size = size;
  entry->link.data = entry;

  g_hash_table_insert (self->cache, &entry->key, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  self->cache_size += size;
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DbwPdfRenderer *self = DBW_PDF_RENDERER (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *load;
  guint generation = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));

  load = g_task_propagate_pointer (G_TASK (result), &error);
  if (load == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (generation != self->generation)
    {
      release_document (self, g_steal_pointer (&load->document));
      load_result_free (load);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Another document was loaded meanwhile");
      return;
    }

  dbw_pdf_renderer_clear_cache (self);
  release_document (self, g_steal_pointer (&self->document));
  g_clear_pointer (&self->sizes, g_array_unref);

  self->document = g_steal_pointer (&load->document);
  self->sizes = g_steal_pointer (&load->sizes);
  load_result_free (load);

  self->max_width = 0;
  self->max_height = 0;
  for (guint i = 0; i < self->sizes->len; i++)
    {
      const PageSize *size = &g_array_index (self->sizes, PageSize, i);

      self->max_width = MAX (self->max_width, size->width);
      self->max_height = MAX (self->max_height, size->height);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PAGES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADED]);

  g_task_return_boolean (task, TRUE);
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DbwPdfRenderer *self = DBW_PDF_RENDERER (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  RenderData *data = g_task_get_task_data (G_TASK (result));

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Cached even when the caller has given up meanwhile: the work is done. */
  if (data->generation == self->generation)
    cache_insert (self, data->page_index, data->scale, texture);

  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
dbw_pdf_renderer_dispose (GObject *object)
{
  DbwPdfRenderer *self = (DbwPdfRenderer *)object;

  dbw_pdf_renderer_clear_cache (self);

  if (self->pool != NULL)
    {
      release_document (self, g_steal_pointer (&self->document));

      /* Queued jobs still run (jobs hold a reference on the renderer, so only the release is
       * left); the pool frees itself when they are done, without blocking this thread. */
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, FALSE);
    }

  G_OBJECT_CLASS (dbw_pdf_renderer_parent_class)->dispose (object);
}

static void
dbw_pdf_renderer_finalize (GObject *object)
{
  DbwPdfRenderer *self = (DbwPdfRenderer *)object;

  g_clear_object (&self->document);
  g_clear_pointer (&self->sizes, g_array_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (dbw_pdf_renderer_parent_class)->finalize (object);
}

static void
dbw_pdf_renderer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DbwPdfRenderer *self = DBW_PDF_RENDERER (object);

  switch (prop_id)
    {
    case PROP_N_PAGES:
      g_value_set_uint (value, dbw_pdf_renderer_get_n_pages (self));
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, dbw_pdf_renderer_is_loaded (self));
      break;

    case PROP_CACHE_BUDGET:
      g_value_set_uint64 (value, self->cache_budget);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_renderer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DbwPdfRenderer *self = DBW_PDF_RENDERER (object);

  switch (prop_id)
    {
    case PROP_CACHE_BUDGET:
      dbw_pdf_renderer_set_cache_budget (self, (gsize) g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_renderer_class_init (DbwPdfRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbw_pdf_renderer_dispose;
  object_class->finalize = dbw_pdf_renderer_finalize;
  object_class->get_property = dbw_pdf_renderer_get_property;
  object_class->set_property = dbw_pdf_renderer_set_property;

  properties [PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CACHE_BUDGET] =
    g_param_spec_uint64 ("cache-budget", NULL, NULL,
                         0, G_MAXUINT64, DBW_PDF_RENDERER_DEFAULT_CACHE_BUDGET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_pdf_renderer_init (DbwPdfRenderer *self)
{
  g_autoptr(GError) error = NULL;

  /* One thread: poppler documents must not be used from two threads at once. */
  self->pool = g_thread_pool_new (worker_func, NULL, 1, FALSE, &error);
  g_assert_no_error (error);
  g_thread_pool_set_sort_function (self->pool, job_compare, NULL);

  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                       NULL, (GDestroyNotify) cache_entry_free);
  self->cache_budget = DBW_PDF_RENDERER_DEFAULT_CACHE_BUDGET;
}

DbwPdfRenderer *
dbw_pdf_renderer_new (void)
{
  return g_object_new (DBW_TYPE_PDF_RENDERER, NULL);
}

/**
 * dbw_pdf_renderer_load_async:
 * @bytes: the content of a PDF file
 *
 * Opens @bytes as the renderer's document, replacing any document it had. Fails with
 * %DBW_PDF_ERROR_EMPTY, %DBW_PDF_ERROR_ENCRYPTED or %DBW_PDF_ERROR_DAMAGED.
 */
void
dbw_pdf_renderer_load_async (DbwPdfRenderer      *self,
                             GBytes              *bytes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (DBW_IS_PDF_RENDERER (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "dbw_pdf_renderer_load_async");

  self->generation++;

  job = g_new0 (Job, 1);
  job->kind = JOB_LOAD;
  job->priority = G_PRIORITY_HIGH;
  job->bytes = g_bytes_ref (bytes);
  job->task = g_task_new (self, cancellable, load_done_cb, g_steal_pointer (&task));
  g_task_set_name (job->task, "dbw_pdf_renderer_load_async (worker)");
  g_task_set_task_data (job->task, GUINT_TO_POINTER (self->generation), NULL);
  g_task_set_check_cancellable (job->task, FALSE);
  push_job (self, job);
}

gboolean
dbw_pdf_renderer_load_finish (DbwPdfRenderer  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
dbw_pdf_renderer_is_loaded (DbwPdfRenderer *self)
{
  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), FALSE);

  return self->document != NULL;
}

guint
dbw_pdf_renderer_get_n_pages (DbwPdfRenderer *self)
{
  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), 0);

  return self->sizes != NULL ? self->sizes->len : 0;
}

/**
 * dbw_pdf_renderer_get_page_size:
 * @width: (out) (optional): the page's width in points
 * @height: (out) (optional): the page's height in points
 *
 * Returns: %FALSE when no document is loaded or @page_index is out of range
 */
gboolean
dbw_pdf_renderer_get_page_size (DbwPdfRenderer *self,
                                guint           page_index,
                                double         *width,
                                double         *height)
{
  const PageSize *size;

  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), FALSE);

  if (self->sizes == NULL || page_index >= self->sizes->len)
    return FALSE;

  size = &g_array_index (self->sizes, PageSize, page_index);
  if (width != NULL)
    *width = size->width;
  if (height != NULL)
    *height = size->height;

  return TRUE;
}

/**
 * dbw_pdf_renderer_get_max_page_size:
 *
 * The width of the widest page and the height of the tallest one, in points; zero when no
 * document is loaded.
 */
void
dbw_pdf_renderer_get_max_page_size (DbwPdfRenderer *self,
                                    double         *width,
                                    double         *height)
{
  g_return_if_fail (DBW_IS_PDF_RENDERER (self));

  if (width != NULL)
    *width = self->document != NULL ? self->max_width : 0;
  if (height != NULL)
    *height = self->document != NULL ? self->max_height : 0;
}

void
dbw_pdf_renderer_render_page_async (DbwPdfRenderer      *self,
                                    guint                page_index,
                                    double               scale,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  dbw_pdf_renderer_render_page_full_async (self, page_index, scale, G_PRIORITY_DEFAULT,
                                           cancellable, callback, user_data);
}

/**
 * dbw_pdf_renderer_render_page_full_async:
 * @scale: pixels per point
 * @io_priority: lower values render first, e.g. %G_PRIORITY_LOW for thumbnails
 *
 * Renders a page into a texture of round(width × @scale) × round(height × @scale) pixels on
 * white paper. A texture in the cache is returned without rendering again.
 */
void
dbw_pdf_renderer_render_page_full_async (DbwPdfRenderer      *self,
                                         guint                page_index,
                                         double               scale,
                                         int                  io_priority,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CacheEntry *entry;
  RenderData *data;
  Job *job;

  g_return_if_fail (DBW_IS_PDF_RENDERER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "dbw_pdf_renderer_render_page_async");

  if (self->document == NULL)
    {
      g_task_return_new_error (task, DBW_PDF_ERROR, DBW_PDF_ERROR_NOT_LOADED,
                               _("No PDF is open"));
      return;
    }

  if (page_index >= self->sizes->len)
    {
      g_task_return_new_error (task, DBW_PDF_ERROR, DBW_PDF_ERROR_INVALID_PAGE,
                               _("The PDF has no page %u"), page_index + 1);
      return;
    }

  if (!(scale > 0.0))
    {
      g_task_return_new_error (task, DBW_PDF_ERROR, DBW_PDF_ERROR_TOO_LARGE,
                               _("Page %u cannot be shown at this zoom level"), page_index + 1);
      return;
    }

  entry = cache_find (self, page_index, scale);
  if (entry != NULL)
    {
      g_task_return_pointer (task, g_object_ref (entry->texture), g_object_unref);
      return;
    }

  data = g_new0 (RenderData, 1);
  data->generation = self->generation;
  data->page_index = page_index;
  data->scale = scale;

  job = g_new0 (Job, 1);
  job->kind = JOB_RENDER;
  job->priority = io_priority;
  job->document = g_object_ref (self->document);
  job->page_index = page_index;
  job->scale = scale;
  job->task = g_task_new (self, cancellable, render_done_cb, g_steal_pointer (&task));
  g_task_set_name (job->task, "dbw_pdf_renderer_render_page_async (worker)");
  g_task_set_task_data (job->task, data, g_free);
  g_task_set_check_cancellable (job->task, FALSE);
  push_job (self, job);
}

/**
 * dbw_pdf_renderer_render_page_finish:
 *
 * Returns: (transfer full): the page's texture, or %NULL with @error set
 */
GdkTexture *
dbw_pdf_renderer_render_page_finish (DbwPdfRenderer  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_pdf_renderer_lookup:
 *
 * Returns: (transfer full) (nullable): the cached texture of the page at @scale
 */
GdkTexture *
dbw_pdf_renderer_lookup (DbwPdfRenderer *self,
                         guint           page_index,
                         double          scale)
{
  CacheEntry *entry;

  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), NULL);

  entry = cache_find (self, page_index, scale);

  return entry != NULL ? g_object_ref (entry->texture) : NULL;
}

/**
 * dbw_pdf_renderer_lookup_nearest:
 * @texture_scale: (out) (optional): the scale the returned texture was rendered at
 *
 * Finds the cached texture of the page whose scale is nearest to @scale, to show scaled
 * while the page renders at @scale.
 *
 * Returns: (transfer full) (nullable): a texture of the page, or %NULL
 */
GdkTexture *
dbw_pdf_renderer_lookup_nearest (DbwPdfRenderer *self,
                                 guint           page_index,
                                 double          scale,
                                 double         *texture_scale)
{
  CacheEntry *best = NULL;
  double best_distance = G_MAXDOUBLE;

  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), NULL);

  if (!(scale > 0.0))
    return NULL;

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    {
      CacheEntry *entry = l->data;
      double distance;

      if (entry->page_index != page_index)
        continue;

      /* Ratios, not differences: 2× too large is as far as 2× too small. */
      distance = fabs (log (entry->scale / scale));
      if (distance < best_distance)
        {
          best = entry;
          best_distance = distance;
        }
    }

  if (best == NULL)
    return NULL;

  if (texture_scale != NULL)
    *texture_scale = best->scale;

  return g_object_ref (best->texture);
}

void
dbw_pdf_renderer_clear_cache (DbwPdfRenderer *self)
{
  g_return_if_fail (DBW_IS_PDF_RENDERER (self));

  cache_trim (self, 0);
}

/**
 * dbw_pdf_renderer_get_cache_size:
 *
 * Returns: the bytes of pixels held by the cache
 */
gsize
dbw_pdf_renderer_get_cache_size (DbwPdfRenderer *self)
{
  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), 0);

  return self->cache_size;
}

gsize
dbw_pdf_renderer_get_cache_budget (DbwPdfRenderer *self)
{
  g_return_val_if_fail (DBW_IS_PDF_RENDERER (self), 0);

  return self->cache_budget;
}

void
dbw_pdf_renderer_set_cache_budget (DbwPdfRenderer *self,
                                   gsize           budget)
{
  g_return_if_fail (DBW_IS_PDF_RENDERER (self));

  if (self->cache_budget == budget)
    return;

  self->cache_budget = budget;
  cache_trim (self, budget);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CACHE_BUDGET]);
}
