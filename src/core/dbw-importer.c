/* dbw-importer.c
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

#define G_LOG_DOMAIN "dbw-importer"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <poppler.h>

#include "dbw-csv-reader.h"
#include "dbw-enums.h"
#include "dbw-governance-private.h"
#include "dbw-import-report-private.h"
#include "dbw-importer.h"
#include "dbw-item.h"
#include "dbw-json-text.h"
#include "dbw-od-formats-private.h"
#include "dbw-sheet.h"
#include "dbw-store-private.h"

/* DbwImporter brings files into a sheet: CSV, JSON Lines and JSON arrays become one row
 * item per record; PDFs, images and text files — given one by one or as folders, walked
 * recursively — become one item each, their content stored once per SHA-256 in the
 * blobs table. Everything is streamed: a file of any size is read in 64 KiB chunks, and
 * only the record in hand is kept in memory.
 *
 * An import is one transaction on a connection of its own. A record or file that cannot
 * be imported is listed in the report with its file, line and reason; unless the caller
 * asked to keep the good ones, any rejection rolls the whole import back. An item that is
 * already in the sheet (same item_ref) is left alone when its content is the same and gets
 * a new version, derived from the old one, when it differs.
 *
 * Sources that are not local files — rows read from a Unity Catalog table, files
 * downloaded from a volume — are fed in as records (with their own item refs) or as files
 * with a given ref, and take the same path into the sheet. Usage constraints set on the
 * importer (from the source's tags) are applied to every item the import adds or finds
 * unchanged, in the same transaction, so the audit trigger records each change. */

#define CHUNK_SIZE             (64 * 1024)
/* Images beyond this are not decoded (a loader may need 4 bytes a pixel at once). */
#define MAX_IMAGE_PIXELS       ((guint64) 100 * 1000 * 1000)
#define SNIFF_SIZE             4096
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)
/* What a fed record weighs in the progress, against the bytes of files. */
#define RECORD_WEIGHT          256

G_DEFINE_QUARK (dbw-import-error-quark, dbw_import_error)

struct _DbwImporter
{
  GObject          parent_instance;

  GFile           *project;
  char            *sheet_id;
  GPtrArray       *sources;
  GPtrArray       *feeds;
  DbwUsageConstraints *constraints;
  char            *user;
  DbwImportFormat  format;
  gunichar         delimiter;         /* of CSV files; 0 to guess */
  DbwImportReport *report;
  gboolean         keep_good;
  gboolean         running;

  /* Progress, written by the import thread and shown in the caller's context. */
  GMutex           progress_lock;
  double           progress_fraction;
  char            *progress_status;
  GMainContext    *context;
  gboolean         progress_pending;
  double           fraction;
  char            *status;
};

G_DEFINE_FINAL_TYPE (DbwImporter, dbw_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_STATUS,
  PROP_KEEP_GOOD,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* A source that is not a local file given by the user: records from a function, or one
 * file with an item_ref of the caller's choosing. */
typedef struct
{
  char                *display;
  GFile               *file;
  char                *ref;
  guint64              n_records;
  DbwImportRecordFunc  func;
  gpointer             user_data;
  GDestroyNotify       destroy;
} Feed;

/* One file to read, found while planning. */
typedef struct
{
  Feed            *records;   /* not owned; reads these records instead of a file */
  GFile           *file;
  char            *display;   /* the path as the user knows it, for messages */
  char            *ref;       /* item_ref of a file item, or the prefix of row items */
  char            *content_type;
  DbwImportFormat  format;
  goffset          size;
} PlanEntry;

/* The state of one run, owned by the import thread. */
typedef struct
{
  DbwImporter     *self;
  DbwStore        *store;
  char            *now;
  GCancellable    *cancellable;
  GPtrArray       *plan;
  GHashTable      *folders_seen;      /* id::file of each folder planned, against link loops */
  GString         *json;
  guint8          *buffer;
  gboolean         sheet_was_empty;
  gboolean         carry_constraints; /* something was made from the sheet's items */
  guint64          total_bytes;
  guint64          done_bytes;
  gint64           last_progress;
} Run;

static void
feed_free (gpointer data)
{
  Feed *feed = data;

  if (feed->destroy != NULL)
    feed->destroy (feed->user_data);
  g_free (feed->display);
  g_clear_object (&feed->file);
  g_free (feed->ref);
  g_free (feed);
}

static void
plan_entry_free (gpointer data)
{
  PlanEntry *entry = data;

  g_clear_object (&entry->file);
  g_free (entry->display);
  g_free (entry->ref);
  g_free (entry->content_type);
  g_free (entry);
}

/* Progress */

static gboolean
publish_progress_cb (gpointer data)
{
  DbwImporter *self = data;
  g_autofree char *status = NULL;
  double fraction;

  g_mutex_lock (&self->progress_lock);
  fraction = self->progress_fraction;
  status = g_strdup (self->progress_status);
  self->progress_pending = FALSE;
  g_mutex_unlock (&self->progress_lock);

  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
    }

  if (g_strcmp0 (status, self->status) != 0)
    {
      g_free (self->status);
      self->status = g_steal_pointer (&status);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
    }

  return G_SOURCE_REMOVE;
}

static void
set_progress (Run        *run,
              guint64     done_in_file,
              const char *status,
              gboolean    force)
{
  DbwImporter *self = run->self;
  gint64 now = g_get_monotonic_time ();
  double fraction;
  gboolean schedule;

  if (!force && now - run->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  run->last_progress = now;

  fraction = run->total_bytes > 0 ? (double) (run->done_bytes + done_in_file) / run->total_bytes : 0.0;

  g_mutex_lock (&self->progress_lock);
  self->progress_fraction = CLAMP (fraction, 0.0, 1.0);
  if (status != NULL)
    {
      g_free (self->progress_status);
      self->progress_status = g_strdup (status);
    }
  schedule = !self->progress_pending;
  self->progress_pending = TRUE;
  g_mutex_unlock (&self->progress_lock);

  if (!schedule)
    return;

  if (self->context != NULL)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_callback (source, publish_progress_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[dbw-importer] progress");
      g_source_attach (source, self->context);
    }
  else
    {
      publish_progress_cb (self);
    }
}

/* Items */

static gboolean
is_rejection (const GError *error)
{
  return g_error_matches (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT) ||
         g_error_matches (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID);
}

/* A file name as text: the bytes of a name that is not UTF-8 are written %XX, as a
 * file's parse name writes them, so that item references and reports stay text and
 * different names stay different. */
static char *
name_to_text (const char *name)
{
  GString *text;
  const char *end;

  if (g_utf8_validate (name, -1, NULL))
    return g_strdup (name);

  text = g_string_new (NULL);
  while (!g_utf8_validate (name, -1, &end))
    {
      g_string_append_len (text, name, end - name);
      g_string_append_printf (text, "%%%02X", (guint) (guchar) *end);
      name = end + 1;
    }
  g_string_append (text, name);

  return g_string_free (text, FALSE);
}

/* Raises the item's constraints to those of the import's source: its prohibited uses gain
 * the source's, its classification rises to the source's (never falls), and what it gains
 * reaches its labels and the pairs made from it. An item already so constrained is left
 * alone; each change is audited, with the source's reason. */
static gboolean
apply_constraints (Run         *run,
                   const char  *item_id,
                   GError     **error)
{
  DbwUsageConstraints *constraints = run->self->constraints;

  if (constraints == NULL)
    return TRUE;

  return _dbw_governance_restrict_item (run->store, item_id,
                                        (const char * const *) constraints->prohibited_uses,
                                        constraints->classification, constraints->reason,
                                        run->carry_constraints, error) >= 0;
}

/* Fields are the same when their values are: a file whose columns or members come in
 * another order holds the same items. */
static gboolean
same_fields (const char *stored,
             const char *fields)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (g_strcmp0 (stored, fields) == 0)
    return TRUE;
  if (stored == NULL || fields == NULL)
    return FALSE;

  a = dbw_json_to_canonical (stored, -1);
  b = dbw_json_to_canonical (fields, -1);

  return a != NULL && g_strcmp0 (a, b) == 0;
}

/* Adds an item, or a new version of the item with the same ref, or nothing when that one
 * already has the same content. A constraint error is the record's fault: the caller
 * reports it and goes on. */
static gboolean
add_item (Run          *run,
          const char   *ref,
          DbwModality   modality,
          const char   *fields,
          const char   *blob_hash,
          const char   *content_type,
          const char   *text,
          GError      **error)
{
  g_autofree char *previous_id = NULL;
  gint64 version = 1;
  sqlite3_stmt *stmt;
  char id[37];
  int rc;

  if (!run->sheet_was_empty)
    {
      sqlite3_stmt *lookup;
      gboolean same = FALSE;

      lookup = _dbw_store_prepare (run->store,
                                 "SELECT id, version, fields, blob_hash FROM items "
                                 "WHERE sheet_id = ?1 AND item_ref = ?2 ORDER BY version DESC LIMIT 1",
                                 error);
      if (lookup == NULL)
        return FALSE;

      sqlite3_bind_text (lookup, 1, run->self->sheet_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (lookup, 2, ref, -1, SQLITE_STATIC);
      if (sqlite3_step (lookup) == SQLITE_ROW)
        {
          previous_id = g_strdup ((const char *) sqlite3_column_text (lookup, 0));
          version = sqlite3_column_int64 (lookup, 1) + 1;
          same = g_strcmp0 ((const char *) sqlite3_column_text (lookup, 3), blob_hash) == 0 &&
                 same_fields ((const char *) sqlite3_column_text (lookup, 2), fields);
        }
      _dbw_store_release (run->store, lookup);

      if (same)
        {
          _dbw_import_report_count (run->self->report, DBW_IMPORT_COUNT_UNCHANGED);
          return apply_constraints (run, previous_id, error);
        }
    }

  /* Straight to SQL rather than through a DbwItem: a record object per row costs as much
   * as the insert itself. */
  /* A new version keeps the usage constraints and tags of the one it replaces: a new copy
   * of a file once marked as holding personal data holds it still. */
  if (previous_id == NULL)
    stmt = _dbw_store_prepare (run->store,
                               "INSERT INTO items (id, sheet_id, item_ref, version, derived_from, modality, "
                               "  fields, blob_hash, content_type, text_content, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                               error);
  else
    stmt = _dbw_store_prepare (run->store,
                               "INSERT INTO items (id, sheet_id, item_ref, version, derived_from, modality, "
                               "  fields, blob_hash, content_type, text_content, created_at, "
                               "  allowed_uses, prohibited_uses, usage_reason, data_classification, tags) "
                               "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                               "  allowed_uses, prohibited_uses, usage_reason, data_classification, tags "
                               "FROM items WHERE id = ?5",
                               error);
  if (stmt == NULL)
    return FALSE;

  _dbw_store_new_id (id);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, run->self->sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, ref, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, version);
  sqlite3_bind_text (stmt, 5, previous_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, dbw_enum_to_nick (DBW_TYPE_MODALITY, modality), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, fields, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, blob_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, content_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, run->now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  _dbw_store_release (run->store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (run->store, rc, "items", error);
      return FALSE;
    }

  _dbw_import_report_count (run->self->report,
                            previous_id != NULL ? DBW_IMPORT_COUNT_VERSIONS : DBW_IMPORT_COUNT_ADDED);

  return apply_constraints (run, id, error);
}

/* Reports a record whose item could not be stored, or fails for any other error. */
static gboolean
add_record_item (Run          *run,
                 const char   *display,
                 guint64       line,
                 guint64       record,
                 const char   *ref,
                 const char   *fields,
                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (add_item (run, ref, DBW_MODALITY_ROW, fields, NULL, NULL, NULL, &local_error))
    return TRUE;

  if (!is_rejection (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  {
    g_autofree char *reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": %s"),
                                               display, line, local_error->message);

    _dbw_import_report_add_problem (run->self->report, display, line, record, reason);
  }

  return TRUE;
}

static void
append_json_string (GString    *json,
                    const char *value)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = value;
  const char *p;

  g_string_append_c (json, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (json, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':  g_string_append (json, "\\\""); break;
        case '\\': g_string_append (json, "\\\\"); break;
        case '\n': g_string_append (json, "\\n"); break;
        case '\r': g_string_append (json, "\\r"); break;
        case '\t': g_string_append (json, "\\t"); break;
        default:
          g_string_append (json, "\\u00");
          g_string_append_c (json, hex[c >> 4]);
          g_string_append_c (json, hex[c & 0xf]);
          break;
        }
    }
  g_string_append_len (json, run, p - run);
  g_string_append_c (json, '"');
}

/* CSV: one row item per record, every value kept as the text it was (a "007" stays one). */
static gboolean
import_csv (Run        *run,
            PlanEntry  *entry,
            GError    **error)
{
  DbwImportReport *report = run->self->report;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *header;
  guint n_columns;

  stream = g_file_read (entry->file, run->cancellable, error);
  if (stream == NULL)
    return FALSE;

  reader = dbw_csv_reader_new (G_INPUT_STREAM (stream), entry->display);
  if (run->self->delimiter != 0)
    dbw_csv_reader_set_delimiter (reader, run->self->delimiter);
  if (!dbw_csv_reader_read_header (reader, run->cancellable, &local_error))
    {
      if (local_error->domain != DBW_CSV_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _dbw_import_report_add_problem (report, entry->display, dbw_csv_reader_get_line (reader), 0,
                                      local_error->message);
      return TRUE;
    }

  header = dbw_csv_reader_get_header (reader);
  n_columns = dbw_csv_reader_get_n_columns (reader);

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autofree char *ref = NULL;
      guint64 record;

      if (!dbw_csv_reader_next_record (reader, &fields, run->cancellable, &local_error))
        {
          if (local_error == NULL)
            break;

          if (local_error->domain != DBW_CSV_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }

          _dbw_import_report_add_problem (report, entry->display, dbw_csv_reader_get_line (reader),
                                          dbw_csv_reader_get_record_number (reader), local_error->message);
          if (local_error->code == DBW_CSV_ERROR_UNTERMINATED_QUOTE)
            break;
          g_clear_error (&local_error);
          continue;
        }

      g_string_truncate (run->json, 0);
      g_string_append_c (run->json, '{');
      for (guint i = 0; i < n_columns && i < fields->len; i++)
        {
          if (i > 0)
            g_string_append_c (run->json, ',');
          append_json_string (run->json, header[i]);
          g_string_append_c (run->json, ':');
          append_json_string (run->json, g_ptr_array_index (fields, i));
        }
      g_string_append_c (run->json, '}');

      record = dbw_csv_reader_get_record_number (reader);
      ref = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, entry->ref, record);
      if (!add_record_item (run, entry->display, dbw_csv_reader_get_line (reader), record,
                            ref, run->json->str, error))
        return FALSE;

      set_progress (run, dbw_csv_reader_get_bytes_read (reader), NULL, FALSE);
    }

  return TRUE;
}

typedef enum
{
  JSON_SHAPE_OK,
  JSON_SHAPE_TOO_DEEP,       /* nested deeper than DBW_IMPORT_MAX_DEPTH */
  JSON_SHAPE_SEVERAL_VALUES, /* an object or array after other text */
  JSON_SHAPE_LONE_SURROGATE, /* "\ud800" without its other half */
  JSON_SHAPE_SHORT_ESCAPE,   /* "\u" without four hex digits */
} JsonShape;

/* The value of the four hex digits at @p, or -1. */
static int
hex4 (const char *p,
      const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value << 4 | digit;
    }

  return value;
}

/* What a record looks like before json-glib gets to see it. json-glib parses
 * recursively, so a record of a few hundred kilobytes of "[" would overflow the stack
 * (SQLite's json_valid() refuses deep nesting too). json-glib 1.6 leaks the first value
 * of text with a second object or array after it ("{}{}", "1 []"). It decodes an escaped
 * half of a surrogate pair into bytes that are not UTF-8, eating the character after it,
 * where SQLite takes the escape as valid JSON. And it reads "\u" with fewer than four
 * hex digits too, as a surrogate at times, which it then quotes in its error message as
 * bytes that are not UTF-8, or leaks. */
static JsonShape
json_shape (const char *text,
            gsize       len)
{
  const char *end = text + len;
  gboolean in_string = FALSE;
  gboolean started = FALSE;
  guint depth = 0;

  for (const char *p = text; p < end; p++)
    {
      char c = *p;

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && p + 1 < end && *++p == 'u')
            {
              int unit = hex4 (p + 1, end);

              if (unit < 0)
                return JSON_SHAPE_SHORT_ESCAPE;
              p += 4;
              if (unit >= 0xd800 && unit < 0xdc00)
                {
                  int low = end - p > 6 && p[1] == '\\' && p[2] == 'u' ? hex4 (p + 3, end) : -1;

                  if (low < 0xdc00 || low >= 0xe000)
                    return JSON_SHAPE_LONE_SURROGATE;
                  p += 6;
                }
              else if (unit >= 0xdc00 && unit < 0xe000)
                return JSON_SHAPE_LONE_SURROGATE;
            }
        }
      else if (c == '{' || c == '[')
        {
          if (depth == 0 && started)
            return JSON_SHAPE_SEVERAL_VALUES;
          if (++depth > DBW_IMPORT_MAX_DEPTH)
            return JSON_SHAPE_TOO_DEEP;
        }
      else if (c == '}' || c == ']')
        {
          if (depth > 0)
            depth--;
        }
      else if (c == '"')
        in_string = TRUE;

      if (depth == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r')
        started = TRUE;
    }

  return JSON_SHAPE_OK;
}

/* Whether SQLite takes @text as JSON, as the items table's CHECK does. json-glib also
 * reads comments, single-quoted strings, hexadecimal numbers, raw control characters in
 * strings and more; records are stored as written, so those must be turned away. */
static gboolean
is_strict_json (Run         *run,
                const char  *text,
                gsize        len,
                gboolean    *valid,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (run->store, "SELECT json_valid (?1)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text64 (stmt, 1, text, len, SQLITE_STATIC, SQLITE_UTF8);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *valid = sqlite3_column_int (stmt, 0) != 0;
  else
    _dbw_store_set_error (run->store, rc, "items", error);
  _dbw_store_release (run->store, stmt);

  return rc == SQLITE_ROW;
}

/* Checks one JSON record (a JSON Lines line, an array element, a fed record) and adds it
 * as a row item, known as @ref or, without one, by its place in the file. */
static gboolean
import_json_record (Run         *run,
                    PlanEntry   *entry,
                    JsonParser  *parser,
                    const char  *text,
                    gsize        len,
                    guint64      line,
                    guint64      record,
                    const char  *given_ref,
                    GError     **error)
{
  DbwImportReport *report = run->self->report;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *reason = NULL;
  const char *invalid = NULL;
  JsonShape shape = JSON_SHAPE_OK;
  JsonNode *root;
  gboolean valid = FALSE;

  if (!g_utf8_validate (text, len, &invalid))
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the text is not valid UTF-8 (byte %" G_GSIZE_FORMAT " of the record)"),
                              entry->display, line, (gsize) (invalid - text) + 1);
  else if ((shape = json_shape (text, len)) == JSON_SHAPE_TOO_DEEP)
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the record nests arrays and objects more than %u levels deep"),
                              entry->display, line, (guint) DBW_IMPORT_MAX_DEPTH);
  else if (shape == JSON_SHAPE_LONE_SURROGATE)
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": a “\\u” escape in a string is half of a UTF-16 surrogate pair "
                                "without the other half, which is not a character"),
                              entry->display, line);
  else if (shape == JSON_SHAPE_SHORT_ESCAPE)
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": not valid JSON: a “\\u” escape in a string needs four hexadecimal digits"),
                              entry->display, line);
  else if (!is_strict_json (run, text, len, &valid, error))
    return FALSE;
  else if (!valid && shape == JSON_SHAPE_SEVERAL_VALUES)
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": not valid JSON: there is more than one value, or text outside the record’s value"),
                              entry->display, line);
  /* Not valid: json-glib tells where. */
  else if (!json_parser_load_from_data (parser, text, len, &parse_error))
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": not valid JSON: %s"),
                              entry->display, line, parse_error->message);
  else if ((root = json_parser_get_root (parser)) == NULL)
    /* An array element between two commas, or before the closing bracket. */
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the record is empty"),
                              entry->display, line);
  else if (!valid)
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": not valid JSON: it has comments, single quotes, hexadecimal numbers, "
                                "control characters in strings or other syntax that JSON does not allow"),
                              entry->display, line);
  else if (!JSON_NODE_HOLDS_OBJECT (root))
    reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the record is not a JSON object"),
                              entry->display, line);

  if (reason != NULL)
    {
      _dbw_import_report_add_problem (report, entry->display, line, record, reason);
      return TRUE;
    }

  /* The text as it was, not re-serialised: numbers keep their exact digits. */
  g_string_truncate (run->json, 0);
  g_string_append_len (run->json, text, len);
  if (given_ref != NULL)
    ref = g_strdup (given_ref);
  else
    ref = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, entry->ref, record);

  return add_record_item (run, entry->display, line, record, ref, run->json->str, error);
}

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
reject_file (Run        *run,
             PlanEntry  *entry,
             const char *reason)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", entry->display, reason);

  _dbw_import_report_add_problem (run->self->report, entry->display, 0, 0, message);
  return TRUE;
}

/* Text saved as "Unicode" by some editors: UTF-16, which starts with its byte-order mark. */
static gboolean
is_utf16 (const guint8 *data,
          gsize         len)
{
  return len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff));
}

#define UTF16_REASON N_("the file is UTF-16 text; save it as UTF-8 and import it again")

/* JSON Lines: one object per line; blank lines are skipped. */
static gboolean
import_jsonl (Run        *run,
              PlanEntry  *entry,
              GError    **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) line = g_string_new (NULL);
  guint64 line_number = 1;
  guint64 record = 0;
  guint64 offset = 0;
  gboolean too_long = FALSE;
  gboolean at_end = FALSE;

  stream = g_file_read (entry->file, run->cancellable, error);
  if (stream == NULL)
    return FALSE;

  while (!at_end)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), run->buffer, CHUNK_SIZE, run->cancellable, error);
      const char *p;
      const char *end;

      if (n < 0)
        return FALSE;

      if (offset == 0 && is_utf16 (run->buffer, n))
        return reject_file (run, entry, _(UTF16_REASON));

      p = (const char *) run->buffer;
      end = p + n;
      at_end = n == 0;

      while (p < end || (at_end && (line->len > 0 || too_long)))
        {
          const char *nl = p < end ? memchr (p, '\n', end - p) : NULL;
          const char *stop = nl != NULL ? nl : end;

          if (!too_long)
            {
              if (line->len + (stop - p) > DBW_IMPORT_MAX_RECORD_SIZE)
                {
                  too_long = TRUE;
                  g_string_truncate (line, 0);
                }
              else
                g_string_append_len (line, p, stop - p);
            }
          p = stop;

          if (nl == NULL && !at_end)
            break;

          /* A whole line is in hand. */
          if (nl != NULL)
            p = nl + 1;

          {
            char *text = line->str;
            gsize len = line->len;

            if (line_number == 1 && len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
              text += 3, len -= 3;
            if (len > 0 && text[len - 1] == '\r')
              len--;

            if (too_long)
              {
                g_autofree char *reason =
                  g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the line is longer than %u MiB"),
                                   entry->display, line_number, (guint) (DBW_IMPORT_MAX_RECORD_SIZE >> 20));

                _dbw_import_report_add_problem (run->self->report, entry->display, line_number, ++record, reason);
              }
            else if (!is_blank (text, len))
              {
                if (!import_json_record (run, entry, parser, text, len, line_number, ++record, NULL, error))
                  return FALSE;
              }
          }

          g_string_truncate (line, 0);
          too_long = FALSE;
          line_number++;

          if (nl == NULL)
            break;
        }

      offset += n;
      set_progress (run, offset, NULL, FALSE);
    }

  return TRUE;
}

/* Steps through JSON text one byte at a time: TRUE when @c is part of a string (its
 * quotes included), so that brackets and commas in strings are not taken for structure. */
static inline gboolean
json_string_step (gboolean *in_string,
                  gboolean *escaped,
                  guint8    c)
{
  if (*in_string)
    {
      if (*escaped)
        *escaped = FALSE;
      else if (c == '\\')
        *escaped = TRUE;
      else if (c == '"')
        *in_string = FALSE;
      return TRUE;
    }

  if (c == '"')
    {
      *in_string = TRUE;
      return TRUE;
    }

  return FALSE;
}

typedef enum
{
  ARRAY_START,   /* before the opening bracket */
  ARRAY_VALUE,   /* before an element, or the closing bracket of an empty array */
  ARRAY_IN,      /* inside an element */
  ARRAY_NEXT,    /* after an element: a comma or the closing bracket */
  ARRAY_DONE,    /* after the closing bracket: only white space */
} ArrayState;

/* A JSON array of objects, split into its elements as it streams by, so that a file of
 * any size needs only one element in memory and a damaged element costs only itself. */
static gboolean
import_json_array (Run        *run,
                   PlanEntry  *entry,
                   GError    **error)
{
  DbwImportReport *report = run->self->report;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) element = g_string_new (NULL);
  ArrayState state = ARRAY_START;
  guint64 line = 1;
  guint64 element_line = 0;
  guint64 record = 0;
  guint64 offset = 0;
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gboolean too_long = FALSE;
  gboolean after_comma = FALSE;
  gboolean single = FALSE;

  stream = g_file_read (entry->file, run->cancellable, error);
  if (stream == NULL)
    return FALSE;

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), run->buffer, CHUNK_SIZE, run->cancellable, error);
      const guint8 *start = run->buffer;

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;

      if (offset == 0 && n >= 3 && memcmp (start, "\xef\xbb\xbf", 3) == 0)
        start += 3;
      if (offset == 0 && is_utf16 (start, n))
        return reject_file (run, entry, _(UTF16_REASON));

      for (const guint8 *p = start; p < run->buffer + n; p++)
        {
          guint8 c = *p;

          switch (state)
            {
            case ARRAY_START:
              if (c == '[')
                state = ARRAY_VALUE;
              else if (c == '{')
                {
                  /* One object, written over several lines: one record. */
                  single = TRUE;
                  state = ARRAY_IN;
                  element_line = line;
                  record = 1;
                  depth = 1;
                  g_string_append_c (element, c);
                }
              else if (!g_ascii_isspace (c))
                {
                  g_autofree char *reason =
                    g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": a JSON array of objects must start with “[”"),
                                     entry->display, line);

                  _dbw_import_report_add_problem (report, entry->display, line, 0, reason);
                  return TRUE;
                }
              break;

            case ARRAY_VALUE:
            case ARRAY_NEXT:
              if (g_ascii_isspace (c))
                break;
              if (c == ']' && after_comma)
                {
                  g_autofree char *reason =
                    g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": “]” follows a “,” after element %" G_GUINT64_FORMAT ": an element is missing"),
                                     entry->display, line, record);

                  _dbw_import_report_add_problem (report, entry->display, line, record, reason);
                  state = ARRAY_DONE;
                  break;
                }
              if (c == ']')
                {
                  state = ARRAY_DONE;
                  break;
                }
              if (state == ARRAY_NEXT)
                {
                  if (c == ',')
                    {
                      state = ARRAY_VALUE;
                      after_comma = TRUE;
                      break;
                    }
                  {
                    /* Where the next element starts is unknown: the rest is not read, and
                     * the report says so rather than lose it quietly. */
                    g_autofree char *reason =
                      g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": expected “,” or “]” after element %" G_GUINT64_FORMAT "; "
                                         "the rest of the file was not read"),
                                       entry->display, line, record);

                    _dbw_import_report_add_problem (report, entry->display, line, record, reason);
                    return TRUE;
                  }
                }
              after_comma = FALSE;
              state = ARRAY_IN;
              element_line = line;
              record++;
              depth = 0;
              in_string = FALSE;
              escaped = FALSE;
              too_long = FALSE;
              g_string_truncate (element, 0);
              G_GNUC_FALLTHROUGH;

            case ARRAY_IN:
              {
                gboolean ends = FALSE;

                if (json_string_step (&in_string, &escaped, c))
                  ;
                else if (c == '{' || c == '[')
                  depth++;
                else if (c == '}' || c == ']')
                  {
                    if (depth == 0)
                      {
                        /* The array's own closing bracket after a bare value. */
                        ends = TRUE;
                        p--;
                      }
                    else if (--depth == 0)
                      {
                        if (!too_long)
                          g_string_append_c (element, c);
                        ends = TRUE;
                      }
                  }
                else if (depth == 0 && c == ',')
                  {
                    ends = TRUE;
                    p--;
                  }

                if (!ends)
                  {
                    if (!too_long && element->len >= DBW_IMPORT_MAX_RECORD_SIZE)
                      {
                        too_long = TRUE;
                        g_string_truncate (element, 0);
                      }
                    if (!too_long)
                      g_string_append_c (element, c);
                  }
                else
                  {
                    state = single ? ARRAY_DONE : ARRAY_NEXT;
                    if (too_long)
                      {
                        g_autofree char *reason =
                          g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": element %" G_GUINT64_FORMAT " is larger than %u MiB"),
                                           entry->display, element_line, record, (guint) (DBW_IMPORT_MAX_RECORD_SIZE >> 20));

                        _dbw_import_report_add_problem (report, entry->display, element_line, record, reason);
                      }
                    else if (!import_json_record (run, entry, parser, element->str, element->len,
                                                  element_line, record, NULL, error))
                      return FALSE;
                  }
              }
              break;

            case ARRAY_DONE:
              if (!g_ascii_isspace (c))
                {
                  g_autofree char *reason =
                    g_strdup_printf (single ? _("%s, line %" G_GUINT64_FORMAT ": text follows the end of the JSON object")
                                            : _("%s, line %" G_GUINT64_FORMAT ": text follows the end of the JSON array"),
                                     entry->display, line);

                  _dbw_import_report_add_problem (report, entry->display, line, 0, reason);
                  return TRUE;
                }
              break;

            default:
              g_assert_not_reached ();
            }

          if (c == '\n')
            line++;
        }

      offset += n;
      set_progress (run, offset, NULL, FALSE);
    }

  if (state != ARRAY_DONE)
    {
      g_autofree char *reason = NULL;

      if (state == ARRAY_START)
        reason = g_strdup_printf (_("%s: the file has no JSON array"), entry->display);
      else if (state == ARRAY_IN)
        reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the file ends inside element %" G_GUINT64_FORMAT "; it looks truncated"),
                                  entry->display, element_line, record);
      else
        reason = g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT ": the file ends before the array’s closing “]”; it looks truncated"),
                                  entry->display, line);

      _dbw_import_report_add_problem (report, entry->display, state == ARRAY_IN ? element_line : line,
                                      state == ARRAY_IN ? record : 0, reason);
    }

  return TRUE;
}

/* Records fed by a function: checked as JSON records are, known by the refs they bring.
 * Their "line" in a report is their place, from 1. */
static gboolean
import_records (Run        *run,
                PlanEntry  *entry,
                GError    **error)
{
  Feed *feed = entry->records;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  for (guint64 i = 0; i < feed->n_records; i++)
    {
      g_autofree char *ref = NULL;
      g_autofree char *fields = NULL;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      if (!feed->func (i, &ref, &fields, feed->user_data, error))
        return FALSE;

      if (ref == NULL || *ref == '\0' || fields == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("%s, row %" G_GUINT64_FORMAT ": the row has no item reference or no fields"),
                                                     entry->display, i + 1);

          _dbw_import_report_add_problem (run->self->report, entry->display, i + 1, i + 1, reason);
          continue;
        }

      if (!import_json_record (run, entry, parser, fields, strlen (fields), i + 1, i + 1, ref, error))
        return FALSE;

      set_progress (run, (i + 1) * RECORD_WEIGHT, NULL, FALSE);
    }

  return TRUE;
}

/* Files */

/* GdkPixbuf's JPEG loader, fed piece by piece, does not notice a file that stops early
 * either: it fills the rows it never got. A whole JPEG's image ends with an EOI marker;
 * what follows it (the video of a "motion photo") does not matter, and an EOI inside a
 * segment (the thumbnail in its Exif data) is not the image's. So the markers are
 * followed: segments are skipped by their length, entropy-coded data up to the next
 * marker that is not a restart or a stuffed 0xFF. */
typedef enum
{
  JPEG_MARKER,       /* before a marker: fill or stray bytes until 0xFF */
  JPEG_MARKER_CODE,  /* after 0xFF */
  JPEG_LENGTH_HIGH,
  JPEG_LENGTH_LOW,
  JPEG_SEGMENT,      /* skipping a segment's contents */
  JPEG_ENTROPY,      /* coded data after a start of scan */
  JPEG_ENTROPY_FF,
  JPEG_ENDED,        /* the image's EOI was seen */
  JPEG_BROKEN,
} JpegState;

typedef struct
{
  JpegState state;
  guint8    code;       /* the marker whose segment is being read */
  guint     remaining;  /* bytes of the segment still to skip */
} JpegScan;

static void
jpeg_marker (JpegScan *jpeg,
             guint8    code)
{
  if (code == 0xff)
    jpeg->state = JPEG_MARKER_CODE;                 /* fill */
  else if (code == 0xd9)
    jpeg->state = JPEG_ENDED;
  else if (code == 0xd8 || code == 0x01 || (code >= 0xd0 && code <= 0xd7))
    jpeg->state = JPEG_MARKER;                      /* no segment */
  else
    {
      jpeg->code = code;
      jpeg->state = JPEG_LENGTH_HIGH;
    }
}

static void
jpeg_scan (JpegScan     *jpeg,
           const guint8 *data,
           gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = data[i];

      switch (jpeg->state)
        {
        case JPEG_MARKER:
          if (byte == 0xff)
            jpeg->state = JPEG_MARKER_CODE;
          break;

        case JPEG_MARKER_CODE:
          jpeg_marker (jpeg, byte);
          break;

        case JPEG_LENGTH_HIGH:
          jpeg->remaining = (guint) byte << 8;
          jpeg->state = JPEG_LENGTH_LOW;
          break;

        case JPEG_LENGTH_LOW:
          jpeg->remaining |= byte;
          if (jpeg->remaining < 2)
            {
              jpeg->state = JPEG_BROKEN;
              return;
            }
          jpeg->remaining -= 2;
          jpeg->state = JPEG_SEGMENT;
          if (jpeg->remaining == 0)
            jpeg->state = jpeg->code == 0xda ? JPEG_ENTROPY : JPEG_MARKER;
          break;

        case JPEG_SEGMENT:
          {
            gsize skip = MIN ((gsize) jpeg->remaining, len - i);

            jpeg->remaining -= skip;
            i += skip - 1;
            if (jpeg->remaining == 0)
              jpeg->state = jpeg->code == 0xda ? JPEG_ENTROPY : JPEG_MARKER;
          }
          break;

        case JPEG_ENTROPY:
          {
            const guint8 *ff = memchr (data + i, 0xff, len - i);

            if (ff == NULL)
              return;
            i = ff - data;
            jpeg->state = JPEG_ENTROPY_FF;
          }
          break;

        case JPEG_ENTROPY_FF:
          if (byte == 0x00 || (byte >= 0xd0 && byte <= 0xd7))
            jpeg->state = JPEG_ENTROPY;
          else if (byte != 0xff)
            jpeg_marker (jpeg, byte);
          break;

        case JPEG_ENDED:
        case JPEG_BROKEN:
        default:
          return;
        }
    }
}

typedef struct
{
  GChecksum       *checksum;
  GdkPixbufLoader *loader;
  GString         *text;
  gboolean         text_full;
  int              width;
  int              height;
  gboolean         too_large;
  guint8           tail[12];          /* the last bytes read, for end markers */
  gsize            tail_len;
  gboolean         is_jpeg;
  JpegScan         jpeg;              /* followed only for a JPEG */
} FileScan;

/* Keeps the last bytes of what was read so far. */
static void
scan_tail (FileScan     *scan,
           const guint8 *data,
           gsize         len)
{
  if (len >= sizeof scan->tail)
    {
      memcpy (scan->tail, data + len - sizeof scan->tail, sizeof scan->tail);
      scan->tail_len = sizeof scan->tail;
      return;
    }

  if (scan->tail_len + len > sizeof scan->tail)
    {
      gsize drop = scan->tail_len + len - sizeof scan->tail;

      memmove (scan->tail, scan->tail + drop, scan->tail_len - drop);
      scan->tail_len -= drop;
    }
  memcpy (scan->tail + scan->tail_len, data, len);
  scan->tail_len += len;
}

/* GdkPixbuf's PNG loader, fed piece by piece, does not notice a file that stops early:
 * a whole PNG ends with its IEND chunk. */
static gboolean
png_is_whole (const FileScan *scan)
{
  static const guint8 iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

  return scan->tail_len == sizeof iend && memcmp (scan->tail, iend, sizeof iend) == 0;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  FileScan *scan = user_data;

  scan->width = width;
  scan->height = height;

  /* Every byte is still decoded (and checked); only the pixels kept are few — except
   * that some loaders decode at full size first, so a giant image is not decoded. */
  if ((guint64) width * (guint64) height > MAX_IMAGE_PIXELS)
    scan->too_large = TRUE;
  else
    gdk_pixbuf_loader_set_size (loader, MIN (width, 64), MIN (height, 64));
}

/* Writes a file's content as a blob in chunks, after checking that the content is still
 * the one whose hash names it. */
static gboolean
write_blob (Run         *run,
            PlanEntry   *entry,
            const char  *hash,
            guint64      size,
            GError     **error)
{
  sqlite3 *db = _dbw_store_get_db (run->store);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *now = _dbw_store_now (run->store);
  sqlite3_blob *blob = NULL;
  sqlite3_stmt *stmt;
  guint64 written = 0;
  gint64 rowid;
  int rc;

  stmt = _dbw_store_prepare (run->store,
                             "INSERT INTO blobs (hash, size, content_type, data, created_at) "
                             "VALUES (?1, ?2, ?3, zeroblob (?2), ?4)",
                             error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_text (stmt, 3, entry->content_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  _dbw_store_release (run->store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (run->store, rc, "blobs", error);
      return FALSE;
    }

  rowid = sqlite3_last_insert_rowid (db);
  rc = sqlite3_blob_open (db, "main", "blobs", "data", rowid, 1, &blob);
  if (rc != SQLITE_OK)
    {
      _dbw_store_set_error (run->store, rc, "blobs", error);
      return FALSE;
    }

  stream = g_file_read (entry->file, run->cancellable, error);
  if (stream == NULL)
    goto failed;

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), run->buffer, CHUNK_SIZE, run->cancellable, error);

      if (n < 0)
        goto failed;
      if (n == 0)
        break;

      if (written + n > size)
        break;

      g_checksum_update (checksum, run->buffer, n);
      rc = sqlite3_blob_write (blob, run->buffer, (int) n, (int) written);
      if (rc != SQLITE_OK)
        {
          _dbw_store_set_error (run->store, rc, "blobs", error);
          goto failed;
        }
      written += n;
    }

  sqlite3_blob_close (blob);

  if (written != size || g_strcmp0 (g_checksum_get_string (checksum), hash) != 0)
    {
      g_set_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_CHANGED,
                   _("%s changed while it was being imported"), entry->display);
      return FALSE;
    }

  return TRUE;

failed:
  sqlite3_blob_close (blob);
  return FALSE;
}

/* Stores the content once per hash. Returns the hash, or NULL with @error set. */
static char *
store_blob (Run         *run,
            PlanEntry   *entry,
            const char  *hash,
            guint64      size,
            GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean exists;

  stmt = _dbw_store_prepare (run->store, "SELECT 1 FROM blobs WHERE hash = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  _dbw_store_release (run->store, stmt);

  if (exists)
    {
      _dbw_import_report_count (run->self->report, DBW_IMPORT_COUNT_BLOBS_SHARED);
      return g_strdup (hash);
    }

  if (!write_blob (run, entry, hash, size, error))
    return NULL;

  _dbw_import_report_count (run->self->report, DBW_IMPORT_COUNT_BLOBS_ADDED);

  return g_strdup (hash);
}

static char *
pdf_text (PopplerDocument  *document,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int n_pages = poppler_document_get_n_pages (document);

  for (int i = 0; i < n_pages && text->len < DBW_IMPORT_MAX_TEXT_SIZE; i++)
    {
      PopplerPage *page;
      g_autofree char *page_text = NULL;

      /* Part of the text would be stored as the whole of it, for good: items never change. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      /* No g_autoptr: older poppler-glib does not define one. */
      page = poppler_document_get_page (document, i);
      if (page == NULL)
        continue;
      page_text = poppler_page_get_text (page);
      g_object_unref (page);
      if (page_text != NULL)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, page_text);
        }
    }

  if (text->len > DBW_IMPORT_MAX_TEXT_SIZE)
    {
      const char *end = text->str + DBW_IMPORT_MAX_TEXT_SIZE;

      g_string_truncate (text, g_utf8_find_prev_char (text->str, end + 1) - text->str);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * dbw_importer_extract_pdf_text:
 *
 * The text of a PDF, page after page, as an import stores it in an item's text content
 * (at most %DBW_IMPORT_MAX_TEXT_SIZE bytes). Call it from a worker thread.
 *
 * Returns: (transfer full): the text, or %NULL with @error set for a file that will not open
 *   or when @cancellable is cancelled
 */
char *
dbw_importer_extract_pdf_text (GFile         *file,
                               GCancellable  *cancellable,
                               GError       **error)
{
  PopplerDocument *document;
  char *text;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  document = poppler_document_new_from_gfile (file, NULL, cancellable, error);
  if (document == NULL)
    return NULL;
  text = pdf_text (document, cancellable, error);
  g_object_unref (document);

  return text;
}

static gboolean
import_file (Run        *run,
             PlanEntry  *entry,
             GError    **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *text = NULL;
  g_autofree char *raw_name = g_file_get_basename (entry->file);
  g_autofree char *basename = name_to_text (raw_name);
  FileScan scan = { 0 };
  DbwModality modality;
  guint64 size = 0;
  int n_pages = 0;
  gboolean ok = FALSE;

  if (g_content_type_is_a (entry->content_type, "application/pdf"))
    modality = DBW_MODALITY_PDF;
  else if (g_content_type_is_a (entry->content_type, "image/*") ||
           g_str_has_prefix (entry->content_type, "image/"))
    modality = DBW_MODALITY_IMAGE;
  else if (g_content_type_is_a (entry->content_type, "text/plain"))
    modality = DBW_MODALITY_TEXT;
  else
    {
      g_autofree char *description = g_content_type_get_description (entry->content_type);
      g_autofree char *reason = g_strdup_printf (_("files of this type (%s, %s) cannot be imported; import PDFs, images or text"),
                                                 description, entry->content_type);

      return reject_file (run, entry, reason);
    }

  if (entry->size == 0)
    return reject_file (run, entry, _("the file is empty"));

  /* A blob is one SQLite value, limited in size. */
  if (entry->size > sqlite3_limit (_dbw_store_get_db (run->store), SQLITE_LIMIT_LENGTH, -1))
    {
      g_autofree char *file_size = g_format_size (entry->size);
      g_autofree char *limit = g_format_size (sqlite3_limit (_dbw_store_get_db (run->store), SQLITE_LIMIT_LENGTH, -1));
      g_autofree char *reason = g_strdup_printf (_("the file is too large to keep in a project (%s; at most %s)"), file_size, limit);

      return reject_file (run, entry, reason);
    }

  stream = g_file_read (entry->file, run->cancellable, error);
  if (stream == NULL)
    return FALSE;

  scan.checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (modality == DBW_MODALITY_IMAGE)
    {
      scan.loader = gdk_pixbuf_loader_new_with_mime_type (entry->content_type, &local_error);
      if (scan.loader == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("this image format (%s) is not supported"), entry->content_type);

          reject_file (run, entry, reason);
          ok = TRUE;
          goto out;
        }
      g_signal_connect (scan.loader, "size-prepared", G_CALLBACK (size_prepared_cb), &scan);
      scan.is_jpeg = g_content_type_equals (entry->content_type, "image/jpeg");
    }
  else if (modality == DBW_MODALITY_TEXT)
    scan.text = g_string_new (NULL);

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), run->buffer, CHUNK_SIZE, run->cancellable, error);

      if (n < 0)
        goto out;
      if (n == 0)
        break;

      g_checksum_update (scan.checksum, run->buffer, n);
      scan_tail (&scan, run->buffer, n);
      if (scan.is_jpeg)
        jpeg_scan (&scan.jpeg, run->buffer, n);
      size += n;

      if (scan.loader != NULL && local_error == NULL && !scan.too_large)
        gdk_pixbuf_loader_write (scan.loader, run->buffer, n, &local_error);

      if (scan.text != NULL && !scan.text_full)
        {
          gsize room = DBW_IMPORT_MAX_TEXT_SIZE - scan.text->len;

          g_string_append_len (scan.text, (const char *) run->buffer, MIN ((gsize) n, room));
          scan.text_full = scan.text->len >= DBW_IMPORT_MAX_TEXT_SIZE;
        }

      set_progress (run, size, NULL, FALSE);
    }

  if (size == 0)
    {
      reject_file (run, entry, _("the file is empty"));
      ok = TRUE;
      goto out;
    }

  if (scan.loader != NULL && scan.too_large)
    {
      g_autofree char *reason = g_strdup_printf (_("the image is too large to check (%d × %d pixels)"),
                                                 scan.width, scan.height);

      gdk_pixbuf_loader_close (scan.loader, NULL);
      reject_file (run, entry, reason);
      ok = TRUE;
      goto out;
    }

  if (scan.loader != NULL)
    {
      if (local_error == NULL)
        gdk_pixbuf_loader_close (scan.loader, &local_error);
      else
        gdk_pixbuf_loader_close (scan.loader, NULL);

      if (local_error != NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("the image could not be decoded: %s"), local_error->message);

          reject_file (run, entry, reason);
          ok = TRUE;
          goto out;
        }
      if (g_content_type_equals (entry->content_type, "image/png") && !png_is_whole (&scan))
        {
          reject_file (run, entry, _("the image is cut short: the PNG file has no end"));
          ok = TRUE;
          goto out;
        }
      if (scan.is_jpeg && scan.jpeg.state != JPEG_ENDED)
        {
          reject_file (run, entry, _("the image is cut short: the JPEG file has no end"));
          ok = TRUE;
          goto out;
        }
      /* The size it is shown and labeled at, turned upright. */
      if (_dbw_od_loader_is_quarter_turned (scan.loader))
        {
          int width = scan.width;

          scan.width = scan.height;
          scan.height = width;
        }
    }

  if (scan.text != NULL)
    {
      const char *invalid = NULL;

      if (is_utf16 ((const guint8 *) scan.text->str, scan.text->len))
        {
          reject_file (run, entry, _(UTF16_REASON));
          ok = TRUE;
          goto out;
        }
      if (memchr (scan.text->str, '\0', scan.text->len) != NULL)
        {
          reject_file (run, entry, _("the file contains NUL bytes; it looks like a binary file, not text"));
          ok = TRUE;
          goto out;
        }
      if (!g_utf8_validate_len (scan.text->str, scan.text->len, &invalid) &&
          !(scan.text_full && scan.text->str + scan.text->len - invalid < 4))
        {
          g_autofree char *reason = g_strdup_printf (_("the text is not valid UTF-8 (at byte %" G_GSIZE_FORMAT "); save it as UTF-8 and import it again"),
                                                     (gsize) (invalid - scan.text->str) + 1);

          reject_file (run, entry, reason);
          ok = TRUE;
          goto out;
        }
      g_string_truncate (scan.text, invalid - scan.text->str);
      text = g_string_free (g_steal_pointer (&scan.text), FALSE);
    }

  if (modality == DBW_MODALITY_PDF)
    {
      PopplerDocument *document = poppler_document_new_from_gfile (entry->file, NULL, run->cancellable, &local_error);

      if (document == NULL)
        {
          g_autofree char *reason = NULL;

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }

          if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
            reason = g_strdup (_("the PDF is password-protected; remove the password and import it again"));
          else
            reason = g_strdup_printf (_("the PDF could not be read: %s"), local_error->message);

          reject_file (run, entry, reason);
          ok = TRUE;
          goto out;
        }

      n_pages = poppler_document_get_n_pages (document);
      text = pdf_text (document, run->cancellable, error);
      g_object_unref (document);
      if (text == NULL)
        goto out;
    }

  hash = g_strdup (g_checksum_get_string (scan.checksum));
  stored = store_blob (run, entry, hash, size, error);
  if (stored == NULL)
    goto out;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, basename);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, entry->ref);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, size);
  if (modality == DBW_MODALITY_PDF)
    {
      json_builder_set_member_name (builder, "pages");
      json_builder_add_int_value (builder, n_pages);
    }
  if (modality == DBW_MODALITY_IMAGE)
    {
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, scan.width);
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, scan.height);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  fields = json_to_string (root, FALSE);

  g_clear_error (&local_error);
  if (!add_item (run, entry->ref, modality, fields, stored, entry->content_type, text, &local_error))
    {
      if (!is_rejection (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto out;
        }
      reject_file (run, entry, local_error->message);
    }

  ok = TRUE;

out:
  g_clear_pointer (&scan.checksum, g_checksum_free);
  g_clear_object (&scan.loader);
  if (scan.text != NULL)
    g_string_free (scan.text, TRUE);

  return ok;
}

/* Planning: what each source is, before anything is read in earnest. */

static gboolean
has_suffix (const char *name,
            const char *suffix)
{
  gsize len = strlen (name);
  gsize suffix_len = strlen (suffix);

  return len >= suffix_len && g_ascii_strcasecmp (name + len - suffix_len, suffix) == 0;
}

/* Whether the JSON object at the start of @data ends before its first line does; an
 * object longer than @data counts as on one line if no line ended in what there is. */
static gboolean
first_object_on_one_line (const guint8 *data,
                          gsize         len)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (c == '\n')
        return FALSE;
      if (json_string_step (&in_string, &escaped, c))
        continue;
      if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        return TRUE;
    }

  return TRUE;
}

static DbwImportFormat
format_for (const char   *name,
            const char   *content_type,
            const guint8 *data,
            gsize         len)
{
  gsize i = 0;

  if (g_content_type_is_a (content_type, "application/pdf") ||
      g_str_has_prefix (content_type, "image/"))
    return DBW_IMPORT_FORMAT_FILE;

  if (g_content_type_is_a (content_type, "text/csv") ||
      g_content_type_is_a (content_type, "text/tab-separated-values") ||
      has_suffix (name, ".csv") || has_suffix (name, ".tsv"))
    return DBW_IMPORT_FORMAT_CSV;

  if (has_suffix (name, ".jsonl") || has_suffix (name, ".ndjson") ||
      g_content_type_is_a (content_type, "application/x-ndjson") ||
      g_content_type_is_a (content_type, "application/jsonl"))
    return DBW_IMPORT_FORMAT_JSONL;

  if (has_suffix (name, ".json") || g_content_type_is_a (content_type, "application/json"))
    {
      if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
      while (i < len && g_ascii_isspace (data[i]))
        i++;
      if (i == len || data[i] != '{')
        return DBW_IMPORT_FORMAT_JSON;

      /* Objects: JSON Lines when the first one ends on its line, else one object
       * written over several lines. */
      return first_object_on_one_line (data + i, len - i) ? DBW_IMPORT_FORMAT_JSONL : DBW_IMPORT_FORMAT_JSON;
    }

  return DBW_IMPORT_FORMAT_FILE;
}

/* The type from the bytes first; the name only when the bytes do not tell. */
static char *
guess_content_type (const char   *name,
                    const guint8 *data,
                    gsize         len)
{
  gboolean uncertain = TRUE;
  g_autofree char *sniffed = g_content_type_guess (NULL, data, len, &uncertain);

  if (len == 0)
    return g_content_type_guess (name, NULL, 0, NULL);

  if (!uncertain &&
      !g_content_type_equals (sniffed, "text/plain") &&
      !g_content_type_equals (sniffed, "application/octet-stream"))
    return g_steal_pointer (&sniffed);

  {
    g_autofree char *by_name = g_content_type_guess (name, NULL, 0, &uncertain);

    /* A name that claims binary content over bytes that are plain text is not believed. */
    if (!uncertain && (g_content_type_is_a (by_name, "text/plain") ||
                       g_content_type_equals (sniffed, "application/octet-stream")))
      return g_steal_pointer (&by_name);
  }

  return g_steal_pointer (&sniffed);
}

static gboolean
sniff_file (GFile         *file,
            goffset        size,
            char         **content_type,
            DbwImportFormat *format,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *name = g_file_get_basename (file);
  guint8 data[SNIFF_SIZE];
  gsize len = 0;

  if (size > 0)
    {
      stream = g_file_read (file, cancellable, error);
      if (stream == NULL)
        return FALSE;
      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, sizeof data, &len, cancellable, error))
        return FALSE;
    }

  *content_type = guess_content_type (name, data, len);
  *format = format_for (name, *content_type, data, len);

  return TRUE;
}

/**
 * dbw_import_guess_format:
 * @content_type: (out) (optional) (transfer full): the content type found
 *
 * Tells how the importer would read @file, typed by its content (and its name only
 * where the content does not tell): CSV, JSON Lines, a JSON array, or one file item.
 *
 * Returns: the format, or %DBW_IMPORT_FORMAT_AUTO with @error set
 */
DbwImportFormat
dbw_import_guess_format (GFile         *file,
                         char         **content_type,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *type = NULL;
  DbwImportFormat format;

  g_return_val_if_fail (G_IS_FILE (file), DBW_IMPORT_FORMAT_AUTO);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return DBW_IMPORT_FORMAT_AUTO;

  if (!sniff_file (file, g_file_info_get_size (info), &type, &format, cancellable, error))
    return DBW_IMPORT_FORMAT_AUTO;

  if (content_type != NULL)
    *content_type = g_steal_pointer (&type);

  return format;
}

/* A file that cannot be examined is a problem of the report; only cancelling fails. */
static gboolean
plan_add (Run              *run,
          GFile            *file,
          const char       *display,
          const char       *ref,
          goffset           size,
          DbwImportFormat   forced,
          GError          **cancelled)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  PlanEntry *entry = g_new0 (PlanEntry, 1);

  entry->file = g_object_ref (file);
  entry->display = g_strdup (display);
  entry->ref = g_strdup (ref);
  entry->size = size;

  if (!sniff_file (file, size, &entry->content_type, &entry->format, run->cancellable, &error))
    {
      plan_entry_free (entry);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (cancelled, g_steal_pointer (&error));
          return FALSE;
        }
      reason = g_strdup_printf ("%s: %s", display, error->message);
      _dbw_import_report_add_problem (run->self->report, display, 0, 0, reason);
      return TRUE;
    }

  if (forced != DBW_IMPORT_FORMAT_AUTO)
    entry->format = forced;

  run->total_bytes += size;
  g_ptr_array_add (run->plan, entry);
  return TRUE;
}

static int
compare_infos (gconstpointer a,
               gconstpointer b)
{
  GFileInfo *info_a = *(GFileInfo * const *) a;
  GFileInfo *info_b = *(GFileInfo * const *) b;

  return g_strcmp0 (g_file_info_get_name (info_a), g_file_info_get_name (info_b));
}

/* The project being imported into, or one of SQLite's files beside it: a folder that
 * holds its own project does not import it. */
static gboolean
is_project_file (Run   *run,
                 GFile *file)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *project = g_file_get_path (run->self->project);
  g_autofree char *path = g_file_get_path (file);

  if (project == NULL || path == NULL || !g_str_has_prefix (path, project))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_equal (path + strlen (project), suffixes[i]))
      return TRUE;

  return FALSE;
}

static gboolean
plan_folder (Run         *run,
             GFile       *folder,
             const char  *display,
             const char  *ref,
             GError     **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFileInfo) folder_info = NULL;
  const char *folder_id;

  /* Linked folders are followed, each folder once, so that a loop of links ends. */
  folder_info = g_file_query_info (folder, G_FILE_ATTRIBUTE_ID_FILE, G_FILE_QUERY_INFO_NONE, run->cancellable, error);
  if (folder_info == NULL)
    return FALSE;
  folder_id = g_file_info_get_attribute_string (folder_info, G_FILE_ATTRIBUTE_ID_FILE);
  if (folder_id != NULL && !g_hash_table_add (run->folders_seen, g_strdup (folder_id)))
    return TRUE;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          run->cancellable, error);
  if (enumerator == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, run->cancellable, error))
        return FALSE;
      if (info == NULL)
        break;
      if (g_file_info_get_is_hidden (info))
        continue;
      g_ptr_array_add (children, g_object_ref (info));
    }

  /* The same folder imports in the same order everywhere. */
  g_ptr_array_sort (children, compare_infos);

  for (guint i = 0; i < children->len; i++)
    {
      GFileInfo *info = children->pdata[i];
      const char *name = g_file_info_get_name (info);
      g_autoptr(GFile) child = g_file_get_child (folder, name);
      g_autofree char *text = name_to_text (name);
      g_autofree char *child_display = g_build_filename (display, text, NULL);
      g_autofree char *child_ref = g_strconcat (ref, "/", text, NULL);
      GFileType type = g_file_info_get_file_type (info);

      if (is_project_file (run, child))
        continue;

      if (type == G_FILE_TYPE_SYMBOLIC_LINK)
        {
          g_autoptr(GError) link_error = NULL;
          g_autoptr(GFileInfo) target = g_file_query_info (child,
                                                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                           G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                           G_FILE_QUERY_INFO_NONE, run->cancellable, &link_error);

          if (g_error_matches (link_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&link_error));
              return FALSE;
            }

          /* GIO describes a link whose target is missing as the link itself. */
          if (target == NULL || g_file_info_get_file_type (target) == G_FILE_TYPE_SYMBOLIC_LINK)
            {
              g_autofree char *reason = g_strdup_printf (_("%s: a link to a file or folder that does not exist"),
                                                         child_display);

              _dbw_import_report_add_problem (run->self->report, child_display, 0, 0, reason);
            }
          else if (g_file_info_get_file_type (target) == G_FILE_TYPE_DIRECTORY)
            {
              if (!plan_folder (run, child, child_display, child_ref, error))
                return FALSE;
            }
          else if (g_file_info_get_file_type (target) == G_FILE_TYPE_REGULAR)
            {
              if (!plan_add (run, child, child_display, child_ref, g_file_info_get_size (target), DBW_IMPORT_FORMAT_FILE, error))
                return FALSE;
            }
        }
      else if (type == G_FILE_TYPE_DIRECTORY)
        {
          if (!plan_folder (run, child, child_display, child_ref, error))
            return FALSE;
        }
      else if (type == G_FILE_TYPE_REGULAR)
        {
          if (!plan_add (run, child, child_display, child_ref, g_file_info_get_size (info), DBW_IMPORT_FORMAT_FILE, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
make_plan (Run     *run,
           GError **error)
{
  DbwImporter *self = run->self;
  g_autoptr(GHashTable) roots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->sources->len; i++)
    {
      GFile *source = g_ptr_array_index (self->sources, i);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *display = g_file_get_parse_name (source);
      g_autofree char *basename = g_file_get_basename (source);
      g_autofree char *name = name_to_text (basename);
      gboolean again = FALSE;

      /* The same file or folder given twice is imported once. */
      for (guint j = 0; j < i && !again; j++)
        again = g_file_equal (source, g_ptr_array_index (self->sources, j));
      if (again)
        continue;

      /* Two sources of the same name from different folders: the second is known by its
       * whole path, so that their items do not become versions of each other. */
      if (g_hash_table_contains (roots, name))
        {
          g_free (name);
          name = g_strdup (display);
        }
      g_hash_table_add (roots, g_strdup (name));

      info = g_file_query_info (source,
                                G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                G_FILE_QUERY_INFO_NONE, run->cancellable, &local_error);
      if (info == NULL)
        {
          g_autofree char *reason = NULL;

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          reason = g_strdup_printf ("%s: %s", display, local_error->message);
          _dbw_import_report_add_problem (self->report, display, 0, 0, reason);
          continue;
        }

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (!plan_folder (run, source, display, name, &local_error))
            {
              g_autofree char *reason = NULL;

              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              reason = g_strdup_printf ("%s: %s", display, local_error->message);
              _dbw_import_report_add_problem (self->report, display, 0, 0, reason);
            }
        }
      else
        {
          if (!plan_add (run, source, display, name, g_file_info_get_size (info), self->format, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < self->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (self->feeds, i);

      if (feed->func != NULL)
        {
          PlanEntry *entry = g_new0 (PlanEntry, 1);

          entry->records = feed;
          entry->display = g_strdup (feed->display);
          entry->ref = g_strdup (feed->display);
          entry->size = (goffset) (feed->n_records * RECORD_WEIGHT);
          run->total_bytes += entry->size;
          g_ptr_array_add (run->plan, entry);
        }
      else
        {
          g_autoptr(GFileInfo) info = NULL;
          g_autoptr(GError) local_error = NULL;

          info = g_file_query_info (feed->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                    run->cancellable, &local_error);
          if (info == NULL)
            {
              g_autofree char *reason = NULL;

              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              reason = g_strdup_printf ("%s: %s", feed->display, local_error->message);
              _dbw_import_report_add_problem (self->report, feed->display, 0, 0, reason);
              continue;
            }

          if (!plan_add (run, feed->file, feed->display, feed->ref, g_file_info_get_size (info), DBW_IMPORT_FORMAT_FILE, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The run */

/* The sheet's updated_at says when its content last changed; a local sheet remembers
 * where its data came from. Only those two columns: the sheet may have been renamed
 * since the import began. A sheet deleted meanwhile fails the import. */
static gboolean
touch_sheet (Run     *run,
             GError **error)
{
  DbwImporter *self = run->self;
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (self->sources->len > 0)
    path = g_file_get_path (g_ptr_array_index (self->sources, 0));

  stmt = _dbw_store_prepare (run->store,
                             "UPDATE sheets SET updated_at = ?2, source_path = coalesce (source_path, ?3) "
                             "WHERE id = ?1 AND deleted_at IS NULL",
                             error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, self->sheet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, run->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  _dbw_store_release (run->store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (run->store, rc, "sheets", error);
      return FALSE;
    }

  if (sqlite3_changes (_dbw_store_get_db (run->store)) == 0)
    {
      g_set_error_literal (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                           _("The sheet was deleted while the import ran"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_import (DbwImporter   *self,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func (plan_entry_free);
  g_autoptr(GHashTable) folders_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) json = g_string_sized_new (1024);
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  Run run = { 0 };
  gint64 n_items;
  gboolean ok = TRUE;

  store = dbw_store_open (self->project, DBW_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  dbw_store_set_user (store, self->user);

  sheet = dbw_store_get (store, DBW_TYPE_SHEET, self->sheet_id, error);
  if (sheet == NULL)
    return FALSE;
  if (dbw_sheet_get_deleted_at (sheet) != NULL)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("The sheet “%s” was deleted"), dbw_sheet_get_name (sheet));
      return FALSE;
    }

  run.self = self;
  run.store = store;
  run.cancellable = cancellable;
  run.plan = plan;
  run.folders_seen = folders_seen;
  run.json = json;
  run.buffer = buffer;

  set_progress (&run, 0, _("Looking at the files…"), TRUE);
  if (!make_plan (&run, error))
    return FALSE;

  if (plan->len == 0 && dbw_import_report_get_n_problems (self->report) == 0)
    {
      g_set_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_NO_SOURCES, _("There is nothing to import"));
      return FALSE;
    }

  if (!dbw_store_begin_bulk (store, error))
    return FALSE;

  n_items = dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", self->sheet_id, error);
  if (n_items < 0)
    {
      dbw_store_rollback (store);
      return FALSE;
    }
  run.sheet_was_empty = n_items == 0;
  if (self->constraints != NULL &&
      !_dbw_governance_sheet_has_dependents (store, self->sheet_id, &run.carry_constraints, error))
    {
      dbw_store_rollback (store);
      return FALSE;
    }
  run.now = _dbw_store_now (store);

  for (guint i = 0; i < plan->len && ok; i++)
    {
      PlanEntry *entry = g_ptr_array_index (plan, i);
      g_autofree char *status = g_strdup_printf (_("Importing %s"), entry->display);

      set_progress (&run, 0, status, TRUE);

      if (entry->records != NULL)
        {
          ok = import_records (&run, entry, error);
          run.done_bytes += entry->size;
          continue;
        }

      switch (entry->format)
        {
        case DBW_IMPORT_FORMAT_CSV:
          ok = import_csv (&run, entry, error);
          break;

        case DBW_IMPORT_FORMAT_JSONL:
          ok = import_jsonl (&run, entry, error);
          break;

        case DBW_IMPORT_FORMAT_JSON:
          ok = import_json_array (&run, entry, error);
          break;

        case DBW_IMPORT_FORMAT_FILE:
        case DBW_IMPORT_FORMAT_AUTO:
        default:
          ok = import_file (&run, entry, error);
          break;
        }

      run.done_bytes += entry->size;
    }

  if (ok && dbw_import_report_get_n_problems (self->report) > 0 && !self->keep_good)
    {
      guint64 n = dbw_import_report_get_n_problems (self->report);

      g_set_error (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%" G_GUINT64_FORMAT " record or file was rejected, so nothing was imported",
                                "%" G_GUINT64_FORMAT " records or files were rejected, so nothing was imported",
                                n),
                   n);
      ok = FALSE;
    }

  if (ok)
    {
      ok = touch_sheet (&run, error) && dbw_store_commit (store, error);
      if (!ok)
        dbw_store_rollback (store);
    }
  else
    {
      dbw_store_rollback (store);
    }

  g_clear_pointer (&run.now, g_free);
  _dbw_import_report_finish (self->report, self->keep_good, ok);
  set_progress (&run, 0, NULL, TRUE);
  dbw_store_close (store);

  return ok;
}

/* GObject */

static void
dbw_importer_finalize (GObject *object)
{
  DbwImporter *self = (DbwImporter *) object;

  g_clear_object (&self->project);
  g_clear_pointer (&self->sheet_id, g_free);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  g_clear_pointer (&self->constraints, dbw_usage_constraints_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_object (&self->report);
  g_clear_pointer (&self->progress_status, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->progress_lock);

  G_OBJECT_CLASS (dbw_importer_parent_class)->finalize (object);
}

static void
dbw_importer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DbwImporter *self = DBW_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_KEEP_GOOD:
      g_value_set_boolean (value, self->keep_good);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_importer_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DbwImporter *self = DBW_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_KEEP_GOOD:
      dbw_importer_set_keep_good (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_importer_class_init (DbwImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_importer_finalize;
  object_class->get_property = dbw_importer_get_property;
  object_class->set_property = dbw_importer_set_property;

  /**
   * DbwImporter:fraction:
   *
   * How much of the input was read, from 0 to 1.
   */
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwImporter:status:
   *
   * What the import is doing, for a progress label.
   */
  properties [PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwImporter:keep-good:
   *
   * Whether the good records are kept when some are rejected; otherwise any rejection
   * rolls the whole import back.
   */
  properties [PROP_KEEP_GOOD] =
    g_param_spec_boolean ("keep-good", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_importer_init (DbwImporter *self)
{
  g_mutex_init (&self->progress_lock);
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->feeds = g_ptr_array_new_with_free_func (feed_free);
}

/**
 * dbw_importer_new:
 * @project: the project file
 * @sheet_id: the sheet that receives the items
 *
 * Returns: (transfer full): a new importer; add sources, then run it once
 */
DbwImporter *
dbw_importer_new (GFile      *project,
                  const char *sheet_id)
{
  DbwImporter *self;

  g_return_val_if_fail (G_IS_FILE (project), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);

  self = g_object_new (DBW_TYPE_IMPORTER, NULL);
  self->project = g_object_ref (project);
  self->sheet_id = g_strdup (sheet_id);
  self->report = dbw_import_report_new (sheet_id);

  return self;
}

/**
 * dbw_importer_add_source:
 * @source: a file (CSV, JSON Lines, JSON, PDF, image, text) or a folder
 */
void
dbw_importer_add_source (DbwImporter *self,
                         GFile       *source)
{
  g_return_if_fail (DBW_IS_IMPORTER (self));
  g_return_if_fail (G_IS_FILE (source));
  g_return_if_fail (!self->running);

  g_ptr_array_add (self->sources, g_object_ref (source));
}

/**
 * dbw_importer_add_records:
 * @display: the source as the user knows it ("main.sales.orders"), for progress and
 *   the report
 * @n_records: how many records @func gives
 * @func: (scope notified): gives each record, in the import thread
 *
 * Adds records that do not come from a file, each a row item with the ref @func gives.
 * Two records with the same ref are one item: give each record its own.
 */
void
dbw_importer_add_records (DbwImporter         *self,
                          const char          *display,
                          guint64              n_records,
                          DbwImportRecordFunc  func,
                          gpointer             user_data,
                          GDestroyNotify       destroy)
{
  Feed *feed;

  g_return_if_fail (DBW_IS_IMPORTER (self));
  g_return_if_fail (display != NULL);
  g_return_if_fail (func != NULL);
  g_return_if_fail (!self->running);

  feed = g_new0 (Feed, 1);
  feed->display = g_strdup (display);
  feed->n_records = n_records;
  feed->func = func;
  feed->user_data = user_data;
  feed->destroy = destroy;
  g_ptr_array_add (self->feeds, feed);
}

/**
 * dbw_importer_add_file:
 * @file: a PDF, image or text file (for instance a copy downloaded from elsewhere)
 * @ref: the item_ref its item gets, and the "path" in its fields
 * @display: (nullable): the file as the user knows it; @ref when %NULL
 *
 * Adds one file as one item, whatever its name, typed by its content.
 */
void
dbw_importer_add_file (DbwImporter *self,
                       GFile       *file,
                       const char  *ref,
                       const char  *display)
{
  Feed *feed;

  g_return_if_fail (DBW_IS_IMPORTER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (ref != NULL && *ref != '\0');
  g_return_if_fail (!self->running);

  feed = g_new0 (Feed, 1);
  feed->display = g_strdup (display != NULL ? display : ref);
  feed->file = g_object_ref (file);
  feed->ref = g_strdup (ref);
  g_ptr_array_add (self->feeds, feed);
}

/**
 * dbw_importer_set_usage_constraints:
 * @constraints: (nullable): what the sources demand of their items, or %NULL for nothing
 *
 * Every item the import adds, or finds unchanged, gets at least these constraints: the
 * prohibited uses are added to its own, its classification is raised to this one when
 * lower, and its usage_reason says why. Each change is audited.
 */
void
dbw_importer_set_usage_constraints (DbwImporter               *self,
                                    const DbwUsageConstraints *constraints)
{
  g_return_if_fail (DBW_IS_IMPORTER (self));
  g_return_if_fail (!self->running);

  g_clear_pointer (&self->constraints, dbw_usage_constraints_free);
  if (constraints != NULL)
    self->constraints = dbw_usage_constraints_copy (constraints);
}

/**
 * dbw_importer_set_format:
 *
 * Reads every file given as a source (not those found in folders) in @format instead of
 * guessing it from its content.
 */
void
dbw_importer_set_format (DbwImporter     *self,
                         DbwImportFormat  format)
{
  g_return_if_fail (DBW_IS_IMPORTER (self));

  self->format = format;
}

/**
 * dbw_importer_set_csv_delimiter:
 * @delimiter: an ASCII character other than a quote, CR or LF; 0 to guess
 *
 * Reads CSV files with @delimiter between their fields instead of guessing it.
 */
void
dbw_importer_set_csv_delimiter (DbwImporter *self,
                                gunichar     delimiter)
{
  g_return_if_fail (DBW_IS_IMPORTER (self));
  g_return_if_fail (delimiter < 0x80 && delimiter != '"' && delimiter != '\r' && delimiter != '\n');

  self->delimiter = delimiter;
}

void
dbw_importer_set_keep_good (DbwImporter *self,
                            gboolean     keep_good)
{
  g_return_if_fail (DBW_IS_IMPORTER (self));

  keep_good = !!keep_good;
  if (self->keep_good == keep_good)
    return;

  self->keep_good = keep_good;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KEEP_GOOD]);
}

gboolean
dbw_importer_get_keep_good (DbwImporter *self)
{
  g_return_val_if_fail (DBW_IS_IMPORTER (self), FALSE);

  return self->keep_good;
}

/**
 * dbw_importer_set_user:
 *
 * Who imports, recorded as the items' creator where the project keeps one.
 */
void
dbw_importer_set_user (DbwImporter *self,
                       const char  *user)
{
  g_return_if_fail (DBW_IS_IMPORTER (self));

  g_free (self->user);
  self->user = g_strdup (user);
}

double
dbw_importer_get_fraction (DbwImporter *self)
{
  g_return_val_if_fail (DBW_IS_IMPORTER (self), 0.0);

  return self->fraction;
}

const char *
dbw_importer_get_status (DbwImporter *self)
{
  g_return_val_if_fail (DBW_IS_IMPORTER (self), NULL);

  return self->status;
}

/**
 * dbw_importer_get_report:
 *
 * Returns: (transfer none): what the import did; complete once it has finished
 */
DbwImportReport *
dbw_importer_get_report (DbwImporter *self)
{
  g_return_val_if_fail (DBW_IS_IMPORTER (self), NULL);

  return self->report;
}

/**
 * dbw_importer_run:
 *
 * Imports in the calling thread; progress is notified there too. For the command line
 * and for tests: a user interface uses dbw_importer_run_async().
 *
 * Returns: %TRUE if the items were committed; %DBW_IMPORT_ERROR_REJECTED when records
 *   were rejected and the import was rolled back (see the report)
 */
gboolean
dbw_importer_run (DbwImporter   *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (DBW_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  self->running = TRUE;
  ok = run_import (self, cancellable, error);

  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  DbwImporter *self = source_object;
  GError *error = NULL;

  if (run_import (self, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * dbw_importer_run_async:
 *
 * Imports in a worker thread; #DbwImporter:fraction and #DbwImporter:status are notified
 * in the thread-default main context of the caller.
 */
void
dbw_importer_run_async (DbwImporter         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_IMPORTER (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  self->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_name (task, "[dbw-importer] run");
  /* Cancelled after the commit, the import still happened: it reports for itself. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

gboolean
dbw_importer_run_finish (DbwImporter   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (DBW_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
