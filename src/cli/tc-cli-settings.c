/* tc-cli-settings.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli settings get|set|unset|list`, `links shorten|stats` and
 * `serve`: the workspace settings, tracked short links and Textcast's HTTP
 * endpoint (src/net), for scripts. Exit status as for the rest of
 * textcast-cli: 0 success, 1 a failed operation (one line on stderr), 2
 * bad usage; `serve` exits 0 when stopped by SIGINT or SIGTERM.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "tc-cli-settings.h"
#include "tc-cli.h"
#include "tc-contact.h"
#include "tc-context.h"
#include "tc-http-server.h"
#include "tc-phone.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-short-links.h"

/* A message is a few kilobytes at most; this bounds a mistaken
 * `< big-file`. */
#define MAX_STDIN_BYTES (1024 * 1024)

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  settings get KEY [--json]\n"
  "      Print a workspace setting (exit status 1 when it is not set).\n"
  "  settings set KEY VALUE\n"
  "      Store a setting, e.g. links.short_domain go.example.com or http.port 8642.\n"
  "  settings unset KEY\n"
  "      Remove a setting (back to its default).\n"
  "  settings list [--json]\n"
  "      Print every setting, one KEY=VALUE line each.\n"
  "  links shorten [--domain HOST] [--contact-phone NUMBER] [--origin ORIGIN] < TEXT\n"
  "      Replace each link of the text with a new tracked short link on HOST\n"
  "      (default: the links.short_domain setting) and print the text.\n"
  "  links stats [--origin PREFIX] [--json]\n"
  "      Count short links, their clicks and the contacts who clicked.\n"
  "  serve [--port N]\n"
  "      Run the HTTP endpoint that redirects short links and records the clicks\n"
  "      until interrupted (default: the http.address and http.port settings,\n"
  "      127.0.0.1:8642; --port 0 picks a free port).\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "domain", TRUE },
  { "contact-phone", TRUE },
  { "origin", TRUE },
  { "port", TRUE },
  { NULL, FALSE },
};

/* The options each command takes (every one takes --db). */
static const char * const db_json[] = { "db", "json", NULL };
static const char * const db_only[] = { "db", NULL };
static const char * const shorten_options[] = { "db", "domain", "contact-phone", "origin", NULL };
static const char * const stats_options[] = { "db", "json", "origin", NULL };
static const char * const serve_options[] = { "db", "port", NULL };

/* Refuses the options that @command does not take: @allowed (NULL-
 * terminated, with "db", which every command takes). 0 or the usage
 * status. */
static int
check_options (TcCliArgs          *opts,
               const char         *command,
               const char * const *allowed)
{
  return tc_cli_args_refuse (opts, option_specs, usage_text, command, allowed);
}

/* @n_args words after the command's own (1 for "serve", 2 otherwise). */
static int
check_args (TcCliArgs  *opts,
            const char *command,
            guint       n_words,
            guint       n_args)
{
  guint given = opts->args->len - n_words;

  if (given < n_args)
    return tc_cli_usage_error (usage_text, "'%s' needs %u argument%s", command, n_args,
                               n_args == 1 ? "" : "s");
  if (given > n_args)
    return tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", command,
                               (const char *) g_ptr_array_index (opts->args, n_words + n_args));

  return 0;
}

/* ------------------------------------------------------------------------
 * settings
 */

static int
cmd_settings_get (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  const char *key = tc_cli_args_word (opts, 2);
  TcRepository *repository;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  tc_settings_get_async (repository, key, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  value = tc_settings_get_finish (repository, result, &error);
  if (error != NULL)
    return tc_cli_fail_with_error ("cannot read the setting", error);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, key);
      json_builder_set_member_name (builder, "value");
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else if (value != NULL)
    g_print ("%s\n", value);

  if (value == NULL)
    {
      if (!opts->json)
        return tc_cli_fail ("%s is not set", key);
    }

  return EXIT_SUCCESS;
}

static int
cmd_settings_set (TcCliArgs  *opts,
                  const char *key,
                  const char *value)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcRepository *repository;

  /* Setting up a workspace may start with its settings. */
  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), value != NULL, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  tc_settings_set_async (repository, key, value, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_settings_set_finish (repository, result, &error))
    return tc_cli_fail_with_error (NULL, error);

  return EXIT_SUCCESS;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
cmd_settings_list (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree const char **keys = NULL;
  guint n_keys = 0;
  TcRepository *repository;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  tc_settings_get_all_async (repository, "", NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  values = tc_settings_get_all_finish (repository, result, &error);
  if (values == NULL)
    return tc_cli_fail_with_error ("cannot read the settings", error);

  keys = (const char **) g_hash_table_get_keys_as_array (values, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_strings);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      for (guint i = 0; i < n_keys; i++)
        {
          json_builder_set_member_name (builder, keys[i]);
          json_builder_add_string_value (builder, g_hash_table_lookup (values, keys[i]));
        }
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < n_keys; i++)
        g_print ("%s=%s\n", keys[i], (const char *) g_hash_table_lookup (values, keys[i]));
    }

  return EXIT_SUCCESS;
}

static int
run_settings (TcCliArgs *opts)
{
  const char *command;
  int status;

  if (opts->args->len < 2)
    return tc_cli_usage_error (usage_text, "'settings' needs a command: get, set, unset or list");

  command = tc_cli_args_word (opts, 1);
  if (strcmp (command, "get") == 0)
    {
      if ((status = check_options (opts, "settings get", db_json)) != 0 ||
          (status = check_args (opts, "settings get", 2, 1)) != 0)
        return status;
      return cmd_settings_get (opts);
    }
  if (strcmp (command, "set") == 0)
    {
      if ((status = check_options (opts, "settings set", db_only)) != 0 ||
          (status = check_args (opts, "settings set", 2, 2)) != 0)
        return status;
      return cmd_settings_set (opts, tc_cli_args_word (opts, 2), tc_cli_args_word (opts, 3));
    }
  if (strcmp (command, "unset") == 0)
    {
      if ((status = check_options (opts, "settings unset", db_only)) != 0 ||
          (status = check_args (opts, "settings unset", 2, 1)) != 0)
        return status;
      return cmd_settings_set (opts, tc_cli_args_word (opts, 2), NULL);
    }
  if (strcmp (command, "list") == 0)
    {
      if ((status = check_options (opts, "settings list", db_json)) != 0 ||
          (status = check_args (opts, "settings list", 2, 0)) != 0)
        return status;
      return cmd_settings_list (opts);
    }

  return tc_cli_usage_error (usage_text, "unknown command 'settings %s'", command);
}

/* ------------------------------------------------------------------------
 * links
 */

static char *
read_stdin_text (GError **error)
{
  g_autoptr(GBytes) bytes = tc_cli_read_stdin (MAX_STDIN_BYTES, error);
  const char *data;
  gsize len;

  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  if ((len > 0 && memchr (data, '\0', len) != NULL) || !g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the text on standard input is not UTF-8");
      return NULL;
    }

  /* Empty input has no data pointer at all. */
  return len > 0 ? g_strndup (data, len) : g_strdup ("");
}

static int
cmd_links_shorten (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *domain = g_strdup (tc_cli_args_get (opts, "domain"));
  g_autofree char *shortened = NULL;
  const char *contact_phone = tc_cli_args_get (opts, "contact-phone");
  gint64 contact_id = 0;
  TcRepository *repository;

  if (domain != NULL && (domain[0] == '\0' || strstr (domain, "://") != NULL ||
                         strchr (domain, '/') != NULL))
    return tc_cli_usage_error (usage_text,
                               "option '--domain' needs a host name such as go.example.com, "
                               "without https:// or a path");

  text = read_stdin_text (&error);
  if (text == NULL)
    return tc_cli_fail_with_error ("cannot read standard input", error);

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), TRUE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  if (domain == NULL)
    {
      tc_settings_get_async (repository, TC_SETTING_SHORT_LINK_DOMAIN, NULL,
                             tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      domain = tc_settings_get_finish (repository, result, &error);
      g_clear_object (&result);
      if (error != NULL)
        return tc_cli_fail_with_error ("cannot read the settings", error);
      if (domain == NULL || domain[0] == '\0')
        return tc_cli_fail ("no short-link domain: pass --domain HOST or set %s",
                            TC_SETTING_SHORT_LINK_DOMAIN);
    }

  if (contact_phone != NULL)
    {
      g_autofree char *e164 = tc_phone_normalize (contact_phone, NULL, &error);
      g_autoptr(TcContact) contact = NULL;

      if (e164 == NULL)
        return tc_cli_fail ("'%s' is not a phone number: %s", contact_phone, error->message);

      tc_repository_find_contact_by_phone_async (repository, e164, NULL,
                                                 tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      contact = tc_repository_find_contact_by_phone_finish (repository, result, &error);
      g_clear_object (&result);
      if (contact == NULL && g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND))
        return tc_cli_fail ("no contact has the phone number %s", e164);
      if (contact == NULL)
        return tc_cli_fail_with_error ("cannot find the contact", error);
      contact_id = tc_contact_get_id (contact);
    }

  tc_short_links_shorten_async (repository, text, domain, contact_id,
                                tc_cli_args_get (opts, "origin"), NULL,
                                tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  shortened = tc_short_links_shorten_finish (repository, result, &error);
  if (shortened == NULL)
    return tc_cli_fail_with_error ("cannot shorten the links", error);

  /* Exactly the text, with no newline added: the output is the message. */
  fputs (shortened, stdout);

  return EXIT_SUCCESS;
}

static int
cmd_links_stats (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcLinkStats stats = { 0 };
  TcRepository *repository;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  tc_short_links_count_clicks_async (repository, tc_cli_args_get (opts, "origin"), NULL,
                                     tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_short_links_count_clicks_finish (repository, result, &stats, &error))
    return tc_cli_fail_with_error ("cannot count the clicks", error);

  if (opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "links");
      json_builder_add_int_value (builder, (gint64) stats.links);
      json_builder_set_member_name (builder, "clicks");
      json_builder_add_int_value (builder, (gint64) stats.clicks);
      json_builder_set_member_name (builder, "unique_contacts");
      json_builder_add_int_value (builder, (gint64) stats.unique_contacts);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      tc_cli_print_json (root);
    }
  else
    {
      g_print ("Links: %" G_GUINT64_FORMAT "\n", stats.links);
      g_print ("Clicks: %" G_GUINT64_FORMAT "\n", stats.clicks);
      g_print ("Contacts who clicked: %" G_GUINT64_FORMAT "\n", stats.unique_contacts);
    }

  return EXIT_SUCCESS;
}

static int
run_links (TcCliArgs *opts)
{
  const char *command;
  int status;

  if (opts->args->len < 2)
    return tc_cli_usage_error (usage_text, "'links' needs a command: shorten or stats");

  command = tc_cli_args_word (opts, 1);
  if (strcmp (command, "shorten") == 0)
    {
      if ((status = check_options (opts, "links shorten", shorten_options)) != 0 ||
          (status = check_args (opts, "links shorten", 2, 0)) != 0)
        return status;
      return cmd_links_shorten (opts);
    }
  if (strcmp (command, "stats") == 0)
    {
      if ((status = check_options (opts, "links stats", stats_options)) != 0 ||
          (status = check_args (opts, "links stats", 2, 0)) != 0)
        return status;
      return cmd_links_stats (opts);
    }

  return tc_cli_usage_error (usage_text, "unknown command 'links %s'", command);
}

/* ------------------------------------------------------------------------
 * serve
 */

static int
run_serve (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcHttpServer) server = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint port = -1;
  const char *address;
  int status;

  if ((status = check_options (opts, "serve", serve_options)) != 0 ||
      (status = check_args (opts, "serve", 1, 0)) != 0)
    return status;

  if (tc_cli_args_has (opts, "port"))
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (tc_cli_args_get (opts, "port"), 10, 0, 65535, &value, NULL))
        return tc_cli_usage_error (usage_text,
                                   "option '--port' needs a port number from 0 to 65535, not '%s'",
                                   tc_cli_args_get (opts, "port"));
      port = (gint) value;
    }

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);

  server = tc_http_server_new (tc_context_get_repository (context));
  tc_http_server_start_async (server, port, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_http_server_start_finish (server, result, &error))
    return tc_cli_fail_with_error (NULL, error);

  address = tc_http_server_get_address (server);
  if (strchr (address, ':') != NULL)
    g_print ("Listening on http://[%s]:%u\n", address, tc_http_server_get_port (server));
  else
    g_print ("Listening on http://%s:%u\n", address, tc_http_server_get_port (server));
  fflush (stdout);

  tc_cli_run_until_signal ();

  tc_http_server_stop (server);

  return EXIT_SUCCESS;
}

int
tc_cli_settings_main (int    argc,
                      char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  const char *group;
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  group = tc_cli_args_word (&opts, 0);
  if (strcmp (group, "settings") == 0)
    status = run_settings (&opts);
  else if (strcmp (group, "links") == 0)
    status = run_links (&opts);
  else
    status = run_serve (&opts);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
