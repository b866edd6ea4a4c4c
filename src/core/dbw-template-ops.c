/* dbw-template-ops.c
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

#define G_LOG_DOMAIN "dbw-template-ops"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dbw-json-schema.h"
#include "dbw-json-text.h"
#include "dbw-prompt.h"
#include "dbw-record-private.h"
#include "dbw-store-private.h"
#include "dbw-template-ops.h"

/* What users do to Prompt Templates. A template is the set of rows sharing a template_id,
 * one per version. Only a draft changes: an edit of a published version becomes the next
 * draft, so training sheets made with a version can always say exactly which prompt made
 * them. The trigger templates_published_immutable holds the same line in the database
 * for every other writer. */

G_DEFINE_QUARK (dbw-template-error-quark, dbw_template_error)

/* The fields a user edits, as the columns and JSON members are called. */
static const char * const editable_fields[] = {
  "name", "description", "label_type", "system_prompt", "user_prompt_template",
  "input_schema", "output_schema", "base_model", "temperature", "max_tokens", "examples",
  "source_catalog", "source_schema", "source_table", "source_volume",
};

/* Columns the store or the lifecycle set; from_json passes over them. */
static const char * const managed_fields[] = {
  "id", "template_id", "version", "status", "created_by", "created_at", "updated_at",
};

static gboolean
in_list (const char         *name,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (name, list[i]))
      return TRUE;

  return FALSE;
}

static gboolean G_GNUC_PRINTF (3, 4)
field_error (GError     **error,
             const char  *field,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID,
               /* Translators: "Field “temperature”: must be between 0 and 2" */
               _("Field “%s”: %s"), field, message);
  return FALSE;
}

static const char *
describe (DbwTemplate *tmpl)
{
  const char *name = dbw_template_get_name (tmpl);

  return name != NULL && name[0] != '\0' ? name : dbw_record_get_id (DBW_RECORD (tmpl));
}

/* Checking */

static gboolean
check_json_text (const char  *field,
                 const char  *text,
                 gboolean     array,
                 JsonNode   **out,
                 GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = json_from_string (text != NULL ? text : "", &parse_error);
  if (node == NULL)
    {
      g_autofree char *reason = parse_error != NULL ? dbw_json_describe_error (parse_error) : g_strdup (_("empty"));

      return field_error (error, field, _("not valid JSON: %s"), reason);
    }

  if (array && !JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, field, _("must be a JSON array"));

  if (out != NULL)
    *out = g_steal_pointer (&node);

  return TRUE;
}

static gboolean
check_prompt (const char  *field,
              const char  *prompt,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) names = dbw_prompt_list_variables (prompt != NULL ? prompt : "", &local_error);

  if (names == NULL)
    return field_error (error, field, "%s", local_error->message);

  return TRUE;
}

static gboolean
check_schema (const char  *field,
              const char  *text,
              GError     **error)
{
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!check_json_text (field, text, FALSE, &schema, error))
    return FALSE;

  if (!dbw_json_schema_check (schema, &local_error))
    return field_error (error, field, "%s", local_error->message);

  return TRUE;
}

/* What the project file needs of any version, drafts included. */
static gboolean
check_storable (DbwTemplate  *tmpl,
                GError      **error)
{
  const char *name = dbw_template_get_name (tmpl);
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (trimmed[0] == '\0')
    return field_error (error, "name", _("a template needs a name"));

  if (dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, dbw_template_get_label_type (tmpl)) == NULL)
    return field_error (error, "label_type", _("not a known label type"));

  if (!check_json_text ("input_schema", dbw_template_get_input_schema (tmpl), FALSE, NULL, error) ||
      !check_json_text ("output_schema", dbw_template_get_output_schema (tmpl), FALSE, NULL, error) ||
      !check_json_text ("examples", dbw_template_get_examples (tmpl), TRUE, NULL, error))
    return FALSE;

  if (!(dbw_template_get_temperature (tmpl) >= 0.0 && dbw_template_get_temperature (tmpl) <= 2.0))
    return field_error (error, "temperature", _("must be between 0 and 2"));

  if (dbw_template_get_max_tokens (tmpl) <= 0)
    return field_error (error, "max_tokens", _("must be more than 0"));

  return TRUE;
}

/* Copying */

static gboolean
editable_equal (DbwTemplate *a,
                DbwTemplate *b)
{
  return g_strcmp0 (dbw_template_get_name (a), dbw_template_get_name (b)) == 0 &&
         g_strcmp0 (dbw_template_get_description (a), dbw_template_get_description (b)) == 0 &&
         dbw_template_get_label_type (a) == dbw_template_get_label_type (b) &&
         g_strcmp0 (dbw_template_get_system_prompt (a), dbw_template_get_system_prompt (b)) == 0 &&
         g_strcmp0 (dbw_template_get_user_prompt_template (a), dbw_template_get_user_prompt_template (b)) == 0 &&
         g_strcmp0 (dbw_template_get_input_schema (a), dbw_template_get_input_schema (b)) == 0 &&
         g_strcmp0 (dbw_template_get_output_schema (a), dbw_template_get_output_schema (b)) == 0 &&
         g_strcmp0 (dbw_template_get_base_model (a), dbw_template_get_base_model (b)) == 0 &&
         dbw_template_get_temperature (a) == dbw_template_get_temperature (b) &&
         dbw_template_get_max_tokens (a) == dbw_template_get_max_tokens (b) &&
         g_strcmp0 (dbw_template_get_examples (a), dbw_template_get_examples (b)) == 0 &&
         g_strcmp0 (dbw_template_get_source_catalog (a), dbw_template_get_source_catalog (b)) == 0 &&
         g_strcmp0 (dbw_template_get_source_schema (a), dbw_template_get_source_schema (b)) == 0 &&
         g_strcmp0 (dbw_template_get_source_table (a), dbw_template_get_source_table (b)) == 0 &&
         g_strcmp0 (dbw_template_get_source_volume (a), dbw_template_get_source_volume (b)) == 0;
}

static void
copy_editable (DbwTemplate *to,
               DbwTemplate *from)
{
  g_object_freeze_notify (G_OBJECT (to));
  dbw_template_set_name (to, dbw_template_get_name (from));
  dbw_template_set_description (to, dbw_template_get_description (from));
  dbw_template_set_label_type (to, dbw_template_get_label_type (from));
  dbw_template_set_system_prompt (to, dbw_template_get_system_prompt (from));
  dbw_template_set_user_prompt_template (to, dbw_template_get_user_prompt_template (from));
  dbw_template_set_input_schema (to, dbw_template_get_input_schema (from));
  dbw_template_set_output_schema (to, dbw_template_get_output_schema (from));
  dbw_template_set_base_model (to, dbw_template_get_base_model (from));
  dbw_template_set_temperature (to, dbw_template_get_temperature (from));
  dbw_template_set_max_tokens (to, dbw_template_get_max_tokens (from));
  dbw_template_set_examples (to, dbw_template_get_examples (from));
  dbw_template_set_source_catalog (to, dbw_template_get_source_catalog (from));
  dbw_template_set_source_schema (to, dbw_template_get_source_schema (from));
  dbw_template_set_source_table (to, dbw_template_get_source_table (from));
  dbw_template_set_source_volume (to, dbw_template_get_source_volume (from));
  g_object_thaw_notify (G_OBJECT (to));
}

/* Takes onto @to the editable fields @edited changed from @base. */
static void
merge_editable (DbwTemplate *to,
                DbwTemplate *base,
                DbwTemplate *edited)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (edited);

  g_object_freeze_notify (G_OBJECT (to));
  for (guint i = 0; i < G_N_ELEMENTS (editable_fields); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, editable_fields[i]);
      g_auto(GValue) before = G_VALUE_INIT;
      g_auto(GValue) after = G_VALUE_INIT;

      g_value_init (&before, pspec->value_type);
      g_value_init (&after, pspec->value_type);
      g_object_get_property (G_OBJECT (base), pspec->name, &before);
      g_object_get_property (G_OBJECT (edited), pspec->name, &after);
      if (g_param_values_cmp (pspec, &before, &after) != 0)
        g_object_set_property (G_OBJECT (to), pspec->name, &after);
    }
  g_object_thaw_notify (G_OBJECT (to));
}

/* A new version 1 draft of a new template, with the editable fields of @from. */
static DbwTemplate *
new_template_from (DbwTemplate *from)
{
  DbwTemplate *tmpl = dbw_template_new ();
  char template_id[37];

  copy_editable (tmpl, from);
  _dbw_store_new_id (template_id);
  dbw_template_set_template_id (tmpl, template_id);
  dbw_template_set_version (tmpl, 1);
  dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_DRAFT);

  return tmpl;
}

/* Queries */

/* Rows of templates matching @tail (WHERE … ORDER BY …), with text parameters. */
static GPtrArray *
select_templates (DbwStore            *store,
                  const char          *tail,
                  const char * const  *params,
                  guint                n_params,
                  GError             **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTypeClass) klass = g_type_class_ref (DBW_TYPE_TEMPLATE);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  sql = g_strconcat (_dbw_record_class_get_sql (DBW_RECORD_CLASS (klass), DBW_SQL_SELECT), " ", tail, NULL);
  stmt = _dbw_store_prepare_transient (store, sql, error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, i + 1, params[i], -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DbwTemplate *tmpl = dbw_template_new ();

      _dbw_record_load_from_stmt (DBW_RECORD (tmpl), stmt, 0);
      g_ptr_array_add (rows, tmpl);
    }
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "templates", error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* The newest version of @template_id — the newest published one when @published_only.
 * Returns: (transfer full) (nullable): it, or NULL with @error unset when there is none */
static DbwTemplate *
get_newest (DbwStore    *store,
            const char  *template_id,
            gboolean     published_only,
            GError     **error)
{
  const char *params[] = { template_id };
  g_autoptr(GPtrArray) rows = NULL;

  rows = select_templates (store,
                           published_only
                             ? "WHERE template_id = ?1 AND status = 'published' ORDER BY version DESC LIMIT 1"
                             : "WHERE template_id = ?1 ORDER BY version DESC LIMIT 1",
                           params, 1, error);
  if (rows == NULL || rows->len == 0)
    return NULL;

  return g_object_ref (g_ptr_array_index (rows, 0));
}

static DbwTemplate *
get_version (DbwStore    *store,
             const char  *id,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  DbwTemplate *tmpl;

  tmpl = dbw_store_get (store, DBW_TYPE_TEMPLATE, id, &local_error);
  if (tmpl != NULL)
    return tmpl;

  if (g_error_matches (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
    g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND,
                 _("There is no template version “%s”"), id);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  return NULL;
}

static gboolean
commit_or_rollback (DbwStore  *store,
                    GError   **error)
{
  if (dbw_store_commit (store, error))
    return TRUE;

  dbw_store_rollback (store);
  return FALSE;
}

/* Public API */

/**
 * dbw_template_ops_example_parts:
 * @example: one element of a template's few-shot examples
 * @input: (out) (optional) (transfer none): its input
 * @output: (out) (optional) (transfer none): its output
 *
 * An example as Generate reads it: an object with an "input" and an "output" (or an
 * "expected_output", as the Example Store writes it), neither of them null.
 *
 * Returns: whether @example is one
 */
gboolean
dbw_template_ops_example_parts (JsonNode  *example,
                                JsonNode **input,
                                JsonNode **output)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (example) ? json_node_get_object (example) : NULL;
  JsonNode *in = object != NULL ? json_object_get_member (object, "input") : NULL;
  JsonNode *out = object != NULL ? json_object_get_member (object, "output") : NULL;

  if (out == NULL && object != NULL)
    out = json_object_get_member (object, "expected_output");
  if (input != NULL)
    *input = in;
  if (output != NULL)
    *output = out;

  return in != NULL && out != NULL && !JSON_NODE_HOLDS_NULL (in) && !JSON_NODE_HOLDS_NULL (out);
}

/* What Generate asks of each few-shot example (dbw-pair-builder.c): a published version
 * that Generate refuses could never be used, nor changed. */
static gboolean
check_examples (DbwTemplate  *tmpl,
                GError      **error)
{
  const char *text = dbw_template_get_examples (tmpl);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  if (text == NULL || text[0] == '\0' || (node = json_from_string (text, NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;  /* check_storable() says what is wrong with the text */

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *input;

      if (!dbw_template_ops_example_parts (json_array_get_element (array, i), &input, NULL))
        return field_error (error, "examples", _("example %u needs an “input” and an “output”"), i + 1);

      if (JSON_NODE_HOLDS_OBJECT (input))
        {
          g_autoptr(GError) render_error = NULL;
          g_autofree char *user = dbw_prompt_render (dbw_template_get_user_prompt_template (tmpl),
                                                     json_node_get_object (input), &render_error);

          if (user == NULL)
            return field_error (error, "examples", _("example %u: %s"), i + 1, render_error->message);
        }
    }

  return TRUE;
}

/**
 * dbw_template_ops_validate:
 * @tmpl: a template version
 *
 * Checks everything a published version must satisfy.
 *
 * Returns: %TRUE when @tmpl can be published; else %FALSE with a
 *   %DBW_TEMPLATE_ERROR_INVALID @error naming the field
 */
gboolean
dbw_template_ops_validate (DbwTemplate  *tmpl,
                           GError      **error)
{
  const char *user_prompt;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), FALSE);

  if (!check_storable (tmpl, error))
    return FALSE;

  /* The system prompt is sent alike for every item: it cannot name an item's fields. */
  {
    g_autoptr(GError) local_error = NULL;
    g_autofree char *system = dbw_prompt_render_fixed (dbw_template_get_system_prompt (tmpl) != NULL
                                                       ? dbw_template_get_system_prompt (tmpl) : "",
                                                       &local_error);

    if (system == NULL)
      return field_error (error, "system_prompt", "%s", local_error->message);
  }

  user_prompt = dbw_template_get_user_prompt_template (tmpl);
  trimmed = g_strstrip (g_strdup (user_prompt != NULL ? user_prompt : ""));
  if (trimmed[0] == '\0')
    return field_error (error, "user_prompt_template",
                        _("the user prompt is empty; it says what to do with each item"));
  if (!check_prompt ("user_prompt_template", user_prompt, error))
    return FALSE;

  if (!check_schema ("input_schema", dbw_template_get_input_schema (tmpl), error) ||
      !check_schema ("output_schema", dbw_template_get_output_schema (tmpl), error) ||
      !check_examples (tmpl, error))
    return FALSE;

  return TRUE;
}

/**
 * dbw_template_ops_create:
 * @fields: the new template's editable fields; it is not changed
 *
 * Returns: (transfer full): the stored version 1, a draft, or %NULL with @error set
 */
DbwTemplate *
dbw_template_ops_create (DbwStore     *store,
                         DbwTemplate  *fields,
                         GError      **error)
{
  g_autoptr(DbwTemplate) tmpl = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_TEMPLATE (fields), NULL);

  if (!check_storable (fields, error))
    return NULL;

  tmpl = new_template_from (fields);

  if (!dbw_store_begin (store, error))
    return NULL;

  if (!dbw_store_insert (store, tmpl, error))
    {
      dbw_store_rollback (store);
      return NULL;
    }

  if (!commit_or_rollback (store, error))
    return NULL;

  return g_steal_pointer (&tmpl);
}

/**
 * dbw_template_ops_save:
 * @edited: a template with the id of the version it was edited from, and the edited fields
 *
 * Returns: (transfer full): the stored version that holds the edit, or %NULL with @error set
 */
DbwTemplate *
dbw_template_ops_save (DbwStore     *store,
                       DbwTemplate  *edited,
                       GError      **error)
{
  g_autoptr(DbwTemplate) base = NULL;
  g_autoptr(DbwTemplate) draft = NULL;
  const char *id;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (DBW_IS_TEMPLATE (edited), NULL);

  id = dbw_record_get_id (DBW_RECORD (edited));
  if (id == NULL)
    {
      g_set_error_literal (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND,
                           _("The template was never saved; create it first"));
      return NULL;
    }

  if (!check_storable (edited, error))
    return NULL;

  if (!dbw_store_begin (store, error))
    return NULL;

  base = get_version (store, id, error);
  if (base == NULL)
    goto failed;

  /* Nothing changed: no new version, no new timestamp. */
  if (editable_equal (base, edited))
    {
      if (!commit_or_rollback (store, error))
        return NULL;
      return g_steal_pointer (&base);
    }

  if (dbw_template_get_status (base) == DBW_TEMPLATE_STATUS_DRAFT)
    {
      draft = g_steal_pointer (&base);
    }
  else
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DbwTemplate) newest = get_newest (store, dbw_template_get_template_id (base), FALSE, &local_error);

      if (newest == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }

      /* A draft made since: edited from an older version, the edit must not undo its
       * work, so only what the edit changed goes into it. */
      if (dbw_template_get_status (newest) == DBW_TEMPLATE_STATUS_DRAFT)
        {
          merge_editable (newest, base, edited);
          if (!dbw_store_update (store, newest, error))
            goto failed;
          if (!commit_or_rollback (store, error))
            return NULL;
          return g_steal_pointer (&newest);
        }
      else
        {
          /* The next version starts as a copy of the one edited, then takes the edit. */
          draft = dbw_record_copy (DBW_RECORD (base));
          dbw_record_set_id (DBW_RECORD (draft), NULL);
          dbw_template_set_version (draft, dbw_template_get_version (newest) + 1);
          dbw_template_set_status (draft, DBW_TEMPLATE_STATUS_DRAFT);
          dbw_template_set_created_by (draft, NULL);
          dbw_template_set_created_at (draft, NULL);
          dbw_template_set_updated_at (draft, NULL);
          copy_editable (draft, edited);

          if (!dbw_store_insert (store, draft, error))
            goto failed;

          if (!commit_or_rollback (store, error))
            return NULL;
          return g_steal_pointer (&draft);
        }
    }

  copy_editable (draft, edited);
  if (!dbw_store_update (store, draft, error))
    goto failed;

  if (!commit_or_rollback (store, error))
    return NULL;

  return g_steal_pointer (&draft);

failed:
  dbw_store_rollback (store);
  return NULL;
}

gboolean
dbw_template_ops_same_content (DbwTemplate *a,
                               DbwTemplate *b)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE (a), FALSE);
  g_return_val_if_fail (DBW_IS_TEMPLATE (b), FALSE);

  return editable_equal (a, b);
}

/**
 * dbw_template_ops_publish:
 * @id: the id of a version
 *
 * Returns: (transfer full): the published version, or %NULL with @error set
 */
DbwTemplate *
dbw_template_ops_publish (DbwStore     *store,
                          const char   *id,
                          GError      **error)
{
  g_autoptr(DbwTemplate) tmpl = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!dbw_store_begin (store, error))
    return NULL;

  tmpl = get_version (store, id, error);
  if (tmpl == NULL)
    goto failed;

  switch (dbw_template_get_status (tmpl))
    {
    case DBW_TEMPLATE_STATUS_PUBLISHED:
      break;

    case DBW_TEMPLATE_STATUS_ARCHIVED:
      g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_IMMUTABLE,
                   _("Version %" G_GINT64_FORMAT " of “%s” is archived and cannot be published again; "
                     "edit it to make a new version"),
                   dbw_template_get_version (tmpl), describe (tmpl));
      goto failed;

    case DBW_TEMPLATE_STATUS_DRAFT:
    default:
      if (!dbw_template_ops_validate (tmpl, error))
        goto failed;

      dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_PUBLISHED);
      if (!dbw_store_update (store, tmpl, error))
        goto failed;
      break;
    }

  if (!commit_or_rollback (store, error))
    return NULL;

  return g_steal_pointer (&tmpl);

failed:
  dbw_store_rollback (store);
  return NULL;
}

/**
 * dbw_template_ops_archive:
 * @id: the id of a published version
 *
 * Returns: (transfer full): the archived version, or %NULL with @error set
 */
DbwTemplate *
dbw_template_ops_archive (DbwStore     *store,
                          const char   *id,
                          GError      **error)
{
  g_autoptr(DbwTemplate) tmpl = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!dbw_store_begin (store, error))
    return NULL;

  tmpl = get_version (store, id, error);
  if (tmpl == NULL)
    goto failed;

  switch (dbw_template_get_status (tmpl))
    {
    case DBW_TEMPLATE_STATUS_ARCHIVED:
      break;

    case DBW_TEMPLATE_STATUS_DRAFT:
      field_error (error, "status",
                   _("version %" G_GINT64_FORMAT " of “%s” is a draft; only a published version "
                     "can be archived, a draft can be discarded"),
                   dbw_template_get_version (tmpl), describe (tmpl));
      goto failed;

    case DBW_TEMPLATE_STATUS_PUBLISHED:
    default:
      dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_ARCHIVED);
      if (!dbw_store_update (store, tmpl, error))
        goto failed;
      break;
    }

  if (!commit_or_rollback (store, error))
    return NULL;

  return g_steal_pointer (&tmpl);

failed:
  dbw_store_rollback (store);
  return NULL;
}

/**
 * dbw_template_ops_discard:
 * @id: the id of a draft version
 *
 * Returns: %TRUE when the draft is deleted
 */
gboolean
dbw_template_ops_discard (DbwStore    *store,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(DbwTemplate) tmpl = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!dbw_store_begin (store, error))
    return FALSE;

  tmpl = get_version (store, id, error);
  if (tmpl == NULL)
    goto failed;

  if (dbw_template_get_status (tmpl) != DBW_TEMPLATE_STATUS_DRAFT)
    {
      g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_IMMUTABLE,
                   _("Version %" G_GINT64_FORMAT " of “%s” was published and is kept for good"),
                   dbw_template_get_version (tmpl), describe (tmpl));
      goto failed;
    }

  if (!dbw_store_delete (store, DBW_TYPE_TEMPLATE, id, error))
    goto failed;

  return commit_or_rollback (store, error);

failed:
  dbw_store_rollback (store);
  return FALSE;
}

/**
 * dbw_template_ops_duplicate:
 * @id: the id of any version
 * @new_name: (nullable): the copy's name; "NAME (copy)" when %NULL
 *
 * Returns: (transfer full): the new template's version 1, or %NULL with @error set
 */
DbwTemplate *
dbw_template_ops_duplicate (DbwStore     *store,
                            const char   *id,
                            const char   *new_name,
                            GError      **error)
{
  g_autoptr(DbwTemplate) source = NULL;
  g_autoptr(DbwTemplate) copy = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!dbw_store_begin (store, error))
    return NULL;

  source = get_version (store, id, error);
  if (source == NULL)
    goto failed;

  copy = new_template_from (source);
  if (new_name != NULL)
    {
      dbw_template_set_name (copy, new_name);
    }
  else
    {
      /* Translators: the name of a copy of the template “%s” */
      g_autofree char *name = g_strdup_printf (_("%s (copy)"), dbw_template_get_name (source));

      dbw_template_set_name (copy, name);
    }

  if (!check_storable (copy, error) ||
      !dbw_store_insert (store, copy, error))
    goto failed;

  if (!commit_or_rollback (store, error))
    return NULL;

  return g_steal_pointer (&copy);

failed:
  dbw_store_rollback (store);
  return NULL;
}

/**
 * dbw_template_ops_list_versions:
 * @template_id: the id shared by a template's versions
 *
 * Returns: (transfer full) (element-type DbwTemplate): the versions, newest first;
 *   empty when there is no such template; %NULL with @error set
 */
GPtrArray *
dbw_template_ops_list_versions (DbwStore     *store,
                                const char   *template_id,
                                GError      **error)
{
  const char *params[] = { template_id };

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (template_id != NULL, NULL);

  return select_templates (store, "WHERE template_id = ?1 ORDER BY version DESC", params, 1, error);
}

typedef struct
{
  DbwTemplate *tmpl;
  char        *key;
} SortEntry;

/* Names in the order people expect whatever the locale: case and accents aside
 * ("alpha", "Beta", "Éclair", "Zulu"). */
static char *
sort_key (const char *name)
{
  g_autofree char *decomposed = g_utf8_normalize (name != NULL ? name : "", -1, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = g_string_new (NULL);

  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }

  return g_utf8_casefold (bare->str, -1);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *x = a;
  const SortEntry *y = b;
  int cmp = strcmp (x->key, y->key);

  if (cmp != 0)
    return cmp;

  cmp = g_strcmp0 (dbw_template_get_name (x->tmpl), dbw_template_get_name (y->tmpl));
  if (cmp != 0)
    return cmp;

  return g_strcmp0 (dbw_template_get_template_id (x->tmpl), dbw_template_get_template_id (y->tmpl));
}

static gboolean
matches_search (DbwTemplate *tmpl,
                const char  *folded_search)
{
  g_autofree char *name = g_utf8_casefold (dbw_template_get_name (tmpl) != NULL ? dbw_template_get_name (tmpl) : "", -1);
  g_autofree char *description = NULL;

  if (strstr (name, folded_search) != NULL)
    return TRUE;

  description = g_utf8_casefold (dbw_template_get_description (tmpl) != NULL ? dbw_template_get_description (tmpl) : "", -1);

  return strstr (description, folded_search) != NULL;
}

/**
 * dbw_template_ops_list_library:
 * @search: (nullable): words to find in the name or description
 * @label_type: a #DbwLabelType, or -1 for all
 * @status: a #DbwTemplateStatus, or -1 for all
 *
 * Returns: (transfer full) (element-type DbwTemplate): one version per template, sorted
 *   by name; %NULL with @error set
 */
GPtrArray *
dbw_template_ops_list_library (DbwStore     *store,
                               const char   *search,
                               int           label_type,
                               int           status,
                               GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autofree char *folded_search = NULL;
  GPtrArray *result;
  const char *params[2];

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  params[0] = status >= 0 ? dbw_enum_to_nick (DBW_TYPE_TEMPLATE_STATUS, status) : NULL;
  params[1] = label_type >= 0 ? dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, label_type) : NULL;
  g_return_val_if_fail (status < 0 || params[0] != NULL, NULL);
  g_return_val_if_fail (label_type < 0 || params[1] != NULL, NULL);

  /* The newest version in the status asked for; then its label type. */
  rows = select_templates (store,
                           "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR label_type = ?2) "
                           "AND NOT EXISTS (SELECT 1 FROM templates AS newer "
                           "  WHERE newer.template_id = templates.template_id AND newer.version > templates.version "
                           "  AND (?1 IS NULL OR newer.status = ?1))",
                           params, 2, error);
  if (rows == NULL)
    return NULL;

  if (search != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (search));

      if (trimmed[0] != '\0')
        folded_search = g_utf8_casefold (trimmed, -1);
    }

  entries = g_array_new (FALSE, FALSE, sizeof (SortEntry));
  for (guint i = 0; i < rows->len; i++)
    {
      DbwTemplate *tmpl = g_ptr_array_index (rows, i);
      SortEntry entry;

      if (folded_search != NULL && !matches_search (tmpl, folded_search))
        continue;

      entry.tmpl = tmpl;
      entry.key = sort_key (dbw_template_get_name (tmpl));
      g_array_append_val (entries, entry);
    }

  g_array_sort (entries, compare_entries);

  result = g_ptr_array_new_full (entries->len, g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    {
      SortEntry *entry = &g_array_index (entries, SortEntry, i);

      g_ptr_array_add (result, g_object_ref (entry->tmpl));
      g_free (entry->key);
    }

  return result;
}

static DbwTemplate *
resolve (DbwStore    *store,
         const char  *id_or_name,
         gboolean     published_only,
         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) named = NULL;
  g_autoptr(GHashTable) seen = NULL;
  DbwTemplate *tmpl;
  const char *params[] = { id_or_name };
  gboolean exists = FALSE;

  tmpl = dbw_store_get (store, DBW_TYPE_TEMPLATE, id_or_name, &local_error);
  if (tmpl != NULL)
    return tmpl;
  if (!g_error_matches (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_error (&local_error);

  /* A template_id, then the names of every version. */
  named = select_templates (store, "WHERE template_id = ?1 OR name = ?1 ORDER BY template_id", params, 1, error);
  if (named == NULL)
    return NULL;

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < named->len; i++)
    {
      DbwTemplate *row = g_ptr_array_index (named, i);
      const char *template_id = dbw_template_get_template_id (row);

      exists = TRUE;
      if (g_hash_table_contains (seen, template_id))
        continue;
      g_hash_table_add (seen, (gpointer) template_id);

      tmpl = get_newest (store, template_id, published_only, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (tmpl == NULL)
        continue;

      /* A template_id is exact: it wins over names. */
      if (g_str_equal (template_id, id_or_name))
        return tmpl;

      g_ptr_array_add (found, tmpl);
    }

  if (found->len == 1)
    return g_object_ref (g_ptr_array_index (found, 0));

  if (found->len > 1)
    {
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < found->len; i++)
        g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "",
                                dbw_record_get_id (g_ptr_array_index (found, i)));
      g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND,
                   _("Several templates are called “%s”; give the id of the one you mean: %s"),
                   id_or_name, ids->str);
      return NULL;
    }

  if (exists)
    g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND,
                 _("The template “%s” has no published version yet"), id_or_name);
  else
    g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND,
                 _("There is no template with the name or id “%s”"), id_or_name);

  return NULL;
}

/**
 * dbw_template_ops_lookup:
 * @id_or_name: a version's id, a template_id or a template's name
 *
 * Returns: (transfer full): the version, or %NULL with @error set
 *   (%DBW_TEMPLATE_ERROR_NOT_FOUND when nothing or more than one template matches)
 */
DbwTemplate *
dbw_template_ops_lookup (DbwStore     *store,
                         const char   *id_or_name,
                         GError      **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  return resolve (store, id_or_name, TRUE, error);
}

DbwTemplate *
dbw_template_ops_find_newest (DbwStore     *store,
                              const char   *id_or_name,
                              GError      **error)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  return resolve (store, id_or_name, FALSE, error);
}

/**
 * dbw_template_ops_to_json:
 *
 * Returns: (transfer full): a JSON object of the editable fields, schemas and examples
 *   embedded as JSON
 */
JsonNode *
dbw_template_ops_to_json (DbwTemplate *tmpl)
{
  g_autoptr(JsonNode) record = NULL;
  JsonObject *all;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), NULL);

  record = dbw_record_to_json (DBW_RECORD (tmpl));
  all = json_node_get_object (record);
  object = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (editable_fields); i++)
    {
      JsonNode *value = json_object_get_member (all, editable_fields[i]);

      json_object_set_member (object, editable_fields[i],
                              value != NULL ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}

/**
 * dbw_template_ops_from_json:
 * @node: a JSON object, as dbw_template_ops_to_json() makes
 *
 * Returns: (transfer full): a template, not stored, or %NULL with a
 *   %DBW_TEMPLATE_ERROR_INVALID @error naming the field
 */
DbwTemplate *
dbw_template_ops_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID,
                           _("A template must be a JSON object of its fields"));
      return NULL;
    }

  fields = json_object_new ();
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      gboolean json_column = g_str_equal (member, "input_schema") || g_str_equal (member, "output_schema") ||
                             g_str_equal (member, "examples");

      if (in_list (member, managed_fields, G_N_ELEMENTS (managed_fields)))
        continue;

      if (!in_list (member, editable_fields, G_N_ELEMENTS (editable_fields)))
        {
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint i = 0; i < G_N_ELEMENTS (editable_fields); i++)
            g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", editable_fields[i]);
          g_set_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID,
                       _("Unknown field “%s”; a template has %s"), member, list->str);
          return NULL;
        }

      /* Schemas and examples may come as JSON text, as a form or a table holds them. */
      if (json_column && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          g_autoptr(GError) parse_error = NULL;
          JsonNode *parsed = json_from_string (json_node_get_string (value), &parse_error);

          if (parsed == NULL)
            {
              g_autofree char *reason = parse_error != NULL ? dbw_json_describe_error (parse_error) : g_strdup (_("empty"));

              field_error (error, member, _("not valid JSON: %s"), reason);
              return NULL;
            }
          json_object_set_member (fields, member, parsed);
          continue;
        }

      if (json_column && JSON_NODE_HOLDS_NULL (value))
        {
          field_error (error, member, _("must be JSON, not null"));
          return NULL;
        }

      json_object_set_member (fields, member, json_node_copy (value));
    }

  if (!json_object_has_member (fields, "name"))
    {
      field_error (error, "name", _("is required"));
      return NULL;
    }
  if (!json_object_has_member (fields, "label_type"))
    {
      field_error (error, "label_type", _("is required"));
      return NULL;
    }

  tmpl = dbw_template_new ();
  if (!dbw_record_update_from_json (DBW_RECORD (tmpl), fields, &local_error))
    {
      g_set_error_literal (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&tmpl);
}
