/* dbw-data-page.c
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

#define G_LOG_DOMAIN "dbw-data-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-data-page.h"
#include "dbw-enums.h"
#include "dbw-item.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"

/* The Data stage: the project's sheets on the left, the items of the selected sheet on the
 * right in a column view with one column per field. Both lists are DbwQueryModels, so a sheet
 * of 100,000 items opens at once and only the visible rows are ever loaded. */

#define MAX_FIELD_COLUMNS 16

struct _DbwDataPage
{
  DbwPage              parent_instance;

  DbwQueryModel       *sheets;
  DbwQueryModel       *items;
  GtkSingleSelection  *sheet_selection;
  GtkSingleSelection  *item_selection;
  guint                n_field_columns;
  gulong               sheets_changed_handler;
  gulong               sheet_selected_handler;

  GtkStack            *stack;
  GtkListView         *sheets_view;
  GtkColumnView       *items_view;
  GtkLabel            *sheet_title;
  GtkLabel            *sheet_subtitle;
  GtkStack            *items_stack;
};

G_DEFINE_FINAL_TYPE (DbwDataPage, dbw_data_page, DBW_TYPE_PAGE)

static GQuark parsed_fields_quark;

/* Items are immutable, so their parsed fields can be kept with them. */
static JsonObject *
get_fields (DbwItem *item)
{
  JsonNode *node = g_object_get_qdata (G_OBJECT (item), parsed_fields_quark);

  if (node == NULL)
    {
      const char *fields = dbw_item_get_fields (item);

      node = fields != NULL ? json_from_string (fields, NULL) : NULL;
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_clear_pointer (&node, json_node_unref);
          node = json_node_init_object (json_node_alloc (), json_object_new ());
        }
      g_object_set_qdata_full (G_OBJECT (item), parsed_fields_quark, node, (GDestroyNotify) json_node_unref);
    }

  return json_node_get_object (node);
}

static char *
field_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    }

  return json_to_string (node, FALSE);
}

static const char *
modality_label (DbwModality modality)
{
  switch (modality)
    {
    case DBW_MODALITY_TEXT:
      return _("Text");
    case DBW_MODALITY_ROW:
      return _("Row");
    case DBW_MODALITY_PDF:
      return _("PDF");
    case DBW_MODALITY_IMAGE:
      return _("Image");
    default:
      return "";
    }
}

/* Sheet rows */

static void
setup_sheet_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    DbwDataPage              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (count), 0.0f);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "caption");
  gtk_widget_add_css_class (count, "sheet-count");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_item_set_child (list_item, box);
}

static char *
describe_item_count (gint64 n)
{
  g_autofree char *number = dbw_format_count (n);

  /* Translators: %s is a number such as "1,200" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s item", "%s items", n), number);
}

static void
bind_sheet_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   DbwDataPage              *self)
{
  DbwSheet *sheet = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *count = gtk_widget_get_next_sibling (name);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autofree char *text = NULL;
  gint64 n = 0;

  if (store != NULL)
    n = dbw_store_count (store, DBW_TYPE_ITEM, "sheet_id", dbw_record_get_id (DBW_RECORD (sheet)), NULL);

  text = describe_item_count (MAX (n, 0));
  gtk_label_set_label (GTK_LABEL (name), dbw_sheet_get_name (sheet));
  gtk_label_set_label (GTK_LABEL (count), text);
}

/* Item cells */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  /* GtkInscription is made for cells: it measures by character counts instead of laying out
   * its text, which is most of the cost of showing a table. */
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 0.0f);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 3);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 12);
  gtk_list_item_set_child (list_item, inscription);
}

static void
bind_ref_cell_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  DbwItem *item = gtk_list_item_get_item (list_item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), dbw_item_get_item_ref (item));
}

static void
bind_modality_cell_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       gpointer                  user_data)
{
  DbwItem *item = gtk_list_item_get_item (list_item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)),
                            modality_label (dbw_item_get_modality (item)));
}

static void
bind_field_cell_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  DbwItem *item = gtk_list_item_get_item (list_item);
  const char *field = g_object_get_data (G_OBJECT (factory), "field");
  JsonObject *fields = get_fields (item);
  g_autofree char *text = field_to_text (json_object_get_member (fields, field));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), text);
}

/* Column widths from the header and the first rows' text, so values are readable without
 * resizing and the view never measures every row. */
static int
estimate_width (DbwDataPage *self,
                const char  *title,
                const char  *field)
{
  guint n = self->items != NULL ? MIN (g_list_model_get_n_items (G_LIST_MODEL (self->items)), 50) : 0;
  glong chars = g_utf8_strlen (title, -1) + 2;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_autofree char *text = NULL;

      if (field != NULL)
        text = field_to_text (json_object_get_member (get_fields (item), field));
      else
        text = g_strdup (dbw_item_get_item_ref (item));

      chars = MAX (chars, g_utf8_strlen (text, -1));
    }

  return (int) CLAMP (chars * 8 + 16, 64, 360);
}

static void
add_column (DbwDataPage *self,
            const char  *title,
            const char  *field,
            GCallback    bind,
            gboolean     expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  if (field != NULL)
    g_object_set_data_full (G_OBJECT (factory), "field", g_strdup (field), g_free);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  if (bind != G_CALLBACK (bind_modality_cell_cb))
    gtk_column_view_column_set_fixed_width (column, estimate_width (self, title, field));
  gtk_column_view_append_column (self->items_view, column);
}

static void
remove_columns (DbwDataPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->items_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->items_view, column);
    }
}

/* Columns follow the fields of the sheet's first item, in their order. */
static void
rebuild_columns (DbwDataPage *self)
{
  g_autoptr(DbwItem) first = NULL;

  remove_columns (self);
  self->n_field_columns = 0;

  add_column (self, _("Item"), NULL, G_CALLBACK (bind_ref_cell_cb), FALSE);
  add_column (self, _("Kind"), NULL, G_CALLBACK (bind_modality_cell_cb), FALSE);

  if (self->items == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    return;

  first = g_list_model_get_item (G_LIST_MODEL (self->items), 0);
  {
    JsonObject *fields = get_fields (first);
    g_autoptr(GList) members = json_object_get_members (fields);

    for (const GList *l = members; l != NULL && self->n_field_columns < MAX_FIELD_COLUMNS; l = l->next)
      {
        add_column (self, l->data, l->data, G_CALLBACK (bind_field_cell_cb), FALSE);
        self->n_field_columns++;
      }
  }
}

static void
update_sheet_header (DbwDataPage *self,
                     DbwSheet    *sheet)
{
  g_autofree char *count = NULL;
  const char *description;
  guint n;

  if (sheet == NULL)
    {
      gtk_label_set_label (self->sheet_title, "");
      gtk_label_set_label (self->sheet_subtitle, "");
      return;
    }

  n = self->items != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->items)) : 0;
  count = describe_item_count (n);
  description = dbw_sheet_get_description (sheet);

  gtk_label_set_label (self->sheet_title, dbw_sheet_get_name (sheet));
  if (description != NULL && description[0] != '\0')
    {
      g_autofree char *subtitle = g_strdup_printf ("%s — %s", count, description);

      gtk_label_set_label (self->sheet_subtitle, subtitle);
    }
  else
    {
      gtk_label_set_label (self->sheet_subtitle, count);
    }

  gtk_stack_set_visible_child_name (self->items_stack, n > 0 ? "items" : "no-items");
}

static void
on_sheet_selected_cb (DbwDataPage        *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  DbwSheet *sheet = gtk_single_selection_get_selected_item (selection);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;

  gtk_single_selection_set_model (self->item_selection, NULL);
  g_clear_object (&self->items);

  if (sheet != NULL && store != NULL)
    {
      self->items = dbw_query_model_new (store, DBW_TYPE_ITEM);
      if (!dbw_query_model_set_filter (self->items, "sheet_id", dbw_record_get_id (DBW_RECORD (sheet)), &error))
        g_warning ("Could not list the items of a sheet: %s", error->message);
    }

  rebuild_columns (self);
  gtk_single_selection_set_model (self->item_selection, self->items != NULL ? G_LIST_MODEL (self->items) : NULL);
  update_sheet_header (self, sheet);
}

static void
on_sheets_changed_cb (DbwDataPage *self,
                      guint        position,
                      guint        removed,
                      guint        added,
                      GListModel  *model)
{
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (model) > 0 ? "sheets" : "empty");
}

static void
dbw_data_page_store_changed (DbwPage *page)
{
  DbwDataPage *self = DBW_DATA_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);

  gtk_single_selection_set_model (self->sheet_selection, NULL);
  if (self->sheets != NULL)
    g_clear_signal_handler (&self->sheets_changed_handler, self->sheets);
  g_clear_object (&self->sheets);

  if (store != NULL)
    {
      self->sheets = dbw_query_model_new (store, DBW_TYPE_SHEET);
      self->sheets_changed_handler =
        g_signal_connect_object (self->sheets, "items-changed",
                               G_CALLBACK (on_sheets_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* Autoselection would load the first sheet's items, then the call below again. */
  g_signal_handler_block (self->sheet_selection, self->sheet_selected_handler);
  gtk_single_selection_set_model (self->sheet_selection, self->sheets != NULL ? G_LIST_MODEL (self->sheets) : NULL);
  g_signal_handler_unblock (self->sheet_selection, self->sheet_selected_handler);
  gtk_stack_set_visible_child_name (self->stack,
                                    self->sheets != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sheets)) > 0
                                    ? "sheets" : "empty");
  on_sheet_selected_cb (self, NULL, self->sheet_selection);
}

static void
dbw_data_page_dispose (GObject *object)
{
  DbwDataPage *self = (DbwDataPage *)object;

  if (self->sheet_selection != NULL)
    {
      g_clear_signal_handler (&self->sheet_selected_handler, self->sheet_selection);
      gtk_single_selection_set_model (self->sheet_selection, NULL);
    }
  if (self->item_selection != NULL)
    gtk_single_selection_set_model (self->item_selection, NULL);

  G_OBJECT_CLASS (dbw_data_page_parent_class)->dispose (object);

  g_clear_object (&self->sheets);
  g_clear_object (&self->items);
  g_clear_object (&self->sheet_selection);
  g_clear_object (&self->item_selection);
}

static void
dbw_data_page_class_init (DbwDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_data_page_dispose;
  page_class->store_changed = dbw_data_page_store_changed;

  parsed_fields_quark = g_quark_from_static_string ("dbw-data-page-fields");

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, sheets_view);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, items_view);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, sheet_title);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, sheet_subtitle);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, items_stack);
}

static void
dbw_data_page_init (DbwDataPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sheet_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->sheet_selection, TRUE);
  self->sheet_selected_handler =
    g_signal_connect_swapped (self->sheet_selection, "notify::selected-item",
                            G_CALLBACK (on_sheet_selected_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_sheet_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_sheet_row_cb), self);
  gtk_list_view_set_factory (self->sheets_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->sheets_view, GTK_SELECTION_MODEL (self->sheet_selection));

  self->item_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->item_selection, FALSE);
  gtk_column_view_set_model (self->items_view, GTK_SELECTION_MODEL (self->item_selection));

  rebuild_columns (self);
}

GListModel *
dbw_data_page_get_sheets (DbwDataPage *self)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), NULL);

  return self->sheets != NULL ? G_LIST_MODEL (self->sheets) : NULL;
}

GListModel *
dbw_data_page_get_items (DbwDataPage *self)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), NULL);

  return self->items != NULL ? G_LIST_MODEL (self->items) : NULL;
}

gboolean
dbw_data_page_select_sheet (DbwDataPage *self,
                            guint        position)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), FALSE);

  if (self->sheets == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->sheets)))
    return FALSE;

  gtk_single_selection_set_selected (self->sheet_selection, position);
  return TRUE;
}

guint
dbw_data_page_get_n_columns (DbwDataPage *self)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), 0);

  return g_list_model_get_n_items (gtk_column_view_get_columns (self->items_view));
}
