/* bench-pdf-render.c
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

#define G_LOG_DOMAIN "bench-pdf-render"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>

#include "dbw-pdf-renderer.h"

/* Renders page 1 of a dense A4 page (text in three fonts, a ruled table, a vector figure)
 * at 150 dpi with DbwPdfRenderer, and compares the time with `pdftoppm -r 150` rendering the
 * same page of the same file. Both sides go from the file's bytes to pixels: the renderer's
 * timed region creates a renderer (so nothing is cached), opens the document from bytes,
 * renders and waits for the texture on the main loop; pdftoppm's covers spawning it and
 * waiting for it to exit, which includes opening the file and writing a PNG. Each side runs
 * five times, interleaved, and the best time of each is compared. */

#define N_RUNS  5
#define TARGET  1.2
#define DPI     150.0
#define A4_WIDTH  (210.0 / 25.4 * 72.0)
#define A4_HEIGHT (297.0 / 25.4 * 72.0)
#define N_TABLE_ROWS 14

static char *pdftoppm_path = NULL;

static const GOptionEntry entries[] = {
  { "pdftoppm", 0, 0, G_OPTION_ARG_FILENAME, &pdftoppm_path, "The pdftoppm program", "PATH" },
  { NULL }
};

static const char *words[] = {
  "survey", "contamination", "instrument", "calibration", "removable", "activity", "wipe",
  "sample", "reading", "limit", "counts", "per", "minute", "background", "detector", "area",
  "surface", "the", "of", "and", "is", "a", "to", "in", "with", "each", "record", "source",
  "shielding", "dose", "rate", "monitor", "procedure", "frisker", "efficiency", "release",
};

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* Fills the width between @x and @x + @width with words until @n_lines lines are set. */
static double
draw_paragraph (cairo_t *cr,
                GRand   *rand,
                double   x,
                double   y,
                double   width,
                double   line_height,
                guint    n_lines)
{
  for (guint line = 0; line < n_lines; line++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      cairo_text_extents_t extents;

      for (;;)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
          gsize before = text->len;

          if (before > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, word);
          cairo_text_extents (cr, text->str, &extents);
          if (extents.x_advance > width)
            {
              g_string_truncate (text, before);
              break;
            }
        }

      cairo_move_to (cr, x, y);
      cairo_show_text (cr, text->str);
      y += line_height;
    }

  return y;
}

static void
draw_table (cairo_t *cr,
            GRand   *rand,
            double   x,
            double   y,
            guint    n_rows)
{
  static const double widths[] = { 90, 70, 70, 70, 70, 81 };
  static const char *headings[] = { "Location", "Gross cpm", "Bkg cpm", "Net cpm", "dpm/100cm²", "Result" };
  const double row_height = 14;
  double table_width = 0;

  for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
    table_width += widths[c];

  cairo_set_source_rgb (cr, 0.88, 0.9, 0.93);
  cairo_rectangle (cr, x, y, table_width, row_height);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.6);
  for (guint r = 0; r <= n_rows + 1; r++)
    {
      cairo_move_to (cr, x, y + r * row_height);
      cairo_line_to (cr, x + table_width, y + r * row_height);
    }
  for (guint c = 0, cx = 0; c <= G_N_ELEMENTS (widths); c++)
    {
      cairo_move_to (cr, x + cx, y);
      cairo_line_to (cr, x + cx, y + (n_rows + 1) * row_height);
      if (c < G_N_ELEMENTS (widths))
        cx += widths[c];
    }
  cairo_stroke (cr);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 8);
  for (guint c = 0, cx = 0; c < G_N_ELEMENTS (widths); cx += widths[c], c++)
    {
      cairo_move_to (cr, x + cx + 3, y + 10);
      cairo_show_text (cr, headings[c]);
    }

  cairo_select_font_face (cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  for (guint r = 0; r < n_rows; r++)
    {
      double gross = g_rand_double_range (rand, 40, 900);
      double background = g_rand_double_range (rand, 30, 60);
      double net = gross - background;

      for (guint c = 0, cx = 0; c < G_N_ELEMENTS (widths); cx += widths[c], c++)
        {
          g_autofree char *cell = NULL;

          switch (c)
            {
            case 0: cell = g_strdup_printf ("B114-%02u", r + 1); break;
            case 1: cell = g_strdup_printf ("%.0f", gross); break;
            case 2: cell = g_strdup_printf ("%.0f", background); break;
            case 3: cell = g_strdup_printf ("%.0f", net); break;
            case 4: cell = g_strdup_printf ("%.1f", net / 0.18); break;
            default: cell = g_strdup (net > 500 ? "DECON" : "pass"); break;
            }

          cairo_move_to (cr, x + cx + 3, y + (r + 1) * row_height + 10);
          cairo_show_text (cr, cell);
        }
    }
}

static void
draw_figure (cairo_t *cr,
             double   x,
             double   y,
             double   width,
             double   height)
{
  /* Axes with ticks. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x, y + height);
  cairo_line_to (cr, x + width, y + height);
  cairo_stroke (cr);
  for (guint i = 0; i <= 10; i++)
    {
      cairo_move_to (cr, x + i * width / 10, y + height);
      cairo_line_to (cr, x + i * width / 10, y + height + 4);
      cairo_move_to (cr, x - 4, y + i * height / 10);
      cairo_line_to (cr, x, y + i * height / 10);
    }
  cairo_stroke (cr);

  /* A filled area under a decay curve, a second dashed curve and scattered markers. */
  cairo_move_to (cr, x, y + height);
  for (guint i = 0; i <= 200; i++)
    {
      double t = i / 200.0;

      cairo_line_to (cr, x + t * width, y + height - height * 0.9 * exp (-3.0 * t));
    }
  cairo_line_to (cr, x + width, y + height);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.2, 0.45, 0.8, 0.35);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.3, 0.7);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);

  cairo_set_dash (cr, (double[]) { 4, 2 }, 2, 0);
  cairo_set_source_rgb (cr, 0.8, 0.3, 0.1);
  cairo_move_to (cr, x, y + height * 0.3);
  cairo_curve_to (cr, x + width * 0.3, y + height * 0.9, x + width * 0.6, y + height * 0.1, x + width, y + height * 0.6);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  for (guint i = 0; i < 40; i++)
    {
      double t = i / 40.0;

      cairo_arc (cr, x + t * width, y + height - height * 0.9 * exp (-3.0 * t) + 6 * sin (i * 1.7),
                 1.8, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static GBytes *
make_page (void)
{
  GByteArray *array = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260214);
  cairo_surface_t *surface;
  cairo_t *cr;
  double y;

  surface = cairo_pdf_surface_create_for_stream (append_to_array, array, A4_WIDTH, A4_HEIGHT);
  cr = cairo_create (surface);

  /* Header and rule. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 9);
  cairo_move_to (cr, 56, 48);
  cairo_show_text (cr, "Northfield Research Reactor — Radiation Protection Group");
  cairo_move_to (cr, 470, 48);
  cairo_show_text (cr, "RSP-014 Rev. 3");
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, 56, 56);
  cairo_line_to (cr, A4_WIDTH - 56, 56);
  cairo_stroke (cr);

  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 56, 84);
  cairo_show_text (cr, "Contamination Surveys with Portable Instruments");

  /* Body text in a serif face, two columns. */
  cairo_select_font_face (cr, "serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 9);
  draw_paragraph (cr, rand, 56, 104, 232, 11, 20);
  y = draw_paragraph (cr, rand, 306, 104, 232, 11, 20);

  /* Italic notes. */
  cairo_select_font_face (cr, "serif", CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 8);
  y = draw_paragraph (cr, rand, 56, y + 6, 482, 10, 4);

  draw_table (cr, rand, 56, y + 8, N_TABLE_ROWS);
  y += 8 + (N_TABLE_ROWS + 1) * 14 + 16;

  draw_figure (cr, 80, y, 250, 150);

  /* Sans-serif text beside the figure and monospace instrument log below it. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 8.5);
  draw_paragraph (cr, rand, 350, y + 6, 188, 10.5, 13);

  cairo_select_font_face (cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 7.5);
  draw_paragraph (cr, rand, 56, y + 176, 482, 9, 6);

  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    g_error ("Could not make the test page: %s", cairo_status_to_string (cairo_surface_status (surface)));
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/* The renderer's side: bytes → open document → texture at 150 dpi, nothing cached. */
static gboolean
run_renderer (GBytes  *pdf,
              double  *seconds,
              int     *width,
              int     *height,
              GError **error)
{
  g_autoptr(DbwPdfRenderer) renderer = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) rendered = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 start;

  start = g_get_monotonic_time ();

  renderer = dbw_pdf_renderer_new ();
  dbw_pdf_renderer_load_async (renderer, pdf, NULL, done_cb, &loaded);
  if (!dbw_pdf_renderer_load_finish (renderer, wait_for (&loaded), error))
    return FALSE;

  dbw_pdf_renderer_render_page_async (renderer, 0, DPI / 72.0, NULL, done_cb, &rendered);
  texture = dbw_pdf_renderer_render_page_finish (renderer, wait_for (&rendered), error);
  if (texture == NULL)
    return FALSE;

  *seconds = seconds_since (start);
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);

  return TRUE;
}

/* The reference side: pdftoppm -r 150 -f 1 -l 1 -png, spawned and waited for. Also timed
 * writing PPM, which skips PNG compression, for a note on stderr. */
static gboolean
run_pdftoppm (const char  *pdf_path,
              const char  *out_prefix,
              const char  *format,
              double      *seconds,
              GError     **error)
{
  /* Without a format option pdftoppm writes PPM. */
  const char *argv[] = { pdftoppm_path, "-r", "150", "-f", "1", "-l", "1", pdf_path, out_prefix, NULL, NULL };
  g_autofree char *err = NULL;
  gint64 start;
  int status;

  if (format != NULL)
    {
      argv[7] = format;
      argv[8] = pdf_path;
      argv[9] = out_prefix;
    }

  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, error))
    return FALSE;
  *seconds = seconds_since (start);

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: %s: ", pdftoppm_path, err != NULL ? g_strstrip (err) : "");
      return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *out_prefix = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *ppm_path = NULL;
  double best_renderer = G_MAXDOUBLE;
  double best_pdftoppm = G_MAXDOUBLE;
  double best_ppm = G_MAXDOUBLE;
  int width = 0;
  int height = 0;
  int png_width = 0;
  int png_height = 0;
  double ratio;

  context = g_option_context_new ("— render an A4 page at 150 dpi, compared with pdftoppm");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (pdftoppm_path == NULL)
    pdftoppm_path = g_find_program_in_path ("pdftoppm");
  if (pdftoppm_path == NULL)
    {
      g_printerr ("No pdftoppm (poppler-utils): pass --pdftoppm PATH\n");
      return 2;
    }

  tmpdir = g_dir_make_tmp ("dbw-bench-pdf-XXXXXX", &error);
  if (tmpdir == NULL)
    goto failed;

  pdf = make_page ();
  pdf_path = g_build_filename (tmpdir, "page.pdf", NULL);
  out_prefix = g_build_filename (tmpdir, "out", NULL);
  png_path = g_build_filename (tmpdir, "out-1.png", NULL);
  ppm_path = g_build_filename (tmpdir, "out-1.ppm", NULL);
  if (!g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    goto failed;

  for (guint run = 0; run < N_RUNS; run++)
    {
      double renderer_s = 0;
      double pdftoppm_s = 0;
      double ppm_s = 0;

      if (!run_renderer (pdf, &renderer_s, &width, &height, &error))
        goto failed;
      if (!run_pdftoppm (pdf_path, out_prefix, "-png", &pdftoppm_s, &error))
        goto failed;
      if (!run_pdftoppm (pdf_path, out_prefix, NULL, &ppm_s, &error))
        goto failed;

      g_printerr ("run %u: DbwPdfRenderer %.4f s, pdftoppm -png %.4f s, pdftoppm writing PPM %.4f s\n",
                  run + 1, renderer_s, pdftoppm_s, ppm_s);
      best_renderer = MIN (best_renderer, renderer_s);
      best_pdftoppm = MIN (best_pdftoppm, pdftoppm_s);
      best_ppm = MIN (best_ppm, ppm_s);
    }

  /* Both made the same picture, give or take the rounding of a fractional pixel (pdftoppm
   * rounds 1240.16 up, the renderer to the nearest), or the comparison means nothing. */
  if (gdk_pixbuf_get_file_info (png_path, &png_width, &png_height) == NULL ||
      ABS (png_width - width) > 1 || ABS (png_height - height) > 1)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "DbwPdfRenderer made %d x %d pixels, pdftoppm %d x %d", width, height, png_width, png_height);
      goto failed;
    }
  g_printerr ("page of %" G_GSIZE_FORMAT " bytes; DbwPdfRenderer %d x %d pixels, pdftoppm %d x %d\n",
              g_bytes_get_size (pdf), width, height, png_width, png_height);
  g_printerr ("note: against pdftoppm writing PPM (no PNG compression) the ratio is %.3f\n",
              best_renderer / best_ppm);

  g_unlink (png_path);
  g_unlink (ppm_path);
  g_unlink (pdf_path);
  g_rmdir (tmpdir);

  ratio = best_renderer / best_pdftoppm;
  g_print ("{\"benchmark\":\"pdf-render-a4-150dpi\",\"dbw_s\":%.4f,\"pdftoppm_s\":%.4f,"
           "\"ratio\":%.3f,\"target\":%.1f,\"pass\":%s}\n",
           best_renderer, best_pdftoppm, ratio, TARGET, ratio <= TARGET ? "true" : "false");

  return 0;

failed:
  g_printerr ("bench-pdf-render: %s\n", error->message);
  if (png_path != NULL)
    g_unlink (png_path);
  if (ppm_path != NULL)
    g_unlink (ppm_path);
  if (pdf_path != NULL)
    g_unlink (pdf_path);
  if (tmpdir != NULL)
    g_rmdir (tmpdir);

  return 1;
}
