/* dbw-usage-constraints.c
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

#define G_LOG_DOMAIN "dbw-usage-constraints"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dbw-usage-constraints.h"

/* Unity Catalog tags inherited as usage constraints (main spec, "Integration with Unity
 * Catalog"): a table, column or volume tagged PII or PHI keeps its items out of training
 * and validation — out of model weights — and classifies them restricted; one tagged
 * CONFIDENTIAL keeps them out of few-shot examples and evaluation, which may be logged,
 * and classifies them confidential.
 *
 * Tags are written many ways: "pii" = "true", "contains_pii", "class.phi", or
 * "classification" = "PII". A tag counts when a word of its key names the category (unless
 * its value says no), or a word of its value does. */

/* Spelled out instead of G_DEFINE_BOXED_TYPE, whose type-checking union trips -Wpedantic. */
GType
dbw_usage_constraints_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("DbwUsageConstraints"),
                                                 (GBoxedCopyFunc) dbw_usage_constraints_copy,
                                                 (GBoxedFreeFunc) dbw_usage_constraints_free);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

static gboolean
has_word (const char *text,
          const char *word)
{
  gsize word_len = strlen (word);
  const char *p = text;

  if (text == NULL)
    return FALSE;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      if ((gsize) (p - start) == word_len && g_ascii_strncasecmp (start, word, word_len) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
says_no (const char *value)
{
  static const char * const no[] = { "false", "no", "none", "0", "n", "f", "off" };
  g_autofree char *trimmed = g_strstrip (g_strdup (value != NULL ? value : ""));

  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (trimmed, no[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
tag_names (const char *key,
           const char *value,
           const char *word)
{
  if (has_word (key, word))
    return !says_no (value);

  return has_word (value, word);
}

/**
 * dbw_tag_is_sensitive:
 * @value: (nullable): the tag's value; "" or %NULL for a tag without one
 *
 * Returns: whether a tag marks personal (PII) or health (PHI) information
 */
gboolean
dbw_tag_is_sensitive (const char *key,
                      const char *value)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return tag_names (key, value, "pii") || tag_names (key, value, "phi");
}

/**
 * dbw_tag_is_confidential:
 *
 * Returns: whether a tag marks data confidential (an NDA, proprietary data)
 */
gboolean
dbw_tag_is_confidential (const char *key,
                         const char *value)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return tag_names (key, value, "confidential");
}

/**
 * dbw_usage_constraints_new:
 * @prohibited_uses: (nullable) (array zero-terminated=1): use types (see dbw_use_all())
 * @reason: (nullable): why, in words for the audit
 */
DbwUsageConstraints *
dbw_usage_constraints_new (const char * const    *prohibited_uses,
                           DbwDataClassification  classification,
                           const char            *reason)
{
  DbwUsageConstraints *self = g_new0 (DbwUsageConstraints, 1);
  const char * const none[] = { NULL };

  self->prohibited_uses = g_strdupv ((char **) (prohibited_uses != NULL ? prohibited_uses : none));
  self->classification = classification;
  self->reason = g_strdup (reason);

  return self;
}

DbwUsageConstraints *
dbw_usage_constraints_copy (const DbwUsageConstraints *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dbw_usage_constraints_new ((const char * const *) self->prohibited_uses, self->classification, self->reason);
}

void
dbw_usage_constraints_free (DbwUsageConstraints *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->prohibited_uses);
  g_free (self->reason);
  g_free (self);
}

static void
describe_tag (GString    *text,
              const char *source,
              const char *key,
              const char *value)
{
  if (text->len > 0)
    g_string_append (text, ", ");

  if (value != NULL && *value != '\0' && g_ascii_strcasecmp (value, "true") != 0)
    g_string_append_printf (text, "%s=%s (%s)", key, value, source);
  else
    g_string_append_printf (text, "%s (%s)", key, source);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The keys of @table, sorted, so the same tags always give the same reason. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);

  return keys;
}

/**
 * dbw_usage_constraints_new_from_tags:
 * @tags: (element-type utf8 GHashTable): the tags of each source — a table
 *   ("catalog.schema.table"), a column ("catalog.schema.table.column") or a volume — as
 *   key → value ("" when the tag has none)
 *
 * Returns: (transfer full) (nullable): what the tags demand of the sources' items, with a
 *   reason naming the tags and where they are; %NULL when they demand nothing
 */
DbwUsageConstraints *
dbw_usage_constraints_new_from_tags (GHashTable *tags)
{
  g_autoptr(GString) sensitive = g_string_new (NULL);
  g_autoptr(GString) confidential = g_string_new (NULL);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GStrvBuilder) uses = g_strv_builder_new ();
  g_auto(GStrv) prohibited = NULL;
  g_autofree char *reason = NULL;
  DbwDataClassification classification;

  if (tags == NULL)
    return NULL;

  sources = sorted_keys (tags);
  for (guint i = 0; i < sources->len; i++)
    {
      const char *source = g_ptr_array_index (sources, i);
      GHashTable *source_tags = g_hash_table_lookup (tags, source);
      g_autoptr(GPtrArray) keys = NULL;

      if (source_tags == NULL)
        continue;

      keys = sorted_keys (source_tags);
      for (guint k = 0; k < keys->len; k++)
        {
          const char *key = g_ptr_array_index (keys, k);
          const char *value = g_hash_table_lookup (source_tags, key);

          /* One tag can say both ("classification = PII, CONFIDENTIAL"). */
          if (dbw_tag_is_sensitive (key, value))
            describe_tag (sensitive, source, key, value);
          if (dbw_tag_is_confidential (key, value))
            describe_tag (confidential, source, key, value);
        }
    }

  if (sensitive->len == 0 && confidential->len == 0)
    return NULL;

  if (sensitive->len > 0)
    {
      g_strv_builder_add_many (uses, DBW_USE_TRAINING, DBW_USE_VALIDATION, NULL);
      classification = DBW_CLASSIFICATION_RESTRICTED;
    }
  else
    classification = DBW_CLASSIFICATION_CONFIDENTIAL;

  if (confidential->len > 0)
    g_strv_builder_add_many (uses, DBW_USE_FEW_SHOT, DBW_USE_EVALUATION, NULL);

  if (sensitive->len > 0 && confidential->len > 0)
    /* Translators: both %s list Unity Catalog tags and where they are, e.g. "pii (main.clinic.patients.ssn)" */
    reason = g_strdup_printf (_("Source tagged %s in Unity Catalog (personal or health data) and %s (confidential): compliance restriction"),
                              sensitive->str, confidential->str);
  else if (sensitive->len > 0)
    /* Translators: %s lists Unity Catalog tags and where they are, e.g. "pii (main.clinic.patients.ssn)" */
    reason = g_strdup_printf (_("Source tagged %s in Unity Catalog (personal or health data): compliance restriction"),
                              sensitive->str);
  else
    /* Translators: %s lists Unity Catalog tags and where they are */
    reason = g_strdup_printf (_("Source tagged %s in Unity Catalog (confidential): compliance restriction"),
                              confidential->str);

  prohibited = g_strv_builder_end (uses);

  return dbw_usage_constraints_new ((const char * const *) prohibited, classification, reason);
}
