/* dbw-csv-reader.c
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

#define G_LOG_DOMAIN "dbw-csv-reader"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dbw-csv-reader.h"

/* DbwCsvReader reads RFC 4180 CSV from a GInputStream, one record at a time, in
 * constant memory: the input goes through one 64 KiB buffer and only the record being
 * read is kept. The parser is a small state machine whose whole state lives in the
 * object, so a record, a quoted field or a CRLF may straddle any number of reads.
 *
 * It is lenient where Python's csv module is (a quote inside an unquoted field is
 * kept as text) and strict where leniency would hide damage (text after a closing
 * quote, invalid UTF-8, a record with the wrong number of fields). After a bad record
 * it carries on at the next line break outside quotes, so an importer can list every
 * rejected row in one pass. Fully empty lines are skipped.
 *
 * Blocking: every call that reads may block on the stream; run imports in a worker
 * thread. A reader belongs to one thread at a time. */

#define READ_CHUNK_SIZE   (64 * 1024)
#define SNIFF_MAX_LINES   100
/* What one field costs beyond its text (the pointer, the allocation), charged against
 * DBW_CSV_MAX_RECORD_SIZE so a line of a million commas is bounded too. */
#define FIELD_OVERHEAD    64
/* A field buffer grown past this by one huge field is given back afterwards. */
#define FIELD_KEEP_SIZE   (1024 * 1024)

typedef enum
{
  STATE_RECORD_START,
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTED_QUOTE,
} ParseState;

struct _DbwCsvReader
{
  GObject       parent_instance;

  GInputStream *stream;
  char         *display_name;

  /* Input: buffer[buffer_pos..buffer_len) is still to parse; buffer_offset is the
   * position of buffer[0] in the input. */
  guint8       *buffer;
  gsize         buffer_pos;
  gsize         buffer_len;
  guint64       buffer_offset;

  /* Bytes that end an unquoted field: the delimiter, CR and LF. */
  guint8        special[256];
  char          delimiter;

  char        **header;
  guint         n_columns;

  /* The record being read. */
  ParseState    state;
  GPtrArray    *fields;
  GString      *field;
  const guint8 *pending;
  gsize         pending_len;
  GError       *record_error;
  gsize         record_size;
  guint         n_fields;
  guint64       field_line;
  guint64       record_line;
  guint64       record_number;

  /* The physical line of buffer_pos. */
  guint64       line;

  guint         delimiter_set : 1;
  guint         started : 1;
  guint         eof : 1;
  guint         finished : 1;
  guint         prev_cr : 1;
  guint         reading_header : 1;
  /* Set once the record is known to be rejected: the rest of it is parsed (to find
   * where it ends) but not kept. */
  guint         discard : 1;
};

G_DEFINE_FINAL_TYPE (DbwCsvReader, dbw_csv_reader, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-csv-error-quark, dbw_csv_error)

enum {
  PROP_0,
  PROP_STREAM,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Bytes that interrupt a run of quoted text. */
static const guint8 quoted_special[256] = {
  ['"'] = 1,
  ['\r'] = 1,
  ['\n'] = 1,
};

static void record_fail (DbwCsvReader *self,
                         DbwCsvError   code,
                         const char   *format,
                         ...) G_GNUC_PRINTF (3, 4);

static void
record_fail (DbwCsvReader *self,
             DbwCsvError   code,
             const char   *format,
             ...)
{
  va_list args;

  self->discard = TRUE;
  self->pending = NULL;
  self->pending_len = 0;

  /* The first problem in a record is the one reported. */
  if (self->record_error != NULL)
    return;

  va_start (args, format);
  self->record_error = g_error_new_valist (DBW_CSV_ERROR, code, format, args);
  va_end (args);
}

/* "field 3" or, once the header is known, "field 3 (“temperature”)"; index is 0-based. */
static char *
describe_field (DbwCsvReader *self,
                guint         index)
{
  if (self->header != NULL && index < self->n_columns)
    return g_strdup_printf (_("field %u (“%s”)"), index + 1, self->header[index]);

  return g_strdup_printf (_("field %u"), index + 1);
}

static guint64
count_line_breaks (const char *text,
                   gsize       len)
{
  guint64 n = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\r')
        n++;
      else if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
        n++;
    }

  return n;
}

static void
field_too_large (DbwCsvReader *self)
{
  g_autofree char *field = describe_field (self, self->n_fields);

  record_fail (self, DBW_CSV_ERROR_TOO_LARGE,
               _("%s, line %lu, %s: the field is larger than %u MiB"),
               self->display_name, (gulong) self->field_line, field,
               (guint) (DBW_CSV_MAX_FIELD_SIZE / (1024 * 1024)));
}

static void
record_too_large (DbwCsvReader *self)
{
  record_fail (self, DBW_CSV_ERROR_TOO_LARGE,
               _("%s, line %lu: the record is larger than %u MiB"),
               self->display_name, (gulong) self->record_line,
               (guint) (DBW_CSV_MAX_RECORD_SIZE / (1024 * 1024)));
}

/* A field's text is self->field followed by self->pending, a run of it still in the
 * buffer. Most fields never leave the buffer and are copied once, straight into the
 * record; the run is moved into self->field only before the buffer is refilled or
 * when the text stops being contiguous (a doubled quote). */
static inline void
flush_pending (DbwCsvReader *self)
{
  if (self->pending_len > 0)
    g_string_append_len (self->field, (const char *) self->pending, self->pending_len);

  self->pending = NULL;
  self->pending_len = 0;
}

static inline void
append (DbwCsvReader *self,
        const guint8 *data,
        gsize         len)
{
  gsize field_len;

  if (len == 0 || self->discard)
    return;

  if (self->pending != NULL && self->pending + self->pending_len == data)
    {
      self->pending_len += len;
    }
  else
    {
      flush_pending (self);
      self->pending = data;
      self->pending_len = len;
    }

  field_len = self->field->len + self->pending_len;

  if (G_UNLIKELY (field_len > DBW_CSV_MAX_FIELD_SIZE))
    field_too_large (self);
  else if (G_UNLIKELY (self->record_size + field_len > DBW_CSV_MAX_RECORD_SIZE))
    record_too_large (self);
}

/* TRUE when every byte is in 1…127: valid UTF-8 with no NUL, checked eight bytes at a
 * time. (A NUL or a byte ≥ 0x80 sets a high bit of (v - 0x01…) | v; the borrow may
 * flag a neighbour too, which only sends the text to the full check.) */
static inline gboolean
is_plain_ascii (const char *text,
                gsize       len)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 acc = 0;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 v;

      memcpy (&v, text + i, 8);
      acc |= (v - ones) | v;
    }

  for (; i < len; i++)
    acc |= (guint8) text[i] == 0 ? 0x80 : (guint8) text[i];

  return (acc & highs) == 0;
}

static gboolean
validate_field (DbwCsvReader *self,
                const char   *text,
                gsize         len)
{
  g_autofree char *field = NULL;
  const char *invalid = NULL;
  guint64 line;

  if (G_LIKELY (is_plain_ascii (text, len) || g_utf8_validate_len (text, len, &invalid)))
    return TRUE;

  /* Name the physical line of the offending byte, which differs from the record's
   * first line when a quoted field spans lines. */
  line = self->field_line + count_line_breaks (text, invalid - text);
  field = describe_field (self, self->n_fields);

  if (*invalid == '\0')
    record_fail (self, DBW_CSV_ERROR_INVALID_UTF8,
                 _("%s, line %lu, %s: contains a NUL byte; this looks like a binary file, not CSV text"),
                 self->display_name, (gulong) line, field);
  else
    record_fail (self, DBW_CSV_ERROR_INVALID_UTF8,
                 _("%s, line %lu, %s: the text is not valid UTF-8; save the file as UTF-8 and import it again"),
                 self->display_name, (gulong) line, field);

  return FALSE;
}

static inline void
begin_field (DbwCsvReader *self)
{
  self->field_line = self->line;
  self->field->len = 0;
  self->field->str[0] = '\0';
  self->pending = NULL;
  self->pending_len = 0;
}

static void
end_field (DbwCsvReader *self)
{
  if (!self->discard)
    {
      const char *text;
      gsize len;

      if (self->field->len == 0)
        {
          text = (const char *) self->pending;
          len = self->pending_len;
        }
      else
        {
          flush_pending (self);
          text = self->field->str;
          len = self->field->len;
        }

      if (text == NULL)
        text = "";

      if (validate_field (self, text, len))
        {
          self->record_size += len + FIELD_OVERHEAD;
          if (G_UNLIKELY (self->record_size > DBW_CSV_MAX_RECORD_SIZE))
            {
              record_too_large (self);
            }
          else
            {
              char *copy = g_malloc (len + 1);

              memcpy (copy, text, len);
              copy[len] = '\0';
              g_ptr_array_add (self->fields, copy);
            }
        }
    }

  self->pending = NULL;
  self->pending_len = 0;

  if (self->n_fields < G_MAXUINT)
    self->n_fields++;

  /* Too many fields: the record is rejected, so stop keeping them, but go on
   * counting for the message. */
  if (!self->reading_header && self->n_columns > 0 && self->n_fields > self->n_columns)
    self->discard = TRUE;
}

static void
begin_record (DbwCsvReader *self)
{
  self->record_line = self->line;
  if (!self->reading_header)
    self->record_number++;

  self->prev_cr = FALSE;
  self->n_fields = 0;
  self->record_size = 0;
  self->discard = FALSE;
  g_clear_error (&self->record_error);

  if (self->fields == NULL)
    self->fields = g_ptr_array_new_full (MAX (self->n_columns, 8), g_free);

  if (self->field->allocated_len > FIELD_KEEP_SIZE)
    {
      g_string_free (self->field, TRUE);
      self->field = g_string_sized_new (256);
    }

  begin_field (self);
}

static void
bad_quote (DbwCsvReader *self)
{
  g_autofree char *field = describe_field (self, self->n_fields);

  record_fail (self, DBW_CSV_ERROR_BAD_QUOTE,
               _("%s, line %lu, %s: text follows the closing quote; a quote inside a quoted field must be doubled (\"\")"),
               self->display_name, (gulong) self->line, field);
}

/* Parses the buffered input. Returns TRUE when a record ended, FALSE when the buffer
 * ran out first (the state is kept for the next chunk). */
static gboolean
scan_buffer (DbwCsvReader *self)
{
  const guint8 *p = self->buffer + self->buffer_pos;
  const guint8 *end = self->buffer + self->buffer_len;
  const guint8 *special = self->special;
  const guint8 delimiter = (guint8) self->delimiter;

  while (p < end)
    {
      const guint8 *start;

      switch (self->state)
        {
        case STATE_RECORD_START:
          /* Line breaks here are empty lines, or the LF of a CRLF that ended the
           * previous record. */
          if (*p == '\n')
            {
              if (!self->prev_cr)
                self->line++;
              self->prev_cr = FALSE;
              p++;
            }
          else if (*p == '\r')
            {
              self->line++;
              self->prev_cr = TRUE;
              p++;
            }
          else
            {
              begin_record (self);
              self->state = STATE_FIELD_START;
            }
          break;

        case STATE_FIELD_START:
          if (*p == '"')
            {
              self->state = STATE_QUOTED;
              p++;
            }
          else
            {
              self->state = STATE_UNQUOTED;
            }
          break;

        case STATE_UNQUOTED:
          start = p;
          while (p < end && !special[*p])
            p++;
          append (self, start, p - start);
          if (p == end)
            break;
          end_field (self);
          if (*p != delimiter)
            goto end_of_record;
          p++;
          begin_field (self);
          self->state = STATE_FIELD_START;
          break;

        case STATE_QUOTED:
          start = p;
          while (p < end && !quoted_special[*p])
            p++;
          if (p > start)
            {
              append (self, start, p - start);
              self->prev_cr = FALSE;
            }
          if (p == end)
            break;
          if (*p == '"')
            {
              self->prev_cr = FALSE;
              self->state = STATE_QUOTED_QUOTE;
              p++;
              break;
            }
          /* A line break inside the field is part of its text. */
          if (*p == '\r' || !self->prev_cr)
            self->line++;
          self->prev_cr = (*p == '\r');
          append (self, p, 1);
          p++;
          break;

        case STATE_QUOTED_QUOTE:
          if (*p == '"')
            {
              append (self, p, 1);
              self->state = STATE_QUOTED;
              p++;
            }
          else if (*p == delimiter)
            {
              end_field (self);
              p++;
              begin_field (self);
              self->state = STATE_FIELD_START;
            }
          else if (*p == '\r' || *p == '\n')
            {
              end_field (self);
              goto end_of_record;
            }
          else
            {
              /* Reject the record, and read on as if the field were unquoted to find
               * where the record ends. */
              bad_quote (self);
              self->state = STATE_UNQUOTED;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* The buffer is about to be refilled. */
  flush_pending (self);
  self->buffer_pos = p - self->buffer;

  return FALSE;

end_of_record:
  /* p is at the CR or LF that ends the record; a LF after a CR is skipped as the
   * next record starts. */
  self->line++;
  self->prev_cr = (*p == '\r');
  self->state = STATE_RECORD_START;
  self->buffer_pos = p + 1 - self->buffer;

  return TRUE;
}

/* Picks the candidate that splits the first lines (outside quotes) into the same
 * number of fields, more than one; ties go to more fields, then to the order below. */
static char
sniff_delimiter (const guint8 *data,
                 gsize         len,
                 gboolean      complete)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  char best = ',';
  guint best_first = 1;
  guint best_lines = 0;
  guint best_matching = 0;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const guint8 delimiter = (guint8) candidates[i];
      gboolean in_quotes = FALSE;
      gsize line_start = 0;
      guint fields = 1;
      guint first = 0;
      guint lines = 0;
      guint matching = 0;
      gboolean better;

      for (gsize pos = 0; pos < len && lines < SNIFF_MAX_LINES; pos++)
        {
          if (data[pos] == '"')
            {
              in_quotes = !in_quotes;
            }
          else if (in_quotes)
            {
              continue;
            }
          else if (data[pos] == delimiter)
            {
              fields++;
            }
          else if (data[pos] == '\r' || data[pos] == '\n')
            {
              if (pos > line_start)
                {
                  if (lines++ == 0)
                    first = fields;
                  else if (fields == first)
                    matching++;
                }
              fields = 1;
              line_start = pos + 1;
            }
        }

      /* The last line counts if it is whole: at the end of the input, or when the
       * chunk holds nothing else. */
      if (line_start < len && lines < SNIFF_MAX_LINES && (complete || lines == 0))
        {
          if (lines++ == 0)
            first = fields;
          else if (fields == first)
            matching++;
        }

      if (first < 2)
        continue;

      /* Compare matching / (lines - 1) with the best so far; a lone line matches fully. */
      if (best_lines == 0)
        better = TRUE;
      else
        {
          guint64 mine = (lines > 1 ? matching : 1) * (guint64) (best_lines > 1 ? best_lines - 1 : 1);
          guint64 theirs = (best_lines > 1 ? best_matching : 1) * (guint64) (lines > 1 ? lines - 1 : 1);

          better = mine > theirs || (mine == theirs && first > best_first);
        }

      if (better)
        {
          best = (char) delimiter;
          best_first = first;
          best_lines = lines;
          best_matching = matching;
        }
    }

  return best;
}

/* Fills the buffer for the byte order mark and, unless the delimiter was given,
 * for sniffing; then sets up the parser. */
static gboolean
ensure_started (DbwCsvReader  *self,
                GCancellable  *cancellable,
                GError       **error)
{
  const guint8 *data;
  gsize want;
  gsize len;

  if (self->started)
    return TRUE;

  want = self->delimiter_set ? 3 : READ_CHUNK_SIZE;
  while (!self->eof && self->buffer_len < want)
    {
      gssize n = g_input_stream_read (self->stream,
                                      self->buffer + self->buffer_len,
                                      READ_CHUNK_SIZE - self->buffer_len,
                                      cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        self->eof = TRUE;
      self->buffer_len += n;
    }

  self->started = TRUE;

  data = self->buffer;
  len = self->buffer_len;

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      self->buffer_pos = 3;
    }
  else if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    {
      self->finished = TRUE;
      g_set_error (error, DBW_CSV_ERROR, DBW_CSV_ERROR_INVALID_UTF8,
                   _("%s is UTF-16 text; save it as UTF-8 and import it again"),
                   self->display_name);
      return FALSE;
    }

  if (!self->delimiter_set)
    self->delimiter = sniff_delimiter (data + self->buffer_pos, len - self->buffer_pos, self->eof);

  memset (self->special, 0, sizeof self->special);
  self->special['\r'] = 1;
  self->special['\n'] = 1;
  self->special[(guint8) self->delimiter] = 1;

  return TRUE;
}

static gboolean
finish_record (DbwCsvReader  *self,
               GPtrArray    **fields_out,
               GError       **error)
{
  if (self->record_error == NULL && !self->reading_header)
    {
      /* Without a header, the first record sets the expected width. */
      if (self->n_columns == 0)
        self->n_columns = self->n_fields;
      else if (self->n_fields != self->n_columns)
        record_fail (self, DBW_CSV_ERROR_FIELD_COUNT,
                     ngettext ("%s, line %lu: %u field, expected %u",
                               "%s, line %lu: %u fields, expected %u",
                               self->n_fields),
                     self->display_name, (gulong) self->record_line, self->n_fields, self->n_columns);
    }

  if (self->record_error != NULL)
    {
      g_ptr_array_set_size (self->fields, 0);
      g_propagate_error (error, g_steal_pointer (&self->record_error));
      return FALSE;
    }

  if (fields_out != NULL)
    *fields_out = g_steal_pointer (&self->fields);
  else
    g_ptr_array_set_size (self->fields, 0);

  return TRUE;
}

static gboolean
finish_at_eof (DbwCsvReader  *self,
               GPtrArray    **fields_out,
               GError       **error)
{
  g_autofree char *field = NULL;

  switch (self->state)
    {
    case STATE_RECORD_START:
      self->finished = TRUE;
      return FALSE;

    case STATE_QUOTED:
      /* Everything up to here went into the field, so there is nothing to go on with. */
      self->finished = TRUE;
      g_clear_error (&self->record_error);
      field = describe_field (self, self->n_fields);
      record_fail (self, DBW_CSV_ERROR_UNTERMINATED_QUOTE,
                   _("%s, line %lu, %s: the quoted field that starts here is never closed"),
                   self->display_name, (gulong) self->field_line, field);
      return finish_record (self, fields_out, error);

    case STATE_FIELD_START:
    case STATE_UNQUOTED:
    case STATE_QUOTED_QUOTE:
      /* The last line has no line break. */
      end_field (self);
      self->state = STATE_RECORD_START;
      return finish_record (self, fields_out, error);

    default:
      g_assert_not_reached ();
    }
}

static gboolean
read_record (DbwCsvReader  *self,
             GPtrArray    **fields_out,
             GCancellable  *cancellable,
             GError       **error)
{
  if (self->finished)
    return FALSE;

  if (!ensure_started (self, cancellable, error))
    return FALSE;

  for (;;)
    {
      gssize n;

      if (self->buffer_pos < self->buffer_len && scan_buffer (self))
        return finish_record (self, fields_out, error);

      if (self->eof)
        return finish_at_eof (self, fields_out, error);

      self->buffer_offset += self->buffer_len;
      self->buffer_pos = 0;
      self->buffer_len = 0;

      /* On failure the parser state is intact, so a later call goes on from here. */
      n = g_input_stream_read (self->stream, self->buffer, READ_CHUNK_SIZE, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        self->eof = TRUE;
      self->buffer_len = n;
    }
}

/* Header names are trimmed and made unique, ignoring case (SQL and Spark column
 * names ignore it): an empty name becomes "column_N" after its position, a repeated
 * one gets "_2", "_3"…, never taking a name that appears elsewhere in the header. */
static char **
make_header (GPtrArray *fields)
{
  g_autoptr(GHashTable) original = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* The suffix to try next for each name, so that a header of 20,000 "x" does not try
   * x_2… again for each of them. */
  g_autoptr(GHashTable) next_suffix = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char **names = g_new0 (char *, fields->len + 1);

  for (guint i = 0; i < fields->len; i++)
    {
      char *name = g_strstrip (g_ptr_array_index (fields, i));

      if (name[0] != '\0')
        g_hash_table_add (original, g_utf8_casefold (name, -1));
    }

  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = g_ptr_array_index (fields, i);
      g_autofree char *base = NULL;
      g_autofree char *key = NULL;
      char *candidate = NULL;

      if (name[0] != '\0')
        {
          key = g_utf8_casefold (name, -1);
          if (!g_hash_table_contains (taken, key))
            candidate = g_strdup (name);
          base = g_strdup (name);
        }
      else
        {
          base = g_strdup_printf ("column_%u", i + 1);
          key = g_utf8_casefold (base, -1);
          if (!g_hash_table_contains (taken, key) && !g_hash_table_contains (original, key))
            candidate = g_strdup (base);
        }

      if (candidate == NULL)
        {
          char *base_key = g_utf8_casefold (base, -1);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (next_suffix, base_key));

          for (n = MAX (n, 2); candidate == NULL; n++)
            {
              g_autofree char *attempt = g_strdup_printf ("%s_%u", base, n);

              g_free (key);
              key = g_utf8_casefold (attempt, -1);
              if (!g_hash_table_contains (taken, key) && !g_hash_table_contains (original, key))
                candidate = g_steal_pointer (&attempt);
            }
          g_hash_table_replace (next_suffix, base_key, GUINT_TO_POINTER (n));
        }

      g_hash_table_add (taken, g_steal_pointer (&key));
      names[i] = candidate;
    }

  return names;
}

static void
dbw_csv_reader_constructed (GObject *object)
{
  DbwCsvReader *self = (DbwCsvReader *)object;

  G_OBJECT_CLASS (dbw_csv_reader_parent_class)->constructed (object);

  g_assert (G_IS_INPUT_STREAM (self->stream));

  if (self->display_name == NULL)
    self->display_name = g_strdup (_("CSV data"));
}

static void
dbw_csv_reader_dispose (GObject *object)
{
  DbwCsvReader *self = (DbwCsvReader *)object;

  g_clear_object (&self->stream);

  G_OBJECT_CLASS (dbw_csv_reader_parent_class)->dispose (object);
}

static void
dbw_csv_reader_finalize (GObject *object)
{
  DbwCsvReader *self = (DbwCsvReader *)object;

  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->header, g_strfreev);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_string_free (self->field, TRUE);
  g_clear_error (&self->record_error);

  G_OBJECT_CLASS (dbw_csv_reader_parent_class)->finalize (object);
}

static void
dbw_csv_reader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwCsvReader *self = DBW_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_csv_reader_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwCsvReader *self = DBW_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;

    case PROP_DISPLAY_NAME:
      self->display_name = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_csv_reader_class_init (DbwCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dbw_csv_reader_constructed;
  object_class->dispose = dbw_csv_reader_dispose;
  object_class->finalize = dbw_csv_reader_finalize;
  object_class->get_property = dbw_csv_reader_get_property;
  object_class->set_property = dbw_csv_reader_set_property;

  properties [PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL,
                         G_TYPE_INPUT_STREAM,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_csv_reader_init (DbwCsvReader *self)
{
  self->buffer = g_malloc (READ_CHUNK_SIZE);
  self->field = g_string_sized_new (256);
  self->delimiter = ',';
  self->line = 1;
  self->state = STATE_RECORD_START;
}

/**
 * dbw_csv_reader_new:
 * @stream: the CSV bytes; the reader reads it but does not close it
 * @display_name: (nullable): what to call the input in error messages, such as
 *   the file's name "readings.csv"
 *
 * Returns: (transfer full): a reader positioned at the start of @stream
 */
DbwCsvReader *
dbw_csv_reader_new (GInputStream *stream,
                    const char   *display_name)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (DBW_TYPE_CSV_READER,
                       "stream", stream,
                       "display-name", display_name,
                       NULL);
}

GInputStream *
dbw_csv_reader_get_stream (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), NULL);

  return self->stream;
}

const char *
dbw_csv_reader_get_display_name (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), NULL);

  return self->display_name;
}

/**
 * dbw_csv_reader_set_delimiter:
 * @delimiter: an ASCII character other than a quote, CR or LF
 *
 * Sets the field delimiter instead of guessing it from the first 64 KiB (comma,
 * semicolon, tab or pipe). Call it before reading.
 */
void
dbw_csv_reader_set_delimiter (DbwCsvReader *self,
                              gunichar      delimiter)
{
  g_return_if_fail (DBW_IS_CSV_READER (self));
  g_return_if_fail (!self->started);
  g_return_if_fail (delimiter > 0 && delimiter < 0x80);
  g_return_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n');

  self->delimiter = (char) delimiter;
  self->delimiter_set = TRUE;
}

/**
 * dbw_csv_reader_get_delimiter:
 *
 * Returns: the delimiter in use; a guessed one is known after the first read
 */
gunichar
dbw_csv_reader_get_delimiter (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), 0);

  return (gunichar) self->delimiter;
}

/**
 * dbw_csv_reader_read_header:
 *
 * Reads the first record as the column names. Empty lines before it are skipped.
 * Fails with %DBW_CSV_ERROR_EMPTY when there is no record at all.
 *
 * Returns: %TRUE if the header was read
 */
gboolean
dbw_csv_reader_read_header (DbwCsvReader  *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DBW_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (self->header == NULL, FALSE);
  g_return_val_if_fail (self->record_number == 0, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->reading_header = TRUE;
  if (!read_record (self, &fields, cancellable, &local_error))
    {
      self->reading_header = FALSE;

      if (local_error == NULL)
        g_set_error (&local_error, DBW_CSV_ERROR, DBW_CSV_ERROR_EMPTY,
                     _("%s is empty: it has no header line"),
                     self->display_name);

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->reading_header = FALSE;

  self->header = make_header (fields);
  self->n_columns = fields->len;

  return TRUE;
}

/**
 * dbw_csv_reader_get_header:
 *
 * Returns: (transfer none) (nullable): the unique column names, %NULL-terminated,
 *   or %NULL before dbw_csv_reader_read_header() succeeded
 */
const char * const *
dbw_csv_reader_get_header (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), NULL);

  return (const char * const *) self->header;
}

/**
 * dbw_csv_reader_get_n_columns:
 *
 * Returns: the number of fields every record must have: the header's, or without a
 *   header, the first record's; 0 before either was read
 */
guint
dbw_csv_reader_get_n_columns (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), 0);

  return self->n_columns;
}

/**
 * dbw_csv_reader_next_record:
 * @fields_out: (out) (optional) (transfer full) (element-type utf8): the fields
 *
 * Reads the next record. At the end of the input it returns %FALSE and leaves @error
 * unset. A bad record (%DBW_CSV_ERROR) returns %FALSE with @error set; calling again
 * goes on with the record after it, except after %DBW_CSV_ERROR_UNTERMINATED_QUOTE,
 * which ends the input. After a %G_IO_ERROR from the stream (or cancellation) a
 * later call resumes where reading stopped.
 *
 * Returns: %TRUE if a record was read into @fields_out
 */
gboolean
dbw_csv_reader_next_record (DbwCsvReader  *self,
                            GPtrArray    **fields_out,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (fields_out != NULL)
    *fields_out = NULL;

  self->reading_header = FALSE;

  return read_record (self, fields_out, cancellable, error);
}

/**
 * dbw_csv_reader_get_line:
 *
 * Returns: the 1-based physical line on which the last record read, or rejected,
 *   started; 0 before any
 */
guint64
dbw_csv_reader_get_line (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), 0);

  return self->record_line;
}

/**
 * dbw_csv_reader_get_record_number:
 *
 * Returns: the 1-based number of the last data record read or rejected, not counting
 *   the header or empty lines; 0 before any
 */
guint64
dbw_csv_reader_get_record_number (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), 0);

  return self->record_number;
}

/**
 * dbw_csv_reader_get_bytes_read:
 *
 * Returns: how many bytes of the input were parsed so far, byte order mark included;
 *   at the end it is the size of the input. For progress reports.
 */
guint64
dbw_csv_reader_get_bytes_read (DbwCsvReader *self)
{
  g_return_val_if_fail (DBW_IS_CSV_READER (self), 0);

  return self->buffer_offset + self->buffer_pos;
}
