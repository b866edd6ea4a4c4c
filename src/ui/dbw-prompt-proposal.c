/* dbw-prompt-proposal.c
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

#define G_LOG_DOMAIN "dbw-prompt-proposal"

#include "config.h"

#include "dbw-prompt-proposal.h"

/* One name DbwPromptCompletion offers: a column of the sheet, or a name under "item". */

struct _DbwPromptProposal
{
  GObject   parent_instance;

  char     *name;
  gboolean  is_column;
};

static void proposal_iface_init (GtkSourceCompletionProposalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DbwPromptProposal, dbw_prompt_proposal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROPOSAL, proposal_iface_init))

static char *
dbw_prompt_proposal_get_typed_text (GtkSourceCompletionProposal *proposal)
{
  return g_strdup (DBW_PROMPT_PROPOSAL (proposal)->name);
}

static void
proposal_iface_init (GtkSourceCompletionProposalInterface *iface)
{
  iface->get_typed_text = dbw_prompt_proposal_get_typed_text;
}

static void
dbw_prompt_proposal_finalize (GObject *object)
{
  DbwPromptProposal *self = (DbwPromptProposal *)object;

  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (dbw_prompt_proposal_parent_class)->finalize (object);
}

static void
dbw_prompt_proposal_class_init (DbwPromptProposalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_prompt_proposal_finalize;
}

static void
dbw_prompt_proposal_init (DbwPromptProposal *self)
{
}

DbwPromptProposal *
dbw_prompt_proposal_new (const char *name,
                         gboolean    is_column)
{
  DbwPromptProposal *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (DBW_TYPE_PROMPT_PROPOSAL, NULL);
  self->name = g_strdup (name);
  self->is_column = !!is_column;

  return self;
}

const char *
dbw_prompt_proposal_get_name (DbwPromptProposal *self)
{
  g_return_val_if_fail (DBW_IS_PROMPT_PROPOSAL (self), NULL);

  return self->name;
}

gboolean
dbw_prompt_proposal_is_column (DbwPromptProposal *self)
{
  g_return_val_if_fail (DBW_IS_PROMPT_PROPOSAL (self), FALSE);

  return self->is_column;
}
