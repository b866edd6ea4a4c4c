/* fuzz-json-canonical.c
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

#define G_LOG_DOMAIN "fuzz-json-canonical"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "dbw-json-text.h"

#include "fuzz.h"

/* Reads the input (all of it, NUL bytes included) with dbw_json_to_canonical(), which
 * decides when items are the same content. It must agree with SQLite's json_valid() —
 * the strict JSON the items table holds — on what is JSON (for input nested no deeper
 * than it follows); its result must be JSON too, its own canonical form, and json-glib
 * must read it when it is UTF-8. */

#define SHALLOW 200

static sqlite3 *db;

static gboolean
sqlite_json_valid (const char *text,
                   gsize       length)
{
  sqlite3_stmt *stmt = NULL;
  gboolean valid;

  if (db == NULL && sqlite3_open (":memory:", &db) != SQLITE_OK)
    g_error ("Cannot open an SQLite database in memory");
  if (sqlite3_prepare_v2 (db, "SELECT json_valid (?1)", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Cannot prepare json_valid(): %s", sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, text, length, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("json_valid() failed: %s", sqlite3_errmsg (db));
  valid = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_finalize (stmt);

  return valid;
}

/* An upper bound of the nesting: every bracket counts, inside strings too. */
static guint
max_brackets (const char *text,
              gsize       length)
{
  guint depth = 0, deepest = 0;

  for (gsize i = 0; i < length; i++)
    if (text[i] == '[' || text[i] == '{')
      deepest = MAX (deepest, ++depth);

  return deepest;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *text = (const char *) data;
  g_autofree char *canonical = dbw_json_to_canonical (text, size);
  gboolean has_nul = memchr (data, '\0', size) != NULL;

  /* SQLite reads text up to a NUL; JSON has none outside strings, and none raw inside. */
  if (canonical != NULL && has_nul)
    g_error ("Input with a NUL byte read as JSON: %s", canonical);
  if (!has_nul && canonical != NULL && !sqlite_json_valid (text, size))
    g_error ("Read as JSON what SQLite does not take as JSON: %.*s", (int) MIN (size, 200), text);
  if (!has_nul && canonical == NULL && max_brackets (text, size) <= SHALLOW && sqlite_json_valid (text, size))
    g_error ("Refused what SQLite takes as JSON: %.*s", (int) MIN (size, 200), text);

  if (canonical != NULL)
    {
      g_autofree char *again = dbw_json_to_canonical (canonical, -1);

      if (g_strcmp0 (again, canonical) != 0)
        g_error ("The canonical form is not its own: %s\nthen %s", canonical, again != NULL ? again : "(not JSON)");

      if (g_utf8_validate (canonical, -1, NULL))
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          if (!json_parser_load_from_data (parser, canonical, -1, &error))
            g_error ("json-glib cannot read a canonical form: %s\n%s", error->message, canonical);
        }
    }

  return 0;
}
