/* test-providers.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The provider settings and their validation, credentials from the
 * environment and the keyring (src/net/tc-secrets.c), building the
 * configured providers (src/net/tc-providers.c) — the simulator in this
 * process, Twilio and the WhatsApp Cloud API against fakes of their APIs
 * in this process — and the connection tests.
 *
 * The tests run without a session bus (main() removes it), so nothing
 * reaches a real keyring; /tc/providers/secrets/keyring runs only when
 * TEXTCAST_TEST_KEYRING is set, under dbus-run-session with a throwaway
 * gnome-keyring (tests/run-with-keyring.sh).
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-providers.h"
#include "tc-secrets.h"
#include "tc-settings.h"
#include "tc-simulator.h"
#include "tc-soup.h"
#include "tc-test-util.h"
#include "tc-twilio.h"
#include "tc-wa-templates-client.h"
#include "tc-whatsapp-cloud.h"

#define SID        "AC0123456789abcdef0123456789ABCDEF"
#define MG_SID     "MG0123456789abcdef0123456789abcdef"
#define FROM       "+14155550100"
#define TO         "+14155550123"
#define PNID       "106540352242922"
#define WABA       "102290129340398"
#define TOKEN      "test-token-5f0e"
#define WA_TOKEN   "EAAtest-access-token"

static const char * const secret_env_vars[] = {
  "TEXTCAST_TWILIO_AUTH_TOKEN", "TEXTCAST_WHATSAPP_TOKEN", "TEXTCAST_WHATSAPP_APP_SECRET",
  "TEXTCAST_WHATSAPP_VERIFY_TOKEN", "TEXTCAST_EVENTS_TOKEN", "TEXTCAST_SHOPIFY_WEBHOOK_SECRET",
  "TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET",
};

typedef struct
{
  TcTestRepo   repo;
  SoupServer  *server;
  char        *base;
  guint        n_requests;
  char        *method;
  char        *path;
  char        *query;
  char        *authorization;
  char        *request_body;
  guint        reply_status;
  char        *reply_body;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (request_body);
  GUri *uri = soup_server_message_get_uri (msg);

  f->n_requests++;
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->query);
  f->query = g_strdup (g_uri_get_query (uri));
  g_free (f->authorization);
  f->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (f->request_body);
  f->request_body = g_strndup (g_bytes_get_data (flat, NULL), g_bytes_get_size (flat));

  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    f->reply_body, strlen (f->reply_body));
  soup_server_message_set_status (msg, f->reply_status, NULL);
}

static void
reply (Fixture    *f,
       guint       status,
       const char *body)
{
  g_free (f->reply_body);
  f->reply_body = g_strdup (body);
  f->reply_status = status;
}

static char *
server_base (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  char *base;

  g_assert_nonnull (uris);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return base;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (secret_env_vars); i++)
    g_unsetenv (secret_env_vars[i]);

  tc_test_repo_set_up (&f->repo, "tc-providers-XXXXXX", "t.db");

  f->server = soup_server_new ("server-header", "fake-provider", NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  f->base = server_base (f->server);
  reply (f, 200, "{}");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  tc_test_drain_main_context ();
  tc_test_repo_tear_down (&f->repo);

  g_free (f->base);
  g_free (f->method);
  g_free (f->path);
  g_free (f->query);
  g_free (f->authorization);
  g_free (f->request_body);
  g_free (f->reply_body);

  for (guint i = 0; i < G_N_ELEMENTS (secret_env_vars); i++)
    g_unsetenv (secret_env_vars[i]);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_settings_set_async (f->repo.repo, key, value, NULL, store_cb, &result);
  wait_for (&result);
  tc_settings_set_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
}

static TcProviders *
load (Fixture  *f,
      GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_providers_load_async (f->repo.repo, NULL, NULL, NULL, store_cb, &result);
  wait_for (&result);

  return tc_providers_load_finish (result, error);
}

static char *
run_test (Fixture        *f,
          TcProviderKind  kind,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_providers_test_async (f->repo.repo, NULL, kind, NULL, store_cb, &result);
  wait_for (&result);

  return tc_providers_test_finish (result, error);
}

static void
configure_twilio (Fixture *f)
{
  set_setting (f, TC_SETTING_PROVIDER_SMS, "twilio");
  set_setting (f, TC_SETTING_TWILIO_ACCOUNT_SID, SID);
  set_setting (f, TC_SETTING_TWILIO_FROM, FROM);
  set_setting (f, TC_SETTING_TWILIO_BASE_URL, f->base);
}

static void
configure_whatsapp (Fixture *f)
{
  set_setting (f, TC_SETTING_PROVIDER_WHATSAPP, "whatsapp");
  set_setting (f, TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, PNID);
  set_setting (f, TC_SETTING_WHATSAPP_WABA_ID, WABA);
  set_setting (f, TC_SETTING_WHATSAPP_API_BASE, f->base);
}

static char *
basic (const char *user,
       const char *password)
{
  g_autofree char *pair = g_strconcat (user, ":", password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Basic ", encoded, NULL);
}

/* ------------------------------------------------------------------------
 * Settings
 */

static void
test_settings_validation (void)
{
  static const struct {
    const char *key;
    const char *value;
    gboolean    valid;
    const char *said;   /* in the error */
  } cases[] = {
    { TC_SETTING_PROVIDER_SMS, "simulator", TRUE, NULL },
    { TC_SETTING_PROVIDER_SMS, "twilio", TRUE, NULL },
    { TC_SETTING_PROVIDER_SMS, "whatsapp", FALSE, "simulator or twilio" },
    { TC_SETTING_PROVIDER_SMS, "Twilio", FALSE, "simulator or twilio" },
    { TC_SETTING_PROVIDER_WHATSAPP, "whatsapp", TRUE, NULL },
    { TC_SETTING_PROVIDER_WHATSAPP, "twilio", TRUE, NULL },
    { TC_SETTING_PROVIDER_WHATSAPP, "simulator", TRUE, NULL },
    { TC_SETTING_PROVIDER_WHATSAPP, "meta", FALSE, "simulator, whatsapp" },
    { TC_SETTING_TWILIO_ACCOUNT_SID, SID, TRUE, NULL },
    { TC_SETTING_TWILIO_ACCOUNT_SID, "AC0123456789abcdef0123456789abcde", FALSE, "AC followed by 32" },
    { TC_SETTING_TWILIO_ACCOUNT_SID, "AC0123456789abcdef0123456789abcdef0", FALSE, "AC followed by 32" },
    { TC_SETTING_TWILIO_ACCOUNT_SID, "AC0123456789abcdef0123456789abcdeg", FALSE, "hexadecimal" },
    { TC_SETTING_TWILIO_ACCOUNT_SID, MG_SID, FALSE, "Account SID" },
    { TC_SETTING_TWILIO_ACCOUNT_SID, "", FALSE, "Account SID" },
    { TC_SETTING_TWILIO_MESSAGING_SERVICE_SID, MG_SID, TRUE, NULL },
    { TC_SETTING_TWILIO_MESSAGING_SERVICE_SID, "", TRUE, NULL },
    { TC_SETTING_TWILIO_MESSAGING_SERVICE_SID, SID, FALSE, "MG followed by 32" },
    { TC_SETTING_TWILIO_FROM, FROM, TRUE, NULL },
    { TC_SETTING_TWILIO_FROM, "12345", TRUE, NULL },
    { TC_SETTING_TWILIO_FROM, "Acme Shoes", TRUE, NULL },
    { TC_SETTING_TWILIO_FROM, "", TRUE, NULL },
    { TC_SETTING_TWILIO_FROM, "+0155550100", FALSE, "international format" },
    { TC_SETTING_TWILIO_FROM, "+1 415 555 0100", FALSE, "international format" },
    { TC_SETTING_TWILIO_FROM, "Acme Shoes Ltd", FALSE, "at most 11" },
    { TC_SETTING_TWILIO_FROM, "12", FALSE, "short code" },
    { TC_SETTING_TWILIO_BASE_URL, "https://api.twilio.com", TRUE, NULL },
    { TC_SETTING_TWILIO_BASE_URL, "http://127.0.0.1:4010/", TRUE, NULL },
    { TC_SETTING_TWILIO_BASE_URL, "ftp://api.twilio.com", FALSE, "http:// or https://" },
    { TC_SETTING_TWILIO_BASE_URL, "api.twilio.com", FALSE, "http:// or https://" },
    { TC_SETTING_TWILIO_BASE_URL, "https://user:pw@api.twilio.com", FALSE, "http:// or https://" },
    { TC_SETTING_TWILIO_BASE_URL, "https://api.twilio.com/?x=1", FALSE, "without a query" },
    { TC_SETTING_WHATSAPP_API_BASE, "https://graph.facebook.com", TRUE, NULL },
    { TC_SETTING_WHATSAPP_API_BASE, "graph.facebook.com", FALSE, "http:// or https://" },
    { TC_SETTING_HTTP_PUBLIC_URL, "https://abc.trycloudflare.com", TRUE, NULL },
    { TC_SETTING_HTTP_PUBLIC_URL, "", TRUE, NULL },
    { TC_SETTING_HTTP_PUBLIC_URL, "https://", FALSE, "http:// or https://" },
    { TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, PNID, TRUE, NULL },
    { TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, "10654a", FALSE, "digits only" },
    { TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, "", FALSE, "digits only" },
    { TC_SETTING_WHATSAPP_WABA_ID, WABA, TRUE, NULL },
    { TC_SETTING_WHATSAPP_WABA_ID, "+102290129340398", FALSE, "digits only" },
    { TC_SETTING_WHATSAPP_API_VERSION, "v23.0", TRUE, NULL },
    { TC_SETTING_WHATSAPP_API_VERSION, "v9.12", TRUE, NULL },
    { TC_SETTING_WHATSAPP_API_VERSION, "23.0", FALSE, "v23.0" },
    { TC_SETTING_WHATSAPP_API_VERSION, "v23", FALSE, "v23.0" },
    { TC_SETTING_WHATSAPP_API_VERSION, "v23.0.1", FALSE, "v23.0" },
    { TC_SETTING_WHATSAPP_API_VERSION, "v.0", FALSE, "v23.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = tc_settings_check_value (cases[i].key, cases[i].value, &error);

      g_test_message ("%s = “%s”", cases[i].key, cases[i].value);
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (cases[i].valid)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, cases[i].key));
          g_assert_nonnull (strstr (error->message, cases[i].said));
        }
    }
}

/* What tc_settings_set_async() refuses is never stored. */
static void
test_settings_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) get_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  tc_settings_set_async (f->repo.repo, TC_SETTING_TWILIO_ACCOUNT_SID, "AC123", NULL, store_cb,
                         &result);
  wait_for (&result);
  g_assert_false (tc_settings_set_finish (f->repo.repo, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  tc_settings_get_async (f->repo.repo, TC_SETTING_TWILIO_ACCOUNT_SID, NULL, store_cb, &get_result);
  wait_for (&get_result);
  value = tc_settings_get_finish (f->repo.repo, get_result, NULL);
  g_assert_null (value);
}

static void
test_settings_defaults (void)
{
  g_autoptr(TcProviderSettings) none = tc_provider_settings_new_from_table (NULL);
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TcProviderSettings) some = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (none->sms, ==, TC_PROVIDER_KIND_SIMULATOR);
  g_assert_cmpint (none->whatsapp, ==, TC_PROVIDER_KIND_SIMULATOR);
  g_assert_cmpstr (none->twilio_base_url, ==, TC_TWILIO_DEFAULT_BASE_URL);
  g_assert_cmpstr (none->whatsapp_api_base, ==, TC_WHATSAPP_DEFAULT_BASE_URL);
  g_assert_cmpstr (none->whatsapp_api_version, ==, TC_WHATSAPP_DEFAULT_API_VERSION);
  g_assert_null (none->twilio_account_sid);
  g_assert_null (none->public_url);
  g_assert_true (tc_provider_settings_uses (none, TC_PROVIDER_KIND_SIMULATOR));
  g_assert_false (tc_provider_settings_uses (none, TC_PROVIDER_KIND_TWILIO));
  g_assert_true (tc_provider_settings_check (none, TC_PROVIDER_KIND_SIMULATOR, NULL));

  g_assert_false (tc_provider_settings_check (none, TC_PROVIDER_KIND_TWILIO, &error));
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Twilio needs an Account SID"));
  g_clear_error (&error);
  g_assert_false (tc_provider_settings_check (none, TC_PROVIDER_KIND_WHATSAPP, &error));
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "phone-number id"));
  g_clear_error (&error);

  g_hash_table_insert (table, (gpointer) TC_SETTING_PROVIDER_SMS, (gpointer) "twilio");
  g_hash_table_insert (table, (gpointer) TC_SETTING_PROVIDER_WHATSAPP, (gpointer) "twilio");
  g_hash_table_insert (table, (gpointer) TC_SETTING_TWILIO_ACCOUNT_SID, (gpointer) SID);
  g_hash_table_insert (table, (gpointer) TC_SETTING_TWILIO_BASE_URL, (gpointer) "http://127.0.0.1:4010//");
  g_hash_table_insert (table, (gpointer) TC_SETTING_WHATSAPP_WABA_ID, (gpointer) WABA);
  g_hash_table_insert (table, (gpointer) TC_SETTING_HTTP_PUBLIC_URL, (gpointer) "https://hooks.example/");
  some = tc_provider_settings_new_from_table (table);
  g_assert_cmpint (some->sms, ==, TC_PROVIDER_KIND_TWILIO);
  g_assert_cmpint (some->whatsapp, ==, TC_PROVIDER_KIND_TWILIO);
  g_assert_false (tc_provider_settings_uses (some, TC_PROVIDER_KIND_SIMULATOR));
  g_assert_cmpstr (some->twilio_base_url, ==, "http://127.0.0.1:4010");
  g_assert_cmpstr (some->public_url, ==, "https://hooks.example");
  g_assert_cmpstr (tc_provider_settings_secret_account (some, TC_SECRET_TWILIO_AUTH_TOKEN), ==, SID);
  g_assert_cmpstr (tc_provider_settings_secret_account (some, TC_SECRET_WHATSAPP_TOKEN), ==, WABA);
  g_assert_cmpstr (tc_provider_settings_secret_account (some, TC_SECRET_EVENTS_TOKEN), ==, "");

  /* A SID without a sender is not enough. */
  g_assert_false (tc_provider_settings_check (some, TC_PROVIDER_KIND_TWILIO, &error));
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Messaging Service SID"));
}

static void
test_kind_names (void)
{
  static const char * const names[] = { "simulator", "twilio", "whatsapp" };
  TcProviderKind kind;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (tc_provider_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, i);
      g_assert_cmpstr (tc_provider_kind_to_string (kind), ==, names[i]);
    }
  g_assert_false (tc_provider_kind_from_string ("meta", &kind));
  g_assert_false (tc_provider_kind_from_string ("", &kind));
  g_assert_false (tc_provider_kind_from_string (NULL, &kind));
}

/* ------------------------------------------------------------------------
 * Secrets
 */

static char *
lookup (TcSecretName     name,
        const char      *account,
        TcSecretSource  *source,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_secrets_lookup_async (name, account, NULL, store_cb, &result);
  wait_for (&result);

  return tc_secrets_lookup_finish (result, source, error);
}

static void
test_secrets_names (void)
{
  for (guint i = 0; i < TC_SECRET_N_NAMES; i++)
    {
      g_assert_cmpstr (tc_secret_name_env_var (i), ==, secret_env_vars[i]);
      g_assert_nonnull (tc_secret_name_to_string (i));
      g_assert_nonnull (tc_secret_name_describe (i));
    }
  g_assert_cmpstr (tc_secret_source_to_string (TC_SECRET_SOURCE_ENVIRONMENT), ==, "environment");
  g_assert_cmpstr (tc_secret_source_to_string (TC_SECRET_SOURCE_KEYRING), ==, "keyring");
  g_assert_cmpstr (tc_secret_source_to_string (TC_SECRET_SOURCE_NONE), ==, "none");
}

static void
test_secrets_env (void)
{
  static const struct {
    const char *env;
    const char *expected;   /* NULL: as if unset */
  } cases[] = {
    { "abc123", "abc123" },
    { "  abc123\n", "abc123" },
    { "", NULL },
    { " \t ", NULL },
  };

  for (guint n = 0; n < TC_SECRET_N_NAMES; n++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *direct = NULL;
        g_autofree char *value = NULL;
        TcSecretSource source = TC_SECRET_SOURCE_KEYRING;

        g_setenv (secret_env_vars[n], cases[i].env, TRUE);
        direct = tc_secrets_get_env (n);
        g_assert_cmpstr (direct, ==, cases[i].expected);

        value = lookup (n, "AC1", &source, &error);
        if (cases[i].expected != NULL)
          {
            /* The environment wins, and no keyring is asked. */
            g_assert_no_error (error);
            g_assert_cmpstr (value, ==, cases[i].expected);
            g_assert_cmpint (source, ==, TC_SECRET_SOURCE_ENVIRONMENT);
          }
        else
          {
            /* Blank is unset: then the keyring, and there is none. */
            g_assert_null (value);
            g_assert_cmpint (source, ==, TC_SECRET_SOURCE_NONE);
            g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
          }
        g_unsetenv (secret_env_vars[n]);
      }
}

/* No session bus: every keyring call fails at once, in plain words, and
 * names the environment variable to use instead. */
static void
test_secrets_no_keyring (void)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_false (tc_secrets_have_session_bus ());

  for (guint n = 0; n < TC_SECRET_N_NAMES; n++)
    {
      g_autoptr(GAsyncResult) store_result = NULL;
      g_autoptr(GAsyncResult) clear_result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("No keyring is running; set %s or log in to "
                                                   "a desktop session", secret_env_vars[n]);
      g_autofree char *value = NULL;
      TcSecretSource source;

      value = lookup (n, SID, &source, &error);
      g_assert_null (value);
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);

      tc_secrets_store_async (n, SID, "s3cret-value", NULL, store_cb, &store_result);
      wait_for (&store_result);
      g_assert_false (tc_secrets_store_finish (store_result, &error));
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_null (strstr (error->message, "s3cret-value"));
      g_clear_error (&error);

      tc_secrets_clear_async (n, SID, NULL, store_cb, &clear_result);
      wait_for (&clear_result);
      g_assert_false (tc_secrets_clear_finish (clear_result, &error));
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
    }

  /* At once: nothing waited on a bus. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* What cannot be a token is refused before any keyring is asked. */
static void
test_secrets_invalid (void)
{
  const char *values[] = { "", "two\nlines", "tab\there", "\xff\xfe" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      tc_secrets_store_async (TC_SECRET_TWILIO_AUTH_TOKEN, SID, values[i], NULL, store_cb,
                              &result);
      wait_for (&result);
      g_assert_false (tc_secrets_store_finish (result, &error));
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "Twilio auth token"));
    }
}

/* A bus that accepts connections and never answers (a hung keyring): the
 * call ends with the time limit, in plain words. */
static void
on_incoming_cb (GSocketService    *service,
                GSocketConnection *connection,
                GObject           *source,
                gpointer           user_data)
{
  GPtrArray *held = user_data;

  g_ptr_array_add (held, g_object_ref (connection));
}

static void
test_secrets_timeout (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("tc-bus-XXXXXX", &error);
      g_autofree char *path = NULL;
      g_autofree char *address = NULL;
      g_autoptr(GSocketService) service = g_socket_service_new ();
      g_autoptr(GSocketAddress) socket_address = NULL;
      g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *value = NULL;
      gint64 start;

      g_assert_no_error (error);
      path = g_build_filename (dir, "bus", NULL);
      socket_address = g_unix_socket_address_new (path);
      g_socket_listener_add_address (G_SOCKET_LISTENER (service), socket_address,
                                     G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL,
                                     NULL, &error);
      g_assert_no_error (error);
      g_signal_connect (service, "incoming", G_CALLBACK (on_incoming_cb), held);
      g_socket_service_start (service);

      address = g_strconcat ("unix:path=", path, NULL);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      g_assert_true (tc_secrets_have_session_bus ());
      tc_secrets_set_timeout (500);
      g_assert_cmpuint (tc_secrets_get_timeout (), ==, 500);

      start = g_get_monotonic_time ();
      value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, SID, NULL, &error);
      g_assert_null (value);
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_TIMEOUT);
      g_assert_nonnull (strstr (error->message, "did not answer within 1 seconds"));
      g_assert_nonnull (strstr (error->message, "TEXTCAST_TWILIO_AUTH_TOKEN"));
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

      g_socket_service_stop (service);
      g_unlink (path);
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A session bus address where nothing listens: no keyring. */
static void
test_secrets_dead_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/textcast/bus", TRUE);
      value = lookup (TC_SECRET_WHATSAPP_TOKEN, WABA, NULL, &error);
      g_assert_null (value);
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
      g_assert_cmpstr (error->message, ==,
                       "No keyring is running; set TEXTCAST_WHATSAPP_TOKEN or log in to a "
                       "desktop session");
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static gboolean
store_secret (TcSecretName  name,
              const char   *account,
              const char   *value,
              GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_secrets_store_async (name, account, value, NULL, store_cb, &result);
  wait_for (&result);

  return tc_secrets_store_finish (result, error);
}

static gboolean
clear_secret (TcSecretName  name,
              const char   *account,
              GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_secrets_clear_async (name, account, NULL, store_cb, &result);
  wait_for (&result);

  return tc_secrets_clear_finish (result, error);
}

/* A session bus on which no Secret Service is running or can be started
 * (as in CI with dbus-run-session and no keyring): no keyring, at once. */
static void
test_secrets_bus_without_keyring (void)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");

  if (daemon == NULL)
    {
      g_test_skip ("needs dbus-daemon");
      return;
    }

  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;
      gint64 start;

      /* No service files: nothing can be activated. */
      g_test_dbus_up (bus);
      g_assert_true (tc_secrets_have_session_bus ());

      start = g_get_monotonic_time ();
      value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, SID, NULL, &error);
      g_assert_null (value);
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
      g_assert_cmpstr (error->message, ==,
                       "No keyring is running; set TEXTCAST_TWILIO_AUTH_TOKEN or log in to a "
                       "desktop session");
      g_clear_error (&error);
      g_assert_false (store_secret (TC_SECRET_TWILIO_AUTH_TOKEN, SID, TOKEN, &error));
      g_assert_error (error, TC_SECRETS_ERROR, TC_SECRETS_ERROR_NO_KEYRING);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static TcWaTemplatesClient *
templates_client (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcWaTemplatesClient *client;

  tc_wa_templates_client_new_from_settings_async (f->repo.repo, NULL, store_cb, &result);
  wait_for (&result);
  client = tc_wa_templates_client_new_from_settings_finish (result, &error);
  g_assert_no_error (error);

  return client;
}

/* Under dbus-run-session with a throwaway gnome-keyring: store, look up
 * (per account), the environment's precedence, clear. */
static void
test_secrets_keyring (Fixture       *f,
                      gconstpointer  data)
{
  const char *other = "AC11111111111111111111111111111111";
  g_autoptr(GError) error = NULL;
  g_autoptr(TcProviders) providers = NULL;
  char *value;
  TcSecretSource source;

  if (g_getenv ("TEXTCAST_TEST_KEYRING") == NULL)
    {
      g_test_skip ("needs a keyring: run by test-providers-keyring (tests/run-with-keyring.sh)");
      return;
    }
  g_assert_true (tc_secrets_have_session_bus ());

  g_assert_true (store_secret (TC_SECRET_TWILIO_AUTH_TOKEN, SID, TOKEN, &error));
  g_assert_no_error (error);
  g_assert_true (store_secret (TC_SECRET_TWILIO_AUTH_TOKEN, other, "other-token", &error));
  g_assert_no_error (error);

  value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, SID, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, TOKEN);
  g_assert_cmpint (source, ==, TC_SECRET_SOURCE_KEYRING);
  g_free (value);

  value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, other, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "other-token");
  g_free (value);

  /* Another name under the same account is another secret. */
  value = lookup (TC_SECRET_WHATSAPP_TOKEN, SID, &source, &error);
  g_assert_no_error (error);
  g_assert_null (value);
  g_assert_cmpint (source, ==, TC_SECRET_SOURCE_NONE);

  /* Storing again replaces. */
  store_secret (TC_SECRET_TWILIO_AUTH_TOKEN, SID, TOKEN "-2", &error);
  g_assert_no_error (error);
  value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, SID, &source, &error);
  g_assert_cmpstr (value, ==, TOKEN "-2");
  g_free (value);

  /* The environment takes precedence. */
  g_setenv ("TEXTCAST_TWILIO_AUTH_TOKEN", "from-env", TRUE);
  value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, SID, &source, &error);
  g_assert_cmpstr (value, ==, "from-env");
  g_assert_cmpint (source, ==, TC_SECRET_SOURCE_ENVIRONMENT);
  g_free (value);
  g_unsetenv ("TEXTCAST_TWILIO_AUTH_TOKEN");

  /* The providers take the keyring's token. */
  configure_twilio (f);
  providers = load (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (providers);
  g_clear_object (&providers);

  g_assert_true (clear_secret (TC_SECRET_TWILIO_AUTH_TOKEN, SID, &error));
  g_assert_no_error (error);
  value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, SID, &source, &error);
  g_assert_no_error (error);
  g_assert_null (value);
  g_assert_cmpint (source, ==, TC_SECRET_SOURCE_NONE);
  /* Clearing what is not there succeeds. */
  g_assert_true (clear_secret (TC_SECRET_TWILIO_AUTH_TOKEN, SID, &error));
  g_assert_no_error (error);

  /* The other account's token is still there. */
  value = lookup (TC_SECRET_TWILIO_AUTH_TOKEN, other, &source, &error);
  g_assert_cmpstr (value, ==, "other-token");
  g_free (value);
  g_assert_true (clear_secret (TC_SECRET_TWILIO_AUTH_TOKEN, other, &error));

  providers = load (f, &error);
  g_assert_null (providers);
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Twilio needs an auth token: set "
                                            "TEXTCAST_TWILIO_AUTH_TOKEN"));
  g_clear_error (&error);

  /* The WhatsApp template client finds the access token saved for the
   * WhatsApp Business Account. */
  {
    g_autoptr(TcWaTemplatesClient) without = NULL;
    g_autoptr(TcWaTemplatesClient) with = NULL;

    set_setting (f, TC_SETTING_WHATSAPP_WABA_ID, WABA);
    without = templates_client (f);
    g_assert_false (tc_wa_templates_client_check_configured (without, NULL));
    g_assert_true (store_secret (TC_SECRET_WHATSAPP_TOKEN, WABA, WA_TOKEN, &error));
    g_assert_no_error (error);
    with = templates_client (f);
    g_assert_true (tc_wa_templates_client_check_configured (with, NULL));
    g_assert_true (clear_secret (TC_SECRET_WHATSAPP_TOKEN, WABA, &error));
  }
}

/* The template client takes the token from the environment, else from the
 * keyring; without either it says both ways to give it. */
static void
test_secrets_templates_client (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TcWaTemplatesClient) without = NULL;
  g_autoptr(TcWaTemplatesClient) with_env = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("TEXTCAST_TEST_KEYRING") != NULL)
    {
      g_test_skip ("the keyring case is in /tc/providers/secrets/keyring");
      return;
    }

  set_setting (f, TC_SETTING_WHATSAPP_WABA_ID, WABA);
  without = templates_client (f);
  g_assert_false (tc_wa_templates_client_check_configured (without, &error));
  g_assert_nonnull (strstr (error->message, "set TEXTCAST_WHATSAPP_TOKEN in the environment, or "
                                            "save the access token in Preferences → Providers"));

  g_setenv ("TEXTCAST_WHATSAPP_TOKEN", WA_TOKEN, TRUE);
  with_env = templates_client (f);
  g_assert_true (tc_wa_templates_client_check_configured (with_env, NULL));
}

/* ------------------------------------------------------------------------
 * Loading the providers
 */

static TcSendReceipt *
send (TcProvider      *provider,
      TcChannel        channel,
      const char      *from,
      TcSendFailure  **failure)
{
  g_autoptr(GAsyncResult) result = NULL;
  TcOutboundMessage message = { 0 };

  message.channel = channel;
  message.from = from;
  message.to = TO;
  message.body = "Your order has shipped";
  tc_provider_send_async (provider, &message, NULL, store_cb, &result);
  wait_for (&result);

  return tc_provider_send_finish (provider, result, failure);
}

/* The default: the simulator in this process, reached over HTTP by the real
 * Twilio and WhatsApp providers. */
static void
test_load_simulator (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcProviders) providers = load (f, &error);
  g_autoptr(TcSendReceipt) sms = NULL;
  g_autoptr(TcSendReceipt) wa = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcSimulator *simulator;

  g_assert_no_error (error);
  g_assert_nonnull (providers);
  simulator = tc_providers_get_simulator (providers);
  g_assert_nonnull (simulator);
  g_assert_true (g_str_has_prefix (tc_simulator_get_base_url (simulator), "http://127.0.0.1:"));
  g_assert_cmpuint (tc_simulator_get_port (simulator), >, 0);

  g_assert_cmpint (tc_providers_get_kind (providers, TC_CHANNEL_SMS), ==,
                   TC_PROVIDER_KIND_SIMULATOR);
  g_assert_cmpint (tc_providers_get_kind (providers, TC_CHANNEL_WHATSAPP), ==,
                   TC_PROVIDER_KIND_SIMULATOR);
  g_assert_true (TC_IS_TWILIO_PROVIDER (tc_providers_get_provider (providers, TC_CHANNEL_SMS)));
  g_assert_true (TC_IS_WHATSAPP_PROVIDER (tc_providers_get_provider (providers,
                                                                     TC_CHANNEL_WHATSAPP)));
  g_assert_cmpstr (tc_providers_get_sender (providers, TC_CHANNEL_SMS), ==,
                   TC_PROVIDERS_SIMULATOR_FROM);
  g_assert_cmpstr (tc_providers_get_sender (providers, TC_CHANNEL_WHATSAPP), ==,
                   TC_PROVIDERS_SIMULATOR_PHONE_NUMBER_ID);

  sms = send (tc_providers_get_provider (providers, TC_CHANNEL_SMS), TC_CHANNEL_SMS,
              tc_providers_get_sender (providers, TC_CHANNEL_SMS), &failure);
  g_assert_null (failure);
  g_assert_nonnull (sms);
  g_assert_true (g_str_has_prefix (sms->provider_id, "SM"));
  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, 1);

  wa = send (tc_providers_get_provider (providers, TC_CHANNEL_WHATSAPP), TC_CHANNEL_WHATSAPP,
             tc_providers_get_sender (providers, TC_CHANNEL_WHATSAPP), &failure);
  g_assert_null (failure);
  g_assert_nonnull (wa);
  g_assert_true (g_str_has_prefix (wa->provider_id, "wamid."));
  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, 2);

  /* Nothing was asked of the fake providers. */
  g_assert_cmpuint (f->n_requests, ==, 0);
}

/* Twilio for SMS with the token from the environment; the simulator still
 * serves WhatsApp. */
static void
test_load_twilio_env (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcProviders) providers = NULL;
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  g_autofree char *expected_auth = basic (SID, TOKEN);
  TcProvider *sms;

  configure_twilio (f);
  g_setenv ("TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN, TRUE);

  providers = load (f, &error);
  g_assert_no_error (error);
  sms = tc_providers_get_provider (providers, TC_CHANNEL_SMS);
  g_assert_true (TC_IS_TWILIO_PROVIDER (sms));
  g_assert_cmpint (tc_providers_get_kind (providers, TC_CHANNEL_SMS), ==, TC_PROVIDER_KIND_TWILIO);
  g_assert_cmpstr (tc_providers_get_sender (providers, TC_CHANNEL_SMS), ==, FROM);
  g_assert_nonnull (tc_providers_get_simulator (providers));
  g_assert_cmpint (tc_providers_get_kind (providers, TC_CHANNEL_WHATSAPP), ==,
                   TC_PROVIDER_KIND_SIMULATOR);
  g_assert_cmpstr (tc_providers_get_settings (providers)->twilio_account_sid, ==, SID);

  reply (f, 201, "{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\"}");
  receipt = send (sms, TC_CHANNEL_SMS, tc_providers_get_sender (providers, TC_CHANNEL_SMS),
                  &failure);
  g_assert_null (failure);
  g_assert_cmpstr (receipt->provider_id, ==, "SM0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->path, ==, "/2010-04-01/Accounts/" SID "/Messages.json");
  g_assert_cmpstr (f->authorization, ==, expected_auth);
  g_assert_nonnull (strstr (f->request_body, "From=%2B14155550100"));
}

/* Both channels through one Twilio account, sending from a Messaging
 * Service: no simulator is started. */
static void
test_load_twilio_both (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcProviders) providers = NULL;

  set_setting (f, TC_SETTING_PROVIDER_SMS, "twilio");
  set_setting (f, TC_SETTING_PROVIDER_WHATSAPP, "twilio");
  set_setting (f, TC_SETTING_TWILIO_ACCOUNT_SID, SID);
  set_setting (f, TC_SETTING_TWILIO_MESSAGING_SERVICE_SID, MG_SID);
  g_setenv ("TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN, TRUE);

  providers = load (f, &error);
  g_assert_no_error (error);
  g_assert_null (tc_providers_get_simulator (providers));
  g_assert_true (tc_providers_get_provider (providers, TC_CHANNEL_SMS) ==
                 tc_providers_get_provider (providers, TC_CHANNEL_WHATSAPP));
  g_assert_cmpstr (tc_providers_get_sender (providers, TC_CHANNEL_SMS), ==, MG_SID);
  g_assert_cmpstr (tc_providers_get_sender (providers, TC_CHANNEL_WHATSAPP), ==, MG_SID);
}

static void
test_load_whatsapp_env (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcProviders) providers = NULL;
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcProvider *wa;

  configure_whatsapp (f);
  set_setting (f, TC_SETTING_WHATSAPP_API_VERSION, "v21.0");
  g_setenv ("TEXTCAST_WHATSAPP_TOKEN", WA_TOKEN, TRUE);
  g_setenv ("TEXTCAST_WHATSAPP_APP_SECRET", "app-secret", TRUE);

  providers = load (f, &error);
  g_assert_no_error (error);
  wa = tc_providers_get_provider (providers, TC_CHANNEL_WHATSAPP);
  g_assert_true (TC_IS_WHATSAPP_PROVIDER (wa));
  g_assert_cmpint (tc_providers_get_kind (providers, TC_CHANNEL_WHATSAPP), ==,
                   TC_PROVIDER_KIND_WHATSAPP);
  g_assert_cmpstr (tc_providers_get_sender (providers, TC_CHANNEL_WHATSAPP), ==, PNID);

  reply (f, 200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" TO "\","
                 "\"wa_id\":\"14155550123\"}],\"messages\":[{\"id\":\"wamid.HBgLMTQxNTU1NTAxMjM\"}]}");
  receipt = send (wa, TC_CHANNEL_WHATSAPP, PNID, &failure);
  g_assert_null (failure);
  g_assert_cmpstr (receipt->provider_id, ==, "wamid.HBgLMTQxNTU1NTAxMjM");
  g_assert_cmpstr (f->path, ==, "/v21.0/" PNID "/messages");
  g_assert_cmpstr (f->authorization, ==, "Bearer " WA_TOKEN);
}

/* What is missing is named, with where to set it. */
static void
test_load_missing (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *key;
    const char *value;
    const char *said;
  } steps[] = {
    { TC_SETTING_PROVIDER_SMS, "twilio", "Twilio needs an Account SID" },
    { TC_SETTING_TWILIO_ACCOUNT_SID, SID, "Twilio needs a number to send from" },
    { TC_SETTING_TWILIO_FROM, FROM,
      "Twilio needs an auth token: No keyring is running; set TEXTCAST_TWILIO_AUTH_TOKEN or "
      "log in to a desktop session" },
    { TC_SETTING_PROVIDER_SMS, "simulator", NULL },
    { TC_SETTING_PROVIDER_WHATSAPP, "whatsapp", "needs a phone-number id" },
    { TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, PNID, "needs the WhatsApp Business Account id" },
    { TC_SETTING_WHATSAPP_WABA_ID, WABA,
      "The WhatsApp Cloud API needs an access token: No keyring is running; set "
      "TEXTCAST_WHATSAPP_TOKEN" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcProviders) providers = NULL;

      set_setting (f, steps[i].key, steps[i].value);
      providers = load (f, &error);
      g_test_message ("after %s = %s", steps[i].key, steps[i].value);
      if (steps[i].said == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (providers);
          continue;
        }
      g_assert_null (providers);
      g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
      g_assert_nonnull (strstr (error->message, steps[i].said));
    }

  /* With the token in the environment, the app secret (webhooks only) may
   * be missing. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TcProviders) providers = NULL;

    g_setenv ("TEXTCAST_WHATSAPP_TOKEN", WA_TOKEN, TRUE);
    providers = load (f, &error);
    g_assert_no_error (error);
    g_assert_true (TC_IS_WHATSAPP_PROVIDER (tc_providers_get_provider (providers,
                                                                       TC_CHANNEL_WHATSAPP)));
  }
}

/* ------------------------------------------------------------------------
 * Connection tests
 */

static void
test_connection_twilio (Fixture       *f,
                        gconstpointer  data)
{
  static const struct {
    guint        status;
    const char  *body;
    const char  *said;       /* in the message */
    int          code;       /* -1: success */
  } cases[] = {
    { 200, "{\"sid\":\"" SID "\",\"friendly_name\":\"Acme Shoes\",\"status\":\"active\"}",
      "Twilio accepted the Account SID and auth token of “Acme Shoes” (" SID ")", -1 },
    { 200, "{\"sid\":\"" SID "\",\"status\":\"active\"}", "token of " SID, -1 },
    { 200, "{\"sid\":\"" SID "\",\"friendly_name\":\"Acme\",\"status\":\"suspended\"}",
      "account " SID " is suspended", TC_PROVIDERS_ERROR_FAILED },
    { 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}",
      "Twilio refused the Account SID and auth token (HTTP 401)", TC_PROVIDERS_ERROR_AUTH },
    { 404, "{\"code\":20404,\"status\":404}", "Twilio has no account " SID,
      TC_PROVIDERS_ERROR_NOT_FOUND },
    { 503, "", "could not answer now (HTTP 503)", TC_PROVIDERS_ERROR_FAILED },
    { 200, "<html>hello</html>", "not as Twilio does", TC_PROVIDERS_ERROR_FAILED },
  };
  g_autofree char *expected_auth = basic (SID, TOKEN);

  configure_twilio (f);
  g_setenv ("TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      reply (f, cases[i].status, cases[i].body);
      message = run_test (f, TC_PROVIDER_KIND_TWILIO, &error);
      g_test_message ("HTTP %u %s", cases[i].status, cases[i].body);
      g_assert_cmpstr (f->method, ==, "GET");
      g_assert_cmpstr (f->path, ==, "/2010-04-01/Accounts/" SID ".json");
      g_assert_cmpstr (f->authorization, ==, expected_auth);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (strstr (message, cases[i].said));
        }
      else
        {
          g_assert_null (message);
          g_assert_error (error, TC_PROVIDERS_ERROR, cases[i].code);
          g_assert_nonnull (strstr (error->message, cases[i].said));
          g_assert_null (strstr (error->message, TOKEN));
        }
    }
}

static void
test_connection_whatsapp (Fixture       *f,
                          gconstpointer  data)
{
  static const struct {
    guint        status;
    const char  *body;
    const char  *said;
    int          code;
  } cases[] = {
    { 200, "{\"display_phone_number\":\"+1 555-010-0999\",\"verified_name\":\"Acme Shoes\","
           "\"id\":\"" PNID "\"}",
      "accepted the access token for +1 555-010-0999 (“Acme Shoes”, phone-number id " PNID ")",
      -1 },
    { 401, "{\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\","
           "\"code\":190,\"fbtrace_id\":\"x\"}}",
      "Meta refused the access token (HTTP 401)", TC_PROVIDERS_ERROR_AUTH },
    { 400, "{\"error\":{\"message\":\"Invalid OAuth access token\",\"code\":190}}",
      "Meta refused the access token", TC_PROVIDERS_ERROR_AUTH },
    { 400, "{\"error\":{\"message\":\"Unsupported get request\",\"type\":\"GraphMethodException\","
           "\"code\":100,\"error_subcode\":33}}",
      "Meta does not know phone-number id " PNID, TC_PROVIDERS_ERROR_NOT_FOUND },
    { 403, "{\"error\":{\"message\":\"Permissions\",\"code\":200}}",
      "whatsapp_business_messaging", TC_PROVIDERS_ERROR_AUTH },
    { 500, "{}", "could not answer now (HTTP 500)", TC_PROVIDERS_ERROR_FAILED },
  };

  configure_whatsapp (f);
  g_setenv ("TEXTCAST_WHATSAPP_TOKEN", WA_TOKEN, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      reply (f, cases[i].status, cases[i].body);
      message = run_test (f, TC_PROVIDER_KIND_WHATSAPP, &error);
      g_test_message ("HTTP %u %s", cases[i].status, cases[i].body);
      g_assert_cmpstr (f->method, ==, "GET");
      g_assert_cmpstr (f->path, ==, "/" TC_WHATSAPP_DEFAULT_API_VERSION "/" PNID);
      g_assert_cmpstr (f->query, ==, "fields=display_phone_number,verified_name");
      g_assert_cmpstr (f->authorization, ==, "Bearer " WA_TOKEN);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (strstr (message, cases[i].said));
        }
      else
        {
          g_assert_null (message);
          g_assert_error (error, TC_PROVIDERS_ERROR, cases[i].code);
          g_assert_nonnull (strstr (error->message, cases[i].said));
          g_assert_null (strstr (error->message, WA_TOKEN));
        }
    }
}

/* A provider that cannot be reached: a port where nothing listens. */
static void
test_connection_unreachable (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  configure_twilio (f);
  configure_whatsapp (f);
  g_setenv ("TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN, TRUE);
  g_setenv ("TEXTCAST_WHATSAPP_TOKEN", WA_TOKEN, TRUE);
  soup_server_disconnect (f->server);

  message = run_test (f, TC_PROVIDER_KIND_TWILIO, &error);
  g_assert_null (message);
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Could not reach Twilio at http://127.0.0.1:"));
  g_clear_error (&error);

  message = run_test (f, TC_PROVIDER_KIND_WHATSAPP, &error);
  g_assert_null (message);
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Could not reach the WhatsApp Cloud API at "));
  g_assert_cmpuint (f->n_requests, ==, 0);
}

static void
test_connection_not_configured (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = run_test (f, TC_PROVIDER_KIND_TWILIO, &error);
  g_assert_null (message);
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Account SID"));
  g_clear_error (&error);

  /* Settings but no token, and no keyring. */
  configure_whatsapp (f);
  message = run_test (f, TC_PROVIDER_KIND_WHATSAPP, &error);
  g_assert_null (message);
  g_assert_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "needs an access token: No keyring is running"));
  g_assert_cmpuint (f->n_requests, ==, 0);
}

static void
test_connection_simulator (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = run_test (f, TC_PROVIDER_KIND_SIMULATOR, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (message, "The built-in simulator started on http://127.0.0.1:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Nothing here may reach the keyring of whoever runs the tests. */
  if (g_getenv ("TEXTCAST_TEST_KEYRING") == NULL)
    {
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("XDG_RUNTIME_DIR");
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/tc/providers/settings/validation", test_settings_validation);
  ADD ("/tc/providers/settings/refused", test_settings_refused);
  g_test_add_func ("/tc/providers/settings/defaults", test_settings_defaults);
  g_test_add_func ("/tc/providers/kind-names", test_kind_names);
  g_test_add_func ("/tc/providers/secrets/names", test_secrets_names);
  g_test_add_func ("/tc/providers/secrets/env", test_secrets_env);
  g_test_add_func ("/tc/providers/secrets/no-keyring", test_secrets_no_keyring);
  g_test_add_func ("/tc/providers/secrets/invalid", test_secrets_invalid);
  g_test_add_func ("/tc/providers/secrets/timeout", test_secrets_timeout);
  g_test_add_func ("/tc/providers/secrets/dead-bus", test_secrets_dead_bus);
  g_test_add_func ("/tc/providers/secrets/bus-without-keyring", test_secrets_bus_without_keyring);
  ADD ("/tc/providers/secrets/keyring", test_secrets_keyring);
  ADD ("/tc/providers/secrets/templates-client", test_secrets_templates_client);
  ADD ("/tc/providers/load/simulator", test_load_simulator);
  ADD ("/tc/providers/load/twilio-env", test_load_twilio_env);
  ADD ("/tc/providers/load/twilio-both", test_load_twilio_both);
  ADD ("/tc/providers/load/whatsapp-env", test_load_whatsapp_env);
  ADD ("/tc/providers/load/missing", test_load_missing);
  ADD ("/tc/providers/test/twilio", test_connection_twilio);
  ADD ("/tc/providers/test/whatsapp", test_connection_whatsapp);
  ADD ("/tc/providers/test/unreachable", test_connection_unreachable);
  ADD ("/tc/providers/test/not-configured", test_connection_not_configured);
  ADD ("/tc/providers/test/simulator", test_connection_simulator);

#undef ADD

  return g_test_run ();
}
