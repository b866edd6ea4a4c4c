/* dbw-databricks.h
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

#include "dbw-databricks-config.h"
#include "dbw-file-entry.h"
#include "dbw-http.h"
#include "dbw-job-run.h"
#include "dbw-mlflow-metric.h"
#include "dbw-serving-endpoint.h"
#include "dbw-sql-result.h"
#include "dbw-uc-entry.h"

G_BEGIN_DECLS

#define DBW_DATABRICKS_ERROR (dbw_databricks_error_quark ())

/* Transport and HTTP status problems stay in DBW_HTTP_ERROR; cancellation is
 * G_IO_ERROR_CANCELLED. */
typedef enum
{
  DBW_DATABRICKS_ERROR_INVALID_NAME,         /* a catalog/schema/table/warehouse name we refuse to send */
  DBW_DATABRICKS_ERROR_SIGN_IN,              /* the OAuth token endpoint gave no usable token */
  DBW_DATABRICKS_ERROR_WAREHOUSE_NOT_FOUND,
  DBW_DATABRICKS_ERROR_WAREHOUSE_UNAVAILABLE, /* deleted or being deleted */
  DBW_DATABRICKS_ERROR_STATEMENT_FAILED,     /* the message is the workspace's status.error.message */
  DBW_DATABRICKS_ERROR_STATEMENT_CANCELED,   /* cancelled or closed in the workspace, not by us */
  DBW_DATABRICKS_ERROR_INVALID_RESPONSE,     /* JSON of an unexpected shape */
  DBW_DATABRICKS_ERROR_INVALID_VALUE,        /* a value we refuse to send (a NaN metric, …) */
} DbwDatabricksError;

/* How an MLflow run ended. */
typedef enum
{
  DBW_MLFLOW_RUN_FINISHED,
  DBW_MLFLOW_RUN_FAILED,
  DBW_MLFLOW_RUN_KILLED,
} DbwMlflowRunStatus;

GQuark dbw_databricks_error_quark (void);

#define DBW_TYPE_DATABRICKS (dbw_databricks_get_type ())

G_DECLARE_FINAL_TYPE (DbwDatabricks, dbw_databricks, DBW, DATABRICKS, GObject)

DbwDatabricks       *dbw_databricks_new                     (DbwDatabricksConfig  *config,
                                                             DbwHttp              *http);
DbwDatabricksConfig *dbw_databricks_get_config              (DbwDatabricks        *self);
DbwHttp             *dbw_databricks_get_http                (DbwDatabricks        *self);
guint                dbw_databricks_get_poll_interval       (DbwDatabricks        *self);
void                 dbw_databricks_set_poll_interval       (DbwDatabricks        *self,
                                                             guint                 msec);
guint                dbw_databricks_get_n_tokens_fetched    (DbwDatabricks        *self);

gboolean             dbw_databricks_validate_identifier     (const char           *name,
                                                             const char           *what,
                                                             GError              **error);

void                 dbw_databricks_test_connection_async   (DbwDatabricks        *self,
                                                             const char           *warehouse_id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
char                *dbw_databricks_test_connection_finish  (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             char                **warehouse_state,
                                                             GError              **error);

void                 dbw_databricks_list_catalogs_async     (DbwDatabricks        *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray           *dbw_databricks_list_catalogs_finish    (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_list_schemas_async      (DbwDatabricks        *self,
                                                             const char           *catalog,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray           *dbw_databricks_list_schemas_finish     (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_list_tables_async       (DbwDatabricks        *self,
                                                             const char           *catalog,
                                                             const char           *schema,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray           *dbw_databricks_list_tables_finish      (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_list_volumes_async      (DbwDatabricks        *self,
                                                             const char           *catalog,
                                                             const char           *schema,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray           *dbw_databricks_list_volumes_finish     (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

void                 dbw_databricks_list_entity_tags_async  (DbwDatabricks        *self,
                                                             const char           *entity_type,
                                                             const char           *entity_name,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GHashTable          *dbw_databricks_list_entity_tags_finish (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Files API for volumes: every path is "/Volumes/catalog/schema/volume/…". */
void                 dbw_databricks_upload_file_async       (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GFile                *source,
                                                             gboolean              overwrite,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             dbw_databricks_upload_file_finish      (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_upload_bytes_async      (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GBytes               *contents,
                                                             gboolean              overwrite,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             dbw_databricks_upload_bytes_finish     (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_download_file_async     (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GFile                *destination,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             dbw_databricks_download_file_finish    (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_get_file_size_async     (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gint64               dbw_databricks_get_file_size_finish    (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_delete_file_async       (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             dbw_databricks_delete_file_finish      (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_create_directory_async  (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             dbw_databricks_create_directory_finish (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_delete_directory_async  (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean             dbw_databricks_delete_directory_finish (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                 dbw_databricks_list_directory_async    (DbwDatabricks        *self,
                                                             const char           *path,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray           *dbw_databricks_list_directory_finish   (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

void                 dbw_databricks_execute_async           (DbwDatabricks        *self,
                                                             const char           *warehouse_id,
                                                             const char           *sql,
                                                             GHashTable           *parameters,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
void                 dbw_databricks_execute_limited_async   (DbwDatabricks        *self,
                                                             const char           *warehouse_id,
                                                             const char           *sql,
                                                             GHashTable           *parameters,
                                                             gint64                byte_limit,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
void                 dbw_databricks_execute_external_async  (DbwDatabricks        *self,
                                                             const char           *warehouse_id,
                                                             const char           *sql,
                                                             GHashTable           *parameters,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
DbwSqlResult        *dbw_databricks_execute_finish          (DbwDatabricks        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Model serving */
void                 dbw_databricks_list_serving_endpoints_async   (DbwDatabricks        *self,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
GPtrArray           *dbw_databricks_list_serving_endpoints_finish  (DbwDatabricks        *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);
void                 dbw_databricks_get_serving_endpoint_async     (DbwDatabricks        *self,
                                                                    const  char          *name,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
DbwServingEndpoint  *dbw_databricks_get_serving_endpoint_finish    (DbwDatabricks        *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);
void                 dbw_databricks_invoke_serving_endpoint_async  (DbwDatabricks        *self,
                                                                    const  char          *name,
                                                                    JsonNode             *body,
                                                                    gboolean              idempotent,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
JsonNode            *dbw_databricks_invoke_serving_endpoint_finish (DbwDatabricks        *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);

/* MLflow tracking */
void                 dbw_databricks_mlflow_get_experiment_async  (DbwDatabricks        *self,
                                                                  const  char          *name,
                                                                  gboolean              create,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
char                *dbw_databricks_mlflow_get_experiment_finish (DbwDatabricks        *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                 dbw_databricks_mlflow_create_run_async      (DbwDatabricks        *self,
                                                                  const  char          *experiment_id,
                                                                  const  char          *run_name,
                                                                  GHashTable           *tags,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
char                *dbw_databricks_mlflow_create_run_finish     (DbwDatabricks        *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                 dbw_databricks_mlflow_log_batch_async       (DbwDatabricks        *self,
                                                                  const  char          *run_id,
                                                                  GHashTable           *params,
                                                                  GPtrArray            *metrics,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean             dbw_databricks_mlflow_log_batch_finish      (DbwDatabricks        *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                 dbw_databricks_mlflow_set_terminated_async  (DbwDatabricks        *self,
                                                                  const  char          *run_id,
                                                                  DbwMlflowRunStatus    status,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean             dbw_databricks_mlflow_set_terminated_finish (DbwDatabricks        *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);

/* Jobs */
void                 dbw_databricks_jobs_submit_run_async  (DbwDatabricks        *self,
                                                            JsonNode             *spec,
                                                            const  char          *idempotency_token,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gint64               dbw_databricks_jobs_submit_run_finish (DbwDatabricks        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                 dbw_databricks_jobs_get_run_async     (DbwDatabricks        *self,
                                                            gint64                run_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
DbwJobRun           *dbw_databricks_jobs_get_run_finish    (DbwDatabricks        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                 dbw_databricks_jobs_cancel_run_async  (DbwDatabricks        *self,
                                                            gint64                run_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             dbw_databricks_jobs_cancel_run_finish (DbwDatabricks        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
