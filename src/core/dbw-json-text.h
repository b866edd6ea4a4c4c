/* dbw-json-text.h
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

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON written compactly ({"a":[1,2.5]}) with numbers as they were written: 120.1, not
 * json_to_string()'s 120.09999999999999; 2.0 stays 2.0. Members keep their order. */
void  dbw_json_append_compact (GString  *out,
                               JsonNode *node);
char *dbw_json_to_compact     (JsonNode *node);
/* The same, indented by two spaces per level, for people to read. */
char *dbw_json_to_pretty      (JsonNode *node);

/* json-glib's parse error ("<data>:3:22: Parse error: unexpected …") as people read it:
 * "Line 3, column 22: unexpected …". */
char *dbw_json_describe_error (const GError *error);

/* The shortest text that reads back as @value. */
void  dbw_json_append_double  (GString  *out,
                               double    value);
void  dbw_json_append_string  (GString    *out,
                               const char *text);
gboolean dbw_json_is_number   (const char *text);

/* The same text for every text of the same value: members sorted, no spacing, one way of
 * escaping; numbers as written. NULL if @text is not JSON. */
char *dbw_json_to_canonical   (const char *text,
                               gssize      length);

typedef enum
{
  DBW_JSON_STRING,
  DBW_JSON_NUMBER,
  DBW_JSON_BOOLEAN,
  DBW_JSON_NULL,
  DBW_JSON_OBJECT,
  DBW_JSON_ARRAY,
} DbwJsonKind;

typedef struct
{
  char        *name;
  char        *text; /* a string's characters; else the value as written, compact */
  DbwJsonKind  kind;
} DbwJsonMember;

/* The members of an object, in order, values as text with numbers as written (json-glib
 * reads 0.100 as 0.1 and an integer past 64 bits as -1); NULL if @text is not one. */
GArray *dbw_json_object_members (const char *text,
                                 gssize      length);
/* The member called @name, the last of them when there are several, as JSON reads them;
 * NULL when there is none. */
const DbwJsonMember *dbw_json_members_find (GArray     *members,
                                            const char *name);

G_END_DECLS
