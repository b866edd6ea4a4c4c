/* test-od-formats.c — object-detection exchange formats and label suggestions
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "dbw-canonical-label.h"
#include "dbw-item.h"
#include "dbw-label-suggestions.h"
#include "dbw-od-formats.h"
#include "dbw-record.h"
#include "dbw-sheet.h"
#include "test-image.h"
#include "test-util.h"

/* board-a.png (640 × 480) has its size in the label; board-b.png (333 × 217, odd on purpose)
 * only in its image; board-c.png (100 × 80) has no label. */
#define LABEL_A \
  "{\"image_width\":640,\"image_height\":480,\"objects\":[" \
  "{\"class\":\"solder_bridge\",\"bbox\":[100,120,51,25],\"component\":\"U2\"}," \
  "{\"class\":\"scratch\",\"bbox\":[0,0,1,1],\"polygon\":[[300,200],[350,210],[340,260],[301,250]]}," \
  "{\"class\":\"tombstone\",\"bbox\":[589,455,51,25]}]}"
#define LABEL_B \
  "{\"objects\":[{\"class\":\"tombstone\",\"bbox\":[1,2,331,214]}," \
  "{\"class\":\"solder_bridge\",\"bbox\":[17,33,7,3]},{\"class\":\"missing_part\",\"bbox\":[200,100,33,19]}]}"

typedef struct
{
  char     *dir;
  DbwStore *store;
  char     *sheet_id;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static char *
put_png (DbwStore *store,
         int       width,
         int       height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *buffer = NULL;
  gsize len = 0;
  char *hash;

  gdk_pixbuf_fill (pixbuf, 0x336633ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  bytes = g_bytes_new (buffer, len);
  hash = dbw_store_put_blob (store, bytes, "image/png", &error);
  g_assert_no_error (error);
  return hash;
}

static void
add_item (Fixture    *fixture,
          const char *item_ref,
          int         width,
          int         height,
          const char *label_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autofree char *hash = put_png (fixture->store, width, height);

  dbw_item_set_sheet_id (item, fixture->sheet_id);
  dbw_item_set_item_ref (item, item_ref);
  dbw_item_set_modality (item, DBW_MODALITY_IMAGE);
  dbw_item_set_content_type (item, "image/png");
  dbw_item_set_blob_hash (item, hash);
  g_assert_true (dbw_store_insert (fixture->store, item, &error));
  g_assert_no_error (error);

  if (label_data != NULL)
    {
      g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
      const char *uses[] = { DBW_USE_TRAINING, DBW_USE_EVALUATION, NULL };

      dbw_canonical_label_set_sheet_id (label, fixture->sheet_id);
      dbw_canonical_label_set_item_ref (label, item_ref);
      dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_OBJECT_DETECTION);
      dbw_canonical_label_set_label_data (label, label_data);
      dbw_canonical_label_set_allowed_uses (label, uses);
      g_assert_true (dbw_store_insert (fixture->store, label, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();

  fixture->dir = test_make_dir ();
  fixture->store = test_create_store (fixture->dir, "project.dbw");
  dbw_sheet_set_name (sheet, "Boards");
  g_assert_true (dbw_store_insert (fixture->store, sheet, &error));
  g_assert_no_error (error);
  fixture->sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));

  add_item (fixture, "board-a.png", 640, 480, LABEL_A);
  add_item (fixture, "board-b.png", 333, 217, LABEL_B);
  add_item (fixture, "board-c.png", 100, 80, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->sheet_id);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

/* The canonical label as a set, its size from the image when the label has none. */
static DbwShapeSet *
canonical_shapes (const char *label_data,
                  int         width,
                  int         height,
                  gboolean    boxes_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json (label_data, width, height, &error);
  g_autoptr(DbwShapeSet) boxes = NULL;

  g_assert_no_error (error);
  if (!boxes_only)
    return g_steal_pointer (&set);

  /* what box-only formats keep: the class and the (polygon's) box */
  boxes = dbw_shape_set_new (width, height);
  for (guint i = 0; i < dbw_shape_set_get_n_shapes (set); i++)
    {
      const DbwShape *s = dbw_shape_set_get_shape (set, i);

      dbw_shape_set_add_box (boxes, s->label, s->x, s->y, s->width, s->height);
    }
  return g_steal_pointer (&boxes);
}

static void
assert_suggestions_equal (Fixture    *fixture,
                          const char *item_ref,
                          DbwShapeSet *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwShapeSet) got = dbw_label_suggestions_load_shapes (fixture->store, fixture->sheet_id,
                                                                  item_ref, 0, 0, &error);
  g_autofree char *got_json = NULL;
  g_autofree char *expected_json = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (got);
  for (guint i = 0; i < dbw_shape_set_get_n_shapes (got); i++)
    {
      g_assert_true (dbw_shape_set_get_shape (got, i)->suggested);
      dbw_shape_set_set_suggested (got, i, FALSE);
    }
  got_json = dbw_shape_set_to_json (got);
  expected_json = dbw_shape_set_to_json (expected);
  g_assert_cmpstr (got_json, ==, expected_json);
  g_assert_true (dbw_shape_set_equal (got, expected));
}

static void
round_trip (Fixture     *fixture,
            DbwOdFormat  format,
            const char  *output_name,
            gboolean     boxes_only)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (fixture, output_name);
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autoptr(DbwShapeSet) a = canonical_shapes (LABEL_A, 640, 480, boxes_only);
  g_autoptr(DbwShapeSet) b = canonical_shapes (LABEL_B, 333, 217, boxes_only);
  gint64 n;

  n = dbw_od_export (fixture->store, fixture->sheet_id, format, output, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2);

  result = dbw_od_import (fixture->store, fixture->sheet_id, format, output, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->n_images, ==, 2);
  g_assert_cmpint (result->n_shapes, ==, 6);
  g_assert_cmpuint (g_strv_length (result->unmatched), ==, 0);

  assert_suggestions_equal (fixture, "board-a.png", a);
  assert_suggestions_equal (fixture, "board-b.png", b);
}

static void
test_od_coco_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "instances.json");
  g_autofree char *text = NULL;

  round_trip (fixture, DBW_OD_FORMAT_COCO, "instances.json", FALSE);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  /* absolute [x, y, w, h], the size read from the image when the label has none */
  g_assert_nonnull (strstr (text, "\"bbox\" : [\n        100,\n        120,\n        51,\n        25\n      ]"));
  g_assert_nonnull (strstr (text, "\"width\" : 333"));
  g_assert_nonnull (strstr (text, "\"file_name\" : \"board-b.png\""));
  /* the polygon as segmentation */
  g_assert_nonnull (strstr (text, "\"segmentation\" : [\n        [\n          300,\n          200,"));
}

static void
test_od_yolo_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *classes_path = fixture_path (fixture, "yolo/classes.txt");
  g_autofree char *a_path = fixture_path (fixture, "yolo/board-a.txt");
  g_autofree char *classes = NULL;
  g_autofree char *a = NULL;

  round_trip (fixture, DBW_OD_FORMAT_YOLO, "yolo", TRUE);

  g_assert_true (g_file_get_contents (classes_path, &classes, NULL, NULL));
  g_assert_cmpstr (classes, ==, "solder_bridge\nscratch\ntombstone\nmissing_part\n");
  g_assert_true (g_file_get_contents (a_path, &a, NULL, NULL));
  /* (100 + 25.5) / 640, (120 + 12.5) / 480, 51 / 640, 25 / 480 */
  g_assert_true (g_str_has_prefix (a, "0 0.19609375 0.2760416667 0.0796875 0.0520833333\n"));
}

static void
test_od_voc_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *b_path = fixture_path (fixture, "voc/board-b.xml");
  g_autofree char *b = NULL;

  round_trip (fixture, DBW_OD_FORMAT_VOC, "voc", TRUE);

  g_assert_true (g_file_get_contents (b_path, &b, NULL, NULL));
  g_assert_nonnull (strstr (b, "<filename>board-b.png</filename>"));
  g_assert_nonnull (strstr (b, "<width>333</width>"));
  g_assert_nonnull (strstr (b, "<height>217</height>"));
  g_assert_nonnull (strstr (b, "<xmin>17</xmin>\n      <ymin>33</ymin>\n      <xmax>24</xmax>\n      <ymax>36</ymax>"));
}

static void
test_od_yolo_line_precision (void)
{
  /* whole-pixel boxes on awkward image sizes come back exactly */
  const int sizes[][2] = { { 1597, 1201 }, { 333, 217 }, { 7, 3 }, { 40000, 30011 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (int x = 0; x < sizes[s][0]; x += MAX (1, sizes[s][0] / 37))
      for (int w = 1; x + w <= sizes[s][0]; w += MAX (1, sizes[s][0] / 11))
        {
          int y = (x * 7) % sizes[s][1], h = MAX (1, MIN (w, sizes[s][1] - y));
          DbwShape shape = { DBW_SHAPE_BOX, (char *) "c", x, y, w, h, NULL, NULL, FALSE };
          g_autofree char *line = dbw_od_yolo_line (&shape, 3, sizes[s][0], sizes[s][1]);
          g_autoptr(GError) error = NULL;
          double px, py, pw, ph;
          int cls;

          g_assert_true (dbw_od_parse_yolo_line (line, sizes[s][0], sizes[s][1], &cls, &px, &py, &pw, &ph, &error));
          g_assert_no_error (error);
          g_assert_cmpint (cls, ==, 3);
          g_assert_cmpfloat (px, ==, x);
          g_assert_cmpfloat (py, ==, y);
          g_assert_cmpfloat (pw, ==, w);
          g_assert_cmpfloat (ph, ==, h);
        }
}

static void
test_od_label_studio (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (fixture, "project-1.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autoptr(DbwShapeSet) a = NULL;
  g_autoptr(DbwShapeSet) c = NULL;
  const DbwShape *shape;

  write_text (path,
    "[{\"id\": 1, \"data\": {\"image\": \"/data/upload/1/0a1b2c3d-board-a.png\"},\n"
    "  \"annotations\": [\n"
    "   {\"was_cancelled\": false, \"result\": [\n"
    "    {\"type\": \"rectanglelabels\", \"original_width\": 640, \"original_height\": 480,\n"
    "     \"value\": {\"x\": 10, \"y\": 25, \"width\": 50, \"height\": 12.5, \"rotation\": 0,\n"
    "                \"rectanglelabels\": [\"scratch\"]}},\n"
    "    {\"type\": \"choices\", \"value\": {\"choices\": [\"fail\"]}},\n"
    "    {\"type\": \"polygonlabels\", \"original_width\": 640, \"original_height\": 480,\n"
    "     \"value\": {\"points\": [[50, 50], [75, 50], [75, 100]], \"polygonlabels\": [\"dent\"]}}]},\n"
    "   {\"was_cancelled\": true, \"result\": [\n"
    "    {\"type\": \"rectanglelabels\", \"original_width\": 640, \"original_height\": 480,\n"
    "     \"value\": {\"x\": 0, \"y\": 0, \"width\": 1, \"height\": 1, \"rectanglelabels\": [\"cancelled\"]}}]}]},\n"
    " {\"id\": 2, \"data\": {\"img\": \"board-c.png\"}, \"annotations\": [],\n"
    "  \"predictions\": [{\"result\": [\n"
    "    {\"type\": \"rectanglelabels\",\n"
    "     \"value\": {\"x\": 10, \"y\": 10, \"width\": 20, \"height\": 25, \"rectanglelabels\": [\"hole\"]}}]}]},\n"
    " {\"id\": 3, \"data\": {\"image\": \"s3://bucket/elsewhere.png\"}, \"annotations\": []}]\n");

  result = dbw_od_import (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_LABEL_STUDIO, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->n_images, ==, 2);
  g_assert_cmpint (result->n_shapes, ==, 3);
  g_assert_cmpuint (g_strv_length (result->unmatched), ==, 1);
  g_assert_cmpstr (result->unmatched[0], ==, "s3://bucket/elsewhere.png");

  a = dbw_label_suggestions_load_shapes (fixture->store, fixture->sheet_id, "board-a.png", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (a), ==, 2);
  g_assert_cmpint (dbw_shape_set_get_image_width (a), ==, 640);
  shape = dbw_shape_set_get_shape (a, 0);
  g_assert_cmpstr (shape->label, ==, "scratch");
  g_assert_cmpfloat (shape->x, ==, 64);
  g_assert_cmpfloat (shape->y, ==, 120);
  g_assert_cmpfloat (shape->width, ==, 320);
  g_assert_cmpfloat (shape->height, ==, 60);
  shape = dbw_shape_set_get_shape (a, 1);
  g_assert_cmpint (shape->kind, ==, DBW_SHAPE_POLYGON);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 2).x, ==, 480);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 2).y, ==, 480);

  /* no original size in the prediction: the item's image (100 × 80) gives it */
  c = dbw_label_suggestions_load_shapes (fixture->store, fixture->sheet_id, "board-c.png", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (c), ==, 1);
  shape = dbw_shape_set_get_shape (c, 0);
  g_assert_cmpfloat (shape->x, ==, 10);
  g_assert_cmpfloat (shape->y, ==, 8);
  g_assert_cmpfloat (shape->width, ==, 20);
  g_assert_cmpfloat (shape->height, ==, 20);
}

/* Person-layout annotations (VOC 2007–2012) give an object parts with names and boxes of
 * their own: the object keeps its own name and box. */
static void
test_od_voc_parts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fixture_path (fixture, "voc-parts");
  g_autofree char *a = fixture_path (fixture, "voc-parts/board-a.xml");
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autoptr(DbwShapeSet) shapes = NULL;
  const DbwShape *shape;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  write_text (a, "<annotation>\n  <filename>board-a.png</filename>\n"
                 "  <size><width>640</width><height>480</height><depth>3</depth></size>\n"
                 "  <object>\n    <name>person</name>\n"
                 "    <bndbox><xmin>174</xmin><ymin>101</ymin><xmax>349</xmax><ymax>351</ymax></bndbox>\n"
                 "    <part><name>head</name><bndbox><xmin>169</xmin><ymin>104</ymin><xmax>209</xmax><ymax>146</ymax></bndbox></part>\n"
                 "    <part><name>hand</name><bndbox><xmin>278</xmin><ymin>210</ymin><xmax>297</xmax><ymax>233</ymax></bndbox></part>\n"
                 "  </object>\n</annotation>\n");

  result = dbw_od_import (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_VOC, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->n_shapes, ==, 1);
  shapes = dbw_label_suggestions_load_shapes (fixture->store, fixture->sheet_id, "board-a.png", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (shapes), ==, 1);
  shape = dbw_shape_set_get_shape (shapes, 0);
  g_assert_cmpstr (shape->label, ==, "person");
  g_assert_cmpfloat (shape->x, ==, 174);
  g_assert_cmpfloat (shape->y, ==, 101);
  g_assert_cmpfloat (shape->width, ==, 175);
  g_assert_cmpfloat (shape->height, ==, 250);
}

/* YOLO gives boxes as shares of the image as it is shown: a portrait photo stored on its
 * side scales them by its upright size. */
static void
test_od_yolo_turned_photo (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = test_make_turned_jpeg (400, 300, 6);
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autofree char *hash = NULL;
  g_autofree char *dir = fixture_path (fixture, "portraits");
  g_autofree char *classes = fixture_path (fixture, "portraits/classes.txt");
  g_autofree char *txt = fixture_path (fixture, "portraits/portrait.txt");
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autoptr(DbwShapeSet) shapes = NULL;
  const DbwShape *shape;

  hash = dbw_store_put_blob (fixture->store, jpeg, "image/jpeg", &error);
  g_assert_no_error (error);
  dbw_item_set_sheet_id (item, fixture->sheet_id);
  dbw_item_set_item_ref (item, "portrait.jpg");
  dbw_item_set_modality (item, DBW_MODALITY_IMAGE);
  dbw_item_set_content_type (item, "image/jpeg");
  dbw_item_set_blob_hash (item, hash);
  g_assert_true (dbw_store_insert (fixture->store, item, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  write_text (classes, "person\n");
  write_text (txt, "0 0.5 0.75 1 0.5\n");
  result = dbw_od_import (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_YOLO, file, NULL, &error);
  g_assert_no_error (error);

  shapes = dbw_label_suggestions_load_shapes (fixture->store, fixture->sheet_id, "portrait.jpg", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_shape_set_get_image_width (shapes), ==, 300);
  g_assert_cmpint (dbw_shape_set_get_image_height (shapes), ==, 400);
  shape = dbw_shape_set_get_shape (shapes, 0);
  g_assert_cmpfloat (shape->x, ==, 0);
  g_assert_cmpfloat (shape->y, ==, 200);
  g_assert_cmpfloat (shape->width, ==, 300);
  g_assert_cmpfloat (shape->height, ==, 200);
}

static void
test_od_unmatched (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fixture_path (fixture, "labels");
  g_autofree char *classes = fixture_path (fixture, "labels/classes.txt");
  g_autofree char *c = fixture_path (fixture, "labels/board-c.txt");
  g_autofree char *other = fixture_path (fixture, "labels/IMG_0042.txt");
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(DbwOdImportResult) result = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  write_text (classes, "hole\nscratch\n");
  write_text (c, "1 0.5 0.5 0.5 0.5\n\n");
  write_text (other, "0 0.5 0.5 0.1 0.1\n");

  result = dbw_od_import (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_YOLO, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->n_images, ==, 1);
  g_assert_cmpint (result->n_shapes, ==, 1);
  g_assert_cmpuint (g_strv_length (result->unmatched), ==, 1);
  g_assert_cmpstr (result->unmatched[0], ==, "IMG_0042");
}

static void
assert_import_error (Fixture     *fixture,
                     DbwOdFormat  format,
                     const char  *input,
                     const char  *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (fixture, input);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DbwOdImportResult) result = dbw_od_import (fixture->store, fixture->sheet_id, format, file, NULL, &error);

  g_assert_null (result);
  g_assert_nonnull (error);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
}

static void
test_od_errors (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *bad_json = fixture_path (fixture, "bad.json");
  g_autofree char *bad_bbox = fixture_path (fixture, "bbox.json");
  g_autofree char *ls = fixture_path (fixture, "ls.json");
  g_autofree char *yolo = fixture_path (fixture, "yolo");
  g_autofree char *yolo_classes = fixture_path (fixture, "yolo/classes.txt");
  g_autofree char *yolo_a = fixture_path (fixture, "yolo/board-a.txt");
  g_autofree char *voc = fixture_path (fixture, "voc");
  g_autofree char *voc_a = fixture_path (fixture, "voc/board-a.xml");
  g_autofree char *empty = fixture_path (fixture, "empty");

  write_text (bad_json, "{\n  \"images\": [\n    {\"id\": 1,}\n  ]\n}\n");
  assert_import_error (fixture, DBW_OD_FORMAT_COCO, "bad.json", "bad.json:3:");

  write_text (bad_bbox, "{\"images\": [{\"id\": 7, \"file_name\": \"board-a.png\"}],"
                        " \"categories\": [{\"id\": 1, \"name\": \"hole\"}],"
                        " \"annotations\": [{\"image_id\": 7, \"category_id\": 1, \"bbox\": [1, 2, 3, 4]},"
                        "  {\"image_id\": 7, \"category_id\": 1, \"bbox\": [1, 2, 3]}]}");
  assert_import_error (fixture, DBW_OD_FORMAT_COCO, "bbox.json", "bbox.json: $.annotations[1].bbox:");

  write_text (ls, "[{\"data\": {\"image\": \"board-a.png\"}, \"annotations\": [{\"result\": ["
                  "{\"type\": \"rectanglelabels\", \"value\": {\"x\": 1, \"y\": \"2\", \"width\": 3, \"height\": 4,"
                  " \"rectanglelabels\": [\"hole\"]}}]}]}]");
  assert_import_error (fixture, DBW_OD_FORMAT_LABEL_STUDIO, "ls.json",
                       "ls.json: $[0].annotations[0].result[0].value.y:");

  /* members of unexpected types are reported, not trusted */
  write_text (bad_bbox, "{\"images\": [{\"id\": 7, \"file_name\": [\"board-a.png\"]}]}");
  assert_import_error (fixture, DBW_OD_FORMAT_COCO, "bbox.json", "bbox.json: $.images[0]:");
  write_text (ls, "[{\"data\": {\"image\": \"board-a.png\"}, \"annotations\": [{\"was_cancelled\": [],"
                  " \"result\": [{\"type\": 5, \"value\": []}, {\"type\": \"polygonlabels\", \"value\": "
                  "{\"points\": [[1, 2], [3, 4]], \"polygonlabels\": [\"dent\"]}}]}]}]");
  assert_import_error (fixture, DBW_OD_FORMAT_LABEL_STUDIO, "ls.json",
                       "ls.json: $[0].annotations[0].result[1].value.points: a polygon needs at least three points");

  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  assert_import_error (fixture, DBW_OD_FORMAT_YOLO, "empty", "classes.txt");

  g_assert_cmpint (g_mkdir (yolo, 0700), ==, 0);
  write_text (yolo_classes, "hole\n");
  write_text (yolo_a, "0 0.5 0.5 0.1 0.1\n0 0.5 0.5 0.1\n");
  assert_import_error (fixture, DBW_OD_FORMAT_YOLO, "yolo", "board-a.txt, line 2: expected 5 fields");
  write_text (yolo_a, "0 0.5 0.5 0.1 0.1\n\n1 0.5 0.5 0.1 0.1\n");
  assert_import_error (fixture, DBW_OD_FORMAT_YOLO, "yolo", "board-a.txt, line 3: class 1");
  write_text (yolo_a, "0 0.5 zero 0.1 0.1\n");
  assert_import_error (fixture, DBW_OD_FORMAT_YOLO, "yolo", "board-a.txt, line 1: field 3");

  g_assert_cmpint (g_mkdir (voc, 0700), ==, 0);
  write_text (voc_a, "<annotation>\n  <filename>board-a.png</filename>\n  <object>\n    <name>hole</name>\n"
                     "    <bndbox>\n      <xmin>1</xmin>\n      <ymin>two</ymin>\n");
  assert_import_error (fixture, DBW_OD_FORMAT_VOC, "voc", "board-a.xml, line 7: <ymin>");
  write_text (voc_a, "<annotation>\n  <object>\n    <name>hole</name>\n  </object>\n</annotation>\n");
  assert_import_error (fixture, DBW_OD_FORMAT_VOC, "voc", "board-a.xml, line 2: an <object> without a complete <bndbox>");
  write_text (voc_a, "<annotation>\n  <object>\n    <name>hole</object>\n</annotation>\n");
  assert_import_error (fixture, DBW_OD_FORMAT_VOC, "voc", "board-a.xml: ");

  /* nothing was stored by the failed imports */
  g_assert_cmpint (dbw_label_suggestions_count_items (fixture->store, fixture->sheet_id,
                                                      DBW_LABEL_TYPE_OBJECT_DETECTION, NULL), ==, 0);
}

static void
test_od_suggestions_not_labels (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path (fixture, "instances.json");
  g_autofree char *again = fixture_path (fixture, "again.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) again_file = g_file_new_for_path (again);
  g_autoptr(DbwOdImportResult) result = NULL;
  g_autoptr(DbwShapeSet) none = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *answer = NULL;

  write_text (path, "{\"images\": [{\"id\": 1, \"file_name\": \"images/board-c.png\", \"width\": 100, \"height\": 80}],"
                    " \"categories\": [{\"id\": 4, \"name\": \"hole\"}],"
                    " \"annotations\": [{\"image_id\": 1, \"category_id\": 4, \"bbox\": [5, 6, 7, 8],"
                    "  \"attributes\": {\"score\": 0.5}}]}");
  result = dbw_od_import (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_COCO, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->n_images, ==, 1);

  g_assert_cmpint (dbw_label_suggestions_count_items (fixture->store, fixture->sheet_id,
                                                      DBW_LABEL_TYPE_OBJECT_DETECTION, &error), ==, 1);
  /* the two labels are still the only labels, and an export holds only them */
  g_assert_cmpint (dbw_store_count (fixture->store, DBW_TYPE_CANONICAL_LABEL, "sheet_id", fixture->sheet_id, &error), ==, 2);
  g_assert_cmpint (dbw_od_export (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_COCO, again_file, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (again, &exported, NULL, NULL));
  g_assert_null (strstr (exported, "board-c.png"));
  g_assert_null (strstr (exported, "hole"));

  /* other label types keep an answer; dismissing ends the item's suggestions of one type */
  g_assert_true (dbw_label_suggestions_add (fixture->store, fixture->sheet_id, "board-c.png",
                                            DBW_LABEL_TYPE_CLASSIFICATION, "\"pass\"", "model", &error));
  g_assert_no_error (error);
  answer = dbw_label_suggestions_lookup (fixture->store, fixture->sheet_id, "board-c.png",
                                         DBW_LABEL_TYPE_CLASSIFICATION, &error);
  g_assert_cmpstr (answer, ==, "\"pass\"");
  g_assert_true (dbw_label_suggestions_dismiss (fixture->store, fixture->sheet_id, "board-c.png",
                                                DBW_LABEL_TYPE_OBJECT_DETECTION, &error));
  g_assert_no_error (error);
  none = dbw_label_suggestions_load_shapes (fixture->store, fixture->sheet_id, "board-c.png", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_cmpint (dbw_label_suggestions_count_items (fixture->store, fixture->sheet_id,
                                                      DBW_LABEL_TYPE_CLASSIFICATION, &error), ==, 1);
  g_assert_cmpint (dbw_label_suggestions_count_items (fixture->store, fixture->sheet_id,
                                                      DBW_LABEL_TYPE_OBJECT_DETECTION, &error), ==, 0);
}

static void
test_od_format_names (void)
{
  DbwOdFormat format;

  g_assert_true (dbw_od_format_from_string ("coco", &format));
  g_assert_cmpint (format, ==, DBW_OD_FORMAT_COCO);
  g_assert_true (dbw_od_format_from_string ("labelstudio", &format));
  g_assert_cmpint (format, ==, DBW_OD_FORMAT_LABEL_STUDIO);
  g_assert_true (dbw_od_format_from_string ("VOC", &format));
  g_assert_cmpint (format, ==, DBW_OD_FORMAT_VOC);
  g_assert_false (dbw_od_format_from_string ("csv", &format));
  g_assert_false (dbw_od_format_from_string (NULL, &format));
}

/* Object-detection sets leave the project through the dual gate like every export. */
static void
test_od_export_gated (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree char *training_path = fixture_path (fixture, "training.json");
  g_autofree char *evaluation_path = fixture_path (fixture, "evaluation.json");
  g_autofree char *testing_path = fixture_path (fixture, "testing.json");
  g_autoptr(GFile) training = g_file_new_for_path (training_path);
  g_autoptr(GFile) evaluation = g_file_new_for_path (evaluation_path);
  g_autoptr(GFile) testing = g_file_new_for_path (testing_path);
  g_autofree char *contents = NULL;
  const char *prohibited[] = { DBW_USE_TRAINING, NULL };
  const char *allowed[] = { DBW_USE_EVALUATION, NULL };
  DbwOdExportCounts counts = { 0, };

  labels = dbw_store_list (fixture->store, DBW_TYPE_CANONICAL_LABEL, "item_ref", "board-b.png", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, 1);
  dbw_canonical_label_set_allowed_uses (g_ptr_array_index (labels, 0), allowed);
  dbw_canonical_label_set_prohibited_uses (g_ptr_array_index (labels, 0), prohibited);
  dbw_canonical_label_set_usage_reason (g_ptr_array_index (labels, 0), "Customer board");
  g_assert_true (dbw_store_update (fixture->store, g_ptr_array_index (labels, 0), &error));
  g_assert_no_error (error);

  g_assert_cmpint (dbw_od_export (fixture->store, fixture->sheet_id, DBW_OD_FORMAT_COCO, training, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (training_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "board-a.png"));
  g_assert_null (strstr (contents, "board-b.png"));
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (dbw_od_export_for_use (fixture->store, fixture->sheet_id, DBW_USE_EVALUATION,
                                          DBW_OD_FORMAT_COCO, evaluation, &counts, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (counts.n_withheld, ==, 0);
  g_assert_true (g_file_get_contents (evaluation_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "board-b.png"));

  /* Neither label is allowed for testing. */
  g_assert_cmpint (dbw_od_export_for_use (fixture->store, fixture->sheet_id, DBW_USE_TESTING,
                                          DBW_OD_FORMAT_COCO, testing, &counts, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (counts.n_withheld, ==, 2);

  g_assert_cmpint (dbw_od_export_for_use (fixture->store, fixture->sheet_id, "fun",
                                          DBW_OD_FORMAT_COCO, testing, NULL, NULL, &error), ==, -1);
  g_assert_error (error, DBW_OD_ERROR, DBW_OD_ERROR_UNSUPPORTED);
}

/* A label withheld since an earlier export into the same YOLO or VOC folder does not stay
 * there; the user's own files do. */
static void
test_od_export_removes_stale (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  const char *prohibited[] = { DBW_USE_TRAINING, NULL };
  const char *allowed[] = { DBW_USE_EVALUATION, NULL };
  const char *formats[] = { "yolo", "voc" };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *dir_path = fixture_path (fixture, formats[f]);
      g_autofree char *readme = g_build_filename (dir_path, f == 0 ? "README.txt" : "notes.xml", NULL);
      g_autofree char *stale = g_build_filename (dir_path, f == 0 ? "board-b.txt" : "board-b.xml", NULL);
      g_autofree char *kept = g_build_filename (dir_path, f == 0 ? "board-a.txt" : "board-a.xml", NULL);
      g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
      DbwOdFormat format = f == 0 ? DBW_OD_FORMAT_YOLO : DBW_OD_FORMAT_VOC;
      DbwOdExportCounts counts = { 0, };

      g_assert_cmpint (dbw_od_export_for_use (fixture->store, fixture->sheet_id, DBW_USE_TRAINING,
                                              format, dir, &counts, NULL, &error), ==, 2);
      g_assert_no_error (error);
      g_assert_cmpuint (counts.n_removed, ==, 0);
      g_assert_true (g_file_test (stale, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_set_contents (readme, f == 0 ? "Boards from line 3\n" : "<notes>line 3</notes>\n", -1, NULL));

      if (labels == NULL)
        {
          labels = dbw_store_list (fixture->store, DBW_TYPE_CANONICAL_LABEL, "item_ref", "board-b.png", &error);
          g_assert_no_error (error);
        }
      dbw_canonical_label_set_allowed_uses (g_ptr_array_index (labels, 0), allowed);
      dbw_canonical_label_set_prohibited_uses (g_ptr_array_index (labels, 0), prohibited);
      dbw_canonical_label_set_usage_reason (g_ptr_array_index (labels, 0), f == 0 ? "Customer board" : "Customer board again");
      g_assert_true (dbw_store_update (fixture->store, g_ptr_array_index (labels, 0), &error));
      g_assert_no_error (error);

      g_assert_cmpint (dbw_od_export_for_use (fixture->store, fixture->sheet_id, DBW_USE_TRAINING,
                                              format, dir, &counts, NULL, &error), ==, 1);
      g_assert_no_error (error);
      g_assert_cmpint (counts.n_withheld, ==, 1);
      g_assert_cmpuint (counts.n_removed, ==, 1);
      g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (readme, G_FILE_TEST_EXISTS));

      /* Allowed again, for the next format's first export. */
      dbw_canonical_label_set_prohibited_uses (g_ptr_array_index (labels, 0), NULL);
      dbw_canonical_label_set_allowed_uses (g_ptr_array_index (labels, 0), (const char *[]) { DBW_USE_TRAINING, NULL });
      dbw_canonical_label_set_usage_reason (g_ptr_array_index (labels, 0), f == 0 ? "Customer agreed" : "Agreed again");
      g_assert_true (dbw_store_update (fixture->store, g_ptr_array_index (labels, 0), &error));
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/od-formats/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("coco-round-trip", test_od_coco_round_trip);
  ADD ("yolo-round-trip", test_od_yolo_round_trip);
  ADD ("voc-round-trip", test_od_voc_round_trip);
  ADD ("voc-parts", test_od_voc_parts);
  ADD ("yolo-turned-photo", test_od_yolo_turned_photo);
  ADD ("label-studio", test_od_label_studio);
  ADD ("unmatched", test_od_unmatched);
  ADD ("errors", test_od_errors);
  ADD ("suggestions-not-labels", test_od_suggestions_not_labels);
  ADD ("export-gated", test_od_export_gated);
  ADD ("export-removes-stale", test_od_export_removes_stale);
  g_test_add_func ("/od-formats/yolo-line-precision", test_od_yolo_line_precision);
  g_test_add_func ("/od-formats/format-names", test_od_format_names);

  return g_test_run ();
}
