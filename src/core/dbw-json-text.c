/* dbw-json-text.c
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

#define G_LOG_DOMAIN "dbw-json-text"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "dbw-json-text.h"

/* JSON as people read it in prompts and messages. json-glib 1.6 prints doubles with 17
 * significant digits, so a field that says 120.1 would reach a model as 120.09999999999999. */

void
dbw_json_append_double (GString *out,
                        double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);

  /* JSON parsers read a number with a point as a fraction: 2.0 stays 2.0. */
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

/**
 * dbw_json_append_string:
 *
 * Appends @text (UTF-8) as a JSON string, quoted and escaped.
 */
void
dbw_json_append_string (GString    *out,
                        const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_newline (GString *out,
                int      indent)
{
  if (indent < 0)
    return;

  g_string_append_c (out, '\n');
  for (int i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

/* @indent: the depth when pretty, -1 for compact */
static void
append_node (GString  *out,
             JsonNode *node,
             int       indent)
{
  int inner = indent >= 0 ? indent + 1 : -1;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &member, &value))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_newline (out, inner);
            dbw_json_append_string (out, member);
            g_string_append (out, indent >= 0 ? ": " : ":");
            append_node (out, value, inner);
          }
        if (!first)
          append_newline (out, indent);
        g_string_append_c (out, '}');
        break;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_newline (out, inner);
            append_node (out, json_array_get_element (array, i), inner);
          }
        if (json_array_get_length (array) > 0)
          append_newline (out, indent);
        g_string_append_c (out, ']');
        break;
      }

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          dbw_json_append_string (out, json_node_get_string (node));
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          dbw_json_append_double (out, json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else
          g_string_append (out, "null");
        break;
      }
    }
}

void
dbw_json_append_compact (GString  *out,
                         JsonNode *node)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (node != NULL);

  append_node (out, node, -1);
}

char *
dbw_json_to_pretty (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, g_string_free (out, FALSE));

  append_node (out, node, 0);

  return g_string_free (out, FALSE);
}

char *
dbw_json_to_compact (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, g_string_free (out, FALSE));

  dbw_json_append_compact (out, node);

  return g_string_free (out, FALSE);
}

/**
 * dbw_json_is_number:
 *
 * Whether @text is what JSON takes as a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * A value that is one can be written into JSON as it stands, keeping its digits.
 */
gboolean
dbw_json_is_number (const char *text)
{
  const char *p = text;

  g_return_val_if_fail (text != NULL, FALSE);

  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (g_ascii_isdigit (*p))
    while (g_ascii_isdigit (*p))
      p++;
  else
    return FALSE;

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  return *p == '\0';
}

/* The canonical form of a JSON text: what two texts of the same value have in common.
 * Members are sorted by name (as bytes, a name's escapes decoded), spacing goes, strings
 * are escaped one way; numbers keep their literal text (1.0 and 1 stay apart, as do two
 * integers past 64 bits that a parser would read as the same double). */

/* As deep as an import takes a record (DBW_IMPORT_MAX_DEPTH): a record the importer stores
 * must compare with itself when it comes again. */
#define CANONICAL_MAX_DEPTH 1000

typedef struct
{
  const char *p;
  const char *end;
  gboolean    keep_order; /* of members: compact, not canonical */
} Scan;

static gboolean canonical_value (Scan    *scan,
                                 GString *out,
                                 guint    depth);

static void
skip_space (Scan *scan)
{
  while (scan->p < scan->end && (*scan->p == ' ' || *scan->p == '\t' || *scan->p == '\n' || *scan->p == '\r'))
    scan->p++;
}

static int
hex_digit (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

static gboolean
read_hex4 (Scan     *scan,
           gunichar *out)
{
  gunichar value = 0;

  if (scan->end - scan->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_digit (scan->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  scan->p += 4;
  *out = value;

  return TRUE;
}

/* A string: escaped one way (canonical), or when @decode its characters, unquoted (a lone
 * surrogate or a NUL, which UTF-8 text cannot hold, becomes U+FFFD). */
static gboolean
scan_string (Scan     *scan,
             GString  *out,
             gboolean  decode)
{
  if (!decode)
    g_string_append_c (out, '"');
  scan->p++;

  while (scan->p < scan->end && *scan->p != '"')
    {
      guchar c = (guchar) *scan->p++;
      gunichar code;

      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          continue;
        }

      if (scan->p >= scan->end)
        return FALSE;
      c = (guchar) *scan->p++;
      switch (c)
        {
        case '"':  code = '"'; break;
        case '\\': code = '\\'; break;
        case '/':  code = '/'; break;
        case 'b':  code = '\b'; break;
        case 'f':  code = '\f'; break;
        case 'n':  code = '\n'; break;
        case 'r':  code = '\r'; break;
        case 't':  code = '\t'; break;
        case 'u':
          if (!read_hex4 (scan, &code))
            return FALSE;
          if (code >= 0xD800 && code <= 0xDBFF && scan->end - scan->p >= 6 && scan->p[0] == '\\' && scan->p[1] == 'u')
            {
              Scan low = { scan->p + 2, scan->end, scan->keep_order };
              gunichar second;

              if (read_hex4 (&low, &second) && second >= 0xDC00 && second <= 0xDFFF)
                {
                  code = 0x10000 + ((code - 0xD800) << 10) + (second - 0xDC00);
                  scan->p = low.p;
                }
            }
          break;

        default:
          return FALSE;
        }

      if (decode)
        g_string_append_unichar (out, code == 0 || (code >= 0xD800 && code <= 0xDFFF) ? 0xFFFD : code);
      /* Written as dbw_json_append_string() would write the character. */
      else if (code == '"' || code == '\\')
        g_string_append_printf (out, "\\%c", (char) code);
      else if (code == '\n')
        g_string_append (out, "\\n");
      else if (code == '\r')
        g_string_append (out, "\\r");
      else if (code == '\t')
        g_string_append (out, "\\t");
      else if (code == '\b')
        g_string_append (out, "\\b");
      else if (code == '\f')
        g_string_append (out, "\\f");
      else if (code < 0x20 || (code >= 0xD800 && code <= 0xDFFF))
        /* A lone surrogate stays an escape: as a character it would not be UTF-8. */
        g_string_append_printf (out, "\\u%04x", code);
      else
        g_string_append_unichar (out, code);
    }

  if (scan->p >= scan->end)
    return FALSE;
  scan->p++;
  if (!decode)
    g_string_append_c (out, '"');

  return TRUE;
}

static gboolean
canonical_number (Scan    *scan,
                  GString *out)
{
  const char *start = scan->p;
  g_autofree char *text = NULL;

  while (scan->p < scan->end && *scan->p != '\0' && strchr ("0123456789+-.eE", *scan->p) != NULL)
    scan->p++;
  text = g_strndup (start, scan->p - start);
  if (!dbw_json_is_number (text))
    return FALSE;
  g_string_append (out, text);

  return TRUE;
}

static gboolean
canonical_literal (Scan       *scan,
                   GString    *out,
                   const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (scan->end - scan->p) < len || memcmp (scan->p, word, len) != 0)
    return FALSE;
  scan->p += len;
  g_string_append (out, word);

  return TRUE;
}

static void
json_member_clear (gpointer data)
{
  DbwJsonMember *member = data;

  g_free (member->name);
  g_free (member->text);
}

/* The members of the object at @scan, its braces included, onto @members: names and
 * values written canonically, or when @decode names and texts as their characters (other
 * values as written, compact). */
static gboolean
scan_members (Scan     *scan,
              guint     depth,
              gboolean  decode,
              GArray   *members)
{
  scan->p++;
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == '}')
    {
      scan->p++;
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      g_autoptr(GString) value = g_string_new (NULL);
      DbwJsonMember member;

      skip_space (scan);
      if (scan->p >= scan->end || *scan->p != '"' || !scan_string (scan, name, decode))
        return FALSE;
      skip_space (scan);
      if (scan->p >= scan->end || *scan->p != ':')
        return FALSE;
      scan->p++;
      skip_space (scan);
      if (scan->p >= scan->end)
        return FALSE;

      switch (*scan->p)
        {
        case '"': member.kind = DBW_JSON_STRING; break;
        case '{': member.kind = DBW_JSON_OBJECT; break;
        case '[': member.kind = DBW_JSON_ARRAY; break;
        case 't':
        case 'f': member.kind = DBW_JSON_BOOLEAN; break;
        case 'n': member.kind = DBW_JSON_NULL; break;
        default:  member.kind = DBW_JSON_NUMBER; break;
        }
      if (decode && member.kind == DBW_JSON_STRING ? !scan_string (scan, value, TRUE)
                                                   : !canonical_value (scan, value, depth + 1))
        return FALSE;

      member.name = g_string_free (g_steal_pointer (&name), FALSE);
      member.text = g_string_free (g_steal_pointer (&value), FALSE);
      g_array_append_val (members, member);

      skip_space (scan);
      if (scan->p < scan->end && *scan->p == ',')
        scan->p++;
      else if (scan->p < scan->end && *scan->p == '}')
        {
          scan->p++;
          return TRUE;
        }
      else
        return FALSE;
    }
}

static GArray *
members_new (void)
{
  GArray *members = g_array_new (FALSE, TRUE, sizeof (DbwJsonMember));

  g_array_set_clear_func (members, json_member_clear);

  return members;
}

/* By name; members of the same name keep their order. */
static int
compare_members (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GArray *members = user_data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;
  int order = strcmp (g_array_index (members, DbwJsonMember, ia).name, g_array_index (members, DbwJsonMember, ib).name);

  return order != 0 ? order : (ia > ib) - (ia < ib);
}

static gboolean
canonical_object (Scan    *scan,
                  GString *out,
                  guint    depth)
{
  g_autoptr(GArray) members = members_new ();
  g_autoptr(GArray) order = NULL;

  if (!scan_members (scan, depth, FALSE, members))
    return FALSE;

  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), members->len);
  for (guint i = 0; i < members->len; i++)
    g_array_append_val (order, i);
  if (!scan->keep_order)
    g_array_sort_with_data (order, compare_members, members);

  g_string_append_c (out, '{');
  for (guint i = 0; i < order->len; i++)
    {
      const DbwJsonMember *member = &g_array_index (members, DbwJsonMember, g_array_index (order, guint, i));

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, member->name);
      g_string_append_c (out, ':');
      g_string_append (out, member->text);
    }
  g_string_append_c (out, '}');

  return TRUE;
}

static gboolean
canonical_array (Scan    *scan,
                 GString *out,
                 guint    depth)
{
  scan->p++;
  g_string_append_c (out, '[');
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == ']')
    {
      scan->p++;
      g_string_append_c (out, ']');
      return TRUE;
    }

  for (;;)
    {
      if (!canonical_value (scan, out, depth + 1))
        return FALSE;
      skip_space (scan);
      if (scan->p < scan->end && *scan->p == ',')
        {
          scan->p++;
          g_string_append_c (out, ',');
          continue;
        }
      if (scan->p < scan->end && *scan->p == ']')
        {
          scan->p++;
          g_string_append_c (out, ']');
          return TRUE;
        }
      return FALSE;
    }
}

static gboolean
canonical_value (Scan    *scan,
                 GString *out,
                 guint    depth)
{
  if (depth > CANONICAL_MAX_DEPTH)
    return FALSE;

  skip_space (scan);
  if (scan->p >= scan->end)
    return FALSE;

  switch (*scan->p)
    {
    case '{': return canonical_object (scan, out, depth);
    case '[': return canonical_array (scan, out, depth);
    case '"': return scan_string (scan, out, FALSE);
    case 't': return canonical_literal (scan, out, "true");
    case 'f': return canonical_literal (scan, out, "false");
    case 'n': return canonical_literal (scan, out, "null");
    default:  return canonical_number (scan, out);
    }
}

/**
 * dbw_json_to_canonical:
 * @text: JSON text
 * @length: its length, or -1 when it ends with a nul
 *
 * The canonical form of @text: the same for every text of the same JSON value, whatever
 * the order of an object's members, the spacing or the way a string's characters are
 * escaped; numbers are compared as written.
 *
 * Returns: (transfer full) (nullable): the canonical text, or %NULL when @text is not JSON
 */
char *
dbw_json_to_canonical (const char *text,
                       gssize      length)
{
  g_autoptr(GString) out = NULL;
  Scan scan;

  g_return_val_if_fail (text != NULL, NULL);

  scan.p = text;
  scan.end = text + (length < 0 ? strlen (text) : (gsize) length);
  scan.keep_order = FALSE;
  out = g_string_sized_new (scan.end - scan.p);
  if (!canonical_value (&scan, out, 0))
    return NULL;
  skip_space (&scan);
  if (scan.p != scan.end)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * dbw_json_object_members:
 * @text: JSON text
 * @length: its length, or -1 when it ends with a nul
 *
 * The members of the JSON object @text, in their order, each with its value as text: a
 * string's characters, a number as written (every digit: 0.100 stays 0.100, and an integer
 * beyond 64 bits is kept whole), an object or array as compact JSON.
 *
 * Returns: (transfer full) (element-type DbwJsonMember) (nullable): the members, or %NULL
 *   when @text is not a JSON object
 */
GArray *
dbw_json_object_members (const char *text,
                         gssize      length)
{
  g_autoptr(GArray) members = members_new ();
  Scan scan;

  g_return_val_if_fail (text != NULL, NULL);

  scan.p = text;
  scan.end = text + (length < 0 ? strlen (text) : (gsize) length);
  scan.keep_order = TRUE;

  skip_space (&scan);
  if (scan.p >= scan.end || *scan.p != '{' || !scan_members (&scan, 0, TRUE, members))
    return NULL;
  skip_space (&scan);
  if (scan.p != scan.end)
    return NULL;

  return g_steal_pointer (&members);
}

const DbwJsonMember *
dbw_json_members_find (GArray     *members,
                       const char *name)
{
  g_return_val_if_fail (members != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = members->len; i > 0; i--)
    if (g_str_equal (g_array_index (members, DbwJsonMember, i - 1).name, name))
      return &g_array_index (members, DbwJsonMember, i - 1);

  return NULL;
}

char *
dbw_json_describe_error (const GError *error)
{
  const char *text;
  unsigned int line, column;
  int consumed = 0;

  g_return_val_if_fail (error != NULL, NULL);

  text = error->message;
  if (sscanf (text, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      const char *rest = text + consumed;

      if (g_str_has_prefix (rest, "Parse error: "))
        rest += strlen ("Parse error: ");
      /* Translators: where a JSON text goes wrong, and what is wrong there */
      return g_strdup_printf (_("Line %u, column %u: %s"), line, column, rest);
    }

  return g_strdup (text);
}
