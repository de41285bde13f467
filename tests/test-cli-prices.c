/* test-cli-prices.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli prices list|set|unset|reset|estimate`, run as a real
 * program on temporary workspaces, and the cost that `send` puts on the
 * outbox row it queues.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-test-util.h"

typedef TcCliWorkspace Fixture;
typedef TcCliRun Run;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_cli_workspace_set_up (f, "tc-cli-prices-XXXXXX");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

static void
run_argv (Fixture            *f,
          Run                *run,
          const char * const *args)
{
  tc_cli_run_argv (f->db, NULL, run, args);
}

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_argv ((f), (run), args_); \
  } G_STMT_END

static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("exit status %d; stderr: %s; stdout: %s", run->status, run->err, run->out);
  g_assert_cmpstr (run->err, ==, "");
}

/* The one line of JSON a command printed, as an object (owned by @parser). */
static JsonObject *
parse_object (const Run  *run,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  assert_ok (run);
  g_assert_true (g_str_has_suffix (run->out, "\n"));
  g_assert_true (strchr (run->out, '\n') == run->out + strlen (run->out) - 1);
  g_assert_true (json_parser_load_from_data (parser, run->out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

#define assert_price(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-9)

/* The entry of @entries for (@country, @channel, @category). */
static JsonObject *
find_entry (JsonArray  *entries,
            const char *country,
            const char *channel,
            const char *category)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *entry_category = json_object_get_null_member (entry, "category")
                                     ? NULL
                                     : json_object_get_string_member (entry, "category");

      if (strcmp (json_object_get_string_member (entry, "country"), country) == 0 &&
          strcmp (json_object_get_string_member (entry, "channel"), channel) == 0 &&
          g_strcmp0 (entry_category, category) == 0)
        return entry;
    }

  g_error ("no entry %s %s %s", country, channel, category ? category : "");
  return NULL;
}

static void
test_list_set_unset (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TcCliRun) set = { 0, };
  g_auto(TcCliRun) set_wa = { 0, };
  g_auto(TcCliRun) list = { 0, };
  g_auto(TcCliRun) one = { 0, };
  g_auto(TcCliRun) text = { 0, };
  g_auto(TcCliRun) unset = { 0, };
  g_auto(TcCliRun) again = { 0, };
  g_auto(TcCliRun) reset = { 0, };
  g_auto(TcCliRun) after = { 0, };
  JsonObject *object;
  JsonObject *entry;
  JsonArray *entries;

  /* `set` makes the workspace, like every command that writes. */
  RUN (f, &set, "prices", "set", "--country", "us", "--channel", "sms", "--price", "0.0079",
       "--json");
  object = parse_object (&set, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
  entry = json_object_get_object_member (object, "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "country"), ==, "US");
  g_assert_cmpstr (json_object_get_string_member (entry, "channel"), ==, "sms");
  g_assert_true (json_object_get_null_member (entry, "category"));
  assert_price (json_object_get_double_member (entry, "price"), 0.0079);
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "custom");
  /* Written the short way, not 0.0079000000000000000. */
  g_assert_nonnull (strstr (set.out, "\"price\":0.0079,"));

  RUN (f, &set_wa, "prices", "set", "--country", "KE", "--channel", "whatsapp", "--category",
       "utility", "--price", "0.01");
  assert_ok (&set_wa);
  g_assert_cmpstr (set_wa.out, ==, "KE utility: 0.0100 USD (yours)\n");

  RUN (f, &list, "prices", "list", "--json");
  object = parse_object (&list, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (object, "as_of"), ==, "2026-11-01");
  g_assert_cmpint (json_object_get_int_member (object, "age_days"), >=, 0);
  entries = json_object_get_array_member (object, "entries");
  g_assert_cmpuint (json_array_get_length (entries), >=, 26 * 5 + 1);
  entry = find_entry (entries, "US", "sms", NULL);
  assert_price (json_object_get_double_member (entry, "price"), 0.0079);
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "custom");
  entry = find_entry (entries, "GB", "whatsapp", "marketing");
  assert_price (json_object_get_double_member (entry, "price"), 0.0529);
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "default");
  entry = find_entry (entries, "KE", "whatsapp", "utility");
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "custom");
  entry = find_entry (entries, "*", "sms", NULL);
  assert_price (json_object_get_double_member (entry, "price"), 0.1);

  /* One country: its own rows, else those of "*". */
  RUN (f, &one, "prices", "list", "--country", "KE", "--json");
  object = parse_object (&one, parser);
  entries = json_object_get_array_member (object, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 5);
  entry = find_entry (entries, "*", "sms", NULL);
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "default");
  entry = find_entry (entries, "KE", "whatsapp", "utility");
  assert_price (json_object_get_double_member (entry, "price"), 0.01);
  entry = find_entry (entries, "*", "whatsapp", "service");
  assert_price (json_object_get_double_member (entry, "price"), 0.0);

  RUN (f, &text, "prices", "list", "--country", "US");
  assert_ok (&text);
  g_assert_true (g_str_has_prefix (text.out, "Prices in USD. Defaults as of 2026-11-01 ("));
  g_assert_nonnull (strstr (text.out, "US:  sms 0.0079 (yours)  marketing 0.0250  utility 0.0040"
                                      "  authentication 0.0135  service 0.0000\n"));

  RUN (f, &unset, "prices", "unset", "--country", "US", "--channel", "sms", "--json");
  object = parse_object (&unset, parser);
  g_assert_true (json_object_get_boolean_member (object, "removed"));
  entry = json_object_get_object_member (object, "entry");
  assert_price (json_object_get_double_member (entry, "price"), 0.0083);
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "default");

  /* Nothing to remove is not an error. */
  RUN (f, &again, "prices", "unset", "--country", "US", "--channel", "sms", "--json");
  object = parse_object (&again, parser);
  g_assert_false (json_object_get_boolean_member (object, "removed"));

  RUN (f, &reset, "prices", "reset", "--json");
  object = parse_object (&reset, parser);
  g_assert_cmpint (json_object_get_int_member (object, "removed"), ==, 1);

  RUN (f, &after, "prices", "list", "--json");
  object = parse_object (&after, parser);
  entries = json_object_get_array_member (object, "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, i),
                                                    "source"), ==, "default");
}

static void
test_estimate (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *long_gsm = g_strnfill (161, 'a');
  g_autoptr(GString) ucs2 = g_string_new (NULL);
  struct {
    const char *to;
    const char *channel;
    const char *category;  /* NULL: not given */
    const char *body;      /* NULL: --segments */
    const char *segments;
    const char *country;
    const char *price_country;
    guint       n_segments;
    double      cost;
  } cases[] = {
    { "+14155552671", "sms", NULL, "Hello", NULL, "US", "US", 1, 0.0083 },
    { "+14155552671", "sms", NULL, NULL, "2", "US", "US", 2, 0.0166 },
    { "+33612345678", "sms", NULL, NULL, "3", "FR", "FR", 3, 0.2547 },
    { "+447400123456", "sms", NULL, NULL, NULL, "GB", "GB", 2, 0.1048 },   /* long_gsm */
    { "+4915112345678", "sms", NULL, NULL, NULL, "DE", "DE", 3, 0.2808 },  /* ucs2 */
    { "+254712345678", "sms", NULL, "Hi", NULL, "KE", "*", 1, 0.1 },
    { "+5511987654321", "whatsapp", NULL, "Oi", NULL, "BR", "BR", 1, 0.0625 },
    { "+5511987654321", "whatsapp", "utility", NULL, "4", "BR", "BR", 1, 0.008 },
    { "+919876543210", "whatsapp", "authentication", "123456", NULL, "IN", "IN", 1, 0.0014 },
    { "+919876543210", "whatsapp", "service", "Thanks", NULL, "IN", "IN", 1, 0.0 },
  };
  g_auto(TcCliRun) create = { 0, };

  for (guint i = 0; i < 135; i++)
    g_string_append (ucs2, "ą");
  cases[3].body = long_gsm;
  cases[4].body = ucs2->str;

  RUN (f, &create, "sample", "--count", "1");
  assert_ok (&create);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_auto(TcCliRun) run = { 0, };
      JsonObject *object;

      g_test_message ("case %u", i);
      g_ptr_array_add (args, (gpointer) "prices");
      g_ptr_array_add (args, (gpointer) "estimate");
      g_ptr_array_add (args, (gpointer) "--to");
      g_ptr_array_add (args, (gpointer) cases[i].to);
      g_ptr_array_add (args, (gpointer) "--channel");
      g_ptr_array_add (args, (gpointer) cases[i].channel);
      if (cases[i].category != NULL)
        {
          g_ptr_array_add (args, (gpointer) "--category");
          g_ptr_array_add (args, (gpointer) cases[i].category);
        }
      if (cases[i].body != NULL)
        {
          g_ptr_array_add (args, (gpointer) "--body");
          g_ptr_array_add (args, (gpointer) cases[i].body);
        }
      else
        {
          g_ptr_array_add (args, (gpointer) "--segments");
          g_ptr_array_add (args, (gpointer) cases[i].segments);
        }
      g_ptr_array_add (args, (gpointer) "--json");
      g_ptr_array_add (args, NULL);
      run_argv (f, &run, (const char * const *) args->pdata);

      object = parse_object (&run, parser);
      g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, cases[i].to);
      g_assert_cmpstr (json_object_get_string_member (object, "country"), ==, cases[i].country);
      g_assert_cmpstr (json_object_get_string_member (object, "price_country"), ==,
                       cases[i].price_country);
      g_assert_cmpstr (json_object_get_string_member (object, "channel"), ==, cases[i].channel);
      g_assert_cmpint (json_object_get_int_member (object, "segments"), ==, cases[i].n_segments);
      assert_price (json_object_get_double_member (object, "cost"), cases[i].cost);
      g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
      g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "default");
      if (strcmp (cases[i].channel, "sms") == 0)
        g_assert_true (json_object_get_null_member (object, "category"));
      else
        g_assert_cmpstr (json_object_get_string_member (object, "category"), ==,
                         cases[i].category != NULL ? cases[i].category : "marketing");
    }
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    const char *args[12];
    int         status;
    const char *words[3];
  } cases[] = {
    { { "prices", NULL }, 2, { "needs a command", NULL } },
    { { "prices", "sell", NULL }, 2, { "unknown command 'prices sell'", NULL } },
    { { "prices", "set", "--channel", "sms", "--price", "1", NULL }, 2,
      { "needs --country", NULL } },
    { { "prices", "set", "--country", "XX", "--channel", "sms", "--price", "1", NULL }, 1,
      { "'XX'", "not a known country code", NULL } },
    { { "prices", "set", "--country", "USA", "--channel", "sms", "--price", "1", NULL }, 1,
      { "'USA'", "two letters", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "fax", "--price", "1", NULL }, 1,
      { "'fax'", "sms or whatsapp", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "sms", "--category", "marketing",
        "--price", "1", NULL }, 1, { "'marketing'", "leave --category out", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "whatsapp", "--price", "1", NULL }, 2,
      { "need --category", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "whatsapp", "--category", "promo",
        "--price", "1", NULL }, 1, { "'promo'", "marketing, utility, authentication or service" } },
    { { "prices", "set", "--country", "US", "--channel", "sms", "--price", "abc", NULL }, 1,
      { "'abc'", "not a number", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "sms", "--price", "0,05", NULL }, 1,
      { "'0,05'", "decimal point", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "sms", "--price", "-1", NULL }, 1,
      { "'-1'", "from 0 to 100", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "sms", "--price", "nan", NULL }, 1,
      { "'nan'", NULL } },
    { { "prices", "set", "--country", "US", "--channel", "sms", NULL }, 2,
      { "needs --price", NULL } },
    { { "prices", "list", "--price", "1", NULL }, 2, { "--price", NULL } },
    { { "prices", "estimate", "--to", "+14155552671", "--channel", "sms", NULL }, 2,
      { "either --body TEXT or --segments N", NULL } },
    { { "prices", "estimate", "--to", "+14155552671", "--channel", "sms", "--body", "x",
        "--segments", "1", NULL }, 2, { "either --body TEXT or --segments N", NULL } },
    { { "prices", "estimate", "--to", "+14155552671", "--channel", "sms", "--segments", "0",
        NULL }, 1, { "'0'", "from 1 to 255", NULL } },
    { { "prices", "estimate", "--to", "hello", "--channel", "sms", "--segments", "1", NULL }, 1,
      { "--to 'hello' is not a phone number", NULL } },
    { { "prices", "estimate", "--channel", "sms", "--segments", "1", NULL }, 2,
      { "needs --to", NULL } },
  };
  g_auto(TcCliRun) create = { 0, };
  g_auto(TcCliRun) missing = { 0, };
  g_auto(TcCliRun) settings = { 0, };

  /* Reading a workspace that does not exist is an error, not a new one. */
  RUN (f, &missing, "prices", "list");
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  RUN (f, &create, "sample", "--count", "1");
  assert_ok (&create);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0, };

      g_test_message ("case %u: %s", i, cases[i].args[1] ? cases[i].args[1] : "");
      run_argv (f, &run, cases[i].args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "textcast-cli: "));
      for (guint w = 0; w < G_N_ELEMENTS (cases[i].words) && cases[i].words[w] != NULL; w++)
        if (strstr (run.err, cases[i].words[w]) == NULL)
          g_error ("“%s” is not in “%s”", cases[i].words[w], run.err);
    }

  /* The generic settings command checks the table too. */
  RUN (f, &settings, "settings", "set", "prices.table",
       "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":\"cheap\"}]");
  g_assert_cmpint (settings.status, ==, 1);
  g_assert_nonnull (strstr (settings.err,
                            "Entry 1 of the price table: “price” is “cheap”"));
}

/* `send` queues a row with its cost; a new price applies to the next row. */
static void
test_outbox_cost (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TcCliRun) sample = { 0, };
  g_auto(TcCliRun) simulator = { 0, };
  g_auto(TcCliRun) first = { 0, };
  g_auto(TcCliRun) set = { 0, };
  g_auto(TcCliRun) second = { 0, };
  g_autofree char *long_text = g_strnfill (200, 'x');
  JsonObject *row;

  RUN (f, &sample, "sample", "--count", "1");
  assert_ok (&sample);
  RUN (f, &simulator, "providers", "set", "simulator");
  assert_ok (&simulator);

  /* No consent: skipped, but priced all the same. */
  RUN (f, &first, "send", "--channel", "sms", "--purpose", "promotional", "--to",
       "+12125550100", "--body", long_text, "--json");
  row = parse_object (&first, parser);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "skipped");
  g_assert_cmpint (json_object_get_int_member (row, "segments"), ==, 2);
  assert_price (json_object_get_double_member (row, "cost"), 2 * 0.0083);
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "USD");

  RUN (f, &set, "prices", "set", "--country", "US", "--channel", "sms", "--price", "0.02");
  assert_ok (&set);

  RUN (f, &second, "send", "--channel", "sms", "--purpose", "promotional", "--to",
       "+12125550100", "--body", "Short", "--json");
  row = parse_object (&second, parser);
  assert_price (json_object_get_double_member (row, "cost"), 0.02);
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_auto(TcCliRun) help = { 0, };
  g_auto(TcCliRun) top = { 0, };

  RUN (f, &help, "prices", "--help");
  assert_ok (&help);
  g_assert_true (g_str_has_prefix (help.out, "Usage: textcast-cli [--db FILE] prices COMMAND"));
  g_assert_nonnull (strstr (help.out, "estimates"));

  RUN (f, &top, "--help");
  assert_ok (&top);
  g_assert_nonnull (strstr (top.out, "prices list|set|unset|reset|estimate"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/cli/prices/list-set-unset", test_list_set_unset);
  ADD ("/tc/cli/prices/estimate", test_estimate);
  ADD ("/tc/cli/prices/bad-input", test_bad_input);
  ADD ("/tc/cli/prices/outbox-cost", test_outbox_cost);
  ADD ("/tc/cli/prices/help", test_help);

#undef ADD

  return g_test_run ();
}
