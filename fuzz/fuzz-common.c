/* fuzz-common.c
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

#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include "fuzz.h"

/* Every warning, critical (a g_return_if_fail() that failed) and error is a finding.
 * GLib ends a fatal message with a breakpoint trap, which libFuzzer does not catch, so
 * it would lose the input: abort instead, which it reports with a stack trace and
 * saves as crash-<sha1>. This holds without G_DEBUG=fatal-warnings too. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput ret;

  ret = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_abort ();

  return ret;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);

  /* No GVfs modules: local files only, as in the tests. */
  g_setenv ("GIO_USE_VFS", "local", FALSE);

  /* Before GLib 2.76, GSlice keeps freed blocks in its own caches, where LeakSanitizer
   * cannot tell a leaked JsonNode from a free one. GLib reads G_SLICE before main(), so
   * it cannot be set from here. */
  if (glib_check_version (2, 76, 0) != NULL &&
      g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0)
    g_printerr ("Note: G_SLICE=always-malloc is not set; leaks of GSlice memory go unnoticed\n");

  return 0;
}
