/* dbw-preferences-window.c
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

#define G_LOG_DOMAIN "dbw-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "dbw-databricks.h"
#include "dbw-databricks-config.h"
#include "dbw-preferences-window.h"
#include "dbw-secrets.h"
#include "dbw-workspace.h"
#include "dbw-widget-util.h"

/* Settings are GSettings, applied as typed. Tokens are written to the keyring when the user
 * applies them and are never shown again nor kept anywhere else. */

struct _DbwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;

  AdwEntryRow          *labeler_row;
  AdwEntryRow          *host_row;
  AdwPasswordEntryRow  *databricks_token_row;
  AdwEntryRow          *warehouse_row;
  AdwEntryRow          *catalog_schema_row;
  AdwEntryRow          *llm_url_row;
  AdwEntryRow          *llm_model_row;
  AdwPasswordEntryRow  *llm_token_row;
  AdwEntryRow          *embedding_row;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
  GCancellable         *test_cancellable;
};

G_DEFINE_FINAL_TYPE (DbwPreferencesWindow, dbw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  DbwPreferencesWindow *self;
  AdwPasswordEntryRow  *row;
  char                 *title;
} TokenOp;

static void
token_op_free (TokenOp *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->row);
  g_free (op->title);
  g_free (op);
}

static void
mark_saved (AdwPasswordEntryRow *row,
            const char          *title,
            gboolean             saved)
{
  g_autofree char *text = NULL;

  /* Translators: a preferences row title, e.g. "Access Token (in the keyring)" */
  text = saved ? g_strdup_printf (_("%s (in the keyring)"), title) : g_strdup (title);
  /* User text: a row reads its title and subtitle as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TokenOp *op = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = dbw_secret_lookup_finish (result, &error);

  if (error != NULL)
    g_debug ("Keyring not available: %s", error->message);
  else
    mark_saved (op->row, op->title, secret != NULL);

  if (secret != NULL)
    secret_password_free (secret);
  token_op_free (op);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TokenOp *op = user_data;
  g_autoptr(GError) error = NULL;

  if (!dbw_secret_store_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the token in the keyring: %s"), error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (op->self), dbw_toast_new_text (message));
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (op->row), "");
      mark_saved (op->row, op->title, TRUE);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (op->self),
                                        adw_toast_new (_("Token saved in the keyring")));
    }

  token_op_free (op);
}

static TokenOp *
token_op_new (DbwPreferencesWindow *self,
              AdwPasswordEntryRow  *row)
{
  TokenOp *op = g_new0 (TokenOp, 1);

  op->self = g_object_ref (self);
  op->row = g_object_ref (row);
  op->title = g_strdup (g_object_get_data (G_OBJECT (row), "base-title"));

  return op;
}

static const char *
account_for (DbwPreferencesWindow *self,
             AdwPasswordEntryRow  *row)
{
  if (row == self->databricks_token_row)
    return gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  return gtk_editable_get_text (GTK_EDITABLE (self->llm_url_row));
}

static DbwSecretKind
kind_for (DbwPreferencesWindow *self,
          AdwPasswordEntryRow  *row)
{
  return row == self->databricks_token_row ? DBW_SECRET_DATABRICKS_TOKEN : DBW_SECRET_LLM_TOKEN;
}

static void
refresh_token_state (DbwPreferencesWindow *self,
                     AdwPasswordEntryRow  *row)
{
  const char *account = account_for (self, row);

  mark_saved (row, g_object_get_data (G_OBJECT (row), "base-title"), FALSE);

  if (account[0] == '\0')
    return;

  dbw_secret_lookup_async (kind_for (self, row), account, self->cancellable,
                           lookup_cb, token_op_new (self, row));
}

static void
on_token_apply_cb (DbwPreferencesWindow *self,
                   AdwPasswordEntryRow  *row)
{
  const char *account = account_for (self, row);
  const char *token = gtk_editable_get_text (GTK_EDITABLE (row));

  if (account[0] == '\0')
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (row == self->databricks_token_row
                                                       ? _("Enter the workspace host first")
                                                       : _("Enter the endpoint URL first")));
      return;
    }

  if (token[0] == '\0')
    return;

  dbw_secret_store_async (kind_for (self, row), account, token, self->cancellable,
                          store_cb, token_op_new (self, row));
}

static void
on_account_changed_cb (DbwPreferencesWindow *self,
                       GtkEditable          *editable)
{
  if (editable == GTK_EDITABLE (self->host_row))
    refresh_token_state (self, self->databricks_token_row);
  else
    refresh_token_state (self, self->llm_token_row);
}

/* Test Connection: the workspace found as everything else finds it (dbw-workspace.c), with
 * the host as typed, then one request to sign in and one about the warehouse. */

static void
show_test_result (DbwPreferencesWindow *self,
                  const char           *message,
                  gboolean              ok)
{
  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->test_row), FALSE);
  adw_action_row_set_subtitle (self->test_row, message);
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
    }
}

static void
test_connection_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DbwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *message = NULL;

  message = dbw_databricks_test_connection_finish (DBW_DATABRICKS (object), result, &state, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  show_test_result (self, message != NULL ? message : error->message, message != NULL);
}

static void
test_client_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DbwPreferencesWindow) self = user_data;
  g_autoptr(DbwDatabricks) client = NULL;
  g_autoptr(GError) error = NULL;

  client = dbw_workspace_connect_finish (result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (client == NULL)
    {
      show_test_result (self, error->message, FALSE);
      return;
    }

  dbw_databricks_test_connection_async (client, gtk_editable_get_text (GTK_EDITABLE (self->warehouse_row)),
                                        self->test_cancellable, test_connection_cb, g_object_ref (self));
}

static void
on_test_clicked_cb (DbwPreferencesWindow *self,
                    GtkButton            *button)
{
  dbw_preferences_window_test_connection (self);
}

/**
 * dbw_preferences_window_test_connection:
 *
 * Does what the Test button does; the result shows in the row and in
 * dbw_preferences_window_get_connection_status().
 */
void
dbw_preferences_window_test_connection (DbwPreferencesWindow *self)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  adw_action_row_set_subtitle (self->test_row, _("Connecting…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  gtk_spinner_start (self->test_spinner);

  dbw_workspace_connect_async (host, self->test_cancellable, test_client_cb, g_object_ref (self));
}

static void
dbw_preferences_window_dispose (GObject *object)
{
  DbwPreferencesWindow *self = (DbwPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (dbw_preferences_window_parent_class)->dispose (object);
}

static void
dbw_preferences_window_finalize (GObject *object)
{
  DbwPreferencesWindow *self = (DbwPreferencesWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);

  G_OBJECT_CLASS (dbw_preferences_window_parent_class)->finalize (object);
}

static void
dbw_preferences_window_class_init (DbwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_preferences_window_dispose;
  object_class->finalize = dbw_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, labeler_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, host_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, databricks_token_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, warehouse_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, catalog_schema_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, llm_url_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, llm_model_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, llm_token_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, embedding_row);
  gtk_widget_class_bind_template_callback (widget_class, on_token_apply_cb);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwPreferencesWindow, test_button);
  gtk_widget_class_bind_template_callback (widget_class, on_account_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
}

static void
dbw_preferences_window_init (DbwPreferencesWindow *self)
{
  static const struct { const char *key; gsize offset; } bindings[] = {
    { "labeler-name", G_STRUCT_OFFSET (DbwPreferencesWindow, labeler_row) },
    { "databricks-host", G_STRUCT_OFFSET (DbwPreferencesWindow, host_row) },
    { "sql-warehouse-id", G_STRUCT_OFFSET (DbwPreferencesWindow, warehouse_row) },
    { "catalog-schema", G_STRUCT_OFFSET (DbwPreferencesWindow, catalog_schema_row) },
    { "llm-endpoint-url", G_STRUCT_OFFSET (DbwPreferencesWindow, llm_url_row) },
    { "llm-model", G_STRUCT_OFFSET (DbwPreferencesWindow, llm_model_row) },
    { "embedding-endpoint", G_STRUCT_OFFSET (DbwPreferencesWindow, embedding_row) },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_settings_bind (self->settings, bindings[i].key,
                     G_STRUCT_MEMBER (GObject *, self, bindings[i].offset), "text",
                     G_SETTINGS_BIND_DEFAULT);

  g_object_set_data_full (G_OBJECT (self->databricks_token_row), "base-title",
                          g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->databricks_token_row))), g_free);
  g_object_set_data_full (G_OBJECT (self->llm_token_row), "base-title",
                          g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->llm_token_row))), g_free);

  refresh_token_state (self, self->databricks_token_row);
  refresh_token_state (self, self->llm_token_row);
}

DbwPreferencesWindow *
dbw_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (DBW_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

/**
 * dbw_preferences_window_get_connection_status:
 *
 * Returns: (nullable): what the last connection test found, or %NULL while one runs
 */
const char *
dbw_preferences_window_get_connection_status (DbwPreferencesWindow *self)
{
  g_return_val_if_fail (DBW_IS_PREFERENCES_WINDOW (self), NULL);

  if (gtk_spinner_get_spinning (self->test_spinner))
    return NULL;

  return adw_action_row_get_subtitle (self->test_row);
}
