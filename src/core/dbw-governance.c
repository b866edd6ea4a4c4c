/* dbw-governance.c
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

#define G_LOG_DOMAIN "dbw-governance"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dbw-governance.h"

typedef enum
{
  LIST_ABSENT,
  LIST_PRESENT,
  LIST_UNREADABLE,
} ListMatch;

/* The one decision; both entry points only say what the lists hold. */
static DbwGateVerdict
decide (DbwQaStatus status,
        ListMatch   in_allowed,
        ListMatch   in_prohibited)
{
  if (status != DBW_QA_STATUS_LABELED)
    return DBW_GATE_NOT_LABELED;
  if (in_prohibited != LIST_ABSENT)
    return DBW_GATE_PROHIBITED;
  if (in_allowed != LIST_PRESENT)
    return DBW_GATE_NOT_ALLOWED;
  return DBW_GATE_PASS;
}

DbwGateVerdict
dbw_governance_check (DbwQaStatus         status,
                      const char * const *allowed_uses,
                      const char * const *prohibited_uses,
                      const char         *use)
{
  g_return_val_if_fail (use != NULL, DBW_GATE_NOT_ALLOWED);

  return decide (status,
                 allowed_uses != NULL && g_strv_contains (allowed_uses, use) ? LIST_PRESENT : LIST_ABSENT,
                 prohibited_uses != NULL && g_strv_contains (prohibited_uses, use) ? LIST_PRESENT : LIST_ABSENT);
}

static ListMatch
json_list_match_slow (const char *json,
                      const char *use)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return LIST_UNREADABLE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return LIST_UNREADABLE;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return LIST_UNREADABLE;
      if (g_strcmp0 (json_node_get_string (element), use) == 0)
        return LIST_PRESENT;
    }

  return LIST_ABSENT;
}

/* Stored lists are short arrays of plain words, and the exporters ask once per pair:
 * scan them by hand, and leave anything with escapes or other values to the parser. */
static ListMatch
json_list_match (const char *json,
                 const char *use)
{
  const char *p = json;
  gsize use_len = strlen (use);
  gboolean want_value = TRUE;
  gboolean empty = TRUE;
  gboolean found = FALSE;

  if (json == NULL)
    return LIST_ABSENT;

  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '[')
    return LIST_UNREADABLE;

  for (;;)
    {
      while (g_ascii_isspace (*p))
        p++;

      if (*p == ']' && (!want_value || empty))
        {
          p++;
          break;
        }
      if (want_value && *p == '"')
        {
          const char *end = strpbrk (p + 1, "\"\\");

          if (end == NULL)
            return LIST_UNREADABLE;
          if (*end == '\\')
            return json_list_match_slow (json, use);
          if ((gsize) (end - p - 1) == use_len && memcmp (p + 1, use, use_len) == 0)
            found = TRUE;
          p = end + 1;
          want_value = FALSE;
          empty = FALSE;
        }
      else if (!want_value && *p == ',')
        {
          p++;
          want_value = TRUE;
        }
      else
        return *p == '\0' ? LIST_UNREADABLE : json_list_match_slow (json, use);
    }

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return LIST_UNREADABLE;

  return found ? LIST_PRESENT : LIST_ABSENT;
}

DbwGateVerdict
dbw_governance_check_json (DbwQaStatus  status,
                           const char  *allowed_uses_json,
                           const char  *prohibited_uses_json,
                           const char  *use)
{
  g_return_val_if_fail (use != NULL, DBW_GATE_NOT_ALLOWED);

  if (status != DBW_QA_STATUS_LABELED)
    return decide (status, LIST_ABSENT, LIST_ABSENT);

  return decide (status,
                 json_list_match (allowed_uses_json, use),
                 json_list_match (prohibited_uses_json, use));
}

const char *
dbw_gate_verdict_describe (DbwGateVerdict  verdict,
                           const char     *use)
{
  static const struct {
    const char *use;
    const char *prohibited;
    const char *not_allowed;
  } phrases[] = {
    { DBW_USE_TRAINING, N_("Prohibited for training"), N_("Not allowed for training") },
    { DBW_USE_VALIDATION, N_("Prohibited for validation"), N_("Not allowed for validation") },
    { DBW_USE_EVALUATION, N_("Prohibited for evaluation"), N_("Not allowed for evaluation") },
    { DBW_USE_FEW_SHOT, N_("Prohibited as a few-shot example"), N_("Not allowed as a few-shot example") },
    { DBW_USE_TESTING, N_("Prohibited for testing"), N_("Not allowed for testing") },
  };

  switch (verdict)
    {
    case DBW_GATE_PASS:
      return _("Allowed");
    case DBW_GATE_NOT_LABELED:
      return _("Not labeled");
    case DBW_GATE_PROHIBITED:
    case DBW_GATE_NOT_ALLOWED:
      for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
        if (g_strcmp0 (phrases[i].use, use) == 0)
          return _(verdict == DBW_GATE_PROHIBITED ? phrases[i].prohibited : phrases[i].not_allowed);
      return verdict == DBW_GATE_PROHIBITED ? _("Prohibited") : _("Not allowed");
    default:
      g_return_val_if_reached (NULL);
    }
}

void
dbw_constraint_change_init (DbwConstraintChange *change)
{
  g_return_if_fail (change != NULL);

  for (guint i = 0; i < DBW_N_USES; i++)
    change->uses[i] = DBW_USE_STATE_KEEP;
  change->classification = -1;
  change->reason = NULL;
}

G_DEFINE_QUARK (dbw-governance-error-quark, dbw_governance_error)
