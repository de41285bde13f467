/* tc-provider.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcProvider: one way of getting messages to phones (Twilio, the WhatsApp
 * Cloud API, and — through those same two — the built-in simulator). A
 * provider sends one message asynchronously and answers with the
 * provider's message id or a classified failure; it parses the webhooks
 * its service posts back (statuses and inbound messages), verifying their
 * signatures over the raw bytes; and it can look messages up, for status
 * polling and for reconciling an ambiguous send, and (Twilio) list the
 * messages that came in, for inbound polling when no webhook reaches us.
 *
 * Failures come in three classes, and the send engine treats them very
 * differently:
 *   permanent  the provider refused this message (invalid number,
 *              unsubscribed, not on WhatsApp, template rejected): never
 *              retried;
 *   transient  the provider did not take it (rate limited, 5xx,
 *              connection refused or failed before the request was
 *              written): retried later, honouring retry_after;
 *   ambiguous  the request may have reached the provider (timeout or
 *              reset after sending, an unreadable 2xx): never re-sent
 *              blindly; reconciled by lookup, else marked unknown.
 * A provider never lets libsoup re-send a create-message request on its
 * own (no SOUP_MESSAGE_IDEMPOTENT on those requests).
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef enum
{
  TC_SEND_FAILURE_PERMANENT,
  TC_SEND_FAILURE_TRANSIENT,
  TC_SEND_FAILURE_AMBIGUOUS,
} TcSendFailureClass;

/* Names: "permanent", "transient", "ambiguous". */
const char *tc_send_failure_class_to_string (TcSendFailureClass klass);

/* What a provider failure means for Textcast beyond retrying. */
typedef enum
{
  TC_SEND_EFFECT_NONE,
  TC_SEND_EFFECT_OPTED_OUT,        /* the recipient unsubscribed (Twilio 21610,
                                    * WhatsApp 131050): record "blocked" in the ledger */
  TC_SEND_EFFECT_INVALID_NUMBER,   /* 21211, 21614 not a mobile, … */
  TC_SEND_EFFECT_LANDLINE,         /* 21614 / 30006 */
  TC_SEND_EFFECT_NOT_ON_WHATSAPP,  /* 131026 and similar: try SMS instead */
  TC_SEND_EFFECT_WINDOW_CLOSED,    /* 63016 / 131047: a template is needed */
  TC_SEND_EFFECT_TEMPLATE,         /* the template is missing, paused or rejected */
  TC_SEND_EFFECT_ACCOUNT,          /* credentials, balance, sender not allowed:
                                    * stop the whole sender, tell the user */
} TcSendEffect;

typedef struct
{
  TcSendFailureClass  klass;
  TcSendEffect        effect;
  guint               http_status;   /* 0 when no response */
  char               *code;          /* the provider's error code ("21610", "131026"), or NULL */
  char               *provider_message; /* the provider's own words, or NULL */
  char               *meaning;       /* plain words: what happened */
  char               *action;        /* plain words: what the user can do */
  gint64              retry_after;   /* seconds the provider asked to wait; 0 = not said */
} TcSendFailure;

TcSendFailure *tc_send_failure_new   (TcSendFailureClass  klass,
                                      TcSendEffect        effect,
                                      const char         *meaning,
                                      const char         *action);
void           tc_send_failure_free  (TcSendFailure      *failure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSendFailure, tc_send_failure_free)

/* The message to send. Strings are borrowed for the duration of the
 * send_async call only (providers copy what they need). */
typedef struct
{
  TcChannel    channel;
  const char  *from;            /* sender: E.164 / short code, a Twilio Messaging Service
                                 * SID ("MG…"), or a WhatsApp phone-number id */
  const char  *to;              /* E.164 */
  const char  *body;            /* text; NULL for a WhatsApp template */
  const char  *media_url;       /* MMS / WhatsApp image, or NULL */
  /* WhatsApp templates: for the Cloud API, the "template" object of the
   * send request as JSON (tc_wa_template_send_json()); for Twilio, the
   * Content SID and its variables JSON. */
  const char  *wa_template_json;
  const char  *content_sid;
  const char  *content_variables;
  const char  *status_callback; /* URL for status webhooks, or NULL (then: polling) */
} TcOutboundMessage;

typedef struct
{
  char   *provider_id;   /* "SM…" / "wamid.…" */
  char   *status;        /* the provider's first status ("queued", "accepted"), or NULL */
} TcSendReceipt;

void tc_send_receipt_free (TcSendReceipt *receipt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSendReceipt, tc_send_receipt_free)

/* Delivery states a status update can report. Names: "queued", "sent",
 * "delivered", "read", "undelivered", "failed". */
typedef enum
{
  TC_DELIVERY_QUEUED,
  TC_DELIVERY_SENT,
  TC_DELIVERY_DELIVERED,
  TC_DELIVERY_READ,
  TC_DELIVERY_UNDELIVERED,
  TC_DELIVERY_FAILED,
} TcDeliveryState;

const char *tc_delivery_state_to_string   (TcDeliveryState  state);
gboolean    tc_delivery_state_from_string (const char      *str,
                                           TcDeliveryState *state);

typedef struct
{
  char            *provider_id;
  TcDeliveryState  state;
  gint64           at;            /* unix seconds; 0 = not given */
  char            *error_code;    /* for undelivered / failed, or NULL */
  char            *error_meaning; /* plain words, or NULL */
  double           price;         /* as reported; 0 = not given */
  char            *price_currency;/* "USD", or NULL */
  char            *pricing_category; /* WhatsApp: "marketing", "utility", …, or NULL */
  char            *pricing_model; /* WhatsApp: "PMP" (per message), "CBP" (per conversation), or NULL */
  gboolean         not_billable;  /* WhatsApp said pricing.billable = false: Meta charges nothing */
} TcStatusUpdate;

void tc_status_update_free (TcStatusUpdate *update);

typedef struct
{
  char       *provider_id;
  TcChannel   channel;
  char       *from;      /* E.164 */
  char       *to;        /* our number / phone-number id */
  char       *body;      /* text, the button's text or the interactive reply's title */
  char       *payload;   /* a button / interactive reply id, or NULL */
  char       *media_url; /* first attachment, or NULL */
  gint64      at;        /* unix seconds; 0 = not given */
} TcInboundMessage;

void tc_inbound_message_free (TcInboundMessage *message);

/* A webhook request as it arrived: everything the signature covers. */
typedef struct
{
  const char  *method;       /* "POST" / "GET" */
  const char  *url;          /* the full public URL the provider called, with query */
  GHashTable  *headers;      /* lower-case name → value */
  GBytes      *body;         /* raw bytes */
} TcWebhookRequest;

#define TC_WEBHOOK_ERROR (tc_webhook_error_quark ())

typedef enum
{
  TC_WEBHOOK_ERROR_SIGNATURE,   /* missing or wrong signature: answer 403 */
  TC_WEBHOOK_ERROR_MALFORMED,   /* not what this provider posts: answer 400 */
  TC_WEBHOOK_ERROR_NOT_MINE,    /* for another account / phone-number id: 404 */
} TcWebhookError;

GQuark tc_webhook_error_quark (void);

/* What a provider can be asked for instead of pushing it (status
 * polling, tc-engine.h): the status of one message by id, and the
 * messages that came in. */
typedef enum
{
  TC_PROVIDER_POLLING_NONE    = 0,
  TC_PROVIDER_POLLING_STATUS  = 1 << 0,  /* fetch_status_async answers */
  TC_PROVIDER_POLLING_INBOUND = 1 << 1,  /* list_inbound_async answers */
} TcProviderPolling;

#define TC_TYPE_PROVIDER (tc_provider_get_type ())

G_DECLARE_INTERFACE (TcProvider, tc_provider, TC, PROVIDER, GObject)

struct _TcProviderInterface
{
  GTypeInterface parent_iface;

  const char     *(*get_name)       (TcProvider              *self);
  gboolean        (*supports)       (TcProvider              *self,
                                     TcChannel                channel);

  void            (*send_async)     (TcProvider              *self,
                                     const TcOutboundMessage *message,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data);
  TcSendReceipt  *(*send_finish)    (TcProvider              *self,
                                     GAsyncResult            *result,
                                     TcSendFailure          **failure);

  /* Status of one message by id (polling). */
  void            (*fetch_status_async)  (TcProvider         *self,
                                          const char         *provider_id,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
  TcStatusUpdate *(*fetch_status_finish) (TcProvider         *self,
                                          GAsyncResult       *result,
                                          GError            **error);

  /* Messages sent to @to since @since (unix seconds), newest first, as
   * status updates carrying their ids — for reconciling an ambiguous
   * send. A provider that cannot look up fails with
   * G_IO_ERROR_NOT_SUPPORTED. Returns: (element-type TcStatusUpdate) */
  void            (*lookup_async)   (TcProvider              *self,
                                     const char              *to,
                                     gint64                   since,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data);
  GPtrArray      *(*lookup_finish)  (TcProvider              *self,
                                     GAsyncResult            *result,
                                     GError                 **error);

  /* Verifies and parses a webhook. Appends to @statuses (element-type
   * TcStatusUpdate) and @inbound (element-type TcInboundMessage). For a
   * verification GET (WhatsApp's hub.challenge) sets *@challenge to the
   * text to answer with. */
  gboolean        (*parse_webhook)  (TcProvider              *self,
                                     const TcWebhookRequest  *request,
                                     GPtrArray               *statuses,
                                     GPtrArray               *inbound,
                                     char                   **challenge,
                                     GError                 **error);

  /* Optional (NULL: TC_PROVIDER_POLLING_NONE): what the provider can be
   * polled for. A provider that only pushes (Meta) says NONE. */
  TcProviderPolling (*get_polling)  (TcProvider              *self);

  /* Optional (NULL: G_IO_ERROR_NOT_SUPPORTED): messages of @channel that
   * came in to @to (our number or sender; a sender the provider cannot
   * filter by, such as a Twilio Messaging Service, lists them all) at or
   * after @since (unix seconds), oldest first. Returns: (element-type
   * TcInboundMessage) */
  void            (*list_inbound_async)  (TcProvider         *self,
                                          TcChannel           channel,
                                          const char         *to,
                                          gint64              since,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
  GPtrArray      *(*list_inbound_finish) (TcProvider         *self,
                                          GAsyncResult       *result,
                                          GError            **error);
};

const char     *tc_provider_get_name          (TcProvider              *self);
gboolean        tc_provider_supports          (TcProvider              *self,
                                               TcChannel                channel);
void            tc_provider_send_async        (TcProvider              *self,
                                               const TcOutboundMessage *message,
                                               GCancellable            *cancellable,
                                               GAsyncReadyCallback      callback,
                                               gpointer                 user_data);
/* Returns the receipt, or NULL with *@failure set (never both). */
TcSendReceipt  *tc_provider_send_finish       (TcProvider              *self,
                                               GAsyncResult            *result,
                                               TcSendFailure          **failure);
void            tc_provider_fetch_status_async  (TcProvider            *self,
                                                 const char            *provider_id,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
TcStatusUpdate *tc_provider_fetch_status_finish (TcProvider            *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);
void            tc_provider_lookup_async      (TcProvider              *self,
                                               const char              *to,
                                               gint64                   since,
                                               GCancellable            *cancellable,
                                               GAsyncReadyCallback      callback,
                                               gpointer                 user_data);
GPtrArray      *tc_provider_lookup_finish     (TcProvider              *self,
                                               GAsyncResult            *result,
                                               GError                 **error);
gboolean        tc_provider_parse_webhook     (TcProvider              *self,
                                               const TcWebhookRequest  *request,
                                               GPtrArray               *statuses,
                                               GPtrArray               *inbound,
                                               char                   **challenge,
                                               GError                 **error);

TcProviderPolling tc_provider_get_polling    (TcProvider              *self);
/* Fails with G_IO_ERROR_NOT_SUPPORTED when the provider cannot list what
 * came in (see TcProviderInterface.list_inbound_async). */
void            tc_provider_list_inbound_async  (TcProvider            *self,
                                                 TcChannel              channel,
                                                 const char            *to,
                                                 gint64                 since,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
GPtrArray      *tc_provider_list_inbound_finish (TcProvider            *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

/* Compares two strings in time independent of where they differ (for
 * signatures). FALSE when the lengths differ. */
gboolean        tc_provider_secure_equal      (const char              *a,
                                               const char              *b);

G_END_DECLS
