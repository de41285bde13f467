/* tc-cli.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>

#include "tc-cli.h"
#include "tc-repository.h"

int
tc_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("textcast-cli: %s\n", message);

  return TC_CLI_EXIT_FAILURE;
}

int
tc_cli_fail_with_error (const char   *what,
                        const GError *error)
{
  g_return_val_if_fail (error != NULL, TC_CLI_EXIT_FAILURE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("textcast-cli: interrupted; nothing was changed\n");
      return TC_CLI_EXIT_INTERRUPTED;
    }

  if (what != NULL)
    return tc_cli_fail ("%s: %s", what, error->message);

  return tc_cli_fail ("%s", error->message);
}

int
tc_cli_usage_error (const char *usage,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("textcast-cli: %s\n\n%s", message, usage);

  return TC_CLI_EXIT_USAGE;
}

void
tc_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

GBytes *
tc_cli_read_stdin (gsize    max_bytes,
                   GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (max_bytes > 0 && bytes->len + (gsize) n > max_bytes)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "the text on standard input is over %" G_GSIZE_FORMAT " bytes", max_bytes);
          return NULL;
        }
      g_byte_array_append (bytes, buffer, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

TcContext *
tc_cli_open_workspace (const char  *db_path,
                       gboolean     create,
                       GError     **error)
{
  g_autoptr(TcContext) context = tc_context_new (db_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  TcRepository *repository = tc_context_get_repository (context);

  if (!create && !g_file_test (tc_context_get_db_path (context), G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CANT_OPEN,
                   "no workspace at %s (import contacts or run `textcast-cli sample` first, "
                   "or check --db)", tc_context_get_db_path (context));
      return NULL;
    }

  tc_repository_open_async (repository, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repository, result, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "cannot open %s: %s",
                   tc_context_get_db_path (context), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&context);
}

const char *
tc_cli_command_word (int                 argc,
                     char              **argv,
                     const char * const *value_options)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      gboolean takes_value = FALSE;

      if (strcmp (arg, "--") == 0)
        return i + 1 < argc ? argv[i + 1] : NULL;
      if (arg[0] != '-' || strcmp (arg, "-") == 0)
        return arg;
      for (guint j = 0; value_options != NULL && value_options[j] != NULL; j++)
        if (strcmp (arg, value_options[j]) == 0)
          takes_value = TRUE;
      if (takes_value)
        i++;
    }

  return NULL;
}

static const TcCliOption *
find_option (const TcCliOption *specs,
             const char        *name)
{
  for (guint i = 0; specs[i].name != NULL; i++)
    if (strcmp (specs[i].name, name) == 0)
      return &specs[i];

  return NULL;
}

int
tc_cli_args_parse (TcCliArgs          *args,
                   const TcCliOption  *specs,
                   const char         *usage,
                   int                 argc,
                   char              **argv)
{
  gboolean only_args = FALSE;

  g_return_val_if_fail (args != NULL && specs != NULL, TC_CLI_EXIT_USAGE);

  args->args = g_ptr_array_new_with_free_func (g_free);
  args->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  args->help = FALSE;
  args->json = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;
      const char *eq;
      const TcCliOption *spec;

      if (only_args || arg[0] != '-' || strcmp (arg, "-") == 0)
        {
          g_ptr_array_add (args->args, g_strdup (arg));
          continue;
        }
      if (strcmp (arg, "--") == 0)
        {
          only_args = TRUE;
          continue;
        }
      if (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0)
        {
          args->help = TRUE;
          continue;
        }
      if (strcmp (arg, "--json") == 0)
        {
          args->json = TRUE;
          continue;
        }
      if (!g_str_has_prefix (arg, "--"))
        return tc_cli_usage_error (usage, "unknown option '%s'", arg);

      eq = strchr (arg + 2, '=');
      name = eq != NULL ? g_strndup (arg + 2, eq - (arg + 2)) : g_strdup (arg + 2);
      if (eq != NULL)
        value = eq + 1;

      /* A flag is only ever the bare word: --flag=x is not one of ours. */
      spec = find_option (specs, name);
      if (spec == NULL || (!spec->takes_value && eq != NULL))
        return tc_cli_usage_error (usage, "unknown option '--%s'", name);
      if (!spec->takes_value)
        value = "";
      else if (value == NULL)
        {
          if (i + 1 >= argc)
            return tc_cli_usage_error (usage, "option '--%s' needs a value", name);
          value = argv[++i];
        }
      g_hash_table_replace (args->options, g_steal_pointer (&name), g_strdup (value));
    }

  return 0;
}

void
tc_cli_args_clear (TcCliArgs *args)
{
  g_clear_pointer (&args->args, g_ptr_array_unref);
  g_clear_pointer (&args->options, g_hash_table_unref);
}

const char *
tc_cli_args_get (const TcCliArgs *args,
                 const char      *name)
{
  return args->options != NULL ? g_hash_table_lookup (args->options, name) : NULL;
}

gboolean
tc_cli_args_has (const TcCliArgs *args,
                 const char      *name)
{
  return tc_cli_args_get (args, name) != NULL;
}

const char *
tc_cli_args_word (const TcCliArgs *args,
                  guint            index)
{
  g_return_val_if_fail (index < args->args->len, NULL);

  return g_ptr_array_index (args->args, index);
}

int
tc_cli_args_refuse (const TcCliArgs    *args,
                    const TcCliOption  *specs,
                    const char         *usage,
                    const char         *command,
                    const char * const *allowed)
{
  const char *bad = NULL;

  if (args->json && !g_strv_contains (allowed, "json"))
    bad = "json";
  for (guint i = 0; bad == NULL && specs[i].name != NULL; i++)
    if (tc_cli_args_has (args, specs[i].name) && !g_strv_contains (allowed, specs[i].name))
      bad = specs[i].name;

  if (bad != NULL)
    return tc_cli_usage_error (usage, "option '--%s' does not apply to '%s'", bad, command);

  return 0;
}

int
tc_cli_args_start (TcCliArgs          *args,
                   const TcCliOption  *specs,
                   const char         *usage,
                   int                 argc,
                   char              **argv)
{
  int status;

  if ((status = tc_cli_args_parse (args, specs, usage, argc, argv)) != 0)
    return status;

  if (args->help)
    {
      fputs (usage, stdout);
      return EXIT_SUCCESS;
    }

  g_assert (args->args->len > 0);
  if (g_strcmp0 (tc_cli_args_get (args, "db"), "") == 0)
    return tc_cli_usage_error (usage, "option '--db' needs a file name");

  return -1;
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_CONTINUE;
}

void
tc_cli_run_until_signal (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint sigint_id = g_unix_signal_add (SIGINT, quit_loop_cb, loop);
  guint sigterm_id = g_unix_signal_add (SIGTERM, quit_loop_cb, loop);

  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
}
