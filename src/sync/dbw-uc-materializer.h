/* dbw-uc-materializer.h
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
#include "dbw-import-report.h"
#include "dbw-sheet.h"
#include "dbw-usage-constraints.h"

G_BEGIN_DECLS

#define DBW_UC_MATERIALIZER_ERROR (dbw_uc_materializer_error_quark ())

/* Problems of the workspace's answers stay in DBW_HTTP_ERROR and DBW_DATABRICKS_ERROR,
 * those of the import in DBW_IMPORT_ERROR and DBW_STORE_ERROR; cancellation is
 * G_IO_ERROR_CANCELLED. */
typedef enum
{
  DBW_UC_MATERIALIZER_ERROR_NOT_A_POINTER,  /* not a Unity Catalog sheet, or its pointer is not valid */
  DBW_UC_MATERIALIZER_ERROR_NOT_FOUND,      /* a table or column it names is not in the workspace */
  DBW_UC_MATERIALIZER_ERROR_NO_WAREHOUSE,
} DbwUcMaterializerError;

/* Rows a preview shows. */
#define DBW_UC_PREVIEW_ROWS 100

#define DBW_TYPE_UC_MATERIALIZER (dbw_uc_materializer_get_type ())

G_DECLARE_FINAL_TYPE (DbwUcMaterializer, dbw_uc_materializer, DBW, UC_MATERIALIZER, GObject)

GQuark             dbw_uc_materializer_error_quark  (void);

DbwUcMaterializer *dbw_uc_materializer_new          (DbwDatabricks        *client,
                                                     const char           *warehouse_id,
                                                     GFile                *project,
                                                     DbwSheet             *sheet);
void               dbw_uc_materializer_set_user     (DbwUcMaterializer    *self,
                                                     const char           *user);
double             dbw_uc_materializer_get_fraction (DbwUcMaterializer    *self);
const char        *dbw_uc_materializer_get_status   (DbwUcMaterializer    *self);
DbwImportReport   *dbw_uc_materializer_get_report   (DbwUcMaterializer    *self);
const char        *dbw_uc_materializer_get_query    (DbwUcMaterializer    *self);
const DbwUsageConstraints *dbw_uc_materializer_get_usage_constraints (DbwUcMaterializer *self);

void               dbw_uc_materializer_run_async    (DbwUcMaterializer    *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean           dbw_uc_materializer_run_finish   (DbwUcMaterializer    *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void               dbw_uc_materializer_preview_async  (DbwDatabricks      *client,
                                                       const char         *warehouse_id,
                                                       const char         *table,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
DbwSqlResult      *dbw_uc_materializer_preview_finish (DbwDatabricks      *client,
                                                       GAsyncResult       *result,
                                                       GError            **error);

char              *dbw_uc_materializer_build_sample  (DbwSheet           *sheet,
                                                       GHashTable         *parameters,
                                                       GError            **error);
char              *dbw_uc_materializer_make_ref      (const char         *table,
                                                       const char * const *key_values);
char              *dbw_uc_materializer_base_ref      (const char         *ref);

G_END_DECLS
