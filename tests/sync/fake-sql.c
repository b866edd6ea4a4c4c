/* fake-sql.c — the Databricks SQL the fake workspace understands, run on SQLite
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "fake-sql.h"

/* Not a SQL engine: enough of Databricks SQL, as the sync service and the Unity Catalog
 * sheets write it, rewritten into SQLite.
 * - `catalog`.`schema`.`table` becomes one table named "catalog.schema.table";
 * - current_timestamp() is ISO 8601 text with milliseconds, which orders as text;
 * - CREATE SCHEMA / CREATE VOLUME succeed and do nothing; USING DELTA is dropped;
 * - ALTER TABLE … ADD COLUMNS (a T, b T) adds them one by one, all or none;
 * - FROM VALUES (…) AS v(a, b) becomes a subquery naming SQLite's column1, column2;
 * - MERGE INTO … USING (…) AS s ON … WHEN [NOT] MATCHED [AND …] THEN UPDATE SET … | INSERT
 *   runs clause by clause, each source row taken by its first matching clause;
 * - read_files(:path, format => 'json', schema => :schema) reads a staged JSON-lines file;
 * - base64() and unbase64(), rand() and xxhash64() (any stable 64-bit hash will do);
 * - CAST(… AS STRING) is CAST(… AS TEXT); concat() is NULL when an argument is;
 * - ai_query(endpoint, prompt, modelParameters => named_struct(…)) answers from the prompt
 *   alone: {"label": "warm" for an even length, else "cold", "endpoint": …, "length": …};
 *   "[not json]" in the prompt makes it answer prose, "[fail]" makes the statement fail. */

static void
base64_func (sqlite3_context  *context,
             int               argc,
             sqlite3_value   **argv)
{
  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  sqlite3_result_text (context,
                       g_base64_encode (sqlite3_value_blob (argv[0]), sqlite3_value_bytes (argv[0])),
                       -1, g_free);
}

static void
unbase64_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  gsize length = 0;
  guchar *data;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  data = g_base64_decode ((const char *) sqlite3_value_text (argv[0]), &length);
  sqlite3_result_blob64 (context, data, length, g_free);
}

static void
rand_func (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  sqlite3_result_double (context, g_random_double ());
}

/* FNV-1a over the arguments' text. */
static void
xxhash64_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  guint64 hash = G_GUINT64_CONSTANT (14695981039346656037);

  for (int i = 0; i < argc; i++)
    {
      const unsigned char *text = sqlite3_value_text (argv[i]);

      for (const unsigned char *p = text; p != NULL && *p != '\0'; p++)
        hash = (hash ^ *p) * G_GUINT64_CONSTANT (1099511628211);
      hash = (hash ^ 0x1f) * G_GUINT64_CONSTANT (1099511628211);
    }

  sqlite3_result_int64 (context, (sqlite3_int64) hash);
}

static void
concat_func (sqlite3_context  *context,
             int               argc,
             sqlite3_value   **argv)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    {
      if (sqlite3_value_type (argv[i]) == SQLITE_NULL)
        {
          g_string_free (out, TRUE);
          sqlite3_result_null (context);
          return;
        }
      g_string_append (out, (const char *) sqlite3_value_text (argv[i]));
    }

  sqlite3_result_text (context, g_string_free (out, FALSE), -1, g_free);
}

/* Only what ai_query() reads of it: nothing. */
static void
named_struct_func (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  sqlite3_result_text (context, "{}", -1, SQLITE_STATIC);
}

static void
ai_query_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const char *endpoint;
  const char *prompt;
  gsize length;

  if (argc < 2 || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  endpoint = (const char *) sqlite3_value_text (argv[0]);
  prompt = (const char *) sqlite3_value_text (argv[1]);
  if (strstr (prompt, "[fail]") != NULL)
    {
      sqlite3_result_error (context, "[AI_FUNCTION_HTTP_REQUEST_ERROR] the endpoint answered 500", -1);
      return;
    }
  if (strstr (prompt, "[not json]") != NULL)
    {
      sqlite3_result_text (context, "It is warm there.", -1, SQLITE_STATIC);
      return;
    }

  length = g_utf8_strlen (prompt, -1);
  sqlite3_result_text (context,
                       g_strdup_printf ("{\"label\":\"%s\",\"endpoint\":\"%s\",\"length\":%" G_GSIZE_FORMAT "}",
                                        length % 2 == 0 ? "warm" : "cold", endpoint, length),
                       -1, g_free);
}

void
fake_sql_register_functions (sqlite3 *db)
{
  sqlite3_create_function (db, "concat", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, concat_func, NULL, NULL);
  sqlite3_create_function (db, "named_struct", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, named_struct_func, NULL, NULL);
  sqlite3_create_function (db, "ai_query", -1, SQLITE_UTF8, NULL, ai_query_func, NULL, NULL);
  sqlite3_create_function (db, "rand", -1, SQLITE_UTF8, NULL, rand_func, NULL, NULL);
  sqlite3_create_function (db, "xxhash64", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, xxhash64_func, NULL, NULL);
  sqlite3_create_function (db, "base64", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, base64_func, NULL, NULL);
  sqlite3_create_function (db, "unbase64", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, unbase64_func, NULL, NULL);
}

/* Skips a quoted run starting at @p ('…' or `…` or "…"); returns the position after it. */
static const char *
skip_quoted (const char *p)
{
  char quote = *p++;

  while (*p != '\0')
    {
      if (*p == quote)
        {
          if (p[1] == quote)
            {
              p += 2;
              continue;
            }
          return p + 1;
        }
      p++;
    }
  return p;
}

static gboolean
starts_with_word (const char *p,
                  const char *word)
{
  gsize n = strlen (word);

  return g_ascii_strncasecmp (p, word, n) == 0 && !g_ascii_isalnum (p[n]) && p[n] != '_';
}

/* Finds @word at parenthesis depth 0, outside quotes, from @p; NULL when absent. */
static const char *
find_top_level (const char *start,
                const char *word)
{
  const char *p = start;
  int depth = 0;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '`' || *p == '"')
        {
          p = skip_quoted (p);
          continue;
        }
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      else if (depth == 0 && (p == start || (!g_ascii_isalnum (p[-1]) && p[-1] != '_')) && starts_with_word (p, word))
        return p;
      p++;
    }
  return NULL;
}

static const char *
matching_paren (const char *open)
{
  int depth = 0;
  const char *p = open;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '`' || *p == '"')
        {
          p = skip_quoted (p);
          continue;
        }
      if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        return p;
      p++;
    }
  return NULL;
}

/* `a`.`b`.`c` → "a.b.c" (a table); other backticks → double quotes, so `p`.`id` (a
 * column of a table known as p) stays "p"."id". */
static void
append_identifiers (GString    *out,
                    const char *sql)
{
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'')
        {
          const char *end = skip_quoted (p);

          g_string_append_len (out, p, end - p);
          p = end;
          continue;
        }
      if (*p == '`')
        {
          g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

          for (;;)
            {
              const char *end = skip_quoted (p);

              g_ptr_array_add (parts, g_strndup (p + 1, end - p - 2));
              p = end;
              if (p[0] == '.' && p[1] == '`')
                {
                  p++;
                  continue;
                }
              break;
            }

          if (parts->len == 3)
            g_string_append_printf (out, "\"%s.%s.%s\"", (char *) parts->pdata[0], (char *) parts->pdata[1], (char *) parts->pdata[2]);
          else
            for (guint i = 0; i < parts->len; i++)
              g_string_append_printf (out, "%s\"%s\"", i > 0 ? "." : "", (char *) parts->pdata[i]);
          continue;
        }
      g_string_append_c (out, *p++);
    }
}

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

/* FROM VALUES (…), (…) AS v(a, b) → FROM (SELECT column1 AS a, column2 AS b FROM (VALUES …)) AS v */
static char *
translate_values (const char *sql)
{
  const char *from = strstr (sql, "FROM VALUES ");
  const char *as;
  const char *close;
  g_auto(GStrv) names = NULL;
  g_autofree char *list = NULL;
  GString *out;

  if (from == NULL)
    return g_strdup (sql);
  as = find_top_level (from + strlen ("FROM VALUES "), "AS");
  if (as == NULL)
    return g_strdup (sql);
  /* "AS v(" */
  close = matching_paren (strchr (as, '('));
  if (close == NULL)
    return g_strdup (sql);
  list = g_strndup (strchr (as, '(') + 1, close - strchr (as, '(') - 1);
  names = g_strsplit (list, ",", -1);

  out = g_string_new (NULL);
  g_string_append_len (out, sql, from - sql);
  g_string_append (out, "FROM (SELECT ");
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (out, "%scolumn%u AS %s", i > 0 ? ", " : "", i + 1, g_strstrip (names[i]));
  g_string_append (out, " FROM (");
  g_string_append_len (out, from + strlen ("FROM "), as - from - strlen ("FROM "));
  g_string_append (out, ")) AS v");
  g_string_append (out, close + 1);

  return g_string_free (out, FALSE);
}

char *
fake_sql_translate (const char *sql)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *stamped = NULL;
  g_autofree char *no_delta = NULL;
  g_autofree char *as_text = NULL;
  g_autofree char *plain_arguments = NULL;

  append_identifiers (out, sql);
  stamped = replace_all (out->str, "current_timestamp()", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  no_delta = replace_all (stamped, " USING DELTA", "");
  as_text = replace_all (no_delta, " AS STRING)", " AS TEXT)");
  plain_arguments = replace_all (as_text, "modelParameters => ", "");

  return translate_values (plain_arguments);
}

gboolean
fake_sql_is_noop (const char *sql)
{
  while (g_ascii_isspace (*sql))
    sql++;
  return g_ascii_strncasecmp (sql, "CREATE SCHEMA ", 14) == 0 ||
         g_ascii_strncasecmp (sql, "CREATE VOLUME ", 14) == 0;
}

gboolean
fake_sql_is_merge (const char *sql)
{
  while (g_ascii_isspace (*sql))
    sql++;
  return g_ascii_strncasecmp (sql, "MERGE INTO ", 11) == 0;
}

gboolean
fake_sql_is_add_columns (const char *sql)
{
  while (g_ascii_isspace (*sql))
    sql++;
  return g_ascii_strncasecmp (sql, "ALTER TABLE ", 12) == 0 && find_top_level (sql, "ADD") != NULL &&
         find_top_level (sql, "COLUMNS") != NULL;
}

/* ALTER TABLE <target> ADD COLUMNS (<spec>, …): SQLite adds one column a statement. */
gboolean
fake_sql_add_columns (sqlite3     *db,
                      const char  *sql,
                      char       **error)
{
  const char *start;
  const char *add;
  const char *open;
  const char *close;
  const char *spec;
  g_autofree char *target = NULL;
  int depth = 0;

  while (g_ascii_isspace (*sql))
    sql++;
  start = sql + strlen ("ALTER TABLE ");
  add = find_top_level (start, "ADD");
  open = strchr (add, '(');
  close = open != NULL ? matching_paren (open) : NULL;
  if (close == NULL)
    {
      *error = g_strdup ("[PARSE_SYNTAX_ERROR] the fake workspace cannot read this ALTER TABLE");
      return FALSE;
    }
  target = g_strstrip (g_strndup (start, add - start));
  spec = open + 1;

  sqlite3_exec (db, "SAVEPOINT add_columns", NULL, NULL, NULL);
  for (const char *p = spec; p <= close; p++)
    {
      if (*p == '`')
        {
          p = skip_quoted (p) - 1;
          continue;
        }
      if (*p == '(')
        depth++;
      else if (*p == ')' && p != close)
        depth--;
      else if (p == close || (*p == ',' && depth == 0))
        {
          g_autofree char *column = g_strstrip (g_strndup (spec, p - spec));
          g_autofree char *one = g_strdup_printf ("ALTER TABLE %s ADD COLUMN %s", target, column);
          g_autofree char *translated = fake_sql_translate (one);
          char *message = NULL;

          if (sqlite3_exec (db, translated, NULL, NULL, &message) != SQLITE_OK)
            {
              /* SQLite says "duplicate column name" where the workspace says FIELDS_ALREADY_EXISTS. */
              *error = g_strdup_printf ("[FIELDS_ALREADY_EXISTS] %s", message);
              sqlite3_free (message);
              sqlite3_exec (db, "ROLLBACK TO add_columns; RELEASE add_columns", NULL, NULL, NULL);
              return FALSE;
            }
          spec = p + 1;
        }
    }
  sqlite3_exec (db, "RELEASE add_columns", NULL, NULL, NULL);

  return TRUE;
}

static const char *
parameter_value (JsonArray  *parameters,
                 const char *name)
{
  for (guint i = 0; parameters != NULL && i < json_array_get_length (parameters); i++)
    {
      JsonObject *parameter = json_array_get_object_element (parameters, i);
      JsonNode *value = json_object_get_member (parameter, "value");

      if (g_strcmp0 (json_object_get_string_member (parameter, "name"), name) == 0)
        return value != NULL && !JSON_NODE_HOLDS_NULL (value) ? json_node_get_string (value) : NULL;
    }
  return NULL;
}

void
fake_sql_bind (sqlite3_stmt *stmt,
               JsonArray    *parameters)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  int n = sqlite3_bind_parameter_count (stmt);

  if (parameters == NULL || n == 0)
    return;

  /* By name, once: a MERGE of a few hundred rows has thousands of parameters. */
  for (guint i = 0; i < json_array_get_length (parameters); i++)
    {
      JsonObject *parameter = json_array_get_object_element (parameters, i);

      g_hash_table_insert (values, (gpointer) json_object_get_string_member (parameter, "name"),
                           json_object_get_member (parameter, "value"));
    }

  for (int index = 1; index <= n; index++)
    {
      const char *name = sqlite3_bind_parameter_name (stmt, index);
      JsonNode *value;

      if (name == NULL || name[0] != ':' || !g_hash_table_lookup_extended (values, name + 1, NULL, (gpointer *) &value))
        continue;
      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_text (stmt, index, json_node_get_string (value), -1, SQLITE_TRANSIENT);
    }
}

static gboolean
exec_bound (sqlite3     *db,
            const char  *sql,
            JsonArray   *parameters,
            char       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      *error = g_strdup_printf ("%s in: %s", sqlite3_errmsg (db), sql);
      return FALSE;
    }
  fake_sql_bind (stmt, parameters);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    *error = g_strdup (sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

/* Loads a staged JSON-lines file into temp.staged and rewrites read_files(…) to it. */
static char *
stage_read_files (sqlite3         *db,
                  const char      *source,
                  JsonArray       *parameters,
                  FakeSqlReadFile  read_file,
                  gpointer         user_data,
                  char           **error)
{
  const char *call = strstr (source, "read_files(");
  const char *close;
  const char *path;
  const char *schema;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) create = g_string_new ("CREATE TEMP TABLE staged (");
  g_autoptr(GString) insert = g_string_new ("INSERT INTO temp.staged VALUES (");
  g_auto(GStrv) lines = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out;

  if (call == NULL)
    return g_strdup (source);
  close = matching_paren (call + strlen ("read_files"));
  path = parameter_value (parameters, "path");
  schema = parameter_value (parameters, "schema");
  if (close == NULL || path == NULL || schema == NULL || read_file == NULL ||
      (contents = read_file (path, user_data)) == NULL)
    {
      *error = g_strdup_printf ("[PATH_NOT_FOUND] Path does not exist: %s", path ? path : "(none)");
      return NULL;
    }

  for (const char *p = schema; (p = strchr (p, '`')) != NULL;)
    {
      const char *end = strchr (p + 1, '`');

      g_ptr_array_add (columns, g_strndup (p + 1, end - p - 1));
      p = end + 1;
    }
  for (guint i = 0; i < columns->len; i++)
    {
      g_string_append_printf (create, "%s\"%s\"", i > 0 ? ", " : "", (char *) g_ptr_array_index (columns, i));
      g_string_append_printf (insert, "%s?", i > 0 ? ", " : "");
    }
  g_string_append (create, ")");
  g_string_append (insert, ")");

  if (!exec_bound (db, "DROP TABLE IF EXISTS temp.staged", NULL, error) ||
      !exec_bound (db, create->str, NULL, error) ||
      sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;

  lines = g_strsplit (g_bytes_get_data (contents, NULL), "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (*g_strstrip (lines[l]) == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[l], -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          *error = g_strdup_printf ("[MALFORMED_RECORD_IN_PARSING] line %u of %s", l + 1, path);
          sqlite3_finalize (stmt);
          return NULL;
        }
      object = json_node_get_object (json_parser_get_root (parser));
      sqlite3_reset (stmt);
      for (guint i = 0; i < columns->len; i++)
        {
          JsonNode *value = json_object_get_member (object, g_ptr_array_index (columns, i));

          if (value == NULL || JSON_NODE_HOLDS_NULL (value))
            sqlite3_bind_null (stmt, i + 1);
          else
            sqlite3_bind_text (stmt, i + 1, json_node_get_string (value), -1, SQLITE_TRANSIENT);
        }
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  out = g_string_new (NULL);
  g_string_append_len (out, source, call - source);
  g_string_append (out, "temp.staged");
  g_string_append (out, close + 1);
  return g_string_free (out, FALSE);
}

/* Splits "t.`a` = s.`a`, t.`b` = …" (translated) into assignments without the t. */
static char *
strip_target_prefix (const char *assignments)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = assignments;
  int depth = 0;
  gboolean at_start = TRUE;

  while (*p != '\0')
    {
      if (at_start)
        {
          while (g_ascii_isspace (*p))
            p++;
          if (p[0] == 't' && p[1] == '.')
            p += 2;
          at_start = FALSE;
          continue;
        }
      if (*p == '\'' || *p == '"')
        {
          const char *end = skip_quoted (p);

          g_string_append_len (out, p, end - p);
          p = end;
          continue;
        }
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      else if (*p == ',' && depth == 0)
        at_start = TRUE;
      g_string_append_c (out, *p++);
    }

  return g_strdup (out->str);
}

gboolean
fake_sql_merge (sqlite3          *db,
                const char       *sql,
                JsonArray        *parameters,
                FakeSqlReadFile   read_file,
                gpointer          user_data,
                gint64           *n_inserted,
                gint64           *n_updated,
                char            **error)
{
  g_autofree char *text = fake_sql_translate (sql);
  g_autofree char *target = NULL;
  g_autofree char *source = NULL;
  g_autofree char *staged_source = NULL;
  g_autofree char *on = NULL;
  g_autofree char *create = NULL;
  const char *using;
  const char *open;
  const char *close;
  const char *on_start;
  const char *when;

  *n_inserted = *n_updated = 0;

  /* MERGE INTO <target> AS t USING (<source>) AS s ON <on> WHEN … */
  using = find_top_level (text, "USING");
  on_start = using ? find_top_level (using, "ON") : NULL;
  when = on_start ? find_top_level (on_start, "WHEN") : NULL;
  if (using == NULL || on_start == NULL || when == NULL || (open = strchr (using, '(')) == NULL ||
      (close = matching_paren (open)) == NULL)
    {
      *error = g_strdup ("[PARSE_SYNTAX_ERROR] the fake workspace cannot read this MERGE");
      return FALSE;
    }
  target = g_strndup (text + strlen ("MERGE INTO "), using - text - strlen ("MERGE INTO "));
  if (g_str_has_suffix (g_strstrip (target), " AS t"))
    target[strlen (target) - strlen (" AS t")] = '\0';
  source = g_strndup (open + 1, close - open - 1);
  on = g_strndup (on_start + 2, when - on_start - 2);

  staged_source = stage_read_files (db, source, parameters, read_file, user_data, error);
  if (staged_source == NULL)
    return FALSE;

  create = g_strdup_printf ("CREATE TEMP TABLE merge_source AS %s", staged_source);
  if (!exec_bound (db, "DROP TABLE IF EXISTS temp.merge_source", NULL, error) ||
      !exec_bound (db, "DROP TABLE IF EXISTS temp.merge_done", NULL, error) ||
      !exec_bound (db, create, parameters, error) ||
      !exec_bound (db, "CREATE TEMP TABLE merge_done (rid INTEGER PRIMARY KEY)", NULL, error))
    return FALSE;

  while (when != NULL)
    {
      const char *next = find_top_level (when + 4, "WHEN");
      g_autofree char *clause = next ? g_strndup (when, next - when) : g_strdup (when);
      const char *then = find_top_level (clause, "THEN");
      gboolean matched = !starts_with_word (clause + 5, "NOT");
      const char *and = find_top_level (clause, "AND");
      g_autofree char *condition = NULL;
      g_autofree char *action = NULL;

      if (then == NULL)
        {
          *error = g_strdup ("[PARSE_SYNTAX_ERROR] WHEN without THEN");
          return FALSE;
        }
      condition = and != NULL && and < then ? g_strndup (and + 3, then - and - 3) : g_strdup ("1");
      action = g_strdup (then + 4);
      g_strstrip (action);

      if (matched && g_ascii_strncasecmp (action, "UPDATE SET ", 11) == 0)
        {
          g_autofree char *assignments = strip_target_prefix (action + 11);
          g_autofree char *hit = g_strdup_printf ("CREATE TEMP TABLE merge_hit AS SELECT s.rowid AS rid, t.rowid AS tid "
                                                  "FROM temp.merge_source AS s JOIN %s AS t ON %s "
                                                  "WHERE s.rowid NOT IN (SELECT rid FROM temp.merge_done) AND (%s)",
                                                  target, on, condition);
          g_autofree char *update = g_strdup_printf ("UPDATE %s AS t SET %s FROM temp.merge_hit AS h "
                                                     "JOIN temp.merge_source AS s ON s.rowid = h.rid WHERE t.rowid = h.tid",
                                                     target, assignments);

          if (!exec_bound (db, "DROP TABLE IF EXISTS temp.merge_hit", NULL, error) ||
              !exec_bound (db, hit, parameters, error) ||
              !exec_bound (db, update, parameters, error))
            return FALSE;
          *n_updated += sqlite3_changes (db);
          if (!exec_bound (db, "INSERT INTO temp.merge_done SELECT rid FROM temp.merge_hit", NULL, error))
            return FALSE;
        }
      else if (!matched && g_ascii_strncasecmp (action, "INSERT ", 7) == 0)
        {
          const char *columns = strchr (action, '(');
          const char *columns_end = columns ? matching_paren (columns) : NULL;
          const char *values = columns_end ? strstr (columns_end, "VALUES") : NULL;
          const char *values_open = values ? strchr (values, '(') : NULL;
          const char *values_end = values_open ? matching_paren (values_open) : NULL;
          g_autofree char *column_list = NULL;
          g_autofree char *value_list = NULL;
          g_autofree char *insert = NULL;

          if (values_end == NULL)
            {
              *error = g_strdup ("[PARSE_SYNTAX_ERROR] INSERT needs (columns) VALUES (values)");
              return FALSE;
            }
          column_list = g_strndup (columns, columns_end - columns + 1);
          value_list = g_strndup (values_open + 1, values_end - values_open - 1);
          insert = g_strdup_printf ("INSERT INTO %s %s SELECT %s FROM temp.merge_source AS s "
                                    "WHERE s.rowid NOT IN (SELECT rid FROM temp.merge_done) "
                                    "AND NOT EXISTS (SELECT 1 FROM %s AS t WHERE %s) AND (%s)",
                                    target, column_list, value_list, target, on, condition);
          if (!exec_bound (db, insert, parameters, error))
            return FALSE;
          *n_inserted += sqlite3_changes (db);
        }
      else
        {
          *error = g_strdup_printf ("[PARSE_SYNTAX_ERROR] the fake workspace cannot run “%s”", action);
          return FALSE;
        }

      when = next;
    }

  return TRUE;
}
