/* dbw-image-annotator-private.h
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

#include "dbw-image-annotator.h"
#include "dbw-image-pyramid.h"

G_BEGIN_DECLS

/* The pointer as the gestures report it, in widget coordinates: what the tests and the
 * benchmark drive, since GTK 4 cannot synthesise events. The gestures call the same code. */
void             _dbw_image_annotator_pointer_press   (DbwImageAnnotator *self,
                                                       guint              button,
                                                       double             x,
                                                       double             y);
void             _dbw_image_annotator_pointer_motion  (DbwImageAnnotator *self,
                                                       double             x,
                                                       double             y);
void             _dbw_image_annotator_pointer_release (DbwImageAnnotator *self,
                                                       double             x,
                                                       double             y);
void             _dbw_image_annotator_set_space_down  (DbwImageAnnotator *self,
                                                       gboolean           down);
DbwImagePyramid *_dbw_image_annotator_get_pyramid     (DbwImageAnnotator *self);
/* Images in the cache that are decoded and ready. */
guint            _dbw_image_annotator_get_n_ready     (DbwImageAnnotator *self);
/* Tiles and shapes the last frame drew. */
void             _dbw_image_annotator_get_drawn       (DbwImageAnnotator *self,
                                                       guint             *n_tiles,
                                                       guint             *n_shapes);

G_END_DECLS
