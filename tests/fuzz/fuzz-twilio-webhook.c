/* fuzz-twilio-webhook.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the Twilio webhook parser (status callbacks and
 * inbound messages, tc_provider_parse_webhook() of TcTwilioProvider).
 *
 * The input is three lines and a body:
 *   line 1  flags: 'G' anywhere → GET, 'J' → Content-Type application/json
 *   line 2  the URL the request was made to
 *   line 3  the X-Twilio-Signature; "*" → the right one, computed here
 *           (so the fuzzer reaches the parsing behind the check); empty →
 *           no header
 *   rest    the body
 * The right signature is computed with the public tc_twilio_signature()
 * over the body as libsoup decodes a form, which differs from the
 * provider's own reading for repeated names: those inputs exercise the
 * refusal path instead.
 */

#define G_LOG_DOMAIN "fuzz-twilio-webhook"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "tc-soup.h"
#include "tc-twilio.h"

#define AUTH_TOKEN  "f7c2e9a1b4d3c6e8a0b9d2f1e3c4a5b6"
#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static char *
next_line (const char **p,
           const char  *end)
{
  const char *nl = memchr (*p, '\n', end - *p);
  const char *stop = nl != NULL ? nl : end;
  char *line = g_strndup (*p, stop - *p);

  *p = nl != NULL ? nl + 1 : end;

  return line;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static SoupSession *session = NULL;
  static TcTwilioProvider *provider = NULL;
  const char *p = (const char *) data;
  const char *end = p + size;
  g_autofree char *flags = NULL;
  g_autofree char *url = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GPtrArray) inbound = NULL;
  g_autofree char *challenge = NULL;
  GError *error = NULL;
  TcWebhookRequest request;
  gboolean is_get, is_json;

  if (provider == NULL)
    {
      session = tc_soup_session_new ();
      provider = tc_twilio_provider_new (session, NULL, ACCOUNT_SID, AUTH_TOKEN);
    }

  flags = next_line (&p, end);
  url = next_line (&p, end);
  signature = next_line (&p, end);
  if (url[0] == '\0')
    return 0;
  is_get = strchr (flags, 'G') != NULL;
  is_json = strchr (flags, 'J') != NULL;
  body = g_bytes_new (p, end - p);

  if (strcmp (signature, "*") == 0)
    {
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *form = g_strndup (p, end - p);

      if (!is_get && !is_json && strstr (url, "bodySHA256=") == NULL)
        params = soup_form_decode (form);
      g_free (signature);
      signature = tc_twilio_signature (AUTH_TOKEN, url, params);
    }

  headers = g_hash_table_new (g_str_hash, g_str_equal);
  if (signature[0] != '\0')
    g_hash_table_insert (headers, (gpointer) "x-twilio-signature", signature);
  g_hash_table_insert (headers, (gpointer) "content-type",
                       (gpointer) (is_json ? "application/json" : "application/x-www-form-urlencoded"));

  request.method = is_get ? "GET" : "POST";
  request.url = url;
  request.headers = headers;
  request.body = body;

  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);

  if (tc_provider_parse_webhook (TC_PROVIDER (provider), &request, statuses, inbound, &challenge, &error))
    {
      g_assert (error == NULL);
      g_assert (statuses->len + inbound->len == 1);
      for (guint i = 0; i < statuses->len; i++)
        {
          TcStatusUpdate *update = g_ptr_array_index (statuses, i);

          g_assert (update->provider_id != NULL && update->provider_id[0] != '\0');
          g_assert (tc_delivery_state_to_string (update->state) != NULL);
          g_assert ((update->error_code == NULL) == (update->error_meaning == NULL));
        }
      for (guint i = 0; i < inbound->len; i++)
        {
          TcInboundMessage *message = g_ptr_array_index (inbound, i);

          g_assert (message->provider_id != NULL && message->provider_id[0] != '\0');
          g_assert (message->from != NULL && g_utf8_validate (message->from, -1, NULL));
          g_assert (message->body != NULL && g_utf8_validate (message->body, -1, NULL));
          g_assert (message->channel == TC_CHANNEL_SMS || message->channel == TC_CHANNEL_WHATSAPP);
        }
    }
  else
    {
      g_assert (error != NULL && error->domain == TC_WEBHOOK_ERROR);
      g_assert (statuses->len == 0 && inbound->len == 0);
      g_clear_error (&error);
    }
  g_assert (challenge == NULL);

  return 0;
}
