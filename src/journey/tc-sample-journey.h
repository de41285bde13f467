/* tc-sample-journey.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sample workspace's ready-made journey ("Try it with sample data",
 * `textcast-cli sample`): the cart-abandonment journey of the library,
 * switched on, with a few sample shoppers who just left their cart
 * (cart_abandoned events, source "sample") already in it. It lives here,
 * not in src/core/tc-sample.c, because journeys sit above core; whoever
 * creates the sample calls it right after tc_sample_create_async().
 */

#pragma once

#include <gio/gio.h>

#include "tc-repository.h"

G_BEGIN_DECLS

/* The ready-made journey the sample gets, and how many shoppers. */
#define TC_SAMPLE_JOURNEY_NAME      "cart_abandonment"
#define TC_SAMPLE_JOURNEY_SHOPPERS  6

/* Creates the cart-abandonment journey (and its templates), activates it,
 * records a cart_abandoned event for each of the first
 * TC_SAMPLE_JOURNEY_SHOPPERS contacts (fewer when the workspace has fewer)
 * at @now (unix seconds; 0: the real time) and runs one tick of the
 * journey runner at @now, so they are in it, waiting for their first
 * step. */
void     tc_sample_journey_create_async  (TcRepository        *repository,
                                          gint64               now,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* @journey_id and @n_enrolled are optional. */
gboolean tc_sample_journey_create_finish (TcRepository        *repository,
                                          GAsyncResult        *result,
                                          gint64              *journey_id,
                                          guint               *n_enrolled,
                                          GError             **error);

G_END_DECLS
