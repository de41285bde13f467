/* tc-outbox.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox (table outbox): every message Textcast means to send, one row
 * each, under a unique idempotency key, with its state. The consent issue
 * queues compliance replies here and counts promotional messages for the
 * frequency cap; the send engine (src/net/tc-engine.h) moves rows through
 * their states.
 *
 * States: queued, deferred, skipped, sending, sent, delivered, read,
 * undelivered, failed, unknown, paused (a campaign's rows while it is
 * paused: never claimed). A row counts as "sent" for the frequency
 * cap from the moment it is handed to a provider (sent_at set).
 *
 * History (schema 7): every change of a row's state appends one row to
 * outbox_events (outbox_id, state, at, detail) in the same transaction;
 * that table refuses UPDATE. The outbox row holds the current state.
 * Details never quote the phone number or the text.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

struct _TcDb;

typedef enum
{
  TC_OUTBOX_QUEUED,
  TC_OUTBOX_DEFERRED,
  TC_OUTBOX_SKIPPED,
  TC_OUTBOX_SENDING,
  TC_OUTBOX_SENT,
  TC_OUTBOX_DELIVERED,
  TC_OUTBOX_READ,
  TC_OUTBOX_UNDELIVERED,
  TC_OUTBOX_FAILED,
  TC_OUTBOX_UNKNOWN,
  TC_OUTBOX_PAUSED,     /* held by its campaign's pause: not claimed until resumed */
} TcOutboxState;

/* Names: "queued", "deferred", "skipped", "sending", "sent", "delivered",
 * "read", "undelivered", "failed", "unknown", "paused". */
const char *tc_outbox_state_to_string   (TcOutboxState  state);
gboolean    tc_outbox_state_from_string (const char    *str,
                                         TcOutboxState *state);

/* What to queue. Fields after due_at were added by schema 7; a caller that
 * leaves them zero gets a queued row with no sender (the channel's
 * default), no media, and the price table's cost (tc-prices.h). */
typedef struct
{
  const char *idem_key;     /* unique: e.g. "reply:<inbound id>", "confirm:<event id>" */
  const char *origin;       /* "reply", "confirm", "campaign:12:A", … */
  gint64      contact_id;   /* 0 = none */
  const char *phone;        /* E.164 */
  TcChannel   channel;
  TcPurpose   purpose;
  gboolean    compliance;   /* a compliance reply: the gate lets it through */
  const char *body;
  gint64      due_at;       /* unix seconds */

  TcOutboxState state;      /* QUEUED (0), DEFERRED (until due_at) or SKIPPED */
  const char *reason;       /* why deferred / skipped (a gate reason code), or NULL */
  const char *sender_id;    /* NULL or "" = the channel's default sender */
  const char *media_url;    /* MMS picture / WhatsApp media, or NULL */
  const char *wa_template;  /* WhatsApp Cloud API "template" object (JSON), or NULL */
  const char *content_sid;  /* Twilio Content SID (WhatsApp template through Twilio), or NULL */
  const char *content_variables; /* its variables (JSON), or NULL */
  gboolean    priced;       /* cost given; FALSE: priced from the price table */
  double      cost;         /* estimated cost (price table currency) */
} TcOutboxRow;

/* One stored row (a boxed copy: every string owned, never NULL — empty
 * when not set). */
typedef struct
{
  gint64         id;
  char          *idem_key;
  char          *origin;
  gint64         contact_id;     /* 0 = none (never had one, or erased) */
  char          *phone;          /* "" once erased */
  TcChannel      channel;
  TcPurpose      purpose;
  gboolean       compliance;
  char          *sender_id;      /* "" until the engine picks the default */
  char          *body;
  char          *media_url;
  char          *wa_template;
  char          *content_sid;
  char          *content_variables;
  guint          segments;       /* SMS segments; 1 for WhatsApp */
  gboolean       priced;
  double         cost;
  TcOutboxState  state;
  char          *reason;
  char          *error_code;
  char          *provider;       /* "twilio", "whatsapp", … once claimed */
  char          *provider_id;    /* "" until sent */
  guint          attempts;       /* times claimed for sending */
  gint64         due_at;
  gint64         claimed_at;     /* 0 = never */
  gint64         sent_at;
  gint64         delivered_at;
  gint64         read_at;
  gint64         failed_at;
  gint64         created_at;
  gint64         updated_at;
} TcOutboxEntry;

#define TC_TYPE_OUTBOX_ENTRY (tc_outbox_entry_get_type ())

GType          tc_outbox_entry_get_type (void) G_GNUC_CONST;
TcOutboxEntry *tc_outbox_entry_copy     (const TcOutboxEntry *entry);
void           tc_outbox_entry_free     (TcOutboxEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcOutboxEntry, tc_outbox_entry_free)

/* {"id":1,"idem_key":"…","origin":"…","contact_id":1|null,"phone":"+1…",
 *  "channel":"sms","purpose":"promotional","sender_id":"…"|null,"body":"…",
 *  "segments":1,"cost":0.0083|null,"currency":"USD"|null,"state":"sent",
 *  "reason":"…"|null,"error_code":"…"|null,
 *  "provider_id":"SM…"|null,"due_at":"ISO8601","sent_at":ISO|null,
 *  "delivered_at":ISO|null,"attempts":1}  (times UTC with a Z) */
void           tc_outbox_entry_to_json_builder (const TcOutboxEntry *entry,
                                                JsonBuilder         *builder);
char          *tc_outbox_entry_to_json  (const TcOutboxEntry *entry,
                                         gboolean             pretty);

/* The number of segments @row costs: tc_sms_count() of the body for SMS
 * (at least 1), 1 for WhatsApp. */
guint          tc_outbox_row_segments   (const TcOutboxRow   *row);

/*
 * Main-thread API.
 */

/* Queues @row (strings copied) unless a row with its idem_key exists, and
 * returns the stored row either way (*@inserted says which). */
void           tc_outbox_enqueue_async  (TcRepository        *repository,
                                         const TcOutboxRow   *row,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
TcOutboxEntry *tc_outbox_enqueue_finish (TcRepository        *repository,
                                         GAsyncResult        *result,
                                         gboolean            *inserted,
                                         GError             **error);
/* The row @id; NULL with G_IO_ERROR_NOT_FOUND when there is none. */
void           tc_outbox_get_async      (TcRepository        *repository,
                                         gint64               id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
TcOutboxEntry *tc_outbox_get_finish     (TcRepository        *repository,
                                         GAsyncResult        *result,
                                         GError             **error);
/* Rows by id after @after_id, at most @limit (0 = 1000), only those in
 * @state unless @any_state. Page with the last id. Returns: (element-type
 * TcOutboxEntry) */
void           tc_outbox_list_async     (TcRepository        *repository,
                                         gboolean             any_state,
                                         TcOutboxState        state,
                                         gint64               after_id,
                                         guint                limit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray     *tc_outbox_list_finish    (TcRepository        *repository,
                                         GAsyncResult        *result,
                                         GError             **error);

/*
 * Worker side (inside a job, see tc-repository-private.h).
 */

/* Inserts @row (state queued unless @row says deferred / skipped, with a
 * history event); a row with the same idem_key already there is left as
 * it is (*@inserted FALSE). Must run on the writer. */
gboolean  _tc_db_outbox_enqueue          (struct _TcDb        *db,
                                          const TcOutboxRow   *row,
                                          gint64               now,
                                          gboolean            *inserted,
                                          GError             **error);
/* Promotional messages handed to a provider for @contact_id (any channel)
 * with sent_at >= @since. */
gboolean  _tc_db_outbox_count_promotional (struct _TcDb       *db,
                                           gint64              contact_id,
                                           gint64              since,
                                           guint              *count,
                                           GError            **error);
/* Messages handed to a provider through @sender_id with sent_at >= @since
 * (the daily cap), counting rows being sent now as well. */
gboolean  _tc_db_outbox_count_by_sender  (struct _TcDb        *db,
                                          const char          *sender_id,
                                          gint64               since,
                                          guint               *count,
                                          GError             **error);
/* The row @id, or NULL with G_IO_ERROR_NOT_FOUND. */
TcOutboxEntry *_tc_db_outbox_get          (struct _TcDb       *db,
                                           gint64              id,
                                           GError            **error);
TcOutboxEntry *_tc_db_outbox_get_by_idem_key (struct _TcDb    *db,
                                              const char      *idem_key,
                                              GError         **error);
/* As tc_outbox_list_async(). */
GPtrArray *_tc_db_outbox_list            (struct _TcDb        *db,
                                          gboolean             any_state,
                                          TcOutboxState        state,
                                          gint64               after_id,
                                          guint                limit,
                                          GError             **error);
/* Rows of @channel in "sending" with id > @after_id, by id, at most
 * @limit: what a crash left behind. */
GPtrArray *_tc_db_outbox_list_sending    (struct _TcDb        *db,
                                          TcChannel            channel,
                                          gint64               after_id,
                                          guint                limit,
                                          GError             **error);

/* Claiming: one transaction that moves due rows (queued / deferred with
 * due_at <= now, by due time then id) to "sending" with claimed_at = now,
 * attempts + 1, the sender resolved and the provider's name. Rows are taken
 * per sender while that sender's budget lasts. A non-compliance row is
 * checked again first: a number erased (blank or on the suppression list)
 * becomes skipped("erased"), a consent that no longer allows it
 * skipped("opted_out" / "no_consent"). */
typedef struct
{
  gint64  segments;   /* take rows while this is > 0 (each takes its segments); G_MAXINT64 = no limit */
  gint64  rows;       /* and at most this many rows (the daily cap); G_MAXINT64 = no limit */
} TcOutboxBudget;

typedef struct
{
  TcChannel    channel;
  const char  *provider;        /* stored in the row's provider column */
  const char  *default_sender;  /* for rows without a sender; NULL: those rows wait */
  GHashTable  *budgets;         /* sender id → TcOutboxBudget (updated in place);
                                 * senders not in it are reported, not claimed */
} TcOutboxClaimChannel;

typedef struct
{
  GPtrArray  *claimed;       /* (element-type TcOutboxEntry) now "sending" */
  GPtrArray  *skipped;       /* (element-type TcOutboxEntry) now "skipped" */
  GPtrArray  *new_senders;   /* (element-type utf8) "channel:sender" keys of due rows with no budget entry */
  GPtrArray  *waiting;       /* (element-type utf8) "channel:sender" keys with due rows left (budget spent) */
  gint64      next_due;      /* earliest due_at after now of the channels' waiting rows; 0 = none */
  gint64      n_due;         /* due rows after the claim (when asked for), else -1 */
  gboolean    any_suppressed; /* the suppression list was not empty */
} TcOutboxClaimResult;

void      tc_outbox_claim_result_free    (TcOutboxClaimResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcOutboxClaimResult, tc_outbox_claim_result_free)

/* The key of a sender in the budgets of TcOutboxClaimChannel:
 * "<channel>:<sender id>". */
char     *tc_outbox_sender_key           (TcChannel            channel,
                                          const char          *sender_id);

TcOutboxClaimResult *_tc_db_outbox_claim (struct _TcDb              *db,
                                          const TcOutboxClaimChannel *channels,
                                          guint                      n_channels,
                                          guint                      limit,
                                          gboolean                   count_due,
                                          gint64                     now,
                                          GError                   **error);

/* What became of one claimed row. */
typedef enum
{
  TC_OUTBOX_OUTCOME_SENT,       /* provider_id */
  TC_OUTBOX_OUTCOME_FAILED,     /* reason, error_code */
  TC_OUTBOX_OUTCOME_RETRY,      /* transient: queued again at due_at (reason, error_code) */
  TC_OUTBOX_OUTCOME_REQUEUE,    /* not sent (stopped, provider account problem): queued at
                                 * due_at, the attempt not counted */
  TC_OUTBOX_OUTCOME_RECONCILE,  /* ambiguous: the first of candidates not on another row
                                 * → sent; none → unknown (reason) */
  TC_OUTBOX_OUTCOME_UNKNOWN,    /* reason */
} TcOutboxOutcomeKind;

typedef struct
{
  gint64               id;
  TcOutboxOutcomeKind  kind;
  char                *provider_id;
  char               **candidates;   /* RECONCILE: provider ids, best first */
  char                *reason;
  char                *error_code;
  gint64               due_at;       /* RETRY / REQUEUE */
  /* A provider-reported opt-out: append "blocked" (source provider,
   * origin @block_origin) for the row's contact on its channel, both
   * purposes. */
  gboolean             block;
  char                *block_origin;
  /* RECONCILE after a restart, with a lookup the provider answered: no
   * candidate means the request never reached it — queued again at
   * due_at (the attempt not counted) instead of unknown. */
  gboolean             requeue_if_none;
  /* SENT / RECONCILE found: when to first ask the provider for the
   * status (outbox.poll_at; status polling, tc-engine.h); 0 = never. */
  gint64               poll_at;
  /* Set by _tc_db_outbox_record(): */
  TcOutboxState        state;        /* the state written */
  gboolean             applied;      /* FALSE: the row was not "sending" (left alone) */
} TcOutboxOutcome;

TcOutboxOutcome *tc_outbox_outcome_new  (gint64               id,
                                         TcOutboxOutcomeKind  kind);
void             tc_outbox_outcome_free (TcOutboxOutcome     *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcOutboxOutcome, tc_outbox_outcome_free)

/* A status a provider reported for a message it took. */
typedef struct
{
  char          *provider_id;
  TcOutboxState  state;        /* SENT, DELIVERED, READ, UNDELIVERED or FAILED */
  gint64         at;           /* unix seconds; 0 = now */
  char          *error_code;   /* or NULL */
  char          *reason;       /* plain words, or NULL */
  double         price;        /* as reported; 0 = not given */
  char          *price_currency; /* or NULL */
  gint64         outbox_id;    /* set by _tc_db_outbox_record(): the row moved; 0 = none moved */
  gboolean       matched;      /* set: a row has that provider id (moved or not) */
} TcOutboxStatus;

void      tc_outbox_status_free          (TcOutboxStatus      *status);

/* Writes @outcomes (element-type TcOutboxOutcome) and then @statuses
 * (element-type TcOutboxStatus; only forward: sent → delivered / read /
 * undelivered / failed, delivered → read) in one transaction, with their
 * history events; sets each outcome's state and applied, each status's
 * outbox_id and matched. Either array may be NULL. *@ledger_changed says
 * whether a consent event was appended. */
gboolean  _tc_db_outbox_record           (struct _TcDb        *db,
                                          GPtrArray           *outcomes,
                                          GPtrArray           *statuses,
                                          gint64               now,
                                          gboolean            *ledger_changed,
                                          GError             **error);

/*
 * Status polling (schema 8: outbox.poll_at, outbox.polls). A row sent
 * with an outcome's poll_at gets that time; a status that leaves the row
 * in a final state — delivered, undelivered or failed for SMS; read,
 * undelivered or failed for WhatsApp — clears it, whether it came from a
 * webhook or a poll.
 */

/* A row due for a status poll. */
typedef struct
{
  gint64     id;
  TcChannel  channel;
  char      *provider_id;
  guint      polls;     /* polls so far */
  gint64     sent_at;
  gint64     poll_at;
} TcOutboxPoll;

void      tc_outbox_poll_free            (TcOutboxPoll        *poll);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcOutboxPoll, tc_outbox_poll_free)

/* What one poll of row @id decided: poll again at @next_poll_at (unix
 * seconds), or 0 = stop (gave up, or the provider cannot be asked). */
typedef struct
{
  gint64  id;
  gint64  next_poll_at;
} TcOutboxPolled;

/* Rows of the channels in @channels (bit 1 << TcChannel) with poll_at <=
 * @now, earliest first, at most @limit. *@next_poll_at: the earliest
 * poll_at after @now of those channels, 0 = none. Returns: (element-type
 * TcOutboxPoll) */
GPtrArray *_tc_db_outbox_list_polls      (struct _TcDb        *db,
                                          guint                channels,
                                          gint64               now,
                                          guint                limit,
                                          gint64              *next_poll_at,
                                          GError             **error);

/* As _tc_db_outbox_record(), with @polled (element-type TcOutboxPolled;
 * may be NULL) in the same transaction, after the outcomes and before the
 * statuses: each row's polls + 1 and poll_at = next_poll_at — NULL when
 * that is 0 or the row's status is final; a final status of the batch
 * then clears it. A row whose poll_at was cleared meanwhile (a webhook)
 * is left alone. */
gboolean  _tc_db_outbox_record_polled    (struct _TcDb        *db,
                                          GPtrArray           *outcomes,
                                          GPtrArray           *statuses,
                                          GArray              *polled,
                                          gint64               now,
                                          gboolean            *ledger_changed,
                                          GError             **error);

G_END_DECLS
