/* fuzz-import-json.c
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

#define G_LOG_DOMAIN "fuzz-import-json"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fuzz.h"
#include "fuzz-import.h"

/* Imports the input as a JSON array of objects (see fuzz-import-common.c for the checks
 * every import gets; the lowest bit of the last byte turns keep-good on). The importer
 * splits the array into its elements as the bytes stream by and parses each on its own;
 * the differential check parses the whole input in one go with json-glib instead. When
 * that reads an array of objects, the import must find no problem and account for
 * exactly one item per element: added, a new version, or unchanged from an earlier input.
 *
 * The whole input counts only if the importer must take every element of it, for
 * reasons json-glib alone does not see:
 *   - a byte order mark at the start is skipped first, as the importer does (json-glib
 *     skips one too, SQLite does not);
 *   - it must be UTF-8 without NUL bytes, which json-glib checks too, and SQLite's
 *     json_valid() stops at a NUL as if the input ended there;
 *   - it must be strict JSON (SQLite's json_valid()): records are stored as written, in a
 *     column that only holds JSON, so json-glib's extensions — comments, single-quoted
 *     strings, hexadecimal numbers, raw control characters, "\x" escapes — are rejected;
 *   - its elements must be no deeper than DBW_IMPORT_MAX_DEPTH;
 *   - its strings must decode to text (as SQLite decodes them; json-glib is only asked
 *     after that, and must read them as text too): an escaped half of a surrogate pair
 *     is valid JSON but not a character, and json-glib 1.6 decodes it into bytes that
 *     are not UTF-8, or leaks, so the importer rejects those.
 * White space before and after the array is not narrowed: json-glib skips the JSON
 * white space, and the importer that and form feeds and vertical tabs as well. */

static gint64
expected_records (const char *text,
                  gsize       len)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonArray *array;
  guint n;

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    return -1;
  /* The array itself is one level. */
  if (fuzz_import_json_depth (text, len) > DBW_IMPORT_MAX_DEPTH + 1)
    return -1;
  if (!fuzz_import_is_strict_json (text, len))
    return -1;
  if (!fuzz_import_json_is_text (text, len))
    return -1;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL))
    return -1;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return -1;

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      return -1;
  if (!fuzz_import_node_is_text (root))
    return -1;

  return n;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzImportResult result;
  gint64 expected = -1;

  if (size <= FUZZ_IMPORT_DIFFERENTIAL_MAX_SIZE)
    expected = expected_records ((const char *) data, size);

  fuzz_import_run (DBW_IMPORT_FORMAT_JSON, data, size, &result);

  if (expected >= 0)
    {
      if (result.n_problems != 0 || !result.committed)
        g_error ("json-glib reads an array of %" G_GINT64_FORMAT " objects, yet the import found %"
                 G_GUINT64_FORMAT " problems", expected, result.n_problems);
      g_assert_cmpuint (result.n_added + result.n_versions + result.n_unchanged, ==, (guint64) expected);
    }

  return 0;
}
