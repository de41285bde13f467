/* test-send-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcSendService, the app's sending, with no display: it starts and stops,
 * restarts when a provider setting changes, and turns each kind of
 * failure into its problem — the endpoint's port taken, the providers not
 * configured (the links still served), a provider refusing the
 * credentials (a fake Twilio on 127.0.0.1) — and recovers with retry.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "tc-outbox.h"
#include "tc-send-service.h"
#include "tc-settings.h"
#include "tc-test-util.h"

#define SID  "AC0123456789abcdef0123456789abcdef"
#define FROM "+14155550100"
/* Twilio's auth token, from the environment (no keyring). */
#define TOKEN "test-token-5f1e"

typedef struct
{
  TcTestRepo     repo;
  TcSendService *service;
  guint          n_recovered;
  guint          n_changed;
  /* The fake Twilio. */
  SoupServer    *server;
  guint          n_requests;
  char          *base_url;
} Fixture;

typedef gboolean (*Condition) (Fixture *f);

/* Runs the main loop until @condition holds; fails after 20 s. */
static void
wait_for (Fixture    *f,
          Condition   condition,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s (problem %d: %s)", what,
                 tc_send_service_get_problem (f->service),
                 tc_send_service_get_problem_text (f->service));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
is_running (Fixture *f)
{
  return tc_send_service_get_port (f->service) > 0;
}

static gboolean
is_not_running (Fixture *f)
{
  return tc_send_service_get_port (f->service) == 0;
}

static gboolean
has_endpoint_port_problem (Fixture *f)
{
  return tc_send_service_get_problem (f->service) == TC_SEND_PROBLEM_ENDPOINT &&
         strstr (tc_send_service_get_problem_text (f->service), "is used by another program") != NULL;
}

static gboolean
has_settings_problem (Fixture *f)
{
  return tc_send_service_get_problem (f->service) == TC_SEND_PROBLEM_SETTINGS;
}

static gboolean
has_provider_problem (Fixture *f)
{
  return tc_send_service_get_problem (f->service) == TC_SEND_PROBLEM_PROVIDER;
}

static gboolean
has_recovered (Fixture *f)
{
  return f->n_recovered > 0;
}

static void
on_recovered_cb (TcSendService *service,
                 Fixture       *f)
{
  f->n_recovered++;
}

static void
on_changed_cb (TcSendService *service,
               Fixture       *f)
{
  f->n_changed++;
}

static void
new_service (Fixture *f,
             gint     port)
{
  f->service = tc_send_service_new (f->repo.repo, port);
  g_signal_connect (f->service, "recovered", G_CALLBACK (on_recovered_cb), f);
  g_signal_connect (f->service, "changed", G_CALLBACK (on_changed_cb), f);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  return *slot;
}

static void
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_settings_set_async (f->repo.repo, key, value, NULL, store_result_cb, &result);
  g_assert_true (tc_settings_set_finish (f->repo.repo, wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
stop_service (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_send_service_stop_async (f->service, store_result_cb, &result);
  g_assert_true (tc_send_service_stop_finish (f->service, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tc_send_service_get_port (f->service), ==, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->repo, "textcast-send-service-XXXXXX", "t.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->service);
  if (f->server != NULL)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->base_url, g_free);
  tc_test_drain_main_context ();
  tc_test_repo_tear_down (&f->repo);
}

/* ------------------------------------------------------------------------ */

static void
test_start_restart_stop (Fixture       *f,
                         gconstpointer  data)
{
  new_service (f, 0);
  g_assert_true (is_not_running (f));

  tc_send_service_start (f->service);
  wait_for (f, is_running, "the start");
  g_assert_cmpint (tc_send_service_get_problem (f->service), ==, TC_SEND_PROBLEM_NONE);
  g_assert_null (tc_send_service_get_problem_text (f->service));

  /* A provider setting: stopped, then started again. */
  set_setting (f, TC_SETTING_PROVIDER_WHATSAPP, "simulator");
  wait_for (f, is_not_running, "the stop of the restart");
  wait_for (f, is_running, "the start of the restart");

  /* Another setting changes nothing. */
  set_setting (f, TC_SETTING_BRAND_NAME, "Acme");
  for (guint i = 0; i < 600; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_true (is_running (f));
      g_usleep (1000);
    }

  stop_service (f);
  /* Stopped for good: a setting does not start it. */
  set_setting (f, TC_SETTING_PROVIDER_WHATSAPP, "simulator");
  for (guint i = 0; i < 600; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_true (is_not_running (f));
      g_usleep (1000);
    }

  /* And starts again when asked. */
  tc_send_service_start (f->service);
  wait_for (f, is_running, "the second start");
  stop_service (f);
}

static void
test_stop_while_starting (Fixture       *f,
                          gconstpointer  data)
{
  new_service (f, 0);
  tc_send_service_start (f->service);
  stop_service (f);

  tc_send_service_start (f->service);
  wait_for (f, is_running, "the start after the stop");
  stop_service (f);
}

static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) blocker = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  guint port;

  g_socket_listener_add_address (blocker, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  new_service (f, (gint) port);
  tc_send_service_start (f->service);
  wait_for (f, has_endpoint_port_problem, "the port problem");
  expected = g_strdup_printf ("Port %u ", port);
  g_assert_true (g_str_has_prefix (tc_send_service_get_problem_text (f->service), expected));
  g_assert_true (is_not_running (f));
  g_assert_cmpuint (f->n_recovered, ==, 0);

  /* The other program goes; Try Again. */
  g_socket_listener_close (blocker);
  tc_send_service_retry (f->service);
  wait_for (f, is_running, "the start once the port is free");
  g_assert_cmpuint (tc_send_service_get_port (f->service), ==, port);
  g_assert_cmpint (tc_send_service_get_problem (f->service), ==, TC_SEND_PROBLEM_NONE);
  wait_for (f, has_recovered, "the recovery");
  g_assert_cmpuint (f->n_recovered, ==, 1);

  stop_service (f);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  const char *text;

  /* Twilio for SMS, with no number to send from. */
  set_setting (f, TC_SETTING_PROVIDER_SMS, "twilio");
  set_setting (f, TC_SETTING_TWILIO_ACCOUNT_SID, SID);

  new_service (f, 0);
  tc_send_service_start (f->service);
  wait_for (f, has_settings_problem, "the settings problem");
  text = tc_send_service_get_problem_text (f->service);
  g_assert_true (g_str_has_prefix (text, "Messages are not being sent: Twilio needs a number"));
  /* The tracked links are still served. */
  wait_for (f, is_running, "the links endpoint");

  /* The number saved: the service starts again by itself. */
  set_setting (f, TC_SETTING_TWILIO_FROM, FROM);
  wait_for (f, has_recovered, "the recovery");
  g_assert_cmpint (tc_send_service_get_problem (f->service), ==, TC_SEND_PROBLEM_NONE);
  g_assert_true (is_running (f));

  stop_service (f);
}

/* Twilio refusing the credentials. */
static void
refusing_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fixture *f = user_data;
  static const char body[] =
    "{\"code\": 20003, \"message\": \"Authenticate\", "
    "\"more_info\": \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}";

  if (g_str_has_suffix (path, "/Messages.json"))
    f->n_requests++;
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    sizeof body - 1);
  soup_server_message_set_status (msg, 401, NULL);
}

static gboolean
was_asked_again (Fixture *f)
{
  return f->n_requests >= 2;
}

static void
enqueue_sms (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;
  TcOutboxRow row = { 0 };
  gboolean inserted = FALSE;

  row.idem_key = "test:1";
  row.origin = "reply";
  row.phone = "+14155550199";
  row.channel = TC_CHANNEL_SMS;
  row.purpose = TC_PURPOSE_TRANSACTIONAL;
  row.compliance = TRUE;
  row.body = "Your order has shipped";
  row.due_at = g_get_real_time () / G_USEC_PER_SEC;
  row.state = TC_OUTBOX_QUEUED;

  tc_outbox_enqueue_async (f->repo.repo, &row, NULL, store_result_cb, &result);
  entry = tc_outbox_enqueue_finish (f->repo.repo, wait_result (&result), &inserted, &error);
  g_assert_no_error (error);
  g_assert_true (inserted);
}

static void
test_provider_problem (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  const char *text;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, refusing_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  set_setting (f, TC_SETTING_PROVIDER_SMS, "twilio");
  set_setting (f, TC_SETTING_TWILIO_ACCOUNT_SID, SID);
  set_setting (f, TC_SETTING_TWILIO_FROM, FROM);
  set_setting (f, TC_SETTING_TWILIO_BASE_URL, f->base_url);
  enqueue_sms (f);

  new_service (f, 0);
  tc_send_service_start (f->service);
  wait_for (f, has_provider_problem, "the provider problem");
  text = tc_send_service_get_problem_text (f->service);
  g_assert_true (g_str_has_prefix (text, "SMS messages are waiting on Twilio: "));
  g_assert_nonnull (strstr (text, "Account SID"));
  g_assert_null (strstr (text, TOKEN));
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_false (tc_send_service_get_progress (f->service, NULL, NULL));

  /* Try Again: the problem is cleared, Twilio asked again, and the
   * problem is back — with no "recovered" in between. */
  tc_send_service_retry (f->service);
  g_assert_cmpint (tc_send_service_get_problem (f->service), ==, TC_SEND_PROBLEM_NONE);
  wait_for (f, was_asked_again, "the second request");
  wait_for (f, has_provider_problem, "the provider problem again");
  g_assert_cmpuint (f->n_recovered, ==, 0);

  stop_service (f);
}

int
main (int   argc,
      char *argv[])
{
  /* Before any thread exists. */
  g_setenv ("TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/send-service/start-restart-stop", Fixture, NULL, fixture_set_up,
              test_start_restart_stop, fixture_tear_down);
  g_test_add ("/send-service/stop-while-starting", Fixture, NULL, fixture_set_up,
              test_stop_while_starting, fixture_tear_down);
  g_test_add ("/send-service/port-in-use", Fixture, NULL, fixture_set_up,
              test_port_in_use, fixture_tear_down);
  g_test_add ("/send-service/not-configured", Fixture, NULL, fixture_set_up,
              test_not_configured, fixture_tear_down);
  g_test_add ("/send-service/provider-problem", Fixture, NULL, fixture_set_up,
              test_provider_problem, fixture_tear_down);

  return g_test_run ();
}
