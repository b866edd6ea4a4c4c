/* dbw-search.c
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

#define G_LOG_DOMAIN "dbw-search"

#include "config.h"

#include <string.h>

#include "dbw-item.h"
#include "dbw-record-private.h"
#include "dbw-search.h"
#include "dbw-store-private.h"

/* Full-text search over items. The index (items_fts, a contentless FTS5 table) holds, per
 * item, the string values of its fields — keys, numbers and booleans are left out — and
 * its text content (the text of a PDF or a text file). Triggers compute that text with
 * the SQL function dbw_search_text() when a row is inserted and again when it is deleted:
 * a contentless index can only forget a row given the very text it indexed, so this code
 * must stay deterministic, and any change to what it returns needs a migration that
 * rebuilds the index. Items are immutable, so the text of a row never changes. */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *out)
{
  gunichar value = 0;

  if (end - p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int v = hex_value (p[i]);

      if (v < 0)
        return FALSE;
      value = (value << 4) | (gunichar) v;
    }

  *out = value;
  return TRUE;
}

/* Scans the JSON string starting after its opening quote. Appends the decoded text to
 * @out when it is not NULL; returns the position after the closing quote, or @end. */
static const char *
scan_string (const char *p,
             const char *end,
             GString    *out)
{
  const char *run = p;

  while (p < end)
    {
      if (*p == '"')
        {
          if (out != NULL)
            g_string_append_len (out, run, p - run);
          return p + 1;
        }

      if (*p != '\\')
        {
          p++;
          continue;
        }

      if (out != NULL)
        g_string_append_len (out, run, p - run);
      p++;
      if (p >= end)
        return end;

      if (out != NULL)
        {
          switch (*p)
            {
            case 'n': case 't': case 'r': case 'b': case 'f':
              g_string_append_c (out, ' ');
              break;

            case 'u':
              {
                gunichar c;

                if (read_hex4 (p + 1, end, &c))
                  {
                    p += 4;
                    /* A surrogate pair is one character. */
                    if (c >= 0xd800 && c < 0xdc00 && end - p > 6 && p[1] == '\\' && p[2] == 'u')
                      {
                        gunichar low;

                        if (read_hex4 (p + 3, end, &low) && low >= 0xdc00 && low < 0xe000)
                          {
                            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                            p += 6;
                          }
                      }
                    if (g_unichar_validate (c) && c != 0)
                      g_string_append_unichar (out, c);
                    else
                      g_string_append_c (out, ' ');
                  }
              }
              break;

            default:
              g_string_append_c (out, *p);
              break;
            }
        }
      else if (*p == 'u' && end - p > 4)
        {
          p += 4;
        }

      p++;
      run = p;
    }

  return end;
}

/**
 * dbw_search_append_text:
 * @out: where the text goes
 * @fields_json: (nullable): an item's fields, a JSON object
 * @fields_len: the length of @fields_json, or -1 if it is nul-terminated
 * @text_content: (nullable): the item's text
 *
 * Appends what the full-text index holds for an item: every string value found in
 * @fields_json, at any depth, one per line, then @text_content. Object keys, numbers,
 * booleans and nulls are not searchable. Malformed JSON ends the scan early.
 */
void
dbw_search_append_text (GString    *out,
                        const char *fields_json,
                        gssize      fields_len,
                        const char *text_content)
{
  g_return_if_fail (out != NULL);

  if (fields_json != NULL)
    {
      const char *p = fields_json;
      const char *end = fields_json + (fields_len < 0 ? (gssize) strlen (fields_json) : fields_len);

      while (p < end)
        {
          const char *after;
          const char *q;
          gsize mark;

          if (*p != '"')
            {
              p++;
              continue;
            }

          /* Decode first, then look past the string: a key is followed by a colon. */
          mark = out->len;
          if (mark > 0)
            g_string_append_c (out, '\n');
          after = scan_string (p + 1, end, out);

          for (q = after; q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'); q++)
            ;
          if (q < end && *q == ':')
            g_string_truncate (out, mark);

          p = after;
        }
    }

  if (text_content != NULL && text_content[0] != '\0')
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, text_content);
    }
}

/**
 * dbw_search_text:
 *
 * Returns: (transfer full): the searchable text of an item; see dbw_search_append_text()
 */
char *
dbw_search_text (const char *fields_json,
                 const char *text_content)
{
  GString *out = g_string_new (NULL);

  dbw_search_append_text (out, fields_json, -1, text_content);

  return g_string_free (out, FALSE);
}

static void
append_phrase (GString    *query,
               const char *text,
               gsize       len,
               gboolean    prefix)
{
  if (len == 0)
    return;

  if (query->len > 0)
    g_string_append_c (query, ' ');

  g_string_append_c (query, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, text[i]);
    }
  g_string_append_c (query, '"');

  if (prefix)
    g_string_append_c (query, '*');
}

/**
 * dbw_search_make_query:
 * @user_text: what the user typed in a search entry
 *
 * Turns free text into an FTS5 query that cannot be a syntax error: every word must
 * appear (the last one as a prefix, so results follow typing), and text in double
 * quotes must appear as a phrase.
 *
 * Returns: (transfer full) (nullable): the FTS5 query, or %NULL when @user_text has
 *   nothing to search for
 */
char *
dbw_search_make_query (const char *user_text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  const char *p;

  if (user_text == NULL)
    return NULL;

  p = user_text;
  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          start = ++p;
          while (*p != '\0' && *p != '"')
            p++;
          append_phrase (query, start, p - start, FALSE);
          if (*p == '"')
            p++;
          continue;
        }

      start = p;
      while (*p != '\0' && !g_ascii_isspace (*p) && *p != '"')
        p++;
      append_phrase (query, start, p - start, *p == '\0');
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

static void
search_text_func (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  GString *out = g_string_sized_new (256);
  const char *fields = (const char *) sqlite3_value_text (argv[0]);
  int fields_len = sqlite3_value_bytes (argv[0]);
  const char *text = argc > 1 ? (const char *) sqlite3_value_text (argv[1]) : NULL;
  gsize len;

  dbw_search_append_text (out, fields, fields != NULL ? fields_len : 0, text);
  len = out->len;
  sqlite3_result_text64 (context, g_string_free (out, FALSE), len, g_free, SQLITE_UTF8);
}

typedef struct
{
  const gboolean *deferred;
  const gint64   *watermark;
} IndexState;

/* dbw_search_indexed (rowid): whether the index holds (or is to hold now) the item with
 * that rowid; see dbw_store_begin_bulk(). */
static void
search_indexed_func (sqlite3_context  *context,
                     int               argc,
                     sqlite3_value   **argv)
{
  IndexState *state = sqlite3_user_data (context);
  gint64 rowid = sqlite3_value_int64 (argv[0]);

  sqlite3_result_int (context, !*state->deferred || rowid <= *state->watermark);
}

/* Called for every connection before the schema is touched: the items triggers need
 * these. @deferred and @watermark belong to the connection's store. */
int
_dbw_search_register (sqlite3        *db,
                      const gboolean *deferred,
                      const gint64   *watermark)
{
  IndexState *state = g_new (IndexState, 1);
  int rc;

  state->deferred = deferred;
  state->watermark = watermark;

  rc = sqlite3_create_function_v2 (db, "dbw_search_text", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, search_text_func, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_free (state);
      return rc;
    }

  /* Not deterministic: the answer depends on the connection's transaction. */
  return sqlite3_create_function_v2 (db, "dbw_search_indexed", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                     state, search_indexed_func, NULL, NULL, g_free);
}

/**
 * dbw_search_items:
 * @store: a project
 * @user_text: what the user typed; see dbw_search_make_query()
 * @sheet_id: (nullable): search only this sheet
 * @limit: the most items to return, 0 for all
 *
 * Finds the current versions of items whose fields or text match @user_text, best
 * matches first.
 *
 * Returns: (transfer full) (element-type DbwItem): the items, or %NULL with @error set
 */
GPtrArray *
dbw_search_items (DbwStore    *store,
                  const char  *user_text,
                  const char  *sheet_id,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_rowid = NULL;
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *query = NULL;
  DbwRecordClass *klass;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  query = dbw_search_make_query (user_text);
  if (query == NULL)
    return g_steal_pointer (&items);

  /* The ranked rowids first, then the rows: the record SQL reads one table. */
  stmt = _dbw_store_prepare (store,
                             "SELECT items.rowid FROM items_fts JOIN items ON items.rowid = items_fts.rowid "
                             "WHERE items_fts MATCH ?1 AND (?2 IS NULL OR sheet_id = ?2) AND "
                             DBW_SQL_CURRENT_ITEM " ORDER BY items_fts.rank, items.rowid LIMIT ?3",
                             error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
      g_string_append_printf (json, "%s%" G_GINT64_FORMAT, rowids->len > 1 ? "," : "", rowid);
    }
  _dbw_store_release (store, stmt);
  g_string_append_c (json, ']');

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  if (rowids->len == 0)
    return g_steal_pointer (&items);

  klass = g_type_class_ref (DBW_TYPE_ITEM);
  stmt = _dbw_store_prepare (store, _dbw_record_class_get_sql (klass, DBW_SQL_SELECT_BY_ROWIDS), error);
  g_type_class_unref (klass);
  if (stmt == NULL)
    return NULL;

  by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DbwRecord *item = g_object_new (DBW_TYPE_ITEM, NULL);

      gint64 rowid;

      _dbw_record_load_from_stmt (item, stmt, 0);
      rowid = dbw_record_get_rowid (item);
      g_hash_table_insert (by_rowid, g_memdup2 (&rowid, sizeof rowid), item);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  for (guint i = 0; i < rowids->len; i++)
    {
      DbwRecord *item = g_hash_table_lookup (by_rowid, &g_array_index (rowids, gint64, i));

      if (item != NULL)
        g_ptr_array_add (items, g_object_ref (item));
    }

  return g_steal_pointer (&items);
}
