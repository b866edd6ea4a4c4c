/* test-util.h — helpers shared by the core tests
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dbw-store.h"
#include "test-query.h"

/* A fresh directory per test, removed with its files at the end. */
static inline char *
test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("dbw-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static inline DbwStore *
test_create_store (const char *dir,
                   const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  DbwStore *store = dbw_store_open (file, DBW_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static inline char *
test_file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} TestCopied;

static inline void
test_copied_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TestCopied *copied = user_data;

  dbw_store_save_copy_finish (DBW_STORE (object), result, &copied->error);
  copied->done = TRUE;
}

/* dbw_store_save_copy_async(), waited for. */
static inline gboolean
test_save_copy (DbwStore      *store,
                GFile         *destination,
                GCancellable  *cancellable,
                GError       **error)
{
  TestCopied copied = { FALSE, NULL };

  dbw_store_save_copy_async (store, destination, cancellable, test_copied_cb, &copied);
  while (!copied.done)
    g_main_context_iteration (NULL, TRUE);
  if (copied.error != NULL)
    {
      g_propagate_error (error, copied.error);
      return FALSE;
    }

  return TRUE;
}
