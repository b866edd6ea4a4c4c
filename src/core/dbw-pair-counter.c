/* dbw-pair-counter.c
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

#define G_LOG_DOMAIN "dbw-pair-counter"

#include "config.h"

#include <gio/gio.h>

#include "dbw-pair-counter.h"

/* The counts of every Training Sheet's pairs, by status and by how they were made, for
 * the pages that show them. Counting reads every pair of the project (the labeling mode is
 * in no index): a tenth of a second at 100,000 pairs. So it runs on a connection of its own
 * in a worker thread, never between a key press and the next pair; a burst of changes —
 * a run of review decisions, a generation committing batch after batch — makes one count
 * once COUNT_DELAY_MS have passed, and a change during a count makes one more after it.
 * One counter serves every page of a project: it lives as long as the store, and stops
 * counting when the store is closed. */

#define COUNT_DELAY_MS 250

struct _DbwPairCounter
{
  GObject       parent_instance;

  GFile        *file;
  GHashTable   *counts;        /* training sheet id → DbwPairCounts */
  GCancellable *cancellable;
  guint         delay_source;
  gboolean      counting;
  gboolean      count_again;
  gboolean      counted;
  gboolean      closed;
};

G_DEFINE_FINAL_TYPE (DbwPairCounter, dbw_pair_counter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COUNTED,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void start_count (DbwPairCounter *self);

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(DbwStore) store = NULL;
  GError *error = NULL;
  GHashTable *counts;

  store = dbw_store_open (task_data, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  counts = dbw_pair_counts_by_training_sheet (store, &error);
  dbw_store_close (store);
  if (counts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, counts, (GDestroyNotify) g_hash_table_unref);
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  DbwPairCounter *self = DBW_PAIR_COUNTER (object);
  g_autoptr(GError) error = NULL;
  GHashTable *counts;

  counts = g_task_propagate_pointer (G_TASK (result), &error);
  self->counting = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (counts == NULL)
    g_warning ("Could not count the pairs: %s", error->message);
  else
    {
      g_clear_pointer (&self->counts, g_hash_table_unref);
      self->counts = counts;
      if (!self->counted)
        {
          self->counted = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COUNTED]);
        }
      g_signal_emit (self, signals [UPDATED], 0);
    }

  if (self->count_again)
    {
      self->count_again = FALSE;
      start_count (self);
    }
}

static void
start_count (DbwPairCounter *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->closed)
    return;

  if (self->counting)
    {
      self->count_again = TRUE;
      return;
    }

  self->counting = TRUE;
  task = g_task_new (self, self->cancellable, counted_cb, NULL);
  g_task_set_name (task, "[dbw-pair-counter] count");
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (task, count_thread);
}

static gboolean
delay_cb (gpointer user_data)
{
  DbwPairCounter *self = user_data;

  self->delay_source = 0;
  start_count (self);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (DbwPairCounter *self,
                     const char     *table,
                     DbwChangeKind   kind,
                     const char     *id,
                     DbwStore       *store)
{
  if ((g_str_equal (table, "qa_pairs") || g_str_equal (table, "training_sheets")) && self->delay_source == 0)
    self->delay_source = g_timeout_add (COUNT_DELAY_MS, delay_cb, self);
}

static void
on_store_closed_cb (DbwPairCounter *self)
{
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->delay_source, g_source_remove);
}

static void
dbw_pair_counter_dispose (GObject *object)
{
  DbwPairCounter *self = DBW_PAIR_COUNTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->delay_source, g_source_remove);

  G_OBJECT_CLASS (dbw_pair_counter_parent_class)->dispose (object);
}

static void
dbw_pair_counter_finalize (GObject *object)
{
  DbwPairCounter *self = DBW_PAIR_COUNTER (object);

  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->counts, g_hash_table_unref);

  G_OBJECT_CLASS (dbw_pair_counter_parent_class)->finalize (object);
}

static void
dbw_pair_counter_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DbwPairCounter *self = DBW_PAIR_COUNTER (object);

  switch (prop_id)
    {
    case PROP_COUNTED:
      g_value_set_boolean (value, self->counted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pair_counter_class_init (DbwPairCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbw_pair_counter_dispose;
  object_class->finalize = dbw_pair_counter_finalize;
  object_class->get_property = dbw_pair_counter_get_property;

  /**
   * DbwPairCounter:counted:
   *
   * Whether the pairs have been counted at least once; until then every Training Sheet
   * looks empty.
   */
  properties [PROP_COUNTED] =
    g_param_spec_boolean ("counted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbwPairCounter::updated:
   *
   * Emitted when new counts are in.
   */
  signals [UPDATED] =
    g_signal_new ("updated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dbw_pair_counter_init (DbwPairCounter *self)
{
  self->cancellable = g_cancellable_new ();
  self->counts = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * dbw_pair_counter_get_for_store:
 * @store: an open #DbwStore
 *
 * The counter every page showing @store's pairs shares. It counts the first time it is
 * asked for, and again when pairs or Training Sheets change.
 *
 * Returns: (transfer none): the counter of @store, which lives as long as @store
 */
DbwPairCounter *
dbw_pair_counter_get_for_store (DbwStore *store)
{
  DbwPairCounter *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_get_data (G_OBJECT (store), "dbw-pair-counter");
  if (self != NULL)
    return self;

  self = g_object_new (DBW_TYPE_PAIR_COUNTER, NULL);
  self->file = g_object_ref (dbw_store_get_file (store));
  /* The store owns the counter, so the counter does not hold the store. */
  g_object_set_data_full (G_OBJECT (store), "dbw-pair-counter", self, g_object_unref);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "closed", G_CALLBACK (on_store_closed_cb), self, G_CONNECT_SWAPPED);
  start_count (self);

  return self;
}

/**
 * dbw_pair_counter_lookup:
 * @training_sheet_id: the id of a Training Sheet
 *
 * Returns: (nullable) (transfer none): the counts of the Training Sheet's pairs as last
 *   counted, or %NULL when it had none (or nothing is counted yet); valid until the next
 *   #DbwPairCounter::updated
 */
const DbwPairCounts *
dbw_pair_counter_lookup (DbwPairCounter *self,
                         const char     *training_sheet_id)
{
  g_return_val_if_fail (DBW_IS_PAIR_COUNTER (self), NULL);

  if (training_sheet_id == NULL)
    return NULL;

  return g_hash_table_lookup (self->counts, training_sheet_id);
}

gboolean
dbw_pair_counter_get_counted (DbwPairCounter *self)
{
  g_return_val_if_fail (DBW_IS_PAIR_COUNTER (self), FALSE);

  return self->counted;
}

/**
 * dbw_pair_counter_count:
 *
 * Counts now, or right after the count under way, without waiting for changes to pause:
 * for a change the store does not signal, such as one made on another connection.
 */
void
dbw_pair_counter_count (DbwPairCounter *self)
{
  g_return_if_fail (DBW_IS_PAIR_COUNTER (self));

  g_clear_handle_id (&self->delay_source, g_source_remove);
  start_count (self);
}
