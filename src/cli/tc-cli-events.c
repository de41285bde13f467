/* tc-cli-events.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli events send|list`: record what a contact did (an order, an
 * abandoned cart, …) and list what was recorded (tc-events.h). Exit status
 * as for the rest of textcast-cli: 0 success (also when --id names an
 * event recorded before: it is not recorded twice), 1 a failed operation
 * or an event that is not valid (one line on stderr), 2 bad usage, 130
 * interrupted.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "tc-cli-events.h"
#include "tc-cli.h"
#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-context.h"
#include "tc-events-import.h"
#include "tc-events.h"
#include "tc-phone.h"
#include "tc-repository.h"

#define MAX_LIST_LIMIT 100000

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] events COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  events send --name NAME --phone NUMBER [--value V] [--currency C]\n"
  "              [--property KEY=TEXT | --property KEY:=JSON]… [--at TIME] [--id KEY]\n"
  "              [--source SOURCE] [--region CC] [--json]\n"
  "      Record that a contact did something (order_placed, cart_abandoned, …). A new\n"
  "      number becomes a contact, without any consent. --id makes it idempotent:\n"
  "      sending the same KEY again records nothing and shows the first event.\n"
  "  events list [--phone NUMBER] [--name NAME] [--limit N] [--region CC] [--json]\n"
  "      Recorded events, newest first (default: the last 1,000).\n"
  "  events import FILE [--region CC] [--json]\n"
  "      Events from a CSV file, one a row: columns phone and event (required),\n"
  "      occurred_at, id, value, currency, source; any other column becomes a\n"
  "      property. Rows that are not events are listed with their line and reason.\n"
  "\n"
  "Options:\n"
  "  --name NAME          lower-case letters, digits and _ (order_placed)\n"
  "  --value V            the amount, a number (49.90); stored as the property value\n"
  "  --currency C         ISO 4217 (USD, EUR); stored as the property currency\n"
  "  --property KEY=TEXT  a property as text; KEY:=JSON for a number, true/false, a list…\n"
  "                       (repeat for more)\n"
  "  --at TIME            when it happened: ISO 8601 with an offset or Z; default: now\n"
  "  --id KEY             the event's own id in your shop, for idempotency\n"
  "  --source SOURCE      where it came from (default: cli)\n"
  "  --region CC          the country of numbers written without +\n"
  "  --db FILE            the workspace database (before or after the command)\n"
  "  --json               print JSON on standard output\n"
  "\n"
  "Exit status: 0 success; 1 failure or an event that is not valid; 2 bad usage;\n"
  "130 interrupted.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "name", TRUE },
  { "phone", TRUE },
  { "value", TRUE },
  { "currency", TRUE },
  { "property", TRUE },
  { "at", TRUE },
  { "id", TRUE },
  { "source", TRUE },
  { "region", TRUE },
  { "limit", TRUE },
  { NULL, FALSE },
};

static const char * const send_options[] = {
  "db", "json", "name", "phone", "value", "currency", "property", "at", "id", "source", "region",
  NULL
};
static const char * const import_options[] = { "db", "json", "region", NULL };
static const char * const list_options[] = { "db", "json", "phone", "name", "limit", "region",
                                             NULL };

typedef struct
{
  TcCliArgs    *opts;
  int           argc;
  char        **argv;
  const char   *name;
  GCancellable *cancellable;
  TcContext    *context;
  TcRepository *repository;
  char         *region;
} Command;

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

static int
parse_region (Command *cmd)
{
  const char *value = tc_cli_args_get (cmd->opts, "region");

  if (value == NULL)
    return 0;

  cmd->region = g_ascii_strup (value, -1);
  if (!tc_phone_region_is_valid (cmd->region))
    return tc_cli_usage_error (usage_text, "option '--region' needs a two-letter country code "
                               "such as US, GB or DE, not '%s'", value);

  return 0;
}

/* Every --property in order: the option parser keeps only the last value
 * of an option, and properties repeat. */
static GPtrArray *
collect_properties (int    argc,
                    char **argv)
{
  GPtrArray *values = g_ptr_array_new ();

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--property") == 0 && i + 1 < argc)
        g_ptr_array_add (values, argv[++i]);
      else if (g_str_has_prefix (argv[i], "--property="))
        g_ptr_array_add (values, argv[i] + strlen ("--property="));
      else if (i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-' &&
               strchr (argv[i], '=') == NULL)
        {
          /* Skip the value of another option that takes one, which may
           * itself look like "--property". */
          for (guint s = 0; option_specs[s].name != NULL; s++)
            if (option_specs[s].takes_value && strcmp (argv[i] + 2, option_specs[s].name) == 0)
              {
                i++;
                break;
              }
        }
    }

  return values;
}

/* Appends "KEY":JSON to the object text in @out. */
static void
append_member (GString    *out,
               const char *key,
               const char *json)
{
  g_autoptr(JsonNode) key_node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *key_json = NULL;

  json_node_set_string (key_node, key);
  key_json = json_to_string (key_node, FALSE);
  g_string_append_printf (out, "%s%s:%s", out->len > 1 ? "," : "", key_json, json);
}

static char *
string_json (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);

  return json_to_string (node, FALSE);
}

/* The properties object from --property, --value and --currency, written
 * out by hand so that numbers keep the digits given (a parsed 49.90 would
 * come back as 49.899999999999999). */
static int
build_properties (Command  *cmd,
                  char    **json_out)
{
  g_autoptr(GPtrArray) values = collect_properties (cmd->argc, cmd->argv);
  g_autoptr(GString) out = g_string_new ("{");
  const char *value = tc_cli_args_get (cmd->opts, "value");
  const char *currency = tc_cli_args_get (cmd->opts, "currency");

  for (guint i = 0; i < values->len; i++)
    {
      const char *text = g_ptr_array_index (values, i);
      const char *eq = strchr (text, '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == text || (eq == text + 1 && text[0] == ':'))
        return tc_cli_usage_error (usage_text, "option '--property' needs KEY=TEXT or KEY:=JSON, "
                                   "not '%s'", text);

      if (eq[-1] == ':')
        {
          g_autoptr(JsonNode) node = json_from_string (eq + 1, NULL);
          g_autofree char *raw = g_strstrip (g_strdup (eq + 1));

          if (node == NULL)
            return tc_cli_usage_error (usage_text, "option '--property %s' needs JSON after :=, "
                                       "e.g. qty:=2 or gift:=true", text);
          key = g_strndup (text, eq - 1 - text);
          append_member (out, key, raw);
        }
      else
        {
          g_autofree char *json = string_json (eq + 1);

          key = g_strndup (text, eq - text);
          append_member (out, key, json);
        }
    }

  if (value != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (value, NULL);
      GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                                 : G_TYPE_INVALID;

      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        return tc_cli_usage_error (usage_text, "option '--value' needs a number such as 49.90, "
                                   "not '%s'", value);
      append_member (out, "value", value);
    }
  if (currency != NULL)
    {
      g_autofree char *json = string_json (currency);

      append_member (out, "currency", json);
    }

  g_string_append_c (out, '}');
  *json_out = g_string_free (g_steal_pointer (&out), FALSE);

  return 0;
}

static void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tc_cli_print_json (root);
}

static int
cmd_send (Command *cmd)
{
  g_autoptr(TcEvent) event = NULL;
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *properties = NULL;
  const char *name = tc_cli_args_get (cmd->opts, "name");
  const char *phone = tc_cli_args_get (cmd->opts, "phone");
  const char *at = tc_cli_args_get (cmd->opts, "at");
  gint64 occurred_at = 0;
  int status;

  if (name == NULL)
    return tc_cli_usage_error (usage_text, "'events send' needs --name NAME");
  if (phone == NULL)
    return tc_cli_usage_error (usage_text, "'events send' needs --phone NUMBER");
  if (at != NULL && !tc_parse_time (at, &occurred_at))
    return tc_cli_usage_error (usage_text,
                               "option '--at' needs a time in ISO 8601 with an offset or Z "
                               "(2026-03-01T09:30:00Z) or a date (2026-03-01), not '%s'", at);
  if ((status = parse_region (cmd)) != 0 || (status = build_properties (cmd, &properties)) != 0)
    return status;

  event = tc_event_new (name, phone);
  event->occurred_at = occurred_at;
  event->key = g_strdup (tc_cli_args_get (cmd->opts, "id"));
  event->source = g_strdup (tc_cli_args_has (cmd->opts, "source")
                            ? tc_cli_args_get (cmd->opts, "source") : "cli");
  event->properties = g_steal_pointer (&properties);

  /* Checked before the workspace is opened: a typo creates nothing. */
  {
    g_autoptr(TcEvent) checked = tc_event_check (event, cmd->region, &error);

    if (checked == NULL)
      return tc_cli_fail_with_error (NULL, error);
  }

  if ((status = open_workspace (cmd, TRUE)) != 0)
    return status;

  tc_events_record_async (cmd->repository, event, cmd->region, cmd->cancellable,
                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_events_record_finish (cmd->repository, result, &error);
  if (outcome == NULL)
    return tc_cli_fail_with_error ("cannot record the event", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, outcome->event->id);
      json_builder_set_member_name (builder, "inserted");
      json_builder_add_boolean_value (builder, outcome->inserted);
      json_builder_set_member_name (builder, "contact_created");
      json_builder_add_boolean_value (builder, outcome->contact_created);
      json_builder_set_member_name (builder, "event");
      tc_event_build_json (outcome->event, builder);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else if (outcome->inserted)
    g_print ("Recorded %s for %s (event %" G_GINT64_FORMAT ")%s\n", outcome->event->name,
             outcome->event->phone, outcome->event->id,
             outcome->contact_created ? "; the number is a new contact, without consent" : "");
  else
    g_print ("Already recorded: event %" G_GINT64_FORMAT " has the id %s; nothing changed\n",
             outcome->event->id, outcome->event->key);

  return EXIT_SUCCESS;
}

static int
cmd_list (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const char *limit_text = tc_cli_args_get (cmd->opts, "limit");
  guint64 limit = 0;
  int status;

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_LIST_LIMIT, &limit, NULL))
    return tc_cli_usage_error (usage_text, "option '--limit' needs a whole number from 1 to %d, "
                               "not '%s'", MAX_LIST_LIMIT, limit_text);
  if ((status = parse_region (cmd)) != 0 || (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_events_list_async (cmd->repository, tc_cli_args_get (cmd->opts, "phone"),
                        tc_cli_args_get (cmd->opts, "name"), cmd->region, (guint) limit,
                        cmd->cancellable, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  events = tc_events_list_finish (cmd->repository, result, &error);
  if (events == NULL)
    return tc_cli_fail_with_error ("cannot list the events", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        tc_event_build_json (g_ptr_array_index (events, i), builder);
      json_builder_end_array (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  if (events->len == 0)
    {
      g_print ("No events recorded.\n");
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < events->len; i++)
    {
      const TcEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = tc_format_iso8601_utc (event->occurred_at);
      g_autofree char *value = event->has_value ? g_strdup_printf ("%.2f %s", event->value,
                                                                    event->currency)
                                                : g_strdup ("");

      g_print ("%s\t%s\t%s\t%s\t%s\n", when, event->phone, event->name, value, event->properties);
    }

  return EXIT_SUCCESS;
}

static int
cmd_import (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcEventsImportReport) report = NULL;
  const char *path = tc_cli_args_word (cmd->opts, 2);
  int status;

  if (path == NULL)
    return tc_cli_usage_error (usage_text, "'events import' needs the CSV file");
  if ((status = parse_region (cmd)) != 0 || (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_events_import_async (cmd->repository, path, cmd->region, cmd->cancellable,
                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_events_import_finish (cmd->repository, result, &error);
  if (report == NULL)
    return tc_cli_fail_with_error (path, error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, report->n_rows);
      json_builder_set_member_name (builder, "recorded");
      json_builder_add_int_value (builder, report->n_recorded);
      json_builder_set_member_name (builder, "repeated");
      json_builder_add_int_value (builder, report->n_repeated);
      json_builder_set_member_name (builder, "contacts_created");
      json_builder_add_int_value (builder, report->n_contacts_created);
      json_builder_set_member_name (builder, "rejected");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->rejected->len; i++)
        {
          const TcEventsRejected *rejected = g_ptr_array_index (report->rejected, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, rejected->line);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, rejected->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  g_print ("%u rows: %u events recorded, %u already recorded, %u rejected; %u new contacts "
           "(without consent)\n", report->n_rows, report->n_recorded, report->n_repeated,
           report->rejected->len, report->n_contacts_created);
  for (guint i = 0; i < report->rejected->len; i++)
    {
      const TcEventsRejected *rejected = g_ptr_array_index (report->rejected, i);

      g_print ("  line %u: %s\n", rejected->line, rejected->message);
    }

  return EXIT_SUCCESS;
}

static gboolean
on_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

int
tc_cli_events_main (int    argc,
                    char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Command cmd = { 0 };
  const char *word;
  const char * const *allowed;
  int (*run) (Command *cmd);
  guint sigint_id;
  int status;

  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'events' needs a command: send, list or import");
      goto out;
    }

  word = tc_cli_args_word (&opts, 1);
  if (strcmp (word, "send") == 0)
    {
      cmd.name = "events send";
      allowed = send_options;
      run = cmd_send;
    }
  else if (strcmp (word, "list") == 0)
    {
      cmd.name = "events list";
      allowed = list_options;
      run = cmd_list;
    }
  else if (strcmp (word, "import") == 0)
    {
      cmd.name = "events import";
      allowed = import_options;
      run = cmd_import;
    }
  else
    {
      status = tc_cli_usage_error (usage_text, "unknown command 'events %s'", word);
      goto out;
    }

  if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, cmd.name, allowed)) != 0)
    goto out;
  if (opts.args->len > (run == cmd_import ? 3 : 2))
    {
      status = tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", cmd.name,
                                   tc_cli_args_word (&opts, run == cmd_import ? 3 : 2));
      goto out;
    }

  cmd.opts = &opts;
  cmd.argc = argc;
  cmd.argv = argv;
  cmd.cancellable = cancellable;
  sigint_id = g_unix_signal_add (SIGINT, on_sigint_cb, cancellable);
  status = run (&cmd);
  g_source_remove (sigint_id);
  g_clear_object (&cmd.context);
  g_free (cmd.region);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
