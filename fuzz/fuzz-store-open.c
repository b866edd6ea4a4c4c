/* fuzz-store-open.c
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

#define G_LOG_DOMAIN "fuzz-store-open"

#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "dbw-store.h"

#include "fuzz.h"

/* Opens the input as a project file with dbw_store_open(), as when a user picks any file
 * in the file chooser. It must either open — then the title and the sidebar's counts
 * are read, as the window does next — or fail with a DBW_STORE_ERROR or a G_IO_ERROR;
 * never crash, warn or hang. Every input is written to the same file in one temporary
 * directory, removed at exit. */

static char *fuzz_dir;
static char *fuzz_path;
static char *fuzz_wal_path;
static char *fuzz_shm_path;
static GFile *fuzz_file;

static void
remove_project_files (void)
{
  g_unlink (fuzz_path);
  g_unlink (fuzz_wal_path);
  g_unlink (fuzz_shm_path);
}

static void
cleanup_at_exit (void)
{
  remove_project_files ();
  g_rmdir (fuzz_dir);
}

static void
ensure_fuzz_file (void)
{
  g_autoptr(GError) error = NULL;

  if (fuzz_file != NULL)
    return;

  fuzz_dir = g_dir_make_tmp ("dbw-fuzz-store-XXXXXX", &error);
  if (fuzz_dir == NULL)
    g_error ("Could not make a temporary directory: %s", error->message);

  fuzz_path = g_build_filename (fuzz_dir, "fuzz.dbw", NULL);
  fuzz_wal_path = g_strconcat (fuzz_path, "-wal", NULL);
  fuzz_shm_path = g_strconcat (fuzz_path, "-shm", NULL);
  fuzz_file = g_file_new_for_path (fuzz_path);

  atexit (cleanup_at_exit);
}

static void
assert_open_error (const GError *error)
{
  if (error == NULL)
    g_error ("Opening failed without an error");

  if (error->domain != DBW_STORE_ERROR && error->domain != G_IO_ERROR)
    g_error ("Opening failed with %s %d instead of a DbwStoreError or GIOError: %s",
             g_quark_to_string (error->domain), error->code, error->message);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DbwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  DbwStageCounts counts;

  ensure_fuzz_file ();

  /* A -wal file left by the previous input would be replayed into this one. */
  remove_project_files ();
  if (!g_file_set_contents_full (fuzz_path, (const char *) data, (gssize) size,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &error))
    g_error ("Could not write %s: %s", fuzz_path, error->message);

  store = dbw_store_open (fuzz_file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      assert_open_error (error);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_cmpint (dbw_store_get_schema_version (store), >, 0);

  title = dbw_store_dup_title (store);
  g_assert_nonnull (title);

  if (!dbw_store_get_stage_counts (store, &counts, &error))
    assert_open_error (error);

  dbw_store_close (store);

  return 0;
}
