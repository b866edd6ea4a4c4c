/* dbw-http.c
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

#define G_LOG_DOMAIN "dbw-http"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dbw-http.h"

/* DbwHttp runs every request in a GTask worker thread (g_task_run_in_thread), never on the
 * main thread. Inside the worker, one request (all its attempts) drives one easy handle
 * through its own curl multi handle: curl_multi_poll() is the only place the thread sleeps,
 * both during a transfer and during a backoff wait, and the cancellable's "cancelled" handler
 * calls curl_multi_wakeup(), so a cancel interrupts either at once instead of at the next
 * once-a-second progress callback. A single shared multi loop would serve many concurrent
 * transfers with fewer threads, but we send a few requests at a time and the per-request
 * thread keeps the code straight; DNS cache, TLS sessions and connections are still shared
 * between requests through a CURLSH.
 *
 * A request body may come from a file and a response body may go to one: both are streamed
 * in chunks by curl's read and write callbacks, so a large file is never in memory whole.
 * The body file is opened again for every attempt; the response goes to a temporary file
 * beside the destination, renamed over it only when a whole 2xx answer has arrived.
 *
 * What never happens here: TLS verification switched off, CURLOPT_VERBOSE (it would print
 * the Authorization header), proxies overridden (libcurl reads http_proxy / https_proxy /
 * no_proxy itself), redirects followed (a redirect to another host must not carry our
 * token), plain http to anything but loopback. */

#define DEFAULT_CONNECT_TIMEOUT_MS 15000
#define DEFAULT_TIMEOUT_MS         120000
#define DEFAULT_RETRY_BASE_DELAY   500
#define DEFAULT_RETRY_MAX_DELAY    30000
#define DEFAULT_MAX_ATTEMPTS       5
#define DEFAULT_MAX_RETRY_WAIT     60000

struct _DbwHttpRequest
{
  gatomicrefcount ref_count;
  char *method;
  char *url;
  GPtrArray *headers;   /* "Name: value" */
  GBytes *body;
  GFile *body_file;
  GFile *response_file;
  gboolean idempotent;
  gboolean any_content_type;
};

struct _DbwHttpResponse
{
  gatomicrefcount ref_count;
  guint status;
  guint attempts;
  GHashTable *headers;  /* lower-case name → value */
  GBytes *body;
};

struct _DbwHttp
{
  GObject parent_instance;

  CURLSH *share;
  GMutex share_locks[CURL_LOCK_DATA_LAST];

  guint connect_timeout;
  guint timeout;
  guint retry_base_delay;
  guint retry_max_delay;
  guint max_attempts;
  guint max_retry_wait;

  /* Updated from worker threads, read with atomics. */
  gint n_requests;
  gint n_retries;
};

G_DEFINE_FINAL_TYPE (DbwHttp, dbw_http, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-http-error-quark, dbw_http_error)

/* Source tags (function pointers cannot be compared with gpointer under -Wpedantic). */
static const char send_tag[] = "dbw_http_send_async";
static const char send_json_tag[] = "dbw_http_send_json_async";

enum {
  PROP_0,
  PROP_CONNECT_TIMEOUT,
  PROP_TIMEOUT,
  PROP_RETRY_BASE_DELAY,
  PROP_RETRY_MAX_DELAY,
  PROP_MAX_ATTEMPTS,
  PROP_MAX_RETRY_WAIT,
  PROP_N_REQUESTS,
  PROP_N_RETRIES,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Everything one request needs in its worker, copied on the calling thread so the worker
 * never reads the DbwHttp's settings while the main thread changes them. */
typedef struct
{
  DbwHttp *self;
  DbwHttpRequest *request;
  gboolean parse_json;

  guint connect_timeout;
  guint timeout;
  guint retry_base_delay;
  guint retry_max_delay;
  guint max_attempts;
  guint max_retry_wait;

  CURLM *multi;
  CURL *easy;
  char error_buffer[CURL_ERROR_SIZE];

  /* The attempt in flight */
  GByteArray *body;
  GHashTable *headers;
  GInputStream *upload;       /* from request->body_file */
  gboolean status_checked;    /* the first write of this attempt looked at the status */
  GFile *download_file;       /* the temporary file beside request->response_file */
  GOutputStream *download;
  GError *io_error;           /* reading the body file or writing the response file failed */
} SendData;

static void discard_download (SendData *data);

static void
send_data_free (SendData *data)
{
  discard_download (data);
  g_clear_object (&data->upload);
  g_clear_error (&data->io_error);
  if (data->easy != NULL)
    curl_easy_cleanup (data->easy);
  if (data->multi != NULL)
    curl_multi_cleanup (data->multi);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_pointer (&data->headers, g_hash_table_unref);
  g_clear_pointer (&data->request, dbw_http_request_unref);
  g_clear_object (&data->self);
  g_free (data);
}

/* --- requests and responses --------------------------------------------------------- */

/* Spelled out instead of G_DEFINE_BOXED_TYPE, whose type-checking union trips -Wpedantic. */
GType
dbw_http_request_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("DbwHttpRequest"),
                                                 (GBoxedCopyFunc) dbw_http_request_ref,
                                                 (GBoxedFreeFunc) dbw_http_request_unref);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

GType
dbw_http_response_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("DbwHttpResponse"),
                                                 (GBoxedCopyFunc) dbw_http_response_ref,
                                                 (GBoxedFreeFunc) dbw_http_response_unref);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/**
 * dbw_http_request_new:
 * @method: an HTTP method such as "GET"
 * @url: an absolute https:// URL (http:// only to loopback)
 *
 * GET, HEAD, PUT and DELETE requests are idempotent, and retried, by default; anything else
 * only after dbw_http_request_set_idempotent().
 */
DbwHttpRequest *
dbw_http_request_new (const char *method,
                      const char *url)
{
  DbwHttpRequest *self;

  g_return_val_if_fail (method != NULL && *method != '\0', NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (DbwHttpRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->method = g_ascii_strup (method, -1);
  self->url = g_strdup (url);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->idempotent = g_str_equal (self->method, "GET") ||
                     g_str_equal (self->method, "HEAD") ||
                     g_str_equal (self->method, "PUT") ||
                     g_str_equal (self->method, "DELETE");

  return self;
}

/**
 * dbw_http_request_new_json:
 * @body: (nullable): the JSON to send
 *
 * A request that sends @body as application/json and asks for JSON back.
 */
DbwHttpRequest *
dbw_http_request_new_json (const char *method,
                           const char *url,
                           JsonNode   *body)
{
  DbwHttpRequest *self = dbw_http_request_new (method, url);

  g_return_val_if_fail (self != NULL, NULL);

  dbw_http_request_add_header (self, "Accept", "application/json");

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
      dbw_http_request_set_body (self, bytes, "application/json");
    }

  return self;
}

DbwHttpRequest *
dbw_http_request_ref (DbwHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dbw_http_request_unref (DbwHttpRequest *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->method);
      g_free (self->url);
      g_ptr_array_unref (self->headers);
      g_clear_pointer (&self->body, g_bytes_unref);
      g_clear_object (&self->body_file);
      g_clear_object (&self->response_file);
      g_free (self);
    }
}

const char *
dbw_http_request_get_method (DbwHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->method;
}

const char *
dbw_http_request_get_url (DbwHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

void
dbw_http_request_add_header (DbwHttpRequest *self,
                             const char     *name,
                             const char     *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (value != NULL);
  /* A line break would let a value smuggle in another header. */
  g_return_if_fail (strpbrk (name, "\r\n:") == NULL);
  g_return_if_fail (strpbrk (value, "\r\n") == NULL);

  g_ptr_array_add (self->headers, g_strdup_printf ("%s: %s", name, value));
}

/* The token goes into the header list only: it is never logged (see log_exchange()). */
void
dbw_http_request_set_bearer_token (DbwHttpRequest *self,
                                   const char     *token)
{
  g_autofree char *value = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (token != NULL);

  value = g_strconcat ("Bearer ", token, NULL);
  dbw_http_request_add_header (self, "Authorization", value);
  explicit_bzero (value, strlen (value));
}

/* HTTP Basic authentication (RFC 7617), as the OAuth token endpoint wants the client id
 * and secret. Like the bearer token, it goes into the header list only and is never logged;
 * the intermediate copies are wiped. */
void
dbw_http_request_set_basic_auth (DbwHttpRequest *self,
                                 const char     *user,
                                 const char     *password)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *value = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (user != NULL && strchr (user, ':') == NULL);
  g_return_if_fail (password != NULL);

  pair = g_strconcat (user, ":", password, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  value = g_strconcat ("Basic ", encoded, NULL);
  dbw_http_request_add_header (self, "Authorization", value);

  explicit_bzero (pair, strlen (pair));
  explicit_bzero (encoded, strlen (encoded));
  explicit_bzero (value, strlen (value));
}

void
dbw_http_request_set_body (DbwHttpRequest *self,
                           GBytes         *body,
                           const char     *content_type)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_object (&self->body_file);
  if (body != NULL)
    self->body = g_bytes_ref (body);
  if (content_type != NULL)
    dbw_http_request_add_header (self, "Content-Type", content_type);
}

/**
 * dbw_http_request_set_body_file:
 * @file: the file to send as the body
 * @content_type: (nullable): its media type, such as "application/octet-stream"
 *
 * Sends @file as the body, read in chunks while it goes out, and read again from the
 * start when the request is retried. Replaces a body set with dbw_http_request_set_body().
 * Transfers with a file have no overall time limit; the timeout ends them only when no
 * data moves for that long.
 */
void
dbw_http_request_set_body_file (DbwHttpRequest *self,
                                GFile          *file,
                                const char     *content_type)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_FILE (file));

  g_clear_pointer (&self->body, g_bytes_unref);
  g_set_object (&self->body_file, file);
  if (content_type != NULL)
    dbw_http_request_add_header (self, "Content-Type", content_type);
}

/**
 * dbw_http_request_set_response_file:
 * @file: where a successful answer's body goes
 *
 * Writes the body of a 2xx answer to @file in chunks instead of keeping it in memory:
 * first to a temporary file in the same folder, renamed over @file once the whole body
 * has arrived, so an attempt that fails, is retried or is cancelled leaves neither a
 * partial @file nor a temporary file behind. Other answers stay in memory so their error
 * body can be read, and @file is left as it was. The response's body is then empty.
 */
void
dbw_http_request_set_response_file (DbwHttpRequest *self,
                                    GFile          *file)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->response_file, file);
}

GBytes *
dbw_http_request_get_body (DbwHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

/* Marks a request safe to send twice (e.g. a POST carrying an idempotency key, or a
 * MERGE that gives the same result when repeated), so it is retried like a GET. */
void
dbw_http_request_set_idempotent (DbwHttpRequest *self,
                                 gboolean        idempotent)
{
  g_return_if_fail (self != NULL);
  self->idempotent = !!idempotent;
}

gboolean
dbw_http_request_get_idempotent (DbwHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->idempotent;
}

/* For dbw_http_send_json_async(): read the body as JSON whatever its Content-Type says.
 * Object storage serves files it was handed as application/octet-stream. */
void
dbw_http_request_set_any_content_type (DbwHttpRequest *self,
                                       gboolean        any_content_type)
{
  g_return_if_fail (self != NULL);
  self->any_content_type = !!any_content_type;
}

DbwHttpResponse *
dbw_http_response_ref (DbwHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dbw_http_response_unref (DbwHttpResponse *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_hash_table_unref (self->headers);
      g_bytes_unref (self->body);
      g_free (self);
    }
}

guint
dbw_http_response_get_status (DbwHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->status;
}

/* @name is case-insensitive. */
const char *
dbw_http_response_get_header (DbwHttpResponse *self,
                              const char      *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (self->headers, key);
}

const char *
dbw_http_response_get_content_type (DbwHttpResponse *self)
{
  return dbw_http_response_get_header (self, "Content-Type");
}

GBytes *
dbw_http_response_get_body (DbwHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->body;
}

/* How many times the request went out before this answer came. */
guint
dbw_http_response_get_attempts (DbwHttpResponse *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->attempts;
}

/* --- helpers -------------------------------------------------------------------------- */

static void
share_lock_cb (CURL              *handle,
               curl_lock_data     data,
               curl_lock_access   access,
               void              *user_data)
{
  DbwHttp *self = user_data;

  g_mutex_lock (&self->share_locks[data]);
}

static void
share_unlock_cb (CURL           *handle,
                 curl_lock_data  data,
                 void           *user_data)
{
  DbwHttp *self = user_data;

  g_mutex_unlock (&self->share_locks[data]);
}

static gboolean
is_loopback_host (const char *host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_equal (host, "127.0.0.1") ||
         g_str_equal (host, "::1") ||
         g_str_equal (host, "[::1]");
}

/* Checked on the calling thread, before curl sees the URL: plain http is refused unless it
 * stays on this machine. */
static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL,
                   _("“%s” is not a valid web address"), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (is_loopback_host (host))
        return TRUE;

      g_set_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INSECURE_URL,
                   _("Refusing to connect to “%s” over unencrypted http://; use an https:// address"),
                   host);
      return FALSE;
    }

  g_set_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL,
               _("“%s” is not an http:// or https:// address"), url);
  return FALSE;
}

/**
 * dbw_http_check_url:
 *
 * Whether requests may go to @url: a web address with a host, over https (plain http only
 * to this machine). Asks nothing of the network.
 */
gboolean
dbw_http_check_url (const char  *url,
                    GError     **error)
{
  g_return_val_if_fail (url != NULL, FALSE);

  return check_url (url, error);
}

/* The URL as it may appear in a log: no user info, no query (pre-signed links carry their
 * signature there). */
static char *
url_for_log (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return g_strdup ("(invalid URL)");

  return g_uri_join (G_URI_FLAGS_NONE,
                     g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri),
                     g_uri_get_path (uri), NULL, NULL);
}

/* Opens a new temporary file next to the response file; never one that exists. */
static gboolean
open_download (SendData  *data,
               GError   **error)
{
  GFile *destination = data->request->response_file;
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autofree char *basename = g_file_get_basename (destination);

  g_assert (data->download == NULL);

  if (parent == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("Cannot save a download as “%s”"), basename);
      return FALSE;
    }

  for (guint i = 0; ; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", basename, g_random_int ());
      g_autoptr(GFile) file = g_file_get_child (parent, name);
      GFileOutputStream *stream;

      stream = g_file_create (file, G_FILE_CREATE_NONE, NULL, &local_error);
      if (stream != NULL)
        {
          data->download = G_OUTPUT_STREAM (stream);
          data->download_file = g_steal_pointer (&file);
          return TRUE;
        }

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || i >= 10)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* Throws away what an attempt wrote to the temporary file, if anything. */
static void
discard_download (SendData *data)
{
  if (data->download != NULL)
    {
      g_output_stream_close (data->download, NULL, NULL);
      g_clear_object (&data->download);
    }

  if (data->download_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_delete (data->download_file, NULL, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Could not remove a partial download: %s", error->message);
      g_clear_object (&data->download_file);
    }
}

/* The whole body is there: the temporary file becomes the response file. */
static gboolean
commit_download (SendData  *data,
                 GError   **error)
{
  /* An empty body never reached write_cb. */
  if (data->download == NULL && !open_download (data, error))
    return FALSE;

  if (!g_output_stream_close (data->download, NULL, error) ||
      !g_file_move (data->download_file, data->request->response_file,
                    G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    {
      discard_download (data);
      return FALSE;
    }

  g_clear_object (&data->download);
  g_clear_object (&data->download_file);

  return TRUE;
}

static gboolean
is_success_status (long status)
{
  return status >= 200 && status < 300;
}

static size_t
write_cb (char   *ptr,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  SendData *data = user_data;
  size_t length = size * nmemb;

  /* The status is known by the first write; only a 2xx body goes to the file. */
  if (data->request->response_file != NULL && !data->status_checked)
    {
      long status = 0;

      data->status_checked = TRUE;
      curl_easy_getinfo (data->easy, CURLINFO_RESPONSE_CODE, &status);
      if (is_success_status (status) && !open_download (data, &data->io_error))
        return 0;
    }

  if (data->download != NULL)
    {
      /* Returning less than @length makes curl stop with CURLE_WRITE_ERROR. */
      if (!g_output_stream_write_all (data->download, ptr, length, NULL, NULL, &data->io_error))
        return 0;
      return length;
    }

  g_byte_array_append (data->body, (const guint8 *) ptr, length);
  return length;
}

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  SendData *data = user_data;
  gssize n_read;

  n_read = g_input_stream_read (data->upload, buffer, size * nitems, NULL, &data->io_error);
  if (n_read < 0)
    return CURL_READFUNC_ABORT;

  return (size_t) n_read;
}

/* curl rewinds the body itself when it resends on a fresh connection. */
static int
seek_cb (void       *user_data,
         curl_off_t  offset,
         int         origin)
{
  SendData *data = user_data;
  GSeekType type = origin == SEEK_CUR ? G_SEEK_CUR : origin == SEEK_END ? G_SEEK_END : G_SEEK_SET;

  if (data->upload == NULL || !g_seekable_can_seek (G_SEEKABLE (data->upload)))
    return CURL_SEEKFUNC_CANTSEEK;

  if (!g_seekable_seek (G_SEEKABLE (data->upload), (goffset) offset, type, NULL, NULL))
    return CURL_SEEKFUNC_FAIL;

  return CURL_SEEKFUNC_OK;
}

/* Opens the body file from its start for one attempt. */
static gboolean
open_upload (SendData  *data,
             GError   **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;

  g_clear_object (&data->upload);

  stream = g_file_read (data->request->body_file, NULL, error);
  if (stream == NULL)
    return FALSE;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, error);
  if (info == NULL)
    return FALSE;

  curl_easy_setopt (data->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) g_file_info_get_size (info));
  data->upload = G_INPUT_STREAM (g_steal_pointer (&stream));

  return TRUE;
}

static size_t
header_cb (char   *buffer,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  SendData *data = user_data;
  size_t length = size * nitems;
  g_autofree char *line = g_strndup (buffer, length);
  char *colon;

  /* A new status line (after "100 Continue", say) starts a new set of headers. */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      g_hash_table_remove_all (data->headers);
      return length;
    }

  colon = strchr (line, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      g_hash_table_insert (data->headers,
                           g_ascii_strdown (g_strstrip (line), -1),
                           g_strdup (g_strstrip (colon + 1)));
    }

  return length;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  GCancellable *cancellable = user_data;

  return g_cancellable_is_cancelled (cancellable) ? 1 : 0;
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  CURLM *multi = user_data;

  /* Thread-safe by design; interrupts curl_multi_poll() in the worker. */
  curl_multi_wakeup (multi);
}

/* Sleeps for @msec unless @cancellable fires first. */
static gboolean
wait_cancellable (SendData     *data,
                  guint         msec,
                  GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) msec * 1000;

  for (;;)
    {
      gint64 remaining = deadline - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (remaining <= 0)
        return TRUE;

      curl_multi_poll (data->multi, NULL, 0, (int) MAX (1, remaining / 1000), NULL);
    }
}

/* Returns the curl result of one transfer; the response lands in data->body/headers. */
static CURLcode
perform_once (SendData     *data,
              GCancellable *cancellable)
{
  CURLcode result = CURLE_OK;
  int running = 1;
  CURLMsg *msg;
  int n_msgs;

  g_byte_array_set_size (data->body, 0);
  g_hash_table_remove_all (data->headers);
  data->error_buffer[0] = '\0';
  data->status_checked = FALSE;

  curl_multi_add_handle (data->multi, data->easy);

  while (running > 0)
    {
      CURLMcode mc = curl_multi_perform (data->multi, &running);

      if (mc != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          g_strlcpy (data->error_buffer, curl_multi_strerror (mc), sizeof data->error_buffer);
          break;
        }

      if (g_cancellable_is_cancelled (cancellable))
        {
          result = CURLE_ABORTED_BY_CALLBACK;
          running = 0;
          break;
        }

      if (running > 0)
        curl_multi_poll (data->multi, NULL, 0, 1000, NULL);
    }

  while ((msg = curl_multi_info_read (data->multi, &n_msgs)) != NULL)
    {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == data->easy &&
          result != CURLE_ABORTED_BY_CALLBACK)
        result = msg->data.result;
    }

  curl_multi_remove_handle (data->multi, data->easy);

  return result;
}

static gboolean
is_retryable_curl_code (CURLcode code)
{
  switch ((int) code)
    {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
is_retryable_status (guint status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static GError *
error_from_curl (CURLcode    code,
                 const char *url,
                 const char *detail)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : url;

  if (detail == NULL || *detail == '\0')
    detail = curl_easy_strerror (code);

  switch ((int) code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_HOST_NOT_FOUND,
                          _("Could not find the server “%s”. Check the address and your network connection."),
                          host);

    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_TLS,
                          _("Could not establish a secure connection to “%s”: %s. The server’s certificate may be invalid, or a proxy may be intercepting the connection."),
                          host, detail);

    case CURLE_OPERATION_TIMEDOUT:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_TIMEOUT,
                          _("“%s” did not answer in time (%s)"), host, detail);

    case CURLE_COULDNT_CONNECT:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK,
                          _("Could not connect to “%s”: %s"), host, detail);

    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_RESPONSE,
                          _("“%s” sent an answer that could not be read: %s"), host, detail);

    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_URL,
                          _("“%s” is not a valid web address"), url);

    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK,
                          _("The connection to “%s” broke off before the answer was complete: %s"),
                          host, detail);

    default:
      return g_error_new (DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK,
                          _("Could not talk to “%s”: %s"), host, detail);
    }
}

/* Databricks: {"error_code": "PERMISSION_DENIED", "message": "…"}.
 * OpenAI-compatible servers: {"error": {"message": "…", "type": "…"}} or {"error": "…"}. */
static void
parse_error_body (GBytes  *body,
                  char   **code,
                  char   **message)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gconstpointer data;
  gsize size;
  JsonObject *object;

  *code = NULL;
  *message = NULL;

  data = g_bytes_get_data (body, &size);
  if (size == 0 || size > 1024 * 1024 ||
      !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (object, "error_code"))
    *code = g_strdup (json_object_get_string_member_with_default (object, "error_code", NULL));
  if (json_object_has_member (object, "message"))
    *message = g_strdup (json_object_get_string_member_with_default (object, "message", NULL));

  if (*message == NULL && json_object_has_member (object, "error"))
    {
      JsonNode *error = json_object_get_member (object, "error");

      if (JSON_NODE_HOLDS_OBJECT (error))
        {
          JsonObject *inner = json_node_get_object (error);

          *message = g_strdup (json_object_get_string_member_with_default (inner, "message", NULL));
          if (*code == NULL)
            *code = g_strdup (json_object_get_string_member_with_default (inner, "type", NULL));
        }
      else if (JSON_NODE_HOLDS_VALUE (error) && json_node_get_value_type (error) == G_TYPE_STRING)
        {
          *message = g_strdup (json_node_get_string (error));
        }
    }
}

static GError *
error_from_status (guint       status,
                   GBytes     *body,
                   guint       attempts)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  GError *error;
  int error_code;

  parse_error_body (body, &code, &message);

  if (code != NULL)
    label = g_strdup_printf ("%u %s", status, code);
  else
    label = g_strdup_printf ("%u", status);

  switch (status)
    {
    case 401:
      error_code = DBW_HTTP_ERROR_UNAUTHORIZED;
      text = g_strdup_printf (_("The server did not accept the credentials (%s)"), label);
      break;
    case 403:
      error_code = DBW_HTTP_ERROR_FORBIDDEN;
      text = g_strdup_printf (_("The workspace refused the request (%s)"), label);
      break;
    case 404:
      error_code = DBW_HTTP_ERROR_NOT_FOUND;
      text = g_strdup_printf (_("Not found (%s)"), label);
      break;
    case 429:
      error_code = DBW_HTTP_ERROR_RATE_LIMITED;
      text = g_strdup_printf (_("The server is receiving too many requests (%s)"), label);
      break;
    default:
      if (status >= 500)
        {
          error_code = DBW_HTTP_ERROR_SERVER;
          text = g_strdup_printf (_("The server ran into a problem (%s)"), label);
        }
      else
        {
          error_code = DBW_HTTP_ERROR_HTTP_STATUS;
          text = g_strdup_printf (_("The server rejected the request (%s)"), label);
        }
      break;
    }

  if (message != NULL && *message != '\0')
    error = g_error_new (DBW_HTTP_ERROR, error_code, "%s: %s", text, message);
  else
    error = g_error_new_literal (DBW_HTTP_ERROR, error_code, text);

  if (attempts > 1)
    {
      char *with_attempts = g_strdup_printf (ngettext ("%s (gave up after %u attempt)",
                                                       "%s (gave up after %u attempts)",
                                                       attempts),
                                             error->message, attempts);
      g_free (error->message);
      error->message = with_attempts;
    }

  return error;
}

/* Retry-After is either delta-seconds or an HTTP date. Returns -1 when absent or unreadable. */
static gint64
parse_retry_after_ms (const char *value)
{
  guint64 seconds;
  time_t when;

  if (value == NULL || *value == '\0')
    return -1;

  if (g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    return (gint64) seconds * 1000;

  when = curl_getdate (value, NULL);
  if (when == -1)
    return -1;

  return MAX (0, ((gint64) when - (gint64) time (NULL)) * 1000);
}

/* Exponential backoff with "equal jitter": half the step fixed, half random, so that many
 * clients backing off at once spread out without any of them retrying immediately. */
static guint
backoff_delay_ms (SendData *data,
                  guint     retry)
{
  double step = (double) data->retry_base_delay;

  for (guint i = 1; i < retry && step < data->retry_max_delay; i++)
    step *= 2;

  step = MIN (step, (double) data->retry_max_delay);

  return (guint) (step / 2 + g_random_double_range (0, step / 2));
}

/* Method, URL without query, status or transfer error: never headers or bodies. */
static void
log_exchange (SendData   *data,
              guint       attempt,
              guint       status,
              CURLcode    code)
{
  g_autofree char *url = url_for_log (data->request->url);

  if (code == CURLE_OK)
    g_debug ("%s %s -> %u (attempt %u)", data->request->method, url, status, attempt);
  else
    g_debug ("%s %s -> %s (attempt %u)", data->request->method, url,
             curl_easy_strerror (code), attempt);
}

static struct curl_slist *
build_header_list (DbwHttpRequest *request)
{
  struct curl_slist *list = NULL;

  for (guint i = 0; i < request->headers->len; i++)
    list = curl_slist_append (list, g_ptr_array_index (request->headers, i));

  /* No "Expect: 100-continue" round trip for larger bodies. */
  list = curl_slist_append (list, "Expect:");

  return list;
}

static void
setup_easy (SendData          *data,
            GCancellable      *cancellable,
            struct curl_slist *header_list)
{
  DbwHttpRequest *request = data->request;
  CURL *easy = data->easy;

  curl_easy_setopt (easy, CURLOPT_URL, request->url);
  curl_easy_setopt (easy, CURLOPT_SHARE, data->self->share);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, data->error_buffer);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);

  /* Always on; there is deliberately no setting to turn these off. 2 is the value that
   * checks the host name (1 means the same since curl 7.66). */
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);

  /* Never CURLOPT_VERBOSE: it would print request headers, Authorization included. */
  curl_easy_setopt (easy, CURLOPT_VERBOSE, 0L);

  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) data->connect_timeout);
  if (request->body_file != NULL || request->response_file != NULL)
    {
      /* A large file may take longer than any fixed limit: end it only when it stalls. */
      curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, (long) MAX (1, data->timeout / 1000));
    }
  else
    {
      curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) data->timeout);
    }
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_USERAGENT, "DatabitsWorkbench/" PACKAGE_VERSION);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, header_list);

  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, data);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, data);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, cancellable);

  if (g_str_equal (request->method, "GET"))
    {
      curl_easy_setopt (easy, CURLOPT_HTTPGET, 1L);
    }
  else if (g_str_equal (request->method, "HEAD"))
    {
      curl_easy_setopt (easy, CURLOPT_NOBODY, 1L);
    }
  else
    {
      gsize size = 0;
      gconstpointer bytes = request->body != NULL ? g_bytes_get_data (request->body, &size) : NULL;

      curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, request->method);
      if (request->body_file != NULL)
        {
          /* The size is set for each attempt, when the file is opened. */
          curl_easy_setopt (easy, CURLOPT_UPLOAD, 1L);
          curl_easy_setopt (easy, CURLOPT_READFUNCTION, read_cb);
          curl_easy_setopt (easy, CURLOPT_READDATA, data);
          curl_easy_setopt (easy, CURLOPT_SEEKFUNCTION, seek_cb);
          curl_easy_setopt (easy, CURLOPT_SEEKDATA, data);
        }
      else if (bytes != NULL || g_str_equal (request->method, "POST"))
        {
          curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
          curl_easy_setopt (easy, CURLOPT_POSTFIELDS, bytes != NULL ? bytes : "");
        }
    }
}

static JsonNode *
parse_json_response (DbwHttpResponse  *response,
                     DbwHttpRequest   *request,
                     GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *content_type = dbw_http_response_get_content_type (response);
  gconstpointer bytes;
  gsize size;

  bytes = g_bytes_get_data (response->body, &size);

  if (size == 0)
    return json_node_new (JSON_NODE_NULL);

  if (content_type != NULL && strstr (content_type, "json") == NULL && !request->any_content_type)
    {
      g_set_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_RESPONSE,
                   _("Expected JSON from the server but got “%s”"), content_type);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, bytes, size, &local_error))
    {
      g_set_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_INVALID_RESPONSE,
                   _("The server’s answer is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

/* All attempts of one request, on the calling thread; returns the answer or sets @error. */
static DbwHttpResponse *
send_blocking (SendData      *data,
               GCancellable  *cancellable,
               GError       **out_error)
{
  DbwHttp *self = data->self;
  struct curl_slist *header_list = NULL;
  g_autoptr(GCancellable) own_cancellable = NULL;
  g_autoptr(DbwHttpResponse) response = NULL;
  GError *error = NULL;
  guint64 waited_ms = 0;
  gulong cancelled_id = 0;
  guint attempt;

  if (cancellable == NULL)
    cancellable = own_cancellable = g_cancellable_new ();

  data->multi = curl_multi_init ();
  data->easy = curl_easy_init ();
  if (data->multi == NULL || data->easy == NULL)
    {
      g_set_error_literal (out_error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NETWORK,
                           _("Could not start a network transfer"));
      return NULL;
    }

  header_list = build_header_list (data->request);
  setup_easy (data, cancellable, header_list);

  cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), data->multi, NULL);

  for (attempt = 1; ; attempt++)
    {
      CURLcode code;
      long status = 0;
      gint64 delay_ms;
      g_autoptr(GBytes) body = NULL;

      if (data->request->body_file != NULL && !open_upload (data, &error))
        break;

      code = perform_once (data, cancellable);
      g_atomic_int_inc (&self->n_requests);

      /* Our own file could not be read or written: no use trying again. */
      if (data->io_error != NULL)
        {
          error = g_steal_pointer (&data->io_error);
          break;
        }

      if (code == CURLE_ABORTED_BY_CALLBACK || g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));
          break;
        }

      if (code == CURLE_OK)
        curl_easy_getinfo (data->easy, CURLINFO_RESPONSE_CODE, &status);

      log_exchange (data, attempt, (guint) status, code);

      body = g_bytes_new (data->body->data, data->body->len);

      if (code == CURLE_OK && status < 400 && data->request->response_file != NULL)
        {
          /* Not following redirects, a 3xx has no body for the file. */
          if (!is_success_status (status))
            {
              error = error_from_status ((guint) status, body, attempt);
              break;
            }
          if (!commit_download (data, &error))
            break;
        }

      if (code == CURLE_OK && status < 400)
        {
          response = g_new0 (DbwHttpResponse, 1);
          g_atomic_ref_count_init (&response->ref_count);
          response->status = (guint) status;
          response->attempts = attempt;
          response->headers = g_hash_table_ref (data->headers);
          response->body = g_steal_pointer (&body);
          break;
        }

      if (code != CURLE_OK)
        error = error_from_curl (code, data->request->url, data->error_buffer);
      else
        error = error_from_status ((guint) status, body, attempt);

      /* A retry starts the file afresh; a failure leaves none. */
      discard_download (data);

      /* A request the server turned away for its rate (429) was not carried out: even one
       * that must not run twice is sent again, when the server says. */
      if ((!data->request->idempotent && !(code == CURLE_OK && status == 429)) || attempt >= data->max_attempts ||
          (code != CURLE_OK ? !is_retryable_curl_code (code) : !is_retryable_status ((guint) status)))
        break;

      delay_ms = -1;
      if (code == CURLE_OK)
        delay_ms = parse_retry_after_ms (g_hash_table_lookup (data->headers, "retry-after"));
      if (delay_ms < 0)
        delay_ms = backoff_delay_ms (data, attempt);

      if (waited_ms + (guint64) delay_ms > data->max_retry_wait)
        {
          g_debug ("Not retrying: waiting %" G_GINT64_FORMAT " ms more would exceed the retry budget",
                   delay_ms);
          break;
        }

      if (!wait_cancellable (data, (guint) delay_ms, cancellable))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled"));
          break;
        }

      waited_ms += (guint64) delay_ms;
      g_clear_error (&error);
      g_atomic_int_inc (&self->n_retries);

      /* The header table may now belong to a response; give the next attempt its own. */
      g_hash_table_unref (data->headers);
      data->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

  g_cancellable_disconnect (cancellable, cancelled_id);
  curl_slist_free_all (header_list);
  discard_download (data);
  g_clear_object (&data->upload);

  g_assert ((response != NULL) != (error != NULL));
  if (error != NULL)
    g_propagate_error (out_error, error);

  return g_steal_pointer (&response);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *data = task_data;
  g_autoptr(DbwHttpResponse) response = NULL;
  GError *error = NULL;

  response = send_blocking (data, cancellable, &error);

  if (response != NULL)
    {
      if (data->parse_json)
        {
          JsonNode *node = parse_json_response (response, data->request, &error);

          if (node != NULL)
            g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
          else
            g_task_return_error (task, error);
        }
      else
        {
          g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) dbw_http_response_unref);
        }
    }
  else
    {
      g_task_return_error (task, error);
    }
}

static SendData *
send_data_new (DbwHttp        *self,
               DbwHttpRequest *request,
               gboolean        parse_json)
{
  SendData *data = g_new0 (SendData, 1);

  data->self = g_object_ref (self);
  data->request = dbw_http_request_ref (request);
  data->parse_json = parse_json;
  data->connect_timeout = self->connect_timeout;
  data->timeout = self->timeout;
  data->retry_base_delay = self->retry_base_delay;
  data->retry_max_delay = self->retry_max_delay;
  data->max_attempts = MAX (1, self->max_attempts);
  data->max_retry_wait = self->max_retry_wait;
  data->body = g_byte_array_new ();
  data->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return data;
}

static void
start_send (DbwHttp             *self,
            DbwHttpRequest      *request,
            gboolean             parse_json,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_url (request->url, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, send_data_new (self, request, parse_json), (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_thread);
}

/* --- GObject ------------------------------------------------------------------------- */

static void
dbw_http_finalize (GObject *object)
{
  DbwHttp *self = (DbwHttp *)object;

  curl_share_cleanup (self->share);
  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_clear (&self->share_locks[i]);

  G_OBJECT_CLASS (dbw_http_parent_class)->finalize (object);
}

static void
dbw_http_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DbwHttp *self = DBW_HTTP (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_RETRY_BASE_DELAY:
      g_value_set_uint (value, self->retry_base_delay);
      break;
    case PROP_RETRY_MAX_DELAY:
      g_value_set_uint (value, self->retry_max_delay);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_MAX_RETRY_WAIT:
      g_value_set_uint (value, self->max_retry_wait);
      break;
    case PROP_N_REQUESTS:
      g_value_set_uint (value, dbw_http_get_n_requests (self));
      break;
    case PROP_N_RETRIES:
      g_value_set_uint (value, dbw_http_get_n_retries (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_http_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DbwHttp *self = DBW_HTTP (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      dbw_http_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      dbw_http_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_BASE_DELAY:
      dbw_http_set_retry_base_delay (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_MAX_DELAY:
      dbw_http_set_retry_max_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_ATTEMPTS:
      dbw_http_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRY_WAIT:
      dbw_http_set_max_retry_wait (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_http_class_init (DbwHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_http_finalize;
  object_class->get_property = dbw_http_get_property;
  object_class->set_property = dbw_http_set_property;

  /* Not thread safe in older libcurl; class_init runs once, under the type lock. */
  curl_global_init (CURL_GLOBAL_DEFAULT);

  /* All durations are in milliseconds. */
  properties [PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       1, G_MAXINT, DEFAULT_CONNECT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Per attempt, the whole transfer. */
  properties [PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXINT, DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_RETRY_BASE_DELAY] =
    g_param_spec_uint ("retry-base-delay", NULL, NULL,
                       0, G_MAXINT, DEFAULT_RETRY_BASE_DELAY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_RETRY_MAX_DELAY] =
    g_param_spec_uint ("retry-max-delay", NULL, NULL,
                       0, G_MAXINT, DEFAULT_RETRY_MAX_DELAY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Including the first one; 1 turns retries off. */
  properties [PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, 100, DEFAULT_MAX_ATTEMPTS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The most a request may spend waiting between attempts, all waits together. */
  properties [PROP_MAX_RETRY_WAIT] =
    g_param_spec_uint ("max-retry-wait", NULL, NULL,
                       0, G_MAXINT, DEFAULT_MAX_RETRY_WAIT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Counters, updated from worker threads; never notified. */
  properties [PROP_N_REQUESTS] =
    g_param_spec_uint ("n-requests", NULL, NULL,
                       0, G_MAXUINT, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_N_RETRIES] =
    g_param_spec_uint ("n-retries", NULL, NULL,
                       0, G_MAXUINT, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_http_init (DbwHttp *self)
{
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT_MS;
  self->timeout = DEFAULT_TIMEOUT_MS;
  self->retry_base_delay = DEFAULT_RETRY_BASE_DELAY;
  self->retry_max_delay = DEFAULT_RETRY_MAX_DELAY;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->max_retry_wait = DEFAULT_MAX_RETRY_WAIT;

  for (guint i = 0; i < G_N_ELEMENTS (self->share_locks); i++)
    g_mutex_init (&self->share_locks[i]);

  self->share = curl_share_init ();
  curl_share_setopt (self->share, CURLSHOPT_LOCKFUNC, share_lock_cb);
  curl_share_setopt (self->share, CURLSHOPT_UNLOCKFUNC, share_unlock_cb);
  curl_share_setopt (self->share, CURLSHOPT_USERDATA, self);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

/* --- public API ---------------------------------------------------------------------- */

DbwHttp *
dbw_http_new (void)
{
  return g_object_new (DBW_TYPE_HTTP, NULL);
}

#define DEFINE_UINT_PROPERTY(field, prop)                                  \
  guint                                                                    \
  dbw_http_get_##field (DbwHttp *self)                                     \
  {                                                                        \
    g_return_val_if_fail (DBW_IS_HTTP (self), 0);                          \
    return self->field;                                                    \
  }                                                                        \
                                                                           \
  void                                                                     \
  dbw_http_set_##field (DbwHttp *self,                                     \
                        guint    value)                                    \
  {                                                                        \
    g_return_if_fail (DBW_IS_HTTP (self));                                 \
    if (self->field != value)                                              \
      {                                                                    \
        self->field = value;                                               \
        g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);     \
      }                                                                    \
  }

DEFINE_UINT_PROPERTY (connect_timeout, PROP_CONNECT_TIMEOUT)
DEFINE_UINT_PROPERTY (timeout, PROP_TIMEOUT)
DEFINE_UINT_PROPERTY (retry_base_delay, PROP_RETRY_BASE_DELAY)
DEFINE_UINT_PROPERTY (retry_max_delay, PROP_RETRY_MAX_DELAY)
DEFINE_UINT_PROPERTY (max_attempts, PROP_MAX_ATTEMPTS)
DEFINE_UINT_PROPERTY (max_retry_wait, PROP_MAX_RETRY_WAIT)

#undef DEFINE_UINT_PROPERTY

/* HTTP exchanges sent, each retry counted again. */
guint
dbw_http_get_n_requests (DbwHttp *self)
{
  g_return_val_if_fail (DBW_IS_HTTP (self), 0);
  return (guint) g_atomic_int_get (&self->n_requests);
}

guint
dbw_http_get_n_retries (DbwHttp *self)
{
  g_return_val_if_fail (DBW_IS_HTTP (self), 0);
  return (guint) g_atomic_int_get (&self->n_retries);
}

/**
 * dbw_http_send_async:
 *
 * Sends @request in a worker thread, retrying idempotent requests on 429, 500, 502, 503,
 * 504 and broken connections. Any answer with a status of 400 or more ends as a
 * #DBW_HTTP_ERROR whose message the user can read.
 */
void
dbw_http_send_async (DbwHttp             *self,
                     DbwHttpRequest      *request,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (DBW_IS_HTTP (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_send (self, request, FALSE, (gpointer) send_tag, cancellable, callback, user_data);
}

DbwHttpResponse *
dbw_http_send_finish (DbwHttp       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (DBW_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == send_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dbw_http_send:
 *
 * Like dbw_http_send_async(), but blocks the calling thread until the answer (or the last
 * error) is there. Only for code already running in a worker thread of its own, such as a
 * client that keeps its requests apart from the shared GTask pool.
 */
DbwHttpResponse *
dbw_http_send (DbwHttp         *self,
               DbwHttpRequest  *request,
               GCancellable    *cancellable,
               GError         **error)
{
  SendData *data;
  DbwHttpResponse *response;

  g_return_val_if_fail (DBW_IS_HTTP (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_url (request->url, error))
    return NULL;

  data = send_data_new (self, request, FALSE);
  response = send_blocking (data, cancellable, error);
  send_data_free (data);

  return response;
}

/**
 * dbw_http_send_json_async:
 *
 * Like dbw_http_send_async(), and parses the answer as JSON in the worker thread. Build
 * @request with dbw_http_request_new_json().
 */
void
dbw_http_send_json_async (DbwHttp             *self,
                          DbwHttpRequest      *request,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DBW_IS_HTTP (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_send (self, request, TRUE, (gpointer) send_json_tag, cancellable, callback, user_data);
}

/* Returns: (transfer full): the parsed answer; a JSON null for an empty body. */
JsonNode *
dbw_http_send_json_finish (DbwHttp       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (DBW_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == send_json_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
