/* test-text-diff.c
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

#include "dbw-text-diff.h"

/* Rows as one line each: "= 1 1 a|a", "- 2 0 b|", "+ 0 3 |c", "~ 3 4 x|y". */
static char *
describe_rows (GPtrArray *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      DbwDiffRow *row = g_ptr_array_index (rows, i);
      const char mark[] = { '=', '-', '+', '~' };

      g_string_append_printf (out, "%c %u %u %s|%s\n", mark[row->kind], row->left_line, row->right_line,
                              row->left != NULL ? row->left : "", row->right != NULL ? row->right : "");
    }

  return g_string_free (out, FALSE);
}

static void
assert_diff (const char *left,
             const char *right,
             const char *expected)
{
  g_autoptr(GPtrArray) rows = dbw_text_diff (left, right);
  g_autofree char *described = describe_rows (rows);

  g_assert_cmpstr (described, ==, expected);
}

static void
test_basic (void)
{
  assert_diff (NULL, NULL, "");
  assert_diff ("", "", "");
  assert_diff ("a\nb", "a\nb", "= 1 1 a|a\n= 2 2 b|b\n");
  assert_diff ("", "x\ny\n", "+ 0 1 |x\n+ 0 2 |y\n");
  assert_diff ("x\ny", NULL, "- 1 0 x|\n- 2 0 y|\n");
  /* One line changed in the middle. */
  assert_diff ("a\nb\nc", "a\nB\nc", "= 1 1 a|a\n~ 2 2 b|B\n= 3 3 c|c\n");
  /* Inserted and deleted lines keep the rest aligned. */
  assert_diff ("a\nc", "a\nb\nc", "= 1 1 a|a\n+ 0 2 |b\n= 2 3 c|c\n");
  assert_diff ("a\nb\nc", "a\nc", "= 1 1 a|a\n- 2 0 b|\n= 3 2 c|c\n");
  /* Two lines replaced by three: two pairs and one more line. */
  assert_diff ("k\nx1\nx2\nk2", "k\ny1\ny2\ny3\nk2",
               "= 1 1 k|k\n~ 2 2 x1|y1\n~ 3 3 x2|y2\n+ 0 4 |y3\n= 4 5 k2|k2\n");
  assert_diff ("k\nx1\nx2\nx3", "k\ny1",
               "= 1 1 k|k\n~ 2 2 x1|y1\n- 3 0 x2|\n- 4 0 x3|\n");
  /* Blank lines are lines. */
  assert_diff ("a\n\nb", "a\nb", "= 1 1 a|a\n- 2 0 |\n= 3 2 b|b\n");
}

static void
test_line_ends (void)
{
  /* A last newline, or Windows line ends, are not differences. */
  assert_diff ("a\nb\n", "a\nb", "= 1 1 a|a\n= 2 2 b|b\n");
  assert_diff ("a\r\nb\r\n", "a\nb", "= 1 1 a|a\n= 2 2 b|b\n");
  /* A lone newline is one empty line. */
  assert_diff ("\n", "", "- 1 0 |\n");
  assert_diff ("héllo\n😀", "héllo\n😃", "= 1 1 héllo|héllo\n~ 2 2 😀|😃\n");
}

static guint
lcs_length (char **a,
            guint  n,
            char **b,
            guint  m)
{
  g_autofree guint *table = g_new0 (guint, (n + 1) * (m + 1));

  for (guint i = 1; i <= n; i++)
    for (guint j = 1; j <= m; j++)
      table[i * (m + 1) + j] = g_str_equal (a[i - 1], b[j - 1])
        ? table[(i - 1) * (m + 1) + j - 1] + 1
        : MAX (table[(i - 1) * (m + 1) + j], table[i * (m + 1) + j - 1]);

  return table[n * (m + 1) + m];
}

/* The rows give back both texts, in order, with line numbers that count, and keep
 * @expected_same lines. */
static void
check_rows (char  **a,
            char  **b,
            guint   expected_same)
{
  g_autofree char *left = g_strjoinv ("\n", a);
  g_autofree char *right = g_strjoinv ("\n", b);
  g_autoptr(GPtrArray) rows = dbw_text_diff (left, right);
  g_autoptr(GPtrArray) rebuilt_left = g_ptr_array_new ();
  g_autoptr(GPtrArray) rebuilt_right = g_ptr_array_new ();
  guint same = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      DbwDiffRow *row = g_ptr_array_index (rows, i);

      if (row->left != NULL)
        {
          g_assert_cmpuint (row->left_line, ==, rebuilt_left->len + 1);
          g_ptr_array_add (rebuilt_left, row->left);
        }
      else
        {
          g_assert_cmpuint (row->left_line, ==, 0);
        }
      if (row->right != NULL)
        {
          g_assert_cmpuint (row->right_line, ==, rebuilt_right->len + 1);
          g_ptr_array_add (rebuilt_right, row->right);
        }
      else
        {
          g_assert_cmpuint (row->right_line, ==, 0);
        }

      if (row->kind == DBW_DIFF_SAME)
        {
          g_assert_cmpstr (row->left, ==, row->right);
          same++;
        }
      else if (row->kind == DBW_DIFF_CHANGED)
        {
          g_assert_cmpstr (row->left, !=, row->right);
        }
    }
  g_ptr_array_add (rebuilt_left, NULL);
  g_ptr_array_add (rebuilt_right, NULL);

  g_assert_cmpstrv ((char **) rebuilt_left->pdata, a);
  g_assert_cmpstrv ((char **) rebuilt_right->pdata, b);
  g_assert_cmpuint (same, ==, expected_same);
}

/* Random texts keep as many lines as their longest common subsequence has. */
static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 300; round++)
    {
      guint n = g_rand_int_range (rand, 0, 40);
      guint m = g_rand_int_range (rand, 0, 40);
      g_auto(GStrv) a = g_new0 (char *, n + 1);
      g_auto(GStrv) b = g_new0 (char *, m + 1);

      for (guint i = 0; i < n; i++)
        a[i] = g_strdup_printf ("line %d", g_rand_int_range (rand, 0, 6));
      for (guint i = 0; i < m; i++)
        b[i] = g_strdup_printf ("line %d", g_rand_int_range (rand, 0, 6));

      check_rows (a, b, lcs_length (a, n, b, m));
    }
}

/* Texts with more differences than the fast search takes still get the best answer. */
static void
test_very_different (void)
{
  g_auto(GStrv) a = g_new0 (char *, 1321);
  g_auto(GStrv) b = g_new0 (char *, 1321);

  /* 1200 lines on each side that the other has not, and 120 shared ones among them. */
  for (guint i = 0, j = 0; i < 1320; i++)
    {
      if (i % 11 == 5)
        {
          a[i] = g_strdup_printf ("shared %u", j);
          b[i] = g_strdup_printf ("shared %u", j);
          j++;
        }
      else
        {
          a[i] = g_strdup_printf ("left %u", i);
          b[i] = g_strdup_printf ("right %u", i);
        }
    }

  check_rows (a, b, 120);
}

static void
test_large (void)
{
  g_autoptr(GString) left = g_string_new (NULL);
  g_autoptr(GString) right = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = NULL;
  guint changed = 0;

  /* Five thousand lines, every hundredth one edited. */
  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (left, "line %u\n", i);
      if (i % 100 == 50)
        g_string_append_printf (right, "line %u, edited\n", i);
      else
        g_string_append_printf (right, "line %u\n", i);
    }

  rows = dbw_text_diff (left->str, right->str);
  g_assert_cmpuint (rows->len, ==, 5000);
  for (guint i = 0; i < rows->len; i++)
    if (((DbwDiffRow *) g_ptr_array_index (rows, i))->kind == DBW_DIFF_CHANGED)
      changed++;
  g_assert_cmpuint (changed, ==, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text-diff/basic", test_basic);
  g_test_add_func ("/text-diff/line-ends", test_line_ends);
  g_test_add_func ("/text-diff/random", test_random);
  g_test_add_func ("/text-diff/large", test_large);
  g_test_add_func ("/text-diff/very-different", test_very_different);

  return g_test_run ();
}
