/* dbw-prompt.c
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

#define G_LOG_DOMAIN "dbw-prompt"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dbw-json-text.h"
#include "dbw-prompt.h"

/* The placeholders of a prompt, in the subset of Jinja2 that prompts need: variables,
 * dotted paths and a default. A prompt is parsed into pieces — plain text and
 * placeholders — and rendered against a JSON object. Nothing here knows about SQL. */

G_DEFINE_QUARK (dbw-prompt-error-quark, dbw_prompt_error)

/* At most this many names are listed in a missing-variable message. */
#define MAX_NAMES_IN_MESSAGE 40

/* Paths deeper than this are not listed by dbw_prompt_context_list_names(). */
#define MAX_LIST_DEPTH 16

typedef struct
{
  const char *text;      /* plain text (not owned; points into the source) */
  gsize       text_len;

  /* A placeholder when text is NULL: */
  char       *literal;   /* {{ "…" }} */
  GPtrArray  *path;      /* (element-type utf8) the segments of a variable */
  char       *fallback;  /* default ("…"), or NULL */
  guint       line;
  guint       column;
} Piece;

static void
piece_free (gpointer data)
{
  Piece *piece = data;

  g_free (piece->literal);
  g_clear_pointer (&piece->path, g_ptr_array_unref);
  g_free (piece->fallback);
  g_free (piece);
}

typedef struct
{
  const char *source;
  const char *p;
  const char *open;   /* the "{{" of the placeholder being read */
} Scanner;

static void
position_of (const char *source,
             const char *at,
             guint      *line,
             guint      *column)
{
  const char *line_start = source;

  *line = 1;
  for (const char *p = source; p < at; p++)
    if (*p == '\n')
      {
        (*line)++;
        line_start = p + 1;
      }

  *column = (guint) g_utf8_strlen (line_start, at - line_start) + 1;
}

static gboolean G_GNUC_PRINTF (4, 5)
syntax_error (Scanner     *scanner,
              const char  *at,
              GError     **error,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  guint line, column;
  va_list args;

  position_of (scanner->source, at, &line, &column);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_SYNTAX,
               /* Translators: "Line 3, column 7: a placeholder needs a name" */
               _("Line %u, column %u: %s"), line, column, message);
  return FALSE;
}

static void
skip_space (Scanner *scanner)
{
  while (*scanner->p == ' ' || *scanner->p == '\t' || *scanner->p == '\n' || *scanner->p == '\r')
    scanner->p++;
}

static gboolean
is_name_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || c == '-';
}

/* A word of name characters, or NULL when there is none at the scanner. */
static char *
scan_word (Scanner *scanner)
{
  const char *start = scanner->p;

  while (*scanner->p != '\0' && is_name_char (g_utf8_get_char (scanner->p)))
    scanner->p = g_utf8_next_char (scanner->p);

  if (scanner->p == start)
    return NULL;

  return g_strndup (start, scanner->p - start);
}

/* A text in double or single quotes, with \\, \", \', \n and \t escapes. */
static gboolean
scan_string (Scanner  *scanner,
             char    **out,
             GError  **error)
{
  g_autoptr(GString) value = g_string_new (NULL);
  const char *start = scanner->p;
  char quote = *scanner->p++;

  g_assert (quote == '"' || quote == '\'');

  for (;;)
    {
      char c = *scanner->p;

      if (c == '\0')
        return syntax_error (scanner, start, error, _("the quoted text is never closed"));

      scanner->p++;
      if (c == quote)
        break;

      if (c == '\\')
        {
          char next = *scanner->p;

          switch (next)
            {
            case '\\': case '"': case '\'':
              g_string_append_c (value, next);
              break;
            case 'n':
              g_string_append_c (value, '\n');
              break;
            case 't':
              g_string_append_c (value, '\t');
              break;
            default:
              return syntax_error (scanner, scanner->p - 1, error,
                                   _("unknown escape “\\%c” in quoted text; use \\\\, \\\", \\', \\n or \\t"),
                                   next != '\0' ? next : ' ');
            }
          scanner->p++;
          continue;
        }

      g_string_append_c (value, c);
    }

  *out = g_string_free (g_steal_pointer (&value), FALSE);
  return TRUE;
}

static gboolean
describe_unexpected (Scanner  *scanner,
                     GError  **error)
{
  if (*scanner->p == '\0')
    return syntax_error (scanner, scanner->open, error, _("“{{” is never closed with “}}”"));

  return syntax_error (scanner, scanner->p, error, _("unexpected “%.*s” in a placeholder"),
                       (int) (g_utf8_next_char (scanner->p) - scanner->p), scanner->p);
}

static gboolean
scan_path (Scanner    *scanner,
           GPtrArray  *path,
           GError    **error)
{
  for (;;)
    {
      char *segment = NULL;

      if (*scanner->p == '[')
        {
          scanner->p++;
          skip_space (scanner);
          if (*scanner->p == '"' || *scanner->p == '\'')
            {
              if (!scan_string (scanner, &segment, error))
                return FALSE;
            }
          else if (g_ascii_isdigit (*scanner->p))
            {
              const char *start = scanner->p;

              while (g_ascii_isdigit (*scanner->p))
                scanner->p++;
              segment = g_strndup (start, scanner->p - start);
            }
          else
            {
              return syntax_error (scanner, scanner->p, error,
                                   _("expected a quoted name or a number after “[”"));
            }
          g_ptr_array_add (path, segment);

          skip_space (scanner);
          if (*scanner->p != ']')
            return syntax_error (scanner, scanner->p, error, _("expected “]”"));
          scanner->p++;
        }
      else
        {
          segment = scan_word (scanner);
          if (segment == NULL)
            return describe_unexpected (scanner, error);
          g_ptr_array_add (path, segment);
        }

      if (*scanner->p == '.')
        {
          scanner->p++;
          if (*scanner->p == '\0' || !is_name_char (g_utf8_get_char (scanner->p)))
            return syntax_error (scanner, scanner->p, error, _("expected a name after “.”"));
          continue;
        }
      if (*scanner->p == '[')
        continue;

      return TRUE;
    }
}

/* After "{{": the expression, the filters and "}}". */
static gboolean
scan_placeholder (Scanner  *scanner,
                  Piece    *piece,
                  GError  **error)
{
  skip_space (scanner);

  if (*scanner->p == '}' && scanner->p[1] == '}')
    return syntax_error (scanner, scanner->p, error,
                         _("a placeholder needs a name, as in {{ name }}"));

  if (*scanner->p == '"' || *scanner->p == '\'')
    {
      if (!scan_string (scanner, &piece->literal, error))
        return FALSE;
    }
  else if (*scanner->p == '[' || (*scanner->p != '\0' && is_name_char (g_utf8_get_char (scanner->p))))
    {
      piece->path = g_ptr_array_new_with_free_func (g_free);
      if (!scan_path (scanner, piece->path, error))
        return FALSE;
    }
  else
    {
      return describe_unexpected (scanner, error);
    }

  for (;;)
    {
      skip_space (scanner);

      if (*scanner->p == '}' && scanner->p[1] == '}')
        {
          scanner->p += 2;
          return TRUE;
        }

      if (*scanner->p == '|')
        {
          const char *filter_start;
          g_autofree char *filter = NULL;

          scanner->p++;
          skip_space (scanner);
          filter_start = scanner->p;
          filter = scan_word (scanner);
          if (filter == NULL)
            return syntax_error (scanner, scanner->p, error, _("expected a filter name after “|”"));
          if (!g_str_equal (filter, "default"))
            return syntax_error (scanner, filter_start, error,
                                 _("unknown filter “%s”; the only filter is default(\"…\")"), filter);

          skip_space (scanner);
          if (*scanner->p != '(')
            return syntax_error (scanner, scanner->p, error, _("expected “(” after “default”"));
          scanner->p++;
          skip_space (scanner);
          if (*scanner->p != '"' && *scanner->p != '\'')
            return syntax_error (scanner, scanner->p, error,
                                 _("default needs a text in quotes, as in default(\"none\")"));

          /* A later default applies only if an earlier one could not, which never happens:
           * the first one wins. */
          if (piece->fallback == NULL)
            {
              if (!scan_string (scanner, &piece->fallback, error))
                return FALSE;
            }
          else
            {
              g_autofree char *ignored = NULL;

              if (!scan_string (scanner, &ignored, error))
                return FALSE;
            }

          skip_space (scanner);
          if (*scanner->p != ')')
            return syntax_error (scanner, scanner->p, error, _("expected “)” after the default text"));
          scanner->p++;
          continue;
        }

      return describe_unexpected (scanner, error);
    }
}

/* Splits @source into pieces. */
static GPtrArray *
parse (const char  *source,
       GError     **error)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (piece_free);
  Scanner scanner = { source, source, NULL };
  const char *text_start = source;

  if (!g_utf8_validate (source, -1, NULL))
    {
      g_set_error_literal (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_SYNTAX,
                           _("The prompt is not valid UTF-8 text"));
      return NULL;
    }

  while (*scanner.p != '\0')
    {
      Piece *piece;
      const char *open;

      if (!(scanner.p[0] == '{' && scanner.p[1] == '{'))
        {
          scanner.p++;
          continue;
        }

      open = scanner.p;
      if (open > text_start)
        {
          piece = g_new0 (Piece, 1);
          piece->text = text_start;
          piece->text_len = open - text_start;
          g_ptr_array_add (pieces, piece);
        }

      piece = g_new0 (Piece, 1);
      g_ptr_array_add (pieces, piece);
      position_of (source, open, &piece->line, &piece->column);
      scanner.p += 2;

      scanner.open = open;
      if (!scan_placeholder (&scanner, piece, error))
        return NULL;

      text_start = scanner.p;
    }

  if (scanner.p > text_start)
    {
      Piece *piece = g_new0 (Piece, 1);

      piece->text = text_start;
      piece->text_len = scanner.p - text_start;
      g_ptr_array_add (pieces, piece);
    }

  return g_steal_pointer (&pieces);
}

/* Names */

static gboolean
is_plain_name (const char *segment)
{
  if (segment[0] == '\0')
    return FALSE;

  for (const char *p = segment; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_name_char (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static void
append_segment (GString    *name,
                const char *segment)
{
  if (is_plain_name (segment))
    {
      if (name->len > 0)
        g_string_append_c (name, '.');
      g_string_append (name, segment);
      return;
    }

  g_string_append (name, "[\"");
  for (const char *p = segment; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (name, '\\');
      if (*p == '\n')
        g_string_append (name, "\\n");
      else if (*p == '\t')
        g_string_append (name, "\\t");
      else
        g_string_append_c (name, *p);
    }
  g_string_append (name, "\"]");
}

/* The name as a prompt writes it: meta.author, ["Patient name"].age */
static char *
path_to_name (GPtrArray *path)
{
  GString *name = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    append_segment (name, g_ptr_array_index (path, i));

  return g_string_free (name, FALSE);
}

/* A text value holding a JSON object, parsed; NULL for any other text. */
static JsonNode *
parse_embedded_object (JsonNode *node)
{
  const char *text;
  JsonNode *parsed;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = json_node_get_string (node);
  while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
    text++;
  if (*text != '{')
    return NULL;

  parsed = json_from_string (text, NULL);
  if (parsed != NULL && !JSON_NODE_HOLDS_OBJECT (parsed))
    g_clear_pointer (&parsed, json_node_unref);

  return parsed;
}

/* Follows @path from @context. Parsed JSON texts along the way are kept alive in @keep.
 * Returns: (transfer none) (nullable): the value, or NULL when the path leads nowhere */
static JsonNode *
lookup_path (JsonObject *context,
             GPtrArray  *path,
             GPtrArray  *keep)
{
  JsonNode *node = NULL;

  for (guint i = 0; i < path->len; i++)
    {
      const char *segment = g_ptr_array_index (path, i);

      if (i == 0)
        {
          node = json_object_get_member (context, segment);
        }
      else
        {
          JsonNode *embedded;

          if ((embedded = parse_embedded_object (node)) != NULL)
            {
              g_ptr_array_add (keep, embedded);
              node = embedded;
            }

          if (JSON_NODE_HOLDS_OBJECT (node))
            {
              node = json_object_get_member (json_node_get_object (node), segment);
            }
          else if (JSON_NODE_HOLDS_ARRAY (node) && segment[0] != '\0' &&
                   strspn (segment, "0123456789") == strlen (segment))
            {
              JsonArray *array = json_node_get_array (node);
              guint64 index = g_ascii_strtoull (segment, NULL, 10);

              node = index < json_array_get_length (array) ? json_array_get_element (array, (guint) index) : NULL;
            }
          else
            {
              node = NULL;
            }
        }

      if (node == NULL)
        return NULL;
    }

  return node;
}

static void
collect_names (JsonObject *object,
               GString    *prefix,
               guint       depth,
               GPtrArray  *names)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      g_autoptr(JsonNode) embedded = NULL;
      gsize len = prefix->len;

      append_segment (prefix, member);
      g_ptr_array_add (names, g_strdup (prefix->str));

      if (depth + 1 < MAX_LIST_DEPTH)
        {
          if (JSON_NODE_HOLDS_OBJECT (value))
            collect_names (json_node_get_object (value), prefix, depth + 1, names);
          else if ((embedded = parse_embedded_object (value)) != NULL)
            collect_names (json_node_get_object (embedded), prefix, depth + 1, names);
        }

      g_string_truncate (prefix, len);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Values */

static void
append_value (GString  *out,
              JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (node));
  else
    dbw_json_append_compact (out, node);
}

static char *
describe_names (JsonObject *context)
{
  g_auto(GStrv) names = dbw_prompt_context_list_names (context);
  guint n = g_strv_length (names);
  GString *text = g_string_new (NULL);

  if (n == 0)
    return g_string_free (text, FALSE);

  for (guint i = 0; i < n && i < MAX_NAMES_IN_MESSAGE; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, names[i]);
    }
  if (n > MAX_NAMES_IN_MESSAGE)
    /* Translators: after a list of names: "a, b, c and 12 more" */
    g_string_append_printf (text, _(" and %u more"), n - MAX_NAMES_IN_MESSAGE);

  return g_string_free (text, FALSE);
}

static void
set_missing_error (GError     **error,
                   Piece       *piece,
                   JsonObject  *context,
                   gboolean     is_null)
{
  g_autofree char *name = path_to_name (piece->path);
  g_autofree char *available = describe_names (context);
  g_autofree char *what = NULL;

  if (is_null)
    /* Translators: %s is a variable; the default(…) part is syntax, keep it as it is */
    what = g_strdup_printf (_("“%s” is empty (null); give it a fallback with {{ %s | default(\"…\") }}"),
                            name, name);
  else
    what = g_strdup_printf (_("there is no variable “%s”"), name);

  if (available[0] != '\0')
    g_set_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE,
                 /* Translators: "Line 2, column 5: there is no variable “x”. Available: a, b" */
                 _("Line %u, column %u: %s. Available: %s"),
                 piece->line, piece->column, what, available);
  else
    g_set_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE,
                 _("Line %u, column %u: %s. There are no variables"),
                 piece->line, piece->column, what);
}

/* Public API */

/**
 * dbw_prompt_context_for_item:
 * @item: an item
 *
 * The variables a prompt sees for @item: its fields, and under "item" its reference, its
 * text (the text of a text file or the text extracted from a PDF; null for a row or an
 * image), its image ("blob:<sha256>" for an image, else null), modality and content type.
 * A field called "item" is hidden by them.
 *
 * Returns: (transfer full): a new JSON object
 */
JsonObject *
dbw_prompt_context_for_item (DbwItem *item)
{
  JsonObject *context;
  JsonObject *about;
  g_autoptr(JsonNode) fields = NULL;
  const char *hash;

  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);

  context = json_object_new ();
  about = json_object_new ();

  if (dbw_item_get_fields (item) != NULL)
    fields = json_from_string (dbw_item_get_fields (item), NULL);

  if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      g_autoptr(GArray) members = NULL;

      json_object_iter_init_ordered (&iter, json_node_get_object (fields));
      while (json_object_iter_next_ordered (&iter, &member, &value))
        if (!g_str_equal (member, "item"))
          json_object_set_member (context, member, json_node_copy (value));

      /* json-glib reads 0.100 as 0.1 and an integer past 64 bits as -1: a number it would
       * not write back as written reaches the prompt as its digits. */
      members = dbw_json_object_members (dbw_item_get_fields (item), -1);
      for (guint i = 0; members != NULL && i < members->len; i++)
        {
          const DbwJsonMember *field = &g_array_index (members, DbwJsonMember, i);
          JsonNode *read;
          g_autofree char *written = NULL;

          if (field->kind != DBW_JSON_NUMBER || g_str_equal (field->name, "item") ||
              (read = json_object_get_member (context, field->name)) == NULL)
            continue;
          written = dbw_json_to_compact (read);
          if (!g_str_equal (written, field->text))
            json_object_set_string_member (context, field->name, field->text);
        }
    }

  json_object_set_string_member (about, "ref", dbw_item_get_item_ref (item));

  if (dbw_item_get_text_content (item) != NULL)
    json_object_set_string_member (about, "text", dbw_item_get_text_content (item));
  else
    json_object_set_null_member (about, "text");

  hash = dbw_item_get_blob_hash (item);
  if (dbw_item_get_modality (item) == DBW_MODALITY_IMAGE && hash != NULL && hash[0] != '\0')
    {
      g_autofree char *reference = g_strconcat ("blob:", hash, NULL);

      json_object_set_string_member (about, "image", reference);
    }
  else
    {
      json_object_set_null_member (about, "image");
    }

  json_object_set_string_member (about, "modality",
                                 dbw_enum_to_nick (DBW_TYPE_MODALITY, dbw_item_get_modality (item)));

  if (dbw_item_get_content_type (item) != NULL)
    json_object_set_string_member (about, "content_type", dbw_item_get_content_type (item));
  else
    json_object_set_null_member (about, "content_type");

  json_object_set_object_member (context, "item", about);

  return context;
}

/**
 * dbw_prompt_context_list_names:
 * @context: variables, as from dbw_prompt_context_for_item()
 *
 * Lists every name a prompt can use with @context: each member, and the members of
 * objects within (also of text fields that hold a JSON object), written as a prompt
 * writes them. Elements of arrays are not listed.
 *
 * Returns: (transfer full): the names, sorted
 */
GStrv
dbw_prompt_context_list_names (JsonObject *context)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) prefix = g_string_new (NULL);

  g_return_val_if_fail (context != NULL, g_new0 (char *, 1));

  collect_names (context, prefix, 0, names);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * dbw_prompt_render:
 * @source: a prompt with placeholders
 * @context: the variables
 *
 * Returns: (transfer full): the prompt with every placeholder replaced, or %NULL with
 *   @error set: %DBW_PROMPT_ERROR_SYNTAX or %DBW_PROMPT_ERROR_MISSING_VARIABLE
 */
char *
dbw_prompt_render (const char  *source,
                   JsonObject  *context,
                   GError     **error)
{
  g_autoptr(GPtrArray) pieces = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);

  pieces = parse (source, error);
  if (pieces == NULL)
    return NULL;

  out = g_string_sized_new (strlen (source));

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = g_ptr_array_index (pieces, i);
      JsonNode *value;

      if (piece->text != NULL)
        {
          g_string_append_len (out, piece->text, piece->text_len);
          continue;
        }

      if (piece->literal != NULL)
        {
          g_string_append (out, piece->literal);
          continue;
        }

      value = lookup_path (context, piece->path, keep);
      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        {
          if (piece->fallback != NULL)
            {
              g_string_append (out, piece->fallback);
              continue;
            }

          set_missing_error (error, piece, context, value != NULL);
          return NULL;
        }

      append_value (out, value);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * dbw_prompt_list_variables:
 * @source: a prompt with placeholders
 *
 * Returns: (transfer full): the names of the variables @source uses, in order of
 *   first use, written as dbw_prompt_context_list_names() writes them; or %NULL with a
 *   %DBW_PROMPT_ERROR_SYNTAX @error
 */
GStrv
dbw_prompt_list_variables (const char  *source,
                           GError     **error)
{
  g_autoptr(GPtrArray) pieces = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (source != NULL, NULL);

  pieces = parse (source, error);
  if (pieces == NULL)
    return NULL;

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = g_ptr_array_index (pieces, i);
      char *name;

      if (piece->path == NULL)
        continue;

      name = path_to_name (piece->path);
      if (g_hash_table_contains (seen, name))
        {
          g_free (name);
          continue;
        }
      g_hash_table_add (seen, name);
      g_ptr_array_add (names, name);
    }

  g_ptr_array_add (names, NULL);
  g_ptr_array_set_free_func (names, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * dbw_prompt_unmatched_variables:
 * @source: a prompt with placeholders
 * @contexts: (element-type JsonObject): the variables of some items, as from
 *   dbw_prompt_context_for_item()
 *
 * Which variables of @source some of @contexts have no value for (missing or null), among
 * those without a default(…) to fall back on: rendering @source fails on each item that
 * lacks one. @source renders for every one of @contexts when none is returned.
 *
 * Returns: (transfer full): the names, in order of first use and written as
 *   dbw_prompt_list_variables() writes them, empty when every context has every one; or
 *   %NULL with a %DBW_PROMPT_ERROR_SYNTAX @error
 */
GStrv
dbw_prompt_unmatched_variables (const char  *source,
                                GPtrArray   *contexts,
                                GError     **error)
{
  g_autoptr(GPtrArray) pieces = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GStrvBuilder) unmatched = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (contexts != NULL, NULL);

  pieces = parse (source, error);
  if (pieces == NULL)
    return NULL;

  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = g_ptr_array_index (pieces, i);
      gboolean lacking = FALSE;
      g_autofree char *name = NULL;

      if (piece->path == NULL || piece->fallback != NULL)
        continue;

      for (guint j = 0; j < contexts->len && !lacking; j++)
        {
          JsonNode *value = lookup_path (g_ptr_array_index (contexts, j), piece->path, keep);

          lacking = value == NULL || JSON_NODE_HOLDS_NULL (value);
        }
      if (!lacking)
        continue;

      name = path_to_name (piece->path);
      if (!g_hash_table_contains (seen, name))
        {
          g_strv_builder_add (unmatched, name);
          g_hash_table_add (seen, g_steal_pointer (&name));
        }
    }

  return g_strv_builder_end (unmatched);
}

/**
 * dbw_prompt_render_fixed:
 *
 * Renders text that does not depend on an item, such as a system prompt, which is sent
 * alike for every item (and, on the workspace, once for a whole statement).
 *
 * Returns: (transfer full): the text, or %NULL with @error set: SYNTAX as for any prompt,
 *   MISSING_VARIABLE naming the first variable it uses
 */
char *
dbw_prompt_render_fixed (const char  *source,
                         GError     **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonObject) nothing = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  names = dbw_prompt_list_variables (source, error);
  if (names == NULL)
    return NULL;
  if (names[0] != NULL)
    {
      g_set_error (error, DBW_PROMPT_ERROR, DBW_PROMPT_ERROR_MISSING_VARIABLE,
                   /* Translators: %s is a variable such as {{ title }} in a system prompt */
                   _("“{{ %s }}” cannot be used here: this text is the same for every item"), names[0]);
      return NULL;
    }

  nothing = json_object_new ();

  return dbw_prompt_render (source, nothing, error);
}
