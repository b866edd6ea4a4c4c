/* test-databricks-apis.c — Files, tags, Serving, MLflow and Jobs against the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "test-databricks-fixture.h"

#define VOLUME "/Volumes/main/sales/raw_files"

/* --- helpers ---------------------------------------------------------------------------- */

static GBytes *
make_contents (gsize size)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);

  return g_bytes_new_take (data, size);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-databricks-apis-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static guint
count_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (handle);
  while (g_dir_read_name (handle) != NULL)
    n++;

  return n;
}

static void
assert_file_contents (const char *path,
                      GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
assert_stored (Fixture    *fixture,
               const char *path,
               GBytes     *expected)
{
  g_autofree char *local = fake_databricks_get_local_path (fixture->fake, path);

  assert_file_contents (local, expected);
}

static gboolean
upload_bytes (Fixture     *fixture,
              const char  *path,
              GBytes      *contents,
              gboolean     overwrite,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_upload_bytes_async (fixture->client, path, contents, overwrite, NULL, store_result_cb, &result);
  return dbw_databricks_upload_bytes_finish (fixture->client, wait_for (&result), error);
}

static gboolean
upload_file (Fixture     *fixture,
             const char  *path,
             GFile       *source,
             gboolean     overwrite,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_upload_file_async (fixture->client, path, source, overwrite, NULL, store_result_cb, &result);
  return dbw_databricks_upload_file_finish (fixture->client, wait_for (&result), error);
}

static gboolean
download_file (Fixture       *fixture,
               const char    *path,
               GFile         *destination,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_download_file_async (fixture->client, path, destination, cancellable, store_result_cb, &result);
  return dbw_databricks_download_file_finish (fixture->client, wait_for (&result), error);
}

static gint64
get_file_size (Fixture     *fixture,
               const char  *path,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_get_file_size_async (fixture->client, path, NULL, store_result_cb, &result);
  return dbw_databricks_get_file_size_finish (fixture->client, wait_for (&result), error);
}

static gboolean
delete_file (Fixture     *fixture,
             const char  *path,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_delete_file_async (fixture->client, path, NULL, store_result_cb, &result);
  return dbw_databricks_delete_file_finish (fixture->client, wait_for (&result), error);
}

static gboolean
create_directory (Fixture     *fixture,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_create_directory_async (fixture->client, path, NULL, store_result_cb, &result);
  return dbw_databricks_create_directory_finish (fixture->client, wait_for (&result), error);
}

static gboolean
delete_directory (Fixture     *fixture,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_delete_directory_async (fixture->client, path, NULL, store_result_cb, &result);
  return dbw_databricks_delete_directory_finish (fixture->client, wait_for (&result), error);
}

static GPtrArray *
list_directory (Fixture     *fixture,
                const char  *path,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_list_directory_async (fixture->client, path, NULL, store_result_cb, &result);
  return dbw_databricks_list_directory_finish (fixture->client, wait_for (&result), error);
}

static GHashTable *
list_tags (Fixture     *fixture,
           const char  *entity_type,
           const char  *entity_name,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_list_entity_tags_async (fixture->client, entity_type, entity_name, NULL, store_result_cb, &result);
  return dbw_databricks_list_entity_tags_finish (fixture->client, wait_for (&result), error);
}

static JsonObject *
request_json (FakeRequest *request,
              JsonParser  *parser)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (request->body, &size);

  g_assert_true (json_parser_load_from_data (parser, data, size, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

/* --- Files API -------------------------------------------------------------------------- */

static void
test_files_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *path = VOLUME "/dir one/ünï %?#.csv";
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autoptr(GBytes) contents = g_bytes_new_static ("city,celsius\nOslo,-3.5\n", 23);
  g_autoptr(GBytes) changed = g_bytes_new_static ("city,celsius\nLima,19\n", 21);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *copy_path = g_build_filename (dir, "copy.csv", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  FakeRequest *seen;

  ok = upload_bytes (fixture, path, contents, FALSE, &error);

  g_assert_no_error (error);

  g_assert_true (ok);
  assert_stored (fixture, path, contents);

  /* Each part encoded by itself, so "?" and "#" stay in the name (the fake sees the path
   * decoded). */
  seen = last_request (fixture);
  g_assert_cmpstr (seen->method, ==, "PUT");
  g_assert_cmpstr (seen->path, ==, "/api/2.0/fs/files" VOLUME "/dir one/ünï %?#.csv");
  g_assert_cmpstr (seen->query, ==, "overwrite=false");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "content-type"), ==, "application/octet-stream");

  /* Not over an existing file unless told so; the error names the file. */
  g_assert_false (upload_bytes (fixture, path, changed, FALSE, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HTTP_STATUS);
  g_assert_cmpstr (error->message, ==, "“" VOLUME "/dir one/ünï %?#.csv”: The server rejected the request (409 ALREADY_EXISTS): The file being created already exists.");
  g_clear_error (&error);
  assert_stored (fixture, path, contents);

  ok = upload_bytes (fixture, path, changed, TRUE, &error);

  g_assert_no_error (error);

  g_assert_true (ok);
  g_assert_cmpstr (last_request (fixture)->query, ==, "overwrite=true");
  assert_stored (fixture, path, changed);

  g_assert_cmpint (get_file_size (fixture, path, &error), ==, 21);
  g_assert_no_error (error);
  g_assert_cmpstr (last_request (fixture)->method, ==, "HEAD");

  ok = download_file (fixture, path, copy, NULL, &error);

  g_assert_no_error (error);

  g_assert_true (ok);
  assert_file_contents (copy_path, changed);
  g_assert_cmpuint (count_dir (dir), ==, 1);

  ok = delete_file (fixture, path, &error);

  g_assert_no_error (error);

  g_assert_true (ok);
  g_assert_cmpint (get_file_size (fixture, path, &error), ==, -1);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);

  remove_temp_dir (dir);
}

/* A file is streamed, and with overwrite retried after a 503, the whole file again. */
static void
test_files_upload_file_retried (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *path = VOLUME "/big/readings.bin";
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autoptr(GBytes) contents = make_contents (2 * 1024 * 1024 + 5);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *source_path = g_build_filename (dir, "readings.bin", NULL);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(GPtrArray) requests = NULL;

  g_assert_true (g_file_set_contents (source_path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), NULL));

  fake_databricks_add_fault (fixture->fake, "/api/2.0/fs/files/", FAKE_FAULT_UNAVAILABLE, 1, 0);
  ok = upload_file (fixture, path, source, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_stored (fixture, path, contents);
  requests = fake_databricks_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 2);
  for (guint i = 0; i < requests->len; i++)
    g_assert_true (g_bytes_equal (((FakeRequest *) g_ptr_array_index (requests, i))->body, contents));

  /* Without overwrite a second PUT could meet the first one's file: sent once. */
  fake_databricks_clear_requests (fixture->fake);
  fake_databricks_add_fault (fixture->fake, "/api/2.0/fs/files/", FAKE_FAULT_UNAVAILABLE, 1, 0);
  g_assert_false (upload_file (fixture, VOLUME "/big/other.bin", source, FALSE, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "PUT", NULL), ==, 1);

  remove_temp_dir (dir);
}

static void
test_files_list_paged (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *names[] = { "e.csv", "a.csv", "d.csv", "b.csv", "c.csv" };
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) volume = NULL;
  DbwFileEntry *entry;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strconcat (VOLUME "/batch/", names[i], NULL);
      g_autofree char *text = g_strnfill (i + 1, 'x');
      g_autoptr(GBytes) contents = g_bytes_new (text, i + 1);

      ok = upload_bytes (fixture, path, contents, FALSE, &error);

      g_assert_no_error (error);

      g_assert_true (ok);
    }
  ok = create_directory (fixture, VOLUME "/batch/zz sub", &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  /* Creating it again is no error. */
  ok = create_directory (fixture, VOLUME "/batch/zz sub", &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  fake_databricks_clear_requests (fixture->fake);
  entries = list_directory (fixture, VOLUME "/batch", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 6);
  /* Two to a page. */
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.0/fs/directories/Volumes/main/sales/raw_files/batch"), ==, 3);
  g_assert_cmpstr (last_request (fixture)->query, ==, "page_token=4");

  entry = g_ptr_array_index (entries, 0);
  g_assert_true (DBW_IS_FILE_ENTRY (entry));
  g_assert_cmpstr (dbw_file_entry_get_path (entry), ==, VOLUME "/batch/a.csv");
  g_assert_cmpstr (dbw_file_entry_get_name (entry), ==, "a.csv");
  g_assert_false (dbw_file_entry_get_is_directory (entry));
  g_assert_cmpint (dbw_file_entry_get_size (entry), ==, 2);
  g_assert_cmpint (dbw_file_entry_get_modified (entry), >, (gint64) 1600000000 * 1000);
  g_assert_cmpint (dbw_file_entry_get_size (g_ptr_array_index (entries, 4)), ==, 1);

  entry = g_ptr_array_index (entries, 5);
  g_assert_cmpstr (dbw_file_entry_get_path (entry), ==, VOLUME "/batch/zz sub");
  g_assert_cmpstr (dbw_file_entry_get_name (entry), ==, "zz sub");
  g_assert_true (dbw_file_entry_get_is_directory (entry));
  g_assert_cmpint (dbw_file_entry_get_size (entry), ==, 0);

  /* The volume's own root. */
  volume = list_directory (fixture, VOLUME, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (volume->len, ==, 1);
  g_assert_cmpstr (dbw_file_entry_get_path (g_ptr_array_index (volume, 0)), ==, VOLUME "/batch");

  /* Only an empty folder can be deleted. */
  g_assert_false (delete_directory (fixture, VOLUME "/batch", &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "DIRECTORY_NOT_EMPTY"));
  g_clear_error (&error);
  ok = delete_directory (fixture, VOLUME "/batch/zz sub", &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_files_not_found (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *copy_path = g_build_filename (dir, "copy.csv", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);

  g_assert_false (download_file (fixture, VOLUME "/none.csv", copy, NULL, &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "“" VOLUME "/none.csv”: Not found (404 NOT_FOUND): The file does not exist.");
  g_assert_cmpuint (count_dir (dir), ==, 0);
  g_clear_error (&error);

  g_assert_false (delete_file (fixture, VOLUME "/none.csv", &error));
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  entries = list_directory (fixture, VOLUME "/nowhere", &error);
  g_assert_null (entries);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "“" VOLUME "/nowhere”: "));

  remove_temp_dir (dir);
}

static void
test_files_invalid_paths (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *bad[] = {
    "", "relative/a.csv", "/tmp/a.csv", "/Volumes/main/sales", VOLUME, VOLUME "/",
    "/Volumes/ma`in/sales/raw_files/a.csv", "/Volumes/main/sa.les/raw_files/a.csv",
    VOLUME "/../../other/a.csv", VOLUME "/./a.csv", VOLUME "//a.csv", VOLUME "/a\nb.csv",
  };
  g_autoptr(GBytes) contents = g_bytes_new_static ("x", 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (upload_bytes (fixture, bad[i], contents, TRUE, &error));
      g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
    }

  /* A listing needs a volume at least. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = list_directory (fixture, "/Volumes/main/sales", &error);

    g_assert_null (entries);
    g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  }

  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

/* Cancelled with half the file on disk: nothing is left of it. */
static void
test_files_download_cancelled (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *path = VOLUME "/big.bin";
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autoptr(GBytes) contents = make_contents (512 * 1024);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *copy_path = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  gint64 start;

  ok = upload_bytes (fixture, path, contents, TRUE, &error);

  g_assert_no_error (error);

  g_assert_true (ok);

  fake_databricks_add_fault (fixture->fake, "/api/2.0/fs/files/", FAKE_FAULT_STALL, 1, 10000);
  start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 300, cancel_cb, g_object_ref (cancellable), g_object_unref);
  g_assert_false (download_file (fixture, path, copy, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_dir (dir), ==, 0);

  remove_temp_dir (dir);
}

/* A revoked OAuth token: a new one is fetched and the file is sent again, whole. */
static void
test_files_oauth_refresh (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *path = VOLUME "/oauth/readings.bin";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = make_contents (256 * 1024);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *source_path = g_build_filename (dir, "readings.bin", NULL);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(GPtrArray) requests = NULL;
  gboolean ok;

  g_assert_true (g_file_set_contents (source_path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), NULL));

  ok = upload_file (fixture, path, source, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (last_request (fixture)->headers, "authorization"), "Bearer fake-oauth-1-"));

  fake_databricks_revoke_tokens (fixture->fake);
  fake_databricks_clear_requests (fixture->fake);
  ok = upload_file (fixture, path, source, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (fake_databricks_get_n_tokens_issued (fixture->fake), ==, 2);

  requests = fake_databricks_get_requests (fixture->fake);
  /* Refused, a new token, then the whole file again. */
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_cmpstr (((FakeRequest *) g_ptr_array_index (requests, 1))->path, ==, "/oidc/v1/token");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (((FakeRequest *) g_ptr_array_index (requests, 2))->headers, "authorization"), "Bearer fake-oauth-2-"));
  g_assert_true (g_bytes_equal (((FakeRequest *) g_ptr_array_index (requests, 2))->body, contents));
  assert_stored (fixture, path, contents);
  assert_not_logged (CLIENT_SECRET);
  assert_not_logged ("fake-oauth-");

  remove_temp_dir (dir);
}

/* --- Unity Catalog tags ----------------------------------------------------------------- */

static void
test_tags_paged (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = NULL;
  g_autoptr(GHashTable) column_tags = NULL;
  g_autoptr(GHashTable) volume_tags = NULL;

  fake_databricks_set_tag (fixture->fake, "tables", "main.plant.readings", "pii", "");
  fake_databricks_set_tag (fixture->fake, "tables", "main.plant.readings", "owner", "plant-ops");
  fake_databricks_set_tag (fixture->fake, "tables", "main.plant.readings", "domain", "sensors");
  fake_databricks_set_tag (fixture->fake, "tables", "main.plant.readings", "tier", "gold");
  fake_databricks_set_tag (fixture->fake, "tables", "main.plant.readings", "retention", "365d");
  fake_databricks_set_tag (fixture->fake, "columns", "main.plant.readings.city", "phi", "");

  tags = list_tags (fixture, "tables", "main.plant.readings", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 5);
  g_assert_cmpstr (g_hash_table_lookup (tags, "pii"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (tags, "owner"), ==, "plant-ops");
  g_assert_cmpstr (g_hash_table_lookup (tags, "retention"), ==, "365d");
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.1/unity-catalog/entity-tag-assignments/tables/main.plant.readings/tags"), ==, 3);

  column_tags = list_tags (fixture, "columns", "main.plant.readings.city", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (column_tags), ==, 1);
  g_assert_true (g_hash_table_contains (column_tags, "phi"));

  /* Names are encoded as one part of the path. */
  fake_databricks_set_tag (fixture->fake, "volumes", "main.plant.raw files?#", "source", "camera");
  volume_tags = list_tags (fixture, "volumes", "main.plant.raw files?#", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (volume_tags), ==, 1);
  g_assert_cmpstr (last_request (fixture)->path, ==, "/api/2.1/unity-catalog/entity-tag-assignments/volumes/main.plant.raw files?#/tags");
}

static void
test_tags_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *bad[][2] = {
    { "tables", "main.plant" },
    { "tables", "main.plant.readings.city" },
    { "columns", "main.plant.readings" },
    { "catalogs", "" },
    { "tables", "main.pl`ant.readings" },
    { "tables", "main..readings" },
    { "tables", "main.plant/x.readings" },
    { "views", "main.plant.readings" },
    { "../tables", "main" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) tags = list_tags (fixture, bad[i][0], bad[i][1], &error);

      g_assert_null (tags);
      g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
    }

  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

static void
test_tags_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = NULL;

  /* Rate limited once, then answered. */
  fake_databricks_set_tag (fixture->fake, "schemas", "main.plant", "pii", "");
  fake_databricks_add_fault (fixture->fake, "/api/2.1/unity-catalog/entity-tag-assignments/", FAKE_FAULT_RATE_LIMIT, 1, 0);
  tags = list_tags (fixture, "schemas", "main.plant", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (tags), ==, 1);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 2);

  g_clear_pointer (&tags, g_hash_table_unref);
  tags = list_tags (fixture, "tables", "restricted.plant.readings", &error);
  g_assert_null (tags);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "“restricted.plant.readings”: The workspace refused the request (403 PERMISSION_DENIED): User does not have USE CATALOG on catalog restricted");
}

/* --- Serving endpoints ------------------------------------------------------------------ */

static JsonNode *
invoke (Fixture       *fixture,
        const char    *name,
        JsonNode      *body,
        gboolean       idempotent,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_invoke_serving_endpoint_async (fixture->client, name, body, idempotent, cancellable, store_result_cb, &result);
  return dbw_databricks_invoke_serving_endpoint_finish (fixture->client, wait_for (&result), error);
}

static DbwServingEndpoint *
get_endpoint (Fixture     *fixture,
              const char  *name,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_get_serving_endpoint_async (fixture->client, name, NULL, store_result_cb, &result);
  return dbw_databricks_get_serving_endpoint_finish (fixture->client, wait_for (&result), error);
}

static void
test_serving_list_get (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(DbwServingEndpoint) labeler = NULL;
  g_autoptr(DbwServingEndpoint) missing = NULL;
  DbwServingEndpoint *endpoint;

  dbw_databricks_list_serving_endpoints_async (fixture->client, NULL, store_result_cb, &result);
  endpoints = dbw_databricks_list_serving_endpoints_finish (fixture->client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 3);
  endpoint = g_ptr_array_index (endpoints, 0);
  g_assert_cmpstr (dbw_serving_endpoint_get_name (endpoint), ==, "databricks-meta-llama-3-3-70b-instruct");
  g_assert_cmpstr (dbw_serving_endpoint_get_ready (endpoint), ==, "READY");
  g_assert_cmpstr (dbw_serving_endpoint_get_config_update (endpoint), ==, "NOT_UPDATING");
  g_assert_cmpstr (dbw_serving_endpoint_get_task (endpoint), ==, "llm/v1/chat");
  g_assert_true (dbw_serving_endpoint_is_ready (endpoint));
  endpoint = g_ptr_array_index (endpoints, 2);
  g_assert_cmpstr (dbw_serving_endpoint_get_config_update (endpoint), ==, "UPDATE_FAILED");

  /* One, as it is now. */
  fake_databricks_set_serving_endpoint (fixture->fake, "labeler-v2", "READY", "NOT_UPDATING", NULL);
  labeler = get_endpoint (fixture, "labeler-v2", &error);
  g_assert_no_error (error);
  g_assert_true (dbw_serving_endpoint_is_ready (labeler));
  g_assert_null (dbw_serving_endpoint_get_task (labeler));
  g_assert_cmpstr (last_request (fixture)->path, ==, "/api/2.0/serving-endpoints/labeler-v2");

  missing = get_endpoint (fixture, "labeler-v3", &error);
  g_assert_null (missing);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "“labeler-v3”: Not found (404 RESOURCE_DOES_NOT_EXIST): Endpoint with name 'labeler-v3' does not exist.");
}

static void
test_serving_invoke (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{\"messages\": [{\"role\": \"user\", \"content\": \"Is 31.5 °C hot?\"}], \"max_tokens\": 20}", NULL);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *choice;
  FakeRequest *seen;

  reply = invoke (fixture, "databricks-meta-llama-3-3-70b-instruct", body, FALSE, NULL, &error);
  g_assert_no_error (error);
  choice = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "choices"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (choice, "message"), "content"), ==, "echo: Is 31.5 °C hot?");

  seen = last_request (fixture);
  g_assert_cmpstr (seen->method, ==, "POST");
  g_assert_cmpstr (seen->path, ==, "/serving-endpoints/databricks-meta-llama-3-3-70b-instruct/invocations");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "authorization"), ==, "Bearer " TOKEN);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (seen->body, NULL), g_bytes_get_size (seen->body), NULL));
  g_assert_true (json_node_equal (json_parser_get_root (parser), body));

  /* Not idempotent: a 503 is the answer. */
  g_clear_pointer (&reply, json_node_unref);
  fake_databricks_clear_requests (fixture->fake);
  fake_databricks_add_fault (fixture->fake, "/serving-endpoints/", FAKE_FAULT_UNAVAILABLE, 1, 0);
  reply = invoke (fixture, "databricks-meta-llama-3-3-70b-instruct", body, FALSE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_SERVER);
  g_assert_true (g_str_has_prefix (error->message, "“databricks-meta-llama-3-3-70b-instruct”: "));
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", NULL), ==, 1);
  g_clear_error (&error);

  /* Told it is idempotent: retried. */
  fake_databricks_add_fault (fixture->fake, "/serving-endpoints/", FAKE_FAULT_RATE_LIMIT, 1, 0);
  reply = invoke (fixture, "databricks-meta-llama-3-3-70b-instruct", body, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", NULL), ==, 3);
}

static void
test_serving_invoke_cancelled (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonNode) body = json_from_string ("{\"inputs\": [[1, 2]]}", NULL);
  g_autoptr(JsonNode) reply = NULL;
  gint64 start;

  fake_databricks_add_fault (fixture->fake, "/serving-endpoints/", FAKE_FAULT_DELAY, 1, 5000);
  start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, cancel_cb, g_object_ref (cancellable), g_object_unref);
  reply = invoke (fixture, "gte-embeddings", body, TRUE, cancellable, &error);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_serving_invalid_names (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *bad[] = { "", "a/b", "../scim", "name?x", "ünï", "a b",
                        "a123456789012345678901234567890123456789012345678901234567890123" };
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) get_error = NULL;
      g_autoptr(JsonNode) reply = invoke (fixture, bad[i], body, FALSE, NULL, &error);
      g_autoptr(DbwServingEndpoint) endpoint = get_endpoint (fixture, bad[i], &get_error);

      g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
      g_assert_error (get_error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
    }

  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

/* --- MLflow ------------------------------------------------------------------------------ */

static char *
get_experiment (Fixture     *fixture,
                const char  *name,
                gboolean     create,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_mlflow_get_experiment_async (fixture->client, name, create, NULL, store_result_cb, &result);
  return dbw_databricks_mlflow_get_experiment_finish (fixture->client, wait_for (&result), error);
}

static char *
create_run (Fixture     *fixture,
            const char  *experiment_id,
            const char  *run_name,
            GHashTable  *tags,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_mlflow_create_run_async (fixture->client, experiment_id, run_name, tags, NULL, store_result_cb, &result);
  return dbw_databricks_mlflow_create_run_finish (fixture->client, wait_for (&result), error);
}

static gboolean
log_batch (Fixture     *fixture,
           const char  *run_id,
           GHashTable  *params,
           GPtrArray   *metrics,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_mlflow_log_batch_async (fixture->client, run_id, params, metrics, NULL, store_result_cb, &result);
  return dbw_databricks_mlflow_log_batch_finish (fixture->client, wait_for (&result), error);
}

static gboolean
set_terminated (Fixture             *fixture,
                const char          *run_id,
                DbwMlflowRunStatus   status,
                GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_mlflow_set_terminated_async (fixture->client, run_id, status, NULL, store_result_cb, &result);
  return dbw_databricks_mlflow_set_terminated_finish (fixture->client, wait_for (&result), error);
}

static void
test_mlflow_experiment (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *created = NULL;
  g_autofree char *found = NULL;
  g_autofree char *raced = NULL;

  missing = get_experiment (fixture, "/Users/ada@example.com/labels", FALSE, &error);
  g_assert_null (missing);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", NULL), ==, 0);
  g_clear_error (&error);

  created = get_experiment (fixture, "/Users/ada@example.com/labels", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", "/api/2.0/mlflow/experiments/create"), ==, 1);

  fake_databricks_clear_requests (fixture->fake);
  found = get_experiment (fixture, "/Users/ada@example.com/labels", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, created);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 1);
  /* The name travels in the query, escaped. */
  g_assert_cmpstr (last_request (fixture)->query, ==, "experiment_name=%2FUsers%2Fada%40example.com%2Flabels");

  /* The create is done but its answer lost: the retry is refused, and a last look finds it. */
  fake_databricks_clear_requests (fixture->fake);
  fake_databricks_add_fault (fixture->fake, "/api/2.0/mlflow/experiments/create", FAKE_FAULT_TRUNCATE, 1, 0);
  raced = get_experiment (fixture, "/Shared/pcb-defects", TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (raced);
  g_assert_cmpstr (raced, !=, created);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", "/api/2.0/mlflow/experiments/create"), ==, 2);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "GET", "/api/2.0/mlflow/experiments/get-by-name"), ==, 2);
}

static void
test_mlflow_run (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) metrics = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_mlflow_metric_free);
  g_autoptr(JsonNode) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *experiment_id = NULL;
  g_autofree char *run_id = NULL;
  JsonObject *stored, *body, *metric;
  gint64 before = g_get_real_time () / 1000;
  gboolean ok;

  experiment_id = get_experiment (fixture, "/Shared/labels", TRUE, &error);
  g_assert_no_error (error);

  g_hash_table_insert (tags, (gpointer) "databits.training_sheet", (gpointer) "ts-42");
  g_hash_table_insert (tags, (gpointer) "mlflow.note.content", (gpointer) "Fine-tune on labeled pairs");
  run_id = create_run (fixture, experiment_id, "pcb-defects-3", tags, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (run_id), ==, 32);

  body = request_json (last_request (fixture), parser);
  g_assert_cmpstr (json_object_get_string_member (body, "experiment_id"), ==, experiment_id);
  g_assert_cmpstr (json_object_get_string_member (body, "run_name"), ==, "pcb-defects-3");
  g_assert_cmpint (json_object_get_int_member (body, "start_time"), >=, before);
  g_assert_cmpint (json_object_get_int_member (body, "start_time"), <=, g_get_real_time () / 1000);

  g_hash_table_insert (params, (gpointer) "learning_rate", (gpointer) "0.0002");
  g_hash_table_insert (params, (gpointer) "epochs", (gpointer) "3");
  g_ptr_array_add (metrics, dbw_mlflow_metric_new ("loss", 0.75, 1767225600000, 1));
  g_ptr_array_add (metrics, dbw_mlflow_metric_new ("loss", 0.5, 1767225660000, 2));
  ok = log_batch (fixture, run_id, params, metrics, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  ok = set_terminated (fixture, run_id, DBW_MLFLOW_RUN_FINISHED, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  run = fake_databricks_get_mlflow_run (fixture->fake, run_id);
  stored = json_node_get_object (run);
  g_assert_cmpstr (json_object_get_string_member (stored, "status"), ==, "FINISHED");
  g_assert_cmpint (json_object_get_int_member (stored, "end_time"), >=, json_object_get_int_member (stored, "start_time"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "tags"), "databits.training_sheet"), ==, "ts-42");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (stored, "params"), "epochs"), ==, "3");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stored, "metrics")), ==, 2);
  metric = json_array_get_object_element (json_object_get_array_member (stored, "metrics"), 1);
  g_assert_cmpstr (json_object_get_string_member (metric, "key"), ==, "loss");
  g_assert_cmpfloat (json_object_get_double_member (metric, "value"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (metric, "timestamp"), ==, 1767225660000);
  g_assert_cmpint (json_object_get_int_member (metric, "step"), ==, 2);

  /* An unknown run: the error names it. */
  ok = set_terminated (fixture, "0123456789abcdef0123456789abcdef", DBW_MLFLOW_RUN_KILLED, &error);
  g_assert_false (ok);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "“0123456789abcdef0123456789abcdef”: "));
}

/* 250 params and 2500 metrics go in requests of at most 100 params, 1000 metrics and
 * 1000 items. */
static void
test_mlflow_log_batch_split (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) metrics = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_mlflow_metric_free);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(JsonNode) run = NULL;
  g_autofree char *experiment_id = NULL;
  g_autofree char *run_id = NULL;
  guint n_params = 0, n_metrics = 0, n_batches = 0;
  gboolean ok;

  experiment_id = get_experiment (fixture, "/Shared/split", TRUE, &error);
  g_assert_no_error (error);
  run_id = create_run (fixture, experiment_id, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 250; i++)
    g_hash_table_insert (params, g_strdup_printf ("param_%03u", i), g_strdup_printf ("%u", i));
  for (guint i = 0; i < 2500; i++)
    g_ptr_array_add (metrics, dbw_mlflow_metric_new ("loss", 1.0 / (i + 1), 1767225600000 + i, i));

  /* A 503 on the way is retried: logging the same batch again changes nothing. */
  fake_databricks_add_fault (fixture->fake, "/api/2.0/mlflow/runs/log-batch", FAKE_FAULT_UNAVAILABLE, 1, 0);
  fake_databricks_clear_requests (fixture->fake);
  ok = log_batch (fixture, run_id, params, metrics, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  requests = fake_databricks_get_requests (fixture->fake);
  for (guint i = 1; i < requests->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *body = request_json (g_ptr_array_index (requests, i), parser);
      guint batch_params = json_array_get_length (json_object_get_array_member (body, "params"));
      guint batch_metrics = json_array_get_length (json_object_get_array_member (body, "metrics"));

      g_assert_cmpstr (json_object_get_string_member (body, "run_id"), ==, run_id);
      g_assert_cmpuint (batch_params, <=, 100);
      g_assert_cmpuint (batch_metrics, <=, 1000);
      g_assert_cmpuint (batch_params + batch_metrics, <=, 1000);
      n_params += batch_params;
      n_metrics += batch_metrics;
      n_batches++;
    }
  /* 2750 items: 100 + 900, 100 + 900, 50 + 700 — three, and the first one twice. */
  g_assert_cmpuint (requests->len, ==, 4);
  g_assert_cmpuint (n_batches, ==, 3);
  g_assert_cmpuint (n_params, ==, 250);
  g_assert_cmpuint (n_metrics, ==, 2500);

  run = fake_databricks_get_mlflow_run (fixture->fake, run_id);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (run), "params")), ==, 250);

  /* Nothing to log, nothing sent. */
  fake_databricks_clear_requests (fixture->fake);
  ok = log_batch (fixture, run_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

static void
test_mlflow_invalid (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) metrics = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_mlflow_metric_free);
  g_autofree char *run_id = NULL;
  g_autofree char *experiment_id = NULL;
  gboolean ok;

  g_ptr_array_add (metrics, dbw_mlflow_metric_new ("loss", NAN, 0, 7));
  ok = log_batch (fixture, "0123456789abcdef0123456789abcdef", NULL, metrics, &error);
  g_assert_false (ok);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "The metric “loss” at step 7 is not a finite number");
  g_clear_error (&error);

  ok = log_batch (fixture, "../experiments", NULL, NULL, &error);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  g_clear_error (&error);

  run_id = create_run (fixture, "12 34", NULL, NULL, &error);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);
  g_clear_error (&error);

  experiment_id = get_experiment (fixture, "", TRUE, &error);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);

  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

/* --- Jobs ------------------------------------------------------------------------------- */

static gint64
submit_run (Fixture     *fixture,
            JsonNode    *spec,
            const char  *token,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_jobs_submit_run_async (fixture->client, spec, token, NULL, store_result_cb, &result);
  return dbw_databricks_jobs_submit_run_finish (fixture->client, wait_for (&result), error);
}

static DbwJobRun *
get_run (Fixture     *fixture,
         gint64       run_id,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_jobs_get_run_async (fixture->client, run_id, NULL, store_result_cb, &result);
  return dbw_databricks_jobs_get_run_finish (fixture->client, wait_for (&result), error);
}

static gboolean
cancel_run (Fixture     *fixture,
            gint64       run_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dbw_databricks_jobs_cancel_run_async (fixture->client, run_id, NULL, store_result_cb, &result);
  return dbw_databricks_jobs_cancel_run_finish (fixture->client, wait_for (&result), error);
}

#define JOB_SPEC "{\"run_name\": \"fine-tune pcb-defects\", \"tasks\": [{\"task_key\": \"train\", " \
                 "\"notebook_task\": {\"notebook_path\": \"/Shared/train\"}}]}"

static void
test_jobs_submit_get_cancel (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) spec = json_from_string (JOB_SPEC, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DbwJobRun) pending = NULL;
  g_autoptr(DbwJobRun) done = NULL;
  g_autoptr(DbwJobRun) cancelled = NULL;
  g_autofree char *url = NULL;
  JsonObject *body;
  gint64 run_id, other;
  gboolean ok;

  run_id = submit_run (fixture, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, 0);
  body = request_json (last_request (fixture), parser);
  g_assert_cmpstr (json_object_get_string_member (body, "run_name"), ==, "fine-tune pcb-defects");
  /* A token of our own was added; the caller's spec is left as it was. */
  g_assert_cmpuint (strlen (json_object_get_string_member (body, "idempotency_token")), ==, 36);
  g_assert_false (json_object_has_member (json_node_get_object (spec), "idempotency_token"));

  pending = get_run (fixture, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_job_run_get_run_id (pending), ==, run_id);
  g_assert_cmpstr (dbw_job_run_get_life_cycle_state (pending), ==, "PENDING");
  g_assert_null (dbw_job_run_get_result_state (pending));
  g_assert_cmpstr (dbw_job_run_get_state_message (pending), ==, "Waiting for cluster");
  url = g_strdup_printf ("%s/#job/runs/%" G_GINT64_FORMAT, fake_databricks_get_url (fixture->fake), run_id);
  g_assert_cmpstr (dbw_job_run_get_run_page_url (pending), ==, url);
  g_assert_false (dbw_job_run_is_finished (pending));
  {
    g_autofree char *query = g_strdup_printf ("run_id=%" G_GINT64_FORMAT, run_id);

    g_assert_cmpstr (last_request (fixture)->query, ==, query);
  }

  fake_databricks_set_job_run_state (fixture->fake, run_id, "TERMINATED", "SUCCESS", "");
  done = get_run (fixture, run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_job_run_get_result_state (done), ==, "SUCCESS");
  g_assert_true (dbw_job_run_is_finished (done));

  /* A second submission with another token: a second run, which we cancel. */
  other = submit_run (fixture, spec, "labels-export-2026-01-05", &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, !=, run_id);
  ok = cancel_run (fixture, other, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  cancelled = get_run (fixture, other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_job_run_get_result_state (cancelled), ==, "CANCELED");

  /* An unknown run: the workspace's words, and the run named. */
  ok = cancel_run (fixture, 999999, &error);
  g_assert_false (ok);
  g_assert_error (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_HTTP_STATUS);
  g_assert_cmpstr (error->message, ==, "“999999”: The server rejected the request (400 INVALID_PARAMETER_VALUE): Run 999999 does not exist.");
}

/* The run starts but the answer breaks off: the retry carries the same token, and the
 * workspace starts no second run. */
static void
test_jobs_submit_once (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) spec = json_from_string (JOB_SPEC, NULL);
  g_autoptr(GPtrArray) requests = NULL;
  gint64 run_id, again;

  fake_databricks_add_fault (fixture->fake, "/api/2.2/jobs/runs/submit", FAKE_FAULT_TRUNCATE, 1, 0);
  run_id = submit_run (fixture, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, 0);
  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, "POST", "/api/2.2/jobs/runs/submit"), ==, 2);
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fixture->fake), ==, 1);

  requests = fake_databricks_get_requests (fixture->fake);
  {
    g_autoptr(JsonParser) first = json_parser_new ();
    g_autoptr(JsonParser) second = json_parser_new ();

    g_assert_cmpstr (json_object_get_string_member (request_json (g_ptr_array_index (requests, 0), first), "idempotency_token"), ==,
                     json_object_get_string_member (request_json (g_ptr_array_index (requests, 1), second), "idempotency_token"));
  }

  /* Sent again later with the token kept: the same run. */
  json_object_set_string_member (json_node_get_object (spec), "idempotency_token", "export-7f3a");
  run_id = submit_run (fixture, spec, NULL, &error);
  g_assert_no_error (error);
  again = submit_run (fixture, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, run_id);
  g_assert_cmpuint (fake_databricks_get_n_job_runs (fixture->fake), ==, 2);
}

static void
test_jobs_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) spec = json_from_string (JOB_SPEC, NULL);
  g_autoptr(DbwJobRun) run = NULL;
  g_autofree char *long_token = g_strnfill (65, 'x');

  g_assert_cmpint (submit_run (fixture, spec, long_token, &error), ==, -1);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  run = get_run (fixture, 0, &error);
  g_assert_null (run);
  g_assert_error (error, DBW_DATABRICKS_ERROR, DBW_DATABRICKS_ERROR_INVALID_NAME);

  g_assert_cmpuint (fake_databricks_count_requests (fixture->fake, NULL, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* Everything at debug level reaches the capture writer. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  /* Never through a proxy to the fake, whatever the environment says. */
  g_setenv ("no_proxy", "127.0.0.1,localhost,::1", TRUE);

  test_log_capture_install ();

  g_test_init (&argc, &argv, NULL);

#define ADD(path, oauth, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (oauth), fixture_setup, func, fixture_teardown)

  ADD ("/databricks/files/round-trip", FALSE, test_files_round_trip);
  ADD ("/databricks/files/upload-file-retried", FALSE, test_files_upload_file_retried);
  ADD ("/databricks/files/list-paged", FALSE, test_files_list_paged);
  ADD ("/databricks/files/not-found", FALSE, test_files_not_found);
  ADD ("/databricks/files/invalid-paths", FALSE, test_files_invalid_paths);
  ADD ("/databricks/files/download-cancelled", FALSE, test_files_download_cancelled);
  ADD ("/databricks/files/oauth-refresh", TRUE, test_files_oauth_refresh);
  ADD ("/databricks/tags/paged", FALSE, test_tags_paged);
  ADD ("/databricks/tags/invalid", FALSE, test_tags_invalid);
  ADD ("/databricks/tags/errors", FALSE, test_tags_errors);
  ADD ("/databricks/serving/list-get", FALSE, test_serving_list_get);
  ADD ("/databricks/serving/invoke", FALSE, test_serving_invoke);
  ADD ("/databricks/serving/invoke-cancelled", FALSE, test_serving_invoke_cancelled);
  ADD ("/databricks/serving/invalid-names", FALSE, test_serving_invalid_names);
  ADD ("/databricks/mlflow/experiment", FALSE, test_mlflow_experiment);
  ADD ("/databricks/mlflow/run", FALSE, test_mlflow_run);
  ADD ("/databricks/mlflow/log-batch-split", FALSE, test_mlflow_log_batch_split);
  ADD ("/databricks/mlflow/invalid", FALSE, test_mlflow_invalid);
  ADD ("/databricks/jobs/submit-get-cancel", FALSE, test_jobs_submit_get_cancel);
  ADD ("/databricks/jobs/submit-once", FALSE, test_jobs_submit_once);
  ADD ("/databricks/jobs/invalid", FALSE, test_jobs_invalid);

#undef ADD

  return g_test_run ();
}
