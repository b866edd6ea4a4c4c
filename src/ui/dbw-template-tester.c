/* dbw-template-tester.c
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

#define G_LOG_DOMAIN "dbw-template-tester"

#include "config.h"

#include <glib/gi18n.h>

#include "dbw-json-schema.h"
#include "dbw-llm-client.h"
#include "dbw-llm-connect.h"
#include "dbw-pair-builder.h"
#include "dbw-sheet-ops.h"
#include "dbw-template-tester.h"

/* Tries a template on a few items before a whole sheet is generated with it: takes a
 * random sample of the chosen sheet's items (in a worker thread), renders the messages
 * for each — an item that cannot be rendered says which variable is missing — sends them
 * to the language model set in Preferences, and checks each answer against the output
 * schema. The messages and the check are DbwPairBuilder's, so what is tried is what
 * Generate sends. The rendered prompt and the answer show side by side. Without an
 * endpoint the prompts are still rendered, which needs no network. Everything is
 * cancellable and nothing is stored. */

/* More text than this is cut in the view; the model gets all of it. */
#define MAX_SHOWN_CHARS 6000

typedef struct
{
  char           *item_ref;
  char           *prompt;
  char           *output;
  char           *message;
  DbwTestVerdict  verdict;
  JsonArray      *messages;

  GtkWidget      *badge;
  GtkLabel       *message_label;
  GtkLabel       *output_label;
  GtkSpinner     *output_spinner;
} Result;

struct _DbwTemplateTester
{
  GtkWidget      parent_instance;

  DbwStore      *store;
  DbwSheet      *sheet;
  DbwTemplate   *template;     /* the copy being tried */
  DbwPairBuilder *builder;     /* what Generate would send for it */
  GCancellable  *cancellable;
  GPtrArray     *results;
  guint          run;          /* answers of older runs are dropped */
  guint          n_pending;
  guint32        seed;
  gboolean       running;

  GtkSpinButton *samples_spin;
  GtkButton     *cancel_button;
  GtkSpinner    *spinner;
  GtkLabel      *summary_label;
  GtkRevealer   *endpoint_revealer;
  GtkBox        *results_box;
};

G_DEFINE_FINAL_TYPE (DbwTemplateTester, dbw_template_tester, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  DbwTemplateTester *self;
  guint              run;
  guint              position;
} Reply;

static const char sample_tag[] = "dbw-template-tester-sample";

typedef struct
{
  GFile   *file;
  char    *sheet_id;
  guint    n;
  guint32  seed;
} SampleJob;

static void
sample_job_free (SampleJob *job)
{
  g_object_unref (job->file);
  g_free (job->sheet_id);
  g_free (job);
}

static void
result_free (Result *result)
{
  g_free (result->item_ref);
  g_free (result->prompt);
  g_free (result->output);
  g_free (result->message);
  g_clear_pointer (&result->messages, json_array_unref);
  g_free (result);
}

static void
reply_free (Reply *reply)
{
  g_object_unref (reply->self);
  g_free (reply);
}

static char *
shorten (const char *text)
{
  glong length = g_utf8_strlen (text, -1);
  g_autofree char *head = NULL;

  if (length <= MAX_SHOWN_CHARS)
    return g_strdup (text);

  head = g_utf8_substring (text, 0, MAX_SHOWN_CHARS);
  /* Translators: after a long text cut short, "… (12345 more characters)" */
  return g_strdup_printf (_("%s… (%ld more characters)"), head, length - MAX_SHOWN_CHARS);
}

static void
set_running (DbwTemplateTester *self,
             gboolean           running)
{
  if (self->running == running)
    return;

  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RUNNING]);
}

static void
update_summary (DbwTemplateTester *self)
{
  guint counts[DBW_TEST_VERDICT_UNCHECKED + 1] = { 0, };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->results->len; i++)
    counts[((Result *) g_ptr_array_index (self->results, i))->verdict]++;

  if (self->results->len == 0)
    return;

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", self->results->len), self->results->len);
  if (counts[DBW_TEST_VERDICT_PENDING] > 0)
    g_string_append_printf (text, _(" · %u waiting for the model"), counts[DBW_TEST_VERDICT_PENDING]);
  if (counts[DBW_TEST_VERDICT_VALID] > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u matches the output schema", " · %u match the output schema",
                                               counts[DBW_TEST_VERDICT_VALID]),
                            counts[DBW_TEST_VERDICT_VALID]);
  if (counts[DBW_TEST_VERDICT_INVALID] > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u does not match the output schema", " · %u do not match the output schema",
                                               counts[DBW_TEST_VERDICT_INVALID]),
                            counts[DBW_TEST_VERDICT_INVALID]);
  if (counts[DBW_TEST_VERDICT_UNCHECKED] > 0)
    g_string_append_printf (text, _(" · %u answered"), counts[DBW_TEST_VERDICT_UNCHECKED]);
  if (counts[DBW_TEST_VERDICT_RENDERED] > 0)
    g_string_append_printf (text, _(" · %u rendered"), counts[DBW_TEST_VERDICT_RENDERED]);
  if (counts[DBW_TEST_VERDICT_RENDER_FAILED] > 0)
    g_string_append_printf (text, _(" · %u could not be rendered"), counts[DBW_TEST_VERDICT_RENDER_FAILED]);
  if (counts[DBW_TEST_VERDICT_MODEL_FAILED] > 0)
    g_string_append_printf (text, _(" · %u failed"), counts[DBW_TEST_VERDICT_MODEL_FAILED]);

  gtk_label_set_label (self->summary_label, text->str);
}

static void
show_verdict (Result *result)
{
  static const char * const classes[] = { "valid", "invalid", "failed" };
  const char *label = NULL;
  const char *css_class = NULL;

  switch (result->verdict)
    {
    case DBW_TEST_VERDICT_PENDING:       label = _("Waiting"); break;
    case DBW_TEST_VERDICT_RENDER_FAILED: label = _("Cannot Render"); css_class = "failed"; break;
    case DBW_TEST_VERDICT_RENDERED:      label = _("Rendered"); break;
    case DBW_TEST_VERDICT_MODEL_FAILED:  label = _("Request Failed"); css_class = "failed"; break;
    case DBW_TEST_VERDICT_VALID:         label = _("Matches Schema"); css_class = "valid"; break;
    case DBW_TEST_VERDICT_INVALID:       label = _("Does Not Match Schema"); css_class = "invalid"; break;
    case DBW_TEST_VERDICT_UNCHECKED:     label = _("Answered"); break;
    default:                             g_assert_not_reached ();
    }

  gtk_label_set_label (GTK_LABEL (result->badge), label);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (result->badge, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (result->badge, css_class);

  gtk_label_set_label (result->message_label, result->message != NULL ? result->message : "");
  gtk_widget_set_visible (GTK_WIDGET (result->message_label), result->message != NULL);
  if (result->verdict == DBW_TEST_VERDICT_RENDER_FAILED || result->verdict == DBW_TEST_VERDICT_MODEL_FAILED ||
      result->verdict == DBW_TEST_VERDICT_INVALID)
    gtk_widget_add_css_class (GTK_WIDGET (result->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (result->message_label), "error");

  gtk_widget_set_visible (GTK_WIDGET (result->output_spinner), result->verdict == DBW_TEST_VERDICT_PENDING);
  gtk_spinner_set_spinning (result->output_spinner, result->verdict == DBW_TEST_VERDICT_PENDING);
  if (result->output != NULL)
    {
      g_autofree char *shown = shorten (result->output);

      gtk_label_set_label (result->output_label, shown);
      gtk_widget_remove_css_class (GTK_WIDGET (result->output_label), "dim-label");
    }
  else
    {
      gtk_label_set_label (result->output_label,
                           result->verdict == DBW_TEST_VERDICT_PENDING ? _("Waiting for the model…")
                           : result->verdict == DBW_TEST_VERDICT_RENDERED ? _("Not sent")
                           : _("No answer"));
      gtk_widget_add_css_class (GTK_WIDGET (result->output_label), "dim-label");
    }
}

static GtkWidget *
text_column (const char  *title,
             GtkLabel   **label_out,
             GtkSpinner **spinner_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_hexpand (box, TRUE);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "caption-heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_box_append (GTK_BOX (box), heading);

  if (spinner_out != NULL)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_widget_set_valign (spinner, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (row), spinner);
      *spinner_out = GTK_SPINNER (spinner);
    }

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "test-output");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (box), row);

  *label_out = GTK_LABEL (label);
  return box;
}

static void
add_card (DbwTemplateTester *self,
          Result            *result)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (result->item_ref);
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkLabel *prompt_label = NULL;
  g_autofree char *shown = shorten (result->prompt != NULL ? result->prompt : "");

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_bottom (card, 0);
  g_object_set (card, "margin-start", 0, NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);

  result->badge = gtk_label_new (NULL);
  gtk_widget_set_valign (result->badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (result->badge, "status-badge");
  gtk_box_append (GTK_BOX (header), result->badge);

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_box_append (GTK_BOX (card), header);

  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_widget_set_margin_start (message, 12);
  gtk_widget_set_margin_end (message, 12);
  result->message_label = GTK_LABEL (message);
  gtk_box_append (GTK_BOX (card), message);

  gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);
  gtk_widget_set_margin_start (columns, 12);
  gtk_widget_set_margin_end (columns, 12);
  gtk_widget_set_margin_bottom (columns, 12);
  gtk_box_append (GTK_BOX (columns), text_column (_("Rendered Prompt"), &prompt_label, NULL));
  gtk_box_append (GTK_BOX (columns), text_column (_("Model Output"), &result->output_label, &result->output_spinner));
  gtk_label_set_label (prompt_label, shown);
  gtk_box_append (GTK_BOX (card), columns);

  gtk_box_append (self->results_box, card);
  show_verdict (result);
}

/* The messages as a reader takes them in: who says what. */
static char *
describe_messages (JsonArray *messages)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_examples = 0;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *role = json_object_get_string_member (message, "role");
      const char *content = json_object_get_string_member (message, "content");

      if (g_str_equal (role, "assistant"))
        {
          n_examples++;
          continue;
        }
      if (g_str_equal (role, "user") && i + 1 < json_array_get_length (messages))
        continue;

      if (text->len > 0)
        g_string_append (text, "\n\n");
      if (g_str_equal (role, "system"))
        g_string_append_printf (text, "%s\n%s", _("System:"), content);
      else
        {
          if (n_examples > 0)
            {
              g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "(%u few-shot example)", "(%u few-shot examples)", n_examples), n_examples);
              g_string_append (text, "\n\n");
            }
          g_string_append_printf (text, "%s\n%s", _("User:"), content);
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
finish_one (DbwTemplateTester *self)
{
  if (self->n_pending > 0)
    self->n_pending--;
  if (self->n_pending == 0)
    set_running (self, FALSE);
  update_summary (self);
}

static void
fail_pending (DbwTemplateTester *self,
              const char        *message)
{
  for (guint i = 0; i < self->results->len; i++)
    {
      Result *result = g_ptr_array_index (self->results, i);

      if (result->verdict != DBW_TEST_VERDICT_PENDING)
        continue;
      result->verdict = DBW_TEST_VERDICT_MODEL_FAILED;
      result->message = g_strdup (message);
      show_verdict (result);
    }

  self->n_pending = 0;
  set_running (self, FALSE);
  update_summary (self);
}

static void
check_answer (DbwTemplateTester *self,
              Result            *result)
{
  g_autofree char *schema_text = g_strdup (dbw_template_get_output_schema (self->template));
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (schema_text != NULL)
    schema = json_from_string (g_strstrip (schema_text), NULL);

  /* The same check Generate makes; {} accepts any answer, so there is nothing to say. */
  if (schema == NULL || (JSON_NODE_HOLDS_OBJECT (schema) && json_object_get_size (json_node_get_object (schema)) == 0))
    {
      result->verdict = DBW_TEST_VERDICT_UNCHECKED;
      result->message = g_strdup (_("The template has no output schema to check the answer against."));
      return;
    }

  if (dbw_pair_builder_check_output (self->builder, result->output, &error))
    {
      result->verdict = DBW_TEST_VERDICT_VALID;
      return;
    }

  result->verdict = DBW_TEST_VERDICT_INVALID;
  result->message = g_strdup (error->message);
}

static void
chat_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Reply *reply = user_data;
  DbwTemplateTester *self = reply->self;
  g_autoptr(DbwLlmReply) answer = NULL;
  g_autoptr(GError) error = NULL;
  Result *result;

  answer = dbw_llm_client_chat_finish (DBW_LLM_CLIENT (object), res, &error);
  if (reply->run != self->run || self->results == NULL || reply->position >= self->results->len)
    {
      reply_free (reply);
      return;
    }

  result = g_ptr_array_index (self->results, reply->position);
  if (answer == NULL)
    {
      result->verdict = DBW_TEST_VERDICT_MODEL_FAILED;
      result->message = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                        ? g_strdup (_("Cancelled"))
                        : g_strdup (error->message);
    }
  else
    {
      result->output = g_strdup (dbw_llm_reply_get_content (answer));
      check_answer (self, result);
    }

  show_verdict (result);
  finish_one (self);
  reply_free (reply);
}

/* @preferred_model: the model in Preferences, used when the template names none */
static void
send_all (DbwTemplateTester *self,
          DbwLlmClient      *client,
          const char        *preferred_model)
{
  const char *base_model = dbw_template_get_base_model (self->template);
  const char *model = base_model != NULL && base_model[0] != '\0' ? base_model : preferred_model;

  for (guint i = 0; i < self->results->len; i++)
    {
      Result *result = g_ptr_array_index (self->results, i);
      Reply *reply;

      if (result->verdict != DBW_TEST_VERDICT_PENDING)
        continue;

      reply = g_new0 (Reply, 1);
      reply->self = g_object_ref (self);
      reply->run = self->run;
      reply->position = i;
      dbw_llm_client_chat_async (client, model[0] != '\0' ? model : NULL, result->messages,
                                 dbw_template_get_temperature (self->template),
                                 dbw_template_get_max_tokens (self->template),
                                 FALSE, self->cancellable, chat_cb, reply);
    }
}

static void
client_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Reply *reply = user_data;
  DbwTemplateTester *self = reply->self;
  g_autoptr(DbwLlmClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;

  client = dbw_llm_connect_finish (res, &model, &error);
  if (reply->run == self->run)
    {
      if (client != NULL)
        send_all (self, client, model);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_pending (self, _("Cancelled"));
      else
        fail_pending (self, error->message);
    }

  reply_free (reply);
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SampleJob *job = task_data;
  g_autoptr(DbwStore) store = NULL;
  GError *error = NULL;
  GPtrArray *items;

  store = dbw_store_open (job->file, DBW_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  items = dbw_sheet_ops_sample_items (store, job->sheet_id, job->n, job->seed, &error);
  dbw_store_close (store);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static void
sampled_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Reply *reply = user_data;
  DbwTemplateTester *self = reply->self;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  items = g_task_propagate_pointer (G_TASK (res), &error);
  if (reply->run != self->run)
    {
      reply_free (reply);
      return;
    }

  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->summary_label, error->message);
      set_running (self, FALSE);
      reply_free (reply);
      return;
    }

  if (items->len == 0)
    {
      gtk_label_set_label (self->summary_label, _("The chosen sheet has no items to try the template on."));
      set_running (self, FALSE);
      reply_free (reply);
      return;
    }

  settings = g_settings_new (APP_ID);
  url = g_settings_get_string (settings, "llm-endpoint-url");
  g_strstrip (url);
  gtk_revealer_set_reveal_child (self->endpoint_revealer, url[0] == '\0');

  for (guint i = 0; i < items->len; i++)
    {
      DbwItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) render_error = NULL;
      g_autofree char *user_prompt = NULL;
      Result *result = g_new0 (Result, 1);

      result->item_ref = g_strdup (dbw_item_get_item_ref (item));
      user_prompt = dbw_pair_builder_render_prompt (self->builder, item, &render_error);
      if (user_prompt == NULL)
        {
          result->verdict = DBW_TEST_VERDICT_RENDER_FAILED;
          result->message = g_strdup (render_error->message);
        }
      else
        {
          result->messages = dbw_pair_builder_build_request (self->builder, user_prompt);
          result->prompt = describe_messages (result->messages);
          if (url[0] == '\0')
            result->verdict = DBW_TEST_VERDICT_RENDERED;
          else
            {
              result->verdict = DBW_TEST_VERDICT_PENDING;
              self->n_pending++;
            }
        }

      g_ptr_array_add (self->results, result);
      add_card (self, result);
    }

  update_summary (self);

  if (self->n_pending == 0)
    {
      set_running (self, FALSE);
      reply_free (reply);
      return;
    }

  /* The token is looked up per run: it may have been changed in Preferences. */
  dbw_llm_connect_async (self->cancellable, client_cb, reply);
}

static void
on_cancel_clicked_cb (DbwTemplateTester *self)
{
  dbw_template_tester_cancel (self);
}

static void
on_shuffle_clicked_cb (DbwTemplateTester *self)
{
  self->seed = g_random_int ();

  /* Tried again as it is in the editor now. */
  if (self->template != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "templates.test", NULL);
}

static void
dbw_template_tester_dispose (GObject *object)
{
  DbwTemplateTester *self = (DbwTemplateTester *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  self->run++;

  gtk_widget_dispose_template (GTK_WIDGET (self), DBW_TYPE_TEMPLATE_TESTER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->sheet);
  g_clear_object (&self->template);
  g_clear_object (&self->builder);
  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_template_tester_parent_class)->dispose (object);
}

static void
dbw_template_tester_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DbwTemplateTester *self = DBW_TEMPLATE_TESTER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_template_tester_class_init (DbwTemplateTesterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_template_tester_dispose;
  object_class->get_property = dbw_template_tester_get_property;

  properties [PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/databits/Workbench/ui/dbw-template-tester.ui");
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateTester, samples_spin);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateTester, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateTester, spinner);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateTester, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateTester, endpoint_revealer);
  gtk_widget_class_bind_template_child (widget_class, DbwTemplateTester, results_box);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_shuffle_clicked_cb);
}

static void
dbw_template_tester_init (DbwTemplateTester *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  self->seed = g_random_int ();
}

void
dbw_template_tester_set_store (DbwTemplateTester *self,
                               DbwStore          *store)
{
  g_return_if_fail (DBW_IS_TEMPLATE_TESTER (self));

  if (g_set_object (&self->store, store))
    dbw_template_tester_clear (self);
}

void
dbw_template_tester_set_sheet (DbwTemplateTester *self,
                               DbwSheet          *sheet)
{
  g_return_if_fail (DBW_IS_TEMPLATE_TESTER (self));

  g_set_object (&self->sheet, sheet);
}

guint
dbw_template_tester_get_n_samples (DbwTemplateTester *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_TESTER (self), 0);

  return gtk_spin_button_get_value_as_int (self->samples_spin);
}

void
dbw_template_tester_set_n_samples (DbwTemplateTester *self,
                                   guint              n_samples)
{
  g_return_if_fail (DBW_IS_TEMPLATE_TESTER (self));

  gtk_spin_button_set_value (self->samples_spin, n_samples);
}

/**
 * dbw_template_tester_run:
 * @tmpl: the template as it is being edited
 *
 * Tries @tmpl on a sample of the chosen sheet, cancelling a test still running.
 */
void
dbw_template_tester_run (DbwTemplateTester *self,
                         DbwTemplate       *tmpl)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SampleJob *job;
  Reply *reply;

  g_return_if_fail (DBW_IS_TEMPLATE_TESTER (self));
  g_return_if_fail (DBW_IS_TEMPLATE (tmpl));

  dbw_template_tester_clear (self);
  g_set_object (&self->template, tmpl);
  g_clear_object (&self->builder);

  /* Examples or a schema Generate could not use stop the test before it starts. */
  self->builder = dbw_pair_builder_new (tmpl, DBW_LABELING_MODE_AI_GENERATED, NULL, &error);
  if (self->builder == NULL)
    {
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }

  if (self->store == NULL || self->sheet == NULL)
    {
      gtk_label_set_label (self->summary_label, _("Choose a sheet with items above to try the template on."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_label_set_label (self->summary_label, _("Taking sample items…"));

  job = g_new0 (SampleJob, 1);
  job->file = g_object_ref (dbw_store_get_file (self->store));
  job->sheet_id = g_strdup (dbw_record_get_id (DBW_RECORD (self->sheet)));
  job->n = dbw_template_tester_get_n_samples (self);
  job->seed = self->seed;

  reply = g_new0 (Reply, 1);
  reply->self = g_object_ref (self);
  reply->run = self->run;

  task = g_task_new (NULL, self->cancellable, sampled_cb, reply);
  g_task_set_source_tag (task, (gpointer) sample_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) sample_job_free);
  g_task_run_in_thread (task, sample_thread);
}

void
dbw_template_tester_cancel (DbwTemplateTester *self)
{
  g_return_if_fail (DBW_IS_TEMPLATE_TESTER (self));

  g_cancellable_cancel (self->cancellable);
}

/* Forgets the results; a test still running is cancelled. */
void
dbw_template_tester_clear (DbwTemplateTester *self)
{
  GtkWidget *child;

  g_return_if_fail (DBW_IS_TEMPLATE_TESTER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->run++;
  self->n_pending = 0;
  g_ptr_array_set_size (self->results, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_box_remove (self->results_box, child);
  gtk_label_set_label (self->summary_label, "");
  gtk_revealer_set_reveal_child (self->endpoint_revealer, FALSE);
  set_running (self, FALSE);
}

gboolean
dbw_template_tester_get_running (DbwTemplateTester *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_TESTER (self), FALSE);

  return self->running;
}

guint
dbw_template_tester_get_n_results (DbwTemplateTester *self)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_TESTER (self), 0);

  return self->results->len;
}

static Result *
get_result (DbwTemplateTester *self,
            guint              position)
{
  g_return_val_if_fail (DBW_IS_TEMPLATE_TESTER (self), NULL);
  g_return_val_if_fail (position < self->results->len, NULL);

  return g_ptr_array_index (self->results, position);
}

DbwTestVerdict
dbw_template_tester_get_verdict (DbwTemplateTester *self,
                                 guint              position)
{
  Result *result = get_result (self, position);

  return result != NULL ? result->verdict : DBW_TEST_VERDICT_PENDING;
}

const char *
dbw_template_tester_get_prompt (DbwTemplateTester *self,
                                guint              position)
{
  Result *result = get_result (self, position);

  return result != NULL ? result->prompt : NULL;
}

const char *
dbw_template_tester_get_output (DbwTemplateTester *self,
                                guint              position)
{
  Result *result = get_result (self, position);

  return result != NULL ? result->output : NULL;
}

const char *
dbw_template_tester_get_message (DbwTemplateTester *self,
                                 guint              position)
{
  Result *result = get_result (self, position);

  return result != NULL ? result->message : NULL;
}
