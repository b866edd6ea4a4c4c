/* test-csv-reader.c
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

#include <string.h>

#include "dbw-csv-reader.h"

/* TestChunkedStream hands out its bytes at most chunk_size at a time, so records,
 * quoted fields and CRLFs straddle reads; it can also fail once at a given offset. */

#define TEST_TYPE_CHUNKED_STREAM (test_chunked_stream_get_type ())

G_DECLARE_FINAL_TYPE (TestChunkedStream, test_chunked_stream, TEST, CHUNKED_STREAM, GInputStream)

struct _TestChunkedStream
{
  GInputStream parent_instance;

  GBytes      *bytes;
  gsize        pos;
  gsize        chunk_size;
  gsize        fail_at;
  gboolean     failed;
};

G_DEFINE_FINAL_TYPE (TestChunkedStream, test_chunked_stream, G_TYPE_INPUT_STREAM)

static gssize
test_chunked_stream_read_fn (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  TestChunkedStream *self = TEST_CHUNKED_STREAM (stream);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  gsize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  if (!self->failed && self->pos >= self->fail_at)
    {
      self->failed = TRUE;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "injected failure");
      return -1;
    }

  n = MIN (count, self->chunk_size);
  n = MIN (n, size - self->pos);
  if (!self->failed && self->pos < self->fail_at)
    n = MIN (n, self->fail_at - self->pos);

  if (n > 0)
    memcpy (buffer, data + self->pos, n);
  self->pos += n;

  return n;
}

static void
test_chunked_stream_finalize (GObject *object)
{
  TestChunkedStream *self = TEST_CHUNKED_STREAM (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (test_chunked_stream_parent_class)->finalize (object);
}

static void
test_chunked_stream_class_init (TestChunkedStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = test_chunked_stream_finalize;
  stream_class->read_fn = test_chunked_stream_read_fn;
}

static void
test_chunked_stream_init (TestChunkedStream *self)
{
  self->fail_at = G_MAXSIZE;
}

static GInputStream *
chunked_stream_new (const char *data,
                    gsize       len,
                    gsize       chunk_size)
{
  TestChunkedStream *self = g_object_new (TEST_TYPE_CHUNKED_STREAM, NULL);

  self->bytes = g_bytes_new (data, len);
  self->chunk_size = chunk_size;

  return G_INPUT_STREAM (self);
}

static DbwCsvReader *
reader_new (const char *data,
            gssize      len,
            gsize       chunk_size,
            gunichar    delimiter)
{
  g_autoptr(GInputStream) stream = NULL;
  DbwCsvReader *reader;

  if (len < 0)
    len = strlen (data);

  stream = chunked_stream_new (data, len, chunk_size);
  reader = dbw_csv_reader_new (stream, "test.csv");
  if (delimiter != 0)
    dbw_csv_reader_set_delimiter (reader, delimiter);

  return reader;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\n':
          g_string_append (out, "\\n");
          break;

        case '\r':
          g_string_append (out, "\\r");
          break;

        case '|':
          g_string_append (out, "\\|");
          break;

        default:
          g_string_append_c (out, *p);
        }
    }
}

static void
append_fields (GString            *out,
               const char * const *fields,
               guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, '|');
      append_escaped (out, fields[i]);
    }
  g_string_append_c (out, '\n');
}

/* Reads everything and writes what came out, one line each: "H: a|b" for the
 * header, "L4: x|y" for a record starting on line 4, "L5 E3: message" for a rejected
 * record with its error code. */
static char *
render_reader (DbwCsvReader *reader,
               gboolean      header)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint64 last_record = 0;

  if (header)
    {
      if (!dbw_csv_reader_read_header (reader, NULL, &error))
        {
          g_string_append_printf (out, "H E%d: %s\n", error->code, error->message);
          g_clear_error (&error);
        }
      else
        {
          const char * const *names = dbw_csv_reader_get_header (reader);

          g_assert_nonnull (names);
          g_assert_cmpuint (g_strv_length ((char **) names), ==, dbw_csv_reader_get_n_columns (reader));
          g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, 0);
          g_string_append (out, "H: ");
          append_fields (out, names, dbw_csv_reader_get_n_columns (reader));
        }
    }

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      gboolean ok = dbw_csv_reader_next_record (reader, &fields, NULL, &error);

      if (!ok && error == NULL)
        {
          g_assert_null (fields);
          break;
        }

      /* Every record read or rejected counts, one at a time. */
      g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, last_record + 1);
      last_record++;

      if (ok)
        {
          g_assert_no_error (error);
          g_assert_nonnull (fields);
          g_string_append_printf (out, "L%" G_GUINT64_FORMAT ": ", dbw_csv_reader_get_line (reader));
          append_fields (out, (const char * const *) fields->pdata, fields->len);
        }
      else
        {
          g_assert_error (error, DBW_CSV_ERROR, error->code);
          g_assert_null (fields);
          g_string_append_printf (out, "L%" G_GUINT64_FORMAT " E%d: %s\n",
                                  dbw_csv_reader_get_line (reader), error->code, error->message);
          g_clear_error (&error);
        }
    }

  /* The end is sticky. */
  g_assert_false (dbw_csv_reader_next_record (reader, NULL, NULL, &error));
  g_assert_no_error (error);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const gsize chunk_sizes[] = { 1, 2, 3, 5, 7, 64, 65536 };

/* Checks that @data reads as @expected whatever the read sizes. */
static void
assert_reads_as (const char *data,
                 gssize      len,
                 gunichar    delimiter,
                 gboolean    header,
                 const char *expected)
{
  if (len < 0)
    len = strlen (data);

  for (guint i = 0; i < G_N_ELEMENTS (chunk_sizes); i++)
    {
      g_autoptr(DbwCsvReader) reader = reader_new (data, len, chunk_sizes[i], delimiter);
      g_autofree char *rendered = render_reader (reader, header);

      if (g_strcmp0 (rendered, expected) != 0)
        g_test_message ("chunk size %" G_GSIZE_FORMAT, chunk_sizes[i]);
      g_assert_cmpstr (rendered, ==, expected);
      g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), ==, len);
    }
}

static void
test_csv_simple (void)
{
  g_autoptr(DbwCsvReader) reader = reader_new ("id,name,value\n1,alpha,0.5\n2,beta,1.5\n", -1, 65536, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_csv_reader_get_delimiter (reader), ==, ',');
  g_assert_cmpuint (dbw_csv_reader_get_n_columns (reader), ==, 3);
  g_assert_cmpstr (dbw_csv_reader_get_header (reader)[0], ==, "id");
  g_assert_cmpstr (dbw_csv_reader_get_header (reader)[2], ==, "value");
  g_assert_null (dbw_csv_reader_get_header (reader)[3]);
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 1);
  g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), ==, strlen ("id,name,value\n"));

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fields->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fields, 0), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, "alpha");
  g_assert_cmpstr (g_ptr_array_index (fields, 2), ==, "0.5");
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 2);
  g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, 1);
  g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), ==, strlen ("id,name,value\n1,alpha,0.5\n"));
  g_clear_pointer (&fields, g_ptr_array_unref);

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, "beta");
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 3);
  g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, 2);
  g_clear_pointer (&fields, g_ptr_array_unref);

  g_assert_false (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);

  assert_reads_as ("id,name,value\n1,alpha,0.5\n2,beta,1.5\n", -1, ',', TRUE,
                   "H: id|name|value\n"
                   "L2: 1|alpha|0.5\n"
                   "L3: 2|beta|1.5\n");
}

static void
test_csv_empty_fields (void)
{
  /* Empty fields anywhere, a last line with no line break, a trailing delimiter. */
  assert_reads_as ("a,b,c\n,,\n1,,3\n,2,\n4,5,", -1, ',', TRUE,
                   "H: a|b|c\n"
                   "L2: ||\n"
                   "L3: 1||3\n"
                   "L4: |2|\n"
                   "L5: 4|5|\n");
  assert_reads_as ("a,b\n1,\"\"", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|\n");
}

static void
test_csv_bom (void)
{
  g_autoptr(DbwCsvReader) reader = reader_new ("\xEF\xBB\xBFid;name\n1;x\n", -1, 65536, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);
  /* The mark is neither part of the first name nor in the way of sniffing. */
  g_assert_cmpstr (dbw_csv_reader_get_header (reader)[0], ==, "id");
  g_assert_cmpuint (dbw_csv_reader_get_delimiter (reader), ==, ';');

  assert_reads_as ("\xEF\xBB\xBFid,name\n1,x\n", -1, ',', TRUE,
                   "H: id|name\n"
                   "L2: 1|x\n");
  /* Only a mark, nothing else. */
  assert_reads_as ("\xEF\xBB\xBF", -1, ',', TRUE,
                   "H E5: test.csv is empty: it has no header line\n");
  /* A mark in a later field is text. */
  assert_reads_as ("a,b\n1,\xEF\xBB\xBFx\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|\xEF\xBB\xBFx\n");
}

static void
test_csv_line_endings (void)
{
  assert_reads_as ("a,b\r\n1,2\r\n3,4\r\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|2\n"
                   "L3: 3|4\n");
  assert_reads_as ("a,b\r1,2\r3,4", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|2\n"
                   "L3: 3|4\n");
  /* Mixed endings; each of CRLF, LF and CR is one line. */
  assert_reads_as ("a,b\r\n1,2\n3,4\r5,6\r\n\r\n7,8\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|2\n"
                   "L3: 3|4\n"
                   "L4: 5|6\n"
                   "L6: 7|8\n");
  /* A CR and a LF from different line breaks ("\n\r") are two lines. */
  assert_reads_as ("a,b\n\r1,2\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L3: 1|2\n");
}

static void
test_csv_quoted_fields (void)
{
  assert_reads_as ("id,text,n\n"
                   "1,\"hello, world\",2\n"
                   "3,\"she said \"\"hi\"\"\",4\n"
                   "5,\"two\nlines\",6\n"
                   "7,\"crlf\r\ninside\",8\n"
                   "9,\"\"\"\",10\n"
                   "\"11\",\"\",\"12\"\n",
                   -1, ',', TRUE,
                   "H: id|text|n\n"
                   "L2: 1|hello, world|2\n"
                   "L3: 3|she said \"hi\"|4\n"
                   "L4: 5|two\\nlines|6\n"
                   "L6: 7|crlf\\r\\ninside|8\n"
                   "L8: 9|\"|10\n"
                   "L9: 11||12\n");

  /* A quoted field with several line breaks of each kind, then the line numbers after. */
  assert_reads_as ("a,b\n\"x\r\n\ny\r\rz\",1\n2,3\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: x\\r\\n\\ny\\r\\rz|1\n"
                   "L7: 2|3\n");

  /* A CR, a doubled quote, then a LF: two line breaks, not one CRLF. */
  assert_reads_as ("a,b\n\"x\r\"\"\ny\",1\n2,3\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: x\\r\"\\ny|1\n"
                   "L5: 2|3\n");
}

static void
test_csv_lenient_quotes (void)
{
  /* Like Python's csv: a quote that does not open a field is text, doubled or not. */
  assert_reads_as ("a,b,c\n"
                   "1,5\" screen,x\n"
                   "2,ab\"\"c,y\n"
                   "3, \"spaced\",z\n",
                   -1, ',', TRUE,
                   "H: a|b|c\n"
                   "L2: 1|5\" screen|x\n"
                   "L3: 2|ab\"\"c|y\n"
                   "L4: 3| \"spaced\"|z\n");
}

static void
test_csv_bad_quote (void)
{
  assert_reads_as ("a,b,c\n"
                   "1,\"ab\"c,3\n"
                   "4,5,6\n"
                   /* The bad record goes on into a quoted field over two lines. */
                   "7,\"x\"y,\"multi\nline\"\n"
                   "8,9,10\n",
                   -1, ',', TRUE,
                   "H: a|b|c\n"
                   "L2 E2: test.csv, line 2, field 2 (“b”): text follows the closing quote; a quote inside a quoted field must be doubled (\"\")\n"
                   "L3: 4|5|6\n"
                   "L4 E2: test.csv, line 4, field 2 (“b”): text follows the closing quote; a quote inside a quoted field must be doubled (\"\")\n"
                   "L6: 8|9|10\n");
}

static void
test_csv_sniff (void)
{
  struct {
    const char *data;
    gunichar    delimiter;
    guint       n_columns;
  } cases[] = {
    { "a;b;c\n1;2,5;3\n4;5,5;6\n", ';', 3 },
    { "name\tdescription\nx\thello, world\ny\tone, two, three\n", '\t', 2 },
    { "a|b\n1|2\n", '|', 2 },
    { "a,b,c\n1,2,3\n", ',', 3 },
    /* One column: nothing splits it, comma by default. */
    { "value\n1\n2\n", ',', 1 },
    /* Delimiters inside quotes do not count. */
    { "a;b\n\"1,2,3\";x\n\"4,5,6\";y\n", ';', 2 },
    /* Ragged rows still point at the delimiter the header uses. */
    { "a;b;c;d\n1;2;3;4\n5;6\n7;8;9;10\n", ';', 4 },
    /* A header alone. */
    { "a\tb\tc", '\t', 3 },
    /* Both split every line evenly: more columns wins. */
    { "a,b;c;d\n1,2;3;4\n", ';', 3 },
    /* European decimals: commas in the values, semicolons between them. */
    { "name;value\nx;1,5\ny;2,25\n", ';', 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DbwCsvReader) reader = reader_new (cases[i].data, -1, 1, 0);
      g_autoptr(GError) error = NULL;

      g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (dbw_csv_reader_get_delimiter (reader), ==, cases[i].delimiter);
      g_assert_cmpuint (dbw_csv_reader_get_n_columns (reader), ==, cases[i].n_columns);
    }

  assert_reads_as ("a;b;c\n1;2,5;3\n", -1, 0, TRUE,
                   "H: a|b|c\n"
                   "L2: 1|2,5|3\n");
  assert_reads_as ("a\tb\n\"x\ty\"\tz\n", -1, 0, TRUE,
                   "H: a|b\n"
                   "L2: x\ty|z\n");
}

static void
test_csv_explicit_delimiter (void)
{
  /* The data looks comma separated, but the caller knows better. */
  assert_reads_as ("a,b;c,d\n1,2;3,4\n", -1, ';', TRUE,
                   "H: a,b|c,d\n"
                   "L2: 1,2|3,4\n");
}

static void
test_csv_ragged_rows (void)
{
  assert_reads_as ("a,b,c\n"
                   "1,2,3\n"
                   "4,5\n"
                   "6,7,8\n"
                   "9,10,11,12\n"
                   "\"multi\nline\",x\n"
                   "13,14,15\n"
                   "16\n",
                   -1, ',', TRUE,
                   "H: a|b|c\n"
                   "L2: 1|2|3\n"
                   "L3 E3: test.csv, line 3: 2 fields, expected 3\n"
                   "L4: 6|7|8\n"
                   "L5 E3: test.csv, line 5: 4 fields, expected 3\n"
                   "L6 E3: test.csv, line 6: 2 fields, expected 3\n"
                   "L8: 13|14|15\n"
                   "L9 E3: test.csv, line 9: 1 field, expected 3\n");

  /* Without a header, the first record sets the width. */
  assert_reads_as ("1,2\n3\n4,5\n", -1, ',', FALSE,
                   "L1: 1|2\n"
                   "L2 E3: test.csv, line 2: 1 field, expected 2\n"
                   "L3: 4|5\n");
}

static void
test_csv_invalid_utf8 (void)
{
  assert_reads_as ("a,b\n"
                   "1,caf\xC3\xA9\n"
                   "2,caf\xE9\n"
                   "3,ok\n"
                   "\"multi\nline\xFF\",4\n"
                   "5,nul\0byte\n"
                   "6,end\n",
                   strlen ("a,b\n1,caf\xC3\xA9\n2,caf\xE9\n3,ok\n\"multi\nline\xFF\",4\n5,nul") + strlen ("byte\n6,end\n") + 1,
                   ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|caf\xC3\xA9\n"
                   "L3 E0: test.csv, line 3, field 2 (“b”): the text is not valid UTF-8; save the file as UTF-8 and import it again\n"
                   "L4: 3|ok\n"
                   /* The bad byte is on the field's second line. */
                   "L5 E0: test.csv, line 6, field 1 (“a”): the text is not valid UTF-8; save the file as UTF-8 and import it again\n"
                   "L7 E0: test.csv, line 7, field 2 (“b”): contains a NUL byte; this looks like a binary file, not CSV text\n"
                   "L8: 6|end\n");

  /* A character split over two reads is fine: covered by the chunk sizes above, and
   * in the header too. */
  assert_reads_as ("\xE2\x82\xAC,\xF0\x9F\x98\x80\n1,2\n", -1, ',', TRUE,
                   "H: \xE2\x82\xAC|\xF0\x9F\x98\x80\n"
                   "L2: 1|2\n");

  /* In the header, the field has no name yet. */
  assert_reads_as ("a,\xC0\xAF\n1,2\n", -1, ',', TRUE,
                   "H E0: test.csv, line 1, field 2: the text is not valid UTF-8; save the file as UTF-8 and import it again\n"
                   "L2: 1|2\n");
}

static void
test_csv_utf16 (void)
{
  static const char utf16le[] = "\xFF\xFE" "a\0,\0b\0\n\0";
  g_autoptr(DbwCsvReader) reader = reader_new (utf16le, sizeof utf16le - 1, 65536, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_error (error, DBW_CSV_ERROR, DBW_CSV_ERROR_INVALID_UTF8);
  g_assert_cmpstr (error->message, ==, "test.csv is UTF-16 text; save it as UTF-8 and import it again");
  g_clear_error (&error);

  g_assert_false (dbw_csv_reader_next_record (reader, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_csv_unterminated_quote (void)
{
  assert_reads_as ("a,b\n"
                   "1,2\n"
                   "3,\"never closed\n"
                   "4,5\n"
                   "6,7\n",
                   -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: 1|2\n"
                   "L3 E1: test.csv, line 3, field 2 (“b”): the quoted field that starts here is never closed\n");

  /* A quote as the very last byte. */
  assert_reads_as ("a,b\n1,\"", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2 E1: test.csv, line 2, field 2 (“b”): the quoted field that starts here is never closed\n");

  /* An earlier problem in the record does not hide it. */
  assert_reads_as ("a,b\n\"x\"y,\"z\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2 E1: test.csv, line 2, field 2 (“b”): the quoted field that starts here is never closed\n");
}

static void
test_csv_empty_lines (void)
{
  assert_reads_as ("\n\r\n"
                   "a,b\n"
                   "\n"
                   "1,2\n"
                   "\r\n\r\n"
                   "3,4\n"
                   "\n\n",
                   -1, ',', TRUE,
                   "H: a|b\n"
                   "L5: 1|2\n"
                   "L8: 3|4\n");

  /* A line of delimiters, or a quoted empty field, is not an empty line. */
  assert_reads_as ("a\n\"\"\n\nx\n", -1, ',', TRUE,
                   "H: a\n"
                   "L2: \n"
                   "L4: x\n");
  assert_reads_as ("a,b\n,\n", -1, ',', TRUE,
                   "H: a|b\n"
                   "L2: |\n");
}

static void
test_csv_empty_input (void)
{
  assert_reads_as ("", -1, ',', TRUE,
                   "H E5: test.csv is empty: it has no header line\n");
  assert_reads_as ("\n\r\n\r", -1, 0, TRUE,
                   "H E5: test.csv is empty: it has no header line\n");
  assert_reads_as ("", -1, ',', FALSE, "");
}

static void
test_csv_header_names (void)
{
  g_autoptr(DbwCsvReader) reader = reader_new ("id,, value ,value,Value,value,column_2,,column_2_2\n"
                                               "1,2,3,4,5,6,7,8,9\n",
                                               -1, 3, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  const char * const *names;
  static const char *expected[] = {
    "id", "column_2_3", "value", "value_2", "Value_3", "value_4", "column_2", "column_8", "column_2_2", NULL,
  };

  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);
  names = dbw_csv_reader_get_header (reader);
  g_assert_cmpstrv (names, expected);
  g_assert_cmpuint (dbw_csv_reader_get_n_columns (reader), ==, 9);

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_cmpuint (fields->len, ==, 9);
  g_assert_cmpstr (g_ptr_array_index (fields, 8), ==, "9");
}

/* Each repeated name takes the next free suffix, found without trying the taken ones again. */
static void
test_csv_header_many_repeats (void)
{
  const guint n = 20000;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *names;

  for (guint i = 0; i < n; i++)
    g_string_append (csv, i == 0 ? "x" : i == 2 ? ",x_3" : ",x");
  g_string_append (csv, "\n");
  reader = reader_new (csv->str, -1, 65536, 0);
  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);
  names = dbw_csv_reader_get_header (reader);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, n);
  g_assert_cmpstr (names[0], ==, "x");
  g_assert_cmpstr (names[1], ==, "x_2");
  g_assert_cmpstr (names[2], ==, "x_3");
  g_assert_cmpstr (names[3], ==, "x_4");
  g_assert_cmpstr (names[n - 1], ==, "x_20000");
}

static void
test_csv_no_header (void)
{
  g_autoptr(DbwCsvReader) reader = reader_new ("1,2,3\n4,5,6\n", -1, 65536, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  g_assert_null (dbw_csv_reader_get_header (reader));
  g_assert_cmpuint (dbw_csv_reader_get_n_columns (reader), ==, 0);
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 0);

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, 1);
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 1);
  g_assert_cmpuint (dbw_csv_reader_get_n_columns (reader), ==, 3);
  g_assert_null (dbw_csv_reader_get_header (reader));
}

static void
test_csv_chunk_boundaries (void)
{
  /* Read sizes from 1 to 24 put a boundary at every spot of this input at least
   * once: inside quoted fields, between a quote and its double, between the closing
   * quote and the delimiter, inside every CRLF, and inside multi-byte characters. */
  static const char data[] =
    "id,text,note\r\n"
    "1,\"quoted, with \"\"doubles\"\"\r\nand a CRLF\",\"\xC3\xA9t\xC3\xA9\"\r\n"
    "2,plain,\"\"\r\n"
    "\r\n"
    "3,\"\"\"\",\"x\ry\"\r\n"
    "4,\xE2\x82\xAC,last";
  static const char expected[] =
    "H: id|text|note\n"
    "L2: 1|quoted, with \"doubles\"\\r\\nand a CRLF|\xC3\xA9t\xC3\xA9\n"
    "L4: 2|plain|\n"
    "L6: 3|\"|x\\ry\n"
    "L8: 4|\xE2\x82\xAC|last\n";

  for (gsize chunk = 1; chunk <= 24; chunk++)
    {
      for (guint sniff = 0; sniff < 2; sniff++)
        {
          g_autoptr(DbwCsvReader) reader = reader_new (data, sizeof data - 1, chunk, sniff ? 0 : ',');
          g_autofree char *rendered = render_reader (reader, TRUE);

          g_assert_cmpstr (rendered, ==, expected);
          g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), ==, sizeof data - 1);
        }
    }
}

static void
test_csv_big_input (void)
{
  const guint n_rows = 200000;
  g_autoptr(GString) data = g_string_new ("id,name,value,note\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint64 expected_line = 2;
  guint64 last_bytes = 0;
  guint n = 0;

  for (guint i = 0; i < n_rows; i++)
    {
      if (i % 10 == 0)
        g_string_append_printf (data, "%u,name %u,%u.5,\"note, with \"\"quotes\"\"\nand a line\"\n", i, i, i);
      else
        g_string_append_printf (data, "%u,name %u,%u.5,\n", i, i, i);
    }

  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = dbw_csv_reader_new (stream, "big.csv");

  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);

  /* Streaming: one chunk was read for the header, not the whole input. */
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (stream)), <=, 64 * 1024);

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autofree char *id = NULL;

      if (!dbw_csv_reader_next_record (reader, &fields, NULL, &error))
        break;

      id = g_strdup_printf ("%u", n);
      g_assert_cmpuint (fields->len, ==, 4);
      g_assert_cmpstr (g_ptr_array_index (fields, 0), ==, id);
      if (n % 10 == 0)
        g_assert_cmpstr (g_ptr_array_index (fields, 3), ==, "note, with \"quotes\"\nand a line");
      else
        g_assert_cmpstr (g_ptr_array_index (fields, 3), ==, "");
      g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, expected_line);
      g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), >, last_bytes);

      expected_line += n % 10 == 0 ? 2 : 1;
      last_bytes = dbw_csv_reader_get_bytes_read (reader);
      n++;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_rows);
  g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, n_rows);
  g_assert_cmpuint (dbw_csv_reader_get_bytes_read (reader), ==, data->len);
}

static void
test_csv_too_large (void)
{
  gsize big = DBW_CSV_MAX_FIELD_SIZE + 1;
  g_autoptr(GString) data = g_string_sized_new (big + 64);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  g_string_append (data, "a,b\n1,\"");
  g_string_set_size (data, data->len + big);
  memset (data->str + data->len - big, 'x', big);
  g_string_append (data, "\"\n2,ok\n");

  stream = chunked_stream_new (data->str, data->len, 65536);
  reader = dbw_csv_reader_new (stream, "huge.csv");

  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_false (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_error (error, DBW_CSV_ERROR, DBW_CSV_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "huge.csv, line 2, field 2 (“b”): the field is larger than 64 MiB");
  g_assert_null (fields);
  g_clear_error (&error);

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, "ok");
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 3);
  g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, 2);
}

static void
test_csv_cancelled (void)
{
  g_autoptr(DbwCsvReader) reader = reader_new ("a,b\n1,2\n", -1, 65536, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (dbw_csv_reader_read_header (reader, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Nothing was lost: reading again without the cancelled cancellable works. */
  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_csv_reader_get_header (reader)[1], ==, "b");
}

static void
test_csv_io_error_resumes (void)
{
  static const char data[] = "a,b\n1,\"two\nlines\"\n3,4\n";
  g_autoptr(GInputStream) stream = chunked_stream_new (data, sizeof data - 1, 4);
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  /* Fail in the middle of the quoted field. */
  TEST_CHUNKED_STREAM (stream)->fail_at = 9;
  reader = dbw_csv_reader_new (stream, "flaky.csv");
  dbw_csv_reader_set_delimiter (reader, ',');

  g_assert_true (dbw_csv_reader_read_header (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, "two\nlines");
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 2);
  g_assert_cmpuint (dbw_csv_reader_get_record_number (reader), ==, 1);
  g_clear_pointer (&fields, g_ptr_array_unref);

  g_assert_true (dbw_csv_reader_next_record (reader, &fields, NULL, &error));
  g_assert_cmpstr (g_ptr_array_index (fields, 0), ==, "3");
  g_assert_cmpuint (dbw_csv_reader_get_line (reader), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/simple", test_csv_simple);
  g_test_add_func ("/csv/empty-fields", test_csv_empty_fields);
  g_test_add_func ("/csv/bom", test_csv_bom);
  g_test_add_func ("/csv/line-endings", test_csv_line_endings);
  g_test_add_func ("/csv/quoted-fields", test_csv_quoted_fields);
  g_test_add_func ("/csv/lenient-quotes", test_csv_lenient_quotes);
  g_test_add_func ("/csv/bad-quote", test_csv_bad_quote);
  g_test_add_func ("/csv/sniff", test_csv_sniff);
  g_test_add_func ("/csv/explicit-delimiter", test_csv_explicit_delimiter);
  g_test_add_func ("/csv/ragged-rows", test_csv_ragged_rows);
  g_test_add_func ("/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/csv/utf16", test_csv_utf16);
  g_test_add_func ("/csv/unterminated-quote", test_csv_unterminated_quote);
  g_test_add_func ("/csv/empty-lines", test_csv_empty_lines);
  g_test_add_func ("/csv/empty-input", test_csv_empty_input);
  g_test_add_func ("/csv/header/unique-names", test_csv_header_names);
  g_test_add_func ("/csv/header/many-repeats", test_csv_header_many_repeats);
  g_test_add_func ("/csv/no-header", test_csv_no_header);
  g_test_add_func ("/csv/chunk-boundaries", test_csv_chunk_boundaries);
  g_test_add_func ("/csv/big-input", test_csv_big_input);
  g_test_add_func ("/csv/too-large", test_csv_too_large);
  g_test_add_func ("/csv/cancelled", test_csv_cancelled);
  g_test_add_func ("/csv/io-error-resumes", test_csv_io_error_resumes);

  return g_test_run ();
}
