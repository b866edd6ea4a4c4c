/* dbw-demo.c
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

#define G_LOG_DOMAIN "dbw-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dbw-canonical-label.h"
#include "dbw-csv-reader.h"
#include "dbw-demo.h"
#include "dbw-json-text.h"
#include "dbw-importer.h"
#include "dbw-item.h"
#include "dbw-pair-builder.h"
#include "dbw-qa-pair.h"
#include "dbw-review.h"
#include "dbw-sheet.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"

/* The demo project is built from the sources generated at build time (data/demo): PCB
 * inspection photographs with their defects, radiation-safety documents and a CSV of
 * instrument readings. Every "Open demo project" builds a fresh copy, so nothing a user
 * does in one demo leaks into the next. */

static JsonObject *
load_manifest (const char  *sources_dir,
               GError     **error)
{
  g_autofree char *path = g_build_filename (sources_dir, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_INVALID,
                   _("“%s” is not a JSON object"), path);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static JsonArray *
manifest_array (JsonObject *manifest,
                const char *key)
{
  JsonNode *node = json_object_get_member (manifest, key);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static DbwSheet *
add_sheet (DbwStore    *store,
           const char  *name,
           const char  *description,
           const char  *source_path,
           GError     **error)
{
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();

  dbw_sheet_set_name (sheet, name);
  dbw_sheet_set_description (sheet, description);
  dbw_sheet_set_source_path (sheet, source_path);
  if (!dbw_store_insert (store, sheet, error))
    return NULL;

  return g_steal_pointer (&sheet);
}

static char *
put_file (DbwStore    *store,
          const char  *path,
          const char  *content_type,
          GError     **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);
  g_autoptr(GBytes) bytes = NULL;

  if (mapped == NULL)
    return NULL;

  bytes = g_mapped_file_get_bytes (mapped);

  return dbw_store_put_blob (store, bytes, content_type, error);
}

/* Copies the manifest's description of a file into the item's fields, leaving out what the
 * item records elsewhere. */
static char *
fields_from_manifest (JsonObject *entry,
                      const char *skip)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = json_object_get_members (entry);

  json_builder_begin_object (builder);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (entry, l->data);

      if (g_strcmp0 (l->data, skip) == 0 || !JSON_NODE_HOLDS_VALUE (value))
        continue;

      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
defects_label (JsonObject *entry)
{
  JsonNode *defects = json_object_get_member (entry, "defects");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "objects");
  if (defects != NULL && JSON_NODE_HOLDS_ARRAY (defects))
    json_builder_add_value (builder, json_node_copy (defects));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static gboolean
add_images (DbwStore      *store,
            const char    *sources_dir,
            JsonObject    *manifest,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *dir = g_build_filename (sources_dir, "pcb", NULL);
  g_autoptr(DbwSheet) sheet = NULL;
  JsonArray *images = manifest_array (manifest, "images");

  sheet = add_sheet (store, _("PCB inspection images"),
                     _("Automated optical inspection photographs of power-supply and controller boards; defects are marked as boxes"),
                     dir, error);
  if (sheet == NULL)
    return FALSE;

  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      JsonObject *entry = json_array_get_object_element (images, i);
      const char *file = json_object_get_string_member_with_default (entry, "file", NULL);
      g_autofree char *basename = NULL;
      g_autofree char *path = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *fields = NULL;
      g_autoptr(DbwItem) item = dbw_item_new ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (file == NULL)
        continue;

      basename = g_path_get_basename (file);
      path = g_build_filename (sources_dir, file, NULL);
      hash = put_file (store, path, "image/png", error);
      if (hash == NULL)
        return FALSE;

      fields = fields_from_manifest (entry, "file");
      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, basename);
      dbw_item_set_modality (item, DBW_MODALITY_IMAGE);
      dbw_item_set_content_type (item, "image/png");
      dbw_item_set_blob_hash (item, hash);
      dbw_item_set_fields (item, fields);
      if (!dbw_store_insert (store, item, error))
        return FALSE;

      /* The first half of the boards were already inspected by an expert. */
      if (i < json_array_get_length (images) / 2)
        {
          g_autoptr(DbwCanonicalLabel) label = dbw_canonical_label_new ();
          g_autofree char *data = defects_label (entry);
          const char *uses[] = { DBW_USE_TRAINING, DBW_USE_VALIDATION, DBW_USE_EVALUATION, DBW_USE_FEW_SHOT, DBW_USE_TESTING, NULL };

          dbw_canonical_label_set_sheet_id (label, dbw_record_get_id (DBW_RECORD (sheet)));
          dbw_canonical_label_set_item_ref (label, basename);
          dbw_canonical_label_set_label_type (label, DBW_LABEL_TYPE_OBJECT_DETECTION);
          dbw_canonical_label_set_label_data (label, data);
          dbw_canonical_label_set_allowed_uses (label, uses);
          dbw_canonical_label_set_labeled_by (label, "m.okafor (AOI inspector)");
          dbw_canonical_label_set_data_classification (label, DBW_CLASSIFICATION_INTERNAL);
          if (!dbw_store_insert (store, label, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
add_documents (DbwStore      *store,
               const char    *sources_dir,
               JsonObject    *manifest,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *dir = g_build_filename (sources_dir, "documents", NULL);
  g_autoptr(DbwSheet) sheet = NULL;
  JsonArray *documents = manifest_array (manifest, "documents");
  const char *prohibited[] = { DBW_USE_TRAINING, NULL };
  const char *allowed[] = { DBW_USE_EVALUATION, DBW_USE_FEW_SHOT, DBW_USE_TESTING, NULL };

  sheet = add_sheet (store, _("Radiation-safety documents"),
                     _("Procedures, calibration certificates and an incident report of the radiation protection group"),
                     dir, error);
  if (sheet == NULL)
    return FALSE;

  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    {
      JsonObject *entry = json_array_get_object_element (documents, i);
      const char *file = json_object_get_string_member_with_default (entry, "file", NULL);
      const char *doc_type = json_object_get_string_member_with_default (entry, "doc_type", "");
      g_autofree char *basename = NULL;
      g_autofree char *path = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *fields = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GFile) pdf_file = NULL;
      g_autoptr(DbwItem) item = dbw_item_new ();

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (file == NULL)
        continue;

      basename = g_path_get_basename (file);
      path = g_build_filename (sources_dir, file, NULL);
      hash = put_file (store, path, "application/pdf", error);
      if (hash == NULL)
        return FALSE;

      /* As an import would: prompts and search read the text. */
      pdf_file = g_file_new_for_path (path);
      text = dbw_importer_extract_pdf_text (pdf_file, cancellable, error);
      if (text == NULL)
        return FALSE;

      fields = fields_from_manifest (entry, "file");
      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, basename);
      dbw_item_set_modality (item, DBW_MODALITY_PDF);
      dbw_item_set_text_content (item, text);
      dbw_item_set_content_type (item, "application/pdf");
      dbw_item_set_blob_hash (item, hash);
      dbw_item_set_fields (item, fields);

      /* Incident reports name workers and their doses: never used for training. */
      if (strstr (doc_type, "incident") != NULL)
        {
          const char *tags[] = { "PII", NULL };

          dbw_item_set_tags (item, tags);
          dbw_item_set_prohibited_uses (item, prohibited);
          dbw_item_set_allowed_uses (item, allowed);
          dbw_item_set_usage_reason (item, _("Names workers and their doses (PII)"));
          dbw_item_set_data_classification (item, DBW_CLASSIFICATION_RESTRICTED);
        }

      if (!dbw_store_insert (store, item, error))
        return FALSE;
    }

  return TRUE;
}

/* Plain decimal numbers become numbers, written as in the file (0.010 stays 0.010);
 * identifiers with leading zeros stay text. */
static char *
row_to_json (const char * const *header,
             GPtrArray          *fields)
{
  GString *json = g_string_new ("{");

  for (guint i = 0; header[i] != NULL && i < fields->len; i++)
    {
      const char *text = g_ptr_array_index (fields, i);

      if (i > 0)
        g_string_append_c (json, ',');
      dbw_json_append_string (json, header[i]);
      g_string_append_c (json, ':');
      if (dbw_json_is_number (text))
        g_string_append (json, text);
      else
        dbw_json_append_string (json, text);
    }
  g_string_append_c (json, '}');

  return g_string_free (json, FALSE);
}

static gboolean
add_readings (DbwStore      *store,
              const char    *sources_dir,
              char         **sheet_id,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *path = g_build_filename (sources_dir, "readings.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(DbwCsvReader) reader = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(DbwItem) item = dbw_item_new ();
  g_autoptr(GPtrArray) fields = NULL;
  const char * const *header;
  guint row = 0;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;

  sheet = add_sheet (store, _("Survey instrument readings"),
                     _("Ambient dose-rate and contamination readings from the reactor hall, hot lab and waste store"),
                     path, error);
  if (sheet == NULL)
    return FALSE;
  *sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));

  reader = dbw_csv_reader_new (G_INPUT_STREAM (stream), "readings.csv");
  if (!dbw_csv_reader_read_header (reader, cancellable, error))
    return FALSE;
  header = dbw_csv_reader_get_header (reader);

  while (dbw_csv_reader_next_record (reader, &fields, cancellable, error))
    {
      g_autofree char *json = row_to_json (header, fields);
      char ref[32];

      g_snprintf (ref, sizeof ref, "row_%u", ++row);
      dbw_record_set_id (DBW_RECORD (item), NULL);
      dbw_item_set_sheet_id (item, dbw_record_get_id (DBW_RECORD (sheet)));
      dbw_item_set_item_ref (item, ref);
      dbw_item_set_modality (item, DBW_MODALITY_ROW);
      dbw_item_set_fields (item, json);
      dbw_item_set_created_at (item, NULL);
      g_clear_pointer (&fields, g_ptr_array_unref);

      if (!dbw_store_insert (store, item, error))
        return FALSE;
    }

  /* next_record() returns FALSE without an error at the end of the file. */
  return error == NULL || *error == NULL;
}

/* Published templates, one per demo sheet, so Generate works from the first minute; the
 * PCB one matches the inspector's canonical labels, so half its pairs come back approved. */
typedef struct
{
  const char   *name;
  const char   *description;
  DbwLabelType  label_type;
  const char   *system_prompt;
  const char   *user_prompt;
  const char   *output_schema;
  const char   *examples;
  double        temperature;
  gint64        max_tokens;
} DemoTemplate;

static const DemoTemplate demo_templates[] = {
  {
    N_("Reading triage"),
    N_("Sorts a survey reading into normal, investigate or action required, with the reason"),
    DBW_LABEL_TYPE_CLASSIFICATION,
    N_("You are a radiation-safety engineer reviewing survey instrument readings. Answer with a JSON "
       "object only: {\"class\": \"normal\" | \"investigate\" | \"action_required\", \"reason\": \"…\"}."),
    N_("Instrument {{ instrument_id }} ({{ instrument_type }}) measured {{ value }} {{ unit }} of "
       "{{ measurement_type }} at {{ location }}; background {{ background }}.\n"
       "Operator notes: {{ notes | default(\"none\") }}\n\nClassify this reading."),
    "{\"type\":\"object\",\"required\":[\"class\",\"reason\"],"
    "\"properties\":{\"class\":{\"enum\":[\"normal\",\"investigate\",\"action_required\"]},"
    "\"reason\":{\"type\":\"string\",\"minLength\":1}},\"additionalProperties\":false}",
    "[{\"input\":\"Instrument GM-01 (GM pancake probe) measured 0.42 µSv/h of ambient dose rate at Hall B; "
    "background 0.12.\\nOperator notes: none\\n\\nClassify this reading.\","
    "\"output\":{\"class\":\"investigate\",\"reason\":\"Three and a half times background in a public area.\"}}]",
    0.0, 256,
  },
  {
    N_("Procedure questions"),
    N_("Writes a question a radiation worker would ask about a document, answered from its text"),
    DBW_LABEL_TYPE_QA,
    N_("You help radiation workers understand their procedures. Use only the document's text. Answer "
       "with a JSON object: {\"question\": \"…\", \"answer\": \"…\"}."),
    N_("Document {{ document_number | default(\"\") }} “{{ title }}”:\n\n"
       "{{ item.text }}\n\nWrite one question a worker would ask about this document, and its answer."),
    "{\"type\":\"object\",\"required\":[\"question\",\"answer\"],"
    "\"properties\":{\"question\":{\"type\":\"string\",\"minLength\":1},"
    "\"answer\":{\"type\":\"string\",\"minLength\":1}}}",
    "[]",
    0.3, 512,
  },
  {
    N_("PCB defect detection"),
    N_("Finds the defects on a board photograph, each with its class and bounding box"),
    DBW_LABEL_TYPE_OBJECT_DETECTION,
    N_("You are an AOI inspector. Answer with a JSON object: {\"objects\": [{\"class\": …, "
       "\"component\": …, \"bbox\": [x, y, width, height]}]} in image pixels; an empty list for a good board."),
    N_("Board {{ board }} ({{ side }} side, {{ finish }} finish), photographed by {{ camera }}: "
       "{{ item.image }}\n\nList every defect."),
    "{\"type\":\"object\",\"required\":[\"objects\"],\"properties\":{\"objects\":{\"type\":\"array\","
    "\"items\":{\"type\":\"object\",\"required\":[\"class\",\"bbox\"],"
    "\"properties\":{\"class\":{\"type\":\"string\"},\"bbox\":{\"type\":\"array\",\"minItems\":4,\"maxItems\":4}}}}}}",
    "[]",
    0.0, 1024,
  },
};

static gboolean
add_templates (DbwStore     *store,
               DbwTemplate **first,
               GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_templates); i++)
    {
      const DemoTemplate *demo = &demo_templates[i];
      g_autoptr(DbwTemplate) tmpl = dbw_template_new ();
      g_autofree char *template_id = g_uuid_string_random ();

      dbw_template_set_template_id (tmpl, template_id);
      dbw_template_set_version (tmpl, 1);
      dbw_template_set_name (tmpl, _(demo->name));
      dbw_template_set_description (tmpl, _(demo->description));
      dbw_template_set_status (tmpl, DBW_TEMPLATE_STATUS_PUBLISHED);
      dbw_template_set_label_type (tmpl, demo->label_type);
      dbw_template_set_system_prompt (tmpl, _(demo->system_prompt));
      dbw_template_set_user_prompt_template (tmpl, _(demo->user_prompt));
      dbw_template_set_output_schema (tmpl, demo->output_schema);
      dbw_template_set_examples (tmpl, demo->examples);
      dbw_template_set_temperature (tmpl, demo->temperature);
      dbw_template_set_max_tokens (tmpl, demo->max_tokens);
      dbw_template_set_created_by (tmpl, "Databits Workbench demo");
      if (!dbw_store_insert (store, tmpl, error))
        return FALSE;
      if (i == 0)
        *first = g_object_ref (tmpl);
    }

  return TRUE;
}

/* The triage model's answer for a reading, from the status the operator recorded. */
static char *
triage_reply (JsonObject *fields)
{
  const char *status = json_object_get_string_member_with_default (fields, "status", "normal");
  const char *notes = json_object_get_string_member_with_default (fields, "notes", "");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *klass = "normal";
  const char *reason = _("Within the usual range for this location and close to background.");

  if (g_str_equal (status, "above_action_level"))
    {
      klass = "action_required";
      reason = _("Above the action level for this area: restrict access and decontaminate.");
    }
  else if (g_str_equal (status, "instrument_fault"))
    {
      klass = "investigate";
      reason = _("The instrument may be faulty: repeat the survey with another one.");
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "class");
  json_builder_add_string_value (builder, klass);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, notes[0] != '\0' ? notes : reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* A small Training Sheet of triaged readings, most of them reviewed, so Label and Train
 * have something to show from the first minute. Readings of a faulty instrument are kept
 * out of training, as a radiation protection officer would. */
static gboolean
add_training_sheet (DbwStore     *store,
                    const char   *sheet_id,
                    DbwTemplate  *tmpl,
                    GError      **error)
{
  const char *uses[] = { DBW_USE_TRAINING, DBW_USE_VALIDATION, DBW_USE_EVALUATION, DBW_USE_TESTING, NULL };
  const char *evaluation_only[] = { DBW_USE_EVALUATION, DBW_USE_TESTING, NULL };
  const char *no_training[] = { DBW_USE_TRAINING, DBW_USE_VALIDATION, NULL };
  struct { const char *status; guint want; guint n; } quota[] = {
    { "normal", 10, 0 }, { "above_action_level", 5, 0 }, { "instrument_fault", 5, 0 },
  };
  g_autoptr(DbwTrainingSheet) ts = dbw_training_sheet_new ();
  g_autoptr(DbwPairBuilder) builder = NULL;
  g_autoptr(DbwReview) review = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) approve = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *now = dbw_now_iso8601 ();
  g_autofree char *user = g_strdup (dbw_store_get_user (store));
  gboolean approved = TRUE;
  guint n_pairs = 0;

  builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, error);
  if (builder == NULL)
    return FALSE;

  dbw_training_sheet_set_name (ts, _("Reading triage — reviewed sample"));
  dbw_training_sheet_set_sheet_id (ts, sheet_id);
  dbw_training_sheet_set_template_id (ts, dbw_record_get_id (DBW_RECORD (tmpl)));
  dbw_training_sheet_set_status (ts, DBW_TRAINING_SHEET_STATUS_REVIEW);
  dbw_training_sheet_set_labeling_mode (ts, DBW_LABELING_MODE_AI_GENERATED);
  dbw_training_sheet_set_created_by (ts, "Databits Workbench demo");
  dbw_training_sheet_set_generation_started_at (ts, now);
  dbw_training_sheet_set_generation_completed_at (ts, now);
  if (!dbw_store_insert (store, ts, error))
    return FALSE;

  items = dbw_store_list (store, DBW_TYPE_ITEM, "sheet_id", sheet_id, error);
  if (items == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      DbwItem *item = g_ptr_array_index (items, i);
      g_autoptr(JsonNode) fields = json_from_string (dbw_item_get_fields (item), NULL);
      g_autoptr(DbwQaPair) pair = NULL;
      g_autofree char *prompt = NULL;
      g_autofree char *reply = NULL;
      const char *status;
      gboolean reviewed = FALSE;
      guint q;

      if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
        continue;
      status = json_object_get_string_member_with_default (json_node_get_object (fields), "status", "");
      for (q = 0; q < G_N_ELEMENTS (quota); q++)
        if (g_str_equal (status, quota[q].status))
          break;
      if (q == G_N_ELEMENTS (quota) || quota[q].n >= quota[q].want)
        continue;
      quota[q].n++;

      prompt = dbw_pair_builder_render_prompt (builder, item, error);
      if (prompt == NULL)
        return FALSE;
      reply = triage_reply (json_node_get_object (fields));
      pair = dbw_pair_builder_build_from_reply (builder, dbw_record_get_id (DBW_RECORD (ts)), item, prompt, reply, 0.9);

      /* Most are reviewed, one is rejected, every seventh still waits in Label. */
      if (n_pairs == 5)
        {
          dbw_qa_pair_set_status (pair, DBW_QA_STATUS_REJECTED);
          dbw_qa_pair_set_review_notes (pair, _("The reason does not match the reading."));
          dbw_qa_pair_set_reviewed_by (pair, "a.lindqvist (RPO)");
          dbw_qa_pair_set_reviewed_at (pair, now);
        }
      else if (n_pairs % 7 != 6)
        {
          if (q == 2 && quota[q].n <= 2)
            {
              dbw_qa_pair_set_allowed_uses (pair, evaluation_only);
              dbw_qa_pair_set_prohibited_uses (pair, no_training);
              dbw_qa_pair_set_usage_reason (pair, _("Reading of a faulty instrument: evaluation only"));
            }
          else
            dbw_qa_pair_set_allowed_uses (pair, uses);
          reviewed = TRUE;
        }

      if (!dbw_store_insert (store, pair, error))
        return FALSE;
      if (reviewed)
        g_ptr_array_add (approve, g_strdup (dbw_record_get_id (DBW_RECORD (pair))));
      n_pairs++;
    }

  /* Approved as the Label page approves them, so each reviewed reading also has its
   * canonical label, reused when the sheet is generated from again. */
  review = dbw_review_new (store);
  dbw_store_set_user (store, "a.lindqvist (RPO)");
  for (guint i = 0; i < approve->len && approved; i++)
    approved = dbw_review_approve (review, g_ptr_array_index (approve, i), error);
  dbw_store_set_user (store, user);

  return approved;
}

/**
 * dbw_demo_fill:
 * @store: an empty project
 * @sources_dir: the folder with manifest.json, pcb/, documents/ and readings.csv
 *
 * Fills @store with the demo sheets, items, canonical labels, published templates and a
 * small reviewed Training Sheet in one transaction.
 */
gboolean
dbw_demo_fill (DbwStore      *store,
               const char    *sources_dir,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(JsonObject) manifest = NULL;
  g_autoptr(DbwTemplate) triage = NULL;
  g_autofree char *readings_id = NULL;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (sources_dir != NULL, FALSE);

  manifest = load_manifest (sources_dir, error);
  if (manifest == NULL)
    return FALSE;

  if (!dbw_store_begin (store, error))
    return FALSE;

  if (!dbw_store_set_meta (store, "title", _("Demo Project"), error) ||
      !add_readings (store, sources_dir, &readings_id, cancellable, error) ||
      !add_documents (store, sources_dir, manifest, cancellable, error) ||
      !add_images (store, sources_dir, manifest, cancellable, error) ||
      !add_templates (store, &triage, error) ||
      !add_training_sheet (store, readings_id, triage, error))
    {
      dbw_store_rollback (store);
      return FALSE;
    }

  return dbw_store_commit (store, error);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = task_data;
  const char *sources_dir = g_object_get_data (G_OBJECT (task), "sources-dir");
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);
  if (store == NULL || !dbw_demo_fill (store, sources_dir, cancellable, &error))
    {
      if (store != NULL)
        {
          g_autofree char *path = g_strdup (dbw_store_get_path (store));

          dbw_store_close (store);
          g_unlink (path);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  dbw_store_close (store);
  g_task_return_pointer (task, g_object_ref (file), g_object_unref);
}

/**
 * dbw_demo_create_async:
 * @file: where to create the project; it must not exist
 *
 * Creates a fresh demo project in a worker thread.
 */
void
dbw_demo_create_async (GFile               *file,
                       const char          *sources_dir,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (sources_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_name (task, "dbw_demo_create_async");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "sources-dir", g_strdup (sources_dir), g_free);
  g_task_run_in_thread (task, create_thread);
}

/**
 * dbw_demo_create_finish:
 *
 * Returns: (transfer full): the project file, or %NULL with @error set
 */
GFile *
dbw_demo_create_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
