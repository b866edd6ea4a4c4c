/* dbw-label-page.c
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

#define G_LOG_DOMAIN "dbw-label-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-bitset-selection.h"
#include "dbw-canonical-ops.h"
#include "dbw-code-view.h"
#include "dbw-constraint-badges.h"
#include "dbw-constraints-dialog.h"
#include "dbw-image-annotator.h"
#include "dbw-item.h"
#include "dbw-item-preview.h"
#include "dbw-label-page.h"
#include "dbw-pair-counter.h"
#include "dbw-qa-pair.h"
#include "dbw-query-model.h"
#include "dbw-review.h"
#include "dbw-shapes.h"
#include "dbw-template.h"
#include "dbw-training-sheet.h"
#include "dbw-window.h"
#include "dbw-widget-util.h"

/* Mode A: an expert reviews the Q&A pairs of a Training Sheet, one at a time, the
 * conversation beside the source item, or many at once in a list. The queue is a
 * DbwQueryModel of the sheet's pairs (filtered by status, ordered by the model's
 * confidence), read in a worker thread and a page at a time, so a sheet of 100,000 pairs
 * never loads whole; the one-at-a-time view walks the same model by position. Decisions go
 * through DbwReview, each committed at once; the page then moves on to the next pair,
 * whose item (and file content) it read ahead while the expert was reading. */

/* The most of one message shown: a label lays out everything it holds. */
#define MAX_MESSAGE (64 * 1024)
/* How far around its old place a pair is looked for when the queue changes. */
#define RELOCATE_WINDOW 512
/* Items and file contents read ahead, kept for going back one or two. */
#define CACHE_SIZE 4

typedef enum
{
  FILTER_ALL,
  FILTER_UNLABELED,
  FILTER_LABELED,
  FILTER_REJECTED,
  FILTER_FLAGGED,
} Filter;

typedef struct
{
  GtkWidget *box;
  GtkLabel  *role;
  GtkLabel  *content;
} MessageRow;

struct _DbwLabelPage
{
  DbwPage             parent_instance;

  GtkStack           *stack;
  GtkDropDown        *sheet_dropdown;
  GtkDropDown        *filter_dropdown;
  GtkToggleButton    *sort_button;
  GtkLabel           *progress_label;
  GtkProgressBar     *progress_bar;
  GtkLabel           *counts_label;
  GtkToggleButton    *review_toggle;
  GtkToggleButton    *list_toggle;
  GtkStack           *view_stack;
  GtkStack           *review_stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *done_page;
  GtkWidget          *show_all_button;
  AdwLeaflet         *leaflet;
  GtkLabel           *status_label;
  DbwConstraintBadges *pair_badges;
  GtkLabel           *pair_title;
  GtkLabel           *meta_label;
  GtkScrolledWindow  *conversation_scroller;
  GtkWidget          *messages_box;
  GtkWidget          *editor_box;
  DbwCodeView        *editor;
  GtkLabel           *notes_label;
  GtkWidget          *approve_button;
  GtkWidget          *reject_button;
  GtkWidget          *flag_button;
  DbwItemPreview     *preview;
  GtkStack           *source_stack;
  GtkLabel           *annotator_title;
  DbwImageAnnotator  *annotator;
  GCancellable       *annotator_cancellable;
  GtkColumnView      *column_view;
  GtkLabel           *selection_label;
  GtkWidget          *bulk_reject_button;
  GtkWidget          *bulk_flag_button;
  GtkPopover         *note_popover;
  GtkLabel           *note_title;
  GtkEntry           *note_entry;
  GtkButton          *note_confirm_button;
  GtkRevealer        *busy_revealer;
  GtkLabel           *busy_label;
  GtkProgressBar     *busy_bar;
  GtkWidget          *busy_cancel_button;

  DbwStore           *watched_store;
  gulong              store_changed_handler;
  DbwReview          *review;
  DbwQueryModel      *training_sheets;
  DbwPairCounter     *counter;

  DbwTrainingSheet   *training_sheet;
  gboolean            object_detection; /* its template draws boxes: images show them */
  DbwQueryModel      *pairs;
  DbwBitsetSelection *selection;
  char               *items_sheet_id;   /* the sheet whose items the pairs were made from */

  DbwQaPair          *pair;             /* on show, or NULL */
  guint               position;         /* of @pair in @pairs, or GTK_INVALID_LIST_POSITION */
  guint               anchor;           /* where to go on from when @position is unknown */
  GPtrArray          *message_rows;     /* MessageRow */
  int                 assistant_row;    /* the message the editor replaces, or -1 */
  gboolean            keep_on_show;     /* an undo or redo showed it: keep it when it leaves the queue */
  gboolean            editing;
  char               *edit_original;    /* the answer as it was when editing began */
  JsonObject         *pending_draft;    /* an edit kept from the last session, not shown yet */

  DbwReviewDecision   note_decision;
  gboolean            note_bulk;

  GArray             *undo_kinds;       /* DbwReviewDecision, parallel to the review's steps */
  GArray             *redo_kinds;

  GCancellable       *background;       /* a decision, undo or redo of many pairs under way */
  guint               busy_reveal_source;
  guint               busy_pulse_source;  /* while the selected pairs' ids are read */

  GQueue              item_cache;       /* DbwItem, most recent first */
  GHashTable         *blob_cache;       /* blob hash → GBytes */
  GQueue              blob_order;       /* blob hashes, most recent first */
  GCancellable       *prefetch_cancellable;
  guint               prefetch_source;
};

G_DEFINE_FINAL_TYPE (DbwLabelPage, dbw_label_page, DBW_TYPE_PAGE)

/* A decision on more pairs than this, and its undo and redo, runs in the background. */
#define BACKGROUND_MIN_PAIRS 200
/* Its progress shows once it has taken this long. */
#define BUSY_REVEAL_DELAY_MS 150
#define BUSY_PULSE_MS        100

enum {
  PROP_0,
  PROP_PAIR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void show_position (DbwLabelPage *self,
                           guint         position);
static void update_actions (DbwLabelPage *self);
static gboolean apply_draft (DbwLabelPage *self);

/* --- helpers ---------------------------------------------------------------------------- */

static const char *
status_describe (DbwQaStatus status)
{
  switch (status)
    {
    case DBW_QA_STATUS_UNLABELED: return _("Unlabeled");
    case DBW_QA_STATUS_LABELED:   return _("Labeled");
    case DBW_QA_STATUS_REJECTED:  return _("Rejected");
    case DBW_QA_STATUS_FLAGGED:   return _("Flagged");
    default:                      return "";
    }
}

static const char *
decision_describe (DbwReviewDecision decision)
{
  switch (decision)
    {
    case DBW_REVIEW_DECISION_APPROVE: return _("Approve");
    case DBW_REVIEW_DECISION_EDIT:    return _("Edit");
    case DBW_REVIEW_DECISION_REJECT:  return _("Reject");
    case DBW_REVIEW_DECISION_FLAG:    return _("Flag");
    default:                          return "";
    }
}

static void
toast (DbwLabelPage *self,
       const char   *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (DBW_IS_WINDOW (root))
    dbw_window_show_toast (DBW_WINDOW (root), title);
}

static void
toast_error (DbwLabelPage *self,
             const GError *error)
{
  g_autofree char *title = g_strdup_printf (_("The decision was not saved: %s"), error->message);

  toast (self, title);
}

static char *
truncate_text (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len <= MAX_MESSAGE)
    return g_strdup (text != NULL ? text : "");

  {
    const char *end = g_utf8_find_prev_char (text, text + MAX_MESSAGE + 1);
    g_autofree char *part = g_strndup (text, end - text);

    /* Translators: shown after the first part of a very long message */
    return g_strconcat (part, "\n\n", _("[The message goes on; Edit shows all of it.]"), NULL);
  }
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, TRUE);
}

/* The messages of @pair as (role, content) pairs, in order. */
static GPtrArray *
parse_messages (DbwQaPair *pair)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  root = json_from_string (dbw_qa_pair_get_messages (pair), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return messages;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      g_ptr_array_add (messages, g_strdup (json_object_get_string_member_with_default (object, "role", "")));
      g_ptr_array_add (messages, node_to_text (json_object_get_member (object, "content")));
    }

  return messages;
}

static char *
last_message_of_role (DbwQaPair  *pair,
                      const char *role)
{
  g_autoptr(GPtrArray) messages = parse_messages (pair);

  for (guint i = messages->len; i >= 2; i -= 2)
    if (g_str_equal (g_ptr_array_index (messages, i - 2), role))
      return g_strdup (g_ptr_array_index (messages, i - 1));

  return NULL;
}

/* An answer written as JSON on one line reads better indented; %NULL for anything else. */
static char *
pretty_json (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  const char *start;

  if (text == NULL || strlen (text) > MAX_MESSAGE)
    return NULL;
  start = text + strspn (text, " \t\r\n");
  if (start[0] != '{' && start[0] != '[')
    return NULL;

  node = json_from_string (text, NULL);
  if (node == NULL || !(JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    return NULL;

  return json_to_string (node, TRUE);
}

static const char *
role_describe (const char *role)
{
  if (g_str_equal (role, "system"))
    return _("System");
  if (g_str_equal (role, "user"))
    return _("User");
  if (g_str_equal (role, "assistant"))
    return _("Assistant");
  return role;
}

static gboolean
widget_has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Letters reach the page's shortcuts only when the focus is inside the page: keep it there
 * (on the conversation) unless the user put it somewhere in the page already. */
static void
take_focus (DbwLabelPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  if (g_str_equal (gtk_stack_get_visible_child_name (self->view_stack), "list"))
    {
      if (!widget_has_focus_within (GTK_WIDGET (self->column_view)))
        gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
      return;
    }

  if (self->editing)
    gtk_widget_grab_focus (GTK_WIDGET (self->editor));
  else if (gtk_widget_get_mapped (self->messages_box))
    gtk_widget_grab_focus (self->messages_box);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->review_stack));
}

/* --- read-ahead cache ---------------------------------------------------------------- */

static DbwItem *
cached_item (DbwLabelPage *self,
             const char   *item_ref)
{
  for (GList *l = self->item_cache.head; l != NULL; l = l->next)
    if (g_strcmp0 (dbw_item_get_item_ref (l->data), item_ref) == 0)
      return l->data;

  return NULL;
}

/* The newest version of the item a pair was made from; one indexed query. */
static DbwItem *
lookup_item (DbwLabelPage *self,
             const char   *item_ref)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;
  DbwItem *item;

  if (item_ref == NULL || self->items_sheet_id == NULL || store == NULL)
    return NULL;

  item = cached_item (self, item_ref);
  if (item != NULL)
    return g_object_ref (item);

  item = dbw_canonical_ops_current_item (store, self->items_sheet_id, item_ref, &error);
  if (error != NULL)
    g_warning ("Could not look up item %s: %s", item_ref, error->message);
  if (item == NULL)
    return NULL;

  g_queue_push_head (&self->item_cache, g_object_ref (item));
  while (g_queue_get_length (&self->item_cache) > CACHE_SIZE)
    g_object_unref (g_queue_pop_tail (&self->item_cache));

  return item;
}

static void
remember_blob (DbwLabelPage *self,
               const char   *hash,
               GBytes       *bytes)
{
  if (g_hash_table_contains (self->blob_cache, hash))
    return;

  g_hash_table_insert (self->blob_cache, g_strdup (hash), g_bytes_ref (bytes));
  g_queue_push_head (&self->blob_order, g_strdup (hash));
  while (g_queue_get_length (&self->blob_order) > CACHE_SIZE)
    {
      g_autofree char *old = g_queue_pop_tail (&self->blob_order);

      g_hash_table_remove (self->blob_cache, old);
    }
}

typedef struct
{
  DbwLabelPage *self;
  char         *hash;
} Prefetch;

static void
prefetch_blob_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Prefetch *prefetch = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = dbw_store_get_blob_finish (DBW_STORE (object), result, &error);
  if (bytes != NULL && prefetch->self->blob_cache != NULL)
    {
      remember_blob (prefetch->self, prefetch->hash, bytes);
      /* Decoding a large scan takes longer than reading it: start that too. */
      if (prefetch->self->object_detection && prefetch->self->annotator != NULL)
        dbw_image_annotator_prefetch (prefetch->self->annotator, bytes);
    }

  g_object_unref (prefetch->self);
  g_free (prefetch->hash);
  g_free (prefetch);
}

static void
prefetch_item (DbwLabelPage *self,
               guint         position)
{
  g_autoptr(DbwQaPair) pair = NULL;
  g_autoptr(DbwItem) item = NULL;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *hash;

  if (self->pairs == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->pairs)))
    return;

  pair = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);
  item = lookup_item (self, dbw_qa_pair_get_item_ref (pair));
  if (item == NULL || store == NULL)
    return;

  hash = dbw_item_get_blob_hash (item);
  if (hash == NULL || g_hash_table_contains (self->blob_cache, hash))
    return;

  if (dbw_item_get_modality (item) == DBW_MODALITY_PDF || dbw_item_get_modality (item) == DBW_MODALITY_IMAGE)
    {
      Prefetch *prefetch = g_new0 (Prefetch, 1);

      prefetch->self = g_object_ref (self);
      prefetch->hash = g_strdup (hash);
      dbw_store_get_blob_async (store, hash, self->prefetch_cancellable, prefetch_blob_cb, prefetch);
    }
}

static gboolean
prefetch_cb (gpointer user_data)
{
  DbwLabelPage *self = user_data;

  self->prefetch_source = 0;

  if (self->position != GTK_INVALID_LIST_POSITION)
    {
      prefetch_item (self, self->position + 1);
      if (self->position > 0)
        prefetch_item (self, self->position - 1);
    }

  return G_SOURCE_REMOVE;
}

static void
queue_prefetch (DbwLabelPage *self)
{
  if (self->prefetch_source == 0)
    self->prefetch_source = g_idle_add_full (G_PRIORITY_LOW, prefetch_cb, self, NULL);
}

/* --- showing a pair --------------------------------------------------------------------- */

static MessageRow *
message_row (DbwLabelPage *self,
             guint         index)
{
  MessageRow *row;

  if (index < self->message_rows->len)
    return g_ptr_array_index (self->message_rows, index);

  row = g_new0 (MessageRow, 1);
  row->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  row->role = GTK_LABEL (gtk_label_new (NULL));
  row->content = GTK_LABEL (gtk_label_new (NULL));

  gtk_widget_add_css_class (row->box, "message");
  gtk_widget_add_css_class (GTK_WIDGET (row->role), "caption-heading");
  gtk_label_set_xalign (row->role, 0.0f);
  gtk_label_set_xalign (row->content, 0.0f);
  gtk_label_set_wrap (row->content, TRUE);
  gtk_label_set_wrap_mode (row->content, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (row->content, TRUE);
  gtk_box_append (GTK_BOX (row->box), GTK_WIDGET (row->role));
  gtk_box_append (GTK_BOX (row->box), GTK_WIDGET (row->content));
  gtk_box_append (GTK_BOX (self->messages_box), row->box);
  g_ptr_array_add (self->message_rows, row);

  return row;
}

static void
show_messages (DbwLabelPage *self)
{
  g_autoptr(GPtrArray) messages = parse_messages (self->pair);
  guint n = messages->len / 2;

  self->assistant_row = -1;

  for (guint i = 0; i < n; i++)
    {
      MessageRow *row = message_row (self, i);
      const char *role = g_ptr_array_index (messages, 2 * i);
      g_autofree char *pretty = pretty_json (g_ptr_array_index (messages, 2 * i + 1));
      g_autofree char *content = truncate_text (pretty != NULL ? pretty : g_ptr_array_index (messages, 2 * i + 1));

      gtk_label_set_label (row->role, role_describe (role));
      gtk_label_set_label (row->content, content);
      gtk_widget_set_visible (row->box, TRUE);

      gtk_widget_remove_css_class (row->box, "system");
      gtk_widget_remove_css_class (row->box, "user");
      gtk_widget_remove_css_class (row->box, "assistant");
      if (g_str_equal (role, "system") || g_str_equal (role, "user") || g_str_equal (role, "assistant"))
        gtk_widget_add_css_class (row->box, role);

      if (g_str_equal (role, "assistant"))
        self->assistant_row = i;
    }

  for (guint i = n; i < self->message_rows->len; i++)
    gtk_widget_set_visible (((MessageRow *) g_ptr_array_index (self->message_rows, i))->box, FALSE);

  if (n == 0)
    {
      MessageRow *row = message_row (self, 0);

      gtk_label_set_label (row->role, "");
      gtk_label_set_label (row->content, _("This pair has no messages yet."));
      gtk_widget_set_visible (row->box, TRUE);
    }
}

static void
update_pair_header (DbwLabelPage *self)
{
  DbwQaPair *pair = self->pair;
  g_autoptr(GString) meta = g_string_new (NULL);
  guint n = self->pairs != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->pairs)) : 0;
  const char *notes;
  static const char *classes[] = { "unlabeled", "labeled", "rejected", "flagged" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), classes[i]);

  dbw_constraint_badges_set_record (self->pair_badges, pair);
  if (pair == NULL)
    return;

  gtk_label_set_label (self->status_label, status_describe (dbw_qa_pair_get_status (pair)));
  if ((guint) dbw_qa_pair_get_status (pair) < G_N_ELEMENTS (classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), classes[dbw_qa_pair_get_status (pair)]);

  if (self->position != GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *at = dbw_format_count (self->position + 1);
      g_autofree char *of = dbw_format_count (n);
      /* Translators: the pair on show and how many the queue holds, "Pair 3 of 500" */
      g_autofree char *title = g_strdup_printf (_("Pair %s of %s"), at, of);

      gtk_label_set_label (self->pair_title, title);
    }
  else
    gtk_label_set_label (self->pair_title, _("Pair outside this view"));

  g_string_append (meta, dbw_qa_pair_get_item_ref (pair));
  if (dbw_qa_pair_get_ai_confidence (pair) >= 0.0)
    {
      /* Translators: the model's confidence in its answer, "confidence 0.42" */
      g_autofree char *confidence = g_strdup_printf (_("confidence %.2f"), dbw_qa_pair_get_ai_confidence (pair));

      g_string_append_printf (meta, " · %s", confidence);
    }
  if (dbw_qa_pair_get_labeling_mode (pair) == DBW_LABELING_MODE_CANONICAL)
    g_string_append_printf (meta, " · %s", _("from a canonical label"));
  if (dbw_qa_pair_get_reviewed_by (pair) != NULL && dbw_qa_pair_get_status (pair) != DBW_QA_STATUS_UNLABELED)
    {
      /* Translators: who made the last decision on a pair */
      g_autofree char *by = g_strdup_printf (_("by %s"), dbw_qa_pair_get_reviewed_by (pair));

      g_string_append_printf (meta, " · %s", by);
    }
  gtk_label_set_label (self->meta_label, meta->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->meta_label), meta->str);

  notes = dbw_qa_pair_get_review_notes (pair);
  if (notes != NULL && notes[0] != '\0' && dbw_qa_pair_get_status (pair) != DBW_QA_STATUS_UNLABELED)
    {
      g_autofree char *text = NULL;

      if (dbw_qa_pair_get_status (pair) == DBW_QA_STATUS_REJECTED)
        /* Translators: why a pair was rejected */
        text = g_strdup_printf (_("Reason: %s"), notes);
      else
        /* Translators: a reviewer's note on a pair */
        text = g_strdup_printf (_("Note: %s"), notes);
      gtk_label_set_label (self->notes_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->notes_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->notes_label), FALSE);
}

static void
stop_editing (DbwLabelPage *self)
{
  if (!self->editing)
    return;

  self->editing = FALSE;
  g_clear_pointer (&self->edit_original, g_free);
  dbw_page_draft_changed (DBW_PAGE (self));
  gtk_widget_set_visible (self->editor_box, FALSE);
  if (self->assistant_row >= 0 && (guint) self->assistant_row < self->message_rows->len)
    gtk_widget_set_visible (((MessageRow *) g_ptr_array_index (self->message_rows, self->assistant_row))->box, TRUE);
  update_actions (self);
}

static void
annotator_blob_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DbwLabelPage) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = dbw_store_get_blob_finish (DBW_STORE (object), result, &error);
  if (bytes == NULL || self->annotator == NULL)
    return;

  dbw_image_annotator_set_image_bytes (self->annotator, bytes);
}

/* An image whose answer is object-detection JSON shows its boxes on it, in the annotator
 * (which cannot be edited here: Edit changes the JSON). Returns %FALSE to show the item
 * with the ordinary preview. */
static gboolean
show_boxes (DbwLabelPage *self,
            DbwItem      *item,
            GBytes       *content)
{
  g_autofree char *answer = NULL;
  g_autoptr(DbwShapeSet) shapes = NULL;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));

  g_cancellable_cancel (self->annotator_cancellable);
  g_clear_object (&self->annotator_cancellable);

  if (!self->object_detection || item == NULL || store == NULL ||
      dbw_item_get_modality (item) != DBW_MODALITY_IMAGE || dbw_item_get_blob_hash (item) == NULL)
    return FALSE;

  answer = last_message_of_role (self->pair, "assistant");
  if (answer == NULL || (shapes = dbw_shape_set_new_from_json (answer, 0, 0, NULL)) == NULL)
    return FALSE;

  dbw_item_preview_set_item (self->preview, NULL, NULL);
  gtk_label_set_label (self->annotator_title, dbw_item_get_item_ref (item));
  dbw_image_annotator_set_shapes (self->annotator, shapes);
  if (content != NULL)
    dbw_image_annotator_set_image_bytes (self->annotator, content);
  else
    {
      self->annotator_cancellable = g_cancellable_new ();
      dbw_image_annotator_set_image_bytes (self->annotator, NULL);
      dbw_store_get_blob_async (store, dbw_item_get_blob_hash (item), self->annotator_cancellable,
                                annotator_blob_cb, g_object_ref (self));
    }
  gtk_stack_set_visible_child_name (self->source_stack, "annotator");

  return TRUE;
}

static void
show_pair (DbwLabelPage *self,
           DbwQaPair    *pair,
           guint         position)
{
  g_autoptr(DbwItem) item = NULL;
  gboolean same = pair != NULL && self->pair != NULL &&
                  g_strcmp0 (dbw_record_get_id (DBW_RECORD (pair)), dbw_record_get_id (DBW_RECORD (self->pair))) == 0;

  stop_editing (self);

  if (position != GTK_INVALID_LIST_POSITION)
    self->anchor = position;
  self->position = position;
  self->keep_on_show = FALSE;
  g_set_object (&self->pair, pair);

  if (pair == NULL)
    {
      dbw_item_preview_set_item (self->preview, NULL, NULL);
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAIR]);
      return;
    }

  show_messages (self);
  update_pair_header (self);
  gtk_stack_set_visible_child_name (self->review_stack, "pair");

  if (!same)
    {
      DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
      GBytes *content = NULL;

      item = lookup_item (self, dbw_qa_pair_get_item_ref (pair));
      if (item != NULL && dbw_item_get_blob_hash (item) != NULL)
        content = g_hash_table_lookup (self->blob_cache, dbw_item_get_blob_hash (item));
      if (!show_boxes (self, item, content))
        {
          gtk_stack_set_visible_child_name (self->source_stack, "preview");
          dbw_item_preview_set_item_with_content (self->preview, store, item, content);
        }

      /* A new pair starts at the top of its conversation. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->conversation_scroller), 0.0);
    }

  update_actions (self);
  queue_prefetch (self);

  /* The first pair shown after the page opened: the keys are for it from now on. */
  if (!widget_has_focus_within (GTK_WIDGET (self)))
    take_focus (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAIR]);
}

/* The counts of the training sheet on show, or %NULL while they are not known. */
static const DbwPairCounts *
lookup_counts (DbwLabelPage *self)
{
  static const DbwPairCounts none = { 0 };
  const DbwPairCounts *counts;

  if (self->training_sheet == NULL || self->counter == NULL || !dbw_pair_counter_get_counted (self->counter))
    return NULL;
  counts = dbw_pair_counter_lookup (self->counter, dbw_record_get_id (DBW_RECORD (self->training_sheet)));
  /* The counter lists the training sheets that have pairs. */
  return counts != NULL ? counts : &none;
}

/* Whether the training sheet on show is known to hold no pair at all. */
static gboolean
training_sheet_is_empty (DbwLabelPage *self)
{
  const DbwPairCounts *counts = lookup_counts (self);

  return counts != NULL && counts->total == 0;
}

static void
show_queue_end (DbwLabelPage *self)
{
  Filter filter = gtk_drop_down_get_selected (self->filter_dropdown);
  gboolean empty;

  show_pair (self, NULL, GTK_INVALID_LIST_POSITION);

  if (self->pairs != NULL && dbw_query_model_get_loading (self->pairs))
    {
      gtk_stack_set_visible_child_name (self->review_stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
      return;
    }

  gtk_spinner_set_spinning (self->spinner, FALSE);
  /* A sheet with no pairs at all is not "every pair reviewed", whatever the filter. */
  empty = training_sheet_is_empty (self);
  if (filter == FILTER_ALL || empty)
    {
      adw_status_page_set_title (self->done_page, _("No Pairs Yet"));
      dbw_status_page_set_description_text (self->done_page, _("This Training Sheet has no Q&A pairs. Generate makes them."));
    }
  else if (filter == FILTER_UNLABELED)
    {
      adw_status_page_set_title (self->done_page, _("Every Pair Is Reviewed"));
      adw_status_page_set_description (self->done_page, _("No pair of this Training Sheet waits for a decision. Approved pairs are ready for Train."));
    }
  else
    {
      adw_status_page_set_title (self->done_page, _("No Pairs With This Status"));
      adw_status_page_set_description (self->done_page, NULL);
    }
  gtk_widget_set_visible (self->show_all_button, filter != FILTER_ALL && !empty);
  gtk_stack_set_visible_child_name (self->review_stack, "done");
}

static void
show_position (DbwLabelPage *self,
               guint         position)
{
  g_autoptr(DbwQaPair) pair = NULL;
  guint n = self->pairs != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->pairs)) : 0;

  if (n == 0)
    {
      show_queue_end (self);
      return;
    }

  position = MIN (position, n - 1);
  pair = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);
  show_pair (self, pair, position);
}

/* --- counts ----------------------------------------------------------------------------- */

static void
update_progress (DbwLabelPage *self)
{
  const DbwPairCounts *counts = lookup_counts (self);
  g_autofree char *reviewed = NULL;
  g_autofree char *total = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *unlabeled = NULL, *labeled = NULL, *rejected = NULL, *flagged = NULL;
  g_autofree char *line = NULL;

  if (counts == NULL)
    {
      gtk_label_set_label (self->progress_label, "");
      gtk_label_set_label (self->counts_label, "");
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      return;
    }

  reviewed = dbw_format_count (counts->total - counts->unlabeled);
  total = dbw_format_count (counts->total);
  /* Translators: review progress, "150 of 500 reviewed" */
  progress = g_strdup_printf (_("%s of %s reviewed"), reviewed, total);
  gtk_label_set_label (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 counts->total > 0 ? (double) (counts->total - counts->unlabeled) / counts->total : 0.0);

  unlabeled = dbw_format_count (counts->unlabeled);
  labeled = dbw_format_count (counts->labeled);
  rejected = dbw_format_count (counts->rejected);
  flagged = dbw_format_count (counts->flagged);
  /* Translators: pairs by status, "300 unlabeled · 150 labeled · 30 rejected · 20 flagged" */
  line = g_strdup_printf (_("%s unlabeled · %s labeled · %s rejected · %s flagged"),
                          unlabeled, labeled, rejected, flagged);
  if (counts->canonical > 0)
    {
      g_autofree char *canonical = dbw_format_count (counts->canonical);
      /* Translators: pairs approved before review because their item had a canonical label */
      g_autofree char *pre = g_strdup_printf (_("%s pre-approved"), canonical);
      char *joined = g_strconcat (line, " · ", pre, NULL);

      g_free (line);
      line = joined;
    }
  gtk_label_set_label (self->counts_label, line);

  /* The counts may come after the end of the queue was shown: say it right. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->review_stack), "done") == 0)
    show_queue_end (self);
}

/* --- the queue ------------------------------------------------------------------------- */

static void
update_selection_label (DbwLabelPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  guint64 n = 0;

  if (self->selection != NULL)
    {
      selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
      n = gtk_bitset_get_size (selected);
    }

  if (n == 0)
    gtk_label_set_label (self->selection_label, _("Select pairs to approve, reject or flag them together"));
  else
    {
      g_autofree char *count = dbw_format_count (n);
      /* Translators: how many pairs are selected in the list */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s pair selected", "%s pairs selected", n), count);

      gtk_label_set_label (self->selection_label, text);
    }
  update_actions (self);
}

static gboolean
pair_at_is (DbwLabelPage *self,
            guint         position,
            const char   *id)
{
  g_autoptr(DbwQaPair) pair = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);

  return pair != NULL && g_strcmp0 (dbw_record_get_id (DBW_RECORD (pair)), id) == 0;
}

/* The queue changed (a decision moved a pair out of the filter, an undo brought one back, a
 * reload arrived): keep showing the same pair at its new place, or, when it left the queue,
 * whatever came into its place. */
static void
on_pairs_changed_cb (DbwLabelPage *self,
                     guint         position,
                     guint         removed,
                     guint         added,
                     GListModel   *model)
{
  guint n = g_list_model_get_n_items (model);
  const char *id = self->pair != NULL ? dbw_record_get_id (DBW_RECORD (self->pair)) : NULL;
  guint old = self->position;

  if (id == NULL)
    {
      if (!dbw_query_model_get_loading (self->pairs) && g_str_equal (gtk_stack_get_visible_child_name (self->review_stack), "loading"))
        show_position (self, 0);
      else if (n == 0)
        show_queue_end (self);
      return;
    }

  if (old != GTK_INVALID_LIST_POSITION && old < position)
    {
      update_pair_header (self);
      return;
    }

  if (old != GTK_INVALID_LIST_POSITION && old >= position + removed)
    {
      self->position = old + added - removed;
      self->anchor = self->position;
      update_pair_header (self);
      return;
    }

  /* The pair was inside the range that changed, or its place was unknown. */
  {
    guint from = position;
    guint to = MIN (position + added, n);
    guint centre = old != GTK_INVALID_LIST_POSITION ? old : self->anchor;

    if (to - from > 2 * RELOCATE_WINDOW)
      {
        from = centre > RELOCATE_WINDOW ? MAX (from, centre - RELOCATE_WINDOW) : from;
        to = MIN (to, from + 2 * RELOCATE_WINDOW);
      }

    for (guint i = from; i < to; i++)
      if (pair_at_is (self, i, id))
        {
          self->position = self->anchor = i;
          update_pair_header (self);
          return;
        }
  }

  /* Gone from the queue. Its place is where it stood, but no further than the end of the
   * changed range: when reloads merge, several pairs before it may have left with it, and
   * what stood after it is now at position + added. */
  if (old != GTK_INVALID_LIST_POSITION)
    old = MIN (old, position + added);

  /* What now stands in its place is shown — unless an undo or redo showed it, so the
   * expert sees what the step did (J then goes on from where it stood). When only its
   * place was unknown (an undo showed it before the queue caught up), keep it too. */
  if (old == GTK_INVALID_LIST_POSITION || self->keep_on_show)
    {
      if (old != GTK_INVALID_LIST_POSITION)
        self->anchor = MIN (old, n);
      self->position = GTK_INVALID_LIST_POSITION;
      update_pair_header (self);
      return;
    }

  if (n == 0)
    show_queue_end (self);
  else
    show_position (self, MIN (old, n - 1));
}

static void
on_pairs_loading_cb (DbwLabelPage *self)
{
  if (self->pairs == NULL || dbw_query_model_get_loading (self->pairs))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (self->pair == NULL && !apply_draft (self))
    show_position (self, 0);
}

static void
apply_queue_options (DbwLabelPage *self)
{
  static const char *nicks[] = { NULL, "unlabeled", "labeled", "rejected", "flagged" };
  Filter filter = gtk_drop_down_get_selected (self->filter_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->pairs == NULL)
    return;

  if (filter > FILTER_ALL && filter < G_N_ELEMENTS (nicks))
    dbw_query_model_set_filter (self->pairs, "status", nicks[filter], &error);
  else
    dbw_query_model_unset_filter (self->pairs, "status", &error);
  if (error == NULL)
    dbw_query_model_set_sort (self->pairs,
                              gtk_toggle_button_get_active (self->sort_button) ? "ai_confidence" : NULL,
                              FALSE, &error);
  if (error != NULL)
    g_warning ("Could not order the pairs: %s", error->message);

  /* Every position may move: start again from the top once the new order is known. */
  show_pair (self, NULL, GTK_INVALID_LIST_POSITION);
  gtk_stack_set_visible_child_name (self->review_stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);
}

static void
set_training_sheet (DbwLabelPage     *self,
                    DbwTrainingSheet *training_sheet)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;

  if (training_sheet != NULL && self->training_sheet != NULL &&
      g_str_equal (dbw_record_get_id (DBW_RECORD (training_sheet)), dbw_record_get_id (DBW_RECORD (self->training_sheet))))
    return;

  stop_editing (self);
  show_pair (self, NULL, GTK_INVALID_LIST_POSITION);
  g_set_object (&self->training_sheet, training_sheet);

  self->object_detection = FALSE;
  if (training_sheet != NULL && store != NULL && dbw_training_sheet_get_template_id (training_sheet) != NULL)
    {
      g_autoptr(DbwTemplate) tmpl = dbw_store_get (store, DBW_TYPE_TEMPLATE,
                                                   dbw_training_sheet_get_template_id (training_sheet), NULL);

      self->object_detection = tmpl != NULL && dbw_template_get_label_type (tmpl) == DBW_LABEL_TYPE_OBJECT_DETECTION;
    }

  if (self->pairs != NULL)
    g_signal_handlers_disconnect_by_data (self->pairs, self);
  dbw_bitset_selection_set_model (self->selection, NULL);
  g_clear_object (&self->pairs);
  g_clear_pointer (&self->items_sheet_id, g_free);
  g_queue_clear_full (&self->item_cache, g_object_unref);

  if (training_sheet != NULL && store != NULL)
    {
      /* Asynchronous from the start: even the first query runs in a worker thread. */
      self->pairs = g_object_new (DBW_TYPE_QUERY_MODEL,
                                  "store", store,
                                  "record-type", DBW_TYPE_QA_PAIR,
                                  "asynchronous", TRUE,
                                  NULL);
      if (!dbw_query_model_set_filter (self->pairs, "training_sheet_id",
                                       dbw_record_get_id (DBW_RECORD (training_sheet)), &error))
        g_warning ("Could not list the pairs: %s", error->message);
      g_signal_connect_object (self->pairs, "items-changed", G_CALLBACK (on_pairs_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->pairs, "notify::loading", G_CALLBACK (on_pairs_loading_cb), self, G_CONNECT_SWAPPED);

      self->items_sheet_id = g_strdup (dbw_training_sheet_get_sheet_id (training_sheet));

      apply_queue_options (self);
    }

  dbw_bitset_selection_set_model (self->selection, self->pairs != NULL ? G_LIST_MODEL (self->pairs) : NULL);
  update_progress (self);
  update_selection_label (self);
}

static void
on_sheet_selected_cb (DbwLabelPage *self)
{
  DbwTrainingSheet *training_sheet = gtk_drop_down_get_selected_item (self->sheet_dropdown);

  set_training_sheet (self, training_sheet);
}

static void
on_training_sheets_changed_cb (DbwLabelPage *self)
{
  guint n = self->training_sheets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)) : 0;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "main" : "empty");
  if (n == 0)
    set_training_sheet (self, NULL);
  else
    on_sheet_selected_cb (self);
}

/* --- decisions -------------------------------------------------------------------------- */

static void
push_undo (DbwLabelPage      *self,
           DbwReviewDecision  decision)
{
  g_array_append_val (self->undo_kinds, decision);
  g_array_set_size (self->redo_kinds, 0);
}

/* After a decision on the pair on show: on to the one after it. */
static void
advance (DbwLabelPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->pairs));

  if (self->position != GTK_INVALID_LIST_POSITION && self->position + 1 < n)
    show_position (self, self->position + 1);
  else if (self->pair != NULL)
    {
      /* The last one: stay, showing the decision. */
      g_autoptr(DbwQaPair) fresh = dbw_store_get (dbw_page_get_store (DBW_PAGE (self)), DBW_TYPE_QA_PAIR,
                                                  dbw_record_get_id (DBW_RECORD (self->pair)), NULL);
      if (fresh != NULL)
        {
          g_set_object (&self->pair, fresh);
          update_pair_header (self);
        }
    }
  take_focus (self);
}

static gboolean
in_list_mode (DbwLabelPage *self)
{
  return g_str_equal (gtk_stack_get_visible_child_name (self->view_stack), "list");
}

static GStrv
selected_ids (DbwLabelPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      {
        g_autoptr(DbwQaPair) pair = g_list_model_get_item (G_LIST_MODEL (self->pairs), position);

        if (pair != NULL && dbw_record_get_id (DBW_RECORD (pair)) != NULL)
          g_strv_builder_add (builder, dbw_record_get_id (DBW_RECORD (pair)));
      }
    while (gtk_bitset_iter_next (&iter, &position));

  return g_strv_builder_end (builder);
}

/* --- usage constraints ------------------------------------------------------------------- */

static void
on_constraints_applied_cb (DbwConstraintsDialog *dialog,
                           gint64                n_changed,
                           DbwLabelPage         *self)
{
  g_autofree char *count = dbw_format_count ((guint64) MAX (n_changed, 0));
  g_autofree char *title = NULL;

  if (n_changed <= 0)
    title = g_strdup (_("Usage constraints unchanged"));
  else
    /* Translators: %s is a count, such as "100,000" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Usage constraints changed for %s pair",
                                          "Usage constraints changed for %s pairs", n_changed),
                             count);
  toast (self, title);
}

static void
present_constraints_dialog (DbwLabelPage       *self,
                            const char * const *ids)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwConstraintsDialog *dialog;

  if (store == NULL || ids == NULL || ids[0] == NULL)
    return;

  dialog = dbw_constraints_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), store,
                                       DBW_GOVERNANCE_TARGET_QA_PAIR, ids);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_constraints_applied_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- in the background ------------------------------------------------------------------ */

typedef enum
{
  RUN_DECIDE,
  RUN_UNDO,
  RUN_REDO,
  RUN_CONSTRAINTS,
} RunKind;

/* A decision, undo or redo of many pairs. Its answer is the page's only while the page
 * still runs it: a new project, or the page going away, lets it finish unseen. */
typedef struct
{
  DbwLabelPage      *self;
  DbwReview         *review;
  GCancellable      *cancellable;
  RunKind            kind;
  DbwReviewDecision  decision;
  char              *note;
  guint64            n_pairs;
} BackgroundRun;

static void
background_run_free (BackgroundRun *run)
{
  g_clear_object (&run->self);
  g_clear_object (&run->review);
  g_clear_object (&run->cancellable);
  g_free (run->note);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackgroundRun, background_run_free)

static gboolean
reveal_busy_cb (gpointer user_data)
{
  DbwLabelPage *self = user_data;

  self->busy_reveal_source = 0;
  gtk_revealer_set_reveal_child (self->busy_revealer, TRUE);

  return G_SOURCE_REMOVE;
}

static char *
describe_run (RunKind           kind,
              DbwReviewDecision decision,
              guint64           n)
{
  g_autofree char *count = dbw_format_count (n);

  switch (kind)
    {
    case RUN_UNDO:
      /* Translators: shown while an undo runs, "Undoing the decision on 100,000 pairs…" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Undoing the decision on %s pair…",
                                           "Undoing the decision on %s pairs…", n), count);
    case RUN_REDO:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Redoing the decision on %s pair…",
                                           "Redoing the decision on %s pairs…", n), count);
    case RUN_CONSTRAINTS:
      /* Translators: shown while the usage constraints dialog is prepared for many pairs */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Gathering %s selected pair…",
                                           "Gathering %s selected pairs…", n), count);
    case RUN_DECIDE:
    default:
      break;
    }

  switch (decision)
    {
    case DBW_REVIEW_DECISION_REJECT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rejecting %s pair…", "Rejecting %s pairs…", n), count);
    case DBW_REVIEW_DECISION_FLAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Flagging %s pair…", "Flagging %s pairs…", n), count);
    case DBW_REVIEW_DECISION_APPROVE:
    case DBW_REVIEW_DECISION_EDIT:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Approving %s pair…", "Approving %s pairs…", n), count);
    }
}

static char *
describe_decided (DbwReviewDecision decision,
                  guint64           n)
{
  g_autofree char *count = dbw_format_count (n);

  switch (decision)
    {
    case DBW_REVIEW_DECISION_REJECT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rejected %s pair", "Rejected %s pairs", n), count);
    case DBW_REVIEW_DECISION_FLAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Flagged %s pair", "Flagged %s pairs", n), count);
    case DBW_REVIEW_DECISION_APPROVE:
    case DBW_REVIEW_DECISION_EDIT:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Approved %s pair", "Approved %s pairs", n), count);
    }
}

/* Decisions wait, and the progress shows (after a moment, so a quick run does not flash). */
static BackgroundRun *
begin_background (DbwLabelPage      *self,
                  RunKind            kind,
                  DbwReviewDecision  decision,
                  const char        *note,
                  guint64            n_pairs)
{
  BackgroundRun *run = g_new0 (BackgroundRun, 1);
  g_autofree char *text = describe_run (kind, decision, n_pairs);

  g_assert (self->background == NULL);
  self->background = g_cancellable_new ();

  run->self = g_object_ref (self);
  run->review = g_object_ref (self->review);
  run->cancellable = g_object_ref (self->background);
  run->kind = kind;
  run->decision = decision;
  run->note = g_strdup (note);
  run->n_pairs = n_pairs;

  gtk_label_set_label (self->busy_label, text);
  gtk_progress_bar_set_fraction (self->busy_bar, 0.0);
  self->busy_reveal_source = g_timeout_add (BUSY_REVEAL_DELAY_MS, reveal_busy_cb, self);
  update_actions (self);

  return run;
}

static gboolean
pulse_busy_cb (gpointer user_data)
{
  DbwLabelPage *self = user_data;

  gtk_progress_bar_pulse (self->busy_bar);

  return G_SOURCE_CONTINUE;
}

static void
end_background (DbwLabelPage *self)
{
  g_clear_object (&self->background);
  g_clear_handle_id (&self->busy_reveal_source, g_source_remove);
  g_clear_handle_id (&self->busy_pulse_source, g_source_remove);
  gtk_revealer_set_reveal_child (self->busy_revealer, FALSE);
  update_actions (self);
}

/* Whether @run's answer is still the page's to show. */
static gboolean
run_is_current (BackgroundRun *run)
{
  return run->self->background == run->cancellable && run->self->review == run->review;
}

static void
on_review_progress_cb (DbwLabelPage *self)
{
  if (self->background != NULL)
    gtk_progress_bar_set_fraction (self->busy_bar, dbw_review_get_progress (self->review));
}

static void
on_background_decided_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BackgroundRun) run = user_data;
  g_autoptr(GError) error = NULL;
  DbwLabelPage *self = run->self;
  gboolean ok;

  ok = dbw_review_apply_bulk_finish (DBW_REVIEW (object), result, &error);
  if (!run_is_current (run))
    return;

  end_background (self);
  if (ok)
    {
      g_autofree char *title = describe_decided (run->decision, run->n_pairs);

      push_undo (self, run->decision);
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      toast (self, title);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Cancelled: no pair was changed"));
  else
    toast_error (self, error);
}

static void
on_background_ids_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BackgroundRun) run = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  BackgroundRun *next;

  ids = dbw_query_model_dup_ids_finish (DBW_QUERY_MODEL (object), result, &error);
  if (!run_is_current (run))
    return;

  g_clear_handle_id (&run->self->busy_pulse_source, g_source_remove);
  gtk_progress_bar_set_fraction (run->self->busy_bar, 0.0);

  if (ids == NULL)
    {
      end_background (run->self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (run->self, error);
      return;
    }

  if (run->kind == RUN_CONSTRAINTS)
    {
      end_background (run->self);
      present_constraints_dialog (run->self, (const char * const *) ids);
      return;
    }

  /* The callback takes the run: the arguments are read first. */
  next = g_steal_pointer (&run);
  dbw_review_apply_bulk_async (next->review, (const char * const *) ids, next->decision, next->note,
                               next->cancellable, on_background_decided_cb, next);
}

/* The selected pairs' ids are read in a worker too: the list holds only the pages on show. */
static void
run_on_selection (DbwLabelPage      *self,
                  RunKind            kind,
                  DbwReviewDecision  decision,
                  const char        *text,
                  GtkBitset         *selected)
{
  g_autoptr(GArray) positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), gtk_bitset_get_size (selected));
  BackgroundRun *run;
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      g_array_append_val (positions, position);
    while (gtk_bitset_iter_next (&iter, &position));

  run = begin_background (self, kind, decision, text, positions->len);
  /* How long reading the ids takes is not known: the bar pulses meanwhile. */
  self->busy_pulse_source = g_timeout_add (BUSY_PULSE_MS, pulse_busy_cb, self);
  dbw_query_model_dup_ids_async (self->pairs, (const guint *) (gpointer) positions->data, positions->len,
                                 run->cancellable, on_background_ids_cb, run);
}

static void
cancel_background_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);

  g_cancellable_cancel (self->background);
}

static void
decide (DbwLabelPage      *self,
        DbwReviewDecision  decision,
        const char        *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean ok;

  if (self->review == NULL)
    return;

  if (self->note_bulk)
    {
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
      g_auto(GStrv) ids = NULL;

      if (gtk_bitset_get_size (selected) > BACKGROUND_MIN_PAIRS)
        {
          run_on_selection (self, RUN_DECIDE, decision, text, selected);
          return;
        }

      ids = selected_ids (self);
      if (ids[0] == NULL)
        return;
      if (!dbw_review_apply_bulk (self->review, (const char * const *) ids, decision, text, &error))
        {
          toast_error (self, error);
          return;
        }
      push_undo (self, decision);
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      update_actions (self);
      return;
    }

  if (self->pair == NULL)
    return;

  id = g_strdup (dbw_record_get_id (DBW_RECORD (self->pair)));
  switch (decision)
    {
    case DBW_REVIEW_DECISION_APPROVE:
      ok = dbw_review_approve (self->review, id, &error);
      break;
    case DBW_REVIEW_DECISION_EDIT:
      ok = dbw_review_edit (self->review, id, text, &error);
      break;
    case DBW_REVIEW_DECISION_REJECT:
      ok = dbw_review_reject (self->review, id, text, &error);
      break;
    case DBW_REVIEW_DECISION_FLAG:
      ok = dbw_review_flag (self->review, id, text, &error);
      break;
    default:
      g_return_if_reached ();
    }

  if (!ok)
    {
      toast_error (self, error);
      return;
    }

  push_undo (self, decision);
  stop_editing (self);
  advance (self);
  update_actions (self);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);

  self->note_bulk = in_list_mode (self);
  decide (self, DBW_REVIEW_DECISION_APPROVE, NULL);
  self->note_bulk = FALSE;
}

static void
ask_note (DbwLabelPage      *self,
          DbwReviewDecision  decision)
{
  gboolean bulk = in_list_mode (self);
  GtkWidget *anchor;
  graphene_rect_t bounds;

  if (!bulk && self->pair == NULL)
    return;

  self->note_decision = decision;
  self->note_bulk = bulk;

  if (decision == DBW_REVIEW_DECISION_REJECT)
    {
      gtk_label_set_label (self->note_title, bulk ? _("Why are these pairs rejected?") : _("Why is this pair rejected?"));
      gtk_button_set_label (self->note_confirm_button, _("Reject"));
      anchor = bulk ? self->bulk_reject_button : self->reject_button;
    }
  else
    {
      gtk_label_set_label (self->note_title, _("A note for the next expert"));
      gtk_button_set_label (self->note_confirm_button, _("Flag"));
      anchor = bulk ? self->bulk_flag_button : self->flag_button;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_entry_set_placeholder_text (self->note_entry,
                                  decision == DBW_REVIEW_DECISION_REJECT ? _("Reason (required)") : _("Note (optional)"));

  if (gtk_widget_compute_bounds (anchor, GTK_WIDGET (self), &bounds))
    {
      GdkRectangle rect = { bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height };

      gtk_popover_set_pointing_to (self->note_popover, &rect);
    }
  gtk_popover_popup (self->note_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
  update_actions (self);
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ask_note (DBW_LABEL_PAGE (widget), DBW_REVIEW_DECISION_REJECT);
}

static void
flag_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ask_note (DBW_LABEL_PAGE (widget), DBW_REVIEW_DECISION_FLAG);
}

static void
confirm_note_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (self->note_decision == DBW_REVIEW_DECISION_REJECT && text[0] == '\0')
    {
      gtk_widget_error_bell (GTK_WIDGET (self->note_entry));
      return;
    }

  gtk_popover_popdown (self->note_popover);
  decide (self, self->note_decision, text[0] != '\0' ? text : NULL);
  self->note_bulk = FALSE;
  take_focus (self);
}

static void
on_note_entry_activate_cb (DbwLabelPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "label.confirm-note", NULL);
}

static void
on_note_entry_changed_cb (DbwLabelPage *self)
{
  update_actions (self);
}

static void
on_note_popover_closed_cb (DbwLabelPage *self)
{
  update_actions (self);
  take_focus (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);
  g_autofree char *content = NULL;
  gboolean json;

  if (self->pair == NULL || self->editing || in_list_mode (self))
    return;

  content = last_message_of_role (self->pair, "assistant");
  if (content != NULL)
    {
      const char *start = content + strspn (content, " \t\r\n");

      json = start[0] == '{' || start[0] == '[';
    }
  else
    json = FALSE;
  dbw_code_view_set_language_id (self->editor, json ? "json" : NULL);
  dbw_code_view_set_text (self->editor, content != NULL ? content : "");

  self->editing = TRUE;
  g_free (self->edit_original);
  self->edit_original = dbw_code_view_dup_text (self->editor);
  if (self->assistant_row >= 0)
    gtk_widget_set_visible (((MessageRow *) g_ptr_array_index (self->message_rows, self->assistant_row))->box, FALSE);
  gtk_widget_set_visible (self->editor_box, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
  update_actions (self);
}

static void
save_edit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);
  g_autofree char *text = NULL;

  if (!self->editing)
    return;

  text = dbw_code_view_dup_text (self->editor);
  if (text == NULL || strspn (text, " \t\r\n") == strlen (text))
    {
      gtk_widget_error_bell (GTK_WIDGET (self->editor));
      return;
    }
  decide (self, DBW_REVIEW_DECISION_EDIT, text);
}

/* The answer in the editor differs from the one editing began with. */
static gboolean
edit_changed (DbwLabelPage *self)
{
  g_autofree char *text = NULL;

  if (!self->editing || self->pair == NULL)
    return FALSE;

  text = dbw_code_view_dup_text (self->editor);

  return g_strcmp0 (text, self->edit_original) != 0;
}

static char *
dbw_label_page_dup_unsaved (DbwPage *page)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (page);

  if (!edit_changed (self))
    return NULL;

  /* Translators: what is not saved yet; %s is an item, such as row_12 */
  return g_strdup_printf (_("the edited answer of the pair on “%s” (saving it approves the pair)"),
                          dbw_qa_pair_get_item_ref (self->pair));
}

static gboolean
dbw_label_page_save_unsaved (DbwPage *page)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (page);

  if (!edit_changed (self))
    return TRUE;

  gtk_widget_activate_action (GTK_WIDGET (self), "label.save-edit", NULL);

  return !self->editing;
}

static JsonObject *
dbw_label_page_dup_draft (DbwPage *page)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (page);
  JsonObject *draft;

  if (edit_changed (self))
    {
      g_autofree char *answer = dbw_code_view_dup_text (self->editor);

      draft = json_object_new ();
      json_object_set_string_member (draft, "training_sheet", dbw_record_get_id (DBW_RECORD (self->training_sheet)));
      json_object_set_string_member (draft, "pair", dbw_record_get_id (DBW_RECORD (self->pair)));
      json_object_set_string_member (draft, "original", self->edit_original);
      json_object_set_string_member (draft, "answer", answer);
    }
  else if (self->pending_draft != NULL)
    /* Not on show yet, and still the user's. */
    draft = json_object_ref (self->pending_draft);
  else
    draft = NULL;

  return draft;
}

static void
dbw_label_page_restore_draft (DbwPage    *page,
                              JsonObject *draft)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (page);
  static const char *members[] = { "training_sheet", "pair", "original", "answer" };

  g_clear_pointer (&self->pending_draft, json_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (!JSON_NODE_HOLDS_VALUE (json_object_get_member (draft, members[i])) ||
        json_object_get_string_member (draft, members[i]) == NULL)
      return;

  self->pending_draft = json_object_ref (draft);
  if (!dbw_label_page_select_training_sheet (self, json_object_get_string_member (draft, "training_sheet")))
    {
      g_clear_pointer (&self->pending_draft, json_object_unref);
      toast (self, _("An edit that was not saved could not be restored: its training sheet was deleted"));
      dbw_page_draft_changed (page);
      return;
    }

  /* The queue may be on show already; otherwise it restores once loaded. */
  if (self->pairs != NULL && !dbw_query_model_get_loading (self->pairs) && self->pair == NULL)
    apply_draft (self);
}

/* Shows the pair of the edit kept from the last session, with the edit in the editor, if
 * the answer it was made on is still the pair's. Returns: whether it did. */
static gboolean
apply_draft (DbwLabelPage *self)
{
  g_autoptr(JsonObject) draft = NULL;
  g_autoptr(DbwQaPair) pair = NULL;
  g_autofree char *answer = NULL;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  guint position;

  if (self->pending_draft == NULL || self->training_sheet == NULL || store == NULL ||
      g_strcmp0 (dbw_record_get_id (DBW_RECORD (self->training_sheet)),
                 json_object_get_string_member (self->pending_draft, "training_sheet")) != 0)
    return FALSE;

  draft = g_steal_pointer (&self->pending_draft);
  pair = dbw_store_get (store, DBW_TYPE_QA_PAIR, json_object_get_string_member (draft, "pair"), NULL);
  if (pair != NULL)
    answer = last_message_of_role (pair, "assistant");
  if (pair == NULL || g_strcmp0 (answer, json_object_get_string_member (draft, "original")) != 0)
    {
      toast (self, _("An edit that was not saved could not be restored: its pair has changed since"));
      dbw_page_draft_changed (DBW_PAGE (self));
      return FALSE;
    }

  if (in_list_mode (self))
    gtk_toggle_button_set_active (self->list_toggle, FALSE);
  position = dbw_query_model_find_rowid (self->pairs, dbw_record_get_rowid (DBW_RECORD (pair)));
  show_pair (self, pair, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "label.edit", NULL);
  if (!self->editing)
    return TRUE;
  dbw_code_view_set_text (self->editor, json_object_get_string_member (draft, "answer"));
  toast (self, _("Your edit of this answer, not saved yet, is back"));

  return TRUE;
}

static void
on_editor_changed_cb (DbwLabelPage *self)
{
  if (self->editing)
    dbw_page_draft_changed (DBW_PAGE (self));
}

static void
cancel_edit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);

  stop_editing (self);
  take_focus (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);
  guint n;

  if (self->pairs == NULL || self->editing)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->pairs));
  if (self->position == GTK_INVALID_LIST_POSITION)
    show_position (self, self->anchor);
  else if (self->position + 1 < n)
    show_position (self, self->position + 1);
  else
    gtk_widget_error_bell (widget);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);

  if (self->pairs == NULL || self->editing)
    return;

  if (self->position == GTK_INVALID_LIST_POSITION)
    show_position (self, self->anchor > 0 ? self->anchor - 1 : 0);
  else if (self->position > 0)
    show_position (self, self->position - 1);
  else
    gtk_widget_error_bell (widget);
}

/* Undo and redo show the pair the step touched, wherever the queue has it. */
static void
jump_to_pair (DbwLabelPage *self,
              const char   *pair_id)
{
  g_autoptr(DbwQaPair) pair = NULL;
  guint n;

  if (pair_id == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->pairs));
  for (guint d = 0; d < 8; d++)
    {
      guint below = self->anchor >= d ? self->anchor - d : G_MAXUINT;
      guint above = self->anchor + d;

      if (below < n && pair_at_is (self, below, pair_id))
        {
          show_position (self, below);
          self->keep_on_show = TRUE;
          return;
        }
      if (above < n && pair_at_is (self, above, pair_id))
        {
          show_position (self, above);
          self->keep_on_show = TRUE;
          return;
        }
    }

  /* Not where the queue stands now (it will be once it reloads): show it all the same. */
  pair = dbw_store_get (dbw_page_get_store (DBW_PAGE (self)), DBW_TYPE_QA_PAIR, pair_id, NULL);
  if (pair != NULL)
    {
      if (self->pair != NULL && g_str_equal (dbw_record_get_id (DBW_RECORD (self->pair)), pair_id))
        g_clear_object (&self->pair);
      show_pair (self, pair, GTK_INVALID_LIST_POSITION);
      self->keep_on_show = TRUE;
    }
}

/* After an undo or redo, at once or in the background. */
static void
undo_or_redo_done (DbwLabelPage *self,
                   gboolean      undo,
                   const char   *pair_id,
                   const GError *error)
{
  g_autofree char *title = NULL;
  GArray *from = undo ? self->undo_kinds : self->redo_kinds;
  GArray *to = undo ? self->redo_kinds : self->undo_kinds;
  DbwReviewDecision decision = DBW_REVIEW_DECISION_APPROVE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      toast (self, undo ? _("Undo cancelled: no pair was changed") : _("Redo cancelled: no pair was changed"));
      return;
    }

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (undo ? _("Could not undo: %s") : _("Could not redo: %s"), error->message);

      toast (self, message);
      return;
    }

  if (from->len > 0)
    {
      decision = g_array_index (from, DbwReviewDecision, from->len - 1);
      g_array_set_size (from, from->len - 1);
      g_array_append_val (to, decision);
      /* Translators: "Undid Approve", "Redid Reject" — what a toast says after undo and redo */
      title = g_strdup_printf (undo ? _("Undid %s") : _("Redid %s"), decision_describe (decision));
    }
  else
    title = g_strdup (undo ? _("Undone") : _("Redone"));

  if (!in_list_mode (self))
    jump_to_pair (self, pair_id);
  toast (self, title);
  update_actions (self);
  take_focus (self);
}

static void
on_background_replayed_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BackgroundRun) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *pair_id = NULL;
  gboolean undo = run->kind == RUN_UNDO;

  if (undo)
    dbw_review_undo_finish (DBW_REVIEW (object), result, &pair_id, &error);
  else
    dbw_review_redo_finish (DBW_REVIEW (object), result, &pair_id, &error);

  if (!run_is_current (run))
    return;

  end_background (run->self);
  undo_or_redo_done (run->self, undo, pair_id, error);
}

static void
undo_or_redo (DbwLabelPage *self,
              gboolean      undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pair_id = NULL;
  guint n_pairs;

  if (self->review == NULL || self->editing || self->background != NULL)
    return;

  if (undo ? !dbw_review_get_can_undo (self->review) : !dbw_review_get_can_redo (self->review))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  n_pairs = undo ? dbw_review_get_undo_n_pairs (self->review) : dbw_review_get_redo_n_pairs (self->review);
  if (n_pairs > BACKGROUND_MIN_PAIRS)
    {
      BackgroundRun *run = begin_background (self, undo ? RUN_UNDO : RUN_REDO, DBW_REVIEW_DECISION_APPROVE, NULL, n_pairs);

      if (undo)
        dbw_review_undo_async (self->review, run->cancellable, on_background_replayed_cb, run);
      else
        dbw_review_redo_async (self->review, run->cancellable, on_background_replayed_cb, run);
      return;
    }

  if (undo)
    dbw_review_undo (self->review, &pair_id, &error);
  else
    dbw_review_redo (self->review, &pair_id, &error);
  undo_or_redo_done (self, undo, pair_id, error);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  undo_or_redo (DBW_LABEL_PAGE (widget), TRUE);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  undo_or_redo (DBW_LABEL_PAGE (widget), FALSE);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  gtk_drop_down_set_selected (DBW_LABEL_PAGE (widget)->filter_dropdown, FILTER_ALL);
}

static void
show_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  adw_leaflet_set_visible_child_name (DBW_LABEL_PAGE (widget)->leaflet, "source");
}

static void
show_conversation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "conversation");
  take_focus (self);
}

static void
update_actions (DbwLabelPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean list = in_list_mode (self);
  gboolean asking = gtk_widget_get_visible (GTK_WIDGET (self->note_popover));
  gboolean has_selection = FALSE;
  gboolean can_decide;

  if (list && self->selection != NULL)
    {
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

      has_selection = !gtk_bitset_is_empty (selected);
    }

  can_decide = self->review != NULL && self->background == NULL && !self->editing && !asking &&
               (list ? has_selection : self->pair != NULL) && !dbw_page_is_read_only (DBW_PAGE (self));

  gtk_widget_action_set_enabled (widget, "label.approve", can_decide);
  gtk_widget_action_set_enabled (widget, "label.reject", can_decide);
  gtk_widget_action_set_enabled (widget, "label.flag", can_decide);
  gtk_widget_action_set_enabled (widget, "label.edit", !list && can_decide);
  gtk_widget_action_set_enabled (widget, "label.save-edit", self->editing);
  gtk_widget_action_set_enabled (widget, "label.cancel-edit", self->editing);
  gtk_widget_action_set_enabled (widget, "label.next", !list && !self->editing && self->pairs != NULL);
  gtk_widget_action_set_enabled (widget, "label.previous", !list && !self->editing && self->pairs != NULL);
  gtk_widget_action_set_enabled (widget, "label.undo", self->review != NULL && self->background == NULL &&
                                 !self->editing && dbw_review_get_can_undo (self->review));
  gtk_widget_action_set_enabled (widget, "label.redo", self->review != NULL && self->background == NULL &&
                                 !self->editing && dbw_review_get_can_redo (self->review));
  gtk_widget_action_set_enabled (widget, "label.cancel-background", self->background != NULL);
  gtk_widget_action_set_enabled (widget, "label.confirm-note", asking);
  gtk_widget_action_set_enabled (widget, "label.constraints", self->background == NULL && !self->editing && !asking &&
                                 (list ? has_selection : self->pair != NULL) && !dbw_page_is_read_only (DBW_PAGE (self)));
}

/* The pair on show, or in list mode every selected pair: many of them are gathered in a
 * worker first, which the bar under the toolbar shows. */
static void
constraints_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);
  g_auto(GStrv) ids = NULL;

  if (dbw_page_get_store (DBW_PAGE (self)) == NULL || self->background != NULL)
    return;
  if (in_list_mode (self))
    {
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

      if (self->review != NULL && gtk_bitset_get_size (selected) > BACKGROUND_MIN_PAIRS)
        {
          run_on_selection (self, RUN_CONSTRAINTS, DBW_REVIEW_DECISION_APPROVE, NULL, selected);
          return;
        }
      ids = selected_ids (self);
    }
  else if (self->pair != NULL)
    {
      const char *single[] = { dbw_record_get_id (DBW_RECORD (self->pair)), NULL };

      ids = g_strdupv ((char **) single);
    }

  present_constraints_dialog (self, (const char * const *) ids);
}

/* --- list mode -------------------------------------------------------------------------- */

static void
on_view_toggled_cb (DbwLabelPage *self)
{
  gboolean list = gtk_toggle_button_get_active (self->list_toggle);

  if (list)
    stop_editing (self);
  gtk_stack_set_visible_child_name (self->view_stack, list ? "list" : "review");

  /* Back from the list: show the pair the list had in focus (or the first selected). */
  if (!list && self->pairs != NULL && self->selection != NULL)
    {
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

      if (!gtk_bitset_is_empty (selected))
        show_position (self, gtk_bitset_get_minimum (selected));
    }

  update_actions (self);
  take_focus (self);
}

static void
on_column_view_activate_cb (DbwLabelPage *self,
                            guint         position)
{
  gtk_toggle_button_set_active (self->review_toggle, TRUE);
  show_position (self, position);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (list_item, label);
}

typedef enum
{
  COLUMN_STATUS,
  COLUMN_ITEM,
  COLUMN_QUESTION,
  COLUMN_ANSWER,
  COLUMN_CONFIDENCE,
} Column;

static void
fill_label_cell (GtkListItem *list_item,
                 gpointer     user_data)
{
  DbwQaPair *pair = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (user_data))
    {
    case COLUMN_STATUS:
      gtk_label_set_label (label, status_describe (dbw_qa_pair_get_status (pair)));
      return;
    case COLUMN_ITEM:
      gtk_label_set_label (label, dbw_qa_pair_get_item_ref (pair));
      return;
    case COLUMN_QUESTION:
      text = last_message_of_role (pair, "user");
      break;
    case COLUMN_ANSWER:
      text = last_message_of_role (pair, "assistant");
      break;
    case COLUMN_CONFIDENCE:
      if (dbw_qa_pair_get_ai_confidence (pair) >= 0.0)
        text = g_strdup_printf ("%.2f", dbw_qa_pair_get_ai_confidence (pair));
      break;
    default:
      break;
    }

  if (text != NULL)
    {
      /* One line: the first 200 characters are more than a column shows. */
      if (g_utf8_strlen (text, -1) > 200)
        *g_utf8_offset_to_pointer (text, 200) = '\0';
      g_strdelimit (text, "\n\r\t", ' ');
    }
  gtk_label_set_label (label, text != NULL ? text : "");
}

/* Rows follow their pairs: the list refreshes them in place after a decision or an undo. */
static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  static const char * const shown[] = { "status", "item-ref", "messages", "ai-confidence", NULL };

  dbw_list_item_follow (list_item, shown, fill_label_cell, user_data);
}

static void
unbind_label_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  dbw_list_item_unfollow (list_item);
}

static void
add_badges_column (DbwLabelPage *self)
{
  g_autoptr(GtkColumnViewColumn) view_column = dbw_constraint_badges_new_column ();

  gtk_column_view_append_column (self->column_view, view_column);
}

static void
add_column (DbwLabelPage *self,
            const char   *title,
            Column        column,
            gboolean      expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_label_cb), NULL);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

/* --- the training sheet drop-down --------------------------------------------------------- */

static void
setup_sheet_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  /* Enough of the name to tell sheets apart when the window is narrow. */
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_list_item_set_child (list_item, label);
}

static void
fill_sheet_cell (GtkListItem *list_item,
                 gpointer     user_data)
{
  DbwLabelPage *self = user_data;
  DbwTrainingSheet *training_sheet = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  const DbwPairCounts *counts = NULL;

  if (self->counter != NULL)
    counts = dbw_pair_counter_lookup (self->counter, dbw_record_get_id (DBW_RECORD (training_sheet)));

  if (counts != NULL)
    {
      g_autofree char *unlabeled = dbw_format_count (counts->unlabeled);
      g_autofree char *total = dbw_format_count (counts->total);
      /* Translators: a training sheet and how many of its pairs wait, "Triage — 300 of 500 to review" */
      g_autofree char *text = g_strdup_printf (_("%s — %s of %s to review"),
                                               dbw_training_sheet_get_name (training_sheet), unlabeled, total);

      gtk_label_set_label (label, text);
    }
  else
    gtk_label_set_label (label, dbw_training_sheet_get_name (training_sheet));
}

/* A training sheet renamed elsewhere is refreshed in place. */
static void
bind_sheet_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               DbwLabelPage             *self)
{
  static const char * const shown[] = { "name", NULL };

  dbw_list_item_follow (list_item, shown, fill_sheet_cell, self);
}

static void
unbind_sheet_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 DbwLabelPage             *self)
{
  dbw_list_item_unfollow (list_item);
}

/* --- the store -------------------------------------------------------------------------- */

static void
on_store_changed_cb (DbwLabelPage  *self,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     DbwStore      *store)
{
  /* The pair on show changed in place (an undo of a decision on it, another window). */
  if (g_str_equal (table, "qa_pairs") && self->pair != NULL && !self->editing &&
      (kind == DBW_CHANGE_RESET || g_strcmp0 (id, dbw_record_get_id (DBW_RECORD (self->pair))) == 0))
    {
      g_autoptr(DbwQaPair) fresh = dbw_store_get (store, DBW_TYPE_QA_PAIR, dbw_record_get_id (DBW_RECORD (self->pair)), NULL);

      if (fresh != NULL && fresh != self->pair)
        {
          gboolean same_messages = g_strcmp0 (dbw_qa_pair_get_messages (fresh), dbw_qa_pair_get_messages (self->pair)) == 0;

          dbw_record_copy_from (DBW_RECORD (self->pair), DBW_RECORD (fresh));
          update_pair_header (self);
          if (!same_messages)
            show_messages (self);
        }
    }
}

static void
on_review_notify_cb (DbwLabelPage *self)
{
  update_actions (self);
}

static void
dbw_label_page_store_changed (DbwPage *page)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);
  g_autoptr(GError) error = NULL;

  set_training_sheet (self, NULL);
  g_clear_pointer (&self->pending_draft, json_object_unref);

  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  gtk_drop_down_set_model (self->sheet_dropdown, NULL);
  if (self->training_sheets != NULL)
    g_signal_handlers_disconnect_by_data (self->training_sheets, self);
  g_clear_object (&self->training_sheets);
  /* A run in the background finishes, or rolls back, unseen. */
  if (self->background != NULL)
    {
      g_cancellable_cancel (self->background);
      end_background (self);
    }
  if (self->review != NULL)
    g_signal_handlers_disconnect_by_data (self->review, self);
  g_clear_object (&self->review);
  g_array_set_size (self->undo_kinds, 0);
  g_array_set_size (self->redo_kinds, 0);
  g_hash_table_remove_all (self->blob_cache);
  g_queue_clear_full (&self->blob_order, g_free);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_clear_object (&self->counter);

  if (store != NULL)
    {
      self->watched_store = g_object_ref (store);
      self->store_changed_handler =
        g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);

      self->counter = g_object_ref (dbw_pair_counter_get_for_store (store));
      g_signal_connect_object (self->counter, "updated", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);

      self->review = dbw_review_new (store);
      g_signal_connect_object (self->review, "notify::can-undo", G_CALLBACK (on_review_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->review, "notify::can-redo", G_CALLBACK (on_review_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->review, "notify::progress", G_CALLBACK (on_review_progress_cb), self, G_CONNECT_SWAPPED);

      self->training_sheets = dbw_query_model_new (store, DBW_TYPE_TRAINING_SHEET);
      if (!dbw_query_model_set_sort (self->training_sheets, "created_at", TRUE, &error))
        g_warning ("Could not list the training sheets: %s", error->message);
    }

  gtk_drop_down_set_model (self->sheet_dropdown, self->training_sheets != NULL ? G_LIST_MODEL (self->training_sheets) : NULL);
  if (self->training_sheets != NULL)
    g_signal_connect_object (self->training_sheets, "items-changed",
                             G_CALLBACK (on_training_sheets_changed_cb), self, G_CONNECT_SWAPPED);
  on_training_sheets_changed_cb (self);
  update_actions (self);
}

/* --- the widget ------------------------------------------------------------------------- */

static void
message_row_free (gpointer data)
{
  g_free (data);
}

static void
dbw_label_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dbw_label_page_parent_class)->map (widget);

  take_focus (DBW_LABEL_PAGE (widget));
}

static void
dbw_label_page_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (widget);

  GTK_WIDGET_CLASS (dbw_label_page_parent_class)->size_allocate (widget, width, height, baseline);

  gtk_popover_present (self->note_popover);
}

static void
dbw_label_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAIR:
      g_value_set_object (value, self->pair);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_label_page_dispose (GObject *object)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (object);

  /* DbwPage disconnects the widgets; the selection outlives them. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  g_cancellable_cancel (self->prefetch_cancellable);
  g_cancellable_cancel (self->annotator_cancellable);
  g_cancellable_cancel (self->background);
  g_clear_object (&self->background);
  g_clear_handle_id (&self->busy_reveal_source, g_source_remove);
  g_clear_handle_id (&self->busy_pulse_source, g_source_remove);
  g_clear_object (&self->annotator_cancellable);
  g_clear_handle_id (&self->prefetch_source, g_source_remove);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (self->pairs != NULL)
    g_signal_handlers_disconnect_by_data (self->pairs, self);
  if (self->training_sheets != NULL)
    g_signal_handlers_disconnect_by_data (self->training_sheets, self);
  if (self->note_popover != NULL && gtk_widget_get_parent (GTK_WIDGET (self->note_popover)) != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->note_popover));

  /* DbwPage disposes of the template. */

  g_clear_object (&self->selection);
  g_clear_object (&self->pairs);
  g_clear_pointer (&self->items_sheet_id, g_free);
  g_clear_object (&self->training_sheets);
  g_clear_object (&self->training_sheet);
  g_clear_object (&self->review);
  g_clear_object (&self->pair);
  g_clear_object (&self->prefetch_cancellable);
  g_clear_object (&self->counter);
  g_queue_clear_full (&self->item_cache, g_object_unref);
  g_queue_clear_full (&self->blob_order, g_free);
  g_clear_pointer (&self->blob_cache, g_hash_table_unref);

  G_OBJECT_CLASS (dbw_label_page_parent_class)->dispose (object);
}

static void
dbw_label_page_finalize (GObject *object)
{
  DbwLabelPage *self = DBW_LABEL_PAGE (object);

  g_clear_pointer (&self->message_rows, g_ptr_array_unref);
  g_clear_pointer (&self->edit_original, g_free);
  g_clear_pointer (&self->pending_draft, json_object_unref);
  g_clear_pointer (&self->undo_kinds, g_array_unref);
  g_clear_pointer (&self->redo_kinds, g_array_unref);

  G_OBJECT_CLASS (dbw_label_page_parent_class)->finalize (object);
}

static void
dbw_label_page_class_init (DbwLabelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_label_page_dispose;
  object_class->finalize = dbw_label_page_finalize;
  object_class->get_property = dbw_label_page_get_property;
  widget_class->map = dbw_label_page_map;
  widget_class->size_allocate = dbw_label_page_size_allocate;
  page_class->store_changed = dbw_label_page_store_changed;
  page_class->dup_unsaved = dbw_label_page_dup_unsaved;
  page_class->save_unsaved = dbw_label_page_save_unsaved;
  page_class->dup_draft = dbw_label_page_dup_draft;
  page_class->restore_draft = dbw_label_page_restore_draft;

  /**
   * DbwLabelPage:pair:
   *
   * The Q&A pair on show in the one-at-a-time view, or %NULL.
   */
  properties [PROP_PAIR] =
    g_param_spec_object ("pair", NULL, NULL,
                         DBW_TYPE_QA_PAIR,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DBW_TYPE_CODE_VIEW);
  g_type_ensure (DBW_TYPE_CONSTRAINT_BADGES);
  g_type_ensure (DBW_TYPE_ITEM_PREVIEW);
  g_type_ensure (DBW_TYPE_IMAGE_ANNOTATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-label-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, sheet_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, sort_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, review_toggle);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, list_toggle);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, review_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, done_page);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, show_all_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, pair_badges);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, pair_title);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, conversation_scroller);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, messages_box);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, editor_box);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, editor);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, approve_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, reject_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, flag_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, preview);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, source_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, annotator_title);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, annotator);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, busy_revealer);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, busy_bar);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, busy_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, bulk_reject_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, bulk_flag_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, note_popover);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, note_title);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, DbwLabelPage, note_confirm_button);

  gtk_widget_class_install_action (widget_class, "label.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "label.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "label.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "label.flag", NULL, flag_action);
  gtk_widget_class_install_action (widget_class, "label.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "label.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "label.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "label.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "label.save-edit", NULL, save_edit_action);
  gtk_widget_class_install_action (widget_class, "label.cancel-edit", NULL, cancel_edit_action);
  gtk_widget_class_install_action (widget_class, "label.confirm-note", NULL, confirm_note_action);
  gtk_widget_class_install_action (widget_class, "label.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "label.show-source", NULL, show_source_action);
  gtk_widget_class_install_action (widget_class, "label.show-conversation", NULL, show_conversation_action);
  gtk_widget_class_install_action (widget_class, "label.constraints", NULL, constraints_action);
  gtk_widget_class_install_action (widget_class, "label.cancel-background", NULL, cancel_background_action);
}

static void
add_shortcut (GtkEventController *controller,
              guint               keyval,
              GdkModifierType     modifiers,
              const char         *action_name)
{
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                                          gtk_named_action_new (action_name)));
}

static void
dbw_label_page_init (DbwLabelPage *self)
{
  GtkEventController *controller;
  GtkListItemFactory *factory;

  self->message_rows = g_ptr_array_new_with_free_func (message_row_free);
  self->undo_kinds = g_array_new (FALSE, FALSE, sizeof (DbwReviewDecision));
  self->redo_kinds = g_array_new (FALSE, FALSE, sizeof (DbwReviewDecision));
  self->blob_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->prefetch_cancellable = g_cancellable_new ();
  self->position = GTK_INVALID_LIST_POSITION;
  self->assistant_row = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_parent (GTK_WIDGET (self->note_popover), GTK_WIDGET (self));
  dbw_image_annotator_set_editable (self->annotator, FALSE);
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->editor)), "changed",
                           G_CALLBACK (on_editor_changed_cb), self, G_CONNECT_SWAPPED);

  /* Bubbling, local: a key typed into the editor or an entry is theirs, and only what the
   * focused widget leaves reaches these. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "dbw-label-shortcuts");
  add_shortcut (controller, GDK_KEY_a, 0, "label.approve");
  add_shortcut (controller, GDK_KEY_e, 0, "label.edit");
  add_shortcut (controller, GDK_KEY_r, 0, "label.reject");
  add_shortcut (controller, GDK_KEY_f, 0, "label.flag");
  add_shortcut (controller, GDK_KEY_j, 0, "label.next");
  add_shortcut (controller, GDK_KEY_k, 0, "label.previous");
  add_shortcut (controller, GDK_KEY_u, 0, "label.constraints");
  add_shortcut (controller, GDK_KEY_z, GDK_CONTROL_MASK, "label.undo");
  add_shortcut (controller, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "label.redo");
  add_shortcut (controller, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "label.redo");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* The editor's keys come first: Ctrl+Return would otherwise be a new line. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_shortcut (controller, GDK_KEY_Return, GDK_CONTROL_MASK, "label.save-edit");
  add_shortcut (controller, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "label.save-edit");
  add_shortcut (controller, GDK_KEY_Escape, 0, "label.cancel-edit");
  gtk_widget_add_controller (self->editor_box, controller);

  self->selection = dbw_bitset_selection_new (NULL);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (update_selection_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (update_selection_label), self, G_CONNECT_SWAPPED);
  add_column (self, _("Status"), COLUMN_STATUS, FALSE);
  add_column (self, _("Item"), COLUMN_ITEM, FALSE);
  add_column (self, _("Question"), COLUMN_QUESTION, TRUE);
  add_column (self, _("Answer"), COLUMN_ANSWER, TRUE);
  add_column (self, _("Confidence"), COLUMN_CONFIDENCE, FALSE);
  add_badges_column (self);
  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (on_column_view_activate_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_sheet_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_sheet_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_sheet_cb), self, 0);
  gtk_drop_down_set_factory (self->sheet_dropdown, factory);
  g_object_unref (factory);

  g_signal_connect_object (self->sheet_dropdown, "notify::selected", G_CALLBACK (on_sheet_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_dropdown, "notify::selected", G_CALLBACK (apply_queue_options), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_button, "toggled", G_CALLBACK (apply_queue_options), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_toggle, "toggled", G_CALLBACK (on_view_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->note_entry, "activate", G_CALLBACK (on_note_entry_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->note_entry, "changed", G_CALLBACK (on_note_entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->note_popover, "closed", G_CALLBACK (on_note_popover_closed_cb), self, G_CONNECT_SWAPPED);

  gtk_drop_down_set_selected (self->filter_dropdown, FILTER_UNLABELED);
  on_view_toggled_cb (self);
  update_selection_label (self);
  update_actions (self);
}

/**
 * dbw_label_page_get_pair:
 *
 * Returns: (transfer none) (nullable): the pair on show in the one-at-a-time view
 */
DbwQaPair *
dbw_label_page_get_pair (DbwLabelPage *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_PAGE (self), NULL);

  return self->pair;
}

/**
 * dbw_label_page_get_position:
 *
 * Returns: where the pair on show stands in the queue, or %GTK_INVALID_LIST_POSITION
 */
guint
dbw_label_page_get_position (DbwLabelPage *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_PAGE (self), GTK_INVALID_LIST_POSITION);

  return self->position;
}

/**
 * dbw_label_page_get_queue:
 *
 * Returns: (transfer none) (nullable): the pairs of the queue, as filtered and ordered
 */
GListModel *
dbw_label_page_get_queue (DbwLabelPage *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_PAGE (self), NULL);

  return self->pairs != NULL ? G_LIST_MODEL (self->pairs) : NULL;
}

/**
 * dbw_label_page_select_training_sheet:
 * @training_sheet_id: the id of a training sheet of the project
 *
 * Returns: whether the project has that training sheet (it is then on show)
 */
gboolean
dbw_label_page_select_training_sheet (DbwLabelPage *self,
                                      const char   *training_sheet_id)
{
  guint n;

  g_return_val_if_fail (DBW_IS_LABEL_PAGE (self), FALSE);

  n = self->training_sheets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->training_sheets)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwTrainingSheet) training_sheet = g_list_model_get_item (G_LIST_MODEL (self->training_sheets), i);

      if (g_strcmp0 (dbw_record_get_id (DBW_RECORD (training_sheet)), training_sheet_id) == 0)
        {
          gtk_drop_down_set_selected (self->sheet_dropdown, i);
          set_training_sheet (self, training_sheet);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * dbw_label_page_set_status_filter:
 * @status: (nullable): "unlabeled", "labeled", "rejected", "flagged", or %NULL for all
 */
void
dbw_label_page_set_status_filter (DbwLabelPage *self,
                                  const char   *status)
{
  static const char *nicks[] = { NULL, "unlabeled", "labeled", "rejected", "flagged" };

  g_return_if_fail (DBW_IS_LABEL_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    if (g_strcmp0 (nicks[i], status) == 0)
      gtk_drop_down_set_selected (self->filter_dropdown, i);
}

DbwReview *
dbw_label_page_get_review (DbwLabelPage *self)
{
  g_return_val_if_fail (DBW_IS_LABEL_PAGE (self), NULL);

  return self->review;
}
