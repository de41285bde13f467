/* textcast-cli.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * textcast-cli: the workspace from the command line, for scripts.
 *
 * Exit status: 0 success, 1 bad input or a failed operation (one line on
 * stderr, "textcast-cli: …"), 2 bad usage (the usage text on stderr),
 * 130 interrupted (Ctrl-C; an import or export in progress is rolled back).
 * `phone normalize` exits 1 when any of the numbers is invalid (each one is
 * still reported on stdout, in order).
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "tc-cli-campaign.h"
#include "tc-cli-consent.h"
#include "tc-cli-events.h"
#include "tc-cli-inbox.h"
#include "tc-cli-journey.h"
#include "tc-cli-message.h"
#include "tc-cli-prices.h"
#include "tc-cli-readiness.h"
#include "tc-cli-providers.h"
#include "tc-cli-segments.h"
#include "tc-cli-send.h"
#include "tc-cli-settings.h"
#include "tc-cli-simulator.h"
#include "tc-cli.h"
#include "tc-cli-template.h"
#include "tc-cli-templates.h"
#include "tc-contact-io.h"
#include "tc-contact.h"
#include "tc-context.h"
#include "tc-phone.h"
#include "tc-repository.h"
#include "tc-sample.h"
#include "tc-sample-journey.h"
#include "tc-wa-templates-simulated.h"
#include "tc-journey-library.h"

#define EXIT_USAGE       TC_CLI_EXIT_USAGE
#define EXIT_INTERRUPTED TC_CLI_EXIT_INTERRUPTED

/* How many contacts `contacts list` fetches per query: the list is
 * streamed, so a million contacts never sit in memory at once. */
#define LIST_PAGE_SIZE 500

/* Rejected rows listed in the human summary; a big file can have thousands. */
#define TEXT_MAX_ISSUES 20

#define SAMPLE_DEFAULT_COUNT 300
#define SAMPLE_DEFAULT_SEED  20260101

typedef enum
{
  OPT_DB      = 1 << 0,
  OPT_JSON    = 1 << 1,
  OPT_REGION  = 1 << 2,
  OPT_SEARCH  = 1 << 3,
  OPT_TAG     = 1 << 4,
  OPT_LIMIT   = 1 << 5,
  OPT_OFFSET  = 1 << 6,
  OPT_COUNT   = 1 << 7,
  OPT_SEED    = 1 << 8,
  OPT_HELP    = 1 << 9,
  OPT_VERSION = 1 << 10,
} OptionFlag;

typedef struct
{
  const char *name;
  OptionFlag  flag;
  gboolean    takes_value;
} OptionDef;

static const OptionDef option_defs[] = {
  { "db", OPT_DB, TRUE },
  { "json", OPT_JSON, FALSE },
  { "region", OPT_REGION, TRUE },
  { "search", OPT_SEARCH, TRUE },
  { "tag", OPT_TAG, TRUE },
  { "limit", OPT_LIMIT, TRUE },
  { "offset", OPT_OFFSET, TRUE },
  { "count", OPT_COUNT, TRUE },
  { "seed", OPT_SEED, TRUE },
  { "help", OPT_HELP, FALSE },
  { "version", OPT_VERSION, FALSE },
};

typedef struct
{
  guint      given;      /* OptionFlag bits seen on the command line */
  char      *db_path;
  char      *region;
  char      *search;
  char      *tag;
  char      *limit;
  char      *offset;
  char      *count;
  char      *seed;
  GPtrArray *args;       /* positional words, command names included */
} CliOptions;

typedef int (*CommandFunc) (CliOptions  *opts,
                            const char **args,
                            guint        n_args);

typedef struct
{
  const char  *group;    /* "contacts", "phone", or NULL for a single word */
  const char  *name;
  guint        allowed;  /* OptionFlag bits accepted besides --db and --help */
  guint        min_args;
  guint        max_args; /* G_MAXUINT: any number */
  CommandFunc  func;
} CommandDef;

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] COMMAND [OPTION…] [ARG…]\n"
  "\n"
  "Commands:\n"
  "  contacts import FILE [--region CC] [--json]\n"
  "      Import contacts from a CSV file. Numbers without a + use the row's\n"
  "      country column, or else CC. Rejected rows are reported, not fatal.\n"
  "  contacts export FILE|- [--json]\n"
  "      Write every contact as CSV with a header row (- for standard output).\n"
  "  contacts list [--search Q] [--tag T] [--limit N] [--offset N] [--json]\n"
  "      List contacts by name; search matches name, phone or email.\n"
  "  contacts count [--search Q] [--tag T] [--json]\n"
  "      Count the contacts that match.\n"
  "  phone normalize [--region CC] [--json] NUMBER…\n"
  "      Check numbers and print E.164, region, type, location and time zones,\n"
  "      one line per number in the order given.\n"
  "  sample [--count N] [--seed S] [--json]\n"
  "      Fill an empty workspace with realistic sample contacts (default 300).\n"
  "  message inspect [--jsonl]\n"
  "      SMS encoding and segments of the message on standard input, as JSON.\n"
  "  templates list|save|show …\n"
  "      Stored SMS / WhatsApp templates and snippets (textcast-cli templates --help).\n"
  "  template render --data JSON [--partials JSON] [--escape html|none]\n"
  "      Render the Mustache template on standard input (textcast-cli template --help).\n"
  "  settings get|set|unset|list …, links shorten|stats …, serve [--port N]\n"
  "      Workspace settings, tracked short links and the HTTP endpoint that\n"
  "      redirects them (textcast-cli settings --help).\n"
  "  consent add|revoke|show --phone NUMBER …\n"
  "      Record an opt-in (with its source and wording) or an opt-out, or show a\n"
  "      contact's consent timeline (textcast-cli consent --help).\n"
  "  inbound --channel sms|whatsapp --from NUMBER --body TEXT [--json]\n"
  "      Handle a message from a contact: STOP, START, HELP, keywords.\n"
  "  gate check --phone NUMBER --channel C --purpose P [--at TIME] [--json]\n"
  "      Whether a message may go now: send, defer until a time, or skip and why.\n"
  "  senders add|list|remove …\n"
  "      The sending numbers and WhatsApp ids, their use and throughput.\n"
  "  privacy export|erase --phone NUMBER …\n"
  "      Everything held about a person (JSON or CSV), or erase them for good.\n"
  "  segments add|update|list|show|count|preview|remove …\n"
  "      Saved audience rules (fields, tags, consent, engagement, events) and how\n"
  "      many contacts match (textcast-cli segments --help).\n"
  "  events send --name NAME --phone NUMBER [--value V] … | events list [--phone N]\n"
  "      Record what a contact did (order_placed, …), or list what was recorded\n"
  "      (textcast-cli events --help).\n"
  "  inbox list|show|read|reply …\n"
  "      Conversations with the people who wrote, and answers to them\n"
  "      (textcast-cli inbox --help).\n"
  "  providers set|test|list …\n"
  "      Which provider sends each channel (Twilio, the WhatsApp Cloud API or the\n"
  "      built-in simulator), its credentials, and a connection test.\n"
  "  prices list|set|unset|reset|estimate …\n"
  "      The price table (USD; SMS per segment, WhatsApp per category): shipped\n"
  "      estimates and your own prices, and what a message would cost\n"
  "      (textcast-cli prices --help).\n"
  "  readiness [show] | readiness answer KEY VALUE | readiness check-webhooks\n"
  "      What is missing before texting customers, with a score, and the answers\n"
  "      the check is fitted to (textcast-cli readiness --help).\n"
  "  campaign create|list|show|send|pause|resume|cancel|delete …\n"
  "      Campaigns to an audience, with A/B variants, a holdout and a schedule in\n"
  "      each recipient's own time (textcast-cli campaign --help).\n"
  "  journey templates|create|import|export|validate|activate|pause|list|stats …\n"
  "      Journeys: automations such as cart abandonment (SMS, wait, WhatsApp),\n"
  "      from ready-made ones or JSON files (textcast-cli journey --help).\n"
  "  journeys run [--until ISO8601] [--simulate] [--json]\n"
  "      Run the journeys: enrol contacts and move them on (journey stats ID for\n"
  "      the numbers; textcast-cli journeys --help).\n"
  "  send --channel C --purpose P --to NUMBER (--body TEXT | --template NAME) [--wait]\n"
  "      One message through the send gate into the outbox (and, with --wait, out).\n"
  "  outbox list [--state STATE] [--json] | outbox run [--until-idle]\n"
  "      The outbox; run the engine that sends it and receives statuses and replies.\n"
  "  simulator [--listen ADDRESS:PORT] [--seed N] [--log FILE] [--max-rate N] …\n"
  "      Run the built-in Twilio / WhatsApp simulator alone; needs no workspace\n"
  "      (textcast-cli simulator --help).\n"
  "\n"
  "Options:\n"
  "  --db FILE    the workspace database (before or after the command;\n"
  "               default: $TEXTCAST_DB or ~/.local/share/textcast/textcast.db)\n"
  "  --json       print JSON on standard output\n"
  "  --help       show this text\n"
  "  --version    show the version\n"
  "\n"
  "Exit status: 0 success; 1 bad input or failure (also: phone normalize\n"
  "found an invalid number); 2 bad usage; 130 interrupted.\n";

static int cmd_contacts_import (CliOptions *opts, const char **args, guint n_args);
static int cmd_contacts_export (CliOptions *opts, const char **args, guint n_args);
static int cmd_contacts_list   (CliOptions *opts, const char **args, guint n_args);
static int cmd_contacts_count  (CliOptions *opts, const char **args, guint n_args);
static int cmd_phone_normalize (CliOptions *opts, const char **args, guint n_args);
static int cmd_sample          (CliOptions *opts, const char **args, guint n_args);

static const CommandDef command_defs[] = {
  { "contacts", "import", OPT_REGION | OPT_JSON, 1, 1, cmd_contacts_import },
  { "contacts", "export", OPT_JSON, 1, 1, cmd_contacts_export },
  { "contacts", "list", OPT_SEARCH | OPT_TAG | OPT_LIMIT | OPT_OFFSET | OPT_JSON, 0, 0, cmd_contacts_list },
  { "contacts", "count", OPT_SEARCH | OPT_TAG | OPT_JSON, 0, 0, cmd_contacts_count },
  { "phone", "normalize", OPT_REGION | OPT_JSON, 1, G_MAXUINT, cmd_phone_normalize },
  { NULL, "sample", OPT_COUNT | OPT_SEED | OPT_JSON, 0, 0, cmd_sample },
};

static void
cli_options_clear (CliOptions *opts)
{
  g_clear_pointer (&opts->db_path, g_free);
  g_clear_pointer (&opts->region, g_free);
  g_clear_pointer (&opts->search, g_free);
  g_clear_pointer (&opts->tag, g_free);
  g_clear_pointer (&opts->limit, g_free);
  g_clear_pointer (&opts->offset, g_free);
  g_clear_pointer (&opts->count, g_free);
  g_clear_pointer (&opts->seed, g_free);
  g_clear_pointer (&opts->args, g_ptr_array_unref);
}

static char **
option_slot (CliOptions *opts,
             OptionFlag  flag)
{
  switch (flag)
    {
    case OPT_DB:      return &opts->db_path;
    case OPT_REGION:  return &opts->region;
    case OPT_SEARCH:  return &opts->search;
    case OPT_TAG:     return &opts->tag;
    case OPT_LIMIT:   return &opts->limit;
    case OPT_OFFSET:  return &opts->offset;
    case OPT_COUNT:   return &opts->count;
    case OPT_SEED:    return &opts->seed;
    case OPT_JSON:
    case OPT_HELP:
    case OPT_VERSION:
    default:
      return NULL;
    }
}

/* Options may appear anywhere: before the command, between its words, or
 * after its arguments ("--" ends the options). Returns 0 or EXIT_USAGE. */
static int
parse_command_line (int          argc,
                    char       **argv,
                    CliOptions  *opts)
{
  gboolean only_args = FALSE;

  opts->args = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;
      const char *eq;
      const OptionDef *def = NULL;

      if (only_args || arg[0] != '-' || strcmp (arg, "-") == 0)
        {
          g_ptr_array_add (opts->args, g_strdup (arg));
          continue;
        }

      if (strcmp (arg, "--") == 0)
        {
          only_args = TRUE;
          continue;
        }

      if (strcmp (arg, "-h") == 0)
        {
          opts->given |= OPT_HELP;
          continue;
        }

      if (!g_str_has_prefix (arg, "--"))
        return tc_cli_usage_error (usage_text, "unknown option '%s'", arg);

      eq = strchr (arg + 2, '=');
      if (eq != NULL)
        {
          name = g_strndup (arg + 2, eq - (arg + 2));
          value = eq + 1;
        }
      else
        name = g_strdup (arg + 2);

      for (guint j = 0; j < G_N_ELEMENTS (option_defs); j++)
        {
          if (strcmp (option_defs[j].name, name) == 0)
            {
              def = &option_defs[j];
              break;
            }
        }

      if (def == NULL)
        return tc_cli_usage_error (usage_text, "unknown option '--%s'", name);

      if (def->takes_value)
        {
          char **slot = option_slot (opts, def->flag);

          if (value == NULL)
            {
              if (i + 1 >= argc)
                return tc_cli_usage_error (usage_text, "option '--%s' needs a value", name);
              value = argv[++i];
            }

          g_assert (slot != NULL);
          g_free (*slot);
          *slot = g_strdup (value);
        }
      else if (value != NULL)
        return tc_cli_usage_error (usage_text, "option '--%s' takes no value", name);

      opts->given |= def->flag;
    }

  return 0;
}

static const char *
option_name (OptionFlag flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_defs); i++)
    if (option_defs[i].flag == flag)
      return option_defs[i].name;

  g_assert_not_reached ();
  return NULL;
}

/* Parses a non-negative whole number option; EXIT_USAGE when malformed. */
static int
parse_count_option (const char *name,
                    const char *text,
                    guint64     max,
                    guint64    *out)
{
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, &error))
    return tc_cli_usage_error (usage_text, "option '--%s' needs a whole number up to %" G_GUINT64_FORMAT ", not '%s'",
                        name, max, text);

  return 0;
}

/* Upper-cases and checks a region code; 0 or EXIT_FAILURE. */
static int
check_region (char **region)
{
  char *upper;

  if (*region == NULL)
    return 0;

  upper = g_ascii_strup (*region, -1);
  g_free (*region);
  *region = upper;

  if (!tc_phone_region_is_valid (*region))
    return tc_cli_fail ("'%s' is not a known region: use a two-letter country code such as US, GB or DE",
                 *region);

  return 0;
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

static void
add_string_array (JsonBuilder        *builder,
                  const char         *member,
                  const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_date_time (JsonBuilder *builder,
               const char  *member,
               GDateTime   *date_time)
{
  g_autofree char *text = NULL;

  if (date_time != NULL)
    text = g_date_time_format_iso8601 (date_time);
  add_nullable_string (builder, member, text);
}

static gboolean
on_sigint_cb (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);

  return G_SOURCE_CONTINUE;
}

/* Ctrl-C cancels the running operation, which rolls back cleanly instead of
 * the process dying in the middle of a transaction. */
static guint
watch_sigint (GCancellable *cancellable)
{
  return g_unix_signal_add (SIGINT, on_sigint_cb, cancellable);
}

static gboolean
count_contacts (TcRepository  *repository,
                const char    *search,
                const char    *tag,
                guint         *n_contacts,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_repository_count_contacts_async (repository, search, tag, NULL,
                                      tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_repository_count_contacts_finish (repository, result, n_contacts, error);
}

/* contacts import */

static void
on_import_progress_cb (double   fraction,
                       guint    rows_done,
                       gpointer user_data)
{
  g_printerr ("\rImporting… %3d%% (%u rows)", (int) (fraction * 100.0), rows_done);
}

static void
print_import_report_json (const TcImportReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, report->rows);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, report->imported);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, report->updated);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, report->rejected);
  json_builder_set_member_name (builder, "consents_recorded");
  json_builder_add_int_value (builder, report->consents_recorded);
  json_builder_set_member_name (builder, "consents_kept_opt_out");
  json_builder_add_int_value (builder, report->consents_kept_opt_out);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; report->errors != NULL && i < report->errors->len; i++)
    {
      const TcImportIssue *issue = g_ptr_array_index (report->errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, issue->line);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, issue->value != NULL ? issue->value : "");
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, issue->reason != NULL ? issue->reason : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  tc_cli_print_json (root);
}

static void
print_import_report_text (const TcImportReport *report,
                          const char           *path)
{
  g_print ("%s: %u %s read, %u imported, %u updated, %u rejected\n",
           path, report->rows, report->rows == 1 ? "row" : "rows",
           report->imported, report->updated, report->rejected);
  if (report->consents_recorded > 0 || report->consents_kept_opt_out > 0)
    g_print ("  consent: %u opt-%s recorded, %u kept opted out (an import never lifts an opt-out)\n",
             report->consents_recorded, report->consents_recorded == 1 ? "in" : "ins",
             report->consents_kept_opt_out);

  for (guint i = 0; report->errors != NULL && i < report->errors->len; i++)
    {
      const TcImportIssue *issue = g_ptr_array_index (report->errors, i);

      if (i == TEXT_MAX_ISSUES)
        {
          g_print ("  … and %u more (--json lists every one)\n", report->errors->len - i);
          break;
        }

      g_print ("  line %u: \"%s\": %s\n",
               issue->line,
               issue->value != NULL ? issue->value : "",
               issue->reason != NULL ? issue->reason : "");
    }
}

static int
cmd_contacts_import (CliOptions  *opts,
                     const char **args,
                     guint        n_args)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  TcImportOptions options = { 0 };
  gboolean show_progress;
  guint sigint_id;
  int status;

  if ((status = check_region (&opts->region)) != 0)
    return status;

  if (!(context = tc_cli_open_workspace (opts->db_path, TRUE, &error)))
    return tc_cli_fail_with_error (NULL, error);

  options.default_region = opts->region;
  show_progress = !(opts->given & OPT_JSON) && isatty (STDERR_FILENO);
  sigint_id = watch_sigint (cancellable);

  tc_contacts_import_async (tc_context_get_repository (context), args[0], &options,
                            show_progress ? on_import_progress_cb : NULL, NULL, NULL,
                            cancellable, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_contacts_import_finish (tc_context_get_repository (context), result, &error);

  g_source_remove (sigint_id);
  if (show_progress)
    g_printerr ("\r\033[K");

  if (report == NULL)
    return tc_cli_fail_with_error (args[0], error);

  if (opts->given & OPT_JSON)
    print_import_report_json (report);
  else
    print_import_report_text (report, args[0]);

  return EXIT_SUCCESS;
}

/* contacts export */

static int
cmd_contacts_export (CliOptions  *opts,
                     const char **args,
                     guint        n_args)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean to_stdout = strcmp (args[0], "-") == 0;
  guint n_exported = 0;
  guint sigint_id;
  gboolean ok;

  if (to_stdout && (opts->given & OPT_JSON))
    return tc_cli_usage_error (usage_text, "--json cannot be used when the CSV goes to standard output");

  if (!(context = tc_cli_open_workspace (opts->db_path, FALSE, &error)))
    return tc_cli_fail_with_error (NULL, error);

  if (to_stdout)
    {
      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }
  else
    {
      /* g_file_replace() writes a temporary file and renames it over the
       * target on close, so a failed export leaves the old file alone. */
      file = g_file_new_for_commandline_arg (args[0]);
      stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                NULL, &error));
      if (stream == NULL)
        return tc_cli_fail_with_error (args[0], error);
    }

  sigint_id = watch_sigint (cancellable);
  tc_contacts_export_async (tc_context_get_repository (context), stream, cancellable,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  ok = tc_contacts_export_finish (tc_context_get_repository (context), result,
                                  &n_exported, &error);
  g_source_remove (sigint_id);

  if (!ok)
    {
      /* Cancelling the close of a replace stream discards the new file. */
      g_autoptr(GCancellable) abort_close = g_cancellable_new ();

      g_cancellable_cancel (abort_close);
      if (!to_stdout)
        g_output_stream_close (stream, abort_close, NULL);
      return tc_cli_fail_with_error (args[0], error);
    }

  if (!g_output_stream_close (stream, NULL, &error))
    return tc_cli_fail_with_error (args[0], error);

  if (to_stdout)
    return EXIT_SUCCESS;

  if (opts->given & OPT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "exported");
      json_builder_add_int_value (builder, n_exported);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, args[0]);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    g_print ("Exported %u %s to %s\n", n_exported,
             n_exported == 1 ? "contact" : "contacts", args[0]);

  return EXIT_SUCCESS;
}

/* contacts list / count */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (a, b);
}

static JsonNode *
contact_to_json (TcContact *contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GList) names = NULL;
  GHashTable *attributes = tc_contact_get_attributes (contact);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, tc_contact_get_id (contact));
  add_nullable_string (builder, "phone", tc_contact_get_phone (contact));
  add_nullable_string (builder, "first_name", tc_contact_get_first_name (contact));
  add_nullable_string (builder, "last_name", tc_contact_get_last_name (contact));
  add_nullable_string (builder, "email", tc_contact_get_email (contact));
  add_nullable_string (builder, "language", tc_contact_get_language (contact));
  add_nullable_string (builder, "country", tc_contact_get_country (contact));
  add_string_array (builder, "timezones", tc_contact_get_timezones (contact));
  add_string_array (builder, "tags", tc_contact_get_tags (contact));

  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  if (attributes != NULL)
    names = g_list_sort (g_hash_table_get_keys (attributes), (GCompareFunc) compare_strings);
  for (const GList *l = names; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (attributes, l->data));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sms_consent");
  json_builder_add_string_value (builder,
                                 tc_consent_status_to_string (tc_contact_get_consent_summary (contact, TC_CHANNEL_SMS)));
  json_builder_set_member_name (builder, "whatsapp_consent");
  json_builder_add_string_value (builder,
                                 tc_consent_status_to_string (tc_contact_get_consent_summary (contact, TC_CHANNEL_WHATSAPP)));
  add_date_time (builder, "created_at", tc_contact_get_created_at (contact));
  add_date_time (builder, "updated_at", tc_contact_get_updated_at (contact));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Pads or cuts @text to @width characters (not bytes) for the table. */
static void
append_cell (GString    *line,
             const char *text,
             guint       width)
{
  glong len;

  if (text == NULL)
    text = "";

  len = g_utf8_strlen (text, -1);
  if (len > (glong) width)
    {
      const char *end = g_utf8_offset_to_pointer (text, width - 1);

      g_string_append_len (line, text, end - text);
      g_string_append (line, "…");
    }
  else
    {
      g_string_append (line, text);
      for (glong i = len; i < (glong) width; i++)
        g_string_append_c (line, ' ');
    }
  g_string_append (line, "  ");
}

static void
print_contact_row (TcContact *contact)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, tc_contact_get_id (contact));
  g_autofree char *name = tc_contact_dup_display_name (contact);
  g_autofree char *tags = NULL;

  if (tc_contact_get_tags (contact) != NULL)
    tags = g_strjoinv (", ", (char **) tc_contact_get_tags (contact));

  g_string_append_printf (line, "%7s  ", id);
  append_cell (line, name, 26);
  append_cell (line, tc_contact_get_phone (contact), 16);
  append_cell (line, tc_contact_get_country (contact), 7);
  append_cell (line, tc_contact_get_email (contact), 30);
  g_string_append (line, tags != NULL ? tags : "");
  g_strchomp (line->str);
  g_print ("%s\n", line->str);
}

static int
cmd_contacts_list (CliOptions  *opts,
                   const char **args,
                   guint        n_args)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  TcRepository *repository;
  guint64 limit = G_MAXUINT;
  guint64 offset = 0;
  guint64 remaining;
  guint n_total = 0;
  guint n_shown = 0;
  int status;

  if ((opts->given & OPT_LIMIT) &&
      (status = parse_count_option ("limit", opts->limit, G_MAXUINT, &limit)) != 0)
    return status;
  if ((opts->given & OPT_OFFSET) &&
      (status = parse_count_option ("offset", opts->offset, G_MAXUINT, &offset)) != 0)
    return status;

  if (!(context = tc_cli_open_workspace (opts->db_path, FALSE, &error)))
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  if (!(opts->given & OPT_JSON))
    {
      if (!count_contacts (repository, opts->search, opts->tag, &n_total, &error))
        return tc_cli_fail_with_error (NULL, error);
      g_print ("%7s  %-26s  %-16s  %-7s  %-30s  %s\n",
               "ID", "NAME", "PHONE", "COUNTRY", "EMAIL", "TAGS");
    }
  else
    {
      /* The array is streamed page by page so that listing a million
       * contacts never holds them all; every element is still produced by
       * JsonGenerator, only the brackets and commas between them are ours. */
      fputs ("[", stdout);
    }

  remaining = limit;
  while (remaining > 0)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) contacts = NULL;
      guint page = (guint) MIN (remaining, LIST_PAGE_SIZE);

      tc_repository_list_contacts_async (repository, opts->search, opts->tag,
                                         (guint) offset, page, NULL,
                                         tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      contacts = tc_repository_list_contacts_finish (repository, result, &error);
      if (contacts == NULL)
        {
          if (opts->given & OPT_JSON)
            fputs ("\n", stdout);
          return tc_cli_fail_with_error (NULL, error);
        }

      for (guint i = 0; i < contacts->len; i++)
        {
          TcContact *contact = g_ptr_array_index (contacts, i);

          if (opts->given & OPT_JSON)
            {
              g_autoptr(JsonNode) node = contact_to_json (contact);

              fputs (n_shown == 0 ? "\n" : ",\n", stdout);
              {
                g_autoptr(JsonGenerator) generator = json_generator_new ();
                g_autofree char *text = NULL;

                json_generator_set_root (generator, node);
                text = json_generator_to_data (generator, NULL);
                fputs (text, stdout);
              }
            }
          else
            print_contact_row (contact);
          n_shown++;
        }

      if (contacts->len < page)
        break;
      offset += contacts->len;
      remaining -= contacts->len;
    }

  if (opts->given & OPT_JSON)
    fputs (n_shown == 0 ? "]\n" : "\n]\n", stdout);
  else if (n_shown == n_total)
    g_print ("%u %s\n", n_total, n_total == 1 ? "contact" : "contacts");
  else
    g_print ("%u of %u contacts\n", n_shown, n_total);

  return EXIT_SUCCESS;
}

static int
cmd_contacts_count (CliOptions  *opts,
                    const char **args,
                    guint        n_args)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  guint n_contacts = 0;

  if (!(context = tc_cli_open_workspace (opts->db_path, FALSE, &error)))
    return tc_cli_fail_with_error (NULL, error);

  if (!count_contacts (tc_context_get_repository (context), opts->search, opts->tag,
                       &n_contacts, &error))
    return tc_cli_fail_with_error (NULL, error);

  if (opts->given & OPT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, n_contacts);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    g_print ("%u\n", n_contacts);

  return EXIT_SUCCESS;
}

/* phone normalize */

static const char *
phone_error_code (const GError *error)
{
  if (error->domain != TC_PHONE_ERROR)
    return "FAILED";

  switch ((TcPhoneError) error->code)
    {
    case TC_PHONE_ERROR_NOT_A_NUMBER:         return "NOT_A_NUMBER";
    case TC_PHONE_ERROR_INVALID_COUNTRY_CODE: return "INVALID_COUNTRY_CODE";
    case TC_PHONE_ERROR_TOO_SHORT:            return "TOO_SHORT";
    case TC_PHONE_ERROR_TOO_LONG:             return "TOO_LONG";
    case TC_PHONE_ERROR_INVALID_FOR_REGION:   return "INVALID_FOR_REGION";
    case TC_PHONE_ERROR_INVALID_REGION:       return "INVALID_REGION";
    default:                                  return "FAILED";
    }
}

static void
print_phone_json (const char        *input,
                  const TcPhoneInfo *info,
                  const GError      *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, input);
  add_nullable_string (builder, "e164", info ? info->e164 : NULL);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, info != NULL);
  add_nullable_string (builder, "error", error ? error->message : NULL);
  add_nullable_string (builder, "error_code", error ? phone_error_code (error) : NULL);
  add_nullable_string (builder, "region", info ? info->region : NULL);
  add_nullable_string (builder, "type", info ? tc_phone_type_to_string (info->type) : NULL);
  add_nullable_string (builder, "location", info ? info->location : NULL);
  add_string_array (builder, "timezones",
                    info ? (const char * const *) info->timezones : NULL);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  tc_cli_print_json (root);
}

static void
print_phone_text (const char        *input,
                  const TcPhoneInfo *info,
                  const GError      *error)
{
  g_autofree char *zones = NULL;

  if (info == NULL)
    {
      g_print ("%s: invalid: %s\n", input, error->message);
      return;
    }

  if (info->timezones != NULL && info->timezones[0] != NULL)
    zones = g_strjoinv (", ", info->timezones);

  g_print ("%s: %s  %s  %s  %s  %s\n",
           input, info->e164, info->region,
           tc_phone_type_to_string (info->type),
           info->location != NULL ? info->location : "-",
           zones != NULL ? zones : "-");
}

static int
cmd_phone_normalize (CliOptions  *opts,
                     const char **args,
                     guint        n_args)
{
  guint n_invalid = 0;
  int status;

  if ((status = check_region (&opts->region)) != 0)
    return status;

  for (guint i = 0; i < n_args; i++)
    {
      g_autoptr(TcPhoneInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      info = tc_phone_parse (args[i], opts->region, TC_PHONE_PARSE_ALL, &error);
      if (info == NULL)
        n_invalid++;

      if (opts->given & OPT_JSON)
        print_phone_json (args[i], info, error);
      else
        print_phone_text (args[i], info, error);
    }

  if (n_invalid > 0)
    {
      fflush (stdout);
      return tc_cli_fail ("%u of %u %s invalid", n_invalid, n_args,
                   n_args == 1 ? "number is" : "numbers are");
    }

  return EXIT_SUCCESS;
}

/* sample */

static int
cmd_sample (CliOptions  *opts,
            const char **args,
            guint        n_args)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 count = SAMPLE_DEFAULT_COUNT;
  guint64 seed = SAMPLE_DEFAULT_SEED;
  guint n_contacts = 0;
  gint64 journey_id = 0;
  guint n_enrolled = 0;
  int status;

  if ((opts->given & OPT_COUNT) &&
      (status = parse_count_option ("count", opts->count, 100000, &count)) != 0)
    return status;
  if ((opts->given & OPT_SEED) &&
      (status = parse_count_option ("seed", opts->seed, G_MAXUINT32, &seed)) != 0)
    return status;

  if (!(context = tc_cli_open_workspace (opts->db_path, TRUE, &error)))
    return tc_cli_fail_with_error (NULL, error);

  tc_sample_create_async (tc_context_get_repository (context), (guint) count, (guint32) seed,
                          NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_sample_create_finish (tc_context_get_repository (context), result, &error))
    return tc_cli_fail_with_error (NULL, error);

  /* The sample comes with a ready-made journey, switched on, with shoppers in it. */
  g_clear_object (&result);
  tc_sample_journey_create_async (tc_context_get_repository (context), 0, NULL,
                                  tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_sample_journey_create_finish (tc_context_get_repository (context), result, &journey_id,
                                        &n_enrolled, &error))
    return tc_cli_fail_with_error (NULL, error);

  /* On the built-in simulator its WhatsApp follow-up is reviewed (and
   * approved) now, as `journey create` does. */
  {
    g_autoptr(TcJourney) journey = tc_journey_library_build (TC_SAMPLE_JOURNEY_NAME, NULL);
    g_auto(GStrv) names = tc_journey_dup_whatsapp_templates (journey);
    g_autoptr(GPtrArray) reviewed = NULL;

    g_clear_object (&result);
    tc_wa_templates_review_simulated_async (tc_context_get_repository (context),
                                            (const char * const *) names, NULL,
                                            tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    reviewed = tc_wa_templates_review_simulated_finish (tc_context_get_repository (context), result,
                                                        NULL, &error);
    if (reviewed == NULL)
      return tc_cli_fail_with_error ("the simulator could not review the sample journey's WhatsApp "
                                     "templates", error);
  }

  if (!count_contacts (tc_context_get_repository (context), NULL, NULL, &n_contacts, &error))
    return tc_cli_fail_with_error (NULL, error);

  if (opts->given & OPT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, n_contacts);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, tc_context_get_db_path (context));
      json_builder_set_member_name (builder, "journey");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, journey_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, TC_SAMPLE_JOURNEY_NAME);
      json_builder_set_member_name (builder, "enrolled");
      json_builder_add_int_value (builder, n_enrolled);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    {
      g_print ("Added %u sample contacts to %s\n", n_contacts, tc_context_get_db_path (context));
      g_print ("Switched on journey %" G_GINT64_FORMAT " (%s) with %u sample shoppers in it\n",
               journey_id, TC_SAMPLE_JOURNEY_NAME, n_enrolled);
    }

  return EXIT_SUCCESS;
}

static const CommandDef *
find_command (GPtrArray *args,
              guint     *n_words)
{
  const char *first = g_ptr_array_index (args, 0);
  const char *second = args->len > 1 ? g_ptr_array_index (args, 1) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (command_defs); i++)
    {
      const CommandDef *def = &command_defs[i];

      if (def->group == NULL && strcmp (def->name, first) == 0)
        {
          *n_words = 1;
          return def;
        }

      if (def->group != NULL && strcmp (def->group, first) == 0 &&
          second != NULL && strcmp (def->name, second) == 0)
        {
          *n_words = 2;
          return def;
        }
    }

  return NULL;
}

static gboolean
is_group (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (command_defs); i++)
    if (command_defs[i].group != NULL && strcmp (command_defs[i].group, word) == 0)
      return TRUE;

  return FALSE;
}

static int
run (int    argc,
     char **argv)
{
  CliOptions opts = { 0 };
  const CommandDef *def;
  g_autofree char *command_name = NULL;
  guint n_words = 0;
  guint n_args;
  int status;

  if ((status = parse_command_line (argc, argv, &opts)) != 0)
    goto out;

  if (opts.given & OPT_HELP)
    {
      fputs (usage_text, stdout);
      status = EXIT_SUCCESS;
      goto out;
    }

  if (opts.given & OPT_VERSION)
    {
      g_print ("textcast-cli %s\n", PACKAGE_VERSION);
      status = EXIT_SUCCESS;
      goto out;
    }

  if (opts.args->len == 0)
    {
      status = tc_cli_usage_error (usage_text, "no command given");
      goto out;
    }

  def = find_command (opts.args, &n_words);
  if (def == NULL)
    {
      const char *first = g_ptr_array_index (opts.args, 0);

      if (is_group (first) && opts.args->len == 1)
        status = tc_cli_usage_error (usage_text, "'%s' needs a command", first);
      else if (is_group (first))
        status = tc_cli_usage_error (usage_text, "unknown command '%s %s'", first,
                              (const char *) g_ptr_array_index (opts.args, 1));
      else
        status = tc_cli_usage_error (usage_text, "unknown command '%s'", first);
      goto out;
    }

  command_name = def->group ? g_strdup_printf ("%s %s", def->group, def->name)
                            : g_strdup (def->name);

  for (guint bit = 1; bit <= OPT_VERSION; bit <<= 1)
    {
      if ((opts.given & bit) && !(bit & (def->allowed | OPT_DB | OPT_HELP)))
        {
          status = tc_cli_usage_error (usage_text, "option '--%s' does not apply to '%s'",
                                option_name (bit), command_name);
          goto out;
        }
    }

  n_args = opts.args->len - n_words;
  if (n_args < def->min_args)
    {
      status = tc_cli_usage_error (usage_text, "'%s' is missing its %s", command_name,
                            def->max_args == G_MAXUINT ? "numbers" : "file argument");
      goto out;
    }
  if (n_args > def->max_args)
    {
      status = tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", command_name,
                            (const char *) g_ptr_array_index (opts.args, n_words + def->max_args));
      goto out;
    }

  if (opts.db_path != NULL && opts.db_path[0] == '\0')
    {
      status = tc_cli_usage_error (usage_text, "option '--db' needs a file name");
      goto out;
    }

  status = def->func (&opts, (const char **) opts.args->pdata + n_words, n_args);

out:
  fflush (stdout);
  cli_options_clear (&opts);

  return status;
}

int
main (int    argc,
      char **argv)
{
  /* Options that take a separate value, so that their value is not taken
   * for the command word. */
  static const char * const value_options[] = {
    "--db", "--region", "--search", "--tag", "--limit", "--offset", "--count", "--seed",
    "--data", "--partials", "--escape", "--kind", "--name", "--purpose", "--language",
    "--domain", "--contact-phone", "--origin", "--port",
    "--phone", "--channel", "--source", "--wording", "--at", "--from", "--body", "--id",
    "--sender", "--template-category", "--type", "--mps", "--daily-cap", "--countries",
    "--format", "--output", "--listen", "--log", "--max-rate", "--webhook-url", "--inbound-url",
    "--reply-ratio", "--status-delay",
    "--account-sid", "--messaging-service-sid", "--base-url", "--phone-number-id",
    "--business-account-id", "--api-version", "--to", "--template", "--state",
    "--country", "--category", "--price", "--segments", "--rule", "--new-name", "--value",
    "--currency", "--property", "--from-template", "--until", NULL
  };
  static const struct {
    const char *word;
    int       (*main) (int argc, char **argv);
  } modules[] = {
    { "message", tc_cli_message_main },
    { "template", tc_cli_template_main },
    { "templates", tc_cli_templates_main },
    { "settings", tc_cli_settings_main },
    { "links", tc_cli_settings_main },
    { "serve", tc_cli_settings_main },
    { "consent", tc_cli_consent_main },
    { "inbound", tc_cli_consent_main },
    { "gate", tc_cli_consent_main },
    { "senders", tc_cli_consent_main },
    { "privacy", tc_cli_consent_main },
    { "simulator", tc_cli_simulator_main },
    { "providers", tc_cli_providers_main },
    { "prices", tc_cli_prices_main },
    { "readiness", tc_cli_readiness_main },
    { "segments", tc_cli_segments_main },
    { "events", tc_cli_events_main },
    { "inbox", tc_cli_inbox_main },
    { "campaign", tc_cli_campaign_main },
    { "journey", tc_cli_journey_main },
    { "journeys", tc_cli_journeys_main },
    { "send", tc_cli_send_main },
    { "outbox", tc_cli_send_main },
  };
  const char *word;

  setlocale (LC_ALL, "");

  /* A closed pipe (`textcast-cli contacts list | head`) ends the output
   * with EPIPE instead of killing the process mid-write. */
  signal (SIGPIPE, SIG_IGN);

  /* Command groups that live in their own files get the whole command
   * line; `--db FILE` may stand before the group's name, as everywhere. */
  word = tc_cli_command_word (argc, argv, value_options);
  for (guint i = 0; word != NULL && i < G_N_ELEMENTS (modules); i++)
    if (strcmp (word, modules[i].word) == 0)
      return modules[i].main (argc, argv);

  return run (argc, argv);
}
