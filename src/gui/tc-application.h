/* tc-application.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_APPLICATION (tc_application_get_type())

G_DECLARE_FINAL_TYPE (TcApplication, tc_application, TC, APPLICATION, AdwApplication)

TcApplication *tc_application_new          (void);
TcContext     *tc_application_get_context  (TcApplication *self);
/* The app's settings, or NULL when the schema is not installed (running
 * from a build folder without GSETTINGS_SCHEMA_DIR). */
GSettings     *tc_application_get_settings (TcApplication *self);

G_END_DECLS
