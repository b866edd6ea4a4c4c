/* dbw-image-preview.h
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

#include <adwaita.h>

#include "dbw-image-view.h"

G_BEGIN_DECLS

#define DBW_TYPE_IMAGE_PREVIEW (dbw_image_preview_get_type ())

G_DECLARE_FINAL_TYPE (DbwImagePreview, dbw_image_preview, DBW, IMAGE_PREVIEW, GtkWidget)

/* A DbwImageView with its states around it: nothing, a spinner while decoding, the image,
 * or a status page saying why the image cannot be shown. The visible state is one of
 * "empty", "loading", "image", "error". */

GtkWidget    *dbw_image_preview_new       (void);
void          dbw_image_preview_set_bytes (DbwImagePreview *self,
                                           GBytes          *bytes);
DbwImageView *dbw_image_preview_get_view  (DbwImagePreview *self);
const char   *dbw_image_preview_get_state (DbwImagePreview *self);

G_END_DECLS
