/* dbw-schema.c
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

#define G_LOG_DOMAIN "dbw-schema"

#include "config.h"

#include "dbw-schema.h"

/* The project schema as forward-only migrations. A migration, once released, never changes:
 * add a new one instead. Column order of the record tables matches the property order of the
 * DbwRecord subclasses, which read rows by position.
 *
 * Enumerations are CHECKed against the nicks in dbw-enums.c (as OR chains: SQLite builds a
 * temporary table for every IN list it checks, on every row), JSON columns with json_valid(),
 * and rules about other rows (immutability of published templates, version history of
 * canonical labels, the audit of usage constraints) are triggers, so they hold for every
 * writer — the app, the CLI and the sync service. */

/* A JSON array of use types, checked without a subquery (CHECK constraints cannot have
 * one, and a trigger per insert costs more than the row): once every known use, the commas,
 * spaces and brackets are removed, nothing may remain. */
#define USES_CHECK(col) \
  "CHECK (" col " = '[]' OR json_valid (" col ") AND ltrim (" col ", char (32, 9, 10, 13)) LIKE '[%' AND " \
  "replace (replace (replace (replace (replace (replace (replace (replace (replace (replace (" col ", " \
  "'\"training\"', ''), '\"validation\"', ''), '\"evaluation\"', ''), '\"few_shot\"', ''), " \
  "'\"testing\"', ''), ',', ''), ' ', ''), char (10), ''), '[', ''), ']', '') = '')"

#define AUDIT_TRIGGER(table, who, when) \
  "CREATE TRIGGER " table "_constraints_audit AFTER UPDATE OF allowed_uses, prohibited_uses, data_classification ON " table "\n" \
  "WHEN NEW.allowed_uses IS NOT OLD.allowed_uses OR NEW.prohibited_uses IS NOT OLD.prohibited_uses\n" \
  "  OR NEW.data_classification IS NOT OLD.data_classification\n" \
  "BEGIN\n" \
  "  INSERT INTO usage_constraint_audit (id, target_table, target_id, old_allowed_uses, new_allowed_uses,\n" \
  "    old_prohibited_uses, new_prohibited_uses, old_data_classification, new_data_classification,\n" \
  "    reason, modified_by, modified_at)\n" \
  "  VALUES (lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) || '-' ||\n" \
  "                 substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))),\n" \
  "    '" table "', NEW.id, OLD.allowed_uses, NEW.allowed_uses, OLD.prohibited_uses, NEW.prohibited_uses,\n" \
  "    OLD.data_classification, NEW.data_classification, NEW.usage_reason, " who ",\n" \
  "    coalesce (" when ", strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')));\n" \
  "END;\n"

static const char migration_1[] =
  "CREATE TABLE project_meta (\n"
  "  key   TEXT PRIMARY KEY,\n"
  "  value TEXT\n"
  ");\n"

  "CREATE TABLE blobs (\n"
  "  hash         TEXT PRIMARY KEY CHECK (length (hash) = 64),\n"
  "  size         INTEGER NOT NULL CHECK (size >= 0),\n"
  "  content_type TEXT,\n"
  "  data         BLOB NOT NULL,\n"
  "  created_at   TEXT NOT NULL\n"
  ");\n"

  "CREATE TABLE sheets (\n"
  "  id                TEXT PRIMARY KEY,\n"
  "  name              TEXT NOT NULL CHECK (length (trim (name)) > 0),\n"
  "  description       TEXT NOT NULL DEFAULT '',\n"
  "  source_kind       TEXT NOT NULL DEFAULT 'local' CHECK ((source_kind = 'local' OR source_kind = 'unity_catalog' OR source_kind = 'derived')),\n"
  "  primary_table     TEXT,\n"
  "  secondary_sources TEXT NOT NULL DEFAULT '[]' CHECK (secondary_sources = '[]' OR json_valid (secondary_sources) AND ltrim (secondary_sources, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  join_keys         TEXT NOT NULL DEFAULT '[]' CHECK (join_keys = '[]' OR json_valid (join_keys) AND ltrim (join_keys, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  filter_condition  TEXT,\n"
  "  sample_size       INTEGER CHECK (sample_size IS NULL OR sample_size > 0),\n"
  "  source_path       TEXT,\n"
  "  parents           TEXT NOT NULL DEFAULT '[]' CHECK (parents = '[]' OR json_valid (parents) AND ltrim (parents, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  derivation        TEXT NOT NULL DEFAULT '{}' CHECK (derivation = '{}' OR json_valid (derivation) AND ltrim (derivation, char (32, 9, 10, 13)) LIKE '{%'),\n"
  "  tags              TEXT NOT NULL DEFAULT '[]' CHECK (tags = '[]' OR json_valid (tags) AND ltrim (tags, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  created_by        TEXT,\n"
  "  created_at        TEXT NOT NULL,\n"
  "  updated_at        TEXT NOT NULL\n"
  ");\n"

  "CREATE TABLE items (\n"
  "  id                  TEXT PRIMARY KEY,\n"
  "  sheet_id            TEXT NOT NULL REFERENCES sheets (id) ON DELETE CASCADE,\n"
  "  item_ref            TEXT NOT NULL CHECK (length (item_ref) > 0),\n"
  "  version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),\n"
  "  derived_from        TEXT REFERENCES items (id) ON DELETE SET NULL,\n"
  "  modality            TEXT NOT NULL CHECK ((modality = 'text' OR modality = 'row' OR modality = 'pdf' OR modality = 'image')),\n"
  "  fields              TEXT NOT NULL DEFAULT '{}' CHECK (fields = '{}' OR json_valid (fields) AND ltrim (fields, char (32, 9, 10, 13)) LIKE '{%'),\n"
  "  blob_hash           TEXT REFERENCES blobs (hash),\n"
  "  content_type        TEXT,\n"
  "  text_content        TEXT,\n"
  "  allowed_uses        TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("allowed_uses") ",\n"
  "  prohibited_uses     TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("prohibited_uses") ",\n"
  "  usage_reason        TEXT,\n"
  "  data_classification TEXT NOT NULL DEFAULT 'internal' CHECK ((data_classification = 'public' OR data_classification = 'internal' OR data_classification = 'confidential' OR data_classification = 'restricted')),\n"
  "  tags                TEXT NOT NULL DEFAULT '[]' CHECK (tags = '[]' OR json_valid (tags) AND ltrim (tags, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  created_at          TEXT NOT NULL,\n"
  "  UNIQUE (sheet_id, item_ref, version)\n"
  ");\n"
  "CREATE INDEX items_derived_from ON items (derived_from) WHERE derived_from IS NOT NULL;\n"
  "CREATE INDEX items_blob_hash ON items (blob_hash) WHERE blob_hash IS NOT NULL;\n"
  AUDIT_TRIGGER ("items", "NULL", "NULL")

  "CREATE TABLE templates (\n"
  "  id                   TEXT PRIMARY KEY,\n"
  "  template_id          TEXT NOT NULL,\n"
  "  version              INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),\n"
  "  name                 TEXT NOT NULL CHECK (length (trim (name)) > 0),\n"
  "  description          TEXT NOT NULL DEFAULT '',\n"
  "  status               TEXT NOT NULL DEFAULT 'draft' CHECK ((status = 'draft' OR status = 'published' OR status = 'archived')),\n"
  "  label_type           TEXT NOT NULL CHECK ((label_type = 'classification' OR label_type = 'entity_extraction' OR label_type = 'qa' OR label_type = 'generation' OR label_type = 'summarization' OR label_type = 'object_detection')),\n"
  "  system_prompt        TEXT NOT NULL DEFAULT '',\n"
  "  user_prompt_template TEXT NOT NULL DEFAULT '',\n"
  "  input_schema         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (input_schema)),\n"
  "  output_schema        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (output_schema)),\n"
  "  base_model           TEXT,\n"
  "  temperature          REAL NOT NULL DEFAULT 0.0 CHECK (temperature >= 0.0 AND temperature <= 2.0),\n"
  "  max_tokens           INTEGER NOT NULL DEFAULT 1024 CHECK (max_tokens > 0),\n"
  "  examples             TEXT NOT NULL DEFAULT '[]' CHECK (examples = '[]' OR json_valid (examples) AND ltrim (examples, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  source_catalog       TEXT,\n"
  "  source_schema        TEXT,\n"
  "  source_table         TEXT,\n"
  "  source_volume        TEXT,\n"
  "  created_by           TEXT,\n"
  "  created_at           TEXT NOT NULL,\n"
  "  updated_at           TEXT NOT NULL,\n"
  "  UNIQUE (template_id, version)\n"
  ");\n"
  "CREATE TRIGGER templates_published_immutable BEFORE UPDATE ON templates\n"
  "WHEN OLD.status <> 'draft' AND (NEW.status = 'draft'\n"
  "  OR NEW.template_id IS NOT OLD.template_id OR NEW.version IS NOT OLD.version\n"
  "  OR NEW.name IS NOT OLD.name OR NEW.description IS NOT OLD.description\n"
  "  OR NEW.label_type IS NOT OLD.label_type OR NEW.system_prompt IS NOT OLD.system_prompt\n"
  "  OR NEW.user_prompt_template IS NOT OLD.user_prompt_template\n"
  "  OR NEW.input_schema IS NOT OLD.input_schema OR NEW.output_schema IS NOT OLD.output_schema\n"
  "  OR NEW.base_model IS NOT OLD.base_model OR NEW.temperature IS NOT OLD.temperature\n"
  "  OR NEW.max_tokens IS NOT OLD.max_tokens OR NEW.examples IS NOT OLD.examples)\n"
  "BEGIN SELECT RAISE (ABORT, 'template: a published version is immutable; edit a new draft version instead'); END;\n"

  "CREATE TABLE canonical_labels (\n"
  "  id                  TEXT PRIMARY KEY,\n"
  "  sheet_id            TEXT NOT NULL REFERENCES sheets (id) ON DELETE CASCADE,\n"
  "  item_ref            TEXT NOT NULL CHECK (length (item_ref) > 0),\n"
  "  label_type          TEXT NOT NULL CHECK ((label_type = 'classification' OR label_type = 'entity_extraction' OR label_type = 'qa' OR label_type = 'generation' OR label_type = 'summarization' OR label_type = 'object_detection')),\n"
  "  label_data          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (label_data)),\n"
  "  confidence          TEXT NOT NULL DEFAULT 'high' CHECK ((confidence = 'high' OR confidence = 'medium' OR confidence = 'low')),\n"
  "  notes               TEXT,\n"
  "  allowed_uses        TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("allowed_uses") ",\n"
  "  prohibited_uses     TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("prohibited_uses") ",\n"
  "  usage_reason        TEXT,\n"
  "  data_classification TEXT NOT NULL DEFAULT 'internal' CHECK ((data_classification = 'public' OR data_classification = 'internal' OR data_classification = 'confidential' OR data_classification = 'restricted')),\n"
  "  labeled_by          TEXT,\n"
  "  labeled_at          TEXT,\n"
  "  last_modified_by    TEXT,\n"
  "  last_modified_at    TEXT,\n"
  "  version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),\n"
  "  created_at          TEXT NOT NULL,\n"
  "  UNIQUE (sheet_id, item_ref, label_type)\n"
  ");\n"
  AUDIT_TRIGGER ("canonical_labels", "NEW.last_modified_by", "NEW.last_modified_at")
  "CREATE TABLE canonical_label_history (\n"
  "  id                  TEXT PRIMARY KEY,\n"
  "  canonical_label_id  TEXT NOT NULL REFERENCES canonical_labels (id) ON DELETE CASCADE,\n"
  "  version             INTEGER NOT NULL,\n"
  "  label_data          TEXT NOT NULL,\n"
  "  confidence          TEXT NOT NULL,\n"
  "  notes               TEXT,\n"
  "  allowed_uses        TEXT NOT NULL,\n"
  "  prohibited_uses     TEXT NOT NULL,\n"
  "  usage_reason        TEXT,\n"
  "  data_classification TEXT NOT NULL,\n"
  "  modified_by         TEXT,\n"
  "  modified_at         TEXT,\n"
  "  UNIQUE (canonical_label_id, version)\n"
  ");\n"
  "CREATE TRIGGER canonical_labels_version BEFORE UPDATE ON canonical_labels\n"
  "WHEN NEW.version < OLD.version OR (NEW.version = OLD.version AND (\n"
  "  NEW.label_data IS NOT OLD.label_data OR NEW.confidence IS NOT OLD.confidence\n"
  "  OR NEW.notes IS NOT OLD.notes OR NEW.allowed_uses IS NOT OLD.allowed_uses\n"
  "  OR NEW.prohibited_uses IS NOT OLD.prohibited_uses OR NEW.usage_reason IS NOT OLD.usage_reason\n"
  "  OR NEW.data_classification IS NOT OLD.data_classification\n"
  "  OR NEW.sheet_id IS NOT OLD.sheet_id OR NEW.item_ref IS NOT OLD.item_ref OR NEW.label_type IS NOT OLD.label_type))\n"
  "BEGIN SELECT RAISE (ABORT, 'canonical label: every change must bump its version'); END;\n"
  "CREATE TRIGGER canonical_labels_keep_history AFTER UPDATE OF version ON canonical_labels\n"
  "WHEN NEW.version > OLD.version\n"
  "BEGIN\n"
  "  INSERT INTO canonical_label_history (id, canonical_label_id, version, label_data, confidence, notes,\n"
  "    allowed_uses, prohibited_uses, usage_reason, data_classification, modified_by, modified_at)\n"
  "  VALUES (OLD.id || ':' || OLD.version, OLD.id, OLD.version, OLD.label_data, OLD.confidence, OLD.notes,\n"
  "    OLD.allowed_uses, OLD.prohibited_uses, OLD.usage_reason, OLD.data_classification,\n"
  "    coalesce (OLD.last_modified_by, OLD.labeled_by), coalesce (OLD.last_modified_at, OLD.labeled_at, OLD.created_at));\n"
  "END;\n"

  "CREATE TABLE training_sheets (\n"
  "  id                      TEXT PRIMARY KEY,\n"
  "  name                    TEXT NOT NULL CHECK (length (trim (name)) > 0),\n"
  "  sheet_id                TEXT NOT NULL REFERENCES sheets (id) ON DELETE RESTRICT,\n"
  "  template_id             TEXT REFERENCES templates (id) ON DELETE RESTRICT,\n"
  "  status                  TEXT NOT NULL DEFAULT 'generating' CHECK ((status = 'generating' OR status = 'review' OR status = 'approved' OR status = 'trained')),\n"
  "  labeling_mode           TEXT NOT NULL DEFAULT 'ai_generated' CHECK ((labeling_mode = 'ai_generated' OR labeling_mode = 'manual' OR labeling_mode = 'existing_column')),\n"
  "  generation_config       TEXT NOT NULL DEFAULT '{}' CHECK (generation_config = '{}' OR json_valid (generation_config) AND ltrim (generation_config, char (32, 9, 10, 13)) LIKE '{%'),\n"
  "  generation_started_at   TEXT,\n"
  "  generation_completed_at TEXT,\n"
  "  created_by              TEXT,\n"
  "  created_at              TEXT NOT NULL,\n"
  "  updated_at              TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX training_sheets_sheet ON training_sheets (sheet_id);\n"

  "CREATE TABLE qa_pairs (\n"
  "  id                  TEXT PRIMARY KEY,\n"
  "  training_sheet_id   TEXT NOT NULL REFERENCES training_sheets (id) ON DELETE CASCADE,\n"
  "  item_ref            TEXT NOT NULL,\n"
  "  messages            TEXT NOT NULL DEFAULT '[]' CHECK (messages = '[]' OR json_valid (messages) AND ltrim (messages, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  canonical_label_id  TEXT REFERENCES canonical_labels (id) ON DELETE SET NULL,\n"
  "  status              TEXT NOT NULL DEFAULT 'unlabeled' CHECK ((status = 'unlabeled' OR status = 'labeled' OR status = 'rejected' OR status = 'flagged')),\n"
  "  labeling_mode       TEXT NOT NULL DEFAULT 'ai_generated' CHECK ((labeling_mode = 'ai_generated' OR labeling_mode = 'manual' OR labeling_mode = 'existing_column' OR labeling_mode = 'canonical')),\n"
  "  allowed_uses        TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("allowed_uses") ",\n"
  "  prohibited_uses     TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("prohibited_uses") ",\n"
  "  usage_reason        TEXT,\n"
  "  data_classification TEXT NOT NULL DEFAULT 'internal' CHECK ((data_classification = 'public' OR data_classification = 'internal' OR data_classification = 'confidential' OR data_classification = 'restricted')),\n"
  "  ai_confidence       REAL CHECK (ai_confidence IS NULL OR (ai_confidence >= 0.0 AND ai_confidence <= 1.0)),\n"
  "  quality_score       REAL CHECK (quality_score IS NULL OR (quality_score >= 0.0 AND quality_score <= 1.0)),\n"
  "  reviewed_by         TEXT,\n"
  "  reviewed_at         TEXT,\n"
  "  review_notes        TEXT,\n"
  "  created_at          TEXT NOT NULL,\n"
  "  updated_at          TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX qa_pairs_training_sheet ON qa_pairs (training_sheet_id, status);\n"
  "CREATE INDEX qa_pairs_canonical_label ON qa_pairs (canonical_label_id) WHERE canonical_label_id IS NOT NULL;\n"
  AUDIT_TRIGGER ("qa_pairs", "NEW.reviewed_by", "NEW.updated_at")

  "CREATE TABLE usage_constraint_audit (\n"
  "  id                      TEXT PRIMARY KEY,\n"
  "  target_table            TEXT NOT NULL CHECK ((target_table = 'qa_pairs' OR target_table = 'canonical_labels' OR target_table = 'items')),\n"
  "  target_id               TEXT NOT NULL,\n"
  "  old_allowed_uses        TEXT CHECK (old_allowed_uses IS NULL OR json_valid (old_allowed_uses)),\n"
  "  new_allowed_uses        TEXT CHECK (new_allowed_uses IS NULL OR json_valid (new_allowed_uses)),\n"
  "  old_prohibited_uses     TEXT CHECK (old_prohibited_uses IS NULL OR json_valid (old_prohibited_uses)),\n"
  "  new_prohibited_uses     TEXT CHECK (new_prohibited_uses IS NULL OR json_valid (new_prohibited_uses)),\n"
  "  old_data_classification TEXT CHECK (old_data_classification IS NULL OR (old_data_classification = 'public' OR old_data_classification = 'internal' OR old_data_classification = 'confidential' OR old_data_classification = 'restricted')),\n"
  "  new_data_classification TEXT CHECK (new_data_classification IS NULL OR (new_data_classification = 'public' OR new_data_classification = 'internal' OR new_data_classification = 'confidential' OR new_data_classification = 'restricted')),\n"
  "  reason                  TEXT,\n"
  "  modified_by             TEXT,\n"
  "  modified_at             TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX usage_constraint_audit_target ON usage_constraint_audit (target_table, target_id);\n"

  "CREATE TABLE example_store (\n"
  "  id                  TEXT PRIMARY KEY,\n"
  "  input               TEXT NOT NULL CHECK (json_valid (input)),\n"
  "  expected_output     TEXT NOT NULL CHECK (json_valid (expected_output)),\n"
  "  explanation         TEXT,\n"
  "  search_keys         TEXT NOT NULL DEFAULT '[]' CHECK (search_keys = '[]' OR json_valid (search_keys) AND ltrim (search_keys, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  embedding           BLOB,\n"
  "  embedding_model     TEXT,\n"
  "  function_name       TEXT,\n"
  "  domain              TEXT,\n"
  "  quality_score       REAL CHECK (quality_score IS NULL OR (quality_score >= 0.0 AND quality_score <= 1.0)),\n"
  "  usage_count         INTEGER NOT NULL DEFAULT 0 CHECK (usage_count >= 0),\n"
  "  effectiveness_score REAL,\n"
  "  source_qa_pair_id   TEXT REFERENCES qa_pairs (id) ON DELETE SET NULL,\n"
  "  created_by          TEXT,\n"
  "  created_at          TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE example_usage (\n"
  "  id          TEXT PRIMARY KEY,\n"
  "  example_id  TEXT NOT NULL REFERENCES example_store (id) ON DELETE CASCADE,\n"
  "  context     TEXT,\n"
  "  outcome     TEXT CHECK (outcome IS NULL OR (outcome = 'success' OR outcome = 'failure' OR outcome = 'unknown')),\n"
  "  score       REAL,\n"
  "  used_at     TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX example_usage_example ON example_usage (example_id);\n"

  "CREATE TABLE job_runs (\n"
  "  id                TEXT PRIMARY KEY,\n"
  "  job_type          TEXT NOT NULL CHECK ((job_type = 'import' OR job_type = 'generate' OR job_type = 'export' OR job_type = 'fine_tune' OR job_type = 'dspy' OR job_type = 'sync' OR job_type = 'evaluate')),\n"
  "  training_sheet_id TEXT REFERENCES training_sheets (id) ON DELETE SET NULL,\n"
  "  status            TEXT NOT NULL DEFAULT 'pending' CHECK ((status = 'pending' OR status = 'running' OR status = 'paused' OR status = 'succeeded' OR status = 'failed' OR status = 'cancelled')),\n"
  "  progress          REAL NOT NULL DEFAULT 0.0 CHECK (progress >= 0.0 AND progress <= 1.0),\n"
  "  config            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (config)),\n"
  "  result            TEXT CHECK (result IS NULL OR json_valid (result)),\n"
  "  error             TEXT,\n"
  "  remote_run_id     TEXT,\n"
  "  started_at        TEXT,\n"
  "  completed_at      TEXT\n"
  ");\n"

  "CREATE TABLE exports (\n"
  "  id                 TEXT PRIMARY KEY,\n"
  "  training_sheet_ids TEXT NOT NULL CHECK (json_valid (training_sheet_ids)),\n"
  "  use                TEXT NOT NULL CHECK ((use = 'training' OR use = 'validation' OR use = 'evaluation' OR use = 'few_shot' OR use = 'testing')),\n"
  "  format             TEXT NOT NULL,\n"
  "  qa_pair_ids        TEXT NOT NULL CHECK (json_valid (qa_pair_ids)),\n"
  "  counts             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (counts)),\n"
  "  split_config       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (split_config)),\n"
  "  template_versions  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (template_versions)),\n"
  "  file_hashes        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (file_hashes)),\n"
  "  created_by         TEXT,\n"
  "  created_at         TEXT NOT NULL\n"
  ");\n"

  "CREATE TABLE model_training_lineage (\n"
  "  id                     TEXT PRIMARY KEY,\n"
  "  model_id               TEXT,\n"
  "  model_name             TEXT NOT NULL,\n"
  "  model_version          TEXT,\n"
  "  training_sheet_id      TEXT REFERENCES training_sheets (id) ON DELETE SET NULL,\n"
  "  training_sheet_version TEXT,\n"
  "  qa_pair_ids            TEXT NOT NULL DEFAULT '[]' CHECK (qa_pair_ids = '[]' OR json_valid (qa_pair_ids) AND ltrim (qa_pair_ids, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  train_pair_count       INTEGER NOT NULL DEFAULT 0 CHECK (train_pair_count >= 0),\n"
  "  val_pair_count         INTEGER NOT NULL DEFAULT 0 CHECK (val_pair_count >= 0),\n"
  "  training_config        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (training_config)),\n"
  "  mlflow_run_id          TEXT,\n"
  "  job_run_id             TEXT,\n"
  "  export_id              TEXT REFERENCES exports (id) ON DELETE SET NULL,\n"
  "  trained_at             TEXT,\n"
  "  created_by             TEXT\n"
  ");\n"

  "CREATE TABLE dspy_runs (\n"
  "  id                TEXT PRIMARY KEY,\n"
  "  training_sheet_id TEXT REFERENCES training_sheets (id) ON DELETE SET NULL,\n"
  "  template_id       TEXT REFERENCES templates (id) ON DELETE SET NULL,\n"
  "  optimizer_type    TEXT NOT NULL,\n"
  "  metric_function   TEXT,\n"
  "  status            TEXT NOT NULL DEFAULT 'pending' CHECK ((status = 'pending' OR status = 'running' OR status = 'succeeded' OR status = 'failed' OR status = 'cancelled')),\n"
  "  best_metric_value REAL,\n"
  "  results           TEXT CHECK (results IS NULL OR json_valid (results)),\n"
  "  mlflow_run_id     TEXT,\n"
  "  started_at        TEXT,\n"
  "  completed_at      TEXT\n"
  ");\n"

  "CREATE TABLE endpoints (\n"
  "  id          TEXT PRIMARY KEY,\n"
  "  name        TEXT NOT NULL UNIQUE,\n"
  "  kind        TEXT NOT NULL DEFAULT 'databricks' CHECK ((kind = 'databricks' OR kind = 'openai_compatible')),\n"
  "  url         TEXT,\n"
  "  model_name  TEXT,\n"
  "  model_version TEXT,\n"
  "  state       TEXT,\n"
  "  config      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (config)),\n"
  "  created_at  TEXT NOT NULL,\n"
  "  updated_at  TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE tools (\n"
  "  id            TEXT PRIMARY KEY,\n"
  "  name          TEXT NOT NULL,\n"
  "  version       TEXT NOT NULL DEFAULT '1.0.0',\n"
  "  description   TEXT,\n"
  "  uc_function   TEXT,\n"
  "  parameters    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (parameters)),\n"
  "  created_at    TEXT NOT NULL,\n"
  "  updated_at    TEXT NOT NULL,\n"
  "  UNIQUE (name, version)\n"
  ");\n"
  "CREATE TABLE agents (\n"
  "  id            TEXT PRIMARY KEY,\n"
  "  name          TEXT NOT NULL,\n"
  "  version       TEXT NOT NULL DEFAULT '1.0.0',\n"
  "  status        TEXT NOT NULL DEFAULT 'draft' CHECK ((status = 'draft' OR status = 'deployed' OR status = 'retired')),\n"
  "  base_model    TEXT,\n"
  "  template_id   TEXT REFERENCES templates (id) ON DELETE SET NULL,\n"
  "  tools         TEXT NOT NULL DEFAULT '[]' CHECK (tools = '[]' OR json_valid (tools) AND ltrim (tools, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  guardrails    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (guardrails)),\n"
  "  endpoint_name TEXT,\n"
  "  created_by    TEXT,\n"
  "  created_at    TEXT NOT NULL,\n"
  "  updated_at    TEXT NOT NULL,\n"
  "  UNIQUE (name, version)\n"
  ");\n"

  "CREATE TABLE feedback (\n"
  "  id                TEXT PRIMARY KEY,\n"
  "  model_id          TEXT,\n"
  "  endpoint_name     TEXT,\n"
  "  request_id        TEXT,\n"
  "  trace_id          TEXT,\n"
  "  feedback_type     TEXT NOT NULL CHECK ((feedback_type = 'thumbs' OR feedback_type = 'rating' OR feedback_type = 'correction' OR feedback_type = 'comment')),\n"
  "  feedback_value    TEXT,\n"
  "  correction        TEXT,\n"
  "  training_sheet_id TEXT REFERENCES training_sheets (id) ON DELETE SET NULL,\n"
  "  qa_pair_id        TEXT REFERENCES qa_pairs (id) ON DELETE SET NULL,\n"
  "  created_by        TEXT,\n"
  "  created_at        TEXT NOT NULL\n"
  ");\n"

  "CREATE TABLE sync_outbox (\n"
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  table_name TEXT NOT NULL,\n"
  "  row_id     TEXT NOT NULL,\n"
  "  op         TEXT NOT NULL CHECK ((op = 'upsert' OR op = 'delete')),\n"
  "  queued_at  TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE sync_state (\n"
  "  key   TEXT PRIMARY KEY,\n"
  "  value TEXT\n"
  ");\n";


/* Full-text search over items (see dbw-search.c), sheets that can be deleted with an undo,
 * and item content that never changes once written: an edit is a new version.
 *
 * The index is keyed by the items' rowid, which VACUUM may renumber unless it is a
 * declared INTEGER PRIMARY KEY: items is rebuilt with one, "seq", keeping every rowid.
 * The new table refers to itself under its temporary name, which the rename rewrites;
 * referring to "items" would let dropping the old table clear derived_from. */
static const char migration_2[] =
  "CREATE TABLE items_new (\n"
  "  seq                 INTEGER PRIMARY KEY,\n"
  "  id                  TEXT NOT NULL UNIQUE,\n"
  "  sheet_id            TEXT NOT NULL REFERENCES sheets (id) ON DELETE CASCADE,\n"
  "  item_ref            TEXT NOT NULL CHECK (length (item_ref) > 0),\n"
  "  version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),\n"
  "  derived_from        TEXT REFERENCES items_new (id) ON DELETE SET NULL,\n"
  "  modality            TEXT NOT NULL CHECK ((modality = 'text' OR modality = 'row' OR modality = 'pdf' OR modality = 'image')),\n"
  "  fields              TEXT NOT NULL DEFAULT '{}' CHECK (fields = '{}' OR json_valid (fields) AND ltrim (fields, char (32, 9, 10, 13)) LIKE '{%'),\n"
  "  blob_hash           TEXT REFERENCES blobs (hash),\n"
  "  content_type        TEXT,\n"
  "  text_content        TEXT,\n"
  "  allowed_uses        TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("allowed_uses") ",\n"
  "  prohibited_uses     TEXT NOT NULL DEFAULT '[]' " USES_CHECK ("prohibited_uses") ",\n"
  "  usage_reason        TEXT,\n"
  "  data_classification TEXT NOT NULL DEFAULT 'internal' CHECK ((data_classification = 'public' OR data_classification = 'internal' OR data_classification = 'confidential' OR data_classification = 'restricted')),\n"
  "  tags                TEXT NOT NULL DEFAULT '[]' CHECK (tags = '[]' OR json_valid (tags) AND ltrim (tags, char (32, 9, 10, 13)) LIKE '[%'),\n"
  "  created_at          TEXT NOT NULL,\n"
  "  UNIQUE (sheet_id, item_ref, version)\n"
  ");\n"
  "INSERT INTO items_new (seq, id, sheet_id, item_ref, version, derived_from, modality, fields, blob_hash,\n"
  "  content_type, text_content, allowed_uses, prohibited_uses, usage_reason, data_classification, tags, created_at)\n"
  "SELECT rowid, id, sheet_id, item_ref, version, derived_from, modality, fields, blob_hash,\n"
  "  content_type, text_content, allowed_uses, prohibited_uses, usage_reason, data_classification, tags, created_at\n"
  "FROM items ORDER BY rowid;\n"
  "DROP TABLE items;\n"
  "ALTER TABLE items_new RENAME TO items;\n"
  "CREATE INDEX items_derived_from ON items (derived_from) WHERE derived_from IS NOT NULL;\n"
  "CREATE INDEX items_blob_hash ON items (blob_hash) WHERE blob_hash IS NOT NULL;\n"
  AUDIT_TRIGGER ("items", "NULL", "NULL")

  "CREATE VIRTUAL TABLE items_fts USING fts5 (\n"
  "  body, content = '', tokenize = 'unicode61 remove_diacritics 2'\n"
  ");\n"
  "CREATE TRIGGER items_fts_insert AFTER INSERT ON items WHEN dbw_search_indexed (NEW.rowid) BEGIN\n"
  "  INSERT INTO items_fts (rowid, body) VALUES (NEW.rowid, dbw_search_text (NEW.fields, NEW.text_content));\n"
  "END;\n"
  "CREATE TRIGGER items_fts_delete AFTER DELETE ON items WHEN dbw_search_indexed (OLD.rowid) BEGIN\n"
  "  INSERT INTO items_fts (items_fts, rowid, body)\n"
  "  VALUES ('delete', OLD.rowid, dbw_search_text (OLD.fields, OLD.text_content));\n"
  "END;\n"
  "INSERT INTO items_fts (rowid, body) SELECT rowid, dbw_search_text (fields, text_content) FROM items;\n"
  "CREATE TRIGGER items_content_immutable BEFORE UPDATE OF\n"
  "  sheet_id, item_ref, version, derived_from, modality, fields, blob_hash, content_type, text_content\n"
  "ON items\n"
  "WHEN NEW.sheet_id IS NOT OLD.sheet_id OR NEW.item_ref IS NOT OLD.item_ref\n"
  "  OR NEW.version IS NOT OLD.version OR NEW.modality IS NOT OLD.modality\n"
  "  OR NEW.fields IS NOT OLD.fields OR NEW.blob_hash IS NOT OLD.blob_hash\n"
  "  OR NEW.content_type IS NOT OLD.content_type OR NEW.text_content IS NOT OLD.text_content\n"
  "  OR (NEW.derived_from IS NOT OLD.derived_from AND NEW.derived_from IS NOT NULL)\n"
  "BEGIN\n"
  "  SELECT RAISE (ABORT, 'the content of an item never changes (an edit makes a new version)');\n"
  "END;\n"
  "ALTER TABLE sheets ADD COLUMN deleted_at TEXT;\n";

/* Syncing with a workspace (src/sync/dbw-sync-service.c).
 *
 * While a project is linked (a "target" row in sync_state), every change to a synced table
 * queues its row in sync_outbox, one entry per row: a newer change replaces the older entry,
 * so a row edited ten times is pushed once. Rows written by the sync service itself, which
 * marks its transaction with an "applying" row in sync_state, are not queued, and leave the
 * version and audit triggers alone: their history and audit rows arrive from the workspace.
 *
 * Concurrent edits of one canonical label keep both versions in canonical_label_history: the
 * losing one under an id of its own, flagged for review, so (canonical_label_id, version) is
 * no longer unique there. */
#define NOT_APPLYING "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying')"
#define QUEUE_ROW(table, row, op) \
  "  INSERT OR REPLACE INTO sync_outbox (table_name, row_id, op, queued_at)\n" \
  "  VALUES ('" table "', " row ", '" op "', strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'));\n"
#define OUTBOX_TRIGGERS(table, key) \
  "CREATE TRIGGER " table "_sync_insert AFTER INSERT ON " table "\n" \
  "WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'target') AND " NOT_APPLYING " BEGIN\n" \
  QUEUE_ROW (table, "NEW." key, "upsert") \
  "END;\n" \
  "CREATE TRIGGER " table "_sync_update AFTER UPDATE ON " table "\n" \
  "WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'target') AND " NOT_APPLYING " BEGIN\n" \
  QUEUE_ROW (table, "NEW." key, "upsert") \
  "END;\n" \
  "CREATE TRIGGER " table "_sync_delete AFTER DELETE ON " table "\n" \
  "WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'target') AND " NOT_APPLYING " BEGIN\n" \
  QUEUE_ROW (table, "OLD." key, "delete") \
  "END;\n"
#define AUDIT_TRIGGER_3(table, who, when) \
  "DROP TRIGGER " table "_constraints_audit;\n" \
  "CREATE TRIGGER " table "_constraints_audit AFTER UPDATE OF allowed_uses, prohibited_uses, data_classification ON " table "\n" \
  "WHEN (NEW.allowed_uses IS NOT OLD.allowed_uses OR NEW.prohibited_uses IS NOT OLD.prohibited_uses\n" \
  "  OR NEW.data_classification IS NOT OLD.data_classification) AND " NOT_APPLYING "\n" \
  "BEGIN\n" \
  "  INSERT INTO usage_constraint_audit (id, target_table, target_id, old_allowed_uses, new_allowed_uses,\n" \
  "    old_prohibited_uses, new_prohibited_uses, old_data_classification, new_data_classification,\n" \
  "    reason, modified_by, modified_at)\n" \
  "  VALUES (lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) || '-' ||\n" \
  "                 substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))),\n" \
  "    '" table "', NEW.id, OLD.allowed_uses, NEW.allowed_uses, OLD.prohibited_uses, NEW.prohibited_uses,\n" \
  "    OLD.data_classification, NEW.data_classification, NEW.usage_reason, " who ",\n" \
  "    coalesce (" when ", strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')));\n" \
  "END;\n"

static const char migration_3[] =
  "DROP TRIGGER canonical_labels_keep_history;\n"
  "CREATE TABLE canonical_label_history_new (\n"
  "  id                  TEXT PRIMARY KEY,\n"
  "  canonical_label_id  TEXT NOT NULL REFERENCES canonical_labels (id) ON DELETE CASCADE,\n"
  "  version             INTEGER NOT NULL,\n"
  "  label_data          TEXT NOT NULL,\n"
  "  confidence          TEXT NOT NULL,\n"
  "  notes               TEXT,\n"
  "  allowed_uses        TEXT NOT NULL,\n"
  "  prohibited_uses     TEXT NOT NULL,\n"
  "  usage_reason        TEXT,\n"
  "  data_classification TEXT NOT NULL,\n"
  "  modified_by         TEXT,\n"
  "  modified_at         TEXT,\n"
  "  flagged             INTEGER NOT NULL DEFAULT 0 CHECK ((flagged = 0 OR flagged = 1))\n"
  ");\n"
  "INSERT INTO canonical_label_history_new (id, canonical_label_id, version, label_data, confidence, notes,\n"
  "  allowed_uses, prohibited_uses, usage_reason, data_classification, modified_by, modified_at)\n"
  "SELECT id, canonical_label_id, version, label_data, confidence, notes,\n"
  "  allowed_uses, prohibited_uses, usage_reason, data_classification, modified_by, modified_at\n"
  "FROM canonical_label_history;\n"
  "DROP TABLE canonical_label_history;\n"
  "ALTER TABLE canonical_label_history_new RENAME TO canonical_label_history;\n"
  "CREATE INDEX canonical_label_history_label ON canonical_label_history (canonical_label_id, version);\n"
  "CREATE INDEX canonical_label_history_flagged ON canonical_label_history (canonical_label_id) WHERE flagged = 1;\n"

  "DROP TRIGGER canonical_labels_version;\n"
  "CREATE TRIGGER canonical_labels_version BEFORE UPDATE ON canonical_labels\n"
  "WHEN (NEW.version < OLD.version OR (NEW.version = OLD.version AND (\n"
  "  NEW.label_data IS NOT OLD.label_data OR NEW.confidence IS NOT OLD.confidence\n"
  "  OR NEW.notes IS NOT OLD.notes OR NEW.allowed_uses IS NOT OLD.allowed_uses\n"
  "  OR NEW.prohibited_uses IS NOT OLD.prohibited_uses OR NEW.usage_reason IS NOT OLD.usage_reason\n"
  "  OR NEW.data_classification IS NOT OLD.data_classification\n"
  "  OR NEW.sheet_id IS NOT OLD.sheet_id OR NEW.item_ref IS NOT OLD.item_ref OR NEW.label_type IS NOT OLD.label_type)))\n"
  "  AND " NOT_APPLYING "\n"
  "BEGIN SELECT RAISE (ABORT, 'canonical label: every change must bump its version'); END;\n"
  "CREATE TRIGGER canonical_labels_keep_history AFTER UPDATE OF version ON canonical_labels\n"
  "WHEN NEW.version > OLD.version AND " NOT_APPLYING "\n"
  "BEGIN\n"
  "  INSERT INTO canonical_label_history (id, canonical_label_id, version, label_data, confidence, notes,\n"
  "    allowed_uses, prohibited_uses, usage_reason, data_classification, modified_by, modified_at)\n"
  "  VALUES (OLD.id || ':' || OLD.version, OLD.id, OLD.version, OLD.label_data, OLD.confidence, OLD.notes,\n"
  "    OLD.allowed_uses, OLD.prohibited_uses, OLD.usage_reason, OLD.data_classification,\n"
  "    coalesce (OLD.last_modified_by, OLD.labeled_by), coalesce (OLD.last_modified_at, OLD.labeled_at, OLD.created_at));\n"
  "END;\n"
  AUDIT_TRIGGER_3 ("items", "NULL", "NULL")
  AUDIT_TRIGGER_3 ("canonical_labels", "NEW.last_modified_by", "NEW.last_modified_at")
  AUDIT_TRIGGER_3 ("qa_pairs", "NEW.reviewed_by", "NEW.updated_at")

  "CREATE UNIQUE INDEX sync_outbox_row ON sync_outbox (table_name, row_id);\n"
  OUTBOX_TRIGGERS ("sheets", "id")
  OUTBOX_TRIGGERS ("blobs", "hash")
  OUTBOX_TRIGGERS ("items", "id")
  OUTBOX_TRIGGERS ("templates", "id")
  OUTBOX_TRIGGERS ("canonical_labels", "id")
  OUTBOX_TRIGGERS ("canonical_label_history", "id")
  OUTBOX_TRIGGERS ("training_sheets", "id")
  OUTBOX_TRIGGERS ("qa_pairs", "id")
  OUTBOX_TRIGGERS ("usage_constraint_audit", "id")
  OUTBOX_TRIGGERS ("example_store", "id")
  OUTBOX_TRIGGERS ("example_usage", "id")
  OUTBOX_TRIGGERS ("job_runs", "id")
  OUTBOX_TRIGGERS ("exports", "id")
  OUTBOX_TRIGGERS ("model_training_lineage", "id")
  OUTBOX_TRIGGERS ("dspy_runs", "id")
  OUTBOX_TRIGGERS ("endpoints", "id")
  OUTBOX_TRIGGERS ("tools", "id")
  OUTBOX_TRIGGERS ("agents", "id")
  OUTBOX_TRIGGERS ("feedback", "id")
  ;

/* The review queue reads a training sheet by confidence and finds an item's pairs; pre-annotations
 * imported from other tools wait in label_suggestions until someone accepts or fixes them. They are
 * local working material, so they have no sync triggers. */
static const char migration_4[] =
  "CREATE INDEX qa_pairs_review_queue ON qa_pairs (training_sheet_id, ai_confidence);\n"
  "CREATE INDEX qa_pairs_item ON qa_pairs (training_sheet_id, item_ref);\n"
  "CREATE INDEX canonical_labels_sheet_type ON canonical_labels (sheet_id, label_type);\n"
  "CREATE TABLE label_suggestions (\n"
  "  id          TEXT PRIMARY KEY,\n"
  "  sheet_id    TEXT NOT NULL REFERENCES sheets (id) ON DELETE CASCADE,\n"
  "  item_ref    TEXT NOT NULL CHECK (length (item_ref) > 0),\n"
  "  label_type  TEXT NOT NULL CHECK ((label_type = 'classification' OR label_type = 'entity_extraction' OR label_type = 'qa' OR label_type = 'generation' OR label_type = 'summarization' OR label_type = 'object_detection')),\n"
  "  label_data  TEXT NOT NULL CHECK (json_valid (label_data)),\n"
  "  source      TEXT NOT NULL CHECK (length (source) > 0),\n"
  "  created_at  TEXT NOT NULL,\n"
  "  UNIQUE (sheet_id, item_ref, label_type, source)\n"
  ");\n"
  "CREATE INDEX label_suggestions_item ON label_suggestions (sheet_id, label_type, item_ref);\n"
  /* Generated pairs and exports name published versions; only drafts may go. */
  "CREATE TRIGGER templates_published_kept BEFORE DELETE ON templates\n"
  "WHEN OLD.status <> 'draft' AND " NOT_APPLYING "\n"
  "BEGIN SELECT RAISE (ABORT, 'template: a published or archived version is kept; archive it instead'); END;\n"
  ;

/* A bulk import writes the full-text index in one transaction. FTS5 keeps the terms it has not
 * written yet in memory and, at 1 MiB, writes them out as a small segment, then merges those
 * segments again and again as more arrive: for 100,000 records of prose that doubled the
 * index's cost. At 16 MiB the terms of such an import go out in a few large segments. The
 * memory is held only until the transaction commits. */
static const char migration_5[] =
  "INSERT INTO items_fts (items_fts, rank) VALUES ('hashsize', 16777216);\n";

/* The folder each export was written to on this computer, so fine-tuning an export finds its
 * files. A path here means nothing on another computer and may name its user, so the table
 * has no sync triggers. */
static const char migration_6[] =
  "CREATE TABLE export_folders (\n"
  "  export_id TEXT PRIMARY KEY REFERENCES exports (id) ON DELETE CASCADE,\n"
  "  path      TEXT NOT NULL CHECK (length (path) > 0)\n"
  ");\n";

/* Edits the user has not saved yet — an answer being edited, a label form, a template —
 * kept as they are typed, so that a crash or a kill does not lose them. They belong to the
 * person at this computer, so the table has no sync triggers. */
static const char migration_7[] =
  "CREATE TABLE drafts (\n"
  "  key      TEXT PRIMARY KEY CHECK (length (key) > 0),\n"
  "  value    TEXT NOT NULL CHECK (json_valid (value)),\n"
  "  saved_at TEXT NOT NULL\n"
  ");\n";

/* Which run of which program is generating a job's pairs now, so that the app and the
 * command line, or two windows, never run one job at once (each item would get two pairs).
 * A run renews its lease while it works; one left by a program that stopped expires. The
 * lease belongs to this computer's programs, so the table has no sync triggers. */
static const char migration_8[] =
  "CREATE TABLE job_leases (\n"
  "  job_run_id TEXT PRIMARY KEY REFERENCES job_runs (id) ON DELETE CASCADE,\n"
  "  holder     TEXT NOT NULL CHECK (length (holder) > 0),\n"
  "  renewed_at INTEGER NOT NULL\n"
  ");\n";

/* A pulled item whose source version has not arrived yet is stored without it, and given
 * it when it comes (dbw-sync-journal.c): while the sync service applies rows, an item's
 * derived_from may go from NULL to its source. Its content stays as it was written. */
static const char migration_9[] =
  "DROP TRIGGER items_content_immutable;\n"
  "CREATE TRIGGER items_content_immutable BEFORE UPDATE OF\n"
  "  sheet_id, item_ref, version, derived_from, modality, fields, blob_hash, content_type, text_content\n"
  "ON items\n"
  "WHEN NEW.sheet_id IS NOT OLD.sheet_id OR NEW.item_ref IS NOT OLD.item_ref\n"
  "  OR NEW.version IS NOT OLD.version OR NEW.modality IS NOT OLD.modality\n"
  "  OR NEW.fields IS NOT OLD.fields OR NEW.blob_hash IS NOT OLD.blob_hash\n"
  "  OR NEW.content_type IS NOT OLD.content_type OR NEW.text_content IS NOT OLD.text_content\n"
  "  OR (NEW.derived_from IS NOT OLD.derived_from AND NEW.derived_from IS NOT NULL\n"
  "      AND NOT (OLD.derived_from IS NULL AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying')))\n"
  "BEGIN\n"
  "  SELECT RAISE (ABORT, 'the content of an item never changes (an edit makes a new version)');\n"
  "END;\n"
  /* Where a template reads its items from is one of the fields a user edits: a published
   * version keeps it too. */
  "DROP TRIGGER templates_published_immutable;\n"
  "CREATE TRIGGER templates_published_immutable BEFORE UPDATE ON templates\n"
  "WHEN OLD.status <> 'draft' AND (NEW.status = 'draft'\n"
  "  OR NEW.template_id IS NOT OLD.template_id OR NEW.version IS NOT OLD.version\n"
  "  OR NEW.name IS NOT OLD.name OR NEW.description IS NOT OLD.description\n"
  "  OR NEW.label_type IS NOT OLD.label_type OR NEW.system_prompt IS NOT OLD.system_prompt\n"
  "  OR NEW.user_prompt_template IS NOT OLD.user_prompt_template\n"
  "  OR NEW.input_schema IS NOT OLD.input_schema OR NEW.output_schema IS NOT OLD.output_schema\n"
  "  OR NEW.base_model IS NOT OLD.base_model OR NEW.temperature IS NOT OLD.temperature\n"
  "  OR NEW.max_tokens IS NOT OLD.max_tokens OR NEW.examples IS NOT OLD.examples\n"
  "  OR NEW.source_catalog IS NOT OLD.source_catalog OR NEW.source_schema IS NOT OLD.source_schema\n"
  "  OR NEW.source_table IS NOT OLD.source_table OR NEW.source_volume IS NOT OLD.source_volume)\n"
  "BEGIN SELECT RAISE (ABORT, 'template: a published version is immutable; edit a new draft version instead'); END;\n";

/* Deleting a training sheet deletes its pairs, and each deleted pair clears the rows that
 * refer to it: without these indexes every pair read the whole feedback and Example Store
 * tables (11 s for 100,000 pairs and 1,000 feedback rows). */
static const char migration_10[] =
  "CREATE INDEX feedback_qa_pair ON feedback (qa_pair_id);\n"
  "CREATE INDEX example_store_source_pair ON example_store (source_qa_pair_id);\n";

static const DbwMigration migrations[] = {
  { 1, "Initial project schema", migration_1 },
  { 2, "Full-text search, immutable items, sheet deletion with undo", migration_2 },
  { 3, "Sync outbox, concurrent canonical label versions", migration_3 },
  { 4, "Review queue indexes, label suggestions, published templates kept", migration_4 },
  { 5, "Full-text index written in larger pieces", migration_5 },
  { 6, "Folders of this computer's exports", migration_6 },
  { 7, "Unsaved edits kept as drafts", migration_7 },
  { 8, "Leases of running jobs", migration_8 },
  { 9, "Pulled items get their source version when it arrives; published templates keep their source", migration_9 },
  { 10, "Indexes on the rows that refer to Q&A pairs", migration_10 },
};

const DbwMigration *
_dbw_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}

int
_dbw_schema_get_latest (void)
{
  return migrations[G_N_ELEMENTS (migrations) - 1].version;
}
