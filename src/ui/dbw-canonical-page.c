/* dbw-canonical-page.c
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

#define G_LOG_DOMAIN "dbw-canonical-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-canonical-ops.h"
#include "dbw-canonical-page.h"
#include "dbw-constraint-badges.h"
#include "dbw-constraints-dialog.h"
#include "dbw-image-annotator.h"
#include "dbw-item-preview.h"
#include "dbw-label-suggestions.h"
#include "dbw-lineage-window.h"
#include "dbw-sheet.h"
#include "dbw-template-ops.h"
#include "dbw-template.h"
#include "dbw-window.h"
#include "dbw-widget-util.h"

/* Mode B, the Canonical Labeling Tool: a sheet and a label type (and the template whose
 * output schema shapes the form), then its items one at a time, the next unlabeled first:
 * the item on the left, its label on the right. Saving goes on to the next unlabeled item,
 * which was looked up while the user was busy with this one.
 *
 * Every save is one call to dbw_canonical_ops_save(): it creates the label or stores the
 * next version, and the store audits constraint changes. */

struct _DbwCanonicalPage
{
  DbwPage            parent_instance;

  GtkStack          *stack;
  GtkDropDown       *sheet_dropdown;
  GtkStringList     *sheet_names;
  GtkDropDown       *type_dropdown;
  GtkStringList     *type_names;
  GtkDropDown       *template_dropdown;
  GtkStringList     *template_names;
  GtkLabel          *progress_label;
  GtkProgressBar    *progress_bar;
  GtkStack          *content_stack;
  GtkStack          *preview_stack;
  DbwItemPreview    *item_preview;
  DbwImageAnnotator *annotator;
  GtkLabel          *annotator_title;
  GtkToggleButton   *select_tool;
  GtkToggleButton   *box_tool;
  GtkToggleButton   *polygon_tool;
  GtkWidget         *undo_button;
  GtkWidget         *redo_button;
  GtkLabel          *item_title;
  GtkLabel          *item_status;
  DbwConstraintBadges *label_badges;
  GtkMenuButton     *history_button;
  GtkPopover        *history_popover;
  GtkListBox        *history_list;
  GtkTextView       *history_view;
  GtkScrolledWindow *form_scroller;
  DbwLabelForm      *form;
  GtkWidget         *save_button;

  GPtrArray         *sheets;      /* (element-type DbwSheet), as in the drop-down */
  GPtrArray         *templates;   /* (element-type DbwTemplate), after "No template" */
  GPtrArray         *history;     /* (element-type DbwCanonicalVersion) */
  DbwItem           *item;
  DbwCanonicalLabel *label;       /* the stored label of the item, or NULL */
  char              *progress_text;

  /* Looked up in an idle after an item is shown, for the item it follows. */
  char              *prefetch_after;
  DbwItem           *prefetch_unlabeled;
  DbwItem           *prefetch_next;
  GCancellable      *prefetch_cancellable;
  guint              prefetch_source;
  GHashTable        *read_ahead;  /* blob hash → GBytes of the images likely shown next */
  GCancellable      *image_cancellable;
  GCancellable      *classes_cancellable;
  GCancellable      *count_cancellable;
  GCancellable      *start_cancellable; /* finding the item to start from */
  char              *pending_action;  /* the move waiting for an answer about unsaved changes */
  gboolean           leaving;

  GCancellable      *export_cancellable;
  GCancellable      *ids_cancellable;   /* reading the ids for "Usage of All…" */
  GtkFileChooserNative *chooser;

  DbwStore          *watched_store;
  gulong             store_changed_handler;
  guint              updating;
};

G_DEFINE_FINAL_TYPE (DbwCanonicalPage, dbw_canonical_page, DBW_TYPE_PAGE)

#define N_LABEL_TYPES (DBW_LABEL_TYPE_OBJECT_DETECTION + 1)

static void show_item    (DbwCanonicalPage *self,
                          DbwItem          *item);
static void load_classes (DbwCanonicalPage *self);

static DbwWindow *
get_window (DbwCanonicalPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return DBW_IS_WINDOW (root) ? DBW_WINDOW (root) : NULL;
}

static void
show_toast (DbwCanonicalPage *self,
            const char       *title)
{
  DbwWindow *window = get_window (self);

  if (window != NULL)
    dbw_window_show_toast (window, title);
}

static DbwSheet *
selected_sheet (DbwCanonicalPage *self)
{
  guint position = gtk_drop_down_get_selected (self->sheet_dropdown);

  if (self->sheets == NULL || position == GTK_INVALID_LIST_POSITION || position >= self->sheets->len)
    return NULL;

  return g_ptr_array_index (self->sheets, position);
}

static const char *
selected_sheet_id (DbwCanonicalPage *self)
{
  DbwSheet *sheet = selected_sheet (self);

  return sheet != NULL ? dbw_record_get_id (DBW_RECORD (sheet)) : NULL;
}

static DbwLabelType
selected_label_type (DbwCanonicalPage *self)
{
  guint position = gtk_drop_down_get_selected (self->type_dropdown);

  return position < N_LABEL_TYPES ? (DbwLabelType) position : DBW_LABEL_TYPE_CLASSIFICATION;
}

static DbwTemplate *
selected_template (DbwCanonicalPage *self)
{
  guint position = gtk_drop_down_get_selected (self->template_dropdown);

  if (self->templates == NULL || position == 0 || position == GTK_INVALID_LIST_POSITION ||
      position > self->templates->len)
    return NULL;

  return g_ptr_array_index (self->templates, position - 1);
}

static void
clear_prefetch (DbwCanonicalPage *self)
{
  g_clear_handle_id (&self->prefetch_source, g_source_remove);
  g_cancellable_cancel (self->prefetch_cancellable);
  g_clear_object (&self->prefetch_cancellable);
  g_clear_pointer (&self->prefetch_after, g_free);
  g_clear_object (&self->prefetch_unlabeled);
  g_clear_object (&self->prefetch_next);
}

static gboolean
is_object_detection (DbwCanonicalPage *self,
                     DbwItem          *item)
{
  return item != NULL && selected_label_type (self) == DBW_LABEL_TYPE_OBJECT_DETECTION &&
         dbw_item_get_modality (item) == DBW_MODALITY_IMAGE;
}

static void
show_progress (DbwCanonicalPage *self,
               gint64            total,
               gint64            labeled)
{
  g_autofree char *total_text = dbw_format_count (total);
  g_autofree char *labeled_text = dbw_format_count (labeled);

  g_free (self->progress_text);
  /* Translators: progress of canonical labeling, "150 of 500 labeled" */
  self->progress_text = g_strdup_printf (_("%s of %s labeled"), labeled_text, total_text);
  gtk_label_set_text (self->progress_label, self->progress_text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) labeled / (double) total : 0.0);
}

/* Counting a sheet of 100,000 items takes tens of milliseconds: it runs in a worker on its
 * own connection, and only the newest count is shown. */
typedef struct
{
  DbwStore     *store;
  char         *sheet_id;
  DbwLabelType  label_type;
  gint64        total;
  gint64        labeled;
} CountJob;

static void
count_job_free (gpointer data)
{
  CountJob *job = data;

  g_clear_object (&job->store);
  g_free (job->sheet_id);
  g_free (job);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  g_autoptr(DbwStore) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = dbw_store_open_connection (job->store, &error);
  if (connection != NULL)
    {
      job->total = dbw_canonical_ops_count_items (connection, job->sheet_id, &error);
      if (job->total >= 0)
        job->labeled = dbw_canonical_ops_count_labeled (connection, job->sheet_id, job->label_type, &error);
      dbw_store_close (connection);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_counted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (object);
  CountJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not count the labels of the sheet: %s", error->message);
    }

  if (g_task_get_cancellable (G_TASK (result)) != self->count_cancellable)
    return;
  g_clear_object (&self->count_cancellable);

  if (error == NULL)
    show_progress (self, job->total, job->labeled);
}

static void
update_progress (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *sheet_id = selected_sheet_id (self);
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);

  if (store == NULL || sheet_id == NULL)
    {
      show_progress (self, 0, 0);
      return;
    }

  job = g_new0 (CountJob, 1);
  job->store = g_object_ref (store);
  job->sheet_id = g_strdup (sheet_id);
  job->label_type = selected_label_type (self);

  self->count_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->count_cancellable, on_counted_cb, NULL);
  g_task_set_task_data (task, job, count_job_free);
  g_task_run_in_thread (task, count_thread);
}

static void
update_actions (DbwCanonicalPage *self)
{
  gboolean has_item = self->item != NULL;
  gboolean writable = !dbw_page_is_read_only (DBW_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.save", has_item && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.choose-class", has_item && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.next", has_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.previous", has_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.next-unlabeled", selected_sheet (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.show-history", self->label != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.show-lineage", self->label != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.export",
                                 selected_sheet (self) != NULL && self->export_cancellable == NULL && writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button), self->label != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.constraints", self->label != NULL && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canonical.constraints-all", selected_sheet (self) != NULL && writable);
}

static void
update_item_header (DbwCanonicalPage *self)
{
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;

  dbw_constraint_badges_set_record (self->label_badges, self->label);
  if (self->item == NULL)
    {
      gtk_label_set_text (self->item_title, "");
      gtk_label_set_text (self->item_status, "");
      return;
    }

  /* The preview names the item; this says where its label stands. */
  if (self->label != NULL)
    {
      const char *by = dbw_canonical_label_get_last_modified_by (self->label);
      const char *at = dbw_canonical_label_get_last_modified_at (self->label);
      g_autofree char *when = NULL;

      if (by == NULL)
        by = dbw_canonical_label_get_labeled_by (self->label);
      if (at == NULL)
        at = dbw_canonical_label_get_labeled_at (self->label);
      when = dbw_format_timestamp (at);
      /* Translators: the state of a saved canonical label, "Labeled · version 2" */
      title = g_strdup_printf (_("Labeled · version %" G_GINT64_FORMAT), dbw_canonical_label_get_version (self->label));
      if (when[0] != '\0')
        /* Translators: who saved the label last and when, "by m.okafor · 2026-11-23 14:02" */
        status = g_strdup_printf (_("by %s · %s"), by != NULL ? by : _("unknown"), when);
      else
        /* Translators: who saved the label last, "by m.okafor" */
        status = g_strdup_printf (_("by %s"), by != NULL ? by : _("unknown"));
    }
  else
    {
      title = g_strdup (_("Not labeled yet"));
      if (dbw_page_is_read_only (DBW_PAGE (self)))
        status = g_strdup (_("The project is read-only"));
      else
        status = g_strdup (dbw_label_form_get_has_suggestion (self->form)
                           ? _("Prefilled from a suggestion")
                           : _("Saving makes its first version"));
    }
  gtk_label_set_text (self->item_title, title);
  gtk_label_set_text (self->item_status, status);
}

/* --- prefetch -------------------------------------------------------------------------- */

typedef struct
{
  DbwCanonicalPage *self;
  char             *hash;
  gboolean          decode;
} ReadAhead;

static void
on_prefetch_blob_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ReadAhead *ahead = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dbw_store_get_blob_finish (DBW_STORE (object), result, &error);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read ahead: %s", error->message);
    }
  else if (ahead->decode && ahead->self->read_ahead != NULL)
    {
      /* Decoded now, shown at once when the user gets there. */
      g_hash_table_insert (ahead->self->read_ahead, g_strdup (ahead->hash), g_bytes_ref (bytes));
      dbw_image_annotator_prefetch (ahead->self->annotator, bytes);
    }

  g_object_unref (ahead->self);
  g_free (ahead->hash);
  g_free (ahead);
}

static void
read_ahead (DbwCanonicalPage *self,
            DbwItem          *item)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *hash = item != NULL ? dbw_item_get_blob_hash (item) : NULL;
  ReadAhead *ahead;

  if (hash == NULL || g_hash_table_contains (self->read_ahead, hash))
    return;

  ahead = g_new0 (ReadAhead, 1);
  ahead->self = g_object_ref (self);
  ahead->hash = g_strdup (hash);
  ahead->decode = is_object_detection (self, item);
  /* Otherwise read only so the file is in memory when the preview asks for it. */
  dbw_store_get_blob_async (store, hash, self->prefetch_cancellable, on_prefetch_blob_cb, ahead);
}

typedef struct
{
  DbwStore     *store;
  char         *sheet_id;
  DbwLabelType  label_type;
  char         *after;
  DbwItem      *unlabeled;
  DbwItem      *next;
} LookAhead;

static void
look_ahead_free (gpointer data)
{
  LookAhead *look = data;

  g_clear_object (&look->store);
  g_free (look->sheet_id);
  g_free (look->after);
  g_clear_object (&look->unlabeled);
  g_clear_object (&look->next);
  g_free (look);
}

/* On a sheet whose items are all labeled, finding the next unlabeled one reads every
 * item (0.15 s at 100,000): not on the main thread, after every item shown. */
static void
look_ahead_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LookAhead *look = task_data;
  g_autoptr(DbwStore) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = dbw_store_open_connection (look->store, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  look->unlabeled = dbw_canonical_ops_next_unlabeled (connection, look->sheet_id, look->label_type, look->after, &error);
  if (error != NULL)
    g_debug ("Could not look ahead: %s", error->message);
  /* The current item itself when it is the only one left: nothing to read ahead. */
  if (look->unlabeled != NULL && g_str_equal (dbw_item_get_item_ref (look->unlabeled), look->after))
    g_clear_object (&look->unlabeled);
  if (!g_cancellable_is_cancelled (cancellable))
    look->next = dbw_canonical_ops_adjacent_item (connection, look->sheet_id, look->after, TRUE, NULL);
  dbw_store_close (connection);

  g_task_return_boolean (task, TRUE);
}

static void
on_looked_ahead_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (object);
  LookAhead *look = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not look ahead: %s", error->message);
      return;
    }

  g_free (self->prefetch_after);
  self->prefetch_after = g_strdup (look->after);
  g_set_object (&self->prefetch_unlabeled, look->unlabeled);
  g_set_object (&self->prefetch_next, look->next);

  /* Only what comes next is kept: the item shown and the two it may lead to. */
  {
    const char *keep[] = {
      self->item != NULL ? dbw_item_get_blob_hash (self->item) : NULL,
      self->prefetch_unlabeled != NULL ? dbw_item_get_blob_hash (self->prefetch_unlabeled) : NULL,
      self->prefetch_next != NULL ? dbw_item_get_blob_hash (self->prefetch_next) : NULL,
    };
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->read_ahead);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (g_strcmp0 (key, keep[0]) != 0 && g_strcmp0 (key, keep[1]) != 0 && g_strcmp0 (key, keep[2]) != 0)
        g_hash_table_iter_remove (&iter);
  }

  read_ahead (self, self->prefetch_unlabeled);
  read_ahead (self, self->prefetch_next);
}

static gboolean
prefetch_cb (gpointer user_data)
{
  DbwCanonicalPage *self = user_data;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *sheet_id = selected_sheet_id (self);
  g_autoptr(GTask) task = NULL;
  LookAhead *look;

  self->prefetch_source = 0;

  if (store == NULL || sheet_id == NULL || self->item == NULL)
    return G_SOURCE_REMOVE;

  look = g_new0 (LookAhead, 1);
  look->store = g_object_ref (store);
  look->sheet_id = g_strdup (sheet_id);
  look->label_type = selected_label_type (self);
  look->after = g_strdup (dbw_item_get_item_ref (self->item));

  /* The same cancellable stops the look and the reads it starts. */
  self->prefetch_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->prefetch_cancellable, on_looked_ahead_cb, NULL);
  g_task_set_name (task, "[dbw-canonical-page] look ahead");
  g_task_set_task_data (task, look, look_ahead_free);
  g_task_run_in_thread (task, look_ahead_thread);

  return G_SOURCE_REMOVE;
}

static void
queue_prefetch (DbwCanonicalPage *self)
{
  clear_prefetch (self);
  self->prefetch_source = g_idle_add_full (G_PRIORITY_LOW, prefetch_cb, self, NULL);
}

/* --- showing an item ------------------------------------------------------------------- */

static void
focus_in_page (DbwCanonicalPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Keys reach the page only when the focus is inside it. */
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->save_button);
}

/* The image's size from the item's fields, 0 when they do not say: the annotator then
 * takes it from the decoded image. */
static void
item_image_size (DbwItem *item,
                 int     *width,
                 int     *height)
{
  g_autoptr(JsonNode) fields = dbw_item_get_fields (item) != NULL ? json_from_string (dbw_item_get_fields (item), NULL) : NULL;
  JsonObject *object = fields != NULL && JSON_NODE_HOLDS_OBJECT (fields) ? json_node_get_object (fields) : NULL;

  *width = object != NULL ? (int) json_object_get_int_member_with_default (object, "width", 0) : 0;
  *height = object != NULL ? (int) json_object_get_int_member_with_default (object, "height", 0) : 0;
  if (*width <= 0 || *height <= 0)
    *width = *height = 0;
}

/* (transfer full): the shapes of @label, or else the item's suggested ones, or none. */
static DbwShapeSet *
load_shapes (DbwCanonicalPage   *self,
             DbwItem            *item,
             DbwCanonicalLabel  *label,
             gboolean           *suggested)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;
  DbwShapeSet *shapes = NULL;
  int width, height;

  item_image_size (item, &width, &height);
  *suggested = FALSE;

  if (label != NULL && dbw_canonical_label_get_label_data (label) != NULL)
    {
      shapes = dbw_shape_set_new_from_json (dbw_canonical_label_get_label_data (label), width, height, &error);
      if (shapes == NULL)
        g_warning ("The label of %s has shapes that cannot be shown: %s", dbw_item_get_item_ref (item), error->message);
    }
  else
    {
      shapes = dbw_label_suggestions_load_shapes (store, dbw_item_get_sheet_id (item), dbw_item_get_item_ref (item),
                                                  width, height, &error);
      if (error != NULL)
        g_warning ("Could not read the suggestions for %s: %s", dbw_item_get_item_ref (item), error->message);
      *suggested = shapes != NULL;
    }

  return shapes != NULL ? shapes : dbw_shape_set_new (width, height);
}

static void
on_image_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DbwCanonicalPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dbw_store_get_blob_finish (DBW_STORE (object), result, &error);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  g_clear_object (&self->image_cancellable);
  dbw_image_annotator_set_image_bytes (self->annotator, bytes);
}

static void
show_image (DbwCanonicalPage *self,
            DbwItem          *item)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *hash = dbw_item_get_blob_hash (item);
  GBytes *bytes;

  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);

  if (hash == NULL)
    {
      dbw_image_annotator_set_image_bytes (self->annotator, NULL);
      return;
    }

  /* Read (and decoded) while the user was on the item before. */
  bytes = g_hash_table_lookup (self->read_ahead, hash);
  if (bytes != NULL)
    {
      dbw_image_annotator_set_image_bytes (self->annotator, bytes);
      return;
    }

  self->image_cancellable = g_cancellable_new ();
  dbw_store_get_blob_async (store, hash, self->image_cancellable, on_image_read_cb, g_object_ref (self));
}

static void
show_item (DbwCanonicalPage *self,
           DbwItem          *item)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwLabelType label_type = selected_label_type (self);
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(DbwItem) keep = item != NULL ? g_object_ref (item) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suggestion = NULL;

  /* An item shown by other means (a move, a draft restored) wins over the search. */
  g_cancellable_cancel (self->start_cancellable);
  g_clear_object (&self->start_cancellable);

  g_clear_object (&self->item);
  g_clear_object (&self->label);
  gtk_popover_popdown (self->history_popover);

  if (store == NULL || item == NULL)
    {
      g_cancellable_cancel (self->image_cancellable);
      gtk_stack_set_visible_child_name (self->content_stack, "no-items");
      dbw_item_preview_set_item (self->item_preview, NULL, NULL);
      update_item_header (self);
      update_actions (self);
      update_progress (self);
      return;
    }

  self->item = g_steal_pointer (&keep);
  label = dbw_canonical_ops_lookup (store, dbw_item_get_sheet_id (item), dbw_item_get_item_ref (item), label_type, &error);
  if (error != NULL)
    {
      g_warning ("Could not read the label of %s: %s", dbw_item_get_item_ref (item), error->message);
      g_clear_error (&error);
    }

  if (label != NULL)
    self->label = g_object_ref (label);
  else
    label = dbw_canonical_ops_new_for_item (store, item, label_type);

  gtk_stack_set_visible_child_name (self->content_stack, "items");
  if (is_object_detection (self, item))
    {
      gboolean suggested;
      g_autoptr(DbwShapeSet) shapes = load_shapes (self, item, self->label, &suggested);

      if (suggested)
        suggestion = dbw_shape_set_to_json (shapes);
      dbw_image_annotator_set_shapes (self->annotator, shapes);
      gtk_label_set_text (self->annotator_title, dbw_item_get_item_ref (item));
      dbw_item_preview_set_item (self->item_preview, NULL, NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "annotator");
      show_image (self, item);
    }
  else
    {
      if (self->label == NULL)
        {
          suggestion = dbw_label_suggestions_lookup (store, dbw_item_get_sheet_id (item), dbw_item_get_item_ref (item),
                                                     label_type, &error);
          if (error != NULL)
            {
              g_warning ("Could not read the suggestion for %s: %s", dbw_item_get_item_ref (item), error->message);
              g_clear_error (&error);
            }
        }
      g_cancellable_cancel (self->image_cancellable);
      gtk_stack_set_visible_child_name (self->preview_stack, "preview");
      dbw_item_preview_set_item (self->item_preview, store, item);
    }

  dbw_label_form_set_label (self->form, label, suggestion);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0);

  update_item_header (self);
  update_progress (self);
  update_actions (self);
  focus_in_page (self);
  queue_prefetch (self);
}

/* The next unlabeled item after the current one; %FALSE when every item is labeled. */
static gboolean
go_to_next_unlabeled (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *sheet_id = selected_sheet_id (self);
  const char *after = self->item != NULL ? dbw_item_get_item_ref (self->item) : NULL;
  g_autoptr(DbwItem) next = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || sheet_id == NULL)
    return FALSE;

  /* Looked up ahead while the user worked on this item; still right if that item has no
   * label of this type yet (someone else may have labeled it meanwhile). */
  if (after != NULL && g_strcmp0 (after, self->prefetch_after) == 0 && self->prefetch_unlabeled != NULL)
    {
      g_autoptr(DbwCanonicalLabel) existing =
        dbw_canonical_ops_lookup (store, sheet_id, dbw_item_get_item_ref (self->prefetch_unlabeled),
                                  selected_label_type (self), NULL);

      if (existing == NULL)
        next = g_object_ref (self->prefetch_unlabeled);
    }

  if (next == NULL)
    next = dbw_canonical_ops_next_unlabeled (store, sheet_id, selected_label_type (self), after, &error);
  if (error != NULL)
    {
      show_toast (self, error->message);
      return FALSE;
    }
  if (next == NULL)
    return FALSE;

  show_item (self, next);
  return TRUE;
}

typedef struct
{
  DbwStore     *store;
  char         *sheet_id;
  DbwLabelType  label_type;
} StartJob;

static void
start_job_free (gpointer data)
{
  StartJob *job = data;

  g_clear_object (&job->store);
  g_free (job->sheet_id);
  g_free (job);
}

/* The first unlabeled item, else the first item. On a sheet whose items are all labeled
 * the search reads every item (0.12-0.28 s at 100,000): not on the main thread. */
static void
find_start_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StartJob *job = task_data;
  g_autoptr(DbwStore) connection = NULL;
  g_autoptr(DbwItem) item = NULL;
  GError *error = NULL;

  connection = dbw_store_open_connection (job->store, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  item = dbw_canonical_ops_next_unlabeled (connection, job->sheet_id, job->label_type, NULL, &error);
  if (item == NULL && error == NULL && !g_cancellable_is_cancelled (cancellable))
    item = dbw_canonical_ops_first_item (connection, job->sheet_id, &error);
  dbw_store_close (connection);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&item), g_object_unref);
}

static void
on_start_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (object);
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->start_cancellable);
  if (error != NULL)
    show_toast (self, error->message);
  show_item (self, item);
}

/* After the sheet, label type or template changed: lay the form out and start from the
 * first unlabeled item, found in a worker. Until it is found nothing can be saved. */
static void
restart (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwTemplate *tmpl = selected_template (self);
  const char *sheet_id = selected_sheet_id (self);
  g_autoptr(GTask) task = NULL;
  StartJob *job;

  clear_prefetch (self);
  g_hash_table_remove_all (self->read_ahead);
  dbw_label_form_set_kind (self->form, selected_label_type (self),
                           tmpl != NULL ? dbw_template_get_output_schema (tmpl) : NULL);
  load_classes (self);

  if (store == NULL || sheet_id == NULL)
    {
      show_item (self, NULL);
      return;
    }

  g_cancellable_cancel (self->start_cancellable);
  g_clear_object (&self->start_cancellable);
  g_clear_object (&self->item);
  g_clear_object (&self->label);
  update_actions (self);

  job = g_new0 (StartJob, 1);
  job->store = g_object_ref (store);
  job->sheet_id = g_strdup (sheet_id);
  job->label_type = selected_label_type (self);

  self->start_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->start_cancellable, on_start_found_cb, NULL);
  g_task_set_name (task, "[dbw-canonical-page] find the first unlabeled item");
  g_task_set_task_data (task, job, start_job_free);
  g_task_run_in_thread (task, find_start_thread);
}

static void
load_templates (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  guint newest = 0;
  const char *newest_at = NULL;

  self->updating++;

  g_clear_pointer (&self->templates, g_ptr_array_unref);
  gtk_string_list_splice (self->template_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->template_names)), NULL);
  /* Translators: the template drop-down's choice for no template, the form then asks
   * for the label type's usual fields */
  gtk_string_list_append (self->template_names, _("No template"));

  if (store != NULL)
    templates = dbw_template_ops_list_library (store, NULL, selected_label_type (self),
                                               DBW_TEMPLATE_STATUS_PUBLISHED, &error);
  if (templates == NULL && error != NULL)
    g_warning ("Could not list the templates: %s", error->message);

  self->templates = templates != NULL ? g_ptr_array_ref (templates) : g_ptr_array_new ();
  for (guint i = 0; i < self->templates->len; i++)
    {
      DbwTemplate *tmpl = g_ptr_array_index (self->templates, i);
      const char *at = dbw_template_get_updated_at (tmpl);
      g_autofree char *name = NULL;

      if (at == NULL)
        at = dbw_template_get_created_at (tmpl);
      /* Translators: a template and its version, "Reading triage (v3)" */
      name = g_strdup_printf (_("%s (v%" G_GINT64_FORMAT ")"), dbw_template_get_name (tmpl),
                              dbw_template_get_version (tmpl));
      gtk_string_list_append (self->template_names, name);

      /* The newest published template of the type shapes the form unless told otherwise. */
      if (newest == 0 || g_strcmp0 (at, newest_at) > 0)
        {
          newest = i + 1;
          newest_at = at;
        }
    }
  gtk_drop_down_set_selected (self->template_dropdown, newest);
  gtk_widget_set_sensitive (GTK_WIDGET (self->template_dropdown), self->templates->len > 0);

  self->updating--;
}

static void
load_sheets (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *previous = g_strdup (selected_sheet_id (self));
  guint selected = 0;

  self->updating++;

  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  self->sheets = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_string_list_splice (self->sheet_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->sheet_names)), NULL);

  if (store != NULL && (sheets = dbw_store_list (store, DBW_TYPE_SHEET, NULL, NULL, &error)) == NULL)
    g_warning ("Could not list the sheets: %s", error->message);

  for (guint i = 0; sheets != NULL && i < sheets->len; i++)
    {
      DbwSheet *sheet = g_ptr_array_index (sheets, i);

      if (dbw_sheet_get_deleted_at (sheet) != NULL)
        continue;
      if (g_strcmp0 (dbw_record_get_id (DBW_RECORD (sheet)), previous) == 0)
        selected = self->sheets->len;
      g_ptr_array_add (self->sheets, g_object_ref (sheet));
      gtk_string_list_append (self->sheet_names, dbw_sheet_get_name (sheet));
    }
  if (self->sheets->len > 0)
    gtk_drop_down_set_selected (self->sheet_dropdown, selected);

  gtk_stack_set_visible_child_name (self->stack, self->sheets->len > 0 ? "main" : "empty");

  self->updating--;
}

/* --- the annotator ----------------------------------------------------------------------- */

static void
on_tool_toggled_cb (DbwCanonicalPage *self,
                    GtkToggleButton  *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  if (button == self->box_tool)
    dbw_image_annotator_set_tool (self->annotator, DBW_ANNOTATOR_TOOL_BOX);
  else if (button == self->polygon_tool)
    dbw_image_annotator_set_tool (self->annotator, DBW_ANNOTATOR_TOOL_POLYGON);
  else
    dbw_image_annotator_set_tool (self->annotator, DBW_ANNOTATOR_TOOL_SELECT);
}

static void
on_annotator_tool_cb (DbwCanonicalPage *self)
{
  switch (dbw_image_annotator_get_tool (self->annotator))
    {
    case DBW_ANNOTATOR_TOOL_BOX:
      gtk_toggle_button_set_active (self->box_tool, TRUE);
      break;
    case DBW_ANNOTATOR_TOOL_POLYGON:
      gtk_toggle_button_set_active (self->polygon_tool, TRUE);
      break;
    case DBW_ANNOTATOR_TOOL_SELECT:
    default:
      gtk_toggle_button_set_active (self->select_tool, TRUE);
      break;
    }
}

static void
on_annotator_editable_cb (DbwCanonicalPage *self)
{
  gboolean editable = dbw_image_annotator_get_editable (self->annotator);

  gtk_widget_set_sensitive (GTK_WIDGET (self->box_tool), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->polygon_tool), editable);
}

static void
on_annotator_history_cb (DbwCanonicalPage *self)
{
  gtk_widget_set_sensitive (self->undo_button, dbw_image_annotator_get_can_undo (self->annotator));
  gtk_widget_set_sensitive (self->redo_button, dbw_image_annotator_get_can_redo (self->annotator));
}

static void
on_undo_clicked_cb (DbwCanonicalPage *self)
{
  dbw_image_annotator_undo (self->annotator);
}

static void
on_redo_clicked_cb (DbwCanonicalPage *self)
{
  dbw_image_annotator_redo (self->annotator);
}

static void
on_fit_clicked_cb (DbwCanonicalPage *self)
{
  dbw_image_annotator_fit (self->annotator);
}

/* The classes already used on the sheet, for the palette when the template names none, read
 * in a worker thread. */
static void
classes_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DbwStore *store = g_object_get_data (G_OBJECT (task), "store");
  const char *sheet_id = g_object_get_data (G_OBJECT (task), "sheet-id");
  g_autoptr(DbwStore) connection = NULL;
  g_autoptr(GError) error = NULL;
  GStrv classes;

  connection = dbw_store_open_connection (store, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  classes = dbw_canonical_ops_list_classes (connection, sheet_id, &error);
  dbw_store_close (connection);
  if (classes == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, classes, (GDestroyNotify) g_strfreev);
}

static void
on_classes_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) classes = g_task_propagate_pointer (G_TASK (result), &error);

  if (classes == NULL)
    {
      /* The palette then has the classes of the image and the template only. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not collect the classes of the sheet: %s", error->message);
      return;
    }

  g_clear_object (&self->classes_cancellable);
  dbw_label_form_set_classes (self->form, (const char * const *) classes);
}

static void
load_classes (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->classes_cancellable);
  g_clear_object (&self->classes_cancellable);
  dbw_label_form_set_classes (self->form, NULL);

  if (store == NULL || selected_sheet_id (self) == NULL || selected_label_type (self) != DBW_LABEL_TYPE_OBJECT_DETECTION)
    return;

  self->classes_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->classes_cancellable, on_classes_loaded_cb, NULL);
  g_object_set_data_full (G_OBJECT (task), "store", g_object_ref (store), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "sheet-id", g_strdup (selected_sheet_id (self)), g_free);
  g_task_run_in_thread (task, classes_thread);
}

/* --- drop-downs ------------------------------------------------------------------------ */

static void
on_sheet_selected_cb (DbwCanonicalPage *self)
{
  if (self->updating > 0)
    return;

  restart (self);
}

static void
on_type_selected_cb (DbwCanonicalPage *self)
{
  if (self->updating > 0)
    return;

  load_templates (self);
  restart (self);
}

static void
on_template_selected_cb (DbwCanonicalPage *self)
{
  if (self->updating > 0)
    return;

  /* Same items, another form: keep the item. */
  clear_prefetch (self);
  dbw_label_form_set_kind (self->form, selected_label_type (self),
                           selected_template (self) != NULL ? dbw_template_get_output_schema (selected_template (self)) : NULL);
  if (self->item != NULL)
    {
      g_autoptr(DbwItem) item = g_object_ref (self->item);

      show_item (self, item);
    }
}

/* --- history --------------------------------------------------------------------------- */

static char *
describe_version (DbwCanonicalVersion *version)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonNode) data = version->label_data != NULL ? json_from_string (version->label_data, NULL) : NULL;
  g_autofree char *allowed = version->allowed_uses != NULL ? g_strjoinv (", ", version->allowed_uses) : g_strdup ("");
  g_autofree char *prohibited = version->prohibited_uses != NULL ? g_strjoinv (", ", version->prohibited_uses) : g_strdup ("");

  if (data != NULL && JSON_NODE_HOLDS_VALUE (data) && json_node_get_value_type (data) == G_TYPE_STRING)
    g_string_append (text, json_node_get_string (data));
  else if (data != NULL)
    {
      g_autofree char *pretty = json_to_string (data, TRUE);

      g_string_append (text, pretty);
    }
  else if (version->label_data != NULL)
    g_string_append (text, version->label_data);

  g_string_append (text, "\n\n");
  g_string_append_printf (text, "%s: %s\n", _("Confidence"),
                          dbw_enum_to_nick (DBW_TYPE_CONFIDENCE, version->confidence));
  g_string_append_printf (text, "%s: %s\n", _("Allowed uses"), allowed[0] != '\0' ? allowed : "—");
  g_string_append_printf (text, "%s: %s\n", _("Prohibited uses"), prohibited[0] != '\0' ? prohibited : "—");
  g_string_append_printf (text, "%s: %s\n", _("Data classification"),
                          dbw_enum_to_nick (DBW_TYPE_DATA_CLASSIFICATION, version->data_classification));
  if (version->usage_reason != NULL)
    g_string_append_printf (text, "%s: %s\n", _("Reason"), version->usage_reason);
  if (version->notes != NULL)
    g_string_append_printf (text, "%s: %s\n", _("Notes"), version->notes);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_history_row_selected_cb (DbwCanonicalPage *self,
                            GtkListBoxRow    *row)
{
  GtkTextBuffer *buffer;
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  g_autofree char *text = NULL;

  /* The rows go while the page is disposed. */
  if (self->history_view == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->history_view);
  if (self->history == NULL || index < 0 || (guint) index >= self->history->len)
    {
      gtk_text_buffer_set_text (buffer, "", -1);
      return;
    }

  text = describe_version (g_ptr_array_index (self->history, index));
  gtk_text_buffer_set_text (buffer, text, -1);
}

static void
load_history (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (self->history_list == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  g_clear_pointer (&self->history, g_ptr_array_unref);

  if (store == NULL || self->label == NULL)
    return;

  self->history = dbw_canonical_ops_list_history (store, dbw_record_get_id (DBW_RECORD (self->label)), &error);
  if (self->history == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  for (guint i = 0; i < self->history->len; i++)
    {
      DbwCanonicalVersion *version = g_ptr_array_index (self->history, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *title = NULL;
      g_autofree char *when = dbw_format_timestamp (version->modified_at);
      g_autofree char *subtitle = NULL;
      GtkWidget *title_label;
      GtkWidget *subtitle_label;

      /* Translators: a version of a canonical label in its history, "Version 2" */
      title = g_strdup_printf (_("Version %" G_GINT64_FORMAT), version->version);
      subtitle = when[0] != '\0'
        ? g_strdup_printf ("%s · %s", version->modified_by != NULL ? version->modified_by : _("unknown"), when)
        : g_strdup (version->modified_by != NULL ? version->modified_by : _("unknown"));
      title_label = gtk_label_new (title);
      subtitle_label = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (title_label), 0);
      gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle_label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (subtitle_label, "caption");
      gtk_widget_add_css_class (subtitle_label, "dim-label");
      gtk_widget_set_margin_top (box, 4);
      gtk_widget_set_margin_bottom (box, 4);
      gtk_box_append (GTK_BOX (box), title_label);
      gtk_box_append (GTK_BOX (box), subtitle_label);
      gtk_list_box_append (self->history_list, box);
    }

  gtk_list_box_select_row (self->history_list, gtk_list_box_get_row_at_index (self->history_list, 0));
}

static void
on_history_show_cb (DbwCanonicalPage *self)
{
  load_history (self);
}

/* --- export ---------------------------------------------------------------------------- */

typedef struct
{
  DbwStore     *store;
  GFile        *file;
  char         *sheet_id;
  DbwLabelType  label_type;
  char         *use;
  gint64        n_withheld;
} ExportData;

/* What an export can be for, as the file chooser offers it. */
static const struct {
  const char *use;
  const char *title;
} export_uses[] = {
  { DBW_USE_TRAINING, N_("Training") },
  { DBW_USE_VALIDATION, N_("Validation") },
  { DBW_USE_TESTING, N_("Testing") },
  { DBW_USE_EVALUATION, N_("Evaluation") },
  { DBW_USE_FEW_SHOT, N_("Few-shot examples") },
};

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  g_clear_object (&export->store);
  g_clear_object (&export->file);
  g_free (export->sheet_id);
  g_free (export->use);
  g_free (export);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *export = task_data;
  g_autoptr(DbwStore) connection = NULL;
  g_autoptr(GFileOutputStream) file_stream = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  /* A connection of its own: the main thread's is not for worker threads. */
  connection = dbw_store_open_connection (export->store, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  file_stream = g_file_replace (export->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (file_stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  stream = g_buffered_output_stream_new (G_OUTPUT_STREAM (file_stream));

  count = dbw_canonical_ops_export_jsonl (connection, export->sheet_id, export->label_type, export->use, stream,
                                          &export->n_withheld, cancellable, &error);
  if (count < 0 || !g_output_stream_close (stream, cancellable, &error))
    {
      /* Do not leave half a file behind. */
      g_output_stream_close (G_OUTPUT_STREAM (file_stream), NULL, NULL);
      g_file_delete (export->file, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  dbw_store_close (connection);
  g_task_return_int (task, count);
}

/**
 * dbw_canonical_page_export_async:
 * @file: where to write the labels, one JSON object per line
 * @use: what the labels are for: only those whose usage constraints allow it leave
 *
 * Exports the labels of the chosen sheet and label type in a worker thread.
 */
void
dbw_canonical_page_export_async (DbwCanonicalPage    *self,
                                 GFile               *file,
                                 const char          *use,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DbwStore *store;
  ExportData *export;

  g_return_if_fail (DBW_IS_CANONICAL_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);

  store = dbw_page_get_store (DBW_PAGE (self));
  if (store == NULL || selected_sheet_id (self) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Choose a sheet to export its labels"));
      return;
    }

  export = g_new0 (ExportData, 1);
  export->store = g_object_ref (store);
  export->file = g_object_ref (file);
  export->sheet_id = g_strdup (selected_sheet_id (self));
  export->label_type = selected_label_type (self);
  export->use = g_strdup (use);
  g_task_set_task_data (task, export, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * dbw_canonical_page_export_finish:
 * @n_withheld: (out) (optional): the labels their usage constraints kept back
 *
 * Returns: the number of labels written, -1 with @error set
 */
gint64
dbw_canonical_page_export_finish (DbwCanonicalPage  *self,
                                  GAsyncResult      *result,
                                  gint64            *n_withheld,
                                  GError           **error)
{
  ExportData *export;
  gint64 count;

  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  count = g_task_propagate_int (G_TASK (result), error);
  export = g_task_get_task_data (G_TASK (result));
  if (n_withheld != NULL)
    *n_withheld = count >= 0 && export != NULL ? export->n_withheld : 0;

  return count;
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  gint64 n_withheld = 0;
  gint64 count = dbw_canonical_page_export_finish (self, result, &n_withheld, &error);

  g_clear_object (&self->export_cancellable);
  update_actions (self);

  if (count < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          DbwWindow *window = get_window (self);

          if (window != NULL)
            dbw_window_show_error (window, _("The labels could not be exported"), error);
        }
      return;
    }

  {
    g_autofree char *n = dbw_format_count (count);
    g_autofree char *name = g_file_get_basename (file);
    g_autofree char *title = NULL;

    /* Translators: "Exported 42 labels to labels.jsonl" */
    title = g_strdup_printf (g_dngettext (NULL, "Exported %s label to %s", "Exported %s labels to %s",
                                          (gulong) MIN (count, (gint64) G_MAXLONG)), n, name);
    if (n_withheld > 0)
      {
        g_autofree char *withheld = dbw_format_count (n_withheld);
        g_autofree char *with_note = NULL;

        /* Translators: the first %s is "Exported 42 labels to labels.jsonl" */
        with_note = g_strdup_printf (g_dngettext (NULL, "%s; %s label withheld by its usage constraints",
                                                  "%s; %s labels withheld by their usage constraints",
                                                  (gulong) MIN (n_withheld, (gint64) G_MAXLONG)),
                                     title, withheld);
        g_free (title);
        title = g_steal_pointer (&with_note);
      }
    show_toast (self, title);
  }
}

static void
on_export_response_cb (DbwCanonicalPage     *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *use = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      use = g_strdup (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "use"));
    }
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  self->export_cancellable = g_cancellable_new ();
  update_actions (self);
  dbw_canonical_page_export_async (self, file, dbw_use_is_valid (use) ? use : DBW_USE_TRAINING,
                                   self->export_cancellable, on_exported_cb, g_object_ref (file));
}

/* --- usage constraints ----------------------------------------------------------------- */

static void
on_constraints_applied_cb (DbwConstraintsDialog *dialog,
                           gint64                n_changed,
                           DbwCanonicalPage     *self)
{
  g_autofree char *title = NULL;

  if (n_changed == 0)
    title = g_strdup (_("Usage constraints unchanged"));
  else
    title = g_strdup_printf (ngettext ("Usage constraints changed for %" G_GINT64_FORMAT " label",
                                       "Usage constraints changed for %" G_GINT64_FORMAT " labels", n_changed),
                             n_changed);
  show_toast (self, title);

  /* The label on show has a new version now: show that one, or saving would conflict. */
  if (n_changed > 0 && self->item != NULL && !dbw_label_form_get_modified (self->form))
    {
      g_autoptr(DbwItem) item = g_object_ref (self->item);

      show_item (self, item);
    }
}

static void
open_constraints (DbwCanonicalPage   *self,
                  const char * const *ids)
{
  DbwConstraintsDialog *dialog;

  if (ids == NULL || ids[0] == NULL)
    {
      show_toast (self, _("This sheet has no labels of this type yet"));
      return;
    }
  /* The dialog writes the stored label; edits in the form would then be on an old version. */
  if (self->item != NULL && dbw_label_form_get_modified (self->form))
    {
      show_toast (self, _("Save or discard the changes to this label first"));
      return;
    }

  dialog = dbw_constraints_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       dbw_page_get_store (DBW_PAGE (self)),
                                       DBW_GOVERNANCE_TARGET_CANONICAL_LABEL, ids);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_constraints_applied_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
constraints_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);

  if (self->label != NULL && dbw_page_get_store (DBW_PAGE (self)) != NULL)
    {
      const char *ids[] = { dbw_record_get_id (DBW_RECORD (self->label)), NULL };

      open_constraints (self, ids);
    }
}

static void
label_ids_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DbwCanonicalPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  ids = dbw_canonical_ops_list_ids_finish (DBW_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->ids_cancellable);
  if (ids == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  /* One label would open as a single one, showing its state; many start at Keep. */
  open_constraints (self, (const char * const *) ids);
}

/* A sheet may have a label on each of 100,000 items: their ids are read in a worker. */
static void
constraints_all_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));

  if (store == NULL || selected_sheet_id (self) == NULL || self->ids_cancellable != NULL)
    return;

  self->ids_cancellable = g_cancellable_new ();
  dbw_canonical_ops_list_ids_async (store, selected_sheet_id (self), selected_label_type (self),
                                    self->ids_cancellable, label_ids_cb, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);
  DbwSheet *sheet = selected_sheet (self);
  g_autofree char *name = NULL;
  GtkFileFilter *filter;

  if (sheet == NULL || self->chooser != NULL || self->export_cancellable != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Canonical Labels"),
                                               GTK_WINDOW (get_window (self)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s-%s.jsonl", dbw_sheet_get_name (sheet),
                          dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, selected_label_type (self)));
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("JSON Lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_mime_type (filter, "application/x-ndjson");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);

  /* Every way out of the project passes the usage gate: labels leave for one use. */
  {
    const char *ids[G_N_ELEMENTS (export_uses) + 1] = { NULL, };
    const char *titles[G_N_ELEMENTS (export_uses) + 1] = { NULL, };

    for (guint i = 0; i < G_N_ELEMENTS (export_uses); i++)
      {
        ids[i] = export_uses[i].use;
        titles[i] = _(export_uses[i].title);
      }
    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (self->chooser), "use", _("Export for"), ids, titles);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (self->chooser), "use", DBW_USE_TRAINING);
  }

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- actions --------------------------------------------------------------------------- */

/* Saves the form as the item's label. Returns FALSE, with a toast saying why, when it was not
 * saved (invalid, a reason missing, or someone saved a newer version meanwhile). */
static gboolean
save_label (DbwCanonicalPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || self->item == NULL)
    return FALSE;

  label = dbw_label_form_build_label (self->form, &error);
  if (label == NULL)
    {
      show_toast (self, error->message);
      return FALSE;
    }

  if (!dbw_canonical_ops_save (store, label, &error))
    {
      if (g_error_matches (error, DBW_CANONICAL_OPS_ERROR, DBW_CANONICAL_OPS_ERROR_CONFLICT))
        {
          g_autoptr(DbwItem) item = g_object_ref (self->item);

          /* Show what is stored now; the user's edit was not saved. */
          show_toast (self, error->message);
          show_item (self, item);
          return FALSE;
        }
      show_toast (self, error->message);
      return FALSE;
    }

  /* The suggestions were accepted or fixed: they are done. */
  if (!dbw_label_suggestions_dismiss (store, dbw_item_get_sheet_id (self->item), dbw_item_get_item_ref (self->item),
                                      selected_label_type (self), &error))
    {
      g_warning ("Could not dismiss the suggestions for %s: %s", dbw_item_get_item_ref (self->item), error->message);
      g_clear_error (&error);
    }

  g_set_object (&self->label, label);
  /* The form now holds the stored label, so it has nothing unsaved (nor a draft). */
  dbw_label_form_set_label (self->form, label, NULL);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);

  if (!save_label (self))
    return;

  if (!go_to_next_unlabeled (self))
    {
      g_autoptr(DbwItem) item = g_object_ref (self->item);

      show_item (self, item);
      show_toast (self, _("Every item of the sheet has a label of this type"));
    }
}

static char *
dbw_canonical_page_dup_unsaved (DbwPage *page)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (page);

  if (self->item == NULL || !dbw_label_form_get_modified (self->form))
    return NULL;

  /* Translators: what is not saved yet; %s is an item, such as board_0042.png */
  return g_strdup_printf (_("the label of “%s”"), dbw_item_get_item_ref (self->item));
}

static gboolean
dbw_canonical_page_save_unsaved (DbwPage *page)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (page);

  if (self->item == NULL || !dbw_label_form_get_modified (self->form))
    return TRUE;

  return save_label (self);
}

static JsonObject *
dbw_canonical_page_dup_draft (DbwPage *page)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (page);
  DbwTemplate *tmpl = selected_template (self);
  JsonObject *draft;

  if (self->item == NULL || !dbw_label_form_get_modified (self->form))
    return NULL;

  draft = json_object_new ();
  json_object_set_string_member (draft, "item", dbw_record_get_id (DBW_RECORD (self->item)));
  json_object_set_string_member (draft, "label_type", dbw_enum_to_nick (DBW_TYPE_LABEL_TYPE, selected_label_type (self)));
  if (tmpl != NULL)
    json_object_set_string_member (draft, "template", dbw_record_get_id (DBW_RECORD (tmpl)));
  else
    json_object_set_null_member (draft, "template");
  /* The label as it was when the edit began: a newer version elsewhere wins. */
  json_object_set_int_member (draft, "label_version", self->label != NULL ? dbw_canonical_label_get_version (self->label) : 0);
  json_object_set_member (draft, "form", dbw_label_form_dup_draft (self->form));

  return draft;
}

static void
dbw_canonical_page_restore_draft (DbwPage    *page,
                                  JsonObject *draft)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(DbwCanonicalLabel) label = NULL;
  g_autofree char *title = NULL;
  JsonNode *form;
  const char *template_id;
  int label_type;

  form = json_object_get_member (draft, "form");
  template_id = json_object_get_string_member_with_default (draft, "template", NULL);
  if (form == NULL || !JSON_NODE_HOLDS_OBJECT (form) ||
      !dbw_enum_from_nick (DBW_TYPE_LABEL_TYPE, json_object_get_string_member_with_default (draft, "label_type", ""), &label_type))
    return;

  item = dbw_store_get (store, DBW_TYPE_ITEM, json_object_get_string_member_with_default (draft, "item", ""), NULL);
  if (item != NULL)
    label = dbw_canonical_ops_lookup (store, dbw_item_get_sheet_id (item), dbw_item_get_item_ref (item),
                                      label_type, NULL);
  if (item == NULL || !dbw_canonical_page_set_sheet (self, dbw_item_get_sheet_id (item)) ||
      (label != NULL ? dbw_canonical_label_get_version (label) : 0) !=
        json_object_get_int_member_with_default (draft, "label_version", -1))
    {
      show_toast (self, _("Changes to a label that were not saved could not be restored: the label or its item changed since"));
      dbw_page_draft_changed (page);
      return;
    }
  dbw_canonical_page_set_label_type (self, label_type);
  if (!dbw_canonical_page_set_template (self, template_id))
    {
      show_toast (self, _("Changes to a label that were not saved could not be restored: their template is gone"));
      dbw_page_draft_changed (page);
      return;
    }

  show_item (self, item);
  dbw_label_form_restore_draft (self->form, json_node_get_object (form));
  /* Translators: %s is an item, such as board_0042.png */
  title = g_strdup_printf (_("Your changes to the label of “%s”, not saved yet, are back"), dbw_item_get_item_ref (item));
  show_toast (self, title);
}

static void
on_form_changed_cb (DbwCanonicalPage *self)
{
  dbw_page_draft_changed (DBW_PAGE (self));
}

/* Going to another item with changes in the form asks first: save them, drop them, or stay. */
static void
on_unsaved_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (user_data);
  g_autofree char *action = g_strdup (self->pending_action);

  g_clear_pointer (&self->pending_action, g_free);
  if (action == NULL || g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (response, "save") && !save_label (self))
    return;

  self->leaving = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
  self->leaving = FALSE;
}

static gboolean
confirm_leaving (DbwCanonicalPage *self,
                 const char       *action_name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->leaving || self->item == NULL || !dbw_label_form_get_modified (self->form))
    return TRUE;
  if (self->pending_action != NULL)
    return FALSE;

  self->pending_action = g_strdup (action_name);
  dialog = dbw_unsaved_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save the Changes to This Label?"), NULL, _("_Keep Editing"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The changes to the label of “%s” are lost if you go on without saving them."),
                                  dbw_item_get_item_ref (self->item));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}

static void
next_unlabeled_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);

  if (!confirm_leaving (self, action_name))
    return;
  if (!go_to_next_unlabeled (self))
    show_toast (self, _("Every item of the sheet has a label of this type"));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  gboolean forward = g_str_equal (action_name, "canonical.next");
  g_autoptr(DbwItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || self->item == NULL || !confirm_leaving (self, action_name))
    return;

  if (forward && self->prefetch_next != NULL &&
      g_strcmp0 (self->prefetch_after, dbw_item_get_item_ref (self->item)) == 0)
    item = g_object_ref (self->prefetch_next);
  else
    item = dbw_canonical_ops_adjacent_item (store, dbw_item_get_sheet_id (self->item),
                                            dbw_item_get_item_ref (self->item), forward, &error);
  if (error != NULL)
    {
      show_toast (self, error->message);
      return;
    }
  if (item == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  show_item (self, item);
}

static void
choose_class_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);

  if (!dbw_label_form_choose_class (self->form, (guint) g_variant_get_int32 (parameter)))
    gtk_widget_error_bell (widget);
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);

  if (self->label != NULL)
    gtk_menu_button_popup (self->history_button);
}

static void
show_lineage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);
  DbwLineageWindow *window;

  if (self->label == NULL)
    return;

  window = dbw_lineage_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), dbw_page_get_store (DBW_PAGE (self)),
                                   DBW_LINEAGE_NODE_CANONICAL_LABEL, dbw_record_get_id (DBW_RECORD (self->label)));
  gtk_window_present (GTK_WINDOW (window));
}

/* --- the store ------------------------------------------------------------------------- */

static void
on_store_changed_cb (DbwCanonicalPage *self,
                     const char       *table,
                     DbwChangeKind     kind,
                     const char       *id,
                     DbwStore         *store)
{
  if (g_str_equal (table, "sheets") || kind == DBW_CHANGE_RESET)
    {
      g_autofree char *before = g_strdup (selected_sheet_id (self));

      load_sheets (self);
      if (g_strcmp0 (before, selected_sheet_id (self)) != 0)
        restart (self);
    }
  else if (g_str_equal (table, "templates"))
    {
      DbwTemplate *tmpl = selected_template (self);
      g_autofree char *before = g_strdup (tmpl != NULL ? dbw_record_get_id (DBW_RECORD (tmpl)) : NULL);

      load_templates (self);
      tmpl = selected_template (self);
      if (g_strcmp0 (before, tmpl != NULL ? dbw_record_get_id (DBW_RECORD (tmpl)) : NULL) != 0)
        on_template_selected_cb (self);
    }
  else if (g_str_equal (table, "canonical_labels") || g_str_equal (table, "items"))
    {
      /* Labels made in Label (Mode A) or imported count too. */
      update_progress (self);
      if (self->item == NULL && g_str_equal (table, "items"))
        restart (self);
    }
}

static void
dbw_canonical_page_store_changed (DbwPage *page)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);

  clear_prefetch (self);
  g_hash_table_remove_all (self->read_ahead);
  g_cancellable_cancel (self->export_cancellable);
  g_cancellable_cancel (self->ids_cancellable);
  g_clear_object (&self->ids_cancellable);
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  g_clear_object (&self->item);
  g_clear_object (&self->label);

  if (store != NULL)
    {
      self->watched_store = g_object_ref (store);
      self->store_changed_handler =
        g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* A read-only project's labels are shown, not changed; the annotator follows the form. */
  dbw_label_form_set_editable (self->form, !dbw_page_is_read_only (page));

  load_sheets (self);
  load_templates (self);
  if (store != NULL && self->sheets->len > 0)
    restart (self);
  else
    show_item (self, NULL);
}

static void
dbw_canonical_page_unmap (GtkWidget *widget)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (widget);

  /* A popover left open outlives the window's surface otherwise. */
  gtk_popover_popdown (self->history_popover);

  GTK_WIDGET_CLASS (dbw_canonical_page_parent_class)->unmap (widget);
}

static void
dbw_canonical_page_dispose (GObject *object)
{
  DbwCanonicalPage *self = DBW_CANONICAL_PAGE (object);

  clear_prefetch (self);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_cancellable_cancel (self->ids_cancellable);
  g_clear_object (&self->ids_cancellable);
  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  g_cancellable_cancel (self->classes_cancellable);
  g_clear_object (&self->classes_cancellable);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_cancellable_cancel (self->start_cancellable);
  g_clear_object (&self->start_cancellable);
  g_clear_pointer (&self->read_ahead, g_hash_table_unref);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  g_clear_object (&self->item);
  g_clear_object (&self->label);
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->progress_text, g_free);
  g_clear_pointer (&self->pending_action, g_free);

  G_OBJECT_CLASS (dbw_canonical_page_parent_class)->dispose (object);
}

static void
dbw_canonical_page_class_init (DbwCanonicalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_canonical_page_dispose;
  widget_class->unmap = dbw_canonical_page_unmap;
  page_class->store_changed = dbw_canonical_page_store_changed;
  page_class->dup_unsaved = dbw_canonical_page_dup_unsaved;
  page_class->save_unsaved = dbw_canonical_page_save_unsaved;
  page_class->dup_draft = dbw_canonical_page_dup_draft;
  page_class->restore_draft = dbw_canonical_page_restore_draft;

  g_type_ensure (DBW_TYPE_CONSTRAINT_BADGES);
  g_type_ensure (DBW_TYPE_IMAGE_ANNOTATOR);
  g_type_ensure (DBW_TYPE_ITEM_PREVIEW);
  g_type_ensure (DBW_TYPE_LABEL_FORM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-canonical-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, sheet_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, sheet_names);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, type_names);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, template_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, template_names);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, item_preview);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, annotator);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, annotator_title);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, select_tool);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, box_tool);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, polygon_tool);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, undo_button);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, redo_button);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, item_title);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, item_status);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, label_badges);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, history_popover);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, history_view);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, form);
  gtk_widget_class_bind_template_child (widget_class, DbwCanonicalPage, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_history_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_tool_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_undo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_redo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_fit_clicked_cb);

  gtk_widget_class_install_action (widget_class, "canonical.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "canonical.next-unlabeled", NULL, next_unlabeled_action);
  gtk_widget_class_install_action (widget_class, "canonical.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "canonical.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "canonical.choose-class", "i", choose_class_action);
  gtk_widget_class_install_action (widget_class, "canonical.show-history", NULL, show_history_action);
  gtk_widget_class_install_action (widget_class, "canonical.show-lineage", NULL, show_lineage_action);
  gtk_widget_class_install_action (widget_class, "canonical.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "canonical.constraints", NULL, constraints_action);
  gtk_widget_class_install_action (widget_class, "canonical.constraints-all", NULL, constraints_all_action);

  /* Single keys bubble up from the focused widget: a text field takes them first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "canonical.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "canonical.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "canonical.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "canonical.next-unlabeled", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "canonical.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "canonical.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "canonical.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "canonical.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "canonical.show-history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, 0, "canonical.constraints", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "canonical.show-lineage", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "canonical.export", NULL);
  for (int i = 1; i <= 9; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, 0, "canonical.choose-class", "i", i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + i, 0, "canonical.choose-class", "i", i);
    }
}

static void
dbw_canonical_page_init (DbwCanonicalPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Long sheet and template names would keep the window from narrowing. */
  dbw_drop_down_set_ellipsized (self->sheet_dropdown);
  dbw_drop_down_set_ellipsized (self->type_dropdown);
  dbw_drop_down_set_ellipsized (self->template_dropdown);

  for (int i = 0; i < N_LABEL_TYPES; i++)
    gtk_string_list_append (self->type_names, dbw_label_type_describe (i));

  self->sheets = g_ptr_array_new_with_free_func (g_object_unref);
  self->templates = g_ptr_array_new ();
  self->read_ahead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);

  dbw_label_form_set_annotator (self->form, self->annotator);
  g_signal_connect_swapped (self->annotator, "notify::tool", G_CALLBACK (on_annotator_tool_cb), self);
  g_signal_connect_swapped (self->annotator, "notify::editable", G_CALLBACK (on_annotator_editable_cb), self);
  g_signal_connect_swapped (self->annotator, "notify::can-undo", G_CALLBACK (on_annotator_history_cb), self);
  g_signal_connect_swapped (self->annotator, "notify::can-redo", G_CALLBACK (on_annotator_history_cb), self);
  on_annotator_history_cb (self);

  g_signal_connect_object (self->form, "changed", G_CALLBACK (on_form_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::modified", G_CALLBACK (on_form_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->sheet_dropdown, "notify::selected", G_CALLBACK (on_sheet_selected_cb), self);
  g_signal_connect_swapped (self->type_dropdown, "notify::selected", G_CALLBACK (on_type_selected_cb), self);
  g_signal_connect_swapped (self->template_dropdown, "notify::selected", G_CALLBACK (on_template_selected_cb), self);

  show_item (self, NULL);
}

/* --- public API ------------------------------------------------------------------------ */

/**
 * dbw_canonical_page_set_sheet:
 *
 * Returns: whether the project has a sheet with that id
 */
gboolean
dbw_canonical_page_set_sheet (DbwCanonicalPage *self,
                              const char       *sheet_id)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), FALSE);

  for (guint i = 0; self->sheets != NULL && i < self->sheets->len; i++)
    if (g_strcmp0 (dbw_record_get_id (g_ptr_array_index (self->sheets, i)), sheet_id) == 0)
      {
        if (gtk_drop_down_get_selected (self->sheet_dropdown) == i)
          return TRUE;
        gtk_drop_down_set_selected (self->sheet_dropdown, i);
        return TRUE;
      }

  return FALSE;
}

const char *
dbw_canonical_page_get_sheet_id (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), NULL);

  return selected_sheet_id (self);
}

void
dbw_canonical_page_set_label_type (DbwCanonicalPage *self,
                                   DbwLabelType      label_type)
{
  g_return_if_fail (DBW_IS_CANONICAL_PAGE (self));
  g_return_if_fail (label_type < N_LABEL_TYPES);

  gtk_drop_down_set_selected (self->type_dropdown, label_type);
}

DbwLabelType
dbw_canonical_page_get_label_type (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), DBW_LABEL_TYPE_CLASSIFICATION);

  return selected_label_type (self);
}

/**
 * dbw_canonical_page_set_template:
 * @template_row_id: (nullable): the id of a published template of the label type, or %NULL
 *   for none
 *
 * Returns: whether the template is one the page offers
 */
gboolean
dbw_canonical_page_set_template (DbwCanonicalPage *self,
                                 const char       *template_row_id)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), FALSE);

  if (template_row_id == NULL)
    {
      gtk_drop_down_set_selected (self->template_dropdown, 0);
      return TRUE;
    }

  for (guint i = 0; self->templates != NULL && i < self->templates->len; i++)
    if (g_strcmp0 (dbw_record_get_id (g_ptr_array_index (self->templates, i)), template_row_id) == 0)
      {
        gtk_drop_down_set_selected (self->template_dropdown, i + 1);
        return TRUE;
      }

  return FALSE;
}

/**
 * dbw_canonical_page_get_item:
 *
 * Returns: (transfer none) (nullable): the item being labeled
 */
DbwItem *
dbw_canonical_page_get_item (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), NULL);

  return self->item;
}

/**
 * dbw_canonical_page_get_form:
 *
 * Returns: (transfer none): the label form
 */
DbwLabelForm *
dbw_canonical_page_get_form (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), NULL);

  return self->form;
}

/**
 * dbw_canonical_page_get_counting:
 *
 * Returns: whether the progress is being counted again
 */
gboolean
dbw_canonical_page_get_counting (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), FALSE);

  return self->count_cancellable != NULL;
}

/**
 * dbw_canonical_page_get_searching:
 *
 * Returns: whether the page is finding the item to start from, after the sheet or the
 *   label type changed
 */
gboolean
dbw_canonical_page_get_searching (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), FALSE);

  return self->start_cancellable != NULL;
}

/**
 * dbw_canonical_page_get_progress_text:
 *
 * Returns: the progress as shown, "3 of 12 labeled"
 */
const char *
dbw_canonical_page_get_progress_text (DbwCanonicalPage *self)
{
  g_return_val_if_fail (DBW_IS_CANONICAL_PAGE (self), NULL);

  return self->progress_text;
}
