/* dbw-prompt.h
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

#include "dbw-item.h"

G_BEGIN_DECLS

/* The prompt rendering engine. A prompt is text with placeholders:
 *
 *   {{ name }}                      a column of the item
 *   {{ meta.author.name }}          a dotted path into a JSON object field (also into a
 *                                   text field that holds a JSON object); a number picks
 *                                   an element of an array: {{ parts.0 }}
 *   {{ ["Patient name"] }}          a name that is not a plain word, in brackets and quotes
 *   {{ name | default("none") }}    a fallback when the value is missing or null (single
 *                                   quotes work too)
 *   {{ item.text }}                 the item's content (text, or the text extracted from a PDF)
 *   {{ item.ref }} {{ item.image }} {{ item.modality }} {{ item.content_type }}
 *   {{ "{{" }}                      a literal "{{": a quoted text in braces is printed as it is
 *
 * Spaces inside the braces are optional. Text renders as it is; numbers as written (a
 * field's own number keeps every digit; one inside an object or array takes its shortest
 * form), true and false as words, objects and arrays as compact JSON. A lone "}}" is plain
 * text.
 *
 * A missing or null variable without a default is an error naming it and listing the
 * available names: nothing is ever sent with a hole in it. */

#define DBW_PROMPT_ERROR (dbw_prompt_error_quark ())

typedef enum
{
  DBW_PROMPT_ERROR_SYNTAX,            /* unclosed "{{", empty name, unknown filter; message gives line:column */
  DBW_PROMPT_ERROR_MISSING_VARIABLE,  /* message names the variable and lists the available ones */
} DbwPromptError;

GQuark       dbw_prompt_error_quark         (void);

/* A JSON object with the item's fields at the top level and an "item" object with
 * ref, text, image (a "blob:<sha256>" reference or null), modality and content_type. */
JsonObject  *dbw_prompt_context_for_item    (DbwItem            *item);

/* Sorted dotted names a template may use with this context ("item.text", "meta.author", …). */
GStrv        dbw_prompt_context_list_names  (JsonObject         *context);

char        *dbw_prompt_render              (const char         *source,
                                             JsonObject         *context,
                                             GError            **error);

/* Checks the syntax only and returns the variable names used, in order of first use. */
GStrv        dbw_prompt_list_variables      (const char         *source,
                                             GError            **error);

GStrv        dbw_prompt_unmatched_variables (const char         *source,
                                             GPtrArray          *contexts,
                                             GError            **error);

/* Text that is the same for every item, such as a system prompt: no variables, but the
 * quoted literals ({{ "{{" }}) print as they do anywhere. */
char        *dbw_prompt_render_fixed        (const char         *source,
                                             GError            **error);

G_END_DECLS
