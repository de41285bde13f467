/* test-campaign.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Campaigns (tc-campaign.h): what a campaign may be, the store, the exact
 * and stable A/B split with a holdout, the audience frozen once, nobody
 * queued twice (started twice, queued in batches), the send gate's
 * reasons on the rows, local-time scheduling across zones and DST, the
 * throttle and daily cap, pause / resume / cancel, and WhatsApp with SMS
 * for those WhatsApp may not reach.
 */

#define G_LOG_DOMAIN "test-campaign"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tc-campaign-counts.h"
#include "tc-campaign-report.h"
#include "tc-campaign.h"
#include "tc-consent-ledger.h"
#include "tc-outbox.h"
#include "tc-prices.h"
#include "tc-template-store.h"
#include "tc-test-util.h"
#include "tc-wa-template.h"

/* Tuesday 1 December 2026, 18:00 UTC: 13:00 in New York, 10:00 in Los
 * Angeles, 18:00 in London — inside every quiet-hours window. After the
 * consent the fixtures record. */
#define NOW G_GINT64_CONSTANT (1796148000)

static gint64
utc (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

/* ------------------------------------------------------------------------
 * Pure parts
 */

static void
test_validate (void)
{
  static const struct {
    const char *name;
    const char *templates[3];
    double      shares[3];
    double      holdout;
    int         channel;
    const char *fallback;
    gboolean    all;
    const char *local_time;
    const char *error;    /* NULL: valid */
  } cases[] = {
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, NULL },
    { "  ", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, "name:" },
    { "Spring", { NULL }, { 0 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, "template:" },
    { "Spring", { "a", "b" }, { 50, 40 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, "add up to 90" },
    { "Spring", { "a", "b" }, { 50, 50 }, 10, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, NULL },
    { "Spring", { "a" }, { 100 }, 100, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, "holdout_percent:" },
    { "Spring", { "a" }, { 100 }, -1, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, NULL, "holdout_percent:" },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS, NULL, TRUE, NULL, "fallback_template" },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS, "sms", TRUE, NULL, NULL },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, "sms", TRUE, NULL, "only a “whatsapp+sms”" },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, FALSE, NULL, "audience:" },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, "10:00", NULL },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, "24:00", "local_time: “24:00”" },
    { "Spring", { "a" }, { 100 }, 0, TC_CAMPAIGN_CHANNEL_SMS, NULL, TRUE, "9:00", "local_time: “9:00”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcCampaign) campaign = tc_campaign_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      tc_campaign_set_name (campaign, cases[i].name);
      tc_campaign_set_channel (campaign, cases[i].channel);
      tc_campaign_set_audience (campaign, cases[i].all, NULL, NULL);
      for (guint t = 0; t < G_N_ELEMENTS (cases[i].templates) && cases[i].templates[t] != NULL; t++)
        g_assert_true (tc_campaign_add_variant (campaign, cases[i].templates[t], cases[i].fallback,
                                                cases[i].shares[t]));
      tc_campaign_set_holdout_percent (campaign, cases[i].holdout);
      if (cases[i].local_time != NULL)
        tc_campaign_set_schedule_local_time (campaign, cases[i].local_time, 0);

      if (cases[i].error == NULL)
        {
          g_assert_true (tc_campaign_validate (campaign, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (tc_campaign_validate (campaign, &error));
          g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID);
          if (strstr (error->message, cases[i].error) == NULL)
            g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].error);
        }
    }

  /* No more than four variants. */
  {
    g_autoptr(TcCampaign) campaign = tc_campaign_new ();

    for (guint i = 0; i < TC_CAMPAIGN_MAX_VARIANTS; i++)
      g_assert_true (tc_campaign_add_variant (campaign, "t", NULL, 25));
    g_assert_false (tc_campaign_add_variant (campaign, "t", NULL, 25));
    g_assert_cmpstr (tc_campaign_get_variant (campaign, 3)->label, ==, "D");
  }
}

static void
test_pick_group (void)
{
  static const double weight_sets[][5] = {
    { 0.5, 0.5 },
    { 0.1, 0.45, 0.45 },
    { 0.2, 0.3, 0.5 },
    { 1.0 / 3, 1.0 / 3, 1.0 / 3 },
    { 0.05, 0.25, 0.25, 0.25, 0.20 },
    { 0.01, 0.99 },
  };
  static const guint n_groups[] = { 2, 3, 3, 3, 5, 2 };

  for (guint s = 0; s < G_N_ELEMENTS (weight_sets); s++)
    {
      guint counts[5] = { 0, };

      for (guint64 k = 0; k < 5000; k++)
        {
          tc_campaign_pick_group (weight_sets[s], counts, n_groups[s], k);
          /* Every prefix is within one of every share. */
          for (guint g = 0; g < n_groups[s]; g++)
            {
              double expected = weight_sets[s][g] * (double) (k + 1);

              if (fabs ((double) counts[g] - expected) > 1.0 + 1e-9)
                g_error ("set %u after %" G_GUINT64_FORMAT ": group %u has %u, share %.2f",
                         s, k + 1, g, counts[g], expected);
            }
        }
    }
}

static void
test_local_time (void)
{
  static const struct {
    const char *hhmm;
    const char *zones[3];
    const char *from;
    const char *expected;   /* NULL: 0 */
  } cases[] = {
    /* Later today in New York (EST, UTC−5). */
    { "10:00", { "America/New_York" }, "2026-12-01T12:00:00Z", "2026-12-01T15:00:00Z" },
    /* Already past today: tomorrow. */
    { "10:00", { "America/New_York" }, "2026-12-01T16:00:00Z", "2026-12-02T15:00:00Z" },
    /* Exactly now counts. */
    { "10:00", { "America/New_York" }, "2026-12-01T15:00:00Z", "2026-12-01T15:00:00Z" },
    { "10:00", { "America/New_York" }, "2026-12-01T15:00:01Z", "2026-12-02T15:00:00Z" },
    /* Summer time (EDT, UTC−4), and the day the clocks go forward. */
    { "10:00", { "America/New_York" }, "2026-07-01T00:00:00Z", "2026-07-01T14:00:00Z" },
    { "10:00", { "America/New_York" }, "2026-03-08T05:00:00Z", "2026-03-08T14:00:00Z" },
    { "10:00", { "America/New_York" }, "2026-03-07T16:00:00Z", "2026-03-08T14:00:00Z" },
    /* Sydney (AEDT, UTC+11) is already at 23:00 on the 1st: 10:00 on the 2nd. */
    { "10:00", { "Australia/Sydney" }, "2026-12-01T12:00:00Z", "2026-12-01T23:00:00Z" },
    /* Two candidate zones: the later of the two. */
    { "10:00", { "America/New_York", "America/Los_Angeles" }, "2026-12-01T12:00:00Z",
      "2026-12-01T18:00:00Z" },
    /* A zone nobody knows is passed over; none at all: 0. */
    { "10:00", { "Mars/Olympus", "Europe/London" }, "2026-12-01T08:00:00Z", "2026-12-01T10:00:00Z" },
    { "10:00", { "Mars/Olympus" }, "2026-12-01T08:00:00Z", NULL },
    { "nope", { "Europe/London" }, "2026-12-01T08:00:00Z", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 got = tc_campaign_next_local_time (cases[i].hhmm, cases[i].zones, utc (cases[i].from));

      g_test_message ("case %u", i);
      if (cases[i].expected == NULL)
        g_assert_cmpint (got, ==, 0);
      else
        g_assert_cmpint (got, ==, utc (cases[i].expected));
    }
}

/* ------------------------------------------------------------------------
 * A workspace
 */

typedef struct
{
  TcTestRepo repo;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->repo, "tc-campaign-XXXXXX", "t.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->repo);
}

static void
save_template (Fixture        *f,
               TcTemplateKind  kind,
               const char     *name,
               const char     *text)
{
  g_autoptr(TcTemplate) template = tc_template_new (kind, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (kind == TC_TEMPLATE_KIND_SMS)
    tc_template_set_body (template, text);
  else
    {
      g_autoptr(TcWaTemplate) model = tc_wa_template_new (name, "en_US", TC_WA_CATEGORY_MARKETING);
      g_autoptr(JsonNode) definition = NULL;
      g_autofree char *json = NULL;

      tc_wa_template_set_body (model, text);
      if (strstr (text, "{{1}}") != NULL)
        tc_wa_template_set_body_param (model, 1, "Ana", "{{first_name|there}}");
      tc_wa_template_set_status (model, TC_WA_STATUS_APPROVED, NULL);
      definition = tc_wa_template_to_json (model);
      json = json_to_string (definition, FALSE);
      tc_template_set_definition (template, json);
    }
  tc_repository_save_template_async (f->repo.repo, template, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->repo.repo, result, NULL, &error));
  g_assert_no_error (error);
}

static void
opt_in (Fixture    *f,
        const char *phone,
        TcChannel   channel,
        TcPurpose   purpose)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = purpose,
    .kind = TC_CONSENT_EVENT_OPTED_IN,
    .source = TC_CONSENT_SOURCE_WEB_FORM,
    .wording = "Text me offers",
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

/* @n contacts +1 212 555 01xx … opted in to promotional SMS (New York). */
static void
add_people (Fixture *f,
            guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1212555%04u", 1000 + i);

      opt_in (f, phone, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
    }
}

static gint64
save_campaign (Fixture    *f,
               TcCampaign *campaign)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_campaign_store_save_async (f->repo.repo, campaign, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_store_save_finish (f->repo.repo, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tc_campaign_get_id (campaign), >, 0);

  return tc_campaign_get_id (campaign);
}

static TcCampaign *
simple_campaign (const char *name,
                 const char *template)
{
  TcCampaign *campaign = tc_campaign_new ();

  tc_campaign_set_name (campaign, name);
  tc_campaign_set_channel (campaign, TC_CAMPAIGN_CHANNEL_SMS);
  tc_campaign_set_purpose (campaign, TC_PURPOSE_PROMOTIONAL);
  tc_campaign_set_audience (campaign, TRUE, NULL, NULL);
  tc_campaign_set_template (campaign, template, NULL);

  return campaign;
}

static TcCampaign *
get_campaign (Fixture *f,
              gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcCampaign *campaign;

  tc_campaign_store_get_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  campaign = tc_campaign_store_get_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);

  return campaign;
}

static guint
start (Fixture *f,
       gint64   id,
       gint64   now)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint audience = 0;

  tc_campaign_start_async (f->repo.repo, id, now, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_start_finish (f->repo.repo, result, &audience, &error));
  g_assert_no_error (error);

  return audience;
}

/* Queues everyone in batches of @batch; returns how many were queued. */
static guint
queue_all (Fixture *f,
           gint64   id,
           guint    batch,
           gint64   now)
{
  guint total = 0, n_left = 1;

  while (n_left > 0)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      guint n_queued = 0;

      tc_campaign_queue_async (f->repo.repo, id, batch, now, NULL, tc_repository_store_result_cb,
                               &result);
      tc_repository_wait (&result);
      tc_campaign_queue_finish (f->repo.repo, result, &n_queued, &n_left, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n_queued, <=, batch);
      total += n_queued;
    }

  return total;
}

static gboolean
act (Fixture          *f,
     gint64            id,
     TcCampaignAction  action,
     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_campaign_act_async (f->repo.repo, id, action, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_campaign_act_finish (f->repo.repo, result, error);
}

static gint64
raw_int (Fixture    *f,
         const char *sql)
{
  return tc_test_sql_int (f->repo.path, sql);
}

/* ------------------------------------------------------------------------
 * The store
 */

static void
test_store (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Spring sale", "spring");
  g_autoptr(TcCampaign) missing = simple_campaign ("Broken", "nope");
  g_autoptr(TcCampaign) loaded = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_SMS, "spring", "20% off today");

  /* A template that does not exist is named. */
  tc_campaign_store_save_async (f->repo.repo, missing, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_false (tc_campaign_store_save_finish (f->repo.repo, result, &error));
  g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“nope”"));
  g_assert_cmpint (tc_campaign_get_id (missing), ==, 0);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A segment that does not exist either. */
  tc_campaign_set_audience (missing, FALSE, (const char *[]) { "VIP", NULL }, NULL);
  tc_campaign_set_template (missing, "spring", NULL);
  tc_campaign_store_save_async (f->repo.repo, missing, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_false (tc_campaign_store_save_finish (f->repo.repo, result, &error));
  g_assert_nonnull (strstr (error->message, "segments: there is no segment “VIP”"));
  g_clear_error (&error);
  g_clear_object (&result);

  tc_campaign_set_holdout_percent (campaign, 5);
  tc_campaign_set_schedule_local_time (campaign, "10:00", 0);
  tc_campaign_set_sender (campaign, TC_CHANNEL_SMS, "55555");
  tc_campaign_set_pacing (campaign, 120, 5000);
  id = save_campaign (f, campaign);

  loaded = get_campaign (f, id);
  g_assert_cmpstr (tc_campaign_get_name (loaded), ==, "Spring sale");
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_DRAFT);
  g_assert_cmpint (tc_campaign_get_purpose (loaded), ==, TC_PURPOSE_PROMOTIONAL);
  g_assert_true (tc_campaign_get_audience_all (loaded));
  g_assert_cmpuint (tc_campaign_get_n_variants (loaded), ==, 1);
  g_assert_cmpstr (tc_campaign_get_variant (loaded, 0)->template_name, ==, "spring");
  g_assert_cmpfloat (tc_campaign_get_holdout_percent (loaded), ==, 5);
  g_assert_cmpint (tc_campaign_get_schedule (loaded), ==, TC_CAMPAIGN_SCHEDULE_LOCAL_TIME);
  g_assert_cmpstr (tc_campaign_get_local_time (loaded), ==, "10:00");
  g_assert_cmpstr (tc_campaign_get_sender (loaded, TC_CHANNEL_SMS), ==, "55555");
  g_assert_null (tc_campaign_get_sender (loaded, TC_CHANNEL_WHATSAPP));
  g_assert_cmpuint (tc_campaign_get_throttle_per_minute (loaded), ==, 120);
  g_assert_cmpuint (tc_campaign_get_daily_cap (loaded), ==, 5000);

  /* A draft can be changed. */
  tc_campaign_set_name (loaded, "Spring sale, final");
  save_campaign (f, loaded);
  g_clear_object (&loaded);
  loaded = get_campaign (f, id);
  g_assert_cmpstr (tc_campaign_get_name (loaded), ==, "Spring sale, final");

  tc_campaign_store_list_async (f->repo.repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  all = tc_campaign_store_list_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_clear_object (&result);

  /* Once started it is frozen: no edit, no delete. */
  start (f, id, NOW);
  tc_campaign_set_name (loaded, "Too late");
  tc_campaign_store_save_async (f->repo.repo, loaded, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_false (tc_campaign_store_save_finish (f->repo.repo, result, &error));
  g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE);
  g_clear_error (&error);
  g_clear_object (&result);

  tc_campaign_store_delete_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_false (tc_campaign_store_delete_finish (f->repo.repo, result, &error));
  g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE);
  g_clear_error (&error);
  g_clear_object (&result);

  tc_campaign_store_get_async (f->repo.repo, 999, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_null (tc_campaign_store_get_finish (f->repo.repo, result, &error));
  g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------------------
 * Sending
 */

static void
test_split_and_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("A/B", "a");
  g_autoptr(TcCampaign) loaded = NULL;
  g_autoptr(TcCampaign) other = simple_campaign ("Again", "a");
  gint64 id, other_id, n_a, n_b, n_holdout;
  guint audience;

  save_template (f, TC_TEMPLATE_KIND_SMS, "a", "Hi {{first_name|there}}, A: 20% off");
  save_template (f, TC_TEMPLATE_KIND_SMS, "b", "Hi {{first_name|there}}, B: free shipping");
  add_people (f, 101);

  tc_campaign_set_template (campaign, "a", NULL);
  g_assert_true (tc_campaign_add_variant (campaign, "b", NULL, 0));
  /* 70 / 30, and 10 % held out. */
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 0))->percent = 70;
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 1))->percent = 30;
  tc_campaign_set_holdout_percent (campaign, 10);
  id = save_campaign (f, campaign);

  audience = start (f, id, NOW);
  g_assert_cmpuint (audience, ==, 101);
  loaded = get_campaign (f, id);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_SENDING);
  g_assert_cmpint (tc_campaign_get_variant (loaded, 0)->template_version, ==, 1);

  /* Exact: 10.1 held out, 63.63 A, 27.27 B — each within one. */
  n_holdout = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'holdout'");
  n_a = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'A'");
  n_b = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'B'");
  g_assert_cmpint (n_holdout + n_a + n_b, ==, 101);
  g_assert_cmpfloat (fabs (n_holdout - 10.1), <=, 1.0);
  g_assert_cmpfloat (fabs (n_a - 63.63), <=, 1.0);
  g_assert_cmpfloat (fabs (n_b - 27.27), <=, 1.0);
  g_assert_cmpuint (tc_campaign_get_n_intended (loaded), ==, n_a + n_b);

  /* Started again: nothing changes. */
  g_assert_cmpuint (start (f, id, NOW + 60), ==, 101);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_recipients"), ==, 101);

  /* Queued in batches of 7; a second pass queues nobody. */
  g_assert_cmpuint (queue_all (f, id, 7, NOW), ==, n_a + n_b);
  g_assert_cmpuint (queue_all (f, id, 7, NOW), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:1:%'"), ==, n_a + n_b);
  g_assert_cmpint (raw_int (f, "SELECT count(DISTINCT contact_id) FROM outbox WHERE origin LIKE 'campaign:1:%'"),
                   ==, n_a + n_b);
  /* The holdout gets nothing; each variant its own text. */
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox o JOIN campaign_recipients r"
                               " ON r.contact_id = o.contact_id WHERE r.variant = 'holdout'"), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE origin = 'campaign:1:A'"
                               " AND body LIKE '%A: 20% off%Reply STOP to opt out'"), ==, n_a);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE origin = 'campaign:1:B'"
                               " AND body LIKE '%B: free shipping%'"), ==, n_b);
  /* New York at 13:00 on a Tuesday: nothing holds them. */
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'queued'"), ==, n_a + n_b);

  /* The same people in the same variants for this campaign; another
   * campaign shuffles its own way. */
  other_id = save_campaign (f, other);
  tc_campaign_add_variant (other, "b", NULL, 50);
  start (f, other_id, NOW);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_recipients a JOIN campaign_recipients b"
                               " ON a.contact_id = b.contact_id AND a.campaign_id = 1 AND b.campaign_id = 2"
                               " AND a.rank = b.rank"), ==, 0);
}

static void
test_gate_reasons (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Reasons", "promo");
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_SMS, "promo", "Flash sale");
  add_people (f, 3);
  /* Consent for order updates only, and an opt-out. */
  opt_in (f, "+12125550500", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL);
  opt_in (f, "+12125550501", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TcConsentOutcome) outcome = NULL;
    TcConsentRequest request = {
      .phone = "+12125550501", .channel = TC_CHANNEL_SMS, .purpose = TC_PURPOSE_PROMOTIONAL,
      .kind = TC_CONSENT_EVENT_OPTED_OUT, .source = TC_CONSENT_SOURCE_KEYWORD,
    };

    tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    outcome = tc_consent_ledger_record_finish (f->repo.repo, result, NULL);
    g_assert_nonnull (outcome);
  }

  id = save_campaign (f, campaign);
  start (f, id, NOW);
  g_assert_cmpuint (queue_all (f, id, 100, NOW), ==, 5);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'queued'"), ==, 3);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'skipped' AND reason = 'no_consent'"), ==, 1);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'skipped' AND reason = 'opted_out'"), ==, 1);

  /* At 03:00 in New York the promotional ones wait for the morning. */
  {
    g_autoptr(TcCampaign) night = simple_campaign ("Night", "promo");
    gint64 night_id = save_campaign (f, night);
    gint64 at_night = utc ("2026-12-02T08:00:00Z");
    g_autofree char *sql = NULL;

    start (f, night_id, at_night);
    queue_all (f, night_id, 100, at_night);
    sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:2:%%'"
                           " AND state = 'deferred' AND reason = 'quiet_hours'"
                           " AND due_at > %" G_GINT64_FORMAT, at_night);
    g_assert_cmpint (raw_int (f, sql), ==, 3);
  }
}

static void
test_schedule (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TcCampaign) local = simple_campaign ("Local", "promo");
  g_autoptr(TcCampaign) later = simple_campaign ("Later", "promo");
  g_autoptr(TcCampaign) paced = simple_campaign ("Paced", "promo");
  g_autoptr(TcCampaign) loaded = NULL;
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_SMS, "promo", "Flash sale");
  /* New York, Los Angeles, London. */
  opt_in (f, "+12125550100", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  opt_in (f, "+14155550100", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  opt_in (f, "+447911123456", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);

  /* 10:00 in each recipient's own zone, from NOW (18:00 UTC): tomorrow in
   * London and New York (already past there), right now in Los Angeles. */
  tc_campaign_set_schedule_local_time (local, "10:00", 0);
  id = save_campaign (f, local);
  start (f, id, NOW);
  queue_all (f, id, 10, NOW);
  g_assert_cmpint (raw_int (f, "SELECT due_at FROM outbox WHERE phone = '+12125550100'"), ==,
                   utc ("2026-12-02T15:00:00Z"));
  g_assert_cmpint (raw_int (f, "SELECT due_at FROM outbox WHERE phone = '+14155550100'"), ==,
                   utc ("2026-12-01T18:00:00Z"));
  g_assert_cmpint (raw_int (f, "SELECT due_at FROM outbox WHERE phone = '+447911123456'"), ==,
                   utc ("2026-12-02T10:00:00Z"));

  /* At a moment: scheduled until then. */
  tc_campaign_set_schedule_at (later, utc ("2026-12-03T17:00:00Z"));
  id = save_campaign (f, later);
  start (f, id, NOW);
  loaded = get_campaign (f, id);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_SCHEDULED);
  queue_all (f, id, 10, NOW);
  g_assert_cmpint (raw_int (f, "SELECT min (due_at) FROM outbox WHERE origin LIKE 'campaign:2:%'"), ==,
                   utc ("2026-12-03T17:00:00Z"));

  /* 2 a minute, at most 2 a day: 0 s, 30 s, then the third a day later. */
  tc_campaign_set_pacing (paced, 2, 2);
  id = save_campaign (f, paced);
  start (f, id, NOW);
  queue_all (f, id, 10, NOW);
  {
    sqlite3 *handle = NULL;
    sqlite3_stmt *stmt = NULL;
    gint64 offsets[3];
    guint n = 0;

    g_assert_cmpint (sqlite3_open_v2 (f->repo.path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT due_at FROM outbox WHERE origin LIKE 'campaign:3:%'"
                                                 " ORDER BY due_at", -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW && n < 3)
      offsets[n++] = sqlite3_column_int64 (stmt, 0) - NOW;
    sqlite3_finalize (stmt);
    sqlite3_close (handle);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpint (offsets[0], ==, 0);
    g_assert_cmpint (offsets[1], ==, 30);
    g_assert_cmpint (offsets[2], ==, 24 * 60 * 60 + 60);
  }
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Pausing", "promo");
  g_autoptr(TcCampaign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_SMS, "promo", "Flash sale");
  add_people (f, 10);
  id = save_campaign (f, campaign);

  /* A draft cannot be paused. */
  g_assert_false (act (f, id, TC_CAMPAIGN_PAUSE, &error));
  g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE);
  g_clear_error (&error);

  start (f, id, NOW);
  /* Four queued, then paused: they are held, nobody else is queued. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    guint n_queued, n_left;

    tc_campaign_queue_async (f->repo.repo, id, 4, NOW, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_true (tc_campaign_queue_finish (f->repo.repo, result, &n_queued, &n_left, NULL));
    g_assert_cmpuint (n_queued, ==, 4);
    g_assert_cmpuint (n_left, ==, 6);
  }
  g_assert_true (act (f, id, TC_CAMPAIGN_PAUSE, &error));
  g_assert_no_error (error);
  g_assert_true (act (f, id, TC_CAMPAIGN_PAUSE, &error));
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'paused'"), ==, 4);
  g_assert_cmpuint (queue_all (f, id, 100, NOW), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox_events WHERE state = 'paused'"), ==, 4);
  loaded = get_campaign (f, id);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_PAUSED);

  /* Resumed: they wait for their time again, and the rest are queued. */
  g_assert_true (act (f, id, TC_CAMPAIGN_RESUME, &error));
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'deferred'"), ==, 4);
  g_assert_cmpuint (queue_all (f, id, 100, NOW), ==, 6);

  /* Cancelled: nothing left waits. */
  g_assert_true (act (f, id, TC_CAMPAIGN_CANCEL, &error));
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'skipped' AND reason = 'cancelled'"), ==, 10);
  g_clear_object (&loaded);
  loaded = get_campaign (f, id);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_CANCELLED);
  g_assert_cmpint (tc_campaign_get_finished_at (loaded), >, 0);
  g_assert_false (act (f, id, TC_CAMPAIGN_RESUME, &error));
  g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE);
  g_clear_error (&error);

  /* A cancelled campaign is not sent again. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    tc_campaign_start_async (f->repo.repo, id, NOW, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_false (tc_campaign_start_finish (f->repo.repo, result, NULL, &error));
    g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE);
  }
}

static void
test_finished (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Done", "promo");
  g_autoptr(TcCampaign) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean finished = TRUE;
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_SMS, "promo", "Flash sale");
  add_people (f, 2);
  id = save_campaign (f, campaign);
  start (f, id, NOW);
  queue_all (f, id, 10, NOW);

  tc_campaign_check_finished_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_check_finished_finish (f->repo.repo, result, &finished, &error));
  g_assert_false (finished);
  g_clear_object (&result);

  /* Once the provider took them. */
  {
    sqlite3 *handle = NULL;

    g_assert_cmpint (sqlite3_open (f->repo.path, &handle), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE outbox SET state = 'delivered'", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (handle);
  }
  tc_campaign_check_finished_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_check_finished_finish (f->repo.repo, result, &finished, &error));
  g_assert_true (finished);
  loaded = get_campaign (f, id);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_SENT);
}

static void
test_whatsapp_fallback (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = tc_campaign_new ();
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_WHATSAPP, "wa_promo", "Hi {{1}}, the sale is on.");
  save_template (f, TC_TEMPLATE_KIND_SMS, "sms_promo", "The sale is on.");
  /* London on WhatsApp; a London number with SMS consent only; a New
   * York number with WhatsApp consent (marketing templates are not sent
   * to +1 numbers). */
  opt_in (f, "+447911123451", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL);
  opt_in (f, "+447911123452", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  opt_in (f, "+12125550100", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL);
  opt_in (f, "+12125550100", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);

  tc_campaign_set_name (campaign, "Both");
  tc_campaign_set_channel (campaign, TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS);
  tc_campaign_set_purpose (campaign, TC_PURPOSE_PROMOTIONAL);
  tc_campaign_set_audience (campaign, TRUE, NULL, NULL);
  tc_campaign_set_template (campaign, "wa_promo", "sms_promo");
  id = save_campaign (f, campaign);
  start (f, id, NOW);
  g_assert_cmpuint (queue_all (f, id, 10, NOW), ==, 3);

  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE phone = '+447911123451'"
                               " AND channel = 'whatsapp' AND state = 'queued' AND wa_template LIKE '%wa_promo%'"), ==, 1);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE phone = '+447911123452'"
                               " AND channel = 'sms' AND state = 'queued' AND body LIKE 'The sale is on.%'"), ==, 1);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE phone = '+12125550100'"
                               " AND channel = 'sms' AND state = 'queued'"), ==, 1);
}

/* A template that cannot be made for someone skips them, not the campaign. */
static void
test_message_error (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = tc_campaign_new ();
  gint64 id;

  /* {{1}} bound to nothing: Meta would refuse it, so it is never sent. */
  save_template (f, TC_TEMPLATE_KIND_WHATSAPP, "unbound", "Hi, the sale is on.");
  {
    sqlite3 *handle = NULL;

    g_assert_cmpint (sqlite3_open (f->repo.path, &handle), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE template_versions SET definition ="
                                           " replace (definition, 'the sale is on.', '{{1}}, the sale is on.')",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (handle);
  }
  opt_in (f, "+447911123451", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL);
  opt_in (f, "+447911123452", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL);

  tc_campaign_set_name (campaign, "Broken");
  tc_campaign_set_channel (campaign, TC_CAMPAIGN_CHANNEL_WHATSAPP);
  tc_campaign_set_purpose (campaign, TC_PURPOSE_PROMOTIONAL);
  tc_campaign_set_audience (campaign, TRUE, NULL, NULL);
  tc_campaign_set_template (campaign, "unbound", NULL);
  id = save_campaign (f, campaign);
  start (f, id, NOW);
  g_assert_cmpuint (queue_all (f, id, 10, NOW), ==, 2);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'skipped'"
                               " AND reason = '" TC_CAMPAIGN_REASON_MESSAGE_ERROR "'"), ==, 2);
}


/* ------------------------------------------------------------------------
 * The report, against figures worked out by hand
 */

static void
raw_exec (Fixture    *f,
          const char *sql)
{
  tc_test_sql_exec (f->repo.path, sql);
}

/* The contact ids of @variant, by id. */
static GArray *
members (Fixture    *f,
         const char *variant)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->repo.path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT contact_id FROM campaign_recipients"
                                               " WHERE variant = ?1 ORDER BY contact_id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, variant, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  return ids;
}

#define AT(offset) ((long long) (NOW + (offset)))

static void
exec_printf (Fixture    *f,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
exec_printf (Fixture    *f,
             const char *format,
             ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  raw_exec (f, sql);
}

static JsonObject *
report_json (Fixture        *f,
             gint64          id,
             TcCampaignGroup group,
             const char     *attribute,
             JsonNode      **keep)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCampaignReport) report = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  tc_campaign_report_async (f->repo.repo, id, group, attribute, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_campaign_report_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  tc_campaign_report_build_json (report, builder);
  *keep = json_builder_get_root (builder);

  return json_node_get_object (*keep);
}

static JsonObject *
variant_of (JsonObject *report,
            const char *label)
{
  JsonArray *variants = json_object_get_array_member (report, "variants");

  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonObject *variant = json_array_get_object_element (variants, i);

      if (g_strcmp0 (json_object_get_string_member (variant, "label"), label) == 0)
        return variant;
    }
  g_error ("no variant %s", label);
}

static gpointer
recount_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _tc_campaign_counts_rebuild (db, *(gint64 *) job_data, error) ? GINT_TO_POINTER (1) : NULL;
}

/* The campaign's counters (tc-campaign-counts.h) counted again after rows
 * were changed by hand, as the engine never would. */
static void
recount_campaign (Fixture *f,
                  gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  _tc_repository_run_async (f->repo.repo, TC_DB_JOB_WRITE, recount_job, &id, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_nonnull (_tc_repository_run_finish (f->repo.repo, result, &error));
  g_assert_no_error (error);
}

static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Report", "a");
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) h = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) keep_country = NULL;
  g_autoptr(JsonNode) keep_tier = NULL;
  JsonObject *report, *va, *vb, *by_country, *groups_0;
  JsonArray *groups;
  gint64 id;

  save_template (f, TC_TEMPLATE_KIND_SMS, "a", "A: 20% off");
  save_template (f, TC_TEMPLATE_KIND_SMS, "b", "B: free shipping");
  add_people (f, 10);
  g_assert_true (tc_campaign_add_variant (campaign, "b", NULL, 50));
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 0))->percent = 50;
  tc_campaign_set_holdout_percent (campaign, 20);
  id = save_campaign (f, campaign);
  start (f, id, NOW);
  queue_all (f, id, 100, NOW);

  a = members (f, "A");
  b = members (f, "B");
  h = members (f, "holdout");
  g_assert_cmpuint (a->len, ==, 4);
  g_assert_cmpuint (b->len, ==, 4);
  g_assert_cmpuint (h->len, ==, 2);
#define A_(i) g_array_index (a, gint64, i)
#define B_(i) g_array_index (b, gint64, i)
#define H_(i) g_array_index (h, gint64, i)

  /* What happened to each message (prices as the provider reported). */
  raw_exec (f, "UPDATE outbox SET price = 0.01, cost = 0.02");
  exec_printf (f, "UPDATE outbox SET state = 'delivered', sent_at = %lld, delivered_at = %lld"
                  " WHERE contact_id IN (%lld, %lld, %lld)",
               AT (10), AT (20), (long long) A_(0), (long long) B_(0), (long long) B_(1));
  exec_printf (f, "UPDATE outbox SET state = 'failed', sent_at = %lld, failed_at = %lld, error_code = '30003'"
                  " WHERE contact_id = %lld", AT (10), AT (20), (long long) A_(1));
  exec_printf (f, "UPDATE outbox SET state = 'undelivered', sent_at = %lld, error_code = '30005'"
                  " WHERE contact_id = %lld", AT (3700), (long long) B_(2));
  exec_printf (f, "UPDATE outbox SET state = 'sent', sent_at = %lld, price = NULL WHERE contact_id = %lld",
               AT (10), (long long) A_(2));
  exec_printf (f, "UPDATE outbox SET state = 'skipped', reason = 'frequency_cap' WHERE contact_id = %lld",
               (long long) B_(3));
  exec_printf (f, "UPDATE outbox SET state = 'deferred', reason = 'quiet_hours' WHERE contact_id = %lld",
               (long long) A_(3));

  /* A reply within 3 days counts; one after it does not. */
  exec_printf (f, "INSERT INTO inbound_messages (contact_id, phone, channel, body, received_at, action)"
                  " SELECT id, phone, 'sms', 'Is it in blue?', %lld, 'conversation' FROM contacts WHERE id = %lld;"
                  "INSERT INTO inbound_messages (contact_id, phone, channel, body, received_at, action)"
                  " SELECT id, phone, 'sms', 'Hello', %lld, 'conversation' FROM contacts WHERE id = %lld",
               AT (3600), (long long) A_(0), AT (4 * 86400), (long long) B_(0));
  /* An opt-out the day after. */
  exec_printf (f, "INSERT INTO consent_events (contact_id, channel, purpose, kind, status, source,"
                  " occurred_at, recorded_at) VALUES (%lld, 'sms', 'promotional', 'opted_out', 'opted_out',"
                  " 'keyword', %lld, %lld)", (long long) B_(1), AT (86400), AT (86400));
  /* Two clicks by one person on variant A's link. */
  exec_printf (f, "INSERT INTO short_links (code, url, contact_id, origin, created_at)"
                  " VALUES ('AbCdEf12', 'https://shop.example/', %lld, 'campaign:%lld:A', %lld);"
                  "INSERT INTO link_clicks (code, clicked_at) VALUES ('AbCdEf12', %lld), ('AbCdEf12', %lld)",
               (long long) A_(0), (long long) id, AT (0), AT (200), AT (300));
  /* Orders: after a click (A), within a day of a delivered message (B),
   * too late after a message with no click (none), from the holdout
   * (none, but it counts for the lift). */
  exec_printf (f, "INSERT INTO events (contact_id, name, occurred_at, recorded_at, source, value, currency)"
                  " VALUES (%lld, 'order_placed', %lld, %lld, 'cli', 50, 'USD'),"
                  " (%lld, 'order_placed', %lld, %lld, 'cli', 30, 'USD'),"
                  " (%lld, 'order_placed', %lld, %lld, 'cli', 20, 'USD'),"
                  " (%lld, 'order_placed', %lld, %lld, 'cli', 99, 'USD'),"
                  " (%lld, 'cart_abandoned', %lld, %lld, 'cli', 10, 'USD')",
               (long long) A_(0), AT (1000), AT (1000),
               (long long) B_(0), AT (3600), AT (3600),
               (long long) B_(1), AT (3 * 86400), AT (3 * 86400),
               (long long) H_(0), AT (86400), AT (86400),
               (long long) A_(2), AT (100), AT (100));
  exec_printf (f, "UPDATE contacts SET attributes = '{\"tier\":\"gold\"}' WHERE id IN (%lld, %lld)",
               (long long) A_(0), (long long) B_(0));
  recount_campaign (f, id);

  report = report_json (f, id, TC_CAMPAIGN_GROUP_VARIANT, NULL, &keep);
  g_assert_cmpint (json_object_get_int_member (report, "audience"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (report, "intended"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (report, "sent"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (report, "delivered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (report, "failed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "bounced"), "30003"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "bounced"), "30005"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "skipped"), "frequency_cap"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "deferred"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "read"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "replies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "opt_outs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "clicks"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (report, "unique_clicks"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "conversions"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (report, "revenue"), ==, 80);
  g_assert_cmpfloat (json_object_get_double_member (report, "average_order_value"), ==, 40);
  /* Five reported prices of 0.01 and one estimate of 0.02, sent ones only. */
  g_assert_cmpfloat (fabs (json_object_get_double_member (report, "cost") - 0.07), <, 1e-9);
  g_assert_cmpfloat (fabs (json_object_get_double_member (report, "delivery_rate") - 3.0 / 8), <, 1e-9);
  g_assert_cmpfloat (fabs (json_object_get_double_member (report, "revenue_per_message") - 80.0 / 6), <, 1e-9);
  /* 3 of 8 converted (A0, B0, B1) against 1 of 2 held out: −25 %. */
  g_assert_cmpfloat (fabs (json_object_get_double_member (report, "lift") + 0.25), <, 1e-9);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "holdout"), "audience"), ==, 2);
  g_assert_false (json_object_get_boolean_member (report, "clicks_tracked"));

  va = variant_of (report, "A");
  vb = variant_of (report, "B");
  g_assert_cmpint (json_object_get_int_member (va, "sent"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (va, "conversions"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (va, "revenue"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (va, "clicks"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (vb, "conversions"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (vb, "revenue"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (vb, "opt_outs"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "timeline")), ==, 2);

  /* By country: every one of them is in the US. */
  by_country = report_json (f, id, TC_CAMPAIGN_GROUP_COUNTRY, NULL, &keep_country);
  groups = json_object_get_array_member (by_country, "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
  groups_0 = json_array_get_object_element (groups, 0);
  g_assert_cmpstr (json_object_get_string_member (groups_0, "value"), ==, "US");
  g_assert_cmpint (json_object_get_int_member (groups_0, "audience"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (groups_0, "sent"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (groups_0, "conversions"), ==, 2);

  /* By the tier attribute: two gold, the rest without one. */
  report = report_json (f, id, TC_CAMPAIGN_GROUP_ATTRIBUTE, "tier", &keep_tier);
  g_assert_cmpstr (json_object_get_string_member (report, "group_by"), ==, "attributes.tier");
  groups = json_object_get_array_member (report, "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  groups_0 = json_array_get_object_element (groups, 1);
  g_assert_cmpstr (json_object_get_string_member (groups_0, "value"), ==, "gold");
  g_assert_cmpint (json_object_get_int_member (groups_0, "audience"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (groups_0, "conversions"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (groups_0, "revenue"), ==, 80);

#undef A_
#undef B_
#undef H_
}

/* Pre-flight says what sending then does, message for message. */
static void
test_preflight (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Preflight", "promo");
  g_autoptr(TcCampaignPreflight) preflight = NULL;
  g_autoptr(TcCampaignPreflight) at_night = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcPrices) prices = tc_prices_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  double us_sms = 0;
  gint64 id, night = utc ("2026-12-02T08:00:00Z");

  /* 🌸 makes the text UCS-2: 2 segments with the opt-out line. */
  save_template (f, TC_TEMPLATE_KIND_SMS, "promo",
                 "Hi {{first_name|there}} 🌸 spring is here: 20% off everything in store and online today "
                 "only, see you soon");
  add_people (f, 4);
  opt_in (f, "+12125550500", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL);
  tc_campaign_set_holdout_percent (campaign, 20);
  id = save_campaign (f, campaign);

  tc_campaign_preflight_async (f->repo.repo, id, NOW, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  preflight = tc_campaign_preflight_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* 5 in the audience, 1 held out; of the other 4, the one with consent
   * for order updates only is skipped. */
  g_assert_cmpuint (preflight->audience, ==, 5);
  g_assert_cmpuint (preflight->holdout, ==, 1);
  g_assert_cmpuint (preflight->intended, ==, 4);
  g_assert_false (preflight->estimated);
  g_assert_cmpuint (preflight->sample, ==, 4);
  g_assert_cmpuint (preflight->send + GPOINTER_TO_SIZE (g_hash_table_lookup (preflight->skipped, "no_consent")),
                    ==, 4);
  g_assert_cmpuint (g_hash_table_size (preflight->deferred), ==, 0);
  g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (preflight->segments, "2")), ==, preflight->send);
  g_assert_true (tc_prices_lookup (prices, "US", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, &us_sms, NULL));
  g_assert_cmpuint (preflight->costs->len, ==, 1);
  g_assert_cmpfloat (fabs (preflight->cost - preflight->send * 2 * us_sms), <, 1e-9);
  g_assert_cmpstr (((TcPreflightCost *) g_ptr_array_index (preflight->costs, 0))->country, ==, "US");

  tc_campaign_preflight_build_json (preflight, builder);
  root = json_builder_get_root (builder);
  g_assert_true (json_object_has_member (json_node_get_object (root), "warnings"));

  /* At 03:00 in New York everything waits for the morning, and says so. */
  tc_campaign_preflight_async (f->repo.repo, id, night, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  at_night = tc_campaign_preflight_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_night->send, ==, 0);
  g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (at_night->deferred, "quiet_hours")), ==,
                    preflight->send);
  g_assert_cmpstr (((TcPreflightWarning *) g_ptr_array_index (at_night->warnings,
                                                               at_night->warnings->len - 1))->code, ==,
                   "quiet_hours");

  /* Then sending does exactly that. */
  start (f, id, NOW);
  g_assert_cmpuint (queue_all (f, id, 10, NOW), ==, 4);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'queued'"), ==, preflight->send);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'skipped' AND reason = 'no_consent'"),
                   ==, 4 - preflight->send);
  g_assert_cmpint (raw_int (f, "SELECT sum (segments) FROM outbox WHERE state = 'queued'"), ==, 2 * preflight->send);
}

static void
test_seed_send (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Seeds", "a");
  g_autoptr(TcCampaign) loaded = NULL;
  const char *phones[] = { "+12125550900", "+12125550901", NULL };

  save_template (f, TC_TEMPLATE_KIND_SMS, "a", "Hi {{first_name|there}}, A");
  save_template (f, TC_TEMPLATE_KIND_SMS, "b", "Hi {{first_name|there}}, B");
  tc_campaign_add_variant (campaign, "b", NULL, 50);
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 0))->percent = 50;
  opt_in (f, "+12125550900", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  add_people (f, 3);
  save_campaign (f, campaign);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;

      tc_campaign_test_send_async (f->repo.repo, 1, phones, NOW, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      rows = tc_campaign_test_send_finish (f->repo.repo, result, &error);
      g_assert_no_error (error);
      /* Two numbers × two variants; the one without consent is skipped. */
      g_assert_cmpuint (rows->len, ==, 4);
      for (guint i = 0; i < rows->len; i++)
        {
          TcOutboxEntry *entry = g_ptr_array_index (rows, i);

          g_assert_true (g_str_has_prefix (entry->origin, "campaign-test:1:"));
          if (strcmp (entry->phone, "+12125550900") == 0)
            g_assert_cmpint (entry->state, ==, TC_OUTBOX_QUEUED);
          else
            {
              g_assert_cmpint (entry->state, ==, TC_OUTBOX_SKIPPED);
              g_assert_cmpstr (entry->reason, ==, "no_consent");
            }
        }
    }

  /* Sent again each time it is asked; the campaign itself untouched. */
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE origin = 'campaign-test:1:B'"
                               " AND body LIKE 'Hi there, B%'"), ==, 4);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_recipients"), ==, 0);
  loaded = get_campaign (f, 1);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_DRAFT);
}

/* A test portion: the variants to 40 % first, then after 4 hours the one
 * more people clicked goes to the rest. */
static void
test_test_portion (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcCampaign) campaign = simple_campaign ("Test first", "a");
  g_autoptr(TcCampaign) loaded = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *winner = NULL;
  gint64 id, due_at = 0, n_a, n_b, n_rest, n_holdout;

  save_template (f, TC_TEMPLATE_KIND_SMS, "a", "A: 20% off");
  save_template (f, TC_TEMPLATE_KIND_SMS, "b", "B: free shipping");
  add_people (f, 20);
  tc_campaign_add_variant (campaign, "b", NULL, 50);
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 0))->percent = 50;
  tc_campaign_set_holdout_percent (campaign, 10);

  /* A test needs something to compare, and a measure. */
  {
    g_autoptr(TcCampaign) single = simple_campaign ("Single", "a");

    tc_campaign_set_test (single, 30, TC_CAMPAIGN_METRIC_CLICKS, 4);
    g_assert_false (tc_campaign_validate (single, &error));
    g_assert_nonnull (strstr (error->message, "at least two variants"));
    g_clear_error (&error);
  }
  tc_campaign_set_test (campaign, 40, TC_CAMPAIGN_METRIC_CLICKS, 4);
  id = save_campaign (f, campaign);
  start (f, id, NOW);

  n_holdout = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'holdout'");
  n_rest = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'rest'");
  n_a = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'A'");
  n_b = raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'B'");
  g_assert_cmpint (n_holdout, ==, 2);
  g_assert_cmpfloat (fabs (n_rest - 10.8), <=, 1.0);
  g_assert_cmpfloat (fabs (n_a - 3.6), <=, 1.0);
  g_assert_cmpfloat (fabs (n_b - 3.6), <=, 1.0);

  /* Only the test portion is queued; the campaign waits for the winner. */
  g_assert_cmpuint (queue_all (f, id, 5, NOW), ==, n_a + n_b);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox"), ==, n_a + n_b);
  loaded = get_campaign (f, id);
  g_assert_cmpint (tc_campaign_get_state (loaded), ==, TC_CAMPAIGN_SENDING);
  g_assert_cmpstr (tc_campaign_get_winner (loaded), ==, "");
  {
    g_autoptr(GAsyncResult) result = NULL;
    gboolean finished = TRUE;

    tc_campaign_check_finished_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_true (tc_campaign_check_finished_finish (f->repo.repo, result, &finished, NULL));
    g_assert_false (finished);
  }

  /* A campaign without a test portion has no winner to choose. */
  {
    g_autoptr(TcCampaign) plain = simple_campaign ("Plain", "a");
    g_autoptr(GAsyncResult) result = NULL;
    gint64 plain_id = save_campaign (f, plain);

    tc_campaign_pick_winner_async (f->repo.repo, plain_id, NOW, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_false (tc_campaign_pick_winner_finish (f->repo.repo, result, &winner, &due_at, &error));
    g_assert_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE);
    g_assert_nonnull (strstr (error->message, "no test portion"));
    g_clear_error (&error);
  }

  /* An hour in: not yet. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    tc_campaign_pick_winner_async (f->repo.repo, id, NOW + 3600, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_true (tc_campaign_pick_winner_finish (f->repo.repo, result, &winner, &due_at, &error));
    g_assert_no_error (error);
    g_assert_null (winner);
    g_assert_cmpint (due_at, ==, NOW + 4 * 3600);
  }

  /* Two of B's people clicked, nobody of A's. */
  b = members (f, "B");
  exec_printf (f, "INSERT INTO short_links (code, url, contact_id, origin, created_at) VALUES"
                  " ('Bclick01', 'https://shop.example/', %lld, 'campaign:%lld:B', %lld),"
                  " ('Bclick02', 'https://shop.example/', %lld, 'campaign:%lld:B', %lld);"
                  "INSERT INTO link_clicks (code, clicked_at) VALUES ('Bclick01', %lld), ('Bclick02', %lld)",
               (long long) g_array_index (b, gint64, 0), (long long) id, AT (0),
               (long long) g_array_index (b, gint64, 1), (long long) id, AT (0), AT (600), AT (700));

  {
    g_autoptr(GAsyncResult) result = NULL;

    tc_campaign_pick_winner_async (f->repo.repo, id, NOW + 5 * 3600, NULL, tc_repository_store_result_cb,
                                   &result);
    tc_repository_wait (&result);
    g_assert_true (tc_campaign_pick_winner_finish (f->repo.repo, result, &winner, &due_at, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (winner, ==, "B");
  }
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'rest'"), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_recipients WHERE variant = 'B'"), ==, n_b + n_rest);

  /* The rest then gets B's message, and nobody twice. */
  g_assert_cmpuint (queue_all (f, id, 5, NOW + 5 * 3600), ==, n_rest);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox"), ==, 18);
  g_assert_cmpint (raw_int (f, "SELECT count(DISTINCT contact_id) FROM outbox"), ==, 18);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE origin = 'campaign:1:B'"
                               " AND body LIKE 'B: free shipping%'"), ==, n_b + n_rest);
  g_clear_object (&loaded);
  loaded = get_campaign (f, id);
  g_assert_cmpstr (tc_campaign_get_winner (loaded), ==, "B");
  g_assert_cmpuint (tc_campaign_get_n_intended (loaded), ==, 18);
  g_assert_cmpuint (tc_campaign_get_n_queued (loaded), ==, 18);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/campaign/validate", test_validate);
  g_test_add_func ("/tc/campaign/pick-group", test_pick_group);
  g_test_add_func ("/tc/campaign/local-time", test_local_time);

#define ADD(path, func) \
  g_test_add ("/tc/campaign/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("store", test_store);
  ADD ("split-and-once", test_split_and_once);
  ADD ("gate-reasons", test_gate_reasons);
  ADD ("schedule", test_schedule);
  ADD ("actions", test_actions);
  ADD ("finished", test_finished);
  ADD ("whatsapp-fallback", test_whatsapp_fallback);
  ADD ("message-error", test_message_error);
  ADD ("report", test_report);
  ADD ("preflight", test_preflight);
  ADD ("seed-send", test_seed_send);
  ADD ("test-portion", test_test_portion);

#undef ADD

  return g_test_run ();
}
