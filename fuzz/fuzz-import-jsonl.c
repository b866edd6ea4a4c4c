/* fuzz-import-jsonl.c
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

#define G_LOG_DOMAIN "fuzz-import-jsonl"

#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "fuzz-import.h"

/* Imports the input as a JSON Lines file (see fuzz-import-common.c for the checks every
 * import gets; the lowest bit of the last byte turns keep-good on). On top of those, a
 * differential check: the harness splits the input into lines itself — "\n" ends a line,
 * one "\r" before it and a byte order mark at the very start are not part of it, lines of
 * white space are skipped — and when every other line is a record the importer must take
 * (fuzz_import_is_json_object(): UTF-8, not too deep, strict JSON, and an object to
 * json-glib that reads back as text), the import must find no problem at all and account for exactly one item per
 * such line: added, a new version, or unchanged from an earlier input. */

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

/* The number of records when every non-blank line is one, or -1. */
static gint64
expected_records (const char *data,
                  gsize       size)
{
  const char *p = data;
  const char *end = data + size;
  gint64 n = 0;

  if (size >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize len = stop - p;

      if (len > 0 && p[len - 1] == '\r')
        len--;

      if (!is_blank (p, len))
        {
          if (!fuzz_import_is_json_object (p, len))
            return -1;
          n++;
        }

      p = nl != NULL ? nl + 1 : end;
    }

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

  fuzz_import_run (DBW_IMPORT_FORMAT_JSONL, data, size, &result);

  if (expected >= 0)
    {
      if (result.n_problems != 0 || !result.committed)
        g_error ("Every line is a JSON object, yet the import found %" G_GUINT64_FORMAT " problems",
                 result.n_problems);
      g_assert_cmpuint (result.n_added + result.n_versions + result.n_unchanged, ==, (guint64) expected);
    }

  return 0;
}
