/* dbw-template-tester.h
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

#include <adwaita.h>

#include "dbw-sheet.h"
#include "dbw-store.h"
#include "dbw-template.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_TEST_VERDICT_PENDING,        /* waiting for the model */
  DBW_TEST_VERDICT_RENDER_FAILED,  /* a prompt could not be rendered (missing variable…) */
  DBW_TEST_VERDICT_RENDERED,       /* rendered; not sent, no endpoint is set */
  DBW_TEST_VERDICT_MODEL_FAILED,   /* the request failed */
  DBW_TEST_VERDICT_VALID,          /* the answer matches the output schema */
  DBW_TEST_VERDICT_INVALID,        /* it does not */
  DBW_TEST_VERDICT_UNCHECKED,      /* answered; the template has no output schema */
} DbwTestVerdict;

#define DBW_TYPE_TEMPLATE_TESTER (dbw_template_tester_get_type ())

G_DECLARE_FINAL_TYPE (DbwTemplateTester, dbw_template_tester, DBW, TEMPLATE_TESTER, GtkWidget)

void           dbw_template_tester_set_store        (DbwTemplateTester *self,
                                                     DbwStore          *store);
void           dbw_template_tester_set_sheet        (DbwTemplateTester *self,
                                                     DbwSheet          *sheet);
guint          dbw_template_tester_get_n_samples    (DbwTemplateTester *self);
void           dbw_template_tester_set_n_samples    (DbwTemplateTester *self,
                                                     guint              n_samples);
void           dbw_template_tester_run              (DbwTemplateTester *self,
                                                     DbwTemplate       *tmpl);
void           dbw_template_tester_cancel           (DbwTemplateTester *self);
void           dbw_template_tester_clear            (DbwTemplateTester *self);
gboolean       dbw_template_tester_get_running      (DbwTemplateTester *self);
guint          dbw_template_tester_get_n_results    (DbwTemplateTester *self);
DbwTestVerdict dbw_template_tester_get_verdict      (DbwTemplateTester *self,
                                                     guint              position);
const char    *dbw_template_tester_get_prompt       (DbwTemplateTester *self,
                                                     guint              position);
const char    *dbw_template_tester_get_output       (DbwTemplateTester *self,
                                                     guint              position);
const char    *dbw_template_tester_get_message      (DbwTemplateTester *self,
                                                     guint              position);

G_END_DECLS
