/* dbw-cli.h
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

#include "dbw-databricks.h"
#include "dbw-sheet.h"
#include "dbw-store.h"

G_BEGIN_DECLS

/* The exit status of `databits`. */
typedef enum
{
  DBW_CLI_EXIT_OK        = 0,
  DBW_CLI_EXIT_FAILED    = 1,
  DBW_CLI_EXIT_USAGE     = 2,
  DBW_CLI_EXIT_CANCELLED = 130,  /* 128 + SIGINT, as a shell reports it */
} DbwCliExit;

/* A subcommand: `databits NAME …`. @argv[0] is the name. */
typedef struct
{
  const char *name;
  const char *summary;  /* N_() */
  int       (*run) (int    argc,
                    char **argv);
  gboolean    writes;   /* may change the projects it opens */
} DbwCliCommand;

int             dbw_cli_create             (int                  argc,
                                            char               **argv);
int             dbw_cli_export             (int                  argc,
                                            char               **argv);
int             dbw_cli_generate           (int                  argc,
                                            char               **argv);
int             dbw_cli_import             (int                  argc,
                                            char               **argv);
int             dbw_cli_info               (int                  argc,
                                            char               **argv);
int             dbw_cli_labels             (int                  argc,
                                            char               **argv);
int             dbw_cli_lineage            (int                  argc,
                                            char               **argv);
int             dbw_cli_search             (int                  argc,
                                            char               **argv);
int             dbw_cli_sync               (int                  argc,
                                            char               **argv);
int             dbw_cli_templates          (int                  argc,
                                            char               **argv);
int             dbw_cli_uc                 (int                  argc,
                                            char               **argv);

void            dbw_cli_printerr           (const char          *format,
                                            ...) G_GNUC_PRINTF (1, 2);
int             dbw_cli_fail               (const GError        *error);
int             dbw_cli_usage_error        (const char          *command,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (2, 3);

GOptionContext *dbw_cli_context_new        (const char          *command,
                                            const char          *parameter_string,
                                            const char          *summary,
                                            const char          *description,
                                            const GOptionEntry  *entries);
gboolean        dbw_cli_parse              (GOptionContext      *context,
                                            const char          *command,
                                            int                  argc,
                                            char               **argv,
                                            int                 *status);

DbwStore       *dbw_cli_open_project       (const char          *path,
                                            GError             **error);
void            dbw_cli_note_project       (GFile               *file);
void            dbw_cli_tell_app           (void);
DbwDatabricks  *dbw_cli_connect            (const char          *profile,
                                            GError             **error);
DbwSheet       *dbw_cli_find_sheet         (DbwStore            *store,
                                            const char          *name,
                                            GError             **error);
char           *dbw_cli_arg_to_utf8        (const char          *arg);
void            dbw_cli_append_padded      (GString             *out,
                                            const char          *text,
                                            guint                width,
                                            gboolean             right);
void            dbw_cli_append_table       (GString             *out,
                                            GPtrArray           *cells,
                                            guint                n_columns,
                                            const gboolean      *right);
void            dbw_cli_write_json         (const char          *json);

G_END_DECLS
