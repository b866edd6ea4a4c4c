/* dbw-generation-job.c
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

#define G_LOG_DOMAIN "dbw-generation-job"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dbw-generation-job.h"
#include "dbw-qa-pair.h"
#include "dbw-record-private.h"
#include "dbw-sheet.h"
#include "dbw-store-private.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"

/* What a Generate job keeps in the project: a training_sheets row (the pairs' home) and a
 * job_runs row (job_type "generate") whose config holds everything needed to carry on —
 * sheet, template version, mode, column and the run's options — and whose status,
 * progress and result say how far it got. Which items are left is never stored: it is
 * every current item of the sheet without a pair in the training sheet, so a run killed at
 * any moment resumes exactly where its last commit left it.
 *
 * The functions take the store to work on, because a run writes from a worker thread on a
 * connection of its own while the main thread reads the same job. */

struct _DbwGenerationJob
{
  GObject             parent_instance;

  char               *id;
  char               *training_sheet_id;
  char               *sheet_id;
  char               *template_row_id;
  char               *column;
  DbwLabelingMode     mode;
  DbwGenerationState  state;
  JsonObject         *config;
  JsonObject         *result;
  char               *error_message;
};

G_DEFINE_FINAL_TYPE (DbwGenerationJob, dbw_generation_job, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-generation-error-quark, dbw_generation_error)

GType
dbw_generation_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        /* The nicks are job_runs.status. */
        { DBW_GENERATION_STATE_READY, "DBW_GENERATION_STATE_READY", "pending" },
        { DBW_GENERATION_STATE_RUNNING, "DBW_GENERATION_STATE_RUNNING", "running" },
        { DBW_GENERATION_STATE_PAUSED, "DBW_GENERATION_STATE_PAUSED", "paused" },
        { DBW_GENERATION_STATE_SUCCEEDED, "DBW_GENERATION_STATE_SUCCEEDED", "succeeded" },
        { DBW_GENERATION_STATE_FAILED, "DBW_GENERATION_STATE_FAILED", "failed" },
        { DBW_GENERATION_STATE_CANCELLED, "DBW_GENERATION_STATE_CANCELLED", "cancelled" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type_id, g_enum_register_static ("DbwGenerationState", values));
    }

  return type_id;
}

/* Statements built once from the record classes; their addresses key the store's cache. */
static const char *
canonical_label_sql (void)
{
  static const char *sql;

  if (g_once_init_enter (&sql))
    {
      DbwRecordClass *klass = g_type_class_ref (DBW_TYPE_CANONICAL_LABEL);
      char *text = g_strdup_printf ("%s WHERE sheet_id = ?1 AND item_ref = ?2 AND label_type = ?3",
                                    _dbw_record_class_get_sql (klass, DBW_SQL_SELECT));

      g_type_class_unref (klass);
      g_once_init_leave (&sql, text);
    }

  return sql;
}

static const char *
state_to_status (DbwGenerationState state)
{
  return dbw_enum_to_nick (DBW_TYPE_GENERATION_STATE, state);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static JsonObject *
object_from_string (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static gboolean
step_done (DbwStore      *store,
           sqlite3_stmt  *stmt,
           const char    *table,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, table, error);
      return FALSE;
    }

  return TRUE;
}

static gint64
query_count (DbwStore    *store,
             const char  *sql,
             const char  *first,
             const char  *second,
             GError     **error)
{
  sqlite3_stmt *stmt = _dbw_store_prepare (store, sql, error);
  gint64 count = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  if (second != NULL)
    sqlite3_bind_text (stmt, 2, second, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW)
    _dbw_store_set_error (store, rc, NULL, error);

  return count;
}

/* The column names of the sheet's first item, for telling what a column could have been. */
static char *
describe_columns (DbwStore   *store,
                  const char *sheet_id)
{
  g_autoptr(GString) names = g_string_new (NULL);
  sqlite3_stmt *stmt;

  stmt = _dbw_store_prepare (store,
                             "SELECT key FROM json_each ((SELECT fields FROM items WHERE sheet_id = ?1 "
                             "ORDER BY rowid LIMIT 1)) ORDER BY key",
                             NULL);
  if (stmt == NULL)
    return g_strdup ("");
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, (const char *) sqlite3_column_text (stmt, 0));
    }
  _dbw_store_release (store, stmt);

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
check_column (DbwStore    *store,
              DbwSheet    *sheet,
              const char  *column,
              GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *available = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  if (column == NULL || column[0] == '\0')
    {
      g_set_error_literal (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                           _("Generating from an existing column needs the name of that column"));
      return FALSE;
    }

  path = _dbw_json_path_for_member (column);
  stmt = _dbw_store_prepare (store,
                             "SELECT EXISTS (SELECT 1 FROM items WHERE sheet_id = ?1 AND json_type (fields, ?2) IS NOT NULL)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dbw_record_get_id (DBW_RECORD (sheet)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    found = sqlite3_column_int (stmt, 0) != 0;
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }

  if (found)
    return TRUE;

  available = describe_columns (store, dbw_record_get_id (DBW_RECORD (sheet)));
  g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
               /* Translators: the last %s lists column names */
               _("No item of the sheet “%s” has a column “%s”; its columns are: %s"),
               dbw_sheet_get_name (sheet), column, available);
  return FALSE;
}

static gboolean
check_sheet (DbwStore    *store,
             DbwSheet    *sheet,
             GError     **error)
{
  gint64 n_items;

  if (dbw_sheet_get_deleted_at (sheet) != NULL)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   _("The sheet “%s” is in the trash; restore it to generate from it"),
                   dbw_sheet_get_name (sheet));
      return FALSE;
    }

  n_items = query_count (store, "SELECT count(*) FROM items WHERE sheet_id = ?1",
                         dbw_record_get_id (DBW_RECORD (sheet)), NULL, error);
  if (n_items < 0)
    return FALSE;
  if (n_items == 0)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   _("The sheet “%s” has no items to generate from"), dbw_sheet_get_name (sheet));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_template (DbwTemplate  *tmpl,
                GError      **error)
{
  if (dbw_template_get_status (tmpl) != DBW_TEMPLATE_STATUS_PUBLISHED)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   /* Translators: “Triage” v3 is a draft */
                   _("The template “%s” v%" G_GINT64_FORMAT " is not published; only a published version can generate"),
                   dbw_template_get_name (tmpl), dbw_template_get_version (tmpl));
      return FALSE;
    }

  return TRUE;
}

static char *
make_generation_config (DbwTemplate     *tmpl,
                        DbwLabelingMode  mode,
                        const char      *column,
                        JsonObject      *options)
{
  g_autoptr(JsonObject) config = json_object_new ();
  const char *model = NULL;

  json_object_set_string_member (config, "template_name", dbw_template_get_name (tmpl));
  json_object_set_int_member (config, "template_version", dbw_template_get_version (tmpl));
  json_object_set_string_member (config, "labeling_mode", dbw_enum_to_nick (DBW_TYPE_LABELING_MODE, mode));
  if (mode == DBW_LABELING_MODE_EXISTING_COLUMN)
    json_object_set_string_member (config, "column", column);
  if (options != NULL && json_object_has_member (options, "model"))
    model = json_object_get_string_member_with_default (options, "model", NULL);
  if (model == NULL)
    model = dbw_template_get_base_model (tmpl);
  if (mode == DBW_LABELING_MODE_AI_GENERATED && model != NULL)
    json_object_set_string_member (config, "model", model);
  if (options != NULL && json_object_has_member (options, "endpoint_url"))
    json_object_set_string_member (config, "endpoint_url",
                                   json_object_get_string_member_with_default (options, "endpoint_url", ""));

  return object_to_string (config);
}

static DbwGenerationJob *
job_from_config (const char          *id,
                 const char          *training_sheet_id,
                 const char          *status,
                 JsonObject          *config,
                 JsonObject          *result,
                 const char          *error_message,
                 GError             **error)
{
  g_autoptr(DbwGenerationJob) self = g_object_new (DBW_TYPE_GENERATION_JOB, NULL);
  int mode = DBW_LABELING_MODE_AI_GENERATED;
  int state = DBW_GENERATION_STATE_READY;
  const char *sheet_id = json_object_get_string_member_with_default (config, "sheet_id", NULL);
  const char *template_row_id = json_object_get_string_member_with_default (config, "template_id", NULL);

  if (sheet_id == NULL || template_row_id == NULL ||
      !dbw_enum_from_nick (DBW_TYPE_LABELING_MODE,
                           json_object_get_string_member_with_default (config, "labeling_mode", ""), &mode) ||
      !dbw_enum_from_nick (DBW_TYPE_GENERATION_STATE, status, &state))
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   _("The generation run “%s” is not described completely in the project"), id);
      return NULL;
    }

  self->id = g_strdup (id);
  self->training_sheet_id = g_strdup (training_sheet_id);
  self->sheet_id = g_strdup (sheet_id);
  self->template_row_id = g_strdup (template_row_id);
  self->column = g_strdup (json_object_get_string_member_with_default (config, "column", NULL));
  self->mode = mode;
  self->state = state;
  self->config = json_object_ref (config);
  self->result = result != NULL ? json_object_ref (result) : NULL;
  self->error_message = g_strdup (error_message);

  return g_steal_pointer (&self);
}

static void
dbw_generation_job_finalize (GObject *object)
{
  DbwGenerationJob *self = (DbwGenerationJob *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->training_sheet_id, g_free);
  g_clear_pointer (&self->sheet_id, g_free);
  g_clear_pointer (&self->template_row_id, g_free);
  g_clear_pointer (&self->column, g_free);
  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->result, json_object_unref);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (dbw_generation_job_parent_class)->finalize (object);
}

static void
dbw_generation_job_class_init (DbwGenerationJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_generation_job_finalize;
}

static void
dbw_generation_job_init (DbwGenerationJob *self)
{
}

/**
 * dbw_generation_job_default_name:
 * @store: the project
 * @sheet: the sheet the pairs are made from
 * @tmpl: the template version
 *
 * The name a training sheet of @sheet and @tmpl gets when nobody names it:
 * "<sheet> · <template> v<version>", followed by " (2)", " (3)", … when the project
 * already has a training sheet of that name, so that it can be told apart by its name
 * (`databits export --training-sheet NAME`).
 *
 * Returns: (transfer full): the name
 */
char *
dbw_generation_job_default_name (DbwStore    *store,
                                 DbwSheet    *sheet,
                                 DbwTemplate *tmpl)
{
  g_autofree char *base = NULL;
  char *name;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_SHEET (sheet), NULL);
  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), NULL);

  /* Translators: the default name of a Training Sheet: sheet name · template name v2 */
  base = g_strdup_printf (_("%s · %s v%" G_GINT64_FORMAT), dbw_sheet_get_name (sheet),
                          dbw_template_get_name (tmpl), dbw_template_get_version (tmpl));
  name = g_strdup (base);
  /* A failed count (a closed store) keeps the name: the insert will say what is wrong. */
  for (guint n = 2; dbw_store_count (store, DBW_TYPE_TRAINING_SHEET, "name", name, NULL) > 0; n++)
    {
      g_free (name);
      /* Translators: a default name already taken, and a number that sets this one apart */
      name = g_strdup_printf (_("%s (%u)"), base, n);
    }

  return name;
}

/**
 * dbw_generation_job_create:
 * @sheet_id: the sheet whose items the pairs are made from
 * @template_row_id: the published template version (templates.id)
 * @column: (nullable): the column of the assistant's answer, for existing_column mode
 * @name: (nullable): the training sheet's name; dbw_generation_job_default_name() when %NULL
 * @options: (nullable): more of the run's configuration, kept with the job (model,
 *   endpoint_url, column_trusted, concurrency, …); never a secret
 *
 * Checks that the run can be made — the sheet exists, is not in the trash and has items,
 * the template version is published, the mode is one a run makes and the column exists —
 * then creates the training sheet (status generating) and the job (status pending) in one
 * transaction.
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 */
DbwGenerationJob *
dbw_generation_job_create (DbwStore         *store,
                           const char       *sheet_id,
                           const char       *template_row_id,
                           DbwLabelingMode   mode,
                           const char       *column,
                           const char       *name,
                           JsonObject       *options,
                           GError          **error)
{
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwTrainingSheet) training_sheet = NULL;
  g_autoptr(JsonObject) config = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *generation_config = NULL;
  g_autofree char *default_name = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  char id[37];

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (sheet_id != NULL, NULL);
  g_return_val_if_fail (template_row_id != NULL, NULL);

  if (mode != DBW_LABELING_MODE_AI_GENERATED && mode != DBW_LABELING_MODE_MANUAL &&
      mode != DBW_LABELING_MODE_EXISTING_COLUMN)
    {
      g_set_error_literal (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                           _("A training sheet is generated by a model, by hand or from a column; canonical pairs come by themselves"));
      return NULL;
    }

  sheet = dbw_store_get (store, DBW_TYPE_SHEET, sheet_id, error);
  if (sheet == NULL || !check_sheet (store, sheet, error))
    return NULL;
  tmpl = dbw_store_get (store, DBW_TYPE_TEMPLATE, template_row_id, error);
  if (tmpl == NULL || !check_template (tmpl, error))
    return NULL;
  if (mode == DBW_LABELING_MODE_EXISTING_COLUMN && !check_column (store, sheet, column, error))
    return NULL;

  if (is_blank (name))
    {
      default_name = dbw_generation_job_default_name (store, sheet, tmpl);
      name = default_name;
    }

  if (!dbw_store_begin (store, error))
    return NULL;

  generation_config = make_generation_config (tmpl, mode, column, options);
  training_sheet = dbw_training_sheet_new ();
  dbw_training_sheet_set_name (training_sheet, name);
  dbw_training_sheet_set_sheet_id (training_sheet, sheet_id);
  dbw_training_sheet_set_template_id (training_sheet, template_row_id);
  dbw_training_sheet_set_status (training_sheet, DBW_TRAINING_SHEET_STATUS_GENERATING);
  dbw_training_sheet_set_labeling_mode (training_sheet, mode);
  dbw_training_sheet_set_generation_config (training_sheet, generation_config);
  if (!dbw_store_insert (store, training_sheet, error))
    goto failed;

  /* A copy: the caller's options stay as they were. */
  if (options != NULL)
    {
      g_autofree char *copy = object_to_string (options);

      config = object_from_string (copy);
    }
  else
    config = json_object_new ();
  json_object_set_string_member (config, "sheet_id", sheet_id);
  json_object_set_string_member (config, "template_id", template_row_id);
  json_object_set_string_member (config, "labeling_mode", dbw_enum_to_nick (DBW_TYPE_LABELING_MODE, mode));
  if (mode == DBW_LABELING_MODE_EXISTING_COLUMN)
    json_object_set_string_member (config, "column", column);
  else
    json_object_remove_member (config, "column");
  config_text = object_to_string (config);

  _dbw_store_new_id (id);
  now = _dbw_store_now (store);
  stmt = _dbw_store_prepare (store,
                             "INSERT INTO job_runs (id, job_type, training_sheet_id, status, progress, config, started_at) "
                             "VALUES (?1, 'generate', ?2, 'pending', 0.0, ?3, ?4)",
                             error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, dbw_record_get_id (DBW_RECORD (training_sheet)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, config_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, NULL, error))
    goto failed;
  dbw_store_emit_changed (store, "job_runs", DBW_CHANGE_INSERTED, id);

  if (!dbw_store_commit (store, error))
    goto failed;

  return job_from_config (id, dbw_record_get_id (DBW_RECORD (training_sheet)), "pending", config, NULL, NULL, error);

failed:
  dbw_store_rollback (store);
  return NULL;
}

/**
 * dbw_generation_job_open:
 * @job_run_id: a job_runs id of a generate job
 *
 * Returns: (transfer full): the job as it was left, or %NULL with @error set:
 *   %DBW_STORE_ERROR_NOT_FOUND when there is no such job, %DBW_GENERATION_ERROR_FINISHED when
 *   it succeeded, %DBW_GENERATION_ERROR_INVALID when its training sheet is gone
 */
DbwGenerationJob *
dbw_generation_job_open (DbwStore    *store,
                         const char  *job_run_id,
                         GError     **error)
{
  g_autofree char *training_sheet_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *error_message = NULL;
  g_autoptr(JsonObject) config = NULL;
  g_autoptr(JsonObject) result = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (job_run_id != NULL, NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT training_sheet_id, status, config, result, error FROM job_runs "
                             "WHERE id = ?1 AND job_type = 'generate'",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, job_run_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      training_sheet_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      config = object_from_string ((const char *) sqlite3_column_text (stmt, 2));
      result = object_from_string ((const char *) sqlite3_column_text (stmt, 3));
      error_message = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  _dbw_store_release (store, stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("There is no generation run “%s” in this project"), job_run_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, NULL, error);
      return NULL;
    }

  if (g_strcmp0 (status, "succeeded") == 0)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_FINISHED,
                   _("The generation run “%s” has already finished"), job_run_id);
      return NULL;
    }
  if (training_sheet_id == NULL)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   _("The training sheet of the generation run “%s” was deleted"), job_run_id);
      return NULL;
    }
  if (config == NULL)
    config = json_object_new ();

  return job_from_config (job_run_id, training_sheet_id, status, config, result, error_message, error);
}

/**
 * dbw_generation_job_list_unfinished:
 *
 * Returns: (transfer full): the ids of generate jobs that did not succeed and still have
 *   their training sheet, newest first; or %NULL with @error set
 */
GStrv
dbw_generation_job_list_unfinished (DbwStore  *store,
                                    GError   **error)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT id FROM job_runs WHERE job_type = 'generate' AND status <> 'succeeded' "
                             "AND training_sheet_id IS NOT NULL ORDER BY rowid DESC",
                             error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (ids, (const char *) sqlite3_column_text (stmt, 0));
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, NULL, error);
      return NULL;
    }

  return g_strv_builder_end (ids);
}

const char *
dbw_generation_job_get_id (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->id;
}

const char *
dbw_generation_job_get_training_sheet_id (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->training_sheet_id;
}

const char *
dbw_generation_job_get_sheet_id (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->sheet_id;
}

const char *
dbw_generation_job_get_template_row_id (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->template_row_id;
}

DbwLabelingMode
dbw_generation_job_get_mode (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), DBW_LABELING_MODE_AI_GENERATED);
  return self->mode;
}

const char *
dbw_generation_job_get_column (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->column;
}

DbwGenerationState
dbw_generation_job_get_state (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), DBW_GENERATION_STATE_READY);
  return self->state;
}

/**
 * dbw_generation_job_get_options:
 *
 * Returns: (transfer none): the job's configuration: sheet_id, template_id,
 *   labeling_mode, column and the options it was created with
 */
JsonObject *
dbw_generation_job_get_options (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->config;
}

const char *
dbw_generation_job_get_option_string (DbwGenerationJob *self,
                                      const char       *name)
{
  JsonNode *node;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);

  node = json_object_get_member (self->config, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
dbw_generation_job_get_option_int (DbwGenerationJob *self,
                                   const char       *name,
                                   gint64            default_value)
{
  JsonNode *node;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), default_value);

  node = json_object_get_member (self->config, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;
  return json_node_get_int (node);
}

gboolean
dbw_generation_job_get_option_bool (DbwGenerationJob *self,
                                    const char       *name)
{
  JsonNode *node;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);

  node = json_object_get_member (self->config, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (node);
}

/**
 * dbw_generation_job_get_result:
 *
 * Returns: (transfer none) (nullable): what the last run saved
 */
JsonObject *
dbw_generation_job_get_result (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->result;
}

const char *
dbw_generation_job_get_error_message (DbwGenerationJob *self)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  return self->error_message;
}

/**
 * dbw_generation_job_set_option:
 * @value: (nullable) (transfer none): the new value, %NULL to remove the option
 *
 * Changes one option and saves the configuration at once.
 */
gboolean
dbw_generation_job_set_option (DbwGenerationJob  *self,
                               DbwStore          *store,
                               const char        *name,
                               JsonNode          *value,
                               GError           **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  /* A copy of its own: json_node_copy() shares a value node's content with the caller. */
  if (value != NULL)
    {
      g_autofree char *value_text = json_to_string (value, FALSE);

      json_object_set_member (self->config, name, json_from_string (value_text, NULL));
    }
  else
    json_object_remove_member (self->config, name);
  text = object_to_string (self->config);

  stmt = _dbw_store_prepare (store, "UPDATE job_runs SET config = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  if (!step_done (store, stmt, NULL, error))
    return FALSE;
  dbw_store_emit_changed (store, "job_runs", DBW_CHANGE_UPDATED, self->id);

  return TRUE;
}

/**
 * dbw_generation_job_load_template:
 *
 * Returns: (transfer full): the job's template version, checked to be still published
 *   (archived versions stay usable: a run started on it is finished with it)
 */
DbwTemplate *
dbw_generation_job_load_template (DbwGenerationJob  *self,
                                  DbwStore          *store,
                                  GError           **error)
{
  g_autoptr(DbwTemplate) tmpl = NULL;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);

  tmpl = dbw_store_get (store, DBW_TYPE_TEMPLATE, self->template_row_id, error);
  if (tmpl == NULL)
    return NULL;
  if (dbw_template_get_status (tmpl) == DBW_TEMPLATE_STATUS_DRAFT)
    {
      check_template (tmpl, error);
      return NULL;
    }

  return g_steal_pointer (&tmpl);
}

/**
 * dbw_generation_job_count_items:
 *
 * Returns: how many items the sheet has (their newest versions), or -1 with @error set
 */
gint64
dbw_generation_job_count_items (DbwGenerationJob  *self,
                                DbwStore          *store,
                                GError           **error)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), -1);

  /* One newest version per item_ref: counting the refs reads only an index, 4 times
   * faster than finding the newest versions (50 ms at 100,000 items). */
  return query_count (store, "SELECT count(DISTINCT item_ref) FROM items WHERE sheet_id = ?1",
                      self->sheet_id, NULL, error);
}

/**
 * dbw_generation_job_count_pairs:
 * @counts: (out caller-allocates): the training sheet's pairs by kind
 */
gboolean
dbw_generation_job_count_pairs (DbwGenerationJob     *self,
                                DbwStore             *store,
                                DbwGenerationCounts  *counts,
                                GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  stmt = _dbw_store_prepare (store,
                             "SELECT count(*), "
                             "  coalesce (sum (labeling_mode = 'canonical'), 0), "
                             "  coalesce (sum (labeling_mode <> 'canonical' AND status = 'flagged'), 0) "
                             "FROM qa_pairs WHERE training_sheet_id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->training_sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      counts->n_pairs = (guint) sqlite3_column_int64 (stmt, 0);
      counts->n_reused = (guint) sqlite3_column_int64 (stmt, 1);
      counts->n_flagged = (guint) sqlite3_column_int64 (stmt, 2);
      counts->n_made = counts->n_pairs - counts->n_reused - counts->n_flagged;
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "qa_pairs", error);
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_generation_job_list_pending:
 *
 * The items still to do: the newest version of every item of the sheet whose item_ref has
 * no pair in the training sheet, in the order they were added.
 *
 * Returns: (transfer full) (element-type gint64): their rowids, or %NULL with @error set
 */
GArray *
dbw_generation_job_list_pending (DbwGenerationJob  *self,
                                 DbwStore          *store,
                                 GError           **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);

  stmt = _dbw_store_prepare (store,
                             "SELECT rowid FROM items WHERE sheet_id = ?1 AND " DBW_SQL_NEWEST_ITEM_VERSION " "
                             "AND item_ref NOT IN (SELECT item_ref FROM qa_pairs WHERE training_sheet_id = ?2) "
                             "ORDER BY rowid",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->training_sheet_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  return g_steal_pointer (&rowids);
}

/**
 * dbw_generation_job_load_items:
 * @rowids: (array length=n_rowids): items by rowid
 *
 * Returns: (transfer full) (element-type DbwItem): the items, in the order of @rowids (those
 *   no longer there left out), or %NULL with @error set
 */
GPtrArray *
dbw_generation_job_load_items (DbwStore      *store,
                               const gint64  *rowids,
                               guint          n_rowids,
                               GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr(GString) list = g_string_new ("[");
  DbwRecordClass *klass;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  if (n_rowids == 0)
    return g_steal_pointer (&items);

  for (guint i = 0; i < n_rowids; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", rowids[i]);
  g_string_append_c (list, ']');

  klass = g_type_class_ref (DBW_TYPE_ITEM);
  stmt = _dbw_store_prepare (store, _dbw_record_class_get_sql (klass, DBW_SQL_SELECT_BY_ROWIDS), error);
  g_type_class_unref (klass);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, list->str, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DbwItem *item = dbw_item_new ();
      gint64 *key = g_new (gint64, 1);

      _dbw_record_load_from_stmt (DBW_RECORD (item), stmt, 0);
      *key = dbw_record_get_rowid (DBW_RECORD (item));
      g_hash_table_insert (by_rowid, key, item);
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return NULL;
    }

  for (guint i = 0; i < n_rowids; i++)
    {
      DbwItem *item = g_hash_table_lookup (by_rowid, &rowids[i]);

      if (item != NULL)
        g_ptr_array_add (items, g_object_ref (item));
    }

  return g_steal_pointer (&items);
}

/**
 * dbw_generation_job_find_canonical:
 *
 * Returns: (transfer full) (nullable): the canonical label of the item for @label_type, or
 *   %NULL when it has none (or on an error, with @error set)
 */
DbwCanonicalLabel *
dbw_generation_job_find_canonical (DbwGenerationJob  *self,
                                   DbwStore          *store,
                                   const char        *item_ref,
                                   DbwLabelType       label_type,
                                   GError           **error)
{
  DbwCanonicalLabel *label = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), NULL);
  g_return_val_if_fail (item_ref != NULL, NULL);

  stmt = _dbw_store_prepare (store, canonical_label_sql (), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, label_type), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      label = dbw_canonical_label_new ();
      _dbw_record_load_from_stmt (DBW_RECORD (label), stmt, 0);
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _dbw_store_set_error (store, rc, "canonical_labels", error);

  return label;
}

static gboolean
update_progress (DbwGenerationJob  *self,
                 DbwStore          *store,
                 double             progress,
                 GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = _dbw_store_prepare (store, "UPDATE job_runs SET progress = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 2, CLAMP (progress, 0.0, 1.0));

  return step_done (store, stmt, NULL, error);
}

/**
 * dbw_generation_job_add_pairs:
 * @pairs: (element-type DbwQaPair): new pairs of the training sheet
 * @progress: the job's progress once they are in
 *
 * Inserts @pairs and the job's progress in one transaction: a pair is either in with its
 * progress or not at all.
 */
gboolean
dbw_generation_job_add_pairs (DbwGenerationJob  *self,
                              DbwStore          *store,
                              GPtrArray         *pairs,
                              double             progress,
                              GError           **error)
{
  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (pairs != NULL, FALSE);

  if (!dbw_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < pairs->len; i++)
    {
      DbwQaPair *pair = g_ptr_array_index (pairs, i);

      g_return_val_if_fail (g_strcmp0 (dbw_qa_pair_get_training_sheet_id (pair), self->training_sheet_id) == 0, FALSE);
      if (!dbw_store_insert (store, pair, error))
        {
          dbw_store_rollback (store);
          return FALSE;
        }
    }

  if (!update_progress (self, store, progress, error))
    {
      dbw_store_rollback (store);
      return FALSE;
    }

  return dbw_store_commit (store, error);
}

/**
 * dbw_generation_job_record_model:
 * @model: (nullable): the model that answers, as the run asks for it
 * @endpoint_url: (nullable): where it is asked
 *
 * Records in the training sheet's generation config the model a run asks, chosen when the
 * run starts (a preference, the command line's --model): the lineage of its pairs.
 */
gboolean
dbw_generation_job_record_model (DbwGenerationJob  *self,
                                 DbwStore          *store,
                                 const char        *model,
                                 const char        *endpoint_url,
                                 GError           **error)
{
  const char *paths[] = { "$.model", "$.endpoint_url" };
  const char *values[] = { model, endpoint_url };

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      sqlite3_stmt *stmt;

      if (values[i] == NULL)
        continue;
      stmt = _dbw_store_prepare (store,
                                 "UPDATE training_sheets SET generation_config = json_set (generation_config, ?2, ?3) "
                                 "WHERE id = ?1 AND json_extract (generation_config, ?2) IS NOT ?3",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, self->training_sheet_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, paths[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, values[i], -1, SQLITE_TRANSIENT);
      if (!step_done (store, stmt, "training_sheets", error))
        return FALSE;
    }

  return TRUE;
}

/* Leases */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * dbw_generation_job_claim:
 * @holder: who runs the job: an id of the run, new for each
 *
 * Takes the job's lease, so that no other run — in this program, another window or the
 * command line — generates its pairs at the same time. A lease its holder has not renewed
 * for %DBW_GENERATION_LEASE_SECONDS is a stopped program's and is taken over.
 *
 * Returns: %FALSE with #DBW_GENERATION_ERROR_BUSY while another run holds the lease
 */
gboolean
dbw_generation_job_claim (DbwGenerationJob  *self,
                          DbwStore          *store,
                          const char        *holder,
                          GError           **error)
{
  gint64 now = now_seconds ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (holder != NULL && *holder != '\0', FALSE);

  /* One statement, so two programs claiming at once cannot both win. */
  stmt = _dbw_store_prepare (store,
                             "INSERT INTO job_leases (job_run_id, holder, renewed_at) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT (job_run_id) DO UPDATE SET holder = excluded.holder, "
                             "  renewed_at = excluded.renewed_at "
                             "WHERE job_leases.holder = excluded.holder OR job_leases.renewed_at < ?4",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now - DBW_GENERATION_LEASE_SECONDS);
  if (!step_done (store, stmt, "job_leases", error))
    return FALSE;

  if (sqlite3_changes (_dbw_store_get_db (store)) == 0)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_BUSY,
                   _("This generation job is running in another window or program; if that program "
                     "stopped, the job can be resumed in a minute"));
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_generation_job_renew:
 *
 * Keeps @holder's lease; call it every %DBW_GENERATION_LEASE_RENEW_SECONDS.
 *
 * Returns: %FALSE with #DBW_GENERATION_ERROR_BUSY when another run took the lease over
 */
gboolean
dbw_generation_job_renew (DbwGenerationJob  *self,
                          DbwStore          *store,
                          const char        *holder,
                          GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);

  stmt = _dbw_store_prepare (store,
                             "UPDATE job_leases SET renewed_at = ?3 WHERE job_run_id = ?1 AND holder = ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  if (!step_done (store, stmt, "job_leases", error))
    return FALSE;

  if (sqlite3_changes (_dbw_store_get_db (store)) == 0)
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_BUSY,
                   _("Another window or program took this generation job over"));
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_generation_job_release:
 *
 * Gives @holder's lease up, if it still holds it.
 */
void
dbw_generation_job_release (DbwGenerationJob *self,
                            DbwStore         *store,
                            const char       *holder)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_return_if_fail (DBW_IS_GENERATION_JOB (self));
  g_return_if_fail (DBW_IS_STORE (store));

  stmt = _dbw_store_prepare (store, "DELETE FROM job_leases WHERE job_run_id = ?1 AND holder = ?2", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, holder, -1, SQLITE_TRANSIENT);
      step_done (store, stmt, "job_leases", &error);
    }
  /* It expires on its own. */
  if (error != NULL)
    g_debug ("Could not give up the lease of job %s: %s", self->id, error->message);
}

/**
 * dbw_generation_job_save_state:
 * @result: (nullable): the counts, token usage and failures so far
 * @error_message: (nullable): why the run failed
 *
 * Saves where the job is. A job that starts running stamps its training sheet's
 * generation_started_at (once); one that succeeds moves the training sheet to review and
 * stamps generation_completed_at.
 */
gboolean
dbw_generation_job_save_state (DbwGenerationJob    *self,
                               DbwStore            *store,
                               DbwGenerationState   state,
                               double               progress,
                               JsonObject          *result,
                               const char          *error_message,
                               GError             **error)
{
  g_autofree char *result_text = NULL;
  g_autofree char *now = NULL;
  gboolean ended;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DBW_IS_GENERATION_JOB (self), FALSE);
  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);

  ended = state == DBW_GENERATION_STATE_SUCCEEDED || state == DBW_GENERATION_STATE_FAILED ||
          state == DBW_GENERATION_STATE_CANCELLED;
  result_text = result != NULL ? object_to_string (result) : NULL;

  if (!dbw_store_begin (store, error))
    return FALSE;
  now = _dbw_store_now (store);

  stmt = _dbw_store_prepare (store,
                             "UPDATE job_runs SET status = ?2, progress = ?3, result = coalesce (?4, result), "
                             "  error = ?5, completed_at = ?6 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, state_to_status (state), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, CLAMP (progress, 0.0, 1.0));
  sqlite3_bind_text (stmt, 4, result_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, error_message, -1, SQLITE_TRANSIENT);
  if (ended)
    sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  if (!step_done (store, stmt, NULL, error))
    goto failed;
  dbw_store_emit_changed (store, "job_runs", DBW_CHANGE_UPDATED, self->id);

  if (state == DBW_GENERATION_STATE_RUNNING || state == DBW_GENERATION_STATE_SUCCEEDED)
    {
      stmt = _dbw_store_prepare (store,
                                 "UPDATE training_sheets SET "
                                 "  generation_started_at = coalesce (generation_started_at, ?2), "
                                 "  status = CASE WHEN ?3 AND status = 'generating' THEN 'review' ELSE status END, "
                                 "  generation_completed_at = CASE WHEN ?3 THEN ?2 ELSE generation_completed_at END, "
                                 "  updated_at = ?2 "
                                 "WHERE id = ?1",
                                 error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, self->training_sheet_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, state == DBW_GENERATION_STATE_SUCCEEDED);
      if (!step_done (store, stmt, "training_sheets", error))
        goto failed;
      dbw_store_emit_changed (store, "training_sheets", DBW_CHANGE_UPDATED, self->training_sheet_id);
    }

  if (!dbw_store_commit (store, error))
    goto failed;

  self->state = state;
  if (result != NULL)
    {
      g_clear_pointer (&self->result, json_object_unref);
      self->result = json_object_ref (result);
    }
  g_free (self->error_message);
  self->error_message = g_strdup (error_message);

  return TRUE;

failed:
  dbw_store_rollback (store);
  return FALSE;
}
