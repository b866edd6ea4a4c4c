/* dbw-text-diff.c
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

#define G_LOG_DOMAIN "dbw-text-diff"

#include "config.h"

#include <string.h>

#include "dbw-text-diff.h"

/* Lines are compared as numbers (equal lines, equal numbers). The shortest edit script
 * (the complement of the longest common subsequence) is found with Myers' method, whose
 * time and memory grow with the number of differences; two versions of a prompt differ
 * in a few lines. Texts that differ in more lines than MAX_MYERS_EDITS fall back to
 * Hirschberg's method, whose memory grows only with the number of lines. */

#define MAX_MYERS_EDITS 1000

typedef enum
{
  OP_SAME,
  OP_REMOVE,
  OP_ADD,
} Op;

void
dbw_diff_row_free (DbwDiffRow *row)
{
  if (row == NULL)
    return;

  g_free (row->left);
  g_free (row->right);
  g_free (row);
}

static GPtrArray *
split_lines (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;

  if (text == NULL || text[0] == '\0')
    return lines;

  for (;;)
    {
      const char *end = strchr (start, '\n');
      const char *stop = end != NULL ? end : start + strlen (start);

      /* The last line ends with the text; a final newline starts no line. */
      if (end == NULL && *start == '\0')
        break;

      if (stop > start && stop[-1] == '\r')
        stop--;
      g_ptr_array_add (lines, g_strndup (start, stop - start));

      if (end == NULL)
        break;
      start = end + 1;
    }

  return lines;
}

/* Numbers for lines: the same text, the same number. */
static int *
number_lines (GPtrArray  *lines,
              GHashTable *numbers)
{
  int *out = g_new (int, MAX (lines->len, 1));

  for (guint i = 0; i < lines->len; i++)
    {
      gpointer value;

      if (!g_hash_table_lookup_extended (numbers, g_ptr_array_index (lines, i), NULL, &value))
        {
          value = GINT_TO_POINTER (g_hash_table_size (numbers));
          g_hash_table_insert (numbers, g_ptr_array_index (lines, i), value);
        }
      out[i] = GPOINTER_TO_INT (value);
    }

  return out;
}

/* Lengths of the LCS of @a with every prefix of @b (or, with @reverse, of the reversed
 * @a with every prefix of the reversed @b), into @row[0..m]. */
static void
lcs_row (const int *a,
         gsize      n,
         const int *b,
         gsize      m,
         gboolean   reverse,
         guint     *row,
         guint     *scratch)
{
  memset (row, 0, (m + 1) * sizeof (guint));

  for (gsize i = 0; i < n; i++)
    {
      int x = reverse ? a[n - 1 - i] : a[i];

      scratch[0] = 0;
      for (gsize j = 0; j < m; j++)
        {
          int y = reverse ? b[m - 1 - j] : b[j];

          if (x == y)
            scratch[j + 1] = row[j] + 1;
          else
            scratch[j + 1] = MAX (row[j + 1], scratch[j]);
        }
      memcpy (row, scratch, (m + 1) * sizeof (guint));
    }
}

static void
append_ops (GArray *ops,
            Op      op,
            gsize   count)
{
  guint8 value = op;

  for (gsize i = 0; i < count; i++)
    g_array_append_val (ops, value);
}

/* Myers' greedy search, keeping each round's furthest reaching paths to walk back.
 * Returns: FALSE, adding nothing, when there are more than MAX_MYERS_EDITS edits */
static gboolean
diff_myers (const int *a,
            gsize      n,
            const int *b,
            gsize      m,
            GArray    *ops)
{
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) reversed = g_array_new (FALSE, FALSE, sizeof (guint8));
  gssize limit = MIN ((gssize) (n + m), MAX_MYERS_EDITS);
  g_autofree gssize *store = g_new0 (gssize, 2 * limit + 3);
  gssize *v = store + limit + 1;    /* v[k] for k in -(limit+1) … limit+1 */
  gssize x = n, y = m, final_d = -1;

  for (gssize d = 0; d <= limit && final_d < 0; d++)
    {
      /* What rounds d - 1 and before reached, for the walk back: v[-d-1 … d+1]. */
      g_ptr_array_add (trace, g_memdup2 (v - d - 1, (2 * d + 3) * sizeof (gssize)));

      for (gssize k = -d; k <= d; k += 2)
        {
          gssize xk, yk;

          if (k == -d || (k != d && v[k - 1] < v[k + 1]))
            xk = v[k + 1];
          else
            xk = v[k - 1] + 1;
          yk = xk - k;

          while (xk < (gssize) n && yk < (gssize) m && a[xk] == b[yk])
            {
              xk++;
              yk++;
            }
          v[k] = xk;

          if (xk >= (gssize) n && yk >= (gssize) m)
            {
              final_d = d;
              break;
            }
        }
    }

  if (final_d < 0)
    return FALSE;

  for (gssize d = final_d; d >= 0; d--)
    {
      gssize *prev = (gssize *) g_ptr_array_index (trace, d) + d + 1;
      gssize k = x - y;
      gssize prev_k, prev_x, prev_y;
      guint8 op;

      if (k == -d || (k != d && prev[k - 1] < prev[k + 1]))
        prev_k = k + 1;
      else
        prev_k = k - 1;
      prev_x = d > 0 ? prev[prev_k] : 0;
      prev_y = d > 0 ? prev_x - prev_k : 0;

      while (x > prev_x && y > prev_y)
        {
          op = OP_SAME;
          g_array_append_val (reversed, op);
          x--;
          y--;
        }

      if (d > 0)
        {
          op = x == prev_x ? OP_ADD : OP_REMOVE;
          g_array_append_val (reversed, op);
        }
      x = prev_x;
      y = prev_y;
    }

  for (guint i = reversed->len; i > 0; i--)
    g_array_append_val (ops, g_array_index (reversed, guint8, i - 1));

  return TRUE;
}

static void
diff_middle (const int *a,
             gsize      n,
             const int *b,
             gsize      m,
             GArray    *ops)
{
  g_autofree guint *forward = NULL;
  g_autofree guint *backward = NULL;
  g_autofree guint *scratch = NULL;
  gsize half, split = 0;
  guint best = 0;

  if (n == 0)
    {
      append_ops (ops, OP_ADD, m);
      return;
    }
  if (m == 0)
    {
      append_ops (ops, OP_REMOVE, n);
      return;
    }
  if (n == 1)
    {
      for (gsize j = 0; j < m; j++)
        if (b[j] == a[0])
          {
            append_ops (ops, OP_ADD, j);
            append_ops (ops, OP_SAME, 1);
            append_ops (ops, OP_ADD, m - j - 1);
            return;
          }
      append_ops (ops, OP_REMOVE, 1);
      append_ops (ops, OP_ADD, m);
      return;
    }

  half = n / 2;
  forward = g_new (guint, m + 1);
  backward = g_new (guint, m + 1);
  scratch = g_new (guint, m + 1);
  lcs_row (a, half, b, m, FALSE, forward, scratch);
  lcs_row (a + half, n - half, b, m, TRUE, backward, scratch);

  for (gsize j = 0; j <= m; j++)
    if (forward[j] + backward[m - j] > best || j == 0)
      {
        best = forward[j] + backward[m - j];
        split = j;
      }

  g_clear_pointer (&forward, g_free);
  g_clear_pointer (&backward, g_free);
  g_clear_pointer (&scratch, g_free);

  diff_middle (a, half, b, split, ops);
  diff_middle (a + half, n - half, b + split, m - split, ops);
}

static void
add_row (GPtrArray   *rows,
         DbwDiffKind  kind,
         GPtrArray   *left,
         guint        l,
         GPtrArray   *right,
         guint        r)
{
  DbwDiffRow *row = g_new0 (DbwDiffRow, 1);

  row->kind = kind;
  if (kind != DBW_DIFF_ADDED)
    {
      row->left = g_strdup (g_ptr_array_index (left, l));
      row->left_line = l + 1;
    }
  if (kind != DBW_DIFF_REMOVED)
    {
      row->right = g_strdup (g_ptr_array_index (right, r));
      row->right_line = r + 1;
    }
  g_ptr_array_add (rows, row);
}

/**
 * dbw_text_diff:
 * @left: (nullable): the older text
 * @right: (nullable): the newer text
 *
 * Returns: (transfer full) (element-type DbwDiffRow): the rows to show
 */
GPtrArray *
dbw_text_diff (const char *left,
               const char *right)
{
  g_autoptr(GPtrArray) left_lines = split_lines (left);
  g_autoptr(GPtrArray) right_lines = split_lines (right);
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autofree int *a = number_lines (left_lines, numbers);
  g_autofree int *b = number_lines (right_lines, numbers);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_diff_row_free);
  gsize n = left_lines->len, m = right_lines->len;
  gsize prefix = 0, suffix = 0;
  guint l = 0, r = 0;

  /* What both begin and end with needs no search. */
  while (prefix < n && prefix < m && a[prefix] == b[prefix])
    prefix++;
  while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix])
    suffix++;

  append_ops (ops, OP_SAME, prefix);
  if (!diff_myers (a + prefix, n - prefix - suffix, b + prefix, m - prefix - suffix, ops))
    diff_middle (a + prefix, n - prefix - suffix, b + prefix, m - prefix - suffix, ops);
  append_ops (ops, OP_SAME, suffix);

  for (guint i = 0; i < ops->len;)
    {
      guint n_removed = 0, n_added = 0, first_l = l, first_r = r;

      if (g_array_index (ops, guint8, i) == OP_SAME)
        {
          add_row (rows, DBW_DIFF_SAME, left_lines, l++, right_lines, r++);
          i++;
          continue;
        }

      /* A run of changes: removed lines beside the added lines that replace them. */
      for (; i < ops->len && g_array_index (ops, guint8, i) != OP_SAME; i++)
        {
          if (g_array_index (ops, guint8, i) == OP_REMOVE)
            n_removed++;
          else
            n_added++;
        }

      for (guint k = 0; k < MAX (n_removed, n_added); k++)
        {
          if (k < n_removed && k < n_added)
            add_row (rows, DBW_DIFF_CHANGED, left_lines, first_l + k, right_lines, first_r + k);
          else if (k < n_removed)
            add_row (rows, DBW_DIFF_REMOVED, left_lines, first_l + k, right_lines, 0);
          else
            add_row (rows, DBW_DIFF_ADDED, left_lines, 0, right_lines, first_r + k);
        }

      l += n_removed;
      r += n_added;
    }

  return rows;
}
