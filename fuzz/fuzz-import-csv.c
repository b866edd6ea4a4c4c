/* fuzz-import-csv.c
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

#define G_LOG_DOMAIN "fuzz-import-csv"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dbw-csv-reader.h"

#include "fuzz.h"
#include "fuzz-import.h"

/* Imports the input as a CSV file (see fuzz-import-common.c for the checks every import
 * gets; the lowest bit of the last byte turns keep-good on). DbwCsvReader has a harness
 * of its own; this one checks what the importer makes of its records. The harness reads
 * the input with a DbwCsvReader of its own first, as the importer does (header line,
 * sniffed delimiter, stop at a quote that is never closed), and then:
 *   - the import has exactly one problem per error of the reader: every record it builds
 *     is stored;
 *   - every good record is accounted for once: added, a new version, or unchanged;
 *   - once committed, the newest item of each good record holds a JSON object with one
 *     string member per column, named after it, holding the field's text exactly —
 *     whatever quotes, backslashes, control characters or non-ASCII text it has. */

typedef struct
{
  GStrv      header;
  GPtrArray *records;  /* of GStrv, NULL for a record the reader rejected */
  guint64    n_errors;
} Expected;

static void
expected_clear (Expected *expected)
{
  g_clear_pointer (&expected->header, g_strfreev);
  g_clear_pointer (&expected->records, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Expected, expected_clear)

static void
read_expected (const guint8 *data,
               gsize         size,
               Expected     *expected)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  g_autoptr(DbwCsvReader) reader = dbw_csv_reader_new (stream, "fuzz.csv");
  g_autoptr(GError) error = NULL;

  expected->records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (!dbw_csv_reader_read_header (reader, NULL, &error))
    {
      g_assert_true (error->domain == DBW_CSV_ERROR);
      expected->n_errors++;
      return;
    }
  expected->header = g_strdupv ((GStrv) dbw_csv_reader_get_header (reader));

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;

      if (!dbw_csv_reader_next_record (reader, &fields, NULL, &error))
        {
          if (error == NULL)
            break;

          g_assert_true (error->domain == DBW_CSV_ERROR);
          expected->n_errors++;
          g_ptr_array_add (expected->records, NULL);
          if (error->code == DBW_CSV_ERROR_UNTERMINATED_QUOTE)
            break;
          g_clear_error (&error);
          continue;
        }

      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (expected->records, g_ptr_array_steal (fields, NULL));
    }
}

static void
check_item (guint64             record,
            const char * const *header,
            const char * const *values)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *ref = g_strdup_printf ("fuzz.csv#%" G_GUINT64_FORMAT, record);
  g_autofree char *fields = fuzz_import_dup_fields (ref);
  JsonObject *object;
  guint n_columns = g_strv_length ((GStrv) header);

  if (fields == NULL)
    g_error ("Record %" G_GUINT64_FORMAT " is not in the sheet", record);

  /* fuzz_import_run() made sure it is an object. */
  g_assert_true (json_parser_load_from_data (parser, fields, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpuint (json_object_get_size (object), ==, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      JsonNode *node = json_object_get_member (object, header[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING)
        g_error ("Record %" G_GUINT64_FORMAT " has no text for column “%s”: %s", record, header[i], fields);
      if (strcmp (json_node_get_string (node), values[i]) != 0)
        g_error ("Record %" G_GUINT64_FORMAT ", column “%s”: “%s” became “%s”",
                 record, header[i], values[i], json_node_get_string (node));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_auto(Expected) expected = { 0 };
  FuzzImportResult result;
  guint64 n_good = 0;

  read_expected (data, size, &expected);

  fuzz_import_run (DBW_IMPORT_FORMAT_CSV, data, size, &result);

  g_assert_cmpuint (result.n_problems, ==, expected.n_errors);

  for (guint i = 0; i < expected.records->len; i++)
    if (g_ptr_array_index (expected.records, i) != NULL)
      n_good++;
  g_assert_cmpuint (result.n_added + result.n_versions + result.n_unchanged, ==, n_good);

  if (!result.committed)
    return 0;

  for (guint i = 0; i < expected.records->len; i++)
    {
      const char * const *values = g_ptr_array_index (expected.records, i);

      if (values != NULL)
        check_item (i + 1, (const char * const *) expected.header, values);
    }

  return 0;
}
