/* dbw-uc-entry.c
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

#define G_LOG_DOMAIN "dbw-uc-entry"

#include "config.h"

#include "dbw-uc-entry.h"

static void
dbw_uc_column_free (DbwUcColumn *column)
{
  g_free (column->name);
  g_free (column->type_text);
  g_free (column->comment);
  g_free (column);
}

/* Spelled out instead of G_DEFINE_BOXED_TYPE, whose type-checking union trips -Wpedantic. */
GType
dbw_uc_entry_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("DbwUcEntry"),
                                                 (GBoxedCopyFunc) dbw_uc_entry_copy,
                                                 (GBoxedFreeFunc) dbw_uc_entry_free);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

DbwUcEntry *
dbw_uc_entry_new (DbwUcKind   kind,
                  const char *name,
                  const char *full_name)
{
  DbwUcEntry *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (DbwUcEntry, 1);
  self->kind = kind;
  self->name = g_strdup (name);
  self->full_name = g_strdup (full_name != NULL ? full_name : name);
  if (kind == DBW_UC_KIND_TABLE)
    self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_uc_column_free);

  return self;
}

DbwUcEntry *
dbw_uc_entry_copy (const DbwUcEntry *self)
{
  DbwUcEntry *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = dbw_uc_entry_new (self->kind, self->name, self->full_name);
  copy->comment = g_strdup (self->comment);
  copy->subtype = g_strdup (self->subtype);

  if (self->columns != NULL)
    {
      if (copy->columns == NULL)
        copy->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_uc_column_free);

      for (guint i = 0; i < self->columns->len; i++)
        {
          const DbwUcColumn *column = g_ptr_array_index (self->columns, i);

          dbw_uc_entry_add_column (copy, column->name, column->type_text, column->comment);
        }
    }

  return copy;
}

void
dbw_uc_entry_free (DbwUcEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->full_name);
  g_free (self->comment);
  g_free (self->subtype);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_free (self);
}

/* @comment: (nullable) */
void
dbw_uc_entry_add_column (DbwUcEntry *self,
                         const char *name,
                         const char *type_text,
                         const char *comment)
{
  DbwUcColumn *column;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  if (self->columns == NULL)
    self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_uc_column_free);

  column = g_new0 (DbwUcColumn, 1);
  column->name = g_strdup (name);
  column->type_text = g_strdup (type_text != NULL ? type_text : "");
  column->comment = g_strdup (comment);
  g_ptr_array_add (self->columns, column);
}
