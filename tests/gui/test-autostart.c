/* test-autostart.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starting at login (tc-autostart.c) without a display: the autostart
 * entry's Exec line, the autostart file written and removed in a
 * temporary $XDG_CONFIG_HOME, and the Background portal path against a
 * fake portal (tests/gui/fake-portal.py) on a private session bus.
 */

#define G_LOG_DOMAIN "test-autostart"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-autostart.h"

static char *config_dir;

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
set_autostart (TcAutostartMethod   method,
               gboolean            enabled,
               const char         *parent,
               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_autostart_set_async (method, enabled, parent, NULL, store_result_cb, &result);
  return tc_autostart_set_finish (wait_result (&result), error);
}

static gboolean
query_autostart (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean enabled = FALSE;

  tc_autostart_query_async (TC_AUTOSTART_DESKTOP_FILE, NULL, store_result_cb, &result);
  g_assert_true (tc_autostart_query_finish (wait_result (&result), &enabled, &error));
  g_assert_no_error (error);
  return enabled;
}

/* The Exec line of the entry for @program, as a desktop reads it back. */
static char **
exec_argv (const char *program)
{
  g_autofree char *entry = tc_autostart_build_desktop_entry (program);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *start_group = NULL;
  char **argv = NULL;

  g_assert_true (g_key_file_load_from_data (key_file, entry, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  start_group = g_key_file_get_start_group (key_file);
  g_assert_cmpstr (start_group, ==, "Desktop Entry");
  exec = g_key_file_get_string (key_file, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (key_file, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));
  /* Field codes: a literal % is written %%. */
  {
    g_autoptr(GString) unescaped = g_string_new (exec);

    g_string_replace (unescaped, "%%", "%", 0);
    g_assert_true (g_shell_parse_argv (unescaped->str, NULL, &argv, &error));
  }
  g_assert_no_error (error);
  return argv;
}

static void
test_desktop_entry (void)
{
  struct {
    const char *program;
    const char *exec;   /* NULL: not checked literally */
  } cases[] = {
    { "/usr/bin/textcast", "Exec=/usr/bin/textcast --background" },
    { "/opt/My Apps/textcast", "Exec=\"/opt/My Apps/textcast\" --background" },
    { "/home/ana/100%/textcast", "Exec=/home/ana/100%%/textcast --background" },
    { "/home/o'neil/$HOME/\"x\"/textcast", NULL },
    { "textcast", "Exec=textcast --background" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *entry = tc_autostart_build_desktop_entry (cases[i].program);
      g_auto(GStrv) argv = exec_argv (cases[i].program);

      if (cases[i].exec != NULL)
        g_assert_nonnull (strstr (entry, cases[i].exec));
      g_assert_cmpuint (g_strv_length (argv), ==, 2);
      g_assert_cmpstr (argv[0], ==, cases[i].program);
      g_assert_cmpstr (argv[1], ==, TC_AUTOSTART_OPTION);
    }
}

static void
test_resolve (void)
{
  g_setenv ("FLATPAK_ID", "io.github.textcast.Textcast", TRUE);
  g_assert_cmpint (tc_autostart_resolve_method (TC_AUTOSTART_AUTO), ==, TC_AUTOSTART_PORTAL);
  g_unsetenv ("FLATPAK_ID");
  g_assert_cmpint (tc_autostart_resolve_method (TC_AUTOSTART_AUTO), ==, TC_AUTOSTART_DESKTOP_FILE);
  g_assert_cmpint (tc_autostart_resolve_method (TC_AUTOSTART_PORTAL), ==, TC_AUTOSTART_PORTAL);
}

static void
test_file (void)
{
  g_autofree char *path = tc_autostart_dup_desktop_file_path ();
  g_autofree char *expected = g_build_filename (config_dir, "autostart", APP_ID ".desktop", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exec = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (query_autostart ());

  g_assert_true (set_autostart (TC_AUTOSTART_DESKTOP_FILE, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  exec = g_strdup_printf ("\nExec=%s --background\n", program);
  g_assert_nonnull (strstr (contents, exec));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_true (query_autostart ());

  /* On twice: the same file. */
  g_assert_true (set_autostart (TC_AUTOSTART_DESKTOP_FILE, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (query_autostart ());

  g_assert_true (set_autostart (TC_AUTOSTART_DESKTOP_FILE, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (query_autostart ());
  /* Off when it is off already: nothing to do, no error. */
  g_assert_true (set_autostart (TC_AUTOSTART_DESKTOP_FILE, FALSE, NULL, &error));
  g_assert_no_error (error);
}

/* The requests the fake portal received, one JSON object each. */
static GPtrArray *
read_requests (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return requests;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_autoptr(GError) error = NULL;
        JsonNode *node = json_from_string (lines[i], &error);

        g_assert_no_error (error);
        g_ptr_array_add (requests, node);
      }
  return requests;
}

static void
test_portal (void)
{
  const char *script = g_getenv ("TC_FAKE_PORTAL");
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GSubprocess) portal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *file = tc_autostart_dup_desktop_file_path ();
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  JsonObject *request, *options;
  JsonArray *commandline;
  gint64 deadline;

  if (script == NULL || !g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ||
      dbus_daemon == NULL)
    {
      g_test_skip ("needs TC_FAKE_PORTAL, python3 and dbus-daemon");
      return;
    }
  if (!g_spawn_command_line_sync ("/usr/bin/python3 -c 'from gi.repository import Gio'", NULL, NULL, NULL, NULL))
    {
      g_test_skip ("python3-gi is not installed");
      return;
    }

  dir = g_dir_make_tmp ("test-autostart-portal-XXXXXX", &error);
  g_assert_no_error (error);
  out = g_build_filename (dir, "requests", NULL);
  ready = g_strconcat (out, ".ready", NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  portal = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/usr/bin/python3", script, out, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!g_file_test (ready, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_assert_true (g_file_test (ready, G_FILE_TEST_EXISTS));

  /* On: the portal is asked for autostart with `textcast --background`. */
  g_assert_true (set_autostart (TC_AUTOSTART_PORTAL, TRUE, "x11:1a2b", &error));
  g_assert_no_error (error);
  /* Off: asked again without autostart. */
  g_assert_true (set_autostart (TC_AUTOSTART_PORTAL, FALSE, "", &error));
  g_assert_no_error (error);
  /* Refused by the person or the desktop. */
  g_assert_false (set_autostart (TC_AUTOSTART_PORTAL, TRUE, "x11:deny", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  /* Turning it off is never refused. */
  g_assert_true (set_autostart (TC_AUTOSTART_PORTAL, FALSE, "x11:deny", &error));
  g_assert_no_error (error);
  /* The question dismissed. */
  g_assert_false (set_autostart (TC_AUTOSTART_PORTAL, TRUE, "x11:dismiss", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* A portal older than 0.9 answers on a path of its own. */
  g_assert_true (set_autostart (TC_AUTOSTART_PORTAL, TRUE, "x11:oldpath", &error));
  g_assert_no_error (error);

  requests = read_requests (out);
  g_assert_cmpuint (requests->len, ==, 6);
  request = json_node_get_object (g_ptr_array_index (requests, 0));
  g_assert_cmpstr (json_object_get_string_member (request, "parent"), ==, "x11:1a2b");
  options = json_object_get_object_member (request, "options");
  g_assert_true (json_object_get_boolean_member (options, "autostart"));
  g_assert_false (json_object_get_boolean_member (options, "dbus-activatable"));
  g_assert_cmpuint (strlen (json_object_get_string_member (options, "reason")), >, 10);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (options, "handle_token"), "textcast"));
  commandline = json_object_get_array_member (options, "commandline");
  g_assert_cmpuint (json_array_get_length (commandline), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (commandline, 0), ==, "textcast");
  g_assert_cmpstr (json_array_get_string_element (commandline, 1), ==, "--background");
  request = json_node_get_object (g_ptr_array_index (requests, 1));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (request, "options"),
                                                  "autostart"));
  /* The portal path never writes the file itself. */
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  g_subprocess_force_exit (portal);
  g_subprocess_wait (portal, NULL, NULL);
  g_test_dbus_down (bus);
  g_unlink (ready);
  g_unlink (out);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *autostart_dir = NULL;
  int status;

  /* Before anything reads it (GLib keeps the first value). */
  config_dir = g_dir_make_tmp ("test-autostart-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_unsetenv ("FLATPAK_ID");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/autostart/desktop-entry", test_desktop_entry);
  g_test_add_func ("/tc/autostart/resolve", test_resolve);
  g_test_add_func ("/tc/autostart/file", test_file);
  g_test_add_func ("/tc/autostart/portal", test_portal);

  status = g_test_run ();

  autostart_dir = g_build_filename (config_dir, "autostart", NULL);
  g_rmdir (autostart_dir);
  g_rmdir (config_dir);
  g_free (config_dir);
  return status;
}
