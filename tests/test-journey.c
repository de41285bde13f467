/* test-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey model (src/journey): validation of whole graphs, table-driven
 * (each kind of problem and valid graphs), the JSON form (round trips of
 * every ready-made journey and of a graph with every node kind, and the
 * errors of bad input naming node, field and value), the editing API, the
 * ready-made journeys and their templates, and the store's versions on a
 * temporary workspace.
 */

#define G_LOG_DOMAIN "test-journey"

#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "tc-journey-library.h"
#include "tc-journey-store.h"
#include "tc-journey.h"
#include "tc-mustache.h"
#include "tc-template-store.h"
#include "tc-test-util.h"
#include "tc-wa-template.h"

/* JSON written with ' for " so that the tables stay readable. */
static char *
quote (const char *text)
{
  char *copy = g_strdup (text);

  g_strdelimit (copy, "'", '"');

  return copy;
}

static TcJourney *
parse_ok (const char *json_with_single_quotes)
{
  g_autofree char *json = quote (json_with_single_quotes);
  g_autoptr(GError) error = NULL;
  TcJourney *journey = tc_journey_new_from_data (json, -1, &error);

  if (journey == NULL)
    g_error ("%s: %s", json, error->message);

  return journey;
}

/* "code:node code:node …" of the problems, in order ("-" for no node). */
static char *
problem_summary (GPtrArray *problems)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const TcJourneyProblem *problem = g_ptr_array_index (problems, i);

      g_assert_nonnull (problem->message);
      g_assert_cmpstr (problem->message, !=, "");
      /* The message names its node. */
      if (problem->node != NULL)
        g_assert_nonnull (strstr (problem->message, problem->node));
      g_string_append_printf (out, "%s%s:%s", i > 0 ? " " : "", problem->code,
                              problem->node != NULL ? problem->node : "-");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
known_templates_cb (const char *kind,
                    const char *name,
                    gpointer    user_data)
{
  return (strcmp (kind, "sms") == 0 && (strcmp (name, "hello") == 0 ||
                                        strcmp (name, "later") == 0)) ||
         (strcmp (kind, "whatsapp") == 0 && strcmp (name, "wa_hello") == 0);
}

#define TRIGGER   "{'id':'t','kind':'trigger','config':{'event':'cart_abandoned'}}"
#define WAIT      "{'id':'w','kind':'wait','config':{'duration':3600}}"
#define SMS       "{'id':'s','kind':'send_sms','config':{'template':'hello','purpose':'promotional'},'ends':['skipped']}"
#define EXIT      "{'id':'e','kind':'exit'}"
#define BASE_NODES TRIGGER "," WAIT "," SMS "," EXIT
#define BASE_EDGES "{'from':'t','port':'next','to':'w'},{'from':'w','port':'next','to':'s'}," \
                   "{'from':'s','port':'sent','to':'e'}"

static const struct
{
  const char *name;
  const char *nodes;
  const char *edges;
  const char *expected;   /* problem_summary() with the template lookup */
} validate_cases[] = {
  { "valid", BASE_NODES, BASE_EDGES, "" },
  { "no trigger", WAIT "," SMS "," EXIT,
    "{'from':'w','port':'next','to':'s'},{'from':'s','port':'sent','to':'e'}",
    "no_trigger:-" },
  { "two triggers",
    BASE_NODES ",{'id':'t2','kind':'trigger','config':{'event':'order_placed'}}",
    BASE_EDGES ",{'from':'t2','port':'next','to':'e'}",
    "several_triggers:t2" },
  { "unreachable",
    BASE_NODES ",{'id':'lost','kind':'exit'}", BASE_EDGES, "unreachable:lost" },
  { "output unconnected",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_sms','config':{'template':'hello','purpose':'promotional'}}," EXIT,
    BASE_EDGES, "output_unconnected:s" },
  { "ends marked instead of an edge",
    TRIGGER ",{'id':'w','kind':'wait','config':{'duration':60},'ends':['next']}",
    "{'from':'t','port':'next','to':'w'}", "" },
  { "cycle without a wait",
    TRIGGER ",{'id':'b','kind':'branch','config':{'condition':{'tag':'vip'}}},"
    "{'id':'u','kind':'update_contact','config':{'action':'add_tag','tag':'vip'}}," EXIT,
    "{'from':'t','port':'next','to':'b'},{'from':'b','port':'yes','to':'e'},"
    "{'from':'b','port':'no','to':'u'},{'from':'u','port':'next','to':'b'}",
    "cycle_without_wait:b" },
  { "cycle with a wait",
    TRIGGER ",{'id':'b','kind':'branch','config':{'condition':{'tag':'vip'}}}," WAIT "," EXIT,
    "{'from':'t','port':'next','to':'b'},{'from':'b','port':'yes','to':'e'},"
    "{'from':'b','port':'no','to':'w'},{'from':'w','port':'next','to':'b'}",
    "" },
  { "cycle with a wait for an event",
    TRIGGER ",{'id':'f','kind':'wait_for_event','config':{'event':'order_placed','within':600}}," EXIT ","
    "{'id':'u','kind':'update_contact','config':{'action':'add_tag','tag':'nudged'}}",
    "{'from':'t','port':'next','to':'f'},{'from':'f','port':'happened','to':'e'},"
    "{'from':'f','port':'timed_out','to':'u'},{'from':'u','port':'next','to':'f'}",
    "" },
  { "send without a template",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_sms','config':{'template':'','purpose':'promotional'},'ends':['skipped']}," EXIT,
    BASE_EDGES, "no_template:s" },
  { "template that does not exist",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_sms','config':{'template':'nope','purpose':'promotional'},'ends':['skipped']}," EXIT,
    BASE_EDGES, "template_missing:s" },
  { "template of the other kind",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_whatsapp','config':{'template':'hello','purpose':'promotional'},'ends':['skipped']}," EXIT,
    BASE_EDGES, "template_missing:s" },
  { "fallback without a template",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_whatsapp','config':{'template':'wa_hello','purpose':'promotional',"
    "'fallback':{'template':'','on':['not_delivered'],'after_minutes':30}},'ends':['skipped']}," EXIT,
    BASE_EDGES, "no_template:s" },
  { "preferred channel with both templates",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_preferred','config':{'sms_template':'later','whatsapp_template':'wa_hello',"
    "'purpose':'transactional'},'ends':['skipped']}," EXIT,
    BASE_EDGES, "" },
  { "preferred channel missing one",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_preferred','config':{'sms_template':'hello','whatsapp_template':'',"
    "'purpose':'transactional'},'ends':['skipped']}," EXIT,
    BASE_EDGES, "no_template:s" },
  { "no purpose",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_sms','config':{'template':'hello'},'ends':['skipped']}," EXIT,
    BASE_EDGES, "no_purpose:s" },
  { "promotional without consent",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_sms','config':{'template':'hello','purpose':'promotional',"
    "'require_consent':false},'ends':['skipped']}," EXIT,
    BASE_EDGES, "no_consent:s" },
  { "transactional without consent",
    TRIGGER "," WAIT ",{'id':'s','kind':'send_sms','config':{'template':'hello','purpose':'transactional',"
    "'require_consent':false},'ends':['skipped']}," EXIT,
    BASE_EDGES, "" },
  { "split not adding up",
    TRIGGER ",{'id':'ab','kind':'split','config':{'branches':[{'name':'A','percent':60},{'name':'B','percent':30}]}}," EXIT,
    "{'from':'t','port':'next','to':'ab'},{'from':'ab','port':'A','to':'e'},{'from':'ab','port':'B','to':'e'}",
    "split_total:ab" },
  { "split adding up",
    TRIGGER ",{'id':'ab','kind':'split','config':{'branches':[{'name':'A','percent':33.5},{'name':'B','percent':66.5}]}}," EXIT,
    "{'from':'t','port':'next','to':'ab'},{'from':'ab','port':'A','to':'e'},{'from':'ab','port':'B','to':'e'}",
    "" },
  { "several problems",
    TRIGGER ",{'id':'s','kind':'send_sms','config':{'template':''}}," EXIT ",{'id':'x','kind':'exit'}",
    "{'from':'t','port':'next','to':'s'}",
    "output_unconnected:s output_unconnected:s no_template:s no_purpose:s unreachable:e unreachable:x" },
};

static void
test_validate_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (validate_cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name':'Case','nodes':[%s],'edges':[%s]}",
                                               validate_cases[i].nodes, validate_cases[i].edges);
      g_autoptr(TcJourney) journey = parse_ok (json);
      g_autoptr(GPtrArray) problems = tc_journey_validate (journey, known_templates_cb, NULL);
      g_autofree char *summary = problem_summary (problems);

      g_test_message ("%s", validate_cases[i].name);
      g_assert_cmpstr (summary, ==, validate_cases[i].expected);
    }
}

/* Without a template lookup, names are not checked, only that they are
 * there. */
static void
test_validate_without_lookup (void)
{
  g_autoptr(TcJourney) journey = parse_ok (
    "{'name':'X','nodes':[" TRIGGER "," WAIT ","
    "{'id':'s','kind':'send_sms','config':{'template':'nope','purpose':'promotional'},'ends':['skipped']}," EXIT
    "],'edges':[" BASE_EDGES "]}");
  g_autoptr(GPtrArray) problems = tc_journey_validate (journey, NULL, NULL);
  g_autoptr(GPtrArray) checked = tc_journey_validate (journey, known_templates_cb, NULL);

  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (checked->len, ==, 1);
}

/* ------------------------------------------------------------------------
 * JSON
 */

static void
assert_round_trip (TcJourney *journey)
{
  g_autofree char *first = tc_journey_to_string (journey);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) again = tc_journey_new_from_data (first, -1, &error);
  g_autofree char *second = NULL;
  guint days_a = 0;
  guint days_b = 0;

  g_assert_no_error (error);
  second = tc_journey_to_string (again);
  g_assert_cmpstr (first, ==, second);

  g_assert_cmpstr (tc_journey_get_name (again), ==, tc_journey_get_name (journey));
  g_assert_cmpuint (tc_journey_get_n_nodes (again), ==, tc_journey_get_n_nodes (journey));
  g_assert_cmpuint (tc_journey_get_n_edges (again), ==, tc_journey_get_n_edges (journey));
  g_assert_cmpuint (tc_journey_get_n_goals (again), ==, tc_journey_get_n_goals (journey));
  g_assert_cmpint (tc_journey_get_reentry (again, &days_a), ==,
                   tc_journey_get_reentry (journey, &days_b));
  g_assert_cmpuint (days_a, ==, days_b);
  for (guint i = 0; i < tc_journey_get_n_nodes (journey); i++)
    {
      const TcJourneyNode *a = tc_journey_get_node (journey, i);
      const TcJourneyNode *b = tc_journey_lookup_node (again, a->id);

      g_assert_nonnull (b);
      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpfloat (a->x, ==, b->x);
      g_assert_cmpfloat (a->y, ==, b->y);
      g_assert_cmpstr (a->label, ==, b->label);
      g_assert_true (json_object_equal (a->config, b->config));
    }
}

static void
test_json_round_trip (void)
{
  g_autoptr(TcJourney) every_kind = parse_ok (
    "{'format':'textcast.journey','format_version':1,'name':'Every kind',"
    "'description':'All of them','reentry':{'policy':'once_per_days','days':30},"
    "'goals':[{'event':'order_placed','filters':[{'property':'value','op':'gte','value':20}]},"
    "         {'event':'subscribed'}],"
    "'nodes':["
    " {'id':'t','kind':'trigger','label':'Start','x':-12.25,'y':0.1,"
    "  'config':{'event':'back_in_stock','product':'sku-1',"
    "            'filters':[{'property':'size','op':'equals','value':'M'},{'property':'vip','op':'exists'}]}},"
    " {'id':'w','kind':'wait','x':1e3,'y':2,'config':{'until':{'from':'09:00','to':'18:30','days':['mon','fri']}}},"
    " {'id':'f','kind':'wait_for_event','config':{'event':'order_placed','within':86400}},"
    " {'id':'sms','kind':'send_sms','config':{'template':'hello','purpose':'promotional',"
    "   'fallback':{'template':'wa_hello','on':['not_delivered','no_consent'],'after_minutes':30}}},"
    " {'id':'wa','kind':'send_whatsapp','config':{'template':'wa_hello','purpose':'promotional',"
    "   'require_consent':true,'session_body':'Hi {{first_name}}',"
    "   'fallback':{'template':'hello','on':['not_on_whatsapp']}},'ends':['skipped']},"
    " {'id':'p','kind':'send_preferred','config':{'sms_template':'hello','whatsapp_template':'wa_hello',"
    "   'purpose':'transactional'},'ends':['skipped']},"
    " {'id':'b','kind':'branch','config':{'condition':{'field':'attributes.plan','op':'equals','value':'gold'}}},"
    " {'id':'ab','kind':'split','config':{'branches':[{'name':'A','percent':50},{'name':'B','percent':50}]}},"
    " {'id':'u','kind':'update_contact','config':{'action':'set_attribute','attribute':'stage','value':'won'}},"
    " {'id':'e','kind':'exit','label':'Fin – “done”'}],"
    "'edges':[{'from':'t','port':'next','to':'w'},{'from':'w','port':'next','to':'f'},"
    " {'from':'f','port':'happened','to':'e'},{'from':'f','port':'timed_out','to':'sms'},"
    " {'from':'sms','port':'sent','to':'wa'},{'from':'sms','port':'skipped','to':'p'},"
    " {'from':'wa','port':'sent','to':'b'},{'from':'p','port':'sent','to':'b'},"
    " {'from':'b','port':'yes','to':'ab'},{'from':'b','port':'no','to':'e'},"
    " {'from':'ab','port':'A','to':'u'},{'from':'ab','port':'B','to':'e'},"
    " {'from':'u','port':'next','to':'e'}]}");
  g_autoptr(GPtrArray) problems = tc_journey_validate (every_kind, known_templates_cb, NULL);
  g_autofree char *summary = problem_summary (problems);

  g_assert_cmpstr (summary, ==, "");
  assert_round_trip (every_kind);

  for (guint i = 0; i < tc_journey_library_get_n_entries (); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcJourney) journey = tc_journey_library_build (tc_journey_library_get_entry (i)->name,
                                                               &error);

      g_assert_no_error (error);
      assert_round_trip (journey);
    }
}

static const struct
{
  const char *json;
  const char *message;  /* a part of the error message */
} import_errors[] = {
  { "{'name':'X','nodes':[{'id':'wait-1','kind':'wait','config':{'duration':-5}}]}",
    "node “wait-1”: “duration” must be a positive number of seconds, got “-5”" },
  { "{'name':'X','nodes':[{'id':'wait-1','kind':'wait','config':{'duration':'an hour'}}]}",
    "node “wait-1”: “duration” must be a positive number of seconds, got “an hour”" },
  { "{'name':'X','nodes':[{'id':'wait-1','kind':'wait','config':{'duration':1.5}}]}",
    "node “wait-1”: “duration” must be a positive number of seconds, got “1.5”" },
  { "{'name':'X','nodes':[{'id':'w','kind':'wait','config':{'duration':60,'until':{'from':'09:00'}}}]}",
    "node “w”: “duration” or “until” is needed" },
  { "{'name':'X','nodes':[{'id':'w','kind':'wait','config':{'until':{'from':'25:00'}}}]}",
    "node “w”: “until.from” must be a time of day as HH:MM (00:00 to 23:59), got “25:00”" },
  { "{'name':'X','nodes':[{'id':'w','kind':'wait','config':{'until':{'from':'09:00','days':['mon','mon']}}}]}",
    "node “w”: “until.days[1]” is named twice, got “mon”" },
  { "{'name':'X','nodes':[{'id':'n1','kind':'teleport','config':{}}]}",
    "node “n1”: “kind” must be one of: trigger, wait" },
  { "{'name':'X','nodes':[{'id':'n1','kind':'exit'},{'id':'n1','kind':'exit'}]}",
    "“id” is the id of another node, got “n1”" },
  { "{'name':'X','nodes':[{'id':'bad id','kind':'exit'}]}",
    "“nodes[0].id” must be 1 to 64 characters" },
  { "{'name':'X','nodes':[{'id':'s','kind':'send_sms','config':{'template':'a','tempalte':'b'}}]}",
    "node “s”: “tempalte” is not a setting this can have" },
  { "{'name':'X','nodes':[{'id':'s','kind':'send_sms','config':{'template':'a','purpose':'spam'}}]}",
    "node “s”: “purpose” must be one of: promotional, transactional, got “spam”" },
  { "{'name':'X','nodes':[{'id':'s','kind':'send_sms','config':{'template':'a','fallback':{'template':'b','on':['not_on_whatsapp']}}}]}",
    "node “s”: “fallback.on[0]” must be one of: not_delivered, no_consent (each once), got “not_on_whatsapp”" },
  { "{'name':'X','nodes':[{'id':'s','kind':'send_whatsapp','config':{'template':'a','fallback':{'template':'b','on':['not_delivered']}}}]}",
    "node “s”: “fallback.after_minutes” must be a number of minutes from 1 to 10080" },
  { "{'name':'X','nodes':[{'id':'t','kind':'trigger','config':{'event':'opted_in'}}]}",
    "node “t”: “channel” is missing (one of: sms, whatsapp)" },
  { "{'name':'X','nodes':[{'id':'t','kind':'trigger','config':{'event':'order_placed','channel':'sms'}}]}",
    "node “t”: “channel” does not go with the event “order_placed”" },
  { "{'name':'X','nodes':[{'id':'t','kind':'trigger','config':{'event':'Order Placed'}}]}",
    "node “t”: “event” must be an event name of 1 to 64 characters" },
  { "{'name':'X','nodes':[{'id':'t','kind':'trigger','config':{'event':'x','filters':[{'property':'v','op':'gt','value':'ten'}]}}]}",
    "node “t”: “filters[0].value” must be a number for “gt”, got “ten”" },
  { "{'name':'X','nodes':[{'id':'ab','kind':'split','config':{'branches':[{'name':'A','percent':150},{'name':'B','percent':0}]}}]}",
    "node “ab”: “branches[0].percent” must be a number from 0 to 100, got “150”" },
  { "{'name':'X','nodes':[{'id':'ab','kind':'split','config':{'branches':[{'name':'A','percent':50},{'name':'A','percent':50}]}}]}",
    "node “ab”: “branches[1].name” is the name of another branch, got “A”" },
  { "{'name':'X','nodes':[{'id':'b','kind':'branch','config':{'condition':{'tag':'vip','last_message':'read'}}}]}",
    "node “b”: “condition” has both “tag” and “last_message”" },
  { "{'name':'X','nodes':[{'id':'b','kind':'branch','config':{'condition':{'field':'shoe_size','op':'equals','value':'9'}}}]}",
    "node “b”: “condition.field” must be one of first_name" },
  { "{'name':'X','nodes':[{'id':'u','kind':'update_contact','config':{'action':'add_tag','tag':'  '}}]}",
    "node “u”: “tag” must not be empty" },
  { "{'name':'X','nodes':[{'id':'e','kind':'exit','x':'left'}]}",
    "node “e”: “x” must be a number, got “left”" },
  { "{'name':'X','nodes':[{'id':'e','kind':'exit','x':1e300}]}",
    "node “e”: “x” must be a position from -1000000 to 1000000" },
  { "{'name':'X','nodes':[{'id':'e','kind':'exit','ends':['next']}]}",
    "node “e”: “ends[0]” must be one of the node’s outputs: , got “next”" },
  { "{'name':'X','nodes':[{'id':'e','kind':'exit'}],'edges':[{'from':'e','port':'next','to':'ghost'}]}",
    "node “e”: “to” is not the id of a node, got “ghost”" },
  { "{'name':'X','nodes':[{'id':'w','kind':'wait','config':{'duration':1}},{'id':'e','kind':'exit'}],"
    "'edges':[{'from':'w','port':'yes','to':'e'}]}",
    "node “w”: “port” must be one of the node’s outputs: next, got “yes”" },
  { "{'name':'X','nodes':[{'id':'w','kind':'wait','config':{'duration':1}},{'id':'e','kind':'exit'}],"
    "'edges':[{'from':'w','port':'next','to':'e'},{'from':'w','port':'next','to':'e'}]}",
    "node “w”: “port” has two edges; an output leads to one node, got “next”" },
  { "{'name':'X','nodes':[{'id':'t','kind':'trigger','config':{'event':'x'}},{'id':'w','kind':'wait','config':{'duration':1}}],"
    "'edges':[{'from':'w','port':'next','to':'t'}]}",
    "node “w”: “to” is the trigger; nothing leads into a trigger, got “t”" },
  { "{'name':'X','nodes':[{'id':'w','kind':'wait','config':{'duration':1}}],'edges':[{'from':'w','port':'next','to':'w'}]}",
    "node “w”: “to” is the node itself" },
  { "{'name':'X','reentry':{'policy':'once_per_days','days':0}}",
    "“reentry.days” must be a number of days from 1 to 3650, got “0”" },
  { "{'name':'X','reentry':{'policy':'once','days':3}}",
    "“reentry.days” goes with the policy “once_per_days” only, got “3”" },
  { "{'name':'X','goals':[{'event':'order placed'}]}",
    "“goals[0].event” must be an event name" },
  { "{'nodes':[]}", "“name” is missing" },
  { "{'name':'X','format':'something.else'}", "“format” must be “textcast.journey”" },
  { "{'name':'X','format_version':2}", "“format_version” must be 1" },
  { "{'name':'X','colour':'red'}", "“colour” is not a setting this can have" },
  { "[1,2]", "“journey” must be a JSON object" },
  { "{'name':'a\\ud800b'}", "“journey” holds text that is not valid UTF-8" },
  { "{'name':'X','nodes':[{'id':'t','kind':'trigger','label':'\\udc00','config':{'event':'x'}}]}",
    "The journey is not valid JSON" },
  { "{'name':", "The journey is not valid JSON" },
  { "", "The journey is empty" },
};

static void
test_json_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (import_errors); i++)
    {
      g_autofree char *json = quote (import_errors[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(TcJourney) journey = tc_journey_new_from_data (json, -1, &error);

      g_test_message ("%s", json);
      g_assert_null (journey);
      g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (strstr (error->message, import_errors[i].message) == NULL)
        g_error ("“%s” is not in “%s”", import_errors[i].message, error->message);
    }
}

static void
test_json_limits (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) big = g_string_new ("{\"name\":\"");
  g_autoptr(GString) many = g_string_new ("{\"name\":\"X\",\"nodes\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = NULL;
  const char nul_inside[] = "{\"name\":\"a\0b\"}";

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  journey = tc_journey_new_from_data (deep->str, deep->len, &error);
  g_assert_null (journey);
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nests deeper than 32 levels"));
  g_clear_error (&error);

  while (big->len <= TC_JOURNEY_MAX_JSON_BYTES)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  journey = tc_journey_new_from_data (big->str, big->len, &error);
  g_assert_null (journey);
  g_assert_nonnull (strstr (error->message, "a journey is at most 1048576 bytes"));
  g_clear_error (&error);

  for (guint i = 0; i <= TC_JOURNEY_MAX_NODES; i++)
    g_string_append_printf (many, "%s{\"id\":\"e%u\",\"kind\":\"exit\"}", i > 0 ? "," : "", i);
  g_string_append (many, "]}");
  journey = tc_journey_new_from_data (many->str, many->len, &error);
  g_assert_null (journey);
  g_assert_nonnull (strstr (error->message, "“nodes” has more than 500 nodes"));
  g_clear_error (&error);

  journey = tc_journey_new_from_data (nul_inside, sizeof nul_inside - 1, &error);
  g_assert_null (journey);
  g_assert_nonnull (strstr (error->message, "not UTF-8 text"));
}

/* ------------------------------------------------------------------------
 * Editing
 */

static void
on_changed_cb (TcJourney *journey,
               guint     *count)
{
  (*count)++;
}

static void
test_edit (void)
{
  g_autoptr(TcJourney) journey = tc_journey_new ("Edited");
  g_autoptr(TcJourney) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) three_way = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_auto(GStrv) ports = NULL;
  const TcJourneyNode *node;
  const char *trigger;
  const char *wait;
  const char *wait2;
  const char *split;
  const char *exit_id;
  guint changes = 0;

  g_signal_connect (journey, "changed", G_CALLBACK (on_changed_cb), &changes);

  trigger = tc_journey_add_node (journey, NULL, TC_JOURNEY_NODE_TRIGGER, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trigger, ==, "trigger-1");
  wait = tc_journey_add_node (journey, NULL, TC_JOURNEY_NODE_WAIT, "Pause", 0, 100, NULL, &error);
  wait2 = tc_journey_add_node (journey, NULL, TC_JOURNEY_NODE_WAIT_FOR_EVENT, NULL, 0, 200, NULL,
                               &error);
  split = tc_journey_add_node (journey, "ab", TC_JOURNEY_NODE_SPLIT, NULL, 0, 300, NULL, &error);
  exit_id = tc_journey_add_node (journey, NULL, TC_JOURNEY_NODE_EXIT, NULL, 0, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wait, ==, "wait-1");
  g_assert_cmpstr (wait2, ==, "wait-for-event-1");
  g_assert_cmpstr (split, ==, "ab");
  g_assert_cmpuint (changes, ==, 5);

  /* A taken id, a bad one, a config that does not check. */
  g_assert_null (tc_journey_add_node (journey, "ab", TC_JOURNEY_NODE_EXIT, NULL, 0, 0, NULL, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_clear_error (&error);
  parsed = json_from_string ("{\"duration\":0}", NULL);
  g_assert_null (tc_journey_add_node (journey, NULL, TC_JOURNEY_NODE_WAIT, NULL, 0, 0,
                                      json_node_get_object (parsed), &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "node “wait-2”: “duration”"));
  g_clear_error (&error);
  g_assert_cmpuint (tc_journey_get_n_nodes (journey), ==, 5);
  g_assert_cmpuint (changes, ==, 5);

  g_assert_true (tc_journey_connect (journey, trigger, "next", wait, &error));
  g_assert_true (tc_journey_connect (journey, wait, "next", wait2, &error));
  g_assert_true (tc_journey_connect (journey, wait2, "happened", exit_id, &error));
  g_assert_true (tc_journey_connect (journey, wait2, "timed_out", split, &error));
  g_assert_true (tc_journey_connect (journey, split, "A", exit_id, &error));
  g_assert_true (tc_journey_connect (journey, split, "B", exit_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, 6);

  /* Reconnecting a port replaces its edge; bad ports and targets. */
  g_assert_true (tc_journey_connect (journey, wait2, "happened", split, &error));
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, 6);
  g_assert_cmpstr (tc_journey_lookup_edge (journey, wait2, "happened")->to, ==, "ab");
  g_assert_false (tc_journey_connect (journey, wait, "yes", exit_id, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tc_journey_connect (journey, wait, "next", trigger, &error));
  g_clear_error (&error);
  g_assert_false (tc_journey_connect (journey, wait, "next", "nowhere", &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Move, label, and the deep copy stays as it was. */
  copy = tc_journey_dup (journey);
  g_assert_true (tc_journey_move_node (journey, wait, 40.5, -8, &error));
  g_assert_true (tc_journey_set_node_label (journey, wait, "Rest", &error));
  g_assert_false (tc_journey_move_node (journey, wait, NAN, 0, &error));
  g_clear_error (&error);
  node = tc_journey_lookup_node (journey, wait);
  g_assert_cmpfloat (node->x, ==, 40.5);
  g_assert_cmpfloat (node->y, ==, -8);
  g_assert_cmpstr (node->label, ==, "Rest");
  node = tc_journey_lookup_node (copy, "wait-1");
  g_assert_cmpfloat (node->x, ==, 0);
  g_assert_cmpstr (node->label, ==, "Pause");
  g_assert_cmpuint (tc_journey_get_n_edges (copy), ==, 6);

  /* A split with three branches gains a port; with two again the edge
   * from the third goes. */
  three_way = json_object_new ();
  {
    g_autoptr(JsonNode) branches = json_from_string (
      "[{\"name\":\"A\",\"percent\":40},{\"name\":\"B\",\"percent\":30},"
      "{\"name\":\"C\",\"percent\":30}]", NULL);

    json_object_set_member (three_way, "branches", g_steal_pointer (&branches));
  }
  g_assert_true (tc_journey_set_node_config (journey, split, three_way, &error));
  g_assert_no_error (error);
  ports = tc_journey_node_dup_ports (tc_journey_lookup_node (journey, split));
  g_assert_cmpuint (g_strv_length (ports), ==, 3);
  g_assert_true (tc_journey_connect (journey, split, "C", exit_id, &error));
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, 7);
  {
    g_autoptr(JsonObject) two_way = tc_journey_node_default_config (TC_JOURNEY_NODE_SPLIT);

    g_assert_true (tc_journey_set_node_config (journey, split, two_way, &error));
  }
  g_assert_null (tc_journey_lookup_edge (journey, split, "C"));
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, 6);

  /* Ending a port removes its edge; connecting it clears the mark. */
  g_assert_true (tc_journey_set_port_ends (journey, split, "B", TRUE, &error));
  g_assert_null (tc_journey_lookup_edge (journey, split, "B"));
  g_assert_true (tc_journey_node_port_ends (tc_journey_lookup_node (journey, split), "B"));
  g_assert_true (tc_journey_connect (journey, split, "B", exit_id, &error));
  g_assert_false (tc_journey_node_port_ends (tc_journey_lookup_node (journey, split), "B"));

  {
    g_autoptr(GPtrArray) problems = tc_journey_validate (journey, NULL, NULL);
    g_autofree char *summary = problem_summary (problems);

    g_assert_cmpstr (summary, ==, "");
  }

  /* Removing a node takes its edges. */
  g_assert_true (tc_journey_disconnect (journey, split, "A"));
  g_assert_false (tc_journey_disconnect (journey, split, "A"));
  g_assert_true (tc_journey_remove_node (journey, exit_id, &error));
  g_assert_null (tc_journey_lookup_node (journey, exit_id));
  g_assert_null (tc_journey_lookup_edge (journey, split, "B"));
  g_assert_cmpuint (tc_journey_get_n_edges (journey), ==, 4);
  g_assert_false (tc_journey_remove_node (journey, exit_id, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND);
  g_assert_cmpuint (tc_journey_get_n_nodes (copy), ==, 5);
}

/* ------------------------------------------------------------------------
 * Ready-made journeys
 */

static gboolean
library_templates_cb (const char *kind,
                      const char *name,
                      gpointer    user_data)
{
  GPtrArray *templates = user_data;

  for (guint i = 0; i < templates->len; i++)
    {
      TcTemplate *template = g_ptr_array_index (templates, i);

      if (strcmp (tc_template_kind_to_string (tc_template_get_kind (template)), kind) == 0 &&
          strcmp (tc_template_get_name (template), name) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_library (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (tc_journey_library_get_n_entries (), ==, 5);
  g_assert_null (tc_journey_library_lookup ("nope"));
  g_assert_null (tc_journey_library_build ("nope", &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (guint i = 0; i < tc_journey_library_get_n_entries (); i++)
    {
      const char *name = tc_journey_library_get_entry (i)->name;
      g_autoptr(TcJourney) journey = tc_journey_library_build (name, &error);
      g_autoptr(GPtrArray) templates = tc_journey_library_dup_templates (name);
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) without = NULL;
      g_autoptr(GPtrArray) none = g_ptr_array_new ();
      g_autofree char *summary = NULL;

      g_test_message ("%s", name);
      g_assert_no_error (error);
      g_assert_nonnull (tc_journey_get_trigger (journey));
      g_assert_cmpuint (templates->len, >=, 1);

      /* Clean with its own templates, and every send named without them. */
      problems = tc_journey_validate (journey, library_templates_cb, templates);
      summary = problem_summary (problems);
      g_assert_cmpstr (summary, ==, "");
      without = tc_journey_validate (journey, library_templates_cb, none);
      g_assert_cmpuint (without->len, ==, templates->len);
      for (guint p = 0; p < without->len; p++)
        g_assert_cmpstr (((TcJourneyProblem *) g_ptr_array_index (without, p))->code, ==,
                         "template_missing");

      for (guint t = 0; t < templates->len; t++)
        {
          TcTemplate *template = g_ptr_array_index (templates, t);

          if (tc_template_get_kind (template) == TC_TEMPLATE_KIND_WHATSAPP)
            {
              g_autoptr(JsonNode) node = json_from_string (tc_template_get_definition (template),
                                                           &error);
              g_autoptr(TcWaTemplate) model = NULL;
              g_autoptr(GPtrArray) wa_problems = NULL;

              g_assert_no_error (error);
              model = tc_wa_template_new_from_json (node, &error);
              g_assert_no_error (error);
              if (!tc_wa_template_validate (model, &wa_problems, &error))
                g_error ("%s: %s", tc_template_get_name (template), error->message);
              g_assert_cmpuint (wa_problems != NULL ? wa_problems->len : 0, ==, 0);
            }
          else
            {
              g_autoptr(TcMustacheTemplate) parsed = tc_mustache_parse (tc_template_get_body (template),
                                                                        -1, &error);

              g_assert_no_error (error);
              g_assert_nonnull (parsed);
            }
        }
    }

  /* The cart journey as the issue draws it. */
  {
    g_autoptr(TcJourney) cart = tc_journey_library_build ("cart_abandonment", &error);
    const TcJourneyNode *node = tc_journey_get_trigger (cart);
    const TcJourneyEdge *edge;

    g_assert_cmpstr (json_object_get_string_member (node->config, "event"), ==, "cart_abandoned");
    edge = tc_journey_lookup_edge (cart, node->id, "next");
    node = tc_journey_lookup_node (cart, edge->to);
    g_assert_cmpint (node->kind, ==, TC_JOURNEY_NODE_WAIT);
    g_assert_cmpint (json_object_get_int_member (node->config, "duration"), ==, 3600);
    node = tc_journey_lookup_node (cart, tc_journey_lookup_edge (cart, node->id, "next")->to);
    g_assert_cmpint (node->kind, ==, TC_JOURNEY_NODE_SEND_SMS);
    node = tc_journey_lookup_node (cart, tc_journey_lookup_edge (cart, node->id, "sent")->to);
    g_assert_cmpint (json_object_get_int_member (node->config, "duration"), ==, 23 * 3600);
    node = tc_journey_lookup_node (cart, tc_journey_lookup_edge (cart, node->id, "next")->to);
    g_assert_cmpint (node->kind, ==, TC_JOURNEY_NODE_BRANCH);
    g_assert_cmpint (tc_journey_lookup_node (cart, tc_journey_lookup_edge (cart, node->id, "yes")->to)->kind,
                     ==, TC_JOURNEY_NODE_EXIT);
    g_assert_cmpint (tc_journey_lookup_node (cart, tc_journey_lookup_edge (cart, node->id, "no")->to)->kind,
                     ==, TC_JOURNEY_NODE_SEND_WHATSAPP);
    g_assert_cmpuint (tc_journey_get_n_goals (cart), ==, 1);
    g_assert_cmpstr (tc_journey_get_goal (cart, 0)->event, ==, "order_placed");
  }
}

/* ------------------------------------------------------------------------
 * The store
 */

typedef struct
{
  TcTestRepo t;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->t, "tc-journey-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->t);
}

static TcJourney *
get_journey (Fixture *f,
             gint64   id,
             int      version,
             GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_journey_store_get_async (f->t.repo, id, version, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_journey_store_get_finish (f->t.repo, result, error);
}

static gboolean
activate (Fixture    *f,
          gint64      id,
          int        *version,
          GPtrArray **problems,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_journey_store_activate_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_journey_store_activate_finish (f->t.repo, result, version, problems, error);
}

static GPtrArray *
list_journeys (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  tc_journey_store_list_async (f->t.repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  list = tc_journey_store_list_finish (f->t.repo, result, &error);
  g_assert_no_error (error);

  return list;
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  return tc_test_sql_int (path, sql);
}

static void
test_store_versions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(TcJourney) v1 = NULL;
  g_autoptr(TcJourney) v2 = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) created = NULL;
  const TcJourneyInfo *info;
  sqlite3 *db = NULL;
  char *sql_error = NULL;
  gint64 id;
  int version = 0;

  g_assert_cmpint (raw_int (f->t.path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);

  /* From the library: the templates come too, once. */
  tc_journey_library_create_async (f->t.repo, "cart_abandonment", NULL,
                                   tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  id = tc_journey_library_create_finish (f->t.repo, result, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpuint (g_strv_length (created), ==, 2);
  g_assert_cmpstr (created[0], ==, "sms:cart_reminder_sms");
  g_assert_cmpstr (created[1], ==, "whatsapp:cart_followup_whatsapp");
  g_clear_object (&result);
  g_clear_pointer (&created, g_strfreev);
  tc_journey_library_create_async (f->t.repo, "cart_abandonment", NULL,
                                   tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_journey_library_create_finish (f->t.repo, result, &created, &error), ==, 2);
  g_assert_cmpuint (g_strv_length (created), ==, 0);
  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM templates"), ==, 2);
  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM templates WHERE kind = 'whatsapp'"
                                       " AND status = 'draft'"), ==, 1);
  g_clear_object (&result);

  journey = get_journey (f, id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_journey_get_id (journey), ==, id);
  g_assert_cmpint (tc_journey_get_version (journey), ==, 1);
  g_assert_cmpint (tc_journey_get_state (journey), ==, TC_JOURNEY_DRAFT);

  /* A draft is edited in place. */
  g_assert_true (tc_journey_move_node (journey, "wait-1h", 10, 130, &error));
  tc_journey_store_save_async (f->t.repo, journey, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_journey_store_save_finish (f->t.repo, result, &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_true (activate (f, id, &version, &problems, &error));
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_cmpint (version, ==, 1);

  /* Editing the active journey makes version 2; version 1 stays. */
  g_assert_true (tc_journey_move_node (journey, "wait-1h", 99, 140, &error));
  tc_journey_set_name (journey, "Cart, edited");
  tc_journey_store_save_async (f->t.repo, journey, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_journey_store_save_finish (f->t.repo, result, &error), ==, 2);
  g_clear_object (&result);
  /* Saving again changes version 2, which is not active yet. */
  tc_journey_store_save_async (f->t.repo, journey, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_journey_store_save_finish (f->t.repo, result, &error), ==, 2);
  g_clear_object (&result);

  v1 = get_journey (f, id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_journey_get_version (v1), ==, 1);
  g_assert_cmpstr (tc_journey_get_name (v1), ==, "Cart abandonment");
  g_assert_cmpfloat (tc_journey_lookup_node (v1, "wait-1h")->x, ==, 10);
  g_assert_cmpint (tc_journey_get_state (v1), ==, TC_JOURNEY_ACTIVE);
  v2 = get_journey (f, id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_journey_get_version (v2), ==, 2);
  g_assert_cmpstr (tc_journey_get_name (v2), ==, "Cart, edited");
  g_assert_cmpfloat (tc_journey_lookup_node (v2, "wait-1h")->x, ==, 99);
  g_assert_null (get_journey (f, id, 3, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "has no version 3"));
  g_clear_error (&error);
  g_assert_null (get_journey (f, 77, 0, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = list_journeys (f);
  g_assert_cmpuint (list->len, ==, 2);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpint (tc_journey_get_version (info->journey), ==, 2);
  g_assert_cmpint (info->active_version, ==, 1);
  g_assert_cmpstr (info->origin, ==, "cart_abandonment");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* An activated version is never edited, even by hand. */
  g_assert_cmpint (sqlite3_open (f->t.path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE journey_versions SET graph = '{}'"
                                     " WHERE journey_id = 1 AND version = 1",
                                 NULL, NULL, &sql_error), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sql_error, "never edited"));
  sqlite3_free (sql_error);
  sqlite3_close (db);

  /* Publishing version 2. */
  g_assert_true (activate (f, id, &version, &problems, &error));
  g_assert_cmpint (version, ==, 2);
  list = list_journeys (f);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpint (info->active_version, ==, 2);
  g_assert_cmpint (tc_journey_get_state (info->journey), ==, TC_JOURNEY_ACTIVE);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Pause: only what is not a draft. */
  tc_journey_store_pause_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_store_pause_finish (f->t.repo, result, &error));
  g_clear_object (&result);
  tc_journey_store_pause_async (f->t.repo, 2, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_false (tc_journey_store_pause_finish (f->t.repo, result, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_STATE);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM journeys WHERE state = 'paused'"), ==, 1);
}

static void
test_store_activate_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *summary = NULL;
  gint64 id;
  int version = -1;

  /* Templates that this workspace does not have. */
  journey = tc_journey_library_build ("welcome", &error);
  g_assert_no_error (error);
  tc_journey_store_add_async (f->t.repo, journey, NULL, NULL, tc_repository_store_result_cb,
                              &result);
  tc_repository_wait (&result);
  id = tc_journey_store_add_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  tc_journey_store_validate_async (f->t.repo, journey, NULL, tc_repository_store_result_cb,
                                   &result);
  tc_repository_wait (&result);
  problems = tc_journey_store_validate_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  summary = problem_summary (problems);
  g_assert_cmpstr (summary, ==, "template_missing:sms-welcome template_missing:sms-offer");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&summary, g_free);

  g_assert_false (activate (f, id, &version, &problems, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_PROBLEMS);
  g_assert_cmpint (version, ==, 0);
  summary = problem_summary (problems);
  g_assert_cmpstr (summary, ==, "template_missing:sms-welcome template_missing:sms-offer");
  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM journeys WHERE state = 'draft'"
                                       " AND active_version IS NULL"), ==, 1);
  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM journey_versions"
                                       " WHERE activated_at IS NOT NULL"), ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_false (activate (f, 42, &version, &problems, &error));
  g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND);
  g_assert_null (problems);
}

static int
raw_exec (sqlite3    *db,
          const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

/* The enrollments table the runner will use: the re-entry key is unique per
 * journey, the version must exist, the context is JSON, and erasing the
 * contact takes their enrollments. */
static void
test_store_enrollments (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  tc_journey_library_create_async (f->t.repo, "welcome", NULL, tc_repository_store_result_cb,
                                   &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_journey_library_create_finish (f->t.repo, result, NULL, &error), ==, 1);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (f->t.path, &db), ==, SQLITE_OK);
  g_assert_cmpint (raw_exec (db, "PRAGMA foreign_keys = ON;"
                                 "INSERT INTO contacts (id, phone, created_at, updated_at)"
                                 "  VALUES (1, '+12125550101', 0, 0), (2, '+12125550102', 0, 0)"),
                   ==, SQLITE_OK);
  g_assert_cmpint (raw_exec (db, "INSERT INTO journey_enrollments (journey_id, version, contact_id,"
                                 "  node, entry_key, context, entered_at, updated_at, due_at)"
                                 "  VALUES (1, 1, 1, 'sms-welcome', 'c1', '{\"cart_url\":\"x\"}',"
                                 "          100, 100, 160)"), ==, SQLITE_OK);
  /* "Once": the same contact cannot enter again. */
  g_assert_cmpint (raw_exec (db, "INSERT INTO journey_enrollments (journey_id, version, contact_id,"
                                 "  node, entry_key, entered_at, updated_at)"
                                 "  VALUES (1, 1, 1, 'trigger', 'c1', 200, 200)"),
                   ==, SQLITE_CONSTRAINT);
  /* No such version; context that is not JSON; a state that does not exist. */
  g_assert_cmpint (raw_exec (db, "INSERT INTO journey_enrollments (journey_id, version, contact_id,"
                                 "  node, entry_key, entered_at, updated_at)"
                                 "  VALUES (1, 9, 2, 'trigger', 'c2', 200, 200)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "INSERT INTO journey_enrollments (journey_id, version, contact_id,"
                                 "  node, entry_key, context, entered_at, updated_at)"
                                 "  VALUES (1, 1, 2, 'trigger', 'c2', '{oops', 200, 200)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "INSERT INTO journey_enrollments (journey_id, version, contact_id,"
                                 "  node, entry_key, state, entered_at, updated_at)"
                                 "  VALUES (1, 1, 2, 'trigger', 'c2', 'lost', 200, 200)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_exec (db, "INSERT INTO journey_enrollments (journey_id, version, contact_id,"
                                 "  node, entry_key, entered_at, updated_at)"
                                 "  VALUES (1, 1, 2, 'trigger', 'c2', 200, 200)"), ==, SQLITE_OK);
  g_assert_cmpint (raw_exec (db, "DELETE FROM contacts WHERE id = 1"), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM journey_enrollments"), ==, 1);
  g_assert_cmpint (raw_int (f->t.path, "SELECT count(*) FROM journey_enrollments"
                                       " WHERE contact_id = 2 AND state = 'active'"), ==, 1);
}

/* The WhatsApp templates a journey sends, for their approval: each once. */
static void
test_whatsapp_templates (void)
{
  static const char json[] =
    "{\"name\": \"W\", \"nodes\": ["
    " {\"id\": \"t\", \"kind\": \"trigger\", \"config\": {\"event\": \"order_placed\"}},"
    " {\"id\": \"s\", \"kind\": \"send_sms\", \"config\": {\"template\": \"text\","
    "   \"purpose\": \"promotional\", \"fallback\": {\"template\": \"wa_one\", \"on\": [\"no_consent\"]}}},"
    " {\"id\": \"w\", \"kind\": \"send_whatsapp\", \"config\": {\"template\": \"wa_one\","
    "   \"purpose\": \"promotional\", \"fallback\": {\"template\": \"sms_two\", \"on\": [\"no_consent\"]}}},"
    " {\"id\": \"p\", \"kind\": \"send_preferred\", \"config\": {\"sms_template\": \"sms_three\","
    "   \"whatsapp_template\": \"wa_two\", \"purpose\": \"transactional\"}},"
    " {\"id\": \"e\", \"kind\": \"send_whatsapp\", \"config\": {\"template\": \"\","
    "   \"purpose\": \"promotional\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = tc_journey_new_from_data (json, -1, &error);
  g_auto(GStrv) names = NULL;
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  names = tc_journey_dup_whatsapp_templates (journey);
  joined = g_strjoinv (",", names);
  g_assert_cmpstr (joined, ==, "wa_one,wa_two");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/journey/validate/table", test_validate_table);
  g_test_add_func ("/tc/journey/validate/without-lookup", test_validate_without_lookup);
  g_test_add_func ("/tc/journey/json/round-trip", test_json_round_trip);
  g_test_add_func ("/tc/journey/json/errors", test_json_errors);
  g_test_add_func ("/tc/journey/json/limits", test_json_limits);
  g_test_add_func ("/tc/journey/edit", test_edit);
  g_test_add_func ("/tc/journey/library", test_library);
  g_test_add_func ("/tc/journey/whatsapp-templates", test_whatsapp_templates);
  g_test_add ("/tc/journey/store/versions", Fixture, NULL, fixture_set_up, test_store_versions,
              fixture_tear_down);
  g_test_add ("/tc/journey/store/activate-refused", Fixture, NULL, fixture_set_up,
              test_store_activate_refused, fixture_tear_down);
  g_test_add ("/tc/journey/store/enrollments", Fixture, NULL, fixture_set_up,
              test_store_enrollments, fixture_tear_down);

  return g_test_run ();
}
