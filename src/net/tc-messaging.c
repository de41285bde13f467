/* tc-messaging.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-messaging"

#include "config.h"

#include <string.h>

#include "tc-inbound.h"
#include "tc-messaging.h"
#include "tc-repository.h"
#include "tc-soup.h"

struct _TcMessaging
{
  GObject        parent_instance;

  TcRepository  *repository;
  SoupSession   *session;
  TcHttpServer  *http_server;
  TcProviders   *providers;
  TcEngine      *engine;
  GCancellable  *cancellable;   /* inbound processing still running at stop */
};

G_DEFINE_FINAL_TYPE (TcMessaging, tc_messaging, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------
 * What comes in
 */

static void
on_inbound_processed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TcMessaging) self = user_data;
  g_autoptr(TcInboundResult) processed = NULL;
  g_autoptr(GError) error = NULL;

  processed = tc_inbound_process_finish (TC_REPOSITORY (object), result, &error);
  if (processed == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("An inbound message could not be handled: %s", error->message);
      return;
    }

  /* A reply (STOP confirmation, HELP) may be waiting in the outbox. */
  if (processed->reply != NULL && self->engine != NULL)
    tc_engine_kick (self->engine);
  if (!processed->duplicate && self->engine != NULL)
    tc_engine_report_inbound (self->engine, processed->contact_id, processed->inbound_id,
                              processed->action);
}

static void
on_webhook_received_cb (TcHttpServer *server,
                        const char   *name,
                        GPtrArray    *statuses,
                        GPtrArray    *inbound,
                        TcMessaging  *self)
{
  if (statuses->len > 0 && self->engine != NULL)
    tc_engine_apply_statuses (self->engine, statuses);

  for (guint i = 0; i < inbound->len; i++)
    {
      TcInboundMessage *message = g_ptr_array_index (inbound, i);

      tc_inbound_process_async (self->repository, message->channel, message->from,
                                message->body != NULL ? message->body : "",
                                message->provider_id, message->at,
                                self->cancellable, on_inbound_processed_cb,
                                g_object_ref (self));
    }
}

/* ------------------------------------------------------------------------
 * Starting
 */

typedef struct
{
  gint port_override;
} StartData;

static char *
local_webhook_url (TcMessaging *self,
                   const char  *name)
{
  return g_strdup_printf ("http://%s:%u/webhooks/%s",
                          tc_http_server_get_address (self->http_server),
                          tc_http_server_get_port (self->http_server), name);
}

/* TEXTCAST_SIMULATOR_POLLING=1: the simulator is not told where to post
 * Twilio statuses and replies, and the engine polls for them. */
static gboolean
simulator_polling (void)
{
  const char *value = g_getenv (TC_MESSAGING_SIMULATOR_POLLING_ENV);

  return value != NULL && strcmp (value, "1") == 0;
}

/* TEXTCAST_SIMULATOR_QUIET=1: every message delivered, no failures and
 * no replies (the simulator otherwise fails some and answers STOP now and
 * then, as people do, which a test counting deliveries cannot know). */
static gboolean
simulator_quiet (void)
{
  const char *value = g_getenv (TC_MESSAGING_SIMULATOR_QUIET_ENV);

  return value != NULL && strcmp (value, "1") == 0;
}

/* Where providers should post statuses for @channel, or NULL (then the
 * engine polls, where the provider can be asked). */
static char *
status_callback_url (TcMessaging *self,
                     TcChannel    channel)
{
  const TcProviderSettings *settings = tc_providers_get_settings (self->providers);
  TcProviderKind kind = tc_providers_get_kind (self->providers, channel);
  const char *name = kind == TC_PROVIDER_KIND_WHATSAPP ? "whatsapp" : "twilio";

  /* Meta posts to the webhook set in the app dashboard, never to a URL
   * given per message. */
  if (kind == TC_PROVIDER_KIND_WHATSAPP)
    return NULL;
  if (kind == TC_PROVIDER_KIND_SIMULATOR && simulator_polling ())
    return NULL;

  if (settings->public_url != NULL && settings->public_url[0] != '\0')
    {
      g_autofree char *base = g_strdup (settings->public_url);
      gsize len = strlen (base);

      while (len > 0 && base[len - 1] == '/')
        base[--len] = '\0';
      return g_strdup_printf ("%s/webhooks/%s", base, name);
    }

  if (kind == TC_PROVIDER_KIND_SIMULATOR)
    return local_webhook_url (self, "twilio");

  return NULL;
}

static void
start_engine (TcMessaging *self)
{
  self->engine = tc_engine_new (self->repository);

  for (guint c = TC_CHANNEL_SMS; c <= TC_CHANNEL_WHATSAPP; c++)
    {
      g_autofree char *callback = status_callback_url (self, c);

      tc_engine_set_provider (self->engine, c, tc_providers_get_provider (self->providers, c));
      tc_engine_set_default_sender (self->engine, c, tc_providers_get_sender (self->providers, c));
      tc_engine_set_status_callback (self->engine, c, callback);
    }

  /* Webhooks by provider name. In simulator mode both names lead to the
   * providers the simulator signs for. */
  for (guint c = TC_CHANNEL_SMS; c <= TC_CHANNEL_WHATSAPP; c++)
    {
      TcProviderKind kind = tc_providers_get_kind (self->providers, c);
      TcProvider *provider = tc_providers_get_provider (self->providers, c);

      if (kind == TC_PROVIDER_KIND_WHATSAPP ||
          (kind == TC_PROVIDER_KIND_SIMULATOR && c == TC_CHANNEL_WHATSAPP))
        tc_http_server_add_webhook (self->http_server, "whatsapp", provider);
      else
        tc_http_server_add_webhook (self->http_server, "twilio", provider);
    }

  tc_engine_start (self->engine);
}

static void
on_providers_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcMessaging *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->providers = tc_providers_load_finish (result, &error);
  if (self->providers == NULL)
    {
      tc_http_server_stop (self->http_server);
      g_task_return_error (task, error);
      return;
    }

  tc_http_server_set_public_url (self->http_server,
                                 tc_providers_get_settings (self->providers)->public_url);
  start_engine (self);
  g_task_return_boolean (task, TRUE);
}

static void
on_http_server_started_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcMessaging *self = g_task_get_source_object (task);
  g_autofree char *whatsapp_url = NULL;
  g_autofree char *twilio_inbound_url = NULL;
  TcSimulatorConfig config;
  GError *error = NULL;

  if (!tc_http_server_start_finish (TC_HTTP_SERVER (object), result, &error))
    {
      g_prefix_error (&error, "Textcast cannot receive statuses and replies: ");
      g_task_return_error (task, error);
      return;
    }

  /* If a channel uses the simulator, its statuses and replies come back
   * to this endpoint, signed like the real services sign them. */
  whatsapp_url = local_webhook_url (self, "whatsapp");
  twilio_inbound_url = local_webhook_url (self, "twilio");
  tc_simulator_config_init (&config);
  config.seed = (guint32) g_get_real_time ();
  config.twilio_auth_token = TC_PROVIDERS_SIMULATOR_AUTH_TOKEN;
  config.whatsapp_app_secret = TC_PROVIDERS_SIMULATOR_APP_SECRET;
  config.whatsapp_webhook_url = whatsapp_url;
  config.twilio_inbound_url = twilio_inbound_url;
  if (simulator_quiet ())
    {
      config.delivered_ratio = 1.0;
      config.failed_ratio = 0.0;
      config.reply_ratio = 0.0;
    }
  /* Meta has nothing to poll: WhatsApp Cloud statuses are still posted. */
  if (simulator_polling ())
    {
      config.twilio_inbound_url = NULL;
      config.keep_replies = TRUE;
    }

  tc_providers_load_async (self->repository, self->session, &config,
                           g_task_get_cancellable (task), on_providers_loaded_cb,
                           g_object_ref (task));
}

void
tc_messaging_start_async (TcMessaging         *self,
                          gint                 port_override,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_MESSAGING (self));
  g_return_if_fail (self->engine == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_messaging_start_async);

  tc_http_server_start_async (self->http_server, port_override, cancellable,
                              on_http_server_started_cb, g_object_ref (task));
}

gboolean
tc_messaging_start_finish (TcMessaging   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_MESSAGING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Stopping
 */

static void
on_engine_stopped_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcMessaging *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!tc_engine_stop_finish (TC_ENGINE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  tc_http_server_stop (self->http_server);
  g_clear_object (&self->providers);
  g_task_return_boolean (task, TRUE);
}

void
tc_messaging_stop_async (TcMessaging         *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_MESSAGING (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tc_messaging_stop_async);

  if (self->engine == NULL)
    {
      tc_http_server_stop (self->http_server);
      g_task_return_boolean (task, TRUE);
      return;
    }

  tc_engine_stop_async (self->engine, on_engine_stopped_cb, g_steal_pointer (&task));
}

gboolean
tc_messaging_stop_finish (TcMessaging   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TC_IS_MESSAGING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_messaging_dispose (GObject *object)
{
  TcMessaging *self = (TcMessaging *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->http_server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->http_server, self);
      tc_http_server_stop (self->http_server);
    }
  g_clear_object (&self->engine);
  g_clear_object (&self->providers);
  g_clear_object (&self->http_server);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_messaging_parent_class)->dispose (object);
}

static void
tc_messaging_finalize (GObject *object)
{
  TcMessaging *self = (TcMessaging *) object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_messaging_parent_class)->finalize (object);
}

static void
tc_messaging_class_init (TcMessagingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_messaging_dispose;
  object_class->finalize = tc_messaging_finalize;
}

static void
tc_messaging_init (TcMessaging *self)
{
  self->cancellable = g_cancellable_new ();
}

TcMessaging *
tc_messaging_new (TcRepository *repository)
{
  TcMessaging *self;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  self = g_object_new (TC_TYPE_MESSAGING, NULL);
  self->repository = g_object_ref (repository);
  self->session = tc_soup_session_new ();
  self->http_server = tc_http_server_new (repository);
  g_signal_connect (self->http_server, "webhook-received",
                    G_CALLBACK (on_webhook_received_cb), self);

  return self;
}

TcEngine *
tc_messaging_get_engine (TcMessaging *self)
{
  g_return_val_if_fail (TC_IS_MESSAGING (self), NULL);

  return self->engine;
}

TcHttpServer *
tc_messaging_get_http_server (TcMessaging *self)
{
  g_return_val_if_fail (TC_IS_MESSAGING (self), NULL);

  return self->http_server;
}

TcProviders *
tc_messaging_get_providers (TcMessaging *self)
{
  g_return_val_if_fail (TC_IS_MESSAGING (self), NULL);

  return self->providers;
}
