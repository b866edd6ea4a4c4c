/* dbw-bitset-selection.c
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

#include "dbw-bitset-selection.h"

struct _DbwBitsetSelection
{
  GObject     parent_instance;

  GListModel *model;
  GtkBitset  *selected;
};

static void list_model_iface_init (GListModelInterface *iface);
static void selection_model_iface_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbwBitsetSelection, dbw_bitset_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL, selection_model_iface_init))

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* GListModel */

static GType
dbw_bitset_selection_get_item_type (GListModel *list)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
dbw_bitset_selection_get_n_items (GListModel *list)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (list);

  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static gpointer
dbw_bitset_selection_get_item (GListModel *list,
                               guint       position)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (list);

  return self->model != NULL ? g_list_model_get_item (self->model, position) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = dbw_bitset_selection_get_item_type;
  iface->get_n_items = dbw_bitset_selection_get_n_items;
  iface->get_item = dbw_bitset_selection_get_item;
}

/* GtkSelectionModel: the other operations are GTK's defaults, built on set_selection. */

static gboolean
dbw_bitset_selection_is_selected (GtkSelectionModel *model,
                                  guint              position)
{
  return gtk_bitset_contains (DBW_BITSET_SELECTION (model)->selected, position);
}

static GtkBitset *
dbw_bitset_selection_get_selection_in_range (GtkSelectionModel *model,
                                             guint              position,
                                             guint              n_items)
{
  /* Values outside the range may be anything. */
  return gtk_bitset_ref (DBW_BITSET_SELECTION (model)->selected);
}

static gboolean
dbw_bitset_selection_set_selection (GtkSelectionModel *model,
                                    GtkBitset         *selected,
                                    GtkBitset         *mask)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (model);
  g_autoptr(GtkBitset) changes = gtk_bitset_copy (self->selected);
  g_autoptr(GtkBitset) chosen = gtk_bitset_copy (selected);
  guint first, last;

  /* changes = (old XOR selected) AND mask; new = (old AND NOT mask) OR (selected AND mask) */
  gtk_bitset_difference (changes, selected);
  gtk_bitset_intersect (changes, mask);

  gtk_bitset_intersect (chosen, mask);
  gtk_bitset_subtract (self->selected, mask);
  gtk_bitset_union (self->selected, chosen);

  if (gtk_bitset_is_empty (changes))
    return TRUE;

  first = gtk_bitset_get_minimum (changes);
  last = gtk_bitset_get_maximum (changes);
  gtk_selection_model_selection_changed (model, first, last - first + 1);

  return TRUE;
}

static void
selection_model_iface_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = dbw_bitset_selection_is_selected;
  iface->get_selection_in_range = dbw_bitset_selection_get_selection_in_range;
  iface->set_selection = dbw_bitset_selection_set_selection;
}

/* The model */

static void
on_items_changed_cb (DbwBitsetSelection *self,
                     guint               position,
                     guint               removed,
                     guint               added,
                     GListModel         *model)
{
  gtk_bitset_splice (self->selected, position, removed, added);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
clear_model (DbwBitsetSelection *self)
{
  if (self->model == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
}

/* GObject */

static void
dbw_bitset_selection_dispose (GObject *object)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (object);

  clear_model (self);

  G_OBJECT_CLASS (dbw_bitset_selection_parent_class)->dispose (object);
}

static void
dbw_bitset_selection_finalize (GObject *object)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (object);

  g_clear_pointer (&self->selected, gtk_bitset_unref);

  G_OBJECT_CLASS (dbw_bitset_selection_parent_class)->finalize (object);
}

static void
dbw_bitset_selection_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_bitset_selection_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DbwBitsetSelection *self = DBW_BITSET_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      dbw_bitset_selection_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_bitset_selection_class_init (DbwBitsetSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dbw_bitset_selection_dispose;
  object_class->finalize = dbw_bitset_selection_finalize;
  object_class->get_property = dbw_bitset_selection_get_property;
  object_class->set_property = dbw_bitset_selection_set_property;

  /**
   * DbwBitsetSelection:model:
   *
   * The list being selected from.
   */
  properties [PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_bitset_selection_init (DbwBitsetSelection *self)
{
  self->selected = gtk_bitset_new_empty ();
}

DbwBitsetSelection *
dbw_bitset_selection_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (DBW_TYPE_BITSET_SELECTION, "model", model, NULL);
}

GListModel *
dbw_bitset_selection_get_model (DbwBitsetSelection *self)
{
  g_return_val_if_fail (DBW_IS_BITSET_SELECTION (self), NULL);

  return self->model;
}

/* A new model starts with nothing selected. */
void
dbw_bitset_selection_set_model (DbwBitsetSelection *self,
                                GListModel         *model)
{
  guint old_n, new_n;

  g_return_if_fail (DBW_IS_BITSET_SELECTION (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  old_n = dbw_bitset_selection_get_n_items (G_LIST_MODEL (self));
  clear_model (self);

  if (model != NULL)
    {
      self->model = g_object_ref (model);
      g_signal_connect_swapped (model, "items-changed", G_CALLBACK (on_items_changed_cb), self);
    }
  new_n = dbw_bitset_selection_get_n_items (G_LIST_MODEL (self));

  gtk_bitset_remove_all (self->selected);
  if (old_n > 0 || new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
}
