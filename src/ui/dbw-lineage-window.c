/* dbw-lineage-window.c
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

#define G_LOG_DOMAIN "dbw-lineage-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-lineage-canvas.h"
#include "dbw-lineage-window.h"
#include "dbw-widget-util.h"

/* Changes come in bursts (a generation run writes pair after pair): the graph is read again
 * once they pause this long. */
#define REFRESH_DELAY_MS 500

typedef struct
{
  DbwLineageNodeKind kind;
  char *id;
} Place;

struct _DbwLineageWindow
{
  AdwWindow           parent_instance;

  DbwStore           *store;
  GCancellable       *cancellable;
  DbwLineageGraph    *graph;
  GtkSingleSelection *selection;
  Place               current;      /* id NULL before the first node */
  GArray             *back;         /* Place: where Back goes */
  gboolean            syncing;      /* selection being copied between canvas and list */
  guint               refresh_source;
  gboolean            refreshing;   /* the graph in flight replaces the one shown */

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  AdwWindowTitle     *window_title;
  GtkButton          *zoom_button;
  DbwLineageCanvas   *canvas;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (DbwLineageWindow, dbw_lineage_window, ADW_TYPE_WINDOW)

static const char *
kind_name (DbwLineageNodeKind kind)
{
  switch (kind)
    {
    case DBW_LINEAGE_NODE_SHEET:           return _("Sheet");
    case DBW_LINEAGE_NODE_ITEM:            return _("Item");
    case DBW_LINEAGE_NODE_CANONICAL_LABEL: return _("Canonical label");
    case DBW_LINEAGE_NODE_TEMPLATE:        return _("Prompt template");
    case DBW_LINEAGE_NODE_TRAINING_SHEET:  return _("Training sheet");
    case DBW_LINEAGE_NODE_QA_PAIR:         return _("Q&A pair");
    case DBW_LINEAGE_NODE_EXPORT:          return _("Export");
    case DBW_LINEAGE_NODE_MODEL:           return _("Model");
    default:                               return _("Node");
    }
}

static const char *
kind_icon (DbwLineageNodeKind kind)
{
  switch (kind)
    {
    case DBW_LINEAGE_NODE_SHEET:           return "x-office-spreadsheet-symbolic";
    case DBW_LINEAGE_NODE_ITEM:            return "text-x-generic-symbolic";
    case DBW_LINEAGE_NODE_CANONICAL_LABEL: return "emblem-ok-symbolic";
    case DBW_LINEAGE_NODE_TEMPLATE:        return "document-edit-symbolic";
    case DBW_LINEAGE_NODE_TRAINING_SHEET:  return "view-list-symbolic";
    case DBW_LINEAGE_NODE_QA_PAIR:         return "view-dual-symbolic";
    case DBW_LINEAGE_NODE_EXPORT:          return "document-save-symbolic";
    case DBW_LINEAGE_NODE_MODEL:           return "applications-science-symbolic";
    default:                               return "image-missing-symbolic";
    }
}

static void
place_clear (gpointer data)
{
  Place *place = data;

  g_clear_pointer (&place->id, g_free);
}

static void
update_actions (DbwLineageWindow *self)
{
  gboolean has_graph = self->graph != NULL;
  guint selected = self->selection != NULL ? gtk_single_selection_get_selected (self->selection) : GTK_INVALID_LIST_POSITION;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lineage.back", self->back->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lineage.zoom-in", has_graph);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lineage.zoom-out", has_graph);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lineage.zoom-reset", has_graph);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lineage.show-selected",
                                 has_graph && selected != GTK_INVALID_LIST_POSITION);
}

static void
update_zoom_label (DbwLineageWindow *self)
{
  g_autofree char *label = g_strdup_printf ("%.0f%%", dbw_lineage_canvas_get_zoom (self->canvas) * 100);

  gtk_button_set_label (self->zoom_button, label);
}

static void
select_position (DbwLineageWindow *self,
                 guint             position)
{
  self->syncing = TRUE;
  dbw_lineage_canvas_set_selected (self->canvas, position);
  if (self->selection != NULL)
    {
      gtk_single_selection_set_selected (self->selection, position);
      if (position != G_MAXUINT)
        gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
    }
  self->syncing = FALSE;
  update_actions (self);
}

static void on_selection_changed_cb (GtkSelectionModel *model,
                                     guint              position,
                                     guint              n_items,
                                     DbwLineageWindow  *self);

static void
on_graph_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DbwLineageWindow) self = user_data;
  g_autoptr(DbwLineageGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *selected_id = NULL;
  DbwLineageNodeKind selected_kind = DBW_LINEAGE_NODE_SHEET;
  DbwLineageNode *root;
  GListModel *nodes;
  guint root_position = G_MAXUINT;
  guint select = G_MAXUINT;
  gboolean refresh;

  graph = dbw_lineage_for_node_finish (DBW_STORE (source), result, &error);
  /* Cancelled, or the window went away as the graph arrived. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;

  refresh = self->refreshing && graph != NULL;
  self->refreshing = FALSE;
  if (refresh && self->selection != NULL)
    {
      DbwLineageNode *node = gtk_single_selection_get_selected_item (self->selection);

      if (node != NULL)
        {
          selected_kind = dbw_lineage_node_get_kind (node);
          selected_id = g_strdup (dbw_lineage_node_get_id (node));
        }
    }

  gtk_spinner_stop (self->spinner);
  if (graph == NULL)
    {
      dbw_status_page_set_description_text (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      adw_window_title_set_subtitle (self->window_title, "");
      update_actions (self);
      return;
    }

  g_set_object (&self->graph, graph);
  nodes = dbw_lineage_graph_get_nodes (graph);
  root = dbw_lineage_graph_get_root (graph);
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      if (node == root)
        root_position = i;
      if (selected_id != NULL && select == G_MAXUINT && dbw_lineage_node_get_kind (node) == selected_kind &&
          g_strcmp0 (dbw_lineage_node_get_id (node), selected_id) == 0)
        select = i;
    }

  self->syncing = TRUE;
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (g_object_ref (nodes));
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), self);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  if (refresh)
    dbw_lineage_canvas_update_graph (self->canvas, graph);
  else
    dbw_lineage_canvas_set_graph (self->canvas, graph);
  self->syncing = FALSE;

  adw_window_title_set_title (self->window_title, dbw_lineage_node_get_title (root));
  adw_window_title_set_subtitle (self->window_title, dbw_lineage_node_get_subtitle (root));
  gtk_stack_set_visible_child_name (self->stack, "graph");
  update_zoom_label (self);

  /* A refresh keeps the node the user had selected, if it is still there. */
  select_position (self, refresh ? select : root_position);
}

static void
load_current (DbwLineageWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->refreshing = FALSE;

  g_clear_object (&self->graph);
  update_actions (self);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  dbw_lineage_for_node_async (self->store, self->current.kind, self->current.id, self->cancellable,
                              on_graph_ready_cb, g_object_ref (self));
}

/* The graph is read again in the background; the one shown stays until the new one is
 * there. */
static gboolean
refresh_cb (gpointer user_data)
{
  DbwLineageWindow *self = user_data;

  self->refresh_source = 0;
  if (self->current.id == NULL || self->store == NULL)
    return G_SOURCE_REMOVE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->refreshing = TRUE;
  dbw_lineage_for_node_async (self->store, self->current.kind, self->current.id, self->cancellable,
                              on_graph_ready_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static gboolean
is_lineage_table (const char *table)
{
  static const char * const tables[] = {
    "sheets", "items", "templates", "canonical_labels", "training_sheets", "qa_pairs", "exports",
    "model_training_lineage", NULL
  };

  return g_strv_contains (tables, table);
}

static void
on_store_changed_cb (DbwLineageWindow *self,
                     const char       *table,
                     DbwChangeKind     kind,
                     const char       *id,
                     DbwStore         *store)
{
  if (!is_lineage_table (table) || self->current.id == NULL || self->refresh_source != 0)
    return;

  self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static void
show_position (DbwLineageWindow *self,
               guint             position)
{
  g_autoptr(DbwLineageNode) node = NULL;

  if (self->graph == NULL)
    return;

  node = g_list_model_get_item (dbw_lineage_graph_get_nodes (self->graph), position);
  if (node == NULL || node == dbw_lineage_graph_get_root (self->graph))
    return;

  dbw_lineage_window_show (self, dbw_lineage_node_get_kind (node), dbw_lineage_node_get_id (node));
}

/* ---- Callbacks ---- */

static void
on_canvas_node_activated_cb (DbwLineageCanvas *canvas,
                             guint             position,
                             DbwLineageWindow *self)
{
  show_position (self, position);
}

static void
on_canvas_selected_cb (DbwLineageCanvas *canvas,
                       GParamSpec       *pspec,
                       DbwLineageWindow *self)
{
  if (self->syncing)
    return;

  select_position (self, dbw_lineage_canvas_get_selected (canvas));
}

static void
on_canvas_zoom_cb (DbwLineageCanvas *canvas,
                   GParamSpec       *pspec,
                   DbwLineageWindow *self)
{
  update_zoom_label (self);
}

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         DbwLineageWindow  *self)
{
  guint selected;

  if (self->syncing || model != GTK_SELECTION_MODEL (self->selection))
    return;

  selected = gtk_single_selection_get_selected (self->selection);
  self->syncing = TRUE;
  dbw_lineage_canvas_set_selected (self->canvas, selected == GTK_INVALID_LIST_POSITION ? G_MAXUINT : selected);
  self->syncing = FALSE;
  update_actions (self);
}

static void
on_list_activate_cb (GtkListView      *list_view,
                     guint             position,
                     DbwLineageWindow *self)
{
  show_position (self, position);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  DbwLineageNode *node = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_last_child (box));
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  DbwLineageNodeKind kind = dbw_lineage_node_get_kind (node);
  g_autofree char *accessible = NULL;

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), kind_icon (kind));
  gtk_widget_set_tooltip_text (icon, kind_name (kind));
  gtk_label_set_text (GTK_LABEL (title), dbw_lineage_node_get_title (node));
  gtk_label_set_text (GTK_LABEL (subtitle), dbw_lineage_node_get_subtitle (node));

  /* Translators: what a screen reader says for a node: its kind, title and subtitle */
  accessible = g_strdup_printf (_("%s: %s, %s"), kind_name (kind), dbw_lineage_node_get_title (node),
                                dbw_lineage_node_get_subtitle (node));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* ---- Actions ---- */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwLineageWindow *self = DBW_LINEAGE_WINDOW (widget);
  Place *last;

  if (self->back->len == 0)
    return;

  last = &g_array_index (self->back, Place, self->back->len - 1);
  g_free (self->current.id);
  self->current.kind = last->kind;
  self->current.id = g_steal_pointer (&last->id);
  g_array_set_size (self->back, self->back->len - 1);

  load_current (self);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwLineageWindow *self = DBW_LINEAGE_WINDOW (widget);

  if (g_str_equal (action_name, "lineage.zoom-in"))
    dbw_lineage_canvas_zoom_in (self->canvas);
  else if (g_str_equal (action_name, "lineage.zoom-out"))
    dbw_lineage_canvas_zoom_out (self->canvas);
  else
    dbw_lineage_canvas_zoom_reset (self->canvas);
}

static void
show_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwLineageWindow *self = DBW_LINEAGE_WINDOW (widget);
  guint selected;

  if (self->selection == NULL)
    return;
  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    return;

  /* An aggregate in the canvas opens first; a node already drawn becomes the root. */
  if (dbw_lineage_canvas_is_aggregated (self->canvas, selected))
    dbw_lineage_canvas_activate (self->canvas, selected);
  else
    show_position (self, selected);
}

/* ---- GObject ---- */

static void
dbw_lineage_window_dispose (GObject *object)
{
  DbwLineageWindow *self = DBW_LINEAGE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_LINEAGE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->graph);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dbw_lineage_window_parent_class)->dispose (object);
}

static void
dbw_lineage_window_finalize (GObject *object)
{
  DbwLineageWindow *self = DBW_LINEAGE_WINDOW (object);

  g_clear_pointer (&self->back, g_array_unref);
  g_free (self->current.id);

  G_OBJECT_CLASS (dbw_lineage_window_parent_class)->finalize (object);
}

static void
dbw_lineage_window_class_init (DbwLineageWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_lineage_window_dispose;
  object_class->finalize = dbw_lineage_window_finalize;

  g_type_ensure (DBW_TYPE_LINEAGE_CANVAS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-lineage-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, DbwLineageWindow, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_node_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_zoom_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "lineage.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "lineage.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "lineage.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "lineage.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "lineage.show-selected", NULL, show_selected_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "lineage.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "lineage.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "lineage.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "lineage.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "lineage.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "lineage.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "lineage.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "lineage.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "lineage.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "lineage.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "lineage.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "lineage.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "lineage.zoom-reset", NULL);
}

static void
dbw_lineage_window_init (DbwLineageWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->back = g_array_new (FALSE, TRUE, sizeof (Place));
  g_array_set_clear_func (self->back, place_clear);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  update_zoom_label (self);
  update_actions (self);
}

/* ---- Public API ---- */

/**
 * dbw_lineage_window_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer full): a window showing the graph around the node; call
 *   gtk_window_present() on it
 */
DbwLineageWindow *
dbw_lineage_window_new (GtkWindow          *parent,
                        DbwStore           *store,
                        DbwLineageNodeKind  kind,
                        const char         *id)
{
  DbwLineageWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DBW_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (DBW_TYPE_LINEAGE_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  /* What is shown follows the project while the window is open. */
  g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  dbw_lineage_window_show (self, kind, id);

  return self;
}

/**
 * dbw_lineage_window_show:
 *
 * Shows the graph around another node; Back returns to the one shown now.
 */
void
dbw_lineage_window_show (DbwLineageWindow   *self,
                         DbwLineageNodeKind  kind,
                         const char         *id)
{
  g_return_if_fail (DBW_IS_LINEAGE_WINDOW (self));
  g_return_if_fail (id != NULL);

  if (self->current.id != NULL)
    {
      Place place = { self->current.kind, g_steal_pointer (&self->current.id) };

      g_array_append_val (self->back, place);
    }
  self->current.kind = kind;
  self->current.id = g_strdup (id);

  load_current (self);
}
