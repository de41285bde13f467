/* tc-readiness-net.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readiness checks that need the network (src/core/tc-readiness.h
 * inspects the workspace without it). Each runs asynchronously and
 * records its outcome with tc_readiness_record_test_async(), which the
 * next inspection reads:
 *
 *   provider   the connection test of tc_providers_test_async(), recorded
 *              under the provider ("twilio", "whatsapp"); the simulator's
 *              test is not recorded (it proves nothing about an account)
 *   webhooks   a GET of the public URL (http.public_url) + "/webhooks/":
 *              reachable when the answer comes from Textcast's own HTTP
 *              endpoint (its Server header says "Textcast"), that is, when
 *              the tunnel or forwarding leads to a running Textcast
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-providers.h"
#include "tc-types.h"

G_BEGIN_DECLS

/* As tc_providers_test_async(), and records the outcome. Finishes with
 * the test's sentence, or its error. */
void        tc_readiness_test_provider_async   (TcRepository        *repository,
                                                SoupSession         *session,
                                                TcProviderKind       kind,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char       *tc_readiness_test_provider_finish  (GAsyncResult        *result,
                                                GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Checks that the public URL reaches Textcast, and records the outcome.
 * Finishes with a sentence saying what worked, or an error in plain words
 * (G_IO_ERROR_NOT_FOUND when no public URL is set, G_IO_ERROR_FAILED when
 * it does not lead to Textcast). @session NULL: one is made. */
void        tc_readiness_check_webhooks_async  (TcRepository        *repository,
                                                SoupSession         *session,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char       *tc_readiness_check_webhooks_finish (GAsyncResult        *result,
                                                GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
