/* tc-context.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONTEXT (tc_context_get_type())

G_DECLARE_FINAL_TYPE (TcContext, tc_context, TC, CONTEXT, GObject)

/* The long-lived services of one workspace, handed to the GUI and the CLI. */

/* The default workspace database: $XDG_DATA_HOME/textcast/textcast.db,
 * or $TEXTCAST_DB when set. Returns: (transfer full) */
char         *tc_context_default_db_path (void);

TcContext    *tc_context_new             (const char *db_path);
const char   *tc_context_get_db_path     (TcContext  *self);
TcRepository *tc_context_get_repository  (TcContext  *self);

G_END_DECLS
