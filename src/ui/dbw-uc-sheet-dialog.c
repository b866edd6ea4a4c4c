/* dbw-uc-sheet-dialog.c
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

#define G_LOG_DOMAIN "dbw-uc-sheet-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-sheet-ops.h"
#include "dbw-sheet-source.h"
#include "dbw-uc-browse-list.h"
#include "dbw-uc-materializer.h"
#include "dbw-uc-sheet-dialog.h"
#include "dbw-workspace.h"
#include "dbw-widget-util.h"

/* "Add Sheet From Unity Catalog": pages that slide in as the user goes down catalogs,
 * schemas, then a schema's tables and volumes; a table shows its first rows and its
 * columns, a volume its files; then a form for the sheet — its name, the join keys, a
 * filter, a sample size, other tables to join and volumes whose files come along — and
 * Create, which saves the pointer. Nothing is copied yet: materializing the sheet (on the
 * Data page) does that. Every listing is asynchronous and cancelled when the user goes
 * elsewhere; failures show in place with a Retry. */

struct _DbwUcSheetDialog
{
  AdwWindow         parent_instance;

  DbwStore         *store;
  DbwDatabricks    *client;
  char             *warehouse_id;
  GCancellable     *cancellable;
  GCancellable     *level_cancellable;

  char             *catalog;
  char             *schema;
  DbwUcEntry       *object;          /* the chosen table or volume */
  GPtrArray        *objects;         /* DbwUcEntry: tables and volumes of the schema */
  GPtrArray        *pending;         /* the listing of tables, then of volumes */
  guint             n_pending;
  DbwSqlResult     *preview;
  GtkStringList    *preview_rows;
  GtkStringList    *column_positions;
  GListStore       *files;
  GPtrArray        *key_rows;        /* AdwActionRow in keys_row */
  GPtrArray        *source_rows;     /* AdwActionRow in tables_group and volumes_group */

  GtkStack         *main_stack;
  GtkSpinner       *connect_spinner;
  AdwStatusPage    *not_configured_page;
  AdwLeaflet       *leaflet;
  AdwWindowTitle   *catalogs_title;
  DbwUcBrowseList  *catalogs_list;
  AdwWindowTitle   *schemas_title;
  DbwUcBrowseList  *schemas_list;
  AdwWindowTitle   *objects_title;
  DbwUcBrowseList  *objects_list;
  AdwLeafletPage   *table_leaflet_page;
  AdwWindowTitle   *table_title;
  GtkStack         *table_stack;
  GtkStack         *preview_stack;
  GtkSpinner       *preview_spinner;
  GtkColumnView    *preview_view;
  AdwStatusPage    *preview_error_page;
  GtkColumnView    *columns_view;
  AdwLeafletPage   *volume_leaflet_page;
  AdwWindowTitle   *volume_title;
  GtkStack         *files_stack;
  GtkSpinner       *files_spinner;
  GtkListView      *files_view;
  AdwStatusPage    *files_error_page;
  AdwWindowTitle   *form_title;
  AdwPreferencesGroup *source_group;
  AdwEntryRow      *name_row;
  AdwPreferencesGroup *rows_group;
  AdwExpanderRow   *keys_row;
  AdwEntryRow      *filter_row;
  AdwActionRow     *sample_row;
  GtkSpinButton    *sample_spin;
  AdwPreferencesGroup *tables_group;
  AdwPreferencesGroup *volumes_group;
  GtkLabel         *form_error;
};

G_DEFINE_FINAL_TYPE (DbwUcSheetDialog, dbw_uc_sheet_dialog, ADW_TYPE_WINDOW)

enum {
  SHEET_CREATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void load_catalogs (DbwUcSheetDialog *self);

/* Each load cancels the one before it: only the page in view is loading. */
static GCancellable *
new_level (DbwUcSheetDialog *self)
{
  g_cancellable_cancel (self->level_cancellable);
  g_clear_object (&self->level_cancellable);
  self->level_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           self->level_cancellable, G_CONNECT_SWAPPED);

  return self->level_cancellable;
}

/* An answer that comes after the dialog was closed finds nothing to show it in. */
static gboolean
is_closed (DbwUcSheetDialog *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static GPtrArray *
new_entries (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_uc_entry_free);
}

/* Connecting */

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *warehouse_id = NULL;
  DbwDatabricks *client;

  if (is_closed (self))
    return;

  client = dbw_workspace_connect_finish (result, &warehouse_id, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->connect_spinner);

  if (client == NULL)
    {
      g_autofree char *description =
        g_strdup_printf (_("%s\n\nEnter the workspace address, the access token and the SQL warehouse in Preferences to browse Unity Catalog."),
                         error->message);

      dbw_status_page_set_description_text (self->not_configured_page, description);
      gtk_stack_set_visible_child_name (self->main_stack, "not-configured");
      return;
    }

  self->client = client;
  self->warehouse_id = g_steal_pointer (&warehouse_id);
  adw_window_title_set_subtitle (self->catalogs_title, dbw_databricks_config_get_host (dbw_databricks_get_config (client)));
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  load_catalogs (self);
}

/* Catalogs, schemas, tables and volumes */

static void
on_catalogs_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (is_closed (self))
    return;

  entries = dbw_databricks_list_catalogs_finish (DBW_DATABRICKS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (entries == NULL)
    dbw_uc_browse_list_set_error (self->catalogs_list, error);
  else
    dbw_uc_browse_list_set_entries (self->catalogs_list, entries);
}

static void
load_catalogs (DbwUcSheetDialog *self)
{
  GCancellable *cancellable = new_level (self);

  dbw_uc_browse_list_set_loading (self->catalogs_list);
  dbw_databricks_list_catalogs_async (self->client, cancellable, on_catalogs_cb, g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->catalogs_list));
}

static void
on_schemas_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (is_closed (self))
    return;

  entries = dbw_databricks_list_schemas_finish (DBW_DATABRICKS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (entries == NULL)
    dbw_uc_browse_list_set_error (self->schemas_list, error);
  else
    dbw_uc_browse_list_set_entries (self->schemas_list, entries);
}

static void
load_schemas (DbwUcSheetDialog *self)
{
  GCancellable *cancellable = new_level (self);

  dbw_uc_browse_list_set_loading (self->schemas_list);
  dbw_databricks_list_schemas_async (self->client, self->catalog, cancellable, on_schemas_cb, g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->schemas_list));
}

/* Tables and volumes arrive separately; the list shows both, tables first. */
static void
objects_listed (DbwUcSheetDialog *self,
                GPtrArray        *entries,
                GError           *error,
                gboolean          volumes)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_closed (self))
    return;

  self->n_pending--;

  if (self->pending == NULL)
    return;

  if (entries == NULL)
    {
      dbw_uc_browse_list_set_error (self->objects_list, error);
      g_clear_pointer (&self->pending, g_ptr_array_unref);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      if (volumes)
        g_ptr_array_add (self->pending, dbw_uc_entry_copy (g_ptr_array_index (entries, i)));
      else
        g_ptr_array_insert (self->pending, i, dbw_uc_entry_copy (g_ptr_array_index (entries, i)));
    }

  if (self->n_pending == 0)
    {
      g_clear_pointer (&self->objects, g_ptr_array_unref);
      self->objects = g_steal_pointer (&self->pending);
      dbw_uc_browse_list_set_entries (self->objects_list, self->objects);
    }
}

static void
on_tables_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = dbw_databricks_list_tables_finish (DBW_DATABRICKS (object), result, &error);
  objects_listed (self, entries, error, FALSE);
}

static void
on_volumes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = dbw_databricks_list_volumes_finish (DBW_DATABRICKS (object), result, &error);
  objects_listed (self, entries, error, TRUE);
}

static void
load_objects (DbwUcSheetDialog *self)
{
  GCancellable *cancellable = new_level (self);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->pending = new_entries ();
  self->n_pending = 2;
  dbw_uc_browse_list_set_loading (self->objects_list);
  dbw_databricks_list_tables_async (self->client, self->catalog, self->schema, cancellable,
                                    on_tables_cb, g_object_ref (self));
  dbw_databricks_list_volumes_async (self->client, self->catalog, self->schema, cancellable,
                                     on_volumes_cb, g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->objects_list));
}

/* A table: its first rows and its columns */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 0.0f);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 14);
  gtk_list_item_set_child (list_item, inscription);
}

static guint
position_of (GtkListItem *list_item)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);
  guint64 position = 0;

  g_ascii_string_to_unsigned (gtk_string_object_get_string (item), 10, 0, G_MAXUINT, &position, NULL);
  return (guint) position;
}

static void
bind_preview_cell_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      DbwUcSheetDialog         *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  guint row = position_of (list_item);
  const char *value = NULL;

  if (self->preview != NULL && row < dbw_sql_result_get_n_rows (self->preview) &&
      column < dbw_sql_result_get_n_columns (self->preview))
    value = dbw_sql_result_get_value (self->preview, row, column);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), value != NULL ? value : "");
}

static void
remove_columns (GtkColumnView *view)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (view, column);
    }
}

static void
show_preview (DbwUcSheetDialog *self,
              DbwSqlResult     *result)
{
  guint n_rows = dbw_sql_result_get_n_rows (result);
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func (g_free);

  g_set_object (&self->preview, result);
  remove_columns (self->preview_view);

  for (guint c = 0; c < dbw_sql_result_get_n_columns (result); c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_preview_cell_cb), self);
      column = gtk_column_view_column_new (dbw_sql_result_get_column_name (result, c), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview_view, column);
    }

  for (guint r = 0; r < n_rows; r++)
    g_ptr_array_add (positions, g_strdup_printf ("%u", r));
  g_ptr_array_add (positions, NULL);
  gtk_string_list_splice (self->preview_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows)),
                          (const char * const *) positions->pdata);

  gtk_stack_set_visible_child_name (self->preview_stack, n_rows > 0 ? "rows" : "empty");
}

static void
on_preview_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(DbwSqlResult) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (is_closed (self))
    return;

  rows = dbw_uc_materializer_preview_finish (DBW_DATABRICKS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->preview_spinner);
  if (rows == NULL)
    {
      dbw_status_page_set_description_text (self->preview_error_page, error->message);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      return;
    }

  show_preview (self, rows);
}

static void
load_preview (DbwUcSheetDialog *self)
{
  GCancellable *cancellable = new_level (self);

  gtk_spinner_start (self->preview_spinner);
  gtk_stack_set_visible_child_name (self->preview_stack, "loading");
  dbw_uc_materializer_preview_async (self->client, self->warehouse_id, self->object->full_name, cancellable,
                                     on_preview_cb, g_object_ref (self));
}

static void
bind_column_cell_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     DbwUcSheetDialog         *self)
{
  const char *what = g_object_get_data (G_OBJECT (factory), "what");
  guint position = position_of (list_item);
  const DbwUcColumn *column = NULL;
  const char *text = NULL;

  if (self->object != NULL && self->object->columns != NULL && position < self->object->columns->len)
    column = g_ptr_array_index (self->object->columns, position);

  if (column != NULL)
    text = g_str_equal (what, "name") ? column->name : g_str_equal (what, "type") ? column->type_text : column->comment;

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), text != NULL ? text : "");
}

static void
add_columns_column (DbwUcSheetDialog *self,
                    const char       *title,
                    const char       *what,
                    gboolean          expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_object_set_data (G_OBJECT (factory), "what", (gpointer) what);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_column_cell_cb), self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->columns_view, column);
}

static void
show_table (DbwUcSheetDialog *self)
{
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func (g_free);
  guint n = self->object->columns != NULL ? self->object->columns->len : 0;
  g_autofree char *subtitle = g_strdup_printf ("%s.%s", self->catalog, self->schema);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (positions, g_strdup_printf ("%u", i));
  g_ptr_array_add (positions, NULL);
  gtk_string_list_splice (self->column_positions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->column_positions)),
                          (const char * const *) positions->pdata);

  adw_window_title_set_title (self->table_title, self->object->name);
  adw_window_title_set_subtitle (self->table_title, subtitle);
  gtk_stack_set_visible_child_name (self->table_stack, "preview");
  adw_leaflet_page_set_navigatable (self->table_leaflet_page, TRUE);
  adw_leaflet_page_set_navigatable (self->volume_leaflet_page, FALSE);
  adw_leaflet_set_visible_child_name (self->leaflet, "table");
  load_preview (self);
}

/* A volume: its files */

static void
setup_file_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *size = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (size, "dim-label");
  gtk_widget_add_css_class (size, "numeric");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), size);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_file_row_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  DbwFileEntry *entry = gtk_list_item_get_item (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *name = gtk_widget_get_next_sibling (icon);
  GtkWidget *size = gtk_widget_get_next_sibling (name);
  g_autofree char *size_text = NULL;

  if (!dbw_file_entry_get_is_directory (entry))
    size_text = g_format_size (dbw_file_entry_get_size (entry));

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), dbw_file_entry_get_is_directory (entry) ? "folder-symbolic" : "text-x-generic-symbolic");
  gtk_label_set_label (GTK_LABEL (name), dbw_file_entry_get_name (entry));
  gtk_label_set_label (GTK_LABEL (size), size_text != NULL ? size_text : "");
}

static char *
volume_path (const DbwUcEntry *volume)
{
  g_auto(GStrv) parts = g_strsplit (volume->full_name, ".", 3);

  if (g_strv_length (parts) != 3)
    return g_strdup ("/Volumes/");

  return g_strdup_printf ("/Volumes/%s/%s/%s", parts[0], parts[1], parts[2]);
}

static void
on_files_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DbwUcSheetDialog) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (is_closed (self))
    return;

  entries = dbw_databricks_list_directory_finish (DBW_DATABRICKS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->files_spinner);

  /* A volume nothing was ever written to may have no folder yet. */
  if (entries == NULL && g_error_matches (error, DBW_HTTP_ERROR, DBW_HTTP_ERROR_NOT_FOUND))
    {
      gtk_stack_set_visible_child_name (self->files_stack, "empty");
      return;
    }

  if (entries == NULL)
    {
      dbw_status_page_set_description_text (self->files_error_page, error->message);
      gtk_stack_set_visible_child_name (self->files_stack, "error");
      return;
    }

  g_list_store_splice (self->files, 0, g_list_model_get_n_items (G_LIST_MODEL (self->files)), entries->pdata, entries->len);
  gtk_stack_set_visible_child_name (self->files_stack, entries->len > 0 ? "files" : "empty");
}

static void
load_files (DbwUcSheetDialog *self)
{
  GCancellable *cancellable = new_level (self);
  g_autofree char *path = volume_path (self->object);

  g_list_store_remove_all (self->files);
  gtk_spinner_start (self->files_spinner);
  gtk_stack_set_visible_child_name (self->files_stack, "loading");
  dbw_databricks_list_directory_async (self->client, path, cancellable, on_files_cb, g_object_ref (self));
}

static void
show_volume (DbwUcSheetDialog *self)
{
  g_autofree char *path = volume_path (self->object);

  adw_window_title_set_title (self->volume_title, self->object->name);
  adw_window_title_set_subtitle (self->volume_title, path);
  adw_leaflet_page_set_navigatable (self->table_leaflet_page, FALSE);
  adw_leaflet_page_set_navigatable (self->volume_leaflet_page, TRUE);
  adw_leaflet_set_visible_child_name (self->leaflet, "volume");
  load_files (self);
}

static void
on_entry_activated_cb (DbwUcSheetDialog *self,
                       DbwUcEntry       *entry,
                       DbwUcBrowseList  *list)
{
  if (list == self->catalogs_list)
    {
      g_free (self->catalog);
      self->catalog = g_strdup (entry->name);
      adw_window_title_set_title (self->schemas_title, entry->name);
      dbw_uc_browse_list_set_search (self->schemas_list, NULL);
      adw_leaflet_set_visible_child_name (self->leaflet, "schemas");
      load_schemas (self);
    }
  else if (list == self->schemas_list)
    {
      g_autofree char *title = g_strdup_printf ("%s.%s", self->catalog, entry->name);

      g_free (self->schema);
      self->schema = g_strdup (entry->name);
      adw_window_title_set_title (self->objects_title, title);
      dbw_uc_browse_list_set_search (self->objects_list, NULL);
      adw_leaflet_set_visible_child_name (self->leaflet, "objects");
      load_objects (self);
    }
  else
    {
      g_clear_pointer (&self->object, dbw_uc_entry_free);
      self->object = dbw_uc_entry_copy (entry);
      if (entry->kind == DBW_UC_KIND_VOLUME)
        show_volume (self);
      else
        show_table (self);
    }
}

static void
on_retry_cb (DbwUcSheetDialog *self,
             DbwUcBrowseList  *list)
{
  if (list == self->catalogs_list)
    load_catalogs (self);
  else if (list == self->schemas_list)
    load_schemas (self);
  else
    load_objects (self);
}

/* The form */

static void
clear_rows (DbwUcSheetDialog *self)
{
  for (guint i = 0; i < self->key_rows->len; i++)
    adw_expander_row_remove (self->keys_row, g_ptr_array_index (self->key_rows, i));
  g_ptr_array_set_size (self->key_rows, 0);

  for (guint i = 0; i < self->source_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->source_rows, i);
      AdwPreferencesGroup *group = g_object_get_data (G_OBJECT (row), "group");

      adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->source_rows, 0);
}

static GtkWidget *
add_check_row (const char *title,
               const char *subtitle,
               gboolean    active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "check", check);

  return row;
}

static gboolean
row_is_checked (GtkWidget *row)
{
  return gtk_check_button_get_active (g_object_get_data (G_OBJECT (row), "check"));
}

static char **
checked_keys (DbwUcSheetDialog *self)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  for (guint i = 0; i < self->key_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->key_rows, i);

      if (row_is_checked (row))
        g_strv_builder_add (keys, g_object_get_data (G_OBJECT (row), "column"));
    }

  return g_strv_builder_end (keys);
}

/* A joined table maps the one key to a column of its own; with several keys it must have
 * the same names. A volume's files follow a key column, or all come. */
static void
update_source_rows (DbwUcSheetDialog *self)
{
  g_auto(GStrv) keys = checked_keys (self);
  guint n_keys = g_strv_length (keys);

  if (n_keys > 0)
    {
      g_autofree char *names = g_strjoinv (", ", keys);
      /* Translators: %s lists column names, e.g. "id, city" */
      g_autofree char *subtitle = g_strdup_printf (_("%s: the rows materialized again update the items with the same key"), names);

      adw_expander_row_set_subtitle (self->keys_row, subtitle);
    }
  else
    adw_expander_row_set_subtitle (self->keys_row, _("None: a row is known by its content, so a changed row becomes a new item"));

  for (guint i = 0; i < self->source_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->source_rows, i);
      GtkWidget *dropdown = g_object_get_data (G_OBJECT (row), "dropdown");
      gboolean is_volume = g_object_get_data (G_OBJECT (row), "volume") != NULL;

      if (is_volume)
        gtk_widget_set_sensitive (dropdown, row_is_checked (row));
      else
        {
          gtk_widget_set_visible (dropdown, n_keys <= 1);
          gtk_widget_set_sensitive (row, n_keys > 0);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       n_keys == 0 ? _("Choose a join key first") :
                                       n_keys == 1 ? _("Joined on") : _("Joined on the columns of the same names"));
        }
    }
}

static guint
default_join_column (const DbwUcEntry *table,
                     const char       *key)
{
  for (guint c = 0; table->columns != NULL && c < table->columns->len; c++)
    if (key != NULL && g_ascii_strcasecmp (((DbwUcColumn *) g_ptr_array_index (table->columns, c))->name, key) == 0)
      return c;

  for (guint c = 0; table->columns != NULL && c < table->columns->len; c++)
    if (g_str_has_suffix (((DbwUcColumn *) g_ptr_array_index (table->columns, c))->name, "_id"))
      return c;

  return 0;
}

static void
add_source_row (DbwUcSheetDialog *self,
                const DbwUcEntry *entry,
                const char       *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *row;
  GtkWidget *dropdown;
  guint selected = 0;

  if (entry->kind == DBW_UC_KIND_VOLUME)
    {
      const DbwUcEntry *primary = self->object;

      g_strv_builder_add (builder, _("All files"));
      for (guint c = 0; primary->columns != NULL && c < primary->columns->len; c++)
        {
          const char *name = ((DbwUcColumn *) g_ptr_array_index (primary->columns, c))->name;

          /* Translators: a choice of how to match files to rows, e.g. "Named after id" */
          g_autofree char *label = g_strdup_printf (_("Named after %s"), name);

          g_strv_builder_add (builder, label);
          if (key != NULL && g_ascii_strcasecmp (name, key) == 0)
            selected = c + 1;
        }
      group = self->volumes_group;
      row = add_check_row (entry->name, entry->comment, FALSE);
      g_object_set_data (G_OBJECT (row), "volume", GINT_TO_POINTER (TRUE));
      g_object_set_data_full (G_OBJECT (row), "path", volume_path (entry), g_free);
    }
  else
    {
      for (guint c = 0; entry->columns != NULL && c < entry->columns->len; c++)
        g_strv_builder_add (builder, ((DbwUcColumn *) g_ptr_array_index (entry->columns, c))->name);
      selected = default_join_column (entry, key);
      group = self->tables_group;
      row = add_check_row (entry->name, NULL, FALSE);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (entry->full_name), g_free);
    }

  items = g_strv_builder_end (builder);
  dropdown = gtk_drop_down_new_from_strings ((const char * const *) items);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  entry->kind == DBW_UC_KIND_VOLUME ? _("Files to bring") : _("Column joined on"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  g_object_set_data (G_OBJECT (row), "dropdown", dropdown);
  g_object_set_data (G_OBJECT (row), "group", group);
  g_object_set_data_full (G_OBJECT (row), "entry", dbw_uc_entry_copy (entry), (GDestroyNotify) dbw_uc_entry_free);

  g_signal_connect_object (g_object_get_data (G_OBJECT (row), "check"), "toggled",
                           G_CALLBACK (update_source_rows), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->source_rows, row);
}

static void
show_form (DbwUcSheetDialog *self)
{
  gboolean table = self->object->kind != DBW_UC_KIND_VOLUME;
  const char *key = NULL;
  guint n_tables = 0, n_volumes = 0;

  clear_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->object->name);
  gtk_editable_set_text (GTK_EDITABLE (self->filter_row), "");
  adw_window_title_set_subtitle (self->form_title, self->object->full_name);

  if (table)
    {
      for (guint c = 0; self->object->columns != NULL && c < self->object->columns->len; c++)
        {
          const DbwUcColumn *column = g_ptr_array_index (self->object->columns, c);
          gboolean is_id = g_ascii_strcasecmp (column->name, "id") == 0;
          GtkWidget *row = add_check_row (column->name, column->type_text, is_id);

          if (is_id)
            key = column->name;
          g_object_set_data_full (G_OBJECT (row), "column", g_strdup (column->name), g_free);
          g_signal_connect_object (g_object_get_data (G_OBJECT (row), "check"), "toggled",
                                   G_CALLBACK (update_source_rows), self, G_CONNECT_SWAPPED);
          adw_expander_row_add_row (self->keys_row, row);
          g_ptr_array_add (self->key_rows, row);
        }

      for (guint i = 0; self->objects != NULL && i < self->objects->len; i++)
        {
          const DbwUcEntry *other = g_ptr_array_index (self->objects, i);

          if (g_strcmp0 (other->full_name, self->object->full_name) == 0)
            continue;
          add_source_row (self, other, key);
          if (other->kind == DBW_UC_KIND_VOLUME)
            n_volumes++;
          else
            n_tables++;
        }
      update_source_rows (self);
    }

  adw_expander_row_set_expanded (self->keys_row, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->keys_row), table);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_row), table);
  adw_preferences_group_set_title (self->rows_group, table ? _("Rows") : _("Files"));
  adw_action_row_set_subtitle (self->sample_row, table ? _("At most this many rows; 0 takes them all")
                                                       : _("At most this many files; 0 takes them all"));
  gtk_widget_set_visible (GTK_WIDGET (self->tables_group), n_tables > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->volumes_group), n_volumes > 0);

  adw_leaflet_set_visible_child_name (self->leaflet, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
show_form_error (DbwUcSheetDialog *self,
                 const char       *message)
{
  gtk_label_set_label (self->form_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), TRUE);
}

static char *
sources_json (DbwUcSheetDialog *self,
              guint             n_keys)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) dbw_sheet_source_free);

  if (self->object->kind == DBW_UC_KIND_VOLUME)
    {
      g_autofree char *path = volume_path (self->object);

      g_ptr_array_add (sources, dbw_sheet_source_new (DBW_SHEET_SOURCE_VOLUME, path, NULL));
      return dbw_sheet_sources_to_json (sources);
    }

  for (guint i = 0; i < self->source_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->source_rows, i);
      GtkDropDown *dropdown = g_object_get_data (G_OBJECT (row), "dropdown");
      const DbwUcEntry *entry = g_object_get_data (G_OBJECT (row), "entry");
      guint selected = gtk_drop_down_get_selected (dropdown);
      const char *column = NULL;

      if (!row_is_checked (row) || !gtk_widget_get_sensitive (row))
        continue;

      if (entry->kind == DBW_UC_KIND_VOLUME)
        {
          if (selected > 0 && self->object->columns != NULL && selected - 1 < self->object->columns->len)
            column = ((DbwUcColumn *) g_ptr_array_index (self->object->columns, selected - 1))->name;
        }
      else if (n_keys == 1 && entry->columns != NULL && selected < entry->columns->len)
        column = ((DbwUcColumn *) g_ptr_array_index (entry->columns, selected))->name;

      {
        const char *keys[] = { column, NULL };

        g_ptr_array_add (sources, dbw_sheet_source_new (entry->kind == DBW_UC_KIND_VOLUME ? DBW_SHEET_SOURCE_VOLUME : DBW_SHEET_SOURCE_TABLE,
                                                        g_object_get_data (G_OBJECT (row), "path"),
                                                        column != NULL ? keys : NULL));
      }
    }

  return dbw_sheet_sources_to_json (sources);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwUcSheetDialog *self = DBW_UC_SHEET_DIALOG (widget);
  g_autoptr(DbwSheet) sheet = dbw_sheet_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *sources = NULL;
  gint64 sample_size;

  if (self->object == NULL || self->store == NULL)
    return;

  keys = self->object->kind == DBW_UC_KIND_VOLUME ? g_new0 (char *, 1) : checked_keys (self);
  sources = sources_json (self, g_strv_length (keys));
  sample_size = (gint64) gtk_spin_button_get_value (self->sample_spin);

  dbw_sheet_set_name (sheet, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  dbw_sheet_set_description (sheet, self->object->comment != NULL ? self->object->comment : "");
  if (self->object->kind != DBW_UC_KIND_VOLUME)
    {
      dbw_sheet_set_primary_table (sheet, self->object->full_name);
      dbw_sheet_set_filter_condition (sheet, gtk_editable_get_text (GTK_EDITABLE (self->filter_row)));
    }
  dbw_sheet_set_join_keys (sheet, (const char * const *) keys);
  dbw_sheet_set_secondary_sources (sheet, sources);
  dbw_sheet_set_sample_size (sheet, sample_size > 0 ? sample_size : -1);

  /* One row written: done here, where the user waits for it. */
  if (!dbw_sheet_ops_save_pointer (self->store, sheet, &error))
    {
      show_form_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals [SHEET_CREATED], 0, dbw_record_get_id (DBW_RECORD (sheet)));
  gtk_window_close (GTK_WINDOW (self));
}

/* Actions */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwUcSheetDialog *self = DBW_UC_SHEET_DIALOG (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwUcSheetDialog *self = DBW_UC_SHEET_DIALOG (widget);

  if (self->object != NULL)
    show_form (self);
}

static void
retry_preview_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwUcSheetDialog *self = DBW_UC_SHEET_DIALOG (widget);

  if (self->object != NULL)
    load_preview (self);
}

static void
retry_files_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DbwUcSheetDialog *self = DBW_UC_SHEET_DIALOG (widget);

  if (self->object != NULL)
    load_files (self);
}

static void
open_preferences_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));

  /* Preferences open over the main window, once this one is gone. */
  if (application != NULL)
    {
      g_object_ref (application);
      gtk_window_close (GTK_WINDOW (widget));
      g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
      g_object_unref (application);
    }
}

/* GObject */

static void
dbw_uc_sheet_dialog_dispose (GObject *object)
{
  DbwUcSheetDialog *self = (DbwUcSheetDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->preview_view != NULL)
    gtk_column_view_set_model (self->preview_view, NULL);
  if (self->columns_view != NULL)
    gtk_column_view_set_model (self->columns_view, NULL);
  if (self->files_view != NULL)
    gtk_list_view_set_model (self->files_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_UC_SHEET_DIALOG);

  G_OBJECT_CLASS (dbw_uc_sheet_dialog_parent_class)->dispose (object);
}

static void
dbw_uc_sheet_dialog_finalize (GObject *object)
{
  DbwUcSheetDialog *self = (DbwUcSheetDialog *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->warehouse_id, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->level_cancellable);
  g_clear_pointer (&self->catalog, g_free);
  g_clear_pointer (&self->schema, g_free);
  g_clear_pointer (&self->object, dbw_uc_entry_free);
  g_clear_pointer (&self->objects, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->preview);
  g_clear_object (&self->preview_rows);
  g_clear_object (&self->column_positions);
  g_clear_object (&self->files);
  g_clear_pointer (&self->key_rows, g_ptr_array_unref);
  g_clear_pointer (&self->source_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_uc_sheet_dialog_parent_class)->finalize (object);
}

static void
dbw_uc_sheet_dialog_class_init (DbwUcSheetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_uc_sheet_dialog_dispose;
  object_class->finalize = dbw_uc_sheet_dialog_finalize;

  /**
   * DbwUcSheetDialog::sheet-created:
   * @sheet_id: the id of the new sheet
   */
  signals [SHEET_CREATED] =
    g_signal_new ("sheet-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (DBW_TYPE_UC_BROWSE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-uc-sheet-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, not_configured_page);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, catalogs_title);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, catalogs_list);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, schemas_title);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, schemas_list);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, objects_title);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, objects_list);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, table_leaflet_page);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, table_title);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, table_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, preview_view);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, preview_error_page);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, columns_view);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, volume_leaflet_page);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, volume_title);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, files_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, files_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, files_view);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, files_error_page);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, form_title);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, source_group);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, rows_group);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, keys_row);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, filter_row);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, sample_row);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, sample_spin);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, tables_group);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, volumes_group);
  gtk_widget_class_bind_template_child (widget_class, DbwUcSheetDialog, form_error);

  gtk_widget_class_install_action (widget_class, "uc.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "uc.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "uc.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "uc.retry-preview", NULL, retry_preview_action);
  gtk_widget_class_install_action (widget_class, "uc.retry-files", NULL, retry_files_action);
  gtk_widget_class_install_action (widget_class, "uc.open-preferences", NULL, open_preferences_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dbw_uc_sheet_dialog_init (DbwUcSheetDialog *self)
{
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->key_rows = g_ptr_array_new ();
  self->source_rows = g_ptr_array_new ();

  self->preview_rows = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->preview_rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  self->column_positions = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->column_positions)));
  gtk_column_view_set_model (self->columns_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  add_columns_column (self, _("Column"), "name", FALSE);
  add_columns_column (self, _("Type"), "type", FALSE);
  add_columns_column (self, _("Description"), "comment", TRUE);

  self->files = g_list_store_new (DBW_TYPE_FILE_ENTRY);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->files)));
  gtk_list_view_set_model (self->files_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_file_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_file_row_cb), NULL);
  gtk_list_view_set_factory (self->files_view, factory);
  g_object_unref (factory);

  dbw_uc_browse_list_set_empty_text (self->catalogs_list, _("No Catalogs"),
                                     _("This account may not use any catalog of the workspace. Ask a workspace administrator for access."));
  dbw_uc_browse_list_set_empty_text (self->schemas_list, _("No Schemas"),
                                     _("The catalog has no schema this account may use."));
  dbw_uc_browse_list_set_empty_text (self->objects_list, _("No Tables or Volumes"),
                                     _("The schema has no table or volume this account may read."));

  {
    DbwUcBrowseList *lists[] = { self->catalogs_list, self->schemas_list, self->objects_list };

    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      {
        g_signal_connect_object (lists[i], "entry-activated", G_CALLBACK (on_entry_activated_cb), self, G_CONNECT_SWAPPED);
        g_signal_connect_object (lists[i], "retry", G_CALLBACK (on_retry_cb), self, G_CONNECT_SWAPPED);
      }
  }

  gtk_spinner_start (self->connect_spinner);
  gtk_stack_set_visible_child_name (self->main_stack, "connecting");
  dbw_workspace_connect_async (NULL, self->cancellable, on_connected_cb, g_object_ref (self));
}

/**
 * dbw_uc_sheet_dialog_new:
 * @store: the project the sheet is saved in
 */
DbwUcSheetDialog *
dbw_uc_sheet_dialog_new (GtkWindow *parent,
                         DbwStore  *store)
{
  DbwUcSheetDialog *self;

  g_return_val_if_fail (DBW_IS_STORE (store), NULL);

  self = g_object_new (DBW_TYPE_UC_SHEET_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * dbw_uc_sheet_dialog_get_page:
 *
 * Returns: what is shown: "connecting", "not-configured", "catalogs", "schemas",
 *   "objects", "table", "volume" or "form"
 */
const char *
dbw_uc_sheet_dialog_get_page (DbwUcSheetDialog *self)
{
  const char *page;

  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), NULL);

  page = gtk_stack_get_visible_child_name (self->main_stack);
  if (!g_str_equal (page, "browse"))
    return page;

  return adw_leaflet_get_visible_child_name (self->leaflet);
}

/* Whether the page shown is still waiting for the workspace. */
gboolean
dbw_uc_sheet_dialog_get_loading (DbwUcSheetDialog *self)
{
  const char *page;

  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), FALSE);

  page = dbw_uc_sheet_dialog_get_page (self);
  if (g_str_equal (page, "connecting"))
    return TRUE;
  if (g_str_equal (page, "table"))
    return g_str_equal (gtk_stack_get_visible_child_name (self->preview_stack), "loading");
  if (g_str_equal (page, "volume"))
    return g_str_equal (gtk_stack_get_visible_child_name (self->files_stack), "loading");

  return dbw_uc_sheet_dialog_get_list (self) != NULL &&
         dbw_uc_browse_list_get_loading (dbw_uc_sheet_dialog_get_list (self));
}

/**
 * dbw_uc_sheet_dialog_get_list:
 *
 * Returns: (transfer none) (nullable): the list of the page shown, if it is one
 */
DbwUcBrowseList *
dbw_uc_sheet_dialog_get_list (DbwUcSheetDialog *self)
{
  const char *page;

  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), NULL);

  page = dbw_uc_sheet_dialog_get_page (self);
  if (g_str_equal (page, "catalogs"))
    return self->catalogs_list;
  if (g_str_equal (page, "schemas"))
    return self->schemas_list;
  if (g_str_equal (page, "objects"))
    return self->objects_list;

  return NULL;
}

/* Opens the entry called @name in the list shown, as a click on it would. */
gboolean
dbw_uc_sheet_dialog_open (DbwUcSheetDialog *self,
                          const char       *name)
{
  DbwUcBrowseList *list;

  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), FALSE);

  list = dbw_uc_sheet_dialog_get_list (self);
  return list != NULL && dbw_uc_browse_list_activate (list, name);
}

guint
dbw_uc_sheet_dialog_get_n_preview_rows (DbwUcSheetDialog *self)
{
  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows));
}

/* Checks or unchecks @column as a join key in the form. */
gboolean
dbw_uc_sheet_dialog_set_join_key (DbwUcSheetDialog *self,
                                  const char       *column,
                                  gboolean          active)
{
  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), FALSE);

  for (guint i = 0; i < self->key_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->key_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "column"), column) == 0)
        {
          gtk_check_button_set_active (g_object_get_data (G_OBJECT (row), "check"), active);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * dbw_uc_sheet_dialog_add_source:
 * @name: a table or volume of the schema
 * @column: (nullable): for a table, its column joined on; for a volume, the column of the
 *   primary table naming its files (%NULL: all files)
 *
 * Checks a joined table or a volume in the form.
 */
gboolean
dbw_uc_sheet_dialog_add_source (DbwUcSheetDialog *self,
                                const char       *name,
                                const char       *column)
{
  g_return_val_if_fail (DBW_IS_UC_SHEET_DIALOG (self), FALSE);

  for (guint i = 0; i < self->source_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->source_rows, i);
      const DbwUcEntry *entry = g_object_get_data (G_OBJECT (row), "entry");
      const DbwUcEntry *columns_of = entry->kind == DBW_UC_KIND_VOLUME ? self->object : entry;
      guint offset = entry->kind == DBW_UC_KIND_VOLUME ? 1 : 0;
      guint selected = 0;

      if (g_strcmp0 (entry->name, name) != 0)
        continue;

      for (guint c = 0; column != NULL && columns_of->columns != NULL && c < columns_of->columns->len; c++)
        if (g_strcmp0 (((DbwUcColumn *) g_ptr_array_index (columns_of->columns, c))->name, column) == 0)
          selected = c + offset;

      gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (row), "dropdown"), selected);
      gtk_check_button_set_active (g_object_get_data (G_OBJECT (row), "check"), TRUE);
      return TRUE;
    }

  return FALSE;
}
