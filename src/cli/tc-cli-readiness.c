/* tc-cli-readiness.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli readiness`: the readiness check (src/core/tc-readiness.h)
 * — what is missing before texting customers, with a score — and its
 * answers. `check-webhooks` runs the network check of the public URL
 * (src/net/tc-readiness-net.h); `providers test` records the connection
 * test the check reads.
 *
 * Exit status: 0 success, 1 bad input or a failed operation (one line on
 * stderr), 2 bad usage.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "tc-cli-readiness.h"
#include "tc-cli.h"
#include "tc-context.h"
#include "tc-readiness-net.h"
#include "tc-readiness.h"
#include "tc-repository.h"

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] readiness [COMMAND] [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  readiness [show] [--json]\n"
  "      What is missing before texting customers, most serious first, each with\n"
  "      where to fix it, and a score from 0 to 100.\n"
  "  readiness answer KEY VALUE [--json]\n"
  "      Answer a question (an empty VALUE clears the answer). KEY and VALUE:\n"
  "        use_cases      comma list of order_updates, appointments, passcodes,\n"
  "                       restock, deals, launches, events, cart_abandonment, birthdays\n"
  "        purposes       transactional, promotional or both\n"
  "        channels       comma list of sms, whatsapp\n"
  "        budget         what you may spend a month (a number)\n"
  "        volume         messages a month (a whole number)\n"
  "        optin_sources  comma list of web_form, checkout, keyword, qr_code,\n"
  "                       import, api, manual\n"
  "        goals          comma list of deliveries, clicks, replies, revenue, opt_outs\n"
  "  readiness check-webhooks [--json]\n"
  "      Check that the public URL (http.public_url) reaches a running Textcast,\n"
  "      and record the outcome for the check.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { NULL, FALSE },
};

static const char * const all_options[] = { "db", "json", NULL };

static const char *
severity_word (TcReadinessSeverity severity)
{
  switch (severity)
    {
    case TC_READINESS_CRITICAL:
      return "MUST";
    case TC_READINESS_WARNING:
      return "SHOULD";
    case TC_READINESS_INFO:
    default:
      return "MAY";
    }
}

static int
run_show (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcReadinessReport) report = NULL;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "readiness show",
                                    all_options)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'readiness show' got an unexpected argument '%s'",
                               tc_cli_args_word (opts, 2));

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_readiness_inspect_async (tc_context_get_repository (context),
                              g_get_real_time () / G_USEC_PER_SEC, NULL,
                              tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_readiness_inspect_finish (tc_context_get_repository (context), result, &error);
  if (report == NULL)
    return tc_cli_fail_with_error ("cannot inspect the workspace", error);

  if (opts->json)
    {
      g_autofree char *json = tc_readiness_report_to_json (report);

      g_print ("%s\n", json);
      return EXIT_SUCCESS;
    }

  g_print ("Readiness: %u/100", report->score);
  if (report->n_failed == 0)
    g_print (" — nothing is missing.\n");
  else
    g_print (" — %u thing%s to fix:\n", report->n_failed, report->n_failed == 1 ? "" : "s");
  for (guint i = 0; i < report->checks->len; i++)
    {
      const TcReadinessCheck *check = g_ptr_array_index (report->checks, i);

      if (check->passed)
        continue;
      g_print ("\n%-6s  %s\n        %s\n        Fix in: %s  [%s]\n", severity_word (check->severity),
               check->title, check->explanation, check->place, check->id);
    }

  return EXIT_SUCCESS;
}

static int
run_answer (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcReadinessAnswers) answers = tc_readiness_answers_new ();
  g_autofree char *normalized = NULL;
  TcReadinessAnswer answer;
  const char *key;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "readiness answer",
                                    all_options)) != 0)
    return status;
  if (opts->args->len != 4)
    return tc_cli_usage_error (usage_text, "'readiness answer' needs KEY and VALUE");

  key = tc_cli_args_word (opts, 2);
  if (!tc_readiness_answer_from_string (key, &answer))
    return tc_cli_usage_error (usage_text, "'%s' is not a question: use use_cases, purposes, "
                               "channels, budget, volume, optin_sources or goals", key);
  normalized = tc_readiness_answer_normalize (answer, tc_cli_args_word (opts, 3), &error);
  if (normalized == NULL)
    return tc_cli_fail_with_error (NULL, error);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  answers->values[answer] = g_strdup (normalized);
  tc_readiness_save_answers_async (tc_context_get_repository (context), answers, NULL,
                                   tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_readiness_save_answers_finish (tc_context_get_repository (context), result, &error))
    return tc_cli_fail_with_error ("cannot save the answer", error);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, key);
      json_builder_set_member_name (builder, "value");
      if (normalized[0] != '\0')
        json_builder_add_string_value (builder, normalized);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else if (normalized[0] == '\0')
    g_print ("Cleared the answer to %s.\n", key);
  else
    g_print ("%s: %s\n", key, normalized);

  return EXIT_SUCCESS;
}

static int
run_check_webhooks (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *message = NULL;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "readiness check-webhooks",
                                    all_options)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'readiness check-webhooks' got an unexpected "
                               "argument '%s'", tc_cli_args_word (opts, 2));

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_readiness_check_webhooks_async (tc_context_get_repository (context), NULL, NULL,
                                     tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  message = tc_readiness_check_webhooks_finish (result, &error);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, message != NULL);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message != NULL ? message : error->message);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
      return message != NULL ? EXIT_SUCCESS : TC_CLI_EXIT_FAILURE;
    }

  if (message == NULL)
    return tc_cli_fail_with_error (NULL, error);
  g_print ("%s\n", message);

  return EXIT_SUCCESS;
}

int
tc_cli_readiness_main (int    argc,
                       char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  const char *command;
  int status;

  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  command = opts.args->len >= 2 ? tc_cli_args_word (&opts, 1) : "show";
  if (strcmp (command, "show") == 0)
    status = run_show (&opts);
  else if (strcmp (command, "answer") == 0)
    status = run_answer (&opts);
  else if (strcmp (command, "check-webhooks") == 0)
    status = run_check_webhooks (&opts);
  else
    status = tc_cli_usage_error (usage_text, "unknown command 'readiness %s'", command);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
