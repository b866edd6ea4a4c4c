/* test-preview.c — the PDF and image previews of the Data stage, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "dbw-image-preview.h"
#include "dbw-image-view.h"
#include "dbw-pdf-canvas.h"
#include "dbw-pdf-renderer.h"
#include "dbw-pdf-view.h"

#define A4_WIDTH  (210.0 / 25.4 * 72.0)
#define A4_HEIGHT (297.0 / 25.4 * 72.0)
#define DPI_150   (150.0 / 72.0)

/* Where the heading of every generated page is drawn, in points. */
static graphene_rect_t heading_box;

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Drops the last reference and waits for workers still holding one to let go. */
static void
assert_finalized (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  spin_until (pointer_is_null, &weak);
}

/* Test files ---------------------------------------------------------------------------- */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* An A4 document of @n_pages pages, each with a large heading and lines of text. */
static GBytes *
make_pdf (guint n_pages)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (append_to_array, array, A4_WIDTH, A4_HEIGHT);
  cr = cairo_create (surface);

  for (guint page = 0; page < n_pages; page++)
    {
      g_autofree char *heading = g_strdup_printf ("Page %u", page + 1);
      cairo_text_extents_t extents;

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 48);
      cairo_text_extents (cr, heading, &extents);
      cairo_move_to (cr, 72, 144);
      cairo_show_text (cr, heading);
      graphene_rect_init (&heading_box, 72 + extents.x_bearing, 144 + extents.y_bearing,
                          extents.width, extents.height);

      cairo_select_font_face (cr, "serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 11);
      for (guint line = 0; line < 40; line++)
        {
          cairo_move_to (cr, 72, 200 + line * 14);
          cairo_show_text (cr, "Radiation protection survey, instrument readings and their limits.");
        }

      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

/* A one-page PDF encrypted with the standard security handler (revision 2) whose user
 * password is not empty: the /U entry does not match the empty password, so the document
 * cannot be opened without one. */
static GBytes *
make_encrypted_pdf (void)
{
  static const char *objects[] = {
    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n",
    "4 0 obj\n<< /Length 8 >>\nstream\n\x8e\x21\x5a\x03\x77\x10\xc4\x2b\nendstream\nendobj\n",
    "5 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -44"
    " /O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef>"
    " /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>\nendobj\n",
  };
  GString *pdf = g_string_new ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append (pdf, objects[i]);
    }

  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", (guint) G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf,
                          "trailer\n<< /Size %u /Root 1 0 R /Encrypt 5 0 R"
                          " /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\n"
                          "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          (guint) G_N_ELEMENTS (objects) + 1, xref);

  return g_string_free_to_bytes (pdf);
}

static GBytes *
make_png (int width,
          int height)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.9, 0.9, 0.85);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.4, 0.2);
  cairo_rectangle (cr, width / 4.0, height / 4.0, width / 2.0, height / 2.0);
  cairo_fill (cr);
  cairo_destroy (cr);

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, array), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

/* A PNG whose IHDR chunk fails its checksum: the CRC's first byte is flipped. */
static GBytes *
make_png_with_bad_crc (void)
{
  g_autoptr(GBytes) png = make_png (64, 48);
  gsize size = g_bytes_get_size (png);
  guint8 *data = g_memdup2 (g_bytes_get_data (png, NULL), size);

  /* 8 bytes of signature, then IHDR: length (4), type (4), 13 bytes of data, CRC. */
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  data[8 + 4 + 4 + 13] ^= 0xff;

  return g_bytes_new_take (data, size);
}

static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  /* Noise, so the compressed scan is most of the file. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      pixels[y * stride + x] = (guint8) ((x * 7919 + y * 104729) % 251);

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* Renderer ------------------------------------------------------------------------------ */

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
load_renderer (DbwPdfRenderer  *renderer,
               GBytes          *bytes,
               GError         **error)
{
  AsyncWait wait = { NULL };
  gboolean ok;

  dbw_pdf_renderer_load_async (renderer, bytes, NULL, async_done_cb, &wait);
  spin_until (pointer_is_set, &wait.result);
  ok = dbw_pdf_renderer_load_finish (renderer, wait.result, error);
  g_object_unref (wait.result);

  return ok;
}

static GdkTexture *
render (DbwPdfRenderer  *renderer,
        guint            page,
        double           scale,
        GCancellable    *cancellable,
        GError         **error)
{
  AsyncWait wait = { NULL };
  GdkTexture *texture;

  dbw_pdf_renderer_render_page_async (renderer, page, scale, cancellable, async_done_cb, &wait);
  spin_until (pointer_is_set, &wait.result);
  texture = dbw_pdf_renderer_render_page_finish (renderer, wait.result, error);
  g_object_unref (wait.result);

  return texture;
}

static guint32
pixel_at (const guint8 *pixels,
          gsize         stride,
          int           x,
          int           y)
{
  return *(const guint32 *) (const void *) (pixels + y * stride + x * 4);
}

static void
test_pdf_renderer_load (void)
{
  g_autoptr(DbwPdfRenderer) renderer = dbw_pdf_renderer_new ();
  g_autoptr(GBytes) pdf = make_pdf (3);
  g_autoptr(GError) error = NULL;
  double width = 0;
  double height = 0;

  g_assert_false (dbw_pdf_renderer_is_loaded (renderer));
  g_assert_cmpuint (dbw_pdf_renderer_get_n_pages (renderer), ==, 0);
  g_assert_false (dbw_pdf_renderer_get_page_size (renderer, 0, &width, &height));

  g_assert_true (load_renderer (renderer, pdf, &error));
  g_assert_no_error (error);

  g_assert_true (dbw_pdf_renderer_is_loaded (renderer));
  g_assert_cmpuint (dbw_pdf_renderer_get_n_pages (renderer), ==, 3);
  g_assert_true (dbw_pdf_renderer_get_page_size (renderer, 2, &width, &height));
  g_assert_cmpfloat_with_epsilon (width, A4_WIDTH, 0.01);
  g_assert_cmpfloat_with_epsilon (height, A4_HEIGHT, 0.01);
  g_assert_false (dbw_pdf_renderer_get_page_size (renderer, 3, &width, &height));

  assert_finalized (g_steal_pointer (&renderer));
}

static void
test_pdf_renderer_render (void)
{
  g_autoptr(DbwPdfRenderer) renderer = dbw_pdf_renderer_new ();
  g_autoptr(GBytes) pdf = make_pdf (2);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *pixels = NULL;
  gsize stride;
  guint8 darkest = 255;
  guint n_dark = 0;

  g_assert_true (load_renderer (renderer, pdf, &error));

  texture = render (renderer, 0, DPI_150, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (GDK_IS_TEXTURE (texture));

  /* pdftoppm -r 150 makes A4 1240 × 1754 pixels. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1240);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 1754);

  stride = gdk_texture_get_width (texture) * 4;
  pixels = g_malloc (stride * gdk_texture_get_height (texture));
  gdk_texture_download (texture, pixels, stride);

  /* Margins are white paper. */
  g_assert_cmphex (pixel_at (pixels, stride, 10, 10), ==, 0xffffffff);
  g_assert_cmphex (pixel_at (pixels, stride, 1200, 1700), ==, 0xffffffff);

  /* The heading's box holds black ink. */
  for (int y = (int) (heading_box.origin.y * DPI_150); y < (int) ((heading_box.origin.y + heading_box.size.height) * DPI_150); y++)
    for (int x = (int) (heading_box.origin.x * DPI_150); x < (int) ((heading_box.origin.x + heading_box.size.width) * DPI_150); x++)
      {
        guint8 green = (pixel_at (pixels, stride, x, y) >> 8) & 0xff;

        darkest = MIN (darkest, green);
        n_dark += green < 64;
      }
  g_assert_cmpuint (darkest, <, 32);
  g_assert_cmpuint (n_dark, >, 1000);

  assert_finalized (g_steal_pointer (&renderer));
}

static void
test_pdf_renderer_cache (void)
{
  g_autoptr(DbwPdfRenderer) renderer = dbw_pdf_renderer_new ();
  g_autoptr(GBytes) pdf = make_pdf (3);
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) again = NULL;
  g_autoptr(GdkTexture) lookup = NULL;
  g_autoptr(GdkTexture) small = NULL;
  g_autoptr(GdkTexture) nearest = NULL;
  g_autoptr(GdkTexture) uncached = NULL;
  g_autoptr(GError) error = NULL;
  double nearest_scale = 0;
  gsize size;

  g_assert_true (load_renderer (renderer, pdf, &error));
  g_assert_cmpuint (dbw_pdf_renderer_get_cache_budget (renderer), ==, 64 * 1024 * 1024);

  first = render (renderer, 1, 1.0, NULL, &error);
  g_assert_no_error (error);
  again = render (renderer, 1, 1.0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first == again);

  lookup = dbw_pdf_renderer_lookup (renderer, 1, 1.0);
  g_assert_true (lookup == first);
  g_assert_null (dbw_pdf_renderer_lookup (renderer, 1, 2.0));
  g_assert_null (dbw_pdf_renderer_lookup (renderer, 0, 1.0));

  size = dbw_pdf_renderer_get_cache_size (renderer);
  g_assert_cmpuint (size, ==, (gsize) gdk_texture_get_width (first) * gdk_texture_get_height (first) * 4);

  small = render (renderer, 1, 0.25, NULL, &error);
  g_assert_no_error (error);
  nearest = dbw_pdf_renderer_lookup_nearest (renderer, 1, 0.3, &nearest_scale);
  g_assert_true (nearest == small);
  g_assert_cmpfloat (nearest_scale, ==, 0.25);

  /* Least recently used goes first when the budget shrinks. */
  g_clear_object (&lookup);
  lookup = dbw_pdf_renderer_lookup (renderer, 1, 0.25);
  dbw_pdf_renderer_set_cache_budget (renderer, size);
  g_assert_null (dbw_pdf_renderer_lookup (renderer, 1, 1.0));
  g_clear_object (&lookup);
  lookup = dbw_pdf_renderer_lookup (renderer, 1, 0.25);
  g_assert_true (lookup == small);

  /* A texture larger than the budget is returned but not kept. */
  uncached = render (renderer, 0, 2.0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (dbw_pdf_renderer_lookup (renderer, 0, 2.0));

  dbw_pdf_renderer_clear_cache (renderer);
  g_assert_cmpuint (dbw_pdf_renderer_get_cache_size (renderer), ==, 0);
  g_clear_object (&lookup);
  g_assert_null (dbw_pdf_renderer_lookup (renderer, 1, 0.25));

  assert_finalized (g_steal_pointer (&renderer));
}

static void
assert_load_error (GBytes     *bytes,
                   int         code,
                   const char *message)
{
  g_autoptr(DbwPdfRenderer) renderer = dbw_pdf_renderer_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (load_renderer (renderer, bytes, &error));
  g_assert_error (error, DBW_PDF_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, message));
  g_assert_false (dbw_pdf_renderer_is_loaded (renderer));

  assert_finalized (g_steal_pointer (&renderer));
}

static void
test_pdf_renderer_errors (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("This is not a PDF, only some words.", 35);
  g_autoptr(GBytes) encrypted = make_encrypted_pdf ();
  g_autoptr(GBytes) pdf = make_pdf (4);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (pdf, 0, 200);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;

  /* The handmade file is what it claims to be: poppler itself refuses it as encrypted. */
  document = poppler_document_new_from_bytes (encrypted, NULL, &error);
  g_assert_null (document);
  g_assert_error (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED);

  assert_load_error (empty, DBW_PDF_ERROR_EMPTY, "The PDF file is empty");
  assert_load_error (encrypted, DBW_PDF_ERROR_ENCRYPTED, "The PDF is password-protected");
  assert_load_error (garbage, DBW_PDF_ERROR_DAMAGED, "The PDF could not be read: ");
  assert_load_error (truncated, DBW_PDF_ERROR_DAMAGED, "The PDF could not be read: ");
}

static void
test_pdf_renderer_render_errors (void)
{
  g_autoptr(DbwPdfRenderer) renderer = dbw_pdf_renderer_new ();
  g_autoptr(GBytes) pdf = make_pdf (2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = render (renderer, 0, 1.0, NULL, &error);
  g_assert_error (error, DBW_PDF_ERROR, DBW_PDF_ERROR_NOT_LOADED);
  g_assert_null (texture);
  g_clear_error (&error);

  g_assert_true (load_renderer (renderer, pdf, &error));

  texture = render (renderer, 2, 1.0, NULL, &error);
  g_assert_error (error, DBW_PDF_ERROR, DBW_PDF_ERROR_INVALID_PAGE);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  texture = render (renderer, 0, 1.0, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (texture);

  assert_finalized (g_steal_pointer (&renderer));
}

typedef struct
{
  guint n_done;
  guint n_cancelled;
} Many;

static void
many_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Many *many = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = dbw_pdf_renderer_render_page_finish (DBW_PDF_RENDERER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    many->n_cancelled++;
  else
    g_assert_no_error (error);
  many->n_done++;
}

static gboolean
many_finished (gpointer data)
{
  return ((Many *) data)->n_done == 24;
}

/* Many requests at once, some given up: each gets its answer, from the one worker. */
static void
test_pdf_renderer_many (void)
{
  g_autoptr(DbwPdfRenderer) renderer = dbw_pdf_renderer_new ();
  g_autoptr(GBytes) pdf = make_pdf (6);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Many many = { 0, 0 };

  g_assert_true (load_renderer (renderer, pdf, &error));

  for (guint i = 0; i < 24; i++)
    dbw_pdf_renderer_render_page_full_async (renderer, i % 6, 0.5 + (i / 6) * 0.25,
                                             i % 2 ? G_PRIORITY_LOW : G_PRIORITY_DEFAULT,
                                             i % 3 == 2 ? cancellable : NULL,
                                             many_done_cb, &many);
  g_cancellable_cancel (cancellable);
  spin_until (many_finished, &many);
  g_assert_cmpuint (many.n_cancelled, ==, 8);

  assert_finalized (g_steal_pointer (&renderer));
}

/* PDF view ------------------------------------------------------------------------------ */

static GtkWindow *
window_with (GtkWidget *child,
             int        width,
             int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_widget_set_size_request (child, width, height);
  gtk_window_set_resizable (window, FALSE);
  gtk_window_set_child (window, child);
  gtk_window_present (window);

  return window;
}

static gboolean
view_loaded (gpointer data)
{
  return !dbw_pdf_view_get_loading (DBW_PDF_VIEW (data));
}

static gboolean
widget_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static DbwPdfCanvas *
view_canvas (DbwPdfView *view)
{
  return DBW_PDF_CANVAS (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "canvas"));
}

static const char *
view_state (DbwPdfView *view)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static const char *
page_entry_text (DbwPdfView *view)
{
  GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "page_entry"));

  return gtk_editable_get_text (entry);
}

typedef struct
{
  DbwPdfCanvas *canvas;
  guint         page;
} PageWait;

/* The page shows a texture rendered for the current zoom. */
static gboolean
page_rendered (gpointer data)
{
  PageWait *wait = data;
  double scale = 0;
  GdkTexture *texture = dbw_pdf_canvas_get_texture (wait->canvas, wait->page, &scale);

  return texture != NULL &&
         lround (scale * 1000) == lround (dbw_pdf_canvas_get_page_scale (wait->canvas, wait->page) * 1000);
}

static DbwPdfView *
show_pdf (GtkWindow **window,
          GBytes     *bytes)
{
  DbwPdfView *view = DBW_PDF_VIEW (dbw_pdf_view_new ());

  g_object_ref_sink (view);
  *window = window_with (GTK_WIDGET (view), 800, 600);
  dbw_pdf_view_set_bytes (view, bytes);

  g_assert_true (dbw_pdf_view_get_loading (view));
  g_assert_cmpstr (view_state (view), ==, "loading");
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "spinner"))));

  spin_until (view_loaded, view);

  return view;
}

static void
close_view (GtkWindow *window,
            gpointer   view)
{
  gtk_window_destroy (window);
  assert_finalized (view);
}

static void
test_pdf_view_navigate (void)
{
  g_autoptr(GBytes) pdf = make_pdf (7);
  GtkWindow *window;
  DbwPdfView *view = show_pdf (&window, pdf);
  DbwPdfCanvas *canvas = view_canvas (view);
  GtkEntry *entry = GTK_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "page_entry"));

  g_assert_cmpstr (view_state (view), ==, "document");
  g_assert_null (dbw_pdf_view_get_error (view));
  g_assert_cmpuint (dbw_pdf_view_get_n_pages (view), ==, 7);
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 0);
  g_assert_cmpstr (page_entry_text (view), ==, "1 / 7");
  spin_until (widget_allocated, canvas);
  gtk_test_accessible_assert_property (canvas, GTK_ACCESSIBLE_PROPERTY_LABEL, "Page 1 of 7");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.next-page", NULL));
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 1);
  g_assert_cmpstr (page_entry_text (view), ==, "2 / 7");
  gtk_test_accessible_assert_property (canvas, GTK_ACCESSIBLE_PROPERTY_LABEL, "Page 2 of 7");

  /* Moving there scrolled the column: page 2's top is at the top of the viewport, below
   * the 12 pixels of gap above it, and the current page stays page 2. */
  {
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "scroller"));
    double page_height = round (A4_HEIGHT * dbw_pdf_view_get_zoom (view) * 96.0 / 72.0);

    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scroller)),
                                    12 + page_height, 0.5);
  }
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.previous-page", NULL));
  g_assert_cmpstr (page_entry_text (view), ==, "1 / 7");

  /* Typing a number in the entry goes there; nonsense leaves the page as it was. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "5");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 4);
  g_assert_cmpstr (page_entry_text (view), ==, "5 / 7");
  gtk_editable_set_text (GTK_EDITABLE (entry), "99");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 4);
  g_assert_cmpstr (page_entry_text (view), ==, "5 / 7");

  dbw_pdf_view_set_page (view, 6);
  g_assert_cmpstr (page_entry_text (view), ==, "7 / 7");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.next-page", NULL));
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 6);

  close_view (window, view);
}

static void
test_pdf_view_lazy_zoom (void)
{
  g_autoptr(GBytes) pdf = make_pdf (7);
  GtkWindow *window;
  DbwPdfView *view = show_pdf (&window, pdf);
  DbwPdfCanvas *canvas = view_canvas (view);
  PageWait first = { canvas, 0 };
  double fit_zoom;
  double zoom;
  double scale;

  /* Fit width: the widest page fills the viewport less its margins. */
  spin_until (page_rendered, &first);
  g_assert_true (dbw_pdf_view_get_fit_width (view));
  fit_zoom = dbw_pdf_view_get_zoom (view);
  g_assert_cmpfloat_with_epsilon (fit_zoom,
                                  (gtk_widget_get_width (GTK_WIDGET (canvas)) - 24) / (A4_WIDTH * 96.0 / 72.0),
                                  0.001);

  /* Only pages near the viewport are rendered. */
  g_assert_nonnull (dbw_pdf_canvas_get_texture (canvas, 0, NULL));
  g_assert_null (dbw_pdf_canvas_get_texture (canvas, 5, NULL));
  g_assert_null (dbw_pdf_canvas_get_texture (canvas, 6, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-in", NULL));
  zoom = dbw_pdf_view_get_zoom (view);
  g_assert_cmpfloat (zoom, >, fit_zoom);
  g_assert_false (dbw_pdf_view_get_fit_width (view));

  /* The old texture shows scaled until the page is rendered again at the new zoom. */
  g_assert_nonnull (dbw_pdf_canvas_get_texture (canvas, 0, &scale));
  spin_until (page_rendered, &first);
  dbw_pdf_canvas_get_texture (canvas, 0, &scale);
  g_assert_cmpfloat_with_epsilon (scale, zoom * 96.0 / 72.0 * gtk_widget_get_scale_factor (GTK_WIDGET (canvas)), 0.001);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.zoom-out", NULL));
  g_assert_cmpfloat (dbw_pdf_view_get_zoom (view), <, zoom);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.fit-width", NULL));
  g_assert_true (dbw_pdf_view_get_fit_width (view));
  g_assert_cmpfloat_with_epsilon (dbw_pdf_view_get_zoom (view), fit_zoom, 0.001);

  dbw_pdf_view_set_zoom (view, 1.0);
  g_assert_cmpfloat (dbw_pdf_view_get_zoom (view), ==, 1.0);

  /* After moving to the last page, it is rendered too. */
  dbw_pdf_view_set_page (view, 6);
  {
    PageWait last = { canvas, 6 };

    spin_until (page_rendered, &last);
  }

  close_view (window, view);
}

static gboolean
thumbnails_shown (gpointer data)
{
  GObject *revealer = gtk_widget_get_template_child (GTK_WIDGET (data), DBW_TYPE_PDF_VIEW, "thumbnails_revealer");

  return gtk_revealer_get_child_revealed (GTK_REVEALER (revealer));
}

static void
test_pdf_view_thumbnails (void)
{
  g_autoptr(GBytes) pdf = make_pdf (5);
  GtkWindow *window;
  DbwPdfView *view = show_pdf (&window, pdf);
  GtkListView *list = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "thumbnails_view"));
  GtkSelectionModel *selection = gtk_list_view_get_model (list);
  GListModel *pages = dbw_pdf_view_get_pages (view);

  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 5);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (pages), 4), ==, "5");

  g_assert_false (dbw_pdf_view_get_thumbnails_visible (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.toggle-thumbnails", NULL));
  g_assert_true (dbw_pdf_view_get_thumbnails_visible (view));
  spin_until (thumbnails_shown, view);

  /* Selecting a thumbnail moves to its page, and moving selects the thumbnail. */
  gtk_selection_model_select_item (selection, 3, TRUE);
  g_assert_cmpuint (dbw_pdf_view_get_page (view), ==, 3);
  g_assert_cmpstr (page_entry_text (view), ==, "4 / 5");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.previous-page", NULL));
  g_assert_true (gtk_selection_model_is_selected (selection, 2));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "pdf.toggle-thumbnails", NULL));
  g_assert_false (dbw_pdf_view_get_thumbnails_visible (view));

  /* Another document replaces the pages. */
  {
    g_autoptr(GBytes) other = make_pdf (2);

    dbw_pdf_view_set_bytes (view, other);
    spin_until (view_loaded, view);
    g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 2);
    g_assert_cmpstr (page_entry_text (view), ==, "1 / 2");
  }

  close_view (window, view);
}

static void
assert_view_error (DbwPdfView *view,
                   GBytes     *bytes,
                   int         code,
                   const char *message)
{
  AdwStatusPage *status = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (view), DBW_TYPE_PDF_VIEW, "error_page"));
  const GError *error;

  dbw_pdf_view_set_bytes (view, bytes);
  spin_until (view_loaded, view);

  error = dbw_pdf_view_get_error (view);
  g_assert_error ((GError *) error, DBW_PDF_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, message));
  g_assert_cmpstr (view_state (view), ==, "error");
  g_assert_cmpstr (adw_status_page_get_description (status), ==, error->message);
  g_assert_cmpstr (adw_status_page_get_icon_name (status), ==, "dialog-error-symbolic");
  g_assert_cmpuint (dbw_pdf_view_get_n_pages (view), ==, 0);
}

static void
test_pdf_view_errors (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("%PDF-1.7\nnot really", 19);
  g_autoptr(GBytes) encrypted = make_encrypted_pdf ();
  g_autoptr(GBytes) pdf = make_pdf (1);
  GtkWindow *window;
  DbwPdfView *view = show_pdf (&window, pdf);

  assert_view_error (view, empty, DBW_PDF_ERROR_EMPTY, "The PDF file is empty");
  assert_view_error (view, encrypted, DBW_PDF_ERROR_ENCRYPTED, "The PDF is password-protected");
  assert_view_error (view, garbage, DBW_PDF_ERROR_DAMAGED, "The PDF could not be read: ");

  /* A good document after a bad one shows, and no document shows nothing. */
  dbw_pdf_view_set_bytes (view, pdf);
  spin_until (view_loaded, view);
  g_assert_null (dbw_pdf_view_get_error (view));
  g_assert_cmpstr (view_state (view), ==, "document");

  dbw_pdf_view_set_bytes (view, NULL);
  g_assert_false (dbw_pdf_view_get_loading (view));
  g_assert_cmpstr (view_state (view), ==, "empty");
  g_assert_cmpuint (dbw_pdf_view_get_n_pages (view), ==, 0);

  /* Replaced before it finished loading: only the last one counts. */
  dbw_pdf_view_set_bytes (view, garbage);
  dbw_pdf_view_set_bytes (view, pdf);
  spin_until (view_loaded, view);
  g_assert_null (dbw_pdf_view_get_error (view));
  g_assert_cmpuint (dbw_pdf_view_get_n_pages (view), ==, 1);

  close_view (window, view);
}

/* Image view ---------------------------------------------------------------------------- */

static gboolean
image_loaded (gpointer data)
{
  return !dbw_image_view_get_loading (DBW_IMAGE_VIEW (data));
}

static DbwImagePreview *
show_image (GtkWindow **window,
            GBytes     *bytes)
{
  DbwImagePreview *preview = DBW_IMAGE_PREVIEW (dbw_image_preview_new ());
  DbwImageView *view = dbw_image_preview_get_view (preview);

  g_object_ref_sink (preview);
  *window = window_with (GTK_WIDGET (preview), 400, 300);
  dbw_image_preview_set_bytes (preview, bytes);
  g_assert_true (dbw_image_view_get_loading (view));
  g_assert_cmpstr (dbw_image_preview_get_state (preview), ==, "loading");

  spin_until (image_loaded, view);
  spin_until (widget_allocated, view);

  return preview;
}

static void
assert_point_fixed (DbwImageView *view,
                    double        zoom,
                    double        x,
                    double        y)
{
  double before_x, before_y;
  double after_x, after_y;
  double back_x, back_y;

  dbw_image_view_widget_to_image (view, x, y, &before_x, &before_y);
  dbw_image_view_zoom_at (view, zoom, x, y);
  g_assert_cmpfloat (dbw_image_view_get_zoom (view), ==, zoom);

  dbw_image_view_widget_to_image (view, x, y, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 1e-9);
  g_assert_cmpfloat_with_epsilon (after_y, before_y, 1e-9);

  dbw_image_view_image_to_widget (view, after_x, after_y, &back_x, &back_y);
  g_assert_cmpfloat_with_epsilon (back_x, x, 1e-9);
  g_assert_cmpfloat_with_epsilon (back_y, y, 1e-9);
}

static void
test_image_view_zoom (void)
{
  g_autoptr(GBytes) png = make_png (800, 600);
  GtkWindow *window;
  DbwImagePreview *preview = show_image (&window, png);
  DbwImageView *view = dbw_image_preview_get_view (preview);
  GdkTexture *texture = dbw_image_view_get_texture (view);
  double x, y;

  g_assert_cmpstr (dbw_image_preview_get_state (preview), ==, "image");
  g_assert_null (dbw_image_view_get_error (view));
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 800);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), ==, 400);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (view)), ==, 300);
  gtk_test_accessible_assert_property (view, GTK_ACCESSIBLE_PROPERTY_LABEL, "Image, 800 × 600 pixels");

  /* Fitted: half size, filling the view, corners on corners. */
  g_assert_true (dbw_image_view_get_fit (view));
  g_assert_cmpfloat (dbw_image_view_get_zoom (view), ==, 0.5);
  dbw_image_view_widget_to_image (view, 0, 0, &x, &y);
  g_assert_cmpfloat (x, ==, 0);
  g_assert_cmpfloat (y, ==, 0);
  dbw_image_view_widget_to_image (view, 400, 300, &x, &y);
  g_assert_cmpfloat (x, ==, 800);
  g_assert_cmpfloat (y, ==, 600);

  /* Zooming keeps the image point under the pointer where it is. */
  assert_point_fixed (view, 1.0, 120, 90);
  g_assert_false (dbw_image_view_get_fit (view));
  assert_point_fixed (view, 3.5, 310.5, 42.25);
  assert_point_fixed (view, 1.5, 17, 280);

  /* 1:1 on this screen is one image pixel on one pixel. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "image.original-size", NULL));
  g_assert_cmpfloat (dbw_image_view_get_zoom (view), ==, 1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (view)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "image.fit", NULL));
  g_assert_true (dbw_image_view_get_fit (view));
  g_assert_cmpfloat (dbw_image_view_get_zoom (view), ==, 0.5);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "image.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (dbw_image_view_get_zoom (view), 0.625, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "image.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (dbw_image_view_get_zoom (view), 0.5, 1e-9);

  /* Zoomed out, the image stays inside the view. */
  dbw_image_view_zoom_at (view, 0.25, 5, 5);
  dbw_image_view_image_to_widget (view, 0, 0, &x, &y);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  dbw_image_view_image_to_widget (view, 800, 600, &x, &y);
  g_assert_cmpfloat (x, <=, 400);
  g_assert_cmpfloat (y, <=, 300);

  close_view (window, preview);
}

static void
test_image_view_formats (void)
{
  g_autoptr(GBytes) jpeg = make_jpeg (320, 200);
  GtkWindow *window;
  DbwImagePreview *preview = show_image (&window, jpeg);
  DbwImageView *view = dbw_image_preview_get_view (preview);

  g_assert_null (dbw_image_view_get_error (view));
  g_assert_cmpstr (dbw_image_preview_get_state (preview), ==, "image");
  g_assert_cmpint (gdk_texture_get_width (dbw_image_view_get_texture (view)), ==, 320);
  /* Fitting scales small images up too. */
  g_assert_cmpfloat (dbw_image_view_get_zoom (view), ==, 1.25);

  dbw_image_preview_set_bytes (preview, NULL);
  g_assert_cmpstr (dbw_image_preview_get_state (preview), ==, "empty");
  g_assert_null (dbw_image_view_get_texture (view));

  close_view (window, preview);
}

static void
assert_image_error (DbwImagePreview *preview,
                    GBytes          *bytes,
                    int              code,
                    const char      *prefix,
                    const char      *reason)
{
  DbwImageView *view = dbw_image_preview_get_view (preview);
  AdwStatusPage *status = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (preview), DBW_TYPE_IMAGE_PREVIEW, "error_page"));
  const GError *error;

  dbw_image_preview_set_bytes (preview, bytes);
  spin_until (image_loaded, view);

  error = dbw_image_view_get_error (view);
  g_assert_error ((GError *) error, DBW_IMAGE_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  if (reason != NULL && strstr (error->message, reason) == NULL)
    g_error ("“%s” does not name the reason “%s”", error->message, reason);
  g_assert_null (dbw_image_view_get_texture (view));
  g_assert_cmpstr (dbw_image_preview_get_state (preview), ==, "error");
  g_assert_cmpstr (adw_status_page_get_description (status), ==, error->message);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
}

static void
test_image_view_errors (void)
{
  g_autoptr(GBytes) png = make_png (64, 48);
  g_autoptr(GBytes) bad_crc = make_png_with_bad_crc ();
  g_autoptr(GBytes) jpeg = make_jpeg (320, 200);
  g_autoptr(GBytes) truncated_jpeg = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) truncated_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 20);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("plain text, not an image", 24);
  GtkWindow *window;
  DbwImagePreview *preview = show_image (&window, png);

  /* GdkPixbuf itself refuses the broken checksum... */
  {
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
    g_autoptr(GError) error = NULL;

    gdk_pixbuf_loader_write (loader, g_bytes_get_data (bad_crc, NULL), g_bytes_get_size (bad_crc), NULL);
    g_assert_false (gdk_pixbuf_loader_close (loader, &error));
    g_assert_nonnull (error);
  }

  /* ...and the view says so, naming GdkPixbuf's reason. */
  assert_image_error (preview, bad_crc, DBW_IMAGE_ERROR_DAMAGED, "The image could not be read: ", "CRC");
  assert_image_error (preview, truncated_jpeg, DBW_IMAGE_ERROR_TRUNCATED, "The image could not be read: ", "JPEG");
  assert_image_error (preview, truncated_png, DBW_IMAGE_ERROR_TRUNCATED, "The image could not be read: ", "PNG");
  assert_image_error (preview, empty, DBW_IMAGE_ERROR_EMPTY, "The image file is empty", NULL);
  assert_image_error (preview, garbage, DBW_IMAGE_ERROR_UNSUPPORTED, "The image format is not supported: ", NULL);

  /* A good image after a bad one shows. */
  dbw_image_preview_set_bytes (preview, png);
  spin_until (image_loaded, dbw_image_preview_get_view (preview));
  g_assert_cmpstr (dbw_image_preview_get_state (preview), ==, "image");
  g_assert_null (dbw_image_view_get_error (dbw_image_preview_get_view (preview)));

  close_view (window, preview);
}

/* Every file cut short is refused, whatever byte it ends on; the files whole are shown. */
static void
assert_every_prefix_refused (DbwImageView *view,
                             GBytes       *whole,
                             gsize         shortest_shown)
{
  gsize size = g_bytes_get_size (whole);

  for (gsize length = 1; length <= size; length++)
    {
      g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (whole, 0, length);

      dbw_image_view_set_bytes (view, prefix);
      spin_until (image_loaded, view);

      if (length >= shortest_shown)
        {
          g_assert_no_error ((GError *) dbw_image_view_get_error (view));
          g_assert_nonnull (dbw_image_view_get_texture (view));
        }
      else
        {
          g_assert_nonnull (dbw_image_view_get_error (view));
          g_assert_null (dbw_image_view_get_texture (view));
        }
    }
}

static void
test_image_view_truncations (void)
{
  g_autoptr(GBytes) png = make_png (32, 24);
  g_autoptr(GBytes) jpeg = make_jpeg (24, 16);
  DbwImageView *view = DBW_IMAGE_VIEW (dbw_image_view_new ());

  g_object_ref_sink (view);

  /* A PNG missing only its end chunk's checksum has all of its image. */
  assert_every_prefix_refused (view, png, g_bytes_get_size (png) - 4);
  assert_every_prefix_refused (view, jpeg, g_bytes_get_size (jpeg));

  assert_finalized (view);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/preview/pdf-renderer/load", test_pdf_renderer_load);
  g_test_add_func ("/preview/pdf-renderer/render-150dpi", test_pdf_renderer_render);
  g_test_add_func ("/preview/pdf-renderer/cache", test_pdf_renderer_cache);
  g_test_add_func ("/preview/pdf-renderer/load-errors", test_pdf_renderer_errors);
  g_test_add_func ("/preview/pdf-renderer/render-errors", test_pdf_renderer_render_errors);
  g_test_add_func ("/preview/pdf-renderer/many-requests", test_pdf_renderer_many);
  g_test_add_func ("/preview/pdf-view/navigate", test_pdf_view_navigate);
  g_test_add_func ("/preview/pdf-view/lazy-render-and-zoom", test_pdf_view_lazy_zoom);
  g_test_add_func ("/preview/pdf-view/thumbnails", test_pdf_view_thumbnails);
  g_test_add_func ("/preview/pdf-view/errors", test_pdf_view_errors);
  g_test_add_func ("/preview/image-view/zoom-and-fit", test_image_view_zoom);
  g_test_add_func ("/preview/image-view/formats", test_image_view_formats);
  g_test_add_func ("/preview/image-view/errors", test_image_view_errors);
  g_test_add_func ("/preview/image-view/every-truncation", test_image_view_truncations);

  return g_test_run ();
}
