/* dbw-record.c
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

#define G_LOG_DOMAIN "dbw-record"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-enums.h"
#include "dbw-record-private.h"
#include "dbw-store.h"

/* DbwRecord is the base of every row type in a project (sheets, items, templates, labels…).
 * Subclasses only declare their columns as GParamSpecs; storage, change notification, JSON
 * (de)serialisation and the mapping to SQL are shared here, so the store's CRUD paths are one
 * implementation for every table instead of six copies that drift apart. */

typedef struct
{
  char   *id;
  gint64  rowid;
  GValue *values;
  guint   n_values;
  /* Read by a list, without its deferred columns. */
  gboolean partial;
} DbwRecordPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DbwRecord, dbw_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];
static GQuark column_flags_quark;
static GQuark column_name_quark;
static GQuark class_info_quark;

typedef struct
{
  char                    *sql[DBW_N_SQL];
  DbwRecordSpecialColumns  special;
} ClassInfo;

G_LOCK_DEFINE_STATIC (class_info);

#define DEFERRED_COLUMN "dbw_deferred"

static GValue *
dbw_record_get_slot (DbwRecord *self,
                     guint      prop_id)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (self);

  if G_UNLIKELY (priv->values == NULL)
    {
      priv->n_values = klass->columns != NULL ? klass->columns->len : 0;
      priv->values = g_new0 (GValue, priv->n_values);

      for (guint i = 0; i < priv->n_values; i++)
        {
          GParamSpec *pspec = g_ptr_array_index (klass->columns, i);

          g_value_init (&priv->values[i], pspec->value_type);
          g_param_value_set_default (pspec, &priv->values[i]);
        }
    }

  g_return_val_if_fail (prop_id >= 1 && prop_id <= priv->n_values, NULL);

  return &priv->values[prop_id - 1];
}

gboolean
_dbw_record_values_equal (GParamSpec   *pspec,
                          const GValue *a,
                          const GValue *b)
{
  if (pspec->value_type == G_TYPE_STRV)
    {
      const char * const *sa = g_value_get_boxed (a);
      const char * const *sb = g_value_get_boxed (b);

      if (sa == NULL || sb == NULL)
        return (sa == NULL || sa[0] == NULL) && (sb == NULL || sb[0] == NULL);

      return g_strv_equal (sa, sb);
    }

  return g_param_values_cmp (pspec, a, b) == 0;
}

static void
dbw_record_take_value (DbwRecord  *self,
                       GParamSpec *pspec,
                       GValue     *value)
{
  GValue *slot = dbw_record_get_slot (self, pspec->param_id);

  if (_dbw_record_values_equal (pspec, slot, value))
    {
      g_value_unset (value);
      return;
    }

  g_value_unset (slot);
  *slot = *value;
  memset (value, 0, sizeof *value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
dbw_record_column_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  g_value_copy (dbw_record_get_slot (DBW_RECORD (object), prop_id), value);
}

static void
dbw_record_column_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  GValue copy = G_VALUE_INIT;

  g_value_init (&copy, pspec->value_type);
  g_value_copy (value, &copy);
  dbw_record_take_value (DBW_RECORD (object), pspec, &copy);
}

static void
dbw_record_finalize (GObject *object)
{
  DbwRecord *self = (DbwRecord *)object;
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  for (guint i = 0; i < priv->n_values; i++)
    g_value_unset (&priv->values[i]);
  g_clear_pointer (&priv->values, g_free);
  g_clear_pointer (&priv->id, g_free);

  G_OBJECT_CLASS (dbw_record_parent_class)->finalize (object);
}

static void
dbw_record_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DbwRecord *self = DBW_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, dbw_record_get_id (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_record_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DbwRecord *self = DBW_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      dbw_record_set_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_record_class_init (DbwRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_record_finalize;
  object_class->get_property = dbw_record_get_property;
  object_class->set_property = dbw_record_set_property;

  column_flags_quark = g_quark_from_static_string ("dbw-column-flags");
  column_name_quark = g_quark_from_static_string ("dbw-column-name");
  class_info_quark = g_quark_from_static_string ("dbw-record-class-info");

  /**
   * DbwRecord:id:
   *
   * The UUID of the record, empty until the record is first stored.
   */
  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_record_init (DbwRecord *self)
{
}

/**
 * dbw_record_class_add_column:
 * @klass: a subclass' class structure, from its class_init
 * @pspec: (transfer full): the property; its name with dashes turned into underscores is the
 *   column name
 * @flags: how the value maps to SQL and JSON
 *
 * Installs @pspec as property number N+1 of the subclass, where N is the number of columns
 * added before. Subclasses add columns in the order of their property enum.
 */
void
dbw_record_class_add_column (DbwRecordClass *klass,
                             GParamSpec     *pspec,
                             DbwColumnFlags  flags)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  g_autofree char *column_name = NULL;

  g_return_if_fail (DBW_IS_RECORD_CLASS (klass));
  g_return_if_fail (G_IS_PARAM_SPEC (pspec));
  g_return_if_fail (!(flags & (DBW_COLUMN_DEFERRED | DBW_COLUMN_LARGE)) || pspec->value_type == G_TYPE_STRING);

  if (klass->columns == NULL)
    klass->columns = g_ptr_array_new ();

  object_class->get_property = dbw_record_column_get_property;
  object_class->set_property = dbw_record_column_set_property;

  column_name = g_strdup (pspec->name);
  g_strdelimit (column_name, "-", '_');
  g_param_spec_set_qdata (pspec, column_flags_quark, GUINT_TO_POINTER (flags | 0x100));
  g_param_spec_set_qdata_full (pspec, column_name_quark, g_steal_pointer (&column_name), g_free);

  g_object_class_install_property (object_class, klass->columns->len + 1, pspec);
  g_ptr_array_add (klass->columns, pspec);
}

guint
dbw_record_class_get_n_columns (DbwRecordClass *klass)
{
  g_return_val_if_fail (DBW_IS_RECORD_CLASS (klass), 0);

  return klass->columns != NULL ? klass->columns->len : 0;
}

GParamSpec *
dbw_record_class_get_column (DbwRecordClass *klass,
                             guint           position)
{
  g_return_val_if_fail (DBW_IS_RECORD_CLASS (klass), NULL);
  g_return_val_if_fail (klass->columns != NULL && position < klass->columns->len, NULL);

  return g_ptr_array_index (klass->columns, position);
}

/**
 * dbw_record_class_find_column:
 *
 * Returns: (nullable) (transfer none): the column called @column_name (with underscores, as
 *   in SQL and JSON), or %NULL if the record type has none. Used to validate every column name
 *   that reaches SQL.
 */
GParamSpec *
dbw_record_class_find_column (DbwRecordClass *klass,
                              const char     *column_name)
{
  g_return_val_if_fail (DBW_IS_RECORD_CLASS (klass), NULL);

  if (column_name == NULL || klass->columns == NULL)
    return NULL;

  for (guint i = 0; i < klass->columns->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (klass->columns, i);

      if (g_str_equal (dbw_column_get_name (pspec), column_name))
        return pspec;
    }

  return NULL;
}

DbwColumnFlags
dbw_column_get_flags (GParamSpec *pspec)
{
  return GPOINTER_TO_UINT (g_param_spec_get_qdata (pspec, column_flags_quark)) & 0xff;
}

const char *
dbw_column_get_name (GParamSpec *pspec)
{
  return g_param_spec_get_qdata (pspec, column_name_quark);
}

const char *
dbw_record_get_id (DbwRecord *self)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  return priv->id;
}

void
dbw_record_set_id (DbwRecord  *self,
                   const char *id)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  g_return_if_fail (DBW_IS_RECORD (self));

  if (g_strcmp0 (priv->id, id) == 0)
    return;

  g_free (priv->id);
  priv->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

/**
 * dbw_record_get_rowid:
 *
 * Returns: the SQLite rowid of the stored record, or 0 if it was never stored
 */
gint64
dbw_record_get_rowid (DbwRecord *self)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  g_return_val_if_fail (DBW_IS_RECORD (self), 0);

  return priv->rowid;
}

/**
 * dbw_record_is_partial:
 *
 * A record read by a list (dbw_store_list(), #DbwQueryModel) leaves out its deferred
 * columns (%DBW_COLUMN_DEFERRED), and one of a #DbwQueryModel its large ones
 * (%DBW_COLUMN_LARGE), which are then %NULL. Such a record cannot be written back;
 * dbw_store_get() reads it whole.
 *
 * Returns: %TRUE if the record lacks its deferred columns
 */
gboolean
dbw_record_is_partial (DbwRecord *self)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  g_return_val_if_fail (DBW_IS_RECORD (self), FALSE);

  return priv->partial;
}

void
_dbw_record_set_rowid (DbwRecord *self,
                       gint64     rowid)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  priv->rowid = rowid;
}

const char *
dbw_record_get_table (DbwRecord *self)
{
  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  return DBW_RECORD_GET_CLASS (self)->table;
}

const char *
dbw_record_get_string (DbwRecord *self,
                       guint      prop_id)
{
  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  return g_value_get_string (dbw_record_get_slot (self, prop_id));
}

static GParamSpec *
dbw_record_get_pspec (DbwRecord *self,
                      guint      prop_id)
{
  return dbw_record_class_get_column (DBW_RECORD_GET_CLASS (self), prop_id - 1);
}

void
dbw_record_set_string (DbwRecord  *self,
                       guint       prop_id,
                       const char *value)
{
  GValue v = G_VALUE_INIT;

  g_return_if_fail (DBW_IS_RECORD (self));

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  dbw_record_take_value (self, dbw_record_get_pspec (self, prop_id), &v);
}

gint64
dbw_record_get_int64 (DbwRecord *self,
                      guint      prop_id)
{
  g_return_val_if_fail (DBW_IS_RECORD (self), 0);

  return g_value_get_int64 (dbw_record_get_slot (self, prop_id));
}

void
dbw_record_set_int64 (DbwRecord *self,
                      guint      prop_id,
                      gint64     value)
{
  GValue v = G_VALUE_INIT;

  g_return_if_fail (DBW_IS_RECORD (self));

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  dbw_record_take_value (self, dbw_record_get_pspec (self, prop_id), &v);
}

double
dbw_record_get_double (DbwRecord *self,
                       guint      prop_id)
{
  g_return_val_if_fail (DBW_IS_RECORD (self), 0.0);

  return g_value_get_double (dbw_record_get_slot (self, prop_id));
}

void
dbw_record_set_double (DbwRecord *self,
                       guint      prop_id,
                       double     value)
{
  GValue v = G_VALUE_INIT;

  g_return_if_fail (DBW_IS_RECORD (self));

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, value);
  dbw_record_take_value (self, dbw_record_get_pspec (self, prop_id), &v);
}

int
dbw_record_get_enum (DbwRecord *self,
                     guint      prop_id)
{
  g_return_val_if_fail (DBW_IS_RECORD (self), 0);

  return g_value_get_enum (dbw_record_get_slot (self, prop_id));
}

void
dbw_record_set_enum (DbwRecord *self,
                     guint      prop_id,
                     int        value)
{
  GParamSpec *pspec;
  GValue v = G_VALUE_INIT;

  g_return_if_fail (DBW_IS_RECORD (self));

  pspec = dbw_record_get_pspec (self, prop_id);
  g_value_init (&v, pspec->value_type);
  g_value_set_enum (&v, value);
  dbw_record_take_value (self, pspec, &v);
}

const char * const *
dbw_record_get_strv (DbwRecord *self,
                     guint      prop_id)
{
  static const char * const empty[] = { NULL };
  const char * const *strv;

  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  strv = g_value_get_boxed (dbw_record_get_slot (self, prop_id));

  return strv != NULL ? strv : empty;
}

void
dbw_record_set_strv (DbwRecord          *self,
                     guint               prop_id,
                     const char * const *value)
{
  GValue v = G_VALUE_INIT;

  g_return_if_fail (DBW_IS_RECORD (self));

  g_value_init (&v, G_TYPE_STRV);
  g_value_set_boxed (&v, value);
  dbw_record_take_value (self, dbw_record_get_pspec (self, prop_id), &v);
}

/* SQL text and special columns, per class */

static char *
build_sql (DbwRecordClass *klass,
           DbwSqlKind      kind)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  guint n = dbw_record_class_get_n_columns (klass);

  switch (kind)
    {
    case DBW_SQL_SELECT:
    case DBW_SQL_SELECT_BY_ID:
    case DBW_SQL_SELECT_BY_ROWIDS:
    case DBW_SQL_BROWSE_BY_ROWIDS:
      g_string_append (sql, "SELECT rowid, id");
      for (guint i = 0; i < n; i++)
        {
          GParamSpec *pspec = dbw_record_class_get_column (klass, i);
          DbwColumnFlags left_out = kind == DBW_SQL_SELECT_BY_ID ? 0
                                    : kind == DBW_SQL_BROWSE_BY_ROWIDS ? DBW_COLUMN_DEFERRED | DBW_COLUMN_LARGE
                                    : DBW_COLUMN_DEFERRED;

          /* Lists leave deferred columns out; the name tells the loader so. */
          if (dbw_column_get_flags (pspec) & left_out)
            g_string_append (sql, ", NULL AS " DEFERRED_COLUMN);
          else
            g_string_append_printf (sql, ", %s", dbw_column_get_name (pspec));
        }
      g_string_append_printf (sql, " FROM %s", klass->table);
      if (kind == DBW_SQL_SELECT_BY_ID)
        g_string_append (sql, " WHERE id = ?1");
      else if (kind == DBW_SQL_SELECT_BY_ROWIDS || kind == DBW_SQL_BROWSE_BY_ROWIDS)
        g_string_append (sql, " WHERE rowid IN (SELECT value FROM json_each (?1))");
      break;

    case DBW_SQL_INSERT:
      g_string_append_printf (sql, "INSERT INTO %s (id", klass->table);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, ", %s", dbw_column_get_name (dbw_record_class_get_column (klass, i)));
      g_string_append (sql, ") VALUES (?1");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, ", ?%u", i + 2);
      g_string_append (sql, ")");
      break;

    case DBW_SQL_UPDATE:
      g_string_append_printf (sql, "UPDATE %s SET ", klass->table);
      for (guint i = 0; i < n; i++)
        {
          const char *name = dbw_column_get_name (dbw_record_class_get_column (klass, i));

          if (i > 0)
            g_string_append (sql, ", ");

          /* The version of a versioned record is the database's to bump, never the caller's. */
          if (klass->versioned && g_str_equal (name, "version"))
            g_string_append (sql, "version = version + 1");
          else
            g_string_append_printf (sql, "%s = ?%u", name, i + 2);
        }
      g_string_append (sql, " WHERE id = ?1");
      if (klass->versioned)
        g_string_append (sql, " RETURNING version");
      break;

    case DBW_SQL_DELETE:
      g_string_append_printf (sql, "DELETE FROM %s WHERE id = ?1", klass->table);
      break;

    case DBW_N_SQL:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static guint
find_prop_id (DbwRecordClass *klass,
              const char     *column)
{
  GParamSpec *pspec = dbw_record_class_find_column (klass, column);

  return pspec != NULL ? pspec->param_id : 0;
}

static ClassInfo *
get_class_info (DbwRecordClass *klass)
{
  GType type = G_TYPE_FROM_CLASS (klass);
  ClassInfo *info;

  G_LOCK (class_info);

  info = g_type_get_qdata (type, class_info_quark);
  if (info == NULL)
    {
      info = g_new0 (ClassInfo, 1);
      for (guint i = 0; i < DBW_N_SQL; i++)
        info->sql[i] = build_sql (klass, i);
      info->special.created_at = find_prop_id (klass, "created_at");
      info->special.updated_at = find_prop_id (klass, "updated_at");
      info->special.created_by = find_prop_id (klass, "created_by");
      info->special.last_modified_at = find_prop_id (klass, "last_modified_at");
      info->special.last_modified_by = find_prop_id (klass, "last_modified_by");
      info->special.version = find_prop_id (klass, "version");
      /* Classes are never unloaded: the info lives as long as the type. */
      g_type_set_qdata (type, class_info_quark, info);
    }

  G_UNLOCK (class_info);

  return info;
}

const char *
_dbw_record_class_get_sql (DbwRecordClass *klass,
                           DbwSqlKind      kind)
{
  g_return_val_if_fail (DBW_IS_RECORD_CLASS (klass), NULL);
  g_return_val_if_fail (kind < DBW_N_SQL, NULL);

  return get_class_info (klass)->sql[kind];
}

const DbwRecordSpecialColumns *
_dbw_record_class_get_special (DbwRecordClass *klass)
{
  g_return_val_if_fail (DBW_IS_RECORD_CLASS (klass), NULL);

  return &get_class_info (klass)->special;
}

/**
 * _dbw_record_class_get_update_sql:
 * @columns: (array length=n_columns): indexes of the columns to write, ascending
 *
 * Returns: (transfer none): UPDATE … SET of @columns only, their parameters ?2, ?3, … in
 *   order (the version of a versioned record, if among them, is bumped, not bound). Interned:
 *   its address can key the store's cache of statements too.
 */
const char *
_dbw_record_class_get_update_sql (DbwRecordClass *klass,
                                  const guint    *columns,
                                  guint           n_columns)
{
  g_autoptr(GString) sql = NULL;
  guint param = 2;

  g_return_val_if_fail (DBW_IS_RECORD_CLASS (klass), NULL);
  g_return_val_if_fail (n_columns > 0, NULL);

  sql = g_string_new (NULL);
  g_string_append_printf (sql, "UPDATE %s SET ", klass->table);
  for (guint i = 0; i < n_columns; i++)
    {
      const char *name = dbw_column_get_name (dbw_record_class_get_column (klass, columns[i]));

      if (i > 0)
        g_string_append (sql, ", ");
      if (klass->versioned && g_str_equal (name, "version"))
        g_string_append (sql, "version = version + 1");
      else
        g_string_append_printf (sql, "%s = ?%u", name, param++);
    }
  g_string_append (sql, " WHERE id = ?1");
  if (klass->versioned)
    g_string_append (sql, " RETURNING version");

  return g_intern_string (sql->str);
}

/**
 * _dbw_record_get_changed_columns:
 * @original: a record of the same type, as it was read
 *
 * Returns: (transfer full): the indexes, ascending, of the columns whose values differ
 */
GArray *
_dbw_record_get_changed_columns (DbwRecord *self,
                                 DbwRecord *original)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (self);
  GArray *changed = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (G_TYPE_FROM_INSTANCE (self) == G_TYPE_FROM_INSTANCE (original), changed);

  for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
    {
      GParamSpec *pspec = dbw_record_class_get_column (klass, i);

      if (!_dbw_record_values_equal (pspec, dbw_record_get_slot (self, i + 1), dbw_record_get_slot (original, i + 1)))
        g_array_append_val (changed, i);
    }

  return changed;
}

/* JSON */

static JsonNode *
value_to_json (GParamSpec   *pspec,
               const GValue *value)
{
  DbwColumnFlags flags = dbw_column_get_flags (pspec);
  GType type = pspec->value_type;

  if (type == G_TYPE_STRING)
    {
      const char *str = g_value_get_string (value);

      if (str == NULL)
        return json_node_new (JSON_NODE_NULL);

      if (flags & DBW_COLUMN_JSON)
        {
          JsonNode *node = json_from_string (str, NULL);

          if (node != NULL)
            return node;
        }

      return json_node_init_string (json_node_alloc (), str);
    }
  else if (type == G_TYPE_INT64)
    {
      gint64 v = g_value_get_int64 (value);

      if ((flags & DBW_COLUMN_NULLABLE) && v < 0)
        return json_node_new (JSON_NODE_NULL);

      return json_node_init_int (json_node_alloc (), v);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double v = g_value_get_double (value);

      if ((flags & DBW_COLUMN_NULLABLE) && v < 0)
        return json_node_new (JSON_NODE_NULL);

      /* json-glib 1.6 writes exponents as "1e-300.0", which is not JSON; no column of ours
       * needs that precision. */
      if (fabs (v) < 1e-12)
        v = 0.0;

      return json_node_init_double (json_node_alloc (), v);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      return json_node_init_boolean (json_node_alloc (), g_value_get_boolean (value));
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      return json_node_init_string (json_node_alloc (),
                                    dbw_enum_to_nick (type, g_value_get_enum (value)));
    }
  else if (type == G_TYPE_STRV)
    {
      const char * const *strv = g_value_get_boxed (value);
      JsonArray *array = json_array_new ();

      for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
        json_array_add_string_element (array, strv[i]);

      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (node, array);
      return node;
    }

  g_return_val_if_reached (json_node_new (JSON_NODE_NULL));
}

static char *
describe_nicks (GType enum_type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (i > 0)
        g_string_append (str, ", ");
      g_string_append (str, klass->values[i].value_nick);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static gboolean
check_utf8 (const char  *column,
            const char  *text,
            GError     **error)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return TRUE;

  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
               _("Field “%s” is not valid UTF-8 text"), column);
  return FALSE;
}

static gboolean
value_from_json (GParamSpec  *pspec,
                 JsonNode    *node,
                 GValue      *value,
                 GError     **error)
{
  DbwColumnFlags flags = dbw_column_get_flags (pspec);
  const char *column = dbw_column_get_name (pspec);
  GType type = pspec->value_type;
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);

  g_value_init (value, type);

  if (type == G_TYPE_STRING)
    {
      if (is_null)
        return TRUE;

      if (flags & DBW_COLUMN_JSON)
        {
          g_autofree char *text = json_to_string (node, FALSE);

          /* A lone surrogate escape ("\ud800") decodes to bytes that are not UTF-8. */
          if (!check_utf8 (column, text, error))
            return FALSE;

          g_value_take_string (value, g_steal_pointer (&text));
          return TRUE;
        }

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (!check_utf8 (column, json_node_get_string (node), error))
            return FALSE;

          g_value_set_string (value, json_node_get_string (node));
          return TRUE;
        }
    }
  else if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      if (is_null && (flags & DBW_COLUMN_NULLABLE))
        {
          if (type == G_TYPE_INT64)
            g_value_set_int64 (value, -1);
          else
            g_value_set_double (value, -1.0);
          return TRUE;
        }

      if (JSON_NODE_HOLDS_VALUE (node))
        {
          GType vt = json_node_get_value_type (node);

          if (type == G_TYPE_INT64 && vt == G_TYPE_INT64)
            {
              g_value_set_int64 (value, json_node_get_int (node));
              return TRUE;
            }
          if (type == G_TYPE_DOUBLE && (vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE))
            {
              double v = json_node_get_double (node);

              /* Beyond ±1e15 json-glib 1.6 cannot write the number back as JSON. */
              if (!isfinite (v) || fabs (v) >= 1e15)
                {
                  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                               _("Field “%s”: the number is out of range"), column);
                  return FALSE;
                }

              g_value_set_double (value, v);
              return TRUE;
            }
        }
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          g_value_set_boolean (value, json_node_get_boolean (node));
          return TRUE;
        }
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *nick = json_node_get_string (node);
          int v;

          if (dbw_enum_from_nick (type, nick, &v))
            {
              g_value_set_enum (value, v);
              return TRUE;
            }
          else
            {
              g_autofree char *allowed = describe_nicks (type);

              g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                           /* Translators: field “status”: “foo” is not one of unlabeled, labeled… */
                           _("Field “%s”: “%s” is not one of %s"),
                           column, nick, allowed);
              return FALSE;
            }
        }
    }
  else if (type == G_TYPE_STRV)
    {
      if (is_null)
        return TRUE;

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          g_auto(GStrv) strv = g_new0 (char *, n + 1);

          for (guint i = 0; i < n; i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (element) ||
                  json_node_get_value_type (element) != G_TYPE_STRING)
                {
                  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                               _("Field “%s”: element %u is not a string"),
                               column, i + 1);
                  return FALSE;
                }

              if (!check_utf8 (column, json_node_get_string (element), error))
                return FALSE;

              strv[i] = g_strdup (json_node_get_string (element));
            }

          g_value_take_boxed (value, g_steal_pointer (&strv));
          return TRUE;
        }
    }

  g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
               _("Field “%s” has the wrong type: expected %s"),
               column,
               G_TYPE_IS_ENUM (type) ? "string" :
               type == G_TYPE_STRV ? "array of strings" :
               type == G_TYPE_INT64 ? "integer" :
               type == G_TYPE_DOUBLE ? "number" :
               type == G_TYPE_BOOLEAN ? "boolean" : "string");

  return FALSE;
}

/**
 * dbw_record_to_json:
 *
 * Serialises the record as a JSON object whose member names are the column names (as in the
 * specification and the Delta tables), with JSON columns embedded as JSON values.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
dbw_record_to_json (DbwRecord *self)
{
  DbwRecordClass *klass;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  klass = DBW_RECORD_GET_CLASS (self);
  object = json_object_new ();

  if (dbw_record_get_id (self) != NULL)
    json_object_set_string_member (object, "id", dbw_record_get_id (self));
  else
    json_object_set_null_member (object, "id");

  for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
    {
      GParamSpec *pspec = g_ptr_array_index (klass->columns, i);

      json_object_set_member (object, dbw_column_get_name (pspec),
                              value_to_json (pspec, dbw_record_get_slot (self, i + 1)));
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}

char *
dbw_record_to_json_string (DbwRecord *self,
                           gboolean   pretty)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  node = dbw_record_to_json (self);

  return json_to_string (node, pretty);
}

/**
 * dbw_record_update_from_json:
 * @object: members named like the columns; members that are absent keep their value
 *
 * Sets every column present in @object. Nothing changes if any member is invalid.
 *
 * Returns: %TRUE on success, %FALSE with @error naming the bad field
 */
gboolean
dbw_record_update_from_json (DbwRecord   *self,
                             JsonObject  *object,
                             GError     **error)
{
  DbwRecordClass *klass;
  g_autoptr(GArray) values = NULL;
  g_autoptr(GPtrArray) pspecs = NULL;
  JsonNode *id_node;

  g_return_val_if_fail (DBW_IS_RECORD (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  klass = DBW_RECORD_GET_CLASS (self);
  values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  pspecs = g_ptr_array_new ();

  id_node = json_object_get_member (object, "id");
  if (id_node != NULL && !JSON_NODE_HOLDS_NULL (id_node) &&
      !(JSON_NODE_HOLDS_VALUE (id_node) && json_node_get_value_type (id_node) == G_TYPE_STRING))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("Field “%s” has the wrong type: expected %s"), "id", "string");
      return FALSE;
    }

  for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
    {
      GParamSpec *pspec = g_ptr_array_index (klass->columns, i);
      JsonNode *member = json_object_get_member (object, dbw_column_get_name (pspec));
      GValue value = G_VALUE_INIT;

      if (member == NULL)
        continue;

      if (!value_from_json (pspec, member, &value, error))
        {
          if (G_IS_VALUE (&value))
            g_value_unset (&value);
          return FALSE;
        }

      g_array_append_val (values, value);
      g_ptr_array_add (pspecs, pspec);
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (id_node != NULL)
    dbw_record_set_id (self, JSON_NODE_HOLDS_NULL (id_node) ? NULL : json_node_get_string (id_node));

  for (guint i = 0; i < pspecs->len; i++)
    {
      GValue *value = &g_array_index (values, GValue, i);

      dbw_record_take_value (self, g_ptr_array_index (pspecs, i), value);
      /* take_value emptied it, keep the array's clear func happy */
      g_value_init (value, G_TYPE_INT);
    }

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * dbw_record_new_from_json:
 * @record_type: a subtype of #DbwRecord
 * @node: a JSON object
 *
 * Returns: (transfer full) (type DbwRecord): a new record, or %NULL with @error set
 */
gpointer
dbw_record_new_from_json (GType      record_type,
                          JsonNode  *node,
                          GError   **error)
{
  g_autoptr(DbwRecord) record = NULL;

  g_return_val_if_fail (g_type_is_a (record_type, DBW_TYPE_RECORD), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("Expected a JSON object"));
      return NULL;
    }

  record = g_object_new (record_type, NULL);
  if (!dbw_record_update_from_json (record, json_node_get_object (node), error))
    return NULL;

  return g_steal_pointer (&record);
}

gpointer
dbw_record_new_from_json_string (GType        record_type,
                                 const char  *json,
                                 GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  node = json_from_string (json, &local_error);
  if (node == NULL)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("Not valid JSON: %s"),
                   local_error != NULL ? local_error->message : _("empty document"));
      return NULL;
    }

  return dbw_record_new_from_json (record_type, node, error);
}

/**
 * dbw_record_copy_from:
 *
 * Makes @self hold the same id and column values as @other, notifying only what changed.
 * Query models use it to refresh a row in place so bound widgets update.
 */
void
dbw_record_copy_from (DbwRecord *self,
                      DbwRecord *other)
{
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);
  DbwRecordClass *klass;

  g_return_if_fail (DBW_IS_RECORD (self));
  g_return_if_fail (G_TYPE_FROM_INSTANCE (self) == G_TYPE_FROM_INSTANCE (other));

  klass = DBW_RECORD_GET_CLASS (self);

  g_object_freeze_notify (G_OBJECT (self));

  dbw_record_set_id (self, dbw_record_get_id (other));
  _dbw_record_set_rowid (self, dbw_record_get_rowid (other));
  priv->partial = dbw_record_is_partial (other);

  for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
    {
      GParamSpec *pspec = g_ptr_array_index (klass->columns, i);
      GValue copy = G_VALUE_INIT;

      g_value_init (&copy, pspec->value_type);
      g_value_copy (dbw_record_get_slot (other, i + 1), &copy);
      dbw_record_take_value (self, pspec, &copy);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * dbw_record_copy:
 *
 * Returns: (transfer full) (type DbwRecord): a new record with the same values
 */
gpointer
dbw_record_copy (DbwRecord *self)
{
  DbwRecord *copy;

  g_return_val_if_fail (DBW_IS_RECORD (self), NULL);

  copy = g_object_new (G_TYPE_FROM_INSTANCE (self), NULL);
  dbw_record_copy_from (copy, self);

  return copy;
}

/* SQL */

void
_dbw_record_bind_value (const GValue *value,
                        GParamSpec   *pspec,
                        sqlite3_stmt *stmt,
                        int           param)
{
  DbwColumnFlags flags = dbw_column_get_flags (pspec);
  GType type = pspec->value_type;

  if (type == G_TYPE_STRING)
    {
      const char *str = g_value_get_string (value);

      /* The record outlives the statement's step: no copy. */
      if (str == NULL)
        sqlite3_bind_null (stmt, param);
      else
        sqlite3_bind_text (stmt, param, str, -1, SQLITE_STATIC);
    }
  else if (type == G_TYPE_INT64)
    {
      gint64 v = g_value_get_int64 (value);

      if ((flags & DBW_COLUMN_NULLABLE) && v < 0)
        sqlite3_bind_null (stmt, param);
      else
        sqlite3_bind_int64 (stmt, param, v);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double v = g_value_get_double (value);

      if ((flags & DBW_COLUMN_NULLABLE) && v < 0)
        sqlite3_bind_null (stmt, param);
      else
        sqlite3_bind_double (stmt, param, v);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      sqlite3_bind_int (stmt, param, g_value_get_boolean (value) ? 1 : 0);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      sqlite3_bind_text (stmt, param, dbw_enum_to_nick (type, g_value_get_enum (value)),
                         -1, SQLITE_STATIC);
    }
  else if (type == G_TYPE_STRV)
    {
      const char * const *strv = g_value_get_boxed (value);
      g_autoptr(JsonNode) node = NULL;

      if (strv == NULL || strv[0] == NULL)
        {
          sqlite3_bind_text (stmt, param, "[]", 2, SQLITE_STATIC);
          return;
        }

      node = value_to_json (pspec, value);
      sqlite3_bind_text (stmt, param, json_to_string (node, FALSE), -1, g_free);
    }
  else
    {
      g_assert_not_reached ();
    }
}

int
_dbw_record_bind_column (DbwRecord    *self,
                         guint         position,
                         sqlite3_stmt *stmt,
                         int           param)
{
  GParamSpec *pspec = dbw_record_class_get_column (DBW_RECORD_GET_CLASS (self), position);

  _dbw_record_bind_value (dbw_record_get_slot (self, position + 1), pspec, stmt, param);

  return SQLITE_OK;
}

static void
load_value (GParamSpec   *pspec,
            sqlite3_stmt *stmt,
            int           column,
            GValue       *value)
{
  DbwColumnFlags flags = dbw_column_get_flags (pspec);
  GType type = pspec->value_type;
  gboolean is_null = sqlite3_column_type (stmt, column) == SQLITE_NULL;

  g_value_init (value, type);

  if (type == G_TYPE_STRING)
    {
      if (!is_null)
        g_value_set_string (value, (const char *) sqlite3_column_text (stmt, column));
    }
  else if (type == G_TYPE_INT64)
    {
      g_value_set_int64 (value, is_null && (flags & DBW_COLUMN_NULLABLE) ? -1 : sqlite3_column_int64 (stmt, column));
    }
  else if (type == G_TYPE_DOUBLE)
    {
      g_value_set_double (value, is_null && (flags & DBW_COLUMN_NULLABLE) ? -1.0 : sqlite3_column_double (stmt, column));
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      g_value_set_boolean (value, sqlite3_column_int (stmt, column) != 0);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      int v;

      if (dbw_enum_from_nick (type, (const char *) sqlite3_column_text (stmt, column), &v))
        g_value_set_enum (value, v);
      else
        g_param_value_set_default (pspec, value);
    }
  else if (type == G_TYPE_STRV)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, column);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      GValue parsed = G_VALUE_INIT;

      /* Most lists are empty; no need for a parser to learn that. */
      if (text == NULL || strcmp (text, "[]") == 0)
        return;

      node = json_from_string (text, NULL);

      if (node != NULL && value_from_json (pspec, node, &parsed, &error))
        {
          g_value_unset (value);
          *value = parsed;
        }
      else if (G_IS_VALUE (&parsed))
        {
          g_value_unset (&parsed);
        }
    }
  else
    {
      g_assert_not_reached ();
    }
}

/* The statement's columns are: rowid, id, then every class column in order, starting at
 * @first_column. */
void
_dbw_record_load_from_stmt (DbwRecord    *self,
                            sqlite3_stmt *stmt,
                            int           first_column)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (self);
  DbwRecordPrivate *priv = dbw_record_get_instance_private (self);

  g_object_freeze_notify (G_OBJECT (self));

  _dbw_record_set_rowid (self, sqlite3_column_int64 (stmt, first_column));
  dbw_record_set_id (self, (const char *) sqlite3_column_text (stmt, first_column + 1));
  priv->partial = FALSE;

  for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
    {
      GParamSpec *pspec = g_ptr_array_index (klass->columns, i);
      int column = first_column + 2 + i;
      GValue value = G_VALUE_INIT;

      if ((dbw_column_get_flags (pspec) & (DBW_COLUMN_DEFERRED | DBW_COLUMN_LARGE)) &&
          g_strcmp0 (sqlite3_column_name (stmt, column), DEFERRED_COLUMN) == 0)
        priv->partial = TRUE;

      load_value (pspec, stmt, column, &value);
      dbw_record_take_value (self, pspec, &value);
    }

  g_object_thaw_notify (G_OBJECT (self));
}
