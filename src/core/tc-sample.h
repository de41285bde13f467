/* tc-sample.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

/* Fills an empty workspace with @n_contacts realistic sample contacts
 * (several countries, real-looking names, valid numbers, tags, custom
 * attributes and consent records with evidence), in one transaction, so a
 * newcomer sees a living app. Deterministic for a given @seed. */
void     tc_sample_create_async  (TcRepository        *repository,
                                  guint                n_contacts,
                                  guint32              seed,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean tc_sample_create_finish (TcRepository        *repository,
                                  GAsyncResult        *result,
                                  GError             **error);

G_END_DECLS
