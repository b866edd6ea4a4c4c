/* dbw-template-ops.h
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

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dbw-store.h"
#include "dbw-template.h"

G_BEGIN_DECLS

/* The template lifecycle: draft → published → archived. Rows are versions: a
 * template is every row sharing one template_id. A published or archived version
 * never changes; saving an edit of one creates (or updates) the next draft version.
 * Every function here is one transaction, and emits DbwStore::changed for "templates". */

#define DBW_TEMPLATE_ERROR (dbw_template_error_quark ())

typedef enum
{
  DBW_TEMPLATE_ERROR_INVALID,      /* a field that fails validation; the message names the field */
  DBW_TEMPLATE_ERROR_IMMUTABLE,    /* publishing or archiving something that is not allowed to change */
  DBW_TEMPLATE_ERROR_NOT_FOUND,
} DbwTemplateError;

GQuark       dbw_template_error_quark         (void);

/* Name non-empty, label_type set, user prompt not empty, both prompts parse
 * (dbw_prompt_list_variables), input and output schemas well-formed JSON Schema
 * (dbw_json_schema_check), examples a JSON array, temperature 0–2, max_tokens > 0.
 * The message starts with the field: "Field “output_schema”: …". Publishing checks all
 * of this; create and save accept a draft that is still being written, and check only
 * what the project file needs (name, JSON text, temperature, max_tokens). */
gboolean     dbw_template_ops_validate        (DbwTemplate        *tmpl,
                                               GError            **error);

/* Inserts version 1, status draft, new template_id and id; returns the stored row. */
DbwTemplate *dbw_template_ops_create          (DbwStore           *store,
                                               DbwTemplate        *fields,
                                               GError            **error);

/* @edited carries the id of the version it was edited from. A draft is updated in
 * place; a published or archived version is left untouched and the edit is stored as
 * the next draft version. When that draft exists already, it takes the fields the edit
 * changed and keeps its own other work. An edit that changes nothing writes nothing and
 * returns the version it was made from. Returns the stored row. */
DbwTemplate *dbw_template_ops_save            (DbwStore           *store,
                                               DbwTemplate        *edited,
                                               GError            **error);

gboolean     dbw_template_ops_example_parts   (JsonNode           *example,
                                               JsonNode          **input,
                                               JsonNode          **output);

/* Whether @a and @b have the same editable fields (what a user writes; not the version,
 * status or timestamps). */
gboolean     dbw_template_ops_same_content    (DbwTemplate        *a,
                                               DbwTemplate        *b);

/* Publishing a draft validates it first (DBW_TEMPLATE_ERROR_INVALID naming the field);
 * publishing a published version returns it unchanged; an archived one stays archived
 * (DBW_TEMPLATE_ERROR_IMMUTABLE). */
DbwTemplate *dbw_template_ops_publish         (DbwStore           *store,
                                               const char         *id,
                                               GError            **error);
/* Archives a published version (archiving an archived one returns it unchanged). A draft
 * is not archived (DBW_TEMPLATE_ERROR_INVALID): it was never in use, discard it instead. */
DbwTemplate *dbw_template_ops_archive         (DbwStore           *store,
                                               const char         *id,
                                               GError            **error);
/* Deletes a draft version; published and archived versions are kept for good
 * (DBW_TEMPLATE_ERROR_IMMUTABLE). */
gboolean     dbw_template_ops_discard         (DbwStore           *store,
                                               const char         *id,
                                               GError            **error);

/* A new template (new template_id, version 1, draft) with the fields of @id. */
DbwTemplate *dbw_template_ops_duplicate       (DbwStore           *store,
                                               const char         *id,
                                               const char         *new_name,
                                               GError            **error);

/* Every version of one template, newest first. */
GPtrArray   *dbw_template_ops_list_versions   (DbwStore           *store,
                                               const char         *template_id,
                                               GError            **error);

/* The library: the newest version of each template, sorted by name. @search matches
 * name or description (case-insensitive, may be NULL); @label_type and @status
 * filter when >= 0. With a @status, each template shows its newest version in that
 * status (a template whose v2 is a draft shows v1 under "published"). */
GPtrArray   *dbw_template_ops_list_library    (DbwStore           *store,
                                               const char         *search,
                                               int                 label_type,
                                               int                 status,
                                               GError            **error);

/* Resolves what a user typed: a row id, a template_id (its newest published version),
 * or a name (the newest published version of the template with that name). A name
 * that two templates share is an error asking for the id. */
DbwTemplate *dbw_template_ops_lookup          (DbwStore           *store,
                                               const char         *id_or_name,
                                               GError            **error);
/* Like dbw_template_ops_lookup(), but a template_id or name gives the newest version
 * whatever its status: the one to show, or to publish. */
DbwTemplate *dbw_template_ops_find_newest     (DbwStore           *store,
                                               const char         *id_or_name,
                                               GError            **error);

/* The template's editable fields as JSON, and back; used by `databits templates add --from`.
 * from_json requires name and label_type, takes the schemas and examples as JSON or as
 * JSON text, ignores id, template_id, version, status, created_* and updated_at (so the
 * output of `templates show --json` can be read back) and rejects any other member. */
JsonNode    *dbw_template_ops_to_json         (DbwTemplate        *tmpl);
DbwTemplate *dbw_template_ops_from_json       (JsonNode           *node,
                                               GError            **error);

G_END_DECLS
