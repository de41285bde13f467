/* tc-autostart.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-autostart"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tc-autostart.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND  "org.freedesktop.portal.Background"
#define PORTAL_REQUEST     "org.freedesktop.portal.Request"
/* The program inside the Flatpak sandbox (the manifest's "command"). */
#define FLATPAK_COMMAND    "textcast"

TcAutostartMethod
tc_autostart_resolve_method (TcAutostartMethod method)
{
  if (method != TC_AUTOSTART_AUTO)
    return method;
  /* Flatpak sets FLATPAK_ID for everything in the sandbox: no file to read. */
  return g_getenv ("FLATPAK_ID") != NULL ? TC_AUTOSTART_PORTAL : TC_AUTOSTART_DESKTOP_FILE;
}

char *
tc_autostart_dup_desktop_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

/* One argument of an Exec line (desktop entry specification, "The Exec
 * key"): quoted when it has a reserved character, then escaped as a
 * string value (a backslash doubled). */
static void
append_exec_argument (GString    *line,
                      const char *argument)
{
  gboolean quote = argument[0] == '\0' || strpbrk (argument, " \t\n\"'\\><~|&;$*?#()`") != NULL;

  if (quote)
    g_string_append_c (line, '"');
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (quote && (*p == '"' || *p == '`' || *p == '$' || *p == '\\'))
        g_string_append (line, "\\\\");
      if (*p == '%')
        g_string_append_c (line, '%');
      if (*p == '\\')
        g_string_append (line, "\\\\");
      else if (*p == '\n')
        g_string_append (line, "\\n");
      else
        g_string_append_c (line, *p);
    }
  if (quote)
    g_string_append_c (line, '"');
}

char *
tc_autostart_build_desktop_entry (const char *program)
{
  g_autoptr(GString) exec = g_string_new (NULL);

  g_return_val_if_fail (program != NULL && program[0] != '\0', NULL);

  append_exec_argument (exec, program);
  g_string_append_c (exec, ' ');
  append_exec_argument (exec, TC_AUTOSTART_OPTION);

  return g_strdup_printf ("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=Textcast\n"
                          "Comment=Receives replies and runs journeys in the background\n"
                          "Exec=%s\n"
                          "Icon=" APP_ID "\n"
                          "Terminal=false\n"
                          "NoDisplay=true\n"
                          "X-GNOME-Autostart-enabled=true\n",
                          exec->str);
}

/* ------------------------------------------------------------------------
 * The autostart file, on a worker thread
 */

static char *
dup_program_path (void)
{
  g_autofree char *path = g_file_read_link ("/proc/self/exe", NULL);

  /* A program replaced on disk reads as "… (deleted)": use its name. */
  if (path == NULL || !g_path_is_absolute (path) || g_str_has_suffix (path, " (deleted)"))
    return g_strdup ("textcast");
  return g_steal_pointer (&path);
}

static void
set_file_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  gboolean enabled = GPOINTER_TO_INT (task_data);
  g_autofree char *path = tc_autostart_dup_desktop_file_path ();
  GError *error = NULL;

  if (enabled)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *program = dup_program_path ();
      g_autofree char *entry = tc_autostart_build_desktop_entry (program);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
          return;
        }
      if (!g_file_set_contents_full (path, entry, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_debug ("Wrote %s", path);
    }
  else
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "Cannot remove %s: %s", path, g_strerror (saved_errno));
          return;
        }
      g_debug ("Removed %s", path);
    }
  g_task_return_boolean (task, TRUE);
}

static void
query_file_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *path = tc_autostart_dup_desktop_file_path ();

  g_task_return_int (task, g_file_test (path, G_FILE_TEST_IS_REGULAR) ? 1 : 0);
}

/* ------------------------------------------------------------------------
 * The Background portal
 */

typedef struct
{
  GDBusConnection *connection;
  char            *request_path;
  guint            response_id;
  gulong           cancelled_id;
  gboolean         enabled;
  char            *parent_window;
} PortalData;

static void
portal_data_free (PortalData *data)
{
  if (data->response_id != 0)
    g_dbus_connection_signal_unsubscribe (data->connection, data->response_id);
  g_clear_object (&data->connection);
  g_free (data->request_path);
  g_free (data->parent_window);
  g_free (data);
}

/* Ends the task once: the response, an error or a cancellation. */
static void
portal_finish (GTask  *task,
               GError *error)
{
  PortalData *data = g_task_get_task_data (task);

  if (data->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (data->connection, data->response_id);
      data->response_id = 0;
    }
  if (data->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), data->cancelled_id);
      data->cancelled_id = 0;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_portal_response_cb (GDBusConnection *connection,
                       const char      *sender_name,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *signal_name,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  GTask *task = user_data;
  PortalData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  guint32 response = 2;
  gboolean autostart = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "autostart", "b", &autostart);
  g_debug ("The Background portal answered %u (autostart %s)", response, autostart ? "on" : "off");

  if (response == 1)
    portal_finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed"));
  else if (response != 0)
    portal_finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                      "The desktop could not answer the request"));
  else if (data->enabled && !autostart)
    portal_finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                      "The desktop does not allow Textcast to start at login"));
  else
    portal_finish (task, NULL);
}

static void
subscribe_response (GTask      *task,
                    const char *path)
{
  PortalData *data = g_task_get_task_data (task);

  if (data->response_id != 0)
    g_dbus_connection_signal_unsubscribe (data->connection, data->response_id);
  g_free (data->request_path);
  data->request_path = g_strdup (path);
  data->response_id = g_dbus_connection_signal_subscribe (data->connection, NULL, PORTAL_REQUEST,
                                                          "Response", path, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          on_portal_response_cb, task, NULL);
}

static void
on_request_background_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PortalData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;
  const char *handle = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  /* Ended meanwhile (cancelled): nothing more to do. */
  if (data->response_id == 0)
    {
      g_clear_error (&error);
      return;
    }
  if (reply == NULL)
    {
      portal_finish (task, error);
      return;
    }
  g_variant_get (reply, "(&o)", &handle);
  /* Portals older than version 0.9 pick their own path. */
  if (g_strcmp0 (handle, data->request_path) != 0)
    subscribe_response (task, handle);
}

static gboolean
portal_cancel_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  PortalData *data = g_task_get_task_data (task);

  /* Still waiting for the answer: stop waiting. */
  if (data->response_id != 0)
    portal_finish (task, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
  return G_SOURCE_REMOVE;
}

static void
on_portal_cancelled_cb (GCancellable *cancellable,
                        GTask        *task)
{
  /* This runs inside g_cancellable_cancel(), where the handler cannot be
   * disconnected: the task ends from an idle. */
  g_idle_add_full (G_PRIORITY_DEFAULT, portal_cancel_idle_cb, g_object_ref (task), g_object_unref);
}

static void
on_bus_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PortalData *data = g_task_get_task_data (task);
  g_autofree char *token = g_strdup_printf ("textcast%u", g_random_int ());
  g_autofree char *sender = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder options;
  const char *commandline[] = { FLATPAK_COMMAND, TC_AUTOSTART_OPTION, NULL };
  GError *error = NULL;

  data->connection = g_bus_get_finish (result, &error);
  if (data->connection == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* The request's path is known before the call (portal 0.9 and later):
   * listen first, so the answer cannot come before the subscription. */
  sender = g_strdup (g_dbus_connection_get_unique_name (data->connection) + 1);
  g_strdelimit (sender, ".", '_');
  path = g_strdup_printf (PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
  subscribe_response (task, path);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Textcast receives replies and runs your journeys "
                                                 "in the background")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (data->enabled));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  if (g_task_get_cancellable (task) != NULL)
    data->cancelled_id = g_cancellable_connect (g_task_get_cancellable (task),
                                                G_CALLBACK (on_portal_cancelled_cb), task, NULL);
  g_dbus_connection_call (data->connection, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_BACKGROUND,
                          "RequestBackground",
                          g_variant_new ("(sa{sv})", data->parent_window, &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_request_background_cb, g_object_ref (task));
}

/* ------------------------------------------------------------------------
 * Public API
 */

void
tc_autostart_set_async (TcAutostartMethod    method,
                        gboolean             enabled,
                        const char          *parent_window,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_autostart_set_async);

  if (tc_autostart_resolve_method (method) == TC_AUTOSTART_DESKTOP_FILE)
    {
      g_task_set_task_data (task, GINT_TO_POINTER (!!enabled), NULL);
      g_task_run_in_thread (task, set_file_thread);
      g_object_unref (task);
      return;
    }

  {
    PortalData *data = g_new0 (PortalData, 1);

    data->enabled = !!enabled;
    data->parent_window = g_strdup (parent_window != NULL ? parent_window : "");
    g_task_set_task_data (task, data, (GDestroyNotify) portal_data_free);
    /* The task's reference is held until the answer (portal_finish). */
    g_bus_get (G_BUS_TYPE_SESSION, cancellable, on_bus_cb, task);
  }
}

gboolean
tc_autostart_set_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_autostart_set_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_autostart_query_async (TcAutostartMethod    method,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tc_autostart_query_async);
  if (tc_autostart_resolve_method (method) != TC_AUTOSTART_DESKTOP_FILE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "The Background portal cannot say whether Textcast starts at login");
      return;
    }
  g_task_run_in_thread (task, query_file_thread);
}

gboolean
tc_autostart_query_finish (GAsyncResult  *result,
                           gboolean      *enabled,
                           GError       **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_autostart_query_async, FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  if (enabled != NULL)
    *enabled = value == 1;
  return TRUE;
}
