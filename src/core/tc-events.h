/* tc-events.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Events: what contacts did (order_placed, cart_abandoned, product_viewed,
 * …), from the CLI, CSV, the HTTP endpoint and shop webhooks (table
 * events, schema 8). Segments select on them (tc-segment.h) and reports
 * take revenue from them.
 *
 * An event names its contact by phone number: a number Textcast does not
 * know yet becomes a contact, without any consent (an event is not an
 * opt-in); a number erased at the person's request is refused. "value"
 * and "currency" in the properties are lifted into their own columns for
 * revenue. An event key makes recording idempotent: recording the same key
 * again returns the event stored the first time (inserted = FALSE), so a
 * webhook delivered twice counts once.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_EVENTS_ERROR (tc_events_error_quark ())

/**
 * TcEventsError:
 * @TC_EVENTS_ERROR_INVALID: a name, number, key, source, time or
 *   properties that are not valid; the message names the field and value
 * @TC_EVENTS_ERROR_ERASED: the number was erased at the person's request
 * @TC_EVENTS_ERROR_NOT_FOUND: no contact has the number (listing)
 */
typedef enum
{
  TC_EVENTS_ERROR_INVALID,
  TC_EVENTS_ERROR_ERASED,
  TC_EVENTS_ERROR_NOT_FOUND,
} TcEventsError;

GQuark tc_events_error_quark (void);

/* Limits: names 1–64 of [a-z0-9_]; keys 1–200 bytes of printable text;
 * sources 1–32 of [a-z0-9_]; properties a JSON object of at most 16 KiB; at most 10,000 events in one batch. */
#define TC_EVENT_MAX_NAME            64
#define TC_EVENT_MAX_KEY             200
#define TC_EVENT_MAX_SOURCE          32
#define TC_EVENT_MAX_PROPERTIES_BYTES (16 * 1024)
#define TC_EVENTS_MAX_BATCH          10000

#define TC_TYPE_EVENT (tc_event_get_type ())

/* One event. To record one, fill name, phone and what you have: occurred_at
 * 0 means now, source NULL means "api", key NULL means none, properties
 * NULL means {}. value / currency / recorded_at / id / contact_id are
 * filled in when stored. */
typedef struct
{
  gint64    id;
  char     *key;          /* nullable */
  gint64    contact_id;
  char     *phone;        /* E.164 once stored */
  char     *name;
  gint64    occurred_at;  /* unix seconds */
  gint64    recorded_at;
  char     *source;
  gboolean  has_value;
  double    value;
  char     *currency;     /* "" when none */
  char     *properties;   /* a JSON object, as written */
} TcEvent;

GType     tc_event_get_type   (void) G_GNUC_CONST;
TcEvent  *tc_event_new        (const char     *name,
                               const char     *phone);
TcEvent  *tc_event_copy       (const TcEvent  *event);
void      tc_event_free       (TcEvent        *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcEvent, tc_event_free)
/* {"id":N,"key":…|null,"contact_id":N,"phone":"+1…","name":"…",
 *  "occurred_at":"…Z","recorded_at":"…Z","source":"…","value":N|null,
 *  "currency":"USD"|null,"properties":{…}} into @builder (as a value). */
void      tc_event_build_json (const TcEvent  *event,
                               JsonBuilder    *builder);

/* Checks @event and returns it in the form stored: the phone in E.164
 * (read with @default_region, NULL = "US", for numbers without +), the
 * source defaulted, the properties kept as written (trimmed) with value and
 * currency lifted out (value: a number, or a text that is one; currency: a three-letter
 * code, upper-cased). Needs no database. NULL with TC_EVENTS_ERROR_INVALID
 * naming the field and value. */
TcEvent  *tc_event_check      (const TcEvent  *event,
                               const char     *default_region,
                               GError        **error);

typedef struct
{
  TcEvent  *event;            /* as stored (the earlier one for a repeated key) */
  gboolean  inserted;         /* FALSE: the key was recorded before */
  gboolean  contact_created;  /* a new number became a contact */
} TcEventOutcome;

void      tc_event_outcome_free (TcEventOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcEventOutcome, tc_event_outcome_free)

/* Records one event (checked with tc_event_check() first). */
void            tc_events_record_async        (TcRepository        *repository,
                                               const TcEvent       *event,
                                               const char          *default_region,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TcEventOutcome *tc_events_record_finish       (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Records every event of @events (element-type TcEvent) in one
 * transaction: all or none. An invalid event fails the batch before
 * anything is written, its error starting "events[INDEX]: ".
 * Returns: (element-type TcEventOutcome): one outcome per event, in order. */
void            tc_events_record_batch_async  (TcRepository        *repository,
                                               GPtrArray           *events,
                                               const char          *default_region,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *tc_events_record_batch_finish (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The events of the contact with @phone (E.164 or as people write it,
 * read with @default_region; NULL: everybody's) named @name (NULL: any),
 * newest first, at most @limit (0: 1,000). An unknown number is
 * TC_EVENTS_ERROR_NOT_FOUND. Returns: (element-type TcEvent) */
void            tc_events_list_async          (TcRepository        *repository,
                                               const char          *phone,
                                               const char          *name,
                                               const char          *default_region,
                                               guint                limit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *tc_events_list_finish         (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Worker side. */
struct _TcDb;
/* Every event of @contact_id, oldest first (the GDPR export).
 * Returns: (element-type TcEvent) */
GPtrArray      *_tc_db_events_for_contact     (struct _TcDb        *db,
                                               gint64               contact_id,
                                               GError             **error);
/* Records one checked event inside the caller's transaction. */
TcEventOutcome *_tc_db_record_event           (struct _TcDb        *db,
                                               const TcEvent       *checked,
                                               gint64               now,
                                               GError             **error);

G_END_DECLS
