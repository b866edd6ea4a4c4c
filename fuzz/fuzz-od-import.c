/* fuzz-od-import.c
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

#define G_LOG_DOMAIN "fuzz-od-import"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "dbw-item.h"
#include "dbw-label-suggestions.h"
#include "dbw-od-formats.h"
#include "dbw-record.h"
#include "dbw-sheet.h"
#include "dbw-store.h"

#include "fuzz.h"

/* Object-detection label import (dbw_od_import) of outside files. The input's first byte
 * picks the format (modulo 4: COCO, YOLO, Pascal VOC, Label Studio); the rest is the file
 * — for YOLO a board-a.txt beside a classes.txt of three classes, for VOC a board-a.xml.
 * The project's sheet has board-a.png (an image of 64 × 48) and board-b.png (no image).
 *
 * Whatever the input, the import must return a result, or %NULL with a DBW_OD_ERROR whose
 * message is UTF-8; it must never count more images than the input can name, and every
 * suggestion it stored must read back as a shape set whose shapes lie inside the image
 * when the size is known. A failed import stores nothing. */

static char *fuzz_dir;
static DbwStore *fuzz_store;
static char *fuzz_sheet_id;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
cleanup_at_exit (void)
{
  if (fuzz_store != NULL)
    dbw_store_close (fuzz_store);
  g_clear_object (&fuzz_store);
  g_clear_pointer (&fuzz_sheet_id, g_free);
  if (fuzz_dir != NULL)
    remove_tree (fuzz_dir);
  g_clear_pointer (&fuzz_dir, g_free);
}

static void
add_item (const char *item_ref,
          gboolean    with_image)
{
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(GError) error = NULL;

  dbw_item_set_sheet_id (item, fuzz_sheet_id);
  dbw_item_set_item_ref (item, item_ref);
  dbw_item_set_modality (item, DBW_MODALITY_IMAGE);
  if (with_image)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
      g_autofree char *buffer = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *hash = NULL;
      gsize len = 0;

      gdk_pixbuf_fill (pixbuf, 0);
      if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL))
        g_error ("Could not make a PNG: %s", error->message);
      bytes = g_bytes_new (buffer, len);
      hash = dbw_store_put_blob (fuzz_store, bytes, "image/png", &error);
      if (hash == NULL)
        g_error ("Could not store the image: %s", error->message);
      dbw_item_set_content_type (item, "image/png");
      dbw_item_set_blob_hash (item, hash);
    }
  if (!dbw_store_insert (fuzz_store, item, &error))
    g_error ("Could not add an item: %s", error->message);
}

static void
ensure_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (fuzz_store != NULL)
    return;

  fuzz_dir = g_dir_make_tmp ("dbw-fuzz-od-XXXXXX", &error);
  if (fuzz_dir == NULL)
    g_error ("Could not make a temporary directory: %s", error->message);
  atexit (cleanup_at_exit);

  path = g_build_filename (fuzz_dir, "fuzz.dbw", NULL);
  file = g_file_new_for_path (path);
  fuzz_store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  if (fuzz_store == NULL)
    g_error ("Could not create the project: %s", error->message);
  dbw_sheet_set_name (sheet, "Fuzz");
  if (!dbw_store_insert (fuzz_store, sheet, &error))
    g_error ("Could not add a sheet: %s", error->message);
  fuzz_sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));
  add_item ("board-a.png", TRUE);
  add_item ("board-b.png", FALSE);
}

static void
write_file (const char   *dir,
            const char   *name,
            const guint8 *data,
            gsize         size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) data, size, &error))
    g_error ("Could not write %s: %s", path, error->message);
}

static void
check_suggestions (const char *item_ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwShapeSet) set = dbw_label_suggestions_load_shapes (fuzz_store, fuzz_sheet_id, item_ref, 0, 0, &error);
  int width, height;

  if (set == NULL)
    {
      if (error != NULL)
        g_error ("A stored suggestion for %s does not read back: %s", item_ref, error->message);
      return;
    }

  width = dbw_shape_set_get_image_width (set);
  height = dbw_shape_set_get_image_height (set);
  for (guint i = 0; i < dbw_shape_set_get_n_shapes (set); i++)
    {
      const DbwShape *shape = dbw_shape_set_get_shape (set, i);

      if (!shape->suggested || shape->label == NULL || !g_utf8_validate (shape->label, -1, NULL))
        g_error ("Suggestion %u of %s is not a suggestion with a UTF-8 class", i, item_ref);
      if (width > 0 && height > 0 &&
          (shape->x < 0 || shape->y < 0 || shape->x + shape->width > width ||
           shape->y + shape->height > height || shape->width < 1 || shape->height < 1))
        g_error ("Suggestion %u of %s lies outside its %d × %d image: %g %g %g %g", i, item_ref,
                 width, height, shape->x, shape->y, shape->width, shape->height);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autofree char *input_dir = NULL;
  g_autoptr(GFile) input = NULL;
  DbwOdFormat format;

  if (size < 1)
    return 0;

  ensure_project ();
  format = (DbwOdFormat) (data[0] % 4);
  data++;
  size--;

  for (guint i = 0; i < 2; i++)
    {
      const char *refs[] = { "board-a.png", "board-b.png" };

      if (!dbw_label_suggestions_dismiss (fuzz_store, fuzz_sheet_id, refs[i], DBW_LABEL_TYPE_OBJECT_DETECTION, &error))
        g_error ("Could not clear the suggestions: %s", error->message);
    }

  input_dir = g_build_filename (fuzz_dir, "input", NULL);
  remove_tree (input_dir);
  if (g_mkdir (input_dir, 0700) != 0)
    g_error ("Could not make %s", input_dir);

  switch (format)
    {
    case DBW_OD_FORMAT_YOLO:
      write_file (input_dir, "classes.txt", (const guint8 *) "hole\nscratch\ndent\n", 17);
      write_file (input_dir, "board-a.txt", data, size);
      input = g_file_new_for_path (input_dir);
      break;
    case DBW_OD_FORMAT_VOC:
      write_file (input_dir, "board-a.xml", data, size);
      input = g_file_new_for_path (input_dir);
      break;
    case DBW_OD_FORMAT_COCO:
    case DBW_OD_FORMAT_LABEL_STUDIO:
    default:
      {
        g_autofree char *path = g_build_filename (input_dir, "labels.json", NULL);

        write_file (input_dir, "labels.json", data, size);
        input = g_file_new_for_path (path);
      }
      break;
    }

  result = dbw_od_import (fuzz_store, fuzz_sheet_id, format, input, NULL, &error);
  if (result == NULL)
    {
      if (error == NULL || error->domain != DBW_OD_ERROR)
        g_error ("The import failed with %s instead of a DbwOdError: %s",
                 error != NULL ? g_quark_to_string (error->domain) : "no error",
                 error != NULL ? error->message : "");
      if (!g_utf8_validate (error->message, -1, NULL))
        g_error ("The import's message is not UTF-8");
      if (dbw_label_suggestions_count_items (fuzz_store, fuzz_sheet_id, DBW_LABEL_TYPE_OBJECT_DETECTION, NULL) != 0)
        g_error ("A failed import stored suggestions");
      return 0;
    }

  if (result->n_images < 0 || result->n_shapes < 0 || result->unmatched == NULL)
    g_error ("The import's result is not a result");
  if ((format == DBW_OD_FORMAT_YOLO || format == DBW_OD_FORMAT_VOC) && result->n_images > 1)
    g_error ("One file gave %" G_GINT64_FORMAT " images", result->n_images);
  for (guint i = 0; result->unmatched[i] != NULL; i++)
    if (!g_utf8_validate (result->unmatched[i], -1, NULL))
      g_error ("An unmatched name is not UTF-8");

  check_suggestions ("board-a.png");
  check_suggestions ("board-b.png");
  return 0;
}
