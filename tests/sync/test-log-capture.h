/* test-log-capture.h — every log line of a test, to prove secrets never reach one
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <glib.h>

static GMutex test_log_mutex;
static GString *test_log;

/* Worker threads log too: the capture is locked. Warnings and worse still reach the
 * default writer, so they fail the test as usual. */
static inline GLogWriterOutput
test_log_capture_writer (GLogLevelFlags   log_level,
                         const GLogField *fields,
                         gsize            n_fields,
                         gpointer         user_data)
{
  g_mutex_lock (&test_log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append_printf (test_log, "%s=%s ", fields[i].key, (const char *) fields[i].value);
    }
  g_string_append_c (test_log, '\n');
  g_mutex_unlock (&test_log_mutex);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/* Call once from main(), before g_test_run(), with G_MESSAGES_DEBUG=all set. */
static inline void
test_log_capture_install (void)
{
  test_log = g_string_new (NULL);
  g_log_set_writer_func (test_log_capture_writer, NULL, NULL);
}

static inline void
test_log_capture_reset (void)
{
  g_mutex_lock (&test_log_mutex);
  g_string_truncate (test_log, 0);
  g_mutex_unlock (&test_log_mutex);
}

static inline gboolean
test_log_capture_contains (const char *needle)
{
  gboolean found;

  g_mutex_lock (&test_log_mutex);
  found = strstr (test_log->str, needle) != NULL;
  g_mutex_unlock (&test_log_mutex);

  return found;
}
