/* test-template-ops.c
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

#include "config.h"

#include <string.h>

#include "dbw-pair-builder.h"
#include "dbw-template-ops.h"
#include "test-util.h"

typedef struct
{
  char     *dir;
  char     *path;
  DbwStore *store;
  guint     n_changed;
} Fixture;

static void
on_changed_cb (DbwStore      *store,
               const char    *table,
               DbwChangeKind  kind,
               const char    *id,
               Fixture       *f)
{
  f->n_changed++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = test_make_dir ();
  f->path = g_build_filename (f->dir, "templates.dbw", NULL);
  f->store = test_create_store (f->dir, "templates.dbw");
  dbw_store_set_user (f->store, "ada");
  g_signal_connect (f->store, "changed::templates", G_CALLBACK (on_changed_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dbw_store_close (f->store);
  g_clear_object (&f->store);
  test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static DbwTemplate *
make_fields (const char   *name,
             DbwLabelType  label_type)
{
  DbwTemplate *tmpl = dbw_template_new ();

  dbw_template_set_name (tmpl, name);
  dbw_template_set_description (tmpl, "Finds what matters");
  dbw_template_set_label_type (tmpl, label_type);
  dbw_template_set_system_prompt (tmpl, "You are a careful radiation safety officer.");
  dbw_template_set_user_prompt_template (tmpl, "Classify this reading from {{ site }}: {{ item.text }}");
  dbw_template_set_output_schema (tmpl, "{\"type\":\"object\",\"required\":[\"label\"]}");
  dbw_template_set_temperature (tmpl, 0.2);
  dbw_template_set_max_tokens (tmpl, 256);

  return tmpl;
}

static DbwTemplate *
create (Fixture      *f,
        const char   *name,
        DbwLabelType  label_type)
{
  g_autoptr(DbwTemplate) fields = make_fields (name, label_type);
  g_autoptr(GError) error = NULL;
  DbwTemplate *tmpl = dbw_template_ops_create (f->store, fields, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tmpl);
  return tmpl;
}

static DbwTemplate *
publish (Fixture     *f,
         DbwTemplate *tmpl)
{
  g_autoptr(GError) error = NULL;
  DbwTemplate *published = dbw_template_ops_publish (f->store, dbw_record_get_id (DBW_RECORD (tmpl)), &error);

  g_assert_no_error (error);
  g_assert_nonnull (published);
  g_assert_cmpint (dbw_template_get_status (published), ==, DBW_TEMPLATE_STATUS_PUBLISHED);
  return published;
}

/* Every column of a row, read past the store, to show it did not change at all. */
static char *
row_snapshot (Fixture    *f,
              const char *id)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM templates WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    g_string_append_printf (out, "%s=%d:%s\n", sqlite3_column_name (stmt, i), sqlite3_column_type (stmt, i),
                            sqlite3_column_type (stmt, i) == SQLITE_NULL ? "" : (const char *) sqlite3_column_text (stmt, i));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
id_of (gpointer record)
{
  return dbw_record_get_id (DBW_RECORD (record));
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DbwTemplate) fields = make_fields ("Dose classifier", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) tmpl = NULL;
  g_autoptr(DbwTemplate) stored = NULL;
  g_autoptr(DbwTemplate) second = NULL;
  g_autoptr(GError) error = NULL;

  tmpl = dbw_template_ops_create (f->store, fields, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* The fields given are left alone; the stored row is new. */
  g_assert_null (id_of (fields));
  g_assert_nonnull (id_of (tmpl));
  g_assert_nonnull (dbw_template_get_template_id (tmpl));
  g_assert_cmpstr (dbw_template_get_template_id (tmpl), !=, id_of (tmpl));
  g_assert_cmpint (dbw_template_get_version (tmpl), ==, 1);
  g_assert_cmpint (dbw_template_get_status (tmpl), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_cmpstr (dbw_template_get_created_by (tmpl), ==, "ada");

  stored = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (tmpl), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_template_get_name (stored), ==, "Dose classifier");
  g_assert_cmpint (dbw_template_get_label_type (stored), ==, DBW_LABEL_TYPE_CLASSIFICATION);
  g_assert_cmpfloat (dbw_template_get_temperature (stored), ==, 0.2);
  g_assert_cmpint (dbw_template_get_max_tokens (stored), ==, 256);

  /* Each one is a template of its own. */
  second = dbw_template_ops_create (f->store, fields, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_template_get_template_id (second), !=, dbw_template_get_template_id (tmpl));

  /* What the project file cannot hold is refused, naming the field. */
  dbw_template_set_name (fields, "  ");
  g_assert_null (dbw_template_ops_create (f->store, fields, &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Field “name”: a template needs a name");
  g_clear_error (&error);

  dbw_template_set_name (fields, "x");
  dbw_template_set_examples (fields, "{\"not\":\"a list\"}");
  g_assert_null (dbw_template_ops_create (f->store, fields, &error));
  g_assert_cmpstr (error->message, ==, "Field “examples”: must be a JSON array");
  g_clear_error (&error);

  dbw_template_set_examples (fields, "[]");
  dbw_template_set_input_schema (fields, "{oops");
  g_assert_null (dbw_template_ops_create (f->store, fields, &error));
  g_assert_true (g_str_has_prefix (error->message, "Field “input_schema”: not valid JSON: "));
  g_clear_error (&error);

  dbw_template_set_input_schema (fields, "{}");
  dbw_template_set_temperature (fields, 2.5);
  g_assert_null (dbw_template_ops_create (f->store, fields, &error));
  g_assert_cmpstr (error->message, ==, "Field “temperature”: must be between 0 and 2");
  g_clear_error (&error);

  dbw_template_set_temperature (fields, 1);
  dbw_template_set_max_tokens (fields, 0);
  g_assert_null (dbw_template_ops_create (f->store, fields, &error));
  g_assert_cmpstr (error->message, ==, "Field “max_tokens”: must be more than 0");
  g_clear_error (&error);

  /* A draft may still have an unfinished prompt. */
  dbw_template_set_max_tokens (fields, 10);
  dbw_template_set_user_prompt_template (fields, "Half written {{ site");
  g_clear_object (&second);
  second = dbw_template_ops_create (f->store, fields, &error);
  g_assert_no_error (error);

  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_TEMPLATE, NULL, NULL, NULL), ==, 3);
}

static void
test_save_draft (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DbwTemplate) tmpl = create (f, "Draft", DBW_LABEL_TYPE_QA);
  g_autoptr(DbwTemplate) edited = dbw_record_copy (DBW_RECORD (tmpl));
  g_autoptr(DbwTemplate) saved = NULL;
  g_autoptr(DbwTemplate) unchanged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* A draft changes in place. */
  dbw_template_set_user_prompt_template (edited, "Answer: {{ question }}");
  saved = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (saved), ==, id_of (tmpl));
  g_assert_cmpint (dbw_template_get_version (saved), ==, 1);
  g_assert_cmpint (dbw_template_get_status (saved), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (saved), ==, "Answer: {{ question }}");
  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_TEMPLATE, NULL, NULL, NULL), ==, 1);

  /* Saving what is already there writes nothing. */
  before = row_snapshot (f, id_of (tmpl));
  f->n_changed = 0;
  unchanged = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (unchanged), ==, id_of (tmpl));
  after = row_snapshot (f, id_of (tmpl));
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (f->n_changed, ==, 0);

  /* An invalid edit is refused and leaves the row alone. */
  dbw_template_set_name (edited, "");
  g_assert_null (dbw_template_ops_save (f->store, edited, &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&after, g_free);
  after = row_snapshot (f, id_of (tmpl));
  g_assert_cmpstr (before, ==, after);

  /* Only stored versions can be saved. */
  dbw_template_set_name (edited, "x");
  dbw_record_set_id (DBW_RECORD (edited), "no-such-id");
  g_assert_null (dbw_template_ops_save (f->store, edited, &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  dbw_record_set_id (DBW_RECORD (edited), NULL);
  g_assert_null (dbw_template_ops_save (f->store, edited, &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
}

static void
test_published_immutable (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(DbwTemplate) draft = create (f, "Classifier", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) v1 = publish (f, draft);
  g_autoptr(DbwTemplate) edited = dbw_record_copy (DBW_RECORD (v1));
  g_autoptr(DbwTemplate) v2 = NULL;
  g_autoptr(DbwTemplate) v2_again = NULL;
  g_autoptr(DbwTemplate) v2_in_place = NULL;
  g_autoptr(DbwTemplate) direct = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *published_row = row_snapshot (f, id_of (v1));
  g_autofree char *now = NULL;

  g_assert_cmpstr (id_of (v1), ==, id_of (draft));

  /* Saving an edit of the published version makes version 2, a draft. */
  dbw_template_set_user_prompt_template (edited, "Classify {{ site }} carefully: {{ item.text }}");
  v2 = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (v2), !=, id_of (v1));
  g_assert_cmpstr (dbw_template_get_template_id (v2), ==, dbw_template_get_template_id (v1));
  g_assert_cmpint (dbw_template_get_version (v2), ==, 2);
  g_assert_cmpint (dbw_template_get_status (v2), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (v2), ==, "Classify {{ site }} carefully: {{ item.text }}");
  /* The fields not edited come along. */
  g_assert_cmpstr (dbw_template_get_system_prompt (v2), ==, dbw_template_get_system_prompt (v1));
  now = row_snapshot (f, id_of (v1));
  g_assert_cmpstr (now, ==, published_row);

  /* Saving again from the published version updates that same draft. */
  dbw_template_set_description (edited, "Second thoughts");
  v2_again = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (v2_again), ==, id_of (v2));
  g_assert_cmpint (dbw_template_get_version (v2_again), ==, 2);
  g_assert_cmpstr (dbw_template_get_description (v2_again), ==, "Second thoughts");
  g_clear_pointer (&now, g_free);
  now = row_snapshot (f, id_of (v1));
  g_assert_cmpstr (now, ==, published_row);

  /* An edit of the published version that touches other fields leaves the draft's own
   * work alone: only what it changed goes in. */
  {
    g_autoptr(DbwTemplate) from_v1 = dbw_record_copy (DBW_RECORD (v1));
    g_autoptr(DbwTemplate) merged = NULL;

    dbw_template_set_base_model (from_v1, "llama-small");
    merged = dbw_template_ops_save (f->store, from_v1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (id_of (merged), ==, id_of (v2));
    g_assert_cmpstr (dbw_template_get_base_model (merged), ==, "llama-small");
    g_assert_cmpstr (dbw_template_get_user_prompt_template (merged), ==, "Classify {{ site }} carefully: {{ item.text }}");
    g_assert_cmpstr (dbw_template_get_description (merged), ==, "Second thoughts");
    g_clear_object (&v2_again);
    v2_again = g_steal_pointer (&merged);
  }

  /* And from the draft itself, in place. */
  dbw_template_set_name (v2_again, "Classifier (strict)");
  v2_in_place = dbw_template_ops_save (f->store, v2_again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (v2_in_place), ==, id_of (v2));

  versions = dbw_template_ops_list_versions (f->store, dbw_template_get_template_id (v1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (id_of (g_ptr_array_index (versions, 0)), ==, id_of (v2));
  g_assert_cmpstr (id_of (g_ptr_array_index (versions, 1)), ==, id_of (v1));
  g_assert_cmpstr (dbw_template_get_name (g_ptr_array_index (versions, 0)), ==, "Classifier (strict)");

  /* Past the lifecycle, straight through the store: the database refuses. */
  direct = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (v1), &error);
  g_assert_no_error (error);
  dbw_template_set_user_prompt_template (direct, "Sneaky edit");
  g_assert_false (dbw_store_update (f->store, direct, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "immutable"));
  g_clear_error (&error);

  g_clear_object (&direct);
  direct = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (v1), &error);
  dbw_template_set_status (direct, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_false (dbw_store_update (f->store, direct, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_clear_object (&direct);
  direct = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (v1), &error);
  dbw_template_set_temperature (direct, 1.5);
  g_assert_false (dbw_store_update (f->store, direct, &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_clear_pointer (&now, g_free);
  now = row_snapshot (f, id_of (v1));
  g_assert_cmpstr (now, ==, published_row);

  /* Discarding it is refused too, and so is deleting it behind the lifecycle's back. */
  g_assert_false (dbw_template_ops_discard (f->store, id_of (v1), &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_IMMUTABLE);
  g_clear_error (&error);
  g_assert_false (dbw_store_delete (f->store, DBW_TYPE_TEMPLATE, id_of (v1), &error));
  g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "kept"));
  g_clear_error (&error);
  g_clear_pointer (&now, g_free);
  now = row_snapshot (f, id_of (v1));
  g_assert_cmpstr (now, ==, published_row);
}

static void
test_publish (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DbwTemplate) tmpl = create (f, "To publish", DBW_LABEL_TYPE_GENERATION);
  g_autoptr(DbwTemplate) edited = dbw_record_copy (DBW_RECORD (tmpl));
  g_autoptr(DbwTemplate) saved = NULL;
  g_autoptr(DbwTemplate) published = NULL;
  g_autoptr(DbwTemplate) again = NULL;
  g_autoptr(DbwTemplate) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  g_autofree char *row_after = NULL;
  struct {
    const char *field;
    const char *value;
    const char *message_start;
  } invalid[] = {
    { "user_prompt_template", "Hello {{ site", "Field “user_prompt_template”: Line 1, column 7: “{{” is never closed" },
    { "user_prompt_template", "  \n ", "Field “user_prompt_template”: the user prompt is empty" },
    { "system_prompt", "{{ a | upper }}", "Field “system_prompt”: Line 1, column 8: unknown filter “upper”" },
    { "system_prompt", "You review readings from {{ site }}.",
      "Field “system_prompt”: “{{ site }}” cannot be used here: this text is the same for every item" },
    { "output_schema", "{\"type\":\"text\"}", "Field “output_schema”: Schema $: “type” must be one of" },
    { "input_schema", "{\"properties\":{\"a\":{\"minimum\":\"0\"}}}",
      "Field “input_schema”: Schema $.properties.a: “minimum” must be a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(DbwTemplate) bad = dbw_record_copy (DBW_RECORD (tmpl));
      g_autoptr(DbwTemplate) bad_saved = NULL;

      g_object_set (bad, invalid[i].field, invalid[i].value, NULL);
      g_assert_no_error (error);
      bad_saved = dbw_template_ops_save (f->store, bad, &error);
      g_assert_no_error (error);

      g_assert_null (dbw_template_ops_publish (f->store, id_of (tmpl), &error));
      g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, invalid[i].message_start));
      g_clear_error (&error);

      g_clear_object (&stored);
      stored = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (tmpl), NULL);
      g_assert_cmpint (dbw_template_get_status (stored), ==, DBW_TEMPLATE_STATUS_DRAFT);
    }

  /* Fixed, it publishes. */
  saved = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);
  f->n_changed = 0;
  published = dbw_template_ops_publish (f->store, id_of (tmpl), &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_template_get_status (published), ==, DBW_TEMPLATE_STATUS_PUBLISHED);
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* Publishing it again changes nothing. */
  row = row_snapshot (f, id_of (tmpl));
  again = dbw_template_ops_publish (f->store, id_of (tmpl), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (again), ==, id_of (tmpl));
  g_assert_cmpint (dbw_template_get_status (again), ==, DBW_TEMPLATE_STATUS_PUBLISHED);
  row_after = row_snapshot (f, id_of (tmpl));
  g_assert_cmpstr (row, ==, row_after);

  g_assert_null (dbw_template_ops_publish (f->store, "no-such-id", &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
}

static void
test_archive (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DbwTemplate) draft = create (f, "Old one", DBW_LABEL_TYPE_SUMMARIZATION);
  g_autoptr(DbwTemplate) published = NULL;
  g_autoptr(DbwTemplate) archived = NULL;
  g_autoptr(DbwTemplate) again = NULL;
  g_autoptr(DbwTemplate) edited = NULL;
  g_autoptr(DbwTemplate) next = NULL;
  g_autoptr(DbwTemplate) other = create (f, "Never published", DBW_LABEL_TYPE_QA);
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  g_autofree char *row_after = NULL;

  /* A draft is not archived: it was never in use. */
  g_assert_null (dbw_template_ops_archive (f->store, id_of (draft), &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Field “status”: version 1 of “Old one” is a draft"));
  g_clear_error (&error);

  published = publish (f, draft);
  archived = dbw_template_ops_archive (f->store, id_of (published), &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_template_get_status (archived), ==, DBW_TEMPLATE_STATUS_ARCHIVED);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (archived), ==,
                   dbw_template_get_user_prompt_template (published));

  /* Archiving again changes nothing; publishing again is refused. */
  row = row_snapshot (f, id_of (draft));
  again = dbw_template_ops_archive (f->store, id_of (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_template_get_status (again), ==, DBW_TEMPLATE_STATUS_ARCHIVED);
  g_assert_null (dbw_template_ops_publish (f->store, id_of (draft), &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_IMMUTABLE);
  g_clear_error (&error);
  row_after = row_snapshot (f, id_of (draft));
  g_assert_cmpstr (row, ==, row_after);

  /* An edit of an archived version is the next draft. */
  edited = dbw_record_copy (DBW_RECORD (archived));
  dbw_template_set_name (edited, "Old one, revived");
  next = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dbw_template_get_version (next), ==, 2);
  g_assert_cmpint (dbw_template_get_status (next), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_clear_pointer (&row_after, g_free);
  row_after = row_snapshot (f, id_of (draft));
  g_assert_cmpstr (row, ==, row_after);

  /* A draft can be discarded instead. */
  g_assert_true (dbw_template_ops_discard (f->store, id_of (other), &error));
  g_assert_no_error (error);
  g_assert_null (dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (other), NULL));
  g_assert_false (dbw_template_ops_discard (f->store, id_of (other), &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DbwTemplate) draft = create (f, "Original", DBW_LABEL_TYPE_ENTITY_EXTRACTION);
  g_autoptr(DbwTemplate) published = publish (f, draft);
  g_autoptr(DbwTemplate) copy = NULL;
  g_autoptr(DbwTemplate) named = NULL;
  g_autoptr(GError) error = NULL;

  copy = dbw_template_ops_duplicate (f->store, id_of (published), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_template_get_name (copy), ==, "Original (copy)");
  g_assert_cmpstr (dbw_template_get_template_id (copy), !=, dbw_template_get_template_id (published));
  g_assert_cmpint (dbw_template_get_version (copy), ==, 1);
  g_assert_cmpint (dbw_template_get_status (copy), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_cmpint (dbw_template_get_label_type (copy), ==, DBW_LABEL_TYPE_ENTITY_EXTRACTION);
  g_assert_cmpstr (dbw_template_get_user_prompt_template (copy), ==, dbw_template_get_user_prompt_template (published));
  g_assert_cmpstr (dbw_template_get_output_schema (copy), ==, dbw_template_get_output_schema (published));

  named = dbw_template_ops_duplicate (f->store, id_of (published), "Variation", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_template_get_name (named), ==, "Variation");

  g_assert_null (dbw_template_ops_duplicate (f->store, id_of (published), " ", &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dbw_template_ops_duplicate (f->store, "missing", NULL, &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);

  g_assert_cmpint (dbw_store_count (f->store, DBW_TYPE_TEMPLATE, NULL, NULL, NULL), ==, 3);
}

static void
assert_library (Fixture            *f,
                const char         *search,
                int                 label_type,
                int                 status,
                const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) library = dbw_template_ops_list_library (f->store, search, label_type, status, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < library->len; i++)
    {
      DbwTemplate *tmpl = g_ptr_array_index (library, i);

      g_ptr_array_add (names, g_strdup_printf ("%s v%" G_GINT64_FORMAT, dbw_template_get_name (tmpl),
                                               dbw_template_get_version (tmpl)));
    }
  g_ptr_array_add (names, NULL);

  g_assert_cmpstrv ((char **) names->pdata, expected);
}

static void
test_library (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DbwTemplate) alpha = create (f, "alpha", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) alpha_pub = publish (f, alpha);
  g_autoptr(DbwTemplate) alpha_edit = dbw_record_copy (DBW_RECORD (alpha_pub));
  g_autoptr(DbwTemplate) alpha_v2 = NULL;
  g_autoptr(DbwTemplate) beta = create (f, "Beta", DBW_LABEL_TYPE_QA);
  g_autoptr(DbwTemplate) zulu = create (f, "Zulu", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) zulu_pub = publish (f, zulu);
  g_autoptr(DbwTemplate) zulu_archived = dbw_template_ops_archive (f->store, id_of (zulu_pub), NULL);
  g_autoptr(DbwTemplate) eclair = create (f, "Éclair", DBW_LABEL_TYPE_SUMMARIZATION);
  g_autoptr(DbwTemplate) eclair_edit = dbw_record_copy (DBW_RECORD (eclair));
  g_autoptr(DbwTemplate) eclair_saved = NULL;
  g_autoptr(GError) error = NULL;

  dbw_template_set_name (alpha_edit, "Alpha two");
  alpha_v2 = dbw_template_ops_save (f->store, alpha_edit, &error);
  g_assert_no_error (error);
  dbw_template_set_description (eclair_edit, "Summaries of INCIDENT reports");
  eclair_saved = dbw_template_ops_save (f->store, eclair_edit, &error);
  g_assert_no_error (error);

  /* The newest version of each, by name whatever the case. */
  assert_library (f, NULL, -1, -1, (const char *[]) { "Alpha two v2", "Beta v1", "Éclair v1", "Zulu v1", NULL });
  /* Published: alpha's draft v2 does not hide its published v1. */
  assert_library (f, NULL, -1, DBW_TEMPLATE_STATUS_PUBLISHED, (const char *[]) { "alpha v1", NULL });
  assert_library (f, NULL, -1, DBW_TEMPLATE_STATUS_DRAFT,
                  (const char *[]) { "Alpha two v2", "Beta v1", "Éclair v1", NULL });
  assert_library (f, NULL, -1, DBW_TEMPLATE_STATUS_ARCHIVED, (const char *[]) { "Zulu v1", NULL });
  assert_library (f, NULL, DBW_LABEL_TYPE_CLASSIFICATION, -1, (const char *[]) { "Alpha two v2", "Zulu v1", NULL });
  assert_library (f, NULL, DBW_LABEL_TYPE_CLASSIFICATION, DBW_TEMPLATE_STATUS_PUBLISHED,
                  (const char *[]) { "alpha v1", NULL });
  assert_library (f, NULL, DBW_LABEL_TYPE_OBJECT_DETECTION, -1, (const char *[]) { NULL });
  /* Search: name or description, any case. */
  assert_library (f, "ALPHA", -1, -1, (const char *[]) { "Alpha two v2", NULL });
  assert_library (f, "incident", -1, -1, (const char *[]) { "Éclair v1", NULL });
  assert_library (f, "éclair", -1, -1, (const char *[]) { "Éclair v1", NULL });
  assert_library (f, "finds what", -1, -1, (const char *[]) { "Alpha two v2", "Beta v1", "Zulu v1", NULL });
  assert_library (f, "  ", -1, -1, (const char *[]) { "Alpha two v2", "Beta v1", "Éclair v1", "Zulu v1", NULL });
  assert_library (f, "nothing like it", -1, -1, (const char *[]) { NULL });
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DbwTemplate) draft = create (f, "Classifier", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) v1 = publish (f, draft);
  g_autoptr(DbwTemplate) edited = dbw_record_copy (DBW_RECORD (v1));
  g_autoptr(DbwTemplate) v2 = NULL;
  g_autoptr(DbwTemplate) only_draft = create (f, "Sketch", DBW_LABEL_TYPE_QA);
  g_autoptr(DbwTemplate) found = NULL;
  g_autoptr(DbwTemplate) twin_a = create (f, "Twin", DBW_LABEL_TYPE_QA);
  g_autoptr(DbwTemplate) twin_b = create (f, "Twin", DBW_LABEL_TYPE_QA);
  g_autoptr(DbwTemplate) twin_a_pub = publish (f, twin_a);
  g_autoptr(DbwTemplate) twin_b_pub = publish (f, twin_b);
  g_autoptr(GError) error = NULL;

  dbw_template_set_description (edited, "newer");
  v2 = dbw_template_ops_save (f->store, edited, &error);
  g_assert_no_error (error);

  /* A row id: that row, whatever its status. */
  found = dbw_template_ops_lookup (f->store, id_of (v2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (found), ==, id_of (v2));
  g_clear_object (&found);

  /* A template_id or a name: the newest published version. */
  found = dbw_template_ops_lookup (f->store, dbw_template_get_template_id (v1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (found), ==, id_of (v1));
  g_clear_object (&found);
  found = dbw_template_ops_lookup (f->store, "Classifier", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (found), ==, id_of (v1));
  g_clear_object (&found);

  /* …or the newest of any status. */
  found = dbw_template_ops_find_newest (f->store, "Classifier", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (found), ==, id_of (v2));
  g_clear_object (&found);
  found = dbw_template_ops_find_newest (f->store, "Sketch", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_of (found), ==, id_of (only_draft));
  g_clear_object (&found);

  g_assert_null (dbw_template_ops_lookup (f->store, "Sketch", &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The template “Sketch” has no published version yet");
  g_clear_error (&error);

  g_assert_null (dbw_template_ops_lookup (f->store, "Nope", &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "There is no template with the name or id “Nope”");
  g_clear_error (&error);

  /* Two templates with one name: ask for the id. */
  g_assert_null (dbw_template_ops_lookup (f->store, "Twin", &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Several templates are called “Twin”"));
  g_assert_nonnull (strstr (error->message, id_of (twin_a_pub)));
  g_assert_nonnull (strstr (error->message, id_of (twin_b_pub)));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DbwTemplate) tmpl = make_fields ("From JSON", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  struct {
    const char *json;
    const char *message;
  } bad[] = {
    { "[]", "A template must be a JSON object of its fields" },
    { "{\"label_type\":\"qa\"}", "Field “name”: is required" },
    { "{\"name\":\"x\"}", "Field “label_type”: is required" },
    { "{\"name\":\"x\",\"label_type\":\"poetry\"}", "Field “label_type”: “poetry” is not one of classification, "
      "entity_extraction, qa, generation, summarization, object_detection" },
    { "{\"name\":\"x\",\"label_type\":\"qa\",\"temperature\":\"warm\"}",
      "Field “temperature” has the wrong type: expected number" },
    { "{\"name\":\"x\",\"label_type\":\"qa\",\"nmae\":\"typo\"}", "Unknown field “nmae”; a template has name, "
      "description, label_type, system_prompt, user_prompt_template, input_schema, output_schema, base_model, "
      "temperature, max_tokens, examples, source_catalog, source_schema, source_table, source_volume" },
    { "{\"name\":\"x\",\"label_type\":\"qa\",\"output_schema\":\"{nope\"}", "Field “output_schema”: not valid JSON: " },
    { "{\"name\":\"x\",\"label_type\":\"qa\",\"examples\":null}", "Field “examples”: must be JSON, not null" },
  };

  dbw_template_set_examples (tmpl, "[{\"input\":{\"site\":\"A\"},\"output\":{\"label\":\"ok\"}}]");
  dbw_template_set_base_model (tmpl, "databricks-meta-llama-3-1-70b-instruct");
  node = dbw_template_ops_to_json (tmpl);
  object = json_node_get_object (node);

  /* Editable fields only; schemas and examples as JSON. */
  g_assert_false (json_object_has_member (object, "id"));
  g_assert_false (json_object_has_member (object, "status"));
  g_assert_cmpstr (json_object_get_string_member (object, "label_type"), ==, "classification");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "output_schema")));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "examples")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "source_table")));

  back = dbw_template_ops_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dbw_template_get_name (back), ==, "From JSON");
  g_assert_cmpint (dbw_template_get_label_type (back), ==, DBW_LABEL_TYPE_CLASSIFICATION);
  g_assert_cmpstr (dbw_template_get_output_schema (back), ==, dbw_template_get_output_schema (tmpl));
  g_assert_cmpstr (dbw_template_get_examples (back), ==, dbw_template_get_examples (tmpl));
  g_assert_cmpfloat (dbw_template_get_temperature (back), ==, 0.2);
  g_assert_cmpint (dbw_template_get_max_tokens (back), ==, 256);
  g_assert_cmpstr (dbw_template_get_base_model (back), ==, "databricks-meta-llama-3-1-70b-instruct");
  g_clear_object (&back);

  /* The whole record, as `show --json` prints it, reads back; schemas may be JSON text. */
  input = json_from_string ("{\"id\":\"x\",\"template_id\":\"y\",\"version\":4,\"status\":\"published\","
                            "\"created_at\":\"2026-01-01T00:00:00Z\",\"name\":\"Row\",\"label_type\":\"qa\","
                            "\"input_schema\":\"{\\\"type\\\":\\\"object\\\"}\",\"temperature\":1}", &error);
  g_assert_no_error (error);
  back = dbw_template_ops_from_json (input, &error);
  g_assert_no_error (error);
  g_assert_null (id_of (back));
  g_assert_null (dbw_template_get_template_id (back));
  g_assert_cmpint (dbw_template_get_status (back), ==, DBW_TEMPLATE_STATUS_DRAFT);
  g_assert_cmpstr (dbw_template_get_input_schema (back), ==, "{\"type\":\"object\"}");
  g_assert_cmpfloat (dbw_template_get_temperature (back), ==, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) bad_node = json_from_string (bad[i].json, NULL);

      g_assert_null (dbw_template_ops_from_json (bad_node, &error));
      g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, bad[i].message));
      g_clear_error (&error);
    }

  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"user_prompt_template\":"));
}


/* A version is published only if Generate can use it: a published version never changes,
 * so one whose few-shot examples the pair builder refuses is a dead end. */
static void
test_publish_checks_examples (Fixture       *f,
                              gconstpointer  data)
{
  const char *examples[] = {
    "[{\"input\": {\"site\": \"Hot lab\"}}]",                               /* no output */
    "[1, 2]",                                                              /* not objects */
    "[{\"input\": {\"place\": \"Hot lab\"}, \"output\": \"ok\"}]",           /* prompt cannot render it */
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(DbwTemplate) fields = make_fields ("With examples", DBW_LABEL_TYPE_CLASSIFICATION);
      g_autoptr(DbwTemplate) draft = NULL;
      g_autoptr(DbwTemplate) published = NULL;
      g_autoptr(DbwPairBuilder) builder = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) builder_error = NULL;

      dbw_template_set_user_prompt_template (fields, "Classify the reading from {{ site }}");
      dbw_template_set_examples (fields, examples[i]);
      draft = dbw_template_ops_create (f->store, fields, &error);
      g_assert_no_error (error);

      builder = dbw_pair_builder_new (draft, DBW_LABELING_MODE_AI_GENERATED, NULL, &builder_error);
      g_assert_null (builder);
      g_test_message ("Generate says: %s", builder_error->message);

      published = dbw_template_ops_publish (f->store, dbw_record_get_id (DBW_RECORD (draft)), &error);
      g_assert_null (published);
      g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "Field “examples”: "));
    }
}


/* The database holds the line for every writer, for every field a user edits. */
static void
test_published_immutable_in_database (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(DbwTemplate) draft = create (f, "Located", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(DbwTemplate) v1 = publish (f, draft);
  const char *fields[] = { "source_catalog", "source_schema", "source_table", "source_volume" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(DbwTemplate) direct = dbw_store_get (f->store, DBW_TYPE_TEMPLATE, id_of (v1), NULL);
      g_autoptr(GError) error = NULL;

      g_object_set (direct, fields[i], "changed_after_publishing", NULL);
      g_assert_false (dbw_store_update (f->store, direct, &error));
      g_assert_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_CONSTRAINT);
    }
}


/* A JSON mistake is told as the editor tells it: line and column, no parser internals. */
static void
test_json_error_position (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(DbwTemplate) fields = make_fields ("Schema typo", DBW_LABEL_TYPE_CLASSIFICATION);
  g_autoptr(GError) error = NULL;

  dbw_template_set_output_schema (fields, "{\n  \"type\": \"object\",\n  \"required\": [\"label\"\n}");
  g_assert_null (dbw_template_ops_create (f->store, fields, &error));
  g_assert_error (error, DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Field “output_schema”: not valid JSON: Line 3, column 22: "));
  g_assert_null (strstr (error->message, "<data>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/template-ops/create", test_create);
  ADD ("/template-ops/save-draft", test_save_draft);
  ADD ("/template-ops/published-immutable", test_published_immutable);
  ADD ("/template-ops/publish", test_publish);
  ADD ("/template-ops/archive", test_archive);
  ADD ("/template-ops/duplicate", test_duplicate);
  ADD ("/template-ops/library", test_library);
  ADD ("/template-ops/lookup", test_lookup);
  ADD ("/template-ops/json", test_json);
  ADD ("/template-ops/publish-checks-examples", test_publish_checks_examples);
  ADD ("/template-ops/published-immutable-in-database", test_published_immutable_in_database);
  ADD ("/template-ops/json-error-position", test_json_error_position);
#undef ADD

  return g_test_run ();
}
