/* fuzz-csv-reader.c
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

#define G_LOG_DOMAIN "fuzz-csv-reader"

#include "config.h"

#include <string.h>

#include "dbw-csv-reader.h"

#include "fuzz.h"

/* Reads the input with DbwCsvReader twice, once in one piece and once through a stream
 * that hands out a few bytes per read, and checks that both give the same transcript:
 * the state machine must not depend on where reads end. Along the way it checks what
 * the reader promises: header names are unique UTF-8, fields are UTF-8, a good record
 * has as many fields as there are columns, records and their lines count up, bad
 * records are DBW_CSV_ERROR and reading goes on after them, and at the end every byte
 * was read.
 *
 * The first byte of an input is not CSV but options:
 *   bits 0–2  bytes per read of the chunked pass, minus one (1–8)
 *   bits 3–4  delimiter: sniffed, ',', ';' or tab
 *   bit 5     read a header line first
 * so "\x20id,name\n1,a\n" is a header and one record read a byte at a time. */

#define FUZZ_TYPE_CHUNKED_STREAM (fuzz_chunked_stream_get_type ())

G_DECLARE_FINAL_TYPE (FuzzChunkedStream, fuzz_chunked_stream, FUZZ, CHUNKED_STREAM, GInputStream)

struct _FuzzChunkedStream
{
  GInputStream  parent_instance;

  const guint8 *data;
  gsize         len;
  gsize         pos;
  gsize         chunk_size;
};

G_DEFINE_FINAL_TYPE (FuzzChunkedStream, fuzz_chunked_stream, G_TYPE_INPUT_STREAM)

static gssize
fuzz_chunked_stream_read_fn (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  FuzzChunkedStream *self = FUZZ_CHUNKED_STREAM (stream);
  gsize n;

  n = MIN (count, self->chunk_size);
  n = MIN (n, self->len - self->pos);

  if (n > 0)
    memcpy (buffer, self->data + self->pos, n);
  self->pos += n;

  return (gssize) n;
}

static void
fuzz_chunked_stream_class_init (FuzzChunkedStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  stream_class->read_fn = fuzz_chunked_stream_read_fn;
}

static void
fuzz_chunked_stream_init (FuzzChunkedStream *self)
{
}

/* The stream borrows @data; it must outlive the stream. */
static GInputStream *
fuzz_chunked_stream_new (const guint8 *data,
                         gsize         len,
                         gsize         chunk_size)
{
  FuzzChunkedStream *self = g_object_new (FUZZ_TYPE_CHUNKED_STREAM, NULL);

  self->data = data;
  self->len = len;
  self->chunk_size = chunk_size;

  return G_INPUT_STREAM (self);
}

static void
assert_csv_error (const GError *error)
{
  g_assert_nonnull (error);
  if (error->domain != DBW_CSV_ERROR)
    g_error ("Expected a DbwCsvError, got %s %d: %s",
             g_quark_to_string (error->domain), error->code, error->message);
}

static void
append_header (GString      *transcript,
               DbwCsvReader *reader)
{
  const char * const *header = dbw_csv_reader_get_header (reader);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_columns = 0;

  g_assert_nonnull (header);

  for (; header[n_columns] != NULL; n_columns++)
    {
      const char *name = header[n_columns];

      g_assert_true (g_utf8_validate (name, -1, NULL));
      if (!g_hash_table_add (seen, g_strdup (name)))
        g_error ("Column name “%s” is not unique", name);

      g_string_append (transcript, name);
      g_string_append_c (transcript, '\x1f');
    }
  g_string_append_c (transcript, '\n');

  g_assert_cmpuint (n_columns, ==, dbw_csv_reader_get_n_columns (reader));
}

/* Reads the whole input and returns a transcript of the header, every record and every
 * error, with their line numbers. */
static char *
read_all (const guint8 *data,
          gsize         len,
          gsize         chunk_size,
          gunichar      delimiter,
          gboolean      header)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(GString) transcript = g_string_new (NULL);
  gboolean utf16 = FALSE;
  guint64 n_records = 0;
  guint64 last_line = 0;

  stream = fuzz_chunked_stream_new (data, len, chunk_size);
  reader = dbw_csv_reader_new (stream, "fuzz.csv");
  if (delimiter != 0)
    dbw_csv_reader_set_delimiter (reader, delimiter);

  if (header)
    {
      g_autoptr(GError) error = NULL;

      if (dbw_csv_reader_read_header (reader, NULL, &error))
        {
          append_header (transcript, reader);
        }
      else
        {
          assert_csv_error (error);
          g_assert_null (dbw_csv_reader_get_header (reader));
          g_string_append_printf (transcript, "header error %d: %s\n", error->code, error->message);
          utf16 = strstr (error->message, "UTF-16") != NULL;
        }
    }

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = dbw_csv_reader_next_record (reader, &fields, NULL, &error);
      if (!ok && error == NULL)
        {
          g_assert_null (fields);
          break;
        }

      /* UTF-16 input is refused as a whole, before any record. */
      if (!ok && dbw_csv_reader_get_record_number (reader) == 0 &&
          strstr (error->message, "UTF-16") != NULL)
        {
          g_assert_error (error, DBW_CSV_ERROR, DBW_CSV_ERROR_INVALID_UTF8);
          g_string_append (transcript, "UTF-16\n");
          utf16 = TRUE;
          continue;
        }

      /* One record or one rejected record per call, each starting on a later line; and
       * no more of them than the input could hold, so a loop that never ends fails
       * here rather than timing out. */
      n_records++;
      g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, n_records);
      g_assert_cmpuint (n_records, <=, len + 1);
      g_assert_cmpuint (dbw_csv_reader_get_line (reader), >, last_line);
      last_line = dbw_csv_reader_get_line (reader);

      g_string_append_printf (transcript, "line %" G_GUINT64_FORMAT ": ", last_line);

      if (ok)
        {
          g_assert_nonnull (fields);
          g_assert_cmpuint (fields->len, ==, dbw_csv_reader_get_n_columns (reader));

          for (guint i = 0; i < fields->len; i++)
            {
              const char *field = g_ptr_array_index (fields, i);

              g_assert_true (g_utf8_validate (field, -1, NULL));
              g_string_append (transcript, field);
              g_string_append_c (transcript, '\x1f');
            }
        }
      else
        {
          g_assert_null (fields);
          assert_csv_error (error);
          g_string_append_printf (transcript, "error %d: %s", error->code, error->message);
        }
      g_string_append_c (transcript, '\n');
    }

  if (!utf16)
    g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), ==, len);

  g_string_append_printf (transcript, "delimiter %u\n", dbw_csv_reader_get_delimiter (reader));

  return g_string_free (g_steal_pointer (&transcript), FALSE);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const gunichar delimiters[] = { 0, ',', ';', '\t' };
  g_autofree char *whole = NULL;
  g_autofree char *chunked = NULL;
  gsize chunk_size;
  gunichar delimiter;
  gboolean header;

  if (size < 1)
    return 0;

  chunk_size = (data[0] & 7) + 1;
  delimiter = delimiters[(data[0] >> 3) & 3];
  header = (data[0] >> 5) & 1;

  whole = read_all (data + 1, size - 1, G_MAXSIZE, delimiter, header);
  chunked = read_all (data + 1, size - 1, chunk_size, delimiter, header);

  if (strcmp (whole, chunked) != 0)
    {
      g_printerr ("Reading %" G_GSIZE_FORMAT " bytes at a time changed the result\n"
                  "--- in one piece\n%s--- in pieces\n%s",
                  chunk_size, whole, chunked);
      g_abort ();
    }

  return 0;
}
