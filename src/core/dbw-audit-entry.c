/* dbw-audit-entry.c
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

#define G_LOG_DOMAIN "dbw-audit-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-audit-entry.h"
#include "dbw-enums.h"
#include "dbw-governance.h"

struct _DbwAuditEntry
{
  GObject  parent_instance;

  char    *values[DBW_AUDIT_N_FIELDS];
};

G_DEFINE_FINAL_TYPE (DbwAuditEntry, dbw_audit_entry, G_TYPE_OBJECT)

static void
dbw_audit_entry_finalize (GObject *object)
{
  DbwAuditEntry *self = (DbwAuditEntry *) object;

  for (guint i = 0; i < DBW_AUDIT_N_FIELDS; i++)
    g_free (self->values[i]);

  G_OBJECT_CLASS (dbw_audit_entry_parent_class)->finalize (object);
}

static void
dbw_audit_entry_class_init (DbwAuditEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dbw_audit_entry_finalize;
}

static void
dbw_audit_entry_init (DbwAuditEntry *self)
{
}

DbwAuditEntry *
dbw_audit_entry_new (const char * const *values)
{
  DbwAuditEntry *self = g_object_new (DBW_TYPE_AUDIT_ENTRY, NULL);

  g_return_val_if_fail (values != NULL, self);

  for (guint i = 0; i < DBW_AUDIT_N_FIELDS; i++)
    self->values[i] = g_strdup (values[i]);
  return self;
}

const char *
dbw_audit_entry_get (DbwAuditEntry *self,
                     DbwAuditField  field)
{
  g_return_val_if_fail (DBW_IS_AUDIT_ENTRY (self), NULL);
  g_return_val_if_fail (field < DBW_AUDIT_N_FIELDS, NULL);

  return self->values[field];
}

const char *
dbw_audit_target_kind_title (const char *target_table)
{
  if (g_strcmp0 (target_table, "qa_pairs") == 0)
    return _("Q&A pair");
  if (g_strcmp0 (target_table, "canonical_labels") == 0)
    return _("Canonical label");
  if (g_strcmp0 (target_table, "items") == 0)
    return _("Item");
  return target_table != NULL ? target_table : "";
}

static const char *
use_title (const char *use)
{
  if (g_strcmp0 (use, DBW_USE_TRAINING) == 0)
    return _("Training");
  if (g_strcmp0 (use, DBW_USE_VALIDATION) == 0)
    return _("Validation");
  if (g_strcmp0 (use, DBW_USE_EVALUATION) == 0)
    return _("Evaluation");
  if (g_strcmp0 (use, DBW_USE_FEW_SHOT) == 0)
    return _("Few-shot");
  if (g_strcmp0 (use, DBW_USE_TESTING) == 0)
    return _("Testing");
  return use;
}

/* The state of @use as the gate reads the lists. */
static const char *
use_state (const char *allowed,
           const char *prohibited,
           const char *use)
{
  switch (dbw_governance_check_json (DBW_QA_STATUS_LABELED, allowed, prohibited, use))
    {
    case DBW_GATE_PASS:
      return _("allowed");
    case DBW_GATE_PROHIBITED:
      return _("prohibited");
    case DBW_GATE_NOT_ALLOWED:
    case DBW_GATE_NOT_LABELED:
    default:
      return _("neither");
    }
}

static const char *
classification_title (const char *nick)
{
  int value;

  if (nick == NULL || !dbw_enum_from_nick (DBW_TYPE_DATA_CLASSIFICATION, nick, &value))
    return nick != NULL ? nick : "";
  switch (value)
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
      return nick;
    }
}

char *
dbw_audit_entry_dup_summary (DbwAuditEntry *self)
{
  const char * const *uses = dbw_use_all ();
  GString *summary = g_string_new (NULL);
  const char *old_class, *new_class;

  g_return_val_if_fail (DBW_IS_AUDIT_ENTRY (self), NULL);

  for (guint i = 0; uses[i] != NULL; i++)
    {
      const char *before = use_state (self->values[DBW_AUDIT_FIELD_OLD_ALLOWED_USES],
                                      self->values[DBW_AUDIT_FIELD_OLD_PROHIBITED_USES], uses[i]);
      const char *after = use_state (self->values[DBW_AUDIT_FIELD_NEW_ALLOWED_USES],
                                     self->values[DBW_AUDIT_FIELD_NEW_PROHIBITED_USES], uses[i]);

      if (g_strcmp0 (before, after) == 0)
        continue;
      if (summary->len > 0)
        g_string_append (summary, "; ");
      /* Translators: a use of data, its state before and after, "Training: allowed → prohibited" */
      g_string_append_printf (summary, _("%s: %s → %s"), use_title (uses[i]), before, after);
    }

  old_class = self->values[DBW_AUDIT_FIELD_OLD_CLASSIFICATION];
  new_class = self->values[DBW_AUDIT_FIELD_NEW_CLASSIFICATION];
  if (g_strcmp0 (old_class, new_class) != 0)
    {
      if (summary->len > 0)
        g_string_append (summary, "; ");
      g_string_append_printf (summary, _("%s → %s"), classification_title (old_class), classification_title (new_class));
    }

  return g_string_free (summary, FALSE);
}
