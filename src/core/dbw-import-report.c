/* dbw-import-report.c
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

#define G_LOG_DOMAIN "dbw-import-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "dbw-import-report-private.h"

/* What an import did: how many items it added, which rows or files it rejected and why,
 * and whether its transaction was committed. The importer fills it in its own thread;
 * read it once the import has finished. */

struct _DbwImportProblem
{
  GObject  parent_instance;

  char    *source;
  char    *reason;
  guint64  line;
  guint64  record;
};

G_DEFINE_FINAL_TYPE (DbwImportProblem, dbw_import_problem, G_TYPE_OBJECT)

enum {
  PROBLEM_PROP_0,
  PROBLEM_PROP_SOURCE,
  PROBLEM_PROP_LINE,
  PROBLEM_PROP_RECORD,
  PROBLEM_PROP_REASON,
  PROBLEM_N_PROPS
};

static GParamSpec *problem_properties [PROBLEM_N_PROPS];

static void
dbw_import_problem_finalize (GObject *object)
{
  DbwImportProblem *self = (DbwImportProblem *) object;

  g_free (self->source);
  g_free (self->reason);

  G_OBJECT_CLASS (dbw_import_problem_parent_class)->finalize (object);
}

static void
dbw_import_problem_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DbwImportProblem *self = DBW_IMPORT_PROBLEM (object);

  switch (prop_id)
    {
    case PROBLEM_PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROBLEM_PROP_LINE:
      g_value_set_uint64 (value, self->line);
      break;

    case PROBLEM_PROP_RECORD:
      g_value_set_uint64 (value, self->record);
      break;

    case PROBLEM_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_import_problem_class_init (DbwImportProblemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_import_problem_finalize;
  object_class->get_property = dbw_import_problem_get_property;

  problem_properties [PROBLEM_PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  problem_properties [PROBLEM_PROP_LINE] =
    g_param_spec_uint64 ("line", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  problem_properties [PROBLEM_PROP_RECORD] =
    g_param_spec_uint64 ("record", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  problem_properties [PROBLEM_PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, PROBLEM_N_PROPS, problem_properties);
}

static void
dbw_import_problem_init (DbwImportProblem *self)
{
}

/**
 * dbw_import_problem_get_source:
 *
 * Returns: the file the problem was found in, as the user named it
 */
const char *
dbw_import_problem_get_source (DbwImportProblem *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_PROBLEM (self), NULL);

  return self->source;
}

/**
 * dbw_import_problem_get_line:
 *
 * Returns: the 1-based line where the rejected record starts, or 0 for a whole file
 */
guint64
dbw_import_problem_get_line (DbwImportProblem *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_PROBLEM (self), 0);

  return self->line;
}

/**
 * dbw_import_problem_get_record:
 *
 * Returns: the 1-based number of the rejected record (a CSV row after the header, a JSON
 *   Lines line, an element of a JSON array), or 0 for a whole file
 */
guint64
dbw_import_problem_get_record (DbwImportProblem *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_PROBLEM (self), 0);

  return self->record;
}

const char *
dbw_import_problem_get_reason (DbwImportProblem *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_PROBLEM (self), NULL);

  return self->reason;
}

/**
 * dbw_import_problem_dup_location:
 *
 * Returns: (transfer full): "file, line 12 (record 11)", or the file alone
 */
char *
dbw_import_problem_dup_location (DbwImportProblem *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_PROBLEM (self), NULL);

  if (self->line > 0 && self->record > 0)
    /* Translators: where an import found a bad record: file, line and record number */
    return g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT " (record %" G_GUINT64_FORMAT ")"),
                            self->source, self->line, self->record);
  if (self->line > 0)
    return g_strdup_printf (_("%s, line %" G_GUINT64_FORMAT), self->source, self->line);

  return g_strdup (self->source);
}

/**
 * dbw_import_problem_get_what:
 *
 * The reason without the file and line it starts with, for a list that shows where
 * beside it: "2 fields, expected 3" of "readings.csv, line 3: 2 fields, expected 3".
 *
 * Returns: (transfer none): part of the reason
 */
const char *
dbw_import_problem_get_what (DbwImportProblem *self)
{
  const char *what;

  g_return_val_if_fail (DBW_IS_IMPORT_PROBLEM (self), NULL);

  if (self->source == NULL || !g_str_has_prefix (self->reason, self->source))
    return self->reason;

  what = self->reason + strlen (self->source);
  if (g_str_has_prefix (what, ", line "))
    {
      what += strlen (", line ");
      while (g_ascii_isdigit (*what))
        what++;
    }
  if (!g_str_has_prefix (what, ": ") || what[2] == '\0')
    return self->reason;

  return what + 2;
}

struct _DbwImportReport
{
  GObject     parent_instance;

  char       *sheet_id;
  GListStore *problems;
  guint64     n_problems;
  guint64     counts[DBW_IMPORT_COUNT_BLOBS_SHARED + 1];
  guint       keep_good : 1;
  guint       committed : 1;
};

G_DEFINE_FINAL_TYPE (DbwImportReport, dbw_import_report, G_TYPE_OBJECT)

static void
dbw_import_report_finalize (GObject *object)
{
  DbwImportReport *self = (DbwImportReport *) object;

  g_free (self->sheet_id);
  g_clear_object (&self->problems);

  G_OBJECT_CLASS (dbw_import_report_parent_class)->finalize (object);
}

static void
dbw_import_report_class_init (DbwImportReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_import_report_finalize;
}

static void
dbw_import_report_init (DbwImportReport *self)
{
  self->problems = g_list_store_new (DBW_TYPE_IMPORT_PROBLEM);
}

DbwImportReport *
dbw_import_report_new (const char *sheet_id)
{
  DbwImportReport *self = g_object_new (DBW_TYPE_IMPORT_REPORT, NULL);

  self->sheet_id = g_strdup (sheet_id);

  return self;
}

const char *
dbw_import_report_get_sheet_id (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), NULL);

  return self->sheet_id;
}

/**
 * dbw_import_report_get_problems:
 *
 * Returns: (transfer none): a list of #DbwImportProblem, at most
 *   %DBW_IMPORT_REPORT_MAX_PROBLEMS of them
 */
GListModel *
dbw_import_report_get_problems (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), NULL);

  return G_LIST_MODEL (self->problems);
}

/**
 * dbw_import_report_get_n_problems:
 *
 * Returns: how many problems were found, including those not kept in the list
 */
guint64
dbw_import_report_get_n_problems (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->n_problems;
}

/**
 * dbw_import_report_get_n_added:
 *
 * Returns: how many new items the import made; when it was rolled back, how many it
 *   would have kept
 */
guint64
dbw_import_report_get_n_added (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->counts[DBW_IMPORT_COUNT_ADDED];
}

/**
 * dbw_import_report_get_n_versions:
 *
 * Returns: how many items already in the sheet came again with other content and got a
 *   new version
 */
guint64
dbw_import_report_get_n_versions (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->counts[DBW_IMPORT_COUNT_VERSIONS];
}

/**
 * dbw_import_report_get_n_unchanged:
 *
 * Returns: how many items were already in the sheet with the same content
 */
guint64
dbw_import_report_get_n_unchanged (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->counts[DBW_IMPORT_COUNT_UNCHANGED];
}

/**
 * dbw_import_report_get_n_rejected:
 *
 * Returns: how many records or files were rejected
 */
guint64
dbw_import_report_get_n_rejected (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->n_problems;
}

guint64
dbw_import_report_get_n_blobs_added (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->counts[DBW_IMPORT_COUNT_BLOBS_ADDED];
}

/**
 * dbw_import_report_get_n_blobs_shared:
 *
 * Returns: how many files had content already stored in the project, kept once
 */
guint64
dbw_import_report_get_n_blobs_shared (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), 0);

  return self->counts[DBW_IMPORT_COUNT_BLOBS_SHARED];
}

/**
 * dbw_import_report_get_committed:
 *
 * Returns: %TRUE if the import's items are in the project, %FALSE if it was rolled back
 */
gboolean
dbw_import_report_get_committed (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), FALSE);

  return self->committed;
}

gboolean
dbw_import_report_get_keep_good (DbwImportReport *self)
{
  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), FALSE);

  return self->keep_good;
}

/**
 * dbw_import_report_to_json:
 *
 * Returns: (transfer full): the report as a JSON object, for `databits import --report`
 *   and the report window's Save button
 */
char *
dbw_import_report_to_json (DbwImportReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n;

  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sheet_id");
  json_builder_add_string_value (builder, self->sheet_id);
  json_builder_set_member_name (builder, "committed");
  json_builder_add_boolean_value (builder, self->committed);
  json_builder_set_member_name (builder, "keep_good");
  json_builder_add_boolean_value (builder, self->keep_good);
  json_builder_set_member_name (builder, "items_added");
  json_builder_add_int_value (builder, self->counts[DBW_IMPORT_COUNT_ADDED]);
  json_builder_set_member_name (builder, "new_versions");
  json_builder_add_int_value (builder, self->counts[DBW_IMPORT_COUNT_VERSIONS]);
  json_builder_set_member_name (builder, "unchanged");
  json_builder_add_int_value (builder, self->counts[DBW_IMPORT_COUNT_UNCHANGED]);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, self->n_problems);
  json_builder_set_member_name (builder, "blobs_added");
  json_builder_add_int_value (builder, self->counts[DBW_IMPORT_COUNT_BLOBS_ADDED]);
  json_builder_set_member_name (builder, "blobs_shared");
  json_builder_add_int_value (builder, self->counts[DBW_IMPORT_COUNT_BLOBS_SHARED]);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->problems));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwImportProblem) problem = g_list_model_get_item (G_LIST_MODEL (self->problems), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, problem->source);
      if (problem->line > 0)
        {
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, problem->line);
        }
      if (problem->record > 0)
        {
          json_builder_set_member_name (builder, "record");
          json_builder_add_int_value (builder, problem->record);
        }
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, problem->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "problems_not_listed");
  json_builder_add_int_value (builder, self->n_problems - n);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, TRUE);
}

gboolean
dbw_import_report_save (DbwImportReport  *self,
                        GFile            *file,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (DBW_IS_IMPORT_REPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  json = dbw_import_report_to_json (self);

  return g_file_replace_contents (file, json, strlen (json), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}

void
_dbw_import_report_add_problem (DbwImportReport *self,
                                const char      *source,
                                guint64          line,
                                guint64          record,
                                const char      *reason)
{
  g_autoptr(DbwImportProblem) problem = NULL;

  self->n_problems++;
  if (self->n_problems > DBW_IMPORT_REPORT_MAX_PROBLEMS)
    return;

  problem = g_object_new (DBW_TYPE_IMPORT_PROBLEM, NULL);
  problem->source = g_strdup (source);
  problem->line = line;
  problem->record = record;
  problem->reason = g_strdup (reason);
  g_list_store_append (self->problems, problem);
}

void
_dbw_import_report_count (DbwImportReport *self,
                          DbwImportCount   what)
{
  self->counts[what]++;
}

void
_dbw_import_report_finish (DbwImportReport *self,
                           gboolean         keep_good,
                           gboolean         committed)
{
  self->keep_good = !!keep_good;
  self->committed = !!committed;
}
