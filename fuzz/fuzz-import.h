/* fuzz-import.h
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

#include <json-glib/json-glib.h>

#include "dbw-importer.h"

G_BEGIN_DECLS

/* What one import did, for the checks a harness makes on top of those of
 * fuzz_import_run(). */
typedef struct
{
  gboolean committed;
  guint64  n_problems;
  guint64  n_added;
  guint64  n_versions;
  guint64  n_unchanged;
} FuzzImportResult;

/* Inputs up to this size also get the differential checks, which parse them again. */
#define FUZZ_IMPORT_DIFFERENTIAL_MAX_SIZE ((gsize) 64 * 1024)

void     fuzz_import_run            (DbwImportFormat   format,
                                     const guint8     *data,
                                     gsize             size,
                                     FuzzImportResult *result);

char    *fuzz_import_dup_fields     (const char       *item_ref);

gboolean fuzz_import_node_is_text   (JsonNode         *node);
gboolean fuzz_import_is_json_object (const char       *text,
                                     gsize             len);
gboolean fuzz_import_is_strict_json (const char       *text,
                                     gsize             len);
gboolean fuzz_import_json_is_text   (const char       *text,
                                     gsize             len);
guint    fuzz_import_json_depth     (const char       *text,
                                     gsize             len);

G_END_DECLS
