/* dbw-generation-job.h
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

#include "dbw-canonical-label.h"
#include "dbw-enums.h"
#include "dbw-item.h"
#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-template.h"

G_BEGIN_DECLS

#define DBW_GENERATION_ERROR (dbw_generation_error_quark ())

typedef enum
{
  DBW_GENERATION_ERROR_INVALID,       /* template not published, column missing, no model client… */
  DBW_GENERATION_ERROR_FINISHED,      /* resuming a run that already succeeded */
  DBW_GENERATION_ERROR_INCOMPLETE,    /* a run ended with items the model did not answer; a resume tries them again */
  DBW_GENERATION_ERROR_BUSY,          /* another run, in this program or another, is generating the job's pairs */
} DbwGenerationError;

/* A run renews its lease on a job this often; a lease not renewed for DBW_GENERATION_LEASE_SECONDS
 * is a stopped program's. */
#define DBW_GENERATION_LEASE_RENEW_SECONDS 15
#define DBW_GENERATION_LEASE_SECONDS 60

GQuark dbw_generation_error_quark (void);

typedef enum
{
  DBW_GENERATION_STATE_READY,
  DBW_GENERATION_STATE_RUNNING,
  DBW_GENERATION_STATE_PAUSED,
  DBW_GENERATION_STATE_SUCCEEDED,
  DBW_GENERATION_STATE_FAILED,
  DBW_GENERATION_STATE_CANCELLED,
} DbwGenerationState;

GType dbw_generation_state_get_type (void) G_GNUC_CONST;
#define DBW_TYPE_GENERATION_STATE (dbw_generation_state_get_type ())

/* The pairs of a training sheet by kind, as the run summary counts them. */
typedef struct
{
  guint n_pairs;     /* every pair, whatever its kind */
  guint n_made;      /* made by the mode, not flagged */
  guint n_reused;    /* from canonical labels */
  guint n_flagged;   /* made, then flagged (output that failed the schema, …) */
} DbwGenerationCounts;

/* How many failures a job remembers the reason of. */
#define DBW_GENERATION_MAX_FAILURES 20

#define DBW_TYPE_GENERATION_JOB (dbw_generation_job_get_type ())

G_DECLARE_FINAL_TYPE (DbwGenerationJob, dbw_generation_job, DBW, GENERATION_JOB, GObject)

DbwGenerationJob  *dbw_generation_job_create            (DbwStore            *store,
                                                         const char          *sheet_id,
                                                         const char          *template_row_id,
                                                         DbwLabelingMode      mode,
                                                         const char          *column,
                                                         const char          *name,
                                                         JsonObject          *options,
                                                         GError             **error);
char              *dbw_generation_job_default_name      (DbwStore            *store,
                                                         DbwSheet            *sheet,
                                                         DbwTemplate         *tmpl);
DbwGenerationJob  *dbw_generation_job_open              (DbwStore            *store,
                                                         const char          *job_run_id,
                                                         GError             **error);
GStrv              dbw_generation_job_list_unfinished   (DbwStore            *store,
                                                         GError             **error);

const char        *dbw_generation_job_get_id            (DbwGenerationJob    *self);
const char        *dbw_generation_job_get_training_sheet_id (DbwGenerationJob *self);
const char        *dbw_generation_job_get_sheet_id      (DbwGenerationJob    *self);
const char        *dbw_generation_job_get_template_row_id (DbwGenerationJob  *self);
DbwLabelingMode    dbw_generation_job_get_mode          (DbwGenerationJob    *self);
const char        *dbw_generation_job_get_column        (DbwGenerationJob    *self);
DbwGenerationState dbw_generation_job_get_state         (DbwGenerationJob    *self);
JsonObject        *dbw_generation_job_get_options       (DbwGenerationJob    *self);
const char        *dbw_generation_job_get_option_string (DbwGenerationJob    *self,
                                                         const char          *name);
gint64             dbw_generation_job_get_option_int    (DbwGenerationJob    *self,
                                                         const char          *name,
                                                         gint64               default_value);
gboolean           dbw_generation_job_get_option_bool   (DbwGenerationJob    *self,
                                                         const char          *name);
/* The result of the last run that saved one (counts, token usage, failures), or NULL. */
JsonObject        *dbw_generation_job_get_result        (DbwGenerationJob    *self);
const char        *dbw_generation_job_get_error_message (DbwGenerationJob    *self);

gboolean           dbw_generation_job_set_option        (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         const char          *name,
                                                         JsonNode            *value,
                                                         GError             **error);

DbwTemplate       *dbw_generation_job_load_template     (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         GError             **error);
gint64             dbw_generation_job_count_items       (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         GError             **error);
gboolean           dbw_generation_job_count_pairs       (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         DbwGenerationCounts *counts,
                                                         GError             **error);
GArray            *dbw_generation_job_list_pending      (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         GError             **error);
GPtrArray         *dbw_generation_job_load_items        (DbwStore            *store,
                                                         const gint64        *rowids,
                                                         guint                n_rowids,
                                                         GError             **error);
DbwCanonicalLabel *dbw_generation_job_find_canonical    (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         const char          *item_ref,
                                                         DbwLabelType         label_type,
                                                         GError             **error);

gboolean           dbw_generation_job_add_pairs         (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         GPtrArray           *pairs,
                                                         double               progress,
                                                         GError             **error);
gboolean           dbw_generation_job_record_model      (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         const char          *model,
                                                         const char          *endpoint_url,
                                                         GError             **error);
gboolean           dbw_generation_job_claim             (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         const char          *holder,
                                                         GError             **error);
gboolean           dbw_generation_job_renew             (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         const char          *holder,
                                                         GError             **error);
void               dbw_generation_job_release           (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         const char          *holder);
gboolean           dbw_generation_job_save_state        (DbwGenerationJob    *self,
                                                         DbwStore            *store,
                                                         DbwGenerationState   state,
                                                         double               progress,
                                                         JsonObject          *result,
                                                         const char          *error_message,
                                                         GError             **error);

G_END_DECLS
