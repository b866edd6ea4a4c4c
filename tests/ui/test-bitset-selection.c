/* test-bitset-selection.c — a multiple selection that never reads the rows it selects
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "dbw-bitset-selection.h"

/* A list of @n_items that counts how often an item is asked for. */
#define TEST_TYPE_COUNTING_LIST (test_counting_list_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingList, test_counting_list, TEST, COUNTING_LIST, GObject)

struct _TestCountingList
{
  GObject parent_instance;
  guint   n_items;
  guint   n_reads;
};

static GType
counting_list_get_item_type (GListModel *list)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
counting_list_get_n_items (GListModel *list)
{
  return TEST_COUNTING_LIST (list)->n_items;
}

static gpointer
counting_list_get_item (GListModel *list,
                        guint       position)
{
  TestCountingList *self = TEST_COUNTING_LIST (list);
  g_autofree char *text = NULL;

  if (position >= self->n_items)
    return NULL;

  self->n_reads++;
  text = g_strdup_printf ("%u", position);
  return gtk_string_object_new (text);
}

static void
counting_list_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = counting_list_get_item_type;
  iface->get_n_items = counting_list_get_n_items;
  iface->get_item = counting_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountingList, test_counting_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, counting_list_iface_init))

static void
test_counting_list_class_init (TestCountingListClass *klass)
{
}

static void
test_counting_list_init (TestCountingList *self)
{
}

static TestCountingList *
counting_list_new (guint n_items)
{
  TestCountingList *list = g_object_new (TEST_TYPE_COUNTING_LIST, NULL);

  list->n_items = n_items;
  return list;
}

/* Grows or shrinks the list at @position, as a reloaded query would. */
static void
counting_list_splice (TestCountingList *list,
                      guint             position,
                      guint             removed,
                      guint             added)
{
  list->n_items = list->n_items - removed + added;
  g_list_model_items_changed (G_LIST_MODEL (list), position, removed, added);
}

typedef struct
{
  guint calls;
  guint position;
  guint n_items;
} Changed;

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         Changed           *changed)
{
  changed->calls++;
  changed->position = position;
  changed->n_items = n_items;
}

static guint64
n_selected (GtkSelectionModel *model)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (model);

  return gtk_bitset_get_size (selected);
}

/* Selecting all of 100,000 rows reads none of them; the selection changes as ranges. */
static void
test_select_all (void)
{
  g_autoptr(TestCountingList) list = counting_list_new (100000);
  g_autoptr(DbwBitsetSelection) selection = dbw_bitset_selection_new (G_LIST_MODEL (list));
  GtkSelectionModel *model = GTK_SELECTION_MODEL (selection);
  Changed changed = { 0 };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 100000);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (selection)) == GTK_TYPE_STRING_OBJECT);
  g_signal_connect (selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), &changed);

  g_assert_true (gtk_selection_model_select_all (model));
  g_assert_cmpuint (list->n_reads, ==, 0);
  g_assert_cmpuint (n_selected (model), ==, 100000);
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.n_items, ==, 100000);
  g_assert_true (gtk_selection_model_is_selected (model, 99999));

  /* Selecting what is selected changes nothing. */
  g_assert_true (gtk_selection_model_select_range (model, 10, 5, FALSE));
  g_assert_cmpuint (changed.calls, ==, 1);

  g_assert_true (gtk_selection_model_unselect_range (model, 100, 50));
  g_assert_cmpuint (changed.calls, ==, 2);
  g_assert_cmpuint (changed.position, ==, 100);
  g_assert_cmpuint (changed.n_items, ==, 50);
  g_assert_false (gtk_selection_model_is_selected (model, 120));
  g_assert_cmpuint (n_selected (model), ==, 99950);

  /* One item, the rest unselected: the change spans both. */
  g_assert_true (gtk_selection_model_select_item (model, 50000, TRUE));
  g_assert_cmpuint (n_selected (model), ==, 1);
  g_assert_true (gtk_selection_model_is_selected (model, 50000));
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.n_items, ==, 100000);

  g_assert_true (gtk_selection_model_unselect_all (model));
  g_assert_cmpuint (n_selected (model), ==, 0);
  g_assert_cmpuint (list->n_reads, ==, 0);

  /* Items themselves still come from the list. */
  {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (selection), 42);

    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "42");
    g_assert_cmpuint (list->n_reads, ==, 1);
  }
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *last_added)
{
  *last_added = added;
}

/* Rows added or removed before a selected row move its selection with it; removed rows
 * take theirs along; a new list starts with nothing selected. */
static void
test_follows_changes (void)
{
  g_autoptr(TestCountingList) list = counting_list_new (100);
  g_autoptr(TestCountingList) other = counting_list_new (3);
  g_autoptr(DbwBitsetSelection) selection = dbw_bitset_selection_new (G_LIST_MODEL (list));
  GtkSelectionModel *model = GTK_SELECTION_MODEL (selection);
  guint added = G_MAXUINT;

  gtk_selection_model_select_range (model, 10, 3, TRUE);  /* 10, 11, 12 */
  gtk_selection_model_select_item (model, 50, FALSE);

  counting_list_splice (list, 0, 0, 5);                     /* → 15, 16, 17, 55 */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 105);
  g_assert_true (gtk_selection_model_is_selected (model, 15));
  g_assert_true (gtk_selection_model_is_selected (model, 17));
  g_assert_false (gtk_selection_model_is_selected (model, 10));
  g_assert_true (gtk_selection_model_is_selected (model, 55));

  counting_list_splice (list, 16, 1, 0);                    /* → 15, 16, 54 */
  g_assert_cmpuint (n_selected (model), ==, 3);
  g_assert_true (gtk_selection_model_is_selected (model, 16));
  g_assert_true (gtk_selection_model_is_selected (model, 54));
  g_assert_false (gtk_selection_model_is_selected (model, 17));
  g_assert_cmpuint (list->n_reads, ==, 0);

  g_signal_connect (selection, "items-changed", G_CALLBACK (on_items_changed_cb), &added);
  dbw_bitset_selection_set_model (selection, G_LIST_MODEL (other));
  g_assert_cmpuint (added, ==, 3);
  g_assert_true (dbw_bitset_selection_get_model (selection) == G_LIST_MODEL (other));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 3);
  g_assert_cmpuint (n_selected (model), ==, 0);

  dbw_bitset_selection_set_model (selection, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bitset-selection/select-all", test_select_all);
  g_test_add_func ("/bitset-selection/follows-changes", test_follows_changes);

  return g_test_run ();
}
