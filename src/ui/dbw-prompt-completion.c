/* dbw-prompt-completion.c
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

#define G_LOG_DOMAIN "dbw-prompt-completion"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-prompt-completion.h"

/* Completes the name of a variable right after "{{" in a prompt: the columns of the
 * sheet the template is written for, and the names under "item". Typing "{{" opens the
 * list; the word typed so far (dots included, for paths into JSON fields) narrows it. A
 * chosen name closes the placeholder with " }}" unless it is already closed. */

struct _DbwPromptCompletion
{
  GObject  parent_instance;

  GStrv    names;
};

static void provider_iface_init (GtkSourceCompletionProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbwPromptCompletion, dbw_prompt_completion, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROVIDER, provider_iface_init))

enum {
  PROP_0,
  PROP_NAMES,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || c == '-' || c == '.';
}

/* Finds the word being typed at @iter, in @word_start, and whether it directly follows
 * an open "{{" (spaces apart). */
static gboolean
find_word (const GtkTextIter *iter,
           GtkTextIter       *word_start)
{
  GtkTextIter start = *iter;
  GtkTextIter before;

  while (!gtk_text_iter_starts_line (&start))
    {
      GtkTextIter prev = start;

      gtk_text_iter_backward_char (&prev);
      if (!is_word_char (gtk_text_iter_get_char (&prev)))
        break;
      start = prev;
    }
  *word_start = start;

  before = start;
  while (gtk_text_iter_backward_char (&before))
    {
      gunichar c = gtk_text_iter_get_char (&before);

      if (c == ' ' || c == '\t')
        continue;
      if (c != '{' || !gtk_text_iter_backward_char (&before))
        return FALSE;
      return gtk_text_iter_get_char (&before) == '{';
    }

  return FALSE;
}

static gboolean
is_item_name (const char *name)
{
  return g_str_has_prefix (name, "item.") || g_str_equal (name, "item");
}

static int
compare_proposals (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  DbwPromptProposal *x = *(DbwPromptProposal * const *) a;
  DbwPromptProposal *y = *(DbwPromptProposal * const *) b;
  const char *word = user_data;
  gboolean x_prefix = g_str_has_prefix (dbw_prompt_proposal_get_name (x), word);
  gboolean y_prefix = g_str_has_prefix (dbw_prompt_proposal_get_name (y), word);

  /* Names that start with what was typed first, then columns before item names. */
  if (x_prefix != y_prefix)
    return x_prefix ? -1 : 1;
  if (dbw_prompt_proposal_is_column (x) != dbw_prompt_proposal_is_column (y))
    return dbw_prompt_proposal_is_column (x) ? -1 : 1;
  return g_utf8_collate (dbw_prompt_proposal_get_name (x), dbw_prompt_proposal_get_name (y));
}

static void
fill_matches (DbwPromptCompletion *self,
              GListStore          *store,
              const GtkTextIter   *iter)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *word = NULL;
  g_autofree char *folded = NULL;
  GtkTextIter start;

  if (self->names != NULL && find_word (iter, &start))
    {
      word = gtk_text_iter_get_slice (&start, iter);
      folded = g_utf8_casefold (word, -1);

      for (guint i = 0; self->names[i] != NULL; i++)
        {
          const char *name = self->names[i];

          if (folded[0] != '\0' && !gtk_source_completion_fuzzy_match (name, folded, NULL))
            continue;
          /* The word is complete already: nothing to offer. */
          if (g_str_equal (name, word))
            continue;
          g_ptr_array_add (found, dbw_prompt_proposal_new (name, !is_item_name (name)));
        }

      g_ptr_array_sort_with_data (found, compare_proposals, word);
    }

  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       found->pdata, found->len);
}

static char *
dbw_prompt_completion_get_title (GtkSourceCompletionProvider *provider)
{
  return g_strdup (_("Columns"));
}

static int
dbw_prompt_completion_get_priority (GtkSourceCompletionProvider *provider,
                                    GtkSourceCompletionContext  *context)
{
  return 1000;
}

static gboolean
dbw_prompt_completion_is_trigger (GtkSourceCompletionProvider *provider,
                                  const GtkTextIter           *iter,
                                  gunichar                     ch)
{
  GtkTextIter prev = *iter;

  if (ch != '{')
    return FALSE;

  /* @iter is just after the "{" typed; the one before it makes "{{". */
  return gtk_text_iter_backward_chars (&prev, 2) && gtk_text_iter_get_char (&prev) == '{';
}

static void
dbw_prompt_completion_populate_async (GtkSourceCompletionProvider *provider,
                                      GtkSourceCompletionContext  *context,
                                      GCancellable                *cancellable,
                                      GAsyncReadyCallback          callback,
                                      gpointer                     user_data)
{
  DbwPromptCompletion *self = DBW_PROMPT_COMPLETION (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GtkTextIter begin, end;

  gtk_source_completion_context_get_bounds (context, &begin, &end);
  g_task_return_pointer (task, dbw_prompt_completion_propose (self, &end), g_object_unref);
}

static GListModel *
dbw_prompt_completion_populate_finish (GtkSourceCompletionProvider  *provider,
                                       GAsyncResult                 *result,
                                       GError                      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
dbw_prompt_completion_refilter (GtkSourceCompletionProvider *provider,
                                GtkSourceCompletionContext  *context,
                                GListModel                  *model)
{
  GtkTextIter begin, end;

  if (!G_IS_LIST_STORE (model))
    return;

  gtk_source_completion_context_get_bounds (context, &begin, &end);
  fill_matches (DBW_PROMPT_COMPLETION (provider), G_LIST_STORE (model), &end);
}

static void
dbw_prompt_completion_display (GtkSourceCompletionProvider *provider,
                               GtkSourceCompletionContext  *context,
                               GtkSourceCompletionProposal *proposal,
                               GtkSourceCompletionCell     *cell)
{
  DbwPromptProposal *item = DBW_PROMPT_PROPOSAL (proposal);
  const char *name = dbw_prompt_proposal_get_name (item);

  switch (gtk_source_completion_cell_get_column (cell))
    {
    case GTK_SOURCE_COMPLETION_COLUMN_TYPED_TEXT:
      {
        g_autofree char *word = gtk_source_completion_context_get_word (context);
        g_autofree char *folded = g_utf8_casefold (word != NULL ? word : "", -1);
        g_autoptr(PangoAttrList) attrs = gtk_source_completion_fuzzy_highlight (name, folded);

        gtk_source_completion_cell_set_text_with_attributes (cell, name, attrs);
      }
      break;

    case GTK_SOURCE_COMPLETION_COLUMN_ICON:
      gtk_source_completion_cell_set_icon_name (cell, dbw_prompt_proposal_is_column (item)
                                                      ? "x-office-spreadsheet-symbolic"
                                                      : "text-x-generic-symbolic");
      break;

    case GTK_SOURCE_COMPLETION_COLUMN_COMMENT:
      gtk_source_completion_cell_set_text (cell, dbw_prompt_proposal_is_column (item)
                                                 ? _("Column of the sheet")
                                                 : _("About the item"));
      break;

    case GTK_SOURCE_COMPLETION_COLUMN_BEFORE:
    case GTK_SOURCE_COMPLETION_COLUMN_AFTER:
    case GTK_SOURCE_COMPLETION_COLUMN_DETAILS:
    default:
      gtk_source_completion_cell_set_text (cell, NULL);
      break;
    }
}

static void
dbw_prompt_completion_activate (GtkSourceCompletionProvider *provider,
                                GtkSourceCompletionContext  *context,
                                GtkSourceCompletionProposal *proposal)
{
  dbw_prompt_completion_apply (DBW_PROMPT_COMPLETION (provider),
                               GTK_TEXT_BUFFER (gtk_source_completion_context_get_buffer (context)),
                               DBW_PROMPT_PROPOSAL (proposal));
}

static void
provider_iface_init (GtkSourceCompletionProviderInterface *iface)
{
  iface->get_title = dbw_prompt_completion_get_title;
  iface->get_priority = dbw_prompt_completion_get_priority;
  iface->is_trigger = dbw_prompt_completion_is_trigger;
  iface->populate_async = dbw_prompt_completion_populate_async;
  iface->populate_finish = dbw_prompt_completion_populate_finish;
  iface->refilter = dbw_prompt_completion_refilter;
  iface->display = dbw_prompt_completion_display;
  iface->activate = dbw_prompt_completion_activate;
}

static void
dbw_prompt_completion_finalize (GObject *object)
{
  DbwPromptCompletion *self = (DbwPromptCompletion *)object;

  g_clear_pointer (&self->names, g_strfreev);

  G_OBJECT_CLASS (dbw_prompt_completion_parent_class)->finalize (object);
}

static void
dbw_prompt_completion_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DbwPromptCompletion *self = DBW_PROMPT_COMPLETION (object);

  switch (prop_id)
    {
    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_prompt_completion_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DbwPromptCompletion *self = DBW_PROMPT_COMPLETION (object);

  switch (prop_id)
    {
    case PROP_NAMES:
      dbw_prompt_completion_set_names (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_prompt_completion_class_init (DbwPromptCompletionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_prompt_completion_finalize;
  object_class->get_property = dbw_prompt_completion_get_property;
  object_class->set_property = dbw_prompt_completion_set_property;

  properties [PROP_NAMES] =
    g_param_spec_boxed ("names", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dbw_prompt_completion_init (DbwPromptCompletion *self)
{
}

DbwPromptCompletion *
dbw_prompt_completion_new (void)
{
  return g_object_new (DBW_TYPE_PROMPT_COMPLETION, NULL);
}

const char * const *
dbw_prompt_completion_get_names (DbwPromptCompletion *self)
{
  g_return_val_if_fail (DBW_IS_PROMPT_COMPLETION (self), NULL);

  return (const char * const *) self->names;
}

/**
 * dbw_prompt_completion_set_names:
 * @names: (nullable): the names as a prompt writes them (see dbw_prompt_context_list_names())
 */
void
dbw_prompt_completion_set_names (DbwPromptCompletion *self,
                                 const char * const  *names)
{
  g_return_if_fail (DBW_IS_PROMPT_COMPLETION (self));

  if (self->names != NULL && names != NULL && g_strv_equal ((const char * const *) self->names, names))
    return;

  g_strfreev (self->names);
  self->names = g_strdupv ((char **) names);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAMES]);
}

/**
 * dbw_prompt_completion_propose:
 * @iter: the cursor
 *
 * Returns: (transfer full): a #GListStore of #DbwPromptProposal for the word typed at
 *   @iter; empty unless the word directly follows "{{"
 */
GListModel *
dbw_prompt_completion_propose (DbwPromptCompletion *self,
                               const GtkTextIter   *iter)
{
  GListStore *store;

  g_return_val_if_fail (DBW_IS_PROMPT_COMPLETION (self), NULL);
  g_return_val_if_fail (iter != NULL, NULL);

  store = g_list_store_new (DBW_TYPE_PROMPT_PROPOSAL);
  fill_matches (self, store, iter);

  return G_LIST_MODEL (store);
}

/* Puts @proposal in place of the word typed at the cursor of @buffer. */
void
dbw_prompt_completion_apply (DbwPromptCompletion *self,
                             GtkTextBuffer       *buffer,
                             DbwPromptProposal   *proposal)
{
  GtkTextIter iter, start, end, after;
  gboolean closed = FALSE;

  g_return_if_fail (DBW_IS_PROMPT_COMPLETION (self));
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (DBW_IS_PROMPT_PROPOSAL (proposal));

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  find_word (&iter, &start);
  end = iter;
  while (!gtk_text_iter_ends_line (&end) && is_word_char (gtk_text_iter_get_char (&end)))
    gtk_text_iter_forward_char (&end);

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, dbw_prompt_proposal_get_name (proposal), -1);

  /* Close the placeholder, unless a "}}" or a filter follows already. */
  after = start;
  while (gtk_text_iter_get_char (&after) == ' ' || gtk_text_iter_get_char (&after) == '\t')
    gtk_text_iter_forward_char (&after);
  if (gtk_text_iter_get_char (&after) == '|')
    closed = TRUE;
  else if (gtk_text_iter_get_char (&after) == '}')
    {
      GtkTextIter next = after;

      closed = gtk_text_iter_forward_char (&next) && gtk_text_iter_get_char (&next) == '}';
    }

  if (!closed)
    gtk_text_buffer_insert (buffer, &start, " }}", -1);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_end_user_action (buffer);
}
