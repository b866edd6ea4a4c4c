/* bench-sync-push.c — pushing 10,000 changed rows to the fake workspace
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bench-util.h"
#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-sync-service.h"
#include "fake-databricks.h"

/* Prints, for both ways of pushing — inline VALUES batches of 200 rows and one staged
 * JSON-lines file — rows per second and the HTTP requests the push made against the ideal
 * for the batch size: one request per MERGE, plus one upload per staged file. The ratio
 * (requests / ideal) is 1.0 when nothing is wasted; polls, retries or per-row requests
 * would raise it. The pull that follows every push is counted apart. */

#define N_ROWS     10000
#define BATCH_SIZE 200
#define WAREHOUSE  "0123456789abcdef"
#define TOKEN      "dapi-bench-0123456789"
/* Requests per ideal request: a poll or a retry here and there, never one per row. */
#define TARGET     1.25

typedef struct
{
  double seconds;
  guint  push_requests;
  guint  pull_requests;
  guint  ideal;
  guint  statements;
} Measure;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static DbwSyncReport *
sync_once (DbwSyncService *service)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  DbwSyncReport *report;

  dbw_sync_service_sync_async (service, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = dbw_sync_service_sync_finish (service, result, &error);
  g_object_unref (result);
  if (report == NULL)
    g_error ("sync failed: %s", error->message);

  return report;
}

static void
add_rows (DbwStore *store,
          guint     n)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;

  dbw_sheet_set_name (sheet, "Readings");
  if (!dbw_store_begin_bulk (store, &error) || !dbw_store_insert (store, sheet, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwItem) item = dbw_item_new ();
      g_autofree char *ref = g_strdup_printf ("readings.csv#%u", i + 1);
      g_autofree char *fields = g_strdup_printf ("{\"site\":\"hall %c\",\"dose_usv\":\"%u.%02u\",\"note\":\"routine survey %u\"}",
                                                 'A' + i % 6, i % 90, i % 100, i);

      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, fields);
      if (!dbw_store_insert (store, item, &error))
        g_error ("%s", error->message);
    }
  if (!dbw_store_commit (store, &error))
    g_error ("%s", error->message);
}

static Measure
measure_push (FakeDatabricks *fake,
              DbwDatabricks  *client,
              const char     *dir,
              const char     *name,
              guint           stage_threshold)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwStore) store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  g_autoptr(DbwSyncService) service = NULL;
  g_autoptr(DbwSyncReport) setup = NULL;
  g_autoptr(DbwSyncReport) report = NULL;
  g_autofree char *target = g_strdup_printf ("main.%s", name);
  Measure measure = { 0 };
  gint64 start;

  if (store == NULL)
    g_error ("%s", error->message);
  for (char *p = target + strlen ("main."); *p; p++)
    if (!g_ascii_isalnum (*p))
      *p = '_';

  service = dbw_sync_service_new (store, client, WAREHOUSE);
  dbw_sync_service_set_batch_size (service, BATCH_SIZE);
  dbw_sync_service_set_stage_threshold (service, stage_threshold);
  if (!dbw_sync_service_link (service, target, &error))
    g_error ("%s", error->message);

  /* The schema and its tables first, so the measure holds only the push. */
  setup = sync_once (service);
  add_rows (store, N_ROWS);

  fake_databricks_clear_requests (fake);
  start = g_get_monotonic_time ();
  report = sync_once (service);
  measure.seconds = bench_seconds_since (start);
  /* Since the log was cleared: the pull's statements are the SELECTs. */
  measure.pull_requests = fake_databricks_count_bodies_containing (fake, "\"statement\":\"SELECT");
  measure.push_requests = fake_databricks_count_requests (fake, NULL, NULL) - measure.pull_requests;
  measure.statements = report->statements;

  if (report->pushed != N_ROWS + 1)
    g_error ("pushed %u rows, not %u", report->pushed, N_ROWS + 1);

  /* One MERGE for the sheet, then the items: in VALUES batches of BATCH_SIZE, or one
   * upload and one MERGE for the staged file. */
  if (N_ROWS >= stage_threshold)
    measure.ideal = 1 + 2;
  else
    measure.ideal = 1 + (N_ROWS + BATCH_SIZE - 1) / BATCH_SIZE;

  dbw_store_close (store);
  return measure;
}

static void
add_measure (JsonBuilder   *builder,
             const char    *name,
             const Measure *measure)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows_per_second");
  json_builder_add_double_value (builder, N_ROWS / measure->seconds);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, measure->seconds);
  json_builder_set_member_name (builder, "push_requests");
  json_builder_add_int_value (builder, measure->push_requests);
  json_builder_set_member_name (builder, "ideal_requests");
  json_builder_add_int_value (builder, measure->ideal);
  json_builder_set_member_name (builder, "ratio");
  json_builder_add_double_value (builder, (double) measure->push_requests / measure->ideal);
  json_builder_set_member_name (builder, "statements");
  json_builder_add_int_value (builder, measure->statements);
  json_builder_set_member_name (builder, "pull_requests");
  json_builder_add_int_value (builder, measure->pull_requests);
  json_builder_end_object (builder);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwDatabricksConfig) config = NULL;
  g_autoptr(DbwHttp) http = dbw_http_new ();
  g_autoptr(DbwDatabricks) client = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dbw-bench-sync-XXXXXX", &error);
  g_autofree char *json = NULL;
  FakeDatabricks *fake = fake_databricks_new ();
  Measure values, staged;
  double ratio;

  if (dir == NULL)
    g_error ("%s", error->message);
  fake_databricks_set_token (fake, TOKEN);
  g_setenv ("DATABRICKS_CONFIG_FILE", "/nonexistent/databrickscfg", TRUE);
  config = dbw_databricks_config_resolve (NULL, fake_databricks_get_url (fake), TOKEN, &error);
  if (config == NULL)
    g_error ("%s", error->message);
  client = dbw_databricks_new (config, http);

  values = measure_push (fake, client, dir, "values.dbw", G_MAXUINT);
  staged = measure_push (fake, client, dir, "staged.dbw", 1000);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, "sync-push-10k");
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, N_ROWS);
  json_builder_set_member_name (builder, "batch_size");
  json_builder_add_int_value (builder, BATCH_SIZE);
  add_measure (builder, "values", &values);
  add_measure (builder, "staged", &staged);
  ratio = MAX ((double) values.push_requests / values.ideal, (double) staged.push_requests / staged.ideal);
  json_builder_set_member_name (builder, "ratio");
  json_builder_add_double_value (builder, ratio);
  json_builder_set_member_name (builder, "target");
  json_builder_add_double_value (builder, TARGET);
  json_builder_set_member_name (builder, "pass");
  json_builder_add_boolean_value (builder, ratio <= TARGET);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  g_print ("%s\n", json);

  fake_databricks_free (fake);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (dir, i == 0 ? "values.dbw" : "staged.dbw", NULL);

      bench_remove_db_files (path);
    }
  g_rmdir (dir);
  return 0;
}
