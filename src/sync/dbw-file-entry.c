/* dbw-file-entry.c
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

#define G_LOG_DOMAIN "dbw-file-entry"

#include "config.h"

#include "dbw-file-entry.h"

/* A file or directory in a Unity Catalog volume, as the Files API lists it. Immutable:
 * every property is set at construction. */

struct _DbwFileEntry
{
  GObject   parent_instance;

  char     *path;
  char     *name;
  gboolean  is_directory;
  gint64    size;
  gint64    modified;
};

G_DEFINE_FINAL_TYPE (DbwFileEntry, dbw_file_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_IS_DIRECTORY,
  PROP_SIZE,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_file_entry_finalize (GObject *object)
{
  DbwFileEntry *self = (DbwFileEntry *)object;

  g_free (self->path);
  g_free (self->name);

  G_OBJECT_CLASS (dbw_file_entry_parent_class)->finalize (object);
}

static void
dbw_file_entry_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwFileEntry *self = DBW_FILE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_IS_DIRECTORY:
      g_value_set_boolean (value, self->is_directory);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_MODIFIED:
      g_value_set_int64 (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_file_entry_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DbwFileEntry *self = DBW_FILE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_IS_DIRECTORY:
      self->is_directory = g_value_get_boolean (value);
      break;
    case PROP_SIZE:
      self->size = g_value_get_int64 (value);
      break;
    case PROP_MODIFIED:
      self->modified = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_file_entry_class_init (DbwFileEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_file_entry_finalize;
  object_class->get_property = dbw_file_entry_get_property;
  object_class->set_property = dbw_file_entry_set_property;

  /* "/Volumes/main/sales/raw_files/2026/readings.csv", never with a trailing "/" */
  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* The last part of the path: "readings.csv" */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties [PROP_IS_DIRECTORY] =
    g_param_spec_boolean ("is-directory", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* In bytes; 0 for a directory. */
  properties [PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Milliseconds since 1970-01-01 UTC, as the API gives it; 0 when it gives none (directories). */
  properties [PROP_MODIFIED] =
    g_param_spec_int64 ("modified", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_file_entry_init (DbwFileEntry *self)
{
}

DbwFileEntry *
dbw_file_entry_new (const char *path,
                    const char *name,
                    gboolean    is_directory,
                    gint64      size,
                    gint64      modified)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (DBW_TYPE_FILE_ENTRY,
                       "path", path,
                       "name", name,
                       "is-directory", is_directory,
                       "size", MAX (size, 0),
                       "modified", MAX (modified, 0),
                       NULL);
}

const char *
dbw_file_entry_get_path (DbwFileEntry *self)
{
  g_return_val_if_fail (DBW_IS_FILE_ENTRY (self), NULL);

  return self->path;
}

const char *
dbw_file_entry_get_name (DbwFileEntry *self)
{
  g_return_val_if_fail (DBW_IS_FILE_ENTRY (self), NULL);

  return self->name;
}

gboolean
dbw_file_entry_get_is_directory (DbwFileEntry *self)
{
  g_return_val_if_fail (DBW_IS_FILE_ENTRY (self), FALSE);

  return self->is_directory;
}

gint64
dbw_file_entry_get_size (DbwFileEntry *self)
{
  g_return_val_if_fail (DBW_IS_FILE_ENTRY (self), 0);

  return self->size;
}

gint64
dbw_file_entry_get_modified (DbwFileEntry *self)
{
  g_return_val_if_fail (DBW_IS_FILE_ENTRY (self), 0);

  return self->modified;
}
