/* tc-cli-send.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `send`: one message through the gate into the outbox (and, with --wait,
 * through the engine until the provider has answered); `outbox list`;
 * `outbox run`: the engine, the providers and the webhook endpoint in the
 * foreground until interrupted (or, with --until-idle, until nothing is
 * due). Exit status 0, 1 on failure, 2 on bad usage, 130 when interrupted
 * while waiting.
 */

#define G_LOG_DOMAIN "tc-cli-send"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "tc-cli-send.h"
#include "tc-cli.h"
#include "tc-compose.h"
#include "tc-contact.h"
#include "tc-gate-check.h"
#include "tc-messaging.h"
#include "tc-outbox.h"
#include "tc-phone.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-template-store.h"
#include "tc-template.h"

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  send --channel sms|whatsapp --purpose transactional|promotional --to NUMBER\n"
  "       (--body TEXT | --template NAME) [--from SENDER] [--wait] [--json]\n"
  "      Check one message with the send gate and queue it in the outbox (queued,\n"
  "      deferred until a time, or skipped with the reason); with --wait, run the\n"
  "      engine until the provider has answered. Prints the outbox row.\n"
  "  outbox list [--state STATE] [--json]\n"
  "      The outbox, oldest first (STATE: queued, deferred, skipped, sending, sent,\n"
  "      delivered, read, undelivered, failed, unknown).\n"
  "  outbox run [--until-idle] [--port N]\n"
  "      Send what is due through the configured providers and receive their\n"
  "      statuses and replies, until interrupted (or until nothing is due).\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "channel", TRUE },
  { "purpose", TRUE },
  { "to", TRUE },
  { "body", TRUE },
  { "template", TRUE },
  { "from", TRUE },
  { "wait", FALSE },
  { "state", TRUE },
  { "until-idle", FALSE },
  { "port", TRUE },
  { NULL, FALSE },
};

static const char * const send_options[] = {
  "db", "json", "channel", "purpose", "to", "body", "template", "from", "wait", NULL,
};
static const char * const list_options[] = { "db", "json", "state", NULL };
static const char * const run_options[] = { "db", "until-idle", "port", NULL };

/* How long `send --wait` waits for the provider's answer. */
#define WAIT_SECONDS 120

/* ------------------------------------------------------------------------
 * Running the engine in the foreground
 */

typedef struct
{
  GMainLoop   *loop;
  TcMessaging *messaging;
  gint64       watch_id;      /* send --wait: the row to wait for; 0 = none */
  gboolean     until_idle;
  gboolean     interrupted;
  gboolean     timed_out;
  gboolean     done;
} Runner;

static gboolean
interrupt_cb (gpointer user_data)
{
  Runner *runner = user_data;

  runner->interrupted = TRUE;
  g_main_loop_quit (runner->loop);

  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  Runner *runner = user_data;

  runner->timed_out = TRUE;
  g_main_loop_quit (runner->loop);

  return G_SOURCE_REMOVE;
}

static void
on_row_changed_cb (TcEngine   *engine,
                   gint64      id,
                   const char *state,
                   Runner     *runner)
{
  if (id != runner->watch_id)
    return;

  /* The provider answered: anything but waiting or in flight. */
  if (strcmp (state, "queued") != 0 && strcmp (state, "sending") != 0)
    {
      runner->done = TRUE;
      g_main_loop_quit (runner->loop);
    }
}

static void
on_idle_cb (TcEngine *engine,
            Runner   *runner)
{
  if (runner->until_idle)
    {
      runner->done = TRUE;
      g_main_loop_quit (runner->loop);
    }
}

static void
on_progress_cb (TcEngine *engine,
                guint64   n_sent,
                guint64   n_failed,
                guint64   n_waiting,
                Runner   *runner)
{
  if (runner->watch_id == 0)
    g_printerr ("sent %" G_GUINT64_FORMAT ", failed %" G_GUINT64_FORMAT
                ", waiting %" G_GUINT64_FORMAT "\n", n_sent, n_failed, n_waiting);
}

static void
on_provider_problem_cb (TcEngine   *engine,
                        TcChannel   channel,
                        const char *message,
                        Runner     *runner)
{
  g_printerr ("textcast-cli: %s messages are held: %s\n",
              channel == TC_CHANNEL_SMS ? "SMS" : "WhatsApp", message);
}

/* Starts the messaging services, runs the loop until the runner says so,
 * then stops them (in-flight requests finish and are recorded). */
static int
run_engine (TcRepository *repository,
            Runner       *runner,
            gint          port,
            guint         timeout_seconds)
{
  g_autoptr(TcMessaging) messaging = tc_messaging_new (repository);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcEngine *engine;
  guint sigint_id, sigterm_id, timeout_id = 0;

  tc_messaging_start_async (messaging, port, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_messaging_start_finish (messaging, result, &error))
    return tc_cli_fail_with_error (NULL, error);
  g_clear_object (&result);

  engine = tc_messaging_get_engine (messaging);
  runner->messaging = messaging;
  runner->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (engine, "row-changed", G_CALLBACK (on_row_changed_cb), runner);
  g_signal_connect (engine, "idle", G_CALLBACK (on_idle_cb), runner);
  g_signal_connect (engine, "progress", G_CALLBACK (on_progress_cb), runner);
  g_signal_connect (engine, "provider-problem", G_CALLBACK (on_provider_problem_cb), runner);

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, runner);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, runner);
  if (timeout_seconds > 0)
    timeout_id = g_timeout_add_seconds (timeout_seconds, timeout_cb, runner);

  tc_engine_kick (engine);
  g_main_loop_run (runner->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (timeout_id != 0 && !runner->timed_out)
    g_source_remove (timeout_id);
  g_signal_handlers_disconnect_by_data (engine, runner);

  tc_messaging_stop_async (messaging, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_messaging_stop_finish (messaging, result, &error))
    g_printerr ("textcast-cli: stopping: %s\n", error->message);

  g_clear_pointer (&runner->loop, g_main_loop_unref);
  runner->messaging = NULL;

  return EXIT_SUCCESS;
}

int
tc_cli_run_engine_until_idle (TcRepository *repository,
                              gint          port,
                              gboolean     *interrupted)
{
  Runner runner = { 0, };
  int status;

  runner.until_idle = TRUE;
  status = run_engine (repository, &runner, port, 0);
  if (interrupted != NULL)
    *interrupted = runner.interrupted;

  return status;
}

/* ------------------------------------------------------------------------
 * send
 */

static TcContact *
find_contact (TcRepository *repository,
              const char   *e164)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_repository_find_contact_by_phone_async (repository, e164, NULL,
                                             tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_repository_find_contact_by_phone_finish (repository, result, NULL);
}

static char *
get_setting (TcRepository *repository,
             const char   *key)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_settings_get_async (repository, key, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_settings_get_finish (repository, result, NULL);
}

static TcOutboxEntry *
get_row (TcRepository *repository,
         gint64        id,
         GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_outbox_get_async (repository, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_outbox_get_finish (repository, result, error);
}

static void
print_row (const TcOutboxEntry *entry,
           gboolean             json)
{
  if (json)
    {
      g_autofree char *text = tc_outbox_entry_to_json (entry, FALSE);

      g_print ("%s\n", text);
      return;
    }

  g_print ("#%" G_GINT64_FORMAT " %s %s to %s: %s%s%s\n", entry->id,
           tc_channel_to_string (entry->channel), tc_purpose_to_string (entry->purpose),
           entry->phone, tc_outbox_state_to_string (entry->state),
           entry->reason[0] != '\0' ? " — " : "", entry->reason);
}

static int
cmd_send (TcCliArgs *opts)
{
  const char *channel_text = tc_cli_args_get (opts, "channel");
  const char *purpose_text = tc_cli_args_get (opts, "purpose");
  const char *to = tc_cli_args_get (opts, "to");
  const char *body = tc_cli_args_get (opts, "body");
  const char *template_name = tc_cli_args_get (opts, "template");
  const char *from = tc_cli_args_get (opts, "from");
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcContact) contact = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *idem_key = NULL;
  g_auto(TcComposed) message = { 0, };
  g_autoptr(TcComposer) composer = NULL;
  g_autofree char *brand = NULL;
  TcComposeOptions options = { 0, };
  TcRepository *repository;
  TcChannel channel;
  TcPurpose purpose;
  TcGateDecision decision;
  TcGateQuery query = { 0, };
  TcOutboxRow row = { 0, };

  if (channel_text == NULL || !tc_channel_from_string (channel_text, &channel))
    return tc_cli_usage_error (usage_text, "'send' needs --channel sms or whatsapp%s%s%s",
                               channel_text != NULL ? ", not '" : "",
                               channel_text != NULL ? channel_text : "",
                               channel_text != NULL ? "'" : "");
  if (purpose_text == NULL || !tc_purpose_from_string (purpose_text, &purpose))
    return tc_cli_usage_error (usage_text,
                               "'send' needs --purpose transactional or promotional%s%s%s",
                               purpose_text != NULL ? ", not '" : "",
                               purpose_text != NULL ? purpose_text : "",
                               purpose_text != NULL ? "'" : "");
  if (to == NULL)
    return tc_cli_usage_error (usage_text, "'send' needs --to NUMBER");
  if ((body == NULL) == (template_name == NULL))
    return tc_cli_usage_error (usage_text, "'send' needs either --body TEXT or --template NAME");
  if (body != NULL && body[0] == '\0')
    return tc_cli_usage_error (usage_text, "option '--body' needs some text");

  e164 = tc_phone_normalize (to, "US", &error);
  if (e164 == NULL)
    return tc_cli_fail ("“%s” is not a phone number Textcast can text: %s", to, error->message);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  contact = find_contact (repository, e164);

  if (template_name != NULL)
    {
      g_autoptr(TcTemplate) template = NULL;
      TcTemplateKind kind = channel == TC_CHANNEL_SMS ? TC_TEMPLATE_KIND_SMS
                                                      : TC_TEMPLATE_KIND_WHATSAPP;

      tc_repository_find_template_async (repository, kind, template_name, 0, NULL,
                                         tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      template = tc_repository_find_template_finish (repository, result, &error);
      g_clear_object (&result);
      if (template == NULL)
        return tc_cli_fail_with_error (template_name, error);

      options.brand = brand = get_setting (repository, TC_SETTING_BRAND_NAME);
      options.purpose = purpose;
      composer = tc_composer_new (template, &options, &error);
      if (composer == NULL ||
          !tc_composer_compose (composer, contact, e164, NULL, &message, &error))
        return tc_cli_fail_with_error (template_name, error);
    }
  else
    {
      message.body = g_strdup (body);
      message.content = TC_GATE_CONTENT_TEXT;
    }

  query.phone = e164;
  query.channel = channel;
  query.purpose = purpose;
  query.content = message.content;
  query.wa_category = message.category;
  query.template_approved = message.approved;
  query.sender_id = from;
  tc_gate_check_async (repository, &query, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_gate_check_finish (repository, result, &decision, &error))
    return tc_cli_fail_with_error (NULL, error);
  g_clear_object (&result);

  uuid = g_uuid_string_random ();
  idem_key = g_strconcat ("send:", uuid, NULL);
  row.idem_key = idem_key;
  row.origin = "send";
  row.contact_id = contact != NULL ? tc_contact_get_id (contact) : 0;
  row.phone = e164;
  row.channel = channel;
  row.purpose = purpose;
  row.body = message.body;
  row.wa_template = message.wa_template;
  row.media_url = message.media_url;
  row.sender_id = from;
  row.due_at = g_get_real_time () / G_USEC_PER_SEC;
  switch (decision.decision)
    {
    case TC_GATE_SEND:
      row.state = TC_OUTBOX_QUEUED;
      break;

    case TC_GATE_DEFER:
      row.state = TC_OUTBOX_DEFERRED;
      row.due_at = decision.until;
      row.reason = tc_gate_reason_to_string (decision.reason);
      break;

    case TC_GATE_SKIP:
    default:
      row.state = TC_OUTBOX_SKIPPED;
      row.reason = tc_gate_reason_to_string (decision.reason);
      break;
    }

  /* No time is allowed in every zone within two weeks: nothing to queue. */
  if (decision.decision == TC_GATE_DEFER && decision.until == 0)
    row.state = TC_OUTBOX_SKIPPED;

  tc_outbox_enqueue_async (repository, &row, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_enqueue_finish (repository, result, NULL, &error);
  if (entry == NULL)
    return tc_cli_fail_with_error (NULL, error);

  if (tc_cli_args_has (opts, "wait") && entry->state == TC_OUTBOX_QUEUED)
    {
      Runner runner = { 0, };
      gint64 id = entry->id;
      int status;

      runner.watch_id = id;
      status = run_engine (repository, &runner, -1, WAIT_SECONDS);
      if (status != EXIT_SUCCESS)
        return status;

      g_clear_pointer (&entry, tc_outbox_entry_free);
      entry = get_row (repository, id, &error);
      if (entry == NULL)
        return tc_cli_fail_with_error (NULL, error);
      print_row (entry, opts->json);

      if (runner.interrupted)
        return TC_CLI_EXIT_INTERRUPTED;
      if (runner.timed_out)
        return tc_cli_fail ("no answer from the provider within %d seconds; the message "
                            "stays in the outbox (#%" G_GINT64_FORMAT ")", WAIT_SECONDS, id);
      return entry->state == TC_OUTBOX_FAILED || entry->state == TC_OUTBOX_UNKNOWN
             ? TC_CLI_EXIT_FAILURE : EXIT_SUCCESS;
    }

  print_row (entry, opts->json);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * outbox
 */

static int
cmd_outbox_list (TcCliArgs *opts)
{
  const char *state_text = tc_cli_args_get (opts, "state");
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  TcOutboxState state = TC_OUTBOX_QUEUED;
  TcRepository *repository;
  gint64 after = 0;

  if (state_text != NULL && !tc_outbox_state_from_string (state_text, &state))
    return tc_cli_usage_error (usage_text, "option '--state' does not know '%s'", state_text);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  if (opts->json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }

  /* Page by id: memory stays flat however long the outbox is. */
  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) rows = NULL;

      tc_outbox_list_async (repository, state_text == NULL, state, after, 1000, NULL,
                            tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      rows = tc_outbox_list_finish (repository, result, &error);
      if (rows == NULL)
        return tc_cli_fail_with_error (NULL, error);
      if (rows->len == 0)
        break;

      for (guint i = 0; i < rows->len; i++)
        {
          const TcOutboxEntry *entry = g_ptr_array_index (rows, i);

          if (builder != NULL)
            tc_outbox_entry_to_json_builder (entry, builder);
          else
            print_row (entry, FALSE);
          after = entry->id;
        }
    }

  if (builder != NULL)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }

  return EXIT_SUCCESS;
}

static int
cmd_outbox_run (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Runner runner = { 0, };
  gint port = -1;
  int status;

  if (tc_cli_args_has (opts, "port"))
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (tc_cli_args_get (opts, "port"), 10, 0, 65535, &value, NULL))
        return tc_cli_usage_error (usage_text,
                                   "option '--port' needs a port number from 0 to 65535, not '%s'",
                                   tc_cli_args_get (opts, "port"));
      port = (gint) value;
    }

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  runner.until_idle = tc_cli_args_has (opts, "until-idle");
  status = run_engine (tc_context_get_repository (context), &runner, port, 0);
  if (status != EXIT_SUCCESS)
    return status;

  /* Stopped by a signal is how a foreground service ends: success. */
  return EXIT_SUCCESS;
}

int
tc_cli_send_main (int    argc,
                  char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  const char *group;
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  g_assert (opts.args->len > 0);
  group = tc_cli_args_word (&opts, 0);

  if (strcmp (group, "send") == 0)
    {
      if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, "send",
                                        send_options)) == 0)
        {
          if (opts.args->len > 1)
            status = tc_cli_usage_error (usage_text, "'send' got an unexpected argument '%s'",
                                         tc_cli_args_word (&opts, 1));
          else
            status = cmd_send (&opts);
        }
      goto out;
    }

  /* outbox list | run */
  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'outbox' needs 'list' or 'run'");
      goto out;
    }
  if (opts.args->len > 2)
    {
      status = tc_cli_usage_error (usage_text, "'outbox %s' got an unexpected argument '%s'",
                                   tc_cli_args_word (&opts, 1), tc_cli_args_word (&opts, 2));
      goto out;
    }

  if (strcmp (tc_cli_args_word (&opts, 1), "list") == 0)
    {
      if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, "outbox list",
                                        list_options)) == 0)
        status = cmd_outbox_list (&opts);
    }
  else if (strcmp (tc_cli_args_word (&opts, 1), "run") == 0)
    {
      if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, "outbox run",
                                        run_options)) == 0)
        status = cmd_outbox_run (&opts);
    }
  else
    status = tc_cli_usage_error (usage_text, "'outbox' does not know '%s'",
                                 tc_cli_args_word (&opts, 1));

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
