/* test-cli-lineage.c — `databits lineage` on a project with a model, an export and labels
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "../core/lineage-fixture.h"
#include "../core/test-util.h"
#include "cli-run.h"

typedef struct
{
  char           *dir;
  char           *project;
  LineageFixture  lf;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DbwStore) store = NULL;

  f->dir = test_make_dir ();
  f->project = g_build_filename (f->dir, "lineage.dbw", NULL);
  store = test_create_store (f->dir, "lineage.dbw");
  lineage_fixture_fill (&f->lf, store);
  dbw_store_close (store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lineage_fixture_clear (&f->lf);
  test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->project);
}

/* Position of the node of @kind and @id in the printed graph, or -1. */
static int
json_find (JsonObject *graph,
           const char *kind,
           const char *id)
{
  JsonArray *nodes = json_object_get_array_member (graph, "nodes");

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      if (g_str_equal (json_object_get_string_member (node, "kind"), kind) &&
          g_str_equal (json_object_get_string_member (node, "id"), id))
        return i;
    }

  return -1;
}

static gboolean
json_has_edge (JsonObject *graph,
               int         from,
               int         to)
{
  JsonArray *edges = json_object_get_array_member (graph, "edges");

  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonArray *edge = json_array_get_array_element (edges, i);

      if (json_array_get_int_element (edge, 0) == from && json_array_get_int_element (edge, 1) == to)
        return TRUE;
    }

  return FALSE;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static void
test_model (Fixture       *f,
            gconstpointer  data)
{
  g_auto(CliResult) newest = cli_run (f->dir, "lineage", f->project, "--model", "Climate");
  g_auto(CliResult) first = cli_run (f->dir, "lineage", f->project, "--model", "Climate", "--version", "1");
  g_autoptr(JsonNode) newest_json = NULL;
  g_autoptr(JsonNode) first_json = NULL;
  JsonObject *graph;

  g_assert_cmpint (newest.status, ==, 0);
  newest_json = parse (newest.out);
  graph = json_node_get_object (newest_json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (graph, "root"), "id"), ==, "model-2");
  g_assert_true (json_has_edge (graph, json_find (graph, "qa_pair", "pair-2"), json_find (graph, "model", "model-2")));
  g_assert_cmpint (json_find (graph, "canonical_label", f->lf.label_id), >=, 0);
  g_assert_cmpint (json_find (graph, "template", f->lf.template_id), >=, 0);

  g_assert_cmpint (first.status, ==, 0);
  first_json = parse (first.out);
  graph = json_node_get_object (first_json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (graph, "root"), "id"), ==, "model-1");
  g_assert_true (json_has_edge (graph, json_find (graph, "export", "export-1"), json_find (graph, "model", "model-1")));
}

static void
test_item_and_label (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(CliResult) item = cli_run (f->dir, "lineage", f->project, "--item", "row_1", "--sheet", "Cities");
  g_auto(CliResult) label = cli_run (f->dir, "lineage", f->project, "--label", f->lf.label_id);
  g_autoptr(JsonNode) item_json = NULL;
  g_autoptr(JsonNode) label_json = NULL;
  JsonObject *graph;

  g_assert_cmpint (item.status, ==, 0);
  item_json = parse (item.out);
  graph = json_node_get_object (item_json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (graph, "root"), "kind"), ==, "item");
  g_assert_cmpint (json_find (graph, "qa_pair", "pair-1"), >=, 0);
  g_assert_cmpint (json_find (graph, "qa_pair", "pair-3"), >=, 0);
  g_assert_cmpint (json_find (graph, "model", "model-1"), >=, 0);
  g_assert_cmpint (json_find (graph, "model", "model-2"), ==, -1);

  g_assert_cmpint (label.status, ==, 0);
  label_json = parse (label.out);
  graph = json_node_get_object (label_json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (graph, "root"), "kind"), ==,
                   "canonical_label");
  g_assert_cmpint (json_find (graph, "model", "model-2"), >=, 0);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(CliResult) none = cli_run (f->dir, "lineage", f->project);
  g_auto(CliResult) two = cli_run (f->dir, "lineage", f->project, "--model", "Climate", "--label", "x");
  g_auto(CliResult) version = cli_run (f->dir, "lineage", f->project, "--item", "row_0", "--version", "1");
  g_auto(CliResult) missing = cli_run (f->dir, "lineage", f->project, "--model", "Weather");
  g_auto(CliResult) missing_item = cli_run (f->dir, "lineage", f->project, "--item", "row_42");

  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpint (two.status, ==, 2);
  g_assert_cmpint (version.status, ==, 2);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "Weather"));
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_cmpint (missing_item.status, ==, 1);
  g_assert_nonnull (strstr (missing_item.err, "row_42"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/lineage/model", test_model);
  ADD ("/cli/lineage/item-and-label", test_item_and_label);
  ADD ("/cli/lineage/errors", test_errors);
#undef ADD

  return g_test_run ();
}
