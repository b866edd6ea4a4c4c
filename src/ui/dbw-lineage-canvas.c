/* dbw-lineage-canvas.c
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

#define G_LOG_DOMAIN "dbw-lineage-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-lineage-canvas.h"

#define NODE_WIDTH     200.0
#define NODE_HEIGHT     52.0
#define COLUMN_PITCH   250.0
#define ROW_PITCH       68.0
#define AGGREGATE_MIN   25     /* more nodes of one kind than this are drawn as one */
#define ZOOM_MIN         0.1
#define ZOOM_MAX         4.0
#define ZOOM_STEP        1.25

/* What is drawn: a node of the graph, or the aggregate of every node of one kind. */
typedef struct
{
  guint               first;      /* graph position of its (first) node */
  guint               count;      /* 1, or the nodes it stands for */
  DbwLineageNodeKind  kind;
  double              x, y;       /* top left, world coordinates */
  char               *title;
  char               *subtitle;
} VNode;

struct _DbwLineageCanvas
{
  GtkWidget        parent_instance;

  DbwLineageGraph *graph;
  GArray          *vnodes;        /* VNode */
  guint           *vnode_of;      /* graph position → vnode index */
  guint            n_nodes;
  GArray          *vedges;        /* guint from, guint to: vnode indexes, unique */
  guint            expanded;      /* bit per kind */
  guint            selected;
  guint            root_vnode;

  double           zoom;
  double           pan_x, pan_y;  /* screen = world × zoom + pan */
  gboolean         needs_fit;
  double           drag_pan_x, drag_pan_y;
  double           pinch_zoom;
  double           pointer_x, pointer_y;
  guint            notify_zoom_id;
};

G_DEFINE_FINAL_TYPE (DbwLineageCanvas, dbw_lineage_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRAPH,
  PROP_SELECTED,
  PROP_ZOOM,
  N_PROPS
};

enum {
  NODE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static guint
kind_column (DbwLineageNodeKind kind)
{
  switch (kind)
    {
    case DBW_LINEAGE_NODE_SHEET:           return 0;
    case DBW_LINEAGE_NODE_ITEM:            return 1;
    case DBW_LINEAGE_NODE_TEMPLATE:        return 1;
    case DBW_LINEAGE_NODE_CANONICAL_LABEL: return 2;
    case DBW_LINEAGE_NODE_TRAINING_SHEET:  return 2;
    case DBW_LINEAGE_NODE_QA_PAIR:         return 3;
    case DBW_LINEAGE_NODE_EXPORT:          return 4;
    case DBW_LINEAGE_NODE_MODEL:           return 5;
    default:                               return 0;
    }
}

static void
kind_color (DbwLineageNodeKind  kind,
            GdkRGBA            *color)
{
  /* The GNOME palette, one hue per kind. */
  static const char *colors[] = {
    "#3584e4", "#2190a4", "#3a944a", "#9141ac", "#c88800", "#d56199", "#865e3c", "#e01b24",
  };

  gdk_rgba_parse (color, colors[(guint) kind < G_N_ELEMENTS (colors) ? kind : 0]);
}

static char *
aggregate_title (DbwLineageNodeKind kind,
                 guint              n)
{
  switch (kind)
    {
    case DBW_LINEAGE_NODE_QA_PAIR:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pair", "%u pairs", n), n);
    case DBW_LINEAGE_NODE_ITEM:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);
    case DBW_LINEAGE_NODE_CANONICAL_LABEL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u canonical label", "%u canonical labels", n), n);
    case DBW_LINEAGE_NODE_SHEET:
    case DBW_LINEAGE_NODE_TEMPLATE:
    case DBW_LINEAGE_NODE_TRAINING_SHEET:
    case DBW_LINEAGE_NODE_EXPORT:
    case DBW_LINEAGE_NODE_MODEL:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u node", "%u nodes", n), n);
    }
}

static void
vnode_clear (gpointer data)
{
  VNode *vnode = data;

  g_free (vnode->title);
  g_free (vnode->subtitle);
}

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const guint *ea = a;
  const guint *eb = b;

  if (ea[0] != eb[0])
    return ea[0] < eb[0] ? -1 : 1;
  if (ea[1] != eb[1])
    return ea[1] < eb[1] ? -1 : 1;
  return 0;
}

/* Groups the graph into what is drawn and places it in columns, each centred on y = 0. */
static void
relayout (DbwLineageCanvas *self)
{
  GListModel *nodes;
  guint counts[DBW_LINEAGE_NODE_MODEL + 1] = { 0 };
  guint aggregate_of[DBW_LINEAGE_NODE_MODEL + 1];
  guint column_size[6] = { 0 };
  guint column_next[6] = { 0 };
  guint n_edges;

  g_array_set_size (self->vnodes, 0);
  g_array_set_size (self->vedges, 0);
  g_clear_pointer (&self->vnode_of, g_free);
  self->n_nodes = 0;
  self->root_vnode = G_MAXUINT;

  if (self->graph == NULL)
    return;

  nodes = dbw_lineage_graph_get_nodes (self->graph);
  self->n_nodes = g_list_model_get_n_items (nodes);
  self->vnode_of = g_new (guint, MAX (self->n_nodes, 1));

  for (guint i = 0; i < self->n_nodes; i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      counts[dbw_lineage_node_get_kind (node)]++;
    }
  for (guint k = 0; k < G_N_ELEMENTS (aggregate_of); k++)
    aggregate_of[k] = G_MAXUINT;

  for (guint i = 0; i < self->n_nodes; i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);
      DbwLineageNodeKind kind = dbw_lineage_node_get_kind (node);
      gboolean aggregate = counts[kind] > AGGREGATE_MIN && (self->expanded & (1u << kind)) == 0;
      VNode vnode = { 0 };

      if (aggregate && aggregate_of[kind] != G_MAXUINT)
        {
          self->vnode_of[i] = aggregate_of[kind];
          continue;
        }

      vnode.first = i;
      vnode.kind = kind;
      vnode.count = aggregate ? counts[kind] : 1;
      if (aggregate)
        {
          vnode.title = aggregate_title (kind, counts[kind]);
          vnode.subtitle = g_strdup (_("Activate to show each one"));
        }
      else
        {
          vnode.title = g_strdup (dbw_lineage_node_get_title (node));
          vnode.subtitle = g_strdup (dbw_lineage_node_get_subtitle (node));
        }
      g_array_append_val (self->vnodes, vnode);
      self->vnode_of[i] = self->vnodes->len - 1;
      if (aggregate)
        aggregate_of[kind] = self->vnodes->len - 1;
      column_size[kind_column (kind)]++;
    }

  for (guint v = 0; v < self->vnodes->len; v++)
    {
      VNode *vnode = &g_array_index (self->vnodes, VNode, v);
      guint column = kind_column (vnode->kind);

      vnode->x = column * COLUMN_PITCH;
      vnode->y = (column_next[column]++ - (column_size[column] - 1) / 2.0) * ROW_PITCH - NODE_HEIGHT / 2;
    }

  self->root_vnode = G_MAXUINT;
  for (guint i = 0; i < self->n_nodes; i++)
    {
      g_autoptr(DbwLineageNode) node = g_list_model_get_item (nodes, i);

      if (node == dbw_lineage_graph_get_root (self->graph))
        {
          self->root_vnode = self->vnode_of[i];
          break;
        }
    }

  n_edges = dbw_lineage_graph_get_n_edges (self->graph);
  for (guint e = 0; e < n_edges; e++)
    {
      guint from, to;

      dbw_lineage_graph_get_edge (self->graph, e, &from, &to);
      from = self->vnode_of[from];
      to = self->vnode_of[to];
      if (from == to)
        continue;
      g_array_append_val (self->vedges, from);
      g_array_append_val (self->vedges, to);
    }
  if (self->vedges->len > 0)
    {
      guint *edges = (guint *) (gpointer) self->vedges->data;
      guint n = self->vedges->len / 2, kept = 0;

      qsort (edges, n, 2 * sizeof (guint), compare_edges);
      for (guint e = 0; e < n; e++)
        {
          if (kept > 0 && compare_edges (&edges[2 * e], &edges[2 * (kept - 1)]) == 0)
            continue;
          edges[2 * kept] = edges[2 * e];
          edges[2 * kept + 1] = edges[2 * e + 1];
          kept++;
        }
      g_array_set_size (self->vedges, 2 * kept);
    }
}

static void
set_zoom_at (DbwLineageCanvas *self,
             double            zoom,
             double            sx,
             double            sy)
{
  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (zoom == self->zoom)
    return;

  /* The world point under (sx, sy) stays there. */
  self->pan_x = sx - (sx - self->pan_x) * zoom / self->zoom;
  self->pan_y = sy - (sy - self->pan_y) * zoom / self->zoom;
  self->zoom = zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
center_on_vnode (DbwLineageCanvas *self,
                 guint             v)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  VNode *vnode;

  if (v >= self->vnodes->len)
    {
      self->pan_x = width / 2.0;
      self->pan_y = height / 2.0;
      return;
    }

  vnode = &g_array_index (self->vnodes, VNode, v);
  self->pan_x = width / 2.0 - (vnode->x + NODE_WIDTH / 2) * self->zoom;
  self->pan_y = height / 2.0 - (vnode->y + NODE_HEIGHT / 2) * self->zoom;
}

/* The whole graph when it fits at a readable size, else the root in the middle at zoom 1. */
static void
fit_view (DbwLineageCanvas *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double zoom;

  for (guint v = 0; v < self->vnodes->len; v++)
    {
      VNode *vnode = &g_array_index (self->vnodes, VNode, v);

      x0 = MIN (x0, vnode->x);
      y0 = MIN (y0, vnode->y);
      x1 = MAX (x1, vnode->x + NODE_WIDTH);
      y1 = MAX (y1, vnode->y + NODE_HEIGHT);
    }

  zoom = MIN (1.0, MIN ((width - 48) / MAX (x1 - x0, 1), (height - 48) / MAX (y1 - y0, 1)));
  if (self->vnodes->len == 0 || zoom < 0.5)
    {
      self->zoom = 1.0;
      center_on_vnode (self, self->root_vnode);
    }
  else
    {
      self->zoom = zoom;
      self->pan_x = width / 2.0 - (x0 + x1) / 2 * zoom;
      self->pan_y = height / 2.0 - (y0 + y1) / 2 * zoom;
    }
}

static gboolean
notify_zoom_cb (gpointer data)
{
  DbwLineageCanvas *self = data;

  self->notify_zoom_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);

  return G_SOURCE_REMOVE;
}

/* Pans just enough to bring a node into view. */
static void
reveal_vnode (DbwLineageCanvas *self,
              guint             v)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  VNode *vnode;
  double x0, y0, x1, y1;

  if (v >= self->vnodes->len || width == 0 || height == 0)
    return;

  vnode = &g_array_index (self->vnodes, VNode, v);
  x0 = vnode->x * self->zoom + self->pan_x;
  y0 = vnode->y * self->zoom + self->pan_y;
  x1 = x0 + NODE_WIDTH * self->zoom;
  y1 = y0 + NODE_HEIGHT * self->zoom;
  if (x0 < 0 || x1 > width || y0 < 0 || y1 > height)
    center_on_vnode (self, v);
}

static guint
vnode_at (DbwLineageCanvas *self,
          double            sx,
          double            sy)
{
  double wx = (sx - self->pan_x) / self->zoom;
  double wy = (sy - self->pan_y) / self->zoom;

  for (guint v = 0; v < self->vnodes->len; v++)
    {
      VNode *vnode = &g_array_index (self->vnodes, VNode, v);

      if (wx >= vnode->x && wx <= vnode->x + NODE_WIDTH && wy >= vnode->y && wy <= vnode->y + NODE_HEIGHT)
        return v;
    }

  return G_MAXUINT;
}

static void
update_accessible_label (DbwLineageCanvas *self)
{
  g_autofree char *label = NULL;

  if (self->graph == NULL)
    label = g_strdup (_("Lineage graph"));
  else
    /* Translators: the accessible name of the drawn graph; the list beside it has the nodes */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Lineage graph of %u node; the list beside it has each one",
                                          "Lineage graph of %u nodes; the list beside it has each one",
                                          self->n_nodes), self->n_nodes);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* ---- Event handlers ---- */

static void
on_click_pressed_cb (GtkGestureClick  *gesture,
                     int               n_press,
                     double            x,
                     double            y,
                     DbwLineageCanvas *self)
{
  guint v = vnode_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (v == G_MAXUINT)
    return;

  dbw_lineage_canvas_set_selected (self, g_array_index (self->vnodes, VNode, v).first);
  if (n_press == 2)
    dbw_lineage_canvas_activate (self, g_array_index (self->vnodes, VNode, v).first);
}

static void
on_drag_begin_cb (GtkGestureDrag   *gesture,
                  double            x,
                  double            y,
                  DbwLineageCanvas *self)
{
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
on_drag_update_cb (GtkGestureDrag   *gesture,
                   double            dx,
                   double            dy,
                   DbwLineageCanvas *self)
{
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion_cb (GtkEventControllerMotion *motion,
              double                    x,
              double                    y,
              DbwLineageCanvas         *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *scroll,
              double                    dx,
              double                    dy,
              DbwLineageCanvas         *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));

  if (state & GDK_CONTROL_MASK)
    {
      set_zoom_at (self, self->zoom * pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK)
    {
      dx = dy;
      dy = 0;
    }
  self->pan_x -= dx * 40;
  self->pan_y -= dy * 40;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

static void
on_zoom_begin_cb (GtkGesture       *gesture,
                  GdkEventSequence *sequence,
                  DbwLineageCanvas *self)
{
  self->pinch_zoom = self->zoom;
}

static void
on_zoom_scale_changed_cb (GtkGestureZoom   *gesture,
                          double            scale,
                          DbwLineageCanvas *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  set_zoom_at (self, self->pinch_zoom * scale, x, y);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   DbwLineageCanvas      *self)
{
  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      if (self->selected == G_MAXUINT)
        return FALSE;
      dbw_lineage_canvas_activate (self, self->selected);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_Down:
      {
        guint v = self->selected != G_MAXUINT ? self->vnode_of[self->selected] : 0;

        if (self->vnodes->len == 0)
          return FALSE;
        if (self->selected != G_MAXUINT)
          {
            if (keyval == GDK_KEY_Down && v + 1 < self->vnodes->len)
              v++;
            else if (keyval == GDK_KEY_Up && v > 0)
              v--;
          }
        dbw_lineage_canvas_set_selected (self, g_array_index (self->vnodes, VNode, v).first);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* ---- Drawing ---- */

static void
draw_edges (DbwLineageCanvas *self,
            cairo_t          *cr,
            const GdkRGBA    *fg,
            double            x0,
            double            y0,
            double            x1,
            double            y1)
{
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.35);
  cairo_set_line_width (cr, 1.5);

  for (guint e = 0; e + 1 < self->vedges->len; e += 2)
    {
      VNode *a = &g_array_index (self->vnodes, VNode, g_array_index (self->vedges, guint, e));
      VNode *b = &g_array_index (self->vnodes, VNode, g_array_index (self->vedges, guint, e + 1));
      double ax = a->x + NODE_WIDTH, ay = a->y + NODE_HEIGHT / 2;
      double bx = b->x, by = b->y + NODE_HEIGHT / 2;
      double mid = (ax + bx) / 2;

      /* Only what crosses the view: thousands of pairs make hundreds of thousands of edges. */
      if (MAX (ax, bx) < x0 || MIN (ax, bx) > x1 || MAX (ay, by) < y0 || MIN (ay, by) > y1)
        continue;

      cairo_move_to (cr, ax, ay);
      cairo_curve_to (cr, mid, ay, mid, by, bx, by);
      cairo_stroke (cr);
    }
}

static void
draw_node (DbwLineageCanvas *self,
           cairo_t          *cr,
           PangoLayout      *layout,
           const GdkRGBA    *fg,
           const VNode      *vnode,
           gboolean          selected,
           gboolean          root)
{
  GdkRGBA color;
  double r = 8;
  double x = vnode->x, y = vnode->y, w = NODE_WIDTH, h = NODE_HEIGHT;

  kind_color (vnode->kind, &color);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, selected ? 0.40 : 0.18);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1.0);
  cairo_set_line_width (cr, selected ? 3.0 : root ? 2.5 : 1.0);
  if (vnode->count > 1)
    {
      static const double dash[] = { 6.0, 3.0 };

      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  gdk_cairo_set_source_rgba (cr, fg);
  pango_layout_set_text (layout, vnode->title, -1);
  cairo_move_to (cr, x + 10, y + 7);
  pango_cairo_show_layout (cr, layout);

  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
  pango_layout_set_text (layout, vnode->subtitle, -1);
  cairo_move_to (cr, x + 10, y + 28);
  pango_cairo_show_layout (cr, layout);
}

static void
dbw_lineage_canvas_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  DbwLineageCanvas *self = DBW_LINEAGE_CANVAS (widget);

  if (self->needs_fit && width > 0 && height > 0)
    {
      self->needs_fit = FALSE;
      fit_view (self);
      /* Not during allocation: a zoom label would resize its window. */
      if (self->notify_zoom_id == 0)
        self->notify_zoom_id = g_idle_add (notify_zoom_cb, self);
    }
}

static void
dbw_lineage_canvas_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  DbwLineageCanvas *self = DBW_LINEAGE_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  guint selected_vnode;
  GdkRGBA fg;
  cairo_t *cr;
  double x0, y0, x1, y1;

  if (self->vnodes->len == 0 || width == 0 || height == 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_translate (cr, self->pan_x, self->pan_y);
  cairo_scale (cr, self->zoom, self->zoom);

  x0 = -self->pan_x / self->zoom;
  y0 = -self->pan_y / self->zoom;
  x1 = x0 + width / self->zoom;
  y1 = y0 + height / self->zoom;

  draw_edges (self, cr, &fg, x0, y0, x1, y1);

  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_width (layout, (int) ((NODE_WIDTH - 20) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  selected_vnode = self->selected != G_MAXUINT ? self->vnode_of[self->selected] : G_MAXUINT;

  for (guint v = 0; v < self->vnodes->len; v++)
    {
      const VNode *vnode = &g_array_index (self->vnodes, VNode, v);

      if (vnode->x + NODE_WIDTH < x0 || vnode->x > x1 || vnode->y + NODE_HEIGHT < y0 || vnode->y > y1)
        continue;
      draw_node (self, cr, layout, &fg, vnode, v == selected_vnode, v == self->root_vnode);
    }

  cairo_destroy (cr);
}

/* ---- GObject ---- */

static void
dbw_lineage_canvas_dispose (GObject *object)
{
  DbwLineageCanvas *self = DBW_LINEAGE_CANVAS (object);

  g_clear_object (&self->graph);
  g_clear_handle_id (&self->notify_zoom_id, g_source_remove);

  G_OBJECT_CLASS (dbw_lineage_canvas_parent_class)->dispose (object);
}

static void
dbw_lineage_canvas_finalize (GObject *object)
{
  DbwLineageCanvas *self = DBW_LINEAGE_CANVAS (object);

  g_clear_pointer (&self->vnodes, g_array_unref);
  g_clear_pointer (&self->vedges, g_array_unref);
  g_clear_pointer (&self->vnode_of, g_free);

  G_OBJECT_CLASS (dbw_lineage_canvas_parent_class)->finalize (object);
}

static void
dbw_lineage_canvas_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DbwLineageCanvas *self = DBW_LINEAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_lineage_canvas_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DbwLineageCanvas *self = DBW_LINEAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      dbw_lineage_canvas_set_graph (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      dbw_lineage_canvas_set_selected (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_lineage_canvas_class_init (DbwLineageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_lineage_canvas_dispose;
  object_class->finalize = dbw_lineage_canvas_finalize;
  object_class->get_property = dbw_lineage_canvas_get_property;
  object_class->set_property = dbw_lineage_canvas_set_property;

  widget_class->snapshot = dbw_lineage_canvas_snapshot;
  widget_class->size_allocate = dbw_lineage_canvas_size_allocate;

  properties [PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, DBW_TYPE_LINEAGE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, G_MAXUINT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbwLineageCanvas::node-activated:
   * @position: the node's position in the graph
   *
   * A node (not an aggregate) was double-clicked or activated with Enter.
   */
  signals [NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "lineagecanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dbw_lineage_canvas_init (DbwLineageCanvas *self)
{
  GtkGesture *click, *drag, *zoom;
  GtkEventController *scroll, *motion, *key;

  self->vnodes = g_array_new (FALSE, TRUE, sizeof (VNode));
  g_array_set_clear_func (self->vnodes, vnode_clear);
  self->vedges = g_array_new (FALSE, FALSE, sizeof (guint));
  self->selected = G_MAXUINT;
  self->root_vnode = G_MAXUINT;
  self->zoom = 1.0;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  update_accessible_label (self);
}

/* ---- Public API ---- */

GtkWidget *
dbw_lineage_canvas_new (void)
{
  return g_object_new (DBW_TYPE_LINEAGE_CANVAS, NULL);
}

DbwLineageGraph *
dbw_lineage_canvas_get_graph (DbwLineageCanvas *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_CANVAS (self), NULL);

  return self->graph;
}

/**
 * dbw_lineage_canvas_set_graph:
 *
 * Shows @graph at zoom 1 with its root in the middle, nothing selected and every large
 * kind aggregated again.
 */
void
dbw_lineage_canvas_set_graph (DbwLineageCanvas *self,
                              DbwLineageGraph  *graph)
{
  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));
  g_return_if_fail (graph == NULL || DBW_IS_LINEAGE_GRAPH (graph));

  if (!g_set_object (&self->graph, graph))
    return;

  self->expanded = 0;
  self->selected = G_MAXUINT;
  relayout (self);
  self->needs_fit = TRUE;
  self->zoom = 1.0;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/**
 * dbw_lineage_canvas_update_graph:
 *
 * Like dbw_lineage_canvas_set_graph() for a newer graph of the same root: the zoom, the
 * view and the expanded kinds stay as the user left them. Nothing is selected.
 */
void
dbw_lineage_canvas_update_graph (DbwLineageCanvas *self,
                                 DbwLineageGraph  *graph)
{
  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));
  g_return_if_fail (DBW_IS_LINEAGE_GRAPH (graph));

  if (self->graph == NULL)
    {
      dbw_lineage_canvas_set_graph (self, graph);
      return;
    }
  if (!g_set_object (&self->graph, graph))
    return;

  self->selected = G_MAXUINT;
  relayout (self);
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

guint
dbw_lineage_canvas_get_selected (DbwLineageCanvas *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_CANVAS (self), G_MAXUINT);

  return self->selected;
}

void
dbw_lineage_canvas_set_selected (DbwLineageCanvas *self,
                                 guint             position)
{
  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));

  if (position >= self->n_nodes)
    position = G_MAXUINT;
  if (position == self->selected)
    return;

  self->selected = position;
  if (position != G_MAXUINT)
    reveal_vnode (self, self->vnode_of[position]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

double
dbw_lineage_canvas_get_zoom (DbwLineageCanvas *self)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_CANVAS (self), 1.0);

  return self->zoom;
}

void
dbw_lineage_canvas_zoom_in (DbwLineageCanvas *self)
{
  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));

  set_zoom_at (self, self->zoom * ZOOM_STEP,
               gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
dbw_lineage_canvas_zoom_out (DbwLineageCanvas *self)
{
  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));

  set_zoom_at (self, self->zoom / ZOOM_STEP,
               gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
dbw_lineage_canvas_zoom_reset (DbwLineageCanvas *self)
{
  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));

  self->zoom = 1.0;
  center_on_vnode (self, self->root_vnode);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

gboolean
dbw_lineage_canvas_is_aggregated (DbwLineageCanvas *self,
                                  guint             position)
{
  g_return_val_if_fail (DBW_IS_LINEAGE_CANVAS (self), FALSE);

  if (position >= self->n_nodes)
    return FALSE;

  return g_array_index (self->vnodes, VNode, self->vnode_of[position]).count > 1;
}

guint
dbw_lineage_canvas_node_at (DbwLineageCanvas *self,
                            double            x,
                            double            y)
{
  guint v;

  g_return_val_if_fail (DBW_IS_LINEAGE_CANVAS (self), G_MAXUINT);

  v = vnode_at (self, x, y);

  return v != G_MAXUINT ? g_array_index (self->vnodes, VNode, v).first : G_MAXUINT;
}

gboolean
dbw_lineage_canvas_get_node_center (DbwLineageCanvas *self,
                                    guint             position,
                                    double           *x,
                                    double           *y)
{
  VNode *vnode;

  g_return_val_if_fail (DBW_IS_LINEAGE_CANVAS (self), FALSE);

  if (position >= self->n_nodes)
    return FALSE;
  /* Without a size there is nothing to fit to yet: the first allocation does it. */
  if (self->needs_fit && gtk_widget_get_width (GTK_WIDGET (self)) > 0 && gtk_widget_get_height (GTK_WIDGET (self)) > 0)
    {
      self->needs_fit = FALSE;
      fit_view (self);
    }

  vnode = &g_array_index (self->vnodes, VNode, self->vnode_of[position]);
  if (x != NULL)
    *x = (vnode->x + NODE_WIDTH / 2) * self->zoom + self->pan_x;
  if (y != NULL)
    *y = (vnode->y + NODE_HEIGHT / 2) * self->zoom + self->pan_y;

  return TRUE;
}

void
dbw_lineage_canvas_activate (DbwLineageCanvas *self,
                             guint             position)
{
  VNode *vnode;

  g_return_if_fail (DBW_IS_LINEAGE_CANVAS (self));

  if (position >= self->n_nodes)
    return;

  vnode = &g_array_index (self->vnodes, VNode, self->vnode_of[position]);
  if (vnode->count > 1)
    {
      guint v;

      self->expanded |= 1u << vnode->kind;
      relayout (self);
      v = self->vnode_of[position];
      center_on_vnode (self, v);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  g_signal_emit (self, signals[NODE_ACTIVATED], 0, position);
}
