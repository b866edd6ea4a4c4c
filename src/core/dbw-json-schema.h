/* dbw-json-schema.h
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

G_BEGIN_DECLS

/* The JSON Schema subset templates use for their input and output: type (string,
 * number, integer, boolean, object, array, null, or a list of them), properties,
 * required, additionalProperties (boolean), items, enum, const, minimum, maximum,
 * minLength, maxLength, minItems, maxItems, pattern, anyOf. An empty schema {}
 * accepts everything. Unknown keywords are ignored, as the standard says. */

#define DBW_JSON_SCHEMA_ERROR (dbw_json_schema_error_quark ())

typedef enum
{
  DBW_JSON_SCHEMA_ERROR_INVALID_SCHEMA,  /* the schema itself is malformed; message gives its path */
  DBW_JSON_SCHEMA_ERROR_NOT_JSON,        /* the instance text does not parse */
  DBW_JSON_SCHEMA_ERROR_MISMATCH,        /* message gives the instance path ("$.parts[2].x") and the rule */
} DbwJsonSchemaError;

GQuark   dbw_json_schema_error_quark (void);

gboolean dbw_json_schema_check       (JsonNode    *schema,
                                      GError     **error);
gboolean dbw_json_schema_validate    (JsonNode    *schema,
                                      JsonNode    *instance,
                                      GError     **error);

/* Parses @text (tolerating a ```json fence around it, as models often add) and validates it. */
gboolean dbw_json_schema_validate_text (JsonNode   *schema,
                                        const char *text,
                                        GError    **error);

G_END_DECLS
