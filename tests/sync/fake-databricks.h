/* fake-databricks.h — a Databricks workspace on 127.0.0.1 for the sync tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _FakeDatabricks FakeDatabricks;

/* What the fake does to a request instead of (or before) answering it. */
typedef enum
{
  FAKE_FAULT_RATE_LIMIT,   /* 429; value = Retry-After seconds, or -1 for none */
  FAKE_FAULT_UNAVAILABLE,  /* 503; value = Retry-After seconds, or -1 for none */
  FAKE_FAULT_DELAY,        /* wait value ms, then answer normally */
  FAKE_FAULT_TRUNCATE,     /* announce the full length, send half the body, close */
  FAKE_FAULT_DROP,         /* close the connection without answering */
  FAKE_FAULT_STALL,        /* send half the body, then nothing for value ms, then close */
  FAKE_FAULT_SERVER_ERROR, /* 500 */
} FakeFault;

#define FAKE_FAULT_FOREVER G_MAXUINT

/* One request as the fake saw it. */
typedef struct
{
  char *method;
  char *path;
  char *query;
  GHashTable *headers;   /* lower-case name → value */
  GBytes *body;
} FakeRequest;

FakeDatabricks *fake_databricks_new            (void);
void            fake_databricks_free           (FakeDatabricks *self);
const char     *fake_databricks_get_url        (FakeDatabricks *self);
void            fake_databricks_set_token      (FakeDatabricks *self,
                                                const char     *token);
void            fake_databricks_add_fault      (FakeDatabricks *self,
                                                const char     *path_prefix,
                                                FakeFault       fault,
                                                guint           count,
                                                int             value);
void            fake_databricks_add_body_fault (FakeDatabricks *self,
                                                const char     *needle,
                                                FakeFault       fault,
                                                guint           count,
                                                int             value);
void            fake_databricks_clear_faults   (FakeDatabricks *self);
GPtrArray      *fake_databricks_get_requests   (FakeDatabricks *self);
guint           fake_databricks_count_requests (FakeDatabricks *self,
                                                const char     *method,
                                                const char     *path);
void            fake_databricks_clear_requests (FakeDatabricks *self);
guint           fake_databricks_count_bodies_containing (FakeDatabricks *self,
                                                         const char     *needle);

/* The workspace's contents and behaviour; see fake-databricks.c for the defaults. */
void            fake_databricks_set_oauth_client      (FakeDatabricks *self,
                                                       const char     *client_id,
                                                       const char     *client_secret,
                                                       guint           expires_in);
guint           fake_databricks_get_n_tokens_issued   (FakeDatabricks *self);
void            fake_databricks_revoke_tokens         (FakeDatabricks *self);
void            fake_databricks_set_user_name         (FakeDatabricks *self,
                                                       const char     *user_name);
void            fake_databricks_set_warehouse         (FakeDatabricks *self,
                                                       const char     *id,
                                                       const char     *name,
                                                       const char     *state);
void            fake_databricks_set_page_size         (FakeDatabricks *self,
                                                       guint           page_size);
void            fake_databricks_set_inline_limit      (FakeDatabricks *self,
                                                       gint64          bytes);
guint           fake_databricks_get_n_external_fetches (FakeDatabricks *self);
void            fake_databricks_set_chunk_size        (FakeDatabricks *self,
                                                       guint           rows);
void            fake_databricks_set_slow_polls        (FakeDatabricks *self,
                                                       guint           polls);
char           *fake_databricks_get_local_path        (FakeDatabricks *self,
                                                       const char     *volume_path);
void            fake_databricks_set_tag               (FakeDatabricks *self,
                                                       const char     *entity_type,
                                                       const char     *entity_name,
                                                       const char     *key,
                                                       const char     *value);
void            fake_databricks_set_serving_endpoint  (FakeDatabricks *self,
                                                       const char     *name,
                                                       const char     *ready,
                                                       const char     *config_update,
                                                       const char     *task);
JsonNode       *fake_databricks_get_mlflow_run        (FakeDatabricks *self,
                                                       const char     *run_id);
guint           fake_databricks_get_n_job_runs        (FakeDatabricks *self);
void            fake_databricks_set_job_run_state     (FakeDatabricks *self,
                                                       gint64          run_id,
                                                       const char     *life_cycle_state,
                                                       const char     *result_state,
                                                       const char     *state_message);
void            fake_databricks_set_job_script        (FakeDatabricks *self,
                                                       guint           running_polls,
                                                       const char     *result_state,
                                                       const char     *state_message,
                                                       const char     *result_json);
JsonNode       *fake_databricks_get_job_run_spec      (FakeDatabricks *self,
                                                       gint64          run_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeDatabricks, fake_databricks_free)

guint           fake_databricks_get_n_merges   (FakeDatabricks *self);
void            fake_databricks_set_fault_rate (FakeDatabricks *self,
                                                double          rate,
                                                guint32         seed);
gint64          fake_databricks_query_int      (FakeDatabricks *self,
                                                const char     *sql);

G_END_DECLS
