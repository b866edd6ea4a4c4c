/* dbw-ai-query.h
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

#include "dbw-sheet.h"
#include "dbw-template.h"

G_BEGIN_DECLS

/* The SQL of a Generate run on the workspace: one statement that asks a serving endpoint,
 * with ai_query(), for every sampled row of a Unity Catalog sheet and keeps the answers in
 * a results table, then pages that table back, then drops it. Pure functions; running
 * them is DbwGenerationRun's business.
 *
 * The prompt becomes concat() of the template's text, passed as bound parameters, and its
 * variables, read as backticked columns of the sheet's primary table. That takes a sheet
 * with a primary table and join keys (a row's keys find its item) and no joined tables or
 * volumes, and a prompt whose variables are plain column names without default(…). The
 * system prompt and the examples go ahead of the prompt in the same text: ai_query sends
 * one message. A row whose prompt would hold an empty (null) column is left out, as the
 * item would fail locally. */

#define DBW_AI_QUERY_ERROR (dbw_ai_query_error_quark ())

typedef enum
{
  DBW_AI_QUERY_ERROR_UNSUPPORTED,  /* the sheet or template cannot run on the workspace; the message says why */
} DbwAiQueryError;

GQuark   dbw_ai_query_error_quark     (void);

/* Why the sheet and template cannot be generated on the workspace, if they cannot. */
gboolean dbw_ai_query_check           (DbwSheet     *sheet,
                                       DbwTemplate  *tmpl,
                                       GError      **error);

/* CREATE TABLE @results_table ("catalog.schema.table") AS SELECT the row keys as
 * _dbw_key_0…, the answer as _dbw_response, a row number _dbw_row and, for rows whose keys
 * other rows share, the row's part of the prompt (what the template makes of the row) as
 * _dbw_shared_input. Parameters are added to
 * @parameters (static names, values owned by the table). */
char    *dbw_ai_query_build_statement (DbwSheet     *sheet,
                                       DbwTemplate  *tmpl,
                                       const char   *endpoint,
                                       const char   *results_table,
                                       GHashTable   *parameters,
                                       GError      **error);
/* Rows after _dbw_row @after, @limit of them, in order. */
char    *dbw_ai_query_build_page      (const char   *results_table,
                                       guint         n_keys,
                                       gint64        after,
                                       guint         limit,
                                       GHashTable   *parameters,
                                       GError      **error);
char    *dbw_ai_query_build_drop      (const char   *results_table,
                                       GError      **error);

G_END_DECLS
