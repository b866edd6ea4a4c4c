/* test-databricks-apis.c — Files, tags, Serving, MLflow and Jobs against the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
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
  ADD ("/databricks/tags/paged", FALSE, test_tags_paged);
  ADD ("/databricks/tags/invalid", FALSE, test_tags_invalid);
  ADD ("/databricks/tags/errors", FALSE, test_tags_errors);

#undef ADD

  return g_test_run ();
}
