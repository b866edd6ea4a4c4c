/* dbw-od-formats.c
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

#define G_LOG_DOMAIN "dbw-od-formats"

#include "config.h"

#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dbw-governance.h"
#include "dbw-label-suggestions-private.h"
#include "dbw-od-formats.h"
#include "dbw-od-formats-private.h"
#include "dbw-store-private.h"

/* Formats that give coordinates as fractions of the image (YOLO, Label Studio) are snapped to
 * a thousandth of a pixel on the way in, so whole-pixel boxes come back whole. */
#define SNAP 1000.0

/* Enough of an image file for its header; a JPEG with a large EXIF block needs the rest. */
#define HEADER_BYTES (256 * 1024)

G_DEFINE_QUARK (dbw-od-error-quark, dbw_od_error)

typedef struct
{
  char     *label;
  gboolean  polygon;
  double    x, y, width, height;
  GArray   *points;       /* (element-type DbwPoint) */
  JsonObject *extra;
} ImportObject;

typedef struct
{
  char      *name;        /* as the input calls the image */
  int        width;       /* 0: unknown */
  int        height;
  gboolean   normalised;  /* coordinates are fractions of the image size */
  GPtrArray *objects;     /* (element-type ImportObject) */
} ImportImage;

typedef struct
{
  char  *item_ref;
  char  *blob_hash;
  char  *label_data;
  int    width;
  int    height;
} ExportEntry;

static void
import_object_free (ImportObject *object)
{
  g_free (object->label);
  g_clear_pointer (&object->points, g_array_unref);
  g_clear_pointer (&object->extra, json_object_unref);
  g_free (object);
}

static void
import_image_free (ImportImage *image)
{
  g_free (image->name);
  g_ptr_array_unref (image->objects);
  g_free (image);
}

static ImportImage *
import_image_new (const char *name)
{
  ImportImage *image = g_new0 (ImportImage, 1);

  image->name = g_strdup (name);
  image->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) import_object_free);
  return image;
}

static ImportObject *
import_image_add_box (ImportImage *image,
                      const char  *label,
                      double       x,
                      double       y,
                      double       width,
                      double       height)
{
  ImportObject *object = g_new0 (ImportObject, 1);

  object->label = g_strdup (label);
  object->x = x;
  object->y = y;
  object->width = width;
  object->height = height;
  g_ptr_array_add (image->objects, object);
  return object;
}

static void
export_entry_free (ExportEntry *entry)
{
  g_free (entry->item_ref);
  g_free (entry->blob_hash);
  g_free (entry->label_data);
  g_free (entry);
}

void
dbw_od_import_result_free (DbwOdImportResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->unmatched);
  g_free (result);
}

gboolean
dbw_od_format_from_string (const char  *name,
                           DbwOdFormat *format)
{
  static const struct { const char *name; DbwOdFormat format; } formats[] = {
    { "coco", DBW_OD_FORMAT_COCO },
    { "yolo", DBW_OD_FORMAT_YOLO },
    { "voc", DBW_OD_FORMAT_VOC },
    { "labelstudio", DBW_OD_FORMAT_LABEL_STUDIO },
  };

  g_return_val_if_fail (format != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (name, formats[i].name) == 0)
      {
        *format = formats[i].format;
        return TRUE;
      }
  return FALSE;
}

static const char *
format_source (DbwOdFormat format)
{
  switch (format)
    {
    case DBW_OD_FORMAT_COCO: return "coco";
    case DBW_OD_FORMAT_YOLO: return "yolo";
    case DBW_OD_FORMAT_VOC: return "voc";
    case DBW_OD_FORMAT_LABEL_STUDIO: return "labelstudio";
    default: return NULL;
    }
}

static double
snap (double value)
{
  return round (value * SNAP) / SNAP;
}

/* Whole numbers without a decimal point, others with what they need and no trailing zeros. */
static void
append_number (GString *out,
               double   value,
               int      decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];
  gsize len;

  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }

  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, format, value);
  len = strlen (buf);
  while (len > 0 && buf[len - 1] == '0')
    buf[--len] = '\0';
  if (len > 0 && buf[len - 1] == '.')
    buf[--len] = '\0';
  g_string_append (out, buf);
}

/* The file's name for messages: its basename when it is a path. */
static char *
display_name (GFile *file)
{
  return g_file_get_basename (file);
}

static void
prefix_error (GError     **error,
              const char  *where)
{
  if (error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", where);
}

static void
on_size_prepared_cb (GdkPixbufLoader *loader,
                     int              width,
                     int              height,
                     gpointer         user_data)
{
  int *size = user_data;

  size[0] = width;
  size[1] = height;
  /* the size is all we want: decode as little as the loader allows */
  gdk_pixbuf_loader_set_size (loader, 1, 1);
}

gboolean
_dbw_od_loader_is_quarter_turned (GdkPixbufLoader *loader)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  const char *orientation = pixbuf != NULL ? gdk_pixbuf_get_option (pixbuf, "orientation") : NULL;
  gint64 value = orientation != NULL ? g_ascii_strtoll (orientation, NULL, 10) : 1;

  return value >= 5 && value <= 8;
}

/* The size the image is shown at: the annotator and the labels see it turned upright. */
static gboolean
size_from_bytes (const guint8 *data,
                 gsize         len,
                 int          *width,
                 int          *height)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  int size[2] = { 0, 0 };
  gsize offset = 0;
  gboolean turned;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared_cb), size);
  while (offset < len && size[0] == 0)
    {
      gsize chunk = MIN (len - offset, 4096);

      if (!gdk_pixbuf_loader_write (loader, data + offset, chunk, NULL))
        break;
      offset += chunk;
    }
  gdk_pixbuf_loader_close (loader, NULL);

  if (size[0] <= 0 || size[1] <= 0)
    return FALSE;
  turned = _dbw_od_loader_is_quarter_turned (loader);
  *width = turned ? size[1] : size[0];
  *height = turned ? size[0] : size[1];
  return TRUE;
}

static gboolean
blob_image_size (DbwStore    *store,
                 const char  *hash,
                 int         *width,
                 int         *height)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  gboolean whole = FALSE;

  stmt = _dbw_store_prepare (store,
                             "SELECT substr (data, 1, ?2), length (data) FROM blobs WHERE hash = ?1",
                             NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, HEADER_BYTES);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = size_from_bytes (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                               width, height);
      whole = sqlite3_column_int64 (stmt, 1) <= HEADER_BYTES;
    }
  else
    whole = TRUE;
  _dbw_store_release (store, stmt);

  if (!found && !whole)
    {
      g_autoptr(GBytes) bytes = dbw_store_get_blob (store, hash, NULL);
      gsize len = 0;
      const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

      found = data != NULL && size_from_bytes (data, len, width, height);
    }
  return found;
}

/* item_ref → blob hash for the sheet's current items, and the names an outside file may use
 * for each: its basename, and its basename without the extension. */
typedef struct
{
  GHashTable *blobs;      /* item_ref → blob_hash (nullable) */
  GHashTable *by_name;    /* basename → item_ref */
  GHashTable *by_stem;    /* stem → item_ref */
  GHashTable *sizes;      /* blob_hash → int[2] */
} ItemIndex;

static void
item_index_clear (ItemIndex *index)
{
  g_clear_pointer (&index->blobs, g_hash_table_unref);
  g_clear_pointer (&index->by_name, g_hash_table_unref);
  g_clear_pointer (&index->by_stem, g_hash_table_unref);
  g_clear_pointer (&index->sizes, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ItemIndex, item_index_clear)

static char *
strip_extension (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return g_strdup (name);
  return g_strndup (name, dot - name);
}

static gboolean
item_index_load (ItemIndex   *index,
                 DbwStore    *store,
                 const char  *sheet_id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  index->blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  index->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  index->by_stem = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  index->sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  stmt = _dbw_store_prepare (store,
                             "SELECT item_ref, blob_hash FROM items WHERE sheet_id = ?1 AND "
                             DBW_SQL_NEWEST_ITEM_VERSION " ORDER BY item_ref", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *item_ref = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *base = g_path_get_basename (item_ref);

      g_hash_table_insert (index->blobs, g_strdup (item_ref),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      if (!g_hash_table_contains (index->by_name, base))
        g_hash_table_insert (index->by_name, g_strdup (base), g_strdup (item_ref));
      if (!g_hash_table_contains (index->by_stem, base))
        g_hash_table_insert (index->by_stem, strip_extension (base), g_strdup (item_ref));
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }
  return TRUE;
}

static const char *
item_index_match (ItemIndex  *index,
                  const char *name)
{
  g_autofree char *base = NULL;
  g_autofree char *stem = NULL;
  const char *item_ref;
  gsize hex = 0;

  if (name == NULL || *name == '\0')
    return NULL;
  if (g_hash_table_lookup_extended (index->blobs, name, (gpointer *) &item_ref, NULL))
    return item_ref;

  base = g_path_get_basename (name);
  /* "board.v2" from YOLO is the stem of "board.v2.png" */
  if ((item_ref = g_hash_table_lookup (index->by_name, base)) != NULL ||
      (item_ref = g_hash_table_lookup (index->by_stem, base)) != NULL)
    return item_ref;
  stem = strip_extension (base);
  if ((item_ref = g_hash_table_lookup (index->by_name, stem)) != NULL ||
      (item_ref = g_hash_table_lookup (index->by_stem, stem)) != NULL)
    return item_ref;

  /* Label Studio stores uploads as "<8 hex digits>-<original name>" */
  while (g_ascii_isxdigit (base[hex]))
    hex++;
  if (hex == 8 && base[hex] == '-')
    return item_index_match (index, base + hex + 1);

  return NULL;
}

static gboolean
item_index_size (ItemIndex  *index,
                 DbwStore   *store,
                 const char *item_ref,
                 int        *width,
                 int        *height)
{
  const char *hash = g_hash_table_lookup (index->blobs, item_ref);
  int *size;

  if (hash == NULL)
    return FALSE;
  size = g_hash_table_lookup (index->sizes, hash);
  if (size == NULL)
    {
      size = g_new0 (int, 2);
      blob_image_size (store, hash, &size[0], &size[1]);
      g_hash_table_insert (index->sizes, g_strdup (hash), size);
    }
  if (size[0] <= 0)
    return FALSE;
  *width = size[0];
  *height = size[1];
  return TRUE;
}

/* Export */

static GPtrArray *
load_labels (DbwStore      *store,
             const char    *sheet_id,
             const char    *use,
             gint64        *n_withheld,
             GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) export_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "SELECT item_ref, label_data, (SELECT blob_hash FROM items "
                             "WHERE items.sheet_id = canonical_labels.sheet_id "
                             "AND items.item_ref = canonical_labels.item_ref ORDER BY version DESC LIMIT 1), "
                             "allowed_uses, prohibited_uses "
                             "FROM canonical_labels WHERE sheet_id = ?1 AND label_type = 'object_detection' "
                             "ORDER BY item_ref", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ExportEntry *entry;

      /* The dual gate: a label leaves the project only for a use it is allowed for. */
      if (dbw_governance_check_json (DBW_QA_STATUS_LABELED, (const char *) sqlite3_column_text (stmt, 3),
                                     (const char *) sqlite3_column_text (stmt, 4), use) != DBW_GATE_PASS)
        {
          if (n_withheld != NULL)
            (*n_withheld)++;
          continue;
        }

      entry = g_new0 (ExportEntry, 1);
      entry->item_ref = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->label_data = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->blob_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (entries, entry);
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "canonical_labels", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static DbwShapeSet *
entry_shapes (DbwStore     *store,
              ExportEntry  *entry,
              GHashTable   *sizes,
              GError      **error)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json (entry->label_data, 0, 0, error);

  if (set == NULL)
    {
      g_prefix_error (error, _("The label of %s: "), entry->item_ref);
      return NULL;
    }

  if (dbw_shape_set_get_image_width (set) <= 0 || dbw_shape_set_get_image_height (set) <= 0)
    {
      int width = 0, height = 0;
      int *size = entry->blob_hash != NULL ? g_hash_table_lookup (sizes, entry->blob_hash) : NULL;

      if (size == NULL && entry->blob_hash != NULL)
        {
          size = g_new0 (int, 2);
          blob_image_size (store, entry->blob_hash, &size[0], &size[1]);
          g_hash_table_insert (sizes, g_strdup (entry->blob_hash), size);
        }
      if (size != NULL)
        {
          width = size[0];
          height = size[1];
        }
      if (width <= 0 || height <= 0)
        {
          g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_NO_SIZE,
                       _("The size of %s is unknown: its label has no image_width and image_height, "
                         "and the item holds no image that can be read"), entry->item_ref);
          return NULL;
        }
      dbw_shape_set_set_image_size (set, width, height);
    }

  return g_steal_pointer (&set);
}

static gboolean
write_file (GFile         *file,
            GString       *contents,
            GCancellable  *cancellable,
            GError       **error)
{
  /* g_file_replace writes a temporary file and renames it over the old one */
  return g_file_replace_contents (file, contents->str, contents->len, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, cancellable, error);
}

static gboolean
make_directory (GFile         *dir,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_make_directory_with_parents (dir, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
add_json_number (JsonBuilder *builder,
                 double       value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static gboolean
export_coco (GPtrArray     *sets,
             GPtrArray     *entries,
             GFile         *output,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) out = NULL;
  g_autofree char *json = NULL;
  gint64 annotation_id = 0;

  for (guint i = 0; i < sets->len; i++)
    {
      DbwShapeSet *set = g_ptr_array_index (sets, i);

      for (guint j = 0; j < dbw_shape_set_get_n_shapes (set); j++)
        {
          const char *label = dbw_shape_set_get_shape (set, j)->label;

          if (!g_hash_table_contains (categories, label))
            {
              g_ptr_array_add (names, (gpointer) label);
              g_hash_table_insert (categories, (gpointer) label, GUINT_TO_POINTER (names->len));
            }
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, "Databits Workbench canonical labels");
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sets->len; i++)
    {
      DbwShapeSet *set = g_ptr_array_index (sets, i);
      ExportEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, i + 1);
      json_builder_set_member_name (builder, "file_name");
      json_builder_add_string_value (builder, entry->item_ref);
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, dbw_shape_set_get_image_width (set));
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, dbw_shape_set_get_image_height (set));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sets->len; i++)
    {
      DbwShapeSet *set = g_ptr_array_index (sets, i);

      for (guint j = 0; j < dbw_shape_set_get_n_shapes (set); j++)
        {
          const DbwShape *shape = dbw_shape_set_get_shape (set, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, ++annotation_id);
          json_builder_set_member_name (builder, "image_id");
          json_builder_add_int_value (builder, i + 1);
          json_builder_set_member_name (builder, "category_id");
          json_builder_add_int_value (builder, GPOINTER_TO_UINT (g_hash_table_lookup (categories, shape->label)));
          json_builder_set_member_name (builder, "bbox");
          json_builder_begin_array (builder);
          add_json_number (builder, shape->x);
          add_json_number (builder, shape->y);
          add_json_number (builder, shape->width);
          add_json_number (builder, shape->height);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "area");
          add_json_number (builder, shape->kind == DBW_SHAPE_POLYGON ? dbw_polygon_area ((const DbwPoint *) (gpointer) shape->points->data, shape->points->len)
                                                                     : shape->width * shape->height);
          json_builder_set_member_name (builder, "iscrowd");
          json_builder_add_int_value (builder, 0);
          json_builder_set_member_name (builder, "segmentation");
          json_builder_begin_array (builder);
          if (shape->kind == DBW_SHAPE_POLYGON)
            {
              json_builder_begin_array (builder);
              for (guint k = 0; k < shape->points->len; k++)
                {
                  const DbwPoint *p = &g_array_index (shape->points, DbwPoint, k);

                  add_json_number (builder, p->x);
                  add_json_number (builder, p->y);
                }
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
          /* the members COCO has no place for, where CVAT keeps them */
          if (shape->extra != NULL && json_object_get_size (shape->extra) > 0)
            {
              g_autoptr(JsonNode) extra = json_node_new (JSON_NODE_OBJECT);

              json_node_set_object (extra, shape->extra);
              json_builder_set_member_name (builder, "attributes");
              json_builder_add_value (builder, json_node_copy (extra));
            }
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "categories");
  json_builder_begin_array (builder);
  for (guint i = 0; i < names->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, i + 1);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, g_ptr_array_index (names, i));
      json_builder_set_member_name (builder, "supercategory");
      json_builder_add_string_value (builder, "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  out = g_string_new (json);
  g_string_append_c (out, '\n');
  return write_file (output, out, cancellable, error);
}

char *
dbw_od_yolo_line (const DbwShape *shape,
                  int             class_index,
                  int             image_width,
                  int             image_height)
{
  GString *line;

  g_return_val_if_fail (shape != NULL, NULL);
  g_return_val_if_fail (image_width > 0 && image_height > 0, NULL);

  line = g_string_new (NULL);
  g_string_append_printf (line, "%d ", class_index);
  append_number (line, (shape->x + shape->width / 2) / image_width, 10);
  g_string_append_c (line, ' ');
  append_number (line, (shape->y + shape->height / 2) / image_height, 10);
  g_string_append_c (line, ' ');
  append_number (line, shape->width / image_width, 10);
  g_string_append_c (line, ' ');
  append_number (line, shape->height / image_height, 10);
  return g_string_free (line, FALSE);
}

static gboolean
parse_double (const char *text,
              double     *value)
{
  char *end = NULL;

  errno = 0;
  *value = g_ascii_strtod (text, &end);
  return errno == 0 && end != text && *end == '\0' && isfinite (*value);
}

gboolean
dbw_od_parse_yolo_line (const char  *line,
                        int          image_width,
                        int          image_height,
                        int         *class_index,
                        double      *x,
                        double      *y,
                        double      *width,
                        double      *height,
                        GError     **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  double v[4];
  gint64 cls;
  char *end = NULL;

  g_return_val_if_fail (line != NULL, FALSE);

  fields = g_strsplit_set (line, " \t\r\n", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    if (*fields[i] != '\0')
      g_ptr_array_add (tokens, fields[i]);

  if (tokens->len != 5)
    {
      g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                   _("expected 5 fields (class cx cy w h), found %u"), tokens->len);
      return FALSE;
    }

  cls = g_ascii_strtoll (g_ptr_array_index (tokens, 0), &end, 10);
  if (end == NULL || *end != '\0' || cls < 0 || cls > G_MAXINT)
    {
      g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                   _("the class “%s” is not a class number"), (const char *) g_ptr_array_index (tokens, 0));
      return FALSE;
    }

  for (guint i = 0; i < 4; i++)
    {
      const char *token = g_ptr_array_index (tokens, i + 1);

      if (!parse_double (token, &v[i]) || v[i] < -0.001 || v[i] > 1.001)
        {
          g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                       _("field %u “%s” is not a number between 0 and 1"), i + 2, token);
          return FALSE;
        }
    }
  if (v[2] <= 0 || v[3] <= 0)
    {
      g_set_error_literal (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                           _("the box has no width or no height"));
      return FALSE;
    }

  *class_index = (int) cls;
  if (image_width > 0 && image_height > 0)
    {
      double x0 = snap ((v[0] - v[2] / 2) * image_width);
      double x1 = snap ((v[0] + v[2] / 2) * image_width);
      double y0 = snap ((v[1] - v[3] / 2) * image_height);
      double y1 = snap ((v[1] + v[3] / 2) * image_height);

      *x = x0;
      *y = y0;
      *width = x1 - x0;
      *height = y1 - y0;
    }
  else
    {
      /* no size: fractions of the image */
      *x = v[0] - v[2] / 2;
      *y = v[1] - v[3] / 2;
      *width = v[2];
      *height = v[3];
    }
  return TRUE;
}

static GStrv
collect_classes (GPtrArray  *sets,
                 GHashTable *index)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; i < sets->len; i++)
    {
      DbwShapeSet *set = g_ptr_array_index (sets, i);

      for (guint j = 0; j < dbw_shape_set_get_n_shapes (set); j++)
        {
          const char *label = dbw_shape_set_get_shape (set, j)->label;

          if (!g_hash_table_contains (index, label))
            {
              g_hash_table_insert (index, (gpointer) label, GUINT_TO_POINTER (n++));
              g_strv_builder_add (builder, label);
            }
        }
    }
  return g_strv_builder_end (builder);
}

/* One file per image named after the item's stem; two items with one stem would overwrite. */
static GFile *
per_image_file (GFile       *dir,
                GHashTable  *used,
                const char  *item_ref,
                const char  *extension,
                GError     **error)
{
  g_autofree char *base = g_path_get_basename (item_ref);
  g_autofree char *stem = strip_extension (base);
  g_autofree char *name = g_strconcat (stem, extension, NULL);

  if (g_hash_table_contains (used, name))
    {
      g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_UNSUPPORTED,
                   _("%s and %s would both be written to %s; rename one of the items"),
                   (const char *) g_hash_table_lookup (used, name), item_ref, name);
      return NULL;
    }
  g_hash_table_insert (used, g_strdup (name), g_strdup (item_ref));
  return g_file_get_child (dir, name);
}

/* Whether @file is a label file an export wrote: every line a YOLO box, or a VOC
 * annotation. Anything else in the folder is the user's and stays. */
static gboolean
is_label_file (GFile       *file,
               DbwOdFormat  format)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, NULL) || length > 16 * 1024 * 1024)
    return FALSE;

  if (format == DBW_OD_FORMAT_VOC)
    {
      g_strstrip (contents);
      return g_str_has_suffix (contents, "</annotation>") &&
             (strstr (contents, "<annotation>") != NULL || strstr (contents, "<annotation ") != NULL);
    }

  {
    g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        int class_index;
        double x, y, width, height;

        g_strstrip (lines[i]);
        if (lines[i][0] != '\0' &&
            !dbw_od_parse_yolo_line (lines[i], 1, 1, &class_index, &x, &y, &width, &height, NULL))
          return FALSE;
      }
  }

  return TRUE;
}

/* Label files an earlier export left in @dir that this one did not write (@used): a label
 * since withheld, or gone, must not stay where a trainer reads the folder. */
static gboolean
remove_stale (GFile         *dir,
              GHashTable    *used,
              DbwOdFormat    format,
              guint         *n_removed,
              GCancellable  *cancellable,
              GError       **error)
{
  const char *suffix = format == DBW_OD_FORMAT_VOC ? ".xml" : ".txt";
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, error))
    {
      const char *name;

      if (info == NULL)
        return TRUE;
      name = g_file_info_get_name (info);
      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR || !g_str_has_suffix (name, suffix) ||
          g_hash_table_contains (used, name) || !is_label_file (child, format))
        continue;
      if (!g_file_delete (child, cancellable, error))
        return FALSE;
      if (n_removed != NULL)
        (*n_removed)++;
    }

  return FALSE;
}

static gboolean
export_yolo (GPtrArray     *sets,
             GPtrArray     *entries,
             GFile         *output,
             guint         *n_removed,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) classes = collect_classes (sets, index);
  g_autoptr(GString) classes_text = g_string_new (NULL);
  g_autoptr(GFile) classes_file = NULL;

  if (!make_directory (output, cancellable, error))
    return FALSE;

  g_hash_table_insert (used, g_strdup ("classes.txt"), g_strdup ("classes.txt"));
  for (guint i = 0; i < sets->len; i++)
    {
      DbwShapeSet *set = g_ptr_array_index (sets, i);
      ExportEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GFile) file = per_image_file (output, used, entry->item_ref, ".txt", error);

      if (file == NULL)
        return FALSE;
      for (guint j = 0; j < dbw_shape_set_get_n_shapes (set); j++)
        {
          const DbwShape *shape = dbw_shape_set_get_shape (set, j);
          g_autofree char *line =
            dbw_od_yolo_line (shape, GPOINTER_TO_UINT (g_hash_table_lookup (index, shape->label)),
                              dbw_shape_set_get_image_width (set), dbw_shape_set_get_image_height (set));

          g_string_append (text, line);
          g_string_append_c (text, '\n');
        }
      if (!write_file (file, text, cancellable, error))
        return FALSE;
    }

  for (guint i = 0; classes[i] != NULL; i++)
    g_string_append_printf (classes_text, "%s\n", classes[i]);
  classes_file = g_file_get_child (output, "classes.txt");
  return write_file (classes_file, classes_text, cancellable, error) &&
         remove_stale (output, used, DBW_OD_FORMAT_YOLO, n_removed, cancellable, error);
}

static void
append_element (GString    *out,
                const char *indent,
                const char *name,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (out, "%s<%s>%s</%s>\n", indent, name, escaped, name);
}

static void
append_number_element (GString    *out,
                       const char *indent,
                       const char *name,
                       double      value)
{
  g_string_append_printf (out, "%s<%s>", indent, name);
  append_number (out, value, 6);
  g_string_append_printf (out, "</%s>\n", name);
}

static gboolean
export_voc (GPtrArray     *sets,
            GPtrArray     *entries,
            GFile         *output,
            guint         *n_removed,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!make_directory (output, cancellable, error))
    return FALSE;

  for (guint i = 0; i < sets->len; i++)
    {
      DbwShapeSet *set = g_ptr_array_index (sets, i);
      ExportEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GString) xml = g_string_new ("<annotation>\n");
      g_autoptr(GFile) file = per_image_file (output, used, entry->item_ref, ".xml", error);
      g_autofree char *base = g_path_get_basename (entry->item_ref);

      if (file == NULL)
        return FALSE;

      append_element (xml, "  ", "folder", "");
      append_element (xml, "  ", "filename", base);
      append_element (xml, "  ", "path", entry->item_ref);
      g_string_append (xml, "  <size>\n");
      append_number_element (xml, "    ", "width", dbw_shape_set_get_image_width (set));
      append_number_element (xml, "    ", "height", dbw_shape_set_get_image_height (set));
      append_number_element (xml, "    ", "depth", 3);
      g_string_append (xml, "  </size>\n");
      append_element (xml, "  ", "segmented", "0");
      for (guint j = 0; j < dbw_shape_set_get_n_shapes (set); j++)
        {
          const DbwShape *shape = dbw_shape_set_get_shape (set, j);

          /* corners as LabelImg and CVAT write them: xmax = x + width */
          g_string_append (xml, "  <object>\n");
          append_element (xml, "    ", "name", shape->label);
          append_element (xml, "    ", "pose", "Unspecified");
          append_element (xml, "    ", "truncated", "0");
          append_element (xml, "    ", "difficult", "0");
          g_string_append (xml, "    <bndbox>\n");
          append_number_element (xml, "      ", "xmin", shape->x);
          append_number_element (xml, "      ", "ymin", shape->y);
          append_number_element (xml, "      ", "xmax", shape->x + shape->width);
          append_number_element (xml, "      ", "ymax", shape->y + shape->height);
          g_string_append (xml, "    </bndbox>\n");
          g_string_append (xml, "  </object>\n");
        }
      g_string_append (xml, "</annotation>\n");
      if (!write_file (file, xml, cancellable, error))
        return FALSE;
    }
  return remove_stale (output, used, DBW_OD_FORMAT_VOC, n_removed, cancellable, error);
}

static gboolean
check_export_format (DbwOdFormat   format,
                     GError      **error)
{
  if (format == DBW_OD_FORMAT_LABEL_STUDIO)
    {
      g_set_error_literal (error, DBW_OD_ERROR, DBW_OD_ERROR_UNSUPPORTED,
                           _("Label Studio files can be imported, not exported"));
      return FALSE;
    }
  return TRUE;
}

/* Both exporters end here: the entries' shapes, written in @format. Returns the number of
 * images written, -1 on error. */
static gint64
export_entries (DbwStore      *store,
                GPtrArray     *entries,
                DbwOdFormat    format,
                GFile         *output,
                guint         *n_removed,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean ok = FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      DbwShapeSet *set;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      set = entry_shapes (store, g_ptr_array_index (entries, i), sizes, error);
      if (set == NULL)
        return -1;
      g_ptr_array_add (sets, set);
    }

  switch (format)
    {
    case DBW_OD_FORMAT_COCO:
      ok = export_coco (sets, entries, output, cancellable, error);
      break;
    case DBW_OD_FORMAT_YOLO:
      ok = export_yolo (sets, entries, output, n_removed, cancellable, error);
      break;
    case DBW_OD_FORMAT_VOC:
      ok = export_voc (sets, entries, output, n_removed, cancellable, error);
      break;
    case DBW_OD_FORMAT_LABEL_STUDIO:
    default:
      g_return_val_if_reached (-1);
    }

  return ok ? (gint64) sets->len : -1;
}

gint64
dbw_od_export (DbwStore      *store,
               const char    *sheet_id,
               DbwOdFormat    format,
               GFile         *output,
               GCancellable  *cancellable,
               GError       **error)
{
  return dbw_od_export_for_use (store, sheet_id, DBW_USE_TRAINING, format, output, NULL, cancellable, error);
}

gint64
dbw_od_export_for_use (DbwStore          *store,
                       const char        *sheet_id,
                       const char        *use,
                       DbwOdFormat        format,
                       GFile             *output,
                       DbwOdExportCounts *counts,
                       GCancellable      *cancellable,
                       GError           **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  DbwOdExportCounts ignored = { 0, };

  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (sheet_id != NULL, -1);
  g_return_val_if_fail (G_IS_FILE (output), -1);

  if (!dbw_use_is_valid (use))
    {
      g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_UNSUPPORTED, _("“%s” is not a use of data"), use);
      return -1;
    }
  if (!check_export_format (format, error))
    return -1;

  if (counts == NULL)
    counts = &ignored;
  counts->n_withheld = 0;
  counts->n_removed = 0;
  entries = load_labels (store, sheet_id, use, &counts->n_withheld, error);
  if (entries == NULL)
    return -1;

  return export_entries (store, entries, format, output, &counts->n_removed, cancellable, error);
}

gint64
_dbw_od_export_labels (DbwStore                *store,
                       const DbwOdExportLabel  *labels,
                       guint                    n_labels,
                       DbwOdFormat              format,
                       GFile                   *output,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) export_entry_free);

  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (labels != NULL || n_labels == 0, -1);
  g_return_val_if_fail (G_IS_FILE (output), -1);

  if (!check_export_format (format, error))
    return -1;

  for (guint i = 0; i < n_labels; i++)
    {
      ExportEntry *entry = g_new0 (ExportEntry, 1);

      entry->item_ref = g_strdup (labels[i].item_ref);
      entry->label_data = g_strdup (labels[i].label_data);
      entry->blob_hash = g_strdup (labels[i].blob_hash);
      g_ptr_array_add (entries, entry);
    }

  return export_entries (store, entries, format, output, NULL, cancellable, error);
}

/* Import: JSON helpers naming the path of what is wrong */

static JsonNode *
load_json (GFile         *file,
           GCancellable  *cancellable,
           JsonParser    *parser,
           GError       **error)
{
  g_autofree char *name = display_name (file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, error))
    return NULL;
  if (!json_parser_load_from_data (parser, contents, len, &local_error))
    {
      const char *message = local_error->message;

      /* "<data>:3:1: Parse error…" → "export.json:3:1: Parse error…" */
      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      else if (g_str_has_prefix (message, "<data>"))
        message += strlen ("<data>");
      g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, "%s:%s", name, message);
      return NULL;
    }
  return json_parser_get_root (parser);
}

/* Members of outside JSON are read only when they have the expected type, so that odd input
 * gives a message rather than a critical warning. */
static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_true (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
set_path_error (GError     **error,
                const char  *file,
                const char  *path,
                const char  *what)
{
  g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, "%s: %s: %s", file, path, what);
}

/* *array is %NULL for a missing optional member */
static gboolean
get_array (JsonObject  *object,
           const char  *member,
           const char  *file,
           const char  *path,
           gboolean     optional,
           JsonArray  **array,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *where = NULL;

  *array = NULL;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      *array = json_node_get_array (node);
      return TRUE;
    }
  if (optional && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  where = g_strdup_printf ("%s.%s", path, member);
  set_path_error (error, file, where, _("expected an array"));
  return FALSE;
}

static gboolean
read_json_number (JsonNode *node,
                  double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static gboolean
member_number (JsonObject  *object,
               const char  *member,
               const char  *file,
               const char  *path,
               gboolean     optional,
               double      *value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *where = NULL;

  if (read_json_number (node, value))
    return TRUE;
  if (optional && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    {
      *value = 0;
      return TRUE;
    }
  where = g_strdup_printf ("%s.%s", path, member);
  set_path_error (error, file, where, _("expected a number"));
  return FALSE;
}

/* COCO ids: whole numbers a gint64 holds exactly */
static gboolean
member_id (JsonObject  *object,
           const char  *member,
           const char  *file,
           const char  *path,
           gint64      *id,
           GError     **error)
{
  double value;

  if (!member_number (object, member, file, path, FALSE, &value, error))
    return FALSE;
  if (value != floor (value) || fabs (value) > 9007199254740992.0)
    {
      g_autofree char *where = g_strdup_printf ("%s.%s", path, member);

      set_path_error (error, file, where, _("expected a whole number"));
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

static int
image_dimension (double value)
{
  return value >= 1 && value <= G_MAXINT ? (int) value : 0;
}

/* COCO */

static GPtrArray *
parse_coco (GFile         *input,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *file = display_name (input);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) import_image_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonNode *root = load_json (input, cancellable, parser, error);
  JsonObject *object;
  JsonArray *array;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_path_error (error, file, "$", _("expected a COCO object with images, annotations and categories"));
      return NULL;
    }
  object = json_node_get_object (root);

  if (!get_array (object, "categories", file, "$", TRUE, &array, error))
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.categories[%u]", i);
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *category = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = category != NULL ? member_string (category, "name") : NULL;
      gint64 id;

      if (category == NULL || name == NULL || *name == '\0')
        {
          set_path_error (error, file, path, _("expected an object with an id and a name"));
          return NULL;
        }
      if (!member_id (category, "id", file, path, &id, error))
        return NULL;
      g_hash_table_insert (categories, g_memdup2 (&id, sizeof id), g_strdup (name));
    }

  if (!get_array (object, "images", file, "$", FALSE, &array, error))
    return NULL;
  g_array_set_size (ids, json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.images[%u]", i);
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = entry != NULL ? member_string (entry, "file_name") : NULL;
      double width, height;
      gint64 id;
      ImportImage *image;

      if (entry == NULL || name == NULL || *name == '\0')
        {
          set_path_error (error, file, path, _("expected an object with an id and a file_name"));
          return NULL;
        }
      if (!member_id (entry, "id", file, path, &id, error) ||
          !member_number (entry, "width", file, path, TRUE, &width, error) ||
          !member_number (entry, "height", file, path, TRUE, &height, error))
        return NULL;
      image = import_image_new (name);
      image->width = image_dimension (width);
      image->height = image_dimension (height);
      g_ptr_array_add (images, image);
      g_array_index (ids, gint64, i) = id;
      g_hash_table_insert (by_id, &g_array_index (ids, gint64, i), image);
    }

  if (!get_array (object, "annotations", file, "$", TRUE, &array, error))
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.annotations[%u]", i);
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *annotation = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *segmentation;
      JsonNode *attributes;
      JsonArray *bbox;
      double v[4] = { 0 };
      gint64 image_id, category_id;
      ImportImage *image;
      ImportObject *shape;
      const char *label;

      if (annotation == NULL)
        {
          set_path_error (error, file, path, _("expected an object"));
          return NULL;
        }
      if (!member_id (annotation, "image_id", file, path, &image_id, error) ||
          !member_id (annotation, "category_id", file, path, &category_id, error))
        return NULL;
      if ((image = g_hash_table_lookup (by_id, &image_id)) == NULL)
        {
          g_autofree char *where = g_strdup_printf ("%s.image_id", path);

          set_path_error (error, file, where, _("no image has this id"));
          return NULL;
        }
      if ((label = g_hash_table_lookup (categories, &category_id)) == NULL)
        {
          g_autofree char *where = g_strdup_printf ("%s.category_id", path);

          set_path_error (error, file, where, _("no category has this id"));
          return NULL;
        }
      if (!get_array (annotation, "bbox", file, path, FALSE, &bbox, error))
        return NULL;
      for (guint k = 0; k < 4; k++)
        if (json_array_get_length (bbox) != 4 || !read_json_number (json_array_get_element (bbox, k), &v[k]))
          {
            g_autofree char *where = g_strdup_printf ("%s.bbox", path);

            set_path_error (error, file, where, _("expected [x, y, width, height]"));
            return NULL;
          }

      shape = import_image_add_box (image, label, v[0], v[1], v[2], v[3]);

      /* a polygon when there is one; run-length masks keep their box */
      segmentation = json_object_get_member (annotation, "segmentation");
      if (segmentation != NULL && JSON_NODE_HOLDS_ARRAY (segmentation) &&
          json_array_get_length (json_node_get_array (segmentation)) > 0)
        {
          JsonNode *ring_node = json_array_get_element (json_node_get_array (segmentation), 0);
          JsonArray *ring = JSON_NODE_HOLDS_ARRAY (ring_node) ? json_node_get_array (ring_node) : NULL;
          guint n = ring != NULL ? json_array_get_length (ring) : 0;

          if (ring == NULL || n < 6 || n % 2 != 0)
            {
              g_autofree char *where = g_strdup_printf ("%s.segmentation[0]", path);

              set_path_error (error, file, where, _("expected a polygon [x1, y1, x2, y2, …] of at least three points"));
              return NULL;
            }
          shape->polygon = TRUE;
          shape->points = g_array_sized_new (FALSE, FALSE, sizeof (DbwPoint), n / 2);
          for (guint k = 0; k < n; k += 2)
            {
              DbwPoint p;

              if (!read_json_number (json_array_get_element (ring, k), &p.x) ||
                  !read_json_number (json_array_get_element (ring, k + 1), &p.y))
                {
                  g_autofree char *where = g_strdup_printf ("%s.segmentation[0][%u]", path, k);

                  set_path_error (error, file, where, _("expected a number"));
                  return NULL;
                }
              g_array_append_val (shape->points, p);
            }
        }

      attributes = json_object_get_member (annotation, "attributes");
      if (attributes != NULL && JSON_NODE_HOLDS_OBJECT (attributes))
        {
          g_autoptr(JsonNode) copy = json_node_copy (attributes);

          shape->extra = json_object_ref (json_node_get_object (copy));
        }
    }

  return g_steal_pointer (&images);
}

/* YOLO */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GPtrArray *
parse_yolo (GFile         *input,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) import_image_free);
  g_autoptr(GFile) classes_file = g_file_get_child (input, "classes.txt");
  g_autofree char *classes_text = NULL;
  g_auto(GStrv) classes = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  guint n_classes = 0;
  GFileInfo *info;

  if (!g_file_load_contents (classes_file, cancellable, &classes_text, NULL, NULL, &local_error))
    {
      g_autofree char *dir = g_file_get_parse_name (input);

      g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                   _("%s holds no readable classes.txt (%s)"), dir, local_error->message);
      return NULL;
    }
  if (!g_utf8_validate (classes_text, -1, NULL))
    {
      g_set_error_literal (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, _("classes.txt is not UTF-8 text"));
      return NULL;
    }
  classes = g_strsplit (classes_text, "\n", -1);
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_strstrip (classes[i]);
      if (*classes[i] != '\0')
        n_classes = i + 1;
      else if (classes[i + 1] != NULL && *g_strstrip (classes[i + 1]) != '\0')
        {
          g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                       _("classes.txt, line %u: empty class name"), i + 1);
          return NULL;
        }
    }

  enumerator = g_file_enumerate_children (input, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                                          cancellable, error);
  if (enumerator == NULL)
    return NULL;
  while ((info = g_file_enumerator_next_file (enumerator, cancellable, &local_error)) != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (g_str_has_suffix (name, ".txt") && g_strcmp0 (name, "classes.txt") != 0)
        g_ptr_array_add (names, g_filename_display_name (name));
      g_object_unref (info);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr(GFile) file = g_file_get_child_for_display_name (input, name, NULL);
      g_autofree char *text = NULL;
      g_autofree char *stem = strip_extension (name);
      g_auto(GStrv) lines = NULL;
      ImportImage *image;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (file == NULL || !g_file_load_contents (file, cancellable, &text, NULL, NULL, error))
        {
          if (file == NULL)
            g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, _("%s cannot be read"), name);
          return NULL;
        }
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, _("%s is not UTF-8 text"), name);
          return NULL;
        }

      image = import_image_new (stem);
      image->normalised = TRUE;
      g_ptr_array_add (images, image);
      lines = g_strsplit (text, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          int cls;
          double x, y, w, h;

          if (*g_strstrip (lines[l]) == '\0')
            continue;
          if (!dbw_od_parse_yolo_line (lines[l], 0, 0, &cls, &x, &y, &w, &h, error))
            {
              g_prefix_error (error, _("%s, line %u: "), name, l + 1);
              return NULL;
            }
          if ((guint) cls >= n_classes)
            {
              g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE,
                           _("%s, line %u: class %d is not in classes.txt, which lists %u"),
                           name, l + 1, cls, n_classes);
              return NULL;
            }
          import_image_add_box (image, classes[cls], x, y, w, h);
        }
    }

  return g_steal_pointer (&images);
}

/* Pascal VOC */

typedef struct
{
  const char  *file;
  ImportImage *image;
  GString     *text;
  char        *name;           /* the current object's */
  double       box[4];
  guint        have_box;
  gboolean     in_object;
  guint        in_part;     /* inside a <part> of an object (a person's head, hand…) */
  gboolean     in_size;
  gboolean     in_bndbox;
  int          element_line;   /* where the element being read began */
  int          object_line;
} VocParser;

/* GMarkup reports where it is after the tag; a tag that ended its line reads as the next one */
static int
markup_line (GMarkupParseContext *context)
{
  int line = 0, column = 0;

  g_markup_parse_context_get_position (context, &line, &column);
  return column <= 1 && line > 1 ? line - 1 : line;
}

static void
voc_start_element (GMarkupParseContext  *context,
                   const char           *element,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  VocParser *voc = user_data;

  g_string_truncate (voc->text, 0);
  voc->element_line = markup_line (context);
  /* A part's name and box are its own, not its object's. */
  if (voc->in_object && g_str_equal (element, "part"))
    voc->in_part++;
  if (voc->in_part > 0)
    return;
  if (g_str_equal (element, "object"))
    {
      voc->object_line = voc->element_line;
      voc->in_object = TRUE;
      voc->have_box = 0;
      g_clear_pointer (&voc->name, g_free);
    }
  else if (g_str_equal (element, "size"))
    voc->in_size = TRUE;
  else if (g_str_equal (element, "bndbox") && voc->in_object)
    voc->in_bndbox = TRUE;
}

static void
voc_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  VocParser *voc = user_data;

  g_string_append_len (voc->text, text, text_len);
}

static void
voc_error (VocParser   *voc,
           int          line,
           GError     **error,
           const char  *what)
{
  g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, _("%s, line %d: %s"), voc->file, line, what);
}

static void
voc_end_element (GMarkupParseContext  *context,
                 const char           *element,
                 gpointer              user_data,
                 GError              **error)
{
  static const char * const corners[] = { "xmin", "ymin", "xmax", "ymax" };
  VocParser *voc = user_data;
  g_autofree char *text = g_strstrip (g_strdup (voc->text->str));
  double value;

  g_string_truncate (voc->text, 0);

  if (voc->in_part > 0)
    {
      if (g_str_equal (element, "part"))
        voc->in_part--;
      return;
    }

  if (g_str_equal (element, "filename") && !voc->in_object && *text != '\0')
    {
      g_free (voc->image->name);
      voc->image->name = g_steal_pointer (&text);
    }
  else if (voc->in_size && (g_str_equal (element, "width") || g_str_equal (element, "height")))
    {
      if (!parse_double (text, &value) || value < 0)
        {
          g_autofree char *what = g_strdup_printf (_("<%s> is not a size in pixels"), element);

          voc_error (voc, voc->element_line, error, what);
          return;
        }
      if (g_str_equal (element, "width"))
        voc->image->width = image_dimension (value);
      else
        voc->image->height = image_dimension (value);
    }
  else if (g_str_equal (element, "size"))
    voc->in_size = FALSE;
  else if (voc->in_object && g_str_equal (element, "name"))
    {
      g_free (voc->name);
      voc->name = g_steal_pointer (&text);
    }
  else if (voc->in_bndbox && g_str_equal (element, "bndbox"))
    voc->in_bndbox = FALSE;
  else if (voc->in_bndbox)
    {
      for (guint i = 0; i < G_N_ELEMENTS (corners); i++)
        if (g_str_equal (element, corners[i]))
          {
            if (!parse_double (text, &voc->box[i]))
              {
                g_autofree char *what = g_strdup_printf (_("<%s> “%s” is not a number"), element, text);

                voc_error (voc, voc->element_line, error, what);
                return;
              }
            voc->have_box |= 1u << i;
          }
    }
  else if (voc->in_object && g_str_equal (element, "object"))
    {
      voc->in_object = FALSE;
      if (voc->name == NULL || *voc->name == '\0')
        {
          voc_error (voc, voc->object_line, error, _("an <object> without a <name>"));
          return;
        }
      if (voc->have_box != 0xf)
        {
          voc_error (voc, voc->object_line, error, _("an <object> without a complete <bndbox> (xmin, ymin, xmax, ymax)"));
          return;
        }
      if (voc->box[2] < voc->box[0] || voc->box[3] < voc->box[1])
        {
          voc_error (voc, voc->object_line, error, _("xmax or ymax is smaller than xmin or ymin"));
          return;
        }
      import_image_add_box (voc->image, voc->name, voc->box[0], voc->box[1],
                            voc->box[2] - voc->box[0], voc->box[3] - voc->box[1]);
    }
}

static GPtrArray *
parse_voc (GFile         *input,
           GCancellable  *cancellable,
           GError       **error)
{
  static const GMarkupParser parser = { voc_start_element, voc_end_element, voc_text, NULL, NULL };
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) import_image_free);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  GFileInfo *info;

  enumerator = g_file_enumerate_children (input, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                                          cancellable, error);
  if (enumerator == NULL)
    return NULL;
  while ((info = g_file_enumerator_next_file (enumerator, cancellable, &local_error)) != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (g_str_has_suffix (name, ".xml"))
        g_ptr_array_add (names, g_strdup (name));
      g_object_unref (info);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr(GFile) file = g_file_get_child (input, name);
      g_autofree char *text = NULL;
      g_autofree char *stem = strip_extension (name);
      g_autoptr(GMarkupParseContext) context = NULL;
      g_autoptr(GString) buffer = g_string_new (NULL);
      VocParser voc = { 0 };
      gsize len = 0;
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!g_file_load_contents (file, cancellable, &text, &len, NULL, error))
        return NULL;

      voc.file = name;
      voc.image = import_image_new (stem);
      voc.text = buffer;
      g_ptr_array_add (images, voc.image);
      context = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &voc, NULL);
      ok = g_markup_parse_context_parse (context, text, len, &local_error) &&
           g_markup_parse_context_end_parse (context, &local_error);
      g_free (voc.name);
      if (!ok)
        {
          if (local_error->domain == DBW_OD_ERROR)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_PARSE, "%s: %s", name, local_error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&images);
}

/* Label Studio */

static const char *
label_studio_image_name (JsonObject *task)
{
  JsonObject *data = json_object_has_member (task, "data") &&
                     JSON_NODE_HOLDS_OBJECT (json_object_get_member (task, "data"))
                     ? json_object_get_object_member (task, "data") : NULL;
  g_autoptr(GList) members = NULL;

  if (data == NULL)
    return NULL;
  if (json_object_has_member (data, "image") &&
      json_node_get_value_type (json_object_get_member (data, "image")) == G_TYPE_STRING)
    return json_object_get_string_member (data, "image");

  /* an image under another name in the labeling config */
  members = json_object_get_members (data);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (data, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }
  return NULL;
}

static gboolean
label_studio_result (ImportImage  *image,
                     JsonObject   *result,
                     const char   *file,
                     const char   *path,
                     GError      **error)
{
  const char *type = member_string (result, "type") != NULL ? member_string (result, "type") : "";
  gboolean polygon = g_str_equal (type, "polygonlabels");
  JsonNode *value_node = json_object_get_member (result, "value");
  g_autofree char *value_path = g_strdup_printf ("%s.value", path);
  JsonObject *value;
  JsonArray *labels;
  double width = 0, height = 0;
  ImportObject *object;

  if (!polygon && !g_str_equal (type, "rectanglelabels"))
    return TRUE;  /* choices, text areas and the like are not shapes */

  if (value_node == NULL || !JSON_NODE_HOLDS_OBJECT (value_node))
    {
      set_path_error (error, file, value_path, _("expected an object"));
      return FALSE;
    }
  value = json_node_get_object (value_node);
  if (!get_array (value, type, file, value_path, FALSE, &labels, error))
    return FALSE;
  if (json_array_get_length (labels) == 0 ||
      json_node_get_value_type (json_array_get_element (labels, 0)) != G_TYPE_STRING)
    {
      g_autofree char *where = g_strdup_printf ("%s.%s", value_path, type);

      set_path_error (error, file, where, _("expected a class name"));
      return FALSE;
    }

  if (!member_number (result, "original_width", file, path, TRUE, &width, error) ||
      !member_number (result, "original_height", file, path, TRUE, &height, error))
    return FALSE;
  if (image_dimension (width) > 0 && image_dimension (height) > 0)
    {
      if (image->width > 0 && (image->width != image_dimension (width) || image->height != image_dimension (height)))
        {
          set_path_error (error, file, path, _("original_width and original_height differ from the image's other results"));
          return FALSE;
        }
      image->width = image_dimension (width);
      image->height = image_dimension (height);
    }
  /* percent of the size: converted once the size is known */
  image->normalised = TRUE;

  object = g_new0 (ImportObject, 1);
  object->label = g_strdup (json_array_get_string_element (labels, 0));
  g_ptr_array_add (image->objects, object);

  if (polygon)
    {
      JsonArray *points;

      if (!get_array (value, "points", file, value_path, FALSE, &points, error))
        return FALSE;
      object->polygon = TRUE;
      object->points = g_array_new (FALSE, FALSE, sizeof (DbwPoint));
      for (guint i = 0; i < json_array_get_length (points); i++)
        {
          JsonNode *pn = json_array_get_element (points, i);
          JsonArray *pair = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;
          DbwPoint p;

          if (pair == NULL || json_array_get_length (pair) != 2 ||
              !read_json_number (json_array_get_element (pair, 0), &p.x) ||
              !read_json_number (json_array_get_element (pair, 1), &p.y))
            {
              g_autofree char *where = g_strdup_printf ("%s.points[%u]", value_path, i);

              set_path_error (error, file, where, _("expected [x, y] in percent"));
              return FALSE;
            }
          p.x /= 100;
          p.y /= 100;
          g_array_append_val (object->points, p);
        }
      if (object->points->len < 3)
        {
          g_autofree char *where = g_strdup_printf ("%s.points", value_path);

          set_path_error (error, file, where, _("a polygon needs at least three points"));
          return FALSE;
        }
    }
  else
    {
      double rotation = 0;

      if (!member_number (value, "x", file, value_path, FALSE, &object->x, error) ||
          !member_number (value, "y", file, value_path, FALSE, &object->y, error) ||
          !member_number (value, "width", file, value_path, FALSE, &object->width, error) ||
          !member_number (value, "height", file, value_path, FALSE, &object->height, error) ||
          !member_number (value, "rotation", file, value_path, TRUE, &rotation, error))
        return FALSE;
      object->x /= 100;
      object->y /= 100;
      object->width /= 100;
      object->height /= 100;

      if (fmod (rotation, 360) != 0)
        {
          /* Label Studio turns a box clockwise about its top-left corner: keep it as the
           * polygon it covers, in pixels, so the angle is right whatever the aspect ratio */
          double rad = rotation * G_PI / 180, c = cos (rad), s = sin (rad);
          double corners[4][2] = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } };

          if (image->width <= 0 || image->height <= 0)
            {
              set_path_error (error, file, path, _("a rotated box needs original_width and original_height"));
              return FALSE;
            }
          object->polygon = TRUE;
          object->points = g_array_new (FALSE, FALSE, sizeof (DbwPoint));
          for (guint i = 0; i < 4; i++)
            {
              double dx = corners[i][0] * object->width * image->width;
              double dy = corners[i][1] * object->height * image->height;
              DbwPoint p = {
                (object->x * image->width + c * dx - s * dy) / image->width,
                (object->y * image->height + s * dx + c * dy) / image->height,
              };

              g_array_append_val (object->points, p);
            }
        }
    }

  return TRUE;
}

static GPtrArray *
parse_label_studio (GFile         *input,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *file = display_name (input);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) import_image_free);
  JsonNode *root = load_json (input, cancellable, parser, error);
  JsonArray *tasks;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      set_path_error (error, file, "$", _("expected the array of tasks of a Label Studio JSON export"));
      return NULL;
    }
  tasks = json_node_get_array (root);

  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      g_autofree char *path = g_strdup_printf ("$[%u]", i);
      JsonNode *node = json_array_get_element (tasks, i);
      JsonObject *task = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = task != NULL ? label_studio_image_name (task) : NULL;
      const char *kinds[] = { "annotations", "predictions" };
      JsonObject *chosen = NULL;
      g_autofree char *chosen_path = NULL;
      JsonArray *results;
      ImportImage *image;

      if (task == NULL || name == NULL)
        {
          set_path_error (error, file, path, _("expected a task with the image in data"));
          return NULL;
        }

      /* the newest annotation not cancelled; a model's prediction when nobody annotated */
      for (guint k = 0; k < G_N_ELEMENTS (kinds) && chosen == NULL; k++)
        {
          JsonArray *list;

          if (!get_array (task, kinds[k], file, path, TRUE, &list, error))
            return NULL;
          for (guint a = list != NULL ? json_array_get_length (list) : 0; a > 0; a--)
            {
              JsonNode *an = json_array_get_element (list, a - 1);

              if (JSON_NODE_HOLDS_OBJECT (an) &&
                  !member_true (json_node_get_object (an), "was_cancelled"))
                {
                  chosen = json_node_get_object (an);
                  chosen_path = g_strdup_printf ("%s.%s[%u]", path, kinds[k], a - 1);
                  break;
                }
            }
        }

      image = import_image_new (name);
      g_ptr_array_add (images, image);
      if (chosen == NULL)
        continue;

      if (!get_array (chosen, "result", file, chosen_path, FALSE, &results, error))
        return NULL;
      for (guint r = 0; r < json_array_get_length (results); r++)
        {
          g_autofree char *result_path = g_strdup_printf ("%s.result[%u]", chosen_path, r);
          JsonNode *rn = json_array_get_element (results, r);

          if (!JSON_NODE_HOLDS_OBJECT (rn))
            {
              set_path_error (error, file, result_path, _("expected an object"));
              return NULL;
            }
          if (!label_studio_result (image, json_node_get_object (rn), file, result_path, error))
            return NULL;
        }
    }

  return g_steal_pointer (&images);
}

/* The image's objects as label_data, in pixels, clamped to the image. */
static char *
import_image_label_data (ImportImage  *image,
                         int           width,
                         int           height,
                         guint        *n_shapes,
                         GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DbwShapeSet) set = NULL;
  g_autofree char *json = NULL;
  double sx = image->normalised ? width : 1, sy = image->normalised ? height : 1;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "objects");
  json_builder_begin_array (builder);
  for (guint i = 0; i < image->objects->len; i++)
    {
      ImportObject *object = g_ptr_array_index (image->objects, i);
      double x0 = object->x * sx, y0 = object->y * sy;
      double x1 = (object->x + object->width) * sx, y1 = (object->y + object->height) * sy;

      if (image->normalised)
        {
          x0 = snap (x0);
          y0 = snap (y0);
          x1 = snap (x1);
          y1 = snap (y1);
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "class");
      json_builder_add_string_value (builder, object->label);
      json_builder_set_member_name (builder, "bbox");
      json_builder_begin_array (builder);
      add_json_number (builder, x0);
      add_json_number (builder, y0);
      add_json_number (builder, MAX (x1 - x0, 0));
      add_json_number (builder, MAX (y1 - y0, 0));
      json_builder_end_array (builder);
      if (object->polygon)
        {
          json_builder_set_member_name (builder, "polygon");
          json_builder_begin_array (builder);
          for (guint k = 0; k < object->points->len; k++)
            {
              const DbwPoint *p = &g_array_index (object->points, DbwPoint, k);

              json_builder_begin_array (builder);
              add_json_number (builder, image->normalised ? snap (p->x * sx) : p->x);
              add_json_number (builder, image->normalised ? snap (p->y * sy) : p->y);
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
        }
      if (object->extra != NULL)
        {
          g_autoptr(GList) members = json_object_get_members (object->extra);

          for (const GList *l = members; l != NULL; l = l->next)
            {
              if (g_str_equal (l->data, "class") || g_str_equal (l->data, "bbox") ||
                  g_str_equal (l->data, "polygon"))
                continue;
              json_builder_set_member_name (builder, l->data);
              json_builder_add_value (builder, json_node_copy (json_object_get_member (object->extra, l->data)));
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  set = dbw_shape_set_new_from_json (json, width, height, error);
  if (set == NULL)
    return NULL;
  *n_shapes = dbw_shape_set_get_n_shapes (set);
  return dbw_shape_set_to_json (set);
}

DbwOdImportResult *
dbw_od_import (DbwStore      *store,
               const char    *sheet_id,
               DbwOdFormat    format,
               GFile         *input,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(DbwOdImportResult) result = g_new0 (DbwOdImportResult, 1);
  g_autoptr(GStrvBuilder) unmatched = g_strv_builder_new ();
  g_auto(ItemIndex) index = { 0 };
  const char *source = format_source (format);

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (input), NULL);
  g_return_val_if_fail (source != NULL, NULL);

  switch (format)
    {
    case DBW_OD_FORMAT_COCO:
      images = parse_coco (input, cancellable, error);
      break;
    case DBW_OD_FORMAT_YOLO:
      images = parse_yolo (input, cancellable, error);
      break;
    case DBW_OD_FORMAT_VOC:
      images = parse_voc (input, cancellable, error);
      break;
    case DBW_OD_FORMAT_LABEL_STUDIO:
      images = parse_label_studio (input, cancellable, error);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  if (images == NULL)
    return NULL;

  if (!item_index_load (&index, store, sheet_id, error))
    return NULL;

  if (!dbw_store_begin (store, error))
    return NULL;

  for (guint i = 0; i < images->len; i++)
    {
      ImportImage *image = g_ptr_array_index (images, i);
      const char *item_ref = item_index_match (&index, image->name);
      int width = image->width, height = image->height;
      g_autofree char *label_data = NULL;
      guint n_shapes = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;

      if (item_ref == NULL)
        {
          g_strv_builder_add (unmatched, image->name);
          continue;
        }

      if (width <= 0 || height <= 0)
        {
          if (!item_index_size (&index, store, item_ref, &width, &height))
            {
              if (image->normalised && image->objects->len > 0)
                {
                  g_set_error (error, DBW_OD_ERROR, DBW_OD_ERROR_NO_SIZE,
                               _("%s: the coordinates are relative to the image size, and the size of %s is unknown"),
                               image->name, item_ref);
                  goto fail;
                }
              width = height = 0;
            }
        }

      label_data = import_image_label_data (image, width, height, &n_shapes, error);
      if (label_data == NULL)
        {
          prefix_error (error, image->name);
          goto fail;
        }
      /* an image with nothing on it withdraws what the source suggested before */
      if (!_dbw_label_suggestions_put (store, sheet_id, item_ref, DBW_LABEL_TYPE_OBJECT_DETECTION,
                                       n_shapes > 0 ? label_data : NULL, source, error))
        goto fail;
      result->n_images++;
      result->n_shapes += n_shapes;
    }

  if (!dbw_store_commit (store, error))
    goto fail;
  dbw_store_emit_changed (store, "label_suggestions", DBW_CHANGE_RESET, NULL);

  result->unmatched = g_strv_builder_end (unmatched);
  return g_steal_pointer (&result);

fail:
  dbw_store_rollback (store);
  return NULL;
}
