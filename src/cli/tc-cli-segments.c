/* tc-cli-segments.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli segments add|update|list|show|count|preview|remove`: saved
 * audience rules (tc-segment.h) for scripts. Exit status as for the rest
 * of textcast-cli: 0 success, 1 a failed operation or a rule that is not
 * valid (one line on stderr naming the place in the rule), 2 bad usage,
 * 130 interrupted.
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

#include "tc-cli-segments.h"
#include "tc-cli.h"
#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-contact.h"
#include "tc-context.h"
#include "tc-repository.h"
#include "tc-segment.h"

#define DEFAULT_PREVIEW_LIMIT 20
#define MAX_PREVIEW_LIMIT     1000

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] segments COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  segments add --name NAME --rule JSON [--json]\n"
  "      Save a segment; prints its id and how many contacts match now.\n"
  "  segments update NAME [--new-name NAME] [--rule JSON] [--json]\n"
  "      Rename a segment or change its rule.\n"
  "  segments list [--json]\n"
  "      The saved segments and their rules.\n"
  "  segments show NAME [--json]\n"
  "      One segment, its rule and how many contacts match now.\n"
  "  segments count (NAME | --rule JSON) [--at TIME] [--json]\n"
  "      How many contacts match a saved segment or a rule not saved.\n"
  "  segments preview (NAME | --rule JSON) [--limit N] [--at TIME] [--json]\n"
  "      The first contacts that match, by name (default 20).\n"
  "  segments remove NAME [--json]\n"
  "      Delete a saved segment (campaigns that used it keep their recipients).\n"
  "\n"
  "A rule is JSON, e.g. (- reads it from standard input):\n"
  "  {\"all\":[{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]},{\"tag\":\"vip\"},\n"
  "           {\"consent\":\"sms\",\"purpose\":\"promotional\",\"status\":\"opted_in\"},\n"
  "           {\"any\":[{\"event\":\"order_placed\",\"within_days\":30,\n"
  "                    \"where\":[{\"property\":\"value\",\"op\":\">\",\"value\":50}]},\n"
  "                   {\"engagement\":\"clicked\",\"within_days\":7}]}]}\n"
  "Kinds of rules: all, any, not, field (first_name, last_name, email, phone,\n"
  "language, country, created_at, timezone, region, attributes.KEY with equals,\n"
  "not_equals, contains, in, before, after, empty, not_empty), tag (with \"has\"),\n"
  "consent, engagement (received, delivered, read, clicked, replied), event,\n"
  "segment (another saved segment). See README.md, \"Segments\".\n"
  "\n"
  "Options:\n"
  "  --at TIME      the time windows count back from (ISO 8601; default: now)\n"
  "  --db FILE      the workspace database (before or after the command)\n"
  "  --json         print JSON on standard output\n"
  "\n"
  "Exit status: 0 success; 1 failure or a rule that is not valid; 2 bad usage;\n"
  "130 interrupted.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "name", TRUE },
  { "new-name", TRUE },
  { "rule", TRUE },
  { "limit", TRUE },
  { "at", TRUE },
  { NULL, FALSE },
};

static const char * const add_options[] = { "db", "json", "name", "rule", "at", NULL };
static const char * const update_options[] = { "db", "json", "new-name", "rule", NULL };
static const char * const list_options[] = { "db", "json", NULL };
static const char * const show_options[] = { "db", "json", "at", NULL };
static const char * const count_options[] = { "db", "json", "rule", "at", NULL };
static const char * const preview_options[] = { "db", "json", "rule", "limit", "at", NULL };
static const char * const remove_options[] = { "db", "json", NULL };

typedef struct
{
  TcCliArgs    *opts;
  const char   *name;          /* "segments add", for the messages */
  GCancellable *cancellable;   /* cancelled by Ctrl-C */
  TcContext    *context;
  TcRepository *repository;
  gint64        now;           /* --at, or 0 */
} Command;

/* ------------------------------------------------------------------------
 * Helpers
 */

static int
open_workspace (Command *cmd)
{
  g_autoptr(GError) error = NULL;

  cmd->context = tc_cli_open_workspace (tc_cli_args_get (cmd->opts, "db"), FALSE, &error);
  if (cmd->context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  cmd->repository = tc_context_get_repository (cmd->context);

  return 0;
}

static int
parse_at (Command *cmd)
{
  const char *value = tc_cli_args_get (cmd->opts, "at");

  cmd->now = 0;
  if (value != NULL && !tc_parse_time (value, &cmd->now))
    return tc_cli_usage_error (usage_text,
                               "option '--at' needs a time in ISO 8601 with an offset or Z "
                               "(2026-03-01T09:30:00Z) or a date (2026-03-01), not '%s'", value);

  return 0;
}

/* The rule of --rule (or standard input for "-"), checked. */
static int
parse_rule (Command    *cmd,
            TcSegment **segment)
{
  const char *value = tc_cli_args_get (cmd->opts, "rule");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autofree char *text = NULL;

  *segment = NULL;
  if (value == NULL)
    return 0;

  if (strcmp (value, "-") == 0)
    {
      gsize size = 0;
      const char *data;

      input = tc_cli_read_stdin (TC_SEGMENT_MAX_RULE_BYTES + 1, &error);
      if (input == NULL)
        return tc_cli_fail_with_error ("cannot read the rule", error);
      data = g_bytes_get_data (input, &size);
      text = g_strndup (data != NULL ? data : "", size);
      value = text;
    }

  *segment = tc_segment_new_from_json (value, &error);
  if (*segment == NULL)
    return tc_cli_fail_with_error (NULL, error);

  return 0;
}

static int
require_name_word (Command     *cmd,
                   const char **name)
{
  *name = cmd->opts->args->len > 2 ? tc_cli_args_word (cmd->opts, 2) : NULL;
  if (*name == NULL || (*name)[0] == '\0')
    return tc_cli_usage_error (usage_text, "'%s' needs the NAME of a segment", cmd->name);
  if (cmd->opts->args->len > 3)
    return tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", cmd->name,
                               tc_cli_args_word (cmd->opts, 3));

  return 0;
}

static int
fail_segment_error (const char   *what,
                    const GError *error)
{
  /* Errors about the rule or the name say everything on their own. */
  if (error->domain == TC_SEGMENT_ERROR)
    return tc_cli_fail ("%s", error->message);

  return tc_cli_fail_with_error (what, error);
}

static gboolean
count_segment (Command    *cmd,
               TcSegment  *segment,
               guint      *n_contacts,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_segment_count_async (cmd->repository, segment, cmd->now, cmd->cancellable,
                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_segment_count_finish (cmd->repository, result, n_contacts, error);
}

static TcSavedSegment *
get_saved (Command     *cmd,
           const char  *name,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_segment_store_get_async (cmd->repository, name, cmd->cancellable,
                              tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_segment_store_get_finish (cmd->repository, result, error);
}

/* The segment a count or preview is about: the NAME word or --rule (one of
 * them); @name_out is the saved name or NULL. */
static int
target_segment (Command    *cmd,
                TcSegment **segment,
                char      **name_out)
{
  g_autoptr(TcSavedSegment) saved = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_name = cmd->opts->args->len > 2;
  gboolean has_rule = tc_cli_args_has (cmd->opts, "rule");
  const char *word;
  int status;

  *segment = NULL;
  *name_out = NULL;
  if (has_name == has_rule)
    return tc_cli_usage_error (usage_text, "'%s' needs either the NAME of a saved segment or "
                               "--rule JSON", cmd->name);

  if (has_rule)
    return parse_rule (cmd, segment);
  if ((status = require_name_word (cmd, &word)) != 0)
    return status;

  saved = get_saved (cmd, word, &error);
  if (saved == NULL)
    return fail_segment_error ("cannot read the segment", error);

  *segment = tc_segment_ref (saved->segment);
  *name_out = g_strdup (saved->name);

  return 0;
}

static void
add_rule (JsonBuilder *builder,
          TcSegment   *segment)
{
  JsonNode *rule = json_from_string (tc_segment_get_json (segment), NULL);

  json_builder_set_member_name (builder, "rule");
  if (rule != NULL)
    json_builder_add_value (builder, rule);
  else
    json_builder_add_null_value (builder);
}

static void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tc_cli_print_json (root);
}

/* ------------------------------------------------------------------------
 * Commands
 */

static int
cmd_add (Command *cmd)
{
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSavedSegment) saved = NULL;
  const char *name = tc_cli_args_get (cmd->opts, "name");
  guint n_contacts = 0;
  gint64 id;
  int status;

  if (name == NULL)
    return tc_cli_usage_error (usage_text, "'segments add' needs --name NAME");
  if (!tc_cli_args_has (cmd->opts, "rule"))
    return tc_cli_usage_error (usage_text, "'segments add' needs --rule JSON");
  if ((status = parse_rule (cmd, &segment)) != 0 || (status = open_workspace (cmd)) != 0)
    return status;

  tc_segment_store_add_async (cmd->repository, name, segment, cmd->cancellable,
                              tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  id = tc_segment_store_add_finish (cmd->repository, result, &error);
  if (id == 0)
    return fail_segment_error ("cannot save the segment", error);

  /* The name as stored (trimmed), and the count as of now. */
  saved = get_saved (cmd, name, &error);
  if (saved == NULL)
    return fail_segment_error ("cannot read the segment back", error);
  if (!count_segment (cmd, segment, &n_contacts, &error))
    return fail_segment_error ("cannot count the segment", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, saved->name);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, n_contacts);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else
    g_print ("Saved segment “%s” (id %" G_GINT64_FORMAT "): %u contact%s match now\n",
             saved->name, id, n_contacts, n_contacts == 1 ? "" : "s");

  return EXIT_SUCCESS;
}

static int
cmd_update (Command *cmd)
{
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *new_name = tc_cli_args_get (cmd->opts, "new-name");
  const char *name;
  int status;

  if ((status = require_name_word (cmd, &name)) != 0)
    return status;
  if (new_name == NULL && !tc_cli_args_has (cmd->opts, "rule"))
    return tc_cli_usage_error (usage_text, "'segments update' needs --new-name NAME or --rule "
                               "JSON (or both)");
  if ((status = parse_rule (cmd, &segment)) != 0 || (status = open_workspace (cmd)) != 0)
    return status;

  tc_segment_store_update_async (cmd->repository, name, new_name, segment, cmd->cancellable,
                                 tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_segment_store_update_finish (cmd->repository, result, &error))
    return fail_segment_error ("cannot change the segment", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(TcSavedSegment) saved = get_saved (cmd, new_name != NULL ? new_name : name,
                                                   &error);

      if (saved == NULL)
        return fail_segment_error ("cannot read the segment back", error);
      tc_saved_segment_build_json (saved, builder);
      print_builder (builder);
    }
  else
    g_print ("Changed segment “%s”\n", new_name != NULL ? new_name : name);

  return EXIT_SUCCESS;
}

static int
cmd_list (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int status;

  if ((status = open_workspace (cmd)) != 0)
    return status;

  tc_segment_store_list_async (cmd->repository, cmd->cancellable,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  list = tc_segment_store_list_finish (cmd->repository, result, &error);
  if (list == NULL)
    return fail_segment_error ("cannot list the segments", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        tc_saved_segment_build_json (g_ptr_array_index (list, i), builder);
      json_builder_end_array (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  if (list->len == 0)
    {
      g_print ("No saved segments (textcast-cli segments add saves one).\n");
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < list->len; i++)
    {
      const TcSavedSegment *saved = g_ptr_array_index (list, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", saved->id, saved->name,
               tc_segment_get_json (saved->segment));
    }

  return EXIT_SUCCESS;
}

static int
cmd_show (Command *cmd)
{
  g_autoptr(TcSavedSegment) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_contacts = 0;
  int status;

  if ((status = require_name_word (cmd, &name)) != 0 || (status = parse_at (cmd)) != 0 ||
      (status = open_workspace (cmd)) != 0)
    return status;

  saved = get_saved (cmd, name, &error);
  if (saved == NULL)
    return fail_segment_error ("cannot read the segment", error);
  if (!count_segment (cmd, saved->segment, &n_contacts, &error))
    return fail_segment_error ("cannot count the segment", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *created = tc_format_iso8601_utc (saved->created_at);
      g_autofree char *updated = tc_format_iso8601_utc (saved->updated_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, saved->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, saved->name);
      add_rule (builder, saved->segment);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, n_contacts);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "updated_at");
      json_builder_add_string_value (builder, updated);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else
    g_print ("Segment “%s” (id %" G_GINT64_FORMAT "): %u contact%s match now\nRule: %s\n",
             saved->name, saved->id, n_contacts, n_contacts == 1 ? "" : "s",
             tc_segment_get_json (saved->segment));

  return EXIT_SUCCESS;
}

static int
cmd_count (Command *cmd)
{
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint n_contacts = 0;
  int status;

  if ((status = parse_at (cmd)) != 0 || (status = open_workspace (cmd)) != 0 ||
      (status = target_segment (cmd, &segment, &name)) != 0)
    return status;

  if (!count_segment (cmd, segment, &n_contacts, &error))
    return fail_segment_error ("cannot count the segment", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      if (name != NULL)
        json_builder_add_string_value (builder, name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, n_contacts);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else
    g_print ("%u\n", n_contacts);

  return EXIT_SUCCESS;
}

static void
build_contact (JsonBuilder *builder,
               TcContact   *contact)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, tc_contact_get_id (contact));
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, tc_contact_get_phone (contact));
  json_builder_set_member_name (builder, "first_name");
  json_builder_add_string_value (builder, tc_contact_get_first_name (contact));
  json_builder_set_member_name (builder, "last_name");
  json_builder_add_string_value (builder, tc_contact_get_last_name (contact));
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, tc_contact_get_email (contact));
  json_builder_set_member_name (builder, "country");
  json_builder_add_string_value (builder, tc_contact_get_country (contact));
  json_builder_end_object (builder);
}

static int
cmd_preview (Command *cmd)
{
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autofree char *name = NULL;
  const char *limit_text = tc_cli_args_get (cmd->opts, "limit");
  guint64 limit = DEFAULT_PREVIEW_LIMIT;
  guint n_contacts = 0;
  int status;

  if (limit_text != NULL &&
      (!g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_PREVIEW_LIMIT, &limit, NULL)))
    return tc_cli_usage_error (usage_text, "option '--limit' needs a whole number from 1 to %d, "
                               "not '%s'", MAX_PREVIEW_LIMIT, limit_text);
  if ((status = parse_at (cmd)) != 0 || (status = open_workspace (cmd)) != 0 ||
      (status = target_segment (cmd, &segment, &name)) != 0)
    return status;

  if (!count_segment (cmd, segment, &n_contacts, &error))
    return fail_segment_error ("cannot count the segment", error);
  tc_segment_preview_async (cmd->repository, segment, cmd->now, (guint) limit, cmd->cancellable,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  contacts = tc_segment_preview_finish (cmd->repository, result, &error);
  if (contacts == NULL)
    return fail_segment_error ("cannot preview the segment", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      if (name != NULL)
        json_builder_add_string_value (builder, name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, n_contacts);
      json_builder_set_member_name (builder, "contacts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < contacts->len; i++)
        build_contact (builder, g_ptr_array_index (contacts, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < contacts->len; i++)
    {
      TcContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *display_name = tc_contact_dup_display_name (contact);

      g_print ("%s\t%s\t%s\n", tc_contact_get_phone (contact), display_name,
               tc_contact_get_country (contact));
    }
  g_print ("%u of %u matching contact%s shown\n", contacts->len, n_contacts,
           n_contacts == 1 ? "" : "s");

  return EXIT_SUCCESS;
}

static int
cmd_remove (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  int status;

  if ((status = require_name_word (cmd, &name)) != 0 || (status = open_workspace (cmd)) != 0)
    return status;

  tc_segment_store_delete_async (cmd->repository, name, cmd->cancellable,
                                 tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_segment_store_delete_finish (cmd->repository, result, &error))
    return fail_segment_error ("cannot remove the segment", error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "removed");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else
    g_print ("Removed segment “%s”\n", name);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Dispatch
 */

static const struct
{
  const char         *word;
  const char * const *options;
  guint               max_words;   /* words including "segments COMMAND" */
  int               (*run) (Command *cmd);
} commands[] = {
  { "add", add_options, 2, cmd_add },
  { "update", update_options, 3, cmd_update },
  { "list", list_options, 2, cmd_list },
  { "show", show_options, 3, cmd_show },
  { "count", count_options, 3, cmd_count },
  { "preview", preview_options, 3, cmd_preview },
  { "remove", remove_options, 3, cmd_remove },
};

static gboolean
on_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

int
tc_cli_segments_main (int    argc,
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
      status = tc_cli_usage_error (usage_text, "'segments' needs a command: add, update, list, "
                                   "show, count, preview or remove");
      goto out;
    }

  word = tc_cli_args_word (&opts, 1);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (word, commands[i].word) != 0)
        continue;

      full_name = g_strconcat ("segments ", word, NULL);
      cmd.opts = &opts;
      cmd.name = full_name;
      cmd.cancellable = cancellable;

      if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, full_name,
                                        commands[i].options)) != 0)
        goto out;
      if (opts.args->len > commands[i].max_words)
        {
          status = tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'",
                                       full_name, tc_cli_args_word (&opts, commands[i].max_words));
          goto out;
        }

      /* Ctrl-C cancels a long count, which then stops cleanly. */
      sigint_id = g_unix_signal_add (SIGINT, on_sigint_cb, cancellable);
      status = commands[i].run (&cmd);
      g_source_remove (sigint_id);
      g_clear_object (&cmd.context);
      goto out;
    }

  status = tc_cli_usage_error (usage_text, "unknown command 'segments %s'", word);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
