/* dbw-constraint-badges.c
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

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-constraint-badges.h"
#include "dbw-governance.h"

/* Small pills for a row of a list: the data classification, and one per prohibited use.
 * Built in code rather than a template: a list makes one per visible row, and the pills
 * change with every bind. A quiet one, in a table cell, leaves out the common case (an
 * internal item that no use is prohibited for), so the pills that remain stand out, and a
 * list of 200 rows does not lay out 200 identical labels; its accessible label still
 * says it. */
struct _DbwConstraintBadges
{
  GtkWidget              parent_instance;

  DbwDataClassification  classification;
  GStrv                  prohibited_uses;
  gboolean               has_classification;
  gboolean               quiet;

  /* Followed while shown: a list refreshes its records in place. */
  GObject               *record;
};

G_DEFINE_FINAL_TYPE (DbwConstraintBadges, dbw_constraint_badges, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLASSIFICATION,
  PROP_PROHIBITED_USES,
  PROP_QUIET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
classification_title (DbwDataClassification classification)
{
  switch (classification)
    {
    case DBW_CLASSIFICATION_PUBLIC:
      return _("Public");
    case DBW_CLASSIFICATION_INTERNAL:
      return _("Internal");
    case DBW_CLASSIFICATION_CONFIDENTIAL:
      return _("Confidential");
    case DBW_CLASSIFICATION_RESTRICTED:
      return _("Restricted");
    default:
      return "";
    }
}

/* "No training" fits a column; the tooltip says it in full. */
static const char *
use_short_title (const char *use)
{
  if (g_strcmp0 (use, DBW_USE_TRAINING) == 0)
    return _("No training");
  if (g_strcmp0 (use, DBW_USE_VALIDATION) == 0)
    return _("No validation");
  if (g_strcmp0 (use, DBW_USE_EVALUATION) == 0)
    return _("No evaluation");
  if (g_strcmp0 (use, DBW_USE_FEW_SHOT) == 0)
    return _("No few-shot");
  if (g_strcmp0 (use, DBW_USE_TESTING) == 0)
    return _("No testing");
  return use;
}

static void
add_pill (DbwConstraintBadges *self,
          const char          *text,
          const char          *tooltip,
          const char          *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "constraint-badge");
  gtk_widget_add_css_class (label, style);
  gtk_widget_set_tooltip_text (label, tooltip);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (label, GTK_WIDGET (self));
}

/* No list and an empty one both mean nothing is prohibited. */
static gboolean
uses_equal (const char * const *a,
            const char * const *b)
{
  if (a == NULL || a[0] == NULL)
    return b == NULL || b[0] == NULL;

  return b != NULL && g_strv_equal (a, b);
}

static void
rebuild (DbwConstraintBadges *self)
{
  GtkWidget *child;
  g_autofree char *text = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->has_classification &&
      !(self->quiet && self->classification == DBW_CLASSIFICATION_INTERNAL))
    {
      const char *nick = dbw_enum_to_nick (DBW_TYPE_DATA_CLASSIFICATION, self->classification);

      add_pill (self, classification_title (self->classification), _("Data classification"), nick != NULL ? nick : "internal");
    }
  for (guint i = 0; self->prohibited_uses != NULL && self->prohibited_uses[i] != NULL; i++)
    add_pill (self, use_short_title (self->prohibited_uses[i]),
              dbw_gate_verdict_describe (DBW_GATE_PROHIBITED, self->prohibited_uses[i]), "prohibited");

  text = dbw_constraint_badges_dup_text (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
dbw_constraint_badges_dispose (GObject *object)
{
  DbwConstraintBadges *self = (DbwConstraintBadges *) object;
  GtkWidget *child;

  if (self->record != NULL)
    g_signal_handlers_disconnect_by_data (self->record, self);
  g_clear_object (&self->record);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dbw_constraint_badges_parent_class)->dispose (object);
}

static void
dbw_constraint_badges_finalize (GObject *object)
{
  DbwConstraintBadges *self = (DbwConstraintBadges *) object;

  g_strfreev (self->prohibited_uses);

  G_OBJECT_CLASS (dbw_constraint_badges_parent_class)->finalize (object);
}

static void
dbw_constraint_badges_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DbwConstraintBadges *self = DBW_CONSTRAINT_BADGES (object);

  switch (prop_id)
    {
    case PROP_CLASSIFICATION:
      g_value_set_enum (value, self->classification);
      break;
    case PROP_PROHIBITED_USES:
      g_value_set_boxed (value, self->prohibited_uses);
      break;
    case PROP_QUIET:
      g_value_set_boolean (value, self->quiet);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_constraint_badges_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DbwConstraintBadges *self = DBW_CONSTRAINT_BADGES (object);

  switch (prop_id)
    {
    case PROP_CLASSIFICATION:
      dbw_constraint_badges_set_classification (self, g_value_get_enum (value));
      break;
    case PROP_PROHIBITED_USES:
      dbw_constraint_badges_set_prohibited_uses (self, g_value_get_boxed (value));
      break;
    case PROP_QUIET:
      dbw_constraint_badges_set_quiet (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_constraint_badges_class_init (DbwConstraintBadgesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_constraint_badges_dispose;
  object_class->finalize = dbw_constraint_badges_finalize;
  object_class->get_property = dbw_constraint_badges_get_property;
  object_class->set_property = dbw_constraint_badges_set_property;

  properties[PROP_CLASSIFICATION] =
    g_param_spec_enum ("classification", NULL, NULL,
                       DBW_TYPE_DATA_CLASSIFICATION, DBW_CLASSIFICATION_INTERNAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROHIBITED_USES] =
    g_param_spec_boxed ("prohibited-uses", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUIET] =
    g_param_spec_boolean ("quiet", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "constraintbadges");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dbw_constraint_badges_init (DbwConstraintBadges *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
  self->classification = DBW_CLASSIFICATION_INTERNAL;
}

GtkWidget *
dbw_constraint_badges_new (void)
{
  return g_object_new (DBW_TYPE_CONSTRAINT_BADGES, NULL);
}

DbwDataClassification
dbw_constraint_badges_get_classification (DbwConstraintBadges *self)
{
  g_return_val_if_fail (DBW_IS_CONSTRAINT_BADGES (self), DBW_CLASSIFICATION_INTERNAL);

  return self->classification;
}

void
dbw_constraint_badges_set_classification (DbwConstraintBadges   *self,
                                          DbwDataClassification  classification)
{
  g_return_if_fail (DBW_IS_CONSTRAINT_BADGES (self));

  if (self->has_classification && self->classification == classification)
    return;
  self->classification = classification;
  self->has_classification = TRUE;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASSIFICATION]);
}

const char * const *
dbw_constraint_badges_get_prohibited_uses (DbwConstraintBadges *self)
{
  g_return_val_if_fail (DBW_IS_CONSTRAINT_BADGES (self), NULL);

  return (const char * const *) self->prohibited_uses;
}

void
dbw_constraint_badges_set_prohibited_uses (DbwConstraintBadges *self,
                                           const char * const  *uses)
{
  g_return_if_fail (DBW_IS_CONSTRAINT_BADGES (self));

  if (uses_equal ((const char * const *) self->prohibited_uses, uses))
    return;
  g_strfreev (self->prohibited_uses);
  self->prohibited_uses = g_strdupv ((char **) uses);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROHIBITED_USES]);
}

static void
update_from_record (DbwConstraintBadges *self)
{
  DbwDataClassification classification = DBW_CLASSIFICATION_INTERNAL;
  g_auto(GStrv) prohibited = NULL;
  gboolean same_uses;
  GObject *record = self->record;

  if (record == NULL)
    {
      if (!self->has_classification && self->prohibited_uses == NULL)
        return;
      self->has_classification = FALSE;
      g_clear_pointer (&self->prohibited_uses, g_strfreev);
      rebuild (self);
      return;
    }

  g_object_get (record, "data-classification", &classification, "prohibited-uses", &prohibited, NULL);

  same_uses = uses_equal ((const char * const *) self->prohibited_uses, (const char * const *) prohibited);
  if (self->has_classification && self->classification == classification && same_uses)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (!same_uses)
    {
      g_strfreev (self->prohibited_uses);
      self->prohibited_uses = g_steal_pointer (&prohibited);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROHIBITED_USES]);
    }
  if (!self->has_classification || self->classification != classification)
    {
      self->classification = classification;
      self->has_classification = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASSIFICATION]);
    }
  rebuild (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_record_notify_cb (DbwConstraintBadges *self)
{
  update_from_record (self);
}

/* Called for every bind of a list row: rows mostly look alike, so nothing is rebuilt when
 * nothing changed. The badges follow @record's changes until another record is set. */
void
dbw_constraint_badges_set_record (DbwConstraintBadges *self,
                                  gpointer             record)
{
  g_return_if_fail (DBW_IS_CONSTRAINT_BADGES (self));
  g_return_if_fail (record == NULL || G_IS_OBJECT (record));

  if (self->record != record)
    {
      if (self->record != NULL)
        g_signal_handlers_disconnect_by_data (self->record, self);
      g_set_object (&self->record, record);
      if (record != NULL)
        {
          g_signal_connect_swapped (record, "notify::data-classification", G_CALLBACK (on_record_notify_cb), self);
          g_signal_connect_swapped (record, "notify::prohibited-uses", G_CALLBACK (on_record_notify_cb), self);
        }
    }

  update_from_record (self);
}

gboolean
dbw_constraint_badges_get_quiet (DbwConstraintBadges *self)
{
  g_return_val_if_fail (DBW_IS_CONSTRAINT_BADGES (self), FALSE);

  return self->quiet;
}

void
dbw_constraint_badges_set_quiet (DbwConstraintBadges *self,
                                 gboolean             quiet)
{
  g_return_if_fail (DBW_IS_CONSTRAINT_BADGES (self));

  quiet = !!quiet;
  if (self->quiet == quiet)
    return;
  self->quiet = quiet;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUIET]);
}

char *
dbw_constraint_badges_dup_text (DbwConstraintBadges *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (DBW_IS_CONSTRAINT_BADGES (self), NULL);

  if (self->has_classification)
    g_string_append (text, classification_title (self->classification));
  for (guint i = 0; self->prohibited_uses != NULL && self->prohibited_uses[i] != NULL; i++)
    {
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, dbw_gate_verdict_describe (DBW_GATE_PROHIBITED, self->prohibited_uses[i]));
    }
  return g_string_free (text, FALSE);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *badges = dbw_constraint_badges_new ();

  dbw_constraint_badges_set_quiet (DBW_CONSTRAINT_BADGES (badges), TRUE);
  gtk_list_item_set_child (list_item, badges);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  dbw_constraint_badges_set_record (DBW_CONSTRAINT_BADGES (gtk_list_item_get_child (list_item)),
                                    gtk_list_item_get_item (list_item));
}

/**
 * dbw_constraint_badges_new_column:
 *
 * A resizable "Usage" column for a view of items, pairs or labels: each row shows its
 * record's quiet badges.
 *
 * Returns: (transfer full): the column
 */
GtkColumnViewColumn *
dbw_constraint_badges_new_column (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);
  column = gtk_column_view_column_new (_("Usage"), factory);
  gtk_column_view_column_set_resizable (column, TRUE);

  return column;
}
