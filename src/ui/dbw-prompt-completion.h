/* dbw-prompt-completion.h
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

#include "dbw-prompt-proposal.h"

G_BEGIN_DECLS

#define DBW_TYPE_PROMPT_COMPLETION (dbw_prompt_completion_get_type ())

G_DECLARE_FINAL_TYPE (DbwPromptCompletion, dbw_prompt_completion, DBW, PROMPT_COMPLETION, GObject)

DbwPromptCompletion *dbw_prompt_completion_new       (void);
const char * const  *dbw_prompt_completion_get_names (DbwPromptCompletion *self);
void                 dbw_prompt_completion_set_names (DbwPromptCompletion *self,
                                                      const char * const  *names);
GListModel          *dbw_prompt_completion_propose   (DbwPromptCompletion *self,
                                                      const GtkTextIter   *iter);
void                 dbw_prompt_completion_apply     (DbwPromptCompletion *self,
                                                      GtkTextBuffer       *buffer,
                                                      DbwPromptProposal   *proposal);

G_END_DECLS
