/* dbw-image-annotator.h
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

#include <gtk/gtk.h>

#include "dbw-shapes.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_ANNOTATOR_TOOL_SELECT,
  DBW_ANNOTATOR_TOOL_BOX,
  DBW_ANNOTATOR_TOOL_POLYGON,
} DbwAnnotatorTool;

#define DBW_TYPE_ANNOTATOR_TOOL (dbw_annotator_tool_get_type ())

#define DBW_TYPE_IMAGE_ANNOTATOR (dbw_image_annotator_get_type ())

G_DECLARE_FINAL_TYPE (DbwImageAnnotator, dbw_image_annotator, DBW, IMAGE_ANNOTATOR, GtkWidget)

/* Boxes and polygons drawn on an image, in image pixels whatever the zoom (a DbwShapeSet).
 * The image is decoded in a worker thread into a pyramid of tiles (DbwImagePyramid); a frame
 * draws the level that matches the zoom, the tiles in view and the shapes in view only.
 *
 * Editing, while the annotator has the focus and #DbwImageAnnotator:editable is set:
 *   B / P / Escape  box tool, polygon tool, back to selecting (Escape first cancels a
 *                   polygon being drawn, then leaves the tool, then clears the selection)
 *   drag            select tool: move the shape under the pointer, or a handle of the
 *                   selected one; box tool: draw a box; polygon tool: click the vertices,
 *                   Enter (or a click on the first vertex) closes
 *   Delete          remove the selected shape
 *   1 … 9           the class of new shapes, and of the selected shape
 *   Enter           accept the selected suggestion
 *   arrows          move the selected shape by a pixel (Shift: ten); pan without one
 *   Ctrl+Z, Ctrl+Shift+Z   undo, redo (of this image's shapes)
 * Viewing, always:
 *   Ctrl+scroll     zoom about the pointer; + and - zoom about the centre; 0 fits
 *   scroll, space+drag, middle drag, drag on empty image   pan
 *
 * Shapes only ever clamp to the image: a shape moved or resized past the visible area goes
 * on past it. Suggested shapes (pre-annotations) are drawn dashed until accepted.
 *
 * ::changed is emitted once per user change (a finished drag, a key); the page saves then.
 * Undo and redo replace the shape set with an earlier copy, so read it back with
 * dbw_image_annotator_get_shapes() rather than keeping the one given. */

GType              dbw_annotator_tool_get_type             (void) G_GNUC_CONST;

GtkWidget         *dbw_image_annotator_new                 (void);

void               dbw_image_annotator_set_image_bytes     (DbwImageAnnotator  *self,
                                                            GBytes             *bytes);
void               dbw_image_annotator_set_image_file      (DbwImageAnnotator  *self,
                                                            GFile              *file);
void               dbw_image_annotator_prefetch            (DbwImageAnnotator  *self,
                                                            GBytes             *bytes);
gboolean           dbw_image_annotator_get_loading         (DbwImageAnnotator  *self);
const GError      *dbw_image_annotator_get_error           (DbwImageAnnotator  *self);

DbwShapeSet       *dbw_image_annotator_get_shapes          (DbwImageAnnotator  *self);
void               dbw_image_annotator_set_shapes          (DbwImageAnnotator  *self,
                                                            DbwShapeSet        *shapes);
gboolean           dbw_image_annotator_get_editable        (DbwImageAnnotator  *self);
void               dbw_image_annotator_set_editable        (DbwImageAnnotator  *self,
                                                            gboolean            editable);
int                dbw_image_annotator_get_selected        (DbwImageAnnotator  *self);
void               dbw_image_annotator_set_selected        (DbwImageAnnotator  *self,
                                                            int                 index);
DbwAnnotatorTool   dbw_image_annotator_get_tool            (DbwImageAnnotator  *self);
void               dbw_image_annotator_set_tool            (DbwImageAnnotator  *self,
                                                            DbwAnnotatorTool    tool);

void               dbw_image_annotator_set_classes         (DbwImageAnnotator  *self,
                                                            const char * const *classes);
const char * const *dbw_image_annotator_get_classes        (DbwImageAnnotator  *self);
const char        *dbw_image_annotator_get_current_class   (DbwImageAnnotator  *self);
void               dbw_image_annotator_set_current_class   (DbwImageAnnotator  *self,
                                                            const char         *class_name);

gboolean           dbw_image_annotator_get_can_undo        (DbwImageAnnotator  *self);
gboolean           dbw_image_annotator_get_can_redo        (DbwImageAnnotator  *self);
void               dbw_image_annotator_undo                (DbwImageAnnotator  *self);
void               dbw_image_annotator_redo                (DbwImageAnnotator  *self);

void               dbw_image_annotator_paste_shapes        (DbwImageAnnotator  *self,
                                                            DbwShapeSet        *from);
void               dbw_image_annotator_accept_suggestions  (DbwImageAnnotator  *self);

double             dbw_image_annotator_get_zoom            (DbwImageAnnotator  *self);
void               dbw_image_annotator_zoom_at             (DbwImageAnnotator  *self,
                                                            double              zoom,
                                                            double              x,
                                                            double              y);
void               dbw_image_annotator_fit                 (DbwImageAnnotator  *self);
void               dbw_image_annotator_pan_by              (DbwImageAnnotator  *self,
                                                            double              dx,
                                                            double              dy);
void               dbw_image_annotator_view_to_image       (DbwImageAnnotator  *self,
                                                            double              x,
                                                            double              y,
                                                            double             *image_x,
                                                            double             *image_y);
void               dbw_image_annotator_image_to_view       (DbwImageAnnotator  *self,
                                                            double              image_x,
                                                            double              image_y,
                                                            double             *x,
                                                            double             *y);

G_END_DECLS
