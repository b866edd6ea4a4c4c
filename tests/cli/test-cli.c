/* test-cli.c
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

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-run.h"

#ifdef HAVE_FAKE_DATABRICKS
#include <sqlite3.h>

#include "fake-databricks.h"
#include "fake-llm.h"
#include "../core/test-query.h"
#endif

/* The `databits` command as a script sees it: exit status, stdout and stderr. The built
 * program comes from $DATABITS. */

typedef struct
{
  char *dir;
  char *project;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("dbw-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = g_build_filename (f->dir, "survey.dbw", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cli_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->project);
}

static GSubprocessLauncher *
make_launcher (Fixture *f)
{
  GSubprocessLauncher *launcher;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  /* UTF-8 output whatever the machine's locale; messages in English. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");

  return launcher;
}

static GSubprocess *
spawn (Fixture             *f,
       GSubprocessLauncher *launcher,
       const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *databits = g_getenv ("DATABITS");
  GSubprocess *process;

  g_assert_nonnull (databits);
  g_ptr_array_add (argv, (gpointer) databits);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

static int
exit_status (GSubprocess *process)
{
  if (g_subprocess_get_if_signaled (process))
    g_error ("databits was killed by signal %d", g_subprocess_get_term_sig (process));

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* Runs `databits ARGS…` as @launcher says. */
static Result
run_with (Fixture             *f,
          GSubprocessLauncher *launcher,
          const char * const  *args)
{
  g_autoptr(GSubprocess) process = spawn (f, launcher, args);
  g_autoptr(GError) error = NULL;
  Result result = { 0 };

  g_subprocess_communicate_utf8 (process, NULL, NULL, &result.out, &result.err, &error);
  g_assert_no_error (error);
  result.status = exit_status (process);

  g_test_message ("databits %s → %d\nstdout:\n%s\nstderr:\n%s",
                  args[0] != NULL ? args[0] : "", result.status, result.out, result.err);

  return result;
}

/* Runs `databits ARGS…` in the test's directory. */
static Result
run_argv (Fixture            *f,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f);

  return run_with (f, launcher, args);
}

#define run(f, ...) run_argv ((f), (const char * const[]) { __VA_ARGS__, NULL })

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_no_error (error);

  return path;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static char *
write_pdf (Fixture    *f,
           const char *name,
           const char *text)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_move_to (cr, 72, 100);
  cairo_set_font_size (cr, 14);
  cairo_show_text (cr, text);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  return write_file (f, name, (const char *) bytes->data, bytes->len);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* The project as `databits info --json` shows it. */
static JsonNode *
project_info (Fixture *f)
{
  g_auto(Result) info = run (f, "info", f->project, "--json");

  g_assert_cmpint (info.status, ==, 0);
  g_assert_cmpstr (info.err, ==, "");

  return parse_json (info.out);
}

/* The entry of the sheet called @name in `databits info --json`, or NULL. */
static JsonObject *
find_sheet (JsonNode   *info,
            const char *name)
{
  JsonArray *sheets = json_object_get_array_member (json_node_get_object (info), "sheets");

  for (guint i = 0; i < json_array_get_length (sheets); i++)
    {
      JsonObject *sheet = json_array_get_object_element (sheets, i);

      if (g_strcmp0 (json_object_get_string_member (sheet, "name"), name) == 0)
        return sheet;
    }

  return NULL;
}

static gint64
sheet_items (Fixture    *f,
             const char *name)
{
  g_autoptr(JsonNode) info = project_info (f);
  JsonObject *sheet = find_sheet (info, name);

  g_assert_nonnull (sheet);
  return json_object_get_int_member (sheet, "items");
}

/* The value after "Label:" on a line of the import summary. */
static char *
summary_value (const char *out,
               const char *label)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], label))
      return g_strstrip (g_strdup (lines[i] + strlen (label)));

  return NULL;
}

static void
create_project (Fixture *f)
{
  g_auto(Result) created = run (f, "create", f->project);

  g_assert_cmpint (created.status, ==, 0);
}

static void
test_cli_create (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Result) created = run (f, "create", "survey.dbw", "--title", "Hot lab survey");
  g_auto(Result) again = { 0 };
  g_autoptr(JsonNode) info = NULL;
  JsonObject *root;

  g_assert_cmpint (created.status, ==, 0);
  g_assert_cmpstr (created.out, ==, "");
  g_assert_cmpstr (created.err, ==, "");
  g_assert_true (g_file_test (f->project, G_FILE_TEST_IS_REGULAR));

  info = project_info (f);
  root = json_node_get_object (info);
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "Hot lab survey");
  g_assert_cmpstr (json_object_get_string_member (root, "path"), ==, f->project);
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), >=, 1);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "sheets")), ==, 0);

  /* An existing file is never overwritten. */
  again = run (f, "create", "survey.dbw");
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpstr (again.out, ==, "");
  g_assert_true (g_str_has_prefix (again.err, "databits: "));
  g_assert_nonnull (strstr (again.err, "survey.dbw"));
  g_assert_nonnull (strstr (again.err, "already exists"));
}

static void
test_cli_import_csv (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "readings.csv",
                                     "instrument,site,dose\n"
                                     "RDS-31,Hot lab,0.12\n"
                                     "RDS-32,Reactor hall,0.40\n"
                                     "007,Waste store,0.05\n", -1);
  g_auto(Result) imported = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) mistyped = { 0 };
  g_auto(Result) no_report = { 0 };
  g_autofree char *added = NULL;
  g_autofree char *unchanged = NULL;
  g_autoptr(JsonNode) info = NULL;
  JsonObject *sheet;

  create_project (f);

  imported = run (f, "import", "survey.dbw", "--sheet", "Readings", "readings.csv");
  g_assert_cmpint (imported.status, ==, 0);
  g_assert_cmpstr (imported.err, ==, "");
  added = summary_value (imported.out, "Items added:");
  g_assert_cmpstr (added, ==, "3");
  g_assert_nonnull (strstr (imported.out, "Readings"));

  info = project_info (f);
  sheet = find_sheet (info, "Readings");
  g_assert_nonnull (sheet);
  g_assert_cmpint (json_object_get_int_member (sheet, "items"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sheet, "modalities"), "row"), ==, 3);

  /* The same file again goes into the same sheet and changes nothing. */
  again = run (f, "import", f->project, "--sheet", "Readings", csv);
  g_assert_cmpint (again.status, ==, 0);
  unchanged = summary_value (again.out, "Unchanged:");
  g_assert_cmpstr (unchanged, ==, "3");
  g_clear_pointer (&info, json_node_unref);
  info = project_info (f);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json_node_get_object (info), "sheets")), ==, 1);
  g_assert_cmpint (sheet_items (f, "Readings"), ==, 3);

  /* A mistyped file name is reported before anything changes. */
  mistyped = run (f, "import", "survey.dbw", "--sheet", "Typo", "readngs.csv");
  g_assert_cmpint (mistyped.status, ==, 1);
  g_assert_nonnull (strstr (mistyped.err, "readngs.csv"));
  g_clear_pointer (&info, json_node_unref);
  info = project_info (f);
  g_assert_null (find_sheet (info, "Typo"));

  /* So is a report that could not be written once the items are in. */
  no_report = run (f, "import", "survey.dbw", "--sheet", "Reported", "readings.csv",
                   "--report", "no-such-folder/report.json");
  g_assert_cmpint (no_report.status, ==, 1);
  g_assert_cmpstr (no_report.out, ==, "");
  g_assert_nonnull (strstr (no_report.err, "no-such-folder"));
  g_clear_pointer (&info, json_node_unref);
  info = project_info (f);
  g_assert_null (find_sheet (info, "Reported"));
}

static void
test_cli_import_rejected (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "ragged.csv",
                                     "a,b,c\n"
                                     "1,2,3\n"
                                     "4,5\n"
                                     "7,8,9\n", -1);
  g_autofree char *report_path = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *report_text = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) rejected = { 0 };
  g_auto(Result) kept = { 0 };
  g_autofree char *added = NULL;
  g_autofree char *n_rejected = NULL;
  JsonObject *root;
  JsonObject *problem;

  create_project (f);

  /* One bad row and nothing is imported; the row is named. */
  rejected = run (f, "import", "survey.dbw", "--sheet", "Ragged", "ragged.csv", "--report", "report.json");
  g_assert_cmpint (rejected.status, ==, 1);
  g_assert_cmpstr (rejected.out, ==, "");
  g_assert_nonnull (strstr (rejected.err, "ragged.csv, line 3"));
  g_assert_nonnull (strstr (rejected.err, "nothing was imported"));
  g_assert_nonnull (strstr (rejected.err, "--keep-good"));
  /* The sheet the import made for it is gone with it. */
  {
    g_autoptr(JsonNode) info = project_info (f);

    g_assert_null (find_sheet (info, "Ragged"));
  }

  g_assert_true (g_file_get_contents (report_path, &report_text, NULL, &error));
  g_assert_no_error (error);
  report = parse_json (report_text);
  root = json_node_get_object (report);
  g_assert_false (json_object_get_boolean_member (root, "committed"));
  g_assert_cmpint (json_object_get_int_member (root, "rejected"), ==, 1);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "problems")), ==, 1);
  problem = json_array_get_object_element (json_object_get_array_member (root, "problems"), 0);
  g_assert_cmpint (json_object_get_int_member (problem, "line"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (problem, "source"), "ragged.csv"));

  /* Asked to, it keeps the good rows and still names the bad one. */
  kept = run (f, "import", "survey.dbw", "--sheet", "Ragged", "ragged.csv", "--keep-good");
  g_assert_cmpint (kept.status, ==, 0);
  g_assert_nonnull (strstr (kept.err, "ragged.csv, line 3"));
  added = summary_value (kept.out, "Items added:");
  n_rejected = summary_value (kept.out, "Rejected:");
  g_assert_cmpstr (added, ==, "2");
  g_assert_cmpstr (n_rejected, ==, "1");
  g_assert_cmpint (sheet_items (f, "Ragged"), ==, 2);

  /* Keeping the good records when there are none, or a folder with nothing in it:
   * nothing was imported, and the exit status says so. */
  {
    g_autofree char *bad = write_file (f, "all-bad.jsonl", "[1]\n\"text\"\n", -1);
    g_autofree char *empty = g_build_filename (f->dir, "empty", NULL);
    g_auto(Result) none = { 0 };
    g_auto(Result) nothing = { 0 };
    g_autoptr(JsonNode) info = NULL;

    g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
    none = run (f, "import", "survey.dbw", "--sheet", "All bad", "all-bad.jsonl", "--keep-good");
    g_assert_cmpint (none.status, ==, 1);
    g_assert_nonnull (strstr (none.err, "all-bad.jsonl, line 1"));
    g_assert_nonnull (strstr (none.err, "Nothing was imported: every record and file was rejected"));
    nothing = run (f, "import", "survey.dbw", "--sheet", "Empty", "empty");
    g_assert_cmpint (nothing.status, ==, 1);
    g_assert_nonnull (strstr (nothing.err, "There is nothing to import"));
    info = project_info (f);
    g_assert_null (find_sheet (info, "All bad"));
    g_assert_null (find_sheet (info, "Empty"));
  }

  /* Semicolons and commas fit this file equally well: --delimiter says which it is. */
  {
    g_autofree char *prices = write_file (f, "prices.csv", "name;price, EUR\nfoo;3,5\nbar;4,25\n", -1);
    g_auto(Result) imported = run (f, "import", "survey.dbw", "--sheet", "Prices", "prices.csv", "--delimiter", ";");
    g_auto(Result) found = run (f, "search", "survey.dbw", "foo", "--json");

    g_assert_cmpint (imported.status, ==, 0);
    g_assert_cmpint (sheet_items (f, "Prices"), ==, 2);
    g_assert_nonnull (strstr (found.out, "\"fields\":{\"name\":\"foo\",\"price, EUR\":\"3,5\"}"));
  }
}

static void
test_cli_import_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *pdf = write_pdf (f, "documents/wipe-test.pdf", "Contamination survey of the hot lab");
  g_autofree char *text = write_file (f, "documents/notes.txt", "Calibration of the RDS-31 is due in March.\n", -1);
  g_autofree char *csv = write_file (f, "readings.csv", "instrument,site\nRDS-31,Hot lab\n", -1);
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_auto(Result) imported = { 0 };
  g_auto(Result) readings = { 0 };
  g_auto(Result) search = { 0 };
  g_auto(Result) human = { 0 };
  g_auto(Result) other_sheet = { 0 };
  g_auto(Result) no_sheet = { 0 };
  g_autofree char *blobs = NULL;
  JsonObject *sheet;
  JsonObject *modalities;
  JsonObject *item;
  JsonObject *fields;
  JsonArray *items;

  create_project (f);

  imported = run (f, "import", "survey.dbw", "--sheet", "Documents", "documents");
  g_assert_cmpint (imported.status, ==, 0);
  g_assert_cmpstr (imported.err, ==, "");
  blobs = summary_value (imported.out, "Files stored:");
  g_assert_cmpstr (blobs, ==, "2");

  readings = run (f, "import", "survey.dbw", "--sheet", "Readings", "--format", "csv", "readings.csv");
  g_assert_cmpint (readings.status, ==, 0);

  info = project_info (f);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (info), "tables"),
                                               "blobs"), ==, 2);
  sheet = find_sheet (info, "Documents");
  g_assert_nonnull (sheet);
  g_assert_cmpint (json_object_get_int_member (sheet, "items"), ==, 2);
  modalities = json_object_get_object_member (sheet, "modalities");
  g_assert_cmpint (json_object_get_int_member (modalities, "pdf"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (modalities, "text"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (modalities, "row"), ==, 0);
  sheet = find_sheet (info, "Readings");
  g_assert_cmpint (json_object_get_int_member (sheet, "items"), ==, 1);

  /* A word of the PDF's text finds it, with its fields as JSON. */
  search = run (f, "search", "survey.dbw", "contamination", "--json");
  g_assert_cmpint (search.status, ==, 0);
  found = parse_json (search.out);
  items = json_node_get_array (found);
  g_assert_cmpint (json_array_get_length (items), ==, 1);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "sheet"), ==, "Documents");
  g_assert_cmpstr (json_object_get_string_member (item, "sheet_id"), ==,
                   json_object_get_string_member (find_sheet (info, "Documents"), "id"));
  g_assert_cmpstr (json_object_get_string_member (item, "modality"), ==, "pdf");
  g_assert_cmpstr (json_object_get_string_member (item, "content_type"), ==, "application/pdf");
  g_assert_cmpint (json_object_get_int_member (item, "version"), ==, 1);
  g_assert_nonnull (json_object_get_string_member (item, "id"));
  g_assert_nonnull (strstr (json_object_get_string_member (item, "item_ref"), "wipe-test.pdf"));
  fields = json_object_get_object_member (item, "fields");
  g_assert_nonnull (fields);
  g_assert_cmpstr (json_object_get_string_member (fields, "name"), ==, "wipe-test.pdf");

  /* One line per item for people. */
  human = run (f, "search", "survey.dbw", "contamination");
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "Documents"));
  g_assert_nonnull (strstr (human.out, "pdf"));
  g_assert_nonnull (strstr (human.out, "Contamination survey"));
  g_assert_cmpint (strchr (human.out, '\n') - human.out + 1, ==, (gssize) strlen (human.out));

  /* --sheet narrows the search. */
  other_sheet = run (f, "search", "survey.dbw", "contamination", "--sheet", "Readings", "--json");
  g_assert_cmpint (other_sheet.status, ==, 0);
  g_clear_pointer (&found, json_node_unref);
  found = parse_json (other_sheet.out);
  g_assert_cmpint (json_array_get_length (json_node_get_array (found)), ==, 0);

  g_clear_pointer (&found, json_node_unref);
  result_clear (&search);
  search = run (f, "search", "survey.dbw", "RDS-31", "--sheet", "Readings", "--json");
  found = parse_json (search.out);
  g_assert_cmpint (json_array_get_length (json_node_get_array (found)), ==, 1);

  no_sheet = run (f, "search", "survey.dbw", "contamination", "--sheet", "Nowhere");
  g_assert_cmpint (no_sheet.status, ==, 1);
  g_assert_nonnull (strstr (no_sheet.err, "Nowhere"));

  /* Fields are printed as the project holds them: numbers keep how they were written,
   * even beyond what 64 bits hold. */
  {
    g_autofree char *numbers = write_file (f, "numbers.jsonl",
                                           "{\"big\":123456789012345678901234567890,\"n\":1e5,\"f\":0.1,\"word\":\"zebra\"}\n", -1);
    g_auto(Result) imported_numbers = run (f, "import", "survey.dbw", "--sheet", "Numbers", "numbers.jsonl");
    g_auto(Result) zebra = run (f, "search", "survey.dbw", "zebra", "--json");
    g_autoptr(JsonNode) parsed = NULL;

    g_assert_cmpint (imported_numbers.status, ==, 0);
    g_assert_cmpint (zebra.status, ==, 0);
    g_assert_nonnull (strstr (zebra.out, "\"fields\":{\"big\":123456789012345678901234567890,\"n\":1e5,\"f\":0.1,\"word\":\"zebra\"}"));
    parsed = parse_json (zebra.out);
    g_assert_cmpint (json_array_get_length (json_node_get_array (parsed)), ==, 1);

    /* So does the line for people. */
    {
      g_auto(Result) line = run (f, "search", "survey.dbw", "zebra");

      g_assert_cmpint (line.status, ==, 0);
      g_assert_nonnull (strstr (line.out, "big: 123456789012345678901234567890, n: 1e5"));
    }
  }
}

static void
test_cli_import_cancel (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "stream.csv", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint64 row = 0;
  int fd = -1;

  create_project (f);

  /* The import reads from a pipe this test feeds, so it is still running when it gets
   * Ctrl+C, whatever the speed of the machine. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  launcher = make_launcher (f);
  process = spawn (f, launcher, (const char * const[]) { "import", "survey.dbw", "--sheet", "Stream",
                                                         "--format", "csv", "stream.csv", NULL });

  /* Opening succeeds once the importer reads: by then Ctrl+C is handled. */
  while ((fd = g_open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0)) < 0)
    {
      g_assert_cmpint (errno, ==, ENXIO);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 100);
    }

  g_assert_cmpint (write (fd, "a,b\n1,2\n", 8), ==, 8);
  g_subprocess_send_signal (process, SIGINT);

  /* Rows keep coming until the import notices: it checks before every read. The
   * identifier goes once the process has exited. */
  while (g_subprocess_get_identifier (process) != NULL)
    {
      char line[64];
      int len;

      len = g_snprintf (line, sizeof line, "%" G_GUINT64_FORMAT ",x\n", ++row);
      if (write (fd, line, len) < 0 && errno != EAGAIN)
        {
          g_assert_cmpint (errno, ==, EPIPE);
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 50);
    }

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);

  g_assert_cmpint (exit_status (process), ==, 130);
  g_assert_nonnull (strstr (err, "cancelled"));
  {
    g_autoptr(JsonNode) info = project_info (f);

    g_assert_null (find_sheet (info, "Stream"));
  }
}

static void
test_cli_help (Fixture       *f,
               gconstpointer  data)
{
  const char *commands[] = { "create", "import", "info", "search", "templates", "uc" };
  g_auto(Result) top = run (f, "--help");
  g_auto(Result) version = run (f, "--version");

  g_assert_cmpint (top.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (top.out, commands[i]));

  g_assert_cmpint (version.status, ==, 0);
  g_assert_nonnull (strstr (version.out, PACKAGE_VERSION));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strdup_printf ("databits %s", commands[i]);
      g_auto(Result) help = run (f, commands[i], "--help");
      g_auto(Result) help_command = run (f, "help", commands[i]);

      g_assert_cmpint (help.status, ==, 0);
      g_assert_nonnull (strstr (help.out, usage));
      g_assert_cmpstr (help.err, ==, "");
      g_assert_cmpint (help_command.status, ==, 0);
      g_assert_cmpstr (help_command.out, ==, help.out);
    }

  /* A command's own commands have their help too. */
  {
    g_auto(Result) help = run (f, "labels", "export", "--help");
    g_auto(Result) help_command = run (f, "help", "labels", "export");

    g_assert_cmpint (help.status, ==, 0);
    g_assert_nonnull (strstr (help.out, "databits labels export"));
    g_assert_nonnull (strstr (help.out, "--format"));
    g_assert_cmpint (help_command.status, ==, 0);
    g_assert_cmpstr (help_command.out, ==, help.out);
  }
}

static void
test_cli_usage (Fixture       *f,
                gconstpointer  data)
{
  const char * const *cases[] = {
    (const char * const[]) { "frobnicate", NULL },
    (const char * const[]) { "--frobnicate", NULL },
    (const char * const[]) { "create", NULL },
    (const char * const[]) { "create", "a.dbw", "b.dbw", NULL },
    (const char * const[]) { "import", "survey.dbw", "x.csv", NULL },
    (const char * const[]) { "import", "survey.dbw", "--sheet", "S", NULL },
    (const char * const[]) { "import", "survey.dbw", "--sheet", "S", "--format", "xml", "x.csv", NULL },
    (const char * const[]) { "import", "survey.dbw", "--sheet", "S", "--delimiter", "ab", "x.csv", NULL },
    (const char * const[]) { "info", NULL },
    (const char * const[]) { "info", "survey.dbw", "--frobnicate", NULL },
    (const char * const[]) { "search", "survey.dbw", NULL },
    (const char * const[]) { "search", "survey.dbw", "word", "--limit", "-1", NULL },
    (const char * const[]) { "search", "survey.dbw", "word", "--limit", "many", NULL },
    (const char * const[]) { "templates", NULL },
    (const char * const[]) { "templates", "frobnicate", NULL },
    (const char * const[]) { "templates", "list", NULL },
    (const char * const[]) { "templates", "list", "survey.dbw", "extra", NULL },
    (const char * const[]) { "templates", "list", "survey.dbw", "--status", "done", NULL },
    (const char * const[]) { "templates", "list", "survey.dbw", "--label-type", "poetry", NULL },
    (const char * const[]) { "templates", "add", "survey.dbw", NULL },
    (const char * const[]) { "templates", "show", "survey.dbw", NULL },
    (const char * const[]) { "templates", "publish", "survey.dbw", "a", "b", NULL },
    (const char * const[]) { "templates", "archive", NULL },
    (const char * const[]) { "generate", "survey.dbw", "--sheet", "S", "--template", "T", "--endpoint", "http://127.0.0.1:9/v1", "--concurrency", "0", NULL },
    (const char * const[]) { "generate", "survey.dbw", "--sheet", "S", "--template", "T", "--concurrency", "257", NULL },
    (const char * const[]) { "generate", "survey.dbw", "--sheet", "S", "--template", "T", "--mode", "ai_generated",
                             "--column", "status", "--endpoint", "http://127.0.0.1:9/v1", NULL },
    (const char * const[]) { "generate", "survey.dbw", "--sheet", "S", "--template", "T", "--trusted-column",
                             "--endpoint", "http://127.0.0.1:9/v1", NULL },
    (const char * const[]) { "generate", "survey.dbw", "--sheet", "S", "--template", "T", "--endpoint", "notaurl", NULL },
    (const char * const[]) { "generate", "survey.dbw", "--sheet", "S", "--template", "T", "--endpoint", "http://models.example.org/v1", NULL },
    (const char * const[]) { "uc", NULL },
    (const char * const[]) { "uc", "frobnicate", NULL },
    (const char * const[]) { "uc", "ls", "main", "sales", NULL },
    (const char * const[]) { "uc", "ls", "main.sales.orders", NULL },
    (const char * const[]) { "uc", "ls", "ma`in", NULL },
    (const char * const[]) { "uc", "ls", "main.", NULL },
    (const char * const[]) { "uc", "ls", "--frobnicate", NULL },
  };
  g_auto(Result) none = run_argv (f, (const char * const[]) { NULL });

  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "COMMAND"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = run_argv (f, cases[i]);

      g_assert_cmpint (result.status, ==, 2);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "databits: "));
    }

  {
    g_auto(Result) unknown = run (f, "frobnicate");

    g_assert_nonnull (strstr (unknown.err, "frobnicate"));
    g_assert_nonnull (strstr (unknown.err, "Usage:"));
  }

  /* Nothing was created by any of them. */
  g_assert_false (g_file_test (f->project, G_FILE_TEST_EXISTS));
}

static void
test_cli_not_a_project (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *text = write_file (f, "notes.dbw", "Just some notes, not a project.\n", -1);
  g_autofree char *missing_path = g_build_filename (f->dir, "missing.dbw", NULL);
  g_auto(Result) missing = run (f, "info", "missing.dbw");
  g_auto(Result) not_project = run (f, "info", "notes.dbw");
  g_auto(Result) import_missing = run (f, "import", "missing.dbw", "--sheet", "S", "notes.dbw");
  g_auto(Result) search_not_project = run (f, "search", "notes.dbw", "notes");
  g_auto(Result) empty_name = run (f, "info", "");

  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_true (g_str_has_prefix (missing.err, "databits: "));
  g_assert_nonnull (strstr (missing.err, "missing.dbw"));
  g_assert_nonnull (strstr (missing.err, "No such file"));
  g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (not_project.status, ==, 1);
  g_assert_nonnull (strstr (not_project.err, "notes.dbw"));
  g_assert_nonnull (strstr (not_project.err, "not a Databits project"));

  g_assert_cmpint (import_missing.status, ==, 1);
  g_assert_nonnull (strstr (import_missing.err, "missing.dbw"));

  g_assert_cmpint (search_not_project.status, ==, 1);
  g_assert_nonnull (strstr (search_not_project.err, "not a Databits project"));

  /* Not the current folder. */
  g_assert_cmpint (empty_name.status, ==, 1);
  g_assert_nonnull (strstr (empty_name.err, "file name is empty"));
}

#define TEMPLATE_JSON \
  "{\n" \
  "  \"name\": \"Dose classifier\",\n" \
  "  \"label_type\": \"classification\",\n" \
  "  \"description\": \"Sorts readings by how high they are\",\n" \
  "  \"system_prompt\": \"You are a radiation safety officer.\",\n" \
  "  \"user_prompt_template\": \"Reading at {{ site }}: {{ dose }} mSv. Classify it.\",\n" \
  "  \"output_schema\": {\"type\": \"object\", \"required\": [\"label\"]},\n" \
  "  \"temperature\": 0.7,\n" \
  "  \"max_tokens\": 200,\n" \
  "  \"examples\": []\n" \
  "}\n"

static JsonArray *
templates_json (Fixture    *f,
                const char *option,
                const char *value,
                JsonNode  **keep)
{
  g_auto(Result) listed = option != NULL ? run (f, "templates", "list", "survey.dbw", "--json", option, value)
                                         : run (f, "templates", "list", "survey.dbw", "--json");

  g_assert_cmpint (listed.status, ==, 0);
  g_assert_cmpstr (listed.err, ==, "");
  *keep = parse_json (listed.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*keep));

  return json_node_get_array (*keep);
}

static void
test_cli_templates (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (f, "classifier.json", TEMPLATE_JSON, -1);
  g_autofree char *qa = write_file (f, "qa.json",
                                    "{\"name\":\"Answers\",\"label_type\":\"qa\","
                                    "\"user_prompt_template\":\"{{ item.text }}\"}", -1);
  g_auto(Result) added = { 0 };
  g_auto(Result) listed = { 0 };
  g_auto(Result) shown = { 0 };
  g_auto(Result) published = { 0 };
  g_auto(Result) shown_json = { 0 };
  g_auto(Result) added_qa = { 0 };
  g_auto(Result) archived = { 0 };
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) template = NULL;
  g_autofree char *id = NULL;
  JsonArray *array;
  JsonObject *object;

  create_project (f);

  /* Added as a draft; its id is printed. */
  added = run (f, "templates", "add", "survey.dbw", "--from", "classifier.json");
  g_assert_cmpint (added.status, ==, 0);
  g_assert_cmpstr (added.err, ==, "");
  id = g_strchomp (g_strdup (added.out));
  g_assert_cmpuint (strlen (id), ==, 36);

  listed = run (f, "templates", "list", "survey.dbw");
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, "Dose classifier"));
  g_assert_nonnull (strstr (listed.out, "draft"));
  g_assert_nonnull (strstr (listed.out, "classification"));
  g_assert_nonnull (strstr (listed.out, id));

  shown = run (f, "templates", "show", "survey.dbw", "Dose classifier");
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_nonnull (strstr (shown.out, "Reading at {{ site }}: {{ dose }} mSv. Classify it."));
  g_assert_nonnull (strstr (shown.out, "Variables:    site, dose"));
  /* Numbers as written. */
  g_assert_nonnull (strstr (shown.out, "Temperature:  0.7\n"));

  /* Publishing by name takes the newest version and prints its id. */
  published = run (f, "templates", "publish", "survey.dbw", "Dose classifier");
  g_assert_cmpint (published.status, ==, 0);
  g_assert_cmpstr (published.out, ==, added.out);

  shown_json = run (f, "templates", "show", "survey.dbw", id, "--json", "--versions");
  g_assert_cmpint (shown_json.status, ==, 0);
  template = parse_json (shown_json.out);
  object = json_node_get_object (template);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "published");
  g_assert_cmpstr (json_object_get_string_member (object, "user_prompt_template"), ==,
                   "Reading at {{ site }}: {{ dose }} mSv. Classify it.");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "output_schema")));
  g_assert_nonnull (strstr (shown_json.out, "\"temperature\": 0.7,"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "versions")), ==, 1);

  /* What show --json prints can be added again, as a new template of another project;
   * in this one its name is taken, and lookups by name would become ambiguous. */
  {
    g_auto(Result) plain_json = run (f, "templates", "show", "survey.dbw", id, "--json");
    g_autofree char *copy = write_file (f, "copy.json", plain_json.out, -1);
    g_auto(Result) other = run (f, "create", "other.dbw");
    g_auto(Result) again = run (f, "templates", "add", "other.dbw", "--from", "copy.json");
    g_auto(Result) taken = run (f, "templates", "add", "survey.dbw", "--from", "copy.json");
    g_auto(Result) still = run (f, "templates", "show", "survey.dbw", "Dose classifier");

    g_assert_cmpint (other.status, ==, 0);
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpstr (again.out, !=, added.out);
    g_assert_cmpint (taken.status, ==, 1);
    g_assert_cmpstr (taken.out, ==, "");
    g_assert_nonnull (strstr (taken.err, "already has a template called “Dose classifier”"));
    g_assert_cmpint (still.status, ==, 0);
  }

  added_qa = run (f, "templates", "add", "survey.dbw", "--from", "qa.json", "--publish");
  g_assert_cmpint (added_qa.status, ==, 0);

  array = templates_json (f, NULL, NULL, &keep);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  /* By name. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "Answers");
  g_clear_pointer (&keep, json_node_unref);

  array = templates_json (f, "--status", "published", &keep);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_clear_pointer (&keep, json_node_unref);

  array = templates_json (f, "--label-type", "qa", &keep);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "status"), ==, "published");
  g_clear_pointer (&keep, json_node_unref);

  /* Two templates are called “Dose classifier” now: the id decides. */
  archived = run (f, "templates", "archive", "survey.dbw", id);
  g_assert_cmpint (archived.status, ==, 0);
  g_assert_cmpstr (archived.out, ==, added.out);

  array = templates_json (f, "--status", "archived", &keep);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, id);
}

static void
test_cli_templates_errors (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *broken = write_file (f, "broken.json", "{\n  \"name\": \"x\",\n}\n", -1);
  g_autofree char *typo = write_file (f, "typo.json", "{\"name\":\"x\",\"label_type\":\"qa\",\"temprature\":1}", -1);
  g_autofree char *wrong = write_file (f, "wrong.json", "{\"name\":\"x\",\"label_type\":\"qa\",\"max_tokens\":\"lots\"}", -1);
  g_autofree char *unclosed = write_file (f, "unclosed.json",
                                          "{\"name\":\"x\",\"label_type\":\"qa\",\"user_prompt_template\":\"Hi\\n {{ name\"}", -1);
  g_autoptr(JsonNode) keep = NULL;
  struct {
    const char *file;
    const char *message;
  } cases[] = {
    { "broken.json", "databits: broken.json:2:" },
    { "typo.json", "databits: typo.json: Unknown field “temprature”; a template has name, " },
    { "wrong.json", "databits: wrong.json: Field “max_tokens” has the wrong type: expected integer" },
    { "missing.json", "databits: " },
  };

  create_project (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = run (f, "templates", "add", "survey.dbw", "--from", cases[i].file);

      g_assert_cmpint (result.status, ==, 1);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, cases[i].message));
      g_assert_nonnull (strstr (result.err, cases[i].file));
    }

  /* A template that cannot be published is not added with --publish; without, it is a draft. */
  {
    g_auto(Result) publish = run (f, "templates", "add", "survey.dbw", "--from", "unclosed.json", "--publish");
    g_auto(Result) draft = { 0 };
    g_auto(Result) publish_draft = { 0 };

    g_assert_cmpint (publish.status, ==, 1);
    g_assert_cmpstr (publish.err, ==,
                     "databits: unclosed.json: Field “user_prompt_template”: Line 2, column 2: “{{” is never closed with “}}”\n");
    g_assert_cmpuint (json_array_get_length (templates_json (f, NULL, NULL, &keep)), ==, 0);
    g_clear_pointer (&keep, json_node_unref);

    draft = run (f, "templates", "add", "survey.dbw", "--from", "unclosed.json");
    g_assert_cmpint (draft.status, ==, 0);
    publish_draft = run (f, "templates", "publish", "survey.dbw", "x");
    g_assert_cmpint (publish_draft.status, ==, 1);
    g_assert_nonnull (strstr (publish_draft.err, "Field “user_prompt_template”: Line 2, column 2"));
  }

  {
    g_auto(Result) unknown = run (f, "templates", "show", "survey.dbw", "Nothing like it");
    g_auto(Result) not_published = run (f, "templates", "archive", "survey.dbw", "x");
    g_auto(Result) empty = run (f, "templates", "list", "survey.dbw", "--status", "archived");

    g_assert_cmpint (unknown.status, ==, 1);
    g_assert_cmpstr (unknown.err, ==, "databits: There is no template with the name or id “Nothing like it”\n");
    g_assert_cmpint (not_published.status, ==, 1);
    g_assert_cmpstr (not_published.err, ==, "databits: The template “x” has no published version yet\n");
    g_assert_cmpint (empty.status, ==, 0);
    g_assert_cmpstr (empty.out, ==, "");
    g_assert_cmpstr (empty.err, ==, "databits: No templates match\n");
  }
}

#ifdef HAVE_FAKE_DATABRICKS

#define UC_TOKEN "dapi-cli-test-0123456789abcdef"

/* `databits uc` signed in to @fake through the DATABRICKS_* variables (@fake %NULL: none),
 * with no config file but the test's own. */
static GSubprocessLauncher *
make_uc_launcher (Fixture        *f,
                  FakeDatabricks *fake)
{
  GSubprocessLauncher *launcher = make_launcher (f);
  g_autofree char *config = g_build_filename (f->dir, "databrickscfg", NULL);
  const char *unset[] = { "DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CLIENT_ID",
                          "DATABRICKS_CLIENT_SECRET", "DATABRICKS_CONFIG_PROFILE" };

  for (guint i = 0; i < G_N_ELEMENTS (unset); i++)
    g_subprocess_launcher_unsetenv (launcher, unset[i]);
  g_subprocess_launcher_setenv (launcher, "DATABRICKS_CONFIG_FILE", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "no_proxy", "127.0.0.1,localhost,::1", TRUE);
  if (fake != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "DATABRICKS_HOST", fake_databricks_get_url (fake), TRUE);
      g_subprocess_launcher_setenv (launcher, "DATABRICKS_TOKEN", UC_TOKEN, TRUE);
    }

  return launcher;
}

static Result
run_uc (Fixture            *f,
        FakeDatabricks     *fake,
        const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = make_uc_launcher (f, fake);

  return run_with (f, launcher, args);
}

#define uc(f, fake, ...) run_uc ((f), (fake), (const char * const[]) { "uc", "ls", __VA_ARGS__ })

static void
test_cli_uc_ls (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_auto(Result) catalogs = { 0 };
  g_auto(Result) schemas = { 0 };
  g_auto(Result) tables = { 0 };
  g_auto(Result) empty = { 0 };

  fake_databricks_set_token (fake, UC_TOKEN);

  /* Five catalogs, on three pages. */
  catalogs = uc (f, fake, NULL);
  g_assert_cmpint (catalogs.status, ==, 0);
  g_assert_cmpstr (catalogs.err, ==, "");
  g_assert_cmpstr (catalogs.out, ==,
                   "Catalog     Comment\n"
                   "main\n"
                   "samples\n"
                   "system\n"
                   "dev\n"
                   "restricted\n");
  g_assert_cmpuint (fake_databricks_count_requests (fake, "GET", "/api/2.1/unity-catalog/catalogs"), ==, 3);

  schemas = uc (f, fake, "main", NULL);
  g_assert_cmpint (schemas.status, ==, 0);
  g_assert_cmpstr (schemas.out, ==,
                   "Schema   Comment\n"
                   "default\n"
                   "sales    Orders and customers\n"
                   "staging\n");

  tables = uc (f, fake, "main.sales", NULL);
  g_assert_cmpint (tables.status, ==, 0);
  g_assert_cmpstr (tables.out, ==,
                   "Name       Type             Comment\n"
                   "orders     table            One row per order\n"
                   "customers  table\n"
                   "returns    view             Returned items\n"
                   "raw_files  volume           Uploads\n"
                   "exports    external volume\n"
                   "images     volume\n");

  empty = uc (f, fake, "main.staging", NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_cmpstr (empty.out, ==, "There are no tables or volumes in main.staging.\n");
}

static void
test_cli_uc_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_auto(Result) missing = { 0 };
  g_auto(Result) forbidden = { 0 };
  g_auto(Result) refused = { 0 };
  g_auto(Result) nowhere = { 0 };

  fake_databricks_set_token (fake, UC_TOKEN);

  missing = uc (f, fake, "nope", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_cmpstr (missing.err, ==, "databits: Not found (404 CATALOG_DOES_NOT_EXIST): Catalog 'nope' does not exist.\n");

  forbidden = uc (f, fake, "restricted", NULL);
  g_assert_cmpint (forbidden.status, ==, 1);
  g_assert_nonnull (strstr (forbidden.err, "403 PERMISSION_DENIED"));

  /* A token the workspace does not take; the error does not show it. */
  fake_databricks_set_token (fake, "another-token");
  refused = uc (f, fake, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "did not accept the credentials"));
  g_assert_null (strstr (refused.err, UC_TOKEN));

  /* No workspace at all: what to set. */
  nowhere = uc (f, NULL, NULL);
  g_assert_cmpint (nowhere.status, ==, 1);
  g_assert_nonnull (strstr (nowhere.err, "DATABRICKS_HOST"));
  g_assert_nonnull (strstr (nowhere.err, "--profile"));

  /* A workspace and no way to sign in: what a script sets, not the app's Preferences. */
  {
    g_autoptr(GSubprocessLauncher) launcher = make_uc_launcher (f, NULL);
    g_auto(Result) no_token = { 0 };

    g_subprocess_launcher_setenv (launcher, "DATABRICKS_HOST", fake_databricks_get_url (fake), TRUE);
    no_token = run_with (f, launcher, (const char * const[]) { "uc", "ls", NULL });
    g_assert_cmpint (no_token.status, ==, 1);
    g_assert_nonnull (strstr (no_token.err, "DATABRICKS_TOKEN"));
    g_assert_null (strstr (no_token.err, "Preferences"));
  }

  /* Usage errors ask nothing of the workspace. */
  fake_databricks_clear_requests (fake);
  {
    g_auto(Result) bad = uc (f, fake, "ma`in.sales", NULL);

    g_assert_cmpint (bad.status, ==, 2);
    g_assert_nonnull (strstr (bad.err, "“ma`in” is not a valid catalog name"));
  }
  g_assert_cmpuint (fake_databricks_count_requests (fake, NULL, NULL), ==, 0);
}

/* --profile reads ~/.databrickscfg (here DATABRICKS_CONFIG_FILE); a 503 on the way is
 * retried. */
static void
test_cli_uc_profile (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autofree char *config = NULL;
  g_autofree char *text = NULL;
  g_auto(Result) with_profile = { 0 };
  g_auto(Result) no_profile = { 0 };

  fake_databricks_set_token (fake, "dapi-profile-token");
  text = g_strdup_printf ("[DEFAULT]\nhost = https://example.invalid\n\n"
                          "[lab]\nhost = %s\ntoken = dapi-profile-token\n",
                          fake_databricks_get_url (fake));
  config = write_file (f, "databrickscfg", text, -1);
  fake_databricks_add_fault (fake, "/api/2.1/unity-catalog/schemas", FAKE_FAULT_UNAVAILABLE, 1, 0);

  with_profile = uc (f, NULL, "main", "--profile", "lab", NULL);
  g_assert_cmpint (with_profile.status, ==, 0);
  g_assert_nonnull (strstr (with_profile.out, "sales    Orders and customers\n"));
  g_assert_cmpuint (fake_databricks_count_requests (fake, "GET", "/api/2.1/unity-catalog/schemas"), ==, 3);

  no_profile = uc (f, NULL, "main", "-p", "production", NULL);
  g_assert_cmpint (no_profile.status, ==, 1);
  g_assert_nonnull (strstr (no_profile.err, "There is no profile “production”"));
}

/* Ctrl+C while the workspace takes its time: cancelled at once, status 130. */
static void
test_cli_uc_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GSubprocessLauncher) launcher = make_uc_launcher (f, fake);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 interrupted;

  fake_databricks_set_token (fake, UC_TOKEN);
  fake_databricks_add_fault (fake, NULL, FAKE_FAULT_DELAY, FAKE_FAULT_FOREVER, 20000);

  process = spawn (f, launcher, (const char * const[]) { "uc", "ls", NULL });
  while (fake_databricks_count_requests (fake, NULL, NULL) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 100);
    }

  interrupted = g_get_monotonic_time ();
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_cmpint (exit_status (process), ==, 130);
  g_assert_cmpint (g_get_monotonic_time () - interrupted, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "databits: Cancelled\n");
}

#define SYNC_WAREHOUSE "0123456789abcdef"

static Result
run_sync (Fixture            *f,
          FakeDatabricks     *fake,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = make_uc_launcher (f, fake);

  return run_with (f, launcher, args);
}

#define sync_cmd(f, fake, ...) run_sync ((f), (fake), (const char * const[]) { "sync", __VA_ARGS__, NULL })

static void
make_readings (Fixture *f,
               guint    n_rows)
{
  g_autoptr(GString) csv = g_string_new ("site,dose_usv\n");
  g_autofree char *path = NULL;

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (csv, "hall %c,%u.%u\n", 'A' + i % 5, i % 40, i % 10);
  path = write_file (f, "readings.csv", csv->str, -1);

  {
    g_auto(Result) created = run (f, "create", f->project);
    g_auto(Result) imported = run (f, "import", f->project, path, "--sheet", "Readings");

    g_assert_cmpint (created.status, ==, 0);
    g_assert_cmpint (imported.status, ==, 0);
  }
}

/* Linking, pushing, a second project pulling it all, and what a script needs to know. */
static void
test_cli_sync (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autofree char *second = g_build_filename (f->dir, "second.dbw", NULL);
  g_autoptr(JsonNode) pushed_json = NULL;
  JsonObject *pushed;

  fake_databricks_set_token (fake, UC_TOKEN);
  make_readings (f, 40);

  {
    g_auto(Result) no_warehouse = sync_cmd (f, fake, f->project);
    g_auto(Result) not_linked = sync_cmd (f, fake, f->project, "--warehouse", SYNC_WAREHOUSE);
    g_auto(Result) bad_target = sync_cmd (f, fake, f->project, "--warehouse", SYNC_WAREHOUSE, "--link", "main");

    g_assert_cmpint (no_warehouse.status, ==, 2);
    g_assert_nonnull (strstr (no_warehouse.err, "--warehouse"));
    g_assert_cmpint (not_linked.status, ==, 2);
    g_assert_nonnull (strstr (not_linked.err, "--link"));
    /* A schema that is not one is a usage error, found before anything is asked. */
    g_assert_cmpint (bad_target.status, ==, 2);
    g_assert_nonnull (strstr (bad_target.err, "catalog.schema"));
  }

  /* A project that is not there is said to be missing, whatever the workspace. */
  {
    g_autoptr(GSubprocessLauncher) launcher = make_uc_launcher (f, NULL);
    g_auto(Result) missing = run_with (f, launcher, (const char * const[]) { "sync", "missing.dbw", "--warehouse",
                                                                             SYNC_WAREHOUSE, NULL });

    g_assert_cmpint (missing.status, ==, 1);
    g_assert_nonnull (strstr (missing.err, "missing.dbw"));
    g_assert_null (strstr (missing.err, "DATABRICKS_HOST"));
  }

  {
    g_auto(Result) linked = sync_cmd (f, fake, f->project, "--warehouse", SYNC_WAREHOUSE,
                                      "--link", "main.plant", "--json");

    g_assert_cmpint (linked.status, ==, 0);
    pushed_json = parse_json (linked.out);
    pushed = json_node_get_object (pushed_json);
    g_assert_cmpstr (json_object_get_string_member (pushed, "target"), ==, "main.plant");
    /* The sheet and its forty rows. */
    g_assert_cmpint (json_object_get_int_member (pushed, "pushed"), ==, 41);
    g_assert_cmpint (fake_databricks_query_int (fake, "SELECT count (*) FROM `main`.`plant`.`items`"), ==, 40);
    g_assert_null (strstr (linked.out, UC_TOKEN));
    g_assert_null (strstr (linked.err, UC_TOKEN));
  }

  {
    g_auto(Result) created = run (f, "create", second);
    g_auto(Result) pulled = sync_cmd (f, fake, second, "--warehouse", SYNC_WAREHOUSE, "--link", "main.plant");
    g_auto(Result) again = sync_cmd (f, fake, second, "--warehouse", SYNC_WAREHOUSE);

    g_assert_cmpint (created.status, ==, 0);
    g_assert_cmpint (pulled.status, ==, 0);
    g_assert_nonnull (strstr (pulled.out, "Synced with main.plant\n"));
    g_assert_nonnull (strstr (pulled.out, "Pulled 41 rows changed by others: 41 new, 0 updated, 0 deleted, 0 unchanged\n"));
    g_assert_cmpint (again.status, ==, 0);
    g_assert_nonnull (strstr (again.out, "Pushed 0 rows and 0 deletions in 0 statements\n"));
  }

  /* Linked already: the same schema again is fine, another one is refused and the link
   * stays as it was. */
  {
    g_auto(Result) same = sync_cmd (f, fake, second, "--warehouse", SYNC_WAREHOUSE, "--link", "main.plant");
    g_auto(Result) other = sync_cmd (f, fake, second, "--warehouse", SYNC_WAREHOUSE, "--link", "main.other");
    g_auto(Result) after = sync_cmd (f, fake, second, "--warehouse", SYNC_WAREHOUSE);

    g_assert_cmpint (same.status, ==, 0);
    g_assert_cmpint (other.status, ==, 1);
    g_assert_nonnull (strstr (other.err, "synced with main.plant"));
    g_assert_nonnull (strstr (other.err, "unlink it in the app first"));
    g_assert_cmpint (after.status, ==, 0);
    g_assert_nonnull (strstr (after.out, "Synced with main.plant\n"));
  }

  {
    g_auto(Result) search = run (f, "search", second, "hall", "--limit", "0", "--json");
    g_autoptr(JsonNode) found = parse_json (search.out);

    g_assert_cmpint (json_array_get_length (json_node_get_array (found)), ==, 40);
  }
}

/* A sync killed half-way leaves the rest in the outbox; the next one pushes it once. */
static void
test_cli_sync_killed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FakeDatabricks) fake = fake_databricks_new ();
  g_autoptr(GSubprocessLauncher) launcher = make_uc_launcher (f, fake);
  g_autoptr(GSubprocess) process = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  fake_databricks_set_token (fake, UC_TOKEN);
  make_readings (f, 450);
  {
    g_auto(Result) linked = sync_cmd (f, fake, f->project, "--warehouse", SYNC_WAREHOUSE, "--link", "main.plant");

    g_assert_cmpint (linked.status, ==, 0);
  }

  /* Changed again: 450 new versions, pushed in three statements, each slow to answer. */
  {
    g_autoptr(GString) csv = g_string_new ("site,dose_usv\n");
    g_autofree char *path = NULL;

    for (guint i = 0; i < 450; i++)
      g_string_append_printf (csv, "hall %c,%u.%u\n", 'A' + i % 5, i % 40 + 1, i % 10);
    path = write_file (f, "readings.csv", csv->str, -1);
    {
      g_auto(Result) imported = run (f, "import", f->project, path, "--sheet", "Readings");

      g_assert_cmpint (imported.status, ==, 0);
    }
  }

  fake_databricks_set_slow_polls (fake, 3);
  g_assert_cmpint (fake_databricks_get_n_merges (fake), >, 0);
  {
    guint merges_before = fake_databricks_get_n_merges (fake);

    process = spawn (f, launcher, (const char * const[]) { "sync", f->project, "--warehouse", SYNC_WAREHOUSE, NULL });
    while (fake_databricks_get_n_merges (fake) < merges_before + 2)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (G_USEC_PER_SEC / 200);
      }
  }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (process));

  fake_databricks_set_slow_polls (fake, 0);
  {
    g_auto(Result) resumed = sync_cmd (f, fake, f->project, "--warehouse", SYNC_WAREHOUSE, "--json");
    g_autoptr(JsonNode) report = NULL;

    g_assert_cmpint (resumed.status, ==, 0);
    report = parse_json (resumed.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "pushed"), >, 0);
  }
  g_assert_cmpint (fake_databricks_query_int (fake, "SELECT count (*) FROM `main`.`plant`.`items`"), ==, 900);
  g_assert_cmpint (fake_databricks_query_int (fake, "SELECT count (DISTINCT id) FROM `main`.`plant`.`items`"), ==, 900);
}


/* --- databits generate ------------------------------------------------------------------- */

#define LLM_TOKEN "sk-cli-test-0123456789abcdef"

#define DOSE_TEMPLATE_JSON \
  "{\n" \
  "  \"name\": \"Dose check\",\n" \
  "  \"label_type\": \"classification\",\n" \
  "  \"system_prompt\": \"You are a radiation safety officer.\",\n" \
  "  \"user_prompt_template\": \"Reading at {{ site }}: {{ dose_usv }} uSv.\",\n" \
  "  \"output_schema\": {\"type\": \"object\", \"required\": [\"reply\"]}\n" \
  "}\n"

static GSubprocessLauncher *
make_llm_launcher (Fixture *f)
{
  GSubprocessLauncher *launcher = make_uc_launcher (f, NULL);

  g_subprocess_launcher_setenv (launcher, "DBW_LLM_TOKEN", LLM_TOKEN, TRUE);
  return launcher;
}

static Result
run_generate (Fixture            *f,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = make_llm_launcher (f);

  return run_with (f, launcher, args);
}

#define generate(f, ...) run_generate ((f), (const char * const[]) { "generate", __VA_ARGS__, NULL })

static gint64
project_int (Fixture    *f,
             const char *sql)
{
  return test_query_int (f->project, sql);
}

/* Readings and a published template to apply to them. */
static void
make_generation_project (Fixture *f,
                         guint    n_rows)
{
  g_autofree char *path = write_file (f, "dose.json", DOSE_TEMPLATE_JSON, -1);

  make_readings (f, n_rows);
  {
    g_auto(Result) added = run (f, "templates", "add", f->project, "--from", path, "--publish");

    g_assert_cmpint (added.status, ==, 0);
  }
}

static void
test_cli_generate (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FakeLlm) fake = fake_llm_new ();
  g_autoptr(JsonNode) summary_json = NULL;
  JsonObject *summary;

  fake_llm_set_token (fake, LLM_TOKEN);
  /* Hall C's readings get prose: kept, flagged. */
  fake_llm_add_rule (fake, "hall C", "Looks fine to me.");
  make_generation_project (f, 20);

  /* Nothing to resume yet: a table would be empty, so it says so on stderr. */
  {
    g_auto(Result) none = generate (f, f->project, "--list");

    g_assert_cmpint (none.status, ==, 0);
    g_assert_cmpstr (none.out, ==, "");
    g_assert_nonnull (strstr (none.err, "No generation run is waiting to be resumed"));
  }

  {
    g_auto(Result) made = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check",
                                    "--endpoint", fake_llm_get_v1_url (fake), "--model", "dose-model",
                                    "--concurrency", "3", "--json");

    g_assert_cmpint (made.status, ==, 0);
    g_assert_cmpstr (made.err, ==, "");
    summary_json = parse_json (made.out);
    summary = json_node_get_object (summary_json);
    g_assert_cmpstr (json_object_get_string_member (summary, "state"), ==, "succeeded");
    g_assert_cmpint (json_object_get_int_member (summary, "total"), ==, 20);
    g_assert_cmpint (json_object_get_int_member (summary, "made"), ==, 16);
    g_assert_cmpint (json_object_get_int_member (summary, "flagged"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (summary, "reused"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (summary, "failed"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (summary, "prompt_tokens"), >, 0);
    g_assert_null (strstr (made.out, LLM_TOKEN));
  }
  g_assert_cmpuint (fake_llm_get_n_requests (fake), ==, 20);
  {
    g_autofree char *body = fake_llm_get_last_body (fake);

    g_assert_nonnull (strstr (body, "\"dose-model\""));
  }
  g_assert_cmpint (project_int (f, "SELECT count(DISTINCT item_ref) FROM qa_pairs"), ==, 20);

  /* By hand, as text: the summary a person reads. */
  {
    g_auto(Result) manual = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check",
                                      "--mode", "manual", "--name", "For the experts");
    g_autofree char *made = NULL;
    g_autofree char *reused = NULL;
    g_autofree char *name = NULL;
    g_autofree char *flagged = NULL;
    g_autofree char *failed = NULL;

    g_assert_cmpint (manual.status, ==, 0);
    name = summary_value (manual.out, "Training sheet:");
    made = summary_value (manual.out, "Made:");
    reused = summary_value (manual.out, "Reused:");
    flagged = summary_value (manual.out, "Flagged:");
    failed = summary_value (manual.out, "Failed:");
    g_assert_cmpstr (name, ==, "For the experts");
    g_assert_cmpstr (made, ==, "20");
    g_assert_cmpstr (reused, ==, "0 (from canonical labels)");
    g_assert_nonnull (flagged);
    g_assert_nonnull (failed);
  }
  g_assert_cmpuint (fake_llm_get_n_requests (fake), ==, 20);
  g_assert_cmpint (project_int (f, "SELECT count(*) FROM qa_pairs"), ==, 40);

  /* From a column. */
  {
    g_auto(Result) column = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check",
                                      "--mode", "existing_column", "--column", "site", "--json");
    g_autoptr(JsonNode) column_json = NULL;

    g_assert_cmpint (column.status, ==, 0);
    column_json = parse_json (column.out);
    /* "hall A" is not JSON with a "reply": flagged, every one. */
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (column_json), "flagged"), ==, 20);
  }

  /* A template asking for what the readings lack: said before the run, which skips them. */
  {
    g_autofree char *path = write_file (f, "board.json",
                                        "{\"name\":\"Board check\",\"label_type\":\"qa\","
                                        "\"user_prompt_template\":\"{{ board }} at {{ site }}, {{ note | default('-') }}\"}", -1);
    g_auto(Result) added = run (f, "templates", "add", f->project, "--from", path, "--publish");
    g_auto(Result) skipped = { 0 };
    g_autoptr(JsonNode) skipped_json = NULL;

    g_assert_cmpint (added.status, ==, 0);
    skipped = generate (f, f->project, "--sheet", "Readings", "--template", "Board check", "--mode", "manual", "--json");
    g_assert_cmpint (skipped.status, ==, 0);
    g_assert_cmpstr (skipped.err, ==,
                     "databits: Warning: items of “Readings” lack a value for board: generating skips them\n");
    skipped_json = parse_json (skipped.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (skipped_json), "made"), ==, 0);
  }
}

static void
test_cli_generate_errors (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FakeLlm) fake = fake_llm_new ();
  g_autofree char *draft = write_file (f, "draft.json",
                                       "{\"name\":\"Draft\",\"label_type\":\"qa\",\"user_prompt_template\":\"{{ site }}\"}", -1);
  g_autofree char *local = write_file (f, "local.json",
                                       "{\"name\":\"Local\",\"label_type\":\"qa\",\"user_prompt_template\":\"{{ item.ref }}\"}", -1);
  g_autofree char *draft_id = NULL;

  fake_llm_set_token (fake, LLM_TOKEN);
  make_generation_project (f, 10);
  {
    g_auto(Result) added = run (f, "templates", "add", f->project, "--from", draft);
    g_auto(Result) added_local = run (f, "templates", "add", f->project, "--from", local, "--publish");

    g_assert_cmpint (added.status, ==, 0);
    g_assert_cmpint (added_local.status, ==, 0);
    draft_id = g_strchomp (g_strdup (added.out));
  }

  {
    g_auto(Result) no_sheet = generate (f, f->project, "--template", "Dose check");
    g_auto(Result) bad_mode = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check", "--mode", "canonical");
    g_auto(Result) no_column = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check",
                                         "--mode", "existing_column");
    g_auto(Result) no_endpoint = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check");
    g_auto(Result) unpublished = generate (f, f->project, "--sheet", "Readings", "--template", draft_id,
                                           "--mode", "manual");
    g_auto(Result) no_such_sheet = generate (f, f->project, "--sheet", "Nope", "--template", "Dose check", "--mode", "manual");
    g_auto(Result) missing_column = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check",
                                              "--mode", "existing_column", "--column", "verdict");
    g_auto(Result) not_remote = generate (f, f->project, "--sheet", "Readings", "--template", "Dose check", "--remote",
                                          "--warehouse", SYNC_WAREHOUSE, "--model", "labeler");

    g_assert_cmpint (no_sheet.status, ==, 2);
    g_assert_nonnull (strstr (no_sheet.err, "--sheet"));
    g_assert_cmpint (bad_mode.status, ==, 2);
    g_assert_cmpint (no_column.status, ==, 2);
    g_assert_nonnull (strstr (no_column.err, "--column"));
    g_assert_cmpint (no_endpoint.status, ==, 2);
    g_assert_nonnull (strstr (no_endpoint.err, "--endpoint"));
    g_assert_cmpint (unpublished.status, ==, 1);
    g_assert_nonnull (strstr (unpublished.err, "not published"));
    g_assert_cmpint (no_such_sheet.status, ==, 1);
    g_assert_nonnull (strstr (no_such_sheet.err, "“Nope”"));
    g_assert_cmpint (missing_column.status, ==, 1);
    g_assert_nonnull (strstr (missing_column.err, "dose_usv, site"));
    g_assert_cmpint (not_remote.status, ==, 1);
    g_assert_nonnull (strstr (not_remote.err, "Unity Catalog"));
  }
  /* Nothing was made by any of them. */
  g_assert_cmpint (project_int (f, "SELECT count(*) FROM training_sheets"), ==, 0);
  g_assert_cmpint (project_int (f, "SELECT count(*) FROM job_runs"), ==, 0);

  /* A refused token: the run stops as failed, says why, and can be listed and resumed. */
  {
    g_autoptr(GSubprocessLauncher) launcher = make_llm_launcher (f);
    g_auto(Result) refused = { 0 };
    g_auto(Result) listed = { 0 };

    g_subprocess_launcher_setenv (launcher, "DBW_LLM_TOKEN", "sk-wrong", TRUE);
    refused = run_with (f, launcher, (const char * const[]) { "generate", f->project, "--sheet", "Readings",
                                                              "--template", "Dose check", "--endpoint",
                                                              fake_llm_get_v1_url (fake), NULL });
    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "401"));
    g_assert_null (strstr (refused.err, "sk-wrong"));
    g_assert_null (strstr (refused.out, "sk-wrong"));

    listed = generate (f, f->project, "--list", "--json");
    g_assert_cmpint (listed.status, ==, 0);
    g_assert_nonnull (strstr (listed.out, "\"failed\""));
  }
}

static void
test_cli_generate_resume (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FakeLlm) fake = fake_llm_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;
  g_autofree char *job = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const char *resume;
  gint64 kept;

  fake_llm_set_token (fake, LLM_TOKEN);
  fake_llm_set_delay (fake, 100);
  make_generation_project (f, 40);

  launcher = make_llm_launcher (f);
  process = spawn (f, launcher, (const char * const[]) { "generate", f->project, "--sheet", "Readings",
                                                         "--template", "Dose check", "--endpoint",
                                                         fake_llm_get_v1_url (fake), "--concurrency", "2", NULL });
  while (fake_llm_get_n_requests (fake) < 6)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 200);
    }
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, NULL);
  g_assert_cmpint (exit_status (process), ==, 130);

  /* It says how to go on. */
  resume = strstr (err, "--resume ");
  g_assert_nonnull (resume);
  job = g_strndup (resume + strlen ("--resume "), 36);
  kept = project_int (f, "SELECT count(*) FROM qa_pairs");
  g_assert_cmpint (kept, >=, 4);
  g_assert_cmpint (kept, <, 40);

  fake_llm_set_delay (fake, 0);
  fake_llm_clear_requests (fake);
  {
    g_auto(Result) resumed = generate (f, f->project, "--resume", job, "--json");
    g_autoptr(JsonNode) summary = NULL;

    g_assert_cmpint (resumed.status, ==, 0);
    summary = parse_json (resumed.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "done"), ==, 40);
  }
  g_assert_cmpint (fake_llm_get_n_requests (fake), ==, 40 - kept);
  g_assert_cmpint (project_int (f, "SELECT count(*) FROM qa_pairs"), ==, 40);
  g_assert_cmpint (project_int (f, "SELECT count(DISTINCT item_ref) FROM qa_pairs"), ==, 40);

  {
    g_auto(Result) again = generate (f, f->project, "--resume", job);

    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "already finished"));
  }
}

#endif

/* The app, as the command sees it on the session bus: what it was asked to do. */
typedef struct
{
  GPtrArray *calls;  /* "ACTION PARAMETER" */
} FakeApp;

static void
fake_app_method_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  FakeApp *app = user_data;
  g_autoptr(GVariant) args = NULL;
  g_autofree char *printed = NULL;
  const char *action;

  g_assert_cmpstr (method_name, ==, "ActivateAction");
  g_variant_get (parameters, "(&s@av@a{sv})", &action, &args, NULL);
  printed = g_variant_print (args, FALSE);
  g_ptr_array_add (app->calls, g_strdup_printf ("%s %s", action, printed));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* How often @app was asked to do @call: other tests running at the same time on the same
 * bus tell it about their projects. */
static guint
fake_app_count (FakeApp    *app,
                const char *call)
{
  guint n = 0;

  for (guint i = 0; i < app->calls->len; i++)
    if (g_str_equal (g_ptr_array_index (app->calls, i), call))
      n++;

  return n;
}

/* A command that changes a project tells a running app, which shows the change at once
 * (the app's action project-changed, through org.freedesktop.Application); one that only
 * reads it does not. Without the app, or without a session bus, nothing is said. */
static void
test_cli_tells_app (Fixture       *f,
                    gconstpointer  data)
{
  static const char introspection[] =
    "<node><interface name='org.freedesktop.Application'>"
    "<method name='ActivateAction'><arg type='s' direction='in'/><arg type='av' direction='in'/>"
    "<arg type='a{sv}' direction='in'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { fake_app_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GFile) project = g_file_new_for_path (f->project);
  g_autofree char *uri = g_file_get_uri (project);
  g_autofree char *expected = g_strdup_printf ("project-changed [<'%s'>]", uri);
  g_autofree char *object_path = g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');
  g_auto(Result) read_only = { 0 };
  g_auto(Result) imported = { 0 };
  FakeApp app = { g_ptr_array_new_with_free_func (g_free) };
  guint registration;
  guint32 owner;

  create_project (f);
  write_file (f, "readings.csv", "instrument,dose\nRDS-31,0.12\n", -1);

  /* Before the app runs: the command succeeds all the same. */
  imported = run (f, "import", "survey.dbw", "--sheet", "Before", "readings.csv");
  g_assert_cmpint (imported.status, ==, 0);
  result_clear (&imported);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    g_error ("/cli/tells-app needs a D-Bus session; run it through build-aux/test: %s", error->message);
  registration = g_dbus_connection_register_object (bus, object_path, info->interfaces[0], &vtable, &app, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", APP_ID, 4 /* do not queue */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owner);
  g_assert_cmpuint (owner, ==, 1 /* primary owner */);

  read_only = run (f, "info", "survey.dbw");
  g_assert_cmpint (read_only.status, ==, 0);
  imported = run (f, "import", "survey.dbw", "--sheet", "Readings", "readings.csv");
  g_assert_cmpint (imported.status, ==, 0);

  /* One from `info` would have come first: once the bus answered a call of ours, all
   * that came before it is here. */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    g_autoptr(GVariant) id = NULL;

    while (fake_app_count (&app, expected) == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    id = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                      "GetId", NULL, G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
    while (g_main_context_iteration (NULL, FALSE))
      ;
  }
  g_assert_cmpuint (fake_app_count (&app, expected), ==, 1);

  g_dbus_connection_unregister_object (bus, registration);
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "ReleaseName", g_variant_new ("(s)", APP_ID),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (app.calls);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The cancellation test writes to a pipe whose reader may be gone. */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/create", test_cli_create);
  ADD ("/cli/import/csv", test_cli_import_csv);
  ADD ("/cli/tells-app", test_cli_tells_app);
  ADD ("/cli/import/rejected", test_cli_import_rejected);
  ADD ("/cli/import/folder", test_cli_import_folder);
  ADD ("/cli/import/cancel", test_cli_import_cancel);
  ADD ("/cli/help", test_cli_help);
  ADD ("/cli/usage", test_cli_usage);
  ADD ("/cli/not-a-project", test_cli_not_a_project);
  ADD ("/cli/templates", test_cli_templates);
  ADD ("/cli/templates/errors", test_cli_templates_errors);
#ifdef HAVE_FAKE_DATABRICKS
  ADD ("/cli/sync", test_cli_sync);
  ADD ("/cli/sync/killed", test_cli_sync_killed);
  ADD ("/cli/uc/ls", test_cli_uc_ls);
  ADD ("/cli/uc/errors", test_cli_uc_errors);
  ADD ("/cli/uc/profile", test_cli_uc_profile);
  ADD ("/cli/uc/cancel", test_cli_uc_cancel);
  ADD ("/cli/generate", test_cli_generate);
  ADD ("/cli/generate/errors", test_cli_generate_errors);
  ADD ("/cli/generate/resume", test_cli_generate_resume);
#endif
#undef ADD

  return g_test_run ();
}
