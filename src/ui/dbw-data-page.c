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

#include "dbw-constraint-badges.h"
#include "dbw-data-page.h"
#include "dbw-enums.h"
#include "dbw-generate-page.h"
#include "dbw-import-report-window.h"
#include "dbw-importer.h"
#include "dbw-item.h"
#include "dbw-item-preview.h"
#include "dbw-json-text.h"
#include "dbw-lineage-window.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-sheet-source.h"
#include "dbw-uc-materializer.h"
#include "dbw-uc-sheet-dialog.h"
#include "dbw-window.h"
#include "dbw-workspace.h"
#include "dbw-widget-util.h"

/* The Data stage: the project's sheets on the left; on the right the selected sheet's items
 * in a column view with one column per field, searchable (full-text), filtered by kind and
 * label status and sortable by any column, and a preview of the selected item. Sheets are
 * created, described, deleted (with an undo), derived from others, and filled by imports
 * that run in a worker thread with a progress bar. Both lists are DbwQueryModels, so a
 * sheet of 100,000 items opens at once and only the visible rows are ever loaded.
 *
 * A sheet can also point at Unity Catalog tables and volumes (made in DbwUcSheetDialog);
 * materializing it brings a sample of their rows and files in, with the same progress
 * and cancellation as an import. */

#define MAX_FIELD_COLUMNS 64
/* Shown at first; the Columns menu shows the others. Every visible column costs a
 * widget per row on screen. */
#define VISIBLE_FIELD_COLUMNS 6
/* GTK 4.8's column view makes a row of widgets for up to 200 items whatever is on screen:
 * a new list shows the rows that fill the view, and the rest come REVEAL_ROWS a frame, so
 * opening a sheet never stalls a frame on rows nobody sees yet. A view already laid out is
 * counted at 16 pixels a row, below the 20 or so a row of one line takes; one not laid out
 * yet (the window is opening) starts with REVEAL_FIRST_ROWS and is filled up, once its
 * height and its rows' are known, in the same frame (see on_frame_layout_cb()). */
#define REVEAL_ROWS 64
#define REVEAL_FIRST_ROWS 16
#define REVEAL_MIN_ROW_HEIGHT 16

struct _DbwDataPage
{
  DbwPage              parent_instance;

  DbwQueryModel       *sheets;
  DbwQueryModel       *items;
  GtkSingleSelection  *sheet_selection;
  GtkSingleSelection  *item_selection;
  GtkSliceListModel   *items_revealed;
  guint                reveal_tick;
  GdkFrameClock       *layout_clock;
  gulong               layout_handler;
  GtkWidget           *sample_cell;   /* weak: a bound cell, for the height of a row */
  guint                n_field_columns;
  gboolean             columns_pending;
  gboolean             disposed;
  guint                n_jobs;        /* derived sheets being made */

  /* Current items per sheet, and the labels that show them. */
  GHashTable          *item_counts;
  GHashTable          *count_labels;
  gulong               store_changed_handler;
  DbwStore            *watched_store;
  gulong               sheets_changed_handler;
  gulong               items_changed_handler;
  gulong               sheet_selected_handler;
  gulong               sorter_changed_handler;

  /* The running import, and what it imports, to run it again keeping the good records. */
  DbwImporter         *importer;
  GCancellable        *import_cancellable;
  GPtrArray           *import_sources;
  char                *import_sheet_id;
  gunichar             import_delimiter; /* of CSV files; 0: found from the file */
  GtkFileChooserNative *chooser;

  /* The running materialization (it uses the import's cancellable and progress). */
  DbwUcMaterializer   *materializer;
  DbwSheet            *materialize_sheet;

  /* The selected sheet, whose name and description the header follows. */
  DbwSheet            *header_sheet;
  gboolean             connecting;

  GtkStack            *stack;
  GtkListView         *sheets_view;
  GtkColumnView       *items_view;
  GtkLabel            *sheet_title;
  GtkLabel            *sheet_subtitle;
  GtkStack            *items_stack;
  GtkRevealer         *import_revealer;
  GtkLabel            *import_status;
  GtkProgressBar      *import_progress;
  GtkSearchEntry      *search_entry;
  AdwSplitButton     *new_sheet_button;
  AdwSplitButton     *import_button;
  GtkDropDown         *kind_filter;
  GtkDropDown         *label_filter;
  GtkBox              *columns_box;
  DbwItemPreview      *preview;
  GtkPaned            *items_paned;
  GSettings           *settings;
  gboolean             restore_preview_width;
  GtkButton           *materialize_button;
  AdwStatusPage       *uc_empty_page;
};

G_DEFINE_FINAL_TYPE (DbwDataPage, dbw_data_page, DBW_TYPE_PAGE)

static GQuark parsed_fields_quark;

/* Items are immutable, so their fields, read, can be kept with them: each as the text a
 * cell shows, numbers as written (0.100, not 0.1). */
static GArray *
get_fields (DbwItem *item)
{
  GArray *members = g_object_get_qdata (G_OBJECT (item), parsed_fields_quark);

  if (members == NULL)
    {
      const char *fields = dbw_item_get_fields (item);

      members = fields != NULL ? dbw_json_object_members (fields, -1) : NULL;
      if (members == NULL)
        members = g_array_new (FALSE, TRUE, sizeof (DbwJsonMember));
      g_object_set_qdata_full (G_OBJECT (item), parsed_fields_quark, members, (GDestroyNotify) g_array_unref);
    }

  return members;
}

/* The text of @item's field @name; a name given twice has its last value, as in JSON. */
static const char *
field_text (DbwItem    *item,
            const char *name)
{
  const DbwJsonMember *member = dbw_json_members_find (get_fields (item), name);

  return member == NULL || member->kind == DBW_JSON_NULL ? "" : member->text;
}

/* The names of @item's fields, in order, each once. */
static GStrv
field_names (DbwItem *item)
{
  GArray *members = get_fields (item);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < members->len; i++)
    {
      const DbwJsonMember *member = &g_array_index (members, DbwJsonMember, i);

      if (g_hash_table_add (seen, member->name))
        g_strv_builder_add (builder, member->name);
    }

  return g_strv_builder_end (builder);
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

/* Where a Unity Catalog sheet's data is: its primary table, or its first volume. */
static char *
describe_source (DbwSheet *sheet)
{
  g_autoptr(GPtrArray) sources = NULL;
  const char *primary;

  if (dbw_sheet_get_source_kind (sheet) != DBW_SOURCE_KIND_UNITY_CATALOG)
    return NULL;

  primary = dbw_sheet_get_primary_table (sheet);
  if (primary != NULL && *primary != '\0')
    return g_strdup (primary);

  sources = dbw_sheet_sources_parse (dbw_sheet_get_secondary_sources (sheet), NULL);
  if (sources != NULL && sources->len > 0)
    return g_strdup (((DbwSheetSource *) g_ptr_array_index (sources, 0))->name);

  return NULL;
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
  gtk_label_set_ellipsize (GTK_LABEL (count), PANGO_ELLIPSIZE_MIDDLE);
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
set_count_label (DbwDataPage *self,
                 GtkLabel    *label,
                 const char  *sheet_id)
{
  g_autofree char *text = NULL;
  const char *source = g_object_get_data (G_OBJECT (label), "sheet-source");
  guint n = 0;

  if (self->item_counts != NULL)
    n = GPOINTER_TO_UINT (g_hash_table_lookup (self->item_counts, sheet_id));

  text = describe_item_count (n);
  if (source != NULL)
    {
      /* Translators: "12 items · main.sales.orders" */
      g_autofree char *with_source = g_strdup_printf (_("%s · %s"), text, source);

      gtk_label_set_label (label, with_source);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), source);
      return;
    }

  gtk_label_set_label (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
}

static void
fill_sheet_row (GtkListItem *list_item,
                gpointer     user_data)
{
  DbwDataPage *self = user_data;
  DbwSheet *sheet = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *count = gtk_widget_get_next_sibling (name);
  const char *id = dbw_record_get_id (DBW_RECORD (sheet));

  gtk_label_set_label (GTK_LABEL (name), dbw_sheet_get_name (sheet));
  g_object_set_data_full (G_OBJECT (count), "sheet-source", describe_source (sheet), g_free);
  set_count_label (self, GTK_LABEL (count), id);
  g_hash_table_replace (self->count_labels, g_strdup (id), count);
  g_object_set_data_full (G_OBJECT (count), "sheet-id", g_strdup (id), g_free);
}

/* A row follows its sheet: renamed here, from the command line or by a teammate's sync, the
 * list refreshes the sheet in place. */
static void
bind_sheet_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   DbwDataPage              *self)
{
  static const char * const shown[] = {
    "name", "source-kind", "primary-table", "secondary-sources", NULL
  };

  dbw_list_item_follow (list_item, shown, fill_sheet_row, self);
}

static void
unbind_sheet_row_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     DbwDataPage              *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *count = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
  const char *id = g_object_get_data (G_OBJECT (count), "sheet-id");

  dbw_list_item_unfollow (list_item);
  if (id != NULL && g_hash_table_lookup (self->count_labels, id) == count)
    g_hash_table_remove (self->count_labels, id);
}

static void
refresh_item_counts (DbwDataPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, label;

  g_clear_pointer (&self->item_counts, g_hash_table_unref);
  if (store != NULL)
    {
      self->item_counts = dbw_sheet_ops_count_items (store, &error);
      if (self->item_counts == NULL)
        g_warning ("Could not count the items of the sheets: %s", error->message);
    }

  g_hash_table_iter_init (&iter, self->count_labels);
  while (g_hash_table_iter_next (&iter, &key, &label))
    set_count_label (self, label, key);
}

static void
on_store_changed_cb (DbwDataPage   *self,
                     const char    *table,
                     DbwChangeKind  kind,
                     const char    *id,
                     DbwStore      *store)
{
  if (g_str_equal (table, "items") && kind != DBW_CHANGE_UPDATED)
    refresh_item_counts (self);
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
  DbwDataPage *self = user_data;
  DbwItem *item = gtk_list_item_get_item (list_item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), dbw_item_get_item_ref (item));
  g_set_weak_pointer (&self->sample_cell, gtk_list_item_get_child (list_item));
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

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), field_text (item, field));
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
      const char *text = field != NULL ? field_text (item, field) : dbw_item_get_item_ref (item);

      chars = MAX (chars, g_utf8_strlen (text, -1));
    }

  return (int) CLAMP (chars * 8 + 16, 64, 360);
}

/* Sorting happens in SQL, not in a GtkSortListModel that would load every row. GTK 4.8
 * cannot tell which column the user sorts by, so each column gets a sorter that only
 * records being asked: comparing two objects with the view's sorter asks the primary
 * column first, and the sign of the answer gives the direction. */
static const char *probe_hit;

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  if (probe_hit == NULL)
    probe_hit = user_data;
  return -1;
}

static GtkSorter *
make_probe_sorter (DbwDataPage *self,
                   const char  *key)
{
  char *owned = g_strdup (key);
  GtkCustomSorter *sorter = gtk_custom_sorter_new (probe_compare, owned, g_free);

  return GTK_SORTER (sorter);
}

static GtkColumnViewColumn *
add_column (DbwDataPage *self,
            const char  *title,
            const char  *field,
            GCallback    bind,
            gboolean     expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", bind, self);
  if (field != NULL)
    g_object_set_data_full (G_OBJECT (factory), "field", g_strdup (field), g_free);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  sorter = make_probe_sorter (self, field != NULL ? field :
                              bind == G_CALLBACK (bind_ref_cell_cb) ? "@item_ref" : "@modality");
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  if (bind != G_CALLBACK (bind_modality_cell_cb))
    gtk_column_view_column_set_fixed_width (column, estimate_width (self, title, field));
  gtk_column_view_append_column (self->items_view, column);

  return column;
}

/* The constraints items bring from their source (PII tags, confidential tables), which
 * every pair and label made from them starts with. */
static GtkColumnViewColumn *
add_usage_column (DbwDataPage *self)
{
  g_autoptr(GtkColumnViewColumn) column = dbw_constraint_badges_new_column ();

  gtk_column_view_append_column (self->items_view, column);

  return column;
}

/* The Columns menu: one check button per column but the first, bound to its visibility. */
static void
add_column_toggle (DbwDataPage         *self,
                   GtkColumnViewColumn *column)
{
  GtkWidget *check = gtk_check_button_new_with_label (gtk_column_view_column_get_title (column));

  g_object_bind_property (column, "visible", check, "active", G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  gtk_box_append (self->columns_box, check);
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
  GtkWidget *child;

  remove_columns (self);
  self->n_field_columns = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    gtk_box_remove (self->columns_box, child);

  add_column (self, _("Item"), NULL, G_CALLBACK (bind_ref_cell_cb), FALSE);
  add_column_toggle (self, add_column (self, _("Kind"), NULL, G_CALLBACK (bind_modality_cell_cb), FALSE));
  add_column_toggle (self, add_usage_column (self));

  if (self->items == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    return;

  first = g_list_model_get_item (G_LIST_MODEL (self->items), 0);
  {
    g_auto(GStrv) names = field_names (first);

    for (guint i = 0; names[i] != NULL && self->n_field_columns < MAX_FIELD_COLUMNS; i++)
      {
        GtkColumnViewColumn *column = add_column (self, names[i], names[i], G_CALLBACK (bind_field_cell_cb), FALSE);

        gtk_column_view_column_set_visible (column, self->n_field_columns < VISIBLE_FIELD_COLUMNS);
        add_column_toggle (self, column);
        self->n_field_columns++;
      }
  }
}


static DbwSheet *
get_selected_sheet (DbwDataPage *self)
{
  return gtk_single_selection_get_selected_item (self->sheet_selection);
}

static DbwWindow *
get_window (DbwDataPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return DBW_IS_WINDOW (root) ? DBW_WINDOW (root) : NULL;
}

static void
show_toast (DbwDataPage *self,
            const char  *title)
{
  DbwWindow *window = get_window (self);

  if (window != NULL)
    dbw_window_show_toast (window, title);
}

static void
show_error (DbwDataPage  *self,
            const char   *heading,
            const GError *error)
{
  DbwWindow *window = get_window (self);

  if (window != NULL)
    dbw_window_show_error (window, heading, error);
  else
    g_warning ("%s: %s", heading, error->message);
}

static gboolean
has_item_filters (DbwDataPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0' ||
         gtk_drop_down_get_selected (self->kind_filter) != 0 ||
         gtk_drop_down_get_selected (self->label_filter) != 0;
}

static void
update_sheet_header (DbwDataPage *self)
{
  DbwSheet *sheet = get_selected_sheet (self);
  g_autofree char *count = NULL;
  g_autofree char *source = NULL;
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
  source = describe_source (sheet);
  if (source != NULL)
    {
      g_autofree char *with_source = g_strdup_printf (_("%s · %s"), count, source);

      g_free (count);
      count = g_steal_pointer (&with_source);
    }

  gtk_label_set_label (self->sheet_title, dbw_sheet_get_name (sheet));
  if (has_item_filters (self))
    {
      /* Translators: "12 items match" */
      g_autofree char *matching = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s matches", "%s match", n), count);

      gtk_label_set_label (self->sheet_subtitle, matching);
    }
  else if (description != NULL && description[0] != '\0')
    {
      g_autofree char *subtitle = g_strdup_printf ("%s — %s", count, description);

      gtk_label_set_label (self->sheet_subtitle, subtitle);
    }
  else
    {
      gtk_label_set_label (self->sheet_subtitle, count);
    }

  if (source != NULL && n == 0 && !has_item_filters (self))
    {
      /* Translators: %s is where the sheet's data is, such as main.sales.orders */
      g_autofree char *text = g_strdup_printf (_("This sheet points at %s in Unity Catalog. Materialize it to bring a sample of its rows, "
                                                 "and the files of its volumes, into the project; then they can be labeled here."),
                                               source);

      dbw_status_page_set_description_text (self->uc_empty_page, text);
      gtk_stack_set_visible_child_name (self->items_stack, "no-items-uc");
      return;
    }

  gtk_stack_set_visible_child_name (self->items_stack,
                                    n > 0 ? "items" : has_item_filters (self) ? "no-results" : "no-items");
}



static guint
rows_to_fill_view (DbwDataPage *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->items_view));

  if (height <= 0)
    return REVEAL_FIRST_ROWS;

  return CLAMP ((guint) height / REVEAL_MIN_ROW_HEIGHT + 1, REVEAL_FIRST_ROWS, 200);
}

/* Runs after GTK has laid the window out; GDK lays it out again, before painting, while a
 * layout is requested. A new list whose rows do not fill the view yet gets the rows that
 * do, counted from the height its rows took, so the frame shows a full view. */
static void
on_frame_layout_cb (GdkFrameClock *frame_clock,
                    DbwDataPage   *self)
{
  GtkAdjustment *vadjustment;
  GtkWidget *cell, *row;
  guint shown, needed;
  int row_height;
  double page;

  if (self->items == NULL || gtk_slice_list_model_get_size (self->items_revealed) == G_MAXUINT)
    return;

  shown = g_list_model_get_n_items (G_LIST_MODEL (self->items_revealed));
  if (shown == 0 || shown >= g_list_model_get_n_items (G_LIST_MODEL (self->items)))
    return;

  /* A cell's parent is the column's cell, whose parent is the row. */
  if (self->sample_cell == NULL ||
      (cell = gtk_widget_get_parent (self->sample_cell)) == NULL ||
      (row = gtk_widget_get_parent (cell)) == NULL ||
      (row_height = gtk_widget_get_height (row)) <= 0)
    return;

  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->items_view));
  page = gtk_adjustment_get_page_size (vadjustment);
  if (page <= 0)
    return;

  /* One more for the part of a row below the last whole one. */
  needed = MIN ((guint) page / row_height + 2, 200);
  if (needed > shown)
    gtk_slice_list_model_set_size (self->items_revealed, needed);
}

/* What the paned gives the preview, with its handle: the same figure restores it. */
static void
save_preview_width (DbwDataPage *self)
{
  int total = gtk_widget_get_width (GTK_WIDGET (self->items_paned));
  int width = total - gtk_paned_get_position (self->items_paned);

  if (self->settings != NULL && gtk_widget_get_visible (GTK_WIDGET (self->preview)) && total > 0 && width >= 200)
    g_settings_set_int (self->settings, "preview-width", width);
}

/* The paned may have no width yet (the table just came): then once it has one. */
static void
restore_preview_width (DbwDataPage *self)
{
  int total = gtk_widget_get_width (GTK_WIDGET (self->items_paned));

  self->restore_preview_width = total <= 0;
  if (total > 0)
    gtk_paned_set_position (self->items_paned, MAX (total - g_settings_get_int (self->settings, "preview-width"), 240));
}

static void
on_paned_max_position_cb (DbwDataPage *self)
{
  if (self->restore_preview_width)
    restore_preview_width (self);
}

static void
dbw_data_page_realize (GtkWidget *widget)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);

  GTK_WIDGET_CLASS (dbw_data_page_parent_class)->realize (widget);

  self->layout_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_handler = g_signal_connect (self->layout_clock, "layout", G_CALLBACK (on_frame_layout_cb), self);
  /* The page may be realized while the window is being laid out, which an opening window
   * does: one more layout, so that the handler runs before this frame is painted. */
  gdk_frame_clock_request_phase (self->layout_clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
}

static void
dbw_data_page_unrealize (GtkWidget *widget)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);

  save_preview_width (self);

  g_clear_signal_handler (&self->layout_handler, self->layout_clock);
  g_clear_object (&self->layout_clock);

  GTK_WIDGET_CLASS (dbw_data_page_parent_class)->unrealize (widget);
}

static void
reveal_all (DbwDataPage *self)
{
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->items_view), self->reveal_tick);
  self->reveal_tick = 0;
  gtk_slice_list_model_set_size (self->items_revealed, G_MAXUINT);
}

static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  DbwDataPage *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->items_revealed);

  if (self->items == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->items)) <= size + REVEAL_ROWS)
    {
      self->reveal_tick = 0;
      gtk_slice_list_model_set_size (self->items_revealed, G_MAXUINT);
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (self->items_revealed, size + REVEAL_ROWS);
  return G_SOURCE_CONTINUE;
}

static void
on_items_changed_cb (DbwDataPage *self,
                     guint        position,
                     guint        removed,
                     guint        added,
                     GListModel  *model)
{
  /* The columns come from the first item, known once the list has arrived. */
  if (self->columns_pending && g_list_model_get_n_items (model) > 0)
    {
      self->columns_pending = FALSE;
      g_signal_handler_block (gtk_column_view_get_sorter (self->items_view), self->sorter_changed_handler);
      rebuild_columns (self);
      g_signal_handler_unblock (gtk_column_view_get_sorter (self->items_view), self->sorter_changed_handler);
    }

  /* The rest of a new list, from the next frame on. */
  if (self->reveal_tick == 0 && gtk_slice_list_model_get_size (self->items_revealed) != G_MAXUINT &&
      g_list_model_get_n_items (model) > gtk_slice_list_model_get_size (self->items_revealed))
    self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->items_view), reveal_tick_cb, self, NULL);

  update_sheet_header (self);
}

static const char * const kind_nicks[] = { NULL, "row", "text", "pdf", "image" };

static void
apply_item_filters (DbwDataPage *self)
{
  g_autoptr(GError) error = NULL;
  guint kind = gtk_drop_down_get_selected (self->kind_filter);
  guint label = gtk_drop_down_get_selected (self->label_filter);

  if (self->items == NULL)
    return;

  if (kind > 0 && kind < G_N_ELEMENTS (kind_nicks))
    dbw_query_model_set_filter (self->items, "modality", kind_nicks[kind], &error);
  else
    dbw_query_model_unset_filter (self->items, "modality", &error);
  if (error != NULL)
    g_warning ("Could not filter items: %s", error->message);

  dbw_query_model_set_label_filter (self->items,
                                    label == 1 ? DBW_LABEL_FILTER_LABELED :
                                    label == 2 ? DBW_LABEL_FILTER_UNLABELED : DBW_LABEL_FILTER_ANY,
                                    NULL);
  dbw_query_model_set_search (self->items, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), NULL);

  update_sheet_header (self);
}

static void
on_sorter_changed_cb (DbwDataPage *self,
                      GtkSorterChange change,
                      GtkSorter   *sorter)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  GtkOrdering order;
  const char *key;

  if (self->items == NULL)
    return;

  probe_hit = NULL;
  order = gtk_sorter_compare (sorter, a, b);
  key = probe_hit;
  probe_hit = NULL;

  if (key == NULL || order == GTK_ORDERING_EQUAL)
    dbw_query_model_set_sort (self->items, NULL, FALSE, &error);
  else if (key[0] == '@')
    dbw_query_model_set_sort (self->items, key + 1, order == GTK_ORDERING_LARGER, &error);
  else
    dbw_query_model_set_sort_field (self->items, key, order == GTK_ORDERING_LARGER, &error);

  if (error != NULL)
    g_warning ("Could not sort the items: %s", error->message);
}

static void
update_actions (DbwDataPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwItem *item = gtk_single_selection_get_selected_item (self->item_selection);
  DbwSheet *sheet = get_selected_sheet (self);
  gboolean have_sheet = sheet != NULL;
  gboolean importing = self->importer != NULL || self->materializer != NULL || self->connecting;
  gboolean pointer = sheet != NULL && dbw_sheet_get_source_kind (sheet) == DBW_SOURCE_KIND_UNITY_CATALOG;
  /* An import or a derivation holds the project's write lock until it commits: a write
   * from here would wait for it, then fail. */
  gboolean busy = importing || self->n_jobs > 0;
  gboolean can_write = !busy && !dbw_page_is_read_only (DBW_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.new-sheet", store != NULL && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.edit-sheet", have_sheet && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.delete-sheet", have_sheet && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.derive", have_sheet && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.import-files", store != NULL && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.import-folder", store != NULL && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.cancel-import", importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.add-uc-sheet", store != NULL && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.materialize", pointer && can_write);
  gtk_widget_set_visible (GTK_WIDGET (self->materialize_button), pointer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.edit-item",
                                 item != NULL && dbw_item_get_modality (item) == DBW_MODALITY_ROW && can_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "data.show-lineage", item != NULL);
}

static void
on_item_selected_cb (DbwDataPage        *self,
                     GParamSpec         *pspec,
                     GtkSingleSelection *selection)
{
  DbwItem *item = gtk_single_selection_get_selected_item (selection);
  gboolean shown = gtk_widget_get_visible (GTK_WIDGET (self->preview));

  /* Until an item is chosen the table has the room; the preview comes back as wide as
   * it was left. */
  dbw_item_preview_set_item (self->preview, dbw_page_get_store (DBW_PAGE (self)), item);
  if (item == NULL && shown)
    save_preview_width (self);
  gtk_widget_set_visible (GTK_WIDGET (self->preview), item != NULL);
  if (item != NULL && !shown)
    restore_preview_width (self);
  update_actions (self);
}

static void
follow_header_sheet (DbwDataPage *self,
                     DbwSheet    *sheet)
{
  if (self->header_sheet == sheet)
    return;

  if (self->header_sheet != NULL)
    g_signal_handlers_disconnect_by_data (self->header_sheet, self);
  g_set_object (&self->header_sheet, sheet);
  if (sheet != NULL)
    {
      static const char * const shown[] = {
        "notify::name", "notify::description", "notify::source-kind", "notify::primary-table",
        "notify::secondary-sources",
      };

      for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
        g_signal_connect_object (sheet, shown[i], G_CALLBACK (update_sheet_header), self, G_CONNECT_SWAPPED);
    }
}

static void
on_sheet_selected_cb (DbwDataPage        *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  DbwSheet *sheet = gtk_single_selection_get_selected_item (selection);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GError) error = NULL;

  follow_header_sheet (self, sheet);
  gtk_single_selection_set_model (self->item_selection, NULL);
  reveal_all (self);
  gtk_slice_list_model_set_model (self->items_revealed, NULL);
  if (self->items != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->items);
  g_clear_object (&self->items);

  if (sheet != NULL && store != NULL)
    {
      /* Filters, search and order over many items query in a worker thread. */
      self->items = g_object_new (DBW_TYPE_QUERY_MODEL,
                                  "store", store,
                                  "record-type", DBW_TYPE_ITEM,
                                  "asynchronous", TRUE,
                                  NULL);
      if (!dbw_query_model_set_current_only (self->items, TRUE, &error) ||
          !dbw_query_model_set_filter (self->items, "sheet_id", dbw_record_get_id (DBW_RECORD (sheet)), &error))
        g_warning ("Could not list the items of a sheet: %s", error->message);
      self->items_changed_handler =
        g_signal_connect_object (self->items, "items-changed",
                                 G_CALLBACK (on_items_changed_cb), self, G_CONNECT_SWAPPED);
      apply_item_filters (self);
    }

  g_signal_handler_block (gtk_column_view_get_sorter (self->items_view), self->sorter_changed_handler);
  rebuild_columns (self);
  g_signal_handler_unblock (gtk_column_view_get_sorter (self->items_view), self->sorter_changed_handler);
  self->columns_pending = self->items != NULL && self->n_field_columns == 0;

  if (self->items != NULL)
    {
      gtk_slice_list_model_set_model (self->items_revealed, G_LIST_MODEL (self->items));
      gtk_slice_list_model_set_size (self->items_revealed, rows_to_fill_view (self));
      gtk_single_selection_set_model (self->item_selection, G_LIST_MODEL (self->items_revealed));
    }
  on_item_selected_cb (self, NULL, self->item_selection);
  update_sheet_header (self);
  update_actions (self);
}

static void
on_filters_changed_cb (DbwDataPage *self)
{
  apply_item_filters (self);
}

static void
on_sheets_changed_cb (DbwDataPage *self,
                      guint        position,
                      guint        removed,
                      guint        added,
                      GListModel  *model)
{
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (model) > 0 ? "sheets" : "empty");
  update_sheet_header (self);
  update_actions (self);
}

static gboolean
select_sheet_by_id (DbwDataPage *self,
                    const char  *sheet_id)
{
  guint n = self->sheets != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->sheets)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DbwSheet) sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      if (g_strcmp0 (dbw_record_get_id (DBW_RECORD (sheet)), sheet_id) == 0)
        {
          gtk_single_selection_set_selected (self->sheet_selection, i);
          return TRUE;
        }
    }

  return FALSE;
}

/* Sheet dialog: new, or rename and describe */

typedef struct
{
  DbwDataPage *self;
  DbwSheet    *sheet;     /* NULL for a new sheet */
  AdwEntryRow *name;
  AdwEntryRow *description;
  GPtrArray   *import_after;
} SheetDialog;

static void
sheet_dialog_free (SheetDialog *dialog)
{
  g_clear_object (&dialog->self);
  g_clear_object (&dialog->sheet);
  g_clear_pointer (&dialog->import_after, g_ptr_array_unref);
  g_free (dialog);
}

static void start_import (DbwDataPage *self,
                          const char  *sheet_id,
                          GPtrArray   *sources,
                          gboolean     keep_good);

static void
sheet_dialog_response_cb (AdwMessageDialog *message_dialog,
                          const char       *response,
                          SheetDialog      *dialog)
{
  DbwDataPage *self = dialog->self;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(DbwSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!g_str_equal (response, "save") || store == NULL)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->name))));
  sheet = dialog->sheet != NULL ? dbw_record_copy (DBW_RECORD (dialog->sheet)) : dbw_sheet_new ();
  dbw_sheet_set_name (sheet, name);
  dbw_sheet_set_description (sheet, gtk_editable_get_text (GTK_EDITABLE (dialog->description)));

  if (dialog->sheet != NULL ? !dbw_store_update (store, sheet, &error) : !dbw_store_insert (store, sheet, &error))
    {
      show_error (self, _("Could Not Save the Sheet"), error);
      return;
    }

  select_sheet_by_id (self, dbw_record_get_id (DBW_RECORD (sheet)));

  if (dialog->import_after != NULL)
    start_import (self, dbw_record_get_id (DBW_RECORD (sheet)), dialog->import_after, FALSE);
}

static void
sheet_name_changed_cb (GtkEditable      *editable,
                       AdwMessageDialog *message_dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  adw_message_dialog_set_response_enabled (message_dialog, "save", name[0] != '\0');
}

static void
show_sheet_dialog (DbwDataPage *self,
                   DbwSheet    *sheet,
                   const char  *suggested_name,
                   GPtrArray   *import_after)
{
  SheetDialog *dialog = g_new0 (SheetDialog, 1);
  GtkWidget *message_dialog;
  GtkWidget *list;

  dialog->self = g_object_ref (self);
  dialog->sheet = sheet != NULL ? g_object_ref (sheet) : NULL;
  dialog->import_after = import_after != NULL ? g_ptr_array_ref (import_after) : NULL;

  message_dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)),
                                           sheet != NULL ? _("Rename and Describe the Sheet") : _("New Sheet"),
                                           sheet != NULL ? NULL : _("A sheet holds the items you import: rows, documents, images."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message_dialog),
                                    "cancel", _("_Cancel"),
                                    "save", sheet != NULL ? _("_Save") : import_after != NULL ? _("_Create and Import") : _("_Create"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message_dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message_dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message_dialog), "cancel");

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  dialog->name = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->name), _("Name"));
  adw_entry_row_set_activates_default (dialog->name, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (dialog->name), sheet != NULL ? dbw_sheet_get_name (sheet) : suggested_name != NULL ? suggested_name : "");
  dialog->description = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->description), _("Description"));
  adw_entry_row_set_activates_default (dialog->description, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (dialog->description), sheet != NULL ? dbw_sheet_get_description (sheet) : "");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (dialog->name));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (dialog->description));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message_dialog), list);

  g_signal_connect (dialog->name, "changed", G_CALLBACK (sheet_name_changed_cb), message_dialog);
  sheet_name_changed_cb (GTK_EDITABLE (dialog->name), ADW_MESSAGE_DIALOG (message_dialog));
  g_signal_connect_data (message_dialog, "response", G_CALLBACK (sheet_dialog_response_cb),
                         dialog, (GClosureNotify) (void (*) (void)) sheet_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (message_dialog));
  gtk_widget_grab_focus (GTK_WIDGET (dialog->name));
}

static void
new_sheet_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_sheet_dialog (DBW_DATA_PAGE (widget), NULL, NULL, NULL);
}

static void
edit_sheet_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);
  DbwSheet *sheet = get_selected_sheet (self);

  if (sheet != NULL)
    show_sheet_dialog (self, sheet, NULL, NULL);
}

/* Deleting with an undo */

typedef struct
{
  DbwDataPage *self;
  DbwSheet    *sheet;
  gboolean     undone;
} Deletion;

static void
deletion_free (Deletion *deletion)
{
  g_clear_object (&deletion->self);
  g_clear_object (&deletion->sheet);
  g_free (deletion);
}

static void
purge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GFile *file = task_data;
  const char *sheet_id = g_object_get_data (G_OBJECT (task), "sheet-id");
  g_autoptr(DbwStore) store = NULL;
  GError *error = NULL;

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || dbw_sheet_ops_purge_trashed (store, sheet_id, &error) < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
purge_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Trashed sheets stay hidden; the next purge will delete them. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not delete trashed sheets: %s", error->message);
}

/* Deleting a big sheet's items takes a while: a worker thread does it. Without a sheet,
 * every trashed sheet goes: those of an earlier session, whose undo is gone. */
static void
purge_trashed (DbwStore   *store,
               const char *sheet_id)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, purge_done_cb, NULL);

  g_task_set_name (task, "[dbw-data-page] purge");
  g_object_set_data_full (G_OBJECT (task), "sheet-id", g_strdup (sheet_id), g_free);
  g_task_set_task_data (task, g_object_ref (dbw_store_get_file (store)), g_object_unref);
  g_task_run_in_thread (task, purge_thread);
}

static void
undo_clicked_cb (AdwToast *toast,
                 Deletion *deletion)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (deletion->self));
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return;

  /* Still trashed when the restore failed: purged like any other, later. */
  if (!dbw_sheet_ops_restore (store, deletion->sheet, &error))
    {
      show_error (deletion->self, _("Could Not Restore the Sheet"), error);
      return;
    }

  deletion->undone = TRUE;
  select_sheet_by_id (deletion->self, dbw_record_get_id (DBW_RECORD (deletion->sheet)));
}

static void
toast_dismissed_cb (AdwToast *toast,
                    Deletion *deletion)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (deletion->self));

  if (!deletion->undone && store != NULL)
    purge_trashed (store, dbw_record_get_id (DBW_RECORD (deletion->sheet)));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DbwDataPage      *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwSheet *sheet = g_object_get_data (G_OBJECT (dialog), "sheet");
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  DbwWindow *window = get_window (self);
  Deletion *deletion;
  AdwToast *toast;

  if (!g_str_equal (response, "delete") || store == NULL || sheet == NULL)
    return;

  if (!dbw_sheet_ops_trash (store, sheet, &error))
    {
      show_error (self, _("Could Not Delete the Sheet"), error);
      return;
    }

  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->sheet = g_object_ref (sheet);

  /* Translators: a toast; %s is the name of a sheet */
  title = g_strdup_printf (_("“%s” deleted"), dbw_sheet_get_name (sheet));
  toast = dbw_toast_new_text (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), deletion);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), deletion,
                         (GClosureNotify) (void (*) (void)) deletion_free, 0);

  if (window != NULL)
    dbw_window_add_toast (window, toast);
  else
    g_object_unref (toast);
}

static void
on_show_training_sheets_cb (DbwDataPage *self)
{
  DbwWindow *window = get_window (self);
  DbwSheet *sheet = get_selected_sheet (self);
  DbwPage *generate;

  if (window == NULL || !dbw_window_show_page (window, "generate"))
    return;
  generate = dbw_window_get_page (window, "generate");
  if (sheet != NULL && DBW_IS_GENERATE_PAGE (generate))
    dbw_generate_page_select_from_sheet (DBW_GENERATE_PAGE (generate),
                                         dbw_record_get_id (DBW_RECORD (sheet)));
}

static void
delete_sheet_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);
  DbwSheet *sheet = get_selected_sheet (self);
  g_autofree char *heading = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (sheet == NULL)
    return;

  /* Said before asking, not after the user agreed. */
  if (!dbw_sheet_ops_check_trash (dbw_page_get_store (DBW_PAGE (self)), sheet, &error))
    {
      g_autofree char *body = NULL;

      /* Translators: %s is the name of a sheet */
      heading = g_strdup_printf (_("“%s” Cannot Be Deleted"), dbw_sheet_get_name (sheet));
      /* Translators: follows the reason a sheet cannot be deleted */
      body = g_strdup_printf ("%s\n\n%s", error->message,
                              _("To delete this sheet, first delete the training sheets generated from it, in Generate."));
      dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading, body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "close", _("_Close"),
                                        "generate", _("_Show Training Sheets"),
                                        NULL);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
      g_signal_connect_object (dialog, "response::generate", G_CALLBACK (on_show_training_sheets_cb), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* Translators: %s is the name of a sheet */
  heading = g_strdup_printf (_("Delete “%s”?"), dbw_sheet_get_name (sheet));
  dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading,
                                   _("The sheet and its items are deleted. Files on disk are not touched. Labels made on its items are deleted with it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sheet", g_object_ref (sheet), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import */

static void
on_import_progress_cb (DbwDataPage *self,
                       GParamSpec  *pspec,
                       DbwImporter *importer)
{
  const char *status = dbw_importer_get_status (importer);

  gtk_progress_bar_set_fraction (self->import_progress, dbw_importer_get_fraction (importer));
  gtk_label_set_label (self->import_status, status != NULL ? status : "");
}

static void
finish_import (DbwDataPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));

  if (self->importer != NULL)
    g_signal_handlers_disconnect_matched (self->importer, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  if (self->materializer != NULL)
    g_signal_handlers_disconnect_matched (self->materializer, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_clear_object (&self->importer);
  g_clear_object (&self->materializer);
  self->connecting = FALSE;
  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);

  /* The import wrote through a connection of its own; the restrictions a source demands
   * also reach the labels and pairs made from its items. */
  if (store != NULL)
    {
      dbw_store_emit_changed (store, "items", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "sheets", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "blobs", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "canonical_labels", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "qa_pairs", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "usage_constraint_audit", DBW_CHANGE_RESET, NULL);
    }

  update_actions (self);
}

static void
keep_good_cb (DbwImportReportWindow *window,
              DbwDataPage           *self)
{
  if (self->import_sources != NULL && self->import_sheet_id != NULL)
    {
      g_autoptr(GPtrArray) sources = g_ptr_array_ref (self->import_sources);
      g_autofree char *sheet_id = g_strdup (self->import_sheet_id);

      start_import (self, sheet_id, sources, TRUE);
    }
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DbwDataPage) self = user_data;
  DbwImporter *importer = DBW_IMPORTER (object);
  DbwImportReport *report = dbw_importer_get_report (importer);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = dbw_importer_run_finish (importer, result, &error);
  if (self->disposed)
    return;
  g_object_ref (importer);
  finish_import (self);

  if (ok)
    {
      guint64 n = dbw_import_report_get_n_added (report) + dbw_import_report_get_n_versions (report);
      g_autofree char *count = dbw_format_count (n);
      g_autofree char *title = NULL;

      if (n == 0 && dbw_import_report_get_n_unchanged (report) > 0)
        title = g_strdup (_("Nothing new: every item was already in the sheet"));
      else
        /* Translators: a toast; %s is a number */
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s item", "Imported %s items", n), count);
      show_toast (self, title);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_toast (self, _("Import cancelled; nothing was imported"));
    }
  else if (!g_error_matches (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED))
    {
      show_error (self, _("Could Not Import"), error);
    }

  /* Rejections, whether the good items were kept or not, are shown in full. */
  if (dbw_import_report_get_n_rejected (report) > 0)
    {
      DbwImportReportWindow *window = dbw_import_report_window_new (GTK_WINDOW (get_window (self)), report);

      g_signal_connect_object (window, "keep-good", G_CALLBACK (keep_good_cb), self, 0);
      gtk_window_present (GTK_WINDOW (window));
    }

  g_object_unref (importer);
}

static void
start_import (DbwDataPage *self,
              const char  *sheet_id,
              GPtrArray   *sources,
              gboolean     keep_good)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));

  if (store == NULL || self->importer != NULL || sources->len == 0)
    return;

  if (self->import_sources != sources)
    {
      g_clear_pointer (&self->import_sources, g_ptr_array_unref);
      self->import_sources = g_ptr_array_ref (sources);
    }
  if (self->import_sheet_id != sheet_id)
    {
      g_free (self->import_sheet_id);
      self->import_sheet_id = g_strdup (sheet_id);
    }

  self->importer = dbw_importer_new (dbw_store_get_file (store), sheet_id);
  dbw_importer_set_keep_good (self->importer, keep_good);
  dbw_importer_set_csv_delimiter (self->importer, self->import_delimiter);
  dbw_importer_set_user (self->importer, dbw_store_get_user (store));
  for (guint i = 0; i < sources->len; i++)
    dbw_importer_add_source (self->importer, g_ptr_array_index (sources, i));

  g_signal_connect_object (self->importer, "notify::fraction", G_CALLBACK (on_import_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->importer, "notify::status", G_CALLBACK (on_import_progress_cb), self, G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->import_progress, 0.0);
  gtk_label_set_label (self->import_status, _("Starting the import…"));
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  select_sheet_by_id (self, sheet_id);

  self->import_cancellable = g_cancellable_new ();
  dbw_importer_run_async (self->importer, self->import_cancellable, import_done_cb, g_object_ref (self));
  update_actions (self);
}

/* Materializing a Unity Catalog sheet */

static void
on_materialize_progress_cb (DbwDataPage       *self,
                            GParamSpec        *pspec,
                            DbwUcMaterializer *materializer)
{
  const char *status = dbw_uc_materializer_get_status (materializer);

  gtk_progress_bar_set_fraction (self->import_progress, dbw_uc_materializer_get_fraction (materializer));
  gtk_label_set_label (self->import_status, status != NULL ? status : "");
}

static void
materialize_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DbwDataPage) self = user_data;
  g_autoptr(DbwUcMaterializer) materializer = g_object_ref (DBW_UC_MATERIALIZER (object));
  DbwImportReport *report = dbw_uc_materializer_get_report (materializer);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  g_autofree char *heading = NULL;
  gboolean ok;

  ok = dbw_uc_materializer_run_finish (materializer, result, &error);
  if (self->disposed)
    return;
  sheet = g_steal_pointer (&self->materialize_sheet);
  finish_import (self);

  if (ok && report != NULL)
    {
      guint64 n = dbw_import_report_get_n_added (report) + dbw_import_report_get_n_versions (report);
      g_autofree char *count = dbw_format_count (n);
      g_autofree char *title = NULL;

      if (n == 0 && dbw_import_report_get_n_unchanged (report) > 0)
        title = g_strdup (_("Materialized: nothing changed since the last time"));
      else
        /* Translators: a toast; %s is a number */
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Materialized %s new item", "Materialized %s new items", n), count);

      /* The governance that came with them is worth saying. */
      if (dbw_uc_materializer_get_usage_constraints (materializer) != NULL)
        {
          const DbwUsageConstraints *constraints = dbw_uc_materializer_get_usage_constraints (materializer);
          g_autofree char *with_constraints = NULL;

          if (g_strv_contains ((const char * const *) constraints->prohibited_uses, "training"))
            /* Translators: a toast; %s is "Materialized 12 new items" */
            with_constraints = g_strdup_printf (_("%s; kept out of training: the source is tagged as personal or health data"), title);
          else
            with_constraints = g_strdup_printf (_("%s; classified confidential by the source’s tags"), title);
          g_free (title);
          title = g_steal_pointer (&with_constraints);
        }
      show_toast (self, title);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_toast (self, _("Materializing cancelled; the sheet is as it was"));
    }
  else if (!ok && !g_error_matches (error, DBW_IMPORT_ERROR, DBW_IMPORT_ERROR_REJECTED))
    {
      /* Translators: %s is the name of a sheet */
      heading = g_strdup_printf (_("Could Not Materialize “%s”"), sheet != NULL ? dbw_sheet_get_name (sheet) : "");
      show_error (self, heading, error);
    }

  if (report != NULL && dbw_import_report_get_n_rejected (report) > 0)
    {
      DbwImportReportWindow *window = dbw_import_report_window_new (GTK_WINDOW (get_window (self)), report);

      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
on_workspace_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DbwDataPage) self = user_data;
  g_autoptr(DbwDatabricks) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warehouse_id = NULL;
  g_autofree char *heading = NULL;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwSheet *sheet;

  client = dbw_workspace_connect_finish (result, &warehouse_id, &error);
  if (self->disposed)
    return;

  sheet = self->materialize_sheet;
  if (client == NULL || store == NULL || sheet == NULL)
    {
      finish_import (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, _("Materializing cancelled; the sheet is as it was"));
      else if (error != NULL)
        {
          heading = g_strdup_printf (_("Could Not Materialize “%s”"), sheet != NULL ? dbw_sheet_get_name (sheet) : "");
          show_error (self, heading, error);
        }
      return;
    }

  self->connecting = FALSE;
  self->materializer = dbw_uc_materializer_new (client, warehouse_id, dbw_store_get_file (store), sheet);
  dbw_uc_materializer_set_user (self->materializer, dbw_store_get_user (store));
  g_signal_connect_object (self->materializer, "notify::fraction", G_CALLBACK (on_materialize_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->materializer, "notify::status", G_CALLBACK (on_materialize_progress_cb), self, G_CONNECT_SWAPPED);
  dbw_uc_materializer_run_async (self->materializer, self->import_cancellable, materialize_done_cb, g_object_ref (self));
  update_actions (self);
}

static void
materialize_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);
  DbwSheet *sheet = get_selected_sheet (self);
  g_autofree char *status = NULL;

  if (sheet == NULL || self->importer != NULL || self->materializer != NULL || self->connecting ||
      dbw_sheet_get_source_kind (sheet) != DBW_SOURCE_KIND_UNITY_CATALOG)
    return;

  g_clear_object (&self->materialize_sheet);
  self->materialize_sheet = dbw_record_copy (DBW_RECORD (sheet));
  self->connecting = TRUE;
  self->import_cancellable = g_cancellable_new ();

  /* Translators: %s is the name of a sheet */
  status = g_strdup_printf (_("Connecting to the workspace to materialize “%s”…"), dbw_sheet_get_name (sheet));
  gtk_progress_bar_set_fraction (self->import_progress, 0.0);
  gtk_label_set_label (self->import_status, status);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);

  dbw_workspace_connect_async (NULL, self->import_cancellable, on_workspace_cb, g_object_ref (self));
  update_actions (self);
}

static void
materialize_clicked_cb (AdwToast    *toast,
                        DbwDataPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "data.materialize", NULL);
}

static void
on_uc_sheet_created_cb (DbwDataPage      *self,
                        const char       *sheet_id,
                        DbwUcSheetDialog *dialog)
{
  DbwWindow *window = get_window (self);
  AdwToast *toast;

  select_sheet_by_id (self, sheet_id);

  toast = adw_toast_new (_("Sheet created; materialize it to bring its data in"));
  adw_toast_set_button_label (toast, _("_Materialize"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (materialize_clicked_cb), self, 0);
  if (window != NULL)
    dbw_window_add_toast (window, toast);
  else
    g_object_unref (toast);
}

static void
add_uc_sheet_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  dbw_data_page_add_uc_sheet (DBW_DATA_PAGE (widget));
}

/* Into the selected sheet; with none, into a new one named after the first file. */
static void
import_sources (DbwDataPage *self,
                GPtrArray   *sources)
{
  DbwSheet *sheet = get_selected_sheet (self);
  g_autofree char *basename = NULL;
  char *dot;

  if (sources->len == 0)
    return;

  if (sheet != NULL)
    {
      start_import (self, dbw_record_get_id (DBW_RECORD (sheet)), sources, FALSE);
      return;
    }

  basename = g_file_get_basename (g_ptr_array_index (sources, 0));
  if ((dot = strrchr (basename, '.')) != NULL && dot != basename)
    *dot = '\0';
  show_sheet_dialog (self, NULL, basename, sources);
}

/* The CSV delimiters the file chooser offers, by choice id. */
static const struct
{
  const char *id;
  gunichar    delimiter;
} delimiter_choices[] = {
  { "detect", 0 },
  { "comma", ',' },
  { "semicolon", ';' },
  { "tab", '\t' },
  { "pipe", '|' },
};

static gunichar
delimiter_from_choice (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (delimiter_choices); i++)
    if (g_str_equal (id, delimiter_choices[i].id))
      return delimiter_choices[i].delimiter;

  return 0;
}

static void
chooser_response_cb (DbwDataPage          *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      const char *delimiter = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "delimiter");

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (sources, g_list_model_get_item (files, i));
      self->import_delimiter = delimiter_from_choice (delimiter);
    }

  g_clear_object (&self->chooser);
  import_sources (self, sources);
}

static void
choose_sources (DbwDataPage *self,
                gboolean     folders)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (folders ? _("Import a Folder") : _("Import Files"),
                                         GTK_WINDOW (get_window (self)),
                                         folders ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  /* Most CSV files say their delimiter by how they are written; a few need telling. */
  {
    const char *ids[G_N_ELEMENTS (delimiter_choices) + 1] = { NULL };
    const char *labels[] = {
      C_("csv delimiter", "Detect"),
      C_("csv delimiter", "Comma"),
      C_("csv delimiter", "Semicolon"),
      C_("csv delimiter", "Tab"),
      C_("csv delimiter", "Vertical Bar"),
      NULL
    };

    G_STATIC_ASSERT (G_N_ELEMENTS (labels) == G_N_ELEMENTS (delimiter_choices) + 1);
    for (guint i = 0; i < G_N_ELEMENTS (delimiter_choices); i++)
      ids[i] = delimiter_choices[i].id;
    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "delimiter", _("CSV Delimiter"), ids, labels);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "delimiter", "detect");
  }

  if (!folders)
    {
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("Data, documents and images"));
      gtk_file_filter_add_mime_type (filter, "text/*");
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_mime_type (filter, "application/x-ndjson");
      gtk_file_filter_add_mime_type (filter, "application/pdf");
      gtk_file_filter_add_mime_type (filter, "image/*");
      gtk_file_filter_add_suffix (filter, "jsonl");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);

      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("All files"));
      gtk_file_filter_add_pattern (filter, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
    }

  self->chooser = chooser;
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_sources (DBW_DATA_PAGE (widget), FALSE);
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_sources (DBW_DATA_PAGE (widget), TRUE);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);

  g_cancellable_cancel (self->import_cancellable);
  gtk_label_set_label (self->import_status, _("Cancelling…"));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            DbwDataPage   *self)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  GdkFileList *list;
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->importer != NULL ||
      dbw_page_get_store (DBW_PAGE (self)) == NULL || dbw_page_is_read_only (DBW_PAGE (self)))
    return FALSE;

  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (sources, g_object_ref (l->data));
  g_slist_free (files);

  self->import_delimiter = 0;
  import_sources (self, sources);

  return sources->len > 0;
}

/* Editing an item: a new version */

static void
edit_item_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       DbwDataPage      *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwItem *item = g_object_get_data (G_OBJECT (dialog), "item");
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");
  g_autoptr(DbwItem) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (!g_str_equal (response, "save") || store == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (g_strcmp0 (g_strstrip (text), dbw_item_get_fields (item)) == 0)
    return;

  version = dbw_sheet_ops_edit_item (store, item, text, &error);
  if (version == NULL)
    {
      show_error (self, _("Could Not Save the Item"), error);
      return;
    }

  show_toast (self, _("Saved as a new version"));
}

static void
show_lineage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);
  DbwItem *item = gtk_single_selection_get_selected_item (self->item_selection);
  g_autofree char *id = NULL;
  DbwLineageWindow *window;

  if (item == NULL)
    return;

  id = g_strconcat (dbw_item_get_sheet_id (item), "/", dbw_item_get_item_ref (item), NULL);
  window = dbw_lineage_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), dbw_page_get_store (DBW_PAGE (self)),
                                   DBW_LINEAGE_NODE_ITEM, id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
edit_item_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);
  DbwItem *item = gtk_single_selection_get_selected_item (self->item_selection);
  const char *text;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *view;

  if (item == NULL)
    return;

  /* The text as stored: through json-glib, numbers would lose digits. */
  text = dbw_item_get_fields (item);

  /* Translators: %s names an item */
  heading = g_strdup_printf (_("Edit “%s”"), dbw_item_get_item_ref (item));
  dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading,
                                   _("Items never change: saving keeps this version and adds a new one, derived from it. The fields are a JSON object."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save New Version"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  view = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Fields as JSON"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);

  g_object_set_data_full (G_OBJECT (dialog), "item", g_object_ref (item), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "buffer", gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (edit_item_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "sheets"))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Derived sheets, made in a worker thread on a connection of its own */

typedef struct
{
  char      *kind;
  char      *sheet_id;
  char      *other_id;
  char      *name;
  char      *second_name;
  char      *field;
  guint      size;
  double     share;
  guint32    seed;
} DeriveJob;

static void
derive_job_free (DeriveJob *job)
{
  g_free (job->kind);
  g_free (job->sheet_id);
  g_free (job->other_id);
  g_free (job->name);
  g_free (job->second_name);
  g_free (job->field);
  g_free (job);
}

static void
derive_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DbwDataPage *self = source_object;
  DeriveJob *job = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(DbwSheet) sheet = NULL;
  GError *error = NULL;

  (void) self;

  store = dbw_store_open (file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_str_equal (job->kind, "sample"))
    sheet = dbw_sheet_ops_sample (store, job->sheet_id, job->size, job->seed, job->name, &error);
  else if (g_str_equal (job->kind, "split"))
    {
      const double shares[] = { job->share, 1.0 - job->share };
      const char *names[] = { job->name, job->second_name };
      g_autoptr(GPtrArray) parts = dbw_sheet_ops_stratified_split (store, job->sheet_id, job->field,
                                                                   shares, names, 2, job->seed, &error);

      if (parts != NULL)
        sheet = g_object_ref (g_ptr_array_index (parts, 0));
    }
  else
    {
      DbwSetOperation operation = g_str_equal (job->kind, "union") ? DBW_DERIVE_UNION :
                                  g_str_equal (job->kind, "intersection") ? DBW_DERIVE_INTERSECTION :
                                  DBW_DERIVE_DIFFERENCE;

      sheet = dbw_sheet_ops_combine (store, operation, job->sheet_id, job->other_id, job->name, &error);
    }

  dbw_store_close (store);

  if (sheet == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_strdup (dbw_record_get_id (DBW_RECORD (sheet))), g_free);
}

static void
derive_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DbwDataPage *self = DBW_DATA_PAGE (object);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autofree char *sheet_id = NULL;
  g_autoptr(GError) error = NULL;

  sheet_id = g_task_propagate_pointer (G_TASK (result), &error);
  self->n_jobs--;
  if (self->disposed)
    return;
  update_actions (self);
  if (sheet_id == NULL)
    {
      show_error (self, _("Could Not Make the Sheet"), error);
      return;
    }

  if (store != NULL)
    {
      dbw_store_emit_changed (store, "sheets", DBW_CHANGE_RESET, NULL);
      dbw_store_emit_changed (store, "items", DBW_CHANGE_RESET, NULL);
    }
  select_sheet_by_id (self, sheet_id);
  show_toast (self, _("New sheet made"));
}

typedef struct
{
  DbwDataPage *self;
  char        *kind;
  DbwSheet    *sheet;
  GPtrArray   *others;       /* DbwSheet */
  GStrv        fields;
  AdwComboRow *other_row;
  AdwComboRow *field_row;
  AdwEntryRow *name_row;
  AdwEntryRow *second_name_row;
  GtkSpinButton *size_spin;
  GtkSpinButton *share_spin;
  GtkSpinButton *seed_spin;
} DeriveDialog;

static void
derive_dialog_free (DeriveDialog *dialog)
{
  g_clear_object (&dialog->self);
  g_clear_object (&dialog->sheet);
  g_clear_pointer (&dialog->others, g_ptr_array_unref);
  g_clear_pointer (&dialog->fields, g_strfreev);
  g_free (dialog->kind);
  g_free (dialog);
}

static void
derive_response_cb (AdwMessageDialog *message_dialog,
                    const char       *response,
                    DeriveDialog     *dialog)
{
  DbwDataPage *self = dialog->self;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GTask) task = NULL;
  DeriveJob *job;

  if (!g_str_equal (response, "make") || store == NULL)
    return;

  job = g_new0 (DeriveJob, 1);
  job->kind = g_strdup (dialog->kind);
  job->sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (dialog->sheet)));
  job->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->name_row))));
  if (dialog->second_name_row != NULL)
    job->second_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->second_name_row))));
  if (dialog->other_row != NULL)
    {
      guint i = adw_combo_row_get_selected (dialog->other_row);

      if (i >= dialog->others->len)
        {
          derive_job_free (job);
          return;
        }
      job->other_id = g_strdup (dbw_record_get_id (g_ptr_array_index (dialog->others, i)));
    }
  if (dialog->field_row != NULL)
    {
      guint i = adw_combo_row_get_selected (dialog->field_row);

      if (dialog->fields == NULL || i >= g_strv_length (dialog->fields))
        {
          derive_job_free (job);
          return;
        }
      job->field = g_strdup (dialog->fields[i]);
    }
  if (dialog->size_spin != NULL)
    job->size = (guint) gtk_spin_button_get_value_as_int (dialog->size_spin);
  if (dialog->share_spin != NULL)
    job->share = gtk_spin_button_get_value (dialog->share_spin) / 100.0;
  job->seed = dialog->seed_spin != NULL ? (guint32) gtk_spin_button_get_value_as_int (dialog->seed_spin) : 1;

  task = g_task_new (self, NULL, derive_done_cb, NULL);
  g_task_set_name (task, "[dbw-data-page] derive");
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (dbw_store_get_file (store)), g_object_unref);
  g_task_set_task_data (task, job, (GDestroyNotify) derive_job_free);
  self->n_jobs++;
  update_actions (self);
  g_task_run_in_thread (task, derive_thread);
}

static GtkWidget *
add_spin_row (GtkListBox     *list,
              const char     *title,
              const char     *subtitle,
              double          min,
              double          max,
              double          value,
              GtkSpinButton **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  /* User text: a row reads its title and subtitle as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_list_box_append (list, row);
  *spin_out = GTK_SPIN_BUTTON (spin);

  return row;
}

static AdwEntryRow *
add_entry_row (GtkListBox *list,
               const char *title,
               const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_list_box_append (list, row);

  return ADW_ENTRY_ROW (row);
}

static void
derive_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwDataPage *self = DBW_DATA_PAGE (widget);
  DbwSheet *sheet = get_selected_sheet (self);
  const char *kind = g_variant_get_string (parameter, NULL);
  const char *name = sheet != NULL ? dbw_sheet_get_name (sheet) : "";
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *default_name = NULL;
  DeriveDialog *dialog;
  GtkWidget *message_dialog;
  GtkWidget *list;
  guint n_items;

  if (sheet == NULL)
    return;

  dialog = g_new0 (DeriveDialog, 1);
  dialog->self = g_object_ref (self);
  dialog->kind = g_strdup (kind);
  dialog->sheet = g_object_ref (sheet);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  n_items = self->items != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->items)) : 0;

  if (g_str_equal (kind, "sample"))
    {
      heading = g_strdup (_("Random Sample"));
      /* Translators: %s is the name of a sheet */
      body = g_strdup_printf (_("A new sheet with randomly chosen items of “%s”. The same seed chooses the same items."), name);
      default_name = g_strdup_printf (_("%s (sample)"), name);
      dialog->name_row = add_entry_row (GTK_LIST_BOX (list), _("Name"), default_name);
      add_spin_row (GTK_LIST_BOX (list), _("Items"), NULL, 1, MAX (n_items, 1), MIN (MAX (n_items, 1), 100), &dialog->size_spin);
      add_spin_row (GTK_LIST_BOX (list), _("Seed"), NULL, 0, G_MAXINT32, 1, &dialog->seed_spin);
    }
  else if (g_str_equal (kind, "split"))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *second = NULL;
      GtkStringList *names;

      heading = g_strdup (_("Stratified Split"));
      body = g_strdup_printf (_("Two new sheets with the items of “%s”, each value of the chosen field shared between them as in the whole — for training and test sets with the same mix."), name);

      if (n_items > 0)
        {
          g_autoptr(DbwItem) first = g_list_model_get_item (G_LIST_MODEL (self->items), 0);
          g_auto(GStrv) first_fields = field_names (first);

          g_strv_builder_addv (builder, (const char **) first_fields);
        }
      dialog->fields = g_strv_builder_end (builder);
      names = gtk_string_list_new ((const char * const *) dialog->fields);
      dialog->field_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->field_row), _("Stratify by"));
      adw_combo_row_set_model (dialog->field_row, G_LIST_MODEL (names));
      g_object_unref (names);
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (dialog->field_row));

      default_name = g_strdup_printf (_("%s (train)"), name);
      second = g_strdup_printf (_("%s (test)"), name);
      dialog->name_row = add_entry_row (GTK_LIST_BOX (list), _("First sheet"), default_name);
      dialog->second_name_row = add_entry_row (GTK_LIST_BOX (list), _("Second sheet"), second);
      add_spin_row (GTK_LIST_BOX (list), _("Share of the first sheet"), _("In percent"), 1, 99, 80, &dialog->share_spin);
      add_spin_row (GTK_LIST_BOX (list), _("Seed"), NULL, 0, G_MAXINT32, 1, &dialog->seed_spin);
    }
  else
    {
      GtkStringList *names = gtk_string_list_new (NULL);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sheets));
      const char *sign = g_str_equal (kind, "union") ? "∪" : g_str_equal (kind, "intersection") ? "∩" : "−";

      dialog->others = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DbwSheet) other = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

          if (other == sheet)
            continue;
          gtk_string_list_append (names, dbw_sheet_get_name (other));
          g_ptr_array_add (dialog->others, g_steal_pointer (&other));
        }

      if (g_str_equal (kind, "union"))
        {
          heading = g_strdup (_("Union of Sheets"));
          body = g_strdup_printf (_("A new sheet with the items of “%s” and of the other sheet; items with the same content are kept once."), name);
        }
      else if (g_str_equal (kind, "intersection"))
        {
          heading = g_strdup (_("Intersection of Sheets"));
          body = g_strdup_printf (_("A new sheet with the items of “%s” whose content is also in the other sheet."), name);
        }
      else
        {
          heading = g_strdup (_("Difference of Sheets"));
          body = g_strdup_printf (_("A new sheet with the items of “%s” whose content is not in the other sheet."), name);
        }

      dialog->other_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->other_row), _("Other sheet"));
      adw_combo_row_set_model (dialog->other_row, G_LIST_MODEL (names));
      g_object_unref (names);
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (dialog->other_row));
      default_name = g_strdup_printf ("%s %s …", name, sign);
      dialog->name_row = add_entry_row (GTK_LIST_BOX (list), _("Name"), default_name);
    }

  message_dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message_dialog),
                                    "cancel", _("_Cancel"),
                                    "make", _("_Make Sheet"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message_dialog), "make", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message_dialog), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message_dialog), list);

  /* Nothing to combine with, or no field to stratify by. */
  if ((dialog->others != NULL && dialog->others->len == 0) ||
      (dialog->field_row != NULL && (dialog->fields == NULL || dialog->fields[0] == NULL)))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (message_dialog), "make", FALSE);

  g_signal_connect_data (message_dialog, "response", G_CALLBACK (derive_response_cb),
                         dialog, (GClosureNotify) (void (*) (void)) derive_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (message_dialog));
}

static void
dbw_data_page_store_changed (DbwPage *page)
{
  DbwDataPage *self = DBW_DATA_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);
  g_autoptr(GError) error = NULL;

  gtk_single_selection_set_model (self->sheet_selection, NULL);
  if (self->sheets != NULL)
    g_clear_signal_handler (&self->sheets_changed_handler, self->sheets);
  g_clear_object (&self->sheets);

  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (store != NULL)
    {
      self->watched_store = g_object_ref (store);
      self->store_changed_handler =
        g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
    }
  refresh_item_counts (self);

  if (store != NULL)
    {
      self->sheets = dbw_query_model_new (store, DBW_TYPE_SHEET);
      if (!dbw_query_model_set_current_only (self->sheets, TRUE, &error))
        g_warning ("Could not list the sheets: %s", error->message);
      self->sheets_changed_handler =
        g_signal_connect_object (self->sheets, "items-changed",
                                 G_CALLBACK (on_sheets_changed_cb), self, G_CONNECT_SWAPPED);

      /* Sheets deleted in an earlier session, with no undo left to offer. */
      if (!dbw_store_is_read_only (store))
        purge_trashed (store, NULL);
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

  self->disposed = TRUE;
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->settings);

  /* DbwPage disconnects the widgets; the selection outlives them. */
  if (self->item_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->item_selection, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  follow_header_sheet (self, NULL);
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);
  if (self->sheets != NULL)
    g_clear_signal_handler (&self->sheets_changed_handler, self->sheets);
  if (self->items != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->items);
  if (self->importer != NULL)
    g_signal_handlers_disconnect_matched (self->importer, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  if (self->materializer != NULL)
    g_signal_handlers_disconnect_matched (self->materializer, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  if (self->sheet_selection != NULL)
    {
      g_clear_signal_handler (&self->sheet_selected_handler, self->sheet_selection);
      gtk_single_selection_set_model (self->sheet_selection, NULL);
    }
  if (self->item_selection != NULL)
    gtk_single_selection_set_model (self->item_selection, NULL);
  if (self->reveal_tick != 0 && self->items_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->items_view), self->reveal_tick);
  self->reveal_tick = 0;
  if (self->items_revealed != NULL)
    gtk_slice_list_model_set_model (self->items_revealed, NULL);

  G_OBJECT_CLASS (dbw_data_page_parent_class)->dispose (object);

  g_clear_object (&self->sheets);
  g_clear_object (&self->items);
  g_clear_object (&self->sheet_selection);
  g_clear_object (&self->item_selection);
  g_clear_object (&self->items_revealed);
  g_clear_weak_pointer (&self->sample_cell);
  g_clear_object (&self->importer);
  g_clear_object (&self->materializer);
  g_clear_object (&self->materialize_sheet);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->import_sources, g_ptr_array_unref);
  g_clear_pointer (&self->import_sheet_id, g_free);
  g_clear_pointer (&self->item_counts, g_hash_table_unref);
  g_clear_pointer (&self->count_labels, g_hash_table_unref);
}

static void
dbw_data_page_class_init (DbwDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_data_page_dispose;
  widget_class->realize = dbw_data_page_realize;
  widget_class->unrealize = dbw_data_page_unrealize;
  page_class->store_changed = dbw_data_page_store_changed;

  parsed_fields_quark = g_quark_from_static_string ("dbw-data-page-fields");

  g_type_ensure (DBW_TYPE_ITEM_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, sheets_view);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, items_view);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, sheet_title);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, sheet_subtitle);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, items_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, import_status);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, import_progress);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, new_sheet_button);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, kind_filter);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, label_filter);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, columns_box);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, preview);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, items_paned);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, materialize_button);
  gtk_widget_class_bind_template_child (widget_class, DbwDataPage, uc_empty_page);

  gtk_widget_class_install_action (widget_class, "data.new-sheet", NULL, new_sheet_action);
  gtk_widget_class_install_action (widget_class, "data.edit-sheet", NULL, edit_sheet_action);
  gtk_widget_class_install_action (widget_class, "data.delete-sheet", NULL, delete_sheet_action);
  gtk_widget_class_install_action (widget_class, "data.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "data.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "data.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "data.edit-item", NULL, edit_item_action);
  gtk_widget_class_install_action (widget_class, "data.show-lineage", NULL, show_lineage_action);
  gtk_widget_class_install_action (widget_class, "data.derive", "s", derive_action);
  gtk_widget_class_install_action (widget_class, "data.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "data.add-uc-sheet", NULL, add_uc_sheet_action);
  gtk_widget_class_install_action (widget_class, "data.materialize", NULL, materialize_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "data.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "data.import-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "data.new-sheet", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "data.edit-sheet", NULL);
}

/* AdwSplitButton 1.2 names neither of its halves for assistive technologies: an icon
 * button and the arrow are read as their class. @main_label: for an icon only. */
static void
name_split_button (AdwSplitButton *split,
                   const char     *main_label,
                   const char     *more_label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (split));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_MENU_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, more_label, -1);
      else if (GTK_IS_BUTTON (child) && main_label != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, main_label, -1);
    }
}

static void
dbw_data_page_init (DbwDataPage *self)
{
  GtkListItemFactory *factory;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->items_paned, "notify::max-position", G_CALLBACK (on_paned_max_position_cb),
                           self, G_CONNECT_SWAPPED);
  name_split_button (self->new_sheet_button, _("New Sheet"), _("More Ways to Add a Sheet"));
  name_split_button (self->import_button, NULL, _("More Ways to Import"));

  self->count_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->sheet_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->sheet_selection, TRUE);
  self->sheet_selected_handler =
    g_signal_connect_swapped (self->sheet_selection, "notify::selected-item",
                              G_CALLBACK (on_sheet_selected_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_sheet_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_sheet_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_sheet_row_cb), self);
  gtk_list_view_set_factory (self->sheets_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->sheets_view, GTK_SELECTION_MODEL (self->sheet_selection));

  self->items_revealed = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->item_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->item_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->item_selection, TRUE);
  gtk_column_view_set_model (self->items_view, GTK_SELECTION_MODEL (self->item_selection));
  g_signal_connect_swapped (self->item_selection, "notify::selected-item",
                            G_CALLBACK (on_item_selected_cb), self);

  self->sorter_changed_handler =
    g_signal_connect_swapped (gtk_column_view_get_sorter (self->items_view), "changed",
                              G_CALLBACK (on_sorter_changed_cb), self);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_filters_changed_cb), self);
  g_signal_connect_swapped (self->kind_filter, "notify::selected", G_CALLBACK (on_filters_changed_cb), self);
  g_signal_connect_swapped (self->label_filter, "notify::selected", G_CALLBACK (on_filters_changed_cb), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  rebuild_columns (self);
  update_actions (self);
  on_item_selected_cb (self, NULL, self->item_selection);
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

/**
 * dbw_data_page_import:
 * @sources: (element-type GFile): files and folders
 * @delimiter: the delimiter of CSV files, or 0 to find it from each file
 *
 * Imports into the selected sheet, as the Import button does after the file chooser.
 */
void
dbw_data_page_import (DbwDataPage *self,
                      GPtrArray   *sources,
                      gunichar     delimiter,
                      gboolean     keep_good)
{
  DbwSheet *sheet;

  g_return_if_fail (DBW_IS_DATA_PAGE (self));

  self->import_delimiter = delimiter;

  sheet = get_selected_sheet (self);
  if (sheet != NULL)
    start_import (self, dbw_record_get_id (DBW_RECORD (sheet)), sources, keep_good);
}

/* Whether an import, or a materialization, is running. */
gboolean
dbw_data_page_get_importing (DbwDataPage *self)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), FALSE);

  return self->importer != NULL || self->materializer != NULL || self->connecting;
}

/**
 * dbw_data_page_add_uc_sheet:
 *
 * Opens the dialog that adds a sheet from Unity Catalog, as the menu item does; the new
 * sheet is selected when it is created.
 *
 * Returns: (transfer none) (nullable): the dialog, or %NULL without a project
 */
DbwUcSheetDialog *
dbw_data_page_add_uc_sheet (DbwDataPage *self)
{
  DbwStore *store;
  DbwUcSheetDialog *dialog;

  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), NULL);

  store = dbw_page_get_store (DBW_PAGE (self));
  if (store == NULL)
    return NULL;

  dialog = dbw_uc_sheet_dialog_new (GTK_WINDOW (get_window (self)), store);
  g_signal_connect_object (dialog, "sheet-created", G_CALLBACK (on_uc_sheet_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

DbwItemPreview *
dbw_data_page_get_preview (DbwDataPage *self)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), NULL);

  return self->preview;
}

gboolean
dbw_data_page_set_search (DbwDataPage *self,
                          const char  *text)
{
  g_return_val_if_fail (DBW_IS_DATA_PAGE (self), FALSE);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  apply_item_filters (self);

  return TRUE;
}

void
dbw_data_page_select_item (DbwDataPage *self,
                           guint        position)
{
  g_return_if_fail (DBW_IS_DATA_PAGE (self));

  reveal_all (self);
  gtk_single_selection_set_selected (self->item_selection, position);
}
