/* tc-cli-campaign.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * textcast-cli campaign create|list|show|send|pause|resume|cancel|delete.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tc-campaign-report.h"
#include "tc-campaign.h"
#include "tc-cli-campaign.h"
#include "tc-cli-send.h"
#include "tc-cli.h"
#include "tc-consent-ledger.h"
#include "tc-outbox.h"
#include "tc-phone.h"

/* Recipients queued per transaction. */
#define QUEUE_BATCH 500

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] campaign COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  campaign create --name NAME --channel sms|whatsapp|whatsapp+sms\n"
  "                  --purpose promotional|transactional --template NAME[,NAME…]\n"
  "                  (--segment NAME[,NAME…] | --all) [--exclude NAME[,NAME…]]\n"
  "                  [--at TIME | --local-time HH:MM [--on DATE]] [--split P,P…]\n"
  "                  [--holdout P] [--test P --winner-metric M --winner-after HOURS]\n"
  "                  [--fallback-template NAME[,NAME…]]\n"
  "                  [--sms-sender ID] [--whatsapp-sender ID] [--throttle N]\n"
  "                  [--daily-cap N] [--json]\n"
  "      Save a draft campaign; prints its id. Several templates make A/B\n"
  "      variants (A, B, …), split evenly unless --split gives the shares;\n"
  "      --holdout P keeps P % of the audience out, to measure the lift.\n"
  "      --test P sends the variants to P % first; HOURS later the best by M\n"
  "      (delivery_rate, clicks, replies, conversions, revenue) goes to the rest.\n"
  "      --local-time sends at that time of day in each recipient's own zone\n"
  "      (from --on DATE, or from when sending starts). whatsapp+sms sends the\n"
  "      SMS --fallback-template to those WhatsApp cannot reach. --throttle N:\n"
  "      at most N messages a minute; --daily-cap N: at most N a day.\n"
  "  campaign list [--json]\n"
  "      Every campaign, newest first, with its state and figures.\n"
  "  campaign show ID [--json]\n"
  "      One campaign.\n"
  "  campaign send ID [--wait] [--port N] [--json]\n"
  "      Freeze the audience, assign the variants and queue every message\n"
  "      through the send gate (skipped and deferred ones say why). Sending\n"
  "      a campaign again queues nobody twice. With --wait, also run the send\n"
  "      engine until nothing more is due.\n"
  "  campaign test ID --to NUMBER[,NUMBER…] [--wait] [--port N] [--json]\n"
  "      Send each variant's message now to seed numbers (yours), through the send\n"
  "      gate like any message; the campaign itself is not started.\n"
  "  campaign preflight ID [--json]\n"
  "      Before sending: the audience, how many would be sent, skipped or held\n"
  "      back and why, the SMS segments per message, the cost by country and\n"
  "      channel, and warnings (estimated from a random sample of 5,000 when\n"
  "      the audience is larger).\n"
  "  campaign report ID [--by country | --cohort ATTRIBUTE] [--json]\n"
  "      What it did: audience, sent, delivered, read, failed (by error), skipped\n"
  "      and deferred (by reason), replies, opt-outs, clicks, conversions, revenue,\n"
  "      cost and the rates, per variant, against the holdout, hour by hour, and\n"
  "      by country or by the value of a contact attribute.\n"
  "  campaign winner ID [--json]\n"
  "      With a test portion: choose the winning variant once it is time, and\n"
  "      queue the rest (campaign send does this too); says when otherwise.\n"
  "  campaign pause|resume|cancel ID\n"
  "      Hold its waiting messages, let them go again (and queue the rest),\n"
  "      or drop every message not yet sent.\n"
  "  campaign delete ID\n"
  "      Delete a draft.\n"
  "\n"
  "Options:\n"
  "  --at TIME      ISO 8601 with an offset or Z (2026-03-01T09:30:00Z)\n"
  "  --on DATE      2026-03-01\n"
  "  --db FILE      the workspace database (before or after the command)\n"
  "  --json         print JSON on standard output\n"
  "\n"
  "Exit status: 0 success; 1 failure; 2 bad usage or option value; 130 interrupted.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "name", TRUE },
  { "channel", TRUE },
  { "purpose", TRUE },
  { "template", TRUE },
  { "fallback-template", TRUE },
  { "segment", TRUE },
  { "all", FALSE },
  { "exclude", TRUE },
  { "at", TRUE },
  { "local-time", TRUE },
  { "on", TRUE },
  { "split", TRUE },
  { "holdout", TRUE },
  { "sms-sender", TRUE },
  { "whatsapp-sender", TRUE },
  { "throttle", TRUE },
  { "daily-cap", TRUE },
  { "wait", FALSE },
  { "port", TRUE },
  { "by", TRUE },
  { "test", TRUE },
  { "winner-metric", TRUE },
  { "winner-after", TRUE },
  { "to", TRUE },
  { "cohort", TRUE },
  { NULL, FALSE },
};

static const char * const create_options[] = {
  "db", "json", "name", "channel", "purpose", "template", "fallback-template", "segment", "all",
  "exclude", "at", "local-time", "on", "split", "holdout", "sms-sender", "whatsapp-sender",
  "throttle", "daily-cap", "test", "winner-metric", "winner-after", NULL
};
static const char * const list_options[] = { "db", "json", NULL };
static const char * const send_options[] = { "db", "json", "wait", "port", NULL };
static const char * const act_options[] = { "db", NULL };
static const char * const report_options[] = { "db", "json", "by", "cohort", NULL };
static const char * const preflight_options[] = { "db", "json", NULL };
static const char * const test_options[] = { "db", "json", "to", "wait", "port", NULL };

/* "a,b , c" → { "a", "b", "c" }; empty pieces dropped. */
static GStrv
split_list (const char *value)
{
  g_auto(GStrv) pieces = g_strsplit (value != NULL ? value : "", ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_strstrip (pieces[i]);
      if (pieces[i][0] != '\0')
        g_strv_builder_add (builder, pieces[i]);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_number (const char *text,
              double      max,
              double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  return errno == 0 && end != NULL && *end == '\0' && *value >= 0 && *value <= max;
}

static gboolean
parse_time (const char *text,
            gint64     *unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  if (time == NULL)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);

      time = g_date_time_new_from_iso8601 (midnight, NULL);
    }
  if (time == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (time);
  return TRUE;
}

static gboolean
parse_id (const char *word,
          gint64     *id)
{
  char *end = NULL;

  if (word == NULL || !g_ascii_isdigit (word[0]))
    return FALSE;
  *id = g_ascii_strtoll (word, &end, 10);
  return end != NULL && *end == '\0' && *id > 0;
}

static void
print_campaign (TcCampaign *campaign,
                gboolean    json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      tc_campaign_build_json (campaign, builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
      return;
    }

  g_print ("#%" G_GINT64_FORMAT " %s — %s %s, %s: %u in the audience, %u queued\n",
           tc_campaign_get_id (campaign), tc_campaign_get_name (campaign),
           tc_campaign_channel_to_string (tc_campaign_get_channel (campaign)),
           tc_purpose_to_string (tc_campaign_get_purpose (campaign)),
           tc_campaign_state_to_string (tc_campaign_get_state (campaign)),
           tc_campaign_get_audience_size (campaign), tc_campaign_get_n_queued (campaign));
}

static TcCampaign *
load_campaign (TcRepository *repository,
               gint64        id,
               GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_campaign_store_get_async (repository, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_campaign_store_get_finish (repository, result, error);
}

/* ------------------------------------------------------------------------
 * create
 */

static int
create_main (TcCliArgs *opts)
{
  const char *name = tc_cli_args_get (opts, "name");
  const char *channel_text = tc_cli_args_get (opts, "channel");
  const char *purpose_text = tc_cli_args_get (opts, "purpose");
  g_auto(GStrv) templates = split_list (tc_cli_args_get (opts, "template"));
  g_auto(GStrv) fallbacks = split_list (tc_cli_args_get (opts, "fallback-template"));
  g_auto(GStrv) segments = split_list (tc_cli_args_get (opts, "segment"));
  g_auto(GStrv) exclude = split_list (tc_cli_args_get (opts, "exclude"));
  g_auto(GStrv) split = split_list (tc_cli_args_get (opts, "split"));
  g_autoptr(TcCampaign) campaign = tc_campaign_new ();
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcCampaignChannel channel;
  TcPurpose purpose;
  guint n_templates = g_strv_length (templates);
  double shares[TC_CAMPAIGN_MAX_VARIANTS] = { 0, };
  double holdout = 0;

  if (name == NULL)
    return tc_cli_usage_error (usage_text, "'campaign create' needs --name");
  if (channel_text == NULL || !tc_campaign_channel_from_string (channel_text, &channel))
    return tc_cli_usage_error (usage_text, "'--channel' must be sms, whatsapp or whatsapp+sms%s%s%s",
                               channel_text != NULL ? ", not '" : "",
                               channel_text != NULL ? channel_text : "",
                               channel_text != NULL ? "'" : "");
  if (purpose_text == NULL || !tc_purpose_from_string (purpose_text, &purpose))
    return tc_cli_usage_error (usage_text, "'--purpose' must be promotional or transactional");
  if (n_templates == 0)
    return tc_cli_usage_error (usage_text, "'campaign create' needs --template NAME");
  if (n_templates > TC_CAMPAIGN_MAX_VARIANTS)
    return tc_cli_usage_error (usage_text, "at most %d templates (A/B variants), not %u",
                               TC_CAMPAIGN_MAX_VARIANTS, n_templates);
  if (g_strv_length (fallbacks) != 0 && g_strv_length (fallbacks) != n_templates)
    return tc_cli_usage_error (usage_text, "give one --fallback-template per template (%u), not %u",
                               n_templates, g_strv_length (fallbacks));
  if (tc_cli_args_has (opts, "all") == (segments[0] != NULL))
    return tc_cli_usage_error (usage_text, "'campaign create' needs either --segment NAME or --all");
  if (tc_cli_args_has (opts, "at") && tc_cli_args_has (opts, "local-time"))
    return tc_cli_usage_error (usage_text, "give either --at or --local-time, not both");
  if (tc_cli_args_has (opts, "on") && !tc_cli_args_has (opts, "local-time"))
    return tc_cli_usage_error (usage_text, "'--on' goes with --local-time");

  if (split[0] != NULL)
    {
      if (g_strv_length (split) != n_templates)
        return tc_cli_usage_error (usage_text, "'--split' needs one share per template (%u), not %u",
                                   n_templates, g_strv_length (split));
      for (guint i = 0; i < n_templates; i++)
        if (!parse_number (split[i], 100, &shares[i]) || shares[i] <= 0)
          return tc_cli_usage_error (usage_text, "'--split': “%s” is not a share above 0 and up to 100",
                                     split[i]);
    }
  else
    for (guint i = 0; i < n_templates; i++)
      shares[i] = 100.0 / n_templates;

  if (tc_cli_args_has (opts, "holdout") &&
      (!parse_number (tc_cli_args_get (opts, "holdout"), 99, &holdout)))
    return tc_cli_usage_error (usage_text, "'--holdout' must be a share from 0 to 99, not '%s'",
                               tc_cli_args_get (opts, "holdout"));

  tc_campaign_set_name (campaign, name);
  tc_campaign_set_channel (campaign, channel);
  tc_campaign_set_purpose (campaign, purpose);
  tc_campaign_set_audience (campaign, tc_cli_args_has (opts, "all"), (const char * const *) segments,
                            (const char * const *) exclude);
  for (guint i = 0; i < n_templates; i++)
    tc_campaign_add_variant (campaign, templates[i], fallbacks[0] != NULL ? fallbacks[i] : NULL,
                             n_templates == 1 ? 100.0 : shares[i]);
  tc_campaign_set_holdout_percent (campaign, holdout);

  if (tc_cli_args_has (opts, "test"))
    {
      TcCampaignMetric metric;
      double test = 0, after = 0;

      if (!parse_number (tc_cli_args_get (opts, "test"), 99, &test) || test <= 0)
        return tc_cli_usage_error (usage_text, "'--test' must be a share above 0 and below 100, not '%s'",
                                   tc_cli_args_get (opts, "test"));
      if (!tc_campaign_metric_from_string (tc_cli_args_get (opts, "winner-metric"), &metric))
        return tc_cli_usage_error (usage_text, "'--test' needs --winner-metric delivery_rate, clicks, "
                                   "replies, conversions or revenue");
      if (!parse_number (tc_cli_args_get (opts, "winner-after"), 720, &after) || after < 1)
        return tc_cli_usage_error (usage_text, "'--test' needs --winner-after HOURS (1 to 720)");
      tc_campaign_set_test (campaign, test, metric, (guint) after);
    }
  else if (tc_cli_args_has (opts, "winner-metric") || tc_cli_args_has (opts, "winner-after"))
    return tc_cli_usage_error (usage_text, "'--winner-metric' and '--winner-after' go with --test P");

  if (tc_cli_args_has (opts, "at"))
    {
      gint64 at;

      if (!parse_time (tc_cli_args_get (opts, "at"), &at))
        return tc_cli_usage_error (usage_text, "'--at': “%s” is not an ISO 8601 time "
                                   "(2026-03-01T09:30:00Z)", tc_cli_args_get (opts, "at"));
      tc_campaign_set_schedule_at (campaign, at);
    }
  else if (tc_cli_args_has (opts, "local-time"))
    {
      gint64 on = 0;
      int hour, minute;

      if (!tc_campaign_parse_local_time (tc_cli_args_get (opts, "local-time"), &hour, &minute))
        return tc_cli_usage_error (usage_text, "'--local-time': “%s” is not a time of day (HH:MM)",
                                   tc_cli_args_get (opts, "local-time"));
      if (tc_cli_args_has (opts, "on") && !parse_time (tc_cli_args_get (opts, "on"), &on))
        return tc_cli_usage_error (usage_text, "'--on': “%s” is not a date (2026-03-01)",
                                   tc_cli_args_get (opts, "on"));
      tc_campaign_set_schedule_local_time (campaign, tc_cli_args_get (opts, "local-time"), on);
    }

  tc_campaign_set_sender (campaign, TC_CHANNEL_SMS, tc_cli_args_get (opts, "sms-sender"));
  tc_campaign_set_sender (campaign, TC_CHANNEL_WHATSAPP, tc_cli_args_get (opts, "whatsapp-sender"));
  {
    double throttle = 0, cap = 0;

    if (tc_cli_args_has (opts, "throttle") &&
        !parse_number (tc_cli_args_get (opts, "throttle"), 1e7, &throttle))
      return tc_cli_usage_error (usage_text, "'--throttle' must be messages per minute, not '%s'",
                                 tc_cli_args_get (opts, "throttle"));
    if (tc_cli_args_has (opts, "daily-cap") &&
        !parse_number (tc_cli_args_get (opts, "daily-cap"), 1e9, &cap))
      return tc_cli_usage_error (usage_text, "'--daily-cap' must be a number of messages, not '%s'",
                                 tc_cli_args_get (opts, "daily-cap"));
    tc_campaign_set_pacing (campaign, (guint) throttle, (guint) cap);
  }

  if (!tc_campaign_validate (campaign, &error))
    return tc_cli_fail_with_error (NULL, error);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_campaign_store_save_async (tc_context_get_repository (context), campaign, NULL,
                                tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_store_save_finish (tc_context_get_repository (context), result, &error))
    return tc_cli_fail_with_error (NULL, error);

  if (opts->json)
    g_print ("{\"id\":%" G_GINT64_FORMAT "}\n", tc_campaign_get_id (campaign));
  else
    g_print ("Campaign %" G_GINT64_FORMAT " saved as a draft\n", tc_campaign_get_id (campaign));

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * list, show
 */

static int
list_main (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) campaigns = NULL;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_campaign_store_list_async (tc_context_get_repository (context), NULL,
                                tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  campaigns = tc_campaign_store_list_finish (tc_context_get_repository (context), result, &error);
  if (campaigns == NULL)
    return tc_cli_fail_with_error (NULL, error);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < campaigns->len; i++)
        tc_campaign_build_json (g_ptr_array_index (campaigns, i), builder);
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    for (guint i = 0; i < campaigns->len; i++)
      print_campaign (g_ptr_array_index (campaigns, i), FALSE);

  return EXIT_SUCCESS;
}

static int
show_main (TcCliArgs *opts,
           gint64     id)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  campaign = load_campaign (tc_context_get_repository (context), id, &error);
  if (campaign == NULL)
    return tc_cli_fail_with_error (NULL, error);
  print_campaign (campaign, opts->json);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * report
 */

static void
print_figures_line (JsonObject *figures,
                    const char *title)
{
  g_print ("%s: %" G_GINT64_FORMAT " in the audience, %" G_GINT64_FORMAT " sent, %" G_GINT64_FORMAT
           " delivered, %" G_GINT64_FORMAT " failed, %" G_GINT64_FORMAT " read, %" G_GINT64_FORMAT
           " replies, %" G_GINT64_FORMAT " opt-outs, %" G_GINT64_FORMAT " clicks, %" G_GINT64_FORMAT
           " conversions, revenue %.2f, cost %.4f\n",
           title, json_object_get_int_member (figures, "audience"),
           json_object_get_int_member (figures, "sent"), json_object_get_int_member (figures, "delivered"),
           json_object_get_int_member (figures, "failed"), json_object_get_int_member (figures, "read"),
           json_object_get_int_member (figures, "replies"), json_object_get_int_member (figures, "opt_outs"),
           json_object_get_int_member (figures, "clicks"), json_object_get_int_member (figures, "conversions"),
           json_object_get_double_member (figures, "revenue"), json_object_get_double_member (figures, "cost"));
}

static int
report_main (TcCliArgs *opts,
             gint64     id)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCampaignReport) report = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *by = tc_cli_args_get (opts, "by");
  const char *cohort = tc_cli_args_get (opts, "cohort");
  TcCampaignGroup group = TC_CAMPAIGN_GROUP_VARIANT;
  JsonObject *object;
  JsonArray *variants;

  if (by != NULL && cohort != NULL)
    return tc_cli_usage_error (usage_text, "give either --by country or --cohort ATTRIBUTE");
  if (by != NULL && strcmp (by, "country") != 0)
    return tc_cli_usage_error (usage_text, "'--by' takes country, not '%s' (for an attribute, "
                               "use --cohort NAME)", by);
  if (by != NULL)
    group = TC_CAMPAIGN_GROUP_COUNTRY;
  else if (cohort != NULL)
    group = TC_CAMPAIGN_GROUP_ATTRIBUTE;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_campaign_report_async (tc_context_get_repository (context), id, group, cohort, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_campaign_report_finish (tc_context_get_repository (context), result, &error);
  if (report == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_campaign_report_build_json (report, builder);
  root = json_builder_get_root (builder);
  if (opts->json)
    {
      tc_cli_print_json (root);
      return EXIT_SUCCESS;
    }

  object = json_node_get_object (root);
  print_figures_line (object, "Campaign");
  variants = json_object_get_array_member (object, "variants");
  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);
      g_autofree char *title = g_strdup_printf ("  variant %s",
                                                json_object_get_string_member (variant, "label"));

      print_figures_line (variant, title);
    }
  if (!json_object_get_null_member (object, "lift"))
    g_print ("  lift against the holdout: %+.1f %%\n", 100 * json_object_get_double_member (object, "lift"));
  if (!json_object_get_boolean_member (object, "clicks_tracked"))
    g_print ("  clicks are not tracked: set a short-link domain in Preferences\n");

  return EXIT_SUCCESS;
}

static int
test_main (TcCliArgs *opts,
           gint64     id)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
  g_auto(GStrv) pieces = split_list (tc_cli_args_get (opts, "to"));
  g_auto(GStrv) phones = NULL;
  TcRepository *repository;

  if (pieces[0] == NULL)
    return tc_cli_usage_error (usage_text, "'campaign test' needs --to NUMBER");
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_autofree char *e164 = tc_phone_normalize (pieces[i], "US", &error);

      if (e164 == NULL)
        return tc_cli_fail ("“%s” is not a phone number Textcast can text: %s", pieces[i], error->message);
      g_strv_builder_add (numbers, e164);
    }
  phones = g_strv_builder_end (numbers);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  tc_campaign_test_send_async (repository, id, (const char * const *) phones, 0, NULL,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  rows = tc_campaign_test_send_finish (repository, result, &error);
  if (rows == NULL)
    return tc_cli_fail_with_error (NULL, error);

  if (tc_cli_args_has (opts, "wait"))
    {
      gboolean interrupted = FALSE;
      double port = -1;
      int status;

      if (tc_cli_args_has (opts, "port") && !parse_number (tc_cli_args_get (opts, "port"), 65535, &port))
        return tc_cli_usage_error (usage_text, "'--port' must be 0 to 65535");
      status = tc_cli_run_engine_until_idle (repository, (gint) port, &interrupted);
      if (status != EXIT_SUCCESS)
        return status;
      if (interrupted)
        return TC_CLI_EXIT_INTERRUPTED;

      /* The rows as they are now. */
      for (guint i = 0; i < rows->len; i++)
        {
          TcOutboxEntry *entry = g_ptr_array_index (rows, i);
          g_autoptr(GAsyncResult) got = NULL;
          TcOutboxEntry *now;

          tc_outbox_get_async (repository, entry->id, NULL, tc_repository_store_result_cb, &got);
          tc_repository_wait (&got);
          now = tc_outbox_get_finish (repository, got, &error);
          if (now == NULL)
            return tc_cli_fail_with_error (NULL, error);
          g_ptr_array_index (rows, i) = now;
          tc_outbox_entry_free (entry);
        }
    }

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        tc_outbox_entry_to_json_builder (g_ptr_array_index (rows, i), builder);
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    for (guint i = 0; i < rows->len; i++)
      {
        TcOutboxEntry *entry = g_ptr_array_index (rows, i);

        g_print ("%s to %s: %s%s%s\n", entry->origin, entry->phone, tc_outbox_state_to_string (entry->state),
                 entry->reason[0] != '\0' ? " — " : "", entry->reason);
      }

  return EXIT_SUCCESS;
}

static int
preflight_main (TcCliArgs *opts,
                gint64     id)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCampaignPreflight) preflight = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_campaign_preflight_async (tc_context_get_repository (context), id, 0, NULL,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  preflight = tc_campaign_preflight_finish (tc_context_get_repository (context), result, &error);
  if (preflight == NULL)
    return tc_cli_fail_with_error (NULL, error);

  tc_campaign_preflight_build_json (preflight, builder);
  root = json_builder_get_root (builder);
  if (opts->json)
    {
      tc_cli_print_json (root);
      return EXIT_SUCCESS;
    }

  g_print ("%s%" G_GUINT64_FORMAT " in the audience (%" G_GUINT64_FORMAT " held out): %" G_GUINT64_FORMAT
           " would be sent, cost %.2f %s\n",
           preflight->estimated ? "About " : "", preflight->audience, preflight->holdout, preflight->send,
           preflight->cost, "USD");
  {
    JsonObject *object = json_node_get_object (root);
    const char *tables[] = { "skipped", "deferred" };

    for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
      {
        JsonObject *counts = json_object_get_object_member (object, tables[t]);
        g_autoptr(GList) members = json_object_get_members (counts);

        for (GList *l = members; l != NULL; l = l->next)
          g_print ("  %s (%s): %" G_GINT64_FORMAT "\n", tables[t], (const char *) l->data,
                   json_object_get_int_member (counts, l->data));
      }
  }
  for (guint i = 0; i < preflight->warnings->len; i++)
    g_print ("  ⚠ %s\n", ((TcPreflightWarning *) g_ptr_array_index (preflight->warnings, i))->message);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * send, pause, resume, cancel, delete
 */

/* Queues every recipient still to queue, a batch per transaction. */
static int
queue_all (TcRepository *repository,
           gint64        id,
           guint        *n_total)
{
  guint n_left = 1;

  *n_total = 0;
  while (n_left > 0)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      guint n_queued = 0;

      tc_campaign_queue_async (repository, id, QUEUE_BATCH, 0, NULL, tc_repository_store_result_cb,
                               &result);
      tc_repository_wait (&result);
      if (!tc_campaign_queue_finish (repository, result, &n_queued, &n_left, &error))
        return tc_cli_fail_with_error (NULL, error);
      *n_total += n_queued;
      if (n_queued > 0)
        g_printerr ("queued %u, %u left\n", *n_total, n_left);
    }

  return EXIT_SUCCESS;
}

/* With a test portion whose time has come: the winner, then its messages
 * to the rest. *@winner: NULL when it is not time (or no test). */
static int
pick_winner (TcRepository *repository,
             gint64        id,
             char        **winner,
             gint64       *due_at,
             gboolean      quiet)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_queued = 0;

  tc_campaign_pick_winner_async (repository, id, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_pick_winner_finish (repository, result, winner, due_at, &error))
    {
      if (quiet && g_error_matches (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE))
        return EXIT_SUCCESS;
      return tc_cli_fail_with_error (NULL, error);
    }
  if (*winner == NULL)
    return EXIT_SUCCESS;

  return queue_all (repository, id, &n_queued);
}

static int
winner_main (TcCliArgs *opts,
             gint64     id)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *winner = NULL;
  gint64 due_at = 0;
  int status;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  status = pick_winner (tc_context_get_repository (context), id, &winner, &due_at, FALSE);
  if (status != EXIT_SUCCESS)
    return status;

  if (opts->json)
    {
      g_autofree char *due = due_at > 0 ? tc_format_iso8601_utc (due_at) : NULL;

      if (winner != NULL)
        g_print ("{\"winner\":\"%s\"}\n", winner);
      else
        g_print ("{\"winner\":null,\"due_at\":%s%s%s}\n", due != NULL ? "\"" : "",
                 due != NULL ? due : "null", due != NULL ? "\"" : "");
    }
  else if (winner != NULL)
    g_print ("Variant %s wins; the rest of the audience gets it\n", winner);
  else
    {
      g_autofree char *due = tc_format_iso8601_utc (due_at);

      g_print ("Not yet: the winner is chosen once the test messages are out and from %s\n", due);
    }

  return EXIT_SUCCESS;
}

static int
send_main (TcCliArgs *opts,
           gint64     id)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcCampaign) campaign = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcRepository *repository;
  guint audience = 0, n_queued = 0;
  gint port = -1;
  int status;

  if (tc_cli_args_has (opts, "port"))
    {
      double value;

      if (!parse_number (tc_cli_args_get (opts, "port"), 65535, &value))
        return tc_cli_usage_error (usage_text, "'--port' must be 0 to 65535");
      port = (gint) value;
    }

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  tc_campaign_start_async (repository, id, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_start_finish (repository, result, &audience, &error))
    return tc_cli_fail_with_error (NULL, error);
  g_clear_object (&result);

  status = queue_all (repository, id, &n_queued);
  if (status != EXIT_SUCCESS)
    return status;

  /* A test portion whose time has come: the rest gets the winner. */
  {
    g_autofree char *winner = NULL;
    gint64 due_at = 0;

    status = pick_winner (repository, id, &winner, &due_at, TRUE);
    if (status != EXIT_SUCCESS)
      return status;
  }

  if (tc_cli_args_has (opts, "wait"))
    {
      gboolean interrupted = FALSE;

      status = tc_cli_run_engine_until_idle (repository, port, &interrupted);
      if (status != EXIT_SUCCESS)
        return status;
      if (interrupted)
        return TC_CLI_EXIT_INTERRUPTED;

      tc_campaign_check_finished_async (repository, id, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_campaign_check_finished_finish (repository, result, NULL, &error))
        return tc_cli_fail_with_error (NULL, error);
      g_clear_object (&result);
    }

  campaign = load_campaign (repository, id, &error);
  if (campaign == NULL)
    return tc_cli_fail_with_error (NULL, error);
  print_campaign (campaign, opts->json);

  return EXIT_SUCCESS;
}

static int
act_main (TcCliArgs        *opts,
          gint64            id,
          const char       *command)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcRepository *repository;
  guint n_queued = 0;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  if (strcmp (command, "delete") == 0)
    {
      tc_campaign_store_delete_async (repository, id, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_campaign_store_delete_finish (repository, result, &error))
        return tc_cli_fail_with_error (NULL, error);
      return EXIT_SUCCESS;
    }

  tc_campaign_act_async (repository, id,
                         strcmp (command, "pause") == 0 ? TC_CAMPAIGN_PAUSE
                         : strcmp (command, "resume") == 0 ? TC_CAMPAIGN_RESUME
                         : TC_CAMPAIGN_CANCEL,
                         NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_act_finish (repository, result, &error))
    return tc_cli_fail_with_error (NULL, error);

  /* Resumed: queue whoever a pause kept from being queued. */
  if (strcmp (command, "resume") == 0)
    return queue_all (repository, id, &n_queued);

  return EXIT_SUCCESS;
}

static int
run (TcCliArgs  *args,
     int         argc,
     char      **argv);

int
tc_cli_campaign_main (int    argc,
                      char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  int status = run (&opts, argc, argv);

  tc_cli_args_clear (&opts);
  return status;
}

static int
run (TcCliArgs  *args,
     int         argc,
     char      **argv)
{
  const char *command;
  const char *word;
  gint64 id = 0;
  int status;

  status = tc_cli_args_start (args, option_specs, usage_text, argc, argv);
  if (status >= 0)
    return status;

  command = tc_cli_args_word (args, 1);
  if (command == NULL)
    return tc_cli_usage_error (usage_text, "'campaign' needs a command");

  if (strcmp (command, "create") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign create",
                                        create_options)) != 0)
        return status;
      return create_main (args);
    }
  if (strcmp (command, "list") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign list",
                                        list_options)) != 0)
        return status;
      return list_main (args);
    }

  word = tc_cli_args_word (args, 2);
  if (strcmp (command, "show") != 0 && strcmp (command, "send") != 0 &&
      strcmp (command, "report") != 0 && strcmp (command, "preflight") != 0 &&
      strcmp (command, "test") != 0 && strcmp (command, "winner") != 0 &&
      strcmp (command, "pause") != 0 && strcmp (command, "resume") != 0 &&
      strcmp (command, "cancel") != 0 && strcmp (command, "delete") != 0)
    return tc_cli_usage_error (usage_text, "unknown campaign command '%s'", command);
  if (!parse_id (word, &id))
    return tc_cli_usage_error (usage_text, "'campaign %s' needs the campaign's id (a number)%s%s%s",
                               command, word != NULL ? ", not '" : "", word != NULL ? word : "",
                               word != NULL ? "'" : "");

  if (strcmp (command, "show") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign show",
                                        list_options)) != 0)
        return status;
      return show_main (args, id);
    }
  if (strcmp (command, "winner") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign winner",
                                        list_options)) != 0)
        return status;
      return winner_main (args, id);
    }
  if (strcmp (command, "test") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign test",
                                        test_options)) != 0)
        return status;
      return test_main (args, id);
    }
  if (strcmp (command, "preflight") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign preflight",
                                        preflight_options)) != 0)
        return status;
      return preflight_main (args, id);
    }
  if (strcmp (command, "report") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign report",
                                        report_options)) != 0)
        return status;
      return report_main (args, id);
    }
  if (strcmp (command, "send") == 0)
    {
      if ((status = tc_cli_args_refuse (args, option_specs, usage_text, "campaign send",
                                        send_options)) != 0)
        return status;
      return send_main (args, id);
    }

  if ((status = tc_cli_args_refuse (args, option_specs, usage_text, command, act_options)) != 0)
    return status;
  return act_main (args, id, command);
}
