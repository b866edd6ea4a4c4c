/* dbw-pair-builder.c
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

#define G_LOG_DOMAIN "dbw-pair-builder"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-generation-job.h"
#include "dbw-json-schema.h"
#include "dbw-json-text.h"
#include "dbw-pair-builder.h"
#include "dbw-prompt.h"
#include "dbw-template-ops.h"

struct _DbwPairBuilder
{
  GObject          parent_instance;

  DbwTemplate     *tmpl;
  DbwLabelingMode  mode;
  char            *column;
  gboolean         column_trusted;

  /* System prompt and examples: the start of every pair's messages. */
  JsonArray       *prefix;
  /* NULL when the template accepts any text. */
  JsonNode        *output_schema;
};

G_DEFINE_FINAL_TYPE (DbwPairBuilder, dbw_pair_builder, G_TYPE_OBJECT)

static void
add_message (JsonArray  *messages,
             const char *role,
             const char *content)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", role);
  json_object_set_string_member (message, "content", content);
  json_array_add_object_element (messages, message);
}

/* Text as it is; anything else as compact JSON. */
static char *
node_to_content (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return dbw_json_to_compact (node);
}

static gboolean
add_examples (DbwPairBuilder  *self,
              GError         **error)
{
  g_autoptr(JsonNode) examples = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *text = dbw_template_get_examples (self->tmpl);
  JsonArray *array;

  if (text == NULL || text[0] == '\0')
    return TRUE;

  examples = json_from_string (text, &parse_error);
  if (examples == NULL || !JSON_NODE_HOLDS_ARRAY (examples))
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   _("The examples of the template “%s” are not a JSON array"), dbw_template_get_name (self->tmpl));
      return FALSE;
    }

  array = json_node_get_array (examples);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *input;
      JsonNode *output;
      g_autofree char *user = NULL;
      g_autofree char *assistant = NULL;

      if (!dbw_template_ops_example_parts (json_array_get_element (array, i), &input, &output))
        {
          g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                       _("Example %u of the template “%s” needs an “input” and an “output”"),
                       i + 1, dbw_template_get_name (self->tmpl));
          return FALSE;
        }

      if (JSON_NODE_HOLDS_OBJECT (input))
        {
          g_autoptr(GError) render_error = NULL;

          user = dbw_prompt_render (dbw_template_get_user_prompt_template (self->tmpl),
                                    json_node_get_object (input), &render_error);
          if (user == NULL)
            {
              g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                           _("Example %u of the template “%s”: %s"),
                           i + 1, dbw_template_get_name (self->tmpl), render_error->message);
              return FALSE;
            }
        }
      else
        {
          user = node_to_content (input);
        }
      assistant = node_to_content (output);

      add_message (self->prefix, "user", user);
      add_message (self->prefix, "assistant", assistant);
    }

  return TRUE;
}

static gboolean
load_schema (DbwPairBuilder  *self,
             GError         **error)
{
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *text = dbw_template_get_output_schema (self->tmpl);

  if (text == NULL || text[0] == '\0')
    return TRUE;

  schema = json_from_string (text, &local_error);
  if (schema == NULL || !dbw_json_schema_check (schema, &local_error))
    {
      g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                   _("The output schema of the template “%s” is not valid: %s"),
                   dbw_template_get_name (self->tmpl),
                   local_error != NULL ? local_error->message : _("it is empty"));
      return FALSE;
    }

  /* {} accepts everything, text that is not JSON included. */
  if (JSON_NODE_HOLDS_OBJECT (schema) && json_object_get_size (json_node_get_object (schema)) == 0)
    return TRUE;

  self->output_schema = g_steal_pointer (&schema);
  return TRUE;
}

/* The JSON of a reply in a ```json fence, without the fence; the reply itself otherwise. */
static char *
strip_fence (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *start;
  char *end;

  if (!g_str_has_prefix (copy, "```"))
    return g_steal_pointer (&copy);

  start = copy + 3;
  while (g_ascii_isalpha (*start))
    start++;
  end = g_strrstr (start, "```");
  if (end != NULL)
    *end = '\0';

  return g_strstrip (g_strdup (start));
}

static DbwQaPair *
new_pair (DbwPairBuilder *self,
          const char     *training_sheet_id,
          DbwItem        *item,
          const char     *user_prompt,
          const char     *assistant)
{
  g_autoptr(JsonArray) messages = json_array_sized_new (json_array_get_length (self->prefix) + 2);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  DbwQaPair *pair = dbw_qa_pair_new ();

  for (guint i = 0; i < json_array_get_length (self->prefix); i++)
    json_array_add_element (messages, json_node_copy (json_array_get_element (self->prefix, i)));
  add_message (messages, "user", user_prompt);
  add_message (messages, "assistant", assistant);
  json_node_set_array (node, messages);
  text = json_to_string (node, FALSE);

  dbw_qa_pair_set_training_sheet_id (pair, training_sheet_id);
  dbw_qa_pair_set_item_ref (pair, dbw_item_get_item_ref (item));
  dbw_qa_pair_set_messages (pair, text);
  dbw_qa_pair_set_labeling_mode (pair, self->mode);
  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_UNLABELED);

  /* The item's usage constraints go with what is made from it. */
  dbw_qa_pair_set_allowed_uses (pair, dbw_item_get_allowed_uses (item));
  dbw_qa_pair_set_prohibited_uses (pair, dbw_item_get_prohibited_uses (item));
  dbw_qa_pair_set_usage_reason (pair, dbw_item_get_usage_reason (item));
  dbw_qa_pair_set_data_classification (pair, dbw_item_get_data_classification (item));

  return pair;
}

static void
flag (DbwQaPair  *pair,
      const char *reason)
{
  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_FLAGGED);
  dbw_qa_pair_set_review_notes (pair, reason);
}

static void
dbw_pair_builder_finalize (GObject *object)
{
  DbwPairBuilder *self = (DbwPairBuilder *)object;

  g_clear_object (&self->tmpl);
  g_clear_pointer (&self->column, g_free);
  g_clear_pointer (&self->prefix, json_array_unref);
  g_clear_pointer (&self->output_schema, json_node_unref);

  G_OBJECT_CLASS (dbw_pair_builder_parent_class)->finalize (object);
}

static void
dbw_pair_builder_class_init (DbwPairBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_pair_builder_finalize;
}

static void
dbw_pair_builder_init (DbwPairBuilder *self)
{
  self->prefix = json_array_new ();
}

/**
 * dbw_pair_builder_new:
 * @tmpl: the template version
 * @mode: ai_generated, manual or existing_column
 * @column: (nullable): the column holding the answers, for existing_column
 *
 * Returns: (transfer full): a builder, or %NULL with @error set
 *   (%DBW_GENERATION_ERROR_INVALID) when the template's examples or output schema cannot be
 *   used, the mode is not one a run makes, or the column is missing
 */
DbwPairBuilder *
dbw_pair_builder_new (DbwTemplate      *tmpl,
                      DbwLabelingMode   mode,
                      const char       *column,
                      GError          **error)
{
  g_autoptr(DbwPairBuilder) self = NULL;
  g_autofree char *system = NULL;

  g_return_val_if_fail (DBW_IS_TEMPLATE (tmpl), NULL);

  if (mode == DBW_LABELING_MODE_CANONICAL)
    {
      g_set_error_literal (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                           _("A training sheet is generated by a model, by hand or from a column; canonical pairs come by themselves"));
      return NULL;
    }
  if (mode == DBW_LABELING_MODE_EXISTING_COLUMN && (column == NULL || column[0] == '\0'))
    {
      g_set_error_literal (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                           _("Generating from an existing column needs the name of that column"));
      return NULL;
    }

  self = g_object_new (DBW_TYPE_PAIR_BUILDER, NULL);
  self->tmpl = g_object_ref (tmpl);
  self->mode = mode;
  self->column = g_strdup (column);

  if (dbw_template_get_system_prompt (tmpl) != NULL && dbw_template_get_system_prompt (tmpl)[0] != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      system = dbw_prompt_render_fixed (dbw_template_get_system_prompt (tmpl), &local_error);
      if (system == NULL)
        {
          g_set_error (error, DBW_GENERATION_ERROR, DBW_GENERATION_ERROR_INVALID,
                       /* Translators: %s says what is wrong with it */
                       _("The template’s system prompt cannot be sent: %s"), local_error->message);
          return NULL;
        }
      add_message (self->prefix, "system", system);
    }
  if (!add_examples (self, error) || !load_schema (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

DbwTemplate *
dbw_pair_builder_get_template (DbwPairBuilder *self)
{
  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), NULL);

  return self->tmpl;
}

DbwLabelingMode
dbw_pair_builder_get_mode (DbwPairBuilder *self)
{
  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), DBW_LABELING_MODE_AI_GENERATED);

  return self->mode;
}

gboolean
dbw_pair_builder_get_column_trusted (DbwPairBuilder *self)
{
  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), FALSE);

  return self->column_trusted;
}

void
dbw_pair_builder_set_column_trusted (DbwPairBuilder *self,
                                     gboolean        trusted)
{
  g_return_if_fail (DBW_IS_PAIR_BUILDER (self));

  self->column_trusted = !!trusted;
}

/**
 * dbw_pair_builder_render_prompt:
 *
 * Returns: (transfer full): the template's user prompt for @item, or %NULL with a
 *   %DBW_PROMPT_ERROR naming what is missing
 */
char *
dbw_pair_builder_render_prompt (DbwPairBuilder  *self,
                                DbwItem         *item,
                                GError         **error)
{
  g_autoptr(JsonObject) context = NULL;

  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), NULL);
  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);

  context = dbw_prompt_context_for_item (item);
  return dbw_prompt_render (dbw_template_get_user_prompt_template (self->tmpl), context, error);
}

/**
 * dbw_pair_builder_build_request:
 *
 * Returns: (transfer full): the messages to send a model for @user_prompt
 */
JsonArray *
dbw_pair_builder_build_request (DbwPairBuilder *self,
                                const char     *user_prompt)
{
  JsonArray *messages;

  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), NULL);
  g_return_val_if_fail (user_prompt != NULL, NULL);

  messages = json_array_sized_new (json_array_get_length (self->prefix) + 1);
  for (guint i = 0; i < json_array_get_length (self->prefix); i++)
    json_array_add_element (messages, json_node_copy (json_array_get_element (self->prefix, i)));
  add_message (messages, "user", user_prompt);

  return messages;
}

/**
 * dbw_pair_builder_check_output:
 * @text: an answer
 *
 * Returns: %TRUE when @text satisfies the template's output schema; else %FALSE with a
 *   %DBW_JSON_SCHEMA_ERROR saying where and why it does not
 */
gboolean
dbw_pair_builder_check_output (DbwPairBuilder  *self,
                               const char      *text,
                               GError         **error)
{
  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (self->output_schema == NULL)
    return TRUE;

  return dbw_json_schema_validate_text (self->output_schema, text, error);
}

/**
 * dbw_pair_builder_label_content:
 *
 * Returns: (transfer full): the assistant's answer a canonical label gives: its label_data,
 *   the text itself when that is a JSON string
 */
char *
dbw_pair_builder_label_content (DbwCanonicalLabel *label)
{
  g_autoptr(JsonNode) data = NULL;
  const char *text;

  g_return_val_if_fail (DBW_IS_CANONICAL_LABEL (label), NULL);

  text = dbw_canonical_label_get_label_data (label);
  if (text == NULL || (data = json_from_string (text, NULL)) == NULL)
    return g_strdup (text != NULL ? text : "");

  return node_to_content (data);
}

static DbwQaPair *
build_canonical (DbwPairBuilder    *self,
                 const char        *training_sheet_id,
                 DbwItem           *item,
                 const char        *user_prompt,
                 DbwCanonicalLabel *label)
{
  g_autofree char *content = dbw_pair_builder_label_content (label);
  DbwQaPair *pair = new_pair (self, training_sheet_id, item, user_prompt, content);

  dbw_qa_pair_set_labeling_mode (pair, DBW_LABELING_MODE_CANONICAL);
  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);
  dbw_qa_pair_set_canonical_label_id (pair, dbw_record_get_id (DBW_RECORD (label)));
  dbw_qa_pair_set_reviewed_by (pair, dbw_canonical_label_get_labeled_by (label));
  dbw_qa_pair_set_reviewed_at (pair, dbw_canonical_label_get_labeled_at (label));

  /* The label's governance, not the item's: the expert decided it for this label. */
  dbw_qa_pair_set_allowed_uses (pair, dbw_canonical_label_get_allowed_uses (label));
  dbw_qa_pair_set_prohibited_uses (pair, dbw_canonical_label_get_prohibited_uses (label));
  dbw_qa_pair_set_usage_reason (pair, dbw_canonical_label_get_usage_reason (label));
  dbw_qa_pair_set_data_classification (pair, dbw_canonical_label_get_data_classification (label));

  return pair;
}

static DbwQaPair *
build_from_column (DbwPairBuilder *self,
                   const char     *training_sheet_id,
                   DbwItem        *item,
                   const char     *user_prompt)
{
  g_autoptr(JsonNode) fields = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autofree char *content = NULL;
  JsonNode *value = NULL;
  DbwQaPair *pair;

  if (dbw_item_get_fields (item) != NULL)
    fields = json_from_string (dbw_item_get_fields (item), NULL);
  if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
    value = json_object_get_member (json_node_get_object (fields), self->column);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      g_autofree char *reason = NULL;

      pair = new_pair (self, training_sheet_id, item, user_prompt, "");
      reason = g_strdup_printf (_("The column “%s” is empty for this item"), self->column);
      flag (pair, reason);
      return pair;
    }

  content = node_to_content (value);
  pair = new_pair (self, training_sheet_id, item, user_prompt, content);
  if (!dbw_pair_builder_check_output (self, content, &check_error))
    flag (pair, check_error->message);
  else if (self->column_trusted)
    dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);

  return pair;
}

/**
 * dbw_pair_builder_build:
 * @training_sheet_id: the training sheet the pair goes to
 * @label: (nullable): the item's canonical label for the template's label_type
 * @user_prompt: (out) (optional) (transfer full): the item's rendered user prompt
 *
 * Makes the pair of @item, unless its answer is the model's to give.
 *
 * Returns: (transfer full) (nullable): the pair; %NULL without an error when the model must
 *   answer (ai_generated mode without a canonical label); %NULL with a %DBW_PROMPT_ERROR
 *   when the prompt cannot be rendered for @item
 */
DbwQaPair *
dbw_pair_builder_build (DbwPairBuilder     *self,
                        const char         *training_sheet_id,
                        DbwItem            *item,
                        DbwCanonicalLabel  *label,
                        char              **user_prompt,
                        GError            **error)
{
  g_autofree char *prompt = NULL;
  DbwQaPair *pair = NULL;

  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), NULL);
  g_return_val_if_fail (training_sheet_id != NULL, NULL);
  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);
  g_return_val_if_fail (label == NULL || DBW_IS_CANONICAL_LABEL (label), NULL);

  prompt = dbw_pair_builder_render_prompt (self, item, error);
  if (prompt == NULL)
    return NULL;

  if (label != NULL)
    pair = build_canonical (self, training_sheet_id, item, prompt, label);
  else if (self->mode == DBW_LABELING_MODE_MANUAL)
    pair = new_pair (self, training_sheet_id, item, prompt, "");
  else if (self->mode == DBW_LABELING_MODE_EXISTING_COLUMN)
    pair = build_from_column (self, training_sheet_id, item, prompt);

  if (user_prompt != NULL)
    *user_prompt = g_steal_pointer (&prompt);

  return pair;
}

/**
 * dbw_pair_builder_build_from_reply:
 * @user_prompt: the prompt the model was asked with
 * @reply: the model's answer
 * @confidence: the model's confidence, 0–1, or negative when unknown
 *
 * Returns: (transfer full): the pair: unlabeled, or flagged with the reason when @reply
 *   fails the output schema
 */
DbwQaPair *
dbw_pair_builder_build_from_reply (DbwPairBuilder *self,
                                   const char     *training_sheet_id,
                                   DbwItem        *item,
                                   const char     *user_prompt,
                                   const char     *reply,
                                   double          confidence)
{
  g_autoptr(GError) check_error = NULL;
  g_autofree char *content = NULL;
  DbwQaPair *pair;

  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), NULL);
  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);
  g_return_val_if_fail (user_prompt != NULL, NULL);

  if (reply == NULL)
    reply = "";

  if (dbw_pair_builder_check_output (self, reply, &check_error))
    /* Valid JSON in a fence: the fence is the model's habit, not training data. */
    content = self->output_schema != NULL ? strip_fence (reply) : g_strdup (reply);
  else
    content = g_strdup (reply);

  pair = new_pair (self, training_sheet_id, item, user_prompt, content);
  dbw_qa_pair_set_labeling_mode (pair, DBW_LABELING_MODE_AI_GENERATED);
  if (confidence >= 0.0)
    dbw_qa_pair_set_ai_confidence (pair, CLAMP (confidence, 0.0, 1.0));
  if (check_error != NULL)
    flag (pair, check_error->message);

  return pair;
}

/**
 * dbw_pair_builder_build_flagged:
 * @reason: why there is no answer
 *
 * Returns: (transfer full): a pair with an empty answer, flagged with @reason
 */
DbwQaPair *
dbw_pair_builder_build_flagged (DbwPairBuilder *self,
                                const char     *training_sheet_id,
                                DbwItem        *item,
                                const char     *user_prompt,
                                const char     *reason)
{
  DbwQaPair *pair;

  g_return_val_if_fail (DBW_IS_PAIR_BUILDER (self), NULL);
  g_return_val_if_fail (DBW_IS_ITEM (item), NULL);
  g_return_val_if_fail (user_prompt != NULL, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  pair = new_pair (self, training_sheet_id, item, user_prompt, "");
  flag (pair, reason);

  return pair;
}
