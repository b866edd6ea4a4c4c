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

#include "dbw-governance-private.h"
#include "dbw-store-private.h"

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
  gboolean found = FALSE;

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return LIST_UNREADABLE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return LIST_UNREADABLE;

  /* Read to the end: ["training", 2] is no list of uses, whatever comes first. */
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return LIST_UNREADABLE;
      if (g_strcmp0 (json_node_get_string (element), use) == 0)
        found = TRUE;
    }

  return found ? LIST_PRESENT : LIST_ABSENT;
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

/* Applying a change */

#define USE_BIT(i) (1u << (i))

static gboolean
uses_from_json (const char  *json,
                guint       *bits)
{
  const char * const *uses = dbw_use_all ();

  *bits = 0;
  for (guint i = 0; uses[i] != NULL; i++)
    {
      ListMatch match = json_list_match (json, uses[i]);

      if (match == LIST_UNREADABLE)
        return FALSE;
      if (match == LIST_PRESENT)
        *bits |= USE_BIT (i);
    }
  return TRUE;
}

static char *
uses_to_json (guint bits)
{
  const char * const *uses = dbw_use_all ();
  GString *json = g_string_new ("[");

  for (guint i = 0; uses[i] != NULL; i++)
    if (bits & USE_BIT (i))
      g_string_append_printf (json, "%s\"%s\"", json->len > 1 ? ", " : "", uses[i]);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static gboolean
validate_change (const DbwConstraintChange  *change,
                 GError                    **error)
{
  const char *p = change->reason;

  while (p != NULL && g_ascii_isspace (*p))
    p++;
  if (p == NULL || *p == '\0')
    {
      g_set_error_literal (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NO_REASON,
                           _("A change of usage constraints needs a reason"));
      return FALSE;
    }
  for (guint i = 0; i < DBW_N_USES; i++)
    if (change->uses[i] < DBW_USE_STATE_KEEP || change->uses[i] > DBW_USE_STATE_NEITHER)
      {
        g_set_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_INVALID,
                     _("Unknown state for the use “%s”"), dbw_use_all ()[i]);
        return FALSE;
      }
  if (change->classification != -1 &&
      dbw_enum_to_nick (DBW_TYPE_DATA_CLASSIFICATION, change->classification) == NULL)
    {
      g_set_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_INVALID,
                   _("Unknown data classification %d"), change->classification);
      return FALSE;
    }
  return TRUE;
}

/* Items are not a target of dbw_governance_apply(); they are restricted only by what their
 * sources demand (_dbw_governance_restrict_item()). */
#define TARGET_ITEM ((DbwGovernanceTarget) (DBW_GOVERNANCE_TARGET_CANONICAL_LABEL + 1))

static const char *
target_table (DbwGovernanceTarget target)
{
  switch ((int) target)
    {
    case DBW_GOVERNANCE_TARGET_QA_PAIR:
      return "qa_pairs";
    case DBW_GOVERNANCE_TARGET_CANONICAL_LABEL:
      return "canonical_labels";
    default:
      return "items";
    }
}

/* What a change added to a row's restrictions: the uses it newly prohibits, and the
 * classification it raised the row to (-1 when it did not raise it). */
typedef struct
{
  guint prohibited;
  int   classification;
} Restriction;

static int
classification_rank (const char *nick)
{
  int rank;

  /* The schema's CHECK admits nothing else; an unknown one counts as the highest. */
  if (nick == NULL || !dbw_enum_from_nick (DBW_TYPE_DATA_CLASSIFICATION, nick, &rank))
    return DBW_CLASSIFICATION_RESTRICTED;
  return rank;
}

/* Applies @change to one row; returns 1 if it changed, 0 if not, -1 on error. With
 * @raise_only, the change's classification is a floor: a row classified higher keeps its
 * own. @added, if given, says what the change restricted further. */
static int
apply_one (DbwStore                  *store,
           DbwGovernanceTarget        target,
           const char                *id,
           const DbwConstraintChange *change,
           gboolean                   raise_only,
           const char                *now,
           Restriction               *added,
           GError                   **error)
{
  static const char *select_sql[] = {
    "SELECT allowed_uses, prohibited_uses, data_classification FROM qa_pairs WHERE id = ?1",
    "SELECT allowed_uses, prohibited_uses, data_classification FROM canonical_labels WHERE id = ?1",
    "SELECT allowed_uses, prohibited_uses, data_classification FROM items WHERE id = ?1",
  };
  /* A pair's reviewer stays who reviewed it; the audit row is given the store's user
   * afterwards. A canonical label records its modifier and gets a new version. */
  static const char *update_sql[] = {
    "UPDATE qa_pairs SET allowed_uses = ?2, prohibited_uses = ?3, data_classification = ?4,"
    " usage_reason = ?5, updated_at = ?6 WHERE id = ?1",
    "UPDATE canonical_labels SET allowed_uses = ?2, prohibited_uses = ?3, data_classification = ?4,"
    " usage_reason = ?5, last_modified_at = ?6, last_modified_by = coalesce (?7, last_modified_by),"
    " version = version + 1 WHERE id = ?1",
    "UPDATE items SET allowed_uses = ?2, prohibited_uses = ?3, data_classification = ?4,"
    " usage_reason = ?5 WHERE id = ?1",
  };
  sqlite3_stmt *stmt;
  guint old_allowed, old_prohibited, allowed, prohibited;
  g_autofree char *old_classification = NULL;
  g_autofree char *allowed_json = NULL;
  g_autofree char *prohibited_json = NULL;
  const char *classification;
  gboolean readable;
  int rc;

  if (added != NULL)
    *added = (Restriction) { 0, -1 };

  stmt = _dbw_store_prepare (store, select_sql[target], error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _dbw_store_release (store, stmt);
      if (rc == SQLITE_DONE && target == DBW_GOVERNANCE_TARGET_QA_PAIR)
        g_set_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NOT_FOUND,
                     _("No Q&A pair has the id “%s”"), id);
      else if (rc == SQLITE_DONE && target == DBW_GOVERNANCE_TARGET_CANONICAL_LABEL)
        g_set_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NOT_FOUND,
                     _("No canonical label has the id “%s”"), id);
      else if (rc == SQLITE_DONE)
        g_set_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_NOT_FOUND,
                     _("No item has the id “%s”"), id);
      else
        _dbw_store_set_error (store, rc, target_table (target), error);
      return -1;
    }
  readable = uses_from_json ((const char *) sqlite3_column_text (stmt, 0), &old_allowed) &&
             uses_from_json ((const char *) sqlite3_column_text (stmt, 1), &old_prohibited);
  old_classification = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  _dbw_store_release (store, stmt);
  if (!readable)
    {
      g_set_error (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_INVALID,
                   _("The usage lists of “%s” cannot be read"), id);
      return -1;
    }

  allowed = old_allowed;
  prohibited = old_prohibited;
  for (guint i = 0; i < DBW_N_USES; i++)
    switch (change->uses[i])
      {
      case DBW_USE_STATE_ALLOWED:
        allowed |= USE_BIT (i);
        prohibited &= ~USE_BIT (i);
        break;
      case DBW_USE_STATE_PROHIBITED:
        prohibited |= USE_BIT (i);
        allowed &= ~USE_BIT (i);
        break;
      case DBW_USE_STATE_NEITHER:
        allowed &= ~USE_BIT (i);
        prohibited &= ~USE_BIT (i);
        break;
      case DBW_USE_STATE_KEEP:
      default:
        break;
      }
  classification = old_classification;
  if (change->classification >= 0 &&
      (!raise_only || change->classification > classification_rank (old_classification)))
    classification = dbw_enum_to_nick (DBW_TYPE_DATA_CLASSIFICATION, change->classification);

  if (allowed == old_allowed && prohibited == old_prohibited &&
      g_strcmp0 (classification, old_classification) == 0)
    return 0;

  if (added != NULL)
    {
      added->prohibited = prohibited & ~old_prohibited;
      added->classification = classification_rank (classification) > classification_rank (old_classification)
                                ? classification_rank (classification) : -1;
    }

  allowed_json = uses_to_json (allowed);
  prohibited_json = uses_to_json (prohibited);

  stmt = _dbw_store_prepare (store, update_sql[target], error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, allowed_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, prohibited_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, classification, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, change->reason, -1, SQLITE_TRANSIENT);
  if (target != TARGET_ITEM)
    sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (target == DBW_GOVERNANCE_TARGET_CANONICAL_LABEL)
    sqlite3_bind_text (stmt, 7, dbw_store_get_user (store), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, target_table (target), error);
      return -1;
    }
  return 1;
}

static gint64
audit_watermark (DbwStore  *store,
                 GError   **error)
{
  sqlite3_stmt *stmt = _dbw_store_prepare (store, "SELECT coalesce (max (rowid), 0) FROM usage_constraint_audit", error);
  gint64 watermark = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    watermark = sqlite3_column_int64 (stmt, 0);
  else
    _dbw_store_set_error (store, rc, "usage_constraint_audit", error);
  _dbw_store_release (store, stmt);
  return watermark;
}

/* The audit rows added since @watermark are @user's doing (who may be unknown): a pair's
 * row would otherwise name its reviewer. */
static gboolean
audit_set_user (DbwStore    *store,
                gint64       watermark,
                const char  *user,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store, "UPDATE usage_constraint_audit SET modified_by = ?1 WHERE rowid > ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, watermark);
  rc = sqlite3_step (stmt);
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "usage_constraint_audit", error);
      return FALSE;
    }
  return TRUE;
}

/* The triggers name whoever the row says last touched it: for a pair, its reviewer. The
 * rows this transaction added are the store user's doing; say so. */
static gboolean
audit_name_user (DbwStore   *store,
                 gint64      watermark,
                 GError    **error)
{
  if (dbw_store_get_user (store) == NULL)
    return TRUE;
  return audit_set_user (store, watermark, dbw_store_get_user (store), error);
}

/* Restrictions carried down
 *
 * What is made from a row inherits its restrictions when it is made: a pair those of its
 * item (or of the canonical label it reuses), a label those of its item. A restriction the
 * row gains later — a source newly tagged as holding personal data, a label newly
 * prohibited from training — is carried down to everything already made from it, in the
 * same transaction: the uses it newly prohibits are prohibited there too, and a
 * classification below the new one is raised to it. Only what was added is carried, so an
 * expert's earlier decision on a pair about some other use stands; lifting a restriction
 * is never carried, it is for an expert to decide on each thing made. */

static gboolean restrict_made_from_item (DbwStore          *store,
                                         const char        *item_id,
                                         const Restriction *restriction,
                                         const char        *reason,
                                         const char        *now,
                                         GHashTable        *visited,
                                         GError           **error);

static gboolean restrict_made_from_label (DbwStore          *store,
                                          const char        *label_id,
                                          const Restriction *restriction,
                                          const char        *reason,
                                          const char        *now,
                                          GHashTable        *visited,
                                          GError           **error);

/* The change that imposes @restriction: its uses prohibited, its classification a floor. */
static void
restriction_to_change (const Restriction   *restriction,
                       const char          *reason,
                       DbwConstraintChange *change)
{
  dbw_constraint_change_init (change);
  for (guint i = 0; i < DBW_N_USES; i++)
    if (restriction->prohibited & USE_BIT (i))
      change->uses[i] = DBW_USE_STATE_PROHIBITED;
  change->classification = restriction->classification;
  change->reason = reason;
}

/* The ids a query with up to two text parameters selects, read before any of them changes. */
static GPtrArray *
select_ids (DbwStore    *store,
            const char  *sql,
            const char  *first,
            const char  *second,
            GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = _dbw_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  if (second != NULL)
    sqlite3_bind_text (stmt, 2, second, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, NULL, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* Restricts each row @sql selects by @restriction, and carries on below those that changed. */
static gboolean
restrict_rows (DbwStore            *store,
               DbwGovernanceTarget  target,
               const char          *sql,
               const char          *first,
               const char          *second,
               const Restriction   *restriction,
               const char          *reason,
               const char          *now,
               GHashTable          *visited,
               GError             **error)
{
  g_autoptr(GPtrArray) ids = select_ids (store, sql, first, second, error);
  DbwConstraintChange change;

  if (ids == NULL)
    return FALSE;

  restriction_to_change (restriction, reason, &change);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      Restriction added;
      int changed = apply_one (store, target, id, &change, TRUE, now, &added, error);

      if (changed < 0)
        return FALSE;
      if (changed == 0)
        continue;
      if (target == DBW_GOVERNANCE_TARGET_CANONICAL_LABEL &&
          !restrict_made_from_label (store, id, &added, reason, now, visited, error))
        return FALSE;
      if (target == TARGET_ITEM &&
          !restrict_made_from_item (store, id, &added, reason, now, visited, error))
        return FALSE;
    }
  return TRUE;
}

/* Carries @restriction, which the label @label_id gained, to the pairs that reuse it. */
static gboolean
restrict_made_from_label (DbwStore          *store,
                          const char        *label_id,
                          const Restriction *restriction,
                          const char        *reason,
                          const char        *now,
                          GHashTable        *visited,
                          GError           **error)
{
  return restrict_rows (store, DBW_GOVERNANCE_TARGET_QA_PAIR, "SELECT id FROM qa_pairs WHERE canonical_label_id = ?1",
                        label_id, NULL, restriction, reason, now, visited, error);
}

/* Carries @restriction, which the item @item_id gained, to its canonical labels, the pairs
 * made from it (any version: pairs name an item by its reference) and the items derived
 * from it. */
static gboolean
restrict_made_from_item (DbwStore          *store,
                         const char        *item_id,
                         const Restriction *restriction,
                         const char        *reason,
                         const char        *now,
                         GHashTable        *visited,
                         GError           **error)
{
  g_autofree char *sheet_id = NULL;
  g_autofree char *item_ref = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Items derive from older ones only, but a file edited by hand could say otherwise. */
  if (!g_hash_table_add (visited, g_strdup (item_id)))
    return TRUE;
  if (restriction->prohibited == 0 && restriction->classification < 0)
    return TRUE;

  stmt = _dbw_store_prepare (store, "SELECT sheet_id, item_ref FROM items WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      sheet_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item_ref = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }
  if (sheet_id == NULL)
    return TRUE;

  return restrict_rows (store, DBW_GOVERNANCE_TARGET_CANONICAL_LABEL,
                        "SELECT id FROM canonical_labels WHERE sheet_id = ?1 AND item_ref = ?2",
                        sheet_id, item_ref, restriction, reason, now, visited, error) &&
         restrict_rows (store, DBW_GOVERNANCE_TARGET_QA_PAIR,
                        "SELECT p.id FROM training_sheets AS t JOIN qa_pairs AS p ON p.training_sheet_id = t.id"
                        " WHERE t.sheet_id = ?1 AND p.item_ref = ?2",
                        sheet_id, item_ref, restriction, reason, now, visited, error) &&
         restrict_rows (store, TARGET_ITEM, "SELECT id FROM items WHERE derived_from = ?1",
                        item_id, NULL, restriction, reason, now, visited, error);
}

/* Carries what @target @id just gained (@added) down to what was made from it. */
static gboolean
carry_down (DbwStore            *store,
            DbwGovernanceTarget  target,
            const char          *id,
            const Restriction   *added,
            const char          *reason,
            const char          *now,
            GError             **error)
{
  g_autoptr(GHashTable) visited = NULL;
  gboolean carried;
  gint64 watermark;

  if (target == DBW_GOVERNANCE_TARGET_QA_PAIR || (added->prohibited == 0 && added->classification < 0))
    return TRUE;

  watermark = audit_watermark (store, error);
  if (watermark < 0)
    return FALSE;

  visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (target == TARGET_ITEM)
    carried = restrict_made_from_item (store, id, added, reason, now, visited, error);
  else
    carried = restrict_made_from_label (store, id, added, reason, now, visited, error);
  if (!carried)
    return FALSE;

  return audit_set_user (store, watermark, dbw_store_get_user (store), error);
}

/**
 * _dbw_governance_restrict_item:
 * @item_id: an item
 * @prohibited_uses: uses its source prohibits
 * @classification: the lowest classification its source allows
 * @reason: why
 * @carry: whether anything can have been made from the item's sheet (see
 *   _dbw_governance_sheet_has_dependents()); %FALSE spares a first import the lookups
 *
 * Raises the usage constraints of an item to what its source demands: @prohibited_uses
 * are prohibited, and a lower classification is raised to @classification. What the item
 * gains is carried down to its canonical labels, the Q&A pairs made from it and the items
 * derived from it. Each change is audited. Call within a transaction.
 *
 * Returns: 1 if the item changed, 0 if it already met them, -1 on error
 */
int
_dbw_governance_restrict_item (DbwStore              *store,
                               const char            *item_id,
                               const char * const    *prohibited_uses,
                               DbwDataClassification  classification,
                               const char            *reason,
                               gboolean               carry,
                               GError               **error)
{
  const char * const *uses = dbw_use_all ();
  Restriction demanded = { 0, classification };
  DbwConstraintChange change;
  Restriction added;
  int changed;

  for (guint i = 0; uses[i] != NULL; i++)
    if (prohibited_uses != NULL && g_strv_contains (prohibited_uses, uses[i]))
      demanded.prohibited |= USE_BIT (i);
  restriction_to_change (&demanded, reason, &change);

  /* An item has no time of change to stamp; only what is carried to needs one. */
  changed = apply_one (store, TARGET_ITEM, item_id, &change, TRUE, NULL, &added, error);
  if (changed > 0 && carry)
    {
      g_autofree char *now = _dbw_store_now (store);

      if (!carry_down (store, TARGET_ITEM, item_id, &added, reason, now, error))
        return -1;
    }
  return changed;
}

/**
 * _dbw_governance_sheet_has_dependents:
 * @sheet_id: a sheet
 * @has_dependents: (out): whether anything was made from its items
 *
 * Whether the items of a sheet have canonical labels, pairs (the sheet has training
 * sheets) or items derived from them in other sheets: only then can a restriction an item
 * gains reach anything. Holds for as long as the caller's transaction.
 */
gboolean
_dbw_governance_sheet_has_dependents (DbwStore    *store,
                                      const char  *sheet_id,
                                      gboolean    *has_dependents,
                                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dbw_store_prepare (store,
                             "SELECT EXISTS (SELECT 1 FROM canonical_labels WHERE sheet_id = ?1)"
                             " OR EXISTS (SELECT 1 FROM training_sheets WHERE sheet_id = ?1)"
                             " OR EXISTS (SELECT 1 FROM items AS derived JOIN items AS source ON source.id = derived.derived_from"
                             "            WHERE derived.derived_from IS NOT NULL AND derived.sheet_id <> ?1 AND source.sheet_id = ?1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sheet_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *has_dependents = sqlite3_column_int (stmt, 0) != 0;
  _dbw_store_release (store, stmt);
  if (rc != SQLITE_ROW)
    {
      _dbw_store_set_error (store, rc, "items", error);
      return FALSE;
    }
  return TRUE;
}

static gint64
apply_in_transaction (DbwStore                   *store,
                      DbwGovernanceTarget         target,
                      const char * const         *ids,
                      const DbwConstraintChange  *change,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autofree char *now = NULL;
  gint64 watermark;
  gint64 n_changed = 0;

  if (!validate_change (change, error))
    return -1;
  if (target != DBW_GOVERNANCE_TARGET_QA_PAIR && target != DBW_GOVERNANCE_TARGET_CANONICAL_LABEL)
    {
      g_set_error_literal (error, DBW_GOVERNANCE_ERROR, DBW_GOVERNANCE_ERROR_INVALID,
                           _("Usage constraints are changed on Q&A pairs or canonical labels"));
      return -1;
    }

  if (!dbw_store_begin (store, error))
    return -1;

  now = _dbw_store_now (store);
  watermark = audit_watermark (store, error);
  if (watermark < 0)
    goto failed;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      Restriction added;
      int changed;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      changed = apply_one (store, target, ids[i], change, FALSE, now, &added, error);
      if (changed < 0 || (changed > 0 && !carry_down (store, target, ids[i], &added, change->reason, now, error)))
        goto failed;
      n_changed += changed;
    }

  if (n_changed > 0 && !audit_name_user (store, watermark, error))
    goto failed;
  if (!dbw_store_commit (store, error))
    goto failed;
  return n_changed;

failed:
  dbw_store_rollback (store);
  return -1;
}

static void
emit_changes (DbwStore            *store,
              DbwGovernanceTarget  target,
              const char * const  *ids,
              gint64               n_changed)
{
  if (n_changed <= 0)
    return;
  if (g_strv_length ((char **) ids) == 1)
    dbw_store_emit_changed (store, target_table (target), DBW_CHANGE_UPDATED, ids[0]);
  else
    dbw_store_emit_changed (store, target_table (target), DBW_CHANGE_RESET, NULL);
  /* What a label newly prohibits, its pairs prohibit too. */
  if (target == DBW_GOVERNANCE_TARGET_CANONICAL_LABEL)
    dbw_store_emit_changed (store, "qa_pairs", DBW_CHANGE_RESET, NULL);
  dbw_store_emit_changed (store, "usage_constraint_audit", DBW_CHANGE_RESET, NULL);
}

/**
 * dbw_governance_apply:
 * @ids: (array zero-terminated=1): ids of rows of the target's table
 *
 * Applies @change to every target in one transaction: all of them change, or none.
 *
 * Returns: how many targets changed, -1 on error
 */
gint64
dbw_governance_apply (DbwStore                   *store,
                      DbwGovernanceTarget         target,
                      const char * const         *ids,
                      const DbwConstraintChange  *change,
                      GError                    **error)
{
  gint64 n_changed;

  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (change != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  n_changed = apply_in_transaction (store, target, ids, change, NULL, error);
  if (n_changed > 0)
    emit_changes (store, target, ids, n_changed);
  return n_changed;
}

typedef struct
{
  DbwGovernanceTarget  target;
  GStrv                ids;
  DbwConstraintChange  change;
  char                *reason;
  char                *user;
} ApplyData;

static void
apply_data_free (gpointer data)
{
  ApplyData *apply = data;

  g_strfreev (apply->ids);
  g_free (apply->reason);
  g_free (apply->user);
  g_free (apply);
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ApplyData *apply = task_data;
  g_autoptr(DbwStore) connection = NULL;
  GError *error = NULL;
  gint64 n_changed;

  connection = dbw_store_open_connection (DBW_STORE (source_object), &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  dbw_store_set_user (connection, apply->user);

  n_changed = apply_in_transaction (connection, apply->target, (const char * const *) apply->ids,
                                    &apply->change, cancellable, &error);
  dbw_store_close (connection);
  if (n_changed < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n_changed);
}

/**
 * dbw_governance_apply_async:
 *
 * Like dbw_governance_apply(), in a worker thread on a connection of its own. Cancelling
 * before the commit changes nothing. The store's "changed" signal is emitted when it
 * finishes.
 */
void
dbw_governance_apply_async (DbwStore                   *store,
                            DbwGovernanceTarget         target,
                            const char * const         *ids,
                            const DbwConstraintChange  *change,
                            GCancellable               *cancellable,
                            GAsyncReadyCallback         callback,
                            gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ApplyData *apply;

  g_return_if_fail (DBW_IS_STORE (store));
  g_return_if_fail (change != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  /* The worker checks cancellation up to its commit; a committed change is reported as made. */
  g_task_set_check_cancellable (task, FALSE);

  /* Refuse before starting a thread, and without a reason nothing is copied. */
  if (!validate_change (change, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply = g_new0 (ApplyData, 1);
  apply->target = target;
  apply->ids = g_strdupv ((char **) ids);
  apply->change = *change;
  apply->reason = g_strdup (change->reason);
  apply->change.reason = apply->reason;
  apply->user = g_strdup (dbw_store_get_user (store));
  g_task_set_task_data (task, apply, apply_data_free);
  g_task_run_in_thread (task, apply_thread);
}

gint64
dbw_governance_apply_finish (DbwStore      *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  GTask *task = G_TASK (result);
  ApplyData *apply;
  gint64 n_changed;

  g_return_val_if_fail (DBW_IS_STORE (store), -1);
  g_return_val_if_fail (g_task_is_valid (result, store), -1);

  n_changed = g_task_propagate_int (task, error);
  apply = g_task_get_task_data (task);
  if (n_changed > 0 && apply != NULL)
    emit_changes (store, apply->target, (const char * const *) apply->ids, n_changed);
  return n_changed;
}
