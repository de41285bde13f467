/* tc-wa-templates-simulated.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WhatsApp template approval on a workspace that sends through the
 * built-in simulator: the simulator reviews templates as Meta would
 * (tc-simulator-templates.h), so that what is made there — the
 * ready-made journeys' templates above all — can be sent there.
 */

#pragma once

#include <gio/gio.h>

#include "tc-repository.h"

G_BEGIN_DECLS

/* When the workspace's WhatsApp provider is the built-in simulator (the
 * setting provider.whatsapp unset or "simulator"): submits the WhatsApp
 * templates named in @submit (NULL: none) that are drafts, and asks again
 * about every pending one, through a simulator of its own on 127.0.0.1;
 * each status the review gives (approved, or rejected with Meta's reason)
 * is stored on the template. A template the simulator refuses outright is
 * stored as rejected with Meta's words as the reason. The simulator keeps
 * templates only while it runs, so a pending one is submitted again.
 * Nothing is done (and no simulator started) for another provider or when
 * there is nothing to submit or ask about. */
void        tc_wa_templates_review_simulated_async  (TcRepository        *repository,
                                                     const char * const  *submit,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* Returns: (transfer full) (element-type TcWaTemplateState) what the
 * review said, one per template looked at (empty when none was); NULL on
 * error. @simulated (optional): whether the provider is the simulator. */
GPtrArray  *tc_wa_templates_review_simulated_finish (TcRepository        *repository,
                                                     GAsyncResult        *result,
                                                     gboolean            *simulated,
                                                     GError             **error);

G_END_DECLS
