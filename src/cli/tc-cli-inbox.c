/* tc-cli-inbox.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli inbox list|show|read|reply`: the two-way conversations
 * (tc-inbox.h) from the command line. A reply is queued in the outbox; the
 * engine sends it (`textcast-cli outbox run`, or the app while it is open).
 * Exit status as for the rest of textcast-cli: 0 success (also for a reply
 * the gate holds back or skips: the row says why), 1 a failed operation,
 * 2 bad usage, 130 interrupted.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-inbox.h"
#include "tc-cli.h"
#include "tc-contact.h"
#include "tc-context.h"
#include "tc-inbox.h"
#include "tc-phone.h"
#include "tc-repository.h"

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] inbox COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  inbox list [--search TEXT] [--limit N] [--json]\n"
  "      Conversations with people who wrote, latest first, with unread counts\n"
  "      (default: the latest 100). --search matches a name, number, e-mail or\n"
  "      the text of a message they sent.\n"
  "  inbox show NUMBER [--limit N] [--json]\n"
  "      Everything exchanged with one contact, in order (default: the latest 200).\n"
  "  inbox read NUMBER [--json]\n"
  "      Marks the conversation read.\n"
  "  inbox reply NUMBER --channel sms|whatsapp (--body TEXT | --template NAME)\n"
  "              [--id KEY] [--json]\n"
  "      Answers through the send gate (consent on the channel; on WhatsApp free\n"
  "      text only within 24 hours of their last message, a template after) and\n"
  "      queues the answer in the outbox; `textcast-cli outbox run` or the app sends\n"
  "      it. --id makes it idempotent: the same KEY never queues a second answer.\n"
  "\n"
  "Options:\n"
  "  --region CC   the country of numbers written without +\n"
  "  --db FILE     the workspace database (before or after the command)\n"
  "  --json        print JSON on standard output\n"
  "\n"
  "Exit status: 0 success (a reply held back or skipped by the gate too: the row\n"
  "says why); 1 failure; 2 bad usage; 130 interrupted.\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "search", TRUE },
  { "limit", TRUE },
  { "channel", TRUE },
  { "body", TRUE },
  { "template", TRUE },
  { "id", TRUE },
  { "region", TRUE },
  { NULL, FALSE },
};

static const char * const list_options[] = { "db", "json", "search", "limit", NULL };
static const char * const show_options[] = { "db", "json", "limit", "region", NULL };
static const char * const read_options[] = { "db", "json", "region", NULL };
static const char * const reply_options[] = { "db", "json", "channel", "body", "template", "id",
                                              "region", NULL };

typedef struct
{
  TcCliArgs    *opts;
  const char   *name;
  TcContext    *context;
  TcRepository *repository;
} Command;

static char *
iso (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return NULL;
  time = g_date_time_new_from_unix_utc (unix_seconds);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       unix_seconds)
{
  g_autofree char *text = iso (unix_seconds);

  json_builder_set_member_name (builder, member);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tc_cli_print_json (root);
}

static int
parse_limit (Command *cmd,
             guint    fallback,
             guint    max,
             guint   *limit)
{
  const char *text = tc_cli_args_get (cmd->opts, "limit");
  guint64 value;

  *limit = fallback;
  if (text == NULL)
    return 0;
  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    return tc_cli_usage_error (usage_text, "option '--limit' needs a whole number from 1 to %u, not '%s'",
                               max, text);
  *limit = (guint) value;
  return 0;
}

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

/* The contact with the number in the command's third word. */
static int
find_contact (Command  *cmd,
              gint64   *contact_id)
{
  const char *number = tc_cli_args_word (cmd->opts, 2);
  const char *region = tc_cli_args_get (cmd->opts, "region");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContact) contact = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *upper = NULL;

  if (region != NULL)
    {
      upper = g_ascii_strup (region, -1);
      if (!tc_phone_region_is_valid (upper))
        return tc_cli_usage_error (usage_text, "option '--region' needs a two-letter country code "
                                   "such as US, GB or DE, not '%s'", region);
    }
  e164 = tc_phone_normalize (number, upper != NULL ? upper : "US", &error);
  if (e164 == NULL)
    return tc_cli_fail ("“%s” is not a phone number: %s", number, error->message);

  tc_repository_find_contact_by_phone_async (cmd->repository, e164, NULL,
                                             tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  contact = tc_repository_find_contact_by_phone_finish (cmd->repository, result, &error);
  if (contact == NULL)
    {
      if (error != NULL && !g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND))
        return tc_cli_fail_with_error (NULL, error);
      return tc_cli_fail ("there is no contact with the number %s", e164);
    }
  *contact_id = tc_contact_get_id (contact);
  return 0;
}

static void
build_conversation (JsonBuilder          *builder,
                    const TcConversation *conversation,
                    gint64                now)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contact_id");
  json_builder_add_int_value (builder, conversation->contact_id);
  add_string (builder, "phone", conversation->phone);
  add_string (builder, "name", conversation->name);
  add_time (builder, "last_at", conversation->last_at);
  add_string (builder, "last_direction", conversation->last_outbound ? "out" : "in");
  add_string (builder, "last_channel", tc_channel_to_string (conversation->last_channel));
  add_string (builder, "last_body", conversation->last_body);
  json_builder_set_member_name (builder, "unread");
  json_builder_add_int_value (builder, conversation->unread);
  add_time (builder, "whatsapp_window_closes", tc_conversation_wa_window_closes (conversation, now));
  json_builder_end_object (builder);
}

static int
cmd_list (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint limit;
  int status;

  if ((status = parse_limit (cmd, 100, 1000, &limit)) != 0 || (status = open_workspace (cmd)) != 0)
    return status;

  tc_inbox_list_async (cmd->repository, tc_cli_args_get (cmd->opts, "search"), limit, NULL,
                       tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  conversations = tc_inbox_list_finish (cmd->repository, result, &error);
  if (conversations == NULL)
    return tc_cli_fail_with_error (NULL, error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < conversations->len; i++)
        build_conversation (builder, g_ptr_array_index (conversations, i), now);
      json_builder_end_array (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  if (conversations->len == 0)
    g_print ("No conversations: nobody has written yet.\n");
  for (guint i = 0; i < conversations->len; i++)
    {
      const TcConversation *conversation = g_ptr_array_index (conversations, i);
      g_autofree char *when = iso (conversation->last_at);

      g_print ("%-16s %-24s %3u unread  %s  %s %s\n", conversation->phone,
               conversation->name[0] != '\0' ? conversation->name : "—",
               conversation->unread, when != NULL ? when : "",
               conversation->last_outbound ? "→" : "←", conversation->last_body);
    }
  return EXIT_SUCCESS;
}

static void
build_message (JsonBuilder          *builder,
               const TcInboxMessage *message)
{
  g_autofree char *description = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "direction", message->direction == TC_INBOX_MESSAGE_INBOUND ? "in" : "out");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, message->id);
  add_string (builder, "channel", tc_channel_to_string (message->channel));
  add_time (builder, "at", message->at);
  add_string (builder, "body", message->body);
  if (message->direction == TC_INBOX_MESSAGE_INBOUND)
    {
      add_string (builder, "action", tc_inbound_action_to_string (message->action));
      add_string (builder, "keyword", message->keyword);
      json_builder_set_member_name (builder, "unread");
      json_builder_add_boolean_value (builder, message->unread);
      description = tc_inbox_message_describe_action (message);
    }
  else
    {
      add_string (builder, "template", message->template_name);
      add_string (builder, "origin", message->origin);
      add_string (builder, "state", tc_outbox_state_to_string (message->state));
      add_string (builder, "reason", message->reason);
      add_string (builder, "error_code", message->error_code);
      add_time (builder, "delivered_at", message->delivered_at);
      add_time (builder, "read_at", message->read_at);
      description = tc_inbox_message_describe_state (message);
    }
  json_builder_set_member_name (builder, "description");
  if (description != NULL)
    json_builder_add_string_value (builder, description);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static int
cmd_show (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(TcConversation) conversation = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 contact_id = 0;
  guint limit;
  int status;

  if ((status = parse_limit (cmd, 200, 5000, &limit)) != 0 || (status = open_workspace (cmd)) != 0 ||
      (status = find_contact (cmd, &contact_id)) != 0)
    return status;

  tc_inbox_thread_async (cmd->repository, contact_id, limit, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  messages = tc_inbox_thread_finish (cmd->repository, result, &conversation, &error);
  if (messages == NULL)
    return tc_cli_fail_with_error (NULL, error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "conversation");
      build_conversation (builder, conversation, now);
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; i < messages->len; i++)
        build_message (builder, g_ptr_array_index (messages, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_builder (builder);
      return EXIT_SUCCESS;
    }

  if (conversation->name[0] != '\0')
    g_print ("%s (%s) — %u unread\n", conversation->name, conversation->phone, conversation->unread);
  else
    g_print ("%s — %u unread\n", conversation->phone, conversation->unread);
  for (guint i = 0; i < messages->len; i++)
    {
      const TcInboxMessage *message = g_ptr_array_index (messages, i);
      g_autofree char *when = iso (message->at);
      g_autofree char *description = message->direction == TC_INBOX_MESSAGE_INBOUND
                                     ? tc_inbox_message_describe_action (message)
                                     : tc_inbox_message_describe_state (message);

      g_print ("%s %s %-8s %s%s%s%s\n", when != NULL ? when : "",
               message->direction == TC_INBOX_MESSAGE_INBOUND ? "←" : "→",
               tc_channel_to_string (message->channel),
               message->body[0] != '\0' ? message->body : "",
               message->template_name != NULL ? message->template_name : "",
               description != NULL ? "  — " : "", description != NULL ? description : "");
    }
  return EXIT_SUCCESS;
}

static int
cmd_read (Command *cmd)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 contact_id = 0;
  guint marked = 0;
  int status;

  if ((status = open_workspace (cmd)) != 0 || (status = find_contact (cmd, &contact_id)) != 0)
    return status;

  tc_inbox_mark_read_async (cmd->repository, contact_id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_inbox_mark_read_finish (cmd->repository, result, &marked, &error))
    return tc_cli_fail_with_error (NULL, error);

  if (cmd->opts->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "marked");
      json_builder_add_int_value (builder, marked);
      json_builder_end_object (builder);
      print_builder (builder);
    }
  else
    g_print ("%u messages marked read\n", marked);
  return EXIT_SUCCESS;
}

static int
cmd_reply (Command *cmd)
{
  const char *channel_text = tc_cli_args_get (cmd->opts, "channel");
  const char *body = tc_cli_args_get (cmd->opts, "body");
  const char *template_name = tc_cli_args_get (cmd->opts, "template");
  const char *key = tc_cli_args_get (cmd->opts, "id");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autofree char *idem_key = NULL;
  TcInboxReply reply = { 0, };
  int status;

  if (channel_text == NULL || !tc_channel_from_string (channel_text, &reply.channel))
    return tc_cli_usage_error (usage_text, "'inbox reply' needs --channel sms or whatsapp%s%s%s",
                               channel_text != NULL ? ", not '" : "",
                               channel_text != NULL ? channel_text : "",
                               channel_text != NULL ? "'" : "");
  if ((body == NULL) == (template_name == NULL))
    return tc_cli_usage_error (usage_text, "'inbox reply' needs either --body TEXT or --template NAME");
  if (key != NULL && key[0] == '\0')
    return tc_cli_usage_error (usage_text, "option '--id' needs a key");

  if ((status = open_workspace (cmd)) != 0 || (status = find_contact (cmd, &reply.contact_id)) != 0)
    return status;

  if (key != NULL)
    idem_key = g_strconcat (TC_INBOX_ORIGIN ":", key, NULL);
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      idem_key = g_strconcat (TC_INBOX_ORIGIN ":", uuid, NULL);
    }
  reply.body = body;
  reply.template_name = template_name;
  reply.idem_key = idem_key;

  tc_inbox_reply_async (cmd->repository, &reply, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_inbox_reply_finish (cmd->repository, result, &error);
  if (entry == NULL)
    return tc_cli_fail_with_error (template_name, error);

  if (cmd->opts->json)
    {
      g_autofree char *json = tc_outbox_entry_to_json (entry, FALSE);

      g_print ("%s\n", json);
    }
  else if (entry->state == TC_OUTBOX_QUEUED)
    g_print ("Queued as outbox message #%" G_GINT64_FORMAT "\n", entry->id);
  else
    {
      TcInboxMessage message = {
        .direction = TC_INBOX_MESSAGE_OUTBOUND,
        .state = entry->state,
        .reason = entry->reason,
        .error_code = entry->error_code,
      };
      g_autofree char *description = tc_inbox_message_describe_state (&message);

      g_print ("Outbox message #%" G_GINT64_FORMAT ": %s\n", entry->id, description);
    }
  return EXIT_SUCCESS;
}

int
tc_cli_inbox_main (int    argc,
                   char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  Command cmd = { 0 };
  const char *word;
  const char * const *allowed;
  int (*run) (Command *cmd);
  guint n_words;
  int status;

  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'inbox' needs a command: list, show, read or reply");
      goto out;
    }

  word = tc_cli_args_word (&opts, 1);
  n_words = 3;
  if (strcmp (word, "list") == 0)
    {
      cmd.name = "inbox list";
      allowed = list_options;
      run = cmd_list;
      n_words = 2;
    }
  else if (strcmp (word, "show") == 0)
    {
      cmd.name = "inbox show";
      allowed = show_options;
      run = cmd_show;
    }
  else if (strcmp (word, "read") == 0)
    {
      cmd.name = "inbox read";
      allowed = read_options;
      run = cmd_read;
    }
  else if (strcmp (word, "reply") == 0)
    {
      cmd.name = "inbox reply";
      allowed = reply_options;
      run = cmd_reply;
    }
  else
    {
      status = tc_cli_usage_error (usage_text, "unknown command 'inbox %s'", word);
      goto out;
    }

  if ((status = tc_cli_args_refuse (&opts, option_specs, usage_text, cmd.name, allowed)) != 0)
    goto out;
  if (opts.args->len < n_words)
    {
      status = tc_cli_usage_error (usage_text, "'%s' needs the contact's NUMBER", cmd.name);
      goto out;
    }
  if (opts.args->len > n_words)
    {
      status = tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", cmd.name,
                                   tc_cli_args_word (&opts, n_words));
      goto out;
    }

  cmd.opts = &opts;
  status = run (&cmd);
  g_clear_object (&cmd.context);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
