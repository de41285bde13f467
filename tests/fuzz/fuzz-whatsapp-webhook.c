/* fuzz-whatsapp-webhook.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the WhatsApp Cloud API webhook parser
 * (tc_provider_parse_webhook() on a TcWhatsappProvider). The first byte
 * chooses what the rest is:
 *   0  a POST body signed with the app secret, so the JSON walk is reached
 *   1  a POST body with the rest's first 71 bytes as its signature header
 *   2  the query of a verification GET
 *   3+ a signed POST again (most seeds)
 * Whatever the input: no crash, no leak, and the parser's promises hold —
 * success or a TC_WEBHOOK_ERROR, nothing appended on failure, a challenge
 * only for a GET, and every status and message with an id.
 */

#define G_LOG_DOMAIN "fuzz-whatsapp-webhook"

#include "config.h"

#include <string.h>

#include "tc-whatsapp-cloud.h"

#define APP_SECRET      "fuzz-app-secret"
#define VERIFY_TOKEN    "fuzz-verify"
#define PHONE_NUMBER_ID "106540352242922"
#define SIGNATURE_CHARS 71   /* "sha256=" + 64 hex digits */

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static TcWhatsappProvider *provider = NULL;
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GPtrArray) inbound = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *url = NULL;
  g_autofree char *challenge = NULL;
  TcWebhookRequest request = { "POST", "https://hooks.example/whatsapp", NULL, NULL };
  GError *error = NULL;
  guint8 mode;
  gboolean ok;

  if (provider == NULL)
    provider = tc_whatsapp_provider_new (NULL, "http://127.0.0.1:9", NULL, PHONE_NUMBER_ID,
                                         "fuzz-token", APP_SECRET, VERIFY_TOKEN);
  if (size == 0)
    return 0;

  mode = data[0];
  data++;
  size--;

  headers = g_hash_table_new (g_str_hash, g_str_equal);
  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  request.headers = headers;

  if (mode == 2)
    {
      /* The query may hold NULs: cut it there, as a URL would be. */
      g_autofree char *query = g_strndup ((const char *) data, size);

      url = g_strconcat ("https://hooks.example/whatsapp?", query, NULL);
      request.method = "GET";
      request.url = url;
    }
  else if (mode == 1)
    {
      gsize n = MIN (size, SIGNATURE_CHARS);

      signature = g_strndup ((const char *) data, n);
      body = g_bytes_new (data + n, size - n);
      g_hash_table_insert (headers, (char *) "x-hub-signature-256", signature);
      request.body = body;
    }
  else
    {
      body = g_bytes_new (data, size);
      signature = tc_whatsapp_signature (APP_SECRET, body);
      g_hash_table_insert (headers, (char *) "x-hub-signature-256", signature);
      request.body = body;
    }

  ok = tc_provider_parse_webhook (TC_PROVIDER (provider), &request, statuses, inbound, &challenge, &error);

  if (!ok)
    {
      g_assert (error != NULL && error->domain == TC_WEBHOOK_ERROR);
      g_assert (statuses->len == 0 && inbound->len == 0 && challenge == NULL);
      g_clear_error (&error);
      return 0;
    }

  g_assert (error == NULL);
  if (mode == 2)
    {
      g_assert (challenge != NULL && challenge[0] != '\0');
      g_assert (statuses->len == 0 && inbound->len == 0);
    }
  else
    g_assert (challenge == NULL);

  for (guint i = 0; i < statuses->len; i++)
    {
      TcStatusUpdate *update = g_ptr_array_index (statuses, i);

      g_assert (update->provider_id != NULL && update->provider_id[0] != '\0');
      g_assert (update->state == TC_DELIVERY_SENT || update->state == TC_DELIVERY_DELIVERED ||
                update->state == TC_DELIVERY_READ || update->state == TC_DELIVERY_FAILED);
      g_assert (update->at >= 0);
    }
  for (guint i = 0; i < inbound->len; i++)
    {
      TcInboundMessage *message = g_ptr_array_index (inbound, i);

      g_assert (message->provider_id != NULL && message->provider_id[0] != '\0');
      g_assert (message->from != NULL && message->from[0] != '\0');
      g_assert (message->body != NULL);
      g_assert (g_strcmp0 (message->to, PHONE_NUMBER_ID) == 0);
      g_assert (message->channel == TC_CHANNEL_WHATSAPP);
    }

  return 0;
}
