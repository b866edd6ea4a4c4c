/* dbw-record.h
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

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DBW_TYPE_RECORD (dbw_record_get_type ())

G_DECLARE_DERIVABLE_TYPE (DbwRecord, dbw_record, DBW, RECORD, GObject)

/**
 * DbwColumnFlags:
 * @DBW_COLUMN_JSON: a string property holding JSON text; it is embedded as JSON, not as a
 *   string, when the record is serialised
 * @DBW_COLUMN_NULLABLE: a numeric property where a negative value means "not set" and is
 *   stored as SQL NULL / JSON null
 * @DBW_COLUMN_DEFERRED: a string property that can be large (every pair id of an export)
 *   and that lists do not show: the records of dbw_store_list() and of a #DbwQueryModel
 *   leave it %NULL and are partial (see dbw_record_is_partial()); dbw_store_get() reads it
 * @DBW_COLUMN_LARGE: a string property that can be large (the text of a document) and that
 *   the records of a #DbwQueryModel, which it reads a page at a time as a list scrolls,
 *   leave %NULL, as they leave deferred ones; dbw_store_list() and dbw_store_get() read it
 */
typedef enum
{
  DBW_COLUMN_DEFAULT  = 0,
  DBW_COLUMN_JSON     = 1 << 0,
  DBW_COLUMN_NULLABLE = 1 << 1,
  DBW_COLUMN_DEFERRED = 1 << 2,
  DBW_COLUMN_LARGE    = 1 << 3,
} DbwColumnFlags;

struct _DbwRecordClass
{
  GObjectClass parent_class;

  /* The SQL table the records live in, set by subclasses in class_init. */
  const char *table;

  /* When set, every update through the store bumps the "version" column and the
   * database keeps the previous row in a history table. */
  gboolean versioned;

  /*< private >*/
  GPtrArray *columns;
  gpointer   _reserved[8];
};

void                dbw_record_class_add_column    (DbwRecordClass  *klass,
                                                    GParamSpec      *pspec,
                                                    DbwColumnFlags   flags);
guint               dbw_record_class_get_n_columns (DbwRecordClass  *klass);
GParamSpec         *dbw_record_class_get_column    (DbwRecordClass  *klass,
                                                    guint            position);
GParamSpec         *dbw_record_class_find_column   (DbwRecordClass  *klass,
                                                    const char      *column_name);
DbwColumnFlags      dbw_column_get_flags           (GParamSpec      *pspec);
const char         *dbw_column_get_name            (GParamSpec      *pspec);

const char         *dbw_record_get_id              (DbwRecord       *self);
void                dbw_record_set_id              (DbwRecord       *self,
                                                    const char      *id);
gint64              dbw_record_get_rowid           (DbwRecord       *self);
gboolean            dbw_record_is_partial          (DbwRecord       *self);
const char         *dbw_record_get_table           (DbwRecord       *self);

const char         *dbw_record_get_string          (DbwRecord       *self,
                                                    guint            prop_id);
void                dbw_record_set_string          (DbwRecord       *self,
                                                    guint            prop_id,
                                                    const char      *value);
gint64              dbw_record_get_int64           (DbwRecord       *self,
                                                    guint            prop_id);
void                dbw_record_set_int64           (DbwRecord       *self,
                                                    guint            prop_id,
                                                    gint64           value);
double              dbw_record_get_double          (DbwRecord       *self,
                                                    guint            prop_id);
void                dbw_record_set_double          (DbwRecord       *self,
                                                    guint            prop_id,
                                                    double           value);
int                 dbw_record_get_enum            (DbwRecord       *self,
                                                    guint            prop_id);
void                dbw_record_set_enum            (DbwRecord       *self,
                                                    guint            prop_id,
                                                    int              value);
const char * const *dbw_record_get_strv            (DbwRecord       *self,
                                                    guint            prop_id);
void                dbw_record_set_strv            (DbwRecord       *self,
                                                    guint            prop_id,
                                                    const char * const *value);

JsonNode           *dbw_record_to_json             (DbwRecord       *self);
char               *dbw_record_to_json_string      (DbwRecord       *self,
                                                    gboolean         pretty);
gpointer            dbw_record_new_from_json       (GType            record_type,
                                                    JsonNode        *node,
                                                    GError         **error);
gpointer            dbw_record_new_from_json_string (GType           record_type,
                                                    const char      *json,
                                                    GError         **error);
gboolean            dbw_record_update_from_json    (DbwRecord       *self,
                                                    JsonObject      *object,
                                                    GError         **error);
void                dbw_record_copy_from           (DbwRecord       *self,
                                                    DbwRecord       *other);
gpointer            dbw_record_copy                (DbwRecord       *self);

G_END_DECLS
