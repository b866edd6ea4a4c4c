/* dbw-http.h
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
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DBW_HTTP_ERROR (dbw_http_error_quark ())

/* Cancellation is reported as G_IO_ERROR_CANCELLED, not in this domain. */
typedef enum
{
  DBW_HTTP_ERROR_NETWORK,           /* connection refused, reset, closed early */
  DBW_HTTP_ERROR_HOST_NOT_FOUND,    /* DNS lookup failed */
  DBW_HTTP_ERROR_TLS,               /* handshake or certificate verification failed */
  DBW_HTTP_ERROR_TIMEOUT,
  DBW_HTTP_ERROR_INVALID_URL,
  DBW_HTTP_ERROR_INSECURE_URL,      /* plain http:// to a host that is not loopback */
  DBW_HTTP_ERROR_HTTP_STATUS,       /* any other 4xx */
  DBW_HTTP_ERROR_UNAUTHORIZED,      /* 401 */
  DBW_HTTP_ERROR_FORBIDDEN,         /* 403 */
  DBW_HTTP_ERROR_NOT_FOUND,         /* 404 */
  DBW_HTTP_ERROR_RATE_LIMITED,      /* 429 */
  DBW_HTTP_ERROR_SERVER,            /* 5xx */
  DBW_HTTP_ERROR_INVALID_RESPONSE,  /* not the JSON we asked for, bad encoding */
} DbwHttpError;

GQuark dbw_http_error_quark (void);

/* DbwHttpRequest: what to send. Build it, then hand it to dbw_http_send_async(); it must not
 * be changed after that (the worker thread reads it). */
typedef struct _DbwHttpRequest DbwHttpRequest;

#define DBW_TYPE_HTTP_REQUEST (dbw_http_request_get_type ())

GType           dbw_http_request_get_type         (void) G_GNUC_CONST;
DbwHttpRequest *dbw_http_request_new              (const char      *method,
                                                   const char      *url);
DbwHttpRequest *dbw_http_request_new_json         (const char      *method,
                                                   const char      *url,
                                                   JsonNode        *body);
DbwHttpRequest *dbw_http_request_ref              (DbwHttpRequest  *self);
void            dbw_http_request_unref            (DbwHttpRequest  *self);
const char     *dbw_http_request_get_method       (DbwHttpRequest  *self);
const char     *dbw_http_request_get_url          (DbwHttpRequest  *self);
void            dbw_http_request_add_header       (DbwHttpRequest  *self,
                                                   const char      *name,
                                                   const char      *value);
void            dbw_http_request_set_bearer_token (DbwHttpRequest  *self,
                                                   const char      *token);
void            dbw_http_request_set_basic_auth   (DbwHttpRequest  *self,
                                                   const char      *user,
                                                   const char      *password);
void            dbw_http_request_set_body         (DbwHttpRequest  *self,
                                                   GBytes          *body,
                                                   const char      *content_type);
GBytes         *dbw_http_request_get_body         (DbwHttpRequest  *self);
void            dbw_http_request_set_body_file    (DbwHttpRequest  *self,
                                                   GFile           *file,
                                                   const char      *content_type);
void            dbw_http_request_set_response_file (DbwHttpRequest *self,
                                                    GFile          *file);
void            dbw_http_request_set_idempotent   (DbwHttpRequest  *self,
                                                   gboolean         idempotent);
gboolean        dbw_http_request_get_idempotent   (DbwHttpRequest  *self);

gboolean        dbw_http_check_url                (const char      *url,
                                                   GError         **error);
void            dbw_http_request_set_any_content_type (DbwHttpRequest *self,
                                                   gboolean         any_content_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwHttpRequest, dbw_http_request_unref)

/* DbwHttpResponse: what came back (status < 400; errors come back as GError). */
typedef struct _DbwHttpResponse DbwHttpResponse;

#define DBW_TYPE_HTTP_RESPONSE (dbw_http_response_get_type ())

GType            dbw_http_response_get_type         (void) G_GNUC_CONST;
DbwHttpResponse *dbw_http_response_ref              (DbwHttpResponse *self);
void             dbw_http_response_unref            (DbwHttpResponse *self);
guint            dbw_http_response_get_status       (DbwHttpResponse *self);
const char      *dbw_http_response_get_header       (DbwHttpResponse *self,
                                                     const char      *name);
const char      *dbw_http_response_get_content_type (DbwHttpResponse *self);
GBytes          *dbw_http_response_get_body         (DbwHttpResponse *self);
guint            dbw_http_response_get_attempts     (DbwHttpResponse *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwHttpResponse, dbw_http_response_unref)

#define DBW_TYPE_HTTP (dbw_http_get_type ())

G_DECLARE_FINAL_TYPE (DbwHttp, dbw_http, DBW, HTTP, GObject)

DbwHttp         *dbw_http_new                   (void);
guint            dbw_http_get_connect_timeout   (DbwHttp              *self);
void             dbw_http_set_connect_timeout   (DbwHttp              *self,
                                                 guint                 msec);
guint            dbw_http_get_timeout           (DbwHttp              *self);
void             dbw_http_set_timeout           (DbwHttp              *self,
                                                 guint                 msec);
guint            dbw_http_get_retry_base_delay  (DbwHttp              *self);
void             dbw_http_set_retry_base_delay  (DbwHttp              *self,
                                                 guint                 msec);
guint            dbw_http_get_retry_max_delay   (DbwHttp              *self);
void             dbw_http_set_retry_max_delay   (DbwHttp              *self,
                                                 guint                 msec);
guint            dbw_http_get_max_attempts      (DbwHttp              *self);
void             dbw_http_set_max_attempts      (DbwHttp              *self,
                                                 guint                 max_attempts);
guint            dbw_http_get_max_retry_wait    (DbwHttp              *self);
void             dbw_http_set_max_retry_wait    (DbwHttp              *self,
                                                 guint                 msec);
guint            dbw_http_get_n_requests        (DbwHttp              *self);
guint            dbw_http_get_n_retries         (DbwHttp              *self);

void             dbw_http_send_async            (DbwHttp              *self,
                                                 DbwHttpRequest       *request,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
DbwHttpResponse *dbw_http_send_finish           (DbwHttp              *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
DbwHttpResponse *dbw_http_send                  (DbwHttp              *self,
                                                 DbwHttpRequest       *request,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void             dbw_http_send_json_async       (DbwHttp              *self,
                                                 DbwHttpRequest       *request,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
JsonNode        *dbw_http_send_json_finish      (DbwHttp              *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
