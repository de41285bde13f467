/* tc-provider.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-provider"

#include "config.h"

#include <string.h>

#include "tc-provider.h"

G_DEFINE_INTERFACE (TcProvider, tc_provider, G_TYPE_OBJECT)
G_DEFINE_QUARK (tc-webhook-error-quark, tc_webhook_error)

static const char * const failure_classes[] = { "permanent", "transient", "ambiguous" };
static const char * const delivery_states[] = {
  "queued", "sent", "delivered", "read", "undelivered", "failed",
};

G_STATIC_ASSERT (G_N_ELEMENTS (failure_classes) == TC_SEND_FAILURE_AMBIGUOUS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (delivery_states) == TC_DELIVERY_FAILED + 1);

static void
tc_provider_default_init (TcProviderInterface *iface)
{
}

const char *
tc_send_failure_class_to_string (TcSendFailureClass klass)
{
  g_return_val_if_fail ((guint) klass < G_N_ELEMENTS (failure_classes), NULL);
  return failure_classes[klass];
}

const char *
tc_delivery_state_to_string (TcDeliveryState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (delivery_states), NULL);
  return delivery_states[state];
}

gboolean
tc_delivery_state_from_string (const char      *str,
                               TcDeliveryState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (delivery_states); i++)
    if (g_ascii_strcasecmp (str, delivery_states[i]) == 0)
      {
        *state = (TcDeliveryState) i;
        return TRUE;
      }

  return FALSE;
}

TcSendFailure *
tc_send_failure_new (TcSendFailureClass  klass,
                     TcSendEffect        effect,
                     const char         *meaning,
                     const char         *action)
{
  TcSendFailure *failure = g_new0 (TcSendFailure, 1);

  failure->klass = klass;
  failure->effect = effect;
  failure->meaning = g_strdup (meaning);
  failure->action = g_strdup (action);

  return failure;
}

void
tc_send_failure_free (TcSendFailure *failure)
{
  if (failure == NULL)
    return;

  g_free (failure->code);
  g_free (failure->provider_message);
  g_free (failure->meaning);
  g_free (failure->action);
  g_free (failure);
}

void
tc_send_receipt_free (TcSendReceipt *receipt)
{
  if (receipt == NULL)
    return;

  g_free (receipt->provider_id);
  g_free (receipt->status);
  g_free (receipt);
}

void
tc_status_update_free (TcStatusUpdate *update)
{
  if (update == NULL)
    return;

  g_free (update->provider_id);
  g_free (update->error_code);
  g_free (update->error_meaning);
  g_free (update->price_currency);
  g_free (update->pricing_category);
  g_free (update->pricing_model);
  g_free (update);
}

void
tc_inbound_message_free (TcInboundMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->provider_id);
  g_free (message->from);
  g_free (message->to);
  g_free (message->body);
  g_free (message->payload);
  g_free (message->media_url);
  g_free (message);
}

gboolean
tc_provider_secure_equal (const char *a,
                          const char *b)
{
  size_t len_a, len_b;
  guint8 diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;

  len_a = strlen (a);
  len_b = strlen (b);
  if (len_a != len_b)
    return FALSE;

  for (size_t i = 0; i < len_a; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];

  return diff == 0;
}

const char *
tc_provider_get_name (TcProvider *self)
{
  g_return_val_if_fail (TC_IS_PROVIDER (self), NULL);

  return TC_PROVIDER_GET_IFACE (self)->get_name (self);
}

gboolean
tc_provider_supports (TcProvider *self,
                      TcChannel   channel)
{
  g_return_val_if_fail (TC_IS_PROVIDER (self), FALSE);

  return TC_PROVIDER_GET_IFACE (self)->supports (self, channel);
}

void
tc_provider_send_async (TcProvider              *self,
                        const TcOutboundMessage *message,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_return_if_fail (TC_IS_PROVIDER (self));
  g_return_if_fail (message != NULL);

  TC_PROVIDER_GET_IFACE (self)->send_async (self, message, cancellable, callback, user_data);
}

TcSendReceipt *
tc_provider_send_finish (TcProvider     *self,
                         GAsyncResult   *result,
                         TcSendFailure **failure)
{
  g_return_val_if_fail (TC_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (failure != NULL && *failure == NULL, NULL);

  return TC_PROVIDER_GET_IFACE (self)->send_finish (self, result, failure);
}

void
tc_provider_fetch_status_async (TcProvider          *self,
                                const char          *provider_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TC_IS_PROVIDER (self));
  g_return_if_fail (provider_id != NULL);

  TC_PROVIDER_GET_IFACE (self)->fetch_status_async (self, provider_id, cancellable,
                                                    callback, user_data);
}

TcStatusUpdate *
tc_provider_fetch_status_finish (TcProvider    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (TC_IS_PROVIDER (self), NULL);

  return TC_PROVIDER_GET_IFACE (self)->fetch_status_finish (self, result, error);
}

void
tc_provider_lookup_async (TcProvider          *self,
                          const char          *to,
                          gint64               since,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (TC_IS_PROVIDER (self));
  g_return_if_fail (to != NULL);

  TC_PROVIDER_GET_IFACE (self)->lookup_async (self, to, since, cancellable, callback, user_data);
}

GPtrArray *
tc_provider_lookup_finish (TcProvider    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_PROVIDER (self), NULL);

  return TC_PROVIDER_GET_IFACE (self)->lookup_finish (self, result, error);
}

TcProviderPolling
tc_provider_get_polling (TcProvider *self)
{
  TcProviderInterface *iface;

  g_return_val_if_fail (TC_IS_PROVIDER (self), TC_PROVIDER_POLLING_NONE);

  iface = TC_PROVIDER_GET_IFACE (self);
  if (iface->get_polling == NULL)
    return TC_PROVIDER_POLLING_NONE;

  return iface->get_polling (self);
}

void
tc_provider_list_inbound_async (TcProvider          *self,
                                TcChannel            channel,
                                const char          *to,
                                gint64               since,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TcProviderInterface *iface;

  g_return_if_fail (TC_IS_PROVIDER (self));

  iface = TC_PROVIDER_GET_IFACE (self);
  if (iface->list_inbound_async == NULL || iface->list_inbound_finish == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, tc_provider_list_inbound_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s cannot list the messages that came in; "
                               "give it a public webhook URL instead",
                               tc_provider_get_name (self));
      return;
    }

  iface->list_inbound_async (self, channel, to, since, cancellable, callback, user_data);
}

GPtrArray *
tc_provider_list_inbound_finish (TcProvider    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  TcProviderInterface *iface;

  g_return_val_if_fail (TC_IS_PROVIDER (self), NULL);

  iface = TC_PROVIDER_GET_IFACE (self);
  if (g_task_is_valid (result, self) &&
      g_task_get_source_tag (G_TASK (result)) == tc_provider_list_inbound_async)
    return g_task_propagate_pointer (G_TASK (result), error);

  return iface->list_inbound_finish (self, result, error);
}

gboolean
tc_provider_parse_webhook (TcProvider              *self,
                           const TcWebhookRequest  *request,
                           GPtrArray               *statuses,
                           GPtrArray               *inbound,
                           char                   **challenge,
                           GError                 **error)
{
  g_return_val_if_fail (TC_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (statuses != NULL, FALSE);
  g_return_val_if_fail (inbound != NULL, FALSE);

  return TC_PROVIDER_GET_IFACE (self)->parse_webhook (self, request, statuses, inbound,
                                                       challenge, error);
}
