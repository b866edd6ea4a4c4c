/* dbw-uc-browse-list.c
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

#define G_LOG_DOMAIN "dbw-uc-browse-list"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dbw-uc-browse-list.h"
#include "dbw-widget-util.h"

/* One level of Unity Catalog — catalogs, a catalog's schemas, or a schema's tables and
 * volumes — as a list to pick from, filtered as the user types, with its loading, empty
 * and error states. The entries are plain structs; the list model holds their positions
 * as strings, so filtering never copies them. */

struct _DbwUcBrowseList
{
  GtkWidget           parent_instance;

  GPtrArray          *entries;      /* DbwUcEntry */
  GtkStringList      *positions;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *search;       /* case-folded */

  GtkWidget          *box;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (DbwUcBrowseList, dbw_uc_browse_list, GTK_TYPE_WIDGET)

enum {
  ENTRY_ACTIVATED,
  RETRY,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static DbwUcEntry *
entry_at (DbwUcBrowseList *self,
          GtkStringObject *position)
{
  guint64 index = 0;

  if (self->entries == NULL || self->entries->len == 0 ||
      !g_ascii_string_to_unsigned (gtk_string_object_get_string (position), 10, 0, self->entries->len - 1, &index, NULL))
    return NULL;

  return g_ptr_array_index (self->entries, index);
}

static gboolean
contains_folded (const char *text,
                 const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;

  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  DbwUcBrowseList *self = user_data;
  DbwUcEntry *entry = entry_at (self, item);

  if (self->search == NULL || *self->search == '\0')
    return TRUE;

  return entry != NULL && (contains_folded (entry->name, self->search) || contains_folded (entry->comment, self->search));
}

static void
update_state (DbwUcBrowseList *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (visible, "loading") || g_str_equal (visible, "error"))
    return;

  if (self->entries == NULL || self->entries->len == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static const char *
icon_for (DbwUcKind kind)
{
  switch (kind)
    {
    case DBW_UC_KIND_CATALOG:
      return "drive-multidisk-symbolic";
    case DBW_UC_KIND_SCHEMA:
      return "view-list-symbolic";
    case DBW_UC_KIND_TABLE:
      return "x-office-spreadsheet-symbolic";
    case DBW_UC_KIND_VOLUME:
      return "folder-symbolic";
    default:
      return "text-x-generic-symbolic";
    }
}

static char *
describe (const DbwUcEntry *entry)
{
  const char *kind;

  switch (entry->kind)
    {
    case DBW_UC_KIND_TABLE:
      kind = entry->subtype != NULL && g_ascii_strcasecmp (entry->subtype, "VIEW") == 0 ? _("View") : _("Table");
      break;
    case DBW_UC_KIND_VOLUME:
      kind = _("Volume");
      break;
    case DBW_UC_KIND_CATALOG:
    case DBW_UC_KIND_SCHEMA:
    default:
      return g_strdup (entry->comment);
    }

  if (entry->kind == DBW_UC_KIND_TABLE && entry->columns != NULL)
    {
      g_autofree char *columns = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u column", "%u columns", entry->columns->len),
                                                  entry->columns->len);

      /* Translators: "Table · 4 columns · One row per order" */
      return entry->comment != NULL ? g_strdup_printf ("%s · %s · %s", kind, columns, entry->comment)
                                    : g_strdup_printf ("%s · %s", kind, columns);
    }

  return entry->comment != NULL ? g_strdup_printf ("%s · %s", kind, entry->comment) : g_strdup (kind);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (description), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), description);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             DbwUcBrowseList          *self)
{
  DbwUcEntry *entry = entry_at (self, gtk_list_item_get_item (list_item));
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *labels = gtk_widget_get_next_sibling (icon);
  GtkWidget *name = gtk_widget_get_first_child (labels);
  GtkWidget *description = gtk_widget_get_next_sibling (name);
  g_autofree char *text = NULL;

  if (entry == NULL)
    return;

  text = describe (entry);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_for (entry->kind));
  gtk_label_set_label (GTK_LABEL (name), entry->name);
  gtk_label_set_label (GTK_LABEL (description), text != NULL ? text : "");
  gtk_widget_set_visible (description, text != NULL && *text != '\0');
}

static void
on_activate_cb (DbwUcBrowseList *self,
                guint            position,
                GtkListView     *list_view)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  DbwUcEntry *entry = item != NULL ? entry_at (self, item) : NULL;

  if (entry != NULL)
    g_signal_emit (self, signals [ENTRY_ACTIVATED], 0, entry);
}

static void
on_search_changed_cb (DbwUcBrowseList *self,
                      GtkSearchEntry  *entry)
{
  g_free (self->search);
  self->search = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_state (self);
}

/* Enter in the search opens the only match, or the first one. */
static void
on_search_activate_cb (DbwUcBrowseList *self,
                       GtkSearchEntry  *entry)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    on_activate_cb (self, 0, self->list_view);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals [RETRY], 0);
}

static gboolean
dbw_uc_browse_list_grab_focus (GtkWidget *widget)
{
  DbwUcBrowseList *self = DBW_UC_BROWSE_LIST (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
dbw_uc_browse_list_dispose (GObject *object)
{
  DbwUcBrowseList *self = (DbwUcBrowseList *)object;

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_UC_BROWSE_LIST);
  g_clear_object (&self->filtered);
  g_clear_object (&self->positions);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (dbw_uc_browse_list_parent_class)->dispose (object);
}

static void
dbw_uc_browse_list_finalize (GObject *object)
{
  DbwUcBrowseList *self = (DbwUcBrowseList *)object;

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (dbw_uc_browse_list_parent_class)->finalize (object);
}

static void
dbw_uc_browse_list_class_init (DbwUcBrowseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_uc_browse_list_dispose;
  object_class->finalize = dbw_uc_browse_list_finalize;
  widget_class->grab_focus = dbw_uc_browse_list_grab_focus;

  /**
   * DbwUcBrowseList::entry-activated:
   * @entry: the #DbwUcEntry picked
   */
  signals [ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DBW_TYPE_UC_ENTRY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * DbwUcBrowseList::retry:
   *
   * The user asks to load the list again after an error.
   */
  signals [RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-uc-browse-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, box);
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, list_view);
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DbwUcBrowseList, error_page);

  gtk_widget_class_install_action (widget_class, "browse.retry", NULL, retry_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dbw_uc_browse_list_init (DbwUcBrowseList *self)
{
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->positions = gtk_string_list_new (NULL);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->positions)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (on_activate_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activate_cb), self);

  dbw_uc_browse_list_set_loading (self);
}

void
dbw_uc_browse_list_set_loading (DbwUcBrowseList *self)
{
  g_return_if_fail (DBW_IS_UC_BROWSE_LIST (self));

  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
}

/**
 * dbw_uc_browse_list_set_entries:
 * @entries: (element-type DbwUcEntry): what to list; a reference is kept
 */
void
dbw_uc_browse_list_set_entries (DbwUcBrowseList *self,
                                GPtrArray       *entries)
{
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (DBW_IS_UC_BROWSE_LIST (self));
  g_return_if_fail (entries != NULL);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->entries = g_ptr_array_ref (entries);

  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (positions, g_strdup_printf ("%u", i));
  g_ptr_array_add (positions, NULL);
  gtk_string_list_splice (self->positions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->positions)),
                          (const char * const *) positions->pdata);

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), entries->len > 0);
  gtk_stack_set_visible_child_name (self->stack, "list");
  update_state (self);
}

void
dbw_uc_browse_list_set_error (DbwUcBrowseList *self,
                              const GError    *error)
{
  g_return_if_fail (DBW_IS_UC_BROWSE_LIST (self));
  g_return_if_fail (error != NULL);

  gtk_spinner_stop (self->spinner);
  dbw_status_page_set_description_text (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
}

void
dbw_uc_browse_list_set_empty_text (DbwUcBrowseList *self,
                                   const char      *title,
                                   const char      *description)
{
  g_return_if_fail (DBW_IS_UC_BROWSE_LIST (self));

  adw_status_page_set_title (self->empty_page, title);
  dbw_status_page_set_description_text (self->empty_page, description);
}

gboolean
dbw_uc_browse_list_get_loading (DbwUcBrowseList *self)
{
  g_return_val_if_fail (DBW_IS_UC_BROWSE_LIST (self), FALSE);

  return g_str_equal (gtk_stack_get_visible_child_name (self->stack), "loading");
}

/* "loading", "list", "empty", "no-match" or "error" */
const char *
dbw_uc_browse_list_get_state (DbwUcBrowseList *self)
{
  g_return_val_if_fail (DBW_IS_UC_BROWSE_LIST (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

guint
dbw_uc_browse_list_get_n_shown (DbwUcBrowseList *self)
{
  g_return_val_if_fail (DBW_IS_UC_BROWSE_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/**
 * dbw_uc_browse_list_get_entries:
 *
 * Returns: (transfer none) (nullable) (element-type DbwUcEntry): every entry, filtered
 *   or not
 */
GPtrArray *
dbw_uc_browse_list_get_entries (DbwUcBrowseList *self)
{
  g_return_val_if_fail (DBW_IS_UC_BROWSE_LIST (self), NULL);

  return self->entries;
}

void
dbw_uc_browse_list_set_search (DbwUcBrowseList *self,
                               const char      *text)
{
  g_return_if_fail (DBW_IS_UC_BROWSE_LIST (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  on_search_changed_cb (self, self->search_entry);
}

/**
 * dbw_uc_browse_list_activate:
 *
 * Picks the shown entry called @name, as a click on it would.
 *
 * Returns: whether there was one
 */
gboolean
dbw_uc_browse_list_activate (DbwUcBrowseList *self,
                             const char      *name)
{
  guint n;

  g_return_val_if_fail (DBW_IS_UC_BROWSE_LIST (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      DbwUcEntry *entry = entry_at (self, item);

      if (entry != NULL && g_strcmp0 (entry->name, name) == 0)
        {
          on_activate_cb (self, i, self->list_view);
          return TRUE;
        }
    }

  return FALSE;
}
