/* tc-providers.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configured providers, built from the workspace settings and the
 * credentials; and the connection test of each provider. Everything runs
 * on the caller's main context: settings come from the repository's
 * threads, secrets from the keyring over D-Bus, and the test requests go
 * through the one SoupSession. Credentials are handed to the providers
 * and to the Authorization header, and never written anywhere else: error
 * messages built from the providers' answers carry no request headers.
 */

#define G_LOG_DOMAIN "tc-providers"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-providers.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-soup.h"
#include "tc-twilio.h"
#include "tc-whatsapp-cloud.h"

/* The answers of the test requests are a few hundred bytes; this bounds a
 * broken or hostile server. */
#define MAX_TEST_RESPONSE_BYTES (256 * 1024)
#define READ_CHUNK_BYTES        (16 * 1024)

#define HTTP_TOO_MANY_REQUESTS 429

G_DEFINE_QUARK (tc-providers-error-quark, tc_providers_error)

static const struct {
  const char *name;
  const char *description;
} kinds[TC_PROVIDER_KIND_N] = {
  [TC_PROVIDER_KIND_SIMULATOR] = { "simulator", N_("the built-in simulator") },
  [TC_PROVIDER_KIND_TWILIO] = { "twilio", N_("Twilio") },
  [TC_PROVIDER_KIND_WHATSAPP] = { "whatsapp", N_("the WhatsApp Cloud API") },
};

const char *
tc_provider_kind_to_string (TcProviderKind kind)
{
  g_return_val_if_fail ((guint) kind < TC_PROVIDER_KIND_N, NULL);

  return kinds[kind].name;
}

gboolean
tc_provider_kind_from_string (const char     *str,
                              TcProviderKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; str != NULL && i < TC_PROVIDER_KIND_N; i++)
    if (strcmp (str, kinds[i].name) == 0)
      {
        *kind = i;
        return TRUE;
      }

  return FALSE;
}

const char *
tc_provider_kind_describe (TcProviderKind kind)
{
  g_return_val_if_fail ((guint) kind < TC_PROVIDER_KIND_N, NULL);

  return _(kinds[kind].description);
}

/* ------------------------------------------------------------------------
 * Settings
 */

static char *
dup_setting (GHashTable *settings,
             const char *key)
{
  const char *value = settings != NULL ? g_hash_table_lookup (settings, key) : NULL;

  if (value == NULL || value[0] == '\0')
    return NULL;

  return g_strdup (value);
}

static char *
strip_trailing_slashes (char *url)
{
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';

  return url;
}

TcProviderSettings *
tc_provider_settings_new_from_table (GHashTable *settings)
{
  TcProviderSettings *self = g_new0 (TcProviderSettings, 1);
  const char *value;

  self->sms = TC_PROVIDER_KIND_SIMULATOR;
  value = settings != NULL ? g_hash_table_lookup (settings, TC_SETTING_PROVIDER_SMS) : NULL;
  if (g_strcmp0 (value, "twilio") == 0)
    self->sms = TC_PROVIDER_KIND_TWILIO;

  self->whatsapp = TC_PROVIDER_KIND_SIMULATOR;
  value = settings != NULL ? g_hash_table_lookup (settings, TC_SETTING_PROVIDER_WHATSAPP) : NULL;
  if (g_strcmp0 (value, "twilio") == 0)
    self->whatsapp = TC_PROVIDER_KIND_TWILIO;
  else if (g_strcmp0 (value, "whatsapp") == 0)
    self->whatsapp = TC_PROVIDER_KIND_WHATSAPP;

  self->twilio_account_sid = dup_setting (settings, TC_SETTING_TWILIO_ACCOUNT_SID);
  self->twilio_from = dup_setting (settings, TC_SETTING_TWILIO_FROM);
  self->twilio_messaging_service_sid = dup_setting (settings,
                                                    TC_SETTING_TWILIO_MESSAGING_SERVICE_SID);
  self->twilio_base_url = dup_setting (settings, TC_SETTING_TWILIO_BASE_URL);
  if (self->twilio_base_url == NULL)
    self->twilio_base_url = g_strdup (TC_TWILIO_DEFAULT_BASE_URL);
  strip_trailing_slashes (self->twilio_base_url);

  self->whatsapp_phone_number_id = dup_setting (settings, TC_SETTING_WHATSAPP_PHONE_NUMBER_ID);
  self->whatsapp_waba_id = dup_setting (settings, TC_SETTING_WHATSAPP_WABA_ID);
  self->whatsapp_api_base = dup_setting (settings, TC_SETTING_WHATSAPP_API_BASE);
  if (self->whatsapp_api_base == NULL)
    self->whatsapp_api_base = g_strdup (TC_WHATSAPP_DEFAULT_BASE_URL);
  strip_trailing_slashes (self->whatsapp_api_base);
  self->whatsapp_api_version = dup_setting (settings, TC_SETTING_WHATSAPP_API_VERSION);
  if (self->whatsapp_api_version == NULL)
    self->whatsapp_api_version = g_strdup (TC_WHATSAPP_DEFAULT_API_VERSION);

  self->public_url = dup_setting (settings, TC_SETTING_HTTP_PUBLIC_URL);
  if (self->public_url != NULL)
    strip_trailing_slashes (self->public_url);

  return self;
}

void
tc_provider_settings_free (TcProviderSettings *settings)
{
  if (settings == NULL)
    return;

  g_free (settings->twilio_account_sid);
  g_free (settings->twilio_from);
  g_free (settings->twilio_messaging_service_sid);
  g_free (settings->twilio_base_url);
  g_free (settings->whatsapp_phone_number_id);
  g_free (settings->whatsapp_waba_id);
  g_free (settings->whatsapp_api_base);
  g_free (settings->whatsapp_api_version);
  g_free (settings->public_url);
  g_free (settings);
}

gboolean
tc_provider_settings_check (const TcProviderSettings  *settings,
                            TcProviderKind             kind,
                            GError                   **error)
{
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail ((guint) kind < TC_PROVIDER_KIND_N, FALSE);

  switch (kind)
    {
    case TC_PROVIDER_KIND_TWILIO:
      if (settings->twilio_account_sid == NULL)
        {
          g_set_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                       _("Twilio needs an Account SID: copy it from the Twilio console "
                         "(Account Info on the dashboard) into Preferences → Providers, or run "
                         "textcast-cli providers set twilio --account-sid AC…"));
          return FALSE;
        }
      if (settings->twilio_from == NULL && settings->twilio_messaging_service_sid == NULL)
        {
          g_set_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                       _("Twilio needs a number to send from or a Messaging Service SID: "
                         "set one in Preferences → Providers, or run textcast-cli providers "
                         "set twilio --from +1… (or --messaging-service-sid MG…)"));
          return FALSE;
        }
      return TRUE;

    case TC_PROVIDER_KIND_WHATSAPP:
      if (settings->whatsapp_phone_number_id == NULL)
        {
          g_set_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                       _("The WhatsApp Cloud API needs a phone-number id: copy it from the Meta "
                         "app dashboard (WhatsApp → API Setup) into Preferences → Providers, or "
                         "run textcast-cli providers set whatsapp --phone-number-id …"));
          return FALSE;
        }
      if (settings->whatsapp_waba_id == NULL)
        {
          g_set_error (error, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                       _("The WhatsApp Cloud API needs the WhatsApp Business Account id: copy "
                         "it from the Meta app dashboard (WhatsApp → API Setup) into "
                         "Preferences → Providers, or run textcast-cli providers set whatsapp "
                         "--business-account-id …"));
          return FALSE;
        }
      return TRUE;

    case TC_PROVIDER_KIND_SIMULATOR:
    default:
      return TRUE;
    }
}

const char *
tc_provider_settings_secret_account (const TcProviderSettings *settings,
                                     TcSecretName              name)
{
  g_return_val_if_fail (settings != NULL, NULL);

  switch (name)
    {
    case TC_SECRET_TWILIO_AUTH_TOKEN:
      return settings->twilio_account_sid;
    case TC_SECRET_WHATSAPP_TOKEN:
    case TC_SECRET_WHATSAPP_APP_SECRET:
    case TC_SECRET_WHATSAPP_VERIFY_TOKEN:
      return settings->whatsapp_waba_id;
    case TC_SECRET_EVENTS_TOKEN:
    case TC_SECRET_SHOPIFY_WEBHOOK_SECRET:
    case TC_SECRET_WOOCOMMERCE_WEBHOOK_SECRET:
    default:
      return "";
    }
}

gboolean
tc_provider_settings_uses (const TcProviderSettings *settings,
                           TcProviderKind            kind)
{
  g_return_val_if_fail (settings != NULL, FALSE);

  return settings->sms == kind || settings->whatsapp == kind;
}

/* ------------------------------------------------------------------------
 * TcProviders
 */

struct _TcProviders
{
  GObject             parent_instance;

  TcProviderSettings *settings;
  TcProvider         *providers[2];  /* by TcChannel */
  TcProviderKind      kinds[2];
  char               *senders[2];
  TcSimulator        *simulator;
};

G_DEFINE_FINAL_TYPE (TcProviders, tc_providers, G_TYPE_OBJECT)

static void
tc_providers_dispose (GObject *object)
{
  TcProviders *self = TC_PROVIDERS (object);

  g_clear_object (&self->providers[TC_CHANNEL_SMS]);
  g_clear_object (&self->providers[TC_CHANNEL_WHATSAPP]);
  if (self->simulator != NULL)
    {
      tc_simulator_stop (self->simulator);
      g_clear_object (&self->simulator);
    }

  G_OBJECT_CLASS (tc_providers_parent_class)->dispose (object);
}

static void
tc_providers_finalize (GObject *object)
{
  TcProviders *self = TC_PROVIDERS (object);

  g_clear_pointer (&self->settings, tc_provider_settings_free);
  g_free (self->senders[TC_CHANNEL_SMS]);
  g_free (self->senders[TC_CHANNEL_WHATSAPP]);

  G_OBJECT_CLASS (tc_providers_parent_class)->finalize (object);
}

static void
tc_providers_class_init (TcProvidersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_providers_dispose;
  object_class->finalize = tc_providers_finalize;
}

static void
tc_providers_init (TcProviders *self)
{
}

TcProvider *
tc_providers_get_provider (TcProviders *self,
                           TcChannel    channel)
{
  g_return_val_if_fail (TC_IS_PROVIDERS (self), NULL);
  g_return_val_if_fail (channel == TC_CHANNEL_SMS || channel == TC_CHANNEL_WHATSAPP, NULL);

  return self->providers[channel];
}

TcProviderKind
tc_providers_get_kind (TcProviders *self,
                       TcChannel    channel)
{
  g_return_val_if_fail (TC_IS_PROVIDERS (self), TC_PROVIDER_KIND_SIMULATOR);
  g_return_val_if_fail (channel == TC_CHANNEL_SMS || channel == TC_CHANNEL_WHATSAPP,
                        TC_PROVIDER_KIND_SIMULATOR);

  return self->kinds[channel];
}

const char *
tc_providers_get_sender (TcProviders *self,
                         TcChannel    channel)
{
  g_return_val_if_fail (TC_IS_PROVIDERS (self), NULL);
  g_return_val_if_fail (channel == TC_CHANNEL_SMS || channel == TC_CHANNEL_WHATSAPP, NULL);

  return self->senders[channel];
}

TcSimulator *
tc_providers_get_simulator (TcProviders *self)
{
  g_return_val_if_fail (TC_IS_PROVIDERS (self), NULL);

  return self->simulator;
}

const TcProviderSettings *
tc_providers_get_settings (TcProviders *self)
{
  g_return_val_if_fail (TC_IS_PROVIDERS (self), NULL);

  return self->settings;
}

/* ------------------------------------------------------------------------
 * Credentials of the configured providers, one lookup after another
 */

typedef struct
{
  TcSecretName  name;
  gboolean      required;
  char        **slot;
} Need;

static GError *
missing_secret_error (TcProviderKind  kind,
                      TcSecretName    name,
                      const GError   *lookup_error)
{
  const char *env_var = tc_secret_name_env_var (name);
  /* Translators: "Twilio needs an auth token", "The WhatsApp Cloud API
   * needs an access token" */
  const char *need = kind == TC_PROVIDER_KIND_TWILIO
                     ? _("Twilio needs an auth token")
                     : _("The WhatsApp Cloud API needs an access token");
  const char *option = kind == TC_PROVIDER_KIND_TWILIO ? "twilio --auth-token-stdin"
                                                       : "whatsapp --token-stdin";

  if (lookup_error != NULL)
    return g_error_new (TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                        "%s: %s", need, lookup_error->message);

  return g_error_new (TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                      _("%s: set %s, or enter it in Preferences → Providers "
                        "(or: textcast-cli providers set %s)"),
                      need, env_var, option);
}

/* ------------------------------------------------------------------------
 * Loading
 */

typedef struct
{
  TcRepository        *repository;
  SoupSession         *session;
  TcSimulatorConfig    simulator_config;
  char                *simulator_strings[5];
  TcProviderSettings  *settings;
  char                *twilio_token;
  char                *whatsapp_token;
  char                *whatsapp_app_secret;
  char                *whatsapp_verify_token;
  GArray              *needs;         /* Need */
  guint                next_need;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->repository);
  g_clear_object (&data->session);
  for (guint i = 0; i < G_N_ELEMENTS (data->simulator_strings); i++)
    g_free (data->simulator_strings[i]);
  g_clear_pointer (&data->settings, tc_provider_settings_free);
  g_free (data->twilio_token);
  g_free (data->whatsapp_token);
  g_free (data->whatsapp_app_secret);
  g_free (data->whatsapp_verify_token);
  g_clear_pointer (&data->needs, g_array_unref);
  g_free (data);
}

static TcProviderKind
need_kind (TcSecretName name)
{
  return name == TC_SECRET_TWILIO_AUTH_TOKEN ? TC_PROVIDER_KIND_TWILIO : TC_PROVIDER_KIND_WHATSAPP;
}

static gboolean
build (LoadData     *data,
       TcProviders  *self,
       GError      **error)
{
  const TcProviderSettings *settings = data->settings;
  g_autoptr(TcTwilioProvider) twilio = NULL;
  g_autoptr(TcTwilioProvider) simulated_twilio = NULL;
  g_autoptr(TcWhatsappProvider) simulated_whatsapp = NULL;

  if (tc_provider_settings_uses (settings, TC_PROVIDER_KIND_SIMULATOR))
    {
      self->simulator = tc_simulator_new (&data->simulator_config);
      if (!tc_simulator_listen (self->simulator, "127.0.0.1", 0, error))
        {
          GError *listen_error = *error;

          *error = g_error_new (TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                                _("The built-in simulator cannot start on 127.0.0.1: %s"),
                                listen_error->message);
          g_error_free (listen_error);
          return FALSE;
        }
    }

  if (tc_provider_settings_uses (settings, TC_PROVIDER_KIND_TWILIO))
    twilio = tc_twilio_provider_new (data->session, settings->twilio_base_url,
                                     settings->twilio_account_sid, data->twilio_token);

  /* SMS */
  self->kinds[TC_CHANNEL_SMS] = settings->sms;
  if (settings->sms == TC_PROVIDER_KIND_TWILIO)
    {
      self->providers[TC_CHANNEL_SMS] = TC_PROVIDER (g_object_ref (twilio));
      self->senders[TC_CHANNEL_SMS] = g_strdup (settings->twilio_from != NULL
                                                ? settings->twilio_from
                                                : settings->twilio_messaging_service_sid);
    }
  else
    {
      simulated_twilio = tc_twilio_provider_new (data->session,
                                                 tc_simulator_get_base_url (self->simulator),
                                                 TC_PROVIDERS_SIMULATOR_ACCOUNT_SID,
                                                 TC_PROVIDERS_SIMULATOR_AUTH_TOKEN);
      self->providers[TC_CHANNEL_SMS] = TC_PROVIDER (g_object_ref (simulated_twilio));
      self->senders[TC_CHANNEL_SMS] = g_strdup (TC_PROVIDERS_SIMULATOR_FROM);
    }

  /* WhatsApp */
  self->kinds[TC_CHANNEL_WHATSAPP] = settings->whatsapp;
  switch (settings->whatsapp)
    {
    case TC_PROVIDER_KIND_TWILIO:
      self->providers[TC_CHANNEL_WHATSAPP] = TC_PROVIDER (g_object_ref (twilio));
      self->senders[TC_CHANNEL_WHATSAPP] = g_strdup (settings->twilio_from != NULL
                                                     ? settings->twilio_from
                                                     : settings->twilio_messaging_service_sid);
      break;

    case TC_PROVIDER_KIND_WHATSAPP:
      self->providers[TC_CHANNEL_WHATSAPP] =
        TC_PROVIDER (tc_whatsapp_provider_new (data->session, settings->whatsapp_api_base,
                                               settings->whatsapp_api_version,
                                               settings->whatsapp_phone_number_id,
                                               data->whatsapp_token, data->whatsapp_app_secret,
                                               data->whatsapp_verify_token));
      self->senders[TC_CHANNEL_WHATSAPP] = g_strdup (settings->whatsapp_phone_number_id);
      break;

    case TC_PROVIDER_KIND_SIMULATOR:
    default:
      {
        const char *app_secret = data->simulator_config.whatsapp_app_secret;

        simulated_whatsapp =
          tc_whatsapp_provider_new (data->session, tc_simulator_get_base_url (self->simulator),
                                    settings->whatsapp_api_version,
                                    TC_PROVIDERS_SIMULATOR_PHONE_NUMBER_ID,
                                    TC_PROVIDERS_SIMULATOR_ACCESS_TOKEN,
                                    app_secret != NULL ? app_secret
                                                       : TC_PROVIDERS_SIMULATOR_APP_SECRET,
                                    TC_PROVIDERS_SIMULATOR_VERIFY_TOKEN);
        self->providers[TC_CHANNEL_WHATSAPP] = TC_PROVIDER (g_object_ref (simulated_whatsapp));
        self->senders[TC_CHANNEL_WHATSAPP] = g_strdup (TC_PROVIDERS_SIMULATOR_PHONE_NUMBER_ID);
      }
      break;
    }

  return TRUE;
}

static void look_up_next (GTask *task);

static void
secret_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  const Need *need = &g_array_index (data->needs, Need, data->next_need);
  g_autoptr(GError) error = NULL;
  TcSecretSource source;
  char *value;

  value = tc_secrets_lookup_finish (result, &source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (value == NULL && need->required)
    {
      g_task_return_error (task, missing_secret_error (need_kind (need->name), need->name, error));
      return;
    }
  if (error != NULL)
    /* An optional secret (webhook signing) the keyring could not give:
     * webhooks are refused until it is set. */
    g_debug ("%s: %s", tc_secret_name_to_string (need->name), error->message);

  *need->slot = value;
  data->next_need++;
  look_up_next (g_steal_pointer (&task));
}

static void
look_up_next (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(TcProviders) self = NULL;
  GError *error = NULL;

  if (data->next_need < data->needs->len)
    {
      const Need *need = &g_array_index (data->needs, Need, data->next_need);

      tc_secrets_lookup_async (need->name,
                               tc_provider_settings_secret_account (data->settings, need->name),
                               g_task_get_cancellable (task), secret_found_cb, task);
      return;
    }

  self = g_object_new (TC_TYPE_PROVIDERS, NULL);
  if (!build (data, self, &error))
    g_task_return_error (task, error);
  else
    {
      self->settings = g_steal_pointer (&data->settings);
      g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
    }
  g_object_unref (task);
}

static void
add_need (LoadData      *data,
          TcSecretName   name,
          gboolean       required,
          char         **slot)
{
  Need need = { name, required, slot };

  g_array_append_val (data->needs, need);
}

static void
load_settings_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) settings = NULL;
  GError *error = NULL;

  settings = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (settings == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->settings = tc_provider_settings_new_from_table (settings);
  for (guint kind = TC_PROVIDER_KIND_TWILIO; kind < TC_PROVIDER_KIND_N; kind++)
    if (tc_provider_settings_uses (data->settings, kind) &&
        !tc_provider_settings_check (data->settings, kind, &error))
      {
        g_task_return_error (task, error);
        g_object_unref (task);
        return;
      }

  data->needs = g_array_new (FALSE, FALSE, sizeof (Need));
  if (tc_provider_settings_uses (data->settings, TC_PROVIDER_KIND_TWILIO))
    add_need (data, TC_SECRET_TWILIO_AUTH_TOKEN, TRUE, &data->twilio_token);
  if (tc_provider_settings_uses (data->settings, TC_PROVIDER_KIND_WHATSAPP))
    {
      add_need (data, TC_SECRET_WHATSAPP_TOKEN, TRUE, &data->whatsapp_token);
      add_need (data, TC_SECRET_WHATSAPP_APP_SECRET, FALSE, &data->whatsapp_app_secret);
      add_need (data, TC_SECRET_WHATSAPP_VERIFY_TOKEN, FALSE, &data->whatsapp_verify_token);
    }

  look_up_next (task);
}

void
tc_providers_load_async (TcRepository            *repository,
                         SoupSession             *session,
                         const TcSimulatorConfig *simulator_config,
                         GCancellable            *cancellable,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  GTask *task;
  LoadData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_providers_load_async);

  data = g_new0 (LoadData, 1);
  data->repository = g_object_ref (repository);
  data->session = session != NULL ? g_object_ref (session) : tc_soup_session_new ();
  if (simulator_config != NULL)
    {
      data->simulator_config = *simulator_config;
      /* Copies of the strings, which the caller may free at once. */
      data->simulator_config.twilio_auth_token = data->simulator_strings[0] =
        g_strdup (simulator_config->twilio_auth_token);
      data->simulator_config.whatsapp_app_secret = data->simulator_strings[1] =
        g_strdup (simulator_config->whatsapp_app_secret);
      data->simulator_config.whatsapp_webhook_url = data->simulator_strings[2] =
        g_strdup (simulator_config->whatsapp_webhook_url);
      data->simulator_config.twilio_inbound_url = data->simulator_strings[3] =
        g_strdup (simulator_config->twilio_inbound_url);
      data->simulator_config.log_path = data->simulator_strings[4] =
        g_strdup (simulator_config->log_path);
    }
  else
    tc_simulator_config_init (&data->simulator_config);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  tc_settings_get_all_async (repository, "", cancellable, load_settings_cb, task);
}

TcProviders *
tc_providers_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_providers_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Connection tests
 */

typedef struct
{
  TcProviderKind      kind;
  SoupSession        *session;
  TcProviderSettings *settings;
  char               *secret;
  char               *url;          /* of the test request, for messages */
  SoupMessage        *message;
  GInputStream       *stream;
  GByteArray         *body;
} TestData;

static void
test_data_free (TestData *data)
{
  g_clear_object (&data->session);
  g_clear_pointer (&data->settings, tc_provider_settings_free);
  g_free (data->secret);
  g_free (data->url);
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Meta's {"error": {"code": N, "message": …}}: the code, or 0. */
static gint64
meta_error_code (JsonObject *root)
{
  JsonNode *node;
  JsonObject *error_object;

  if (root == NULL || !json_object_has_member (root, "error"))
    return 0;
  node = json_object_get_member (root, "error");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  error_object = json_node_get_object (node);
  if (!json_object_has_member (error_object, "code"))
    return 0;
  node = json_object_get_member (error_object, "code");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

static void
finish_twilio (GTask      *task,
               TestData   *data,
               guint       status,
               JsonObject *root)
{
  const char *sid = data->settings->twilio_account_sid;
  const char *name = member_string (root, "friendly_name");
  const char *state = member_string (root, "status");

  if (status == SOUP_STATUS_OK && root != NULL)
    {
      if (state != NULL && strcmp (state, "active") != 0)
        {
          g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                                   _("Twilio accepted the credentials, but account %s is %s: "
                                     "it cannot send until it is active again (see the Twilio "
                                     "console)"), sid, state);
          return;
        }
      if (name != NULL)
        g_task_return_pointer (task,
                               g_strdup_printf (_("Twilio accepted the Account SID and auth "
                                                  "token of “%s” (%s)."), name, sid),
                               g_free);
      else
        g_task_return_pointer (task,
                               g_strdup_printf (_("Twilio accepted the Account SID and auth "
                                                  "token of %s."), sid),
                               g_free);
    }
  else if (status == SOUP_STATUS_OK)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                             _("%s answered, but not as Twilio does: check the Twilio base "
                               "URL (%s)"), data->url, data->settings->twilio_base_url);
  else if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_AUTH,
                             _("Twilio refused the Account SID and auth token (HTTP %u): check "
                               "both against Account Info in the Twilio console, and use the "
                               "live auth token, not the test credentials"), status);
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_FOUND,
                             _("Twilio has no account %s: check the Account SID in the Twilio "
                               "console"), sid);
  else if (status == HTTP_TOO_MANY_REQUESTS || status >= 500)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                             _("Twilio could not answer now (HTTP %u): try again in a few "
                               "minutes"), status);
  else
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                             _("Twilio refused the request (HTTP %u): check the Account SID "
                               "and the Twilio base URL (%s)"),
                             status, data->settings->twilio_base_url);
}

static void
finish_whatsapp (GTask      *task,
                 TestData   *data,
                 guint       status,
                 JsonObject *root)
{
  const char *id = data->settings->whatsapp_phone_number_id;
  const char *number = member_string (root, "display_phone_number");
  const char *name = member_string (root, "verified_name");
  gint64 code = meta_error_code (root);

  if (status == SOUP_STATUS_OK && root != NULL && code == 0)
    {
      if (number != NULL && name != NULL)
        g_task_return_pointer (task,
                               g_strdup_printf (_("The WhatsApp Cloud API accepted the access "
                                                  "token for %s (“%s”, phone-number id %s)."),
                                                number, name, id),
                               g_free);
      else
        g_task_return_pointer (task,
                               g_strdup_printf (_("The WhatsApp Cloud API accepted the access "
                                                  "token for phone-number id %s."), id),
                               g_free);
    }
  else if (status == SOUP_STATUS_OK)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                             _("%s answered, but not as the Graph API does: check the API base "
                               "URL (%s)"), data->url, data->settings->whatsapp_api_base);
  else if (code == 190 || status == SOUP_STATUS_UNAUTHORIZED)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_AUTH,
                             _("Meta refused the access token (HTTP %u): it is wrong or has "
                               "expired. Make a permanent one for a system user in Meta "
                               "Business Settings (Users → System users → Generate token) and "
                               "enter it again"), status);
  else if (code == 100 || code == 803 || status == SOUP_STATUS_NOT_FOUND)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_FOUND,
                             _("Meta does not know phone-number id %s, or the access token may "
                               "not use it: check the id under WhatsApp → API Setup in the Meta "
                               "app dashboard"), id);
  else if (code == 10 || code == 200 || status == SOUP_STATUS_FORBIDDEN)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_AUTH,
                             _("The access token may not use phone-number id %s (HTTP %u): give "
                               "it the whatsapp_business_messaging and "
                               "whatsapp_business_management permissions"), id, status);
  else if (status == HTTP_TOO_MANY_REQUESTS || status >= 500)
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                             _("The WhatsApp Cloud API could not answer now (HTTP %u): try "
                               "again in a few minutes"), status);
  else
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                             _("The WhatsApp Cloud API refused the request (HTTP %u): check "
                               "the phone-number id, the API version (%s) and the API base "
                               "URL (%s)"),
                             status, data->settings->whatsapp_api_version,
                             data->settings->whatsapp_api_base);
}

static void
finish_test (GTask *task)
{
  TestData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->message);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = NULL;

  if (data->body->len > 0 &&
      json_parser_load_from_data (parser, (const char *) data->body->data, data->body->len,
                                  NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));

  if (data->kind == TC_PROVIDER_KIND_TWILIO)
    finish_twilio (task, data, status, root);
  else
    finish_whatsapp (task, data, status, root);
}

static void
return_network_error (GTask        *task,
                      TestData     *data,
                      const GError *error)
{
  const char *provider = data->kind == TC_PROVIDER_KIND_TWILIO ? _("Twilio")
                                                               : _("the WhatsApp Cloud API");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NETWORK,
                             _("Could not reach %s at %s: %s. Check the internet connection "
                               "and the base URL"), provider, data->url, error->message);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_network_error (task, data, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      finish_test (task);
      return;
    }

  if (data->body->len + g_bytes_get_size (chunk) > MAX_TEST_RESPONSE_BYTES)
    {
      g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                               _("%s answered with more than %d KiB, which the API never "
                                 "does: check the base URL"),
                               data->url, MAX_TEST_RESPONSE_BYTES / 1024);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   cancellable, read_cb, g_steal_pointer (&task));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      return_network_error (task, data, error);
      return;
    }

  data->body = g_byte_array_new ();
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_test_request (GTask *task)
{
  TestData *data = g_task_get_task_data (task);
  const TcProviderSettings *settings = data->settings;
  g_autofree char *authorization = NULL;
  g_autofree char *escaped = NULL;
  SoupMessageHeaders *headers;

  if (data->kind == TC_PROVIDER_KIND_TWILIO)
    {
      g_autofree char *pair = g_strconcat (settings->twilio_account_sid, ":", data->secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      escaped = g_uri_escape_string (settings->twilio_account_sid, NULL, FALSE);
      data->url = g_strdup_printf ("%s/2010-04-01/Accounts/%s.json",
                                   settings->twilio_base_url, escaped);
      authorization = g_strconcat ("Basic ", encoded, NULL);
    }
  else
    {
      escaped = g_uri_escape_string (settings->whatsapp_phone_number_id, NULL, FALSE);
      data->url = g_strdup_printf ("%s/%s/%s", settings->whatsapp_api_base,
                                   settings->whatsapp_api_version, escaped);
      authorization = g_strconcat ("Bearer ", data->secret, NULL);
    }

  if (data->kind == TC_PROVIDER_KIND_TWILIO)
    data->message = soup_message_new (SOUP_METHOD_GET, data->url);
  else
    {
      g_autofree char *with_query = g_strconcat (data->url,
                                                 "?fields=display_phone_number,verified_name",
                                                 NULL);

      data->message = soup_message_new (SOUP_METHOD_GET, with_query);
    }

  if (data->message == NULL)
    {
      g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_NOT_CONFIGURED,
                               _("“%s” is not an address that can be asked: check the base URL"),
                               data->url);
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* A redirect would carry the credentials to another address. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);

  soup_session_send_async (data->session, data->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), sent_cb, task);
}

static void
test_secret_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  TcSecretName name = data->kind == TC_PROVIDER_KIND_TWILIO ? TC_SECRET_TWILIO_AUTH_TOKEN
                                                            : TC_SECRET_WHATSAPP_TOKEN;

  data->secret = tc_secrets_lookup_finish (result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (data->secret == NULL)
    {
      g_task_return_error (task, missing_secret_error (data->kind, name, error));
      g_object_unref (task);
      return;
    }

  send_test_request (task);
}

static void
test_settings_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) settings = NULL;
  GError *error = NULL;
  TcSecretName name;

  settings = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (settings == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->settings = tc_provider_settings_new_from_table (settings);
  if (!tc_provider_settings_check (data->settings, data->kind, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  name = data->kind == TC_PROVIDER_KIND_TWILIO ? TC_SECRET_TWILIO_AUTH_TOKEN
                                               : TC_SECRET_WHATSAPP_TOKEN;
  tc_secrets_lookup_async (name, tc_provider_settings_secret_account (data->settings, name),
                           g_task_get_cancellable (task), test_secret_cb, task);
}

static void
test_simulator (GTask *task)
{
  TcSimulatorConfig config;
  g_autoptr(TcSimulator) simulator = NULL;
  g_autoptr(GError) error = NULL;

  tc_simulator_config_init (&config);
  simulator = tc_simulator_new (&config);
  if (!tc_simulator_listen (simulator, "127.0.0.1", 0, &error))
    {
      g_task_return_new_error (task, TC_PROVIDERS_ERROR, TC_PROVIDERS_ERROR_FAILED,
                               _("The built-in simulator cannot start on 127.0.0.1: %s"),
                               error->message);
      return;
    }

  g_task_return_pointer (task,
                         g_strdup_printf (_("The built-in simulator started on %s and takes "
                                            "SMS and WhatsApp messages; they reach no phone."),
                                          tc_simulator_get_base_url (simulator)),
                         g_free);
  tc_simulator_stop (simulator);
}

void
tc_providers_test_async (TcRepository        *repository,
                         SoupSession         *session,
                         TcProviderKind       kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  TestData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail ((guint) kind < TC_PROVIDER_KIND_N);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_providers_test_async);

  if (kind == TC_PROVIDER_KIND_SIMULATOR)
    {
      test_simulator (task);
      g_object_unref (task);
      return;
    }

  data = g_new0 (TestData, 1);
  data->kind = kind;
  data->session = session != NULL ? g_object_ref (session) : tc_soup_session_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) test_data_free);

  tc_settings_get_all_async (repository, "", cancellable, test_settings_cb, task);
}

char *
tc_providers_test_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_providers_test_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
