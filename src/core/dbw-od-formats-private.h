/* dbw-od-formats-private.h
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

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "dbw-od-formats.h"

G_BEGIN_DECLS

typedef struct
{
  const char *item_ref;
  const char *label_data;  /* object_detection label data */
  const char *blob_hash;   /* the item's image, for its size; may be NULL */
} DbwOdExportLabel;

/* Writes the given labels as dbw_od_export() writes a sheet's, for exporters that choose
 * the labels themselves (the governed export of Q&A pairs). */
gint64 _dbw_od_export_labels (DbwStore                *store,
                              const DbwOdExportLabel  *labels,
                              guint                    n_labels,
                              DbwOdFormat              format,
                              GFile                   *output,
                              GCancellable            *cancellable,
                              GError                 **error);

/* Whether the image @loader read is shown a quarter turn from how it is stored (Exif
 * orientation 5–8, a phone's portrait photo): its width and height trade places. */
gboolean _dbw_od_loader_is_quarter_turned (GdkPixbufLoader *loader);

G_END_DECLS
