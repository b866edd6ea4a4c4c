/* dbw-od-formats.h
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

#pragma once

#include <gio/gio.h>

#include "dbw-shapes.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* Object-detection label exchange with other tools. Images are matched to items by file name
 * (the item_ref's basename, with or without its extension). Coordinates: COCO [x, y, w, h] in
 * absolute pixels; YOLO "class cx cy w h" normalised to the image size, one .txt per image plus
 * classes.txt; Pascal VOC absolute corners, one .xml per image; Label Studio JSON export in percent
 * of original_width/original_height (import only). */

#define DBW_OD_ERROR (dbw_od_error_quark ())

typedef enum
{
  DBW_OD_ERROR_PARSE,      /* names the file, and the line or JSON path, and what is wrong */
  DBW_OD_ERROR_NO_SIZE,    /* an image whose size is needed and unknown */
  DBW_OD_ERROR_UNSUPPORTED,
} DbwOdError;

typedef enum
{
  DBW_OD_FORMAT_COCO,
  DBW_OD_FORMAT_YOLO,
  DBW_OD_FORMAT_VOC,
  DBW_OD_FORMAT_LABEL_STUDIO,
} DbwOdFormat;

typedef struct
{
  gint64   n_images;     /* images matched to items */
  gint64   n_shapes;
  GStrv    unmatched;    /* image names no item matched */
} DbwOdImportResult;

void        dbw_od_import_result_free (DbwOdImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwOdImportResult, dbw_od_import_result_free)

GQuark      dbw_od_error_quark        (void);
gboolean    dbw_od_format_from_string (const char          *name,    /* coco|yolo|voc|labelstudio */
                                       DbwOdFormat         *format);

/* Writes the sheet's object_detection canonical labels that the dual gate lets out for
 * training (dbw_od_export) or @use (dbw_od_export_for_use); the others are left out. COCO: @output is the JSON file; YOLO and
 * VOC: @output is a directory (created). Files are written atomically. Returns the number of
 * images written, -1 on error. Image sizes come from the label's image_width/height, else from
 * the item's blob. */
gint64      dbw_od_export             (DbwStore            *store,
                                       const char          *sheet_id,
                                       DbwOdFormat          format,
                                       GFile               *output,
                                       GCancellable        *cancellable,
                                       GError             **error);
/* What an export left out: labels whose usage constraints do not allow the use, and label
 * files an earlier export left in a YOLO or VOC folder that this one did not write (they are
 * removed; other files stay). */
typedef struct
{
  gint64 n_withheld;
  guint  n_removed;
} DbwOdExportCounts;

gint64      dbw_od_export_for_use     (DbwStore            *store,
                                       const char          *sheet_id,
                                       const char          *use,
                                       DbwOdFormat          format,
                                       GFile               *output,
                                       DbwOdExportCounts   *counts,
                                       GCancellable        *cancellable,
                                       GError             **error);
/* Reads @input (COCO or Label Studio JSON file; YOLO or VOC directory, a YOLO directory holding
 * classes.txt) and stores the shapes as label suggestions (source "coco", "yolo", "voc",
 * "labelstudio") for the matching items: pre-annotations to accept or fix, never labels. */
DbwOdImportResult *dbw_od_import      (DbwStore            *store,
                                       const char          *sheet_id,
                                       DbwOdFormat          format,
                                       GFile               *input,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* Pure conversions, for tests and the exporters. */
char       *dbw_od_yolo_line          (const DbwShape      *shape,
                                       int                  class_index,
                                       int                  image_width,
                                       int                  image_height);
gboolean    dbw_od_parse_yolo_line    (const char          *line,
                                       int                  image_width,
                                       int                  image_height,
                                       int                 *class_index,
                                       double              *x,
                                       double              *y,
                                       double              *width,
                                       double              *height,
                                       GError             **error);

G_END_DECLS
