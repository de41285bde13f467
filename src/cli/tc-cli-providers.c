/* tc-cli-providers.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli providers set|test|list`: which provider sends each
 * channel, their settings, their credentials in the keyring, and a
 * connection test. Credentials are read from standard input (never from
 * the command line, where other users could see them in the process list)
 * and stored in the keyring; nothing here prints them: `list` says only
 * where each one is found.
 *
 * Exit status: 0 success, 1 a failed operation or a failed connection
 * test (one line on stderr), 2 bad usage.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-providers.h"
#include "tc-cli.h"
#include "tc-context.h"
#include "tc-providers.h"
#include "tc-readiness-net.h"
#include "tc-repository.h"
#include "tc-secrets.h"
#include "tc-settings.h"

/* Two lines of token at most; this bounds a mistaken `< big-file`. */
#define MAX_STDIN_BYTES (16 * 1024)

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] providers COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  providers set twilio --account-sid SID [--from NUMBER]\n"
  "        [--messaging-service-sid SID] [--base-url URL] [--auth-token-stdin]\n"
  "      Send SMS through Twilio. The Account SID (AC…) and auth token are on the\n"
  "      Twilio console's dashboard (Account Info); --from is a Twilio number in\n"
  "      international format, --messaging-service-sid a Messaging Service (MG…).\n"
  "      --auth-token-stdin stores the auth token read from standard input in the\n"
  "      keyring; TEXTCAST_TWILIO_AUTH_TOKEN in the environment takes precedence.\n"
  "  providers set whatsapp --phone-number-id ID --business-account-id ID\n"
  "        [--api-version vNN.N] [--base-url URL] [--token-stdin] [--app-secret-stdin]\n"
  "      Send WhatsApp messages through the Meta WhatsApp Cloud API. The ids are\n"
  "      under WhatsApp → API Setup in the Meta app dashboard. --token-stdin stores\n"
  "      the access token from standard input in the keyring, --app-secret-stdin\n"
  "      the app secret (App settings → Basic); with both, the token is the first\n"
  "      line and the app secret the second. TEXTCAST_WHATSAPP_TOKEN and\n"
  "      TEXTCAST_WHATSAPP_APP_SECRET take precedence.\n"
  "  providers set simulator\n"
  "      Send both channels to the built-in simulator: nothing reaches a phone.\n"
  "  providers test twilio|whatsapp|simulator [--json]\n"
  "      Ask the provider whether it accepts the settings and credentials\n"
  "      (exit status 1 when not).\n"
  "  providers list [--json]\n"
  "      The providers, the channels each one serves, their settings, and where\n"
  "      their credentials are found (environment, keyring or missing).\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "account-sid", TRUE },
  { "from", TRUE },
  { "messaging-service-sid", TRUE },
  { "base-url", TRUE },
  { "auth-token-stdin", FALSE },
  { "phone-number-id", TRUE },
  { "business-account-id", TRUE },
  { "api-version", TRUE },
  { "token-stdin", FALSE },
  { "app-secret-stdin", FALSE },
  { NULL, FALSE },
};

static const char * const set_twilio_options[] = {
  "db", "account-sid", "from", "messaging-service-sid", "base-url", "auth-token-stdin", NULL
};
static const char * const set_whatsapp_options[] = {
  "db", "phone-number-id", "business-account-id", "api-version", "base-url", "token-stdin",
  "app-secret-stdin", NULL
};
static const char * const db_only[] = { "db", NULL };
static const char * const db_json[] = { "db", "json", NULL };

/* One setting to write: key and value (NULL: leave as it is). */
typedef struct
{
  const char *key;
  const char *value;
} Change;

/* One secret to store. */
typedef struct
{
  TcSecretName  name;
  char         *value;
} NewSecret;

static GHashTable *
read_settings (TcRepository  *repository,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_settings_get_all_async (repository, "", NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_settings_get_all_finish (repository, result, error);
}

/* Checks every change first, so that a bad value changes nothing; then
 * stores the secrets (a keyring that fails changes nothing either); then
 * writes the settings. */
static int
apply (TcRepository *repository,
       const Change *changes,
       guint         n_changes,
       NewSecret    *secrets,
       guint         n_secrets,
       const char   *account)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_changes; i++)
    if (changes[i].value != NULL && !tc_settings_check_value (changes[i].key, changes[i].value,
                                                               &error))
      return tc_cli_fail_with_error (NULL, error);

  for (guint i = 0; i < n_secrets; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      tc_secrets_store_async (secrets[i].name, account, secrets[i].value, NULL,
                              tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_secrets_store_finish (result, &error))
        return tc_cli_fail ("cannot store the %s: %s", tc_secret_name_describe (secrets[i].name),
                            error->message);
    }

  for (guint i = 0; i < n_changes; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      if (changes[i].value == NULL)
        continue;
      tc_settings_set_async (repository, changes[i].key, changes[i].value, NULL,
                             tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_settings_set_finish (repository, result, &error))
        return tc_cli_fail_with_error ("cannot store the setting", error);
    }

  return EXIT_SUCCESS;
}

static void
free_lines (char  **lines,
            guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      if (lines[i] != NULL)
        memset (lines[i], 0, strlen (lines[i]));
      g_clear_pointer (&lines[i], g_free);
    }
}

/* Reads @n non-blank lines from standard input into @lines, blanks
 * around removed. */
static gboolean
read_lines (guint    n,
            char   **lines,
            GError **error)
{
  g_autoptr(GBytes) bytes = tc_cli_read_stdin (MAX_STDIN_BYTES, error);
  g_autofree char *text = NULL;
  g_auto(GStrv) split = NULL;
  guint found = 0;

  if (bytes == NULL)
    return FALSE;

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (strlen (text) != g_bytes_get_size (bytes) || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "standard input is not text");
      return FALSE;
    }

  split = g_strsplit (text, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_strstrip (split[i]);
      if (split[i][0] == '\0')
        continue;
      if (found == n)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "standard input has more than %u line%s", n, n == 1 ? "" : "s");
          return FALSE;
        }
      lines[found++] = g_strdup (split[i]);
    }

  if (found < n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   n == 1 ? "standard input is empty"
                          : "standard input needs %u lines (the token, then the app secret)", n);
      return FALSE;
    }

  return TRUE;
}

/* Reads @n lines from standard input: one secret each, blanks around
 * removed. On failure @lines holds nothing. */
static gboolean
read_secret_lines (guint    n,
                   char   **lines,
                   GError **error)
{
  if (read_lines (n, lines, error))
    return TRUE;

  free_lines (lines, n);
  return FALSE;
}

static int
cmd_set_twilio (TcCliArgs    *opts,
                TcRepository *repository)
{
  g_autoptr(GHashTable) current = NULL;
  g_autoptr(GError) error = NULL;
  const char *sid = tc_cli_args_get (opts, "account-sid");
  const char *from = tc_cli_args_get (opts, "from");
  const char *service = tc_cli_args_get (opts, "messaging-service-sid");
  char *token[1] = { NULL };
  Change changes[] = {
    { TC_SETTING_TWILIO_ACCOUNT_SID, sid },
    { TC_SETTING_TWILIO_FROM, from },
    { TC_SETTING_TWILIO_MESSAGING_SERVICE_SID, service },
    { TC_SETTING_TWILIO_BASE_URL, tc_cli_args_get (opts, "base-url") },
    { TC_SETTING_PROVIDER_SMS, "twilio" },
  };
  NewSecret secret = { TC_SECRET_TWILIO_AUTH_TOKEN, NULL };
  int status;

  if (sid == NULL)
    return tc_cli_usage_error (usage_text, "'providers set twilio' needs --account-sid SID");

  current = read_settings (repository, &error);
  if (current == NULL)
    return tc_cli_fail_with_error ("cannot read the settings", error);

  if (from == NULL && service == NULL &&
      g_hash_table_lookup (current, TC_SETTING_TWILIO_FROM) == NULL &&
      g_hash_table_lookup (current, TC_SETTING_TWILIO_MESSAGING_SERVICE_SID) == NULL)
    return tc_cli_fail ("Twilio needs a number to send from or a Messaging Service SID: add "
                        "--from +1… (a number of your Twilio account) or "
                        "--messaging-service-sid MG…");

  if (tc_cli_args_has (opts, "auth-token-stdin"))
    {
      if (!read_secret_lines (1, token, &error))
        return tc_cli_fail ("cannot read the auth token: %s", error->message);
      secret.value = token[0];
    }

  status = apply (repository, changes, G_N_ELEMENTS (changes), &secret,
                  secret.value != NULL ? 1 : 0, sid);
  free_lines (token, 1);

  return status;
}

static int
cmd_set_whatsapp (TcCliArgs    *opts,
                  TcRepository *repository)
{
  g_autoptr(GError) error = NULL;
  const char *phone_number_id = tc_cli_args_get (opts, "phone-number-id");
  const char *waba_id = tc_cli_args_get (opts, "business-account-id");
  gboolean want_token = tc_cli_args_has (opts, "token-stdin");
  gboolean want_app_secret = tc_cli_args_has (opts, "app-secret-stdin");
  char *lines[2] = { NULL, NULL };
  Change changes[] = {
    { TC_SETTING_WHATSAPP_PHONE_NUMBER_ID, phone_number_id },
    { TC_SETTING_WHATSAPP_WABA_ID, waba_id },
    { TC_SETTING_WHATSAPP_API_VERSION, tc_cli_args_get (opts, "api-version") },
    { TC_SETTING_WHATSAPP_API_BASE, tc_cli_args_get (opts, "base-url") },
    { TC_SETTING_PROVIDER_WHATSAPP, "whatsapp" },
  };
  NewSecret secrets[2];
  guint n_secrets = 0;
  guint n_lines = (want_token ? 1 : 0) + (want_app_secret ? 1 : 0);
  int status;

  if (phone_number_id == NULL)
    return tc_cli_usage_error (usage_text, "'providers set whatsapp' needs --phone-number-id ID");
  if (waba_id == NULL)
    return tc_cli_usage_error (usage_text,
                               "'providers set whatsapp' needs --business-account-id ID");

  if (n_lines > 0 && !read_secret_lines (n_lines, lines, &error))
    return tc_cli_fail ("cannot read the %s: %s",
                        want_token ? "access token" : "app secret", error->message);

  if (want_token)
    secrets[n_secrets++] = (NewSecret) { TC_SECRET_WHATSAPP_TOKEN, lines[0] };
  if (want_app_secret)
    secrets[n_secrets++] = (NewSecret) { TC_SECRET_WHATSAPP_APP_SECRET,
                                         want_token ? lines[1] : lines[0] };

  status = apply (repository, changes, G_N_ELEMENTS (changes), secrets, n_secrets, waba_id);
  free_lines (lines, 2);

  return status;
}

static int
cmd_set_simulator (TcRepository *repository)
{
  const Change changes[] = {
    { TC_SETTING_PROVIDER_SMS, "simulator" },
    { TC_SETTING_PROVIDER_WHATSAPP, "simulator" },
  };

  return apply (repository, changes, G_N_ELEMENTS (changes), NULL, 0, NULL);
}

static int
run_set (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  TcProviderKind kind;
  int status;

  if (opts->args->len < 3)
    return tc_cli_usage_error (usage_text, "'providers set' needs a provider: twilio, whatsapp "
                               "or simulator");
  name = tc_cli_args_word (opts, 2);
  if (!tc_provider_kind_from_string (name, &kind))
    return tc_cli_usage_error (usage_text, "'%s' is not a provider: use twilio, whatsapp or "
                               "simulator", name);
  if (opts->args->len > 3)
    return tc_cli_usage_error (usage_text, "'providers set %s' got an unexpected argument '%s'",
                               name, tc_cli_args_word (opts, 3));

  switch (kind)
    {
    case TC_PROVIDER_KIND_TWILIO:
      status = tc_cli_args_refuse (opts, option_specs, usage_text, "providers set twilio",
                                   set_twilio_options);
      break;
    case TC_PROVIDER_KIND_WHATSAPP:
      status = tc_cli_args_refuse (opts, option_specs, usage_text, "providers set whatsapp",
                                   set_whatsapp_options);
      break;
    case TC_PROVIDER_KIND_SIMULATOR:
    default:
      status = tc_cli_args_refuse (opts, option_specs, usage_text, "providers set simulator",
                                   db_only);
      break;
    }
  if (status != 0)
    return status;

  /* Setting up a workspace may start with its providers. */
  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), TRUE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  switch (kind)
    {
    case TC_PROVIDER_KIND_TWILIO:
      return cmd_set_twilio (opts, tc_context_get_repository (context));
    case TC_PROVIDER_KIND_WHATSAPP:
      return cmd_set_whatsapp (opts, tc_context_get_repository (context));
    case TC_PROVIDER_KIND_SIMULATOR:
    default:
      return cmd_set_simulator (tc_context_get_repository (context));
    }
}

/* ------------------------------------------------------------------------
 * test
 */

static void
print_test_json (const char *provider,
                 gboolean    ok,
                 const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, provider);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  tc_cli_print_json (root);
}

static int
run_test (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *name;
  TcProviderKind kind;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "providers test",
                                    db_json)) != 0)
    return status;
  if (opts->args->len < 3)
    return tc_cli_usage_error (usage_text, "'providers test' needs a provider: twilio, "
                               "whatsapp or simulator");
  name = tc_cli_args_word (opts, 2);
  if (!tc_provider_kind_from_string (name, &kind))
    return tc_cli_usage_error (usage_text, "'%s' is not a provider: use twilio, whatsapp or "
                               "simulator", name);
  if (opts->args->len > 3)
    return tc_cli_usage_error (usage_text, "'providers test' got an unexpected argument '%s'",
                               tc_cli_args_word (opts, 3));

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  /* Recorded for the readiness check (textcast-cli readiness). */
  tc_readiness_test_provider_async (tc_context_get_repository (context), NULL, kind, NULL,
                                    tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  message = tc_readiness_test_provider_finish (result, &error);

  if (opts->json)
    print_test_json (name, message != NULL, message != NULL ? message : error->message);
  else if (message != NULL)
    g_print ("%s\n", message);

  if (message == NULL)
    {
      if (opts->json)
        return TC_CLI_EXIT_FAILURE;
      return tc_cli_fail_with_error (NULL, error);
    }

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * list
 */

typedef struct
{
  TcSecretSource  source;
  char           *problem;   /* why the keyring could not say, or NULL */
} Where;

/* Where @name is found, without keeping its value. */
static Where
find_secret (const TcProviderSettings *settings,
             TcSecretName              name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Where where = { TC_SECRET_SOURCE_NONE, NULL };
  const char *account = tc_provider_settings_secret_account (settings, name);
  char *value;

  /* Without the account it is kept under, only the environment can have
   * it. */
  if (account == NULL)
    {
      value = tc_secrets_get_env (name);
      if (value != NULL)
        {
          where.source = TC_SECRET_SOURCE_ENVIRONMENT;
          memset (value, 0, strlen (value));
          g_free (value);
        }
      return where;
    }

  tc_secrets_lookup_async (name, account, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  value = tc_secrets_lookup_finish (result, &where.source, &error);
  if (value != NULL)
    {
      /* Wiped before it is freed: the value is not needed here. */
      memset (value, 0, strlen (value));
      g_free (value);
    }
  if (error != NULL)
    where.problem = g_strdup (error->message);

  return where;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static const char *
credentials_word (const Where *where)
{
  switch (where->source)
    {
    case TC_SECRET_SOURCE_ENVIRONMENT:
      return "environment";
    case TC_SECRET_SOURCE_KEYRING:
      return "keyring";
    case TC_SECRET_SOURCE_NONE:
    default:
      return "missing";
    }
}

static void
add_channels (JsonBuilder              *builder,
              const TcProviderSettings *settings,
              TcProviderKind            kind,
              GString                  *text)
{
  json_builder_set_member_name (builder, "channels");
  json_builder_begin_array (builder);
  if (settings->sms == kind)
    {
      json_builder_add_string_value (builder, "sms");
      g_string_append (text, " sms");
    }
  if (settings->whatsapp == kind)
    {
      json_builder_add_string_value (builder, "whatsapp");
      g_string_append (text, " whatsapp");
    }
  json_builder_end_array (builder);
}

static int
run_list (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(TcProviderSettings) settings = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Where twilio_token, wa_token, wa_app_secret, wa_verify_token;
  gboolean twilio_ok, whatsapp_ok;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "providers list",
                                    db_json)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'providers list' got an unexpected argument '%s'",
                               tc_cli_args_word (opts, 2));

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  values = read_settings (tc_context_get_repository (context), &error);
  if (values == NULL)
    return tc_cli_fail_with_error ("cannot read the settings", error);
  settings = tc_provider_settings_new_from_table (values);

  twilio_token = find_secret (settings, TC_SECRET_TWILIO_AUTH_TOKEN);
  wa_token = find_secret (settings, TC_SECRET_WHATSAPP_TOKEN);
  wa_app_secret = find_secret (settings, TC_SECRET_WHATSAPP_APP_SECRET);
  wa_verify_token = find_secret (settings, TC_SECRET_WHATSAPP_VERIFY_TOKEN);

  twilio_ok = tc_provider_settings_check (settings, TC_PROVIDER_KIND_TWILIO, NULL) &&
              twilio_token.source != TC_SECRET_SOURCE_NONE;
  whatsapp_ok = tc_provider_settings_check (settings, TC_PROVIDER_KIND_WHATSAPP, NULL) &&
                wa_token.source != TC_SECRET_SOURCE_NONE;

  json_builder_begin_array (builder);

  /* The simulator: always ready. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "simulator");
  json_builder_set_member_name (builder, "configured");
  json_builder_add_boolean_value (builder, TRUE);
  g_string_append (text, "simulator: ready; channels:");
  add_channels (builder, settings, TC_PROVIDER_KIND_SIMULATOR, text);
  g_string_append (text, "\n");
  json_builder_end_object (builder);

  /* Twilio */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "twilio");
  json_builder_set_member_name (builder, "configured");
  json_builder_add_boolean_value (builder, twilio_ok);
  g_string_append_printf (text, "twilio: %s; channels:", twilio_ok ? "configured"
                                                                   : "not configured");
  add_channels (builder, settings, TC_PROVIDER_KIND_TWILIO, text);
  add_string_or_null (builder, "account_sid", settings->twilio_account_sid);
  add_string_or_null (builder, "from", settings->twilio_from);
  add_string_or_null (builder, "messaging_service_sid", settings->twilio_messaging_service_sid);
  add_string_or_null (builder, "base_url", settings->twilio_base_url);
  add_string_or_null (builder, "credentials", credentials_word (&twilio_token));
  if (twilio_token.problem != NULL)
    add_string_or_null (builder, "credentials_problem", twilio_token.problem);
  json_builder_end_object (builder);
  g_string_append_printf (text, "\n  account SID: %s\n  from: %s\n  messaging service: %s\n"
                          "  base URL: %s\n  auth token: %s\n",
                          settings->twilio_account_sid ? settings->twilio_account_sid : "-",
                          settings->twilio_from ? settings->twilio_from : "-",
                          settings->twilio_messaging_service_sid
                            ? settings->twilio_messaging_service_sid : "-",
                          settings->twilio_base_url,
                          twilio_token.problem ? twilio_token.problem
                                               : credentials_word (&twilio_token));

  /* The WhatsApp Cloud API */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "configured");
  json_builder_add_boolean_value (builder, whatsapp_ok);
  g_string_append_printf (text, "whatsapp: %s; channels:", whatsapp_ok ? "configured"
                                                                       : "not configured");
  add_channels (builder, settings, TC_PROVIDER_KIND_WHATSAPP, text);
  add_string_or_null (builder, "phone_number_id", settings->whatsapp_phone_number_id);
  add_string_or_null (builder, "business_account_id", settings->whatsapp_waba_id);
  add_string_or_null (builder, "api_version", settings->whatsapp_api_version);
  add_string_or_null (builder, "base_url", settings->whatsapp_api_base);
  add_string_or_null (builder, "credentials", credentials_word (&wa_token));
  if (wa_token.problem != NULL)
    add_string_or_null (builder, "credentials_problem", wa_token.problem);
  add_string_or_null (builder, "app_secret", credentials_word (&wa_app_secret));
  add_string_or_null (builder, "verify_token", credentials_word (&wa_verify_token));
  json_builder_end_object (builder);
  g_string_append_printf (text, "\n  phone-number id: %s\n  business account id: %s\n"
                          "  API: %s/%s\n  access token: %s\n  app secret: %s\n",
                          settings->whatsapp_phone_number_id
                            ? settings->whatsapp_phone_number_id : "-",
                          settings->whatsapp_waba_id ? settings->whatsapp_waba_id : "-",
                          settings->whatsapp_api_base, settings->whatsapp_api_version,
                          wa_token.problem ? wa_token.problem : credentials_word (&wa_token),
                          credentials_word (&wa_app_secret));

  json_builder_end_array (builder);

  if (opts->json)
    {
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    fputs (text->str, stdout);

  g_free (twilio_token.problem);
  g_free (wa_token.problem);
  g_free (wa_app_secret.problem);
  g_free (wa_verify_token.problem);

  return EXIT_SUCCESS;
}

int
tc_cli_providers_main (int    argc,
                       char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  const char *command;
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'providers' needs a command: set, test or list");
      goto out;
    }

  command = tc_cli_args_word (&opts, 1);
  if (strcmp (command, "set") == 0)
    status = run_set (&opts);
  else if (strcmp (command, "test") == 0)
    status = run_test (&opts);
  else if (strcmp (command, "list") == 0)
    status = run_list (&opts);
  else
    status = tc_cli_usage_error (usage_text, "unknown command 'providers %s'", command);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
