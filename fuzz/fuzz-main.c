/* fuzz-main.c
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

#define G_LOG_DOMAIN "fuzz-main"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* A stand-in for libFuzzer's driver: runs LLVMFuzzerTestOneInput once over every file
 * named on the command line, or found directly inside a directory named there, in name
 * order. Used for the corpus regression tests and to replay a crash without libFuzzer:
 *
 *   fuzz-csv-reader fuzz/corpus/fuzz-csv-reader crash-0123abcd
 */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const char * const *name_a = a;
  const char * const *name_b = b;

  return strcmp (*name_a, *name_b);
}

static gboolean
run_file (const char  *path,
          GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  /* Like libFuzzer, hand over a buffer of exactly the input's size (never NULL), so
   * AddressSanitizer catches a read one byte past the end. */
  data = g_malloc (MAX (len, 1));
  if (len > 0)
    memcpy (data, contents, len);
  g_clear_pointer (&contents, g_free);

  g_printerr ("Running %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  LLVMFuzzerTestOneInput (data, len);

  return TRUE;
}

static gboolean
run_directory (const char  *path,
               guint       *n_inputs,
               GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* .gitignore and the like are not inputs. */
      if (name[0] != '.')
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        continue;

      if (!run_file (child, error))
        return FALSE;
      (*n_inputs)++;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_inputs = 0;

  LLVMFuzzerInitialize (&argc, &argv);

  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE-OR-DIRECTORY…\n", argv[0]);
      return EXIT_FAILURE;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          ok = run_directory (argv[i], &n_inputs, &error);
        }
      else
        {
          ok = run_file (argv[i], &error);
          if (ok)
            n_inputs++;
        }

      if (!ok)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  /* An empty corpus means a wrong path, not a pass. */
  if (n_inputs == 0)
    {
      g_printerr ("No inputs found\n");
      return EXIT_FAILURE;
    }

  g_print ("Ran %u inputs\n", n_inputs);

  return EXIT_SUCCESS;
}
