/* tc-simulator.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in simulator: an HTTP server on 127.0.0.1 that speaks
 * Twilio's and Meta's wire formats, so that the real providers
 * (tc-twilio.h, tc-whatsapp-cloud.h) run end to end with no account.
 *
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json    Twilio create
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages.json?To=…&DateSent>=…
 *   POST /{version}/{phone-number-id}/messages              Meta create
 *   POST /{version}/{waba-id}/message_templates             submit a template
 *   GET  /{version}/{waba-id}/message_templates             list templates
 *
 * Submitted WhatsApp templates are reviewed as Meta would: refused with
 * Meta's errors, or approved or rejected with its reasons
 * (tc-simulator-templates.h).
 *
 * It accepts any well-formed credentials (Basic auth with an "AC…" SID,
 * a Bearer token). Beyond max_rate accepted create requests per second it
 * answers 429 (Twilio code 20429 / Meta 130429) with Retry-After. After
 * accepting a message it posts status callbacks to the message's
 * StatusCallback (Twilio, signed with the auth token it was given) or to
 * the configured WhatsApp webhook URL (signed with the app secret), with
 * realistic timing — queued → sent → delivered, some undelivered / failed
 * with real error codes, WhatsApp reads — and, at configurable rates,
 * inbound replies (STOP, HELP, YES, questions) to the configured inbound
 * URL. Everything random comes from one seeded GRand: the same seed and
 * the same requests give the same outcomes.
 *
 * Polling, as Twilio does it: a message created without a StatusCallback
 * gets no status callbacks, but still walks queued → sent → final on the
 * same clock, and GET …/Messages/{Sid}.json answers its status at that
 * moment. With keep_replies and no twilio_inbound_url, the replies it
 * makes to Twilio messages are kept instead of posted, and GET
 * …/Messages.json lists them (direction "inbound", status "received",
 * To our number, From the contact) — as Twilio lists what came in to a
 * number with no webhook.
 *
 * Bounds, so that memory stays flat however many messages go through:
 * request bodies of at most 64 KiB (Twilio) and 1 MiB (Meta), else 413;
 * one request per connection ("Connection: close"); at most 16 callbacks
 * posted at once, the others waiting their turn, and beyond 50,000
 * messages still waiting for callbacks a create request gets 429 as if
 * beyond max_rate; the newest 50,000 Twilio messages are kept for status
 * polling and lookups, older ones answer 404.
 *
 * The log (optional) gets one JSON line per accepted create request:
 *   {"provider":"twilio"|"whatsapp","id":"…","to":"+…","body":"…","at":"ISO8601"}
 * written and flushed before the answer is sent, so a crash test can
 * count exactly what was accepted.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TC_TYPE_SIMULATOR (tc_simulator_get_type ())

G_DECLARE_FINAL_TYPE (TcSimulator, tc_simulator, TC, SIMULATOR, GObject)

typedef struct
{
  guint32     seed;
  double      max_rate;           /* accepted create requests per second; 0 = no limit */
  double      delivered_ratio;    /* of accepted messages; default 0.95 */
  double      failed_ratio;       /* default 0.03 (the rest: undelivered) */
  double      read_ratio;         /* WhatsApp reads among delivered; default 0.6 */
  double      reply_ratio;        /* inbound replies per delivered message; default 0.05 */
  guint       status_delay_ms;    /* between status steps; default 200 */
  const char *twilio_auth_token;  /* signs Twilio callbacks; NULL = the auth token
                                   * of the request that created the message */
  const char *whatsapp_app_secret;/* signs Meta webhooks; NULL = "simulator" */
  const char *whatsapp_webhook_url; /* where Meta statuses and inbound go; NULL = none */
  const char *twilio_inbound_url; /* where Twilio inbound messages go; NULL = none */
  gboolean    keep_replies;       /* no twilio_inbound_url: keep Twilio replies for
                                   * listing (inbound polling) instead of making none */
  const char *log_path;           /* JSON lines; NULL = no log */
  guint       template_review_ms; /* a submitted WhatsApp template shows its verdict
                                   * this long after submission; default 0: at
                                   * the first look (tc-simulator-templates.h) */
} TcSimulatorConfig;

/* Fills @config with the defaults above (seed 0, no limit, no URLs). */
void          tc_simulator_config_init (TcSimulatorConfig *config);

TcSimulator  *tc_simulator_new         (const TcSimulatorConfig *config);
/* Listens on @address:@port (port 0: any free port). */
gboolean      tc_simulator_listen      (TcSimulator   *self,
                                        const char    *address,
                                        guint          port,
                                        GError       **error);
/* "http://127.0.0.1:PORT", valid after listen. */
const char   *tc_simulator_get_base_url (TcSimulator  *self);
guint         tc_simulator_get_port    (TcSimulator   *self);
/* Messages accepted so far. */
guint64       tc_simulator_get_n_accepted (TcSimulator *self);
/* Replies made so far (posted, or kept for listing). */
guint64       tc_simulator_get_n_replies (TcSimulator *self);
/* Stops listening and cancels pending callbacks. */
void          tc_simulator_stop        (TcSimulator   *self);

G_END_DECLS
