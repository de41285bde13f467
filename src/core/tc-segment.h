/* tc-segment.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Segments: audience rules written as JSON, checked into a TcSegment, and
 * compiled to one SQL query over the contacts (with bound parameters only:
 * a value from a rule is never part of the SQL text). Saved segments have
 * a name, unique without regard to case (table segments, schema 8).
 *
 * A rule is one JSON object of one of these kinds:
 *
 *   Groups
 *     {"all": [RULE, …]}            every rule matches (an empty list: everybody)
 *     {"any": [RULE, …]}            at least one matches (an empty list: nobody)
 *     {"not": RULE}                 the rule does not match
 *
 *   Contact fields
 *     {"field": F, "op": OP, "value": V}
 *       F: first_name, last_name, email, phone, language, country,
 *          created_at, timezone (one of the contact's zones), region (the
 *          phone number's country, and for US and Canadian numbers its
 *          state or province: "US-FL", "CA-ON"; "US" matches every US
 *          state), or attributes.KEY (a custom attribute; KEY is taken
 *          literally, dots and brackets included, and may not contain '"'
 *          or '\').
 *       OP: equals, not_equals, contains, in (V an array of 1–1000
 *           strings), before, after (V an ISO 8601 date or time; on
 *           attributes the stored text is compared, so store dates as
 *           2026-03-01), empty, not_empty (no V).
 *       Text comparisons ignore ASCII case. A missing attribute is empty.
 *
 *   Tags
 *     {"tag": "vip"}                has the tag
 *     {"tag": "vip", "has": false}  does not have it
 *
 *   Consent (the current status per channel and purpose)
 *     {"consent": "sms", "purpose": "promotional", "status": "opted_in"}
 *       channel sms or whatsapp; purpose promotional (the default) or
 *       transactional; status (default opted_in) one of none, pending,
 *       opted_in, opted_out, expired, or an array of them. "none" also
 *       matches a contact with nothing recorded; a pending request past
 *       its expiry counts as expired.
 *
 *   Engagement, within the last N days (channel optional, not for clicked)
 *     {"engagement": "received", "within_days": 30, "channel": "whatsapp"}
 *       received (a message was sent to them), delivered, read, clicked
 *       (a tracked link of theirs), replied (they wrote to us).
 *
 *   Events
 *     {"event": "order_placed", "within_days": 30,
 *      "where": [{"property": "value", "op": ">", "value": 50},
 *                {"property": "properties.sku", "op": "=", "value": "X1"}]}
 *     {"event": "cart_abandoned", "did": false, "within_days": 7}
 *       within_days optional (any time); did defaults to true; where lists
 *       conditions that one and the same event meets. property: value,
 *       currency, or properties.KEY (a key of the event's properties).
 *       op: = != > >= < <= contains. A number is compared as a number
 *       (only with numeric properties), a string as text.
 *
 *   Another saved segment (resolved when the rule runs)
 *     {"segment": "VIP customers"}
 *
 * For example:
 *   {"all": [{"field": "country", "op": "in", "value": ["US", "CA"]},
 *            {"tag": "vip"},
 *            {"any": [{"event": "order_placed", "within_days": 30,
 *                      "where": [{"property": "value", "op": ">", "value": 50}]},
 *                     {"engagement": "clicked", "within_days": 7}]}]}
 *
 * Errors name the place in the rule and the value: "rule.all[2].op:
 * “between” is not an operator; use one of equals, …".
 *
 * Every time window counts back from "now", which the count, preview and
 * iteration functions take as an argument (0: the current time) so that
 * tests can fix it.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_SEGMENT_ERROR (tc_segment_error_quark ())

/**
 * TcSegmentError:
 * @TC_SEGMENT_ERROR_INVALID_RULE: the rule is not valid JSON or not a rule;
 *   the message names the place and the value
 * @TC_SEGMENT_ERROR_INVALID_NAME: a segment name that is empty or too long
 * @TC_SEGMENT_ERROR_NAME_TAKEN: another segment has that name (any case)
 * @TC_SEGMENT_ERROR_NOT_FOUND: no segment has that name
 * @TC_SEGMENT_ERROR_CYCLE: saved segments that refer to each other in a
 *   circle, or nest deeper than a person would
 */
typedef enum
{
  TC_SEGMENT_ERROR_INVALID_RULE,
  TC_SEGMENT_ERROR_INVALID_NAME,
  TC_SEGMENT_ERROR_NAME_TAKEN,
  TC_SEGMENT_ERROR_NOT_FOUND,
  TC_SEGMENT_ERROR_CYCLE,
} TcSegmentError;

GQuark tc_segment_error_quark (void);

/* The longest rule text and name accepted. */
#define TC_SEGMENT_MAX_RULE_BYTES (256 * 1024)
#define TC_SEGMENT_MAX_NAME_CHARS 100

#define TC_TYPE_SEGMENT (tc_segment_get_type ())

/* A checked rule. Immutable and reference-counted (atomically): it may be
 * handed to worker threads. */
typedef struct _TcSegment TcSegment;

GType       tc_segment_get_type    (void) G_GNUC_CONST;
/* Parses and checks @json (UTF-8, at most TC_SEGMENT_MAX_RULE_BYTES).
 * Returns NULL with TC_SEGMENT_ERROR_INVALID_RULE naming the place. */
TcSegment  *tc_segment_new_from_json (const char  *json,
                                      GError     **error);
/* The same from an already parsed node (not kept: copied as needed). */
TcSegment  *tc_segment_new_from_node (JsonNode    *node,
                                      GError     **error);
TcSegment  *tc_segment_ref         (TcSegment   *segment);
void        tc_segment_unref       (TcSegment   *segment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSegment, tc_segment_unref)
/* The rule as compact JSON (as stored). Returns: (transfer none) */
const char *tc_segment_get_json    (TcSegment   *segment);

/* Counts the contacts that match, on the reader thread. @now: unix
 * seconds the time windows count back from (0: the current time). */
void        tc_segment_count_async   (TcRepository        *repository,
                                      TcSegment           *segment,
                                      gint64               now,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean    tc_segment_count_finish  (TcRepository        *repository,
                                      GAsyncResult        *result,
                                      guint               *n_contacts,
                                      GError             **error);
/* The first @limit matching contacts in list order (by name), fully
 * loaded. Returns: (transfer full) (element-type TcContact) */
void        tc_segment_preview_async (TcRepository        *repository,
                                      TcSegment           *segment,
                                      gint64               now,
                                      guint                limit,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GPtrArray  *tc_segment_preview_finish (TcRepository       *repository,
                                       GAsyncResult       *result,
                                       GError            **error);

/* ------------------------------------------------------------------------
 * Saved segments
 */

#define TC_TYPE_SAVED_SEGMENT (tc_saved_segment_get_type ())

typedef struct
{
  gint64     id;
  char      *name;
  TcSegment *segment;
  gint64     created_at;  /* unix seconds */
  gint64     updated_at;
} TcSavedSegment;

GType           tc_saved_segment_get_type (void) G_GNUC_CONST;
TcSavedSegment *tc_saved_segment_copy     (const TcSavedSegment *saved);
void            tc_saved_segment_free     (TcSavedSegment       *saved);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSavedSegment, tc_saved_segment_free)
/* {"id":N,"name":"…","rule":{…},"created_at":"…Z","updated_at":"…Z"} into
 * @builder (as a value: after a member name, or in an array). */
void            tc_saved_segment_build_json (const TcSavedSegment *saved,
                                             JsonBuilder          *builder);

/* Saves a new segment. @name is trimmed; empty or longer than
 * TC_SEGMENT_MAX_NAME_CHARS is TC_SEGMENT_ERROR_INVALID_NAME, a name in
 * use (in any case) TC_SEGMENT_ERROR_NAME_TAKEN. A rule that refers to
 * a saved segment that does not exist is TC_SEGMENT_ERROR_NOT_FOUND. */
void            tc_segment_store_add_async    (TcRepository        *repository,
                                               const char          *name,
                                               TcSegment           *segment,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* Returns: the new segment's id, or 0 with @error set. */
gint64          tc_segment_store_add_finish   (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Changes the segment called @name (any case): its name to @new_name
 * (NULL: unchanged) and/or its rule to @segment (NULL: unchanged). The
 * errors of add, and TC_SEGMENT_ERROR_NOT_FOUND; a rule that makes saved
 * segments refer to each other in a circle is TC_SEGMENT_ERROR_CYCLE. */
void            tc_segment_store_update_async (TcRepository        *repository,
                                               const char          *name,
                                               const char          *new_name,
                                               TcSegment           *segment,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        tc_segment_store_update_finish (TcRepository       *repository,
                                                GAsyncResult       *result,
                                                GError            **error);
/* The segment called @name (any case), or TC_SEGMENT_ERROR_NOT_FOUND. */
void            tc_segment_store_get_async    (TcRepository        *repository,
                                               const char          *name,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TcSavedSegment *tc_segment_store_get_finish   (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Every saved segment, by name. Returns: (element-type TcSavedSegment) */
void            tc_segment_store_list_async   (TcRepository        *repository,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray      *tc_segment_store_list_finish  (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Deletes the segment called @name (any case), or
 * TC_SEGMENT_ERROR_NOT_FOUND. */
void            tc_segment_store_delete_async (TcRepository        *repository,
                                               const char          *name,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        tc_segment_store_delete_finish (TcRepository       *repository,
                                                GAsyncResult       *result,
                                                GError            **error);

/* ------------------------------------------------------------------------
 * Worker side (inside a job, see tc-repository-private.h)
 */

struct _TcDb;

/* Called for each matching contact id, in increasing order; return FALSE
 * to stop early (not an error). */
typedef gboolean (*TcSegmentContactFunc) (gint64   contact_id,
                                          gpointer user_data);

/* Calls @func for each contact that matches @segment and whose id is
 * greater than @after_id (0: from the start), in increasing id order, so
 * that a campaign can resume where it stopped. Checks @cancellable every
 * few thousand rows. */
gboolean        _tc_db_segment_foreach     (struct _TcDb          *db,
                                            TcSegment             *segment,
                                            gint64                 now,
                                            gint64                 after_id,
                                            TcSegmentContactFunc   func,
                                            gpointer               user_data,
                                            GCancellable          *cancellable,
                                            GError               **error);
gboolean        _tc_db_segment_count       (struct _TcDb          *db,
                                            TcSegment             *segment,
                                            gint64                 now,
                                            guint                 *n_contacts,
                                            GError               **error);
/* The saved segment called @name (any case), or NULL with
 * TC_SEGMENT_ERROR_NOT_FOUND. */
TcSavedSegment *_tc_db_segment_load        (struct _TcDb          *db,
                                            const char            *name,
                                            GError               **error);

G_END_DECLS
