/* dbw-workspace.h
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

#include "dbw-databricks.h"

G_BEGIN_DECLS

void           dbw_workspace_connect_async  (const char           *host,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
DbwDatabricks *dbw_workspace_connect_finish (GAsyncResult         *result,
                                             char                **warehouse_id,
                                             GError              **error);

G_END_DECLS
