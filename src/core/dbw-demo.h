/* dbw-demo.h
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

#include "dbw-store.h"

G_BEGIN_DECLS

gboolean dbw_demo_fill          (DbwStore             *store,
                                 const char           *sources_dir,
                                 GCancellable         *cancellable,
                                 GError              **error);
void     dbw_demo_create_async  (GFile                *file,
                                 const char           *sources_dir,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
GFile   *dbw_demo_create_finish (GAsyncResult         *result,
                                 GError              **error);

G_END_DECLS
