/* dbw-pdf-view.c
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

#define G_LOG_DOMAIN "dbw-pdf-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-pdf-canvas.h"
#include "dbw-pdf-thumbnail.h"
#include "dbw-pdf-view.h"
#include "dbw-widget-util.h"

/* Each document gets its own renderer, so its cache and worker go with it when another
 * document is shown. The page column (DbwPdfCanvas) and the thumbnails share it. */

struct _DbwPdfView
{
  GtkWidget           parent_instance;

  DbwPdfRenderer     *renderer;
  GCancellable       *cancellable;
  GError             *error;
  GtkStringList      *pages;
  GtkSingleSelection *selection;

  guint               loading : 1;
  guint               thumbnails_visible : 1;
  guint               syncing_selection : 1;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  GtkEntry           *page_entry;
  GtkLabel           *zoom_label;
  GtkRevealer        *thumbnails_revealer;
  GtkListView        *thumbnails_view;
  GtkScrolledWindow  *scroller;
  DbwPdfCanvas       *canvas;
};

G_DEFINE_FINAL_TYPE (DbwPdfView, dbw_pdf_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ERROR,
  PROP_N_PAGES,
  PROP_PAGE,
  PROP_ZOOM,
  PROP_FIT_WIDTH,
  PROP_THUMBNAILS_VISIBLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const double zoom_levels[] = {
  0.25, 1.0 / 3.0, 0.5, 2.0 / 3.0, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0,
};

static double
next_zoom_level (double zoom)
{
  for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
    if (zoom_levels[i] > zoom * 1.01)
      return zoom_levels[i];

  return zoom;
}

static double
previous_zoom_level (double zoom)
{
  for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
    if (zoom_levels[i - 1] < zoom / 1.01)
      return zoom_levels[i - 1];

  return zoom;
}

static void
update_actions (DbwPdfView *self)
{
  guint n_pages = dbw_pdf_canvas_get_n_pages (self->canvas);
  guint page = dbw_pdf_canvas_get_page (self->canvas);
  double zoom = dbw_pdf_canvas_get_zoom (self->canvas);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pdf.previous-page", n_pages > 0 && page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pdf.next-page", page + 1 < n_pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pdf.zoom-in", n_pages > 0 && next_zoom_level (zoom) != zoom);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pdf.zoom-out", n_pages > 0 && previous_zoom_level (zoom) != zoom);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pdf.fit-width", n_pages > 0);
}

static void
update_page_entry (DbwPdfView *self)
{
  guint n_pages = dbw_pdf_canvas_get_n_pages (self->canvas);
  g_autofree char *text = NULL;

  if (n_pages == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->page_entry), "");
      return;
    }

  /* Translators: the page entry of the document preview, e.g. "3 / 7" */
  text = g_strdup_printf (_("%u / %u"), dbw_pdf_canvas_get_page (self->canvas) + 1, n_pages);
  gtk_editable_set_text (GTK_EDITABLE (self->page_entry), text);
}

static void
update_zoom_label (DbwPdfView *self)
{
  g_autofree char *text = NULL;

  /* Translators: the zoom level of the document preview, e.g. "125%" */
  text = g_strdup_printf (_("%d%%"), (int) round (dbw_pdf_canvas_get_zoom (self->canvas) * 100.0));
  gtk_label_set_label (self->zoom_label, text);
}

static void
sync_selection (DbwPdfView *self)
{
  guint page = dbw_pdf_canvas_get_page (self->canvas);

  if (page >= g_list_model_get_n_items (G_LIST_MODEL (self->pages)) ||
      gtk_single_selection_get_selected (self->selection) == page)
    return;

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, page);
  self->syncing_selection = FALSE;

  if (self->thumbnails_visible)
    gtk_widget_activate_action (GTK_WIDGET (self->thumbnails_view), "list.scroll-to-item", "u", page);
}

static void
set_loading (DbwPdfView *self,
             gboolean    loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

static void
set_error (DbwPdfView   *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);

  dbw_status_page_set_description_text (self->error_page, error != NULL ? error->message : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

static void
fill_pages (DbwPdfView *self)
{
  guint n_pages = self->renderer != NULL ? dbw_pdf_renderer_get_n_pages (self->renderer) : 0;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_full (n_pages + 1, g_free);

  for (guint i = 0; i < n_pages; i++)
    g_ptr_array_add (labels, g_strdup_printf ("%u", i + 1));
  g_ptr_array_add (labels, NULL);

  gtk_string_list_splice (self->pages, 0, g_list_model_get_n_items (G_LIST_MODEL (self->pages)),
                          (const char * const *) labels->pdata);
}

static void
document_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DbwPdfRenderer *renderer = DBW_PDF_RENDERER (object);
  g_autoptr(DbwPdfView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dbw_pdf_renderer_load_finish (renderer, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Another document was set meanwhile. */
  if (renderer != self->renderer)
    return;

  g_clear_object (&self->cancellable);

  if (error != NULL)
    {
      set_error (self, error);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_loading (self, FALSE);
      return;
    }

  dbw_pdf_canvas_set_renderer (self->canvas, renderer);
  fill_pages (self);
  gtk_stack_set_visible_child_name (self->stack, "document");
  set_loading (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PAGES]);
}

static void
on_canvas_page_changed_cb (DbwPdfView   *self,
                           GParamSpec   *pspec,
                           DbwPdfCanvas *canvas)
{
  update_page_entry (self);
  update_actions (self);
  sync_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
}

static void
on_canvas_zoom_changed_cb (DbwPdfView   *self,
                           GParamSpec   *pspec,
                           DbwPdfCanvas *canvas)
{
  update_zoom_label (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

static void
on_canvas_fit_width_changed_cb (DbwPdfView   *self,
                                GParamSpec   *pspec,
                                DbwPdfCanvas *canvas)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FIT_WIDTH]);
}

static void
on_canvas_n_pages_changed_cb (DbwPdfView   *self,
                              GParamSpec   *pspec,
                              DbwPdfCanvas *canvas)
{
  update_page_entry (self);
  update_actions (self);
}

static void
on_selection_changed_cb (DbwPdfView         *self,
                         GParamSpec         *pspec,
                         GtkSingleSelection *selection)
{
  guint selected = gtk_single_selection_get_selected (selection);

  if (self->syncing_selection || selected == GTK_INVALID_LIST_POSITION)
    return;

  dbw_pdf_canvas_set_page (self->canvas, selected);
}

static void
on_page_entry_activate_cb (DbwPdfView *self,
                           GtkEntry   *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  guint n_pages = dbw_pdf_canvas_get_n_pages (self->canvas);
  char *end = NULL;
  guint64 number;

  /* Accepts "5" as well as the "5 / 7" the entry shows. */
  number = g_ascii_strtoull (text, &end, 10);
  if (end != text && number >= 1 && number <= n_pages)
    dbw_pdf_canvas_set_page (self->canvas, (guint) number - 1);

  update_page_entry (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_page_entry_focus_leave_cb (DbwPdfView *self)
{
  update_page_entry (self);
}

static void
setup_thumbnail_cb (DbwPdfView               *self,
                    GtkListItem              *item,
                    GtkSignalListItemFactory *factory)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), dbw_pdf_thumbnail_new ());
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_thumbnail_cb (DbwPdfView               *self,
                   GtkListItem              *item,
                   GtkSignalListItemFactory *factory)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *thumbnail = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (thumbnail);
  GtkStringObject *string = gtk_list_item_get_item (item);

  dbw_pdf_thumbnail_set_page (DBW_PDF_THUMBNAIL (thumbnail), self->renderer,
                              (int) gtk_list_item_get_position (item));
  gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (string));
}

static void
unbind_thumbnail_cb (DbwPdfView               *self,
                     GtkListItem              *item,
                     GtkSignalListItemFactory *factory)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  dbw_pdf_thumbnail_set_page (DBW_PDF_THUMBNAIL (gtk_widget_get_first_child (box)), NULL, -1);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DbwPdfView *self = DBW_PDF_VIEW (widget);

  dbw_pdf_canvas_set_zoom (self->canvas, next_zoom_level (dbw_pdf_canvas_get_zoom (self->canvas)));
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DbwPdfView *self = DBW_PDF_VIEW (widget);

  dbw_pdf_canvas_set_zoom (self->canvas, previous_zoom_level (dbw_pdf_canvas_get_zoom (self->canvas)));
}

static void
fit_width_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  dbw_pdf_canvas_set_fit_width (DBW_PDF_VIEW (widget)->canvas, TRUE);
}

static void
previous_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwPdfView *self = DBW_PDF_VIEW (widget);
  guint page = dbw_pdf_canvas_get_page (self->canvas);

  if (page > 0)
    dbw_pdf_canvas_set_page (self->canvas, page - 1);
}

static void
next_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DbwPdfView *self = DBW_PDF_VIEW (widget);
  guint page = dbw_pdf_canvas_get_page (self->canvas);

  if (page + 1 < dbw_pdf_canvas_get_n_pages (self->canvas))
    dbw_pdf_canvas_set_page (self->canvas, page + 1);
}

static void
dbw_pdf_view_dispose (GObject *object)
{
  DbwPdfView *self = (DbwPdfView *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_PDF_VIEW);

  g_clear_object (&self->renderer);
  g_clear_object (&self->selection);
  g_clear_object (&self->pages);

  G_OBJECT_CLASS (dbw_pdf_view_parent_class)->dispose (object);
}

static void
dbw_pdf_view_finalize (GObject *object)
{
  DbwPdfView *self = (DbwPdfView *)object;

  g_clear_error (&self->error);

  G_OBJECT_CLASS (dbw_pdf_view_parent_class)->finalize (object);
}

static void
dbw_pdf_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DbwPdfView *self = DBW_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_N_PAGES:
      g_value_set_uint (value, dbw_pdf_view_get_n_pages (self));
      break;

    case PROP_PAGE:
      g_value_set_uint (value, dbw_pdf_view_get_page (self));
      break;

    case PROP_ZOOM:
      g_value_set_double (value, dbw_pdf_view_get_zoom (self));
      break;

    case PROP_FIT_WIDTH:
      g_value_set_boolean (value, dbw_pdf_view_get_fit_width (self));
      break;

    case PROP_THUMBNAILS_VISIBLE:
      g_value_set_boolean (value, self->thumbnails_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DbwPdfView *self = DBW_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      dbw_pdf_view_set_page (self, g_value_get_uint (value));
      break;

    case PROP_ZOOM:
      dbw_pdf_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_FIT_WIDTH:
      dbw_pdf_view_set_fit_width (self, g_value_get_boolean (value));
      break;

    case PROP_THUMBNAILS_VISIBLE:
      dbw_pdf_view_set_thumbnails_visible (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_pdf_view_class_init (DbwPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_pdf_view_dispose;
  object_class->finalize = dbw_pdf_view_finalize;
  object_class->get_property = dbw_pdf_view_get_property;
  object_class->set_property = dbw_pdf_view_set_property;

  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         DBW_PDF_MIN_ZOOM, DBW_PDF_MAX_ZOOM, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FIT_WIDTH] =
    g_param_spec_boolean ("fit-width", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_THUMBNAILS_VISIBLE] =
    g_param_spec_boolean ("thumbnails-visible", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DBW_TYPE_PDF_CANVAS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-pdf-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, page_entry);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, thumbnails_revealer);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, thumbnails_view);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, scroller);
  gtk_widget_class_bind_template_child (widget_class, DbwPdfView, canvas);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "pdf.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "pdf.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "pdf.fit-width", NULL, fit_width_action);
  gtk_widget_class_install_action (widget_class, "pdf.previous-page", NULL, previous_page_action);
  gtk_widget_class_install_action (widget_class, "pdf.next-page", NULL, next_page_action);
  gtk_widget_class_install_property_action (widget_class, "pdf.toggle-thumbnails", "thumbnails-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "pdf.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "pdf.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "pdf.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "pdf.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "pdf.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "pdf.fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "pdf.fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "pdf.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "pdf.next-page", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pdfview");
}

static void
dbw_pdf_view_init (DbwPdfView *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pages = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->pages)));
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_thumbnail_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_thumbnail_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_thumbnail_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->thumbnails_view, factory);
  gtk_list_view_set_model (self->thumbnails_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->canvas, "notify::page",
                           G_CALLBACK (on_canvas_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::zoom",
                           G_CALLBACK (on_canvas_zoom_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::fit-width",
                           G_CALLBACK (on_canvas_fit_width_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::n-pages",
                           G_CALLBACK (on_canvas_n_pages_changed_cb), self, G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_page_entry_focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->page_entry), focus);

  update_zoom_label (self);
  update_actions (self);
}

GtkWidget *
dbw_pdf_view_new (void)
{
  return g_object_new (DBW_TYPE_PDF_VIEW, NULL);
}

/**
 * dbw_pdf_view_set_bytes:
 * @bytes: (nullable): the content of a PDF file, or %NULL to show nothing
 *
 * Opens @bytes in a worker thread; the view shows a spinner meanwhile, then the pages, or
 * the reason the PDF cannot be shown.
 */
void
dbw_pdf_view_set_bytes (DbwPdfView *self,
                        GBytes     *bytes)
{
  g_return_if_fail (DBW_IS_PDF_VIEW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  dbw_pdf_canvas_set_renderer (self->canvas, NULL);
  g_clear_object (&self->renderer);
  fill_pages (self);
  set_error (self, NULL);

  if (bytes == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_loading (self, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PAGES]);
      return;
    }

  self->renderer = dbw_pdf_renderer_new ();
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  set_loading (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PAGES]);

  dbw_pdf_renderer_load_async (self->renderer, bytes, self->cancellable,
                               document_loaded_cb, g_object_ref (self));
}

/**
 * dbw_pdf_view_get_renderer:
 *
 * Returns: (transfer none) (nullable): the renderer of the document being shown
 */
DbwPdfRenderer *
dbw_pdf_view_get_renderer (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), NULL);

  return self->renderer;
}

gboolean
dbw_pdf_view_get_loading (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), FALSE);

  return self->loading;
}

/**
 * dbw_pdf_view_get_error:
 *
 * Returns: (nullable): why the document cannot be shown, in %DBW_PDF_ERROR
 */
const GError *
dbw_pdf_view_get_error (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), NULL);

  return self->error;
}

guint
dbw_pdf_view_get_n_pages (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), 0);

  return dbw_pdf_canvas_get_n_pages (self->canvas);
}

guint
dbw_pdf_view_get_page (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), 0);

  return dbw_pdf_canvas_get_page (self->canvas);
}

void
dbw_pdf_view_set_page (DbwPdfView *self,
                       guint       page)
{
  g_return_if_fail (DBW_IS_PDF_VIEW (self));

  dbw_pdf_canvas_set_page (self->canvas, page);
}

double
dbw_pdf_view_get_zoom (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), 1.0);

  return dbw_pdf_canvas_get_zoom (self->canvas);
}

void
dbw_pdf_view_set_zoom (DbwPdfView *self,
                       double      zoom)
{
  g_return_if_fail (DBW_IS_PDF_VIEW (self));

  dbw_pdf_canvas_set_zoom (self->canvas, zoom);
}

gboolean
dbw_pdf_view_get_fit_width (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), FALSE);

  return dbw_pdf_canvas_get_fit_width (self->canvas);
}

void
dbw_pdf_view_set_fit_width (DbwPdfView *self,
                            gboolean    fit_width)
{
  g_return_if_fail (DBW_IS_PDF_VIEW (self));

  dbw_pdf_canvas_set_fit_width (self->canvas, fit_width);
}

gboolean
dbw_pdf_view_get_thumbnails_visible (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), FALSE);

  return self->thumbnails_visible;
}

void
dbw_pdf_view_set_thumbnails_visible (DbwPdfView *self,
                                     gboolean    visible)
{
  g_return_if_fail (DBW_IS_PDF_VIEW (self));

  visible = !!visible;
  if (self->thumbnails_visible == visible)
    return;

  self->thumbnails_visible = visible;
  gtk_revealer_set_reveal_child (self->thumbnails_revealer, visible);
  if (visible)
    sync_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THUMBNAILS_VISIBLE]);
}

/**
 * dbw_pdf_view_get_pages:
 *
 * The model behind the thumbnail strip: one #GtkStringObject per page, holding the page
 * number as shown.
 *
 * Returns: (transfer none): the pages of the document being shown
 */
GListModel *
dbw_pdf_view_get_pages (DbwPdfView *self)
{
  g_return_val_if_fail (DBW_IS_PDF_VIEW (self), NULL);

  return G_LIST_MODEL (self->pages);
}
