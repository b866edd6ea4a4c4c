/* dbw-templates-page.c
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

#define G_LOG_DOMAIN "dbw-templates-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-prompt.h"
#include "dbw-query-model.h"
#include "dbw-sheet.h"
#include "dbw-sheet-ops.h"
#include "dbw-template-ops.h"
#include "dbw-template-row.h"
#include "dbw-templates-page.h"
#include "dbw-window.h"

/* The Prompt Templates tool: the library on the left — the newest version of each
 * template, searchable and filtered by label type and status — and on the right the
 * selected template, to edit, test on sample items and compare versions. The two fold
 * into one column on a narrow window.
 *
 * Saving commits at once (dbw_template_ops_save()): a draft changes in place, an edit of
 * a published version becomes the next draft version. Edits are never lost: leaving a
 * template with unsaved edits asks first, and closing the project or the window saves
 * them. The chosen sheet gives the prompts their column names to complete and the tests
 * their items. */

struct _DbwTemplatesPage
{
  DbwPage             parent_instance;

  GListStore         *library;
  GtkSingleSelection *selection;
  DbwQueryModel      *sheets;
  DbwStore           *watched_store;
  gulong              store_changed_handler;
  GCancellable       *columns_cancellable;
  guint               columns_run;
  gboolean            loading_columns;
  /* Until the user picks a sheet, a template opens with one whose items it fits. */
  GCancellable       *fit_cancellable;
  guint               fit_run;
  char               *last_sheet_id;
  gboolean            sheet_chosen;
  gboolean            choosing_sheet;
  gboolean            reloading;
  gboolean            clearing_filters;

  GtkStack           *stack;
  AdwLeaflet         *leaflet;
  GtkWidget          *library_pane;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *label_type_filter;
  GtkDropDown        *status_filter;
  GtkStack           *library_stack;
  GtkListView        *list_view;
  GtkStack           *editor_stack;
  GtkLabel           *title_label;
  GtkLabel           *subtitle_label;
  GtkLabel           *status_badge;
  AdwViewStack       *view_stack;
  GtkDropDown        *sheet_dropdown;
  DbwTemplateEditor  *editor;
  DbwTemplateTester  *tester;
  DbwTemplateHistory *history;
};

G_DEFINE_FINAL_TYPE (DbwTemplatesPage, dbw_templates_page, DBW_TYPE_PAGE)

typedef void (*AfterAsk) (DbwTemplatesPage *self,
                          gpointer          data);

typedef struct
{
  DbwTemplatesPage *self;
  AfterAsk          then;
  gpointer          data;
  GDestroyNotify    destroy;
} Ask;

static void reload_library (DbwTemplatesPage *self);
static void fit_sheet      (DbwTemplatesPage *self,
                            DbwTemplate      *tmpl);
static void cancel_fit     (DbwTemplatesPage *self);

static GtkWindow *
get_window (DbwTemplatesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (DbwTemplatesPage *self,
            const char       *heading,
            const GError     *error)
{
  GtkWindow *window = get_window (self);

  if (DBW_IS_WINDOW (window))
    dbw_window_show_error (DBW_WINDOW (window), heading, error);
  else
    g_message ("%s: %s", heading, error->message);
}

static void
show_toast (DbwTemplatesPage *self,
            const char       *title)
{
  GtkWindow *window = get_window (self);

  if (DBW_IS_WINDOW (window))
    dbw_window_show_toast (DBW_WINDOW (window), title);
}

static DbwTemplate *
current_template (DbwTemplatesPage *self)
{
  return dbw_template_editor_get_template (self->editor);
}

static void
update_header (DbwTemplatesPage *self)
{
  static const char * const statuses[] = { "draft", "published", "archived" };
  DbwTemplate *tmpl = current_template (self);
  g_autofree char *subtitle = NULL;
  g_autofree char *updated = NULL;
  DbwTemplateStatus status;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_badge), statuses[i]);

  if (tmpl == NULL)
    return;

  status = dbw_template_get_status (tmpl);
  updated = dbw_format_timestamp (dbw_template_get_updated_at (tmpl));
  if (dbw_template_editor_get_modified (self->editor))
    /* Translators: "Version 3 · Classification · Unsaved changes" */
    subtitle = g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s · Unsaved changes"),
                                dbw_template_get_version (tmpl),
                                dbw_label_type_describe (dbw_template_get_label_type (tmpl)));
  else
    /* Translators: "Version 3 · Classification · Changed Today 14:02" */
    subtitle = g_strdup_printf (_("Version %" G_GINT64_FORMAT " · %s · Changed %s"),
                                dbw_template_get_version (tmpl),
                                dbw_label_type_describe (dbw_template_get_label_type (tmpl)),
                                updated);

  gtk_label_set_label (self->title_label, dbw_template_get_name (tmpl));
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_label_set_label (self->status_badge, dbw_template_status_describe (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_badge), statuses[status]);
}

/* The version Archive retires: the one open if published, or the newest published one
 * under the draft being written. */
static DbwTemplate *
dup_archivable (DbwTemplatesPage *self)
{
  DbwTemplate *tmpl = current_template (self);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));

  if (tmpl == NULL || store == NULL)
    return NULL;
  if (dbw_template_get_status (tmpl) == DBW_TEMPLATE_STATUS_PUBLISHED)
    return g_object_ref (tmpl);
  if (dbw_template_get_status (tmpl) != DBW_TEMPLATE_STATUS_DRAFT || dbw_template_get_version (tmpl) == 1)
    return NULL;

  return dbw_template_ops_lookup (store, dbw_template_get_template_id (tmpl), NULL);
}

static void
update_actions (DbwTemplatesPage *self)
{
  DbwTemplate *tmpl = current_template (self);
  gboolean has = tmpl != NULL && dbw_page_get_store (DBW_PAGE (self)) != NULL;
  gboolean modified = has && dbw_template_editor_get_modified (self->editor);
  DbwTemplateStatus status = has ? dbw_template_get_status (tmpl) : DBW_TEMPLATE_STATUS_DRAFT;
  gboolean writable = !dbw_page_is_read_only (DBW_PAGE (self));
  gboolean can_add = dbw_page_get_store (DBW_PAGE (self)) != NULL && writable;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.new", can_add);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.save", modified && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.publish", has && writable && (modified || status == DBW_TEMPLATE_STATUS_DRAFT));
  g_autoptr(DbwTemplate) archivable = has && writable ? dup_archivable (self) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.archive", archivable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.discard", has && writable && status == DBW_TEMPLATE_STATUS_DRAFT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.duplicate", has && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.revert", modified);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.test", has);
}

static void
update (DbwTemplatesPage *self)
{
  update_header (self);
  update_actions (self);
}

/* Folded to the library alone, nothing is selected: a click on any row, the template
 * already open included, opens it. */
static gboolean
showing_library_only (DbwTemplatesPage *self)
{
  return adw_leaflet_get_folded (self->leaflet) &&
         adw_leaflet_get_visible_child (self->leaflet) == self->library_pane;
}

/* Selects the library row of the template being edited, without opening anything. */
static void
sync_selection (DbwTemplatesPage *self)
{
  DbwTemplate *tmpl = current_template (self);
  guint position = GTK_INVALID_LIST_POSITION;

  if (tmpl != NULL && !showing_library_only (self))
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->library)); i++)
      {
        g_autoptr(DbwTemplate) row = g_list_model_get_item (G_LIST_MODEL (self->library), i);

        if (g_strcmp0 (dbw_template_get_template_id (row), dbw_template_get_template_id (tmpl)) == 0)
          {
            position = i;
            break;
          }
      }

  self->reloading = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->reloading = FALSE;
}

static void
open_template (DbwTemplatesPage *self,
               DbwTemplate      *tmpl)
{
  DbwTemplate *before = current_template (self);
  gboolean other = before == NULL || tmpl == NULL ||
                   g_strcmp0 (dbw_template_get_template_id (before), dbw_template_get_template_id (tmpl)) != 0;

  dbw_template_editor_set_template (self->editor, tmpl);
  if (other)
    {
      if (tmpl != NULL)
        fit_sheet (self, tmpl);
      else
        cancel_fit (self);
      dbw_template_tester_clear (self->tester);
      dbw_template_history_set_template (self->history, dbw_page_get_store (DBW_PAGE (self)),
                                         tmpl != NULL ? dbw_template_get_template_id (tmpl) : NULL);
    }

  gtk_stack_set_visible_child_name (self->editor_stack, tmpl != NULL ? "editor" : "none");
  sync_selection (self);
  update (self);
}

/* Saves the editor's fields; the editor then shows the stored version. */
static DbwTemplate *
save_edits (DbwTemplatesPage  *self,
            DbwStore          *store,
            GError           **error)
{
  g_autoptr(DbwTemplate) edited = dbw_template_editor_dup_edited (self->editor);
  g_autoptr(DbwTemplate) stored = NULL;

  stored = dbw_template_ops_save (store, edited, error);
  if (stored == NULL)
    return NULL;

  if (store == dbw_page_get_store (DBW_PAGE (self)))
    open_template (self, stored);

  if (dbw_template_get_version (stored) != dbw_template_get_version (edited))
    {
      g_autofree char *title = g_strdup_printf (_("Saved as version %" G_GINT64_FORMAT ", a draft"),
                                                dbw_template_get_version (stored));

      show_toast (self, title);
    }

  return g_steal_pointer (&stored);
}

/* Core messages name the field first: "Field “output_schema”: …". */
static void
focus_field_of_error (DbwTemplatesPage *self,
                      const GError     *error)
{
  const char *open = strstr (error->message, "“");
  const char *close = open != NULL ? strstr (open, "”") : NULL;
  g_autofree char *field = NULL;
  GtkWidget *widget;

  if (open == NULL || close == NULL)
    return;

  field = g_strndup (open + strlen ("“"), close - open - strlen ("“"));
  widget = dbw_template_editor_get_field_widget (self->editor, field);
  if (widget != NULL)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "edit");
      gtk_widget_grab_focus (widget);
    }
}

/* Edits left in the editor when the page lets go of a project are saved, not dropped. */
static void
save_before_leaving (DbwTemplatesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwTemplate) stored = NULL;

  if (self->watched_store == NULL || current_template (self) == NULL ||
      !dbw_template_editor_get_modified (self->editor))
    return;

  /* The library is about to show another project, or none: it must not follow this save. */
  g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  stored = save_edits (self, self->watched_store, &error);
  if (stored == NULL)
    {
      g_message ("Could not save the edits of a template: %s", error->message);
      return;
    }

  /* Saved, the edit needs no draft there any more. */
  dbw_page_discard_draft_in (DBW_PAGE (self), self->watched_store);
}

static void
ask_free (Ask *ask)
{
  if (ask->destroy != NULL)
    ask->destroy (ask->data);
  g_object_unref (ask->self);
  g_free (ask);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 Ask              *ask)
{
  DbwTemplatesPage *self = ask->self;
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));

  if (g_str_equal (response, "save"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwTemplate) stored = store != NULL ? save_edits (self, store, &error) : NULL;

      if (stored == NULL)
        {
          if (error != NULL)
            {
              show_error (self, _("Could Not Save the Template"), error);
              focus_field_of_error (self, error);
            }
          ask_free (ask);
          return;
        }
    }
  else if (g_str_equal (response, "discard"))
    {
      dbw_template_editor_revert (self->editor);
      update (self);
    }
  else
    {
      ask_free (ask);
      return;
    }

  ask->then (self, ask->data);
  ask_free (ask);
}

/* Runs @then at once, or after asking what to do with the edits not saved. */
static void
ask_then (DbwTemplatesPage *self,
          AfterAsk          then,
          gpointer          data,
          GDestroyNotify    destroy)
{
  DbwTemplate *tmpl = current_template (self);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  Ask *ask;

  if (tmpl == NULL || !dbw_template_editor_get_modified (self->editor))
    {
      then (self, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  if (dbw_template_get_status (tmpl) == DBW_TEMPLATE_STATUS_DRAFT)
    body = g_strdup_printf (_("The changes to “%s” are not saved yet."), dbw_template_get_name (tmpl));
  else
    body = g_strdup_printf (_("The changes to “%s” are not saved yet. Saved, they become version %" G_GINT64_FORMAT ", a draft; the published version stays as it is."),
                            dbw_template_get_name (tmpl), dbw_template_get_version (tmpl) + 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), _("Save Changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");

  ask = g_new0 (Ask, 1);
  ask->self = g_object_ref (self);
  ask->then = then;
  ask->data = data;
  ask->destroy = destroy;
  g_signal_connect (dialog, "response", G_CALLBACK (ask_response_cb), ask);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_after_ask (DbwTemplatesPage *self,
                gpointer          data)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(DbwTemplate) newest = NULL;

  /* The library may have changed while the question was open. */
  if (store != NULL)
    newest = dbw_template_ops_find_newest (store, data, NULL);
  if (newest != NULL)
    {
      open_template (self, newest);
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_stack));
    }
}

static void
on_selection_changed_cb (DbwTemplatesPage   *self,
                         GParamSpec         *pspec,
                         GtkSingleSelection *selection)
{
  DbwTemplate *row = gtk_single_selection_get_selected_item (selection);
  DbwTemplate *tmpl = current_template (self);

  if (self->reloading || row == NULL)
    return;

  if (tmpl != NULL && g_strcmp0 (dbw_template_get_template_id (row), dbw_template_get_template_id (tmpl)) == 0)
    {
      adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_stack));
      return;
    }

  /* The row stays on the template being edited until the question is answered. */
  sync_selection (self);
  ask_then (self, open_after_ask, g_strdup (dbw_template_get_template_id (row)), g_free);
}

static void
on_list_activate_cb (DbwTemplatesPage *self,
                     guint             position,
                     GtkListView      *list_view)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_stack));
}

static void
on_back_clicked_cb (DbwTemplatesPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->library_pane);
}

static void
on_leaflet_changed_cb (DbwTemplatesPage *self)
{
  sync_selection (self);
}

static void
on_editor_changed_cb (DbwTemplatesPage *self)
{
  update (self);
  dbw_page_draft_changed (DBW_PAGE (self));
}

static void
on_editor_edited_cb (DbwTemplatesPage *self)
{
  dbw_page_draft_changed (DBW_PAGE (self));
}

static int
filter_value (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  /* The first entry is "all". */
  return selected == GTK_INVALID_LIST_POSITION || selected == 0 ? -1 : (int) selected - 1;
}

static void
reload_library (DbwTemplatesPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  DbwTemplate *tmpl;
  gint64 total = 0;

  if (store != NULL)
    {
      const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      rows = dbw_template_ops_list_library (store, search[0] != '\0' ? search : NULL,
                                            filter_value (self->label_type_filter),
                                            filter_value (self->status_filter), &error);
      if (rows == NULL)
        g_warning ("Could not list the templates: %s", error->message);
      total = dbw_store_count (store, DBW_TYPE_TEMPLATE, NULL, NULL, NULL);
    }

  self->reloading = TRUE;
  g_list_store_splice (self->library, 0, g_list_model_get_n_items (G_LIST_MODEL (self->library)),
                       rows != NULL ? rows->pdata : NULL, rows != NULL ? rows->len : 0);
  self->reloading = FALSE;

  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "library" : "empty");
  gtk_stack_set_visible_child_name (self->library_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->library)) > 0 ? "list" : "no-results");

  /* Follow the template being edited to its stored row: a save may have made a new
   * version of it, and a deleted draft leaves the version before it. */
  tmpl = current_template (self);
  if (tmpl != NULL && store != NULL)
    {
      g_autoptr(DbwTemplate) stored = dbw_store_get (store, DBW_TYPE_TEMPLATE, dbw_record_get_id (DBW_RECORD (tmpl)), NULL);

      if (stored == NULL)
        {
          g_autoptr(DbwTemplate) newest = dbw_template_ops_find_newest (store, dbw_template_get_template_id (tmpl), NULL);

          open_template (self, newest);
        }
      else if (!dbw_template_editor_get_modified (self->editor))
        {
          open_template (self, stored);
        }
      dbw_template_history_reload (self->history);
    }

  /* The library's row may be an older version (under a status filter); the editor
   * edits the newest, as when a row is clicked. */
  if (current_template (self) == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->library)) > 0)
    {
      g_autoptr(DbwTemplate) first = g_list_model_get_item (G_LIST_MODEL (self->library), 0);
      g_autoptr(DbwTemplate) newest = dbw_template_ops_find_newest (store, dbw_template_get_template_id (first), NULL);

      open_template (self, newest != NULL ? newest : first);
    }

  sync_selection (self);
  update (self);
}

static void
on_filters_changed_cb (DbwTemplatesPage *self)
{
  if (!self->clearing_filters)
    reload_library (self);
}

static void
on_store_changed_cb (DbwTemplatesPage *self,
                     const char       *table,
                     DbwChangeKind     kind,
                     const char       *id,
                     DbwStore         *store)
{
  reload_library (self);
}

/* Column names */

static const char columns_tag[] = "dbw-templates-page-columns";

typedef struct
{
  GFile *file;
  char  *sheet_id;
} ColumnsJob;

static void
columns_job_free (ColumnsJob *job)
{
  g_object_unref (job->file);
  g_free (job->sheet_id);
  g_free (job);
}

static void
add_names (GPtrArray  *names,
           GHashTable *seen,
           JsonObject *context)
{
  g_auto(GStrv) listed = dbw_prompt_context_list_names (context);

  for (guint i = 0; listed[i] != NULL; i++)
    if (!g_str_equal (listed[i], "item") && !g_hash_table_contains (seen, listed[i]))
      {
        char *name = g_strdup (listed[i]);

        g_hash_table_add (seen, name);
        g_ptr_array_add (names, name);
      }
}

typedef struct
{
  GStrv      names;      /* for completion */
  GPtrArray *contexts;   /* (element-type JsonObject) sample items, to check the prompt */
} Columns;

static void
columns_free (Columns *columns)
{
  g_strfreev (columns->names);
  g_ptr_array_unref (columns->contexts);
  g_free (columns);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Columns, columns_free)

/* The names a prompt can use with the sheet's items: every column seen in its first rows,
 * and the paths into JSON fields and the item names a few sample items show. */
static void
columns_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ColumnsJob *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GPtrArray) contexts = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(JsonObject) columns = json_object_new ();
  Columns *result;
  GError *error = NULL;

  store = dbw_store_open (job->file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL ||
      (fields = dbw_sheet_ops_list_fields (store, job->sheet_id, 0, &error)) == NULL ||
      (contexts = dbw_sheet_ops_sample_contexts (store, job->sheet_id, DBW_SHEET_OPS_FIT_SAMPLE, &error)) == NULL)
    {
      if (store != NULL)
        dbw_store_close (store);
      g_task_return_error (task, error);
      return;
    }
  dbw_store_close (store);

  /* Through a context, names that are not plain words come out quoted as prompts write them. */
  for (guint i = 0; fields[i] != NULL; i++)
    json_object_set_null_member (columns, fields[i]);
  add_names (names, seen, columns);
  for (guint i = 0; i < contexts->len; i++)
    add_names (names, seen, g_ptr_array_index (contexts, i));

  g_ptr_array_add (names, NULL);
  result = g_new0 (Columns, 1);
  result->names = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  result->contexts = g_steal_pointer (&contexts);
  g_task_return_pointer (task, result, (GDestroyNotify) columns_free);
}

static void
columns_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DbwTemplatesPage) self = user_data;
  g_autoptr(Columns) columns = NULL;
  g_autoptr(GError) error = NULL;
  DbwSheet *sheet;

  columns = g_task_propagate_pointer (G_TASK (result), &error);
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "dbw-run")) != self->columns_run)
    return;

  self->loading_columns = FALSE;
  if (columns == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not list the columns of a sheet: %s", error->message);
      return;
    }

  sheet = gtk_drop_down_get_selected_item (self->sheet_dropdown);
  dbw_template_editor_set_columns (self->editor, (const char * const *) columns->names, columns->contexts,
                                   sheet != NULL ? dbw_sheet_get_name (sheet) : NULL);
}

/* Where the sheet @sheet_id is in the chooser, or G_MAXUINT when it is not listed. */
static guint
sheet_position (DbwTemplatesPage *self,
                const char       *sheet_id)
{
  for (guint i = 0; self->sheets != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->sheets)); i++)
    {
      g_autoptr(DbwSheet) sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      if (g_str_equal (dbw_record_get_id (DBW_RECORD (sheet)), sheet_id))
        return i;
    }

  return G_MAXUINT;
}

static void
on_sheet_selected_cb (DbwTemplatesPage *self)
{
  DbwSheet *sheet = gtk_drop_down_get_selected_item (self->sheet_dropdown);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *sheet_id = sheet != NULL ? dbw_record_get_id (DBW_RECORD (sheet)) : NULL;
  g_autoptr(GTask) task = NULL;
  ColumnsJob *job;

  /* A sheet chosen in place of another still listed, and not by the page: the user's pick.
   * The first one, when the list fills, and the next one, when the chosen one is deleted,
   * are not. */
  if (!self->choosing_sheet && self->last_sheet_id != NULL && sheet_id != NULL &&
      !g_str_equal (self->last_sheet_id, sheet_id) && sheet_position (self, self->last_sheet_id) != G_MAXUINT)
    self->sheet_chosen = TRUE;
  g_free (self->last_sheet_id);
  self->last_sheet_id = g_strdup (sheet_id);

  g_cancellable_cancel (self->columns_cancellable);
  g_clear_object (&self->columns_cancellable);
  self->columns_run++;

  dbw_template_tester_set_sheet (self->tester, sheet);
  if (sheet == NULL || store == NULL)
    {
      self->loading_columns = FALSE;
      dbw_template_editor_set_columns (self->editor, NULL, NULL, NULL);
      return;
    }

  self->loading_columns = TRUE;
  self->columns_cancellable = g_cancellable_new ();
  job = g_new0 (ColumnsJob, 1);
  job->file = g_object_ref (dbw_store_get_file (store));
  job->sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (sheet)));

  task = g_task_new (NULL, self->columns_cancellable, columns_cb, g_object_ref (self));
  g_task_set_source_tag (task, (gpointer) columns_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) columns_job_free);
  g_object_set_data (G_OBJECT (task), "dbw-run", GUINT_TO_POINTER (self->columns_run));
  g_task_run_in_thread (task, columns_thread);
}

typedef struct
{
  GFile     *file;
  char      *prompt;
  GPtrArray *sheet_ids;   /* the chosen sheet first */
} FitJob;

static void
fit_job_free (FitJob *job)
{
  g_object_unref (job->file);
  g_free (job->prompt);
  g_ptr_array_unref (job->sheet_ids);
  g_free (job);
}

static const char fit_tag[] = "dbw-templates-page-fit";

/* The first sheet with items that all the prompt's variables have a value in; NULL when
 * the chosen sheet has, or none has. */
static void
fit_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FitJob *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  GError *error = NULL;

  store = dbw_store_open (job->file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < job->sheet_ids->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *sheet_id = g_ptr_array_index (job->sheet_ids, i);
      g_autoptr(GPtrArray) contexts = dbw_sheet_ops_sample_contexts (store, sheet_id, DBW_SHEET_OPS_FIT_SAMPLE, NULL);
      g_auto(GStrv) unmatched = NULL;

      if (contexts == NULL || contexts->len == 0)
        continue;
      unmatched = dbw_prompt_unmatched_variables (job->prompt, contexts, NULL);
      if (unmatched != NULL && unmatched[0] == NULL)
        {
          dbw_store_close (store);
          g_task_return_pointer (task, i > 0 ? g_strdup (sheet_id) : NULL, g_free);
          return;
        }
    }

  dbw_store_close (store);
  g_task_return_pointer (task, NULL, g_free);
}

static void
fit_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(DbwTemplatesPage) self = user_data;
  g_autofree char *sheet_id = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  sheet_id = g_task_propagate_pointer (G_TASK (result), &error);
  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "dbw-run")) != self->fit_run)
    return;

  g_clear_object (&self->fit_cancellable);
  if (error != NULL)
    g_message ("Could not try the template on the sheets: %s", error->message);
  /* Held by the check, the page may have left its window. */
  if (sheet_id == NULL || self->sheet_chosen || self->sheets == NULL || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  position = sheet_position (self, sheet_id);
  if (position == G_MAXUINT)
    return;

  self->choosing_sheet = TRUE;
  gtk_drop_down_set_selected (self->sheet_dropdown, position);
  self->choosing_sheet = FALSE;
}

static void
cancel_fit (DbwTemplatesPage *self)
{
  g_cancellable_cancel (self->fit_cancellable);
  g_clear_object (&self->fit_cancellable);
  self->fit_run++;
}

/* Tries @tmpl on the chosen sheet, then on the others, unless the user picked the sheet. */
static void
fit_sheet (DbwTemplatesPage *self,
           DbwTemplate      *tmpl)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwSheet *chosen = gtk_drop_down_get_selected_item (self->sheet_dropdown);
  g_autoptr(GTask) task = NULL;
  FitJob *job;

  cancel_fit (self);
  if (self->sheet_chosen || store == NULL || self->sheets == NULL || chosen == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (self->sheets)) < 2)
    return;

  job = g_new0 (FitJob, 1);
  job->file = g_object_ref (dbw_store_get_file (store));
  job->prompt = g_strdup (dbw_template_get_user_prompt_template (tmpl));
  job->sheet_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (job->sheet_ids, g_strdup (dbw_record_get_id (DBW_RECORD (chosen))));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sheets)); i++)
    {
      g_autoptr(DbwSheet) sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      if (!g_str_equal (dbw_record_get_id (DBW_RECORD (sheet)), dbw_record_get_id (DBW_RECORD (chosen))))
        g_ptr_array_add (job->sheet_ids, g_strdup (dbw_record_get_id (DBW_RECORD (sheet))));
    }

  self->fit_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->fit_cancellable, fit_cb, g_object_ref (self));
  g_task_set_source_tag (task, (gpointer) fit_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) fit_job_free);
  g_object_set_data (G_OBJECT (task), "dbw-run", GUINT_TO_POINTER (self->fit_run));
  g_task_run_in_thread (task, fit_thread);
}

static void
update_sheet_chooser (DbwTemplatesPage *self)
{
  gboolean has_sheets = self->sheets != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sheets)) > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->sheet_dropdown), has_sheets);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sheet_dropdown),
                               has_sheets ? _("The sheet whose columns the prompts use, and whose items tests take")
                                          : _("No sheets yet: import data in the Data stage first"));
}

/* Actions */

static char *
unique_name (DbwTemplatesPage *self,
             const char       *base)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(GPtrArray) all = dbw_template_ops_list_library (store, NULL, -1, -1, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  char *name = g_strdup (base);

  for (guint i = 0; all != NULL && i < all->len; i++)
    g_hash_table_add (names, (gpointer) dbw_template_get_name (g_ptr_array_index (all, i)));

  for (guint n = 2; g_hash_table_contains (names, name); n++)
    {
      g_free (name);
      /* Translators: a name made unique, "Untitled Template 2" */
      name = g_strdup_printf (_("%s %u"), base, n);
    }

  return name;
}

static void
clear_filters (DbwTemplatesPage *self)
{
  self->clearing_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->label_type_filter, 0);
  gtk_drop_down_set_selected (self->status_filter, 0);
  self->clearing_filters = FALSE;
  reload_library (self);
}

static void
focus_name (DbwTemplatesPage *self)
{
  GtkWidget *name = dbw_template_editor_get_field_widget (self->editor, "name");

  adw_view_stack_set_visible_child_name (self->view_stack, "edit");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_stack));
  gtk_widget_grab_focus (name);
  gtk_editable_select_region (GTK_EDITABLE (name), 0, -1);
}

static void
new_after_ask (DbwTemplatesPage *self,
               gpointer          data)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(DbwTemplate) fields = dbw_template_new ();
  g_autoptr(DbwTemplate) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int label_type = filter_value (self->label_type_filter);

  if (store == NULL)
    return;

  name = unique_name (self, _("Untitled Template"));
  dbw_template_set_name (fields, name);
  dbw_template_set_label_type (fields, label_type >= 0 ? label_type : DBW_LABEL_TYPE_CLASSIFICATION);
  dbw_template_set_input_schema (fields, "{}");
  dbw_template_set_output_schema (fields, "{}");
  dbw_template_set_examples (fields, "[]");
  dbw_template_set_max_tokens (fields, 1024);

  /* The new draft must show in the list. */
  clear_filters (self);

  created = dbw_template_ops_create (store, fields, &error);
  if (created == NULL)
    {
      show_error (self, _("Could Not Make a Template"), error);
      return;
    }

  open_template (self, created);
  focus_name (self);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  ask_then (DBW_TEMPLATES_PAGE (widget), new_after_ask, NULL, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(DbwTemplate) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || !dbw_template_editor_get_modified (self->editor))
    return;

  stored = save_edits (self, store, &error);
  if (stored == NULL)
    {
      show_error (self, _("Could Not Save the Template"), error);
      focus_field_of_error (self, error);
    }
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  g_autoptr(DbwTemplate) published = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *title = NULL;
  GtkWidget *field = NULL;

  if (store == NULL || current_template (self) == NULL)
    return;

  /* A published version never changes: it must be right first. */
  problem = dbw_template_editor_dup_first_error (self->editor, &field);
  if (problem != NULL)
    {
      g_autoptr(GError) invalid = g_error_new_literal (DBW_TEMPLATE_ERROR, DBW_TEMPLATE_ERROR_INVALID, problem);

      show_error (self, _("The Template Cannot Be Published Yet"), invalid);
      adw_view_stack_set_visible_child_name (self->view_stack, "edit");
      if (field != NULL)
        gtk_widget_grab_focus (field);
      return;
    }

  if (dbw_template_editor_get_modified (self->editor))
    {
      g_autoptr(DbwTemplate) stored = save_edits (self, store, &error);

      if (stored == NULL)
        {
          show_error (self, _("Could Not Save the Template"), error);
          focus_field_of_error (self, error);
          return;
        }
    }

  published = dbw_template_ops_publish (store, dbw_record_get_id (DBW_RECORD (current_template (self))), &error);
  if (published == NULL)
    {
      show_error (self, _("Could Not Publish the Template"), error);
      focus_field_of_error (self, error);
      return;
    }

  open_template (self, published);
  title = g_strdup_printf (_("Version %" G_GINT64_FORMAT " of “%s” is published"),
                           dbw_template_get_version (published), dbw_template_get_name (published));
  show_toast (self, title);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     DbwTemplatesPage *self)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  const char *id = g_object_get_data (G_OBJECT (dialog), "template-row-id");
  g_autoptr(GError) error = NULL;

  if (store == NULL || id == NULL)
    return;

  if (g_str_equal (response, "archive"))
    {
      g_autoptr(DbwTemplate) archived = dbw_template_ops_archive (store, id, &error);

      if (archived == NULL)
        show_error (self, _("Could Not Archive the Template"), error);
      else if (current_template (self) != NULL &&
               g_str_equal (dbw_record_get_id (DBW_RECORD (current_template (self))), id))
        open_template (self, archived);
    }
  else if (g_str_equal (response, "delete"))
    {
      if (!dbw_template_ops_discard (store, id, &error))
        show_error (self, _("Could Not Delete the Draft"), error);
    }
}

static void
confirm (DbwTemplatesPage *self,
         DbwTemplate      *tmpl,
         const char       *heading,
         const char       *body,
         const char       *response,
         const char       *label)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), heading, body));

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    response, label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "template-row-id",
                          g_strdup (dbw_record_get_id (DBW_RECORD (tmpl))), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);
  g_autoptr(DbwTemplate) tmpl = dup_archivable (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (tmpl == NULL)
    return;

  heading = g_strdup_printf (_("Archive “%s”?"), dbw_template_get_name (tmpl));
  body = g_strdup_printf (_("Version %" G_GINT64_FORMAT " will no longer be offered in Generate. It stays in the history, with the training sheets made with it, and editing it starts a new draft."),
                          dbw_template_get_version (tmpl));
  confirm (self, tmpl, heading, body, "archive", _("_Archive"));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);
  DbwTemplate *tmpl = current_template (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (tmpl == NULL)
    return;

  if (dbw_template_get_version (tmpl) == 1)
    {
      heading = g_strdup_printf (_("Delete “%s”?"), dbw_template_get_name (tmpl));
      body = g_strdup (_("The template has never been published. It is deleted for good, with any changes not saved."));
    }
  else
    {
      heading = g_strdup_printf (_("Delete Draft Version %" G_GINT64_FORMAT "?"), dbw_template_get_version (tmpl));
      body = g_strdup_printf (_("The draft is deleted for good, with any changes not saved. Version %" G_GINT64_FORMAT " stays as it is."),
                              dbw_template_get_version (tmpl) - 1);
    }
  confirm (self, tmpl, heading, body, "delete", _("_Delete"));
}

static void
duplicate_after_ask (DbwTemplatesPage *self,
                     gpointer          data)
{
  DbwStore *store = dbw_page_get_store (DBW_PAGE (self));
  DbwTemplate *tmpl = current_template (self);
  g_autoptr(DbwTemplate) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  if (store == NULL || tmpl == NULL)
    return;

  /* Translators: the name of a duplicated template, "Dose check (Copy)" */
  base = g_strdup_printf (_("%s (Copy)"), dbw_template_get_name (tmpl));
  name = unique_name (self, base);
  copy = dbw_template_ops_duplicate (store, dbw_record_get_id (DBW_RECORD (tmpl)), name, &error);
  if (copy == NULL)
    {
      show_error (self, _("Could Not Duplicate the Template"), error);
      return;
    }

  clear_filters (self);
  open_template (self, copy);
  focus_name (self);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ask_then (DBW_TEMPLATES_PAGE (widget), duplicate_after_ask, NULL, NULL);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);

  dbw_template_editor_revert (self->editor);
  update (self);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);
  g_autoptr(DbwTemplate) edited = NULL;

  if (current_template (self) == NULL)
    return;

  edited = dbw_template_editor_dup_edited (self->editor);
  adw_view_stack_set_visible_child_name (self->view_stack, "test");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_stack));
  dbw_template_tester_run (self->tester, edited);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  clear_filters (DBW_TEMPLATES_PAGE (widget));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->library_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Overrides */

static void
watch_store (DbwTemplatesPage *self,
             DbwStore         *store)
{
  if (self->watched_store != NULL)
    g_clear_signal_handler (&self->store_changed_handler, self->watched_store);
  g_clear_object (&self->watched_store);

  if (store != NULL)
    {
      self->watched_store = g_object_ref (store);
      self->store_changed_handler =
        g_signal_connect_object (store, "changed::templates", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

static void
dbw_templates_page_store_changed (DbwPage *page)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);
  g_autoptr(GError) error = NULL;

  save_before_leaving (self);
  watch_store (self, store);

  /* Another project: its sheets are not yet the user's pick. */
  cancel_fit (self);
  self->sheet_chosen = FALSE;
  g_clear_pointer (&self->last_sheet_id, g_free);
  self->choosing_sheet = TRUE;
  gtk_drop_down_set_model (self->sheet_dropdown, NULL);
  if (self->sheets != NULL)
    g_signal_handlers_disconnect_by_data (self->sheets, self);
  g_clear_object (&self->sheets);
  if (store != NULL)
    {
      self->sheets = dbw_query_model_new (store, DBW_TYPE_SHEET);
      if (!dbw_query_model_set_current_only (self->sheets, TRUE, &error))
        g_warning ("Could not list the sheets: %s", error->message);
    }
  gtk_drop_down_set_model (self->sheet_dropdown, self->sheets != NULL ? G_LIST_MODEL (self->sheets) : NULL);
  self->choosing_sheet = FALSE;
  if (self->sheets != NULL)
    g_signal_connect_object (self->sheets, "items-changed", G_CALLBACK (update_sheet_chooser), self, G_CONNECT_SWAPPED);
  update_sheet_chooser (self);

  dbw_template_tester_set_store (self->tester, store);
  dbw_template_editor_set_editable (self->editor, !dbw_page_is_read_only (page));
  open_template (self, NULL);
  adw_view_stack_set_visible_child_name (self->view_stack, "edit");
  reload_library (self);
  on_sheet_selected_cb (self);
}

/* The edit as typed, with the stored version it was made on: another save of that version
 * (here, in the command line, or pulled from the workspace) wins over the draft. */
static JsonObject *
dbw_templates_page_dup_draft (DbwPage *page)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (page);
  DbwTemplate *tmpl = current_template (self);
  JsonObject *draft;

  if (tmpl == NULL || !dbw_template_editor_get_modified (self->editor))
    return NULL;

  draft = json_object_new ();
  json_object_set_string_member (draft, "template", dbw_record_get_id (DBW_RECORD (tmpl)));
  json_object_set_member (draft, "base", dbw_record_to_json (DBW_RECORD (tmpl)));
  json_object_set_member (draft, "fields", dbw_template_editor_dup_draft (self->editor));

  return draft;
}

static void
dbw_templates_page_restore_draft (DbwPage    *page,
                                  JsonObject *draft)
{
  DbwTemplatesPage *self = DBW_TEMPLATES_PAGE (page);
  DbwStore *store = dbw_page_get_store (page);
  g_autoptr(DbwTemplate) base = NULL;
  g_autoptr(DbwTemplate) stored = NULL;
  g_autofree char *title = NULL;
  JsonNode *base_node;
  JsonNode *fields;
  gboolean changed;

  base_node = json_object_get_member (draft, "base");
  fields = json_object_get_member (draft, "fields");
  if (base_node == NULL || fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields) ||
      (base = dbw_record_new_from_json (DBW_TYPE_TEMPLATE, base_node, NULL)) == NULL)
    return;

  /* The edit is put back on its version even when that was published or archived since
   * (saving it then makes the next draft); on the newest version if it was discarded. */
  stored = dbw_store_get (store, DBW_TYPE_TEMPLATE, json_object_get_string_member_with_default (draft, "template", ""), NULL);
  if (stored == NULL && dbw_template_get_template_id (base) != NULL)
    stored = dbw_template_ops_find_newest (store, dbw_template_get_template_id (base), NULL);
  if (stored == NULL)
    {
      show_toast (self, _("Changes to a template that were not saved could not be restored: the template was deleted since"));
      dbw_page_draft_changed (page);
      return;
    }
  changed = g_strcmp0 (dbw_record_get_id (DBW_RECORD (stored)), dbw_record_get_id (DBW_RECORD (base))) != 0 ||
            !dbw_template_ops_same_content (stored, base);

  open_template (self, stored);
  adw_view_stack_set_visible_child_name (self->view_stack, "edit");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->editor_stack));
  dbw_template_editor_restore_draft (self->editor, json_node_get_object (fields));
  if (changed)
    /* Translators: %s is a Prompt Template's name */
    title = g_strdup_printf (_("Your changes to “%s”, not saved yet, are back; the template was changed since, so check them before saving"),
                             dbw_template_get_name (stored));
  else
    /* Translators: %s is a Prompt Template's name */
    title = g_strdup_printf (_("Your changes to “%s”, not saved yet, are back"), dbw_template_get_name (stored));
  show_toast (self, title);
}

static void
dbw_templates_page_dispose (GObject *object)
{
  DbwTemplatesPage *self = (DbwTemplatesPage *)object;

  save_before_leaving (self);
  watch_store (self, NULL);
  g_cancellable_cancel (self->columns_cancellable);
  g_clear_object (&self->columns_cancellable);
  self->columns_run++;
  cancel_fit (self);
  g_clear_pointer (&self->last_sheet_id, g_free);

  /* DbwPage disconnects the widgets; the selection outlives them. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_data (self->leaflet, self);
  if (self->sheet_dropdown != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sheet_dropdown, self);
      gtk_drop_down_set_model (self->sheet_dropdown, NULL);
    }

  G_OBJECT_CLASS (dbw_templates_page_parent_class)->dispose (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->library);
  g_clear_object (&self->sheets);
}

static void
dbw_templates_page_class_init (DbwTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DbwPageClass *page_class = DBW_PAGE_CLASS (klass);

  object_class->dispose = dbw_templates_page_dispose;
  page_class->store_changed = dbw_templates_page_store_changed;
  page_class->dup_draft = dbw_templates_page_dup_draft;
  page_class->restore_draft = dbw_templates_page_restore_draft;

  g_type_ensure (DBW_TYPE_TEMPLATE_ROW);
  g_type_ensure (DBW_TYPE_TEMPLATE_EDITOR);
  g_type_ensure (DBW_TYPE_TEMPLATE_TESTER);
  g_type_ensure (DBW_TYPE_TEMPLATE_HISTORY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, library_pane);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, label_type_filter);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, library_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, status_badge);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, sheet_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, editor);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, tester);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplatesPage, history);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "templates.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "templates.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "templates.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "templates.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "templates.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "templates.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "templates.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "templates.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "templates.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "templates.focus-search", NULL, focus_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "templates.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "templates.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "templates.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "templates.test", NULL);
}

static void
dbw_templates_page_init (DbwTemplatesPage *self)
{
  g_autoptr(GtkStringList) label_types = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) sheet_name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (label_types, _("All Label Types"));
  for (int i = DBW_LABEL_TYPE_CLASSIFICATION; i <= DBW_LABEL_TYPE_OBJECT_DETECTION; i++)
    gtk_string_list_append (label_types, dbw_label_type_describe (i));
  gtk_drop_down_set_model (self->label_type_filter, G_LIST_MODEL (label_types));

  gtk_string_list_append (statuses, _("All Statuses"));
  for (int i = DBW_TEMPLATE_STATUS_DRAFT; i <= DBW_TEMPLATE_STATUS_ARCHIVED; i++)
    gtk_string_list_append (statuses, dbw_template_status_describe (i));
  gtk_drop_down_set_model (self->status_filter, G_LIST_MODEL (statuses));

  sheet_name = gtk_property_expression_new (DBW_TYPE_SHEET, NULL, "name");
  gtk_drop_down_set_expression (self->sheet_dropdown, sheet_name);

  self->library = g_list_store_new (DBW_TYPE_TEMPLATE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->library)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed_cb), self);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (on_list_activate_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_leaflet_changed_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::visible-child", G_CALLBACK (on_leaflet_changed_cb), self);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_filters_changed_cb), self);
  g_signal_connect_swapped (self->label_type_filter, "notify::selected", G_CALLBACK (on_filters_changed_cb), self);
  g_signal_connect_swapped (self->status_filter, "notify::selected", G_CALLBACK (on_filters_changed_cb), self);
  g_signal_connect_swapped (self->sheet_dropdown, "notify::selected-item", G_CALLBACK (on_sheet_selected_cb), self);
  g_signal_connect_object (self->editor, "notify::modified", G_CALLBACK (on_editor_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "changed", G_CALLBACK (on_editor_edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::template", G_CALLBACK (on_editor_changed_cb), self, G_CONNECT_SWAPPED);

  update (self);
}

GListModel *
dbw_templates_page_get_library (DbwTemplatesPage *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), NULL);

  return G_LIST_MODEL (self->library);
}

/* Selects a row of the library as a click does (asking about unsaved edits first). */
gboolean
dbw_templates_page_select_template (DbwTemplatesPage *self,
                                    guint             position)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), FALSE);

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->library)))
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

void
dbw_templates_page_set_search (DbwTemplatesPage *self,
                               const char       *text)
{
  g_return_if_fail (DBW_IS_TEMPLATES_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports a search after a delay; do not wait for it. */
  reload_library (self);
}

/**
 * dbw_templates_page_set_filters:
 * @label_type: a #DbwLabelType, or -1 for all
 * @status: a #DbwTemplateStatus, or -1 for all
 */
void
dbw_templates_page_set_filters (DbwTemplatesPage *self,
                                int               label_type,
                                int               status)
{
  g_return_if_fail (DBW_IS_TEMPLATES_PAGE (self));

  gtk_drop_down_set_selected (self->label_type_filter, label_type + 1);
  gtk_drop_down_set_selected (self->status_filter, status + 1);
}

gboolean
dbw_templates_page_select_sheet (DbwTemplatesPage *self,
                                 const char       *name)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), FALSE);

  for (guint i = 0; self->sheets != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->sheets)); i++)
    {
      g_autoptr(DbwSheet) sheet = g_list_model_get_item (G_LIST_MODEL (self->sheets), i);

      if (g_str_equal (dbw_sheet_get_name (sheet), name))
        {
          gtk_drop_down_set_selected (self->sheet_dropdown, i);
          return TRUE;
        }
    }

  return FALSE;
}

/* Whether the sheet for the template is still being chosen, or its column names read. */
gboolean
dbw_templates_page_get_loading_columns (DbwTemplatesPage *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), FALSE);

  return self->loading_columns || self->fit_cancellable != NULL;
}

void
dbw_templates_page_show_view (DbwTemplatesPage *self,
                              const char       *name)
{
  g_return_if_fail (DBW_IS_TEMPLATES_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

const char *
dbw_templates_page_get_visible_view (DbwTemplatesPage *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

DbwTemplateEditor *
dbw_templates_page_get_editor (DbwTemplatesPage *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), NULL);

  return self->editor;
}

DbwTemplateTester *
dbw_templates_page_get_tester (DbwTemplatesPage *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), NULL);

  return self->tester;
}

DbwTemplateHistory *
dbw_templates_page_get_history (DbwTemplatesPage *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATES_PAGE (self), NULL);

  return self->history;
}
