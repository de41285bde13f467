/* tc-autostart.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starting Textcast at login, hidden (`textcast --background`), so it
 * receives replies and runs journeys without a window. In a Flatpak the
 * desktop's Background portal (org.freedesktop.portal.Background,
 * RequestBackground with autostart) asks the person and writes the
 * autostart entry; elsewhere Textcast writes or removes
 * $XDG_CONFIG_HOME/autostart/APP_ID.desktop itself, off the GUI thread.
 * No GTK: GIO and GDBus only.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The option that starts Textcast hidden. */
#define TC_AUTOSTART_OPTION "--background"

typedef enum
{
  TC_AUTOSTART_AUTO,          /* the portal in a Flatpak, else the file */
  TC_AUTOSTART_PORTAL,        /* org.freedesktop.portal.Background */
  TC_AUTOSTART_DESKTOP_FILE,  /* $XDG_CONFIG_HOME/autostart */
} TcAutostartMethod;

/* AUTO resolved: PORTAL inside a Flatpak sandbox (FLATPAK_ID is set). */
TcAutostartMethod tc_autostart_resolve_method       (TcAutostartMethod method);
/* $XDG_CONFIG_HOME/autostart/APP_ID.desktop. */
char             *tc_autostart_dup_desktop_file_path (void) G_GNUC_WARN_UNUSED_RESULT;
/* The autostart entry that runs @program hidden (pure; for tests). */
char             *tc_autostart_build_desktop_entry   (const char *program) G_GNUC_WARN_UNUSED_RESULT;

/* Turns starting at login on or off. @parent_window is the portal's
 * parent window handle ("x11:XID", "wayland:HANDLE" or ""). Fails with
 * G_IO_ERROR_PERMISSION_DENIED when the person or the desktop refused it,
 * G_IO_ERROR_CANCELLED when the person dismissed the portal's question. */
void              tc_autostart_set_async            (TcAutostartMethod    method,
                                                     gboolean             enabled,
                                                     const char          *parent_window,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          tc_autostart_set_finish           (GAsyncResult        *result,
                                                     GError             **error);

/* Whether the autostart file exists (DESKTOP_FILE; the portal cannot be
 * asked, so PORTAL fails with G_IO_ERROR_NOT_SUPPORTED). */
void              tc_autostart_query_async          (TcAutostartMethod    method,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          tc_autostart_query_finish         (GAsyncResult        *result,
                                                     gboolean            *enabled,
                                                     GError             **error);

G_END_DECLS
