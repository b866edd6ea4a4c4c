/* test-image.h — images as cameras write them, for tests of any layer
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

/* A JPEG stored @width × @height with an Exif orientation: 6 is a phone's portrait photo,
 * shown a quarter turn clockwise, @height wide and @width high. */
static inline GBytes *
test_make_turned_jpeg (int     width,
                       int     height,
                       guint16 orientation)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *buffer = NULL;
  gsize len = 0;
  GByteArray *jpeg = g_byte_array_new ();
  const guint8 app1[] = {
    0xff, 0xe1, 0x00, 34,
    'E', 'x', 'i', 'f', 0, 0,
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,    /* TIFF header, IFD0 at 8 */
    0x01, 0x00,                                      /* one entry */
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,  /* Orientation, SHORT, 1 */
    orientation & 0xff, orientation >> 8, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,                          /* no next IFD */
  };

  gdk_pixbuf_fill (pixbuf, 0x808080ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "jpeg", NULL, NULL));
  g_byte_array_append (jpeg, (const guint8 *) buffer, 2);  /* SOI */
  g_byte_array_append (jpeg, app1, sizeof app1);
  g_byte_array_append (jpeg, (const guint8 *) buffer + 2, len - 2);

  return g_byte_array_free_to_bytes (jpeg);
}
