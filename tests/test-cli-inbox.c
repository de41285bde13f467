/* test-cli-inbox.c: `textcast-cli inbox` run as a program.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-cli-test-util.h"

/* Ann agreed to SMS marketing; Ed agreed to nothing. */
static const char contacts_csv[] =
  "phone,first_name,last_name,country,consent_sms_promotional\n"
  "+12125550101,Ann,Lee,US,yes\n"
  "+33612345678,Ed,Vogel,FR,\n";

typedef TcCliWorkspace Fixture;
typedef TcCliRun Run;

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    tc_cli_run_argv ((f)->db, NULL, (run), args_); \
  } G_STMT_END

static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("exit status %d; stderr: %s; stdout: %s", run->status, run->err, run->out);
  g_assert_cmpstr (run->err, ==, "");
}

static JsonNode *
parse_line (const Run *run)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  assert_ok (run);
  g_assert_true (g_str_has_suffix (run->out, "\n"));
  g_assert_true (strchr (run->out, '\n') == run->out + strlen (run->out) - 1);
  node = json_from_string (run->out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_failure (const Run  *run,
                int         status,
                const char *message_start)
{
  if (run->status != status)
    g_error ("expected exit status %d, got %d; stderr: %s", status, run->status, run->err);
  if (!g_str_has_prefix (run->err, message_start))
    g_error ("expected stderr to start with “%s”, got “%s”", message_start, run->err);
  g_assert_cmpstr (run->out, ==, "");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(TcCliRun) import = { 0 };
  g_auto(TcCliRun) simulator = { 0 };

  tc_cli_workspace_set_up (f, "tc-cli-inbox-XXXXXX");
  csv = g_build_filename (f->dir, "contacts.csv", NULL);
  g_file_set_contents (csv, contacts_csv, -1, &error);
  g_assert_no_error (error);
  RUN (f, &import, "contacts", "import", csv);
  assert_ok (&import);
  RUN (f, &simulator, "providers", "set", "simulator");
  assert_ok (&simulator);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

static void
inbound (Fixture    *f,
         const char *from,
         const char *body)
{
  g_auto(TcCliRun) run = { 0 };

  RUN (f, &run, "inbound", "--channel", "sms", "--from", from, "--body", body);
  assert_ok (&run);
}

static const char * const conversation_members[] = {
  "contact_id", "phone", "name", "last_at", "last_direction", "last_channel", "last_body",
  "unread", "whatsapp_window_closes", NULL
};

/* list and show: the JSON shapes, the order, the unread counts. */
static void
test_list_show (Fixture       *f,
                gconstpointer  data)
{
  g_auto(TcCliRun) list = { 0 };
  g_auto(TcCliRun) show = { 0 };
  g_auto(TcCliRun) empty = { 0 };
  g_auto(TcCliRun) search = { 0 };
  g_autoptr(JsonNode) list_node = NULL;
  g_autoptr(JsonNode) show_node = NULL;
  g_autoptr(JsonNode) search_node = NULL;
  JsonArray *conversations, *messages;
  JsonObject *first, *conversation, *stop, *confirmation;

  RUN (f, &empty, "inbox", "list");
  assert_ok (&empty);
  g_assert_cmpstr (empty.out, ==, "No conversations: nobody has written yet.\n");

  inbound (f, "+12125550101", "Do you ship to Spain?");
  inbound (f, "+33612345678", "STOP");

  RUN (f, &list, "inbox", "list", "--json");
  list_node = parse_line (&list);
  conversations = json_node_get_array (list_node);
  g_assert_cmpuint (json_array_get_length (conversations), ==, 2);
  first = json_array_get_object_element (conversations, 0);
  for (guint i = 0; conversation_members[i] != NULL; i++)
    g_assert_true (json_object_has_member (first, conversation_members[i]));
  /* Ed wrote last and was answered (the STOP confirmation). */
  g_assert_cmpstr (json_object_get_string_member (first, "phone"), ==, "+33612345678");
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Ed Vogel");
  g_assert_cmpstr (json_object_get_string_member (first, "last_direction"), ==, "out");
  g_assert_cmpint (json_object_get_int_member (first, "unread"), ==, 1);
  g_assert_true (json_object_get_null_member (first, "whatsapp_window_closes"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conversations, 1),
                                                  "last_body"), ==, "Do you ship to Spain?");

  RUN (f, &search, "inbox", "list", "--search", "spain", "--json");
  search_node = parse_line (&search);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (search_node)), ==, 1);

  RUN (f, &show, "inbox", "show", "+33 6 12 34 56 78", "--json");
  show_node = parse_line (&show);
  conversation = json_object_get_object_member (json_node_get_object (show_node), "conversation");
  g_assert_cmpstr (json_object_get_string_member (conversation, "phone"), ==, "+33612345678");
  messages = json_object_get_array_member (json_node_get_object (show_node), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  stop = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (stop, "direction"), ==, "in");
  g_assert_cmpstr (json_object_get_string_member (stop, "action"), ==, "opt_out");
  g_assert_cmpstr (json_object_get_string_member (stop, "description"), ==,
                   "Opted out of SMS — the confirmation was sent");
  g_assert_true (json_object_get_boolean_member (stop, "unread"));
  confirmation = json_array_get_object_element (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (confirmation, "direction"), ==, "out");
  g_assert_cmpstr (json_object_get_string_member (confirmation, "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (confirmation, "description"), ==, "Waiting to be sent");
}

/* reply: through the gate, idempotent with --id, sent by the engine;
 * read marks the conversation. */
static void
test_reply_read (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(TcCliRun) first = { 0 };
  g_auto(TcCliRun) again = { 0 };
  g_auto(TcCliRun) refused = { 0 };
  g_auto(TcCliRun) send = { 0 };
  g_auto(TcCliRun) show = { 0 };
  g_auto(TcCliRun) read = { 0 };
  g_auto(TcCliRun) list = { 0 };
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) again_node = NULL;
  g_autoptr(JsonNode) refused_node = NULL;
  g_autoptr(JsonNode) show_node = NULL;
  g_autoptr(JsonNode) read_node = NULL;
  g_autoptr(JsonNode) list_node = NULL;
  JsonArray *messages;
  const char *state;

  inbound (f, "+12125550101", "Do you ship to Spain?");
  inbound (f, "+33612345678", "Who is this?");

  RUN (f, &first, "inbox", "reply", "+12125550101", "--channel", "sms", "--body", "Yes, in 3 days.",
       "--id", "ann-1", "--json");
  first_node = parse_line (&first);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first_node), "state"), ==, "queued");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first_node), "origin"), ==, "inbox");
  RUN (f, &again, "inbox", "reply", "+12125550101", "--channel", "sms", "--body", "Yes, in 3 days.",
       "--id", "ann-1", "--json");
  again_node = parse_line (&again);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again_node), "id"), ==,
                   json_object_get_int_member (json_node_get_object (first_node), "id"));

  /* Ed agreed to nothing: the answer is kept, not sent, and says why. */
  RUN (f, &refused, "inbox", "reply", "+33612345678", "--channel", "sms", "--body", "It's Acme Shoes",
       "--json");
  refused_node = parse_line (&refused);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refused_node), "state"), ==, "skipped");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refused_node), "reason"), ==,
                   "no_consent");

  /* The engine sends the queued answer through the simulator. */
  RUN (f, &send, "outbox", "run", "--until-idle");
  if (send.status != 0)
    g_error ("outbox run: exit status %d; stderr: %s", send.status, send.err);
  RUN (f, &show, "inbox", "show", "+12125550101", "--json");
  show_node = parse_line (&show);
  messages = json_object_get_array_member (json_node_get_object (show_node), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  state = json_object_get_string_member (json_array_get_object_element (messages, 1), "state");
  g_assert_true (g_strcmp0 (state, "sent") == 0 || g_strcmp0 (state, "delivered") == 0);

  RUN (f, &read, "inbox", "read", "+12125550101", "--json");
  read_node = parse_line (&read);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (read_node), "marked"), ==, 1);
  RUN (f, &list, "inbox", "list", "--json");
  list_node = parse_line (&list);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *conversation = json_array_get_object_element (json_node_get_array (list_node), i);
      gboolean is_ann = g_strcmp0 (json_object_get_string_member (conversation, "phone"), "+12125550101") == 0;

      g_assert_cmpint (json_object_get_int_member (conversation, "unread"), ==, is_ann ? 0 : 1);
    }
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  struct {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { "inbox" }, 2, "textcast-cli: 'inbox' needs a command" },
    { { "inbox", "archive" }, 2, "textcast-cli: unknown command 'inbox archive'" },
    { { "inbox", "show" }, 2, "textcast-cli: 'inbox show' needs the contact's NUMBER" },
    { { "inbox", "reply", "+12125550101", "--body", "hi" }, 2,
      "textcast-cli: 'inbox reply' needs --channel sms or whatsapp" },
    { { "inbox", "reply", "+12125550101", "--channel", "fax", "--body", "hi" }, 2,
      "textcast-cli: 'inbox reply' needs --channel sms or whatsapp, not 'fax'" },
    { { "inbox", "reply", "+12125550101", "--channel", "sms" }, 2,
      "textcast-cli: 'inbox reply' needs either --body TEXT or --template NAME" },
    { { "inbox", "list", "--limit", "0" }, 2,
      "textcast-cli: option '--limit' needs a whole number from 1 to 1000, not '0'" },
    { { "inbox", "list", "--channel", "sms" }, 2, "textcast-cli: option '--channel' does not apply to 'inbox list'" },
    { { "inbox", "show", "+14155550199" }, 1, "textcast-cli: there is no contact with the number" },
    { { "inbox", "show", "not a number" }, 1, "textcast-cli: “not a number” is not a phone number" },
    { { "inbox", "reply", "+12125550101", "--channel", "sms", "--body", "   " }, 1,
      "textcast-cli: Write a message, or pick a template" },
    { { "inbox", "reply", "+12125550101", "--channel", "sms", "--template", "nope" }, 1,
      "textcast-cli: nope: There is no SMS template called “nope”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0 };

      g_test_message ("case %u: %s %s", i, cases[i].args[0], cases[i].args[1] ? cases[i].args[1] : "");
      tc_cli_run_argv (f->db, NULL, &run, cases[i].args);
      assert_failure (&run, cases[i].status, cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/cli/inbox/list-show", test_list_show);
  ADD ("/tc/cli/inbox/reply-read", test_reply_read);
  ADD ("/tc/cli/inbox/usage", test_usage);

  return g_test_run ();
}
