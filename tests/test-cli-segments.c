/* test-cli-segments.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `textcast-cli segments …` and `events …` (path in
 * $TEXTCAST_CLI) on a temporary workspace of five imported contacts, and
 * checks their JSON member by member, their words, and their exit status
 * on bad input.
 */

#define G_LOG_DOMAIN "test-cli-segments"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-test-util.h"

/* Five people: Ann (US, vip, news, gold, SMS opt-in), Bo (CA, vip,
 * silver), Cy (GB, vip, SMS opt-in), Di (US, news, gold, SMS opt-in),
 * Ed (FR). */
static const char contacts_csv[] =
  "phone,first_name,last_name,country,tags,plan,consent_sms_promotional\n"
  "+12125550101,Ann,Lee,US,\"vip;news\",gold,yes\n"
  "+14165550102,Bo,Roy,CA,vip,silver,\n"
  "+442079460958,Cy,Hart,GB,vip,,yes\n"
  "+12125550104,Di,Ng,US,news,gold,yes\n"
  "+33612345678,Ed,Vogel,FR,,,\n";

#define US_VIPS_RULE \
  "{\"all\":[{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]},{\"tag\":\"vip\"}]}"

typedef TcCliWorkspace Fixture;
typedef TcCliRun Run;

static void
run_argv (Fixture            *f,
          const char         *input,
          Run                *run,
          const char * const *args)
{
  tc_cli_run_argv (f->db, input, run, args);
}

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_argv ((f), NULL, (run), args_); \
  } G_STMT_END

#define RUN_INPUT(f, input, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_argv ((f), (input), (run), args_); \
  } G_STMT_END

static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("exit status %d; stderr: %s; stdout: %s", run->status, run->err, run->out);
  g_assert_cmpstr (run->err, ==, "");
}

/* The one line of JSON a command printed. */
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

  tc_cli_workspace_set_up (f, "tc-cli-segments-XXXXXX");

  csv = g_build_filename (f->dir, "contacts.csv", NULL);
  g_file_set_contents (csv, contacts_csv, -1, &error);
  g_assert_no_error (error);
  RUN (f, &import, "contacts", "import", csv);
  assert_ok (&import);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

/* add, count by name (any case) and count of a rule not saved. */
static void
test_add_count (Fixture       *f,
                gconstpointer  data)
{
  g_auto(TcCliRun) add = { 0 };
  g_auto(TcCliRun) count = { 0 };
  g_auto(TcCliRun) count_case = { 0 };
  g_auto(TcCliRun) count_text = { 0 };
  g_auto(TcCliRun) count_rule = { 0 };
  g_auto(TcCliRun) count_stdin = { 0 };
  g_auto(TcCliRun) add_text = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  RUN (f, &add, "segments", "add", "--name", "US VIPs", "--rule", US_VIPS_RULE, "--json");
  node = parse_line (&add);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_size (object), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "US VIPs");
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 2);

  RUN (f, &count, "segments", "count", "US VIPs", "--json");
  g_assert_cmpstr (count.out, ==, "{\"name\":\"US VIPs\",\"count\":2}\n");
  assert_ok (&count);
  RUN (f, &count_case, "segments", "count", "us vips", "--json");
  g_assert_cmpstr (count_case.out, ==, "{\"name\":\"US VIPs\",\"count\":2}\n");
  RUN (f, &count_text, "segments", "count", "US VIPs");
  g_assert_cmpstr (count_text.out, ==, "2\n");

  RUN (f, &count_rule, "segments", "count", "--rule",
       "{\"all\":[{\"tag\":\"vip\"},{\"consent\":\"sms\"}]}", "--json");
  g_assert_cmpstr (count_rule.out, ==, "{\"name\":null,\"count\":2}\n");
  assert_ok (&count_rule);

  RUN_INPUT (f, "{\"field\":\"attributes.plan\",\"op\":\"equals\",\"value\":\"GOLD\"}",
             &count_stdin, "segments", "count", "--rule", "-", "--json");
  g_assert_cmpstr (count_stdin.out, ==, "{\"name\":null,\"count\":2}\n");
  assert_ok (&count_stdin);

  RUN (f, &add_text, "segments", "add", "--name", "Europe", "--rule",
       "{\"field\":\"country\",\"op\":\"in\",\"value\":[\"GB\",\"FR\"]}");
  assert_ok (&add_text);
  g_assert_cmpstr (add_text.out, ==, "Saved segment “Europe” (id 2): 2 contacts match now\n");
}

static void
test_show_list_preview_remove (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(TcCliRun) add = { 0 };
  g_auto(TcCliRun) add2 = { 0 };
  g_auto(TcCliRun) show = { 0 };
  g_auto(TcCliRun) list = { 0 };
  g_auto(TcCliRun) preview = { 0 };
  g_auto(TcCliRun) preview_rule = { 0 };
  g_auto(TcCliRun) update = { 0 };
  g_auto(TcCliRun) remove = { 0 };
  g_auto(TcCliRun) list_after = { 0 };
  g_autoptr(JsonNode) show_node = NULL;
  g_autoptr(JsonNode) list_node = NULL;
  g_autoptr(JsonNode) preview_node = NULL;
  g_autoptr(JsonNode) rule_node = NULL;
  g_autoptr(JsonNode) update_node = NULL;
  g_autoptr(JsonNode) expected_rule = json_from_string (US_VIPS_RULE, NULL);
  JsonObject *object;
  JsonArray *array;
  JsonArray *contacts;

  RUN (f, &add, "segments", "add", "--name", "US VIPs", "--rule", US_VIPS_RULE);
  assert_ok (&add);
  RUN (f, &add2, "segments", "add", "--name", "all of them", "--rule", "{\"all\":[]}");
  assert_ok (&add2);

  RUN (f, &show, "segments", "show", "us VIPS", "--json");
  show_node = parse_line (&show);
  object = json_node_get_object (show_node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "US VIPs");
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 2);
  g_assert_true (json_node_equal (json_object_get_member (object, "rule"), expected_rule));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "created_at"), "Z"));

  /* By name, without regard to case. */
  RUN (f, &list, "segments", "list", "--json");
  list_node = parse_line (&list);
  array = json_node_get_array (list_node);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "name"), ==, "all of them");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "name"), ==, "US VIPs");

  /* In name order: Lee (Ann), Roy (Bo). */
  RUN (f, &preview, "segments", "preview", "US VIPs", "--limit", "1", "--json");
  preview_node = parse_line (&preview);
  object = json_node_get_object (preview_node);
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, 2);
  contacts = json_object_get_array_member (object, "contacts");
  g_assert_cmpuint (json_array_get_length (contacts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 0),
                                                  "phone"), ==, "+12125550101");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 0),
                                                  "last_name"), ==, "Lee");

  RUN (f, &preview_rule, "segments", "preview", "--rule",
       "{\"not\":{\"tag\":\"vip\"}}", "--json");
  rule_node = parse_line (&preview_rule);
  object = json_node_get_object (rule_node);
  g_assert_true (json_object_get_null_member (object, "name"));
  contacts = json_object_get_array_member (object, "contacts");
  g_assert_cmpuint (json_array_get_length (contacts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 0),
                                                  "first_name"), ==, "Di");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contacts, 1),
                                                  "first_name"), ==, "Ed");

  RUN (f, &update, "segments", "update", "all of them", "--new-name", "Everyone", "--rule",
       "{\"any\":[{\"tag\":\"vip\"},{\"tag\":\"news\"}]}", "--json");
  update_node = parse_line (&update);
  object = json_node_get_object (update_node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Everyone");

  RUN (f, &remove, "segments", "remove", "us vips");
  assert_ok (&remove);
  g_assert_cmpstr (remove.out, ==, "Removed segment “us vips”\n");

  RUN (f, &list_after, "segments", "list");
  assert_ok (&list_after);
  g_assert_true (g_str_has_prefix (list_after.out, "2\tEveryone\t{\"any\":"));
  g_assert_null (strstr (list_after.out, "US VIPs"));
}

typedef struct
{
  const char *args[10];
  int         status;
  const char *message;   /* the start of stderr */
} BadCase;

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const BadCase cases[] = {
    { { "segments", "add", "--name", "X", "--rule",
        "{\"all\":[{\"tag\":\"vip\"},{\"field\":\"country\",\"op\":\"between\",\"value\":1}]}" },
      1, "textcast-cli: rule.all[1].op: \"between\" is not an operator; use one of equals" },
    { { "segments", "add", "--name", "X", "--rule", "{\"tag\":" },
      1, "textcast-cli: rule: not valid JSON" },
    { { "segments", "count", "--rule", "{\"event\":\"Bad Name\"}" },
      1, "textcast-cli: rule.event: “Bad Name” is not an event name" },
    { { "segments", "add", "--name", "us vips", "--rule", "{\"tag\":\"x\"}" },
      1, "textcast-cli: A segment called “US VIPs” exists already" },
    { { "segments", "add", "--name", "  ", "--rule", "{\"tag\":\"x\"}" },
      1, "textcast-cli: A segment needs a name" },
    { { "segments", "add", "--name", "Ref", "--rule", "{\"segment\":\"nope\"}" },
      1, "textcast-cli: rule.segment: there is no saved segment called “nope”" },
    { { "segments", "count", "nobody" }, 1, "textcast-cli: There is no segment called “nobody”" },
    { { "segments", "remove", "nobody" }, 1, "textcast-cli: There is no segment called “nobody”" },
    { { "segments", "add", "--rule", "{\"tag\":\"x\"}" }, 2, "textcast-cli: 'segments add' needs --name" },
    { { "segments", "add", "--name", "X" }, 2, "textcast-cli: 'segments add' needs --rule" },
    { { "segments", "count" }, 2, "textcast-cli: 'segments count' needs either the NAME" },
    { { "segments", "count", "US VIPs", "--rule", "{\"tag\":\"x\"}" },
      2, "textcast-cli: 'segments count' needs either the NAME" },
    { { "segments", "preview", "US VIPs", "--limit", "0" },
      2, "textcast-cli: option '--limit' needs a whole number from 1 to 1000, not '0'" },
    { { "segments", "count", "US VIPs", "--at", "yesterday" }, 2, "textcast-cli: option '--at'" },
    { { "segments", "list", "--rule", "{}" }, 2, "textcast-cli: " },
    { { "segments", "show" }, 2, "textcast-cli: 'segments show' needs the NAME of a segment" },
    { { "segments", "show", "a", "b" }, 2, "textcast-cli: 'segments show' got an unexpected argument 'b'" },
    { { "segments", "frobnicate" }, 2, "textcast-cli: unknown command 'segments frobnicate'" },
    { { "segments" }, 2, "textcast-cli: 'segments' needs a command" },
  };
  g_auto(TcCliRun) add = { 0 };

  RUN (f, &add, "segments", "add", "--name", "US VIPs", "--rule", US_VIPS_RULE);
  assert_ok (&add);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0 };

      run_argv (f, NULL, &run, cases[i].args);
      g_test_message ("%s %s → %d %s", cases[i].args[0], cases[i].args[1], run.status, run.err);
      assert_failure (&run, cases[i].status, cases[i].message);
    }
}

/* --at moves "now", which the time windows count back from. */
static void
test_at (Fixture       *f,
         gconstpointer  data)
{
  static const char rule[] = "{\"engagement\":\"replied\",\"within_days\":7}";
  g_auto(TcCliRun) inbound = { 0 };
  g_auto(TcCliRun) soon = { 0 };
  g_auto(TcCliRun) later = { 0 };
  g_auto(TcCliRun) before = { 0 };

  RUN (f, &inbound, "inbound", "--channel", "sms", "--from", "+12125550104", "--body",
       "Where is my order?", "--at", "2026-01-10T12:00:00Z");
  assert_ok (&inbound);

  RUN (f, &soon, "segments", "count", "--at", "2026-01-12", "--rule", rule, "--json");
  g_assert_cmpstr (soon.out, ==, "{\"name\":null,\"count\":1}\n");
  RUN (f, &later, "segments", "count", "--at", "2026-03-01", "--rule", rule, "--json");
  g_assert_cmpstr (later.out, ==, "{\"name\":null,\"count\":0}\n");
  RUN (f, &before, "segments", "count", "--at", "2026-01-09", "--rule", rule, "--json");
  g_assert_cmpstr (before.out, ==, "{\"name\":null,\"count\":0}\n");
}

/* events send / list, and a segment over what was sent. */
static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_auto(TcCliRun) send = { 0 };
  g_auto(TcCliRun) repeat = { 0 };
  g_auto(TcCliRun) stranger = { 0 };
  g_auto(TcCliRun) list = { 0 };
  g_auto(TcCliRun) list_mine = { 0 };
  g_auto(TcCliRun) count = { 0 };
  g_autoptr(JsonNode) send_node = NULL;
  g_autoptr(JsonNode) repeat_node = NULL;
  g_autoptr(JsonNode) stranger_node = NULL;
  g_autoptr(JsonNode) list_node = NULL;
  g_autoptr(JsonNode) mine_node = NULL;
  JsonObject *object;
  JsonObject *event;
  JsonObject *properties;
  JsonArray *array;
  gint64 id;

  RUN (f, &send, "events", "send", "--name", "order_placed", "--phone", "+1 212 555 0101",
       "--value", "80", "--currency", "usd", "--property", "sku=X1", "--property", "qty:=2",
       "--id", "ord-1", "--at", "2026-02-20T10:00:00Z", "--json");
  send_node = parse_line (&send);
  object = json_node_get_object (send_node);
  id = json_object_get_int_member (object, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_true (json_object_get_boolean_member (object, "inserted"));
  g_assert_false (json_object_get_boolean_member (object, "contact_created"));
  event = json_object_get_object_member (object, "event");
  g_assert_cmpstr (json_object_get_string_member (event, "phone"), ==, "+12125550101");
  g_assert_cmpstr (json_object_get_string_member (event, "name"), ==, "order_placed");
  g_assert_cmpstr (json_object_get_string_member (event, "key"), ==, "ord-1");
  g_assert_cmpstr (json_object_get_string_member (event, "source"), ==, "cli");
  g_assert_cmpstr (json_object_get_string_member (event, "occurred_at"), ==,
                   "2026-02-20T10:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (event, "value"), ==, 80);
  g_assert_cmpstr (json_object_get_string_member (event, "currency"), ==, "USD");
  properties = json_object_get_object_member (event, "properties");
  g_assert_cmpstr (json_object_get_string_member (properties, "sku"), ==, "X1");
  g_assert_cmpint (json_object_get_int_member (properties, "qty"), ==, 2);

  /* The same --id again: nothing recorded, the first event shown. */
  RUN (f, &repeat, "events", "send", "--name", "order_placed", "--phone", "+12125550101",
       "--value", "999", "--id", "ord-1", "--json");
  repeat_node = parse_line (&repeat);
  object = json_node_get_object (repeat_node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, id);
  g_assert_false (json_object_get_boolean_member (object, "inserted"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (object,
                                                                                   "event"),
                                                    "value"), ==, 80);

  /* A number nobody knew becomes a contact (without consent). */
  RUN (f, &stranger, "events", "send", "--name", "cart_abandoned", "--phone", "+14155550199",
       "--at", "2026-02-21", "--json");
  stranger_node = parse_line (&stranger);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (stranger_node),
                                                 "contact_created"));

  RUN (f, &list, "events", "list", "--json");
  list_node = parse_line (&list);
  array = json_node_get_array (list_node);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "name"), ==, "cart_abandoned");

  RUN (f, &list_mine, "events", "list", "--phone", "+12125550101", "--name", "order_placed",
       "--json");
  mine_node = parse_line (&list_mine);
  array = json_node_get_array (mine_node);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"),
                   ==, id);

  /* Segments see the event and its properties. */
  RUN (f, &count, "segments", "count", "--at", "2026-03-01", "--rule",
       "{\"event\":\"order_placed\",\"within_days\":30,\"where\":[{\"property\":\"value\","
       "\"op\":\">\",\"value\":50},{\"property\":\"properties.qty\",\"op\":\">=\",\"value\":2}]}",
       "--json");
  g_assert_cmpstr (count.out, ==, "{\"name\":null,\"count\":1}\n");
}

static void
test_events_bad_input (Fixture       *f,
                       gconstpointer  data)
{
  static const BadCase cases[] = {
    { { "events", "send", "--name", "Order Placed", "--phone", "+12125550101" },
      1, "textcast-cli: name: “Order Placed” is not an event name" },
    { { "events", "send", "--name", "x", "--phone", "12" },
      1, "textcast-cli: phone: “12” is not a phone number Textcast can read" },
    { { "events", "send", "--name", "x", "--phone", "+12125550101", "--currency", "dollars" },
      1, "textcast-cli: properties.currency: \"dollars\" is not a currency code" },
    { { "events", "send", "--name", "x", "--phone", "+12125550101", "--value", "abc" },
      2, "textcast-cli: option '--value' needs a number such as 49.90, not 'abc'" },
    { { "events", "send", "--name", "x", "--phone", "+12125550101", "--property", "novalue" },
      2, "textcast-cli: option '--property' needs KEY=TEXT or KEY:=JSON, not 'novalue'" },
    { { "events", "send", "--name", "x", "--phone", "+12125550101", "--property", "a:={" },
      2, "textcast-cli: option '--property a:={' needs JSON after :=" },
    { { "events", "send", "--name", "x", "--phone", "+12125550101", "--at", "soon" },
      2, "textcast-cli: option '--at'" },
    { { "events", "send", "--phone", "+12125550101" }, 2, "textcast-cli: 'events send' needs --name" },
    { { "events", "list", "--phone", "+14155550100" },
      1, "textcast-cli: cannot list the events: No contact has the number +14155550100" },
    { { "events", "list", "--value", "1" }, 2, "textcast-cli: " },
    { { "events", "frob" }, 2, "textcast-cli: unknown command 'events frob'" },
  };
  g_auto(TcCliRun) list = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0 };

      run_argv (f, NULL, &run, cases[i].args);
      g_test_message ("%s %s → %d %s", cases[i].args[0], cases[i].args[1], run.status, run.err);
      assert_failure (&run, cases[i].status, cases[i].message);
    }

  /* Nothing was recorded by any of them. */
  RUN (f, &list, "events", "list", "--json");
  g_assert_cmpstr (list.out, ==, "[]\n");
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_auto(TcCliRun) help = { 0 };
  g_auto(TcCliRun) main_help = { 0 };

  RUN (f, &help, "segments", "--help");
  assert_ok (&help);
  g_assert_true (g_str_has_prefix (help.out, "Usage: textcast-cli [--db FILE] segments"));
  g_assert_nonnull (strstr (help.out, "segments count (NAME | --rule JSON)"));

  RUN (f, &main_help, "--help");
  assert_ok (&main_help);
  g_assert_nonnull (strstr (main_help.out, "segments add|update|list|show|count|preview|remove"));
}

/* events import: a CSV file; rows that are not events listed by line. */
static void
test_events_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "orders.csv", NULL);
  g_auto(TcCliRun) import = { 0 };
  g_auto(TcCliRun) text = { 0 };
  g_auto(TcCliRun) missing = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *rejected;

  g_assert_true (g_file_set_contents (path,
                                      "phone,event,date,order_id,total,currency\n"
                                      "+12125550101,order_placed,2026-02-20,A1,80,USD\n"
                                      "+12125550101,order_placed,someday,A2,10,USD\n",
                                      -1, NULL));
  RUN (f, &import, "events", "import", path, "--json");
  node = parse_line (&import);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "recorded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "repeated"), ==, 0);
  rejected = json_object_get_array_member (object, "rejected");
  g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 0), "line"), ==, 3);

  RUN (f, &text, "events", "import", path);
  assert_ok (&text);
  g_assert_nonnull (strstr (text.out, "1 already recorded"));
  g_assert_nonnull (strstr (text.out, "line 3: column date: “someday”"));

  RUN (f, &missing, "events", "import", "/nonexistent/orders.csv");
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "orders.csv"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/cli-segments/add-count", Fixture, NULL, fixture_set_up, test_add_count,
              fixture_tear_down);
  g_test_add ("/tc/cli-segments/show-list-preview-remove", Fixture, NULL, fixture_set_up,
              test_show_list_preview_remove, fixture_tear_down);
  g_test_add ("/tc/cli-segments/bad-input", Fixture, NULL, fixture_set_up, test_bad_input,
              fixture_tear_down);
  g_test_add ("/tc/cli-segments/at", Fixture, NULL, fixture_set_up, test_at, fixture_tear_down);
  g_test_add ("/tc/cli-segments/help", Fixture, NULL, fixture_set_up, test_help,
              fixture_tear_down);
  g_test_add ("/tc/cli-segments/events", Fixture, NULL, fixture_set_up, test_events,
              fixture_tear_down);
  g_test_add ("/tc/cli-segments/events/import", Fixture, NULL, fixture_set_up, test_events_import,
              fixture_tear_down);
  g_test_add ("/tc/cli-segments/events/bad-input", Fixture, NULL, fixture_set_up,
              test_events_bad_input, fixture_tear_down);

  return g_test_run ();
}
