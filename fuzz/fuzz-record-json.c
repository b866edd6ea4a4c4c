/* fuzz-record-json.c
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

#define G_LOG_DOMAIN "fuzz-record-json"

#include "config.h"

#include <string.h>

#include "dbw-canonical-label.h"
#include "dbw-item.h"
#include "dbw-qa-pair.h"
#include "dbw-record.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"

#include "fuzz.h"

/* Parses the input as a record of every model type with
 * dbw_record_new_from_json_string(). A failure must be a DBW_STORE_ERROR. A success
 * must survive the round trip: the record's JSON, compact or pretty, and the JSON of a
 * copy, parse back into a record with the very same JSON. The input is plain JSON text
 * (up to its first NUL byte). */

static void
assert_store_error (const GError *error,
                    GType         record_type)
{
  if (error == NULL)
    g_error ("Parsing a %s failed without an error", g_type_name (record_type));

  if (error->domain != DBW_STORE_ERROR)
    g_error ("Parsing a %s failed with %s %d instead of a DbwStoreError: %s",
             g_type_name (record_type), g_quark_to_string (error->domain),
             error->code, error->message);
}

/* Parses @json, which the same record type wrote, and checks it reads back as @expected. */
static void
assert_round_trip (GType       record_type,
                   const char *json,
                   const char *expected)
{
  g_autoptr(DbwRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;

  record = dbw_record_new_from_json_string (record_type, json, &error);
  if (record == NULL)
    g_error ("A %s does not read back its own JSON: %s\n%s",
             g_type_name (record_type), error != NULL ? error->message : "(no error)", json);

  again = dbw_record_to_json_string (record, FALSE);
  if (g_strcmp0 (again, expected) != 0)
    g_error ("A %s changed on the round trip:\n%s\n%s", g_type_name (record_type), expected, again);
}

static void
fuzz_record_type (GType       record_type,
                  const char *json)
{
  g_autoptr(DbwRecord) record = NULL;
  g_autoptr(DbwRecord) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *copied = NULL;

  record = dbw_record_new_from_json_string (record_type, json, &error);
  if (record == NULL)
    {
      assert_store_error (error, record_type);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (record, record_type));

  compact = dbw_record_to_json_string (record, FALSE);
  g_assert_nonnull (compact);
  assert_round_trip (record_type, compact, compact);

  pretty = dbw_record_to_json_string (record, TRUE);
  g_assert_nonnull (pretty);
  assert_round_trip (record_type, pretty, compact);

  copy = dbw_record_copy (record);
  copied = dbw_record_to_json_string (copy, FALSE);
  g_assert_cmpstr (copied, ==, compact);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *json = NULL;
  GType record_types[6];

  record_types[0] = DBW_TYPE_SHEET;
  record_types[1] = DBW_TYPE_ITEM;
  record_types[2] = DBW_TYPE_TEMPLATE;
  record_types[3] = DBW_TYPE_CANONICAL_LABEL;
  record_types[4] = DBW_TYPE_TRAINING_SHEET;
  record_types[5] = DBW_TYPE_QA_PAIR;

  json = g_malloc (size + 1);
  memcpy (json, data, size);
  json[size] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (record_types); i++)
    fuzz_record_type (record_types[i], json);

  return 0;
}
