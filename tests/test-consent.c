/* test-consent.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The consent ledger (tc-consent-ledger.h) and inbound messages
 * (tc-inbound.h) over a temporary workspace: the fold rule, evidence,
 * append-only storage, double opt-in with confirmation and expiry, and what
 * STOP / START / YES / HELP / custom keywords do.
 */

#define G_LOG_DOMAIN "test-consent"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-contact.h"
#include "tc-inbound.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-test-util.h"

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-consent-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

static gint64
raw_query_int (const char *path,
               const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
raw_query_text (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
set_setting (TcRepository *repo,
             const char   *key,
             const char   *value)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_settings_set_async (repo, key, value, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_settings_set_finish (repo, res, &error));
  g_assert_no_error (error);
}

static TcConsentOutcome *
record (TcRepository        *repo,
        const char          *phone,
        TcChannel            channel,
        TcPurpose            purpose,
        TcConsentEventKind   kind,
        TcConsentSource      source,
        const char          *wording,
        GDateTime           *at,
        GError             **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = purpose,
    .kind = kind,
    .source = source,
    .wording = wording,
    .origin = "https://shop.example/signup",
    .occurred_at = at,
    .create_contact = TRUE,
  };

  tc_consent_ledger_record_async (repo, &request, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  return tc_consent_ledger_record_finish (repo, res, error);
}

static TcConsentOutcome *
record_ok (TcRepository        *repo,
           const char          *phone,
           TcChannel            channel,
           TcPurpose            purpose,
           TcConsentEventKind   kind,
           TcConsentSource      source,
           const char          *wording)
{
  g_autoptr(GError) error = NULL;
  TcConsentOutcome *outcome = record (repo, phone, channel, purpose, kind, source, wording,
                                      NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (outcome);
  return outcome;
}

static TcConsentReport *
report_for (TcRepository *repo,
            const char   *phone)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentReport *report;

  tc_consent_ledger_report_async (repo, 0, phone, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  report = tc_consent_ledger_report_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static TcInboundResult *
inbound (TcRepository *repo,
         TcChannel     channel,
         const char   *from,
         const char   *body,
         const char   *provider_id,
         gint64        at)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcInboundResult *result;

  tc_inbound_process_async (repo, channel, from, body, provider_id, at, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  result = tc_inbound_process_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* The fold ----------------------------------------------------------- */

static void
test_fold (void)
{
#define N TC_CONSENT_STATUS_NONE
#define P TC_CONSENT_STATUS_PENDING
#define I TC_CONSENT_STATUS_OPTED_IN
#define O TC_CONSENT_STATUS_OPTED_OUT
#define X TC_CONSENT_STATUS_EXPIRED
  /* Rows: the status before; columns: requested, confirmed, opted_in,
   * opted_out, resubscribed, blocked, expired. */
  static const TcConsentStatus table[5][7] = {
    /* none      */ { P, N, I, O, I, O, N },
    /* pending   */ { P, I, I, O, I, O, X },
    /* opted_in  */ { I, I, I, O, I, O, I },
    /* opted_out */ { P, O, I, O, I, O, O },
    /* expired   */ { P, X, I, O, I, O, X },
  };
#undef N
#undef P
#undef I
#undef O
#undef X

  for (guint before = 0; before < 5; before++)
    for (guint kind = 0; kind < 7; kind++)
      {
        g_test_message ("%s + %s", tc_consent_status_to_string (before),
                        tc_consent_event_kind_to_string (kind));
        g_assert_cmpint (tc_consent_fold (before, kind), ==, table[before][kind]);
      }

  g_assert_true (tc_consent_status_allows (TC_CONSENT_STATUS_OPTED_IN));
  for (guint s = 0; s < 5; s++)
    if (s != TC_CONSENT_STATUS_OPTED_IN)
      g_assert_false (tc_consent_status_allows (s));
}

static void
test_source_names (void)
{
  static const struct { const char *text; gboolean ok; TcConsentSource source; } cases[] = {
    { "web_form", TRUE, TC_CONSENT_SOURCE_WEB_FORM },
    { "Web Form", TRUE, TC_CONSENT_SOURCE_WEB_FORM },
    { "web-form", TRUE, TC_CONSENT_SOURCE_WEB_FORM },
    { "checkout box", TRUE, TC_CONSENT_SOURCE_CHECKOUT },
    { "QR", TRUE, TC_CONSENT_SOURCE_QR_CODE },
    { "qr code", TRUE, TC_CONSENT_SOURCE_QR_CODE },
    { "by hand", TRUE, TC_CONSENT_SOURCE_MANUAL },
    { " keyword ", TRUE, TC_CONSENT_SOURCE_KEYWORD },
    { "import", TRUE, TC_CONSENT_SOURCE_IMPORT },
    { "API", TRUE, TC_CONSENT_SOURCE_API },
    { "carrier pigeon", FALSE, 0 },
    { "", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcConsentSource source = TC_CONSENT_SOURCE_SYSTEM;

      g_assert_cmpint (tc_consent_source_from_string (cases[i].text, &source), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (source, ==, cases[i].source);
    }
}

/* The ledger ---------------------------------------------------------- */

static void
test_record_and_report (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TcConsentOutcome) in = NULL;
  g_autoptr(TcConsentOutcome) out = NULL;
  g_autoptr(TcConsentOutcome) trans = NULL;
  g_autoptr(TcConsentReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *state = NULL;
  JsonObject *root;
  JsonObject *sms_promo;
  JsonArray *events;

  in = record_ok (f->repo, "(415) 555-0142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                  TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_WEB_FORM,
                  "Yes, text me offers from Acme. Up to 4 msgs/mo. Reply STOP to cancel.");
  g_assert_true (in->contact_created);
  g_assert_cmpint (in->contact_id, >, 0);
  g_assert_cmpint (tc_consent_get_kind (in->event), ==, TC_CONSENT_EVENT_OPTED_IN);
  g_assert_cmpint (in->state.status, ==, TC_CONSENT_STATUS_OPTED_IN);
  g_assert_null (in->confirmation_text);

  /* A number given for shipping is not marketing consent: a separate pair. */
  trans = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL,
                     TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_CHECKOUT,
                     "Text me order and shipping updates");
  g_assert_false (trans->contact_created);
  g_assert_cmpint (trans->contact_id, ==, in->contact_id);

  out = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                   TC_CONSENT_EVENT_OPTED_OUT, TC_CONSENT_SOURCE_MANUAL, NULL);
  g_assert_cmpint (out->state.status, ==, TC_CONSENT_STATUS_OPTED_OUT);

  report = report_for (f->repo, "+1 415 555 0142");
  g_assert_cmpstr (report->phone, ==, "+14155550142");
  g_assert_cmpuint (report->events->len, ==, 3);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_TRANSACTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (report->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_NONE);
  g_assert_cmpstr (tc_consent_get_origin (report->events->pdata[0]), ==,
                   "https://shop.example/signup");

  json = tc_consent_report_to_json (report, FALSE);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "contact_id"), ==, in->contact_id);
  sms_promo = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (root, "status"), "sms"),
    "promotional");
  g_assert_cmpstr (json_object_get_string_member (sms_promo, "status"), ==, "opted_out");
  g_assert_cmpstr (json_object_get_string_member (sms_promo, "source"), ==, "manual");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (sms_promo, "since"), "Z"));
  events = json_object_get_array_member (root, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "wording"), ==,
                   "Yes, text me offers from Acme. Up to 4 msgs/mo. Reply STOP to cancel.");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "source"), ==, "web_form");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2),
                                                  "kind"), ==, "opted_out");

  /* The derived status is stored with the event that set it. */
  state = raw_query_text (f->path, "SELECT status FROM consent_state WHERE"
                                   " channel = 'sms' AND purpose = 'promotional'");
  g_assert_cmpstr (state, ==, "opted_out");
}

static void
test_record_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) future = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (future, 1);
  TcConsentOutcome *outcome;

  /* No wording for a web form: no proof. */
  outcome = record (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                    TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_WEB_FORM, "  \n ", NULL, &error);
  g_assert_null (outcome);
  g_assert_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "wording"));
  g_clear_error (&error);

  outcome = record (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                    TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_WEB_FORM, "Yes", tomorrow,
                    &error);
  g_assert_null (outcome);
  g_assert_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "future"));
  g_clear_error (&error);

  outcome = record (f->repo, "not a number", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                    TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_WEB_FORM, "Yes", NULL, &error);
  g_assert_null (outcome);
  g_assert_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE);
  g_assert_nonnull (strstr (error->message, "not a number"));
  g_clear_error (&error);

  /* Nothing was written by any of them. */
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM contacts"), ==, 0);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM consent_events"), ==, 0);
}

static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TcConsentOutcome) in = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  in = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                  TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_KEYWORD, NULL);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE consent_events SET wording = 'forged'", NULL, NULL,
                                 &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "never edited"));
  sqlite3_free (message);
  sqlite3_close (db);

  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM consent_events"
                                           " WHERE wording = 'forged'"), ==, 0);
}

static void
test_double_opt_in (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcConsentOutcome) asked = NULL;
  g_autoptr(TcInboundResult) yes = NULL;
  g_autoptr(TcConsentReport) report = NULL;
  g_autofree char *queued = NULL;

  set_setting (f->repo, TC_SETTING_BRAND_NAME, "Acme Shoes");
  set_setting (f->repo, "consent.double_optin.sms", "true");

  asked = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                     TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_WEB_FORM,
                     "Text me deals from Acme Shoes");
  g_assert_cmpint (tc_consent_get_kind (asked->event), ==, TC_CONSENT_EVENT_REQUESTED);
  g_assert_cmpint (tc_consent_get_method (asked->event), ==, TC_CONSENT_METHOD_DOUBLE);
  g_assert_nonnull (tc_consent_get_expires_at (asked->event));
  g_assert_cmpint (asked->state.status, ==, TC_CONSENT_STATUS_PENDING);
  g_assert_nonnull (asked->confirmation_text);
  g_assert_nonnull (strstr (asked->confirmation_text, "YES"));
  g_assert_nonnull (strstr (asked->confirmation_text, "Acme Shoes"));

  /* The confirmation waits in the outbox, once, as a compliance message. */
  queued = raw_query_text (f->path, "SELECT body FROM outbox WHERE origin = 'confirm'"
                                    " AND compliance = 1 AND state = 'queued'"
                                    " AND phone = '+14155550142'");
  g_assert_cmpstr (queued, ==, asked->confirmation_text);

  /* WhatsApp has its own setting: single opt-in there. */
  {
    g_autoptr(TcConsentOutcome) wa = record_ok (f->repo, "+14155550142", TC_CHANNEL_WHATSAPP,
                                                TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_IN,
                                                TC_CONSENT_SOURCE_WEB_FORM, "WhatsApp me deals");
    g_assert_cmpint (wa->state.status, ==, TC_CONSENT_STATUS_OPTED_IN);
  }

  yes = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "Yes!", NULL, 0);
  g_assert_cmpint (yes->action, ==, TC_INBOUND_ACTION_OPT_IN);
  g_assert_cmpuint (yes->events->len, ==, 1);
  g_assert_cmpint (tc_consent_get_kind (yes->events->pdata[0]), ==, TC_CONSENT_EVENT_CONFIRMED);
  g_assert_nonnull (yes->reply);

  report = report_for (f->repo, "+14155550142");
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM outbox"), ==, 2);
}

static void
test_double_opt_in_expires (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(TcConsentOutcome) asked = NULL;
  g_autoptr(TcInboundResult) late_yes = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentReport) report = NULL;
  gint64 expires;
  guint n_expired = 0;

  set_setting (f->repo, "consent.double_optin.sms", "true");
  set_setting (f->repo, TC_SETTING_CONFIRM_HOURS, "2");

  asked = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                     TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_QR_CODE,
                     "Scan to get texts with deals");
  expires = g_date_time_to_unix (tc_consent_get_expires_at (asked->event));
  g_assert_cmpint (expires - g_date_time_to_unix (tc_consent_get_recorded_at (asked->event)), ==,
                   2 * 3600);

  /* A YES after the time ran out confirms nothing and goes to a person. */
  late_yes = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "YES", NULL, expires + 60);
  g_assert_cmpint (late_yes->action, ==, TC_INBOUND_ACTION_OPT_IN);
  g_assert_cmpuint (late_yes->events->len, ==, 0);
  g_assert_true (late_yes->needs_review);
  g_assert_null (late_yes->reply);

  /* Nothing to expire yet at the request time; all of it after. */
  tc_consent_ledger_expire_async (f->repo, expires - 1, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_consent_ledger_expire_finish (f->repo, res, &n_expired, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_expired, ==, 0);
  g_clear_object (&res);

  tc_consent_ledger_expire_async (f->repo, expires, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_consent_ledger_expire_finish (f->repo, res, &n_expired, &error));
  g_assert_cmpuint (n_expired, ==, 1);

  report = report_for (f->repo, "+14155550142");
  g_assert_cmpuint (report->events->len, ==, 2);
  g_assert_cmpint (tc_consent_get_kind (report->events->pdata[1]), ==, TC_CONSENT_EVENT_EXPIRED);
  g_assert_cmpint (tc_consent_get_source (report->events->pdata[1]), ==, TC_CONSENT_SOURCE_SYSTEM);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_EXPIRED);
}

/* Inbound ------------------------------------------------------------- */

static void
test_inbound_stop (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcConsentOutcome) promo = NULL;
  g_autoptr(TcConsentOutcome) trans = NULL;
  g_autoptr(TcConsentOutcome) wa = NULL;
  g_autoptr(TcInboundResult) stop = NULL;
  g_autoptr(TcInboundResult) again = NULL;
  g_autoptr(TcConsentReport) report = NULL;
  g_autofree char *json = NULL;
  g_autofree char *reply = NULL;

  set_setting (f->repo, TC_SETTING_BRAND_NAME, "Acme Shoes");
  promo = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL,
                     TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_CHECKOUT, "Deals by text");
  trans = record_ok (f->repo, "+14155550142", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL,
                     TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_CHECKOUT, "Order updates");
  wa = record_ok (f->repo, "+14155550142", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL,
                  TC_CONSENT_EVENT_OPTED_IN, TC_CONSENT_SOURCE_CHECKOUT, "WhatsApp deals");

  stop = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "  Stop. ", "SM0001", 0);
  g_assert_cmpint (stop->action, ==, TC_INBOUND_ACTION_OPT_OUT);
  g_assert_cmpstr (stop->keyword, ==, "STOP");
  g_assert_false (stop->duplicate);
  /* Every purpose on that channel, at once; WhatsApp untouched. */
  g_assert_cmpuint (stop->events->len, ==, 2);
  g_assert_nonnull (stop->reply);
  g_assert_nonnull (strstr (stop->reply, "Acme Shoes"));

  report = report_for (f->repo, "+14155550142");
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_TRANSACTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (report->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (tc_consent_get_source (report->events->pdata[3]), ==, TC_CONSENT_SOURCE_KEYWORD);
  g_assert_cmpstr (tc_consent_get_wording (report->events->pdata[3]), ==, "  Stop. ");

  /* One confirmation, queued as a compliance reply. */
  reply = raw_query_text (f->path, "SELECT body FROM outbox WHERE origin = 'reply'"
                                   " AND compliance = 1 AND purpose = 'transactional'");
  g_assert_cmpstr (reply, ==, stop->reply);

  /* The provider delivers the same message again: nothing new. */
  again = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "  Stop. ", "SM0001", 0);
  g_assert_true (again->duplicate);
  g_assert_cmpint (again->action, ==, TC_INBOUND_ACTION_OPT_OUT);
  g_assert_cmpint (again->inbound_id, ==, stop->inbound_id);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM consent_events"), ==, 5);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM inbound_messages"), ==, 1);

  json = tc_inbound_result_to_json (stop);
  g_assert_true (g_str_has_prefix (json, "{\"action\":\"opt_out\",\"keyword\":\"STOP\",\"reply\":"));
}

static void
test_inbound_start_and_new_contact (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(TcInboundResult) start = NULL;
  g_autoptr(TcInboundResult) stop = NULL;
  g_autoptr(TcInboundResult) unstop = NULL;
  g_autoptr(TcConsentReport) report = NULL;

  /* Texting START to the number from a new phone: a keyword opt-in. */
  start = inbound (f->repo, TC_CHANNEL_WHATSAPP, "4915112345678", "start", "wamid.1", 0);
  g_assert_true (start->contact_created);
  g_assert_cmpint (start->action, ==, TC_INBOUND_ACTION_OPT_IN);
  g_assert_cmpuint (start->events->len, ==, 1);
  g_assert_cmpint (tc_consent_get_kind (start->events->pdata[0]), ==, TC_CONSENT_EVENT_OPTED_IN);

  stop = inbound (f->repo, TC_CHANNEL_WHATSAPP, "+49 151 12345678", "STOP", "wamid.2", 0);
  g_assert_false (stop->contact_created);
  unstop = inbound (f->repo, TC_CHANNEL_WHATSAPP, "whatsapp:+4915112345678", "UNSTOP", "wamid.3", 0);
  g_assert_cmpint (unstop->action, ==, TC_INBOUND_ACTION_OPT_IN);
  /* Both purposes were opted out by STOP: both come back. */
  g_assert_cmpuint (unstop->events->len, ==, 2);
  g_assert_cmpint (tc_consent_get_kind (unstop->events->pdata[0]), ==,
                   TC_CONSENT_EVENT_RESUBSCRIBED);

  report = report_for (f->repo, "+4915112345678");
  g_assert_cmpint (report->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM contacts WHERE country = 'DE'"
                                           " AND timezones LIKE 'Europe/Berlin%'"), ==, 1);
}

static void
test_inbound_help_and_keywords (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(TcInboundResult) help = NULL;
  g_autoptr(TcInboundResult) deals = NULL;
  g_autoptr(TcInboundResult) chat = NULL;
  g_autoptr(TcConsentReport) report = NULL;

  set_setting (f->repo, TC_SETTING_BRAND_NAME, "Acme Shoes");
  set_setting (f->repo, TC_SETTING_HELP_SUPPORT, "help@acme.example");
  set_setting (f->repo, TC_SETTING_HELP_FREQUENCY, "Up to 4 msgs/month");
  set_setting (f->repo, TC_SETTING_KEYWORDS_CUSTOM,
               "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\",\"action\":\"subscribe\","
               "  \"reply\":\"Acme Shoes: you're in for deals! Reply STOP to cancel.\"}]");

  help = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "help", NULL, 0);
  g_assert_cmpint (help->action, ==, TC_INBOUND_ACTION_HELP);
  g_assert_cmpuint (help->events->len, ==, 0);
  g_assert_nonnull (strstr (help->reply, "Acme Shoes"));
  g_assert_nonnull (strstr (help->reply, "Up to 4 msgs/month"));
  g_assert_nonnull (strstr (help->reply, "help@acme.example"));
  g_assert_nonnull (strstr (help->reply, "Msg & data rates may apply"));
  g_assert_nonnull (strstr (help->reply, "STOP"));

  deals = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "Deals!", NULL, 0);
  g_assert_cmpint (deals->action, ==, TC_INBOUND_ACTION_KEYWORD);
  g_assert_cmpstr (deals->keyword, ==, "DEALS");
  g_assert_cmpstr (deals->reply, ==, "Acme Shoes: you're in for deals! Reply STOP to cancel.");
  g_assert_cmpuint (deals->events->len, ==, 1);

  report = report_for (f->repo, "+14155550142");
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_TRANSACTIONAL].status, ==,
                   TC_CONSENT_STATUS_NONE);

  /* A conversation changes nothing and gets no automatic reply. */
  chat = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "Do you have the red ones in 42?",
                  NULL, 0);
  g_assert_cmpint (chat->action, ==, TC_INBOUND_ACTION_MESSAGE);
  g_assert_null (chat->reply);
  g_assert_cmpuint (chat->events->len, ==, 0);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM inbound_messages"), ==, 3);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM outbox"), ==, 2);
}

static void
test_inbound_language (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcInboundResult) arret = NULL;
  g_autoptr(TcInboundResult) stop = NULL;

  /* The reply is in the language of the keyword when the contact has none. */
  arret = inbound (f->repo, TC_CHANNEL_SMS, "+33612345678", "ARRÊT", NULL, 0);
  g_assert_cmpint (arret->action, ==, TC_INBOUND_ACTION_OPT_OUT);
  g_assert_nonnull (arret->reply);
  g_assert_cmpstr (arret->reply, !=, tc_settings_default_text (TC_SETTING_REPLY_OPTOUT_PREFIX, "en"));

  stop = inbound (f->repo, TC_CHANNEL_SMS, "+14155550142", "STOP", NULL, 0);
  g_assert_cmpstr (arret->reply, !=, stop->reply);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/consent/fold", test_fold);
  g_test_add_func ("/tc/consent/source-names", test_source_names);

#define ADD(name, func) \
  g_test_add ("/tc/consent/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("record-and-report", test_record_and_report);
  ADD ("record-errors", test_record_errors);
  ADD ("append-only", test_append_only);
  ADD ("double-opt-in", test_double_opt_in);
  ADD ("double-opt-in-expires", test_double_opt_in_expires);
  ADD ("inbound/stop", test_inbound_stop);
  ADD ("inbound/start-and-new-contact", test_inbound_start_and_new_contact);
  ADD ("inbound/help-and-keywords", test_inbound_help_and_keywords);
  ADD ("inbound/language", test_inbound_language);

#undef ADD

  return g_test_run ();
}
