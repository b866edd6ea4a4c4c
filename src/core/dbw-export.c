/* dbw-export.c
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

#define G_LOG_DOMAIN "dbw-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "dbw-chat-format-private.h"
#include "dbw-export.h"
#include "dbw-export-record.h"
#include "dbw-governance.h"
#include "dbw-od-formats-private.h"
#include "dbw-qa-pair.h"
#include "dbw-shapes.h"
#include "dbw-store-private.h"

/* A pair that passed the gate, as the writers need it. The first four strings live in
 * the same allocation as the struct: 100,000 pairs are read in one export. */
typedef struct
{
  const char *id;
  const char *group;     /* source sheet and item_ref: pairs of one item stay together */
  const char *item_ref;
  const char *messages;  /* stored JSON, NULL in a summary */
  char *stratum;
  char *label_data;   /* object_detection label data, for image formats */
  char *blob_hash;
  char *modality;
  gboolean val_ok;    /* passes the gate for validation too: it may go to the val side */
} ExportPair;

/* One output, written under a temporary name and renamed into place at the end. */
typedef struct
{
  char     *tmp_path;
  char     *final_path;
  gboolean  is_dir;
} PendingFile;

typedef struct
{
  DbwExport        *self;
  DbwStore         *main_store;
  DbwExportOptions *options;
  GFile            *directory;
  char             *user;      /* read on the calling thread: who exports */
  GMainContext     *context;   /* NULL: progress set in the calling thread */
  double            reported;
} Job;

typedef struct
{
  DbwExport *self;
  double     progress;
} ProgressUpdate;

struct _DbwExport
{
  GObject           parent_instance;

  DbwStore         *store;
  DbwExportOptions *options;
  double            progress;
};

G_DEFINE_FINAL_TYPE (DbwExport, dbw_export, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-export-error-quark, dbw_export_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char summarize_tag[] = "summarize";
static const char write_tag[] = "write";

static const char * const format_names[] = { "jsonl", "csv", "coco", "yolo", "voc" };

static void
export_pair_free (ExportPair *pair)
{
  g_free (pair->stratum);
  g_free (pair->label_data);
  g_free (pair->blob_hash);
  g_free (pair->modality);
  g_free (pair);
}

/* @group_sheet_id, @group_ref: the item the pair's item was made from, first of all. */
static ExportPair *
export_pair_new (const char *id,
                 const char *group_sheet_id,
                 const char *group_ref,
                 const char *item_ref,
                 const char *messages)
{
  gsize id_len = strlen (id) + 1;
  gsize sheet_len = strlen (group_sheet_id);
  gsize ref_len = strlen (item_ref) + 1;
  gsize group_ref_len = strlen (group_ref) + 1;
  gsize messages_len = messages != NULL ? strlen (messages) + 1 : 0;
  ExportPair *pair = g_malloc0 (sizeof (ExportPair) + id_len + ref_len + sheet_len + 1 + group_ref_len + messages_len);
  char *p = (char *) (pair + 1);

  pair->id = memcpy (p, id, id_len);
  p += id_len;
  pair->item_ref = memcpy (p, item_ref, ref_len);
  p += ref_len;
  memcpy (p, group_sheet_id, sheet_len);
  p[sheet_len] = '\x1f';
  memcpy (p + sheet_len + 1, group_ref, group_ref_len);
  pair->group = p;
  p += sheet_len + 1 + group_ref_len;
  if (messages != NULL)
    pair->messages = memcpy (p, messages, messages_len);
  return pair;
}

static void
export_reason_free (DbwExportReason *reason)
{
  g_free (reason->reason);
  g_free (reason);
}

static void
pending_file_free (PendingFile *file)
{
  g_free (file->tmp_path);
  g_free (file->final_path);
  g_free (file);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->main_store);
  g_clear_pointer (&job->options, dbw_export_options_free);
  g_clear_object (&job->directory);
  g_free (job->user);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static Job *
job_new (DbwExport *self,
         GFile     *directory,
         gboolean   in_thread)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->main_store = g_object_ref (self->store);
  job->options = dbw_export_options_copy (self->options);
  job->directory = directory != NULL ? g_object_ref (directory) : NULL;
  job->user = g_strdup (dbw_store_get_user (self->store));
  if (in_thread)
    job->context = g_main_context_ref_thread_default ();
  return job;
}

static void
set_progress (DbwExport *self,
              double     progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROGRESS]);
}

static gboolean
progress_update_cb (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  set_progress (update->self, update->progress);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->self);
  g_free (update);
}

static void
job_report (Job    *job,
            double  progress)
{
  ProgressUpdate *update;

  /* whole percents are enough for a progress bar */
  if (progress < 1.0 && progress - job->reported < 0.01)
    return;
  job->reported = progress;

  if (job->context == NULL)
    {
      set_progress (job->self, progress);
      return;
    }

  update = g_new0 (ProgressUpdate, 1);
  update->self = g_object_ref (job->self);
  update->progress = progress;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, progress_update_cb, update,
                              (GDestroyNotify) progress_update_free);
}

/* Options */

static gboolean
validate_options (const DbwExportOptions  *options,
                  GError                 **error)
{
  if (options->training_sheet_ids == NULL || options->training_sheet_ids[0] == NULL)
    {
      g_set_error_literal (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                           _("Choose at least one training sheet to export"));
      return FALSE;
    }
  if (!dbw_use_is_valid (options->use))
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                   _("“%s” is not a use (training, validation, evaluation, few_shot, testing)"),
                   options->use != NULL ? options->use : "");
      return FALSE;
    }
  if (!(options->val_fraction == 0 || (options->val_fraction > 0 && options->val_fraction < 1)))
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                   _("The validation fraction must be 0 (no split) or between 0 and 1, not %g"),
                   options->val_fraction);
      return FALSE;
    }
  /* The two sides of a split are for training and for validation. */
  if (options->val_fraction > 0 && g_strcmp0 (options->use, DBW_USE_TRAINING) != 0)
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                   _("A validation split is made of training data; pairs exported for %s are not split"),
                   options->use);
      return FALSE;
    }
  if ((guint) options->format >= G_N_ELEMENTS (format_names))
    {
      g_set_error_literal (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID, _("Unknown export format"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
format_is_image (DbwExportFormat format)
{
  return format == DBW_EXPORT_FORMAT_COCO || format == DBW_EXPORT_FORMAT_YOLO || format == DBW_EXPORT_FORMAT_VOC;
}

/* Reading the pairs */

static DbwQaStatus
status_from_text (const char *text)
{
  if (g_strcmp0 (text, "labeled") == 0)
    return DBW_QA_STATUS_LABELED;
  if (g_strcmp0 (text, "rejected") == 0)
    return DBW_QA_STATUS_REJECTED;
  if (g_strcmp0 (text, "flagged") == 0)
    return DBW_QA_STATUS_FLAGGED;
  return DBW_QA_STATUS_UNLABELED;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
last_content (JsonArray  *messages,
              const char *role)
{
  for (guint i = json_array_get_length (messages); i > 0; i--)
    {
      JsonNode *node = json_array_get_element (messages, i - 1);
      JsonObject *message;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      message = json_node_get_object (node);
      if (g_strcmp0 (string_member (message, "role"), role) == 0)
        return string_member (message, "content");
    }
  return NULL;
}

static char *
classification_class (const char *label_data)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, label_data, -1, NULL))
    return g_strdup (label_data);
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      const char *label = string_member (json_node_get_object (root), "label");

      if (label != NULL)
        return g_strdup (label);
    }
  return g_strdup (label_data);
}

static void
count_reason (GHashTable *reasons,
              const char *reason)
{
  gpointer count = g_hash_table_lookup (reasons, reason != NULL ? reason : "");

  if (count == NULL)
    g_hash_table_insert (reasons, g_strdup (reason != NULL ? reason : ""), GSIZE_TO_POINTER (1));
  else
    g_hash_table_insert (reasons, g_strdup (reason != NULL ? reason : ""),
                         GSIZE_TO_POINTER (GPOINTER_TO_SIZE (count) + 1));
}

static int
compare_reasons (gconstpointer a,
                 gconstpointer b)
{
  const DbwExportReason *ra = *(const DbwExportReason * const *) a;
  const DbwExportReason *rb = *(const DbwExportReason * const *) b;

  if (ra->count != rb->count)
    return ra->count > rb->count ? -1 : 1;
  /* among equals, the pairs that give no reason come last */
  if ((ra->reason[0] == '\0') != (rb->reason[0] == '\0'))
    return ra->reason[0] == '\0' ? 1 : -1;
  return strcmp (ra->reason, rb->reason);
}

static DbwExportSummary *
summary_new (const char *use)
{
  DbwExportSummary *summary = g_new0 (DbwExportSummary, 1);

  summary->use = g_strdup (use);
  summary->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) export_reason_free);
  return summary;
}

typedef struct
{
  char *id;
  char *sheet_id;
  char *template_id;
  gint64 template_version;
} SheetInfo;

static void
sheet_info_free (SheetInfo *info)
{
  g_free (info->id);
  g_free (info->sheet_id);
  g_free (info->template_id);
  g_free (info);
}

static SheetInfo *
load_sheet (DbwStore    *store,
            const char  *training_sheet_id,
            GError     **error)
{
  sqlite3_stmt *stmt;
  SheetInfo *info = NULL;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "SELECT ts.id, ts.sheet_id, t.template_id, t.version FROM training_sheets AS ts "
                             "LEFT JOIN templates AS t ON t.id = ts.template_id WHERE ts.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, training_sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      info = g_new0 (SheetInfo, 1);
      info->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->sheet_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->template_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      info->template_version = sqlite3_column_int64 (stmt, 3);
    }
  _dbw_store_release (store, stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                 _("There is no training sheet “%s”"), training_sheet_id);
  else if (rc != SQLITE_ROW)
    _dbw_store_set_error (store, rc, "training_sheets", error);

  return info;
}

/* Files are hashed in pieces of this size, so a large export is never read whole. */
#define VERIFY_CHUNK (256 * 1024)

#define PAIRS_SQL \
  "SELECT q.id, q.item_ref, q.status, q.allowed_uses, q.prohibited_uses, q.usage_reason, q.messages, " \
  "cl.label_type, cl.label_data"
#define PAIRS_FROM \
  " FROM qa_pairs AS q LEFT JOIN canonical_labels AS cl ON cl.id = q.canonical_label_id " \
  "WHERE q.training_sheet_id = ?1"
#define PAIRS_ITEM_SQL \
  ", (SELECT modality || char (31) || coalesce (blob_hash, '') FROM items WHERE items.sheet_id = ?2 " \
  "AND items.item_ref = q.item_ref ORDER BY version DESC LIMIT 1)"

/* The item @item_ref of @sheet_id was made from, first of all: a sheet's sample, split or
 * union copies its items, and a new version comes from the one before. The split keeps the
 * pairs of one source item on one side, whichever sheets they were made from. */
static gboolean
find_origin (DbwStore    *store,
             const char  *sheet_id,
             const char  *item_ref,
             char       **origin_sheet_id,
             char       **origin_ref,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "WITH RECURSIVE chain (id, sheet_id, item_ref, derived_from, depth) AS ("
                             "  SELECT id, sheet_id, item_ref, derived_from, 0 FROM items "
                             "  WHERE sheet_id = ?1 AND item_ref = ?2 "
                             "  UNION ALL "
                             "  SELECT i.id, i.sheet_id, i.item_ref, i.derived_from, chain.depth + 1 "
                             "  FROM items AS i JOIN chain ON i.id = chain.derived_from WHERE chain.depth < 64) "
                             "SELECT sheet_id, item_ref FROM chain WHERE derived_from IS NULL "
                             "ORDER BY depth DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item_ref, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *origin_sheet_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *origin_ref = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }

  return TRUE;
}

/* Whether any item of @sheet_id was made from another sheet's: only then can a pair's
 * origin differ from its own sheet and item (versions stay in their sheet). */
static gboolean
sheet_has_copies (DbwStore    *store,
                  const char  *sheet_id,
                  gboolean    *has_copies,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "SELECT EXISTS (SELECT 1 FROM items AS i JOIN items AS o ON o.id = i.derived_from "
                             "WHERE i.sheet_id = ?1 AND o.sheet_id IS NOT ?1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *has_copies = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }

  return TRUE;
}

/* Reads every pair of the chosen sheets once, counts it under the first gate it fails, and
 * keeps those that pass. @want_messages: the writers need the messages; a summary only
 * needs them to stratify. */
static gboolean
scan_pairs (DbwStore                *store,
            const DbwExportOptions  *options,
            gboolean                 want_messages,
            Job                     *job,
            double                   progress_share,
            DbwExportSummary        *summary,
            GPtrArray               *pairs,
            GPtrArray               *sheets,
            GCancellable            *cancellable,
            GError                 **error)
{
  g_autoptr(GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean image = format_is_image (options->format);
  gboolean need_messages = want_messages || (options->stratify && options->val_fraction > 0);
  g_autofree char *sql = g_strconcat (PAIRS_SQL, image ? PAIRS_ITEM_SQL : "", PAIRS_FROM, NULL);
  gint64 n_expected = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint s = 0; options->training_sheet_ids[s] != NULL; s++)
    {
      SheetInfo *info = load_sheet (store, options->training_sheet_ids[s], error);

      if (info == NULL)
        return FALSE;
      g_ptr_array_add (sheets, info);
      n_expected += dbw_store_count (store, DBW_TYPE_QA_PAIR, "training_sheet_id", info->id, NULL);
    }

  for (guint s = 0; s < sheets->len; s++)
    {
      SheetInfo *info = g_ptr_array_index (sheets, s);
      gboolean has_copies = FALSE;
      sqlite3_stmt *stmt;
      int rc;

      /* Only the split needs the origins: a sample or a union copies its items. */
      if (options->val_fraction > 0 && !sheet_has_copies (store, info->sheet_id, &has_copies, error))
        return FALSE;

      stmt = _dbw_store_prepare_transient (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, info->id, -1, SQLITE_TRANSIENT);
      if (image)
        sqlite3_bind_text (stmt, 2, info->sheet_id, -1, SQLITE_TRANSIENT);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *status_text = (const char *) sqlite3_column_text (stmt, 2);
          DbwQaStatus status = status_from_text (status_text);
          DbwGateVerdict verdict;
          const char *messages = (const char *) sqlite3_column_text (stmt, 6);
          const char *label_type = (const char *) sqlite3_column_text (stmt, 7);
          const char *label_data = (const char *) sqlite3_column_text (stmt, 8);
          ExportPair *pair;

          summary->n_total++;
          if ((summary->n_total & 1023) == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                {
                  _dbw_store_release (store, stmt);
                  return FALSE;
                }
              if (job != NULL && n_expected > 0)
                job_report (job, progress_share * MIN (1.0, (double) summary->n_total / n_expected));
            }

          verdict = dbw_governance_check_json (status,
                                               (const char *) sqlite3_column_text (stmt, 3),
                                               (const char *) sqlite3_column_text (stmt, 4),
                                               options->use);
          switch (verdict)
            {
            case DBW_GATE_NOT_LABELED:
              if (status == DBW_QA_STATUS_REJECTED)
                summary->n_rejected++;
              else if (status == DBW_QA_STATUS_FLAGGED)
                summary->n_flagged++;
              else
                summary->n_unlabeled++;
              continue;
            case DBW_GATE_PROHIBITED:
              summary->n_prohibited++;
              count_reason (reasons, (const char *) sqlite3_column_text (stmt, 5));
              continue;
            case DBW_GATE_NOT_ALLOWED:
              summary->n_not_allowed++;
              count_reason (reasons, (const char *) sqlite3_column_text (stmt, 5));
              continue;
            case DBW_GATE_PASS:
            default:
              break;
            }

          summary->n_exported++;
          if (pairs == NULL)
            continue;

          {
            const char *item_ref = (const char *) sqlite3_column_text (stmt, 1);
            g_autofree char *root_sheet_id = NULL;
            g_autofree char *root_ref = NULL;

            if (has_copies &&
                !find_origin (store, info->sheet_id, item_ref, &root_sheet_id, &root_ref, error))
              {
                _dbw_store_release (store, stmt);
                return FALSE;
              }
            pair = export_pair_new ((const char *) sqlite3_column_text (stmt, 0),
                                    root_sheet_id != NULL ? root_sheet_id : info->sheet_id,
                                    root_ref != NULL ? root_ref : item_ref,
                                    item_ref, need_messages ? messages : NULL);
          }
          pair->val_ok = options->val_fraction > 0 &&
                         dbw_governance_check_json (status,
                                                    (const char *) sqlite3_column_text (stmt, 3),
                                                    (const char *) sqlite3_column_text (stmt, 4),
                                                    DBW_USE_VALIDATION) == DBW_GATE_PASS;
          if (g_strcmp0 (label_type, "classification") == 0 && label_data != NULL)
            pair->stratum = classification_class (label_data);
          if (g_strcmp0 (label_type, "object_detection") == 0)
            pair->label_data = g_strdup (label_data);
          if (image)
            {
              const char *item = (const char *) sqlite3_column_text (stmt, 9);
              const char *sep = item != NULL ? strchr (item, '\x1f') : NULL;

              if (sep != NULL)
                {
                  pair->modality = g_strndup (item, sep - item);
                  pair->blob_hash = sep[1] != '\0' ? g_strdup (sep + 1) : NULL;
                }
            }
          g_ptr_array_add (pairs, pair);
        }
      _dbw_store_release (store, stmt);
      if (rc != SQLITE_DONE)
        {
          _dbw_store_set_error (store, rc, "qa_pairs", error);
          return FALSE;
        }
    }

  g_hash_table_iter_init (&iter, reasons);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DbwExportReason *reason = g_new0 (DbwExportReason, 1);

      reason->reason = g_strdup (key);
      reason->count = (gint64) GPOINTER_TO_SIZE (value);
      g_ptr_array_add (summary->reasons, reason);
    }
  g_ptr_array_sort (summary->reasons, compare_reasons);

  summary->n_train = summary->n_exported;
  summary->n_val = 0;
  return TRUE;
}

/* Parses a pair's messages once: checks them as trainers do and finds the stratum and the
 * CSV columns. */
static JsonNode *
parse_messages (ExportPair  *pair,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, pair->messages != NULL ? pair->messages : "", -1, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_FORMAT,
                   _("Pair %s (%s): its messages are not JSON"), pair->id, pair->item_ref);
      return NULL;
    }
  if (!_dbw_chat_messages_validate_node (root, &local_error))
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_FORMAT,
                   _("Pair %s (%s): %s"), pair->id, pair->item_ref, local_error->message);
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
check_messages (ExportPair  *pair,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (pair->messages != NULL && dbw_chat_messages_validate (pair->messages, &local_error))
    return TRUE;
  g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_FORMAT, _("Pair %s (%s): %s"), pair->id, pair->item_ref,
               local_error != NULL ? local_error->message : _("no messages"));
  return FALSE;
}

static void
split_pairs (GPtrArray              *pairs,
             const DbwExportOptions *options,
             gboolean               *is_val)
{
  g_autofree const char **groups = g_new0 (const char *, pairs->len + 1);
  g_autofree const char **strata = options->stratify ? g_new0 (const char *, pairs->len + 1) : NULL;

  for (guint i = 0; i < pairs->len; i++)
    {
      ExportPair *pair = g_ptr_array_index (pairs, i);

      groups[i] = pair->group;
      if (strata != NULL)
        strata[i] = pair->stratum != NULL ? pair->stratum : "";
    }

  dbw_export_split (groups, strata, pairs->len, options->val_fraction, options->seed, is_val);

  /* The val side is an exit for validation: a pair its constraints keep from validation
   * stays on the training side, and the other pairs of its item with it. */
  {
    g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < pairs->len; i++)
      if (is_val[i] && !((ExportPair *) g_ptr_array_index (pairs, i))->val_ok)
        g_hash_table_add (kept, (gpointer) groups[i]);
    for (guint i = 0; i < pairs->len && g_hash_table_size (kept) > 0; i++)
      if (is_val[i] && g_hash_table_contains (kept, groups[i]))
        is_val[i] = FALSE;
  }
}

/* The stratum of each pair needs its messages when it has no classification label. */
static gboolean
fill_strata (GPtrArray     *pairs,
             GCancellable  *cancellable,
             GError       **error)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      ExportPair *pair = g_ptr_array_index (pairs, i);
      g_autoptr(JsonNode) root = NULL;
      const char *assistant;

      if (pair->stratum != NULL)
        continue;
      if ((i & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!(root = parse_messages (pair, error)))
        return FALSE;
      assistant = last_content (json_node_get_array (root), "assistant");
      pair->stratum = g_strdup (assistant != NULL ? assistant : "");
    }
  return TRUE;
}

static DbwExportSummary *
run_summarize (DbwStore                *store,
               const DbwExportOptions  *options,
               Job                     *job,
               GCancellable            *cancellable,
               GError                 **error)
{
  g_autoptr(DbwExportSummary) summary = summary_new (options->use);
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) sheet_info_free);

  if (!validate_options (options, error))
    return NULL;

  if (options->val_fraction > 0)
    pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) export_pair_free);

  if (!scan_pairs (store, options, FALSE, job, 0.9, summary, pairs, sheets, cancellable, error))
    return NULL;

  if (pairs != NULL && pairs->len > 0)
    {
      g_autofree gboolean *is_val = g_new0 (gboolean, pairs->len);

      if (options->stratify && !fill_strata (pairs, cancellable, error))
        return NULL;
      split_pairs (pairs, options, is_val);
      summary->n_val = 0;
      for (guint i = 0; i < pairs->len; i++)
        summary->n_val += is_val[i] ? 1 : 0;
      summary->n_train = summary->n_exported - summary->n_val;
    }

  if (job != NULL)
    job_report (job, 1.0);

  return g_steal_pointer (&summary);
}

/* Writing */

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") == NULL && text[0] != ' ' && (text[0] == '\0' || text[strlen (text) - 1] != ' '))
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A file written through a buffer, hashed on the way. */
typedef struct
{
  int        fd;
  char      *path;
  char      *name;     /* as the export names it: "train.jsonl" */
  GString   *buffer;
  GChecksum *checksum;
} OutFile;

static gboolean
out_file_flush (OutFile  *out,
                GError  **error)
{
  gsize done = 0;

  g_checksum_update (out->checksum, (const guchar *) out->buffer->str, out->buffer->len);
  while (done < out->buffer->len)
    {
      gssize n = write (out->fd, out->buffer->str + done, out->buffer->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write %s: %s"), out->name, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  g_string_truncate (out->buffer, 0);
  return TRUE;
}

static gboolean
out_file_open (OutFile     *out,
               const char  *directory,
               const char  *name,
               GPtrArray   *pending,
               GError     **error)
{
  g_autofree char *template = g_strdup_printf (".%s.XXXXXX", name);
  PendingFile *file;
  int saved;

  out->path = g_build_filename (directory, template, NULL);
  out->name = g_strdup (name);
  out->fd = g_mkstemp_full (out->path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  saved = errno;
  out->buffer = g_string_sized_new (1 << 20);
  out->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (out->fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create a file in %s: %s"), directory, g_strerror (saved));
      return FALSE;
    }

  file = g_new0 (PendingFile, 1);
  file->tmp_path = g_strdup (out->path);
  file->final_path = g_build_filename (directory, name, NULL);
  g_ptr_array_add (pending, file);
  return TRUE;
}

static gboolean
out_file_close (OutFile     *out,
                GHashTable  *hashes,
                GError     **error)
{
  gboolean ok = out_file_flush (out, error);

  if (ok && fsync (out->fd) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), out->name, g_strerror (saved));
      ok = FALSE;
    }
  if (close (out->fd) != 0 && ok)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), out->name, g_strerror (saved));
      ok = FALSE;
    }
  out->fd = -1;
  if (ok && hashes != NULL)
    g_hash_table_insert (hashes, g_strdup (out->name), g_strdup (g_checksum_get_string (out->checksum)));
  return ok;
}

static void
out_file_clear (OutFile *out)
{
  if (out->fd >= 0)
    close (out->fd);
  out->fd = -1;
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->name, g_free);
  if (out->buffer != NULL)
    g_string_free (g_steal_pointer (&out->buffer), TRUE);
  g_clear_pointer (&out->checksum, g_checksum_free);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
discard_pending (GPtrArray *pending)
{
  for (guint i = 0; i < pending->len; i++)
    remove_tree (((PendingFile *) g_ptr_array_index (pending, i))->tmp_path);
}

static gboolean
write_text_file (const char   *directory,
                 const char   *name,
                 GPtrArray    *pairs,
                 GPtrArray    *roots,
                 const gboolean *is_val,
                 gboolean      want_val,
                 DbwExportFormat format,
                 GPtrArray    *pending,
                 GHashTable   *hashes,
                 Job          *job,
                 double        progress_from,
                 double        progress_to,
                 GCancellable *cancellable,
                 GError      **error)
{
  OutFile out = { .fd = -1 };
  gboolean ok = FALSE;

  if (!out_file_open (&out, directory, name, pending, error))
    goto out;

  if (format == DBW_EXPORT_FORMAT_CSV)
    g_string_append (out.buffer, "id,item_ref,system,user,assistant\r\n");

  for (guint i = 0; i < pairs->len; i++)
    {
      ExportPair *pair = g_ptr_array_index (pairs, i);

      if (is_val != NULL && is_val[i] != want_val)
        continue;

      if ((i & 1023) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          if (job != NULL)
            job_report (job, progress_from + (progress_to - progress_from) * i / pairs->len);
        }

      if (format == DBW_EXPORT_FORMAT_JSONL)
        {
          /* the stored text is compact JSON already; a line must not break */
          g_string_append (out.buffer, "{\"messages\":");
          if (strpbrk (pair->messages, "\r\n") == NULL)
            g_string_append (out.buffer, pair->messages);
          else
            {
              g_autoptr(JsonNode) copy = json_from_string (pair->messages, NULL);
              g_autofree char *compact = json_to_string (copy, FALSE);

              g_string_append (out.buffer, compact);
            }
          g_string_append (out.buffer, "}\n");
        }
      else
        {
          JsonArray *messages = json_node_get_array (g_ptr_array_index (roots, i));
          JsonNode *first = json_array_get_element (messages, 0);
          const char *system = NULL;

          if (g_strcmp0 (string_member (json_node_get_object (first), "role"),
                         "system") == 0)
            system = string_member (json_node_get_object (first), "content");

          append_csv_field (out.buffer, pair->id);
          g_string_append_c (out.buffer, ',');
          append_csv_field (out.buffer, pair->item_ref);
          g_string_append_c (out.buffer, ',');
          append_csv_field (out.buffer, system);
          g_string_append_c (out.buffer, ',');
          append_csv_field (out.buffer, last_content (messages, "user"));
          g_string_append_c (out.buffer, ',');
          append_csv_field (out.buffer, last_content (messages, "assistant"));
          g_string_append (out.buffer, "\r\n");
        }

      if (out.buffer->len >= (1 << 20) && !out_file_flush (&out, error))
        goto out;
    }

  ok = out_file_close (&out, hashes, error);

out:
  out_file_clear (&out);
  return ok;
}

static gboolean
hash_tree (const char  *path,
           const char  *name,
           GHashTable  *hashes,
           GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *child;

      if (dir == NULL)
        return FALSE;
      while ((child = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (child));
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child_path = g_build_filename (path, g_ptr_array_index (names, i), NULL);
          g_autofree char *child_name = g_strconcat (name, "/", g_ptr_array_index (names, i), NULL);

          if (!hash_tree (child_path, child_name, hashes, error))
            return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, error))
        return FALSE;
      g_hash_table_insert (hashes, g_strdup (name),
                           g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len));
      return TRUE;
    }
}

static gboolean
write_image_set (DbwStore       *store,
                 const char     *directory,
                 const char     *name,
                 GPtrArray      *pairs,
                 const gboolean *is_val,
                 gboolean        want_val,
                 DbwExportFormat format,
                 GPtrArray      *pending,
                 GHashTable     *hashes,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autofree char *template = g_strdup_printf (".%s.XXXXXX", name);
  g_autofree char *tmp = g_build_filename (directory, template, NULL);
  g_autoptr(GArray) labels = g_array_new (FALSE, TRUE, sizeof (DbwOdExportLabel));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GFile) output = NULL;
  DbwOdFormat od_format;
  PendingFile *file;
  int saved;

  if (g_mkdtemp_full (tmp, 0755) == NULL)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create a folder in %s: %s"), directory, g_strerror (saved));
      return FALSE;
    }
  file = g_new0 (PendingFile, 1);
  file->tmp_path = g_strdup (tmp);
  file->final_path = g_build_filename (directory, name, NULL);
  file->is_dir = TRUE;
  g_ptr_array_add (pending, file);

  for (guint i = 0; i < pairs->len; i++)
    {
      ExportPair *pair = g_ptr_array_index (pairs, i);
      DbwOdExportLabel label = { 0 };

      if (is_val != NULL && is_val[i] != want_val)
        continue;
      /* one image per item, however many pairs ask about it */
      if (g_hash_table_contains (seen, pair->group))
        continue;
      g_hash_table_add (seen, (gpointer) pair->group);

      label.item_ref = pair->item_ref;
      label.label_data = pair->label_data;
      label.blob_hash = pair->blob_hash;
      g_array_append_val (labels, label);
    }

  switch (format)
    {
    case DBW_EXPORT_FORMAT_COCO:
      od_format = DBW_OD_FORMAT_COCO;
      output = g_file_new_build_filename (tmp, "annotations.json", NULL);
      break;
    case DBW_EXPORT_FORMAT_YOLO:
      od_format = DBW_OD_FORMAT_YOLO;
      output = g_file_new_for_path (tmp);
      break;
    case DBW_EXPORT_FORMAT_VOC:
    case DBW_EXPORT_FORMAT_JSONL:
    case DBW_EXPORT_FORMAT_CSV:
    default:
      od_format = DBW_OD_FORMAT_VOC;
      output = g_file_new_for_path (tmp);
      break;
    }

  if (_dbw_od_export_labels (store, (const DbwOdExportLabel *) (gpointer) labels->data, labels->len,
                             od_format, output, cancellable, error) < 0)
    return FALSE;

  return hash_tree (tmp, name, hashes, error);
}

/* Image pairs: each needs an image item and object-detection label data, from its
 * canonical label or else its answer. */
static gboolean
prepare_image_pairs (GPtrArray     *pairs,
                     GCancellable  *cancellable,
                     GError       **error)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      ExportPair *pair = g_ptr_array_index (pairs, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DbwShapeSet) set = NULL;

      if ((i & 255) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (g_strcmp0 (pair->modality, "image") != 0)
        {
          g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                       _("Pair %s (%s) is not about an image: object-detection formats are for image sheets"),
                       pair->id, pair->item_ref);
          return FALSE;
        }

      if (pair->label_data == NULL)
        {
          g_autoptr(JsonNode) root = parse_messages (pair, error);
          const char *assistant;

          if (root == NULL)
            return FALSE;
          assistant = last_content (json_node_get_array (root), "assistant");
          pair->label_data = g_strdup (assistant);
        }

      set = dbw_shape_set_new_from_json (pair->label_data, 0, 0, &local_error);
      if (set == NULL)
        {
          g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_FORMAT,
                       _("Pair %s (%s): its label is not object-detection data: %s"),
                       pair->id, pair->item_ref, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
ids_to_json (GPtrArray      *pairs,
             const gboolean *is_val,
             gboolean        only_val)
{
  GString *out = g_string_sized_new (pairs->len * 40 + 2);
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < pairs->len; i++)
    {
      ExportPair *pair = g_ptr_array_index (pairs, i);

      if (only_val && (is_val == NULL || !is_val[i]))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, pair->id);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static char *
counts_to_json (const DbwExportSummary *summary)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out,
                          "{\"total\":%" G_GINT64_FORMAT ",\"exported\":%" G_GINT64_FORMAT
                          ",\"unlabeled\":%" G_GINT64_FORMAT ",\"rejected\":%" G_GINT64_FORMAT
                          ",\"flagged\":%" G_GINT64_FORMAT ",\"prohibited\":%" G_GINT64_FORMAT
                          ",\"not_allowed\":%" G_GINT64_FORMAT ",\"train\":%" G_GINT64_FORMAT
                          ",\"val\":%" G_GINT64_FORMAT ",\"reasons\":{",
                          summary->n_total, summary->n_exported, summary->n_unlabeled, summary->n_rejected,
                          summary->n_flagged, summary->n_prohibited, summary->n_not_allowed,
                          summary->n_train, summary->n_val);
  for (guint i = 0; i < summary->reasons->len; i++)
    {
      DbwExportReason *reason = g_ptr_array_index (summary->reasons, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, reason->reason);
      g_string_append_printf (out, ":%" G_GINT64_FORMAT, reason->count);
    }
  g_string_append (out, "}}");
  return g_string_free (out, FALSE);
}

static char *
split_config_to_json (const DbwExportOptions *options,
                      GPtrArray              *pairs,
                      const gboolean         *is_val)
{
  GString *out = g_string_new (NULL);
  char fraction[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (fraction, sizeof fraction, options->val_fraction);
  g_string_append_printf (out, "{\"val_fraction\":%s,\"seed\":%" G_GUINT64_FORMAT ",\"stratify\":%s,"
                          "\"group_by\":\"item_ref\"",
                          fraction, options->seed, options->stratify ? "true" : "false");
  if (is_val != NULL)
    {
      g_autofree char *val_ids = ids_to_json (pairs, is_val, TRUE);

      g_string_append (out, ",\"val_qa_pair_ids\":");
      g_string_append (out, val_ids);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static int
compare_strings_cb (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
string_map_to_json (GHashTable *map)
{
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (map, NULL);
  guint n = g_strv_length ((char **) keys);
  GString *out = g_string_new ("{");

  /* sorted, so the same export reads the same */
  g_qsort_with_data (keys, n, sizeof (char *), compare_strings_cb, NULL);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, keys[i]);
      g_string_append_c (out, ':');
      g_string_append (out, g_hash_table_lookup (map, keys[i]));
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
commit_pending (GPtrArray  *pending,
                GError    **error)
{
  for (guint i = 0; i < pending->len; i++)
    {
      PendingFile *file = g_ptr_array_index (pending, i);
      g_autofree char *old = NULL;

      /* a folder cannot be renamed over one that has files: move the old one aside */
      if (file->is_dir && g_file_test (file->final_path, G_FILE_TEST_IS_DIR))
        {
          old = g_strconcat (file->tmp_path, ".old", NULL);
          if (g_rename (file->final_path, old) != 0)
            g_clear_pointer (&old, g_free);
        }
      if (g_rename (file->tmp_path, file->final_path) != 0)
        {
          int saved = errno;
          g_autofree char *name = g_path_get_basename (file->final_path);

          if (old != NULL)
            g_rename (old, file->final_path);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write %s: %s"), name, g_strerror (saved));
          return FALSE;
        }
      if (old != NULL)
        remove_tree (old);
    }
  return TRUE;
}

static void
add_result_files (GPtrArray  *files,
                  const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort_with_data (names, compare_strings_cb, NULL);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

          add_result_files (files, child);
        }
    }
  else
    g_ptr_array_add (files, g_file_new_for_path (path));
}


/* Where this computer keeps the export's files, for fine-tuning it later. */
static gboolean
remember_folder (DbwStore    *store,
                 const char  *export_id,
                 const char  *path,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store, "INSERT OR REPLACE INTO export_folders (export_id, path) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, export_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "export_folders", error);
      return FALSE;
    }

  return TRUE;
}

static DbwExportResult *
run_write (DbwStore                *store,
           const DbwExportOptions  *options,
           GFile                   *directory,
           Job                     *job,
           GCancellable            *cancellable,
           GError                 **error)
{
  g_autoptr(DbwExportSummary) summary = summary_new (options->use);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) export_pair_free);
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) sheet_info_free);
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_file_free);
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(DbwExportRecord) record = NULL;
  g_autoptr(GPtrArray) sheet_ids = g_ptr_array_new ();
  g_autofree gboolean *is_val = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *qa_pair_ids = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *split_config = NULL;
  g_autofree char *template_versions = NULL;
  g_autofree char *file_hashes = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *now = NULL;
  DbwExportResult *result;
  const char *ext = options->format == DBW_EXPORT_FORMAT_CSV ? "csv" : "jsonl";
  gboolean image = format_is_image (options->format);
  gboolean split = options->val_fraction > 0;
  OutFile manifest_out = { .fd = -1 };
  gboolean in_transaction = FALSE;

  if (!validate_options (options, error))
    return NULL;

  dir_path = g_file_get_path (directory);
  if (dir_path == NULL)
    {
      g_set_error_literal (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_INVALID,
                           _("Exports are written to a local folder"));
      return NULL;
    }

  if (!scan_pairs (store, options, TRUE, job, 0.4, summary, pairs, sheets, cancellable, error))
    return NULL;

  if (pairs->len == 0)
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_EMPTY,
                   _("No pair of the %" G_GINT64_FORMAT " in the chosen training sheets may be exported for %s"),
                   summary->n_total, options->use);
      return NULL;
    }

  /* Every pair is checked before anything is written: a bad one stops the export whole. */
  if (image)
    {
      if (!prepare_image_pairs (pairs, cancellable, error))
        return NULL;
    }
  else
    {
      gboolean keep = options->format == DBW_EXPORT_FORMAT_CSV;

      if (keep)
        roots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      for (guint i = 0; i < pairs->len; i++)
        {
          ExportPair *pair = g_ptr_array_index (pairs, i);
          g_autoptr(JsonNode) root = NULL;

          if ((i & 1023) == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return NULL;
              if (job != NULL)
                job_report (job, 0.4 + 0.3 * i / pairs->len);
            }
          /* the quick check is enough when nothing else is read from the messages */
          if (!keep && (pair->stratum != NULL || !options->stratify))
            {
              if (!check_messages (pair, error))
                return NULL;
              continue;
            }
          if (!(root = parse_messages (pair, error)))
            return NULL;
          if (pair->stratum == NULL && options->stratify)
            {
              const char *assistant = last_content (json_node_get_array (root), "assistant");

              pair->stratum = g_strdup (assistant != NULL ? assistant : "");
            }
          if (keep)
            g_ptr_array_add (roots, g_steal_pointer (&root));
        }
    }

  if (split)
    {
      if (image && options->stratify && !fill_strata (pairs, cancellable, error))
        return NULL;
      is_val = g_new0 (gboolean, pairs->len);
      split_pairs (pairs, options, is_val);
      summary->n_val = 0;
      for (guint i = 0; i < pairs->len; i++)
        summary->n_val += is_val[i] ? 1 : 0;
      summary->n_train = summary->n_exported - summary->n_val;
    }

  if (!g_file_make_directory_with_parents (directory, cancellable, NULL) &&
      !g_file_query_exists (directory, cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Could not create the folder %s"), dir_path);
      return NULL;
    }

  if (image)
    {
      if (split)
        {
          if (!write_image_set (store, dir_path, "train", pairs, is_val, FALSE, options->format,
                                pending, hashes, cancellable, error) ||
              !write_image_set (store, dir_path, "val", pairs, is_val, TRUE, options->format,
                                pending, hashes, cancellable, error))
            goto fail;
        }
      else if (!write_image_set (store, dir_path, "data", pairs, NULL, FALSE, options->format,
                                 pending, hashes, cancellable, error))
        goto fail;
    }
  else if (split)
    {
      g_autofree char *train = g_strconcat ("train.", ext, NULL);
      g_autofree char *val = g_strconcat ("val.", ext, NULL);

      if (!write_text_file (dir_path, train, pairs, roots, is_val, FALSE, options->format, pending, hashes,
                            job, 0.7, 0.85, cancellable, error) ||
          !write_text_file (dir_path, val, pairs, roots, is_val, TRUE, options->format, pending, hashes,
                            job, 0.85, 0.95, cancellable, error))
        goto fail;
    }
  else
    {
      g_autofree char *data = g_strconcat ("data.", ext, NULL);

      if (!write_text_file (dir_path, data, pairs, roots, NULL, FALSE, options->format, pending, hashes,
                            job, 0.7, 0.95, cancellable, error))
        goto fail;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  /* The lineage row */
  for (guint s = 0; s < sheets->len; s++)
    {
      SheetInfo *info = g_ptr_array_index (sheets, s);

      g_ptr_array_add (sheet_ids, info->id);
      if (info->template_id != NULL)
        g_hash_table_insert (templates, g_strdup (info->template_id),
                             g_strdup_printf ("%" G_GINT64_FORMAT, info->template_version));
    }
  g_ptr_array_add (sheet_ids, NULL);

  {
    g_autoptr(GHashTable) quoted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, hashes);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        GString *q = g_string_new (NULL);

        append_json_string (q, value);
        g_hash_table_insert (quoted, g_strdup (key), g_string_free (q, FALSE));
      }
    file_hashes = string_map_to_json (quoted);
  }

  qa_pair_ids = ids_to_json (pairs, NULL, FALSE);
  counts = counts_to_json (summary);
  split_config = split_config_to_json (options, pairs, is_val);
  template_versions = string_map_to_json (templates);
  now = dbw_now_iso8601 ();

  record = dbw_export_record_new ();
  dbw_export_record_set_training_sheet_ids (record, (const char * const *) sheet_ids->pdata);
  dbw_export_record_set_use (record, options->use);
  dbw_export_record_set_format (record, dbw_export_format_to_string (options->format));
  dbw_export_record_set_qa_pair_ids (record, qa_pair_ids);
  dbw_export_record_set_counts (record, counts);
  dbw_export_record_set_split_config (record, split_config);
  dbw_export_record_set_template_versions (record, template_versions);
  dbw_export_record_set_file_hashes (record, file_hashes);
  dbw_export_record_set_created_by (record, dbw_store_get_user (store));
  dbw_export_record_set_created_at (record, now);

  if (!dbw_store_begin (store, error))
    goto fail;
  in_transaction = TRUE;
  if (!dbw_store_insert (store, record, error) ||
      !remember_folder (store, dbw_record_get_id (DBW_RECORD (record)), dir_path, error))
    goto fail;

  manifest = dbw_record_to_json_string (DBW_RECORD (record), TRUE);
  if (!out_file_open (&manifest_out, dir_path, "manifest.json", pending, error))
    goto fail;
  g_string_append (manifest_out.buffer, manifest);
  g_string_append_c (manifest_out.buffer, '\n');
  if (!out_file_close (&manifest_out, NULL, error))
    goto fail;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  if (!commit_pending (pending, error))
    goto fail;
  if (!dbw_store_commit (store, error))
    {
      in_transaction = FALSE;
      goto fail_after_rename;
    }
  in_transaction = FALSE;
  out_file_clear (&manifest_out);

  result = g_new0 (DbwExportResult, 1);
  result->summary = g_steal_pointer (&summary);
  result->export_id = g_strdup (dbw_record_get_id (DBW_RECORD (record)));
  result->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < pending->len; i++)
    {
      PendingFile *file = g_ptr_array_index (pending, i);

      add_result_files (result->files, file->final_path);
    }

  if (job != NULL)
    job_report (job, 1.0);

  return result;

fail_after_rename:
  /* the row is gone: so are the files that would claim it */
  for (guint i = 0; i < pending->len; i++)
    remove_tree (((PendingFile *) g_ptr_array_index (pending, i))->final_path);
fail:
  if (in_transaction)
    dbw_store_rollback (store);
  out_file_clear (&manifest_out);
  discard_pending (pending);
  return NULL;
}

/* One text column of one row, keyed by an export's id: @found says whether the row exists. */
static gboolean
read_export_text (DbwStore    *store,
                  const char  *sql,
                  const char  *table,
                  const char  *export_id,
                  char       **text,
                  gboolean    *found,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, export_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  *text = *found ? g_strdup ((const char *) sqlite3_column_text (stmt, 0)) : NULL;
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, table, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * dbw_export_lookup_folder:
 * @store: a #DbwStore
 * @export_id: the id of an exports row
 * @error: return location for a #GError
 *
 * Finds the folder this computer wrote the export to. Exports made on another computer,
 * or before folders were kept, have none. The folder may have been moved or emptied since.
 *
 * Returns: (transfer full) (nullable): the folder, or %NULL — with @error set only when
 *   the project could not be read
 */
GFile *
dbw_export_lookup_folder (DbwStore    *store,
                          const char  *export_id,
                          GError     **error)
{
  g_autofree char *path = NULL;
  gboolean found;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (export_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_export_text (store, "SELECT path FROM export_folders WHERE export_id = ?1", "export_folders",
                         export_id, &path, &found, error))
    return NULL;

  return path != NULL ? g_file_new_for_path (path) : NULL;
}

/**
 * dbw_export_lookup_file_hashes:
 * @store: a #DbwStore
 * @export_id: the id of an exports row
 * @error: return location for a #GError
 *
 * Returns: (transfer full): file name (relative to the export's folder) → SHA-256 in hex
 *   of every file the export wrote, empty when it recorded none; or %NULL with @error set
 *   (%DBW_STORE_ERROR_NOT_FOUND when there is no such export)
 */
GHashTable *
dbw_export_lookup_file_hashes (DbwStore    *store,
                               const char  *export_id,
                               GError     **error)
{
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  gboolean found;
  JsonNode *root;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (export_id != NULL, NULL);

  if (!read_export_text (store, "SELECT file_hashes FROM exports WHERE id = ?1", "exports",
                         export_id, &json, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND,
                   _("There is no export “%s” in this project"), export_id);
      return NULL;
    }

  /* The column is CHECKed as JSON; anything but an object of strings records nothing. */
  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            g_hash_table_insert (hashes, g_strdup (l->data), g_strdup (json_node_get_string (value)));
        }
    }

  return g_steal_pointer (&hashes);
}

/* The ids of the validation side of an export's split, from its split_config. */
static GHashTable *
val_ids_from_split_config (const char *split_config)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array = NULL;

  if (split_config != NULL)
    root = json_from_string (split_config, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "val_qa_pair_ids"))
    array = json_object_get_array_member (json_node_get_object (root), "val_qa_pair_ids");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *id = json_array_get_string_element (array, i);

      if (id != NULL)
        g_hash_table_add (ids, g_strdup (id));
    }
  return ids;
}

/**
 * dbw_export_check_gate:
 * @store: a connection of the calling thread
 * @export_id: the id of an exports row
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks each pair an export wrote against the gate as the pair is now, for the use the
 * export put it to (validation, for the validation side of a split): a pair prohibited
 * since, no longer approved or deleted would otherwise reach a model through the files
 * written before. Reads every pair: call it from a worker thread.
 *
 * Returns: %TRUE if every pair may still be used so; %FALSE with %DBW_EXPORT_ERROR_GATE
 *   saying how many may not, or another error
 */
gboolean
dbw_export_check_gate (DbwStore      *store,
                       const char    *export_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(DbwExportRecord) record = NULL;
  g_autoptr(GHashTable) val_ids = NULL;
  sqlite3_stmt *stmt;
  gint64 n_failed = 0;
  gint64 n_checked = 0;
  int rc;

  g_return_val_if_fail (DBW_IS_STORE (store), FALSE);
  g_return_val_if_fail (export_id != NULL, FALSE);

  record = dbw_store_get (store, DBW_TYPE_EXPORT_RECORD, export_id, error);
  if (record == NULL)
    return FALSE;
  val_ids = val_ids_from_split_config (dbw_export_record_get_split_config (record));

  stmt = _dbw_store_prepare (store,
                             "SELECT e.value, p.status, p.allowed_uses, p.prohibited_uses "
                             "FROM json_each (?1) AS e LEFT JOIN qa_pairs AS p ON p.id = e.value",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dbw_export_record_get_qa_pair_ids (record), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *use = id != NULL && g_hash_table_contains (val_ids, id) ? DBW_USE_VALIDATION
                                                                        : dbw_export_record_get_use (record);
      int status;

      if ((++n_checked & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      /* A pair deleted since cannot be checked: it does not pass. */
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL ||
          !dbw_enum_from_nick (DBW_TYPE_QA_STATUS, (const char *) sqlite3_column_text (stmt, 1), &status) ||
          dbw_governance_check_json (status, (const char *) sqlite3_column_text (stmt, 2),
                                     (const char *) sqlite3_column_text (stmt, 3), use) != DBW_GATE_PASS)
        n_failed++;
    }
  _dbw_store_release (store, stmt);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "qa_pairs", error);
      return FALSE;
    }

  if (n_failed > 0)
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_GATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%" G_GINT64_FORMAT " pair of this export may no longer be used as it was: since the export it was prohibited, is no longer approved or was deleted. Export the training sheet again.",
                                "%" G_GINT64_FORMAT " pairs of this export may no longer be used as they were: since the export they were prohibited, are no longer approved or were deleted. Export the training sheet again.",
                                n_failed),
                   n_failed);
      return FALSE;
    }
  return TRUE;
}

/**
 * dbw_export_verify_file:
 * @file: a file an export wrote
 * @sha256: the SHA-256 in hex the export recorded for it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads @file in pieces and compares its SHA-256 with @sha256, so what is trained on or
 * uploaded is what the export's lineage says. Blocks: call it from a worker thread.
 *
 * Returns: %TRUE if the file is the export's; %FALSE with %DBW_EXPORT_ERROR_CHANGED
 *   naming the file when it is not, or an I/O error
 */
gboolean
dbw_export_verify_file (GFile         *file,
                        const char    *sha256,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (VERIFY_CHUNK);
  gssize n;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, VERIFY_CHUNK, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return FALSE;

  if (g_ascii_strcasecmp (g_checksum_get_string (checksum), sha256) != 0)
    {
      g_set_error (error, DBW_EXPORT_ERROR, DBW_EXPORT_ERROR_CHANGED,
                   _("%s is not the file the export wrote: it has changed since. Export again, or choose the folder that holds this export."),
                   g_file_peek_path (file));
      return FALSE;
    }

  return TRUE;
}

/* Split */

/* FNV-1a over the seed and the key, then a SplitMix64 finalizer: the same everywhere. */
static guint64
seeded_hash (guint64     seed,
             const char *key)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (guint i = 0; i < 8; i++)
    {
      h ^= (seed >> (i * 8)) & 0xff;
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  for (const char *p = key; *p != '\0'; p++)
    {
      h ^= (guchar) *p;
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  h ^= h >> 30;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 27;
  h *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  h ^= h >> 31;
  return h;
}

typedef struct
{
  const char *key;
  const char *stratum;
  guint64     order;
  guint       size;
  gboolean    is_val;
} SplitGroup;

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const SplitGroup *ga = *(const SplitGroup * const *) a;
  const SplitGroup *gb = *(const SplitGroup * const *) b;
  int by_stratum = strcmp (ga->stratum, gb->stratum);

  if (by_stratum != 0)
    return by_stratum;
  if (ga->order != gb->order)
    return ga->order < gb->order ? -1 : 1;
  return strcmp (ga->key, gb->key);
}

void
dbw_export_split (const char * const *group_keys,
                  const char * const *strata,
                  guint               n,
                  double              val_fraction,
                  guint64             seed,
                  gboolean           *is_val)
{
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  guint n_val_groups = 0;

  g_return_if_fail (n == 0 || (group_keys != NULL && is_val != NULL));

  for (guint i = 0; i < n; i++)
    is_val[i] = FALSE;
  if (n == 0 || !(val_fraction > 0))
    return;

  by_key = g_hash_table_new (g_str_hash, g_str_equal);
  groups = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      SplitGroup *group = g_hash_table_lookup (by_key, group_keys[i]);

      if (group == NULL)
        {
          group = g_new0 (SplitGroup, 1);
          group->key = group_keys[i];
          group->stratum = strata != NULL && strata[i] != NULL ? strata[i] : "";
          group->order = seeded_hash (seed, group->key);
          g_hash_table_insert (by_key, (gpointer) group->key, group);
          g_ptr_array_add (groups, group);
        }
      group->size++;
    }

  /* Within each stratum, in seeded order, a group goes to validation when that brings the
   * stratum's validation count nearer its share. */
  g_ptr_array_sort (groups, compare_groups);
  for (guint start = 0; start < groups->len;)
    {
      const char *stratum = ((SplitGroup *) g_ptr_array_index (groups, start))->stratum;
      guint end = start;
      guint total = 0;
      double target;
      guint val = 0;

      while (end < groups->len && strcmp (((SplitGroup *) g_ptr_array_index (groups, end))->stratum, stratum) == 0)
        total += ((SplitGroup *) g_ptr_array_index (groups, end++))->size;
      target = val_fraction * total;

      for (guint g = start; g < end; g++)
        {
          SplitGroup *group = g_ptr_array_index (groups, g);

          if (ABS ((double) (val + group->size) - target) < ABS ((double) val - target))
            {
              group->is_val = TRUE;
              val += group->size;
              n_val_groups++;
            }
        }
      start = end;
    }

  /* Two or more groups: never an empty side. */
  if (groups->len >= 2 && (n_val_groups == 0 || n_val_groups == groups->len))
    {
      SplitGroup *chosen = NULL;

      for (guint g = 0; g < groups->len; g++)
        {
          SplitGroup *group = g_ptr_array_index (groups, g);

          /* the smallest group moves, the first in seeded order among equals */
          if (group->is_val == (n_val_groups != 0) &&
              (chosen == NULL || group->size < chosen->size ||
               (group->size == chosen->size && group->order < chosen->order)))
            chosen = group;
        }
      chosen->is_val = !chosen->is_val;
    }

  for (guint i = 0; i < n; i++)
    is_val[i] = ((SplitGroup *) g_hash_table_lookup (by_key, group_keys[i]))->is_val;
}

/* Options, summaries, results */

gboolean
dbw_export_format_from_string (const char      *name,
                               DbwExportFormat *format)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        if (format != NULL)
          *format = (DbwExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
dbw_export_format_to_string (DbwExportFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);

  return format_names[format];
}

DbwExportOptions *
dbw_export_options_new (void)
{
  DbwExportOptions *options = g_new0 (DbwExportOptions, 1);

  options->use = g_strdup (DBW_USE_TRAINING);
  options->format = DBW_EXPORT_FORMAT_JSONL;
  return options;
}

DbwExportOptions *
dbw_export_options_copy (const DbwExportOptions *options)
{
  DbwExportOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_new0 (DbwExportOptions, 1);
  *copy = *options;
  copy->training_sheet_ids = g_strdupv (options->training_sheet_ids);
  copy->use = g_strdup (options->use);
  return copy;
}

void
dbw_export_options_free (DbwExportOptions *options)
{
  if (options == NULL)
    return;
  g_strfreev (options->training_sheet_ids);
  g_free (options->use);
  g_free (options);
}

void
dbw_export_summary_free (DbwExportSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->use);
  g_clear_pointer (&summary->reasons, g_ptr_array_unref);
  g_free (summary);
}

char *
dbw_export_summary_to_text (const DbwExportSummary *summary)
{
  GString *out;
  gint64 n_not_labeled;

  g_return_val_if_fail (summary != NULL, NULL);

  out = g_string_new (NULL);
  n_not_labeled = summary->n_unlabeled + summary->n_rejected + summary->n_flagged;

  g_string_append_printf (out, _("Use: %s\n"), summary->use);
  g_string_append_printf (out, _("Total: %" G_GINT64_FORMAT "\n"), summary->n_total);
  g_string_append_printf (out, _("Exported: %" G_GINT64_FORMAT "\n"), summary->n_exported);
  g_string_append_printf (out, _("Excluded, not labeled: %" G_GINT64_FORMAT
                                 " (unlabeled %" G_GINT64_FORMAT ", rejected %" G_GINT64_FORMAT
                                 ", flagged %" G_GINT64_FORMAT ")\n"),
                          n_not_labeled, summary->n_unlabeled, summary->n_rejected, summary->n_flagged);
  g_string_append_printf (out, _("Excluded, %s: %" G_GINT64_FORMAT "\n"),
                          dbw_gate_verdict_describe (DBW_GATE_PROHIBITED, summary->use), summary->n_prohibited);
  g_string_append_printf (out, _("Excluded, %s: %" G_GINT64_FORMAT "\n"),
                          dbw_gate_verdict_describe (DBW_GATE_NOT_ALLOWED, summary->use), summary->n_not_allowed);
  for (guint i = 0; summary->reasons != NULL && i < summary->reasons->len; i++)
    {
      DbwExportReason *reason = g_ptr_array_index (summary->reasons, i);

      if (reason->reason[0] == '\0')
        g_string_append_printf (out, _("  No reason given: %" G_GINT64_FORMAT "\n"), reason->count);
      else
        g_string_append_printf (out, _("  Reason “%s”: %" G_GINT64_FORMAT "\n"), reason->reason, reason->count);
    }
  g_string_append_printf (out, _("Train: %" G_GINT64_FORMAT "\n"), summary->n_train);
  g_string_append_printf (out, _("Validation: %" G_GINT64_FORMAT "\n"), summary->n_val);

  return g_string_free (out, FALSE);
}

void
dbw_export_result_free (DbwExportResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->summary, dbw_export_summary_free);
  g_free (result->export_id);
  g_clear_pointer (&result->files, g_ptr_array_unref);
  g_free (result);
}

/* The object */

static void
dbw_export_finalize (GObject *object)
{
  DbwExport *self = (DbwExport *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->options, dbw_export_options_free);

  G_OBJECT_CLASS (dbw_export_parent_class)->finalize (object);
}

static void
dbw_export_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DbwExport *self = DBW_EXPORT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_export_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DbwExport *self = DBW_EXPORT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_export_class_init (DbwExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_export_finalize;
  object_class->get_property = dbw_export_get_property;
  object_class->set_property = dbw_export_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DBW_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwExport:progress:
   *
   * How far the running summary or write is, 0–1.
   */
  properties [PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_export_init (DbwExport *self)
{
}

DbwExport *
dbw_export_new (DbwStore               *store,
                const DbwExportOptions *options)
{
  DbwExport *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (DBW_TYPE_EXPORT, "store", store, NULL);
  self->options = dbw_export_options_copy (options);
  return self;
}

const DbwExportOptions *
dbw_export_get_options (DbwExport *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT (self), NULL);

  return self->options;
}

double
dbw_export_get_progress (DbwExport *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT (self), 0.0);

  return self->progress;
}

DbwExportSummary *
dbw_export_summarize (DbwExport     *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  Job *job;
  DbwExportSummary *summary;

  g_return_val_if_fail (DBW_IS_EXPORT (self), NULL);

  job = job_new (self, NULL, FALSE);
  summary = run_summarize (self->store, self->options, job, cancellable, error);
  job_free (job);
  return summary;
}

static void
summarize_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DbwExportSummary *summary;

  if (!(store = dbw_store_open_connection (job->main_store, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  summary = run_summarize (store, job->options, job, cancellable, &error);
  if (summary == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) dbw_export_summary_free);
}

void
dbw_export_summarize_async (DbwExport           *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DBW_IS_EXPORT (self));

  set_progress (self, 0.0);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) summarize_tag);
  g_task_set_task_data (task, job_new (self, NULL, TRUE), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, summarize_thread);
}

DbwExportSummary *
dbw_export_summarize_finish (DbwExport     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (DBW_IS_EXPORT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

DbwExportResult *
dbw_export_write (DbwExport     *self,
                  GFile         *directory,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Job *job;
  DbwExportResult *result;

  g_return_val_if_fail (DBW_IS_EXPORT (self), NULL);
  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  job = job_new (self, directory, FALSE);
  result = run_write (self->store, self->options, directory, job, cancellable, error);
  job_free (job);
  return result;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DbwExportResult *result;

  if (!(store = dbw_store_open_connection (job->main_store, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dbw_store_set_user (store, job->user);

  result = run_write (store, job->options, job->directory, job, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) dbw_export_result_free);
}

/* Back on the main context: the pages listening to the store learn of the new export. */
static void
on_write_done_cb (GObject      *source_object,
                  GAsyncResult *inner,
                  gpointer      user_data)
{
  DbwExport *self = DBW_EXPORT (source_object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  DbwExportResult *result;

  result = g_task_propagate_pointer (G_TASK (inner), &error);
  if (result == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dbw_store_emit_changed (self->store, "exports", DBW_CHANGE_INSERTED, result->export_id);
  g_task_return_pointer (task, result, (GDestroyNotify) dbw_export_result_free);
}

void
dbw_export_write_async (DbwExport           *self,
                        GFile               *directory,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) inner = NULL;

  g_return_if_fail (DBW_IS_EXPORT (self));
  g_return_if_fail (G_IS_FILE (directory));

  set_progress (self, 0.0);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) write_tag);
  /* The worker checks cancellation up to its commit; once committed, the export is done
   * and is reported so, whenever Cancel was pressed. */
  g_task_set_check_cancellable (task, FALSE);

  inner = g_task_new (self, cancellable, on_write_done_cb, task);
  g_task_set_task_data (inner, job_new (self, directory, TRUE), (GDestroyNotify) job_free);
  g_task_set_check_cancellable (inner, FALSE);
  /* a write that has begun its renames finishes them; cancellation is checked before */
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_run_in_thread (inner, write_thread);
}

DbwExportResult *
dbw_export_write_finish (DbwExport     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (DBW_IS_EXPORT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
