/* test-polling.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Status and inbound polling (src/net/tc-engine.c "Status polling", the
 * outbox's poll_at in src/core/tc-outbox.c, the Twilio provider's
 * list_inbound, the simulator's polling mode): the real Twilio provider
 * against a scripted fake Twilio (SoupServer) in this process, and end to
 * end against the built-in simulator with no callback URL at all.
 */

#define G_LOG_DOMAIN "test-polling"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-engine.h"
#include "tc-inbound.h"
#include "tc-messaging.h"
#include "tc-outbox.h"
#include "tc-repository.h"
#include "tc-senders.h"
#include "tc-simulator.h"
#include "tc-soup.h"
#include "tc-test-util.h"
#include "tc-twilio.h"
#include "tc-whatsapp-cloud.h"

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"
#define AUTH_TOKEN  "f7c2e9a1b4d3c6e8a0b9d2f1e3c4a5b6"
#define SERVICE_SID "MG0123456789abcdef0123456789abcdef"
#define OUR_NUMBER  "+14155550000"
#define PHONE_ID    "106540352242922"
#define PREFIX      "/2010-04-01/Accounts/" ACCOUNT_SID
#define FAST_SCALE  0.001

/* ------------------------------------------------------------------------
 * A scripted fake Twilio
 */

typedef struct
{
  /* script: statuses in order ("failed:30008" carries a code); the last repeats */
  char              *to;
  const char *const *script;
  guint              next;
  guint              gets;
} FakeMessage;

typedef struct
{
  SoupServer *server;
  char       *base_url;
  GHashTable *scripts;  /* To → const char *const * */
  GHashTable *messages; /* sid → FakeMessage */
  guint       n_created;
  guint       n_with_callback; /* create requests that carried a StatusCallback */
  guint       n_gets;
  GHashTable *created_to; /* To → count */
  GPtrArray  *inbound;    /* JSON objects (text) of inbound messages, newest first, one a page */
  guint       n_lists;
  GPtrArray  *list_queries; /* the query of each list request */
} FakeTwilio;

static const char *const script_delivered[] = { "delivered", NULL };

static void
fake_message_free (FakeMessage *message)
{
  g_free (message->to);
  g_free (message);
}

static char *
rfc2822_now (gint64 offset)
{
  g_autoptr(GDateTime) now =
    g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + offset);

  return g_date_time_format (now, "%a, %d %b %Y %H:%M:%S +0000");
}

static void
respond (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
fake_create (FakeTwilio *twilio, SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autofree char *form_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (form_text);
  const char      *to = g_hash_table_lookup (form, "To");
  FakeMessage     *message;
  g_autofree char *sid = NULL;
  g_autofree char *answer = NULL;

  if (g_hash_table_lookup (form, "StatusCallback") != NULL)
    twilio->n_with_callback++;

  message = g_new0 (FakeMessage, 1);
  message->to = g_strdup (to);
  message->script = g_hash_table_lookup (twilio->scripts, to);
  if (message->script == NULL)
    message->script = script_delivered;
  sid = g_strdup_printf ("SM%032x", ++twilio->n_created);
  g_hash_table_insert (twilio->messages, g_strdup (sid), message);
  g_hash_table_replace (
    twilio->created_to, g_strdup (to),
    GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (twilio->created_to, to)) + 1));

  answer = g_strdup_printf ("{\"sid\":\"%s\",\"status\":\"queued\",\"to\":\"%s\"}", sid, to);
  respond (msg, 201, answer);
}

static void
fake_fetch (FakeTwilio *twilio, SoupServerMessage *msg, const char *sid)
{
  FakeMessage *message = g_hash_table_lookup (twilio->messages, sid);
  g_auto(GStrv) parts = NULL;
  g_autofree char *date = rfc2822_now (0);
  g_autofree char *answer = NULL;
  guint            n = 0;

  twilio->n_gets++;
  if (message == NULL)
    {
      respond (
        msg, 404,
        "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
      return;
    }

  while (message->script[n] != NULL)
    n++;
  parts = g_strsplit (message->script[MIN (message->next, n - 1)], ":", 2);
  message->next++;
  message->gets++;

  answer = g_strdup_printf (
    "{\"sid\":\"%s\",\"status\":\"%s\",\"to\":\"%s\",\"direction\":\"outbound-api\","
    "\"date_updated\":\"%s\",\"date_sent\":\"%s\",\"error_code\":%s,"
    "\"price\":\"-0.00790\",\"price_unit\":\"USD\"}",
    sid, parts[0], message->to, date, date, parts[1] != NULL ? parts[1] : "null");
  respond (msg, 200, answer);
}

static void
fake_list (FakeTwilio *twilio, SoupServerMessage *msg, GHashTable *query)
{
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "Page") : NULL;
  guint       page = page_text != NULL ? (guint)g_ascii_strtoull (page_text, NULL, 10) : 0;
  g_autoptr(GString) answer = g_string_new ("{\"messages\":[");
  g_autoptr(GString) query_text = g_string_new (NULL);
  const char *to = query != NULL ? g_hash_table_lookup (query, "To") : NULL;
  const char *since = query != NULL ? g_hash_table_lookup (query, "DateSent>") : NULL;

  twilio->n_lists++;
  g_string_append_printf (query_text, "To=%s DateSent>=%s Page=%u", to != NULL ? to : "(none)",
                          since != NULL ? since : "(none)", page);
  g_ptr_array_add (twilio->list_queries, g_string_free (g_steal_pointer (&query_text), FALSE));

  /* One message a page, so that paging is exercised. */
  if (page < twilio->inbound->len)
    g_string_append (answer, g_ptr_array_index (twilio->inbound, page));
  g_string_append (answer, "],");
  /* As Twilio's: the same filters, the next page. */
  if (page + 1 < twilio->inbound->len)
    {
      g_autofree char *to_escaped = g_uri_escape_string (to != NULL ? to : "", NULL, FALSE);
      g_autofree char *since_escaped =
        g_uri_escape_string (since != NULL ? since : "", NULL, FALSE);

      g_string_append_printf (answer,
                              "\"next_page_uri\":\"" PREFIX "/Messages.json?To=%s&DateSent%%3E=%s"
                              "&PageSize=1&Page=%u\"",
                              to_escaped, since_escaped, page + 1);
    }
  else
    g_string_append (answer, "\"next_page_uri\":null");
  g_string_append_printf (answer, ",\"page\":%u,\"page_size\":1}", page);
  respond (msg, 200, answer->str);
}

static void
fake_twilio_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FakeTwilio *twilio = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (strcmp (path, PREFIX "/Messages.json") == 0 && strcmp (method, "POST") == 0)
    fake_create (twilio, msg);
  else if (strcmp (path, PREFIX "/Messages.json") == 0 && strcmp (method, "GET") == 0)
    fake_list (twilio, msg, query);
  else if (g_str_has_prefix (path, PREFIX "/Messages/") && g_str_has_suffix (path, ".json") &&
           strcmp (method, "GET") == 0)
    {
      const char      *start = path + strlen (PREFIX "/Messages/");
      g_autofree char *sid = g_strndup (start, strlen (start) - strlen (".json"));

      fake_fetch (twilio, msg, sid);
    }
  else
    respond (msg, 404, "{\"code\":20404,\"message\":\"Not found\",\"status\":404}");
}

static FakeTwilio *
fake_twilio_new (void)
{
  FakeTwilio *twilio = g_new0 (FakeTwilio, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  twilio->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  twilio->messages =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)fake_message_free);
  twilio->created_to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  twilio->inbound = g_ptr_array_new_with_free_func (g_free);
  twilio->list_queries = g_ptr_array_new_with_free_func (g_free);
  twilio->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (twilio->server, NULL, fake_twilio_cb, twilio, NULL);
  soup_server_listen_local (twilio->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (twilio->server);
  twilio->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return twilio;
}

static void
fake_twilio_free (FakeTwilio *twilio)
{
  soup_server_disconnect (twilio->server);
  g_object_unref (twilio->server);
  g_free (twilio->base_url);
  g_hash_table_unref (twilio->scripts);
  g_hash_table_unref (twilio->messages);
  g_hash_table_unref (twilio->created_to);
  g_ptr_array_unref (twilio->inbound);
  g_ptr_array_unref (twilio->list_queries);
  g_free (twilio);
}

static guint
fake_gets_to (FakeTwilio *twilio, const char *to)
{
  GHashTableIter iter;
  FakeMessage   *message;
  guint          gets = 0;

  g_hash_table_iter_init (&iter, twilio->messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&message))
    if (strcmp (message->to, to) == 0)
      gets += message->gets;

  return gets;
}

/* ------------------------------------------------------------------------
 * Fixture and helpers
 */

typedef struct
{
  TcTestRepo   repo;
  SoupSession *session;
  FakeTwilio  *twilio;
  TcProvider  *provider;
  TcEngine    *engine;
} Fixture;

static TcEngine *
engine_new (Fixture *f, double scale)
{
  TcEngine *engine = tc_engine_new (f->repo.repo);

  g_object_set (engine, "backoff-base-ms", 1, "poll-interval-ms", 50, "status-poll-scale", scale,
                "inbound-poll-interval-ms", 100, NULL);
  tc_engine_set_provider (engine, TC_CHANNEL_SMS, f->provider);
  tc_engine_set_provider (engine, TC_CHANNEL_WHATSAPP, f->provider);
  tc_engine_set_default_sender (engine, TC_CHANNEL_SMS, OUR_NUMBER);
  tc_engine_set_default_sender (engine, TC_CHANNEL_WHATSAPP, OUR_NUMBER);

  return engine;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  tc_test_repo_set_up (&f->repo, "tc-polling-XXXXXX", "polling.db");
  f->session = tc_soup_session_new ();
  f->twilio = fake_twilio_new ();
  f->provider =
    TC_PROVIDER (tc_twilio_provider_new (f->session, f->twilio->base_url, ACCOUNT_SID, AUTH_TOKEN));
  f->engine = engine_new (f, FAST_SCALE);
}

static void
stop_engine (TcEngine *engine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_engine_stop_async (engine, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_engine_stop_finish (engine, result, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->engine != NULL)
    {
      stop_engine (f->engine);
      tc_test_drain_main_context ();
      g_assert_finalize_object (f->engine);
    }
  g_clear_object (&f->provider);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  tc_test_drain_main_context ();
  fake_twilio_free (f->twilio);
  tc_test_repo_tear_down (&f->repo);
}

static gboolean
on_deadline_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @cond holds, failing after @seconds. */
#define RUN_UNTIL(cond, seconds)                                                   \
  G_STMT_START                                                                     \
  {                                                                                \
    gboolean timed_out_ = FALSE;                                                   \
    guint    id_ = g_timeout_add_seconds ((seconds), on_deadline_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                                 \
      g_main_context_iteration (NULL, TRUE);                                       \
    if (!timed_out_)                                                               \
      g_source_remove (id_);                                                       \
    if (timed_out_)                                                                \
      g_error ("timed out waiting for %s", #cond);                                 \
  }                                                                                \
  G_STMT_END

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_deadline_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The first column of the first row; -1 without a row or for NULL. */
static gint64
raw_int (Fixture *f, const char *sql)
{
  g_autofree char *text = tc_test_sql_text (f->repo.path, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static void
raw_exec (Fixture *f, const char *sql)
{
  tc_test_sql_exec (f->repo.path, sql);
}

/* poll_at of row @id: -1 when NULL. */
static gint64
poll_at (Fixture *f, gint64 id)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT poll_at FROM outbox WHERE id = %" G_GINT64_FORMAT, id);

  return raw_int (f, sql);
}

static gint64
polls (Fixture *f, gint64 id)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT polls FROM outbox WHERE id = %" G_GINT64_FORMAT, id);

  return raw_int (f, sql);
}

static TcOutboxEntry *
get_entry (Fixture *f, gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcOutboxEntry *entry;

  tc_outbox_get_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_get_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);

  return entry;
}

static TcOutboxState
state_of (Fixture *f, gint64 id)
{
  g_autoptr(TcOutboxEntry) entry = get_entry (f, id);

  return entry->state;
}

static gint64
opt_in (Fixture *f, const char *phone, TcChannel channel)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .kind = TC_CONSENT_EVENT_OPTED_IN,
    .source = TC_CONSENT_SOURCE_IMPORT,
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb,
                                  &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome->state.status, ==, TC_CONSENT_STATUS_OPTED_IN);

  return outcome->contact_id;
}

/* A promotional message to @phone on @channel (opted in first), due now. */
static gint64
enqueue (Fixture *f, const char *phone, TcChannel channel, const char *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;
  gint64      contact_id = opt_in (f, phone, channel);
  TcOutboxRow row = {
    .idem_key = key,
    .origin = "test",
    .contact_id = contact_id,
    .phone = phone,
    .channel = channel,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .body = "Hello from the polling test",
    .due_at = g_get_real_time () / G_USEC_PER_SEC,
  };

  tc_outbox_enqueue_async (f->repo.repo, &row, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_enqueue_finish (f->repo.repo, result, NULL, &error);
  g_assert_no_error (error);

  return entry->id;
}

static void
script (Fixture *f, const char *to, const char *const *statuses)
{
  g_hash_table_replace (f->twilio->scripts, g_strdup (to), (gpointer)statuses);
}

/* ------------------------------------------------------------------------
 * The schedule
 */

static void
test_schedule (void)
{
  static const struct
  {
    guint  polls;
    gint64 now; /* seconds after the send */
    double scale;
    gint64 give_up;
    gint64 expected; /* seconds after the send; -1 = stop */
  } cases[] = {
    { 0, 0, 1.0, 172800, 5 },
    { 1, 5, 1.0, 172800, 5 + 15 },
    { 2, 20, 1.0, 172800, 20 + 30 },
    { 3, 50, 1.0, 172800, 50 + 60 },
    { 4, 110, 1.0, 172800, 110 + 120 },
    { 5, 230, 1.0, 172800, 230 + 300 },
    { 6, 530, 1.0, 172800, 530 + 900 },
    { 7, 1430, 1.0, 172800, 1430 + 3600 },
    { 8, 5030, 1.0, 172800, 5030 + 21600 },
    { 9, 26630, 1.0, 172800, 26630 + 21600 },
    { 40, 100000, 1.0, 172800, 100000 + 21600 },
    /* The last poll is at the give-up time; then it stops. */
    { 12, 160000, 1.0, 172800, 172800 },
    { 13, 172800, 1.0, 172800, -1 },
    { 14, 200000, 1.0, 172800, -1 },
    /* Scaled for tests. */
    { 0, 0, 0.1, 172800, 0 },
    { 1, 0, 0.1, 172800, 1 },
    { 2, 1, 0.1, 2, 2 },
    { 3, 2, 0.1, 2, -1 },
    { 0, 0, 1.0, 0, -1 },
  };
  const gint64 sent = 1700000000;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 next = tc_engine_status_poll_next (sent, cases[i].polls, sent + cases[i].now,
                                                cases[i].scale, cases[i].give_up);

      g_test_message ("case %u: %u polls, %" G_GINT64_FORMAT " s", i, cases[i].polls, cases[i].now);
      g_assert_cmpint (next, ==, cases[i].expected < 0 ? 0 : sent + cases[i].expected);
    }
}

/* ------------------------------------------------------------------------
 * Status polling against the fake Twilio
 */

static const char *const script_sent_then_delivered[] = { "queued", "sent", "delivered", NULL };
static const char *const script_failed[] = { "failed:30008", NULL };
static const char *const script_undelivered[] = { "sent", "undelivered:30003", NULL };
static const char *const script_stuck[] = { "sent", NULL };

static gboolean
is_final (TcOutboxState state)
{
  return state == TC_OUTBOX_DELIVERED || state == TC_OUTBOX_UNDELIVERED ||
         state == TC_OUTBOX_FAILED || state == TC_OUTBOX_READ;
}

/* sent → delivered through polls alone; a final status ends the polls. */
static void
test_delivered (Fixture *f, gconstpointer data)
{
  gint64 id;
  g_autoptr(TcOutboxEntry) entry = NULL;
  guint gets;

  script (f, "+14155550101", script_sent_then_delivered);
  id = enqueue (f, "+14155550101", TC_CHANNEL_SMS, "d1");
  tc_engine_start (f->engine);

  RUN_UNTIL (state_of (f, id) == TC_OUTBOX_DELIVERED, 20);
  RUN_UNTIL (poll_at (f, id) == -1, 5);
  gets = fake_gets_to (f->twilio, "+14155550101");
  g_assert_cmpuint (gets, ==, 3);
  g_assert_cmpint (polls (f, id), ==, 3);

  /* Final: no more asking. */
  run_for (500);
  g_assert_cmpuint (fake_gets_to (f->twilio, "+14155550101"), ==, gets);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->delivered_at, >, 0);
  g_assert_cmpuint (f->twilio->n_created, ==, 1);
  g_assert_cmpuint (f->twilio->n_with_callback, ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox_events WHERE state = 'delivered'"), ==,
                   1);
  g_assert_cmpint (raw_int (f, "SELECT CAST (round (price * 100000) AS INTEGER) FROM outbox"), ==,
                   790);
  g_assert_cmpuint (tc_engine_get_n_in_flight (f->engine), ==, 0);
  {
    guint n_polls = 0;

    g_object_get (f->engine, "n-polls", &n_polls, NULL);
    g_assert_cmpuint (n_polls, ==, 3);
  }
}

/* failed and undelivered end the polls with their error codes. */
static void
test_failed (Fixture *f, gconstpointer data)
{
  gint64 failed, undelivered;
  g_autoptr(TcOutboxEntry) e_failed = NULL;
  g_autoptr(TcOutboxEntry) e_undelivered = NULL;

  script (f, "+14155550102", script_failed);
  script (f, "+14155550103", script_undelivered);
  failed = enqueue (f, "+14155550102", TC_CHANNEL_SMS, "f1");
  undelivered = enqueue (f, "+14155550103", TC_CHANNEL_SMS, "f2");
  tc_engine_start (f->engine);

  RUN_UNTIL (is_final (state_of (f, failed)) && is_final (state_of (f, undelivered)) &&
               poll_at (f, failed) == -1 && poll_at (f, undelivered) == -1,
             20);

  e_failed = get_entry (f, failed);
  e_undelivered = get_entry (f, undelivered);
  g_assert_cmpint (e_failed->state, ==, TC_OUTBOX_FAILED);
  g_assert_cmpstr (e_failed->error_code, ==, "30008");
  g_assert_cmpstr (e_failed->reason, !=, "");
  g_assert_cmpint (e_undelivered->state, ==, TC_OUTBOX_UNDELIVERED);
  g_assert_cmpstr (e_undelivered->error_code, ==, "30003");
  g_assert_cmpint (polls (f, failed), ==, 1);
  g_assert_cmpint (polls (f, undelivered), ==, 2);
  run_for (300);
  g_assert_cmpuint (fake_gets_to (f->twilio, "+14155550102"), ==, 1);
  g_assert_cmpuint (fake_gets_to (f->twilio, "+14155550103"), ==, 2);
}

/* A status that never becomes final: polling stops at the give-up time
 * and the row stays "sent". */
static void
test_gives_up (Fixture *f, gconstpointer data)
{
  gint64 id;
  guint  gets;

  g_object_set (f->engine, "status-poll-scale", 0.1, "status-poll-give-up-s", 2, NULL);
  script (f, "+14155550104", script_stuck);
  id = enqueue (f, "+14155550104", TC_CHANNEL_SMS, "g1");
  tc_engine_start (f->engine);

  RUN_UNTIL (state_of (f, id) == TC_OUTBOX_SENT, 10);
  g_assert_cmpint (poll_at (f, id), >, 0);
  RUN_UNTIL (poll_at (f, id) == -1 && fake_gets_to (f->twilio, "+14155550104") > 0, 15);

  g_assert_cmpint (state_of (f, id), ==, TC_OUTBOX_SENT);
  gets = fake_gets_to (f->twilio, "+14155550104");
  g_assert_cmpuint (gets, >=, 2);
  g_assert_cmpint (polls (f, id), ==, gets);
  run_for (1500);
  g_assert_cmpuint (fake_gets_to (f->twilio, "+14155550104"), ==, gets);
}

/* poll_at is stored: a new engine on the same database goes on polling
 * what the first one sent. */
static void
test_restart (Fixture *f, gconstpointer data)
{
  gint64 id;

  /* The first engine's schedule is the real one: its first poll would be
   * 5 s away, and it is stopped long before. */
  g_object_set (f->engine, "status-poll-scale", 1.0, NULL);
  script (f, "+14155550105", script_sent_then_delivered);
  id = enqueue (f, "+14155550105", TC_CHANNEL_SMS, "r1");
  tc_engine_start (f->engine);
  RUN_UNTIL (state_of (f, id) == TC_OUTBOX_SENT, 10);
  g_assert_cmpint (poll_at (f, id), >=, g_get_real_time () / G_USEC_PER_SEC + 1);
  stop_engine (f->engine);
  tc_test_drain_main_context ();
  g_assert_finalize_object (f->engine);
  g_assert_cmpuint (f->twilio->n_gets, ==, 0);

  /* Time passes: the poll is due. */
  raw_exec (f, "UPDATE outbox SET poll_at = strftime ('%s', 'now') - 1");
  f->engine = engine_new (f, FAST_SCALE);
  tc_engine_start (f->engine);
  RUN_UNTIL (state_of (f, id) == TC_OUTBOX_DELIVERED && poll_at (f, id) == -1, 20);
  g_assert_cmpuint (fake_gets_to (f->twilio, "+14155550105"), ==, 3);
  g_assert_cmpuint (f->twilio->n_created, ==, 1);
}

static void
apply_status (TcEngine *engine, const char *provider_id, TcDeliveryState state)
{
  g_autoptr(GPtrArray) statuses =
    g_ptr_array_new_with_free_func ((GDestroyNotify)tc_status_update_free);
  TcStatusUpdate *update = g_new0 (TcStatusUpdate, 1);

  update->provider_id = g_strdup (provider_id);
  update->state = state;
  g_ptr_array_add (statuses, update);
  tc_engine_apply_statuses (engine, statuses);
}

/* A webhook status that is final clears poll_at; one that is not keeps it.
 * WhatsApp through Twilio may still be read after delivered. */
static void
test_webhook_clears (Fixture *f, gconstpointer data)
{
  gint64 sms, whatsapp;
  g_autoptr(TcOutboxEntry) e_sms = NULL;
  g_autoptr(TcOutboxEntry) e_whatsapp = NULL;

  g_object_set (f->engine, "status-poll-scale", 1.0, NULL);
  sms = enqueue (f, "+14155550106", TC_CHANNEL_SMS, "w1");
  whatsapp = enqueue (f, "+14155550107", TC_CHANNEL_WHATSAPP, "w2");
  tc_engine_start (f->engine);
  RUN_UNTIL (state_of (f, sms) == TC_OUTBOX_SENT && state_of (f, whatsapp) == TC_OUTBOX_SENT, 10);
  g_assert_cmpint (poll_at (f, sms), >, 0);
  g_assert_cmpint (poll_at (f, whatsapp), >, 0);
  e_sms = get_entry (f, sms);
  e_whatsapp = get_entry (f, whatsapp);

  apply_status (f->engine, e_sms->provider_id, TC_DELIVERY_SENT);
  apply_status (f->engine, e_whatsapp->provider_id, TC_DELIVERY_DELIVERED);
  run_for (300);
  g_assert_cmpint (poll_at (f, sms), >, 0);
  g_assert_cmpint (state_of (f, whatsapp), ==, TC_OUTBOX_DELIVERED);
  g_assert_cmpint (poll_at (f, whatsapp), >, 0);

  apply_status (f->engine, e_sms->provider_id, TC_DELIVERY_DELIVERED);
  apply_status (f->engine, e_whatsapp->provider_id, TC_DELIVERY_READ);
  RUN_UNTIL (poll_at (f, sms) == -1 && poll_at (f, whatsapp) == -1, 5);
  g_assert_cmpint (state_of (f, sms), ==, TC_OUTBOX_DELIVERED);
  g_assert_cmpint (state_of (f, whatsapp), ==, TC_OUTBOX_READ);
  g_assert_cmpuint (f->twilio->n_gets, ==, 0);
}

/* With a callback URL, nothing is polled. */
static void
test_callback_no_polls (Fixture *f, gconstpointer data)
{
  gint64 id;

  tc_engine_set_status_callback (f->engine, TC_CHANNEL_SMS, "https://example.com/webhooks/twilio");
  tc_engine_set_status_callback (f->engine, TC_CHANNEL_WHATSAPP,
                                 "https://example.com/webhooks/twilio");
  id = enqueue (f, "+14155550108", TC_CHANNEL_SMS, "c1");
  tc_engine_start (f->engine);
  RUN_UNTIL (state_of (f, id) == TC_OUTBOX_SENT, 10);
  run_for (400);
  g_assert_cmpint (poll_at (f, id), ==, -1);
  g_assert_cmpuint (f->twilio->n_gets, ==, 0);
  g_assert_cmpuint (f->twilio->n_lists, ==, 0);
  g_assert_cmpuint (f->twilio->n_with_callback, ==, 1);
}

/* ------------------------------------------------------------------------
 * Inbound polling
 */

static char *
inbound_json (const char *sid, const char *from, const char *body, gint64 offset)
{
  g_autofree char *date = rfc2822_now (offset);

  return g_strdup_printf ("{\"sid\":\"%s\",\"direction\":\"inbound\",\"status\":\"received\","
                          "\"from\":\"%s\",\"to\":\"" OUR_NUMBER
                          "\",\"body\":\"%s\",\"num_media\":\"0\","
                          "\"date_created\":\"%s\",\"date_sent\":\"%s\"}",
                          sid, from, body, date, date);
}

/* A STOP listed on every poll (on the second page) is handled exactly
 * once: one opt-out, one reply sent. An outbound message in the list is
 * not taken for an inbound one. */
static void
on_inbound_cb (TcEngine   *engine,
               gint64      contact_id,
               gint64      inbound_id,
               const char *action,
               GPtrArray  *reported)
{
  g_assert_cmpint (contact_id, >, 0);
  g_assert_cmpint (inbound_id, >, 0);
  g_ptr_array_add (reported, g_strdup (action));
}

static void
test_inbound (Fixture *f, gconstpointer data)
{
  const char *contact = "+14155550130";
  g_autoptr(GPtrArray) reported = g_ptr_array_new_with_free_func (g_free);

  /* Newest first, one a page: the STOP (the newest, so listed again by
   * every later poll: the cursor is its own time), an outbound message,
   * a question from someone else. */
  opt_in (f, contact, TC_CHANNEL_SMS);
  g_ptr_array_add (f->twilio->inbound,
                   inbound_json ("SMin000000000000000000000000000002", contact, "STOP", 0));
  g_ptr_array_add (
    f->twilio->inbound,
    g_strdup ("{\"sid\":\"SMout00000000000000000000000000001\",\"direction\":\"outbound-api\","
              "\"status\":\"delivered\",\"from\":\"" OUR_NUMBER "\",\"to\":\"+14155550132\","
              "\"body\":\"STOP\",\"date_sent\":null}"));
  g_ptr_array_add (f->twilio->inbound, inbound_json ("SMin000000000000000000000000000001",
                                                     "+14155550131", "What time do you open?", -5));

  /* SMS only here, so that every list is for our SMS number. */
  tc_engine_set_provider (f->engine, TC_CHANNEL_WHATSAPP, NULL);
  g_signal_connect (f->engine, "inbound", G_CALLBACK (on_inbound_cb), reported);
  tc_engine_start (f->engine);
  RUN_UNTIL (
    raw_int (
      f, "SELECT count(*) FROM outbox WHERE compliance = 1 AND state IN ('sent', 'delivered')") ==
      1,
    20);
  /* At least two more polls list the STOP again. */
  {
    guint lists = f->twilio->n_lists;

    RUN_UNTIL (f->twilio->n_lists >= lists + 4, 20);
  }
  run_for (300);

  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM inbound_messages"), ==, 2);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM inbound_messages WHERE provider_id = "
                               "'SMin000000000000000000000000000002' AND action = 'opt_out'"),
                   ==, 1);
  /* Each message reported once, however often it was listed. */
  g_signal_handlers_disconnect_by_func (f->engine, on_inbound_cb, reported);
  g_assert_cmpuint (reported->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (reported, "opt_out", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (reported, "message", g_str_equal, NULL));
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE compliance = 1"), ==, 1);
  g_assert_cmpint (
    raw_int (f,
             "SELECT count(*) FROM consent_state WHERE status = 'opted_out' AND channel = 'sms'"),
    ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (f->twilio->created_to, contact)), ==, 1);
  g_assert_null (g_hash_table_lookup (f->twilio->created_to, "+14155550131"));

  /* Every page was asked for, To our number, by day. */
  g_assert_true (g_ptr_array_find_with_equal_func (
    f->twilio->list_queries, "To=" OUR_NUMBER " DateSent>=", (GEqualFunc)g_str_has_prefix, NULL));
  {
    gboolean page2 = FALSE;

    for (guint i = 0; i < f->twilio->list_queries->len; i++)
      {
        const char *query = g_ptr_array_index (f->twilio->list_queries, i);

        g_assert_true (g_str_has_prefix (query, "To=" OUR_NUMBER " DateSent>=20"));
        page2 |= g_str_has_suffix (query, "Page=2");
      }
    g_assert_true (page2);
  }
}

/* tc_inbound_process handles a repeated provider id as a no-op: no second
 * opt-out, no second reply. */
static void
test_inbound_duplicate (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TcInboundResult) processed = NULL;

      tc_inbound_process_async (f->repo.repo, TC_CHANNEL_SMS, "+14155550140", "STOP", "SMdup1", 0,
                                NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      processed = tc_inbound_process_finish (f->repo.repo, result, &error);
      g_assert_no_error (error);
      g_assert_cmpint (processed->duplicate, ==, i == 1);
      if (i == 0)
        g_assert_nonnull (processed->reply);
      else
        g_assert_null (processed->reply);
    }
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM inbound_messages"), ==, 1);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox"), ==, 1);
}

/* ------------------------------------------------------------------------
 * Against the simulator
 */

typedef struct
{
  TcTestRepo   repo;
  SoupSession *session;
  TcSimulator *simulator;
} SimFixture;

static void
sim_stop (TcSimulator *simulator)
{
  GObject *weak = G_OBJECT (simulator);

  tc_simulator_stop (simulator);
  g_object_add_weak_pointer (weak, (gpointer *)&weak);
  g_object_unref (simulator);
  RUN_UNTIL (weak == NULL, 20);
}

/* The simulator behaves as Twilio does without callbacks: GET answers the
 * status on its clock, and replies are listed as inbound messages, with
 * and without To (a Messaging Service). */
static void
test_simulator_polling (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  TcSimulatorConfig config;
  TcSimulator      *simulator;
  TcOutboundMessage message = {
    .channel = TC_CHANNEL_SMS,
    .from = OUR_NUMBER,
    .to = "+14155550150",
    .body = "Hello",
  };
  g_autofree char *sid = NULL;
  TcDeliveryState  state = TC_DELIVERY_QUEUED;
  g_autoptr(GPtrArray) inbound = NULL;
  g_autoptr(GPtrArray) all = NULL;

  tc_simulator_config_init (&config);
  config.seed = 11;
  config.delivered_ratio = 1.0;
  config.failed_ratio = 0.0;
  config.reply_ratio = 1.0;
  config.status_delay_ms = 20;
  config.keep_replies = TRUE;
  simulator = tc_simulator_new (&config);
  g_assert_true (tc_simulator_listen (simulator, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  provider = TC_PROVIDER (tc_twilio_provider_new (session, tc_simulator_get_base_url (simulator),
                                                  ACCOUNT_SID, AUTH_TOKEN));
  g_assert_cmpint (tc_provider_get_polling (provider), ==,
                   TC_PROVIDER_POLLING_STATUS | TC_PROVIDER_POLLING_INBOUND);

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TcSendFailure) failure = NULL;
    g_autoptr(TcSendReceipt) receipt = NULL;

    tc_provider_send_async (provider, &message, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    receipt = tc_provider_send_finish (provider, result, &failure);
    g_assert_nonnull (receipt);
    sid = g_strdup (receipt->provider_id);
  }

  /* Asked again and again, the status moves forward to delivered. */
  for (guint i = 0; state != TC_DELIVERY_DELIVERED; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) fetch_error = NULL;
      TcStatusUpdate *update;
      TcDeliveryState before = state;

      g_assert_cmpuint (i, <, 1000);
      run_for (10);
      tc_provider_fetch_status_async (provider, sid, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      update = tc_provider_fetch_status_finish (provider, result, &fetch_error);
      g_assert_no_error (fetch_error);
      g_assert_cmpstr (update->provider_id, ==, sid);
      state = update->state;
      g_assert_cmpint (state, >=, before);
      tc_status_update_free (update);
    }

  /* The reply comes after the delivery, and is listed, not posted. */
  RUN_UNTIL (tc_simulator_get_n_replies (simulator) == 1, 10);
  {
    g_autoptr(GAsyncResult) result = NULL;

    tc_provider_list_inbound_async (provider, TC_CHANNEL_SMS, OUR_NUMBER,
                                    g_get_real_time () / G_USEC_PER_SEC - 60, NULL,
                                    tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    inbound = tc_provider_list_inbound_finish (provider, result, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (inbound->len, ==, 1);
  {
    TcInboundMessage *reply = g_ptr_array_index (inbound, 0);

    g_assert_cmpstr (reply->from, ==, "+14155550150");
    g_assert_cmpstr (reply->to, ==, OUR_NUMBER);
    g_assert_cmpint (reply->channel, ==, TC_CHANNEL_SMS);
    g_assert_true (g_str_has_prefix (reply->provider_id, "SM"));
    g_assert_cmpstr (reply->provider_id, !=, sid);
    g_assert_cmpstr (reply->body, !=, "");
    g_assert_cmpint (reply->at, >, 0);
  }

  /* A Messaging Service lists without To; only inbound messages come back. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    tc_provider_list_inbound_async (provider, TC_CHANNEL_SMS, SERVICE_SID, 0, NULL,
                                    tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    all = tc_provider_list_inbound_finish (provider, result, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((TcInboundMessage *)g_ptr_array_index (all, 0))->provider_id, ==,
                   ((TcInboundMessage *)g_ptr_array_index (inbound, 0))->provider_id);

  /* Nothing newer than now. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) none = NULL;

    tc_provider_list_inbound_async (provider, TC_CHANNEL_SMS, OUR_NUMBER,
                                    g_get_real_time () / G_USEC_PER_SEC + 60, NULL,
                                    tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    none = tc_provider_list_inbound_finish (provider, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }

  g_clear_object (&provider);
  soup_session_abort (session);
  sim_stop (simulator);
}

static void
sim_fixture_set_up (SimFixture *f, gconstpointer data)
{
  tc_test_repo_set_up (&f->repo, "tc-polling-sim-XXXXXX", "polling.db");
  f->session = tc_soup_session_new ();
}

static void
sim_fixture_tear_down (SimFixture *f, gconstpointer data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  if (f->simulator != NULL)
    sim_stop (g_steal_pointer (&f->simulator));
  tc_test_drain_main_context ();
  tc_test_repo_tear_down (&f->repo);
}

/* The real Twilio provider, the engine and the simulator, with no
 * callback URL anywhere: 50 messages reach delivered / undelivered /
 * failed by polling alone, and every reply the simulator made is
 * recorded once. */
static void
test_simulator_end_to_end (SimFixture *f, gconstpointer data)
{
  g_autoptr(TcProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  TcSimulatorConfig config;
  TcEngine         *engine;
  Fixture           helper = { 0 };
  guint             n_polls = 0;

  tc_simulator_config_init (&config);
  config.seed = 20261124;
  config.delivered_ratio = 0.8;
  config.failed_ratio = 0.1;
  config.reply_ratio = 0.3;
  config.status_delay_ms = 30;
  config.keep_replies = TRUE;
  f->simulator = tc_simulator_new (&config);
  g_assert_true (tc_simulator_listen (f->simulator, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  provider = TC_PROVIDER (tc_twilio_provider_new (
    f->session, tc_simulator_get_base_url (f->simulator), ACCOUNT_SID, AUTH_TOKEN));

  helper.repo = f->repo;
  helper.provider = provider;
  /* No rate limit on our number (a long code's default is one a second). */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TcSender) sender =
      tc_sender_new (OUR_NUMBER, TC_SENDER_TYPE_LONG_CODE, TC_SENDER_USE_BOTH);

    sender->mps = 0;
    tc_senders_save_async (f->repo.repo, sender, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_true (tc_senders_save_finish (f->repo.repo, result, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+141555502%02u", i);
      g_autofree char *key = g_strdup_printf ("e2e-%u", i);

      enqueue (&helper, phone, TC_CHANNEL_SMS, key);
    }

  /* The schedule is in whole seconds: at 0.01 its later steps are 36 s and 216 s, which a
   * sanitizer build on a busy machine reached; at 0.001 they are 3 s and 21 s. */
  engine = engine_new (&helper, FAST_SCALE);
  tc_engine_start (engine);
  RUN_UNTIL (raw_int (&helper, "SELECT count(*) FROM outbox WHERE origin = 'test'"
                               " AND state IN ('delivered', 'undelivered', 'failed')") == 50,
             /* A guard against hanging, not a timing: the sanitizer build on a busy
              * machine has taken 80 s here. */
             240);
  RUN_UNTIL (
    raw_int (&helper,
             "SELECT count(*) FROM outbox WHERE origin = 'test' AND poll_at IS NOT NULL") == 0,
    10);
  g_assert_cmpint (
    raw_int (&helper, "SELECT count(*) FROM outbox WHERE origin = 'test' AND state = 'delivered'"),
    >, 0);
  g_assert_cmpint (
    raw_int (&helper, "SELECT count(*) FROM outbox WHERE origin = 'test' AND state <> 'delivered'"
                      " AND error_code = ''"),
    ==, 0);
  g_assert_cmpint (raw_int (&helper, "SELECT min (polls) FROM outbox WHERE origin = 'test'"), >=,
                   1);
  g_object_get (engine, "n-polls", &n_polls, NULL);
  g_assert_cmpuint (n_polls, >=, 50);

  /* Every reply, listed (and listed again), is stored exactly once. */
  RUN_UNTIL (tc_simulator_get_n_replies (f->simulator) > 0 &&
               raw_int (&helper, "SELECT count(*) FROM inbound_messages") ==
                 (gint64)tc_simulator_get_n_replies (f->simulator),
             30);
  g_assert_cmpint (raw_int (&helper, "SELECT count(DISTINCT provider_id) FROM inbound_messages"),
                   ==, raw_int (&helper, "SELECT count(*) FROM inbound_messages"));

  stop_engine (engine);
  tc_test_drain_main_context ();
  g_assert_finalize_object (engine);
  g_clear_object (&provider);
}

/* Meta's Cloud API cannot be asked: a WhatsApp Cloud channel never polls,
 * and its provider says so. */
static void
test_whatsapp_cloud_never (SimFixture *f, gconstpointer data)
{
  g_autoptr(TcProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  TcSimulatorConfig config;
  TcEngine         *engine;
  Fixture           helper = { 0 };
  guint             n_polls = 1;
  gint64            id;

  tc_simulator_config_init (&config);
  config.seed = 5;
  config.status_delay_ms = 20;
  f->simulator = tc_simulator_new (&config);
  g_assert_true (tc_simulator_listen (f->simulator, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  provider = TC_PROVIDER (
    tc_whatsapp_provider_new (f->session, tc_simulator_get_base_url (f->simulator), NULL, PHONE_ID,
                              "EAAG-test-token", "app-secret", "verify"));
  g_assert_cmpint (tc_provider_get_polling (provider), ==, TC_PROVIDER_POLLING_NONE);
  {
    g_autoptr(GAsyncResult) result = NULL;

    tc_provider_list_inbound_async (provider, TC_CHANNEL_WHATSAPP, PHONE_ID, 0, NULL,
                                    tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    listed = tc_provider_list_inbound_finish (provider, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_assert_null (listed);
  }

  helper.repo = f->repo;
  id = enqueue (&helper, "+14155550160", TC_CHANNEL_WHATSAPP, "wa1");
  engine = tc_engine_new (f->repo.repo);
  g_object_set (engine, "status-poll-scale", FAST_SCALE, "inbound-poll-interval-ms", 50, NULL);
  tc_engine_set_provider (engine, TC_CHANNEL_WHATSAPP, provider);
  tc_engine_set_default_sender (engine, TC_CHANNEL_WHATSAPP, PHONE_ID);
  tc_engine_start (engine);
  RUN_UNTIL (state_of (&helper, id) == TC_OUTBOX_SENT, 10);
  run_for (500);

  g_assert_cmpint (state_of (&helper, id), ==, TC_OUTBOX_SENT);
  g_assert_cmpint (poll_at (&helper, id), ==, -1);
  g_object_get (engine, "n-polls", &n_polls, NULL);
  g_assert_cmpuint (n_polls, ==, 0);

  stop_engine (engine);
  tc_test_drain_main_context ();
  g_assert_finalize_object (engine);
}

/* TcMessaging with TEXTCAST_SIMULATOR_POLLING=1 (set in main(), before
 * any thread): the simulator is given no callback, and SMS statuses reach
 * the outbox by polling alone. */
static void
test_messaging_polling (SimFixture *f, gconstpointer data)
{
  g_autoptr(TcMessaging) messaging = tc_messaging_new (f->repo.repo);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) stopped = NULL;
  Fixture   helper = { 0 };
  TcEngine *engine;
  gint64    ids[5];

  tc_messaging_start_async (messaging, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_messaging_start_finish (messaging, result, &error));
  g_assert_no_error (error);
  engine = tc_messaging_get_engine (messaging);
  g_object_set (engine, "status-poll-scale", 0.01, NULL);

  helper.repo = f->repo;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *phone = g_strdup_printf ("+141555503%02u", i);
      g_autofree char *key = g_strdup_printf ("messaging-%u", i);

      ids[i] = enqueue (&helper, phone, TC_CHANNEL_SMS, key);
    }
  tc_engine_kick (engine);
  RUN_UNTIL (raw_int (&helper,
                      "SELECT count(*) FROM outbox WHERE origin = 'test'"
                      " AND state IN ('delivered', 'undelivered', 'failed')") == G_N_ELEMENTS (ids),
             60);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (polls (&helper, ids[i]), >=, 1);

  tc_messaging_stop_async (messaging, tc_repository_store_result_cb, &stopped);
  tc_repository_wait (&stopped);
  g_assert_true (tc_messaging_stop_finish (messaging, stopped, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Only TcMessaging reads it (test_messaging_polling). */
  g_setenv (TC_MESSAGING_SIMULATOR_POLLING_ENV, "1", TRUE);

#define ADD(name, func) \
  g_test_add ("/polling/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_SIM(name, func) \
  g_test_add ("/polling/" name, SimFixture, NULL, sim_fixture_set_up, func, sim_fixture_tear_down)

  g_test_add_func ("/polling/schedule", test_schedule);
  ADD ("delivered", test_delivered);
  ADD ("failed", test_failed);
  ADD ("gives-up", test_gives_up);
  ADD ("restart", test_restart);
  ADD ("webhook-clears", test_webhook_clears);
  ADD ("callback-no-polls", test_callback_no_polls);
  ADD ("inbound", test_inbound);
  ADD ("inbound-duplicate", test_inbound_duplicate);
  g_test_add_func ("/polling/simulator", test_simulator_polling);
  ADD_SIM ("simulator-end-to-end", test_simulator_end_to_end);
  ADD_SIM ("whatsapp-cloud-never", test_whatsapp_cloud_never);
  ADD_SIM ("messaging", test_messaging_polling);

  return g_test_run ();
}
