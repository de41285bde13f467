/* tc-cli-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli journey templates|create|import|export|validate|activate|
 * pause|list|stats`: journeys (src/journey) for scripts; `textcast-cli
 * journeys run`: the journey runner (tc-journey-runner.h). Exit status as for the
 * rest of textcast-cli: 0 success, 1 a failed operation, a file that is
 * not a journey, or a journey with problems (validate, activate), 2 bad
 * usage, 130 interrupted.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-journey.h"
#include "tc-cli-send.h"
#include "tc-cli.h"
#include "tc-consent-ledger.h"
#include "tc-context.h"
#include "tc-engine.h"
#include "tc-journey-library.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-journey.h"
#include "tc-messaging.h"
#include "tc-repository.h"
#include "tc-template.h"
#include "tc-wa-templates-client.h"
#include "tc-wa-templates-simulated.h"

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] journey COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  journey templates [--json]\n"
  "      The ready-made journeys to start from.\n"
  "  journey create --from-template NAME [--json]\n"
  "      Create a draft journey from a ready-made one, and the SMS and WhatsApp\n"
  "      templates it sends that do not exist yet; prints its id.\n"
  "  journey import FILE.json [--json]\n"
  "      Create a draft journey from a JSON file (- reads standard input).\n"
  "  journey export ID FILE\n"
  "      Write journey ID (its current version) as JSON to FILE (- for standard\n"
  "      output).\n"
  "  journey validate FILE.json [--json]\n"
  "      Check a journey file: one trigger, every node reachable, every output\n"
  "      connected or ending, no loop without a wait, templates that exist (when\n"
  "      there is a workspace), consent for promotional sends, splits adding up\n"
  "      to 100 %. Exit status 1 when it has problems.\n"
  "  journey activate ID [--json]\n"
  "      Validate journey ID and switch it on (refused, with the problems, when\n"
  "      it has any); after an edit, this also publishes the new version.\n"
  "  journey pause ID [--json]\n"
  "      Stop new contacts entering journey ID.\n"
  "  journey list [--json]\n"
  "      The journeys, their state and versions.\n"
  "  journey stats ID [--json]\n"
  "      Per node of journey ID: contacts waiting there, times passed, messages\n"
  "      sent, contacts converted there (all versions).\n"
  "\n"
  "Options:\n"
  "  --db FILE      the workspace database (before or after the command)\n"
  "  --json         print JSON on standard output\n"
  "\n"
  "Exit status: 0 success; 1 failure or a journey with problems; 2 bad usage;\n"
  "130 interrupted.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "from-template", TRUE },
  { NULL, FALSE },
};

static const char * const templates_options[] = { "db", "json", NULL };
static const char * const create_options[] = { "db", "json", "from-template", NULL };
static const char * const file_options[] = { "db", "json", NULL };
static const char * const export_options[] = { "db", NULL };

typedef struct
{
  TcCliArgs    *opts;
  const char   *name;          /* "journey list", for the messages */
  GCancellable *cancellable;   /* cancelled by Ctrl-C */
  TcContext    *context;
  TcRepository *repository;
} Command;

/* ------------------------------------------------------------------------
 * Helpers
 */

static int
open_workspace (Command  *cmd,
                gboolean  create)
{
  g_autoptr(GError) error = NULL;

  cmd->context = tc_cli_open_workspace (tc_cli_args_get (cmd->opts, "db"), create, &error);
  if (cmd->context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  cmd->repository = tc_context_get_repository (cmd->context);

  return 0;
}

static void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tc_cli_print_json (root);
}

static int
require_word (Command     *cmd,
              const char  *what,
              guint        index,
              const char **word)
{
  *word = cmd->opts->args->len > index ? tc_cli_args_word (cmd->opts, index) : NULL;
  if (*word == NULL || (*word)[0] == '\0')
    return tc_cli_usage_error (usage_text, "'%s' needs %s", cmd->name, what);

  return 0;
}

static int
require_id (Command *cmd,
            gint64  *id)
{
  const char *word;
  guint64 value;
  int status;

  if ((status = require_word (cmd, "the ID of a journey", 2, &word)) != 0)
    return status;
  if (!g_ascii_string_to_unsigned (word, 10, 1, G_MAXINT64, &value, NULL))
    return tc_cli_usage_error (usage_text, "'%s' needs the ID of a journey (a whole number), "
                               "not '%s'", cmd->name, word);
  *id = (gint64) value;

  return 0;
}

/* The journey in @path (- for standard input), read within the bound
 * before parsing. */
static TcJourney *
read_journey_file (const char  *path,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (strcmp (path, "-") == 0)
    {
      const char *data;

      bytes = tc_cli_read_stdin (TC_JOURNEY_MAX_JSON_BYTES + 1, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &length);
      return tc_journey_new_from_data (data != NULL ? data : "", (gssize) length, error);
    }
  else
    {
      GStatBuf buf;

      if (g_stat (path, &buf) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "cannot read %s: %s", path, g_strerror (saved));
          return NULL;
        }
      if (buf.st_size > TC_JOURNEY_MAX_JSON_BYTES)
        {
          g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                       "%s is %" G_GINT64_FORMAT " bytes; a journey is at most %d bytes of JSON",
                       path, (gint64) buf.st_size, TC_JOURNEY_MAX_JSON_BYTES);
          return NULL;
        }
      if (!g_file_get_contents (path, &contents, &length, error))
        return NULL;

      return tc_journey_new_from_data (contents, (gssize) length, error);
    }
}

static void
build_problems (JsonBuilder *builder,
                GPtrArray   *problems)
{
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    tc_journey_problem_build_json (g_ptr_array_index (problems, i), builder);
  json_builder_end_array (builder);
}

static void
print_problems_text (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const TcJourneyProblem *problem = g_ptr_array_index (problems, i);

      g_printerr ("  %s\n", problem->message);
    }
}

/* {"id": N} */
static void
print_id (gint64 id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);
  print_builder (builder);
}

/* ------------------------------------------------------------------------
 * Commands
 */

static int
cmd_templates (Command *cmd)
{
  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < tc_journey_library_get_n_entries (); i++)
        {
          const TcJourneyLibraryEntry *entry = tc_journey_library_get_entry (i);
          g_autoptr(GPtrArray) templates = tc_journey_library_dup_templates (entry->name);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, entry->name);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, entry->title);
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, entry->description);
          json_builder_set_member_name (builder, "templates");
          json_builder_begin_array (builder);
          for (guint t = 0; t < templates->len; t++)
            {
              TcTemplate *template = g_ptr_array_index (templates, t);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "kind");
              json_builder_add_string_value (builder,
                                             tc_template_kind_to_string (tc_template_get_kind (template)));
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, tc_template_get_name (template));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < tc_journey_library_get_n_entries (); i++)
    {
      const TcJourneyLibraryEntry *entry = tc_journey_library_get_entry (i);

      g_print ("%s\t%s\n\t%s\n", entry->name, entry->title, entry->description);
    }

  return EXIT_SUCCESS;
}

static int
cmd_create (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) created = NULL;
  g_autoptr(GPtrArray) reviewed = NULL;
  const char *name = tc_cli_args_get (cmd->opts, "from-template");
  gint64 id;
  int status;

  if (name == NULL || name[0] == '\0')
    return tc_cli_usage_error (usage_text, "'journey create' needs --from-template NAME "
                               "(`textcast-cli journey templates` lists them)");
  if (tc_journey_library_lookup (name) == NULL)
    return tc_cli_fail ("there is no ready-made journey called '%s'; `textcast-cli journey "
                        "templates` lists them", name);
  if ((status = open_workspace (cmd, TRUE)) != 0)
    return status;

  tc_journey_library_create_async (cmd->repository, name, cmd->cancellable,
                                   tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  id = tc_journey_library_create_finish (cmd->repository, result, &created, &error);
  if (id == 0)
    return tc_cli_fail_with_error ("cannot create the journey", error);

  /* On the built-in simulator, its WhatsApp templates are reviewed now,
   * as Meta would (approved, so that the journey can send them). */
  {
    g_autoptr(TcJourney) journey = tc_journey_library_build (name, NULL);
    g_auto(GStrv) names = tc_journey_dup_whatsapp_templates (journey);
    g_clear_object (&result);
    tc_wa_templates_review_simulated_async (cmd->repository, (const char * const *) names,
                                            cmd->cancellable, tc_repository_store_result_cb,
                                            &result);
    tc_repository_wait (&result);
    reviewed = tc_wa_templates_review_simulated_finish (cmd->repository, result, NULL, &error);
    if (reviewed == NULL)
      return tc_cli_fail_with_error ("the journey was created, but the simulator could not "
                                     "review its WhatsApp templates", error);
  }

  if (cmd->opts->json)
    print_id (id);
  else
    {
      g_print ("Created journey %" G_GINT64_FORMAT " (a draft) from “%s”\n", id, name);
      for (guint i = 0; created[i] != NULL; i++)
        g_print ("Created template %s\n", created[i]);
      for (guint i = 0; i < reviewed->len; i++)
        {
          const TcWaTemplateState *state = g_ptr_array_index (reviewed, i);
          g_autofree char *stored = tc_wa_template_state_stored_status (state);

          if (state->reason[0] != '\0')
            g_print ("WhatsApp template %s: %s by the simulator (%s)\n", state->name, stored,
                     state->reason);
          else
            g_print ("WhatsApp template %s: %s by the simulator\n", state->name, stored);
        }
    }

  return EXIT_SUCCESS;
}

static int
cmd_import (Command *cmd)
{
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;
  gint64 id;
  int status;

  if ((status = require_word (cmd, "a journey FILE.json", 2, &path)) != 0)
    return status;

  journey = read_journey_file (path, &error);
  if (journey == NULL)
    return tc_cli_fail ("%s", error->message);
  if ((status = open_workspace (cmd, TRUE)) != 0)
    return status;

  tc_journey_store_add_async (cmd->repository, journey, NULL, cmd->cancellable,
                              tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  id = tc_journey_store_add_finish (cmd->repository, result, &error);
  if (id == 0)
    return tc_cli_fail_with_error ("cannot save the journey", error);

  if (cmd->opts->json)
    print_id (id);
  else
    g_print ("Imported journey %" G_GINT64_FORMAT " “%s” (a draft)\n", id,
             tc_journey_get_name (journey));

  return EXIT_SUCCESS;
}

static TcJourney *
get_journey (Command  *cmd,
             gint64    id,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_journey_store_get_async (cmd->repository, id, 0, cmd->cancellable,
                              tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_journey_store_get_finish (cmd->repository, result, error);
}

static int
cmd_export (Command *cmd)
{
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *with_newline = NULL;
  const char *path;
  gint64 id;
  int status;

  if ((status = require_id (cmd, &id)) != 0 ||
      (status = require_word (cmd, "the FILE to write (- for standard output)", 3, &path)) != 0 ||
      (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  journey = get_journey (cmd, id, &error);
  if (journey == NULL)
    return tc_cli_fail_with_error (NULL, error);

  text = tc_journey_to_string (journey);
  with_newline = g_strconcat (text, "\n", NULL);
  if (strcmp (path, "-") == 0)
    {
      fputs (with_newline, stdout);
      return EXIT_SUCCESS;
    }
  if (!g_file_set_contents (path, with_newline, -1, &error))
    return tc_cli_fail ("cannot write %s: %s", path, error->message);

  return EXIT_SUCCESS;
}

static int
cmd_validate (Command *cmd)
{
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  gboolean checked_templates = FALSE;
  const char *path;
  int status;

  if ((status = require_word (cmd, "a journey FILE.json", 2, &path)) != 0)
    return status;

  journey = read_journey_file (path, &error);
  if (journey == NULL)
    {
      /* A file that is not a journey at all is one problem, in the same
       * shape, so a script reads one kind of answer. */
      if (cmd->opts->json && error->domain == TC_JOURNEY_ERROR)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          TcJourneyProblem problem = { NULL, (char *) "invalid", error->message };

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "valid");
          json_builder_add_boolean_value (builder, FALSE);
          json_builder_set_member_name (builder, "templates_checked");
          json_builder_add_boolean_value (builder, FALSE);
          json_builder_set_member_name (builder, "problems");
          json_builder_begin_array (builder);
          tc_journey_problem_build_json (&problem, builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          print_builder (builder);
          return TC_CLI_EXIT_FAILURE;
        }
      return tc_cli_fail ("%s", error->message);
    }

  /* Templates are checked when there is a workspace to check them in. */
  db_path = tc_cli_args_get (cmd->opts, "db") != NULL
              ? g_strdup (tc_cli_args_get (cmd->opts, "db"))
              : tc_context_default_db_path ();
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GAsyncResult) result = NULL;

      if ((status = open_workspace (cmd, FALSE)) != 0)
        return status;
      tc_journey_store_validate_async (cmd->repository, journey, cmd->cancellable,
                                       tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      problems = tc_journey_store_validate_finish (cmd->repository, result, &error);
      if (problems == NULL)
        return tc_cli_fail_with_error ("cannot validate the journey", error);
      checked_templates = TRUE;
    }
  else
    problems = tc_journey_validate (journey, NULL, NULL);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, problems->len == 0);
      json_builder_set_member_name (builder, "templates_checked");
      json_builder_add_boolean_value (builder, checked_templates);
      build_problems (builder, problems);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else if (problems->len == 0)
    g_print ("The journey “%s” is valid%s\n", tc_journey_get_name (journey),
             checked_templates ? "" : " (templates not checked: no workspace)");
  else
    {
      g_printerr ("textcast-cli: the journey “%s” has %u problem%s:\n",
                  tc_journey_get_name (journey), problems->len, problems->len == 1 ? "" : "s");
      print_problems_text (problems);
    }

  return problems->len == 0 ? EXIT_SUCCESS : TC_CLI_EXIT_FAILURE;
}

static int
print_state (Command    *cmd,
             gint64      id,
             const char *state,
             int         version)
{
  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, state);
      if (version > 0)
        {
          json_builder_set_member_name (builder, "active_version");
          json_builder_add_int_value (builder, version);
        }
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else if (version > 0)
    g_print ("Journey %" G_GINT64_FORMAT " is %s (version %d)\n", id, state, version);
  else
    g_print ("Journey %" G_GINT64_FORMAT " is %s\n", id, state);

  return EXIT_SUCCESS;
}

static int
cmd_activate (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  int version = 0;
  int status;

  if ((status = require_id (cmd, &id)) != 0 || (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_journey_store_activate_async (cmd->repository, id, cmd->cancellable,
                                   tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (tc_journey_store_activate_finish (cmd->repository, result, &version, &problems, &error))
    return print_state (cmd, id, "active", version);

  if (problems == NULL)
    return tc_cli_fail_with_error ("cannot activate the journey", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "activated");
      json_builder_add_boolean_value (builder, FALSE);
      build_problems (builder, problems);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  g_printerr ("textcast-cli: journey %" G_GINT64_FORMAT " was not activated: %s\n", id,
              error->message);
  print_problems_text (problems);

  return TC_CLI_EXIT_FAILURE;
}

static int
cmd_pause (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  int status;

  if ((status = require_id (cmd, &id)) != 0 || (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_journey_store_pause_async (cmd->repository, id, cmd->cancellable,
                                tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_journey_store_pause_finish (cmd->repository, result, &error))
    return tc_cli_fail_with_error (NULL, error);

  return print_state (cmd, id, "paused", 0);
}

static int
cmd_list (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int status;

  if ((status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_journey_store_list_async (cmd->repository, cmd->cancellable,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  list = tc_journey_store_list_finish (cmd->repository, result, &error);
  if (list == NULL)
    return tc_cli_fail_with_error ("cannot list the journeys", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          const TcJourneyInfo *info = g_ptr_array_index (list, i);
          g_autofree char *created = tc_format_iso8601_utc (info->created_at);
          g_autofree char *updated = tc_format_iso8601_utc (info->updated_at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, tc_journey_get_id (info->journey));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, tc_journey_get_name (info->journey));
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, tc_journey_get_description (info->journey));
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder,
                                         tc_journey_state_to_string (
                                           tc_journey_get_state (info->journey)));
          json_builder_set_member_name (builder, "version");
          json_builder_add_int_value (builder, tc_journey_get_version (info->journey));
          json_builder_set_member_name (builder, "active_version");
          if (info->active_version > 0)
            json_builder_add_int_value (builder, info->active_version);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "template");
          if (info->origin[0] != '\0')
            json_builder_add_string_value (builder, info->origin);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "nodes");
          json_builder_add_int_value (builder, tc_journey_get_n_nodes (info->journey));
          json_builder_set_member_name (builder, "created_at");
          json_builder_add_string_value (builder, created);
          json_builder_set_member_name (builder, "updated_at");
          json_builder_add_string_value (builder, updated);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  if (list->len == 0)
    {
      g_print ("No journeys (textcast-cli journey create --from-template NAME makes one).\n");
      return EXIT_SUCCESS;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const TcJourneyInfo *info = g_ptr_array_index (list, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\tversion %d\n", tc_journey_get_id (info->journey),
               tc_journey_state_to_string (tc_journey_get_state (info->journey)),
               tc_journey_get_name (info->journey), tc_journey_get_version (info->journey));
    }

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * stats
 */

static int
cmd_stats (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourneyStats) stats = NULL;
  gint64 id = 0;
  int status;

  if ((status = require_id (cmd, &id)) != 0 || (status = open_workspace (cmd, FALSE)) != 0)
    return status;

  tc_journey_runner_stats_async (cmd->repository, id, cmd->cancellable,
                                 tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  stats = tc_journey_runner_stats_finish (cmd->repository, result, &error);
  if (stats == NULL)
    return tc_cli_fail_with_error (NULL, error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "enrolled");
      json_builder_add_int_value (builder, (gint64) stats->enrolled);
      json_builder_set_member_name (builder, "active");
      json_builder_add_int_value (builder, (gint64) stats->active);
      json_builder_set_member_name (builder, "completed");
      json_builder_add_int_value (builder, (gint64) stats->completed);
      json_builder_set_member_name (builder, "converted");
      json_builder_add_int_value (builder, (gint64) stats->converted);
      json_builder_set_member_name (builder, "failed");
      json_builder_add_int_value (builder, (gint64) stats->failed);
      json_builder_set_member_name (builder, "nodes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < stats->nodes->len; i++)
        {
          const TcJourneyNodeStats *node = g_ptr_array_index (stats->nodes, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "node");
          json_builder_add_string_value (builder, node->node);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, node->kind);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, node->label);
          json_builder_set_member_name (builder, "waiting");
          json_builder_add_int_value (builder, (gint64) node->waiting);
          json_builder_set_member_name (builder, "passed");
          json_builder_add_int_value (builder, (gint64) node->passed);
          json_builder_set_member_name (builder, "sent");
          json_builder_add_int_value (builder, (gint64) node->sent);
          json_builder_set_member_name (builder, "converted");
          json_builder_add_int_value (builder, (gint64) node->converted);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_builder (builder);

      return EXIT_SUCCESS;
    }

  g_print ("Journey %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT " entered, %" G_GUINT64_FORMAT
           " inside, %" G_GUINT64_FORMAT " completed, %" G_GUINT64_FORMAT " converted\n", id,
           stats->enrolled, stats->active, stats->completed, stats->converted);
  g_print ("%-24s %-16s %8s %8s %8s %9s\n", "NODE", "KIND", "WAITING", "PASSED", "SENT",
           "CONVERTED");
  for (guint i = 0; i < stats->nodes->len; i++)
    {
      const TcJourneyNodeStats *node = g_ptr_array_index (stats->nodes, i);

      g_print ("%-24s %-16s %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
               " %9" G_GUINT64_FORMAT "\n", node->node, node->kind[0] != '\0' ? node->kind : "-",
               node->waiting, node->passed, node->sent, node->converted);
    }

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Dispatch
 */

static const struct
{
  const char         *word;
  const char * const *options;
  guint               max_words;   /* words including "journey COMMAND" */
  gboolean            cancellable; /* Ctrl-C cancels (read-only commands) */
  int               (*run) (Command *cmd);
} commands[] = {
  { "templates", templates_options, 2, TRUE, cmd_templates },
  { "create", create_options, 2, FALSE, cmd_create },
  { "import", file_options, 3, FALSE, cmd_import },
  { "export", export_options, 4, TRUE, cmd_export },
  { "validate", file_options, 3, TRUE, cmd_validate },
  { "activate", file_options, 3, FALSE, cmd_activate },
  { "pause", file_options, 3, FALSE, cmd_pause },
  { "list", file_options, 2, TRUE, cmd_list },
  { "stats", file_options, 3, TRUE, cmd_stats },
};

static gboolean
on_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

int
tc_cli_journey_main (int    argc,
                     char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *full_name = NULL;
  Command cmd = { 0 };
  const char *word;
  guint sigint_id;
  int status;

  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'journey' needs a command: templates, create, "
                                   "import, export, validate, activate, pause, list or stats");
      goto out;
    }

  word = tc_cli_args_word (&opts, 1);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (word, commands[i].word) != 0)
        continue;

      full_name = g_strconcat ("journey ", word, NULL);
      cmd.opts = &opts;
      cmd.name = full_name;
      cmd.cancellable = commands[i].cancellable ? cancellable : NULL;

      if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, full_name,
                                        commands[i].options)) != 0)
        goto out;
      if (opts.args->len > commands[i].max_words)
        {
          status = tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'",
                                       full_name, tc_cli_args_word (&opts, commands[i].max_words));
          goto out;
        }

      sigint_id = g_unix_signal_add (SIGINT, on_sigint_cb, cancellable);
      status = commands[i].run (&cmd);
      g_source_remove (sigint_id);
      g_clear_object (&cmd.context);
      goto out;
    }

  status = tc_cli_usage_error (usage_text, "unknown command 'journey %s'", word);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}

/* ------------------------------------------------------------------------
 * `textcast-cli journeys run`: the runner
 */

static const char journeys_usage_text[] =
  "Usage: textcast-cli [--db FILE] journeys run [--until ISO8601] [--simulate]\n"
  "                    [--port PORT] [--json]\n"
  "\n"
  "Runs the journeys: contacts whose events match an active journey's trigger\n"
  "enter it, and every contact inside moves on when their step is due. Messages\n"
  "go through the outbox and the send engine (the workspace's providers).\n"
  "\n"
  "Options:\n"
  "  --until ISO8601  stop at that time (e.g. 2026-12-01T18:00:00Z); without it,\n"
  "                   run until Ctrl-C (or, with --simulate, until nothing is due)\n"
  "  --simulate       do not wait: jump the clock from one due time to the next\n"
  "                   (messages are queued at the simulated times; the engine then\n"
  "                   sends those already due)\n"
  "  --port PORT      the port of the webhook endpoint (0: any free port)\n"
  "  --db FILE        the workspace database (before or after the command)\n"
  "  --json           print the totals as JSON on standard output\n"
  "\n"
  "Exit status: 0 success; 1 failure; 2 bad usage; 130 interrupted.\n";

static const TcCliOption journeys_option_specs[] = {
  { "db", TRUE },
  { "until", TRUE },
  { "simulate", FALSE },
  { "port", TRUE },
  { NULL, FALSE },
};

static const char * const run_options[] = { "db", "json", "until", "simulate", "port", NULL };

static gboolean
on_journeys_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

static void
on_queued_cb (guint    queued,
              gpointer user_data)
{
  TcMessaging *messaging = user_data;

  if (messaging != NULL)
    tc_engine_kick (tc_messaging_get_engine (messaging));
}

static void
print_totals (const TcJourneyRunTotals *totals,
              gboolean                  simulated,
              gboolean                  json)
{
  g_autofree char *clock = tc_format_iso8601_utc (totals->clock);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      const struct { const char *name; guint value; } counts[] = {
        { "ticks", totals->ticks }, { "events", totals->events },
        { "enrolled", totals->enrolled }, { "steps", totals->steps },
        { "queued", totals->queued }, { "skipped", totals->skipped },
        { "converted", totals->converted }, { "finished", totals->finished },
      };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "simulated");
      json_builder_add_boolean_value (builder, simulated);
      json_builder_set_member_name (builder, "clock");
      json_builder_add_string_value (builder, clock);
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        {
          json_builder_set_member_name (builder, counts[i].name);
          json_builder_add_int_value (builder, counts[i].value);
        }
      json_builder_end_object (builder);
      print_builder (builder);
      return;
    }

  g_print ("%s: %u events read, %u contacts entered, %u steps, %u messages queued, "
           "%u skipped, %u converted, %u finished\n",
           simulated ? "Simulated up to" : "Ran up to", totals->events, totals->enrolled,
           totals->steps, totals->queued, totals->skipped, totals->converted, totals->finished);
  g_print ("Clock: %s\n", clock);
}

/* The WhatsApp templates the journeys that are not drafts send (their
 * current version), for the simulator to review. */
static GStrv
journeys_whatsapp_templates (TcRepository  *repository,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) journeys = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  tc_journey_store_list_async (repository, cancellable, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  journeys = tc_journey_store_list_finish (repository, result, error);
  if (journeys == NULL)
    return NULL;
  for (guint i = 0; i < journeys->len; i++)
    {
      TcJourneyInfo *info = g_ptr_array_index (journeys, i);
      g_auto(GStrv) names = NULL;

      if (info->active_version == 0)
        continue;
      names = tc_journey_dup_whatsapp_templates (info->journey);
      g_strv_builder_addv (builder, (const char **) names);
    }

  return g_strv_builder_end (builder);
}

static int
journeys_run (TcCliArgs    *opts,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcJourneyClock) clock = NULL;
  g_autoptr(TcMessaging) messaging = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TcJourneyRunTotals totals = { 0, };
  TcRepository *repository;
  gboolean simulate = tc_cli_args_has (opts, "simulate");
  gint64 until = 0;
  gint port = -1;

  if (tc_cli_args_has (opts, "until"))
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (tc_cli_args_get (opts, "until"),
                                                                utc);

      if (time == NULL)
        return tc_cli_usage_error (journeys_usage_text,
                                   "'--until' needs a date and time like 2026-12-01T18:00:00Z, "
                                   "got '%s'", tc_cli_args_get (opts, "until"));
      until = g_date_time_to_unix (time);
    }
  if (tc_cli_args_has (opts, "port"))
    {
      const char *text = tc_cli_args_get (opts, "port");
      char *end = NULL;
      gint64 value = g_ascii_strtoll (text, &end, 10);

      if (text[0] == '\0' || *end != '\0' || value < 0 || value > 65535)
        return tc_cli_usage_error (journeys_usage_text, "'--port' must be 0 to 65535, got '%s'",
                                   text);
      port = (gint) value;
    }

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  repository = tc_context_get_repository (context);

  /* On the built-in simulator, the WhatsApp templates the journeys send
   * that are drafts or pending are reviewed first, as Meta would. */
  {
    g_auto(GStrv) names = journeys_whatsapp_templates (repository, cancellable, &error);
    g_autoptr(GPtrArray) reviewed = NULL;

    if (names == NULL)
      return tc_cli_fail_with_error ("cannot list the journeys", error);
    tc_wa_templates_review_simulated_async (repository, (const char * const *) names, cancellable,
                                            tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    reviewed = tc_wa_templates_review_simulated_finish (repository, result, NULL, &error);
    if (reviewed == NULL)
      return tc_cli_fail_with_error ("the simulator could not review the WhatsApp templates",
                                     error);
    g_clear_object (&result);
  }

  if (simulate)
    clock = tc_journey_clock_new_simulated (g_get_real_time () / G_USEC_PER_SEC);
  else
    {
      /* An --until already past still makes one pass. */
      clock = tc_journey_clock_new_real ();
      /* The engine sends while the runner queues. */
      messaging = tc_messaging_new (repository);
      tc_messaging_start_async (messaging, port, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_messaging_start_finish (messaging, result, &error))
        return tc_cli_fail_with_error (NULL, error);
      g_clear_object (&result);
    }

  tc_journey_runner_run_async (repository, clock, until, 0, on_queued_cb, messaging, cancellable,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_journey_runner_run_finish (repository, result, &totals, &error))
    {
      if (messaging != NULL)
        {
          g_autoptr(GAsyncResult) stopped = NULL;

          tc_messaging_stop_async (messaging, tc_repository_store_result_cb, &stopped);
          tc_repository_wait (&stopped);
          tc_messaging_stop_finish (messaging, stopped, NULL);
        }
      return tc_cli_fail_with_error ("the journeys stopped", error);
    }

  if (messaging != NULL)
    {
      g_clear_object (&result);
      tc_messaging_stop_async (messaging, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_messaging_stop_finish (messaging, result, &error))
        g_printerr ("textcast-cli: stopping: %s\n", error->message);
    }
  else if (totals.queued > 0 && !g_cancellable_is_cancelled (cancellable))
    {
      gboolean interrupted = FALSE;
      int status = tc_cli_run_engine_until_idle (repository, port, &interrupted);

      if (status != EXIT_SUCCESS)
        return status;
      if (interrupted)
        g_cancellable_cancel (cancellable);
    }

  print_totals (&totals, simulate, opts->json);

  return g_cancellable_is_cancelled (cancellable) ? TC_CLI_EXIT_INTERRUPTED : EXIT_SUCCESS;
}

int
tc_cli_journeys_main (int    argc,
                      char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *word;
  guint sigint_id, sigterm_id;
  int status;

  if ((status = tc_cli_args_start (&opts, journeys_option_specs, journeys_usage_text, argc,
                                   argv)) >= 0)
    goto out;

  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (journeys_usage_text, "'journeys' needs a command: run");
      goto out;
    }
  word = tc_cli_args_word (&opts, 1);
  if (strcmp (word, "run") != 0)
    {
      status = tc_cli_usage_error (journeys_usage_text, "unknown command 'journeys %s'", word);
      goto out;
    }
  if ((status = tc_cli_args_refuse (&opts, journeys_option_specs, journeys_usage_text,
                                    "journeys run", run_options)) != 0)
    goto out;
  if (opts.args->len > 2)
    {
      status = tc_cli_usage_error (journeys_usage_text, "'journeys run' got an unexpected argument '%s'",
                                   tc_cli_args_word (&opts, 2));
      goto out;
    }

  sigint_id = g_unix_signal_add (SIGINT, on_journeys_sigint_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, on_journeys_sigint_cb, cancellable);
  status = journeys_run (&opts, cancellable);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
