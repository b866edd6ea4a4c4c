/* dbw-sync-indicator.c
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

#define G_LOG_DOMAIN "dbw-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-page.h"
#include "dbw-sync-indicator.h"

/* The project's sync state in the header bar: an icon and a word or two, and in its
 * popover the linked schema, what happened last, and what to do about it. The buttons
 * only name window actions; the window owns the service. Without a service it hides, or,
 * given a problem (Databricks half set up, or refusing), says so and points to
 * Preferences. */

struct _DbwSyncIndicator
{
  GtkWidget       parent_instance;

  DbwSyncService *service;
  char           *problem;
  char           *target;
  gulong          notify_handler;

  GtkMenuButton  *button;
  GtkSpinner     *spinner;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkPopover     *popover;
  GtkLabel       *title_label;
  GtkLabel       *target_label;
  GtkLabel       *details_label;
  GtkLabel       *conflicts_label;
  GtkButton      *sync_button;
  GtkButton      *unlink_button;
  GtkButton      *link_button;
  GtkButton      *preferences_button;
};

G_DEFINE_FINAL_TYPE (DbwSyncIndicator, dbw_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The last successful pull, in the workspace's clock, as the user reads a time. */
static char *
format_last_sync (DbwSyncService *service)
{
  DbwSyncJournal *journal = dbw_sync_service_get_journal (service);
  g_autofree char *watermark = journal != NULL ? dbw_sync_journal_dup_watermark (journal) : NULL;
  g_autoptr(GDateTime) time = watermark != NULL ? g_date_time_new_from_iso8601 (watermark, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    {
      text = g_date_time_format (local, "%R");
      /* Translators: %s is a time of day, e.g. "14:02" */
      return g_strdup_printf (_("Last synced today at %s."), text);
    }

  text = g_date_time_format (local, "%x");
  /* Translators: %s is a date */
  return g_strdup_printf (_("Last synced on %s."), text);
}

static gint64
count_conflicts (DbwSyncService *service)
{
  DbwSyncJournal *journal = dbw_sync_service_get_journal (service);

  return journal != NULL ? MAX (0, dbw_sync_journal_count_flagged (journal, NULL)) : 0;
}

static void
update (DbwSyncIndicator *self)
{
  DbwSyncState state = DBW_SYNC_STATE_UNLINKED;
  const char *message = NULL;
  const char *icon_name = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *details = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *target_markup = NULL;
  g_autofree char *accessible = NULL;
  gboolean linked;

  if (self->service != NULL)
    {
      state = dbw_sync_service_get_state (self->service);
      message = dbw_sync_service_get_message (self->service);
    }
  linked = self->service != NULL && state != DBW_SYNC_STATE_UNLINKED;

  if (self->service == NULL)
    {
      summary = g_strdup (_("Not Synced"));
      title = g_strdup (_("Databricks Is Not Set Up"));
      details = g_strdup_printf ("%s%s%s", self->problem ? self->problem : "", self->problem ? "\n\n" : "",
                                 _("To sync this project, set up a Databricks workspace and SQL warehouse in Preferences."));
      tooltip = g_strdup (_("Not synced with a Databricks workspace"));
    }
  else
    {
      switch (state)
        {
        case DBW_SYNC_STATE_UNLINKED:
          summary = g_strdup (_("Not Synced"));
          title = g_strdup (_("Not Linked"));
          details = g_strdup (_("Link this project to a schema in your Databricks workspace to keep a copy there and share it with others linked to the same schema."));
          tooltip = g_strdup (_("Not linked to a Databricks workspace"));
          break;

        case DBW_SYNC_STATE_SYNCED:
          icon_name = "emblem-ok-symbolic";
          summary = g_strdup (_("Synced"));
          title = g_strdup (_("Synced"));
          details = format_last_sync (self->service);
          if (details == NULL)
            details = g_strdup (_("Every change is synced."));
          tooltip = g_strdup_printf (_("Synced with %s"), self->target ? self->target : "");
          break;

        case DBW_SYNC_STATE_PENDING:
          {
            gint64 n = dbw_sync_service_get_n_pending (self->service);
            g_autofree char *count = dbw_format_count (n);

            icon_name = "emblem-synchronizing-symbolic";
            /* Translators: a short header bar label: changes waiting to be synced, e.g. "1,577 Pending" */
            summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s Pending", "%s Pending", n), count);
            title = g_strdup (_("Changes Waiting"));
            details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s change waits to be sent to the workspace.",
                                                    "%s changes wait to be sent to the workspace.", n), count);
            tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s change waits to be synced",
                                                    "%s changes wait to be synced", n), count);
          }
          break;

        case DBW_SYNC_STATE_SYNCING:
          summary = g_strdup (_("Syncing…"));
          title = g_strdup (_("Syncing"));
          details = g_strdup (_("Sending changes to the workspace and fetching others’ changes."));
          tooltip = g_strdup_printf (_("Syncing with %s"), self->target ? self->target : "");
          break;

        case DBW_SYNC_STATE_OFFLINE:
          icon_name = "network-offline-symbolic";
          summary = g_strdup (_("Offline"));
          title = g_strdup (_("Workspace Unreachable"));
          details = g_strdup_printf ("%s%s%s", message ? message : "", message ? "\n\n" : "",
                                     _("Changes are kept in the project and sent when the workspace can be reached. Syncing is retried automatically."));
          tooltip = g_strdup (_("Offline: the workspace cannot be reached"));
          break;

        case DBW_SYNC_STATE_ERROR:
        default:
          icon_name = "dialog-error-symbolic";
          summary = g_strdup (_("Sync Error"));
          title = g_strdup (_("Sync Failed"));
          details = g_strdup (message ? message : _("The workspace refused to sync."));
          tooltip = g_strdup_printf (_("Sync failed: %s"), details);
          break;
        }
    }

  /* Nothing to say to someone who does not use Databricks at all. */
  gtk_widget_set_visible (GTK_WIDGET (self), self->service != NULL || self->problem != NULL);
  gtk_spinner_set_spinning (self->spinner, state == DBW_SYNC_STATE_SYNCING);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), state == DBW_SYNC_STATE_SYNCING);
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), icon_name != NULL);
  gtk_label_set_label (self->label, summary);
  if (linked)
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
  if (state == DBW_SYNC_STATE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);

  gtk_label_set_label (self->title_label, title);
  if (linked && self->target != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (self->target, -1);

      /* Translators: %s is the workspace schema, e.g. "main.plant" */
      target_markup = g_strdup_printf (_("Linked to <b>%s</b>"), escaped);
    }
  gtk_label_set_markup (self->target_label, target_markup ? target_markup : "");
  gtk_widget_set_visible (GTK_WIDGET (self->target_label), target_markup != NULL);
  gtk_label_set_label (self->details_label, details);

  gtk_button_set_label (self->sync_button,
                        state == DBW_SYNC_STATE_OFFLINE || state == DBW_SYNC_STATE_ERROR ? _("_Retry") : _("_Sync Now"));
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), linked);
  gtk_widget_set_visible (GTK_WIDGET (self->unlink_button), linked);
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), self->service != NULL && !linked);
  gtk_widget_set_visible (GTK_WIDGET (self->preferences_button), self->service == NULL);

  /* Translators: read by screen readers for the header bar button, e.g. "Sync status: 3 pending" */
  accessible = g_strdup_printf (_("Sync status: %s"), summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
}

/* What changes only with the state: the target and the conflicts (each a query). */
static void
update_details (DbwSyncIndicator *self)
{
  gint64 conflicts = 0;

  g_clear_pointer (&self->target, g_free);
  if (self->service != NULL)
    {
      self->target = dbw_sync_service_dup_target (self->service);
      if (self->target != NULL)
        conflicts = count_conflicts (self->service);
    }

  if (conflicts > 0)
    {
      g_autofree char *count = dbw_format_count (conflicts);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s label conflict is flagged for review.",
                                                            "%s label conflicts are flagged for review.", conflicts),
                                               count);

      gtk_label_set_label (self->conflicts_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_label), conflicts > 0);

  update (self);
}

static void
on_service_notify_cb (DbwSyncIndicator *self,
                      GParamSpec       *pspec,
                      DbwSyncService   *service)
{
  if (g_str_equal (pspec->name, "state"))
    update_details (self);
  else
    update (self);
}

static void
on_popover_show_cb (DbwSyncIndicator *self,
                    GtkPopover       *popover)
{
  update_details (self);
}

static void
on_dialog_button_clicked_cb (DbwSyncIndicator *self,
                             GtkButton        *button)
{
  gtk_popover_popdown (self->popover);
}

static void
dbw_sync_indicator_dispose (GObject *object)
{
  DbwSyncIndicator *self = (DbwSyncIndicator *)object;

  dbw_sync_indicator_set_service (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (dbw_sync_indicator_parent_class)->dispose (object);
}

static void
dbw_sync_indicator_finalize (GObject *object)
{
  DbwSyncIndicator *self = (DbwSyncIndicator *)object;

  g_free (self->problem);
  g_free (self->target);

  G_OBJECT_CLASS (dbw_sync_indicator_parent_class)->finalize (object);
}

static void
dbw_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DbwSyncIndicator *self = DBW_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DbwSyncIndicator *self = DBW_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      dbw_sync_indicator_set_service (self, g_value_get_object (value));
      break;

    case PROP_PROBLEM:
      dbw_sync_indicator_set_problem (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_sync_indicator_class_init (DbwSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_sync_indicator_dispose;
  object_class->finalize = dbw_sync_indicator_finalize;
  object_class->get_property = dbw_sync_indicator_get_property;
  object_class->set_property = dbw_sync_indicator_set_property;

  properties [PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL,
                         DBW_TYPE_SYNC_SERVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, target_label);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, details_label);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, conflicts_label);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, sync_button);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, unlink_button);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, link_button);
  gtk_widget_class_bind_template_child (widget_class, DbwSyncIndicator, preferences_button);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dialog_button_clicked_cb);
}

static void
dbw_sync_indicator_init (DbwSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
dbw_sync_indicator_new (void)
{
  return g_object_new (DBW_TYPE_SYNC_INDICATOR, NULL);
}

/* Returns: (transfer none) (nullable): the service shown */
DbwSyncService *
dbw_sync_indicator_get_service (DbwSyncIndicator *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_INDICATOR (self), NULL);

  return self->service;
}

/**
 * dbw_sync_indicator_set_service:
 * @service: (nullable): the project's sync service, or %NULL when Databricks is not set up
 */
void
dbw_sync_indicator_set_service (DbwSyncIndicator *self,
                                DbwSyncService   *service)
{
  g_return_if_fail (DBW_IS_SYNC_INDICATOR (self));
  g_return_if_fail (!service || DBW_IS_SYNC_SERVICE (service));

  if (self->service == service)
    return;

  if (self->service != NULL)
    g_clear_signal_handler (&self->notify_handler, self->service);
  g_set_object (&self->service, service);
  if (service != NULL)
    self->notify_handler = g_signal_connect_object (service, "notify", G_CALLBACK (on_service_notify_cb),
                                                    self, G_CONNECT_SWAPPED);

  update_details (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SERVICE]);
}

const char *
dbw_sync_indicator_get_problem (DbwSyncIndicator *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_INDICATOR (self), NULL);

  return self->problem;
}

/**
 * dbw_sync_indicator_set_problem:
 * @problem: (nullable): why there is no service, shown when there is none; without a
 *   problem or a service the indicator hides
 */
void
dbw_sync_indicator_set_problem (DbwSyncIndicator *self,
                                const char       *problem)
{
  g_return_if_fail (DBW_IS_SYNC_INDICATOR (self));

  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROBLEM]);
}

/* Returns: the few words the header bar shows, e.g. "3 pending" */
const char *
dbw_sync_indicator_get_summary (DbwSyncIndicator *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_INDICATOR (self), NULL);

  return gtk_label_get_label (self->label);
}

/* Returns: the popover's explanation: the last sync, or the error in full */
const char *
dbw_sync_indicator_get_details (DbwSyncIndicator *self)
{
  g_return_val_if_fail (DBW_IS_SYNC_INDICATOR (self), NULL);

  return gtk_label_get_label (self->details_label);
}
