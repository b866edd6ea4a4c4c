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

G_END_DECLS
