/* dbw-uc-entry.h
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

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  DBW_UC_KIND_CATALOG,
  DBW_UC_KIND_SCHEMA,
  DBW_UC_KIND_TABLE,
  DBW_UC_KIND_VOLUME,
} DbwUcKind;

/* One column of a Unity Catalog table. Plain data; every string is owned. */
typedef struct
{
  char *name;
  char *type_text;   /* as Databricks spells the type: "bigint", "array<string>", … */
  char *comment;     /* nullable */
} DbwUcColumn;

/* A catalog, schema, table or volume as the Unity Catalog API lists it. Plain data with
 * public fields; copy and free as a whole. */
typedef struct
{
  DbwUcKind  kind;
  char      *name;        /* "orders" */
  char      *full_name;   /* "main.sales.orders"; for a catalog the same as name */
  char      *comment;     /* nullable */
  char      *subtype;     /* nullable: table_type ("MANAGED", "VIEW", …) or volume_type */
  GPtrArray *columns;     /* DbwUcColumn, in table order; tables only, else NULL */
} DbwUcEntry;

#define DBW_TYPE_UC_ENTRY (dbw_uc_entry_get_type ())

GType        dbw_uc_entry_get_type   (void) G_GNUC_CONST;
DbwUcEntry  *dbw_uc_entry_new        (DbwUcKind          kind,
                                      const char        *name,
                                      const char        *full_name);
DbwUcEntry  *dbw_uc_entry_copy       (const DbwUcEntry  *self);
void         dbw_uc_entry_free       (DbwUcEntry        *self);
void         dbw_uc_entry_add_column (DbwUcEntry        *self,
                                      const char        *name,
                                      const char        *type_text,
                                      const char        *comment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwUcEntry, dbw_uc_entry_free)

G_END_DECLS
