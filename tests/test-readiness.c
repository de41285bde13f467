/* test-readiness.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readiness check (tc-readiness.h): the answers (accepted forms, the
 * stored form, saving), and the inspection of a real workspace — each
 * finding appears while its gap is open and goes once it is closed, the
 * score rises as gaps close, the answers decide which checks are relevant,
 * and recorded network checks count only with the settings they were made
 * with.
 */

#define G_LOG_DOMAIN "test-readiness"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-consent-ledger.h"
#include "tc-events.h"
#include "tc-readiness.h"
#include "tc-repository.h"
#include "tc-senders.h"
#include "tc-settings.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-test-util.h"

/* 2027-06-01 00:00 UTC: the shipped prices (2026-11-01) are older than 90 days then. */
#define NOW 1811808000

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-readiness-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

/* Helpers ---------------------------------------------------------------- */

static void
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_settings_set_async (f->repo, key, value, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_settings_set_finish (f->repo, res, &error));
  g_assert_no_error (error);
}

static void
answer (Fixture    *f,
        const char *key,
        const char *value)
{
  g_autoptr(TcReadinessAnswers) answers = tc_readiness_answers_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcReadinessAnswer which;

  g_assert_true (tc_readiness_answer_from_string (key, &which));
  answers->values[which] = g_strdup (value);
  tc_readiness_save_answers_async (f->repo, answers, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_readiness_save_answers_finish (f->repo, res, &error));
  g_assert_no_error (error);
}

static void
add_sender (Fixture     *f,
            const char  *id,
            TcSenderUse  use,
            guint        daily_cap)
{
  g_autoptr(TcSender) sender = tc_sender_new (id, TC_SENDER_TYPE_LONG_CODE, use);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  sender->daily_cap = daily_cap;
  tc_senders_save_async (f->repo, sender, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_senders_save_finish (f->repo, res, &error));
  g_assert_no_error (error);
}

static void
add_consent (Fixture         *f,
             const char      *phone,
             TcPurpose        purpose,
             TcConsentSource  source,
             const char      *wording)
{
  TcConsentRequest request = { 0, };
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  request.phone = phone;
  request.channel = TC_CHANNEL_SMS;
  request.purpose = purpose;
  request.kind = TC_CONSENT_EVENT_OPTED_IN;
  request.source = source;
  request.wording = wording;
  request.create_contact = TRUE;
  request.confirmed = TRUE;
  tc_consent_ledger_record_async (f->repo, &request, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  outcome = tc_consent_ledger_record_finish (f->repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

static void
add_wa_template (Fixture    *f,
                 const char *name,
                 const char *status)
{
  g_autoptr(TcTemplate) template = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, name);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GAsyncResult) res2 = NULL;
  g_autoptr(GError) error = NULL;

  tc_template_set_definition (template, "{\"name\":\"x\"}");
  tc_template_set_language (template, "en_US");
  tc_repository_save_template_async (f->repo, template, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_save_template_finish (f->repo, res, NULL, &error));
  g_assert_no_error (error);

  tc_repository_set_template_status_async (f->repo, tc_template_get_id (template), status, "",
                                           NULL, tc_repository_store_result_cb, &res2);
  tc_repository_wait (&res2);
  g_assert_true (tc_repository_set_template_status_finish (f->repo, res2, &error));
  g_assert_no_error (error);
}

static void
record_test (Fixture    *f,
             const char *what,
             gboolean    ok,
             const char *message)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_readiness_record_test_async (f->repo, what, ok, message, NOW, NULL,
                                  tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_readiness_record_test_finish (f->repo, res, &error));
  g_assert_no_error (error);
}

static void
record_event (Fixture    *f,
              const char *name)
{
  g_autoptr(TcEvent) event = tc_event_new (name, "+14155552675");
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_events_record_async (f->repo, event, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  outcome = tc_events_record_finish (f->repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

static TcReadinessReport *
inspect (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcReadinessReport *report;

  tc_readiness_inspect_async (f->repo, NOW, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  report = tc_readiness_inspect_finish (f->repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  /* Whatever else holds, every check says something in words and names a
   * place, and the score agrees with the weights. */
  {
    guint total = 0, passed = 0, failed = 0;

    for (guint i = 0; i < report->checks->len; i++)
      {
        const TcReadinessCheck *check = g_ptr_array_index (report->checks, i);

        g_assert_nonnull (check->title);
        g_assert_cmpstr (check->title, !=, "");
        g_assert_nonnull (check->explanation);
        g_assert_cmpstr (check->explanation, !=, "");
        g_assert_nonnull (check->place);
        g_assert_true (strchr (check->place, ' ') == NULL);
        total += tc_readiness_severity_weight (check->severity);
        if (check->passed)
          passed += tc_readiness_severity_weight (check->severity);
        else
          failed++;
        /* Failed first. */
        if (i > 0)
          g_assert_true (check->passed ||
                         !((const TcReadinessCheck *) g_ptr_array_index (report->checks, i - 1))->passed);
      }
    g_assert_cmpuint (failed, ==, report->n_failed);
    g_assert_cmpuint (report->score, ==, total > 0 ? passed * 100 / total : 100);
  }

  return report;
}

/* -1: not relevant (absent); 0: failed; 1: passed. */
static int
state_of (Fixture    *f,
          const char *id,
          guint      *score_out)
{
  g_autoptr(TcReadinessReport) report = inspect (f);
  const TcReadinessCheck *check = tc_readiness_report_find (report, id);

  if (score_out != NULL)
    *score_out = report->score;

  return check == NULL ? -1 : check->passed ? 1 : 0;
}

/* Answers ---------------------------------------------------------------- */

static void
test_answer_normalize (void)
{
  static const struct
  {
    const char *key;
    const char *value;
    const char *expected;   /* NULL: refused */
  } cases[] = {
    { "purposes", "both", "both" },
    { "purposes", " Promotional ", "promotional" },
    { "purposes", "marketing", NULL },
    { "channels", "whatsapp, SMS, sms", "sms,whatsapp" },
    { "channels", "sms,fax", NULL },
    { "channels", "", "" },
    { "use_cases", "deals,order_updates", "order_updates,deals" },
    { "use_cases", "deals,,", "deals" },
    { "optin_sources", "keyword,import", "keyword,import" },
    { "optin_sources", "bought_list", NULL },
    { "goals", "revenue,clicks", "clicks,revenue" },
    { "budget", "250", "250.00" },
    { "budget", "99.5", "99.50" },
    { "budget", "-1", NULL },
    { "budget", "lots", NULL },
    { "budget", "1e400", NULL },
    { "volume", "5000", "5000" },
    { "volume", "10.5", NULL },
    { "volume", "  ", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;
      TcReadinessAnswer which;

      g_test_message ("%s = “%s”", cases[i].key, cases[i].value);
      g_assert_true (tc_readiness_answer_from_string (cases[i].key, &which));
      g_assert_cmpstr (tc_readiness_answer_to_string (which), ==, cases[i].key);
      value = tc_readiness_answer_normalize (which, cases[i].value, &error);
      g_assert_cmpstr (value, ==, cases[i].expected);
      if (cases[i].expected == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          /* The error names what is accepted. */
          if (tc_readiness_answer_choices (which) != NULL)
            g_assert_nonnull (strstr (error->message, tc_readiness_answer_choices (which)[0]));
        }
      else
        g_assert_no_error (error);
    }

  {
    TcReadinessAnswer which;

    g_assert_false (tc_readiness_answer_from_string ("colour", &which));
    g_assert_false (tc_readiness_answer_from_string (NULL, &which));
  }

  g_assert_true (tc_readiness_use_case_is_promotional ("cart_abandonment"));
  g_assert_true (tc_readiness_use_case_is_promotional ("deals"));
  g_assert_false (tc_readiness_use_case_is_promotional ("order_updates"));
  g_assert_false (tc_readiness_use_case_is_promotional ("passcodes"));
}

static void
test_answers_saved (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcReadinessAnswers) answers = tc_readiness_answers_new ();
  g_autoptr(TcReadinessReport) report = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  answer (f, "purposes", "Both");
  answer (f, "channels", "whatsapp,sms");

  /* One bad value: nothing of the batch is saved. */
  answers->values[TC_READINESS_ANSWER_GOALS] = g_strdup ("clicks");
  answers->values[TC_READINESS_ANSWER_VOLUME] = g_strdup ("many");
  tc_readiness_save_answers_async (f->repo, answers, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_readiness_save_answers_finish (f->repo, res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  report = inspect (f);
  g_assert_cmpstr (report->answers->values[TC_READINESS_ANSWER_PURPOSES], ==, "both");
  g_assert_cmpstr (report->answers->values[TC_READINESS_ANSWER_CHANNELS], ==, "sms,whatsapp");
  g_assert_null (report->answers->values[TC_READINESS_ANSWER_GOALS]);
  g_assert_null (report->answers->values[TC_READINESS_ANSWER_VOLUME]);
  g_assert_true (tc_readiness_answers_has (report->answers, TC_READINESS_ANSWER_CHANNELS,
                                           "whatsapp"));
  g_assert_false (tc_readiness_answers_has (report->answers, TC_READINESS_ANSWER_CHANNELS,
                                            "what"));
  g_clear_pointer (&report, tc_readiness_report_free);

  /* An empty answer clears it. */
  answer (f, "channels", "");
  report = inspect (f);
  g_assert_null (report->answers->values[TC_READINESS_ANSWER_CHANNELS]);
}

/* Findings appear and go ------------------------------------------------- */

typedef struct
{
  const char *id;
  /* Answers given first: "key=value;key=value". */
  const char *answers;
  /* Puts the workspace in the state the check fails in (may be NULL). */
  void      (*open_gap) (Fixture *f);
  /* Closes the gap. */
  void      (*close_gap) (Fixture *f);
  const char *place;
} GapCase;

static void
gap_none (Fixture *f)
{
}

static void
gap_answer_all (Fixture *f)
{
  answer (f, "use_cases", "order_updates,deals");
  answer (f, "purposes", "both");
  answer (f, "channels", "sms");
  answer (f, "budget", "5");
  answer (f, "volume", "1000");
  answer (f, "optin_sources", "web_form,import");
  answer (f, "goals", "clicks");
}

static void
gap_purposes_mismatch (Fixture *f)
{
  answer (f, "purposes", "transactional");
}

static void
fix_purposes_mismatch (Fixture *f)
{
  answer (f, "purposes", "both");
}

static void
fix_sender_both (Fixture *f)
{
  add_sender (f, "+14155550100", TC_SENDER_USE_BOTH, 0);
}

static void
gap_one_sender (Fixture *f)
{
  add_sender (f, "+14155550100", TC_SENDER_USE_BOTH, 0);
}

static void
fix_separate_senders (Fixture *f)
{
  add_sender (f, "+14155550101", TC_SENDER_USE_TRANSACTIONAL, 0);
  add_sender (f, "+14155550102", TC_SENDER_USE_PROMOTIONAL, 0);
}

static void
gap_transactional_sender (Fixture *f)
{
  add_sender (f, "+14155550101", TC_SENDER_USE_TRANSACTIONAL, 0);
}

static void
fix_promotional_sender (Fixture *f)
{
  add_sender (f, "+14155550102", TC_SENDER_USE_PROMOTIONAL, 0);
}

static void
gap_small_cap (Fixture *f)
{
  add_sender (f, "+14155550100", TC_SENDER_USE_BOTH, 100);
}

static void
fix_bigger_cap (Fixture *f)
{
  add_sender (f, "+14155550100", TC_SENDER_USE_BOTH, 2000);
}

static void
fix_any_consent (Fixture *f)
{
  add_consent (f, "+14155552671", TC_PURPOSE_TRANSACTIONAL, TC_CONSENT_SOURCE_CHECKOUT,
               "Text me about my order");
}

static void
gap_transactional_consent (Fixture *f)
{
  fix_any_consent (f);
}

static void
fix_promotional_consent (Fixture *f)
{
  add_consent (f, "+14155552672", TC_PURPOSE_PROMOTIONAL, TC_CONSENT_SOURCE_WEB_FORM,
               "Yes, text me deals");
}

static void
gap_imported_without_wording (Fixture *f)
{
  add_consent (f, "+14155552673", TC_PURPOSE_PROMOTIONAL, TC_CONSENT_SOURCE_IMPORT, NULL);
}

static void
fix_wording_recorded (Fixture *f)
{
  /* The same person's opt-in again, this time with the words. */
  add_consent (f, "+14155552673", TC_PURPOSE_PROMOTIONAL, TC_CONSENT_SOURCE_WEB_FORM,
               "Yes, text me deals");
}

static void
gap_keyword_source (Fixture *f)
{
  add_consent (f, "+14155552674", TC_PURPOSE_PROMOTIONAL, TC_CONSENT_SOURCE_KEYWORD, NULL);
}

static void
fix_keyword_source (Fixture *f)
{
  answer (f, "optin_sources", "web_form,keyword");
}

static void
fix_double_optin (Fixture *f)
{
  set_setting (f, TC_SETTING_DOUBLE_OPTIN_PREFIX "sms", "true");
}

static void
fix_brand (Fixture *f)
{
  set_setting (f, TC_SETTING_BRAND_NAME, "Acme Shoes");
}

static void
fix_support (Fixture *f)
{
  set_setting (f, TC_SETTING_HELP_SUPPORT, "help@acme.example");
}

static void
gap_optout_off (Fixture *f)
{
  set_setting (f, TC_SETTING_OPTOUT_EVERY_MESSAGE, "false");
}

static void
fix_optout_on (Fixture *f)
{
  set_setting (f, TC_SETTING_OPTOUT_EVERY_MESSAGE, "true");
}

static void
gap_night_rules (Fixture *f)
{
  set_setting (f, TC_SETTING_QUIET_HOURS_RULES,
               "[{\"country\":\"*\",\"windows\":{\"daily\":\"07:00-22:00\"}}]");
}

static void
gap_dropped_florida (Fixture *f)
{
  /* 08:00–21:00 everywhere looks fine, but Florida's law says 20:00. */
  set_setting (f, TC_SETTING_QUIET_HOURS_RULES,
               "[{\"country\":\"*\",\"windows\":{\"daily\":\"08:00-21:00\"}}]");
}

static void
fix_default_rules (Fixture *f)
{
  set_setting (f, TC_SETTING_QUIET_HOURS_RULES, NULL);
}

static void
fix_own_prices (Fixture *f)
{
  set_setting (f, TC_SETTING_PRICES,
               "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.0079}]");
}

static void
fix_budget (Fixture *f)
{
  answer (f, "budget", "5000");
}

static void
gap_twilio (Fixture *f)
{
  set_setting (f, TC_SETTING_PROVIDER_SMS, "twilio");
}

static void
fix_twilio (Fixture *f)
{
  set_setting (f, TC_SETTING_TWILIO_ACCOUNT_SID, "AC0123456789abcdef0123456789abcdef");
  set_setting (f, TC_SETTING_TWILIO_FROM, "+14155550100");
}

static void
gap_twilio_configured (Fixture *f)
{
  gap_twilio (f);
  fix_twilio (f);
}

static void
fix_twilio_tested (Fixture *f)
{
  record_test (f, "twilio", TRUE, "Connected to Twilio account “Acme”.");
}

static void
fix_public_url (Fixture *f)
{
  set_setting (f, TC_SETTING_HTTP_PUBLIC_URL, "https://acme.example/tc");
}

static void
gap_public_url (Fixture *f)
{
  gap_twilio (f);
  fix_public_url (f);
}

static void
fix_webhooks_reached (Fixture *f)
{
  record_test (f, "webhooks", TRUE, "https://acme.example/tc/webhooks/ reaches Textcast.");
}

static void
gap_draft_template (Fixture *f)
{
  add_wa_template (f, "spring_sale", "draft");
  add_wa_template (f, "order_shipped", "REJECTED");
}

static void
fix_approved_template (Fixture *f)
{
  add_wa_template (f, "welcome", "APPROVED");
}

static void
fix_short_domain (Fixture *f)
{
  set_setting (f, TC_SETTING_SHORT_LINK_DOMAIN, "go.acme.example");
}

static void
gap_other_event (Fixture *f)
{
  record_event (f, "cart_abandoned");
}

static void
fix_order_event (Fixture *f)
{
  record_event (f, "order_placed");
}

static const GapCase gap_cases[] = {
  { "answers.complete", NULL, gap_none, gap_answer_all, "readiness:questions" },
  { "answers.purposes", "use_cases=deals,order_updates", gap_purposes_mismatch,
    fix_purposes_mismatch, "readiness:questions" },
  { "senders.registered", NULL, gap_none, fix_sender_both, "preferences:senders" },
  { "senders.separate", "purposes=both", gap_one_sender, fix_separate_senders,
    "preferences:senders" },
  { "senders.promotional", "purposes=promotional", gap_transactional_sender,
    fix_promotional_sender, "preferences:senders" },
  { "senders.volume", "volume=9000", gap_small_cap, fix_bigger_cap, "preferences:senders" },
  { "consent.recorded", NULL, gap_none, fix_any_consent, "contacts:import" },
  { "consent.promotional", "purposes=promotional", gap_transactional_consent,
    fix_promotional_consent, "contacts:import" },
  { "consent.wording", "purposes=promotional", gap_imported_without_wording,
    fix_wording_recorded, "contacts:import" },
  { "consent.sources", "optin_sources=web_form", gap_keyword_source, fix_keyword_source,
    "readiness:questions" },
  { "consent.double_optin", "purposes=promotional", gap_none, fix_double_optin,
    "preferences:compliance" },
  { "help.program", NULL, gap_none, fix_brand, "preferences:messages" },
  { "help.support", NULL, gap_none, fix_support, "preferences:compliance" },
  { "optout.every_message", "purposes=promotional", gap_optout_off, fix_optout_on,
    "preferences:messages" },
  { "quiet_hours.rules", "purposes=both", gap_night_rules, fix_default_rules,
    "preferences:compliance" },
  { "quiet_hours.rules", "purposes=both", gap_dropped_florida, fix_default_rules,
    "preferences:compliance" },
  { "prices.reviewed", NULL, gap_none, fix_own_prices, "preferences:prices" },
  { "prices.budget", "budget=10;volume=10000;channels=sms", gap_none, fix_budget,
    "preferences:prices" },
  { "provider.real", "channels=sms", gap_none, gap_twilio, "preferences:providers" },
  { "provider.configured", "channels=sms", gap_twilio, fix_twilio, "preferences:providers" },
  { "provider.tested", "channels=sms", gap_twilio_configured, fix_twilio_tested,
    "preferences:providers" },
  { "webhooks.public_url", "channels=sms", gap_twilio, fix_public_url, "preferences:messages" },
  { "webhooks.reachable", "channels=sms", gap_public_url, fix_webhooks_reached,
    "preferences:messages" },
  { "whatsapp.templates", "channels=whatsapp", gap_draft_template, fix_approved_template,
    "templates" },
  { "links.short_domain", "goals=clicks", gap_none, fix_short_domain, "preferences:messages" },
  { "results.orders", "goals=revenue", gap_other_event, fix_order_event, "contacts:import" },
};

static void
give_answers (Fixture    *f,
              const char *spec)
{
  g_auto(GStrv) pairs = NULL;

  if (spec == NULL)
    return;
  pairs = g_strsplit (spec, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);

      answer (f, kv[0], kv[1]);
    }
}

static void
test_gap (Fixture       *f,
          gconstpointer  data)
{
  const GapCase *gap = data;
  g_autoptr(TcReadinessReport) before = NULL;
  g_autoptr(TcReadinessReport) after = NULL;
  const TcReadinessCheck *check;

  give_answers (f, gap->answers);
  gap->open_gap (f);

  before = inspect (f);
  check = tc_readiness_report_find (before, gap->id);
  g_assert_nonnull (check);
  g_test_message ("%s: %s — %s", check->id, check->title, check->explanation);
  g_assert_false (check->passed);
  g_assert_cmpstr (check->place, ==, gap->place);

  gap->close_gap (f);

  after = inspect (f);
  check = tc_readiness_report_find (after, gap->id);
  g_assert_nonnull (check);
  g_test_message ("%s: %s — %s", check->id, check->title, check->explanation);
  g_assert_true (check->passed);
  /* With the same checks relevant, closing a gap raises the score and
   * leaves one finding fewer. (Answering a question may make new checks
   * relevant: then only the check itself is compared.) */
  if (before->checks->len == after->checks->len)
    {
      g_assert_cmpuint (after->score, >, before->score);
      g_assert_cmpuint (after->n_failed, ==, before->n_failed - 1);
    }
}

/* The answers decide what is relevant ------------------------------------ */

typedef struct
{
  const char *answers;
  const char *id;
  gboolean    relevant;
} RelevanceCase;

static const RelevanceCase relevance_cases[] = {
  /* Unanswered: everything counts. */
  { NULL, "consent.promotional", TRUE },
  { NULL, "consent.double_optin", TRUE },
  { NULL, "optout.every_message", TRUE },
  { NULL, "quiet_hours.rules", TRUE },
  { NULL, "senders.separate", TRUE },
  { NULL, "whatsapp.templates", FALSE },
  { NULL, "links.short_domain", FALSE },
  { NULL, "prices.budget", FALSE },
  { NULL, "answers.purposes", FALSE },
  /* No promotional use: no promotional findings. */
  { "purposes=transactional", "consent.promotional", FALSE },
  { "purposes=transactional", "consent.double_optin", FALSE },
  { "purposes=transactional", "optout.every_message", FALSE },
  { "purposes=transactional", "quiet_hours.rules", FALSE },
  { "purposes=transactional", "senders.separate", FALSE },
  { "purposes=transactional", "consent.wording", TRUE },
  { "purposes=transactional", "help.support", TRUE },
  { "purposes=promotional", "senders.separate", FALSE },
  { "purposes=promotional", "consent.promotional", TRUE },
  { "purposes=both", "senders.separate", TRUE },
  /* Channels. */
  { "channels=sms", "whatsapp.templates", FALSE },
  { "channels=whatsapp", "whatsapp.templates", TRUE },
  { "channels=whatsapp", "senders.registered", FALSE },
  { "channels=whatsapp", "consent.double_optin", FALSE },
  { "channels=sms,whatsapp", "senders.registered", TRUE },
  /* Goals. */
  { "goals=clicks", "links.short_domain", TRUE },
  { "goals=deliveries", "links.short_domain", FALSE },
  { "goals=revenue", "results.orders", TRUE },
  { "goals=clicks", "results.orders", FALSE },
  /* Budget needs the volume too. */
  { "budget=100", "prices.budget", FALSE },
  { "budget=100;volume=1000", "prices.budget", TRUE },
  { "optin_sources=web_form", "consent.sources", TRUE },
  { "use_cases=deals;purposes=promotional", "answers.purposes", TRUE },
  /* The simulator needs no webhook. */
  { NULL, "webhooks.public_url", FALSE },
  { NULL, "provider.tested", FALSE },
  { NULL, "provider.real", TRUE },
};

static void
test_relevance (Fixture       *f,
                gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (relevance_cases); i++)
    {
      const RelevanceCase *c = &relevance_cases[i];
      g_autoptr(TcReadinessReport) report = NULL;

      g_test_message ("%s → %s %s", c->answers ? c->answers : "(none)", c->id,
                      c->relevant ? "relevant" : "not relevant");
      for (guint a = 0; a < TC_READINESS_N_ANSWERS; a++)
        answer (f, tc_readiness_answer_to_string (a), "");
      give_answers (f, c->answers);

      report = inspect (f);
      g_assert_cmpint (tc_readiness_report_find (report, c->id) != NULL, ==, c->relevant);
      /* A relevant check made so by an answer says which. */
      if (c->relevant && c->answers != NULL)
        {
          const TcReadinessCheck *check = tc_readiness_report_find (report, c->id);

          if (check->because != NULL)
            g_assert_nonnull (strstr (c->answers, check->because));
        }
    }
}

/* The score rises as gaps close ------------------------------------------ */

static void
test_score_rises (Fixture       *f,
                  gconstpointer  data)
{
  void (*steps[]) (Fixture *f) = {
    gap_answer_all, fix_brand, fix_support, fix_double_optin, fix_own_prices,
    fix_separate_senders, fix_promotional_consent, fix_short_domain, fix_budget,
  };
  guint score = 0;
  g_autoptr(TcReadinessReport) last = NULL;

  answer (f, "channels", "sms");
  (void) state_of (f, "help.program", &score);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      guint next = 0;

      steps[i] (f);
      (void) state_of (f, "help.program", &next);
      g_test_message ("step %u: %u → %u", i, score, next);
      g_assert_cmpuint (next, >, score);
      score = next;
    }

  /* Only the real provider (and what comes with it) is left. */
  last = inspect (f);
  g_assert_cmpuint (last->n_failed, ==, 1);
  g_assert_false (tc_readiness_report_find (last, "provider.real")->passed);
  g_assert_cmpuint (last->score, <, 100);

  gap_twilio_configured (f);
  fix_twilio_tested (f);
  fix_public_url (f);
  fix_webhooks_reached (f);
  g_clear_pointer (&last, tc_readiness_report_free);
  last = inspect (f);
  g_assert_cmpuint (last->n_failed, ==, 0);
  g_assert_cmpuint (last->score, ==, 100);
}

/* Recorded network checks ------------------------------------------------ */

static void
test_recorded_tests (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TcReadinessReport) report = NULL;

  answer (f, "channels", "sms");
  gap_twilio_configured (f);

  /* A failed test is shown with what went wrong. */
  record_test (f, "twilio", FALSE, "Twilio refused the credentials.");
  report = inspect (f);
  g_assert_false (tc_readiness_report_find (report, "provider.tested")->passed);
  g_assert_nonnull (strstr (tc_readiness_report_find (report, "provider.tested")->explanation,
                            "Twilio refused the credentials."));
  g_clear_pointer (&report, tc_readiness_report_free);

  record_test (f, "twilio", TRUE, "Connected.");
  g_assert_cmpint (state_of (f, "provider.tested", NULL), ==, 1);

  /* Another account: the test said nothing about it. */
  set_setting (f, TC_SETTING_TWILIO_ACCOUNT_SID, "AC1123456789abcdef0123456789abcdef");
  g_assert_cmpint (state_of (f, "provider.tested", NULL), ==, 0);
  record_test (f, "twilio", TRUE, "Connected.");
  g_assert_cmpint (state_of (f, "provider.tested", NULL), ==, 1);

  /* The webhooks' check is tied to the public URL the same way. */
  fix_public_url (f);
  fix_webhooks_reached (f);
  g_assert_cmpint (state_of (f, "webhooks.reachable", NULL), ==, 1);
  set_setting (f, TC_SETTING_HTTP_PUBLIC_URL, "https://other.example");
  g_assert_cmpint (state_of (f, "webhooks.reachable", NULL), ==, 0);

  /* Nothing secret is recorded: only a digest of ids and addresses. */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *json = NULL;

    tc_settings_get_async (f->repo, TC_SETTING_READINESS_TEST_PREFIX "twilio", NULL,
                           tc_repository_store_result_cb, &res);
    tc_repository_wait (&res);
    json = tc_settings_get_finish (f->repo, res, &error);
    g_assert_no_error (error);
    g_assert_nonnull (json);
    g_assert_null (strstr (json, "AC1123456789"));
    g_assert_nonnull (strstr (json, "\"ok\":true"));
  }
}

/* JSON ------------------------------------------------------------------- */

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TcReadinessReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *root;
  JsonArray *findings, *passed;

  answer (f, "purposes", "promotional");
  fix_brand (f);
  report = inspect (f);
  json = tc_readiness_report_to_json (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "score"), ==, report->score);
  g_assert_cmpint (json_object_get_int_member (root, "failed"), ==, report->n_failed);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "answers"),
                                                  "purposes"), ==, "promotional");
  g_assert_true (json_object_get_null_member (json_object_get_object_member (root, "answers"),
                                              "goals"));
  findings = json_object_get_array_member (root, "findings");
  passed = json_object_get_array_member (root, "passed");
  g_assert_cmpuint (json_array_get_length (findings), ==, report->n_failed);
  g_assert_cmpuint (json_array_get_length (findings) + json_array_get_length (passed), ==,
                    report->checks->len);

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      g_assert_nonnull (json_object_get_string_member (finding, "id"));
      g_assert_nonnull (json_object_get_string_member (finding, "title"));
      g_assert_nonnull (json_object_get_string_member (finding, "place"));
      g_assert_true (json_object_has_member (finding, "because"));
    }
  {
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (passed); i++)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (passed, i),
                                                    "id"), "help.program") == 0)
        found = TRUE;
    g_assert_true (found);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/readiness/answers/normalize", test_answer_normalize);
  g_test_add ("/tc/readiness/answers/saved", Fixture, NULL,
              fixture_set_up, test_answers_saved, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (gap_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tc/readiness/gap/%s/%u", gap_cases[i].id, i);

      g_test_add (path, Fixture, &gap_cases[i], fixture_set_up, test_gap, fixture_tear_down);
    }
  g_test_add ("/tc/readiness/relevance", Fixture, NULL,
              fixture_set_up, test_relevance, fixture_tear_down);
  g_test_add ("/tc/readiness/score-rises", Fixture, NULL,
              fixture_set_up, test_score_rises, fixture_tear_down);
  g_test_add ("/tc/readiness/recorded-tests", Fixture, NULL,
              fixture_set_up, test_recorded_tests, fixture_tear_down);
  g_test_add ("/tc/readiness/json", Fixture, NULL,
              fixture_set_up, test_json, fixture_tear_down);

  return g_test_run ();
}
