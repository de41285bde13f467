/* tc-cli-consent.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli consent add|revoke|show`, `inbound`, `gate check`,
 * `senders add|list|remove` and `privacy export|erase`: the consent ledger,
 * inbound messages, the send gate, the sender registry and GDPR requests,
 * for scripts. Exit status as for the rest of textcast-cli: 0 success (a
 * gate decision of any kind is an answer, so 0 as well), 1 a failed
 * operation (one line on stderr), 2 bad usage or a bad option value (the
 * message names the option and the value), 130 interrupted.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "tc-cli-consent.h"
#include "tc-cli.h"
#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-context.h"
#include "tc-gate-check.h"
#include "tc-inbound.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository.h"
#include "tc-senders.h"

/* A throughput above this is a typing mistake, not a sender. */
#define MAX_MPS 100000.0

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  consent add --phone NUMBER --channel sms|whatsapp --purpose promotional|transactional\n"
  "              --source SOURCE --wording TEXT [--at TIME] [--origin TEXT] [--confirmed]\n"
  "              [--json]\n"
  "      Record that the person agreed (a new number becomes a contact). SOURCE is\n"
  "      web_form, checkout, keyword, qr_code, import, api or manual; TEXT the exact\n"
  "      words they agreed to. With double opt-in on for the channel, a confirmation\n"
  "      text is queued unless --confirmed says they confirmed already.\n"
  "  consent revoke --phone NUMBER --channel C --purpose P [--source SOURCE] [--at TIME]\n"
  "                 [--origin TEXT] [--json]\n"
  "      Record that the person withdrew (default source: manual).\n"
  "  consent show --phone NUMBER [--json]\n"
  "      The consent status per channel and purpose, and every event with its evidence.\n"
  "  inbound --channel sms|whatsapp --from NUMBER --body TEXT [--id PROVIDER_ID]\n"
  "          [--at TIME] [--json]\n"
  "      Handle a message from a person: STOP, START, YES, HELP, keywords or a\n"
  "      conversation; prints what was understood, done and replied.\n"
  "  gate check --phone NUMBER --channel sms|whatsapp --purpose promotional|transactional\n"
  "             [--at TIME] [--sender ID] [--text | --template-category\n"
  "             marketing|utility|authentication [--template-approved]] [--json]\n"
  "      Whether a message may go: send, defer until a time, or skip and why\n"
  "      (exit status 0 for every decision).\n"
  "  senders add --id NUMBER_OR_ID --type long_code|toll_free|short_code|whatsapp\n"
  "              --purpose transactional|promotional|both --mps N [--daily-cap N]\n"
  "              [--countries CC,…]\n"
  "      Register a sending number or WhatsApp phone-number id (--mps 0: no limit).\n"
  "  senders list [--json]\n"
  "      The registered senders.\n"
  "  senders remove --id ID\n"
  "      Forget a sender.\n"
  "  privacy export --phone NUMBER [--format json|csv] [--output FILE]\n"
  "      Everything held about the person (default JSON, on standard output).\n"
  "  privacy erase --phone NUMBER --yes\n"
  "      Delete everything about the person, keeping only a hash of the number so\n"
  "      that no import can add them again. Cannot be undone.\n"
  "\n"
  "Options:\n"
  "  --at TIME      ISO 8601 with an offset or Z (2026-03-01T09:30:00Z), or a date\n"
  "                 (2026-03-01, midnight UTC); default: now\n"
  "  --region CC    the country of numbers written without +\n"
  "  --db FILE      the workspace database (before or after the command)\n"
  "  --json         print JSON on standard output\n"
  "\n"
  "Exit status: 0 success; 1 failure; 2 bad usage or option value; 130 interrupted.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "phone", TRUE },
  { "channel", TRUE },
  { "purpose", TRUE },
  { "source", TRUE },
  { "wording", TRUE },
  { "at", TRUE },
  { "origin", TRUE },
  { "confirmed", FALSE },
  { "region", TRUE },
  { "from", TRUE },
  { "body", TRUE },
  { "id", TRUE },
  { "sender", TRUE },
  { "template-category", TRUE },
  { "template-approved", FALSE },
  { "text", FALSE },
  { "type", TRUE },
  { "mps", TRUE },
  { "daily-cap", TRUE },
  { "countries", TRUE },
  { "format", TRUE },
  { "output", TRUE },
  { "yes", FALSE },
  { NULL, FALSE },
};

/* The options each command takes (every one takes --db). */
static const char * const consent_add_options[] = {
  "db", "json", "phone", "channel", "purpose", "source", "wording", "at", "origin", "confirmed",
  "region", NULL
};
static const char * const consent_revoke_options[] = {
  "db", "json", "phone", "channel", "purpose", "source", "at", "origin", "region", NULL
};
static const char * const consent_show_options[] = { "db", "json", "phone", "region", NULL };
static const char * const inbound_options[] = {
  "db", "json", "channel", "from", "body", "id", "at", "region", NULL
};
static const char * const gate_check_options[] = {
  "db", "json", "phone", "channel", "purpose", "at", "sender", "template-category",
  "template-approved", "text", "region", NULL
};
static const char * const senders_add_options[] = {
  "db", "id", "type", "purpose", "mps", "daily-cap", "countries", NULL
};
static const char * const senders_list_options[] = { "db", "json", NULL };
static const char * const senders_remove_options[] = { "db", "id", NULL };
static const char * const privacy_export_options[] = {
  "db", "phone", "format", "output", "region", NULL
};
static const char * const privacy_erase_options[] = { "db", "json", "phone", "yes", "region", NULL };

/* What a command works with. */
typedef struct
{
  TcCliArgs    *opts;
  const char   *name;         /* "consent add", for the messages */
  GCancellable *cancellable;  /* cancelled by Ctrl-C */
  TcContext    *context;
  TcRepository *repository;
} Command;

/* ------------------------------------------------------------------------
 * Options
 */

/* The value of @option, which @cmd needs: a usage error when it is
 * missing or empty. */
static int
require (Command     *cmd,
         const char  *option,
         const char  *what,
         const char **value)
{
  *value = tc_cli_args_get (cmd->opts, option);
  if (*value == NULL)
    return tc_cli_usage_error (usage_text, "'%s' needs --%s %s", cmd->name, option, what);
  if ((*value)[0] == '\0')
    return tc_cli_usage_error (usage_text, "option '--%s' needs %s, not an empty value", option,
                               what);

  return 0;
}

static int
parse_channel (Command   *cmd,
               TcChannel *channel)
{
  const char *value;
  int status;

  if ((status = require (cmd, "channel", "sms|whatsapp", &value)) != 0)
    return status;
  if (!tc_channel_from_string (value, channel))
    return tc_cli_usage_error (usage_text, "option '--channel' needs sms or whatsapp, not '%s'",
                               value);

  return 0;
}

static int
parse_purpose (Command   *cmd,
               TcPurpose *purpose)
{
  const char *value;
  int status;

  if ((status = require (cmd, "purpose", "promotional|transactional", &value)) != 0)
    return status;
  if (!tc_purpose_from_string (value, purpose))
    return tc_cli_usage_error (usage_text,
                               "option '--purpose' needs promotional or transactional, not '%s'",
                               value);

  return 0;
}

static int
parse_source (Command         *cmd,
              TcConsentSource *source)
{
  const char *value = tc_cli_args_get (cmd->opts, "source");

  if (value != NULL && !tc_consent_source_from_string (value, source))
    return tc_cli_usage_error (usage_text,
                               "option '--source' needs web_form, checkout, keyword, qr_code, "
                               "import, api or manual, not '%s'", value);

  return 0;
}

/* --at, or 0 when not given. */
static int
parse_at (Command *cmd,
          gint64  *at)
{
  const char *value = tc_cli_args_get (cmd->opts, "at");

  *at = 0;
  if (value != NULL && !tc_parse_time (value, at))
    return tc_cli_usage_error (usage_text,
                               "option '--at' needs a time in ISO 8601 with an offset or Z "
                               "(2026-03-01T09:30:00Z) or a date (2026-03-01), not '%s'", value);

  return 0;
}

/* --region, upper-cased, or NULL. */
static int
parse_region (Command  *cmd,
              char    **region)
{
  const char *value = tc_cli_args_get (cmd->opts, "region");

  *region = NULL;
  if (value == NULL)
    return 0;

  *region = g_ascii_strup (value, -1);
  if (!tc_phone_region_is_valid (*region))
    {
      g_clear_pointer (region, g_free);
      return tc_cli_usage_error (usage_text,
                                 "option '--region' needs a two-letter country code such as US, "
                                 "GB or DE, not '%s'", value);
    }

  return 0;
}

/* The number in E.164 for the messages, or the number as given when it
 * cannot be read (the operation then says why). */
static char *
display_phone (const char *phone,
               const char *region)
{
  char *e164 = tc_phone_normalize (phone, region != NULL ? region : "US", NULL);

  return e164 != NULL ? e164 : g_strdup (phone);
}

static int
open_workspace (Command  *cmd,
                gboolean  create)
{
  g_autoptr(GError) error = NULL;

  cmd->context = tc_cli_open_workspace (tc_cli_args_get (cmd->opts, "db"), create, &error);
  if (cmd->context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  cmd->repository = tc_context_get_repository (cmd->context);

  return 0;
}

/* ------------------------------------------------------------------------
 * Words and JSON
 */

static const char *
channel_label (TcChannel channel)
{
  return channel == TC_CHANNEL_WHATSAPP ? "WhatsApp" : "SMS";
}

static char *
format_time (gint64 unix_seconds)
{
  return tc_format_iso8601_utc (unix_seconds);
}

static char *
format_date_time (GDateTime *date_time)
{
  return date_time != NULL ? tc_format_iso8601_utc (g_date_time_to_unix (date_time)) : NULL;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL && value[0] != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* "opted_in", or "requested, now pending" when the status is not the
 * event's own name. */
static char *
describe_event (TcConsent *event)
{
  const char *kind = tc_consent_event_kind_to_string (tc_consent_get_kind (event));
  const char *status = tc_consent_status_to_string (tc_consent_get_status (event));

  if (strcmp (kind, status) == 0)
    return g_strdup (kind);

  return g_strdup_printf ("%s, now %s", kind, status);
}

static gboolean
is_opt_in (TcConsent *event)
{
  switch (tc_consent_get_kind (event))
    {
    case TC_CONSENT_EVENT_REQUESTED:
    case TC_CONSENT_EVENT_CONFIRMED:
    case TC_CONSENT_EVENT_OPTED_IN:
    case TC_CONSENT_EVENT_RESUBSCRIBED:
      return TRUE;
    case TC_CONSENT_EVENT_OPTED_OUT:
    case TC_CONSENT_EVENT_BLOCKED:
    case TC_CONSENT_EVENT_EXPIRED:
    default:
      return FALSE;
    }
}

static void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tc_cli_print_json (root);
}

/* A JSON text made by the core, on one line. */
static void
print_json_text (const char *text)
{
  fputs (text, stdout);
  if (text[0] == '\0' || text[strlen (text) - 1] != '\n')
    fputc ('\n', stdout);
}

/* ------------------------------------------------------------------------
 * consent
 */

static void
print_outcome_json (const TcConsentOutcome *outcome,
                    const char             *phone)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *since = NULL;
  g_autofree char *expires = NULL;

  if (outcome->state.since != 0)
    since = format_time (outcome->state.since);
  if (outcome->state.expires_at != 0)
    expires = format_time (outcome->state.expires_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contact_id");
  json_builder_add_int_value (builder, outcome->contact_id);
  json_builder_set_member_name (builder, "contact_created");
  json_builder_add_boolean_value (builder, outcome->contact_created);
  add_nullable_string (builder, "phone", phone);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, tc_consent_status_to_string (outcome->state.status));
  add_nullable_string (builder, "since", since);
  add_nullable_string (builder, "expires_at", expires);
  json_builder_set_member_name (builder, "event");
  if (outcome->event != NULL)
    tc_consent_build_json (outcome->event, builder);
  else
    json_builder_add_null_value (builder);
  add_nullable_string (builder, "confirmation_text", outcome->confirmation_text);
  json_builder_end_object (builder);

  print_builder (builder);
}

static void
print_outcome_text (const TcConsentOutcome *outcome,
                    const char             *phone,
                    TcChannel               channel,
                    TcPurpose               purpose)
{
  const char *channel_name = channel_label (channel);
  const char *purpose_name = tc_purpose_to_string (purpose);
  g_autofree char *occurred = NULL;

  if (outcome->event != NULL)
    occurred = format_date_time (tc_consent_get_occurred_at (outcome->event));

  if (outcome->contact_created)
    g_print ("New contact %" G_GINT64_FORMAT ": %s\n", outcome->contact_id, phone);

  switch (outcome->state.status)
    {
    case TC_CONSENT_STATUS_OPTED_IN:
      g_print ("Recorded: %s opted in to %s %s (source %s, %s).\n", phone, purpose_name,
               channel_name, tc_consent_source_to_string (outcome->state.source),
               occurred != NULL ? occurred : "now");
      break;
    case TC_CONSENT_STATUS_PENDING:
      {
        g_autofree char *expires = outcome->state.expires_at != 0
                                   ? format_time (outcome->state.expires_at) : NULL;

        g_print ("Double opt-in: %s must confirm %s %s by replying YES%s%s.\n", phone,
                 purpose_name, channel_name, expires != NULL ? " before " : "",
                 expires != NULL ? expires : "");
        if (outcome->confirmation_text != NULL)
          g_print ("Queued: %s\n", outcome->confirmation_text);
      }
      break;
    case TC_CONSENT_STATUS_OPTED_OUT:
      g_print ("Recorded: %s opted out of %s %s (%s).\n", phone, purpose_name, channel_name,
               occurred != NULL ? occurred : "now");
      break;
    case TC_CONSENT_STATUS_NONE:
    case TC_CONSENT_STATUS_EXPIRED:
    default:
      g_print ("Recorded %s for %s %s of %s; the status is now %s.\n",
               outcome->event != NULL
               ? tc_consent_event_kind_to_string (tc_consent_get_kind (outcome->event)) : "it",
               purpose_name, channel_name, phone,
               tc_consent_status_to_string (outcome->state.status));
      break;
    }
}

static int
record_consent (Command            *cmd,
                TcConsentEventKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GDateTime) occurred_at = NULL;
  g_autofree char *region = NULL;
  g_autofree char *phone = NULL;
  TcConsentRequest request = { 0 };
  const char *phone_arg = NULL;
  const char *wording = NULL;
  gint64 at = 0;
  int status;

  request.kind = kind;
  /* Required for an opt-in; an opt-out is by hand unless said otherwise. */
  request.source = TC_CONSENT_SOURCE_MANUAL;
  if ((status = require (cmd, "phone", "NUMBER", &phone_arg)) != 0 ||
      (status = parse_channel (cmd, &request.channel)) != 0 ||
      (status = parse_purpose (cmd, &request.purpose)) != 0)
    return status;
  if (kind == TC_CONSENT_EVENT_OPTED_IN)
    {
      const char *source;

      if ((status = require (cmd, "source", "SOURCE", &source)) != 0 ||
          (status = require (cmd, "wording", "TEXT (the exact words the person agreed to)",
                             &wording)) != 0)
        return status;
    }
  if ((status = parse_source (cmd, &request.source)) != 0 ||
      (status = parse_at (cmd, &at)) != 0 ||
      (status = parse_region (cmd, &region)) != 0)
    return status;

  if (at != 0)
    occurred_at = g_date_time_new_from_unix_utc (at);

  request.phone = phone_arg;
  request.default_region = region;
  request.wording = wording;
  request.origin = tc_cli_args_get (cmd->opts, "origin");
  request.occurred_at = occurred_at;
  request.create_contact = kind == TC_CONSENT_EVENT_OPTED_IN;
  request.confirmed = tc_cli_args_has (cmd->opts, "confirmed");

  if ((status = open_workspace (cmd, request.create_contact)) != 0)
    return status;
  phone = display_phone (phone_arg, region);

  tc_consent_ledger_record_async (cmd->repository, &request, cmd->cancellable,
                                  tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (cmd->repository, result, &error);
  if (outcome == NULL)
    {
      if (g_error_matches (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND))
        return tc_cli_fail ("no contact has the phone number %s: there is no consent to revoke",
                            phone);
      return tc_cli_fail_with_error (kind == TC_CONSENT_EVENT_OPTED_IN
                                     ? "cannot record the opt-in" : "cannot record the opt-out",
                                     error);
    }

  if (cmd->opts->json)
    print_outcome_json (outcome, phone);
  else
    print_outcome_text (outcome, phone, request.channel, request.purpose);

  return EXIT_SUCCESS;
}

static void
print_report_text (const TcConsentReport *report)
{
  g_print ("%s (contact %" G_GINT64_FORMAT ")\n", report->phone, report->contact_id);
  g_print ("Status:\n");
  for (guint c = 0; c < 2; c++)
    for (guint p = 0; p < 2; p++)
      {
        const TcConsentState *state = &report->states[c][p];
        g_autofree char *label = g_strdup_printf ("%s %s", channel_label ((TcChannel) c),
                                                  tc_purpose_to_string ((TcPurpose) p));
        g_autoptr(GString) line = g_string_new (NULL);

        g_string_append_printf (line, "  %-24s %s", label,
                                state->status == TC_CONSENT_STATUS_NONE
                                ? "nothing recorded"
                                : tc_consent_status_to_string (state->status));
        if (state->status != TC_CONSENT_STATUS_NONE && state->since != 0)
          {
            g_autofree char *since = format_time (state->since);

            g_string_append_printf (line, " since %s (%s)", since,
                                    tc_consent_source_to_string (state->source));
          }
        if (state->status == TC_CONSENT_STATUS_PENDING && state->expires_at != 0)
          {
            g_autofree char *expires = format_time (state->expires_at);

            g_string_append_printf (line, ", expires %s", expires);
          }
        g_print ("%s\n", line->str);
      }

  if (report->events == NULL || report->events->len == 0)
    {
      g_print ("No consent events.\n");
      return;
    }

  g_print ("Events:\n");
  for (guint i = 0; i < report->events->len; i++)
    {
      TcConsent *event = g_ptr_array_index (report->events, i);
      g_autofree char *occurred = format_date_time (tc_consent_get_occurred_at (event));
      g_autofree char *recorded = format_date_time (tc_consent_get_recorded_at (event));
      g_autofree char *what = describe_event (event);
      const char *wording = tc_consent_get_wording (event);
      const char *origin = tc_consent_get_origin (event);

      if (is_opt_in (event))
        g_print ("  %s  %s %s: %s (%s, %s opt-in)\n", occurred != NULL ? occurred : "-",
                 channel_label (tc_consent_get_channel (event)),
                 tc_purpose_to_string (tc_consent_get_purpose (event)), what,
                 tc_consent_source_to_string (tc_consent_get_source (event)),
                 tc_consent_method_to_string (tc_consent_get_method (event)));
      else
        g_print ("  %s  %s %s: %s (%s)\n", occurred != NULL ? occurred : "-",
                 channel_label (tc_consent_get_channel (event)),
                 tc_purpose_to_string (tc_consent_get_purpose (event)), what,
                 tc_consent_source_to_string (tc_consent_get_source (event)));
      if (wording != NULL && wording[0] != '\0')
        g_print ("      wording: “%s”\n", wording);
      if (origin != NULL && origin[0] != '\0')
        g_print ("      from: %s\n", origin);
      if (recorded != NULL && g_strcmp0 (recorded, occurred) != 0)
        g_print ("      recorded: %s\n", recorded);
    }
}

static int
cmd_consent_show (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentReport) report = NULL;
  g_autofree char *region = NULL;
  g_autofree char *e164 = NULL;
  const char *phone;
  int status;

  if ((status = require (cmd, "phone", "NUMBER", &phone)) != 0 ||
      (status = parse_region (cmd, &region)) != 0)
    return status;

  /* The report looks a contact up by its E.164 number. */
  e164 = tc_phone_normalize (phone, region != NULL ? region : "US", &error);
  if (e164 == NULL)
    return tc_cli_fail ("'%s' is not a phone number: %s", phone, error->message);

  if ((status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_consent_ledger_report_async (cmd->repository, 0, e164, cmd->cancellable,
                                  tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_consent_ledger_report_finish (cmd->repository, result, &error);
  if (report == NULL)
    {
      if (g_error_matches (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND))
        return tc_cli_fail ("no contact has the phone number %s", e164);
      return tc_cli_fail_with_error ("cannot read the consent", error);
    }

  if (cmd->opts->json)
    {
      g_autofree char *json = tc_consent_report_to_json (report, FALSE);

      print_json_text (json);
    }
  else
    print_report_text (report);

  return EXIT_SUCCESS;
}

static int
check_no_args (Command *cmd,
               guint    n_words)
{
  if (cmd->opts->args->len > n_words)
    return tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", cmd->name,
                               tc_cli_args_word (cmd->opts, n_words));

  return 0;
}

/* The options and words of a command of @n_words words. */
static int
check_command (Command            *cmd,
               guint               n_words,
               const char * const *allowed)
{
  int status;

  if ((status = tc_cli_args_refuse (cmd->opts, option_specs, usage_text, cmd->name,
                                    allowed)) != 0)
    return status;

  return check_no_args (cmd, n_words);
}

static int
run_consent (Command *cmd)
{
  const char *command;
  int status;

  if (cmd->opts->args->len < 2)
    return tc_cli_usage_error (usage_text, "'consent' needs a command: add, revoke or show");

  command = tc_cli_args_word (cmd->opts, 1);
  if (strcmp (command, "add") == 0)
    {
      cmd->name = "consent add";
      if ((status = check_command (cmd, 2, consent_add_options)) != 0)
        return status;
      return record_consent (cmd, TC_CONSENT_EVENT_OPTED_IN);
    }
  if (strcmp (command, "revoke") == 0)
    {
      cmd->name = "consent revoke";
      if ((status = check_command (cmd, 2, consent_revoke_options)) != 0)
        return status;
      return record_consent (cmd, TC_CONSENT_EVENT_OPTED_OUT);
    }
  if (strcmp (command, "show") == 0)
    {
      cmd->name = "consent show";
      if ((status = check_command (cmd, 2, consent_show_options)) != 0)
        return status;
      return cmd_consent_show (cmd);
    }

  return tc_cli_usage_error (usage_text, "unknown command 'consent %s'", command);
}

/* ------------------------------------------------------------------------
 * inbound
 */

static const char *
action_words (TcInboundAction action)
{
  switch (action)
    {
    case TC_INBOUND_ACTION_OPT_OUT:
      return "an opt-out";
    case TC_INBOUND_ACTION_OPT_IN:
      return "an opt-in";
    case TC_INBOUND_ACTION_HELP:
      return "a request for help";
    case TC_INBOUND_ACTION_KEYWORD:
      return "a keyword";
    case TC_INBOUND_ACTION_MESSAGE:
    default:
      return "a conversation message";
    }
}

static void
print_inbound_text (const TcInboundResult *result,
                    const char            *phone)
{
  if (result->duplicate)
    {
      g_print ("Already handled: this message id was seen before; nothing was done.\n");
      return;
    }

  if (result->contact_created)
    g_print ("New contact %" G_GINT64_FORMAT ": %s\n", result->contact_id, phone);
  if (result->keyword != NULL)
    g_print ("Understood as %s (%s).\n", action_words (result->action), result->keyword);
  else
    g_print ("Understood as %s.\n", action_words (result->action));

  for (guint i = 0; result->events != NULL && i < result->events->len; i++)
    {
      TcConsent *event = g_ptr_array_index (result->events, i);
      g_autofree char *what = describe_event (event);

      g_print ("  %s %s: %s\n", channel_label (tc_consent_get_channel (event)),
               tc_purpose_to_string (tc_consent_get_purpose (event)), what);
    }
  if (result->needs_review)
    g_print ("Marked for review: read the message to be sure what the person meant.\n");
  if (result->reply != NULL)
    g_print ("Reply queued: %s\n", result->reply);
  else
    g_print ("No reply.\n");
}

static int
run_inbound (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcInboundResult) inbound = NULL;
  g_autofree char *region = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *from_arg = NULL;
  TcChannel channel;
  const char *from;
  const char *body;
  gint64 at = 0;
  int status;

  cmd->name = "inbound";
  if ((status = check_command (cmd, 1, inbound_options)) != 0 ||
      (status = parse_channel (cmd, &channel)) != 0 ||
      (status = require (cmd, "from", "NUMBER", &from)) != 0 ||
      (status = parse_at (cmd, &at)) != 0 ||
      (status = parse_region (cmd, &region)) != 0)
    return status;
  /* An empty message (a picture alone) is still a message. */
  body = tc_cli_args_get (cmd->opts, "body");
  if (body == NULL)
    return tc_cli_usage_error (usage_text, "'inbound' needs --body TEXT");
  if (!g_utf8_validate (body, -1, NULL))
    return tc_cli_usage_error (usage_text, "option '--body' needs UTF-8 text");

  /* A national number is read in --region's country. */
  if (region != NULL && from[0] != '+')
    {
      g_autofree char *e164 = tc_phone_normalize (from, region, NULL);

      if (e164 != NULL)
        from_arg = g_steal_pointer (&e164);
    }
  if (from_arg == NULL)
    from_arg = g_strdup (from);

  if ((status = open_workspace (cmd, TRUE)) != 0)
    return status;
  phone = display_phone (from_arg, region);

  tc_inbound_process_async (cmd->repository, channel, from_arg, body,
                            tc_cli_args_get (cmd->opts, "id"), at, cmd->cancellable,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  inbound = tc_inbound_process_finish (cmd->repository, result, &error);
  if (inbound == NULL)
    return tc_cli_fail_with_error ("cannot handle the message", error);

  if (cmd->opts->json)
    {
      g_autofree char *json = tc_inbound_result_to_json (inbound);

      print_json_text (json);
    }
  else
    print_inbound_text (inbound, phone);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * gate
 */

static int
cmd_gate_check (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  TcGateQuery query = { 0 };
  TcGateDecision decision = { 0 };
  const char *category = tc_cli_args_get (cmd->opts, "template-category");
  int status;

  if ((status = require (cmd, "phone", "NUMBER", &query.phone)) != 0 ||
      (status = parse_channel (cmd, &query.channel)) != 0 ||
      (status = parse_purpose (cmd, &query.purpose)) != 0 ||
      (status = parse_at (cmd, &query.now)) != 0 ||
      (status = parse_region (cmd, &region)) != 0)
    return status;
  query.default_region = region;

  query.content = TC_GATE_CONTENT_TEXT;
  query.wa_category = TC_GATE_WA_CATEGORY_NONE;
  if (category != NULL)
    {
      if (tc_cli_args_has (cmd->opts, "text"))
        return tc_cli_usage_error (usage_text,
                                   "'gate check' takes either --text or --template-category, "
                                   "not both");
      if (strcmp (category, "marketing") == 0)
        query.wa_category = TC_GATE_WA_CATEGORY_MARKETING;
      else if (strcmp (category, "utility") == 0)
        query.wa_category = TC_GATE_WA_CATEGORY_UTILITY;
      else if (strcmp (category, "authentication") == 0)
        query.wa_category = TC_GATE_WA_CATEGORY_AUTHENTICATION;
      else
        return tc_cli_usage_error (usage_text,
                                   "option '--template-category' needs marketing, utility or "
                                   "authentication, not '%s'", category);
      query.content = TC_GATE_CONTENT_TEMPLATE;
      query.template_approved = tc_cli_args_has (cmd->opts, "template-approved");
    }
  else if (tc_cli_args_has (cmd->opts, "template-approved"))
    return tc_cli_usage_error (usage_text,
                               "option '--template-approved' needs --template-category: it "
                               "says the template of that category is approved");

  query.sender_id = tc_cli_args_get (cmd->opts, "sender");
  if (query.sender_id != NULL && query.sender_id[0] == '\0')
    return tc_cli_usage_error (usage_text, "option '--sender' needs a sender id, not an empty value");

  if ((status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_gate_check_async (cmd->repository, &query, cmd->cancellable,
                       tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_gate_check_finish (cmd->repository, result, &decision, &error))
    return tc_cli_fail_with_error ("cannot check the message", error);

  if (cmd->opts->json)
    {
      g_autofree char *json = tc_gate_decision_to_json (&decision);

      print_json_text (json);
      return EXIT_SUCCESS;
    }

  switch (decision.decision)
    {
    case TC_GATE_SEND:
      g_print ("send\n");
      break;
    case TC_GATE_DEFER:
      {
        g_autofree char *until = format_time (decision.until);

        g_print ("defer until %s: %s%s%s\n", until, tc_gate_reason_describe (decision.reason),
                 decision.zone[0] != '\0' ? " in " : "", decision.zone);
      }
      break;
    case TC_GATE_SKIP:
    default:
      g_print ("skip: %s\n", tc_gate_reason_describe (decision.reason));
      break;
    }

  return EXIT_SUCCESS;
}

static int
run_gate (Command *cmd)
{
  const char *command;
  int status;

  if (cmd->opts->args->len < 2)
    return tc_cli_usage_error (usage_text, "'gate' needs a command: check");

  command = tc_cli_args_word (cmd->opts, 1);
  if (strcmp (command, "check") == 0)
    {
      cmd->name = "gate check";
      if ((status = check_command (cmd, 2, gate_check_options)) != 0)
        return status;
      return cmd_gate_check (cmd);
    }

  return tc_cli_usage_error (usage_text, "unknown command 'gate %s'", command);
}

/* ------------------------------------------------------------------------
 * senders
 */

static int
parse_countries (const char  *value,
                 char      ***countries)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *code = g_ascii_strup (g_strstrip (parts[i]), -1);

      if (code[0] == '\0')
        continue;
      if (strlen (code) != 2 || !tc_phone_region_is_valid (code))
        return tc_cli_usage_error (usage_text,
                                   "option '--countries' needs two-letter country codes such as "
                                   "US,CA; '%s' is not one", parts[i]);
      {
        gboolean seen = FALSE;

        for (guint k = 0; k < list->len && !seen; k++)
          seen = strcmp (g_ptr_array_index (list, k), code) == 0;
        if (!seen)
          g_ptr_array_add (list, g_steal_pointer (&code));
      }
    }
  g_ptr_array_add (list, NULL);
  *countries = (char **) g_ptr_array_free (g_steal_pointer (&list), FALSE);

  return 0;
}

static int
cmd_senders_add (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSender) sender = NULL;
  g_auto(GStrv) countries = NULL;
  g_autofree char *countries_text = NULL;
  g_autofree char *mps_text = NULL;
  g_autofree char *cap_text = NULL;
  g_autofree char *shown_id = NULL;
  const char *id, *type_arg, *use_arg, *mps_arg;
  const char *cap_arg = tc_cli_args_get (cmd->opts, "daily-cap");
  const char *countries_arg = tc_cli_args_get (cmd->opts, "countries");
  TcSenderType type;
  TcSenderUse use;
  guint64 daily_cap = 0;
  double mps;
  char *end = NULL;
  int status;

  if ((status = require (cmd, "id", "NUMBER_OR_ID", &id)) != 0 ||
      (status = require (cmd, "type", "long_code|toll_free|short_code|whatsapp", &type_arg)) != 0 ||
      (status = require (cmd, "purpose", "transactional|promotional|both", &use_arg)) != 0 ||
      (status = require (cmd, "mps", "N (messages per second, 0 for no limit)", &mps_arg)) != 0)
    return status;

  if (!tc_sender_type_from_string (type_arg, &type))
    return tc_cli_usage_error (usage_text,
                               "option '--type' needs long_code, toll_free, short_code or "
                               "whatsapp, not '%s'", type_arg);
  if (!tc_sender_use_from_string (use_arg, &use))
    return tc_cli_usage_error (usage_text,
                               "option '--purpose' needs transactional, promotional or both, "
                               "not '%s'", use_arg);

  mps = g_ascii_strtod (mps_arg, &end);
  if (end == mps_arg || *end != '\0' || !isfinite (mps) || mps < 0 || mps > MAX_MPS ||
      g_ascii_isspace (mps_arg[0]))
    return tc_cli_usage_error (usage_text,
                               "option '--mps' needs a number of messages per second from 0 (no "
                               "limit) to %g, not '%s'", MAX_MPS, mps_arg);

  if (cap_arg != NULL &&
      !g_ascii_string_to_unsigned (cap_arg, 10, 0, G_MAXUINT, &daily_cap, NULL))
    return tc_cli_usage_error (usage_text,
                               "option '--daily-cap' needs a whole number of messages a day "
                               "(0: no cap), not '%s'", cap_arg);

  if (countries_arg != NULL && (status = parse_countries (countries_arg, &countries)) != 0)
    return status;

  if ((status = open_workspace (cmd, TRUE)) != 0)
    return status;

  sender = tc_sender_new (id, type, use);
  sender->mps = mps;
  sender->daily_cap = (guint) daily_cap;
  if (countries != NULL)
    {
      g_strfreev (sender->countries);
      sender->countries = g_steal_pointer (&countries);
    }
  sender->registered = TRUE;

  tc_senders_save_async (cmd->repository, sender, cmd->cancellable,
                         tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_senders_save_finish (cmd->repository, result, &error))
    return tc_cli_fail_with_error ("cannot save the sender", error);

  if (sender->countries != NULL && sender->countries[0] != NULL)
    countries_text = g_strjoinv (",", sender->countries);
  mps_text = mps > 0 ? g_strdup_printf ("%g a second", mps) : g_strdup ("no rate limit");
  cap_text = daily_cap > 0 ? g_strdup_printf ("at most %" G_GUINT64_FORMAT " a day", daily_cap)
                           : g_strdup ("no daily cap");
  /* The registry keeps a phone number in E.164. */
  if (id[0] == '+')
    shown_id = tc_phone_normalize (id, NULL, NULL);
  g_print ("Saved sender %s (%s, %s): %s, %s, %s%s\n", shown_id != NULL ? shown_id : id,
           tc_sender_type_to_string (type),
           tc_sender_use_to_string (use), mps_text, cap_text,
           countries_text != NULL ? "countries " : "any country",
           countries_text != NULL ? countries_text : "");

  return EXIT_SUCCESS;
}

static int
cmd_senders_list (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) senders = NULL;
  int status;

  if ((status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_senders_list_async (cmd->repository, cmd->cancellable, tc_repository_store_result_cb,
                         &result);
  tc_repository_wait (&result);
  senders = tc_senders_list_finish (cmd->repository, result, &error);
  if (senders == NULL)
    return tc_cli_fail_with_error ("cannot list the senders", error);

  if (cmd->opts->json)
    {
      g_autoptr(GString) out = g_string_new ("[");

      for (guint i = 0; i < senders->len; i++)
        {
          g_autofree char *json = tc_sender_to_json (g_ptr_array_index (senders, i));

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, json);
        }
      g_string_append (out, "]\n");
      fputs (out->str, stdout);
      return EXIT_SUCCESS;
    }

  if (senders->len == 0)
    {
      g_print ("No senders registered: each number gets the conservative limits of its type.\n");
      return EXIT_SUCCESS;
    }

  g_print ("%-18s  %-10s  %-13s  %8s  %9s  %s\n", "ID", "TYPE", "PURPOSE", "MPS", "DAILY CAP",
           "COUNTRIES");
  for (guint i = 0; i < senders->len; i++)
    {
      const TcSender *sender = g_ptr_array_index (senders, i);
      g_autofree char *countries = NULL;
      g_autofree char *mps = NULL;
      g_autofree char *cap = NULL;

      if (sender->countries != NULL && sender->countries[0] != NULL)
        countries = g_strjoinv (",", sender->countries);
      mps = sender->mps > 0 ? g_strdup_printf ("%g", sender->mps) : g_strdup ("no limit");
      cap = sender->daily_cap > 0 ? g_strdup_printf ("%u", sender->daily_cap) : g_strdup ("none");
      g_print ("%-18s  %-10s  %-13s  %8s  %9s  %s\n", sender->id,
               tc_sender_type_to_string (sender->type), tc_sender_use_to_string (sender->use),
               mps, cap, countries != NULL ? countries : "any");
    }

  return EXIT_SUCCESS;
}

static int
cmd_senders_remove (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  int status;

  if ((status = require (cmd, "id", "ID", &id)) != 0 ||
      (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_senders_remove_async (cmd->repository, id, cmd->cancellable,
                           tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_senders_remove_finish (cmd->repository, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return tc_cli_fail ("no sender %s is registered (textcast-cli senders list shows them)",
                            id);
      return tc_cli_fail_with_error ("cannot remove the sender", error);
    }

  g_print ("Removed sender %s\n", id);

  return EXIT_SUCCESS;
}

static int
run_senders (Command *cmd)
{
  const char *command;
  int status;

  if (cmd->opts->args->len < 2)
    return tc_cli_usage_error (usage_text, "'senders' needs a command: add, list or remove");

  command = tc_cli_args_word (cmd->opts, 1);
  if (strcmp (command, "add") == 0)
    {
      cmd->name = "senders add";
      if ((status = check_command (cmd, 2, senders_add_options)) != 0)
        return status;
      return cmd_senders_add (cmd);
    }
  if (strcmp (command, "list") == 0)
    {
      cmd->name = "senders list";
      if ((status = check_command (cmd, 2, senders_list_options)) != 0)
        return status;
      return cmd_senders_list (cmd);
    }
  if (strcmp (command, "remove") == 0)
    {
      cmd->name = "senders remove";
      if ((status = check_command (cmd, 2, senders_remove_options)) != 0)
        return status;
      return cmd_senders_remove (cmd);
    }

  return tc_cli_usage_error (usage_text, "unknown command 'senders %s'", command);
}

/* ------------------------------------------------------------------------
 * privacy
 */

/* The E.164 form of --phone: the privacy functions look contacts up by it. */
static int
privacy_phone (Command  *cmd,
               char    **e164)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  const char *phone;
  int status;

  if ((status = require (cmd, "phone", "NUMBER", &phone)) != 0 ||
      (status = parse_region (cmd, &region)) != 0)
    return status;

  *e164 = tc_phone_normalize (phone, region != NULL ? region : "US", &error);
  if (*e164 == NULL)
    return tc_cli_fail ("'%s' is not a phone number: %s", phone, error->message);

  return 0;
}

static int
cmd_privacy_export (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *data = NULL;
  const char *format_arg = tc_cli_args_get (cmd->opts, "format");
  const char *output = tc_cli_args_get (cmd->opts, "output");
  TcPrivacyFormat format = TC_PRIVACY_FORMAT_JSON;
  int status;

  if (format_arg != NULL)
    {
      if (strcmp (format_arg, "json") == 0)
        format = TC_PRIVACY_FORMAT_JSON;
      else if (strcmp (format_arg, "csv") == 0)
        format = TC_PRIVACY_FORMAT_CSV;
      else
        return tc_cli_usage_error (usage_text, "option '--format' needs json or csv, not '%s'",
                                   format_arg);
    }
  if (output != NULL && output[0] == '\0')
    return tc_cli_usage_error (usage_text, "option '--output' needs a file name");

  if ((status = privacy_phone (cmd, &phone)) != 0 ||
      (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_privacy_export_async (cmd->repository, phone, format, cmd->cancellable,
                           tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  data = tc_privacy_export_finish (cmd->repository, result, &error);
  if (data == NULL)
    {
      if (g_error_matches (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND))
        return tc_cli_fail ("no contact has the phone number %s: Textcast holds nothing about it",
                            phone);
      return tc_cli_fail_with_error ("cannot export", error);
    }

  if (output == NULL || strcmp (output, "-") == 0)
    {
      if (format == TC_PRIVACY_FORMAT_JSON)
        print_json_text (data);
      else
        fputs (data, stdout);
      return EXIT_SUCCESS;
    }

  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

    /* Written beside the target and renamed over it: a failed export
     * leaves an older file alone. */
    if (!g_file_replace_contents (file, data, strlen (data), NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                  NULL, cmd->cancellable, &error))
      return tc_cli_fail_with_error (output, error);
  }
  g_print ("Exported everything held about %s to %s\n", phone, output);

  return EXIT_SUCCESS;
}

static int
cmd_privacy_erase (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL;
  gboolean had_contact = FALSE;
  int status;

  if ((status = privacy_phone (cmd, &phone)) != 0)
    return status;
  if (!tc_cli_args_has (cmd->opts, "yes"))
    return tc_cli_usage_error (usage_text,
                               "'privacy erase' deletes everything about %s and cannot be "
                               "undone: add --yes to confirm", phone);

  if ((status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_privacy_erase_async (cmd->repository, phone, cmd->cancellable,
                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_privacy_erase_finish (cmd->repository, result, &had_contact, &error))
    return tc_cli_fail_with_error ("cannot erase", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "phone");
      json_builder_add_string_value (builder, phone);
      json_builder_set_member_name (builder, "erased");
      json_builder_add_boolean_value (builder, had_contact);
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else if (had_contact)
    g_print ("Erased everything about %s; the number is on the suppression list, so no import "
             "can add it again.\n", phone);
  else
    g_print ("No contact had %s; the number is on the suppression list now.\n", phone);

  return EXIT_SUCCESS;
}

static int
run_privacy (Command *cmd)
{
  const char *command;
  int status;

  if (cmd->opts->args->len < 2)
    return tc_cli_usage_error (usage_text, "'privacy' needs a command: export or erase");

  command = tc_cli_args_word (cmd->opts, 1);
  if (strcmp (command, "export") == 0)
    {
      cmd->name = "privacy export";
      if ((status = check_command (cmd, 2, privacy_export_options)) != 0)
        return status;
      return cmd_privacy_export (cmd);
    }
  if (strcmp (command, "erase") == 0)
    {
      cmd->name = "privacy erase";
      if ((status = check_command (cmd, 2, privacy_erase_options)) != 0)
        return status;
      return cmd_privacy_erase (cmd);
    }

  return tc_cli_usage_error (usage_text, "unknown command 'privacy %s'", command);
}

/* ------------------------------------------------------------------------
 * Entry
 */

static gboolean
on_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

int
tc_cli_consent_main (int    argc,
                     char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Command cmd = { 0 };
  const char *group;
  guint sigint_id;
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  cmd.opts = &opts;
  cmd.cancellable = cancellable;
  /* Ctrl-C cancels the operation, which then rolls back cleanly. */
  sigint_id = g_unix_signal_add (SIGINT, on_sigint_cb, cancellable);

  group = tc_cli_args_word (&opts, 0);
  cmd.name = group;
  if (strcmp (group, "consent") == 0)
    status = run_consent (&cmd);
  else if (strcmp (group, "inbound") == 0)
    status = run_inbound (&cmd);
  else if (strcmp (group, "gate") == 0)
    status = run_gate (&cmd);
  else if (strcmp (group, "senders") == 0)
    status = run_senders (&cmd);
  else
    status = run_privacy (&cmd);

  g_source_remove (sigint_id);
  g_clear_object (&cmd.context);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
