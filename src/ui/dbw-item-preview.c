/* dbw-item-preview.c
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

#define G_LOG_DOMAIN "dbw-item-preview"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dbw-enums.h"
#include "dbw-image-preview.h"
#include "dbw-item-preview.h"
#include "dbw-json-text.h"
#include "dbw-page.h"
#include "dbw-pdf-view.h"
#include "dbw-widget-util.h"

/* The Data page's preview of one item: a row's fields, a text, a PDF (DbwPdfView) or an
 * image (DbwImagePreview). File content comes from the project's blobs, read in a worker
 * thread; a document that will not open or an image that will not decode says why in
 * place. A text, PDF or image item also has fields (its name, pages, size, and the
 * columns of its row): a toggle in the header shows them in place of the content. */

#define MAX_FIELDS 500
/* The most text shown of a text item or a field value, in bytes. */
#define MAX_TEXT   (256 * 1024)

struct _DbwItemPreview
{
  GtkWidget        parent_instance;

  DbwItem         *item;
  GCancellable    *cancellable;

  GtkWidget       *box;
  GtkWidget       *header;
  GtkWidget       *separator;
  GtkLabel        *title;
  GtkLabel        *subtitle;
  GtkButton       *edit_button;
  GtkToggleButton *fields_toggle;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkListBox      *fields_list;
  GtkTextView     *text_view;
  DbwPdfView      *pdf_view;
  DbwImagePreview *image_preview;
  AdwStatusPage   *error_page;

  /* What a file item shows when its fields are not asked for. */
  const char      *content_mode;
};

G_DEFINE_FINAL_TYPE (DbwItemPreview, dbw_item_preview, GTK_TYPE_WIDGET)

static void
set_mode (DbwItemPreview *self,
          const char     *mode)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (mode, "loading"));
  gtk_stack_set_visible_child_name (self->stack, mode);
}

/* A field as people read it: a text as it is, a number as written (0.100, every digit of a
 * long serial number), an object or a list indented. */
static char *
member_to_text (const DbwJsonMember *member)
{
  g_autofree char *text = NULL;

  switch (member->kind)
    {
    case DBW_JSON_NULL:
      text = g_strdup ("");
      break;

    case DBW_JSON_OBJECT:
    case DBW_JSON_ARRAY:
      {
        g_autoptr(JsonNode) node = json_from_string (member->text, NULL);

        text = node != NULL ? dbw_json_to_pretty (node) : g_strdup (member->text);
        break;
      }

    case DBW_JSON_STRING:
    case DBW_JSON_NUMBER:
    case DBW_JSON_BOOLEAN:
    default:
      text = g_strdup (member->text);
      break;
    }

  if (strlen (text) > MAX_TEXT)
    {
      const char *end = g_utf8_find_prev_char (text, text + MAX_TEXT + 1);
      g_autofree char *part = g_strndup (text, end - text);

      return g_strconcat (part, "…", NULL);
    }

  return g_steal_pointer (&text);
}

static void
show_fields (DbwItemPreview *self)
{
  g_autoptr(GArray) members = NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_list))) != NULL)
    gtk_list_box_remove (self->fields_list, child);

  if (dbw_item_get_fields (self->item) != NULL)
    members = dbw_json_object_members (dbw_item_get_fields (self->item), -1);
  if (members != NULL)
    {
      for (guint i = 0; i < members->len && n < MAX_FIELDS; i++)
        {
          const DbwJsonMember *member = &g_array_index (members, DbwJsonMember, i);
          g_autofree char *value = NULL;
          GtkWidget *row;
          GtkWidget *name;
          GtkWidget *text;

          /* A name given twice shows once, with its last value, as JSON reads it. */
          if (dbw_json_members_find (members, member->name) != member)
            continue;

          n++;
          value = member_to_text (member);
          row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
          name = gtk_label_new (member->name);
          text = gtk_label_new (value);

          gtk_widget_add_css_class (name, "caption-heading");
          gtk_widget_add_css_class (name, "dim-label");
          gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
          gtk_label_set_xalign (GTK_LABEL (text), 0.0f);
          gtk_label_set_wrap (GTK_LABEL (text), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_selectable (GTK_LABEL (text), TRUE);
          gtk_widget_set_margin_start (row, 12);
          gtk_widget_set_margin_end (row, 12);
          gtk_widget_set_margin_top (row, 8);
          gtk_widget_set_margin_bottom (row, 8);
          gtk_box_append (GTK_BOX (row), name);
          gtk_box_append (GTK_BOX (row), text);
          gtk_list_box_append (self->fields_list, row);
        }
    }

  if (n == 0)
    {
      GtkWidget *empty = gtk_label_new (_("This item has no fields"));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_append (self->fields_list, empty);
    }

  set_mode (self, "fields");
}

/* The content of a file item: shown, unless its fields are on show; then it is what
 * comes back when they are put away. */
static void
set_content_mode (DbwItemPreview *self,
                  const char     *mode)
{
  self->content_mode = mode;
  if (!gtk_toggle_button_get_active (self->fields_toggle))
    set_mode (self, mode);
}

static void
show_error (DbwItemPreview *self,
            const char     *message)
{
  dbw_status_page_set_description_text (self->error_page, message);
  set_content_mode (self, "error");
}

static void
on_fields_toggled_cb (DbwItemPreview *self)
{
  if (self->item == NULL || self->content_mode == NULL)
    return;

  if (gtk_toggle_button_get_active (self->fields_toggle))
    show_fields (self);
  else
    set_mode (self, self->content_mode);
}

static void show_content (DbwItemPreview *self,
                          GBytes         *bytes);

static void
show_text (DbwItemPreview *self,
           const char     *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  gsize len = text != NULL ? strlen (text) : 0;

  /* A text view lays out all it holds at once: a long text is shown in part. */
  if (len > MAX_TEXT)
    {
      const char *end = g_utf8_find_prev_char (text, text + MAX_TEXT + 1);
      g_autofree char *part = g_strndup (text, end - text);
      g_autofree char *shown = dbw_format_count (g_utf8_strlen (part, -1));
      g_autofree char *note = g_strdup_printf (_("[The first %s characters are shown.]"), shown);
      g_autofree char *all = g_strconcat (part, "\n\n", note, NULL);

      gtk_text_buffer_set_text (buffer, all, -1);
    }
  else
    {
      gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
    }
  set_content_mode (self, "text");
}

static void
whole_item_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwItemPreview) self = user_data;
  g_autoptr(DbwItem) whole = NULL;
  g_autoptr(GError) error = NULL;

  whole = dbw_store_get_finish (DBW_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (whole == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The text could not be read from the project: %s"), error->message);

      show_error (self, message);
      return;
    }

  show_text (self, dbw_item_get_text_content (whole));
}

static void
blob_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DbwItemPreview) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = dbw_store_get_blob_finish (DBW_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The file content could not be read from the project: %s"),
                                                  error->message);

      show_error (self, message);
      return;
    }

  show_content (self, bytes);
}

/* The document and image views are made when first needed: a preview of rows never
 * builds them. */
static void
show_content (DbwItemPreview *self,
              GBytes         *bytes)
{
  switch (dbw_item_get_modality (self->item))
    {
    case DBW_MODALITY_PDF:
      if (self->pdf_view == NULL)
        {
          self->pdf_view = DBW_PDF_VIEW (dbw_pdf_view_new ());
          gtk_stack_add_named (self->stack, GTK_WIDGET (self->pdf_view), "pdf");
        }
      dbw_pdf_view_set_bytes (self->pdf_view, bytes);
      set_content_mode (self, "pdf");
      break;

    case DBW_MODALITY_IMAGE:
      if (self->image_preview == NULL)
        {
          self->image_preview = DBW_IMAGE_PREVIEW (dbw_image_preview_new ());
          gtk_stack_add_named (self->stack, GTK_WIDGET (self->image_preview), "image");
        }
      dbw_image_preview_set_bytes (self->image_preview, bytes);
      set_content_mode (self, "image");
      break;

    case DBW_MODALITY_TEXT:
    case DBW_MODALITY_ROW:
    default:
      show_fields (self);
      break;
    }
}

static const char *
modality_label (DbwModality modality)
{
  switch (modality)
    {
    case DBW_MODALITY_TEXT:  return _("Text");
    case DBW_MODALITY_ROW:   return _("Row");
    case DBW_MODALITY_PDF:   return _("PDF");
    case DBW_MODALITY_IMAGE: return _("Image");
    default:                 return "";
    }
}

static const char *
classification_label (DbwDataClassification classification)
{
  switch (classification)
    {
    case DBW_CLASSIFICATION_PUBLIC:       return _("Public");
    case DBW_CLASSIFICATION_INTERNAL:     return _("Internal");
    case DBW_CLASSIFICATION_CONFIDENTIAL: return _("Confidential");
    case DBW_CLASSIFICATION_RESTRICTED:   return _("Restricted");
    default:                              return "";
    }
}

static void
update_header (DbwItemPreview *self)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char * const *tags;
  DbwItem *item = self->item;
  g_autofree char *version = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->edit_button),
                          item != NULL && dbw_item_get_modality (item) == DBW_MODALITY_ROW);
  gtk_widget_set_visible (GTK_WIDGET (self->fields_toggle),
                          item != NULL && dbw_item_get_modality (item) != DBW_MODALITY_ROW);
  gtk_widget_set_visible (self->header, item != NULL);
  gtk_widget_set_visible (self->separator, item != NULL);

  if (item == NULL)
    {
      gtk_label_set_label (self->title, "");
      gtk_label_set_label (self->subtitle, "");
      return;
    }

  gtk_label_set_label (self->title, dbw_item_get_item_ref (item));

  g_string_append (subtitle, modality_label (dbw_item_get_modality (item)));
  /* Translators: the version of an item, "version 2" */
  version = g_strdup_printf (_("version %" G_GINT64_FORMAT), dbw_item_get_version (item));
  g_string_append (subtitle, " · ");
  g_string_append (subtitle, version);
  g_string_append (subtitle, " · ");
  g_string_append (subtitle, classification_label (dbw_item_get_data_classification (item)));

  tags = dbw_item_get_tags (item);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_string_append (subtitle, i == 0 ? " · " : ", ");
      g_string_append (subtitle, tags[i]);
    }

  gtk_label_set_label (self->subtitle, subtitle->str);
}

static void
dbw_item_preview_dispose (GObject *object)
{
  DbwItemPreview *self = (DbwItemPreview *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->item);

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_ITEM_PREVIEW);

  G_OBJECT_CLASS (dbw_item_preview_parent_class)->dispose (object);
}

static void
dbw_item_preview_class_init (DbwItemPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_item_preview_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-item-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, box);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, header);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, separator);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, title);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, subtitle);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, edit_button);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, fields_toggle);
  gtk_widget_class_bind_template_callback (widget_class, on_fields_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, fields_list);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, text_view);
  gtk_widget_class_bind_template_child (widget_class, DbwItemPreview, error_page);
}

static void
dbw_item_preview_init (DbwItemPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_header (self);
}

GtkWidget *
dbw_item_preview_new (void)
{
  return g_object_new (DBW_TYPE_ITEM_PREVIEW, NULL);
}

/**
 * dbw_item_preview_set_item:
 * @store: (nullable): the project holding @item's content
 * @item: (nullable): the item to show
 */
void
dbw_item_preview_set_item (DbwItemPreview *self,
                           DbwStore       *store,
                           DbwItem        *item)
{
  dbw_item_preview_set_item_with_content (self, store, item, NULL);
}

/**
 * dbw_item_preview_set_item_with_content:
 * @store: (nullable): the project holding @item's content
 * @item: (nullable): the item to show
 * @content: (nullable): @item's file content when the caller already read it (a queue
 *   that reads the next item ahead), or %NULL to read it from @store
 */
void
dbw_item_preview_set_item_with_content (DbwItemPreview *self,
                                        DbwStore       *store,
                                        DbwItem        *item,
                                        GBytes         *content)
{
  g_return_if_fail (DBW_IS_ITEM_PREVIEW (self));
  g_return_if_fail (!store || DBW_IS_STORE (store));
  g_return_if_fail (!item || DBW_IS_ITEM (item));

  if (item == self->item)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->item, item);

  /* Each item opens on its content. */
  self->content_mode = NULL;
  gtk_toggle_button_set_active (self->fields_toggle, FALSE);
  update_header (self);

  /* Let go of the previous document or image, which may be large. */
  if (self->pdf_view != NULL)
    dbw_pdf_view_set_bytes (self->pdf_view, NULL);
  if (self->image_preview != NULL)
    dbw_image_preview_set_bytes (self->image_preview, NULL);

  if (item == NULL)
    {
      set_mode (self, "none");
      return;
    }

  switch (dbw_item_get_modality (item))
    {
    case DBW_MODALITY_TEXT:
      /* A list's item comes without its text, which may be long: read it in a worker. */
      if (dbw_record_is_partial (DBW_RECORD (item)) && store != NULL)
        {
          self->cancellable = g_cancellable_new ();
          set_content_mode (self, "loading");
          dbw_store_get_async (store, DBW_TYPE_ITEM, dbw_record_get_id (DBW_RECORD (item)), self->cancellable,
                               whole_item_cb, g_object_ref (self));
          return;
        }
      show_text (self, dbw_item_get_text_content (item));
      return;

    case DBW_MODALITY_PDF:
    case DBW_MODALITY_IMAGE:
      if (content != NULL)
        {
          show_content (self, content);
          return;
        }
      if (store != NULL && dbw_item_get_blob_hash (item) != NULL)
        {
          self->cancellable = g_cancellable_new ();
          set_content_mode (self, "loading");
          dbw_store_get_blob_async (store, dbw_item_get_blob_hash (item), self->cancellable,
                                    blob_ready_cb, g_object_ref (self));
          return;
        }
      show_error (self, _("The item has no file content"));
      return;

    case DBW_MODALITY_ROW:
    default:
      show_fields (self);
      return;
    }
}

DbwItem *
dbw_item_preview_get_item (DbwItemPreview *self)
{
  g_return_val_if_fail (DBW_IS_ITEM_PREVIEW (self), NULL);

  return self->item;
}

/**
 * dbw_item_preview_get_mode:
 *
 * Returns: what is shown: "none", "loading", "fields", "text", "pdf", "image" or "error"
 */
const char *
dbw_item_preview_get_mode (DbwItemPreview *self)
{
  g_return_val_if_fail (DBW_IS_ITEM_PREVIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
