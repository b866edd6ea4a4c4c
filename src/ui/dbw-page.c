/* dbw-page.c
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

#define G_LOG_DOMAIN "dbw-page"

#include "config.h"

#include <langinfo.h>

#include <glib/gi18n.h>

#include "dbw-page.h"

/* The base of every stage and tool page: one child laid out to fill the page, and the
 * project the page shows.
 *
 * A page with edits not saved yet keeps them in the project as a draft (one row per page
 * type) moments after each change, so a crash or a kill loses at most the keystroke in
 * flight; when the project opens again the page takes the draft back. */

/* Keystrokes within this time of each other go out as one write. */
#define DRAFT_DELAY_MS 100

typedef struct
{
  DbwStore *store;
  guint     draft_source;
} DbwPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DbwPage, dbw_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Children notify while they are torn down (a dropdown losing its model, a search entry's
 * delayed search-changed, a toggle going inactive); none of that may reach a page that is
 * half disposed, so every handler a page put on its widgets goes first. */
static void
disconnect_descendants (GtkWidget *widget,
                        gpointer   page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_signal_handlers_disconnect_by_data (child, page);
      disconnect_descendants (child, page);
    }
}

static void
write_draft (DbwPage *self)
{
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);
  g_autoptr(JsonObject) draft = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&priv->draft_source, g_source_remove);
  if (priv->store == NULL || DBW_PAGE_GET_CLASS (self)->dup_draft == NULL)
    return;

  draft = DBW_PAGE_GET_CLASS (self)->dup_draft (self);
  if (draft != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), draft);

      text = json_to_string (node, FALSE);
    }
  if (!dbw_store_set_draft (priv->store, G_OBJECT_TYPE_NAME (self), text, &error))
    g_message ("Could not keep an unsaved edit in the project: %s", error->message);
}

static gboolean
write_draft_cb (gpointer data)
{
  DbwPage *self = data;
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  priv->draft_source = 0;
  write_draft (self);

  return G_SOURCE_REMOVE;
}

static void
dbw_page_dispose (GObject *object)
{
  DbwPage *self = (DbwPage *)object;
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);
  GtkWidget *child;

  /* Too late to ask the page what it holds: dbw_page_unroot() kept it. */
  g_clear_handle_id (&priv->draft_source, g_source_remove);

  disconnect_descendants (GTK_WIDGET (self), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&priv->store);

  G_OBJECT_CLASS (dbw_page_parent_class)->dispose (object);
}

/* The window is going: the edit in flight is kept while the page still holds it. */
static void
dbw_page_unroot (GtkWidget *widget)
{
  DbwPage *self = DBW_PAGE (widget);
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  if (priv->draft_source != 0)
    write_draft (self);

  GTK_WIDGET_CLASS (dbw_page_parent_class)->unroot (widget);
}

static void
dbw_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DbwPage *self = DBW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, dbw_page_get_store (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DbwPage *self = DBW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dbw_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_page_class_init (DbwPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_page_dispose;
  object_class->get_property = dbw_page_get_property;
  object_class->set_property = dbw_page_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DBW_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->unroot = dbw_page_unroot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dbw_page_init (DbwPage *self)
{
}

/**
 * dbw_page_is_read_only:
 *
 * Returns: whether the page shows a project that cannot be changed: its actions that
 *   would change it are off
 */
gboolean
dbw_page_is_read_only (DbwPage *self)
{
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  g_return_val_if_fail (DBW_IS_PAGE (self), FALSE);

  return priv->store != NULL && dbw_store_is_read_only (priv->store);
}

/**
 * dbw_page_dup_unsaved:
 *
 * Returns: (transfer full) (nullable): what the user edited on the page and has not
 *   saved yet, in a few words, or %NULL
 */
char *
dbw_page_dup_unsaved (DbwPage *self)
{
  g_return_val_if_fail (DBW_IS_PAGE (self), NULL);

  if (DBW_PAGE_GET_CLASS (self)->dup_unsaved == NULL)
    return NULL;

  return DBW_PAGE_GET_CLASS (self)->dup_unsaved (self);
}

/**
 * dbw_page_save_unsaved:
 *
 * Saves what dbw_page_dup_unsaved() describes.
 *
 * Returns: %TRUE if it was saved, or there was nothing to save
 */
gboolean
dbw_page_save_unsaved (DbwPage *self)
{
  g_return_val_if_fail (DBW_IS_PAGE (self), FALSE);

  if (DBW_PAGE_GET_CLASS (self)->save_unsaved == NULL)
    return TRUE;

  return DBW_PAGE_GET_CLASS (self)->save_unsaved (self);
}

/**
 * dbw_unsaved_dialog_new:
 * @keep_label: the label of the response that keeps editing ("cancel")
 *
 * The question asked before edits not saved yet would be dropped, with the responses
 * "cancel", "discard" and "save" (the default); Escape keeps editing.
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
GtkWidget *
dbw_unsaved_dialog_new (GtkWindow  *parent,
                        const char *heading,
                        const char *body,
                        const char *keep_label)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", keep_label,
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return dialog;
}

/**
 * dbw_page_draft_changed:
 *
 * Says that the page's unsaved edit changed (began, grew, was saved or dropped): its
 * draft is written to the project in a moment.
 */
void
dbw_page_draft_changed (DbwPage *self)
{
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  g_return_if_fail (DBW_IS_PAGE (self));

  /* A read-only project keeps nothing: its banner says changes cannot be saved. */
  if (priv->draft_source == 0 && priv->store != NULL && !dbw_page_is_read_only (self))
    priv->draft_source = g_timeout_add (DRAFT_DELAY_MS, write_draft_cb, self);
}

/**
 * dbw_page_discard_draft:
 *
 * Drops the page's draft from the project, when the user chose to discard the edit it
 * holds (closing the window, say).
 */
void
dbw_page_discard_draft (DbwPage *self)
{
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  g_return_if_fail (DBW_IS_PAGE (self));

  g_clear_handle_id (&priv->draft_source, g_source_remove);
  if (priv->store != NULL)
    dbw_page_discard_draft_in (self, priv->store);
}

/**
 * dbw_page_discard_draft_in:
 * @store: a project the page showed, such as the one it is letting go of
 *
 * Drops the page's draft from @store, once the edit it holds was saved there.
 */
void
dbw_page_discard_draft_in (DbwPage  *self,
                           DbwStore *store)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DBW_IS_PAGE (self));
  g_return_if_fail (DBW_IS_STORE (store));

  if (!dbw_store_set_draft (store, G_OBJECT_TYPE_NAME (self), NULL, &error))
    g_message ("Could not drop an unsaved edit from the project: %s", error->message);
}

DbwStore *
dbw_page_get_store (DbwPage *self)
{
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  g_return_val_if_fail (DBW_IS_PAGE (self), NULL);

  return priv->store;
}

void
dbw_page_set_store (DbwPage  *self,
                    DbwStore *store)
{
  DbwPagePrivate *priv = dbw_page_get_instance_private (self);

  g_return_if_fail (DBW_IS_PAGE (self));
  g_return_if_fail (!store || DBW_IS_STORE (store));

  if (priv->store == store)
    return;

  /* The edit in flight belongs to the project it was made in. */
  if (priv->draft_source != 0)
    write_draft (self);
  g_set_object (&priv->store, store);

  if (DBW_PAGE_GET_CLASS (self)->store_changed != NULL)
    DBW_PAGE_GET_CLASS (self)->store_changed (self);

  if (store != NULL && DBW_PAGE_GET_CLASS (self)->restore_draft != NULL)
    {
      g_autofree char *text = dbw_store_dup_draft (store, G_OBJECT_TYPE_NAME (self));
      g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;

      /* The store only keeps JSON; anything but an object is not a page's draft. */
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        DBW_PAGE_GET_CLASS (self)->restore_draft (self, json_node_get_object (node));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
}

/**
 * dbw_format_count:
 *
 * Returns: (transfer full): @count with the locale's thousands separator, as in "100,000"
 */
char *
dbw_format_count (gint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, count < 0 ? -count : count);
  const char *separator = nl_langinfo (THOUSEP);
  g_autoptr(GString) str = g_string_new (count < 0 ? "-" : NULL);
  gsize len = strlen (digits);

  if (separator == NULL || separator[0] == '\0')
    separator = ",";

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (str, separator);
      g_string_append_c (str, digits[i]);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

/**
 * dbw_label_type_describe:
 *
 * Returns: the label type as users read it, "Entity Extraction"
 */
const char *
dbw_label_type_describe (DbwLabelType label_type)
{
  switch (label_type)
    {
    case DBW_LABEL_TYPE_CLASSIFICATION:    return _("Classification");
    case DBW_LABEL_TYPE_ENTITY_EXTRACTION: return _("Entity Extraction");
    case DBW_LABEL_TYPE_QA:                return _("Questions and Answers");
    case DBW_LABEL_TYPE_GENERATION:        return _("Generation");
    case DBW_LABEL_TYPE_SUMMARIZATION:     return _("Summarization");
    case DBW_LABEL_TYPE_OBJECT_DETECTION:  return _("Object Detection");
    default:                               g_return_val_if_reached ("");
    }
}

const char *
dbw_template_status_describe (DbwTemplateStatus status)
{
  switch (status)
    {
    case DBW_TEMPLATE_STATUS_DRAFT:     return _("Draft");
    case DBW_TEMPLATE_STATUS_PUBLISHED: return _("Published");
    case DBW_TEMPLATE_STATUS_ARCHIVED:  return _("Archived");
    default:                            g_return_val_if_reached ("");
    }
}

/**
 * dbw_format_timestamp:
 * @iso8601: (nullable): a stored timestamp
 *
 * Returns: (transfer full): the time in the local time zone, "2026-11-23 14:02"; today
 *   only the time; "" when @iso8601 is %NULL or does not parse
 */
char *
dbw_format_timestamp (const char *iso8601)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (iso8601 == NULL || (utc = g_date_time_new_from_iso8601 (iso8601, NULL)) == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, see g_date_time_format() */
    return g_date_time_format (local, _("Today %H:%M"));

  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

/* Following a list item's record */

#define FOLLOW_KEY "dbw-list-item-follow"

typedef struct
{
  GtkListItem         *list_item;
  GObject             *item;
  DbwListItemBindFunc  bind;
  gpointer             user_data;
} Follow;

static void
follow_free (gpointer data)
{
  Follow *follow = data;

  g_signal_handlers_disconnect_by_data (follow->item, follow);
  g_object_unref (follow->item);
  g_free (follow);
}

static void
on_followed_notify_cb (GObject    *item,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  Follow *follow = user_data;

  follow->bind (follow->list_item, follow->user_data);
}

/**
 * dbw_list_item_follow:
 * @shown: (array zero-terminated=1): the properties of the item that the row shows
 * @bind: fills the row from the item
 *
 * Calls @bind now, and again whenever one of @shown of @list_item's item changes,
 * until the row is unbound (dbw_list_item_unfollow()) or follows another item. Call it from
 * a factory's "bind" handler instead of filling the row there.
 */
void
dbw_list_item_follow (GtkListItem         *list_item,
                      const char * const  *shown,
                      DbwListItemBindFunc  bind,
                      gpointer             user_data)
{
  GObject *item;
  Follow *follow;

  g_return_if_fail (GTK_IS_LIST_ITEM (list_item));
  g_return_if_fail (shown != NULL);
  g_return_if_fail (bind != NULL);

  dbw_list_item_unfollow (list_item);
  bind (list_item, user_data);

  item = gtk_list_item_get_item (list_item);
  if (item == NULL)
    return;

  follow = g_new0 (Follow, 1);
  follow->list_item = list_item;
  follow->item = g_object_ref (item);
  follow->bind = bind;
  follow->user_data = user_data;
  for (guint i = 0; shown[i] != NULL; i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", shown[i], NULL);

      g_signal_connect (item, signal, G_CALLBACK (on_followed_notify_cb), follow);
    }
  /* The list item owns it: it goes with the row. */
  g_object_set_data_full (G_OBJECT (list_item), FOLLOW_KEY, follow, follow_free);
}

/**
 * dbw_list_item_unfollow:
 *
 * Stops following the item of @list_item; for a factory's "unbind" handler.
 */
void
dbw_list_item_unfollow (GtkListItem *list_item)
{
  g_return_if_fail (GTK_IS_LIST_ITEM (list_item));

  g_object_set_data (G_OBJECT (list_item), FOLLOW_KEY, NULL);
}
