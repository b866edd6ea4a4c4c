/* fuzz.h
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

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called once before the first input, by libFuzzer and by fuzz-main.c; defined in
 * fuzz-common.c, linked into every harness. It makes every warning, critical and
 * error abort. */
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

/* The entry point every harness defines. libFuzzer calls it with each input it makes;
 * fuzz-main.c calls it with each file of a corpus, so the harnesses also build and run
 * as regression tests without libFuzzer (and with gcc). It returns 0; a failed check
 * aborts. */
int LLVMFuzzerTestOneInput (const guint8  *data,
                            size_t         size);

G_END_DECLS
