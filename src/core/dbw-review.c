/* dbw-review.c
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

#define G_LOG_DOMAIN "dbw-review"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dbw-canonical-ops.h"
#include "dbw-enums.h"
#include "dbw-json-schema.h"
#include "dbw-json-text.h"
#include "dbw-pair-builder.h"
#include "dbw-qa-pair.h"
#include "dbw-record-private.h"
#include "dbw-review.h"
#include "dbw-store-private.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"

/* A step of the undo history keeps every row it touched as it was before and after. Undo
 * writes the "before" rows, redo the "after" rows, each in one transaction. A row that no
 * longer looks the way the step left it (every column but the ones the store stamps compared)
 * was changed by someone else: the step is refused as a conflict rather than overwrite that
 * change. Comparing content, not timestamps, lets two steps on the same pair be undone in turn.
 *
 * A step may hold 100,000 pairs, so a pair's change keeps only the columns the decision
 * changed, before and after, and a digest of the rest of the row, which it left as it was.
 * Undo and redo start from the row as stored: if the changed columns hold what the step left
 * and the rest still has its digest, the other side's values are written over them.
 * Canonical labels, far fewer, are kept whole.
 *
 * Restored rows get a new updated_at: the undo is the newest change of the row, and sync
 * (last writer wins on updated_at) must see it as such. Canonical label versions only go up:
 * undoing an update saves the old content as the next version. */

/* How many steps undo remembers. */
#define MAX_STEPS 200

typedef struct
{
  char   *id;
  guint   n_changed;
  guint  *changed;     /* indexes of the changed columns in the class's columns */
  GValue *values;      /* their values: n_changed before, then n_changed after */
  guint8  rest[16];    /* MD5 of the other columns, but the stamped ones and the label */
  char   *rest_label_id; /* the canonical_label_id when the decision left it alone */
} PairChange;

typedef struct
{
  char              *id;
  DbwCanonicalLabel *before;  /* NULL when the step created the label */
  DbwCanonicalLabel *after;
} LabelChange;

typedef struct
{
  DbwReviewDecision  decision;
  GPtrArray         *pairs;       /* of PairChange, in decision order */
  GPtrArray         *labels;      /* of LabelChange, one per label */
  GHashTable        *pair_ids;    /* pair id → PairChange, for bulk steps */
  GHashTable        *label_ids;   /* label id → LabelChange */
} Step;

/* Where a pair comes from: its training sheet's sheet and template, and the template's
 * output schema, parsed. */
typedef struct
{
  char        *sheet_id;
  DbwTemplate *tmpl;      /* NULL: the training sheet has no template */
  JsonNode    *schema;    /* NULL: any answer fits */
} Origin;

typedef enum
{
  JOB_DECIDE,
  JOB_UNDO,
  JOB_REDO,
} JobKind;

/* A decision on many pairs, or the undo or redo of one, running in a worker on a
 * connection of its own. The worker owns the step until it returns. */
typedef struct
{
  JobKind            kind;
  DbwStore          *main_store;
  char              *user;
  Step              *step;       /* JOB_DECIDE: the new step, else the queue's head */
  GStrv              pair_ids;
  char              *text;
  GHashTable        *renames;    /* the review's label renames, read in the worker */
  GHashTable        *new_renames;  /* the job's, merged into the review's once settled */
  int                total;      /* units of work, for the progress */
  int                done;       /* atomic: units done so far */
} Job;

/* What one decision, undo or redo works with: the connection, the origins read so far
 * (training sheet id → Origin), and, in a worker, its job, to count progress and stop when
 * cancelled. */
typedef struct
{
  DbwStore     *store;
  GHashTable   *origins;
  Job          *job;
  GCancellable *cancellable;
  GHashTable   *renames;      /* the review's: label id → the id it was created again under */
  GHashTable   *new_renames;  /* this work's, for the review's once committed */
} Work;

struct _DbwReview
{
  GObject   parent_instance;

  DbwStore *store;
  GQueue    undo;   /* of Step, newest first */
  GQueue    redo;   /* of Step, next to redo first */

  gboolean  can_undo;
  gboolean  can_redo;
  char     *undo_description;
  char     *redo_description;

  /* A label a redo created again has a new id; every step that kept the old one, in
   * either queue, finds the new one here. Read and written only while no job runs, or by
   * the job. */
  GHashTable *label_renames;

  Job      *job;            /* the one running, or NULL */
  guint     progress_source;
  double    progress;
};

G_DEFINE_FINAL_TYPE (DbwReview, dbw_review, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-review-error-quark, dbw_review_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_DESCRIPTION,
  PROP_REDO_DESCRIPTION,
  PROP_BUSY,
  PROP_PROGRESS,
  N_PROPS
};

enum {
  DECIDED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* Steps */

static void
pair_change_free (gpointer data)
{
  PairChange *change = data;

  for (guint i = 0; i < 2 * change->n_changed; i++)
    g_value_unset (&change->values[i]);
  g_free (change->values);
  g_free (change->changed);
  g_free (change->rest_label_id);
  g_free (change->id);
  g_free (change);
}

static void
label_change_free (gpointer data)
{
  LabelChange *change = data;

  g_free (change->id);
  g_clear_object (&change->before);
  g_clear_object (&change->after);
  g_free (change);
}

static const char *
pair_change_get_id (PairChange *change)
{
  return change->id;
}

static Step *
step_new (DbwReviewDecision decision)
{
  Step *step = g_new0 (Step, 1);

  step->decision = decision;
  step->pairs = g_ptr_array_new_with_free_func (pair_change_free);
  step->labels = g_ptr_array_new_with_free_func (label_change_free);
  step->pair_ids = g_hash_table_new (g_str_hash, g_str_equal);
  step->label_ids = g_hash_table_new (g_str_hash, g_str_equal);

  return step;
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_hash_table_unref (step->pair_ids);
  g_hash_table_unref (step->label_ids);
  g_ptr_array_unref (step->pairs);
  g_ptr_array_unref (step->labels);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Step, step_free)

static gboolean
step_has_pair (Step       *step,
               const char *pair_id)
{
  return g_hash_table_contains (step->pair_ids, pair_id);
}

/* What changed is filled in by pair_change_set() once the decision is stored. */
static PairChange *
step_add_pair (Step       *step,
               const char *pair_id)
{
  PairChange *change = g_new0 (PairChange, 1);

  change->id = g_strdup (pair_id);
  g_ptr_array_add (step->pairs, change);
  g_hash_table_insert (step->pair_ids, (gpointer) pair_change_get_id (change), change);

  return change;
}

/* The first change of a label in a step keeps its "before"; the last one sets its "after". */
static void
step_record_label (Step              *step,
                   const char        *id,
                   DbwCanonicalLabel *before,
                   DbwCanonicalLabel *after)
{
  LabelChange *change = g_hash_table_lookup (step->label_ids, id);

  if (change != NULL)
    {
      g_set_object (&change->after, after);
      return;
    }

  change = g_new0 (LabelChange, 1);
  change->id = g_strdup (id);
  change->before = before != NULL ? g_object_ref (before) : NULL;
  change->after = g_object_ref (after);
  g_ptr_array_add (step->labels, change);
  g_hash_table_insert (step->label_ids, change->id, change);
}

/* Work */

static void
origin_free (gpointer data)
{
  Origin *origin = data;

  g_free (origin->sheet_id);
  g_clear_object (&origin->tmpl);
  g_clear_pointer (&origin->schema, json_node_unref);
  g_free (origin);
}

static GHashTable *
renames_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
work_init (Work         *work,
           DbwStore     *store,
           GHashTable   *renames,
           Job          *job,
           GCancellable *cancellable)
{
  work->store = store;
  work->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, origin_free);
  work->job = job;
  work->cancellable = cancellable;
  work->renames = renames;
  work->new_renames = renames_new ();
}

static void
work_clear (Work *work)
{
  g_clear_pointer (&work->origins, g_hash_table_unref);
  g_clear_pointer (&work->new_renames, g_hash_table_unref);
}

/* The id @label_id goes by now: a label is created again under a new id each time a step
 * that created it is redone. */
static const char *
work_resolve_label (Work       *work,
                    const char *label_id)
{
  guint limit = g_hash_table_size (work->renames) + g_hash_table_size (work->new_renames);

  for (guint i = 0; label_id != NULL && i <= limit; i++)
    {
      const char *next = g_hash_table_lookup (work->new_renames, label_id);

      if (next == NULL)
        next = g_hash_table_lookup (work->renames, label_id);
      if (next == NULL)
        break;
      label_id = next;
    }

  return label_id;
}

static void
merge_renames (GHashTable *into,
               GHashTable *renames)
{
  GHashTableIter iter;
  gpointer old_id, new_id;

  g_hash_table_iter_init (&iter, renames);
  while (g_hash_table_iter_next (&iter, &old_id, &new_id))
    g_hash_table_insert (into, g_strdup (old_id), g_strdup (new_id));
}

/* Counts one unit of a job's work; fails once the job is cancelled. */
static gboolean
work_done_one (Work    *work,
               GError **error)
{
  if (work->job == NULL)
    return TRUE;

  g_atomic_int_inc (&work->job->done);
  return !g_cancellable_set_error_if_cancelled (work->cancellable, error);
}

static char *
describe_step (Step     *step,
               gboolean  redo)
{
  guint n = step->pairs->len;

  switch (step->decision)
    {
    case DBW_REVIEW_DECISION_APPROVE:
      if (n == 1)
        return g_strdup (redo ? _("Redo Approve") : _("Undo Approve"));
      return g_strdup_printf (redo ? g_dngettext (GETTEXT_PACKAGE, "Redo Approve of %u Pair", "Redo Approve of %u Pairs", n)
                                   : g_dngettext (GETTEXT_PACKAGE, "Undo Approve of %u Pair", "Undo Approve of %u Pairs", n), n);

    case DBW_REVIEW_DECISION_EDIT:
      return g_strdup (redo ? _("Redo Edit") : _("Undo Edit"));

    case DBW_REVIEW_DECISION_REJECT:
      if (n == 1)
        return g_strdup (redo ? _("Redo Reject") : _("Undo Reject"));
      return g_strdup_printf (redo ? g_dngettext (GETTEXT_PACKAGE, "Redo Reject of %u Pair", "Redo Reject of %u Pairs", n)
                                   : g_dngettext (GETTEXT_PACKAGE, "Undo Reject of %u Pair", "Undo Reject of %u Pairs", n), n);

    case DBW_REVIEW_DECISION_FLAG:
    default:
      if (n == 1)
        return g_strdup (redo ? _("Redo Flag") : _("Undo Flag"));
      return g_strdup_printf (redo ? g_dngettext (GETTEXT_PACKAGE, "Redo Flag of %u Pair", "Redo Flag of %u Pairs", n)
                                   : g_dngettext (GETTEXT_PACKAGE, "Undo Flag of %u Pair", "Undo Flag of %u Pairs", n), n);
    }
}

static void
set_description (DbwReview  *self,
                 char      **field,
                 GQueue     *queue,
                 gboolean    redo,
                 guint       prop_id)
{
  Step *step = g_queue_peek_head (queue);
  g_autofree char *text = step != NULL ? describe_step (step, redo) : NULL;

  if (g_strcmp0 (*field, text) == 0)
    return;

  g_free (*field);
  *field = g_steal_pointer (&text);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

/* Notifies whatever the last change of the stacks changed. */
static void
update_state (DbwReview *self)
{
  gboolean can_undo = !g_queue_is_empty (&self->undo);
  gboolean can_redo = !g_queue_is_empty (&self->redo);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->can_undo != can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_UNDO]);
    }
  if (self->can_redo != can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_REDO]);
    }
  set_description (self, &self->undo_description, &self->undo, FALSE, PROP_UNDO_DESCRIPTION);
  set_description (self, &self->redo_description, &self->redo, TRUE, PROP_REDO_DESCRIPTION);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_queue (GQueue *queue)
{
  Step *step;

  while ((step = g_queue_pop_head (queue)) != NULL)
    step_free (step);
}

static void
push_undo (DbwReview *self,
           Step      *step)
{
  g_queue_push_head (&self->undo, step);
  while (g_queue_get_length (&self->undo) > MAX_STEPS)
    step_free (g_queue_pop_tail (&self->undo));
}

/* The ids are copied first: a handler may make a new decision, which frees redo steps. */
static void
emit_decided (DbwReview *self,
              Step      *step)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) ids = NULL;

  /* A step of 100,000 pairs would copy every id for nobody. */
  if (!g_signal_has_handler_pending (self, signals [DECIDED], 0, TRUE))
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < step->pairs->len; i++)
    g_strv_builder_add (builder, pair_change_get_id (g_ptr_array_index (step->pairs, i)));
  ids = g_strv_builder_end (builder);

  for (guint i = 0; ids[i] != NULL; i++)
    g_signal_emit (self, signals [DECIDED], 0, ids[i]);
}

/* Messages */

static JsonNode *
parse_messages (DbwQaPair *pair)
{
  const char *text = dbw_qa_pair_get_messages (pair);
  JsonNode *node = text != NULL ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, json_array_new ());
    }

  return node;
}

static JsonObject *
find_last_assistant (JsonArray *messages)
{
  for (guint i = json_array_get_length (messages); i > 0; i--)
    {
      JsonNode *element = json_array_get_element (messages, i - 1);
      JsonObject *message;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      message = json_node_get_object (element);
      if (g_strcmp0 (json_object_get_string_member_with_default (message, "role", NULL), "assistant") == 0)
        return message;
    }

  return NULL;
}

static char *
dup_answer (DbwQaPair *pair)
{
  g_autoptr(JsonNode) messages = parse_messages (pair);
  JsonObject *message = find_last_assistant (json_node_get_array (messages));

  if (message == NULL)
    return NULL;

  return g_strdup (json_object_get_string_member_with_default (message, "content", NULL));
}

static void
set_answer (DbwQaPair  *pair,
            const char *content)
{
  g_autoptr(JsonNode) messages = parse_messages (pair);
  JsonArray *array = json_node_get_array (messages);
  JsonObject *message = find_last_assistant (array);
  g_autofree char *text = NULL;

  if (message == NULL)
    {
      message = json_object_new ();
      json_object_set_string_member (message, "role", "assistant");
      json_array_add_object_element (array, message);
    }
  json_object_set_string_member (message, "content", content);

  text = dbw_json_to_compact (messages);
  dbw_qa_pair_set_messages (pair, text);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

/* Reading rows */

static DbwQaPair *
get_pair (DbwStore    *store,
          const char  *pair_id,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  DbwQaPair *pair = dbw_store_get (store, DBW_TYPE_QA_PAIR, pair_id, &local_error);

  if (pair == NULL && g_error_matches (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
    g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_NOT_FOUND,
                 _("The Q&A pair “%s” no longer exists"), pair_id);
  else if (pair == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return pair;
}

/* (nullable): the label, or %NULL when it does not exist (with @error unset). */
static DbwCanonicalLabel *
get_label (DbwStore    *store,
           const char  *label_id,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  DbwCanonicalLabel *label = dbw_store_get (store, DBW_TYPE_CANONICAL_LABEL, label_id, &local_error);

  if (label == NULL && !g_error_matches (local_error, DBW_STORE_ERROR, DBW_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return label;
}

/* Comparing rows */

static void
get_column (DbwRecord  *record,
            GParamSpec *pspec,
            GValue     *value)
{
  g_value_init (value, pspec->value_type);
  g_object_get_property (G_OBJECT (record), pspec->name, value);
}

/* The columns the store sets on its own, whatever was written. */
static gboolean
is_stamped (GParamSpec *pspec)
{
  const char *name = dbw_column_get_name (pspec);

  return g_str_equal (name, "updated_at") || g_str_equal (name, "version") ||
         g_str_equal (name, "last_modified_by") || g_str_equal (name, "last_modified_at");
}

/* The indexes of the columns in which @a and @b differ, but those the store stamps. */
static GArray *
get_changed_columns (DbwRecord *a,
                     DbwRecord *b)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (a);
  GArray *changed = _dbw_record_get_changed_columns (a, b);

  for (guint i = changed->len; i > 0; i--)
    if (is_stamped (dbw_record_class_get_column (klass, g_array_index (changed, guint, i - 1))))
      g_array_remove_index (changed, i - 1);

  return changed;
}

/* Whether @current still is @expected, every column but those the store stamps on its own.
 * Both may be %NULL (the row does not exist). */
static gboolean
same_row (DbwRecord *current,
          DbwRecord *expected)
{
  g_autoptr(GArray) changed = NULL;

  if (current == NULL || expected == NULL)
    return current == expected;

  changed = get_changed_columns (current, expected);
  return changed->len == 0;
}

/* Pair changes */

static void
digest_value (GChecksum    *checksum,
              const GValue *value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_STRING:
      {
        const char *text = g_value_get_string (value);
        /* NULL and "" differ. */
        guchar present = text != NULL;

        g_checksum_update (checksum, &present, 1);
        if (text != NULL)
          g_checksum_update (checksum, (const guchar *) text, strlen (text) + 1);
        break;
      }
    case G_TYPE_DOUBLE:
      {
        double number = g_value_get_double (value);

        g_checksum_update (checksum, (const guchar *) &number, sizeof number);
        break;
      }
    case G_TYPE_INT64:
      {
        gint64 number = g_value_get_int64 (value);

        g_checksum_update (checksum, (const guchar *) &number, sizeof number);
        break;
      }
    case G_TYPE_UINT64:
      {
        guint64 number = g_value_get_uint64 (value);

        g_checksum_update (checksum, (const guchar *) &number, sizeof number);
        break;
      }
    case G_TYPE_FLOAT:
      {
        float number = g_value_get_float (value);

        g_checksum_update (checksum, (const guchar *) &number, sizeof number);
        break;
      }
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_BOOLEAN:
      {
        gint64 number = G_VALUE_HOLDS_ENUM (value) ? g_value_get_enum (value) :
                        G_VALUE_HOLDS_FLAGS (value) ? (gint64) g_value_get_flags (value) :
                        G_VALUE_HOLDS_INT (value) ? g_value_get_int (value) :
                        G_VALUE_HOLDS_UINT (value) ? (gint64) g_value_get_uint (value) : g_value_get_boolean (value);

        g_checksum_update (checksum, (const guchar *) &number, sizeof number);
        break;
      }
    default:
      if (G_VALUE_HOLDS (value, G_TYPE_STRV))
        {
          const char * const *strv = g_value_get_boxed (value);
          /* NULL and empty are the same list, as _dbw_record_values_equal() has it. */
          guint32 n = strv != NULL ? g_strv_length ((char **) strv) : 0;

          g_checksum_update (checksum, (const guchar *) &n, sizeof n);
          for (guint i = 0; i < n; i++)
            g_checksum_update (checksum, (const guchar *) strv[i], strlen (strv[i]) + 1);
        }
      else
        {
          /* No record column has another type; a boxed one would need its own case, as
           * its contents print as an address. */
          g_autofree char *contents = g_strdup_value_contents (value);

          g_checksum_update (checksum, (const guchar *) contents, strlen (contents) + 1);
        }
      break;
    }
}

static gboolean
is_changed_column (const PairChange *change,
                   guint             column)
{
  for (guint i = 0; i < change->n_changed; i++)
    if (change->changed[i] == column)
      return TRUE;
  return FALSE;
}

static gboolean
is_label_column (GParamSpec *pspec)
{
  return g_str_equal (dbw_column_get_name (pspec), "canonical_label_id");
}

/* The digest of @pair's columns that @change did not change, but the stamped ones and its
 * label's id, which a redo of an earlier step may have renamed (see rest_label_id). */
static void
digest_rest (const PairChange *change,
             DbwQaPair        *pair,
             guint8            digest[16])
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (pair);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  gsize length = 16;

  for (guint i = 0; i < dbw_record_class_get_n_columns (klass); i++)
    {
      GParamSpec *pspec = dbw_record_class_get_column (klass, i);
      g_auto(GValue) value = G_VALUE_INIT;

      if (is_stamped (pspec) || is_changed_column (change, i) || is_label_column (pspec))
        continue;
      get_column (DBW_RECORD (pair), pspec, &value);
      g_checksum_update (checksum, (const guchar *) &i, sizeof i);
      digest_value (checksum, &value);
    }

  g_checksum_get_digest (checksum, digest, &length);
}

/* Keeps what the decision changed of the pair, @before as read and @after as stored. */
static void
pair_change_set (PairChange *change,
                 DbwQaPair  *before,
                 DbwQaPair  *after)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (before);
  g_autoptr(GArray) changed = get_changed_columns (DBW_RECORD (after), DBW_RECORD (before));

  change->n_changed = changed->len;
  change->changed = g_memdup2 (changed->data, changed->len * sizeof (guint));
  change->values = g_new0 (GValue, 2 * changed->len);
  for (guint i = 0; i < changed->len; i++)
    {
      GParamSpec *pspec = dbw_record_class_get_column (klass, change->changed[i]);

      get_column (DBW_RECORD (before), pspec, &change->values[i]);
      get_column (DBW_RECORD (after), pspec, &change->values[changed->len + i]);
    }

  digest_rest (change, after, change->rest);
  g_free (change->rest_label_id);
  change->rest_label_id = g_strdup (dbw_qa_pair_get_canonical_label_id (after));
}

static GValue *
pair_change_get_value (PairChange *change,
                       guint       index,
                       gboolean    after)
{
  return &change->values[after ? change->n_changed + index : index];
}

/* What the step keeps for its @index-th changed column on the @after side (or before), with
 * a label id as the label goes by now. */
static void
pair_change_get_kept (Work       *work,
                      PairChange *change,
                      GParamSpec *pspec,
                      guint       index,
                      gboolean    after,
                      GValue     *value)
{
  const GValue *kept = pair_change_get_value (change, index, after);

  g_value_init (value, G_VALUE_TYPE (kept));
  g_value_copy (kept, value);
  if (is_label_column (pspec) && g_value_get_string (kept) != NULL)
    g_value_set_string (value, work_resolve_label (work, g_value_get_string (kept)));
}

/* Whether @current is the pair as the step left it on the @after side (or before it). */
static gboolean
pair_change_matches (Work       *work,
                     PairChange *change,
                     DbwQaPair  *current,
                     gboolean    after)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (current);
  guint8 rest[16];

  for (guint i = 0; i < change->n_changed; i++)
    {
      GParamSpec *pspec = dbw_record_class_get_column (klass, change->changed[i]);
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) kept = G_VALUE_INIT;

      get_column (DBW_RECORD (current), pspec, &value);
      pair_change_get_kept (work, change, pspec, i, after, &kept);
      if (!_dbw_record_values_equal (pspec, &value, &kept))
        return FALSE;
    }

  digest_rest (change, current, rest);
  if (memcmp (rest, change->rest, sizeof rest) != 0)
    return FALSE;

  /* Unless the decision changed it, the pair's label is the one it had, as it goes by now. */
  for (guint i = 0; i < change->n_changed; i++)
    if (is_label_column (dbw_record_class_get_column (klass, change->changed[i])))
      return TRUE;
  return g_strcmp0 (dbw_qa_pair_get_canonical_label_id (current),
                    work_resolve_label (work, change->rest_label_id)) == 0;
}

/* Sets the changed columns of @pair to their values on the @after side (or before). */
static void
pair_change_apply (Work       *work,
                   PairChange *change,
                   DbwQaPair  *pair,
                   gboolean    after)
{
  DbwRecordClass *klass = DBW_RECORD_GET_CLASS (pair);

  for (guint i = 0; i < change->n_changed; i++)
    {
      GParamSpec *pspec = dbw_record_class_get_column (klass, change->changed[i]);
      g_auto(GValue) kept = G_VALUE_INIT;

      pair_change_get_kept (work, change, pspec, i, after, &kept);
      g_object_set_property (G_OBJECT (pair), pspec->name, &kept);
    }
}

/* Same JSON, whatever the spacing. */
static gboolean
same_label_data (const char *a,
                 const char *b)
{
  g_autoptr(JsonNode) na = a != NULL ? json_from_string (a, NULL) : NULL;
  g_autoptr(JsonNode) nb = b != NULL ? json_from_string (b, NULL) : NULL;
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  if (na == NULL || nb == NULL)
    return g_strcmp0 (a, b) == 0;

  ca = dbw_json_to_compact (na);
  cb = dbw_json_to_compact (nb);

  return g_str_equal (ca, cb);
}

/* Whether @label already gives the answer @content (whose label data is @label_data): the
 * same JSON, or, for a label that is neither text nor an object (a number), the same text. */
static gboolean
label_says (DbwCanonicalLabel *label,
            const char        *content,
            const char        *label_data)
{
  g_autofree char *answer = NULL;

  if (same_label_data (dbw_canonical_label_get_label_data (label), label_data))
    return TRUE;

  answer = dbw_pair_builder_label_content (label);
  return g_strcmp0 (answer, content) == 0;
}

/* Writing labels */

static void
copy_label_content (DbwCanonicalLabel *to,
                    DbwCanonicalLabel *from)
{
  dbw_canonical_label_set_label_data (to, dbw_canonical_label_get_label_data (from));
  dbw_canonical_label_set_confidence (to, dbw_canonical_label_get_confidence (from));
  dbw_canonical_label_set_notes (to, dbw_canonical_label_get_notes (from));
  dbw_canonical_label_set_allowed_uses (to, dbw_canonical_label_get_allowed_uses (from));
  dbw_canonical_label_set_prohibited_uses (to, dbw_canonical_label_get_prohibited_uses (from));
  dbw_canonical_label_set_usage_reason (to, dbw_canonical_label_get_usage_reason (from));
  dbw_canonical_label_set_data_classification (to, dbw_canonical_label_get_data_classification (from));
}

/* Saves @label's changed content as its next version, by the current user. */
static gboolean
update_label (DbwStore           *store,
              DbwCanonicalLabel  *label,
              GError            **error)
{
  dbw_canonical_label_set_last_modified_by (label, dbw_store_get_user (store));

  return dbw_store_update (store, label, error);
}

/* Makes the stored label @id hold @target's content: deleted when @target is %NULL,
 * a new version when it differs. */
static gboolean
write_label (DbwStore           *store,
             const char         *id,
             DbwCanonicalLabel  *target,
             GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DbwCanonicalLabel) current = get_label (store, id, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (target == NULL)
    return current == NULL || dbw_store_delete (store, DBW_TYPE_CANONICAL_LABEL, id, error);

  if (current == NULL)
    {
      g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT,
                   _("The canonical label was deleted since"));
      return FALSE;
    }

  if (same_row (DBW_RECORD (current), DBW_RECORD (target)))
    return TRUE;

  copy_label_content (current, target);
  return update_label (store, current, error);
}

/* Deciding */

static gboolean
check_answer (const Origin  *origin,
              DbwQaPair     *pair,
              const char    *content,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (is_blank (content))
    {
      g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID,
                   _("The Q&A pair of “%s” has no answer to approve; write one first"),
                   dbw_qa_pair_get_item_ref (pair));
      return FALSE;
    }

  if (origin->schema == NULL)
    return TRUE;

  if (!dbw_json_schema_validate_text (origin->schema, content, &local_error))
    {
      /* Translators: The answer for “row_7” does not fit the output schema of the template “Climate”: … */
      g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID,
                   _("The answer for “%s” does not fit the output schema of the template “%s”: %s"),
                   dbw_qa_pair_get_item_ref (pair), dbw_template_get_name (origin->tmpl), local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* The sheet the pair's item comes from, its training sheet's template and that template's
 * output schema, read once for each training sheet in a run: nothing in a run changes
 * them. */
static const Origin *
lookup_origin (Work       *work,
               DbwQaPair  *pair,
               GError    **error)
{
  g_autoptr(DbwTrainingSheet) training_sheet = NULL;
  const char *training_sheet_id = dbw_qa_pair_get_training_sheet_id (pair);
  const char *template_id;
  const char *schema_text;
  Origin *origin;

  if (training_sheet_id != NULL && (origin = g_hash_table_lookup (work->origins, training_sheet_id)) != NULL)
    return origin;

  if (training_sheet_id != NULL)
    training_sheet = dbw_store_get (work->store, DBW_TYPE_TRAINING_SHEET, training_sheet_id, NULL);
  if (training_sheet == NULL)
    {
      g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_NOT_FOUND,
                   _("The training sheet of the Q&A pair “%s” no longer exists"),
                   dbw_record_get_id (DBW_RECORD (pair)));
      return NULL;
    }

  origin = g_new0 (Origin, 1);
  origin->sheet_id = g_strdup (dbw_training_sheet_get_sheet_id (training_sheet));

  template_id = dbw_training_sheet_get_template_id (training_sheet);
  if (template_id != NULL)
    {
      origin->tmpl = dbw_store_get (work->store, DBW_TYPE_TEMPLATE, template_id, error);
      if (origin->tmpl == NULL)
        {
          origin_free (origin);
          return NULL;
        }

      schema_text = dbw_template_get_output_schema (origin->tmpl);
      if (!is_blank (schema_text))
        origin->schema = json_from_string (schema_text, NULL);
      /* {} accepts any text. */
      if (origin->schema != NULL && JSON_NODE_HOLDS_OBJECT (origin->schema) &&
          json_object_get_size (json_node_get_object (origin->schema)) == 0)
        g_clear_pointer (&origin->schema, json_node_unref);
    }

  g_hash_table_insert (work->origins, g_strdup (training_sheet_id), origin);

  return origin;
}

static DbwCanonicalLabel *
new_label_for_pair (DbwStore    *store,
                    DbwQaPair   *pair,
                    const char  *sheet_id,
                    DbwTemplate *tmpl,
                    const char  *label_data)
{
  DbwCanonicalLabel *label = dbw_canonical_label_new ();
  g_autofree char *now = _dbw_store_now (store);

  dbw_canonical_label_set_sheet_id (label, sheet_id);
  dbw_canonical_label_set_item_ref (label, dbw_qa_pair_get_item_ref (pair));
  dbw_canonical_label_set_label_type (label, dbw_template_get_label_type (tmpl));
  dbw_canonical_label_set_label_data (label, label_data);
  dbw_canonical_label_set_confidence (label, DBW_CONFIDENCE_HIGH);
  dbw_canonical_label_set_allowed_uses (label, dbw_qa_pair_get_allowed_uses (pair));
  dbw_canonical_label_set_prohibited_uses (label, dbw_qa_pair_get_prohibited_uses (pair));
  dbw_canonical_label_set_usage_reason (label, dbw_qa_pair_get_usage_reason (pair));
  dbw_canonical_label_set_data_classification (label, dbw_qa_pair_get_data_classification (pair));
  dbw_canonical_label_set_labeled_by (label, dbw_store_get_user (store));
  dbw_canonical_label_set_labeled_at (label, now);
  dbw_canonical_label_set_version (label, 1);

  return label;
}

/* A pair that reuses an item's label is held to what the label prohibits, as a pair
 * generated from it would be: the uses it prohibits, and at least its classification. */
static void
restrict_pair_by_label (DbwQaPair         *pair,
                        DbwCanonicalLabel *label)
{
  const char * const *uses = dbw_use_all ();
  const char * const *by_label = dbw_canonical_label_get_prohibited_uses (label);
  const char * const *allowed = dbw_qa_pair_get_allowed_uses (pair);
  const char * const *prohibited = dbw_qa_pair_get_prohibited_uses (pair);
  g_autoptr(GStrvBuilder) new_allowed = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) new_prohibited = g_strv_builder_new ();
  g_auto(GStrv) allowed_list = NULL;
  g_auto(GStrv) prohibited_list = NULL;
  gboolean changed = FALSE;

  for (guint i = 0; uses[i] != NULL; i++)
    {
      gboolean label_prohibits = by_label != NULL && g_strv_contains (by_label, uses[i]);
      gboolean was_prohibited = prohibited != NULL && g_strv_contains (prohibited, uses[i]);
      gboolean was_allowed = allowed != NULL && g_strv_contains (allowed, uses[i]);

      if (was_prohibited || label_prohibits)
        g_strv_builder_add (new_prohibited, uses[i]);
      if (was_allowed && !label_prohibits)
        g_strv_builder_add (new_allowed, uses[i]);
      changed |= label_prohibits && (!was_prohibited || was_allowed);
    }

  if (dbw_canonical_label_get_data_classification (label) > dbw_qa_pair_get_data_classification (pair))
    {
      dbw_qa_pair_set_data_classification (pair, dbw_canonical_label_get_data_classification (label));
      changed = TRUE;
    }
  if (!changed)
    return;

  allowed_list = g_strv_builder_end (new_allowed);
  prohibited_list = g_strv_builder_end (new_prohibited);
  dbw_qa_pair_set_allowed_uses (pair, (const char * const *) allowed_list);
  dbw_qa_pair_set_prohibited_uses (pair, (const char * const *) prohibited_list);
  dbw_qa_pair_set_usage_reason (pair, dbw_canonical_label_get_usage_reason (label));
}

/* Label once, reuse everywhere: the approved answer becomes the item's canonical label, or
 * its next version when the label says something else. An existing label keeps its usage
 * constraints: they were decided for the label, and change only with a reason (Mode B);
 * the pair takes what the label prohibits. */
static gboolean
save_canonical (DbwStore     *store,
                Step         *step,
                DbwQaPair    *pair,
                const char   *sheet_id,
                DbwTemplate  *tmpl,
                const char   *content,
                GError      **error)
{
  g_autofree char *label_data = dbw_review_label_data_for_content (content);
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwCanonicalLabel) before = NULL;
  g_autoptr(DbwCanonicalLabel) after = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean created = FALSE;
  const char *id;

  label = dbw_canonical_ops_lookup (store, sheet_id, dbw_qa_pair_get_item_ref (pair),
                                    dbw_template_get_label_type (tmpl), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (label == NULL)
    {
      label = new_label_for_pair (store, pair, sheet_id, tmpl, label_data);
      if (!dbw_store_insert (store, label, error))
        return FALSE;
      created = TRUE;
    }
  else if (!label_says (label, content, label_data))
    {
      before = dbw_record_copy (DBW_RECORD (label));
      dbw_canonical_label_set_label_data (label, label_data);
      if (!update_label (store, label, error))
        return FALSE;
    }

  id = dbw_record_get_id (DBW_RECORD (label));
  dbw_qa_pair_set_canonical_label_id (pair, id);
  if (!created)
    restrict_pair_by_label (pair, label);

  if (!created && before == NULL)
    return TRUE;

  after = get_label (store, id, error);
  if (after == NULL)
    return FALSE;
  step_record_label (step, id, before, after);

  return TRUE;
}

static gboolean
approve_pair (Work       *work,
              Step       *step,
              DbwQaPair  *pair,
              GError    **error)
{
  g_autofree char *content = dup_answer (pair);
  const Origin *origin;

  origin = lookup_origin (work, pair, error);
  if (origin == NULL || !check_answer (origin, pair, content, error))
    return FALSE;

  dbw_qa_pair_set_status (pair, DBW_QA_STATUS_LABELED);
  dbw_qa_pair_set_review_notes (pair, NULL);

  if (origin->tmpl == NULL)
    return TRUE;

  return save_canonical (work->store, step, pair, origin->sheet_id, origin->tmpl, content, error);
}

static gboolean
apply_decision (Work               *work,
                Step               *step,
                DbwQaPair          *pair,
                const char         *text,
                GError            **error)
{
  switch (step->decision)
    {
    case DBW_REVIEW_DECISION_EDIT:
      set_answer (pair, text);
      G_GNUC_FALLTHROUGH;

    case DBW_REVIEW_DECISION_APPROVE:
      return approve_pair (work, step, pair, error);

    case DBW_REVIEW_DECISION_REJECT:
      dbw_qa_pair_set_status (pair, DBW_QA_STATUS_REJECTED);
      dbw_qa_pair_set_review_notes (pair, text);
      return TRUE;

    case DBW_REVIEW_DECISION_FLAG:
    default:
      dbw_qa_pair_set_status (pair, DBW_QA_STATUS_FLAGGED);
      dbw_qa_pair_set_review_notes (pair, is_blank (text) ? NULL : text);
      return TRUE;
    }
}

static gboolean
decide_pair (Work        *work,
             Step        *step,
             const char  *pair_id,
             const char  *text,
             GError     **error)
{
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(DbwQaPair) before = NULL;
  g_autoptr(DbwQaPair) after = NULL;
  g_autofree char *now = NULL;
  PairChange *change;

  pair = get_pair (work->store, pair_id, error);
  if (pair == NULL)
    return FALSE;

  change = step_add_pair (step, pair_id);
  before = dbw_record_copy (DBW_RECORD (pair));

  now = _dbw_store_now (work->store);
  dbw_qa_pair_set_reviewed_by (pair, dbw_store_get_user (work->store));
  dbw_qa_pair_set_reviewed_at (pair, now);

  if (!apply_decision (work, step, pair, text, error) ||
      !dbw_store_update_changed (work->store, pair, before, error))
    return FALSE;

  after = get_pair (work->store, pair_id, error);
  if (after == NULL)
    return FALSE;

  pair_change_set (change, before, after);

  return TRUE;
}

static gboolean
commit_or_rollback (DbwStore  *store,
                    gboolean   ok,
                    GError   **error)
{
  if (ok && dbw_store_commit (store, error))
    return TRUE;

  dbw_store_rollback (store);
  return FALSE;
}

/* Decides all @pair_ids in one transaction, recording them in @step. */
static gboolean
decide_pairs (Work               *work,
              Step               *step,
              const char * const *pair_ids,
              const char         *text,
              GError            **error)
{
  gboolean ok = TRUE;

  if (!dbw_store_begin (work->store, error))
    return FALSE;

  for (guint i = 0; ok && pair_ids[i] != NULL; i++)
    {
      if (!step_has_pair (step, pair_ids[i]))
        ok = decide_pair (work, step, pair_ids[i], text, error);
      ok = ok && work_done_one (work, error);
    }

  return commit_or_rollback (work->store, ok, error);
}

/* A committed step goes on the undo stack. */
static void
settle_decision (DbwReview *self,
                 Step      *step)
{
  if (step->pairs->len == 0)
    {
      step_free (step);
      return;
    }

  clear_queue (&self->redo);
  push_undo (self, step);
  update_state (self);
  emit_decided (self, step);
}

static gboolean
check_idle (DbwReview  *self,
            GError    **error)
{
  if (self->job == NULL)
    return TRUE;

  g_set_error_literal (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_BUSY,
                       _("Wait until the decision on the pairs being reviewed is done"));
  return FALSE;
}

static gboolean
decide (DbwReview          *self,
        DbwReviewDecision   decision,
        const char * const *pair_ids,
        const char         *text,
        GError            **error)
{
  g_autoptr(Step) step = step_new (decision);
  Work work;
  gboolean ok;

  if (!check_idle (self, error))
    return FALSE;

  work_init (&work, self->store, self->label_renames, NULL, NULL);
  ok = decide_pairs (&work, step, pair_ids, text, error);
  work_clear (&work);

  if (ok)
    settle_decision (self, g_steal_pointer (&step));

  return ok;
}

/* Undo and redo */

static gboolean
set_conflict (GError     **error,
              const char  *message)
{
  g_set_error_literal (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_CONFLICT, message);
  return FALSE;
}

/* Pairs outside @step that were made from a label @step created: removing it would leave
 * them labeled from nothing. */
static gboolean
label_used_elsewhere (DbwStore    *store,
                      Step        *step,
                      const char  *label_id,
                      gboolean    *used,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  *used = FALSE;
  stmt = _dbw_store_prepare (store, "SELECT id FROM qa_pairs WHERE canonical_label_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, label_id, -1, SQLITE_TRANSIENT);
  while (!*used && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    *used = !step_has_pair (step, (const char *) sqlite3_column_text (stmt, 0));
  if (*used)
    rc = SQLITE_DONE;
  _dbw_store_release (store, stmt);

  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "qa_pairs", error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_pairs (Work      *work,
             Step      *step,
             gboolean   redo,
             GError   **error)
{
  for (guint i = 0; i < step->pairs->len; i++)
    {
      PairChange *change = g_ptr_array_index (step->pairs, i);
      g_autoptr(DbwQaPair) current = get_pair (work->store, change->id, error);

      if (current == NULL)
        return FALSE;

      if (!pair_change_matches (work, change, current, !redo))
        return set_conflict (error, _("The Q&A pair was changed since; its current state is kept"));

      if (!work_done_one (work, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_labels (Work      *work,
              Step      *step,
              gboolean   redo,
              GError   **error)
{
  for (guint i = 0; i < step->labels->len; i++)
    {
      LabelChange *change = g_ptr_array_index (step->labels, i);
      const char *label_id = work_resolve_label (work, change->id);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DbwCanonicalLabel) current = get_label (work->store, label_id, &local_error);
      gboolean used = FALSE;

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (!same_row (DBW_RECORD (current), DBW_RECORD (redo ? change->before : change->after)))
        return set_conflict (error, _("The canonical label was changed since; its current version is kept"));

      /* The label this step created was taken back, and the item has been labeled since. */
      if (redo && change->before == NULL)
        {
          g_autoptr(DbwCanonicalLabel) other =
            dbw_canonical_ops_lookup (work->store,
                                      dbw_canonical_label_get_sheet_id (change->after),
                                      dbw_canonical_label_get_item_ref (change->after),
                                      dbw_canonical_label_get_label_type (change->after),
                                      &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (other != NULL)
            return set_conflict (error, _("The item has been labeled since; its label is kept"));
        }

      if (!work_done_one (work, error))
        return FALSE;

      if (redo || change->before != NULL)
        continue;

      if (!label_used_elsewhere (work->store, step, label_id, &used, error))
        return FALSE;
      if (used)
        return set_conflict (error, _("The canonical label is used by other Q&A pairs now; it is kept"));
    }

  return TRUE;
}

static gboolean
write_pairs (Work      *work,
             Step      *step,
             gboolean   redo,
             GError   **error)
{
  for (guint i = 0; i < step->pairs->len; i++)
    {
      PairChange *change = g_ptr_array_index (step->pairs, i);
      g_autoptr(DbwQaPair) pair = get_pair (work->store, change->id, error);

      if (pair == NULL)
        return FALSE;

      pair_change_apply (work, change, pair, redo);
      if (!_dbw_store_update_columns (work->store, pair, change->changed, change->n_changed, error) ||
          !work_done_one (work, error))
        return FALSE;
    }

  return TRUE;
}

/* Redoing a step that created a label creates it under a new id: the undo's deletion may
 * have been synced already, and the workspace keeps a deleted id deleted. Steps keep the
 * ids they were recorded with; they find the label's id now through the renames, which
 * the review takes on only once the work is committed. */
static gboolean
recreate_label (Work         *work,
                LabelChange  *change,
                GError      **error)
{
  g_autoptr(DbwCanonicalLabel) copy = dbw_record_copy (DBW_RECORD (change->after));
  char id[37];

  _dbw_store_new_id (id);
  dbw_record_set_id (DBW_RECORD (copy), id);
  dbw_canonical_label_set_version (copy, 1);
  if (!dbw_store_insert (work->store, copy, error))
    return FALSE;

  g_hash_table_insert (work->new_renames,
                       g_strdup (work_resolve_label (work, change->id)),
                       g_strdup (id));

  return TRUE;
}

static gboolean
write_labels (Work      *work,
              Step      *step,
              gboolean   redo,
              GError   **error)
{
  for (guint i = 0; i < step->labels->len; i++)
    {
      LabelChange *change = g_ptr_array_index (step->labels, i);
      gboolean ok;

      if (redo && change->before == NULL)
        ok = recreate_label (work, change, error);
      else
        ok = write_label (work->store, work_resolve_label (work, change->id),
                          redo ? change->after : change->before, error);

      if (!ok || !work_done_one (work, error))
        return FALSE;
    }

  return TRUE;
}

/* Pairs refer to labels: undo unlinks the pairs before it removes a label, redo creates
 * the label before it links the pairs again. */
static gboolean
replay_step (Work      *work,
             Step      *step,
             gboolean   redo,
             GError   **error)
{
  gboolean ok;

  if (!dbw_store_begin (work->store, error))
    return FALSE;

  ok = check_pairs (work, step, redo, error) && check_labels (work, step, redo, error);
  if (ok && redo)
    ok = write_labels (work, step, TRUE, error) && write_pairs (work, step, TRUE, error);
  else if (ok)
    ok = write_pairs (work, step, FALSE, error) && write_labels (work, step, FALSE, error);

  return commit_or_rollback (work->store, ok, error);
}

/* After the replay of the head of @from: the step moves to @to. A step that can never
 * apply again is dropped; a busy or full disk may pass. Takes @replay_error. */
static gboolean
settle_replay (DbwReview  *self,
               GQueue     *from,
               GQueue     *to,
               GError     *replay_error,
               char      **pair_id,
               GError    **error)
{
  Step *step = g_queue_peek_head (from);

  if (replay_error != NULL)
    {
      if (replay_error->domain == DBW_REVIEW_ERROR)
        {
          step_free (g_queue_pop_head (from));
          update_state (self);
        }
      g_propagate_error (error, replay_error);
      return FALSE;
    }

  g_queue_push_head (to, g_queue_pop_head (from));
  update_state (self);

  if (pair_id != NULL)
    *pair_id = g_strdup (pair_change_get_id (g_ptr_array_index (step->pairs, 0)));
  emit_decided (self, step);

  return TRUE;
}

static gboolean
check_can_move (DbwReview  *self,
                GQueue     *from,
                gboolean    redo,
                GError    **error)
{
  if (!check_idle (self, error))
    return FALSE;

  if (g_queue_is_empty (from))
    {
      g_set_error_literal (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_NOTHING_TO_UNDO,
                           redo ? _("There is nothing to redo") : _("There is nothing to undo"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
move_step (DbwReview  *self,
           GQueue     *from,
           GQueue     *to,
           gboolean    redo,
           char      **pair_id,
           GError    **error)
{
  GError *replay_error = NULL;
  Work work;

  if (!check_can_move (self, from, redo, error))
    return FALSE;

  work_init (&work, self->store, self->label_renames, NULL, NULL);
  if (replay_step (&work, g_queue_peek_head (from), redo, &replay_error))
    merge_renames (self->label_renames, work.new_renames);
  work_clear (&work);

  return settle_replay (self, from, to, replay_error, pair_id, error);
}

/* Jobs */

static void
job_free (Job *job)
{
  if (job->kind == JOB_DECIDE && job->step != NULL)
    step_free (job->step);
  g_clear_object (&job->main_store);
  g_free (job->user);
  g_strfreev (job->pair_ids);
  g_free (job->text);
  g_clear_pointer (&job->renames, g_hash_table_unref);
  g_clear_pointer (&job->new_renames, g_hash_table_unref);
  g_free (job);
}

static Job *
job_new (DbwReview *self,
         JobKind    kind,
         Step      *step)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->main_store = g_object_ref (self->store);
  job->user = g_strdup (dbw_store_get_user (self->store));
  job->step = step;
  job->renames = g_hash_table_ref (self->label_renames);

  return job;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Work work;
  gboolean ok;

  store = dbw_store_open_connection (job->main_store, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dbw_store_set_user (store, job->user);

  work_init (&work, store, job->renames, job, cancellable);
  if (job->kind == JOB_DECIDE)
    ok = decide_pairs (&work, job->step, (const char * const *) job->pair_ids, job->text, &error);
  else
    ok = replay_step (&work, job->step, job->kind == JOB_REDO, &error);
  if (ok)
    job->new_renames = g_steal_pointer (&work.new_renames);
  work_clear (&work);
  dbw_store_close (store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
set_progress (DbwReview *self,
              double     progress)
{
  if (self->progress == progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROGRESS]);
}

/* The worker only counts; the progress is read here, ten times a second. */
static gboolean
progress_tick_cb (gpointer user_data)
{
  DbwReview *self = user_data;
  Job *job = self->job;

  if (job != NULL && job->total > 0)
    set_progress (self, MIN (1.0, g_atomic_int_get (&job->done) / (double) job->total));

  return G_SOURCE_CONTINUE;
}

/* What a committed job changed, for the lists and counts that show it: the worker's
 * connection does not signal on the main one. */
static void
emit_job_changes (DbwReview *self,
                  Step      *step)
{
  if (step->pairs->len > 0)
    dbw_store_emit_changed (self->store, "qa_pairs", DBW_CHANGE_RESET, NULL);
  if (step->labels->len > 0)
    dbw_store_emit_changed (self->store, "canonical_labels", DBW_CHANGE_RESET, NULL);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DbwReview *self = DBW_REVIEW (object);
  g_autoptr(GTask) outer = user_data;
  Job *job = g_task_get_task_data (outer);
  GError *job_error = NULL;
  GError *error = NULL;
  g_autofree char *pair_id = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &job_error);

  self->job = NULL;
  g_clear_handle_id (&self->progress_source, g_source_remove);
  set_progress (self, 0.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);

  if (ok)
    emit_job_changes (self, job->step);
  if (ok && job->new_renames != NULL)
    merge_renames (self->label_renames, job->new_renames);

  switch (job->kind)
    {
    case JOB_DECIDE:
      if (ok)
        settle_decision (self, g_steal_pointer (&job->step));
      else
        error = job_error;
      break;

    case JOB_UNDO:
      ok = settle_replay (self, &self->undo, &self->redo, job_error, &pair_id, &error);
      break;

    case JOB_REDO:
    default:
      ok = settle_replay (self, &self->redo, &self->undo, job_error, &pair_id, &error);
      break;
    }

  if (!ok)
    g_task_return_error (outer, error);
  else
    g_task_return_pointer (outer, g_steal_pointer (&pair_id), g_free);
}

/* Runs @job in a worker; the review is busy until it is done. */
static void
start_job (DbwReview           *self,
           Job                 *job,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;

  g_task_set_name (outer, "[dbw-review] job");
  g_task_set_task_data (outer, job, (GDestroyNotify) job_free);
  /* A job that committed is settled even if cancelled meanwhile: the project has it. */
  g_task_set_check_cancellable (outer, FALSE);

  self->job = job;
  set_progress (self, 0.0);
  self->progress_source = g_timeout_add (100, progress_tick_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);

  inner = g_task_new (self, cancellable, job_done_cb, g_object_ref (outer));
  g_task_set_name (inner, "[dbw-review] worker");
  g_task_set_task_data (inner, job, NULL);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_run_in_thread (inner, job_thread);
}

/* Reports @error to the callback, as a job that could not start. */
static void
refuse_job (DbwReview           *self,
            GError              *error,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_name (task, "[dbw-review] job");
  g_task_return_error (task, error);
}

/* GObject */

static void
dbw_review_finalize (GObject *object)
{
  DbwReview *self = (DbwReview *)object;

  clear_queue (&self->undo);
  clear_queue (&self->redo);
  g_clear_pointer (&self->label_renames, g_hash_table_unref);
  g_clear_pointer (&self->undo_description, g_free);
  g_clear_pointer (&self->redo_description, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbw_review_parent_class)->finalize (object);
}

static void
dbw_review_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DbwReview *self = DBW_REVIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;

    case PROP_UNDO_DESCRIPTION:
      g_value_set_string (value, self->undo_description);
      break;

    case PROP_REDO_DESCRIPTION:
      g_value_set_string (value, self->redo_description);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->job != NULL);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_review_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DbwReview *self = DBW_REVIEW (object);

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
dbw_review_class_init (DbwReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_review_finalize;
  object_class->get_property = dbw_review_get_property;
  object_class->set_property = dbw_review_set_property;

  /**
   * DbwReview:store:
   *
   * The project the decisions are written to.
   */
  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DBW_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwReview:can-undo:
   *
   * Whether a decision can be undone.
   */
  properties [PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwReview:can-redo:
   *
   * Whether an undone decision can be made again.
   */
  properties [PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwReview:undo-description:
   *
   * What undo would undo, for a menu item or tooltip ("Undo Approve"); %NULL when nothing.
   */
  properties [PROP_UNDO_DESCRIPTION] =
    g_param_spec_string ("undo-description", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwReview:redo-description:
   *
   * What redo would do again ("Redo Approve"); %NULL when nothing.
   */
  properties [PROP_REDO_DESCRIPTION] =
    g_param_spec_string ("redo-description", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwReview:busy:
   *
   * Whether a decision on many pairs, or an undo or redo, runs in the background. Nothing
   * else can be decided, undone or redone until it is done.
   */
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DbwReview:progress:
   *
   * How far the background work has got, 0–1.
   */
  properties [PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbwReview::decided:
   * @self: a #DbwReview
   * @pair_id: the pair a decision, undo or redo changed
   *
   * Emitted after the change is committed, once per pair.
   */
  signals [DECIDED] =
    g_signal_new ("decided",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dbw_review_init (DbwReview *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
  self->label_renames = renames_new ();
}

/* Public API */

DbwReview *
dbw_review_new (DbwStore *store)
{
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  return g_object_new (DBW_TYPE_REVIEW, "store", store, NULL);
}

DbwStore *
dbw_review_get_store (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), NULL);

  return self->store;
}

static gboolean
decide_one (DbwReview          *self,
            DbwReviewDecision   decision,
            const char         *pair_id,
            const char         *text,
            GError            **error)
{
  const char *ids[] = { pair_id, NULL };

  return decide (self, decision, ids, text, error);
}

/**
 * dbw_review_approve:
 *
 * Marks the pair labeled. Its answer must not be empty and must fit the template's output
 * schema (%DBW_REVIEW_ERROR_INVALID otherwise: edit it instead).
 */
gboolean
dbw_review_approve (DbwReview   *self,
                    const char  *pair_id,
                    GError     **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);
  g_return_val_if_fail (pair_id != NULL, FALSE);

  return decide_one (self, DBW_REVIEW_DECISION_APPROVE, pair_id, NULL, error);
}

gboolean
dbw_review_edit (DbwReview   *self,
                 const char  *pair_id,
                 const char  *assistant_content,
                 GError     **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);
  g_return_val_if_fail (pair_id != NULL, FALSE);

  if (is_blank (assistant_content))
    {
      g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID,
                   _("The answer is empty; write one, or reject the pair"));
      return FALSE;
    }

  return decide_one (self, DBW_REVIEW_DECISION_EDIT, pair_id, assistant_content, error);
}

static gboolean
check_reason (const char  *reason,
              GError     **error)
{
  if (!is_blank (reason))
    return TRUE;

  g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID,
               _("Say why the pair is rejected"));
  return FALSE;
}

gboolean
dbw_review_reject (DbwReview   *self,
                   const char  *pair_id,
                   const char  *reason,
                   GError     **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);
  g_return_val_if_fail (pair_id != NULL, FALSE);

  if (!check_reason (reason, error))
    return FALSE;

  return decide_one (self, DBW_REVIEW_DECISION_REJECT, pair_id, reason, error);
}

/**
 * dbw_review_flag:
 * @note: (nullable): what needs a second look
 */
gboolean
dbw_review_flag (DbwReview   *self,
                 const char  *pair_id,
                 const char  *note,
                 GError     **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);
  g_return_val_if_fail (pair_id != NULL, FALSE);

  return decide_one (self, DBW_REVIEW_DECISION_FLAG, pair_id, note, error);
}

static gboolean
check_bulk (DbwReviewDecision   decision,
            const char         *note,
            GError            **error)
{
  if (decision == DBW_REVIEW_DECISION_EDIT)
    {
      g_set_error (error, DBW_REVIEW_ERROR, DBW_REVIEW_ERROR_INVALID,
                   _("Pairs are edited one at a time"));
      return FALSE;
    }

  return decision != DBW_REVIEW_DECISION_REJECT || check_reason (note, error);
}

/**
 * dbw_review_apply_bulk:
 * @pair_ids: (array zero-terminated=1): the pairs; repeated ids count once, and none at all
 *   is nothing to do
 */
gboolean
dbw_review_apply_bulk (DbwReview           *self,
                       const char * const  *pair_ids,
                       DbwReviewDecision    decision,
                       const char          *note,
                       GError             **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);
  g_return_val_if_fail (pair_ids != NULL, FALSE);

  if (!check_bulk (decision, note, error))
    return FALSE;

  return decide (self, decision, pair_ids, note, error);
}

/**
 * dbw_review_apply_bulk_async:
 *
 * Like dbw_review_apply_bulk(), in a worker on a connection of its own: for many pairs.
 * The review is busy meanwhile ("busy", "progress"). Cancelling rolls the whole decision
 * back, unless it has already been committed.
 */
void
dbw_review_apply_bulk_async (DbwReview           *self,
                             const char * const  *pair_ids,
                             DbwReviewDecision    decision,
                             const char          *note,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (DBW_IS_REVIEW (self));
  g_return_if_fail (pair_ids != NULL);

  if (check_bulk (decision, note, &error) && check_idle (self, &error))
    {
      job = job_new (self, JOB_DECIDE, step_new (decision));
      job->pair_ids = g_strdupv ((char **) pair_ids);
      job->text = g_strdup (note);
      job->total = g_strv_length (job->pair_ids);
      start_job (self, job, cancellable, callback, user_data);
      return;
    }

  refuse_job (self, error, callback, user_data);
}

/* A job's answer: on success the (first) pair it touched, which a decision does not report
 * (NULL @pair_id). */
static gboolean
job_finish (DbwReview     *self,
            GAsyncResult  *result,
            char         **pair_id,
            GError       **error)
{
  GError *local_error = NULL;
  char *id;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  id = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (pair_id != NULL)
    *pair_id = id;
  else
    g_free (id);

  return TRUE;
}

gboolean
dbw_review_apply_bulk_finish (DbwReview     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return job_finish (self, result, NULL, error);
}

static void
move_step_async (DbwReview           *self,
                 gboolean             redo,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GQueue *from = redo ? &self->redo : &self->undo;
  GError *error = NULL;
  Step *step;
  Job *job;

  if (!check_can_move (self, from, redo, &error))
    {
      refuse_job (self, error, callback, user_data);
      return;
    }

  step = g_queue_peek_head (from);
  job = job_new (self, redo ? JOB_REDO : JOB_UNDO, step);
  job->total = 2 * (step->pairs->len + step->labels->len);
  start_job (self, job, cancellable, callback, user_data);
}

/**
 * dbw_review_undo_async:
 *
 * Like dbw_review_undo(), in a worker: for a step of many pairs. Cancelling leaves the
 * step where it is.
 */
void
dbw_review_undo_async (DbwReview           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (DBW_IS_REVIEW (self));

  move_step_async (self, FALSE, cancellable, callback, user_data);
}

gboolean
dbw_review_undo_finish (DbwReview     *self,
                        GAsyncResult  *result,
                        char         **pair_id,
                        GError       **error)
{
  return job_finish (self, result, pair_id, error);
}

void
dbw_review_redo_async (DbwReview           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (DBW_IS_REVIEW (self));

  move_step_async (self, TRUE, cancellable, callback, user_data);
}

gboolean
dbw_review_redo_finish (DbwReview     *self,
                        GAsyncResult  *result,
                        char         **pair_id,
                        GError       **error)
{
  return job_finish (self, result, pair_id, error);
}

gboolean
dbw_review_get_busy (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);

  return self->job != NULL;
}

double
dbw_review_get_progress (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), 0.0);

  return self->progress;
}

/* How many pairs the step that undo (or redo) would take back (or make again) touches. */
guint
dbw_review_get_undo_n_pairs (DbwReview *self)
{
  Step *step;

  g_return_val_if_fail (DBW_IS_REVIEW (self), 0);

  step = g_queue_peek_head (&self->undo);
  return step != NULL ? step->pairs->len : 0;
}

guint
dbw_review_get_redo_n_pairs (DbwReview *self)
{
  Step *step;

  g_return_val_if_fail (DBW_IS_REVIEW (self), 0);

  step = g_queue_peek_head (&self->redo);
  return step != NULL ? step->pairs->len : 0;
}

gboolean
dbw_review_get_can_undo (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);

  return self->can_undo;
}

gboolean
dbw_review_get_can_redo (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);

  return self->can_redo;
}

const char *
dbw_review_get_undo_description (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), NULL);

  return self->undo_description;
}

const char *
dbw_review_get_redo_description (DbwReview *self)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), NULL);

  return self->redo_description;
}

/**
 * dbw_review_undo:
 *
 * Undoes the last decision. A step that meets a conflict (or a deleted pair) is dropped
 * from the history with the error, so the one before it can be undone next.
 */
gboolean
dbw_review_undo (DbwReview   *self,
                 char       **pair_id,
                 GError     **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);

  return move_step (self, &self->undo, &self->redo, FALSE, pair_id, error);
}

gboolean
dbw_review_redo (DbwReview   *self,
                 char       **pair_id,
                 GError     **error)
{
  g_return_val_if_fail (DBW_IS_REVIEW (self), FALSE);

  return move_step (self, &self->redo, &self->undo, TRUE, pair_id, error);
}

/**
 * dbw_review_label_data_for_content:
 *
 * Returns: (transfer full): compact JSON
 */
char *
dbw_review_label_data_for_content (const char *assistant_content)
{
  g_autoptr(JsonNode) node = NULL;

  if (assistant_content == NULL)
    assistant_content = "";

  node = json_from_string (assistant_content, NULL);
  if (node == NULL || !(JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_init_string (json_node_alloc (), assistant_content);
    }

  return dbw_json_to_compact (node);
}
