/* tc-events-endpoint.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /events on Textcast's HTTP endpoint (tc-http-server.c): events from
 * a shop or any other system, authenticated with a bearer token (the
 * secret "events.token" in the Secret Service, or TEXTCAST_EVENTS_TOKEN
 * for headless use, see tc-secrets.h).
 *
 *   POST /events
 *   Authorization: Bearer <token>
 *   Content-Type: application/json
 *   Content-Length: at most TC_EVENTS_ENDPOINT_MAX_BODY
 *
 *   {"name": "order_placed", "phone": "+14155550123",
 *    "occurred_at": "2026-03-01T09:30:00Z", "id": "shop-order-1001",
 *    "source": "shop", "properties": {"value": 49.9, "currency": "USD"}}
 *   or {"events": [EVENT, …]} (at most TC_EVENTS_ENDPOINT_MAX_BATCH, one
 *   transaction: all or none)
 *
 * Only name and phone are required (a number without + is read as a US
 * number); occurred_at is ISO 8601 or unix seconds (default: now). Answers
 * are JSON: 200 {"id":N,"inserted":true,"contact_created":false} (for a
 * batch {"events":[…]} in order; "inserted" false for an id recorded
 * before), or an error {"error":CODE,"message":TEXT}: 400 invalid_json /
 * invalid_event, 401 unauthorized (with WWW-Authenticate: Bearer), 405
 * method_not_allowed, 413 too_large, 422 erased, 503 not_configured (no
 * token set) or unavailable.
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_EVENTS_ENDPOINT_PATH      "/events"
#define TC_EVENTS_ENDPOINT_MAX_BODY  (256 * 1024)
#define TC_EVENTS_ENDPOINT_MAX_BATCH 1000

/* Whether @path is the endpoint's. */
gboolean tc_events_endpoint_owns_path   (const char        *path);
/* Whether a body of @content_length bytes (-1: not announced, e.g.
 * chunked) may be read for it; the server refuses the others. */
gboolean tc_events_endpoint_accepts_body (goffset           content_length);
/* The 413 answer for a body that is refused before it is read. */
void     tc_events_endpoint_refuse_body (SoupServerMessage *msg);
/* Answers @msg (pausing it while the token is looked up and the events
 * stored). */
void     tc_events_endpoint_handle      (TcRepository      *repository,
                                         SoupServerMessage *msg);

/* The events of a request @body, read but not checked yet (tc_event_check()
 * does that): one event or a batch (*@batch). NULL with
 * TC_EVENTS_ERROR_INVALID (and *@status the HTTP status to answer) when it
 * is not JSON or not events. For the endpoint and its fuzz target.
 * Returns: (element-type TcEvent) */
GPtrArray *_tc_events_endpoint_read     (GBytes            *body,
                                         gboolean          *batch,
                                         guint             *status,
                                         GError           **error);

G_END_DECLS
