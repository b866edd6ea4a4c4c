/* dbw-text-diff.h
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

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A line diff for showing two template versions side by side: the longest common
 * subsequence of lines, with each run of removed lines next to the run of added lines
 * that replaced it shown as CHANGED pairs. Lines end at "\n"; a "\r" before it and a
 * last newline make no difference. */

typedef enum
{
  DBW_DIFF_SAME,
  DBW_DIFF_REMOVED,   /* only on the left */
  DBW_DIFF_ADDED,     /* only on the right */
  DBW_DIFF_CHANGED,   /* a left line replaced by a right line */
} DbwDiffKind;

typedef struct
{
  DbwDiffKind kind;
  char *left;         /* NULL for ADDED */
  char *right;        /* NULL for REMOVED */
  guint left_line;    /* 1-based, 0 when absent */
  guint right_line;
} DbwDiffRow;

void       dbw_diff_row_free (DbwDiffRow *row);

/* Rows in display order: a GPtrArray owning its DbwDiffRows (its free function is
 * dbw_diff_row_free). NULL counts as empty text. */
GPtrArray *dbw_text_diff     (const char *left,
                              const char *right);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwDiffRow, dbw_diff_row_free)

G_END_DECLS
