/* dbw-prompt-proposal.h
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

#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define DBW_TYPE_PROMPT_PROPOSAL (dbw_prompt_proposal_get_type ())

G_DECLARE_FINAL_TYPE (DbwPromptProposal, dbw_prompt_proposal, DBW, PROMPT_PROPOSAL, GObject)

DbwPromptProposal *dbw_prompt_proposal_new      (const char        *name,
                                                 gboolean           is_column);
const char        *dbw_prompt_proposal_get_name (DbwPromptProposal *self);
gboolean           dbw_prompt_proposal_is_column (DbwPromptProposal *self);

G_END_DECLS
