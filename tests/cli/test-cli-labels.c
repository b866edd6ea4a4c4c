/* test-cli-labels.c — `databits labels export|import` on the demo project
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "dbw-canonical-ops.h"
#include "dbw-demo.h"
#include "dbw-governance.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "../core/test-query.h"
#include "cli-run.h"

#define SHEET "PCB inspection images"

/* The demo project is made once; each test works on a copy. */
static char *demo_project;

typedef struct
{
  char *dir;
  char *project;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (demo_project);
  g_autoptr(GFile) copy = NULL;

  f->dir = g_dir_make_tmp ("dbw-cli-labels-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = g_build_filename (f->dir, "demo.dbw", NULL);
  copy = g_file_new_for_path (f->project);
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->project);
}

static gint64
project_int (Fixture    *f,
             const char *sql)
{
  return test_query_int (f->project, sql);
}

static gint64
n_labels (Fixture *f)
{
  return project_int (f, "SELECT count (*) FROM canonical_labels WHERE label_type = 'object_detection'");
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
test_labels_export_coco (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *out = path_in (f, "instances.json");
  g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "--sheet", SHEET, "--format", "coco", "-o", out);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  JsonObject *root;
  JsonArray *images, *categories;
  gint64 labels = n_labels (f);

  g_assert_cmpint (labels, >, 0);
  g_assert_cmpint (r.status, ==, 0);
  expected = g_strdup_printf ("Wrote the labels of %" G_GINT64_FORMAT " images to %s\n", labels, out);
  g_assert_cmpstr (r.out, ==, expected);
  g_assert_cmpstr (r.err, ==, "");

  g_assert_true (json_parser_load_from_file (parser, out, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  images = json_object_get_array_member (root, "images");
  categories = json_object_get_array_member (root, "categories");
  g_assert_cmpint (json_array_get_length (images), ==, labels);
  /* the demo's labels carry no size: it is read from each image */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (images, 0), "width"), ==, 1600);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (images, 0), "height"), ==, 1200);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 0), "file_name"), ==,
                   "pcb-001.png");
  g_assert_cmpuint (json_array_get_length (categories), >, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "annotations")), >, labels);
}

static void
test_labels_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *yolo = path_in (f, "yolo");
  g_autofree char *voc = path_in (f, "voc");
  g_autofree char *classes_path = path_in (f, "yolo/classes.txt");
  g_autofree char *xml_path = path_in (f, "voc/pcb-001.xml");
  g_autofree char *classes = NULL;
  g_autofree char *xml = NULL;
  gint64 labels = n_labels (f);
  gint64 with_objects;

  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "-s", SHEET, "-f", "yolo", "-o", yolo);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (classes_path, &classes, NULL, NULL));
  g_assert_nonnull (strstr (classes, "solder_bridge\n"));
  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "-s", SHEET, "-f", "voc", "-o", voc);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (xml_path, &xml, NULL, NULL));
  g_assert_nonnull (strstr (xml, "<width>1600</width>"));

  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "import", f->project, "--sheet", SHEET, "--format", "yolo", yolo);
    g_autofree char *expected = NULL;
    gint64 shapes = project_int (f, "SELECT sum (json_array_length (label_data, '$.objects')) FROM label_suggestions");

    g_assert_cmpint (r.status, ==, 0);
    expected = g_strdup_printf ("Suggested %" G_GINT64_FORMAT " shapes for %" G_GINT64_FORMAT " items of " SHEET "\n",
                                shapes, labels);
    g_assert_cmpstr (r.out, ==, expected);
    g_assert_cmpstr (r.err, ==, "");
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "import", f->project, "--sheet", SHEET, "--format", "voc", voc);
    g_assert_cmpint (r.status, ==, 0);
  }

  /* suggestions from two sources for the boards with defects, no new labels, and the boxes of
   * both the same to the pixel */
  with_objects = project_int (f, "SELECT count (*) FROM canonical_labels WHERE label_type = 'object_detection' "
                                 "AND json_array_length (label_data, '$.objects') > 0");
  g_assert_cmpint (with_objects, >, 0);
  g_assert_cmpint (project_int (f, "SELECT count (*) FROM label_suggestions"), ==, 2 * with_objects);
  g_assert_cmpint (n_labels (f), ==, labels);
  g_assert_cmpint (project_int (f, "SELECT count (*) FROM label_suggestions AS y JOIN label_suggestions AS v "
                                   "ON v.item_ref = y.item_ref AND v.source = 'voc' "
                                   "WHERE y.source = 'yolo' AND json_extract (y.label_data, '$.objects') = "
                                   "json_extract (v.label_data, '$.objects')"), ==, with_objects);
}

static void
test_labels_jsonl (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "--sheet", SHEET, "--format", "jsonl", "-o", "-");
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (object, "label_type"), ==, "object_detection");
      g_assert_true (json_object_has_member (json_object_get_object_member (object, "label_data"), "objects"));
      n++;
    }
  g_assert_cmpint (n, ==, n_labels (f));

  {
    g_autofree char *out = path_in (f, "labels.jsonl");
    g_auto(CliResult) file = cli_run (f->dir, "labels", "export", f->project, "--sheet", SHEET, "--format", "jsonl", "-o", out);
    g_autofree char *contents = NULL;

    g_assert_cmpint (file.status, ==, 0);
    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, r.out);
  }
}

/* Labels leave for one use (--use, training by default): a label prohibited for it stays. */
static void
test_labels_use (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *out = path_in (f, "labels.jsonl");
  gint64 all = n_labels (f);

  {
    g_autoptr(GFile) file = g_file_new_for_path (f->project);
    g_autoptr(DbwStore) store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, NULL);
    g_autoptr(GPtrArray) sheets = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) ids = NULL;
    const char *first[2] = { NULL, NULL };
    DbwConstraintChange change;

    g_assert_nonnull (store);
    dbw_store_set_user (store, "gus@example.org");
    sheets = dbw_store_list (store, DBW_TYPE_SHEET, "name", SHEET, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sheets->len, ==, 1);
    ids = dbw_canonical_ops_list_ids (store, dbw_record_get_id (g_ptr_array_index (sheets, 0)),
                                      DBW_LABEL_TYPE_OBJECT_DETECTION, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (ids), ==, all);
    first[0] = ids[0];

    dbw_constraint_change_init (&change);
    change.uses[0] = DBW_USE_STATE_PROHIBITED;
    change.reason = "Board of a customer under NDA";
    g_assert_cmpint (dbw_governance_apply (store, DBW_GOVERNANCE_TARGET_CANONICAL_LABEL, first, &change, &error), ==, 1);
    g_assert_no_error (error);
    dbw_store_close (store);
  }

  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "--sheet", SHEET, "--format", "jsonl", "-o", out);
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "1 label withheld: its usage constraints do not allow training"));
    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines) - 1, ==, all - 1);
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "--sheet", SHEET, "--format", "coco", "-o", out);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "1 label withheld: its usage constraints do not allow training"));
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "--sheet", SHEET, "--format", "coco",
                                   "--use", "evaluation", "-o", out);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
  }
}

static void
test_labels_import_label_studio (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = path_in (f, "export.json");
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path,
    "[{\"data\": {\"image\": \"/data/upload/3/9f2e61aa-pcb-020.png\"}, \"annotations\": [{\"result\": ["
    "{\"type\": \"rectanglelabels\", \"original_width\": 1600, \"original_height\": 1200,"
    " \"value\": {\"x\": 50, \"y\": 25, \"width\": 5, \"height\": 2.5, \"rectanglelabels\": [\"scratch\"]}}]}]},"
    " {\"data\": {\"image\": \"IMG_0042.jpg\"}, \"annotations\": []}]", -1, &error));
  g_assert_no_error (error);

  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "import", f->project, "--sheet", SHEET, "--format", "labelstudio", path);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "Suggested 1 shape for 1 item of " SHEET "\n1 image matched no item\n");
    g_assert_nonnull (strstr (r.err, "No item of the sheet matches “IMG_0042.jpg”"));
  }
  g_assert_cmpint (project_int (f, "SELECT json_extract (label_data, '$.objects[0].bbox[0]') * 1000 + "
                                   "json_extract (label_data, '$.objects[0].bbox[3]') FROM label_suggestions "
                                   "WHERE item_ref = 'pcb-020.png' AND source = 'labelstudio'"), ==, 800 * 1000 + 30);
}

static void
test_labels_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *bad = path_in (f, "bad.json");
  const char * const *usage[] = {
    (const char * const[]) { "labels", NULL },
    (const char * const[]) { "labels", "frobnicate", NULL },
    (const char * const[]) { "labels", "export", NULL },
    (const char * const[]) { "labels", "export", "demo.dbw", "--format", "coco", "-o", "x.json", NULL },
    (const char * const[]) { "labels", "export", "demo.dbw", "--sheet", SHEET, "-o", "x.json", NULL },
    (const char * const[]) { "labels", "export", "demo.dbw", "--sheet", SHEET, "--format", "coco", NULL },
    (const char * const[]) { "labels", "export", "demo.dbw", "--sheet", SHEET, "--format", "labelstudio", "-o", "x", NULL },
    (const char * const[]) { "labels", "export", "demo.dbw", "--sheet", SHEET, "--format", "coco", "-o", "-", NULL },
    (const char * const[]) { "labels", "export", "demo.dbw", "--sheet", SHEET, "--format", "coco", "--use", "marketing", "-o", "x.json", NULL },
    (const char * const[]) { "labels", "import", "demo.dbw", "--sheet", SHEET, "--format", "coco", NULL },
    (const char * const[]) { "labels", "import", "demo.dbw", "--sheet", SHEET, "--format", "csv", "bad.json", NULL },
    (const char * const[]) { "labels", "import", "demo.dbw", "--format", "coco", "bad.json", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_auto(CliResult) r = cli_run_argv (f->dir, usage[i]);

      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_nonnull (strstr (r.err, "--help"));
    }

  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "export", f->project, "--sheet", "Nope", "--format", "coco", "-o", "x.json");

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "There is no sheet “Nope”"));
  }
  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "import", f->project, "--sheet", SHEET, "--format", "coco", "missing.json");

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "missing.json"));
  }

  g_assert_true (g_file_set_contents (bad, "{\"images\": [\n  {\"id\": 1, \"file_name\": \"pcb-001.png\"},\n  {\"id\": 2,,}\n]}", -1, NULL));
  {
    g_auto(CliResult) r = cli_run (f->dir, "labels", "import", f->project, "--sheet", SHEET, "--format", "coco", bad);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "bad.json:3:"));
    g_assert_cmpstr (r.out, ==, "");
  }
  g_assert_cmpint (project_int (f, "SELECT count (*) FROM label_suggestions"), ==, 0);
}

static void
test_labels_help (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(CliResult) top = cli_run (f->dir, "--help");
  g_auto(CliResult) labels = cli_run (f->dir, "labels", "--help");
  g_auto(CliResult) help_labels = cli_run (f->dir, "help", "labels");
  g_auto(CliResult) export = cli_run (f->dir, "labels", "export", "--help");
  g_auto(CliResult) import = cli_run (f->dir, "labels", "import", "--help");

  g_assert_cmpint (top.status, ==, 0);
  g_assert_nonnull (strstr (top.out, "labels"));
  g_assert_cmpint (labels.status, ==, 0);
  g_assert_nonnull (strstr (labels.out, "databits labels"));
  g_assert_cmpstr (help_labels.out, ==, labels.out);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_nonnull (strstr (export.out, "databits labels export"));
  g_assert_nonnull (strstr (export.out, "--format"));
  g_assert_cmpint (import.status, ==, 0);
  g_assert_nonnull (strstr (import.out, "labelstudio"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_dir = NULL;
  g_autoptr(GFile) demo_file = NULL;
  const char *sources = g_getenv ("DBW_DEMO_SOURCES");
  int status;

  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (sources);
  demo_dir = g_dir_make_tmp ("dbw-cli-demo-XXXXXX", &error);
  g_assert_no_error (error);
  demo_project = g_build_filename (demo_dir, "demo.dbw", NULL);
  demo_file = g_file_new_for_path (demo_project);
  {
    g_autoptr(DbwStore) store = dbw_store_open (demo_file, DBW_STORE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_true (dbw_demo_fill (store, sources, NULL, &error));
    g_assert_no_error (error);
    dbw_store_close (store);
  }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/labels/export-coco", test_labels_export_coco);
  ADD ("/cli/labels/round-trip", test_labels_round_trip);
  ADD ("/cli/labels/jsonl", test_labels_jsonl);
  ADD ("/cli/labels/use", test_labels_use);
  ADD ("/cli/labels/import-label-studio", test_labels_import_label_studio);
  ADD ("/cli/labels/errors", test_labels_errors);
  ADD ("/cli/labels/help", test_labels_help);
#undef ADD

  status = g_test_run ();

  cli_remove_tree (demo_dir);
  g_free (demo_project);
  return status;
}
