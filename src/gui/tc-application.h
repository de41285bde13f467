/* tc-application.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-send-service.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_APPLICATION (tc_application_get_type())

G_DECLARE_FINAL_TYPE (TcApplication, tc_application, TC, APPLICATION, AdwApplication)

TcApplication *tc_application_new          (void);
TcContext     *tc_application_get_context  (TcApplication *self);
/* The app's settings, or NULL when the schema is not installed (running
 * from a build folder without GSETTINGS_SCHEMA_DIR). */
GSettings     *tc_application_get_settings (TcApplication *self);
/* The workspace's sending (the engine, the providers, the HTTP endpoint).
 * The application owns it, not the window: sending is the workspace's,
 * and may later go on with no window open. It stops — requests in flight
 * finish and are recorded — when the last main window closes, and the
 * application waits for that before it exits. */
TcSendService *tc_application_get_send_service (TcApplication *self);
/* Closing the last window keeps the app running without it while journeys
 * are active (or messages are still going out), with a notification to
 * open it again or quit. A window that asks before closing (unsaved
 * changes) calls this when told to stay, so that a Quit waiting on it is
 * off. */
void           tc_application_cancel_quit      (TcApplication *self);

G_END_DECLS
